//! A workspace's Configuration: its settings; edit them, upgrade Basic to Standard.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};
use crate::domain::workspace::WorkspacePatch;

use super::super::form::{Field, Form, checks};
use super::super::view::{Column, Table, key};
use super::{Aim, Command, Here, How, Opened, date, failed};

pub struct Pane;

const COLUMNS: &[Column] = &[key("Setting"), key("Value")];

const COMMANDS: &[Command] = &[
    Command {
        key: 'e',
        name: "edit",
        label: "edit",
        op: Some(Op::UpdateProject),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["workspace update"],
    },
    Command {
        key: 'u',
        name: "upgrade",
        label: "upgrade to Standard",
        op: Some(Op::UpgradeProjectMode),
        aim: Aim::Workspace,
        how: How::Confirm,
        cli: &["workspace upgrade"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, here: &Here) -> Table {
        let mut t = Table::new("Configuration", COLUMNS);
        match c.get_workspace(s, here.workspace()) {
            Ok(r) => {
                let w = &r.workspace;
                for (k, v) in [
                    ("Name", w.name.clone()),
                    ("Display name", w.display_name.clone()),
                    ("Mode", w.mode.title().to_owned()),
                    ("Status", w.status.title().to_owned()),
                    ("Region", w.region.clone()),
                    (
                        "Default workspace",
                        if w.is_default {
                            "yes (not for production)".into()
                        } else {
                            "no".into()
                        },
                    ),
                    ("Description", w.description.clone()),
                    (
                        "Allow result download",
                        w.settings.allow_download.to_string(),
                    ),
                    ("Administrators", r.administrators.join(", ")),
                    (
                        "Created",
                        format!("{} by {}", date(&w.created_at), w.created_by),
                    ),
                ] {
                    t.push(vec![k.into(), v]);
                }
                t
            }
            Err(e) => failed(t, e),
        }
    }

    fn commands(&self) -> &'static [Command] {
        COMMANDS
    }

    fn run(
        &self,
        c: &Console,
        s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        let ws = here.workspace().to_owned();
        if cmd.key == 'u' {
            return Ok(Opened::Confirm(super::super::form::Confirm::yes_no(
                format!(
                    "Upgrade {ws} to Standard mode? It gets a development and a production environment; there is no way back to Basic."
                ),
                move |c, s| {
                    c.upgrade_workspace(s, &ws)?;
                    Ok(format!("upgraded {ws} to Standard mode"))
                },
            )));
        }
        let row = c.get_workspace(s, &ws)?;
        Ok(Opened::Form(Form::run(
            format!("Edit {ws}"),
            vec![
                Field::new("display_name", "Display name")
                    .value(&row.workspace.display_name)
                    .check(checks::display_name),
                Field::new("description", "Description").value(&row.workspace.description),
                Field::new("allow_download", "Result download")
                    .value(if row.workspace.settings.allow_download {
                        "allowed"
                    } else {
                        "refused"
                    })
                    .choices(["allowed", "refused"]),
            ],
            move |c, s, f| {
                c.update_workspace(
                    s,
                    &ws,
                    WorkspacePatch {
                        display_name: Some(f.get("display_name").trim().to_owned()),
                        description: Some(f.get("description").trim().to_owned()),
                        allow_download: Some(f.get("allow_download") == "allowed"),
                        ..Default::default()
                    },
                )?;
                Ok(Opened::Done(format!("updated {ws}")))
            },
        )))
    }
}
