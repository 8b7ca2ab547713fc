//! The server's configuration: `serve.toml` in the store directory (or `--config FILE`), every
//! entry optional, command-line flags over the file over the defaults.

use std::path::Path;

use serde::Deserialize;

use crate::console::ConsoleError;

pub const FILE: &str = "serve.toml";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServeConfig {
    /// `ADDR:PORT` to listen on; loopback unless asked.
    pub listen: String,
    /// Sessions with no input for this long end.
    pub idle_timeout_minutes: u32,
    /// The most sessions (terminals and commands) open at once.
    pub max_sessions: u32,
    /// Failed log-ons for one user within `lockout_window_minutes` that lock it out…
    pub lockout_failures: u32,
    pub lockout_window_minutes: u32,
    /// …for this long.
    pub lockout_minutes: u32,
    /// `error`, `warn`, `info`, `debug` or `trace`.
    pub log_level: String,
    /// `[store] url = "postgres://…"`: the store to serve when the command line names none.
    pub store: StoreEntry,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreEntry {
    pub url: Option<String>,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            listen: "127.0.0.1:2222".into(),
            idle_timeout_minutes: 30,
            max_sessions: 64,
            lockout_failures: 5,
            lockout_window_minutes: 15,
            lockout_minutes: 15,
            log_level: "info".into(),
            store: StoreEntry::default(),
        }
    }
}

impl ServeConfig {
    /// Reads `path`; a missing default file is the defaults, a bad one an error naming its line.
    pub fn load(path: &Path, required: bool) -> Result<ServeConfig, ConsoleError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                return Ok(ServeConfig::default());
            }
            Err(e) => {
                return Err(ConsoleError::invalid(
                    &path.display().to_string(),
                    format!("cannot be read: {e}"),
                ));
            }
        };
        let c: ServeConfig = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            ConsoleError::invalid(
                &format!("{}:{line}", path.display()),
                e.message().to_owned(),
            )
        })?;
        c.check()?;
        Ok(c)
    }

    pub fn check(&self) -> Result<(), ConsoleError> {
        let positive = [
            ("idle_timeout_minutes", self.idle_timeout_minutes),
            ("max_sessions", self.max_sessions),
            ("lockout_failures", self.lockout_failures),
            ("lockout_window_minutes", self.lockout_window_minutes),
            ("lockout_minutes", self.lockout_minutes),
        ];
        for (field, v) in positive {
            if v == 0 {
                return Err(ConsoleError::invalid(field, "must be at least 1"));
            }
        }
        if !["error", "warn", "info", "debug", "trace"].contains(&self.log_level.as_str()) {
            return Err(ConsoleError::invalid(
                "log_level",
                "must be error, warn, info, debug or trace",
            ));
        }
        self.listen.parse::<std::net::SocketAddr>().map_err(|_| {
            ConsoleError::invalid("listen", "must be ADDR:PORT, such as 127.0.0.1:2222")
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_entries_and_errors_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE);
        assert_eq!(
            ServeConfig::load(&p, false).unwrap(),
            ServeConfig::default()
        );
        assert!(ServeConfig::load(&p, true).is_err());
        std::fs::write(&p, "max_sessions = 3\nlockout_failures = 2\n").unwrap();
        let c = ServeConfig::load(&p, false).unwrap();
        assert_eq!((c.max_sessions, c.lockout_failures), (3, 2));
        assert_eq!(c.listen, "127.0.0.1:2222");
        std::fs::write(&p, "max_sessions = 3\nmax_sesions = 4\n").unwrap();
        let e = ServeConfig::load(&p, false).unwrap_err().to_string();
        assert!(
            e.contains("serve.toml:2") && e.contains("max_sesions"),
            "{e}"
        );
        std::fs::write(&p, "idle_timeout_minutes = 0\n").unwrap();
        let e = ServeConfig::load(&p, false).unwrap_err().to_string();
        assert!(
            e.contains("idle_timeout_minutes: must be at least 1"),
            "{e}"
        );
    }
}
