//! The terminal console does everything the CLI does: every CLI command that a person runs on
//! a tenant is a command or a page of the TUI, except a short list, each with its reason.

use std::collections::BTreeSet;

use clap::CommandFactory;
use dwc::tui::pages::{DETAILS, NAV, all_commands, all_panes};

/// CLI commands the console has no place for, and why.
const CLI_ONLY: &[(&str, &str)] = &[
    ("init", "creates a store; the console runs on one"),
    ("demo", "creates a demo store; the console runs on one"),
    ("serve", "serves the console; it is not a part of it"),
    ("completions", "a shell's completion script"),
    ("man", "the manual page"),
    (
        "store copy",
        "moves a whole store between backends, below any tenant; not a console operation",
    ),
    (
        "export",
        "writes the tenant to a file, which a served console cannot",
    ),
    (
        "apply",
        "reads a document from a file, which a served console cannot",
    ),
    (
        "cluster file add",
        "reads an authentication file (a binary keytab) from disk; a console takes typed text",
    ),
];

/// Every leaf command of the CLI as its words: `workspace create`, `user key add`.
fn leaves(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let path = if prefix.is_empty() {
            sub.get_name().to_owned()
        } else {
            format!("{prefix} {}", sub.get_name())
        };
        if sub.get_subcommands().any(|s| s.get_name() != "help") {
            leaves(sub, &path, out);
        } else {
            out.push(path);
        }
    }
}

fn cli_commands() -> Vec<String> {
    let mut out = Vec::new();
    leaves(&dwc::cli::Cli::command(), "", &mut out);
    out
}

#[test]
fn every_cli_command_has_its_place_in_the_console() {
    let tui: BTreeSet<&str> = all_commands()
        .flat_map(|c| c.cli.iter().copied())
        .chain(all_panes().flat_map(|p| p.shows().iter().copied()))
        .collect();
    let missing: Vec<String> = cli_commands()
        .into_iter()
        .filter(|c| !tui.contains(c.as_str()))
        .filter(|c| !CLI_ONLY.iter().any(|(o, _)| o == c))
        .collect();
    assert!(
        missing.is_empty(),
        "CLI commands without a TUI command or page (add one, or list it in CLI_ONLY with the reason): {missing:?}"
    );
}

#[test]
fn what_the_console_names_exists_in_the_cli() {
    let cli: BTreeSet<String> = cli_commands().into_iter().collect();
    for c in all_commands().flat_map(|c| c.cli.iter()) {
        assert!(
            cli.contains(*c),
            "a TUI command names {c:?}, which the CLI has not"
        );
    }
    for c in all_panes().flat_map(|p| p.shows().iter()) {
        assert!(
            cli.contains(*c),
            "a page names {c:?}, which the CLI has not"
        );
    }
    for (c, _) in CLI_ONLY {
        assert!(
            cli.contains(*c),
            "CLI_ONLY names {c:?}, which the CLI has not"
        );
    }
}

/// Within a pane, a key and a palette name mean one command; none takes a key the console
/// keeps for moving about.
#[test]
fn keys_are_unique_and_leave_the_fixed_keys_alone() {
    const FIXED: &[char] = &['j', 'k', 'g', 'G', 'q', 'o', 'O'];
    for pane in NAV
        .iter()
        .flat_map(|e| e.panes.iter())
        .chain(DETAILS.iter())
    {
        let cmds = pane.commands();
        let keys: BTreeSet<char> = cmds.iter().map(|c| c.key).collect();
        let names: BTreeSet<&str> = cmds.iter().map(|c| c.name).collect();
        assert_eq!(keys.len(), cmds.len(), "a key is bound twice: {cmds:?}");
        assert_eq!(names.len(), cmds.len(), "a name is used twice: {cmds:?}");
        for c in cmds {
            assert!(!FIXED.contains(&c.key), "{c:?} takes a fixed key");
            assert!(c.key.is_ascii_alphabetic(), "{c:?}: commands are letters");
            assert!(
                !NAV.iter().any(|e| e.verb == c.name),
                "{c:?} has a page's name"
            );
        }
    }
}
