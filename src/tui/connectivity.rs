//! The Data Sources tab's connectivity test (t): the console plans it, the probe runs as a task
//! beside the event loop so the console never blocks, Esc cancels it, and the result is recorded
//! and shown with its steps when it arrives.

use tokio::task::AbortHandle;

use crate::console::TestPlan;
use crate::domain::datasource::ConnectivityResult;
use crate::probe::ProbeReport;

use super::app::{App, Popup};
use super::background::Done;

/// A probe's answer, sent back to the event loop.
#[derive(Debug)]
pub struct ProbeDone {
    pub id: u64,
    pub report: ProbeReport,
}

/// The test under way.
#[derive(Debug)]
pub struct PendingTest {
    pub id: u64,
    pub workspace: String,
    pub source: String,
    pub group: String,
    abort: Option<AbortHandle>,
}

impl PendingTest {
    pub fn label(&self) -> String {
        format!("testing {} from {} (Esc cancels)", self.source, self.group)
    }
}

impl App {
    pub fn start_test(&mut self, workspace: &str, source: &str, group: &str) {
        let Some(s) = &self.session else { return };
        let plan = match self
            .console
            .plan_connectivity_test(s, workspace, source, group)
        {
            Ok(p) => p,
            Err(e) => return self.show_error(e),
        };
        let (group, request) = match plan {
            TestPlan::Decided(result) => return self.record_test(workspace, source, result),
            TestPlan::Probe { group, request } => (group, request),
        };
        self.next_probe += 1;
        let id = self.next_probe;
        let mut pending = PendingTest {
            id,
            workspace: workspace.to_owned(),
            source: source.to_owned(),
            group,
            abort: None,
        };
        match (&self.background, tokio::runtime::Handle::try_current()) {
            (Some(tx), Ok(rt)) => {
                let tx = tx.clone();
                let task = rt.spawn(async move {
                    let report = crate::probe::probe(&request).await;
                    let _ = tx.send(Done::Probe(ProbeDone { id, report }));
                });
                pending.abort = Some(task.abort_handle());
                self.testing = Some(pending);
            }
            _ => {
                let report = crate::probe::probe_blocking(&request);
                self.testing = Some(pending);
                self.finish_test(ProbeDone { id, report });
            }
        }
    }

    /// A probe came back: record it (unless it was cancelled) and show its steps.
    pub fn finish_test(&mut self, done: ProbeDone) {
        let Some(p) = self.testing.take_if(|p| p.id == done.id) else {
            return;
        };
        let result = ConnectivityResult {
            resource_group: p.group.clone(),
            result: done.report.result,
            steps: done.report.steps,
            tested_at: self.console.now(),
        };
        self.record_test(&p.workspace, &p.source, result);
    }

    /// Esc while a test runs: stops the probe; nothing is recorded.
    pub fn cancel_test(&mut self) -> bool {
        let Some(p) = self.testing.take() else {
            return false;
        };
        if let Some(a) = p.abort {
            a.abort();
        }
        self.toast = Some(format!("cancelled the test of {}", p.source));
        true
    }

    fn record_test(&mut self, workspace: &str, source: &str, result: ConnectivityResult) {
        let Some(s) = &self.session else { return };
        let title = format!(
            "{source} from {}: {}",
            result.resource_group,
            result.result.title()
        );
        let steps = result.steps.clone();
        match self
            .console
            .record_connectivity_test(s, workspace, source, result)
        {
            Ok(_) => {
                self.refresh_in_place();
                self.popup = Some(Popup::Explain(title, steps));
            }
            Err(e) => self.show_error(e),
        }
    }
}
