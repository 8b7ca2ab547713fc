//! Two `dwc serve` on one PostgreSQL database (DESIGN §13): a change made through one shows in a
//! console on the other; a job runs once while both are up, and once when the server that
//! started it is killed mid-step. Real `ssh`, tmux and a PostgreSQL server started from the
//! installed binaries; without them (outside CI) the test says so and skips.

#[path = "common/cli.rs"]
mod cli;
#[path = "common/serve.rs"]
mod serve;
#[path = "common/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use serve::{Served, have_ssh, text};
use tmux::Tmux;

fn json(o: &Output) -> serde_json::Value {
    let (out, err, code) = text(o);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// How many times the audit log says a job on `target` of `action` ended.
fn job_ends(srv: &Served, action: &str, target: &str) -> usize {
    let audit = json(
        &srv.open("acme")
            .args(["audit", "list", "--limit", "1000", "-o", "json"])
            .output()
            .unwrap(),
    );
    audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["name"] == action
                && e["target"].as_str().is_some_and(|t| t.contains(target))
                && e["detail"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("job ") && d.ends_with(" done"))
        })
        .count()
}

/// Waits until `rg show NAME` through `srv` satisfies `done`.
fn wait_for_group(
    srv: &Served,
    name: &str,
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let o = srv
            .open("acme")
            .args(["rg", "show", name, "-o", "json"])
            .output()
            .unwrap();
        if o.status.success() {
            let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            if done(&g) {
                return g;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{name} did not get there: {}",
            String::from_utf8_lossy(&o.stdout)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn two_servers_on_one_database_share_changes_and_run_each_job_once() {
    if !have_ssh() || !tmux::available() {
        return;
    }
    let Some(pg) = cli::servers::Postgres::shared() else {
        return;
    };
    let url = pg.new_database();
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let store = Path::new(&url);
    let o = serve::dwc(store)
        .env("DWC_STATE_DIR", &state)
        .arg("demo")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let env = [("DWC_STATE_DIR", state.as_path())];
    let mut a = Served::start_with(store, &["serve"], &env);
    let b = Served::start_with(store, &["serve"], &env);
    // Both servers keep their files (host key) in the one state directory: the same key.
    assert_eq!(a.fingerprint, b.fingerprint);

    // alice watches finance_etl's members on b; wang_admin adds frank through a.
    let t = Tmux::new("pgteam");
    let ssh = format!(
        "ssh -tt -p {} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o PubkeyAuthentication=no -F /dev/null alice@127.0.0.1; sleep 30",
        b.port
    );
    t.session("alice", 110, 34, &ssh);
    t.wait_for("alice", "Overview");
    t.keys(
        "alice",
        &[
            "2", "/", "f", "i", "n", "a", "n", "c", "e", "Enter", "Enter",
        ],
    );
    t.wait_for("alice", "Workspace finance_etl");
    t.keys("alice", &["Tab", "Tab", "Tab", "Tab"]);
    t.wait_for("alice", "Member or role");
    assert!(!t.screen("alice").contains("frank"));
    let o = a
        .open("wang_admin")
        .args([
            "member",
            "add",
            "finance_etl",
            "frank",
            "--role",
            "Development",
        ])
        .output()
        .unwrap();
    assert_eq!(text(&o).2, 0, "{}", text(&o).1);
    let acknowledged = Instant::now();
    t.wait_for("alice", "wang_admin added frank to finance_etl");
    eprintln!(
        "the change made through one server reached a console on the other {:?} after it was acknowledged",
        acknowledged.elapsed()
    );
    assert!(t.screen("alice").contains("frank"));

    // A job started through a, with both servers advancing: each step once, one end.
    let o = a
        .open("acme")
        .args(["rg", "create", "rg_two", "--spec", "4"])
        .output()
        .unwrap();
    assert_eq!(text(&o).2, 0, "{}", text(&o).1);
    wait_for_group(&b, "rg_two", |g| g["status"] == "Normal");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(job_ends(&b, "dataworks:CreateResourceGroup", "rg_two"), 1);

    // Another started through a, which is then killed mid-job: b finishes it, once.
    let o = a
        .open("acme")
        .args(["rg", "scale", "rg_two", "--spec", "8"])
        .output()
        .unwrap();
    assert_eq!(text(&o).2, 0, "{}", text(&o).1);
    let _ = a.child.kill();
    let _ = a.child.wait();
    let g = wait_for_group(&b, "rg_two", |g| {
        g["status"] == "Normal" && g["spec_cu"] == 8
    });
    assert_eq!(g["spec_cu"], 8);
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(job_ends(&b, "dataworks:UpdateResourceGroup", "rg_two"), 1);
    let jobs = json(
        &b.open("acme")
            .args(["job", "list", "--all", "-o", "json"])
            .output()
            .unwrap(),
    );
    let on_two: Vec<_> = jobs
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j.to_string().contains("rg_two"))
        .collect();
    assert_eq!(on_two.len(), 2, "{jobs}");
    for j in on_two {
        assert!(
            j.to_string().contains("Succeeded") || j.to_string().contains("done"),
            "{j}"
        );
    }
}
