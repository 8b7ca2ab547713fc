//! The guidelines advisor: the production guidelines of seed 001 and DESIGN §5, and seed 000's
//! readiness steps, as findings with a severity and a suggested fix. Pure: the console gathers
//! the facts a session may see; this decides what to say about them.

use chrono::Duration;
use serde::Serialize;

use super::Timestamp;
use super::alert::Channel;
use super::resource_group::{Payment, ResourceGroup, RgStatus};
use super::workspace::{Env, WorkspaceMode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    High,
    Warning,
    Info,
}

impl Severity {
    pub fn title(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// A stable id, such as `dev-and-om-together`.
    pub rule: &'static str,
    pub severity: Severity,
    /// What it is about, such as `workspace finance_etl`.
    pub subject: String,
    pub message: String,
    pub fix: String,
}

/// What the advisor looks at in one workspace.
#[derive(Debug, Clone, Default)]
pub struct WorkspaceFacts {
    pub name: String,
    pub mode: Option<WorkspaceMode>,
    pub is_default: bool,
    /// Members other than the account, with the names of their roles (`None`: not visible).
    pub members: Option<Vec<(String, Vec<String>)>>,
    /// Normal resource groups attached; the environments of its compute resources and data
    /// sources. `None` where the session may not see them: no rule guesses.
    pub usable_groups: Option<usize>,
    pub compute: Option<Vec<Env>>,
    pub data_sources: Option<Vec<Env>>,
    /// Its registered clusters whose members have no cluster account to work as: (cluster,
    /// those members).
    pub unmapped_clusters: Option<Vec<(String, Vec<String>)>>,
}

#[derive(Debug, Clone)]
pub struct Facts {
    pub now: Timestamp,
    pub workspaces: Vec<WorkspaceFacts>,
    /// Resource groups of the region (empty when not visible).
    pub groups: Vec<ResourceGroup>,
    /// Channel, per-day limit, sent today (empty when not visible).
    pub alerts: Vec<(Channel, Option<u32>, u32)>,
}

/// A PrePaid group without auto-renew expiring within this is worth a warning.
pub const EXPIRY_WARNING_DAYS: i64 = 14;

const DEVELOPMENT: &str = "Development";
const OM: &str = "O&M";

/// Words that say nothing about what a workspace or group is for.
const VAGUE: &[&str] = &[
    "test",
    "tmp",
    "temp",
    "demo",
    "new",
    "ws",
    "workspace",
    "project",
    "proj",
    "abc",
    "aaa",
    "xxx",
    "foo",
    "bar",
    "my",
    "data",
    "group",
    "rg",
    "dw",
    "default",
    "untitled",
    "sample",
];

/// Whether a name is only vague words and numbers, like `test01`, `ws_2` or `rg1`.
pub fn is_vague_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c == '_' || c == '-' || c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .collect();
    words.is_empty() || words.iter().all(|w| VAGUE.contains(w))
}

pub fn advise(f: &Facts) -> Vec<Finding> {
    let mut out = Vec::new();
    for w in &f.workspaces {
        workspace_rules(w, &mut out);
    }
    for g in &f.groups {
        group_rules(g, f.now, &mut out);
    }
    for &(ch, limit, sent) in &f.alerts {
        if let Some(l) = limit
            && sent >= l
        {
            out.push(Finding {
                rule: "alert-limit-reached",
                severity: Severity::Warning,
                subject: format!("{} alerts", ch.slug()),
                message: format!(
                    "the daily {} limit of {l} is reached: further alerts today are refused",
                    ch.slug()
                ),
                fix: format!(
                    "raise it (dwc alert limit --channel {} --per-day N) or move contacts to another channel",
                    ch.slug()
                ),
            });
        }
    }
    out.sort_by(|a, b| (a.severity, a.rule, &a.subject).cmp(&(b.severity, b.rule, &b.subject)));
    out
}

fn workspace_rules(w: &WorkspaceFacts, out: &mut Vec<Finding>) {
    let subject = format!("workspace {}", w.name);
    for (cluster, members) in w.unmapped_clusters.as_deref().unwrap_or_default() {
        out.push(Finding {
            rule: "cluster-account-unmapped",
            severity: Severity::Warning,
            subject: format!("cluster {cluster} of {}", w.name),
            message: format!(
                "{} member(s) have no cluster account to run as: {}",
                members.len(),
                members.join(", ")
            ),
            fix: format!(
                "map them (dwc cluster map set {} {cluster} --member USER --account ACCOUNT) or set a default account (--default)",
                w.name
            ),
        });
    }
    let members = w.members.as_deref().unwrap_or_default();
    let compute = w.compute.as_deref().unwrap_or_default();
    let sources = w.data_sources.as_deref().unwrap_or_default();
    if w.is_default && (!compute.is_empty() || !sources.is_empty() || !members.is_empty()) {
        out.push(Finding {
            rule: "default-workspace-in-use",
            severity: Severity::Warning,
            subject: subject.clone(),
            message: "the default workspace is for trying DataWorks out, yet it holds work \
                      (members, compute or data sources)"
                .into(),
            fix: "create a workspace for the work (Standard mode for production) and move it there"
                .into(),
        });
    }
    for (user, roles) in members {
        if roles.iter().any(|r| r == DEVELOPMENT) && roles.iter().any(|r| r == OM) {
            out.push(Finding {
                rule: "dev-and-om-together",
                severity: Severity::Warning,
                subject: subject.clone(),
                message: format!(
                    "{user} holds both Development and O&M: one person writes and runs production code"
                ),
                fix: format!("keep one of them for {user} and give the other to someone else"),
            });
        }
    }
    let production = compute.contains(&Env::Prod) || sources.contains(&Env::Prod);
    if w.mode == Some(WorkspaceMode::Basic) && !w.is_default && production {
        out.push(Finding {
            rule: "production-in-basic-mode",
            severity: Severity::High,
            subject: subject.clone(),
            message: "production compute or data sources in a Basic-mode workspace: development \
                      runs against production with no separate environment"
                .into(),
            fix: format!(
                "upgrade it to Standard mode (dwc workspace upgrade {}) to isolate development from production",
                w.name
            ),
        });
    }
    if w.usable_groups == Some(0) {
        out.push(Finding {
            rule: "no-resource-group",
            severity: Severity::Warning,
            subject: subject.clone(),
            message: "no Normal resource group is attached: tasks cannot run".into(),
            fix: format!("attach one (dwc rg attach GROUP {})", w.name),
        });
    }
    if w.compute.as_ref().is_some_and(Vec::is_empty) {
        out.push(Finding {
            rule: "no-compute-resource",
            severity: Severity::Info,
            subject: subject.clone(),
            message: "no compute resource is attached: there is nothing to develop on".into(),
            fix: format!(
                "attach one (dwc compute attach {} --type maxcompute --name N --instance ID)",
                w.name
            ),
        });
    }
    if !w.is_default && is_vague_name(&w.name) {
        out.push(Finding {
            rule: "vague-name",
            severity: Severity::Info,
            subject,
            message: format!("{:?} does not say what the workspace is for", w.name),
            fix: "name workspaces after their team and purpose, like finance_etl".into(),
        });
    }
}

fn group_rules(g: &ResourceGroup, now: Timestamp, out: &mut Vec<Finding>) {
    let subject = format!("resource group {}", g.name);
    if let Payment::PrePaid {
        expires_at,
        auto_renew,
        ..
    } = g.payment
    {
        if g.status == RgStatus::Stop {
            out.push(Finding {
                rule: "group-expired",
                severity: Severity::High,
                subject: subject.clone(),
                message: format!(
                    "expired on {}: it is stopped and runs nothing",
                    expires_at.format("%Y-%m-%d")
                ),
                fix: format!("renew it (dwc rg renew {} --months N) or delete it", g.name),
            });
        } else if !auto_renew && expires_at - now <= Duration::days(EXPIRY_WARNING_DAYS) {
            let days = (expires_at - now).num_days().max(0);
            out.push(Finding {
                rule: "group-expiring",
                severity: Severity::Warning,
                subject: subject.clone(),
                message: format!(
                    "expires on {} (in {days} day(s)) without auto-renew",
                    expires_at.format("%Y-%m-%d")
                ),
                fix: format!(
                    "renew it (dwc rg renew {} --months N) or turn on auto-renew",
                    g.name
                ),
            });
        }
    }
    if is_vague_name(&g.name) {
        out.push(Finding {
            rule: "vague-name",
            severity: Severity::Info,
            subject,
            message: format!("{:?} does not say what the group is for", g.name),
            fix: "name groups after what they run, like rg_etl_hz".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::resource_group::NewResourceGroup;
    use chrono::TimeZone;

    fn now() -> Timestamp {
        chrono::Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap()
    }

    /// A workspace that breaks no rule.
    fn good() -> WorkspaceFacts {
        WorkspaceFacts {
            name: "finance_etl".into(),
            mode: Some(WorkspaceMode::Standard),
            is_default: false,
            members: Some(vec![("alice".into(), vec![DEVELOPMENT.into()])]),
            usable_groups: Some(1),
            compute: Some(vec![Env::Dev, Env::Prod]),
            data_sources: Some(vec![Env::Prod]),
            unmapped_clusters: Some(Vec::new()),
        }
    }

    #[test]
    fn cluster_members_without_an_account() {
        let unmapped = WorkspaceFacts {
            unmapped_clusters: Some(vec![("cdh_mkt".into(), vec!["bob".into()])]),
            ..good()
        };
        assert_eq!(rules(&facts(vec![unmapped])), ["cluster-account-unmapped"]);
        assert!(rules(&facts(vec![good()])).is_empty());
    }

    fn facts(workspaces: Vec<WorkspaceFacts>) -> Facts {
        Facts {
            now: now(),
            workspaces,
            groups: Vec::new(),
            alerts: Vec::new(),
        }
    }

    fn rules(f: &Facts) -> Vec<&'static str> {
        advise(f).into_iter().map(|x| x.rule).collect()
    }

    fn group(
        name: &str,
        months: Option<u32>,
        auto_renew: bool,
        created: Timestamp,
    ) -> ResourceGroup {
        let mut g = ResourceGroup::create(
            NewResourceGroup {
                name: name.into(),
                spec_cu: 8,
                prepaid_months: months,
                auto_renew,
                ..Default::default()
            },
            "cn-hangzhou",
            created,
        )
        .unwrap();
        g.apply(crate::domain::resource_group::RgEvent::Created)
            .unwrap();
        g
    }

    #[test]
    fn a_good_tenant_has_no_findings() {
        let mut f = facts(vec![good()]);
        f.groups = vec![group("rg_etl_hz", Some(12), false, now())];
        f.alerts = vec![(Channel::Sms, Some(10), 9), (Channel::Phone, None, 500)];
        assert_eq!(advise(&f), vec![]);
    }

    #[test]
    fn default_workspace_in_use() {
        let idle = WorkspaceFacts {
            name: "default_ws".into(),
            is_default: true,
            members: Some(vec![]),
            compute: Some(vec![]),
            data_sources: Some(vec![]),
            ..good()
        };
        assert!(!rules(&facts(vec![idle.clone()])).contains(&"default-workspace-in-use"));
        let busy = WorkspaceFacts {
            data_sources: Some(vec![Env::Dev]),
            ..idle
        };
        assert!(rules(&facts(vec![busy])).contains(&"default-workspace-in-use"));
    }

    #[test]
    fn development_and_om_held_together() {
        let w = WorkspaceFacts {
            members: Some(vec![
                ("bob".into(), vec![OM.into()]),
                ("carol".into(), vec![DEVELOPMENT.into(), OM.into()]),
            ]),
            ..good()
        };
        let found = advise(&facts(vec![w]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, "dev-and-om-together");
        assert!(found[0].message.starts_with("carol holds both"));
    }

    #[test]
    fn production_in_basic_mode() {
        let basic_dev_only = WorkspaceFacts {
            mode: Some(WorkspaceMode::Basic),
            compute: Some(vec![Env::Dev]),
            data_sources: Some(vec![Env::Dev]),
            ..good()
        };
        assert!(!rules(&facts(vec![basic_dev_only.clone()])).contains(&"production-in-basic-mode"));
        let basic_prod = WorkspaceFacts {
            data_sources: Some(vec![Env::Prod]),
            ..basic_dev_only
        };
        let found = advise(&facts(vec![basic_prod]));
        assert_eq!(found[0].rule, "production-in-basic-mode");
        assert_eq!(found[0].severity, Severity::High, "high comes first");
    }

    #[test]
    fn readiness_steps_missing() {
        let bare = WorkspaceFacts {
            usable_groups: Some(0),
            compute: Some(vec![]),
            data_sources: Some(vec![]),
            ..good()
        };
        assert_eq!(
            rules(&facts(vec![bare.clone()])),
            vec!["no-resource-group", "no-compute-resource"]
        );
        // What the session may not see is not held against the workspace.
        let unseen = WorkspaceFacts {
            usable_groups: None,
            compute: None,
            ..bare
        };
        assert!(rules(&facts(vec![unseen])).is_empty());
    }

    #[test]
    fn groups_about_to_expire_or_expired() {
        let created = now() - Duration::days(20);
        // One month from 20 days ago: expires in about 10 days.
        let soon = group("rg_etl_hz", Some(1), false, created);
        let renews = group("rg_sh_main", Some(1), true, created);
        let postpaid = group("rg_adhoc_hz", None, false, created);
        let mut f = facts(vec![]);
        f.groups = vec![soon, renews, postpaid];
        assert_eq!(rules(&f), vec!["group-expiring"]);
        let mut stopped = group("rg_legacy_hz", Some(1), false, now() - Duration::days(60));
        stopped
            .apply(crate::domain::resource_group::RgEvent::Expired)
            .unwrap();
        f.groups = vec![stopped];
        assert_eq!(rules(&f), vec!["group-expired"]);
    }

    #[test]
    fn alert_limits_reached() {
        let mut f = facts(vec![]);
        f.alerts = vec![(Channel::Sms, Some(10), 10)];
        assert_eq!(rules(&f), vec!["alert-limit-reached"]);
        f.alerts = vec![(Channel::Sms, Some(10), 3), (Channel::Email, None, 10_000)];
        assert!(rules(&f).is_empty());
    }

    #[test]
    fn names_that_do_not_say_their_purpose() {
        for vague in [
            "test01",
            "ws_2",
            "tmp",
            "new_workspace",
            "abc",
            "rg1",
            "my_data",
        ] {
            assert!(is_vague_name(vague), "{vague}");
        }
        for clear in [
            "finance_etl",
            "marketing_dw",
            "rg_etl_hz",
            "risk_ctrl",
            "sandbox_ops",
        ] {
            assert!(!is_vague_name(clear), "{clear}");
        }
        let w = WorkspaceFacts {
            name: "test01".into(),
            ..good()
        };
        assert_eq!(rules(&facts(vec![w])), vec!["vague-name"]);
    }
}
