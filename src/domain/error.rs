//! The one error type of the domain core: what was wrong, named so a person can fix it.

use thiserror::Error;

use super::edition::{Edition, Feature};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// A field broke a rule. `field` is the name a user typed it under, `rule` says what is allowed.
    #[error("{field}: {rule}")]
    Invalid { field: String, rule: String },
    /// A lifecycle move the current state does not allow.
    #[error("{entity} {name} is {state}: cannot {action}")]
    IllegalTransition {
        entity: &'static str,
        name: String,
        state: String,
        action: &'static str,
    },
    /// The tenant's edition does not include a feature.
    #[error("{} needs the {} edition or higher (this tenant has {})", feature.title(), needs.title(), have.title())]
    Edition {
        feature: Feature,
        needs: Edition,
        have: Edition,
    },
    /// A count limit was reached (image count, alert sends, …).
    #[error("{what}: limit of {limit} reached")]
    Limit { what: String, limit: u64 },
}

impl DomainError {
    pub fn invalid(field: impl Into<String>, rule: impl Into<String>) -> Self {
        DomainError::Invalid {
            field: field.into(),
            rule: rule.into(),
        }
    }
}

pub type DomainResult<T> = Result<T, DomainError>;
