//! Large Model Service: models of the catalogue deployed on a resource group; deploy, delete.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, col, extra, key};
use super::{Aim, Command, Detail, Here, How, Opened, failed, number, time};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Name"),
    col("Model"),
    key("Status"),
    col("Resource group"),
    col("Replicas"),
    extra("Endpoint"),
];

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "deploy",
        label: "deploy a model",
        op: Some(Op::CreateModelDeployment),
        aim: Aim::Any,
        how: How::Form,
        cli: &["model create"],
    },
    Command {
        key: 'd',
        name: "delete",
        label: "delete",
        op: Some(Op::DeleteModelDeployment),
        aim: Aim::Selected,
        how: How::Confirm,
        cli: &["model delete"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new(&format!("Model deployments in {}", s.region), COLUMNS);
        match c.list_models(s) {
            Ok(ms) => {
                for m in ms {
                    t.push(vec![
                        m.name,
                        m.model,
                        m.status.title().into(),
                        m.resource_group,
                        m.replicas.to_string(),
                        m.endpoint.unwrap_or_default(),
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
        &["model list", "model show", "model catalogue"]
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
        Some(c.get_model(s, id).map(|m| {
            let about = crate::domain::catalogue::models()
                .iter()
                .find(|x| x.id == m.model);
            Detail::new(format!("Model deployment {}", m.name))
                .field("Name", &m.name)
                .field("Region", &m.region)
                .field("Model", &m.model)
                .field("Model title", about.map_or("", |a| a.title.as_str()))
                .field(
                    "About the model",
                    about.map_or("", |a| a.description.as_str()),
                )
                .field("Status", m.status.title())
                .field("Resource group", &m.resource_group)
                .field("Replicas", m.replicas.to_string())
                .field(
                    "CU per replica",
                    about.map_or(String::new(), |a| a.min_cu.to_string()),
                )
                .field("Endpoint", m.endpoint.clone().unwrap_or_else(|| "-".into()))
                .field(
                    "Failure reason",
                    m.reason.clone().unwrap_or_else(|| "-".into()),
                )
                .field("Created", time(&m.created_at))
        }))
    }

    fn run(
        &self,
        _c: &Console,
        _s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        if cmd.key == 'n' {
            return Ok(Opened::Form(deploy()));
        }
        let name = here.need()?;
        let target = name.clone();
        Ok(Opened::Confirm(Confirm::typed(
            format!("Delete model deployment {name}? Its endpoint stops answering. Type its name:"),
            &name,
            move |c, s| {
                c.delete_model(s, &target)?;
                Ok(format!("deleted model deployment {target}"))
            },
        )))
    }
}

fn deploy() -> Form {
    Form::run(
        "Deploy a model",
        vec![
            Field::new("name", "Name")
                .hint("letter first; letters, digits, _")
                .check(checks::group_name),
            Field::new("model", "Model").choices(crate::domain::catalogue::model_ids()),
            Field::new("group", "Resource group")
                .hint("a Normal group with room for its CU")
                .check(checks::group_name),
            Field::new("replicas", "Replicas").value("1"),
        ],
        |c, s, f| {
            let replicas = number("replicas", f.get("replicas"), "replicas")?;
            let (name, model, group) = (
                f.get("name").trim(),
                f.get("model").trim(),
                f.get("group").trim(),
            );
            c.deploy_model(s, name, model, group, replicas)
                .map_err(|e| super::rename(e, "resource_group", "group"))?;
            Ok(Opened::Done(format!(
                "deploying {model} as {name} on {group}: job started"
            )))
        },
    )
}
