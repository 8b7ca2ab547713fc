//! Purchased resources and services (seed 000): what the tenant bought, and what each item
//! offers — renew a subscription, change the edition or a group's spec, unsubscribe.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};
use crate::domain::Edition;
use crate::domain::purchase::{Billing, charge_phrase, format_cents};

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, col, key};
use super::{Aim, Command, Detail, Here, How, Opened, failed, number, parsed, time};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Order"),
    key("Item"),
    col("Billing"),
    key("Status"),
    col("Expires"),
    col("Unit price"),
];
const ITEM: usize = 1;

const COMMANDS: &[Command] = &[
    Command {
        key: 'r',
        name: "renew",
        label: "renew",
        op: Some(Op::UpdateResourceGroup),
        aim: Aim::Any,
        how: How::Form,
        cli: &["service renew"],
    },
    Command {
        key: 'e',
        name: "edition",
        label: "upgrade/downgrade",
        op: Some(Op::ModifyEdition),
        aim: Aim::Any,
        how: How::Form,
        cli: &["edition set", "service modify"],
    },
    Command {
        key: 's',
        name: "spec",
        label: "scale",
        op: Some(Op::UpdateResourceGroup),
        aim: Aim::Any,
        how: How::Form,
        cli: &["service modify"],
    },
    Command {
        key: 'u',
        name: "unsubscribe",
        label: "unsubscribe",
        op: Some(Op::UnsubscribeService),
        aim: Aim::Any,
        how: How::Confirm,
        cli: &["service unsubscribe"],
    },
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new("Purchased items", COLUMNS);
        match c.list_purchases(s) {
            Ok(ps) => {
                for p in ps {
                    let (billing, expires) = match p.billing {
                        Billing::Subscription { expires_at, .. } => {
                            ("Subscription", super::date(&expires_at))
                        }
                        Billing::PayAsYouGo => ("Pay-as-you-go", "-".into()),
                    };
                    t.push(vec![
                        p.id.clone(),
                        p.kind.title(),
                        billing.into(),
                        format!("{:?}", p.status),
                        expires,
                        format_cents(p.unit_price_cents),
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
        &["service list", "service show", "edition show"]
    }

    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        let item = here.cell(ITEM);
        let active = here.cell(3) == "Active";
        match cmd.key {
            'r' => active && here.cell(2) == "Subscription",
            'e' => item.starts_with("DataWorks ") && item.ends_with(" Edition"),
            's' => active && item.starts_with("Serverless resource group "),
            _ => active,
        }
    }

    fn detail(
        &self,
        c: &Console,
        s: &Session,
        _here: &Here,
        id: &str,
    ) -> Option<Result<Detail, ConsoleError>> {
        Some(c.get_purchase(s, id).map(|p| {
            let mut d = Detail::new(format!("Order {}", p.id))
                .field("Order", &p.id)
                .field("Item", p.kind.title())
                .field("Region", p.region.clone().unwrap_or_else(|| "all".into()))
                .field("Status", format!("{:?}", p.status))
                .field("Unit price", format_cents(p.unit_price_cents))
                .field("Bought", time(&p.created_at));
            match p.billing {
                Billing::Subscription { expires_at, .. } => {
                    d.push("Billing", "Subscription");
                    d.push("Expires", time(&expires_at));
                }
                Billing::PayAsYouGo => d.push("Billing", "Pay-as-you-go"),
            }
            if let Ok(bills) = c.list_bills(s, None) {
                for b in bills.iter().filter(|b| b.item_id == p.id) {
                    d.push(
                        &format!("Bill {}", b.month),
                        format!("{} ({})", format_cents(b.amount_cents), b.description),
                    );
                }
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
        let id = here.need()?;
        Ok(match cmd.key {
            'r' => {
                let target = id.clone();
                Opened::Form(Form::run(
                    format!("Renew {id} ({})", here.cell(ITEM)),
                    vec![
                        Field::new("months", "Months")
                            .value("1")
                            .hint("1–9, 12, 24, 36; billed as each month begins")
                            .check(checks::months),
                    ],
                    move |c, s, f| {
                        let months = number("months", f.get("months"), "months")?;
                        let (item, cost) = c.renew_purchase(s, &target, months)?;
                        Ok(Opened::Done(format!(
                            "renewed {target} by {months} month(s) × {} = {}",
                            format_cents(item.unit_price_cents),
                            format_cents(cost)
                        )))
                    },
                ))
            }
            'e' => {
                let target = id.clone();
                let now = c.edition(s)?;
                Opened::Form(Form::run(
                    format!("Change the edition (now {})", now.title()),
                    vec![
                        Field::new("edition", "Edition")
                            .value(now.slug())
                            .choices(Edition::ALL.iter().map(|e| e.slug())),
                    ],
                    move |c, s, f| {
                        let e = parsed("edition", Edition::parse("edition", f.get("edition")))?;
                        let (item, charge) =
                            c.modify_purchase(s, &target, crate::console::Modify::Edition(e))?;
                        Ok(Opened::Done(format!(
                            "{} is now {}: {}",
                            item.id,
                            item.kind.title(),
                            charge_phrase(charge)
                        )))
                    },
                ))
            }
            's' => {
                let target = id.clone();
                Opened::Form(Form::run(
                    format!("Scale {id} ({})", here.cell(ITEM)),
                    vec![
                        Field::new("spec", "Spec (CU)")
                            .hint("2–2000; the difference for the time left is billed when done")
                            .check(checks::spec),
                    ],
                    move |c, s, f| {
                        let cu = number("spec", f.get("spec"), "CU")?;
                        let (item, charge) =
                            c.modify_purchase(s, &target, crate::console::Modify::Spec(cu))?;
                        Ok(Opened::Done(format!(
                            "scaling {} to {cu} CU; when done, {}",
                            item.kind.title(),
                            charge_phrase(charge)
                        )))
                    },
                ))
            }
            _ => {
                let target = id.clone();
                Opened::Confirm(Confirm::typed(
                    format!(
                        "Unsubscribe {id} ({})? It stops at once and is not refunded here. Type the order:",
                        here.cell(ITEM)
                    ),
                    &id,
                    move |c, s| {
                        let item = c.unsubscribe(s, &target)?;
                        Ok(format!("unsubscribed {} ({})", item.id, item.kind.title()))
                    },
                ))
            }
        })
    }
}
