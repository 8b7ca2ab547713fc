//! The console's state and how actions change it. Data is loaded from the console when a person
//! navigates; drawing only reads this state (no store I/O, no authorization on the draw path).

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseEventKind};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::console::{Console, ConsoleError, Session};
use crate::domain::{Scope, catalogue};

use super::form::{Confirm, Form, FormOutcome, Submit};
use super::keymap::{self, Action};
use super::pages::{self, DETAILS, Detail, Here, NAV, Offer, Opened, Pane};
use super::palette::{self, Palette};
use super::view::View;

/// Before log-on: a password form, or on a demo store a user picker.
pub enum Gate {
    LogOn {
        user: Input,
        password: Input,
        on_password: bool,
        error: Option<String>,
        /// The one-time password just verified: the password field now takes a new one.
        changing: Option<String>,
        /// The password just verified for a user with MFA: the field now takes the code.
        mfa: Option<String>,
    },
    Picker {
        users: Vec<String>,
        selected: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    Help,
    /// A decision or error explained: title and lines.
    Explain(String, Vec<String>),
    /// An item's every field, scrolled by this many lines.
    Detail(Detail, usize),
}

pub struct App {
    pub console: std::sync::Arc<Console>,
    pub session: Option<Session>,
    pub gate: Option<Gate>,
    pub page: usize,
    pub view: View,
    /// The workspace whose details are open, over the Workspaces page.
    pub details: Option<(String, View)>,
    /// The details' tabs for that workspace, in order.
    pub detail_panes: Vec<&'static dyn Pane>,
    pub popup: Option<Popup>,
    /// `Some` while typing a filter or a palette command.
    pub filter: Option<Input>,
    pub palette: Option<Palette>,
    /// The theme and the keys the settings file gives.
    pub settings: super::settings::Settings,
    /// Where they came from; `None`: the defaults (a served console).
    pub settings_from: Option<std::path::PathBuf>,
    /// How far the help is scrolled.
    pub help_scroll: u16,
    /// Palette commands run, oldest first.
    pub history: Vec<String>,
    /// The terminal's size, for paging and the mouse.
    pub size: (u16, u16),
    pub toast: Option<String>,
    pub form: Option<Form>,
    /// A document being written (a policy), over everything else.
    pub editor: Option<super::editor::Editor>,
    pub confirm: Option<Confirm>,
    /// The actions of the current context with the console's answers, for hints and keys.
    pub offers: Vec<Offer>,
    /// Jobs running in this region that the session may see, for the footer.
    pub jobs: Vec<crate::domain::job::Job>,
    /// "My access" or "Access of member", over everything else until Esc.
    pub access: Option<super::access::AccessPanel>,
    /// The connectivity test under way, if any.
    pub testing: Option<super::connectivity::PendingTest>,
    pub(super) next_probe: u64,
    /// Where work beside the event loop reports back; `None` (tests): it runs inline.
    pub(super) background: Option<tokio::sync::mpsc::UnboundedSender<super::background::Done>>,
    /// Webhook alerts being delivered, for the footer.
    pub sending_alerts: usize,
    /// Who is logged on, in a few words for the header: their roles here, tenant roles, policies.
    pub summary: String,
    /// Whether this console runs the store's due work on its ticks; a served one leaves that
    /// to the server.
    pub advances: bool,
    /// NO_COLOR (no-color.org): every state shown by reverse video, bold or a marker alone.
    pub no_color: bool,
    pub quit: bool,
}

impl App {
    /// A new app. With a session it opens on the Overview; without, on the log-on gate.
    pub fn new(console: impl Into<std::sync::Arc<Console>>, session: Option<Session>) -> App {
        let console = console.into();
        let gate = match &session {
            Some(_) => None,
            None if console.tenant().open => {
                let mut users = vec![console.tenant().account];
                users.extend(
                    console
                        .store()
                        .keys(crate::store::T::Users, b"")
                        .unwrap_or_default()
                        .iter()
                        .map(|k| String::from_utf8_lossy(k).into_owned()),
                );
                Some(Gate::Picker { users, selected: 0 })
            }
            None => Some(Gate::LogOn {
                user: Input::default(),
                password: Input::default(),
                on_password: false,
                error: None,
                changing: None,
                mfa: None,
            }),
        };
        let mut app = App {
            console,
            session,
            gate,
            page: 0,
            view: View::default(),
            details: None,
            detail_panes: Vec::new(),
            popup: None,
            filter: None,
            palette: None,
            history: Vec::new(),
            help_scroll: 0,
            settings: Default::default(),
            settings_from: None,
            size: (120, 40),
            toast: None,
            form: None,
            editor: None,
            confirm: None,
            offers: Vec::new(),
            jobs: Vec::new(),
            testing: None,
            access: None,
            next_probe: 0,
            background: None,
            sending_alerts: 0,
            summary: String::new(),
            advances: true,
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            quit: false,
        };
        app.summarize();
        app.reload();
        app
    }

    fn region(&self) -> String {
        self.session
            .as_ref()
            .map(|s| s.region.clone())
            .unwrap_or_else(|| self.console.tenant().default_region)
    }

    /// Logs on as `user` with `password`; on a demo store the password is ignored.
    pub fn log_on(&mut self, user: &str, password: &str) -> Result<(), ConsoleError> {
        self.log_on_changing(user, password, None)
    }

    /// Logs on giving a new password for a one-time one.
    pub fn log_on_changing(
        &mut self,
        user: &str,
        password: &str,
        new_password: Option<&str>,
    ) -> Result<(), ConsoleError> {
        self.log_on_full(user, password, new_password, None)
    }

    /// Logs on with everything a log-on may need: a new password, an MFA code.
    pub fn log_on_full(
        &mut self,
        user: &str,
        password: &str,
        new_password: Option<&str>,
        mfa_code: Option<&str>,
    ) -> Result<(), ConsoleError> {
        let region = self.region();
        let account = self.console.tenant().account;
        let name = if user.is_empty() || user == account {
            None
        } else {
            Some(user)
        };
        let s = self.console.authenticate_with(
            name,
            Some(password),
            new_password,
            mfa_code,
            Scope::Page,
            &region,
        )?;
        self.session = Some(s);
        self.gate = None;
        self.page = 0;
        self.details = None;
        self.reload();
        self.summarize();
        Ok(())
    }

    /// The header's role summary, worked out at log-on and when the region changes.
    pub fn summarize(&mut self) {
        let Some(s) = &self.session else { return };
        if s.principal.is_account() {
            self.summary = "account".into();
            return;
        }
        let mut parts = Vec::new();
        if let Ok(rows) = self.console.list_workspaces(s) {
            let mut roles: Vec<String> = rows.iter().flat_map(|r| r.my_roles.clone()).collect();
            roles.sort();
            roles.dedup();
            if !rows.is_empty() {
                parts.push(format!(
                    "{} in {} workspace(s)",
                    roles.join(", "),
                    rows.len()
                ));
            }
        }
        parts.extend(
            self.console
                .user_tenant_roles(s.who())
                .unwrap_or_default()
                .iter()
                .map(|r| match r {
                    crate::domain::tenant_role::TenantRoleRef::Builtin(b) => b.title().to_owned(),
                    crate::domain::tenant_role::TenantRoleRef::Custom(n) => n.clone(),
                }),
        );
        parts.extend(self.console.user_policies(s, s.who()).unwrap_or_default());
        let full = if parts.is_empty() {
            "Tenant Member".to_owned()
        } else {
            parts.join(" · ")
        };
        // The header has room for a summary, not a report.
        self.summary = if full.chars().count() > 40 {
            format!("{}…", full.chars().take(39).collect::<String>())
        } else {
            full
        };
    }

    /// The clock's turn (about once a second): runs the store's due work; when anything
    /// changed, reloads what is shown without moving the person's place. Returns whether the
    /// screen needs drawing.
    pub fn tick(&mut self) -> bool {
        let Some(s) = &self.session else {
            return false;
        };
        let advanced = if self.advances {
            self.console.advance()
        } else {
            Ok(0)
        };
        let ran = match advanced {
            Ok(n) => n,
            Err(e) => {
                self.toast = Some(e.to_string());
                return true;
            }
        };
        let jobs = self.console.running_jobs(s).unwrap_or_default();
        let changed = ran > 0 || jobs != self.jobs;
        let had_jobs = !self.jobs.is_empty();
        self.jobs = jobs;
        if ran > 0 {
            self.refresh_in_place();
        }
        // Running jobs count down in the footer.
        changed || had_jobs
    }

    /// Another session committed `change`: reloads what is shown, keeping the person's place,
    /// and says who changed what when it changed anything here. Returns whether to redraw.
    pub fn changed_elsewhere(&mut self, change: &crate::console::sessions::Change) -> bool {
        if self.session.is_none()
            || self.form.is_some()
            || self.confirm.is_some()
            || self.editor.is_some()
        {
            return false;
        }
        let before = (self.view.clone(), self.details.clone());
        self.refresh_in_place();
        if let Some(s) = &self.session {
            self.jobs = self.console.running_jobs(s).unwrap_or_default();
        }
        if (self.view.clone(), self.details.clone()) == before {
            return false;
        }
        self.toast = Some(change.describe());
        true
    }

    /// Reloads what is shown when it changed underneath the person, keeping their place.
    pub fn refresh_in_place(&mut self) {
        let page = std::mem::take(&mut self.view);
        let details = self.details.clone();
        self.reload();
        self.view.keep_place(&page);
        if let (Some((_, new)), Some((_, old))) = (&mut self.details, &details) {
            new.keep_place(old);
        }
        self.refresh_offers();
    }

    /// Loads what the current page shows.
    pub fn reload(&mut self) {
        let Some(s) = &self.session else { return };
        self.view = load_entry(&self.console, s, self.page);
        if let Some((ws, old)) = &self.details {
            let tab = old.tab;
            let (mut v, panes) = load_details(&self.console, s, ws);
            v.tab = tab.min(v.tabs.len().saturating_sub(1));
            self.details = Some((ws.clone(), v));
            self.detail_panes = panes;
        }
        self.refresh_offers();
    }

    /// The pane the keys act on: the open workspace tab, else the page's tab.
    pub fn pane(&self) -> &'static dyn Pane {
        match &self.details {
            Some((_, v)) => self
                .detail_panes
                .get(v.tab)
                .or(self.detail_panes.last())
                .copied()
                .unwrap_or(DETAILS[0]),
            None => {
                let panes = NAV[self.page].panes;
                panes[self.view.tab.min(panes.len() - 1)]
            }
        }
    }

    /// Where the pane's commands act: the open workspace and the selected row.
    pub fn here(&self) -> Here {
        let v = self.current_ref();
        let row = v.selected_row();
        Here {
            workspace: self.details.as_ref().map(|(ws, _)| ws.clone()),
            selected: row.map(|i| v.table().ids[i].clone()),
            row: row.map(|i| v.table().row_cells(i)).unwrap_or_default(),
        }
    }

    /// Asks the console which of this pane's commands the session may take here.
    pub fn refresh_offers(&mut self) {
        self.offers = match &self.session {
            Some(s) => pages::offers(&self.console, s, self.pane(), &self.here()),
            None => Vec::new(),
        };
    }

    fn try_action(&mut self, key: char) {
        let Some(offer) = self.offers.iter().find(|o| o.key == key).cloned() else {
            return;
        };
        if !offer.verdict.allowed {
            self.popup = Some(Popup::Explain(
                format!(
                    "Not allowed: {}",
                    offer.op.map_or(offer.name, |op| op.action())
                ),
                offer.verdict.trace,
            ));
            return;
        }
        let Some(s) = &self.session else { return };
        let pane = self.pane();
        let Some(cmd) = pane.commands().iter().find(|c| c.key == key) else {
            return;
        };
        let opened = pane.run(&self.console, s, &self.here(), cmd);
        self.opened(opened);
    }

    /// Shows what a command or a form opened.
    fn opened(&mut self, r: Result<Opened, ConsoleError>) {
        match r {
            Ok(Opened::Form(f)) => self.form = Some(f),
            Ok(Opened::Editor(e)) => self.editor = Some(e),
            Ok(Opened::Confirm(c)) => self.confirm = Some(c),
            Ok(Opened::Done(msg)) => {
                self.toast = Some(msg);
                // Keep the person's tab and the selected item (by id), not row 1.
                self.refresh_in_place();
            }
            Ok(Opened::Access(user)) => self.show_access(&user),
            Ok(Opened::Show(title, lines)) => self.popup = Some(Popup::Explain(title, lines)),
            Ok(Opened::Detail(d)) => self.popup = Some(Popup::Detail(d, 0)),
            Ok(Opened::Workspace(ws)) => self.open_workspace(&ws),
            Ok(Opened::Go(verb, id)) => {
                if let Some(i) = NAV.iter().position(|e| e.verb == verb) {
                    self.go(i);
                    if let Some(id) = id {
                        self.view.select_id(&id);
                        self.refresh_offers();
                    }
                }
            }
            Err(e) => self.show_error(e),
        }
    }

    pub(super) fn show_error(&mut self, e: ConsoleError) {
        match e {
            ConsoleError::Denied {
                action,
                explanation,
                ..
            } => self.popup = Some(Popup::Explain(format!("Denied: {action}"), explanation)),
            e => self.toast = Some(e.to_string()),
        }
    }

    fn form_key(&mut self, key: KeyEvent, ev: &Event) {
        let Some(form) = &mut self.form else { return };
        match form.key(key, ev) {
            FormOutcome::Stay => {}
            FormOutcome::Cancel => self.form = None,
            FormOutcome::Submit => {
                let result = match &form.submit {
                    // A connectivity test runs beside the event loop, not in the form's submit.
                    Submit::TestDataSource { workspace, name } => {
                        let (ws, name, group) = (
                            workspace.clone(),
                            name.clone(),
                            form.get("group").trim().to_owned(),
                        );
                        self.form = None;
                        return self.start_test(&ws, &name, &group);
                    }
                    // So does a test alert's webhook delivery.
                    Submit::TestAlert => {
                        let channel = form.get("channel").trim().to_owned();
                        return self.start_alert(&channel);
                    }
                    Submit::Run(run) => {
                        let Some(s) = &self.session else { return };
                        run(&self.console, s, form)
                    }
                };
                match result {
                    Err(ConsoleError::Invalid { field, reason }) => {
                        form.show_error(Some(&field), reason)
                    }
                    Err(e @ ConsoleError::Denied { .. }) => {
                        self.form = None;
                        self.show_error(e);
                    }
                    Err(e) => form.show_error(None, e.to_string()),
                    Ok(next) => {
                        self.form = None;
                        self.opened(Ok(next));
                    }
                }
            }
        }
    }

    /// The editor: Ctrl-S saves through the console (a refusal stays in the editor), Esc
    /// leaves it unsaved, every other key edits.
    fn editor_key(&mut self, key: KeyEvent, ev: &Event) {
        let Some(e) = &mut self.editor else { return };
        match key.code {
            KeyCode::Esc => {
                self.editor = None;
                self.toast = Some("left the editor; nothing was saved".into());
            }
            KeyCode::Char('s') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                let Some(s) = &self.session else { return };
                match (e.save)(&self.console, s, &e.text()) {
                    Ok(next) => {
                        self.editor = None;
                        self.opened(Ok(next));
                    }
                    Err(err @ ConsoleError::Denied { .. }) => {
                        self.editor = None;
                        self.show_error(err);
                    }
                    Err(err) => e.error = Some(err.to_string()),
                }
            }
            _ => e.key(ev),
        }
    }

    fn confirm_key(&mut self, key: KeyEvent, ev: &Event) {
        let Some(c) = &mut self.confirm else { return };
        let yes_no = c.typed.is_none();
        match key.code {
            KeyCode::Esc => self.confirm = None,
            KeyCode::Char('n' | 'N') if yes_no => self.confirm = None,
            KeyCode::Enter | KeyCode::Char('y' | 'Y') if yes_no => self.run_confirmed(),
            KeyCode::Enter if c.matches() => self.run_confirmed(),
            KeyCode::Enter => {
                let name = c.typed.clone().unwrap_or_default();
                self.toast = Some(format!("type {name} exactly to confirm, or Esc"))
            }
            _ if yes_no => self.toast = Some("y confirms, n or Esc cancels".into()),
            _ => {
                c.input.handle_event(ev);
            }
        }
    }

    fn run_confirmed(&mut self) {
        let Some(c) = self.confirm.take() else { return };
        let Some(s) = &self.session else { return };
        match (c.run)(&self.console, s) {
            Ok(msg) => {
                self.toast = Some(msg);
                // Keep the person's tab and the selected item (by id), not row 1.
                self.refresh_in_place();
            }
            Err(e) => self.show_error(e),
        }
    }

    /// The view the keys act on: the details if open, else the page.
    pub fn current(&mut self) -> &mut View {
        match &mut self.details {
            Some((_, v)) => v,
            None => &mut self.view,
        }
    }

    pub fn current_ref(&self) -> &View {
        match &self.details {
            Some((_, v)) => v,
            None => &self.view,
        }
    }

    pub fn filter_text(&self) -> &str {
        self.filter.as_ref().map_or("", |f| f.value())
    }

    pub fn handle_event(&mut self, ev: &Event) {
        match ev {
            Event::Key(key) if key.kind == crossterm::event::KeyEventKind::Press => {
                self.handle_key(*key, ev)
            }
            Event::Paste(text) => self.paste(text),
            Event::Resize(w, h) => self.size = (*w, *h),
            Event::Mouse(m) => self.mouse(m),
            _ => {}
        }
    }

    /// A click selects the row, tab or navigation entry under it; the wheel scrolls.
    fn mouse(&mut self, m: &crossterm::event::MouseEvent) {
        if self.gate.is_some()
            || self.form.is_some()
            || self.confirm.is_some()
            || self.editor.is_some()
        {
            return;
        }
        match m.kind {
            MouseEventKind::ScrollDown => match &mut self.popup {
                Some(Popup::Detail(_, scroll)) => *scroll += 3,
                _ => self.moved(|v| v.move_by(3)),
            },
            MouseEventKind::ScrollUp => match &mut self.popup {
                Some(Popup::Detail(_, scroll)) => *scroll = scroll.saturating_sub(3),
                _ => self.moved(|v| v.move_by(-3)),
            },
            MouseEventKind::Down(crossterm::event::MouseButton::Left)
                if self.popup.is_none() && self.access.is_none() =>
            {
                self.click(m.column, m.row)
            }
            _ => {}
        }
    }

    fn click(&mut self, x: u16, y: u16) {
        use super::ui::{Hit, hit};
        match hit(self, x, y) {
            Some(Hit::Nav(i)) => self.go(i),
            Some(Hit::Tab(i)) => self.moved(|v| {
                v.tab = i.min(v.tabs.len().saturating_sub(1));
                v.clamp();
            }),
            Some(Hit::Row(pos)) => {
                let again = self.current_ref().table().selected == pos;
                self.moved(|v| v.move_to(pos));
                // A second click on the selected row opens it, as Enter does.
                if again {
                    self.open();
                }
            }
            None => {}
        }
    }

    /// Bracketed paste: the text goes into the field being typed in, as text; it never acts as
    /// keys (a pasted `x` disables nothing).
    pub fn paste(&mut self, text: &str) {
        use super::form::paste_into;
        self.toast = None;
        let refused = |e: String| Some(e);
        let outcome = if let Some(e) = &mut self.editor {
            e.paste(text);
            None
        } else if let Some(form) = &mut self.form {
            form.paste(text);
            None
        } else if let Some(c) = &mut self.confirm {
            paste_into(&mut c.input, text).err().and_then(refused)
        } else if let Some(p) = &mut self.palette {
            let r = paste_into(&mut p.input, text).err().and_then(refused);
            let all = palette_commands(&self.offers);
            p.refresh(&all);
            r
        } else if let Some(f) = &mut self.filter {
            let r = paste_into(f, text).err().and_then(refused);
            let value = f.value().to_owned();
            self.moved(|v| v.set_filter(&value));
            r
        } else if let Some(Gate::LogOn {
            user,
            password,
            on_password,
            ..
        }) = &mut self.gate
        {
            let input = if *on_password { password } else { user };
            paste_into(input, text).err().and_then(refused)
        } else {
            Some("a paste goes into a field being typed in; nothing here takes text".into())
        };
        if let Some(e) = outcome {
            self.toast = Some(e);
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, ev: &Event) {
        self.toast = None;
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.quit = true;
            return;
        }
        if self.gate.is_some() {
            return self.gate_key(key, ev);
        }
        if self.editor.is_some() {
            return self.editor_key(key, ev);
        }
        if self.form.is_some() {
            return self.form_key(key, ev);
        }
        if self.confirm.is_some() {
            return self.confirm_key(key, ev);
        }
        if let Some(Popup::Detail(_, scroll)) = &mut self.popup {
            let page = (self.size.1 as usize).saturating_sub(8).max(1);
            match keymap::action(key) {
                Some(Action::Down) => *scroll += 1,
                Some(Action::Up) => *scroll = scroll.saturating_sub(1),
                Some(Action::PageDown | Action::HalfDown) => *scroll += page,
                Some(Action::PageUp | Action::HalfUp) => *scroll = scroll.saturating_sub(page),
                Some(Action::Top) => *scroll = 0,
                Some(Action::Bottom) => *scroll = usize::MAX / 2,
                Some(Action::Back | Action::Quit | Action::Open | Action::Help) => {
                    self.popup = None
                }
                _ => {}
            }
            return;
        }
        if self.popup == Some(Popup::Help) {
            match keymap::action(key) {
                Some(Action::Down) => self.help_scroll += 1,
                Some(Action::Up) => self.help_scroll = self.help_scroll.saturating_sub(1),
                Some(Action::PageDown | Action::HalfDown) => self.help_scroll += 10,
                Some(Action::PageUp | Action::HalfUp) => {
                    self.help_scroll = self.help_scroll.saturating_sub(10)
                }
                Some(Action::Top) => self.help_scroll = 0,
                Some(Action::Back | Action::Quit | Action::Open | Action::Help) => {
                    self.popup = None;
                    self.help_scroll = 0;
                }
                _ => {}
            }
            return;
        }
        if self.popup.is_some() {
            if matches!(
                key.code,
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') | KeyCode::Char('?')
            ) {
                self.popup = None;
            }
            return;
        }
        if key.code == KeyCode::Esc
            && self.palette.is_none()
            && self.filter.is_none()
            && self.cancel_test()
        {
            return;
        }
        if self.access.is_some() && self.palette.is_none() {
            return self.access_key(key);
        }
        if self.palette.is_some() {
            return self.palette_key(key, ev);
        }
        if let Some(f) = &mut self.filter {
            match key.code {
                KeyCode::Esc => self.filter = None,
                KeyCode::Enter => {
                    // Keep the filter applied; stop typing.
                    let text = f.value().to_owned();
                    self.current().filter = text;
                    self.filter = None;
                }
                _ => {
                    f.handle_event(ev);
                    let text = f.value().to_owned();
                    self.moved(|v| v.set_filter(&text));
                }
            }
            return;
        }
        // Keys the settings file gives to an action or a command come first.
        if let KeyCode::Char(c) = key.code
            && !key.modifiers.contains(KeyModifiers::CONTROL)
            && self.settings.takes(c)
        {
            if let Some(a) = self.settings.action_for(c) {
                return self.act(a);
            }
            if let Some(name) = self.settings.command_for(c) {
                if let Some(k) = self.offers.iter().find(|o| o.name == name).map(|o| o.key) {
                    self.try_action(k);
                }
                return;
            }
        }
        if let Some(a) = keymap::action(key) {
            self.act(a);
        }
    }

    fn gate_key(&mut self, key: KeyEvent, ev: &Event) {
        match self.gate.as_mut() {
            Some(Gate::Picker { users, selected }) => match key.code {
                KeyCode::Char('j') | KeyCode::Down => {
                    *selected = (*selected + 1).min(users.len().saturating_sub(1))
                }
                KeyCode::Char('k') | KeyCode::Up => *selected = selected.saturating_sub(1),
                KeyCode::Char('q') | KeyCode::Esc => self.quit = true,
                KeyCode::Enter => {
                    let user = users[*selected].clone();
                    if let Err(e) = self.log_on(&user, "") {
                        self.toast = Some(e.to_string());
                    }
                }
                _ => {}
            },
            Some(Gate::LogOn {
                user,
                password,
                on_password,
                error,
                changing,
                mfa,
            }) => match key.code {
                KeyCode::Esc => self.quit = true,
                KeyCode::Tab | KeyCode::BackTab if changing.is_none() && mfa.is_none() => {
                    *on_password = !*on_password
                }
                KeyCode::Enter if !*on_password => *on_password = true,
                KeyCode::Enter => {
                    let (u, p) = (user.value().to_owned(), password.value().to_owned());
                    let (old, verified) = (changing.clone(), mfa.clone());
                    *password = Input::default();
                    *error = None;
                    let result = match (&old, &verified) {
                        (_, Some(pw)) => self.log_on_full(&u, pw, None, Some(&p)),
                        (Some(one_time), None) => self.log_on_changing(&u, one_time, Some(&p)),
                        (None, None) => self.log_on(&u, &p),
                    };
                    if let Err(e) = result {
                        if let Some(Gate::LogOn {
                            error,
                            changing,
                            mfa,
                            ..
                        }) = self.gate.as_mut()
                        {
                            if let ConsoleError::MfaRequired(_) = e {
                                // The password was right: now the authenticator's code.
                                *mfa = Some(verified.unwrap_or(p));
                                *error = Some(
                                    "you have MFA: type the 6-digit code of your authenticator app"
                                        .into(),
                                );
                            } else if let ConsoleError::PasswordChangeRequired(_) = e {
                                // The one-time password was right: now the new one.
                                *changing = Some(p);
                                *error = Some(
                                    "your password is one-time: type a new one (at least 8 characters)"
                                        .into(),
                                );
                            } else {
                                *error = Some(e.to_string());
                            }
                        }
                    }
                }
                _ => {
                    let field = if *on_password { password } else { user };
                    field.handle_event(ev);
                }
            },
            None => {}
        }
    }

    pub fn act(&mut self, a: Action) {
        let page = self.page_rows();
        match a {
            Action::Quit => self.quit = true,
            Action::Help => self.popup = Some(Popup::Help),
            Action::Filter => self.filter = Some(Input::new(self.current_ref().filter.clone())),
            Action::Palette => self.open_palette(),
            Action::Up => self.moved(|v| v.move_by(-1)),
            Action::Down => self.moved(|v| v.move_by(1)),
            Action::PageUp => self.moved(|v| v.move_by(-page)),
            Action::PageDown => self.moved(|v| v.move_by(page)),
            Action::HalfUp => self.moved(|v| v.move_by(-page / 2)),
            Action::HalfDown => self.moved(|v| v.move_by(page / 2)),
            Action::Top => self.moved(|v| v.move_to(0)),
            Action::Bottom => self.moved(|v| v.move_to(usize::MAX)),
            Action::NextTab => self.moved(|v| v.cycle_tab(1)),
            Action::PrevTab => self.moved(|v| v.cycle_tab(-1)),
            Action::Left => self.current().scroll_columns(-1),
            Action::Right => self.current().scroll_columns(1),
            Action::Sort => self.moved(View::cycle_sort),
            Action::Reverse => self.moved(View::reverse_sort),
            Action::Do(c) => self.try_action(c),
            Action::Page(n) => {
                if n < NAV.len() {
                    self.go(n)
                }
            }
            Action::Back => {
                if self.details.take().is_none() && !self.current_ref().filter.is_empty() {
                    self.current().set_filter("");
                }
                self.refresh_offers();
            }
            Action::Open => self.open(),
        }
    }

    /// Rows a page key moves: the table's height on this terminal.
    fn page_rows(&self) -> isize {
        (self.size.1 as isize - 8).max(1)
    }

    /// Moves within the view; the offers depend on the selection and the tab.
    fn moved(&mut self, f: impl FnOnce(&mut View)) {
        let before = (self.current_ref().tab, self.current_ref().selected_id());
        f(self.current());
        if (self.current_ref().tab, self.current_ref().selected_id()) != before {
            self.refresh_offers();
        }
    }

    fn go(&mut self, page: usize) {
        self.page = page.min(NAV.len() - 1);
        self.details = None;
        self.reload();
    }

    /// Opens a workspace's details (noting the use for the Overview).
    fn open_workspace(&mut self, ws: &str) {
        let Some(s) = &self.session else { return };
        // Only feeds the Overview's frequently used list; failing to note it costs nothing.
        let _ = self.console.note_workspace_use(s, ws);
        let (v, panes) = load_details(&self.console, s, ws);
        self.details = Some((ws.to_owned(), v));
        self.detail_panes = panes;
        self.refresh_offers();
    }

    /// Enter: what the pane opens for the row (a workspace's details), else the row's detail
    /// view; on a refused list, why it is empty.
    fn open(&mut self) {
        if let Some(err) = &self.current_ref().table().error {
            self.popup = Some(Popup::Explain("Why this is empty".into(), err.clone()));
            return;
        }
        let Some(s) = &self.session else { return };
        let here = self.here();
        let Some(id) = here.selected.clone() else {
            return;
        };
        let pane = self.pane();
        if let Some(o) = pane.open(&self.console, s, &here) {
            return self.opened(Ok(o));
        }
        let detail = match pane.detail(&self.console, s, &here, &id) {
            Some(d) => d,
            None => {
                let t = self.current_ref().table();
                Ok(pages::row_detail(&t.title, &t.columns, &here.row))
            }
        };
        self.opened(detail.map(Opened::Detail));
    }

    fn open_palette(&mut self) {
        self.palette = Some(Palette::new(&palette_commands(&self.offers)));
    }

    fn palette_key(&mut self, key: KeyEvent, ev: &Event) {
        let all = palette_commands(&self.offers);
        let Some(p) = &mut self.palette else { return };
        match key.code {
            KeyCode::Esc => self.palette = None,
            KeyCode::Enter => {
                let cmd = p.input.value().trim().to_owned();
                self.palette = None;
                palette::remember(&mut self.history, &cmd);
                self.run_command(&cmd);
            }
            KeyCode::Tab => p.cycle(1),
            KeyCode::BackTab => p.cycle(-1),
            KeyCode::Up => p.recall(&self.history, -1),
            KeyCode::Down => p.recall(&self.history, 1),
            _ => {
                p.input.handle_event(ev);
                p.refresh(&all);
            }
        }
    }

    /// Opens the access panel of `user` (the session's own when empty).
    pub fn show_access(&mut self, user: &str) {
        let Some(s) = &self.session else { return };
        let user = if user.is_empty() {
            s.who().to_owned()
        } else {
            user.to_owned()
        };
        match super::access::load(&self.console, s, &user) {
            Ok(panel) => self.access = Some(panel),
            Err(e) => self.show_error(e),
        }
    }

    fn access_key(&mut self, key: KeyEvent) {
        let Some(panel) = &mut self.access else {
            return;
        };
        match key.code {
            KeyCode::Left | KeyCode::Char('h') => return panel.move_col(-1),
            KeyCode::Right | KeyCode::Char('l') => return panel.move_col(1),
            _ => {}
        }
        let v = &mut panel.view;
        match keymap::action(key) {
            Some(Action::Back | Action::Quit) => self.access = None,
            Some(Action::Open) => {
                let (title, trace) = panel.selected_why();
                if !title.is_empty() {
                    self.popup = Some(Popup::Explain(format!("Why {title}"), trace.to_vec()));
                }
            }
            Some(Action::Up) => v.move_by(-1),
            Some(Action::Down) => v.move_by(1),
            Some(Action::Top) => v.move_to(0),
            Some(Action::Bottom) => v.move_to(usize::MAX),
            Some(Action::NextTab) => v.cycle_tab(1),
            Some(Action::PrevTab) => v.cycle_tab(-1),
            Some(Action::Palette) => self.open_palette(),
            Some(Action::Help) => self.popup = Some(Popup::Help),
            _ => {}
        }
    }

    /// Runs a palette command.
    pub fn run_command(&mut self, cmd: &str) {
        let (verb, arg) = cmd
            .split_once(' ')
            .map_or((cmd, ""), |(v, a)| (v, a.trim()));
        if let Some(i) = NAV.iter().position(|e| e.verb == verb) {
            return self.go(i);
        }
        if let Some(o) = self.offers.iter().find(|o| o.name == verb) {
            let key = o.key;
            return self.try_action(key);
        }
        match verb {
            "quit" | "q" => self.quit = true,
            "help" => self.popup = Some(Popup::Help),
            "access" => self.show_access(arg),
            "can" => {
                if let Some(s) = &self.session {
                    self.form = Some(pages::overview::can_form(s.who()));
                }
            }
            "jobs" => {
                self.go(NAV.iter().position(|e| e.verb == "audit").unwrap_or(0));
                self.view.tab = 1.min(self.view.tabs.len().saturating_sub(1));
                self.refresh_offers();
            }
            "region" => match crate::domain::region::region("region", arg) {
                Ok(r) => {
                    if let Some(s) = &mut self.session {
                        s.region = r.id.to_owned();
                    }
                    self.details = None;
                    self.reload();
                    self.summarize();
                    self.toast = Some(format!("region {}", r.title));
                }
                Err(e) => self.toast = Some(e.to_string()),
            },
            "user" if self.console.tenant().open => {
                if let Err(e) = self.log_on(arg, "") {
                    self.toast = Some(e.to_string());
                }
            }
            "user" => {
                self.toast =
                    Some(":user works on a demo store; log on again to switch users".into())
            }
            "" => {}
            other => {
                let refused = self.offers.iter().any(|o| o.name == other);
                self.toast = Some(if refused {
                    format!("{other} is not allowed here (? shows why)")
                } else {
                    format!("unknown command {other:?} (Tab completes)")
                })
            }
        }
    }
}

/// The palette commands that need no page: navigation, questions, regions, and users.
pub const GLOBAL_COMMANDS: &[(&str, &str)] = &[
    ("access", "your access, or access USER's"),
    ("can", "may USER take ACTION on TARGET?"),
    ("jobs", "jobs running and done"),
    ("region", "region ID: work in another region"),
    ("user", "user NAME: act as another user (demo store)"),
    ("help", "the keys and commands"),
    ("quit", "leave the console"),
];

/// What the palette offers: navigation, this pane's allowed commands, questions and regions.
pub fn palette_commands(offers: &[Offer]) -> Vec<String> {
    let mut v: Vec<String> = NAV.iter().map(|e| e.verb.to_owned()).collect();
    v.extend(
        offers
            .iter()
            .filter(|o| o.verdict.allowed)
            .map(|o| o.name.to_owned()),
    );
    v.extend(
        GLOBAL_COMMANDS
            .iter()
            .filter(|(c, _)| !matches!(*c, "region" | "user"))
            .map(|(c, _)| c.to_string()),
    );
    v.extend(
        crate::domain::region::REGIONS
            .iter()
            .map(|r| format!("region {}", r.id)),
    );
    v.push("user ".into());
    v
}

/// A navigation entry's tabs, loaded.
pub fn load_entry(c: &Console, s: &Session, page: usize) -> View {
    let entry = &NAV[page.min(NAV.len() - 1)];
    let here = Here::default();
    let mut v = View {
        tabs: entry.panes.iter().map(|p| p.load(c, s, &here)).collect(),
        overview: entry.panels.map(|f| f(c, s)),
        ..Default::default()
    };
    // The panels' workspaces are the Overview's rows.
    if let (Some(o), Some(t)) = (&v.overview, v.tabs.first_mut()) {
        *t = pages::overview::table(o);
    }
    shrink(&mut v);
    v
}

/// A workspace's details: one tab per pane of `DETAILS` that this workspace has, and those
/// panes.
pub fn load_details(c: &Console, s: &Session, ws: &str) -> (View, Vec<&'static dyn Pane>) {
    let here = Here {
        workspace: Some(ws.to_owned()),
        ..Default::default()
    };
    let panes: Vec<&'static dyn Pane> = DETAILS
        .iter()
        .copied()
        .filter(|p| p.present(c, s, ws))
        .collect();
    let mut v = View {
        tabs: panes.iter().map(|p| p.load(c, s, &here)).collect(),
        ..Default::default()
    };
    shrink(&mut v);
    (v, panes)
}

/// Held until the next reload, by every open session: no growth slack kept.
fn shrink(v: &mut View) {
    for t in &mut v.tabs {
        t.rows.shrink_to_fit();
        t.ids.shrink_to_fit();
    }
}

/// Product updates for the Overview (assets).
pub fn updates() -> Vec<(String, String)> {
    catalogue::product_updates()
        .iter()
        .map(|u| (u.date.clone(), u.title.clone()))
        .collect()
}
