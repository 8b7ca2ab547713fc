//! Workspace roles: the built-in ones of seeds 002 and 004, with their module levels and their
//! compute-engine role, and custom roles (Enterprise) with a level per module.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::{DomainError, DomainResult};
use super::module::{Level, Module, ModuleLevels};
use super::workspace::Env;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum BuiltinRole {
    ProjectOwner,
    WorkspaceManager,
    Development,
    OM,
    Deploy,
    Visitor,
    SecurityManager,
    DataAnalyst,
    ModelDesigner,
    DataGovernanceAdmin,
}

impl BuiltinRole {
    pub const ALL: [BuiltinRole; 10] = [
        BuiltinRole::ProjectOwner,
        BuiltinRole::WorkspaceManager,
        BuiltinRole::Development,
        BuiltinRole::OM,
        BuiltinRole::Deploy,
        BuiltinRole::Visitor,
        BuiltinRole::SecurityManager,
        BuiltinRole::DataAnalyst,
        BuiltinRole::ModelDesigner,
        BuiltinRole::DataGovernanceAdmin,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            BuiltinRole::ProjectOwner => "project-owner",
            BuiltinRole::WorkspaceManager => "workspace-manager",
            BuiltinRole::Development => "development",
            BuiltinRole::OM => "om",
            BuiltinRole::Deploy => "deploy",
            BuiltinRole::Visitor => "visitor",
            BuiltinRole::SecurityManager => "security-manager",
            BuiltinRole::DataAnalyst => "data-analyst",
            BuiltinRole::ModelDesigner => "model-designer",
            BuiltinRole::DataGovernanceAdmin => "data-governance-admin",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            BuiltinRole::ProjectOwner => "Project Owner",
            BuiltinRole::WorkspaceManager => "Workspace Manager",
            BuiltinRole::Development => "Development",
            BuiltinRole::OM => "O&M",
            BuiltinRole::Deploy => "Deploy",
            BuiltinRole::Visitor => "Visitor",
            BuiltinRole::SecurityManager => "Security Manager",
            BuiltinRole::DataAnalyst => "Data Analyst",
            BuiltinRole::ModelDesigner => "Model Designer",
            BuiltinRole::DataGovernanceAdmin => "Data Governance Administrator",
        }
    }

    pub fn from_slug(value: &str) -> Option<BuiltinRole> {
        BuiltinRole::ALL
            .into_iter()
            .find(|r| r.slug().eq_ignore_ascii_case(value))
    }

    /// Fixed module levels (seed 002, DESIGN §3). Built-in roles can never be changed.
    pub fn levels(self) -> ModuleLevels {
        use Level::{ReadOnly as R, ReadWrite as W};
        use Module::*;
        let none = ModuleLevels::default();
        match self {
            BuiltinRole::ProjectOwner | BuiltinRole::WorkspaceManager => ModuleLevels::all(W),
            // Develops, commits and builds deploy packages; sees but cannot run deployments or
            // online O&M.
            BuiltinRole::Development => none
                .with(DataStudio, W)
                .with(DataIntegration, W)
                .with(DataService, W)
                .with(DataQuality, W)
                .with(Deployment, R)
                .with(OperationCenter, R),
            // Deploys and runs online O&M; reads code to review it, never edits it.
            BuiltinRole::OM => none
                .with(Deployment, W)
                .with(OperationCenter, W)
                .with(DataStudio, R),
            // Reviews code and deploys; may watch but not operate production.
            BuiltinRole::Deploy => none
                .with(Deployment, W)
                .with(DataStudio, R)
                .with(OperationCenter, R),
            BuiltinRole::Visitor => none.with(DataStudio, R),
            BuiltinRole::SecurityManager => none.with(SecurityGuard, W),
            BuiltinRole::DataAnalyst => none.with(DataAnalysis, W),
            BuiltinRole::ModelDesigner => none.with(DataModeling, W),
            BuiltinRole::DataGovernanceAdmin => none.with(DataGovernance, W),
        }
    }

    /// Project Owner and Workspace Manager manage members, roles and settings.
    pub fn is_admin(self) -> bool {
        matches!(
            self,
            BuiltinRole::ProjectOwner | BuiltinRole::WorkspaceManager
        )
    }

    /// The compute-engine (MaxCompute) role this role maps to in an environment (seed 004).
    /// The mapping applies to the development environment; production has none by default, except
    /// for the owner, who owns both.
    pub fn compute_role(self, env: Env) -> Option<&'static str> {
        let dev = match self {
            BuiltinRole::ProjectOwner => return Some("Project Owner"),
            BuiltinRole::WorkspaceManager => "Role_Project_Admin",
            BuiltinRole::Development => "Role_Project_Dev",
            BuiltinRole::OM => "Role_Project_Pe",
            BuiltinRole::Deploy => "Role_Project_Deploy",
            BuiltinRole::Visitor => "Role_Project_Guest",
            BuiltinRole::SecurityManager => "Role_Project_Security",
            BuiltinRole::DataAnalyst => "Role_Project_Data_Analyst",
            BuiltinRole::ModelDesigner => "Role_Project_Erd",
            BuiltinRole::DataGovernanceAdmin => "Role_Project_Data_Governance",
        };
        (env == Env::Dev).then_some(dev)
    }

    /// Roles a Workspace Manager may hand out (seed 004): Workspace Manager, Development, O&M,
    /// Deploy and Visitor. The rest are the owner's to give.
    pub fn assignable_by_manager(self) -> bool {
        matches!(
            self,
            BuiltinRole::WorkspaceManager
                | BuiltinRole::Development
                | BuiltinRole::OM
                | BuiltinRole::Deploy
                | BuiltinRole::Visitor
        )
    }
}

impl fmt::Display for BuiltinRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// A custom workspace role: a level per module and, optionally, a compute-engine role mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomRole {
    pub name: String,
    pub levels: ModuleLevels,
    pub compute_role: Option<String>,
}

impl CustomRole {
    pub fn new(name: &str, levels: ModuleLevels, compute_role: Option<&str>) -> DomainResult<Self> {
        super::names::role_name(name)?;
        if BuiltinRole::from_slug(name).is_some()
            || BuiltinRole::ALL
                .iter()
                .any(|r| r.title().eq_ignore_ascii_case(name))
        {
            return Err(DomainError::invalid(
                "name",
                format!("{name:?} is a built-in role; built-in roles cannot be redefined"),
            ));
        }
        if let Some(cr) = compute_role {
            super::names::slug_name("compute_role", "compute-engine role names", cr, 64)?;
        }
        Ok(CustomRole {
            name: name.to_owned(),
            levels,
            compute_role: compute_role.map(str::to_owned),
        })
    }
}

/// A role as stored on a membership: a built-in role, or a custom role by name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RoleRef {
    Builtin(BuiltinRole),
    Custom(String),
}

impl RoleRef {
    /// Reads a role slug (`development`) or a custom role name as typed by a person.
    pub fn parse(value: &str) -> DomainResult<RoleRef> {
        if let Some(b) = BuiltinRole::from_slug(value) {
            return Ok(RoleRef::Builtin(b));
        }
        super::names::role_name(value).map_err(|_| {
            let slugs: Vec<&str> = BuiltinRole::ALL.iter().map(|r| r.slug()).collect();
            DomainError::invalid(
                "role",
                format!(
                    "unknown role {value:?} (one of {} or a custom role name)",
                    slugs.join(", ")
                ),
            )
        })?;
        Ok(RoleRef::Custom(value.to_owned()))
    }

    pub fn name(&self) -> &str {
        match self {
            RoleRef::Builtin(b) => b.title(),
            RoleRef::Custom(n) => n,
        }
    }
}

impl fmt::Display for RoleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A role with its definition resolved: what the permission engine evaluates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkspaceRole {
    Builtin(BuiltinRole),
    Custom(CustomRole),
}

impl WorkspaceRole {
    pub fn name(&self) -> &str {
        match self {
            WorkspaceRole::Builtin(b) => b.title(),
            WorkspaceRole::Custom(c) => &c.name,
        }
    }

    pub fn levels(&self) -> ModuleLevels {
        match self {
            WorkspaceRole::Builtin(b) => b.levels(),
            WorkspaceRole::Custom(c) => c.levels,
        }
    }

    pub fn level(&self, m: Module) -> Level {
        match self {
            WorkspaceRole::Builtin(b) => b.levels().of(m),
            WorkspaceRole::Custom(c) => c.levels.of(m),
        }
    }

    pub fn is_admin(&self) -> bool {
        matches!(self, WorkspaceRole::Builtin(b) if b.is_admin())
    }

    pub fn is(&self, role: BuiltinRole) -> bool {
        matches!(self, WorkspaceRole::Builtin(b) if *b == role)
    }

    pub fn compute_role(&self, env: Env) -> Option<&str> {
        match self {
            WorkspaceRole::Builtin(b) => b.compute_role(env),
            WorkspaceRole::Custom(c) => c.compute_role.as_deref().filter(|_| env == Env::Dev),
        }
    }

    pub fn to_ref(&self) -> RoleRef {
        match self {
            WorkspaceRole::Builtin(b) => RoleRef::Builtin(*b),
            WorkspaceRole::Custom(c) => RoleRef::Custom(c.name.clone()),
        }
    }
}

/// A member's effective levels: the union of their roles' levels.
pub fn effective_levels(roles: &[WorkspaceRole]) -> ModuleLevels {
    roles
        .iter()
        .fold(ModuleLevels::default(), |acc, r| acc.union(&r.levels()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_004_compute_mapping() {
        let dev: Vec<_> = BuiltinRole::ALL
            .iter()
            .map(|r| r.compute_role(Env::Dev))
            .collect();
        assert_eq!(
            dev,
            [
                Some("Project Owner"),
                Some("Role_Project_Admin"),
                Some("Role_Project_Dev"),
                Some("Role_Project_Pe"),
                Some("Role_Project_Deploy"),
                Some("Role_Project_Guest"),
                Some("Role_Project_Security"),
                Some("Role_Project_Data_Analyst"),
                Some("Role_Project_Erd"),
                Some("Role_Project_Data_Governance"),
            ]
        );
        assert_eq!(BuiltinRole::Development.compute_role(Env::Prod), None);
        assert_eq!(
            BuiltinRole::ProjectOwner.compute_role(Env::Prod),
            Some("Project Owner")
        );
    }

    #[test]
    fn slugs_round_trip() {
        for r in BuiltinRole::ALL {
            assert_eq!(RoleRef::parse(r.slug()).unwrap(), RoleRef::Builtin(r));
        }
        assert_eq!(
            RoleRef::parse("etl_reviewer").unwrap(),
            RoleRef::Custom("etl_reviewer".into())
        );
        assert!(
            RoleRef::parse("bad role")
                .unwrap_err()
                .to_string()
                .starts_with("role: unknown role")
        );
    }

    #[test]
    fn custom_roles_cannot_shadow_builtins() {
        assert!(CustomRole::new("development", ModuleLevels::default(), None).is_err());
        assert!(CustomRole::new("O&M", ModuleLevels::default(), None).is_err());
        assert!(
            CustomRole::new(
                "no_dataservice",
                ModuleLevels::default(),
                Some("Role_Custom")
            )
            .is_ok()
        );
    }

    #[test]
    fn union_of_roles() {
        let roles = [
            WorkspaceRole::Builtin(BuiltinRole::Development),
            WorkspaceRole::Builtin(BuiltinRole::OM),
        ];
        let l = effective_levels(&roles);
        assert_eq!(l.of(Module::DataStudio), Level::ReadWrite);
        assert_eq!(l.of(Module::Deployment), Level::ReadWrite);
        assert_eq!(l.of(Module::Management), Level::Unauthorized);
    }
}
