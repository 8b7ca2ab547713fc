//! "My access" and "Access of member": the effective matrix the console decides — workspace
//! modules per workspace, tenant modules, console actions — with the trace of the selected cell
//! beneath it, and on Enter in a window of its own.

use crate::console::{AccessMatrix, Console, ConsoleError, Session};
use crate::domain::module::{GlobalModule, Level, Module};

use super::view::{Table, View, col, key};

/// What one cell of the matrix says and why.
pub struct Why {
    pub title: String,
    pub trace: Vec<String>,
}

pub struct AccessPanel {
    pub user: String,
    pub view: View,
    /// Per tab, per row, per cell that has one: its explanation. The workspace tab has one per
    /// module column; the others one per row.
    pub whys: Vec<Vec<Vec<Why>>>,
}

impl AccessPanel {
    /// The selected cell's title and trace.
    pub fn selected_why(&self) -> (&str, &[String]) {
        let t = self.view.table();
        let cell = t
            .visible(&self.view.filter)
            .get(t.selected)
            .and_then(|i| self.whys.get(self.view.tab)?.get(i))
            .and_then(|cells| cells.get(t.selected_col.map_or(0, |c| c.saturating_sub(1))));
        cell.map_or(("", &[]), |w| (w.title.as_str(), w.trace.as_slice()))
    }

    /// Moves the selected cell along the row, on tables with more than one (h/l, ←/→).
    pub fn move_col(&mut self, by: isize) {
        let Some(t) = self.view.table_mut() else {
            return;
        };
        if let Some(col) = &mut t.selected_col {
            let last = t.columns.len().saturating_sub(1);
            *col = col.saturating_add_signed(by).clamp(1, last.max(1));
        }
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
    // Every module column shows: the matrix is read across.
    let mut columns = vec![key("Workspace")];
    columns.extend(Module::ALL.iter().map(|&m| key(short(m))));
    let mut ws = Table::new(
        &format!(
            "Workspace modules in {} (RW read-write, R read-only)",
            s.region
        ),
        &columns,
    );
    // The first module column starts selected; column 0 is the workspace's name.
    ws.selected_col = Some(1);
    let mut ws_whys = Vec::new();
    for (name, cells) in &m.workspaces {
        let mut row = vec![name.clone()];
        row.extend(cells.iter().map(|c| mark(c.level).to_owned()));
        ws.push(row);
        let whys = Module::ALL
            .iter()
            .zip(cells)
            .map(|(module, cell)| Why {
                title: format!("{name} · {}: {}", module.title(), cell.level.title()),
                trace: cell.trace.clone(),
            })
            .collect();
        ws_whys.push(whys);
    }
    let mut tabs = vec![ws];
    let mut whys = vec![ws_whys];
    if !m.tenant.is_empty() {
        let mut t = Table::new("Tenant modules", &[key("Module"), key("Level"), col("Why")]);
        let mut tr = Vec::new();
        for (g, cell) in GlobalModule::ALL.iter().zip(&m.tenant) {
            let why = cell
                .trace
                .get(1)
                .or(cell.trace.first())
                .cloned()
                .unwrap_or_default();
            t.push(vec![g.title().into(), cell.level.title().into(), why]);
            tr.push(vec![Why {
                title: format!("{}: {}", g.title(), cell.level.title()),
                trace: cell.trace.clone(),
            }]);
        }
        tabs.push(t);
        whys.push(tr);
        let mut a = Table::new(
            "Console actions",
            &[key("Action"), key("Decision"), col("Why")],
        );
        let mut tr = Vec::new();
        for (op, v) in &m.actions {
            let decision = if v.allowed { "allowed" } else { "denied" };
            a.push(vec![
                op.action().into(),
                decision.into(),
                v.trace.first().cloned().unwrap_or_default(),
            ]);
            tr.push(vec![Why {
                title: format!("{}: {decision}", op.action()),
                trace: v.trace.clone(),
            }]);
        }
        tabs.push(a);
        whys.push(tr);
    }
    Ok(AccessPanel {
        user: m.user,
        view: View {
            tabs,
            ..Default::default()
        },
        whys,
    })
}
