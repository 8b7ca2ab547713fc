//! A text editor over the console, for what is written in several lines (a policy document):
//! ratatui-textarea's editing keys, `Ctrl-S` saves through the console, `Esc` leaves without
//! saving. A paste goes in as text.

use ratatui_textarea::TextArea;

use crate::console::{Console, ConsoleError, Session};

use super::pages::Opened;

pub type SaveFn =
    Box<dyn Fn(&Console, &Session, &str) -> Result<Opened, ConsoleError> + Send + Sync>;

pub struct Editor {
    pub title: String,
    pub area: TextArea<'static>,
    pub save: SaveFn,
    /// The console's refusal of the last save, shown under the text.
    pub error: Option<String>,
}

/// The most an editor takes, a little over what a RAM policy may be (6,144 characters), so the
/// console's own rule is what a person reads.
const MAX_CHARS: usize = 8 * 1024;

impl Editor {
    pub fn new(
        title: impl Into<String>,
        text: &str,
        save: impl Fn(&Console, &Session, &str) -> Result<Opened, ConsoleError> + Send + Sync + 'static,
    ) -> Editor {
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        Editor {
            title: title.into(),
            area: TextArea::new(if lines.is_empty() {
                vec![String::new()]
            } else {
                lines
            }),
            save: Box::new(save),
            error: None,
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    fn len(&self) -> usize {
        self.area
            .lines()
            .iter()
            .map(|l| l.chars().count() + 1)
            .sum()
    }

    /// A paste, as text: line breaks kept, tabs as spaces, other control characters refused.
    pub fn paste(&mut self, text: &str) {
        let text = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .replace('\t', "    ");
        if text.chars().any(|c| c.is_control() && c != '\n') {
            self.error = Some("the pasted text has control characters: nothing was pasted".into());
            return;
        }
        if self.len() + text.chars().count() > MAX_CHARS {
            self.error = Some(format!("a document is at most {MAX_CHARS} characters here"));
            return;
        }
        self.area.insert_str(text);
        self.error = None;
    }

    /// A key for the text; refused once the text is at its most.
    pub fn key(&mut self, ev: &crossterm::event::Event) {
        if let crossterm::event::Event::Key(k) = ev
            && matches!(
                k.code,
                crossterm::event::KeyCode::Char(_) | crossterm::event::KeyCode::Enter
            )
            && self.len() >= MAX_CHARS
        {
            self.error = Some(format!("a document is at most {MAX_CHARS} characters here"));
            return;
        }
        self.area.input(ev.clone());
    }
}
