//! Configuration as code recreates a tenant: an export applied to an empty tenant restores its
//! users (each with a one-time password, changed at first log-on), workspaces and members, and
//! exporting again gives the same document.

#[path = "common/cli.rs"]
mod cli;

use cli::{ACCOUNT_PW, Dwc};

#[test]
fn an_export_applied_to_an_empty_tenant_restores_it_with_one_time_passwords() {
    let a = Dwc::init("enterprise");
    a.user("alice");
    a.user("bob");
    a.ok(&["workspace", "create", "fin_ws", "--display-name", "Finance"]);
    a.ok(&["member", "add", "fin_ws", "alice", "--role", "development"]);
    a.ok(&[
        "policy",
        "attach",
        "AliyunDataWorksReadOnlyAccess",
        "--user",
        "bob",
    ]);
    let doc = a.ok(&["export"]).stdout;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &doc).unwrap();
    let path = file.path().to_str().unwrap();

    let b = Dwc::init("enterprise");
    // The plan shows whole, naming who will need a password.
    let dry = b.ok(&["apply", "-f", path, "--dry-run"]);
    assert!(
        dry.stdout.contains("+ create  user alice"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("one-time password") && dry.stdout.contains("alice, bob"),
        "{}",
        dry.stdout
    );
    let applied = b.ok(&["apply", "-f", path, "-o", "json"]).json();
    let passwords = applied["one_time_passwords"].as_array().unwrap();
    assert_eq!(passwords.len(), 2, "{applied}");
    let alice_pw = passwords.iter().find(|p| p["name"] == "alice").unwrap()["password"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(alice_pw.len(), 20);

    // The same document again.
    assert_eq!(b.ok(&["export"]).stdout, doc);

    // alice's first log-on must set a new password.
    let first = b.run_as(Some("alice"), &alice_pw, &["workspace", "list"]);
    assert_eq!(first.code, 3, "{}", first.stderr);
    assert!(
        first.stderr.contains("one-time password"),
        "{}",
        first.stderr
    );
    let o = b
        .cmd()
        .env("DWC_PASSWORD", &alice_pw)
        .env("DWC_CHANGE_PASSWORD", "alice's own password")
        .args(["--user", "alice", "workspace", "list"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("fin_ws"));
    assert_eq!(
        b.run_as(
            Some("alice"),
            "alice's own password",
            &["workspace", "list"]
        )
        .code,
        0
    );
    assert_eq!(
        b.run_as(Some("alice"), &alice_pw, &["workspace", "list"])
            .code,
        3,
        "the one-time password is gone"
    );

    // DWC_NEW_PASSWORD gives every new user that one-time password instead.
    let c = Dwc::init("enterprise");
    let o = c
        .cmd()
        .env("DWC_PASSWORD", ACCOUNT_PW)
        .env("DWC_NEW_PASSWORD", "shared one-time 1")
        .args(["apply", "-f", path])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let first = c.run_as(Some("bob"), "shared one-time 1", &["workspace", "list"]);
    assert!(
        first.stderr.contains("one-time password"),
        "{}",
        first.stderr
    );
}

/// The demo tenant's export restores onto an empty tenant: the region's default workspace
/// comes back as the default, data sources come without their secrets (named, shown as not
/// set, settable), a workspace on the old Data Studio stays so with its cluster, and applying
/// again only waits for the resource groups still being created.
#[test]
fn the_demo_tenant_restores_from_its_export() {
    let demo = Dwc::demo();
    let doc = demo.run_as(None, "", &["export"]).stdout;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &doc).unwrap();
    let path = file.path().to_str().unwrap();

    let b = Dwc::init("enterprise");
    let run = |args: &[&str]| {
        let o = b
            .cmd()
            .env("DWC_PASSWORD", ACCOUNT_PW)
            .env("DWC_NEW_PASSWORD", "restore-password-1")
            .args(args)
            .output()
            .unwrap();
        cli::Out::from(o)
    };
    let o = run(&["apply", "-f", path]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("the region's default") && o.stdout.contains("--password-stdin"),
        "{}",
        o.stdout
    );
    let ws = b
        .ok(&["-o", "json", "workspace", "show", "default_ws"])
        .json();
    assert_eq!(ws["default"], true, "{ws}");
    let ds = b.ok(&["ds", "show", "finance_etl", "ledger_pg"]).stdout;
    assert!(ds.contains("password=(not set)"), "{ds}");
    assert_eq!(
        b.ok(&["-o", "json", "cluster", "list", "marketing_dw"])
            .names(),
        ["cdh_marketing"]
    );
    // A secret set by hand is no longer awaited.
    let o = b
        .cmd()
        .env("DWC_PASSWORD", ACCOUNT_PW)
        .args([
            "ds",
            "update",
            "finance_etl",
            "ledger_pg",
            "--password-stdin",
        ])
        .write_stdin("the-ledger-password\n")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ds = b.ok(&["ds", "show", "finance_etl", "ledger_pg"]).stdout;
    assert!(ds.contains("password=••••••"), "{ds}");
    // Again: nothing to create; only what waits for jobs.
    let o = run(&["apply", "-f", path]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!o.stdout.contains("+ create"), "{}", o.stdout);
}
