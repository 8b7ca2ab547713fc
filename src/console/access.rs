//! "Why, and who can" (`dwc can`): the decision and its full trace for any user, action and
//! target — asked as that user, with their policies, tenant roles and workspace roles. Who may
//! ask about whom is itself a rule: anyone about themself; the account, Tenant Administrators and
//! Security Administrators about anyone; a workspace's Owner or Workspace Manager about its
//! members, on that workspace.

use crate::authz::{Basis, Grant, Op, ResourceKind, Target, Verdict, WorkspaceTarget};
use crate::domain::audit::Outcome;
use crate::domain::module::{GlobalModule, Level, Module};
use crate::domain::tenant_role::BuiltinTenantRole;
use crate::domain::{Principal, Scope, TenantRole, Workspace, WorkspaceRole};
use crate::store::{T, key};

use super::error::{ConsoleError, Result};
use super::{Console, Session};

/// A question about access and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessAnswer {
    pub user: String,
    pub action: String,
    /// The resource name the question was decided on (an ARN).
    pub target: String,
    pub scope: Scope,
    pub verdict: Verdict,
}

/// A target as named on the command line: a kind and a name, perhaps with a region.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Named {
    kind: ResourceKind,
    name: String,
    region: Option<String>,
}

fn kind_title(k: ResourceKind) -> &'static str {
    match k {
        ResourceKind::Tenant => "the tenant",
        ResourceKind::Workspace => "a workspace",
        ResourceKind::ResourceGroup => "a resource group",
        ResourceKind::Image => "an image",
        ResourceKind::ModelDeployment => "a model deployment",
        ResourceKind::Billing => "billing",
        ResourceKind::RamUser => "a RAM user",
        ResourceKind::RamPolicy => "a RAM policy",
        ResourceKind::RamGroup => "a RAM user group",
    }
}

/// Reads `acs:SERVICE:REGION:ACCOUNT:RELATIVE` as the engine writes it (`Target::arn`).
fn parse_arn(arn: &str) -> Result<Named> {
    let bad = || {
        ConsoleError::invalid(
            "target",
            format!(
                "{arn:?} is not an ARN of this tenant's resources \
                 (like acs:dataworks:cn-hangzhou:ACCOUNT:workspace/NAME)"
            ),
        )
    };
    let parts: Vec<&str> = arn.splitn(5, ':').collect();
    let [_, service, region, _account, relative] = parts[..] else {
        return Err(bad());
    };
    let (kind_part, name) = relative.split_once('/').unwrap_or((relative, ""));
    let kind = match (service, kind_part) {
        ("dataworks", "tenant") => ResourceKind::Tenant,
        ("dataworks", "workspace") => ResourceKind::Workspace,
        ("dataworks", "dwresourcegroup") => ResourceKind::ResourceGroup,
        ("dataworks", "image") => ResourceKind::Image,
        ("dataworks", "modeldeployment") => ResourceKind::ModelDeployment,
        ("bss", "order") => ResourceKind::Billing,
        ("ram", "user") => ResourceKind::RamUser,
        ("ram", "policy") => ResourceKind::RamPolicy,
        ("ram", "group") => ResourceKind::RamGroup,
        _ => return Err(bad()),
    };
    Ok(Named {
        kind,
        name: name.to_owned(),
        region: (region != "*" && !region.is_empty()).then(|| region.to_owned()),
    })
}

impl Console {
    /// Decides `action` on `target` as `user` would be decided, and explains it. `scope` is the
    /// front end the question is about (the asker's own when `None`).
    pub fn explain_access(
        &self,
        s: &Session,
        user: &str,
        action: &str,
        target: &str,
        scope: Option<Scope>,
    ) -> Result<AccessAnswer> {
        let op = Op::parse(action).ok_or_else(|| {
            ConsoleError::invalid(
                "action",
                format!("unknown action {action:?} (like dataworks:CreateProject or ListProjects)"),
            )
        })?;
        let account = self.tenant().account;
        let principal = self.principal_named(user)?;
        let resource = op.spec().resource;
        let named = if target.starts_with("acs:") {
            parse_arn(target)?
        } else {
            Named {
                kind: resource,
                name: target.to_owned(),
                region: None,
            }
        };
        if named.kind != resource {
            return Err(ConsoleError::invalid(
                "target",
                format!(
                    "{target} is {}; {} acts on {}",
                    kind_title(named.kind),
                    op.action(),
                    kind_title(resource)
                ),
            ));
        }
        // Asked from here, as if the subject were where the asker is.
        let subject = Session {
            principal,
            scope: scope.unwrap_or(s.scope),
            region: named.region.clone().unwrap_or_else(|| s.region.clone()),
            origin: s.origin,
        };
        // The workspace, if the question is about one: the subject's roles in it matter.
        let ws: Option<Workspace> = if resource == ResourceKind::Workspace
            && op != Op::CreateProject
        {
            Some(
                self.store
                    .get::<Workspace>(T::Workspaces, named.name.as_bytes())?
                    .filter(|w| w.is_live() && w.region == subject.region)
                    .ok_or_else(|| ConsoleError::NotFound(format!("workspace {}", named.name)))?,
            )
        } else {
            None
        };
        self.may_ask_about(s, user, ws.as_ref(), op)?;
        let roles = match &ws {
            Some(w) if !subject.principal.is_account() => self.roles_in(&w.name, user)?,
            _ => None,
        };
        let t = match &ws {
            Some(w) => Target::Workspace(WorkspaceTarget {
                name: &w.name,
                region: &w.region,
                status: w.status,
                roles: roles.as_deref(),
            }),
            None => Target::named(resource, &named.name, &subject.region),
        };
        let verdict = self.can(&subject, op, &t)?;
        Ok(AccessAnswer {
            user: user.to_owned(),
            action: op.action().to_owned(),
            target: t.arn(&account),
            scope: subject.scope,
            verdict,
        })
    }

    /// The account or a RAM user, by name.
    fn principal_named(&self, user: &str) -> Result<Principal> {
        let account = self.tenant().account;
        if user == account {
            Ok(Principal::Account(account))
        } else if self.store.has(T::Users, user.as_bytes())? {
            Ok(Principal::User(user.to_owned()))
        } else {
            Err(ConsoleError::NotFound(format!("user {user}")))
        }
    }

    /// The effective access of `user` in the session's region: workspace modules per workspace,
    /// tenant modules and console actions. A workspace's Owner or Manager sees a member's
    /// access in the workspaces they manage only.
    pub fn access_matrix(&self, s: &Session, user: &str) -> Result<AccessMatrix> {
        let principal = self.principal_named(user)?;
        let subject = Session {
            principal,
            scope: s.scope,
            region: s.region.clone(),
            origin: s.origin,
        };
        let everything = self.may_ask(s, user, None)?;
        let mut workspaces = Vec::new();
        for row in self.list_workspaces(&subject)? {
            let w = row.workspace;
            if !everything && !self.may_ask(s, user, Some(&w))? {
                continue;
            }
            let roles = if subject.principal.is_account() {
                None
            } else {
                self.roles_in(&w.name, user)?
            };
            let target = Target::Workspace(WorkspaceTarget {
                name: &w.name,
                region: &w.region,
                status: w.status,
                roles: roles.as_deref(),
            });
            let cells = Module::ALL
                .iter()
                .map(|&m| {
                    self.cell(&subject, ResourceKind::Workspace, &target, |l| {
                        Grant::Module(m, l)
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            workspaces.push((w.name, cells));
        }
        if !everything && workspaces.is_empty() {
            // Says why, and audits the refused question.
            self.may_ask_about(s, user, None, Op::ListProjects)?;
        }
        let (tenant, actions) = if everything {
            let tenant = GlobalModule::ALL
                .iter()
                .map(|&g| {
                    self.cell(&subject, ResourceKind::Tenant, &Target::Tenant, |l| {
                        Grant::Global(g, l)
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let mut actions = Vec::new();
            for &op in MATRIX_ACTIONS {
                let t = Target::named(op.spec().resource, "*", &subject.region);
                actions.push((op, self.can(&subject, op, &t)?));
            }
            (tenant, actions)
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(AccessMatrix {
            user: user.to_owned(),
            workspaces,
            tenant,
            actions,
        })
    }

    /// The level a module is open at, decided on the operations that need it.
    fn cell(
        &self,
        subject: &Session,
        resource: ResourceKind,
        target: &Target,
        grant: impl Fn(Level) -> Grant,
    ) -> Result<CellAccess> {
        let write = probe(resource, grant(Level::ReadWrite));
        let read = probe(resource, grant(Level::ReadOnly));
        let mut last = Vec::new();
        for (level, op) in [(Level::ReadWrite, write), (Level::ReadOnly, read)] {
            let Some(op) = op else { continue };
            let v = self.can(subject, op, target)?;
            let mut trace = vec![format!("{} ({})", op.action(), level.title())];
            trace.extend(v.trace);
            if v.allowed {
                return Ok(CellAccess { level, trace });
            }
            last = trace;
        }
        if last.is_empty() {
            last.push("no operation of this console needs this module".into());
        }
        Ok(CellAccess {
            level: Level::Unauthorized,
            trace: last,
        })
    }

    /// Whether the session may see `user`'s access from workspace `ws`, as a decision for hints.
    pub fn can_view_access(&self, s: &Session, user: &str, ws: &str) -> Result<Verdict> {
        let w = self
            .store
            .get::<Workspace>(T::Workspaces, ws.as_bytes())?
            .filter(|w| w.is_live() && w.region == s.region);
        let allowed = self.may_ask(s, user, w.as_ref())?;
        Ok(Verdict {
            allowed,
            basis: if allowed {
                Basis::Oneself
            } else {
                Basis::ImplicitDeny
            },
            trace: vec![if allowed {
                format!("{} may see the access of {user}", s.who())
            } else {
                format!(
                    "{} may not see the access of {user}: only themself, the account, Tenant or \
                     Security Administrators, or a manager of {ws} may",
                    s.who()
                )
            }],
        })
    }

    /// Whether the asker may ask about `user` (on `ws`, when the question is about one).
    fn may_ask(&self, s: &Session, user: &str, ws: Option<&Workspace>) -> Result<bool> {
        if s.principal.is_account() || s.who() == user {
            return Ok(true);
        }
        let caller = self.caller(s)?;
        let admin = caller.tenant_roles.iter().any(|r| {
            matches!(
                r,
                TenantRole::Builtin(
                    BuiltinTenantRole::TenantAdministrator
                        | BuiltinTenantRole::SecurityAdministrator
                )
            )
        });
        if admin {
            return Ok(true);
        }
        let Some(w) = ws else { return Ok(false) };
        // Project Owner or Workspace Manager of the workspace, asking about one of its members.
        let manages = self
            .roles_in(&w.name, s.who())?
            .is_some_and(|roles| roles.iter().any(WorkspaceRole::is_admin));
        let member =
            user == self.tenant().account || self.store.has(T::Members, &key(&[&w.name, user]))?;
        Ok(manages && member)
    }

    /// Refuses (and audits) a question the asker may not ask.
    pub(super) fn may_ask_about(
        &self,
        s: &Session,
        user: &str,
        ws: Option<&Workspace>,
        op: Op,
    ) -> Result<()> {
        if self.may_ask(s, user, ws)? {
            return Ok(());
        }
        let explanation = vec![
            "anyone may ask about themself".to_owned(),
            "the account, Tenant Administrators and Security Administrators may ask about anyone"
                .to_owned(),
            "a workspace's Owner or Workspace Manager may ask about its members, on that workspace"
                .to_owned(),
        ];
        self.audit_attempt(
            s.who(),
            s.scope,
            &s.region,
            "dwc:ExplainAccess",
            &format!("{} of user {user}", op.action()),
            Outcome::Denied,
            &explanation.join("; "),
        );
        Err(ConsoleError::Denied {
            action: "dwc:ExplainAccess".into(),
            target: format!("user {user}"),
            explanation,
        })
    }
}

/// One cell of an access matrix: the effective level and the decision that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellAccess {
    pub level: Level,
    pub trace: Vec<String>,
}

/// What a user may do, as decided (policies, roles, denies, edition, region all counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessMatrix {
    pub user: String,
    /// Each of the user's workspaces in the region with one cell per `Module::ALL`.
    pub workspaces: Vec<(String, Vec<CellAccess>)>,
    /// One cell per `GlobalModule::ALL` (empty when the asker may see only workspaces).
    pub tenant: Vec<CellAccess>,
    /// Console actions and their decisions (empty likewise).
    pub actions: Vec<(Op, Verdict)>,
}

/// The console actions the matrix shows: what people ask "may I?" about.
pub const MATRIX_ACTIONS: &[Op] = &[
    Op::CreateProject,
    Op::ListResourceGroups,
    Op::CreateResourceGroup,
    Op::ListImages,
    Op::CreateImage,
    Op::CreateModelDeployment,
    Op::ListAlertContacts,
    Op::SendTestAlert,
    Op::ListAuditEvents,
    Op::ListUsers,
    Op::CreateUser,
    Op::CreatePolicy,
    Op::QueryBill,
    Op::CreateOrder,
];

/// An operation that is granted by exactly `grant` among the module grants: deciding it says
/// whether the module is open at that level.
fn probe(resource: ResourceKind, grant: Grant) -> Option<Op> {
    let is_module = |g: &Grant| matches!(g, Grant::Module(..) | Grant::Global(..));
    let fits = |op: &Op| op.spec().resource == resource && op.spec().grants.contains(&grant);
    Op::all()
        .filter(fits)
        .find(|op| op.spec().grants.iter().filter(|g| is_module(g)).count() == 1)
        .or_else(|| Op::all().find(fits))
}

impl Basis {
    pub fn title(self) -> &'static str {
        match self {
            Basis::Account => "the account",
            Basis::Policy => "a policy",
            Basis::WorkspaceRole => "a workspace role",
            Basis::TenantRole => "a tenant role",
            Basis::TenantMember => "tenant membership",
            Basis::Oneself => "acting on oneself",
            Basis::EditionGate => "the edition",
            Basis::OtherRegion => "another region",
            Basis::WorkspaceDisabled => "a disabled workspace",
            Basis::ExplicitDeny => "an explicit deny",
            Basis::NotMember => "not a member",
            Basis::ImplicitDeny => "nothing allows it",
            Basis::BadTarget => "a target that does not fit",
            Basis::Assignment => "a role that may not be handed out",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_read_back() {
        let n = parse_arn("acs:dataworks:cn-hangzhou:acme:workspace/finance_etl").unwrap();
        assert_eq!(
            (n.kind, n.name.as_str(), n.region.as_deref()),
            (ResourceKind::Workspace, "finance_etl", Some("cn-hangzhou"))
        );
        assert_eq!(
            parse_arn("acs:ram:*:acme:user/alice").unwrap().kind,
            ResourceKind::RamUser
        );
        assert_eq!(
            parse_arn("acs:dataworks:*:acme:tenant").unwrap().kind,
            ResourceKind::Tenant
        );
        assert!(parse_arn("acs:ecs:cn-hangzhou:acme:instance/i-1").is_err());
        assert!(parse_arn("acs:broken").is_err());
    }
}
