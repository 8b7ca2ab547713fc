//! sled persistence (DESIGN §7): a tree per entity kind plus index trees, values tagged with
//! their schema version, store version in `meta`, one transaction per change, flushed before the
//! caller hears of success. Knows nothing of permissions or screens.

mod codec;

use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use sled::transaction::{
    ConflictableTransactionError, TransactionError, Transactional, TransactionalTree,
};
use sled::{Db, Tree};
use thiserror::Error;

pub use codec::{SCHEMA_VERSION, decode, encode};

/// The layout version this build writes and the newest it reads.
pub const STORE_VERSION: u32 = 1;
const VERSION_KEY: &[u8] = b"store_version";
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("store {0} is in use by another dwc process")]
    InUse(String),
    #[error(
        "store {dir} was written by a newer dwc (store version {found}; this dwc reads up to {STORE_VERSION}): upgrade dwc to open it"
    )]
    TooNew { dir: String, found: u32 },
    #[error("no dwc store in {0}: create one with `dwc init --account NAME` or `dwc demo`")]
    Missing(String),
    #[error("store {0} already holds a tenant")]
    Exists(String),
    #[error("store {dir}: {message}")]
    Io { dir: String, message: String },
    #[error("store record {tree}/{key} is damaged: {message}")]
    Corrupt {
        tree: &'static str,
        key: String,
        message: String,
    },
}

/// The trees. Entity trees hold records; index trees hold empty values under composite keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

impl T {
    pub const ALL: [T; 28] = [
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
    db: Db,
    trees: Vec<Tree>,
    /// Added to the ids this store's database makes. Zero, except in a shadow: there it starts
    /// past every id the original had made, so ids made in the shadow stay unique when adopted.
    /// (The shadow cannot ask the original for ids: inside a transaction sled holds a
    /// process-wide lock that `Db::generate_id` waits for.)
    id_base: u64,
    /// Held for the life of the store: a second process gets `InUse` instead of a sled error.
    /// A shadow has none: it lives in this process only.
    _lock: Option<File>,
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
    trees: &'a [TransactionalTree],
    id_base: u64,
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
    fn tree(&self, t: T) -> &TransactionalTree {
        &self.trees[t as usize]
    }

    pub fn get<V: DeserializeOwned, E>(&self, t: T, k: &[u8]) -> TxResult<Option<V>, E> {
        match self.tree(t).get(k)? {
            None => Ok(None),
            Some(bytes) => decode(t.name(), k, &bytes)
                .map(Some)
                .map_err(|e| ConflictableTransactionError::Abort(TxAbort::Corrupt(e))),
        }
    }

    pub fn has<E>(&self, t: T, k: &[u8]) -> TxResult<bool, E> {
        Ok(self.tree(t).get(k)?.is_some())
    }

    pub fn put<V: Serialize, E>(&self, t: T, k: &[u8], v: &V) -> TxResult<(), E> {
        self.tree(t).insert(k, encode(v))?;
        Ok(())
    }

    /// An index entry: the key is the information.
    pub fn mark<E>(&self, t: T, k: &[u8]) -> TxResult<(), E> {
        self.tree(t).insert(k, &[] as &[u8])?;
        Ok(())
    }

    pub fn del<E>(&self, t: T, k: &[u8]) -> TxResult<(), E> {
        self.tree(t).remove(k)?;
        Ok(())
    }

    /// A new, increasing id (audit sequence numbers).
    pub fn next_id<E>(&self) -> TxResult<u64, E> {
        Ok(self.id_base + self.tree(T::Audit).generate_id()?)
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

/// Calls `out` for every key whose value differs between `a` and `b`, with `b`'s value (`None`
/// when `b` lacks it): both trees walked once, side by side in key order.
fn diff_tree(
    a: &Tree,
    b: &Tree,
    mut out: impl FnMut(sled::IVec, Option<sled::IVec>),
) -> sled::Result<()> {
    use std::cmp::Ordering;
    let (mut xs, mut ys) = (a.iter(), b.iter());
    let (mut x, mut y) = (xs.next().transpose()?, ys.next().transpose()?);
    loop {
        let order = match (&x, &y) {
            (None, None) => return Ok(()),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((ka, _)), Some((kb, _))) => ka.cmp(kb),
        };
        match order {
            Ordering::Less => {
                if let Some((k, _)) = x.take() {
                    out(k, None);
                }
                x = xs.next().transpose()?;
            }
            Ordering::Greater => {
                if let Some((k, v)) = y.take() {
                    out(k, Some(v));
                }
                y = ys.next().transpose()?;
            }
            Ordering::Equal => {
                if let (Some((_, va)), Some((k, vb))) = (x.take(), y.take())
                    && va != vb
                {
                    out(k, Some(vb));
                }
                x = xs.next().transpose()?;
                y = ys.next().transpose()?;
            }
        }
    }
}

impl Store {
    /// Opens the store in `dir`; with `create`, makes the directory and an empty store if needed.
    /// Takes the store's lock first, so a second process is told at once and nothing is touched.
    pub fn open(dir: &Path, create: bool) -> Result<Store, StoreError> {
        let shown = dir.display().to_string();
        if !dir.join("db").exists() && !create {
            return Err(StoreError::Missing(shown));
        }
        fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("dwc.lock"))
            .map_err(|e| io(dir, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(StoreError::InUse(shown)),
            Err(TryLockError::Error(e)) => return Err(io(dir, e)),
        }
        discard_unfinished_snapshots(&dir.join("db")).map_err(|e| io(dir, e))?;
        let db = sled::Config::new()
            .path(dir.join("db"))
            .cache_capacity(CACHE_BYTES)
            .open()
            .map_err(|e| io(dir, e))?;
        let trees = open_trees(&db).map_err(|e| io(dir, e))?;
        let store = Store {
            dir: dir.to_path_buf(),
            id_base: 0,
            db,
            trees,
            _lock: Some(lock),
        };
        match store.get::<u32>(T::Meta, VERSION_KEY)? {
            Some(v) if v > STORE_VERSION => {
                return Err(StoreError::TooNew {
                    dir: shown,
                    found: v,
                });
            }
            Some(_) => {}
            None => {
                store
                    .tree(T::Meta)
                    .insert(VERSION_KEY, encode(&STORE_VERSION))
                    .map_err(|e| io(dir, e))?;
                store.flush()?;
            }
        }
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn tree(&self, t: T) -> &Tree {
        &self.trees[t as usize]
    }

    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map(|_| ()).map_err(|e| io(&self.dir, e))
    }

    pub fn get<V: DeserializeOwned>(&self, t: T, k: &[u8]) -> Result<Option<V>, StoreError> {
        match self.tree(t).get(k).map_err(|e| io(&self.dir, e))? {
            None => Ok(None),
            Some(bytes) => decode(t.name(), k, &bytes).map(Some),
        }
    }

    pub fn has(&self, t: T, k: &[u8]) -> Result<bool, StoreError> {
        self.tree(t).contains_key(k).map_err(|e| io(&self.dir, e))
    }

    /// Records under a key prefix, in key order.
    pub fn scan<V: DeserializeOwned>(&self, t: T, p: &[u8]) -> Result<Vec<V>, StoreError> {
        self.tree(t)
            .scan_prefix(p)
            .map(|r| {
                let (k, v) = r.map_err(|e| io(&self.dir, e))?;
                decode(t.name(), &k, &v)
            })
            .collect()
    }

    /// Keys under a prefix (index trees), in key order.
    pub fn keys(&self, t: T, p: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
        self.tree(t)
            .scan_prefix(p)
            .keys()
            .map(|r| r.map(|k| k.to_vec()).map_err(|e| io(&self.dir, e)))
            .collect()
    }

    /// Up to `limit` keys that sort before `end`, in key order (the due-time index).
    pub fn keys_before(&self, t: T, end: &[u8], limit: usize) -> Result<Vec<Vec<u8>>, StoreError> {
        self.tree(t)
            .range(..end)
            .keys()
            .take(limit)
            .map(|r| r.map(|k| k.to_vec()).map_err(|e| io(&self.dir, e)))
            .collect()
    }

    /// The first key of a tree, if any (the next thing due).
    pub fn first_key(&self, t: T) -> Result<Option<Vec<u8>>, StoreError> {
        self.tree(t)
            .first()
            .map(|o| o.map(|(k, _)| k.to_vec()))
            .map_err(|e| io(&self.dir, e))
    }

    pub fn count(&self, t: T, p: &[u8]) -> usize {
        self.tree(t).scan_prefix(p).keys().count()
    }

    /// The last `n` records of a tree, newest first (audit log).
    pub fn last<V: DeserializeOwned>(&self, t: T, n: usize) -> Result<Vec<V>, StoreError> {
        self.tree(t)
            .iter()
            .rev()
            .take(n)
            .map(|r| {
                let (k, v) = r.map_err(|e| io(&self.dir, e))?;
                decode(t.name(), &k, &v)
            })
            .collect()
    }

    /// Runs `f` as one serializable transaction over every tree, then flushes, so a change
    /// reported as done survives a kill -9.
    pub fn transact<R, E>(&self, f: impl Fn(&Tx) -> TxResult<R, E>) -> Result<R, TxError<E>> {
        let id_base = self.id_base;
        let result = self
            .trees
            .as_slice()
            .transaction(|trees| f(&Tx { trees, id_base }));
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

    /// A private, temporary copy of this store to try changes on (`dwc apply`): nothing done to
    /// it touches this store until [`Store::adopt`] takes its differences in one transaction.
    /// Its ids continue this store's, so records it numbers keep their keys when adopted.
    pub fn shadow(&self) -> Result<Store, StoreError> {
        let dir = &self.dir;
        let id_base = self.id_base + self.db.generate_id().map_err(|e| io(dir, e))? + 1;
        let db = sled::Config::new()
            .temporary(true)
            .mode(sled::Mode::HighThroughput)
            .flush_every_ms(None)
            .cache_capacity(CACHE_BYTES)
            .open()
            .map_err(|e| io(dir, e))?;
        let trees = open_trees(&db).map_err(|e| io(dir, e))?;
        // One batch per tree: copying is most of what a shadow costs, and a batch is sled's
        // cheapest way in (copying trees on parallel threads measured no faster, and larger).
        for (from, to) in self.trees.iter().zip(&trees) {
            let mut batch = sled::Batch::default();
            for kv in from.iter() {
                let (k, v) = kv.map_err(|e| io(dir, e))?;
                batch.insert(k, v);
            }
            to.apply_batch(batch).map_err(|e| io(dir, e))?;
        }
        Ok(Store {
            dir: self.dir.clone(),
            db,
            trees,
            id_base,
            _lock: None,
        })
    }

    /// Makes this store what `shadow` has become: every key that differs is written or removed,
    /// all in one transaction, flushed. Returns how many keys changed.
    pub fn adopt(&self, shadow: &Store) -> Result<usize, StoreError> {
        let dir = &self.dir;
        let mut changes: Vec<(usize, sled::IVec, Option<sled::IVec>)> = Vec::new();
        for (i, (mine, theirs)) in self.trees.iter().zip(&shadow.trees).enumerate() {
            diff_tree(mine, theirs, |k, v| changes.push((i, k, v))).map_err(|e| io(dir, e))?;
        }
        if changes.is_empty() {
            return Ok(0);
        }
        let result: Result<(), TransactionError<()>> = self.trees.as_slice().transaction(|trees| {
            for (i, k, v) in &changes {
                match v {
                    Some(v) => trees[*i].insert(k, v.clone())?,
                    None => trees[*i].remove(k)?,
                };
            }
            Ok(())
        });
        result.map_err(|e| io(dir, format!("{e:?}")))?;
        // Move this store's ids past every id the shadow made.
        let next_of = |s: &Store| s.db.generate_id().map(|id| s.id_base + id);
        let last = next_of(shadow).map_err(|e| io(dir, e))?;
        while next_of(self).map_err(|e| io(dir, e))? < last {}
        self.flush()?;
        Ok(changes.len())
    }

    /// Writes many records without a transaction (bulk loads of a new store), then flushes.
    pub fn bulk(
        &self,
        t: T,
        items: impl IntoIterator<Item = (Vec<u8>, Vec<u8>)>,
    ) -> Result<(), StoreError> {
        // Chunks with a flush between keep sled's write buffers from growing with the load.
        const CHUNK: usize = 5_000;
        let mut batch = sled::Batch::default();
        for (n, (k, v)) in items.into_iter().enumerate() {
            batch.insert(k, v);
            if (n + 1) % CHUNK == 0 {
                self.tree(t)
                    .apply_batch(std::mem::take(&mut batch))
                    .map_err(|e| io(&self.dir, e))?;
                self.flush()?;
            }
        }
        self.tree(t)
            .apply_batch(batch)
            .map_err(|e| io(&self.dir, e))
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
        s.tree(T::Meta)
            .insert(VERSION_KEY, encode(&(STORE_VERSION + 1)))
            .unwrap();
        drop(s);
        let e = Store::open(dir.path(), false).err().unwrap().to_string();
        assert!(e.contains("newer dwc (store version 2"), "{e}");
    }
}
