//! Policy versions as RAM keeps them: up to five, one default that decides; a rollback is
//! setting an older one as default; every change audited; export carries the default.

#[path = "common/cli.rs"]
mod cli;

use cli::Dwc;

const DENY_DELETE: &str = r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"dataworks:DeleteProject","Resource":"*"}]}"#;
const DENY_NOTHING: &str = r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"dataworks:PurgeProject","Resource":"*"}]}"#;

#[test]
fn versions_decide_roll_back_and_are_bounded() {
    let d = Dwc::init("enterprise");
    d.user("ops");
    let file = |text: &str| {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        f
    };
    let v1 = file(DENY_DELETE);
    d.ok(&[
        "policy",
        "create",
        "guard",
        "--file",
        v1.path().to_str().unwrap(),
    ]);
    d.ok(&["policy", "attach", "guard", "--user", "ops"]);
    d.ok(&[
        "policy",
        "attach",
        "AliyunDataWorksFullAccess",
        "--user",
        "ops",
    ]);
    d.ok(&["workspace", "create", "scratch_ws"]);
    let deletes = || {
        d.as_user("ops", &["can", "ops", "DeleteProject", "scratch_ws"])
            .code
    };
    assert_eq!(deletes(), 3, "v1 denies deleting");

    // A new version that is not the default changes nothing; made default, it decides.
    let v2 = file(DENY_NOTHING);
    let o = d.ok(&[
        "policy",
        "version",
        "create",
        "guard",
        "--file",
        v2.path().to_str().unwrap(),
    ]);
    assert!(o.stdout.contains("created version v2"), "{}", o.stdout);
    assert_eq!(deletes(), 3);
    d.ok(&["policy", "version", "set-default", "guard", "v2"]);
    assert_eq!(deletes(), 0, "v2 decides");
    let list = d
        .ok(&["policy", "version", "list", "guard", "-o", "json"])
        .json();
    assert_eq!(list[1]["name"], "v2");
    assert_eq!(list[1]["default"], true);
    // Roll back.
    d.ok(&["policy", "version", "set-default", "guard", "v1"]);
    assert_eq!(deletes(), 3, "v1 decides again");
    let shown = d
        .ok(&["policy", "version", "show", "guard", "v2", "-o", "json"])
        .json();
    assert_eq!(
        shown["document"]["Statement"][0]["Action"],
        "dataworks:PurgeProject"
    );

    // The default cannot be deleted; five is the most.
    let o = d.run(&["policy", "version", "delete", "guard", "v1"]);
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(o.stderr.contains("is the default version"), "{}", o.stderr);
    for _ in 0..3 {
        d.ok(&[
            "policy",
            "version",
            "create",
            "guard",
            "--file",
            v2.path().to_str().unwrap(),
        ]);
    }
    let o = d.run(&[
        "policy",
        "version",
        "create",
        "guard",
        "--file",
        v2.path().to_str().unwrap(),
    ]);
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(o.stderr.contains("keeps 5 versions"), "{}", o.stderr);
    d.ok(&["policy", "version", "delete", "guard", "v3"]);
    d.ok(&[
        "policy",
        "version",
        "create",
        "guard",
        "--file",
        v2.path().to_str().unwrap(),
    ]);
    let ids: Vec<String> = d
        .ok(&["policy", "version", "list", "guard", "-o", "json"])
        .names();
    assert_eq!(ids, ["v1", "v2", "v4", "v5", "v6"]);

    // Export carries the default's document; every change is in the audit log.
    let export = d.ok(&["export"]).json();
    let p = export["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "guard")
        .unwrap()
        .clone();
    assert!(p.to_string().contains("DeleteProject"), "{p}");
    let audit = d
        .ok(&["audit", "list", "--limit", "200", "-o", "json"])
        .json();
    let count = |action: &str| {
        audit
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["name"] == action && e["outcome"] == "ok")
            .count()
    };
    assert_eq!(count("ram:CreatePolicyVersion"), 5);
    assert_eq!(count("ram:SetDefaultPolicyVersion"), 2);
    assert_eq!(count("ram:DeletePolicyVersion"), 1);
    // A system policy has no versions to change.
    let o = d.run(&[
        "policy",
        "version",
        "create",
        "AliyunDataWorksFullAccess",
        "--file",
        v2.path().to_str().unwrap(),
    ]);
    assert_eq!(o.code, 5, "{}", o.stderr);
}
