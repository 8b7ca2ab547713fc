//! A CLI that explains itself: completions for four shells, a manual page, and unknown names
//! answered with the valid ones.

#[path = "common/cli.rs"]
mod cli;

use cli::Dwc;

#[test]
fn completions_and_the_manual_need_no_store() {
    let d = Dwc::fresh();
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

/// Every command's help ends with an example of it.
#[test]
fn every_command_ends_with_an_example() {
    use clap::CommandFactory;
    fn walk(c: &clap::Command, path: &str, missing: &mut Vec<String>) {
        let subs: Vec<_> = c
            .get_subcommands()
            .filter(|s| s.get_name() != "help")
            .collect();
        if subs.is_empty() {
            // The help ends with it.
            let after = c
                .get_after_help()
                .map(|s| s.to_string())
                .unwrap_or_default();
            if !after.contains("Example: dwc") {
                missing.push(path.to_owned());
            }
        }
        for s in subs {
            walk(s, &format!("{path} {}", s.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&dwc::cli::Cli::command(), "dwc", &mut missing);
    assert!(
        missing.is_empty(),
        "{} without an example:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

/// Every example in the help is a command line dwc accepts.
#[test]
fn every_example_parses() {
    use clap::{CommandFactory, Parser};
    fn examples(c: &clap::Command, out: &mut Vec<String>) {
        for text in [c.get_after_help()].into_iter().flatten() {
            for line in text.to_string().lines() {
                if let Some(ex) = line.trim().strip_prefix("Example: ") {
                    out.push(ex.to_owned());
                }
            }
        }
        for s in c.get_subcommands() {
            examples(s, out);
        }
    }
    /// Words as a shell splits them (double quotes only), up to a redirection or a pipe.
    fn words(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        let (mut word, mut quoted, mut any) = (String::new(), false, false);
        for c in line.chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    any = true;
                }
                ' ' if !quoted => {
                    if any || !word.is_empty() {
                        out.push(std::mem::take(&mut word));
                        any = false;
                    }
                }
                _ => word.push(c),
            }
        }
        if any || !word.is_empty() {
            out.push(word);
        }
        let end = out
            .iter()
            .position(|w| matches!(w.as_str(), ">" | "<" | "|" | "&&"))
            .unwrap_or(out.len());
        out.truncate(end);
        out
    }
    let mut all = Vec::new();
    examples(&dwc::cli::Cli::command(), &mut all);
    assert!(all.len() > 100, "{}", all.len());
    let bad: Vec<String> = all
        .iter()
        .filter_map(|ex| {
            dwc::cli::Cli::try_parse_from(words(ex))
                .err()
                .map(|e| format!("{ex}: {}", e.to_string().lines().next().unwrap_or_default()))
        })
        .collect();
    assert!(bad.is_empty(), "examples dwc refuses:\n{}", bad.join("\n"));
}
