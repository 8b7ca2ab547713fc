//! RAM policy documents (seed 003, DESIGN §4): parsed from JSON, validated with errors that name
//! the path, compiled for fast matching.

use serde_json::{Map, Value as Json};
use thiserror::Error;

use super::condition::{Condition, Key, Operator, RequestFacts, Value};
use super::operation::{OPERATIONS, Op};
use super::wildcard::Wildcard;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{path}: {message}")]
pub struct PolicyError {
    pub path: String,
    pub message: String,
}

/// The longest policy document RAM accepts, in characters.
pub const MAX_DOCUMENT_CHARS: usize = 6_144;

fn err<T>(path: impl Into<String>, message: impl Into<String>) -> Result<T, PolicyError> {
    Err(PolicyError {
        path: path.into(),
        message: message.into(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// A list of patterns, or its negation (`NotAction`, `NotResource`).
#[derive(Debug, Clone, PartialEq)]
pub struct Matcher<P> {
    pub negated: bool,
    pub patterns: Vec<P>,
}

impl Matcher<Wildcard> {
    pub fn matches(&self, text: &str) -> bool {
        self.patterns.iter().any(|p| p.matches(text)) != self.negated
    }

    /// For something known by several names: `Action` matches if a pattern matches any of
    /// them, `NotAction` if no pattern matches any.
    pub fn matches_any<'t>(&self, names: impl IntoIterator<Item = &'t str>) -> bool {
        let mut names = names.into_iter();
        names.any(|n| self.patterns.iter().any(|p| p.matches(n))) != self.negated
    }
}

impl Matcher<ResourcePattern> {
    pub fn matches(&self, resource: &ResourceName) -> bool {
        self.patterns.iter().any(|p| p.matches(resource)) != self.negated
    }
}

/// A resource ARN being asked about, split once into its five components when it has them.
pub struct ResourceName<'a> {
    pub arn: &'a str,
    parts: Option<[&'a str; 5]>,
}

fn five_parts(text: &str) -> Option<[&str; 5]> {
    let mut it = text.split(':');
    let parts = [it.next()?, it.next()?, it.next()?, it.next()?, it.next()?];
    it.next().is_none().then_some(parts)
}

impl<'a> ResourceName<'a> {
    pub fn new(arn: &'a str) -> Self {
        ResourceName {
            arn,
            parts: five_parts(arn),
        }
    }
}

/// A Resource/NotResource pattern. When both it and the ARN have exactly five `:`-separated
/// components, each `*` and `?` must stay within its component (one crossing a colon would leave
/// the pattern's four literal colons too few text colons), so matching component by component
/// is exact and much cheaper than a whole-string glob. Otherwise the whole string is globbed.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourcePattern {
    whole: Wildcard,
    parts: Option<Box<[Wildcard; 5]>>,
}

impl ResourcePattern {
    pub fn new(pattern: &str) -> Self {
        let parts = if pattern == "*" {
            None
        } else {
            five_parts(pattern).map(|p| Box::new(p.map(|c| Wildcard::new(c, false))))
        };
        ResourcePattern {
            whole: Wildcard::new(pattern, false),
            parts,
        }
    }

    pub fn matches(&self, resource: &ResourceName) -> bool {
        match (&self.parts, &resource.parts) {
            // The relative id (`workspace/…`) tells statements apart most often: check it first.
            (Some(p), Some(t)) => [4, 1, 2, 3, 0].iter().all(|&i| p[i].matches(t[i])),
            _ => self.whole.matches(resource.arn),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The statement's own name, shown in traces.
    pub sid: Option<String>,
    pub effect: Effect,
    pub action: Matcher<Wildcard>,
    /// The Action (or NotAction) entries as written, for messages.
    pub action_text: Vec<String>,
    pub resource: Matcher<ResourcePattern>,
    /// All must hold.
    pub conditions: Vec<Condition>,
}

impl Statement {
    pub fn matches_action(&self, action: &str) -> bool {
        self.action.matches(action)
    }

    /// The first condition key of another service, which no DataWorks request carries.
    pub fn absent_key(&self) -> Option<&str> {
        self.conditions
            .iter()
            .find(|c| matches!(c.key, super::condition::Key::Absent(_)))
            .map(|c| c.key.name())
    }

    pub fn matches_rest(&self, resource: &ResourceName, facts: &RequestFacts) -> bool {
        self.resource.matches(resource) && self.conditions.iter().all(|c| c.holds(facts))
    }

    /// `matches_rest` for a request known by several resource names (dwc's ARN and the
    /// vendor's resource types for the same thing): any of them may match.
    pub fn matches_rest_any(&self, resources: &[ResourceName], facts: &RequestFacts) -> bool {
        resources.iter().any(|r| self.resource.matches(r))
            && self.conditions.iter().all(|c| c.holds(facts))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub statements: Vec<Statement>,
    /// For each operation (by index), the statements whose action matches it: actions are
    /// matched once, when the policy is compiled, not on every decision.
    by_op: Vec<Box<[u32]>>,
    /// Whether some statement asks for a key no DataWorks request carries (so a refusal is
    /// worth a note); most policies have none, and a decision then looks no further.
    has_absent_keys: bool,
}

const TOP_FIELDS: &[&str] = &["Version", "Statement"];
const STATEMENT_FIELDS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

fn check_fields(obj: &Map<String, Json>, allowed: &[&str], path: &str) -> Result<(), PolicyError> {
    for k in obj.keys() {
        if !allowed.contains(&k.as_str()) {
            let at = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            return err(
                at,
                format!("unknown field (expected one of {})", allowed.join(", ")),
            );
        }
    }
    Ok(())
}

fn kind_of(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// A string or a non-empty list of strings.
fn string_list<'v>(v: &'v Json, path: &str) -> Result<Vec<(String, &'v str)>, PolicyError> {
    match v {
        Json::String(s) => Ok(vec![(path.to_owned(), s.as_str())]),
        Json::Array(items) if items.is_empty() => err(path, "must not be an empty list"),
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Json::String(s) => Ok((format!("{path}[{i}]"), s.as_str())),
                other => err(
                    format!("{path}[{i}]"),
                    format!("must be a string, got {}", kind_of(other)),
                ),
            })
            .collect(),
        other => err(
            path,
            format!(
                "must be a string or a list of strings, got {}",
                kind_of(other)
            ),
        ),
    }
}

fn check_action(path: &str, a: &str) -> Result<(), PolicyError> {
    if a == "*" {
        return Ok(());
    }
    let Some((service, name)) = a.split_once(':') else {
        return err(
            path,
            format!(
                "{a:?} is not an action of the form service:Name (such as dataworks:CreateProject)"
            ),
        );
    };
    let service_ok = !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '*' | '?'));
    if service_ok && name_ok {
        Ok(())
    } else {
        err(
            path,
            format!(
                "{a:?} is not an action of the form service:Name (such as dataworks:CreateProject)"
            ),
        )
    }
}

fn check_resource(path: &str, r: &str) -> Result<(), PolicyError> {
    if r == "*" {
        return Ok(());
    }
    let parts: Vec<&str> = r.splitn(5, ':').collect();
    if parts.len() == 5
        && parts[0] == "acs"
        && !parts[1].is_empty()
        && !parts[4].is_empty()
        && !r.chars().any(char::is_whitespace)
    {
        Ok(())
    } else {
        err(
            path,
            format!(
                "{r:?} is not a resource of the form acs:service:region:account:relative-id, or *"
            ),
        )
    }
}

fn matcher<P>(
    obj: &Map<String, Json>,
    path: &str,
    field: &str,
    neg_field: &str,
    check: fn(&str, &str) -> Result<(), PolicyError>,
    compile: fn(&str) -> P,
) -> Result<Matcher<P>, PolicyError> {
    let (negated, value, name) = match (obj.get(field), obj.get(neg_field)) {
        (Some(v), None) => (false, v, field),
        (None, Some(v)) => (true, v, neg_field),
        (Some(_), Some(_)) => {
            return err(path, format!("has both {field} and {neg_field}; use one"));
        }
        (None, None) => return err(path, format!("needs {field} or {neg_field}")),
    };
    let items = string_list(value, &format!("{path}.{name}"))?;
    let mut patterns = Vec::with_capacity(items.len());
    for (p, s) in items {
        check(&p, s)?;
        patterns.push(compile(s));
    }
    Ok(Matcher { negated, patterns })
}

fn scalar_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn conditions(v: &Json, path: &str) -> Result<Vec<Condition>, PolicyError> {
    let Json::Object(ops) = v else {
        return err(
            path,
            format!(
                "must be an object {{Operator: {{key: value}}}}, got {}",
                kind_of(v)
            ),
        );
    };
    let mut out = Vec::new();
    for (op_name, keys) in ops {
        let Some(op) = Operator::parse(op_name) else {
            return err(path, format!("unknown operator {op_name:?}"));
        };
        let op_path = format!("{path}.{op_name}");
        let Json::Object(keys) = keys else {
            return err(
                op_path,
                format!("must be an object {{key: value}}, got {}", kind_of(keys)),
            );
        };
        if keys.is_empty() {
            return err(op_path, "names no condition key");
        }
        for (key_name, raw) in keys {
            let Some(key) = Key::parse(key_name) else {
                let known: Vec<&str> = Key::KNOWN.iter().map(|k| k.name()).collect();
                return err(
                    op_path,
                    format!(
                        "unknown key {key_name:?} (one of {}, or another service's service:Key)",
                        known.join(", ")
                    ),
                );
            };
            let key_path = format!("{op_path}.{key_name}");
            let raws: Vec<(String, &Json)> = match raw {
                Json::Array(items) if items.is_empty() => {
                    return err(key_path, "must not be an empty list");
                }
                Json::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (format!("{key_path}[{i}]"), v))
                    .collect(),
                v => vec![(key_path.clone(), v)],
            };
            let mut values = Vec::with_capacity(raws.len());
            for (p, v) in raws {
                let Some(text) = scalar_text(v) else {
                    return err(
                        p,
                        format!("must be a string, number or boolean, got {}", kind_of(v)),
                    );
                };
                values.push(Value::typed(op, &text).or_else(|m| err(p, m))?);
            }
            out.push(Condition { op, key, values });
        }
    }
    Ok(out)
}

fn statement(v: &Json, path: &str) -> Result<Statement, PolicyError> {
    let Json::Object(obj) = v else {
        return err(path, format!("must be an object, got {}", kind_of(v)));
    };
    check_fields(obj, STATEMENT_FIELDS, path)?;
    let sid = match obj.get("Sid") {
        None => None,
        Some(Json::String(s)) if s.chars().count() <= 128 && !s.chars().any(char::is_control) => {
            Some(s.clone())
        }
        Some(Json::String(_)) => {
            return err(
                format!("{path}.Sid"),
                "must be at most 128 characters, without control characters",
            );
        }
        Some(other) => {
            return err(
                format!("{path}.Sid"),
                format!("must be a string, got {}", kind_of(other)),
            );
        }
    };
    let effect = match obj.get("Effect") {
        Some(Json::String(s)) if s == "Allow" => Effect::Allow,
        Some(Json::String(s)) if s == "Deny" => Effect::Deny,
        Some(Json::String(s)) => {
            return err(
                format!("{path}.Effect"),
                format!("must be \"Allow\" or \"Deny\", got {s:?}"),
            );
        }
        Some(other) => {
            return err(
                format!("{path}.Effect"),
                format!("must be \"Allow\" or \"Deny\", got {}", kind_of(other)),
            );
        }
        None => return err(path, "needs Effect"),
    };
    let action = matcher(obj, path, "Action", "NotAction", check_action, |a| {
        Wildcard::new(a, true)
    })?;
    let action_text = ["Action", "NotAction"]
        .iter()
        .filter_map(|f| obj.get(*f))
        .flat_map(|v| match v {
            Json::String(s) => vec![s.clone()],
            Json::Array(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let resource = matcher(
        obj,
        path,
        "Resource",
        "NotResource",
        check_resource,
        ResourcePattern::new,
    )?;
    let conditions = match obj.get("Condition") {
        Some(c) => conditions(c, &format!("{path}.Condition"))?,
        None => Vec::new(),
    };
    Ok(Statement {
        sid,
        effect,
        action,
        action_text,
        resource,
        conditions,
    })
}

impl Policy {
    /// Parses and validates a policy document.
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        let n = text.chars().count();
        if n > MAX_DOCUMENT_CHARS {
            return err(
                "document",
                format!(
                    "is {n} characters long; a policy document is at most {MAX_DOCUMENT_CHARS} (RAM's limit)"
                ),
            );
        }
        Policy::parse_stored(text)
    }

    /// A document already stored, whatever its length (one written before the limit must keep
    /// working, not fail every decision).
    pub fn parse_stored(text: &str) -> Result<Policy, PolicyError> {
        let doc: Json = serde_json::from_str(text)
            .or_else(|e| err("document", format!("not valid JSON: {e}")))?;
        Policy::from_json(&doc)
    }

    pub fn from_json(doc: &Json) -> Result<Policy, PolicyError> {
        let Json::Object(obj) = doc else {
            return err(
                "document",
                format!("must be a JSON object, got {}", kind_of(doc)),
            );
        };
        check_fields(obj, TOP_FIELDS, "")?;
        match obj.get("Version") {
            Some(Json::String(v)) if v == "1" => {}
            // The vendor's examples sometimes write the number.
            Some(Json::Number(n)) if n.as_u64() == Some(1) => {}
            Some(other) => return err("Version", format!("must be \"1\", got {other}")),
            None => return err("Version", "is missing (must be \"1\")"),
        }
        let statements = match obj.get("Statement") {
            Some(Json::Array(items)) if items.is_empty() => {
                return err("Statement", "must hold at least one statement");
            }
            Some(Json::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, s)| statement(s, &format!("Statement[{i}]")))
                .collect::<Result<Vec<_>, _>>()?,
            Some(other) => {
                return err(
                    "Statement",
                    format!("must be a list of statements, got {}", kind_of(other)),
                );
            }
            None => return err("Statement", "is missing"),
        };
        Ok(Policy::compile(statements))
    }

    fn compile(statements: Vec<Statement>) -> Policy {
        let by_op = OPERATIONS
            .iter()
            .map(|spec| {
                (0u32..)
                    .zip(&statements)
                    .filter(|(_, s)| s.action.matches_any(spec.op.names()))
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        let has_absent_keys = statements.iter().any(|s| s.absent_key().is_some());
        Policy {
            statements,
            by_op,
            has_absent_keys,
        }
    }

    pub fn has_absent_keys(&self) -> bool {
        self.has_absent_keys
    }

    /// The actions this document names that match no operation dwc has (by its own or a
    /// vendor name), with where they are: a policy that silently grants nothing is a mistake
    /// worth telling. Patterns of services dwc does not model are left alone.
    pub fn unmatched_actions(&self) -> Vec<String> {
        const OURS: [&str; 4] = ["dataworks", "ram", "bss", "dwc"];
        let mut out = Vec::new();
        for (i, st) in self.statements.iter().enumerate() {
            if st.action.negated {
                continue;
            }
            for (p, src) in st.action.patterns.iter().zip(&st.action_text) {
                let ours = src
                    .split_once(':')
                    .is_some_and(|(svc, _)| OURS.iter().any(|o| o.eq_ignore_ascii_case(svc)));
                if ours && !Op::all().any(|op| op.names().any(|n| p.matches(n))) {
                    out.push(format!("Statement[{i}].Action: {src}"));
                }
            }
        }
        out
    }

    /// The statements whose Action/NotAction matches `op`, with their index in the document.
    pub fn statements_for(&self, op: Op) -> impl Iterator<Item = (usize, &Statement)> {
        self.by_op[op as usize]
            .iter()
            .map(|&i| (i as usize, &self.statements[i as usize]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perr(doc: &str) -> String {
        Policy::parse(doc).unwrap_err().to_string()
    }

    #[test]
    fn well_formed() {
        let p = Policy::parse(
            r#"{"Version":"1","Statement":[
                {"Effect":"Deny","Action":["dataworks:*"],"Resource":"*","Condition":{"StringEquals":{"dataworks:Scope":["OpenAPI"]}}},
                {"Effect":"Allow","NotAction":"dataworks:Delete*","NotResource":["acs:dataworks:*:*:workspace/prod_*"]}
            ]}"#,
        )
        .unwrap();
        assert_eq!(p.statements.len(), 2);
        assert_eq!(p.statements[0].effect, Effect::Deny);
        assert!(p.statements[1].action.negated && p.statements[1].resource.negated);
    }

    #[test]
    fn malformed_documents_name_their_path() {
        let cases = [
            ("nope", "document: not valid JSON"),
            ("[]", "document: must be a JSON object, got a list"),
            (r#"{"Statement":[]}"#, "Version: is missing"),
            (
                r#"{"Version":"2","Statement":[]}"#,
                "Version: must be \"1\", got \"2\"",
            ),
            (
                r#"{"Version":"1","Statement":[]}"#,
                "Statement: must hold at least one statement",
            ),
            (
                r#"{"Version":"1","Statement":{}}"#,
                "Statement: must be a list of statements, got an object",
            ),
            (
                r#"{"Version":"1","Statement":[],"Id":"x"}"#,
                "Id: unknown field",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Permit","Action":"*","Resource":"*"}]}"#,
                "Statement[0].Effect: must be \"Allow\" or \"Deny\", got \"Permit\"",
            ),
            (
                r#"{"Version":"1","Statement":[{"Action":"*","Resource":"*"}]}"#,
                "Statement[0]: needs Effect",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Allow","Resource":"*"}]}"#,
                "Statement[0]: needs Action or NotAction",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","NotAction":"*","Resource":"*"}]}"#,
                "Statement[0]: has both Action and NotAction",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*"}]}"#,
                "Statement[0]: needs Resource or NotResource",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}"#,
                "Statement[0].Action: must not be an empty list",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["dataworks:X", 3],"Resource":"*"}]}"#,
                "Statement[0].Action[1]: must be a string, got a number",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"CreateProject","Resource":"*"}]}"#,
                "Statement[0].Action: \"CreateProject\" is not an action",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"workspace/x"}]}"#,
                "Statement[0].Resource: \"workspace/x\" is not a resource",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Principal":"*"}]}"#,
                "Statement[0].Principal: unknown field",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEq":{"dataworks:Scope":"Page"}}}]}"#,
                "Statement[1].Condition: unknown operator \"StringEq\"",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"dataworks:Scoep":"Page"}}}]}"#,
                "Statement[0].Condition.StringEquals: unknown key \"dataworks:Scoep\"",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"acs:CurrentTime":"soon"}}}]}"#,
                "Statement[0].Condition.DateLessThan.acs:CurrentTime: \"soon\" is not a date",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"acs:CurrentTime":["1", "x"]}}}]}"#,
                "Statement[0].Condition.NumericLessThan.acs:CurrentTime[1]: \"x\" is not a number",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"dataworks:Scope":"yes"}}}]}"#,
                "Statement[0].Condition.Bool.dataworks:Scope: \"yes\" is not true or false",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"dataworks:Scope":{}}}}]}"#,
                "Statement[0].Condition.StringEquals.dataworks:Scope: must be a string, number or boolean, got an object",
            ),
            (
                r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":[]}]}"#,
                "Statement[0].Condition: must be an object",
            ),
            (
                r#"{"Version":"1","Statement":["x"]}"#,
                "Statement[0]: must be an object, got a string",
            ),
        ];
        for (doc, want) in cases {
            let got = perr(doc);
            assert!(
                got.starts_with(want),
                "for {doc}\n got: {got}\nwant: {want}"
            );
        }
    }
}
