//! Connectivity tests of data sources from a resource group (seed 000, DESIGN §3). The console
//! decides whether a test may run and what it will try (`plan_connectivity_test`); the probe
//! itself is network I/O outside the store (`crate::probe`), so a front end can run it without
//! blocking; the console then records the result per resource group.

use crate::authz::Op;
use crate::domain::audit::Outcome;
use crate::domain::datasource::{Connectivity, ConnectivityResult, DataSource, DataSourceType};
use crate::domain::names;
use crate::domain::resource_group::ResourceGroup;
use crate::probe::{Limits, ProbeRequest, Protocol};
use crate::store::T;

use super::error::{ConsoleError, Result};
use super::{Console, Session, fail};

/// What a test will do: nothing to probe (the answer is known), or a probe to run.
#[derive(Debug)]
pub enum TestPlan {
    Decided(ConnectivityResult),
    Probe {
        group: String,
        request: ProbeRequest,
    },
}

fn protocol(kind: DataSourceType) -> Protocol {
    match kind {
        DataSourceType::PostgreSql
        | DataSourceType::AnalyticDbPostgreSql
        | DataSourceType::Hologres => Protocol::Postgres,
        // StarRocks speaks the MySQL protocol on its query port.
        DataSourceType::MySql | DataSourceType::StarRocks => Protocol::MySql,
        _ => Protocol::Tcp,
    }
}

impl Console {
    /// Checks that the session may test `name` from `group` and says what the test will do.
    pub fn plan_connectivity_test(
        &self,
        s: &Session,
        ws: &str,
        name: &str,
        group: &str,
    ) -> Result<TestPlan> {
        names::resource_group_name(group)?;
        self.ws_for(s, ws, Op::TestDataSourceConnectivity)?;
        let ds: DataSource = self
            .store
            .get::<DataSource>(T::DataSources, name.as_bytes())?
            .filter(|d| d.workspace == ws)
            .ok_or_else(|| ConsoleError::NotFound(format!("data source {name} in {ws}")))?;
        let g: ResourceGroup = self
            .store
            .get::<ResourceGroup>(T::ResourceGroups, group.as_bytes())?
            .filter(|g| g.region == s.region)
            .ok_or_else(|| ConsoleError::NotFound(format!("resource group {group}")))?;
        let decided = |steps: Vec<String>| {
            TestPlan::Decided(ConnectivityResult {
                resource_group: group.to_owned(),
                result: Connectivity::Unsupport,
                steps,
                tested_at: self.now(),
            })
        };
        if !g.is_usable() {
            return Ok(decided(vec![format!(
                "resource group {group} is {}: only a Normal group runs tests",
                g.status
            )]));
        }
        if !g.attached.contains(ws) {
            return Ok(decided(vec![format!(
                "resource group {group} is not attached to {ws}: attach it first"
            )]));
        }
        let field = |n: &str| ds.fields.get(n).cloned();
        let endpoints: Vec<(String, u16)> = match ds.kind {
            DataSourceType::Kafka => field("bootstrap_servers")
                .unwrap_or_default()
                .split(',')
                .filter_map(|hp| {
                    let (h, p) = hp.trim().rsplit_once(':')?;
                    Some((h.to_owned(), p.parse().ok()?))
                })
                .collect(),
            DataSourceType::Oss | DataSourceType::MaxCompute => {
                field("endpoint").map(|h| (h, 443)).into_iter().collect()
            }
            _ => match (field("host"), field("port").and_then(|p| p.parse().ok())) {
                (Some(h), Some(p)) => vec![(h, p)],
                _ => Vec::new(),
            },
        };
        if endpoints.is_empty() {
            return Ok(decided(vec![format!(
                "{} has no host and port to test from a resource group",
                ds.kind.title()
            )]));
        }
        let password = match ds.secrets.get("password") {
            Some(sealed) => Some(self.vault.open(sealed)?),
            None => None,
        };
        Ok(TestPlan::Probe {
            group: group.to_owned(),
            request: ProbeRequest {
                protocol: protocol(ds.kind),
                endpoints,
                database: field("database"),
                username: field("username"),
                password,
                limits: Limits::default(),
            },
        })
    }

    /// Stores a test's result on the data source, for its resource group.
    pub fn record_connectivity_test(
        &self,
        s: &Session,
        ws: &str,
        name: &str,
        result: ConnectivityResult,
    ) -> Result<DataSource> {
        self.ws_for(s, ws, Op::TestDataSourceConnectivity)?;
        let label = format!("data source {name} in {ws}");
        let outcome = match result.result {
            Connectivity::Connectable => Outcome::Ok,
            _ => Outcome::Failed,
        };
        let detail = format!(
            "{} from {}{}",
            result.result.title(),
            result.resource_group,
            result
                .steps
                .last()
                .map(|s| format!(": {s}"))
                .unwrap_or_default()
        );
        self.change_noted(
            s,
            Op::TestDataSourceConnectivity,
            &label,
            (outcome, detail),
            |tx| {
                let Some(mut ds) = tx
                    .get::<DataSource, _>(T::DataSources, name.as_bytes())?
                    .filter(|d| d.workspace == ws)
                else {
                    return fail(ConsoleError::NotFound(label.clone()));
                };
                ds.tests
                    .insert(result.resource_group.clone(), result.clone());
                tx.put(T::DataSources, name.as_bytes(), &ds)?;
                Ok(ds)
            },
        )
    }

    /// Plans, probes (blocking this thread) and records: the CLI's `ds test`.
    pub fn test_data_source(
        &self,
        s: &Session,
        ws: &str,
        name: &str,
        group: &str,
    ) -> Result<ConnectivityResult> {
        let result = match self.plan_connectivity_test(s, ws, name, group)? {
            TestPlan::Decided(r) => r,
            TestPlan::Probe { group, request } => {
                let report = crate::probe::probe_blocking(&request);
                ConnectivityResult {
                    resource_group: group,
                    result: report.result,
                    steps: report.steps,
                    tested_at: self.now(),
                }
            }
        };
        self.record_connectivity_test(s, ws, name, result.clone())?;
        Ok(result)
    }
}
