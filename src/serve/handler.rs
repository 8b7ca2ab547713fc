//! One SSH connection: log-on through the console, then per channel either the terminal console
//! (a PTY and a shell request) or one CLI command (an exec request). Nothing here decides who
//! may do what; the console does.

use std::collections::HashMap;
use std::sync::Arc;

use crossterm::event::Event;
use russh::keys::PublicKey;
use russh::server::{
    Auth, ChannelOpenHandle, Msg, PublicKeyOffer, Response, Session, VerifiedPublicKey,
};
use russh::{Channel, ChannelId, MethodKind, MethodSet, Pty};
use tokio::sync::mpsc::UnboundedSender;

use crate::console::logon::{Credential, LogOnRequest};
use crate::console::{Console, ConsoleError, Session as ConsoleSession};
use crate::domain::Scope;

use super::terminal::{Keyboard, Out};
use super::{exec, shell};

/// What every connection shares: the one console.
pub struct Shared {
    pub console: Arc<Console>,
}

pub struct Server {
    pub shared: Arc<Shared>,
}

impl russh::server::Server for Server {
    type Handler = Conn;

    fn new_client(&mut self, peer: Option<std::net::SocketAddr>) -> Conn {
        let source = peer.map_or_else(|| "unknown".to_owned(), |p| p.ip().to_string());
        tracing::debug!(%source, "connection");
        Conn {
            shared: self.shared.clone(),
            source,
            logged_on: None,
            refusal: None,
            channels: HashMap::new(),
            pending: None,
        }
    }
}

/// A channel's state between its requests.
#[derive(Default)]
struct Chan {
    pty: Option<(u16, u16)>,
    env: HashMap<String, String>,
    /// The running console's input.
    input: Option<UnboundedSender<Event>>,
    keyboard: Keyboard,
    /// The running command's standard input; dropped at the client's EOF.
    stdin: Option<std::sync::mpsc::Sender<Vec<u8>>>,
    /// Marks the session active on input.
    ticket: Option<Arc<crate::console::sessions::Ticket>>,
}

pub struct Conn {
    shared: Arc<Shared>,
    source: String,
    /// Who logged on, from where; `None` until a log-on succeeds.
    logged_on: Option<ConsoleSession>,
    /// Why this connection may do nothing (a lock-out), told on every channel it opens.
    refusal: Option<String>,
    channels: HashMap<ChannelId, Chan>,
    /// A proof that was right for a user with MFA, waiting for the code (keyboard-interactive).
    pending: Option<(String, Cred)>,
}

/// The methods offered after a refusal: keys and passwords, never "none" on a real store.
fn methods() -> MethodSet {
    let mut m = MethodSet::empty();
    m.push(MethodKind::PublicKey);
    m.push(MethodKind::Password);
    m.push(MethodKind::KeyboardInteractive);
    m
}

fn reject() -> Auth {
    Auth::Reject {
        proceed_with_methods: Some(methods()),
        partial_success: false,
    }
}

impl Conn {
    fn console(&self) -> Arc<Console> {
        self.shared.console.clone()
    }

    /// Logs on through the console (argon2 runs off the async threads).
    async fn log_on(&mut self, user: &str, cred: Cred, via: &'static str) -> Auth {
        self.log_on_with(user, cred, None, via).await
    }

    async fn log_on_with(
        &mut self,
        user: &str,
        cred: Cred,
        code: Option<String>,
        via: &'static str,
    ) -> Auth {
        let console = self.console();
        let source = self.source.clone();
        let name = user.to_owned();
        let kept = cred.clone();
        let result = tokio::task::spawn_blocking(move || {
            let account = console.tenant().account;
            let region = console.tenant().default_region;
            let user = (name != account).then_some(name.as_str());
            let credential = match &cred {
                Cred::Password(p) => Credential::Password(p),
                Cred::Key(k) => Credential::Key(k),
                Cred::Nothing => Credential::Nothing,
            };
            console.log_on(LogOnRequest {
                user,
                credential,
                scope: Scope::Page,
                region: &region,
                source: &source,
                via,
                audit_success: true,
                new_password: None,
                mfa_code: code.as_deref(),
            })
        })
        .await;
        match result {
            Ok(Ok(s)) => {
                tracing::info!(user = %s.who(), source = %self.source, via, "log-on");
                self.logged_on = Some(s);
                Auth::Accept
            }
            Ok(Err(
                e @ (ConsoleError::LockedOut { .. } | ConsoleError::PasswordChangeRequired(_)),
            )) => {
                tracing::warn!(user, source = %self.source, via, "log-on refused: {e}");
                // Let the client in only to be told why nothing is possible: every channel it
                // opens gets this message and exit status 3, never a console.
                self.refusal = Some(e.to_string());
                Auth::Accept
            }
            Ok(Err(ConsoleError::MfaRequired(_))) => {
                // Right so far: the code is asked for by keyboard-interactive, the proof kept.
                tracing::info!(user, source = %self.source, via, "log-on needs an MFA code");
                self.pending = Some((user.to_owned(), kept));
                let mut m = MethodSet::empty();
                m.push(MethodKind::KeyboardInteractive);
                Auth::Reject {
                    proceed_with_methods: Some(m),
                    partial_success: true,
                }
            }
            Ok(Err(e)) => {
                tracing::info!(user, source = %self.source, via, "log-on refused: {e}");
                reject()
            }
            Err(e) => {
                tracing::error!("log-on task failed: {e}");
                reject()
            }
        }
    }

    /// The console session a channel acts as, or why it cannot.
    fn session(&self, scope: Scope) -> Result<ConsoleSession, String> {
        if let Some(r) = &self.refusal {
            return Err(r.clone());
        }
        let logged_on = self
            .logged_on
            .clone()
            .ok_or_else(|| "log-on failed: unknown user or wrong password".to_owned())?;
        Ok(ConsoleSession {
            scope,
            region: self.shared.console.tenant().default_region,
            ..logged_on
        })
    }
}

#[derive(Clone)]
enum Cred {
    Password(String),
    Key(PublicKey),
    Nothing,
}

impl russh::server::Handler for Conn {
    type Error = russh::Error;

    async fn auth_none(&mut self, user: &str) -> Result<Auth, Self::Error> {
        // Only a demo store lets anyone in by name; elsewhere this is the client asking which
        // methods there are, not an attempt.
        if self.shared.console.tenant().open {
            return Ok(self.log_on(user, Cred::Nothing, "ssh none").await);
        }
        Ok(reject())
    }

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        Ok(self
            .log_on(user, Cred::Password(password.to_owned()), "ssh password")
            .await)
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        let console = self.console();
        let (name, key) = (user.to_owned(), offer.public_key.clone());
        let ok = tokio::task::spawn_blocking(move || console.key_may_log_on(&name, &key))
            .await
            .map(|r| r.unwrap_or(false))
            .unwrap_or(false);
        if ok {
            // Only a possibility: the client must now sign with it (auth_publickey).
            return Ok(Auth::Accept);
        }
        // Refused before any signature: still an attempt, audited as the console sees it. An
        // unsigned offer never logs anyone on, whatever that call answered.
        let _ = self
            .log_on(user, Cred::Key(offer.public_key.clone()), "ssh publickey")
            .await;
        self.logged_on = None;
        self.refusal = None;
        Ok(reject())
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(self
            .log_on(user, Cred::Key(key.public_key.clone()), "ssh publickey")
            .await)
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        user: &str,
        _submethods: &str,
        response: Option<Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        let waiting = self.pending.as_ref().is_some_and(|(u, _)| u == user);
        let Some(mut response) = response else {
            // After a right password or key of a user with MFA: only the code.
            let prompt = if waiting { "MFA code: " } else { "Password: " };
            return Ok(Auth::Partial {
                name: "dwc".into(),
                instructions: "".into(),
                prompts: vec![(prompt.into(), waiting)].into(),
            });
        };
        let answer = response
            .next()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        if waiting && let Some((_, cred)) = self.pending.take() {
            return Ok(self
                .log_on_with(user, cred, Some(answer), "ssh keyboard-interactive")
                .await);
        }
        let auth = self
            .log_on(user, Cred::Password(answer), "ssh keyboard-interactive")
            .await;
        // The code in a second round of the same method.
        if matches!(
            auth,
            Auth::Reject {
                partial_success: true,
                ..
            }
        ) {
            return Ok(Auth::Partial {
                name: "dwc".into(),
                instructions: "".into(),
                prompts: vec![("MFA code: ".into(), true)].into(),
            });
        }
        Ok(auth)
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.channels.insert(channel.id(), Chan::default());
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(c) = self.channels.get_mut(&channel) {
            c.pty = Some((clamp(cols), clamp(rows)));
        }
        session.channel_success(channel)?;
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(c) = self.channels.get_mut(&channel)
            && c.env.len() < 64
            && name.len() <= 256
            && value.len() <= 4096
        {
            c.env.insert(name.to_owned(), value.to_owned());
        }
        session.channel_success(channel)?;
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let handle = session.handle();
        let out = super::terminal::forward(handle, channel);
        session.channel_success(channel)?;
        let s = self.session(Scope::Page);
        let Some(c) = self.channels.get_mut(&channel) else {
            return Ok(());
        };
        let s = match s {
            Ok(s) => s,
            Err(why) => return refuse(&out, &format!("{why}\r"), 3),
        };
        let Some((cols, rows)) = c.pty else {
            return refuse(
                &out,
                "the console needs a terminal: connect with ssh -t, or give a command (ssh HOST workspace list)",
                2,
            );
        };
        // The client's NO_COLOR, sent before the shell request (`ssh -o SetEnv=NO_COLOR=1`).
        let no_color = c.env.get("NO_COLOR").is_some_and(|v| !v.is_empty());
        match shell::start(
            self.shared.console.clone(),
            s,
            &self.source,
            (cols, rows),
            no_color,
            out.clone(),
        ) {
            Ok((input, ticket)) => {
                c.input = Some(input);
                c.ticket = Some(ticket);
            }
            Err(e) => return refuse(&out, &e.to_string(), 5),
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let handle = session.handle();
        let out = super::terminal::forward(handle, channel);
        session.channel_success(channel)?;
        let s = self.session(Scope::OpenAPI);
        let Some(c) = self.channels.get_mut(&channel) else {
            return Ok(());
        };
        let s = match s {
            Ok(s) => s,
            Err(why) => return refuse(&out, &why, 3),
        };
        let command = String::from_utf8_lossy(data).into_owned();
        let (stdin_tx, stdin_rx) = std::sync::mpsc::channel();
        match exec::start(
            self.shared.console.clone(),
            s,
            &self.source,
            &command,
            std::mem::take(&mut c.env),
            stdin_rx,
            out.clone(),
            c.pty.is_some(),
        ) {
            Ok(ticket) => {
                c.stdin = Some(stdin_tx);
                c.ticket = ticket;
            }
            Err((why, code)) => return refuse(&out, &why, code),
        }
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let console = self.shared.console.clone();
        let Some(c) = self.channels.get_mut(&channel) else {
            return Ok(());
        };
        if let Some(t) = &c.ticket {
            t.touch(console.now());
        }
        if let Some(input) = &c.input {
            for ev in c.keyboard.events(data) {
                let _ = input.send(ev);
            }
        } else if let Some(stdin) = &c.stdin {
            let _ = stdin.send(data.to_vec());
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(c) = self.channels.get_mut(&channel) {
            // The command's standard input ends here.
            c.stdin = None;
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Dropping the console's input ends it; its ticket goes with it.
        self.channels.remove(&channel);
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(c) = self.channels.get_mut(&channel) {
            c.pty = Some((clamp(cols), clamp(rows)));
            if let Some(input) = &c.input {
                let _ = input.send(Event::Resize(clamp(cols), clamp(rows)));
            }
        }
        Ok(())
    }
}

fn clamp(n: u32) -> u16 {
    n.clamp(1, 1000) as u16
}

/// Tells the client why, on stderr, and ends the channel with `code`.
fn refuse(out: &UnboundedSender<Out>, why: &str, code: u32) -> Result<(), russh::Error> {
    let _ = out.send(Out::Stderr(format!("dwc: {why}\n").into_bytes()));
    let _ = out.send(Out::Exit(code));
    Ok(())
}
