//! The clock's work (DESIGN §6): job steps, subscriptions that expire or renew, the recycle bin's
//! purge, monthly bills. Everything due is a key in the `due` index, ordered by time, so
//! `advance` reads only what is due — whatever the size of the tenant — and each piece of work
//! is one transaction that also removes its key. A process killed in the middle leaves the key,
//! and the next process does the work.

use chrono::{Datelike, Duration, TimeZone, Utc};

use crate::authz::{Op, ResourceKind, Target};
use crate::domain::audit::{AuditEvent, Outcome};
use crate::domain::image::Image;
use crate::domain::job::{Job, JobKind, JobOutcome, job_length};
use crate::domain::model::{ModelDeployment, ModelEvent};
use crate::domain::purchase::{Bill, Billing, PurchaseStatus, PurchasedItem, month_of};
use crate::domain::resource_group::{ClockEffect, Payment, ResourceGroup, RgEvent, RgStatus};
use crate::domain::{Scope, Timestamp, Workspace};
use crate::store::{T, Tx, TxResult, key, last_part, prefix};

use super::error::{ConsoleError, Result};
use super::{Console, Session, append_audit};

/// Who the audit log names for what the clock does on its own.
pub const SYSTEM: &str = "system";

const META_TIMERS: &[u8] = b"timers_armed";

/// What a `due` key asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Due {
    JobStep(u64),
    Expire(String),
    Purge(String),
    /// Bill the month `YYYY-MM` (due when it begins).
    Bill(String),
}

fn due_key(at: Timestamp, what: &Due) -> Vec<u8> {
    // Sign-flipped milliseconds sort as unsigned big-endian bytes.
    let ms = (at.timestamp_millis() as u64) ^ (1 << 63);
    let (kind, id) = match what {
        Due::JobStep(id) => ("job", id.to_string()),
        Due::Expire(g) => ("expire", g.clone()),
        Due::Purge(w) => ("purge", w.clone()),
        Due::Bill(m) => ("bill", m.clone()),
    };
    let mut k = ms.to_be_bytes().to_vec();
    k.extend_from_slice(kind.as_bytes());
    k.push(0);
    k.extend_from_slice(id.as_bytes());
    k
}

fn parse_due(k: &[u8]) -> Option<(Timestamp, Due)> {
    let (ms, rest) = k.split_at_checked(8)?;
    let ms = u64::from_be_bytes(ms.try_into().ok()?) ^ (1 << 63);
    let at = Utc.timestamp_millis_opt(ms as i64).single()?;
    let rest = std::str::from_utf8(rest).ok()?;
    let (kind, id) = rest.split_once('\0')?;
    let what = match kind {
        "job" => Due::JobStep(id.parse().ok()?),
        "expire" => Due::Expire(id.to_owned()),
        "purge" => Due::Purge(id.to_owned()),
        "bill" => Due::Bill(id.to_owned()),
        _ => return None,
    };
    Some((at, what))
}

fn arm(tx: &Tx, at: Timestamp, what: &Due) -> TxResult<(), ConsoleError> {
    tx.mark(T::Due, &due_key(at, what))
}

/// Arms a PrePaid group's expiry (stale entries are harmless: the group is checked when due).
pub(super) fn arm_expiry(tx: &Tx, g: &ResourceGroup) -> TxResult<(), ConsoleError> {
    match g.payment {
        Payment::PrePaid { expires_at, .. } => arm(tx, expires_at, &Due::Expire(g.name.clone())),
        Payment::PostPaid => Ok(()),
    }
}

pub(super) fn arm_purge(tx: &Tx, w: &Workspace) -> TxResult<(), ConsoleError> {
    match &w.recycled {
        Some(r) => arm(tx, r.purge_at(), &Due::Purge(w.name.clone())),
        None => Ok(()),
    }
}

/// The first instant of the month after `t`'s.
fn next_month_start(t: Timestamp) -> Timestamp {
    let (y, m) = if t.month() == 12 {
        (t.year() + 1, 1)
    } else {
        (t.year(), t.month() + 1)
    };
    Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0)
        .single()
        .unwrap_or(t + Duration::days(31))
}

fn job_key(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

/// `DWC_JOB_SECONDS`: every job's length, for demos and tests.
pub(super) fn job_seconds_from_env() -> Result<Option<u64>> {
    match std::env::var("DWC_JOB_SECONDS") {
        Err(_) => Ok(None),
        Ok(v) => v.trim().parse::<u64>().map(Some).map_err(|_| {
            ConsoleError::invalid(
                "DWC_JOB_SECONDS",
                format!("must be a whole number of seconds (got {v:?})"),
            )
        }),
    }
}

/// What one step of a job decides.
enum StepResult {
    Continue,
    Fail(String),
}

impl Console {
    /// Plans a job for `target` and arms its first step, inside the operation's transaction.
    pub(super) fn start_job(
        &self,
        tx: &Tx,
        s: &Session,
        kind: JobKind,
        target: &str,
    ) -> TxResult<Job, ConsoleError> {
        let id = tx.next_id()?;
        let length = job_length(&kind, self.job_seconds);
        let job = Job::plan(
            id,
            kind,
            target,
            &s.region,
            s.who(),
            s.scope,
            self.now(),
            length,
        );
        tx.put(T::Jobs, &job_key(id), &job)?;
        if let Some((_, step)) = job.next_step() {
            arm(tx, step.due, &Due::JobStep(id))?;
        }
        Ok(job)
    }

    /// Arms what a store made before the clock had work (or by bulk loading) needs: expiries,
    /// purges and the monthly bill. Runs once per store, unless `again` (after a bulk load).
    pub(super) fn arm_timers(&self, again: bool) -> Result<()> {
        if !again && self.store.has(T::Meta, META_TIMERS)? {
            return Ok(());
        }
        let groups = self.store.scan::<ResourceGroup>(T::ResourceGroups, b"")?;
        let recycled: Vec<Workspace> = self
            .store
            .scan::<Workspace>(T::Workspaces, b"")?
            .into_iter()
            .filter(|w| w.recycled.is_some())
            .collect();
        let now = self.now();
        self.store.transact(|tx| {
            for g in &groups {
                arm_expiry(tx, g)?;
            }
            for w in &recycled {
                arm_purge(tx, w)?;
            }
            let next = next_month_start(now);
            arm(tx, next, &Due::Bill(month_of(next)))?;
            tx.mark(T::Meta, META_TIMERS)
        })?;
        Ok(())
    }

    /// Does everything that is due by now, oldest first; returns how many pieces of work ran.
    /// Called on open, after each command, and on the console's tick.
    pub fn advance(&self) -> Result<usize> {
        // Callers in one process take turns; across processes the store lock (sled) or each
        // piece's claim on its due entry inside its own transaction (PostgreSQL) keeps it to
        // one run.
        let _turn = self.advancing.lock().unwrap_or_else(|e| e.into_inner());
        let mut ran = 0;
        // A bound, so a store that keeps re-arming work in the past cannot spin forever.
        for _ in 0..10_000 {
            let now = self.now();
            let end = due_key(now + Duration::milliseconds(1), &Due::JobStep(0));
            let end = &end[..8];
            // One at a time: a step may arm a next one that is due before the rest.
            let Some(k) = self.store.keys_before(T::Due, end, 1)?.pop() else {
                break;
            };
            self.run_due(&k)?;
            ran += 1;
        }
        Ok(ran)
    }

    /// When the next piece of work is due, if any.
    pub fn next_due(&self) -> Result<Option<Timestamp>> {
        Ok(self
            .store
            .first_key(T::Due)?
            .and_then(|k| parse_due(&k))
            .map(|(at, _)| at))
    }

    fn run_due(&self, k: &[u8]) -> Result<()> {
        let Some((_, what)) = parse_due(k) else {
            // Not ours to understand: drop it rather than stall the queue.
            self.store.transact(|tx| tx.del(T::Due, k))?;
            return Ok(());
        };
        match what {
            Due::JobStep(id) => self.run_job_step(k, id),
            Due::Expire(g) => self.run_expiry(k, &g),
            Due::Purge(w) => self.run_purge(k, &w),
            Due::Bill(m) => self.run_bill(k, &m),
        }
    }

    // ----- jobs -----

    fn run_job_step(&self, k: &[u8], id: u64) -> Result<()> {
        let Some(mut job) = self.store.get::<Job>(T::Jobs, &job_key(id))? else {
            self.store.transact(|tx| tx.del(T::Due, k))?;
            return Ok(());
        };
        let Some((index, _)) = job.next_step() else {
            self.store.transact(|tx| tx.del(T::Due, k))?;
            return Ok(());
        };
        let before = job.clone();
        let now = self.now();
        let last = job.is_last_step(index);
        let result = if index == 0 {
            self.first_step_check(&job)?
        } else {
            StepResult::Continue
        };
        match result {
            StepResult::Fail(reason) => job.fail(&reason, now),
            StepResult::Continue => job.step_done(now),
        }
        let ended = !job.is_running();
        // What a transaction cannot look up (it reads by key): a scaled group's purchased item.
        let item = match job.kind {
            JobKind::ScaleResourceGroup { .. } if last => self.item_of_group(&job.target)?,
            _ => None,
        };
        let change = super::sessions::Change {
            who: job.started_by.clone(),
            action: "dwc:Job".into(),
            target: format!("{} {}", job.label(), job.progress()),
            region: job.region.clone(),
        };
        let note = self.others.note(&change);
        let ran = self.store.transact(|tx| {
            // Someone else ran this step meanwhile, or is running it on another server: it must
            // not run twice.
            if !tx.claim(T::Due, k)?
                || tx.get::<Job, ConsoleError>(T::Jobs, &job_key(id))?.as_ref() != Some(&before)
            {
                return Ok(false);
            }
            tx.del(T::Due, k)?;
            match &job.outcome {
                Some(JobOutcome::Failed(reason)) => self.job_failed(tx, &job, reason)?,
                Some(JobOutcome::Succeeded) if last => {
                    self.job_succeeded(tx, &job, item.as_deref())?
                }
                _ => {}
            }
            if let Some((_, step)) = job.next_step() {
                arm(tx, step.due, &Due::JobStep(job.id))?;
            }
            tx.put(T::Jobs, &job_key(job.id), &job)?;
            tx.notify(&note);
            if ended {
                let (outcome, detail) = match &job.outcome {
                    Some(JobOutcome::Failed(r)) => {
                        (Outcome::Failed, format!("job {}: {r}", job.id))
                    }
                    _ => (Outcome::Ok, format!("job {} done", job.id)),
                };
                append_audit(
                    tx,
                    &AuditEvent {
                        at: now,
                        principal: job.started_by.clone(),
                        scope: job.scope,
                        region: job.region.clone(),
                        action: job_action(&job.kind).to_owned(),
                        target: job.label(),
                        outcome,
                        detail,
                    },
                )?;
            }
            Ok(true)
        })?;
        if ran {
            self.sessions.publish(change);
        }
        Ok(())
    }

    /// The checks a job's first step makes against the world as it is now (it may have changed
    /// since the request): stock, capacity, what still uses a group.
    fn first_step_check(&self, job: &Job) -> Result<StepResult> {
        let gone = || StepResult::Fail(format!("{} no longer exists", job.target));
        Ok(match &job.kind {
            JobKind::CreateResourceGroup => {
                let Some(g) = self.rg(&job.target)? else {
                    return Ok(gone());
                };
                self.stock_check(job, &g, g.spec_cu)?
            }
            JobKind::ScaleResourceGroup { to_cu } => {
                let Some(g) = self.rg(&job.target)? else {
                    return Ok(gone());
                };
                let lent = self
                    .cu_in_use(&g.region)?
                    .get(&g.name)
                    .copied()
                    .unwrap_or(0);
                if *to_cu < lent {
                    StepResult::Fail(format!(
                        "{lent} CU are lent to model deployments; cannot scale to {to_cu} CU"
                    ))
                } else if *to_cu > g.spec_cu {
                    self.stock_check(job, &g, to_cu - g.spec_cu)?
                } else {
                    StepResult::Continue
                }
            }
            JobKind::DeleteResourceGroup => {
                let holders: Vec<String> = self
                    .store
                    .scan::<ModelDeployment>(T::Models, b"")?
                    .into_iter()
                    .filter(|m| m.resource_group == job.target && m.cu_held() > 0)
                    .map(|m| m.name)
                    .collect();
                if holders.is_empty() {
                    StepResult::Continue
                } else {
                    StepResult::Fail(format!(
                        "still used by model deployment(s) {}; delete them first",
                        holders.join(", ")
                    ))
                }
            }
            JobKind::BuildImage { group } => match self.rg(group)? {
                Some(g) if g.is_usable() => StepResult::Continue,
                Some(g) => StepResult::Fail(format!(
                    "resource group {group} is {}: the builder cannot start",
                    g.status
                )),
                None => StepResult::Fail(format!("resource group {group} no longer exists")),
            },
            JobKind::DeployModel => {
                let Some(m) = self
                    .store
                    .get::<ModelDeployment>(T::Models, job.target.as_bytes())?
                else {
                    return Ok(gone());
                };
                match self.rg(&m.resource_group)? {
                    Some(g) if g.is_usable() => {
                        let used = self.cu_in_use(&g.region)?;
                        let others = used
                            .get(&g.name)
                            .copied()
                            .unwrap_or(0)
                            .saturating_sub(m.cu_held());
                        let need = m.cu_held();
                        if others + need > g.spec_cu {
                            StepResult::Fail(format!(
                                "{} has {} of {} CU free; {need} CU needed",
                                g.name,
                                g.spec_cu.saturating_sub(others),
                                g.spec_cu
                            ))
                        } else {
                            StepResult::Continue
                        }
                    }
                    Some(g) => {
                        StepResult::Fail(format!("resource group {} is {}", g.name, g.status))
                    }
                    None => StepResult::Fail(format!(
                        "resource group {} no longer exists",
                        m.resource_group
                    )),
                }
            }
            JobKind::RenewResourceGroup { .. } => match self.rg(&job.target)? {
                Some(_) => StepResult::Continue,
                None => gone(),
            },
        })
    }

    fn rg(&self, name: &str) -> Result<Option<ResourceGroup>> {
        Ok(self.store.get(T::ResourceGroups, name.as_bytes())?)
    }

    /// Whether the region can provision `extra` CU more for `g`. First come, first served:
    /// groups still waiting for their own stock check behind `job` do not count against it.
    fn stock_check(&self, job: &Job, g: &ResourceGroup, extra: u32) -> Result<StepResult> {
        let stock = crate::domain::region::region("region", &g.region)?.stock_cu;
        let behind: std::collections::HashSet<String> = self
            .running_jobs_anywhere()?
            .into_iter()
            .filter(|j| {
                j.id > job.id && j.done == 0 && matches!(j.kind, JobKind::CreateResourceGroup)
            })
            .map(|j| j.target)
            .collect();
        let mut held: u32 = 0;
        for k in self.store.keys(T::RgByRegion, &prefix(&g.region))? {
            let name = last_part(&k);
            if name == g.name || behind.contains(&name) {
                continue;
            }
            if let Some(other) = self.rg(&name)?
                && other.status != RgStatus::CreateFailed
            {
                held = held.saturating_add(other.spec_cu);
            }
        }
        // A group being created asks for all of its spec; one being scaled holds its spec.
        let own = if g.status == RgStatus::Creating {
            0
        } else {
            g.spec_cu
        };
        let free = stock.saturating_sub(held.saturating_add(own));
        Ok(if extra > free {
            StepResult::Fail(format!(
                "insufficient stock in {}: {free} of {stock} CU free, {extra} CU asked",
                g.region
            ))
        } else {
            StepResult::Continue
        })
    }

    /// Every running job, whatever its region (for the stock queue).
    fn running_jobs_anywhere(&self) -> Result<Vec<Job>> {
        let mut out = Vec::new();
        for k in self.store.keys(T::Due, b"")? {
            if let Some((_, Due::JobStep(id))) = parse_due(&k)
                && let Some(job) = self.store.get::<Job>(T::Jobs, &job_key(id))?
                && job.is_running()
            {
                out.push(job);
            }
        }
        Ok(out)
    }

    fn job_failed(&self, tx: &Tx, job: &Job, reason: &str) -> TxResult<(), ConsoleError> {
        match &job.kind {
            JobKind::CreateResourceGroup
            | JobKind::ScaleResourceGroup { .. }
            | JobKind::RenewResourceGroup { .. }
            | JobKind::DeleteResourceGroup => {
                let event = match job.kind {
                    JobKind::CreateResourceGroup => RgEvent::CreateFailed,
                    JobKind::DeleteResourceGroup => RgEvent::DeleteFailed,
                    _ => RgEvent::UpdateFailed,
                };
                if let Some(mut g) =
                    tx.get::<ResourceGroup, _>(T::ResourceGroups, job.target.as_bytes())?
                {
                    g.fail(event, reason).map_err(|e| abort(e.into()))?;
                    tx.put(T::ResourceGroups, job.target.as_bytes(), &g)?;
                }
            }
            JobKind::BuildImage { .. } => {
                if let Some(mut img) = tx.get::<Image, _>(T::Images, job.target.as_bytes())? {
                    img.finish_build(Err(reason.to_owned()))
                        .map_err(|e| abort(e.into()))?;
                    tx.put(T::Images, job.target.as_bytes(), &img)?;
                }
            }
            JobKind::DeployModel => {
                if let Some(mut m) =
                    tx.get::<ModelDeployment, _>(T::Models, job.target.as_bytes())?
                {
                    m.apply(ModelEvent::DeployFailed)
                        .map_err(|e| abort(e.into()))?;
                    m.reason = Some(reason.to_owned());
                    tx.put(T::Models, job.target.as_bytes(), &m)?;
                }
            }
        }
        Ok(())
    }

    /// A subscribed group's new spec is an upgrade or downgrade of its purchased item: the item's
    /// price follows the spec, and the difference for the time left is charged or refunded.
    /// The purchased item a resource group was bought as, if any.
    fn item_of_group(&self, group: &str) -> Result<Option<String>> {
        use crate::domain::purchase::PurchaseKind;
        let items: Vec<PurchasedItem> = self.store.scan(T::Purchases, b"")?;
        Ok(items
            .into_iter()
            .find(|p| p.kind == PurchaseKind::ResourceGroup(group.to_owned()))
            .map(|p| p.id))
    }

    /// A subscribed group's new spec is an upgrade or downgrade of its purchased item `id`: the
    /// item's price follows the spec, and the difference for the time left is charged or
    /// refunded.
    fn bill_spec_change(
        &self,
        tx: &Tx,
        id: &str,
        group: &str,
        from_cu: u32,
        to_cu: u32,
    ) -> TxResult<(), ConsoleError> {
        use crate::domain::purchase::change_charge;
        if from_cu == to_cu {
            return Ok(());
        }
        let Some(mut item) = tx.get::<PurchasedItem, _>(T::Purchases, id.as_bytes())? else {
            return Ok(());
        };
        let Billing::Subscription { expires_at, .. } = item.billing else {
            return Ok(());
        };
        if item.status != PurchaseStatus::Active {
            return Ok(());
        }
        let now = self.now();
        let price = super::catalog::spec_price(item.unit_price_cents, from_cu, to_cu);
        let charge = change_charge(item.unit_price_cents, price, now, expires_at);
        let what = if to_cu > from_cu {
            "scale-out"
        } else {
            "scale-in refund"
        };
        let bill = Bill::change(
            &month_of(now),
            id,
            &format!("{group} {from_cu} to {to_cu} CU, {what} for the time left"),
            charge,
        )
        .map_err(|e| abort(e.into()))?;
        item.unit_price_cents = price;
        tx.put(T::Purchases, id.as_bytes(), &item)?;
        tx.put(
            T::Bills,
            &super::catalog::change_bill_key(&bill, tx.next_id()?),
            &bill,
        )
    }

    fn job_succeeded(&self, tx: &Tx, job: &Job, item: Option<&str>) -> TxResult<(), ConsoleError> {
        let name = job.target.as_bytes();
        match &job.kind {
            JobKind::CreateResourceGroup => {
                if let Some(mut g) = tx.get::<ResourceGroup, _>(T::ResourceGroups, name)? {
                    g.apply(RgEvent::Created).map_err(|e| abort(e.into()))?;
                    tx.put(T::ResourceGroups, name, &g)?;
                    arm_expiry(tx, &g)?;
                }
            }
            JobKind::ScaleResourceGroup { to_cu } => {
                if let Some(mut g) = tx.get::<ResourceGroup, _>(T::ResourceGroups, name)? {
                    let from_cu = g.spec_cu;
                    g.finish_scale(*to_cu).map_err(|e| abort(e.into()))?;
                    tx.put(T::ResourceGroups, name, &g)?;
                    if let Some(item) = item {
                        self.bill_spec_change(tx, item, &g.name, from_cu, *to_cu)?;
                    }
                }
            }
            JobKind::RenewResourceGroup { expires_at } => {
                if let Some(mut g) = tx.get::<ResourceGroup, _>(T::ResourceGroups, name)? {
                    g.set_expiry(*expires_at);
                    g.apply(RgEvent::Updated).map_err(|e| abort(e.into()))?;
                    tx.put(T::ResourceGroups, name, &g)?;
                    arm_expiry(tx, &g)?;
                }
            }
            JobKind::DeleteResourceGroup => {
                if let Some(g) = tx.get::<ResourceGroup, _>(T::ResourceGroups, name)? {
                    tx.del(T::ResourceGroups, name)?;
                    tx.del(T::RgByRegion, &key(&[&g.region, &g.name]))?;
                    // Released from its workspaces: none keeps its name.
                    for ws in &g.attached {
                        if tx.has(T::WsStats, ws.as_bytes())? {
                            super::workspaces::note_group(tx, ws, &g.name, false)?;
                        }
                    }
                }
            }
            JobKind::BuildImage { .. } => {
                if let Some(mut img) = tx.get::<Image, _>(T::Images, name)? {
                    img.finish_build(Ok(())).map_err(|e| abort(e.into()))?;
                    tx.put(T::Images, name, &img)?;
                }
            }
            JobKind::DeployModel => {
                if let Some(mut m) = tx.get::<ModelDeployment, _>(T::Models, name)? {
                    m.apply(ModelEvent::Deployed).map_err(|e| abort(e.into()))?;
                    m.endpoint = Some(super::catalog::model_endpoint(&m.name, &m.region));
                    tx.put(T::Models, name, &m)?;
                }
            }
        }
        Ok(())
    }

    /// Jobs in the session's region that are still running and that the session may see: its
    /// own, and those on resources it may list.
    pub fn running_jobs(&self, s: &Session) -> Result<Vec<Job>> {
        let mut out = Vec::new();
        for job in self.running_jobs_anywhere()? {
            if job.region == s.region && self.may_see_job(s, &job)? {
                out.push(job);
            }
        }
        out.sort_by_key(|j| j.id);
        Ok(out)
    }

    /// Running jobs, or with `all` also the region's recent ones (newest first), that the
    /// session may see.
    pub fn list_jobs(&self, s: &Session, all: bool) -> Result<Vec<Job>> {
        if !all {
            return self.running_jobs(s);
        }
        let mut out = Vec::new();
        for job in self.store.last::<Job>(T::Jobs, 500)? {
            if job.region == s.region && self.may_see_job(s, &job)? {
                out.push(job);
            }
            if out.len() == 50 {
                break;
            }
        }
        Ok(out)
    }

    /// The newest job on `target` the session may see, running or not (`--wait` follows it).
    pub fn latest_job(&self, s: &Session, target: &str) -> Result<Option<Job>> {
        for job in self.store.last::<Job>(T::Jobs, 200)? {
            if job.target == target && job.region == s.region {
                return Ok(self.may_see_job(s, &job)?.then_some(job));
            }
        }
        Ok(None)
    }

    fn may_see_job(&self, s: &Session, job: &Job) -> Result<bool> {
        if job.started_by == s.who() {
            return Ok(true);
        }
        let (op, kind) = match job.kind {
            JobKind::BuildImage { .. } => (Op::ListImages, ResourceKind::Image),
            JobKind::DeployModel => (Op::ListModelDeployments, ResourceKind::ModelDeployment),
            _ => (Op::ListResourceGroups, ResourceKind::ResourceGroup),
        };
        let target = Target::named(kind, "*", &job.region);
        Ok(self.can(s, op, &target)?.allowed)
    }

    // ----- the calendar -----

    fn run_expiry(&self, k: &[u8], name: &str) -> Result<()> {
        let now = self.now();
        self.store.transact(|tx| {
            // Once, whichever process sees it first; the group as this transaction reads it.
            if !tx.claim(T::Due, k)? {
                return Ok(());
            }
            tx.del(T::Due, k)?;
            let Some(mut g) = tx.get::<ResourceGroup, _>(T::ResourceGroups, name.as_bytes())?
            else {
                return Ok(());
            };
            match g.on_clock(now) {
                ClockEffect::Expire => {
                    g.apply(RgEvent::Expired).map_err(|e| abort(e.into()))?;
                    tx.put(T::ResourceGroups, name.as_bytes(), &g)?;
                    self.system_audit(
                        tx,
                        &g.region,
                        "dataworks:ExpireResourceGroup",
                        name,
                        "PrePaid subscription expired: Stop",
                    )?;
                }
                ClockEffect::ToPostPaid => {
                    g.payment = Payment::PostPaid;
                    g.postpaid_at_expiry = false;
                    tx.put(T::ResourceGroups, name.as_bytes(), &g)?;
                    self.system_audit(
                        tx,
                        &g.region,
                        "dataworks:ConvertResourceGroupBilling",
                        name,
                        "PrePaid subscription ended: PostPaid from now on",
                    )?;
                }
                ClockEffect::AutoRenew { new_expiry } => {
                    g.set_expiry(new_expiry);
                    tx.put(T::ResourceGroups, name.as_bytes(), &g)?;
                    arm_expiry(tx, &g)?;
                    self.system_audit(
                        tx,
                        &g.region,
                        "dataworks:RenewResourceGroup",
                        name,
                        &format!("auto-renewed until {}", new_expiry.format("%Y-%m-%d")),
                    )?;
                }
                ClockEffect::None => match g.payment {
                    // Renewed since: wait for the new expiry.
                    Payment::PrePaid { expires_at, .. } if expires_at > now => {
                        arm(tx, expires_at, &Due::Expire(g.name.clone()))?;
                    }
                    // Expired while a job runs on it: look again shortly.
                    Payment::PrePaid { .. } if g.status.is_transitional() => {
                        arm(tx, now + Duration::minutes(1), &Due::Expire(g.name.clone()))?;
                    }
                    _ => {}
                },
            }
            Ok(())
        })?;
        Ok(())
    }

    fn system_audit(
        &self,
        tx: &Tx,
        region: &str,
        action: &str,
        target: &str,
        detail: &str,
    ) -> TxResult<(), ConsoleError> {
        append_audit(
            tx,
            &AuditEvent {
                at: self.now(),
                principal: SYSTEM.to_owned(),
                scope: Scope::Page,
                region: region.to_owned(),
                action: action.to_owned(),
                target: target.to_owned(),
                outcome: Outcome::Ok,
                detail: detail.to_owned(),
            },
        )
    }

    /// Purges a workspace whose 14 days in the recycle bin are over, with everything under it.
    fn run_purge(&self, k: &[u8], name: &str) -> Result<()> {
        let now = self.now();
        let ws: Option<Workspace> = self.store.get(T::Workspaces, name.as_bytes())?;
        let due = ws
            .as_ref()
            .and_then(|w| w.recycled.as_ref())
            .map(|r| r.purge_at());
        if !matches!(due, Some(at) if at <= now) {
            // Restored, gone already, or not yet (deleted again later): nothing to do now.
            self.store.transact(|tx| {
                tx.del(T::Due, k)?;
                match (&ws, due) {
                    (Some(w), Some(_)) => arm_purge(tx, w),
                    _ => Ok(()),
                }
            })?;
            return Ok(());
        }
        let Some(ws) = ws else { return Ok(()) };
        // Transactions read by key, so the keys are read first; the claim makes the purge once.
        let members = self.store.keys(T::Members, &prefix(name))?;
        let roles = self.store.keys(T::Roles, &prefix(name))?;
        let compute = self.store.keys(T::Compute, &prefix(name))?;
        let sources = self.store.keys(T::DsByWs, &prefix(name))?;
        let clusters = self.store.keys(T::Clusters, &prefix(name))?;
        self.store.transact(|tx| {
            if !tx.claim(T::Due, k)? {
                return Ok(());
            }
            tx.del(T::Due, k)?;
            for c in &clusters {
                tx.del(T::Clusters, c)?;
            }
            for m in &members {
                let user = last_part(m);
                tx.del(T::Members, m)?;
                tx.del(T::MemberWs, &key(&[&user, &ws.region, name]))?;
                tx.del(T::WsUse, &key(&[&user, &ws.region, name]))?;
            }
            for r in &roles {
                tx.del(T::Roles, r)?;
            }
            for c in &compute {
                tx.del(T::Compute, c)?;
            }
            for d in &sources {
                tx.del(T::DataSources, last_part(d).as_bytes())?;
                tx.del(T::DsByWs, d)?;
            }
            tx.del(T::WsStats, name.as_bytes())?;
            tx.del(T::WsByRegion, &key(&[&ws.region, name]))?;
            tx.del(T::Workspaces, name.as_bytes())?;
            self.system_audit(
                tx,
                &ws.region,
                "dataworks:PurgeProject",
                &format!("workspace {name}"),
                "14 days in the recycle bin are over: purged",
            )
        })?;
        Ok(())
    }

    /// Bills each active subscription for the month that begins (subscriptions are paid in
    /// advance), once, and arms the next month.
    fn run_bill(&self, k: &[u8], month: &str) -> Result<()> {
        let items = self.store.scan::<PurchasedItem>(T::Purchases, b"")?;
        let start = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
            .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
            .map_err(|e| ConsoleError::Internal(format!("bad bill month {month:?}: {e}")))?;
        let title = start.format("%B").to_string();
        let next = next_month_start(start);
        self.store.transact(|tx| {
            if !tx.claim(T::Due, k)? {
                return Ok(());
            }
            tx.del(T::Due, k)?;
            for item in &items {
                let subscribed = matches!(item.billing, Billing::Subscription { .. })
                    && item.status == PurchaseStatus::Active
                    && month_of(item.created_at).as_str() <= month;
                if !subscribed {
                    continue;
                }
                let desc = format!("{}, {title}", item.kind.title());
                let bill = Bill::new(month, &item.id, &desc, item.unit_price_cents)
                    .map_err(|e| abort(e.into()))?;
                let bk = super::catalog::bill_key(&bill);
                if !tx.has(T::Bills, &bk)? {
                    tx.put(T::Bills, &bk, &bill)?;
                }
            }
            arm(tx, next, &Due::Bill(month_of(next)))
        })?;
        Ok(())
    }
}

/// Turns a domain refusal inside a transaction into the transaction's abort.
fn abort(
    e: ConsoleError,
) -> sled::transaction::ConflictableTransactionError<crate::store::TxAbort<ConsoleError>> {
    match crate::store::abort::<(), _>(e) {
        Err(e) => e,
        Ok(()) => unreachable!("abort always aborts"),
    }
}

/// The action a job's end is audited under: the one that started it.
fn job_action(kind: &JobKind) -> &'static str {
    match kind {
        JobKind::CreateResourceGroup => Op::CreateResourceGroup.action(),
        JobKind::ScaleResourceGroup { .. } | JobKind::RenewResourceGroup { .. } => {
            Op::UpdateResourceGroup.action()
        }
        JobKind::DeleteResourceGroup => Op::DeleteResourceGroup.action(),
        JobKind::BuildImage { .. } => Op::BuildImage.action(),
        JobKind::DeployModel => Op::CreateModelDeployment.action(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_keys_sort_by_time_and_round_trip() {
        let t = |s: i64| Utc.timestamp_opt(s, 0).unwrap();
        let a = due_key(t(-5), &Due::Purge("w".into()));
        let b = due_key(t(10), &Due::JobStep(7));
        let c = due_key(t(11), &Due::Expire("rg".into()));
        assert!(a < b && b < c);
        assert_eq!(parse_due(&b), Some((t(10), Due::JobStep(7))));
        assert_eq!(parse_due(&c), Some((t(11), Due::Expire("rg".into()))));
        assert_eq!(parse_due(b"short"), None);
    }

    #[test]
    fn months_roll_over() {
        let t = Utc.with_ymd_and_hms(2026, 12, 15, 8, 0, 0).unwrap();
        assert_eq!(
            next_month_start(t),
            Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap()
        );
    }
}
