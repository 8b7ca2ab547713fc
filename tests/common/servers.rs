//! Real database servers for connectivity tests, started from the installed server binaries in a
//! temporary directory on a free loopback port, with a test user, and stopped when dropped.
//! Where a server is not installed the test says so and skips — except under CI (`CI=true`),
//! where that fails the run (`.ci/run` installs them).
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const USER: &str = "dwc";
pub const PASSWORD: &str = "test-password-1";

pub struct Server {
    pub port: u16,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether a missing server may skip the test (not under CI).
pub fn missing(what: &str, install: &str) -> Option<Server> {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{what} is missing on CI: .ci/run must install {install}"
    );
    eprintln!("skipped: {what} is not installed (apt-get install {install})");
    None
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn wait_for_port(port: u16, child: &mut Child, log: &Path) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "the server exited ({status}) before listening:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the server did not listen on {port} within 30 s:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// `(uid, gid)` of a system user, from `id`.
fn ids_of(user: &str) -> Option<(u32, u32)> {
    let get = |flag: &str| -> Option<u32> {
        let o = Command::new("id").args([flag, user]).output().ok()?;
        String::from_utf8_lossy(&o.stdout).trim().parse().ok()
    };
    Some((get("-u")?, get("-g")?))
}

fn run(cmd: &mut Command, what: &str) {
    let o = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        o.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn postgres_bin_dir() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists() && p.join("postgres").exists())
        .collect();
    dirs.sort();
    dirs.pop()
}

/// A PostgreSQL server with superuser `dwc` (password `PASSWORD`, scram-sha-256) and its
/// `postgres` database.
pub fn postgres() -> Option<Server> {
    let Some(bin) = postgres_bin_dir() else {
        return missing("PostgreSQL", "postgresql");
    };
    let dir = tempfile::tempdir().unwrap();
    let pwfile = dir.path().join("pw");
    std::fs::write(&pwfile, format!("{PASSWORD}\n")).unwrap();
    // PostgreSQL refuses to run as root: as root, it runs as the package's postgres user.
    let as_user = |program: PathBuf| -> Command {
        if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    };
    if is_root() {
        let (uid, gid) = ids_of("postgres").expect("the postgres user of the postgresql package");
        std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).unwrap();
        std::os::unix::fs::chown(&pwfile, Some(uid), Some(gid)).unwrap();
    }
    let data = dir.path().join("data");
    run(
        as_user(bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                USER,
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--no-sync",
            ])
            .arg(format!("--pwfile={}", pwfile.display())),
        "initdb",
    );
    let port = free_port();
    let log = dir.path().join("server.log");
    let mut child = as_user(bin.join("postgres"))
        .arg("-D")
        .arg(&data)
        .args(["-p", &port.to_string(), "-k"])
        .arg(dir.path())
        .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("start postgres");
    wait_for_port(port, &mut child, &log);
    Some(Server {
        port,
        child,
        _dir: dir,
    })
}

/// A MariaDB server with user `dwc` (password `PASSWORD`) owning database `orders`.
pub fn mariadb() -> Option<Server> {
    let server = ["/usr/sbin/mariadbd", "/usr/sbin/mysqld"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    let install = ["/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    let client = ["/usr/bin/mariadb", "/usr/bin/mysql"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    let (Some(server), Some(install), Some(client)) = (server, install, client) else {
        return missing("MariaDB", "mariadb-server");
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let socket = dir.path().join("mysqld.sock");
    let user = if is_root() {
        "root".to_owned()
    } else {
        std::env::var("USER").unwrap_or_else(|_| "nobody".into())
    };
    run(
        Command::new(install)
            .arg("--no-defaults")
            .arg(format!("--user={user}"))
            .arg(format!("--datadir={}", data.display()))
            .args(["--auth-root-authentication-method=normal", "--skip-test-db"]),
        "mariadb-install-db",
    );
    let port = free_port();
    let log = dir.path().join("server.log");
    let mut child = Command::new(server)
        .arg("--no-defaults")
        .arg(format!("--user={user}"))
        .arg(format!("--datadir={}", data.display()))
        .arg(format!("--socket={}", socket.display()))
        .arg(format!("--port={port}"))
        .arg("--bind-address=127.0.0.1")
        .arg(format!("--pid-file={}", dir.path().join("pid").display()))
        .arg(format!("--log-error={}", log.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start mariadbd");
    wait_for_port(port, &mut child, &log);
    run(
        Command::new(client)
            .args(["--no-defaults", "-uroot"])
            .arg(format!("--socket={}", socket.display()))
            .arg("-e")
            .arg(format!(
                "CREATE DATABASE orders; CREATE USER '{USER}'@'%' IDENTIFIED BY '{PASSWORD}'; \
                 GRANT ALL ON orders.* TO '{USER}'@'%';"
            )),
        "create the test user",
    );
    Some(Server {
        port,
        child,
        _dir: dir,
    })
}
