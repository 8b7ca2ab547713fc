//! Keys and what they do. One table drives the key handling, the hint bar and the help screen.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for; the app decides what it means on the current screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    HalfUp,
    HalfDown,
    /// Scroll the columns that give way sideways.
    Left,
    Right,
    /// Sort by the next column; reverse the order.
    Sort,
    Reverse,
    Top,
    Bottom,
    Open,
    Back,
    NextTab,
    PrevTab,
    Page(usize),
    Filter,
    Palette,
    Help,
    Quit,
    /// A command of the pane by its key (n new, e edit, d delete, …).
    Do(char),
}

pub struct Binding {
    pub keys: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// The word in the footer's hint bar; `None` keeps it to the help screen.
    pub hint: Option<&'static str>,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: "j/k ↓/↑",
        action: Action::Down,
        help: "move the selection",
        hint: Some("move"),
    },
    Binding {
        keys: "PgDn/PgUp",
        action: Action::PageDown,
        help: "a page down / up (Ctrl-d/Ctrl-u: half a page)",
        hint: None,
    },
    Binding {
        keys: "←/→",
        action: Action::Right,
        help: "scroll the columns that do not fit",
        hint: None,
    },
    Binding {
        keys: "o/O",
        action: Action::Sort,
        help: "sort by the next column / reverse the order",
        hint: Some("sort"),
    },
    Binding {
        keys: "g/G",
        action: Action::Top,
        help: "go to the top / bottom",
        hint: None,
    },
    Binding {
        keys: "Enter",
        action: Action::Open,
        help: "open the selected item",
        hint: Some("open"),
    },
    Binding {
        keys: "Esc",
        action: Action::Back,
        help: "go back or close",
        hint: Some("back"),
    },
    Binding {
        keys: "Tab/S-Tab",
        action: Action::NextTab,
        help: "next / previous tab",
        hint: Some("tabs"),
    },
    Binding {
        keys: "1-9",
        action: Action::Page(0),
        help: "jump to a page of the navigation",
        hint: Some("pages"),
    },
    Binding {
        keys: "/",
        action: Action::Filter,
        help: "filter the current list",
        hint: Some("filter"),
    },
    Binding {
        keys: ":",
        action: Action::Palette,
        help: "command palette",
        hint: Some("commands"),
    },
    Binding {
        keys: "?",
        action: Action::Help,
        help: "this help",
        hint: Some("help"),
    },
    Binding {
        keys: "q",
        action: Action::Quit,
        help: "quit (Ctrl-C too)",
        hint: Some("quit"),
    },
    Binding {
        keys: "mouse",
        action: Action::Open,
        help: "click selects a row, tab or page (again: opens); the wheel scrolls",
        hint: None,
    },
];

/// The action of a key in browsing mode (not while typing in a field).
pub fn action(key: KeyEvent) -> Option<Action> {
    use KeyCode::*;
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            Char('c') => Some(Action::Quit),
            Char('d') => Some(Action::HalfDown),
            Char('u') => Some(Action::HalfUp),
            Char('f') => Some(Action::PageDown),
            Char('b') => Some(Action::PageUp),
            _ => None,
        };
    }
    Some(match key.code {
        Char('j') | Down => Action::Down,
        Char('k') | Up => Action::Up,
        PageDown => Action::PageDown,
        PageUp => Action::PageUp,
        Left => Action::Left,
        Right => Action::Right,
        Char('o') => Action::Sort,
        Char('O') => Action::Reverse,
        Char('g') | Home => Action::Top,
        Char('G') | End => Action::Bottom,
        Enter => Action::Open,
        Esc => Action::Back,
        Tab => Action::NextTab,
        BackTab => Action::PrevTab,
        Char(c @ '1'..='9') => Action::Page(c as usize - '1' as usize),
        Char('/') => Action::Filter,
        Char(':') => Action::Palette,
        Char('?') => Action::Help,
        Char('q') => Action::Quit,
        // Every other letter is the pane's to bind.
        Char(c) if c.is_ascii_alphabetic() => Action::Do(c),
        _ => return None,
    })
}
