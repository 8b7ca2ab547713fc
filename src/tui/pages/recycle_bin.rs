//! Deleted workspaces, kept 14 days: restore one.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};

use super::super::view::{Column, Table, col, key};
use super::{Aim, Command, Here, How, Opened, date, failed};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Name"),
    col("Display name"),
    key("Deleted"),
    col("Purged after"),
];

const COMMANDS: &[Command] = &[Command {
    key: 'r',
    name: "restore",
    label: "restore",
    op: Some(Op::RestoreProject),
    aim: Aim::Any,
    how: How::Direct,
    cli: &["workspace restore"],
}];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("Recycle bin", COLUMNS);
        match c.list_recycle_bin(s) {
            Ok(ws) => {
                for w in ws {
                    let (deleted, purge) = w.recycled.map_or((String::new(), String::new()), |r| {
                        (date(&r.deleted_at), date(&r.purge_at()))
                    });
                    t.push(vec![w.name, w.display_name, deleted, purge]);
                }
                t
            }
            Err(e) => failed(t, e),
        }
    }

    fn commands(&self) -> &'static [Command] {
        COMMANDS
    }

    fn applies(&self, _cmd: &Command, here: &Here) -> bool {
        here.selected.is_some()
    }

    fn run(
        &self,
        c: &Console,
        s: &Session,
        here: &Here,
        _cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        let ws = here.need()?;
        c.restore_workspace(s, &ws)?;
        Ok(Opened::Done(format!("restored {ws}")))
    }
}
