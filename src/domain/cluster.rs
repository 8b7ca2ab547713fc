//! Self-built clusters a workspace on the old Data Studio registers (seed 000: "Register and
//! manage self-built CDH/CDP and EMR clusters. Configure authentication files and account
//! mappings"): their endpoints, authentication files (sealed, listed by name and size) and the
//! cluster account each DataWorks member works as.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::{DomainError, DomainResult};
use super::workspace::Env;
use super::{Timestamp, names};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClusterType {
    Cdh,
    Cdp,
    Emr,
}

impl ClusterType {
    pub fn slug(self) -> &'static str {
        match self {
            ClusterType::Cdh => "cdh",
            ClusterType::Cdp => "cdp",
            ClusterType::Emr => "emr",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ClusterType::Cdh => "CDH",
            ClusterType::Cdp => "CDP",
            ClusterType::Emr => "EMR",
        }
    }

    pub fn parse(field: &str, v: &str) -> DomainResult<ClusterType> {
        match v.trim().to_ascii_lowercase().as_str() {
            "cdh" => Ok(ClusterType::Cdh),
            "cdp" => Ok(ClusterType::Cdp),
            "emr" => Ok(ClusterType::Emr),
            _ => Err(DomainError::invalid(
                field,
                format!("unknown cluster type {v:?} (one of cdh, cdp, emr)"),
            )),
        }
    }
}

/// The endpoints a cluster may name.
pub const ENDPOINTS: &[&str] = &[
    "hiveserver2",
    "metastore",
    "impala",
    "yarn",
    "hdfs",
    "spark_history",
    "presto",
];

/// The largest authentication file kept (a keytab or a *-site.xml is a few KiB).
pub const MAX_FILE: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterFile {
    pub size: usize,
    /// Sealed under the store's key.
    pub sealed: Vec<u8>,
    pub added_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    pub workspace: String,
    pub name: String,
    pub kind: ClusterType,
    pub version: String,
    pub env: Env,
    pub endpoints: BTreeMap<String, String>,
    pub files: BTreeMap<String, ClusterFile>,
    /// The cluster account members work as unless mapped one by one.
    pub default_account: Option<String>,
    /// DataWorks member → cluster account.
    pub accounts: BTreeMap<String, String>,
    pub created_at: Timestamp,
}

/// `host:port` (or a URL such as `thrift://host:9083`) for an endpoint.
pub fn check_endpoint(key: &str, value: &str) -> DomainResult<()> {
    if !ENDPOINTS.contains(&key) {
        return Err(DomainError::invalid(
            "endpoint",
            format!("unknown endpoint {key:?} (one of {})", ENDPOINTS.join(", ")),
        ));
    }
    let rest = value.split_once("://").map_or(value, |(_, r)| r);
    let (host, port) = rest.rsplit_once(':').ok_or_else(|| {
        DomainError::invalid(
            "endpoint",
            format!("{key}: must be host:port (got {value:?})"),
        )
    })?;
    names::host("endpoint", host)?;
    names::port_text("endpoint", port.trim_end_matches('/')).map(|_| ())
}

pub fn check_version(v: &str) -> DomainResult<()> {
    names::text_line("version", v, 1, 32)?;
    if !v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
    {
        return Err(DomainError::invalid(
            "version",
            "letters, digits, . - _ only (like 6.3.2)",
        ));
    }
    Ok(())
}

/// A cluster account name: what Kerberos or the cluster's users accept.
pub fn check_account(v: &str) -> DomainResult<()> {
    names::text_line("account", v, 1, 64)?;
    if !v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-@/".contains(c))
    {
        return Err(DomainError::invalid(
            "account",
            "letters, digits and . _ - @ / only (like etl@EXAMPLE.COM)",
        ));
    }
    Ok(())
}

/// An authentication file's name: `krb5.conf`, `etl.keytab`, `core-site.xml`…
pub fn check_file_name(v: &str) -> DomainResult<()> {
    names::text_line("file", v, 1, 128)?;
    if v.contains(['/', '\\']) || v.starts_with('.') {
        return Err(DomainError::invalid(
            "file",
            "a plain file name, without a path",
        ));
    }
    Ok(())
}

impl Cluster {
    /// Members without an account to work as: none when there is a default account.
    pub fn unmapped<'a>(&self, members: impl IntoIterator<Item = &'a String>) -> Vec<String> {
        if self.default_account.is_some() {
            return Vec::new();
        }
        members
            .into_iter()
            .filter(|m| !self.accounts.contains_key(*m))
            .cloned()
            .collect()
    }
}
