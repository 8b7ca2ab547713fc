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
        key: 'c',
        name: "concurrency",
        label: "concurrency limit",
        op: Some(Op::UpdateResourceGroup),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["resource-group concurrency"],
    },
    Command {
        key: 'Q',
        name: "quota",
        label: "quotas",
        op: Some(Op::UpdateResourceGroup),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["resource-group quota"],
    },
    Command {
        key: 'b',
        name: "convert",
        label: "billing method",
        op: Some(Op::UpdateResourceGroup),
        aim: Aim::Selected,
        how: How::Form,
        cli: &["resource-group convert"],
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
        "Quotas",
        if g.quotas.is_empty() {
            "none: every purpose shares the group".to_owned()
        } else {
            g.quotas
                .iter()
                .map(|(p, q)| format!("{}: {}–{} CU", p.slug(), q.min_cu, q.max_cu))
                .collect::<Vec<_>>()
                .join("\n")
        },
    );
    if g.postpaid_at_expiry {
        d.push("At expiry", "turns PostPaid");
    }
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
            'c' => {
                let g0 = c.get_resource_group(s, &g)?;
                let max = crate::domain::resource_group::max_concurrency(g0.spec_cu);
                let group = g.clone();
                Opened::Form(Form::run(
                    format!("Concurrency limit of {g}"),
                    vec![
                        Field::new("limit", "Limit")
                            .value(&g0.concurrency.to_string())
                            .hint(format!("1–{max}: instances scheduled at once")),
                    ],
                    move |c, s, f| {
                        let limit = number("limit", f.get("limit"), "instances")?;
                        c.set_concurrency(s, &group, limit)?;
                        Ok(Opened::Done(format!(
                            "{group} schedules at most {limit} instances at once"
                        )))
                    },
                ))
            }
            'Q' => {
                use crate::domain::resource_group::{Purpose, Quota};
                let g0 = c.get_resource_group(s, &g)?;
                let group = g.clone();
                Opened::Form(Form::run(
                    format!("Quotas of {g} ({} CU)", g0.spec_cu),
                    vec![
                        Field::new("purpose", "Purpose")
                            .choices(Purpose::ALL.iter().map(|p| p.slug())),
                        Field::new("min", "Guaranteed CU")
                            .hint("empty with Most: the purpose shares the group"),
                        Field::new("max", "Most CU").hint(format!("at most {} CU", g0.spec_cu)),
                    ],
                    move |c, s, f| {
                        let p =
                            super::parsed("purpose", Purpose::parse("purpose", f.get("purpose")))?;
                        let quota = match (super::opt(f.get("min")), super::opt(f.get("max"))) {
                            (None, None) => None,
                            (min, max) => Some(Quota {
                                min_cu: number("min", min.unwrap_or("0"), "CU")?,
                                max_cu: number("max", max.unwrap_or(""), "CU")?,
                            }),
                        };
                        c.set_quota(s, &group, p, quota)?;
                        Ok(Opened::Done(match quota {
                            Some(q) => format!(
                                "{group}: {} is guaranteed {} CU and uses at most {} CU",
                                p.slug(),
                                q.min_cu,
                                q.max_cu
                            ),
                            None => format!("{group}: {} shares the group again", p.slug()),
                        }))
                    },
                ))
            }
            'b' => {
                let group = g.clone();
                let prepaid = here.cell(4) == "PrePaid";
                let fields = if prepaid {
                    vec![
                        Field::new("at_expiry", "When it ends")
                            .choices(["turn PostPaid", "stay PrePaid"]),
                    ]
                } else {
                    vec![
                        Field::new("months", "PrePaid months")
                            .value("1")
                            .hint("1–9, 12, 24, 36; bought now")
                            .check(checks::months),
                    ]
                };
                Opened::Form(Form::run(
                    format!("Billing method of {g}"),
                    fields,
                    move |c, s, f| {
                        if prepaid {
                            let on = f.get("at_expiry") == "turn PostPaid";
                            c.convert_to_postpaid(s, &group, on)?;
                            return Ok(Opened::Done(if on {
                                format!("{group} turns PostPaid when its subscription ends")
                            } else {
                                format!("{group} stays PrePaid when its subscription ends")
                            }));
                        }
                        let months = number("months", f.get("months"), "months")?;
                        c.convert_to_prepaid(s, &group, months)?;
                        Ok(Opened::Done(format!(
                            "{group} is PrePaid for {months} month(s)"
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
