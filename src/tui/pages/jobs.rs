//! Jobs: resource-group changes, image builds and model deployments that take time, running
//! and finished, with their steps on Enter.

use crate::console::{Console, ConsoleError, Session};

use super::super::view::{Column, Table, col, extra, key};
use super::{Detail, Here, failed, time};

pub struct Pane;

const COLUMNS: &[Column] = &[
    key("Id"),
    key("Job"),
    key("Progress"),
    col("Started by"),
    col("Started"),
    extra("Finished"),
];

impl super::Pane for Pane {
    fn load(&self, c: &Console, s: &Session, _here: &Here) -> Table {
        let mut t = Table::new(&format!("Jobs in {}", s.region), COLUMNS);
        match c.list_jobs(s, true) {
            Ok(js) => {
                for j in js {
                    t.push(vec![
                        j.id.to_string(),
                        j.label(),
                        j.progress(),
                        j.started_by.clone(),
                        time(&j.started_at),
                        j.finished_at.as_ref().map(time).unwrap_or_default(),
                    ]);
                }
                t
            }
            Err(e) => failed(t, e),
        }
    }

    fn shows(&self) -> &'static [&'static str] {
        &["job list", "job wait"]
    }

    fn detail(
        &self,
        c: &Console,
        s: &Session,
        _here: &Here,
        id: &str,
    ) -> Option<Result<Detail, ConsoleError>> {
        let job = c.list_jobs(s, true).and_then(|js| {
            js.into_iter()
                .find(|j| j.id.to_string() == id)
                .ok_or_else(|| ConsoleError::NotFound(format!("job {id}")))
        });
        Some(job.map(|j| {
            let mut d = Detail::new(format!("Job {} {}", j.id, j.label()))
                .field("Job", j.label())
                .field("Progress", j.progress())
                .field(
                    "Started by",
                    format!("{} ({})", j.started_by, j.scope.as_str()),
                )
                .field("Started", time(&j.started_at))
                .field(
                    "Finished",
                    j.finished_at
                        .as_ref()
                        .map(time)
                        .unwrap_or_else(|| "-".into()),
                );
            for (i, step) in j.steps.iter().enumerate() {
                let state = if i < j.done { "done" } else { "due" };
                d.push(
                    &format!("Step {}", i + 1),
                    format!("{} ({state} {})", step.title, time(&step.due)),
                );
            }
            d
        }))
    }
}
