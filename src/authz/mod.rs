//! The two-layer permission engine (DESIGN §4, seed 003): RAM policy documents for product-level
//! access and RBAC roles for the service modules, combined into one `authorize` that explains
//! itself. Pure; depends on `domain` only.

pub mod condition;
pub mod engine;
pub mod operation;
pub mod policy;
pub mod system;
pub mod wildcard;

pub use condition::Origin;
pub use engine::{
    AttachedPolicy, Basis, Ctx, Decision, Reason, Target, Verdict, WorkspaceTarget, authorize,
    authorize_role_grant,
};
pub use operation::{Grant, Op, OpSpec, ResourceKind};
pub use policy::{Policy, PolicyError};
