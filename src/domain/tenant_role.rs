//! Tenant (global) roles: who may manage the global modules (seed 003, "Assign global-level roles").
//! Every RAM user is a Tenant Member and may read every global module; other roles add management.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::{DomainError, DomainResult};
use super::module::{GlobalLevels, GlobalModule, Level};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum BuiltinTenantRole {
    TenantAdministrator,
    TenantMember,
    SecurityAdministrator,
    DataGovernanceAdministrator,
}

impl BuiltinTenantRole {
    pub const ALL: [BuiltinTenantRole; 4] = [
        BuiltinTenantRole::TenantAdministrator,
        BuiltinTenantRole::TenantMember,
        BuiltinTenantRole::SecurityAdministrator,
        BuiltinTenantRole::DataGovernanceAdministrator,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            BuiltinTenantRole::TenantAdministrator => "tenant-admin",
            BuiltinTenantRole::TenantMember => "tenant-member",
            BuiltinTenantRole::SecurityAdministrator => "security-admin",
            BuiltinTenantRole::DataGovernanceAdministrator => "data-governance-admin",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            BuiltinTenantRole::TenantAdministrator => "Tenant Administrator",
            BuiltinTenantRole::TenantMember => "Tenant Member",
            BuiltinTenantRole::SecurityAdministrator => "Security Administrator",
            BuiltinTenantRole::DataGovernanceAdministrator => "Data Governance Administrator",
        }
    }

    pub fn from_slug(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.slug().eq_ignore_ascii_case(value))
    }

    pub fn levels(self) -> GlobalLevels {
        use GlobalModule::*;
        use Level::ReadWrite as W;
        let member = GlobalLevels::all(Level::ReadOnly);
        match self {
            BuiltinTenantRole::TenantAdministrator => GlobalLevels::all(W),
            BuiltinTenantRole::TenantMember => member,
            BuiltinTenantRole::SecurityAdministrator => {
                member.with(SecurityGuard, W).with(SecurityCenter, W)
            }
            BuiltinTenantRole::DataGovernanceAdministrator => {
                member.with(DataGovernance, W).with(DataMap, W)
            }
        }
    }
}

impl fmt::Display for BuiltinTenantRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomTenantRole {
    pub name: String,
    pub levels: GlobalLevels,
}

impl CustomTenantRole {
    pub fn new(name: &str, levels: GlobalLevels) -> DomainResult<Self> {
        super::names::role_name(name)?;
        if BuiltinTenantRole::from_slug(name).is_some()
            || BuiltinTenantRole::ALL
                .iter()
                .any(|r| r.title().eq_ignore_ascii_case(name))
        {
            return Err(DomainError::invalid(
                "name",
                format!("{name:?} is a built-in tenant role; built-in roles cannot be redefined"),
            ));
        }
        Ok(CustomTenantRole {
            name: name.to_owned(),
            levels,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TenantRole {
    Builtin(BuiltinTenantRole),
    Custom(CustomTenantRole),
}

impl TenantRole {
    pub fn name(&self) -> &str {
        match self {
            TenantRole::Builtin(b) => b.title(),
            TenantRole::Custom(c) => &c.name,
        }
    }

    pub fn level(&self, m: GlobalModule) -> Level {
        match self {
            TenantRole::Builtin(b) => b.levels().of(m),
            TenantRole::Custom(c) => c.levels.of(m),
        }
    }
}

/// A reference to a tenant role as stored on a tenant membership.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TenantRoleRef {
    Builtin(BuiltinTenantRole),
    Custom(String),
}

impl TenantRoleRef {
    pub fn parse(value: &str) -> DomainResult<Self> {
        if let Some(b) = BuiltinTenantRole::from_slug(value) {
            return Ok(TenantRoleRef::Builtin(b));
        }
        super::names::role_name(value).map_err(|_| {
            let slugs: Vec<&str> = BuiltinTenantRole::ALL.iter().map(|r| r.slug()).collect();
            DomainError::invalid(
                "role",
                format!(
                    "unknown tenant role {value:?} (one of {} or a custom role name)",
                    slugs.join(", ")
                ),
            )
        })?;
        Ok(TenantRoleRef::Custom(value.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_levels() {
        let member = BuiltinTenantRole::TenantMember.levels();
        assert!(
            GlobalModule::ALL
                .iter()
                .all(|m| member.of(*m) == Level::ReadOnly)
        );
        let sec = BuiltinTenantRole::SecurityAdministrator.levels();
        assert_eq!(sec.of(GlobalModule::SecurityCenter), Level::ReadWrite);
        assert_eq!(sec.of(GlobalModule::ManagementCenter), Level::ReadOnly);
        assert!(CustomTenantRole::new("tenant-admin", GlobalLevels::default()).is_err());
        assert_eq!(
            TenantRoleRef::parse("security-admin").unwrap(),
            TenantRoleRef::Builtin(BuiltinTenantRole::SecurityAdministrator)
        );
    }
}
