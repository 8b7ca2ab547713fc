//! Bills by month, newest first.

use crate::console::{Console, Session};
use crate::domain::purchase::format_cents;

use super::super::view::{Column, Table, col, key};
use super::{Here, failed};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Month"),
    key("Order"),
    col("Description"),
    key("Amount"),
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("Bills", COLUMNS);
        match c.list_bills(s, None) {
            Ok(bs) => {
                for b in bs {
                    let id = format!("{}/{}", b.month, b.item_id);
                    t.push_with_id(
                        id,
                        vec![
                            b.month,
                            b.item_id,
                            b.description,
                            format_cents(b.amount_cents),
                        ],
                    );
                }
                t
            }
            Err(e) => failed(t, e),
        }
    }

    fn shows(&self) -> &'static [&'static str] {
        &["bill list"]
    }
}
