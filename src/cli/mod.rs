//! The command-line front end (scope OpenAPI, DESIGN §9): noun-verb commands over the console,
//! table or JSON output, and exit codes a script can rely on.

mod commands;
pub mod io;
pub mod output;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Parser;

use crate::console::{Console, ConsoleError, Session, SystemClock};
use crate::domain::Scope;

pub use commands::Command;
use output::Format;

#[derive(Debug, Parser)]
#[command(
    name = "dwc",
    version,
    about = "A terminal management console for a DataWorks-style data platform"
)]
pub struct Cli {
    /// Store: a directory, or a PostgreSQL database as postgres://USER@HOST:PORT/DB [default:
    /// $DWC_STORE, else the platform data directory]
    #[arg(long, global = true, env = "DWC_STORE", value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Act as this user [default: $DWC_USER, else the account]; the password comes from
    /// DWC_PASSWORD. Give it before the command: inside commands, --user names a target.
    #[arg(long, env = "DWC_USER", value_name = "NAME")]
    pub user: Option<String>,
    /// Region to work in [default: the tenant's region]
    #[arg(long, global = true, value_name = "ID")]
    pub region: Option<String>,
    /// Output format
    #[arg(
        short = 'o',
        long = "output",
        global = true,
        value_enum,
        default_value = "table"
    )]
    pub output: Format,
    /// Wait for what the command starts (resource-group changes, image builds, model
    /// deployments) to finish; a job that fails exits 5 with its reason
    #[arg(long, global = true)]
    pub wait: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Where this command reads and writes: the process's streams, or an SSH channel's.
    #[arg(skip)]
    pub io: io::Io,
}

/// Exit codes (DESIGN §9).
pub mod exit {
    pub const OK: i32 = 0;
    pub const INTERNAL: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const DENIED: i32 = 3;
    pub const NOT_FOUND: i32 = 4;
    pub const INVALID: i32 = 5;
    pub const STORE: i32 = 6;
}

pub fn exit_code(e: &ConsoleError) -> i32 {
    match e {
        ConsoleError::Denied { .. }
        | ConsoleError::Unauthenticated
        | ConsoleError::LockedOut { .. }
        | ConsoleError::PasswordChangeRequired(_)
        | ConsoleError::MfaRequired(_) => exit::DENIED,
        ConsoleError::NotFound(_) => exit::NOT_FOUND,
        ConsoleError::Invalid { .. } | ConsoleError::Conflict(_) | ConsoleError::Unavailable(_) => {
            exit::INVALID
        }
        ConsoleError::Store(_) => exit::STORE,
        ConsoleError::Internal(_) => exit::INTERNAL,
    }
}

/// Prints an error the way the output format asks: a sentence and its explanation for people,
/// `{"error", "message", "explanation"}` on stderr for programs.
pub fn report(format: Format, e: &ConsoleError) {
    report_to(&io::Io::default(), format, e)
}

pub fn report_to(io: &io::Io, format: Format, e: &ConsoleError) {
    match format {
        Format::Json => io.err(&format!(
            "{}\n",
            serde_json::json!({
                "error": e.kind(),
                "message": crate::domain::text::message(&e.to_string()),
                "explanation": e.explanation().iter().map(|l| crate::domain::text::message(l)).collect::<Vec<_>>(),
            })
        )),
        Format::Table => {
            // What the person typed comes back in errors: escaped, and shortened when long.
            let mut text = format!("dwc: {}\n", crate::domain::text::message(&e.to_string()));
            for line in e.explanation() {
                text.push_str(&format!("  {}\n", crate::domain::text::message(line)));
            }
            io.err(&text);
        }
    }
}

pub fn default_store() -> PathBuf {
    directories::ProjectDirs::from("", "", "dwc")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".dwc"))
}

impl Cli {
    pub fn store_dir(&self) -> PathBuf {
        self.store.clone().unwrap_or_else(default_store)
    }
}

/// Opens the store and logs on as `--user` with DWC_PASSWORD (scope OpenAPI).
pub fn session(cli: &Cli) -> Result<(Console, Session), ConsoleError> {
    let console = Console::open_for_command(&cli.store_dir(), Box::new(SystemClock))?;
    // Whatever came due while no process held the store happens first.
    console.advance()?;
    let tenant = console.tenant();
    let region = cli.region.clone().unwrap_or(tenant.default_region.clone());
    let password = if tenant.open {
        None
    } else {
        cli.io.secret_from("DWC_PASSWORD", "Password: ")?
    };
    let change = cli.io.var("DWC_CHANGE_PASSWORD");
    let code = cli.io.var("DWC_MFA_CODE");
    let session = console.authenticate_with(
        cli.user.as_deref(),
        password.as_deref(),
        change.as_deref(),
        code.as_deref(),
        Scope::OpenAPI,
        &region,
    )?;
    Ok((console, session))
}

/// Follows the newest job on `target` to its end, advancing the store's work meanwhile; a
/// progress bar on a terminal, nothing when piped.
pub fn follow_job(
    cli: &Cli,
    c: &Console,
    s: &Session,
    target: &str,
) -> Result<crate::domain::job::Job, ConsoleError> {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if cli.io.is_served() || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) = ProgressStyle::with_template("{spinner} {prefix} [{bar:24}] {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    // Another server may run the job's steps: what it commits is heard, so the bar follows.
    c.hear_others();
    loop {
        // A served console's jobs are advanced by the server alone.
        if !cli.io.is_served() {
            c.advance()?;
        }
        let job = c
            .latest_job(s, target)?
            .ok_or_else(|| ConsoleError::NotFound(format!("a job on {target}")))?;
        bar.set_prefix(job.label());
        bar.set_length(job.steps.len() as u64);
        bar.set_position(job.done as u64);
        bar.set_message(job.progress());
        if !job.is_running() {
            bar.finish_and_clear();
            return Ok(job);
        }
        // Sleep until the next step is due, but wake often enough to keep the bar alive.
        let until = c
            .next_due()?
            .map(|t| (t - c.now()).to_std().unwrap_or_default())
            .unwrap_or_default();
        bar.tick();
        std::thread::sleep(until.clamp(
            std::time::Duration::from_millis(10),
            std::time::Duration::from_millis(200),
        ));
    }
}

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: &Cli) -> i32 {
    finish(cli, commands::dispatch(cli))
}

/// Runs a parsed command line as `s` on a console already open (a command `dwc serve` runs for
/// an SSH client); returns the exit code.
pub fn run_on(cli: &Cli, c: &Console, s: &Session) -> i32 {
    finish(cli, commands::dispatch_on(cli, c, s))
}

fn finish(cli: &Cli, result: Result<String, ConsoleError>) -> i32 {
    match result {
        Ok(out) => match cli.io.out(&out) {
            Ok(()) => exit::OK,
            Err(e) => {
                report_to(&cli.io, cli.output, &e);
                exit_code(&e)
            }
        },
        Err(e) => {
            if !cli.io.was_shown() {
                report_to(&cli.io, cli.output, &e);
            }
            exit_code(&e)
        }
    }
}
