//! Alerts sent, recorded or refused, newest first.

use crate::console::{Console, Session};

use super::super::view::{Column, Table, col, key};
use super::{Here, failed};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Time"),
    key("Channel"),
    col("Contact"),
    col("Address"),
    key("Delivery"),
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("Alert outbox", COLUMNS);
        match c.alert_outbox(s, 200) {
            Ok(entries) => {
                for (i, e) in entries.into_iter().enumerate() {
                    t.push_with_id(
                        format!("{}#{i}", e.at.timestamp_micros()),
                        vec![
                            e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                            e.channel.slug().into(),
                            e.contact,
                            e.address,
                            e.delivery.title(),
                        ],
                    );
                }
                t
            }
            Err(e) => failed(t, e),
        }
    }

    fn shows(&self) -> &'static [&'static str] {
        &["alert outbox"]
    }
}
