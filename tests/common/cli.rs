//! Running the real `dwc` binary on a temporary store: a directory (sled), or — in a test
//! binary whose name ends in `_postgres`, or with `DWC_TEST_STORE=postgres` — a new database
//! on a PostgreSQL server the binary starts for itself.
#![allow(dead_code)]

#[path = "servers.rs"]
pub mod servers;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub const ACCOUNT_PW: &str = "acme-password-1";

pub struct Dwc {
    /// Files the test writes; the store itself when on sled.
    pub dir: TempDir,
    /// `--store`: the directory, or the database's URL.
    pub store: String,
}

/// Whether this binary's stores are PostgreSQL databases.
pub fn on_postgres() -> bool {
    if std::env::var("DWC_TEST_STORE").as_deref() == Ok("postgres") {
        return true;
    }
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .is_some_and(|n| n.split('-').next().unwrap_or("").ends_with("_postgres"))
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Out {
    fn from(o: std::process::Output) -> Out {
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Out {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    pub fn err_json(&self) -> Value {
        serde_json::from_str(self.stderr.trim())
            .unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {}", self.stderr))
    }

    pub fn names(&self) -> Vec<String> {
        self.json()
            .as_array()
            .expect("a JSON list")
            .iter()
            .map(|o| o["name"].as_str().expect("a name").to_owned())
            .collect()
    }
}

impl Dwc {
    /// A store made by `dwc init` for account acme (Enterprise unless told).
    /// An empty place for a store: a new directory, or a new database.
    pub fn fresh() -> Dwc {
        let dir = tempfile::tempdir().unwrap();
        let store = match on_postgres().then(servers::Postgres::shared) {
            Some(Some(pg)) => pg.new_database(),
            Some(None) => {
                eprintln!("PostgreSQL is not installed: this test runs on a directory store");
                dir.path().display().to_string()
            }
            None => dir.path().display().to_string(),
        };
        Dwc { dir, store }
    }

    /// Whether this one's store is a database.
    pub fn is_postgres(&self) -> bool {
        self.store.starts_with("postgres://")
    }

    /// Everything the store holds as bytes: its files, or a dump of its database.
    pub fn stored_bytes(&self) -> Vec<u8> {
        if self.is_postgres() {
            let bin = std::fs::read_dir("/usr/lib/postgresql")
                .unwrap()
                .filter_map(|e| e.ok().map(|e| e.path().join("bin/pg_dump")))
                .find(|p| p.exists())
                .expect("pg_dump");
            let o = std::process::Command::new(bin)
                .arg(&self.store)
                .output()
                .expect("pg_dump");
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            return o.stdout;
        }
        let mut out = Vec::new();
        let mut walk = vec![self.dir.path().to_path_buf()];
        while let Some(d) = walk.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk.push(p);
                } else if let Ok(b) = std::fs::read(&p) {
                    out.extend(b);
                }
            }
        }
        out
    }

    pub fn init(edition: &str) -> Dwc {
        let d = Dwc::fresh();
        let o = d.run_as(
            None,
            ACCOUNT_PW,
            &["init", "--account", "acme", "--edition", edition],
        );
        assert_eq!(o.code, 0, "init: {}", o.stderr);
        d
    }

    /// An open demo store.
    pub fn demo() -> Dwc {
        let d = Dwc::fresh();
        let o = d.run_as(None, "", &["demo"]);
        assert_eq!(o.code, 0, "demo: {}", o.stderr);
        // Two lines: what was made, then how to act in it.
        let lines: Vec<&str> = o.stdout.lines().collect();
        assert!(
            lines.len() == 2 && lines[1].starts_with("It is an open store"),
            "{}",
            o.stdout
        );
        d
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("dwc").unwrap();
        c.env("DWC_STORE", &self.store)
            .env("DWC_STATE_DIR", self.dir.path().join("state"))
            .env_remove("DWC_USER")
            .env_remove("DWC_PASSWORD")
            .env_remove("DWC_NEW_PASSWORD")
            // Jobs finish as soon as they start unless a test asks for time to pass.
            .env("DWC_JOB_SECONDS", "0");
        c
    }

    /// Runs as `user` (None: the account) with `password`.
    pub fn run_as(&self, user: Option<&str>, password: &str, args: &[&str]) -> Out {
        let mut c = self.cmd();
        if let Some(u) = user {
            c.args(["--user", u]);
        }
        if !password.is_empty() {
            c.env("DWC_PASSWORD", password);
        }
        c.args(args).output().unwrap().into()
    }

    /// As the account.
    pub fn run(&self, args: &[&str]) -> Out {
        self.run_as(None, ACCOUNT_PW, args)
    }

    pub fn ok(&self, args: &[&str]) -> Out {
        let o = self.run(args);
        assert_eq!(o.code, 0, "dwc {args:?} failed: {}", o.stderr);
        o
    }

    /// Creates a RAM user whose password is `<name>-password`.
    pub fn user(&self, name: &str) {
        let o = self
            .cmd()
            .env("DWC_PASSWORD", ACCOUNT_PW)
            .env("DWC_NEW_PASSWORD", format!("{name}-password"))
            .args(["user", "create", name])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "user create {name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }

    pub fn as_user(&self, name: &str, args: &[&str]) -> Out {
        self.run_as(Some(name), &format!("{name}-password"), args)
    }
}
