//! DESIGN §11 on the scale tenant (`dwc demo --scale 10000`: 10,000 workspaces, 100,000
//! memberships, 1,000 resource groups, 500 users, 200 policies): opening the store, and a RAM
//! user's visible workspace list (budget: under 1 ms); the peak RSS of opening the store and
//! listing (budget: under 100 MB); and the whole tenant's export (budget: under 300 ms).

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

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    // Built by the real binary in its own process, so this process's memory is the console's.
    let built = std::process::Command::new(env!("CARGO_BIN_EXE_dwc"))
        .args([
            "--store",
            &dir.path().display().to_string(),
            "demo",
            "--scale",
            "10000",
        ])
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );

    reset_peak_rss();
    {
        let console = Console::open(dir.path(), Box::new(SystemClock)).unwrap();
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
                Console::open(dir.path(), Box::new(SystemClock)).unwrap(),
            ))
        })
    });
    g.finish();

    let console = Console::open(dir.path(), Box::new(SystemClock)).unwrap();
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
    // `dwc export` of the whole tenant as the CLI prints it (budget: under 300 ms, 100 MB).
    g.bench_function("export (whole tenant, as printed)", |b| {
        b.iter(|| console.export_text(black_box(&account), None).unwrap())
    });
    g.finish();
    reset_peak_rss();
    let before = peak_rss_kib();
    let text = console.export_text(&account, None).unwrap();
    if let (Some(a), Some(b)) = (before, peak_rss_kib()) {
        println!(
            "export: {:.1} MB document; peak RSS {:.1} MiB (before it {:.1} MiB)",
            text.len() as f64 / 1e6,
            b as f64 / 1024.0,
            a as f64 / 1024.0
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
