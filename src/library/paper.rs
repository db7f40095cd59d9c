//! One paper: what the formats tell of it (`Meta`, `Record`), its text as spans (`Text`), and `PaperRef`, to read it.

use super::chunk::{Chunk, TitleSpan};
use super::{Day, PaperKey};

/// What the structured formats tell about a paper beyond its title and abstract. Every field is optional:
/// the text digest gives none of them, the others give what they have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// The arXiv identifier without prefix or version: "2403.12345", or "hep-th/9901001" for old ones.
    pub arxiv_id: Option<String>,
    pub authors: Vec<String>,
    /// arXiv categories, primary first: "cs.LG".
    pub categories: Vec<String>,
    /// Hugging Face upvotes.
    pub upvotes: Option<u32>,
    /// The day the paper appeared in the digest (the digest's day), when the format says.
    pub day: Option<Day>,
    /// When the paper was first published.
    pub published: Option<Day>,
    /// The code repository (a URL).
    pub code: Option<String>,
    /// The project page (a URL).
    pub project: Option<String>,
    /// The entry's own page, when it is not the arXiv abstract page of `arxiv_id`.
    pub url: Option<String>,
}

/// One paper as a structured format gives it, before it joins a chunk. Text is already sanitised; the
/// title is one line; abstract paragraphs are separated by a blank line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub title: String,
    pub abstract_text: String,
    /// The line of the file where the paper's entry starts (1-based).
    pub line: usize,
    pub meta: Meta,
}

/// Some text of a paper: a span of its chunk's text, or a string of its own when the parser changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Span { start: usize, end: usize },
    Owned(Box<str>),
}

impl Text {
    pub const EMPTY: Text = Text::Span { start: 0, end: 0 };

    pub(super) fn get<'a>(&'a self, chunk_text: &'a str) -> &'a str {
        match self {
            // Spans are made by the parser on char boundaries of this very text; `get` keeps a wrong one
            // from panicking (it reads as empty).
            Text::Span { start, end } => chunk_text.get(*start..*end).unwrap_or(""),
            Text::Owned(text) => text,
        }
    }
}

/// Where a block of papers came from: the file (or "built-in digest") and its date line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub name: String,
    /// The digest's date line, when its header had one (e.g. "Mar 14").
    pub date: Option<String>,
    /// The day of `date`, the year taken from when the file was saved.
    pub day: Option<Day>,
}

/// One paper, as spans into its chunk. Text fields are already sanitised (see `sanitize`).
#[derive(Debug, Clone, PartialEq)]
pub struct Paper {
    pub(super) title: TitleSpan,
    /// Empty when the digest had no abstract for this paper; paragraphs are separated by a blank line.
    pub(super) abstract_text: Text,
    /// The line of its file where the title stands.
    pub(super) line: usize,
    /// `PaperKey::hash64` of the title's key.
    pub(super) key_hash: u64,
    /// What a structured format told beyond title and abstract.
    pub(super) meta: Option<Box<Meta>>,
}

/// A paper and where it lives, to read its fields.
#[derive(Debug, Clone, Copy)]
pub struct PaperRef<'a> {
    pub(super) chunk: &'a Chunk,
    pub(super) paper: &'a Paper,
    /// What later copies of the same paper brought.
    pub(super) extra: Option<&'a Extra>,
    /// An abstract that a later copy of the same paper brought.
    pub(super) late_abstract: Option<&'a str>,
}

impl<'a> PaperRef<'a> {
    pub fn title(&self) -> &'a str {
        self.chunk.span_title(self.paper.title)
    }

    pub fn abstract_text(&self) -> &'a str {
        self.late_abstract.unwrap_or_else(|| self.paper.abstract_text.get(&self.chunk.text))
    }

    /// The key its marks are kept under: its arXiv identifier when known, else its title.
    pub fn key(&self) -> PaperKey {
        match self.arxiv_id() {
            Some(id) => PaperKey::from_arxiv_id(id),
            None => self.title_key(),
        }
    }

    /// The key of its title, which its marks were kept under before its arXiv identifier was known.
    pub fn title_key(&self) -> PaperKey {
        PaperKey::from_title(self.title())
    }

    /// The hash of its title's key.
    pub fn key_hash(&self) -> u64 {
        self.paper.key_hash
    }

    /// What the formats told beyond title and abstract, merged over every copy of the paper.
    pub fn meta(&self) -> Option<&'a Meta> {
        self.extra.and_then(|e| e.meta.as_deref()).or(self.paper.meta.as_deref())
    }

    pub fn arxiv_id(&self) -> Option<&'a str> {
        self.meta().and_then(|m| m.arxiv_id.as_deref())
    }

    /// The days it appeared in a digest, oldest first (none when no digest said).
    pub fn days(&self) -> Vec<Day> {
        match self.extra {
            Some(extra) if !extra.days.is_empty() => extra.days.clone(),
            _ => self.own_day().into_iter().collect(),
        }
    }

    pub(super) fn own_day(&self) -> Option<Day> {
        self.paper.meta.as_ref().and_then(|m| m.day).or(self.chunk.origin.day)
    }

    /// The latest day it appeared in a digest.
    pub fn last_day(&self) -> Option<Day> {
        match self.extra {
            Some(extra) if !extra.days.is_empty() => extra.days.last().copied(),
            _ => self.own_day(),
        }
    }

    /// The paper's page: its arXiv abstract page when the identifier is known, else the page its entry
    /// named, else the first link of its abstract.
    pub fn url(&self) -> Option<String> {
        self.page(|| crate::links::find_links(self.abstract_text()).into_iter().next())
    }

    /// `url`, given the way to the abstract's first link (found once by `links`).
    fn page(&self, first_link: impl FnOnce() -> Option<String>) -> Option<String> {
        if let Some(id) = self.arxiv_id() {
            return Some(format!("https://arxiv.org/abs/{id}"));
        }
        self.meta().and_then(|m| m.url.clone()).or_else(first_link)
    }

    /// Its web links, numbered in the detail pane: its page (for an arXiv paper, its abstract page, PDF
    /// and Hugging Face page), code, project page, then the links in its abstract, without repeats (the
    /// same page written two ways is one).
    pub fn links(&self) -> Vec<String> {
        let meta = self.meta();
        let found = crate::links::find_links(self.abstract_text());
        let mut known = match self.arxiv_id() {
            Some(id) => crate::links::arxiv_pages(id).map(Some).to_vec(),
            None => vec![self.page(|| found.first().cloned())],
        };
        known.extend([meta.and_then(|m| m.code.clone()), meta.and_then(|m| m.project.clone())]);
        let mut links: Vec<String> = Vec::new();
        for link in known.into_iter().flatten().chain(found) {
            if !links.iter().any(|l| crate::links::same_page(l, &link)) {
                links.push(link);
            }
        }
        links
    }

    pub fn date(&self) -> Option<&'a str> {
        self.chunk.origin.date.as_deref()
    }

    /// The file (or "built-in digest") the paper came from.
    pub fn source(&self) -> &'a str {
        &self.chunk.origin.name
    }

    pub fn line(&self) -> usize {
        self.paper.line
    }
}

/// What later copies of a paper added to the first: metadata, days, an abstract it lacked.
#[derive(Debug, Default)]
pub(super) struct Extra {
    /// The merged metadata of every copy.
    pub(super) meta: Option<Box<Meta>>,
    /// Every day the paper appeared, oldest first.
    pub(super) days: Vec<Day>,
    /// An abstract the first copy lacked: the chunk and the text in it.
    pub(super) late: Option<(usize, Text)>,
}

impl Meta {
    /// Takes from `other` what this lacks: the richest metadata of two copies of one paper.
    pub fn absorb(&mut self, other: &Meta) {
        fn fill<T: Clone>(mine: &mut Option<T>, theirs: &Option<T>) {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        }
        fill(&mut self.arxiv_id, &other.arxiv_id);
        if self.authors.is_empty() {
            self.authors.clone_from(&other.authors);
        }
        for category in &other.categories {
            if !self.categories.contains(category) {
                self.categories.push(category.clone());
            }
        }
        self.upvotes = self.upvotes.max(other.upvotes);
        self.day = match (self.day, other.day) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        fill(&mut self.published, &other.published);
        fill(&mut self.code, &other.code);
        fill(&mut self.project, &other.project);
        fill(&mut self.url, &other.url);
    }
}
