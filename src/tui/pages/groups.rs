//! RAM user groups: their members and policies; create, delete, add and remove members,
//! attach and detach policies (which then apply to every member).

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, col, key};
use super::{Aim, Command, Here, How, Opened, failed};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Group"),
    col("Members"),
    col("Policies"),
    col("Description"),
];

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "new",
        label: "new group",
        op: Some(Op::CreateGroup),
        aim: Aim::Any,
        how: How::Form,
        cli: &["group create"],
    },
    Command {
        key: 'a',
        name: "add-user",
        label: "add user",
        op: Some(Op::AddUserToGroup),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["group add-user"],
    },
    Command {
        key: 'R',
        name: "remove-user",
        label: "remove user",
        op: Some(Op::RemoveUserFromGroup),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["group remove-user"],
    },
    Command {
        key: 't',
        name: "attach",
        label: "attach policy",
        op: Some(Op::AttachPolicyToGroup),
        aim: Aim::Any,
        how: How::Form,
        cli: &["policy attach"],
    },
    Command {
        key: 'T',
        name: "detach",
        label: "detach policy",
        op: Some(Op::DetachPolicyFromGroup),
        aim: Aim::Any,
        how: How::Form,
        cli: &["policy detach"],
    },
    Command {
        key: 'd',
        name: "delete",
        label: "delete",
        op: Some(Op::DeleteGroup),
        aim: Aim::Selected,
        how: How::Confirm,
        cli: &["group delete"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("User groups", COLUMNS);
        match c.list_groups(s) {
            Ok(gs) => {
                for g in gs {
                    t.push(vec![
                        g.name,
                        g.members.into_iter().collect::<Vec<_>>().join(", "),
                        g.policies.into_iter().collect::<Vec<_>>().join(", "),
                        g.description,
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
        &["group list", "group show"]
    }

    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        match cmd.key {
            'n' => true,
            'R' => !here.cell(1).is_empty(),
            'T' => !here.cell(2).is_empty(),
            _ => here.selected.is_some(),
        }
    }

    fn run(
        &self,
        c: &Console,
        s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        if cmd.key == 'n' {
            return Ok(Opened::Form(Form::run(
                "New user group",
                vec![
                    Field::new("name", "Name").check(checks::user),
                    Field::new("description", "Description"),
                ],
                |c, s, f| {
                    let name = f.get("name").trim();
                    c.create_group(s, name, f.get("description").trim())
                        .map_err(|e| super::rename(e, "group", "name"))?;
                    Ok(Opened::Done(format!("created group {name}")))
                },
            )));
        }
        let group = here.need()?;
        let g = c.get_group(s, &group)?;
        let target = group.clone();
        Ok(match cmd.key {
            'a' => Opened::Form(Form::run(
                format!("Add a user to {group}"),
                vec![Field::new("user", "User").check(checks::user)],
                move |c, s, f| {
                    let u = f.get("user").trim();
                    c.add_user_to_group(s, &target, u)?;
                    Ok(Opened::Done(format!("added {u} to group {target}")))
                },
            )),
            'R' => Opened::Form(Form::run(
                format!("Remove a user from {group}"),
                vec![Field::new("user", "User").choices(g.members)],
                move |_c, _s, f| {
                    let (u, g) = (f.get("user").trim().to_owned(), target.clone());
                    Ok(Opened::Confirm(Confirm::yes_no(
                        format!("Take {u} out of {g}? They lose what its policies allow."),
                        move |c, s| {
                            c.remove_user_from_group(s, &g, &u)?;
                            Ok(format!("removed {u} from group {g}"))
                        },
                    )))
                },
            )),
            't' => {
                let policies: Vec<String> = c
                    .list_policies(s)?
                    .into_iter()
                    .map(|p| p.name)
                    .filter(|p| !g.policies.contains(p))
                    .collect();
                Opened::Form(Form::run(
                    format!("Attach a policy to {group}"),
                    vec![Field::new("policy", "Policy").choices(policies)],
                    move |c, s, f| {
                        let p = f.get("policy").trim();
                        c.attach_policy_to_group(s, p, &target)?;
                        Ok(Opened::Done(format!("attached {p} to group {target}")))
                    },
                ))
            }
            'T' => Opened::Form(Form::run(
                format!("Detach a policy from {group}"),
                vec![Field::new("policy", "Policy").choices(g.policies)],
                move |_c, _s, f| {
                    let (p, g) = (f.get("policy").trim().to_owned(), target.clone());
                    Ok(Opened::Confirm(Confirm::yes_no(
                        format!("Detach {p} from group {g}? Its members lose what it allows."),
                        move |c, s| {
                            c.detach_policy_from_group(s, &p, &g)?;
                            Ok(format!("detached {p} from group {g}"))
                        },
                    )))
                },
            )),
            _ => Opened::Confirm(Confirm::typed(
                format!("Delete user group {group}? Type its name:"),
                &group,
                move |c, s| {
                    c.delete_group(s, &target)?;
                    Ok(format!("deleted group {target}"))
                },
            )),
        })
    }
}
