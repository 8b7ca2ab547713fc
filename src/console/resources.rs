//! Resource groups, compute resources and data sources (seed 000, steps 2, 4 and 5).

use std::collections::BTreeMap;

use crate::authz::{Op, Target};
use crate::domain::compute::{ComputeResource, ComputeType};
use crate::domain::datasource::{ConnectionInput, DataSource, DataSourceType};
use crate::domain::job::JobKind;
use crate::domain::resource_group::{NewResourceGroup, Payment, ResourceGroup, RgEvent};
use crate::domain::{Env, Workspace, names};
use crate::store::{T, key, last_part, prefix};

use super::error::{ConsoleError, Result};
use super::{Console, Session, fail};

#[derive(Debug, Clone)]
pub struct NewCompute {
    pub name: String,
    pub kind: ComputeType,
    pub instance: String,
    pub env: Env,
}

/// A data source as a person enters it; secrets travel here in clear only until sealed.
#[derive(Debug, Clone)]
pub struct DataSourceInput {
    pub name: String,
    pub kind: DataSourceType,
    pub env: Env,
    pub description: String,
    pub connection: ConnectionInput,
}

/// The data source that binding a compute resource creates (seed 000).
pub(super) fn compute_data_source(c: &ComputeResource) -> DataSource {
    DataSource {
        workspace: c.workspace.clone(),
        name: c.name.clone(),
        kind: c.kind.data_source_type(),
        env: c.env,
        description: format!("created with compute resource {}", c.name),
        // The engine instance fills the type's first field (project, host or workspace id).
        fields: BTreeMap::from([(
            c.kind.data_source_type().fields()[0].name.to_owned(),
            c.instance.clone(),
        )]),
        secrets: BTreeMap::new(),
        from_compute: Some(c.name.clone()),
        tests: BTreeMap::new(),
        created_at: c.created_at,
        awaiting_secrets: Default::default(),
    }
}

/// A data source as its reader may see it: an AccessKey id in full only to those who may change
/// the data source, its last four characters to the rest.
pub(super) fn shown_to(mut d: DataSource, full: bool) -> DataSource {
    if !full && let Some(id) = d.fields.get_mut("access_key_id") {
        *id = crate::domain::alert::mask_key_id(id);
    }
    d
}

fn rg_label(name: &str) -> String {
    format!("resource group {name}")
}

impl Console {
    /// Names of the groups of `region` attached to a workspace.
    pub(super) fn groups_attached_to(&self, region: &str, ws: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for k in self.store.keys(T::RgByRegion, &prefix(region))? {
            let name = last_part(&k);
            if let Some(g) = self
                .store
                .get::<ResourceGroup>(T::ResourceGroups, name.as_bytes())?
                && g.attached.contains(ws)
            {
                out.push(name);
            }
        }
        Ok(out)
    }

    fn load_rg(&self, s: &Session, name: &str, op: Op) -> Result<ResourceGroup> {
        let label = rg_label(name);
        let target = Target::ResourceGroup {
            name,
            region: &s.region,
        };
        self.require(s, op, &target, &label)?;
        self.store
            .get::<ResourceGroup>(T::ResourceGroups, name.as_bytes())?
            .filter(|g| g.region == s.region)
            .ok_or(ConsoleError::NotFound(label))
    }

    /// The region's resource groups, for those allowed to list them.
    pub fn list_resource_groups(&self, s: &Session) -> Result<Vec<ResourceGroup>> {
        self.require(
            s,
            Op::ListResourceGroups,
            &Target::ResourceGroup {
                name: "*",
                region: &s.region,
            },
            "resource groups",
        )?;
        let keys: Vec<Vec<u8>> = self
            .store
            .keys(T::RgByRegion, &prefix(&s.region))?
            .iter()
            .map(|k| last_part(k).into_bytes())
            .collect();
        // Read together: one query on PostgreSQL.
        let found = self
            .store
            .get_sets(&[(T::ResourceGroups, &keys)])?
            .pop()
            .unwrap_or_default();
        Ok(
            crate::store::decode_set::<ResourceGroup>(T::ResourceGroups, &keys, found)?
                .into_iter()
                .flatten()
                .collect(),
        )
    }

    /// CU each of these groups (already read through the console) lends to model
    /// deployments: the usage column of the lists.
    pub fn usage_of(&self, s: &Session, groups: &[ResourceGroup]) -> Result<Vec<u32>> {
        let used = self.cu_in_use(&s.region)?;
        Ok(groups
            .iter()
            .map(|g| used.get(&g.name).copied().unwrap_or(0))
            .collect())
    }

    /// CU held per group in a region, whoever may see the deployments holding it.
    pub(crate) fn cu_in_use(&self, region: &str) -> Result<BTreeMap<String, u32>> {
        let mut used = BTreeMap::new();
        for m in self
            .store
            .scan::<crate::domain::model::ModelDeployment>(T::Models, b"")?
        {
            if m.region == region {
                *used.entry(m.resource_group.clone()).or_insert(0) += m.cu_held();
            }
        }
        Ok(used)
    }

    pub fn get_resource_group(&self, s: &Session, name: &str) -> Result<ResourceGroup> {
        self.load_rg(s, name, Op::GetResourceGroup)
    }

    /// The groups serving a workspace: every member may see them on the workspace's tab.
    pub fn workspace_resource_groups(&self, s: &Session, ws: &str) -> Result<Vec<ResourceGroup>> {
        self.ws_for(s, ws, Op::ListProjectResourceGroups)?;
        let mut out = Vec::new();
        for name in self.groups_attached_to(&s.region, ws)? {
            if let Some(g) = self.store.get(T::ResourceGroups, name.as_bytes())? {
                out.push(g);
            }
        }
        Ok(out)
    }

    /// Buys a Serverless resource group in the session's region. It returns at once in Creating;
    /// its job provisions it to Normal (or CreateFailed with the reason).
    pub fn create_resource_group(
        &self,
        s: &Session,
        input: NewResourceGroup,
    ) -> Result<ResourceGroup> {
        let label = rg_label(&input.name);
        let target = Target::ResourceGroup {
            name: &input.name,
            region: &s.region,
        };
        if input.prepaid_months.is_some() {
            // Buying a subscription: DataWorks and BSS both.
            self.require_purchase(
                s,
                (Op::CreateResourceGroup, &target),
                Op::CreateOrder,
                &label,
            )?;
        } else {
            self.require(s, Op::CreateResourceGroup, &target, &label)?;
        }
        let g = self.checked(
            s,
            Op::CreateResourceGroup,
            &label,
            ResourceGroup::create(input, &s.region, self.now()).map_err(Into::into),
        )?;
        self.change(s, Op::CreateResourceGroup, &label, |tx| {
            if tx.has(T::ResourceGroups, g.name.as_bytes())? {
                return fail(ConsoleError::Conflict(format!(
                    "resource group {} already exists",
                    g.name
                )));
            }
            tx.put(T::ResourceGroups, g.name.as_bytes(), &g)?;
            tx.mark(T::RgByRegion, &key(&[&g.region, &g.name]))?;
            self.start_job(tx, s, JobKind::CreateResourceGroup, &g.name)
                .map(|_| ())
        })?;
        Ok(g)
    }

    /// Changes a group; when `f` returns a job, the change only starts it.
    fn modify_rg(
        &self,
        s: &Session,
        name: &str,
        op: Op,
        f: impl Fn(&mut ResourceGroup) -> Result<Option<JobKind>>,
    ) -> Result<ResourceGroup> {
        self.modify_rg_with(s, name, op, f, |_| Ok(()))
    }

    /// `modify_rg`, with `guard` checking inside the transaction what the change relies on
    /// besides the group itself.
    fn modify_rg_with(
        &self,
        s: &Session,
        name: &str,
        op: Op,
        f: impl Fn(&mut ResourceGroup) -> Result<Option<JobKind>>,
        guard: impl Fn(&crate::store::Tx) -> crate::store::TxResult<(), ConsoleError>,
    ) -> Result<ResourceGroup> {
        let label = rg_label(name);
        let g = self.load_rg(s, name, op)?;
        // Checked first on the group as read, so a refusal is audited as failed...
        let mut preview = g.clone();
        self.checked(s, op, &label, f(&mut preview).map(drop))?;
        // ...and then applied to the group as the transaction sees it: a change another
        // session made meanwhile is built on, not lost, and re-checked.
        let changed = std::cell::RefCell::new(preview);
        self.change(s, op, &label, |tx| {
            guard(tx)?;
            let Some(mut now) = tx
                .get::<ResourceGroup, _>(T::ResourceGroups, name.as_bytes())?
                .filter(|now| now.region == g.region)
            else {
                return fail(ConsoleError::NotFound(label.clone()));
            };
            let job = match f(&mut now) {
                Ok(job) => job,
                Err(e) => return fail(e),
            };
            tx.put(T::ResourceGroups, name.as_bytes(), &now)?;
            if let Some(kind) = &job {
                self.start_job(tx, s, kind.clone(), name)?;
            }
            *changed.borrow_mut() = now;
            Ok(())
        })?;
        Ok(changed.into_inner())
    }

    /// Renewing or scaling a PrePaid group changes what is bought: the BSS half too.
    fn require_prepaid_purchase(&self, s: &Session, name: &str, bss: Op) -> Result<()> {
        let prepaid = self
            .store
            .get::<ResourceGroup>(T::ResourceGroups, name.as_bytes())?
            .filter(|g| g.region == s.region)
            .is_some_and(|g| matches!(g.payment, Payment::PrePaid { .. }));
        if !prepaid {
            return Ok(());
        }
        let target = Target::ResourceGroup {
            name,
            region: &s.region,
        };
        self.require_purchase(s, (Op::UpdateResourceGroup, &target), bss, &rg_label(name))
    }

    /// Attaches a group to a workspace of its region; the group must be Normal.
    pub fn attach_resource_group(
        &self,
        s: &Session,
        name: &str,
        ws: &str,
    ) -> Result<ResourceGroup> {
        let (w, _) = self.load_ws(s, ws)?;
        self.modify_rg_with(
            s,
            name,
            Op::AssociateProjectToResourceGroup,
            |g| {
                g.check_attach(&w)?;
                g.attached.insert(w.name.clone());
                Ok(None)
            },
            |tx| {
                super::workspaces::live_ws(tx, &w.name, &w.region)?;
                super::workspaces::note_group(tx, &w.name, name, true)
            },
        )
    }

    pub fn detach_resource_group(
        &self,
        s: &Session,
        name: &str,
        ws: &str,
    ) -> Result<ResourceGroup> {
        self.modify_rg_with(
            s,
            name,
            Op::DissociateProjectFromResourceGroup,
            |g| {
                if !g.attached.remove(ws) {
                    return Err(ConsoleError::NotFound(format!(
                        "{} is not attached to {ws}",
                        g.name
                    )));
                }
                Ok(None)
            },
            |tx| {
                if tx.has(T::WsStats, ws.as_bytes())? {
                    super::workspaces::note_group(tx, ws, name, false)?;
                }
                Ok(())
            },
        )
    }

    /// Starts scaling a group to `spec` CU: Updating until its job ends.
    pub fn scale_resource_group(
        &self,
        s: &Session,
        name: &str,
        spec: u32,
    ) -> Result<ResourceGroup> {
        self.require_prepaid_purchase(s, name, Op::ModifyInstance)?;
        let used = self.cu_in_use(&s.region)?.get(name).copied().unwrap_or(0);
        self.modify_rg(s, name, Op::UpdateResourceGroup, |g| {
            if spec < used {
                return Err(ConsoleError::invalid(
                    "spec",
                    format!(
                        "{name} lends {used} CU to model deployments; scale to at least {used} CU or remove deployments first"
                    ),
                ));
            }
            g.start_scale(spec)?;
            Ok(Some(JobKind::ScaleResourceGroup { to_cu: spec }))
        })
    }

    pub fn renew_resource_group(
        &self,
        s: &Session,
        name: &str,
        months: u32,
    ) -> Result<ResourceGroup> {
        self.require_prepaid_purchase(s, name, Op::RenewInstance)?;
        let now = self.now();
        self.modify_rg(s, name, Op::UpdateResourceGroup, |g| {
            let expires_at = g.renewed_expiry(months, now)?;
            g.apply(RgEvent::StartUpdate)?;
            Ok(Some(JobKind::RenewResourceGroup { expires_at }))
        })
    }

    /// The upper limit of concurrently scheduled instances (at most one per CU, at least 5).
    pub fn set_concurrency(&self, s: &Session, name: &str, limit: u32) -> Result<ResourceGroup> {
        self.modify_rg(s, name, Op::UpdateResourceGroup, |g| {
            g.set_concurrency(limit)?;
            Ok(None)
        })
    }

    /// Sets one purpose's quota (guaranteed and most CU), or clears it with `None`.
    pub fn set_quota(
        &self,
        s: &Session,
        name: &str,
        purpose: crate::domain::resource_group::Purpose,
        quota: Option<crate::domain::resource_group::Quota>,
    ) -> Result<ResourceGroup> {
        self.modify_rg(s, name, Op::UpdateResourceGroup, |g| {
            g.set_quota(purpose, quota)?;
            Ok(None)
        })
    }

    /// PostPaid → PrePaid for `months`: a purchase, so DataWorks and BSS both.
    pub fn convert_to_prepaid(
        &self,
        s: &Session,
        name: &str,
        months: u32,
    ) -> Result<ResourceGroup> {
        let target = Target::ResourceGroup {
            name,
            region: &s.region,
        };
        self.require_purchase(
            s,
            (Op::UpdateResourceGroup, &target),
            Op::CreateOrder,
            &rg_label(name),
        )?;
        let now = self.now();
        // The subscription's end is known now; the clock is told in the same transaction.
        let mut after = self.get_resource_group(s, name)?;
        self.checked(
            s,
            Op::UpdateResourceGroup,
            &rg_label(name),
            after.to_prepaid(months, now).map_err(Into::into),
        )?;
        self.modify_rg_with(
            s,
            name,
            Op::UpdateResourceGroup,
            |g| {
                g.to_prepaid(months, now)?;
                Ok(None)
            },
            |tx| super::jobs::arm_expiry(tx, &after),
        )
    }

    /// PrePaid → PostPaid when the subscription ends (`on` false takes that back); the
    /// vendor's console converts at expiry, not before.
    pub fn convert_to_postpaid(&self, s: &Session, name: &str, on: bool) -> Result<ResourceGroup> {
        self.modify_rg(s, name, Op::UpdateResourceGroup, |g| {
            g.to_postpaid_at_expiry(on)?;
            Ok(None)
        })
    }

    pub fn set_auto_renew(&self, s: &Session, name: &str, on: bool) -> Result<ResourceGroup> {
        self.modify_rg(s, name, Op::UpdateResourceGroup, |g| match &mut g.payment {
            Payment::PrePaid { auto_renew, .. } => {
                *auto_renew = on;
                // Renewing by itself and turning PostPaid at the end exclude each other.
                if on {
                    g.postpaid_at_expiry = false;
                }
                Ok(None)
            }
            Payment::PostPaid => Err(ConsoleError::invalid(
                "auto_renew",
                "a PostPaid resource group does not renew",
            )),
        })
    }

    /// Starts deleting a group: Deleting until its job releases it (detaching it from its
    /// workspaces), or DeleteFailed if model deployments still use it.
    pub fn delete_resource_group(&self, s: &Session, name: &str) -> Result<ResourceGroup> {
        self.modify_rg(s, name, Op::DeleteResourceGroup, |g| {
            g.apply(RgEvent::StartDelete)?;
            Ok(Some(JobKind::DeleteResourceGroup))
        })
    }

    // ----- compute -----

    pub fn list_compute(&self, s: &Session, ws: &str) -> Result<Vec<ComputeResource>> {
        self.ws_for(s, ws, Op::ListComputeResources)?;
        Ok(self.store.scan(T::Compute, &prefix(ws))?)
    }

    /// Binds a compute resource and creates its data source of the same name (seed 000).
    pub fn attach_compute(
        &self,
        s: &Session,
        ws: &str,
        input: NewCompute,
    ) -> Result<ComputeResource> {
        let label = format!("compute {} in {ws}", input.name);
        let w = self.ws_for(s, ws, Op::CreateComputeResource)?;
        let now = self.now();
        let c = self.checked(
            s,
            Op::CreateComputeResource,
            &label,
            ComputeResource::bind(&w, &input.name, input.kind, &input.instance, input.env, now)
                .map_err(Into::into),
        )?;
        let ds = DataSource {
            workspace: ws.to_owned(),
            name: c.name.clone(),
            kind: c.kind.data_source_type(),
            env: c.env,
            description: format!("created with compute resource {}", c.name),
            // The engine instance fills the type's first field (project, host or workspace id).
            fields: BTreeMap::from([(
                c.kind.data_source_type().fields()[0].name.to_owned(),
                c.instance.clone(),
            )]),
            secrets: BTreeMap::new(),
            from_compute: Some(c.name.clone()),
            tests: BTreeMap::new(),
            created_at: now,
            awaiting_secrets: Default::default(),
        };
        self.change(s, Op::CreateComputeResource, &label, |tx| {
            super::workspaces::live_ws(tx, ws, &w.region)?;
            if tx.has(T::Compute, &key(&[ws, &c.name]))? {
                return fail(ConsoleError::Conflict(format!("compute resource {} already exists in {ws}", c.name)));
            }
            if tx.has(T::DataSources, c.name.as_bytes())? {
                return fail(ConsoleError::Conflict(format!("a data source named {} already exists; data source names are unique in the tenant", c.name)));
            }
            tx.put(T::Compute, &key(&[ws, &c.name]), &c)?;
            tx.put(T::DataSources, c.name.as_bytes(), &ds)?;
            tx.mark(T::DsByWs, &key(&[ws, &c.name]))
        })?;
        Ok(c)
    }

    /// Unbinds a compute resource and removes the data source it created.
    pub fn detach_compute(&self, s: &Session, ws: &str, name: &str) -> Result<()> {
        let label = format!("compute {name} in {ws}");
        self.ws_for(s, ws, Op::DeleteComputeResource)?;
        self.change(s, Op::DeleteComputeResource, &label, |tx| {
            if !tx.has(T::Compute, &key(&[ws, name]))? {
                return fail(ConsoleError::NotFound(label.clone()));
            }
            tx.del(T::Compute, &key(&[ws, name]))?;
            if let Some(ds) = tx.get::<DataSource, _>(T::DataSources, name.as_bytes())?
                && ds.from_compute.as_deref() == Some(name)
                && ds.workspace == ws
            {
                tx.del(T::DataSources, name.as_bytes())?;
                tx.del(T::DsByWs, &key(&[ws, name]))?;
            }
            Ok(())
        })
    }

    // ----- data sources -----

    pub fn list_data_sources(&self, s: &Session, ws: &str) -> Result<Vec<DataSource>> {
        self.ws_for(s, ws, Op::ListDataSources)?;
        let full = self.can_workspace(s, Op::UpdateDataSource, ws)?.allowed;
        let mut out = Vec::new();
        for k in self.store.keys(T::DsByWs, &prefix(ws))? {
            if let Some(d) = self.store.get(T::DataSources, last_part(&k).as_bytes())? {
                out.push(shown_to(d, full));
            }
        }
        Ok(out)
    }

    pub fn get_data_source(&self, s: &Session, ws: &str, name: &str) -> Result<DataSource> {
        self.ws_for(s, ws, Op::GetDataSource)?;
        let full = self.can_workspace(s, Op::UpdateDataSource, ws)?.allowed;
        self.store
            .get::<DataSource>(T::DataSources, name.as_bytes())?
            .filter(|d| d.workspace == ws)
            .map(|d| shown_to(d, full))
            .ok_or_else(|| ConsoleError::NotFound(format!("data source {name} in {ws}")))
    }

    pub(super) fn sealed(&self, connection: &ConnectionInput) -> BTreeMap<String, Vec<u8>> {
        connection
            .secrets
            .iter()
            .map(|(k, v)| (k.clone(), self.vault.seal(v)))
            .collect()
    }

    pub fn create_data_source(
        &self,
        s: &Session,
        ws: &str,
        input: DataSourceInput,
    ) -> Result<DataSource> {
        self.create_data_source_awaiting(s, ws, input, &[])
    }

    /// Creates a data source whose secret fields `awaiting` are known by name only (a restore
    /// from an export): it is made without their values, shown as not set, and tests fail to
    /// log on until `dwc ds update … --password-stdin` sets them.
    pub(super) fn create_data_source_awaiting(
        &self,
        s: &Session,
        ws: &str,
        input: DataSourceInput,
        awaiting: &[&str],
    ) -> Result<DataSource> {
        let label = format!("data source {} in {ws}", input.name);
        let w: Workspace = self.ws_for(s, ws, Op::CreateDataSource)?;
        let check = (|| {
            names::data_source_name(&input.name)?;
            names::text_block("description", &input.description, 512)?;
            w.mode.check_env("env", input.env)?;
            input.connection.validate(input.kind, awaiting)?;
            Ok::<_, crate::domain::DomainError>(())
        })();
        self.checked(s, Op::CreateDataSource, &label, check.map_err(Into::into))?;
        let ds = DataSource {
            workspace: ws.to_owned(),
            name: input.name.clone(),
            kind: input.kind,
            env: input.env,
            description: input.description.clone(),
            fields: input.connection.fields.clone(),
            secrets: self.sealed(&input.connection),
            from_compute: None,
            tests: BTreeMap::new(),
            created_at: self.now(),
            awaiting_secrets: awaiting
                .iter()
                .filter(|n| !input.connection.secrets.contains_key(**n))
                .map(|n| n.to_string())
                .collect(),
        };
        self.change(s, Op::CreateDataSource, &label, |tx| {
            super::workspaces::live_ws(tx, ws, &w.region)?;
            if tx.has(T::DataSources, ds.name.as_bytes())? {
                return fail(ConsoleError::Conflict(format!("a data source named {} already exists; data source names are unique in the tenant", ds.name)));
            }
            tx.put(T::DataSources, ds.name.as_bytes(), &ds)?;
            tx.mark(T::DsByWs, &key(&[ws, &ds.name]))
        })?;
        Ok(ds)
    }

    /// Changes connection fields, secrets (re-entered), description or environment. Secrets left
    /// out keep their stored value.
    pub fn update_data_source(
        &self,
        s: &Session,
        ws: &str,
        name: &str,
        connection: ConnectionInput,
        description: Option<String>,
        env: Option<Env>,
    ) -> Result<DataSource> {
        let label = format!("data source {name} in {ws}");
        let w: Workspace = self.ws_for(s, ws, Op::UpdateDataSource)?;
        let before: DataSource = self
            .store
            .get::<DataSource>(T::DataSources, name.as_bytes())?
            .filter(|d| d.workspace == ws)
            .ok_or_else(|| ConsoleError::NotFound(label.clone()))?;
        let mut after = before.clone();
        let check = (|| {
            let mut merged = ConnectionInput {
                fields: before.fields.clone(),
                secrets: connection.secrets.clone(),
            };
            merged.fields.extend(connection.fields.clone());
            if before.from_compute.is_none() {
                merged.validate(before.kind, &before.secret_names())?;
            }
            if let Some(d) = &description {
                names::text_block("description", d, 512)?;
            }
            if let Some(e) = env {
                w.mode.check_env("env", e)?;
            }
            Ok::<_, crate::domain::DomainError>(merged)
        })();
        let merged = self.checked(s, Op::UpdateDataSource, &label, check.map_err(Into::into))?;
        after.fields = merged.fields;
        after.secrets.extend(self.sealed(&connection));
        // A secret given now is no longer awaited.
        after
            .awaiting_secrets
            .retain(|n| !connection.secrets.contains_key(n));
        if let Some(d) = description {
            after.description = d;
        }
        if let Some(e) = env {
            after.env = e;
        }
        // Changed connection settings make earlier test results stale.
        after.tests.clear();
        self.change(s, Op::UpdateDataSource, &label, |tx| {
            if tx
                .get::<DataSource, _>(T::DataSources, name.as_bytes())?
                .as_ref()
                != Some(&before)
            {
                return fail(ConsoleError::Conflict(format!(
                    "{label} changed meanwhile; try again"
                )));
            }
            tx.put(T::DataSources, name.as_bytes(), &after)
        })?;
        Ok(after)
    }

    pub fn delete_data_source(&self, s: &Session, ws: &str, name: &str) -> Result<()> {
        let label = format!("data source {name} in {ws}");
        self.ws_for(s, ws, Op::DeleteDataSource)?;
        self.change(s, Op::DeleteDataSource, &label, |tx| {
            let Some(ds) = tx
                .get::<DataSource, _>(T::DataSources, name.as_bytes())?
                .filter(|d| d.workspace == ws)
            else {
                return fail(ConsoleError::NotFound(label.clone()));
            };
            if let Some(c) = &ds.from_compute {
                return fail(ConsoleError::Conflict(format!(
                    "{name} belongs to compute resource {c}; detach the compute resource instead"
                )));
            }
            tx.del(T::DataSources, name.as_bytes())?;
            tx.del(T::DsByWs, &key(&[ws, name]))
        })
    }
}
