//! The console's typed errors (DESIGN §1). Every front end turns them into a clear message; the
//! CLI also into an exit code (§9).

use thiserror::Error;

use crate::domain::DomainError;
use crate::store::{StoreError, TxError};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConsoleError {
    #[error("denied: {action} on {target}")]
    Denied {
        action: String,
        target: String,
        explanation: Vec<String>,
    },
    #[error("log-on failed: unknown user or wrong password")]
    Unauthenticated,
    /// Too many failed log-ons for this name lately (unknown names are locked out alike, so
    /// this says nothing about who exists).
    #[error("log-on refused: too many failed attempts as {user}; try again in {minutes} minute(s)")]
    LockedOut { user: String, minutes: i64 },
    /// The password was right but is one-time: the log-on must give a new one.
    #[error(
        "the password of {0} is a one-time password: log on again giving a new one (DWC_CHANGE_PASSWORD for the command line)"
    )]
    PasswordChangeRequired(String),
    /// The password or key was right and the user has MFA: the log-on must give its code.
    #[error(
        "{0} has MFA: log on again giving the code of the authenticator app (DWC_MFA_CODE for the command line)"
    )]
    MfaRequired(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("{0}")]
    Conflict(String),
    /// The tenant's edition or the resource's state does not offer this now.
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Store(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ConsoleError {
    pub fn kind(&self) -> &'static str {
        match self {
            ConsoleError::Denied { .. } => "Denied",
            ConsoleError::Unauthenticated => "Unauthenticated",
            ConsoleError::LockedOut { .. } => "LockedOut",
            ConsoleError::PasswordChangeRequired(_) => "PasswordChangeRequired",
            ConsoleError::MfaRequired(_) => "MfaRequired",
            ConsoleError::NotFound(_) => "NotFound",
            ConsoleError::Invalid { .. } => "Invalid",
            ConsoleError::Conflict(_) => "Conflict",
            ConsoleError::Unavailable(_) => "Unavailable",
            ConsoleError::Store(_) => "StoreUnavailable",
            ConsoleError::Internal(_) => "Internal",
        }
    }

    pub fn explanation(&self) -> &[String] {
        match self {
            ConsoleError::Denied { explanation, .. } => explanation,
            _ => &[],
        }
    }

    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        ConsoleError::Invalid {
            field: field.to_owned(),
            reason: reason.into(),
        }
    }
}

impl From<DomainError> for ConsoleError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid { field, rule } => ConsoleError::Invalid {
                field,
                reason: rule,
            },
            e @ DomainError::IllegalTransition { .. } => ConsoleError::Conflict(e.to_string()),
            e @ (DomainError::Edition { .. } | DomainError::Limit { .. }) => {
                ConsoleError::Unavailable(e.to_string())
            }
        }
    }
}

impl From<StoreError> for ConsoleError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Corrupt { .. } => ConsoleError::Internal(e.to_string()),
            StoreError::Exists(_) => ConsoleError::Conflict(e.to_string()),
            e => ConsoleError::Store(e.to_string()),
        }
    }
}

impl From<TxError<ConsoleError>> for ConsoleError {
    fn from(e: TxError<ConsoleError>) -> Self {
        match e {
            TxError::Abort(e) => e,
            TxError::Store(e) => e.into(),
        }
    }
}

pub type Result<T, E = ConsoleError> = std::result::Result<T, E>;
