//! RAM user groups: a group's policies apply to its members, traces say which group, a group in
//! use is not deleted, and export/apply carry groups whole.

#[path = "common/cli.rs"]
mod cli;

use cli::Dwc;

const CREATE_WS: &str = r#"{"Version": "1", "Statement": [{"Effect": "Allow",
  "Action": "dataworks:CreateProject", "Resource": "*"}]}"#;

fn tenant() -> Dwc {
    let d = Dwc::init("enterprise");
    d.user("alice");
    let doc = d.dir.path().join("create-ws.json");
    std::fs::write(&doc, CREATE_WS).unwrap();
    d.ok(&[
        "policy",
        "create",
        "create-ws",
        "--file",
        doc.to_str().unwrap(),
    ]);
    d.ok(&[
        "group",
        "create",
        "builders",
        "--description",
        "they make workspaces",
    ]);
    d.ok(&["policy", "attach", "create-ws", "--group", "builders"]);
    d
}

#[test]
fn a_groups_policies_apply_to_its_members_and_traces_name_the_group() {
    let d = tenant();
    assert_eq!(
        d.as_user("alice", &["workspace", "create", "before"]).code,
        3
    );
    d.ok(&["group", "add-user", "builders", "alice"]);
    let o = d.as_user("alice", &["workspace", "create", "after"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let why = d
        .ok(&["can", "alice", "dataworks:CreateProject", "w_new"])
        .stdout;
    assert!(why.contains("policy create-ws via group builders"), "{why}");
    let g = d.ok(&["-o", "json", "group", "show", "builders"]).json();
    assert_eq!(g["members"][0], "alice");
    assert_eq!(g["policies"][0], "create-ws");

    // In use: neither the group nor its policy goes.
    let o = d.run(&["group", "delete", "builders"]);
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(o.stderr.contains("1 member(s)"), "{}", o.stderr);
    let o = d.run(&["policy", "delete", "create-ws"]);
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(o.stderr.contains("1 group(s)"), "{}", o.stderr);

    // Out of the group, out of its policies.
    d.ok(&["group", "remove-user", "builders", "alice"]);
    assert_eq!(
        d.as_user("alice", &["workspace", "create", "later"]).code,
        3
    );
    // A user may not manage groups without a policy that says so; it is audited.
    let o = d.as_user("alice", &["group", "add-user", "builders", "alice"]);
    assert_eq!(o.code, 3, "{}", o.stderr);
    let audit = d.ok(&["audit", "list", "--limit", "30"]).stdout;
    assert!(
        audit.contains("ram:AddUserToGroup") && audit.contains("ram:AttachPolicyToGroup"),
        "{audit}"
    );
}

#[test]
fn deleting_a_user_takes_them_out_of_their_groups() {
    let d = tenant();
    d.ok(&["group", "add-user", "builders", "alice"]);
    d.ok(&["user", "delete", "alice"]);
    let g = d.ok(&["-o", "json", "group", "show", "builders"]).json();
    assert_eq!(g["members"].as_array().unwrap().len(), 0, "{g}");
}

#[test]
fn export_and_apply_carry_groups_whole() {
    let d = tenant();
    d.ok(&["group", "add-user", "builders", "alice"]);
    let first = d.ok(&["export"]).stdout;
    assert!(first.contains("\"user_groups\""), "{first}");
    let file = d.dir.path().join("tenant.json");
    std::fs::write(&file, &first).unwrap();
    // Taken apart by hand; the file puts it back.
    d.ok(&["group", "remove-user", "builders", "alice"]);
    d.ok(&["policy", "detach", "create-ws", "--group", "builders"]);
    d.ok(&["group", "delete", "builders"]);
    let plan = d
        .ok(&["apply", "-f", file.to_str().unwrap(), "--dry-run"])
        .stdout;
    assert!(
        plan.contains("user group builders") && plan.contains("alice in user group builders"),
        "{plan}"
    );
    d.ok(&["apply", "-f", file.to_str().unwrap()]);
    assert_eq!(d.ok(&["export"]).stdout, first, "the export is as it was");
    // A file without the group removes it, emptied first.
    let mut doc: serde_json::Value = serde_json::from_str(&first).unwrap();
    doc["user_groups"] = serde_json::json!([]);
    std::fs::write(&file, doc.to_string()).unwrap();
    d.ok(&["apply", "-f", file.to_str().unwrap()]);
    assert_eq!(d.ok(&["-o", "json", "group", "list"]).stdout.trim(), "[]");
}
