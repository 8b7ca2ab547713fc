//! A workspace as the export document has it — what `dwc export` writes and `dwc apply` reads,
//! one definition for both directions. Fields are declared in name order, the order they are
//! written in: the document's keys are sorted, so two exports diff line by line. A field the
//! export always writes is `Option` only because a hand-written file may leave it out (apply
//! then leaves that part alone).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Workspace {
    /// Only a workspace on the old Data Studio has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clusters: Option<Vec<Cluster>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compute: Option<Vec<Compute>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_roles: Option<Vec<Role>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_sources: Option<Vec<DataSource>>,
    pub default: Option<bool>,
    pub description: Option<String>,
    pub display_name: Option<String>,
    /// Said by an export of a workspace on the old Data Studio; a workspace keeps its own.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub legacy_data_studio: bool,
    /// Left out of an export by whoever may not list them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<Member>>,
    pub mode: Option<String>,
    pub name: String,
    pub region: String,
    pub status: Option<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Member {
    pub name: String,
    pub roles: Vec<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Role {
    pub compute_role: Option<String>,
    pub levels: BTreeMap<String, String>,
    pub name: String,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Compute {
    pub env: String,
    pub instance: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DataSource {
    #[serde(default)]
    pub description: String,
    pub env: String,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    pub name: String,
    /// Their names only: the values never leave the store.
    #[serde(default)]
    pub secrets: Vec<String>,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Cluster {
    #[serde(default)]
    pub accounts: BTreeMap<String, String>,
    pub default_account: Option<String>,
    #[serde(default)]
    pub endpoints: BTreeMap<String, String>,
    pub env: String,
    /// Authentication files, by name: what they hold stays sealed in the store.
    #[serde(default)]
    pub files: Vec<String>,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub version: String,
}
