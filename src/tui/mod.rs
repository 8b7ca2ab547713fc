//! The ratatui front end (scope Page, DESIGN §8). Keys become actions; actions change the app's
//! state; pending input is drained before one frame is drawn (redraws coalesce), inside a
//! synchronized update. The terminal is restored on every way out, a panic included.

pub mod access;
pub mod app;
pub mod background;
pub mod connectivity;
pub mod editor;
pub mod form;
pub mod keymap;
pub mod pages;
pub mod palette;
pub mod rows;
pub mod settings;
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
    // Pastes arrive as one event, never as keys, and the mouse selects; restored below, and
    // by a panic too, so the shell is never left reporting mouse moves.
    let _ = crossterm::execute!(
        std::io::stdout(),
        crossterm::event::EnableBracketedPaste,
        crossterm::event::EnableMouseCapture
    );
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(
            std::io::stdout(),
            crossterm::event::DisableMouseCapture,
            crossterm::event::DisableBracketedPaste
        );
        hook(info);
    }));
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(async {
            let (tx, rx) = mpsc::unbounded_channel::<Event>();
            tokio::spawn(async move {
                let mut events = EventStream::new();
                while let Some(Ok(ev)) = events.next().await {
                    if tx.send(ev).is_err() {
                        break;
                    }
                }
            });
            let (_keep, stop) = tokio::sync::watch::channel(None);
            // This terminal's settings (a served console keeps the defaults: the server's
            // file is not its users').
            let mut app = App::new(console, session);
            let (settings, warning) = settings::Settings::load();
            app.settings = settings;
            app.settings_from = settings::Settings::path();
            if warning.is_some() {
                app.toast = warning;
            }
            event_loop(&mut terminal, app, rx, stop).await
        });
    let _ = crossterm::execute!(
        std::io::stdout(),
        crossterm::event::DisableMouseCapture,
        crossterm::event::DisableBracketedPaste
    );
    ratatui::restore();
    result.map(|_| ())
}

/// A terminal console draws on: the process's own, or an SSH channel's.
pub type Term<W> = ratatui::Terminal<ratatui::backend::CrosstermBackend<W>>;

/// Runs one console until the person quits, their input ends, or `stop` gives a reason to end
/// (returned). Input arrives on `rx`; changes other sessions commit arrive on the console's feed.
/// Runs `f`, which asks the console, without holding up the other consoles a served runtime
/// drives when the store is a database: each question may wait on a round trip, so on a
/// multi-threaded runtime the others move to another thread meanwhile. On sled the answers
/// are in-process work that ends as soon (handing the others over would only cost threads
/// and memory), and the local console's single-threaded runtime has no one else to hold up.
fn off_the_runtime<R>(waits: bool, f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if waits && h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

pub async fn event_loop<W: Write>(
    terminal: &mut Term<W>,
    mut app: App,
    mut rx: mpsc::UnboundedReceiver<Event>,
    mut stop: tokio::sync::watch::Receiver<Option<String>>,
) -> color_eyre::Result<Option<String>> {
    let (done_tx, mut done) = mpsc::unbounded_channel();
    app.set_background(done_tx);
    let mut feed = app.console.subscribe();
    let waits = app.console.store().is_shared();
    if let Ok(size) = terminal.size() {
        app.size = (size.width, size.height);
    }
    let mut stop_open = true;
    let mut feed_open = true;
    // The clock: jobs advance and their rows update while nobody types.
    let mut clock = tokio::time::interval(std::time::Duration::from_secs(1));
    clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    draw(terminal, &app)?;
    loop {
        tokio::select! {
            ev = rx.recv() => {
                let Some(ev) = ev else { break };
                // A resize clears and redraws the whole viewport (a served terminal has no
                // size of its own to ask the operating system for).
                let mut handle = |app: &mut App, ev: &Event| {
                    if let Event::Resize(w, h) = ev {
                        let _ = terminal.resize(ratatui::layout::Rect::new(0, 0, *w, *h));
                    }
                    app.handle_event(ev);
                };
                off_the_runtime(waits, || {
                    handle(&mut app, &ev);
                    // Coalesce: everything already waiting is handled before the next frame.
                    while let Ok(ev) = rx.try_recv() {
                        handle(&mut app, &ev);
                    }
                });
                if app.quit {
                    break;
                }
                draw(terminal, &app)?;
            }
            Some(d) = done.recv() => {
                off_the_runtime(waits, || app.finished(d));
                draw(terminal, &app)?;
            }
            change = feed.recv(), if feed_open => {
                let redraw = off_the_runtime(waits, || {
                    let mut redraw = match change {
                        Ok(c) => app.changed_elsewhere(&c),
                        // Missed some: reload whatever is shown.
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                            app.refresh_in_place();
                            true
                        }
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                            feed_open = false;
                            false
                        }
                    };
                    // A burst of changes costs one reload and one frame.
                    while let Ok(c) = feed.try_recv() {
                        redraw |= app.changed_elsewhere(&c);
                    }
                    redraw
                });
                if redraw {
                    draw(terminal, &app)?;
                }
            }
            changed = stop.changed(), if stop_open => {
                // No one left to end this console: stop asking.
                if changed.is_err() {
                    stop_open = false;
                    continue;
                }
                let reason = stop.borrow().clone();
                if reason.is_some() {
                    return Ok(reason);
                }
            }
            _ = clock.tick() => {
                if off_the_runtime(waits, || app.tick()) {
                    draw(terminal, &app)?;
                }
            }
        }
    }
    Ok(None)
}

fn draw<W: Write>(terminal: &mut Term<W>, app: &App) -> color_eyre::Result<()> {
    crossterm::queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|f| ui::draw(f, app))?;
    crossterm::queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    terminal.backend_mut().flush()?;
    Ok(())
}
