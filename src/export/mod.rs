//! Writes a list of papers as BibTeX, Markdown, JSON, CSV or RIS.
//!
//! Here: the formats, an exported paper (`Entry`), and JSON, which is serde's. Beside it: `bibtex`,
//! `markdown`, `csv` and `ris`, one writer each.

mod bibtex;
mod csv;
#[cfg(test)]
mod csv_reader;
mod markdown;
mod ris;

use std::borrow::Borrow;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

#[cfg(test)]
pub(crate) use csv_reader::read_csv;

/// The formats a list of papers can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `@misc` entries with arXiv eprint fields, for BibTeX, biblatex and biber.
    Bibtex,
    /// A reading list to share: one list item per paper, without abstracts.
    Markdown,
    /// A pretty-printed array of entries, with every field.
    Json,
    /// One row per paper under a header row, lists joined with "; ".
    Csv,
    /// Tagged records (`TY` … `ER`) for EndNote, Zotero, Mendeley and other reference managers.
    Ris,
}

impl Format {
    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Bibtex => "bib",
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Ris => "ris",
        }
    }
}

/// One paper as exported.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Entry {
    pub title: String,
    pub authors: Vec<String>,
    /// "2403.12345" or "hep-th/9901001".
    pub arxiv_id: Option<String>,
    /// The primary category first.
    pub categories: Vec<String>,
    pub upvotes: Option<u32>,
    /// "2024-03-14".
    pub published: Option<String>,
    /// The days the paper appeared in digests, "2024-03-14", oldest first.
    pub days: Vec<String>,
    /// The paper's page: its arXiv abstract page when it has an id, else its first link.
    pub url: Option<String>,
    pub code: Option<String>,
    pub project: Option<String>,
    pub starred: bool,
    pub read: bool,
    /// Paragraphs separated by a blank line ("\n\n").
    pub abstract_text: String,
    /// The reader's tags on the paper, sorted.
    pub tags: Vec<String>,
    /// The reader's note on the paper.
    pub note: Option<String>,
}

/// Writes `entries` to `out` in `format`.
pub fn write(format: Format, entries: &[Entry], out: &mut dyn Write) -> io::Result<()> {
    write_each(format, entries, out)
}

/// Writes `entries` to `out` in `format` one at a time, as they come, so that a large export is never held
/// whole (neither its entries nor its text); what is written is what `write` writes.
pub fn write_each<E: Borrow<Entry>>(
    format: Format,
    entries: impl IntoIterator<Item = E>,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Bibtex => bibtex::write_bibtex(entries, out),
        Format::Markdown => markdown::write_markdown(entries, out),
        Format::Json => write_json(entries, out),
        Format::Csv => csv::write_csv(entries, out),
        Format::Ris => ris::write_ris(entries, out),
    }
}

/// A pretty-printed JSON array, an element at a time.
fn write_json<E: Borrow<Entry>>(entries: impl IntoIterator<Item = E>, out: &mut dyn Write) -> io::Result<()> {
    use serde::Serializer;
    /// An entry however it is held, serialised as the entry.
    struct Element<E>(E);
    impl<E: Borrow<Entry>> Serialize for Element<E> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.0.borrow().serialize(serializer)
        }
    }
    let mut serializer = serde_json::Serializer::pretty(&mut *out);
    serializer.collect_seq(entries.into_iter().map(Element))?;
    out.write_all(b"\n")
}

fn nonempty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests;
