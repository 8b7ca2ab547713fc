//! Overview (seed 000): quick access, the workspaces used most, the getting-started checklist of
//! the workspace last worked in, the advisor's findings and product updates. Its commands ask
//! the advisor for everything and answer "may I?" questions.

use crate::console::{Console, ConsoleError, Session, WorkspaceRow};

use super::super::form::{Field, Form};
use super::super::view::{Overview, Table, key};
use super::{Aim, Command, Here, How, Opened};

pub struct Pane;

const COMMANDS: &[Command] = &[
    Command {
        key: 'a',
        name: "advice",
        label: "all advice",
        op: Some(crate::authz::Op::ListProjects),
        aim: Aim::Any,
        how: How::Show,
        cli: &["advise"],
    },
    Command {
        key: 'c',
        name: "can",
        label: "may I…?",
        op: None,
        aim: Aim::Any,
        how: How::Form,
        cli: &["can"],
    },
];

/// The workspaces the Overview lists, as its table: j/k select one, Enter opens it.
pub fn table(o: &Overview) -> Table {
    let mut t = Table::new("Frequently used workspaces", &[key("Workspace")]);
    let lines = if o.frequent.is_empty() {
        &o.yours
    } else {
        &o.frequent
    };
    for (id, line) in o.ids.iter().zip(lines) {
        t.push_with_id(id.clone(), vec![line.clone()]);
    }
    t
}

impl super::Pane for Pane {
    /// The rows come with the panels (`table`), which read the same workspaces.
    fn load(&self, _c: &Console, _s: &Session, _here: &Here) -> Table {
        Table::new("Frequently used workspaces", &[key("Workspace")])
    }

    fn open(&self, _c: &Console, _s: &Session, here: &Here) -> Option<Opened> {
        here.selected.clone().map(Opened::Workspace)
    }

    fn commands(&self) -> &'static [Command] {
        COMMANDS
    }

    fn run(
        &self,
        c: &Console,
        s: &Session,
        _here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        match cmd.key {
            'a' => {
                let findings = c.advise(s)?;
                let mut lines = Vec::new();
                for f in &findings {
                    lines.push(format!(
                        "{:<7} {}: {}",
                        f.severity.title(),
                        f.subject,
                        f.message
                    ));
                    lines.push(format!("        → {}", f.fix));
                }
                if lines.is_empty() {
                    lines.push("No findings: this region follows the guidelines.".into());
                }
                Ok(Opened::Show(
                    format!("Advice for {} ({} findings)", s.region, findings.len()),
                    lines,
                ))
            }
            _ => Ok(Opened::Form(can_form(s.who()))),
        }
    }
}

/// "May USER take ACTION on TARGET?", answered with the decision and its trace.
pub fn can_form(who: &str) -> Form {
    Form::run(
        "May … ?",
        vec![
            Field::new("user", "User")
                .value(who)
                .hint("yourself, or anyone if you administer them"),
            Field::new("action", "Action").hint("like dataworks:CreateProject or ListProjects"),
            Field::new("target", "Target").hint("a workspace or resource name, or an ARN"),
        ],
        |c, s, f| {
            let a = c.explain_access(
                s,
                f.get("user").trim(),
                f.get("action").trim(),
                f.get("target").trim(),
                None,
            )?;
            let mut lines = vec![format!(
                "{}: {} may {}{} on {}",
                if a.verdict.allowed {
                    "allowed"
                } else {
                    "denied"
                },
                a.user,
                if a.verdict.allowed { "" } else { "not " },
                a.action,
                a.target
            )];
            lines.extend(a.verdict.trace.iter().map(|l| format!("  {l}")));
            Ok(Opened::Show(
                format!(
                    "{} {}",
                    a.action,
                    if a.verdict.allowed {
                        "allowed"
                    } else {
                        "denied"
                    }
                ),
                lines,
            ))
        },
    )
}

pub fn panels(c: &Console, s: &Session) -> Overview {
    let mut o = Overview {
        quick_access: vec![
            (
                "2".into(),
                "Workspaces: create and manage workspaces".into(),
            ),
            (
                "3".into(),
                "Resource Groups: buy and attach computing power".into(),
            ),
            ("5".into(), "Image Management: custom runtime images".into()),
            (
                "7".into(),
                "Management Center: alerts, tenant roles, extensions".into(),
            ),
            ("9".into(), "RAM: users and their policies".into()),
        ],
        updates: crate::tui::app::updates(),
        ..Default::default()
    };
    // The Overview checks at most this many workspaces, to open fast on a large tenant.
    const ADVICE_WORKSPACES: usize = 20;
    if let Ok(a) = c.advise_within(s, ADVICE_WORKSPACES) {
        o.advice = a
            .findings
            .into_iter()
            .map(|f| (f.severity, format!("{}: {}", f.subject, f.message), f.fix))
            .collect();
        if a.checked < a.total {
            o.advice_note = Some(format!(
                "{} of {} workspaces checked here; a shows all",
                a.checked, a.total
            ));
        }
    }
    let line = |r: &WorkspaceRow| {
        let roles = if r.my_roles.is_empty() {
            String::new()
        } else {
            format!(", {}", r.my_roles.join(", "))
        };
        format!(
            "{}  ({}{roles})",
            r.workspace.name,
            r.workspace.mode.title()
        )
    };
    let loaded = c
        .list_workspaces(s)
        .and_then(|rows| Ok((c.frequent_workspaces(s, 6)?, rows)));
    match loaded {
        Ok((frequent, rows)) => {
            o.frequent = frequent
                .iter()
                .map(|(r, u)| format!("{}  opened {}×", line(r), u.opened))
                .collect();
            if frequent.is_empty() {
                o.yours = rows.iter().take(6).map(line).collect();
                o.ids = rows
                    .iter()
                    .take(6)
                    .map(|r| r.workspace.name.clone())
                    .collect();
            } else {
                o.ids = frequent
                    .iter()
                    .map(|(r, _)| r.workspace.name.clone())
                    .collect();
            }
            // The checklist follows the workspace last worked in, else the first non-default.
            let last_used = frequent.iter().max_by_key(|(_, u)| u.last).map(|(r, _)| r);
            if let Some(ws) = last_used.or_else(|| {
                rows.iter()
                    .find(|r| !r.workspace.is_default)
                    .or(rows.first())
            }) {
                o.checklist_for = Some(ws.workspace.name.clone());
                o.checklist = readiness(c, s, &ws.workspace.name, ws.member_count);
            }
        }
        Err(e) => {
            let mut lines = vec![e.to_string()];
            lines.extend(e.explanation().iter().cloned());
            o.error = Some(lines);
        }
    }
    o
}

/// Seed 000's five steps for one workspace.
pub fn readiness(c: &Console, s: &Session, ws: &str, members: u32) -> Vec<(String, bool)> {
    let groups = c
        .workspace_resource_groups(s, ws)
        .map(|g| g.iter().any(|g| g.is_usable()))
        .unwrap_or(false);
    let compute = c
        .list_compute(s, ws)
        .map(|v| !v.is_empty())
        .unwrap_or(false);
    let sources = c
        .list_data_sources(s, ws)
        .map(|v| v.iter().any(|d| d.from_compute.is_none()))
        .unwrap_or(false);
    vec![
        ("1. Create a workspace".into(), true),
        ("2. Configure and attach a resource group".into(), groups),
        ("3. Add members to the workspace".into(), members > 1),
        ("4. Attach a compute resource".into(), compute),
        ("5. Add a data source".into(), sources),
    ]
}
