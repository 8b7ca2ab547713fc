//! What bad input and a hostile terminal found (issue: hardening), each through the real binary:
//! long values, terminal escapes and bidirectional overrides, unbounded reads, a closed pipe and
//! a full disk.

#[path = "common/cli.rs"]
mod cli;

use std::process::{Command, Stdio};

use cli::{ACCOUNT_PW, Dwc};

#[test]
fn a_long_name_in_a_failed_log_on_is_audited_shortened_and_every_listing_prints() {
    let d = Dwc::init("enterprise");
    let long = "u".repeat(65_536);
    let o = d.run_as(Some(&long), "whatever it is", &["workspace", "list"]);
    assert_eq!(o.code, 3, "{}", o.stderr);
    assert!(
        o.stderr.len() < 500,
        "the error quotes no 65,536-character value"
    );
    let audit = d.ok(&["audit", "list"]);
    assert!(audit.stdout.contains("dwc:LogOn"));
    assert!(
        !audit.stdout.contains(&"u".repeat(65)),
        "recorded shortened"
    );
    // A refused 70,000-character name: a short error, a shortened audit record, and the log
    // still lists (a cell wider than 65,535 panicked in formatting).
    let o = d.run(&["workspace", "create", &"w".repeat(70_000)]);
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(o.stderr.len() < 1_000, "{} bytes of error", o.stderr.len());
    let audit = d.ok(&["audit", "list"]);
    assert!(!audit.stdout.contains(&"w".repeat(300)));
}

#[test]
fn terminal_escapes_are_shown_escaped_and_bidi_overrides_refused() {
    let d = Dwc::init("enterprise");
    let evil = "evil\u{1b}[2J\u{1b}]0;pwned\u{7}";
    assert_eq!(d.run_as(Some(evil), "x", &["workspace", "list"]).code, 3);
    let o = d.run_as(Some(evil), "x", &["workspace", "show", evil]);
    assert!(!o.stderr.contains('\u{1b}'), "{:?}", o.stderr);
    let audit = d.ok(&["audit", "list"]);
    assert!(!audit.stdout.contains('\u{1b}') && !audit.stdout.contains('\u{7}'));
    let json = d.ok(&["audit", "list", "-o", "json"]);
    assert!(!json.stdout.contains('\u{1b}'));
    // A display name that would read backwards is refused, with the rule.
    let o = d.run(&[
        "workspace",
        "create",
        "rtl_ws",
        "--display-name",
        "invoice\u{202e}fdp.exe",
    ]);
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(
        o.stderr.contains("display_name") && o.stderr.contains("bidirectional control"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains('\u{202e}'));
}

/// Runs with standard input connected to `file` itself (never read into this process).
fn with_stdin_from(d: &Dwc, file: &str, args: &[&str]) -> cli::Out {
    Command::new(assert_cmd::cargo::cargo_bin("dwc"))
        .env("DWC_STORE", d.dir.path())
        .env_remove("DWC_USER")
        .env("DWC_PASSWORD", ACCOUNT_PW)
        .args(args)
        .stdin(Stdio::from(std::fs::File::open(file).unwrap()))
        .output()
        .unwrap()
        .into()
}

#[test]
fn every_read_is_bounded_and_refused_with_the_field_and_the_limit() {
    let d = Dwc::init("enterprise");
    let o = d.run(&["policy", "create", "zero", "--file", "/dev/zero"]);
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(
        o.stderr.contains("file: is larger than 24576 bytes"),
        "{}",
        o.stderr
    );
    let big = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        big.path(),
        format!(
            "{{\"Version\":\"1\",\"Statement\":[]{}}}",
            " ".repeat(50_000)
        ),
    )
    .unwrap();
    let o = d.run(&[
        "policy",
        "create",
        "big",
        "--file",
        big.path().to_str().unwrap(),
    ]);
    assert_eq!(o.code, 5, "a 50 KB policy is refused: {}", o.stderr);
    let mid = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        mid.path(),
        format!(
            "{{\"Version\":\"1\",\"Statement\":[]{}}}",
            " ".repeat(7_000)
        ),
    )
    .unwrap();
    let o = d.run(&[
        "policy",
        "create",
        "mid",
        "--file",
        mid.path().to_str().unwrap(),
    ]);
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(
        o.stderr.contains("6144"),
        "RAM's limit is named: {}",
        o.stderr
    );
    d.ok(&["workspace", "create", "ds_ws"]);
    let o = with_stdin_from(
        &d,
        "/dev/zero",
        &[
            "ds",
            "create",
            "ds_ws",
            "orders",
            "--type",
            "mysql",
            "--host",
            "db.internal",
            "--port",
            "3306",
            "--database",
            "orders",
            "--username",
            "etl",
            "--password-stdin",
        ],
    );
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(
        o.stderr.contains("password: is larger than 4096 bytes"),
        "{}",
        o.stderr
    );
    let o = with_stdin_from(&d, "/dev/zero", &["apply", "-f", "-", "--dry-run"]);
    assert_eq!(o.code, 5, "{}", o.stderr);
}

#[test]
fn a_closed_pipe_ends_quietly_and_a_full_disk_is_an_error() {
    let d = Dwc::demo();
    let bin = assert_cmd::cargo::cargo_bin("dwc");
    let mut export = Command::new(&bin)
        .env("DWC_STORE", d.dir.path())
        .env_remove("DWC_USER")
        .args(["export"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then go away like `head -c1`.
    {
        use std::io::Read;
        let mut out = export.stdout.take().unwrap();
        let mut one = [0u8; 1];
        out.read_exact(&mut one).unwrap();
    }
    let o = export.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    if std::path::Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = Command::new(&bin)
            .env("DWC_STORE", d.dir.path())
            .env_remove("DWC_USER")
            .args(["export"])
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains("No space left on device") && !err.contains("panicked"),
            "{err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn the_store_is_private_whatever_the_umask_and_an_open_one_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let top = tempfile::tempdir().unwrap();
    let dir = top.path().join("store");
    let bin = assert_cmd::cargo::cargo_bin("dwc");
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 000; exec '{}' --store '{}' demo",
            bin.display(),
            dir.display()
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    let mut files = vec![dir.clone()];
    while let Some(d) = files.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                assert_eq!(mode(&p), 0o700, "{}", p.display());
                files.push(p);
            } else {
                assert_eq!(mode(&p), 0o600, "{}", p.display());
            }
        }
    }
    let run = || {
        Command::new(&bin)
            .arg("--store")
            .arg(&dir)
            .args(["workspace", "list"])
            .env_remove("DWC_USER")
            .output()
            .unwrap()
    };
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = run();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("can be read by other users (mode 0755)") && err.contains("chmod 700"),
        "{err}"
    );
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let o = run();
    assert_eq!(o.status.code(), Some(6));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("can be written by other users (mode 0777)") && err.contains("chmod 700"),
        "{err}"
    );
}

#[test]
fn a_demo_killed_half_way_leaves_no_store_and_the_next_one_is_whole() {
    let top = tempfile::tempdir().unwrap();
    let dir = top.path().join("demo");
    let bin = assert_cmd::cargo::cargo_bin("dwc");
    for wait_ms in [50u64, 200, 600] {
        let mut child = Command::new(&bin)
            .arg("--store")
            .arg(&dir)
            .args(["demo", "--scale", "2000"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            // It finished first: the store is whole; start over for the next kill.
            std::fs::remove_dir_all(&dir).unwrap();
            continue;
        }
        assert!(
            !dir.join("db").exists(),
            "a killed demo left part of a store"
        );
    }
    let o = Command::new(&bin)
        .arg("--store")
        .arg(&dir)
        .arg("demo")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let shown = Command::new(&bin)
        .arg("--store")
        .arg(&dir)
        .args(["workspace", "show", "finance_etl", "-o", "json"])
        .env_remove("DWC_USER")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let members = Command::new(&bin)
        .arg("--store")
        .arg(&dir)
        .args(["member", "list", "finance_etl", "-o", "json"])
        .env_remove("DWC_USER")
        .output()
        .unwrap();
    let m: serde_json::Value = serde_json::from_slice(&members.stdout).unwrap();
    assert_eq!(v["members"], serde_json::json!(m.as_array().unwrap().len()));
    assert!(!top.path().join(".demo.building").exists());
}

#[test]
fn contacts_and_access_key_ids_are_masked_for_those_who_do_not_manage_them() {
    let d = Dwc::demo();
    let as_who = |user: Option<&str>, args: &[&str]| d.run_as(user, "", args);
    let full = as_who(None, &["alert", "contact", "list", "-o", "json"]).json();
    // Sorted by name: Data platform team, Finance lead, On-call DBA.
    assert_eq!(full[0]["phone"], "+86 13900002222");
    assert_eq!(full[0]["webhook"], "https://hooks.acme.example/dataworks");
    let o = as_who(Some("alice"), &["alert", "contact", "list", "-o", "json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let masked = o.json();
    assert_eq!(masked[0]["phone"], "+86 139****2222");
    assert_eq!(masked[0]["email"], "d***@acme.example");
    assert_eq!(masked[0]["webhook"], "https://hooks.acme.example/…");
    assert_eq!(masked[2]["phone"], "+86 138****1111");
    let o = as_who(Some("alice"), &["ds", "list", "finance_etl", "-o", "json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!o.stdout.contains("LTAIdemoFinance"), "{}", o.stdout);
    assert!(o.stdout.contains("****ance"), "{}", o.stdout);
    let o = as_who(None, &["ds", "list", "finance_etl", "-o", "json"]);
    assert!(o.stdout.contains("LTAIdemoFinance"));
}

#[test]
fn smaller_things_negative_numbers_empty_documents_and_audit_times() {
    let d = Dwc::demo();
    let run = |args: &[&str]| d.run_as(None, "", args);
    for (args, want) in [
        (
            vec!["rg", "create", "neg_rg", "--spec", "-1"],
            "spec: must be between",
        ),
        (
            vec!["rg", "renew", "rg_etl_hz", "--months", "-3"],
            "months: must be one of",
        ),
        (
            vec![
                "ds",
                "create",
                "finance_etl",
                "neg_ds",
                "--type",
                "mysql",
                "--host",
                "h",
                "--port",
                "-1",
                "--database",
                "d",
                "--username",
                "u",
            ],
            "port: must be a number between 1 and 65535",
        ),
    ] {
        let o = run(&args);
        assert_eq!(o.code, 5, "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains(want), "{args:?}: {}", o.stderr);
    }
    let empty = tempfile::NamedTempFile::new().unwrap();
    let o = run(&[
        "policy",
        "create",
        "empty",
        "--file",
        empty.path().to_str().unwrap(),
    ]);
    assert_eq!(o.code, 5);
    assert_eq!(o.stderr.matches("document:").count(), 1, "{}", o.stderr);
    // An action dwc has no operation for is named, not silently accepted.
    let magic = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        magic.path(),
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["dataworks:DoMagic","dataworks:CreateWorkspace"],"Resource":"*"}]}"#,
    )
    .unwrap();
    let o = run(&[
        "policy",
        "create",
        "magic",
        "--file",
        magic.path().to_str().unwrap(),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("warning: Statement[0].Action: dataworks:DoMagic matches no operation"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("CreateWorkspace"), "{}", o.stderr);
    let audit = run(&["audit", "list", "-o", "json"]).json();
    let t = audit[0]["time"].as_str().unwrap();
    assert!(t.starts_with("20") && t.ends_with(" UTC"), "{t}");
}

#[test]
fn a_hash_made_with_a_lower_argon2_cost_is_upgraded_at_the_next_log_on() {
    let d = Dwc::init("enterprise");
    d.user("alice");
    let hash_of = |name: &str| {
        let store = dwc::store::Store::open(d.dir.path(), false).unwrap();
        let u: dwc::console::UserRecord = store
            .get(dwc::store::T::Users, name.as_bytes())
            .unwrap()
            .unwrap();
        u.password_hash.unwrap()
    };
    let before = hash_of("alice");
    assert!(before.contains("m=19456,t=2,p=1"), "{before}");
    let o = d
        .cmd()
        .env("DWC_ARGON2", "m=32768,t=3,p=1")
        .env("DWC_PASSWORD", "alice-password")
        .args(["--user", "alice", "workspace", "list"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let after = hash_of("alice");
    assert!(after.contains("m=32768,t=3,p=1"), "{after}");
    // The same password still logs on, at either cost.
    assert_eq!(d.as_user("alice", &["workspace", "list"]).code, 0);
    let o = d
        .cmd()
        .env("DWC_ARGON2", "m=1024,t=1,p=1")
        .env("DWC_PASSWORD", ACCOUNT_PW)
        .args(["workspace", "list"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(5), "below OWASP's minimum is refused");
    assert!(String::from_utf8_lossy(&o.stderr).contains("DWC_ARGON2: must be"));
}
