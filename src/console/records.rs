//! What the console stores besides the domain's entities.

use serde::{Deserialize, Serialize};

use crate::domain::principal::RamUser;
use crate::domain::tenant_role::TenantRoleRef;
use crate::domain::{Edition, Timestamp};

/// The tenant: its account, edition and how people log on. One per store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub account: String,
    /// argon2id PHC string; `None` on an open (demo) store.
    pub account_hash: Option<String>,
    pub edition: Edition,
    /// A demo store: log-on is a user picker without passwords, and every frame says DEMO.
    pub open: bool,
    pub default_region: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    pub user: RamUser,
    pub password_hash: Option<String>,
    /// A one-time password (a user a restore created): the first log-on must set a new one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub must_change_password: bool,
    /// A virtual MFA device (TOTP): once confirmed, log-on asks for its code too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa: Option<super::mfa::MfaDevice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRecord {
    pub name: String,
    pub description: String,
    /// The default version's document as written; compiled when used.
    pub document: String,
    pub system: bool,
    pub created_at: Option<Timestamp>,
    /// Every kept version, oldest first (RAM keeps up to 5). Empty in a record written before
    /// versions existed: then `document` is v1.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<PolicyVersion>,
    /// The default version's id (`v3`); `None` means v1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersion {
    pub id: String,
    pub document: String,
    pub created_at: Option<Timestamp>,
}

/// How many versions a custom policy keeps, as in RAM.
pub const MAX_POLICY_VERSIONS: usize = 5;

impl PolicyRecord {
    /// The versions, v1 standing in for a record written before versions existed.
    pub fn all_versions(&self) -> Vec<PolicyVersion> {
        if self.versions.is_empty() {
            return vec![PolicyVersion {
                id: "v1".into(),
                document: self.document.clone(),
                created_at: self.created_at,
            }];
        }
        self.versions.clone()
    }

    pub fn default_id(&self) -> String {
        self.default_version.clone().unwrap_or_else(|| "v1".into())
    }

    /// Adds a version (`v` + one more than the highest so far); with `rotate`, the oldest
    /// non-default version goes when five are kept, else five is refused. Returns its id.
    pub fn add_version(
        &mut self,
        document: &str,
        at: Timestamp,
        set_default: bool,
        rotate: bool,
    ) -> Result<String, String> {
        let mut versions = self.all_versions();
        if versions.len() >= MAX_POLICY_VERSIONS {
            let default = self.default_id();
            match versions.iter().position(|v| v.id != default) {
                Some(i) if rotate => {
                    versions.remove(i);
                }
                _ => {
                    return Err(format!(
                        "policy {} keeps {MAX_POLICY_VERSIONS} versions, the most RAM allows; delete one first (dwc policy version delete {} VERSION)",
                        self.name, self.name
                    ));
                }
            }
        }
        let next = versions
            .iter()
            .filter_map(|v| v.id.strip_prefix('v')?.parse::<u32>().ok())
            .max()
            .unwrap_or(0)
            + 1;
        let id = format!("v{next}");
        versions.push(PolicyVersion {
            id: id.clone(),
            document: document.to_owned(),
            created_at: Some(at),
        });
        self.versions = versions;
        if set_default {
            self.default_version = Some(id.clone());
            self.document = document.to_owned();
        }
        Ok(id)
    }
}

/// A user's tenant roles beyond Tenant Member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantMemberRecord {
    pub user: String,
    pub roles: Vec<TenantRoleRef>,
}

/// How often, and when last, one user opened one workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceUse {
    pub workspace: String,
    pub opened: u32,
    pub last: Timestamp,
}
