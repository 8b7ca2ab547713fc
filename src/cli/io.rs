//! Where a command's input and output go: the process's own streams for the local binary, or one
//! SSH channel's for a command run by `dwc serve` (DESIGN §12). Commands read secrets, files and
//! variables only through here, so a served command never reaches the server's own files,
//! environment or terminal.

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::console::ConsoleError;

type Reader = Box<dyn Read + Send>;
type Writer = Box<dyn Write + Send>;

#[derive(Clone)]
pub struct Io {
    inner: Arc<Inner>,
}

struct Inner {
    stdin: Mutex<Reader>,
    stdout: Mutex<Writer>,
    stderr: Mutex<Writer>,
    /// `None`: the process's environment. A served command sees only what its client sent.
    env: Option<HashMap<String, String>>,
    /// Whether a person is at a terminal on both ends (prompts, progress bars).
    terminal: bool,
    served: bool,
    /// The command already told the person why it fails (`dwc can` prints its decision):
    /// the error only gives the exit code.
    shown: std::sync::atomic::AtomicBool,
}

impl Default for Io {
    fn default() -> Self {
        Io {
            inner: Arc::new(Inner {
                stdin: Mutex::new(Box::new(std::io::stdin())),
                stdout: Mutex::new(Box::new(std::io::stdout())),
                stderr: Mutex::new(Box::new(std::io::stderr())),
                env: None,
                terminal: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
                served: false,
                shown: Default::default(),
            }),
        }
    }
}

impl std::fmt::Debug for Io {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Io")
            .field("served", &self.inner.served)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Reads at most `limit` bytes; more is refused with the field, the limit and what was seen.
pub fn read_bounded(r: impl Read, field: &str, limit: usize) -> Result<String, ConsoleError> {
    text(read_bounded_bytes(r, field, limit)?, field)
}

fn text(buf: Vec<u8>, field: &str) -> Result<String, ConsoleError> {
    String::from_utf8(buf).map_err(|_| ConsoleError::invalid(field, "is not UTF-8 text"))
}

/// At most `limit` bytes of `r`, or the refusal naming `field`.
pub fn read_bounded_bytes(
    mut r: impl Read,
    field: &str,
    limit: usize,
) -> Result<Vec<u8>, ConsoleError> {
    let mut buf = Vec::new();
    (&mut r)
        .take(limit as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ConsoleError::invalid(field, format!("cannot be read: {e}")))?;
    if buf.len() > limit {
        return Err(ConsoleError::invalid(
            field,
            format!("is larger than {limit} bytes, the most it may be"),
        ));
    }
    Ok(buf)
}

impl Io {
    /// The streams of one served command: what it prints goes to `stdout`/`stderr`, it reads
    /// `stdin`, and its environment is `env` alone.
    pub fn served(
        stdin: Reader,
        stdout: Writer,
        stderr: Writer,
        env: HashMap<String, String>,
    ) -> Io {
        Io {
            inner: Arc::new(Inner {
                stdin: Mutex::new(stdin),
                stdout: Mutex::new(stdout),
                stderr: Mutex::new(stderr),
                env: Some(env),
                terminal: false,
                served: true,
                shown: Default::default(),
            }),
        }
    }

    /// Says the failure about to be returned was already shown on standard output.
    pub fn mark_shown(&self) {
        self.inner
            .shown
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn was_shown(&self) -> bool {
        self.inner.shown.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn is_served(&self) -> bool {
        self.inner.served
    }

    pub fn is_terminal(&self) -> bool {
        self.inner.terminal
    }

    pub fn var(&self, name: &str) -> Option<String> {
        match &self.inner.env {
            Some(env) => env.get(name).cloned(),
            None => std::env::var(name).ok(),
        }
    }

    /// Writes to standard output. A reader that went away (`| head`) is not an error: the
    /// output simply ends there. Anything else (a full disk) is, with what went wrong.
    pub fn out(&self, text: &str) -> Result<(), ConsoleError> {
        let mut w = lock(&self.inner.stdout);
        match w.write_all(text.as_bytes()).and_then(|_| w.flush()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(ConsoleError::Internal(format!(
                "writing the output failed: {e}"
            ))),
        }
    }

    /// Standard output for a command that writes as it goes (an export of any size): `f`
    /// writes through a buffer. A reader that went away ends the output quietly, as with `out`.
    pub fn out_stream(
        &self,
        f: impl FnOnce(&mut dyn Write) -> Result<(), ConsoleError>,
    ) -> Result<(), ConsoleError> {
        let mut w = lock(&self.inner.stdout);
        let mut to = Watched {
            to: std::io::BufWriter::with_capacity(1 << 16, &mut **w),
            gone: false,
        };
        let result = f(&mut to).and_then(|()| {
            to.flush()
                .map_err(|e| ConsoleError::Internal(format!("writing the output failed: {e}")))
        });
        if to.gone { Ok(()) } else { result }
    }

    pub fn err(&self, text: &str) {
        let mut w = lock(&self.inner.stderr);
        let _ = w.write_all(text.as_bytes()).and_then(|_| w.flush());
    }

    /// Standard input, at most `limit` bytes.
    pub fn read_stdin(&self, field: &str, limit: usize) -> Result<String, ConsoleError> {
        read_bounded(&mut *lock(&self.inner.stdin), field, limit)
    }

    /// A file named on the command line, or standard input for `-`. A served command reads
    /// only its standard input: the server's files are not its to read.
    pub fn read_file(
        &self,
        path: &Path,
        field: &str,
        limit: usize,
    ) -> Result<String, ConsoleError> {
        text(self.read_bytes(path, field, limit)?, field)
    }

    /// `read_file`, for what need not be text (a keytab).
    pub fn read_bytes(
        &self,
        path: &Path,
        field: &str,
        limit: usize,
    ) -> Result<Vec<u8>, ConsoleError> {
        if path == Path::new("-") {
            return read_bounded_bytes(&mut *lock(&self.inner.stdin), field, limit);
        }
        if self.inner.served {
            return Err(ConsoleError::invalid(
                field,
                "over SSH only `-` (standard input) can be read: pass the file with `< FILE`",
            ));
        }
        let f = std::fs::File::open(path).map_err(|e| {
            ConsoleError::invalid(field, format!("cannot read {}: {e}", path.display()))
        })?;
        // A file that says its size is refused by it before a byte is read.
        if let Ok(meta) = f.metadata()
            && meta.is_file()
            && meta.len() > limit as u64
        {
            return Err(ConsoleError::invalid(
                field,
                format!(
                    "{} is {} bytes, larger than {limit} bytes, the most it may be",
                    path.display(),
                    meta.len()
                ),
            ));
        }
        read_bounded_bytes(f, field, limit)
    }

    /// One secret from standard input (`--password-stdin`): the first line, without its newline.
    pub fn secret_from_stdin(&self) -> Result<String, ConsoleError> {
        let s = self.read_stdin("password", 4096)?;
        Ok(s.lines().next().unwrap_or_default().to_owned())
    }

    /// A secret typed at a terminal prompt (not echoed); `None` when nobody is at a terminal.
    pub fn prompt_secret(&self, prompt: &str) -> Result<Option<String>, ConsoleError> {
        if self.inner.terminal && !self.inner.served {
            return rpassword::prompt_password(prompt)
                .map(Some)
                .map_err(|e| ConsoleError::Internal(format!("reading the password: {e}")));
        }
        Ok(None)
    }

    /// A secret from an environment variable, else typed at a terminal prompt, else missing.
    pub fn secret_from(&self, var: &str, prompt: &str) -> Result<Option<String>, ConsoleError> {
        match self.var(var) {
            Some(v) => Ok(Some(v)),
            None => self.prompt_secret(prompt),
        }
    }

    /// A new password: from an environment variable, else typed twice at a terminal prompt (a
    /// typo in a password nobody can see would lock its owner out).
    pub fn new_secret_from(&self, var: &str, prompt: &str) -> Result<Option<String>, ConsoleError> {
        if let Some(v) = self.var(var) {
            return Ok(Some(v));
        }
        let Some(first) = self.prompt_secret(prompt)? else {
            return Ok(None);
        };
        match self.prompt_secret("Again: ")? {
            Some(second) if second == first => Ok(Some(first)),
            _ => Err(ConsoleError::invalid("password", "the two entries differ")),
        }
    }
}

/// A writer that remembers whether its reader went away (a broken pipe).
struct Watched<W: Write> {
    to: W,
    gone: bool,
}

impl<W: Write> Watched<W> {
    fn seen<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &r
            && e.kind() == std::io::ErrorKind::BrokenPipe
        {
            self.gone = true;
        }
        r
    }
}

impl<W: Write> Write for Watched<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let r = self.to.write(buf);
        self.seen(r)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.to.flush();
        self.seen(r)
    }
}
