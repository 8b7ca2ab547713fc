//! Keys and what they do. One table drives the key handling, the hint bar and the help screen.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for; the app decides what it means on the current screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
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
    /// A page action by its key (n new, e edit, d delete, x disable/enable, u upgrade).
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
        keys: "1-8",
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
        help: "quit",
        hint: Some("quit"),
    },
];

/// The action of a key in browsing mode (not while typing in a field).
pub fn action(key: KeyEvent) -> Option<Action> {
    use KeyCode::*;
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == Char('c') {
        return Some(Action::Quit);
    }
    Some(match key.code {
        Char('j') | Down => Action::Down,
        Char('k') | Up => Action::Up,
        Char('g') | Home => Action::Top,
        Char('G') | End => Action::Bottom,
        Enter => Action::Open,
        Esc => Action::Back,
        Tab => Action::NextTab,
        BackTab => Action::PrevTab,
        Char(c @ '1'..='8') => Action::Page(c as usize - '1' as usize),
        Char('/') => Action::Filter,
        Char(':') => Action::Palette,
        Char('?') => Action::Help,
        Char('q') => Action::Quit,
        Char(c @ ('n' | 'e' | 'd' | 'x' | 'u' | 'r' | 'a' | 's' | 't' | 'v')) => Action::Do(c),
        _ => return None,
    })
}
