//! RAM users of the tenant: create, change a password, delete, and attach or detach policies.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, col, key};
use super::{Aim, Command, Detail, Here, How, Opened, failed, time};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("User"),
    col("Display name"),
    col("Policies"),
    col("Created"),
    key("MFA"),
];
const MFA: usize = 4;

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "new",
        label: "new user",
        op: Some(Op::CreateUser),
        aim: Aim::Any,
        how: How::Form,
        cli: &["user create"],
    },
    Command {
        key: 'P',
        name: "password",
        label: "set password",
        op: Some(Op::UpdateLoginProfile),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["user passwd"],
    },
    Command {
        key: 't',
        name: "attach",
        label: "attach policy",
        op: Some(Op::AttachPolicyToUser),
        aim: Aim::Any,
        how: How::Form,
        cli: &["policy attach"],
    },
    Command {
        key: 'T',
        name: "detach",
        label: "detach policy",
        op: Some(Op::DetachPolicyFromUser),
        aim: Aim::Any,
        how: How::Form,
        cli: &["policy detach"],
    },
    Command {
        key: 'M',
        name: "mfa",
        label: "set up MFA",
        op: Some(Op::CreateVirtualMFADevice),
        aim: Aim::Selected,
        how: How::Show,
        cli: &["user mfa enable"],
    },
    Command {
        key: 'm',
        name: "bind-mfa",
        label: "bind MFA",
        op: Some(Op::BindMFADevice),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["user mfa confirm"],
    },
    Command {
        key: 'x',
        name: "remove-mfa",
        label: "remove MFA",
        op: Some(Op::UnbindMFADevice),
        aim: Aim::Selected,
        how: How::Confirm,
        cli: &["user mfa disable"],
    },
    Command {
        key: 'U',
        name: "unlock",
        label: "unlock log-on",
        // The account's alone; the console says so to anyone else.
        op: None,
        aim: Aim::Selected,
        how: How::Direct,
        cli: &["user unlock"],
    },
    Command {
        key: 'd',
        name: "delete",
        label: "delete",
        op: Some(Op::DeleteUser),
        aim: Aim::Selected,
        how: How::Confirm,
        cli: &["user delete"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("RAM users", COLUMNS);
        match c.list_users(s) {
            Ok(us) => {
                for u in us {
                    let policies = c.user_policies(s, &u.user.name).unwrap_or_default();
                    let mfa = match &u.mfa {
                        None => "none",
                        Some(d) if d.bound => "bound",
                        Some(_) => "made",
                    };
                    t.push(vec![
                        u.user.name,
                        u.user.display_name,
                        policies.join(", "),
                        super::date(&u.user.created_at),
                        mfa.into(),
                    ]);
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
        &["user list", "user show", "user mfa show"]
    }

    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        match cmd.key {
            'n' => true,
            'T' => !here.cell(2).is_empty(),
            'M' => here.selected.is_some() && here.cell(MFA) != "bound",
            'm' => here.cell(MFA) == "made",
            'x' => here.selected.is_some() && here.cell(MFA) != "none",
            _ => here.selected.is_some(),
        }
    }

    fn detail(
        &self,
        c: &Console,
        s: &Session,
        _here: &Here,
        id: &str,
    ) -> Option<Result<Detail, ConsoleError>> {
        Some(c.get_user(s, id).map(|u| {
            let mut d = Detail::new(format!("RAM user {}", u.user.name))
                .field("User", &u.user.name)
                .field("Display name", &u.user.display_name)
                .field("Created", time(&u.user.created_at))
                .field(
                    "Password",
                    match (&u.password_hash, u.must_change_password) {
                        (None, _) => "none (log-on by key only, or a demo store)",
                        (Some(_), true) => "one-time: changed at the first log-on",
                        (Some(_), false) => "set",
                    },
                )
                .field(
                    "Policies",
                    c.user_policies(s, id).unwrap_or_default().join(", "),
                );
            if let Ok(roles) = c.user_tenant_roles(id) {
                d.push(
                    "Tenant roles",
                    roles
                        .iter()
                        .map(|r| match r {
                            crate::domain::tenant_role::TenantRoleRef::Builtin(b) => {
                                b.title().to_owned()
                            }
                            crate::domain::tenant_role::TenantRoleRef::Custom(n) => n.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            }
            if let Ok(keys) = c.list_keys(s, id) {
                d.push(
                    "Public keys",
                    keys.iter()
                        .map(|k| format!("{} {}", k.label, k.fingerprint))
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
            }
            d
        }))
    }

    fn run(
        &self,
        c: &Console,
        s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        if cmd.key == 'n' {
            return Ok(Opened::Form(new_user()));
        }
        let user = here.need()?;
        let target = user.clone();
        Ok(match cmd.key {
            'M' => {
                let e = c.mfa_enable(s, &user)?;
                let mut lines = vec![
                    "Scan this with an authenticator app, or type the secret in; it shows this once.".to_owned(),
                    format!("secret: {}", e.secret),
                    format!("uri:    {}", e.uri),
                ];
                lines.extend(e.qr());
                lines.push("Then m binds it with the app's first code.".into());
                Opened::Show(format!("MFA device of {user}"), lines)
            }
            'm' => Opened::Form(Form::run(
                format!("Bind the MFA device of {user}"),
                vec![Field::new("code", "Code").hint("the 6 digits the app shows now")],
                move |c, s, f| {
                    c.mfa_confirm(s, &target, f.get("code"))?;
                    Ok(Opened::Done(format!(
                        "bound the MFA device of {target}: log-on asks for its code"
                    )))
                },
            )),
            'x' => Opened::Confirm(Confirm::yes_no(
                format!("Remove the MFA device of {user}? Log-on asks for no code after."),
                move |c, s| {
                    c.mfa_disable(s, &target)?;
                    Ok(format!("removed the MFA device of {target}"))
                },
            )),
            'U' => {
                c.unlock_user(s, &user)?;
                Opened::Done(format!("{user} may log on again"))
            }
            'P' => Opened::Form(Form::run(
                format!("New password for {user}"),
                vec![
                    Field::new("password", "Password")
                        .secret()
                        .hint("at least 8 characters"),
                    Field::new("again", "Again").secret(),
                ],
                move |c, s, f| {
                    if f.get("password") != f.get("again") {
                        return Err(ConsoleError::invalid("again", "the two passwords differ"));
                    }
                    c.set_password(s, &target, f.get("password"))?;
                    Ok(Opened::Done(format!("changed the password of {target}")))
                },
            )),
            't' => {
                let held = c.user_policies(s, &user)?;
                let policies: Vec<String> = c
                    .list_policies(s)?
                    .into_iter()
                    .map(|p| p.name)
                    .filter(|p| !held.contains(p))
                    .collect();
                Opened::Form(Form::run(
                    format!("Attach a policy to {user}"),
                    vec![Field::new("policy", "Policy").choices(policies)],
                    move |c, s, f| {
                        let p = f.get("policy").trim();
                        c.attach_policy(s, p, &target)?;
                        Ok(Opened::Done(format!("attached {p} to {target}")))
                    },
                ))
            }
            'T' => Opened::Form(Form::run(
                format!("Detach a policy from {user}"),
                vec![Field::new("policy", "Policy").choices(c.user_policies(s, &user)?)],
                move |_c, _s, f| {
                    let p = f.get("policy").trim().to_owned();
                    let who = target.clone();
                    Ok(Opened::Confirm(Confirm::yes_no(
                        format!("Detach {p} from {who}? They lose what it allows."),
                        move |c, s| {
                            c.detach_policy(s, &p, &who)?;
                            Ok(format!("detached {p} from {who}"))
                        },
                    )))
                },
            )),
            _ => Opened::Confirm(Confirm::typed(
                format!(
                    "Delete RAM user {user}? Their memberships and keys go too. Type the name:"
                ),
                &user,
                move |c, s| {
                    c.delete_user(s, &target)?;
                    Ok(format!("deleted user {target}"))
                },
            )),
        })
    }
}

fn new_user() -> Form {
    Form::run(
        "New RAM user",
        vec![
            Field::new("name", "User name")
                .hint("letters, digits, . _ -")
                .check(checks::user),
            Field::new("display_name", "Display name").check(checks::display_name),
            Field::new("password", "Password")
                .secret()
                .hint("at least 8 characters (not needed on a demo store)"),
        ],
        |c, s, f| {
            let pw = f.get("password");
            let pw = if pw.is_empty() && c.tenant().open {
                None
            } else {
                Some(pw)
            };
            let name = f.get("name").trim();
            c.create_user(s, name, f.get("display_name").trim(), pw)?;
            Ok(Opened::Done(format!("created user {name}")))
        },
    )
}
