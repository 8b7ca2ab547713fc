//! A workspace's Data Sources: add one (its fields follow its type), edit its connection, test
//! its connectivity from a resource group, delete it; Enter shows its connection and the last
//! test from each group, step by step.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, DataSourceInput, Session};
use crate::domain::datasource::{ConnectionInput, DataSourceType, FieldKind};
use crate::domain::{Env, WorkspaceMode};

use super::super::form::{Confirm, Field, Form, Submit, checks};
use super::super::view::{Column, Table, col, extra, key};
use super::{Aim, Command, Detail, Here, How, Opened, failed, parsed, time};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Name"),
    col("Type"),
    col("Env"),
    extra("Connection"),
    col("Tests"),
];

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "new",
        label: "new data source",
        op: Some(Op::CreateDataSource),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["datasource create"],
    },
    Command {
        key: 'e',
        name: "edit",
        label: "edit",
        op: Some(Op::UpdateDataSource),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["datasource update"],
    },
    Command {
        key: 't',
        name: "test",
        label: "test connectivity",
        op: Some(Op::TestDataSourceConnectivity),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["datasource test"],
    },
    Command {
        key: 'd',
        name: "delete",
        label: "delete",
        op: Some(Op::DeleteDataSource),
        aim: Aim::Workspace,
        how: How::Confirm,
        cli: &["datasource delete"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, here: &Here) -> Table {
        let mut t = Table::new("Data Sources", COLUMNS);
        match c.list_data_sources(s, here.workspace()) {
            Ok(ds) => {
                for d in ds {
                    let conn = d
                        .display_fields()
                        .into_iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let tests = d
                        .tests
                        .values()
                        .map(|t| format!("{}: {}", t.resource_group, t.result.title()))
                        .collect::<Vec<_>>()
                        .join(", ");
                    t.push(vec![
                        d.name,
                        d.kind.title().into(),
                        d.env.slug().into(),
                        conn,
                        tests,
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
        &["datasource list", "datasource show"]
    }

    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        cmd.key == 'n' || here.selected.is_some()
    }

    fn detail(
        &self,
        c: &Console,
        s: &Session,
        here: &Here,
        id: &str,
    ) -> Option<Result<Detail, ConsoleError>> {
        Some(c.get_data_source(s, here.workspace(), id).map(|d| {
            let mut out = Detail::new(format!("Data source {}", d.name))
                .field("Name", &d.name)
                .field("Workspace", &d.workspace)
                .field("Type", d.kind.title())
                .field("Environment", d.env.slug())
                .field("Description", &d.description)
                .field(
                    "Made by",
                    d.from_compute
                        .as_ref()
                        .map_or("a person".to_owned(), |c| format!("attaching compute {c}")),
                )
                .field("Created", time(&d.created_at));
            for (k, v) in d.display_fields() {
                out.push(k, v);
            }
            if d.tests.is_empty() {
                out.push("Tests", "never tested: t tests it from a resource group");
            }
            for t in d.tests.values() {
                let mut text = format!("{} at {}", t.result.title(), time(&t.tested_at));
                for step in &t.steps {
                    text.push('\n');
                    text.push_str(step);
                }
                out.push(&format!("Test from {}", t.resource_group), text);
            }
            out
        }))
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
            let env = default_env(c, s, &ws);
            return Ok(Opened::Form(new_source(ws, env)));
        }
        let name = here.need()?;
        Ok(match cmd.key {
            'e' => Opened::Form(edit_source(c, s, ws, name)?),
            't' => {
                let groups: Vec<String> = c
                    .workspace_resource_groups(s, &ws)?
                    .into_iter()
                    .filter(|g| g.is_usable())
                    .map(|g| g.name)
                    .collect();
                if groups.is_empty() {
                    return Err(ConsoleError::invalid(
                        "group",
                        format!("{ws} has no Normal resource group to test from: attach one first"),
                    ));
                }
                Opened::Form(Form::new(
                    format!("Test connectivity of {name}"),
                    vec![Field::new("group", "Resource group").choices(groups)],
                    Submit::TestDataSource {
                        workspace: ws,
                        name,
                    },
                ))
            }
            _ => {
                let target = name.clone();
                Opened::Confirm(Confirm::typed(
                    format!("Delete data source {name}? Type its name:"),
                    &name,
                    move |c, s| {
                        c.delete_data_source(s, &ws, &target)?;
                        Ok(format!("deleted data source {target}"))
                    },
                ))
            }
        })
    }
}

fn default_env(c: &Console, s: &Session, ws: &str) -> &'static str {
    match c.get_workspace(s, ws).map(|r| r.workspace.mode) {
        Ok(WorkspaceMode::Basic) => "prod",
        _ => "dev",
    }
}

/// The form fields of a type's connection, filled from `value` where it has one.
fn connection_fields(kind: DataSourceType, value: impl Fn(&str) -> Option<String>) -> Vec<Field> {
    kind.fields()
        .iter()
        .map(|spec| {
            let mut f = Field::new(spec.name, spec.title);
            f = match spec.kind {
                FieldKind::Secret => f.secret(),
                FieldKind::Host => f.check(checks::host),
                FieldKind::Port => f.check(checks::port),
                _ => f,
            };
            match value(spec.name).or(spec.default.map(str::to_owned)) {
                Some(v) => f.value(&v),
                None => f,
            }
        })
        .collect()
}

/// The fields that stay whatever the type: the rest follow it.
const FIXED: &[&str] = &["name", "type", "env"];

/// When the type changes, its connection fields replace the old type's; a value typed into a
/// field both types have stays, except a port still at the old type's default.
fn follow_type(f: &mut Form, changed: &'static str) {
    if changed != "type" {
        return;
    }
    let Ok(kind) = DataSourceType::parse("type", f.get("type")) else {
        return;
    };
    let old: Vec<(&'static str, String)> = f
        .fields
        .iter()
        .filter(|x| !FIXED.contains(&x.name))
        .map(|x| (x.name, x.text().to_owned()))
        .collect();
    let is_default_port = |v: &str| {
        DataSourceType::ALL
            .iter()
            .any(|t| t.field("port").and_then(|p| p.default) == Some(v))
    };
    let conn = connection_fields(kind, |n| {
        old.iter()
            .find(|(k, v)| *k == n && !v.is_empty() && !(n == "port" && is_default_port(v)))
            .map(|(_, v)| v.clone())
    });
    let env = f.fields.pop_if(|x| x.name == "env");
    f.fields.retain(|x| FIXED.contains(&x.name));
    f.fields.extend(conn);
    f.fields.extend(env);
}

fn new_source(ws: String, env: &'static str) -> Form {
    let mut fields = vec![
        Field::new("name", "Name")
            .hint("letter first; letters, digits, _")
            .check(checks::data_source_name),
        Field::new("type", "Type").choices(DataSourceType::ALL.iter().map(|t| t.slug())),
    ];
    fields.extend(connection_fields(DataSourceType::ALL[0], |_| None));
    fields.push(
        Field::new("env", "Environment")
            .value(env)
            .choices(["dev", "prod"]),
    );
    Form::run(
        format!("New data source in {ws}"),
        fields,
        move |c, s, f| {
            let kind = parsed("type", DataSourceType::parse("type", f.get("type")))?;
            let env = parsed("env", Env::parse("env", f.get("env")))?;
            let conn = connection(kind, f)?;
            let name = f.get("name").trim().to_owned();
            c.create_data_source(
                s,
                &ws,
                DataSourceInput {
                    name: name.clone(),
                    kind,
                    env,
                    description: String::new(),
                    connection: conn,
                },
            )?;
            Ok(Opened::Done(format!(
                "created {} data source {name}",
                kind.title()
            )))
        },
    )
    .following(follow_type)
}

/// The connection a form's fields give; empty fields are left out (a secret left empty keeps
/// the stored one when editing).
fn connection(kind: DataSourceType, f: &Form) -> Result<ConnectionInput, ConsoleError> {
    let mut conn = ConnectionInput::default();
    for spec in kind.fields() {
        let raw = f.get(spec.name);
        let value = if spec.kind == FieldKind::Secret {
            raw.to_owned()
        } else {
            raw.trim().to_owned()
        };
        if !value.is_empty() && f.fields.iter().any(|x| x.name == spec.name) {
            conn.set(kind, spec.name, value)?;
        }
    }
    Ok(conn)
}

fn edit_source(c: &Console, s: &Session, ws: String, name: String) -> Result<Form, ConsoleError> {
    let d = c.get_data_source(s, &ws, &name)?;
    let kind = d.kind;
    let mut fields = connection_fields(kind, |n| {
        // Secrets are never shown: left empty, the stored one stays.
        d.fields.get(n).cloned()
    });
    for f in fields.iter_mut().filter(|f| f.secret) {
        f.hint = "empty keeps the stored one".into();
    }
    fields.push(Field::new("description", "Description").value(&d.description));
    Ok(Form::run(
        format!("Edit data source {name}"),
        fields,
        move |c, s, f| {
            let conn = connection(kind, f)?;
            c.update_data_source(
                s,
                &ws,
                &name,
                conn,
                Some(f.get("description").trim().to_owned()),
                None,
            )?;
            Ok(Opened::Done(format!("updated data source {name}")))
        },
    ))
}
