//! Papers, their stable keys, and the library: every paper from the digests that were opened, once each.
//!
//! **Memory.** A digest's text is kept as read, in blocks (`Chunk`), and a paper is a few spans into its
//! block: a title or abstract that is one clean line of the file is not copied. Only text the parser had to
//! change (a paragraph wrapped over several lines, characters neutralised) is kept as its own string. Keys
//! and links are derived when asked for; a paper keeps only the hash of its key.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Identifies a paper across digests, days, reorderings and re-downloads.
///
/// Derived from the title alone: lower-cased (Unicode-aware), every run of characters that are not letters
/// or digits turned into one space, trimmed. So "Mamba YOLO: SSMs-Based YOLO" and "mamba yolo — ssms based
/// yolo" are the same paper. The `title:` prefix leaves room for keys from identifiers (arXiv ids).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PaperKey(String);

impl PaperKey {
    pub fn from_title(title: &str) -> Self {
        let mut key = String::with_capacity("title:".len() + title.len());
        write_key(title, &mut key);
        PaperKey(key)
    }

    /// `PaperKey::from_title(title).hash64()`, without making the key: what parsing a large digest needs.
    pub fn hash_of_title(title: &str) -> u64 {
        thread_local! {
            static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        KEY.with_borrow_mut(|key| {
            key.clear();
            write_key(title, key);
            hash64(key)
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A 64-bit hash of the key, the same in every process, which is what papers keep of their keys.
    pub fn hash64(&self) -> u64 {
        hash64(&self.0)
    }
}

fn hash64(key: &str) -> u64 {
    // DefaultHasher::new() has fixed keys: the same hash for the same key, always.
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(key.as_bytes());
    hasher.finish()
}

/// Writes the key of `title` to `key` (see `PaperKey`).
fn write_key(title: &str, key: &mut String) {
    key.push_str("title:");
    let start = key.len();
    if title.is_ascii() {
        // The common case, a byte at a time.
        let mut pending_space = false;
        for &b in title.as_bytes() {
            if !b.is_ascii_alphanumeric() {
                pending_space = true;
                continue;
            }
            if pending_space && key.len() > start {
                key.push(' ');
            }
            pending_space = false;
            key.push(char::from(b.to_ascii_lowercase()));
        }
        return;
    }
    let mut pending_space = false;
    for c in title.chars() {
        let wanted = if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() };
        if !wanted {
            pending_space = true;
            continue;
        }
        if pending_space && key.len() > start {
            key.push(' ');
        }
        pending_space = false;
        if c.is_ascii() {
            key.push(c.to_ascii_lowercase());
        } else {
            key.extend(c.to_lowercase());
        }
    }
}

impl std::fmt::Display for PaperKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Some text of a paper: a span of its chunk's text, or a string of its own when the parser changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Span { start: usize, end: usize },
    Owned(Box<str>),
}

impl Text {
    pub const EMPTY: Text = Text::Span { start: 0, end: 0 };

    fn get<'a>(&'a self, chunk_text: &'a str) -> &'a str {
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
}

/// One paper, as spans into its chunk. Text fields are already sanitised (see `sanitize`).
#[derive(Debug, Clone, PartialEq)]
pub struct Paper {
    title: Text,
    /// Empty when the digest had no abstract for this paper; paragraphs are separated by a blank line.
    abstract_text: Text,
    /// The line of its file where the title stands.
    line: usize,
    /// `PaperKey::hash64` of the title's key.
    key_hash: u64,
}

/// A block of one digest's text and the papers in it: the unit in which papers are loaded and shared.
#[derive(Debug, Default)]
pub struct Chunk {
    origin: Arc<Origin>,
    text: String,
    papers: Vec<Paper>,
}

impl Chunk {
    pub fn new(origin: Arc<Origin>, text: String) -> Self {
        Chunk { origin, text, papers: Vec::new() }
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
        let key_hash = PaperKey::hash_of_title(title.get(&self.text));
        self.papers.push(Paper { title, abstract_text, line, key_hash });
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
        self.papers.get(i).map(|paper| PaperRef { chunk: self, paper, late_abstract: None })
    }

    pub fn papers(&self) -> impl Iterator<Item = PaperRef<'_>> {
        self.papers.iter().map(|paper| PaperRef { chunk: self, paper, late_abstract: None })
    }

    fn title(&self, i: usize) -> &str {
        self.papers[i].title.get(&self.text)
    }

    /// Heap bytes this chunk holds beyond its text: what the papers cost.
    pub fn overhead_bytes(&self) -> usize {
        let owned = |t: &Text| if let Text::Owned(s) = t { s.len() } else { 0 };
        self.papers.capacity() * std::mem::size_of::<Paper>()
            + self.papers.iter().map(|p| owned(&p.title) + owned(&p.abstract_text)).sum::<usize>()
    }
}

/// A paper and where it lives, to read its fields.
#[derive(Debug, Clone, Copy)]
pub struct PaperRef<'a> {
    chunk: &'a Chunk,
    paper: &'a Paper,
    /// An abstract that a later copy of the same paper brought.
    late_abstract: Option<&'a str>,
}

impl<'a> PaperRef<'a> {
    pub fn title(&self) -> &'a str {
        self.paper.title.get(&self.chunk.text)
    }

    pub fn abstract_text(&self) -> &'a str {
        self.late_abstract.unwrap_or_else(|| self.paper.abstract_text.get(&self.chunk.text))
    }

    pub fn key(&self) -> PaperKey {
        PaperKey::from_title(self.title())
    }

    pub fn key_hash(&self) -> u64 {
        self.paper.key_hash
    }

    /// The http(s) links in the abstract, in order, without repeats.
    pub fn links(&self) -> Vec<String> {
        crate::digest::find_links(self.abstract_text())
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

/// The papers' titles, shared with the search threads: cheap to clone, never changing.
#[derive(Debug, Clone, Default)]
pub struct Titles {
    chunks: Vec<Arc<Chunk>>,
    /// The library index of each chunk's first paper.
    starts: Vec<usize>,
    len: usize,
}

impl Titles {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn locate(&self, i: usize) -> (usize, usize) {
        let c = self.starts.partition_point(|&start| start <= i) - 1;
        (c, i - self.starts[c])
    }

    /// The title of paper `i`. Panics when `i` is out of range, as slice indexing does.
    pub fn title(&self, i: usize) -> &str {
        let (c, j) = self.locate(i);
        self.chunks[c].title(j)
    }

    pub fn key_hash(&self, i: usize) -> u64 {
        let (c, j) = self.locate(i);
        self.chunks[c].papers[j].key_hash
    }

    /// Calls `f` with the index and title of the papers at `indices` (ascending), walking chunk by chunk.
    pub fn for_each_of(&self, indices: &[u32], mut f: impl FnMut(usize, &str)) {
        let Some(&first) = indices.first() else { return };
        let (mut c, _) = self.locate(first as usize);
        for &i in indices {
            let i = i as usize;
            while c + 1 < self.starts.len() && self.starts[c + 1] <= i {
                c += 1;
            }
            f(i, self.chunks[c].title(i - self.starts[c]));
        }
    }

    /// Calls `f` with the index and title of every paper in `range`, in order, walking chunk by chunk.
    pub fn for_each_in(&self, range: std::ops::Range<usize>, mut f: impl FnMut(usize, &str)) {
        if range.is_empty() {
            return;
        }
        let (mut c, mut j) = self.locate(range.start);
        let mut i = range.start;
        while i < range.end {
            let chunk = &self.chunks[c];
            while j < chunk.papers.len() && i < range.end {
                f(i, chunk.title(j));
                i += 1;
                j += 1;
            }
            c += 1;
            j = 0;
        }
    }
}

/// Every paper from the opened digests, in the order they came, with duplicates merged.
#[derive(Debug, Default)]
pub struct Library {
    titles: Titles,
    /// Key hash to the index of the paper with that key.
    index: HashMap<u64, usize>,
    /// Abstracts that later copies of a paper brought, when the first copy had none: chunk, text.
    late: HashMap<usize, (usize, Text)>,
}

impl Library {
    pub fn from_chunks(chunks: impl IntoIterator<Item = Chunk>) -> Self {
        let mut library = Library::default();
        for chunk in chunks {
            library.add_chunk(chunk);
        }
        library
    }

    /// The papers of `digests`, in order.
    pub fn from_digests(digests: impl IntoIterator<Item = crate::digest::Digest>) -> Self {
        Library::from_chunks(digests.into_iter().flat_map(|d| d.chunks))
    }

    /// A library of papers given as (title, abstract), for tests and tools.
    pub fn from_papers<T: Into<String>, A: Into<String>>(papers: impl IntoIterator<Item = (T, A)>) -> Self {
        Library::from_chunks([Chunk::from_papers(Origin::default(), papers)])
    }

    /// Adds a chunk's papers after those already here. A paper already here keeps its place and gains an
    /// abstract it lacked; the copy is dropped.
    pub fn add_chunk(&mut self, mut chunk: Chunk) {
        let number = self.titles.chunks.len();
        let first = self.titles.len;
        let papers = std::mem::take(&mut chunk.papers);
        let mut unique: Vec<Paper> = Vec::with_capacity(papers.len());
        for paper in papers {
            let Some(&known) = self.index.get(&paper.key_hash) else {
                self.index.insert(paper.key_hash, first + unique.len());
                unique.push(paper);
                continue;
            };
            let title = paper.title.get(&chunk.text);
            // A 64-bit hash is compared first; the keys themselves decide.
            let known_title =
                if known >= first { unique[known - first].title.get(&chunk.text) } else { self.titles.title(known) };
            if PaperKey::from_title(known_title) != PaperKey::from_title(title) {
                // Two keys with one hash (never seen): both papers stay, the second cannot be merged.
                unique.push(paper);
                continue;
            }
            if paper.abstract_text.get(&chunk.text).is_empty() {
                continue;
            }
            if known >= first {
                let earlier = &mut unique[known - first];
                if earlier.abstract_text.get(&chunk.text).is_empty() {
                    earlier.abstract_text = paper.abstract_text;
                }
            } else if self.get(known).abstract_text().is_empty() {
                self.late.insert(known, (number, paper.abstract_text));
            }
        }
        chunk.papers = unique;
        chunk.papers.shrink_to_fit();
        self.titles.starts.push(first);
        self.titles.len += chunk.papers.len();
        self.titles.chunks.push(Arc::new(chunk));
    }

    /// Paper `i`, in library order. Panics when `i` is out of range, as slice indexing does.
    pub fn get(&self, i: usize) -> PaperRef<'_> {
        let (c, j) = self.titles.locate(i);
        let chunk = &self.titles.chunks[c];
        let late_abstract = self.late.get(&i).map(|(lc, text)| text.get(&self.titles.chunks[*lc].text));
        PaperRef { chunk, paper: &chunk.papers[j], late_abstract }
    }

    pub fn papers(&self) -> impl Iterator<Item = PaperRef<'_>> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The index of the paper with `key`, if the library has it.
    pub fn find(&self, key: &PaperKey) -> Option<usize> {
        self.index.get(&key.hash64()).copied().filter(|&i| self.get(i).key() == *key)
    }

    /// The titles, to share with the search threads.
    pub fn titles(&self) -> &Titles {
        &self.titles
    }

    /// The date line of the first digest that had papers.
    pub fn date(&self) -> Option<&str> {
        self.titles.chunks.iter().find(|c| !c.is_empty()).and_then(|c| c.origin.date.as_deref())
    }

    pub fn len(&self) -> usize {
        self.titles.len
    }

    pub fn is_empty(&self) -> bool {
        self.titles.len == 0
    }

    /// Bytes held: the text of every chunk, and what the papers cost on top.
    pub fn memory(&self) -> (usize, usize) {
        let chunks = &self.titles.chunks;
        let text = chunks.iter().map(|c| c.text.capacity()).sum();
        let overhead = chunks.iter().map(|c| c.overhead_bytes()).sum::<usize>()
            + self.index.capacity() * (std::mem::size_of::<(u64, usize)>() + 1);
        (text, overhead)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ignores_case_punctuation_and_spacing() {
        let a = PaperKey::from_title("Mamba YOLO: SSMs-Based YOLO For Object Detection");
        let b = PaperKey::from_title("  mamba yolo — ssms based YOLO for object detection. ");
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "title:mamba yolo ssms based yolo for object detection");
        assert_eq!(a.hash64(), b.hash64());
        assert_eq!(PaperKey::hash_of_title("  mamba yolo — ssms based YOLO for object detection. "), a.hash64());
        assert_eq!(PaperKey::hash_of_title("ÉCOLE"), PaperKey::from_title("école").hash64());
    }

    #[test]
    fn key_folds_non_ascii_and_keeps_distinct_titles_apart() {
        assert_eq!(PaperKey::from_title("ÉCOLE Ünïcode"), PaperKey::from_title("école ünïcode"));
        assert_ne!(PaperKey::from_title("A Survey of Mamba"), PaperKey::from_title("A Survey on Mamba"));
        assert_eq!(PaperKey::from_title("中文 标题").as_str(), "title:中文 标题");
        assert_eq!(PaperKey::from_title("İx").as_str(), "title:i\u{307}x");
    }

    #[test]
    fn library_merges_the_same_paper_and_keeps_the_first_place() {
        let d1 = Chunk::from_papers(Origin::default(), [("First", "")]);
        let d2 = Chunk::from_papers(Origin::default(), [("Second", "x"), ("FIRST", "abs")]);
        let lib = Library::from_chunks([d1, d2]);
        let titles: Vec<_> = lib.papers().map(|p| p.title()).collect();
        assert_eq!(titles, ["First", "Second"]);
        assert_eq!(lib.get(0).abstract_text(), "abs");
        assert_eq!(lib.find(&PaperKey::from_title("first")), Some(0));
        assert_eq!(lib.find(&PaperKey::from_title("third")), None);
    }

    #[test]
    fn copies_within_one_chunk_merge_too() {
        let lib = Library::from_papers([("A", ""), ("B", "b"), ("a", "late"), ("A!", "later")]);
        assert_eq!(lib.len(), 2);
        assert_eq!(lib.get(0).abstract_text(), "late");
    }

    #[test]
    fn spans_read_the_chunk_text_and_papers_are_found_across_chunks() {
        let mut chunk = Chunk::new(Arc::new(Origin { name: "f.txt".into(), date: None }), "Title\n\nAbs.\n".into());
        chunk.push(Text::Span { start: 0, end: 5 }, Text::Span { start: 7, end: 11 }, 1);
        let mut lib = Library::from_papers([("Zero", "")]);
        lib.add_chunk(chunk);
        lib.add_chunk(Chunk::default());
        lib.add_chunk(Chunk::from_papers(Origin::default(), [("Two", "")]));
        assert_eq!(lib.len(), 3);
        assert_eq!((lib.get(1).title(), lib.get(1).abstract_text(), lib.get(1).source()), ("Title", "Abs.", "f.txt"));
        assert_eq!(lib.get(2).title(), "Two");
        let mut seen = Vec::new();
        lib.titles().for_each_in(1..3, |i, t| seen.push((i, t.to_string())));
        assert_eq!(seen, [(1, "Title".to_string()), (2, "Two".to_string())]);
        let mut seen = Vec::new();
        lib.titles().for_each_of(&[0, 2], |i, t| seen.push((i, t.to_string())));
        assert_eq!(seen, [(0, "Zero".to_string()), (2, "Two".to_string())]);
    }
}
