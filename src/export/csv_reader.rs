//! Reads back the CSV that `write` makes, for the tests that check an export round-trips (tests/common too).

use std::collections::HashMap;
use std::io;

use super::Entry;

/// Reads entries from CSV as `write` makes it. Columns are found by their header, so their order does
/// not matter and only `title` is required; rows with every cell empty are skipped.
///
/// Lists are split the way they were joined: authors and days on ";", categories on whitespace, each
/// trimmed. An author or day containing ";" therefore comes back as two; empty cells give empty lists and
/// `None`. Errors name the line.
pub fn read_csv(input: impl io::Read) -> Result<Vec<Entry>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = reader.headers().map_err(|e| format!("cannot read the header row: {e}"))?.clone();
    // A spreadsheet may start the file with a byte-order mark.
    let columns: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, name)| (name.trim_start_matches('\u{feff}').trim().to_ascii_lowercase(), i))
        .collect();
    if !columns.contains_key("title") {
        return Err("no \"title\" column in the header row".to_string());
    }

    let mut entries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line());
        let cell = |name: &str| columns.get(name).and_then(|&i| record.get(i)).unwrap_or("");
        let upvotes = match cell("upvotes").trim() {
            "" => None,
            text => {
                Some(text.parse::<u32>().map_err(|_| format!("line {line}: upvotes {text:?} is not a whole number"))?)
            }
        };
        let flag = |name: &str| match cell(name).trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Ok(true),
            "false" | "no" | "0" | "" => Ok(false),
            other => Err(format!("line {line}: {name} {other:?} is neither true nor false")),
        };
        entries.push(Entry {
            title: cell("title").to_string(),
            authors: split_list(cell("authors")),
            arxiv_id: optional_cell(cell("arxiv_id")),
            categories: cell("categories").split_whitespace().map(str::to_string).collect(),
            upvotes,
            published: optional_cell(cell("published")),
            days: split_list(cell("days")),
            url: optional_cell(cell("url")),
            code: optional_cell(cell("code")),
            project: optional_cell(cell("project")),
            starred: flag("starred")?,
            read: flag("read")?,
            abstract_text: cell("abstract").to_string(),
            // The CSV has no column for the reader's own tags and note.
            ..Entry::default()
        });
    }
    Ok(entries)
}

/// A cell of items separated by ";", each trimmed, empty ones dropped.
fn split_list(cell: &str) -> Vec<String> {
    cell.split(';').map(str::trim).filter(|item| !item.is_empty()).map(str::to_string).collect()
}

fn optional_cell(cell: &str) -> Option<String> {
    let cell = cell.trim();
    (!cell.is_empty()).then(|| cell.to_string())
}
