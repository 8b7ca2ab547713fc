//! Virtual MFA devices (RFC 6238 TOTP): made and bound by a first code, asked for at every
//! log-on — the CLI (`DWC_MFA_CODE`), SSH keyboard-interactive after a password or a key — good
//! once each, and what `acs:MFAPresent` says. Unbinding needs the account.

#[path = "common/serve.rs"]
mod serve;

use std::path::Path;
use std::process::Command;

use dwc::console::mfa::code_at;
use serve::{ACCOUNT_PW, ALICE_PW, Served, dwc, have_ssh, keygen, ok, run, text};

/// Only with MFA may alice create workspaces.
const MFA_ONLY: &str = r#"{"Version": "1", "Statement": [{"Effect": "Allow",
  "Action": "dataworks:CreateProject", "Resource": "*",
  "Condition": {"Bool": {"acs:MFAPresent": "true"}}}]}"#;

fn as_acme(dir: &Path, args: &[&str]) -> String {
    let mut c = dwc(dir);
    c.args(args)
        .env("DWC_PASSWORD", ACCOUNT_PW)
        .env("DWC_NEW_PASSWORD", ALICE_PW);
    ok(c)
}

fn as_user(dir: &Path, user: &str, code: Option<&str>, args: &[&str]) -> (String, String, i32) {
    let mut c: Command = dwc(dir);
    c.arg("--user")
        .arg(user)
        .args(args)
        .env("DWC_PASSWORD", ALICE_PW);
    if let Some(code) = code {
        c.env("DWC_MFA_CODE", code);
    }
    text(&run(c, ""))
}

/// Makes and binds `user`'s device as `user`; returns its secret.
fn bind(dir: &Path, user: &str) -> String {
    let (out, err, code) = as_user(
        dir,
        user,
        None,
        &["-o", "json", "user", "mfa", "enable", user],
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let secret = v["secret"].as_str().unwrap().to_owned();
    assert!(
        v["uri"].as_str().unwrap().starts_with("otpauth://totp/"),
        "{out}"
    );
    let first = code_at(&secret, chrono::Utc::now()).unwrap();
    let (_, err, code) = as_user(
        dir,
        user,
        None,
        &["user", "mfa", "confirm", user, "--code", &first],
    );
    assert_eq!(code, 0, "{err}");
    secret
}

fn next_code(secret: &str) -> String {
    code_at(secret, chrono::Utc::now() + chrono::Duration::seconds(30)).unwrap()
}

#[test]
fn mfa_is_asked_at_every_log_on_is_good_once_and_is_what_mfa_present_says() {
    let store = tempfile::tempdir().unwrap();
    let dir = store.path().join("s");
    let mut c = dwc(&dir);
    c.args(["init", "--account", "acme", "--edition", "enterprise"])
        .env("DWC_PASSWORD", ACCOUNT_PW);
    ok(c);
    as_acme(&dir, &["user", "create", "alice"]);
    let doc = store.path().join("mfa-only.json");
    std::fs::write(&doc, MFA_ONLY).unwrap();
    as_acme(
        &dir,
        &[
            "policy",
            "create",
            "mfa-only",
            "--file",
            doc.to_str().unwrap(),
        ],
    );
    as_acme(&dir, &["policy", "attach", "mfa-only", "--user", "alice"]);

    // Without a device, no MFA: the policy's condition is false.
    let (_, err, code) = as_user(&dir, "alice", None, &["workspace", "create", "before_mfa"]);
    assert_eq!(code, 3, "{err}");

    // The table output shows the URI and a QR code; a bad first code binds nothing.
    let (out, err, code) = as_user(&dir, "alice", None, &["user", "mfa", "enable", "alice"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("otpauth://totp/dwc:alice?") && out.contains('█'),
        "{out}\n{err}"
    );
    let (_, err, code) = as_user(
        &dir,
        "alice",
        None,
        &["user", "mfa", "confirm", "alice", "--code", "000000"],
    );
    assert_eq!(code, 5, "{err}");
    assert!(
        err.contains("code: is not the authenticator's current 6-digit code"),
        "{err}"
    );
    let secret = bind(&dir, "alice");
    let out = as_acme(&dir, &["-o", "json", "user", "mfa", "show", "alice"]);
    assert!(out.contains("\"bound\""), "{out}");

    // Now the password alone is not enough, and says what is missing.
    let (_, err, code) = as_user(&dir, "alice", None, &["workspace", "list"]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("alice has MFA") && err.contains("DWC_MFA_CODE"),
        "{err}"
    );
    // With the code: in, and acs:MFAPresent is true.
    let code_now = next_code(&secret);
    let (out, err, code) = as_user(
        &dir,
        "alice",
        Some(&code_now),
        &["workspace", "create", "with_mfa"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("with_mfa"), "{out}");
    // A code is good once; a wrong one fails like a wrong password.
    let (_, err, code) = as_user(&dir, "alice", Some(&code_now), &["workspace", "list"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("log-on failed"), "{err}");
    let (_, err, code) = as_user(&dir, "alice", Some("123456"), &["workspace", "list"]);
    assert_eq!(code, 3, "{err}");

    // Every step is audited; the account unbinds.
    let audit = as_acme(&dir, &["audit", "list", "--limit", "50"]);
    assert!(
        audit.contains("ram:BindMFADevice") && audit.contains("ram:CreateVirtualMFADevice"),
        "{audit}"
    );
    assert!(audit.contains("wrong MFA code"), "{audit}");
    as_acme(&dir, &["user", "mfa", "disable", "alice"]);
    let (_, err, code) = as_user(&dir, "alice", None, &["workspace", "list"]);
    assert_eq!(
        code, 0,
        "without a device the password is enough again: {err}"
    );
}

#[test]
fn a_user_may_not_unbind_their_own_device() {
    let store = tempfile::tempdir().unwrap();
    let dir = store.path().join("s");
    let mut c = dwc(&dir);
    c.args(["init", "--account", "acme", "--edition", "enterprise"])
        .env("DWC_PASSWORD", ACCOUNT_PW);
    ok(c);
    as_acme(&dir, &["user", "create", "alice"]);
    let secret = bind(&dir, "alice");
    let code_now = next_code(&secret);
    let (_, err, code) = as_user(
        &dir,
        "alice",
        Some(&code_now),
        &["user", "mfa", "disable", "alice"],
    );
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("ram:UnbindMFADevice"), "{err}");
}

#[test]
fn ssh_asks_for_the_code_after_a_password_and_after_a_key() {
    if !have_ssh() {
        return;
    }
    let store = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let dir = store.path().join("s");
    let mut c = dwc(&dir);
    c.args(["init", "--account", "acme", "--edition", "enterprise"])
        .env("DWC_PASSWORD", ACCOUNT_PW);
    ok(c);
    for u in ["bob", "carol"] {
        as_acme(&dir, &["user", "create", u]);
    }
    let key = keygen(keys.path(), "carol_key");
    as_acme(
        &dir,
        &[
            "user",
            "key",
            "add",
            "carol",
            "--file",
            key.with_extension("pub").to_str().unwrap(),
        ],
    );
    // Each user's device has its own last code, so both log on in the same 30 seconds.
    let bob = bind(&dir, "bob");
    let carol = bind(&dir, "carol");
    let srv = Served::start(&dir, &["serve"]);

    // bob: password, then the code, both by keyboard-interactive.
    let (out, err, code) = text(&run(
        {
            let mut c = srv.with_mfa("bob", None, ALICE_PW, &next_code(&bob));
            c.args(["user", "show", "bob"]);
            c
        },
        "",
    ));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("bob"), "{out}");
    // A wrong code is refused like a wrong password.
    let (_, err, code) = text(&run(
        {
            let mut c = srv.with_mfa("bob", None, ALICE_PW, "000000");
            c.args(["user", "show", "bob"]);
            c
        },
        "",
    ));
    assert_eq!(code, 255, "{err}");

    // carol: her key, then only the code.
    let (out, err, code) = text(&run(
        {
            let mut c = srv.with_mfa("carol", Some(&key), "no password", &next_code(&carol));
            c.args(["user", "show", "carol"]);
            c
        },
        "",
    ));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("carol"), "{out}");
    // Her key alone is not enough.
    let (_, err, code) = text(&run(
        {
            let mut c = srv.with_key("carol", &key);
            c.args(["user", "show", "carol"]);
            c
        },
        "",
    ));
    assert_eq!(code, 255, "{err}");
}
