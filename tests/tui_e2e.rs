//! Seed 000's getting-started flow in a real terminal: tmux runs `dwc` on an empty `dwc init`
//! store; keys create a workspace, create and attach a resource group, add a member, attach a
//! compute resource and add a data source; the Overview's checklist must be complete; `q` exits 0;
//! then the CLI must find everything stored.

use std::path::Path;
use std::time::{Duration, Instant};

#[path = "common/cli.rs"]
mod cli;
#[path = "common/tmux.rs"]
mod tmux;

#[test]
fn getting_started_in_a_real_terminal() {
    if !tmux::available() {
        return;
    }
    let d = cli::Dwc::init("basic");
    let bin = assert_cmd::cargo::cargo_bin("dwc");
    let exit_file = d.dir.path().join("exit-status");
    let t = tmux::Tmux::new("e2e");
    // Jobs take three seconds, so the test sees one run and finish.
    let cmd = format!(
        "DWC_JOB_SECONDS=3 {} --store {}; echo $? > {}",
        bin.display(),
        d.dir.path().display(),
        exit_file.display()
    );
    t.session("e2e", 120, 40, &cmd);

    // Log on as the account.
    t.wait_for("e2e", "Log on");
    t.keys("e2e", &["Enter"]);
    t.text("e2e", cli::ACCOUNT_PW);
    t.keys("e2e", &["Enter"]);
    t.wait_for("e2e", "acme (account)");

    // 1. Create a workspace.
    t.keys("e2e", &["2"]);
    t.wait_for("e2e", "Workspaces in cn-hangzhou");
    t.keys("e2e", &["n"]);
    t.wait_for("e2e", "New workspace");
    t.text("e2e", "finance_etl");
    t.keys("e2e", &["Enter"]);
    t.wait_for("e2e", "created workspace finance_etl");

    // 2. Create a resource group and attach it.
    t.keys("e2e", &["3"]);
    t.wait_for("e2e", "Resource groups in cn-hangzhou");
    t.keys("e2e", &["n"]);
    t.wait_for("e2e", "New Serverless resource group");
    t.text("e2e", "rg_etl");
    t.keys("e2e", &["Enter"]);
    t.wait_for("e2e", "creating resource group rg_etl");
    // The job shows in the footer, and the row turns Normal by itself.
    t.wait_for("e2e", "create resource group rg_etl");
    t.wait_until("e2e", "rg_etl Normal", |s| {
        s.lines()
            .any(|l| l.contains("rg_etl") && l.contains("Normal"))
    });

    // A RAM user to add, from the RAM page.
    t.keys("e2e", &["9"]);
    t.wait_for("e2e", "RAM users");
    t.keys("e2e", &["n"]);
    t.wait_for("e2e", "New RAM user");
    t.text("e2e", "alice");
    t.keys("e2e", &["Tab", "Tab"]);
    t.text("e2e", "alice-password");
    t.keys("e2e", &["Enter"]);
    t.wait_for("e2e", "created user alice");

    t.keys("e2e", &["2", "Enter"]);
    t.wait_for("e2e", "Workspace finance_etl");
    t.keys("e2e", &["Tab", "Tab", "Tab", "n"]);
    t.wait_for("e2e", "Attach a resource group");
    t.text("e2e", "rg_etl");
    t.keys("e2e", &["Enter"]);
    t.wait_for("e2e", "attached rg_etl to finance_etl");

    // 3. Add a member.
    t.keys("e2e", &["Tab", "n"]);
    t.wait_for("e2e", "Add a member");
    t.text("e2e", "alice");
    t.keys("e2e", &["Enter"]);
    t.wait_for("e2e", "added alice to finance_etl");

    // 4. Attach a compute resource.
    t.keys("e2e", &["BTab", "BTab", "n"]);
    t.wait_for("e2e", "Attach a compute resource");
    t.text("e2e", "mc_fin");
    t.keys("e2e", &["Tab", "Tab"]);
    t.text("e2e", "fin_project");
    t.keys("e2e", &["Enter"]);
    t.wait_for("e2e", "created its data source");

    // 5. Add a data source; the password is masked while typed.
    t.keys("e2e", &["BTab", "n"]);
    t.wait_for("e2e", "New data source");
    t.text("e2e", "orders");
    t.keys("e2e", &["Tab", "Tab"]);
    t.text("e2e", "db.internal");
    t.keys("e2e", &["Tab", "Tab"]);
    t.text("e2e", "orders");
    t.keys("e2e", &["Tab"]);
    t.text("e2e", "etl");
    t.keys("e2e", &["Tab"]);
    t.text("e2e", "s3cret-pw");
    let screen = t.wait_for("e2e", "•••••••••");
    assert!(
        !screen.contains("s3cret-pw"),
        "the secret shows while typed:\n{screen}"
    );
    t.keys("e2e", &["Enter"]);
    t.wait_for("e2e", "created MySQL data source orders");

    // The Overview's checklist is complete.
    t.keys("e2e", &["Escape", "1"]);
    let overview = t.wait_for("e2e", "Getting started: finance_etl");
    assert_eq!(overview.matches('✔').count(), 5, "{overview}");

    // Every field of an item on Enter: the resource group, then a policy's document.
    t.keys("e2e", &["3", "Enter"]);
    let detail = t.wait_for("e2e", "Resource group rg_etl");
    assert!(
        detail
            .lines()
            .any(|l| l.contains("Attached to") && l.contains("finance_etl")),
        "{detail}"
    );
    t.keys("e2e", &["Escape", "9", "Tab", "Enter"]);
    t.wait_for("e2e", "\"Statement\"");
    t.keys("e2e", &["Escape"]);
    // The palette suggests as it is typed; Enter on a suggestion taken with Tab goes there.
    t.keys("e2e", &[":"]);
    t.text("e2e", "audi");
    t.keys("e2e", &["Tab", "Enter"]);
    t.wait_for("e2e", "Audit log (newest first)");
    t.wait_for("e2e", "dataworks:CreateProject");

    t.keys("e2e", &["q"]);
    let start = Instant::now();
    while !Path::new(&exit_file).exists() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "dwc did not quit on q"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(std::fs::read_to_string(&exit_file).unwrap().trim(), "0");

    // Everything was stored.
    assert_eq!(
        d.ok(&["-o", "json", "rg", "show", "rg_etl"]).json()["attached"][0],
        "finance_etl"
    );
    assert_eq!(
        d.ok(&["-o", "json", "member", "list", "finance_etl"])
            .names(),
        ["acme", "alice"]
    );
    assert_eq!(
        d.ok(&["-o", "json", "compute", "list", "finance_etl"])
            .names(),
        ["mc_fin"]
    );
    assert_eq!(
        d.ok(&["-o", "json", "ds", "list", "finance_etl"]).names(),
        ["mc_fin", "orders"]
    );
    let ds = d.ok(&["ds", "show", "finance_etl", "orders"]).stdout;
    assert!(
        ds.contains("password=••••••") && !ds.contains("s3cret"),
        "{ds}"
    );
}
