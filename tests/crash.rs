//! Acknowledged changes survive kill -9 (DESIGN §7): a child keeps creating workspaces and notes
//! each one the CLI reported as done; it is killed with SIGKILL at random moments, many times.
//! After each kill the store must open cleanly and hold every acknowledged workspace.

#![cfg(unix)]

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "common/cli.rs"]
mod cli;

const ROUNDS: usize = 12;

/// SIGKILL to the child's whole process group (the shell and the dwc it is running).
fn kill_group(child: &mut std::process::Child) {
    let status = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{}", child.id())])
        .status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "could not kill the child's process group"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the child survived SIGKILL");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    let d = cli::Dwc::demo();
    let bin = assert_cmd::cargo::cargo_bin("dwc");
    let acked = d.dir.path().join("acked.txt");
    std::fs::write(&acked, "").unwrap();
    let mut next = 0usize;
    let mut seed = 0x9e3779b97f4a7c15u64;
    for round in 0..ROUNDS {
        // A shell loop: each `dwc workspace create` that exits 0 is acknowledged, and only then
        // written down.
        let script = format!(
            "i={next}; while true; do \"$DWC\" workspace create crash_$i >/dev/null 2>&1 && echo $i >> \"$ACKED\"; i=$((i+1)); done"
        );
        let mut child = Command::new("sh")
            .args(["-c", &script])
            .env("DWC", &bin)
            .env("DWC_STORE", &d.store)
            .env("DWC_STATE_DIR", d.dir.path().join("state"))
            .env("ACKED", &acked)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let wait = Duration::from_millis(150 + seed % 600);
        let start = Instant::now();
        while start.elapsed() < wait {
            std::thread::sleep(Duration::from_millis(10));
        }
        kill_group(&mut child);

        let acknowledged: Vec<usize> = std::fs::read_to_string(&acked)
            .unwrap()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect();
        next = acknowledged.iter().max().map_or(next, |m| m + 1) + 1000 * (round + 1);
        // Reopen: the store must open, and hold every acknowledged workspace. The killed dwc
        // (a grandchild) holds the store's lock until the kernel has finished tearing it down,
        // which may be a moment after its shell is gone: wait for that, briefly.
        let deadline = Instant::now() + Duration::from_secs(10);
        let out = loop {
            let out = d.run_as(None, "", &["-o", "json", "workspace", "list"]);
            if out.code == 6 && out.stderr.contains("in use") && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            break out;
        };
        assert_eq!(
            out.code, 0,
            "round {round}: the store did not reopen cleanly: {}",
            out.stderr
        );
        let names = out.names();
        for i in &acknowledged {
            assert!(
                names.contains(&format!("crash_{i}")),
                "round {round}: acknowledged crash_{i} is missing"
            );
        }
    }
    let total = std::fs::read_to_string(&acked).unwrap().lines().count();
    assert!(
        total >= ROUNDS,
        "the child acknowledged only {total} writes; the test did not exercise much"
    );
}
