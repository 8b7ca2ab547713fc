//! RAM policies in the engine: seed 003's appendices, DESIGN §4's operators and keys.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{World, rg, ws};
use dwc::authz::{Basis, Op, Policy, Target};
use dwc::domain::{BuiltinRole, Scope, WorkspaceRole};

const BLOCK_ALL: &str =
    r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"dataworks:*","Resource":"*"}]}"#;
const BLOCK_OPENAPI: &str = r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"dataworks:*","Resource":"*","Condition":{"StringEquals":{"dataworks:Scope":"OpenAPI"}}}]}"#;
const BLOCK_PAGE: &str = r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"dataworks:*","Resource":"*","Condition":{"StringEquals":{"dataworks:Scope":"Page"}}}]}"#;

fn dev() -> [WorkspaceRole; 1] {
    [WorkspaceRole::Builtin(BuiltinRole::Development)]
}

#[test]
fn deny_beats_full_access() {
    let w = World::user("ops")
        .with_system("AliyunDataWorksFullAccess")
        .with_policy(
            "no-delete",
            r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"dataworks:DeleteProject","Resource":"*"}]}"#,
        );
    assert!(w.allows(Op::CreateProject, &ws("new_ws", None)));
    let d = w.decide(Op::DeleteProject, &ws("finance_etl", None));
    assert!(!d.allowed);
    assert_eq!(d.basis, Basis::ExplicitDeny);
    assert_eq!(d.trace, ["explicit deny: policy no-delete, Statement[0]"]);
    assert_eq!(
        w.decide(Op::CreateProject, &ws("new_ws", None)).trace,
        ["allowed by policy AliyunDataWorksFullAccess, Statement[0]"]
    );
}

#[test]
fn deny_beats_roles_too_and_block_all_blocks_everything() {
    let roles = [WorkspaceRole::Builtin(BuiltinRole::WorkspaceManager)];
    let w = World::user("wm").with_policy("block-all", BLOCK_ALL);
    for op in [
        Op::GetProject,
        Op::CreateFile,
        Op::CreateProjectMember,
        Op::ListAlertContacts,
        Op::ListImages,
    ] {
        let target = match op.spec().resource {
            dwc::authz::ResourceKind::Workspace => ws("finance_etl", Some(&roles)),
            dwc::authz::ResourceKind::Image => Target::Image {
                name: "x",
                region: common::REGION,
            },
            _ => Target::Tenant,
        };
        assert_eq!(
            w.decide(op, &target).basis,
            Basis::ExplicitDeny,
            "{}",
            op.name()
        );
    }
    // A dataworks deny does not touch billing.
    let w = w.with_system("AliyunBSSOrderAccess");
    assert!(w.allows(Op::CreateOrder, &Target::Billing));
}

#[test]
fn scope_deny_blocks_one_scope_only() {
    let roles = dev();
    let t = ws("finance_etl", Some(&roles));
    let no_api = World::user("alice").with_policy("no-openapi", BLOCK_OPENAPI);
    assert!(!no_api.clone_with(Scope::OpenAPI).allows(Op::CreateFile, &t));
    assert!(no_api.clone_with(Scope::Page).allows(Op::CreateFile, &t));
    assert_eq!(
        no_api
            .clone_with(Scope::OpenAPI)
            .decide(Op::GetProject, &t)
            .trace,
        ["explicit deny: policy no-openapi, Statement[0]"]
    );
    let no_page = World::user("alice").with_policy("no-page", BLOCK_PAGE);
    assert!(!no_page.clone_with(Scope::Page).allows(Op::GetProject, &t));
    assert!(
        no_page
            .clone_with(Scope::OpenAPI)
            .allows(Op::GetProject, &t)
    );
}

trait Rescope {
    fn clone_with(&self, s: Scope) -> World;
}

impl Rescope for World {
    fn clone_with(&self, s: Scope) -> World {
        let mut w = World::user(self.principal.name())
            .scope(s)
            .at(self.now)
            .edition(self.edition);
        w.policies = self.policies.clone();
        w.tenant_roles = self.tenant_roles.clone();
        w
    }
}

#[test]
fn not_action_and_not_resource() {
    let w = World::user("ops").with_policy(
        "all-but-delete",
        r#"{"Version":"1","Statement":[{"Effect":"Allow","NotAction":["dataworks:Delete*","dataworks:Purge*"],"Resource":"*"}]}"#,
    );
    assert!(w.allows(Op::CreateResourceGroup, &rg("rg_a")));
    assert!(w.allows(Op::DisableProject, &ws("finance_etl", None)));
    let d = w.decide(Op::DeleteResourceGroup, &rg("rg_a"));
    assert_eq!(d.basis, Basis::ImplicitDeny);
    assert_eq!(
        d.trace,
        [
            "implicit deny: no Allow statement in ops's policies (all-but-delete) matches dataworks:DeleteResourceGroup on acs:dataworks:cn-hangzhou:acme:dwresourcegroup/rg_a"
        ]
    );
    // Deny everything outside the sandbox workspaces.
    let w = World::user("ops").with_system("AliyunDataWorksFullAccess").with_policy(
        "sandbox-only",
        r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"dataworks:*Project","NotResource":"acs:dataworks:*:*:workspace/sandbox_*"}]}"#,
    );
    assert!(w.allows(Op::DeleteProject, &ws("sandbox_alice", None)));
    assert!(!w.allows(Op::DeleteProject, &ws("finance_etl", None)));
    assert!(
        w.allows(Op::CreateResourceGroup, &rg("rg_a")),
        "the deny names only *Project actions"
    );
}

#[test]
fn wildcards_in_actions_and_resources() {
    let w = World::user("ops").with_policy(
        "rg-admin",
        r#"{"Version":"1","Statement":[
            {"Effect":"Allow","Action":["DATAWORKS:create*","dataworks:?pdateResourceGroup"],"Resource":"acs:dataworks:cn-*:*:dwresourcegroup/etl_*"}
        ]}"#,
    );
    assert!(
        w.allows(Op::CreateResourceGroup, &rg("etl_prod")),
        "actions are case-insensitive"
    );
    assert!(w.allows(Op::UpdateResourceGroup, &rg("etl_prod")));
    assert!(!w.allows(Op::DeleteResourceGroup, &rg("etl_prod")));
    assert!(!w.allows(Op::CreateResourceGroup, &rg("ml_prod")));
    assert!(
        !w.allows(Op::CreateResourceGroup, &rg("ETL_prod")),
        "resources are case-sensitive"
    );
}

fn at(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
}

#[test]
fn date_conditions() {
    let doc = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"dataworks:*","Resource":"*",
        "Condition":{"DateGreaterThanEquals":{"acs:CurrentTime":"2026-11-01"},"DateLessThan":{"acs:CurrentTime":"2026-12-01T00:00:00Z"}}}]}"#;
    let t = rg("rg_a");
    let w = |when| {
        World::user("contractor")
            .with_policy("november", doc)
            .at(when)
    };
    assert!(w(at(2026, 11, 22)).allows(Op::CreateResourceGroup, &t));
    assert!(!w(at(2026, 12, 2)).allows(Op::CreateResourceGroup, &t));
    assert!(!w(at(2026, 10, 31)).allows(Op::CreateResourceGroup, &t));
    let midnight = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    assert!(
        w(midnight).allows(Op::CreateResourceGroup, &t),
        "GreaterThanEquals includes the bound"
    );
    assert!(
        !w(midnight + Duration::days(30)).allows(Op::CreateResourceGroup, &t),
        "LessThan excludes it"
    );

    // A freeze window as a Deny.
    let freeze = r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"dataworks:Delete*","Resource":"*",
        "Condition":{"DateGreaterThan":{"acs:CurrentTime":"2026-12-20T00:00:00+08:00"}}}]}"#;
    let w = |when| {
        World::user("ops")
            .with_system("AliyunDataWorksFullAccess")
            .with_policy("freeze", freeze)
            .at(when)
    };
    assert!(w(at(2026, 12, 1)).allows(Op::DeleteResourceGroup, &t));
    assert!(!w(at(2026, 12, 24)).allows(Op::DeleteResourceGroup, &t));
}

#[test]
fn string_numeric_and_region_conditions() {
    let t = rg("rg_a");
    let allow_if = |cond: &str| {
        World::user("u").with_policy(
            "p",
            &format!(r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"dataworks:*","Resource":"*","Condition":{cond}}}]}}"#),
        )
    };
    assert!(
        allow_if(r#"{"StringEquals":{"acs:CurrentRegion":["cn-shanghai","cn-hangzhou"]}}"#)
            .allows(Op::CreateResourceGroup, &t)
    );
    assert!(
        !allow_if(r#"{"StringEquals":{"acs:CurrentRegion":"cn-shanghai"}}"#)
            .allows(Op::CreateResourceGroup, &t)
    );
    assert!(
        !allow_if(r#"{"StringNotEquals":{"acs:CurrentRegion":["cn-shanghai","cn-hangzhou"]}}"#)
            .allows(Op::CreateResourceGroup, &t)
    );
    assert!(
        allow_if(r#"{"StringNotEquals":{"acs:CurrentRegion":"cn-shanghai"}}"#)
            .allows(Op::CreateResourceGroup, &t)
    );
    assert!(
        allow_if(r#"{"StringEqualsIgnoreCase":{"dataworks:scope":"page"}}"#)
            .allows(Op::CreateResourceGroup, &t),
        "keys are case-insensitive"
    );
    assert!(
        !allow_if(r#"{"StringNotEqualsIgnoreCase":{"dataworks:Scope":"PAGE"}}"#)
            .allows(Op::CreateResourceGroup, &t)
    );
    assert!(
        allow_if(r#"{"StringLike":{"acs:CurrentRegion":"cn-*"}}"#)
            .allows(Op::CreateResourceGroup, &t)
    );
    assert!(
        !allow_if(r#"{"StringNotLike":{"acs:CurrentRegion":"cn-*"}}"#)
            .allows(Op::CreateResourceGroup, &t)
    );
    let now = common::now().timestamp();
    assert!(
        allow_if(&format!(
            r#"{{"NumericLessThan":{{"acs:CurrentTime":{}}}}}"#,
            now + 1
        ))
        .allows(Op::CreateResourceGroup, &t)
    );
    assert!(
        !allow_if(&format!(
            r#"{{"NumericGreaterThan":{{"acs:CurrentTime":"{now}"}}}}"#
        ))
        .allows(Op::CreateResourceGroup, &t)
    );
    assert!(
        allow_if(&format!(
            r#"{{"NumericEquals":{{"acs:CurrentTime":{now}}}}}"#
        ))
        .allows(Op::CreateResourceGroup, &t)
    );
    assert!(!allow_if(r#"{"Bool":{"dataworks:Scope":true}}"#).allows(Op::CreateResourceGroup, &t));
    // All operators and keys must hold.
    assert!(
        !allow_if(
            r#"{"StringEquals":{"dataworks:Scope":"Page","acs:CurrentRegion":"cn-beijing"}}"#
        )
        .allows(Op::CreateResourceGroup, &t)
    );
    assert!(allow_if(r#"{"StringEquals":{"dataworks:Scope":"Page"},"StringLike":{"acs:CurrentRegion":"cn-hang*"}}"#).allows(Op::CreateResourceGroup, &t));
}

#[test]
fn system_policies() {
    let ro = World::user("auditor").with_system("AliyunDataWorksReadOnlyAccess");
    assert!(ro.allows(Op::ListResourceGroups, &rg("rg_a")));
    assert!(!ro.allows(Op::CreateResourceGroup, &rg("rg_a")));
    let full = World::user("ops").with_system("AliyunDataWorksFullAccess");
    assert!(full.allows(Op::CreateResourceGroup, &rg("rg_a")));
    assert!(
        !full.allows(Op::CreateOrder, &Target::Billing),
        "full access cannot purchase"
    );
    let bss = World::user("buyer").with_system("AliyunBSSOrderAccess");
    assert!(bss.allows(Op::CreateOrder, &Target::Billing));
    assert!(!bss.allows(Op::CreateResourceGroup, &rg("rg_a")));
}

#[test]
fn the_account_and_other_regions() {
    let acct = World::account().with_policy("block-all", BLOCK_ALL);
    let d = acct.decide(Op::DeleteResourceGroup, &rg("rg_a"));
    assert!(d.allowed, "policies do not bind the account");
    assert_eq!(
        d.trace,
        ["allowed: acme is the account, owner of every resource"]
    );
    let far = Target::ResourceGroup {
        name: "rg_sh",
        region: "cn-shanghai",
    };
    let d = World::account().decide(Op::GetResourceGroup, &far);
    assert_eq!((d.allowed, d.basis), (false, Basis::OtherRegion));
    assert_eq!(
        d.trace,
        ["not found: resource group rg_sh is in cn-shanghai, this session in cn-hangzhou"]
    );
}

#[test]
fn a_mismatched_target_is_refused_not_panicked() {
    let d = World::account().decide(Op::CreateProject, &Target::Tenant);
    assert_eq!((d.allowed, d.basis), (false, Basis::BadTarget));
}

#[test]
fn malformed_documents_are_rejected_with_their_path() {
    let e = Policy::parse(
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
            {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEq":{"dataworks:Scope":"Page"}}}]}"#,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"Statement[1].Condition: unknown operator "StringEq""#
    );
    assert_eq!(e.path, "Statement[1].Condition");
    let truncated = &BLOCK_ALL[..BLOCK_ALL.len() - 5];
    assert!(
        Policy::parse(truncated)
            .unwrap_err()
            .to_string()
            .starts_with("document: not valid JSON")
    );
}
