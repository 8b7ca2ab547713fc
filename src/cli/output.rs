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

fn cell(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn table(rows: &[Row]) -> String {
    let Some(first) = rows.first() else {
        return String::new();
    };
    let cols: Vec<&str> = first.0.iter().map(|(k, _)| *k).collect();
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
    let line = |vals: Vec<String>| {
        vals.iter()
            .enumerate()
            .map(|(i, v)| format!("{v:<w$}", w = widths[i]))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut out = vec![line(cols.iter().map(|c| c.to_uppercase()).collect())];
    out.extend(cells.into_iter().map(line));
    out.join("\n") + "\n"
}

pub fn list(format: Format, rows: &[Row], empty: &str) -> String {
    match format {
        Format::Json => {
            serde_json::to_string_pretty(&Value::Array(rows.iter().map(Row::json).collect()))
                .unwrap_or_default()
                + "\n"
        }
        Format::Table if rows.is_empty() => format!("{empty}\n"),
        Format::Table => table(rows),
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
        Format::Table => format!("{message}\n"),
    }
}
