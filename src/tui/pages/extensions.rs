//! Extensions that check development and O&M events: create, delete, and turn one on or off
//! in a workspace.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};
use crate::domain::extension::ExtensionEvent;

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, col, extra, key};
use super::{Aim, Command, Here, How, Opened, failed, parsed};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Name"),
    col("Events"),
    col("Enabled in"),
    extra("Description"),
];

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "new",
        label: "new extension",
        op: Some(Op::CreateExtension),
        aim: Aim::Any,
        how: How::Form,
        cli: &["extension create"],
    },
    Command {
        key: 'w',
        name: "enable",
        label: "on/off in a workspace",
        op: Some(Op::UpdateExtension),
        aim: Aim::Any,
        how: How::Form,
        cli: &["extension enable", "extension disable"],
    },
    Command {
        key: 'd',
        name: "delete",
        label: "delete",
        op: Some(Op::DeleteExtension),
        aim: Aim::Any,
        how: How::Confirm,
        cli: &["extension delete"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("Extensions", COLUMNS);
        match c.list_extensions(s) {
            Ok(es) => {
                for e in es {
                    t.push(vec![
                        e.name,
                        e.events
                            .iter()
                            .map(|ev| ev.slug())
                            .collect::<Vec<_>>()
                            .join(", "),
                        e.enabled_in.into_iter().collect::<Vec<_>>().join(", "),
                        e.description,
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
        &["extension list"]
    }

    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        cmd.key == 'n' || here.selected.is_some()
    }

    fn run(
        &self,
        _c: &Console,
        _s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        if cmd.key == 'n' {
            return Ok(Opened::Form(Form::run(
                "New extension",
                vec![
                    Field::new("name", "Name").check(checks::user),
                    Field::new("events", "Events").hint(event_hint()),
                    Field::new("description", "Description"),
                ],
                |c, s, f| {
                    let events = f
                        .get("events")
                        .split(',')
                        .map(str::trim)
                        .filter(|e| !e.is_empty())
                        .map(|e| parsed("events", ExtensionEvent::parse("events", e)))
                        .collect::<Result<Vec<_>, _>>()?;
                    let name = f.get("name").trim();
                    c.create_extension(s, name, f.get("description").trim(), &events)
                        .map_err(|e| super::rename(e, "event", "events"))?;
                    Ok(Opened::Done(format!("created extension {name}")))
                },
            )));
        }
        let name = here.need()?;
        let target = name.clone();
        Ok(match cmd.key {
            'w' => Opened::Form(Form::run(
                format!("Turn {name} on or off in a workspace"),
                vec![
                    Field::new("workspace", "Workspace").check(checks::workspace_name),
                    Field::new("state", "State").choices(["on", "off"]),
                ],
                move |c, s, f| {
                    let ws = f.get("workspace").trim();
                    let on = f.get("state") == "on";
                    c.enable_extension(s, &target, ws, on)?;
                    Ok(Opened::Done(format!(
                        "{target} {} in {ws}",
                        if on { "enabled" } else { "disabled" }
                    )))
                },
            )),
            _ => Opened::Confirm(Confirm::typed(
                format!("Delete extension {name}? Type its name:"),
                &name,
                move |c, s| {
                    c.delete_extension(s, &target)?;
                    Ok(format!("deleted extension {target}"))
                },
            )),
        })
    }
}

fn event_hint() -> String {
    let slugs: Vec<&str> = ExtensionEvent::ALL.iter().map(|e| e.slug()).collect();
    format!("comma-separated: {}", slugs.join(", "))
}
