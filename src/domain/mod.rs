//! The domain core: entities, names, lifecycles and editions as pure types and functions.
//! No I/O, no clock reads (time is passed in), no async.

pub mod advice;
pub mod alert;
pub mod audit;
pub mod catalogue;
pub mod cluster;
pub mod compute;
pub mod datasource;
pub mod edition;
pub mod error;
pub mod extension;
pub mod image;
pub mod job;
pub mod model;
pub mod module;
pub mod names;
pub mod principal;
pub mod purchase;
pub mod region;
pub mod resource_group;
pub mod role;
pub mod tenant_role;
pub mod text;
pub mod workspace;

pub use edition::{Edition, Feature};
pub use error::{DomainError, DomainResult};
pub use module::{GlobalModule, Level, Module};
pub use principal::{Principal, Scope};
pub use role::{BuiltinRole, RoleRef, WorkspaceRole};
pub use tenant_role::{BuiltinTenantRole, TenantRole};
pub use workspace::{Env, Workspace, WorkspaceMode, WorkspaceStatus};

/// Points in time are UTC and always handed in by the caller.
pub type Timestamp = chrono::DateTime<chrono::Utc>;
