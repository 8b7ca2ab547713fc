//! Purchases need BSS (DESIGN §4, as the vendor states it): AliyunDataWorksFullAccess manages but
//! cannot buy; a PrePaid resource group, its renewal and scaling, the edition and unsubscribing
//! need the DataWorks permission and the BSS order permission, and a refusal names the half that
//! is missing. The account may always.

#[path = "common/cli.rs"]
mod cli;

use cli::Dwc;

#[test]
fn full_access_manages_but_does_not_buy_and_bss_alone_does_not_either() {
    let d = Dwc::init("enterprise");
    d.user("ops");
    d.ok(&[
        "policy",
        "attach",
        "AliyunDataWorksFullAccess",
        "--user",
        "ops",
    ]);
    // Pay-as-you-go is no order: management alone is enough.
    let o = d.as_user("ops", &["rg", "create", "rg_post", "--spec", "8"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // A subscription is bought.
    let o = d.as_user(
        "ops",
        &[
            "rg",
            "create",
            "rg_pre",
            "--spec",
            "8",
            "--payment",
            "prepaid",
            "--months",
            "1",
        ],
    );
    assert_eq!(o.code, 3, "{}", o.stderr);
    assert!(
        o.stderr.contains("missing the BSS half (bss:CreateOrder"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("DataWorks half (dataworks:CreateResourceGroup): allowed"),
        "{}",
        o.stderr
    );
    let o = d.as_user("ops", &["edition", "set", "professional"]);
    assert_eq!(o.code, 3, "{}", o.stderr);
    assert!(o.stderr.contains("bss:ModifyInstance"), "{}", o.stderr);
    // With the BSS half, it buys.
    d.ok(&["policy", "attach", "AliyunBSSOrderAccess", "--user", "ops"]);
    let o = d.as_user(
        "ops",
        &[
            "rg",
            "create",
            "rg_pre",
            "--spec",
            "8",
            "--payment",
            "prepaid",
            "--months",
            "1",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    // BSS alone manages nothing of DataWorks.
    d.ok(&[
        "policy",
        "detach",
        "AliyunDataWorksFullAccess",
        "--user",
        "ops",
    ]);
    let o = d.as_user(
        "ops",
        &[
            "rg",
            "create",
            "rg_pre2",
            "--spec",
            "8",
            "--payment",
            "prepaid",
            "--months",
            "1",
        ],
    );
    assert_eq!(o.code, 3, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("missing the DataWorks half (dataworks:CreateResourceGroup)"),
        "{}",
        o.stderr
    );
    // The account buys without either.
    assert_eq!(d.run(&["edition", "set", "professional"]).code, 0);
    // Every refusal is in the audit log.
    let audit = d.ok(&["audit", "list", "-o", "json"]).json();
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "bss:CreateOrder" && e["outcome"] == "denied"),
        "{audit}"
    );
}

/// `service renew` extends a subscription and says what the months cost; a resource group's
/// item renews the group too (its job); pay-as-you-go has nothing to renew; it needs BSS.
#[test]
fn renewing_a_purchased_item() {
    let d = cli::Dwc::demo();
    let expires = || {
        let item = d
            .run_as(
                None,
                "",
                &["-o", "json", "service", "show", "ord-20260101-0001"],
            )
            .json();
        let shown = item["expires"].as_str().unwrap().to_owned();
        chrono::NaiveDateTime::parse_from_str(&shown, "%Y-%m-%d %H:%M")
            .unwrap_or_else(|e| panic!("expires {shown:?}: {e}"))
    };
    // The demo's dates are relative to the day it is made: the renewal is checked against them.
    let before = expires();
    let o = d.run_as(
        None,
        "",
        &["service", "renew", "ord-20260101-0001", "--months", "12"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("12 month(s) ×") && o.stdout.contains("billed as each month begins"),
        "{}",
        o.stdout
    );
    assert_eq!(
        expires(),
        before.checked_add_months(chrono::Months::new(12)).unwrap(),
        "12 months from the old expiry"
    );
    let o = d.run_as(
        None,
        "",
        &["service", "renew", "ord-20260301-0002", "--months", "1"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let jobs = d.run_as(None, "", &["job", "list", "--all"]).stdout;
    assert!(jobs.contains("rg_etl_hz"), "{jobs}");
    let o = d.run_as(
        None,
        "",
        &["service", "renew", "payg-dataquality", "--months", "1"],
    );
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(o.stderr.contains("pay-as-you-go"), "{}", o.stderr);
    let o = d.run_as(
        None,
        "",
        &["service", "renew", "ord-20260101-0001", "--months", "7"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
}

/// `service modify` upgrades and downgrades: an edition item changes the tenant's edition and
/// bills the difference for the time left at once (a refund going down); a resource group's
/// item scales the group through its job and bills when the spec takes effect; what does not
/// apply is refused with the way that does.
#[test]
fn upgrading_and_downgrading_a_purchased_item() {
    let d = cli::Dwc::demo();
    let run = |args: &[&str]| d.run_as(None, "", args);
    let bills = |month_filter: &str| -> Vec<serde_json::Value> {
        run(&["-o", "json", "bill", "list"])
            .json()
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b.to_string().contains(month_filter))
            .cloned()
            .collect()
    };
    let o = run(&[
        "service",
        "modify",
        "ord-20260101-0001",
        "--edition",
        "professional",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout
            .contains("DataWorks Professional Edition, 6,250.00 a month")
            && o.stdout.contains("refunded for the time left"),
        "{}",
        o.stdout
    );
    assert!(run(&["edition", "show"]).stdout.contains("Professional"));
    let refund = bills("Enterprise to Professional");
    assert_eq!(refund.len(), 1, "{refund:?}");
    assert!(
        refund[0]["amount"].as_str().unwrap().starts_with('-'),
        "{refund:?}"
    );
    // Going back up charges what going down gave back (the same moment).
    let o = run(&["edition", "set", "enterprise"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let up = bills("Professional to Enterprise");
    assert_eq!(up.len(), 1, "{up:?}");
    let amount = |b: &serde_json::Value| b["amount"].as_str().unwrap().to_owned();
    assert_eq!(format!("-{}", amount(&up[0])), amount(&refund[0]));
    let item = run(&["-o", "json", "service", "show", "ord-20260101-0001"]).json();
    assert_eq!(item["unit_price"], "12,500.00", "{item}");
    // Basic is not bought: unsubscribing is the way there.
    let o = run(&[
        "service",
        "modify",
        "ord-20260101-0001",
        "--edition",
        "basic",
    ]);
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(
        o.stderr.contains("unsubscribe ord-20260101-0001"),
        "{}",
        o.stderr
    );
    let o = run(&["service", "modify", "ord-20260101-0001", "--spec", "8"]);
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(o.stderr.contains("--edition"), "{}", o.stderr);
    let o = run(&[
        "service",
        "modify",
        "payg-dataquality",
        "--edition",
        "standard",
    ]);
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(o.stderr.contains("pay-as-you-go"), "{}", o.stderr);
    let o = run(&["service", "modify", "ord-20260101-0001"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    // A group's spec: 32 → 48 CU through the job; the price follows (4,160.00 → 6,240.00).
    let o = d.run_as(
        None,
        "",
        &[
            "--wait",
            "service",
            "modify",
            "ord-20260301-0002",
            "--spec",
            "48",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let g = run(&["-o", "json", "rg", "show", "rg_etl_hz"]).json();
    assert_eq!(g["spec_cu"], 48, "{g}");
    let item = run(&["-o", "json", "service", "show", "ord-20260301-0002"]).json();
    assert_eq!(item["unit_price"], "6,240.00", "{item}");
    assert_eq!(bills("rg_etl_hz 32 to 48 CU, scale-out").len(), 1);
    // Scaling the group by `rg scale` is the same change of its item.
    let o = d.run_as(
        None,
        "",
        &["--wait", "rg", "scale", "rg_etl_hz", "--spec", "32"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(bills("rg_etl_hz 48 to 32 CU, scale-in refund").len(), 1);
    let item = run(&["-o", "json", "service", "show", "ord-20260301-0002"]).json();
    assert_eq!(item["unit_price"], "4,160.00", "{item}");
}
