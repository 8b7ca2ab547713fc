//! Who is on (DESIGN §12), in the console itself with a clock the test moves: the registry's
//! limit, who may list and end sessions (audited), idle sessions ending, the change feed, and the
//! lock-out's numbers.

use chrono::{Duration, TimeZone, Utc};
use dwc::console::logon::{Credential, Lockout, LogOnRequest};
use dwc::console::{Console, ConsoleError, ManualClock, Session};
use dwc::domain::Scope;

fn demo() -> (tempfile::TempDir, ManualClock, Console) {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
    let c = Console::create_demo(dir.path(), None, Box::new(clock.clone())).unwrap();
    (dir, clock, c)
}

fn as_user(c: &Console, user: Option<&str>) -> Session {
    c.authenticate(user, None, Scope::Page, "cn-hangzhou")
        .unwrap()
}

#[test]
fn sessions_are_listed_and_ended_by_administrators_only_and_idle_ones_end() {
    let (_d, clock, c) = demo();
    let acme = as_user(&c, None);
    let alice = as_user(&c, Some("alice"));
    c.set_session_limit(2);
    let a = c.open_session(&alice, "192.0.2.7", "console").unwrap();
    let b = c.open_session(&acme, "192.0.2.8", "command").unwrap();
    let refused = c
        .open_session(&alice, "192.0.2.9", "console")
        .err()
        .unwrap();
    assert!(
        refused
            .to_string()
            .contains("the server has 2 sessions open"),
        "{refused}"
    );
    // alice may not look; the account may.
    assert!(matches!(
        c.list_sessions(&alice),
        Err(ConsoleError::Denied { .. })
    ));
    let listed = c.list_sessions(&acme).unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|v| (v.user.as_str(), v.source.as_str()))
            .collect::<Vec<_>>(),
        [("alice", "192.0.2.7"), ("acme", "192.0.2.8")]
    );
    // Ending one tells it why, and is audited.
    assert!(matches!(
        c.end_session(&alice, a.id),
        Err(ConsoleError::Denied { .. })
    ));
    c.end_session(&acme, a.id).unwrap();
    assert_eq!(
        a.ended.borrow().as_deref(),
        Some("your session was ended by acme")
    );
    let audit = c.audit_log(&acme, 20).unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "dwc:EndSession" && e.target.contains("alice from 192.0.2.7")),
        "{audit:?}"
    );
    // A dropped ticket frees its place.
    drop(a);
    assert_eq!(c.sessions().count(), 1);
    // Idle: touched sessions stay, untouched ones end.
    let idle = c.open_session(&alice, "192.0.2.7", "console").unwrap();
    clock.advance(Duration::minutes(20));
    b.touch(c.now());
    clock.advance(Duration::minutes(11));
    assert_eq!(c.end_idle_sessions(Duration::minutes(30)), 1);
    assert!(
        idle.ended
            .borrow()
            .as_deref()
            .is_some_and(|r| r.contains("idle for 30 minutes"))
    );
    assert!(b.ended.borrow().is_none());
}

#[test]
fn a_committed_change_reaches_every_subscriber_and_says_who_did_what() {
    let (_d, _clock, c) = demo();
    let mut feed = c.subscribe();
    let wang = as_user(&c, Some("wang_admin"));
    c.add_member(
        &wang,
        "finance_etl",
        "frank",
        vec![dwc::domain::RoleRef::parse("visitor").unwrap()],
    )
    .unwrap();
    let change = feed.try_recv().unwrap();
    assert_eq!(change.describe(), "wang_admin added frank to finance_etl");
    // A refused change is nobody's news.
    let alice = as_user(&c, Some("alice"));
    assert!(c.remove_member(&alice, "finance_etl", "frank").is_err());
    assert!(feed.try_recv().is_err());
}

#[test]
fn the_lock_out_follows_its_numbers_and_ends_when_its_time_is_up() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
    let tenant = dwc::console::Tenant {
        account: "acme".into(),
        account_hash: None,
        edition: dwc::domain::Edition::Basic,
        open: false,
        default_region: "cn-hangzhou".into(),
        created_at: dwc::console::Clock::now(&clock),
    };
    let c = Console::init(
        dir.path(),
        tenant,
        Some("account pass 1"),
        Box::new(clock.clone()),
    )
    .unwrap();
    c.set_lockout(Lockout {
        failures: 3,
        window: Duration::minutes(10),
        lock: Duration::minutes(5),
    });
    let try_pw = |pw: &str| {
        c.log_on(LogOnRequest {
            user: None,
            credential: Credential::Password(pw),
            scope: Scope::OpenAPI,
            region: "cn-hangzhou",
            source: "192.0.2.1",
            via: "test",
            audit_success: false,
            new_password: None,
            mfa_code: None,
        })
    };
    // Failures spread wider than the window never lock.
    for _ in 0..4 {
        assert_eq!(try_pw("wrong one"), Err(ConsoleError::Unauthenticated));
        clock.advance(Duration::minutes(6));
    }
    assert!(
        try_pw("account pass 1").is_ok(),
        "a success clears the count"
    );
    for _ in 0..3 {
        assert_eq!(try_pw("wrong one"), Err(ConsoleError::Unauthenticated));
    }
    assert!(matches!(
        try_pw("account pass 1"),
        Err(ConsoleError::LockedOut { minutes: 5, .. })
    ));
    clock.advance(Duration::minutes(5));
    assert!(
        try_pw("account pass 1").is_ok(),
        "the lock ends with its time"
    );
}
