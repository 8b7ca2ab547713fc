//! RAM policies: system and custom ones, their documents and versions; create a policy from a
//! document, attach it to a user, keep versions, delete.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};

use super::super::editor::Editor;
use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, extra, key};
use super::{Aim, Command, Detail, Here, How, Opened, failed};

pub struct Pane;

const COLUMNS: &[Column] = &[key("Policy"), key("Type"), extra("Description")];

/// What a new policy's document starts as: the shape RAM expects, to be edited.
const TEMPLATE: &str = r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["dataworks:ListProjects"], "Resource": ["*"]}]}"#;

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "new",
        label: "new policy",
        op: Some(Op::CreatePolicy),
        aim: Aim::Any,
        how: How::Form,
        cli: &["policy create"],
    },
    Command {
        key: 't',
        name: "attach",
        label: "attach to user",
        op: Some(Op::AttachPolicyToUser),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["policy attach"],
    },
    Command {
        key: 'T',
        name: "detach",
        label: "detach from user",
        op: Some(Op::DetachPolicyFromUser),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["policy detach"],
    },
    Command {
        key: 'v',
        name: "versions",
        label: "versions",
        op: Some(Op::ListPolicyVersions),
        aim: Aim::Selected,
        how: How::Show,
        cli: &["policy version list", "policy version show"],
    },
    Command {
        key: 'V',
        name: "new-version",
        label: "new version",
        op: Some(Op::CreatePolicyVersion),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["policy version create"],
    },
    Command {
        key: 'S',
        name: "set-default",
        label: "set default version",
        op: Some(Op::SetDefaultPolicyVersion),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["policy version set-default"],
    },
    Command {
        key: 'X',
        name: "delete-version",
        label: "delete a version",
        op: Some(Op::DeletePolicyVersion),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["policy version delete"],
    },
    Command {
        key: 'd',
        name: "delete",
        label: "delete",
        op: Some(Op::DeletePolicy),
        aim: Aim::Selected,
        how: How::Confirm,
        cli: &["policy delete"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("RAM policies", COLUMNS);
        match c.list_policies(s) {
            Ok(ps) => {
                for p in ps {
                    t.push(vec![
                        p.name,
                        if p.system { "System" } else { "Custom" }.into(),
                        p.description,
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
        &["policy list", "policy show"]
    }

    /// System policies are the vendor's: no versions, no deleting.
    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        match cmd.key {
            'n' => true,
            't' | 'T' => here.selected.is_some(),
            _ => here.cell(1) == "Custom",
        }
    }

    fn detail(
        &self,
        c: &Console,
        s: &Session,
        _here: &Here,
        id: &str,
    ) -> Option<Result<Detail, ConsoleError>> {
        Some(c.get_policy(s, id).map(|(p, users)| {
            let doc = pretty(&p.document);
            let mut d = Detail::new(format!("Policy {}", p.name))
                .field("Policy", &p.name)
                .field("Type", if p.system { "System" } else { "Custom" })
                .field("Description", &p.description)
                .field(
                    "Attached to",
                    if users.is_empty() {
                        "no user".to_owned()
                    } else {
                        users.join(", ")
                    },
                );
            if !p.system {
                d.push("Default version", p.default_id());
            }
            d.push("Document", doc);
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
        if cmd.key == 'n' {
            return Ok(Opened::Form(new_policy()));
        }
        let name = here.need()?;
        let target = name.clone();
        Ok(match cmd.key {
            't' => Opened::Form(Form::run(
                format!("Attach {name} to a user"),
                vec![Field::new("user", "User").check(checks::user)],
                move |c, s, f| {
                    let u = f.get("user").trim();
                    c.attach_policy(s, &target, u)?;
                    Ok(Opened::Done(format!("attached {target} to {u}")))
                },
            )),
            'T' => {
                let (_, users) = c.get_policy(s, &name)?;
                if users.is_empty() {
                    return Err(ConsoleError::NotFound(format!(
                        "{name} is attached to no user"
                    )));
                }
                Opened::Form(Form::run(
                    format!("Detach {name} from a user"),
                    vec![Field::new("user", "User").choices(users)],
                    move |_c, _s, f| {
                        let u = f.get("user").trim().to_owned();
                        let p = target.clone();
                        Ok(Opened::Confirm(Confirm::yes_no(
                            format!("Detach {p} from {u}? They lose what it allows."),
                            move |c, s| {
                                c.detach_policy(s, &p, &u)?;
                                Ok(format!("detached {p} from {u}"))
                            },
                        )))
                    },
                ))
            }
            'v' => {
                let versions = c.list_policy_versions(s, &name)?;
                let mut lines = Vec::new();
                for v in versions {
                    lines.push(format!(
                        "{}{}  {}",
                        v.id,
                        if v.default { " (default)" } else { "" },
                        v.created_at.as_ref().map(super::time).unwrap_or_default()
                    ));
                    lines.push(format!("  {}", v.document));
                }
                Opened::Show(format!("Versions of {name}"), lines)
            }
            'V' => {
                let current = pretty(&c.get_policy(s, &name)?.0.document);
                // As RAM's console edits a document: the edit is a new version, made default.
                Opened::Editor(Editor::new(
                    format!("New version of {name} (becomes the default)"),
                    &current,
                    move |c, s, text| {
                        let (id, warnings) = c.create_policy_version(s, &target, text, true)?;
                        Ok(with_warnings(
                            format!("created version {id} of {target}, now the default"),
                            warnings,
                        ))
                    },
                ))
            }
            'S' | 'X' => {
                let ids: Vec<String> = c
                    .list_policy_versions(s, &name)?
                    .into_iter()
                    .filter(|v| cmd.key == 'S' || !v.default)
                    .map(|v| v.id)
                    .collect();
                let set = cmd.key == 'S';
                Opened::Form(Form::run(
                    if set {
                        format!("Default version of {name}")
                    } else {
                        format!("Delete a version of {name}")
                    },
                    vec![Field::new("version", "Version").choices(ids)],
                    move |c, s, f| {
                        let id = f.get("version").trim();
                        if set {
                            c.set_default_policy_version(s, &target, id)?;
                            Ok(Opened::Done(format!(
                                "{id} is the default version of {target}"
                            )))
                        } else {
                            c.delete_policy_version(s, &target, id)?;
                            Ok(Opened::Done(format!("deleted version {id} of {target}")))
                        }
                    },
                ))
            }
            _ => Opened::Confirm(Confirm::typed(
                format!("Delete policy {name}? It must be attached to no one. Type its name:"),
                &name,
                move |c, s| {
                    c.delete_policy(s, &target)?;
                    Ok(format!("deleted policy {target}"))
                },
            )),
        })
    }
}

/// A change's message, and the actions it names that match nothing, if any.
fn with_warnings(done: String, warnings: Vec<String>) -> Opened {
    if warnings.is_empty() {
        Opened::Done(done)
    } else {
        let mut lines = vec![done, String::new()];
        lines.extend(warnings);
        Opened::Show("Saved, with warnings".into(), lines)
    }
}

/// A document laid out for reading and editing.
fn pretty(doc: &str) -> String {
    serde_json::from_str::<serde_json::Value>(doc)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| doc.to_owned())
}

/// The name and description, then the document in the editor.
fn new_policy() -> Form {
    Form::run(
        "New custom policy (then its document)",
        vec![
            Field::new("name", "Name").check(checks::policy_name),
            Field::new("description", "Description"),
        ],
        |_c, _s, f| {
            let name = f.get("name").trim().to_owned();
            let description = f.get("description").trim().to_owned();
            if name.is_empty() {
                return Err(ConsoleError::invalid("name", "a policy needs a name"));
            }
            Ok(Opened::Editor(Editor::new(
                format!("Document of {name}"),
                &pretty(TEMPLATE),
                move |c, s, text| {
                    let warnings = c.create_policy(s, &name, &description, text)?;
                    Ok(with_warnings(format!("created policy {name}"), warnings))
                },
            )))
        },
    )
}
