//! Serverless resource groups of the region: buy, attach and detach, scale, renew, delete. What
//! takes time runs as a job and shows in the footer.

use crate::authz::Op;
use crate::console::{Console, ConsoleError, Session};
use crate::domain::resource_group::{NewResourceGroup, Payment, ResourceGroup};

use super::super::form::{Confirm, Field, Form, checks};
use super::super::view::{Column, Table, col, extra, key};
use super::{Aim, Command, Detail, Here, How, Opened, date, failed, number, time};

pub struct Pane;

pub const COLUMNS: &[Column] = &[
    key("Name"),
    key("Status"),
    col("Spec"),
    col("Usage"),
    col("Payment"),
    col("Expires"),
    extra("Attached to"),
    extra("Reason"),
];

const COMMANDS: &[Command] = &[
    Command {
        key: 'n',
        name: "new",
        label: "new group",
        op: Some(Op::CreateResourceGroup),
        aim: Aim::Any,
        how: How::Form,
        cli: &["resource-group create"],
    },
    Command {
        key: 'a',
        name: "attach",
        label: "attach",
        op: Some(Op::AssociateProjectToResourceGroup),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["resource-group attach"],
    },
    Command {
        key: 'D',
        name: "detach",
        label: "detach",
        op: Some(Op::DissociateProjectFromResourceGroup),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["resource-group detach"],
    },
    Command {
        key: 's',
        name: "scale",
        label: "scale",
        op: Some(Op::UpdateResourceGroup),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["resource-group scale"],
    },
    Command {
        key: 'r',
        name: "renew",
        label: "renew",
        op: Some(Op::UpdateResourceGroup),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["resource-group renew"],
    },
    Command {
        key: 'A',
        name: "auto-renew",
        label: "auto-renew on/off",
        op: Some(Op::UpdateResourceGroup),
        aim: Aim::Selected,
        how: How::Direct,
        cli: &[],
    },
    Command {
        key: 'd',
        name: "delete",
        label: "delete",
        op: Some(Op::DeleteResourceGroup),
        aim: Aim::Selected,
        how: How::Confirm,
        cli: &["resource-group delete"],
    },
];

/// A group's cells under `COLUMNS`; `used_cu` is what model deployments borrow of it.
pub fn cells(g: &ResourceGroup, used_cu: u32) -> Vec<String> {
    vec![
        g.name.clone(),
        g.status.title().into(),
        format!("{} CU", g.spec_cu),
        usage(used_cu, g.spec_cu),
        g.payment.title().into(),
        expiry(g),
        g.attached.iter().cloned().collect::<Vec<_>>().join(", "),
        g.reason.clone().unwrap_or_default(),
    ]
}

fn expiry(g: &ResourceGroup) -> String {
    match g.payment {
        Payment::PrePaid {
            expires_at,
            auto_renew,
            ..
        } => format!(
            "{}{}",
            date(&expires_at),
            if auto_renew { " (auto)" } else { "" }
        ),
        Payment::PostPaid => "-".into(),
    }
}

/// CU lent to model deployments out of the group's spec.
fn usage(used: u32, spec: u32) -> String {
    if used == 0 {
        return "idle".into();
    }
    format!("{used}/{spec} CU")
}

/// Every field of a group: the list's columns and what they leave out.
pub fn detail(c: &Console, s: &Session, name: &str) -> Result<Detail, ConsoleError> {
    let g = c.get_resource_group(s, name)?;
    let used = c.usage_of(s, std::slice::from_ref(&g)).unwrap_or_default();
    let mut d = Detail::new(format!("Resource group {}", g.name))
        .field("Name", &g.name)
        .field("Region", &g.region)
        .field("Status", g.status.title())
        .field("Spec", format!("{} CU", g.spec_cu))
        .field(
            "Usage",
            usage(used.first().copied().unwrap_or(0), g.spec_cu),
        )
        .field("Concurrency limit", g.concurrency.to_string())
        .field("Payment", g.payment.title());
    if let Payment::PrePaid {
        months,
        expires_at,
        auto_renew,
    } = &g.payment
    {
        d.push("Bought for", format!("{months} month(s)"));
        d.push("Expires", time(expires_at));
        d.push("Auto-renew", if *auto_renew { "on" } else { "off" });
    }
    if let Some(n) = &g.network {
        d.push("VPC", &n.vpc_id);
        d.push("vSwitch", &n.vswitch_id);
    }
    d.push(
        "Attached to",
        if g.attached.is_empty() {
            "no workspace".to_owned()
        } else {
            g.attached.iter().cloned().collect::<Vec<_>>().join(", ")
        },
    );
    d.push(
        "Failure reason",
        g.reason.clone().unwrap_or_else(|| "-".into()),
    );
    d.push("Created", time(&g.created_at));
    Ok(d)
}

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new(&format!("Resource groups in {}", s.region), COLUMNS);
        match c.list_resource_groups(s) {
            Ok(gs) => {
                let used = c.usage_of(s, &gs).unwrap_or_else(|_| vec![0; gs.len()]);
                gs.iter().zip(used).for_each(|(g, u)| t.push(cells(g, u)));
                t
            }
            Err(e) => failed(t, e),
        }
    }

    fn commands(&self) -> &'static [Command] {
        COMMANDS
    }

    fn shows(&self) -> &'static [&'static str] {
        &["resource-group list", "resource-group show"]
    }

    fn applies(&self, cmd: &Command, here: &Here) -> bool {
        match cmd.key {
            'n' => true,
            'r' | 'A' => here.cell(4) == "PrePaid",
            'D' => here.selected.is_some() && !here.cell(6).is_empty(),
            _ => here.selected.is_some(),
        }
    }

    fn detail(
        &self,
        c: &Console,
        s: &Session,
        _here: &Here,
        id: &str,
    ) -> Option<Result<Detail, ConsoleError>> {
        Some(detail(c, s, id))
    }

    fn run(
        &self,
        c: &Console,
        s: &Session,
        here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        if cmd.key == 'n' {
            return Ok(Opened::Form(new_group()));
        }
        let g = here.need()?;
        Ok(match cmd.key {
            'a' => Opened::Form(attach_to(&g)),
            'D' => {
                let attached = c.get_resource_group(s, &g)?.attached;
                let group = g.clone();
                Opened::Form(Form::run(
                    format!("Detach {g} from a workspace"),
                    vec![Field::new("workspace", "Workspace").choices(attached)],
                    move |_c, _s, f| {
                        let ws = f.get("workspace").trim().to_owned();
                        let group = group.clone();
                        Ok(Opened::Confirm(Confirm::yes_no(
                            format!("Detach {group} from {ws}? Tasks of {ws} stop running on it."),
                            move |c, s| {
                                c.detach_resource_group(s, &group, &ws)?;
                                Ok(format!("detached {group} from {ws}"))
                            },
                        )))
                    },
                ))
            }
            's' => {
                let spec = c.get_resource_group(s, &g)?.spec_cu.to_string();
                let group = g.clone();
                Opened::Form(Form::run(
                    format!("Scale {g}"),
                    vec![
                        Field::new("spec", "Spec (CU)")
                            .value(&spec)
                            .check(checks::spec),
                    ],
                    move |c, s, f| {
                        let spec = number("spec", f.get("spec"), "CU")?;
                        c.scale_resource_group(s, &group, spec)?;
                        Ok(Opened::Done(format!(
                            "scaling {group} to {spec} CU: job started"
                        )))
                    },
                ))
            }
            'r' => {
                let group = g.clone();
                Opened::Form(Form::run(
                    format!("Renew {g}"),
                    vec![
                        Field::new("months", "Months")
                            .value("1")
                            .hint("1–9, 12, 24, 36")
                            .check(checks::months),
                    ],
                    move |c, s, f| {
                        let months = number("months", f.get("months"), "months")?;
                        c.renew_resource_group(s, &group, months)?;
                        Ok(Opened::Done(format!(
                            "renewing {group} by {months} month(s): job started"
                        )))
                    },
                ))
            }
            'A' => {
                let on = !here.cell(5).ends_with("(auto)");
                c.set_auto_renew(s, &g, on)?;
                Opened::Done(format!(
                    "auto-renew of {g} {}",
                    if on { "on" } else { "off" }
                ))
            }
            _ => {
                let group = g.clone();
                Opened::Confirm(Confirm::typed(
                    format!("Delete resource group {g}? Type its name:"),
                    &g,
                    move |c, s| {
                        c.delete_resource_group(s, &group)?;
                        Ok(format!("deleting resource group {group}: job started"))
                    },
                ))
            }
        })
    }
}

fn attach_to(g: &str) -> Form {
    let group = g.to_owned();
    Form::run(
        format!("Attach {g} to a workspace"),
        vec![
            Field::new("workspace", "Workspace")
                .hint("a workspace of this region")
                .check(checks::workspace_name),
        ],
        move |c, s, f| {
            let ws = f.get("workspace").trim();
            c.attach_resource_group(s, &group, ws)?;
            Ok(Opened::Done(format!("attached {group} to {ws}")))
        },
    )
}

fn new_group() -> Form {
    Form::run(
        "New Serverless resource group",
        vec![
            Field::new("name", "Name")
                .hint("letter first; letters, digits, _")
                .check(checks::group_name),
            Field::new("spec", "Spec (CU)")
                .value("8")
                .check(checks::spec),
            Field::new("payment", "Payment")
                .choices(["postpaid", "prepaid"])
                .hint("prepaid needs months"),
            Field::new("months", "Months").hint("prepaid only: 1–9, 12, 24, 36"),
        ],
        |c, s, f| {
            let spec = number("spec", f.get("spec"), "CU")?;
            let prepaid_months = match f.get("payment").trim() {
                "prepaid" => Some(f.get("months").trim().parse::<u32>().map_err(|_| {
                    ConsoleError::invalid("months", "a PrePaid group needs a number of months")
                })?),
                _ => None,
            };
            let rg = c.create_resource_group(
                s,
                NewResourceGroup {
                    name: f.get("name").trim().to_owned(),
                    spec_cu: spec,
                    prepaid_months,
                    ..Default::default()
                },
            )?;
            Ok(Opened::Done(format!(
                "creating resource group {} ({} CU): {}, job started",
                rg.name, rg.spec_cu, rg.status
            )))
        },
    )
}
