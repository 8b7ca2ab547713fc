//! The console through the real binary: the rules of seeds 001–004 and DESIGN §4–§5, exit codes
//! and output formats of §9.

#[path = "common/cli.rs"]
mod cli;

use cli::Dwc;

fn policy_file(d: &Dwc, name: &str, doc: &str) -> String {
    let p = d.dir.path().join(format!("{name}.json"));
    std::fs::write(&p, doc).unwrap();
    p.display().to_string()
}

#[test]
fn getting_started_flow_of_seed_000() {
    let d = Dwc::init("enterprise");
    d.ok(&[
        "workspace",
        "create",
        "finance_etl",
        "--display-name",
        "Finance ETL",
    ]);
    d.ok(&[
        "rg",
        "create",
        "rg_etl",
        "--spec",
        "8",
        "--payment",
        "prepaid",
        "--months",
        "3",
    ]);
    d.ok(&["rg", "attach", "rg_etl", "finance_etl"]);
    d.user("alice");
    d.ok(&[
        "member",
        "add",
        "finance_etl",
        "alice",
        "--role",
        "development",
    ]);
    d.ok(&[
        "compute",
        "attach",
        "finance_etl",
        "--type",
        "maxcompute",
        "--name",
        "mc_fin",
        "--instance",
        "fin_project",
    ]);
    let o = d
        .cmd()
        .env("DWC_PASSWORD", cli::ACCOUNT_PW)
        .args([
            "ds",
            "create",
            "finance_etl",
            "orders",
            "--type",
            "mysql",
            "--host",
            "db.internal",
            "--port",
            "3306",
            "--database",
            "orders",
            "--username",
            "etl",
            "--password-stdin",
        ])
        .write_stdin("s3cret-value\n")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let ws = d
        .ok(&["-o", "json", "workspace", "show", "finance_etl"])
        .json();
    assert_eq!(ws["name"], "finance_etl");
    assert_eq!(
        ws["mode"], "Standard",
        "Standard is the recommended default"
    );
    assert_eq!(ws["members"], 2);
    assert_eq!(
        d.ok(&["-o", "json", "rg", "show", "rg_etl"]).json()["attached"][0],
        "finance_etl"
    );
    assert_eq!(
        d.ok(&["-o", "json", "member", "list", "finance_etl"])
            .names(),
        ["acme", "alice"]
    );
    assert_eq!(
        d.ok(&["-o", "json", "ds", "list", "finance_etl"]).names(),
        ["mc_fin", "orders"],
        "binding compute created its data source"
    );
    let shown = d
        .ok(&["-o", "json", "ds", "show", "finance_etl", "orders"])
        .stdout;
    assert!(
        shown.contains("password=••••••") && !shown.contains("s3cret"),
        "{shown}"
    );
    // Nothing the store holds has the secret in clear.
    let stored = d.stored_bytes();
    assert!(
        !stored.windows(12).any(|w| w == b"s3cret-value"),
        "the store holds the secret"
    );
    // Alice sees exactly her workspace.
    assert_eq!(
        d.as_user("alice", &["-o", "json", "workspace", "list"])
            .names(),
        ["finance_etl"]
    );
}

#[test]
fn exit_codes_and_json_errors() {
    let d = Dwc::init("basic");
    assert_eq!(d.run(&["workspace"]).code, 2, "usage");
    let o = d.run(&["-o", "json", "workspace", "create", "1bad"]);
    assert_eq!(o.code, 5);
    let e = o.err_json();
    assert_eq!(e["error"], "Invalid");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("name: must start with a letter"),
        "{e}"
    );
    assert_eq!(d.run(&["workspace", "show", "nope"]).code, 4);
    d.user("bob");
    let o = d.as_user("bob", &["-o", "json", "workspace", "create", "bobs_ws"]);
    assert_eq!(o.code, 3);
    let e = o.err_json();
    assert_eq!(e["error"], "Denied");
    assert_eq!(
        e["explanation"][0],
        "implicit deny: bob has no policy that allows dataworks:CreateProject"
    );
    assert_eq!(
        d.ok(&["-o", "json", "workspace", "list"]).stdout.trim(),
        "[]"
    );
}

#[test]
fn log_on_failures_are_refused_and_audited() {
    let d = Dwc::init("basic");
    d.user("carol");
    let o = d.run_as(Some("carol"), "wrong-password", &["workspace", "list"]);
    assert_eq!(o.code, 3);
    assert!(o.stderr.contains("log-on failed"));
    assert_eq!(
        d.run_as(Some("nobody"), "whatever-1", &["workspace", "list"])
            .code,
        3
    );
    assert_eq!(
        d.run_as(None, "", &["workspace", "list"]).code,
        3,
        "no password on a password store"
    );
    let log = d.ok(&["-o", "json", "audit", "list"]).json();
    let logons: Vec<&serde_json::Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["name"] == "dwc:LogOn")
        .collect();
    assert_eq!(logons.len(), 3);
    assert!(logons.iter().all(|e| e["outcome"] == "denied"));
}

#[test]
fn the_store_refuses_a_second_process_and_a_newer_version() {
    let d = Dwc::init("basic");
    if d.is_postgres() {
        // A database is shared: a second process works beside the first.
        let _held = dwc::store::Store::open(std::path::Path::new(&d.store), false).unwrap();
        assert_eq!(d.run(&["workspace", "list"]).code, 0);
        let pg = cli::servers::Postgres::shared().unwrap();
        let db = d.store.rsplit('/').next().unwrap();
        pg.psql(
            db,
            "UPDATE dwc_meta SET value = '99' WHERE key = 'store_version'::bytea",
        );
    } else {
        {
            let _held = dwc::store::Store::open(d.dir.path(), false).unwrap();
            let o = d.run(&["workspace", "list"]);
            assert_eq!(o.code, 6);
            assert_eq!(
                o.stderr.trim(),
                format!(
                    "dwc: store {} is in use by another dwc process",
                    d.dir.path().display()
                )
            );
        }
        let db = sled::open(d.dir.path().join("db")).unwrap();
        db.open_tree("meta")
            .unwrap()
            .insert("store_version", dwc::store::encode(&99u32))
            .unwrap();
        db.flush().unwrap();
    }
    let o = d.run(&["workspace", "list"]);
    assert_eq!(o.code, 6);
    assert!(
        o.stderr.contains("newer dwc (store version 99"),
        "{}",
        o.stderr
    );
    let empty = tempfile::tempdir().unwrap();
    let o = assert_cmd::Command::cargo_bin("dwc")
        .unwrap()
        .env("DWC_STORE", empty.path())
        .env("DWC_PASSWORD", "x")
        .args(["workspace", "list"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(6));
    assert!(String::from_utf8_lossy(&o.stderr).contains("dwc init --account NAME"));
}

#[test]
fn scope_denies_block_the_openapi_only_for_the_cli() {
    let d = Dwc::init("enterprise");
    d.ok(&["workspace", "create", "finance_etl"]);
    d.user("peggy");
    d.ok(&[
        "member",
        "add",
        "finance_etl",
        "peggy",
        "--role",
        "development",
    ]);
    let page = policy_file(
        &d,
        "no-page",
        r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"dataworks:*","Resource":"*","Condition":{"StringEquals":{"dataworks:Scope":"Page"}}}]}"#,
    );
    d.ok(&["policy", "create", "no-page", "--file", &page]);
    d.ok(&["policy", "attach", "no-page", "--user", "peggy"]);
    assert_eq!(
        d.as_user("peggy", &["-o", "json", "workspace", "list"])
            .names(),
        ["finance_etl"],
        "a Page deny leaves the CLI alone"
    );
    let api = policy_file(
        &d,
        "no-openapi",
        r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"dataworks:*","Resource":"*","Condition":{"StringEquals":{"dataworks:Scope":"OpenAPI"}}}]}"#,
    );
    d.ok(&["policy", "create", "no-openapi", "--file", &api]);
    d.ok(&["policy", "attach", "no-openapi", "--user", "peggy"]);
    let o = d.as_user("peggy", &["-o", "json", "workspace", "list"]);
    assert_eq!(o.code, 3);
    assert_eq!(
        o.err_json()["explanation"][0],
        "explicit deny: policy no-openapi, Statement[0]"
    );
    let bad = policy_file(
        &d,
        "bad",
        r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEq":{"dataworks:Scope":"Page"}}}]}"#,
    );
    let o = d.run(&["policy", "create", "bad", "--file", &bad]);
    assert_eq!(o.code, 5);
    assert!(
        o.stderr
            .contains(r#"document: Statement[0].Condition: unknown operator "StringEq""#),
        "{}",
        o.stderr
    );
    assert_eq!(
        d.run(&["policy", "delete", "no-openapi"]).code,
        5,
        "attached policies are not deleted"
    );
    assert_eq!(
        d.run(&["policy", "delete", "AliyunDataWorksFullAccess"])
            .code,
        5
    );
}

#[test]
fn full_access_manages_the_console_but_cannot_purchase() {
    let d = Dwc::init("basic");
    d.user("ken");
    d.ok(&[
        "policy",
        "attach",
        "AliyunDataWorksFullAccess",
        "--user",
        "ken",
    ]);
    assert_eq!(d.as_user("ken", &["workspace", "create", "ken_ws"]).code, 0);
    // The creator becomes Workspace Manager, so ken sees it.
    let rows = d
        .as_user("ken", &["-o", "json", "workspace", "list"])
        .json();
    assert_eq!(rows[0]["my_roles"][0], "Workspace Manager");
    assert_eq!(
        d.as_user("ken", &["rg", "create", "rg_k", "--spec", "4"])
            .code,
        0
    );
    assert_eq!(
        d.as_user("ken", &["edition", "set", "enterprise"]).code,
        3,
        "purchases need AliyunBSSOrderAccess"
    );
    d.ok(&["policy", "attach", "AliyunBSSOrderAccess", "--user", "ken"]);
    assert_eq!(d.as_user("ken", &["edition", "set", "enterprise"]).code, 0);
}

#[test]
fn member_management_rules_of_seed_002_and_004() {
    let d = Dwc::init("enterprise");
    d.ok(&["workspace", "create", "finance_etl"]);
    for u in ["wm", "dev", "newbie"] {
        d.user(u);
    }
    d.ok(&[
        "member",
        "add",
        "finance_etl",
        "wm",
        "--role",
        "workspace-manager",
    ]);
    d.ok(&[
        "member",
        "add",
        "finance_etl",
        "dev",
        "--role",
        "development",
    ]);
    // Development cannot manage members.
    assert_eq!(
        d.as_user(
            "dev",
            &[
                "member",
                "add",
                "finance_etl",
                "newbie",
                "--role",
                "visitor"
            ]
        )
        .code,
        3
    );
    // A Workspace Manager can, but cannot hand out Project Owner or the owner's roles.
    let o = d.as_user(
        "wm",
        &[
            "member",
            "add",
            "finance_etl",
            "newbie",
            "--role",
            "project-owner",
        ],
    );
    assert_eq!(o.code, 3);
    assert!(o.stderr.contains("cannot be handed out"), "{}", o.stderr);
    assert_eq!(
        d.as_user(
            "wm",
            &[
                "member",
                "add",
                "finance_etl",
                "newbie",
                "--role",
                "security-manager"
            ]
        )
        .code,
        3
    );
    assert_eq!(
        d.as_user(
            "wm",
            &[
                "member",
                "add",
                "finance_etl",
                "newbie",
                "--role",
                "visitor"
            ]
        )
        .code,
        0
    );
    assert_eq!(
        d.as_user("wm", &["member", "grant", "finance_etl", "newbie", "om"])
            .code,
        0
    );
    assert_eq!(
        d.as_user(
            "wm",
            &["member", "revoke", "finance_etl", "newbie", "visitor"]
        )
        .code,
        0
    );
    assert_eq!(
        d.as_user("wm", &["member", "revoke", "finance_etl", "newbie", "om"])
            .code,
        5,
        "the last role is not revoked"
    );
    // Custom roles: managers create and delete them; built-in ones never change.
    assert_eq!(
        d.as_user(
            "wm",
            &[
                "role",
                "create",
                "finance_etl",
                "reviewer",
                "--perm",
                "data-studio=read",
                "--perm",
                "deployment=read"
            ]
        )
        .code,
        0
    );
    assert_eq!(
        d.as_user("dev", &["role", "delete", "finance_etl", "reviewer"])
            .code,
        3
    );
    assert_eq!(
        d.run(&["role", "delete", "finance_etl", "development"])
            .code,
        5
    );
    d.ok(&["member", "grant", "finance_etl", "dev", "reviewer"]);
    assert_eq!(
        d.run(&["role", "delete", "finance_etl", "reviewer"]).code,
        5,
        "a held role is revoked first"
    );
    d.ok(&["member", "revoke", "finance_etl", "dev", "reviewer"]);
    assert_eq!(
        d.as_user("wm", &["role", "delete", "finance_etl", "reviewer"])
            .code,
        0
    );
    // The owner cannot be removed.
    assert_eq!(d.run(&["member", "remove", "finance_etl", "acme"]).code, 5);
    // Seed 004's mapping.
    let r = d
        .ok(&["-o", "json", "role", "show", "finance_etl", "development"])
        .json();
    assert_eq!(r["compute_role"], "Role_Project_Dev");
    assert_eq!(r["prod_compute_role"], serde_json::Value::Null);
    let wm_row = d
        .ok(&["-o", "json", "workspace", "show", "finance_etl"])
        .json();
    assert_eq!(wm_row["administrators"], serde_json::json!(["acme", "wm"]));
}

#[test]
fn custom_roles_need_enterprise() {
    let d = Dwc::init("professional");
    d.ok(&["workspace", "create", "finance_etl"]);
    let o = d.run(&[
        "role",
        "create",
        "finance_etl",
        "reviewer",
        "--perm",
        "data-studio=read",
    ]);
    assert_eq!(o.code, 5);
    assert!(
        o.stderr.contains("needs the Enterprise edition"),
        "{}",
        o.stderr
    );
    let o = d.run(&[
        "role",
        "create",
        "finance_etl",
        "x",
        "--perm",
        "studio=write",
    ]);
    assert!(
        o.stderr.contains("perm: unknown module \"studio\""),
        "{}",
        o.stderr
    );
}

#[test]
fn workspace_lifecycle_and_the_recycle_bin() {
    let d = Dwc::init("basic");
    d.ok(&["workspace", "create", "old_ws", "--mode", "basic"]);
    d.ok(&["rg", "create", "rg_a", "--spec", "4"]);
    d.ok(&["rg", "attach", "rg_a", "old_ws"]);
    d.ok(&["workspace", "disable", "old_ws"]);
    let o = d.run(&["workspace", "update", "old_ws", "--description", "x"]);
    assert_eq!(o.code, 5, "a disabled workspace is read-only");
    assert!(o.stderr.contains("Disabled"), "{}", o.stderr);
    d.ok(&["workspace", "enable", "old_ws"]);
    d.ok(&["workspace", "upgrade", "old_ws"]);
    assert_eq!(
        d.run(&["workspace", "upgrade", "old_ws"]).code,
        5,
        "Basic to Standard once"
    );
    d.ok(&["workspace", "delete", "old_ws"]);
    assert_eq!(
        d.ok(&["-o", "json", "workspace", "list"]).stdout.trim(),
        "[]"
    );
    assert_eq!(
        d.ok(&["-o", "json", "workspace", "list", "--recycle-bin"])
            .names(),
        ["old_ws"]
    );
    assert_eq!(
        d.ok(&["-o", "json", "rg", "show", "rg_a"]).json()["attached"],
        serde_json::json!([]),
        "deleting detaches resource groups"
    );
    let o = d.run(&["workspace", "create", "old_ws"]);
    assert_eq!(o.code, 5);
    assert!(o.stderr.contains("reserved"), "{}", o.stderr);
    d.ok(&["workspace", "restore", "old_ws"]);
    assert_eq!(
        d.ok(&["-o", "json", "workspace", "show", "old_ws"]).json()["mode"],
        "Standard"
    );
}

#[test]
fn regions_isolate_workspaces_and_resource_groups() {
    let d = Dwc::init("basic");
    d.ok(&["--region", "cn-shanghai", "workspace", "create", "sh_ws"]);
    d.ok(&["workspace", "create", "hz_ws"]);
    d.ok(&["rg", "create", "rg_hz", "--spec", "4"]);
    assert_eq!(
        d.ok(&["-o", "json", "workspace", "list"]).names(),
        ["hz_ws"]
    );
    assert_eq!(
        d.ok(&["-o", "json", "--region", "cn-shanghai", "workspace", "list"])
            .names(),
        ["sh_ws"]
    );
    assert_eq!(
        d.run(&["rg", "attach", "rg_hz", "sh_ws"]).code,
        4,
        "another region's workspace does not exist here"
    );
    assert_eq!(
        d.run(&["--region", "cn-shanghai", "rg", "show", "rg_hz"])
            .code,
        4
    );
    assert_eq!(d.run(&["--region", "mars-1", "workspace", "list"]).code, 5);
}

#[test]
fn seed_001_modes_and_environments() {
    let d = Dwc::init("basic");
    d.ok(&["workspace", "create", "basic_ws", "--mode", "basic"]);
    let o = d.run(&[
        "compute",
        "attach",
        "basic_ws",
        "--type",
        "hologres",
        "--name",
        "h1",
        "--instance",
        "hgpre-1",
        "--env",
        "dev",
    ]);
    assert_eq!(o.code, 5);
    assert!(
        o.stderr
            .contains("env: a Basic-mode workspace has only the prod environment"),
        "{}",
        o.stderr
    );
    d.ok(&[
        "compute",
        "attach",
        "basic_ws",
        "--type",
        "hologres",
        "--name",
        "h1",
        "--instance",
        "hgpre-1",
    ]);
    assert_eq!(
        d.ok(&["-o", "json", "compute", "list", "basic_ws"]).json()[0]["env"],
        "prod"
    );
    let o = d.run(&[
        "ds",
        "create",
        "basic_ws",
        "bad_port",
        "--type",
        "postgresql",
        "--host",
        "db",
        "--port",
        "0",
        "--database",
        "x",
        "--username",
        "u",
        "--password-stdin",
    ]);
    assert_eq!(o.code, 5);
    assert!(
        o.stderr
            .contains("port: must be between 1 and 65535 (got 0)"),
        "{}",
        o.stderr
    );
    let o = d.run(&[
        "ds",
        "create",
        "basic_ws",
        "bad_host",
        "--type",
        "mysql",
        "--host",
        "db host",
        "--port",
        "3306",
        "--database",
        "x",
        "--username",
        "u",
        "--password-stdin",
    ]);
    assert!(
        o.stderr.contains("host: must not contain spaces"),
        "{}",
        o.stderr
    );
    let o = d.run(&[
        "ds",
        "create",
        "basic_ws",
        "h1",
        "--type",
        "kafka",
        "--field",
        "bootstrap_servers=k:9092",
    ]);
    assert_eq!(o.code, 5, "data source names are unique in the tenant");
    let o = d.run(&[
        "ds",
        "create",
        "basic_ws",
        "oss1",
        "--type",
        "oss",
        "--field",
        "access_key_secret=x",
    ]);
    assert!(o.stderr.contains("is a secret"), "{}", o.stderr);
}

#[test]
fn non_members_and_the_audit_log() {
    let d = Dwc::init("enterprise");
    d.ok(&["workspace", "create", "secret_ws"]);
    for u in ["outsider", "sec", "admin", "dev"] {
        d.user(u);
    }
    d.ok(&["member", "add", "secret_ws", "dev", "--role", "development"]);
    assert_eq!(
        d.as_user("outsider", &["workspace", "show", "secret_ws"])
            .code,
        4,
        "not found, not forbidden"
    );
    assert_eq!(
        d.as_user("outsider", &["member", "list", "secret_ws"]).code,
        4
    );
    d.ok(&["tenant", "grant", "sec", "security-admin"]);
    d.ok(&["tenant", "grant", "admin", "tenant-admin"]);
    assert_eq!(d.as_user("dev", &["audit", "list"]).code, 3);
    for u in ["sec", "admin"] {
        let log = d
            .as_user(u, &["-o", "json", "audit", "list", "--limit", "500"])
            .json();
        let actions: Vec<&str> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap())
            .collect();
        assert!(actions.contains(&"dataworks:CreateProject"), "{actions:?}");
        assert!(
            actions.contains(&"dataworks:GetProject"),
            "the outsider's denied attempt is there"
        );
    }
    let log = d
        .ok(&["-o", "json", "audit", "list", "--limit", "500"])
        .json();
    let denied = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["principal"] == "outsider")
        .unwrap();
    assert_eq!(denied["outcome"], "denied");
    assert_eq!(denied["scope"], "OpenAPI");
}

#[test]
fn the_demo_tenant_covers_the_product() {
    let d = Dwc::demo();
    let run = |args: &[&str]| d.run_as(None, "", args);
    let users = run(&["-o", "json", "user", "list"]).names();
    assert!(users.len() >= 15, "{users:?}");
    let mut all_ws = Vec::new();
    for region in ["cn-hangzhou", "cn-shanghai", "ap-southeast-1"] {
        let rows = run(&["-o", "json", "--region", region, "workspace", "list"]).json();
        all_ws.extend(rows.as_array().unwrap().clone());
    }
    assert!(all_ws.len() >= 8);
    assert!(all_ws.iter().any(|w| w["default"] == true));
    assert!(
        all_ws.iter().any(|w| w["mode"] == "Basic")
            && all_ws.iter().any(|w| w["mode"] == "Standard")
    );
    // Every built-in role except Project Owner (the account's) is held by someone.
    let mut held = std::collections::BTreeSet::new();
    for w in &all_ws {
        let region = w["region"].as_str().unwrap();
        for m in run(&[
            "-o",
            "json",
            "--region",
            region,
            "member",
            "list",
            w["name"].as_str().unwrap(),
        ])
        .json()
        .as_array()
        .unwrap()
        {
            for r in m["roles"].as_array().unwrap() {
                held.insert(r.as_str().unwrap().to_owned());
            }
        }
    }
    for role in dwc::domain::BuiltinRole::ALL {
        assert!(held.contains(role.title()), "nobody holds {role}");
    }
    let statuses: std::collections::BTreeSet<String> = ["cn-hangzhou", "ap-southeast-1"]
        .iter()
        .flat_map(|r| {
            run(&["-o", "json", "--region", r, "rg", "list"])
                .json()
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["status"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(statuses.len() >= 3, "{statuses:?}");
    assert!(
        run(&["-o", "json", "policy", "list"])
            .names()
            .contains(&"no-openapi".to_owned())
    );
    assert!(!run(&["-o", "json", "bill", "list"]).names().is_empty());
    assert!(
        !run(&["-o", "json", "alert", "contact", "list"])
            .names()
            .is_empty()
    );
    assert!(!run(&["-o", "json", "extension", "list"]).names().is_empty());
    assert!(
        run(&["-o", "json", "image", "list"])
            .json()
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["type"] == "Custom")
    );
    // Open store: any user by name, no password; and their view is theirs.
    assert_eq!(
        d.run_as(Some("frank"), "", &["-o", "json", "workspace", "list"])
            .names(),
        ["default_ws", "marketing_dw"]
    );
    assert_eq!(
        d.run_as(Some("peggy"), "", &["workspace", "list"]).code,
        3,
        "peggy's OpenAPI is blocked"
    );
    assert_eq!(d.run_as(Some("nobody"), "", &["workspace", "list"]).code, 3);
}

#[test]
fn model_deployments_use_resource_group_capacity() {
    let d = Dwc::demo();
    let run = |args: &[&str]| d.run_as(None, "", args);
    let usage = |name: &str| {
        run(&["-o", "json", "rg", "show", name]).json()["used_cu"]
            .as_u64()
            .unwrap()
    };
    // The demo's rg_etl_hz (32 CU) lends 16 CU to a deployment.
    assert_eq!(usage("rg_etl_hz"), 16);
    assert_eq!(usage("rg_adhoc_hz"), 0);
    let too_big = run(&[
        "-o",
        "json",
        "model",
        "create",
        "big",
        "--model",
        "qwen3-32b",
        "--resource-group",
        "rg_etl_hz",
    ]);
    assert_eq!(too_big.code, 5, "{}", too_big.stderr);
    assert!(
        too_big.stderr.contains("16 of 32 CU free"),
        "{}",
        too_big.stderr
    );
    let shrink = run(&["rg", "scale", "rg_etl_hz", "--spec", "8"]);
    assert_eq!(shrink.code, 5, "{}", shrink.stderr);
    assert!(shrink.stderr.contains("lends 16 CU"), "{}", shrink.stderr);
    let fits = run(&[
        "model",
        "create",
        "emb",
        "--model",
        "bge-m3",
        "--resource-group",
        "rg_etl_hz",
        "--replicas",
        "4",
    ]);
    assert_eq!(fits.code, 0, "{}", fits.stderr);
    assert_eq!(usage("rg_etl_hz"), 32);
    let list = run(&["-o", "json", "rg", "list"]).json();
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "rg_etl_hz")
        .unwrap()
        .clone();
    assert_eq!(row["used_cu"], 32);
}

#[test]
fn jobs_wait_resume_after_sigkill_and_fail_with_their_reason() {
    let d = Dwc::init("enterprise");
    let with_jobs = |secs: &str, args: &[&str]| {
        let o = d
            .cmd()
            .env("DWC_PASSWORD", cli::ACCOUNT_PW)
            .env("DWC_JOB_SECONDS", secs)
            .args(args)
            .output()
            .unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    d.ok(&["workspace", "create", "fin_etl"]);
    let (code, out, _) = with_jobs("2", &["rg", "create", "rg_a", "--spec", "8"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("creating resource group rg_a") && out.contains("running"),
        "{out}"
    );
    let early = d.run(&["rg", "attach", "rg_a", "fin_etl"]);
    assert_eq!(
        early.code, 5,
        "a Creating group cannot be attached: {}",
        early.stderr
    );
    let (code, out, err) = with_jobs("2", &["job", "wait", "rg_a"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("create resource group rg_a: done"), "{out}");
    assert!(err.is_empty(), "no progress bar when piped: {err}");
    d.ok(&["rg", "attach", "rg_a", "fin_etl"]);

    // --wait follows a scale to its end and prints the group as it ended, as `show` does.
    let (code, out, _) = with_jobs(
        "1",
        &[
            "--wait", "-o", "json", "rg", "scale", "rg_a", "--spec", "16",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let ended: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(ended, d.ok(&["-o", "json", "rg", "show", "rg_a"]).json());
    assert_eq!(
        (ended["spec_cu"].as_u64(), ended["status"].as_str()),
        (Some(16), Some("Normal"))
    );

    // A waiting process killed mid-job leaves the job stored; the next one finishes it.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dwc"))
        .env("DWC_STORE", &d.store)
        .env("DWC_STATE_DIR", d.dir.path().join("state"))
        .env("DWC_PASSWORD", cli::ACCOUNT_PW)
        .env("DWC_JOB_SECONDS", "6")
        .args(["--wait", "rg", "scale", "rg_a", "--spec", "24"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    child.kill().unwrap();
    child.wait().unwrap();
    let shown = d.ok(&["-o", "json", "rg", "show", "rg_a"]).json();
    assert_eq!(
        (shown["status"].as_str(), shown["spec_cu"].as_u64()),
        (Some("Updating"), Some(16))
    );
    let jobs = d.ok(&["-o", "json", "job", "list"]).json();
    assert_eq!(jobs[0]["name"], "rg_a");
    assert_eq!(jobs[0]["job"], "scale resource group");
    let (code, _, err) = with_jobs("6", &["job", "wait", "rg_a"]);
    assert_eq!(code, 0, "{err}");
    let shown = d.ok(&["-o", "json", "rg", "show", "rg_a"]).json();
    assert_eq!(
        (shown["status"].as_str(), shown["spec_cu"].as_u64()),
        (Some("Normal"), Some(24))
    );

    // A job that fails ends --wait with exit 5 and the reason (eu-central-1 has 2,000 CU).
    let eu = |name: &str| {
        with_jobs(
            "0",
            &[
                "--region",
                "eu-central-1",
                "--wait",
                "rg",
                "create",
                name,
                "--spec",
                "1500",
            ],
        )
    };
    assert_eq!(eu("rg_eu1").0, 0);
    let (code, _, err) = eu("rg_eu2");
    assert_eq!(code, 5);
    assert!(
        err.contains("insufficient stock in eu-central-1: 500 of 2000 CU free"),
        "{err}"
    );
    let shown = d
        .ok(&[
            "--region",
            "eu-central-1",
            "-o",
            "json",
            "rg",
            "show",
            "rg_eu2",
        ])
        .json();
    assert_eq!(shown["status"], "CreateFailed");
    let audit = d
        .ok(&["-o", "json", "audit", "list", "--limit", "5"])
        .json();
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["outcome"] == "failed"
                && e["detail"].as_str().unwrap().contains("insufficient stock"))
    );
}

#[test]
fn a_bad_job_length_is_refused_with_its_name() {
    let d = Dwc::init("basic");
    let o = d
        .cmd()
        .env("DWC_PASSWORD", cli::ACCOUNT_PW)
        .env("DWC_JOB_SECONDS", "soon")
        .args(["workspace", "list"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(5));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("DWC_JOB_SECONDS") && err.contains("whole number"),
        "{err}"
    );
}

#[test]
fn can_explains_decisions_and_who_may_ask() {
    let d = Dwc::demo();
    let as_ = |user: Option<&str>, args: &[&str]| d.run_as(user, "", args);
    // Allowed and denied, with the trace; exit 0 and 3 like kubectl auth can-i.
    let yes = as_(
        None,
        &["can", "wang_admin", "DeleteProjectMember", "finance_etl"],
    );
    assert_eq!(yes.code, 0, "{}", yes.stderr);
    assert!(
        yes.stdout
            .starts_with("allowed: wang_admin may dataworks:DeleteProjectMember")
    );
    assert!(yes.stdout.contains("Workspace Manager"), "{}", yes.stdout);
    let no = as_(
        None,
        &["can", "alice", "dataworks:CreateDataSource", "finance_etl"],
    );
    assert_eq!(no.code, 3);
    assert!(
        no.stdout
            .contains("implicit deny: no role of alice in finance_etl"),
        "{}",
        no.stdout
    );
    assert!(
        no.stderr.is_empty(),
        "the denial is printed once: {}",
        no.stderr
    );
    // The scope is part of the question: peggy's Scope deny blocks the OpenAPI only.
    let api = as_(
        None,
        &["-o", "json", "can", "peggy", "ListProjects", "finance_etl"],
    );
    assert_eq!(api.code, 3);
    let api: serde_json::Value = serde_json::from_str(&api.stdout).unwrap();
    assert_eq!(
        (api["allowed"].as_bool(), api["basis"].as_str()),
        (Some(false), Some("an explicit deny"))
    );
    let page = as_(
        None,
        &[
            "can",
            "peggy",
            "ListProjects",
            "finance_etl",
            "--scope",
            "page",
        ],
    );
    assert_eq!(page.code, 0, "{}", page.stdout);
    // An ARN names the target as policies do.
    let arn = as_(
        None,
        &[
            "can",
            "acme",
            "CreateResourceGroup",
            "acs:dataworks:cn-hangzhou:acme:dwresourcegroup/rg_new",
        ],
    );
    assert_eq!(arn.code, 0, "{}", arn.stdout);

    // Who may ask: oneself; the account, Tenant and Security Administrators; a workspace's
    // manager about its members there.
    assert_eq!(
        as_(
            Some("alice"),
            &["can", "alice", "ListProjects", "finance_etl"]
        )
        .code,
        0
    );
    let nosy = as_(
        Some("alice"),
        &["can", "bob", "ListProjects", "finance_etl"],
    );
    assert_eq!(nosy.code, 3);
    assert!(
        nosy.stderr.contains("anyone may ask about themself"),
        "{}",
        nosy.stderr
    );
    assert_eq!(
        as_(Some("nora"), &["can", "bob", "ListProjects", "finance_etl"]).code,
        0
    );
    assert_eq!(
        as_(
            Some("oscar"),
            &["can", "bob", "ListProjects", "finance_etl"]
        )
        .code,
        0
    );
    assert_eq!(
        as_(
            Some("wang_admin"),
            &["can", "alice", "UpdateDataSource", "finance_etl"]
        )
        .code,
        3,
        "asked, and denied"
    );
    let elsewhere = as_(
        Some("wang_admin"),
        &["can", "alice", "ListProjects", "default_ws"],
    );
    assert_eq!(elsewhere.code, 3);
    assert!(
        elsewhere.stderr.contains("dwc:ExplainAccess"),
        "{}",
        elsewhere.stderr
    );

    // Bad questions get clear errors.
    let bad_action = as_(None, &["can", "alice", "FlyToTheMoon", "finance_etl"]);
    assert_eq!(bad_action.code, 5);
    assert!(
        bad_action
            .stderr
            .contains("action: unknown action \"FlyToTheMoon\"")
    );
    let wrong_kind = as_(
        None,
        &[
            "can",
            "alice",
            "CreateResourceGroup",
            "acs:dataworks:cn-hangzhou:acme:workspace/finance_etl",
        ],
    );
    assert_eq!(wrong_kind.code, 5);
    assert!(wrong_kind.stderr.contains("acts on a resource group"));
    assert_eq!(
        as_(None, &["can", "nobody", "ListProjects", "finance_etl"]).code,
        4
    );
    assert_eq!(
        as_(None, &["can", "alice", "ListProjects", "no_such_ws"]).code,
        4
    );
}

#[test]
fn advise_reports_findings_the_session_may_see() {
    let d = Dwc::demo();
    let findings = |user: Option<&str>| {
        let o = d.run_as(user, "", &["-o", "json", "advise"]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        o.json().as_array().unwrap().clone()
    };
    let all = findings(None);
    let has = |fs: &[serde_json::Value], rule: &str, name: &str| {
        fs.iter().any(|f| f["rule"] == rule && f["name"] == name)
    };
    assert!(has(&all, "group-expired", "resource group rg_legacy_hz"));
    assert!(has(
        &all,
        "production-in-basic-mode",
        "workspace sandbox_ops"
    ));
    assert!(has(&all, "dev-and-om-together", "workspace sandbox_ops"));
    assert_eq!(all[0]["severity"], "high", "most severe first");
    assert!(all.iter().all(|f| !f["fix"].as_str().unwrap().is_empty()));
    // A developer hears only about what she can see, and asking leaves no denials behind.
    let before = d
        .run_as(None, "", &["-o", "json", "audit", "list", "--limit", "500"])
        .json();
    let alice = findings(Some("alice"));
    assert!(!alice.is_empty());
    assert!(
        alice
            .iter()
            .all(|f| !f["name"].as_str().unwrap().contains("sandbox_ops"))
    );
    assert!(!has(&alice, "group-expired", "resource group rg_legacy_hz"));
    let after = d
        .run_as(None, "", &["-o", "json", "audit", "list", "--limit", "500"])
        .json();
    assert_eq!(before, after, "advise audited a denial");
    // Fixing a finding makes it go away.
    d.run_as(None, "", &["rg", "delete", "rg_legacy_hz"]);
    assert!(!has(
        &findings(None),
        "group-expired",
        "resource group rg_legacy_hz"
    ));
}

#[test]
fn export_is_stable_complete_and_holds_no_secrets() {
    let d = Dwc::demo();
    let export = |user: Option<&str>, args: &[&str]| {
        let mut all = vec!["export"];
        all.extend_from_slice(args);
        let o = d.run_as(user, "", &all);
        assert_eq!(o.code, 0, "{}", o.stderr);
        o.stdout
    };
    let first = export(None, &[]);
    assert_eq!(first, export(None, &[]), "two exports are the same bytes");
    let doc: serde_json::Value = serde_json::from_str(&first).unwrap();
    for key in [
        "users",
        "policies",
        "tenant_roles",
        "workspaces",
        "resource_groups",
        "alerts",
        "extensions",
    ] {
        assert!(doc.get(key).is_some(), "no {key}");
    }
    assert_eq!(doc["dwc_export"], 1);
    // Workspaces from every region, members with role slugs, custom policies as JSON.
    let names: Vec<&str> = doc["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"finance_etl") && names.contains(&"sg_ecommerce"),
        "{names:?}"
    );
    let fin = doc["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "finance_etl")
        .unwrap();
    assert!(
        fin["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "alice" && m["roles"] == serde_json::json!(["development"]))
    );
    assert!(
        doc["policies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["document"]["Statement"].is_array())
    );
    // Secrets are named, never given: the demo's data-source passwords are nowhere.
    assert!(!first.contains("demo-orders-pass") && !first.contains("demo-ledger-pass"));
    let src = fin["data_sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "orders_mysql")
        .unwrap();
    assert_eq!(src["secrets"], serde_json::json!(["password"]));
    // A change shows up as a small diff.
    d.run_as(
        None,
        "",
        &[
            "workspace",
            "update",
            "finance_etl",
            "--description",
            "Finance ETL, nightly",
        ],
    );
    let second = export(None, &[]);
    let changed: Vec<_> = first
        .lines()
        .zip(second.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    // One workspace; and a developer exports only what she can see.
    let one: serde_json::Value =
        serde_json::from_str(&export(None, &["--workspace", "finance_etl"])).unwrap();
    assert_eq!(one["workspace"]["name"], "finance_etl");
    assert!(one.get("workspaces").is_none());
    assert!(one.get("users").is_none());
    let alice: serde_json::Value = serde_json::from_str(&export(Some("alice"), &[])).unwrap();
    let hers: Vec<&str> = alice["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert!(
        !hers.contains(&"sandbox_ops") && hers.contains(&"finance_etl"),
        "{hers:?}"
    );
    assert!(
        alice
            .get("resource_groups")
            .unwrap()
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        d.run_as(None, "", &["export", "--workspace", "nope_ws"])
            .code,
        4
    );
}

/// The item named `name` in the list at `list` of a document.
fn item<'a>(doc: &'a mut serde_json::Value, list: &str, name: &str) -> &'a mut serde_json::Value {
    doc.pointer_mut(list)
        .and_then(|l| l.as_array_mut())
        .and_then(|l| l.iter_mut().find(|i| i["name"] == name))
        .unwrap_or_else(|| panic!("no {name} in {list}"))
}

/// Adds `value` to the list at `list`, kept sorted by name as the export writes it.
fn insert_sorted(doc: &mut serde_json::Value, list: &str, value: serde_json::Value) {
    let l = doc.pointer_mut(list).unwrap().as_array_mut().unwrap();
    l.push(value);
    l.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
}

fn write_doc(d: &Dwc, name: &str, doc: &serde_json::Value) -> String {
    policy_file(d, name, &serde_json::to_string_pretty(doc).unwrap())
}

#[test]
fn apply_plans_applies_in_one_go_and_is_idempotent() {
    let d = Dwc::demo();
    let export = || {
        let o = d.run_as(None, "", &["export"]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        o.stdout
    };
    let apply = |file: &str, extra: &[&str]| {
        let mut args = vec!["apply", "-f", file];
        args.extend_from_slice(extra);
        d.run_as(None, "", &args)
    };
    // An export applied back is no change at all.
    let before = export();
    let same = policy_file(&d, "same", &before);
    let o = apply(&same, &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("No changes"), "{}", o.stdout);

    // Edit the document the way a person would.
    let mut doc: serde_json::Value = serde_json::from_str(&before).unwrap();
    item(&mut doc, "/users", "alice")["display_name"] = "Alice (renamed)".into();
    insert_sorted(
        &mut doc,
        "/policies",
        serde_json::json!({"name": "apply-read-only", "description": "from a file",
            "document": {"Version": "1", "Statement": [
                {"Effect": "Allow", "Action": ["dataworks:List*"], "Resource": "*"}]}}),
    );
    let fin = item(&mut doc, "/workspaces", "finance_etl");
    item(fin, "/members", "dave")["roles"] = serde_json::json!(["development", "visitor"]);
    item(fin, "/custom_roles", "etl_reviewer")["levels"]["data-quality"] = "read".into();
    let mut levels = serde_json::Map::new();
    for m in [
        "data-analysis",
        "data-governance",
        "data-integration",
        "data-modeling",
        "data-quality",
        "data-service",
        "deployment",
        "management",
        "operation-center",
        "security-guard",
    ] {
        levels.insert(m.into(), "none".into());
    }
    levels.insert("data-studio".into(), "read".into());
    insert_sorted(
        &mut doc,
        "/workspaces",
        serde_json::json!({"name": "apply_ws", "region": "cn-hangzhou",
            "display_name": "Applied", "description": "made by apply", "mode": "standard",
            "status": "normal", "default": false,
            "members": [{"name": "alice", "roles": ["auditor"]}],
            "custom_roles": [{"name": "auditor", "levels": levels, "compute_role": null}],
            "compute": [], "data_sources": []}),
    );
    let contacts = doc["alerts"]["contacts"].as_array_mut().unwrap();
    let gone = contacts.remove(0)["name"].as_str().unwrap().to_owned();
    let file = write_doc(&d, "edited", &doc);

    // The dry run lists every change and changes nothing.
    let o = apply(&file, &["--dry-run"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    for line in [
        "+ create  policy apply-read-only",
        "~ update  user alice: display name",
        "~ update  member dave of finance_etl: grant development",
        "~ update  role etl_reviewer in finance_etl: data-quality none → read",
        "+ create  workspace apply_ws",
        "+ create  role auditor in apply_ws",
        "+ create  member alice of apply_ws: auditor",
        &format!("- delete  alert contact {gone}"),
        "Plan: 4 to create, 3 to update, 1 to delete",
        "Dry run: nothing changed.",
    ] {
        assert!(o.stdout.contains(line), "no {line:?} in\n{}", o.stdout);
    }
    assert_eq!(export(), before, "a dry run changes nothing");

    // Applied, the store exports exactly the file; a second apply has nothing to do.
    let o = apply(&file, &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("Applied in one transaction"),
        "{}",
        o.stdout
    );
    let after: serde_json::Value = serde_json::from_str(&export()).unwrap();
    assert_eq!(after, doc);
    let o = apply(&file, &["-o", "json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let j = o.json();
    assert_eq!(j["applied"], false);
    assert_eq!(j["plan"], serde_json::json!([]));

    // Each change is in the audit log as the session's own action, then the apply itself.
    let o = d.run_as(None, "", &["-o", "json", "audit", "list"]);
    let actions: Vec<String> = o
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["name"].as_str().unwrap(),
                e["target"].as_str().unwrap()
            )
        })
        .collect();
    for a in [
        "ram:UpdateUser user alice",
        "ram:CreatePolicy policy apply-read-only",
        "dataworks:CreateProject workspace apply_ws",
        "dataworks:UpdateProjectRole role etl_reviewer in finance_etl",
    ] {
        assert!(actions.iter().any(|x| x == a), "no {a} in {actions:?}");
    }
    assert!(actions[0].starts_with("dwc:Apply"), "{actions:?}");

    // Taking a workspace out of a whole-tenant document deletes it (to the recycle bin); a
    // one-workspace document leaves the others alone.
    let ws = doc["workspaces"].as_array_mut().unwrap();
    ws.retain(|w| w["name"] != "apply_ws");
    let file = write_doc(&d, "fewer", &doc);
    let o = apply(&file, &[]);
    assert!(
        o.stdout.contains("- delete  workspace apply_ws"),
        "{}",
        o.stdout
    );
    let o = d.run_as(None, "", &["export", "--workspace", "finance_etl"]);
    let mut one: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    one["workspace"]["description"] = "only this one".into();
    let file = write_doc(&d, "one", &one);
    let o = apply(&file, &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout
            .contains("Plan: 0 to create, 1 to update, 0 to delete"),
        "{}",
        o.stdout
    );
    let names = d
        .run_as(None, "", &["-o", "json", "workspace", "list"])
        .names();
    assert!(names.contains(&"marketing_dw".to_owned()), "{names:?}");
}

#[test]
fn apply_refuses_bad_documents_and_denied_steps_and_changes_nothing() {
    let d = Dwc::demo();
    let export = || d.run_as(None, "", &["export"]).stdout;
    let before = export();
    let apply_as = |user: Option<&str>, name: &str, text: &str| {
        let f = policy_file(&d, name, text);
        d.run_as(user, "", &["apply", "-f", &f])
    };
    let mut doc: serde_json::Value = serde_json::from_str(&before).unwrap();
    item(&mut doc, "/users", "bob")["display_name"] = "Bob (changed)".into();
    let edited = serde_json::to_string_pretty(&doc).unwrap();

    // Malformed: truncated, an unknown field, another version, another account, a name twice.
    let cases = [
        (
            "truncated",
            edited[..edited.len() / 2].to_owned(),
            "ends early",
        ),
        (
            "unknown",
            edited.replacen("\"display_name\"", "\"colour\": 1, \"display_name\"", 1),
            "unknown field `colour`",
        ),
        (
            "version",
            edited.replacen("\"dwc_export\": 1", "\"dwc_export\": 2", 1),
            "version 1",
        ),
        (
            "account",
            edited.replacen(
                &format!("\"account\": {}", doc["account"]),
                "\"account\": \"other\"",
                1,
            ),
            "account other",
        ),
        (
            "level",
            edited.replacen("\"data-studio\": \"read\"", "\"data-studio\": \"loud\"", 1),
            "level must be none, read or write",
        ),
    ];
    for (name, text, why) in cases {
        let o = apply_as(None, name, &text);
        assert_eq!(o.code, 5, "{name}: {}", o.stderr);
        assert!(o.stderr.contains(why), "{name}: {}", o.stderr);
        assert!(o.stderr.contains("nothing was applied"), "{}", o.stderr);
    }
    let mut twice = doc.clone();
    let bob = item(&mut twice, "/users", "bob").clone();
    twice["users"].as_array_mut().unwrap().push(bob);
    let o = apply_as(None, "twice", &twice.to_string());
    assert_eq!(o.code, 5);
    assert!(o.stderr.contains("bob is listed twice"), "{}", o.stderr);
    assert_eq!(export(), before);

    // A step that fails after others succeeded: the earlier ones are not kept either.
    let mut failing = doc.clone();
    insert_sorted(
        &mut failing,
        "/workspaces",
        serde_json::json!({"name": "half_ws", "region": "cn-hangzhou",
            "members": [{"name": "nobody_here", "roles": ["development"]}]}),
    );
    let o = apply_as(None, "failing", &failing.to_string());
    assert_eq!(o.code, 4, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("while trying to create member nobody_here of half_ws"),
        "{}",
        o.stderr
    );
    assert_eq!(
        export(),
        before,
        "the user rename and the workspace were not kept"
    );

    // A user who may not make a change is denied (exit 3), the whole apply with it, and the
    // attempt is audited in her name.
    let o = apply_as(Some("alice"), "alice", &edited);
    assert_eq!(o.code, 3, "{}", o.stderr);
    assert!(o.stderr.contains("ram:UpdateUser"), "{}", o.stderr);
    assert_eq!(export(), before);
    let audit = d.run_as(None, "", &["-o", "json", "audit", "list"]).json();
    let last = &audit[0];
    assert_eq!(last["name"], "dwc:Apply");
    assert_eq!(last["principal"], "alice");
    assert_eq!(last["outcome"], "denied");
    // What a file cannot do is refused with what to do instead.
    let mut region = doc.clone();
    item(&mut region, "/resource_groups", "rg_adhoc_hz")["payment"] =
        serde_json::json!({"prepaid": {"months": 1, "auto_renew": false}});
    let o = apply_as(None, "payment", &region.to_string());
    assert_eq!(o.code, 5);
    assert!(
        o.stderr.contains("payment is chosen when it is bought"),
        "{}",
        o.stderr
    );
    assert_eq!(export(), before);
    // A system policy is RAM's own: a file cannot make or change one, nor can a command delete it.
    let mut system = doc.clone();
    insert_sorted(
        &mut system,
        "/policies",
        serde_json::json!({"name": "AliyunDataWorksFullAccess", "description": "mine now",
            "document": {"Version": "1", "Statement": []}}),
    );
    let o = apply_as(None, "system", &system.to_string());
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(o.stderr.contains("is a system policy"), "{}", o.stderr);
    let o = d.run_as(None, "", &["policy", "delete", "AliyunDataWorksFullAccess"]);
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(
        o.stderr.contains("system policy; it cannot be deleted"),
        "{}",
        o.stderr
    );
    assert_eq!(export(), before);
    let mut moved = doc.clone();
    let ws = &mut moved["workspaces"][0];
    let from = ws["region"].as_str().unwrap().to_owned();
    let to = if from == "cn-hangzhou" {
        "cn-shanghai"
    } else {
        "cn-hangzhou"
    };
    ws["region"] = to.into();
    let o = apply_as(None, "moved", &moved.to_string());
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(
        o.stderr
            .contains(&format!("it is in {from}; a workspace cannot move regions")),
        "{}",
        o.stderr
    );
    assert_eq!(export(), before);
}
