//! Serverless resource groups: computing power bought apart from workspaces and attached to one or
//! more workspaces of the same region (seed 000). Their status moves through the lifecycle below.

use std::collections::BTreeSet;
use std::fmt;

use chrono::Months;
use serde::{Deserialize, Serialize};

use super::Timestamp;
use super::error::{DomainError, DomainResult};
use super::names;
use super::workspace::Workspace;

pub const MIN_CU: u32 = 2;
pub const MAX_CU: u32 = 2000;
/// Subscription lengths on offer, in months.
pub const SUBSCRIPTION_MONTHS: &[u32] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RgStatus {
    Creating,
    CreateFailed,
    Normal,
    Updating,
    UpdateFailed,
    Deleting,
    DeleteFailed,
    /// Expired: a PrePaid subscription that was not renewed.
    Stop,
}

impl RgStatus {
    pub fn title(self) -> &'static str {
        match self {
            RgStatus::Creating => "Creating",
            RgStatus::CreateFailed => "CreateFailed",
            RgStatus::Normal => "Normal",
            RgStatus::Updating => "Updating",
            RgStatus::UpdateFailed => "UpdateFailed",
            RgStatus::Deleting => "Deleting",
            RgStatus::DeleteFailed => "DeleteFailed",
            RgStatus::Stop => "Stop",
        }
    }

    pub fn is_transitional(self) -> bool {
        matches!(
            self,
            RgStatus::Creating | RgStatus::Updating | RgStatus::Deleting
        )
    }
}

impl fmt::Display for RgStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// What happens to a resource group; `next` says where each event may lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RgEvent {
    Created,
    CreateFailed,
    /// Scale, renew or change settings.
    StartUpdate,
    Updated,
    UpdateFailed,
    StartDelete,
    /// The delete job finished: the group is gone.
    Deleted,
    DeleteFailed,
    Expired,
}

impl RgEvent {
    fn action(self) -> &'static str {
        match self {
            RgEvent::Created | RgEvent::CreateFailed => "finish creating it",
            RgEvent::StartUpdate => "change it",
            RgEvent::Updated | RgEvent::UpdateFailed => "finish updating it",
            RgEvent::StartDelete => "delete it",
            RgEvent::Deleted | RgEvent::DeleteFailed => "finish deleting it",
            RgEvent::Expired => "expire it",
        }
    }
}

/// The status after `event`, or `None` when the group is gone.
pub fn next_status(from: RgStatus, event: RgEvent) -> Result<Option<RgStatus>, &'static str> {
    use RgEvent as E;
    use RgStatus as S;
    let to = match (from, event) {
        (S::Creating, E::Created) => S::Normal,
        (S::Creating, E::CreateFailed) => S::CreateFailed,
        // Renewing a stopped group is an update that brings it back.
        (S::Normal | S::UpdateFailed | S::Stop, E::StartUpdate) => S::Updating,
        (S::Updating, E::Updated) => S::Normal,
        (S::Updating, E::UpdateFailed) => S::UpdateFailed,
        (
            S::Normal | S::CreateFailed | S::UpdateFailed | S::DeleteFailed | S::Stop,
            E::StartDelete,
        ) => S::Deleting,
        (S::Deleting, E::Deleted) => return Ok(None),
        (S::Deleting, E::DeleteFailed) => S::DeleteFailed,
        (S::Normal, E::Expired) => S::Stop,
        _ => return Err(event.action()),
    };
    Ok(Some(to))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Payment {
    PrePaid {
        months: u32,
        expires_at: Timestamp,
        auto_renew: bool,
    },
    PostPaid,
}

impl Payment {
    pub fn title(&self) -> &'static str {
        match self {
            Payment::PrePaid { .. } => "PrePaid",
            Payment::PostPaid => "PostPaid",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    pub vpc_id: String,
    pub vswitch_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceGroup {
    pub name: String,
    pub region: String,
    pub spec_cu: u32,
    pub payment: Payment,
    pub network: Option<Network>,
    /// Upper limit of concurrently scheduled instances.
    pub concurrency: u32,
    pub status: RgStatus,
    /// Why the last job failed, for the *Failed statuses.
    pub reason: Option<String>,
    /// Workspaces (of the same region) the group serves.
    pub attached: BTreeSet<String>,
    pub created_at: Timestamp,
    /// CU set aside per purpose (quota management of a Serverless group); none: shared.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub quotas: std::collections::BTreeMap<Purpose, Quota>,
    /// A PrePaid group that turns PostPaid when its subscription ends.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub postpaid_at_expiry: bool,
}

/// What a Serverless group's CU serve, as its console divides them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    DataComputing,
    DataIntegration,
    DataService,
}

impl Purpose {
    pub const ALL: [Purpose; 3] = [
        Purpose::DataComputing,
        Purpose::DataIntegration,
        Purpose::DataService,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Purpose::DataComputing => "data-computing",
            Purpose::DataIntegration => "data-integration",
            Purpose::DataService => "data-service",
        }
    }

    pub fn parse(field: &str, value: &str) -> DomainResult<Purpose> {
        Purpose::ALL
            .into_iter()
            .find(|p| p.slug() == value.trim())
            .ok_or_else(|| {
                DomainError::invalid(
                    field,
                    format!(
                        "unknown purpose {value:?} (one of data-computing, data-integration, data-service)"
                    ),
                )
            })
    }
}

/// CU a purpose is guaranteed (`min_cu`) and may use at most (`max_cu`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    pub min_cu: u32,
    pub max_cu: u32,
}

/// Quotas fit a spec when each purpose's guarantee is at most its maximum, each maximum at
/// most the spec, and the guarantees together at most the spec.
pub fn check_quotas(
    quotas: &std::collections::BTreeMap<Purpose, Quota>,
    spec: u32,
) -> DomainResult<()> {
    for (p, q) in quotas {
        if q.min_cu > q.max_cu {
            return Err(DomainError::invalid(
                "min",
                format!(
                    "{}: the guarantee ({} CU) exceeds the maximum ({} CU)",
                    p.slug(),
                    q.min_cu,
                    q.max_cu
                ),
            ));
        }
        if q.max_cu > spec {
            return Err(DomainError::invalid(
                "max",
                format!(
                    "{}: at most the group's spec, {spec} CU (got {} CU)",
                    p.slug(),
                    q.max_cu
                ),
            ));
        }
    }
    let guaranteed: u32 = quotas.values().map(|q| q.min_cu).sum();
    if guaranteed > spec {
        return Err(DomainError::invalid(
            "min",
            format!("the guarantees add up to {guaranteed} CU, more than the group's {spec} CU"),
        ));
    }
    Ok(())
}

/// The most concurrently scheduled instances a spec allows: one per CU, at least 5.
pub fn max_concurrency(spec: u32) -> u32 {
    default_concurrency(spec)
}

/// What a person fills in to buy a resource group.
#[derive(Debug, Clone, Default)]
pub struct NewResourceGroup {
    pub name: String,
    pub spec_cu: u32,
    /// `Some(months)` for PrePaid, `None` for PostPaid.
    pub prepaid_months: Option<u32>,
    pub auto_renew: bool,
    pub vpc_id: Option<String>,
    pub vswitch_id: Option<String>,
}

pub fn check_spec(spec: impl Into<i64>) -> DomainResult<()> {
    names::in_range("spec", spec.into(), MIN_CU.into(), MAX_CU.into(), "CU")
}

pub fn check_months(months: impl Into<i64>) -> DomainResult<()> {
    let months: i64 = months.into();
    if u32::try_from(months).is_ok_and(|m| SUBSCRIPTION_MONTHS.contains(&m)) {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "months",
            format!("must be one of 1–9, 12, 24 or 36 (got {months})"),
        ))
    }
}

fn add_months(t: Timestamp, months: u32) -> Timestamp {
    t.checked_add_months(Months::new(months)).unwrap_or(t)
}

/// Concurrency that comes with a spec: one scheduled instance per CU, at least 5.
pub fn default_concurrency(spec: u32) -> u32 {
    spec.max(5)
}

impl ResourceGroup {
    /// A new group starts in Creating; its job moves it to Normal or CreateFailed.
    pub fn create(input: NewResourceGroup, region: &str, now: Timestamp) -> DomainResult<Self> {
        names::resource_group_name(&input.name)?;
        super::region::region("region", region)?;
        check_spec(input.spec_cu)?;
        let payment = match input.prepaid_months {
            Some(m) => {
                check_months(m)?;
                Payment::PrePaid {
                    months: m,
                    expires_at: add_months(now, m),
                    auto_renew: input.auto_renew,
                }
            }
            None => Payment::PostPaid,
        };
        let network = match (input.vpc_id, input.vswitch_id) {
            (None, None) => None,
            (Some(vpc), Some(vsw)) => {
                names::prefixed_id("vpc", &vpc, "vpc-")?;
                names::prefixed_id("vswitch", &vsw, "vsw-")?;
                Some(Network {
                    vpc_id: vpc,
                    vswitch_id: vsw,
                })
            }
            (Some(_), None) => return Err(DomainError::invalid("vswitch", "is needed with a VPC")),
            (None, Some(_)) => return Err(DomainError::invalid("vpc", "is needed with a vSwitch")),
        };
        Ok(ResourceGroup {
            name: input.name,
            region: region.to_owned(),
            spec_cu: input.spec_cu,
            payment,
            network,
            concurrency: default_concurrency(input.spec_cu),
            status: RgStatus::Creating,
            reason: None,
            attached: BTreeSet::new(),
            created_at: now,
            quotas: Default::default(),
            postpaid_at_expiry: false,
        })
    }

    /// Sets the upper limit of concurrently scheduled instances (immediate, no job).
    pub fn set_concurrency(&mut self, limit: u32) -> DomainResult<()> {
        let max = max_concurrency(self.spec_cu);
        if limit == 0 || limit > max {
            return Err(DomainError::invalid(
                "limit",
                format!(
                    "must be between 1 and {max} (one scheduled instance per CU of its {} CU spec, at least 5)",
                    self.spec_cu
                ),
            ));
        }
        self.require_normal("change its concurrency")?;
        self.concurrency = limit;
        Ok(())
    }

    /// Sets (or with `None` clears) one purpose's quota.
    pub fn set_quota(&mut self, purpose: Purpose, quota: Option<Quota>) -> DomainResult<()> {
        self.require_normal("change its quotas")?;
        let mut q = self.quotas.clone();
        match quota {
            Some(v) => {
                q.insert(purpose, v);
            }
            None => {
                q.remove(&purpose);
            }
        }
        check_quotas(&q, self.spec_cu)?;
        self.quotas = q;
        Ok(())
    }

    /// PostPaid → PrePaid for `months` from now.
    pub fn to_prepaid(&mut self, months: u32, now: Timestamp) -> DomainResult<()> {
        check_months(months)?;
        self.require_normal("convert its billing")?;
        if !matches!(self.payment, Payment::PostPaid) {
            return Err(DomainError::invalid("to", "the group is PrePaid already"));
        }
        self.payment = Payment::PrePaid {
            months,
            expires_at: add_months(now, months),
            auto_renew: false,
        };
        Ok(())
    }

    /// PrePaid → PostPaid when the subscription ends (`on` false takes that back).
    pub fn to_postpaid_at_expiry(&mut self, on: bool) -> DomainResult<()> {
        match self.payment {
            Payment::PrePaid { auto_renew, .. } => {
                if on && auto_renew {
                    return Err(DomainError::invalid(
                        "to",
                        "the group renews by itself: turn auto-renew off first",
                    ));
                }
                self.postpaid_at_expiry = on;
                Ok(())
            }
            Payment::PostPaid => Err(DomainError::invalid("to", "the group is PostPaid already")),
        }
    }

    fn require_normal(&self, action: &'static str) -> DomainResult<()> {
        if self.status != RgStatus::Normal {
            return Err(DomainError::IllegalTransition {
                entity: "resource group",
                name: self.name.clone(),
                state: self.status.title().into(),
                action,
            });
        }
        Ok(())
    }

    /// Applies a lifecycle event; `Ok(false)` means the group is gone (deleted).
    pub fn apply(&mut self, event: RgEvent) -> DomainResult<bool> {
        match next_status(self.status, event) {
            Ok(Some(s)) => {
                self.status = s;
                if !matches!(
                    s,
                    RgStatus::CreateFailed | RgStatus::UpdateFailed | RgStatus::DeleteFailed
                ) {
                    self.reason = None;
                }
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(action) => Err(DomainError::IllegalTransition {
                entity: "resource group",
                name: self.name.clone(),
                state: self.status.title().into(),
                action,
            }),
        }
    }

    pub fn fail(&mut self, event: RgEvent, reason: &str) -> DomainResult<bool> {
        let alive = self.apply(event)?;
        self.reason = Some(reason.to_owned());
        Ok(alive)
    }

    pub fn is_usable(&self) -> bool {
        self.status == RgStatus::Normal
    }

    /// Validates a scale request and starts it (the job sets `spec_cu` when it completes).
    pub fn start_scale(&mut self, spec: u32) -> DomainResult<()> {
        check_spec(spec)?;
        // The quotas must fit the new spec too.
        check_quotas(&self.quotas, spec).map_err(|e| match e {
            DomainError::Invalid { rule, .. } => DomainError::invalid(
                "spec",
                format!("{rule}: lower the quotas before scaling to {spec} CU"),
            ),
            e => e,
        })?;
        if spec == self.spec_cu {
            return Err(DomainError::invalid(
                "spec",
                format!("is already {spec} CU"),
            ));
        }
        if self.status != RgStatus::Normal && self.status != RgStatus::UpdateFailed {
            return Err(DomainError::IllegalTransition {
                entity: "resource group",
                name: self.name.clone(),
                state: self.status.title().into(),
                action: "scale it",
            });
        }
        self.apply(RgEvent::StartUpdate).map(|_| ())
    }

    pub fn finish_scale(&mut self, spec: u32) -> DomainResult<()> {
        self.apply(RgEvent::Updated)?;
        // A limit left at the old spec's default follows the spec; a limit someone set stays,
        // within what the new spec allows.
        self.concurrency = if self.concurrency == default_concurrency(self.spec_cu) {
            default_concurrency(spec)
        } else {
            self.concurrency.min(max_concurrency(spec))
        };
        self.spec_cu = spec;
        Ok(())
    }

    /// Extends a PrePaid subscription by `months` from its expiry (or from now if already
    /// expired). A stopped group comes back to Normal through the renew job.
    pub fn renewed_expiry(&self, months: u32, now: Timestamp) -> DomainResult<Timestamp> {
        check_months(months)?;
        match self.payment {
            Payment::PrePaid { expires_at, .. } => Ok(add_months(expires_at.max(now), months)),
            Payment::PostPaid => Err(DomainError::invalid(
                "months",
                "a PostPaid resource group has nothing to renew",
            )),
        }
    }

    pub fn set_expiry(&mut self, new_expiry: Timestamp) {
        if let Payment::PrePaid { expires_at, .. } = &mut self.payment {
            *expires_at = new_expiry;
        }
    }

    /// What the clock does to this group at `now`.
    pub fn on_clock(&self, now: Timestamp) -> ClockEffect {
        match self.payment {
            Payment::PrePaid {
                expires_at,
                months,
                auto_renew,
            } if now >= expires_at => {
                if self.status != RgStatus::Normal {
                    ClockEffect::None
                } else if self.postpaid_at_expiry {
                    ClockEffect::ToPostPaid
                } else if auto_renew {
                    ClockEffect::AutoRenew {
                        new_expiry: add_months(expires_at, months),
                    }
                } else {
                    ClockEffect::Expire
                }
            }
            _ => ClockEffect::None,
        }
    }

    /// A group may serve a workspace of its own region, when it is Normal.
    pub fn check_attach(&self, ws: &Workspace) -> DomainResult<()> {
        if self.region != ws.region {
            return Err(DomainError::invalid(
                "workspace",
                format!(
                    "{} is in {}, the resource group {} in {}: a group serves only its own region",
                    ws.name, ws.region, self.name, self.region
                ),
            ));
        }
        if !self.is_usable() {
            return Err(DomainError::IllegalTransition {
                entity: "resource group",
                name: self.name.clone(),
                state: self.status.title().into(),
                action: "attach it (only a Normal group can be attached)",
            });
        }
        if self.attached.contains(&ws.name) {
            return Err(DomainError::invalid(
                "workspace",
                format!("{} is already attached to {}", self.name, ws.name),
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockEffect {
    None,
    Expire,
    AutoRenew {
        new_expiry: Timestamp,
    },
    /// The subscription ended and the group was set to go on PostPaid.
    ToPostPaid,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workspace::NewWorkspace;
    use chrono::{Duration, TimeZone};

    fn t0() -> Timestamp {
        chrono::Utc.with_ymd_and_hms(2026, 1, 31, 0, 0, 0).unwrap()
    }

    fn rg(prepaid: Option<u32>) -> ResourceGroup {
        ResourceGroup::create(
            NewResourceGroup {
                name: "rg_etl".into(),
                spec_cu: 8,
                prepaid_months: prepaid,
                ..Default::default()
            },
            "cn-hangzhou",
            t0(),
        )
        .unwrap()
    }

    #[test]
    fn create_validates() {
        let mk = |spec, months, vpc: Option<&str>, vsw: Option<&str>| {
            ResourceGroup::create(
                NewResourceGroup {
                    name: "rg".into(),
                    spec_cu: spec,
                    prepaid_months: months,
                    vpc_id: vpc.map(Into::into),
                    vswitch_id: vsw.map(Into::into),
                    ..Default::default()
                },
                "cn-hangzhou",
                t0(),
            )
        };
        assert!(
            mk(0, None, None, None)
                .unwrap_err()
                .to_string()
                .starts_with("spec: must be between 2 and 2000 CU")
        );
        assert!(mk(2001, None, None, None).is_err());
        assert!(
            mk(4, Some(10), None, None)
                .unwrap_err()
                .to_string()
                .starts_with("months:")
        );
        assert!(
            mk(4, None, Some("vpc-a1"), None)
                .unwrap_err()
                .to_string()
                .starts_with("vswitch:")
        );
        assert!(mk(4, None, Some("vpc-a1"), Some("vsw-b2")).is_ok());
        let g = mk(4, Some(1), None, None).unwrap();
        // Jan 31 + 1 month clamps to Feb 28.
        assert!(
            matches!(g.payment, Payment::PrePaid { expires_at, .. } if expires_at.date_naive().to_string() == "2026-02-28")
        );
    }

    #[test]
    fn lifecycle() {
        let mut g = rg(None);
        assert_eq!(g.status, RgStatus::Creating);
        assert!(
            g.apply(RgEvent::StartUpdate).is_err(),
            "cannot change while creating"
        );
        g.apply(RgEvent::Created).unwrap();
        g.start_scale(16).unwrap();
        assert_eq!(g.status, RgStatus::Updating);
        assert!(g.start_scale(32).is_err());
        g.fail(RgEvent::UpdateFailed, "quota exceeded").unwrap();
        assert_eq!(
            (g.status, g.reason.as_deref()),
            (RgStatus::UpdateFailed, Some("quota exceeded"))
        );
        g.start_scale(16).unwrap();
        g.finish_scale(16).unwrap();
        assert_eq!(
            (g.status, g.spec_cu, g.reason.clone()),
            (RgStatus::Normal, 16, None)
        );
        g.apply(RgEvent::StartDelete).unwrap();
        assert!(g.apply(RgEvent::StartDelete).is_err());
        assert_eq!(g.apply(RgEvent::Deleted), Ok(false));
    }

    #[test]
    fn create_failure_can_only_be_deleted() {
        let mut g = rg(None);
        g.fail(RgEvent::CreateFailed, "no stock").unwrap();
        assert!(g.apply(RgEvent::StartUpdate).is_err());
        assert!(g.apply(RgEvent::StartDelete).is_ok());
    }

    #[test]
    fn clock_expires_or_renews() {
        let mut g = rg(Some(1));
        g.apply(RgEvent::Created).unwrap();
        assert_eq!(g.on_clock(t0() + Duration::days(10)), ClockEffect::None);
        let late = t0() + Duration::days(40);
        assert_eq!(g.on_clock(late), ClockEffect::Expire);
        g.apply(RgEvent::Expired).unwrap();
        assert_eq!(g.status, RgStatus::Stop);
        assert_eq!(
            g.on_clock(late),
            ClockEffect::None,
            "a stopped group does not expire twice"
        );
        let new = g.renewed_expiry(3, late).unwrap();
        assert_eq!(new, late.checked_add_months(Months::new(3)).unwrap());
        g.apply(RgEvent::StartUpdate).unwrap();
        g.set_expiry(new);
        g.apply(RgEvent::Updated).unwrap();
        assert_eq!(g.status, RgStatus::Normal);

        let mut auto = rg(Some(1));
        auto.apply(RgEvent::Created).unwrap();
        if let Payment::PrePaid { auto_renew, .. } = &mut auto.payment {
            *auto_renew = true;
        }
        assert!(matches!(auto.on_clock(late), ClockEffect::AutoRenew { .. }));
        assert!(rg(None).renewed_expiry(1, t0()).is_err());
        assert_eq!(rg(None).on_clock(late), ClockEffect::None);
    }

    #[test]
    fn attach_rules() {
        let mut g = rg(None);
        let ws = |region: &str| {
            Workspace::create(
                NewWorkspace {
                    name: "fin_etl".into(),
                    ..Default::default()
                },
                region,
                "acme",
                t0(),
            )
            .unwrap()
        };
        assert!(
            g.check_attach(&ws("cn-hangzhou"))
                .unwrap_err()
                .to_string()
                .contains("only a Normal group")
        );
        g.apply(RgEvent::Created).unwrap();
        assert!(g.check_attach(&ws("cn-hangzhou")).is_ok());
        assert!(
            g.check_attach(&ws("cn-shanghai"))
                .unwrap_err()
                .to_string()
                .contains("only its own region")
        );
        g.attached.insert("fin_etl".into());
        assert!(g.check_attach(&ws("cn-hangzhou")).is_err());
    }
}
