//! Things that take time (DESIGN §6): a job is the plan of steps that takes a resource from its
//! transitional status (Creating, Updating, Deleting, Building, Deploying) to where it was asked
//! to go. Steps carry due times and are stored, so whichever process holds the store next runs
//! what is due — nothing is lost when no process runs.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::Timestamp;
use super::principal::Scope;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobKind {
    CreateResourceGroup,
    ScaleResourceGroup { to_cu: u32 },
    RenewResourceGroup { expires_at: Timestamp },
    DeleteResourceGroup,
    BuildImage { group: String },
    DeployModel,
}

impl JobKind {
    /// What the job does to its target, for lists and the audit log.
    pub fn verb(&self) -> &'static str {
        match self {
            JobKind::CreateResourceGroup => "create resource group",
            JobKind::ScaleResourceGroup { .. } => "scale resource group",
            JobKind::RenewResourceGroup { .. } => "renew resource group",
            JobKind::DeleteResourceGroup => "delete resource group",
            JobKind::BuildImage { .. } => "build image",
            JobKind::DeployModel => "deploy model",
        }
    }

    /// How long the job takes when nobody says otherwise: about what the real service takes.
    pub fn default_seconds(&self) -> u64 {
        match self {
            JobKind::CreateResourceGroup => 180,
            JobKind::ScaleResourceGroup { .. } => 120,
            JobKind::RenewResourceGroup { .. } => 10,
            JobKind::DeleteResourceGroup => 60,
            JobKind::BuildImage { .. } => 300,
            JobKind::DeployModel => 240,
        }
    }

    fn step_titles(&self) -> &'static [&'static str] {
        match self {
            JobKind::CreateResourceGroup => &[
                "check stock in the region",
                "allocate the network",
                "provision compute",
                "start the scheduler",
            ],
            JobKind::ScaleResourceGroup { .. } => &[
                "check stock in the region",
                "provision or release compute",
                "rebalance the scheduler",
            ],
            JobKind::RenewResourceGroup { .. } => &["extend the subscription"],
            JobKind::DeleteResourceGroup => &[
                "check what still uses the group",
                "release compute",
                "release the network",
            ],
            JobKind::BuildImage { .. } => &[
                "start a builder on the resource group",
                "install packages",
                "push the image",
            ],
            JobKind::DeployModel => &[
                "reserve capacity on the resource group",
                "load the model",
                "open the endpoint",
            ],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobStep {
    pub title: String,
    pub due: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobOutcome {
    Succeeded,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub kind: JobKind,
    /// The resource's name.
    pub target: String,
    pub region: String,
    /// Who asked, and through which front end: the job's end is audited as theirs.
    pub started_by: String,
    pub scope: Scope,
    pub started_at: Timestamp,
    pub steps: Vec<JobStep>,
    /// Steps done so far.
    pub done: usize,
    pub outcome: Option<JobOutcome>,
    pub finished_at: Option<Timestamp>,
}

/// The length of every job when `DWC_JOB_SECONDS` sets it (demos and tests), else the kind's own.
pub fn job_length(kind: &JobKind, override_seconds: Option<u64>) -> Duration {
    Duration::seconds(override_seconds.unwrap_or(kind.default_seconds()) as i64)
}

impl Job {
    /// Plans a job whose steps are spread evenly over `length`, the last one due at its end.
    #[allow(clippy::too_many_arguments)]
    pub fn plan(
        id: u64,
        kind: JobKind,
        target: &str,
        region: &str,
        started_by: &str,
        scope: Scope,
        now: Timestamp,
        length: Duration,
    ) -> Job {
        let titles = kind.step_titles();
        let n = titles.len() as i32;
        let steps = titles
            .iter()
            .enumerate()
            .map(|(i, t)| JobStep {
                title: (*t).to_owned(),
                due: now + length * (i as i32 + 1) / n,
            })
            .collect();
        Job {
            id,
            kind,
            target: target.to_owned(),
            region: region.to_owned(),
            started_by: started_by.to_owned(),
            scope,
            started_at: now,
            steps,
            done: 0,
            outcome: None,
            finished_at: None,
        }
    }

    pub fn is_running(&self) -> bool {
        self.outcome.is_none()
    }

    /// The step to run next and when it is due; `None` once the job has ended.
    pub fn next_step(&self) -> Option<(usize, &JobStep)> {
        if !self.is_running() {
            return None;
        }
        self.steps.get(self.done).map(|s| (self.done, s))
    }

    pub fn is_last_step(&self, index: usize) -> bool {
        index + 1 == self.steps.len()
    }

    /// Marks the next step done; ends the job when it was the last.
    pub fn step_done(&mut self, now: Timestamp) {
        self.done = (self.done + 1).min(self.steps.len());
        if self.done == self.steps.len() {
            self.outcome = Some(JobOutcome::Succeeded);
            self.finished_at = Some(now);
        }
    }

    pub fn fail(&mut self, reason: &str, now: Timestamp) {
        self.outcome = Some(JobOutcome::Failed(reason.to_owned()));
        self.finished_at = Some(now);
    }

    pub fn label(&self) -> String {
        format!("{} {}", self.kind.verb(), self.target)
    }

    /// `2/4 provision compute`, or how it ended.
    pub fn progress(&self) -> String {
        match (&self.outcome, self.next_step()) {
            (Some(JobOutcome::Succeeded), _) => "done".into(),
            (Some(JobOutcome::Failed(r)), _) => format!("failed: {r}"),
            (None, Some((i, s))) => format!("{}/{} {}", i + 1, self.steps.len(), s.title),
            (None, None) => "finishing".into(),
        }
    }

    /// Seconds until the job's last step is due (0 when overdue or ended).
    pub fn remaining(&self, now: Timestamp) -> i64 {
        match (self.is_running(), self.steps.last()) {
            (true, Some(last)) => (last.due - now).num_seconds().max(0),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Timestamp {
        chrono::DateTime::UNIX_EPOCH
    }

    #[test]
    fn steps_spread_over_the_length_and_end_the_job() {
        let mut j = Job::plan(
            1,
            JobKind::CreateResourceGroup,
            "rg",
            "cn-hangzhou",
            "acme",
            Scope::OpenAPI,
            t0(),
            Duration::seconds(8),
        );
        let dues: Vec<i64> = j.steps.iter().map(|s| s.due.timestamp()).collect();
        assert_eq!(dues, vec![2, 4, 6, 8]);
        assert_eq!(j.progress(), "1/4 check stock in the region");
        for _ in 0..4 {
            assert!(j.is_running());
            j.step_done(t0());
        }
        assert_eq!(j.outcome, Some(JobOutcome::Succeeded));
        assert!(j.next_step().is_none());
        assert_eq!(j.remaining(t0()), 0);
    }

    #[test]
    fn a_failed_job_has_no_next_step() {
        let mut j = Job::plan(
            2,
            JobKind::DeployModel,
            "m",
            "cn-hangzhou",
            "acme",
            Scope::Page,
            t0(),
            job_length(&JobKind::DeployModel, None),
        );
        assert_eq!(j.remaining(t0()), 240);
        j.fail("no capacity", t0());
        assert!(j.next_step().is_none());
        assert_eq!(j.progress(), "failed: no capacity");
    }
}
