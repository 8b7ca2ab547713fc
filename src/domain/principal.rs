//! Who acts: the tenant's account (the owner, like a root user) or one of its RAM users; and from
//! where: the console pages (TUI) or the OpenAPI (CLI).

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Principal {
    Account(String),
    User(String),
}

impl Principal {
    pub fn name(&self) -> &str {
        match self {
            Principal::Account(n) | Principal::User(n) => n,
        }
    }

    pub fn is_account(&self) -> bool {
        matches!(self, Principal::Account(_))
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The value of the policy condition key `dataworks:Scope` (seed 003).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    Page,
    OpenAPI,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Page => "Page",
            Scope::OpenAPI => "OpenAPI",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A RAM user of the tenant. The password hash is kept by the console, not here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RamUser {
    pub name: String,
    pub display_name: String,
    pub created_at: super::Timestamp,
}

impl RamUser {
    pub fn new(name: &str, display_name: &str, now: super::Timestamp) -> super::DomainResult<Self> {
        super::names::user_name(name)?;
        let display_name = if display_name.is_empty() {
            name
        } else {
            display_name
        };
        super::names::text_line("display_name", display_name, 1, 64)?;
        Ok(RamUser {
            name: name.to_owned(),
            display_name: display_name.to_owned(),
            created_at: now,
        })
    }
}
