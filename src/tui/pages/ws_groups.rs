//! A workspace's Resource Groups: attach one of the region's, detach one.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::Table;
use super::resource_groups::{COLUMNS, cells};
use super::{Aim, Command, Detail, Here, How, Opened, failed};

pub struct Pane;

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "attach",
        label: "attach group",
        op: Some(Op::AssociateProjectToResourceGroup),
        aim: Aim::Any,
        how: How::Form,
        cli: &["resource-group attach"],
    },
    Command {
        key: 'd',
        name: "detach",
        label: "detach",
        op: Some(Op::DissociateProjectFromResourceGroup),
        aim: Aim::Selected,
        how: How::Confirm,
        cli: &["resource-group detach"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, here: &Here) -> Table {
        let mut t = Table::new("Resource Groups", COLUMNS);
        match c.workspace_resource_groups(s, here.workspace()) {
            Ok(gs) => {
                let used = c.usage_of(s, &gs).unwrap_or_else(|_| vec![0; gs.len()]);
                gs.iter().zip(used).for_each(|(g, u)| t.push(cells(g, u)));
                t
            }
            Err(e) => failed(t, e),
        }
    }

    fn commands(&self) -> &'static [Command] {
        COMMANDS
    }

    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        cmd.key == 'n' || here.selected.is_some()
    }

    fn detail(
        &self,
        c: &Console,
        s: &Session,
        _here: &Here,
        id: &str,
    ) -> Option<Result<Detail, ConsoleError>> {
        Some(super::resource_groups::detail(c, s, id))
    }

    fn run(
        &self,
        _c: &Console,
        _s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        let ws = here.workspace().to_owned();
        if cmd.key == 'n' {
            return Ok(Opened::Form(Form::run(
                format!("Attach a resource group to {ws}"),
                vec![
                    Field::new("group", "Resource group")
                        .hint("a Normal group of this region")
                        .check(checks::group_name),
                ],
                move |c, s, f| {
                    let g = f.get("group").trim();
                    c.attach_resource_group(s, g, &ws)
                        .map_err(|e| super::rename(e, "workspace", "group"))?;
                    Ok(Opened::Done(format!("attached {g} to {ws}")))
                },
            )));
        }
        let g = here.need()?;
        let group = g.clone();
        Ok(Opened::Confirm(Confirm::yes_no(
            format!("Detach {g} from {ws}? Tasks of {ws} stop running on it."),
            move |c, s| {
                c.detach_resource_group(s, &group, &ws)?;
                Ok(format!("detached {group} from {ws}"))
            },
        )))
    }
}
