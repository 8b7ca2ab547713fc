//! Forms: tui-input fields with the domain's validation shown next to the field. Tab moves between
//! fields, Enter submits, Esc cancels and changes nothing. The first field of a create form is the
//! name; secret fields are masked while typed and never shown again.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

/// What the form creates or changes, with the context it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    NewWorkspace,
    NewUser,
    EditWorkspace(String),
    NewResourceGroup,
    AttachGroup { workspace: String },
    AttachGroupTo { group: String },
    ScaleGroup(String),
    RenewGroup(String),
    AddMember { workspace: String },
    AttachCompute { workspace: String },
    NewDataSource { workspace: String },
    TestDataSource { workspace: String, name: String },
    TestAlert,
    AddKey { user: String },
    RemoveKey { user: String },
}

/// A field check run as the person types: `Err` is shown beside the field.
pub type Check = fn(&str) -> Result<(), String>;

pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub input: Input,
    pub secret: bool,
    pub hint: &'static str,
    pub check: Option<Check>,
    pub error: Option<String>,
}

impl Field {
    pub fn new(name: &'static str, label: &'static str) -> Field {
        Field {
            name,
            label,
            input: Input::default(),
            secret: false,
            hint: "",
            check: None,
            error: None,
        }
    }

    pub fn value(mut self, v: &str) -> Field {
        self.input = Input::new(v.to_owned());
        self
    }

    pub fn hint(mut self, h: &'static str) -> Field {
        self.hint = h;
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
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// An error that belongs to no field (conflicts, the console's refusals).
    pub error: Option<String>,
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
    pub fn new(kind: FormKind, title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            kind,
            title: title.into(),
            fields,
            focus: 0,
            error: None,
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
        match paste_into(&mut f.input, text) {
            Ok(()) => f.revalidate(),
            Err(e) => f.error = Some(e),
        }
        self.error = None;
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
            _ => {
                let f = &mut self.fields[self.focus];
                f.input.handle_event(ev);
                f.revalidate();
                self.error = None;
                FormOutcome::Stay
            }
        }
    }
}

/// A dangerous action confirmed by typing the name of what it touches.
pub struct Confirm {
    pub action: ConfirmAction,
    pub prompt: String,
    pub name: String,
    pub input: Input,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmAction {
    DeleteWorkspace(String),
    DeleteResourceGroup(String),
    RemoveMember { workspace: String, user: String },
    DeleteDataSource { workspace: String, name: String },
    DetachCompute { workspace: String, name: String },
    DetachGroup { workspace: String, group: String },
    EndSession(u64),
}

impl Confirm {
    pub fn new(action: ConfirmAction, prompt: String, name: &str) -> Confirm {
        Confirm {
            action,
            prompt,
            name: name.to_owned(),
            input: Input::default(),
        }
    }

    pub fn matches(&self) -> bool {
        self.input.value() == self.name
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
