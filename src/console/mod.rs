//! The one API every front end calls (DESIGN §1): Session → operation → authorize → validate →
//! transact with its audit record → typed result. Lists return only what the session may see.

mod access;
mod advisor;
mod apply;
pub mod auth;
mod catalog;
pub use catalog::Modify;
pub mod clusters;
mod config;
mod connectivity;
mod demo;
mod document;
pub mod error;
pub mod groups;
mod identity;
mod jobs;
pub mod keys;
pub mod logon;
mod management;
pub mod mfa;
pub mod policy_versions;
pub mod records;
mod resources;
pub mod sessions;
mod shelf;
mod tenant;
mod updates;
mod workspaces;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use crate::authz::{
    self, AttachedPolicy, Basis, Ctx, Op, Policy, Target, Verdict, WorkspaceTarget,
};
use crate::domain::audit::{AuditEvent, Outcome};
use crate::domain::role::CustomRole;
use crate::domain::tenant_role::{CustomTenantRole, TenantRoleRef};
use crate::domain::{Principal, RoleRef, Scope, TenantRole, Timestamp, Workspace, WorkspaceRole};
use crate::store::{Store, T, Tx, TxResult, key, prefix};

pub use access::{AccessAnswer, AccessMatrix, CellAccess, MATRIX_ACTIONS};
pub use advisor::Advice;
pub use apply::{ApplyReport, PlanLine, Verb, read_document};
pub use connectivity::TestPlan;
pub use error::{ConsoleError, Result};
pub use jobs::SYSTEM;
pub use management::{
    AlertUsage, PendingWebhook, PreparedAlert, TenantMemberView, TenantRoleView, WEBHOOK_TIMEOUT,
};
pub use records::{PolicyRecord, Tenant, UserRecord};
pub use resources::{DataSourceInput, NewCompute};
pub use workspaces::{MemberView, RoleView, WorkspaceRow};

/// Where time comes from. Injected so tests move time instead of sleeping.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        chrono::Utc::now()
    }
}

/// A clock that says what it is told and moves only when moved: for tests and reproducible
/// demos. Clones share the time, so a test keeps one to move the console's.
#[derive(Debug, Clone)]
pub struct ManualClock(std::sync::Arc<std::sync::Mutex<Timestamp>>);

impl ManualClock {
    pub fn new(at: Timestamp) -> Self {
        ManualClock(std::sync::Arc::new(std::sync::Mutex::new(at)))
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Who acts, through which front end, in which region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub principal: Principal,
    pub scope: Scope,
    pub region: String,
    /// Where the session comes from (the SSH client's address, or this machine), for the
    /// conditions that ask.
    pub origin: crate::authz::Origin,
}

impl Session {
    pub fn who(&self) -> &str {
        self.principal.name()
    }
}

/// The caller's policies and tenant roles, loaded once per console call.
struct Caller {
    policies: Vec<(String, Arc<Policy>)>,
    tenant_roles: Vec<TenantRole>,
}

pub struct Console {
    store: Store,
    clock: Box<dyn Clock>,
    tenant: RwLock<Tenant>,
    /// Compiled custom policies by name; dropped when a policy changes.
    policy_cache: Mutex<HashMap<String, Arc<Policy>>>,
    vault: auth::Vault,
    /// Every job's length from `DWC_JOB_SECONDS`, else each kind's own.
    job_seconds: Option<u64>,
    lockout: RwLock<logon::Lockout>,
    /// One advance at a time in this process: a job step runs once however many callers tick.
    advancing: Mutex<()>,
    /// Open sessions and the change feed (DESIGN §12).
    sessions: Arc<sessions::Sessions>,
    /// What other processes sharing the store (PostgreSQL) have committed.
    others: Arc<sessions::Others>,
    /// What every session reads alike, kept until the next write.
    shelf: Mutex<shelf::Shelf>,
}

const TENANT_KEY: &[u8] = b"tenant";

fn internal(e: impl std::fmt::Display) -> ConsoleError {
    ConsoleError::Internal(e.to_string())
}

/// Aborts a transaction with a console error.
fn fail<R>(e: ConsoleError) -> TxResult<R, ConsoleError> {
    crate::store::abort(e)
}

impl Console {
    /// Creates a tenant in `dir`. `password` is required unless the store is open (a demo).
    pub fn init(
        dir: &Path,
        tenant: Tenant,
        password: Option<&str>,
        clock: Box<dyn Clock>,
    ) -> Result<Console> {
        crate::domain::names::account_name(&tenant.account)?;
        crate::domain::region::region("region", &tenant.default_region)?;
        auth::check_configured()?;
        let mut tenant = tenant;
        if !tenant.open {
            let password = password.ok_or_else(|| {
                ConsoleError::invalid("password", "is required (set DWC_PASSWORD)")
            })?;
            auth::check_password("password", password)?;
            tenant.account_hash = Some(auth::hash_password(password)?);
        }
        let store = Store::open(dir, true)?;
        if store.has(T::Meta, TENANT_KEY)? {
            return Err(crate::store::StoreError::Exists(dir.display().to_string()).into());
        }
        let vault = auth::Vault::create_or_load(dir)?;
        store.transact(|tx| tx.put(T::Meta, TENANT_KEY, &tenant))?;
        let c = Console {
            store,
            clock,
            tenant: RwLock::new(tenant),
            policy_cache: Mutex::default(),
            vault,
            job_seconds: jobs::job_seconds_from_env()?,
            lockout: RwLock::default(),
            advancing: Mutex::default(),
            sessions: Arc::default(),
            others: Arc::default(),
            shelf: Mutex::default(),
        };
        c.hear_others();
        c.arm_timers(false)?;
        Ok(c)
    }

    pub fn open(dir: &Path, clock: Box<dyn Clock>) -> Result<Console> {
        let c = Console::open_for_command(dir, clock)?;
        c.hear_others();
        Ok(c)
    }

    /// A console for one command, which ends before what other processes commit matters to
    /// it: it does not listen for their announcements (on PostgreSQL a connection of its own,
    /// paid for at every start) until [`Console::hear_others`] is called.
    pub fn open_for_command(dir: &Path, clock: Box<dyn Clock>) -> Result<Console> {
        auth::check_configured()?;
        let store = Store::open(dir, false)?;
        Console::open_quiet(dir, store, clock)
    }

    /// A console on a store already open in `dir`.
    pub(super) fn open_store(dir: &Path, store: Store, clock: Box<dyn Clock>) -> Result<Console> {
        let c = Console::open_quiet(dir, store, clock)?;
        c.hear_others();
        Ok(c)
    }

    /// A console on a store already open in `dir`, not yet listening for other processes.
    fn open_quiet(dir: &Path, store: Store, clock: Box<dyn Clock>) -> Result<Console> {
        auth::check_configured()?;
        let tenant: Tenant = store.get(T::Meta, TENANT_KEY)?.ok_or_else(|| {
            ConsoleError::Store(
                crate::store::StoreError::Missing(dir.display().to_string()).to_string(),
            )
        })?;
        let vault = auth::Vault::load(dir)?;
        let c = Console {
            store,
            clock,
            tenant: RwLock::new(tenant),
            policy_cache: Mutex::default(),
            vault,
            job_seconds: jobs::job_seconds_from_env()?,
            lockout: RwLock::default(),
            advancing: Mutex::default(),
            sessions: Arc::default(),
            others: Arc::default(),
            shelf: Mutex::default(),
        };
        c.arm_timers(false)?;
        Ok(c)
    }

    pub fn tenant(&self) -> Tenant {
        self.catch_up();
        self.tenant
            .read()
            .map(|t| t.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A private view of this console to try a batch of changes on: same tenant, secrets key
    /// and job lengths, its clock stopped at this moment so the batch happens at one instant.
    /// Nothing done to it reaches this console until [`Console::adopt`].
    fn shadow(&self) -> Result<Console> {
        Ok(Console {
            store: self.store.shadow()?,
            clock: Box::new(ManualClock::new(self.now())),
            tenant: RwLock::new(self.tenant()),
            policy_cache: Mutex::default(),
            vault: self.vault.clone(),
            job_seconds: self.job_seconds,
            lockout: RwLock::new(self.lockout()),
            advancing: Mutex::default(),
            // A shadow's changes are nobody's news until they are adopted.
            sessions: Arc::default(),
            others: Arc::default(),
            shelf: Mutex::default(),
        })
    }

    /// Takes everything a shadow has become, in one transaction; returns how many records changed.
    fn adopt(&self, shadow: Console) -> Result<usize> {
        let n = self.store.adopt(&shadow.store)?;
        *self.tenant.write().unwrap_or_else(|e| e.into_inner()) = shadow.tenant();
        self.policy_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        Ok(n)
    }

    /// Checks who someone is at this machine (the CLI, the local console). `user` `None` means
    /// the account. An open store takes no password. A failure is audited and says nothing
    /// about which part was wrong.
    pub fn authenticate(
        &self,
        user: Option<&str>,
        password: Option<&str>,
        scope: Scope,
        region: &str,
    ) -> Result<Session> {
        self.authenticate_changing(user, password, None, scope, region)
    }

    /// `authenticate`, giving a new password for a one-time one (`DWC_CHANGE_PASSWORD`).
    pub fn authenticate_changing(
        &self,
        user: Option<&str>,
        password: Option<&str>,
        new_password: Option<&str>,
        scope: Scope,
        region: &str,
    ) -> Result<Session> {
        self.authenticate_with(user, password, new_password, None, scope, region)
    }

    /// `authenticate_changing` with the code of the user's MFA device (`DWC_MFA_CODE`).
    pub fn authenticate_with(
        &self,
        user: Option<&str>,
        password: Option<&str>,
        new_password: Option<&str>,
        mfa_code: Option<&str>,
        scope: Scope,
        region: &str,
    ) -> Result<Session> {
        self.log_on(logon::LogOnRequest {
            new_password,
            mfa_code,
            user,
            credential: match password {
                Some(p) => logon::Credential::Password(p),
                None => logon::Credential::Nothing,
            },
            scope,
            region,
            source: "local",
            via: match scope {
                Scope::Page => "console",
                Scope::OpenAPI => "cli",
            },
            audit_success: false,
        })
    }

    fn caller(&self, s: &Session) -> Result<Caller> {
        self.caller_and(s, &[])
    }

    /// The caller, with `also` (prefixes of trees the call reads next) asked for in the same
    /// round trip as the caller's own records on a database.
    fn caller_and(&self, s: &Session, also: &[(T, &[u8])]) -> Result<Caller> {
        self.catch_up();
        if s.principal.is_account() {
            return Ok(Caller {
                policies: Vec::new(),
                tenant_roles: Vec::new(),
            });
        }
        let who = s.who();
        let mine = prefix(who);
        let mut ranges = vec![
            (T::Attachments, mine.as_slice()),
            (T::UserGroups, mine.as_slice()),
        ];
        ranges.extend_from_slice(also);
        self.store
            .prefetch(&ranges, &[(T::TenantMembers, who.as_bytes())]);
        let mut policies = Vec::new();
        for k in self.store.keys(T::Attachments, &prefix(who))? {
            let name = crate::store::last_part(&k);
            if let Some(p) = self.compiled_policy(&name)? {
                policies.push((name, p));
            }
        }
        // A group's policies are the member's too, named so the trace says where they came from.
        for (name, group) in self.group_policies(who)? {
            if let Some(p) = self.compiled_policy(&name)? {
                policies.push((groups::via_group(&name, &group), p));
            }
        }
        let tenant_roles = match self
            .store
            .get::<records::TenantMemberRecord>(T::TenantMembers, who.as_bytes())?
        {
            None => Vec::new(),
            Some(r) => r
                .roles
                .iter()
                .filter_map(|role| match role {
                    TenantRoleRef::Builtin(b) => Some(Ok(TenantRole::Builtin(*b))),
                    TenantRoleRef::Custom(n) => match self
                        .store
                        .get::<CustomTenantRole>(T::TenantRoles, n.as_bytes())
                    {
                        Ok(Some(c)) => Some(Ok(TenantRole::Custom(c))),
                        Ok(None) => None,
                        Err(e) => Some(Err(e)),
                    },
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        Ok(Caller {
            policies,
            tenant_roles,
        })
    }

    fn compiled_policy(&self, name: &str) -> Result<Option<Arc<Policy>>> {
        if let Some(p) = authz::system::system_policy(name) {
            return Ok(Some(Arc::new(p.clone())));
        }
        let mut cache = self.policy_cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = cache.get(name) {
            return Ok(Some(p.clone()));
        }
        let Some(rec) = self
            .store
            .get::<PolicyRecord>(T::Policies, name.as_bytes())?
        else {
            return Ok(None);
        };
        let p = Arc::new(Policy::parse_stored(&rec.document).map_err(internal)?);
        cache.insert(name.to_owned(), p.clone());
        Ok(Some(p))
    }

    fn forget_policy(&self, name: &str) {
        self.policy_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(name);
    }

    /// The roles of `user` in a workspace, resolved; `None` when not a member.
    fn roles_in(&self, workspace: &str, user: &str) -> Result<Option<Vec<WorkspaceRole>>> {
        match self
            .store
            .get::<crate::domain::workspace::Member>(T::Members, &key(&[workspace, user]))?
        {
            Some(m) => self.roles_of(workspace, &m).map(Some),
            None => Ok(None),
        }
    }

    /// A member's roles, custom ones as the workspace defines them.
    fn roles_of(
        &self,
        workspace: &str,
        m: &crate::domain::workspace::Member,
    ) -> Result<Vec<WorkspaceRole>> {
        let mut out = Vec::with_capacity(m.roles.len());
        for r in &m.roles {
            match r {
                RoleRef::Builtin(b) => out.push(WorkspaceRole::Builtin(*b)),
                RoleRef::Custom(n) => {
                    if let Some(c) = self
                        .store
                        .get::<CustomRole>(T::Roles, &key(&[workspace, n]))?
                    {
                        out.push(WorkspaceRole::Custom(c));
                    }
                }
            }
        }
        Ok(out)
    }

    fn decide(&self, s: &Session, caller: &Caller, op: Op, target: &Target) -> Verdict {
        self.judge(s, caller, op, target, |d| d.verdict())
    }

    /// Whether `caller` may: `decide` without writing out its reasons, for the many questions
    /// of one listing or export.
    fn allows(&self, s: &Session, caller: &Caller, op: Op, target: &Target) -> bool {
        self.judge(s, caller, op, target, |d| d.allowed)
    }

    /// The decision on `op` for `caller`, read by `f`.
    fn judge<R>(
        &self,
        s: &Session,
        caller: &Caller,
        op: Op,
        target: &Target,
        f: impl FnOnce(&authz::Decision) -> R,
    ) -> R {
        self.catch_up();
        let tenant = self.tenant.read().unwrap_or_else(|e| e.into_inner());
        let attached: Vec<AttachedPolicy> = caller
            .policies
            .iter()
            .map(|(name, policy)| AttachedPolicy { name, policy })
            .collect();
        let ctx = Ctx {
            account: &tenant.account,
            principal: &s.principal,
            scope: s.scope,
            region: &s.region,
            now: self.now(),
            edition: tenant.edition,
            policies: &attached,
            tenant_roles: &caller.tenant_roles,
            origin: s.origin,
        };
        f(&authz::authorize(&ctx, op, target))
    }

    /// What this session may do, for key hints and `dwc can`: asks without auditing.
    pub fn can(&self, s: &Session, op: Op, target: &Target) -> Result<Verdict> {
        Ok(self.decide(s, &self.caller(s)?, op, target))
    }

    /// Authorizes or fails with a typed error; denials are audited. Targets another region or a
    /// workspace the caller is not a member of turn into NotFound: for them it does not exist.
    fn require(&self, s: &Session, op: Op, target: &Target, label: &str) -> Result<()> {
        let caller = self.caller(s)?;
        let v = self.decide(s, &caller, op, target);
        if v.allowed {
            return Ok(());
        }
        self.audit_attempt(
            s.who(),
            s.scope,
            &s.region,
            op.action(),
            label,
            Outcome::Denied,
            &v.trace.join("; "),
        );
        Err(match v.basis {
            Basis::NotMember | Basis::OtherRegion => ConsoleError::NotFound(label.to_owned()),
            Basis::EditionGate => ConsoleError::Unavailable(v.trace.join("; ")),
            Basis::WorkspaceDisabled => ConsoleError::Conflict(v.trace.join("; ")),
            _ => ConsoleError::Denied {
                action: op.action().to_owned(),
                target: label.to_owned(),
                explanation: v.trace,
            },
        })
    }

    /// A purchase needs both halves (DESIGN §4, as the vendor states it): the DataWorks
    /// operation and its BSS order action. AliyunDataWorksFullAccess manages but cannot buy. A
    /// refusal names the half that is missing.
    fn require_purchase(
        &self,
        s: &Session,
        (op, target): (Op, &Target),
        bss: Op,
        label: &str,
    ) -> Result<()> {
        let caller = self.caller(s)?;
        let dw = self.decide(s, &caller, op, target);
        let bill = self.decide(s, &caller, bss, &Target::Billing);
        if dw.allowed && bill.allowed {
            return Ok(());
        }
        if !dw.allowed && dw.basis != Basis::ExplicitDeny && dw.basis != Basis::ImplicitDeny {
            // Not found, another region, an edition gate: as any other operation says it.
            return self.require(s, op, target, label);
        }
        let mut explanation = Vec::new();
        let half = |what: &str, name: &str, v: &Verdict, out: &mut Vec<String>| {
            if v.allowed {
                out.push(format!("{what} half ({name}): {}", v.trace.join("; ")));
            } else {
                out.push(format!("missing the {what} half ({name}):"));
                out.extend(v.trace.iter().map(|l| format!("  {l}")));
            }
        };
        half("DataWorks", op.action(), &dw, &mut explanation);
        half(
            "BSS",
            &format!("{}, e.g. AliyunBSSOrderAccess", bss.action()),
            &bill,
            &mut explanation,
        );
        explanation.insert(
            0,
            "a purchase needs both the DataWorks permission and the BSS order permission".into(),
        );
        let denied = if dw.allowed { bss } else { op };
        self.audit_attempt(
            s.who(),
            s.scope,
            &s.region,
            denied.action(),
            label,
            Outcome::Denied,
            &explanation.join("; "),
        );
        Err(ConsoleError::Denied {
            action: denied.action().to_owned(),
            target: label.to_owned(),
            explanation,
        })
    }

    /// The workspace target for an authorization question, with the caller's roles in it.
    fn ws_target<'a>(
        &self,
        s: &Session,
        ws: &'a Workspace,
        roles: &'a Option<Vec<WorkspaceRole>>,
    ) -> Target<'a> {
        let _ = s;
        Target::Workspace(WorkspaceTarget {
            name: &ws.name,
            region: &ws.region,
            status: ws.status,
            roles: roles.as_deref(),
        })
    }

    /// Writes an audit record on its own (denials, failures, log-on attempts). Best effort: an
    /// audit write failing must not hide the error the person is about to see.
    fn audit_attempt(
        &self,
        who: &str,
        scope: Scope,
        region: &str,
        action: &str,
        target: &str,
        outcome: Outcome,
        detail: &str,
    ) {
        // A refused value may be anything a person typed: recorded shortened.
        let ev = AuditEvent {
            at: self.now(),
            principal: clip(who, 64),
            scope,
            region: clip(region, 64),
            action: action.to_owned(),
            target: clip(target, 256),
            outcome,
            detail: clip(detail, 1024),
        };
        let _ = self
            .store
            .transact::<_, ConsoleError>(|tx| append_audit(tx, &ev));
    }

    /// Runs one change: `body` inside a transaction that also appends the audit record, flushed
    /// before returning. A failure is audited as failed and changes nothing.
    fn change<R>(
        &self,
        s: &Session,
        op: Op,
        target: &str,
        body: impl Fn(&Tx) -> TxResult<R, ConsoleError>,
    ) -> Result<R> {
        self.change_noted(s, op, target, (Outcome::Ok, String::new()), body)
    }

    /// `change`, recording what came of it when that is not simply "ok" (a connectivity test
    /// that was stored but found the source unreachable).
    fn change_noted<R>(
        &self,
        s: &Session,
        op: Op,
        target: &str,
        (outcome, detail): (Outcome, String),
        body: impl Fn(&Tx) -> TxResult<R, ConsoleError>,
    ) -> Result<R> {
        let ev = AuditEvent {
            at: self.now(),
            principal: s.who().to_owned(),
            scope: s.scope,
            region: s.region.clone(),
            action: op.action().to_owned(),
            target: target.to_owned(),
            outcome,
            detail,
        };
        let change = sessions::Change {
            who: ev.principal.clone(),
            action: ev.action.clone(),
            target: ev.target.clone(),
            region: ev.region.clone(),
        };
        let note = self.others.note(&change);
        let result = self.store.transact(|tx| {
            let r = body(tx)?;
            append_audit(tx, &ev)?;
            tx.notify(&note);
            Ok(r)
        });
        if result.is_ok() {
            self.sessions.publish(change);
        }
        result.map_err(|e| {
            let e = ConsoleError::from(e);
            self.audit_attempt(
                s.who(),
                s.scope,
                &s.region,
                op.action(),
                target,
                Outcome::Failed,
                &e.to_string(),
            );
            e
        })
    }

    /// Runs a change whose validation happens before the transaction (so its failure is audited
    /// as failed too).
    fn checked<R>(&self, s: &Session, op: Op, target: &str, r: Result<R>) -> Result<R> {
        r.inspect_err(|e| {
            self.audit_attempt(
                s.who(),
                s.scope,
                &s.region,
                op.action(),
                target,
                Outcome::Failed,
                &e.to_string(),
            );
        })
    }
}

/// `s` cut to `max` characters with an ellipsis, as the audit log keeps values.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

fn append_audit(tx: &Tx, ev: &AuditEvent) -> TxResult<(), ConsoleError> {
    let id = tx.next_id()?;
    tx.put(T::Audit, &id.to_be_bytes(), ev)
}
