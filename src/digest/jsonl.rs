//! The arXiv metadata snapshot (Kaggle's `arxiv-metadata-oai-snapshot.json`): one JSON object per line, read a
//! block at a time because the file runs to gigabytes.

use serde::Deserialize;

use super::DigestError;
use super::fields::{clean_abstract, clean_title, no_title, normalise_arxiv_id, push_category, split_authors};
use crate::library::{Day, Meta, Record};

/// How the format is named in errors.
pub const FORMAT: &str = super::detect::Format::Jsonl.name();

/// Warnings kept; beyond these only their number is told.
const MAX_WARNINGS: usize = 20;

/// One line of the snapshot. Fields not named here (submitter, comments, journal-ref, doi, …) are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Line {
    id: Option<String>,
    title: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    /// All authors in one string: "C. Bal\'azs, E. L. Berger and C.-P. Yuan".
    authors: Option<String>,
    /// The same authors as [last, first, suffix]; better than splitting `authors` when present.
    authors_parsed: Option<Vec<Vec<String>>>,
    /// Space-separated, primary first: "hep-ph math.CO".
    categories: Option<String>,
    update_date: Option<String>,
    versions: Option<Vec<Version>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Version {
    /// "Mon, 2 Apr 2007 19:18:42 GMT".
    created: Option<String>,
}

/// Parses the snapshot as it is read: `feed` takes blocks that may end anywhere, `finish` the end.
#[derive(Debug)]
pub struct JsonlParser {
    name: String,
    /// Lines seen so far, all the way through.
    line: usize,
    /// The start of a line that the last block cut off.
    partial: Vec<u8>,
    warnings: Vec<String>,
    /// Warnings given, kept or not.
    warning_count: usize,
    /// True once a line that is not blank has been judged: only the first one decides the file is not JSON.
    judged: bool,
    records: usize,
    bytes_seen: u64,
    /// True while the rest of a line over `MAX_LINE` is passed over.
    skipping: bool,
}

/// The longest line held: an entry of the snapshot is a few kilobytes.
const MAX_LINE: usize = 16 << 20;

impl JsonlParser {
    pub fn new(name: &str) -> Self {
        JsonlParser {
            name: name.to_string(),
            line: 0,
            partial: Vec::new(),
            warnings: Vec::new(),
            warning_count: 0,
            judged: false,
            records: 0,
            bytes_seen: 0,
            skipping: false,
        }
    }

    /// Parses the whole lines in `bytes` (with what the last block left); keeps a last line cut off.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Vec<Record>, DigestError> {
        self.bytes_seen += bytes.len() as u64;
        let mut records = Vec::new();
        let mut rest = bytes;
        if self.skipping {
            // The rest of a line too long to hold.
            let Some(end) = memchr::memchr(b'\n', rest) else { return Ok(records) };
            self.skipping = false;
            rest = &rest[end + 1..];
        }
        if !self.partial.is_empty() {
            let Some(end) = memchr::memchr(b'\n', rest) else {
                self.partial.extend_from_slice(rest);
                self.skip_if_too_long();
                return Ok(records);
            };
            let mut line = std::mem::take(&mut self.partial);
            line.extend_from_slice(&rest[..end]);
            self.parse_line(&line, &mut records)?;
            // The buffer is kept for the next cut-off line.
            line.clear();
            self.partial = line;
            rest = &rest[end + 1..];
        }
        while let Some(end) = memchr::memchr(b'\n', rest) {
            self.parse_line(&rest[..end], &mut records)?;
            rest = &rest[end + 1..];
        }
        self.partial.extend_from_slice(rest);
        self.skip_if_too_long();
        Ok(records)
    }

    /// A line longer than `MAX_LINE` (no entry is near that) is not held: it is skipped, with a warning.
    fn skip_if_too_long(&mut self) {
        if self.partial.len() <= MAX_LINE {
            return;
        }
        self.partial = Vec::new();
        self.skipping = true;
        self.line += 1;
        self.judged = true;
        let warning = format!("{}:{}: a line longer than {} MiB; skipped it", self.name, self.line, MAX_LINE >> 20);
        self.warn(warning);
    }

    /// Parses a last line that has no newline, and gives the papers of it and every warning not taken yet.
    pub fn finish(mut self) -> Result<(Vec<Record>, Vec<String>), DigestError> {
        let mut records = Vec::new();
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.parse_line(&line, &mut records)?;
        }
        if self.records == 0 {
            return Err(super::fields::none_found(&self.name, !self.judged, &self.warnings));
        }
        if self.warning_count > MAX_WARNINGS {
            let more = self.warning_count - MAX_WARNINGS;
            self.warnings.push(format!("{}: … and {more} more warnings like these", self.name));
        }
        Ok((records, self.warnings))
    }

    /// The warnings so far, which are then not given again.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Bytes fed so far.
    pub fn bytes_seen(&self) -> u64 {
        self.bytes_seen
    }

    fn parse_line(&mut self, bytes: &[u8], records: &mut Vec<Record>) -> Result<(), DigestError> {
        self.line += 1;
        let bytes = if self.line == 1 { super::fields::strip_bom(bytes) } else { bytes };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let first = !self.judged;
        self.judged = true;
        let parsed: Line = match serde_json::from_slice(bytes) {
            Ok(parsed) => parsed,
            Err(error) if first => {
                return Err(DigestError::Malformed {
                    file: self.name.clone(),
                    line: self.line,
                    column: None,
                    format: FORMAT,
                    why: super::fields::json_why(&error),
                });
            }
            Err(error) => {
                let why = super::fields::json_why(&error);
                self.warn(format!("{}:{}: not a JSON object ({why}); skipped it", self.name, self.line));
                return Ok(());
            }
        };
        match record(parsed, self.line) {
            Some(record) => {
                self.records += 1;
                records.push(record);
            }
            None => self.warn(no_title(&self.name, self.line)),
        }
        Ok(())
    }

    fn warn(&mut self, warning: String) {
        self.warning_count += 1;
        if self.warning_count <= MAX_WARNINGS {
            self.warnings.push(warning);
        }
    }
}

/// The paper of one line; `None` when it has no title.
fn record(line: Line, number: usize) -> Option<Record> {
    let title = clean_title(line.title.as_deref().unwrap_or(""));
    if title.is_empty() {
        return None;
    }
    let parsed: Vec<String> = line
        .authors_parsed
        .unwrap_or_default()
        .iter()
        .map(|parts| {
            // [last, first, suffix] reads as "first last suffix".
            let get = |i: usize| parts.get(i).map_or("", String::as_str);
            clean_title(&format!("{} {} {}", get(1), get(0), get(2)))
        })
        .filter(|name| !name.is_empty())
        .collect();
    let authors =
        if parsed.is_empty() { line.authors.as_deref().map(split_authors).unwrap_or_default() } else { parsed };
    let mut categories = Vec::new();
    for category in line.categories.as_deref().unwrap_or("").split_whitespace() {
        push_category(&mut categories, category);
    }
    let first_version = line.versions.unwrap_or_default().into_iter().next();
    let published = first_version.and_then(|v| v.created).as_deref().and_then(email_day);
    let meta = Meta {
        arxiv_id: line.id.as_deref().and_then(normalise_arxiv_id),
        authors,
        categories,
        upvotes: None,
        // The snapshot is no digest: the day a paper appeared is taken to be the day its first version
        // was announced (roughly when it was submitted); `update_date` is only when it last changed.
        day: published.or_else(|| line.update_date.as_deref().and_then(Day::parse_iso)),
        published,
        code: None,
        project: None,
        url: None,
    };
    Some(Record {
        title,
        abstract_text: clean_abstract(line.abstract_text.as_deref().unwrap_or("")),
        line: number,
        meta,
    })
}

/// The day of an e-mail style date, "Mon, 2 Apr 2007 19:18:42 GMT" (the weekday may be missing).
fn email_day(text: &str) -> Option<Day> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let mut words = text.split_whitespace().skip_while(|word| word.ends_with(','));
    let day: u32 = words.next()?.parse().ok()?;
    let month = words.next()?.get(..3)?;
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u32 + 1;
    let year: u32 = words.next()?.parse().ok()?;
    Day::new(year, month, day)
}

#[cfg(test)]
mod tests;
