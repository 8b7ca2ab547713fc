//! A workspace's Members and Roles: members with their roles (add, remove, grant and revoke a
//! role from the valid ones, see a member's access), then the roles with their levels (create
//! a custom role with a level per module, delete one).

use crate::authz::Op;
use crate::console::{Console, ConsoleError, RoleView, Session};
use crate::domain::RoleRef;
use crate::domain::module::{Level, Module, ModuleLevels};

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, col, key};
use super::tenant_roles::{level_field, levels_text};
use super::{Aim, Command, Here, How, Opened, failed, opt, parsed};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Member or role"),
    col("Roles / permissions"),
    col("Compute role (dev)"),
];

/// Role rows' ids start so; member rows' ids are user names.
const ROLE: &str = "role:";

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "add",
        label: "add member",
        op: Some(Op::CreateProjectMember),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["member add"],
    },
    Command {
        key: 'r',
        name: "grant",
        label: "grant role",
        op: Some(Op::GrantMemberProjectRoles),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["member grant"],
    },
    Command {
        key: 'R',
        name: "revoke",
        label: "revoke role",
        op: Some(Op::RevokeMemberProjectRoles),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["member revoke"],
    },
    Command {
        key: 'd',
        name: "remove",
        label: "remove member",
        op: Some(Op::DeleteProjectMember),
        aim: Aim::Workspace,
        how: How::Confirm,
        cli: &["member remove"],
    },
    Command {
        key: 'v',
        name: "access",
        label: "access of member",
        op: Some(Op::ListProjectMembers),
        aim: Aim::Workspace,
        how: How::Show,
        cli: &[],
    },
    Command {
        key: 'N',
        name: "new-role",
        label: "new custom role",
        op: Some(Op::CreateProjectRole),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["role create"],
    },
    Command {
        key: 'D',
        name: "delete-role",
        label: "delete role",
        op: Some(Op::DeleteProjectRole),
        aim: Aim::Workspace,
        how: How::Confirm,
        cli: &["role delete"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, here: &Here) -> Table {
        let ws = here.workspace();
        let mut t = Table::new("Members and Roles", COLUMNS);
        match (c.list_members(s, ws), c.list_roles(s, ws)) {
            (Ok(ms), Ok(rs)) => {
                // A member's compute-engine roles are those of the roles they hold (seed 004).
                for m in ms {
                    let compute: Vec<String> = m
                        .roles
                        .iter()
                        .filter_map(|held| rs.iter().find(|r| &r.name == held))
                        .filter_map(|r| r.compute_role_dev.clone())
                        .collect();
                    t.push(vec![m.user, m.roles.join(", "), compute.join(", ")]);
                }
                for r in rs {
                    let kind = if r.builtin { "role" } else { "custom role" };
                    t.push_with_id(
                        format!("{ROLE}{}", r.slug),
                        vec![
                            format!("[{kind}] {}", r.name),
                            levels_text(&r.levels),
                            r.compute_role_dev.unwrap_or_default(),
                        ],
                    );
                }
                t
            }
            (Err(e), _) | (_, Err(e)) => failed(t, e),
        }
    }

    fn commands(&self) -> &'static [Command] {
        COMMANDS
    }

    fn shows(&self) -> &'static [&'static str] {
        &["member list", "role list", "role show"]
    }

    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        let on_role = here
            .selected
            .as_deref()
            .is_some_and(|s| s.starts_with(ROLE));
        let on_member = here.selected.is_some() && !on_role;
        match cmd.key {
            'n' | 'N' => true,
            'D' => on_role && here.cell(0).starts_with("[custom role]"),
            _ => on_member,
        }
    }

    fn verdict(
        &self,
        c: &Console,
        s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Option<Result<crate::authz::Verdict, ConsoleError>> {
        let user = here.selected.as_deref()?;
        (cmd.key == 'v').then(|| c.can_view_access(s, user, here.workspace()))
    }

    fn run(
        &self,
        c: &Console,
        s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        let ws = here.workspace().to_owned();
        match cmd.key {
            'n' => return Ok(Opened::Form(add_member(c, s, ws)?)),
            'N' => return Ok(Opened::Form(new_role(ws))),
            _ => {}
        }
        let id = here.need()?;
        Ok(match cmd.key {
            'r' | 'R' => {
                let roles = c.list_roles(s, &ws)?;
                let held: Vec<String> = c
                    .list_members(s, &ws)?
                    .into_iter()
                    .find(|m| m.user == id)
                    .map(|m| m.roles)
                    .unwrap_or_default();
                let grant = cmd.key == 'r';
                let choices: Vec<String> = roles
                    .iter()
                    .filter(|r| held.contains(&r.name) != grant)
                    .map(|r| r.slug.clone())
                    .collect();
                if choices.is_empty() {
                    return Err(ConsoleError::invalid(
                        "role",
                        if grant {
                            format!("{id} holds every role of {ws}")
                        } else {
                            format!("{id} holds no role to revoke")
                        },
                    ));
                }
                Opened::Form(Form::run(
                    if grant {
                        format!("Grant {id} a role in {ws}")
                    } else {
                        format!("Revoke a role of {id} in {ws}")
                    },
                    vec![Field::new("role", "Role").choices(choices)],
                    move |c, s, f| {
                        let role = parsed("role", RoleRef::parse(f.get("role")))?;
                        if grant {
                            c.grant_role(s, &ws, &id, role.clone())?;
                            return Ok(Opened::Done(format!("granted {} to {id}", role.name())));
                        }
                        // Revoking takes away what someone works with: asked once more.
                        let (ws, id) = (ws.clone(), id.clone());
                        Ok(Opened::Confirm(Confirm::yes_no(
                            format!("Revoke {} from {id} in {ws}?", role.name()),
                            move |c, s| {
                                c.revoke_role(s, &ws, &id, role.clone())?;
                                Ok(format!("revoked {} from {id}", role.name()))
                            },
                        )))
                    },
                ))
            }
            'v' => Opened::Access(id),
            'D' => {
                let slug = id.trim_start_matches(ROLE).to_owned();
                let target = slug.clone();
                Opened::Confirm(Confirm::typed(
                    format!("Delete custom role {slug} from {ws}? Type its name:"),
                    &slug,
                    move |c, s| {
                        c.delete_role(s, &ws, &target)?;
                        Ok(format!("deleted role {target} from {ws}"))
                    },
                ))
            }
            _ => {
                let user = id.clone();
                Opened::Confirm(Confirm::yes_no(
                    format!("Remove {id} from {ws}? They lose every role here."),
                    move |c, s| {
                        c.remove_member(s, &ws, &user)?;
                        Ok(format!("removed {user} from {ws}"))
                    },
                ))
            }
        })
    }
}

fn role_slugs(roles: &[RoleView]) -> String {
    roles
        .iter()
        .map(|r| r.slug.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn add_member(c: &Console, s: &Session, ws: String) -> Result<Form, ConsoleError> {
    let roles = c.list_roles(s, &ws)?;
    let hint = format!("comma-separated, of: {}", role_slugs(&roles));
    Ok(Form::run(
        format!("Add a member to {ws}"),
        vec![
            Field::new("user", "User").check(checks::user),
            Field::new("roles", "Roles")
                .value("development")
                .hint(hint)
                .check(checks::roles),
        ],
        move |c, s, f| {
            let roles = f
                .get("roles")
                .split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(|r| parsed("roles", RoleRef::parse(r)))
                .collect::<Result<Vec<_>, _>>()?;
            let user = f.get("user").trim();
            c.add_member(s, &ws, user, roles)
                .map_err(|e| super::rename(e, "role", "roles"))?;
            Ok(Opened::Done(format!("added {user} to {ws}")))
        },
    ))
}

fn new_role(ws: String) -> Form {
    let mut fields = vec![Field::new("name", "Name").check(checks::role_name)];
    fields.extend(Module::ALL.iter().map(|m| level_field(m.slug(), m.title())));
    fields
        .push(Field::new("compute_role", "Compute role").hint("MaxCompute role in dev (optional)"));
    Form::run(
        format!("New custom role in {ws}"),
        fields,
        move |c, s, f| {
            let mut levels = ModuleLevels::default();
            for m in Module::ALL {
                levels.set(
                    m.index(),
                    parsed(m.slug(), Level::parse(m.slug(), f.get(m.slug())))?,
                );
            }
            let name = f.get("name").trim();
            c.create_role(s, &ws, name, levels, opt(f.get("compute_role")))?;
            Ok(Opened::Done(format!("created role {name} in {ws}")))
        },
    )
}
