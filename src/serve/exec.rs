//! One CLI command for an SSH client (`ssh HOST workspace list -o json`): parsed as the local
//! binary parses it, run as the logged-on user (scope OpenAPI) on the shared console, with the
//! channel's stdin, stdout, stderr and exit status.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};
use tokio::sync::mpsc::UnboundedSender;

use crate::cli::io::Io;
use crate::cli::{Cli, Command, exit};
use crate::console::sessions::Ticket;
use crate::console::{Console, Session};

use super::terminal::{ChannelWriter, Out};

/// A command's standard input: what the client sends, until its EOF.
struct Stdin {
    rx: Receiver<Vec<u8>>,
    pending: Vec<u8>,
}

impl Read for Stdin {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pending.is_empty() {
            match self.rx.recv() {
                Ok(chunk) => self.pending = chunk,
                // The client's EOF (or its going away).
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

/// Parses `command` into a command line, or says why not: the text and exit code to end with.
fn parse(command: &str) -> Result<Cli, (String, u32)> {
    let mut args = shell_words::split(command)
        .map_err(|e| (format!("cannot read the command: {e}"), exit::USAGE as u32))?;
    if args.first().is_some_and(|a| a == "dwc") {
        args.remove(0);
    }
    args.insert(0, "dwc".into());
    let matches = Cli::command().try_get_matches_from(&args).map_err(|e| {
        let code = e.exit_code() as u32;
        (e.render().to_string().trim_end().to_owned(), code)
    })?;
    for (id, flag) in [("store", "--store"), ("user", "--user")] {
        if matches.value_source(id) == Some(ValueSource::CommandLine) {
            return Err((
                format!(
                    "{flag} cannot be given over SSH: the server's store is the one served, and you act as the user you logged on as"
                ),
                exit::USAGE as u32,
            ));
        }
    }
    let mut cli = Cli::from_arg_matches(&matches)
        .map_err(|e| (e.render().to_string(), exit::USAGE as u32))?;
    // What the server's own environment says about stores and users is not the client's.
    cli.store = None;
    cli.user = None;
    match &cli.command {
        None => Err((
            "give a command (ssh HOST workspace list), or connect with ssh -t for the console"
                .into(),
            exit::USAGE as u32,
        )),
        Some(
            Command::Init { .. } | Command::Demo { .. } | Command::Serve { .. } | Command::Store(_),
        ) => Err((
            "init, demo, serve and store copy make, serve or move a store: run them where the store lives, not over SSH"
                .into(),
            exit::USAGE as u32,
        )),
        Some(_) => Ok(cli),
    }
}

/// Starts `command` beside the async threads; its output and exit status go to `out`. Errors
/// before it starts (a bad command line, the session limit) come back as text and exit code.
pub fn start(
    console: Arc<Console>,
    session: Session,
    source: &str,
    command: &str,
    env: HashMap<String, String>,
    stdin: Receiver<Vec<u8>>,
    out: UnboundedSender<Out>,
    pty: bool,
) -> Result<Option<Arc<Ticket>>, (String, u32)> {
    let mut cli = match parse(command) {
        Ok(cli) => cli,
        // `--help` and `--version` are answers, not errors.
        Err((text, 0)) => {
            let _ = out.send(Out::Data(format!("{text}\n").into_bytes()));
            let _ = out.send(Out::Exit(0));
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let ticket = Arc::new(
        console
            .open_session(&session, source, "command")
            .map_err(|e| (e.to_string(), exit::INVALID as u32))?,
    );
    let held = ticket.clone();
    tracing::info!(user = %session.who(), %source, command, "command");
    tokio::task::spawn_blocking(move || {
        cli.io = Io::served(
            Box::new(Stdin {
                rx: stdin,
                pending: Vec::new(),
            }),
            Box::new(ChannelWriter::stdout(out.clone()).with_crlf(pty)),
            Box::new(ChannelWriter::stderr(out.clone()).with_crlf(pty)),
            env,
        );
        let code = crate::cli::run_on(&cli, &console, &session);
        // The writers flush as they go; dropping them sends what is left before the status.
        drop(cli);
        let _ = out.send(Out::Exit(code as u32));
        drop(held);
    });
    Ok(Some(ticket))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_as_the_local_binary_reads_them() {
        let cli = parse("workspace list -o json").unwrap();
        assert!(matches!(cli.command, Some(Command::Workspace(_))));
        assert!(parse("dwc 'workspace' list").is_ok());
        let (e, code) = parse("--store /tmp/x workspace list").unwrap_err();
        assert!(e.contains("--store cannot be given over SSH"), "{e}");
        assert_eq!(code, 2);
        assert!(parse("--user bob workspace list").is_err());
        assert!(parse("demo").is_err());
        assert_eq!(parse("nope").unwrap_err().1, 2);
        assert_eq!(parse("--help").unwrap_err().1, 0);
        assert!(parse("workspace list 'unclosed").is_err());
    }
}
