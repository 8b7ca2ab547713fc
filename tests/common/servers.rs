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
pub fn missing<S>(what: &str, install: &str) -> Option<S> {
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
    let mut pg = Postgres::start(false)?;
    let child = pg.child.take().expect("a started server");
    let dir = std::mem::replace(&mut pg.dir, tempfile::tempdir().unwrap());
    Some(Server {
        port: pg.port,
        child,
        _dir: dir,
    })
}

/// PostgreSQL as a store's tests use it: its data directory kept, so it can be stopped as a
/// crash would stop it and started again; databases made per test.
pub struct Postgres {
    pub port: u16,
    child: Option<Child>,
    dir: tempfile::TempDir,
    bin: PathBuf,
    data: PathBuf,
    durable: bool,
    /// More `-c name=value` settings for the server.
    settings: Vec<String>,
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some(c) = &mut self.child {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Runs `program` as the `postgres` user when we are root (PostgreSQL refuses to run as root).
fn as_postgres(program: PathBuf) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

impl Postgres {
    /// Starts a new server; `durable` keeps fsync on (for the crash tests).
    pub fn start(durable: bool) -> Option<Postgres> {
        let Some(bin) = postgres_bin_dir() else {
            return missing("PostgreSQL", "postgresql");
        };
        let dir = tempfile::tempdir().unwrap();
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, format!("{PASSWORD}\n")).unwrap();
        if is_root() {
            let (uid, gid) =
                ids_of("postgres").expect("the postgres user of the postgresql package");
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).unwrap();
            std::os::unix::fs::chown(&pwfile, Some(uid), Some(gid)).unwrap();
        }
        let data = dir.path().join("data");
        run(
            as_postgres(bin.join("initdb"))
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
        let mut pg = Postgres {
            port: free_port(),
            child: None,
            dir,
            bin,
            data,
            durable,
            settings: Vec::new(),
        };
        pg.run_server(None);
        Some(pg)
    }

    /// A server that offers TLS, with a self-signed certificate made by `openssl`.
    pub fn start_tls() -> Option<Postgres> {
        if Command::new("openssl").arg("version").output().is_err() {
            return missing("openssl", "openssl");
        }
        let mut pg = Postgres::start(false)?;
        pg.stop_fast();
        let (crt, key) = (pg.data.join("server.crt"), pg.data.join("server.key"));
        run(
            Command::new("openssl")
                .args([
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                ])
                .args(["-subj", "/CN=127.0.0.1", "-keyout"])
                .arg(&key)
                .arg("-out")
                .arg(&crt),
            "openssl req",
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
            if is_root() {
                let (uid, gid) = ids_of("postgres").unwrap();
                for f in [&crt, &key] {
                    std::os::unix::fs::chown(f, Some(uid), Some(gid)).unwrap();
                }
            }
        }
        pg.settings = vec!["ssl=on".into()];
        pg.run_server(None);
        Some(pg)
    }

    /// Starts the server on its data directory; with `watch`, it stops when that process
    /// ends (a server shared by a whole test binary, which never drops it).
    fn run_server(&mut self, watch: Option<u32>) {
        let log = self.dir.path().join("server.log");
        let mut cmd = as_postgres(self.bin.join("postgres"));
        cmd.arg("-D")
            .arg(&self.data)
            .args(["-p", &self.port.to_string(), "-k"])
            .arg(self.dir.path())
            .args([
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "max_connections=300",
            ]);
        if !self.durable {
            cmd.args(["-c", "fsync=off"]);
        }
        for setting in &self.settings {
            cmd.args(["-c", setting]);
        }
        if let Some(parent) = watch {
            // When the test binary is gone: stop the server, remove its files.
            let line = format!("{cmd:?}");
            let stop = format!(
                "{:?}",
                as_postgres(self.bin.join("pg_ctl"))
                    .arg("-D")
                    .arg(&self.data)
                    .args(["stop", "-m", "immediate"])
            );
            cmd = Command::new("sh");
            cmd.arg("-c").arg(format!(
                "{line} & pg=$!; while kill -0 {parent} 2>/dev/null && kill -0 $pg 2>/dev/null; do sleep 0.3; done; {stop} >/dev/null 2>&1; wait $pg; rm -rf '{}'",
                self.dir.path().display()
            ));
        }
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start postgres");
        wait_for_port(self.port, &mut child, &log);
        // Listening is not accepting: after a crash it first recovers from the WAL.
        let start = Instant::now();
        while !Command::new(self.bin.join("pg_isready"))
            .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
            .status()
            .is_ok_and(|s| s.success())
        {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "PostgreSQL did not accept connections within 60 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child = Some(child);
    }

    /// One server for the whole test binary, stopped when the binary exits.
    pub fn shared() -> Option<&'static Postgres> {
        static SHARED: std::sync::OnceLock<Option<Postgres>> = std::sync::OnceLock::new();
        SHARED
            .get_or_init(|| {
                let mut pg = Postgres::start(false)?;
                // Started again under a watchdog: this one is never dropped.
                pg.stop_fast();
                pg.run_server(Some(std::process::id()));
                Some(pg)
            })
            .as_ref()
    }

    /// The URL of database `db` (password in it).
    pub fn url(&self, db: &str) -> String {
        format!("postgres://{USER}:{PASSWORD}@127.0.0.1:{}/{db}", self.port)
    }

    /// Makes a new, empty database and returns its URL.
    pub fn new_database(&self) -> String {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let db = format!("t{}_{n}", std::process::id());
        run(
            Command::new(self.bin.join("createdb"))
                .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", USER])
                .arg(&db)
                .env("PGPASSWORD", PASSWORD),
            "createdb",
        );
        self.url(&db)
    }

    /// Runs SQL with psql on database `db`, returning what it printed (unaligned, tuples only).
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let o = Command::new(self.bin.join("psql"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                USER,
                "-d",
                db,
            ])
            .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .env("PGPASSWORD", PASSWORD)
            .output()
            .expect("psql");
        assert!(
            o.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).trim().to_owned()
    }

    fn pg_ctl_stop(&mut self, mode: &str) {
        run(
            as_postgres(self.bin.join("pg_ctl"))
                .arg("-D")
                .arg(&self.data)
                .args(["stop", "-m", mode, "-w"]),
            "pg_ctl stop",
        );
        if let Some(mut c) = self.child.take() {
            let _ = c.wait();
        }
    }

    fn stop_fast(&mut self) {
        self.pg_ctl_stop("fast");
    }

    /// Stops the server as a crash would (`pg_ctl stop -m immediate`: no checkpoint, recovery
    /// from the WAL on the next start).
    pub fn crash(&mut self) {
        self.pg_ctl_stop("immediate");
    }

    /// Starts it again on the same data directory and port.
    pub fn restart(&mut self) {
        self.run_server(None);
    }
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
