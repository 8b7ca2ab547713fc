//! Workspaces of the region: create, disable and enable, delete to the recycle bin; Enter opens
//! a workspace's details.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};
use crate::domain::WorkspaceMode;
use crate::domain::workspace::NewWorkspace;

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, col, extra, key};
use super::{Aim, Command, Here, How, Opened, failed, parsed};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Name"),
    col("Display name"),
    col("Mode"),
    key("Status"),
    extra("Administrators"),
    col("Members"),
    col("My roles"),
];
const STATUS: usize = 3;

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "new",
        label: "new workspace",
        op: Some(Op::CreateProject),
        aim: Aim::Any,
        how: How::Form,
        cli: &["workspace create"],
    },
    Command {
        key: 'x',
        name: "disable",
        label: "disable",
        op: Some(Op::DisableProject),
        aim: Aim::Workspace,
        how: How::Confirm,
        cli: &["workspace disable"],
    },
    Command {
        key: 'E',
        name: "enable",
        label: "enable",
        op: Some(Op::EnableProject),
        aim: Aim::Workspace,
        how: How::Direct,
        cli: &["workspace enable"],
    },
    Command {
        key: 'd',
        name: "delete",
        label: "delete",
        op: Some(Op::DeleteProject),
        aim: Aim::Workspace,
        how: How::Confirm,
        cli: &["workspace delete"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new(&format!("Workspaces in {}", s.region), COLUMNS);
        match c.list_workspaces(s) {
            Ok(rows) => {
                for r in rows {
                    let w = r.workspace;
                    let name = if w.is_default {
                        format!("{} (default)", w.name)
                    } else {
                        w.name.clone()
                    };
                    t.push_with_id(
                        w.name,
                        vec![
                            name,
                            w.display_name,
                            w.mode.title().into(),
                            w.status.title().into(),
                            r.administrators.join(", "),
                            r.member_count.to_string(),
                            r.my_roles.join(", "),
                        ],
                    );
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
        &["workspace list", "workspace show"]
    }

    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        let disabled = here.cell(STATUS) == "Disabled";
        match cmd.key {
            'x' => here.selected.is_some() && !disabled,
            'E' => disabled,
            'd' => here.selected.is_some(),
            _ => true,
        }
    }

    fn open(&self, _c: &Console, _s: &Session, here: &Here) -> Option<Opened> {
        here.selected.clone().map(Opened::Workspace)
    }

    fn run(
        &self,
        c: &Console,
        s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        Ok(match cmd.key {
            'n' => Opened::Form(new_workspace()),
            'x' => {
                let ws = here.need()?;
                let name = ws.clone();
                Opened::Confirm(Confirm::yes_no(
                    format!(
                        "Disable {ws}? Its scheduling pauses and it turns read-only until enabled (E)."
                    ),
                    move |c, s| {
                        c.disable_workspace(s, &name)?;
                        Ok(format!("disabled {name}: scheduling paused, read-only"))
                    },
                ))
            }
            'E' => {
                let ws = here.need()?;
                c.enable_workspace(s, &ws)?;
                Opened::Done(format!("enabled {ws}"))
            }
            _ => {
                let ws = here.need()?;
                let name = ws.clone();
                Opened::Confirm(Confirm::typed(
                    format!(
                        "Move workspace {ws} to the recycle bin (restorable for 14 days)? Type its name:"
                    ),
                    &ws,
                    move |c, s| {
                        c.delete_workspace(s, &name)?;
                        Ok(format!("moved {name} to the recycle bin"))
                    },
                ))
            }
        })
    }
}

fn new_workspace() -> Form {
    Form::run(
        "New workspace",
        vec![
            Field::new("name", "Name")
                .hint("letter first; letters, digits, _; 3–28")
                .check(checks::workspace_name),
            Field::new("display_name", "Display name").check(checks::display_name),
            Field::new("mode", "Mode")
                .choices(["standard", "basic"])
                .hint("standard: dev and prod (recommended)"),
            Field::new("description", "Description"),
        ],
        |c, s, f| {
            let g = |n| f.get(n).trim().to_owned();
            let mode = parsed("mode", WorkspaceMode::parse("mode", &g("mode")))?;
            let w = c.create_workspace(
                s,
                NewWorkspace {
                    name: g("name"),
                    display_name: g("display_name"),
                    description: g("description"),
                    mode: Some(mode),
                },
            )?;
            Ok(Opened::Done(format!(
                "created workspace {} ({} mode)",
                w.name,
                w.mode.title()
            )))
        },
    )
}
