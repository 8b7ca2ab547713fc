//! A team on one served console (DESIGN §12): two consoles through `ssh -tt` in tmux where one
//! person's change shows on the other's screen, and twenty clients making conflicting changes at
//! once — afterwards no duplicate, no orphan, every acknowledged change present and audited
//! exactly once, every job step run once.

#[path = "common/cli.rs"]
mod cli;
#[path = "common/serve.rs"]
mod serve;
#[path = "common/tmux.rs"]
mod tmux;

use std::collections::BTreeMap;
use std::process::Output;
use std::time::{Duration, Instant};

use serve::{Served, have_ssh, text};
use tmux::Tmux;

/// A served demo tenant: in a directory, or in a new database when this binary runs the suite
/// on PostgreSQL (tests/serve_team_postgres.rs).
fn demo_served(tmp: &tempfile::TempDir) -> Served {
    let place = match cli::on_postgres()
        .then(cli::servers::Postgres::shared)
        .flatten()
    {
        Some(pg) => std::path::PathBuf::from(pg.new_database()),
        None => tmp.path().join("s"),
    };
    let state = tmp.path().join("state");
    Served::start_with(&place, &["demo", "--serve"], &[("DWC_STATE_DIR", &state)])
}

/// One console over `ssh -tt` in a tmux session of its own.
fn console(t: &Tmux, name: &str, srv: &Served, user: &str) {
    let ssh = format!(
        "ssh -tt -p {} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o PubkeyAuthentication=no -F /dev/null {user}@127.0.0.1; sleep 30",
        srv.port
    );
    t.session(name, 110, 34, &ssh);
}

#[test]
fn a_change_in_one_console_shows_in_the_other() {
    if !have_ssh() || !tmux::available() {
        return;
    }
    let store = tempfile::tempdir().unwrap();
    let srv = demo_served(&store);
    let t = Tmux::new("team");
    console(&t, "alice", &srv, "alice");
    console(&t, "wang", &srv, "wang_admin");
    t.wait_for("alice", "Overview");
    t.wait_for("wang", "Overview");
    // Both on finance_etl's members.
    for who in ["alice", "wang"] {
        t.keys(
            who,
            &[
                "2", "/", "f", "i", "n", "a", "n", "c", "e", "Enter", "Enter",
            ],
        );
        t.wait_for(who, "Workspace finance_etl");
        t.keys(who, &["Tab", "Tab", "Tab", "Tab"]);
        t.wait_for(who, "Member or role");
    }
    // alice moves her selection to bob; wang adds frank.
    t.keys("alice", &["j", "j"]);
    assert!(!t.screen("alice").contains("frank"));
    t.keys("wang", &["n"]);
    t.wait_for("wang", "Add a member");
    t.run(&["send-keys", "-t", "wang", "-l", "frank"]);
    t.keys("wang", &["Enter"]);
    t.wait_for("wang", "added frank to finance_etl");
    let start = Instant::now();
    t.wait_for("alice", "wang_admin added frank to finance_etl");
    let took = start.elapsed();
    eprintln!("the change reached the other console {took:?} after it was acknowledged");
    let s = t.screen("alice");
    assert!(s.contains("frank"), "{s}");
    // Her place is kept by item, not by row: the selected row is still bob's (frank sorts
    // after bob and before the rest), and Enter opens bob's detail.
    t.keys("alice", &["Enter"]);
    let detail = t.wait_for("alice", "(j/k scroll");
    assert!(
        detail
            .lines()
            .any(|l| l.contains("Member or role") && l.contains("bob")),
        "{detail}"
    );
    t.keys("alice", &["Escape"]);
    // The console follows the client's window: at 80 columns the navigation shortens.
    t.run(&["resize-window", "-t", "alice", "-x", "80", "-y", "24"]);
    t.wait_for("alice", "Res. groups");
    t.run(&["resize-window", "-t", "alice", "-x", "140", "-y", "40"]);
    t.wait_for("alice", "Resource Groups");
    // Someone who sees nothing of it is not disturbed: a third console on the Overview.
    console(&t, "carol", &srv, "carol");
    t.wait_for("carol", "Overview");
    let before = t.screen("carol");
    t.keys("wang", &["Esc"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !t.screen("carol").contains("added frank"),
        "carol saw nothing of finance_etl's members change: {before}"
    );
}

fn as_acme(srv: &Served, args: &[&str]) -> Output {
    srv.open("acme").args(args).output().unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    let (out, err, code) = text(o);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// Runs every command at once, each on its own connection; returns each one's exit status.
fn at_once(srv: &Served, commands: Vec<(String, Vec<String>)>) -> Vec<(Vec<String>, i32)> {
    let children: Vec<_> = commands
        .into_iter()
        .map(|(user, args)| {
            let child = srv
                .open(&user)
                .args(&args)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            (args, child)
        })
        .collect();
    children
        .into_iter()
        .map(|(args, c)| {
            let o = c.wait_with_output().unwrap();
            let code = o.status.code().unwrap_or(-1);
            assert!(
                [0, 3, 4, 5].contains(&code),
                "{args:?} ended {code}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            (args, code)
        })
        .collect()
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn twenty_clients_making_conflicting_changes_leave_a_consistent_store() {
    if !have_ssh() {
        return;
    }
    let store = tempfile::tempdir().unwrap();
    let mut srv = demo_served(&store);
    for ws in ["victim_ws", "target_ws"] {
        assert_eq!(text(&as_acme(&srv, &["workspace", "create", ws])).2, 0);
    }
    let users = ["ivan", "judy", "ken", "lina", "mike", "nora"];
    let mut commands = Vec::new();
    // Six race for one new name.
    for _ in 0..6 {
        commands.push(("acme".into(), strs(&["workspace", "create", "dup_ws"])));
    }
    // Six add members to a workspace the seventh deletes.
    for u in users {
        commands.push((
            "acme".into(),
            strs(&["member", "add", "victim_ws", u, "--role", "visitor"]),
        ));
    }
    commands.push(("acme".into(), strs(&["workspace", "delete", "victim_ws"])));
    // Six attach a group to workspaces while the seventh deletes the group.
    for ws in [
        "target_ws",
        "sandbox_ops",
        "default_ws",
        "finance_etl",
        "marketing_dw",
        "victim_ws",
    ] {
        commands.push(("acme".into(), strs(&["rg", "attach", "rg_adhoc_hz", ws])));
    }
    commands.push(("acme".into(), strs(&["rg", "delete", "rg_adhoc_hz"])));
    assert_eq!(commands.len(), 20);
    let results = at_once(&srv, commands);
    let ok = |pred: &dyn Fn(&[String]) -> bool| {
        results
            .iter()
            .filter(|(a, code)| *code == 0 && pred(a))
            .count()
    };

    // One name, one workspace.
    assert_eq!(ok(&|a| a[1] == "create"), 1, "{results:?}");
    let list = json(&as_acme(&srv, &["workspace", "list", "-o", "json"]));
    let dups = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["name"] == "dup_ws")
        .count();
    assert_eq!(dups, 1);

    // The delete went through (nothing can refuse it); every member added was added before it:
    // restored, the workspace has exactly the acknowledged ones.
    assert_eq!(ok(&|a| a[1] == "delete" && a[0] == "workspace"), 1);
    let added: Vec<String> = results
        .iter()
        .filter(|(a, code)| *code == 0 && a[0] == "member")
        .map(|(a, _)| a[3].clone())
        .collect();
    assert_eq!(
        text(&as_acme(&srv, &["workspace", "restore", "victim_ws"])).2,
        0
    );
    let members = json(&as_acme(
        &srv,
        &["member", "list", "victim_ws", "-o", "json"],
    ));
    let mut listed: Vec<String> = members
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_owned())
        .filter(|n| n != "acme")
        .collect();
    listed.sort();
    let mut want = added.clone();
    want.sort();
    assert_eq!(listed, want, "{results:?}");
    let shown = json(&as_acme(
        &srv,
        &["workspace", "show", "victim_ws", "-o", "json"],
    ));
    assert_eq!(
        shown["members"],
        serde_json::json!(want.len() + 1),
        "member count agrees"
    );

    // The group: deleted once its job ran, and no workspace is left pointing at it; attaches
    // acknowledged before the delete were undone by it, not lost in between.
    // A delete racing attaches builds on them (each change re-applied to the group as its
    // transaction sees it): it is never refused for "changed meanwhile".
    assert_eq!(ok(&|a| a[0] == "rg" && a[1] == "delete"), 1, "{results:?}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, _, code) = text(&as_acme(&srv, &["rg", "show", "rg_adhoc_hz"]));
        if code == 4 {
            break;
        }
        assert!(Instant::now() < deadline, "the delete job did not finish");
        std::thread::sleep(Duration::from_millis(200));
    }
    let groups = json(&as_acme(&srv, &["rg", "list", "-o", "json"]));
    assert!(
        groups
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["name"] != "rg_adhoc_hz"),
        "{groups}"
    );

    // The audit log: each acknowledged change exactly once, each job's end exactly once.
    let audit = json(&as_acme(
        &srv,
        &["audit", "list", "--limit", "1000", "-o", "json"],
    ));
    let mut count: BTreeMap<(String, String), usize> = BTreeMap::new();
    for e in audit.as_array().unwrap() {
        if e["outcome"] == "ok" {
            *count
                .entry((
                    e["name"].as_str().unwrap().to_owned(),
                    e["target"].as_str().unwrap().to_owned(),
                ))
                .or_default() += 1;
        }
    }
    let once = |action: &str, target: &str| count.get(&(action.into(), target.into())).copied();
    assert_eq!(once("dataworks:CreateProject", "workspace dup_ws"), Some(1));
    assert_eq!(
        once("dataworks:DeleteProject", "workspace victim_ws"),
        Some(1)
    );
    for u in &added {
        assert_eq!(
            once(
                "dataworks:CreateProjectMember",
                &format!("member {u} of victim_ws")
            ),
            Some(1),
            "{u}"
        );
    }
    let job_ends = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["name"] == "dataworks:DeleteResourceGroup"
                && e["detail"].as_str().is_some_and(|d| d.starts_with("job "))
        })
        .count();
    assert_eq!(job_ends, 1, "the delete job ended exactly once");
    let jobs = json(&as_acme(&srv, &["job", "list", "--all", "-o", "json"]));
    for j in jobs.as_array().unwrap() {
        let progress = j["progress"].as_str().unwrap_or_default();
        if let Some((done, all)) = progress.split_once('/') {
            let n = |s: &str| {
                s.trim_matches(|c: char| !c.is_ascii_digit())
                    .parse::<u32>()
                    .unwrap_or(0)
            };
            assert!(n(done) <= n(all), "a job ran more steps than it has: {j}");
        }
    }
    assert!(srv.terminate().success());
}
