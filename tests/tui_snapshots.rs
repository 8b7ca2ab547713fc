//! Every page, and the details of a workspace, as the account, a Development member (alice) and a
//! Visitor (dave) see them: what the console returns decides what is drawn.

#[path = "common/tui.rs"]
mod tui;

use crossterm::event::KeyCode;

#[test]
fn every_page_for_three_users() {
    for user in ["acme", "alice", "dave"] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = tui::app(&dir, Some(user));
        for (i, page) in [
            "overview",
            "workspaces",
            "resource_groups",
            "models",
            "images",
            "services",
            "management",
            "audit",
        ]
        .iter()
        .enumerate()
        {
            tui::keys(&mut app, &(i + 1).to_string());
            insta::assert_snapshot!(format!("{user}_{}_{page}", i + 1), tui::draw(&app, 120, 40));
        }
    }
}

#[test]
fn workspace_details_tabs() {
    for user in ["acme", "alice", "dave"] {
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
            insta::assert_snapshot!(
                format!("{user}_details_{i}_{tab}"),
                tui::draw(&app, 120, 40)
            );
            tui::key(&mut app, KeyCode::Tab);
        }
    }
}

#[test]
fn gates_and_small_terminals() {
    let dir = tempfile::tempdir().unwrap();
    let app = tui::app(&dir, None);
    insta::assert_snapshot!("demo_user_picker", tui::draw(&app, 80, 24));
    insta::assert_snapshot!("too_small", tui::draw(&app, 79, 23));
}

/// NO_COLOR: no cell keeps a colour, and the selected row and the current page still show, in
/// reverse video.
#[test]
fn no_color_shows_every_state_without_colour() {
    use ratatui::style::{Color, Modifier};
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui::app(&dir, Some("acme"));
    app.no_color = true;
    tui::keys(&mut app, "2");
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    t.draw(|f| dwc::tui::ui::draw(f, &app)).unwrap();
    let buf = t.backend().buffer().clone();
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "a colour was drawn"
    );
    let reversed_rows: Vec<u16> = (0..40)
        .filter(|&y| (0..120).any(|x| buf[(x, y)].modifier.contains(Modifier::REVERSED)))
        .collect();
    // The current page in the navigation and the selected row of the table.
    assert!(reversed_rows.len() >= 2, "{reversed_rows:?}");
    let text = tui::draw(&app, 120, 40);
    insta::assert_snapshot!("acme_2_workspaces_no_color", text);
}
