//! Cluster management (seed 000) for workspaces that do not use the new Data Studio: register
//! a CDH/CDP/EMR cluster with its endpoints, keep its authentication files sealed (listed by
//! name and size), map members to cluster accounts; authorized like compute; the advisor
//! names members without an account.

#[path = "common/cli.rs"]
mod cli;
#[path = "common/tui.rs"]
mod tui;

use cli::Dwc;

#[test]
fn clusters_are_registered_files_kept_sealed_and_members_mapped() {
    let d = Dwc::demo();
    // The new Data Studio has no cluster management.
    let o = d.run_as(None, "", &["cluster", "list", "finance_etl"]);
    assert_ne!(o.code, 0);
    assert!(
        o.stderr.contains("uses the new Data Studio"),
        "{}",
        o.stderr
    );

    let o = d.run_as(None, "", &["-o", "json", "cluster", "list", "marketing_dw"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.names(), ["cdh_marketing"]);

    // A bad endpoint is refused with the rule; a good one registers.
    let o = d.run_as(
        None,
        "",
        &[
            "cluster",
            "register",
            "marketing_dw",
            "emr_mkt",
            "--type",
            "emr",
            "--version",
            "5.16.0",
            "--env",
            "dev",
            "--endpoint",
            "hiveserver2=emr-header-1",
        ],
    );
    assert_eq!(o.code, 5, "{}", o.stderr);
    assert!(
        o.stderr.contains("hiveserver2: must be host:port"),
        "{}",
        o.stderr
    );
    let o = d.run_as(
        None,
        "",
        &[
            "cluster",
            "register",
            "marketing_dw",
            "emr_mkt",
            "--type",
            "emr",
            "--version",
            "5.16.0",
            "--env",
            "dev",
            "--endpoint",
            "hiveserver2=emr-header-1:10000",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);

    // A Development member may not (like compute: Workspace Manager and above).
    let o = d.run_as(
        Some("alice"),
        "",
        &["cluster", "deregister", "marketing_dw", "emr_mkt"],
    );
    assert_eq!(o.code, 3, "{}", o.stderr);

    // A keytab: kept sealed, shown by name and size only.
    let keytab = d.dir.path().join("etl.keytab");
    let secret = b"\x05\x02binary keytab with a SECRET-KEY inside";
    std::fs::write(&keytab, secret).unwrap();
    let o = d.run_as(
        None,
        "",
        &[
            "cluster",
            "file",
            "add",
            "marketing_dw",
            "emr_mkt",
            "--file",
            keytab.to_str().unwrap(),
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let show = d.run_as(
        None,
        "",
        &["-o", "json", "cluster", "show", "marketing_dw", "emr_mkt"],
    );
    assert!(
        show.stdout
            .contains(&format!("etl.keytab ({} bytes)", secret.len())),
        "{}",
        show.stdout
    );
    assert!(!show.stdout.contains("SECRET-KEY"));
    let raw = std::fs::read_dir(d.dir.path()).unwrap().count();
    assert!(raw > 0);

    // Members without an account are named by the advisor until a default account is set.
    let advice = d.run_as(None, "", &["advise"]).stdout;
    assert!(
        advice.contains("cluster cdh_marketing of marketing_dw") && advice.contains("frank"),
        "{advice}"
    );
    let o = d.run_as(
        None,
        "",
        &[
            "cluster",
            "map",
            "set",
            "marketing_dw",
            "cdh_marketing",
            "--default",
            "--account",
            "dw_etl",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let advice = d.run_as(None, "", &["advise"]).stdout;
    assert!(!advice.contains("cluster cdh_marketing"), "{advice}");
    let o = d.run_as(
        None,
        "",
        &[
            "cluster",
            "map",
            "set",
            "marketing_dw",
            "cdh_marketing",
            "--member",
            "nobody",
            "--account",
            "x",
        ],
    );
    assert_eq!(o.code, 4, "{}", o.stderr);

    let audit = d
        .run_as(None, "", &["audit", "list", "--limit", "20"])
        .stdout;
    assert!(
        audit.contains("dataworks:CreateCluster") && audit.contains("dataworks:UpdateCluster"),
        "{audit}"
    );
    let o = d.run_as(
        None,
        "",
        &["cluster", "deregister", "marketing_dw", "emr_mkt"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
}

/// The Cluster Management tab shows only for workspaces on the old Data Studio.
#[test]
fn the_cluster_tab_is_there_only_without_the_new_data_studio() {
    use crossterm::event::KeyCode;
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, "2/marketing");
    tui::key(&mut app, KeyCode::Enter);
    tui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.details.as_ref().unwrap().1.tabs.len(), 6);
    tui::key(&mut app, KeyCode::BackTab);
    let screen = tui::draw(&app, 160, 40);
    assert!(
        screen.contains("Cluster Management") && screen.contains("cdh_marketing"),
        "{screen}"
    );
    assert!(screen.contains("n register cluster"), "{screen}");
    // Out of the details, then the filter cleared.
    tui::key(&mut app, KeyCode::Esc);
    tui::key(&mut app, KeyCode::Esc);
    tui::keys(&mut app, "/finance");
    tui::key(&mut app, KeyCode::Enter);
    tui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.details.as_ref().unwrap().1.tabs.len(), 5);
    assert!(!tui::draw(&app, 160, 40).contains("Cluster Management"));
}

/// Export carries clusters (files by name only); apply brings them back.
#[test]
fn export_and_apply_carry_clusters() {
    let d = Dwc::demo();
    let first = d.run_as(None, "", &["export"]).stdout;
    assert!(
        first.contains("\"cdh_marketing\"") && first.contains("\"legacy_data_studio\": true"),
        "{first}"
    );
    let file = d.dir.path().join("t.json");
    std::fs::write(&file, &first).unwrap();
    let o = d.run_as(None, "", &["apply", "-f", file.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("No changes"), "{}", o.stdout);
    let o = d.run_as(
        None,
        "",
        &["cluster", "deregister", "marketing_dw", "cdh_marketing"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = d.run_as(None, "", &["apply", "-f", file.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("cluster cdh_marketing in marketing_dw"),
        "{}",
        o.stdout
    );
    assert_eq!(d.run_as(None, "", &["export"]).stdout, first, "as it was");
}
