//! Log-on (DESIGN §2, §12): who someone is, by password, public key or (on a demo store) by
//! name alone. Every attempt can be audited with where it came from and how; an unknown user
//! and a wrong secret are answered alike, in the same time; too many failures for one name lock
//! it out for a while. The CLI, the TUI and the SSH server all come through here.

use std::sync::LazyLock;

use chrono::Duration;
use russh::keys::{HashAlg, PublicKey};
use serde::{Deserialize, Serialize};

use crate::domain::audit::Outcome;
use crate::domain::{Principal, Scope, Timestamp};
use crate::store::T;

use super::auth;
use super::error::{ConsoleError, Result};
use super::records::UserRecord;
use super::{Console, Session};

/// How many failures within `window` lock a name out, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockout {
    pub failures: usize,
    pub window: Duration,
    pub lock: Duration,
}

impl Default for Lockout {
    fn default() -> Self {
        Lockout {
            failures: 5,
            window: Duration::minutes(15),
            lock: Duration::minutes(15),
        }
    }
}

/// What someone offers as proof of who they are.
#[derive(Debug, Clone, Copy)]
pub enum Credential<'a> {
    Password(&'a str),
    /// A public key whose ownership the transport has verified (SSH signs with it).
    Key(&'a PublicKey),
    /// Nothing: enough on a demo store, never on a real one.
    Nothing,
}

impl Credential<'_> {
    fn method(&self) -> &'static str {
        match self {
            Credential::Password(_) => "password",
            Credential::Key(_) => "publickey",
            Credential::Nothing => "none",
        }
    }
}

/// One log-on attempt.
#[derive(Debug, Clone, Copy)]
pub struct LogOnRequest<'a> {
    /// `None`: the account.
    pub user: Option<&'a str>,
    pub credential: Credential<'a>,
    pub scope: Scope,
    pub region: &'a str,
    /// Where it comes from: the SSH client's address, or `local`.
    pub source: &'a str,
    /// Through what: `ssh password`, `ssh keyboard-interactive`, `cli`, `tui`…
    pub via: &'a str,
    /// Audit a success too (an SSH log-on opens a session; a local command does not).
    pub audit_success: bool,
    /// A new password, for a log-on whose password is one-time.
    pub new_password: Option<&'a str>,
    /// The current code of the user's MFA device, when they have one.
    pub mfa_code: Option<&'a str>,
}

/// Failed log-ons of one name, newest last, only those inside the window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failures {
    pub at: Vec<Timestamp>,
}

/// A name longer than any valid one is neither looked up nor remembered as typed.
const MAX_NAME: usize = 64;

/// An argon2id hash of nothing anyone knows, verified when the user does not exist so that
/// an unknown user takes as long to refuse as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    auth::hash_password("no user has this password, it only takes time")
        .unwrap_or_else(|_| String::new())
});

/// The SHA256 fingerprint OpenSSH prints (`SHA256:…`).
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// A name as the audit log keeps it: at most `MAX_NAME` characters, no control characters.
fn shown(name: &str) -> String {
    let mut out: String = name
        .chars()
        .take(MAX_NAME)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if name.chars().count() > MAX_NAME {
        out.push('…');
    }
    out
}

impl Console {
    pub fn lockout(&self) -> Lockout {
        *self.lockout.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The server config's numbers for the lock-out.
    pub fn set_lockout(&self, l: Lockout) {
        *self.lockout.write().unwrap_or_else(|e| e.into_inner()) = l;
    }

    /// Whether `name` is locked out now, and for how many more minutes: some `failures`
    /// failures fell within one window, and the last of them was less than `lock` ago.
    fn locked_for(&self, name: &str, now: Timestamp) -> Result<Option<i64>> {
        let f: Failures = self
            .store
            .get(T::LogOnFailures, name.as_bytes())?
            .unwrap_or_default();
        Ok(lock_end(&f.at, self.lockout())
            .filter(|end| *end > now)
            .map(|end| minutes_left(end - now)))
    }

    /// Remembers a failure; returns whether this one set a lock.
    fn note_failure(&self, name: &str, now: Timestamp) -> bool {
        let l = self.lockout();
        let keep = l.window.max(l.lock);
        let r = self.store.transact::<_, ConsoleError>(|tx| {
            let mut f: Failures = tx
                .get(T::LogOnFailures, name.as_bytes())?
                .unwrap_or_default();
            f.at.retain(|t| *t > now - keep);
            f.at.push(now);
            // Bounded: more than the threshold says nothing more.
            let excess = f.at.len().saturating_sub(l.failures.max(1) * 2);
            f.at.drain(..excess);
            tx.put(T::LogOnFailures, name.as_bytes(), &f)?;
            Ok(lock_end(&f.at, l).is_some_and(|end| end > now))
        });
        r.unwrap_or(false)
    }

    /// The account clears a lock-out (`dwc user unlock`), audited.
    pub fn unlock_user(&self, s: &Session, name: &str) -> Result<()> {
        let label = format!("user {name}");
        if !s.principal.is_account() {
            self.audit_attempt(
                s.who(),
                s.scope,
                &s.region,
                "dwc:UnlockUser",
                &label,
                Outcome::Denied,
                "only the account clears a lock-out",
            );
            return Err(ConsoleError::Denied {
                action: "dwc:UnlockUser".into(),
                target: label,
                explanation: vec!["only the account clears a lock-out".into()],
            });
        }
        let ev = crate::domain::audit::AuditEvent {
            at: self.now(),
            principal: s.who().to_owned(),
            scope: s.scope,
            region: s.region.clone(),
            action: "dwc:UnlockUser".into(),
            target: label.clone(),
            outcome: Outcome::Ok,
            detail: String::new(),
        };
        self.store.transact(|tx| {
            tx.del(T::LogOnFailures, name.as_bytes())?;
            super::append_audit(tx, &ev)
        })?;
        Ok(())
    }

    /// Checks who someone is. A failure is audited with its reason, but the caller only ever
    /// hears "unknown user or wrong password" (or that the name is locked out).
    pub fn log_on(&self, req: LogOnRequest<'_>) -> Result<Session> {
        let tenant = self.tenant();
        crate::domain::region::region("region", req.region)?;
        let name = req.user.unwrap_or(&tenant.account);
        let now = self.now();
        let method = req.credential.method();
        let whence = format!("from {} via {} ({method})", req.source, req.via);
        let refuse = |reason: &str| {
            self.audit_attempt(
                &shown(name),
                req.scope,
                req.region,
                "dwc:LogOn",
                &shown(name),
                Outcome::Denied,
                &format!("{whence}: {reason}"),
            );
        };
        if name.chars().count() > MAX_NAME {
            refuse("unknown user (name too long)");
            // The same work as any other refusal, so length tells nothing either.
            let _ = auth::verify_password("", &DUMMY_HASH);
            return Err(ConsoleError::Unauthenticated);
        }
        if let Some(minutes) = self.locked_for(name, now)? {
            refuse("locked out after too many failed attempts");
            return Err(ConsoleError::LockedOut {
                user: name.to_owned(),
                minutes,
            });
        }
        let principal = if name == tenant.account {
            Some((
                Principal::Account(name.to_owned()),
                tenant.account_hash.clone(),
            ))
        } else {
            self.store
                .get::<UserRecord>(T::Users, name.as_bytes())?
                .map(|u| (Principal::User(name.to_owned()), u.password_hash))
        };
        let verdict: std::result::Result<Principal, &str> = match (principal, req.credential) {
            (None, Credential::Password(p)) => {
                let _ = auth::verify_password(p, &DUMMY_HASH);
                Err("unknown user")
            }
            (None, _) => Err("unknown user"),
            (Some((p, _)), _) if tenant.open => Ok(p),
            (Some((p, hash)), Credential::Password(pw)) => {
                let ok = auth::verify_password(pw, hash.as_deref().unwrap_or(&DUMMY_HASH));
                if ok && hash.is_some() {
                    self.change_one_time_password(&p, pw, req.new_password)?;
                    Ok(p)
                } else {
                    Err("wrong password")
                }
            }
            (Some((p, _)), Credential::Key(k)) => {
                if self.has_key(name, k)? {
                    Ok(p)
                } else {
                    Err("public key not registered")
                }
            }
            (Some(_), Credential::Nothing) => Err("no password given"),
        };
        // A user with a bound MFA device gives its code too; a wrong one is a failed log-on.
        let mut mfa = false;
        let verdict = match verdict {
            Ok(Principal::User(u)) if !tenant.open => match self.check_mfa(&u, req.mfa_code) {
                Ok(used) => {
                    mfa = used;
                    Ok(Principal::User(u))
                }
                Err(ConsoleError::Unauthenticated) => Err("wrong MFA code"),
                Err(e) => return Err(e),
            },
            v => v,
        };
        match verdict {
            Ok(principal) => {
                if let Credential::Password(pw) = req.credential {
                    self.rehash_if_weak(&principal, pw);
                }
                if self.store.has(T::LogOnFailures, name.as_bytes())? {
                    let _ = self.store.transact::<_, ConsoleError>(|tx| {
                        tx.del(T::LogOnFailures, name.as_bytes())
                    });
                }
                if req.audit_success {
                    let detail = match req.credential {
                        Credential::Key(k) => format!("{whence} {}", fingerprint(k)),
                        _ => whence.clone(),
                    };
                    self.audit_attempt(
                        name,
                        req.scope,
                        req.region,
                        "dwc:LogOn",
                        name,
                        Outcome::Ok,
                        &detail,
                    );
                }
                let mut origin = origin_of(req.source);
                origin.mfa = mfa;
                Ok(Session {
                    principal,
                    scope: req.scope,
                    region: req.region.to_owned(),
                    origin,
                })
            }
            Err(reason) => {
                refuse(reason);
                // A key the client merely tries is no guess at a secret; passwords and MFA
                // codes are.
                if (matches!(req.credential, Credential::Password(_)) || req.mfa_code.is_some())
                    && !tenant.open
                    && self.note_failure(name, now)
                {
                    let l = self.lockout();
                    self.audit_attempt(
                        name,
                        req.scope,
                        req.region,
                        "dwc:LockOut",
                        name,
                        Outcome::Denied,
                        &format!(
                            "{} failed log-ons within {} minutes: log-ons refused for {} minutes",
                            l.failures,
                            l.window.num_minutes(),
                            l.lock.num_minutes()
                        ),
                    );
                }
                Err(ConsoleError::Unauthenticated)
            }
        }
    }

    /// A user whose password is one-time sets a new one now, or is told to (after the right
    /// password only: a wrong one learns nothing).
    fn change_one_time_password(
        &self,
        principal: &Principal,
        old: &str,
        new: Option<&str>,
    ) -> Result<()> {
        let Principal::User(name) = principal else {
            return Ok(());
        };
        let Some(rec) = self.store.get::<UserRecord>(T::Users, name.as_bytes())? else {
            return Ok(());
        };
        if !rec.must_change_password {
            return Ok(());
        }
        let Some(new) = new else {
            return Err(ConsoleError::PasswordChangeRequired(name.clone()));
        };
        auth::check_password("new password", new)?;
        if new == old {
            return Err(ConsoleError::invalid(
                "new password",
                "must differ from the one-time password",
            ));
        }
        let hash = auth::hash_password(new)?;
        let ev = crate::domain::audit::AuditEvent {
            at: self.now(),
            principal: name.clone(),
            scope: crate::domain::Scope::OpenAPI,
            region: self.tenant().default_region,
            action: crate::authz::Op::UpdateLoginProfile.action().into(),
            target: format!("user {name}"),
            outcome: Outcome::Ok,
            detail: "one-time password replaced at log-on".into(),
        };
        self.store.transact(|tx| {
            let Some(mut u) = tx.get::<UserRecord, ConsoleError>(T::Users, name.as_bytes())? else {
                return Ok(());
            };
            u.password_hash = Some(hash.clone());
            u.must_change_password = false;
            tx.put(T::Users, name.as_bytes(), &u)?;
            super::append_audit(tx, &ev)
        })?;
        Ok(())
    }

    /// A password hashed with less than today's argon2 cost is hashed again now that it is known
    /// (best effort: a failure leaves the old hash, which still verifies).
    fn rehash_if_weak(&self, principal: &Principal, password: &str) {
        let name = principal.name();
        let current = match principal {
            Principal::Account(_) => self.tenant().account_hash,
            Principal::User(_) => self
                .store
                .get::<UserRecord>(T::Users, name.as_bytes())
                .ok()
                .flatten()
                .and_then(|u| u.password_hash),
        };
        let Some(old) = current.filter(|h| auth::needs_rehash(h)) else {
            return;
        };
        let Ok(new) = auth::hash_password(password) else {
            return;
        };
        match principal {
            Principal::Account(_) => {
                let mut t = self.tenant();
                t.account_hash = Some(new);
                if self
                    .store
                    .transact::<_, ConsoleError>(|tx| tx.put(T::Meta, super::TENANT_KEY, &t))
                    .is_ok()
                {
                    *self.tenant.write().unwrap_or_else(|e| e.into_inner()) = t;
                }
            }
            Principal::User(_) => {
                let _ = self.store.transact::<_, ConsoleError>(|tx| {
                    let Some(mut u) = tx.get::<UserRecord, _>(T::Users, name.as_bytes())? else {
                        return Ok(());
                    };
                    // Only the hash this log-on verified: a password changed meanwhile stays.
                    if u.password_hash.as_deref() == Some(old.as_str()) {
                        u.password_hash = Some(new.clone());
                        tx.put(T::Users, name.as_bytes(), &u)?;
                    }
                    Ok(())
                });
            }
        }
    }

    /// Whether `name` has registered `key` (looked up by its fingerprint).
    fn has_key(&self, name: &str, key: &PublicKey) -> Result<bool> {
        let fp = fingerprint(key);
        Ok(self
            .key_ring(name)?
            .keys
            .iter()
            .any(|r| r.fingerprint == fp && r.key_data_matches(key)))
    }

    /// Whether a key may be offered for `name` at all (SSH asks before the client signs):
    /// registered, or any key on a demo store for a user that exists. Not audited: the
    /// signed attempt that follows is.
    pub fn key_may_log_on(&self, name: &str, key: &PublicKey) -> Result<bool> {
        if self.tenant().open {
            return Ok(true);
        }
        if name.chars().count() > MAX_NAME {
            return Ok(false);
        }
        self.has_key(name, key)
    }
}

/// When the newest lock a run of failures set ends, if any run set one.
fn lock_end(at: &[Timestamp], l: Lockout) -> Option<Timestamp> {
    let n = l.failures.max(1);
    (n - 1..at.len())
        .filter(|&i| at[i] - at[i + 1 - n] <= l.window)
        .map(|i| at[i] + l.lock)
        .max()
}

/// A session's origin from where its log-on came: an SSH client's address (over an encrypted
/// transport), or this machine.
fn origin_of(source: &str) -> crate::authz::Origin {
    match source.parse::<std::net::IpAddr>() {
        Ok(ip) => crate::authz::Origin {
            source_ip: ip.to_canonical(),
            secure_transport: true,
            mfa: false,
        },
        Err(_) => crate::authz::Origin::local(),
    }
}

fn minutes_left(d: Duration) -> i64 {
    (d.num_seconds() + 59) / 60
}
