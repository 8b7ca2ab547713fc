//! The laws of DESIGN §10, as properties over random callers, policies, roles and targets.

mod common;

use chrono::Duration;
use common::{ACCOUNT, REGION, World};
use dwc::authz::operation::OPERATIONS;
use dwc::authz::{Basis, Op, Policy, ResourceKind, Target, WorkspaceTarget};
use dwc::domain::module::ModuleLevels;
use dwc::domain::role::CustomRole;
use dwc::domain::tenant_role::BuiltinTenantRole;
use dwc::domain::{
    BuiltinRole, Edition, Level, Module, Principal, Scope, TenantRole, WorkspaceRole,
    WorkspaceStatus,
};
use proptest::prelude::*;
use proptest::sample::select;

const ACTIONS: &[&str] = &[
    "*",
    "dataworks:*",
    "dataworks:Get*",
    "dataworks:List*",
    "dataworks:Create*",
    "dataworks:Delete*",
    "dataworks:CreateProject",
    "dataworks:?pdate*",
    "bss:*",
    "ram:*",
    "dataworks:*Member*",
];
const RESOURCES: &[&str] = &[
    "*",
    "acs:dataworks:*:*:workspace/*",
    "acs:dataworks:*:*:workspace/fin*",
    "acs:dataworks:cn-hangzhou:acme:dwresourcegroup/*",
    "acs:ram:*:*:user/*",
    "acs:dataworks:*:acme:tenant",
];
const CONDITIONS: &[&str] = &[
    "",
    r#","Condition":{"StringEquals":{"dataworks:Scope":"OpenAPI"}}"#,
    r#","Condition":{"StringEquals":{"dataworks:Scope":"Page"}}"#,
    r#","Condition":{"StringLike":{"acs:CurrentRegion":"cn-*"}}"#,
    r#","Condition":{"DateLessThan":{"acs:CurrentTime":"2026-12-01"}}"#,
];

fn statement() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        any::<bool>(),
        select(ACTIONS),
        any::<bool>(),
        select(RESOURCES),
        select(CONDITIONS),
    )
        .prop_map(|(deny, not_action, action, not_resource, resource, cond)| {
            format!(
                r#"{{"Effect":"{}","{}":"{action}","{}":"{resource}"{cond}}}"#,
                if deny { "Deny" } else { "Allow" },
                if not_action { "NotAction" } else { "Action" },
                if not_resource {
                    "NotResource"
                } else {
                    "Resource"
                },
            )
        })
}

fn policy() -> impl Strategy<Value = Policy> {
    prop::collection::vec(statement(), 1..4).prop_map(|stmts| {
        Policy::parse(&format!(
            r#"{{"Version":"1","Statement":[{}]}}"#,
            stmts.join(",")
        ))
        .expect("generated policies are valid")
    })
}

fn level() -> impl Strategy<Value = Level> {
    select(&Level::ALL[..])
}

fn workspace_role() -> impl Strategy<Value = WorkspaceRole> {
    prop_oneof![
        select(&BuiltinRole::ALL[..]).prop_map(WorkspaceRole::Builtin),
        prop::collection::vec(level(), 11).prop_map(|ls| {
            let levels = dwc::domain::module::Levels(<[Level; 11]>::try_from(ls).unwrap());
            WorkspaceRole::Custom(CustomRole::new("custom_role", levels, None).unwrap())
        }),
    ]
}

fn tenant_role() -> impl Strategy<Value = TenantRole> {
    select(&BuiltinTenantRole::ALL[..]).prop_map(TenantRole::Builtin)
}

#[derive(Debug, Clone)]
struct Case {
    op: Op,
    policies: Vec<Policy>,
    roles: Option<Vec<WorkspaceRole>>,
    tenant_roles: Vec<TenantRole>,
    scope: Scope,
    disabled: bool,
    edition: Edition,
    ws_name: &'static str,
    days: i64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        select(OPERATIONS.iter().map(|s| s.op).collect::<Vec<_>>()),
        prop::collection::vec(policy(), 0..4),
        prop::option::of(prop::collection::vec(workspace_role(), 1..4)),
        prop::collection::vec(tenant_role(), 0..2),
        prop_oneof![Just(Scope::Page), Just(Scope::OpenAPI)],
        any::<bool>(),
        select(&Edition::ALL[..]),
        select(&["finance_etl", "marketing", "sandbox_x"][..]),
        0i64..40,
    )
        .prop_map(
            |(op, policies, roles, tenant_roles, scope, disabled, edition, ws_name, days)| Case {
                op,
                policies,
                roles,
                tenant_roles,
                scope,
                disabled,
                edition,
                ws_name,
                days,
            },
        )
}

impl Case {
    fn world(&self, principal: Principal) -> World {
        let mut w = World::user("x");
        w.principal = principal;
        w.policies = self
            .policies
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("p{i}"), p.clone()))
            .collect();
        w.tenant_roles = self.tenant_roles.clone();
        w.scope = self.scope;
        w.edition = self.edition;
        w.now = common::now() + Duration::days(self.days);
        w
    }

    fn user(&self) -> World {
        self.world(Principal::User("alice".into()))
    }

    fn target<'a>(&'a self, roles: Option<&'a [WorkspaceRole]>) -> Target<'a> {
        match self.op.spec().resource {
            ResourceKind::Workspace => Target::Workspace(WorkspaceTarget {
                name: self.ws_name,
                region: REGION,
                status: if self.disabled {
                    WorkspaceStatus::Disabled
                } else {
                    WorkspaceStatus::Normal
                },
                roles,
            }),
            ResourceKind::ResourceGroup => Target::ResourceGroup {
                name: "rg_a",
                region: REGION,
            },
            ResourceKind::Image => Target::Image {
                name: "img",
                region: REGION,
            },
            ResourceKind::ModelDeployment => Target::ModelDeployment {
                name: "m",
                region: REGION,
            },
            ResourceKind::Tenant => Target::Tenant,
            ResourceKind::Billing => Target::Billing,
            ResourceKind::RamGroup => Target::RamGroup("grp"),
            ResourceKind::RamUser => {
                Target::RamUser(if self.days % 2 == 0 { "alice" } else { "bob" })
            }
            ResourceKind::RamPolicy => Target::RamPolicy("p0"),
        }
    }
}

fn deny_of(op: Op) -> Policy {
    Policy::parse(&format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Deny","Action":"{}","Resource":"*"}}]}}"#,
        op.action()
    ))
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn deny_always_wins(c in case()) {
        let mut w = c.user();
        w.policies.push(("deny".into(), deny_of(c.op)));
        let d = w.decide(c.op, &c.target(c.roles.as_deref()));
        prop_assert!(!d.allowed, "{:?}", d);
    }

    #[test]
    fn the_account_is_always_allowed_save_for_gates(c in case()) {
        let w = c.world(Principal::Account(ACCOUNT.into()));
        let d = w.decide(c.op, &c.target(None));
        if !d.allowed {
            prop_assert!(matches!(d.basis, Basis::EditionGate | Basis::WorkspaceDisabled), "{:?}", d);
        }
        let mut open = c.clone();
        open.edition = Edition::Enterprise;
        open.disabled = false;
        let w = open.world(Principal::Account(ACCOUNT.into()));
        prop_assert!(w.decide(open.op, &open.target(None)).allowed);
    }

    #[test]
    fn a_non_member_never_sees_a_workspace(c in case()) {
        let w = c.user();
        for op in [Op::GetProject, Op::ListProjects, Op::ListProjectMembers, Op::ListDataSources, Op::ListFiles] {
            let t = Target::Workspace(WorkspaceTarget { name: c.ws_name, region: REGION, status: WorkspaceStatus::Normal, roles: None });
            prop_assert!(!w.allows(op, &t), "{}", op.name());
        }
    }

    #[test]
    fn adding_a_role_never_removes_a_permission(c in case(), extra in workspace_role()) {
        let w = c.user();
        let before = w.allows(c.op, &c.target(c.roles.as_deref()));
        let mut more = c.roles.clone().unwrap_or_default();
        more.push(extra);
        let after = w.allows(c.op, &c.target(Some(&more)));
        prop_assert!(!before || after);
    }

    #[test]
    fn adding_a_tenant_role_never_removes_a_permission(c in case(), extra in tenant_role()) {
        let before = c.user().allows(c.op, &c.target(c.roles.as_deref()));
        let mut w = c.user();
        w.tenant_roles.push(extra);
        prop_assert!(!before || w.allows(c.op, &c.target(c.roles.as_deref())));
    }

    #[test]
    fn adding_a_deny_never_grants_a_permission(c in case(), extra in statement()) {
        let deny = extra.replacen("\"Allow\"", "\"Deny\"", 1);
        let p = Policy::parse(&format!(r#"{{"Version":"1","Statement":[{deny}]}}"#)).unwrap();
        let before = c.user().allows(c.op, &c.target(c.roles.as_deref()));
        let mut w = c.user();
        w.policies.push(("extra".into(), p));
        prop_assert!(before || !w.allows(c.op, &c.target(c.roles.as_deref())));
    }

    #[test]
    fn adding_an_allow_never_removes_a_permission(c in case(), extra in statement()) {
        let allow = extra.replacen("\"Deny\"", "\"Allow\"", 1);
        let p = Policy::parse(&format!(r#"{{"Version":"1","Statement":[{allow}]}}"#)).unwrap();
        let before = c.user().allows(c.op, &c.target(c.roles.as_deref()));
        let mut w = c.user();
        w.policies.push(("extra".into(), p));
        prop_assert!(!before || w.allows(c.op, &c.target(c.roles.as_deref())));
    }

    #[test]
    fn every_decision_explains_itself(c in case()) {
        let d = c.user().decide(c.op, &c.target(c.roles.as_deref()));
        prop_assert!(!d.trace.is_empty());
        prop_assert!(d.trace.iter().all(|l| !l.is_empty()));
    }

    #[test]
    fn module_levels_are_monotone(m in select(&Module::ALL[..]), a in level(), b in level()) {
        let lo = ModuleLevels::default().with(m, a.min(b));
        let hi = ModuleLevels::default().with(m, a.max(b));
        prop_assert_eq!(lo.union(&hi), hi);
    }

    #[test]
    fn parsing_never_panics(text in ".{0,200}") {
        let _ = Policy::parse(&text);
    }
}
