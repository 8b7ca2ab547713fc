//! The console's state and how actions change it. Data is loaded from the console when a person
//! navigates; drawing only reads this state (no store I/O, no authorization on the draw path).

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::console::{Console, ConsoleError, Session};
use crate::domain::{Scope, catalogue};

use super::actions::{self, Context, Offer, Opened};
use super::form::{Confirm, Form, FormOutcome};
use super::keymap::{self, Action};
use super::view::{self, View};

pub const PAGES: [&str; 8] = [
    "Overview",
    "Workspaces",
    "Resource Groups",
    "Large Model Service",
    "Image Management",
    "Purchased Services",
    "Management Center",
    "Audit log",
];

/// The navigation's names on a narrow terminal, where every column counts.
pub const SHORT_PAGES: [&str; 8] = [
    "Overview",
    "Workspaces",
    "Res. groups",
    "Models",
    "Images",
    "Purchased",
    "Management",
    "Audit log",
];

/// Before log-on: a password form, or on a demo store a user picker.
pub enum Gate {
    LogOn {
        user: Input,
        password: Input,
        on_password: bool,
        error: Option<String>,
        /// The one-time password just verified: the password field now takes a new one.
        changing: Option<String>,
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
}

pub struct App {
    pub console: std::sync::Arc<Console>,
    pub session: Option<Session>,
    pub gate: Option<Gate>,
    pub page: usize,
    pub view: View,
    /// The workspace whose details are open, over the Workspaces page.
    pub details: Option<(String, View)>,
    pub popup: Option<Popup>,
    /// `Some` while typing a filter or a palette command.
    pub filter: Option<Input>,
    pub palette: Option<Input>,
    pub toast: Option<String>,
    pub form: Option<Form>,
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
            }),
        };
        let mut app = App {
            console,
            session,
            gate,
            page: 0,
            view: View::default(),
            details: None,
            popup: None,
            filter: None,
            palette: None,
            toast: None,
            form: None,
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
        let region = self.region();
        let account = self.console.tenant().account;
        let name = if user.is_empty() || user == account {
            None
        } else {
            Some(user)
        };
        let s = self.console.authenticate_changing(
            name,
            Some(password),
            new_password,
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
        if self.session.is_none() || self.form.is_some() || self.confirm.is_some() {
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
        self.view = view::load_page(&self.console, s, self.page);
        if let Some((ws, _)) = &self.details {
            let ws = ws.clone();
            let tab = self.details.as_ref().map_or(0, |(_, v)| v.tab);
            let mut v = view::load_details(&self.console, s, &ws);
            v.tab = tab.min(v.tabs.len().saturating_sub(1));
            self.details = Some((ws, v));
        }
        self.refresh_offers();
    }

    pub fn context(&self) -> Context {
        Context {
            page: self.page,
            details: self.details.as_ref().map(|(ws, v)| (ws.clone(), v.tab)),
            tab: self.view.tab,
            selected: self.current_ref().selected_id(),
        }
    }

    /// Asks the console which of this context's actions the session may take.
    pub fn refresh_offers(&mut self) {
        self.offers = match &self.session {
            Some(s) => actions::offers(&self.console, s, &self.context()),
            None => Vec::new(),
        };
    }

    fn try_action(&mut self, key: char) {
        let Some(offer) = self.offers.iter().find(|o| o.key == key).cloned() else {
            return;
        };
        if !offer.verdict.allowed {
            self.popup = Some(Popup::Explain(
                format!("Not allowed: {}", offer.op.action()),
                offer.verdict.trace,
            ));
            return;
        }
        let Some(s) = &self.session else { return };
        match actions::open(&self.console, s, &self.context(), key) {
            Ok(Opened::Form(f)) => self.form = Some(f),
            Ok(Opened::Confirm(c)) => self.confirm = Some(c),
            Ok(Opened::Done(msg)) => {
                self.toast = Some(msg);
                // Keep the person's tab and the selected item (by id), not row 1.
                self.refresh_in_place();
            }
            Ok(Opened::Access(user)) => self.show_access(&user),
            Ok(Opened::Show(title, lines)) => self.popup = Some(Popup::Explain(title, lines)),
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
                // A connectivity test runs beside the event loop, not in the form's submit.
                if let super::form::FormKind::TestDataSource { workspace, name } = &form.kind {
                    let (ws, name, group) = (
                        workspace.clone(),
                        name.clone(),
                        form.get("group").trim().to_owned(),
                    );
                    self.form = None;
                    return self.start_test(&ws, &name, &group);
                }
                // So does a test alert's webhook delivery.
                if let super::form::FormKind::TestAlert = &form.kind {
                    let channel = form.get("channel").trim().to_owned();
                    return self.start_alert(&channel);
                }
                let Some(s) = &self.session else { return };
                match actions::submit(&self.console, s, form) {
                    Ok(msg) => {
                        self.form = None;
                        self.toast = Some(msg);
                        // Keep the person's tab and the selected item (by id), not row 1.
                        self.refresh_in_place();
                    }
                    Err(ConsoleError::Invalid { field, reason }) => {
                        form.show_error(Some(&field), reason)
                    }
                    Err(e @ ConsoleError::Denied { .. }) => {
                        self.form = None;
                        self.show_error(e);
                    }
                    Err(e) => form.show_error(None, e.to_string()),
                }
            }
        }
    }

    fn confirm_key(&mut self, key: KeyEvent, ev: &Event) {
        let Some(c) = &mut self.confirm else { return };
        match key.code {
            KeyCode::Esc => self.confirm = None,
            KeyCode::Enter if c.matches() => {
                let action = c.action.clone();
                self.confirm = None;
                let Some(s) = &self.session else { return };
                match actions::confirm(&self.console, s, &action) {
                    Ok(msg) => {
                        self.toast = Some(msg);
                        // Keep the person's tab and the selected item (by id), not row 1.
                        self.refresh_in_place();
                    }
                    Err(e) => self.show_error(e),
                }
            }
            KeyCode::Enter => {
                self.toast = Some(format!("type {} exactly to confirm, or Esc", c.name))
            }
            _ => {
                c.input.handle_event(ev);
            }
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
            _ => {}
        }
    }

    /// Bracketed paste: the text goes into the field being typed in, as text; it never acts as
    /// keys (a pasted `x` disables nothing).
    pub fn paste(&mut self, text: &str) {
        use super::form::paste_into;
        self.toast = None;
        let refused = |e: String| Some(e);
        let outcome = if let Some(form) = &mut self.form {
            form.paste(text);
            None
        } else if let Some(c) = &mut self.confirm {
            paste_into(&mut c.input, text).err().and_then(refused)
        } else if let Some(p) = &mut self.palette {
            paste_into(p, text).err().and_then(refused)
        } else if let Some(f) = &mut self.filter {
            let r = paste_into(f, text).err().and_then(refused);
            let value = f.value().to_owned();
            let v = self.current();
            v.filter = value;
            v.clamp();
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
        if self.form.is_some() {
            return self.form_key(key, ev);
        }
        if self.confirm.is_some() {
            return self.confirm_key(key, ev);
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
        if let Some(p) = &mut self.palette {
            match key.code {
                KeyCode::Esc => self.palette = None,
                KeyCode::Enter => {
                    let cmd = p.value().trim().to_owned();
                    self.palette = None;
                    self.run_command(&cmd);
                }
                KeyCode::Tab => {
                    let typed = p.value().to_owned();
                    if let Some(c) = palette_commands(&self.offers)
                        .into_iter()
                        .find(|c| c.starts_with(&typed))
                    {
                        *p = Input::new(c);
                    }
                }
                _ => {
                    p.handle_event(ev);
                }
            }
            return;
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
                    let v = self.current();
                    v.filter = text;
                    v.clamp();
                }
            }
            return;
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
            }) => match key.code {
                KeyCode::Esc => self.quit = true,
                KeyCode::Tab | KeyCode::BackTab if changing.is_none() => {
                    *on_password = !*on_password
                }
                KeyCode::Enter if !*on_password => *on_password = true,
                KeyCode::Enter => {
                    let (u, p) = (user.value().to_owned(), password.value().to_owned());
                    let old = changing.clone();
                    *password = Input::default();
                    *error = None;
                    let result = match &old {
                        Some(one_time) => self.log_on_changing(&u, one_time, Some(&p)),
                        None => self.log_on(&u, &p),
                    };
                    if let Err(e) = result {
                        if let Some(Gate::LogOn {
                            error, changing, ..
                        }) = self.gate.as_mut()
                        {
                            if let ConsoleError::PasswordChangeRequired(_) = e {
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
        match a {
            Action::Quit => self.quit = true,
            Action::Help => self.popup = Some(Popup::Help),
            Action::Filter => self.filter = Some(Input::new(self.current_ref().filter.clone())),
            Action::Palette => self.palette = Some(Input::default()),
            Action::Up => self.moved(|v| v.move_by(-1)),
            Action::Down => self.moved(|v| v.move_by(1)),
            Action::Top => self.moved(|v| v.move_to(0)),
            Action::Bottom => self.moved(|v| v.move_to(usize::MAX)),
            Action::NextTab => self.moved(|v| v.cycle_tab(1)),
            Action::PrevTab => self.moved(|v| v.cycle_tab(-1)),
            Action::Do(c) => self.try_action(c),
            Action::Page(n) => self.go(n),
            Action::Back => {
                if self.details.take().is_none() && !self.current_ref().filter.is_empty() {
                    self.current().filter.clear();
                }
                self.refresh_offers();
            }
            Action::Open => self.open(),
        }
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
        self.page = page.min(PAGES.len() - 1);
        self.details = None;
        self.reload();
    }

    /// Enter: on the Workspaces page opens the workspace's details; on a denied list explains.
    fn open(&mut self) {
        if let Some(err) = &self.current_ref().table().error {
            self.popup = Some(Popup::Explain("Why this is empty".into(), err.clone()));
            return;
        }
        if self.page == 1
            && self.details.is_none()
            && let (Some(s), Some(id)) = (&self.session, self.view.selected_id())
        {
            // Only feeds the Overview's frequently used list; failing to note it costs nothing.
            let _ = self.console.note_workspace_use(s, &id);
            let v = view::load_details(&self.console, s, &id);
            self.details = Some((id, v));
            self.refresh_offers();
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
            Some(Action::Palette) => self.palette = Some(Input::default()),
            Some(Action::Help) => self.popup = Some(Popup::Help),
            _ => {}
        }
    }

    /// Runs a palette command.
    pub fn run_command(&mut self, cmd: &str) {
        let (verb, arg) = cmd
            .split_once(' ')
            .map_or((cmd, ""), |(v, a)| (v, a.trim()));
        match verb {
            "quit" | "q" => self.quit = true,
            "overview" => self.go(0),
            "workspaces" => self.go(1),
            "resource-groups" => self.go(2),
            "models" => self.go(3),
            "images" => self.go(4),
            "services" => self.go(5),
            "management" => self.go(6),
            "audit" => self.go(7),
            "help" => self.popup = Some(Popup::Help),
            verb if ACTION_VERBS.iter().any(|(v, _)| *v == verb) => {
                let key = ACTION_VERBS
                    .iter()
                    .find(|(v, _)| *v == verb)
                    .map_or(' ', |(_, k)| *k);
                self.try_action(key);
            }
            "access" => self.show_access(arg),
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
            other => self.toast = Some(format!("unknown command {other:?} (Tab completes)")),
        }
    }
}

/// Palette verbs that run a page action, by key.
const ACTION_VERBS: &[(&str, char)] = &[
    ("new", 'n'),
    ("edit", 'e'),
    ("delete", 'd'),
    ("remove", 'd'),
    ("detach", 'd'),
    ("disable", 'x'),
    ("enable", 'x'),
    ("upgrade", 'u'),
    ("restore", 'r'),
    ("renew", 'r'),
    ("attach", 'a'),
    ("scale", 's'),
    ("test", 't'),
];

/// What the palette offers, for completion: navigation, regions, and only the actions the
/// console allows here.
pub fn palette_commands(offers: &[Offer]) -> Vec<String> {
    let mut v: Vec<String> = [
        "overview",
        "workspaces",
        "resource-groups",
        "models",
        "images",
        "services",
        "management",
        "audit",
        "access",
        "help",
        "quit",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.extend(
        ACTION_VERBS
            .iter()
            .filter(|(_, k)| offers.iter().any(|o| o.key == *k && o.verdict.allowed))
            .map(|(verb, _)| verb.to_string()),
    );
    v.extend(
        crate::domain::region::REGIONS
            .iter()
            .map(|r| format!("region {}", r.id)),
    );
    v.push("user ".into());
    v
}

/// Product updates for the Overview (assets).
pub fn updates() -> Vec<(String, String)> {
    catalogue::product_updates()
        .iter()
        .map(|u| (u.date.clone(), u.title.clone()))
        .collect()
}
