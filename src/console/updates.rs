//! Changing named records in place: a user's display name, a policy's document, the levels of a
//! custom role or tenant role, an alert contact's addresses, an extension's events. `dwc apply`
//! uses them to bring a record to what its file says without deleting and re-creating it.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::authz::{Op, Policy, Target};
use crate::domain::alert::AlertContact;
use crate::domain::extension::{Extension, ExtensionEvent};
use crate::domain::module::{GlobalLevels, ModuleLevels};
use crate::domain::role::CustomRole;
use crate::domain::tenant_role::CustomTenantRole;
use crate::domain::{names, principal::RamUser};
use crate::store::{T, key};

use super::error::{ConsoleError, Result};
use super::records::{PolicyRecord, UserRecord};
use super::{Console, Session, fail};

impl Console {
    /// Replaces the record at `tree`/`k` with what `f` makes of it, in one transaction that
    /// refuses if someone changed it meanwhile. The caller has authorized `op`.
    pub(super) fn update_record<V>(
        &self,
        s: &Session,
        op: Op,
        label: &str,
        tree: T,
        k: &[u8],
        f: impl FnOnce(&mut V) -> Result<()>,
    ) -> Result<V>
    where
        V: Serialize + DeserializeOwned + PartialEq + Clone,
    {
        let before: V = self
            .store
            .get(tree, k)?
            .ok_or_else(|| ConsoleError::NotFound(label.to_owned()))?;
        let mut after = before.clone();
        self.checked(s, op, label, f(&mut after))?;
        self.change(s, op, label, |tx| {
            if tx.get::<V, _>(tree, k)?.as_ref() != Some(&before) {
                return fail(ConsoleError::Conflict(format!(
                    "{label} changed meanwhile; try again"
                )));
            }
            tx.put(tree, k, &after)
        })?;
        Ok(after)
    }

    pub fn update_user(&self, s: &Session, name: &str, display_name: &str) -> Result<RamUser> {
        let label = format!("user {name}");
        self.require(s, Op::UpdateUser, &Target::RamUser(name), &label)?;
        let rec: UserRecord = self.update_record(
            s,
            Op::UpdateUser,
            &label,
            T::Users,
            name.as_bytes(),
            |u: &mut UserRecord| {
                names::text_line("display_name", display_name, 1, 64)?;
                u.user.display_name = display_name.to_owned();
                Ok(())
            },
        )?;
        Ok(rec.user)
    }

    /// Gives a custom policy a new document and description (RAM's CreatePolicyVersion, set as
    /// the default version).
    pub fn update_policy(
        &self,
        s: &Session,
        name: &str,
        description: &str,
        document: &str,
    ) -> Result<()> {
        let label = format!("policy {name}");
        let op = Op::CreatePolicyVersion;
        let now = self.now();
        self.require(s, op, &Target::RamPolicy(name), &label)?;
        self.not_system_policy(s, op, name, "changed")?;
        self.update_record(
            s,
            op,
            &label,
            T::Policies,
            name.as_bytes(),
            |p: &mut PolicyRecord| {
                names::text_line("description", description, 0, 256)?;
                Policy::parse(document).map_err(super::identity::policy_invalid)?;
                p.description = description.to_owned();
                // A new default version, as RAM keeps them; the oldest other one makes room.
                if p.document != document {
                    p.add_version(document, now, true, true)
                        .map_err(ConsoleError::Conflict)?;
                }
                Ok(())
            },
        )?;
        self.forget_policy(name);
        Ok(())
    }

    /// New levels and compute-role mapping for a workspace's custom role.
    pub fn update_role(
        &self,
        s: &Session,
        ws: &str,
        name: &str,
        levels: ModuleLevels,
        compute_role: Option<&str>,
    ) -> Result<()> {
        let label = format!("role {name} in {ws}");
        self.ws_for(s, ws, Op::UpdateProjectRole)?;
        let k = key(&[ws, name]);
        self.update_record(s, Op::UpdateProjectRole, &label, T::Roles, &k, |r| {
            *r = CustomRole::new(name, levels, compute_role)?;
            Ok(())
        })?;
        Ok(())
    }

    pub fn update_tenant_role(&self, s: &Session, name: &str, levels: GlobalLevels) -> Result<()> {
        let label = format!("tenant role {name}");
        self.require(s, Op::UpdateTenantRole, &Target::Tenant, &label)?;
        let k = name.as_bytes();
        self.update_record(s, Op::UpdateTenantRole, &label, T::TenantRoles, k, |r| {
            *r = CustomTenantRole::new(name, levels)?;
            Ok(())
        })?;
        Ok(())
    }

    pub fn update_contact(
        &self,
        s: &Session,
        name: &str,
        phone: Option<&str>,
        email: Option<&str>,
        webhook: Option<&str>,
    ) -> Result<AlertContact> {
        let label = format!("alert contact {name}");
        self.require(s, Op::UpdateAlertContact, &Target::Tenant, &label)?;
        let k = name.as_bytes();
        self.update_record(s, Op::UpdateAlertContact, &label, T::Contacts, k, |c| {
            *c = AlertContact::new(name, phone, email, webhook)?;
            Ok(())
        })
    }

    /// A new description and event list; where the extension is enabled stays as it is.
    pub fn update_extension(
        &self,
        s: &Session,
        name: &str,
        description: &str,
        events: &[ExtensionEvent],
    ) -> Result<Extension> {
        let label = format!("extension {name}");
        self.require(s, Op::UpdateExtension, &Target::Tenant, &label)?;
        let k = name.as_bytes();
        self.update_record(
            s,
            Op::UpdateExtension,
            &label,
            T::Extensions,
            k,
            |e: &mut Extension| {
                let fresh = Extension::new(name, description, events, e.created_at)?;
                e.description = fresh.description;
                e.events = fresh.events;
                Ok(())
            },
        )
    }
}
