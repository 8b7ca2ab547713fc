//! The ratatui front end (scope Page, DESIGN §8). Keys become actions; actions change the app's
//! state; pending input is drained before one frame is drawn (redraws coalesce), inside a
//! synchronized update. The terminal is restored on every way out, a panic included.

pub mod access;
pub mod actions;
pub mod app;
pub mod background;
pub mod connectivity;
pub mod form;
pub mod keymap;
pub mod ui;
pub mod view;

use std::io::Write;

use crossterm::event::{Event, EventStream};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::console::{Console, Session};

pub use app::App;

/// Runs the console until the person quits. The store is already open (and locked): nothing here
/// runs before the terminal is ours except what `main` did.
pub fn run(console: Console, session: Option<Session>) -> color_eyre::Result<()> {
    color_eyre::install()?;
    let mut terminal = ratatui::init();
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(event_loop(&mut terminal, App::new(console, session)));
    ratatui::restore();
    result
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    mut app: App,
) -> color_eyre::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Event>();
    let (done_tx, mut done) = mpsc::unbounded_channel();
    app.set_background(done_tx);
    tokio::spawn(async move {
        let mut events = EventStream::new();
        while let Some(Ok(ev)) = events.next().await {
            if tx.send(ev).is_err() {
                break;
            }
        }
    });
    // The clock: jobs advance and their rows update while nobody types.
    let mut clock = tokio::time::interval(std::time::Duration::from_secs(1));
    clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    draw(terminal, &app)?;
    loop {
        tokio::select! {
            ev = rx.recv() => {
                let Some(ev) = ev else { break };
                app.handle_event(&ev);
                // Coalesce: everything already waiting is handled before the next frame.
                while let Ok(ev) = rx.try_recv() {
                    app.handle_event(&ev);
                }
                if app.quit {
                    break;
                }
                draw(terminal, &app)?;
            }
            Some(d) = done.recv() => {
                app.finished(d);
                draw(terminal, &app)?;
            }
            _ = clock.tick() => {
                if app.tick() {
                    draw(terminal, &app)?;
                }
            }
        }
    }
    Ok(())
}

fn draw(terminal: &mut ratatui::DefaultTerminal, app: &App) -> color_eyre::Result<()> {
    let mut out = std::io::stdout();
    crossterm::execute!(out, BeginSynchronizedUpdate)?;
    terminal.draw(|f| ui::draw(f, app))?;
    crossterm::execute!(out, EndSynchronizedUpdate)?;
    out.flush()?;
    Ok(())
}
