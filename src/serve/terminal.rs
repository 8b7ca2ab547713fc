//! One SSH channel as a terminal: what the console writes goes out as channel data, in order with
//! its stderr and exit status; what the client types is parsed (termwiz's input parser) into the
//! key events the console handles.

use crossterm::event::{
    Event, KeyCode as CKey, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers, MouseButton,
    MouseEvent as CMouse, MouseEventKind,
};
use russh::ChannelId;
use russh::server::Handle;
use termwiz::input::{InputEvent, InputParser, KeyCode, Modifiers, MouseButtons};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// What goes out on a channel, in the order it was written.
#[derive(Debug)]
pub enum Out {
    Data(Vec<u8>),
    Stderr(Vec<u8>),
    /// The exit status, then EOF and close: nothing follows.
    Exit(u32),
}

/// Sends a channel's output in order until its exit, or until the client is gone.
pub fn forward(handle: Handle, id: ChannelId) -> UnboundedSender<Out> {
    let (tx, mut rx): (UnboundedSender<Out>, UnboundedReceiver<Out>) = unbounded_channel();
    tokio::spawn(async move {
        while let Some(out) = rx.recv().await {
            let sent = match out {
                Out::Data(d) => handle.data(id, d).await.is_ok(),
                Out::Stderr(d) => handle.extended_data(id, 1, d).await.is_ok(),
                Out::Exit(code) => {
                    let _ = handle.exit_status_request(id, code).await;
                    let _ = handle.eof(id).await;
                    let _ = handle.close(id).await;
                    break;
                }
            };
            if !sent {
                break;
            }
        }
    });
    tx
}

/// A `Write` that sends what was written on flush (the console flushes once per frame).
pub struct ChannelWriter {
    tx: UnboundedSender<Out>,
    buf: Vec<u8>,
    stderr: bool,
    /// A command run with a terminal (`ssh -t HOST COMMAND`): the client's terminal is raw, so
    /// line ends go out as CR LF, as a terminal driver would send them.
    crlf: bool,
}

impl ChannelWriter {
    pub fn stdout(tx: UnboundedSender<Out>) -> Self {
        ChannelWriter {
            tx,
            buf: Vec::new(),
            stderr: false,
            crlf: false,
        }
    }

    pub fn stderr(tx: UnboundedSender<Out>) -> Self {
        ChannelWriter {
            tx,
            buf: Vec::new(),
            stderr: true,
            crlf: false,
        }
    }

    pub fn with_crlf(mut self, on: bool) -> Self {
        self.crlf = on;
        self
    }
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.crlf {
            for &b in buf {
                if b == b'\n' && self.buf.last() != Some(&b'\r') {
                    self.buf.push(b'\r');
                }
                self.buf.push(b);
            }
        } else {
            self.buf.extend_from_slice(buf);
        }
        // Large outputs (an export) go out as they come, not all at the end.
        if self.buf.len() >= 32 * 1024 {
            self.flush()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let data = std::mem::take(&mut self.buf);
        let out = if self.stderr {
            Out::Stderr(data)
        } else {
            Out::Data(data)
        };
        self.tx
            .send(out)
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client is gone"))
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = std::io::Write::flush(self);
    }
}

/// Parsers not in use. A parser carries a table of every key sequence (about 800 KiB), and
/// between packets it holds nothing but an unfinished paste, so sessions share a few instead of
/// each keeping its own.
static IDLE_PARSERS: std::sync::Mutex<Vec<InputParser>> = std::sync::Mutex::new(Vec::new());
const IDLE_KEPT: usize = 8;

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

fn last_at(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Turns the bytes a client's terminal sends into console events.
#[derive(Default)]
pub struct Keyboard {
    /// Kept only while a bracketed paste is open across packets.
    held: Option<InputParser>,
}

impl Keyboard {
    pub fn new() -> Self {
        Keyboard { held: None }
    }

    /// The events in `bytes`. A key's escape sequence arrives whole in one packet, so a lone
    /// ESC at the end is the Esc key, not the start of a sequence still to come.
    pub fn events(&mut self, bytes: &[u8]) -> Vec<Event> {
        let idle = || IDLE_PARSERS.lock().unwrap_or_else(|e| e.into_inner());
        let open_before = self.held.is_some();
        let mut parser = self
            .held
            .take()
            .or_else(|| idle().pop())
            .unwrap_or_default();
        let events = parser
            .parse_as_vec(bytes, false)
            .into_iter()
            .filter_map(translate)
            .collect();
        let pasting = match (last_at(bytes, PASTE_START), last_at(bytes, PASTE_END)) {
            (Some(start), Some(end)) => start > end,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => open_before,
        };
        if pasting {
            self.held = Some(parser);
        } else {
            let mut idle = idle();
            if idle.len() < IDLE_KEPT {
                idle.push(parser);
            }
        }
        events
    }
}

fn modifiers(m: Modifiers) -> KeyModifiers {
    let mut out = KeyModifiers::NONE;
    if m.contains(Modifiers::SHIFT) {
        out |= KeyModifiers::SHIFT;
    }
    if m.contains(Modifiers::CTRL) {
        out |= KeyModifiers::CONTROL;
    }
    if m.contains(Modifiers::ALT) {
        out |= KeyModifiers::ALT;
    }
    out
}

fn key(code: CKey, m: KeyModifiers) -> Event {
    Event::Key(KeyEvent {
        code,
        modifiers: m,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    })
}

fn translate(ev: InputEvent) -> Option<Event> {
    match ev {
        InputEvent::Key(k) => {
            let m = modifiers(k.modifiers);
            let code = match k.key {
                KeyCode::Char(c) if m.contains(KeyModifiers::CONTROL) => {
                    CKey::Char(c.to_ascii_lowercase())
                }
                KeyCode::Char(c) => CKey::Char(c),
                KeyCode::Enter => CKey::Enter,
                KeyCode::Escape => CKey::Esc,
                KeyCode::Backspace => CKey::Backspace,
                KeyCode::Tab if m.contains(KeyModifiers::SHIFT) => CKey::BackTab,
                KeyCode::Tab => CKey::Tab,
                KeyCode::Delete => CKey::Delete,
                KeyCode::Insert => CKey::Insert,
                KeyCode::Home | KeyCode::KeyPadHome => CKey::Home,
                KeyCode::End | KeyCode::KeyPadEnd => CKey::End,
                KeyCode::PageUp | KeyCode::KeyPadPageUp => CKey::PageUp,
                KeyCode::PageDown | KeyCode::KeyPadPageDown => CKey::PageDown,
                KeyCode::LeftArrow | KeyCode::ApplicationLeftArrow => CKey::Left,
                KeyCode::RightArrow | KeyCode::ApplicationRightArrow => CKey::Right,
                KeyCode::UpArrow | KeyCode::ApplicationUpArrow => CKey::Up,
                KeyCode::DownArrow | KeyCode::ApplicationDownArrow => CKey::Down,
                KeyCode::Function(n) => CKey::F(n),
                _ => return None,
            };
            Some(key(code, m))
        }
        InputEvent::Paste(text) => Some(Event::Paste(text)),
        InputEvent::Mouse(me) => {
            let kind = if me.mouse_buttons.contains(MouseButtons::VERT_WHEEL) {
                if me.mouse_buttons.contains(MouseButtons::WHEEL_POSITIVE) {
                    MouseEventKind::ScrollUp
                } else {
                    MouseEventKind::ScrollDown
                }
            } else if me.mouse_buttons.contains(MouseButtons::LEFT) {
                MouseEventKind::Down(MouseButton::Left)
            } else {
                return None;
            };
            // termwiz counts cells from 1.
            Some(Event::Mouse(CMouse {
                kind,
                column: me.x.saturating_sub(1),
                row: me.y.saturating_sub(1),
                modifiers: modifiers(me.modifiers),
            }))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(bytes: &[u8]) -> Vec<(CKey, KeyModifiers)> {
        Keyboard::new()
            .events(bytes)
            .into_iter()
            .filter_map(|e| match e {
                Event::Key(k) => Some((k.code, k.modifiers)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn keys_a_terminal_sends() {
        assert_eq!(codes(b"j")[0].0, CKey::Char('j'));
        assert_eq!(codes(b"\x1b[A")[0].0, CKey::Up);
        assert_eq!(codes(b"\x1bOB")[0].0, CKey::Down);
        assert_eq!(codes(b"\r")[0].0, CKey::Enter);
        assert_eq!(codes(b"\x1b")[0].0, CKey::Esc);
        assert_eq!(codes(b"\x1b[Z")[0].0, CKey::BackTab);
        assert_eq!(codes(b"\x7f")[0].0, CKey::Backspace);
        let (c, m) = codes(b"\x03")[0];
        assert_eq!(c, CKey::Char('c'));
        assert!(m.contains(KeyModifiers::CONTROL));
        assert_eq!(
            codes(b"jk").iter().map(|k| k.0).collect::<Vec<_>>(),
            vec![CKey::Char('j'), CKey::Char('k')]
        );
        assert_eq!(
            Keyboard::new().events(b"\x1b[200~a\nb\x1b[201~"),
            vec![Event::Paste("a\nb".into())]
        );
        // A paste split across packets stays one paste, while other keyboards type on.
        let (mut a, mut b) = (Keyboard::new(), Keyboard::new());
        assert!(a.events(b"\x1b[200~first ").is_empty());
        assert_eq!(b.events(b"j").len(), 1);
        assert_eq!(
            a.events(b"half\x1b[201~j"),
            vec![
                Event::Paste("first half".into()),
                key(CKey::Char('j'), KeyModifiers::NONE)
            ]
        );
    }
}
