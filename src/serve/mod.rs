//! `dwc serve` (DESIGN §12): one process owns the store and serves it over SSH to a team. A PTY
//! channel gets the terminal console as the logged-on user, an exec channel runs one CLI command;
//! all of them share one Console on a multi-thread runtime. The server alone advances jobs and
//! the clock, ends idle sessions and, on SIGINT or SIGTERM, tells every session it is going,
//! lets what is running finish, flushes the store and exits 0.

pub mod config;
mod exec;
mod handler;
pub mod hostkey;
mod shell;
pub mod terminal;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use russh::server::Server as _;

use crate::console::logon::Lockout;
use crate::console::{Console, ConsoleError, SystemClock};

pub use config::ServeConfig;

/// What `dwc serve` was asked for on its command line.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    pub dir: PathBuf,
    /// Whether `dir` was given (`--store`, `DWC_STORE`) rather than the default.
    pub dir_given: bool,
    pub listen: Option<String>,
    pub config: Option<PathBuf>,
    pub log_level: Option<String>,
}

fn internal(e: impl std::fmt::Display) -> ConsoleError {
    ConsoleError::Internal(e.to_string())
}

/// The log: a file in the store directory, rotated daily, and stderr.
fn start_log(dir: &Path, level: &str) -> tracing_appender::non_blocking::WorkerGuard {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let logs = dir.join("logs");
    let _ = std::fs::create_dir_all(&logs);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&logs, std::fs::Permissions::from_mode(0o700));
    }
    let file = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("serve")
        .filename_suffix("log")
        .max_log_files(14)
        .build(&logs)
        .ok();
    let (writer, guard) = match file {
        Some(f) => tracing_appender::non_blocking(f),
        None => tracing_appender::non_blocking(std::io::sink()),
    };
    let filter = tracing_subscriber::EnvFilter::new(format!("warn,dwc={level}"));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .with_writer(std::io::stderr),
        )
        .with(
            tracing_subscriber::fmt::layer()
                .json()
                .with_ansi(false)
                .with_writer(writer),
        )
        .try_init();
    guard
}

/// Serves the store in `opts.dir` until SIGINT or SIGTERM.
pub fn serve(mut opts: ServeOptions) -> Result<(), ConsoleError> {
    // A `[store]` entry in a --config file names the store when the command line does not.
    if !opts.dir_given
        && let Some(file) = &opts.config
        && let Some(url) = ServeConfig::load(file, true)?.store.url
    {
        opts.dir = PathBuf::from(url);
    }
    // The server's own files: in the store directory, or for a database on this machine.
    let local = crate::store::local_dir(&opts.dir);
    let config_path = opts
        .config
        .clone()
        .unwrap_or_else(|| local.join(config::FILE));
    let mut cfg = ServeConfig::load(&config_path, opts.config.is_some())?;
    if let Some(l) = &opts.listen {
        cfg.listen = l.clone();
    }
    if let Some(l) = &opts.log_level {
        cfg.log_level = l.clone();
    }
    cfg.check()?;
    let console = Console::open(&opts.dir, Box::new(SystemClock))?;
    console.set_lockout(Lockout {
        failures: cfg.lockout_failures as usize,
        window: chrono::Duration::minutes(cfg.lockout_window_minutes.into()),
        lock: chrono::Duration::minutes(cfg.lockout_minutes.into()),
    });
    console.set_session_limit(cfg.max_sessions.into());
    let key = hostkey::load_or_create(&local)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(internal)?;
    let _log = runtime.block_on(async { start_log(&local, &cfg.log_level) });
    runtime.block_on(run(Arc::new(console), key, cfg))
}

async fn run(
    console: Arc<Console>,
    key: russh::keys::PrivateKey,
    cfg: ServeConfig,
) -> Result<(), ConsoleError> {
    let listener = tokio::net::TcpListener::bind(&cfg.listen)
        .await
        .map_err(|e| ConsoleError::Unavailable(format!("cannot listen on {}: {e}", cfg.listen)))?;
    let addr = listener.local_addr().map_err(internal)?;
    console.store().announce_serving(&addr.to_string())?;
    let fingerprint = hostkey::fingerprint(&key);
    let tenant = console.tenant();
    // What came due while nobody served the store happens before anyone connects.
    console.advance()?;
    println!("dwc serve: {} on {addr}", tenant.account);
    println!("host key: {fingerprint}");
    println!(
        "connect: ssh -p {} USER@{} (the console) or ssh -p {} USER@{} COMMAND",
        addr.port(),
        addr.ip(),
        addr.port(),
        addr.ip()
    );
    tracing::info!(%addr, %fingerprint, "serving");

    let ssh = Arc::new(russh::server::Config {
        keys: vec![key],
        // Refusals take this long whatever was wrong; argon2 takes about as long anyway.
        auth_rejection_time: Duration::from_millis(300),
        auth_rejection_time_initial: Some(Duration::from_millis(0)),
        // dwc ends idle sessions itself, with a message; this only reaps dead connections.
        inactivity_timeout: Some(Duration::from_secs(
            u64::from(cfg.idle_timeout_minutes) * 60 + 300,
        )),
        keepalive_interval: Some(Duration::from_secs(60)),
        nodelay: true,
        ..Default::default()
    });
    let mut server = handler::Server {
        shared: Arc::new(handler::Shared {
            console: console.clone(),
        }),
    };
    let running = server.run_on_socket(ssh, &listener);
    let stopper = running.handle();

    // The clock: jobs, expiry, purge, billing — run here alone, each step once.
    let clock_console = console.clone();
    let idle = chrono::Duration::minutes(cfg.idle_timeout_minutes.into());
    let clock = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(250));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tick.tick().await;
            let c = clock_console.clone();
            let r = tokio::task::spawn_blocking(move || {
                let ended = c.end_idle_sessions(idle);
                c.advance().map(|n| (n, ended))
            })
            .await;
            match r {
                Ok(Ok((_, ended))) if ended > 0 => tracing::info!(ended, "idle sessions ended"),
                Ok(Err(e)) => tracing::error!("advancing the store: {e}"),
                _ => {}
            }
        }
    });

    tokio::select! {
        r = running => {
            clock.abort();
            r.map_err(internal)?;
        }
        signal = shutdown_signal() => {
            tracing::info!(signal, "shutting down");
            console.sessions().end_all("dwc is shutting down");
            // Let each session restore its client's terminal and each command finish.
            for _ in 0..100 {
                if console.sessions().count() == 0 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            // The goodbyes above are on their way; give them a moment to leave.
            tokio::time::sleep(Duration::from_millis(100)).await;
            stopper.shutdown("dwc is shutting down".into());
            clock.abort();
        }
    }
    // Only now: nothing else writes. A clock step in flight has finished (advance holds a
    // lock for its duration), so taking it waits for that.
    console.advance().ok();
    console.store().flush()?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "interrupt"
    }
}
