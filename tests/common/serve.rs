//! A real `dwc serve` on a free loopback port over a temp store, and the real OpenSSH client to
//! reach it. Where `ssh` is not installed the test says so and skips — except under CI
//! (`CI=true`), where that fails the run (`.ci/run` installs openssh-client).
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const ACCOUNT_PW: &str = "account password 1";
pub const ALICE_PW: &str = "alice password 1";

pub fn have_ssh() -> bool {
    let ok = Command::new("ssh")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
        && Command::new("ssh-keygen").arg("-?").output().is_ok();
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "ssh is missing on CI: .ci/run must install openssh-client"
        );
        eprintln!("skipped: the OpenSSH client is not installed (apt-get install openssh-client)");
    }
    ok
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

pub fn dwc(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dwc"));
    c.arg("--store").arg(dir);
    c.env_remove("DWC_USER")
        .env_remove("DWC_STORE")
        .env_remove("DWC_PASSWORD")
        .env_remove("DWC_NEW_PASSWORD");
    c
}

/// Runs a local command and insists it succeeded.
pub fn ok(mut c: Command) -> String {
    let o = c.output().expect("dwc runs");
    assert!(
        o.status.success(),
        "{c:?} failed: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A key pair made by ssh-keygen.
pub fn keygen(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let o = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&path)
        .output()
        .expect("ssh-keygen runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    path
}

pub struct Served {
    pub dir: PathBuf,
    pub port: u16,
    pub fingerprint: String,
    pub child: Child,
    /// Where clients keep their files (keys, known_hosts, askpass).
    pub home: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// Starts `dwc serve` (or another serving command) on `dir` and waits until it listens.
    pub fn start(dir: &Path, args: &[&str]) -> Served {
        Served::start_with(dir, args, &[])
    }

    /// `start`, with more environment for the server (`DWC_STATE_DIR` for a database).
    pub fn start_with(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Served {
        let port = free_port();
        let listen = format!("127.0.0.1:{port}");
        let mut cmd = dwc(dir);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.args(args)
            .arg("--listen")
            .arg(&listen)
            .env("DWC_JOB_SECONDS", "2")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().expect("dwc serve starts");
        let out = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let start = Instant::now();
        let mut fingerprint = String::new();
        while start.elapsed() < Duration::from_secs(60) {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(line) => {
                    if let Some(f) = line.strip_prefix("host key: ") {
                        fingerprint = f.to_owned();
                    }
                    if line.starts_with("connect:") {
                        break;
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    if let Ok(Some(status)) = child.try_wait() {
                        panic!("dwc serve exited ({status}) before listening");
                    }
                }
                Err(_) => panic!("dwc serve closed its output before listening"),
            }
        }
        assert!(!fingerprint.is_empty(), "dwc serve printed no host key");
        let home = tempfile::tempdir().unwrap();
        let askpass = home.path().join("askpass.sh");
        std::fs::write(&askpass, "#!/bin/sh\nprintf '%s\\n' \"$DWC_TEST_SECRET\"\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&askpass, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        Served {
            dir: dir.to_path_buf(),
            port,
            fingerprint,
            child,
            home,
        }
    }

    fn base(&self, user: &str) -> Command {
        let mut c = Command::new("ssh");
        // Options given later win over these only if given before them: ssh keeps the first.
        c.arg("-p")
            .arg(self.port.to_string())
            .arg("-o")
            .arg(format!(
                "UserKnownHostsFile={}",
                self.home.path().join("known_hosts").display()
            ))
            .args(["-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10"])
            .args(["-F", "/dev/null"])
            .arg("-l")
            .arg(user);
        c.env_remove("SSH_AUTH_SOCK");
        c
    }

    /// `ssh` logging on with `key` only.
    pub fn with_key(&self, user: &str, key: &Path) -> Command {
        let mut c = self.base(user);
        c.args(["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes"])
            .args(["-o", "PreferredAuthentications=publickey"])
            .arg("-i")
            .arg(key)
            .args(["-o", "StrictHostKeyChecking=accept-new"])
            .arg("127.0.0.1");
        c
    }

    /// `ssh` logging on with a password typed by SSH_ASKPASS, by `method` (password or
    /// keyboard-interactive).
    pub fn with_password(&self, user: &str, password: &str, method: &str) -> Command {
        let mut c = self.base(user);
        c.args(["-o", "BatchMode=no", "-o", "NumberOfPasswordPrompts=1"])
            .arg("-o")
            .arg(format!("PreferredAuthentications={method}"))
            .args(["-o", "PubkeyAuthentication=no"])
            .env("SSH_ASKPASS", self.home.path().join("askpass.sh"))
            .env("SSH_ASKPASS_REQUIRE", "force")
            .env("DISPLAY", ":0")
            .env("DWC_TEST_SECRET", password)
            .stdin(Stdio::null())
            .args(["-o", "StrictHostKeyChecking=accept-new"])
            .arg("127.0.0.1");
        c
    }

    /// `ssh` answering keyboard-interactive prompts as OpenSSH asks them: the password, then
    /// the MFA code; with `key`, the key first and then only the code.
    pub fn with_mfa(&self, user: &str, key: Option<&Path>, password: &str, code: &str) -> Command {
        let askpass = self.home.path().join("askpass-mfa.sh");
        std::fs::write(
            &askpass,
            "#!/bin/sh\ncase \"$1\" in\n*MFA*) printf '%s\\n' \"$DWC_TEST_CODE\" ;;\n*) printf '%s\\n' \"$DWC_TEST_SECRET\" ;;\nesac\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&askpass, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let mut c = self.base(user);
        c.args(["-o", "BatchMode=no", "-o", "NumberOfPasswordPrompts=1"]);
        match key {
            Some(k) => {
                c.args(["-o", "IdentitiesOnly=yes", "-o"])
                    .arg("PreferredAuthentications=publickey,keyboard-interactive")
                    .arg("-i")
                    .arg(k);
            }
            None => {
                c.args(["-o", "PreferredAuthentications=keyboard-interactive"])
                    .args(["-o", "PubkeyAuthentication=no"]);
            }
        }
        c.env("SSH_ASKPASS", &askpass)
            .env("SSH_ASKPASS_REQUIRE", "force")
            .env("DISPLAY", ":0")
            .env("DWC_TEST_SECRET", password)
            .env("DWC_TEST_CODE", code)
            .stdin(Stdio::null())
            .args(["-o", "StrictHostKeyChecking=accept-new"])
            .arg("127.0.0.1");
        c
    }

    /// `ssh` on a demo store: no key, no password.
    pub fn open(&self, user: &str) -> Command {
        self.open_with(user, &[])
    }

    /// `ssh` on a demo store with more options.
    pub fn open_with(&self, user: &str, options: &[&str]) -> Command {
        let mut c = self.base(user);
        c.args(["-o", "BatchMode=yes", "-o", "PubkeyAuthentication=no"])
            .args(options)
            .args(["-o", "StrictHostKeyChecking=accept-new"])
            .arg("127.0.0.1");
        c
    }

    /// SIGTERM, then the exit status.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "dwc serve did not stop within 20 s of SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Runs a command with `stdin` and returns its output.
pub fn run(mut c: Command, stdin: &str) -> Output {
    use std::io::Write;
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("ssh runs");
    {
        let mut input = child.stdin.take().unwrap();
        let _ = input.write_all(stdin.as_bytes());
    }
    child.wait_with_output().unwrap()
}

pub fn text(o: &Output) -> (String, String, i32) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}
