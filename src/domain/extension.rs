//! Extensions: programs from the Open Platform that check development and O&M events.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::Timestamp;
use super::error::{DomainError, DomainResult};
use super::names;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ExtensionEvent {
    NodeCommit,
    NodeDeploy,
    NodeDelete,
    TableCreate,
    DataDownload,
}

impl ExtensionEvent {
    pub const ALL: [ExtensionEvent; 5] = [
        ExtensionEvent::NodeCommit,
        ExtensionEvent::NodeDeploy,
        ExtensionEvent::NodeDelete,
        ExtensionEvent::TableCreate,
        ExtensionEvent::DataDownload,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            ExtensionEvent::NodeCommit => "node-commit",
            ExtensionEvent::NodeDeploy => "node-deploy",
            ExtensionEvent::NodeDelete => "node-delete",
            ExtensionEvent::TableCreate => "table-create",
            ExtensionEvent::DataDownload => "data-download",
        }
    }

    pub fn parse(field: &str, value: &str) -> DomainResult<Self> {
        Self::ALL
            .into_iter()
            .find(|e| e.slug().eq_ignore_ascii_case(value))
            .ok_or_else(|| {
                let slugs: Vec<&str> = Self::ALL.iter().map(|e| e.slug()).collect();
                DomainError::invalid(
                    field,
                    format!("unknown event {value:?} (one of {})", slugs.join(", ")),
                )
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub name: String,
    pub description: String,
    pub events: BTreeSet<ExtensionEvent>,
    /// Workspaces where the extension checks events.
    pub enabled_in: BTreeSet<String>,
    pub created_at: Timestamp,
}

impl Extension {
    pub fn new(
        name: &str,
        description: &str,
        events: &[ExtensionEvent],
        now: Timestamp,
    ) -> DomainResult<Self> {
        names::extension_name(name)?;
        names::text_block("description", description, 512)?;
        if events.is_empty() {
            return Err(DomainError::invalid(
                "events",
                "an extension checks at least one event",
            ));
        }
        Ok(Extension {
            name: name.into(),
            description: description.into(),
            events: events.iter().copied().collect(),
            enabled_in: BTreeSet::new(),
            created_at: now,
        })
    }
}
