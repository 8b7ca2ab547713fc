//! Tenant members and their tenant roles (grant, revoke), and each one's SSH public keys.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};
use crate::domain::tenant_role::{BuiltinTenantRole, TenantRoleRef};

use super::super::form::{Confirm, Field, Form};
use super::super::view::{Column, Table, key};
use super::{Aim, Command, Here, How, Opened, failed, parsed};

pub struct Pane;

const COLUMNS: &[Column] = &[key("User"), key("Tenant roles")];

const COMMANDS: &[Command] = &[
    Command {
        key: 'r',
        name: "grant",
        label: "grant role",
        op: Some(Op::GrantTenantRole),
        aim: Aim::Any,
        how: How::Form,
        cli: &["tenant grant"],
    },
    Command {
        key: 'R',
        name: "revoke",
        label: "revoke role",
        op: Some(Op::RevokeTenantRole),
        aim: Aim::Any,
        how: How::Form,
        cli: &["tenant revoke"],
    },
    Command {
        key: 'p',
        name: "keys",
        label: "public keys",
        op: Some(Op::ListPublicKeys),
        aim: Aim::Selected,
        how: How::Show,
        cli: &["user key list"],
    },
    Command {
        key: 'a',
        name: "add-key",
        label: "add key",
        op: Some(Op::UploadPublicKey),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["user key add"],
    },
    Command {
        key: 'x',
        name: "remove-key",
        label: "remove key",
        op: Some(Op::DeletePublicKey),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["user key remove"],
    },
];

fn slug(r: &TenantRoleRef) -> String {
    match r {
        TenantRoleRef::Builtin(b) => b.slug().to_owned(),
        TenantRoleRef::Custom(n) => n.clone(),
    }
}

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("Tenant members", COLUMNS);
        match c.list_tenant_members(s) {
            Ok(ms) => {
                for m in ms {
                    t.push(vec![m.user, m.roles.join(", ")]);
                }
                t
            }
            Err(e) => failed(t, e),
        }
    }

    fn commands(&self) -> &'static [Command] {
        COMMANDS
    }

    fn shows(&self) -> &'static [&'static str] {
        &["tenant members"]
    }

    fn applies(&self, _cmd: &Command, here: &Here) -> bool {
        here.selected.is_some()
    }

    fn run(
        &self,
        c: &Console,
        s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        let user = here.need()?;
        Ok(match cmd.key {
            'r' => {
                let mut roles: Vec<String> = BuiltinTenantRole::ALL
                    .iter()
                    .filter(|b| **b != BuiltinTenantRole::TenantMember)
                    .map(|b| b.slug().to_owned())
                    .collect();
                roles.extend(
                    c.list_tenant_roles(s)?
                        .into_iter()
                        .filter(|r| !r.builtin)
                        .map(|r| r.name),
                );
                let target = user.clone();
                Opened::Form(Form::run(
                    format!("Grant a tenant role to {user}"),
                    vec![Field::new("role", "Role").choices(roles)],
                    move |c, s, f| {
                        let role = f.get("role").trim();
                        c.grant_tenant_role(
                            s,
                            &target,
                            parsed("role", TenantRoleRef::parse(role))?,
                        )?;
                        Ok(Opened::Done(format!("granted {role} to {target}")))
                    },
                ))
            }
            'R' => {
                let held: Vec<String> = c.user_tenant_roles(&user)?.iter().map(slug).collect();
                if held.is_empty() {
                    return Err(ConsoleError::invalid(
                        "role",
                        format!(
                            "{user} holds no tenant role but Tenant Member, which every user has"
                        ),
                    ));
                }
                let target = user.clone();
                Opened::Form(Form::run(
                    format!("Revoke a tenant role of {user}"),
                    vec![Field::new("role", "Role").choices(held)],
                    move |_c, _s, f| {
                        let role = f.get("role").trim().to_owned();
                        let r = parsed("role", TenantRoleRef::parse(&role))?;
                        let who = target.clone();
                        // Revoking takes away what someone works with: asked once more.
                        Ok(Opened::Confirm(Confirm::yes_no(
                            format!("Revoke tenant role {role} from {who}?"),
                            move |c, s| {
                                c.revoke_tenant_role(s, &who, r.clone())?;
                                Ok(format!("revoked {role} from {who}"))
                            },
                        )))
                    },
                ))
            }
            'p' => {
                let keys = c.list_keys(s, &user)?;
                let mut lines: Vec<String> = keys
                    .iter()
                    .map(|k| {
                        format!(
                            "{}  {}  {}  added {} by {}",
                            k.label,
                            k.fingerprint,
                            k.algorithm,
                            k.added_at.format("%Y-%m-%d %H:%M"),
                            k.added_by
                        )
                    })
                    .collect();
                if lines.is_empty() {
                    lines.push(format!("{user} has no keys: a adds one"));
                }
                Opened::Show(format!("Public keys of {user}"), lines)
            }
            'a' => {
                let target = user.clone();
                Opened::Form(Form::run(
                    format!("Add a public key for {user}"),
                    vec![
                        Field::new("key", "Public key")
                            .hint("paste the .pub line: ssh-ed25519 AAAA… name"),
                        Field::new("name", "Name").hint("default: the key's comment"),
                    ],
                    move |c, s, f| {
                        let k = c.add_key(s, &target, f.get("key"), super::opt(f.get("name")))?;
                        Ok(Opened::Done(format!(
                            "added key {} ({}) to {target}",
                            k.label, k.fingerprint
                        )))
                    },
                ))
            }
            _ => {
                let labels: Vec<String> = c
                    .list_keys(s, &user)?
                    .into_iter()
                    .map(|k| k.label)
                    .collect();
                if labels.is_empty() {
                    return Err(ConsoleError::NotFound(format!("{user} has no keys")));
                }
                let target = user.clone();
                Opened::Form(Form::run(
                    format!("Remove a public key of {user}"),
                    vec![Field::new("key", "Key").choices(labels)],
                    move |_c, _s, f| {
                        let label = f.get("key").trim().to_owned();
                        let who = target.clone();
                        // Removing a key locks its holder out of SSH: asked once more.
                        Ok(Opened::Confirm(Confirm::yes_no(
                            format!("Remove key {label} of {who}? It no longer logs on."),
                            move |c, s| {
                                let k = c.remove_key(s, &who, &label)?;
                                Ok(format!("removed key {} of {who}", k.label))
                            },
                        )))
                    },
                ))
            }
        })
    }
}
