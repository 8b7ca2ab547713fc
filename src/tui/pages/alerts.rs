//! Alert limits per channel and today's usage: send a test alert, change a channel's limit.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};
use crate::domain::alert::Channel;

use super::super::form::{Field, Form, Submit, checks};
use super::super::view::{Column, Table, col, key};
use super::{Aim, Command, Here, How, Opened, failed, parsed};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Channel"),
    key("Limit per day"),
    col("Sent today"),
    col("Refused today"),
    col("Sent this month"),
];

const COMMANDS: &[Command] = &[
    Command {
        key: 's',
        name: "test",
        label: "send test alert",
        op: Some(Op::SendTestAlert),
        aim: Aim::Any,
        how: How::Form,
        cli: &["alert test"],
    },
    Command {
        key: 'l',
        name: "limit",
        label: "set limit",
        op: Some(Op::UpdateAlertLimits),
        aim: Aim::Any,
        how: How::Form,
        cli: &["alert limit"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("Alert limits", COLUMNS);
        match c.alert_settings(s) {
            Ok((limits, usage)) => {
                for ch in Channel::ALL {
                    let u = usage.get(ch);
                    t.push(vec![
                        ch.slug().into(),
                        limits.get(ch).map_or("unlimited".into(), |l| l.to_string()),
                        u.sent_today.to_string(),
                        u.refused_today.to_string(),
                        u.sent_month.to_string(),
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
        &["alert show"]
    }

    fn run(
        &self,
        _c: &Console,
        _s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        let channel = here.selected.clone().unwrap_or_else(|| "sms".into());
        Ok(Opened::Form(match cmd.key {
            's' => Form::new(
                "Send a test alert",
                vec![
                    Field::new("channel", "Channel")
                        .value(&channel)
                        .choices(Channel::ALL.iter().map(|c| c.slug()))
                        .check(checks::channel),
                ],
                Submit::TestAlert,
            ),
            _ => Form::run(
                format!("Daily limit of {channel}"),
                vec![
                    Field::new("channel", "Channel")
                        .value(&channel)
                        .choices(Channel::ALL.iter().map(|c| c.slug())),
                    Field::new("limit", "Limit per day")
                        .value(here.cell(1))
                        .hint("a number, or unlimited"),
                ],
                |c, s, f| {
                    let ch = parsed("channel", Channel::parse("channel", f.get("channel")))?;
                    let text = f.get("limit").trim();
                    let limit = match text {
                        "" | "unlimited" | "none" => None,
                        n => Some(n.parse::<u32>().map_err(|_| {
                            ConsoleError::invalid(
                                "limit",
                                "must be a whole number of alerts per day, or unlimited",
                            )
                        })?),
                    };
                    c.set_alert_limit(s, ch, limit)?;
                    Ok(Opened::Done(format!(
                        "{} limit: {}",
                        ch.slug(),
                        limit.map_or("unlimited".into(), |l| format!("{l} a day"))
                    )))
                },
            ),
        }))
    }
}
