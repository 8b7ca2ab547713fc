//! RAM users and policies: who exists, and what product-level permissions they hold.

use crate::authz::{Op, Policy, Target, system};
use crate::domain::principal::RamUser;
use crate::domain::{names, workspace::Member};
use crate::store::{T, key, last_part, prefix};

use super::auth;
use super::error::{ConsoleError, Result};
use super::records::{PolicyRecord, TenantMemberRecord, UserRecord};
use super::{Console, Session, fail};

/// A document's error as the field it names: `document: not valid JSON …`, or
/// `document: Statement[1].Condition: …` (the path once, not `document: document: …`).
pub(super) fn policy_invalid(e: crate::authz::PolicyError) -> ConsoleError {
    if e.path == "document" {
        ConsoleError::invalid("document", e.message)
    } else {
        ConsoleError::invalid("document", e.to_string())
    }
}

fn system_record(p: &system::SystemPolicy) -> PolicyRecord {
    PolicyRecord {
        name: p.name.to_owned(),
        description: p.description.to_owned(),
        document: p.document.to_owned(),
        system: true,
        created_at: None,
        versions: Vec::new(),
        default_version: None,
    }
}

impl Console {
    pub fn list_users(&self, s: &Session) -> Result<Vec<UserRecord>> {
        self.require(s, Op::ListUsers, &Target::RamUser("*"), "users")?;
        Ok(self.store.scan(T::Users, b"")?)
    }

    pub fn get_user(&self, s: &Session, name: &str) -> Result<UserRecord> {
        self.require(
            s,
            Op::GetUser,
            &Target::RamUser(name),
            &format!("user {name}"),
        )?;
        self.store
            .get(T::Users, name.as_bytes())?
            .ok_or_else(|| ConsoleError::NotFound(format!("user {name}")))
    }

    /// Creates a RAM user. On a password store the new user needs a password.
    pub fn create_user(
        &self,
        s: &Session,
        name: &str,
        display_name: &str,
        password: Option<&str>,
    ) -> Result<RamUser> {
        self.create_user_as(s, name, display_name, password, false)
    }

    /// Creates a RAM user whose password is one-time (a restore): the first log-on sets another.
    pub fn create_user_one_time(
        &self,
        s: &Session,
        name: &str,
        display_name: &str,
        password: &str,
    ) -> Result<RamUser> {
        self.create_user_as(s, name, display_name, Some(password), true)
    }

    fn create_user_as(
        &self,
        s: &Session,
        name: &str,
        display_name: &str,
        password: Option<&str>,
        one_time: bool,
    ) -> Result<RamUser> {
        let label = format!("user {name}");
        self.require(s, Op::CreateUser, &Target::RamUser(name), &label)?;
        let tenant = self.tenant();
        let prepared = (|| {
            let user = RamUser::new(name, display_name, self.now())?;
            if name == tenant.account {
                return Err(ConsoleError::Conflict(format!(
                    "{name} is the account's name"
                )));
            }
            let password_hash = match password {
                Some(p) => {
                    auth::check_password("password", p)?;
                    Some(auth::hash_password(p)?)
                }
                None if tenant.open => None,
                None => {
                    return Err(ConsoleError::invalid(
                        "password",
                        "a new user needs one (set DWC_NEW_PASSWORD)",
                    ));
                }
            };
            Ok(UserRecord {
                user,
                must_change_password: one_time && password_hash.is_some(),
                password_hash,
                mfa: None,
            })
        })();
        let record = self.checked(s, Op::CreateUser, &label, prepared)?;
        self.change(s, Op::CreateUser, &label, |tx| {
            if tx.has(T::Users, name.as_bytes())? {
                return fail(ConsoleError::Conflict(format!(
                    "user {name} already exists"
                )));
            }
            tx.put(T::Users, name.as_bytes(), &record)
        })?;
        Ok(record.user)
    }

    /// Deletes a user with their memberships, policy attachments and tenant roles.
    pub fn delete_user(&self, s: &Session, name: &str) -> Result<()> {
        let label = format!("user {name}");
        self.require(s, Op::DeleteUser, &Target::RamUser(name), &label)?;
        if !self.store.has(T::Users, name.as_bytes())? {
            return self.checked(
                s,
                Op::DeleteUser,
                &label,
                Err(ConsoleError::NotFound(label.clone())),
            );
        }
        let index_keys = self.store.keys(T::MemberWs, &prefix(name))?;
        let attachments = self.store.keys(T::Attachments, &prefix(name))?;
        let in_groups = self.store.keys(T::UserGroups, &prefix(name))?;
        self.change(s, Op::DeleteUser, &label, |tx| {
            tx.del(T::Users, name.as_bytes())?;
            // Out of every group it was in, in the same transaction.
            for k in &in_groups {
                let group = last_part(k);
                if let Some(mut g) =
                    tx.get::<super::groups::GroupRecord, _>(T::Groups, group.as_bytes())?
                {
                    g.members.remove(name);
                    tx.put(T::Groups, group.as_bytes(), &g)?;
                }
                tx.del(T::UserGroups, k)?;
            }
            for k in &index_keys {
                let ws = last_part(k);
                if let Some(m) = tx.get::<Member, _>(T::Members, &key(&[&ws, name]))? {
                    super::workspaces::stats_remove(tx, &ws, &m)?;
                }
                tx.del(T::Members, &key(&[&ws, name]))?;
                tx.del(T::MemberWs, k)?;
            }
            for k in &attachments {
                tx.del(T::Attachments, k)?;
            }
            tx.del(T::Keys, name.as_bytes())?;
            tx.del(T::LogOnFailures, name.as_bytes())?;
            tx.del(T::TenantMembers, name.as_bytes())
        })
    }

    /// Sets a password: one's own (anyone), or another user's with ram permissions.
    pub fn set_password(&self, s: &Session, name: &str, password: &str) -> Result<()> {
        let label = format!("user {name}");
        if name == self.tenant().account {
            if !s.principal.is_account() {
                return Err(ConsoleError::Denied {
                    action: Op::UpdateLoginProfile.action().into(),
                    target: label,
                    explanation: vec!["only the account changes the account's password".into()],
                });
            }
            let hash = self.checked(
                s,
                Op::UpdateLoginProfile,
                &label,
                auth::check_password("password", password)
                    .and_then(|_| auth::hash_password(password)),
            )?;
            let mut tenant = self.tenant();
            tenant.account_hash = Some(hash);
            self.change(s, Op::UpdateLoginProfile, &label, |tx| {
                tx.put(T::Meta, super::TENANT_KEY, &tenant)
            })?;
            *self.tenant.write().unwrap_or_else(|e| e.into_inner()) = tenant;
            return Ok(());
        }
        self.require(s, Op::UpdateLoginProfile, &Target::RamUser(name), &label)?;
        let hash = self.checked(
            s,
            Op::UpdateLoginProfile,
            &label,
            auth::check_password("password", password).and_then(|_| auth::hash_password(password)),
        )?;
        self.change(s, Op::UpdateLoginProfile, &label, |tx| {
            let Some(mut rec) = tx.get::<UserRecord, _>(T::Users, name.as_bytes())? else {
                return fail(ConsoleError::NotFound(format!("user {name}")));
            };
            rec.password_hash = Some(hash.clone());
            tx.put(T::Users, name.as_bytes(), &rec)
        })
    }

    /// The system policies and the tenant's own, system ones first.
    pub fn list_policies(&self, s: &Session) -> Result<Vec<PolicyRecord>> {
        self.require(s, Op::ListPolicies, &Target::RamPolicy("*"), "policies")?;
        let mut out: Vec<PolicyRecord> =
            system::SYSTEM_POLICIES.iter().map(system_record).collect();
        out.extend(self.store.scan::<PolicyRecord>(T::Policies, b"")?);
        Ok(out)
    }

    /// A policy and the users it is attached to.
    pub fn get_policy(&self, s: &Session, name: &str) -> Result<(PolicyRecord, Vec<String>)> {
        let label = format!("policy {name}");
        self.require(s, Op::GetPolicy, &Target::RamPolicy(name), &label)?;
        let rec = match system::SYSTEM_POLICIES.iter().find(|p| p.name == name) {
            Some(p) => system_record(p),
            None => self
                .store
                .get(T::Policies, name.as_bytes())?
                .ok_or_else(|| ConsoleError::NotFound(label))?,
        };
        let users = self
            .store
            .keys(T::Attachments, b"")?
            .iter()
            .filter(|k| last_part(k) == name)
            .map(|k| {
                String::from_utf8_lossy(k)
                    .split('\0')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        Ok((rec, users))
    }

    /// Creates a custom policy from a document, validated with errors that name the path.
    pub fn create_policy(
        &self,
        s: &Session,
        name: &str,
        description: &str,
        document: &str,
    ) -> Result<Vec<String>> {
        let label = format!("policy {name}");
        self.require(s, Op::CreatePolicy, &Target::RamPolicy(name), &label)?;
        let check = (|| {
            names::policy_name(name)?;
            names::text_line("description", description, 0, 256)?;
            if system::is_system(name) {
                return Err(ConsoleError::Conflict(format!("{name} is a system policy")));
            }
            Ok(Policy::parse(document)
                .map_err(policy_invalid)?
                .unmatched_actions())
        })();
        let unmatched = self.checked(s, Op::CreatePolicy, &label, check)?;
        let rec = PolicyRecord {
            name: name.to_owned(),
            description: description.to_owned(),
            document: document.to_owned(),
            system: false,
            created_at: Some(self.now()),
            versions: Vec::new(),
            default_version: None,
        };
        self.change(s, Op::CreatePolicy, &label, |tx| {
            if tx.has(T::Policies, name.as_bytes())? {
                return fail(ConsoleError::Conflict(format!(
                    "policy {name} already exists"
                )));
            }
            tx.put(T::Policies, name.as_bytes(), &rec)
        })?;
        self.forget_policy(name);
        Ok(unmatched)
    }

    /// System policies are RAM's own: a change to one is refused, and the attempt audited.
    pub(super) fn not_system_policy(
        &self,
        s: &Session,
        op: Op,
        name: &str,
        done: &str,
    ) -> Result<()> {
        if !system::is_system(name) {
            return Ok(());
        }
        self.checked(
            s,
            op,
            &format!("policy {name}"),
            Err(ConsoleError::Conflict(format!(
                "{name} is a system policy; it cannot be {done}"
            ))),
        )
    }

    /// Deletes a custom policy; refused while it is attached to someone.
    pub fn delete_policy(&self, s: &Session, name: &str) -> Result<()> {
        let label = format!("policy {name}");
        self.require(s, Op::DeletePolicy, &Target::RamPolicy(name), &label)?;
        self.not_system_policy(s, Op::DeletePolicy, name, "deleted")?;
        let attached = self
            .store
            .keys(T::Attachments, b"")?
            .iter()
            .filter(|k| last_part(k) == name)
            .count();
        let groups = self.groups_with_policy(name)?;
        if attached > 0 || groups > 0 {
            return self.checked(
                s,
                Op::DeletePolicy,
                &label,
                Err(ConsoleError::Conflict(format!(
                    "policy {name} is attached to {attached} user(s) and {groups} group(s); detach it first"
                ))),
            );
        }
        self.change(s, Op::DeletePolicy, &label, |tx| {
            if !tx.has(T::Policies, name.as_bytes())? {
                return fail(ConsoleError::NotFound(format!("policy {name}")));
            }
            tx.del(T::Policies, name.as_bytes())
        })?;
        self.forget_policy(name);
        Ok(())
    }

    pub fn attach_policy(&self, s: &Session, name: &str, user: &str) -> Result<()> {
        self.set_attachment(s, Op::AttachPolicyToUser, name, user, true)
    }

    pub fn detach_policy(&self, s: &Session, name: &str, user: &str) -> Result<()> {
        self.set_attachment(s, Op::DetachPolicyFromUser, name, user, false)
    }

    fn set_attachment(
        &self,
        s: &Session,
        op: Op,
        name: &str,
        user: &str,
        attach: bool,
    ) -> Result<()> {
        let label = format!("policy {name} for user {user}");
        self.require(s, op, &Target::RamPolicy(name), &label)?;
        let system = system::is_system(name);
        self.change(s, op, &label, |tx| {
            if !system && !tx.has(T::Policies, name.as_bytes())? {
                return fail(ConsoleError::NotFound(format!("policy {name}")));
            }
            if !tx.has(T::Users, user.as_bytes())? {
                return fail(ConsoleError::NotFound(format!("user {user}")));
            }
            let k = key(&[user, name]);
            match (attach, tx.has(T::Attachments, &k)?) {
                (true, true) => fail(ConsoleError::Conflict(format!(
                    "policy {name} is already attached to {user}"
                ))),
                (false, false) => fail(ConsoleError::NotFound(format!(
                    "policy {name} is not attached to {user}"
                ))),
                (true, false) => tx.mark(T::Attachments, &k),
                (false, true) => tx.del(T::Attachments, &k),
            }
        })
    }

    /// The names of the policies attached to a user.
    pub fn user_policies(&self, s: &Session, user: &str) -> Result<Vec<String>> {
        self.require(
            s,
            Op::GetUser,
            &Target::RamUser(user),
            &format!("user {user}"),
        )?;
        Ok(self
            .store
            .keys(T::Attachments, &prefix(user))?
            .iter()
            .map(|k| last_part(k))
            .collect())
    }

    /// A user's tenant roles beyond Tenant Member.
    pub fn user_tenant_roles(
        &self,
        user: &str,
    ) -> Result<Vec<crate::domain::tenant_role::TenantRoleRef>> {
        Ok(self
            .store
            .get::<TenantMemberRecord>(T::TenantMembers, user.as_bytes())?
            .map(|r| r.roles)
            .unwrap_or_default())
    }
}
