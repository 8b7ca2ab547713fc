//! Cluster management (seed 000): a workspace that does not use the new Data Studio registers
//! its self-built CDH, CDP or EMR clusters, keeps their authentication files (sealed, never
//! shown again) and maps its members to cluster accounts. Authorized like compute.

use std::collections::BTreeMap;

use crate::authz::Op;
use crate::domain::cluster::{self, Cluster, ClusterFile, ClusterType};
use crate::domain::workspace::Env;
use crate::domain::{Workspace, names};
use crate::store::{T, key, prefix};

use super::error::{ConsoleError, Result};
use super::{Console, Session, fail};

/// What registering a cluster takes.
#[derive(Debug, Clone)]
pub struct NewCluster {
    pub name: String,
    pub kind: ClusterType,
    pub version: String,
    pub env: Env,
    pub endpoints: BTreeMap<String, String>,
}

/// Who a mapping is for: every member without their own, or one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapFor<'a> {
    Default,
    Member(&'a str),
}

/// A cluster as shown: its files by name and size only.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClusterView {
    pub workspace: String,
    pub name: String,
    pub kind: ClusterType,
    pub version: String,
    pub env: Env,
    pub endpoints: BTreeMap<String, String>,
    pub files: BTreeMap<String, usize>,
    pub default_account: Option<String>,
    pub accounts: BTreeMap<String, String>,
}

impl From<Cluster> for ClusterView {
    fn from(c: Cluster) -> ClusterView {
        ClusterView {
            workspace: c.workspace,
            name: c.name,
            kind: c.kind,
            version: c.version,
            env: c.env,
            endpoints: c.endpoints,
            files: c.files.into_iter().map(|(n, f)| (n, f.size)).collect(),
            default_account: c.default_account,
            accounts: c.accounts,
        }
    }
}

fn label(ws: &str, name: &str) -> String {
    format!("cluster {name} in {ws}")
}

/// Only a workspace on the old Data Studio manages clusters here.
fn legacy(ws: &Workspace) -> Result<()> {
    if ws.legacy_data_studio {
        Ok(())
    } else {
        Err(ConsoleError::Unavailable(format!(
            "workspace {} uses the new Data Studio: cluster management is for workspaces that do not",
            ws.name
        )))
    }
}

impl Console {
    pub fn list_clusters(&self, s: &Session, ws: &str) -> Result<Vec<ClusterView>> {
        let w = self.ws_for(s, ws, Op::ListClusters)?;
        legacy(&w)?;
        Ok(self
            .store
            .scan::<Cluster>(T::Clusters, &prefix(ws))?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    pub fn get_cluster(&self, s: &Session, ws: &str, name: &str) -> Result<ClusterView> {
        let w = self.ws_for(s, ws, Op::ListClusters)?;
        legacy(&w)?;
        self.store
            .get::<Cluster>(T::Clusters, &key(&[ws, name]))?
            .map(Into::into)
            .ok_or_else(|| ConsoleError::NotFound(label(ws, name)))
    }

    pub fn register_cluster(&self, s: &Session, ws: &str, input: NewCluster) -> Result<()> {
        let l = label(ws, &input.name);
        let w = self.ws_for(s, ws, Op::CreateCluster)?;
        let checked = legacy(&w).and_then(|_| {
            names::compute_name(&input.name)?;
            cluster::check_version(&input.version)?;
            w.mode.check_env("env", input.env)?;
            for (k, v) in &input.endpoints {
                cluster::check_endpoint(k, v)?;
            }
            Ok(())
        });
        self.checked(s, Op::CreateCluster, &l, checked)?;
        let c = Cluster {
            workspace: ws.to_owned(),
            name: input.name.clone(),
            kind: input.kind,
            version: input.version,
            env: input.env,
            endpoints: input.endpoints,
            files: BTreeMap::new(),
            default_account: None,
            accounts: BTreeMap::new(),
            created_at: self.now(),
        };
        let k = key(&[ws, &input.name]);
        self.change(s, Op::CreateCluster, &l, |tx| {
            super::workspaces::live_ws(tx, ws, &w.region)?;
            if tx.has(T::Clusters, &k)? {
                return fail(ConsoleError::Conflict(format!("{l} exists already")));
            }
            tx.put(T::Clusters, &k, &c)
        })
    }

    /// Changes a cluster inside one transaction, `f` deciding on it as the transaction reads it.
    fn modify_cluster(
        &self,
        s: &Session,
        ws: &str,
        name: &str,
        op: Op,
        f: impl Fn(&mut Cluster) -> Result<()>,
    ) -> Result<()> {
        let l = label(ws, name);
        let w = self.ws_for(s, ws, op)?;
        self.checked(s, op, &l, legacy(&w))?;
        let k = key(&[ws, name]);
        let before = self
            .store
            .get::<Cluster>(T::Clusters, &k)?
            .ok_or_else(|| ConsoleError::NotFound(l.clone()))?;
        // Checked on the record as read, so a refusal is audited as failed...
        self.checked(s, op, &l, f(&mut before.clone()))?;
        // ...and applied to the record as the transaction sees it.
        self.change(s, op, &l, |tx| {
            super::workspaces::live_ws(tx, ws, &w.region)?;
            let Some(mut c) = tx.get::<Cluster, _>(T::Clusters, &k)? else {
                return fail(ConsoleError::NotFound(l.clone()));
            };
            if let Err(e) = f(&mut c) {
                return fail(e);
            }
            tx.put(T::Clusters, &k, &c)
        })
    }

    /// A new version and endpoints to set (an empty value removes an endpoint).
    pub fn update_cluster(
        &self,
        s: &Session,
        ws: &str,
        name: &str,
        version: Option<&str>,
        endpoints: &BTreeMap<String, String>,
    ) -> Result<()> {
        self.modify_cluster(s, ws, name, Op::UpdateCluster, |c| {
            if let Some(v) = version {
                cluster::check_version(v)?;
                c.version = v.to_owned();
            }
            for (k, v) in endpoints {
                if v.is_empty() {
                    c.endpoints.remove(k);
                } else {
                    cluster::check_endpoint(k, v)?;
                    c.endpoints.insert(k.clone(), v.clone());
                }
            }
            Ok(())
        })
    }

    pub fn deregister_cluster(&self, s: &Session, ws: &str, name: &str) -> Result<()> {
        let l = label(ws, name);
        let w = self.ws_for(s, ws, Op::DeleteCluster)?;
        self.checked(s, Op::DeleteCluster, &l, legacy(&w))?;
        let k = key(&[ws, name]);
        self.change(s, Op::DeleteCluster, &l, |tx| {
            if !tx.has(T::Clusters, &k)? {
                return fail(ConsoleError::NotFound(l.clone()));
            }
            tx.del(T::Clusters, &k)
        })
    }

    /// Keeps an authentication file (a keytab, krb5.conf, core-site.xml…), sealed.
    pub fn add_cluster_file(
        &self,
        s: &Session,
        ws: &str,
        name: &str,
        file: &str,
        content: &[u8],
    ) -> Result<()> {
        let sealed = self.vault.seal_bytes(content);
        let now = self.now();
        self.modify_cluster(s, ws, name, Op::UpdateCluster, |c| {
            cluster::check_file_name(file)?;
            if content.is_empty() || content.len() > cluster::MAX_FILE {
                return Err(ConsoleError::invalid(
                    "file",
                    format!("must hold 1 byte to {} KiB", cluster::MAX_FILE / 1024),
                ));
            }
            c.files.insert(
                file.to_owned(),
                ClusterFile {
                    size: content.len(),
                    sealed: sealed.clone(),
                    added_at: now,
                },
            );
            Ok(())
        })
    }

    pub fn remove_cluster_file(&self, s: &Session, ws: &str, name: &str, file: &str) -> Result<()> {
        self.modify_cluster(s, ws, name, Op::UpdateCluster, |c| {
            c.files
                .remove(file)
                .map(drop)
                .ok_or_else(|| ConsoleError::NotFound(format!("file {file} of cluster {name}")))
        })
    }

    /// Maps a member (or, by default, every member without their own) to a cluster account.
    pub fn set_cluster_account(
        &self,
        s: &Session,
        ws: &str,
        name: &str,
        who: MapFor<'_>,
        account: &str,
    ) -> Result<()> {
        let member = match who {
            MapFor::Member(u) => {
                Some(self.is_member(ws, u)?.then_some(u).ok_or_else(|| {
                    ConsoleError::NotFound(format!("{u} is not a member of {ws}"))
                })?)
            }
            MapFor::Default => None,
        };
        self.modify_cluster(s, ws, name, Op::UpdateCluster, |c| {
            cluster::check_account(account)?;
            match member {
                Some(u) => {
                    c.accounts.insert(u.to_owned(), account.to_owned());
                }
                None => c.default_account = Some(account.to_owned()),
            }
            Ok(())
        })
    }

    pub fn remove_cluster_account(
        &self,
        s: &Session,
        ws: &str,
        name: &str,
        who: MapFor<'_>,
    ) -> Result<()> {
        self.modify_cluster(s, ws, name, Op::UpdateCluster, |c| {
            let had = match who {
                MapFor::Member(u) => c.accounts.remove(u).is_some(),
                MapFor::Default => c.default_account.take().is_some(),
            };
            if had {
                Ok(())
            } else {
                Err(ConsoleError::NotFound(format!(
                    "no such account mapping on cluster {name}"
                )))
            }
        })
    }

    fn is_member(&self, ws: &str, user: &str) -> Result<bool> {
        Ok(user == self.tenant().account || self.store.has(T::Members, &key(&[ws, user]))?)
    }

    /// Clusters whose members lack an account to work as, for the advisor: (cluster, members).
    pub(super) fn unmapped_members(&self, ws: &str) -> Result<Vec<(String, Vec<String>)>> {
        let members: Vec<String> = self
            .store
            .keys(T::Members, &prefix(ws))?
            .iter()
            .map(|k| crate::store::last_part(k))
            .collect();
        Ok(self
            .store
            .scan::<Cluster>(T::Clusters, &prefix(ws))?
            .into_iter()
            .filter_map(|c| {
                let missing = c.unmapped(members.iter());
                (!missing.is_empty()).then(|| (c.name.clone(), missing))
            })
            .collect())
    }
}
