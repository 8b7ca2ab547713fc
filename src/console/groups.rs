//! RAM user groups: a group holds users and policies, and its policies apply to every member —
//! decided with the user's own, named in traces as `policy P via group G`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::authz::{Op, Target, system};
use crate::domain::{Timestamp, names};
use crate::store::{T, key, last_part, prefix};

use super::error::{ConsoleError, Result};
use super::{Console, Session, fail};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRecord {
    pub name: String,
    pub description: String,
    pub members: BTreeSet<String>,
    pub policies: BTreeSet<String>,
    pub created_at: Timestamp,
}

/// How a trace names a policy that comes from a group.
pub fn via_group(policy: &str, group: &str) -> String {
    format!("{policy} via group {group}")
}

fn check_name(name: &str) -> Result<()> {
    // The vendor's rule for group names: letters, digits, `.`, `_`, `-`, at most 64.
    names::user_name(name).map_err(|e| match e {
        crate::domain::DomainError::Invalid { rule, .. } => ConsoleError::invalid("group", rule),
        e => e.into(),
    })
}

impl Console {
    pub fn list_groups(&self, s: &Session) -> Result<Vec<GroupRecord>> {
        self.require(s, Op::ListGroups, &Target::RamGroup("*"), "groups")?;
        Ok(self.store.scan(T::Groups, b"")?)
    }

    pub fn get_group(&self, s: &Session, name: &str) -> Result<GroupRecord> {
        let label = format!("group {name}");
        self.require(s, Op::GetGroup, &Target::RamGroup(name), &label)?;
        self.store
            .get(T::Groups, name.as_bytes())?
            .ok_or_else(|| ConsoleError::NotFound(label))
    }

    pub fn create_group(&self, s: &Session, name: &str, description: &str) -> Result<()> {
        let label = format!("group {name}");
        self.require(s, Op::CreateGroup, &Target::RamGroup(name), &label)?;
        self.checked(
            s,
            Op::CreateGroup,
            &label,
            check_name(name).and_then(|_| {
                names::text_line("description", description, 0, 128).map_err(Into::into)
            }),
        )?;
        let rec = GroupRecord {
            name: name.to_owned(),
            description: description.to_owned(),
            members: BTreeSet::new(),
            policies: BTreeSet::new(),
            created_at: self.now(),
        };
        self.change(s, Op::CreateGroup, &label, |tx| {
            if tx.has(T::Groups, name.as_bytes())? {
                return fail(ConsoleError::Conflict(format!(
                    "group {name} already exists"
                )));
            }
            tx.put(T::Groups, name.as_bytes(), &rec)
        })
    }

    /// Deletes an empty group; one with members or policies is refused, as RAM refuses it.
    pub fn delete_group(&self, s: &Session, name: &str) -> Result<()> {
        let label = format!("group {name}");
        self.require(s, Op::DeleteGroup, &Target::RamGroup(name), &label)?;
        self.change(s, Op::DeleteGroup, &label, |tx| {
            let Some(g) = tx.get::<GroupRecord, _>(T::Groups, name.as_bytes())? else {
                return fail(ConsoleError::NotFound(label.clone()));
            };
            if !g.members.is_empty() || !g.policies.is_empty() {
                return fail(ConsoleError::Conflict(format!(
                    "group {name} has {} member(s) and {} polic(ies): remove them first",
                    g.members.len(),
                    g.policies.len()
                )));
            }
            tx.del(T::Groups, name.as_bytes())
        })
    }

    pub fn add_user_to_group(&self, s: &Session, group: &str, user: &str) -> Result<()> {
        self.set_group_member(s, Op::AddUserToGroup, group, user, true)
    }

    pub fn remove_user_from_group(&self, s: &Session, group: &str, user: &str) -> Result<()> {
        self.set_group_member(s, Op::RemoveUserFromGroup, group, user, false)
    }

    fn set_group_member(
        &self,
        s: &Session,
        op: Op,
        group: &str,
        user: &str,
        add: bool,
    ) -> Result<()> {
        let label = format!("user {user} in group {group}");
        self.require(s, op, &Target::RamGroup(group), &label)?;
        self.change(s, op, &label, |tx| {
            let Some(mut g) = tx.get::<GroupRecord, _>(T::Groups, group.as_bytes())? else {
                return fail(ConsoleError::NotFound(format!("group {group}")));
            };
            if !tx.has(T::Users, user.as_bytes())? {
                return fail(ConsoleError::NotFound(format!("user {user}")));
            }
            let k = key(&[user, group]);
            match (add, g.members.contains(user)) {
                (true, true) => {
                    return fail(ConsoleError::Conflict(format!(
                        "{user} is in group {group} already"
                    )));
                }
                (false, false) => {
                    return fail(ConsoleError::NotFound(format!(
                        "{user} is not in group {group}"
                    )));
                }
                (true, false) => {
                    g.members.insert(user.to_owned());
                    tx.mark(T::UserGroups, &k)?;
                }
                (false, true) => {
                    g.members.remove(user);
                    tx.del(T::UserGroups, &k)?;
                }
            }
            tx.put(T::Groups, group.as_bytes(), &g)
        })
    }

    pub fn attach_policy_to_group(&self, s: &Session, policy: &str, group: &str) -> Result<()> {
        self.set_group_policy(s, Op::AttachPolicyToGroup, policy, group, true)
    }

    pub fn detach_policy_from_group(&self, s: &Session, policy: &str, group: &str) -> Result<()> {
        self.set_group_policy(s, Op::DetachPolicyFromGroup, policy, group, false)
    }

    fn set_group_policy(
        &self,
        s: &Session,
        op: Op,
        policy: &str,
        group: &str,
        attach: bool,
    ) -> Result<()> {
        let label = format!("policy {policy} for group {group}");
        self.require(s, op, &Target::RamPolicy(policy), &label)?;
        let is_system = system::is_system(policy);
        self.change(s, op, &label, |tx| {
            if !is_system && !tx.has(T::Policies, policy.as_bytes())? {
                return fail(ConsoleError::NotFound(format!("policy {policy}")));
            }
            let Some(mut g) = tx.get::<GroupRecord, _>(T::Groups, group.as_bytes())? else {
                return fail(ConsoleError::NotFound(format!("group {group}")));
            };
            match (attach, g.policies.contains(policy)) {
                (true, true) => fail(ConsoleError::Conflict(format!(
                    "policy {policy} is attached to group {group} already"
                ))),
                (false, false) => fail(ConsoleError::NotFound(format!(
                    "policy {policy} is not attached to group {group}"
                ))),
                (true, false) => {
                    g.policies.insert(policy.to_owned());
                    tx.put(T::Groups, group.as_bytes(), &g)
                }
                (false, true) => {
                    g.policies.remove(policy);
                    tx.put(T::Groups, group.as_bytes(), &g)
                }
            }
        })
    }

    /// The groups `user` is in, by name.
    pub fn user_groups(&self, user: &str) -> Result<Vec<String>> {
        Ok(self
            .store
            .keys(T::UserGroups, &prefix(user))?
            .iter()
            .map(|k| last_part(k))
            .collect())
    }

    /// The policies `user` gets from groups: (policy, group), for the caller's decisions.
    pub(super) fn group_policies(&self, user: &str) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for group in self.user_groups(user)? {
            if let Some(g) = self.store.get::<GroupRecord>(T::Groups, group.as_bytes())? {
                out.extend(g.policies.into_iter().map(|p| (p, group.clone())));
            }
        }
        Ok(out)
    }

    /// How many groups `policy` is attached to (a policy in use is not deleted).
    pub(super) fn groups_with_policy(&self, policy: &str) -> Result<usize> {
        Ok(self
            .store
            .scan::<GroupRecord>(T::Groups, b"")?
            .iter()
            .filter(|g| g.policies.contains(policy))
            .count())
    }
}
