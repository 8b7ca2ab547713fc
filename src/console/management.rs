//! The Management Center: alert contacts and limits, tenant members and roles, extensions.

use serde::{Deserialize, Serialize};

use crate::authz::{Op, Target};
use crate::domain::alert::{
    AlertContact, AlertLimits, Channel, ChannelUsage, Delivery, OutboxEntry,
};
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

    fn get_mut(&mut self, ch: Channel) -> &mut ChannelUsage {
        match ch {
            Channel::Sms => &mut self.sms,
            Channel::Phone => &mut self.phone,
            Channel::Email => &mut self.email,
            Channel::Webhook => &mut self.webhook,
        }
    }
}

/// A counted webhook alert still to be POSTed, and where its outcome goes.
#[derive(Debug, Clone)]
pub struct PendingWebhook {
    pub outbox_id: u64,
    pub url: String,
    pub payload: serde_json::Value,
}

/// A test alert as counted: every contact's outbox entry, and the webhooks to POST.
#[derive(Debug, Clone)]
pub struct PreparedAlert {
    pub entries: Vec<(u64, OutboxEntry)>,
    pub webhooks: Vec<PendingWebhook>,
}

/// How long a webhook may take to answer.
pub const WEBHOOK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

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
    /// The alert contacts: in full to those who may manage alerts and to a contact about
    /// themself, masked to everyone else (DESIGN §3: personal data).
    pub fn list_contacts(&self, s: &Session) -> Result<Vec<AlertContact>> {
        self.require(s, Op::ListAlertContacts, &Target::Tenant, "alert contacts")?;
        let all: Vec<AlertContact> = self.store.scan(T::Contacts, b"")?;
        if self
            .can(s, Op::UpdateAlertContact, &Target::Tenant)?
            .allowed
        {
            return Ok(all);
        }
        Ok(all
            .into_iter()
            .map(|c| if c.name == s.who() { c } else { c.masked() })
            .collect())
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

    /// Counts a test alert to every contact with an address on `ch`: each one against the
    /// channel's daily limit (a refusal is counted and recorded); SMS, phone and e-mail are
    /// recorded in the outbox; webhooks are returned to be POSTed.
    pub fn prepare_test_alert(&self, s: &Session, ch: Channel) -> Result<PreparedAlert> {
        let label = format!("test alert via {}", ch.slug());
        self.require(s, Op::SendTestAlert, &Target::Tenant, &label)?;
        let contacts: Vec<AlertContact> = self
            .store
            .scan::<AlertContact>(T::Contacts, b"")?
            .into_iter()
            .filter(|c| c.address(ch).is_some())
            .collect();
        if contacts.is_empty() {
            let what = match ch {
                Channel::Sms | Channel::Phone => "a phone number",
                Channel::Email => "an e-mail address",
                Channel::Webhook => "a webhook",
            };
            return self.checked(
                s,
                Op::SendTestAlert,
                &label,
                Err(ConsoleError::invalid(
                    "channel",
                    format!("no alert contact has {what}: add one first"),
                )),
            );
        }
        let limits: AlertLimits = self.store.get(T::Meta, LIMITS_KEY)?.unwrap_or_default();
        let now = self.now();
        let tenant = self.tenant().account;
        let message = format!("dwc test alert for tenant {tenant} via {}", ch.slug());
        let entries = self.change(s, Op::SendTestAlert, &label, |tx| {
            let mut usage: AlertUsage = tx.get(T::Meta, USAGE_KEY)?.unwrap_or_default();
            let mut entries = Vec::new();
            for c in &contacts {
                let delivery = match usage.get_mut(ch).try_send(limits.get(ch), now) {
                    Ok(()) if ch == Channel::Webhook => Delivery::Sending,
                    Ok(()) => Delivery::Recorded,
                    Err(limit) => Delivery::Refused(format!(
                        "the daily {} limit of {limit} is reached",
                        ch.slug()
                    )),
                };
                let entry = OutboxEntry {
                    at: now,
                    channel: ch,
                    contact: c.name.clone(),
                    address: c.address(ch).unwrap_or_default().to_owned(),
                    message: message.clone(),
                    delivery,
                };
                let id = tx.next_id()?;
                tx.put(T::Outbox, &id.to_be_bytes(), &entry)?;
                entries.push((id, entry));
            }
            tx.put(T::Meta, USAGE_KEY, &usage)?;
            Ok(entries)
        })?;
        let webhooks = entries
            .iter()
            .filter(|(_, e)| e.delivery == Delivery::Sending)
            .map(|(id, e)| PendingWebhook {
                outbox_id: *id,
                url: e.address.clone(),
                payload: serde_json::json!({
                    "event": "dwc.test_alert",
                    "tenant": tenant,
                    "channel": "webhook",
                    "contact": e.contact,
                    "message": e.message,
                    "sent_by": s.who(),
                    "sent_at": e.at.to_rfc3339(),
                }),
            })
            .collect();
        Ok(PreparedAlert { entries, webhooks })
    }

    /// Records how a webhook POST went.
    pub fn record_alert_delivery(&self, s: &Session, id: u64, delivery: Delivery) -> Result<()> {
        self.require(s, Op::SendTestAlert, &Target::Tenant, "test alert")?;
        self.store.transact(|tx| {
            if let Some(mut e) =
                tx.get::<OutboxEntry, ConsoleError>(T::Outbox, &id.to_be_bytes())?
            {
                e.delivery = delivery.clone();
                tx.put(T::Outbox, &id.to_be_bytes(), &e)?;
            }
            Ok(())
        })?;
        Ok(())
    }

    /// Counts, sends and records a test alert, webhooks included (blocking): the CLI's
    /// `alert test`. Returns every contact's outcome.
    pub fn send_test_alert(&self, s: &Session, ch: Channel) -> Result<Vec<OutboxEntry>> {
        let prepared = self.prepare_test_alert(s, ch)?;
        let mut entries = prepared.entries;
        for w in &prepared.webhooks {
            let delivery = crate::notify::post_webhook(&w.url, &w.payload, WEBHOOK_TIMEOUT);
            self.record_alert_delivery(s, w.outbox_id, delivery.clone())?;
            if let Some((_, e)) = entries.iter_mut().find(|(id, _)| *id == w.outbox_id) {
                e.delivery = delivery;
            }
        }
        Ok(entries.into_iter().map(|(_, e)| e).collect())
    }

    /// The newest alerts sent, recorded or refused.
    pub fn alert_outbox(&self, s: &Session, limit: usize) -> Result<Vec<OutboxEntry>> {
        self.require(
            s,
            Op::ListAlertContacts,
            &Target::Tenant,
            "the alert outbox",
        )?;
        Ok(self.store.last(T::Outbox, limit)?)
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
