//! Drawing: a pure function of the app's state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Tabs, Wrap};

use super::app::{App, Gate, Popup};
use super::keymap::BINDINGS;
use super::pages::NAV;
use super::view::{Table, View};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

const ACCENT: Color = Color::Cyan;

pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "terminal too small: {}×{} (dwc needs at least {MIN_WIDTH}×{MIN_HEIGHT})\nresize it, or press q to quit",
            area.width, area.height
        );
        f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    let a = areas(app, area);
    draw_header(f, app, a.header);
    draw_jobs(f, app, a.jobs);
    match &app.gate {
        Some(gate) => draw_gate(f, app, gate, a.body),
        None => {
            draw_nav(f, app, a.nav);
            draw_content(f, app, a.content);
        }
    }
    draw_footer(f, app, a.footer);
    if let Some(p) = &app.palette {
        draw_suggestions(f, p, a.footer);
    }
    if let Some(form) = &app.form {
        draw_form(f, area, form);
    }
    if let Some(c) = &app.confirm {
        draw_confirm(f, area, c);
    }
    if let Some(e) = &app.editor {
        draw_editor(f, area, e);
    }
    if let Some(panel) = &app.access {
        draw_access(f, panel, area);
    }
    match &app.popup {
        Some(Popup::Help) => draw_help(f, app, area),
        Some(Popup::Explain(title, lines)) => draw_explain(f, area, title, lines),
        Some(Popup::Detail(d, scroll)) => draw_detail(f, area, d, *scroll),
        None => {}
    }
    if app.no_color {
        without_colour(f.buffer_mut());
    } else {
        app.settings.theme.apply(f.buffer_mut());
    }
}

/// Where the parts of the screen are; drawing and the mouse agree on it.
struct Areas {
    header: Rect,
    body: Rect,
    jobs: Rect,
    footer: Rect,
    nav: Rect,
    content: Rect,
}

fn areas(app: &App, area: Rect) -> Areas {
    let jobs_height = u16::from(
        (!app.jobs.is_empty() || app.testing.is_some() || app.sending_alerts > 0)
            && app.gate.is_none(),
    );
    let [header, body, jobs, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(jobs_height),
        Constraint::Length(1),
    ])
    .areas(area);
    let nav_width = if area.width < NARROW { 15 } else { 24 };
    let [nav, content] =
        Layout::horizontal([Constraint::Length(nav_width), Constraint::Min(0)]).areas(body);
    Areas {
        header,
        body,
        jobs,
        footer,
        nav,
        content,
    }
}

/// What a click at a cell lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Nav(usize),
    Tab(usize),
    /// A row, by its position in the (filtered, sorted) list.
    Row(usize),
}

/// What is under the cell at `x`, `y` on the app's terminal.
pub fn hit(app: &App, x: u16, y: u16) -> Option<Hit> {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let a = areas(app, area);
    let inside = |r: Rect| x >= r.x && x < r.right() && y >= r.y && y < r.bottom();
    if inside(a.nav) {
        let i = (y - a.nav.y) as usize;
        return (i < NAV.len()).then_some(Hit::Nav(i));
    }
    if !inside(a.content) || (app.view.overview.is_some() && app.details.is_none()) {
        return None;
    }
    let view = app.current_ref();
    let inner = Block::bordered().inner(a.content);
    if y == inner.y && view.tabs.len() > 1 {
        // The tab titles as drawn: " title " and a divider between them.
        let (titles, _) = fitting_tabs(view, inner.width);
        // A leading "…" stands for the tabs scrolled past.
        let cut = titles.first().is_some_and(|t| t == "…");
        let start = if cut {
            view.tabs.len() + 1 - titles.len()
        } else {
            0
        };
        let mut at = inner.x;
        for (i, t) in titles.iter().enumerate() {
            let w = t.chars().count() as u16 + 3;
            if x >= at && x < at + w {
                return match (cut, i) {
                    (true, 0) => None,
                    (true, i) => Some(Hit::Tab(start + i - 1)),
                    (false, i) => Some(Hit::Tab(i)),
                };
            }
            at += w;
        }
        return None;
    }
    // The table starts under the tabs (or title) and its header row.
    let first = inner.y + 2;
    let t = view.table();
    if y < first || t.error.is_some() {
        return None;
    }
    let height = inner.bottom().saturating_sub(first) as usize;
    let offset = t.selected.saturating_sub(height.saturating_sub(1));
    let pos = offset + (y - first) as usize;
    (pos < t.visible(&view.filter).len()).then_some(Hit::Row(pos))
}

/// NO_COLOR: colours go; what a background colour marked (the selected row, the current page,
/// DEMO) is shown in reverse video instead, and bold and underline stay.
fn without_colour(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        if cell.bg != Color::Reset {
            cell.modifier.insert(Modifier::REVERSED);
        }
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
        cell.underline_color = Color::Reset;
    }
}

fn draw_header(f: &mut Frame, app: &App, area: Rect) {
    let t = app.console.tenant();
    let mut spans = vec![Span::styled(
        " dwc ",
        Style::new().fg(Color::Black).bg(ACCENT).bold(),
    )];
    if area.width >= NARROW {
        spans.push(Span::raw(" DataWorks Management Console"));
    }
    let mut tail = vec![Span::raw(format!("  │ {} edition", t.edition.title()))];
    if t.open {
        tail.push(Span::raw("  "));
        tail.push(Span::styled(
            " DEMO ",
            Style::new().fg(Color::Black).bg(Color::Yellow).bold(),
        ));
    }
    if let Some(s) = &app.session {
        spans.push(Span::raw(format!("  │ {}  │ {}", s.region, s.who())));
        // The role summary gets what is left, so the edition and DEMO always show.
        let used: usize = spans.iter().chain(&tail).map(|sp| sp.width()).sum();
        let room = (area.width as usize).saturating_sub(used + 3);
        let summary = ellipsized(&app.summary, room);
        if room > 1 {
            spans.push(Span::raw(format!(" ({summary})")).dim());
        }
    }
    spans.extend(tail);
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_gate(f: &mut Frame, app: &App, gate: &Gate, area: Rect) {
    let box_area = centered(area, 60, 14);
    f.render_widget(Clear, box_area);
    match gate {
        Gate::Picker { users, selected } => {
            let block = Block::bordered().title(" Demo store: act as whom? (Enter) ");
            let inner = block.inner(box_area);
            f.render_widget(block, box_area);
            let h = inner.height as usize;
            let offset = selected.saturating_sub(h.saturating_sub(1));
            let lines: Vec<Line> = users
                .iter()
                .enumerate()
                .skip(offset)
                .take(h)
                .map(|(i, u)| {
                    let label = if i == 0 {
                        format!("{u} (the account)")
                    } else {
                        u.clone()
                    };
                    if i == *selected {
                        Line::styled(format!("› {label}"), Style::new().fg(ACCENT).bold())
                    } else {
                        Line::raw(format!("  {label}"))
                    }
                })
                .collect();
            f.render_widget(Paragraph::new(lines), inner);
        }
        Gate::LogOn {
            user,
            password,
            on_password,
            error,
            changing,
            mfa,
        } => {
            let block = Block::bordered().title(" Log on ");
            let inner = block.inner(box_area);
            f.render_widget(block, box_area);
            let account = app.console.tenant().account;
            let mask: String = "•".repeat(password.value().chars().count());
            let field = |label: &str, value: String, focused: bool| {
                let style = if focused {
                    Style::new().fg(ACCENT).bold().reversed()
                } else {
                    Style::new()
                };
                Line::from(vec![
                    Span::styled(format!("{label:<10}"), style),
                    Span::raw(value),
                ])
            };
            let mut lines = vec![
                Line::raw(format!(
                    "Tenant {account}. Leave the user empty for the account."
                )),
                Line::raw(""),
                field("User", user.value().to_owned(), !on_password),
                field(
                    if mfa.is_some() {
                        "MFA code"
                    } else if changing.is_some() {
                        "New pass"
                    } else {
                        "Password"
                    },
                    mask,
                    *on_password,
                ),
                Line::raw(""),
                Line::raw("Tab switches fields · Enter logs on · Esc quits").dim(),
            ];
            if let Some(e) = error {
                lines.push(Line::raw(""));
                lines.push(Line::styled(e.clone(), Style::new().fg(Color::Red)));
            }
            f.render_widget(Paragraph::new(lines), inner);
            let (row, col) = if *on_password {
                (3, mask_len(password.value()))
            } else {
                (2, user.visual_cursor())
            };
            f.set_cursor_position((inner.x + 10 + col as u16, inner.y + row));
        }
    }
}

fn mask_len(s: &str) -> usize {
    s.chars().count()
}

/// Below this width the navigation uses short names.
const NARROW: u16 = 110;

fn draw_nav(f: &mut Frame, app: &App, area: Rect) {
    let lines: Vec<Line> = NAV
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let name = if area.width < 24 { e.short } else { e.title };
            let text = format!(" {} {name}", i + 1);
            if i == app.page {
                Line::styled(text, Style::new().fg(Color::Black).bg(ACCENT))
            } else {
                Line::raw(text)
            }
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::RIGHT)),
        area,
    );
}

fn draw_content(f: &mut Frame, app: &App, area: Rect) {
    if let Some(o) = &app.view.overview
        && app.details.is_none()
    {
        return draw_overview(f, o, app.view.table().selected, area);
    }
    let (title, view) = match &app.details {
        Some((ws, v)) => (format!(" Workspace {ws} (Esc: back) "), v),
        None => (format!(" {} ", NAV[app.page].title), &app.view),
    };
    let block = Block::bordered().title(title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    draw_view(f, view, inner);
}

fn draw_view(f: &mut Frame, view: &View, area: Rect) {
    let [top, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let (hidden, shown) = draw_table(f, view.table(), &view.filter, rest);
    // Where the list is, and what narrows or orders it, at the right of the top line.
    let mut status = status_line(view, shown);
    if hidden {
        status.push_str("←/→ columns ");
    }
    let status_width = (status.chars().count() as u16).min(top.width / 2);
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(status_width)]).areas(top);
    if view.tabs.len() > 1 {
        let (titles, selected) = fitting_tabs(view, left.width);
        f.render_widget(
            Tabs::new(titles)
                .select(selected)
                .highlight_style(Style::new().fg(ACCENT).bold().underlined().reversed()),
            left,
        );
    } else if let Some(t) = view.tabs.first() {
        f.render_widget(
            Paragraph::new(Line::styled(t.title.clone(), Style::new().bold())),
            left,
        );
    }
    f.render_widget(
        Paragraph::new(Line::styled(status, Style::new().fg(ACCENT))).right_aligned(),
        right,
    );
}

/// `12/3,340 · filter /fin · by Name ▲`: the position, the filter and the sort.
fn status_line(view: &View, n: usize) -> String {
    let t = view.table();
    if t.error.is_some() {
        return String::new();
    }
    let mut parts = vec![if n == 0 {
        "0/0".to_owned()
    } else {
        format!("{}/{}", thousands(t.selected + 1), thousands(n))
    }];
    if !view.filter.is_empty() {
        parts.push(format!(
            "filter /{} ({} of {})",
            view.filter,
            thousands(n),
            thousands(t.rows.len())
        ));
    }
    if let Some((c, desc)) = t.sort
        && let Some(col) = t.columns.get(c)
    {
        parts.push(format!("by {} {}", col.name, if desc { "▼" } else { "▲" }));
    }
    format!(" {} ", parts.join(" · "))
}

/// 3340 → `3,340`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Draws the table; returns whether columns are left off for want of room, and how many rows
/// the filter leaves (scanned once per frame).
fn draw_table(f: &mut Frame, t: &Table, filter: &str, area: Rect) -> (bool, usize) {
    if let Some(err) = &t.error {
        let mut lines = vec![Line::styled(
            err[0].clone(),
            Style::new().fg(Color::Red).bold(),
        )];
        lines.extend(err[1..].iter().map(|l| Line::raw(format!("  {l}"))));
        lines.push(Line::raw(""));
        lines.push(Line::raw("This list is empty because the console refused it. Ask an administrator if you need access.").dim());
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
        return (false, 0);
    }
    let visible = t.visible(filter);
    if area.is_empty() {
        return (false, visible.len());
    }
    if visible.is_empty() {
        let msg = if filter.is_empty() {
            "nothing here yet".to_owned()
        } else {
            format!("no rows match /{filter} (Esc clears the filter)")
        };
        f.render_widget(Paragraph::new(msg).dim(), area);
        return (false, 0);
    }
    // Only the rows that fit are drawn: a frame costs the same for 10 rows or 100,000.
    let height = area.height.saturating_sub(1) as usize;
    let offset = t.selected.saturating_sub(height.saturating_sub(1));
    let shown = visible.window(offset, height);
    let layout = column_layout(t, &shown, area.width);
    let buf = f.buffer_mut();
    let header = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    buf.set_style(Rect { height: 1, ..area }, header);
    let mut name = String::new();
    let mut x = area.x;
    for &(j, w) in &layout.cols {
        name.clear();
        name.push_str(t.columns[j].name);
        if let Some((c, desc)) = t.sort
            && c == j
        {
            name.push_str(if desc { " ▼" } else { " ▲" });
        }
        put_cell(buf, area, x, area.y, &name, w);
        x = x.saturating_add(w).saturating_add(COLUMN_GAP);
    }
    for (k, &i) in shown.iter().enumerate() {
        let y = area.y + 1 + k as u16;
        let here = offset + k == t.selected;
        if here {
            let row = Rect {
                y,
                height: 1,
                ..area
            };
            buf.set_style(row, Style::new().fg(Color::Black).bg(ACCENT));
        }
        let mut x = area.x;
        for &(j, w) in &layout.cols {
            if here && t.selected_col == Some(j) {
                let cell = Rect::new(x, y, w, 1).intersection(area);
                let style = Style::new().fg(ACCENT).bg(Color::Black).bold().underlined();
                buf.set_style(cell, style);
            }
            put_cell(buf, area, x, y, t.rows.cell(i, j), w);
            x = x.saturating_add(w).saturating_add(COLUMN_GAP);
        }
    }
    (layout.more_left || layout.more_right, visible.len())
}

const COLUMN_GAP: u16 = 2;

/// One cell's text at `x`, cut to `width` and to the table's right edge, in the style already
/// laid on the row. Written straight into the buffer: ratatui's `Table` lays a style over each
/// cell's area five times (table, row, cell, text, line) before writing it, which made the table
/// a third of a served frame.
fn put_cell(buf: &mut ratatui::buffer::Buffer, area: Rect, x: u16, y: u16, text: &str, width: u16) {
    if x >= area.right() {
        return;
    }
    let width = width.min(area.right() - x);
    buf.set_stringn(x, y, text, width as usize, Style::new());
}

/// The columns drawn, each with its width, and whether some are left off either side.
#[derive(Debug, PartialEq, Eq)]
struct ColumnLayout {
    cols: Vec<(usize, u16)>,
    more_left: bool,
    more_right: bool,
}

/// Which columns show and how wide, from the header and the rows on screen. Columns of
/// priority 0 (the name, the status) always show whole; the others, from the sideways scroll
/// on, are added by priority while they fit at their minimum width, then grow back toward
/// their natural width. What is left off is reached with ←/→.
fn column_layout(t: &Table, shown: &[usize], total: u16) -> ColumnLayout {
    let n = t.columns.len();
    // The sorted column's header carries an arrow.
    let header: Vec<u16> = t
        .columns
        .iter()
        .enumerate()
        .map(|(j, c)| {
            c.name.chars().count() as u16
                + if t.sort.is_some_and(|s| s.0 == j) {
                    2
                } else {
                    0
                }
        })
        .collect();
    let mut natural = header.clone();
    for &i in shown {
        for (j, cell) in t.rows.row(i).enumerate().take(n) {
            natural[j] = natural[j].max(cell.chars().count().min(120) as u16);
        }
    }
    let need = |cols: &[(usize, u16)]| -> u16 {
        cols.iter().map(|c| c.1).sum::<u16>() + COLUMN_GAP * (cols.len().saturating_sub(1) as u16)
    };
    let mut cols: Vec<(usize, u16)> = (0..n)
        .filter(|&j| t.columns[j].priority == 0)
        .map(|j| (j, natural[j]))
        .collect();
    // The name columns alone too wide: the widest give way, never below their header.
    while need(&cols) > total {
        let Some(k) = (0..cols.len())
            .filter(|&k| cols[k].1 > header[cols[k].0])
            .max_by_key(|&k| cols[k].1)
        else {
            break;
        };
        cols[k].1 -= 1;
    }
    let optional: Vec<usize> = (0..n).filter(|&j| t.columns[j].priority > 0).collect();
    let skip = t.hscroll.min(optional.len().saturating_sub(1));
    let candidates = &optional[skip.min(optional.len())..];
    let max_priority = t.columns.iter().map(|c| c.priority).max().unwrap_or(0);
    for priority in 1..=max_priority {
        for &j in candidates
            .iter()
            .filter(|&&j| t.columns[j].priority == priority)
        {
            let w = natural[j].min(t.columns[j].min.max(header[j]));
            let mut with = cols.clone();
            with.push((j, w));
            if need(&with) <= total {
                cols = with;
            }
        }
    }
    cols.sort_by_key(|c| c.0);
    // What is left goes back to the cut columns, the more important first.
    let mut spare = total.saturating_sub(need(&cols));
    let mut order: Vec<usize> = (0..cols.len()).collect();
    order.sort_by_key(|&k| (t.columns[cols[k].0].priority, k));
    for k in order {
        let c = &mut cols[k];
        let grow = natural[c.0].saturating_sub(c.1).min(spare);
        c.1 += grow;
        spare -= grow;
    }
    let shown_optional = cols.iter().filter(|c| t.columns[c.0].priority > 0).count();
    ColumnLayout {
        more_left: skip > 0,
        more_right: shown_optional < candidates.len(),
        cols,
    }
}

fn draw_overview(f: &mut Frame, o: &super::view::Overview, selected: usize, area: Rect) {
    // The top lists are short; the checklist and the advice get the room.
    let [top, bottom] = Layout::vertical([Constraint::Length(10), Constraint::Min(0)]).areas(area);
    let [quick, frequent] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
    let [check, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    let [advice, updates] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(7)]).areas(right);
    draw_advice(f, o, advice);
    // Quick access and the checklist keep one line an item: what does not fit ends in "…".
    let quick_lines: Vec<Line> = o
        .quick_access
        .iter()
        .map(|(k, t)| {
            let key = Span::styled(format!(" {k} "), Style::new().fg(ACCENT).bold());
            let room = usize::from(quick.width.saturating_sub(2)).saturating_sub(key.width());
            Line::from(vec![key, Span::raw(ellipsized(t, room))])
        })
        .collect();
    f.render_widget(
        Paragraph::new(quick_lines).block(Block::bordered().title(" Quick access ")),
        quick,
    );
    let freq: Vec<Line> = match &o.error {
        Some(err) => err
            .iter()
            .map(|l| Line::styled(l.clone(), Style::new().fg(Color::Red)))
            .collect(),
        None if o.frequent.is_empty() && o.yours.is_empty() => {
            vec![Line::raw("No workspaces yet: press 2, then n to create one.").dim()]
        }
        None => {
            let mut lines = Vec::new();
            let width = usize::from(frequent.width.saturating_sub(2));
            let shown = if o.frequent.is_empty() {
                let none = hanging(Span::raw(" "), "None opened yet. Your workspaces:", width);
                lines.extend(none.into_iter().map(|l| l.dim()));
                &o.yours
            } else {
                &o.frequent
            };
            // The selected one is marked; Enter opens it.
            for (i, w) in shown.iter().enumerate() {
                if i == selected {
                    let marked = Style::new().fg(Color::Black).bg(ACCENT);
                    let wrapped = hanging(Span::raw("›"), w, width);
                    lines.extend(wrapped.into_iter().map(|l| l.style(marked)));
                } else {
                    lines.extend(hanging(Span::raw(" "), w, width));
                }
            }
            lines
        }
    };
    f.render_widget(
        Paragraph::new(freq)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Frequently used workspaces (Enter opens) ")),
        frequent,
    );
    let title = match &o.checklist_for {
        Some(ws) => format!(" Getting started: {ws} "),
        None => " Getting started ".into(),
    };
    let lines: Vec<Line> = if o.checklist.is_empty() {
        vec![Line::raw(
            " No workspace yet: press 2, then n, to take the first of five steps.",
        )]
    } else {
        let room = usize::from(check.width.saturating_sub(2)).saturating_sub(3);
        o.checklist
            .iter()
            .map(|(step, done)| {
                let step = ellipsized(step, room);
                if *done {
                    Line::styled(format!(" ✔ {step}"), Style::new().fg(Color::Green))
                } else {
                    Line::raw(format!(" ○ {step}"))
                }
            })
            .collect()
    };
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        check,
    );
    let width = usize::from(updates.width.saturating_sub(2));
    let up: Vec<Line> = o
        .updates
        .iter()
        .flat_map(|(d, t)| hanging(Span::raw(format!(" {d} ")).dim(), t, width))
        .collect();
    f.render_widget(
        Paragraph::new(up)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Product updates ")),
        updates,
    );
}

/// The advisor's findings, most severe first, each with its fix.
fn draw_advice(f: &mut Frame, o: &super::view::Overview, area: Rect) {
    use crate::domain::advice::Severity;
    let mut lines: Vec<Line> = Vec::new();
    if o.advice.is_empty() {
        lines.push(Line::raw(" No findings: this follows the guidelines.").dim());
    }
    // Each finding and its fix wrapped under their own first word, not back at the border.
    let width = usize::from(area.width.saturating_sub(2));
    for (severity, what, fix) in &o.advice {
        let color = match severity {
            Severity::High => Color::Red,
            Severity::Warning => Color::Yellow,
            Severity::Info => Color::Gray,
        };
        let label = Span::styled(
            format!(" {:<7} ", severity.title()),
            Style::new().fg(color).bold(),
        );
        lines.extend(hanging(label, what, width));
        let arrow = Span::raw(format!("{:9}→ ", "")).dim();
        lines.extend(hanging(arrow, fix, width).into_iter().map(|l| l.dim()));
    }
    if let Some(note) = &o.advice_note {
        lines.push(Line::raw(format!(" {note}")).dim());
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(format!(" Advice ({}) ", o.advice.len()))),
        area,
    );
}

/// Running jobs, one line: what, which step, about how long is left.
/// The tab titles that fit the width, scrolled so the selected one shows; `…` marks tabs left
/// off at the start. Returns the titles and the selected one's index among them.
fn fitting_tabs(view: &super::view::View, width: u16) -> (Vec<String>, usize) {
    let titles: Vec<String> = view.tabs.iter().map(|t| t.title.clone()).collect();
    // Tabs draws " title " and a divider between titles.
    let need = |ts: &[String]| ts.iter().map(|t| t.chars().count() + 3).sum::<usize>();
    let mut start = 0;
    while start < view.tab && need(&titles[start..]) > width as usize {
        start += 1;
    }
    let mut shown: Vec<String> = titles[start..].to_vec();
    if start > 0 {
        shown.insert(0, "…".into());
    }
    let selected = view.tab - start + usize::from(start > 0);
    (shown, selected)
}

fn draw_jobs(f: &mut Frame, app: &App, area: Rect) {
    if area.height == 0 {
        return;
    }
    let now = app.console.now();
    let mut spans = vec![Span::styled(
        " jobs ",
        Style::new().fg(Color::Black).bg(Color::Cyan),
    )];
    if let Some(t) = &app.testing {
        spans.push(Span::raw(format!("  {}", t.label())));
    }
    if app.sending_alerts > 0 {
        spans.push(Span::raw("  delivering webhook alerts"));
    }
    for j in &app.jobs {
        spans.push(Span::raw(format!(
            "  {} · {} · {} s",
            j.label(),
            j.progress(),
            j.remaining(now)
        )));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_footer(f: &mut Frame, app: &App, area: Rect) {
    let line = if let Some(p) = &app.palette {
        Line::from(vec![
            Span::styled(":", Style::new().fg(ACCENT).bold()),
            Span::raw(p.input.value().to_owned()),
        ])
    } else if let Some(fl) = &app.filter {
        Line::from(vec![
            Span::styled("/", Style::new().fg(ACCENT).bold()),
            Span::raw(fl.value().to_owned()),
        ])
    } else if let Some(t) = &app.toast {
        Line::styled(
            crate::domain::text::message(t),
            Style::new().fg(Color::Yellow),
        )
    } else if app.gate.is_some() {
        Line::raw(" Ctrl-C quits").dim()
    } else {
        // The actions allowed here first, then the keys, as many as fit; help and quit always.
        let mut pairs: Vec<(String, &str, Color)> = app
            .offers
            .iter()
            .filter(|o| o.verdict.allowed)
            .map(|o| {
                let k = app.settings.key_of(o.name, o.key);
                (k.to_string(), o.label, Color::Green)
            })
            .collect();
        pairs.extend(
            BINDINGS
                .iter()
                .filter_map(|b| b.hint.map(|h| (b.keys.to_owned(), h, ACCENT)))
                .filter(|(k, _, _)| k != "?" && k != "q"),
        );
        let tail = [
            ("?".to_owned(), "help", ACCENT),
            ("q".to_owned(), "quit", ACCENT),
        ];
        let width = |(k, l, _): &(String, &str, Color)| k.chars().count() + l.chars().count() + 3;
        let mut room = (area.width as usize).saturating_sub(tail.iter().map(width).sum());
        let mut spans = Vec::new();
        for p in pairs
            .iter()
            .take_while(|p| {
                let fits = width(p) <= room;
                room = room.saturating_sub(width(p));
                fits
            })
            .chain(tail.iter())
        {
            spans.push(Span::styled(
                format!(" {}", p.0),
                Style::new().fg(p.2).bold(),
            ));
            spans.push(Span::raw(format!(" {} ", p.1)));
        }
        Line::from(spans)
    };
    f.render_widget(Paragraph::new(line), area);
    if let Some(p) = &app.palette {
        f.set_cursor_position((area.x + 1 + p.input.visual_cursor() as u16, area.y));
    } else if let Some(fl) = &app.filter {
        f.set_cursor_position((area.x + 1 + fl.visual_cursor() as u16, area.y));
    }
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// The keys, then every command of this pane (those not allowed here marked so), then the
/// palette's own commands: built from the same lists the keys and the palette use.
fn draw_help(f: &mut Frame, app: &App, area: Rect) {
    // The keys in force: one the settings file gives an action shows before the default.
    let given = |action| {
        super::settings::ACTIONS
            .iter()
            .filter(|(_, a)| *a == action)
            .find_map(|(name, _)| app.settings.keys.get(*name))
    };
    let mut lines: Vec<Line> = BINDINGS
        .iter()
        .map(|b| {
            let keys = match given(b.action) {
                Some(k) => format!("{k}, {}", b.keys),
                None => b.keys.to_owned(),
            };
            Line::from(vec![
                Span::styled(format!(" {keys:<12}"), Style::new().fg(ACCENT).bold()),
                Span::raw(b.help),
            ])
        })
        .collect();
    if !app.offers.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::raw(" Here (key, :command):").bold());
        for o in &app.offers {
            let how = o.how.word();
            let mut spans = vec![
                Span::styled(
                    format!(" {:<3}", app.settings.key_of(o.name, o.key)),
                    Style::new()
                        .fg(if o.verdict.allowed {
                            Color::Green
                        } else {
                            Color::DarkGray
                        })
                        .bold(),
                ),
                Span::raw(format!(":{:<15}", o.name)),
                Span::raw(o.label.to_owned()),
            ];
            if !how.is_empty() {
                spans.push(Span::raw(format!(" ({how})")).dim());
            }
            if let Some(op) = o.op {
                spans.push(Span::raw(format!(" — {}", op.action())).dim());
            }
            if !o.verdict.allowed {
                spans.push(Span::styled(
                    " not allowed for you",
                    Style::new().fg(Color::Red),
                ));
            }
            lines.push(Line::from(spans));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(" Palette (:), anywhere:").bold());
    let pages: Vec<&str> = NAV.iter().map(|e| e.verb).collect();
    lines.push(Line::raw(format!(" :{}", pages.join(", :"))));
    lines.push(Line::raw(format!(" {:<19}go to that page", "")));
    for (c, what) in super::app::GLOBAL_COMMANDS {
        lines.push(Line::raw(format!(" :{c:<18}{what}")));
    }
    lines.push(Line::raw(""));
    lines.push(
        Line::raw(format!(
            " Theme {}; keys and theme from {}",
            app.settings.theme.slug(),
            super::settings::Settings::path()
                .map_or("no settings file".into(), |p| p.display().to_string())
        ))
        .dim(),
    );
    lines.push(Line::raw(" Esc closes").dim());
    let r = centered(area, 100, (lines.len() + 2) as u16);
    // Scrolled no further than its last line.
    let height = r.height.saturating_sub(2);
    let scroll = app
        .help_scroll
        .min((lines.len() as u16).saturating_sub(height));
    let title = if lines.len() as u16 > height {
        " Keys and commands (j/k scroll · Esc close) "
    } else {
        " Keys and commands "
    };
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(Block::bordered().title(title)),
        r,
    );
}

/// The palette's suggestions, just above the footer, the picked one marked.
fn draw_suggestions(f: &mut Frame, p: &super::palette::Palette, footer: Rect) {
    let n = p.suggestions.len().min(super::palette::SHOWN);
    if n == 0 {
        return;
    }
    // Scrolled so the picked one shows.
    let first = p.picked.map_or(0, |i| i.saturating_sub(n - 1));
    let width = p
        .suggestions
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0)
        .min(60) as u16
        + 4;
    let r = Rect {
        x: footer.x,
        y: footer.y.saturating_sub(n as u16 + 2),
        width: width.min(footer.width),
        height: n as u16 + 2,
    };
    let lines: Vec<Line> = p
        .suggestions
        .iter()
        .enumerate()
        .skip(first)
        .take(n)
        .map(|(i, c)| {
            if Some(i) == p.picked {
                Line::styled(format!("› {c}"), Style::new().fg(Color::Black).bg(ACCENT))
            } else {
                Line::raw(format!("  {c}"))
            }
        })
        .collect();
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(format!(" {} (Tab) ", p.suggestions.len()))),
        r,
    );
}

/// An item's every field: the label, then the value wrapped under it, scrolled.
fn draw_detail(f: &mut Frame, area: Rect, d: &super::pages::Detail, scroll: usize) {
    let r = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };
    let r = centered(r, 110, r.height);
    f.render_widget(Clear, r);
    let label_width = d
        .fields
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(24);
    let inner_width = r.width.saturating_sub(4) as usize;
    let value_width = inner_width.saturating_sub(label_width + 2).max(10);
    let mut lines: Vec<Line> = Vec::new();
    for (label, value) in &d.fields {
        let value = crate::domain::text::printable(value);
        let mut first = true;
        let parts: Vec<String> = if value.is_empty() {
            vec![String::new()]
        } else {
            value
                .split('\n')
                .flat_map(|l| wrap(l, value_width))
                .collect()
        };
        for part in parts {
            let l = if first { label.as_str() } else { "" };
            first = false;
            lines.push(Line::from(vec![
                Span::styled(
                    format!(" {l:<label_width$}  "),
                    Style::new().fg(ACCENT).bold(),
                ),
                Span::raw(part),
            ]));
        }
    }
    let height = r.height.saturating_sub(2) as usize;
    let scroll = scroll.min(lines.len().saturating_sub(height));
    let more = lines.len() > height + scroll;
    let title = format!(
        " {} (j/k scroll{} · Esc close) ",
        d.title,
        if more || scroll > 0 {
            format!(
                ", {}–{} of {}",
                scroll + 1,
                (scroll + height).min(lines.len()),
                lines.len()
            )
        } else {
            String::new()
        }
    );
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(height).collect();
    f.render_widget(
        Paragraph::new(shown).block(Block::bordered().title(title)),
        r,
    );
}

/// `text` in at most `room` characters: whole when it fits, else cut and ended with "…".
fn ellipsized(text: &str, room: usize) -> String {
    if text.chars().count() <= room {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(room.saturating_sub(1)).collect();
    if room > 0 {
        cut.push('…');
    }
    cut
}

/// `text` wrapped to `width` columns under `lead`: the lead before its first line and as many
/// spaces before the others, so a wrapped line starts under its own text, not at the border.
fn hanging(lead: Span<'static>, text: &str, width: usize) -> Vec<Line<'static>> {
    let indent = lead.width();
    wrap(text, width.saturating_sub(indent).max(1))
        .into_iter()
        .enumerate()
        .map(|(i, piece)| {
            let lead = if i == 0 {
                lead.clone()
            } else {
                Span::raw(" ".repeat(indent))
            };
            Line::from(vec![lead, Span::raw(piece)])
        })
        .collect()
}

/// Splits a line into pieces of at most `width` characters, at spaces where it can.
fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest: Vec<char> = line.chars().collect();
    while rest.len() > width {
        let cut = rest[..width]
            .iter()
            .rposition(|c| *c == ' ')
            .filter(|&i| i > width / 3)
            .unwrap_or(width);
        out.push(rest[..cut].iter().collect::<String>().trim_end().to_owned());
        rest = rest[cut..].to_vec();
        while rest.first() == Some(&' ') {
            rest.remove(0);
        }
    }
    out.push(rest.into_iter().collect());
    out
}

/// The access matrix over the console: the table above, the selected row's trace below.
fn draw_access(f: &mut Frame, panel: &super::access::AccessPanel, area: Rect) {
    // Everything between the header and the footer.
    let r = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };
    f.render_widget(Clear, r);
    let block = Block::bordered().title(format!(
        " Access of {} (j/k row · h/l cell · Enter why · Tab tabs · Esc close) ",
        panel.user
    ));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let [table, why] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(inner);
    draw_view(f, &panel.view, table);
    let (title, trace) = panel.selected_why();
    let lines: Vec<Line> = trace.iter().map(|l| Line::raw(format!(" {l}"))).collect();
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::new()
                .borders(Borders::TOP)
                .title(format!(" Why: {title} ")),
        ),
        why,
    );
}

fn draw_explain(f: &mut Frame, area: Rect, title: &str, lines: &[String]) {
    let r = centered(area, 90, (lines.len() + 4) as u16);
    f.render_widget(Clear, r);
    let body: Vec<Line> = lines
        .iter()
        .map(|l| Line::raw(format!(" {}", crate::domain::text::message(l))))
        .collect();
    f.render_widget(
        Paragraph::new(body)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(format!(" {title} (Esc) "))),
        r,
    );
}

/// A form: each field's label, its value in a box of its own (scrolled to the cursor), and
/// under it the hint or the error. Fields that do not fit scroll with the focus.
fn draw_form(f: &mut Frame, area: Rect, form: &super::form::Form) {
    let label_width = form
        .fields
        .iter()
        .map(|x| x.label.chars().count())
        .max()
        .unwrap_or(0)
        .min(22) as u16
        + 2;
    let rows = (form.fields.len() * 2 + 3) as u16;
    let r = centered(area, 96, rows.min(area.height.saturating_sub(2)));
    f.render_widget(Clear, r);
    let block = Block::bordered().title(format!(
        " {} (Tab next · ←/→ choose · Enter submit · Esc cancel) ",
        form.title
    ));
    let inner = block.inner(r);
    f.render_widget(block, r);
    // The last line is the form's own error.
    let room = inner.height.saturating_sub(1) as usize / 2;
    let first = form.focus.saturating_sub(room.saturating_sub(1));
    let value_width = inner.width.saturating_sub(label_width + 2) as usize;
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate().skip(first).take(room) {
        let focused = i == form.focus;
        let label = Span::styled(
            format!(" {:<w$}", field.label, w = label_width as usize - 1),
            if focused {
                Style::new().fg(ACCENT).bold().reversed()
            } else {
                Style::new().bold()
            },
        );
        let shown = field.shown();
        let chars: Vec<char> = shown.chars().collect();
        let at = if field.secret {
            chars.len()
        } else {
            field.input.visual_cursor().min(chars.len())
        };
        // The window of the value that holds the cursor.
        let start = at.saturating_sub(value_width.saturating_sub(1));
        let visible: String = chars.iter().skip(start).take(value_width).collect();
        let value = if field.choices.is_empty() {
            Span::styled(
                format!("{visible:<value_width$}"),
                Style::new().underlined(),
            )
        } else {
            Span::styled(format!("‹ {visible} ›"), Style::new().underlined().bold())
        };
        if focused {
            cursor = Some((
                inner.x + label_width + 1 + (at - start) as u16,
                inner.y + 2 * (i - first) as u16,
            ));
        }
        lines.push(Line::from(vec![label, Span::raw(" "), value]));
        let pad = " ".repeat(label_width as usize + 1);
        lines.push(match &field.error {
            Some(e) => Line::styled(format!("{pad}✗ {e}"), Style::new().fg(Color::Red).bold()),
            None if !field.choices.is_empty() && focused => Line::styled(
                format!(
                    "{pad}{} of {}: {}",
                    position(field) + 1,
                    field.choices.len(),
                    field.hint
                ),
                Style::new().dim(),
            ),
            None => Line::styled(format!("{pad}{}", field.hint), Style::new().dim()),
        });
    }
    if let Some(e) = &form.error {
        lines.push(Line::styled(
            format!(" ✗ {e}"),
            Style::new().fg(Color::Red).bold(),
        ));
    }
    f.render_widget(Paragraph::new(lines), inner);
    if let Some(c) = cursor
        && form.fields[form.focus].choices.is_empty()
    {
        f.set_cursor_position(c);
    }
}

fn position(field: &super::form::Field) -> usize {
    field
        .choices
        .iter()
        .position(|c| c == field.text())
        .unwrap_or(0)
}

/// The editor over everything between the header and the footer, its error under the text.
fn draw_editor(f: &mut Frame, area: Rect, e: &super::editor::Editor) {
    let r = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };
    f.render_widget(Clear, r);
    let block = Block::bordered().title(format!(" {} (Ctrl-S save · Esc leave unsaved) ", e.title));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let [text, note] = Layout::vertical([Constraint::Min(0), Constraint::Length(2)]).areas(inner);
    f.render_widget(&e.area, text);
    let line = match &e.error {
        Some(err) => Line::styled(format!(" ✗ {err}"), Style::new().fg(Color::Red).bold()),
        None => Line::raw(format!(
            " {} lines, {} characters; a paste goes in at the cursor",
            e.area.lines().len(),
            e.text().chars().count()
        ))
        .dim(),
    };
    f.render_widget(
        Paragraph::new(line)
            .wrap(Wrap { trim: false })
            .block(Block::new().borders(Borders::TOP)),
        note,
    );
}

fn draw_confirm(f: &mut Frame, area: Rect, c: &super::form::Confirm) {
    let r = centered(area, 80, 7);
    f.render_widget(Clear, r);
    let lines = match &c.typed {
        None => vec![
            Line::raw(format!(" {}", c.prompt)),
            Line::raw(""),
            Line::from(vec![
                Span::styled(" y", Style::new().fg(Color::Red).bold()),
                Span::raw(" or Enter: yes   "),
                Span::styled("n", Style::new().bold()),
                Span::raw(" or Esc: no"),
            ]),
        ],
        Some(_) => {
            let ok = if c.matches() {
                Span::styled(" Enter confirms", Style::new().fg(Color::Red).bold())
            } else {
                Span::raw(" Esc cancels").dim()
            };
            vec![
                Line::raw(format!(" {}", c.prompt)),
                Line::raw(""),
                Line::from(vec![
                    Span::raw(" > "),
                    Span::raw(c.input.value().to_owned()).underlined(),
                ]),
                Line::raw(""),
                Line::from(ok),
            ]
        }
    };
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .title(" Confirm ")
                .border_style(Style::new().fg(Color::Red)),
        ),
        r,
    );
}
