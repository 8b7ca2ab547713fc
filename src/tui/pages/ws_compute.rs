//! A workspace's Computing Resources: attach one (its data source comes with it), detach it.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, NewCompute, Session};
use crate::domain::Env;
use crate::domain::compute::ComputeType;

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, col, key};
use super::{Aim, Command, Here, How, Opened, failed, parsed};

pub struct Pane;

const COLUMNS: &[Column] = &[key("Name"), col("Type"), col("Instance"), key("Env")];

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "attach",
        label: "attach compute",
        op: Some(Op::CreateComputeResource),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["compute attach"],
    },
    Command {
        key: 'd',
        name: "detach",
        label: "detach",
        op: Some(Op::DeleteComputeResource),
        aim: Aim::Workspace,
        how: How::Confirm,
        cli: &["compute detach"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, here: &Here) -> Table {
        let mut t = Table::new("Computing Resources", COLUMNS);
        match c.list_compute(s, here.workspace()) {
            Ok(cs) => {
                for x in cs {
                    t.push(vec![
                        x.name,
                        x.kind.title().into(),
                        x.instance,
                        x.env.slug().into(),
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
        &["compute list"]
    }

    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        cmd.key == 'n' || here.selected.is_some()
    }

    fn run(
        &self,
        c: &Console,
        s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        let ws = here.workspace().to_owned();
        if cmd.key == 'n' {
            let env = match c.get_workspace(s, &ws).map(|r| r.workspace.mode) {
                Ok(crate::domain::WorkspaceMode::Basic) => "prod",
                _ => "dev",
            };
            return Ok(Opened::Form(Form::run(
                format!("Attach a compute resource to {ws}"),
                vec![
                    Field::new("name", "Name")
                        .hint("also the name of its data source")
                        .check(checks::compute_name),
                    Field::new("type", "Type").choices(ComputeType::ALL.iter().map(|t| t.slug())),
                    Field::new("instance", "Instance")
                        .hint("project or instance id")
                        .check(checks::instance),
                    Field::new("env", "Environment")
                        .value(env)
                        .choices(["dev", "prod"]),
                ],
                move |c, s, f| {
                    let kind = parsed("type", ComputeType::parse("type", f.get("type")))?;
                    let env = parsed("env", Env::parse("env", f.get("env")))?;
                    let name = f.get("name").trim().to_owned();
                    c.attach_compute(
                        s,
                        &ws,
                        NewCompute {
                            name: name.clone(),
                            kind,
                            instance: f.get("instance").trim().to_owned(),
                            env,
                        },
                    )?;
                    Ok(Opened::Done(format!(
                        "attached {} {name}; created its data source",
                        kind.title()
                    )))
                },
            )));
        }
        let name = here.need()?;
        let target = name.clone();
        Ok(Opened::Confirm(Confirm::typed(
            format!("Detach {name} (its data source goes too)? Type its name:"),
            &name,
            move |c, s| {
                c.detach_compute(s, &ws, &target)?;
                Ok(format!("detached {target} from {ws}"))
            },
        )))
    }
}
