//! DESIGN §11/§13 on PostgreSQL over loopback, against a server started from the installed
//! binaries in a temp directory: the scale tenant (`dwc demo --scale 10000`) built into a
//! database, then a RAM user's visible workspace list (budget: p50 under 2 ms) and one change,
//! adding a member (budget: p50 under 5 ms), each timed many times and reported as p50/p99.
//! The served console's key to frame on PostgreSQL is `DWC_BENCH_STORE=postgres cargo bench
//! --bench serve`.

#[path = "../tests/common/servers.rs"]
#[allow(dead_code)]
mod servers;

use std::time::{Duration, Instant};

use dwc::console::{Console, Session, SystemClock};
use dwc::domain::{Principal, RoleRef, Scope};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{what:<48} n={:<5} p50 {:>9.2?}  p99 {:>9.2?}",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing: only build then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let Some(pg) = servers::Postgres::start(true) else {
        return;
    };
    let url = pg.new_database();
    let state = tempfile::tempdir().unwrap();
    // SAFETY: set before any thread of this process starts.
    unsafe { std::env::set_var("DWC_STATE_DIR", state.path()) };
    let built = Instant::now();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_dwc"))
        .args(["--store", &url, "demo", "--scale", "10000"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    println!(
        "scale tenant built into PostgreSQL in {:?}",
        built.elapsed()
    );

    let console = Console::open(std::path::Path::new(&url), Box::new(SystemClock)).unwrap();
    let user = Session {
        principal: Principal::User("user042".into()),
        scope: Scope::Page,
        region: "cn-hangzhou".into(),
        origin: dwc::authz::Origin::local(),
    };
    let mut times = Vec::new();
    for _ in 0..300 {
        let t = Instant::now();
        std::hint::black_box(
            console
                .store()
                .get::<serde_json::Value>(dwc::store::T::Meta, b"tenant")
                .unwrap(),
        );
        times.push(t.elapsed());
    }
    report("one read, again (from the read cache)", times);
    let rows = console.list_workspaces(&user).unwrap().len();
    let mut times = Vec::new();
    for _ in 0..300 {
        let t = Instant::now();
        std::hint::black_box(console.list_workspaces(&user).unwrap());
        times.push(t.elapsed());
    }
    report(
        &format!("ram-user-workspace-list ({rows} rows), again"),
        times,
    );
    // Each time after a commit, which empties the process's read cache: every read a query.
    let mut times = Vec::new();
    for i in 0..300u32 {
        console
            .store()
            .transact::<_, ()>(|tx| tx.put(dwc::store::T::Meta, b"bench", &i))
            .unwrap();
        let t = Instant::now();
        std::hint::black_box(console.list_workspaces(&user).unwrap());
        times.push(t.elapsed());
    }
    report(
        &format!("ram-user-workspace-list ({rows} rows), after a commit"),
        times,
    );

    let account = Session {
        principal: Principal::Account("acme".into()),
        ..user.clone()
    };
    let ws = console
        .list_workspaces(&account)
        .unwrap()
        .into_iter()
        .map(|r| r.workspace.name)
        .find(|n| n.starts_with("ws"))
        .expect("a scale workspace");
    let role = vec![RoleRef::parse("visitor").unwrap()];
    let (mut adds, mut removes) = (Vec::new(), Vec::new());
    for i in 0..200 {
        let who = format!("user{:03}", 400 + i % 50);
        let _ = console.remove_member(&account, &ws, &who);
        let t = Instant::now();
        console
            .add_member(&account, &ws, &who, role.clone())
            .unwrap();
        adds.push(t.elapsed());
        let t = Instant::now();
        console.remove_member(&account, &ws, &who).unwrap();
        removes.push(t.elapsed());
    }
    report("one change: member add (with its audit record)", adds);
    report("one change: member remove", removes);
}
