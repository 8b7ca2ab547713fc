//! What `dwc apply` reads: the export document, checked to the last field before anything
//! changes, and brought to one normal form. The store's current state goes through the same
//! door (its own export), so "does the store match the file" is plain `==` per item, and slugs
//! a person typed differently (`Standard`, `read-write`) still compare equal.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::Value;

use crate::domain::DomainError;
use crate::domain::alert::Channel;
use crate::domain::compute::ComputeType;
use crate::domain::datasource::DataSourceType;
use crate::domain::edition::Edition;
use crate::domain::extension::ExtensionEvent;
use crate::domain::module::{GlobalLevels, GlobalModule, Level, Module, ModuleLevels};
use crate::domain::role::RoleRef;
use crate::domain::tenant_role::TenantRoleRef;
use crate::domain::workspace::{Env, WorkspaceMode};

use super::super::config::{EXPORT_VERSION, role_slug, tenant_role_slug};
use super::super::document as doc;
use super::super::error::{ConsoleError, Result};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentIn {
    dwc_export: u32,
    account: String,
    edition: Option<String>,
    users: Option<Vec<UserIn>>,
    policies: Option<Vec<PolicyIn>>,
    tenant_roles: Option<Vec<LevelsIn>>,
    workspaces: Option<Vec<doc::Workspace>>,
    workspace: Option<doc::Workspace>,
    resource_groups: Option<Vec<GroupIn>>,
    alerts: Option<AlertsIn>,
    extensions: Option<Vec<ExtensionIn>>,
    user_groups: Option<Vec<UserGroupIn>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserGroupIn {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    policies: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserIn {
    name: String,
    display_name: Option<String>,
    policies: Option<Vec<String>>,
    tenant_roles: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyIn {
    name: String,
    #[serde(default)]
    description: String,
    document: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelsIn {
    name: String,
    levels: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupIn {
    name: String,
    region: String,
    spec_cu: u32,
    payment: PaymentIn,
    vpc: Option<VpcIn>,
    #[serde(default)]
    attached: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
enum PaymentIn {
    Postpaid,
    Prepaid { months: u32, auto_renew: bool },
}

#[derive(Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub(in crate::console) struct VpcIn {
    pub vpc_id: String,
    pub vswitch_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AlertsIn {
    limits_per_day: Option<BTreeMap<String, Option<u32>>>,
    contacts: Option<Vec<ContactIn>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactIn {
    name: String,
    phone: Option<String>,
    email: Option<String>,
    webhook: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtensionIn {
    name: String,
    #[serde(default)]
    description: String,
    events: Vec<String>,
    #[serde(default)]
    enabled_in: Vec<String>,
}

// ---- the normal form ----------------------------------------------------------------------

/// A section left out of the file (`None`) is not managed: apply neither adds to it nor deletes
/// from it. That is how a one-workspace file, or the export of a user who cannot see every
/// section, stays safe to apply.
#[derive(Debug, Default)]
pub(in crate::console) struct Desired {
    pub edition: Option<Edition>,
    pub users: Option<BTreeMap<String, User>>,
    pub policies: Option<BTreeMap<String, PolicyDoc>>,
    pub tenant_roles: Option<BTreeMap<String, GlobalLevels>>,
    /// Every workspace of the tenant (a full export): those missing are deleted. Kept as the
    /// document has them (checked when read): most workspaces of a file read against the
    /// store are exactly as it has them, which takes no more than `==` to see, and only the
    /// others are brought to normal form ([`workspace`]) to be planned.
    pub workspaces: Option<BTreeMap<String, doc::Workspace>>,
    /// One workspace (`export --workspace`): the others are left alone.
    pub workspace: Option<(String, Workspace)>,
    /// Of the store's workspaces, read against a file: those exactly as the file has them,
    /// which are not in `workspaces` (planning passes them by).
    pub unchanged: BTreeSet<String>,
    pub groups: Option<BTreeMap<String, Group>>,
    pub limits: Option<BTreeMap<Channel, Option<u32>>>,
    pub contacts: Option<BTreeMap<String, Contact>>,
    pub extensions: Option<BTreeMap<String, ExtensionDoc>>,
    pub user_groups: Option<BTreeMap<String, UserGroup>>,
}

/// A RAM user group: its members and policies, managed whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub(in crate::console) struct UserGroup {
    pub description: String,
    pub members: BTreeSet<String>,
    pub policies: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(in crate::console) struct User {
    pub display_name: Option<String>,
    pub policies: Option<BTreeSet<String>>,
    pub tenant_roles: Option<BTreeSet<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(in crate::console) struct PolicyDoc {
    pub description: String,
    pub document: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub(in crate::console) struct Workspace {
    pub region: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub mode: Option<WorkspaceMode>,
    /// `Some(true)` when the file says the workspace is disabled.
    pub disabled: Option<bool>,
    pub default: Option<bool>,
    pub members: Option<BTreeMap<String, BTreeSet<String>>>,
    pub custom_roles: Option<BTreeMap<String, CustomRole>>,
    pub compute: Option<BTreeMap<String, Compute>>,
    pub data_sources: Option<BTreeMap<String, DataSourceDoc>>,
    pub clusters: Option<BTreeMap<String, ClusterDoc>>,
    /// On the old Data Studio: a workspace made from the file is made so.
    pub legacy_data_studio: bool,
}

/// A registered cluster as a document says it (its files are not the document's).
#[derive(Debug, Clone, PartialEq)]
pub(in crate::console) struct ClusterDoc {
    pub kind: crate::domain::cluster::ClusterType,
    pub version: String,
    pub env: Env,
    pub endpoints: BTreeMap<String, String>,
    pub default_account: Option<String>,
    pub accounts: BTreeMap<String, String>,
}

impl Workspace {
    /// A workspace with nothing in it, to plan the insides of one not created yet.
    pub fn empty(region: &str) -> Self {
        Workspace {
            region: region.to_owned(),
            display_name: None,
            description: None,
            mode: None,
            disabled: None,
            default: None,
            members: None,
            custom_roles: None,
            compute: None,
            data_sources: None,
            clusters: None,
            legacy_data_studio: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(in crate::console) struct CustomRole {
    pub levels: ModuleLevels,
    pub compute_role: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(in crate::console) struct Compute {
    pub kind: ComputeType,
    pub instance: String,
    pub env: Env,
}

#[derive(Debug, Clone, PartialEq)]
pub(in crate::console) struct DataSourceDoc {
    pub kind: DataSourceType,
    pub env: Env,
    pub description: String,
    pub fields: BTreeMap<String, String>,
    pub secrets: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(in crate::console) enum Payment {
    PostPaid,
    PrePaid { months: u32, auto_renew: bool },
}

#[derive(Debug, Clone, PartialEq)]
pub(in crate::console) struct Group {
    pub region: String,
    pub spec_cu: u32,
    pub payment: Payment,
    pub vpc: Option<VpcIn>,
    pub attached: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(in crate::console) struct Contact {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub webhook: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(in crate::console) struct ExtensionDoc {
    pub description: String,
    pub events: BTreeSet<ExtensionEvent>,
    pub enabled_in: BTreeSet<String>,
}

/// The parsed document and the account it names.
pub(in crate::console) struct Parsed {
    pub account: String,
    pub desired: Desired,
}

/// Reads a document's text. `source` names it in messages (the file's path).
pub(in crate::console) fn parse_text(source: &str, text: &str) -> Result<Parsed> {
    let doc: DocumentIn = serde_json::from_str(text).map_err(|e| {
        let why = if e.is_eof() {
            format!("the document ends early (truncated?): {e}")
        } else {
            format!("not a dwc export document: {e}")
        };
        ConsoleError::invalid(source, why)
    })?;
    normalize(doc).map_err(|e| match e {
        ConsoleError::Invalid { field, reason } => {
            ConsoleError::invalid(source, format!("{field}: {reason}"))
        }
        other => other,
    })
}

/// The same normal form for a document the console exported itself.
pub(in crate::console) fn parse_value(v: Value) -> Result<Desired> {
    let doc: DocumentIn = serde_json::from_value(v)
        .map_err(|e| ConsoleError::Internal(format!("export does not read back: {e}")))?;
    Ok(normalize(doc)?.desired)
}

fn at(path: String) -> impl Fn(DomainError) -> ConsoleError {
    move |e| match e {
        DomainError::Invalid { field, rule } => {
            ConsoleError::invalid(&format!("{path}.{field}"), rule)
        }
        other => ConsoleError::invalid(&path, other.to_string()),
    }
}

/// A section's items by name (`None` when the document leaves the section out); the same name
/// twice is an error rather than a silent last-one-wins.
fn by_name<I, T>(
    section: impl std::fmt::Display,
    items: Option<impl IntoIterator<Item = I>>,
    f: impl Fn(I) -> Result<(String, T)>,
) -> Result<Option<BTreeMap<String, T>>> {
    let Some(items) = items else {
        return Ok(None);
    };
    let mut out = BTreeMap::new();
    for item in items {
        let (name, value) = f(item)?;
        if out.contains_key(&name) {
            return Err(ConsoleError::invalid(
                &section.to_string(),
                format!("{name} is listed twice; names must be unique"),
            ));
        }
        out.insert(name, value);
    }
    Ok(Some(out))
}

/// `items` through `f` as a set; `path` (made only for an error) says where they are.
fn set_of(
    path: impl Fn() -> String,
    items: &[String],
    f: impl Fn(&str) -> std::result::Result<String, DomainError>,
) -> Result<BTreeSet<String>> {
    items
        .iter()
        .map(|i| f(i).map_err(|e| at(path())(e)))
        .collect()
}

fn module_levels(path: &str, m: &BTreeMap<String, String>) -> Result<ModuleLevels> {
    let mut levels = ModuleLevels::default();
    for (module, level) in m {
        let idx = Module::parse("levels", module).map_err(at(path.to_owned()))?;
        levels.set(
            idx.index(),
            Level::parse("levels", level).map_err(at(path.to_owned()))?,
        );
    }
    Ok(levels)
}

fn global_levels(path: &str, m: &BTreeMap<String, String>) -> Result<GlobalLevels> {
    let mut levels = GlobalLevels::default();
    for (module, level) in m {
        let idx = GlobalModule::parse("levels", module).map_err(at(path.to_owned()))?;
        levels.set(
            idx.index(),
            Level::parse("levels", level).map_err(at(path.to_owned()))?,
        );
    }
    Ok(levels)
}

fn normalize(doc: DocumentIn) -> Result<Parsed> {
    if doc.dwc_export != EXPORT_VERSION {
        return Err(ConsoleError::invalid(
            "dwc_export",
            format!(
                "this dwc reads version {EXPORT_VERSION} documents (got {})",
                doc.dwc_export
            ),
        ));
    }
    if doc.workspaces.is_some() && doc.workspace.is_some() {
        return Err(ConsoleError::invalid(
            "workspace",
            "a document has either workspaces (the whole tenant) or workspace (one), not both",
        ));
    }
    let mut d = Desired {
        edition: doc
            .edition
            .map(|e| Edition::parse("edition", &e))
            .transpose()?,
        ..Desired::default()
    };
    d.users = by_name("users", doc.users, |u| {
        let path = format!("users.{}", u.name);
        let user = User {
            display_name: u.display_name,
            policies: u.policies.map(|p| p.into_iter().collect()),
            tenant_roles: u
                .tenant_roles
                .map(|r| {
                    set_of(
                        || path.clone(),
                        &r,
                        |x| TenantRoleRef::parse(x).map(|r| tenant_role_slug(&r)),
                    )
                })
                .transpose()?,
        };
        Ok((u.name, user))
    })?;
    d.policies = by_name("policies", doc.policies, |p| {
        let policy = PolicyDoc {
            description: p.description,
            document: p.document,
        };
        Ok((p.name, policy))
    })?;
    d.user_groups = by_name("user_groups", doc.user_groups, |g| {
        let group = UserGroup {
            description: g.description,
            members: g.members.into_iter().collect(),
            policies: g.policies.into_iter().collect(),
        };
        Ok((g.name, group))
    })?;
    d.tenant_roles = by_name("tenant_roles", doc.tenant_roles, |r| {
        let levels = global_levels(&format!("tenant_roles.{}", r.name), &r.levels)?;
        Ok((r.name, levels))
    })?;
    d.workspaces = by_name("workspaces", doc.workspaces, |w| {
        workspace(&w)?;
        Ok((w.name.clone(), w))
    })?;
    d.workspace = doc
        .workspace
        .map(|w| Ok::<_, ConsoleError>((w.name.clone(), workspace(&w)?)))
        .transpose()?;
    d.groups = by_name("resource_groups", doc.resource_groups, |g| {
        let group = Group {
            region: g.region,
            spec_cu: g.spec_cu,
            payment: match g.payment {
                PaymentIn::Postpaid => Payment::PostPaid,
                PaymentIn::Prepaid { months, auto_renew } => {
                    Payment::PrePaid { months, auto_renew }
                }
            },
            vpc: g.vpc,
            attached: g.attached.into_iter().collect(),
        };
        Ok((g.name, group))
    })?;
    if let Some(alerts) = doc.alerts {
        if let Some(limits) = alerts.limits_per_day {
            let mut out = BTreeMap::new();
            for (ch, limit) in limits {
                out.insert(Channel::parse("alerts.limits_per_day", &ch)?, limit);
            }
            d.limits = Some(out);
        }
        d.contacts = by_name("alerts.contacts", alerts.contacts, |c| {
            let contact = Contact {
                phone: c.phone,
                email: c.email,
                webhook: c.webhook,
            };
            Ok((c.name, contact))
        })?;
    }
    d.extensions = by_name("extensions", doc.extensions, |e| {
        let path = format!("extensions.{}", e.name);
        let events = e
            .events
            .iter()
            .map(|ev| ExtensionEvent::parse("events", ev).map_err(at(path.clone())))
            .collect::<Result<_>>()?;
        let ext = ExtensionDoc {
            description: e.description,
            events,
            enabled_in: e.enabled_in.into_iter().collect(),
        };
        Ok((e.name, ext))
    })?;
    Ok(Parsed {
        account: doc.account,
        desired: d,
    })
}

/// One workspace of a document, in normal form, with its name.
pub(in crate::console) fn workspace(w: &doc::Workspace) -> Result<Workspace> {
    let path = format!("workspaces.{}", w.name);
    let disabled = match w.status.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => None,
        Some("normal") => Some(false),
        Some("disabled") => Some(true),
        Some(other) => {
            return Err(ConsoleError::invalid(
                &format!("{path}.status"),
                format!("must be normal or disabled (got {other:?})"),
            ));
        }
    };
    let members = by_name(format_args!("{path}.members"), w.members.as_ref(), |m| {
        let roles = set_of(
            || format!("{path}.members.{}", m.name),
            &m.roles,
            |r| RoleRef::parse(r).map(|r| role_slug(&r)),
        )?;
        Ok((m.name.clone(), roles))
    })?;
    let custom_roles = by_name(
        format_args!("{path}.custom_roles"),
        w.custom_roles.as_ref(),
        |r| {
            let p = format!("{path}.custom_roles.{}", r.name);
            let role = CustomRole {
                levels: module_levels(&p, &r.levels)?,
                compute_role: r.compute_role.clone(),
            };
            Ok((r.name.clone(), role))
        },
    )?;
    let compute = by_name(format_args!("{path}.compute"), w.compute.as_ref(), |c| {
        let p = format!("{path}.compute.{}", c.name);
        let compute = Compute {
            kind: ComputeType::parse("type", &c.kind).map_err(at(p.clone()))?,
            instance: c.instance.clone(),
            env: Env::parse("env", &c.env).map_err(at(p))?,
        };
        Ok((c.name.clone(), compute))
    })?;
    let data_sources = by_name(
        format_args!("{path}.data_sources"),
        w.data_sources.as_ref(),
        |d| {
            let p = format!("{path}.data_sources.{}", d.name);
            let source = DataSourceDoc {
                kind: DataSourceType::parse("type", &d.kind).map_err(at(p.clone()))?,
                env: Env::parse("env", &d.env).map_err(at(p))?,
                description: d.description.clone(),
                fields: d.fields.clone(),
                secrets: d.secrets.iter().cloned().collect(),
            };
            Ok((d.name.clone(), source))
        },
    )?;
    let clusters = by_name(format_args!("{path}.clusters"), w.clusters.as_ref(), |c| {
        let p = format!("{path}.clusters.{}", c.name);
        let doc = ClusterDoc {
            kind: crate::domain::cluster::ClusterType::parse("type", &c.kind)
                .map_err(at(p.clone()))?,
            version: c.version.clone(),
            env: Env::parse("env", &c.env).map_err(at(p))?,
            endpoints: c.endpoints.clone(),
            default_account: c.default_account.clone(),
            accounts: c.accounts.clone(),
        };
        Ok((c.name.clone(), doc))
    })?;
    crate::domain::region::region("region", &w.region).map_err(|e| at(path.clone())(e))?;
    Ok(Workspace {
        region: w.region.clone(),
        display_name: w.display_name.clone(),
        description: w.description.clone(),
        mode: w
            .mode
            .as_deref()
            .map(|m| WorkspaceMode::parse("mode", m).map_err(|e| at(path.clone())(e)))
            .transpose()?,
        disabled,
        default: w.default,
        members,
        custom_roles,
        compute,
        data_sources,
        clusters,
        legacy_data_studio: w.legacy_data_studio,
    })
}
