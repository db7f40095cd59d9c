//! `Chunk`: a block of one digest's text and the papers in it.

use std::sync::Arc;

use super::{Meta, Origin, Paper, PaperKey, PaperRef, Record, Text};

/// Where a paper's title is in its chunk's titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TitleSpan {
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Copies `title` to the end of `titles`, returning where it is.
pub(super) fn keep_title(titles: &mut String, title: &str) -> TitleSpan {
    let start = titles.len();
    titles.push_str(title);
    TitleSpan { start, end: titles.len() }
}

/// A block of one digest's text and the papers in it: the unit in which papers are loaded and shared.
///
/// The titles are copied into one string of their own, back to back, while the abstracts stay where they
/// are in the text. A search reads every title in turn: read from the text, each title is a cache miss
/// (about 1,200 bytes of abstract lie between two), which cost more than scoring it (see BENCHMARKS.md).
#[derive(Debug, Default)]
pub struct Chunk {
    pub(super) origin: Arc<Origin>,
    pub(super) text: String,
    /// Every title, back to back; papers hold spans into it.
    pub(super) titles: String,
    pub(super) papers: Vec<Paper>,
    /// Where each paper's title ends in `titles` (the next one starts there), once the chunk is in a
    /// library (`seal`): what a search reads to find a title, 4 bytes a paper rather than the paper's
    /// 64. A search of the last matches reads titles far apart, and each paper read was a cache miss of
    /// its own. Empty when the titles are not back to back or too long for it: the spans are read then.
    pub(super) title_ends: Vec<u32>,
    /// The titles that are not ASCII, as their places and lengths in characters, once the chunk is in a
    /// library (`seal`) with `title_ends`: any other title's length is where it ends less where it
    /// starts, and a search ranking by authors alone never reads a title (see `title_chars`). Kept
    /// for each such title rather than noted for the chunk: one title in a thousand with an accent
    /// had every title of its chunk read.
    pub(super) wide_titles: Vec<(u32, u32)>,
    /// The hash of each paper's own arXiv key (`PaperKey::hash_of_arxiv_id`), 0 for none, once the
    /// chunk is in a library (`seal`): with the title key's hash, what tells a search that a paper
    /// holds no marks (see `MarkSet::may_hold`) without reading its entry.
    pub(super) id_hashes: Vec<u64>,
    /// The distinct lists of categories of the chunk's papers, and each paper's (an index into them),
    /// once the chunk is in a library (`seal`): a `cat:` filter is tried once on each list, then read
    /// for each paper from 4 bytes rather than from its entry and strings.
    pub(super) category_lists: Vec<Box<[String]>>,
    pub(super) category_of: Vec<u32>,
    /// The author names this chunk brought to its library back to back, where each ends, and each
    /// paper's authors as the library's numbers of their names (its own end in `author_ends`), once
    /// the chunk is in a library (see `Names`): an `author:` term scores each name once a search, then
    /// reads 4 bytes an author rather than the paper's entry and strings, each a cache miss of its own.
    /// Empty when they would not fit.
    pub(super) author_names: String,
    pub(super) name_ends: Vec<u32>,
    pub(super) author_ids: Vec<u32>,
    pub(super) author_ends: Vec<u32>,
}

impl Chunk {
    pub fn new(origin: Arc<Origin>, text: String) -> Self {
        Chunk {
            origin,
            text,
            titles: String::new(),
            papers: Vec::new(),
            title_ends: Vec::new(),
            wide_titles: Vec::new(),
            id_hashes: Vec::new(),
            category_lists: Vec::new(),
            category_of: Vec::new(),
            author_names: String::new(),
            name_ends: Vec::new(),
            author_ids: Vec::new(),
            author_ends: Vec::new(),
        }
    }

    /// A chunk of papers that own their text, for tests and tools.
    pub fn from_papers<T: Into<String>, A: Into<String>>(
        origin: Origin,
        papers: impl IntoIterator<Item = (T, A)>,
    ) -> Self {
        let mut chunk = Chunk::new(Arc::new(origin), String::new());
        for (line, (title, abstract_text)) in papers.into_iter().enumerate() {
            let title = Text::Owned(title.into().into_boxed_str());
            chunk.push(title, Text::Owned(abstract_text.into().into_boxed_str()), line + 1);
        }
        chunk
    }

    /// Adds a paper whose title and abstract are `title` and `abstract_text` (spans of this chunk's text).
    pub fn push(&mut self, title: Text, abstract_text: Text, line: usize) {
        let title = keep_title(&mut self.titles, title.get(&self.text));
        let key_hash = PaperKey::hash_of_title(self.span_title(title));
        self.papers.push(Paper { title, abstract_text, line, key_hash, meta: None });
    }

    /// Adds a paper from a structured format.
    pub fn push_record(&mut self, record: Record) {
        let key_hash = PaperKey::hash_of_title(&record.title);
        let meta = (record.meta != Meta::default()).then(|| Box::new(record.meta));
        let title = keep_title(&mut self.titles, &record.title);
        self.papers.push(Paper {
            title,
            abstract_text: Text::Owned(record.abstract_text.into_boxed_str()),
            line: record.line,
            key_hash,
            meta,
        });
    }

    /// Adds a paper from a structured format whose fields `title` and `abstract_text` write, cleaned, at
    /// the end of this chunk's titles and text: every abstract of a block back to back in one string, like
    /// the titles, rather than a string of its own each (a year of stored days is 100,000 abstracts, each
    /// allocated, copied and one day freed). Nothing is added, and false is returned, when the title
    /// written is empty.
    pub fn push_written(
        &mut self,
        title: impl FnOnce(&mut String),
        abstract_text: impl FnOnce(&mut String),
        line: usize,
        meta: Meta,
    ) -> bool {
        let start = self.titles.len();
        title(&mut self.titles);
        if self.titles.len() == start {
            return false;
        }
        let title = TitleSpan { start, end: self.titles.len() };
        let key_hash = PaperKey::hash_of_title(self.span_title(title));
        let start = self.text.len();
        abstract_text(&mut self.text);
        let abstract_text = Text::Span { start, end: self.text.len() };
        let meta = (meta != Meta::default()).then(|| Box::new(meta));
        self.papers.push(Paper { title, abstract_text, line, key_hash, meta });
        true
    }

    /// Room for `papers` more papers whose titles and abstracts come to about `titles` and `text` bytes.
    pub fn reserve(&mut self, papers: usize, titles: usize, text: usize) {
        self.papers.reserve(papers);
        self.titles.reserve(titles);
        self.text.reserve(text);
    }

    /// Gives back what was reserved and not used.
    pub fn shrink_to_fit(&mut self) {
        self.papers.shrink_to_fit();
        self.titles.shrink_to_fit();
        self.text.shrink_to_fit();
    }

    /// Forgets the abstracts, for a command that shows titles alone (`papers list`): each reads as empty
    /// from now on, and the text goes back to be read into again, so that a large digest is read through
    /// a few blocks of memory instead of into new memory all of it.
    pub fn forget_abstracts(&mut self) -> Vec<u8> {
        for paper in &mut self.papers {
            paper.abstract_text = Text::EMPTY;
        }
        std::mem::take(&mut self.text).into_bytes()
    }

    pub(super) fn span_title(&self, span: TitleSpan) -> &str {
        // Spans are made by `keep_title` on this very string; `get` keeps a wrong one from panicking.
        self.titles.get(span.start..span.end).unwrap_or("")
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn origin(&self) -> &Arc<Origin> {
        &self.origin
    }

    pub fn len(&self) -> usize {
        self.papers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.papers.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<PaperRef<'_>> {
        self.papers.get(i).map(|paper| PaperRef { chunk: self, paper, extra: None, late_abstract: None })
    }

    pub fn papers(&self) -> impl Iterator<Item = PaperRef<'_>> {
        self.papers.iter().map(|paper| PaperRef { chunk: self, paper, extra: None, late_abstract: None })
    }

    pub(super) fn title(&self, i: usize) -> &str {
        match self.title_ends.get(i) {
            Some(&end) => {
                let start = if i == 0 { 0 } else { self.title_ends[i - 1] };
                self.titles.get(start as usize..end as usize).unwrap_or("")
            }
            None => self.span_title(self.papers[i].title),
        }
    }

    /// Title `i`'s length in characters: from where it ends, or from `wide_titles`, when the chunk's
    /// titles are back to back, else counted in the title.
    pub(super) fn title_chars(&self, i: usize) -> usize {
        match self.title_ends.get(i) {
            Some(&end) => match self.wide_titles.binary_search_by_key(&(i as u32), |&(at, _)| at) {
                Ok(k) => self.wide_titles[k].1 as usize,
                Err(_) => (end - if i == 0 { 0 } else { self.title_ends[i - 1] }) as usize,
            },
            None => {
                let title = self.title(i);
                if title.is_ascii() { title.len() } else { title.chars().count() }
            }
        }
    }

    /// Notes where each title ends, when they are back to back (see `title_ends`); called once the
    /// papers are final.
    pub(super) fn seal(&mut self) {
        self.title_ends.clear();
        let mut at = 0;
        let back_to_back = self.papers.iter().all(|p| std::mem::replace(&mut at, p.title.end) == p.title.start);
        if back_to_back && u32::try_from(self.titles.len()).is_ok() {
            self.title_ends = self.papers.iter().map(|p| p.title.end as u32).collect();
        }
        self.wide_titles = if self.title_ends.is_empty() || self.titles.is_ascii() {
            Vec::new()
        } else {
            (0..self.papers.len())
                .filter_map(|i| {
                    let title = self.title(i);
                    (!title.is_ascii()).then(|| (i as u32, title.chars().count() as u32))
                })
                .collect()
        };
        let id = |p: &Paper| p.meta.as_ref().and_then(|m| m.arxiv_id.as_deref()).map(PaperKey::hash_of_arxiv_id);
        self.id_hashes = self.papers.iter().map(|p| id(p).unwrap_or(0)).collect();
        let mut lists: std::collections::HashMap<&[String], u32> = std::collections::HashMap::new();
        let mut category_lists = Vec::new();
        self.category_of = self
            .papers
            .iter()
            .map(|p| {
                let list = p.meta.as_ref().map_or(&[][..], |m| &m.categories[..]);
                *lists.entry(list).or_insert_with(|| {
                    category_lists.push(list.to_vec().into_boxed_slice());
                    // More distinct lists than a u32 counts cannot be made of fewer papers.
                    (category_lists.len() - 1) as u32
                })
            })
            .collect();
        self.category_lists = category_lists;
    }

    /// Paper `i`'s authors as the library's numbers of their names, once in a library.
    pub(super) fn author_ids(&self, i: usize) -> Option<&[u32]> {
        let end = *self.author_ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.author_ends[i - 1] as usize };
        self.author_ids.get(start..end)
    }

    /// The `id`th name this chunk brought to its library.
    pub(super) fn author_name(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.name_ends[id - 1] as usize };
        self.author_names.get(start..self.name_ends[id] as usize).unwrap_or("")
    }

    /// Heap bytes this chunk holds beyond its text: what the papers cost.
    pub fn overhead_bytes(&self) -> usize {
        let owned = |t: &Text| if let Text::Owned(s) = t { s.len() } else { 0 };
        self.papers.capacity() * std::mem::size_of::<Paper>()
            + self.title_ends.capacity() * std::mem::size_of::<u32>()
            + self.wide_titles.capacity() * std::mem::size_of::<(u32, u32)>()
            + self.id_hashes.capacity() * std::mem::size_of::<u64>()
            + self.category_of.capacity() * std::mem::size_of::<u32>()
            + self.category_lists.iter().map(|l| l.iter().map(String::len).sum::<usize>()).sum::<usize>()
            + self.author_names.capacity()
            + (self.name_ends.capacity() + self.author_ids.capacity() + self.author_ends.capacity())
                * std::mem::size_of::<u32>()
            + self.titles.capacity()
            + self.papers.iter().map(|p| owned(&p.abstract_text)).sum::<usize>()
            + self.papers.iter().filter(|p| p.meta.is_some()).count() * std::mem::size_of::<Meta>()
    }
}
