//! The console's settings file: `config.toml` in the platform config directory (or the file
//! `DWC_CONFIG` names) picks a theme and may give keys to actions and commands:
//!
//! ```toml
//! theme = "light"          # dark (the default), light or high-contrast
//! [keys]
//! quit = "Q"               # a fixed action: up, down, top, bottom, filter, palette, help,
//! new = "N"                # quit, sort, reverse — or a command's palette name
//! ```
//!
//! A bad file is reported with its line and the defaults are used: the console always opens.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use serde::Deserialize;

use super::keymap::Action;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Theme {
    #[default]
    Dark,
    Light,
    HighContrast,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Dark, Theme::Light, Theme::HighContrast];

    pub fn slug(self) -> &'static str {
        match self {
            Theme::Dark => "dark",
            Theme::Light => "light",
            Theme::HighContrast => "high-contrast",
        }
    }

    /// The theme's colour for one the console draws with (the dark theme's own).
    fn map(self, c: Color) -> Color {
        match (self, c) {
            (Theme::Dark, c) => c,
            (Theme::Light, Color::Cyan) => Color::Blue,
            (Theme::Light, Color::Yellow) => Color::Magenta,
            (Theme::Light, Color::Green) => Color::Rgb(0, 110, 0),
            (Theme::Light, Color::Gray) => Color::DarkGray,
            (Theme::Light, Color::Black) => Color::White,
            (Theme::HighContrast, Color::Cyan | Color::Yellow) => Color::White,
            (Theme::HighContrast, Color::Green) => Color::LightGreen,
            (Theme::HighContrast, Color::Red) => Color::LightRed,
            (Theme::HighContrast, Color::Gray | Color::DarkGray) => Color::White,
            (_, c) => c,
        }
    }

    /// Redraws the frame in this theme's colours; high contrast also makes coloured text bold
    /// and drops dimming.
    pub fn apply(self, buf: &mut Buffer) {
        if self == Theme::Dark {
            return;
        }
        for cell in buf.content.iter_mut() {
            let coloured = cell.fg != Color::Reset;
            cell.fg = self.map(cell.fg);
            cell.bg = self.map(cell.bg);
            if self == Theme::HighContrast {
                cell.modifier.remove(Modifier::DIM);
                if coloured {
                    cell.modifier.insert(Modifier::BOLD);
                }
            }
        }
    }
}

/// The fixed actions a key may be given to, by the name the file uses.
pub const ACTIONS: &[(&str, Action)] = &[
    ("up", Action::Up),
    ("down", Action::Down),
    ("top", Action::Top),
    ("bottom", Action::Bottom),
    ("filter", Action::Filter),
    ("palette", Action::Palette),
    ("help", Action::Help),
    ("quit", Action::Quit),
    ("sort", Action::Sort),
    ("reverse", Action::Reverse),
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub theme: Theme,
    /// Action or command name → the key given to it.
    pub keys: BTreeMap<String, char>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    theme: Theme,
    #[serde(default)]
    keys: BTreeMap<String, String>,
}

impl Settings {
    /// Where the file is: `DWC_CONFIG`, else `config.toml` in the platform config directory.
    pub fn path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("DWC_CONFIG") {
            return Some(PathBuf::from(p));
        }
        directories::ProjectDirs::from("", "", "dwc").map(|d| d.config_dir().join("config.toml"))
    }

    /// The settings in force, and what was wrong with the file (the defaults are used then).
    pub fn load() -> (Settings, Option<String>) {
        match Settings::path() {
            Some(p) => Settings::read(&p),
            None => (Settings::default(), None),
        }
    }

    /// Reads `path`: no file is the defaults, a bad one the defaults and why.
    pub fn read(path: &Path) -> (Settings, Option<String>) {
        // A settings file is a few lines; anything larger is not one.
        const MAX: u64 = 64 * 1024;
        let text = match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Settings::default(), None);
            }
            Ok(m) if m.len() > MAX => {
                return bad(path, 1, "is larger than 64 KiB; is it the settings file?");
            }
            _ => match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => return bad(path, 1, &format!("cannot be read: {e}")),
            },
        };
        match Settings::parse(&text) {
            Ok(s) => (s, None),
            Err((line, why)) => bad(path, line, &why),
        }
    }

    /// Parses the file's text; an error is its line and what is wrong.
    pub fn parse(text: &str) -> Result<Settings, (usize, String)> {
        let line_of = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
        let f: File = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of(s.start));
            let mut msg = e.message().trim().to_owned();
            if msg.contains("unknown variant") && !msg.contains("expected one of") {
                let themes: Vec<&str> = Theme::ALL.iter().map(|t| t.slug()).collect();
                msg = format!("{msg} (themes: {})", themes.join(", "));
            }
            (line, msg)
        })?;
        let mut keys = BTreeMap::new();
        for (name, key) in f.keys {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with(&name))
                .map_or(1, |i| i + 1);
            let known = ACTIONS.iter().any(|(a, _)| *a == name)
                || super::pages::all_commands().any(|c| c.name == name);
            if !known {
                let actions: Vec<&str> = ACTIONS.iter().map(|(a, _)| *a).collect();
                return Err((
                    line,
                    format!(
                        "keys.{name}: no action or command has that name (actions: {}; or a command's palette name, as ? lists them)",
                        actions.join(", ")
                    ),
                ));
            }
            let mut chars = key.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                return Err((
                    line,
                    format!("keys.{name}: must be one character (got {key:?})"),
                ));
            };
            if !c.is_ascii_graphic() {
                return Err((line, format!("keys.{name}: must be a printable character")));
            }
            if let Some((other, _)) = keys.iter().find(|(_, k)| **k == c) {
                return Err((
                    line,
                    format!("keys.{name}: {c} is already given to {other}"),
                ));
            }
            keys.insert(name, c);
        }
        Ok(Settings {
            theme: f.theme,
            keys,
        })
    }

    /// The fixed action a pressed key was given to, if any.
    pub fn action_for(&self, c: char) -> Option<Action> {
        let name = self.keys.iter().find(|(_, k)| **k == c)?.0;
        ACTIONS.iter().find(|(a, _)| a == name).map(|(_, act)| *act)
    }

    /// The command name a pressed key was given to, if any.
    pub fn command_for(&self, c: char) -> Option<&str> {
        let name = self.keys.iter().find(|(_, k)| **k == c)?.0;
        (!ACTIONS.iter().any(|(a, _)| a == name)).then_some(name.as_str())
    }

    /// The key in force for a command: the one the file gives it, else its own.
    pub fn key_of(&self, name: &str, default: char) -> char {
        self.keys.get(name).copied().unwrap_or(default)
    }

    /// Whether a pressed key is taken by the file for something else than its default meaning.
    pub fn takes(&self, c: char) -> bool {
        self.keys.values().any(|k| *k == c)
    }
}

fn bad(path: &Path, line: usize, why: &str) -> (Settings, Option<String>) {
    (
        Settings::default(),
        Some(format!(
            "{}:{line}: {why}; the defaults are used",
            path.display()
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes_and_keys_are_read_and_bad_lines_named() {
        let s = Settings::parse("theme = \"light\"\n[keys]\nquit = \"Q\"\nnew = \"N\"\n").unwrap();
        assert_eq!(s.theme, Theme::Light);
        assert_eq!(s.action_for('Q'), Some(Action::Quit));
        assert_eq!(s.command_for('N'), Some("new"));
        assert_eq!(s.key_of("new", 'n'), 'N');
        assert_eq!(s.key_of("delete", 'd'), 'd');
        assert_eq!(Settings::parse("").unwrap(), Settings::default());

        let (line, why) = Settings::parse("\n\ntheme = \"pink\"\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(
            why.contains("pink") && why.contains("high-contrast"),
            "{why}"
        );
        let (line, why) = Settings::parse("[keys]\nfly = \"f\"\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(why.contains("keys.fly"), "{why}");
        let (_, why) = Settings::parse("[keys]\nquit = \"QQ\"\n").unwrap_err();
        assert!(why.contains("one character"), "{why}");
        let (_, why) = Settings::parse("[keys]\nquit = \"x\"\nhelp = \"x\"\n").unwrap_err();
        assert!(why.contains("already given"), "{why}");
        let (line, _) = Settings::parse("colour = 1\n").unwrap_err();
        assert_eq!(line, 1);
    }

    #[test]
    fn a_missing_file_is_the_defaults_and_a_bad_one_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        assert_eq!(Settings::read(&p), (Settings::default(), None));
        std::fs::write(&p, "theme = \"light\"\ntheme = 3\n").unwrap();
        let (s, warning) = Settings::read(&p);
        assert_eq!(s, Settings::default());
        let w = warning.unwrap();
        assert!(
            w.contains("config.toml:2:") && w.ends_with("the defaults are used"),
            "{w}"
        );
    }

    #[test]
    fn a_theme_recolours_what_is_drawn() {
        let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, 2, 1));
        buf.content[0].fg = Color::Cyan;
        buf.content[0].modifier.insert(Modifier::DIM);
        Theme::Dark.apply(&mut buf);
        assert_eq!(buf.content[0].fg, Color::Cyan);
        Theme::Light.apply(&mut buf.clone());
        let mut light = buf.clone();
        Theme::Light.apply(&mut light);
        assert_eq!(light.content[0].fg, Color::Blue);
        let mut high = buf.clone();
        Theme::HighContrast.apply(&mut high);
        assert_eq!(high.content[0].fg, Color::White);
        assert!(high.content[0].modifier.contains(Modifier::BOLD));
        assert!(!high.content[0].modifier.contains(Modifier::DIM));
    }
}
