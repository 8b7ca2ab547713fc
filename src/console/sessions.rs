//! Who is on (DESIGN §12): the sessions a served console has open, to list and end; and the
//! change feed that tells every open session what another one committed.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio::sync::{broadcast, watch};

use crate::authz::{Op, Target};
use crate::domain::{Scope, Timestamp};

use super::error::{ConsoleError, Result};
use super::{Console, Session};

/// A change committed through the console, for the sessions that show what it touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Change {
    pub who: String,
    pub action: String,
    pub target: String,
    pub region: String,
}

impl Change {
    /// A few words for a footer: `bob added carol to finance_etl`.
    pub fn describe(&self) -> String {
        let op = self.action.rsplit(':').next().unwrap_or(&self.action);
        let t = &self.target;
        let member = t.strip_prefix("member ").and_then(|r| r.split_once(" of "));
        let what = match (op, member) {
            ("CreateProjectMember", Some((u, w))) => format!("added {u} to {w}"),
            ("DeleteProjectMember", Some((u, w))) => format!("removed {u} from {w}"),
            ("GrantMemberProjectRoles", Some((u, w))) => format!("granted {u} a role in {w}"),
            ("RevokeMemberProjectRoles", Some((u, w))) => format!("revoked a role of {u} in {w}"),
            ("Apply", _) => "applied a configuration document".to_owned(),
            ("Job", _) => format!("job: {t}"),
            _ => {
                let verb = ["Create", "Delete", "Update", "Disable", "Enable", "Restore"]
                    .iter()
                    .find(|v| op.starts_with(*v))
                    .map(|v| match *v {
                        "Create" => "created",
                        "Delete" => "deleted",
                        "Update" => "changed",
                        "Disable" => "disabled",
                        "Enable" => "enabled",
                        _ => "restored",
                    });
                match verb {
                    Some(v) => format!("{v} {t}"),
                    None => format!("{op} on {t}"),
                }
            }
        };
        format!("{} {what}", self.who)
    }
}

/// One open session, as `dwc session list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionView {
    pub id: u64,
    pub user: String,
    pub source: String,
    pub since: Timestamp,
    pub scope: Scope,
    /// `console` (a terminal) or `command` (one CLI command).
    pub kind: String,
    pub idle_seconds: i64,
}

struct Live {
    view: SessionView,
    last_active: AtomicI64,
    end: watch::Sender<Option<String>>,
}

/// The registry a console keeps of its open sessions.
pub struct Sessions {
    next: AtomicU64,
    live: Mutex<BTreeMap<u64, Arc<Live>>>,
    limit: AtomicU64,
    feed: broadcast::Sender<Change>,
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions {
            next: AtomicU64::new(1),
            live: Mutex::default(),
            limit: AtomicU64::new(64),
            feed: broadcast::channel(256).0,
        }
    }
}

/// An open session's place in the registry; dropping it closes the session there.
pub struct Ticket {
    pub id: u64,
    live: Arc<Live>,
    owner: Arc<Sessions>,
    /// Becomes `Some(reason)` when the session is to end (ended by an administrator, idle,
    /// or the server shutting down).
    pub ended: watch::Receiver<Option<String>>,
}

impl Ticket {
    /// The person did something: the session is not idle.
    pub fn touch(&self, now: Timestamp) {
        self.live
            .last_active
            .store(now.timestamp_millis(), Ordering::Relaxed);
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.owner.lock().remove(&self.id);
    }
}

impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Arc<Live>>> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_limit(&self, n: u64) {
        self.limit.store(n, Ordering::Relaxed);
    }

    pub fn count(&self) -> usize {
        self.lock().len()
    }

    /// Tells every open session to end with `reason`.
    pub fn end_all(&self, reason: &str) {
        for live in self.lock().values() {
            let _ = live.end.send(Some(reason.to_owned()));
        }
    }

    pub(super) fn publish(&self, c: Change) {
        // Nobody listening is fine: nothing is open.
        let _ = self.feed.send(c);
    }
}

/// What other processes sharing the store have committed, as they announce it on commit: this
/// process's caches (the tenant, compiled policies) are stale once anything was heard.
pub struct Others {
    /// This process's mark on what it announces, so it does not hear itself.
    origin: u64,
    heard: AtomicU64,
    seen: AtomicU64,
    /// Whether this process listens for them yet.
    listening: std::sync::atomic::AtomicBool,
}

impl Default for Others {
    fn default() -> Self {
        use argon2::password_hash::rand_core::{OsRng, RngCore};
        Others {
            origin: OsRng.next_u64(),
            heard: AtomicU64::new(0),
            seen: AtomicU64::new(0),
            listening: Default::default(),
        }
    }
}

#[derive(Serialize, serde::Deserialize)]
struct Note {
    origin: u64,
    #[serde(flatten)]
    change: Change,
}

impl Others {
    /// How many commits of other processes have been heard.
    pub(super) fn heard(&self) -> u64 {
        self.heard.load(Ordering::SeqCst)
    }

    /// What a commit announces.
    pub(super) fn note(&self, change: &Change) -> String {
        serde_json::to_string(&Note {
            origin: self.origin,
            change: change.clone(),
        })
        .unwrap_or_default()
    }
}

impl Console {
    /// On a shared store, hears what other processes commit from now on: each change goes on
    /// this process's feed like its own, and the caches are refreshed before they are next
    /// used. Once is enough; calling again does nothing.
    pub fn hear_others(&self) {
        if !self.store.is_shared() || self.others.listening.swap(true, Ordering::SeqCst) {
            return;
        }
        let others = self.others.clone();
        let sessions = self.sessions.clone();
        self.store.listen(Box::new(move |payload| {
            let Ok(note) = serde_json::from_str::<Note>(&payload) else {
                return;
            };
            if note.origin == others.origin {
                return;
            }
            others.heard.fetch_add(1, Ordering::SeqCst);
            sessions.publish(note.change);
        }));
    }

    /// Drops what another process may have made stale: the tenant record and compiled
    /// policies are read again.
    pub(super) fn catch_up(&self) {
        let heard = self.others.heard.load(Ordering::SeqCst);
        if self.others.seen.swap(heard, Ordering::SeqCst) == heard {
            return;
        }
        if let Ok(Some(t)) = self
            .store
            .get::<super::Tenant>(crate::store::T::Meta, super::TENANT_KEY)
        {
            *self.tenant.write().unwrap_or_else(|e| e.into_inner()) = t;
        }
        self.policy_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Notes an open session (a served terminal or command); refused past the server's limit.
    pub fn open_session(&self, s: &Session, source: &str, kind: &str) -> Result<Ticket> {
        let reg = &self.sessions;
        let mut live = reg.lock();
        let limit = reg.limit.load(Ordering::Relaxed);
        if live.len() as u64 >= limit {
            return Err(ConsoleError::Unavailable(format!(
                "the server has {limit} sessions open, the most it allows; try again later"
            )));
        }
        let id = reg.next.fetch_add(1, Ordering::Relaxed);
        let now = self.now();
        let (end, ended) = watch::channel(None);
        let l = Arc::new(Live {
            view: SessionView {
                id,
                user: s.who().to_owned(),
                source: source.to_owned(),
                since: now,
                scope: s.scope,
                kind: kind.to_owned(),
                idle_seconds: 0,
            },
            last_active: AtomicI64::new(now.timestamp_millis()),
            end,
        });
        live.insert(id, l.clone());
        Ok(Ticket {
            id,
            live: l,
            owner: self.sessions.clone(),
            ended,
        })
    }

    pub fn set_session_limit(&self, n: u64) {
        self.sessions.set_limit(n);
    }

    pub fn sessions(&self) -> &Sessions {
        &self.sessions
    }

    /// The changes committed from now on, for a session to follow.
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.sessions.feed.subscribe()
    }

    fn session_views(&self) -> Vec<SessionView> {
        let now = self.now().timestamp_millis();
        self.sessions
            .lock()
            .values()
            .map(|l| {
                let mut v = l.view.clone();
                v.idle_seconds = (now - l.last_active.load(Ordering::Relaxed)).max(0) / 1000;
                v
            })
            .collect()
    }

    /// The open sessions, for the account and Tenant Administrators.
    pub fn list_sessions(&self, s: &Session) -> Result<Vec<SessionView>> {
        self.require(s, Op::ListSessions, &Target::Tenant, "sessions")?;
        Ok(self.session_views())
    }

    /// Ends one open session, audited.
    pub fn end_session(&self, s: &Session, id: u64) -> Result<SessionView> {
        let label = format!("session {id}");
        self.require(s, Op::EndSession, &Target::Tenant, &label)?;
        let Some(live) = self.sessions.lock().get(&id).cloned() else {
            return self.checked(
                s,
                Op::EndSession,
                &label,
                Err(ConsoleError::NotFound(label.clone())),
            );
        };
        let view = live.view.clone();
        let detail = format!("{} from {}", view.user, view.source);
        self.change(
            s,
            Op::EndSession,
            &format!("{label} ({detail})"),
            |_| Ok(()),
        )?;
        let _ = live
            .end
            .send(Some(format!("your session was ended by {}", s.who())));
        Ok(view)
    }

    /// Ends the sessions idle for `idle` or longer (the server's sweep); returns how many.
    pub fn end_idle_sessions(&self, idle: chrono::Duration) -> usize {
        let cutoff = (self.now() - idle).timestamp_millis();
        let mut n = 0;
        for l in self.sessions.lock().values() {
            if l.last_active.load(Ordering::Relaxed) <= cutoff && l.end.borrow().is_none() {
                let _ = l.end.send(Some(format!(
                    "your session was idle for {} minutes and has ended",
                    idle.num_minutes()
                )));
                n += 1;
            }
        }
        n
    }
}
