//! `dwc ds test` for real: PostgreSQL and MariaDB servers started by the test, a refused port, a
//! port that accepts and never answers, an unresolvable host, and resource groups that cannot
//! run tests. Each of Connectable, ConfigError, Unreachable and Unsupport is reached.

#[path = "common/cli.rs"]
mod cli;
#[path = "common/servers.rs"]
mod servers;

use cli::Dwc;
use serde_json::Value;

/// A store with workspace `fin` and resource group `rg_a` (Normal, attached).
fn store() -> Dwc {
    let d = Dwc::init("enterprise");
    d.ok(&["workspace", "create", "fin"]);
    d.ok(&["rg", "create", "rg_a", "--spec", "4"]);
    d.ok(&["rg", "attach", "rg_a", "fin"]);
    d
}

fn add_source(d: &Dwc, name: &str, kind: &str, port: u16, database: &str, user: &str, pw: &str) {
    let o = d
        .cmd()
        .env("DWC_PASSWORD", cli::ACCOUNT_PW)
        .args([
            "ds",
            "create",
            "fin",
            name,
            "--type",
            kind,
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--database",
            database,
            "--username",
            user,
            "--password-stdin",
        ])
        .write_stdin(format!("{pw}\n"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Runs the test; returns (exit code, the result object, stderr).
fn test(d: &Dwc, name: &str, group: &str) -> (i32, Value, String) {
    let o = d.run(&[
        "-o",
        "json",
        "ds",
        "test",
        "fin",
        name,
        "--resource-group",
        group,
    ]);
    let v: Value = serde_json::from_str(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: stdout {:?} stderr {:?}", o.stdout, o.stderr));
    (o.code, v, o.stderr)
}

fn steps(v: &Value) -> String {
    v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn postgresql_connectable_and_config_errors() {
    let Some(pg) = servers::postgres() else {
        return;
    };
    let d = store();
    add_source(
        &d,
        "pg_ok",
        "postgresql",
        pg.port,
        "postgres",
        servers::USER,
        servers::PASSWORD,
    );
    add_source(
        &d,
        "pg_pw",
        "postgresql",
        pg.port,
        "postgres",
        servers::USER,
        "wrong-password",
    );
    add_source(
        &d,
        "pg_db",
        "postgresql",
        pg.port,
        "no_such_db",
        servers::USER,
        servers::PASSWORD,
    );

    let (code, v, _) = test(&d, "pg_ok", "rg_a");
    assert_eq!(
        (code, v["result"].as_str()),
        (0, Some("Connectable")),
        "{}",
        steps(&v)
    );
    assert!(steps(&v).contains("SELECT 1 answered"), "{}", steps(&v));

    let (code, v, err) = test(&d, "pg_pw", "rg_a");
    assert_eq!(
        (code, v["result"].as_str()),
        (5, Some("ConfigError")),
        "{}",
        steps(&v)
    );
    assert!(
        steps(&v).contains("password authentication failed"),
        "{}",
        steps(&v)
    );
    assert!(
        err.contains("data source pg_pw is ConfigError from rg_a"),
        "{err}"
    );

    let (_, v, _) = test(&d, "pg_db", "rg_a");
    assert_eq!(v["result"], "ConfigError");
    assert!(steps(&v).contains("no_such_db"), "{}", steps(&v));

    // Results are stored per resource group; the secret is never printed.
    let shown = d.ok(&["-o", "json", "ds", "show", "fin", "pg_ok"]);
    assert_eq!(shown.json()["tests"][0], "rg_a: Connectable");
    assert!(!shown.stdout.contains(servers::PASSWORD));
}

#[test]
fn mysql_connectable_and_config_error() {
    let Some(my) = servers::mariadb() else { return };
    let d = store();
    add_source(
        &d,
        "my_ok",
        "mysql",
        my.port,
        "orders",
        servers::USER,
        servers::PASSWORD,
    );
    add_source(
        &d,
        "my_pw",
        "mysql",
        my.port,
        "orders",
        servers::USER,
        "wrong-password",
    );
    add_source(
        &d,
        "my_db",
        "mysql",
        my.port,
        "no_such_db",
        servers::USER,
        servers::PASSWORD,
    );

    let (code, v, _) = test(&d, "my_ok", "rg_a");
    assert_eq!(
        (code, v["result"].as_str()),
        (0, Some("Connectable")),
        "{}",
        steps(&v)
    );
    let (_, v, _) = test(&d, "my_pw", "rg_a");
    assert_eq!(v["result"], "ConfigError", "{}", steps(&v));
    assert!(steps(&v).contains("Access denied"), "{}", steps(&v));
    let (_, v, _) = test(&d, "my_db", "rg_a");
    assert_eq!(v["result"], "ConfigError", "{}", steps(&v));
}

#[test]
fn unreachable_hosts_and_ports() {
    let d = store();
    // Refused: a port nobody listens on.
    let refused = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    add_source(&d, "refused", "mysql", refused, "orders", "u", "p");
    let (code, v, _) = test(&d, "refused", "rg_a");
    assert_eq!(
        (code, v["result"].as_str()),
        (5, Some("Unreachable")),
        "{}",
        steps(&v)
    );
    assert!(steps(&v).contains("refused"), "{}", steps(&v));
    // The audit log says what the test found, not merely that it ran.
    let audit = d.ok(&["audit", "list", "-o", "json"]).json();
    let ev = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "dataworks:TestDataSourceConnectivity")
        .expect("the test is audited");
    assert_eq!(ev["outcome"], "failed", "{ev}");
    assert!(
        ev["detail"]
            .as_str()
            .unwrap()
            .starts_with("Unreachable from rg_a"),
        "{ev}"
    );

    // Silent: a port that accepts and never answers times out instead of hanging.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    add_source(&d, "silent", "postgresql", port, "db", "u", "p");
    let (_, v, _) = test(&d, "silent", "rg_a");
    assert_eq!(v["result"], "Unreachable", "{}", steps(&v));
    assert!(
        steps(&v).contains("no answer to the handshake"),
        "{}",
        steps(&v)
    );

    // Unresolvable: the .invalid top-level domain never resolves.
    let o = d
        .cmd()
        .env("DWC_PASSWORD", cli::ACCOUNT_PW)
        .args([
            "ds",
            "create",
            "fin",
            "nowhere",
            "--type",
            "clickhouse",
            "--host",
            "db.no-such-host.invalid",
            "--port",
            "8123",
            "--database",
            "x",
            "--username",
            "u",
            "--password-stdin",
        ])
        .write_stdin("p\n")
        .output()
        .unwrap();
    assert!(o.status.success());
    let (_, v, _) = test(&d, "nowhere", "rg_a");
    assert_eq!(v["result"], "Unreachable", "{}", steps(&v));
    assert!(
        steps(&v).starts_with("resolve db.no-such-host.invalid"),
        "{}",
        steps(&v)
    );
}

#[test]
fn groups_that_cannot_test_are_unsupport() {
    let d = store();
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    add_source(&d, "ch", "clickhouse", port, "x", "u", "p");
    // Any type with a host and port gets the TCP steps.
    let (code, v, _) = test(&d, "ch", "rg_a");
    assert_eq!(
        (code, v["result"].as_str()),
        (0, Some("Connectable")),
        "{}",
        steps(&v)
    );
    assert!(steps(&v).contains("no protocol check"), "{}", steps(&v));

    d.ok(&["rg", "create", "rg_b", "--spec", "4"]);
    let (code, v, _) = test(&d, "ch", "rg_b");
    assert_eq!((code, v["result"].as_str()), (5, Some("Unsupport")));
    assert!(steps(&v).contains("not attached to fin"), "{}", steps(&v));

    let o = d
        .cmd()
        .env("DWC_PASSWORD", cli::ACCOUNT_PW)
        .env("DWC_JOB_SECONDS", "600")
        .args(["rg", "create", "rg_c", "--spec", "4"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let (_, v, _) = test(&d, "ch", "rg_c");
    assert_eq!(v["result"], "Unsupport");
    assert!(steps(&v).contains("rg_c is Creating"), "{}", steps(&v));

    let missing = d.run(&["ds", "test", "fin", "ch", "--resource-group", "rg_zz"]);
    assert_eq!(missing.code, 4, "{}", missing.stderr);
    let bad = d.run(&["ds", "test", "fin", "ch", "--resource-group", "bad name"]);
    assert_eq!(bad.code, 5, "{}", bad.stderr);
}
