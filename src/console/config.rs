//! Configuration as code, the export half (`dwc export`): the tenant, or one workspace, as a
//! stable, diff-friendly JSON document — keys sorted, lists sorted by name, no timestamps and no
//! counters, so exporting twice gives the same bytes and a diff shows only what changed. Secrets
//! never leave the store: a data source lists the names of its secret fields, not their values.
//! Only what the session may see is exported.

use std::cmp::Ordering;

use serde_json::{Value, json};

use crate::authz::{Op, ResourceKind, Target};
use crate::domain::region::REGIONS;
use crate::domain::resource_group::Payment;
use crate::domain::role::RoleRef;
use crate::domain::tenant_role::TenantRoleRef;

use super::document as doc;
use super::error::{ConsoleError, Result};
use super::{Console, Session};

/// The document's format; `apply` will refuse any other.
pub const EXPORT_VERSION: u32 = 1;

pub(super) fn role_slug(r: &RoleRef) -> String {
    match r {
        RoleRef::Builtin(b) => b.slug().to_owned(),
        RoleRef::Custom(n) => n.clone(),
    }
}

pub(super) fn tenant_role_slug(r: &TenantRoleRef) -> String {
    match r {
        TenantRoleRef::Builtin(b) => b.slug().to_owned(),
        TenantRoleRef::Custom(n) => n.clone(),
    }
}

/// A role's levels as `{module: level}`.
fn levels_map(levels: Vec<(String, String)>) -> serde_json::Map<String, Value> {
    levels
        .into_iter()
        .map(|(m, l)| (m, Value::String(l)))
        .collect()
}

/// The trees that hold what hangs off a workspace, filed under its name, each with the fields
/// of its records an export reads when it walks the tree (all when none are named): of a
/// member, only its roles — who it is is the key's last part.
const HANGING: [(crate::store::T, &[&str]); 5] = {
    use crate::store::T;
    [
        (T::Members, &["roles"]),
        (T::Roles, &[]),
        (T::Clusters, &[]),
        (T::Compute, &[]),
        (T::DsByWs, &[]),
    ]
};

/// What hangs off one workspace, as stored: one list per tree of [`HANGING`].
type Hanging = [Vec<crate::store::Kv>; HANGING.len()];

/// One tree walked in key order beside the workspaces of an export, which go in name order too
/// (a key's first part is its workspace, and `\0` sorts before any name's next byte): each
/// workspace takes the entries filed under it, those of workspaces not exported are passed
/// over, and nothing is held beyond one workspace's.
struct Beside<'s> {
    rows: std::iter::Peekable<crate::store::Entries<'s>>,
}

impl Beside<'_> {
    fn take(&mut self, ws: &str) -> Result<Vec<crate::store::Kv>> {
        let mut out = Vec::new();
        loop {
            let order = match self.rows.peek() {
                None => return Ok(out),
                Some(Err(_)) => Ordering::Equal,
                Some(Ok((k, _))) => {
                    let first = k.split(|b| *b == 0).next().unwrap_or_default();
                    first.cmp(ws.as_bytes())
                }
            };
            match order {
                Ordering::Less => {
                    self.rows.next();
                }
                Ordering::Equal => out.push(self.rows.next().expect("peeked")?),
                Ordering::Greater => return Ok(out),
            }
        }
    }
}

/// More workspaces than this in an export are read beside their trees, not scanned one by one.
const MANY: usize = 256;

/// Where an export reads what hangs off each workspace: a prefix scan per tree, or for a
/// whole tenant of many workspaces one walk per tree beside them (10,000 workspaces are
/// 50,000 scans otherwise).
enum Hangers<'s> {
    Scans(&'s crate::store::Store),
    Walks(Vec<Beside<'s>>),
}

impl Hangers<'_> {
    fn of(&mut self, ws: &str) -> Result<Hanging> {
        let mut out: Hanging = Default::default();
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = match self {
                Hangers::Scans(store) => store.scan_raw(HANGING[i].0, &crate::store::prefix(ws))?,
                Hangers::Walks(walks) => walks[i].take(ws)?,
            };
        }
        Ok(out)
    }
}

/// The records of `entries` (read from tree `t`).
fn records<V: serde::de::DeserializeOwned>(
    t: crate::store::T,
    entries: &[crate::store::Kv],
) -> Result<Vec<V>> {
    entries
        .iter()
        .map(|(k, v)| Ok(crate::store::decode(t.name(), k, v)?))
        .collect()
}

/// A member's roles, all an export says of a member besides who it is (the rest of the
/// record is passed over unread, or not even sent: see [`HANGING`]).
#[derive(serde::Deserialize)]
struct MemberRoles {
    roles: Vec<RoleRef>,
}

/// A workspace's document as it sits in a whole-tenant export, two levels deep: printed into
/// `buf`, then every line after the first indented into `out`. JSON strings never hold a raw
/// newline, so every one is the printer's.
fn nested_to(out: &mut Vec<u8>, buf: &mut Vec<u8>, w: &doc::Workspace) -> Result<()> {
    buf.clear();
    serde_json::to_writer_pretty(&mut *buf, w).map_err(written)?;
    let mut from = 0;
    for i in memchr::memchr_iter(b'\n', buf) {
        out.extend_from_slice(&buf[from..=i]);
        out.extend_from_slice(b"    ");
        from = i + 1;
    }
    out.extend_from_slice(&buf[from..]);
    Ok(())
}

fn as_value(v: &impl serde::Serialize) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| ConsoleError::Internal(e.to_string()))
}

fn written(e: impl std::fmt::Display) -> ConsoleError {
    ConsoleError::Internal(format!("writing the export failed: {e}"))
}

/// Pretty JSON, as `serde_json::to_string_pretty` makes it, onto `out`.
fn pretty_to(out: &mut dyn std::io::Write, v: &impl serde::Serialize) -> Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(
        out,
        serde_json::ser::PrettyFormatter::with_indent(b"  "),
    );
    v.serialize(&mut ser).map_err(written)
}

fn by_name(mut v: Vec<Value>) -> Vec<Value> {
    v.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    v
}

impl Console {
    /// The workspace `ws` of the session's region as a document of its own — under the key
    /// `workspace`, so applying it manages that workspace alone and never reads the absence of
    /// the others as their deletion.
    fn export_one(&self, s: &Session, ws: &str) -> Result<Value> {
        let w = self.export_workspace(s, ws)?;
        Ok(json!({
            "dwc_export": EXPORT_VERSION,
            "account": self.tenant().account,
            "workspace": as_value(&w)?,
        }))
    }

    /// The tenant as a stable document — pretty JSON and a newline — or with `workspace` only
    /// that workspace and what hangs off it, written to `out` as it is made: the tenant's own
    /// sections, then each workspace, so however many workspaces there are, no more than one
    /// is held at a time.
    pub fn export_to(
        &self,
        s: &Session,
        workspace: Option<&str>,
        out: &mut dyn std::io::Write,
    ) -> Result<()> {
        if let Some(ws) = workspace {
            pretty_to(out, &self.export_one(s, ws)?)?;
            return out.write_all(b"\n").map_err(written);
        }
        let mut count = 0usize;
        let (mut text, mut buf) = (Vec::new(), Vec::new());
        // Both the head and each workspace write to it, one after the other.
        let out = std::cell::RefCell::new(out);
        self.export_sections(
            s,
            &mut |doc| {
                // Keys are sorted and "workspaces" sorts after every other: it closes the
                // document.
                debug_assert!(
                    doc.as_object()
                        .is_some_and(|o| o.keys().all(|k| k.as_str() < "workspaces"))
                );
                let mut head = Vec::new();
                pretty_to(&mut head, &doc)?;
                let head = head.strip_suffix(b"\n}").unwrap_or(&head);
                let mut out = out.borrow_mut();
                out.write_all(head).map_err(written)?;
                out.write_all(b",\n  \"workspaces\": [").map_err(written)
            },
            &mut |w| {
                text.clear();
                text.extend_from_slice(if count == 0 { b"\n    " } else { b",\n    " });
                count += 1;
                nested_to(&mut text, &mut buf, &w)?;
                out.borrow_mut().write_all(&text).map_err(written)
            },
        )?;
        let out = out.into_inner();
        let close: &[u8] = if count == 0 { b"]\n}\n" } else { b"\n  ]\n}\n" };
        out.write_all(close).map_err(written)
    }

    /// The tenant's own sections to `head`, then every workspace the session sees, in every
    /// region, each with what hangs off it, to `each` one by one in name order. The regions'
    /// workspaces are listed (each region on a thread of its own) while the tenant's sections
    /// are made: on a database, their round trips overlap.
    pub(super) fn export_sections(
        &self,
        s: &Session,
        head: &mut dyn FnMut(Value) -> Result<()>,
        each: &mut dyn FnMut(doc::Workspace) -> Result<()>,
    ) -> Result<()> {
        let (sessions, ordered) = std::thread::scope(|scope| {
            let listed = scope.spawn(|| self.listed_by_region(s));
            let written = self.export_head(s).and_then(&mut *head);
            let listed = listed.join().unwrap_or_else(|_| {
                Err(ConsoleError::Internal("listing workspaces failed".into()))
            });
            written.and(listed)
        })?;
        let walk = ordered.len() > MANY;
        self.export_part(&sessions, ordered, walk, each)
    }

    /// Each region's session and caller, and the workspaces it sees in every region (each
    /// with the index of its region), in name order. The account sees every workspace: they
    /// are read in one pass over them all rather than region by region through the index. A
    /// RAM user's are their memberships, a few reads each region; one after the other, as a
    /// read on a thread of its own would cost a database connection of its own.
    #[allow(clippy::type_complexity)]
    fn listed_by_region(
        &self,
        s: &Session,
    ) -> Result<(
        Vec<(Session, super::Caller)>,
        Vec<(
            usize,
            crate::domain::Workspace,
            Option<Vec<crate::domain::WorkspaceRole>>,
        )>,
    )> {
        use crate::store::T;
        let mut sessions = Vec::with_capacity(REGIONS.len());
        for region in REGIONS {
            let rs = Session {
                region: region.id.to_owned(),
                ..s.clone()
            };
            let caller = self.caller(&rs)?;
            sessions.push((rs, caller));
        }
        let mut candidates: Vec<Vec<super::workspaces::Candidate>> =
            REGIONS.iter().map(|_| Vec::new()).collect();
        if s.principal.is_account() {
            for entry in self.store.walk(T::Workspaces, b"") {
                let (k, v) = entry?;
                let w: crate::domain::Workspace =
                    crate::store::decode(T::Workspaces.name(), &k, &v)?;
                if let Some(i) = REGIONS.iter().position(|r| r.id == w.region) {
                    candidates[i].push((w, None, None));
                }
            }
        } else {
            for (i, (rs, _)) in sessions.iter().enumerate() {
                candidates[i] = self.read_candidates(&rs.region, Some(s.who()), false)?;
            }
        }
        let mut ordered = Vec::new();
        for (i, ((rs, caller), candidates)) in sessions.iter().zip(candidates).enumerate() {
            let seen = self.visible_among(rs, caller, candidates)?;
            ordered.extend(seen.into_iter().map(|(w, roles, _)| (i, w, roles)));
        }
        ordered.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        Ok((sessions, ordered))
    }

    /// Workspaces (in name order, each with the index of its region's session and caller) to
    /// `each`; with `walk`, what hangs off them is read by walking each tree beside them, on a
    /// thread of its own that reads ahead while this one makes each workspace's document.
    fn export_part(
        &self,
        sessions: &[(Session, super::Caller)],
        part: Vec<(
            usize,
            crate::domain::Workspace,
            Option<Vec<crate::domain::WorkspaceRole>>,
        )>,
        walk: bool,
        each: &mut dyn FnMut(doc::Workspace) -> Result<()>,
    ) -> Result<()> {
        if !walk {
            let mut hangers = Hangers::Scans(&self.store);
            for (i, w, roles) in part {
                let (rs, caller) = &sessions[i];
                let hanging = hangers.of(&w.name)?;
                each(self.export_loaded(rs, caller, w, roles, hanging)?)?;
            }
            return Ok(());
        }
        let names: Vec<String> = part.iter().map(|(_, w, _)| w.name.clone()).collect();
        // Handed over a few hundred at a time: a hand-over per workspace costs the two
        // threads more in waking each other than the reading saves.
        const BATCH: usize = 200;
        let (send, read) = std::sync::mpsc::sync_channel::<Result<Vec<Hanging>>>(4);
        // `read` moves in, so a failure here drops it and the reader, blocked on a full
        // channel, stops rather than keeping the scope from ending.
        std::thread::scope(move |scope| {
            scope.spawn(move || {
                let Some(first) = names.first() else { return };
                let from = crate::store::prefix(first);
                let mut hangers = Hangers::Walks(
                    self.store
                        .walks(&HANGING, &from)
                        .into_iter()
                        .map(|rows| Beside {
                            rows: rows.peekable(),
                        })
                        .collect(),
                );
                for names in names.chunks(BATCH) {
                    let batch: Result<Vec<Hanging>> =
                        names.iter().map(|name| hangers.of(name)).collect();
                    let failed = batch.is_err();
                    // Nobody reads on once making a document failed: stop.
                    if send.send(batch).is_err() || failed {
                        return;
                    }
                }
            });
            let mut hanging = Vec::new().into_iter();
            for (i, w, roles) in part {
                let (rs, caller) = &sessions[i];
                let of_this = match hanging.next() {
                    Some(h) => h,
                    None => {
                        hanging = read
                            .recv()
                            .map_err(|_| {
                                ConsoleError::Internal("the export's reader stopped".into())
                            })??
                            .into_iter();
                        hanging.next().ok_or_else(|| {
                            ConsoleError::Internal("the export's reader fell short".into())
                        })?
                    }
                };
                each(self.export_loaded(rs, caller, w, roles, of_this)?)?;
            }
            Ok(())
        })
    }

    /// The tenant's own sections of the document (all but its workspaces).
    pub(super) fn export_head(&self, s: &Session) -> Result<Value> {
        let tenant = self.tenant();
        let mut groups = Vec::new();
        for region in REGIONS {
            let rs = Session {
                region: region.id.to_owned(),
                ..s.clone()
            };
            let all = Target::named(ResourceKind::ResourceGroup, "*", region.id);
            if self.can(&rs, Op::ListResourceGroups, &all)?.allowed {
                for g in self.list_resource_groups(&rs)? {
                    let payment = match g.payment {
                        Payment::PrePaid {
                            months, auto_renew, ..
                        } => json!({"prepaid": {"months": months, "auto_renew": auto_renew}}),
                        Payment::PostPaid => json!("postpaid"),
                    };
                    groups.push(json!({
                        "name": g.name,
                        "region": g.region,
                        "spec_cu": g.spec_cu,
                        "payment": payment,
                        "vpc": g.network.as_ref().map(|n| json!({"vpc_id": n.vpc_id, "vswitch_id": n.vswitch_id})),
                        "attached": g.attached,
                    }));
                }
            }
        }
        let may = |op: Op, t: &Target| self.can(s, op, t).map(|v| v.allowed);
        let mut doc = json!({
            "dwc_export": EXPORT_VERSION,
            "account": tenant.account,
            "edition": tenant.edition.slug(),
            "resource_groups": by_name(groups),
        });
        if may(Op::ListUsers, &Target::RamUser("*"))? {
            // Every user's attachments and tenant roles, each tree read in one pass rather
            // than two reads per user.
            use crate::store::{T, decode, last_part};
            let mut attached: std::collections::HashMap<String, Vec<String>> = Default::default();
            for entry in self.store.walk(T::Attachments, b"") {
                let (k, _) = entry?;
                let user = k.split(|b| *b == 0).next().unwrap_or_default();
                attached
                    .entry(String::from_utf8_lossy(user).into_owned())
                    .or_default()
                    .push(last_part(&k));
            }
            let mut tenant_roles: std::collections::HashMap<String, Vec<String>> =
                Default::default();
            for entry in self.store.walk(T::TenantMembers, b"") {
                let (k, v) = entry?;
                let r: super::records::TenantMemberRecord =
                    decode(T::TenantMembers.name(), &k, &v)?;
                tenant_roles.insert(r.user, r.roles.iter().map(tenant_role_slug).collect());
            }
            let caller = self.caller(s)?;
            let mut users = Vec::new();
            for u in self.list_users(s)? {
                let name = u.user.name;
                if !self.allows(s, &caller, Op::GetUser, &Target::RamUser(&name)) {
                    // As reading the user's policies says it (audited).
                    self.user_policies(s, &name)?;
                }
                let mut policies = attached.remove(&name).unwrap_or_default();
                policies.sort();
                let mut roles = tenant_roles.remove(&name).unwrap_or_default();
                roles.sort();
                users.push(json!({
                    "name": name,
                    "display_name": u.user.display_name,
                    "policies": policies,
                    "tenant_roles": roles,
                }));
            }
            doc["users"] = Value::Array(by_name(users));
        }
        if may(Op::ListPolicies, &Target::RamPolicy("*"))? {
            let mut policies = Vec::new();
            for p in self.list_policies(s)?.into_iter().filter(|p| !p.system) {
                // The document as JSON, so a diff shows statements rather than one long string.
                let document: Value = serde_json::from_str(&p.document)
                    .map_err(|e| ConsoleError::Internal(format!("policy {}: {e}", p.name)))?;
                policies.push(json!({
                    "name": p.name,
                    "description": p.description,
                    "document": document,
                }));
            }
            doc["policies"] = Value::Array(by_name(policies));
        }
        if may(Op::ListGroups, &Target::RamGroup("*"))? {
            let groups: Vec<Value> = self
                .list_groups(s)?
                .into_iter()
                .map(|g| {
                    json!({
                        "name": g.name,
                        "description": g.description,
                        "members": g.members,
                        "policies": g.policies,
                    })
                })
                .collect();
            doc["user_groups"] = Value::Array(by_name(groups));
        }
        if may(Op::ListTenantRoles, &Target::Tenant)? {
            let roles: Vec<Value> = self
                .list_tenant_roles(s)?
                .into_iter()
                .filter(|r| !r.builtin)
                .map(|r| json!({"name": r.name, "levels": levels_map(r.levels)}))
                .collect();
            doc["tenant_roles"] = Value::Array(by_name(roles));
        }
        if may(Op::ListAlertContacts, &Target::Tenant)? {
            let (limits, _) = self.alert_settings(s)?;
            let contacts: Vec<Value> = self
                .list_contacts(s)?
                .into_iter()
                .map(|c| {
                    json!({"name": c.name, "phone": c.phone, "email": c.email, "webhook": c.webhook})
                })
                .collect();
            let per_day: serde_json::Map<String, Value> = crate::domain::alert::Channel::ALL
                .iter()
                .map(|&ch| (ch.slug().to_owned(), json!(limits.get(ch))))
                .collect();
            doc["alerts"] = json!({"limits_per_day": per_day, "contacts": by_name(contacts)});
        }
        if may(Op::ListExtensions, &Target::Tenant)? {
            let exts: Vec<Value> = self
                .list_extensions(s)?
                .into_iter()
                .map(|e| {
                    let events: Vec<&str> = e.events.iter().map(|ev| ev.slug()).collect();
                    json!({
                        "name": e.name,
                        "description": e.description,
                        "events": events,
                        "enabled_in": e.enabled_in,
                    })
                })
                .collect();
            doc["extensions"] = Value::Array(by_name(exts));
        }
        Ok(doc)
    }

    pub(super) fn export_workspace(&self, s: &Session, ws: &str) -> Result<doc::Workspace> {
        let (w, roles) = self.load_ws(s, ws)?;
        let caller = self.caller(s)?;
        let hanging = Hangers::Scans(&self.store).of(ws)?;
        self.export_loaded(s, &caller, w, roles, hanging)
    }

    /// One workspace the caller may see, loaded already: every question about it is asked of
    /// the one caller, and what hangs off it is read straight from its trees (a whole-tenant
    /// export asks this for every workspace).
    fn export_loaded(
        &self,
        s: &Session,
        caller: &super::Caller,
        w: crate::domain::Workspace,
        roles: Option<Vec<crate::domain::WorkspaceRole>>,
        hanging: Hanging,
    ) -> Result<doc::Workspace> {
        use crate::store::{T, last_part};
        let [in_members, in_roles, in_clusters, in_compute, in_sources] = hanging;
        let target = self.ws_target(s, &w, &roles);
        if !self.allows(s, caller, Op::GetProject, &target) {
            // As `get_workspace` says it (audited, NotFound for a non-member).
            return Err(self
                .get_workspace(s, &w.name)
                .err()
                .unwrap_or_else(|| ConsoleError::NotFound(format!("workspace {}", w.name))));
        }
        let may = |op| self.allows(s, caller, op, &target);
        let members = if may(Op::ListProjectMembers) {
            let mut members: Vec<doc::Member> = records::<MemberRoles>(T::Members, &in_members)?
                .into_iter()
                .zip(&in_members)
                .map(|(m, (k, _))| {
                    let mut roles: Vec<String> = m.roles.iter().map(role_slug).collect();
                    roles.sort();
                    doc::Member {
                        name: last_part(k),
                        roles,
                    }
                })
                .collect();
            members.sort_by(|a, b| a.name.cmp(&b.name));
            Some(members)
        } else {
            None
        };
        let custom_roles = if may(Op::ListProjectRoles) {
            let mut roles: Vec<doc::Role> =
                records::<crate::domain::role::CustomRole>(T::Roles, &in_roles)?
                    .into_iter()
                    .map(super::workspaces::custom_role_view)
                    .map(|r| doc::Role {
                        compute_role: r.compute_role_dev,
                        levels: r.levels.into_iter().collect(),
                        name: r.name,
                    })
                    .collect();
            roles.sort_by(|a, b| a.name.cmp(&b.name));
            Some(roles)
        } else {
            None
        };
        let clusters = if w.legacy_data_studio && may(Op::ListClusters) {
            let mut clusters: Vec<doc::Cluster> =
                records::<crate::domain::cluster::Cluster>(T::Clusters, &in_clusters)?
                    .into_iter()
                    .map(super::clusters::ClusterView::from)
                    .map(|c| doc::Cluster {
                        accounts: c.accounts,
                        default_account: c.default_account,
                        endpoints: c.endpoints,
                        env: c.env.slug().to_owned(),
                        files: c.files.into_keys().collect(),
                        name: c.name,
                        kind: c.kind.slug().to_owned(),
                        version: c.version,
                    })
                    .collect();
            clusters.sort_by(|a, b| a.name.cmp(&b.name));
            Some(clusters)
        } else {
            None
        };
        let compute = if may(Op::ListComputeResources) {
            let mut compute: Vec<doc::Compute> =
                records::<crate::domain::compute::ComputeResource>(T::Compute, &in_compute)?
                    .into_iter()
                    .map(|c| doc::Compute {
                        env: c.env.slug().to_owned(),
                        instance: c.instance,
                        name: c.name,
                        kind: c.kind.slug().to_owned(),
                    })
                    .collect();
            compute.sort_by(|a, b| a.name.cmp(&b.name));
            Some(compute)
        } else {
            None
        };
        let data_sources = if may(Op::ListDataSources) {
            let full = may(Op::UpdateDataSource);
            let mut sources = Vec::new();
            for (k, _) in &in_sources {
                let Some(d) = self.store.get::<crate::domain::datasource::DataSource>(
                    T::DataSources,
                    last_part(k).as_bytes(),
                )?
                else {
                    continue;
                };
                let d = super::resources::shown_to(d, full);
                if d.from_compute.is_some() {
                    continue;
                }
                sources.push(doc::DataSource {
                    description: d.description.clone(),
                    env: d.env.slug().to_owned(),
                    secrets: d.secret_names().into_iter().map(str::to_owned).collect(),
                    fields: d.fields,
                    name: d.name,
                    kind: d.kind.slug().to_owned(),
                });
            }
            sources.sort_by(|a, b| a.name.cmp(&b.name));
            Some(sources)
        } else {
            None
        };
        Ok(doc::Workspace {
            clusters,
            compute,
            custom_roles,
            data_sources,
            default: Some(w.is_default),
            description: Some(w.description),
            display_name: Some(w.display_name),
            legacy_data_studio: w.legacy_data_studio,
            members,
            mode: Some(w.mode.title().to_ascii_lowercase()),
            name: w.name,
            region: w.region,
            status: Some(w.status.title().to_ascii_lowercase()),
        })
    }
}
