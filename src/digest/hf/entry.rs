//! The shape of a daily papers entry, and the paper it gives.

use serde::Deserialize;

use super::super::fields::{
    clean_abstract, clean_abstract_into, clean_title, clean_title_into, clean_url, normalise_arxiv_id,
};
use crate::library::{Chunk, Day, Meta, Record};

/// One element of the array. Every field may be missing or null; fields not named here are ignored.
/// Strings are borrowed from the file where they hold no escapes: a year of stored days is a million
/// strings, each of which would be allocated, copied and freed again once cleaned.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(in crate::digest) struct Entry<'a> {
    #[serde(borrow)]
    paper: Option<Paper<'a>>,
    /// Copies of the paper's title and summary, used when the paper has none.
    #[serde(borrow)]
    title: Option<Text<'a>>,
    #[serde(borrow)]
    summary: Option<Text<'a>>,
    #[serde(borrow)]
    submitted_on_daily_at: Option<Text<'a>>,
    #[serde(borrow)]
    published_at: Option<Text<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Paper<'a> {
    /// The arXiv id.
    #[serde(borrow)]
    id: Option<Text<'a>>,
    #[serde(borrow)]
    title: Option<Text<'a>>,
    #[serde(borrow)]
    summary: Option<Text<'a>>,
    #[serde(borrow)]
    authors: Option<Vec<Author<'a>>>,
    /// A number; read as a float so that `12.0` or a huge count does not fail the whole file.
    upvotes: Option<f64>,
    #[serde(borrow)]
    published_at: Option<Text<'a>>,
    #[serde(borrow)]
    submitted_on_daily_at: Option<Text<'a>>,
    #[serde(borrow)]
    github_repo: Option<Text<'a>>,
    #[serde(borrow)]
    project_page: Option<Text<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Author<'a> {
    #[serde(borrow)]
    name: Option<Text<'a>>,
}

/// A JSON string, borrowed from the file when it has no escapes (serde's `Cow<str>` always copies
/// when it is not a field of its own).
#[derive(Debug, Default)]
struct Text<'a>(std::borrow::Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(Text(std::borrow::Cow::Borrowed(text)))
            }
            fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
                Ok(Text(std::borrow::Cow::Owned(text.to_string())))
            }
            fn visit_string<E>(self, text: String) -> Result<Self::Value, E> {
                Ok(Text(std::borrow::Cow::Owned(text)))
            }
        }
        deserializer.deserialize_str(Visit)
    }
}

/// The paper of an entry; `None` when it has no title.
pub(super) fn record(entry: Entry<'_>, line: usize) -> Option<Record> {
    let (texts, meta) = split(entry);
    let title = texts.titles.iter().flatten().map(|t| clean_title(t)).find(|title| !title.is_empty())?;
    let abstract_text = texts.summary.as_deref().map(clean_abstract).unwrap_or_default();
    Some(Record { title, abstract_text, line, meta })
}

/// The paper of an entry, as `record` gives it, written at the end of `chunk` (see `Chunk::push_written`);
/// false when it has no title.
pub(super) fn push(entry: Entry<'_>, line: usize, chunk: &mut Chunk) -> bool {
    let (texts, meta) = split(entry);
    let title = |out: &mut String| {
        let start = out.len();
        for text in texts.titles.iter().flatten() {
            clean_title_into(text, out);
            if out.len() > start {
                break;
            }
        }
    };
    let abstract_text = |out: &mut String| {
        if let Some(summary) = texts.summary.as_deref() {
            clean_abstract_into(summary, out);
        }
    };
    chunk.push_written(title, abstract_text, line, meta)
}

/// An entry's title and summary as they stand in the file, and the rest of what it tells.
struct Texts<'a> {
    /// The paper's title, then the entry's copy.
    titles: [Option<Text<'a>>; 2],
    summary: Option<Text<'a>>,
}

/// How many bytes of title and summary an entry has, as they stand in the file: room to reserve.
pub(super) fn sizes(entry: &Entry<'_>) -> (usize, usize) {
    let len = |text: Option<&Text>| text.map_or(0, |t| t.len());
    let paper = entry.paper.as_ref();
    let title = len(paper.and_then(|p| p.title.as_ref())).max(len(entry.title.as_ref()));
    let summary = len(paper.and_then(|p| p.summary.as_ref())).max(len(entry.summary.as_ref()));
    (title, summary)
}

fn split(entry: Entry<'_>) -> (Texts<'_>, Meta) {
    let paper = entry.paper.unwrap_or_default();
    let summary = paper.summary.filter(|s| !s.trim().is_empty()).or(entry.summary);
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
    (Texts { titles: [paper.title, entry.title], summary }, meta)
}

/// A vote count as a `u32`: negative or not-a-number counts are dropped, huge ones capped.
fn upvotes(count: f64) -> Option<u32> {
    // `as` saturates at u32::MAX.
    (count.is_finite() && count >= 0.0).then_some(count as u32)
}
