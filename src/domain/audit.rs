//! Audit events: every attempt, allowed, denied or failed. Append-only.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Timestamp;
use super::principal::Scope;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Ok,
    Denied,
    Failed,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub at: Timestamp,
    pub principal: String,
    pub scope: Scope,
    pub region: String,
    /// The action name, such as `dataworks:CreateProject`.
    pub action: String,
    pub target: String,
    pub outcome: Outcome,
    pub detail: String,
}
