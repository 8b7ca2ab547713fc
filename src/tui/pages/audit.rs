//! The audit log, newest first: every change and every refusal, with its full detail on Enter.

use crate::console::{Console, ConsoleError, Session};

use super::super::view::{Column, Table, col, extra, key};
use super::{Detail, Here, failed, time};

pub struct Pane;

pub const COLUMNS: &[Column] = &[
    key("Time"),
    col("Principal"),
    extra("Scope"),
    key("Action"),
    col("Target"),
    key("Outcome"),
    extra("Detail"),
];

/// How many events the page holds; `dwc audit list --limit` reaches further back.
const SHOWN: usize = 500;

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("Audit log (newest first)", COLUMNS);
        match c.audit_log(s, SHOWN) {
            Ok(es) => {
                for (i, e) in es.into_iter().enumerate() {
                    // Events have no id of their own: time and position tell them apart.
                    let id = format!("{}#{i}", e.at.timestamp_micros());
                    t.push_with_id(
                        id,
                        vec![
                            time(&e.at),
                            e.principal,
                            e.scope.as_str().into(),
                            e.action,
                            e.target,
                            e.outcome.to_string(),
                            e.detail,
                        ],
                    );
                }
                t
            }
            Err(e) => failed(t, e),
        }
    }

    fn shows(&self) -> &'static [&'static str] {
        &["audit list"]
    }

    fn detail(
        &self,
        _c: &Console,
        _s: &Session,
        here: &Here,
        _id: &str,
    ) -> Option<Result<Detail, ConsoleError>> {
        let mut d = super::row_detail("Audit event", COLUMNS, &here.row);
        d.title = format!("{} {}", here.cell(3), here.cell(5));
        Some(Ok(d))
    }
}
