//! Compute resources bound to a workspace (seed 000, step 4). Binding one creates its data source.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Timestamp;
use super::datasource::DataSourceType;
use super::error::{DomainError, DomainResult};
use super::names;
use super::workspace::{Env, Workspace};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ComputeType {
    MaxCompute,
    Hologres,
    EmrServerlessSpark,
    AnalyticDbPostgreSql,
    ClickHouse,
    StarRocks,
}

impl ComputeType {
    pub const ALL: [ComputeType; 6] = [
        ComputeType::MaxCompute,
        ComputeType::Hologres,
        ComputeType::EmrServerlessSpark,
        ComputeType::AnalyticDbPostgreSql,
        ComputeType::ClickHouse,
        ComputeType::StarRocks,
    ];

    /// The data source type created when this compute resource is bound.
    pub fn data_source_type(self) -> DataSourceType {
        match self {
            ComputeType::MaxCompute => DataSourceType::MaxCompute,
            ComputeType::Hologres => DataSourceType::Hologres,
            ComputeType::EmrServerlessSpark => DataSourceType::EmrServerlessSpark,
            ComputeType::AnalyticDbPostgreSql => DataSourceType::AnalyticDbPostgreSql,
            ComputeType::ClickHouse => DataSourceType::ClickHouse,
            ComputeType::StarRocks => DataSourceType::StarRocks,
        }
    }

    pub fn slug(self) -> &'static str {
        self.data_source_type().slug()
    }

    pub fn title(self) -> &'static str {
        self.data_source_type().title()
    }

    pub fn parse(field: &str, value: &str) -> DomainResult<Self> {
        let v = value.to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|t| t.slug() == v || t.title().eq_ignore_ascii_case(value))
            .ok_or_else(|| {
                let slugs: Vec<&str> = Self::ALL.iter().map(|t| t.slug()).collect();
                DomainError::invalid(
                    field,
                    format!(
                        "unknown compute type {value:?} (one of {})",
                        slugs.join(", ")
                    ),
                )
            })
    }
}

impl fmt::Display for ComputeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputeResource {
    pub workspace: String,
    pub name: String,
    pub kind: ComputeType,
    /// Instance or project id in the engine.
    pub instance: String,
    pub env: Env,
    pub created_at: Timestamp,
}

impl ComputeResource {
    pub fn bind(
        ws: &Workspace,
        name: &str,
        kind: ComputeType,
        instance: &str,
        env: Env,
        now: Timestamp,
    ) -> DomainResult<Self> {
        names::compute_name(name)?;
        names::instance_id("instance", instance)?;
        ws.mode.check_env("env", env)?;
        Ok(ComputeResource {
            workspace: ws.name.clone(),
            name: name.to_owned(),
            kind,
            instance: instance.to_owned(),
            env,
            created_at: now,
        })
    }
}
