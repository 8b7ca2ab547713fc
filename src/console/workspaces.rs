//! Workspaces, their members and their roles (seeds 000–002, 004; DESIGN §3–§5).

use serde::{Deserialize, Serialize};

use crate::authz::{Op, Target, WorkspaceTarget};
use crate::domain::module::ModuleLevels;
use crate::domain::role::{BuiltinRole, CustomRole};
use crate::domain::workspace::{Member, NewWorkspace, WorkspacePatch};
use crate::domain::{Env, RoleRef, Workspace, WorkspaceRole, WorkspaceStatus};
use crate::store::{T, Tx, TxResult, decode_set, key, last_part, prefix, prefix_parts};

use super::error::{ConsoleError, Result};
use super::records::WorkspaceUse;
use super::{Console, Session, fail};

/// Per-workspace numbers kept with every member change, so a list row costs one read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WsStats {
    pub members: u32,
    /// Members holding Workspace Manager.
    pub managers: Vec<String>,
    /// Resource groups attached since this was kept (older attachments are found by a scan):
    /// written by every attach, so deleting the workspace sees, inside its transaction, a
    /// group attached at the same moment.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// The workspace as a transaction sees it, when it is still live in `region` and Normal: what
/// every change to a workspace's contents relies on, checked where it writes.
pub(super) fn live_ws(tx: &Tx, name: &str, region: &str) -> TxResult<Workspace, ConsoleError> {
    match tx.get::<Workspace, _>(T::Workspaces, name.as_bytes())? {
        Some(w) if w.region == region && w.is_live() => {
            if w.status != WorkspaceStatus::Normal {
                return fail(ConsoleError::Conflict(format!(
                    "workspace {name} is disabled: a disabled workspace is read-only until enabled"
                )));
            }
            Ok(w)
        }
        _ => fail(ConsoleError::NotFound(format!("workspace {name}"))),
    }
}

/// Notes (or forgets) a group attached to a workspace, inside the attaching transaction.
pub(super) fn note_group(
    tx: &Tx,
    ws: &str,
    group: &str,
    attached: bool,
) -> TxResult<(), ConsoleError> {
    let mut st: WsStats = tx.get(T::WsStats, ws.as_bytes())?.unwrap_or_default();
    st.groups.retain(|g| g != group);
    if attached {
        st.groups.push(group.to_owned());
        st.groups.sort();
    }
    tx.put(T::WsStats, ws.as_bytes(), &st)
}

fn is_manager(m: &Member) -> bool {
    m.roles
        .contains(&RoleRef::Builtin(BuiltinRole::WorkspaceManager))
}

pub(super) fn stats_remove(tx: &Tx, ws: &str, m: &Member) -> TxResult<(), ConsoleError> {
    let mut st: WsStats = tx.get(T::WsStats, ws.as_bytes())?.unwrap_or_default();
    st.members = st.members.saturating_sub(1);
    st.managers.retain(|u| *u != m.user);
    tx.put(T::WsStats, ws.as_bytes(), &st)
}

fn stats_put(
    tx: &Tx,
    ws: &str,
    before: Option<&Member>,
    after: &Member,
) -> TxResult<(), ConsoleError> {
    let mut st: WsStats = tx.get(T::WsStats, ws.as_bytes())?.unwrap_or_default();
    if before.is_none() {
        st.members += 1;
    }
    st.managers.retain(|u| *u != after.user);
    if is_manager(after) {
        st.managers.push(after.user.clone());
        st.managers.sort();
    }
    tx.put(T::WsStats, ws.as_bytes(), &st)
}

/// A workspace a session may be shown, with its counts (when read) and the session's own
/// membership (a RAM user's).
pub(super) type Candidate = (Workspace, Option<WsStats>, Option<Member>);

/// A workspace a caller may list, with their roles there (`None` for the account) and its
/// counts (empty where they were not read).
pub(super) type Visible = (Workspace, Option<Vec<WorkspaceRole>>, WsStats);

/// A workspace as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkspaceRow {
    #[serde(flatten)]
    pub workspace: Workspace,
    /// The account (owner) and the Workspace Managers.
    pub administrators: Vec<String>,
    pub member_count: u32,
    /// The session's own roles here.
    pub my_roles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberView {
    pub user: String,
    pub roles: Vec<String>,
    pub owner: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleView {
    pub name: String,
    pub slug: String,
    pub builtin: bool,
    pub levels: Vec<(String, String)>,
    /// The compute-engine (MaxCompute) role in the development environment (seed 004).
    pub compute_role_dev: Option<String>,
    pub compute_role_prod: Option<String>,
    pub holders: usize,
}

/// A custom role as its list shows it, without counting its holders.
pub(super) fn custom_role_view(c: CustomRole) -> RoleView {
    role_view(&WorkspaceRole::Custom(c), 0)
}

fn role_view(role: &WorkspaceRole, holders: usize) -> RoleView {
    let levels = role.levels();
    RoleView {
        name: role.name().to_owned(),
        slug: match role {
            WorkspaceRole::Builtin(b) => b.slug().to_owned(),
            WorkspaceRole::Custom(c) => c.name.clone(),
        },
        builtin: matches!(role, WorkspaceRole::Builtin(_)),
        levels: crate::domain::Module::ALL
            .iter()
            .map(|m| (m.slug().to_owned(), levels.of(*m).slug().to_owned()))
            .collect(),
        compute_role_dev: role.compute_role(Env::Dev).map(str::to_owned),
        compute_role_prod: role.compute_role(Env::Prod).map(str::to_owned),
        holders,
    }
}

impl Console {
    /// Loads a live workspace in the session's region with the caller's roles, or NotFound.
    pub(super) fn load_ws(
        &self,
        s: &Session,
        name: &str,
    ) -> Result<(Workspace, Option<Vec<WorkspaceRole>>)> {
        let ws: Workspace = self
            .store
            .get(T::Workspaces, name.as_bytes())?
            .filter(|w: &Workspace| w.region == s.region && w.is_live())
            .ok_or_else(|| ConsoleError::NotFound(format!("workspace {name}")))?;
        let roles = if s.principal.is_account() {
            None
        } else {
            self.roles_in(name, s.who())?
        };
        Ok((ws, roles))
    }

    /// What the session may do to a workspace, for key hints: asks without auditing.
    pub fn can_workspace(&self, s: &Session, op: Op, name: &str) -> Result<crate::authz::Verdict> {
        let (ws, roles) = self.load_ws(s, name)?;
        self.can(s, op, &self.ws_target(s, &ws, &roles))
    }

    /// Loads a workspace and authorizes `op` on it in one step.
    pub(super) fn ws_for(&self, s: &Session, name: &str, op: Op) -> Result<Workspace> {
        let (ws, roles) = self.load_ws(s, name)?;
        self.require(
            s,
            op,
            &self.ws_target(s, &ws, &roles),
            &format!("workspace {name}"),
        )?;
        Ok(ws)
    }

    fn row(
        &self,
        s: &Session,
        ws: Workspace,
        roles: Option<Vec<WorkspaceRole>>,
    ) -> Result<WorkspaceRow> {
        let stats: WsStats = self
            .store
            .get(T::WsStats, ws.name.as_bytes())?
            .unwrap_or_default();
        Ok(self.row_with(s, &self.tenant().account, ws, roles, stats))
    }

    fn row_with(
        &self,
        s: &Session,
        account: &str,
        ws: Workspace,
        roles: Option<Vec<WorkspaceRole>>,
        stats: WsStats,
    ) -> WorkspaceRow {
        let mut administrators = vec![account.to_owned()];
        administrators.extend(stats.managers);
        let my_roles = if s.principal.is_account() {
            vec![BuiltinRole::ProjectOwner.title().to_owned()]
        } else {
            roles
                .unwrap_or_default()
                .iter()
                .map(|r| r.name().to_owned())
                .collect()
        };
        WorkspaceRow {
            workspace: ws,
            administrators,
            member_count: stats.members + 1,
            my_roles,
        }
    }

    /// The workspaces of the session's region that it may see: all for the account, a RAM user's
    /// own memberships otherwise (read through the member index, so it costs what they see).
    /// Notes that the session's user opened a workspace, for their frequently used list. Not
    /// audited: opening is a read, and the record is only the user's own convenience.
    pub fn note_workspace_use(&self, s: &Session, name: &str) -> Result<()> {
        let ws = self.ws_for(s, name, Op::GetProject)?;
        let k = key(&[s.who(), &s.region, &ws.name]);
        let now = self.now();
        self.store
            .transact(|tx| {
                let mut u = tx
                    .get::<WorkspaceUse, ConsoleError>(T::WsUse, &k)?
                    .unwrap_or(WorkspaceUse {
                        workspace: ws.name.clone(),
                        opened: 0,
                        last: now,
                    });
                u.opened = u.opened.saturating_add(1);
                u.last = now;
                tx.put(T::WsUse, &k, &u)
            })
            .map_err(ConsoleError::from)
    }

    /// The session's workspaces it opened most, most-opened first (ties: most recent first);
    /// only workspaces it may still list.
    pub fn frequent_workspaces(
        &self,
        s: &Session,
        limit: usize,
    ) -> Result<Vec<(WorkspaceRow, WorkspaceUse)>> {
        let uses = self
            .store
            .scan::<WorkspaceUse>(T::WsUse, &prefix_parts(&[s.who(), &s.region]))?;
        if uses.is_empty() {
            return Ok(Vec::new());
        }
        let mut by_name: std::collections::HashMap<String, WorkspaceUse> =
            uses.into_iter().map(|u| (u.workspace.clone(), u)).collect();
        let mut out: Vec<(WorkspaceRow, WorkspaceUse)> = self
            .list_workspaces(s)?
            .into_iter()
            .filter_map(|r| by_name.remove(&r.workspace.name).map(|u| (r, u)))
            .collect();
        out.sort_by(|(_, a), (_, b)| b.opened.cmp(&a.opened).then(b.last.cmp(&a.last)));
        out.truncate(limit);
        Ok(out)
    }

    pub fn list_workspaces(&self, s: &Session) -> Result<Vec<WorkspaceRow>> {
        let memberships = prefix_parts(&[s.who(), &s.region]);
        let caller = self.caller_and(s, &[(T::MemberWs, &memberships)])?;
        let account = self.tenant().account;
        Ok(self
            .visible_workspaces(s, &caller, true)?
            .into_iter()
            .map(|(ws, roles, stats)| self.row_with(s, &account, ws, roles, stats))
            .collect())
    }

    /// The workspaces of the session's region that `caller` may list, each with the caller's
    /// roles there (`None` for the account) and, `with_stats`, its counts: what a listing and
    /// an export are made of.
    pub(super) fn visible_workspaces(
        &self,
        s: &Session,
        caller: &super::Caller,
        with_stats: bool,
    ) -> Result<Vec<Visible>> {
        // The account's list is the whole region: off the shelf every session shares. A RAM
        // user's is their memberships, read with the memberships themselves (one query each on
        // PostgreSQL), and an export, which needs no counts and runs once, reads its own.
        let candidates: Vec<Candidate> = if s.principal.is_account() && with_stats {
            self.region_workspaces(&s.region)?
                .list
                .iter()
                .filter(|(ws, _)| ws.is_live())
                .map(|(w, st)| (w.clone(), Some(st.clone()), None))
                .collect()
        } else {
            let user = (!s.principal.is_account()).then(|| s.who());
            self.read_candidates(&s.region, user, with_stats)?
        };
        self.visible_among(s, caller, candidates)
    }

    /// Of `candidates`, the live workspaces of the session's region that `caller` may list,
    /// each with the caller's roles there (`None` for the account) and its counts if read.
    pub(super) fn visible_among(
        &self,
        s: &Session,
        caller: &super::Caller,
        candidates: Vec<Candidate>,
    ) -> Result<Vec<Visible>> {
        let mut out = Vec::with_capacity(candidates.len());
        let mut hidden_by_deny = None;
        for (ws, stats, member) in candidates {
            if ws.region != s.region || !ws.is_live() {
                continue;
            }
            let roles = match &member {
                Some(m) => Some(self.roles_of(&ws.name, m)?),
                None => None,
            };
            let target = Target::Workspace(WorkspaceTarget {
                name: &ws.name,
                region: &ws.region,
                status: ws.status,
                roles: roles.as_deref(),
            });
            // The reasons are written out only for the first a Deny hides.
            let (allowed, denied) = self.judge(s, caller, Op::ListProjects, &target, |d| {
                let denied = !d.allowed
                    && d.basis == crate::authz::Basis::ExplicitDeny
                    && hidden_by_deny.is_none();
                (d.allowed, denied.then(|| d.trace()))
            });
            if allowed {
                out.push((ws, roles, stats.unwrap_or_default()));
            } else if let Some(trace) = denied {
                hidden_by_deny = Some(trace);
            }
        }
        // An empty list because a Deny hides everything must say so, not look like no workspaces.
        if let (true, Some(trace)) = (out.is_empty(), hidden_by_deny) {
            self.audit_attempt(
                s.who(),
                s.scope,
                &s.region,
                Op::ListProjects.action(),
                "workspaces",
                crate::domain::audit::Outcome::Denied,
                &trace.join("; "),
            );
            return Err(ConsoleError::Denied {
                action: Op::ListProjects.action().into(),
                target: "workspaces".into(),
                explanation: trace,
            });
        }
        Ok(out)
    }

    /// Candidate workspaces of `region` read from the store: all of them, or with `user` that
    /// user's memberships (through the member index, so it costs what they see) with the
    /// membership in each; with their counts when `with_stats`.
    pub(super) fn read_candidates(
        &self,
        region: &str,
        user: Option<&str>,
        with_stats: bool,
    ) -> Result<Vec<Candidate>> {
        let index = match user {
            None => self.store.keys(T::WsByRegion, &prefix(region))?,
            Some(u) => self.store.keys(T::MemberWs, &prefix_parts(&[u, region]))?,
        };
        let names: Vec<String> = index.iter().map(|k| last_part(k)).collect();
        let keys: Vec<Vec<u8>> = names.iter().map(|n| n.as_bytes().to_vec()).collect();
        let mk: Vec<Vec<u8>> = match user {
            None => Vec::new(),
            Some(u) => names.iter().map(|n| key(&[n, u])).collect(),
        };
        let sk: &[Vec<u8>] = if with_stats { &keys } else { &[] };
        let mut sets = self
            .store
            .get_sets(&[(T::Workspaces, &keys), (T::WsStats, sk), (T::Members, &mk)])?
            .into_iter();
        let mut next = || sets.next().unwrap_or_default();
        let workspaces = decode_set::<Workspace>(T::Workspaces, &keys, next())?;
        let mut stats = decode_set::<WsStats>(T::WsStats, sk, next())?;
        stats.resize(names.len(), None);
        let mut members = decode_set::<Member>(T::Members, &mk, next())?;
        members.resize(names.len(), None);
        Ok(workspaces
            .into_iter()
            .zip(stats)
            .zip(members)
            .filter_map(|((w, st), m)| Some((w?, st, m)))
            .collect())
    }

    /// Workspaces in the recycle bin of this region, for those who may restore them.
    pub fn list_recycle_bin(&self, s: &Session) -> Result<Vec<Workspace>> {
        let caller = self.caller(s)?;
        let mut out = Vec::new();
        for (ws, _) in &self.region_workspaces(&s.region)?.list {
            if ws.is_live() {
                continue;
            }
            let target = Target::Workspace(WorkspaceTarget {
                name: &ws.name,
                region: &ws.region,
                status: ws.status,
                roles: None,
            });
            if self.decide(s, &caller, Op::RestoreProject, &target).allowed {
                out.push(ws.clone());
            }
        }
        Ok(out)
    }

    pub fn get_workspace(&self, s: &Session, name: &str) -> Result<WorkspaceRow> {
        let (ws, roles) = self.load_ws(s, name)?;
        self.require(
            s,
            Op::GetProject,
            &self.ws_target(s, &ws, &roles),
            &format!("workspace {name}"),
        )?;
        self.row(s, ws, roles)
    }

    /// Creates a workspace in the session's region. Its creator becomes Workspace Manager (the
    /// account owns every workspace already).
    pub fn create_workspace(&self, s: &Session, input: NewWorkspace) -> Result<Workspace> {
        self.create_workspace_with(s, input, false, false)
    }

    /// Creates a workspace as an export describes it (a restore): the region's default one,
    /// where it has none (the account's alone, as the system makes it), and on the old Data
    /// Studio when it was.
    pub(super) fn create_restored_workspace(
        &self,
        s: &Session,
        input: NewWorkspace,
        default: bool,
        legacy_data_studio: bool,
    ) -> Result<Workspace> {
        self.create_workspace_with(s, input, default, legacy_data_studio)
    }

    fn create_workspace_with(
        &self,
        s: &Session,
        input: NewWorkspace,
        default: bool,
        legacy_data_studio: bool,
    ) -> Result<Workspace> {
        let label = format!("workspace {}", input.name);
        let probe = Target::Workspace(WorkspaceTarget {
            name: &input.name,
            region: &s.region,
            status: WorkspaceStatus::Normal,
            roles: None,
        });
        self.require(s, Op::CreateProject, &probe, &label)?;
        let mut ws = self.checked(
            s,
            Op::CreateProject,
            &label,
            Workspace::create(input, &s.region, s.who(), self.now()).map_err(Into::into),
        )?;
        // One default workspace per region, noted under a key the transaction re-reads.
        let marker = key(&["default-workspace", &s.region]);
        if default {
            let existing = self
                .store
                .keys(T::WsByRegion, &crate::store::prefix(&s.region))?
                .iter()
                .filter_map(|k| {
                    self.store
                        .get::<Workspace>(T::Workspaces, crate::store::last_part(k).as_bytes())
                        .ok()
                        .flatten()
                })
                .find(|w| w.is_default && w.is_live());
            let refusal = if !s.principal.is_account() {
                Some("only the account makes a region's default workspace".to_owned())
            } else {
                existing
                    .map(|w| format!("{} already has its default workspace, {}", s.region, w.name))
            };
            if let Some(why) = refusal {
                return self.checked(
                    s,
                    Op::CreateProject,
                    &label,
                    Err(ConsoleError::Conflict(why)),
                );
            }
            ws.is_default = true;
        }
        ws.legacy_data_studio = legacy_data_studio;
        let creator = (!s.principal.is_account())
            .then(|| {
                Member::new(
                    &ws.name,
                    s.who(),
                    vec![RoleRef::Builtin(BuiltinRole::WorkspaceManager)],
                    self.now(),
                )
            })
            .transpose()?;
        self.change(s, Op::CreateProject, &label, |tx| {
            if let Some(existing) = tx.get::<Workspace, _>(T::Workspaces, ws.name.as_bytes())? {
                let why = if existing.is_live() {
                    "already exists"
                } else {
                    "is reserved by a workspace in the recycle bin"
                };
                return fail(ConsoleError::Conflict(format!(
                    "the name {} {why}",
                    ws.name
                )));
            }
            if default {
                if tx.has(T::Meta, &marker)? {
                    return fail(ConsoleError::Conflict(format!(
                        "{} already has its default workspace",
                        ws.region
                    )));
                }
                tx.mark(T::Meta, &marker)?;
            }
            tx.put(T::Workspaces, ws.name.as_bytes(), &ws)?;
            tx.mark(T::WsByRegion, &key(&[&ws.region, &ws.name]))?;
            tx.put(T::WsStats, ws.name.as_bytes(), &WsStats::default())?;
            if let Some(m) = &creator {
                put_member(tx, &ws.region, None, m)?;
            }
            Ok(())
        })?;
        Ok(ws)
    }

    /// Applies `f` to a stored workspace under `op`, inside one transaction.
    fn modify_ws(
        &self,
        s: &Session,
        name: &str,
        op: Op,
        live: bool,
        f: impl Fn(&mut Workspace) -> Result<()>,
    ) -> Result<Workspace> {
        self.modify_ws_with(s, name, op, live, f, |_| Ok(()))
    }

    /// `modify_ws`, with `also` run in the same transaction (what the change carries along).
    fn modify_ws_with(
        &self,
        s: &Session,
        name: &str,
        op: Op,
        live: bool,
        f: impl Fn(&mut Workspace) -> Result<()>,
        also: impl Fn(&Tx) -> TxResult<(), ConsoleError>,
    ) -> Result<Workspace> {
        let label = format!("workspace {name}");
        let ws = if live {
            self.ws_for(s, name, op)?
        } else {
            let ws: Workspace = self
                .store
                .get(T::Workspaces, name.as_bytes())?
                .filter(|w: &Workspace| w.region == s.region && !w.is_live())
                .ok_or_else(|| {
                    ConsoleError::NotFound(format!("workspace {name} in the recycle bin"))
                })?;
            self.require(s, op, &self.ws_target(s, &ws, &None), &label)?;
            ws
        };
        let mut changed = ws.clone();
        self.checked(s, op, &label, f(&mut changed))?;
        self.change(s, op, &label, |tx| {
            if tx
                .get::<Workspace, _>(T::Workspaces, name.as_bytes())?
                .as_ref()
                != Some(&ws)
            {
                return fail(ConsoleError::Conflict(format!(
                    "workspace {name} changed meanwhile; try again"
                )));
            }
            tx.put(T::Workspaces, name.as_bytes(), &changed)?;
            super::jobs::arm_purge(tx, &changed)?;
            also(tx)
        })?;
        Ok(changed)
    }

    pub fn update_workspace(
        &self,
        s: &Session,
        name: &str,
        patch: WorkspacePatch,
    ) -> Result<Workspace> {
        self.modify_ws(s, name, Op::UpdateProject, true, |w| {
            w.update(patch.clone()).map_err(Into::into)
        })
    }

    pub fn disable_workspace(&self, s: &Session, name: &str) -> Result<Workspace> {
        self.modify_ws(s, name, Op::DisableProject, true, |w| {
            w.disable().map_err(Into::into)
        })
    }

    pub fn enable_workspace(&self, s: &Session, name: &str) -> Result<Workspace> {
        self.modify_ws(s, name, Op::EnableProject, true, |w| {
            w.enable().map_err(Into::into)
        })
    }

    pub fn upgrade_workspace(&self, s: &Session, name: &str) -> Result<Workspace> {
        self.modify_ws(s, name, Op::UpgradeProjectMode, true, |w| {
            w.upgrade_mode().map_err(Into::into)
        })
    }

    pub fn restore_workspace(&self, s: &Session, name: &str) -> Result<Workspace> {
        let now = self.now();
        self.modify_ws(s, name, Op::RestoreProject, false, |w| {
            w.restore(now).map_err(Into::into)
        })
    }

    /// Moves a workspace to the recycle bin and detaches its resource groups (§5), in one
    /// transaction: a group attached at the same moment is seen there and detached too.
    pub fn delete_workspace(&self, s: &Session, name: &str) -> Result<Workspace> {
        let scanned = self.groups_attached_to(&s.region, name)?;
        let now = self.now();
        self.modify_ws_with(
            s,
            name,
            Op::DeleteProject,
            true,
            |w| w.delete(now).map_err(Into::into),
            |tx| {
                let mut st: WsStats = tx.get(T::WsStats, name.as_bytes())?.unwrap_or_default();
                let mut groups: Vec<String> = std::mem::take(&mut st.groups);
                groups.extend(scanned.iter().cloned());
                groups.sort();
                groups.dedup();
                tx.put(T::WsStats, name.as_bytes(), &st)?;
                for g in &groups {
                    if let Some(mut rg) = tx
                        .get::<crate::domain::resource_group::ResourceGroup, _>(
                            T::ResourceGroups,
                            g.as_bytes(),
                        )?
                        && rg.attached.remove(name)
                    {
                        tx.put(T::ResourceGroups, g.as_bytes(), &rg)?;
                    }
                }
                Ok(())
            },
        )
    }

    // ----- members -----

    /// Everyone in the workspace, the account first as Project Owner.
    pub fn list_members(&self, s: &Session, ws: &str) -> Result<Vec<MemberView>> {
        self.ws_for(s, ws, Op::ListProjectMembers)?;
        let mut out = vec![MemberView {
            user: self.tenant().account,
            roles: vec![BuiltinRole::ProjectOwner.title().to_owned()],
            owner: true,
        }];
        for m in self.store.scan::<Member>(T::Members, &prefix(ws))? {
            out.push(MemberView {
                user: m.user,
                roles: m.roles.iter().map(|r| r.name().to_owned()).collect(),
                owner: false,
            });
        }
        Ok(out)
    }

    /// Checks that the session may hand out each role here (seed 004) and that custom roles exist.
    fn check_grantable(
        &self,
        s: &Session,
        ws: &Workspace,
        op: Op,
        roles: &[RoleRef],
        label: &str,
    ) -> Result<()> {
        let tenant = self.tenant();
        let my_roles = if s.principal.is_account() {
            None
        } else {
            self.roles_in(&ws.name, s.who())?
        };
        let caller = self.caller(s)?;
        let attached: Vec<crate::authz::AttachedPolicy> = caller
            .policies
            .iter()
            .map(|(name, policy)| crate::authz::AttachedPolicy { name, policy })
            .collect();
        let ctx = crate::authz::Ctx {
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
        let target = WorkspaceTarget {
            name: &ws.name,
            region: &ws.region,
            status: ws.status,
            roles: my_roles.as_deref(),
        };
        for role in roles {
            let v = crate::authz::authorize_role_grant(&ctx, op, target, role).verdict();
            if !v.allowed {
                self.audit_attempt(
                    s.who(),
                    s.scope,
                    &s.region,
                    op.action(),
                    label,
                    crate::domain::audit::Outcome::Denied,
                    &v.trace.join("; "),
                );
                return Err(match v.basis {
                    crate::authz::Basis::NotMember => {
                        ConsoleError::NotFound(format!("workspace {}", ws.name))
                    }
                    crate::authz::Basis::WorkspaceDisabled => {
                        ConsoleError::Conflict(v.trace.join("; "))
                    }
                    _ => ConsoleError::Denied {
                        action: op.action().into(),
                        target: label.into(),
                        explanation: v.trace,
                    },
                });
            }
            if let RoleRef::Custom(n) = role
                && !self.store.has(T::Roles, &key(&[&ws.name, n]))?
            {
                let builtin: Vec<&str> = BuiltinRole::ALL
                    .iter()
                    .filter(|b| **b != BuiltinRole::ProjectOwner)
                    .map(|b| b.slug())
                    .collect();
                let custom: Vec<String> = self
                    .store
                    .scan::<CustomRole>(T::Roles, &prefix(&ws.name))?
                    .into_iter()
                    .map(|c| c.name)
                    .collect();
                let custom = if custom.is_empty() {
                    "none".to_owned()
                } else {
                    custom.join(", ")
                };
                return self.checked(
                    s,
                    op,
                    label,
                    Err(ConsoleError::NotFound(format!(
                        "role {n} in {} (built-in roles: {}; custom roles there: {custom})",
                        ws.name,
                        builtin.join(", ")
                    ))),
                );
            }
        }
        Ok(())
    }

    pub fn add_member(&self, s: &Session, ws: &str, user: &str, roles: Vec<RoleRef>) -> Result<()> {
        let label = format!("member {user} of {ws}");
        let w = self.ws_for(s, ws, Op::CreateProjectMember)?;
        self.check_grantable(s, &w, Op::CreateProjectMember, &roles, &label)?;
        let m = self.checked(
            s,
            Op::CreateProjectMember,
            &label,
            Member::new(ws, user, roles, self.now()).map_err(Into::into),
        )?;
        let account = self.tenant().account;
        self.change(s, Op::CreateProjectMember, &label, |tx| {
            live_ws(tx, ws, &w.region)?;
            if user == account {
                return fail(ConsoleError::Conflict(format!(
                    "{user} is the account and owns {ws} already"
                )));
            }
            if !tx.has(T::Users, user.as_bytes())? {
                return fail(ConsoleError::NotFound(format!("user {user}")));
            }
            if tx.has(T::Members, &key(&[ws, user]))? {
                return fail(ConsoleError::Conflict(format!(
                    "{user} is already a member of {ws}; grant roles instead"
                )));
            }
            put_member(tx, &w.region, None, &m)
        })
    }

    pub fn remove_member(&self, s: &Session, ws: &str, user: &str) -> Result<()> {
        let label = format!("member {user} of {ws}");
        let w = self.ws_for(s, ws, Op::DeleteProjectMember)?;
        let account = self.tenant().account;
        self.change(s, Op::DeleteProjectMember, &label, |tx| {
            if user == account {
                return fail(ConsoleError::Conflict(format!(
                    "{user} is the owner of {ws}; the owner cannot be removed"
                )));
            }
            let Some(m) = tx.get::<Member, _>(T::Members, &key(&[ws, user]))? else {
                return fail(ConsoleError::NotFound(format!("member {user} of {ws}")));
            };
            tx.del(T::Members, &key(&[ws, user]))?;
            tx.del(T::MemberWs, &member_ws_key(user, &w.region, ws))?;
            stats_remove(tx, ws, &m)
        })
    }

    pub fn grant_role(&self, s: &Session, ws: &str, user: &str, role: RoleRef) -> Result<()> {
        let label = format!("member {user} of {ws}");
        let w = self.ws_for(s, ws, Op::GrantMemberProjectRoles)?;
        self.check_grantable(
            s,
            &w,
            Op::GrantMemberProjectRoles,
            std::slice::from_ref(&role),
            &label,
        )?;
        self.change(s, Op::GrantMemberProjectRoles, &label, |tx| {
            live_ws(tx, ws, &w.region)?;
            if let RoleRef::Custom(n) = &role
                && !tx.has(T::Roles, &key(&[ws, n]))?
            {
                return fail(ConsoleError::NotFound(format!("role {n} in {ws}")));
            }
            let Some(before) = tx.get::<Member, _>(T::Members, &key(&[ws, user]))? else {
                return fail(ConsoleError::NotFound(format!("member {user} of {ws}")));
            };
            let mut m = before.clone();
            if !m.grant(role.clone()) {
                return fail(ConsoleError::Conflict(format!(
                    "{user} already holds {role} in {ws}"
                )));
            }
            put_member(tx, &w.region, Some(&before), &m)
        })
    }

    pub fn revoke_role(&self, s: &Session, ws: &str, user: &str, role: RoleRef) -> Result<()> {
        let label = format!("member {user} of {ws}");
        let w = self.ws_for(s, ws, Op::RevokeMemberProjectRoles)?;
        self.change(s, Op::RevokeMemberProjectRoles, &label, |tx| {
            live_ws(tx, ws, &w.region)?;
            let Some(before) = tx.get::<Member, _>(T::Members, &key(&[ws, user]))? else {
                return fail(ConsoleError::NotFound(format!("member {user} of {ws}")));
            };
            let mut m = before.clone();
            if let Err(e) = m.revoke(&role) {
                return fail(e.into());
            }
            put_member(tx, &w.region, Some(&before), &m)
        })
    }

    // ----- roles -----

    /// Built-in roles and the workspace's custom roles, with how many members hold each.
    pub fn list_roles(&self, s: &Session, ws: &str) -> Result<Vec<RoleView>> {
        self.ws_for(s, ws, Op::ListProjectRoles)?;
        let members = self.store.scan::<Member>(T::Members, &prefix(ws))?;
        let holders = |r: &RoleRef| members.iter().filter(|m| m.roles.contains(r)).count();
        let mut out: Vec<RoleView> = BuiltinRole::ALL
            .iter()
            .map(|b| {
                let n = if *b == BuiltinRole::ProjectOwner {
                    1
                } else {
                    holders(&RoleRef::Builtin(*b))
                };
                role_view(&WorkspaceRole::Builtin(*b), n)
            })
            .collect();
        for c in self.store.scan::<CustomRole>(T::Roles, &prefix(ws))? {
            let n = holders(&RoleRef::Custom(c.name.clone()));
            out.push(role_view(&WorkspaceRole::Custom(c), n));
        }
        Ok(out)
    }

    pub fn get_role(&self, s: &Session, ws: &str, role: &str) -> Result<RoleView> {
        let r = RoleRef::parse(role)?;
        self.list_roles(s, ws)?
            .into_iter()
            .find(|v| match &r {
                RoleRef::Builtin(b) => v.builtin && v.slug == b.slug(),
                RoleRef::Custom(n) => !v.builtin && v.name == *n,
            })
            .ok_or_else(|| ConsoleError::NotFound(format!("role {role} in {ws}")))
    }

    /// Creates a custom role (Enterprise): a level per module and an optional compute-role mapping.
    pub fn create_role(
        &self,
        s: &Session,
        ws: &str,
        name: &str,
        levels: ModuleLevels,
        compute_role: Option<&str>,
    ) -> Result<()> {
        let label = format!("role {name} in {ws}");
        let w = self.ws_for(s, ws, Op::CreateProjectRole)?;
        let role = self.checked(
            s,
            Op::CreateProjectRole,
            &label,
            CustomRole::new(name, levels, compute_role).map_err(Into::into),
        )?;
        self.change(s, Op::CreateProjectRole, &label, |tx| {
            live_ws(tx, ws, &w.region)?;
            if tx.has(T::Roles, &key(&[ws, name]))? {
                return fail(ConsoleError::Conflict(format!(
                    "role {name} already exists in {ws}"
                )));
            }
            tx.put(T::Roles, &key(&[ws, name]), &role)
        })
    }

    /// Deletes a custom role; built-in roles cannot be deleted, and a held role must be revoked first.
    pub fn delete_role(&self, s: &Session, ws: &str, name: &str) -> Result<()> {
        let label = format!("role {name} in {ws}");
        self.ws_for(s, ws, Op::DeleteProjectRole)?;
        if BuiltinRole::from_slug(name).is_some()
            || BuiltinRole::ALL.iter().any(|b| b.title() == name)
        {
            return self.checked(
                s,
                Op::DeleteProjectRole,
                &label,
                Err(ConsoleError::Conflict(format!(
                    "{name} is a built-in role; built-in roles cannot be changed or deleted"
                ))),
            );
        }
        let held = self
            .store
            .scan::<Member>(T::Members, &prefix(ws))?
            .iter()
            .filter(|m| m.roles.contains(&RoleRef::Custom(name.into())))
            .count();
        if held > 0 {
            return self.checked(
                s,
                Op::DeleteProjectRole,
                &label,
                Err(ConsoleError::Conflict(format!(
                    "role {name} is held by {held} member(s) of {ws}; revoke it first"
                ))),
            );
        }
        self.change(s, Op::DeleteProjectRole, &label, |tx| {
            if !tx.has(T::Roles, &key(&[ws, name]))? {
                return fail(ConsoleError::NotFound(format!("role {name} in {ws}")));
            }
            tx.del(T::Roles, &key(&[ws, name]))
        })
    }
}

/// Writes a member with its index and the workspace's numbers.
pub(super) fn put_member(
    tx: &Tx,
    region: &str,
    before: Option<&Member>,
    m: &Member,
) -> TxResult<(), ConsoleError> {
    tx.put(T::Members, &key(&[&m.workspace, &m.user]), m)?;
    tx.mark(T::MemberWs, &member_ws_key(&m.user, region, &m.workspace))?;
    stats_put(tx, &m.workspace, before, m)
}

/// The member index: a user's workspaces, by region, so a list reads only what it shows.
pub(super) fn member_ws_key(user: &str, region: &str, ws: &str) -> Vec<u8> {
    key(&[user, region, ws])
}
