//! The terminal console over an SSH channel (scope Page): the same app and event loop as the
//! local console, drawn into the channel at the client's size, fed by the client's keys.

use std::sync::Arc;

use crossterm::cursor::{Hide, Show};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::console::sessions::Ticket;
use crate::console::{Console, ConsoleError, Session};
use crate::tui::App;

use super::terminal::{ChannelWriter, Out};

/// Starts the console for `session` at `size`; returns where its input goes and its ticket.
pub fn start(
    console: Arc<Console>,
    session: Session,
    source: &str,
    (cols, rows): (u16, u16),
    no_color: bool,
    out: UnboundedSender<Out>,
) -> Result<(UnboundedSender<Event>, Arc<Ticket>), ConsoleError> {
    let ticket = Arc::new(console.open_session(&session, source, "console")?);
    let (input, rx) = unbounded_channel();
    let stop = ticket.ended.clone();
    let held = ticket.clone();
    let who = session.who().to_owned();
    tracing::info!(user = %who, %source, "console opened");
    tokio::spawn(async move {
        let backend = CrosstermBackend::new(ChannelWriter::stdout(out.clone()));
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, cols, rows)),
        };
        let Ok(mut terminal) = Terminal::with_options(backend, options) else {
            let _ = out.send(Out::Exit(1));
            return;
        };
        let _ = crossterm::execute!(
            terminal.backend_mut(),
            EnterAlternateScreen,
            Hide,
            EnableBracketedPaste,
            EnableMouseCapture
        );
        let mut app = App::new(console, Some(session));
        app.advances = false;
        // The client's NO_COLOR (sent with `ssh -o SetEnv=NO_COLOR=1`), not the server's.
        app.no_color = no_color;
        let ended = crate::tui::event_loop(&mut terminal, app, rx, stop).await;
        // The client's terminal as it was, whatever ended the console.
        let _ = crossterm::execute!(
            terminal.backend_mut(),
            DisableBracketedPaste,
            DisableMouseCapture,
            LeaveAlternateScreen,
            Show
        );
        let code = match &ended {
            Ok(Some(reason)) => {
                let _ = out.send(Out::Data(format!("dwc: {reason}\r\n").into_bytes()));
                0
            }
            Ok(None) => 0,
            Err(e) => {
                tracing::warn!(user = %who, "console ended: {e}");
                1
            }
        };
        drop(terminal);
        tracing::info!(user = %who, "console closed");
        let _ = out.send(Out::Exit(code));
        drop(held);
    });
    Ok((input, ticket))
}
