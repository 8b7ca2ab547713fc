//! Tenant roles, built-in and custom, with their level per global module: create a custom one
//! (a level per module), delete it.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};
use crate::domain::module::{GlobalLevels, GlobalModule, Level};

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, col, key};
use super::{Aim, Command, Here, How, Opened, failed, parsed};

pub struct Pane;

const COLUMNS: &[Column] = &[key("Role"), key("Type"), col("Permissions")];

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "new",
        label: "new custom role",
        op: Some(Op::CreateTenantRole),
        aim: Aim::Any,
        how: How::Form,
        cli: &["tenant create-role"],
    },
    Command {
        key: 'd',
        name: "delete",
        label: "delete",
        op: Some(Op::DeleteTenantRole),
        aim: Aim::Any,
        how: How::Confirm,
        cli: &["tenant delete-role"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("Tenant roles", COLUMNS);
        match c.list_tenant_roles(s) {
            Ok(rs) => {
                for r in rs {
                    t.push(vec![
                        r.name,
                        if r.builtin { "Built-in" } else { "Custom" }.into(),
                        levels_text(&r.levels),
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
        &["tenant roles"]
    }

    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        cmd.key == 'n' || here.cell(1) == "Custom"
    }

    fn run(
        &self,
        _c: &Console,
        _s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        if cmd.key == 'n' {
            let mut fields = vec![Field::new("name", "Name").check(checks::role_name)];
            fields.extend(
                GlobalModule::ALL
                    .iter()
                    .map(|m| level_field(m.slug(), m.title())),
            );
            return Ok(Opened::Form(Form::run(
                "New custom tenant role",
                fields,
                |c, s, f| {
                    let mut levels = GlobalLevels::default();
                    for m in GlobalModule::ALL {
                        levels.set(
                            m.index(),
                            parsed(m.slug(), Level::parse(m.slug(), f.get(m.slug())))?,
                        );
                    }
                    let name = f.get("name").trim();
                    c.create_tenant_role(s, name, levels)?;
                    Ok(Opened::Done(format!("created tenant role {name}")))
                },
            )));
        }
        let name = here.need()?;
        let target = name.clone();
        Ok(Opened::Confirm(Confirm::typed(
            format!("Delete tenant role {name}? Its holders lose what it grants. Type its name:"),
            &name,
            move |c, s| {
                c.delete_tenant_role(s, &target)?;
                Ok(format!("deleted tenant role {target}"))
            },
        )))
    }
}

/// A module's level as a picker: none, read, write.
pub fn level_field(name: &'static str, label: &'static str) -> Field {
    Field::new(name, label).choices(Level::ALL.iter().map(|l| l.slug()))
}

/// `module=level` for the levels that grant something.
pub fn levels_text(levels: &[(String, String)]) -> String {
    levels
        .iter()
        .filter(|(_, l)| l != "none")
        .map(|(m, l)| format!("{m}={l}"))
        .collect::<Vec<_>>()
        .join(" ")
}
