//! Drawing: a pure function of the app's state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Clear, Paragraph, Row, Table as TableWidget, Tabs, Wrap,
};

use super::app::{App, Gate, PAGES, Popup};
use super::keymap::BINDINGS;
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
    draw_header(f, app, header);
    draw_jobs(f, app, jobs);
    match &app.gate {
        Some(gate) => draw_gate(f, app, gate, body),
        None => {
            let nav_width = if area.width < NARROW { 15 } else { 24 };
            let [nav, content] =
                Layout::horizontal([Constraint::Length(nav_width), Constraint::Min(0)]).areas(body);
            draw_nav(f, app, nav);
            draw_content(f, app, content);
        }
    }
    draw_footer(f, app, footer);
    if let Some(form) = &app.form {
        draw_form(f, area, form);
    }
    if let Some(c) = &app.confirm {
        draw_confirm(f, area, c);
    }
    if let Some(panel) = &app.access {
        draw_access(f, panel, area);
    }
    match &app.popup {
        Some(Popup::Help) => draw_help(f, app, area),
        Some(Popup::Explain(title, lines)) => draw_explain(f, area, title, lines),
        None => {}
    }
    if app.no_color {
        without_colour(f.buffer_mut());
    }
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
        let summary: String = if app.summary.chars().count() <= room {
            app.summary.clone()
        } else {
            let mut cut: String = app.summary.chars().take(room.saturating_sub(1)).collect();
            cut.push('…');
            cut
        };
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
        } => {
            let block = Block::bordered().title(" Log on ");
            let inner = block.inner(box_area);
            f.render_widget(block, box_area);
            let account = app.console.tenant().account;
            let mask: String = "•".repeat(password.value().chars().count());
            let field = |label: &str, value: String, focused: bool| {
                let style = if focused {
                    Style::new().fg(ACCENT).bold()
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
                    if changing.is_some() {
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
    let names = if area.width < 24 {
        &super::app::SHORT_PAGES
    } else {
        &PAGES
    };
    let lines: Vec<Line> = names
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let text = format!(" {} {p}", i + 1);
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
        return draw_overview(f, o, area);
    }
    let (title, view) = match &app.details {
        Some((ws, v)) => (format!(" Workspace {ws} (Esc: back) "), v),
        None => (format!(" {} ", PAGES[app.page]), &app.view),
    };
    let block = Block::bordered().title(title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    draw_view(f, view, inner);
}

fn draw_view(f: &mut Frame, view: &View, area: Rect) {
    let mut area = area;
    if view.tabs.len() > 1 {
        let [tabs, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let (titles, selected) = fitting_tabs(view, tabs.width);
        f.render_widget(
            Tabs::new(titles)
                .select(selected)
                .highlight_style(Style::new().fg(ACCENT).bold().underlined()),
            tabs,
        );
        area = rest;
    } else if let Some(t) = view.tabs.first() {
        let [title, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        f.render_widget(
            Paragraph::new(Line::styled(t.title.clone(), Style::new().bold())),
            title,
        );
        area = rest;
    }
    draw_table(f, view.table(), &view.filter, area);
}

fn draw_table(f: &mut Frame, t: &Table, filter: &str, area: Rect) {
    if let Some(err) = &t.error {
        let mut lines = vec![Line::styled(
            err[0].clone(),
            Style::new().fg(Color::Red).bold(),
        )];
        lines.extend(err[1..].iter().map(|l| Line::raw(format!("  {l}"))));
        lines.push(Line::raw(""));
        lines.push(Line::raw("This list is empty because the console refused it. Ask an administrator if you need access.").dim());
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
        return;
    }
    let visible = t.visible(filter);
    if visible.is_empty() {
        let msg = if filter.is_empty() {
            "nothing here yet".to_owned()
        } else {
            format!("no rows match /{filter}")
        };
        f.render_widget(Paragraph::new(msg).dim(), area);
        return;
    }
    // Only the rows that fit are built: a frame costs the same for 10 rows or 100,000.
    let height = area.height.saturating_sub(1) as usize;
    let offset = t.selected.saturating_sub(height.saturating_sub(1));
    let shown = visible.window(offset, height);
    let widths = column_widths(t, &shown, area.width);
    let n = widths.len();
    let rows: Vec<Row> = shown
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let here = offset + k == t.selected;
            let row = Row::new(t.rows.row(i).take(n).enumerate().map(|(j, c)| {
                let cell = Cell::from(c);
                if here && t.selected_col == Some(j) {
                    cell.style(Style::new().fg(ACCENT).bg(Color::Black).bold().underlined())
                } else {
                    cell
                }
            }));
            if here {
                row.style(Style::new().fg(Color::Black).bg(ACCENT))
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(t.columns.iter().take(n).map(|c| Cell::from(*c)))
        .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    f.render_widget(
        TableWidget::new(rows, widths.into_iter().map(Constraint::Length))
            .header(header)
            .column_spacing(COLUMN_GAP),
        area,
    );
}

const COLUMN_GAP: u16 = 2;

/// Widths of the columns shown, from the header and the rows on screen. When they do not fit,
/// the widest columns give way first, down to their header's width (at most 12); if that is
/// still too wide, columns are left off from the right, so what shows is readable.
fn column_widths(t: &Table, shown: &[usize], total: u16) -> Vec<u16> {
    let n = t.columns.len();
    let header: Vec<u16> = t.columns.iter().map(|c| c.chars().count() as u16).collect();
    let mut w = header.clone();
    for &i in shown {
        for (j, cell) in t.rows.row(i).enumerate().take(n) {
            w[j] = w[j].max(cell.chars().count().min(120) as u16);
        }
    }
    // The first column names the row: it keeps up to 24 characters before any column is left off.
    let natural = w.clone();
    let mut floor: Vec<u16> = header.iter().map(|h| (*h).clamp(6, 12)).collect();
    if let Some(first) = floor.first_mut() {
        *first = w[0].min(24);
    }
    let need = |w: &[u16]| -> u16 {
        w.iter().sum::<u16>() + COLUMN_GAP * (w.len().saturating_sub(1) as u16)
    };
    while need(&w) > total {
        let widest = (0..w.len())
            .filter(|&j| w[j] > floor[j])
            .max_by_key(|&j| w[j]);
        let Some(j) = widest else { break };
        // Shrink in one step to the next-widest, or to what is needed: no per-cell loop.
        let excess = need(&w) - total;
        let next = (0..w.len())
            .filter(|&k| k != j)
            .map(|k| w[k])
            .max()
            .unwrap_or(0);
        let to = w[j].saturating_sub(excess).max(next).max(floor[j]);
        w[j] = if to < w[j] { to } else { w[j] - 1 };
    }
    while need(&w) > total && w.len() > 1 {
        w.pop();
    }
    // Room freed by leaving columns off goes back to the shown ones, the least cut first, so
    // as many as can be are whole again.
    let mut spare = total.saturating_sub(need(&w));
    let mut order: Vec<usize> = (0..w.len()).collect();
    order.sort_by_key(|&j| natural[j] - w[j]);
    for j in order {
        let grow = (natural[j] - w[j]).min(spare);
        w[j] += grow;
        spare -= grow;
    }
    w
}

fn draw_overview(f: &mut Frame, o: &super::view::Overview, area: Rect) {
    // The top lists are short; the checklist and the advice get the room.
    let [top, bottom] = Layout::vertical([Constraint::Length(10), Constraint::Min(0)]).areas(area);
    let [quick, frequent] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
    let [check, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    let [advice, updates] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(7)]).areas(right);
    draw_advice(f, o, advice);
    let quick_lines: Vec<Line> = o
        .quick_access
        .iter()
        .map(|(k, t)| {
            Line::from(vec![
                Span::styled(format!(" {k} "), Style::new().fg(ACCENT).bold()),
                Span::raw(t.clone()),
            ])
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
        None if o.frequent.is_empty() => {
            let mut lines = vec![Line::raw(" None opened yet. Your workspaces:").dim()];
            lines.extend(o.yours.iter().map(|w| Line::raw(format!(" {w}"))));
            lines
        }
        None => o
            .frequent
            .iter()
            .map(|w| Line::raw(format!(" {w}")))
            .collect(),
    };
    f.render_widget(
        Paragraph::new(freq)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Frequently used workspaces ")),
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
        o.checklist
            .iter()
            .map(|(step, done)| {
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
    let up: Vec<Line> = o
        .updates
        .iter()
        .map(|(d, t)| {
            Line::from(vec![
                Span::raw(format!(" {d} ")).dim(),
                Span::raw(t.clone()),
            ])
        })
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
    for (severity, what, fix) in &o.advice {
        let color = match severity {
            Severity::High => Color::Red,
            Severity::Warning => Color::Yellow,
            Severity::Info => Color::Gray,
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {:<7} ", severity.title()),
                Style::new().fg(color).bold(),
            ),
            Span::raw(what.clone()),
        ]));
        lines.push(Line::raw(format!("         → {fix}")).dim());
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
            Span::raw(p.value().to_owned()),
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
            .map(|o| (o.key.to_string(), o.label, Color::Green))
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
        f.set_cursor_position((area.x + 1 + p.visual_cursor() as u16, area.y));
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

fn draw_help(f: &mut Frame, app: &App, area: Rect) {
    let r = centered(area, 76, (BINDINGS.len() + app.offers.len() + 10) as u16);
    f.render_widget(Clear, r);
    let mut lines: Vec<Line> = BINDINGS
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!(" {:<12}", b.keys), Style::new().fg(ACCENT).bold()),
                Span::raw(b.help),
            ])
        })
        .collect();
    let allowed: Vec<_> = app.offers.iter().filter(|o| o.verdict.allowed).collect();
    if !allowed.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::raw(" Here, for you:").bold());
        for o in allowed {
            lines.push(Line::from(vec![
                Span::styled(
                    format!(" {:<12}", o.key),
                    Style::new().fg(Color::Green).bold(),
                ),
                Span::raw(format!("{} — {}", o.label, o.op.action())),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(
        " Palette (:) — workspaces, resource-groups, models, images, services,",
    ));
    lines.push(Line::raw(
        " management, audit, region <id>, user <name>, quit, and the actions above",
    ));
    lines.push(Line::raw(""));
    lines.push(Line::raw(" Esc closes").dim());
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Keys ")),
        r,
    );
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

fn draw_form(f: &mut Frame, area: Rect, form: &super::form::Form) {
    let r = centered(area, 96, (form.fields.len() * 2 + 6) as u16);
    f.render_widget(Clear, r);
    let block = Block::bordered().title(format!(
        " {} (Tab next field · Enter submit · Esc cancel) ",
        form.title
    ));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let mut lines = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label = Span::styled(
            format!(" {:<14}", field.label),
            if focused {
                Style::new().fg(ACCENT).bold()
            } else {
                Style::new()
            },
        );
        let value = Span::styled(format!("{:<34}", field.shown()), Style::new().underlined());
        let note = match &field.error {
            Some(e) => Span::styled(format!(" ✗ {e}"), Style::new().fg(Color::Red)),
            None => Span::styled(format!(" {}", field.hint), Style::new().dim()),
        };
        lines.push(Line::from(vec![label, value, note]));
        lines.push(Line::raw(""));
    }
    if let Some(e) = &form.error {
        lines.push(Line::styled(format!(" {e}"), Style::new().fg(Color::Red)));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    let cursor = form.fields[form.focus].input.visual_cursor() as u16;
    f.set_cursor_position((inner.x + 15 + cursor, inner.y + 2 * form.focus as u16));
}

fn draw_confirm(f: &mut Frame, area: Rect, c: &super::form::Confirm) {
    let r = centered(area, 80, 7);
    f.render_widget(Clear, r);
    let ok = if c.matches() {
        Span::styled(" Enter confirms", Style::new().fg(Color::Red).bold())
    } else {
        Span::raw(" Esc cancels").dim()
    };
    let lines = vec![
        Line::raw(format!(" {}", c.prompt)),
        Line::raw(""),
        Line::from(vec![
            Span::raw(" > "),
            Span::raw(c.input.value().to_owned()).underlined(),
        ]),
        Line::raw(""),
        Line::from(ok),
    ];
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .title(" Confirm ")
                .border_style(Style::new().fg(Color::Red)),
        ),
        r,
    );
}
