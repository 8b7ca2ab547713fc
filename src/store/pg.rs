//! The store on PostgreSQL (DESIGN §13): one table per tree (`key bytea primary key`, the
//! schema-version byte `v`, the record as `value jsonb`; an index entry has neither), made and
//! checked under an advisory lock; SERIALIZABLE transactions retried on serialization failure;
//! no lock on the store, so many processes and servers share one tenant.
//!
//! The store's API is synchronous and is called from threads of every kind — plain ones, tokio's
//! blocking pool, and the local console's own async loop — so every query runs as a task on
//! this store's runtime and the caller waits on a channel, never by entering a runtime itself.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::mpsc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use sled::IVec;
use tokio_postgres::Config;
use tokio_postgres::error::SqlState;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::{Kv, STORE_VERSION, Span, StoreError, T, VERSION_KEY, encode};

/// `pg_advisory_xact_lock` key for creating and migrating the tables: "dwc" in ASCII.
const MIGRATION_LOCK: i64 = 0x0064_7763;
/// The channel committed changes are announced on (serve issue, point 5).
pub const CHANNEL: &str = "dwc_changes";
/// How often a transaction that keeps meeting others is tried before the error says so.
const ATTEMPTS: u32 = 12;

pub fn is_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// The URL as it may be shown: its password, if it has one, replaced by `***`.
pub fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{scheme}://{name}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

pub(super) struct Pg {
    rt: Option<tokio::runtime::Runtime>,
    pool: Pool,
    config: Config,
    pub(super) shown: String,
    /// Reads outside transactions, kept briefly (see [`Cache`]).
    cache: std::sync::Arc<std::sync::Mutex<Cache>>,
}

/// What was read outside a transaction, kept at most [`Cache::LIFE`] and dropped whole when
/// this process commits or hears another's commit (NOTIFY): a console redrawing for many
/// sessions asks the same things many times a second. Transactions never read it — what a
/// change relies on is read by the change itself — so it only makes a view up to that long
/// behind another server's change whose announcement was lost.
struct Cache {
    born: std::time::Instant,
    gets: std::collections::HashMap<(T, Vec<u8>), Option<IVec>>,
    ranges: std::collections::HashMap<(T, Vec<u8>, Option<Vec<u8>>, bool, Option<i64>), Vec<Kv>>,
    counts: std::collections::HashMap<(T, Vec<u8>), usize>,
}

impl Cache {
    const LIFE: Duration = Duration::from_secs(2);
    const MOST: usize = 200_000;

    fn new() -> Cache {
        Cache {
            born: std::time::Instant::now(),
            gets: Default::default(),
            ranges: Default::default(),
            counts: Default::default(),
        }
    }

    /// The cache, emptied first if it is too old or too big.
    fn fresh(c: &std::sync::Mutex<Cache>) -> std::sync::MutexGuard<'_, Cache> {
        let mut g = c.lock().unwrap_or_else(|e| e.into_inner());
        if g.born.elapsed() > Cache::LIFE || g.gets.len() + g.ranges.len() > Cache::MOST {
            *g = Cache::new();
        }
        g
    }

    fn clear(c: &std::sync::Mutex<Cache>) {
        *c.lock().unwrap_or_else(|e| e.into_inner()) = Cache::new();
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which is refused inside an async context (the local
        // console drops its store there); this one is left to stop on its own.
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// A query's failure: a serialization failure (try the transaction again) or anything else.
pub(super) enum Failure {
    Retry,
    Store(StoreError),
}

fn is_retry(e: &tokio_postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED
    )
}

fn message(e: &tokio_postgres::Error) -> String {
    if e.code() == Some(&SqlState::UNTRANSLATABLE_CHARACTER) {
        return "a text holds a NUL character, which PostgreSQL cannot keep: nothing was changed"
            .into();
    }
    match e.as_db_error() {
        Some(db) => format!("PostgreSQL: {} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

fn table(t: T) -> String {
    format!("dwc_{}", t.name())
}

/// The smallest key after every key starting with `p`; `None` when there is none.
fn successor(p: &[u8]) -> Option<Vec<u8>> {
    let mut s = p.to_vec();
    while let Some(last) = s.pop() {
        if last < 0xff {
            s.push(last + 1);
            return Some(s);
        }
    }
    None
}

/// A value's columns: the schema byte and the JSON after it; an index entry has neither.
fn columns(t: T, k: &[u8], v: &[u8]) -> Result<(Option<i16>, Option<String>), StoreError> {
    match v.split_first() {
        None => Ok((None, None)),
        Some((version, json)) => match std::str::from_utf8(json) {
            Ok(s) => Ok((Some(i16::from(*version)), Some(s.to_owned()))),
            Err(e) => Err(StoreError::Corrupt {
                tree: t.name(),
                key: String::from_utf8_lossy(k).replace('\0', "/"),
                message: format!("not JSON text: {e}"),
            }),
        },
    }
}

/// A `jsonb` column as PostgreSQL sends it in binary: a format byte, then the JSON as text —
/// the text `value::text` would give, without the server's cast through text or a UTF-8 check
/// here (decoding the JSON checks it).
struct Jsonb<'a>(&'a [u8]);

impl<'a> tokio_postgres::types::FromSql<'a> for Jsonb<'a> {
    fn from_sql(
        _: &tokio_postgres::types::Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        match raw.split_first() {
            Some((1, json)) => Ok(Jsonb(json)),
            _ => Err("a jsonb value in a format this dwc does not know".into()),
        }
    }

    fn accepts(ty: &tokio_postgres::types::Type) -> bool {
        *ty == tokio_postgres::types::Type::JSONB
    }
}

fn value(v: Option<i16>, json: Option<Jsonb<'_>>) -> IVec {
    match (v, json) {
        (Some(v), Some(Jsonb(json))) => {
            let mut out = Vec::with_capacity(json.len() + 1);
            out.push(v as u8);
            out.extend_from_slice(json);
            IVec::from(out)
        }
        _ => IVec::default(),
    }
}

/// The value columns a walk selects: the whole record, or each of `fields` (`->` on a `jsonb`
/// touches only its own field, so the server converts and sends a fraction of each record).
fn selected(fields: &[&str]) -> String {
    if fields.is_empty() {
        return "value".into();
    }
    fields
        .iter()
        .map(|f| format!("value->'{}'", f.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A walk's row as an entry: its key, and its record whole or over `fields`.
fn entry(r: &tokio_postgres::Row, fields: &[&str]) -> Kv {
    let k: &[u8] = r.get(0);
    let v = if fields.is_empty() {
        value(r.get(1), r.get(2))
    } else {
        projected(r, fields)
    };
    (IVec::from(k), v)
}

/// A record of a walk over some of its fields: an object of those it has (a field a record
/// lacks comes as NULL and is left out), under the record's schema byte.
fn projected(r: &tokio_postgres::Row, fields: &[&str]) -> IVec {
    let Some(v) = r.get::<_, Option<i16>>(1) else {
        return IVec::default();
    };
    let found: Vec<(&str, &[u8])> = fields
        .iter()
        .enumerate()
        .filter_map(|(i, name)| {
            let json = r.get::<_, Option<Jsonb>>(2 + i)?;
            Some((*name, json.0))
        })
        .collect();
    // `"name":json,` for each, and the schema byte and braces.
    let size = found
        .iter()
        .map(|(n, j)| n.len() + j.len() + 4)
        .sum::<usize>()
        + 3;
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&[v as u8, b'{']);
    for (i, (name, json)) in found.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Field names are this dwc's own, plain words that JSON needs no escape for.
        debug_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        out.push(b'"');
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\":");
        out.extend_from_slice(json);
    }
    out.push(b'}');
    IVec::from(out)
}

/// The entries of a walk ([`Pg::walks`]) as they arrive.
pub(super) struct Walk {
    rows: mpsc::Receiver<Result<Vec<Kv>, StoreError>>,
    /// How many more batches may wait unread.
    room: std::sync::Arc<tokio::sync::Semaphore>,
    batch: std::vec::IntoIter<Kv>,
    done: bool,
}

impl Walk {
    /// A walk with nothing more to come than its batch.
    fn ended() -> Walk {
        Walk::of(mpsc::channel().1, true)
    }

    /// A walk that could not start: it gives `e`, then ends.
    fn failed(e: StoreError) -> Walk {
        let (send, rows) = mpsc::channel();
        let _ = send.send(Err(e));
        Walk::of(rows, false)
    }

    /// A walk of what `rows` holds already, with no query behind it.
    fn of(rows: mpsc::Receiver<Result<Vec<Kv>, StoreError>>, done: bool) -> Walk {
        Walk {
            rows,
            room: std::sync::Arc::new(tokio::sync::Semaphore::new(0)),
            batch: Vec::new().into_iter(),
            done,
        }
    }
}

impl Iterator for Walk {
    type Item = Result<Kv, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(kv) = self.batch.next() {
                return Some(Ok(kv));
            }
            if self.done {
                return None;
            }
            match self.rows.recv() {
                Ok(Ok(batch)) => {
                    self.room.add_permits(1);
                    self.batch = batch.into_iter();
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                // The query has sent everything.
                Err(_) => self.done = true,
            }
        }
    }
}

impl Drop for Walk {
    fn drop(&mut self) {
        // A query waiting for room ends instead of waiting for ever.
        self.room.close();
    }
}

/// The password when the URL has none: `PGPASSWORD`, else the matching `.pgpass` line
/// (`PGPASSFILE`, else `~/.pgpass`), as libpq finds it.
fn password_for(config: &Config) -> Option<String> {
    if let Ok(p) = std::env::var("PGPASSWORD") {
        return Some(p);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let db = config.get_dbname().unwrap_or_default().to_owned();
    let user = config.get_user().unwrap_or_default().to_owned();
    let want = [host, port, db, user];
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split_pgpass(line);
            if fields.len() != 5 {
                return None;
            }
            let matches = want.iter().zip(&fields).all(|(w, f)| f == "*" || f == w);
            matches.then(|| fields[4].clone())
        })
}

/// A `.pgpass` line's fields: `:` separates, `\` escapes.
fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    fields.last_mut().map(|f| f.push(n));
                }
            }
            ':' => fields.push(String::new()),
            c => {
                fields.last_mut().map(|f| f.push(c));
            }
        }
    }
    fields
}

type Changes = Vec<BTreeMap<Vec<u8>, Option<IVec>>>;

/// TLS as libpq does it for `sslmode=prefer` (tried, plain if the server has none) and
/// `require` (refused without it): the connection encrypted, the server's certificate not
/// checked against a root (libpq checks it only for `verify-ca`/`verify-full`, which
/// tokio-postgres does not offer).
fn tls() -> MakeRustlsConnect {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map(|b| {
            b.dangerous()
                .with_custom_certificate_verifier(std::sync::Arc::new(Unverified(provider)))
                .with_no_client_auth()
        })
        .unwrap_or_else(|_| {
            rustls::ClientConfig::builder()
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth()
        });
    MakeRustlsConnect::new(config)
}

/// Accepts the server's certificate as libpq's `sslmode=require` does; signatures are still
/// checked, so the session is with whoever holds the certificate's key.
#[derive(Debug)]
struct Unverified(std::sync::Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

impl Pg {
    /// Connects to `url`; with `create`, makes the tables where there are none. Refuses a store
    /// a newer dwc wrote and, without `create`, a database that holds none.
    pub(super) fn connect(url: &str, create: bool) -> Result<Pg, StoreError> {
        let shown = shown(url);
        let fail = |m: String| StoreError::Io {
            dir: shown.clone(),
            message: m,
        };
        let mut config: Config = url.parse().map_err(|e| fail(format!("bad URL: {e}")))?;
        if config.get_password().is_none()
            && let Some(p) = password_for(&config)
        {
            config.password(p);
        }
        if config.get_application_name().is_none() {
            config.application_name("dwc");
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("dwc-postgres")
            .enable_all()
            .build()
            .map_err(|e| fail(e.to_string()))?;
        let manager = Manager::from_config(
            config.clone(),
            tls(),
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(30)))
            .create_timeout(Some(Duration::from_secs(10)))
            .build()
            .map_err(|e| fail(e.to_string()))?;
        let pg = Pg {
            rt: Some(rt),
            pool,
            config,
            shown,
            cache: std::sync::Arc::new(std::sync::Mutex::new(Cache::new())),
        };
        pg.prepare(create)?;
        Ok(pg)
    }

    /// Runs `fut` on this store's runtime and waits for it.
    fn run<R: Send + 'static>(&self, fut: impl Future<Output = R> + Send + 'static) -> R {
        let (tx, rx) = mpsc::sync_channel(1);
        let rt = self
            .rt
            .as_ref()
            .expect("the runtime lives as long as the store");
        rt.spawn(async move {
            let _ = tx.send(fut.await);
        });
        rx.recv().expect("a store task always answers")
    }

    fn io(&self, m: impl std::fmt::Display) -> StoreError {
        StoreError::Io {
            dir: self.shown.clone(),
            message: m.to_string(),
        }
    }

    fn client(&self) -> Result<Object, StoreError> {
        let pool = self.pool.clone();
        self.run(async move { pool.get().await }).map_err(|e| {
            self.io(match e {
                deadpool_postgres::PoolError::Backend(e) => format!("connecting: {}", message(&e)),
                e => format!("connecting: {e}"),
            })
        })
    }

    /// Makes or checks the tables under the migration lock.
    fn prepare(&self, create: bool) -> Result<(), StoreError> {
        let mut client = self.client()?;
        let shown = self.shown.clone();
        let r: Result<Result<(), StoreError>, tokio_postgres::Error> = self.run(async move {
            let tx = client.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
                .await?;
            let exists: bool = tx
                .query_one("SELECT to_regclass('dwc_meta') IS NOT NULL", &[])
                .await?
                .get(0);
            if !exists && !create {
                return Ok(Err(StoreError::Missing(shown)));
            }
            let mut ddl = String::new();
            for t in T::ALL {
                ddl.push_str(&format!(
                    "CREATE TABLE IF NOT EXISTS {} (key bytea PRIMARY KEY, v smallint, value jsonb);\n",
                    table(t)
                ));
            }
            ddl.push_str("CREATE SEQUENCE IF NOT EXISTS dwc_ids;\n");
            tx.batch_execute(&ddl).await?;
            let row = tx
                .query_opt(
                    "SELECT value::text FROM dwc_meta WHERE key = $1",
                    &[&VERSION_KEY],
                )
                .await?;
            let found: Option<u32> = row
                .and_then(|r| r.get::<_, Option<String>>(0))
                .and_then(|s| s.parse().ok());
            match found {
                Some(v) if v > STORE_VERSION => {
                    return Ok(Err(StoreError::TooNew {
                        dir: shown,
                        found: v,
                    }));
                }
                Some(_) => {}
                None => {
                    let bytes = encode(&STORE_VERSION);
                    let json = std::str::from_utf8(&bytes[1..]).unwrap_or("1").to_owned();
                    tx.execute(
                        "INSERT INTO dwc_meta (key, v, value) VALUES ($1, $2, $3::text::jsonb)",
                        &[&VERSION_KEY, &i16::from(bytes[0]), &json],
                    )
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(Ok(()))
        });
        r.map_err(|e| self.io(message(&e)))?
    }

    /// Whether the database holds more than an empty store.
    pub(super) fn holds_anything(&self) -> Result<bool, StoreError> {
        let client = self.client()?;
        self.run(async move {
            client
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM dwc_meta WHERE key <> $1)",
                    &[&VERSION_KEY],
                )
                .await
                .map(|r| r.get::<_, bool>(0))
        })
        .map_err(|e| self.io(message(&e)))
    }

    pub(super) fn get(&self, t: T, k: &[u8]) -> Result<Option<IVec>, StoreError> {
        if let Some(v) = Cache::fresh(&self.cache).gets.get(&(t, k.to_vec())) {
            return Ok(v.clone());
        }
        let client = self.client()?;
        let key = k.to_vec();
        let v = self
            .run(async move { get_on(&client, t, key).await })
            .map_err(|e| self.io(message(&e)))?;
        Cache::fresh(&self.cache)
            .gets
            .insert((t, k.to_vec()), v.clone());
        Ok(v)
    }

    /// For each tree and its keys, the records that exist, by key; the queries are sent
    /// together on one connection (pipelined), so the whole costs one round trip.
    pub(super) fn get_sets(
        &self,
        wants: &[(T, &[Vec<u8>])],
    ) -> Result<Vec<std::collections::HashMap<Vec<u8>, IVec>>, StoreError> {
        // Whole sets from the cache when every key is there.
        {
            let cache = Cache::fresh(&self.cache);
            let hit: Option<Vec<_>> = wants
                .iter()
                .map(|(t, keys)| {
                    keys.iter()
                        .map(|k| {
                            cache
                                .gets
                                .get(&(*t, k.clone()))
                                .map(|v| v.clone().map(|v| (k.clone(), v)))
                        })
                        .collect::<Option<Vec<_>>>()
                        .map(|found| found.into_iter().flatten().collect())
                })
                .collect();
            if let Some(hit) = hit {
                return Ok(hit);
            }
        }
        let found = self.fetch_sets(wants)?;
        let mut cache = Cache::fresh(&self.cache);
        for ((t, keys), found) in wants.iter().zip(&found) {
            for k in keys.iter() {
                cache
                    .gets
                    .insert((*t, k.clone()), found.get(k.as_slice()).cloned());
            }
        }
        Ok(found)
    }

    fn fetch_sets(
        &self,
        wants: &[(T, &[Vec<u8>])],
    ) -> Result<Vec<std::collections::HashMap<Vec<u8>, IVec>>, StoreError> {
        let client = self.client()?;
        let wants: Vec<(T, Vec<Vec<u8>>)> = wants.iter().map(|(t, k)| (*t, k.to_vec())).collect();
        self.run(async move {
            let client = &client;
            let queries = wants.into_iter().map(|(t, keys)| async move {
                if keys.is_empty() {
                    return Ok(std::collections::HashMap::new());
                }
                let sql = format!(
                    "SELECT key, v, value FROM {} WHERE key = ANY($1::bytea[])",
                    table(t)
                );
                let stmt = client.prepare_cached(&sql).await?;
                let rows = client.query(&stmt, &[&keys]).await?;
                Ok(rows
                    .into_iter()
                    .map(|r| (r.get::<_, Vec<u8>>(0), value(r.get(1), r.get(2))))
                    .collect())
            });
            futures_util::future::try_join_all(queries).await
        })
        .map_err(|e: tokio_postgres::Error| self.io(message(&e)))
    }

    /// A span's entries in key order (or reversed), at most `limit` of them.
    pub(super) fn range(
        &self,
        t: T,
        span: Span<'_>,
        rev: bool,
        limit: Option<usize>,
    ) -> Result<Vec<Kv>, StoreError> {
        let (lo, hi) = match span {
            Span::Prefix(p) => (p.to_vec(), successor(p)),
            Span::Before(end) => (Vec::new(), Some(end.to_vec())),
        };
        let limit = limit.map(|n| n as i64);
        let id = (t, lo.clone(), hi.clone(), rev, limit);
        if let Some(rows) = Cache::fresh(&self.cache).ranges.get(&id) {
            return Ok(rows.clone());
        }
        let client = self.client()?;
        let rows = self
            .run(async move { range_on(&client, t, &lo, &hi, rev, limit, &[]).await })
            .map_err(|e| self.io(message(&e)))?;
        Cache::fresh(&self.cache).ranges.insert(id, rows.clone());
        Ok(rows)
    }

    /// Every entry of each strand's tree from `from` on, in key order, each tree's as a walk
    /// of its own (with a strand's fields, a record's value holds only those: see
    /// [`projected`]). The first page of every tree is read at once, the queries pipelined on
    /// one connection; a tree that fills it goes on in one query whose rows stream in while the
    /// reader works through those already here, on a connection of its own. So small trees
    /// cost no connection, and a large one no round trip per page. At most a few batches wait
    /// unread; a reader that stops early stops the query. Not cached: a walk reads more than
    /// the cache should keep.
    pub(super) fn walks(&self, strands: &[(T, &'static [&'static str])], from: &[u8]) -> Vec<Walk> {
        const PAGE: i64 = 1_000;
        let firsts = self.client().and_then(|client| {
            let wants = strands.to_vec();
            let from = from.to_vec();
            self.run(async move {
                let client = &client;
                let pages = wants.iter().map(|&(t, fields)| {
                    range_on(client, t, &from, &None, false, Some(PAGE), fields)
                });
                futures_util::future::try_join_all(pages).await
            })
            .map_err(|e: tokio_postgres::Error| self.io(message(&e)))
        });
        let pages = match firsts {
            Ok(pages) => pages,
            Err(e) => {
                let m = e.to_string();
                return strands.iter().map(|_| Walk::failed(self.io(&m))).collect();
            }
        };
        strands
            .iter()
            .zip(pages)
            .map(|(&(t, fields), page)| {
                let rest = match page.last() {
                    Some((last, _)) if page.len() as i64 == PAGE => {
                        // The smallest key after the page's last.
                        let mut after = last.to_vec();
                        after.push(0);
                        self.stream(t, &after, fields)
                    }
                    _ => Walk::ended(),
                };
                let mut walk = rest;
                walk.batch = page.into_iter();
                walk
            })
            .collect()
    }

    /// The entries of `t` from `from` on, streamed as [`Pg::walks`] says.
    fn stream(&self, t: T, from: &[u8], fields: &'static [&'static str]) -> Walk {
        const BATCH: usize = 1_000;
        const AHEAD: usize = 4;
        let (send, rows) = mpsc::channel();
        let room = std::sync::Arc::new(tokio::sync::Semaphore::new(AHEAD));
        let walk = Walk {
            rows,
            room: room.clone(),
            batch: Vec::new().into_iter(),
            done: false,
        };
        let pool = self.pool.clone();
        let shown = self.shown.clone();
        let sql = format!(
            "SELECT key, v, {} FROM {} WHERE key >= $1 ORDER BY key",
            selected(fields),
            table(t)
        );
        let from = from.to_vec();
        let Some(rt) = self.rt.as_ref() else {
            return walk;
        };
        rt.spawn(async move {
            let failed = |m: String| StoreError::Io {
                dir: shown.clone(),
                message: m,
            };
            let streamed: Result<(), StoreError> = async {
                let client = pool
                    .get()
                    .await
                    .map_err(|e| failed(format!("connecting: {e}")))?;
                let stmt = client
                    .prepare_cached(&sql)
                    .await
                    .map_err(|e| failed(message(&e)))?;
                let params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&from];
                let stream = client
                    .query_raw(&stmt, params)
                    .await
                    .map_err(|e| failed(message(&e)))?;
                let mut stream = std::pin::pin!(stream);
                let mut batch = Vec::with_capacity(BATCH);
                loop {
                    let row = futures_util::TryStreamExt::try_next(&mut stream)
                        .await
                        .map_err(|e| failed(message(&e)))?;
                    let last = row.is_none();
                    if let Some(r) = row {
                        batch.push(entry(&r, fields));
                    }
                    if batch.len() == BATCH || (last && !batch.is_empty()) {
                        // The reader has gone (or stopped reading): so does the query.
                        let Ok(permit) = room.acquire().await else {
                            return Ok(());
                        };
                        permit.forget();
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                        if send.send(Ok(full)).is_err() {
                            return Ok(());
                        }
                    }
                    if last {
                        return Ok(());
                    }
                }
            }
            .await;
            if let Err(e) = streamed {
                let _ = send.send(Err(e));
            }
        });
        walk
    }

    /// Reads the entries under each prefix of `ranges` and the records of `gets` into the read
    /// cache, all sent together on one connection: what a view is about to ask one by one then
    /// costs one round trip. A hint only: what fails here is asked again, and reported, then.
    pub(super) fn prefetch(&self, ranges: &[(T, &[u8])], gets: &[(T, &[u8])]) {
        let ranges: Vec<(T, Vec<u8>, Option<Vec<u8>>)> = {
            let cache = Cache::fresh(&self.cache);
            ranges
                .iter()
                .map(|(t, p)| (*t, p.to_vec(), successor(p)))
                .filter(|(t, lo, hi)| {
                    !cache
                        .ranges
                        .contains_key(&(*t, lo.clone(), hi.clone(), false, None))
                })
                .collect()
        };
        let gets: Vec<(T, Vec<u8>)> = {
            let cache = Cache::fresh(&self.cache);
            gets.iter()
                .map(|(t, k)| (*t, k.to_vec()))
                .filter(|id| !cache.gets.contains_key(id))
                .collect()
        };
        if ranges.is_empty() && gets.is_empty() {
            return;
        }
        let Ok(client) = self.client() else { return };
        let fetched = self.run(async move {
            let spans = ranges.iter().map(|(t, lo, hi)| {
                let client = &client;
                async move {
                    let rows = range_on(client, *t, lo, hi, false, None, &[]).await?;
                    Ok::<_, tokio_postgres::Error>((
                        (*t, lo.clone(), hi.clone(), false, None),
                        rows,
                    ))
                }
            });
            let records = gets.iter().map(|(t, k)| {
                let client = &client;
                async move {
                    Ok::<_, tokio_postgres::Error>((
                        (*t, k.clone()),
                        get_on(client, *t, k.clone()).await?,
                    ))
                }
            });
            let (spans, records) = futures_util::future::join(
                futures_util::future::try_join_all(spans),
                futures_util::future::try_join_all(records),
            )
            .await;
            Some((spans.ok()?, records.ok()?))
        });
        if let Some((spans, records)) = fetched {
            let mut cache = Cache::fresh(&self.cache);
            cache.ranges.extend(spans);
            cache.gets.extend(records);
        }
    }

    pub(super) fn count(&self, t: T, p: &[u8]) -> Result<usize, StoreError> {
        if let Some(n) = Cache::fresh(&self.cache).counts.get(&(t, p.to_vec())) {
            return Ok(*n);
        }
        let client = self.client()?;
        let (lo, hi) = (p.to_vec(), successor(p));
        let n = self
            .run(async move {
                let sql = format!(
                    "SELECT count(*) FROM {} WHERE key >= $1 AND ($2::bytea IS NULL OR key < $2)",
                    table(t)
                );
                let stmt = client.prepare_cached(&sql).await?;
                let n: i64 = client.query_one(&stmt, &[&lo, &hi]).await?.get(0);
                Ok(n as usize)
            })
            .map_err(|e: tokio_postgres::Error| self.io(message(&e)))?;
        Cache::fresh(&self.cache).counts.insert((t, p.to_vec()), n);
        Ok(n)
    }

    pub(super) fn next_id(&self) -> Result<u64, StoreError> {
        let client = self.client()?;
        self.run(async move { next_id_on(&client).await })
            .map_err(|e| self.io(message(&e)))
    }

    pub(super) fn raise_ids(&self, floor: u64) -> Result<(), StoreError> {
        let client = self.client()?;
        let floor = floor as i64;
        self.run(async move {
            client
                .execute(
                    "SELECT setval('dwc_ids', GREATEST($1, (SELECT last_value FROM dwc_ids)))",
                    &[&floor],
                )
                .await
        })
        .map(drop)
        .map_err(|e| self.io(message(&e)))
    }

    /// Writes `changes` in one transaction (adopting a shadow, bulk loads), retried like any.
    pub(super) fn write(&self, changes: Changes) -> Result<(), StoreError> {
        let tx = self.begin()?;
        *tx.pending.borrow_mut() = changes;
        let r = self.commit(&tx);
        self.rollback(tx);
        match r {
            Ok(()) => Ok(()),
            Err(Failure::Store(e)) => Err(e),
            Err(Failure::Retry) => {
                Err(self.io("a bulk write met another transaction; nothing was written: try again"))
            }
        }
    }

    /// Starts a SERIALIZABLE transaction on a connection of its own.
    pub(super) fn begin(&self) -> Result<PgTx, StoreError> {
        let client = self.client()?;
        let client = self
            .run(async move {
                client
                    .batch_execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
                    .await
                    .map(|_| client)
            })
            .map_err(|e| self.io(message(&e)))?;
        Ok(PgTx {
            rt: self.rt.as_ref().map(|rt| rt.handle().clone()),
            client: RefCell::new(Some(client)),
            pending: RefCell::new(vec![BTreeMap::new(); T::ALL.len()]),
            notes: RefCell::new(Vec::new()),
        })
    }

    /// Runs `op` on the transaction's connection.
    fn on<R: Send + 'static, F>(
        &self,
        tx: &PgTx,
        op: impl FnOnce(Object) -> F,
    ) -> Result<R, Failure>
    where
        F: Future<Output = (Object, Result<R, tokio_postgres::Error>)> + Send + 'static,
    {
        let client = tx
            .client
            .borrow_mut()
            .take()
            .ok_or_else(|| Failure::Store(self.io("the transaction's connection was lost")))?;
        let (client, r) = self.run(op(client));
        *tx.client.borrow_mut() = Some(client);
        r.map_err(|e| {
            if is_retry(&e) {
                Failure::Retry
            } else {
                Failure::Store(self.io(message(&e)))
            }
        })
    }

    pub(super) fn tx_get(&self, tx: &PgTx, t: T, k: &[u8]) -> Result<Option<IVec>, Failure> {
        if let Some(v) = tx.pending.borrow()[t as usize].get(k) {
            return Ok(v.clone());
        }
        let k = k.to_vec();
        self.on(tx, move |c| async move {
            let r = get_on(&c, t, k).await;
            (c, r)
        })
    }

    /// Locks the row at `k` for this transaction unless another holds it: `false` when it is
    /// gone or another transaction is working on it (`FOR UPDATE SKIP LOCKED`).
    pub(super) fn tx_claim(&self, tx: &PgTx, t: T, k: &[u8]) -> Result<bool, Failure> {
        if let Some(v) = tx.pending.borrow()[t as usize].get(k) {
            return Ok(v.is_some());
        }
        let k = k.to_vec();
        self.on(tx, move |c| async move {
            let sql = format!(
                "SELECT 1 FROM {} WHERE key = $1 FOR UPDATE SKIP LOCKED",
                table(t)
            );
            let r = async {
                let stmt = c.prepare_cached(&sql).await?;
                Ok(c.query_opt(&stmt, &[&k]).await?.is_some())
            }
            .await;
            (c, r)
        })
    }

    pub(super) fn tx_next_id(&self, tx: &PgTx) -> Result<u64, Failure> {
        self.on(tx, |c| async move {
            let r = next_id_on(&c).await;
            (c, r)
        })
    }

    /// Writes what the transaction holds, announces it, and commits.
    pub(super) fn commit(&self, tx: &PgTx) -> Result<(), Failure> {
        // Whatever comes of it, what was read before may be stale now.
        let _clear = ClearOnDrop(&self.cache);
        let pending = std::mem::take(&mut *tx.pending.borrow_mut());
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        for (i, changes) in pending.into_iter().enumerate() {
            let t = T::ALL[i];
            let (mut keys, mut vs, mut values, mut gone) = (vec![], vec![], vec![], vec![]);
            for (k, v) in changes {
                match v {
                    Some(v) => {
                        let (ver, json) = columns(t, &k, &v).map_err(Failure::Store)?;
                        keys.push(k);
                        vs.push(ver);
                        values.push(json);
                    }
                    None => gone.push(k),
                }
            }
            if !keys.is_empty() {
                upserts.push((t, keys, vs, values));
            }
            if !gone.is_empty() {
                deletes.push((t, gone));
            }
        }
        let notes = std::mem::take(&mut *tx.notes.borrow_mut());
        self.on(tx, move |c| async move {
            let r = async {
                for (t, keys, vs, values) in &upserts {
                    let sql = format!(
                        "INSERT INTO {} (key, v, value) SELECT k, v, j::jsonb FROM unnest($1::bytea[], $2::int2[], $3::text[]) AS u(k, v, j) \
                         ON CONFLICT (key) DO UPDATE SET v = EXCLUDED.v, value = EXCLUDED.value",
                        table(*t)
                    );
                    let stmt = c.prepare_cached(&sql).await?;
                    c.execute(&stmt, &[keys, vs, values]).await?;
                }
                for (t, gone) in &deletes {
                    let sql = format!("DELETE FROM {} WHERE key = ANY($1::bytea[])", table(*t));
                    let stmt = c.prepare_cached(&sql).await?;
                    c.execute(&stmt, &[gone]).await?;
                }
                for note in &notes {
                    c.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, note]).await?;
                }
                c.batch_execute("COMMIT").await
            }
            .await;
            (c, r)
        })?;
        // Committed: the connection goes back to the pool with nothing open.
        drop(tx.client.borrow_mut().take());
        Ok(())
    }

    /// Ends a transaction that is not to commit.
    pub(super) fn rollback(&self, tx: PgTx) {
        if let Some(c) = tx.client.borrow_mut().take() {
            // A failed rollback leaves a connection the pool's recycling check throws away.
            let _ = self.run(async move { c.batch_execute("ROLLBACK").await });
        }
    }

    /// How long to wait before attempt `n` (from 1): doubling from 2 ms to at most 200 ms, with
    /// jitter so two retrying transactions do not meet again.
    pub(super) fn backoff(n: u32) -> Option<Duration> {
        if n >= ATTEMPTS {
            return None;
        }
        let base = 2u64 << n.min(7);
        let jitter = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| u64::from(d.subsec_nanos()) % base.max(1))
            .unwrap_or(0);
        Some(Duration::from_millis(base.min(200) + jitter / 2))
    }

    pub(super) fn gave_up(&self) -> StoreError {
        self.io(format!(
            "the change met other transactions {ATTEMPTS} times and was not made: try again"
        ))
    }

    /// Listens for changes other processes commit, calling `each` with every payload, on a
    /// connection of its own (re-made if it drops) for as long as this store lives.
    pub(super) fn listen(&self, each: Box<dyn Fn(String) + Send + Sync>) {
        let config = self.config.clone();
        let cache = self.cache.clone();
        let rt = self
            .rt
            .as_ref()
            .expect("the runtime lives as long as the store");
        rt.spawn(async move {
            loop {
                if let Ok((client, mut conn)) = config.connect(tls()).await {
                    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
                    let driver = tokio::spawn(async move {
                        let mut messages =
                            futures_util::stream::poll_fn(move |cx| conn.poll_message(cx));
                        use futures_util::StreamExt;
                        while let Some(Ok(m)) = messages.next().await {
                            if let tokio_postgres::AsyncMessage::Notification(n) = m {
                                let _ = tx.send(n.payload().to_owned());
                            }
                        }
                    });
                    if client
                        .batch_execute(&format!("LISTEN {CHANNEL}"))
                        .await
                        .is_ok()
                    {
                        while let Some(payload) = rx.recv().await {
                            Cache::clear(&cache);
                            each(payload);
                        }
                    }
                    driver.abort();
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        });
    }
}

struct ClearOnDrop<'a>(&'a std::sync::Mutex<Cache>);

impl Drop for ClearOnDrop<'_> {
    fn drop(&mut self) {
        Cache::clear(self.0);
    }
}

/// The entries of `t` from `lo` up to (not including) `hi`, in key order or reversed, at most
/// `limit` of them; with `fields`, each record over those alone (see [`projected`]).
async fn range_on(
    c: &Object,
    t: T,
    lo: &Vec<u8>,
    hi: &Option<Vec<u8>>,
    rev: bool,
    limit: Option<i64>,
    fields: &[&str],
) -> Result<Vec<Kv>, tokio_postgres::Error> {
    let order = if rev { "DESC" } else { "ASC" };
    let upper = if hi.is_some() {
        "AND key < $2"
    } else {
        "AND $2::bytea IS NULL"
    };
    let sql = format!(
        "SELECT key, v, {} FROM {} WHERE key >= $1 {upper} ORDER BY key {order} LIMIT $3",
        selected(fields),
        table(t)
    );
    let stmt = c.prepare_cached(&sql).await?;
    let rows = c.query(&stmt, &[lo, hi, &limit]).await?;
    Ok(rows.iter().map(|r| entry(r, fields)).collect())
}

async fn get_on(c: &Object, t: T, k: Vec<u8>) -> Result<Option<IVec>, tokio_postgres::Error> {
    let sql = format!("SELECT v, value FROM {} WHERE key = $1", table(t));
    let stmt = c.prepare_cached(&sql).await?;
    Ok(c.query_opt(&stmt, &[&k])
        .await?
        .map(|r| value(r.get(0), r.get(1))))
}

async fn next_id_on(c: &Object) -> Result<u64, tokio_postgres::Error> {
    let stmt = c.prepare_cached("SELECT nextval('dwc_ids')").await?;
    let id: i64 = c.query_one(&stmt, &[]).await?.get(0);
    Ok(id as u64)
}

/// A transaction in progress: its connection, the writes it will make, the changes it will
/// announce.
pub(super) struct PgTx {
    rt: Option<tokio::runtime::Handle>,
    client: RefCell<Option<Object>>,
    pub(super) pending: RefCell<Changes>,
    pub(super) notes: RefCell<Vec<String>>,
}

impl Drop for PgTx {
    /// A transaction left neither committed nor rolled back (its caller panicked) must not
    /// go back to the pool open: it is rolled back first, on the store's runtime.
    fn drop(&mut self) {
        if let (Some(c), Some(rt)) = (self.client.get_mut().take(), &self.rt) {
            rt.spawn(async move {
                let _ = c.batch_execute("ROLLBACK").await;
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_its_password() {
        assert_eq!(
            shown("postgres://dwc:s3cret@db.example:5432/tenant?sslmode=disable"),
            "postgres://dwc:***@db.example:5432/tenant?sslmode=disable"
        );
        assert_eq!(shown("postgres://dwc@h/db"), "postgres://dwc@h/db");
        assert_eq!(shown("postgresql://h/db"), "postgresql://h/db");
        // An @ in the password stays hidden.
        assert_eq!(shown("postgres://u:p@ss@h/db"), "postgres://u:***@h/db");
    }

    #[test]
    fn prefix_bounds() {
        assert_eq!(successor(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(successor(b"a\xff"), Some(b"b".to_vec()));
        assert_eq!(successor(b"\xff\xff"), None);
        assert_eq!(successor(b""), None);
    }

    #[test]
    fn pgpass_lines() {
        assert_eq!(
            split_pgpass(r"h:5432:db:u:pa\:ss"),
            vec!["h", "5432", "db", "u", "pa:ss"]
        );
    }
}
