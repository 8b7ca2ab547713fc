//! Seed 000's getting-started flow in a real terminal: tmux runs `dwc` on an empty `dwc init`
//! store; keys create a workspace, create and attach a resource group, add a member, attach a
//! compute resource and add a data source; the Overview's checklist must be complete; `q` exits 0;
//! then the CLI must find everything stored.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "common/cli.rs"]
mod cli;

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let o = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", "e2e", k]);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// Types text literally.
    fn text(&self, s: &str) {
        self.run(&["send-keys", "-t", "e2e", "-l", s]);
        std::thread::sleep(Duration::from_millis(60));
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    fn wait_for(&self, what: &str) -> String {
        self.wait_until(what, |s| s.contains(what))
    }

    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if done(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "waited for {what:?}; the screen shows:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn getting_started_in_a_real_terminal() {
    if !tmux_available() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tmux is missing on CI: .ci/run must install it"
        );
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
        return;
    }
    let d = cli::Dwc::init("basic");
    let bin = assert_cmd::cargo::cargo_bin("dwc");
    let exit_file = d.dir.path().join("exit-status");
    let t = Tmux {
        socket: format!("dwc-e2e-{}", std::process::id()),
    };
    // Jobs take three seconds, so the test sees one run and finish.
    let cmd = format!(
        "DWC_JOB_SECONDS=3 {} --store {}; echo $? > {}",
        bin.display(),
        d.dir.path().display(),
        exit_file.display()
    );
    t.run(&[
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "120",
        "-y",
        "40",
        &cmd,
    ]);

    // Log on as the account.
    t.wait_for("Log on");
    t.keys(&["Enter"]);
    t.text(cli::ACCOUNT_PW);
    t.keys(&["Enter"]);
    t.wait_for("acme (account)");

    // 1. Create a workspace.
    t.keys(&["2"]);
    t.wait_for("Workspaces in cn-hangzhou");
    t.keys(&["n"]);
    t.wait_for("New workspace");
    t.text("finance_etl");
    t.keys(&["Enter"]);
    t.wait_for("created workspace finance_etl");

    // 2. Create a resource group and attach it.
    t.keys(&["3"]);
    t.wait_for("Resource groups in cn-hangzhou");
    t.keys(&["n"]);
    t.wait_for("New Serverless resource group");
    t.text("rg_etl");
    t.keys(&["Enter"]);
    t.wait_for("creating resource group rg_etl");
    // The job shows in the footer, and the row turns Normal by itself.
    t.wait_for("create resource group rg_etl");
    t.wait_until("rg_etl Normal", |s| {
        s.lines()
            .any(|l| l.contains("rg_etl") && l.contains("Normal"))
    });

    // A RAM user to add, from the Management Center.
    t.keys(&["7", "Tab", "Tab"]);
    t.wait_for("Tenant members");
    t.keys(&["n"]);
    t.wait_for("New RAM user");
    t.text("alice");
    t.keys(&["Tab", "Tab"]);
    t.text("alice-password");
    t.keys(&["Enter"]);
    t.wait_for("created user alice");

    t.keys(&["2", "Enter"]);
    t.wait_for("Workspace finance_etl");
    t.keys(&["Tab", "Tab", "Tab", "n"]);
    t.wait_for("Attach a resource group");
    t.text("rg_etl");
    t.keys(&["Enter"]);
    t.wait_for("attached rg_etl to finance_etl");

    // 3. Add a member.
    t.keys(&["Tab", "n"]);
    t.wait_for("Add a member");
    t.text("alice");
    t.keys(&["Enter"]);
    t.wait_for("added alice to finance_etl");

    // 4. Attach a compute resource.
    t.keys(&["BTab", "BTab", "n"]);
    t.wait_for("Attach a compute resource");
    t.text("mc_fin");
    t.keys(&["Tab", "Tab"]);
    t.text("fin_project");
    t.keys(&["Enter"]);
    t.wait_for("created its data source");

    // 5. Add a data source; the password is masked while typed.
    t.keys(&["BTab", "n"]);
    t.wait_for("New data source");
    t.text("orders");
    t.keys(&["Tab", "Tab"]);
    t.text("db.internal");
    t.keys(&["Tab", "Tab"]);
    t.text("orders");
    t.keys(&["Tab"]);
    t.text("etl");
    t.keys(&["Tab"]);
    t.text("s3cret-pw");
    let screen = t.wait_for("•••••••••");
    assert!(
        !screen.contains("s3cret-pw"),
        "the secret shows while typed:\n{screen}"
    );
    t.keys(&["Enter"]);
    t.wait_for("created MySQL data source orders");

    // The Overview's checklist is complete.
    t.keys(&["Escape", "1"]);
    let overview = t.wait_for("Getting started: finance_etl");
    assert_eq!(overview.matches('✔').count(), 5, "{overview}");

    t.keys(&["q"]);
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
