//! The commands and what each one prints.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::Value;

use crate::console::{
    Console, ConsoleError, DataSourceInput, NewCompute, Session, SystemClock, Tenant,
};
use crate::domain::compute::{ComputeResource, ComputeType};
use crate::domain::datasource::{ConnectionInput, DataSource, DataSourceType, FieldKind};
use crate::domain::module::ModuleLevels;
use crate::domain::resource_group as rg_rules;
use crate::domain::resource_group::{NewResourceGroup, Payment, ResourceGroup};
use crate::domain::workspace::{NewWorkspace, WorkspacePatch};
use crate::domain::{Edition, Env, RoleRef, WorkspaceMode, names};

use super::output::{self, Format, Row};

/// The most a policy file may hold: RAM's 6,144 characters, at up to four bytes each.
const POLICY_FILE_LIMIT: usize = 6_144 * 4;
/// The most an apply document may hold: room for a 100,000-workspace tenant's export.
const APPLY_LIMIT: usize = 256 * 1024 * 1024;
use super::{Cli, session};

type Out = Result<String, ConsoleError>;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a tenant in the store: its account, edition and region
    #[command(
        after_help = r#"Example: dwc --store ./tenant init --account acme --edition standard"#
    )]
    Init {
        #[arg(long)]
        /// The account: the tenant's owner, who may do everything
        account: String,
        #[arg(long, default_value = "basic", value_parser = parse_edition)]
        /// basic, standard, professional or enterprise
        edition: Edition,
        #[arg(long, default_value = crate::domain::region::DEFAULT_REGION)]
        /// The region it starts in
        region: String,
    },
    /// Create an open demo store (no passwords) from the demo tenant
    #[command(after_help = r#"Example: dwc --store ./demo demo --serve"#)]
    Demo {
        /// Add the scale tenant of DESIGN §11 with this many workspaces
        #[arg(long, value_name = "N")]
        scale: Option<usize>,
        /// Then serve it over SSH, as `dwc serve` does (any key or none; the SSH user name is
        /// the demo user)
        #[arg(long)]
        serve: bool,
        /// With --serve: ADDR:PORT to listen on
        #[arg(long, value_name = "ADDR:PORT", requires = "serve")]
        listen: Option<String>,
    },
    /// Serve the store to a team over SSH: `ssh -p PORT USER@HOST` opens the console as USER,
    /// `ssh -p PORT USER@HOST COMMAND` runs one command. Settings from serve.toml in the store
    /// directory (or --config); SIGINT or SIGTERM stops it
    #[command(after_help = r#"Example: dwc serve --listen 0.0.0.0:2222"#)]
    Serve {
        /// ADDR:PORT to listen on [default: 127.0.0.1:2222; 0.0.0.0:PORT for every interface]
        #[arg(long, value_name = "ADDR:PORT")]
        listen: Option<String>,
        /// The server's configuration file [default: DIR/serve.toml, if it exists]
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// How much the log says
        #[arg(long, value_parser = ["error", "warn", "info", "debug", "trace"])]
        log_level: Option<String>,
    },
    /// Open sessions of the served console (the account and Tenant Administrators)
    #[command(subcommand)]
    Session(SessionCmd),
    /// Print a shell completion script: `dwc completions bash > /etc/bash_completion.d/dwc`
    #[command(after_help = r#"Example: dwc completions zsh > ~/.zfunc/_dwc"#)]
    Completions {
        #[arg(value_enum)]
        /// bash, zsh, fish or powershell
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `dwc man | man -l -`
    #[command(after_help = r#"Example: dwc man | man -l -"#)]
    Man,
    /// Move a whole store between backends (sled directory ↔ PostgreSQL)
    #[command(subcommand)]
    Store(StoreCmd),
    /// Show or change the tenant's edition
    #[command(subcommand)]
    Edition(EditionCmd),
    /// RAM users of the tenant
    #[command(subcommand)]
    User(UserCmd),
    /// RAM policies and their attachments
    #[command(subcommand)]
    Policy(PolicyCmd),
    /// RAM user groups: their members and policies
    #[command(subcommand)]
    Group(GroupCmd),
    /// Workspaces of the current region
    #[command(subcommand)]
    Workspace(WorkspaceCmd),
    /// Members of a workspace and their roles
    #[command(subcommand)]
    Member(MemberCmd),
    /// Workspace roles, built-in and custom
    #[command(subcommand)]
    Role(RoleCmd),
    /// Serverless resource groups
    #[command(subcommand, name = "resource-group", alias = "rg")]
    ResourceGroup(RgCmd),
    /// Compute resources bound to a workspace
    #[command(subcommand)]
    Compute(ComputeCmd),
    /// Self-built CDH, CDP and EMR clusters of a workspace that does not use the new Data
    /// Studio: endpoints, authentication files and account mappings
    #[command(subcommand)]
    Cluster(ClusterCmd),
    /// Data sources of a workspace
    #[command(subcommand, name = "datasource", alias = "ds")]
    Datasource(DsCmd),
    /// Official and custom images
    #[command(subcommand)]
    Image(ImageCmd),
    /// Large model service deployments
    #[command(subcommand)]
    Model(ModelCmd),
    /// Purchased resources and services
    #[command(subcommand)]
    Service(ServiceCmd),
    /// Bills by month
    #[command(subcommand)]
    Bill(BillCmd),
    /// Alert contacts, limits and usage
    #[command(subcommand)]
    Alert(AlertCmd),
    /// Tenant members and tenant roles
    #[command(subcommand)]
    Tenant(TenantCmd),
    /// Extensions that check development and O&M events
    #[command(subcommand)]
    Extension(ExtensionCmd),
    /// The audit log
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Jobs: resource-group changes, image builds and model deployments that take time
    #[command(subcommand)]
    Job(JobCmd),
    /// Findings against the production guidelines in this region, with a suggested fix each
    #[command(after_help = r#"Example: dwc advise -o json"#)]
    Advise,
    /// The tenant (or one workspace of this region) as a stable, diff-friendly JSON document,
    /// without secrets
    #[command(after_help = r#"Example: dwc export > tenant.json"#)]
    Export {
        #[arg(long, value_name = "W")]
        /// Only this workspace of the region
        workspace: Option<String>,
    },
    /// Brings the store to what an export document says: prints the plan (create / update /
    /// delete per item) and applies it as you, every change authorized and audited, all in one
    /// transaction. Sections the file leaves out are left alone
    #[command(after_help = r#"Example: dwc apply -f tenant.json --dry-run"#)]
    Apply {
        /// The document, as `dwc export` writes it
        #[arg(short = 'f', long = "file", value_name = "FILE")]
        file: std::path::PathBuf,
        /// Print the plan and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// May USER take ACTION on TARGET? Prints the decision and its trace; exits 0 when
    /// allowed, 3 when denied. TARGET is a workspace or resource name, or an ARN
    #[command(after_help = r#"Example: dwc can alice dataworks:CreateDataSource finance_etl"#)]
    Can {
        /// Whom the question is about
        user: String,
        /// Like dataworks:CreateDataSource, or CreateDataSource
        action: String,
        /// A workspace or resource name, or an ARN
        target: String,
        /// The front end the question is about [default: openapi, the command line's]
        #[arg(long, value_parser = ["page", "openapi"])]
        scope: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum JobCmd {
    /// Running jobs in the region (with --all, recent ones too)
    #[command(after_help = r#"Example: dwc job list --all"#)]
    List {
        #[arg(long)]
        /// Finished jobs too, not only running ones
        all: bool,
    },
    /// Waits for the newest job on a resource to end (exit 5 if it failed)
    #[command(after_help = r#"Example: dwc job wait rg_etl"#)]
    Wait {
        /// The job's resource (a resource group, an image or a model deployment)
        target: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImageCmd {
    /// List the images
    #[command(after_help = r#"Example: dwc image list"#)]
    List,
    /// Show one image with every field
    #[command(after_help = r#"Example: dwc image show py_pandas"#)]
    Show {
        /// The image's name
        name: String,
    },
    /// Create a custom image (a Draft until built)
    #[command(
        after_help = r#"Example: dwc image create py_pandas --base dataworks_pyodps_py3 --package pandas==2.2.2 --task-type python"#
    )]
    Create {
        /// The image's name
        name: String,
        #[arg(long)]
        /// The official image it extends
        base: String,
        #[arg(long = "package", value_name = "PKG")]
        /// Python packages to install, like pandas==2.2.2
        packages: Vec<String>,
        #[arg(long = "task-type", value_name = "TYPE", required = true)]
        /// Task types it serves: shell, python, …
        task_types: Vec<String>,
        #[arg(long, default_value = "")]
        /// A description (free text)
        description: String,
    },
    /// Build a custom image on a resource group (Professional edition and up)
    #[command(after_help = r#"Example: dwc image build py_pandas --resource-group rg_etl --wait"#)]
    Build {
        /// The image's name
        name: String,
        #[arg(long)]
        /// The resource group it runs on, by name
        resource_group: String,
    },
    /// Delete a custom image
    #[command(after_help = r#"Example: dwc image delete py_pandas"#)]
    Delete {
        /// The image's name
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ModelCmd {
    /// List the model deployments
    #[command(after_help = r#"Example: dwc model list"#)]
    List,
    /// The models that can be deployed
    #[command(after_help = r#"Example: dwc model catalogue -o json"#)]
    Catalogue,
    /// Show one model deployment with every field
    #[command(after_help = r#"Example: dwc model show qwen_chat"#)]
    Show {
        /// The model deployment's name
        name: String,
    },
    /// Deploy a catalogue model on a resource group (a job)
    #[command(
        after_help = r#"Example: dwc model create qwen_chat --model qwen3-8b --resource-group rg_etl --replicas 1 --wait"#
    )]
    Create {
        /// The model deployment's name
        name: String,
        #[arg(long)]
        /// The catalogue model to deploy (dwc model catalogue lists them)
        model: String,
        #[arg(long)]
        /// The resource group it runs on, by name
        resource_group: String,
        #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
        /// How many replicas (each takes the model's CU)
        replicas: i64,
    },
    /// Delete a model deployment
    #[command(after_help = r#"Example: dwc model delete qwen_chat"#)]
    Delete {
        /// The model deployment's name
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoreCmd {
    /// Copy every record of a store into an empty one — a directory or a database
    /// (postgres://USER@HOST:PORT/DB) — then check counts and a checksum per tree; the secret
    /// key file goes along. Stop every dwc using the source first
    #[command(
        after_help = r#"Example: dwc store copy --from ~/.local/share/dwc --to postgres://dwc@db.internal:5432/dwc"#
    )]
    Copy {
        /// The store to copy: a directory or a postgres:// URL
        #[arg(long, value_name = "STORE")]
        from: PathBuf,
        /// Where to copy it: an empty or new directory, or a database holding no store
        #[arg(long, value_name = "STORE")]
        to: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ServiceCmd {
    /// List the purchased items
    #[command(after_help = r#"Example: dwc service list"#)]
    List,
    /// Show one purchased item with every field
    #[command(after_help = r#"Example: dwc service show ord-20261101-0001"#)]
    Show {
        /// The item's order id (dwc service list)
        id: String,
    },
    /// Renew a subscription by months (a resource group's through its renewal job); the months
    /// are billed as they begin
    #[command(after_help = r#"Example: dwc service renew ord-20261101-0001 --months 12"#)]
    Renew {
        /// The item's order id (dwc service list)
        id: String,
        /// Months: 1–9, 12, 24 or 36
        #[arg(long, allow_negative_numbers = true)]
        months: i64,
    },
    /// Upgrade or downgrade a subscription: an edition to another edition (the difference for
    /// the time left is charged or refunded at once), a resource group to another spec (through
    /// its scaling job; billed when the new spec takes effect)
    #[command(
        group(clap::ArgGroup::new("to").required(true).args(["edition", "spec"])),
        after_help = r#"Example: dwc service modify ord-20260101-0001 --edition professional
Example: dwc service modify ord-20260301-0002 --spec 48"#
    )]
    Modify {
        /// The item's order id (dwc service list)
        id: String,
        /// The edition to change to: standard, professional or enterprise
        #[arg(long, value_parser = parse_edition)]
        edition: Option<Edition>,
        /// The resource group's new spec in CU (2–2000)
        #[arg(long, allow_negative_numbers = true)]
        spec: Option<i64>,
    },
    /// Unsubscribe a purchased item
    #[command(after_help = r#"Example: dwc service unsubscribe ord-20261101-0001"#)]
    Unsubscribe {
        /// The item's order id (dwc service list)
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum BillCmd {
    /// Bills, newest month first
    #[command(after_help = r#"Example: dwc bill list --month 2026-11"#)]
    List {
        /// Only this month (YYYY-MM)
        #[arg(long)]
        month: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AlertCmd {
    /// Limits per day and usage today and this month
    #[command(after_help = r#"Example: dwc alert show"#)]
    Show,
    #[command(subcommand)]
    /// Alert contacts: who alerts go to
    Contact(ContactCmd),
    /// Set a channel's limit per day (a number, or "unlimited")
    #[command(after_help = r#"Example: dwc alert limit --channel sms --per-day 200"#)]
    Limit {
        #[arg(long)]
        /// The channel: sms, phone, email or webhook
        channel: String,
        #[arg(long)]
        /// A number of alerts per day, or unlimited
        per_day: String,
    },
    /// Send a test alert to every contact with an address on the channel: webhooks are POSTed,
    /// SMS, phone and e-mail recorded in the outbox. Each counts against the daily limit;
    /// exits 5 if the limit refused any
    #[command(after_help = r#"Example: dwc alert test --channel webhook"#)]
    Test {
        #[arg(long)]
        /// The channel: sms, phone, email or webhook
        channel: String,
    },
    /// Alerts sent, recorded or refused, newest first
    #[command(after_help = r#"Example: dwc alert outbox --limit 50"#)]
    Outbox {
        #[arg(long, default_value_t = 20)]
        /// How many entries, newest first
        limit: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContactCmd {
    /// List the alert contacts
    #[command(after_help = r#"Example: dwc alert contact list"#)]
    List,
    /// Add an alert contact (at least one of phone, e-mail, webhook)
    #[command(
        after_help = r#"Example: dwc alert contact create oncall --phone +8613800000000 --webhook https://hooks.example.com/dw"#
    )]
    Create {
        /// The alert contact's name
        name: String,
        #[arg(long)]
        /// Phone number for SMS and calls
        phone: Option<String>,
        #[arg(long)]
        /// E-mail address
        email: Option<String>,
        #[arg(long)]
        /// Webhook URL (https)
        webhook: Option<String>,
    },
    /// Remove an alert contact
    #[command(after_help = r#"Example: dwc alert contact delete oncall"#)]
    Delete {
        /// The alert contact's name
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TenantCmd {
    /// Every RAM user and their tenant roles
    #[command(after_help = r#"Example: dwc tenant members"#)]
    Members,
    /// The tenant roles, built-in and custom, with their levels
    #[command(after_help = r#"Example: dwc tenant roles"#)]
    Roles,
    /// Grant a user a tenant role
    #[command(after_help = r#"Example: dwc tenant grant alice security-admin"#)]
    Grant {
        /// The RAM user, by name
        user: String,
        /// A tenant role: tenant-admin, security-admin, governance-admin, or a custom one
        role: String,
    },
    /// Revoke a tenant role from a user
    #[command(after_help = r#"Example: dwc tenant revoke alice security-admin"#)]
    Revoke {
        /// The RAM user, by name
        user: String,
        /// A tenant role: tenant-admin, security-admin, governance-admin, or a custom one
        role: String,
    },
    /// Create a custom tenant role (Enterprise) with MODULE=none|read|write levels
    #[command(
        after_help = r#"Example: dwc tenant create-role catalog_curator --perm data-map=write"#
    )]
    CreateRole {
        /// The tenant role's name
        name: String,
        #[arg(long = "perm", value_name = "MODULE=LEVEL")]
        /// MODULE=LEVEL (none, read or write), once per module; unnamed modules get none
        perms: Vec<String>,
    },
    /// Delete a custom tenant role
    #[command(after_help = r#"Example: dwc tenant delete-role catalog_curator"#)]
    DeleteRole {
        /// The tenant role's name
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExtensionCmd {
    /// List the extensions
    #[command(after_help = r#"Example: dwc extension list"#)]
    List,
    /// Create an extension that checks the events named
    #[command(
        after_help = r#"Example: dwc extension create no_friday_deploys --event deploy --description "no deployments on Fridays""#
    )]
    Create {
        /// The extension's name
        name: String,
        #[arg(long = "event", value_name = "EVENT", required = true)]
        /// The events it checks (comma-separated)
        events: Vec<String>,
        #[arg(long, default_value = "")]
        /// A description (free text)
        description: String,
    },
    /// Delete an extension
    #[command(after_help = r#"Example: dwc extension delete no_friday_deploys"#)]
    Delete {
        /// The extension's name
        name: String,
    },
    /// Turn an extension on in a workspace
    #[command(
        after_help = r#"Example: dwc extension enable no_friday_deploys --workspace finance_etl"#
    )]
    Enable {
        /// The extension's name
        name: String,
        #[arg(long)]
        /// The workspace, by name
        workspace: String,
    },
    /// Turn an extension off in a workspace
    #[command(
        after_help = r#"Example: dwc extension disable no_friday_deploys --workspace finance_etl"#
    )]
    Disable {
        /// The extension's name
        name: String,
        #[arg(long)]
        /// The workspace, by name
        workspace: String,
    },
}

fn parse_edition(s: &str) -> Result<Edition, String> {
    Edition::parse("edition", s).map_err(|e| e.to_string())
}

fn parse_mode(s: &str) -> Result<WorkspaceMode, String> {
    WorkspaceMode::parse("mode", s).map_err(|e| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum ClusterCmd {
    /// The workspace's registered clusters
    #[command(after_help = r#"Example: dwc cluster list marketing_dw"#)]
    List {
        /// The workspace, by name
        workspace: String,
    },
    /// One cluster: endpoints, files (by name and size) and account mappings
    #[command(after_help = r#"Example: dwc cluster show marketing_dw cdh_marketing"#)]
    Show {
        /// The workspace, by name
        workspace: String,
        /// The cluster's name
        name: String,
    },
    /// Register a cluster
    #[command(
        after_help = r#"Example: dwc cluster register mkt cdh_prod --type cdh --version 6.3.2 --env prod --endpoint hiveserver2=cdh-master:10000"#
    )]
    Register {
        /// The workspace, by name
        workspace: String,
        /// The cluster's name
        name: String,
        /// cdh, cdp or emr
        #[arg(long = "type", value_parser = ["cdh", "cdp", "emr"])]
        kind: String,
        /// Its version, like 6.3.2
        #[arg(long)]
        version: String,
        /// The environment it serves: dev or prod
        #[arg(long, value_parser = parse_env)]
        env: Env,
        /// NAME=HOST:PORT, once per endpoint: hiveserver2, metastore, impala, yarn, hdfs,
        /// spark_history, presto
        #[arg(long, value_name = "NAME=HOST:PORT")]
        endpoint: Vec<String>,
    },
    /// Change a cluster's version or endpoints (NAME= with no address removes one)
    #[command(
        after_help = r#"Example: dwc cluster update marketing_dw cdh_marketing --version 6.3.4 --endpoint impala=cdh-master:21050"#
    )]
    Update {
        /// The workspace, by name
        workspace: String,
        /// The cluster's name
        name: String,
        /// Its version, like 6.3.2
        #[arg(long)]
        version: Option<String>,
        /// NAME=HOST:PORT, once per endpoint
        #[arg(long, value_name = "NAME=HOST:PORT")]
        endpoint: Vec<String>,
    },
    /// Deregister a cluster (its files and mappings go with it)
    #[command(after_help = r#"Example: dwc cluster deregister marketing_dw cdh_marketing"#)]
    Deregister {
        /// The workspace, by name
        workspace: String,
        /// The cluster's name
        name: String,
    },
    /// Authentication files: Kerberos keytabs and krb5.conf, or *-site.xml configuration
    #[command(subcommand)]
    File(ClusterFileCmd),
    /// Which cluster account DataWorks members work as
    #[command(subcommand)]
    Map(ClusterMapCmd),
}

#[derive(Debug, Subcommand)]
pub enum ClusterFileCmd {
    /// Keep a file, sealed (it is never shown again; `-` reads standard input)
    #[command(after_help = r#"Example: dwc cluster file add mkt cdh_prod --file etl.keytab"#)]
    Add {
        /// The workspace, by name
        workspace: String,
        /// The cluster's name
        cluster: String,
        /// The file to read
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// The name it is kept under [default: the file's own]
        #[arg(long)]
        name: Option<String>,
    },
    /// Remove a file
    #[command(
        after_help = r#"Example: dwc cluster file remove marketing_dw cdh_marketing etl.keytab"#
    )]
    Remove {
        /// The workspace, by name
        workspace: String,
        /// The cluster's name
        cluster: String,
        /// The file's name
        file: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClusterMapCmd {
    /// Map a member (or, with --default, every member without their own) to an account
    #[command(
        after_help = r#"Example: dwc cluster map set mkt cdh_prod --member alice --account alice@EXAMPLE.COM"#
    )]
    Set {
        /// The workspace, by name
        workspace: String,
        /// The cluster's name
        cluster: String,
        /// The member, by name
        #[arg(long, required_unless_present = "default", conflicts_with = "default")]
        member: Option<String>,
        /// The account of every member without their own
        #[arg(long)]
        default: bool,
        /// The cluster account
        #[arg(long)]
        account: String,
    },
    /// Remove a member's (or the default) mapping
    #[command(
        after_help = r#"Example: dwc cluster map remove marketing_dw cdh_marketing --member alice"#
    )]
    Remove {
        /// The workspace, by name
        workspace: String,
        /// The cluster's name
        cluster: String,
        /// The member, by name
        #[arg(long, required_unless_present = "default", conflicts_with = "default")]
        member: Option<String>,
        /// The default mapping
        #[arg(long)]
        default: bool,
    },
}

fn cluster_row(c: &crate::console::clusters::ClusterView) -> Row {
    Row::new()
        .with("name", c.name.clone())
        .with("type", c.kind.title())
        .with("version", c.version.clone())
        .with("env", c.env.slug())
        .with(
            "endpoints",
            c.endpoints
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>(),
        )
        .with(
            "files",
            c.files
                .iter()
                .map(|(n, size)| format!("{n} ({size} bytes)"))
                .collect::<Vec<_>>(),
        )
        .with("default_account", c.default_account.clone())
        .with(
            "accounts",
            c.accounts
                .iter()
                .map(|(m, a)| format!("{m}={a}"))
                .collect::<Vec<_>>(),
        )
}

fn endpoints(list: &[String]) -> Result<std::collections::BTreeMap<String, String>, ConsoleError> {
    list.iter()
        .map(|e| {
            e.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .ok_or_else(|| {
                    ConsoleError::invalid("endpoint", format!("must be NAME=HOST:PORT (got {e:?})"))
                })
        })
        .collect()
}

fn cluster(cli: &Cli, c: &Console, s: &Session, cmd: &ClusterCmd) -> Out {
    use crate::console::clusters::{MapFor, NewCluster};
    let f = cli.output;
    match cmd {
        ClusterCmd::List { workspace } => Ok(output::list(
            f,
            &c.list_clusters(s, workspace)?
                .iter()
                .map(cluster_row)
                .collect::<Vec<_>>(),
            &format!("no clusters registered in {workspace}"),
        )),
        ClusterCmd::Show { workspace, name } => Ok(output::show(
            f,
            &cluster_row(&c.get_cluster(s, workspace, name)?),
        )),
        ClusterCmd::Register {
            workspace,
            name,
            kind,
            version,
            env,
            endpoint,
        } => {
            c.register_cluster(
                s,
                workspace,
                NewCluster {
                    name: name.clone(),
                    kind: crate::domain::cluster::ClusterType::parse("type", kind)?,
                    version: version.clone(),
                    env: *env,
                    endpoints: endpoints(endpoint)?,
                },
            )?;
            done(
                cli,
                format!("registered cluster {name} in {workspace}"),
                name,
            )
        }
        ClusterCmd::Update {
            workspace,
            name,
            version,
            endpoint,
        } => {
            c.update_cluster(
                s,
                workspace,
                name,
                version.as_deref(),
                &endpoints(endpoint)?,
            )?;
            done(cli, format!("updated cluster {name}"), name)
        }
        ClusterCmd::Deregister { workspace, name } => {
            c.deregister_cluster(s, workspace, name)?;
            done(
                cli,
                format!("deregistered cluster {name} from {workspace}"),
                name,
            )
        }
        ClusterCmd::File(ClusterFileCmd::Add {
            workspace,
            cluster,
            file,
            name,
        }) => {
            let content = cli
                .io
                .read_bytes(file, "file", crate::domain::cluster::MAX_FILE)?;
            let kept = match name {
                Some(n) => n.clone(),
                None => file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .filter(|n| n != "-")
                    .ok_or_else(|| {
                        ConsoleError::invalid(
                            "name",
                            "give --name for a file read from standard input",
                        )
                    })?,
            };
            c.add_cluster_file(s, workspace, cluster, &kept, &content)?;
            done(
                cli,
                format!(
                    "kept {kept} ({} bytes) for cluster {cluster}, sealed",
                    content.len()
                ),
                cluster,
            )
        }
        ClusterCmd::File(ClusterFileCmd::Remove {
            workspace,
            cluster,
            file,
        }) => {
            c.remove_cluster_file(s, workspace, cluster, file)?;
            done(cli, format!("removed {file} of cluster {cluster}"), cluster)
        }
        ClusterCmd::Map(ClusterMapCmd::Set {
            workspace,
            cluster,
            member,
            account,
            ..
        }) => {
            let who = member.as_deref().map_or(MapFor::Default, MapFor::Member);
            c.set_cluster_account(s, workspace, cluster, who, account)?;
            done(
                cli,
                match member {
                    Some(m) => format!("{m} works on {cluster} as {account}"),
                    None => {
                        format!("members without their own account work on {cluster} as {account}")
                    }
                },
                cluster,
            )
        }
        ClusterCmd::Map(ClusterMapCmd::Remove {
            workspace,
            cluster,
            member,
            ..
        }) => {
            let who = member.as_deref().map_or(MapFor::Default, MapFor::Member);
            c.remove_cluster_account(s, workspace, cluster, who)?;
            done(cli, format!("removed the mapping on {cluster}"), cluster)
        }
    }
}

fn parse_env(s: &str) -> Result<Env, String> {
    Env::parse("env", s).map_err(|e| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum EditionCmd {
    /// The tenant's edition
    #[command(after_help = r#"Example: dwc edition show"#)]
    Show,
    /// Change the edition (needs the bss: permission too)
    #[command(after_help = r#"Example: dwc edition set professional"#)]
    Set {
        #[arg(value_parser = parse_edition)]
        /// basic, standard, professional or enterprise
        edition: Edition,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// List the RAM users
    #[command(after_help = r#"Example: dwc user list -o json"#)]
    List,
    /// Show one RAM user with every field
    #[command(after_help = r#"Example: dwc user show alice"#)]
    Show {
        /// The RAM user's name
        name: String,
    },
    /// Create a user; the password comes from DWC_NEW_PASSWORD or a prompt
    #[command(after_help = r#"Example: dwc user create alice --display-name "Alice Chen""#)]
    Create {
        /// The RAM user's name
        name: String,
        #[arg(long, default_value = "")]
        /// The name people see [default: the name]
        display_name: String,
    },
    /// Delete a RAM user
    #[command(after_help = r#"Example: dwc user delete alice"#)]
    Delete {
        /// The RAM user's name
        name: String,
    },
    /// Set a password (from DWC_NEW_PASSWORD or a prompt)
    #[command(after_help = r#"Example: dwc user passwd alice"#)]
    Passwd {
        /// The RAM user's name
        name: String,
    },
    /// Clear a lock-out after too many failed log-ons (the account only)
    #[command(after_help = r#"Example: dwc user unlock alice"#)]
    Unlock {
        /// The RAM user's name
        name: String,
    },
    /// The user's virtual MFA device (TOTP): log-on asks for its code once it is bound
    #[command(subcommand)]
    Mfa(MfaCmd),
    /// SSH public keys the user logs on to `dwc serve` with
    #[command(subcommand)]
    Key(KeyCmd),
}

#[derive(Debug, Subcommand)]
pub enum PolicyVersionCmd {
    /// The versions, which one is the default
    #[command(after_help = r#"Example: dwc policy version list ReadReports"#)]
    List {
        /// The custom policy, by name
        name: String,
    },
    /// One version's document
    #[command(after_help = r#"Example: dwc policy version show ReadReports v2"#)]
    Show {
        /// The custom policy, by name
        name: String,
        /// The version, like v2
        version: String,
    },
    /// Add a version from a document (`-` reads standard input)
    #[command(
        after_help = r#"Example: dwc policy version create ReadReports --file v3.json --set-default"#
    )]
    Create {
        /// The policy's name
        name: String,
        #[arg(long, value_name = "FILE")]
        /// A file to read (`-` reads standard input)
        file: PathBuf,
        /// Make it the default at once
        #[arg(long)]
        set_default: bool,
    },
    /// Make a version the default (rolling back, when it is an older one)
    #[command(after_help = r#"Example: dwc policy version set-default ReadReports v1"#)]
    SetDefault {
        /// The custom policy, by name
        name: String,
        /// The version, like v2
        version: String,
    },
    /// Delete a version that is not the default
    #[command(after_help = r#"Example: dwc policy version delete ReadReports v2"#)]
    Delete {
        /// The custom policy, by name
        name: String,
        /// The version, like v2
        version: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum GroupCmd {
    /// The user groups, with their members and policies
    #[command(after_help = r#"Example: dwc group list -o json"#)]
    List,
    /// One group
    #[command(after_help = r#"Example: dwc group show analysts"#)]
    Show {
        /// The user group, by name
        name: String,
    },
    /// Create a group
    #[command(
        after_help = r#"Example: dwc group create analysts --description "read the reports""#
    )]
    Create {
        /// The user group's name
        name: String,
        #[arg(long, default_value = "")]
        /// A description (free text)
        description: String,
    },
    /// Delete an empty group
    #[command(after_help = r#"Example: dwc group delete analysts"#)]
    Delete {
        /// The user group, by name
        name: String,
    },
    /// Put a user in a group: the group's policies apply to them
    #[command(after_help = r#"Example: dwc group add-user analysts alice"#)]
    AddUser {
        /// The user group, by name
        group: String,
        /// The RAM user, by name
        user: String,
    },
    /// Take a user out of a group
    #[command(after_help = r#"Example: dwc group remove-user analysts alice"#)]
    RemoveUser {
        /// The user group, by name
        group: String,
        /// The RAM user, by name
        user: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MfaCmd {
    /// Make a device: prints its secret, an otpauth:// URI and a QR code for the authenticator
    /// app, once. Bind it with `confirm` and the app's first code.
    #[command(
        after_help = r#"Example: dwc user mfa enable alice && dwc user mfa confirm alice --code 123456"#
    )]
    Enable {
        /// The RAM user, by name
        user: String,
    },
    /// Bind the new device with the authenticator's current code
    #[command(after_help = r#"Example: dwc user mfa confirm alice --code 123456"#)]
    Confirm {
        /// The RAM user, by name
        user: String,
        /// The 6-digit code the app shows now
        #[arg(long)]
        code: String,
    },
    /// Unbind and delete the device (the account or a Tenant Administrator)
    #[command(after_help = r#"Example: dwc user mfa disable alice"#)]
    Disable {
        /// The RAM user, by name
        user: String,
    },
    /// Whether the user has a device, and whether it is bound
    #[command(after_help = r#"Example: dwc user mfa show alice"#)]
    Show {
        /// The RAM user, by name
        user: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeyCmd {
    /// Register a public key (an OpenSSH .pub file; `-` reads standard input)
    #[command(
        after_help = r#"Example: dwc user key add alice --file ~/.ssh/id_ed25519.pub --name laptop"#
    )]
    Add {
        /// The RAM user, by name
        user: String,
        #[arg(long, value_name = "KEY.pub")]
        /// A file to read (`-` reads standard input)
        file: PathBuf,
        /// A name for the key [default: the key's comment]
        #[arg(long, value_name = "LABEL")]
        name: Option<String>,
    },
    /// The user's keys with their SHA256 fingerprints
    #[command(after_help = r#"Example: dwc user key list alice"#)]
    List {
        /// The RAM user, by name
        user: String,
    },
    /// Remove a key, named by its SHA256 fingerprint or its name
    #[command(after_help = r#"Example: dwc user key remove alice laptop"#)]
    Remove {
        /// The RAM user, by name
        user: String,
        /// The key, by name or SHA256 fingerprint
        key: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SessionCmd {
    /// Who is on: user, source address, since, scope and idle time
    #[command(after_help = r#"Example: dwc session list -o json"#)]
    List,
    /// End one session (audited)
    #[command(after_help = r#"Example: dwc session end 3"#)]
    End {
        /// The session's number (dwc session list)
        id: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCmd {
    /// List the policies, system and custom
    #[command(after_help = r#"Example: dwc policy list"#)]
    List,
    /// Show one policy with every field
    #[command(after_help = r#"Example: dwc policy show ReadReports"#)]
    Show {
        /// The policy's name
        name: String,
    },
    /// Create a policy
    #[command(
        after_help = r#"Example: dwc policy create ReadReports --file read-reports.json --description "reports, read only""#
    )]
    Create {
        /// The policy's name
        name: String,
        #[arg(long, value_name = "FILE")]
        /// A file to read (`-` reads standard input)
        file: PathBuf,
        #[arg(long, default_value = "")]
        /// A description (free text)
        description: String,
    },
    /// Delete a policy
    #[command(after_help = r#"Example: dwc policy delete ReadReports"#)]
    Delete {
        /// The policy's name
        name: String,
    },
    /// Attach a policy to a user (--user) or to a user group (--group)
    #[command(after_help = r#"Example: dwc policy attach ReadOnly --group analysts"#)]
    Attach {
        /// The policy's name
        name: String,
        #[arg(long, required_unless_present = "group", conflicts_with = "group")]
        /// The RAM user, by name
        user: Option<String>,
        /// A user group: the policy applies to every member
        #[arg(long)]
        group: Option<String>,
    },
    /// Detach a policy from a user (--user) or a user group (--group)
    #[command(after_help = r#"Example: dwc policy detach ReadReports --user alice"#)]
    Detach {
        /// The policy's name
        name: String,
        #[arg(long, required_unless_present = "group", conflicts_with = "group")]
        /// The RAM user, by name
        user: Option<String>,
        #[arg(long)]
        /// The user group, by name
        group: Option<String>,
    },
    /// Versions of a custom policy (up to 5; one is the default, the one that decides)
    #[command(subcommand)]
    Version(PolicyVersionCmd),
}

#[derive(Debug, Args)]
pub struct WsFields {
    /// The name people see [default: the name]
    #[arg(long)]
    display_name: Option<String>,
    /// A description (free text)
    #[arg(long)]
    description: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum WorkspaceCmd {
    /// List the workspaces
    #[command(after_help = r#"Example: dwc --region cn-shanghai workspace list"#)]
    List {
        /// Show the recycle bin instead
        #[arg(long)]
        recycle_bin: bool,
    },
    /// Show one workspace with every field
    #[command(after_help = r#"Example: dwc workspace show finance_etl"#)]
    Show {
        /// The workspace's name
        name: String,
    },
    /// Create a workspace
    #[command(
        after_help = r#"Example: dwc workspace create finance_etl --display-name "Finance ETL""#
    )]
    Create {
        /// The workspace's name
        name: String,
        #[arg(long, value_parser = parse_mode)]
        /// standard (dev and prod) or basic (prod only)
        mode: Option<WorkspaceMode>,
        #[command(flatten)]
        fields: WsFields,
    },
    /// Change a workspace
    #[command(
        after_help = r#"Example: dwc workspace update finance_etl --description "nightly ledgers""#
    )]
    Update {
        /// The workspace's name
        name: String,
        #[command(flatten)]
        fields: WsFields,
        #[arg(long)]
        /// Whether members may download query results
        allow_download: Option<bool>,
    },
    /// Disable a workspace: scheduling pauses and it turns read-only
    #[command(after_help = r#"Example: dwc workspace disable sandbox_ops"#)]
    Disable {
        /// The workspace's name
        name: String,
    },
    /// Enable a disabled workspace again
    #[command(after_help = r#"Example: dwc workspace enable sandbox_ops"#)]
    Enable {
        /// The workspace's name
        name: String,
    },
    /// Move to the recycle bin for 14 days
    #[command(after_help = r#"Example: dwc workspace delete sandbox_ops"#)]
    Delete {
        /// The workspace's name
        name: String,
    },
    /// Restore a workspace from the recycle bin (within 14 days)
    #[command(after_help = r#"Example: dwc workspace restore sandbox_ops"#)]
    Restore {
        /// The workspace's name
        name: String,
    },
    /// Upgrade from Basic to Standard mode (one-way)
    #[command(after_help = r#"Example: dwc workspace upgrade sandbox_ops"#)]
    Upgrade {
        /// The workspace's name
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MemberCmd {
    /// List the members of a workspace
    #[command(after_help = r#"Example: dwc member list finance_etl"#)]
    List {
        /// The workspace, by name
        workspace: String,
    },
    /// Add a user to a workspace with roles
    #[command(after_help = r#"Example: dwc member add finance_etl alice --role development"#)]
    Add {
        /// The workspace, by name
        workspace: String,
        /// The RAM user, by name
        user: String,
        #[arg(long = "role", required = true)]
        /// Roles, comma-separated
        roles: Vec<String>,
    },
    /// Remove a member from a workspace
    #[command(after_help = r#"Example: dwc member remove finance_etl alice"#)]
    Remove {
        /// The workspace, by name
        workspace: String,
        /// The RAM user, by name
        user: String,
    },
    /// Grant a member another workspace role
    #[command(after_help = r#"Example: dwc member grant finance_etl alice om"#)]
    Grant {
        /// The workspace, by name
        workspace: String,
        /// The RAM user, by name
        user: String,
        /// A workspace role: a built-in one (development, om, deploy, visitor, …) or a custom one
        role: String,
    },
    /// Revoke a workspace role from a member
    #[command(after_help = r#"Example: dwc member revoke finance_etl alice om"#)]
    Revoke {
        /// The workspace, by name
        workspace: String,
        /// The RAM user, by name
        user: String,
        /// A workspace role: a built-in one (development, om, deploy, visitor, …) or a custom one
        role: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RoleCmd {
    /// List the workspace roles of a workspace
    #[command(after_help = r#"Example: dwc role list finance_etl"#)]
    List {
        /// The workspace, by name
        workspace: String,
    },
    /// A role's level per module and its compute role
    #[command(after_help = r#"Example: dwc role show finance_etl development"#)]
    Show {
        /// The workspace, by name
        workspace: String,
        /// The role, by name
        role: String,
    },
    /// Create a custom role (Enterprise) with MODULE=none|read|write levels
    #[command(
        after_help = r#"Example: dwc role create finance_etl reviewer --perm data-studio=read --perm deployment=write"#
    )]
    Create {
        /// The workspace, by name
        workspace: String,
        /// The workspace role's name
        name: String,
        #[arg(long = "perm", value_name = "MODULE=LEVEL")]
        /// MODULE=LEVEL (none, read or write), once per module; unnamed modules get none
        perms: Vec<String>,
        /// The compute-engine role it maps to in the development environment
        #[arg(long)]
        compute_role: Option<String>,
    },
    /// Delete a workspace role
    #[command(after_help = r#"Example: dwc role delete finance_etl reviewer"#)]
    Delete {
        /// The workspace, by name
        workspace: String,
        /// The role, by name
        role: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RgCmd {
    /// List the resource groups
    #[command(after_help = r#"Example: dwc rg list"#)]
    List,
    /// Show one resource group with every field
    #[command(after_help = r#"Example: dwc rg show rg_etl"#)]
    Show {
        /// The resource group's name
        name: String,
    },
    /// Create a resource group
    #[command(
        after_help = r#"Example: dwc rg create rg_etl --spec 16 --payment prepaid --months 3 --wait"#
    )]
    Create {
        /// The resource group's name
        name: String,
        #[arg(long, value_name = "CU", allow_negative_numbers = true)]
        /// Compute units (CU)
        spec: i64,
        #[arg(long, default_value = "postpaid", value_parser = ["prepaid", "postpaid"])]
        /// How it is paid: postpaid or prepaid (with --months)
        payment: String,
        #[arg(long, allow_negative_numbers = true)]
        /// Months: 1–9, 12, 24 or 36
        months: Option<i64>,
        #[arg(long)]
        /// Renew a PrePaid group by itself at expiry
        auto_renew: bool,
        #[arg(long, requires = "vswitch")]
        /// The VPC the group works in
        vpc: Option<String>,
        #[arg(long, requires = "vpc")]
        /// The vSwitch of that VPC
        vswitch: Option<String>,
    },
    /// Attach a resource group to a workspace of its region
    #[command(after_help = r#"Example: dwc rg attach rg_etl finance_etl"#)]
    Attach {
        /// The resource group's name
        name: String,
        /// The workspace, by name
        workspace: String,
    },
    /// Detach a resource group from a workspace
    #[command(after_help = r#"Example: dwc rg detach rg_etl finance_etl"#)]
    Detach {
        /// The resource group's name
        name: String,
        /// The workspace, by name
        workspace: String,
    },
    /// Scale a resource group to another spec (a job)
    #[command(after_help = r#"Example: dwc rg scale rg_etl --spec 32 --wait"#)]
    Scale {
        /// The resource group's name
        name: String,
        #[arg(long, value_name = "CU", allow_negative_numbers = true)]
        /// Compute units (CU)
        spec: i64,
    },
    /// Renew a PrePaid resource group by months (a job)
    #[command(after_help = r#"Example: dwc rg renew rg_etl --months 12"#)]
    Renew {
        /// The resource group's name
        name: String,
        #[arg(long, allow_negative_numbers = true)]
        /// Months: 1–9, 12, 24 or 36
        months: i64,
    },
    /// Set the upper limit of concurrently scheduled instances (at most one per CU, at least 5)
    #[command(after_help = r#"Example: dwc rg concurrency rg_etl --limit 20"#)]
    Concurrency {
        /// The resource group's name
        name: String,
        /// Instances scheduled at once
        #[arg(long, allow_negative_numbers = true)]
        limit: i64,
    },
    /// Set aside CU for one purpose: a guarantee and a most (together at most the spec)
    #[command(
        after_help = r#"Example: dwc rg quota rg_etl --purpose data-integration --min 4 --max 16"#
    )]
    Quota {
        /// The resource group's name
        name: String,
        /// data-computing, data-integration or data-service
        #[arg(long, value_parser = ["data-computing", "data-integration", "data-service"])]
        purpose: String,
        /// CU the purpose is guaranteed
        #[arg(long, allow_negative_numbers = true, required_unless_present = "clear")]
        min: Option<i64>,
        /// CU the purpose may use at most
        #[arg(long, allow_negative_numbers = true, required_unless_present = "clear")]
        max: Option<i64>,
        /// Drop the purpose's quota: it shares the group again
        #[arg(long, conflicts_with_all = ["min", "max"])]
        clear: bool,
    },
    /// Convert the billing method: PostPaid to PrePaid now (a purchase), or PrePaid to
    /// PostPaid when the subscription ends
    #[command(after_help = r#"Example: dwc rg convert rg_adhoc --to prepaid --months 3"#)]
    Convert {
        /// The resource group's name
        name: String,
        /// prepaid or postpaid
        #[arg(long, value_parser = ["prepaid", "postpaid"])]
        to: String,
        /// With --to prepaid: 1–9, 12, 24 or 36
        #[arg(long, allow_negative_numbers = true, required_if_eq("to", "prepaid"))]
        months: Option<i64>,
        /// With --to postpaid: stay PrePaid after all
        #[arg(long)]
        cancel: bool,
    },
    /// Delete a resource group
    #[command(after_help = r#"Example: dwc rg delete rg_etl"#)]
    Delete {
        /// The resource group's name
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ComputeCmd {
    /// List the compute resources of a workspace
    #[command(after_help = r#"Example: dwc compute list finance_etl"#)]
    List {
        /// The workspace, by name
        workspace: String,
    },
    /// Bind a compute resource; its data source is created with it
    #[command(
        after_help = r#"Example: dwc compute attach finance_etl --type maxcompute --name mc_fin --instance fin_project --env prod"#
    )]
    Attach {
        /// The workspace, by name
        workspace: String,
        #[arg(long = "type")]
        /// The type: maxcompute, hologres, emr-serverless-spark, …
        kind: String,
        #[arg(long)]
        /// The compute resource's name
        name: String,
        #[arg(long)]
        /// The engine's project or instance id
        instance: String,
        #[arg(long, value_parser = parse_env)]
        /// The environment: dev or prod
        env: Option<Env>,
    },
    /// Detach a compute resource
    #[command(after_help = r#"Example: dwc compute detach finance_etl mc_fin"#)]
    Detach {
        /// The workspace, by name
        workspace: String,
        /// The compute resource's name
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct ConnFlags {
    #[arg(long)]
    /// Host name or address
    host: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    /// Port (1–65535)
    port: Option<String>,
    #[arg(long)]
    /// Database (or service) name
    database: Option<String>,
    #[arg(long)]
    /// The user name it logs on with
    username: Option<String>,
    /// Any other connection field, as FIELD=VALUE
    #[arg(long = "field", value_name = "FIELD=VALUE")]
    fields: Vec<String>,
    /// Read the secret (password or AccessKey secret) from standard input
    #[arg(long)]
    password_stdin: bool,
    #[arg(long)]
    /// A description (free text)
    description: Option<String>,
    #[arg(long, value_parser = parse_env)]
    /// The environment: dev or prod
    env: Option<Env>,
}

#[derive(Debug, Subcommand)]
pub enum DsCmd {
    /// List the data sources of a workspace
    #[command(after_help = r#"Example: dwc ds list finance_etl"#)]
    List {
        /// The workspace, by name
        workspace: String,
    },
    /// Show one data source with every field
    #[command(after_help = r#"Example: dwc ds show finance_etl orders"#)]
    Show {
        /// The workspace, by name
        workspace: String,
        /// The data source's name
        name: String,
    },
    /// Create a data source
    #[command(
        after_help = r#"Example: dwc ds create finance_etl orders --type mysql --host db.internal --port 3306 --database orders --username etl --env prod --password-stdin < pw.txt"#
    )]
    Create {
        /// The workspace, by name
        workspace: String,
        /// The data source's name
        name: String,
        #[arg(long = "type")]
        /// The type: mysql, postgresql, oracle, sqlserver, …
        kind: String,
        #[command(flatten)]
        conn: ConnFlags,
    },
    /// Change a data source
    #[command(after_help = r#"Example: dwc ds update finance_etl orders --host db2.internal"#)]
    Update {
        /// The workspace, by name
        workspace: String,
        /// The data source's name
        name: String,
        #[command(flatten)]
        conn: ConnFlags,
    },
    /// Delete a data source
    #[command(after_help = r#"Example: dwc ds delete finance_etl orders"#)]
    Delete {
        /// The workspace, by name
        workspace: String,
        /// The data source's name
        name: String,
    },
    /// Tests connectivity from a resource group attached to the workspace: resolve, connect,
    /// and for PostgreSQL and MySQL log on and run SELECT 1. Prints the result and its steps;
    /// exits 0 when Connectable, 5 otherwise
    #[command(after_help = r#"Example: dwc ds test finance_etl orders --resource-group rg_etl"#)]
    Test {
        /// The workspace, by name
        workspace: String,
        /// The data source's name
        name: String,
        #[arg(long, value_name = "RG")]
        /// The resource group it runs on, by name
        resource_group: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// The audit log, newest first
    #[command(after_help = r#"Example: dwc audit list --limit 100 -o json"#)]
    List {
        #[arg(long, default_value_t = 50)]
        /// How many events, newest first
        limit: usize,
    },
}

// ----- rows -----

fn time(t: &crate::domain::Timestamp) -> Value {
    Value::String(t.format("%Y-%m-%d %H:%M").to_string())
}

fn ws_row(r: &crate::console::WorkspaceRow) -> Row {
    let w = &r.workspace;
    Row::new()
        .with("name", w.name.clone())
        .with("display_name", w.display_name.clone())
        .with("mode", w.mode.title())
        .with("status", w.status.title())
        .with("default", w.is_default)
        .with("administrators", r.administrators.clone())
        .with("members", r.member_count)
        .with("my_roles", r.my_roles.clone())
        .with("region", w.region.clone())
}

fn rg_row(g: &ResourceGroup, used_cu: u32) -> Row {
    let (expires, auto) = match g.payment {
        Payment::PrePaid {
            expires_at,
            auto_renew,
            ..
        } => (time(&expires_at), Value::Bool(auto_renew)),
        Payment::PostPaid => (Value::Null, Value::Null),
    };
    Row::new()
        .with("name", g.name.clone())
        .with("status", g.status.title())
        .with("spec_cu", g.spec_cu)
        .with("used_cu", used_cu)
        .with("payment", g.payment.title())
        .with("expires", expires)
        .with("auto_renew", auto)
        .with("attached", g.attached.iter().cloned().collect::<Vec<_>>())
        .with("concurrency", g.concurrency)
        .with(
            "quotas",
            g.quotas
                .iter()
                .map(|(p, q)| format!("{} {}–{} CU", p.slug(), q.min_cu, q.max_cu))
                .collect::<Vec<_>>(),
        )
        .with("postpaid_at_expiry", g.postpaid_at_expiry)
        .with(
            "vpc",
            g.network
                .as_ref()
                .map(|n| format!("{}/{}", n.vpc_id, n.vswitch_id)),
        )
        .with("reason", g.reason.clone())
}

fn compute_row(c: &ComputeResource) -> Row {
    Row::new()
        .with("name", c.name.clone())
        .with("type", c.kind.title())
        .with("instance", c.instance.clone())
        .with("env", c.env.slug())
        .with("workspace", c.workspace.clone())
}

fn ds_row(d: &DataSource) -> Row {
    let conn: Vec<String> = d
        .display_fields()
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let tests: Vec<String> = d
        .tests
        .values()
        .map(|t| format!("{}: {}", t.resource_group, t.result.title()))
        .collect();
    Row::new()
        .with("name", d.name.clone())
        .with("type", d.kind.title())
        .with("env", d.env.slug())
        .with("connection", conn)
        .with("compute", d.from_compute.clone())
        .with("tests", tests)
        .with("description", d.description.clone())
}

fn outbox_row(e: &crate::domain::alert::OutboxEntry) -> Row {
    Row::new()
        .with("name", e.contact.clone())
        .with("channel", e.channel.slug())
        .with("address", e.address.clone())
        .with("delivery", e.delivery.title())
        .with("at", time(&e.at))
        .with("message", e.message.clone())
}

fn done(cli: &Cli, message: String, name: &str) -> Out {
    Ok(output::done(cli.output, &message, name))
}

/// After a command that started a job on `name`: runs what is already due; with `--wait`
/// follows the job to its end (a failed job is an error with its reason); otherwise says how
/// far it got.
fn job_out(cli: &Cli, c: &Console, s: &Session, name: &str, started: String) -> Out {
    let job = if cli.wait {
        super::follow_job(cli, c, s, name)?
    } else {
        if !cli.io.is_served() {
            c.advance()?;
        }
        c.latest_job(s, name)?
            .ok_or_else(|| ConsoleError::NotFound(format!("a job on {name}")))?
    };
    match &job.outcome {
        Some(crate::domain::job::JobOutcome::Failed(reason)) => Err(ConsoleError::Conflict(
            format!("{} failed: {reason}", job.label()),
        )),
        Some(_) => ended_as(cli, c, s, &job),
        None => done(
            cli,
            format!(
                "{started}; job running ({}, about {} s left; dwc job wait {name} follows it)",
                job.progress(),
                job.remaining(c.now())
            ),
            name,
        ),
    }
}

/// What a finished job leaves: the resource as `show` prints it (a deleted group: the message).
fn ended_as(cli: &Cli, c: &Console, s: &Session, job: &crate::domain::job::Job) -> Out {
    use crate::domain::job::JobKind;
    let f = cli.output;
    let name = job.target.as_str();
    match &job.kind {
        JobKind::CreateResourceGroup
        | JobKind::ScaleResourceGroup { .. }
        | JobKind::RenewResourceGroup { .. } => {
            let g = c.get_resource_group(s, name)?;
            let used = c.usage_of(s, std::slice::from_ref(&g))?[0];
            Ok(output::show(f, &rg_row(&g, used)))
        }
        JobKind::BuildImage { .. } => Ok(output::show(f, &image_row(&c.get_image(s, name)?))),
        JobKind::DeployModel => Ok(output::show(f, &model_row(&c.get_model(s, name)?))),
        JobKind::DeleteResourceGroup => done(cli, format!("{}: done", job.label()), name),
    }
}

// ----- dispatch -----

pub fn dispatch(cli: &Cli) -> Out {
    let Some(cmd) = &cli.command else {
        return Err(ConsoleError::Internal("no command".into()));
    };
    match cmd {
        Command::Init {
            account,
            edition,
            region,
        } => return init(cli, account, *edition, region),
        Command::Demo { scale, .. } => return demo(cli, *scale),
        // Neither needs a store.
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                *shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "dwc",
                &mut out,
            );
            return Ok(String::from_utf8_lossy(&out).into_owned());
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut out)
                .map_err(|e| ConsoleError::Internal(e.to_string()))?;
            return Ok(String::from_utf8_lossy(&out).into_owned());
        }
        Command::Store(StoreCmd::Copy { from, to }) => return store_copy(cli, from, to),
        Command::Serve { .. } => {
            return Err(ConsoleError::Internal(
                "dwc serve runs from main, not as a command".into(),
            ));
        }
        _ => {}
    }
    let (console, s) = session(cli)?;
    let out = dispatch_on(cli, &console, &s);
    // This process ends with the command, and its store is on disk already (every change is
    // flushed as it commits): handing the store's cache back page by page, and syncing files
    // nothing wrote, would only delay the exit.
    std::mem::forget(console);
    out
}

/// Runs a command as `s` on an open console.
pub fn dispatch_on(cli: &Cli, c: &Console, s: &Session) -> Out {
    let Some(cmd) = &cli.command else {
        return Err(ConsoleError::Internal("no command".into()));
    };
    let s = s.clone();
    let f = cli.output;
    match cmd {
        Command::Init { .. }
        | Command::Demo { .. }
        | Command::Serve { .. }
        | Command::Store(_)
        | Command::Completions { .. }
        | Command::Man => Err(ConsoleError::Internal("handled before log-on".into())),
        Command::Session(cmd) => session_cmd(cli, c, &s, cmd),
        Command::Image(cmd) => image(cli, c, &s, cmd),
        Command::Model(cmd) => model(cli, c, &s, cmd),
        Command::Service(cmd) => service(cli, c, &s, cmd),
        Command::Bill(BillCmd::List { month }) => {
            let rows: Vec<Row> = c
                .list_bills(&s, month.as_deref())?
                .iter()
                .map(|b| {
                    Row::new()
                        .with("name", b.item_id.clone())
                        .with("month", b.month.clone())
                        .with("description", b.description.clone())
                        .with(
                            "amount",
                            crate::domain::purchase::format_cents(b.amount_cents),
                        )
                })
                .collect();
            Ok(output::list(f, &rows, "no bills"))
        }
        Command::Alert(cmd) => alert(cli, c, &s, cmd),
        Command::Tenant(cmd) => tenant(cli, c, &s, cmd),
        Command::Extension(cmd) => extension(cli, c, &s, cmd),
        Command::Edition(EditionCmd::Show) => {
            let e = c.edition(&s)?;
            Ok(output::show(
                f,
                &Row::new()
                    .with("name", e.slug())
                    .with("edition", e.title())
                    .with("image_limit", e.image_limit()),
            ))
        }
        Command::Edition(EditionCmd::Set { edition }) => {
            c.set_edition(&s, *edition)?;
            done(
                cli,
                format!("edition set to {}", edition.title()),
                edition.slug(),
            )
        }
        Command::User(cmd) => user(cli, c, &s, cmd),
        Command::Policy(cmd) => policy(cli, c, &s, cmd),
        Command::Group(cmd) => group(cli, c, &s, cmd),
        Command::Workspace(cmd) => workspace(cli, c, &s, cmd),
        Command::Member(cmd) => member(cli, c, &s, cmd),
        Command::Role(cmd) => role(cli, c, &s, cmd),
        Command::ResourceGroup(cmd) => resource_group(cli, c, &s, cmd),
        Command::Compute(cmd) => compute(cli, c, &s, cmd),
        Command::Cluster(cmd) => cluster(cli, c, &s, cmd),
        Command::Datasource(cmd) => datasource(cli, c, &s, cmd),
        Command::Can {
            user,
            action,
            target,
            scope,
        } => {
            let scope = scope.as_deref().map(|v| {
                if v == "page" {
                    crate::domain::Scope::Page
                } else {
                    crate::domain::Scope::OpenAPI
                }
            });
            let a = c.explain_access(&s, user, action, target, scope)?;
            let v = &a.verdict;
            let word = if v.allowed { "allowed" } else { "denied" };
            let shown = match f {
                output::Format::Json => {
                    serde_json::json!({
                        "name": a.user,
                        "allowed": v.allowed,
                        "action": a.action,
                        "target": a.target,
                        "scope": a.scope.as_str(),
                        "basis": v.basis.title(),
                        "trace": v.trace,
                    })
                    .to_string()
                        + "\n"
                }
                output::Format::Table => {
                    let (verb, why) = if v.allowed {
                        ("may", format!(", by {}", v.basis.title()))
                    } else {
                        ("may not", format!(": {}", v.basis.title()))
                    };
                    let mut out = format!(
                        "{word}: {} {verb} {} on {} (scope {}){why}\n",
                        a.user, a.action, a.target, a.scope
                    );
                    for line in &v.trace {
                        out.push_str(&format!("  {line}\n"));
                    }
                    out
                }
            };
            if v.allowed {
                return Ok(shown);
            }
            // The decision and its trace on stdout, once; exit 3 for scripts, like kubectl
            // auth can-i.
            cli.io.out(&shown)?;
            cli.io.mark_shown();
            Err(ConsoleError::Denied {
                action: a.action.clone(),
                target: a.target.clone(),
                explanation: Vec::new(),
            })
        }
        Command::Export { workspace } => {
            cli.io
                .out_stream(|out| c.export_to(&s, workspace.as_deref(), out))?;
            Ok(String::new())
        }
        Command::Apply { file, dry_run } => {
            let source = file.display().to_string();
            let text = cli.io.read_file(file, &source, APPLY_LIMIT)?;
            let one_time = cli.io.var("DWC_NEW_PASSWORD");
            let report = c
                .apply_with(&s, &source, &text, *dry_run, one_time.as_deref())
                .inspect_err(|_| {
                    if f == Format::Table {
                        cli.io
                            .err("dwc: nothing was applied; the store is as it was\n");
                    }
                })?;
            Ok(apply_report(f, &report, &source, *dry_run))
        }
        Command::Advise => {
            let rows: Vec<Row> = c
                .advise(&s)?
                .into_iter()
                .map(|f| {
                    Row::new()
                        .with("name", f.subject)
                        .with("severity", f.severity.title())
                        .with("rule", f.rule)
                        .with("finding", f.message)
                        .with("fix", f.fix)
                })
                .collect();
            Ok(output::list(
                f,
                &rows,
                "no findings: this region follows the guidelines",
            ))
        }
        Command::Job(JobCmd::List { all }) => {
            let now = c.now();
            let rows: Vec<Row> = c
                .list_jobs(&s, *all)?
                .iter()
                .map(|j| {
                    Row::new()
                        .with("name", j.target.clone())
                        .with("id", j.id)
                        .with("job", j.kind.verb())
                        .with("progress", j.progress())
                        .with("remaining_s", j.remaining(now))
                        .with("started_by", j.started_by.clone())
                        .with(
                            "started",
                            j.started_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                        )
                })
                .collect();
            Ok(output::list(f, &rows, "no jobs running"))
        }
        Command::Job(JobCmd::Wait { target }) => {
            let job = super::follow_job(cli, c, &s, target)?;
            match &job.outcome {
                Some(crate::domain::job::JobOutcome::Failed(reason)) => Err(
                    ConsoleError::Conflict(format!("{} failed: {reason}", job.label())),
                ),
                _ => done(cli, format!("{}: done", job.label()), target),
            }
        }
        Command::Audit(AuditCmd::List { limit }) => {
            let rows: Vec<Row> = c
                .audit_log(&s, *limit)?
                .iter()
                .map(|e| {
                    Row::new()
                        .with("name", e.action.clone())
                        .with("time", e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string())
                        .with("principal", e.principal.clone())
                        .with("scope", e.scope.as_str())
                        .with("target", e.target.clone())
                        .with("outcome", e.outcome.to_string())
                        .with("detail", e.detail.clone())
                })
                .collect();
            Ok(output::list_titled(
                f,
                &rows,
                "no audit events",
                Some("action"),
            ))
        }
    }
}

fn init(cli: &Cli, account: &str, edition: Edition, region: &str) -> Out {
    let password = cli
        .io
        .new_secret_from("DWC_PASSWORD", "Password for the account: ")?;
    let tenant = Tenant {
        account: account.to_owned(),
        account_hash: None,
        edition,
        open: false,
        default_region: region.to_owned(),
        created_at: chrono::Utc::now(),
    };
    Console::init(
        &cli.store_dir(),
        tenant,
        password.as_deref(),
        Box::new(SystemClock),
    )?;
    done(
        cli,
        format!(
            "created tenant {account} ({} edition, {region}) in {}",
            edition.title(),
            crate::store::shown(&cli.store_dir())
        ),
        account,
    )
}

/// `dwc store copy`: the records through the store's own copy, the secret key beside them.
fn store_copy(cli: &Cli, from: &Path, to: &Path) -> Out {
    use crate::store::{Store, copy, shown};
    if shown(from) == shown(to) {
        return Err(ConsoleError::invalid("to", "is the store being copied"));
    }
    let src = Store::open(from, false)?;
    let key = secret_key_for(from, to)?;
    let dst = Store::open(to, true)?;
    let key = key.put()?;
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(crate::store::T::ALL.len() as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    if let Ok(style) = indicatif::ProgressStyle::with_template("copying [{bar:33}] {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    let report = copy::copy(&src, &dst, |t| {
        bar.set_message(format!("{} ({} records)", t.tree, t.records));
        bar.inc(1);
    })?;
    bar.finish_and_clear();
    let rows: Vec<Row> = report
        .iter()
        .map(|t| {
            Row::new()
                .with("name", t.tree)
                .with("records", t.records)
                .with("checksum", t.checksum.clone())
        })
        .collect();
    let mut out = output::list(cli.output, &rows, "nothing to copy");
    if cli.output == output::Format::Table {
        let total: usize = report.iter().map(|t| t.records).sum();
        let place = crate::console::auth::key_path(to);
        let shared = if crate::store::is_postgres(to) {
            format!(
                "; every machine that opens {} needs this file in the same place (or DWC_STATE_DIR naming its directory)",
                shown(to)
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "\ncopied {total} records from {} to {}: every tree's count and checksum agree\nsecret key: {} ({key}){shared}\n",
            shown(from),
            shown(to),
            place.display(),
        ));
    }
    Ok(out)
}

/// The source's secret key, to put where the destination's belongs before any record moves:
/// without it the copied secrets could not be opened. Checked before the destination is
/// opened; a destination that has a different key already is refused.
struct KeyCopy {
    key: Vec<u8>,
    to: PathBuf,
    there: bool,
}

impl KeyCopy {
    /// Writes the key unless it is there; says which.
    fn put(self) -> Result<&'static str, ConsoleError> {
        use crate::console::auth::{key_path, write_key};
        if self.there {
            return Ok("already there");
        }
        if write_key(&self.to, &self.key)? {
            return Ok("copied");
        }
        // Made meanwhile by something else opening the destination.
        match std::fs::read(key_path(&self.to)) {
            Ok(k) if k == self.key => Ok("already there"),
            _ => Err(ConsoleError::invalid(
                "to",
                format!(
                    "{} was given another secret key meanwhile; nothing was copied",
                    key_path(&self.to).display()
                ),
            )),
        }
    }
}

fn secret_key_for(from: &Path, to: &Path) -> Result<KeyCopy, ConsoleError> {
    use crate::console::auth::key_path;
    let (src, dst) = (key_path(from), key_path(to));
    let key = std::fs::read(&src).map_err(|e| {
        ConsoleError::Store(format!("reading the secret key {}: {e}", src.display()))
    })?;
    let there = match std::fs::read(&dst) {
        Ok(have) if have == key => true,
        Ok(_) => {
            return Err(ConsoleError::invalid(
                "to",
                format!(
                    "{} holds another secret key; the copied secrets need {}",
                    dst.display(),
                    src.display()
                ),
            ));
        }
        Err(_) => false,
    };
    Ok(KeyCopy {
        key,
        to: to.to_path_buf(),
        there,
    })
}

fn demo(cli: &Cli, scale: Option<usize>) -> Out {
    let dir = cli.store_dir();
    let c = Console::create_demo(&dir, scale, Box::new(SystemClock))?;
    let t = c.tenant();
    let extra = scale
        .map(|n| format!(" with a scale tenant of {n} workspaces"))
        .unwrap_or_default();
    done(
        cli,
        format!(
            "created the demo tenant {} ({} edition){extra} in {}\nIt is an open store: act as any user with --user NAME, no password (try `dwc --store {} --user alice workspace list`).",
            t.account,
            t.edition.title(),
            crate::store::shown(&dir),
            crate::store::shown(&dir)
        ),
        &t.account,
    )
}

fn policy_version(cli: &Cli, c: &Console, s: &Session, cmd: &PolicyVersionCmd) -> Out {
    let f = cli.output;
    match cmd {
        PolicyVersionCmd::List { name } => {
            let rows: Vec<Row> = c
                .list_policy_versions(s, name)?
                .into_iter()
                .map(|v| {
                    Row::new()
                        .with("name", v.id)
                        .with("default", v.default)
                        .with("created", v.created_at.as_ref().map(time))
                })
                .collect();
            Ok(output::list(f, &rows, "no versions"))
        }
        PolicyVersionCmd::Show { name, version } => {
            let v = c.get_policy_version(s, name, version)?;
            let doc: Value = serde_json::from_str(&v.document).unwrap_or(Value::String(v.document));
            Ok(output::show(
                f,
                &Row::new()
                    .with("name", v.id)
                    .with("policy", name.clone())
                    .with("default", v.default)
                    .with(
                        "document",
                        if f == Format::Json {
                            doc
                        } else {
                            Value::String(doc.to_string())
                        },
                    ),
            ))
        }
        PolicyVersionCmd::Create {
            name,
            file,
            set_default,
        } => {
            let doc = cli.io.read_file(file, "file", POLICY_FILE_LIMIT)?;
            let (id, unmatched) = c.create_policy_version(s, name, &doc, *set_default)?;
            for at in unmatched {
                cli.io.err(&format!(
                    "dwc: warning: {at} matches no operation dwc has: it allows or denies nothing here\n"
                ));
            }
            let how = if *set_default {
                ", now the default"
            } else {
                ""
            };
            done(
                cli,
                format!("created version {id} of policy {name}{how}"),
                &id,
            )
        }
        PolicyVersionCmd::SetDefault { name, version } => {
            c.set_default_policy_version(s, name, version)?;
            done(
                cli,
                format!("{version} is now the default version of {name}"),
                version,
            )
        }
        PolicyVersionCmd::Delete { name, version } => {
            c.delete_policy_version(s, name, version)?;
            done(
                cli,
                format!("deleted version {version} of policy {name}"),
                version,
            )
        }
    }
}

fn session_cmd(cli: &Cli, c: &Console, s: &Session, cmd: &SessionCmd) -> Out {
    match cmd {
        SessionCmd::List => {
            let rows: Vec<Row> = c
                .list_sessions(s)?
                .into_iter()
                .map(|v| {
                    Row::new()
                        .with("name", v.id.to_string())
                        .with("user", v.user)
                        .with("source", v.source)
                        .with("since", time(&v.since))
                        .with("scope", v.scope.as_str())
                        .with("kind", v.kind)
                        .with("idle_s", v.idle_seconds)
                })
                .collect();
            Ok(output::list(
                cli.output,
                &rows,
                "no open sessions (sessions are those of dwc serve)",
            ))
        }
        SessionCmd::End { id } => {
            let v = c.end_session(s, *id)?;
            done(
                cli,
                format!("ended session {id} of {} from {}", v.user, v.source),
                &id.to_string(),
            )
        }
    }
}

fn new_password(cli: &Cli, prompt: &str) -> Result<Option<String>, ConsoleError> {
    cli.io.new_secret_from("DWC_NEW_PASSWORD", prompt)
}

fn user(cli: &Cli, c: &Console, s: &Session, cmd: &UserCmd) -> Out {
    let f = cli.output;
    match cmd {
        UserCmd::List => {
            let rows: Vec<Row> = c
                .list_users(s)?
                .iter()
                .map(|u| {
                    Row::new()
                        .with("name", u.user.name.clone())
                        .with("display_name", u.user.display_name.clone())
                        .with("created", time(&u.user.created_at))
                })
                .collect();
            Ok(output::list(f, &rows, "no users"))
        }
        UserCmd::Show { name } => {
            let u = c.get_user(s, name)?;
            let policies = c.user_policies(s, name)?;
            let tenant_roles: Vec<String> = c
                .user_tenant_roles(name)?
                .iter()
                .map(|r| format!("{r:?}"))
                .collect();
            Ok(output::show(
                f,
                &Row::new()
                    .with("name", u.user.name)
                    .with("display_name", u.user.display_name)
                    .with("policies", policies)
                    .with("tenant_roles", tenant_roles)
                    .with("created", time(&u.user.created_at)),
            ))
        }
        UserCmd::Create { name, display_name } => {
            let pw = if c.tenant().open {
                None
            } else {
                new_password(cli, &format!("Password for {name}: "))?
            };
            c.create_user(s, name, display_name, pw.as_deref())?;
            done(cli, format!("created user {name}"), name)
        }
        UserCmd::Delete { name } => {
            c.delete_user(s, name)?;
            done(cli, format!("deleted user {name}"), name)
        }
        UserCmd::Unlock { name } => {
            c.unlock_user(s, name)?;
            done(cli, format!("cleared the lock-out of {name}"), name)
        }
        UserCmd::Mfa(MfaCmd::Enable { user }) => {
            let e = c.mfa_enable(s, user)?;
            Ok(match cli.output {
                Format::Json => output::show(
                    Format::Json,
                    &Row::new()
                        .with("user", e.user.clone())
                        .with("secret", e.secret.clone())
                        .with("uri", e.uri.clone()),
                ),
                Format::Table => {
                    let mut text = format!(
                        "MFA device made for {user}; shown this once.\nsecret: {}\nuri:    {}\n",
                        e.secret, e.uri
                    );
                    for line in e.qr() {
                        text.push_str(&line);
                        text.push('\n');
                    }
                    text.push_str(&format!(
                        "Scan it with an authenticator app, then: dwc user mfa confirm {user} --code CODE\n"
                    ));
                    text
                }
            })
        }
        UserCmd::Mfa(MfaCmd::Confirm { user, code }) => {
            c.mfa_confirm(s, user, code)?;
            done(
                cli,
                format!("bound the MFA device of {user}: log-on asks for its code"),
                user,
            )
        }
        UserCmd::Mfa(MfaCmd::Disable { user }) => {
            c.mfa_disable(s, user)?;
            done(cli, format!("removed the MFA device of {user}"), user)
        }
        UserCmd::Mfa(MfaCmd::Show { user }) => {
            c.get_user(s, user)?;
            let state = match c.mfa_state(user)? {
                None => "none",
                Some(false) => "made, not bound yet",
                Some(true) => "bound",
            };
            Ok(output::show(
                cli.output,
                &Row::new().with("user", user.clone()).with("mfa", state),
            ))
        }
        UserCmd::Key(KeyCmd::Add { user, file, name }) => {
            let text = cli
                .io
                .read_file(file, "file", crate::console::keys::MAX_KEY_TEXT)?;
            let k = c.add_key(s, user, &text, name.as_deref())?;
            done(
                cli,
                format!("added key {} ({}) to {user}", k.label, k.fingerprint),
                &k.fingerprint,
            )
        }
        UserCmd::Key(KeyCmd::List { user }) => {
            let rows: Vec<Row> = c
                .list_keys(s, user)?
                .into_iter()
                .map(|k| {
                    Row::new()
                        .with("name", k.label)
                        .with("fingerprint", k.fingerprint)
                        .with("type", k.algorithm)
                        .with("added", time(&k.added_at))
                        .with("added_by", k.added_by)
                })
                .collect();
            Ok(output::list(f, &rows, &format!("{user} has no keys")))
        }
        UserCmd::Key(KeyCmd::Remove { user, key }) => {
            let k = c.remove_key(s, user, key)?;
            done(
                cli,
                format!("removed key {} ({}) of {user}", k.label, k.fingerprint),
                &k.fingerprint,
            )
        }
        UserCmd::Passwd { name } => {
            let pw =
                new_password(cli, &format!("New password for {name}: "))?.ok_or_else(|| {
                    ConsoleError::invalid("password", "set DWC_NEW_PASSWORD or run on a terminal")
                })?;
            c.set_password(s, name, &pw)?;
            done(cli, format!("changed the password of {name}"), name)
        }
    }
}

fn policy(cli: &Cli, c: &Console, s: &Session, cmd: &PolicyCmd) -> Out {
    let f = cli.output;
    match cmd {
        PolicyCmd::List => {
            let rows: Vec<Row> = c
                .list_policies(s)?
                .iter()
                .map(|p| {
                    Row::new()
                        .with("name", p.name.clone())
                        .with("type", if p.system { "System" } else { "Custom" })
                        .with("description", p.description.clone())
                })
                .collect();
            Ok(output::list(f, &rows, "no policies"))
        }
        PolicyCmd::Show { name } => {
            let (p, users) = c.get_policy(s, name)?;
            let doc: Value =
                serde_json::from_str(&p.document).unwrap_or(Value::String(p.document.clone()));
            let doc_text = match f {
                Format::Json => doc,
                Format::Table => Value::String(format!(
                    "\n{}",
                    serde_json::to_string_pretty(&doc).unwrap_or_default()
                )),
            };
            Ok(output::show(
                f,
                &Row::new()
                    .with("name", p.name)
                    .with("type", if p.system { "System" } else { "Custom" })
                    .with("description", p.description)
                    .with("attached_to", users)
                    .with("document", doc_text),
            ))
        }
        PolicyCmd::Create {
            name,
            file,
            description,
        } => {
            let doc = cli.io.read_file(file, "file", POLICY_FILE_LIMIT)?;
            for at in c.create_policy(s, name, description, &doc)? {
                cli.io.err(&format!(
                    "dwc: warning: {at} matches no operation dwc has: it allows or denies nothing here\n"
                ));
            }
            done(cli, format!("created policy {name}"), name)
        }
        PolicyCmd::Version(cmd) => policy_version(cli, c, s, cmd),
        PolicyCmd::Delete { name } => {
            c.delete_policy(s, name)?;
            done(cli, format!("deleted policy {name}"), name)
        }
        PolicyCmd::Attach { name, user, group } => match (user, group) {
            (_, Some(g)) => {
                c.attach_policy_to_group(s, name, g)?;
                done(cli, format!("attached {name} to group {g}"), name)
            }
            (Some(u), None) => {
                c.attach_policy(s, name, u)?;
                done(cli, format!("attached {name} to {u}"), name)
            }
            (None, None) => Err(ConsoleError::invalid("user", "give --user or --group")),
        },
        PolicyCmd::Detach { name, user, group } => match (user, group) {
            (_, Some(g)) => {
                c.detach_policy_from_group(s, name, g)?;
                done(cli, format!("detached {name} from group {g}"), name)
            }
            (Some(u), None) => {
                c.detach_policy(s, name, u)?;
                done(cli, format!("detached {name} from {u}"), name)
            }
            (None, None) => Err(ConsoleError::invalid("user", "give --user or --group")),
        },
    }
}

fn workspace(cli: &Cli, c: &Console, s: &Session, cmd: &WorkspaceCmd) -> Out {
    let f = cli.output;
    match cmd {
        WorkspaceCmd::List { recycle_bin: false } => {
            let rows: Vec<Row> = c.list_workspaces(s)?.iter().map(ws_row).collect();
            Ok(output::list(
                f,
                &rows,
                &format!("no workspaces in {}", s.region),
            ))
        }
        WorkspaceCmd::List { recycle_bin: true } => {
            let rows: Vec<Row> = c
                .list_recycle_bin(s)?
                .iter()
                .filter_map(|w| {
                    let r = w.recycled?;
                    Some(
                        Row::new()
                            .with("name", w.name.clone())
                            .with("deleted", time(&r.deleted_at))
                            .with("purge_after", time(&r.purge_at())),
                    )
                })
                .collect();
            Ok(output::list(f, &rows, "the recycle bin is empty"))
        }
        WorkspaceCmd::Show { name } => {
            let r = c.get_workspace(s, name)?;
            let row = ws_row(&r)
                .with("description", r.workspace.description.clone())
                .with("allow_download", r.workspace.settings.allow_download)
                .with("created", time(&r.workspace.created_at))
                .with("created_by", r.workspace.created_by.clone());
            Ok(output::show(f, &row))
        }
        WorkspaceCmd::Create { name, mode, fields } => {
            let w = c.create_workspace(
                s,
                NewWorkspace {
                    name: name.clone(),
                    display_name: fields.display_name.clone().unwrap_or_default(),
                    description: fields.description.clone().unwrap_or_default(),
                    mode: *mode,
                },
            )?;
            done(
                cli,
                format!(
                    "created workspace {name} ({} mode) in {}",
                    w.mode.title(),
                    w.region
                ),
                name,
            )
        }
        WorkspaceCmd::Update {
            name,
            fields,
            allow_download,
        } => {
            c.update_workspace(
                s,
                name,
                WorkspacePatch {
                    display_name: fields.display_name.clone(),
                    description: fields.description.clone(),
                    allow_download: *allow_download,
                    scheduling: None,
                },
            )?;
            done(cli, format!("updated workspace {name}"), name)
        }
        WorkspaceCmd::Disable { name } => c
            .disable_workspace(s, name)
            .and_then(|_| done(cli, format!("disabled workspace {name}"), name)),
        WorkspaceCmd::Enable { name } => c
            .enable_workspace(s, name)
            .and_then(|_| done(cli, format!("enabled workspace {name}"), name)),
        WorkspaceCmd::Delete { name } => {
            let w = c.delete_workspace(s, name)?;
            let until = w
                .recycled
                .map(|r| r.purge_at().format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            done(
                cli,
                format!("moved workspace {name} to the recycle bin (restorable until {until})"),
                name,
            )
        }
        WorkspaceCmd::Restore { name } => c
            .restore_workspace(s, name)
            .and_then(|_| done(cli, format!("restored workspace {name}"), name)),
        WorkspaceCmd::Upgrade { name } => c.upgrade_workspace(s, name).and_then(|_| {
            done(
                cli,
                format!("upgraded workspace {name} to Standard mode"),
                name,
            )
        }),
    }
}

fn roles(list: &[String]) -> Result<Vec<RoleRef>, ConsoleError> {
    list.iter()
        .map(|r| RoleRef::parse(r).map_err(Into::into))
        .collect()
}

fn member(cli: &Cli, c: &Console, s: &Session, cmd: &MemberCmd) -> Out {
    match cmd {
        MemberCmd::List { workspace } => {
            let rows: Vec<Row> = c
                .list_members(s, workspace)?
                .iter()
                .map(|m| {
                    Row::new()
                        .with("name", m.user.clone())
                        .with("roles", m.roles.clone())
                        .with("owner", m.owner)
                })
                .collect();
            Ok(output::list(cli.output, &rows, "no members"))
        }
        MemberCmd::Add {
            workspace,
            user,
            roles: r,
        } => {
            c.add_member(s, workspace, user, roles(r)?)?;
            done(cli, format!("added {user} to {workspace}"), user)
        }
        MemberCmd::Remove { workspace, user } => {
            c.remove_member(s, workspace, user)?;
            done(cli, format!("removed {user} from {workspace}"), user)
        }
        MemberCmd::Grant {
            workspace,
            user,
            role,
        } => {
            let r = RoleRef::parse(role)?;
            c.grant_role(s, workspace, user, r.clone())?;
            done(cli, format!("granted {r} to {user} in {workspace}"), user)
        }
        MemberCmd::Revoke {
            workspace,
            user,
            role,
        } => {
            let r = RoleRef::parse(role)?;
            c.revoke_role(s, workspace, user, r.clone())?;
            done(cli, format!("revoked {r} from {user} in {workspace}"), user)
        }
    }
}

fn role(cli: &Cli, c: &Console, s: &Session, cmd: &RoleCmd) -> Out {
    let f = cli.output;
    let view_row = |r: &crate::console::RoleView, full: bool| {
        let granted: Vec<String> = r
            .levels
            .iter()
            .filter(|(_, l)| l != "none")
            .map(|(m, l)| format!("{m}={l}"))
            .collect();
        let mut row = Row::new()
            .with("name", r.name.clone())
            .with("type", if r.builtin { "Built-in" } else { "Custom" })
            .with("compute_role", r.compute_role_dev.clone())
            .with("members", r.holders);
        if full {
            row = row
                .with("slug", r.slug.clone())
                .with("prod_compute_role", r.compute_role_prod.clone())
                .with("permissions", granted);
        }
        row
    };
    match cmd {
        RoleCmd::List { workspace } => {
            let rows: Vec<Row> = c
                .list_roles(s, workspace)?
                .iter()
                .map(|r| view_row(r, false))
                .collect();
            Ok(output::list(f, &rows, "no roles"))
        }
        RoleCmd::Show { workspace, role } => Ok(output::show(
            f,
            &view_row(&c.get_role(s, workspace, role)?, true),
        )),
        RoleCmd::Create {
            workspace,
            name,
            perms,
            compute_role,
        } => {
            let levels = ModuleLevels::parse_perms(perms)?;
            c.create_role(s, workspace, name, levels, compute_role.as_deref())?;
            done(cli, format!("created role {name} in {workspace}"), name)
        }
        RoleCmd::Delete { workspace, role } => {
            c.delete_role(s, workspace, role)?;
            done(cli, format!("deleted role {role} from {workspace}"), role)
        }
    }
}

fn resource_group(cli: &Cli, c: &Console, s: &Session, cmd: &RgCmd) -> Out {
    let f = cli.output;
    match cmd {
        RgCmd::List => {
            let groups = c.list_resource_groups(s)?;
            let used = c.usage_of(s, &groups)?;
            let rows: Vec<Row> = groups.iter().zip(used).map(|(g, u)| rg_row(g, u)).collect();
            Ok(output::list(
                f,
                &rows,
                &format!("no resource groups in {}", s.region),
            ))
        }
        RgCmd::Show { name } => {
            let g = c.get_resource_group(s, name)?;
            let used = c.usage_of(s, std::slice::from_ref(&g))?[0];
            Ok(output::show(f, &rg_row(&g, used)))
        }
        RgCmd::Create {
            name,
            spec,
            payment,
            months,
            auto_renew,
            vpc,
            vswitch,
        } => {
            let prepaid_months = match (payment.as_str(), months) {
                ("prepaid", Some(m)) => Some(names::whole(*m, rg_rules::check_months)?),
                ("prepaid", None) => {
                    return Err(ConsoleError::invalid(
                        "months",
                        "a PrePaid resource group needs --months",
                    ));
                }
                (_, Some(_)) => {
                    return Err(ConsoleError::invalid(
                        "months",
                        "only PrePaid resource groups have a subscription length",
                    ));
                }
                _ => None,
            };
            let g = c.create_resource_group(
                s,
                NewResourceGroup {
                    name: name.clone(),
                    spec_cu: names::whole(*spec, rg_rules::check_spec)?,
                    prepaid_months,
                    auto_renew: *auto_renew,
                    vpc_id: vpc.clone(),
                    vswitch_id: vswitch.clone(),
                },
            )?;
            job_out(
                cli,
                c,
                s,
                name,
                format!(
                    "creating resource group {name} ({} CU, {})",
                    g.spec_cu,
                    g.payment.title(),
                ),
            )
        }
        RgCmd::Attach { name, workspace } => {
            c.attach_resource_group(s, name, workspace)?;
            done(cli, format!("attached {name} to {workspace}"), name)
        }
        RgCmd::Detach { name, workspace } => {
            c.detach_resource_group(s, name, workspace)?;
            done(cli, format!("detached {name} from {workspace}"), name)
        }
        RgCmd::Scale { name, spec } => {
            c.scale_resource_group(s, name, names::whole(*spec, rg_rules::check_spec)?)?;
            job_out(cli, c, s, name, format!("scaling {name} to {spec} CU"))
        }
        RgCmd::Renew { name, months } => {
            c.renew_resource_group(s, name, names::whole(*months, rg_rules::check_months)?)?;
            job_out(
                cli,
                c,
                s,
                name,
                format!("renewing {name} for {months} month(s)"),
            )
        }
        RgCmd::Concurrency { name, limit } => {
            let limit = u32::try_from(*limit)
                .map_err(|_| ConsoleError::invalid("limit", "must be a whole number from 1"))?;
            let g = c.set_concurrency(s, name, limit)?;
            done(
                cli,
                format!(
                    "{name} schedules at most {} instances at once",
                    g.concurrency
                ),
                name,
            )
        }
        RgCmd::Quota {
            name,
            purpose,
            min,
            max,
            clear,
        } => {
            let p = crate::domain::resource_group::Purpose::parse("purpose", purpose)?;
            let cu = |field: &str, v: Option<i64>| {
                v.and_then(|v| u32::try_from(v).ok())
                    .ok_or_else(|| ConsoleError::invalid(field, "must be a whole number of CU"))
            };
            let quota = if *clear {
                None
            } else {
                Some(crate::domain::resource_group::Quota {
                    min_cu: cu("min", *min)?,
                    max_cu: cu("max", *max)?,
                })
            };
            c.set_quota(s, name, p, quota)?;
            done(
                cli,
                match quota {
                    Some(q) => format!(
                        "{name}: {purpose} is guaranteed {} CU and uses at most {} CU",
                        q.min_cu, q.max_cu
                    ),
                    None => format!("{name}: {purpose} shares the group again"),
                },
                name,
            )
        }
        RgCmd::Convert {
            name,
            to,
            months,
            cancel,
        } => match to.as_str() {
            "prepaid" => {
                let m = names::whole(months.unwrap_or(0), rg_rules::check_months)?;
                c.convert_to_prepaid(s, name, m)?;
                done(cli, format!("{name} is PrePaid for {m} month(s)"), name)
            }
            _ => {
                c.convert_to_postpaid(s, name, !*cancel)?;
                done(
                    cli,
                    if *cancel {
                        format!("{name} stays PrePaid when its subscription ends")
                    } else {
                        format!("{name} turns PostPaid when its subscription ends")
                    },
                    name,
                )
            }
        },
        RgCmd::Delete { name } => {
            c.delete_resource_group(s, name)?;
            job_out(cli, c, s, name, format!("deleting resource group {name}"))
        }
    }
}

fn compute(cli: &Cli, c: &Console, s: &Session, cmd: &ComputeCmd) -> Out {
    match cmd {
        ComputeCmd::List { workspace } => {
            let rows: Vec<Row> = c
                .list_compute(s, workspace)?
                .iter()
                .map(compute_row)
                .collect();
            Ok(output::list(cli.output, &rows, "no compute resources"))
        }
        ComputeCmd::Attach {
            workspace,
            kind,
            name,
            instance,
            env,
        } => {
            let kind = ComputeType::parse("type", kind)?;
            let env = match env {
                Some(e) => *e,
                None => default_env(c, s, workspace)?,
            };
            c.attach_compute(
                s,
                workspace,
                NewCompute {
                    name: name.clone(),
                    kind,
                    instance: instance.clone(),
                    env,
                },
            )?;
            done(
                cli,
                format!(
                    "attached {} {name} to {workspace} ({env}); created data source {name}",
                    kind.title()
                ),
                name,
            )
        }
        ComputeCmd::Detach { workspace, name } => {
            c.detach_compute(s, workspace, name)?;
            done(cli, format!("detached {name} from {workspace}"), name)
        }
    }
}

/// Standard-mode workspaces default to dev, Basic ones have only prod.
fn default_env(c: &Console, s: &Session, ws: &str) -> Result<Env, ConsoleError> {
    Ok(match c.get_workspace(s, ws)?.workspace.mode {
        WorkspaceMode::Standard => Env::Dev,
        WorkspaceMode::Basic => Env::Prod,
    })
}

/// Collects connection fields from flags, and the secret from stdin or a prompt.
fn connection(
    cli: &Cli,
    kind: DataSourceType,
    flags: &ConnFlags,
    creating: bool,
) -> Result<ConnectionInput, ConsoleError> {
    let mut conn = ConnectionInput::default();
    for (name, value) in [
        ("host", &flags.host),
        ("port", &flags.port),
        ("database", &flags.database),
        ("username", &flags.username),
    ] {
        if let Some(v) = value {
            conn.set(kind, name, v.clone())?;
        }
    }
    for pair in &flags.fields {
        let (k, v) = pair.split_once('=').ok_or_else(|| {
            ConsoleError::invalid("field", format!("must be FIELD=VALUE (got {pair:?})"))
        })?;
        if kind.field(k).is_some_and(|f| f.kind == FieldKind::Secret) {
            return Err(ConsoleError::invalid(
                k,
                "is a secret: pass it with --password-stdin or at the prompt, never on the command line",
            ));
        }
        conn.set(kind, k, v.to_owned())?;
    }
    let secrets: Vec<_> = kind
        .fields()
        .iter()
        .filter(|f| f.kind == FieldKind::Secret)
        .collect();
    if let Some(first) = secrets.first() {
        if flags.password_stdin {
            conn.set(kind, first.name, cli.io.secret_from_stdin()?)?;
        } else if creating {
            for spec in &secrets {
                if let Some(v) = cli.io.prompt_secret(&format!("{}: ", spec.title))? {
                    conn.set(kind, spec.name, v)?;
                }
            }
        }
    }
    Ok(conn)
}

fn datasource(cli: &Cli, c: &Console, s: &Session, cmd: &DsCmd) -> Out {
    let f = cli.output;
    match cmd {
        DsCmd::List { workspace } => {
            let rows: Vec<Row> = c
                .list_data_sources(s, workspace)?
                .iter()
                .map(ds_row)
                .collect();
            Ok(output::list(f, &rows, "no data sources"))
        }
        DsCmd::Show { workspace, name } => {
            let d = c.get_data_source(s, workspace, name)?;
            Ok(output::show(
                f,
                &ds_row(&d)
                    .with("workspace", d.workspace.clone())
                    .with("created", time(&d.created_at)),
            ))
        }
        DsCmd::Create {
            workspace,
            name,
            kind,
            conn,
        } => {
            let kind = DataSourceType::parse("type", kind)?;
            let env = match conn.env {
                Some(e) => e,
                None => default_env(c, s, workspace)?,
            };
            let input = DataSourceInput {
                name: name.clone(),
                kind,
                env,
                description: conn.description.clone().unwrap_or_default(),
                connection: connection(cli, kind, conn, true)?,
            };
            c.create_data_source(s, workspace, input)?;
            done(
                cli,
                format!(
                    "created {} data source {name} in {workspace} ({env})",
                    kind.title()
                ),
                name,
            )
        }
        DsCmd::Update {
            workspace,
            name,
            conn,
        } => {
            let kind = c.get_data_source(s, workspace, name)?.kind;
            c.update_data_source(
                s,
                workspace,
                name,
                connection(cli, kind, conn, false)?,
                conn.description.clone(),
                conn.env,
            )?;
            done(cli, format!("updated data source {name}"), name)
        }
        DsCmd::Delete { workspace, name } => {
            c.delete_data_source(s, workspace, name)?;
            done(cli, format!("deleted data source {name}"), name)
        }
        DsCmd::Test {
            workspace,
            name,
            resource_group,
        } => {
            let r = c.test_data_source(s, workspace, name, resource_group)?;
            let row = Row::new()
                .with("name", name.clone())
                .with("resource_group", r.resource_group.clone())
                .with("result", r.result.title())
                .with("steps", r.steps.clone())
                .with("tested_at", time(&r.tested_at));
            let shown = output::show(f, &row);
            if r.result == crate::domain::datasource::Connectivity::Connectable {
                return Ok(shown);
            }
            // The result and its steps on stdout; the verdict as the error, for scripts.
            cli.io.out(&shown)?;
            Err(ConsoleError::Conflict(format!(
                "data source {name} is {} from {resource_group}",
                r.result.title()
            )))
        }
    }
}

fn image_row(i: &crate::domain::image::Image) -> Row {
    Row::new()
        .with("name", i.name.clone())
        .with(
            "type",
            match i.kind {
                crate::domain::image::ImageKind::Official => "Official",
                crate::domain::image::ImageKind::Custom => "Custom",
            },
        )
        .with("status", i.status.title())
        .with(
            "base",
            if i.base.is_empty() {
                Value::Null
            } else {
                Value::String(i.base.clone())
            },
        )
        .with(
            "task_types",
            i.task_types
                .iter()
                .map(|t| t.title().to_owned())
                .collect::<Vec<_>>(),
        )
        .with("packages", i.packages.clone())
        .with("reason", i.reason.clone())
        .with("description", i.description.clone())
}

fn image(cli: &Cli, c: &Console, s: &Session, cmd: &ImageCmd) -> Out {
    use crate::domain::image::{NewImage, TaskType};
    let f = cli.output;
    match cmd {
        ImageCmd::List => Ok(output::list(
            f,
            &c.list_images(s)?.iter().map(image_row).collect::<Vec<_>>(),
            "no images",
        )),
        ImageCmd::Show { name } => Ok(output::show(f, &image_row(&c.get_image(s, name)?))),
        ImageCmd::Create {
            name,
            base,
            packages,
            task_types,
            description,
        } => {
            let task_types = task_types
                .iter()
                .map(|t| TaskType::parse("task-type", t))
                .collect::<Result<Vec<_>, _>>()?;
            c.create_image(
                s,
                NewImage {
                    name: name.clone(),
                    description: description.clone(),
                    base: base.clone(),
                    packages: packages.clone(),
                    task_types,
                },
            )?;
            done(cli, format!("created image {name} (Draft)"), name)
        }
        ImageCmd::Build {
            name,
            resource_group,
        } => {
            c.build_image(s, name, resource_group)?;
            job_out(
                cli,
                c,
                s,
                name,
                format!("building image {name} on {resource_group}"),
            )
        }
        ImageCmd::Delete { name } => {
            c.delete_image(s, name)?;
            done(cli, format!("deleted image {name}"), name)
        }
    }
}

fn group_row(g: &crate::console::groups::GroupRecord) -> Row {
    Row::new()
        .with("name", g.name.clone())
        .with("description", g.description.clone())
        .with("members", g.members.iter().cloned().collect::<Vec<_>>())
        .with("policies", g.policies.iter().cloned().collect::<Vec<_>>())
}

fn group(cli: &Cli, c: &Console, s: &Session, cmd: &GroupCmd) -> Out {
    let f = cli.output;
    match cmd {
        GroupCmd::List => Ok(output::list(
            f,
            &c.list_groups(s)?.iter().map(group_row).collect::<Vec<_>>(),
            "no user groups",
        )),
        GroupCmd::Show { name } => Ok(output::show(f, &group_row(&c.get_group(s, name)?))),
        GroupCmd::Create { name, description } => {
            c.create_group(s, name, description)?;
            done(cli, format!("created group {name}"), name)
        }
        GroupCmd::Delete { name } => {
            c.delete_group(s, name)?;
            done(cli, format!("deleted group {name}"), name)
        }
        GroupCmd::AddUser { group, user } => {
            c.add_user_to_group(s, group, user)?;
            done(cli, format!("added {user} to group {group}"), group)
        }
        GroupCmd::RemoveUser { group, user } => {
            c.remove_user_from_group(s, group, user)?;
            done(cli, format!("removed {user} from group {group}"), group)
        }
    }
}

fn model_row(m: &crate::domain::model::ModelDeployment) -> Row {
    Row::new()
        .with("name", m.name.clone())
        .with("model", m.model.clone())
        .with("status", m.status.title())
        .with("resource_group", m.resource_group.clone())
        .with("replicas", m.replicas)
        .with("endpoint", m.endpoint.clone())
}

fn model(cli: &Cli, c: &Console, s: &Session, cmd: &ModelCmd) -> Out {
    let f = cli.output;
    match cmd {
        ModelCmd::List => Ok(output::list(
            f,
            &c.list_models(s)?.iter().map(model_row).collect::<Vec<_>>(),
            &format!("no model deployments in {}", s.region),
        )),
        ModelCmd::Catalogue => {
            let rows: Vec<Row> = crate::domain::catalogue::models()
                .iter()
                .map(|m| {
                    Row::new()
                        .with("name", m.id.clone())
                        .with("title", m.title.clone())
                        .with("min_cu", m.min_cu)
                        .with("description", m.description.clone())
                })
                .collect();
            Ok(output::list(f, &rows, "the catalogue is empty"))
        }
        ModelCmd::Show { name } => Ok(output::show(f, &model_row(&c.get_model(s, name)?))),
        ModelCmd::Create {
            name,
            model,
            resource_group,
            replicas,
        } => {
            let replicas = names::whole(*replicas, crate::domain::model::check_replicas)?;
            c.deploy_model(s, name, model, resource_group, replicas)?;
            job_out(
                cli,
                c,
                s,
                name,
                format!("deploying {model} as {name} on {resource_group}"),
            )
        }
        ModelCmd::Delete { name } => {
            c.delete_model(s, name)?;
            done(cli, format!("deleted model deployment {name}"), name)
        }
    }
}

fn purchase_row(p: &crate::domain::purchase::PurchasedItem) -> Row {
    use crate::domain::purchase::Billing;
    let (billing, expires) = match p.billing {
        Billing::Subscription { expires_at, .. } => ("Subscription", time(&expires_at)),
        Billing::PayAsYouGo => ("Pay-as-you-go", Value::Null),
    };
    Row::new()
        .with("name", p.id.clone())
        .with("item", p.kind.title())
        .with("billing", billing)
        .with("status", format!("{:?}", p.status))
        .with("expires", expires)
        .with("region", p.region.clone())
        .with(
            "unit_price",
            crate::domain::purchase::format_cents(p.unit_price_cents),
        )
}

fn service(cli: &Cli, c: &Console, s: &Session, cmd: &ServiceCmd) -> Out {
    let f = cli.output;
    match cmd {
        ServiceCmd::List => Ok(output::list(
            f,
            &c.list_purchases(s)?
                .iter()
                .map(purchase_row)
                .collect::<Vec<_>>(),
            "nothing purchased",
        )),
        ServiceCmd::Show { id } => Ok(output::show(f, &purchase_row(&c.get_purchase(s, id)?))),
        ServiceCmd::Renew { id, months } => {
            let m = names::whole(*months, rg_rules::check_months)?;
            let (item, cost) = c.renew_purchase(s, id, m)?;
            let until = match item.billing {
                crate::domain::purchase::Billing::Subscription { expires_at, .. } => {
                    expires_at.format("%Y-%m-%d").to_string()
                }
                crate::domain::purchase::Billing::PayAsYouGo => String::new(),
            };
            done(
                cli,
                format!(
                    "renewed {id} ({}) until {until}: {m} month(s) × {} = {}, billed as each month begins",
                    item.kind.title(),
                    crate::domain::purchase::format_cents(item.unit_price_cents),
                    crate::domain::purchase::format_cents(cost)
                ),
                id,
            )
        }
        ServiceCmd::Modify { id, edition, spec } => {
            use crate::console::Modify;
            use crate::domain::purchase::format_cents;
            let to = match (edition, spec) {
                (Some(e), _) => Modify::Edition(*e),
                (None, Some(cu)) => Modify::Spec(names::whole(*cu, rg_rules::check_spec)?),
                (None, None) => unreachable!("clap requires --edition or --spec"),
            };
            let (item, charge) = c.modify_purchase(s, id, to)?;
            let money = crate::domain::purchase::charge_phrase(charge);
            match (to, &item.kind) {
                (Modify::Spec(cu), crate::domain::purchase::PurchaseKind::ResourceGroup(g)) => {
                    job_out(
                        cli,
                        c,
                        s,
                        g,
                        format!("scaling {g} to {cu} CU: when it is done, {money}"),
                    )
                }
                _ => done(
                    cli,
                    format!(
                        "{id} is now {}, {} a month: {money}",
                        item.kind.title(),
                        format_cents(item.unit_price_cents)
                    ),
                    id,
                ),
            }
        }
        ServiceCmd::Unsubscribe { id } => {
            c.unsubscribe(s, id)?;
            done(cli, format!("unsubscribed {id}"), id)
        }
    }
}

fn alert(cli: &Cli, c: &Console, s: &Session, cmd: &AlertCmd) -> Out {
    use crate::domain::alert::Channel;
    let f = cli.output;
    match cmd {
        AlertCmd::Show => {
            let (limits, usage) = c.alert_settings(s)?;
            let rows: Vec<Row> = Channel::ALL
                .iter()
                .map(|ch| {
                    let u = usage.get(*ch);
                    Row::new()
                        .with("name", ch.slug())
                        .with(
                            "limit_per_day",
                            limits
                                .get(*ch)
                                .map(Value::from)
                                .unwrap_or(Value::String("unlimited".into())),
                        )
                        .with("sent_today", u.sent_today)
                        .with("refused_today", u.refused_today)
                        .with("sent_this_month", u.sent_month)
                })
                .collect();
            Ok(output::list(f, &rows, ""))
        }
        AlertCmd::Contact(ContactCmd::List) => {
            let rows: Vec<Row> = c
                .list_contacts(s)?
                .iter()
                .map(|k| {
                    Row::new()
                        .with("name", k.name.clone())
                        .with("phone", k.phone.clone())
                        .with("email", k.email.clone())
                        .with("webhook", k.webhook.clone())
                })
                .collect();
            Ok(output::list(f, &rows, "no alert contacts"))
        }
        AlertCmd::Contact(ContactCmd::Create {
            name,
            phone,
            email,
            webhook,
        }) => {
            c.create_contact(
                s,
                name,
                phone.as_deref(),
                email.as_deref(),
                webhook.as_deref(),
            )?;
            done(cli, format!("created alert contact {name}"), name)
        }
        AlertCmd::Contact(ContactCmd::Delete { name }) => {
            c.delete_contact(s, name)?;
            done(cli, format!("deleted alert contact {name}"), name)
        }
        AlertCmd::Limit { channel, per_day } => {
            let ch = Channel::parse("channel", channel)?;
            let limit = if per_day.eq_ignore_ascii_case("unlimited") {
                None
            } else {
                Some(per_day.parse::<u32>().map_err(|_| {
                    ConsoleError::invalid(
                        "per-day",
                        format!("must be a number or \"unlimited\" (got {per_day:?})"),
                    )
                })?)
            };
            c.set_alert_limit(s, ch, limit)?;
            done(
                cli,
                format!("{} limit per day: {}", ch.slug(), per_day),
                ch.slug(),
            )
        }
        AlertCmd::Test { channel } => {
            let ch = Channel::parse("channel", channel)?;
            let entries = c.send_test_alert(s, ch)?;
            let rows: Vec<Row> = entries.iter().map(outbox_row).collect();
            let shown = output::list(cli.output, &rows, "no contacts");
            let count = |f: fn(&crate::domain::alert::Delivery) -> bool| {
                entries.iter().filter(|e| f(&e.delivery)).count()
            };
            let refused = count(|d| matches!(d, crate::domain::alert::Delivery::Refused(_)));
            let failed = count(|d| matches!(d, crate::domain::alert::Delivery::Failed(_)));
            if refused + failed == 0 {
                return Ok(shown);
            }
            // Every outcome on stdout; what went wrong as the error, for scripts.
            cli.io.out(&shown)?;
            if refused > 0 {
                let (_, usage) = c.alert_settings(s)?;
                return Err(ConsoleError::Conflict(format!(
                    "sending stopped: the daily {} limit is reached ({} sent today, {} refused today)",
                    ch.slug(),
                    usage.get(ch).sent_today,
                    usage.get(ch).refused_today
                )));
            }
            Err(ConsoleError::Conflict(format!(
                "{failed} webhook alert(s) were not delivered"
            )))
        }
        AlertCmd::Outbox { limit } => {
            let rows: Vec<Row> = c.alert_outbox(s, *limit)?.iter().map(outbox_row).collect();
            Ok(output::list(cli.output, &rows, "the outbox is empty"))
        }
    }
}

fn tenant(cli: &Cli, c: &Console, s: &Session, cmd: &TenantCmd) -> Out {
    use crate::domain::tenant_role::TenantRoleRef;
    let f = cli.output;
    match cmd {
        TenantCmd::Members => {
            let rows: Vec<Row> = c
                .list_tenant_members(s)?
                .iter()
                .map(|m| {
                    Row::new()
                        .with("name", m.user.clone())
                        .with("roles", m.roles.clone())
                })
                .collect();
            Ok(output::list(f, &rows, "no tenant members"))
        }
        TenantCmd::Roles => {
            let rows: Vec<Row> = c
                .list_tenant_roles(s)?
                .iter()
                .map(|r| {
                    let granted: Vec<String> = r
                        .levels
                        .iter()
                        .filter(|(_, l)| l != "none")
                        .map(|(m, l)| format!("{m}={l}"))
                        .collect();
                    Row::new()
                        .with("name", r.name.clone())
                        .with("type", if r.builtin { "Built-in" } else { "Custom" })
                        .with("permissions", granted)
                })
                .collect();
            Ok(output::list(f, &rows, "no tenant roles"))
        }
        TenantCmd::Grant { user, role } => {
            c.grant_tenant_role(s, user, TenantRoleRef::parse(role)?)?;
            done(cli, format!("granted {role} to {user}"), user)
        }
        TenantCmd::Revoke { user, role } => {
            c.revoke_tenant_role(s, user, TenantRoleRef::parse(role)?)?;
            done(cli, format!("revoked {role} from {user}"), user)
        }
        TenantCmd::CreateRole { name, perms } => {
            let mut levels = crate::domain::module::GlobalLevels::default();
            for p in perms {
                let (m, l) = p.split_once('=').ok_or_else(|| {
                    ConsoleError::invalid(
                        "perm",
                        format!("must be MODULE=none|read|write (got {p:?})"),
                    )
                })?;
                levels.set(
                    crate::domain::GlobalModule::parse("perm", m)?.index(),
                    crate::domain::Level::parse("perm", l)?,
                );
            }
            c.create_tenant_role(s, name, levels)?;
            done(cli, format!("created tenant role {name}"), name)
        }
        TenantCmd::DeleteRole { name } => {
            c.delete_tenant_role(s, name)?;
            done(cli, format!("deleted tenant role {name}"), name)
        }
    }
}

fn extension(cli: &Cli, c: &Console, s: &Session, cmd: &ExtensionCmd) -> Out {
    use crate::domain::extension::ExtensionEvent;
    let f = cli.output;
    match cmd {
        ExtensionCmd::List => {
            let rows: Vec<Row> = c
                .list_extensions(s)?
                .iter()
                .map(|e| {
                    Row::new()
                        .with("name", e.name.clone())
                        .with(
                            "events",
                            e.events
                                .iter()
                                .map(|ev| ev.slug().to_owned())
                                .collect::<Vec<_>>(),
                        )
                        .with(
                            "enabled_in",
                            e.enabled_in.iter().cloned().collect::<Vec<_>>(),
                        )
                        .with("description", e.description.clone())
                })
                .collect();
            Ok(output::list(f, &rows, "no extensions"))
        }
        ExtensionCmd::Create {
            name,
            events,
            description,
        } => {
            let events = events
                .iter()
                .map(|e| ExtensionEvent::parse("event", e))
                .collect::<Result<Vec<_>, _>>()?;
            c.create_extension(s, name, description, &events)?;
            done(cli, format!("created extension {name}"), name)
        }
        ExtensionCmd::Delete { name } => {
            c.delete_extension(s, name)?;
            done(cli, format!("deleted extension {name}"), name)
        }
        ExtensionCmd::Enable { name, workspace } => {
            c.enable_extension(s, name, workspace, true)?;
            done(cli, format!("enabled {name} in {workspace}"), name)
        }
        ExtensionCmd::Disable { name, workspace } => {
            c.enable_extension(s, name, workspace, false)?;
            done(cli, format!("disabled {name} in {workspace}"), name)
        }
    }
}

/// The plan as people read it (one line per step, then a summary), or as JSON for programs.
fn apply_report(
    f: Format,
    report: &crate::console::ApplyReport,
    source: &str,
    dry_run: bool,
) -> String {
    use crate::console::Verb;
    if f == Format::Json {
        let doc = serde_json::json!({
            "applied": report.applied,
            "dry_run": dry_run,
            "plan": report.plan,
            "created": report.count(Verb::Create),
            "updated": report.count(Verb::Update),
            "deleted": report.count(Verb::Delete),
            "waiting": report.count(Verb::Wait),
            "need_one_time_password": report.need_passwords,
            "one_time_passwords": report
                .one_time_passwords
                .iter()
                .map(|(u, p)| serde_json::json!({"name": u, "password": p}))
                .collect::<Vec<_>>(),
        });
        return serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    }
    let mut out = String::new();
    for line in &report.plan {
        let mark = match line.action {
            Verb::Create => '+',
            Verb::Update => '~',
            Verb::Delete => '-',
            Verb::Wait => '·',
        };
        let detail = if line.detail.is_empty() {
            String::new()
        } else {
            format!(": {}", line.detail)
        };
        out.push_str(&format!(
            "{mark} {:<7} {}{detail}\n",
            line.action.word(),
            line.item
        ));
    }
    let waiting = report.count(Verb::Wait);
    if report.changes() == 0 {
        if waiting > 0 {
            out.push_str(&format!(
                "No changes now: {waiting} step(s) wait for running jobs; apply {source} again when they end\n"
            ));
        } else {
            out.push_str(&format!("No changes: the store already matches {source}\n"));
        }
        return out;
    }
    out.push_str(&format!(
        "\nPlan: {} to create, {} to update, {} to delete",
        report.count(Verb::Create),
        report.count(Verb::Update),
        report.count(Verb::Delete)
    ));
    if waiting > 0 {
        out.push_str(&format!(", {waiting} waiting for jobs"));
    }
    out.push('\n');
    if dry_run {
        out.push_str("Dry run: nothing changed.\n");
        if !report.need_passwords.is_empty() {
            out.push_str(&format!(
                "New users get a one-time password (DWC_NEW_PASSWORD, else one made for each), to change at first log-on: {}\n",
                report.need_passwords.join(", ")
            ));
        }
    } else {
        out.push_str(&format!(
            "Applied in one transaction ({} records written).\n",
            report.records
        ));
        if !report.one_time_passwords.is_empty() {
            out.push_str(
                "One-time passwords, shown this once; each user sets a new one at first log-on (DWC_CHANGE_PASSWORD for the command line):\n",
            );
            for (u, p) in &report.one_time_passwords {
                out.push_str(&format!("  {u}  {p}\n"));
            }
        }
    }
    out
}
