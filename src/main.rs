//! dwc's entry point: a command runs the CLI; no command opens the terminal console. Everything
//! that can fail about the store or the log-on happens before the terminal is touched.

use std::io::{BufRead, IsTerminal, Write};

use clap::Parser;
use dwc::cli::{self, Cli, exit};
use dwc::console::{Console, ConsoleError, SystemClock, Tenant};
use dwc::domain::{Edition, Scope};

fn main() {
    // Everything dwc creates (the store, its key files, the server's log) is its user's alone.
    #[cfg(unix)]
    // SAFETY: umask only sets this process's file-creation mask; no memory is involved.
    unsafe {
        libc::umask(0o077);
    }
    let cli = Cli::parse();
    match &cli.command {
        Some(cli::Command::Serve {
            listen,
            config,
            log_level,
        }) => std::process::exit(serve(
            &cli,
            listen.clone(),
            config.clone(),
            log_level.clone(),
        )),
        Some(cli::Command::Demo {
            serve: true,
            listen,
            ..
        }) => {
            let code = cli::run(&cli);
            if code != exit::OK {
                std::process::exit(code);
            }
            std::process::exit(serve(&cli, listen.clone(), None, None));
        }
        _ => {}
    }
    // `dwc demo` creates the demo tenant and, at a terminal, opens the console on it.
    let is_demo = matches!(cli.command, Some(cli::Command::Demo { .. }));
    if cli.command.is_some() {
        let code = cli::run(&cli);
        if !(is_demo
            && code == exit::OK
            && std::io::stdout().is_terminal()
            && std::io::stdin().is_terminal())
        {
            std::process::exit(code);
        }
    }
    // The console draws on a terminal; without one it says what to do instead.
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        eprintln!("dwc: the console needs a terminal; run a command (dwc --help)");
        std::process::exit(exit::USAGE);
    }
    std::process::exit(match console(&cli) {
        Ok(()) => exit::OK,
        Err(e) => {
            cli::report(cli.output, &e);
            cli::exit_code(&e)
        }
    });
}

fn serve(
    cli: &Cli,
    listen: Option<String>,
    config: Option<std::path::PathBuf>,
    log_level: Option<String>,
) -> i32 {
    // A server's sessions run their console calls on many threads (on a database each call is
    // moved off the async workers), and glibc gives threads arenas of their own, up to eight per
    // core, each keeping what it freed: a few shared arenas keep the server to what it uses.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only tunes the allocator; it is called before the server's threads start.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 4);
    }
    let opts = dwc::serve::ServeOptions {
        dir: cli.store_dir(),
        dir_given: cli.store.is_some(),
        listen,
        config,
        log_level,
    };
    match dwc::serve::serve(opts) {
        Ok(()) => exit::OK,
        Err(e) => {
            cli::report(cli.output, &e);
            cli::exit_code(&e)
        }
    }
}

fn console(cli: &Cli) -> Result<(), ConsoleError> {
    let dir = cli.store_dir();
    let created = if dwc::store::Store::exists(&dir).map_err(ConsoleError::from)? {
        None
    } else {
        first_run(&dir)?
    };
    let console = Console::open(&dir, Box::new(SystemClock))?;
    // What came due while no process held the store happens before the first frame.
    console.advance()?;
    let tenant = console.tenant();
    let region = cli.region.clone().unwrap_or(tenant.default_region.clone());
    dwc::domain::region::region("region", &region)?;
    // --user with DWC_PASSWORD (or any user on a demo store) logs on directly.
    let session = match (&cli.user, std::env::var("DWC_PASSWORD").ok()) {
        (Some(u), _) if tenant.open => {
            Some(console.authenticate(Some(u), None, Scope::Page, &region)?)
        }
        (Some(u), Some(p)) => {
            Some(console.authenticate(Some(u), Some(&p), Scope::Page, &region)?)
        }
        // The account just created its tenant: no second log-on.
        _ if created.is_some() => {
            Some(console.authenticate(None, created.as_deref(), Scope::Page, &region)?)
        }
        _ => None,
    };
    dwc::tui::run(console, session).map_err(|e| ConsoleError::Internal(e.to_string()))
}

/// No store yet: offer the demo tenant or a new one, on the terminal, before the console opens.
/// Returns the account's password when it created a new tenant, to log the account on.
fn first_run(dir: &std::path::Path) -> Result<Option<String>, ConsoleError> {
    if !std::io::stdin().is_terminal() {
        return Err(ConsoleError::Store(format!(
            "no dwc store in {}: create one with `dwc init --account NAME` or `dwc demo`",
            dir.display()
        )));
    }
    println!("No dwc store in {} yet.", dir.display());
    println!("  d  create the demo tenant (three regions, nineteen users, no passwords)");
    println!("  n  create a new tenant (your account, with a password)");
    let answer = ask("Choose d or n (anything else quits): ")?;
    match answer.trim() {
        "d" | "D" => {
            Console::create_demo(dir, None, Box::new(SystemClock))?;
            Ok(None)
        }
        "n" | "N" => {
            let account = ask("Account name: ")?.trim().to_owned();
            dwc::domain::names::account_name(&account)?;
            let edition = match ask(
                "Edition (basic, standard, professional, enterprise) [basic]: ",
            )?
            .trim()
            {
                "" => Edition::Basic,
                e => Edition::parse("edition", e)?,
            };
            let default_region = match ask(&format!(
                "Region [{}]: ",
                dwc::domain::region::DEFAULT_REGION
            ))?
            .trim()
            {
                "" => dwc::domain::region::DEFAULT_REGION.to_owned(),
                r => dwc::domain::region::region("region", r)?.id.to_owned(),
            };
            let password = cli::io::Io::default()
                .new_secret_from("DWC_PASSWORD", "Password for the account: ")?
                .ok_or_else(|| ConsoleError::invalid("password", "is required"))?;
            let tenant = Tenant {
                account,
                account_hash: None,
                edition,
                open: false,
                default_region,
                created_at: chrono::Utc::now(),
            };
            Console::init(dir, tenant, Some(&password), Box::new(SystemClock))?;
            Ok(Some(password))
        }
        _ => Err(ConsoleError::invalid("choice", "nothing was created")),
    }
}

fn ask(prompt: &str) -> Result<String, ConsoleError> {
    print!("{prompt}");
    std::io::stdout().flush().ok();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| ConsoleError::Internal(e.to_string()))?;
    Ok(line)
}
