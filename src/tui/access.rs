//! "My access" and "Access of member": the effective matrix the console decides — workspace
//! modules per workspace, tenant modules, console actions — with the trace of the selected row
//! shown beneath it.

use crate::console::{AccessMatrix, Console, ConsoleError, Session};
use crate::domain::module::{GlobalModule, Level, Module};

use super::view::{Table, View};

pub struct AccessPanel {
    pub user: String,
    pub view: View,
    /// Per tab, per row: the lines that explain it.
    pub traces: Vec<Vec<Vec<String>>>,
}

impl AccessPanel {
    /// The explanation of the selected row.
    pub fn selected_trace(&self) -> &[String] {
        let t = self.view.table();
        t.visible(&self.view.filter)
            .get(t.selected)
            .and_then(|i| self.traces.get(self.view.tab)?.get(i))
            .map_or(&[], Vec::as_slice)
    }
}

fn short(m: Module) -> &'static str {
    match m {
        Module::DataStudio => "Studio",
        Module::DataIntegration => "Integr",
        Module::OperationCenter => "OpsCtr",
        Module::Deployment => "Deploy",
        Module::DataService => "Service",
        Module::DataAnalysis => "Analys",
        Module::DataQuality => "Quality",
        Module::DataModeling => "Model",
        Module::DataGovernance => "Govern",
        Module::SecurityGuard => "Security",
        Module::Management => "Manage",
    }
}

fn mark(l: Level) -> &'static str {
    match l {
        Level::ReadWrite => "RW",
        Level::ReadOnly => "R",
        Level::Unauthorized => "-",
    }
}

pub fn load(c: &Console, s: &Session, user: &str) -> Result<AccessPanel, ConsoleError> {
    let m: AccessMatrix = c.access_matrix(s, user)?;
    let mut columns: Vec<&'static str> = vec!["Workspace"];
    columns.extend(Module::ALL.iter().map(|&m| short(m)));
    let mut ws = Table::new(
        &format!(
            "Workspace modules in {} (RW read-write, R read-only)",
            s.region
        ),
        &columns,
    );
    let mut ws_traces = Vec::new();
    for (name, cells) in &m.workspaces {
        let mut row = vec![name.clone()];
        row.extend(cells.iter().map(|c| mark(c.level).to_owned()));
        ws.push(row);
        let mut lines = Vec::new();
        for (module, cell) in Module::ALL.iter().zip(cells) {
            lines.push(format!("{}: {}", module.title(), cell.level.title()));
            lines.extend(cell.trace.iter().map(|t| format!("    {t}")));
        }
        ws_traces.push(lines);
    }
    let mut tabs = vec![ws];
    let mut traces = vec![ws_traces];
    if !m.tenant.is_empty() {
        let mut t = Table::new("Tenant modules", &["Module", "Level", "Why"]);
        let mut tr = Vec::new();
        for (g, cell) in GlobalModule::ALL.iter().zip(&m.tenant) {
            let why = cell
                .trace
                .get(1)
                .or(cell.trace.first())
                .cloned()
                .unwrap_or_default();
            t.push(vec![g.title().into(), cell.level.title().into(), why]);
            tr.push(cell.trace.clone());
        }
        tabs.push(t);
        traces.push(tr);
        let mut a = Table::new("Console actions", &["Action", "Decision", "Why"]);
        let mut tr = Vec::new();
        for (op, v) in &m.actions {
            let decision = if v.allowed { "allowed" } else { "denied" };
            a.push(vec![
                op.action().into(),
                decision.into(),
                v.trace.first().cloned().unwrap_or_default(),
            ]);
            tr.push(v.trace.clone());
        }
        tabs.push(a);
        traces.push(tr);
    }
    Ok(AccessPanel {
        user: m.user,
        view: View {
            tabs,
            ..Default::default()
        },
        traces,
    })
}
