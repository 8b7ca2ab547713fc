//! Image Management: official images and custom ones built from them; create, build, delete.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};
use crate::domain::image::{ImageKind, NewImage, TaskType};

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, col, extra, key};
use super::{Aim, Command, Detail, Here, How, Opened, failed, parsed, time};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Name"),
    col("Type"),
    key("Status"),
    col("Task types"),
    col("Base"),
    extra("Packages"),
];

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "new",
        label: "new image",
        op: Some(Op::CreateImage),
        aim: Aim::Any,
        how: How::Form,
        cli: &["image create"],
    },
    Command {
        key: 'b',
        name: "build",
        label: "build",
        op: Some(Op::BuildImage),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["image build"],
    },
    Command {
        key: 'd',
        name: "delete",
        label: "delete",
        op: Some(Op::DeleteImage),
        aim: Aim::Selected,
        how: How::Confirm,
        cli: &["image delete"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("Images", COLUMNS);
        match c.list_images(s) {
            Ok(is) => {
                for i in is {
                    let kind = if i.kind == ImageKind::Official {
                        "Official"
                    } else {
                        "Custom"
                    };
                    t.push(vec![
                        i.name,
                        kind.into(),
                        i.status.title().into(),
                        i.task_types
                            .iter()
                            .map(|t| t.title())
                            .collect::<Vec<_>>()
                            .join(", "),
                        i.base,
                        i.packages.join(" "),
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
        &["image list", "image show"]
    }

    /// Official images are the vendor's: they are neither built nor deleted here.
    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        cmd.key == 'n' || (here.selected.is_some() && here.cell(1) == "Custom")
    }

    fn detail(
        &self,
        c: &Console,
        s: &Session,
        _here: &Here,
        id: &str,
    ) -> Option<Result<Detail, ConsoleError>> {
        Some(c.get_image(s, id).map(|i| {
            Detail::new(format!("Image {}", i.name))
                .field("Name", &i.name)
                .field("Region", &i.region)
                .field(
                    "Type",
                    if i.kind == ImageKind::Official {
                        "Official"
                    } else {
                        "Custom"
                    },
                )
                .field("Status", i.status.title())
                .field("Description", &i.description)
                .field("Base", &i.base)
                .field(
                    "Task types",
                    i.task_types
                        .iter()
                        .map(|t| t.title())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
                .field("Packages", i.packages.join("\n"))
                .field(
                    "Built on",
                    i.build_group.clone().unwrap_or_else(|| "-".into()),
                )
                .field(
                    "Failure reason",
                    i.reason.clone().unwrap_or_else(|| "-".into()),
                )
                .field("Created", time(&i.created_at))
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
            return Ok(Opened::Form(new_image()));
        }
        let name = here.need()?;
        let target = name.clone();
        Ok(match cmd.key {
            'b' => Opened::Form(Form::run(
                format!("Build {name}"),
                vec![
                    Field::new("group", "Resource group")
                        .hint("a Normal group to build on")
                        .check(checks::group_name),
                ],
                move |c, s, f| {
                    let group = f.get("group").trim();
                    c.build_image(s, &target, group)
                        .map_err(|e| super::rename(e, "resource_group", "group"))?;
                    Ok(Opened::Done(format!(
                        "building image {target} on {group}: job started"
                    )))
                },
            )),
            _ => Opened::Confirm(Confirm::typed(
                format!("Delete image {name}? Type its name:"),
                &name,
                move |c, s| {
                    c.delete_image(s, &target)?;
                    Ok(format!("deleted image {target}"))
                },
            )),
        })
    }
}

fn new_image() -> Form {
    Form::run(
        "New custom image",
        vec![
            Field::new("name", "Name").hint("letters, digits, _ -"),
            Field::new("base", "Base image")
                .choices(crate::domain::catalogue::official_image_names()),
            Field::new("packages", "Packages").hint("space-separated: pandas==2.2.2 requests"),
            Field::new("task_types", "Task types")
                .value("python")
                .hint("comma-separated: shell, python, …"),
            Field::new("description", "Description"),
        ],
        |c, s, f| {
            let task_types = f
                .get("task_types")
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| parsed("task_types", TaskType::parse("task_types", t)))
                .collect::<Result<Vec<_>, _>>()?;
            let name = f.get("name").trim().to_owned();
            c.create_image(
                s,
                NewImage {
                    name: name.clone(),
                    description: f.get("description").trim().to_owned(),
                    base: f.get("base").trim().to_owned(),
                    packages: f
                        .get("packages")
                        .split_whitespace()
                        .map(str::to_owned)
                        .collect(),
                    task_types,
                },
            )
            .map_err(|e| super::rename(e, "task-type", "task_types"))?;
            Ok(Opened::Done(format!(
                "created image {name} (Draft): b builds it"
            )))
        },
    )
}
