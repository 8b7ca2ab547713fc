//! Forms: tui-input fields with the domain's validation shown next to the field. Tab moves between
//! fields, Enter submits, Esc cancels and changes nothing. The first field of a create form is the
//! name; secret fields are masked while typed and never shown again.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::pages::Opened;
use crate::console::{Console, ConsoleError, Session};

/// What submitting the form does: a console call (whose answer may open something else, a
/// result or a further step), or work the app runs beside the event loop.
pub enum Submit {
    Run(SubmitFn),
    /// A data source's connectivity test (App::start_test).
    TestDataSource {
        workspace: String,
        name: String,
    },
    /// A test alert, whose webhook delivery runs beside the loop (App::start_alert).
    TestAlert,
}

pub type SubmitFn =
    Box<dyn Fn(&Console, &Session, &Form) -> Result<Opened, ConsoleError> + Send + Sync>;

/// Called after a field's value changed, to let the form follow it (a data source's fields
/// follow its type).
pub type OnChange = fn(&mut Form, changed: &'static str);

/// A field check run as the person types: `Err` is shown beside the field.
pub type Check = fn(&str) -> Result<(), String>;

pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub input: Input,
    pub secret: bool,
    pub hint: String,
    pub check: Option<Check>,
    pub error: Option<String>,
    /// A field with a fixed set of values is a picker: ←/→ choose, typing is not needed.
    pub choices: Vec<String>,
}

impl Field {
    pub fn new(name: &'static str, label: &'static str) -> Field {
        Field {
            name,
            label,
            input: Input::default(),
            secret: false,
            hint: String::new(),
            check: None,
            error: None,
            choices: Vec::new(),
        }
    }

    /// Makes the field a picker of `choices`; its value starts at the first unless set.
    pub fn choices<S: ToString>(mut self, choices: impl IntoIterator<Item = S>) -> Field {
        self.choices = choices.into_iter().map(|c| c.to_string()).collect();
        if self.text().is_empty()
            && let Some(first) = self.choices.first()
        {
            self.input = Input::new(first.clone());
        }
        self
    }

    /// Moves a picker to the next (or previous) choice.
    fn pick(&mut self, d: isize) {
        let n = self.choices.len() as isize;
        if n == 0 {
            return;
        }
        let at = self.choices.iter().position(|c| c == self.text());
        let next = match at {
            Some(i) => (i as isize + d).rem_euclid(n),
            None => 0,
        } as usize;
        self.input = Input::new(self.choices[next].clone());
        self.error = None;
    }

    pub fn value(mut self, v: &str) -> Field {
        self.input = Input::new(v.to_owned());
        self
    }

    pub fn hint(mut self, h: impl Into<String>) -> Field {
        self.hint = h.into();
        self
    }

    pub fn secret(mut self) -> Field {
        self.secret = true;
        self
    }

    pub fn check(mut self, c: Check) -> Field {
        self.check = Some(c);
        self
    }

    pub fn text(&self) -> &str {
        self.input.value()
    }

    /// What is drawn for the value: secrets as dots.
    pub fn shown(&self) -> String {
        if self.secret {
            "•".repeat(self.text().chars().count())
        } else {
            self.text().to_owned()
        }
    }

    fn revalidate(&mut self) {
        self.error = match self.check {
            Some(c) if !self.text().is_empty() => c(self.text()).err(),
            _ => None,
        };
    }
}

pub struct Form {
    pub submit: Submit,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// An error that belongs to no field (conflicts, the console's refusals).
    pub error: Option<String>,
    pub on_change: Option<OnChange>,
}

/// Puts pasted text into a one-line input as text, never as keys. One trailing line break (as
/// copying a line gives) is dropped; a line break inside is refused, as are control characters.
pub fn paste_into(input: &mut Input, text: &str) -> Result<(), String> {
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    if text.contains(['\n', '\r']) {
        return Err("the pasted text has line breaks: this field takes one line".into());
    }
    if text.chars().any(char::is_control) {
        return Err("the pasted text has control characters: nothing was pasted".into());
    }
    for c in text.chars() {
        input.handle(tui_input::InputRequest::InsertChar(c));
    }
    Ok(())
}

pub enum FormOutcome {
    Stay,
    Cancel,
    Submit,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>, submit: Submit) -> Form {
        Form {
            submit,
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            on_change: None,
        }
    }

    /// A form whose submit is a console call.
    pub fn run(
        title: impl Into<String>,
        fields: Vec<Field>,
        f: impl Fn(&Console, &Session, &Form) -> Result<Opened, ConsoleError> + Send + Sync + 'static,
    ) -> Form {
        Form::new(title, fields, Submit::Run(Box::new(f)))
    }

    pub fn following(mut self, f: OnChange) -> Form {
        self.on_change = Some(f);
        self
    }

    fn changed(&mut self) {
        if let Some(f) = self.on_change {
            let name = self.fields[self.focus].name;
            f(self, name);
            self.focus = self.focus.min(self.fields.len().saturating_sub(1));
        }
    }

    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map_or("", |f| f.text())
    }

    /// Puts an error beside the field it names, or on the form.
    pub fn show_error(&mut self, field: Option<&str>, message: String) {
        match field.and_then(|n| self.fields.iter().position(|f| f.name == n)) {
            Some(i) => {
                self.fields[i].error = Some(message);
                self.focus = i;
            }
            None => self.error = Some(message),
        }
    }

    /// A paste into the focused field; a refusal stays beside the field.
    pub fn paste(&mut self, text: &str) {
        let f = &mut self.fields[self.focus];
        if !f.choices.is_empty() {
            f.error = Some(format!("choose with ←/→: {}", f.choices.join(", ")));
            return;
        }
        match paste_into(&mut f.input, text) {
            Ok(()) => f.revalidate(),
            Err(e) => f.error = Some(e),
        }
        self.error = None;
        self.changed();
    }

    pub fn key(&mut self, key: KeyEvent, ev: &Event) -> FormOutcome {
        match key.code {
            KeyCode::Esc => FormOutcome::Cancel,
            KeyCode::Enter => {
                self.fields.iter_mut().for_each(Field::revalidate);
                if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
                    self.focus = i;
                    return FormOutcome::Stay;
                }
                FormOutcome::Submit
            }
            KeyCode::Tab | KeyCode::Down => {
                self.focus = (self.focus + 1) % self.fields.len();
                FormOutcome::Stay
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
                FormOutcome::Stay
            }
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
                if !self.fields[self.focus].choices.is_empty() =>
            {
                let d = if key.code == KeyCode::Left { -1 } else { 1 };
                self.fields[self.focus].pick(d);
                self.error = None;
                self.changed();
                FormOutcome::Stay
            }
            _ if !self.fields[self.focus].choices.is_empty() => {
                let f = &mut self.fields[self.focus];
                f.error = Some(format!("choose with ←/→: {}", f.choices.join(", ")));
                FormOutcome::Stay
            }
            _ => {
                let f = &mut self.fields[self.focus];
                f.input.handle_event(ev);
                f.revalidate();
                self.error = None;
                self.changed();
                FormOutcome::Stay
            }
        }
    }
}

/// A change asked about first. A destructive one is confirmed by typing the name of what it
/// touches; one that is merely not trivially undone by `y` or Enter.
pub struct Confirm {
    pub prompt: String,
    /// The name to type; `None`: a yes/no question.
    pub typed: Option<String>,
    pub input: Input,
    pub run: ConfirmFn,
}

pub type ConfirmFn = Box<dyn Fn(&Console, &Session) -> Result<String, ConsoleError> + Send + Sync>;

impl Confirm {
    /// Confirmed by typing `name`.
    pub fn typed(
        prompt: impl Into<String>,
        name: &str,
        run: impl Fn(&Console, &Session) -> Result<String, ConsoleError> + Send + Sync + 'static,
    ) -> Confirm {
        Confirm {
            prompt: prompt.into(),
            typed: Some(name.to_owned()),
            input: Input::default(),
            run: Box::new(run),
        }
    }

    /// Confirmed by `y` or Enter.
    pub fn yes_no(
        prompt: impl Into<String>,
        run: impl Fn(&Console, &Session) -> Result<String, ConsoleError> + Send + Sync + 'static,
    ) -> Confirm {
        Confirm {
            prompt: prompt.into(),
            typed: None,
            input: Input::default(),
            run: Box::new(run),
        }
    }

    pub fn matches(&self) -> bool {
        self.typed
            .as_deref()
            .is_none_or(|n| self.input.value() == n)
    }
}

/// Field checks built from the domain's validators.
pub mod checks {
    use crate::domain::datasource::DataSourceType;
    use crate::domain::names;

    fn msg(e: crate::domain::DomainError) -> String {
        match e {
            crate::domain::DomainError::Invalid { rule, .. } => rule,
            e => e.to_string(),
        }
    }

    pub fn workspace_name(v: &str) -> Result<(), String> {
        names::workspace_name(v).map_err(msg)
    }
    pub fn channel(v: &str) -> Result<(), String> {
        crate::domain::alert::Channel::parse("channel", v.trim())
            .map(|_| ())
            .map_err(msg)
    }
    pub fn group_name(v: &str) -> Result<(), String> {
        names::resource_group_name(v).map_err(msg)
    }
    pub fn data_source_name(v: &str) -> Result<(), String> {
        names::data_source_name(v).map_err(msg)
    }
    pub fn compute_name(v: &str) -> Result<(), String> {
        names::compute_name(v).map_err(msg)
    }
    pub fn policy_name(v: &str) -> Result<(), String> {
        names::policy_name(v).map_err(msg)
    }
    pub fn role_name(v: &str) -> Result<(), String> {
        names::role_name(v).map_err(msg)
    }
    pub fn user(v: &str) -> Result<(), String> {
        names::user_name(v).map_err(msg)
    }
    pub fn display_name(v: &str) -> Result<(), String> {
        names::text_line("display_name", v, 0, 64).map_err(msg)
    }
    pub fn host(v: &str) -> Result<(), String> {
        names::host("host", v).map_err(msg)
    }
    pub fn port(v: &str) -> Result<(), String> {
        names::port_text("port", v).map(|_| ()).map_err(msg)
    }
    pub fn instance(v: &str) -> Result<(), String> {
        names::instance_id("instance", v).map_err(msg)
    }
    pub fn spec(v: &str) -> Result<(), String> {
        let n: u32 = v
            .trim()
            .parse()
            .map_err(|_| "must be a whole number of CU".to_owned())?;
        crate::domain::resource_group::check_spec(n).map_err(msg)
    }
    pub fn months(v: &str) -> Result<(), String> {
        let n: u32 = v
            .trim()
            .parse()
            .map_err(|_| "must be a number of months".to_owned())?;
        crate::domain::resource_group::check_months(n).map_err(msg)
    }
    pub fn mode(v: &str) -> Result<(), String> {
        crate::domain::WorkspaceMode::parse("mode", v)
            .map(|_| ())
            .map_err(msg)
    }
    pub fn env(v: &str) -> Result<(), String> {
        crate::domain::Env::parse("env", v).map(|_| ()).map_err(msg)
    }
    pub fn payment(v: &str) -> Result<(), String> {
        match v.to_ascii_lowercase().as_str() {
            "prepaid" | "postpaid" => Ok(()),
            _ => Err("must be prepaid or postpaid".into()),
        }
    }
    pub fn compute_type(v: &str) -> Result<(), String> {
        crate::domain::compute::ComputeType::parse("type", v)
            .map(|_| ())
            .map_err(msg)
    }
    pub fn ds_type(v: &str) -> Result<(), String> {
        DataSourceType::parse("type", v).map(|_| ()).map_err(msg)
    }
    pub fn roles(v: &str) -> Result<(), String> {
        for r in v.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            crate::domain::RoleRef::parse(r).map_err(msg)?;
        }
        Ok(())
    }
}
