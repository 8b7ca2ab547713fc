//! Alert contacts: who alerts go to, by phone, e-mail or webhook; add, edit, remove.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, col, key};
use super::{Aim, Command, Here, How, Opened, failed, opt};

pub struct Pane;

const COLUMNS: &[Column] = &[key("Name"), col("Phone"), col("E-mail"), col("Webhook")];

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "new",
        label: "add contact",
        op: Some(Op::CreateAlertContact),
        aim: Aim::Any,
        how: How::Form,
        cli: &["alert contact create"],
    },
    Command {
        key: 'e',
        name: "edit",
        label: "edit",
        op: Some(Op::UpdateAlertContact),
        aim: Aim::Any,
        how: How::Form,
        cli: &[],
    },
    Command {
        key: 'd',
        name: "remove",
        label: "remove",
        op: Some(Op::DeleteAlertContact),
        aim: Aim::Any,
        how: How::Confirm,
        cli: &["alert contact delete"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("Alert contacts", COLUMNS);
        match c.list_contacts(s) {
            Ok(cs) => {
                for k in cs {
                    t.push(vec![
                        k.name,
                        k.phone.unwrap_or_default(),
                        k.email.unwrap_or_default(),
                        k.webhook.unwrap_or_default(),
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
        &["alert contact list"]
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
        Ok(match cmd.key {
            'n' => Opened::Form(contact_form("Add an alert contact", None, here)),
            'e' => {
                let name = here.need()?;
                Opened::Form(contact_form(&format!("Edit {name}"), Some(name), here))
            }
            _ => {
                let name = here.need()?;
                let target = name.clone();
                Opened::Confirm(Confirm::yes_no(
                    format!("Remove alert contact {name}? Alerts stop reaching them."),
                    move |c, s| {
                        c.delete_contact(s, &target)?;
                        Ok(format!("removed contact {target}"))
                    },
                ))
            }
        })
    }
}

/// The add form (`editing` None) or the edit form of one contact, filled from its row.
fn contact_form(title: &str, editing: Option<String>, here: &Here) -> Form {
    let fill = |i| if editing.is_some() { here.cell(i) } else { "" };
    let mut fields = Vec::new();
    if editing.is_none() {
        fields.push(Field::new("name", "Name").check(checks::user));
    }
    fields.extend([
        Field::new("phone", "Phone")
            .value(fill(1))
            .hint("digits, may start with +"),
        Field::new("email", "E-mail").value(fill(2)),
        Field::new("webhook", "Webhook")
            .value(fill(3))
            .hint("https://…"),
    ]);
    Form::run(title, fields, move |c, s, f| {
        let (phone, email, webhook) = (
            opt(f.get("phone")),
            opt(f.get("email")),
            opt(f.get("webhook")),
        );
        match &editing {
            Some(name) => {
                c.update_contact(s, name, phone, email, webhook)?;
                Ok(Opened::Done(format!("updated contact {name}")))
            }
            None => {
                let name = f.get("name").trim();
                c.create_contact(s, name, phone, email, webhook)?;
                Ok(Opened::Done(format!("added contact {name}")))
            }
        }
    })
}
