//! Configuration as code, the apply half (`dwc apply`): bring the store to what an export
//! document says. Every step is an ordinary console call made as the session's user, so each is
//! authorized, validated and audited exactly as if typed by hand. The steps run on a shadow of
//! the store (its writes kept aside, laid over what the store holds); only when all of them
//! succeeded, and planning again on the result finds nothing left to do, does the store adopt
//! the shadow's writes — in one transaction. A dry run plans on the shadow and throws it away,
//! so even a dry run sees what an earlier step would make (a member of a workspace the file
//! creates).

mod desired;

/// Reads an apply document as `dwc apply` does before touching any store, and says which
/// account it is for: the part of apply that takes untrusted text (fuzzed, `fuzz/`).
pub fn read_document(text: &str) -> super::Result<String> {
    desired::parse_text("document", text).map(|p| p.account)
}

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::domain::audit::Outcome;
use crate::domain::compute::ComputeType;
use crate::domain::datasource::ConnectionInput;
use crate::domain::module::GlobalLevels;
use crate::domain::region::REGIONS;
use crate::domain::resource_group::{
    NewResourceGroup, Payment as RgPayment, ResourceGroup, RgStatus,
};
use crate::domain::role::RoleRef;
use crate::domain::tenant_role::TenantRoleRef;
use crate::domain::workspace::{NewWorkspace, WorkspaceMode, WorkspacePatch};

use self::desired::{Desired, Group, Payment, User, Workspace};
use super::error::{ConsoleError, Result};
use super::resources::{DataSourceInput, NewCompute};
use super::{Console, Session};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verb {
    Create,
    Update,
    Delete,
    /// Cannot happen yet (a resource group still being created); a later apply will do it.
    Wait,
}

impl Verb {
    pub fn word(self) -> &'static str {
        match self {
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Delete => "delete",
            Verb::Wait => "wait",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanLine {
    pub action: Verb,
    pub item: String,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct ApplyReport {
    pub plan: Vec<PlanLine>,
    /// False for a dry run, and when there was nothing to change.
    pub applied: bool,
    /// Store records the transaction wrote or removed (audit events included).
    pub records: usize,
    /// The users the apply created, with the one-time password each must change at first
    /// log-on (the same for all when DWC_NEW_PASSWORD gave it); empty for a dry run.
    pub one_time_passwords: Vec<(String, String)>,
    /// The users a dry run would create with a one-time password.
    pub need_passwords: Vec<String>,
}

impl ApplyReport {
    pub fn count(&self, verb: Verb) -> usize {
        self.plan.iter().filter(|l| l.action == verb).count()
    }

    pub fn changes(&self) -> usize {
        self.plan.iter().filter(|l| l.action != Verb::Wait).count()
    }
}

impl Console {
    /// Applies the export document `text` (read from `source`, which names it in messages).
    /// A failure changes nothing and is audited as a failed `dwc:Apply`.
    pub fn apply(
        &self,
        s: &Session,
        source: &str,
        text: &str,
        dry_run: bool,
    ) -> Result<ApplyReport> {
        self.apply_with(s, source, text, dry_run, None)
    }

    /// `apply`, with the one-time password new users get (else one is made for each).
    pub fn apply_with(
        &self,
        s: &Session,
        source: &str,
        text: &str,
        dry_run: bool,
        new_password: Option<&str>,
    ) -> Result<ApplyReport> {
        let result = self.apply_text(s, source, text, dry_run, new_password);
        if let Err(e) = &result {
            let outcome = match e {
                ConsoleError::Denied { .. } => Outcome::Denied,
                _ => Outcome::Failed,
            };
            self.audit_attempt(
                s.who(),
                s.scope,
                &s.region,
                "dwc:Apply",
                source,
                outcome,
                &format!("{e}; nothing was applied"),
            );
        }
        result
    }

    fn apply_text(
        &self,
        s: &Session,
        source: &str,
        text: &str,
        dry_run: bool,
        new_password: Option<&str>,
    ) -> Result<ApplyReport> {
        let parsed = desired::parse_text(source, text)?;
        let account = self.tenant().account;
        if parsed.account != account {
            return Err(ConsoleError::invalid(
                "account",
                format!(
                    "the document is for account {}; this store belongs to {account}",
                    parsed.account
                ),
            ));
        }
        let want = FreedAside(Some(parsed.desired));
        let want: &Desired = &want;
        // Planning alone reads the store and changes nothing: when it finds nothing to do, no
        // shadow is needed.
        let mut plan = Applier::new(self, s, false);
        let have = plan.read(want)?;
        plan.all_from(want, &have)?;
        if plan.plan.iter().all(|l| l.action == Verb::Wait) {
            return Ok(ApplyReport {
                plan: plan.plan,
                applied: false,
                records: 0,
                one_time_passwords: Vec::new(),
                need_passwords: Vec::new(),
            });
        }
        // The shadow reads as the store does until it writes, so what the plan read it holds.
        let shadow = self.shadow()?;
        let mut run = Applier::new(&shadow, s, true);
        run.new_password = new_password.map(str::to_owned);
        run.all_from(want, &have)?;
        let mut check = Applier::new(&shadow, s, false);
        check.all(want)?;
        if let Some(left) = check.plan.iter().find(|l| l.action != Verb::Wait) {
            return Err(ConsoleError::Internal(format!(
                "apply does not converge: after applying, it would still {} {} ({})",
                left.action.word(),
                left.item,
                left.detail
            )));
        }
        let created: Vec<(String, String)> = std::mem::take(&mut run.issued);
        let mut report = ApplyReport {
            plan: run.plan,
            applied: false,
            records: 0,
            one_time_passwords: Vec::new(),
            need_passwords: created.iter().map(|(u, _)| u.clone()).collect(),
        };
        if dry_run || report.changes() == 0 {
            return Ok(report);
        }
        report.one_time_passwords = created;
        shadow.audit_attempt(
            s.who(),
            s.scope,
            &s.region,
            "dwc:Apply",
            source,
            Outcome::Ok,
            &format!(
                "{} created, {} updated, {} deleted",
                report.count(Verb::Create),
                report.count(Verb::Update),
                report.count(Verb::Delete)
            ),
        );
        report.records = self.adopt(shadow)?;
        report.applied = true;
        self.sessions.publish(super::sessions::Change {
            who: s.who().to_owned(),
            action: "dwc:Apply".into(),
            target: source.to_owned(),
            region: s.region.clone(),
        });
        Ok(report)
    }
}

/// Holds a parsed document and frees it on a thread of its own when done: freeing a whole
/// tenant's document takes tens of milliseconds nobody needs to wait for.
struct FreedAside<T: Send + 'static>(Option<T>);

impl<T: Send + 'static> std::ops::Deref for FreedAside<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.0.as_ref().expect("held until dropped")
    }
}

impl<T: Send + 'static> Drop for FreedAside<T> {
    fn drop(&mut self) {
        if let Some(v) = self.0.take() {
            // Without a thread to spare, it is freed here.
            let _ = std::thread::Builder::new()
                .name("dwc-free".into())
                .spawn(move || drop(v));
        }
    }
}

/// Says which step failed while keeping the error's kind (and so the CLI's exit code).
fn in_step(e: ConsoleError, verb: Verb, item: &str) -> ConsoleError {
    let during = |m: String| format!("{m} (while trying to {} {item})", verb.word());
    match e {
        ConsoleError::NotFound(m) => ConsoleError::NotFound(during(m)),
        ConsoleError::Invalid { field, reason } => ConsoleError::Invalid {
            field,
            reason: during(reason),
        },
        ConsoleError::Conflict(m) => ConsoleError::Conflict(during(m)),
        ConsoleError::Unavailable(m) => ConsoleError::Unavailable(during(m)),
        ConsoleError::Store(m) => ConsoleError::Store(during(m)),
        ConsoleError::Internal(m) => ConsoleError::Internal(during(m)),
        e @ (ConsoleError::Denied { .. }
        | ConsoleError::Unauthenticated
        | ConsoleError::LockedOut { .. }
        | ConsoleError::PasswordChangeRequired(_)
        | ConsoleError::MfaRequired(_)) => e,
    }
}

/// What apply will not do from a file, with what to do instead.
fn refuse(item: &str, why: &str) -> ConsoleError {
    ConsoleError::Conflict(format!("{item}: {why}"))
}

fn quoted(v: &Option<String>) -> String {
    match v {
        Some(v) => format!("{v:?}"),
        None => "none".to_owned(),
    }
}

/// How one item the document lists differs from the store: missing there, or there but
/// otherwise (what the document wants, then what the store has).
enum Change<'x, T> {
    Create(&'x String, &'x T),
    Update(&'x String, &'x T, &'x T),
}

impl<'x, T> Change<'x, T> {
    fn wanted(&self) -> (&'x String, &'x T) {
        match *self {
            Change::Create(name, w) | Change::Update(name, w, _) => (name, w),
        }
    }
}

/// The items of `want` that the store (`have`, `None` when it has none) lacks or has otherwise.
fn changes<'x, T: PartialEq>(
    want: &'x BTreeMap<String, T>,
    have: Option<&'x BTreeMap<String, T>>,
) -> Vec<Change<'x, T>> {
    want.iter()
        .filter_map(|(name, w)| match have.and_then(|h| h.get(name)) {
            None => Some(Change::Create(name, w)),
            Some(h) if h != w => Some(Change::Update(name, w, h)),
            Some(_) => None,
        })
        .collect()
}

/// What the store has that `want` no longer lists.
fn dropped<'x, T, U>(
    want: &BTreeMap<String, T>,
    have: Option<&'x BTreeMap<String, U>>,
) -> Vec<&'x String> {
    have.into_iter()
        .flat_map(|h| h.keys())
        .filter(|n| !want.contains_key(*n))
        .collect()
}

/// What to add to `have` and take from it to make `want`.
fn set_diff<'x>(
    want: &'x BTreeSet<String>,
    have: &'x BTreeSet<String>,
) -> (Vec<&'x String>, Vec<&'x String>) {
    (
        want.difference(have).collect(),
        have.difference(want).collect(),
    )
}

/// Walks the document section by section, in the order that dependencies need (a policy before
/// the user it is attached to, a custom role before the member holding it, members removed
/// before the users), either doing each step (`run`) or only listing it.
struct Applier<'a> {
    c: &'a Console,
    s: &'a Session,
    run: bool,
    plan: Vec<PlanLine>,
    /// The one-time password new users get; `None`: one made for each.
    new_password: Option<String>,
    /// The users created, with their one-time passwords.
    issued: Vec<(String, String)>,
}

impl<'a> Applier<'a> {
    fn new(c: &'a Console, s: &'a Session, run: bool) -> Self {
        Applier {
            c,
            s,
            run,
            plan: Vec::new(),
            new_password: None,
            issued: Vec::new(),
        }
    }

    fn at(&self, region: &str) -> Session {
        Session {
            region: region.to_owned(),
            ..self.s.clone()
        }
    }

    fn step(
        &mut self,
        verb: Verb,
        item: String,
        detail: String,
        f: impl FnOnce() -> Result<()>,
    ) -> Result<()> {
        if self.run && verb != Verb::Wait {
            f().map_err(|e| in_step(e, verb, &item))?;
        }
        self.plan.push(PlanLine {
            action: verb,
            item,
            detail,
        });
        Ok(())
    }

    fn all(&mut self, want: &Desired) -> Result<()> {
        let have = self.read(want)?;
        self.all_from(want, &have)
    }

    /// What the store holds of the sections `want` manages.
    fn read(&self, want: &Desired) -> Result<Desired> {
        let tenant_wide = want.users.is_some()
            || want.policies.is_some()
            || want.tenant_roles.is_some()
            || want.workspaces.is_some()
            || want.groups.is_some()
            || want.limits.is_some()
            || want.contacts.is_some()
            || want.extensions.is_some()
            || want.user_groups.is_some();
        // A one-workspace document never needs the whole tenant read.
        if tenant_wide {
            // Section by section as the export makes them, never the whole document at once.
            let mut have = Desired::default();
            // A workspace exactly as the file has it needs no step: only its name is kept.
            let mut unchanged = std::collections::BTreeSet::new();
            let mut workspaces = BTreeMap::new();
            self.c.export_sections(
                self.s,
                &mut |head| {
                    have = desired::parse_value(head)?;
                    Ok(())
                },
                &mut |w| {
                    match &want.workspaces {
                        Some(all) if all.get(&w.name) == Some(&w) => {
                            unchanged.insert(w.name);
                        }
                        _ => {
                            workspaces.insert(w.name.clone(), w);
                        }
                    }
                    Ok(())
                },
            )?;
            have.unchanged.extend(unchanged);
            have.workspaces = Some(workspaces);
            Ok(have)
        } else {
            Ok(Desired::default())
        }
    }

    /// Plans (and, when running, takes) every step from `want` and what the store held.
    fn all_from(&mut self, want: &Desired, have: &Desired) -> Result<()> {
        self.edition(want)?;
        self.policies(want, have)?;
        self.tenant_roles(want, have)?;
        self.users(want, have)?;
        self.user_groups(want, have)?;
        self.workspaces(want, have)?;
        self.groups(want)?;
        self.alerts(want, have)?;
        self.extensions(want, have)?;
        self.deletions(want, have)
    }

    fn edition(&mut self, want: &Desired) -> Result<()> {
        let (c, s) = (self.c, self.s);
        let Some(e) = want.edition else { return Ok(()) };
        let now = c.tenant().edition;
        if e != now {
            let detail = format!("{} → {}", now.title(), e.title());
            self.step(Verb::Update, "edition".into(), detail, || {
                c.set_edition(s, e)
            })?;
        }
        Ok(())
    }

    fn policies(&mut self, want: &Desired, have: &Desired) -> Result<()> {
        let (c, s) = (self.c, self.s);
        let Some(want) = &want.policies else {
            return Ok(());
        };
        for change in changes(want, have.policies.as_ref()) {
            let (name, p) = change.wanted();
            let doc = serde_json::to_string_pretty(&p.document)
                .map_err(|e| ConsoleError::Internal(e.to_string()))?;
            let item = format!("policy {name}");
            match change {
                Change::Create(..) => self.step(Verb::Create, item, String::new(), || {
                    c.create_policy(s, name, &p.description, &doc).map(drop)
                })?,
                Change::Update(_, _, h) => {
                    let mut what = Vec::new();
                    if h.description != p.description {
                        what.push(format!(
                            "description {:?} → {:?}",
                            h.description, p.description
                        ));
                    }
                    if h.document != p.document {
                        what.push("a new document version".to_owned());
                    }
                    self.step(Verb::Update, item, what.join(", "), || {
                        c.update_policy(s, name, &p.description, &doc)
                    })?
                }
            }
        }
        Ok(())
    }

    /// User groups the file lists: made when missing, then their members and policies
    /// brought to what it says (those left out removed).
    fn user_groups(&mut self, want: &Desired, have: &Desired) -> Result<()> {
        let (c, s) = (self.c, self.s);
        let Some(want) = &want.user_groups else {
            return Ok(());
        };
        let none = desired::UserGroup::default();
        for (name, g) in want {
            let had = have.user_groups.as_ref().and_then(|h| h.get(name));
            if had.is_none() {
                self.step(
                    Verb::Create,
                    format!("user group {name}"),
                    String::new(),
                    || c.create_group(s, name, &g.description),
                )?;
            }
            self.group_insides(name, g, had.unwrap_or(&none))?;
        }
        Ok(())
    }

    /// A user group's members and policies brought from `have` to `want`.
    fn group_insides(
        &mut self,
        name: &str,
        want: &desired::UserGroup,
        have: &desired::UserGroup,
    ) -> Result<()> {
        let (c, s) = (self.c, self.s);
        let (add, remove) = set_diff(&want.members, &have.members);
        for u in add {
            let item = format!("{u} in user group {name}");
            self.step(Verb::Create, item, String::new(), || {
                c.add_user_to_group(s, name, u)
            })?;
        }
        for u in remove {
            let item = format!("{u} in user group {name}");
            self.step(Verb::Delete, item, String::new(), || {
                c.remove_user_from_group(s, name, u)
            })?;
        }
        let (attach, detach) = set_diff(&want.policies, &have.policies);
        for p in attach {
            let item = format!("policy {p} for user group {name}");
            self.step(Verb::Create, item, String::new(), || {
                c.attach_policy_to_group(s, p, name)
            })?;
        }
        for p in detach {
            let item = format!("policy {p} for user group {name}");
            self.step(Verb::Delete, item, String::new(), || {
                c.detach_policy_from_group(s, p, name)
            })?;
        }
        Ok(())
    }

    fn tenant_roles(&mut self, want: &Desired, have: &Desired) -> Result<()> {
        let (c, s) = (self.c, self.s);
        let Some(want) = &want.tenant_roles else {
            return Ok(());
        };
        for change in changes(want, have.tenant_roles.as_ref()) {
            let (name, levels) = change.wanted();
            let item = format!("tenant role {name}");
            match change {
                Change::Create(..) => self.step(Verb::Create, item, String::new(), || {
                    c.create_tenant_role(s, name, *levels)
                })?,
                Change::Update(_, _, h) => {
                    self.step(Verb::Update, item, global_changes(h, levels), || {
                        c.update_tenant_role(s, name, *levels)
                    })?
                }
            }
        }
        Ok(())
    }

    fn users(&mut self, want: &Desired, have: &Desired) -> Result<()> {
        let (c, s) = (self.c, self.s);
        let Some(want) = &want.users else {
            return Ok(());
        };
        let none = BTreeMap::new();
        let have_all = have.users.as_ref().unwrap_or(&none);
        for (name, u) in want {
            let item = format!("user {name}");
            let display = u.display_name.clone().unwrap_or_else(|| name.clone());
            let have = match have_all.get(name) {
                Some(h) => h.clone(),
                None => {
                    // A restored user gets a one-time password on a store that has passwords.
                    let one_time = (!c.tenant().open).then(|| {
                        self.new_password
                            .clone()
                            .unwrap_or_else(super::auth::one_time_password)
                    });
                    let detail = match &one_time {
                        Some(_) => format!("display name {display:?}, with a one-time password"),
                        None => format!("display name {display:?}"),
                    };
                    self.step(Verb::Create, item.clone(), detail, || match &one_time {
                        Some(pw) => c.create_user_one_time(s, name, &display, pw).map(drop),
                        None => c.create_user(s, name, &display, None).map(drop),
                    })?;
                    if let (true, Some(pw)) = (self.run, one_time) {
                        self.issued.push((name.clone(), pw));
                    }
                    self.fresh_user(name, &display)?
                }
            };
            if u.display_name.is_some() && u.display_name != have.display_name {
                let detail = format!(
                    "display name {} → {}",
                    quoted(&have.display_name),
                    quoted(&u.display_name)
                );
                self.step(Verb::Update, item.clone(), detail, || {
                    c.update_user(s, name, &display).map(drop)
                })?;
            }
            if let (Some(want), Some(have)) = (&u.policies, &have.policies) {
                let (add, remove) = set_diff(want, have);
                for p in add {
                    self.step(
                        Verb::Update,
                        item.clone(),
                        format!("attach policy {p}"),
                        || c.attach_policy(s, p, name),
                    )?;
                }
                for p in remove {
                    self.step(
                        Verb::Update,
                        item.clone(),
                        format!("detach policy {p}"),
                        || c.detach_policy(s, p, name),
                    )?;
                }
            }
            if let (Some(want), Some(have)) = (&u.tenant_roles, &have.tenant_roles) {
                let (add, remove) = set_diff(want, have);
                for r in add {
                    let role = TenantRoleRef::parse(r)?;
                    self.step(
                        Verb::Update,
                        item.clone(),
                        format!("grant tenant role {r}"),
                        || c.grant_tenant_role(s, name, role),
                    )?;
                }
                for r in remove {
                    let role = TenantRoleRef::parse(r)?;
                    self.step(
                        Verb::Update,
                        item.clone(),
                        format!("revoke tenant role {r}"),
                        || c.revoke_tenant_role(s, name, role),
                    )?;
                }
            }
        }
        Ok(())
    }

    /// A user just created (or, when only planning, about to be): what it has from birth.
    fn fresh_user(&self, name: &str, display: &str) -> Result<User> {
        let mut user = User {
            display_name: Some(display.to_owned()),
            policies: Some(BTreeSet::new()),
            tenant_roles: Some(BTreeSet::new()),
        };
        if self.run {
            user.policies = Some(self.c.user_policies(self.s, name)?.into_iter().collect());
            let roles = self.c.user_tenant_roles(name)?;
            user.tenant_roles = Some(roles.iter().map(super::config::tenant_role_slug).collect());
        }
        Ok(user)
    }

    /// The workspace as the store has it now, if it exists (in that region).
    fn current_ws(&self, region: &str, name: &str) -> Result<Option<Workspace>> {
        let rs = self.at(region);
        match self.c.get_workspace(&rs, name) {
            Ok(_) => Ok(Some(desired::workspace(
                &self.c.export_workspace(&rs, name)?,
            )?)),
            Err(ConsoleError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn workspaces(&mut self, want: &Desired, have: &Desired) -> Result<()> {
        match (&want.workspaces, &want.workspace) {
            (Some(all), _) => {
                for (name, w) in all {
                    if have.unchanged.contains(name) {
                        continue;
                    }
                    let w = desired::workspace(w)?;
                    // A whole-tenant plan already read every workspace the session sees.
                    let known = match have.workspaces.as_ref().map(|h| h.get(name)) {
                        Some(Some(h)) => Some(desired::workspace(h)?),
                        Some(None) => None,
                        None => self.current_ws(&w.region, name)?,
                    };
                    self.workspace(name, &w, known)?;
                }
            }
            // A one-workspace plan reads just its own.
            (None, Some((name, w))) => {
                let known = self.current_ws(&w.region, name)?;
                self.workspace(name, w, known)?;
            }
            (None, None) => return Ok(()),
        }
        if let (Some(want_all), Some(have_all)) = (&want.workspaces, &have.workspaces) {
            for (name, h) in have_all {
                if !want_all.contains_key(name) {
                    let (c, rs) = (self.c, self.at(&h.region));
                    let detail = format!("to the recycle bin (region {})", h.region);
                    self.step(Verb::Delete, format!("workspace {name}"), detail, || {
                        c.delete_workspace(&rs, name).map(drop)
                    })?;
                }
            }
        }
        Ok(())
    }

    fn workspace(&mut self, name: &str, w: &Workspace, have: Option<Workspace>) -> Result<()> {
        let c = self.c;
        let rs = self.at(&w.region);
        let item = format!("workspace {name}");
        let have = match have {
            Some(h) => {
                if h.region != w.region {
                    return Err(refuse(
                        &item,
                        &format!("it is in {}; a workspace cannot move regions", h.region),
                    ));
                }
                if w.default.is_some_and(|d| Some(d) != h.default) {
                    return Err(refuse(
                        &item,
                        "the default workspace is the one the tenant was opened with; a file cannot change which it is",
                    ));
                }
                if h.disabled == Some(true) && w.disabled == Some(false) {
                    self.step(Verb::Update, item.clone(), "enable".into(), || {
                        c.enable_workspace(&rs, name).map(drop)
                    })?;
                }
                match (h.mode, w.mode) {
                    (Some(WorkspaceMode::Basic), Some(WorkspaceMode::Standard)) => self.step(
                        Verb::Update,
                        item.clone(),
                        "upgrade Basic → Standard".into(),
                        || c.upgrade_workspace(&rs, name).map(drop),
                    )?,
                    (Some(WorkspaceMode::Standard), Some(WorkspaceMode::Basic)) => {
                        return Err(refuse(
                            &item,
                            "a Standard-mode workspace cannot go back to Basic",
                        ));
                    }
                    _ => {}
                }
                let mut patch = WorkspacePatch::default();
                let mut what = Vec::new();
                if w.display_name.is_some() && w.display_name != h.display_name {
                    what.push(format!(
                        "display name {} → {}",
                        quoted(&h.display_name),
                        quoted(&w.display_name)
                    ));
                    patch.display_name = w.display_name.clone();
                }
                if w.description.is_some() && w.description != h.description {
                    what.push("description".to_owned());
                    patch.description = w.description.clone();
                }
                if !what.is_empty() {
                    self.step(Verb::Update, item.clone(), what.join(", "), || {
                        c.update_workspace(&rs, name, patch).map(drop)
                    })?;
                }
                h
            }
            None => {
                // A restored tenant gets its region's default workspace back (the console
                // refuses when the region has one already).
                let default = w.default == Some(true);
                let input = NewWorkspace {
                    name: name.to_owned(),
                    display_name: w.display_name.clone().unwrap_or_else(|| name.to_owned()),
                    description: w.description.clone().unwrap_or_default(),
                    mode: w.mode,
                };
                let detail = format!(
                    "in {}{}{}",
                    w.region,
                    w.mode
                        .map(|m| format!(", {} mode", m.title()))
                        .unwrap_or_default(),
                    if default {
                        ", the region's default"
                    } else {
                        ""
                    }
                );
                let legacy = w.legacy_data_studio;
                self.step(Verb::Create, item.clone(), detail, || {
                    c.create_restored_workspace(&rs, input, default, legacy)
                        .map(drop)
                })?;
                match self.current_ws(&w.region, name)? {
                    Some(h) if self.run => h,
                    // Only planning: compare the insides with nothing, which lists them all.
                    _ => Workspace::empty(&w.region),
                }
            }
        };
        self.workspace_insides(name, w, &have)?;
        if have.disabled != Some(true) && w.disabled == Some(true) {
            self.step(Verb::Update, item, "disable".into(), || {
                c.disable_workspace(&rs, name).map(drop)
            })?;
        }
        Ok(())
    }

    fn workspace_insides(&mut self, ws: &str, w: &Workspace, have: &Workspace) -> Result<()> {
        self.custom_roles(ws, w, have)?;
        self.members(ws, w, have)?;
        // Custom roles go after the members, who may have held them until now.
        if let Some(want) = &w.custom_roles {
            let (c, rs) = (self.c, self.at(&w.region));
            for name in dropped(want, have.custom_roles.as_ref()) {
                self.step(
                    Verb::Delete,
                    format!("role {name} in {ws}"),
                    String::new(),
                    || c.delete_role(&rs, ws, name),
                )?;
            }
        }
        self.compute(ws, w, have)?;
        self.data_sources(ws, w, have)?;
        self.clusters(ws, w, have)
    }

    /// Registered clusters (of a workspace on the old Data Studio): registered, their version,
    /// endpoints and account mappings brought to the file's, those it leaves out deregistered.
    /// Their files are named only: a restored cluster gets them with `dwc cluster file add`.
    fn clusters(&mut self, ws: &str, w: &Workspace, have: &Workspace) -> Result<()> {
        use super::clusters::{MapFor, NewCluster};
        let Some(want) = &w.clusters else {
            return Ok(());
        };
        let (c, rs) = (self.c, self.at(&w.region));
        for change in changes(want, have.clusters.as_ref()) {
            let (name, x) = change.wanted();
            let item = format!("cluster {name} in {ws}");
            let h = match change {
                Change::Create(..) => {
                    self.step(Verb::Create, item.clone(), x.kind.title().into(), || {
                        c.register_cluster(
                            &rs,
                            ws,
                            NewCluster {
                                name: name.clone(),
                                kind: x.kind,
                                version: x.version.clone(),
                                env: x.env,
                                endpoints: x.endpoints.clone(),
                            },
                        )
                    })?;
                    None
                }
                Change::Update(_, _, h) => Some(h),
            };
            if let Some(h) = h {
                if h.kind != x.kind || h.env != x.env {
                    return Err(refuse(
                        &item,
                        "its type and environment are set when it is registered: deregister it first",
                    ));
                }
                if h.version != x.version || h.endpoints != x.endpoints {
                    let mut endpoints = x.endpoints.clone();
                    for k in h.endpoints.keys().filter(|k| !x.endpoints.contains_key(*k)) {
                        endpoints.insert(k.clone(), String::new());
                    }
                    self.step(
                        Verb::Update,
                        item.clone(),
                        "version and endpoints".into(),
                        || c.update_cluster(&rs, ws, name, Some(&x.version), &endpoints),
                    )?;
                }
            }
            let had_default = h.and_then(|h| h.default_account.as_ref());
            if x.default_account.as_ref() != had_default {
                let detail = format!("default account {}", quoted(&x.default_account));
                self.step(Verb::Update, item.clone(), detail, || {
                    match &x.default_account {
                        Some(a) => c.set_cluster_account(&rs, ws, name, MapFor::Default, a),
                        None => c.remove_cluster_account(&rs, ws, name, MapFor::Default),
                    }
                })?;
            }
            let none = BTreeMap::new();
            let had = h.map_or(&none, |h| &h.accounts);
            for (m, a) in x.accounts.iter().filter(|(m, a)| had.get(*m) != Some(*a)) {
                self.step(
                    Verb::Update,
                    item.clone(),
                    format!("{m} works as {a}"),
                    || c.set_cluster_account(&rs, ws, name, MapFor::Member(m), a),
                )?;
            }
            for m in had.keys().filter(|m| !x.accounts.contains_key(*m)) {
                self.step(
                    Verb::Update,
                    item.clone(),
                    format!("{m}'s account mapping goes"),
                    || c.remove_cluster_account(&rs, ws, name, MapFor::Member(m)),
                )?;
            }
        }
        for name in dropped(want, have.clusters.as_ref()) {
            self.step(
                Verb::Delete,
                format!("cluster {name} in {ws}"),
                "deregister".into(),
                || c.deregister_cluster(&rs, ws, name),
            )?;
        }
        Ok(())
    }

    fn custom_roles(&mut self, ws: &str, w: &Workspace, have: &Workspace) -> Result<()> {
        let Some(want) = &w.custom_roles else {
            return Ok(());
        };
        let (c, rs) = (self.c, self.at(&w.region));
        for change in changes(want, have.custom_roles.as_ref()) {
            let (name, r) = change.wanted();
            let item = format!("role {name} in {ws}");
            let role = r.compute_role.as_deref();
            match change {
                Change::Create(..) => self.step(Verb::Create, item, String::new(), || {
                    c.create_role(&rs, ws, name, r.levels, role)
                })?,
                Change::Update(_, _, h) => {
                    let mut what = vec![module_changes(&h.levels, &r.levels)];
                    if h.compute_role != r.compute_role {
                        what.push(format!(
                            "compute role {} → {}",
                            quoted(&h.compute_role),
                            quoted(&r.compute_role)
                        ));
                    }
                    what.retain(|x| !x.is_empty());
                    self.step(Verb::Update, item, what.join(", "), || {
                        c.update_role(&rs, ws, name, r.levels, role)
                    })?
                }
            }
        }
        Ok(())
    }

    fn members(&mut self, ws: &str, w: &Workspace, have: &Workspace) -> Result<()> {
        let Some(want) = &w.members else {
            return Ok(());
        };
        let (c, rs) = (self.c, self.at(&w.region));
        for change in changes(want, have.members.as_ref()) {
            let (user, roles) = change.wanted();
            let item = format!("member {user} of {ws}");
            match change {
                Change::Create(..) => {
                    let refs = roles
                        .iter()
                        .map(|r| RoleRef::parse(r))
                        .collect::<std::result::Result<Vec<_>, _>>()?;
                    let detail = roles.iter().cloned().collect::<Vec<_>>().join(", ");
                    self.step(Verb::Create, item, detail, || {
                        c.add_member(&rs, ws, user, refs)
                    })?
                }
                Change::Update(_, _, h) => {
                    // Grants first, so a member never passes through having no role.
                    let (add, remove) = set_diff(roles, h);
                    for r in add {
                        let role = RoleRef::parse(r)?;
                        self.step(Verb::Update, item.clone(), format!("grant {r}"), || {
                            c.grant_role(&rs, ws, user, role)
                        })?;
                    }
                    for r in remove {
                        let role = RoleRef::parse(r)?;
                        self.step(Verb::Update, item.clone(), format!("revoke {r}"), || {
                            c.revoke_role(&rs, ws, user, role)
                        })?;
                    }
                }
            }
        }
        for user in dropped(want, have.members.as_ref()) {
            self.step(
                Verb::Delete,
                format!("member {user} of {ws}"),
                String::new(),
                || c.remove_member(&rs, ws, user),
            )?;
        }
        Ok(())
    }

    fn compute(&mut self, ws: &str, w: &Workspace, have: &Workspace) -> Result<()> {
        let Some(want) = &w.compute else {
            return Ok(());
        };
        let (c, rs) = (self.c, self.at(&w.region));
        for change in changes(want, have.compute.as_ref()) {
            let (name, x) = change.wanted();
            let item = format!("compute {name} in {ws}");
            let input = || NewCompute {
                name: name.clone(),
                kind: x.kind,
                instance: x.instance.clone(),
                env: x.env,
            };
            let detail = compute_detail(x.kind, &x.instance, x.env);
            match change {
                Change::Create(..) => self.step(Verb::Create, item, detail, || {
                    c.attach_compute(&rs, ws, input()).map(drop)
                })?,
                Change::Update(_, _, h) => {
                    let was = compute_detail(h.kind, &h.instance, h.env);
                    self.step(
                        Verb::Update,
                        item,
                        format!("rebind: {was} → {detail}"),
                        || {
                            c.detach_compute(&rs, ws, name)?;
                            c.attach_compute(&rs, ws, input()).map(drop)
                        },
                    )?
                }
            }
        }
        for name in dropped(want, have.compute.as_ref()) {
            self.step(
                Verb::Delete,
                format!("compute {name} in {ws}"),
                "unbind".into(),
                || c.detach_compute(&rs, ws, name),
            )?;
        }
        Ok(())
    }

    fn data_sources(&mut self, ws: &str, w: &Workspace, have: &Workspace) -> Result<()> {
        let Some(want) = &w.data_sources else {
            return Ok(());
        };
        let (c, rs) = (self.c, self.at(&w.region));
        for change in changes(want, have.data_sources.as_ref()) {
            let (name, d) = change.wanted();
            let item = format!("data source {name} in {ws}");
            // Secrets never travel in a file: only the fields are given, secrets kept as stored.
            let connection = ConnectionInput {
                fields: d.fields.clone(),
                secrets: BTreeMap::new(),
            };
            match change {
                Change::Create(..) => {
                    let input = DataSourceInput {
                        name: name.clone(),
                        kind: d.kind,
                        env: d.env,
                        description: d.description.clone(),
                        connection,
                    };
                    // A file names secrets, never gives them: the data source is made without
                    // their values and says so until they are set.
                    let awaiting: Vec<&str> = d.secrets.iter().map(String::as_str).collect();
                    let mut detail = format!("{} ({})", d.kind.slug(), d.env.slug());
                    if !awaiting.is_empty() {
                        detail.push_str(&format!(
                            "; set {} with `dwc ds update {ws} {name} --password-stdin`",
                            awaiting.join(", ")
                        ));
                    }
                    self.step(Verb::Create, item, detail, || {
                        c.create_data_source_awaiting(&rs, ws, input, &awaiting)
                            .map(drop)
                    })?
                }
                Change::Update(_, _, h) => {
                    if h.kind != d.kind {
                        return Err(refuse(
                            &item,
                            "its type cannot change; delete it and create a new one",
                        ));
                    }
                    if h.secrets != d.secrets {
                        return Err(refuse(
                            &item,
                            "secret fields are set with `dwc ds update`, never from a file; list the secrets the store has",
                        ));
                    }
                    if let Some(gone) = h.fields.keys().find(|k| !d.fields.contains_key(*k)) {
                        return Err(refuse(
                            &item,
                            &format!("field {gone} cannot be removed; give it a value"),
                        ));
                    }
                    let mut what: Vec<String> = d
                        .fields
                        .iter()
                        .filter(|(k, v)| h.fields.get(*k) != Some(v))
                        .map(|(k, _)| k.clone())
                        .collect();
                    if h.description != d.description {
                        what.push("description".into());
                    }
                    if h.env != d.env {
                        what.push(format!("env {} → {}", h.env.slug(), d.env.slug()));
                    }
                    let description = Some(d.description.clone());
                    self.step(Verb::Update, item, what.join(", "), || {
                        c.update_data_source(&rs, ws, name, connection, description, Some(d.env))
                            .map(drop)
                    })?
                }
            }
        }
        for name in dropped(want, have.data_sources.as_ref()) {
            self.step(
                Verb::Delete,
                format!("data source {name} in {ws}"),
                String::new(),
                || c.delete_data_source(&rs, ws, name),
            )?;
        }
        Ok(())
    }

    /// Resource groups as the store has them now, visible to the session, by name.
    fn current_groups(&self) -> Result<BTreeMap<String, ResourceGroup>> {
        let mut out = BTreeMap::new();
        for region in REGIONS {
            let rs = self.at(region.id);
            let all = crate::authz::Target::named(
                crate::authz::ResourceKind::ResourceGroup,
                "*",
                region.id,
            );
            if !self
                .c
                .can(&rs, crate::authz::Op::ListResourceGroups, &all)?
                .allowed
            {
                continue;
            }
            for g in self.c.list_resource_groups(&rs)? {
                out.insert(g.name.clone(), g);
            }
        }
        Ok(out)
    }

    fn groups(&mut self, want: &Desired) -> Result<()> {
        let c = self.c;
        let Some(want) = &want.groups else {
            return Ok(());
        };
        let mut have = self.current_groups()?;
        for (name, g) in want {
            let item = format!("resource group {name}");
            let rs = self.at(&g.region);
            let rs = &rs;
            if !have.contains_key(name) {
                let (months, auto_renew) = match g.payment {
                    Payment::PostPaid => (None, false),
                    Payment::PrePaid { months, auto_renew } => (Some(months), auto_renew),
                };
                let input = NewResourceGroup {
                    name: name.clone(),
                    spec_cu: g.spec_cu,
                    prepaid_months: months,
                    auto_renew,
                    vpc_id: g.vpc.as_ref().map(|v| v.vpc_id.clone()),
                    vswitch_id: g.vpc.as_ref().map(|v| v.vswitch_id.clone()),
                };
                let detail = format!(
                    "{} CU in {}, {}",
                    g.spec_cu,
                    g.region,
                    payment_word(&g.payment)
                );
                self.step(Verb::Create, item.clone(), detail, || {
                    c.create_resource_group(rs, input).map(drop)
                })?;
                if !self.run {
                    for ws in &g.attached {
                        self.step(
                            Verb::Update,
                            item.clone(),
                            format!("attach to {ws}"),
                            || Ok(()),
                        )?;
                    }
                    continue;
                }
                have = self.current_groups()?;
            }
            let Some(h) = have.get(name) else {
                return Err(ConsoleError::Internal(format!(
                    "{item} vanished while applying"
                )));
            };
            self.group(name, g, h)?;
        }
        for (name, h) in &have {
            if !want.contains_key(name) && h.status != RgStatus::Deleting {
                let rs = self.at(&h.region);
                self.step(
                    Verb::Delete,
                    format!("resource group {name}"),
                    "release".into(),
                    || c.delete_resource_group(&rs, name).map(drop),
                )?;
            }
        }
        Ok(())
    }

    fn group(&mut self, name: &str, g: &Group, h: &ResourceGroup) -> Result<()> {
        let c = self.c;
        let item = format!("resource group {name}");
        let rs = self.at(&g.region);
        let rs = &rs;
        if h.region != g.region {
            return Err(refuse(
                &item,
                &format!(
                    "it is in {}; a resource group cannot move regions",
                    h.region
                ),
            ));
        }
        let have_vpc = h
            .network
            .as_ref()
            .map(|n| (n.vpc_id.as_str(), n.vswitch_id.as_str()));
        let want_vpc = g
            .vpc
            .as_ref()
            .map(|v| (v.vpc_id.as_str(), v.vswitch_id.as_str()));
        if have_vpc != want_vpc {
            return Err(refuse(
                &item,
                "its network is chosen when it is bought and cannot change",
            ));
        }
        let auto_renew = match (&h.payment, &g.payment) {
            (RgPayment::PostPaid, Payment::PostPaid) => None,
            (
                RgPayment::PrePaid {
                    months, auto_renew, ..
                },
                Payment::PrePaid {
                    months: m,
                    auto_renew: a,
                },
            ) if months == m => (auto_renew != a).then_some(*a),
            _ => {
                return Err(refuse(
                    &item,
                    &format!(
                        "it is {}; payment is chosen when it is bought (renew with `dwc rg renew`)",
                        payment_title(&h.payment)
                    ),
                ));
            }
        };
        let ready = h.status == RgStatus::Normal;
        let wait = |what: &str| {
            format!(
                "{what} when it is Normal (now {}); `dwc job wait {name}`, then apply again",
                h.status.title()
            )
        };
        if let Some(on) = auto_renew {
            let detail = format!("auto-renew {}", if on { "on" } else { "off" });
            self.step(Verb::Update, item.clone(), detail, || {
                c.set_auto_renew(rs, name, on).map(drop)
            })?;
        }
        if h.spec_cu != g.spec_cu {
            let what = format!("spec {} → {} CU", h.spec_cu, g.spec_cu);
            if ready {
                self.step(Verb::Update, item.clone(), what, || {
                    c.scale_resource_group(rs, name, g.spec_cu).map(drop)
                })?;
            } else {
                self.step(Verb::Wait, item.clone(), wait(&what), || Ok(()))?;
            }
        }
        let have_att: BTreeSet<String> = h.attached.iter().cloned().collect();
        let (add, remove) = set_diff(&g.attached, &have_att);
        for ws in remove {
            self.step(
                Verb::Update,
                item.clone(),
                format!("detach from {ws}"),
                || c.detach_resource_group(rs, name, ws).map(drop),
            )?;
        }
        for ws in add {
            let what = format!("attach to {ws}");
            if ready {
                self.step(Verb::Update, item.clone(), what, || {
                    c.attach_resource_group(rs, name, ws).map(drop)
                })?;
            } else {
                self.step(Verb::Wait, item.clone(), wait(&what), || Ok(()))?;
            }
        }
        Ok(())
    }

    fn alerts(&mut self, want: &Desired, have: &Desired) -> Result<()> {
        let (c, s) = (self.c, self.s);
        if let Some(limits) = &want.limits {
            for (&ch, &limit) in limits {
                let now = have
                    .limits
                    .as_ref()
                    .and_then(|l| l.get(&ch).copied().flatten());
                if now != limit {
                    let show =
                        |l: Option<u32>| l.map_or("no limit".to_owned(), |n| format!("{n}/day"));
                    let detail = format!("{} → {}", show(now), show(limit));
                    let item = format!("alert limit {}", ch.slug());
                    self.step(Verb::Update, item, detail, || {
                        c.set_alert_limit(s, ch, limit).map(drop)
                    })?;
                }
            }
        }
        let Some(want) = &want.contacts else {
            return Ok(());
        };
        for change in changes(want, have.contacts.as_ref()) {
            let (name, x) = change.wanted();
            let item = format!("alert contact {name}");
            let (p, e, w) = (x.phone.as_deref(), x.email.as_deref(), x.webhook.as_deref());
            match change {
                Change::Create(..) => self.step(Verb::Create, item, String::new(), || {
                    c.create_contact(s, name, p, e, w).map(drop)
                })?,
                Change::Update(_, _, h) => {
                    let what: Vec<String> = [
                        ("phone", &h.phone, &x.phone),
                        ("email", &h.email, &x.email),
                        ("webhook", &h.webhook, &x.webhook),
                    ]
                    .into_iter()
                    .filter(|(_, a, b)| a != b)
                    .map(|(field, a, b)| format!("{field} {} → {}", quoted(a), quoted(b)))
                    .collect();
                    self.step(Verb::Update, item, what.join(", "), || {
                        c.update_contact(s, name, p, e, w).map(drop)
                    })?
                }
            }
        }
        for name in dropped(want, have.contacts.as_ref()) {
            self.step(
                Verb::Delete,
                format!("alert contact {name}"),
                String::new(),
                || c.delete_contact(s, name),
            )?;
        }
        Ok(())
    }

    /// The region of a workspace the document or the store knows, for the per-workspace calls.
    fn region_of(&self, ws: &str, want: &Desired, have: &Desired) -> Result<String> {
        [&want.workspaces, &have.workspaces]
            .into_iter()
            .flatten()
            .find_map(|all| all.get(ws).map(|w| w.region.clone()))
            .ok_or_else(|| ConsoleError::NotFound(format!("workspace {ws}")))
    }

    fn extensions(&mut self, want_doc: &Desired, have_doc: &Desired) -> Result<()> {
        let c = self.c;
        let s = self.s;
        let Some(want) = &want_doc.extensions else {
            return Ok(());
        };
        let none = BTreeMap::new();
        let have = have_doc.extensions.as_ref().unwrap_or(&none);
        for (name, x) in want {
            let item = format!("extension {name}");
            let events: Vec<_> = x.events.iter().copied().collect();
            let enabled = match have.get(name) {
                None => {
                    let detail = x
                        .events
                        .iter()
                        .map(|e| e.slug())
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.step(Verb::Create, item.clone(), detail, || {
                        c.create_extension(s, name, &x.description, &events)
                            .map(drop)
                    })?;
                    BTreeSet::new()
                }
                Some(h) => {
                    if h.description != x.description || h.events != x.events {
                        let mut what = Vec::new();
                        if h.description != x.description {
                            what.push("description".to_owned());
                        }
                        if h.events != x.events {
                            let list = x
                                .events
                                .iter()
                                .map(|e| e.slug())
                                .collect::<Vec<_>>()
                                .join(", ");
                            what.push(format!("events {list}"));
                        }
                        self.step(Verb::Update, item.clone(), what.join(", "), || {
                            c.update_extension(s, name, &x.description, &events)
                                .map(drop)
                        })?;
                    }
                    h.enabled_in.clone()
                }
            };
            let (on, off) = set_diff(&x.enabled_in, &enabled);
            for (list, flag, word) in [(on, true, "enable in"), (off, false, "disable in")] {
                for ws in list {
                    let rs = self.at(&self.region_of(ws, want_doc, have_doc)?);
                    self.step(Verb::Update, item.clone(), format!("{word} {ws}"), || {
                        c.enable_extension(&rs, name, ws, flag).map(drop)
                    })?;
                }
            }
        }
        for name in have.keys().filter(|n| !want.contains_key(*n)) {
            self.step(
                Verb::Delete,
                format!("extension {name}"),
                String::new(),
                || c.delete_extension(s, name),
            )?;
        }
        Ok(())
    }

    /// Users, tenant roles and policies the file no longer lists go last: by now nothing that
    /// the file keeps refers to them.
    fn deletions(&mut self, want: &Desired, have: &Desired) -> Result<()> {
        let (c, s) = (self.c, self.s);
        // Groups first, emptied, so the users and policies they held may go after them.
        if let (Some(want), Some(have)) = (&want.user_groups, &have.user_groups) {
            let empty = desired::UserGroup::default();
            for (name, g) in have.iter().filter(|(n, _)| !want.contains_key(*n)) {
                self.group_insides(name, &empty, g)?;
                self.step(
                    Verb::Delete,
                    format!("user group {name}"),
                    String::new(),
                    || c.delete_group(s, name),
                )?;
            }
        }
        if let (Some(want), Some(have)) = (&want.users, &have.users) {
            for name in have.keys().filter(|n| !want.contains_key(*n)) {
                self.step(Verb::Delete, format!("user {name}"), String::new(), || {
                    c.delete_user(s, name)
                })?;
            }
        }
        if let (Some(want), Some(have)) = (&want.tenant_roles, &have.tenant_roles) {
            for name in have.keys().filter(|n| !want.contains_key(*n)) {
                self.step(
                    Verb::Delete,
                    format!("tenant role {name}"),
                    String::new(),
                    || c.delete_tenant_role(s, name),
                )?;
            }
        }
        if let (Some(want), Some(have)) = (&want.policies, &have.policies) {
            for name in have.keys().filter(|n| !want.contains_key(*n)) {
                self.step(
                    Verb::Delete,
                    format!("policy {name}"),
                    String::new(),
                    || c.delete_policy(s, name),
                )?;
            }
        }
        Ok(())
    }
}

fn compute_detail(kind: ComputeType, instance: &str, env: crate::domain::workspace::Env) -> String {
    format!("{} {instance} ({})", kind.slug(), env.slug())
}

fn payment_word(p: &Payment) -> String {
    match p {
        Payment::PostPaid => "postpaid".to_owned(),
        Payment::PrePaid { months, .. } => format!("prepaid {months} months"),
    }
}

fn payment_title(p: &RgPayment) -> String {
    match p {
        RgPayment::PostPaid => "postpaid".to_owned(),
        RgPayment::PrePaid { months, .. } => format!("prepaid for {months} months"),
    }
}

/// `module old → new` for each module whose level differs.
fn module_changes(
    a: &crate::domain::module::ModuleLevels,
    b: &crate::domain::module::ModuleLevels,
) -> String {
    crate::domain::Module::ALL
        .iter()
        .filter(|m| a.of(**m) != b.of(**m))
        .map(|m| format!("{} {} → {}", m.slug(), a.of(*m).slug(), b.of(*m).slug()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn global_changes(a: &GlobalLevels, b: &GlobalLevels) -> String {
    crate::domain::GlobalModule::ALL
        .iter()
        .filter(|m| a.of(**m) != b.of(**m))
        .map(|m| format!("{} {} → {}", m.slug(), a.of(*m).slug(), b.of(*m).slug()))
        .collect::<Vec<_>>()
        .join(", ")
}
