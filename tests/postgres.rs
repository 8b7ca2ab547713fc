//! The store on PostgreSQL (DESIGN §13) against a real server this binary starts from the
//! installed binaries in a temp directory on loopback: the store's API reads and writes alike
//! on both backends; SERIALIZABLE transactions that meet are retried until each counts; a
//! newer store is refused; `dwc store copy` moves a store sled → PostgreSQL → sled with an
//! identical export; and an immediate stop of the database mid-write loses no acknowledged
//! change and leaves nothing half-done. Without PostgreSQL (outside CI) each test says so and
//! skips.

#[path = "common/cli.rs"]
mod cli;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cli::servers::Postgres;
use dwc::store::{Store, T, TxError, abort, key, prefix};

fn shared() -> Option<&'static Postgres> {
    Postgres::shared()
}

/// Everything a store's readers see of one tree.
fn view(s: &Store, t: T) -> Vec<String> {
    let mut out = Vec::new();
    out.push(format!("keys {:?}", s.keys(t, b"").unwrap()));
    for p in [&b"a"[..], b"b", b"ab", b"b\0", b"z"] {
        out.push(format!(
            "scan {p:?} {:?}",
            s.scan::<serde_json::Value>(t, p).unwrap()
        ));
        out.push(format!("count {p:?} {}", s.count(t, p).unwrap()));
        out.push(format!(
            "before {p:?} {:?}",
            s.keys_before(t, p, 3).unwrap()
        ));
    }
    out.push(format!(
        "last {:?}",
        s.last::<serde_json::Value>(t, 4).unwrap()
    ));
    out.push(format!("first {:?}", s.first_key(t).unwrap()));
    // A walk from any key sees what a scan of the whole tree sees from there on.
    let all = s.keys(t, b"").unwrap();
    for from in [&b""[..], b"ab", b"b\0", b"zzz"] {
        let walked: Vec<Vec<u8>> = s.walk(t, from).map(|r| r.unwrap().0.to_vec()).collect();
        let expected: Vec<Vec<u8>> = all
            .iter()
            .filter(|k| k.as_slice() >= from)
            .cloned()
            .collect();
        assert_eq!(walked, expected, "walk of {} from {from:?}", t.name());
        out.push(format!("walk {from:?} {}", walked.len()));
    }
    out
}

/// Walks side by side over some fields of one tree and the whole of another: a record gives
/// at least the fields asked for (a database sends only those), one that lacks a field gives
/// none, and an index entry still has no value.
fn walked_over_fields(s: &Store) -> Vec<String> {
    #[derive(serde::Deserialize, Debug)]
    struct OnlyV {
        v: Option<u64>,
    }
    s.transact::<_, ()>(|tx| tx.put(T::Users, b"e", &serde_json::json!({"name": "e"})))
        .unwrap();
    let strands: [(T, &[&str]); 2] = [(T::Users, &["v"]), (T::WsByRegion, &[])];
    let mut walks = s.walks(&strands, b"b").into_iter();
    let users: Vec<String> = walks
        .next()
        .unwrap()
        .map(|r| {
            let (k, v) = r.unwrap();
            let only: OnlyV = dwc::store::decode("users", &k, &v).unwrap();
            format!("{:?}={:?}", String::from_utf8_lossy(&k), only.v)
        })
        .collect();
    let index: Vec<(Vec<u8>, usize)> = walks
        .next()
        .unwrap()
        .map(|r| r.map(|(k, v)| (k.to_vec(), v.len())).unwrap())
        .collect();
    // Past a database's first page, the rest streamed: every record, in order, each with v.
    s.bulk(
        T::Roles,
        (0u64..2_500).map(|i| {
            let record = serde_json::json!({"v": i, "name": format!("r{i}")});
            (format!("r{i:05}").into_bytes(), dwc::store::encode(&record))
        }),
    )
    .unwrap();
    let many: Vec<u64> = s
        .walk_fields(T::Roles, b"r00007", &["v"])
        .map(|r| {
            let (k, v) = r.unwrap();
            dwc::store::decode::<OnlyV>("roles", &k, &v)
                .unwrap()
                .v
                .unwrap()
        })
        .collect();
    assert_eq!(many, (7..2_500).collect::<Vec<_>>());
    vec![format!("fields {users:?}"), format!("beside {index:?}")]
}

/// The same writes, through transactions, a shadow and a bulk load; what each reader returns.
fn exercise(s: &Store) -> Vec<String> {
    let mut seen = Vec::new();
    s.transact::<_, ()>(|tx| {
        for (k, v) in [("a", 1), ("ab", 2), ("b", 3), ("b\0x", 4), ("c", 5)] {
            // Keys may hold NUL (composite keys); JSON text never does.
            let name = k.replace('\0', "/");
            tx.put(
                T::Users,
                k.as_bytes(),
                &serde_json::json!({"v": v, "name": name}),
            )?;
        }
        tx.mark(T::WsByRegion, &key(&["cn", "w1"]))?;
        tx.mark(T::WsByRegion, &key(&["cn", "w2"]))?;
        Ok(())
    })
    .unwrap();
    // Reads inside a transaction see its own writes; an abort leaves nothing.
    let r: Result<(), TxError<String>> = s.transact(|tx| {
        tx.put(T::Users, b"zz", &1u8)?;
        assert_eq!(tx.get::<u8, String>(T::Users, b"zz")?, Some(1));
        tx.del(T::Users, b"a")?;
        assert!(!tx.has::<String>(T::Users, b"a")?);
        abort("no".to_owned())
    });
    assert!(matches!(r, Err(TxError::Abort(m)) if m == "no"));
    assert!(s.has(T::Users, b"a").unwrap() && !s.has(T::Users, b"zz").unwrap());
    seen.extend(view(s, T::Users));
    seen.push(format!(
        "index {:?}",
        s.keys(T::WsByRegion, &prefix("cn")).unwrap()
    ));
    // Ids are unique and increase, inside transactions and out.
    let a = s.transact::<_, ()>(|tx| tx.next_id()).unwrap();
    let b = s.transact::<_, ()>(|tx| tx.next_id()).unwrap();
    assert!(b > a);
    // A shadow reads the store with its own writes laid over, and is adopted whole.
    let shadow = s.shadow().unwrap();
    shadow
        .transact::<_, ()>(|tx| {
            tx.del(T::Users, b"ab")?;
            tx.put(T::Users, b"d", &serde_json::json!({"v": 6}))
        })
        .unwrap();
    seen.push(format!("shadow {:?}", view(&shadow, T::Users)));
    assert!(s.has(T::Users, b"ab").unwrap(), "a shadow is private");
    seen.push(format!("adopted {}", s.adopt(&shadow).unwrap()));
    // The same records written again are no change (whatever JSON spacing the backend keeps).
    let again = s.shadow().unwrap();
    again
        .transact::<_, ()>(|tx| tx.put(T::Users, b"b", &serde_json::json!({"name": "b", "v": 3})))
        .unwrap();
    seen.push(format!("unchanged {}", s.adopt(&again).unwrap()));
    seen.extend(walked_over_fields(s));
    s.bulk(
        T::Audit,
        (0u64..7).map(|i| (i.to_be_bytes().to_vec(), dwc::store::encode(&i))),
    )
    .unwrap();
    seen.extend(view(s, T::Users));
    seen.push(format!("audit {:?}", s.last::<u64>(T::Audit, 3).unwrap()));
    // More than a database's page of a walk, and a shadow's writes laid over it.
    s.bulk(
        T::Members,
        (0u32..4_500).map(|i| (format!("m{i:05}").into_bytes(), dwc::store::encode(&i))),
    )
    .unwrap();
    seen.extend(view(s, T::Members));
    let over = s.shadow().unwrap();
    over.transact::<_, ()>(|tx| {
        tx.del(T::Members, b"m02000")?;
        tx.put(T::Members, b"m02000x", &1u8)
    })
    .unwrap();
    seen.extend(view(&over, T::Members));
    seen
}

#[test]
fn the_store_reads_and_writes_alike_on_both_backends() {
    let Some(pg) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let on_sled = exercise(&Store::open(&dir.path().join("s"), true).unwrap());
    let url = pg.new_database();
    let on_pg = exercise(&Store::open(Path::new(&url), true).unwrap());
    assert_eq!(on_sled, on_pg);
    // One table per tree, made by dwc: the record as jsonb, its schema byte beside it.
    let db = url.rsplit('/').next().unwrap();
    let tables = pg.psql(
        db,
        "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'dwc\\_%'",
    );
    assert_eq!(tables, T::ALL.len().to_string());
    assert_eq!(
        pg.psql(
            db,
            "SELECT v, value->>'name' FROM dwc_users WHERE key = 'b'::bytea"
        ),
        "1|b"
    );
    assert_eq!(
        pg.psql(db, "SELECT data_type FROM information_schema.columns WHERE table_name = 'dwc_users' AND column_name = 'value'"),
        "jsonb"
    );
}

#[test]
fn transactions_that_meet_are_retried_until_each_counts() {
    let Some(pg) = shared() else { return };
    let url = pg.new_database();
    let store = std::sync::Arc::new(Store::open(Path::new(&url), true).unwrap());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let s = store.clone();
            std::thread::spawn(move || {
                for _ in 0..25 {
                    // Read, then write what was read plus one: two at once conflict.
                    s.transact::<_, ()>(|tx| {
                        let n = tx.get::<u64, ()>(T::Meta, b"counter")?.unwrap_or(0);
                        tx.put(T::Meta, b"counter", &(n + 1))
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(store.get::<u64>(T::Meta, b"counter").unwrap(), Some(100));
}

#[test]
fn a_store_written_by_a_newer_dwc_is_refused_and_an_empty_database_is_no_store() {
    let Some(pg) = shared() else { return };
    let url = pg.new_database();
    let e = Store::open(Path::new(&url), false)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("no dwc store in postgres://dwc:***@"), "{e}");
    assert!(!e.contains(cli::servers::PASSWORD), "{e}");
    drop(Store::open(Path::new(&url), true).unwrap());
    let db = url.rsplit('/').next().unwrap();
    pg.psql(
        db,
        "UPDATE dwc_meta SET value = '7' WHERE key = 'store_version'::bytea",
    );
    let e = Store::open(Path::new(&url), false)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("newer dwc (store version 7"), "{e}");
    // A wrong password says so without showing it.
    let wrong = url.replace(cli::servers::PASSWORD, "not-the-password");
    let e = Store::open(Path::new(&wrong), false)
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("password authentication failed") && !e.contains("not-the-password"),
        "{e}"
    );
}

fn dwc_at(store: &str, state: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dwc"));
    c.arg("--store")
        .arg(store)
        .env("DWC_STATE_DIR", state)
        .env("DWC_JOB_SECONDS", "0")
        .env_remove("DWC_STORE")
        .env_remove("DWC_USER")
        .env_remove("DWC_PASSWORD");
    c
}

fn stdout_of(mut c: Command) -> String {
    let o = c.output().unwrap();
    assert!(
        o.status.success(),
        "{c:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn store_copy_goes_sled_to_postgres_to_sled_with_an_identical_export() {
    let Some(pg) = shared() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (first, back) = (tmp.path().join("first"), tmp.path().join("back"));
    let state = tmp.path().join("state");
    let url = pg.new_database();
    let first_s = first.display().to_string();
    let back_s = back.display().to_string();
    stdout_of({
        let mut c = dwc_at(&first_s, &state);
        c.arg("demo");
        c
    });
    // A change after the demo, so ids and the audit log have moved on.
    stdout_of({
        let mut c = dwc_at(&first_s, &state);
        c.args([
            "member",
            "add",
            "finance_etl",
            "frank",
            "--role",
            "Development",
        ]);
        c
    });
    let copy = |from: &str, to: &str| {
        let mut c = dwc_at(from, &state);
        c.args(["store", "copy", "--from", from, "--to", to]);
        c.output().unwrap()
    };
    let o = copy(&first_s, &url);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains("every tree's count and checksum agree")
            && out.contains(&state.join("secret.key").display().to_string())
            && !out.contains(cli::servers::PASSWORD),
        "{out}"
    );
    let o = copy(&url, &back_s);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let export = |store: &str| {
        let mut c = dwc_at(store, &state);
        c.arg("export");
        stdout_of(c)
    };
    let original = export(&first_s);
    assert_eq!(original, export(&url), "sled → PostgreSQL");
    assert_eq!(original, export(&back_s), "→ sled again");
    // The copies keep working: secrets open (the key went along), new audit ids do not collide.
    for store in [&url, &back_s] {
        stdout_of({
            let mut c = dwc_at(store, &state);
            c.args(["member", "add", "finance_etl", "heidi", "--role", "Visitor"]);
            c
        });
        let audit = stdout_of({
            let mut c = dwc_at(store, &state);
            c.args(["-o", "json", "audit", "list"]);
            c
        });
        let events: serde_json::Value = serde_json::from_str(&audit).unwrap();
        let adds = events
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["name"] == "dataworks:CreateProjectMember")
            .count();
        assert_eq!(adds, 2, "frank's and heidi's: {audit}");
    }
    assert_eq!(
        std::fs::read(back.join("secret.key")).unwrap(),
        std::fs::read(first.join("secret.key")).unwrap()
    );
    // A destination that holds a store is refused, and left as it was.
    let o = copy(&first_s, &url);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("already holds a store"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A copy that stopped half way (its mark still there) leaves a store that will not open.
    let db = url.rsplit('/').next().unwrap();
    pg.psql(
        db,
        "INSERT INTO dwc_meta (key, v, value) VALUES ('copy_unfinished'::bytea, 1, 'true')",
    );
    let o = dwc_at(&url, &state)
        .args(["workspace", "list"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(6));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("is an unfinished copy"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn an_immediate_stop_of_the_database_mid_write_loses_no_acknowledged_change() {
    let Some(mut pg) = Postgres::start(true) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let url = pg.new_database();
    stdout_of({
        let mut c = dwc_at(&url, &state);
        c.arg("demo");
        c
    });
    let acked = tmp.path().join("acked.txt");
    std::fs::write(&acked, "").unwrap();
    let script = "i=0; while [ $i -lt 400 ]; do \"$DWC\" --store \"$STORE\" workspace create pg_$i >/dev/null 2>&1 && echo $i >> \"$ACKED\"; i=$((i+1)); done";
    let mut writer = Command::new("sh")
        .args(["-c", script])
        .env("DWC", env!("CARGO_BIN_EXE_dwc"))
        .env("STORE", &url)
        .env("DWC_STATE_DIR", &state)
        .env("ACKED", &acked)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Let some changes be acknowledged, then stop the database as a crash would.
    let start = Instant::now();
    while std::fs::read_to_string(&acked).unwrap().lines().count() < 5 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no change was made"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(150));
    pg.crash();
    std::thread::sleep(Duration::from_millis(300));
    pg.restart();
    // The writer goes on against the restarted server; then stops.
    std::thread::sleep(Duration::from_millis(500));
    let _ = writer.kill();
    let _ = writer.wait();
    let acknowledged: Vec<String> = std::fs::read_to_string(&acked)
        .unwrap()
        .lines()
        .map(|l| format!("pg_{}", l.trim()))
        .collect();
    let list = stdout_of({
        let mut c = dwc_at(&url, &state);
        c.args(["-o", "json", "workspace", "list"]);
        c
    });
    let listed: Vec<String> = serde_json::from_str::<serde_json::Value>(&list)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["name"].as_str().map(str::to_owned))
        .filter(|n| n.starts_with("pg_"))
        .collect();
    for name in &acknowledged {
        assert!(listed.contains(name), "acknowledged {name} is missing");
    }
    // Nothing half-done: each workspace there has its audit record, exactly one.
    let audit = stdout_of({
        let mut c = dwc_at(&url, &state);
        c.args(["-o", "json", "audit", "list", "--limit", "1000"]);
        c
    });
    let events: serde_json::Value = serde_json::from_str(&audit).unwrap();
    for name in &listed {
        let n = events
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                e["name"] == "dataworks:CreateProject"
                    && e["target"].as_str() == Some(&format!("workspace {name}"))
                    && e["outcome"] == "ok"
            })
            .count();
        assert_eq!(n, 1, "{name} has {n} audit records");
        stdout_of({
            let mut c = dwc_at(&url, &state);
            c.args(["workspace", "show", name]);
            c
        });
    }
    eprintln!(
        "{} acknowledged, {} there after the database's immediate stop",
        acknowledged.len(),
        listed.len()
    );
}

#[test]
fn sslmode_require_encrypts_the_connection_and_refuses_a_server_without_tls() {
    let Some(pg) = Postgres::start_tls() else {
        return;
    };
    let url = format!("{}?sslmode=require", pg.new_database());
    let store = Store::open(Path::new(&url), true).unwrap();
    store
        .transact::<_, ()>(|tx| tx.put(T::Users, b"alice", &1u8))
        .unwrap();
    let encrypted = pg.psql(
        "postgres",
        "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
         WHERE s.ssl AND a.application_name = 'dwc'",
    );
    assert_ne!(encrypted, "0", "dwc's connections use TLS");
    drop(store);
    // A server without TLS: required, so refused.
    let Some(plain) = shared() else { return };
    let url = format!("{}?sslmode=require", plain.new_database());
    let e = Store::open(Path::new(&url), true)
        .err()
        .unwrap()
        .to_string();
    assert!(e.to_lowercase().contains("tls") || e.contains("SSL"), "{e}");
}

#[test]
fn a_server_config_names_the_database_to_serve() {
    let Some(pg) = shared() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let url = pg.new_database();
    stdout_of({
        let mut c = dwc_at(&url, &state);
        c.arg("demo");
        c
    });
    let config = tmp.path().join("serve.toml");
    std::fs::write(
        &config,
        format!("listen = \"127.0.0.1:0\"\n\n[store]\nurl = \"{url}\"\n"),
    )
    .unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_dwc"))
        .args(["serve", "--config"])
        .arg(&config)
        .env_remove("DWC_STORE")
        .env("DWC_STATE_DIR", &state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    use std::io::BufRead;
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        first.starts_with("dwc serve: acme on 127.0.0.1:"),
        "{first}"
    );
}
