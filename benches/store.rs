//! DESIGN §11 on the scale tenant (`dwc demo --scale 10000`: 10,000 workspaces, 100,000
//! memberships, 1,000 resource groups, 500 users, 200 policies): opening the store, and a RAM
//! user's visible workspace list (budget: under 1 ms); the peak RSS of opening the store and
//! listing (budget: under 100 MB); and, as a person runs them, `dwc export` of the whole
//! tenant (budget: under 300 ms, 100 MB), `dwc apply` of that export unchanged (under 500 ms)
//! and with one change (under 700 ms; both under 150 MB), and building the scale tenant
//! (under 200 MB). The commands run as processes of the release binary, timed by criterion;
//! each one's peak RSS is its own, read when it is reaped.
//!
//! `DWC_BENCH_STORE=postgres cargo bench --bench store`: the same on a database of a
//! PostgreSQL server started here from the installed binaries (loopback, fsync on).

#[path = "../tests/common/servers.rs"]
#[allow(dead_code)]
mod servers;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dwc::console::{Console, Session, SystemClock};
use dwc::domain::{Principal, Scope};

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
}

/// Resets the peak-RSS mark, so what follows is measured on its own (Linux).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Runs the dwc binary with `args` (output to nowhere) and returns its peak RSS in KiB, read
/// from the kernel as it is reaped. Until it execs, a child shares this process's memory and
/// counts it as its own: peaks are read while this process is still small.
fn run_dwc(args: &[&str]) -> u64 {
    run_dwc_to(args, std::process::Stdio::null())
}

fn run_dwc_to(args: &[&str], out: impl Into<std::process::Stdio>) -> u64 {
    use std::os::unix::process::ExitStatusExt;
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_dwc"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, which wait4 fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped; both pointers are to live locals.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    let status = std::process::ExitStatus::from_raw(status);
    assert!(status.success(), "dwc {args:?}: {status}");
    usage.ru_maxrss as u64
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let pg = (std::env::var("DWC_BENCH_STORE").as_deref() == Ok("postgres"))
        .then(|| servers::Postgres::start(true).expect("PostgreSQL for DWC_BENCH_STORE=postgres"));
    let store = match &pg {
        Some(pg) => {
            // A database keeps its secret key in the state directory. SAFETY: criterion has
            // started no thread of its own before it runs the first benchmark.
            unsafe { std::env::set_var("DWC_STATE_DIR", dir.path().join("state")) };
            pg.new_database()
        }
        None => dir.path().join("store").display().to_string(),
    };
    println!("store: {}", dwc::store::shown(std::path::Path::new(&store)));
    // Built by the real binary in its own process, so this process's memory is the console's.
    let build = run_dwc(&["--store", &store, "demo", "--scale", "10000"]);
    println!(
        "build the scale tenant (dwc demo --scale 10000): peak RSS {:.1} MiB",
        mib(build)
    );
    let store_dir = std::path::PathBuf::from(&store);
    let unchanged = dir.path().join("unchanged.json");
    let exported = run_dwc_to(
        &["--store", &store, "export"],
        std::fs::File::create(&unchanged).unwrap(),
    );
    let text = std::fs::read_to_string(&unchanged).unwrap();
    let (one, other) = (dir.path().join("one.json"), dir.path().join("other.json"));
    let name = "\"display_name\": \"Scale workspace 42\",";
    assert!(text.contains(name));
    let renamed = |to: &str| text.replacen(name, &format!("\"display_name\": \"{to}\","), 1);
    std::fs::write(&one, renamed("Scale workspace 42 (a)")).unwrap();
    std::fs::write(&other, renamed("Scale workspace 42 (b)")).unwrap();
    let document_mb = text.len() as f64 / 1e6;
    drop(text);
    let path = |p: &std::path::Path| p.display().to_string();
    let (unchanged, one, other) = (path(&unchanged), path(&one), path(&other));
    let applied = run_dwc(&["--store", &store, "apply", "-f", &unchanged]);
    let changed = run_dwc(&["--store", &store, "apply", "-f", &one]);
    run_dwc(&["--store", &store, "apply", "-f", &unchanged]);
    println!(
        "peak RSS: dwc export {:.1} MiB ({:.1} MB document); dwc apply unchanged {:.1} MiB, one change {:.1} MiB",
        mib(exported),
        document_mb,
        mib(applied),
        mib(changed),
    );

    reset_peak_rss();
    {
        let console = Console::open(&store_dir, Box::new(SystemClock)).unwrap();
        let session = Session {
            principal: Principal::User("user042".into()),
            scope: Scope::Page,
            region: "cn-hangzhou".into(),
            origin: dwc::authz::Origin::local(),
        };
        console.list_workspaces(&session).unwrap();
        let account = Session {
            principal: Principal::Account("acme".into()),
            scope: Scope::Page,
            region: "cn-hangzhou".into(),
            origin: dwc::authz::Origin::local(),
        };
        console.list_workspaces(&account).unwrap();
    }
    if let Some(kib) = peak_rss_kib() {
        println!(
            "peak RSS to open the scale tenant and list workspaces (user and account): {:.1} MiB",
            kib as f64 / 1024.0
        );
    }

    let mut g = c.benchmark_group("scale-10000");
    g.sample_size(20);
    g.bench_function("store-open", |b| {
        b.iter(|| {
            drop(black_box(
                Console::open(&store_dir, Box::new(SystemClock)).unwrap(),
            ))
        })
    });
    g.finish();

    let console = Console::open(&store_dir, Box::new(SystemClock)).unwrap();
    let session = Session {
        principal: Principal::User("user042".into()),
        scope: Scope::Page,
        region: "cn-hangzhou".into(),
        origin: dwc::authz::Origin::local(),
    };
    let n = console.list_workspaces(&session).unwrap().len();
    assert!(n > 20, "user042 sees {n} workspaces");
    let mut g = c.benchmark_group("scale-10000");
    g.bench_function(format!("ram-user-workspace-list ({n} rows)"), |b| {
        b.iter(|| console.list_workspaces(black_box(&session)).unwrap())
    });
    let account = Session {
        principal: Principal::Account("acme".into()),
        scope: Scope::Page,
        region: "cn-hangzhou".into(),
        origin: dwc::authz::Origin::local(),
    };
    g.sample_size(10);
    g.bench_function("account-workspace-list (3,339 rows)", |b| {
        b.iter(|| console.list_workspaces(black_box(&account)).unwrap())
    });
    g.bench_function("export in process (whole tenant, streamed)", |b| {
        b.iter(|| {
            console
                .export_to(black_box(&account), None, &mut std::io::sink())
                .unwrap()
        })
    });
    drop(console);

    // As a person runs them: each a process of its own on the store.
    g.bench_function("dwc export (whole tenant)", |b| {
        b.iter(|| run_dwc(&["--store", &store, "export"]))
    });
    g.bench_function("dwc apply (its export, unchanged)", |b| {
        b.iter(|| run_dwc(&["--store", &store, "apply", "-f", &unchanged]))
    });
    // Each run changes one workspace's display name from the last run's.
    let mut flip = false;
    g.bench_function("dwc apply (its export, one change)", |b| {
        b.iter(|| {
            flip = !flip;
            run_dwc(&[
                "--store",
                &store,
                "apply",
                "-f",
                if flip { &one } else { &other },
            ])
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
