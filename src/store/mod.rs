//! sled persistence (DESIGN §7): a tree per entity kind plus index trees, values tagged with
//! their schema version, store version in `meta`, one transaction per change, flushed before the
//! caller hears of success. Knows nothing of permissions or screens.

mod codec;
pub mod copy;
mod pg;

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde::Serialize;
use serde::de::DeserializeOwned;
use sled::transaction::{
    ConflictableTransactionError, TransactionError, Transactional, TransactionalTree,
};
use sled::{Db, IVec, Tree};
use thiserror::Error;

pub use codec::{SCHEMA_VERSION, decode, encode};

/// The layout version this build writes and the newest it reads.
pub const STORE_VERSION: u32 = 1;
const VERSION_KEY: &[u8] = b"store_version";
/// Set while `dwc store copy` fills a store and removed when the copy is verified: a store that
/// has it was left half copied.
const COPYING_KEY: &[u8] = b"copy_unfinished";
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("store {0} is in use by another dwc process")]
    InUse(String),
    #[error(
        "store {dir} is served by dwc serve (pid {pid}) on {listen}: ssh -p {port} USER@{host} COMMAND, or ssh -t -p {port} USER@{host} for the console"
    )]
    Served {
        dir: String,
        pid: u32,
        listen: String,
        host: String,
        port: u16,
    },
    #[error(
        "store {dir} was written by a newer dwc (store version {found}; this dwc reads up to {STORE_VERSION}): upgrade dwc to open it"
    )]
    TooNew { dir: String, found: u32 },
    #[error("no dwc store in {0}: create one with `dwc init --account NAME` or `dwc demo`")]
    Missing(String),
    #[error("store {0} already holds a tenant")]
    Exists(String),
    #[error(
        "store {dir} can be written by other users (mode {mode:04o}), who could change the tenant or read its secrets: run `chmod 700 {dir}`"
    )]
    Exposed { dir: String, mode: u32 },
    #[error("store {dir}: {message}")]
    Io { dir: String, message: String },
    #[error(
        "store {0} is an unfinished copy (dwc store copy stopped before it was done): empty it and copy again"
    )]
    Unfinished(String),
    #[error("store record {tree}/{key} is damaged: {message}")]
    Corrupt {
        tree: &'static str,
        key: String,
        message: String,
    },
}

/// The trees. Entity trees hold records; index trees hold empty values under composite keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum T {
    Meta,
    Users,
    Policies,
    /// index `user\0policy`
    Attachments,
    Workspaces,
    /// index `region\0workspace`
    WsByRegion,
    /// `workspace\0user` → member
    Members,
    /// index `user\0workspace`: what one user's workspace list costs
    MemberWs,
    /// `workspace\0role` → custom role
    Roles,
    /// workspace → member count and administrators, kept with every member change
    WsStats,
    ResourceGroups,
    /// index `region\0group`
    RgByRegion,
    /// `workspace\0name` → compute resource
    Compute,
    DataSources,
    /// index `workspace\0data source`
    DsByWs,
    Images,
    Models,
    Purchases,
    /// `month\0item` → bill
    Bills,
    Contacts,
    TenantMembers,
    TenantRoles,
    Extensions,
    /// big-endian sequence → audit event
    Audit,
    /// `user\0region\0workspace` → how often and when the user last opened it
    WsUse,
    /// big-endian id → job
    Jobs,
    /// index `due time (8 bytes, big-endian) kind\0id`: what the clock must do next, in order
    Due,
    /// big-endian sequence → alert sent, recorded or refused
    Outbox,
    /// principal → the public keys it logs on with over SSH
    Keys,
    /// principal → its recent failed log-ons, for the lock-out
    LogOnFailures,
    /// RAM user group → its members and policies
    Groups,
    /// index `user\0group`: the groups a caller's policies come from
    UserGroups,
    /// `workspace\0cluster` → a self-built cluster it registered
    Clusters,
}

impl T {
    pub const ALL: [T; 33] = [
        T::Meta,
        T::Users,
        T::Policies,
        T::Attachments,
        T::Workspaces,
        T::WsByRegion,
        T::Members,
        T::MemberWs,
        T::Roles,
        T::WsStats,
        T::ResourceGroups,
        T::RgByRegion,
        T::Compute,
        T::DataSources,
        T::DsByWs,
        T::Images,
        T::Models,
        T::Purchases,
        T::Bills,
        T::Contacts,
        T::TenantMembers,
        T::TenantRoles,
        T::Extensions,
        T::Audit,
        T::WsUse,
        T::Jobs,
        T::Due,
        T::Outbox,
        T::Keys,
        T::LogOnFailures,
        T::Groups,
        T::UserGroups,
        T::Clusters,
    ];

    pub fn name(self) -> &'static str {
        match self {
            T::Meta => "meta",
            T::Users => "users",
            T::Policies => "policies",
            T::Attachments => "attachments",
            T::Workspaces => "workspaces",
            T::WsByRegion => "ws_by_region",
            T::Members => "members",
            T::MemberWs => "member_ws",
            T::Roles => "roles",
            T::WsStats => "ws_stats",
            T::ResourceGroups => "resource_groups",
            T::RgByRegion => "rg_by_region",
            T::Compute => "compute",
            T::DataSources => "data_sources",
            T::DsByWs => "ds_by_ws",
            T::Images => "images",
            T::Models => "models",
            T::Purchases => "purchases",
            T::Bills => "bills",
            T::Contacts => "contacts",
            T::TenantMembers => "tenant_members",
            T::TenantRoles => "tenant_roles",
            T::Extensions => "extensions",
            T::Audit => "audit",
            T::WsUse => "ws_use",
            T::Jobs => "jobs",
            T::Due => "due",
            T::Outbox => "outbox",
            T::Keys => "keys",
            T::LogOnFailures => "logon_failures",
            T::Groups => "groups",
            T::UserGroups => "user_groups",
            T::Clusters => "clusters",
        }
    }
}

/// A composite key: parts joined by NUL, which no name may contain.
pub fn key(parts: &[&str]) -> Vec<u8> {
    parts.join("\0").into_bytes()
}

/// The prefix that selects every key starting with `part` as its first component.
pub fn prefix(part: &str) -> Vec<u8> {
    prefix_parts(&[part])
}

/// The prefix that selects every key whose first components are `parts`.
pub fn prefix_parts(parts: &[&str]) -> Vec<u8> {
    let mut p = key(parts);
    p.push(0);
    p
}

/// The last component of a composite key.
pub fn last_part(k: &[u8]) -> String {
    let s = String::from_utf8_lossy(k);
    s.rsplit('\0').next().unwrap_or_default().to_owned()
}

pub struct Store {
    dir: PathBuf,
    backend: Backend,
    /// In a shadow: what it has written since it was taken, laid over the trees it shares with
    /// its original, which it never writes. `None` in a store itself.
    overlay: Option<RwLock<Changes>>,
    /// Held for the life of the store: a second process gets `InUse` instead of a sled error.
    /// A shadow has none: it lives in this process only.
    _lock: Option<File>,
    /// How many writes through this store have ended (see [`Store::writes`]).
    writes: AtomicU64,
}

/// Counts a write when it ends, however it ends: what it changed is in the store by then.
struct Written<'a>(&'a AtomicU64);

impl Drop for Written<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// Where the records are: sled's trees in a directory, or PostgreSQL's tables.
#[derive(Clone)]
enum Backend {
    Sled { db: Db, trees: Vec<Tree> },
    Pg(Arc<pg::Pg>),
}

/// Whether a `--store` names a PostgreSQL database rather than a directory.
pub fn is_postgres(location: &Path) -> bool {
    location.to_str().is_some_and(pg::is_url)
}

/// A store's location as it may be shown (a database URL without its password).
pub fn shown(location: &Path) -> String {
    match location.to_str() {
        Some(url) if pg::is_url(url) => pg::shown(url),
        _ => location.display().to_string(),
    }
}

/// Where a store's local files are kept — its secret key, and a server's host key, config and
/// logs: the store directory itself, or for a database `DWC_STATE_DIR`, else a directory named
/// for the database under the platform data directory (`…/dwc/postgres/HOST-PORT-DB`).
pub fn local_dir(location: &Path) -> PathBuf {
    let Some(url) = location.to_str().filter(|u| pg::is_url(u)) else {
        return location.to_path_buf();
    };
    if let Some(d) = std::env::var_os("DWC_STATE_DIR") {
        return PathBuf::from(d);
    }
    let config: Result<tokio_postgres::Config, _> = url.parse();
    let name = match config {
        Ok(c) => {
            let host = match c.get_hosts().first() {
                Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
                _ => "local".to_owned(),
            };
            let port = c.get_ports().first().copied().unwrap_or(5432);
            let db = c
                .get_dbname()
                .or(c.get_user())
                .unwrap_or("postgres")
                .to_owned();
            format!("{host}-{port}-{db}")
        }
        Err(_) => "unknown".to_owned(),
    };
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    directories::ProjectDirs::from("", "", "dwc")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".dwc"))
        .join("postgres")
        .join(safe)
}

/// Per tree (in `T::ALL`'s order), each key written (`Some`) or removed (`None`).
type Changes = Vec<BTreeMap<Vec<u8>, Option<IVec>>>;

fn no_changes() -> Changes {
    vec![BTreeMap::new(); T::ALL.len()]
}

fn read(c: &RwLock<Changes>) -> RwLockReadGuard<'_, Changes> {
    c.read().unwrap_or_else(|e| e.into_inner())
}

fn write(c: &RwLock<Changes>) -> RwLockWriteGuard<'_, Changes> {
    c.write().unwrap_or_else(|e| e.into_inner())
}

pub type Kv = (IVec, IVec);

/// A tree's entries as a read goes through them, in order.
pub type Entries<'s> = Box<dyn Iterator<Item = Result<Kv, StoreError>> + 's>;

/// Which keys a scan visits.
#[derive(Clone, Copy)]
enum Span<'a> {
    Prefix(&'a [u8]),
    Before(&'a [u8]),
}

/// `base` in key order (or reversed, with `rev`) with `over`, in the same order, laid over it:
/// an overlaid key replaces the base's, a removed one hides it.
fn lay_over(
    base: impl Iterator<Item = Result<Kv, StoreError>>,
    over: Vec<(Vec<u8>, Option<IVec>)>,
    rev: bool,
) -> impl Iterator<Item = Result<Kv, StoreError>> {
    enum Next {
        Base,
        Both,
        Over,
    }
    let mut base = base.peekable();
    let mut over = over.into_iter().peekable();
    std::iter::from_fn(move || {
        loop {
            let next = match (base.peek(), over.peek()) {
                (None, None) => return None,
                (Some(Err(_)), _) | (Some(_), None) => Next::Base,
                (None, Some(_)) => Next::Over,
                (Some(Ok((kb, _))), Some((ko, _))) => {
                    let order = kb.as_ref().cmp(ko.as_slice());
                    match if rev { order.reverse() } else { order } {
                        Ordering::Less => Next::Base,
                        Ordering::Equal => Next::Both,
                        Ordering::Greater => Next::Over,
                    }
                }
            };
            match next {
                Next::Base => return base.next(),
                Next::Both => {
                    base.next();
                }
                Next::Over => {}
            }
            if let Some((k, Some(v))) = over.next() {
                return Some(Ok((IVec::from(k), v)));
            }
        }
    })
}

/// The records of one of [`Store::get_sets`]'s answers.
pub fn decode_set<V: DeserializeOwned>(
    t: T,
    keys: &[Vec<u8>],
    raw: Vec<Option<IVec>>,
) -> Result<Vec<Option<V>>, StoreError> {
    keys.iter()
        .zip(raw)
        .map(|(k, v)| v.map(|b| decode(t.name(), k, &b)).transpose())
        .collect()
}

/// Whether two stored values are the same record: the same bytes, or — as PostgreSQL gives
/// back a record's JSON in its own spacing and key order — the same schema byte and JSON.
fn same_value(a: Option<&[u8]>, b: Option<&[u8]>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) if a != b => match (a.split_first(), b.split_first()) {
            (Some((va, ja)), Some((vb, jb))) if va == vb => {
                let parse = |j: &[u8]| serde_json::from_slice::<serde_json::Value>(j).ok();
                matches!((parse(ja), parse(jb)), (Some(x), Some(y)) if x == y)
            }
            _ => false,
        },
        (a, b) => a == b,
    }
}

/// A transaction on PostgreSQL: SERIALIZABLE, retried with backoff when it meets another, its
/// writes sent and its announcements made with the commit.
fn transact_pg<R, E>(pg: &pg::Pg, f: impl Fn(&Tx) -> TxResult<R, E>) -> Result<R, TxError<E>> {
    let mut attempt = 0;
    loop {
        let tx = pg.begin().map_err(TxError::Store)?;
        let result = f(&Tx {
            on: On::Pg { pg, tx: &tx },
        });
        let retry = match result {
            Ok(r) => match pg.commit(&tx) {
                Ok(()) => return Ok(r),
                Err(pg::Failure::Retry) => true,
                Err(pg::Failure::Store(e)) => {
                    pg.rollback(tx);
                    return Err(TxError::Store(e));
                }
            },
            Err(ConflictableTransactionError::Conflict) => true,
            Err(ConflictableTransactionError::Abort(TxAbort::Caller(e))) => {
                pg.rollback(tx);
                return Err(TxError::Abort(e));
            }
            Err(ConflictableTransactionError::Abort(TxAbort::Corrupt(e))) => {
                pg.rollback(tx);
                return Err(TxError::Store(e));
            }
            Err(ConflictableTransactionError::Storage(e)) => {
                pg.rollback(tx);
                return Err(TxError::Store(StoreError::Io {
                    dir: pg.shown.clone(),
                    message: e.to_string(),
                }));
            }
        };
        debug_assert!(retry);
        pg.rollback(tx);
        attempt += 1;
        match pg::Pg::backoff(attempt) {
            Some(wait) => std::thread::sleep(wait),
            None => return Err(TxError::Store(pg.gave_up())),
        }
    }
}

/// One sled tree per `T`, in `T::ALL`'s order (a store's trees are indexed by it).
fn open_trees(db: &Db) -> sled::Result<Vec<Tree>> {
    T::ALL.iter().map(|t| db.open_tree(t.name())).collect()
}

fn io(dir: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Io {
        dir: dir.display().to_string(),
        message: e.to_string(),
    }
}

/// Why a transaction did not commit: the caller's own abort, or the store failing.
#[derive(Debug)]
pub enum TxError<E> {
    Abort(E),
    Store(StoreError),
}

/// The caller's view inside a transaction.
pub struct Tx<'a> {
    on: On<'a>,
}

enum On<'a> {
    Sled(&'a [TransactionalTree]),
    Pg {
        pg: &'a pg::Pg,
        tx: &'a pg::PgTx,
    },
    /// A shadow's transaction: its writes wait here until it commits into the overlay.
    Shadow {
        store: &'a Store,
        pending: &'a RefCell<Changes>,
    },
}

fn corrupt<E>(e: StoreError) -> ConflictableTransactionError<TxAbort<E>> {
    ConflictableTransactionError::Abort(TxAbort::Corrupt(e))
}

/// A PostgreSQL failure inside a transaction: a serialization failure retries it.
fn pg_failed<E>(f: pg::Failure) -> ConflictableTransactionError<TxAbort<E>> {
    match f {
        pg::Failure::Retry => ConflictableTransactionError::Conflict,
        pg::Failure::Store(e) => corrupt(e),
    }
}

pub type TxResult<R, E> = Result<R, ConflictableTransactionError<TxAbort<E>>>;

/// What aborts a transaction: the caller's error or a damaged record.
#[derive(Debug)]
pub enum TxAbort<E> {
    Caller(E),
    Corrupt(StoreError),
}

/// Aborts the transaction with the caller's error.
pub fn abort<R, E>(e: E) -> TxResult<R, E> {
    Err(ConflictableTransactionError::Abort(TxAbort::Caller(e)))
}

impl Tx<'_> {
    fn raw<E>(&self, t: T, k: &[u8]) -> TxResult<Option<IVec>, E> {
        match &self.on {
            On::Sled(trees) => Ok(trees[t as usize].get(k)?),
            On::Pg { pg, tx } => pg.tx_get(tx, t, k).map_err(pg_failed),
            On::Shadow { store, pending } => match pending.borrow()[t as usize].get(k) {
                Some(v) => Ok(v.clone()),
                None => store.raw(t, k).map_err(corrupt),
            },
        }
    }

    fn set<E>(&self, t: T, k: &[u8], v: Option<IVec>) -> TxResult<(), E> {
        match (&self.on, v) {
            (On::Sled(trees), Some(v)) => trees[t as usize].insert(k, v).map(drop)?,
            (On::Sled(trees), None) => trees[t as usize].remove(k).map(drop)?,
            (On::Pg { tx, .. }, v) => {
                tx.pending.borrow_mut()[t as usize].insert(k.to_vec(), v);
            }
            (On::Shadow { pending, .. }, v) => {
                pending.borrow_mut()[t as usize].insert(k.to_vec(), v);
            }
        }
        Ok(())
    }

    pub fn get<V: DeserializeOwned, E>(&self, t: T, k: &[u8]) -> TxResult<Option<V>, E> {
        match self.raw(t, k)? {
            None => Ok(None),
            Some(bytes) => decode(t.name(), k, &bytes).map(Some).map_err(corrupt),
        }
    }

    pub fn has<E>(&self, t: T, k: &[u8]) -> TxResult<bool, E> {
        Ok(self.raw(t, k)?.is_some())
    }

    pub fn put<V: Serialize, E>(&self, t: T, k: &[u8], v: &V) -> TxResult<(), E> {
        self.set(t, k, Some(IVec::from(encode(v))))
    }

    /// An index entry: the key is the information.
    pub fn mark<E>(&self, t: T, k: &[u8]) -> TxResult<(), E> {
        self.set(t, k, Some(IVec::default()))
    }

    pub fn del<E>(&self, t: T, k: &[u8]) -> TxResult<(), E> {
        self.set(t, k, None)
    }

    /// A new, increasing id (audit sequence numbers). A shadow takes its ids from the store it
    /// shadows, so they stay unique when it is adopted.
    pub fn next_id<E>(&self) -> TxResult<u64, E> {
        match &self.on {
            On::Sled(trees) => Ok(trees[T::Audit as usize].generate_id()?),
            On::Pg { pg, tx } => pg.tx_next_id(tx).map_err(pg_failed),
            On::Shadow { store, .. } => store.generate_id().map_err(corrupt),
        }
    }

    /// Takes the entry at `k` for this transaction, as a job step or a clock duty does before it
    /// runs: `false` when it is gone — or, on PostgreSQL, when another server's transaction
    /// holds it (`SELECT … FOR UPDATE SKIP LOCKED`), so each runs once whoever sees it first.
    pub fn claim<E>(&self, t: T, k: &[u8]) -> TxResult<bool, E> {
        match &self.on {
            On::Pg { pg, tx } => pg.tx_claim(tx, t, k).map_err(pg_failed),
            _ => self.has(t, k),
        }
    }

    /// Announces `payload` to the other processes sharing the store when (and only if) this
    /// transaction commits. Nothing else shares a sled store, so there it is nobody's news.
    pub fn notify(&self, payload: &str) {
        if let On::Pg { tx, .. } = &self.on {
            tx.notes.borrow_mut().push(payload.to_owned());
        }
    }
}

/// sled 0.34 writes a snapshot to `snap.LSN.generating` and renames it when complete, but on
/// open it also considers `.generating` files — so a process killed while writing one leaves a
/// store that no longer opens ("Read corrupted data", spacejam/sled#1527). Such a file is by
/// construction unfinished; without it sled recovers exactly as if the kill had come a moment
/// earlier (from the last complete snapshot and the log). Runs only under the store's lock, so
/// no live process is writing one.
fn discard_unfinished_snapshots(db: &Path) -> std::io::Result<()> {
    let Ok(entries) = fs::read_dir(db) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// The store directory is the account's alone: made 0700, its files 0600, whatever the umask.
/// One that others can write is refused (they could change the tenant); one they can read is
/// opened with a warning (they can read the audit log and password hashes).
#[cfg(unix)]
fn guard_mode(dir: &Path, new: bool) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let private = |p: &Path, mode: u32| fs::set_permissions(p, fs::Permissions::from_mode(mode));
    if new {
        private(dir, 0o700).map_err(|e| io(dir, e))?;
    }
    let mode = fs::metadata(dir)
        .map_err(|e| io(dir, e))?
        .permissions()
        .mode()
        & 0o777;
    if mode & 0o022 != 0 {
        return Err(StoreError::Exposed {
            dir: dir.display().to_string(),
            mode,
        });
    }
    if mode & 0o044 != 0 {
        eprintln!(
            "dwc: warning: store {} can be read by other users (mode {mode:04o}): run `chmod 700 {}`",
            dir.display(),
            dir.display()
        );
    }
    // What an earlier dwc (or a looser umask) left readable is made private.
    let mut walk = vec![dir.to_path_buf()];
    while let Some(d) = walk.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            let want = if meta.is_dir() { 0o700 } else { 0o600 };
            if meta.permissions().mode() & 0o777 & !want != 0 {
                let _ = private(&p, want);
            }
            if meta.is_dir() {
                walk.push(p);
            }
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn guard_mode(_dir: &Path, _new: bool) -> Result<(), StoreError> {
    Ok(())
}

/// Who holds a store's lock, as it wrote in the lock file: a server says where it listens.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Holder {
    pid: u32,
    serving: Option<String>,
}

fn holder(dir: &Path, shown: String) -> StoreError {
    let text = fs::read_to_string(dir.join("dwc.lock")).unwrap_or_default();
    match serde_json::from_str::<Holder>(text.trim()) {
        Ok(Holder {
            pid,
            serving: Some(listen),
        }) => {
            let addr: Option<std::net::SocketAddr> = listen.parse().ok();
            let host = match addr.map(|a| a.ip()) {
                Some(ip) if ip.is_unspecified() => "HOST".to_owned(),
                Some(std::net::IpAddr::V6(ip)) => format!("[{ip}]"),
                Some(ip) => ip.to_string(),
                None => "HOST".to_owned(),
            };
            StoreError::Served {
                dir: shown,
                pid,
                port: addr.map_or(2222, |a| a.port()),
                listen,
                host,
            }
        }
        _ => StoreError::InUse(shown),
    }
}

impl Store {
    /// Says in the lock file that this process serves the store on `listen`, so a second
    /// process is told where to connect instead of only that the store is in use.
    pub fn announce_serving(&self, listen: &str) -> Result<(), StoreError> {
        let Some(lock) = &self._lock else {
            return Ok(());
        };
        let text = serde_json::to_string(&Holder {
            pid: std::process::id(),
            serving: Some(listen.to_owned()),
        })
        .unwrap_or_default();
        use std::io::{Seek, Write};
        let mut f = lock;
        f.set_len(0)
            .and_then(|_| f.seek(std::io::SeekFrom::Start(0)))
            .and_then(|_| f.write_all(text.as_bytes()))
            .and_then(|_| f.sync_all())
            .map_err(|e| io(&self.dir, e))
    }

    /// Opens the store in `dir`; with `create`, makes the directory and an empty store if needed.
    /// Takes the store's lock first, so a second process is told at once and nothing is touched.
    pub fn open(dir: &Path, create: bool) -> Result<Store, StoreError> {
        if let Some(url) = dir.to_str().filter(|u| pg::is_url(u)) {
            // No lock: on PostgreSQL every process shares the tenant.
            let pg = pg::Pg::connect(url, create)?;
            let store = Store {
                dir: dir.to_path_buf(),
                backend: Backend::Pg(Arc::new(pg)),
                overlay: None,
                _lock: None,
                writes: AtomicU64::new(0),
            };
            return store.finished();
        }
        let shown = dir.display().to_string();
        if !dir.join("db").exists() && !create {
            return Err(StoreError::Missing(shown));
        }
        // A store made here (in a new directory or an empty one) starts private.
        let new = create && !dir.join("db").exists();
        fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        guard_mode(dir, new)?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(dir.join("dwc.lock"))
            .map_err(|e| io(dir, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(holder(dir, shown)),
            Err(TryLockError::Error(e)) => return Err(io(dir, e)),
        }
        // A holder before us may have said it was serving; it no longer is.
        lock.set_len(0).map_err(|e| io(dir, e))?;
        discard_unfinished_snapshots(&dir.join("db")).map_err(|e| io(dir, e))?;
        let sled_locked = |e: &sled::Error| {
            matches!(e, sled::Error::Io(io_err)
                if io_err.kind() == std::io::ErrorKind::WouldBlock
                    || io_err.to_string().contains("could not acquire lock"))
        };
        let open = || {
            sled::Config::new()
                .path(dir.join("db"))
                .cache_capacity(CACHE_BYTES)
                .open()
        };
        // sled lets go of its files a moment after its last handle drops (its flusher thread
        // ends on its own), so this process reopening a store it just closed waits for that;
        // with our lock held, nobody else is opening it through dwc.
        let mut opened = open();
        for _ in 0..250 {
            match &opened {
                Err(e) if sled_locked(e) => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    opened = open();
                }
                _ => break,
            }
        }
        let db = opened.map_err(|e| {
            if sled_locked(&e) {
                // Held by a process that did not take our lock (an older dwc, or anything
                // opening the files directly): the same "in use".
                StoreError::InUse(shown.clone())
            } else {
                io(dir, e)
            }
        })?;
        let trees = open_trees(&db).map_err(|e| io(dir, e))?;
        let store = Store {
            dir: dir.to_path_buf(),
            backend: Backend::Sled { db, trees },
            overlay: None,
            _lock: Some(lock),
            writes: AtomicU64::new(0),
        };
        match store.get::<u32>(T::Meta, VERSION_KEY)? {
            Some(v) if v > STORE_VERSION => {
                return Err(StoreError::TooNew {
                    dir: shown,
                    found: v,
                });
            }
            Some(_) => return store.finished(),
            None => {
                if let Backend::Sled { trees, .. } = &store.backend {
                    trees[T::Meta as usize]
                        .insert(VERSION_KEY, encode(&STORE_VERSION))
                        .map_err(|e| io(dir, e))?;
                }
                store.flush()?;
            }
        }
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// This store, unless a copy into it stopped half way.
    fn finished(self) -> Result<Store, StoreError> {
        if self.has(T::Meta, COPYING_KEY)? {
            return Err(StoreError::Unfinished(shown(&self.dir)));
        }
        Ok(self)
    }

    /// Whether `location` holds a store with something in it (a first run offers to make one).
    pub fn exists(location: &Path) -> Result<bool, StoreError> {
        if !is_postgres(location) {
            return Ok(location.join("db").exists());
        }
        match Store::open(location, false) {
            Ok(s) => match &s.backend {
                Backend::Pg(pg) => pg.holds_anything(),
                Backend::Sled { .. } => Ok(true),
            },
            Err(StoreError::Missing(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Whether the records are in PostgreSQL, shared with other processes.
    pub fn is_shared(&self) -> bool {
        matches!(self.backend, Backend::Pg(_))
    }

    /// Calls `each` with what other processes announce as they commit (`Tx::notify`), for as
    /// long as the store lives. A sled store has nobody else to hear from.
    pub fn listen(&self, each: Box<dyn Fn(String) + Send + Sync>) {
        if let Backend::Pg(pg) = &self.backend {
            pg.listen(each);
        }
    }

    /// A new, increasing id outside any transaction.
    pub fn generate_id(&self) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Sled { db, .. } => db.generate_id().map_err(|e| io(&self.dir, e)),
            Backend::Pg(pg) => pg.next_id(),
        }
    }

    /// Makes every id this store issues from now on greater than `floor` (a copied store goes
    /// on from where its source was).
    pub fn raise_ids(&self, floor: u64) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sled { db, .. } => {
                while db.generate_id().map_err(|e| io(&self.dir, e))? < floor {}
                Ok(())
            }
            Backend::Pg(pg) => pg.raise_ids(floor),
        }
    }

    /// How many writes (transactions, adoptions, bulk loads) through this store have ended: a
    /// reader that saw the same number before and after reading saw no write of this process
    /// land in between. Another process's writes are not counted (PostgreSQL announces them).
    pub fn writes(&self) -> u64 {
        self.writes.load(SeqCst)
    }

    pub fn flush(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sled { db, .. } => db.flush().map(|_| ()).map_err(|e| io(&self.dir, e)),
            // A commit is durable when PostgreSQL acknowledges it.
            Backend::Pg(_) => Ok(()),
        }
    }

    /// A record's bytes, as a shadow sees them when this is one.
    fn raw(&self, t: T, k: &[u8]) -> Result<Option<IVec>, StoreError> {
        if let Some(over) = &self.overlay
            && let Some(v) = read(over)[t as usize].get(k)
        {
            return Ok(v.clone());
        }
        match &self.backend {
            Backend::Sled { trees, .. } => trees[t as usize].get(k).map_err(|e| io(&self.dir, e)),
            Backend::Pg(pg) => pg.get(t, k),
        }
    }

    /// The entries of a span in key order (or reversed, with `rev`), as a shadow sees them when
    /// this is one.
    /// `limit` bounds what a database is asked for; a shadow's overlay may hide some of it, so
    /// a shadow asks for everything.
    fn entries<'s>(&'s self, t: T, span: Span<'_>, rev: bool, limit: Option<usize>) -> Entries<'s> {
        let base: Entries<'s> = match &self.backend {
            Backend::Sled { trees, .. } => {
                let tree = &trees[t as usize];
                let base = match span {
                    Span::Prefix(p) => tree.scan_prefix(p),
                    Span::Before(end) => tree.range(..end),
                };
                let base: Box<dyn Iterator<Item = sled::Result<Kv>> + 's> = match rev {
                    true => Box::new(base.rev()),
                    false => Box::new(base),
                };
                Box::new(base.map(|r| r.map_err(|e| io(&self.dir, e))))
            }
            Backend::Pg(pg) => {
                let limit = if self.overlay.is_some() { None } else { limit };
                match pg.range(t, span, rev, limit) {
                    Ok(rows) => Box::new(rows.into_iter().map(Ok)),
                    Err(e) => Box::new(std::iter::once(Err(e))),
                }
            }
        };
        let Some(over) = &self.overlay else {
            return base;
        };
        let changes = read(over);
        let mine = &changes[t as usize];
        let visit = |(k, v): (&Vec<u8>, &Option<IVec>)| (k.clone(), v.clone());
        let mut over: Vec<_> = match span {
            Span::Prefix(p) => mine
                .range(p.to_vec()..)
                .take_while(|(k, _)| k.starts_with(p))
                .map(visit)
                .collect(),
            Span::Before(end) => mine.range(..end.to_vec()).map(visit).collect(),
        };
        if rev {
            over.reverse();
        }
        Box::new(lay_over(base, over, rev))
    }

    /// The entries of tree `t` from key `from` on, in key order, read as the walk goes (a page
    /// at a time from a database), as a shadow sees them when this is one: for passes over a
    /// large tree that should not hold it all at once.
    pub fn walk<'s>(&'s self, t: T, from: &[u8]) -> Entries<'s> {
        self.walk_fields(t, from, &[])
    }

    /// As [`Store::walk`], for a pass that needs only `fields` of each record (all of them
    /// when empty): a value holds at least those — only those from a database, which then
    /// reads and sends a fraction of each record; whole from sled, where reading it costs the
    /// same. Decode such a value into a type with just those fields.
    pub fn walk_fields<'s>(
        &'s self,
        t: T,
        from: &[u8],
        fields: &'static [&'static str],
    ) -> Entries<'s> {
        let mut one = self.walks(&[(t, fields)], from);
        one.pop().unwrap_or_else(|| Box::new(std::iter::empty()))
    }

    /// A walk ([`Store::walk_fields`]) of each tree of `strands`, with its fields, from `from`
    /// on, for a pass that reads them side by side: on a database their first pages come in
    /// one round trip, and only a tree larger than that holds a connection for the rest.
    pub fn walks<'s>(
        &'s self,
        strands: &[(T, &'static [&'static str])],
        from: &[u8],
    ) -> Vec<Entries<'s>> {
        let bases: Vec<Entries<'s>> = match &self.backend {
            Backend::Sled { trees, .. } => strands
                .iter()
                .map(|&(t, _)| {
                    Box::new(
                        trees[t as usize]
                            .range(from.to_vec()..)
                            .map(|r| r.map_err(|e| io(&self.dir, e))),
                    ) as Entries<'s>
                })
                .collect(),
            Backend::Pg(pg) => pg
                .walks(strands, from)
                .into_iter()
                .map(|w| Box::new(w) as Entries<'s>)
                .collect(),
        };
        let Some(over) = &self.overlay else {
            return bases;
        };
        bases
            .into_iter()
            .zip(strands)
            .map(|(base, &(t, _))| {
                let over: Vec<_> = read(over)[t as usize]
                    .range(from.to_vec()..)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Box::new(lay_over(base, over, false)) as Entries<'s>
            })
            .collect()
    }

    pub fn get<V: DeserializeOwned>(&self, t: T, k: &[u8]) -> Result<Option<V>, StoreError> {
        match self.raw(t, k)? {
            None => Ok(None),
            Some(bytes) => decode(t.name(), k, &bytes).map(Some),
        }
    }

    /// The records at each tree's keys, in their order (`None` where there is none): on
    /// PostgreSQL one query per tree, sent together, so the whole costs one round trip. Decode
    /// each with [`decode_set`].
    pub fn get_sets(
        &self,
        wants: &[(T, &[Vec<u8>])],
    ) -> Result<Vec<Vec<Option<IVec>>>, StoreError> {
        let Backend::Pg(pg) = &self.backend else {
            return wants
                .iter()
                .map(|(t, keys)| keys.iter().map(|k| self.raw(*t, k)).collect())
                .collect();
        };
        let found = pg.get_sets(wants)?;
        Ok(wants
            .iter()
            .zip(found)
            .map(|((t, keys), found)| {
                keys.iter()
                    .map(|k| {
                        let over = self
                            .overlay
                            .as_ref()
                            .and_then(|o| read(o)[*t as usize].get(k).cloned());
                        match over {
                            Some(v) => v,
                            None => found.get(k.as_slice()).cloned(),
                        }
                    })
                    .collect()
            })
            .collect())
    }

    pub fn has(&self, t: T, k: &[u8]) -> Result<bool, StoreError> {
        Ok(self.raw(t, k)?.is_some())
    }

    /// Entries under a key prefix as stored, in key order (decode each with [`decode`]).
    pub fn scan_raw(&self, t: T, p: &[u8]) -> Result<Vec<Kv>, StoreError> {
        self.entries(t, Span::Prefix(p), false, None).collect()
    }

    /// Says what a view is about to read — the entries under each prefix of `ranges`, the
    /// records of `gets` — so a database can answer all of it in one round trip (then kept in
    /// its read cache for the reads that follow). Nothing to do on sled or in a shadow.
    pub fn prefetch(&self, ranges: &[(T, &[u8])], gets: &[(T, &[u8])]) {
        if let (Backend::Pg(pg), None) = (&self.backend, &self.overlay) {
            pg.prefetch(ranges, gets);
        }
    }

    /// Records under a key prefix, in key order.
    pub fn scan<V: DeserializeOwned>(&self, t: T, p: &[u8]) -> Result<Vec<V>, StoreError> {
        self.entries(t, Span::Prefix(p), false, None)
            .map(|r| {
                let (k, v) = r?;
                decode(t.name(), &k, &v)
            })
            .collect()
    }

    /// Every entry of a tree as stored, in key order (copying a store).
    pub fn raw_entries(&self, t: T) -> Result<Vec<(Vec<u8>, Vec<u8>)>, StoreError> {
        self.entries(t, Span::Prefix(b""), false, None)
            .map(|r| r.map(|(k, v)| (k.to_vec(), v.to_vec())))
            .collect()
    }

    /// Keys under a prefix (index trees), in key order.
    pub fn keys(&self, t: T, p: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
        self.entries(t, Span::Prefix(p), false, None)
            .map(|r| r.map(|(k, _)| k.to_vec()))
            .collect()
    }

    /// Up to `limit` keys that sort before `end`, in key order (the due-time index).
    pub fn keys_before(&self, t: T, end: &[u8], limit: usize) -> Result<Vec<Vec<u8>>, StoreError> {
        self.entries(t, Span::Before(end), false, Some(limit))
            .take(limit)
            .map(|r| r.map(|(k, _)| k.to_vec()))
            .collect()
    }

    /// The first key of a tree, if any (the next thing due).
    pub fn first_key(&self, t: T) -> Result<Option<Vec<u8>>, StoreError> {
        self.entries(t, Span::Prefix(b""), false, Some(1))
            .next()
            .transpose()
            .map(|o| o.map(|(k, _)| k.to_vec()))
    }

    /// How many entries there are under a key prefix.
    pub fn count(&self, t: T, p: &[u8]) -> Result<usize, StoreError> {
        if let (Backend::Pg(pg), None) = (&self.backend, &self.overlay) {
            return pg.count(t, p);
        }
        self.entries(t, Span::Prefix(p), false, None)
            .try_fold(0, |n, entry| entry.map(|_| n + 1))
    }

    /// The last `n` records of a tree, newest first (audit log).
    pub fn last<V: DeserializeOwned>(&self, t: T, n: usize) -> Result<Vec<V>, StoreError> {
        self.entries(t, Span::Prefix(b""), true, Some(n))
            .take(n)
            .map(|r| {
                let (k, v) = r?;
                decode(t.name(), &k, &v)
            })
            .collect()
    }

    /// Runs `f` as one serializable transaction over every tree, then flushes, so a change
    /// reported as done survives a kill -9.
    pub fn transact<R, E>(&self, f: impl Fn(&Tx) -> TxResult<R, E>) -> Result<R, TxError<E>> {
        let _written = Written(&self.writes);
        if let Some(over) = &self.overlay {
            return self.transact_shadow(over, f);
        }
        let trees = match &self.backend {
            Backend::Sled { trees, .. } => trees,
            Backend::Pg(pg) => return transact_pg(pg, f),
        };
        let result = trees.as_slice().transaction(|trees| {
            f(&Tx {
                on: On::Sled(trees),
            })
        });
        match result {
            Ok(r) => {
                self.flush().map_err(TxError::Store)?;
                Ok(r)
            }
            Err(TransactionError::Abort(TxAbort::Caller(e))) => Err(TxError::Abort(e)),
            Err(TransactionError::Abort(TxAbort::Corrupt(e))) => Err(TxError::Store(e)),
            Err(TransactionError::Storage(e)) => Err(TxError::Store(io(&self.dir, e))),
        }
    }

    /// A shadow's transaction: nothing else writes a shadow (it lives in one call of one
    /// process), so its writes are simply kept aside and laid over it when `f` succeeds.
    fn transact_shadow<R, E>(
        &self,
        over: &RwLock<Changes>,
        f: impl Fn(&Tx) -> TxResult<R, E>,
    ) -> Result<R, TxError<E>> {
        let pending = RefCell::new(no_changes());
        let result = f(&Tx {
            on: On::Shadow {
                store: self,
                pending: &pending,
            },
        });
        match result {
            Ok(r) => {
                let mut changes = write(over);
                for (mine, new) in changes.iter_mut().zip(pending.into_inner()) {
                    mine.extend(new);
                }
                Ok(r)
            }
            Err(ConflictableTransactionError::Abort(TxAbort::Caller(e))) => Err(TxError::Abort(e)),
            Err(ConflictableTransactionError::Abort(TxAbort::Corrupt(e))) => Err(TxError::Store(e)),
            Err(ConflictableTransactionError::Storage(e)) => Err(TxError::Store(io(&self.dir, e))),
            // Only sled's own transactions conflict.
            Err(_) => Err(TxError::Store(io(
                &self.dir,
                "a shadow's transaction conflicted",
            ))),
        }
    }

    /// A private view of this store to try changes on (`dwc apply`): it reads what this store
    /// holds, and its own writes are kept aside, so it costs nothing to take however large the
    /// store. Nothing done to it touches this store until [`Store::adopt`] writes its changes
    /// in one transaction.
    pub fn shadow(&self) -> Result<Store, StoreError> {
        let changes = match &self.overlay {
            Some(over) => read(over).clone(),
            None => no_changes(),
        };
        Ok(Store {
            dir: self.dir.clone(),
            backend: self.backend.clone(),
            overlay: Some(RwLock::new(changes)),
            _lock: None,
            writes: AtomicU64::new(0),
        })
    }

    /// Makes this store what `shadow` has become: every record it wrote or removed that differs
    /// here, all in one transaction, flushed. Returns how many records changed. The shadow is
    /// left with nothing more to adopt.
    pub fn adopt(&self, shadow: &Store) -> Result<usize, StoreError> {
        let _written = Written(&self.writes);
        let dir = &self.dir;
        let Some(theirs) = &shadow.overlay else {
            return Ok(0);
        };
        let taken = std::mem::replace(&mut *write(theirs), no_changes());
        let mut changes: Vec<(usize, Vec<u8>, Option<IVec>)> = Vec::new();
        for (i, (t, tree)) in T::ALL.iter().zip(taken).enumerate() {
            for (k, v) in tree {
                if !same_value(self.raw(*t, &k)?.as_deref(), v.as_deref()) {
                    changes.push((i, k, v));
                }
            }
        }
        if changes.is_empty() {
            return Ok(0);
        }
        if let Some(mine) = &self.overlay {
            let mut mine = write(mine);
            for (i, k, v) in &changes {
                mine[*i].insert(k.clone(), v.clone());
            }
            return Ok(changes.len());
        }
        let trees = match &self.backend {
            Backend::Sled { trees, .. } => trees,
            Backend::Pg(pg) => {
                let mut batch = no_changes();
                for (i, k, v) in changes.iter().cloned() {
                    batch[i].insert(k, v);
                }
                pg.write(batch)?;
                return Ok(changes.len());
            }
        };
        let result: Result<(), TransactionError<()>> = trees.as_slice().transaction(|trees| {
            for (i, k, v) in &changes {
                match v {
                    Some(v) => trees[*i].insert(k.as_slice(), v.clone())?,
                    None => trees[*i].remove(k.as_slice())?,
                };
            }
            Ok(())
        });
        result.map_err(|e| io(dir, format!("{e:?}")))?;
        self.flush()?;
        Ok(changes.len())
    }

    /// Writes many records without a transaction (bulk loads of a new store), then flushes.
    pub fn bulk(
        &self,
        t: T,
        items: impl IntoIterator<Item = (Vec<u8>, Vec<u8>)>,
    ) -> Result<(), StoreError> {
        let _written = Written(&self.writes);
        if let Some(over) = &self.overlay {
            let mut over = write(over);
            for (k, v) in items {
                over[t as usize].insert(k, Some(IVec::from(v)));
            }
            return Ok(());
        }
        // Small batches: sled keeps every node a batch replaces until the batch ends, so one
        // batch of many thousands holds hundreds of megabytes; a flush every few thousand
        // records keeps its write buffers from growing with the load.
        const BATCH: usize = 500;
        const FLUSH_EVERY: usize = 5_000;
        let tree = match &self.backend {
            Backend::Sled { trees, .. } => &trees[t as usize],
            Backend::Pg(pg) => {
                let mut items = items.into_iter().peekable();
                while items.peek().is_some() {
                    let mut batch = no_changes();
                    for (k, v) in items.by_ref().take(FLUSH_EVERY) {
                        batch[t as usize].insert(k, Some(IVec::from(v)));
                    }
                    pg.write(batch)?;
                }
                return Ok(());
            }
        };
        let mut batch = sled::Batch::default();
        for (n, (k, v)) in items.into_iter().enumerate() {
            batch.insert(k, v);
            if (n + 1) % BATCH == 0 {
                tree.apply_batch(std::mem::take(&mut batch))
                    .map_err(|e| io(&self.dir, e))?;
            }
            if (n + 1) % FLUSH_EVERY == 0 {
                self.flush()?;
            }
        }
        tree.apply_batch(batch).map_err(|e| io(&self.dir, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_left_unfinished_by_a_kill_does_not_break_the_store() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path(), true).unwrap();
            s.transact::<_, ()>(|tx| tx.mark(T::Users, b"alice"))
                .unwrap();
        }
        // What a process killed in the middle of writing a snapshot leaves behind; sled would
        // pick it as the newest snapshot and refuse to open.
        std::fs::write(
            dir.path()
                .join("db")
                .join("snap.FFFFFFFFFFFFFFFF.generating"),
            b"half a snapshot",
        )
        .unwrap();
        let s = Store::open(dir.path(), false).expect("the store opens");
        assert!(s.has(T::Users, b"alice").unwrap());
    }

    #[test]
    fn a_shadow_is_private_until_adopted_and_its_ids_stay_unique() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path(), true).unwrap();
        let put = |st: &Store, k: &str, v: u32| {
            st.transact::<_, ()>(|tx| {
                let id = tx.next_id()?;
                tx.put(T::Users, k.as_bytes(), &v)?;
                tx.put(T::Audit, &id.to_be_bytes(), &k.to_owned())?;
                Ok(id)
            })
            .unwrap()
        };
        let first = put(&s, "alice", 1);
        put(&s, "bob", 2);
        let shadow = s.shadow().unwrap();
        let in_shadow = put(&shadow, "alice", 10);
        shadow
            .transact::<_, ()>(|tx| tx.del(T::Users, b"bob"))
            .unwrap();
        assert!(in_shadow > first);
        // The original does not see the shadow's changes.
        assert_eq!(s.get::<u32>(T::Users, b"alice").unwrap(), Some(1));
        assert!(s.has(T::Users, b"bob").unwrap());
        // Adopting takes exactly the differences: alice, bob and one audit record.
        assert_eq!(s.adopt(&shadow).unwrap(), 3);
        assert_eq!(s.get::<u32>(T::Users, b"alice").unwrap(), Some(10));
        assert!(!s.has(T::Users, b"bob").unwrap());
        assert_eq!(s.adopt(&shadow).unwrap(), 0);
        // Ids made after adopting do not reuse the shadow's.
        assert!(put(&s, "carol", 3) > in_shadow);
        let audit: Vec<String> = s.scan(T::Audit, b"").unwrap();
        assert_eq!(audit.len(), 4, "{audit:?}");
    }

    /// Everything a shadow reads — records, keys, counts, ranges, newest first — is what the
    /// store itself would read after the same writes.
    fn same_view(a: &Store, b: &Store, t: T) {
        assert_eq!(a.keys(t, b"").unwrap(), b.keys(t, b"").unwrap());
        for p in [&b"a"[..], b"b", b"ab", b"z"] {
            assert_eq!(a.scan::<u8>(t, p).unwrap(), b.scan::<u8>(t, p).unwrap());
            assert_eq!(a.count(t, p).unwrap(), b.count(t, p).unwrap());
            assert_eq!(
                a.keys_before(t, p, 3).unwrap(),
                b.keys_before(t, p, 3).unwrap()
            );
        }
        assert_eq!(a.last::<u8>(t, 4).unwrap(), b.last::<u8>(t, 4).unwrap());
        assert_eq!(a.first_key(t).unwrap(), b.first_key(t).unwrap());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn a_shadow_reads_as_the_store_would_after_its_writes(
            before in proptest::collection::vec(("[ab]{1,3}", proptest::option::of(0u8..9)), 0..12),
            after in proptest::collection::vec(
                proptest::collection::vec(("[ab]{1,3}", proptest::option::of(0u8..9)), 0..6),
                0..4,
            ),
        ) {
            let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
            let (a, b) = (Store::open(d1.path(), true).unwrap(), Store::open(d2.path(), true).unwrap());
            let write = |st: &Store, ops: &[(String, Option<u8>)]| {
                st.transact::<_, ()>(|tx| {
                    for (k, v) in ops {
                        match v {
                            Some(v) => tx.put(T::Users, k.as_bytes(), v)?,
                            None => tx.del(T::Users, k.as_bytes())?,
                        }
                    }
                    Ok(())
                })
                .unwrap()
            };
            write(&a, &before);
            write(&b, &before);
            let shadow = a.shadow().unwrap();
            for ops in &after {
                write(&shadow, ops);
                write(&b, ops);
            }
            same_view(&shadow, &b, T::Users);
            a.adopt(&shadow).unwrap();
            same_view(&a, &b, T::Users);
        }
    }

    #[test]
    fn sleds_own_lock_held_elsewhere_reads_as_in_use() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path(), true).unwrap());
        // Someone holding sled's files without our lock file's lock.
        let _held = sled::Config::new()
            .path(dir.path().join("db"))
            .open()
            .unwrap();
        let e = Store::open(dir.path(), false).err().unwrap();
        assert!(matches!(e, StoreError::InUse(_)), "{e}");
    }

    #[test]
    fn lock_version_and_transactions() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Store::open(dir.path(), false),
            Err(StoreError::Missing(_))
        ));
        let s = Store::open(dir.path(), true).unwrap();
        let second = Store::open(dir.path(), false);
        assert_eq!(
            second.err().unwrap().to_string(),
            format!(
                "store {} is in use by another dwc process",
                dir.path().display()
            )
        );
        let r: Result<(), TxError<String>> = s.transact(|tx| {
            tx.put(T::Workspaces, b"a", &1u32)?;
            abort("no".to_owned())
        });
        assert!(matches!(r, Err(TxError::Abort(m)) if m == "no"));
        assert_eq!(
            s.get::<u32>(T::Workspaces, b"a").unwrap(),
            None,
            "an aborted transaction leaves nothing"
        );
        s.transact::<_, String>(|tx| {
            tx.put(T::Workspaces, b"a", &1u32)?;
            tx.mark(T::WsByRegion, &key(&["cn", "a"]))
        })
        .unwrap();
        assert_eq!(s.keys(T::WsByRegion, &prefix("cn")).unwrap().len(), 1);
        s.transact::<_, ()>(|tx| tx.put(T::Meta, VERSION_KEY, &(STORE_VERSION + 1)))
            .unwrap();
        drop(s);
        let e = Store::open(dir.path(), false).err().unwrap().to_string();
        assert!(e.contains("newer dwc (store version 2"), "{e}");
    }
}
