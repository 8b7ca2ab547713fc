//! The console's pages. Each navigation entry is a list of panes (its tabs), and each pane — a
//! page's tab or a workspace-details tab — is one module here that owns its rows (loaded from the
//! console), its columns, its detail view and its commands. The hint bar, the `?` help and the
//! `:` palette are all built from those commands, so there is one list, never three.
//!
//! Adding a page: a module with a `Pane`, and its entry in `NAV` (or `DETAILS`).

use crate::authz::{Op, Target, Verdict};
use crate::console::{Console, ConsoleError, Session};

use super::form::{Confirm, Form};
use super::view::{Overview, Table};

mod alerts;
mod audit;
mod bills;
mod contacts;
mod extensions;
mod groups;
mod images;
mod jobs;
mod models;
mod outbox;
pub mod overview;
mod policies;
mod purchases;
mod recycle_bin;
mod resource_groups;
mod sessions;
mod tenant_members;
mod tenant_roles;
mod users;
mod workspaces;
mod ws_clusters;
mod ws_compute;
mod ws_config;
mod ws_groups;
mod ws_members;
mod ws_sources;

/// Where a pane's commands act: the open workspace (in its details) and the selected row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Here {
    pub workspace: Option<String>,
    /// The selected row's id.
    pub selected: Option<String>,
    /// The selected row's cells, as drawn.
    pub row: Vec<String>,
}

impl Here {
    pub fn workspace(&self) -> &str {
        self.workspace.as_deref().unwrap_or("")
    }

    /// The selected row's id, or the refusal to act on nothing.
    pub fn need(&self) -> Result<String, ConsoleError> {
        match &self.selected {
            Some(s) if !s.is_empty() => Ok(s.clone()),
            _ => Err(ConsoleError::NotFound("nothing is selected".into())),
        }
    }

    /// A cell of the selected row by position ("" when there is none).
    pub fn cell(&self, i: usize) -> &str {
        self.row.get(i).map_or("", String::as_str)
    }
}

/// How a command runs once allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// At once; undone as easily (enable, a test that records a result).
    Direct,
    /// Through a form.
    Form,
    /// After a question: `y`, or typing the name for a destructive one.
    Confirm,
    /// Shows something and changes nothing.
    Show,
}

impl How {
    pub fn word(self) -> &'static str {
        match self {
            How::Direct => "",
            How::Form => "form",
            How::Confirm => "asks first",
            How::Show => "shows",
        }
    }
}

/// What the console is asked about before a command is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aim {
    /// Every item of the operation's kind in the region (`*`): may this user do it at all?
    Any,
    /// The selected item, by the operation's kind.
    Selected,
    /// The open workspace (details), else the selected one (the Workspaces list), with the
    /// user's roles in it.
    Workspace,
}

/// One command of a pane.
#[derive(Debug)]
pub struct Command {
    pub key: char,
    /// Its palette verb (`:new`, `:enable`).
    pub name: &'static str,
    /// Its words in the hint bar and the help.
    pub label: &'static str,
    /// The console operation it needs; `None`: anyone may, and the console decides on the
    /// item when it runs (asking `can` about oneself).
    pub op: Option<Op>,
    pub aim: Aim,
    pub how: How,
    /// The CLI commands it does the work of (`workspace create`), so a test can tell the two
    /// front ends apart when one lacks something.
    pub cli: &'static [&'static str],
}

/// A command with the console's answer for this session here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub key: char,
    pub name: &'static str,
    pub label: &'static str,
    pub op: Option<Op>,
    pub how: How,
    pub verdict: Verdict,
}

/// What a command opens.
pub enum Opened {
    Form(Form),
    Confirm(Confirm),
    /// A text of several lines to write, saved through the console.
    Editor(super::editor::Editor),
    /// Done at once: a message for the footer.
    Done(String),
    /// Show this user's access.
    Access(String),
    /// A title and lines to read.
    Show(String, Vec<String>),
    /// An item's every field.
    Detail(Detail),
    /// Open a workspace's details.
    Workspace(String),
    /// Go to a navigation entry (by palette verb) and select an item there.
    Go(&'static str, Option<String>),
}

/// An item's every field, label and value, wrapped and scrolled by the detail view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detail {
    pub title: String,
    pub fields: Vec<(String, String)>,
}

impl Detail {
    pub fn new(title: impl Into<String>) -> Detail {
        Detail {
            title: title.into(),
            fields: Vec::new(),
        }
    }

    pub fn field(mut self, label: &str, value: impl Into<String>) -> Detail {
        self.fields.push((label.to_owned(), value.into()));
        self
    }

    pub fn push(&mut self, label: &str, value: impl Into<String>) {
        self.fields.push((label.to_owned(), value.into()));
    }
}

pub trait Pane: Sync {
    /// Loads the pane's rows from the console (its refusal, if any, in place of rows).
    fn load(&self, c: &Console, s: &Session, here: &Here) -> Table;

    fn commands(&self) -> &'static [Command] {
        &[]
    }

    /// Whether a command applies to the selected item at all (enable only on a disabled
    /// workspace); one that does not is neither offered nor hinted.
    fn applies(&self, _cmd: &Command, _here: &Here) -> bool {
        true
    }

    /// The console's answer for a command whose question is not just its operation on its
    /// aim (whether one may see another's access); `None`: ask about the operation.
    fn verdict(
        &self,
        _c: &Console,
        _s: &Session,
        _here: &Here,
        _cmd: &Command,
    ) -> Option<Result<Verdict, ConsoleError>> {
        None
    }

    /// Runs an allowed command.
    fn run(
        &self,
        _c: &Console,
        _s: &Session,
        _here: &Here,
        cmd: &Command,
    ) -> Result<Opened, ConsoleError> {
        Err(ConsoleError::NotFound(format!(
            "no action {} here",
            cmd.name
        )))
    }

    /// The selected item's detail view; by default every column of its row.
    fn detail(
        &self,
        _c: &Console,
        _s: &Session,
        _here: &Here,
        _id: &str,
    ) -> Option<Result<Detail, ConsoleError>> {
        None
    }

    /// What `Enter` does on a row; by default its detail view.
    fn open(&self, _c: &Console, _s: &Session, _here: &Here) -> Option<Opened> {
        None
    }

    /// Whether a workspace-details tab shows for `ws` (Cluster Management only for workspaces
    /// on the old Data Studio).
    fn present(&self, _c: &Console, _s: &Session, _ws: &str) -> bool {
        true
    }

    /// CLI commands whose output this pane shows (`workspace list`, `workspace show`).
    fn shows(&self) -> &'static [&'static str] {
        &[]
    }
}

/// A navigation entry: its name, its palette verb and its tabs.
pub struct Entry {
    pub title: &'static str,
    /// The name on a narrow terminal.
    pub short: &'static str,
    pub verb: &'static str,
    pub panes: &'static [&'static dyn Pane],
    /// The panels above the tables (the Overview).
    pub panels: Option<fn(&Console, &Session) -> Overview>,
}

/// The left navigation, in order; `1`–`9` jump to it.
pub static NAV: &[Entry] = &[
    Entry {
        title: "Overview",
        short: "Overview",
        verb: "overview",
        panes: &[&overview::Pane],
        panels: Some(overview::panels),
    },
    Entry {
        title: "Workspaces",
        short: "Workspaces",
        verb: "workspaces",
        panes: &[&workspaces::Pane, &recycle_bin::Pane],
        panels: None,
    },
    Entry {
        title: "Resource Groups",
        short: "Res. groups",
        verb: "resource-groups",
        panes: &[&resource_groups::Pane],
        panels: None,
    },
    Entry {
        title: "Large Model Service",
        short: "Models",
        verb: "models",
        panes: &[&models::Pane],
        panels: None,
    },
    Entry {
        title: "Image Management",
        short: "Images",
        verb: "images",
        panes: &[&images::Pane],
        panels: None,
    },
    Entry {
        title: "Purchased Services",
        short: "Purchased",
        verb: "services",
        panes: &[&purchases::Pane, &bills::Pane],
        panels: None,
    },
    Entry {
        title: "Management Center",
        short: "Management",
        verb: "management",
        panes: &[
            &alerts::Pane,
            &contacts::Pane,
            &tenant_members::Pane,
            &tenant_roles::Pane,
            &extensions::Pane,
            &outbox::Pane,
            &sessions::Pane,
        ],
        panels: None,
    },
    Entry {
        title: "Audit log",
        short: "Audit log",
        verb: "audit",
        panes: &[&audit::Pane, &jobs::Pane],
        panels: None,
    },
    Entry {
        title: "RAM users, policies",
        short: "RAM",
        verb: "ram",
        panes: &[&users::Pane, &policies::Pane, &groups::Pane],
        panels: None,
    },
];

/// A workspace's details, in tab order.
pub static DETAILS: &[&dyn Pane] = &[
    &ws_config::Pane,
    &ws_sources::Pane,
    &ws_compute::Pane,
    &ws_groups::Pane,
    &ws_members::Pane,
    &ws_clusters::Pane,
];

pub(crate) fn failed(mut t: Table, e: ConsoleError) -> Table {
    let mut lines = vec![e.to_string()];
    lines.extend(e.explanation().iter().cloned());
    t.error = Some(lines);
    t
}

/// A refusal as a verdict, so it is explained like one.
fn as_verdict(r: Result<Verdict, ConsoleError>) -> Verdict {
    r.unwrap_or_else(|e| Verdict {
        allowed: false,
        basis: crate::authz::Basis::ImplicitDeny,
        trace: vec![e.to_string()],
    })
}

/// The console's answer for one command here.
pub fn verdict(c: &Console, s: &Session, here: &Here, cmd: &Command) -> Verdict {
    let Some(op) = cmd.op else {
        return Verdict {
            allowed: true,
            basis: crate::authz::Basis::Oneself,
            trace: Vec::new(),
        };
    };
    let kind = op.spec().resource;
    let name = match cmd.aim {
        Aim::Any => "*",
        Aim::Selected => here.selected.as_deref().unwrap_or("*"),
        Aim::Workspace => {
            return match here.workspace.as_deref().or(here.selected.as_deref()) {
                Some(ws) => as_verdict(c.can_workspace(s, op, ws)),
                None => as_verdict(c.can(s, op, &Target::named(kind, "*", &s.region))),
            };
        }
    };
    as_verdict(c.can(s, op, &Target::named(kind, name, &s.region)))
}

/// Every command of `pane` that applies here, with the console's answer.
pub fn offers(c: &Console, s: &Session, pane: &dyn Pane, here: &Here) -> Vec<Offer> {
    pane.commands()
        .iter()
        .filter(|cmd| pane.applies(cmd, here))
        .map(|cmd| Offer {
            key: cmd.key,
            name: cmd.name,
            label: cmd.label,
            op: cmd.op,
            how: cmd.how,
            verdict: match pane.verdict(c, s, here, cmd) {
                Some(v) => as_verdict(v),
                None => verdict(c, s, here, cmd),
            },
        })
        .collect()
}

/// A row's cells under its columns: the detail view of a pane that has nothing more to say.
pub fn row_detail(title: &str, columns: &[super::view::Column], row: &[String]) -> Detail {
    let mut d = Detail::new(title);
    for (col, cell) in columns.iter().zip(row) {
        d.push(col.name, cell.clone());
    }
    d
}

/// Field errors under the name the form uses.
pub(crate) fn rename(e: ConsoleError, from: &str, to: &str) -> ConsoleError {
    match e {
        ConsoleError::Invalid { field, reason } if field == from => ConsoleError::Invalid {
            field: to.into(),
            reason,
        },
        e => e,
    }
}

/// A domain parse error under the form's field.
pub(crate) fn parsed<T>(
    field: &str,
    r: Result<T, crate::domain::DomainError>,
) -> Result<T, ConsoleError> {
    r.map_err(|e| match e {
        crate::domain::DomainError::Invalid { rule, .. } => ConsoleError::invalid(field, rule),
        e => e.into(),
    })
}

/// A whole number from a form field, or the rule it breaks.
pub(crate) fn number(field: &str, text: &str, what: &str) -> Result<u32, ConsoleError> {
    text.trim()
        .parse()
        .map_err(|_| ConsoleError::invalid(field, format!("must be a whole number of {what}")))
}

pub(crate) fn date(t: &crate::domain::Timestamp) -> String {
    t.format("%Y-%m-%d").to_string()
}

pub(crate) fn time(t: &crate::domain::Timestamp) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// Optional text from a form: `None` when empty.
pub(crate) fn opt(v: &str) -> Option<&str> {
    let v = v.trim();
    (!v.is_empty()).then_some(v)
}

/// Which pane a command belongs to, for the CLI coverage test and the help.
pub fn all_panes() -> impl Iterator<Item = &'static dyn Pane> {
    NAV.iter()
        .flat_map(|e| e.panes.iter().copied())
        .chain(DETAILS.iter().copied())
}

/// Every command of every pane.
pub fn all_commands() -> impl Iterator<Item = &'static Command> {
    all_panes().flat_map(|p| p.commands().iter())
}

/// The audit log's columns, for the render benchmark's synthetic page.
pub fn audit_columns() -> &'static [super::view::Column] {
    audit::COLUMNS
}
