//! `authorize(ctx, op, target) -> Decision`, in the order of DESIGN §4:
//! gates (edition, region, disabled workspace) → the account → explicit Deny → grant paths →
//! implicit deny. Every decision carries its reasons, rendered as a trace a person can read.
//!
//! Reasons borrow from the request and are put into words only when someone reads them, so a
//! decision costs no string formatting (the §11 budget is under a microsecond).

use std::fmt;

use crate::domain::role::BuiltinRole;
use crate::domain::{
    Edition, Feature, GlobalModule, Level, Module, Principal, RoleRef, Scope, TenantRole,
    Timestamp, WorkspaceRole, WorkspaceStatus,
};

use super::condition::RequestFacts;
use super::operation::{Grant, Mode, Op, ResourceKind};
use super::policy::{Effect, Policy, ResourceName};

/// A policy attached to the principal, by name.
#[derive(Debug, Clone, Copy)]
pub struct AttachedPolicy<'a> {
    pub name: &'a str,
    pub policy: &'a Policy,
}

/// Who asks, from where, when: everything about the caller the engine needs.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The tenant's account name (the ARN's account part).
    pub account: &'a str,
    pub principal: &'a Principal,
    pub scope: Scope,
    pub region: &'a str,
    pub now: Timestamp,
    pub edition: Edition,
    pub policies: &'a [AttachedPolicy<'a>],
    /// Tenant roles besides Tenant Member, which every RAM user has.
    pub tenant_roles: &'a [TenantRole],
    /// Where the request comes from, for `acs:SourceIp`, `acs:SecureTransport`, `acs:MFAPresent`.
    pub origin: super::condition::Origin,
}

/// A workspace as the engine sees it, with the principal's roles in it.
#[derive(Debug, Clone, Copy)]
pub struct WorkspaceTarget<'a> {
    pub name: &'a str,
    pub region: &'a str,
    pub status: WorkspaceStatus,
    /// `None`: the principal is not a member.
    pub roles: Option<&'a [WorkspaceRole]>,
}

#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Tenant,
    Workspace(WorkspaceTarget<'a>),
    ResourceGroup { name: &'a str, region: &'a str },
    Image { name: &'a str, region: &'a str },
    ModelDeployment { name: &'a str, region: &'a str },
    Billing,
    RamUser(&'a str),
    RamPolicy(&'a str),
    RamGroup(&'a str),
}

impl<'a> Target<'a> {
    /// A target of `kind` by name alone (`*` for all of them in the region): a workspace seen
    /// as Normal and without roles, as a question about it before it is loaded.
    pub fn named(kind: ResourceKind, name: &'a str, region: &'a str) -> Target<'a> {
        match kind {
            ResourceKind::Tenant => Target::Tenant,
            ResourceKind::Workspace => Target::Workspace(WorkspaceTarget {
                name,
                region,
                status: crate::domain::WorkspaceStatus::Normal,
                roles: None,
            }),
            ResourceKind::ResourceGroup => Target::ResourceGroup { name, region },
            ResourceKind::Image => Target::Image { name, region },
            ResourceKind::ModelDeployment => Target::ModelDeployment { name, region },
            ResourceKind::Billing => Target::Billing,
            ResourceKind::RamUser => Target::RamUser(name),
            ResourceKind::RamPolicy => Target::RamPolicy(name),
            ResourceKind::RamGroup => Target::RamGroup(name),
        }
    }

    pub fn kind(&self) -> ResourceKind {
        match self {
            Target::Tenant => ResourceKind::Tenant,
            Target::Workspace(_) => ResourceKind::Workspace,
            Target::ResourceGroup { .. } => ResourceKind::ResourceGroup,
            Target::Image { .. } => ResourceKind::Image,
            Target::ModelDeployment { .. } => ResourceKind::ModelDeployment,
            Target::Billing => ResourceKind::Billing,
            Target::RamUser(_) => ResourceKind::RamUser,
            Target::RamPolicy(_) => ResourceKind::RamPolicy,
            Target::RamGroup(_) => ResourceKind::RamGroup,
        }
    }

    fn region(&self) -> Option<&str> {
        match self {
            Target::Workspace(w) => Some(w.region),
            Target::ResourceGroup { region, .. }
            | Target::Image { region, .. }
            | Target::ModelDeployment { region, .. } => Some(region),
            _ => None,
        }
    }

    /// The same resource under the vendor's other resource types (`alarm_resource/…`,
    /// `exclusive_resource_group/NAME`), for the policies written with them.
    pub fn other_arns(&self, account: &str, types: &[&str]) -> Vec<String> {
        let (region, name) = match *self {
            Target::ResourceGroup { name, region } => (region, name),
            Target::Workspace(w) => (w.region, w.name),
            _ => ("*", "default"),
        };
        types
            .iter()
            .map(|t| format!("acs:dataworks:{region}:{account}:{t}{name}"))
            .collect()
    }

    /// The resource name policies match against (DESIGN §4).
    pub fn arn(&self, account: &str) -> String {
        let (service, region, relative, name) = match *self {
            Target::Tenant => ("dataworks", "*", "tenant", ""),
            Target::Workspace(w) => ("dataworks", w.region, "workspace/", w.name),
            Target::ResourceGroup { name, region } => {
                ("dataworks", region, "dwresourcegroup/", name)
            }
            Target::Image { name, region } => ("dataworks", region, "image/", name),
            Target::ModelDeployment { name, region } => {
                ("dataworks", region, "modeldeployment/", name)
            }
            Target::Billing => ("bss", "*", "order", ""),
            Target::RamUser(name) => ("ram", "*", "user/", name),
            Target::RamPolicy(name) => ("ram", "*", "policy/", name),
            Target::RamGroup(name) => ("ram", "*", "group/", name),
        };
        // Plain pushes: format! costs several times more, and this runs on every decision.
        let mut arn = String::with_capacity(
            8 + service.len() + region.len() + account.len() + relative.len() + name.len(),
        );
        for part in [
            "acs:", service, ":", region, ":", account, ":", relative, name,
        ] {
            arn.push_str(part);
        }
        arn
    }
}

impl fmt::Display for Target<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Tenant => f.write_str("the tenant"),
            Target::Workspace(w) => write!(f, "workspace {}", w.name),
            Target::ResourceGroup { name, .. } => write!(f, "resource group {name}"),
            Target::Image { name, .. } => write!(f, "image {name}"),
            Target::ModelDeployment { name, .. } => write!(f, "model deployment {name}"),
            Target::Billing => f.write_str("billing"),
            Target::RamUser(n) => write!(f, "user {n}"),
            Target::RamPolicy(n) => write!(f, "policy {n}"),
            Target::RamGroup(n) => write!(f, "group {n}"),
        }
    }
}

/// Why a decision came out as it did; front ends map it to their errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Account,
    Policy,
    WorkspaceRole,
    TenantRole,
    TenantMember,
    Oneself,
    /// The tenant's edition lacks the feature.
    EditionGate,
    /// The target lives in another region than the session: for this session it does not exist.
    OtherRegion,
    /// The workspace is Disabled and the operation would change it.
    WorkspaceDisabled,
    ExplicitDeny,
    /// Not a member of the target workspace and nothing else allows it: the workspace is not
    /// visible to this principal.
    NotMember,
    ImplicitDeny,
    /// The operation and the target do not fit together (a caller's mistake).
    BadTarget,
    /// The role cannot be handed out by this principal.
    Assignment,
}

/// One step of a decision, in terms of the request it was made on.
#[derive(Debug, Clone)]
pub enum Reason<'a> {
    BadTarget {
        op: Op,
        target: Target<'a>,
    },
    Edition {
        feature: Feature,
        have: Edition,
    },
    OtherRegion {
        target: Target<'a>,
        session: &'a str,
    },
    Disabled {
        workspace: &'a str,
    },
    Account {
        who: &'a str,
    },
    ExplicitDeny {
        policy: &'a str,
        statement: usize,
        sid: Option<&'a str>,
    },
    AllowedByPolicy {
        policy: &'a str,
        statement: usize,
        sid: Option<&'a str>,
    },
    /// A statement about the operation that can never match a DataWorks request: one of its
    /// conditions asks for a key these requests do not carry.
    AbsentKey {
        policy: &'a str,
        statement: usize,
        key: &'a str,
    },
    NoPolicies {
        who: &'a str,
        op: Op,
    },
    NoAllowStatement {
        who: &'a str,
        op: Op,
        policies: &'a [AttachedPolicy<'a>],
        arn: String,
    },
    AllowedByRole {
        role: &'a WorkspaceRole,
        workspace: &'a str,
        module: Option<Module>,
    },
    NoRoleGrants {
        who: &'a str,
        workspace: &'a str,
        module: Module,
        level: Level,
        roles: &'a [WorkspaceRole],
    },
    NotAdmin {
        who: &'a str,
        workspace: &'a str,
        roles: &'a [WorkspaceRole],
    },
    /// None of the built-in roles an operation's API page names.
    NoneOfRoles {
        who: &'a str,
        workspace: &'a str,
        allowed: &'static [crate::domain::BuiltinRole],
        roles: &'a [WorkspaceRole],
    },
    Member {
        who: &'a str,
        workspace: &'a str,
        roles: &'a [WorkspaceRole],
    },
    NotMember {
        who: &'a str,
        workspace: &'a str,
    },
    NotAWorkspace {
        target: Target<'a>,
    },
    TenantMemberReads {
        module: GlobalModule,
    },
    AllowedByTenantRole {
        role: &'a TenantRole,
        module: GlobalModule,
    },
    NoTenantRole {
        who: &'a str,
        module: GlobalModule,
        level: Level,
        roles: &'a [TenantRole],
    },
    EveryTenantMember,
    Oneself {
        who: &'a str,
    },
    NotOneself {
        who: &'a str,
        target: Target<'a>,
    },
    ProjectOwnerNotAssignable,
    ManagerCannotAssign {
        role: BuiltinRole,
    },
}

fn sid_note(sid: Option<&str>) -> String {
    sid.map(|s| format!(" (Sid {s})")).unwrap_or_default()
}

fn role_names(roles: &[WorkspaceRole]) -> String {
    roles
        .iter()
        .map(WorkspaceRole::name)
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Reason::*;
        match self {
            BadTarget { op, target } => write!(f, "{op} acts on a {:?}, not on {target}", op.spec().resource),
            Edition { feature, have } => write!(
                f,
                "edition gate: {} needs the {} edition or higher (this tenant has {})",
                feature.title(),
                feature.needs().title(),
                have.title()
            ),
            OtherRegion { target, session } => write!(
                f,
                "not found: {target} is in {}, this session in {session}",
                target.region().unwrap_or("another region")
            ),
            Disabled { workspace } => write!(
                f,
                "workspace {workspace} is Disabled: it is read-only except EnableProject and DeleteProject"
            ),
            Account { who } => write!(f, "allowed: {who} is the account, owner of every resource"),
            ExplicitDeny { policy, statement, sid } => write!(f, "explicit deny: policy {policy}, Statement[{statement}]{}", sid_note(*sid)),
            AllowedByPolicy { policy, statement, sid } => write!(f, "allowed by policy {policy}, Statement[{statement}]{}", sid_note(*sid)),
            AbsentKey { policy, statement, key } => write!(f, "note: policy {policy}, Statement[{statement}] never matches here: its condition key {key} is absent from DataWorks requests, and a condition on an absent key is false"),
            NoPolicies { who, op } => write!(f, "implicit deny: {who} has no policy that allows {op}"),
            NoAllowStatement { who, op, policies, arn } => {
                let names: Vec<&str> = policies.iter().map(|p| p.name).collect();
                write!(
                    f,
                    "implicit deny: no Allow statement in {who}'s policies ({}) matches {op} on {arn}",
                    names.join(", ")
                )
            }
            AllowedByRole { role, workspace, module: Some(m) } => {
                write!(f, "allowed by role {} in {workspace} ({m}: {})", role.name(), role.level(*m))
            }
            AllowedByRole { role, workspace, module: None } => write!(f, "allowed by role {} in {workspace}", role.name()),
            NoRoleGrants { who, workspace, module, level, roles } => {
                let best = roles.iter().map(|r| r.level(*module)).max().unwrap_or(Level::Unauthorized);
                write!(
                    f,
                    "implicit deny: no role of {who} in {workspace} grants {module} {level} (roles: {}; best {module}: {best})",
                    role_names(roles)
                )
            }
            NotAdmin { who, workspace, roles } => write!(
                f,
                "implicit deny: {who} is neither Project Owner nor Workspace Manager of {workspace} (roles: {})",
                role_names(roles)
            ),
            NoneOfRoles { who, workspace, allowed, roles } => write!(
                f,
                "implicit deny: {who} holds none of {} in {workspace} (roles: {})",
                allowed.iter().map(|r| r.title()).collect::<Vec<_>>().join(", "),
                role_names(roles)
            ),
            Member { who, workspace, roles } => {
                write!(f, "allowed: {who} is a member of {workspace} ({})", role_names(roles))
            }
            NotMember { who, workspace } => write!(f, "implicit deny: {who} is not a member of {workspace}"),
            NotAWorkspace { target } => write!(f, "implicit deny: {target} is not a workspace"),
            TenantMemberReads { module } => write!(f, "allowed: every tenant member may read {module}"),
            AllowedByTenantRole { role, module } => {
                write!(f, "allowed by tenant role {} ({module}: {})", role.name(), role.level(*module))
            }
            NoTenantRole { who, module, level, roles } => {
                let mut names = vec!["Tenant Member"];
                names.extend(roles.iter().map(TenantRole::name));
                write!(
                    f,
                    "implicit deny: no tenant role of {who} grants {module} {level} (tenant roles: {})",
                    names.join(", ")
                )
            }
            EveryTenantMember => f.write_str("allowed: every tenant member may do this"),
            Oneself { who } => write!(f, "allowed: {who} acts on their own user"),
            NotOneself { who, target } => write!(f, "implicit deny: {target} is not {who}'s own user"),
            ProjectOwnerNotAssignable => {
                f.write_str("Project Owner is the account's own role in every workspace; it cannot be handed out")
            }
            ManagerCannotAssign { role } => write!(
                f,
                "a Workspace Manager may assign Workspace Manager, Development, O&M, Deploy, Visitor and custom roles, not {}",
                role.title()
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Decision<'a> {
    pub allowed: bool,
    pub basis: Basis,
    /// What decided, first reason first.
    pub reasons: Vec<Reason<'a>>,
}

/// A decision put into words and owning its text: what errors carry and front ends keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub basis: Basis,
    pub trace: Vec<String>,
}

impl<'a> Decision<'a> {
    fn allow(basis: Basis, reason: Reason<'a>) -> Self {
        Decision {
            allowed: true,
            basis,
            reasons: vec![reason],
        }
    }

    fn deny(basis: Basis, reasons: Vec<Reason<'a>>) -> Self {
        Decision {
            allowed: false,
            basis,
            reasons,
        }
    }

    /// The reasons in words, one line each.
    pub fn trace(&self) -> Vec<String> {
        self.reasons.iter().map(ToString::to_string).collect()
    }

    pub fn verdict(&self) -> Verdict {
        Verdict {
            allowed: self.allowed,
            basis: self.basis,
            trace: self.trace(),
        }
    }
}

impl fmt::Display for Decision<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.allowed { "ALLOWED" } else { "DENIED" })?;
        for reason in &self.reasons {
            write!(f, "\n  {reason}")?;
        }
        Ok(())
    }
}

/// The first statement of `effect` in the principal's policies that matches; the ARN is built
/// only when some statement's action matches `op`.
fn find_statement<'a>(
    ctx: &Ctx<'a>,
    effect: Effect,
    op: Op,
    target: &Target,
    arn: &mut Option<String>,
) -> Option<(&'a str, usize, Option<&'a str>)> {
    let mut candidates = ctx
        .policies
        .iter()
        .flat_map(|p| {
            p.policy
                .statements_for(op)
                .filter(move |(_, s)| s.effect == effect)
                .map(move |(i, s)| (p.name, i, s))
        })
        .peekable();
    candidates.peek()?;
    let facts = RequestFacts {
        scope: ctx.scope,
        region: ctx.region,
        now: ctx.now,
        origin: ctx.origin,
    };
    let others = op.other_resource_types();
    if others.is_empty() {
        let resource = ResourceName::new(arn.get_or_insert_with(|| target.arn(ctx.account)));
        return candidates
            .find(|(_, _, s)| s.matches_rest(&resource, &facts))
            .map(|(name, i, s)| (name, i, s.sid.as_deref()));
    }
    let own = arn.get_or_insert_with(|| target.arn(ctx.account)).clone();
    let aliases = target.other_arns(ctx.account, others);
    let mut names = vec![ResourceName::new(&own)];
    names.extend(aliases.iter().map(|a| ResourceName::new(a)));
    candidates
        .find(|(_, _, s)| s.matches_rest_any(&names, &facts))
        .map(|(name, i, s)| (name, i, s.sid.as_deref()))
}

/// Checks one grant path: `Ok` allows with its basis and reason, `Err` says why it did not hold.
fn check_grant<'a>(
    ctx: &Ctx<'a>,
    op: Op,
    grant: Grant,
    target: &Target<'a>,
    arn: &mut Option<String>,
) -> Result<(Basis, Reason<'a>), Reason<'a>> {
    let who = ctx.principal.name();
    match grant {
        Grant::Policy => match find_statement(ctx, Effect::Allow, op, target, arn) {
            Some((policy, statement, sid)) => Ok((
                Basis::Policy,
                Reason::AllowedByPolicy {
                    policy,
                    statement,
                    sid,
                },
            )),
            None if ctx.policies.is_empty() => Err(Reason::NoPolicies { who, op }),
            None => Err(Reason::NoAllowStatement {
                who,
                op,
                policies: ctx.policies,
                arn: arn.get_or_insert_with(|| target.arn(ctx.account)).clone(),
            }),
        },
        Grant::Module(..) | Grant::Admin | Grant::Member | Grant::Roles(_) => match target {
            Target::Workspace(w) => check_workspace_grant(who, grant, w),
            _ => Err(Reason::NotAWorkspace { target: *target }),
        },
        Grant::Global(module, level) => {
            if level <= Level::ReadOnly {
                return Ok((Basis::TenantMember, Reason::TenantMemberReads { module }));
            }
            match ctx.tenant_roles.iter().find(|r| r.level(module) >= level) {
                Some(role) => Ok((
                    Basis::TenantRole,
                    Reason::AllowedByTenantRole { role, module },
                )),
                None => Err(Reason::NoTenantRole {
                    who,
                    module,
                    level,
                    roles: ctx.tenant_roles,
                }),
            }
        }
        Grant::TenantMember => Ok((Basis::TenantMember, Reason::EveryTenantMember)),
        Grant::Oneself => match target {
            Target::RamUser(u) if *u == who => Ok((Basis::Oneself, Reason::Oneself { who })),
            _ => Err(Reason::NotOneself {
                who,
                target: *target,
            }),
        },
    }
}

/// The grant paths that look at the principal's roles in the target workspace.
fn check_workspace_grant<'a>(
    who: &'a str,
    grant: Grant,
    w: &WorkspaceTarget<'a>,
) -> Result<(Basis, Reason<'a>), Reason<'a>> {
    let workspace = w.name;
    let Some(roles) = w.roles else {
        return Err(Reason::NotMember { who, workspace });
    };
    match grant {
        Grant::Module(module, level) => match roles.iter().find(|r| r.level(module) >= level) {
            Some(role) => Ok((
                Basis::WorkspaceRole,
                Reason::AllowedByRole {
                    role,
                    workspace,
                    module: Some(module),
                },
            )),
            None => Err(Reason::NoRoleGrants {
                who,
                workspace,
                module,
                level,
                roles,
            }),
        },
        Grant::Admin => match roles.iter().find(|r| r.is_admin()) {
            Some(role) => Ok((
                Basis::WorkspaceRole,
                Reason::AllowedByRole {
                    role,
                    workspace,
                    module: None,
                },
            )),
            None => Err(Reason::NotAdmin {
                who,
                workspace,
                roles,
            }),
        },
        Grant::Roles(allowed) => match roles
            .iter()
            .find(|r| matches!(r, WorkspaceRole::Builtin(b) if allowed.contains(b)))
        {
            Some(role) => Ok((
                Basis::WorkspaceRole,
                Reason::AllowedByRole {
                    role,
                    workspace,
                    module: None,
                },
            )),
            None => Err(Reason::NoneOfRoles {
                who,
                workspace,
                allowed,
                roles,
            }),
        },
        _ => Ok((
            Basis::WorkspaceRole,
            Reason::Member {
                who,
                workspace,
                roles,
            },
        )),
    }
}

/// Decides whether the context's principal may perform `op` on `target`.
pub fn authorize<'a>(ctx: &Ctx<'a>, op: Op, target: &Target<'a>) -> Decision<'a> {
    let spec = op.spec();
    if spec.resource != target.kind() {
        return Decision::deny(
            Basis::BadTarget,
            vec![Reason::BadTarget {
                op,
                target: *target,
            }],
        );
    }
    // Gates hold for everyone, the account included: they are facts, not permissions.
    if let Some(feature) = spec.feature
        && !ctx.edition.includes(feature)
    {
        return Decision::deny(
            Basis::EditionGate,
            vec![Reason::Edition {
                feature,
                have: ctx.edition,
            }],
        );
    }
    if let Some(region) = target.region()
        && region != ctx.region
    {
        return Decision::deny(
            Basis::OtherRegion,
            vec![Reason::OtherRegion {
                target: *target,
                session: ctx.region,
            }],
        );
    }
    if let Target::Workspace(w) = target
        && w.status == WorkspaceStatus::Disabled
        && spec.mode == Mode::Write
    {
        return Decision::deny(
            Basis::WorkspaceDisabled,
            vec![Reason::Disabled { workspace: w.name }],
        );
    }

    if ctx.principal.is_account() {
        return Decision::allow(
            Basis::Account,
            Reason::Account {
                who: ctx.principal.name(),
            },
        );
    }

    let mut arn = None;
    if let Some((policy, statement, sid)) = find_statement(ctx, Effect::Deny, op, target, &mut arn)
    {
        return Decision::deny(
            Basis::ExplicitDeny,
            vec![Reason::ExplicitDeny {
                policy,
                statement,
                sid,
            }],
        );
    }

    let mut reasons = Vec::with_capacity(spec.grants.len());
    for &grant in spec.grants {
        match check_grant(ctx, op, grant, target, &mut arn) {
            Ok((basis, reason)) => return Decision::allow(basis, reason),
            Err(reason) => reasons.push(reason),
        }
    }
    let basis = match target {
        Target::Workspace(w) if w.roles.is_none() && spec.mode != Mode::Create => Basis::NotMember,
        _ => Basis::ImplicitDeny,
    };
    // Nothing stays silent: a statement written for this operation that can never match here.
    for p in ctx.policies.iter().filter(|p| p.policy.has_absent_keys()) {
        for (statement, st) in p.policy.statements_for(op) {
            if let Some(key) = st.absent_key() {
                reasons.push(Reason::AbsentKey {
                    policy: p.name,
                    statement,
                    key,
                });
            }
        }
    }
    Decision::deny(basis, reasons)
}

/// May the principal give `role` to a member of the workspace? Granting must be allowed
/// (`op`: CreateProjectMember or GrantMemberProjectRoles), Project Owner is never handed out
/// (it is the account's), and a Workspace Manager gives only the roles seed 004 lists and custom
/// roles.
pub fn authorize_role_grant<'a>(
    ctx: &Ctx<'a>,
    op: Op,
    ws: WorkspaceTarget<'a>,
    role: &RoleRef,
) -> Decision<'a> {
    let decision = authorize(ctx, op, &Target::Workspace(ws));
    if !decision.allowed {
        return decision;
    }
    match role {
        RoleRef::Builtin(BuiltinRole::ProjectOwner) => {
            Decision::deny(Basis::Assignment, vec![Reason::ProjectOwnerNotAssignable])
        }
        _ if ctx.principal.is_account() => decision,
        RoleRef::Builtin(b) if !b.assignable_by_manager() => Decision::deny(
            Basis::Assignment,
            vec![Reason::ManagerCannotAssign { role: *b }],
        ),
        _ => decision,
    }
}
