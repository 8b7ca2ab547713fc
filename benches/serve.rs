//! The served console under load (DESIGN §11, §12): 1, 10 and 50 SSH sessions on the
//! 10,000-workspace scale tenant, each pressing a key every 50 ms on the Workspaces page (the
//! account's 10,000 rows); for each key press, the time until the first bytes of its frame
//! arrive; and the server's resident memory. Budgets: p99 under 10 ms at 50 sessions, RSS under
//! 150 MB.
//!
//! `cargo bench --bench serve` (builds the scale tenant once, in a temp dir: about a minute).

use std::sync::Arc;
use std::time::{Duration, Instant};

use russh::client;
use russh::keys::PublicKeyOrCertificate;
use russh::{ChannelMsg, Disconnect};

struct Client;

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(&mut self, _: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// One session: log on, open the console at 200×50, go to Workspaces, then press `j` every
/// 50 ms for `keys` presses; returns each press's key-to-first-byte time.
async fn session(port: u16, keys: usize) -> Vec<Duration> {
    let config = Arc::new(client::Config {
        nodelay: true,
        ..Default::default()
    });
    let mut h = client::connect(config, ("127.0.0.1", port), Client)
        .await
        .expect("connects");
    assert!(
        h.authenticate_none("acme").await.unwrap().success(),
        "a demo store takes the user by name"
    );
    let mut ch = h.channel_open_session().await.unwrap();
    ch.request_pty(false, "xterm-256color", 200, 50, 0, 0, &[])
        .await
        .unwrap();
    ch.request_shell(false).await.unwrap();
    // The first frame, then the Workspaces page with its 10,000 rows.
    settle(&mut ch, Duration::from_millis(500)).await;
    if std::env::var("DWC_BENCH_PAGE").as_deref() != Ok("overview") {
        ch.data_bytes(&b"2"[..]).await.unwrap();
    }
    settle(&mut ch, Duration::from_millis(500)).await;
    let mut out = Vec::with_capacity(keys);
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    for i in 0..keys {
        tick.tick().await;
        let key: &[u8] = if i % 2 == 0 { b"j" } else { b"k" };
        let sent = Instant::now();
        ch.data_bytes(key).await.unwrap();
        loop {
            match ch.wait().await {
                Some(ChannelMsg::Data { .. }) => break,
                Some(_) => continue,
                None => panic!("the channel closed"),
            }
        }
        out.push(sent.elapsed());
        // The rest of the frame, if it came in several packets.
        while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(2), ch.wait()).await {}
    }
    let _ = ch.data_bytes(&b"q"[..]).await;
    let _ = h.disconnect(Disconnect::ByApplication, "done", "en").await;
    out
}

/// Reads until the console has been quiet for `quiet`.
async fn settle(ch: &mut russh::Channel<client::Msg>, quiet: Duration) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match tokio::time::timeout(quiet, ch.wait()).await {
            Ok(Some(_)) => {}
            Ok(None) => panic!("the channel closed"),
            Err(_) => return,
        }
        assert!(Instant::now() < deadline, "the console never settled");
    }
}

#[path = "../tests/common/servers.rs"]
#[allow(dead_code)]
mod servers;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing: only build then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // DWC_BENCH_STORE=postgres: the store in a database of a PostgreSQL server started here.
    let pg = (std::env::var("DWC_BENCH_STORE").as_deref() == Ok("postgres"))
        .then(|| servers::Postgres::start(true).expect("PostgreSQL for DWC_BENCH_STORE=postgres"));
    let store = match &pg {
        Some(pg) => std::path::PathBuf::from(pg.new_database()),
        None => dir.path().join("scale"),
    };
    // SAFETY: set before any thread of this process starts.
    unsafe { std::env::set_var("DWC_STATE_DIR", dir.path().join("state")) };
    println!("store: {}", dwc::store::shown(&store));
    let built = Instant::now();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_dwc"))
        .arg("--store")
        .arg(&store)
        .args(["demo", "--scale", "10000"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    eprintln!("scale tenant built in {:?}", built.elapsed());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_dwc"))
        .arg("--store")
        .arg(&store)
        .args(["serve", "--log-level", "warn", "--listen"])
        .arg(format!("127.0.0.1:{port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(50));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!("sessions  presses  p50        p99        max        server RSS");
    for n in [1usize, 10, 50] {
        let keys = 100;
        let mut all: Vec<Duration> = rt.block_on(async {
            let tasks: Vec<_> = (0..n).map(|_| tokio::spawn(session(port, keys))).collect();
            let mut all = Vec::new();
            // Sample the server's memory while every session is open.
            tokio::time::sleep(Duration::from_secs(3)).await;
            let rss = rss_kib(server.id());
            for t in tasks {
                all.extend(t.await.unwrap());
            }
            eprintln!("{n} sessions: RSS {} MiB while open", rss / 1024);
            all
        });
        all.sort();
        println!(
            "{n:<9} {:<8} {:<10.2?} {:<10.2?} {:<10.2?} {} MiB",
            all.len(),
            percentile(&all, 0.5),
            percentile(&all, 0.99),
            all.last().unwrap(),
            rss_kib(server.id()) / 1024
        );
    }
    let _ = server.kill();
    let _ = server.wait();
}
