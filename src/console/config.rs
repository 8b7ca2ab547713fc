//! Configuration as code, the export half (`dwc export`): the tenant, or one workspace, as a
//! stable, diff-friendly JSON document — keys sorted, lists sorted by name, no timestamps and no
//! counters, so exporting twice gives the same bytes and a diff shows only what changed. Secrets
//! never leave the store: a data source lists the names of its secret fields, not their values.
//! Only what the session may see is exported.

use serde_json::{Value, json};

use crate::authz::{Op, ResourceKind, Target};
use crate::domain::region::REGIONS;
use crate::domain::resource_group::Payment;
use crate::domain::role::RoleRef;
use crate::domain::tenant_role::TenantRoleRef;

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

/// What hangs off the workspaces, read with one pass over each tree for a whole-tenant export
/// (rather than a prefix scan per workspace per tree), by workspace.
struct Children {
    trees: std::collections::HashMap<
        crate::store::T,
        std::collections::HashMap<String, Vec<(Vec<u8>, Vec<u8>)>>,
    >,
}

impl Children {
    fn read(store: &crate::store::Store, trees: &[crate::store::T]) -> Result<Children> {
        let mut out = std::collections::HashMap::new();
        for &t in trees {
            let mut by_ws: std::collections::HashMap<String, Vec<(Vec<u8>, Vec<u8>)>> =
                std::collections::HashMap::new();
            for (k, v) in store.raw_entries(t)? {
                let ws = k.split(|b| *b == 0).next().unwrap_or_default();
                by_ws
                    .entry(String::from_utf8_lossy(ws).into_owned())
                    .or_default()
                    .push((k, v));
            }
            out.insert(t, by_ws);
        }
        Ok(Children { trees: out })
    }
}

fn by_name(mut v: Vec<Value>) -> Vec<Value> {
    v.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    v
}

impl Console {
    /// The records of tree `t` under workspace `ws`, from `pre` when it was read.
    fn under<V: serde::de::DeserializeOwned>(
        &self,
        pre: Option<&Children>,
        t: crate::store::T,
        ws: &str,
    ) -> Result<Vec<V>> {
        match pre.and_then(|c| c.trees.get(&t)) {
            Some(by_ws) => Ok(by_ws
                .get(ws)
                .map(|entries| {
                    entries
                        .iter()
                        .map(|(k, v)| crate::store::decode(t.name(), k, v))
                        .collect::<std::result::Result<Vec<V>, _>>()
                })
                .transpose()?
                .unwrap_or_default()),
            None => Ok(self.store.scan(t, &crate::store::prefix(ws))?),
        }
    }

    /// The keys of index `t` under workspace `ws`, from `pre` when it was read.
    fn under_keys(
        &self,
        pre: Option<&Children>,
        t: crate::store::T,
        ws: &str,
    ) -> Result<Vec<Vec<u8>>> {
        match pre.and_then(|c| c.trees.get(&t)) {
            Some(by_ws) => Ok(by_ws
                .get(ws)
                .map(|e| e.iter().map(|(k, _)| k.clone()).collect())
                .unwrap_or_default()),
            None => Ok(self.store.keys(t, &crate::store::prefix(ws))?),
        }
    }

    /// The tenant as a document, or with `workspace` only that workspace (in the session's
    /// region) and what hangs off it — under the key `workspace`, so applying it manages that
    /// workspace alone and never reads the absence of the others as their deletion.
    pub fn export(&self, s: &Session, workspace: Option<&str>) -> Result<Value> {
        let tenant = self.tenant();
        if let Some(ws) = workspace {
            let w = self.export_workspace(s, ws)?;
            return Ok(json!({
                "dwc_export": EXPORT_VERSION,
                "account": tenant.account,
                "workspace": w,
            }));
        }
        let mut workspaces = Vec::new();
        let mut doc = self.export_with(s, &mut |w| {
            workspaces.push(w);
            Ok(())
        })?;
        doc["workspaces"] = Value::Array(workspaces);
        Ok(doc)
    }

    /// `export` as the CLI prints it — pretty JSON and a newline — with each workspace written
    /// out as it is made rather than the whole tenant held as one document.
    pub fn export_text(&self, s: &Session, workspace: Option<&str>) -> Result<String> {
        let pretty = |v: &Value| {
            serde_json::to_string_pretty(v).map_err(|e| ConsoleError::Internal(e.to_string()))
        };
        if workspace.is_some() {
            return Ok(pretty(&self.export(s, workspace)?)? + "\n");
        }
        let mut items = String::new();
        let mut count = 0usize;
        let doc = self.export_with(s, &mut |w| {
            if count > 0 {
                items.push_str(",\n");
            }
            count += 1;
            // At the depth it sits in the document: two levels of two spaces.
            for (i, line) in pretty(&w)?.lines().enumerate() {
                if i > 0 {
                    items.push('\n');
                }
                items.push_str("    ");
                items.push_str(line);
            }
            Ok(())
        })?;
        // Keys are sorted and "workspaces" sorts after every other: it closes the document.
        debug_assert!(
            doc.as_object()
                .is_some_and(|o| o.keys().all(|k| k.as_str() < "workspaces"))
        );
        let head = pretty(&doc)?;
        let head = head.strip_suffix("\n}").unwrap_or(&head);
        let list = if count == 0 {
            "[]".to_owned()
        } else {
            format!("[\n{items}\n  ]")
        };
        Ok(format!("{head},\n  \"workspaces\": {list}\n}}\n"))
    }

    /// The tenant document without its workspaces, which go to `each` one by one in name order.
    fn export_with(&self, s: &Session, each: &mut dyn FnMut(Value) -> Result<()>) -> Result<Value> {
        let tenant = self.tenant();
        let mut groups = Vec::new();
        let visible: Vec<(Session, Vec<super::WorkspaceRow>)> = REGIONS
            .iter()
            .map(|region| {
                let rs = Session {
                    region: region.id.to_owned(),
                    ..s.clone()
                };
                let rows = self.list_workspaces(&rs)?;
                Ok((rs, rows))
            })
            .collect::<Result<_>>()?;
        // Many workspaces: one pass over each tree beats a prefix scan per workspace.
        let many = visible.iter().map(|(_, rows)| rows.len()).sum::<usize>() > 256;
        let pre = if many {
            use crate::store::T;
            Some(Children::read(
                &self.store,
                &[T::Members, T::Roles, T::Clusters, T::Compute, T::DsByWs],
            )?)
        } else {
            None
        };
        let mut ordered: Vec<(usize, super::WorkspaceRow)> = Vec::new();
        let mut sessions = Vec::new();
        for (i, (rs, rows)) in visible.into_iter().enumerate() {
            ordered.extend(rows.into_iter().map(|r| (i, r)));
            let caller = self.caller(&rs)?;
            sessions.push((rs, caller));
        }
        ordered.sort_by(|a, b| a.1.workspace.name.cmp(&b.1.workspace.name));
        for (i, row) in ordered {
            let (rs, caller) = &sessions[i];
            let roles = if rs.principal.is_account() {
                None
            } else {
                self.roles_in(&row.workspace.name, rs.who())?
            };
            each(self.export_loaded(rs, caller, row.workspace, roles, pre.as_ref())?)?;
        }
        for (rs, _) in &sessions {
            let region = crate::domain::region::region("region", &rs.region)?;
            let all = Target::named(ResourceKind::ResourceGroup, "*", region.id);
            if self.can(rs, Op::ListResourceGroups, &all)?.allowed {
                for g in self.list_resource_groups(rs)? {
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
            let mut users = Vec::new();
            for u in self.list_users(s)? {
                let name = u.user.name;
                let mut policies = self.user_policies(s, &name)?;
                policies.sort();
                let mut roles: Vec<String> = self
                    .user_tenant_roles(&name)?
                    .iter()
                    .map(tenant_role_slug)
                    .collect();
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

    pub(super) fn export_workspace(&self, s: &Session, ws: &str) -> Result<Value> {
        let (w, roles) = self.load_ws(s, ws)?;
        let caller = self.caller(s)?;
        self.export_loaded(s, &caller, w, roles, None)
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
        pre: Option<&Children>,
    ) -> Result<Value> {
        use crate::store::{T, last_part};
        let ws = w.name.as_str();
        let label = format!("workspace {ws}");
        {
            let target = self.ws_target(s, &w, &roles);
            let v = self.decide(s, caller, Op::GetProject, &target);
            if !v.allowed {
                // As `get_workspace` says it (audited, NotFound for a non-member).
                return Err(self
                    .get_workspace(s, ws)
                    .err()
                    .unwrap_or(ConsoleError::NotFound(label)));
            }
        }
        let target = self.ws_target(s, &w, &roles);
        let may = |op| self.decide(s, caller, op, &target).allowed;
        let mut out = json!({
            "name": w.name,
            "region": w.region,
            "display_name": w.display_name,
            "description": w.description,
            "mode": w.mode.title().to_ascii_lowercase(),
            "status": w.status.title().to_ascii_lowercase(),
            "default": w.is_default,
        });
        if may(Op::ListProjectMembers) {
            let mut members: Vec<Value> = Vec::new();
            for m in self.under::<crate::domain::workspace::Member>(pre, T::Members, ws)? {
                let mut roles: Vec<String> = m.roles.iter().map(role_slug).collect();
                roles.sort();
                members.push(json!({"name": m.user, "roles": roles}));
            }
            out["members"] = Value::Array(by_name(members));
        }
        if may(Op::ListProjectRoles) {
            let roles: Vec<Value> = self
                .under::<crate::domain::role::CustomRole>(pre, T::Roles, ws)?
                .into_iter()
                .map(super::workspaces::custom_role_view)
                .map(|r| {
                    json!({
                        "name": r.name,
                        "levels": levels_map(r.levels),
                        "compute_role": r.compute_role_dev,
                    })
                })
                .collect();
            out["custom_roles"] = Value::Array(by_name(roles));
        }
        if w.legacy_data_studio {
            out["legacy_data_studio"] = Value::Bool(true);
            if may(Op::ListClusters) {
                let clusters: Vec<Value> = self
                    .under::<crate::domain::cluster::Cluster>(pre, T::Clusters, ws)?
                    .into_iter()
                    .map(super::clusters::ClusterView::from)
                    .map(|c| {
                        json!({
                            "name": c.name,
                            "type": c.kind.slug(),
                            "version": c.version,
                            "env": c.env.slug(),
                            "endpoints": c.endpoints,
                            // By name only: what they hold stays sealed in the store.
                            "files": c.files.keys().collect::<Vec<_>>(),
                            "default_account": c.default_account,
                            "accounts": c.accounts,
                        })
                    })
                    .collect();
                out["clusters"] = Value::Array(by_name(clusters));
            }
        }
        if may(Op::ListComputeResources) {
            let compute: Vec<Value> = self
                .under::<crate::domain::compute::ComputeResource>(pre, T::Compute, ws)?
                .into_iter()
                .map(|c| {
                    json!({"name": c.name, "type": c.kind.slug(), "instance": c.instance, "env": c.env.slug()})
                })
                .collect();
            out["compute"] = Value::Array(by_name(compute));
        }
        if may(Op::ListDataSources) {
            let full = may(Op::UpdateDataSource);
            let mut found = Vec::new();
            for k in self.under_keys(pre, T::DsByWs, ws)? {
                if let Some(d) = self.store.get::<crate::domain::datasource::DataSource>(
                    T::DataSources,
                    last_part(&k).as_bytes(),
                )? {
                    found.push(super::resources::shown_to(d, full));
                }
            }
            let sources: Vec<Value> = found
                .into_iter()
                .filter(|d| d.from_compute.is_none())
                .map(|d| {
                    json!({
                        "name": d.name,
                        "type": d.kind.slug(),
                        "env": d.env.slug(),
                        "description": d.description,
                        "fields": d.fields,
                        "secrets": d.secret_names(),
                    })
                })
                .collect();
            out["data_sources"] = Value::Array(by_name(sources));
        }
        Ok(out)
    }
}
