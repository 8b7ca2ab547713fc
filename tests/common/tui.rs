//! The terminal console on a demo store with a fixed clock, drawn into a TestBackend.
#![allow(dead_code)]

use chrono::TimeZone;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use dwc::console::{Console, ManualClock, Session};
use dwc::domain::{Principal, Scope};
use dwc::tui::{App, ui};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub fn clock() -> ManualClock {
    ManualClock::new(chrono::Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap())
}

/// An app on a fresh demo store, logged on as `user` (`None`: the log-on gate).
pub fn app(dir: &tempfile::TempDir, user: Option<&str>) -> App {
    app_with_clock(dir, user).0
}

/// The app and the clock its console reads, to move time in a test.
pub fn app_with_clock(dir: &tempfile::TempDir, user: Option<&str>) -> (App, ManualClock) {
    let clock = clock();
    let console = Console::create_demo(dir.path(), None, Box::new(clock.clone())).unwrap();
    let session = user.map(|u| Session {
        principal: if u == "acme" {
            Principal::Account(u.into())
        } else {
            Principal::User(u.into())
        },
        scope: Scope::Page,
        region: "cn-hangzhou".into(),
        origin: dwc::authz::Origin::local(),
    });
    (App::new(console, session), clock)
}

pub fn draw(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ui::draw(f, app)).unwrap();
    format!("{}", t.backend())
}

pub fn key(app: &mut App, code: KeyCode) {
    let k = KeyEvent::new(code, KeyModifiers::NONE);
    app.handle_event(&Event::Key(k));
}

pub fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// A console on a fresh real (not demo) store: account acme with `password`, the fixed clock.
pub fn password_console(
    dir: &tempfile::TempDir,
    edition: dwc::domain::Edition,
    password: &str,
) -> Console {
    let tenant = dwc::console::Tenant {
        account: "acme".into(),
        account_hash: None,
        edition,
        open: false,
        default_region: "cn-hangzhou".into(),
        created_at: chrono::Utc::now(),
    };
    Console::init(dir.path(), tenant, Some(password), Box::new(clock())).unwrap()
}
