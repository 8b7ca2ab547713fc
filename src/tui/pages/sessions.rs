//! Who is on the served console; the account and Tenant Administrators may look, and end one.

use crate::authz::{Op, Target};
use crate::console::{Console, ConsoleError, Session};

use super::super::form::Confirm;
use super::super::view::{Column, Table, col, key};
use super::{Aim, Command, Here, How, Opened, failed};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Id"),
    key("User"),
    col("Source"),
    col("Since"),
    col("Scope"),
    col("Kind"),
    col("Idle"),
];

const COMMANDS: &[Command] = &[Command {
    key: 'x',
    name: "end",
    label: "end session",
    op: Some(Op::EndSession),
    aim: Aim::Any,
    how: How::Confirm,
    cli: &["session end"],
}];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("Sessions", COLUMNS);
        // Asked first, so that merely opening the page audits no refusal.
        match c.can(s, Op::ListSessions, &Target::Tenant) {
            Ok(v) if !v.allowed => {
                t.error = Some(v.trace);
                return t;
            }
            Err(e) => return failed(t, e),
            Ok(_) => {}
        }
        match c.list_sessions(s) {
            Ok(vs) => {
                for v in vs {
                    t.push(vec![
                        v.id.to_string(),
                        v.user,
                        v.source,
                        v.since.format("%Y-%m-%d %H:%M").to_string(),
                        v.scope.as_str().to_owned(),
                        v.kind,
                        format!("{} s", v.idle_seconds),
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
        &["session list"]
    }

    fn applies(&self, _cmd: &Command, here: &Here) -> bool {
        here.selected.is_some()
    }

    fn run(
        &self,
        _c: &Console,
        _s: &Session,
        here: &Here,
        _cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        let id = here.need()?;
        let n: u64 = id
            .parse()
            .map_err(|_| ConsoleError::NotFound(format!("session {id}")))?;
        Ok(Opened::Confirm(Confirm::typed(
            format!("End session {n}? Its user is disconnected. Type its number:"),
            &id,
            move |c, s| {
                let v = c.end_session(s, n)?;
                Ok(format!("ended session {n} of {} from {}", v.user, v.source))
            },
        )))
    }
}
