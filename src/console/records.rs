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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRecord {
    pub name: String,
    pub description: String,
    /// The document as written; compiled when used.
    pub document: String,
    pub system: bool,
    pub created_at: Option<Timestamp>,
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
