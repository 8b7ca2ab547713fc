//! Workspaces and their lifecycle (seeds 000, 001): Normal ↔ Disabled, delete to a 14-day recycle
//! bin (restorable, name reserved), then purge; Basic → Standard once.

use std::fmt;

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::Timestamp;
use super::error::{DomainError, DomainResult};
use super::names;
use super::region;
use super::role::RoleRef;

/// How long a deleted workspace stays restorable.
pub const RECYCLE_DAYS: i64 = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WorkspaceMode {
    Basic,
    Standard,
}

impl WorkspaceMode {
    pub fn title(self) -> &'static str {
        match self {
            WorkspaceMode::Basic => "Basic",
            WorkspaceMode::Standard => "Standard",
        }
    }

    pub fn parse(field: &str, value: &str) -> DomainResult<Self> {
        match value.to_ascii_lowercase().as_str() {
            "basic" => Ok(WorkspaceMode::Basic),
            "standard" => Ok(WorkspaceMode::Standard),
            _ => Err(DomainError::invalid(
                field,
                format!("must be basic or standard (got {value:?})"),
            )),
        }
    }

    /// Environments a workspace of this mode has: Basic runs everything in production; Standard
    /// isolates development from production.
    pub fn envs(self) -> &'static [Env] {
        match self {
            WorkspaceMode::Basic => &[Env::Prod],
            WorkspaceMode::Standard => &[Env::Dev, Env::Prod],
        }
    }

    pub fn check_env(self, field: &str, env: Env) -> DomainResult<()> {
        if self.envs().contains(&env) {
            Ok(())
        } else {
            Err(DomainError::invalid(
                field,
                "a Basic-mode workspace has only the prod environment (upgrade to Standard for dev)",
            ))
        }
    }
}

impl fmt::Display for WorkspaceMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// Development or production environment (Standard mode has both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Env {
    Dev,
    Prod,
}

impl Env {
    pub fn slug(self) -> &'static str {
        match self {
            Env::Dev => "dev",
            Env::Prod => "prod",
        }
    }

    pub fn parse(field: &str, value: &str) -> DomainResult<Self> {
        match value.to_ascii_lowercase().as_str() {
            "dev" | "development" => Ok(Env::Dev),
            "prod" | "production" => Ok(Env::Prod),
            _ => Err(DomainError::invalid(
                field,
                format!("must be dev or prod (got {value:?})"),
            )),
        }
    }
}

impl fmt::Display for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WorkspaceStatus {
    Normal,
    Disabled,
}

impl WorkspaceStatus {
    pub fn title(self) -> &'static str {
        match self {
            WorkspaceStatus::Normal => "Normal",
            WorkspaceStatus::Disabled => "Disabled",
        }
    }
}

/// Settings shown on the Configuration tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceSettings {
    /// Whether members may download query results.
    pub allow_download: bool,
    /// Whether scheduled nodes run (paused while disabled regardless).
    pub scheduling: bool,
}

impl Default for WorkspaceSettings {
    fn default() -> Self {
        WorkspaceSettings {
            allow_download: true,
            scheduling: true,
        }
    }
}

/// Where a deleted workspace waits until it is restored or purged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recycled {
    pub deleted_at: Timestamp,
    pub status_before: WorkspaceStatus,
}

impl Recycled {
    pub fn purge_at(&self) -> Timestamp {
        self.deleted_at + Duration::days(RECYCLE_DAYS)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub name: String,
    pub region: String,
    pub display_name: String,
    pub description: String,
    pub mode: WorkspaceMode,
    pub status: WorkspaceStatus,
    /// The system default workspace: for exploring, "not for production" (seed 001).
    pub is_default: bool,
    pub settings: WorkspaceSettings,
    pub created_at: Timestamp,
    pub created_by: String,
    pub recycled: Option<Recycled>,
    /// On the old Data Studio (new workspaces are not): it may register its own clusters.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub legacy_data_studio: bool,
}

/// What a person fills in to create a workspace.
#[derive(Debug, Clone, Default)]
pub struct NewWorkspace {
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub mode: Option<WorkspaceMode>,
}

/// Changes to a workspace's editable fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct WorkspacePatch {
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub allow_download: Option<bool>,
    pub scheduling: Option<bool>,
}

fn check_display_name(value: &str) -> DomainResult<()> {
    names::text_line("display_name", value, 1, 64)
}

fn check_description(value: &str) -> DomainResult<()> {
    names::text_block("description", value, 1024)
}

impl Workspace {
    /// Validates every field; the display name defaults to the name; Standard is the default mode
    /// (seed 000 recommends it).
    pub fn create(
        input: NewWorkspace,
        region: &str,
        creator: &str,
        now: Timestamp,
    ) -> DomainResult<Workspace> {
        names::workspace_name(&input.name)?;
        region::region("region", region)?;
        let display_name = if input.display_name.trim().is_empty() {
            input.name.clone()
        } else {
            input.display_name
        };
        check_display_name(&display_name)?;
        check_description(&input.description)?;
        Ok(Workspace {
            name: input.name,
            region: region.to_owned(),
            display_name,
            description: input.description,
            mode: input.mode.unwrap_or(WorkspaceMode::Standard),
            status: WorkspaceStatus::Normal,
            is_default: false,
            settings: WorkspaceSettings::default(),
            created_at: now,
            created_by: creator.to_owned(),
            recycled: None,
            legacy_data_studio: false,
        })
    }

    fn illegal(&self, action: &'static str) -> DomainError {
        DomainError::IllegalTransition {
            entity: "workspace",
            name: self.name.clone(),
            state: self.state_title().to_owned(),
            action,
        }
    }

    /// The status a person sees: the recycle bin hides Normal/Disabled.
    pub fn state_title(&self) -> &'static str {
        if self.recycled.is_some() {
            "in the recycle bin"
        } else {
            self.status.title()
        }
    }

    pub fn is_live(&self) -> bool {
        self.recycled.is_none()
    }

    pub fn update(&mut self, patch: WorkspacePatch) -> DomainResult<()> {
        if !self.is_live() {
            return Err(self.illegal("update it"));
        }
        if self.status == WorkspaceStatus::Disabled {
            return Err(self.illegal("update it (enable it first)"));
        }
        if let Some(d) = &patch.display_name {
            check_display_name(d)?;
        }
        if let Some(d) = &patch.description {
            check_description(d)?;
        }
        if let Some(d) = patch.display_name {
            self.display_name = d;
        }
        if let Some(d) = patch.description {
            self.description = d;
        }
        if let Some(v) = patch.allow_download {
            self.settings.allow_download = v;
        }
        if let Some(v) = patch.scheduling {
            self.settings.scheduling = v;
        }
        Ok(())
    }

    /// Pauses scheduling and makes the workspace read-only; keeps everything.
    pub fn disable(&mut self) -> DomainResult<()> {
        match (self.is_live(), self.status) {
            (true, WorkspaceStatus::Normal) => {
                self.status = WorkspaceStatus::Disabled;
                Ok(())
            }
            _ => Err(self.illegal("disable it")),
        }
    }

    pub fn enable(&mut self) -> DomainResult<()> {
        match (self.is_live(), self.status) {
            (true, WorkspaceStatus::Disabled) => {
                self.status = WorkspaceStatus::Normal;
                Ok(())
            }
            _ => Err(self.illegal("enable it")),
        }
    }

    /// Moves the workspace to the recycle bin; its name stays reserved until it is purged.
    pub fn delete(&mut self, now: Timestamp) -> DomainResult<()> {
        if !self.is_live() {
            return Err(self.illegal("delete it"));
        }
        self.recycled = Some(Recycled {
            deleted_at: now,
            status_before: self.status,
        });
        Ok(())
    }

    /// Brings a workspace back from the recycle bin within its 14 days, in the status it had.
    pub fn restore(&mut self, now: Timestamp) -> DomainResult<()> {
        match self.recycled {
            Some(r) if now < r.purge_at() => {
                self.status = r.status_before;
                self.recycled = None;
                Ok(())
            }
            Some(_) => Err(self.illegal("restore it (its 14 days in the recycle bin are over)")),
            None => Err(self.illegal("restore it (it is not in the recycle bin)")),
        }
    }

    /// Whether the clock has run out on a recycled workspace.
    pub fn purge_due(&self, now: Timestamp) -> bool {
        self.recycled.is_some_and(|r| now >= r.purge_at())
    }

    /// Checks that a workspace may be purged now: it is in the recycle bin (purging early is an
    /// explicit choice; the clock purges when its days are over).
    pub fn check_purge(&self) -> DomainResult<()> {
        if self.recycled.is_some() {
            Ok(())
        } else {
            Err(self.illegal("purge it (only workspaces in the recycle bin are purged)"))
        }
    }

    /// Basic → Standard, once; there is no way back.
    pub fn upgrade_mode(&mut self) -> DomainResult<()> {
        if !self.is_live() || self.status == WorkspaceStatus::Disabled {
            return Err(self.illegal("upgrade it"));
        }
        match self.mode {
            WorkspaceMode::Basic => {
                self.mode = WorkspaceMode::Standard;
                Ok(())
            }
            WorkspaceMode::Standard => Err(DomainError::IllegalTransition {
                entity: "workspace",
                name: self.name.clone(),
                state: "already in Standard mode".into(),
                action: "upgrade it (the upgrade is one-way, Basic to Standard)",
            }),
        }
    }
}

/// A principal's membership of a workspace, with one or more roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub workspace: String,
    pub user: String,
    pub roles: Vec<RoleRef>,
    pub added_at: Timestamp,
}

impl Member {
    pub fn new(
        workspace: &str,
        user: &str,
        roles: Vec<RoleRef>,
        now: Timestamp,
    ) -> DomainResult<Self> {
        names::user_name(user)?;
        let mut m = Member {
            workspace: workspace.to_owned(),
            user: user.to_owned(),
            roles: Vec::new(),
            added_at: now,
        };
        if roles.is_empty() {
            return Err(DomainError::invalid(
                "role",
                "a member needs at least one role",
            ));
        }
        for r in roles {
            m.grant(r);
        }
        Ok(m)
    }

    /// Adds a role; granting a role the member has already changes nothing.
    pub fn grant(&mut self, role: RoleRef) -> bool {
        if self.roles.contains(&role) {
            return false;
        }
        self.roles.push(role);
        self.roles.sort();
        true
    }

    /// Removes a role. The last role cannot be revoked: remove the member instead.
    pub fn revoke(&mut self, role: &RoleRef) -> DomainResult<()> {
        if !self.roles.contains(role) {
            return Err(DomainError::invalid(
                "role",
                format!("{} does not hold the role {role}", self.user),
            ));
        }
        if self.roles.len() == 1 {
            return Err(DomainError::invalid(
                "role",
                format!(
                    "{role} is {}'s last role in {}; remove the member instead",
                    self.user, self.workspace
                ),
            ));
        }
        self.roles.retain(|r| r != role);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::role::BuiltinRole;
    use chrono::TimeZone;

    fn t0() -> Timestamp {
        chrono::Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap()
    }

    fn ws() -> Workspace {
        Workspace::create(
            NewWorkspace {
                name: "finance_etl".into(),
                ..Default::default()
            },
            "cn-hangzhou",
            "acme",
            t0(),
        )
        .unwrap()
    }

    #[test]
    fn create_validates_and_defaults() {
        let w = ws();
        assert_eq!(w.display_name, "finance_etl");
        assert_eq!(w.mode, WorkspaceMode::Standard);
        let bad = Workspace::create(
            NewWorkspace {
                name: "x".into(),
                ..Default::default()
            },
            "cn-hangzhou",
            "acme",
            t0(),
        );
        assert!(bad.unwrap_err().to_string().starts_with("name:"));
        let bad = Workspace::create(
            NewWorkspace {
                name: "abc".into(),
                ..Default::default()
            },
            "moon-1",
            "acme",
            t0(),
        );
        assert!(bad.unwrap_err().to_string().starts_with("region:"));
    }

    #[test]
    fn disable_enable_cycle() {
        let mut w = ws();
        assert!(w.enable().is_err());
        w.disable().unwrap();
        assert_eq!(w.status, WorkspaceStatus::Disabled);
        let e = w.disable().unwrap_err().to_string();
        assert_eq!(e, "workspace finance_etl is Disabled: cannot disable it");
        assert!(w.update(WorkspacePatch::default()).is_err());
        assert!(w.upgrade_mode().is_err());
        w.enable().unwrap();
        assert_eq!(w.status, WorkspaceStatus::Normal);
    }

    #[test]
    fn recycle_bin() {
        let mut w = ws();
        w.disable().unwrap();
        w.delete(t0()).unwrap();
        assert!(w.delete(t0()).is_err());
        assert!(w.enable().is_err());
        assert!(!w.purge_due(t0() + Duration::days(13)));
        assert!(w.purge_due(t0() + Duration::days(14)));
        let mut late = w.clone();
        assert!(
            late.restore(t0() + Duration::days(14))
                .unwrap_err()
                .to_string()
                .contains("14 days")
        );
        w.restore(t0() + Duration::days(13)).unwrap();
        assert_eq!(
            w.status,
            WorkspaceStatus::Disabled,
            "restored in the status it had"
        );
        assert!(w.restore(t0()).is_err());
        assert!(w.check_purge().is_err());
    }

    #[test]
    fn upgrade_is_one_way() {
        let mut w = ws();
        w.mode = WorkspaceMode::Basic;
        w.upgrade_mode().unwrap();
        assert_eq!(w.mode, WorkspaceMode::Standard);
        assert!(
            w.upgrade_mode()
                .unwrap_err()
                .to_string()
                .contains("one-way")
        );
    }

    #[test]
    fn envs_by_mode() {
        assert!(WorkspaceMode::Basic.check_env("env", Env::Dev).is_err());
        assert!(WorkspaceMode::Standard.check_env("env", Env::Dev).is_ok());
    }

    #[test]
    fn members_keep_at_least_one_role() {
        let dev = RoleRef::Builtin(BuiltinRole::Development);
        let om = RoleRef::Builtin(BuiltinRole::OM);
        let mut m = Member::new("finance_etl", "alice", vec![dev.clone()], t0()).unwrap();
        assert!(!m.grant(dev.clone()));
        assert!(m.grant(om.clone()));
        m.revoke(&om).unwrap();
        assert!(
            m.revoke(&dev)
                .unwrap_err()
                .to_string()
                .contains("last role")
        );
        assert!(m.revoke(&om).is_err());
        assert!(Member::new("finance_etl", "alice", vec![], t0()).is_err());
    }

    #[test]
    fn patch_validates_before_changing_anything() {
        let mut w = ws();
        let before = w.clone();
        let r = w.update(WorkspacePatch {
            display_name: Some("ok".into()),
            description: Some("bad\u{1b}".into()),
            ..Default::default()
        });
        assert!(r.is_err());
        assert_eq!(w, before);
    }
}
