//! Key sequences through the TUI's update loop, checked on the app's state and the drawn screen.

#[path = "common/tui.rs"]
mod tui;

use crossterm::event::KeyCode;
use dwc::tui::app::{Gate, Popup};

#[test]
fn navigate_open_back_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    assert_eq!(app.page, 0);
    tui::keys(&mut app, "2j");
    assert_eq!(app.view.selected_id().as_deref(), Some("finance_etl"));
    tui::key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.details.as_ref().map(|d| d.0.as_str()),
        Some("finance_etl")
    );
    tui::key(&mut app, KeyCode::Tab);
    assert_eq!(app.details.as_ref().unwrap().1.tab, 1);
    tui::key(&mut app, KeyCode::BackTab);
    tui::key(&mut app, KeyCode::BackTab);
    assert_eq!(app.details.as_ref().unwrap().1.tab, 4, "Shift-Tab wraps");
    tui::key(&mut app, KeyCode::Esc);
    assert!(app.details.is_none());
    tui::keys(&mut app, "G");
    assert_eq!(app.view.selected_id().as_deref(), Some("sandbox_ops"));
    tui::keys(&mut app, "g8");
    assert_eq!(app.page, 7);
    tui::keys(&mut app, "?");
    assert_eq!(app.popup, Some(Popup::Help));
    assert!(tui::draw(&app, 120, 40).contains("command palette"));
    tui::key(&mut app, KeyCode::Esc);
    tui::keys(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn filter_and_palette() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, "2/mark");
    tui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.view.table().visible(&app.view.filter).len(), 1);
    assert_eq!(app.view.selected_id().as_deref(), Some("marketing_dw"));
    tui::key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.view.table().visible(&app.view.filter).len(),
        5,
        "Esc clears the filter"
    );
    tui::keys(&mut app, ":regi");
    tui::key(&mut app, KeyCode::Tab);
    assert_eq!(
        app.palette.as_ref().unwrap().input.value(),
        "region cn-hangzhou",
        "Tab completes"
    );
    for _ in "hangzhou".chars() {
        tui::key(&mut app, KeyCode::Backspace);
    }
    tui::keys(&mut app, "shanghai");
    tui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.session.as_ref().unwrap().region, "cn-shanghai");
    assert_eq!(app.view.table().ids, ["sh_reporting", "sh_supply_chain"]);
    tui::keys(&mut app, ":nonsense");
    tui::key(&mut app, KeyCode::Enter);
    assert!(app.toast.as_deref().unwrap().contains("unknown command"));
}

#[test]
fn refused_actions_explain_themselves_and_are_not_hinted() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("alice"));
    tui::keys(&mut app, "2");
    assert!(
        !tui::draw(&app, 120, 40).contains("new workspace"),
        "alice may not create workspaces: no hint"
    );
    tui::keys(&mut app, "n");
    match &app.popup {
        Some(Popup::Explain(title, lines)) => {
            assert_eq!(title, "Not allowed: dataworks:CreateProject");
            assert_eq!(
                lines[0],
                "implicit deny: alice has no policy that allows dataworks:CreateProject"
            );
        }
        other => panic!("expected an explanation, got {other:?}"),
    }
    assert!(app.form.is_none());
    let dir = tempfile::tempdir().unwrap();
    let acme = tui::app(&dir, Some("acme"));
    let mut acme = acme;
    tui::keys(&mut acme, "2");
    assert!(tui::draw(&acme, 120, 40).contains("n new workspace"));
}

#[test]
fn a_page_scope_deny_explains_the_empty_console() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("quinn"));
    let overview = tui::draw(&app, 120, 40);
    assert!(
        overview.contains("explicit deny: policy no-console, Statement[0]"),
        "{overview}"
    );
    tui::keys(&mut app, "2");
    let err = app.view.table().error.clone().unwrap();
    assert_eq!(err[1], "explicit deny: policy no-console, Statement[0]");
    tui::key(&mut app, KeyCode::Enter);
    assert!(matches!(app.popup, Some(Popup::Explain(_, _))));
}

#[test]
fn forms_validate_inline_and_esc_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, "2n1bad");
    let form = app.form.as_ref().unwrap();
    assert!(
        form.fields[0]
            .error
            .as_deref()
            .unwrap()
            .starts_with("must start with a letter")
    );
    assert!(tui::draw(&app, 120, 40).contains("✗ must start with a letter"));
    tui::key(&mut app, KeyCode::Enter);
    assert!(app.form.is_some(), "an invalid form is not submitted");
    tui::key(&mut app, KeyCode::Esc);
    assert!(app.form.is_none());
    assert_eq!(app.view.table().ids.len(), 5, "nothing was created");
    // A conflict from the console lands on the form.
    tui::keys(&mut app, "nfinance_etl");
    tui::key(&mut app, KeyCode::Enter);
    let form = app.form.as_ref().expect("the form stays open");
    assert!(
        form.error.as_deref().unwrap().contains("already exists"),
        "{:?}",
        form.error
    );
    tui::key(&mut app, KeyCode::Esc);
    tui::keys(&mut app, "nnew_ws");
    tui::key(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    assert!(app.view.table().ids.contains(&"new_ws".to_owned()));
}

#[test]
fn deleting_needs_the_typed_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, "2G");
    assert_eq!(app.view.selected_id().as_deref(), Some("sandbox_ops"));
    tui::keys(&mut app, "dsandbox");
    tui::key(&mut app, KeyCode::Enter);
    assert!(app.confirm.is_some(), "a partial name does not confirm");
    tui::keys(&mut app, "_ops");
    tui::key(&mut app, KeyCode::Enter);
    assert!(app.confirm.is_none());
    assert!(!app.view.table().ids.contains(&"sandbox_ops".to_owned()));
    assert!(app.toast.as_deref().unwrap().contains("recycle bin"));
}

#[test]
fn demo_picker_and_user_switch() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, None);
    assert!(matches!(app.gate, Some(Gate::Picker { .. })));
    tui::keys(&mut app, "j");
    tui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.session.as_ref().unwrap().who(), "alice");
    tui::keys(&mut app, ":user dave");
    tui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.session.as_ref().unwrap().who(), "dave");
    assert!(tui::draw(&app, 120, 40).contains("│ dave"));
}

#[test]
fn a_wrong_password_never_opens_the_console() {
    let dir = tempfile::tempdir().unwrap();
    let console = tui::password_console(&dir, dwc::domain::Edition::Basic, "right-password");
    let mut app = dwc::tui::App::new(console, None);
    tui::key(&mut app, KeyCode::Enter);
    tui::keys(&mut app, "wrong-password");
    tui::key(&mut app, KeyCode::Enter);
    assert!(app.session.is_none());
    let screen = tui::draw(&app, 100, 30);
    assert!(screen.contains("log-on failed"), "{screen}");
    assert!(!screen.contains("wrong-password"), "the password is masked");
    tui::key(&mut app, KeyCode::Tab);
    tui::key(&mut app, KeyCode::Tab);
    tui::keys(&mut app, "right-password");
    tui::key(&mut app, KeyCode::Enter);
    assert!(
        app.session
            .as_ref()
            .is_some_and(|s| s.principal.is_account())
    );
}

#[test]
fn the_palette_offers_only_allowed_actions() {
    use dwc::tui::app::palette_commands;
    let dir = tempfile::tempdir().unwrap();
    let mut alice = tui::app(&dir, Some("alice"));
    tui::keys(&mut alice, "2");
    assert!(!palette_commands(&alice.offers).contains(&"new".to_owned()));
    let dir = tempfile::tempdir().unwrap();
    let mut acme = tui::app(&dir, Some("acme"));
    tui::keys(&mut acme, "2");
    let cmds = palette_commands(&acme.offers);
    assert!(cmds.contains(&"new".to_owned()) && cmds.contains(&"delete".to_owned()));
    tui::keys(&mut acme, ":new");
    tui::key(&mut acme, KeyCode::Enter);
    assert_eq!(
        acme.form.as_ref().map(|f| f.title.as_str()),
        Some("New workspace")
    );
}

#[test]
fn overview_lists_the_workspaces_opened_most_and_follows_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, clock) = tui::app_with_clock(&dir, Some("acme"));
    let screen = tui::draw(&app, 120, 40);
    assert!(screen.contains("None opened yet"), "{screen}");
    // marketing_dw twice, then finance_etl once: most-opened first, checklist on the last.
    for keys in ["2jj", "2j", "2jj"] {
        tui::keys(&mut app, keys);
        let want = if keys == "2j" {
            "finance_etl"
        } else {
            "marketing_dw"
        };
        assert_eq!(app.view.selected_id().as_deref(), Some(want));
        tui::key(&mut app, KeyCode::Enter);
        tui::key(&mut app, KeyCode::Esc);
        tui::keys(&mut app, "gg");
        clock.advance(chrono::Duration::minutes(5));
    }
    tui::keys(&mut app, "1");
    let o = app.view.overview.clone().expect("the Overview is loaded");
    assert_eq!(o.frequent.len(), 2, "{:?}", o.frequent);
    assert!(o.frequent[0].starts_with("marketing_dw") && o.frequent[0].ends_with("opened 2×"));
    assert!(o.frequent[1].starts_with("finance_etl") && o.frequent[1].ends_with("opened 1×"));
    assert_eq!(o.checklist_for.as_deref(), Some("marketing_dw"));
    assert!(tui::draw(&app, 120, 40).contains("Getting started: marketing_dw"));
}

#[test]
fn a_connectivity_test_from_the_data_sources_tab() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    // A ClickHouse source on a local port that listens: the TCP steps reach it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let s = app.session.clone().unwrap();
    let mut conn = dwc::domain::datasource::ConnectionInput::default();
    let ty = dwc::domain::datasource::DataSourceType::ClickHouse;
    for (k, v) in [
        ("host", "127.0.0.1"),
        ("port", &port),
        ("database", "x"),
        ("username", "u"),
        ("password", "p"),
    ] {
        conn.set(ty, k, v.into()).unwrap();
    }
    app.console
        .create_data_source(
            &s,
            "finance_etl",
            dwc::console::DataSourceInput {
                name: "aaa_local".into(),
                kind: ty,
                env: dwc::domain::Env::Dev,
                description: String::new(),
                connection: conn,
            },
        )
        .unwrap();
    tui::keys(&mut app, "2j");
    tui::key(&mut app, KeyCode::Enter);
    tui::key(&mut app, KeyCode::Tab);
    assert_eq!(
        app.current_ref().selected_id().as_deref(),
        Some("aaa_local")
    );
    assert!(tui::draw(&app, 120, 40).contains("t test connectivity"));
    tui::keys(&mut app, "t");
    let screen = tui::draw(&app, 120, 40);
    assert!(
        screen.contains("Test connectivity of aaa_local"),
        "{screen}"
    );
    assert!(
        screen.contains("rg_etl_hz"),
        "the form starts with a usable group:\n{screen}"
    );
    tui::key(&mut app, KeyCode::Enter);
    match &app.popup {
        Some(Popup::Explain(title, steps)) => {
            assert_eq!(title, "aaa_local from rg_etl_hz: Connectable");
            assert!(steps.iter().any(|s| s.contains("connected")), "{steps:?}");
        }
        other => panic!("no result popup: {other:?}"),
    }
    tui::key(&mut app, KeyCode::Esc);
    let screen = tui::draw(&app, 200, 40);
    assert!(screen.contains("rg_etl_hz: Connectable"), "{screen}");
}

#[test]
fn a_test_alert_from_the_management_center() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, "7");
    assert!(tui::draw(&app, 120, 40).contains("s send test alert"));
    tui::keys(&mut app, "s");
    assert!(tui::draw(&app, 120, 40).contains("Send a test alert"));
    // The channel is a picker: typing is refused beside the field, ←/→ choose, and nothing
    // is sent until Enter.
    tui::keys(&mut app, "fax");
    assert!(app.form.is_some());
    assert!(tui::draw(&app, 120, 40).contains("choose with ←/→: sms, phone, email, webhook"));
    tui::key(&mut app, KeyCode::Right);
    assert_eq!(app.form.as_ref().unwrap().get("channel"), "phone");
    tui::key(&mut app, KeyCode::Left);
    assert_eq!(app.form.as_ref().unwrap().get("channel"), "sms");
    tui::key(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    let toast = app.toast.clone().unwrap_or_default();
    assert!(
        toast.starts_with("test alert:") && toast.ends_with("sent"),
        "{toast}"
    );
    // Usage counts one per contact with a phone (the demo has two), and the outbox (the last
    // tab) lists them.
    assert_eq!(toast, "test alert: 2 sent");
    let screen = tui::draw(&app, 120, 40);
    assert!(
        screen
            .lines()
            .any(|l| l.contains("sms      200            2")),
        "{screen}"
    );
    for _ in 0..5 {
        tui::key(&mut app, KeyCode::Tab);
    }
    let screen = tui::draw(&app, 160, 40);
    assert!(
        screen.contains("Alert outbox") && screen.contains("recorded"),
        "{screen}"
    );
}

#[test]
fn my_access_and_access_of_member() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("alice"));
    app.run_command("access");
    let panel = app.access.as_ref().expect("the access panel opens");
    assert_eq!(panel.user, "alice");
    let screen = tui::draw(&app, 120, 40);
    assert!(screen.contains("Access of alice"), "{screen}");
    assert!(screen.contains("finance_etl   RW"), "{screen}");
    // The selected row's trace is shown beneath; Tab reaches the console actions.
    assert!(
        screen.contains("allowed by role Development in"),
        "{screen}"
    );
    // h/l pick a cell of the row; Enter shows that cell's trace in a window of its own.
    assert!(screen.contains("Why: "), "{screen}");
    tui::keys(&mut app, "ll");
    let screen = tui::draw(&app, 120, 40);
    assert!(screen.contains("· Operation Center: "), "{screen}");
    tui::key(&mut app, KeyCode::Enter);
    match &app.popup {
        Some(Popup::Explain(title, lines)) => {
            assert!(
                title.starts_with("Why ") && title.contains("Operation Center"),
                "{title}"
            );
            assert!(!lines.is_empty());
        }
        other => panic!("no trace window: {}", other.is_some()),
    }
    tui::key(&mut app, KeyCode::Esc);
    assert!(
        app.popup.is_none() && app.access.is_some(),
        "Esc closes the window only"
    );
    tui::keys(&mut app, "hhhhh");
    assert!(tui::draw(&app, 120, 40).contains("· Data Studio: "));
    tui::key(&mut app, KeyCode::Tab);
    tui::key(&mut app, KeyCode::Tab);
    let screen = tui::draw(&app, 120, 40);
    assert!(
        screen.contains("dataworks:CreateProject          denied"),
        "{screen}"
    );
    tui::key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&app.popup, Some(Popup::Explain(t, _)) if t.contains(": denied")),
        "a row of the actions tab explains itself on Enter"
    );
    tui::key(&mut app, KeyCode::Esc);
    tui::key(&mut app, KeyCode::Esc);
    assert!(app.access.is_none());
    // Alice may not look at Bob's access.
    app.run_command("access bob");
    assert!(app.access.is_none());
    assert!(matches!(&app.popup, Some(Popup::Explain(t, _)) if t.contains("dwc:ExplainAccess")));

    // A Workspace Manager sees a member's access from the Members tab, in the workspaces they
    // manage; a Visitor is not offered it.
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("wang_admin"));
    tui::keys(&mut app, "2");
    tui::key(&mut app, KeyCode::Enter);
    for _ in 0..4 {
        tui::key(&mut app, KeyCode::Tab);
    }
    tui::keys(&mut app, "j");
    assert_eq!(app.current_ref().selected_id().as_deref(), Some("alice"));
    tui::keys(&mut app, "v");
    let panel = app.access.as_ref().expect("the member's access opens");
    assert_eq!(panel.user, "alice");
    assert!(panel.view.tabs.len() == 1, "a manager sees workspaces only");
    let names: Vec<&str> = panel.view.tabs[0].ids.iter().map(String::as_str).collect();
    assert!(!names.contains(&"default_ws"), "{names:?}");

    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("dave"));
    tui::keys(&mut app, "2");
    tui::key(&mut app, KeyCode::Enter);
    for _ in 0..4 {
        tui::key(&mut app, KeyCode::Tab);
    }
    tui::keys(&mut app, "j");
    assert!(!tui::draw(&app, 120, 40).contains("access of member"));
}

/// Bracketed paste: text goes into the field as text, a line break is refused at the field, and
/// a paste with nothing to type into never acts as keys.
#[test]
fn a_paste_is_text_never_keys() {
    use crossterm::event::Event;
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, "2");
    let before = app.view.table().ids.clone();
    // On the list, a pasted "x" (disable) or "d" (delete) does nothing.
    app.handle_event(&Event::Paste("xd\n".into()));
    assert!(app.confirm.is_none() && app.form.is_none());
    assert_eq!(app.view.table().ids, before);
    assert!(
        app.toast
            .as_deref()
            .unwrap()
            .contains("nothing here takes text")
    );
    // In a form: one line pastes (its trailing newline dropped), two lines are refused.
    tui::keys(&mut app, "n");
    app.handle_event(&Event::Paste("pasted_ws\n".into()));
    assert_eq!(app.form.as_ref().unwrap().get("name"), "pasted_ws");
    app.handle_event(&Event::Paste("more\nlines".into()));
    let form = app.form.as_ref().unwrap();
    assert_eq!(
        form.get("name"),
        "pasted_ws",
        "nothing of a refused paste is kept"
    );
    assert!(
        form.fields[0]
            .error
            .as_deref()
            .unwrap()
            .contains("line breaks")
    );
    assert!(app.form.is_some(), "a pasted newline does not submit");
    tui::key(&mut app, KeyCode::Esc);
    // The filter takes a paste too.
    tui::keys(&mut app, "/");
    app.handle_event(&Event::Paste("finance".into()));
    assert_eq!(app.filter_text(), "finance");
}

/// The wrong-row disable: after `x` on one workspace the selection stays on it, so a second
/// `x` acts on the same workspace (enabling it back is refused to `x`), never on the first row.
#[test]
fn an_action_keeps_the_selection_on_its_item() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, "2G");
    let target = app.view.selected_id();
    assert_eq!(target.as_deref(), Some("sandbox_ops"));
    tui::keys(&mut app, "x");
    assert_eq!(
        app.view.selected_id(),
        target,
        "the selection stays on the item"
    );
}

/// A one-time password (a restored user) is replaced at the log-on screen: the right one-time
/// password asks for a new one, and the new one opens the console and stays.
#[test]
fn a_one_time_password_is_replaced_at_log_on() {
    let dir = tempfile::tempdir().unwrap();
    let console = tui::password_console(&dir, dwc::domain::Edition::Basic, "account-pass");
    let acme = console
        .authenticate(
            None,
            Some("account-pass"),
            dwc::domain::Scope::OpenAPI,
            "cn-hangzhou",
        )
        .unwrap();
    console
        .create_user_one_time(&acme, "alice", "Alice", "one-time-pass")
        .unwrap();
    let console = std::sync::Arc::new(console);
    let mut app = dwc::tui::App::new(console.clone(), None);
    tui::keys(&mut app, "alice");
    tui::key(&mut app, KeyCode::Enter);
    tui::keys(&mut app, "one-time-pass");
    tui::key(&mut app, KeyCode::Enter);
    assert!(app.session.is_none());
    let screen = tui::draw(&app, 100, 30);
    assert!(
        screen.contains("your password is one-time") && screen.contains("New pass"),
        "{screen}"
    );
    tui::keys(&mut app, "alice-own-pass");
    tui::key(&mut app, KeyCode::Enter);
    assert!(app.session.is_some(), "{}", tui::draw(&app, 100, 30));
    // The new one is hers now; the one-time one is gone.
    assert!(
        console
            .authenticate(
                Some("alice"),
                Some("alice-own-pass"),
                dwc::domain::Scope::Page,
                "cn-hangzhou"
            )
            .is_ok()
    );
    assert!(
        console
            .authenticate(
                Some("alice"),
                Some("one-time-pass"),
                dwc::domain::Scope::Page,
                "cn-hangzhou"
            )
            .is_err()
    );
}

/// Every command of every page, tab and workspace-details tab, as the account: its key opens a
/// form, a question, a window or says what it did, and Esc leaves the console usable.
#[test]
fn every_command_answers_its_key() {
    use dwc::tui::pages::NAV;
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    let mut tried = 0;
    let mut visit = |app: &mut dwc::tui::App, place: &str| {
        let keys: Vec<char> = app
            .offers
            .iter()
            .filter(|o| o.verdict.allowed)
            .map(|o| o.key)
            .collect();
        for k in keys {
            let before = (app.page, app.current_ref().tab);
            app.toast = None;
            tui::keys(app, &k.to_string());
            let answered = app.form.is_some()
                || app.confirm.is_some()
                || app.popup.is_some()
                || app.access.is_some()
                || app.toast.is_some()
                || app.details.is_some();
            assert!(answered, "{place}: key {k} did nothing");
            // Out of whatever it opened, back where we were.
            for _ in 0..3 {
                if app.form.is_some()
                    || app.confirm.is_some()
                    || app.popup.is_some()
                    || app.access.is_some()
                {
                    tui::key(app, KeyCode::Esc);
                }
            }
            assert_eq!(
                (app.page, app.current_ref().tab),
                before,
                "{place}: key {k} moved away"
            );
            tried += 1;
        }
    };
    for (i, entry) in NAV.iter().enumerate() {
        tui::keys(&mut app, &(i + 1).to_string());
        for tab in 0..entry.panes.len() {
            visit(&mut app, &format!("{} tab {tab}", entry.title));
            tui::key(&mut app, KeyCode::Tab);
        }
    }
    tui::keys(&mut app, "2/finance");
    tui::key(&mut app, KeyCode::Enter);
    tui::key(&mut app, KeyCode::Enter);
    for tab in 0..5 {
        // The members tab's first rows are members; a command on them, then on a role.
        visit(&mut app, &format!("finance_etl tab {tab}"));
        tui::key(&mut app, KeyCode::Tab);
    }
    assert!(tried > 50, "only {tried} commands tried");
}

/// A disabled workspace is enabled with its own key, offered only on it; disabling asks first.
#[test]
fn enable_and_disable_a_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, "2/risk");
    tui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.view.selected_id().as_deref(), Some("risk_ctrl"));
    let screen = tui::draw(&app, 120, 40);
    assert!(
        screen.contains("E enable") && !screen.contains("x disable"),
        "{screen}"
    );
    tui::keys(&mut app, "E");
    assert_eq!(app.toast.as_deref(), Some("enabled risk_ctrl"));
    tui::key(&mut app, KeyCode::Down);
    let screen = tui::draw(&app, 120, 40);
    assert!(screen.contains("x disable"), "{screen}");
    // x asks; n keeps it as it is; y disables.
    tui::keys(&mut app, "x");
    assert!(app.confirm.is_some());
    assert!(tui::draw(&app, 120, 40).contains("Disable risk_ctrl?"));
    tui::keys(&mut app, "n");
    assert!(app.confirm.is_none());
    assert!(
        app.view
            .table()
            .row_cells(app.view.selected_row().unwrap())
            .contains(&"Normal".to_owned())
    );
    tui::keys(&mut app, "xy");
    assert_eq!(app.view.selected_id().as_deref(), Some("risk_ctrl"));
    assert!(
        app.toast
            .as_deref()
            .unwrap()
            .starts_with("disabled risk_ctrl")
    );
    assert!(
        app.view
            .table()
            .row_cells(app.view.selected_row().unwrap())
            .contains(&"Disabled".to_owned())
    );
}

/// Roles are granted and revoked from a picker of the valid ones.
#[test]
fn grant_and_revoke_a_role_from_a_picker() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, "2/finance");
    tui::key(&mut app, KeyCode::Enter);
    tui::key(&mut app, KeyCode::Enter);
    for _ in 0..4 {
        tui::key(&mut app, KeyCode::Tab);
    }
    tui::keys(&mut app, "/bob");
    tui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.current_ref().selected_id().as_deref(), Some("bob"));
    tui::keys(&mut app, "r");
    let form = app.form.as_ref().expect("a picker of roles");
    let choices = form.fields[0].choices.clone();
    assert!(!choices.is_empty(), "roles frank does not hold");
    // Typing is not how a picker is used.
    tui::keys(&mut app, "z");
    assert!(app.form.as_ref().unwrap().fields[0].error.is_some());
    let role = choices.last().unwrap().clone();
    tui::key(&mut app, KeyCode::Left);
    assert_eq!(app.form.as_ref().unwrap().get("role"), role);
    tui::key(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.toast);
    assert!(
        app.toast.as_deref().unwrap().starts_with("granted"),
        "{:?}",
        app.toast
    );
    tui::keys(&mut app, "R");
    let held = app.form.as_ref().unwrap().fields[0].choices.clone();
    assert!(held.contains(&role), "{held:?}");
    tui::key(&mut app, KeyCode::Esc);
}

/// A data source's fields follow its type: the default port changes with it, a typed host stays.
#[test]
fn a_data_source_form_follows_its_type() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, "2/finance");
    tui::key(&mut app, KeyCode::Enter);
    tui::key(&mut app, KeyCode::Enter);
    tui::key(&mut app, KeyCode::Tab);
    tui::keys(&mut app, "n");
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.get("type"), "mysql");
    assert_eq!(form.get("port"), "3306");
    tui::key(&mut app, KeyCode::Tab);
    tui::key(&mut app, KeyCode::Tab);
    tui::keys(&mut app, "db.internal");
    tui::key(&mut app, KeyCode::BackTab);
    tui::key(&mut app, KeyCode::Right);
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.get("type"), "postgresql");
    assert_eq!(form.get("port"), "5432");
    assert_eq!(form.get("host"), "db.internal");
    // An object store has no host or port at all.
    while app.form.as_ref().unwrap().get("type") != "oss" {
        tui::key(&mut app, KeyCode::Right);
    }
    let form = app.form.as_ref().unwrap();
    assert!(form.fields.iter().any(|f| f.name == "bucket"));
    assert!(!form.fields.iter().any(|f| f.name == "port"));
    assert_eq!(form.fields.last().unwrap().name, "env");
}

/// A policy made in the console: its name in a form, its document in the editor (typed and
/// pasted, several lines); a refused document stays in the editor with the console's reason.
#[test]
fn a_policy_written_in_the_editor() {
    use crossterm::event::{Event, KeyEvent, KeyModifiers};
    let ctrl_s = Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, "9");
    tui::key(&mut app, KeyCode::Tab);
    tui::keys(&mut app, "n");
    tui::keys(&mut app, "ReadProjects");
    tui::key(&mut app, KeyCode::Enter);
    let e = app
        .editor
        .as_mut()
        .expect("the document opens in the editor");
    assert!(
        e.text().contains("\"Statement\""),
        "it starts from a template"
    );
    assert!(tui::draw(&app, 120, 40).contains("Document of ReadProjects (Ctrl-S save"));
    // Emptied, then a broken document: refused where it is written.
    let e = app.editor.as_mut().unwrap();
    e.area.select_all();
    e.area.cut();
    tui::keys(&mut app, "{oops");
    app.handle_event(&ctrl_s);
    let e = app
        .editor
        .as_ref()
        .expect("a refused document stays in the editor");
    assert!(e.error.is_some(), "the console's reason shows");
    let e = app.editor.as_mut().unwrap();
    e.area.select_all();
    e.area.cut();
    app.handle_event(&Event::Paste(
        "{\r\n  \"Version\": \"1\",\r\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"dataworks:ListProjects\", \"Resource\": \"*\"}]\r\n}\r\n".into(),
    ));
    assert_eq!(app.editor.as_ref().unwrap().area.lines().len(), 5);
    app.handle_event(&ctrl_s);
    assert!(
        app.editor.is_none(),
        "{:?}",
        app.editor.as_ref().map(|e| e.error.clone())
    );
    assert_eq!(app.toast.as_deref(), Some("created policy ReadProjects"));
    app.current().select_id("ReadProjects");
    app.refresh_offers();
    tui::key(&mut app, KeyCode::Enter);
    let screen = tui::draw(&app, 120, 40);
    assert!(screen.contains("dataworks:ListProjects"), "{screen}");
    tui::key(&mut app, KeyCode::Esc);
    // Editing makes a new default version; Esc leaves unsaved.
    tui::keys(&mut app, "V");
    assert!(app.editor.is_some());
    tui::key(&mut app, KeyCode::Esc);
    assert!(app.editor.is_none());
    assert_eq!(
        app.toast.as_deref(),
        Some("left the editor; nothing was saved")
    );
}

/// `o` sorts by the next column, `O` reverses, and the selection stays on its item.
#[test]
fn sorting_keeps_the_selected_item() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, "2j");
    let id = app.view.selected_id();
    tui::keys(&mut app, "O");
    assert_eq!(app.view.table().sort, Some((0, true)));
    assert_eq!(app.view.selected_id(), id);
    assert_eq!(
        app.view.table().ids[app.view.table().visible("").get(0).unwrap()],
        "sandbox_ops"
    );
    assert!(tui::draw(&app, 120, 40).contains("by Name ▼"));
    tui::keys(&mut app, "g");
    assert_eq!(app.view.selected_id().as_deref(), Some("sandbox_ops"));
}

/// A click selects a row, a second opens it; the navigation takes clicks; the wheel scrolls.
#[test]
fn the_mouse_selects_opens_and_scrolls() {
    use crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    app.size = (120, 40);
    let click = |app: &mut dwc::tui::App, column, row| {
        app.handle_event(&Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }))
    };
    // The navigation's second line is Workspaces.
    click(&mut app, 3, 2);
    assert_eq!(app.page, 1);
    // The table's rows start under the border, the tab line and the header.
    click(&mut app, 40, 6);
    assert_eq!(app.view.table().selected, 2);
    click(&mut app, 40, 6);
    assert!(app.details.is_some(), "a second click opens");
    tui::key(&mut app, KeyCode::Esc);
    app.handle_event(&Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 40,
        row: 6,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.view.table().selected, 4);
}

/// The palette suggests as you type, Tab takes the best, and ↑ brings back the last command.
#[test]
fn the_palette_suggests_and_remembers() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, ":rgrp");
    let p = app.palette.as_ref().unwrap();
    assert_eq!(
        p.suggestions.first().map(String::as_str),
        Some("resource-groups")
    );
    assert!(tui::draw(&app, 120, 40).contains("resource-groups"));
    tui::key(&mut app, KeyCode::Tab);
    tui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.page, 2);
    tui::keys(&mut app, ":");
    tui::key(&mut app, KeyCode::Up);
    assert_eq!(
        app.palette.as_ref().unwrap().input.value(),
        "resource-groups"
    );
    tui::key(&mut app, KeyCode::Esc);
    // ? lists the page's commands and the palette's own.
    tui::keys(&mut app, "?");
    let help = tui::draw(&app, 120, 50);
    assert!(
        help.contains(":scale") && help.contains(":access") && help.contains(":can"),
        "{help}"
    );
}

/// The Overview's workspaces are rows: Enter opens one.
#[test]
fn overview_entries_open_their_target() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    let first = app
        .view
        .selected_id()
        .expect("the Overview lists workspaces");
    tui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.details.as_ref().map(|d| d.0.clone()), Some(first));
}

/// A filter keeps the selected item selected while it still shows.
#[test]
fn a_filter_keeps_the_selection_on_its_item() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    tui::keys(&mut app, "2jjj");
    let id = app.view.selected_id();
    assert_eq!(id.as_deref(), Some("risk_ctrl"));
    tui::keys(&mut app, "/r");
    assert_eq!(app.view.selected_id(), id);
    tui::key(&mut app, KeyCode::Enter);
    tui::key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.view.selected_id(),
        id,
        "clearing the filter keeps it too"
    );
    assert!(tui::draw(&app, 120, 40).contains("4/5"));
}

/// The settings file's keys act and show in the hints and the help; its theme recolours.
#[test]
fn settings_give_keys_and_a_theme() {
    use dwc::tui::settings::{Settings, Theme};
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    app.settings =
        Settings::parse("theme = \"light\"\n[keys]\nquit = \"Q\"\nnew = \"N\"\n").unwrap();
    assert_eq!(app.settings.theme, Theme::Light);
    tui::keys(&mut app, "2");
    assert!(tui::draw(&app, 120, 40).contains("N new workspace"));
    tui::keys(&mut app, "N");
    assert_eq!(
        app.form.as_ref().map(|f| f.title.as_str()),
        Some("New workspace")
    );
    tui::key(&mut app, KeyCode::Esc);
    tui::keys(&mut app, "?");
    let help = tui::draw(&app, 120, 60);
    assert!(
        help.contains("Q, q") && help.contains("Theme light"),
        "{help}"
    );
    tui::key(&mut app, KeyCode::Esc);
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    t.draw(|f| dwc::tui::ui::draw(f, &app)).unwrap();
    assert!(
        t.backend()
            .buffer()
            .content
            .iter()
            .all(|c| c.fg != ratatui::style::Color::Cyan),
        "the light theme has no cyan"
    );
    tui::keys(&mut app, "Q");
    assert!(app.quit);
}

/// A user with MFA types the authenticator's code at the log-on screen after the password.
#[test]
fn mfa_at_the_log_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let clock = tui::clock();
    let console = tui::password_console(&dir, dwc::domain::Edition::Enterprise, "acme-password");
    let acme = console
        .authenticate(
            None,
            Some("acme-password"),
            dwc::domain::Scope::OpenAPI,
            "cn-hangzhou",
        )
        .unwrap();
    console
        .create_user(&acme, "alice", "", Some("alice-password"))
        .unwrap();
    let e = console.mfa_enable(&acme, "alice").unwrap();
    let now = dwc::console::Clock::now(&clock);
    console
        .mfa_confirm(
            &acme,
            "alice",
            &dwc::console::mfa::code_at(&e.secret, now).unwrap(),
        )
        .unwrap();
    let mut app = dwc::tui::App::new(console, None);
    tui::keys(&mut app, "alice");
    tui::key(&mut app, KeyCode::Enter);
    tui::keys(&mut app, "alice-password");
    tui::key(&mut app, KeyCode::Enter);
    assert!(app.session.is_none());
    let screen = tui::draw(&app, 100, 30);
    assert!(
        screen.contains("MFA code") && screen.contains("authenticator"),
        "{screen}"
    );
    let code = dwc::console::mfa::code_at(&e.secret, now + chrono::Duration::seconds(30)).unwrap();
    tui::keys(&mut app, &code);
    tui::key(&mut app, KeyCode::Enter);
    let s = app.session.as_ref().expect("the code opens the console");
    assert!(s.origin.mfa, "acs:MFAPresent is true for this session");
}
