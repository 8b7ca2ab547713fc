//! A workspace's Cluster Management (only for workspaces that do not use the new Data
//! Studio): its self-built CDH, CDP and EMR clusters, their files and account mappings.

use std::collections::BTreeMap;

use crate::authz::Op;
use crate::console::clusters::{MapFor, NewCluster};
use crate::console::{Console, ConsoleError, Session};
use crate::domain::Env;
use crate::domain::cluster::ClusterType;

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, col, extra, key};
use super::{Aim, Command, Detail, Here, How, Opened, failed, parsed};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Name"),
    col("Type"),
    col("Version"),
    key("Env"),
    extra("Endpoints"),
    col("Files"),
    col("Accounts"),
];

/// The mapping everyone without their own gets, as the picker names it.
const DEFAULT: &str = "(default)";

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "register",
        label: "register cluster",
        op: Some(Op::CreateCluster),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["cluster register"],
    },
    Command {
        key: 'e',
        name: "edit",
        label: "version, endpoints",
        op: Some(Op::UpdateCluster),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["cluster update"],
    },
    Command {
        key: 'm',
        name: "map",
        label: "map account",
        op: Some(Op::UpdateCluster),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["cluster map set"],
    },
    Command {
        key: 'M',
        name: "unmap",
        label: "remove mapping",
        op: Some(Op::UpdateCluster),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["cluster map remove"],
    },
    Command {
        key: 'X',
        name: "remove-file",
        label: "remove file",
        op: Some(Op::UpdateCluster),
        aim: Aim::Workspace,
        how: How::Form,
        cli: &["cluster file remove"],
    },
    Command {
        key: 'd',
        name: "deregister",
        label: "deregister",
        op: Some(Op::DeleteCluster),
        aim: Aim::Workspace,
        how: How::Confirm,
        cli: &["cluster deregister"],
    },
];

fn endpoints_text(e: &BTreeMap<String, String>) -> String {
    e.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `name=host:port name=host:port` as the form takes it.
fn endpoints_of(text: &str) -> Result<BTreeMap<String, String>, ConsoleError> {
    text.split_whitespace()
        .map(|e| {
            e.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .ok_or_else(|| {
                    ConsoleError::invalid("endpoints", format!("{e:?} is not NAME=HOST:PORT"))
                })
        })
        .collect()
}

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, here: &Here) -> Table {
        let mut t = Table::new("Cluster Management", COLUMNS);
        match c.list_clusters(s, here.workspace()) {
            Ok(cs) => {
                for cl in cs {
                    let mut accounts: Vec<String> = cl
                        .accounts
                        .iter()
                        .map(|(m, a)| format!("{m}={a}"))
                        .collect();
                    if let Some(d) = &cl.default_account {
                        accounts.insert(0, format!("{DEFAULT}={d}"));
                    }
                    t.push(vec![
                        cl.name,
                        cl.kind.title().into(),
                        cl.version,
                        cl.env.slug().into(),
                        endpoints_text(&cl.endpoints),
                        cl.files.keys().cloned().collect::<Vec<_>>().join(", "),
                        accounts.join(", "),
                    ]);
                }
                t
            }
            Err(e) => failed(t, e),
        }
    }

    /// Workspaces on the new Data Studio have no Cluster Management.
    fn present(&self, c: &Console, s: &Session, ws: &str) -> bool {
        c.get_workspace(s, ws)
            .is_ok_and(|r| r.workspace.legacy_data_studio)
    }

    fn commands(&self) -> &'static [Command] {
        COMMANDS
    }

    fn shows(&self) -> &'static [&'static str] {
        &["cluster list", "cluster show"]
    }

    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        match cmd.key {
            'n' => true,
            'X' => !here.cell(5).is_empty(),
            'M' => !here.cell(6).is_empty(),
            _ => here.selected.is_some(),
        }
    }

    fn detail(
        &self,
        c: &Console,
        s: &Session,
        here: &Here,
        id: &str,
    ) -> Option<Result<Detail, ConsoleError>> {
        Some(c.get_cluster(s, here.workspace(), id).map(|cl| {
            let mut d = Detail::new(format!("Cluster {}", cl.name))
                .field("Name", &cl.name)
                .field("Workspace", &cl.workspace)
                .field("Type", cl.kind.title())
                .field("Version", &cl.version)
                .field("Environment", cl.env.slug());
            for (k, v) in &cl.endpoints {
                d.push(k, v.clone());
            }
            d.push(
                "Files",
                cl.files
                    .iter()
                    .map(|(n, size)| format!("{n} ({size} bytes)"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            d.push(
                "Default account",
                cl.default_account.clone().unwrap_or_else(|| "none".into()),
            );
            for (m, a) in &cl.accounts {
                d.push(&format!("Account of {m}"), a.clone());
            }
            d
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
            return Ok(Opened::Form(Form::run(
                format!("Register a cluster in {ws}"),
                vec![
                    Field::new("name", "Name").check(checks::compute_name),
                    Field::new("type", "Type").choices(["cdh", "cdp", "emr"]),
                    Field::new("version", "Version").hint("like 6.3.2"),
                    Field::new("env", "Environment").choices(["dev", "prod"]),
                    Field::new("endpoints", "Endpoints")
                        .hint("hiveserver2=HOST:PORT yarn=HOST:PORT …"),
                ],
                move |c, s, f| {
                    let name = f.get("name").trim().to_owned();
                    c.register_cluster(
                        s,
                        &ws,
                        NewCluster {
                            name: name.clone(),
                            kind: parsed("type", ClusterType::parse("type", f.get("type")))?,
                            version: f.get("version").trim().to_owned(),
                            env: parsed("env", Env::parse("env", f.get("env")))?,
                            endpoints: endpoints_of(f.get("endpoints"))?,
                        },
                    )
                    .map_err(|e| super::rename(e, "endpoint", "endpoints"))?;
                    Ok(Opened::Done(format!("registered cluster {name} in {ws}")))
                },
            )));
        }
        let name = here.need()?;
        let cl = c.get_cluster(s, &ws, &name)?;
        let target = name.clone();
        Ok(match cmd.key {
            'e' => Opened::Form(Form::run(
                format!("Edit cluster {name}"),
                vec![
                    Field::new("version", "Version").value(&cl.version),
                    Field::new("endpoints", "Endpoints")
                        .value(&endpoints_text(&cl.endpoints))
                        .hint("NAME= with no address removes one"),
                ],
                move |c, s, f| {
                    let mut wanted = endpoints_of(f.get("endpoints"))?;
                    // Endpoints left out of the field go.
                    let had = c.get_cluster(s, &ws, &target)?.endpoints;
                    for k in had.keys() {
                        wanted.entry(k.clone()).or_default();
                    }
                    c.update_cluster(s, &ws, &target, Some(f.get("version").trim()), &wanted)
                        .map_err(|e| super::rename(e, "endpoint", "endpoints"))?;
                    Ok(Opened::Done(format!("updated cluster {target}")))
                },
            )),
            'm' => {
                let mut who = vec![DEFAULT.to_owned()];
                who.extend(c.list_members(s, &ws)?.into_iter().map(|m| m.user));
                Opened::Form(Form::run(
                    format!("Map an account on {name}"),
                    vec![
                        Field::new("member", "Member").choices(who),
                        Field::new("account", "Account")
                            .hint("the cluster account, like etl@EXAMPLE.COM"),
                    ],
                    move |c, s, f| {
                        let m = f.get("member");
                        let account = f.get("account").trim();
                        let for_ = if m == DEFAULT {
                            MapFor::Default
                        } else {
                            MapFor::Member(m)
                        };
                        c.set_cluster_account(s, &ws, &target, for_, account)?;
                        Ok(Opened::Done(format!("{m} works on {target} as {account}")))
                    },
                ))
            }
            'M' => {
                let mut mapped: Vec<String> = Vec::new();
                if cl.default_account.is_some() {
                    mapped.push(DEFAULT.into());
                }
                mapped.extend(cl.accounts.keys().cloned());
                Opened::Form(Form::run(
                    format!("Remove a mapping on {name}"),
                    vec![Field::new("member", "Member").choices(mapped)],
                    move |c, s, f| {
                        let m = f.get("member");
                        let for_ = if m == DEFAULT {
                            MapFor::Default
                        } else {
                            MapFor::Member(m)
                        };
                        c.remove_cluster_account(s, &ws, &target, for_)?;
                        Ok(Opened::Done(format!(
                            "removed the mapping of {m} on {target}"
                        )))
                    },
                ))
            }
            'X' => Opened::Form(Form::run(
                format!("Remove a file of {name}"),
                vec![Field::new("file", "File").choices(cl.files.keys().cloned())],
                move |_c, _s, f| {
                    let (file, ws, cl) = (f.get("file").to_owned(), ws.clone(), target.clone());
                    Ok(Opened::Confirm(Confirm::yes_no(
                        format!("Remove {file} of {cl}? Jobs that authenticate with it fail."),
                        move |c, s| {
                            c.remove_cluster_file(s, &ws, &cl, &file)?;
                            Ok(format!("removed {file} of cluster {cl}"))
                        },
                    )))
                },
            )),
            _ => Opened::Confirm(Confirm::typed(
                format!("Deregister cluster {name} (its files and mappings go)? Type its name:"),
                &name,
                move |c, s| {
                    c.deregister_cluster(s, &ws, &target)?;
                    Ok(format!("deregistered cluster {target}"))
                },
            )),
        })
    }
}
