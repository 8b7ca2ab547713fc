//! Things that take time (DESIGN §6), on the demo tenant with a clock the tests move: jobs run
//! their steps when due, survive a reopen, and end in the *Failed statuses with their reason;
//! subscriptions expire or renew; the recycle bin purges; bills accrue per month.

use chrono::{Duration, TimeZone, Utc};
use dwc::console::{Console, ConsoleError, ManualClock, Session};
use dwc::domain::Scope;
use dwc::domain::image::ImageStatus;
use dwc::domain::model::ModelStatus;
use dwc::domain::resource_group::{NewResourceGroup, Payment, RgStatus};
use dwc::domain::workspace::NewWorkspace;

struct Demo {
    dir: tempfile::TempDir,
    clock: ManualClock,
    c: Console,
}

impl Demo {
    fn new() -> Demo {
        // SAFETY of the environment: no test here sets DWC_JOB_SECONDS; jobs take their own time.
        assert!(
            std::env::var("DWC_JOB_SECONDS").is_err(),
            "unset DWC_JOB_SECONDS to run these tests"
        );
        let dir = tempfile::tempdir().unwrap();
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
        let c = Console::create_demo(dir.path(), None, Box::new(clock.clone())).unwrap();
        Demo { dir, clock, c }
    }

    fn account(&self, region: &str) -> Session {
        self.c
            .authenticate(None, None, Scope::OpenAPI, region)
            .unwrap()
    }

    /// Moves the clock and lets the console do what came due.
    fn later(&self, by: Duration) {
        self.clock.advance(by);
        self.c.advance().unwrap();
    }

    fn status(&self, s: &Session, group: &str) -> RgStatus {
        self.c.get_resource_group(s, group).unwrap().status
    }

    /// Closes the store and opens it again, as the next process would.
    fn reopen(self) -> Demo {
        let Demo { dir, clock, c } = self;
        drop(c);
        let c = Console::open(dir.path(), Box::new(clock.clone())).unwrap();
        Demo { dir, clock, c }
    }
}

fn group(name: &str, spec: u32) -> NewResourceGroup {
    NewResourceGroup {
        name: name.into(),
        spec_cu: spec,
        ..Default::default()
    }
}

fn secs(n: i64) -> Duration {
    Duration::seconds(n)
}

#[test]
fn a_create_job_runs_its_steps_and_survives_a_reopen() {
    let d = Demo::new();
    let s = d.account("cn-hangzhou");
    let g = d.c.create_resource_group(&s, group("rg_new", 8)).unwrap();
    assert_eq!(g.status, RgStatus::Creating, "it returns at once");
    let refused = d.c.attach_resource_group(&s, "rg_new", "finance_etl");
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.to_string().contains("only a Normal group")),
        "{refused:?}"
    );
    // Four steps over 180 s: at 100 s two are done.
    d.later(secs(100));
    let jobs = d.c.running_jobs(&s).unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].progress(), "3/4 provision compute");
    assert_eq!(jobs[0].remaining(d.c.now()), 80);
    assert_eq!(d.status(&s, "rg_new"), RgStatus::Creating);

    // Nobody runs while time passes; the next process finishes the job on its first advance.
    let d = d.reopen();
    d.clock.advance(secs(100));
    let s = d.account("cn-hangzhou");
    assert_eq!(d.status(&s, "rg_new"), RgStatus::Creating);
    d.c.advance().unwrap();
    assert_eq!(d.status(&s, "rg_new"), RgStatus::Normal);
    assert!(d.c.running_jobs(&s).unwrap().is_empty());
    d.c.attach_resource_group(&s, "rg_new", "finance_etl")
        .unwrap();
    let log = d.c.audit_log(&s, 10).unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "dataworks:CreateResourceGroup"
                && e.principal == "acme"
                && e.detail.ends_with("done")),
        "{log:?}"
    );
}

#[test]
fn stock_runs_out_first_come_first_served() {
    let d = Demo::new();
    // Singapore: 5,000 CU of stock; the demo's rg_sg_main holds 24.
    let s = d.account("ap-southeast-1");
    for name in ["rg_a", "rg_b", "rg_c"] {
        d.c.create_resource_group(&s, group(name, 2000)).unwrap();
    }
    d.later(secs(200));
    assert_eq!(d.status(&s, "rg_a"), RgStatus::Normal);
    assert_eq!(d.status(&s, "rg_b"), RgStatus::Normal);
    let c = d.c.get_resource_group(&s, "rg_c").unwrap();
    assert_eq!(c.status, RgStatus::CreateFailed);
    assert_eq!(
        c.reason.as_deref(),
        Some("insufficient stock in ap-southeast-1: 976 of 5000 CU free, 2000 CU asked")
    );
    // Scaling up asks the same stock: 976 CU more fit, 977 do not.
    d.c.scale_resource_group(&s, "rg_sg_main", 1001).unwrap();
    assert_eq!(d.status(&s, "rg_sg_main"), RgStatus::Updating);
    d.later(secs(120));
    let g = d.c.get_resource_group(&s, "rg_sg_main").unwrap();
    assert_eq!(g.status, RgStatus::UpdateFailed);
    assert_eq!(g.spec_cu, 24, "a failed scale keeps the spec");
    assert!(g.reason.unwrap().contains("977 CU asked"));
    d.c.scale_resource_group(&s, "rg_sg_main", 1000).unwrap();
    d.later(secs(120));
    let g = d.c.get_resource_group(&s, "rg_sg_main").unwrap();
    assert_eq!(
        (g.status, g.spec_cu, g.reason),
        (RgStatus::Normal, 1000, None)
    );
}

#[test]
fn delete_fails_while_a_model_deployment_uses_the_group() {
    let d = Demo::new();
    let s = d.account("cn-hangzhou");
    // The demo's rg_etl_hz lends 16 CU to a deployment.
    d.c.delete_resource_group(&s, "rg_etl_hz").unwrap();
    assert_eq!(d.status(&s, "rg_etl_hz"), RgStatus::Deleting);
    d.later(secs(60));
    let g = d.c.get_resource_group(&s, "rg_etl_hz").unwrap();
    assert_eq!(g.status, RgStatus::DeleteFailed);
    assert!(
        g.reason
            .as_deref()
            .unwrap()
            .starts_with("still used by model deployment(s)"),
        "{:?}",
        g.reason
    );
    for m in d.c.list_models(&s).unwrap() {
        if m.resource_group == "rg_etl_hz" {
            d.c.delete_model(&s, &m.name).unwrap();
        }
    }
    d.c.delete_resource_group(&s, "rg_etl_hz").unwrap();
    d.later(secs(60));
    assert!(matches!(
        d.c.get_resource_group(&s, "rg_etl_hz"),
        Err(ConsoleError::NotFound(_))
    ));
}

#[test]
fn builds_and_deployments_take_time_and_fail_with_their_reason() {
    let d = Demo::new();
    let s = d.account("cn-hangzhou");
    // A build on a group that is deleted before the builder starts fails.
    let img = d.c.build_image(&s, "finance_py311", "rg_adhoc_hz").unwrap();
    assert_eq!(img.status, ImageStatus::Building);
    d.c.delete_resource_group(&s, "rg_adhoc_hz").unwrap();
    d.later(secs(300));
    let img = d.c.get_image(&s, "finance_py311").unwrap();
    assert_eq!(img.status, ImageStatus::BuildFailed);
    assert_eq!(
        img.reason.as_deref(),
        Some("resource group rg_adhoc_hz no longer exists")
    );
    // A build on a Normal group succeeds.
    d.c.build_image(&s, "geo_tools", "rg_etl_hz").unwrap();
    d.later(secs(299));
    assert_eq!(
        d.c.get_image(&s, "geo_tools").unwrap().status,
        ImageStatus::Building
    );
    d.later(secs(1));
    assert_eq!(
        d.c.get_image(&s, "geo_tools").unwrap().status,
        ImageStatus::Available
    );
    // A deployment reserves its CU at once and gets its endpoint when the job ends.
    let m =
        d.c.deploy_model(&s, "emb", "bge-m3", "rg_etl_hz", 2)
            .unwrap();
    assert_eq!((m.status, m.endpoint), (ModelStatus::Deploying, None));
    let g = d.c.get_resource_group(&s, "rg_etl_hz").unwrap();
    assert_eq!(d.c.usage_of(&s, &[g]).unwrap(), vec![24]);
    d.later(secs(240));
    let m = d.c.get_model(&s, "emb").unwrap();
    assert_eq!(m.status, ModelStatus::Running);
    assert!(m.endpoint.is_some());
}

#[test]
fn prepaid_groups_expire_into_stop_unless_renewed() {
    let d = Demo::new();
    let s = d.account("cn-hangzhou");
    let monthly = |name: &str, auto_renew| NewResourceGroup {
        name: name.into(),
        spec_cu: 4,
        prepaid_months: Some(1),
        auto_renew,
        ..Default::default()
    };
    d.c.create_resource_group(&s, monthly("rg_month", false))
        .unwrap();
    d.c.create_resource_group(&s, monthly("rg_auto", true))
        .unwrap();
    d.later(secs(180));
    let expiry = |name: &str| match d.c.get_resource_group(&s, name).unwrap().payment {
        Payment::PrePaid { expires_at, .. } => expires_at,
        Payment::PostPaid => panic!("{name} is PrePaid"),
    };
    let first = expiry("rg_month");
    d.later(Duration::days(29));
    assert_eq!(d.status(&s, "rg_month"), RgStatus::Normal, "not yet");
    d.later(Duration::days(2));
    assert_eq!(d.status(&s, "rg_month"), RgStatus::Stop);
    assert_eq!(
        d.status(&s, "rg_auto"),
        RgStatus::Normal,
        "auto-renew renews"
    );
    assert!(expiry("rg_auto") > first + Duration::days(27));
    let log = d.c.audit_log(&s, 10).unwrap();
    assert!(log.iter().any(|e| e.principal == dwc::console::SYSTEM
        && e.target == "rg_month"
        && e.detail.contains("expired")));
    // Renewing a stopped group is a job that brings it back.
    d.c.renew_resource_group(&s, "rg_month", 1).unwrap();
    assert_eq!(d.status(&s, "rg_month"), RgStatus::Updating);
    d.later(secs(10));
    assert_eq!(d.status(&s, "rg_month"), RgStatus::Normal);
    assert!(expiry("rg_month") > d.c.now() + Duration::days(27));
}

#[test]
fn the_recycle_bin_purges_after_fourteen_days() {
    let d = Demo::new();
    let s = d.account("cn-hangzhou");
    d.c.delete_workspace(&s, "sandbox_ops").unwrap();
    d.later(Duration::days(13));
    assert_eq!(d.c.list_recycle_bin(&s).unwrap().len(), 1);
    d.later(Duration::days(1) + secs(1));
    assert!(d.c.list_recycle_bin(&s).unwrap().is_empty());
    // The name is free again, and nothing of the old workspace comes back with it.
    d.c.create_workspace(
        &s,
        NewWorkspace {
            name: "sandbox_ops".into(),
            display_name: "Sandbox again".into(),
            description: String::new(),
            mode: None,
        },
    )
    .unwrap();
    let members = d.c.list_members(&s, "sandbox_ops").unwrap();
    assert_eq!(members.len(), 1, "{members:?}");
    assert!(d.c.list_compute(&s, "sandbox_ops").unwrap().is_empty());
}

#[test]
fn bills_accrue_once_per_month() {
    let d = Demo::new();
    let s = d.account("cn-hangzhou");
    let edition = |month: &str| {
        d.c.list_bills(&s, Some(month))
            .unwrap()
            .into_iter()
            .filter(|b| b.item_id == "ord-20260101-0001")
            .map(|b| b.description)
            .collect::<Vec<_>>()
    };
    // Subscriptions are billed when their month begins; the demo billed November already.
    assert_eq!(edition("2026-11").len(), 1);
    d.later(Duration::days(8));
    assert!(edition("2026-12").is_empty(), "December has not begun");
    d.clock
        .advance(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 1).unwrap() - d.c.now());
    d.c.advance().unwrap();
    assert_eq!(
        edition("2026-12"),
        vec!["DataWorks Enterprise Edition, December"]
    );
    assert_eq!(edition("2026-11").len(), 1, "billed once");
    d.later(Duration::days(1));
    assert_eq!(edition("2026-12").len(), 1, "billed once");
    assert!(edition("2027-01").is_empty());
    d.later(Duration::days(31));
    assert_eq!(edition("2027-01").len(), 1);
}

/// Resource-group operations of seed 000 beside scaling and renewing: the concurrency limit
/// (bounded by the spec), quota management per purpose, and billing conversion — PostPaid to
/// PrePaid at once, PrePaid to PostPaid when the subscription ends.
#[test]
fn concurrency_quotas_and_billing_conversion() {
    use dwc::domain::resource_group::{Purpose, Quota};
    let d = Demo::new();
    let s = d.account("cn-hangzhou");
    // rg_adhoc_hz: PostPaid, 8 CU.
    let e = d.c.set_concurrency(&s, "rg_adhoc_hz", 9).unwrap_err();
    assert!(
        e.to_string().contains("limit: must be between 1 and 8"),
        "{e}"
    );
    assert_eq!(
        d.c.set_concurrency(&s, "rg_adhoc_hz", 3)
            .unwrap()
            .concurrency,
        3
    );

    let q = |min_cu, max_cu| Some(Quota { min_cu, max_cu });
    d.c.set_quota(&s, "rg_adhoc_hz", Purpose::DataIntegration, q(4, 8))
        .unwrap();
    let e =
        d.c.set_quota(&s, "rg_adhoc_hz", Purpose::DataComputing, q(5, 6))
            .unwrap_err();
    assert!(
        e.to_string()
            .contains("the guarantees add up to 9 CU, more than the group's 8 CU"),
        "{e}"
    );
    let e =
        d.c.set_quota(&s, "rg_adhoc_hz", Purpose::DataService, q(1, 9))
            .unwrap_err();
    assert!(
        e.to_string().contains("at most the group's spec, 8 CU"),
        "{e}"
    );
    // Scaling below what the quotas guarantee is refused until they are lowered.
    let e = d.c.scale_resource_group(&s, "rg_adhoc_hz", 2).unwrap_err();
    assert!(
        e.to_string()
            .contains("lower the quotas before scaling to 2 CU"),
        "{e}"
    );
    d.c.set_quota(&s, "rg_adhoc_hz", Purpose::DataIntegration, None)
        .unwrap();

    // PostPaid → PrePaid: bought now, expires and stops like any subscription.
    let g = d.c.convert_to_prepaid(&s, "rg_adhoc_hz", 1).unwrap();
    assert!(
        matches!(g.payment, Payment::PrePaid { months: 1, .. }),
        "{g:?}"
    );
    // PrePaid → PostPaid at the end of the subscription, not before.
    d.c.convert_to_postpaid(&s, "rg_adhoc_hz", true).unwrap();
    d.later(Duration::days(20));
    assert!(matches!(
        d.c.get_resource_group(&s, "rg_adhoc_hz").unwrap().payment,
        Payment::PrePaid { .. }
    ));
    d.later(Duration::days(15));
    let g = d.c.get_resource_group(&s, "rg_adhoc_hz").unwrap();
    assert_eq!(g.payment, Payment::PostPaid, "{g:?}");
    assert_eq!(
        g.status,
        RgStatus::Normal,
        "it goes on, PostPaid, instead of stopping"
    );
    let audit: Vec<String> =
        d.c.audit_log(&s, 50)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
    assert!(
        audit
            .iter()
            .any(|a| a == "dataworks:ConvertResourceGroupBilling"),
        "{audit:?}"
    );
}
