//! The `:` command palette: suggestions as you type (fuzzy, best first), `Tab` to cycle them,
//! `↑`/`↓` through what was run before.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};
use tui_input::Input;

/// How many suggestions show above the footer.
pub const SHOWN: usize = 6;

/// How many commands the history keeps.
const HISTORY: usize = 50;

#[derive(Default)]
pub struct Palette {
    pub input: Input,
    /// What matches the text typed, best first.
    pub suggestions: Vec<String>,
    /// The suggestion `Tab` put into the input.
    pub picked: Option<usize>,
    /// Where `↑` is in the history.
    back: Option<usize>,
}

/// The commands that match `typed`, best first; all of them, in order, when nothing is typed.
pub fn suggest(typed: &str, all: &[String]) -> Vec<String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return all.to_vec();
    }
    let mut matcher = Matcher::new(Config::DEFAULT);
    let pattern = Pattern::parse(typed, CaseMatching::Ignore, Normalization::Smart);
    let mut scored = pattern.match_list(all.iter(), &mut matcher);
    // A command that starts with what is typed comes first, then the fuzzy score decides.
    scored.sort_by_key(|(c, score)| (!c.starts_with(typed), std::cmp::Reverse(*score)));
    scored.into_iter().map(|(c, _)| c.clone()).collect()
}

impl Palette {
    pub fn new(all: &[String]) -> Palette {
        let mut p = Palette::default();
        p.refresh(all);
        p
    }

    /// After typing: new suggestions, none picked.
    pub fn refresh(&mut self, all: &[String]) {
        self.suggestions = suggest(self.input.value(), all);
        self.picked = None;
        self.back = None;
    }

    /// Tab: the next suggestion into the input (Shift-Tab the previous).
    pub fn cycle(&mut self, d: isize) {
        let n = self.suggestions.len();
        if n == 0 {
            return;
        }
        let next = match self.picked {
            None if d < 0 => n - 1,
            None => 0,
            Some(i) => (i as isize + d).rem_euclid(n as isize) as usize,
        };
        self.picked = Some(next);
        self.input = Input::new(self.suggestions[next].clone());
    }

    /// ↑/↓: an earlier or later command from the history.
    pub fn recall(&mut self, history: &[String], d: isize) {
        if history.is_empty() {
            return;
        }
        let last = history.len() - 1;
        let at = match (self.back, d < 0) {
            (None, true) => Some(last),
            (None, false) => None,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i < last => Some(i + 1),
            (Some(_), false) => None,
        };
        self.back = at;
        self.input = Input::new(at.map(|i| history[i].clone()).unwrap_or_default());
    }
}

/// Keeps `cmd` as the newest entry of `history` (once), at most `HISTORY` of them.
pub fn remember(history: &mut Vec<String>, cmd: &str) {
    if cmd.is_empty() {
        return;
    }
    history.retain(|c| c != cmd);
    history.push(cmd.to_owned());
    if history.len() > HISTORY {
        history.remove(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<String> {
        [
            "workspaces",
            "resource-groups",
            "new",
            "delete",
            "region cn-hangzhou",
            "quit",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn suggestions_are_fuzzy_and_prefixes_come_first() {
        assert_eq!(suggest("", &all()).len(), 6);
        assert_eq!(suggest("rg", &all())[0], "resource-groups");
        assert_eq!(suggest("re", &all())[0], "resource-groups");
        assert!(suggest("wksp", &all()).contains(&"workspaces".to_owned()));
        assert!(suggest("zzz", &all()).is_empty());
    }

    #[test]
    fn tab_cycles_and_history_recalls() {
        let mut p = Palette::new(&all());
        p.input = Input::new("de".into());
        p.refresh(&all());
        p.cycle(1);
        assert_eq!(p.input.value(), "delete");
        let mut h = Vec::new();
        remember(&mut h, "workspaces");
        remember(&mut h, "quit");
        remember(&mut h, "workspaces");
        assert_eq!(h, ["quit", "workspaces"]);
        p.recall(&h, -1);
        assert_eq!(p.input.value(), "workspaces");
        p.recall(&h, -1);
        assert_eq!(p.input.value(), "quit");
        p.recall(&h, 1);
        assert_eq!(p.input.value(), "workspaces");
        p.recall(&h, 1);
        assert_eq!(p.input.value(), "");
    }
}
