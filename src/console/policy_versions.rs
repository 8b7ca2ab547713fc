//! Policy versions, as RAM keeps them (DESIGN §4): up to five per custom policy, one the
//! default (the one that decides); a change makes a version, a rollback sets an older one as
//! default. Every change is audited.

use serde::Serialize;

use crate::authz::{Op, Policy, Target, system};
use crate::domain::Timestamp;
use crate::store::T;

use super::error::{ConsoleError, Result};
use super::records::{PolicyRecord, PolicyVersion};
use super::{Console, Session};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyVersionView {
    pub id: String,
    pub default: bool,
    pub created_at: Option<Timestamp>,
    pub document: String,
}

fn view(rec: &PolicyRecord, v: PolicyVersion) -> PolicyVersionView {
    PolicyVersionView {
        default: v.id == rec.default_id(),
        id: v.id,
        created_at: v.created_at,
        document: v.document,
    }
}

impl Console {
    fn custom_policy(&self, name: &str) -> Result<PolicyRecord> {
        if system::is_system(name) {
            return Err(ConsoleError::Conflict(format!(
                "{name} is a system policy: it has RAM's one version and is not changed here"
            )));
        }
        self.store
            .get(T::Policies, name.as_bytes())?
            .ok_or_else(|| ConsoleError::NotFound(format!("policy {name}")))
    }

    pub fn list_policy_versions(&self, s: &Session, name: &str) -> Result<Vec<PolicyVersionView>> {
        let label = format!("policy {name}");
        self.require(s, Op::ListPolicyVersions, &Target::RamPolicy(name), &label)?;
        let rec = self.custom_policy(name)?;
        Ok(rec
            .all_versions()
            .into_iter()
            .map(|v| view(&rec, v))
            .collect())
    }

    pub fn get_policy_version(
        &self,
        s: &Session,
        name: &str,
        id: &str,
    ) -> Result<PolicyVersionView> {
        let label = format!("policy {name} version {id}");
        self.require(s, Op::GetPolicyVersion, &Target::RamPolicy(name), &label)?;
        let rec = self.custom_policy(name)?;
        rec.all_versions()
            .into_iter()
            .find(|v| v.id == id)
            .map(|v| view(&rec, v))
            .ok_or_else(|| ConsoleError::NotFound(format!("version {id} of policy {name}")))
    }

    /// Adds a version; with `set_default` it decides from now on. Five kept versions refuse a
    /// sixth. Returns the new id and the actions that match no operation.
    pub fn create_policy_version(
        &self,
        s: &Session,
        name: &str,
        document: &str,
        set_default: bool,
    ) -> Result<(String, Vec<String>)> {
        let label = format!("policy {name}");
        let op = Op::CreatePolicyVersion;
        self.require(s, op, &Target::RamPolicy(name), &label)?;
        let parsed = self.checked(
            s,
            op,
            &label,
            self.custom_policy(name)
                .and_then(|_| Policy::parse(document).map_err(super::identity::policy_invalid)),
        )?;
        let now = self.now();
        let mut id = String::new();
        self.update_record(
            s,
            op,
            &label,
            T::Policies,
            name.as_bytes(),
            |p: &mut PolicyRecord| {
                id = p
                    .add_version(document, now, set_default, false)
                    .map_err(ConsoleError::Conflict)?;
                Ok(())
            },
        )?;
        self.forget_policy(name);
        Ok((id, parsed.unmatched_actions()))
    }

    /// Makes `id` the default version: a rollback when it is an older one.
    pub fn set_default_policy_version(&self, s: &Session, name: &str, id: &str) -> Result<()> {
        self.change_version(s, Op::SetDefaultPolicyVersion, name, id, |p| {
            let versions = p.all_versions();
            let v = versions
                .iter()
                .find(|v| v.id == id)
                .ok_or_else(|| ConsoleError::NotFound(format!("version {id} of policy {name}")))?;
            p.document = v.document.clone();
            p.versions = versions.clone();
            p.default_version = Some(id.to_owned());
            Ok(())
        })?;
        self.forget_policy(name);
        Ok(())
    }

    /// Deletes a version that is not the default.
    pub fn delete_policy_version(&self, s: &Session, name: &str, id: &str) -> Result<()> {
        self.change_version(s, Op::DeletePolicyVersion, name, id, |p| {
            if p.default_id() == id {
                return Err(ConsoleError::Conflict(format!(
                    "{id} is the default version of {name}: set another as default first"
                )));
            }
            let mut versions = p.all_versions();
            let before = versions.len();
            versions.retain(|v| v.id != id);
            if versions.len() == before {
                return Err(ConsoleError::NotFound(format!(
                    "version {id} of policy {name}"
                )));
            }
            p.versions = versions;
            Ok(())
        })
    }

    /// One change to a custom policy's versions: authorized, checked, applied to the record
    /// as its transaction reads it, audited.
    fn change_version(
        &self,
        s: &Session,
        op: Op,
        name: &str,
        id: &str,
        f: impl FnOnce(&mut PolicyRecord) -> Result<()>,
    ) -> Result<()> {
        let label = format!("policy {name} version {id}");
        self.require(s, op, &Target::RamPolicy(name), &label)?;
        self.checked(s, op, &label, self.custom_policy(name).map(drop))?;
        self.update_record(s, op, &label, T::Policies, name.as_bytes(), f)?;
        Ok(())
    }
}
