//! The demo tenant (`assets/demo.json`) and the scale tenant of DESIGN §11. Everything goes
//! through the domain's constructors, so the demo is validated like anything a person types.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Duration, Months};
use serde::Deserialize;

use crate::domain::alert::{AlertContact, AlertLimits};
use crate::domain::compute::{ComputeResource, ComputeType};
use crate::domain::datasource::{ConnectionInput, DataSource, DataSourceType};
use crate::domain::extension::{Extension, ExtensionEvent};
use crate::domain::image::{Image, ImageStatus, NewImage, TaskType};
use crate::domain::model::{ModelDeployment, ModelEvent};
use crate::domain::module::{GlobalLevels, ModuleLevels};
use crate::domain::principal::RamUser;
use crate::domain::purchase::{Bill, Billing, PurchaseKind, PurchaseStatus, PurchasedItem};
use crate::domain::resource_group::{NewResourceGroup, ResourceGroup, RgEvent, RgStatus};
use crate::domain::role::{BuiltinRole, CustomRole};
use crate::domain::tenant_role::{CustomTenantRole, TenantRoleRef};
use crate::domain::workspace::{Member, NewWorkspace};
use crate::domain::{
    Edition, Env, GlobalModule, Level, RoleRef, Timestamp, Workspace, WorkspaceMode, catalogue,
};
use crate::store::{T, Tx, TxResult, encode, key};

use super::error::{ConsoleError, Result};
use super::records::{PolicyRecord, TenantMemberRecord, UserRecord};
use super::workspaces::{WsStats, put_member};
use super::{Clock, Console, Tenant, fail};

#[derive(Deserialize)]
struct Doc {
    account: String,
    edition: String,
    default_region: String,
    users: Vec<(String, String)>,
    policies: Vec<DocPolicy>,
    attachments: Vec<(String, String)>,
    tenant_roles: Vec<DocTenantRole>,
    tenant_members: Vec<(String, String)>,
    workspaces: Vec<DocWorkspace>,
    resource_groups: Vec<DocGroup>,
    images: Vec<DocImage>,
    models: Vec<DocModel>,
    purchases: Vec<DocPurchase>,
    bills: Vec<(String, String, String, i64)>,
    contacts: Vec<(String, Option<String>, Option<String>, Option<String>)>,
    limits: AlertLimits,
    extensions: Vec<DocExtension>,
}

#[derive(Deserialize)]
struct DocPolicy {
    name: String,
    description: String,
    document: serde_json::Value,
}

#[derive(Deserialize)]
struct DocTenantRole {
    name: String,
    perms: Vec<String>,
}

#[derive(Deserialize)]
struct DocRole {
    name: String,
    perms: Vec<String>,
    compute_role: Option<String>,
}

#[derive(Deserialize)]
struct DocCompute {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    instance: String,
    env: String,
}

#[derive(Deserialize)]
struct DocDataSource {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    env: String,
    description: String,
    fields: BTreeMap<String, String>,
    #[serde(default)]
    secrets: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct DocWorkspace {
    name: String,
    region: String,
    mode: String,
    display_name: String,
    description: String,
    #[serde(default)]
    default: bool,
    status: Option<String>,
    members: Vec<(String, Vec<String>)>,
    #[serde(default)]
    roles: Vec<DocRole>,
    #[serde(default)]
    compute: Vec<DocCompute>,
    #[serde(default)]
    data_sources: Vec<DocDataSource>,
    /// On the old Data Studio: it has Cluster Management.
    #[serde(default)]
    legacy_data_studio: bool,
    #[serde(default)]
    clusters: Vec<DocCluster>,
}

#[derive(Deserialize)]
struct DocCluster {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    version: String,
    env: String,
    endpoints: BTreeMap<String, String>,
    #[serde(default)]
    default_account: Option<String>,
    #[serde(default)]
    accounts: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct DocGroup {
    name: String,
    region: String,
    spec: u32,
    months: Option<u32>,
    #[serde(default)]
    auto_renew: bool,
    #[serde(default)]
    attached: Vec<String>,
    status: Option<RgStatus>,
    reason: Option<String>,
    expired_days_ago: Option<i64>,
    vpc: Option<String>,
    vswitch: Option<String>,
}

#[derive(Deserialize)]
struct DocImage {
    name: String,
    region: String,
    base: String,
    packages: Vec<String>,
    task_types: Vec<String>,
    status: ImageStatus,
    build_group: Option<String>,
    reason: Option<String>,
    description: String,
}

#[derive(Deserialize)]
struct DocModel {
    name: String,
    region: String,
    model: String,
    resource_group: String,
    replicas: u32,
}

#[derive(Deserialize)]
struct DocPurchase {
    id: String,
    kind: PurchaseKind,
    region: Option<String>,
    months: Option<u32>,
    #[serde(default)]
    auto_renew: bool,
    unit_price_cents: i64,
}

#[derive(Deserialize)]
struct DocExtension {
    name: String,
    description: String,
    events: Vec<String>,
    enabled_in: Vec<String>,
}

fn bad(what: &str, e: impl std::fmt::Display) -> ConsoleError {
    ConsoleError::Internal(format!("assets/demo.json, {what}: {e}"))
}

fn doc() -> Result<Doc> {
    serde_json::from_str(include_str!("../../assets/demo.json")).map_err(|e| bad("document", e))
}

fn roles(list: &[String]) -> Result<Vec<RoleRef>> {
    list.iter()
        .map(|r| RoleRef::parse(r).map_err(Into::into))
        .collect()
}

/// Everything of the demo, built and validated before anything is written.
struct Built {
    users: Vec<RamUser>,
    policies: Vec<PolicyRecord>,
    tenant_roles: Vec<CustomTenantRole>,
    tenant_members: BTreeMap<String, Vec<TenantRoleRef>>,
    workspaces: Vec<Workspace>,
    clusters: Vec<crate::domain::cluster::Cluster>,
    members: Vec<Member>,
    roles: Vec<(String, CustomRole)>,
    compute: Vec<ComputeResource>,
    data_sources: Vec<DataSource>,
    groups: Vec<ResourceGroup>,
    images: Vec<Image>,
    models: Vec<ModelDeployment>,
    purchases: Vec<PurchasedItem>,
    bills: Vec<Bill>,
    contacts: Vec<AlertContact>,
}

fn build(c: &Console, d: &Doc, now: Timestamp) -> Result<Built> {
    let users = d
        .users
        .iter()
        .map(|(n, dn)| RamUser::new(n, dn, now).map_err(|e| bad(n, e)))
        .collect::<Result<Vec<_>>>()?;
    let policies = d
        .policies
        .iter()
        .map(|p| {
            let text = serde_json::to_string_pretty(&p.document).map_err(|e| bad(&p.name, e))?;
            crate::authz::Policy::parse(&text).map_err(|e| bad(&p.name, e))?;
            Ok(PolicyRecord {
                name: p.name.clone(),
                description: p.description.clone(),
                document: text,
                system: false,
                created_at: Some(now),
                versions: Vec::new(),
                default_version: None,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let tenant_roles = d
        .tenant_roles
        .iter()
        .map(|r| {
            let mut levels = GlobalLevels::default();
            for p in &r.perms {
                let (m, l) = p.split_once('=').ok_or_else(|| bad(&r.name, p))?;
                levels.set(
                    GlobalModule::parse("perm", m)?.index(),
                    Level::parse("perm", l)?,
                );
            }
            CustomTenantRole::new(&r.name, levels).map_err(|e| bad(&r.name, e))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut tenant_members: BTreeMap<String, Vec<TenantRoleRef>> = BTreeMap::new();
    for (u, r) in &d.tenant_members {
        tenant_members
            .entry(u.clone())
            .or_default()
            .push(TenantRoleRef::parse(r)?);
    }

    let mut b = Built {
        users,
        policies,
        tenant_roles,
        tenant_members,
        workspaces: Vec::new(),
        clusters: Vec::new(),
        members: Vec::new(),
        roles: Vec::new(),
        compute: Vec::new(),
        data_sources: Vec::new(),
        groups: Vec::new(),
        images: Vec::new(),
        models: Vec::new(),
        purchases: Vec::new(),
        bills: Vec::new(),
        contacts: Vec::new(),
    };
    for w in &d.workspaces {
        let created = now - Duration::days(90);
        let mut ws = Workspace::create(
            NewWorkspace {
                name: w.name.clone(),
                display_name: w.display_name.clone(),
                description: w.description.clone(),
                mode: Some(WorkspaceMode::parse("mode", &w.mode)?),
            },
            &w.region,
            &d.account,
            created,
        )?;
        ws.is_default = w.default;
        if w.status.as_deref() == Some("disabled") {
            ws.disable()?;
        }
        for (u, r) in &w.members {
            b.members.push(Member::new(&w.name, u, roles(r)?, created)?);
        }
        for r in &w.roles {
            let levels = ModuleLevels::parse_perms(&r.perms)?;
            b.roles.push((
                w.name.clone(),
                CustomRole::new(&r.name, levels, r.compute_role.as_deref())?,
            ));
        }
        for cr in &w.compute {
            let env = Env::parse("env", &cr.env)?;
            b.compute.push(ComputeResource::bind(
                &ws,
                &cr.name,
                ComputeType::parse("type", &cr.kind)?,
                &cr.instance,
                env,
                created,
            )?);
        }
        for ds in &w.data_sources {
            let kind = DataSourceType::parse("type", &ds.kind)?;
            let mut conn = ConnectionInput::default();
            for (k, v) in ds.fields.iter().chain(&ds.secrets) {
                conn.set(kind, k, v.clone())?;
            }
            conn.validate(kind, &[])?;
            let env = Env::parse("env", &ds.env)?;
            ws.mode.check_env("env", env)?;
            b.data_sources.push(DataSource {
                workspace: w.name.clone(),
                name: ds.name.clone(),
                kind,
                env,
                description: ds.description.clone(),
                fields: conn.fields.clone(),
                secrets: c.sealed(&conn),
                from_compute: None,
                tests: BTreeMap::new(),
                created_at: created,
                awaiting_secrets: Default::default(),
            });
        }
        ws.legacy_data_studio = w.legacy_data_studio;
        for cl in &w.clusters {
            for (k, v) in &cl.endpoints {
                crate::domain::cluster::check_endpoint(k, v)?;
            }
            b.clusters.push(crate::domain::cluster::Cluster {
                workspace: w.name.clone(),
                name: cl.name.clone(),
                kind: crate::domain::cluster::ClusterType::parse("type", &cl.kind)?,
                version: cl.version.clone(),
                env: Env::parse("env", &cl.env)?,
                endpoints: cl.endpoints.clone(),
                files: BTreeMap::new(),
                default_account: cl.default_account.clone(),
                accounts: cl.accounts.clone(),
                created_at: created,
            });
        }
        b.workspaces.push(ws);
    }
    b.data_sources
        .extend(b.compute.iter().map(super::resources::compute_data_source));

    for g in &d.resource_groups {
        let mut rg = ResourceGroup::create(
            NewResourceGroup {
                name: g.name.clone(),
                spec_cu: g.spec,
                prepaid_months: g.months,
                auto_renew: g.auto_renew,
                vpc_id: g.vpc.clone(),
                vswitch_id: g.vswitch.clone(),
            },
            &g.region,
            now - Duration::days(60),
        )?;
        match g.status.unwrap_or(RgStatus::Normal) {
            RgStatus::CreateFailed => {
                rg.fail(
                    RgEvent::CreateFailed,
                    g.reason.as_deref().unwrap_or("failed"),
                )?;
            }
            RgStatus::UpdateFailed => {
                rg.apply(RgEvent::Created)?;
                rg.apply(RgEvent::StartUpdate)?;
                rg.fail(
                    RgEvent::UpdateFailed,
                    g.reason.as_deref().unwrap_or("failed"),
                )?;
            }
            RgStatus::Stop => {
                rg.apply(RgEvent::Created)?;
                rg.set_expiry(now - Duration::days(g.expired_days_ago.unwrap_or(1)));
                rg.apply(RgEvent::Expired)?;
            }
            _ => {
                rg.apply(RgEvent::Created)?;
            }
        }
        for ws in &g.attached {
            let w = b
                .workspaces
                .iter()
                .find(|w| w.name == *ws)
                .ok_or_else(|| bad(&g.name, format!("no workspace {ws}")))?;
            rg.check_attach(w)?;
            rg.attached.insert(ws.clone());
        }
        b.groups.push(rg);
    }

    let bases = catalogue::official_image_names();
    for (i, img) in d.images.iter().enumerate() {
        let task_types = img
            .task_types
            .iter()
            .map(|t| TaskType::parse("task_types", t))
            .collect::<Result<Vec<_>, _>>()?;
        let mut image = Image::create(
            NewImage {
                name: img.name.clone(),
                description: img.description.clone(),
                base: img.base.clone(),
                packages: img.packages.clone(),
                task_types,
            },
            &img.region,
            &bases,
            i as u64,
            Edition::Enterprise,
            now - Duration::days(30),
        )?;
        image.status = img.status;
        image.build_group = img.build_group.clone();
        image.reason = img.reason.clone();
        b.images.push(image);
    }
    for m in &d.models {
        let mut dep = ModelDeployment::create(
            &m.name,
            &m.region,
            &m.model,
            &catalogue::model_ids(),
            &m.resource_group,
            m.replicas,
            now - Duration::days(10),
        )?;
        dep.apply(ModelEvent::Deployed)?;
        dep.endpoint = Some(super::catalog::model_endpoint(&m.name, &m.region));
        b.models.push(dep);
    }
    for p in &d.purchases {
        let start = now - Duration::days(60);
        let billing = match p.months {
            Some(m) => Billing::Subscription {
                expires_at: start.checked_add_months(Months::new(m)).unwrap_or(start),
                auto_renew: p.auto_renew,
            },
            None => Billing::PayAsYouGo,
        };
        b.purchases.push(PurchasedItem {
            id: p.id.clone(),
            kind: p.kind.clone(),
            region: p.region.clone(),
            billing,
            status: PurchaseStatus::Active,
            unit_price_cents: p.unit_price_cents,
            created_at: start,
        });
    }
    for (month, item, desc, amount) in &d.bills {
        b.bills.push(Bill::new(month, item, desc, *amount)?);
    }
    for (name, phone, email, webhook) in &d.contacts {
        b.contacts.push(AlertContact::new(
            name,
            phone.as_deref(),
            email.as_deref(),
            webhook.as_deref(),
        )?);
    }
    Ok(b)
}

fn write(tx: &Tx, d: &Doc, b: &Built, now: Timestamp) -> TxResult<(), ConsoleError> {
    for u in &b.users {
        tx.put(
            T::Users,
            u.name.as_bytes(),
            &UserRecord {
                user: u.clone(),
                password_hash: None,
                must_change_password: false,
                mfa: None,
            },
        )?;
    }
    for p in &b.policies {
        tx.put(T::Policies, p.name.as_bytes(), p)?;
    }
    for (u, p) in &d.attachments {
        tx.mark(T::Attachments, &key(&[u, p]))?;
    }
    for r in &b.tenant_roles {
        tx.put(T::TenantRoles, r.name.as_bytes(), r)?;
    }
    for (u, roles) in &b.tenant_members {
        tx.put(
            T::TenantMembers,
            u.as_bytes(),
            &TenantMemberRecord {
                user: u.clone(),
                roles: roles.clone(),
            },
        )?;
    }
    for c in &b.clusters {
        tx.put(T::Clusters, &key(&[&c.workspace, &c.name]), c)?;
    }
    for w in &b.workspaces {
        tx.put(T::Workspaces, w.name.as_bytes(), w)?;
        tx.mark(T::WsByRegion, &key(&[&w.region, &w.name]))?;
        tx.put(T::WsStats, w.name.as_bytes(), &WsStats::default())?;
    }
    for m in &b.members {
        if !b.users.iter().any(|u| u.name == m.user) {
            return fail(bad("members", format!("no user {}", m.user)));
        }
        let region = b
            .workspaces
            .iter()
            .find(|w| w.name == m.workspace)
            .map(|w| w.region.as_str())
            .unwrap_or_default();
        put_member(tx, region, None, m)?;
    }
    for (ws, r) in &b.roles {
        tx.put(T::Roles, &key(&[ws, &r.name]), r)?;
    }
    for c in &b.compute {
        tx.put(T::Compute, &key(&[&c.workspace, &c.name]), c)?;
    }
    for ds in &b.data_sources {
        tx.put(T::DataSources, ds.name.as_bytes(), ds)?;
        tx.mark(T::DsByWs, &key(&[&ds.workspace, &ds.name]))?;
    }
    for g in &b.groups {
        tx.put(T::ResourceGroups, g.name.as_bytes(), g)?;
        tx.mark(T::RgByRegion, &key(&[&g.region, &g.name]))?;
    }
    for i in &b.images {
        tx.put(T::Images, i.name.as_bytes(), i)?;
    }
    for m in &b.models {
        tx.put(T::Models, m.name.as_bytes(), m)?;
    }
    for p in &b.purchases {
        tx.put(T::Purchases, p.id.as_bytes(), p)?;
    }
    for bill in &b.bills {
        tx.put(T::Bills, &super::catalog::bill_key(bill), bill)?;
    }
    for c in &b.contacts {
        tx.put(T::Contacts, c.name.as_bytes(), c)?;
    }
    tx.put(T::Meta, b"alert_limits", &d.limits)?;
    for e in &d.extensions {
        let events = match e
            .events
            .iter()
            .map(|ev| ExtensionEvent::parse("events", ev))
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(ev) => ev,
            Err(err) => return fail(err.into()),
        };
        let mut ext = match Extension::new(&e.name, &e.description, &events, now) {
            Ok(x) => x,
            Err(err) => return fail(err.into()),
        };
        ext.enabled_in = e.enabled_in.iter().cloned().collect();
        tx.put(T::Extensions, e.name.as_bytes(), &ext)?;
    }
    Ok(())
}

/// A small deterministic generator, so every scale tenant is the same.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

/// The scale tenant of DESIGN §11 on top of the demo: `workspaces` workspaces over the demo's
/// regions, ten memberships each, one resource group per ten workspaces, 500 users and 200
/// policies. Written in batches, flushed once.
fn scale(c: &Console, workspaces: usize, now: Timestamp) -> Result<()> {
    let regions = ["cn-hangzhou", "cn-shanghai", "ap-southeast-1"];
    let mut rng = Lcg(42);
    let users: Vec<String> = (0..500).map(|i| format!("user{i:03}")).collect();
    let s = c.store();
    s.bulk(
        T::Users,
        users.iter().map(|u| {
            let rec = UserRecord {
                user: RamUser {
                    name: u.clone(),
                    display_name: format!("Scale user {u}"),
                    created_at: now,
                },
                password_hash: None,
                must_change_password: false,
                mfa: None,
            };
            (u.clone().into_bytes(), encode(&rec))
        }),
    )?;
    let mut policies = Vec::new();
    let mut attachments = Vec::new();
    for i in 0..200 {
        let name = format!("scale-policy-{i:03}");
        let doc = format!(
            r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":["dataworks:Get*","dataworks:List*"],"Resource":"acs:dataworks:*:*:workspace/ws{i:03}*"}},{{"Effect":"Deny","Action":"dataworks:Delete*","Resource":"acs:dataworks:*:*:workspace/prod_{i}*"}}]}}"#
        );
        policies.push((
            name.clone().into_bytes(),
            encode(&PolicyRecord {
                name: name.clone(),
                description: "generated".into(),
                document: doc,
                system: false,
                created_at: Some(now),
                versions: Vec::new(),
                default_version: None,
            }),
        ));
        for _ in 0..3 {
            attachments.push((key(&[&users[rng.next(users.len())], &name]), Vec::new()));
        }
    }
    s.bulk(T::Policies, policies)?;
    s.bulk(T::Attachments, attachments)?;

    let role_pool = [
        BuiltinRole::Development,
        BuiltinRole::OM,
        BuiltinRole::Deploy,
        BuiltinRole::Visitor,
        BuiltinRole::DataAnalyst,
        BuiltinRole::WorkspaceManager,
    ];
    let (mut ws_rows, mut by_region, mut stats, mut members, mut member_ws) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..workspaces {
        let name = format!("ws{i:05}");
        let region = regions[i % regions.len()];
        let mode = if i % 3 == 0 {
            WorkspaceMode::Basic
        } else {
            WorkspaceMode::Standard
        };
        let ws = Workspace::create(
            NewWorkspace {
                name: name.clone(),
                display_name: format!("Scale workspace {i}"),
                description: String::new(),
                mode: Some(mode),
            },
            region,
            "acme",
            now,
        )?;
        let mut st = WsStats::default();
        let mut chosen = Vec::new();
        while chosen.len() < 10 {
            let u = &users[rng.next(users.len())];
            if !chosen.contains(u) {
                chosen.push(u.clone());
            }
        }
        for u in &chosen {
            let role = role_pool[rng.next(role_pool.len())];
            let m = Member::new(&name, u, vec![RoleRef::Builtin(role)], now)?;
            st.members += 1;
            if role == BuiltinRole::WorkspaceManager {
                st.managers.push(u.clone());
            }
            members.push((key(&[&name, u]), encode(&m)));
            member_ws.push((
                super::workspaces::member_ws_key(u, region, &name),
                Vec::new(),
            ));
        }
        st.managers.sort();
        ws_rows.push((name.clone().into_bytes(), encode(&ws)));
        by_region.push((key(&[region, &name]), Vec::new()));
        stats.push((name.into_bytes(), encode(&st)));
    }
    s.bulk(T::Workspaces, ws_rows)?;
    s.bulk(T::WsByRegion, by_region)?;
    s.bulk(T::WsStats, stats)?;
    s.bulk(T::Members, members)?;
    s.bulk(T::MemberWs, member_ws)?;

    let (mut groups, mut by_region) = (Vec::new(), Vec::new());
    for i in 0..workspaces / 10 {
        let region = regions[i % regions.len()];
        let mut g = ResourceGroup::create(
            NewResourceGroup {
                name: format!("rg{i:04}"),
                spec_cu: 8,
                ..Default::default()
            },
            region,
            now,
        )?;
        g.apply(RgEvent::Created)?;
        // Each group serves the workspaces of its region with neighbouring numbers.
        for j in 0..3 {
            let w = i * 10 + j * regions.len();
            if w < workspaces && regions[w % regions.len()] == region {
                g.attached.insert(format!("ws{w:05}"));
            }
        }
        by_region.push((key(&[region, &g.name]), Vec::new()));
        groups.push((g.name.clone().into_bytes(), encode(&g)));
    }
    s.bulk(T::ResourceGroups, groups)?;
    s.bulk(T::RgByRegion, by_region)?;
    s.flush()?;
    Ok(())
}

impl Console {
    /// Creates an open demo store in `dir` from `assets/demo.json`; with `scale`, adds the scale
    /// tenant of DESIGN §11 with that many workspaces. The store is built beside `dir` and moved
    /// into place only when complete, so a demo killed half-way leaves no store at all (and the
    /// next run starts over), never part of a tenant.
    pub fn create_demo(
        dir: &Path,
        scale_workspaces: Option<usize>,
        clock: Box<dyn Clock>,
    ) -> Result<Console> {
        if crate::store::is_postgres(dir) {
            // A database holds one tenant: built in place (no directory to build beside).
            if crate::store::Store::exists(dir)? {
                return Err(crate::store::StoreError::Exists(crate::store::shown(dir)).into());
            }
            return Console::build_demo(dir, scale_workspaces, clock);
        }
        let shown = dir.display().to_string();
        if dir.join("db").exists() {
            return Err(crate::store::StoreError::Exists(shown).into());
        }
        if dir.exists()
            && std::fs::read_dir(dir)
                .map_err(|e| ConsoleError::Store(format!("store {shown}: {e}")))?
                .next()
                .is_some()
        {
            return Err(ConsoleError::Store(format!(
                "store {shown}: the directory is not empty; give an empty or new one for the demo"
            )));
        }
        let building = building_dir(dir)?;
        if building.exists() {
            let busy = std::fs::OpenOptions::new()
                .write(true)
                .open(building.join("dwc.lock"))
                .is_ok_and(|f| matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock)));
            if busy {
                return Err(ConsoleError::Store(format!(
                    "store {shown}: another dwc is creating a demo tenant there"
                )));
            }
            // Left by a demo that was killed: it never became a store.
            std::fs::remove_dir_all(&building).map_err(|e| {
                ConsoleError::Store(format!("removing {}: {e}", building.display()))
            })?;
        }
        let c = Console::build_demo(&building, scale_workspaces, clock)?;
        c.store.flush()?;
        let Console { clock, store, .. } = c;
        drop(store);
        let fail = |e: std::io::Error| ConsoleError::Store(format!("store {shown}: {e}"));
        if dir.exists() {
            std::fs::remove_dir(dir).map_err(fail)?;
        }
        std::fs::rename(&building, dir).map_err(fail)?;
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            // The rename itself survives a crash once its directory is synced.
            std::fs::File::open(parent)
                .and_then(|f| f.sync_all())
                .map_err(fail)?;
        }
        // The store built beside it was closed a moment ago: opening waits for sled to let go.
        let store = crate::store::Store::open(dir, false)?;
        Console::open_store(dir, store, clock)
    }

    fn build_demo(
        dir: &Path,
        scale_workspaces: Option<usize>,
        clock: Box<dyn Clock>,
    ) -> Result<Console> {
        let d = doc()?;
        let now = clock.now();
        let tenant = Tenant {
            account: d.account.clone(),
            account_hash: None,
            edition: Edition::parse("edition", &d.edition)?,
            open: true,
            default_region: d.default_region.clone(),
            created_at: now - Duration::days(365),
        };
        let c = Console::init(dir, tenant, None, clock)?;
        let built = build(&c, &d, now)?;
        c.store.transact(|tx| write(tx, &d, &built, now))?;
        if let Some(n) = scale_workspaces {
            scale(&c, n, now)?;
        }
        c.arm_timers(true)?;
        Ok(c)
    }
}

/// Where a demo store is built before it is moved to `dir`: beside it, on the same file system.
fn building_dir(dir: &Path) -> Result<std::path::PathBuf> {
    let name = dir.file_name().ok_or_else(|| {
        ConsoleError::Store(format!("store {}: not a directory name", dir.display()))
    })?;
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .map_err(|e| ConsoleError::Store(format!("store {}: {e}", dir.display())))?;
    Ok(parent.join(format!(".{}.building", name.to_string_lossy())))
}
