//! The Management Center: alert contacts and limits, tenant members and roles, extensions.

use serde::{Deserialize, Serialize};

use crate::authz::{Op, Target};
use crate::domain::alert::{AlertContact, AlertLimits, Channel, ChannelUsage};
use crate::domain::extension::{Extension, ExtensionEvent};
use crate::domain::module::GlobalLevels;
use crate::domain::tenant_role::{BuiltinTenantRole, CustomTenantRole, TenantRoleRef};

use crate::store::T;

use super::error::{ConsoleError, Result};
use super::records::{TenantMemberRecord, UserRecord};
use super::{Console, Session, fail};

const LIMITS_KEY: &[u8] = b"alert_limits";
const USAGE_KEY: &[u8] = b"alert_usage";

/// Sending counters of every channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertUsage {
    pub sms: ChannelUsage,
    pub phone: ChannelUsage,
    pub email: ChannelUsage,
    pub webhook: ChannelUsage,
}

impl AlertUsage {
    pub fn get(&self, ch: Channel) -> &ChannelUsage {
        match ch {
            Channel::Sms => &self.sms,
            Channel::Phone => &self.phone,
            Channel::Email => &self.email,
            Channel::Webhook => &self.webhook,
        }
    }
}

/// A tenant member as the Management Center lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenantMemberView {
    pub user: String,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenantRoleView {
    pub name: String,
    pub builtin: bool,
    pub levels: Vec<(String, String)>,
}

fn role_name(r: &TenantRoleRef) -> String {
    match r {
        TenantRoleRef::Builtin(b) => b.title().to_owned(),
        TenantRoleRef::Custom(n) => n.clone(),
    }
}

impl Console {
    pub fn list_contacts(&self, s: &Session) -> Result<Vec<AlertContact>> {
        self.require(s, Op::ListAlertContacts, &Target::Tenant, "alert contacts")?;
        Ok(self.store.scan(T::Contacts, b"")?)
    }

    pub fn create_contact(
        &self,
        s: &Session,
        name: &str,
        phone: Option<&str>,
        email: Option<&str>,
        webhook: Option<&str>,
    ) -> Result<AlertContact> {
        let label = format!("alert contact {name}");
        self.require(s, Op::CreateAlertContact, &Target::Tenant, &label)?;
        let c = self.checked(
            s,
            Op::CreateAlertContact,
            &label,
            AlertContact::new(name, phone, email, webhook).map_err(Into::into),
        )?;
        self.change(s, Op::CreateAlertContact, &label, |tx| {
            if tx.has(T::Contacts, name.as_bytes())? {
                return fail(ConsoleError::Conflict(format!(
                    "alert contact {name} already exists"
                )));
            }
            tx.put(T::Contacts, name.as_bytes(), &c)
        })?;
        Ok(c)
    }

    pub fn delete_contact(&self, s: &Session, name: &str) -> Result<()> {
        let label = format!("alert contact {name}");
        self.require(s, Op::DeleteAlertContact, &Target::Tenant, &label)?;
        self.change(s, Op::DeleteAlertContact, &label, |tx| {
            if !tx.has(T::Contacts, name.as_bytes())? {
                return fail(ConsoleError::NotFound(label.clone()));
            }
            tx.del(T::Contacts, name.as_bytes())
        })
    }

    /// Limits per day and usage as of now.
    pub fn alert_settings(&self, s: &Session) -> Result<(AlertLimits, AlertUsage)> {
        self.require(s, Op::ListAlertContacts, &Target::Tenant, "alert settings")?;
        let limits = self.store.get(T::Meta, LIMITS_KEY)?.unwrap_or_default();
        let usage: AlertUsage = self.store.get(T::Meta, USAGE_KEY)?.unwrap_or_default();
        let now = self.now();
        let usage = AlertUsage {
            sms: usage.sms.as_of(now),
            phone: usage.phone.as_of(now),
            email: usage.email.as_of(now),
            webhook: usage.webhook.as_of(now),
        };
        Ok((limits, usage))
    }

    /// Sets a channel's per-day limit; `None` is unlimited.
    pub fn set_alert_limit(
        &self,
        s: &Session,
        ch: Channel,
        limit: Option<u32>,
    ) -> Result<AlertLimits> {
        let label = format!("alert limit {}", ch.slug());
        self.require(s, Op::UpdateAlertLimits, &Target::Tenant, &label)?;
        let mut limits: AlertLimits = self.store.get(T::Meta, LIMITS_KEY)?.unwrap_or_default();
        self.checked(
            s,
            Op::UpdateAlertLimits,
            &label,
            limits.set(ch, limit).map_err(Into::into),
        )?;
        self.change(s, Op::UpdateAlertLimits, &label, |tx| {
            tx.put(T::Meta, LIMITS_KEY, &limits)
        })?;
        Ok(limits)
    }

    // ----- tenant members and roles -----

    /// Every RAM user with their tenant roles (Tenant Member for all).
    pub fn list_tenant_members(&self, s: &Session) -> Result<Vec<TenantMemberView>> {
        self.require(s, Op::ListTenantMembers, &Target::Tenant, "tenant members")?;
        let mut out = Vec::new();
        for u in self.store.scan::<UserRecord>(T::Users, b"")? {
            let mut roles = vec![BuiltinTenantRole::TenantMember.title().to_owned()];
            roles.extend(self.user_tenant_roles(&u.user.name)?.iter().map(role_name));
            out.push(TenantMemberView {
                user: u.user.name,
                roles,
            });
        }
        Ok(out)
    }

    pub fn list_tenant_roles(&self, s: &Session) -> Result<Vec<TenantRoleView>> {
        self.require(s, Op::ListTenantRoles, &Target::Tenant, "tenant roles")?;
        let view = |name: &str, builtin: bool, l: GlobalLevels| TenantRoleView {
            name: name.to_owned(),
            builtin,
            levels: crate::domain::GlobalModule::ALL
                .iter()
                .map(|m| (m.slug().to_owned(), l.of(*m).slug().to_owned()))
                .collect(),
        };
        let mut out: Vec<TenantRoleView> = BuiltinTenantRole::ALL
            .iter()
            .map(|b| view(b.title(), true, b.levels()))
            .collect();
        out.extend(
            self.store
                .scan::<CustomTenantRole>(T::TenantRoles, b"")?
                .iter()
                .map(|c| view(&c.name, false, c.levels)),
        );
        Ok(out)
    }

    pub fn grant_tenant_role(&self, s: &Session, user: &str, role: TenantRoleRef) -> Result<()> {
        self.set_tenant_role(s, Op::GrantTenantRole, user, role, true)
    }

    pub fn revoke_tenant_role(&self, s: &Session, user: &str, role: TenantRoleRef) -> Result<()> {
        self.set_tenant_role(s, Op::RevokeTenantRole, user, role, false)
    }

    fn set_tenant_role(
        &self,
        s: &Session,
        op: Op,
        user: &str,
        role: TenantRoleRef,
        grant: bool,
    ) -> Result<()> {
        let label = format!("tenant roles of {user}");
        self.require(s, op, &Target::Tenant, &label)?;
        if role == TenantRoleRef::Builtin(BuiltinTenantRole::TenantMember) {
            return self.checked(
                s,
                op,
                &label,
                Err(ConsoleError::Conflict(
                    "every RAM user is a Tenant Member; it cannot be granted or revoked".into(),
                )),
            );
        }
        self.change(s, op, &label, |tx| {
            if !tx.has(T::Users, user.as_bytes())? {
                return fail(ConsoleError::NotFound(format!("user {user}")));
            }
            if let TenantRoleRef::Custom(n) = &role
                && !tx.has(T::TenantRoles, n.as_bytes())?
            {
                return fail(ConsoleError::NotFound(format!("tenant role {n}")));
            }
            let mut rec: TenantMemberRecord =
                tx.get(T::TenantMembers, user.as_bytes())?
                    .unwrap_or(TenantMemberRecord {
                        user: user.to_owned(),
                        roles: Vec::new(),
                    });
            let has = rec.roles.contains(&role);
            match (grant, has) {
                (true, true) => {
                    return fail(ConsoleError::Conflict(format!(
                        "{user} already holds {}",
                        role_name(&role)
                    )));
                }
                (false, false) => {
                    return fail(ConsoleError::NotFound(format!(
                        "{user} does not hold {}",
                        role_name(&role)
                    )));
                }
                (true, false) => rec.roles.push(role.clone()),
                (false, true) => rec.roles.retain(|r| *r != role),
            }
            rec.roles.sort();
            tx.put(T::TenantMembers, user.as_bytes(), &rec)
        })
    }

    /// Creates a custom tenant role (Enterprise).
    pub fn create_tenant_role(&self, s: &Session, name: &str, levels: GlobalLevels) -> Result<()> {
        let label = format!("tenant role {name}");
        self.require(s, Op::CreateTenantRole, &Target::Tenant, &label)?;
        let role = self.checked(
            s,
            Op::CreateTenantRole,
            &label,
            CustomTenantRole::new(name, levels).map_err(Into::into),
        )?;
        self.change(s, Op::CreateTenantRole, &label, |tx| {
            if tx.has(T::TenantRoles, name.as_bytes())? {
                return fail(ConsoleError::Conflict(format!(
                    "tenant role {name} already exists"
                )));
            }
            tx.put(T::TenantRoles, name.as_bytes(), &role)
        })
    }

    pub fn delete_tenant_role(&self, s: &Session, name: &str) -> Result<()> {
        let label = format!("tenant role {name}");
        self.require(s, Op::DeleteTenantRole, &Target::Tenant, &label)?;
        let held = self
            .store
            .scan::<TenantMemberRecord>(T::TenantMembers, b"")?
            .iter()
            .filter(|r| r.roles.contains(&TenantRoleRef::Custom(name.into())))
            .count();
        if held > 0 {
            return self.checked(
                s,
                Op::DeleteTenantRole,
                &label,
                Err(ConsoleError::Conflict(format!(
                    "tenant role {name} is held by {held} user(s); revoke it first"
                ))),
            );
        }
        self.change(s, Op::DeleteTenantRole, &label, |tx| {
            if !tx.has(T::TenantRoles, name.as_bytes())? {
                return fail(ConsoleError::NotFound(label.clone()));
            }
            tx.del(T::TenantRoles, name.as_bytes())
        })
    }

    // ----- extensions -----

    pub fn list_extensions(&self, s: &Session) -> Result<Vec<Extension>> {
        self.require(s, Op::ListExtensions, &Target::Tenant, "extensions")?;
        Ok(self.store.scan(T::Extensions, b"")?)
    }

    pub fn create_extension(
        &self,
        s: &Session,
        name: &str,
        description: &str,
        events: &[ExtensionEvent],
    ) -> Result<Extension> {
        let label = format!("extension {name}");
        self.require(s, Op::CreateExtension, &Target::Tenant, &label)?;
        let e = self.checked(
            s,
            Op::CreateExtension,
            &label,
            Extension::new(name, description, events, self.now()).map_err(Into::into),
        )?;
        self.change(s, Op::CreateExtension, &label, |tx| {
            if tx.has(T::Extensions, name.as_bytes())? {
                return fail(ConsoleError::Conflict(format!(
                    "extension {name} already exists"
                )));
            }
            tx.put(T::Extensions, name.as_bytes(), &e)
        })?;
        Ok(e)
    }

    pub fn delete_extension(&self, s: &Session, name: &str) -> Result<()> {
        let label = format!("extension {name}");
        self.require(s, Op::DeleteExtension, &Target::Tenant, &label)?;
        self.change(s, Op::DeleteExtension, &label, |tx| {
            if !tx.has(T::Extensions, name.as_bytes())? {
                return fail(ConsoleError::NotFound(label.clone()));
            }
            tx.del(T::Extensions, name.as_bytes())
        })
    }

    /// Turns an extension on or off for one workspace of this region.
    pub fn enable_extension(
        &self,
        s: &Session,
        name: &str,
        ws: &str,
        on: bool,
    ) -> Result<Extension> {
        let label = format!("extension {name}");
        self.require(s, Op::UpdateExtension, &Target::Tenant, &label)?;
        self.load_ws(s, ws)?;
        self.change(s, Op::UpdateExtension, &label, |tx| {
            let Some(mut e) = tx.get::<Extension, _>(T::Extensions, name.as_bytes())? else {
                return fail(ConsoleError::NotFound(label.clone()));
            };
            let changed = if on {
                e.enabled_in.insert(ws.to_owned())
            } else {
                e.enabled_in.remove(ws)
            };
            if !changed {
                let state = if on { "already enabled" } else { "not enabled" };
                return fail(ConsoleError::Conflict(format!(
                    "extension {name} is {state} in {ws}"
                )));
            }
            tx.put(T::Extensions, name.as_bytes(), &e)?;
            Ok(e)
        })
    }
}
