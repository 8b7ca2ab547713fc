//! Every page and tab, the details of a workspace, and detail views, as the account, a
//! Development member (alice) and a Visitor (dave) see them, at 80×24 and 200×60: what the
//! console returns decides what is drawn.

#[path = "common/tui.rs"]
mod tui;

use crossterm::event::KeyCode;
use dwc::tui::pages::NAV;

const USERS: [&str; 3] = ["acme", "alice", "dave"];
const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

#[test]
fn every_page_and_tab_for_three_users_at_two_sizes() {
    for user in USERS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = tui::app(&dir, Some(user));
        for (i, entry) in NAV.iter().enumerate() {
            tui::keys(&mut app, &(i + 1).to_string());
            for tab in 0..entry.panes.len() {
                for (w, h) in SIZES {
                    app.size = (w, h);
                    insta::assert_snapshot!(
                        format!("{user}_{}_{}_{tab}_{w}x{h}", i + 1, entry.verb),
                        tui::draw(&app, w, h)
                    );
                }
                tui::key(&mut app, KeyCode::Tab);
            }
        }
    }
}

#[test]
fn workspace_details_tabs() {
    for user in USERS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = tui::app(&dir, Some(user));
        tui::keys(&mut app, "2");
        // finance_etl: every one of the three is a member.
        tui::keys(&mut app, "/finance");
        tui::key(&mut app, KeyCode::Enter);
        tui::key(&mut app, KeyCode::Enter);
        for (i, tab) in [
            "configuration",
            "data_sources",
            "compute",
            "resource_groups",
            "members_roles",
        ]
        .iter()
        .enumerate()
        {
            for (w, h) in SIZES {
                insta::assert_snapshot!(
                    format!("{user}_details_{i}_{tab}_{w}x{h}"),
                    tui::draw(&app, w, h)
                );
            }
            tui::key(&mut app, KeyCode::Tab);
        }
    }
}

/// Enter on a row opens its every field: a resource group, a data source, an audit event, an
/// image, a model, a purchase.
#[test]
fn detail_views() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    let shot = |app: &mut dwc::tui::App, name: &str| {
        tui::key(app, KeyCode::Enter);
        assert!(
            matches!(app.popup, Some(dwc::tui::app::Popup::Detail(..))),
            "{name}: no detail view"
        );
        for (w, h) in SIZES {
            insta::assert_snapshot!(format!("detail_{name}_{w}x{h}"), tui::draw(app, w, h));
        }
        tui::key(app, KeyCode::Esc);
    };
    tui::keys(&mut app, "3");
    shot(&mut app, "resource_group");
    tui::keys(&mut app, "4");
    shot(&mut app, "model");
    tui::keys(&mut app, "5G");
    shot(&mut app, "image");
    tui::keys(&mut app, "6");
    shot(&mut app, "purchase");
    tui::key(&mut app, KeyCode::Tab);
    shot(&mut app, "bill");
    // A change, so the audit log has an event to open.
    tui::keys(&mut app, "2nsnap_ws");
    tui::key(&mut app, KeyCode::Enter);
    tui::keys(&mut app, "8");
    shot(&mut app, "audit_event");
    tui::keys(&mut app, "9");
    tui::key(&mut app, KeyCode::Tab);
    shot(&mut app, "policy");
    tui::keys(&mut app, "2/finance");
    tui::key(&mut app, KeyCode::Enter);
    tui::key(&mut app, KeyCode::Enter);
    tui::key(&mut app, KeyCode::Tab);
    tui::keys(&mut app, "j");
    shot(&mut app, "data_source");
}

#[test]
fn gates_and_small_terminals() {
    let dir = tempfile::tempdir().unwrap();
    let app = tui::app(&dir, None);
    insta::assert_snapshot!("demo_user_picker", tui::draw(&app, 80, 24));
    insta::assert_snapshot!("too_small", tui::draw(&app, 79, 23));
}

/// NO_COLOR: no cell keeps a colour, and the selected row, the current page, the active tab,
/// the focused field and an error still show, in reverse video or bold.
#[test]
fn no_color_shows_every_state_without_colour() {
    use ratatui::style::{Color, Modifier};
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    app.no_color = true;
    let buffer = |app: &dwc::tui::App| {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        t.draw(|f| dwc::tui::ui::draw(f, app)).unwrap();
        t.backend().buffer().clone()
    };
    let reversed_rows = |buf: &ratatui::buffer::Buffer| -> Vec<u16> {
        (0..40)
            .filter(|&y| (0..120).any(|x| buf[(x, y)].modifier.contains(Modifier::REVERSED)))
            .collect()
    };
    tui::keys(&mut app, "7");
    let buf = buffer(&app);
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "a colour was drawn"
    );
    // The current page in the navigation, the active tab and the selected row.
    let rows = reversed_rows(&buf);
    assert!(rows.len() >= 3, "{rows:?}");
    insta::assert_snapshot!("acme_7_management_no_color", tui::draw(&app, 120, 40));
    // A form: the focused field's label is reversed; an error is bold.
    tui::keys(&mut app, "2n1");
    let buf = buffer(&app);
    let focused = (0..40).any(|y| {
        let line: String = (0..120).map(|x| buf[(x, y)].symbol().to_owned()).collect();
        line.contains("Name") && (0..120).any(|x| buf[(x, y)].modifier.contains(Modifier::REVERSED))
    });
    assert!(focused, "the focused field shows without colour");
    let error_bold = (0..40).any(|y| {
        (0..120)
            .any(|x| buf[(x, y)].symbol() == "✗" && buf[(x, y)].modifier.contains(Modifier::BOLD))
    });
    assert!(error_bold, "the field's error shows without colour");
}
