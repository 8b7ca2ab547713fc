//! Printing results: aligned tables for people, JSON for programs (`-o json`: a list is an array
//! of objects with a `name` field, a show is one object).

use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// One printable record: ordered (column, value) pairs; the first column is its name.
#[derive(Debug, Clone, Default)]
pub struct Row(pub Vec<(&'static str, Value)>);

impl Row {
    pub fn new() -> Self {
        Row(Vec::new())
    }

    pub fn with(mut self, col: &'static str, v: impl Into<Value>) -> Self {
        self.0.push((col, v.into()));
        self
    }

    fn json(&self) -> Value {
        Value::Object(
            self.0
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect::<Map<_, _>>(),
        )
    }
}

/// A value as a table shows it: control characters escaped, so that nothing stored (a name a
/// failed log-on typed, say) can run as a terminal escape.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => crate::domain::text::printable(s).into_owned(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn table(rows: &[Row], first_title: Option<&'static str>) -> String {
    let Some(first) = rows.first() else {
        return String::new();
    };
    let mut cols: Vec<&str> = first.0.iter().map(|(k, _)| *k).collect();
    if let (Some(t), Some(c)) = (first_title, cols.first_mut()) {
        *c = t;
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.0.iter().map(|(_, v)| cell(v)).collect())
        .collect();
    let widths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
                .max(c.len())
        })
        .collect();
    // Padded by hand: `format!`'s width is a u16 and panics past 65,535.
    let line = |vals: Vec<String>| {
        let mut out = String::new();
        for (i, v) in vals.iter().enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            out.push_str(v);
            let pad = widths[i].saturating_sub(v.chars().count());
            out.extend(std::iter::repeat_n(' ', pad));
        }
        out.truncate(out.trim_end().len());
        out
    };
    let mut out = vec![line(cols.iter().map(|c| c.to_uppercase()).collect())];
    out.extend(cells.into_iter().map(line));
    out.join("\n") + "\n"
}

pub fn list(format: Format, rows: &[Row], empty: &str) -> String {
    list_titled(format, rows, empty, None)
}

/// A list whose first column (`name` in JSON) holds something a table should call by its own
/// name: the audit log's actions.
pub fn list_titled(
    format: Format,
    rows: &[Row],
    empty: &str,
    first_title: Option<&'static str>,
) -> String {
    match format {
        Format::Json => {
            serde_json::to_string_pretty(&Value::Array(rows.iter().map(Row::json).collect()))
                .unwrap_or_default()
                + "\n"
        }
        Format::Table if rows.is_empty() => format!("{empty}\n"),
        Format::Table => table(rows, first_title),
    }
}

pub fn show(format: Format, row: &Row) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(&row.json()).unwrap_or_default() + "\n",
        Format::Table => {
            let w = row.0.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
            row.0
                .iter()
                .map(|(k, v)| format!("{k:<w$}  {}\n", cell(v)))
                .collect()
        }
    }
}

/// What a successful change prints.
pub fn done(format: Format, message: &str, name: &str) -> String {
    match format {
        Format::Json => {
            serde_json::json!({"name": name, "result": "ok", "message": message}).to_string() + "\n"
        }
        // Line by line: a message's own line breaks stay breaks, anything else is shown.
        Format::Table => {
            let lines: Vec<_> = message
                .split('\n')
                .map(crate::domain::text::printable)
                .collect();
            format!("{}\n", lines.join("\n"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_cell_prints_and_none_runs_as_an_escape() {
        let long = "y".repeat(70_000);
        let rows = vec![
            Row::new().with("name", long.clone()).with("detail", "ok"),
            Row::new()
                .with("name", "evil\u{1b}[2J\u{1b}]0;pwned\u{7}")
                .with("detail", "a\u{202e}b"),
        ];
        let t = list(Format::Table, &rows, "none");
        assert!(t.contains(&long));
        assert!(!t.contains('\u{1b}') && !t.contains('\u{202e}') && !t.contains('\u{7}'));
        assert!(t.contains("evil\\e[2J\\e]0;pwned\\u{7}"), "{t}");
        let s = show(Format::Table, &rows[1]);
        assert!(!s.contains('\u{1b}'), "{s}");
    }
}
