//! `dwc serve` through the real OpenSSH client (DESIGN §12): log-on by key and password,
//! refusals and the lock-out with their audit, commands with their output, exit codes and
//! stdin, the host key across restarts, the store's owner named to a local process, SIGTERM.

#[path = "common/serve.rs"]
mod serve;
#[path = "common/tmux.rs"]
mod tmux;

use std::path::Path;

use serve::{ACCOUNT_PW, ALICE_PW, Served, dwc, have_ssh, keygen, ok, run, text};

/// A password store: the account, alice with a password and a key, finance_etl with alice as
/// a developer.
fn tenant(dir: &Path, keys: &Path) -> std::path::PathBuf {
    let mut c = dwc(dir);
    c.args(["init", "--account", "acme", "--edition", "enterprise"])
        .env("DWC_PASSWORD", ACCOUNT_PW);
    ok(c);
    let as_acme = |args: &[&str]| {
        let mut c = dwc(dir);
        c.args(args)
            .env("DWC_PASSWORD", ACCOUNT_PW)
            .env("DWC_NEW_PASSWORD", ALICE_PW);
        ok(c)
    };
    as_acme(&["user", "create", "alice"]);
    as_acme(&["workspace", "create", "finance_etl"]);
    as_acme(&[
        "member",
        "add",
        "finance_etl",
        "alice",
        "--role",
        "development",
    ]);
    let key = keygen(keys, "alice_key");
    let pubkey = key.with_extension("pub");
    let out = as_acme(&[
        "user",
        "key",
        "add",
        "alice",
        "--file",
        pubkey.to_str().unwrap(),
        "--name",
        "laptop",
    ]);
    assert!(out.contains("added key laptop (SHA256:"), "{out}");
    key
}

/// The audit log as the account reads it over SSH: (action, principal, outcome, detail).
fn audit(srv: &Served, acme_key: &Path) -> Vec<(String, String, String, String)> {
    let o = srv
        .with_key("acme", acme_key)
        .args(["audit", "list", "--limit", "500", "-o", "json"])
        .output()
        .unwrap();
    let (out, err, code) = text(&o);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            (s("name"), s("principal"), s("outcome"), s("detail"))
        })
        .collect()
}

/// The account's own key, registered locally before serving.
fn account_key(dir: &Path, keys: &Path) -> std::path::PathBuf {
    let key = keygen(keys, "acme_key");
    let mut c = dwc(dir);
    c.args(["user", "key", "add", "acme", "--file"])
        .arg(key.with_extension("pub"))
        .env("DWC_PASSWORD", ACCOUNT_PW);
    ok(c);
    key
}

#[test]
fn commands_over_ssh_log_on_by_key_and_answer_like_the_local_binary() {
    if !have_ssh() {
        return;
    }
    let keys = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    let dir = store.path().join("s");
    let alice = tenant(&dir, keys.path());
    let acme = account_key(&dir, keys.path());
    let srv = Served::start(&dir, &["serve"]);

    // JSON on stdout, exit 0.
    let (out, err, code) = text(
        &srv.with_key("alice", &alice)
            .args(["workspace", "list", "-o", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["name"], "finance_etl");
    assert_eq!(v[0]["my_roles"][0], "Development");

    // Denied (3), not found (4), invalid (5): the error on stderr, the code as the exit status.
    let (_, err, code) = text(
        &srv.with_key("alice", &alice)
            .args(["workspace", "create", "alice_ws"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("denied: dataworks:CreateProject"), "{err}");
    let (_, err, code) = text(
        &srv.with_key("alice", &alice)
            .args(["workspace", "show", "nope"])
            .output()
            .unwrap(),
    );
    assert_eq!((code, err.trim()), (4, "dwc: not found: workspace nope"));
    let (_, err, code) = text(
        &srv.with_key("acme", &acme)
            .args(["workspace", "create", "1bad", "-o", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 5, "{err}");
    let e: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
    assert_eq!(e["error"], "Invalid");

    // Standard input reaches the command: a policy document from stdin.
    let doc = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"dataworks:List*","Resource":"*"}]}"#;
    let (out, err, code) = text(&run(
        {
            let mut c = srv.with_key("acme", &acme);
            c.args(["policy", "create", "lister", "--file", "-"]);
            c
        },
        doc,
    ));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created policy lister"), "{out}");
    let (out, _, _) = text(
        &srv.with_key("acme", &acme)
            .args(["policy", "show", "lister", "-o", "json"])
            .output()
            .unwrap(),
    );
    assert!(out.contains("dataworks:List*"), "{out}");

    // A policy on the source address sees the SSH client's: 127.0.0.1 is outside the office.
    let office = r#"{"Version":"1","Statement":[{"Sid":"OfficeOnly","Effect":"Deny","Action":"dataworks:*","Resource":"*","Condition":{"NotIpAddress":{"acs:SourceIp":["192.0.2.0/24"]}}}]}"#;
    let (_, err, code) = text(&run(
        {
            let mut c = srv.with_key("acme", &acme);
            c.args(["policy", "create", "office", "--file", "-"]);
            c
        },
        office,
    ));
    assert_eq!(code, 0, "{err}");
    let (_, err, code) = text(
        &srv.with_key("acme", &acme)
            .args(["policy", "attach", "office", "--user", "alice"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "{err}");
    let (_, err, code) = text(
        &srv.with_key("alice", &alice)
            .args(["workspace", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("Statement[0] (Sid OfficeOnly)"), "{err}");
    let (_, err, code) = text(
        &srv.with_key("acme", &acme)
            .args(["policy", "detach", "office", "--user", "alice"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "{err}");

    // Options that pick a store or a user, and the server's files, are not the client's.
    let (_, err, code) = text(
        &srv.with_key("alice", &alice)
            .args(["--", "--store", "/tmp", "workspace", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--store cannot be given over SSH"), "{err}");
    let (_, err, code) = text(
        &srv.with_key("acme", &acme)
            .args(["policy", "create", "x", "--file", "/etc/passwd"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("only `-` (standard input)"), "{err}");

    // A local dwc is told who serves the store and how to reach it.
    let o = {
        let mut c = dwc(&dir);
        c.args(["workspace", "list"])
            .env("DWC_PASSWORD", ACCOUNT_PW);
        c.output().unwrap()
    };
    let (_, err, code) = text(&o);
    assert_eq!(code, 6, "{err}");
    assert!(
        err.contains("is served by dwc serve (pid")
            && err.contains(&format!("ssh -p {} USER@127.0.0.1", srv.port)),
        "{err}"
    );

    // Keys are managed over SSH too: alice lists her own, not others'.
    let (out, _, code) = text(
        &srv.with_key("alice", &alice)
            .args(["user", "key", "list", "alice"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0);
    assert!(out.contains("laptop") && out.contains("SHA256:"), "{out}");
    let (_, _, code) = text(
        &srv.with_key("alice", &alice)
            .args(["user", "key", "list", "acme"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 3);

    // The key log-ons were audited with where they came from and how.
    let events = audit(&srv, &acme);
    assert!(
        events.iter().any(|(a, p, o, d)| a == "dwc:LogOn"
            && p == "alice"
            && o == "ok"
            && d.contains("from 127.0.0.1")
            && d.contains("publickey")),
        "{events:?}"
    );
}

#[test]
fn refused_keys_and_passwords_are_audited_and_five_failures_lock_the_user_out() {
    if !have_ssh() {
        return;
    }
    let keys = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    let dir = store.path().join("s");
    tenant(&dir, keys.path());
    let acme = account_key(&dir, keys.path());
    let stranger = keygen(keys.path(), "stranger");
    let srv = Served::start(&dir, &["serve"]);

    // A key alice never registered: refused like any failed log-on (ssh's 255).
    let (_, err, code) = text(
        &srv.with_key("alice", &stranger)
            .args(["workspace", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 255, "{err}");
    assert!(err.contains("Permission denied"), "{err}");

    // Her password works, by password and by keyboard-interactive.
    for method in ["password", "keyboard-interactive"] {
        let (out, err, code) = text(&run(
            {
                let mut c = srv.with_password("alice", ALICE_PW, method);
                c.args(["workspace", "list"]);
                c
            },
            "",
        ));
        assert_eq!(code, 0, "{method}: {err}");
        assert!(out.contains("finance_etl"), "{out}");
    }

    // An unknown user and a wrong password look alike to the client.
    let attempt = |user: &str, pw: &str| {
        text(&run(
            {
                let mut c = srv.with_password(user, pw, "password");
                c.args(["workspace", "list"]);
                c
            },
            "",
        ))
    };
    let (_, unknown, code_unknown) = attempt("nobody", "whatever it is");
    let (_, wrong, code_wrong) = attempt("alice", "not her password");
    assert_eq!((code_unknown, code_wrong), (255, 255));
    assert_eq!(
        unknown.replace("nobody", "X"),
        wrong.replace("alice", "X"),
        "refusals must not tell who exists"
    );

    // Four more wrong passwords make five: alice is locked out, and told so even with the
    // right password.
    for _ in 0..4 {
        assert_eq!(attempt("alice", "still not it").2, 255);
    }
    let (_, err, code) = attempt("alice", ALICE_PW);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("too many failed attempts"), "{err}");

    let events = audit(&srv, &acme);
    let denied = |p: &str, needle: &str| {
        events.iter().any(|(a, who, o, d)| {
            a == "dwc:LogOn" && who == p && o == "denied" && d.contains(needle)
        })
    };
    assert!(denied("alice", "public key not registered"), "{events:?}");
    assert!(denied("alice", "wrong password"), "{events:?}");
    assert!(denied("nobody", "unknown user"), "{events:?}");
    assert!(denied("alice", "locked out"), "{events:?}");
    assert!(
        events
            .iter()
            .any(|(a, who, _, _)| a == "dwc:LockOut" && who == "alice"),
        "{events:?}"
    );
    assert!(
        events.iter().any(|(a, who, o, d)| a == "dwc:LogOn"
            && who == "alice"
            && o == "ok"
            && d.contains("keyboard-interactive")),
        "{events:?}"
    );

    // The account clears it.
    let (_, err, code) = text(
        &srv.with_key("acme", &acme)
            .args(["user", "unlock", "alice"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(attempt("alice", ALICE_PW).2, 0);
}

#[test]
fn the_host_key_is_made_once_and_kept_across_restarts() {
    if !have_ssh() {
        return;
    }
    let store = tempfile::tempdir().unwrap();
    let dir = store.path().join("s");
    let mut c = dwc(&dir);
    c.arg("demo");
    ok(c);
    let mut first = Served::start(&dir, &["serve"]);
    let (out, err, code) = text(
        &first
            .open("alice")
            .args(["workspace", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("finance_etl"));
    assert!(first.terminate().success());
    let fp = first.fingerprint.clone();
    let known = std::fs::read_to_string(first.home.path().join("known_hosts")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("ssh_host_ed25519_key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let second = Served::start(&dir, &["serve"]);
    assert_eq!(second.fingerprint, fp);
    // The first run's known_hosts entry, under another port, still names this key.
    let entry = known
        .split_whitespace()
        .skip(1)
        .collect::<Vec<_>>()
        .join(" ");
    std::fs::write(
        second.home.path().join("known_hosts"),
        format!("[127.0.0.1]:{} {entry}\n", second.port),
    )
    .unwrap();
    let o = second
        .open_with("bob", &["-o", "StrictHostKeyChecking=yes"])
        .args(["workspace", "list"])
        .output()
        .unwrap();
    let (_, err, code) = text(&o);
    assert_eq!(code, 0, "the known host key was refused: {err}");
}

#[test]
fn sigterm_tells_open_consoles_restores_their_terminals_and_exits_0() {
    if !have_ssh() || !tmux::available() {
        return;
    }
    let store = tempfile::tempdir().unwrap();
    let dir = store.path().join("s");
    let mut srv = Served::start(&dir, &["demo", "--serve"]);
    let t = tmux::Tmux::new("serve");
    let ssh = format!(
        "ssh -tt -p {} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o PubkeyAuthentication=no -F /dev/null alice@127.0.0.1; echo ssh-exited-$?; sleep 30",
        srv.port
    );
    t.session("t", 100, 30, &ssh);
    t.wait_for("t", "Overview");
    assert!(srv.terminate().success(), "dwc serve exits 0 on SIGTERM");
    let s = t.wait_for("t", "ssh-exited-0");
    assert!(s.contains("dwc is shutting down"), "{s}");
    // The alternate screen is gone: the console's frame no longer shows.
    assert!(!s.contains("1 Overview"), "{s}");
}

#[test]
fn the_session_limit_refuses_more_and_a_dropped_connection_frees_its_place() {
    if !have_ssh() {
        return;
    }
    let store = tempfile::tempdir().unwrap();
    let dir = store.path().join("s");
    let mut c = dwc(&dir);
    c.arg("demo");
    ok(c);
    std::fs::write(dir.join("serve.toml"), "max_sessions = 1\n").unwrap();
    let srv = Served::start(&dir, &["serve"]);
    // A console holds the one place: it has drawn its first frame before anyone else asks
    // (else the first command could take the place and the console be the one refused).
    let mut console = srv
        .open_with("alice", &["-tt"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut screen = console.stdout.take().unwrap();
    let (drawn, seen) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::Read;
        let mut buf = [0u8; 4096];
        let mut seen = Vec::new();
        let mut sent = false;
        // Read to the end, so the console never blocks on a full pipe.
        while let Ok(n) = screen.read(&mut buf) {
            if n == 0 {
                break;
            }
            if !sent {
                seen.extend_from_slice(&buf[..n]);
                // The end of a synchronized update: a frame was drawn (a client without a
                // terminal has no size, so it says only that the terminal is too small).
                if String::from_utf8_lossy(&seen).contains("\x1b[?2026l") {
                    let _ = drawn.send(());
                    sent = true;
                }
            }
        }
    });
    seen.recv_timeout(std::time::Duration::from_secs(20))
        .expect("the console draws its first frame");
    let list = || {
        text(
            &srv.open("acme")
                .args(["session", "list", "-o", "json"])
                .output()
                .unwrap(),
        )
    };
    let start = std::time::Instant::now();
    let refused = loop {
        let (_, err, code) = list();
        if code == 5 {
            break err;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "never refused: {err}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(
        refused.contains("the server has 1 sessions open"),
        "{refused}"
    );
    // The client goes away without a goodbye: its session ends and its place is free.
    console.kill().unwrap();
    let _ = console.wait();
    let start = std::time::Instant::now();
    let sessions = loop {
        let (out, err, code) = list();
        if code == 0 {
            break out;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "still refused: {err}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let v: serde_json::Value = serde_json::from_str(&sessions).unwrap();
    let users: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["user"].as_str().unwrap())
        .collect();
    assert_eq!(users, ["acme"], "only the command asking is open");
    // A bad config file is refused with its line.
    let mut bad = dwc(&dir);
    drop(srv);
    std::fs::write(dir.join("serve.toml"), "max_sessions = 1\nidle = 3\n").unwrap();
    bad.args(["serve", "--listen", "127.0.0.1:0"]);
    let (_, err, code) = text(&bad.output().unwrap());
    assert_eq!(code, 5, "{err}");
    assert!(
        err.contains("serve.toml:2") && err.contains("unknown field `idle`"),
        "{err}"
    );
}
