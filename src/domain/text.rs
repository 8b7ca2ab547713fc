//! Text as a terminal may show it: what a person or an attacker typed reaches tables, errors and
//! the console only with control characters and bidirectional overrides escaped (so no escape
//! sequence ever runs on someone's terminal), and with over-long values shortened.

use std::borrow::Cow;

/// Unicode's bidirectional formatting characters: they reorder what follows them on screen, so
/// `exe.txt` can be made to read as `txt.exe` (CVE-2021-42574, "Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

fn unsafe_char(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// `s` with every control character and bidirectional control written as an escape (`\e`,
/// `\n`, `\u{202e}`); unchanged (and not copied) when there is none.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The longest run of characters without a space a message quotes before shortening it.
pub const MAX_QUOTED: usize = 100;

/// A message as an error shows it: printable, and any value (a run without spaces) longer than
/// `MAX_QUOTED` characters cut to its first `MAX_QUOTED` and an ellipsis.
pub fn message(s: &str) -> String {
    let shown = printable(s);
    if !shown.split(' ').any(|w| w.chars().count() > MAX_QUOTED) {
        return shown.into_owned();
    }
    shown
        .split(' ')
        .map(|w| {
            if w.chars().count() > MAX_QUOTED {
                let mut cut: String = w.chars().take(MAX_QUOTED).collect();
                cut.push('…');
                cut
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_overrides_are_shown_not_run() {
        assert!(matches!(printable("plain text"), Cow::Borrowed(_)));
        assert_eq!(
            printable("evil\u{1b}[2J\u{1b}]0;pwned\u{7}"),
            "evil\\e[2J\\e]0;pwned\\u{7}"
        );
        assert_eq!(printable("a\u{202e}txt.exe"), "a\\u{202e}txt.exe");
        assert_eq!(printable("two\nlines"), "two\\nlines");
        assert_eq!(printable("\u{9b}31m"), "\\u{9b}31m");
        assert!(is_bidi_control('\u{2067}') && !is_bidi_control('a'));
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let long = "x".repeat(70_000);
        let m = message(&format!("not found: workspace {long}"));
        assert_eq!(
            m.chars().count(),
            "not found: workspace ".len() + MAX_QUOTED + 1
        );
        assert!(m.ends_with('…'));
        assert_eq!(message("short one"), "short one");
    }
}
