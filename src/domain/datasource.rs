//! Data sources: connection information by type (seed 000), with secret fields that are masked
//! once entered and stored encrypted by the console. A per-type field schema drives validation,
//! the CLI flags and the TUI form alike.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::Timestamp;
use super::error::{DomainError, DomainResult};
use super::names;
use super::workspace::Env;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DataSourceType {
    MySql,
    PostgreSql,
    Oracle,
    SqlServer,
    ClickHouse,
    Oss,
    Kafka,
    MaxCompute,
    Hologres,
    AnalyticDbPostgreSql,
    StarRocks,
    EmrServerlessSpark,
}

/// How a field is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Host,
    Port,
    /// A database, schema, service or bucket name.
    Ident,
    /// Free text on one line (user names, endpoints).
    Text,
    /// `host:port[,host:port…]`.
    HostPorts,
    Secret,
}

#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    /// Shown in forms when empty.
    pub default: Option<&'static str>,
}

const fn f(
    name: &'static str,
    title: &'static str,
    kind: FieldKind,
    required: bool,
    default: Option<&'static str>,
) -> FieldSpec {
    FieldSpec {
        name,
        title,
        kind,
        required,
        default,
    }
}

const HOST: FieldSpec = f("host", "Host", FieldKind::Host, true, None);
const DATABASE: FieldSpec = f("database", "Database", FieldKind::Ident, true, None);
const USERNAME: FieldSpec = f("username", "User name", FieldKind::Text, true, None);
const PASSWORD: FieldSpec = f("password", "Password", FieldKind::Secret, true, None);
const AK_ID: FieldSpec = f("access_key_id", "AccessKey ID", FieldKind::Text, true, None);
const AK_SECRET: FieldSpec = f(
    "access_key_secret",
    "AccessKey secret",
    FieldKind::Secret,
    true,
    None,
);
const ENDPOINT: FieldSpec = f("endpoint", "Endpoint", FieldKind::Host, true, None);

/// A `'static` field list built in a const context.
macro_rules! fields {
    ($($e:expr),* $(,)?) => {{
        const F: &[FieldSpec] = &[$($e),*];
        F
    }};
}

macro_rules! db_fields {
    ($port:literal) => {
        fields![
            HOST,
            f("port", "Port", FieldKind::Port, true, Some($port)),
            DATABASE,
            USERNAME,
            PASSWORD
        ]
    };
}

impl DataSourceType {
    pub const ALL: [DataSourceType; 12] = [
        DataSourceType::MySql,
        DataSourceType::PostgreSql,
        DataSourceType::Oracle,
        DataSourceType::SqlServer,
        DataSourceType::ClickHouse,
        DataSourceType::Oss,
        DataSourceType::Kafka,
        DataSourceType::MaxCompute,
        DataSourceType::Hologres,
        DataSourceType::AnalyticDbPostgreSql,
        DataSourceType::StarRocks,
        DataSourceType::EmrServerlessSpark,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            DataSourceType::MySql => "mysql",
            DataSourceType::PostgreSql => "postgresql",
            DataSourceType::Oracle => "oracle",
            DataSourceType::SqlServer => "sqlserver",
            DataSourceType::ClickHouse => "clickhouse",
            DataSourceType::Oss => "oss",
            DataSourceType::Kafka => "kafka",
            DataSourceType::MaxCompute => "maxcompute",
            DataSourceType::Hologres => "hologres",
            DataSourceType::AnalyticDbPostgreSql => "adb-postgresql",
            DataSourceType::StarRocks => "starrocks",
            DataSourceType::EmrServerlessSpark => "emr-serverless-spark",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            DataSourceType::MySql => "MySQL",
            DataSourceType::PostgreSql => "PostgreSQL",
            DataSourceType::Oracle => "Oracle",
            DataSourceType::SqlServer => "SQL Server",
            DataSourceType::ClickHouse => "ClickHouse",
            DataSourceType::Oss => "OSS",
            DataSourceType::Kafka => "Kafka",
            DataSourceType::MaxCompute => "MaxCompute",
            DataSourceType::Hologres => "Hologres",
            DataSourceType::AnalyticDbPostgreSql => "AnalyticDB for PostgreSQL",
            DataSourceType::StarRocks => "StarRocks",
            DataSourceType::EmrServerlessSpark => "EMR Serverless Spark",
        }
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
                    format!("unknown type {value:?} (one of {})", slugs.join(", ")),
                )
            })
    }

    /// The connection fields of this type, in form order.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            DataSourceType::MySql => db_fields!("3306"),
            DataSourceType::PostgreSql => db_fields!("5432"),
            DataSourceType::Oracle => fields![
                HOST,
                f("port", "Port", FieldKind::Port, true, Some("1521")),
                f("database", "Service name", FieldKind::Ident, true, None),
                USERNAME,
                PASSWORD,
            ],
            DataSourceType::SqlServer => db_fields!("1433"),
            DataSourceType::ClickHouse => db_fields!("8123"),
            DataSourceType::AnalyticDbPostgreSql => db_fields!("5432"),
            DataSourceType::StarRocks => db_fields!("9030"),
            DataSourceType::Hologres => db_fields!("80"),
            DataSourceType::Oss => fields![
                ENDPOINT,
                f("bucket", "Bucket", FieldKind::Ident, true, None),
                AK_ID,
                AK_SECRET
            ],
            DataSourceType::Kafka => fields![
                f(
                    "bootstrap_servers",
                    "Bootstrap servers",
                    FieldKind::HostPorts,
                    true,
                    None
                ),
                f("username", "SASL user name", FieldKind::Text, false, None),
                f("password", "SASL password", FieldKind::Secret, false, None),
            ],
            DataSourceType::MaxCompute => fields![
                f("project", "Project", FieldKind::Ident, true, None),
                ENDPOINT,
                AK_ID,
                AK_SECRET,
            ],
            DataSourceType::EmrServerlessSpark => fields![
                f(
                    "workspace_id",
                    "Spark workspace id",
                    FieldKind::Ident,
                    true,
                    None
                ),
                f(
                    "queue",
                    "Queue",
                    FieldKind::Ident,
                    false,
                    Some("root_queue")
                ),
            ],
        }
    }

    pub fn field(self, name: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// Whether the type speaks a protocol dwc can check end to end (handshake, log-on, `SELECT 1`).
    pub fn has_protocol_check(self) -> bool {
        matches!(
            self,
            DataSourceType::MySql
                | DataSourceType::PostgreSql
                | DataSourceType::StarRocks
                | DataSourceType::AnalyticDbPostgreSql
                | DataSourceType::Hologres
        )
    }
}

impl fmt::Display for DataSourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

fn check_field(spec: &FieldSpec, value: &str) -> DomainResult<()> {
    match spec.kind {
        FieldKind::Host => names::host(spec.name, value),
        FieldKind::Port => names::port_text(spec.name, value).map(|_| ()),
        FieldKind::Ident => {
            if value.is_empty()
                || value.len() > 128
                || value.chars().any(|c| c.is_whitespace() || c.is_control())
            {
                Err(DomainError::invalid(
                    spec.name,
                    "must be 1–128 characters without spaces",
                ))
            } else {
                Ok(())
            }
        }
        FieldKind::Text => names::text_line(spec.name, value, 1, 256),
        FieldKind::HostPorts => {
            for part in value.split(',') {
                let Some((h, p)) = part.trim().rsplit_once(':') else {
                    return Err(DomainError::invalid(
                        spec.name,
                        format!("must be host:port[,host:port…] (got {part:?})"),
                    ));
                };
                names::host(spec.name, h)?;
                names::port_text(spec.name, p)?;
            }
            Ok(())
        }
        FieldKind::Secret => {
            if value.is_empty() || value.len() > 1024 || value.contains('\0') {
                Err(DomainError::invalid(spec.name, "must be 1–1024 characters"))
            } else {
                Ok(())
            }
        }
    }
}

/// Connection settings as entered: plain fields and secrets, validated against the type's schema.
/// Secrets stay in this struct only on their way in; the console encrypts them before storing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionInput {
    pub fields: BTreeMap<String, String>,
    pub secrets: BTreeMap<String, String>,
}

impl ConnectionInput {
    /// Puts a value under its field, on the secret side if the schema says it is secret.
    pub fn set(&mut self, ty: DataSourceType, name: &str, value: String) -> DomainResult<()> {
        let spec = ty.field(name).ok_or_else(|| {
            let names: Vec<&str> = ty.fields().iter().map(|f| f.name).collect();
            DomainError::invalid(
                name,
                format!(
                    "is not a field of {} (fields: {})",
                    ty.title(),
                    names.join(", ")
                ),
            )
        })?;
        if spec.kind == FieldKind::Secret {
            self.secrets.insert(name.to_owned(), value);
        } else {
            self.fields.insert(name.to_owned(), value);
        }
        Ok(())
    }

    /// Checks every field; `existing_secrets` names secrets already stored, which an update may
    /// leave out.
    pub fn validate(&self, ty: DataSourceType, existing_secrets: &[&str]) -> DomainResult<()> {
        for (name, value) in self.fields.iter().chain(&self.secrets) {
            let spec = ty.field(name).ok_or_else(|| {
                DomainError::invalid(name.as_str(), format!("is not a field of {}", ty.title()))
            })?;
            check_field(spec, value)?;
        }
        for spec in ty.fields().iter().filter(|f| f.required) {
            let present = self.fields.contains_key(spec.name)
                || self.secrets.contains_key(spec.name)
                || existing_secrets.contains(&spec.name);
            if !present {
                return Err(DomainError::invalid(
                    spec.name,
                    format!("is required for {}", ty.title()),
                ));
            }
        }
        Ok(())
    }
}

/// The result of a connectivity test from one resource group (seed 000, step 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Connectivity {
    Connectable,
    /// Reachable, but the credentials or the database are wrong.
    ConfigError,
    /// No route, refused, unresolvable or timed out.
    Unreachable,
    /// The resource group cannot run tests (not Normal, or not attached to the workspace).
    Unsupport,
}

impl Connectivity {
    pub fn title(self) -> &'static str {
        match self {
            Connectivity::Connectable => "Connectable",
            Connectivity::ConfigError => "ConfigError",
            Connectivity::Unreachable => "Unreachable",
            Connectivity::Unsupport => "Unsupport",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectivityResult {
    pub resource_group: String,
    pub result: Connectivity,
    pub steps: Vec<String>,
    pub tested_at: Timestamp,
}

/// A stored data source. Secrets are held as ciphertext the domain never reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataSource {
    pub workspace: String,
    pub name: String,
    pub kind: DataSourceType,
    pub env: Env,
    pub description: String,
    pub fields: BTreeMap<String, String>,
    /// Field name → encrypted value.
    pub secrets: BTreeMap<String, Vec<u8>>,
    /// Created automatically by binding a compute resource of this name.
    pub from_compute: Option<String>,
    /// Last test result per resource group.
    pub tests: BTreeMap<String, ConnectivityResult>,
    pub created_at: Timestamp,
    /// Secret fields it has but whose values are not set yet (a data source restored from an
    /// export, which never carries secrets): `dwc ds update … --password-stdin` sets them.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub awaiting_secrets: std::collections::BTreeSet<String>,
}

impl DataSource {
    /// Its secret fields: those stored and those awaiting a value.
    pub fn secret_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.secrets.keys().map(String::as_str).collect();
        names.extend(self.awaiting_secrets.iter().map(String::as_str));
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The fields as shown to people: secrets as a mask, never their value.
    pub fn display_fields(&self) -> Vec<(&'static str, String)> {
        self.kind
            .fields()
            .iter()
            .filter_map(|spec| {
                if spec.kind == FieldKind::Secret {
                    if self.awaiting_secrets.contains(spec.name) {
                        return Some((spec.name, "(not set)".to_owned()));
                    }
                    self.secrets
                        .contains_key(spec.name)
                        .then(|| (spec.name, "••••••".to_owned()))
                } else {
                    self.fields.get(spec.name).map(|v| (spec.name, v.clone()))
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(ty: DataSourceType, pairs: &[(&str, &str)]) -> DomainResult<ConnectionInput> {
        let mut c = ConnectionInput::default();
        for (k, v) in pairs {
            c.set(ty, k, (*v).to_owned())?;
        }
        Ok(c)
    }

    #[test]
    fn mysql_schema() {
        let ty = DataSourceType::MySql;
        let c = input(
            ty,
            &[
                ("host", "db.internal"),
                ("port", "3306"),
                ("database", "orders"),
                ("username", "etl"),
                ("password", "s3cret"),
            ],
        )
        .unwrap();
        assert_eq!(c.secrets.keys().collect::<Vec<_>>(), ["password"]);
        c.validate(ty, &[]).unwrap();
        let mut bad = c.clone();
        bad.fields.insert("port".into(), "0".into());
        assert!(
            bad.validate(ty, &[])
                .unwrap_err()
                .to_string()
                .starts_with("port: must be between 1 and 65535")
        );
        let mut bad = c.clone();
        bad.fields.insert("host".into(), "db internal".into());
        assert!(
            bad.validate(ty, &[])
                .unwrap_err()
                .to_string()
                .starts_with("host: must not contain spaces")
        );
        let mut no_pw = c.clone();
        no_pw.secrets.clear();
        assert!(
            no_pw
                .validate(ty, &[])
                .unwrap_err()
                .to_string()
                .starts_with("password: is required")
        );
        assert!(
            no_pw.validate(ty, &["password"]).is_ok(),
            "an update may keep the stored secret"
        );
        assert!(
            input(ty, &[("bucket", "x")])
                .unwrap_err()
                .to_string()
                .starts_with("bucket: is not a field of MySQL")
        );
    }

    #[test]
    fn kafka_servers() {
        let ty = DataSourceType::Kafka;
        assert!(
            input(ty, &[("bootstrap_servers", "k1:9092,k2:9092")])
                .unwrap()
                .validate(ty, &[])
                .is_ok()
        );
        assert!(
            input(ty, &[("bootstrap_servers", "k1")])
                .unwrap()
                .validate(ty, &[])
                .is_err()
        );
        assert!(
            input(ty, &[("bootstrap_servers", "k1:0")])
                .unwrap()
                .validate(ty, &[])
                .is_err()
        );
    }

    #[test]
    fn types_parse_by_slug_or_title() {
        assert_eq!(
            DataSourceType::parse("type", "PostgreSQL"),
            Ok(DataSourceType::PostgreSql)
        );
        assert_eq!(
            DataSourceType::parse("type", "sql server"),
            Ok(DataSourceType::SqlServer)
        );
        assert!(DataSourceType::parse("type", "mongo").is_err());
        for t in DataSourceType::ALL {
            assert_eq!(DataSourceType::parse("type", t.slug()), Ok(t));
            assert!(!t.fields().is_empty());
        }
    }

    #[test]
    fn secrets_are_masked() {
        let ds = DataSource {
            workspace: "w".into(),
            name: "orders".into(),
            kind: DataSourceType::MySql,
            env: Env::Prod,
            description: String::new(),
            fields: [("host".to_owned(), "h".to_owned())].into(),
            secrets: [("password".to_owned(), vec![1, 2, 3])].into(),
            from_compute: None,
            tests: BTreeMap::new(),
            created_at: chrono::DateTime::UNIX_EPOCH,
            awaiting_secrets: Default::default(),
        };
        let shown = ds.display_fields();
        assert_eq!(
            shown,
            [("host", "h".to_owned()), ("password", "••••••".to_owned())]
        );
    }
}
