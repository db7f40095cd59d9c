//! The JSON the Hugging Face daily papers API returns (`/api/daily_papers`): an array of entries.

use serde::Deserialize;

use super::DigestError;
use super::fields::{clean_abstract, clean_title, clean_url, json_why, no_title, normalise_arxiv_id, strip_bom};
use crate::library::{Day, Meta, Record};

/// How the format is named in errors.
pub const FORMAT: &str = super::detect::Format::HfJson.name();

/// One element of the array. Every field may be missing or null; fields not named here are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Entry {
    paper: Option<Paper>,
    /// Copies of the paper's title and summary, used when the paper has none.
    title: Option<String>,
    summary: Option<String>,
    submitted_on_daily_at: Option<String>,
    published_at: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Paper {
    /// The arXiv id.
    id: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    authors: Option<Vec<Author>>,
    /// A number; read as a float so that `12.0` or a huge count does not fail the whole file.
    upvotes: Option<f64>,
    published_at: Option<String>,
    submitted_on_daily_at: Option<String>,
    github_repo: Option<String>,
    project_page: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Author {
    name: Option<String>,
}

/// Parses a whole daily papers file: its papers and the warnings about entries skipped.
pub fn parse(name: &str, bytes: &[u8]) -> Result<(Vec<Record>, Vec<String>), DigestError> {
    let bytes = strip_bom(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DigestError::Empty { file: name.to_string() });
    }
    let entries: Vec<Entry> = serde_json::from_slice(bytes).map_err(|error| DigestError::Malformed {
        file: name.to_string(),
        line: error.line().max(1),
        column: None,
        format: FORMAT,
        why: json_why(&error),
    })?;
    let lines = element_lines(bytes);
    let mut records = Vec::with_capacity(entries.len());
    let mut warnings = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        match record(entry, line) {
            Some(record) => records.push(record),
            None => warnings.push(no_title(name, line)),
        }
    }
    if records.is_empty() {
        return Err(super::fields::none_found(name, false, &warnings));
    }
    Ok((records, warnings))
}

/// Why `bytes`, JSON that parses, is not an array of daily papers entries; `None` when it is one.
pub(super) fn rejects(bytes: &[u8]) -> Option<serde_json::Error> {
    serde_json::from_slice::<Vec<Entry>>(bytes).err()
}

/// The paper of an entry; `None` when it has no title.
fn record(entry: Entry, line: usize) -> Option<Record> {
    let paper = entry.paper.unwrap_or_default();
    let title = [paper.title.as_deref(), entry.title.as_deref()]
        .into_iter()
        .flatten()
        .map(clean_title)
        .find(|title| !title.is_empty())?;
    let summary = paper.summary.as_deref().filter(|s| !s.trim().is_empty()).or(entry.summary.as_deref());
    let authors: Vec<String> = paper
        .authors
        .unwrap_or_default()
        .iter()
        .filter_map(|author| author.name.as_deref())
        .map(clean_title)
        .filter(|name| !name.is_empty())
        .collect();
    let day = entry.submitted_on_daily_at.as_deref().or(paper.submitted_on_daily_at.as_deref());
    let published = paper.published_at.as_deref().or(entry.published_at.as_deref());
    let meta = Meta {
        arxiv_id: paper.id.as_deref().and_then(normalise_arxiv_id),
        authors,
        categories: Vec::new(),
        upvotes: paper.upvotes.and_then(upvotes),
        day: day.and_then(Day::parse_iso),
        published: published.and_then(Day::parse_iso),
        code: paper.github_repo.as_deref().and_then(clean_url),
        project: paper.project_page.as_deref().and_then(clean_url),
        // The page of a paper here is its arXiv abstract page.
        url: None,
    };
    Some(Record { title, abstract_text: summary.map(clean_abstract).unwrap_or_default(), line, meta })
}

/// A vote count as a `u32`: negative or not-a-number counts are dropped, huge ones capped.
fn upvotes(count: f64) -> Option<u32> {
    // `as` saturates at u32::MAX.
    (count.is_finite() && count >= 0.0).then_some(count as u32)
}

/// The 1-based line where each element of the top-level JSON array starts. Only brackets, braces, commas
/// and strings are looked at; the file has already parsed, so it is well formed.
fn element_lines(bytes: &[u8]) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut line = 1;
    let mut depth = 0usize;
    // True inside the top-level array where the next value begins an element.
    let mut expecting = false;
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        at += 1;
        if b == b'\n' {
            line += 1;
        }
        if b.is_ascii_whitespace() {
            continue;
        }
        if depth == 1 && expecting && b != b',' && b != b']' {
            lines.push(line);
            expecting = false;
        }
        match b {
            // A string holds no raw line break (the file parsed): skip to its closing quote, past escapes.
            b'"' => loop {
                match memchr::memchr2(b'"', b'\\', &bytes[at..]) {
                    Some(k) if bytes[at + k] == b'\\' => at += k + 2,
                    Some(k) => {
                        at += k + 1;
                        break;
                    }
                    None => return lines,
                }
            },
            b'[' | b'{' => {
                depth += 1;
                if depth == 1 {
                    expecting = true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests;
