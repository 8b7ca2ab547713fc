//! A CLI that explains itself: completions for four shells, a manual page, and unknown names
//! answered with the valid ones.

#[path = "common/cli.rs"]
mod cli;

use cli::Dwc;

#[test]
fn completions_and_the_manual_need_no_store() {
    let d = Dwc {
        dir: tempfile::tempdir().unwrap(),
    };
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = d.run_as(None, "", &["completions", shell]);
        assert_eq!(o.code, 0, "{shell}: {}", o.stderr);
        assert!(
            o.stdout.contains("workspace") && o.stdout.contains("serve"),
            "{shell}"
        );
    }
    let o = d.run_as(None, "", &["man"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains(".TH dwc 1"),
        "{}",
        &o.stdout[..200.min(o.stdout.len())]
    );
    assert!(!d.dir.path().join("db").exists(), "no store was made");
}

#[test]
fn an_unknown_role_is_answered_with_the_valid_ones() {
    let d = Dwc::demo();
    let o = d.run_as(
        None,
        "",
        &[
            "member",
            "add",
            "finance_etl",
            "frank",
            "--role",
            "devloper",
        ],
    );
    assert_eq!(o.code, 4, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("built-in roles: workspace-manager, development")
            && o.stderr.contains("custom roles there: etl_reviewer"),
        "{}",
        o.stderr
    );
}

#[test]
fn without_a_terminal_the_console_says_what_to_do_instead() {
    let d = Dwc::demo();
    let o = d.run_as(None, "", &[]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(
        o.stderr.trim(),
        "dwc: the console needs a terminal; run a command (dwc --help)"
    );
    assert!(!o.stderr.contains("panicked"));
}

#[test]
fn the_audit_logs_first_column_says_it_holds_actions() {
    let d = Dwc::demo();
    d.run_as(None, "", &["workspace", "create", "audit_ws"]);
    let o = d.run_as(None, "", &["audit", "list", "--limit", "1"]);
    assert!(o.stdout.starts_with("ACTION "), "{}", o.stdout);
    // JSON keeps every list's `name`.
    let o = d.run_as(None, "", &["audit", "list", "--limit", "1", "-o", "json"]);
    assert_eq!(o.json()[0]["name"], "dataworks:CreateProject");
}

/// Every command, subcommand, argument and option says what it is for.
#[test]
fn every_command_and_argument_has_a_help_line() {
    use clap::CommandFactory;
    fn walk(c: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for a in c.get_arguments() {
            let id = a.get_id().as_str();
            if matches!(id, "help" | "version") || a.is_hide_set() {
                continue;
            }
            if a.get_help().is_none() && a.get_long_help().is_none() {
                missing.push(format!("{path} <{id}>"));
            }
        }
        for s in c.get_subcommands().filter(|s| s.get_name() != "help") {
            let p = format!("{path} {}", s.get_name());
            if s.get_about().is_none() && s.get_long_about().is_none() {
                missing.push(p.clone());
            }
            walk(s, &p, missing);
        }
    }
    let mut missing = Vec::new();
    walk(&dwc::cli::Cli::command(), "dwc", &mut missing);
    assert!(
        missing.is_empty(),
        "{} without help:\n{}",
        missing.len(),
        missing.join("\n")
    );
}
