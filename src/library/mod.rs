//! Papers, their stable keys, and the library: every paper from the digests that were opened, once each.
//!
//! **Memory.** A digest's text is kept as read, in blocks (`Chunk`), and a paper is a few spans into its
//! block: an abstract that is one clean line of the file is not copied. Only text the parser had to change
//! (a paragraph wrapped over several lines, characters neutralised) is kept as its own string. The titles
//! alone are copied, back to back, so that a search reads them without the abstracts between (see
//! `Chunk`). Keys and links are derived when asked for; a paper keeps only the hash of its key.
//!
//! Here: the collection and the merge of copies of one paper. Beside it: `key` (what identifies a paper),
//! `day`, `paper` (what a paper holds, and `PaperRef` to read it), `chunk` (a block of text and its papers)
//! and `titles` (the titles, shared with the search threads).

mod chunk;
mod day;
mod key;
mod names;
mod paper;
mod titles;

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::Arc;

pub use chunk::Chunk;
use chunk::keep_title;
pub use day::Day;
pub use key::PaperKey;
use paper::Extra;
pub use paper::{Meta, Origin, Paper, PaperRef, Record, Text};
pub use titles::Titles;

/// Every paper from the opened digests, in the order they came, with duplicates merged: the same arXiv
/// identifier, or the same title when one of the two has no identifier.
#[derive(Debug, Default)]
pub struct Library {
    titles: Titles,
    /// Title key hash to the index of the first paper with that title.
    index: KeyMap<usize>,
    /// arXiv key hash to the index of the paper with that identifier.
    ids: KeyMap<usize>,
    /// What later copies added to papers, by index.
    extra: HashMap<usize, Extra>,
    /// Every day a paper appeared on.
    days: std::collections::BTreeSet<Day>,
    /// Papers a later copy changed since `take_touched` was last called (the full-text index takes them
    /// in again).
    touched: Vec<usize>,
    /// Every author name once (see `Names`).
    names: names::Names,
}

/// A map keyed by `PaperKey::hash64` values, which are hashes already: hashing them again (SipHash, the
/// default) took 4% of loading a large digest.
type KeyMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// Passes a `u64` key through as its own hash (see `KeyMap`).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not used by `u64` keys; folds other input all the same.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Where the paper a copy merges into stands: in the library, or earlier in the chunk being added.
#[derive(Clone, Copy)]
enum Known {
    Library(usize),
    Chunk(usize),
}

impl Library {
    pub fn from_chunks(chunks: impl IntoIterator<Item = Chunk>) -> Self {
        let mut library = Library::default();
        for chunk in chunks {
            library.add_chunk(chunk);
        }
        library
    }

    /// A library of papers given as (title, abstract), for tests and tools.
    pub fn from_papers<T: Into<String>, A: Into<String>>(papers: impl IntoIterator<Item = (T, A)>) -> Self {
        Library::from_chunks([Chunk::from_papers(Origin::default(), papers)])
    }

    /// Adds a chunk's papers after those already here. A paper already here keeps its place and gains what
    /// the copy knows that it did not (metadata, the day, an abstract); the copy is dropped. Returns the
    /// lowest index of a paper already here that a copy changed, if any.
    pub fn add_chunk(&mut self, mut chunk: Chunk) -> Option<usize> {
        let mut lowest_merged = None;
        self.days.extend(chunk.origin.day.filter(|_| !chunk.papers.is_empty()));
        self.days.extend(chunk.papers.iter().filter_map(|p| p.meta.as_ref().and_then(|m| m.day)));
        let number = self.titles.chunks.len();
        let first = self.titles.len;
        let papers = std::mem::take(&mut chunk.papers);
        let copies = papers.len();
        let mut unique: Vec<Paper> = Vec::with_capacity(papers.len());
        for paper in papers {
            let id_hash = paper.meta.as_ref().and_then(|m| m.arxiv_id.as_deref()).map(PaperKey::hash_of_arxiv_id);
            let place = |index: usize| if index >= first { Known::Chunk(index - first) } else { Known::Library(index) };
            // The same identifier; else the same title, when one of the two has no identifier.
            let known = id_hash
                .and_then(|hash| self.ids.get(&hash).copied())
                .map(place)
                .filter(|&known| {
                    self.known_id(known, &unique) == paper.meta.as_ref().and_then(|m| m.arxiv_id.as_deref())
                })
                .or_else(|| {
                    let known = place(*self.index.get(&paper.key_hash)?);
                    let same_title = PaperKey::from_title(self.known_title(known, &unique, &chunk))
                        == PaperKey::from_title(chunk.span_title(paper.title));
                    (same_title && (id_hash.is_none() || self.known_id(known, &unique).is_none())).then_some(known)
                });
            let Some(known) = known else {
                let index = first + unique.len();
                self.index.entry(paper.key_hash).or_insert(index);
                if let Some(hash) = id_hash {
                    self.ids.insert(hash, index);
                }
                unique.push(paper);
                continue;
            };
            let index = match known {
                Known::Library(i) => i,
                Known::Chunk(j) => first + j,
            };
            if let Some(hash) = id_hash {
                self.ids.entry(hash).or_insert(index);
            }
            // The copy's title finds the paper too (it may differ where the identifier matched).
            self.index.entry(paper.key_hash).or_insert(index);
            if index < first {
                lowest_merged = Some(lowest_merged.map_or(index, |low: usize| low.min(index)));
            }
            self.touched.push(index);
            let gains_id = self.known_id(known, &unique).is_none();
            let gains_authors = self.known_authors(known, &unique).is_empty();
            let id = paper.meta.as_ref().and_then(|m| m.arxiv_id.clone());
            let authors = paper.meta.as_ref().map(|m| m.authors.clone()).filter(|a| !a.is_empty());
            self.merge(index, known, &unique, &chunk, number, paper);
            // The search threads read categories and abstracts from titles, not `extra`: what a copy
            // brought is handed to them too.
            if let Some(extra) = self.extra.get(&index) {
                let merged = extra.meta.as_deref().map_or(&[][..], |m| m.categories.as_slice());
                if merged.len() > self.own_categories(known, &unique).len() {
                    let merged = merged.to_vec().into_boxed_slice();
                    Arc::make_mut(&mut self.titles.merged_categories).insert(index, merged);
                }
                if let Some(late) = extra.late.clone() {
                    Arc::make_mut(&mut self.titles.late_abstracts).entry(index).or_insert(late);
                }
            }
            if let Some(id) = id.filter(|_| gains_id) {
                Arc::make_mut(&mut self.titles.merged_ids).insert(index, id.into_boxed_str());
            }
            // The search threads see titles, not `extra`: authors a copy brought are handed to them too.
            if let Some(authors) = authors.filter(|_| gains_authors) {
                Arc::make_mut(&mut self.titles.merged_authors).insert(index, authors.into_boxed_slice());
            }
        }
        chunk.papers = unique;
        chunk.papers.shrink_to_fit();
        if chunk.papers.len() < copies {
            // The titles of the copies merged away are not kept.
            let mut titles = String::with_capacity(chunk.papers.iter().map(|p| p.title.end - p.title.start).sum());
            for paper in &mut chunk.papers {
                paper.title =
                    keep_title(&mut titles, chunk.titles.get(paper.title.start..paper.title.end).unwrap_or(""));
            }
            chunk.titles = titles;
        }
        chunk.titles.shrink_to_fit();
        chunk.seal();
        self.names.add(&self.titles, &mut chunk);
        self.titles.name_starts.push(self.titles.name_count());
        self.titles.starts.push(first);
        self.titles.len += chunk.papers.len();
        self.titles.chunks.push(Arc::new(chunk));
        lowest_merged
    }

    /// The papers a later copy changed (metadata, an abstract, an identifier) since the last call, each
    /// once, ascending.
    pub fn take_touched(&mut self) -> Vec<usize> {
        let mut touched = std::mem::take(&mut self.touched);
        touched.sort_unstable();
        touched.dedup();
        touched
    }

    /// The chunks from number `first` on, each with the library index of its first paper: shared, for
    /// the full-text index to read the papers (as their digest gave them) on a thread of its own.
    pub fn chunks_from(&self, first: usize) -> Vec<(usize, Arc<Chunk>)> {
        let titles = &self.titles;
        (first..titles.chunks.len()).map(|c| (titles.starts[c], Arc::clone(&titles.chunks[c]))).collect()
    }

    /// The paper whose key hashes to `hash` (`PaperKey::hash64`, of an arXiv or a title key), if the
    /// library has one: how the full-text index's answers are found again.
    pub fn find_hash(&self, hash: u64) -> Option<usize> {
        self.ids.get(&hash).or_else(|| self.index.get(&hash)).copied()
    }

    /// Counts the chunks added: changes when papers were added or changed (a copy merged in).
    pub fn changes(&self) -> u64 {
        self.titles.chunks.len() as u64
    }

    fn known_title<'a>(&'a self, known: Known, unique: &'a [Paper], chunk: &'a Chunk) -> &'a str {
        match known {
            Known::Library(i) => self.titles.title(i),
            Known::Chunk(j) => chunk.span_title(unique[j].title),
        }
    }

    fn known_id<'a>(&'a self, known: Known, unique: &'a [Paper]) -> Option<&'a str> {
        match known {
            Known::Library(i) => self.get(i).arxiv_id(),
            Known::Chunk(j) => self
                .extra
                .get(&(self.titles.len + j))
                .and_then(|e| e.meta.as_deref())
                .or(unique[j].meta.as_deref())
                .and_then(|m| m.arxiv_id.as_deref()),
        }
    }

    /// The categories of the paper's own entry, as its chunk keeps them (see `Chunk::category_of`).
    fn own_categories<'a>(&'a self, known: Known, unique: &'a [Paper]) -> &'a [String] {
        let meta = match known {
            Known::Library(i) => {
                let (c, j) = self.titles.locate(i);
                self.titles.chunks[c].papers[j].meta.as_deref()
            }
            Known::Chunk(j) => unique[j].meta.as_deref(),
        };
        meta.map_or(&[], |m| m.categories.as_slice())
    }

    fn known_authors<'a>(&'a self, known: Known, unique: &'a [Paper]) -> &'a [String] {
        let meta = match known {
            Known::Library(i) => self.get(i).meta(),
            Known::Chunk(j) => {
                self.extra.get(&(self.titles.len + j)).and_then(|e| e.meta.as_deref()).or(unique[j].meta.as_deref())
            }
        };
        meta.map_or(&[], |m| m.authors.as_slice())
    }

    /// Folds `copy` (of chunk `number`, not yet added) into the paper at `index`.
    fn merge(&mut self, index: usize, known: Known, unique: &[Paper], chunk: &Chunk, number: usize, copy: Paper) {
        // What the paper holds now: its own fields, and what earlier copies added.
        let (own_meta, own_day, own_abstract_empty) = match known {
            Known::Library(i) => {
                let paper = self.get(i);
                (paper.paper.meta.as_deref().cloned(), paper.own_day(), paper.abstract_text().is_empty())
            }
            Known::Chunk(j) => {
                let paper = &unique[j];
                let day = paper.meta.as_ref().and_then(|m| m.day).or(chunk.origin.day);
                (paper.meta.as_deref().cloned(), day, paper.abstract_text.get(&chunk.text).is_empty())
            }
        };
        let copy_day = copy.meta.as_ref().and_then(|m| m.day).or(chunk.origin.day);
        let extra = self.extra.entry(index).or_default();
        if let Some(theirs) = copy.meta.as_deref() {
            let mut meta = extra.meta.take().map(|m| *m).or(own_meta).unwrap_or_default();
            meta.absorb(theirs);
            extra.meta = Some(Box::new(meta));
        }
        if extra.days.is_empty() {
            extra.days.extend(own_day);
        }
        if let Some(day) = copy_day
            && let Err(at) = extra.days.binary_search(&day)
        {
            extra.days.insert(at, day);
        }
        let copy_abstract_empty = copy.abstract_text.get(&chunk.text).is_empty();
        if own_abstract_empty && extra.late.is_none() && !copy_abstract_empty {
            extra.late = Some((number, copy.abstract_text));
        }
    }

    /// Paper `i`, in library order. Panics when `i` is out of range, as slice indexing does.
    pub fn get(&self, i: usize) -> PaperRef<'_> {
        let (c, j) = self.titles.locate(i);
        let chunk = &self.titles.chunks[c];
        let extra = self.extra.get(&i);
        // An abstract from a chunk not added yet (a copy in the chunk being added) reads as none yet.
        let late_abstract = extra
            .and_then(|e| e.late.as_ref())
            .and_then(|(lc, text)| Some(text.get(&self.titles.chunks.get(*lc)?.text)));
        PaperRef { chunk, paper: &chunk.papers[j], extra, late_abstract }
    }

    pub fn papers(&self) -> impl Iterator<Item = PaperRef<'_>> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The index of the paper with `key` (an arXiv or a title key), if the library has it.
    pub fn find(&self, key: &PaperKey) -> Option<usize> {
        if key.arxiv_id().is_some() {
            return self.ids.get(&key.hash64()).copied().filter(|&i| self.get(i).key() == *key);
        }
        self.index.get(&key.hash64()).copied().filter(|&i| self.get(i).title_key() == *key)
    }

    /// The titles, to share with the search threads.
    pub fn titles(&self) -> &Titles {
        &self.titles
    }

    /// The date line of the first digest that had papers.
    pub fn date(&self) -> Option<&str> {
        self.titles.chunks.iter().find(|c| !c.is_empty()).and_then(|c| c.origin.date.as_deref())
    }

    /// Every day a paper appeared on, oldest first.
    pub fn days(&self) -> Vec<Day> {
        self.days.iter().copied().collect()
    }

    /// The papers from index `from` on that appeared on `day`, in library order.
    pub fn on_day(&self, day: Day, from: usize) -> Vec<u32> {
        let mut found = Vec::new();
        if from >= self.titles.len {
            return found;
        }
        let (first, skip) = self.titles.locate(from);
        for (c, chunk) in self.titles.chunks.iter().enumerate().skip(first) {
            let start = self.titles.starts[c];
            let skip = if c == first { skip } else { 0 };
            for (j, paper) in chunk.papers.iter().enumerate().skip(skip) {
                let i = start + j;
                let on = match self.extra.get(&i) {
                    Some(extra) if !extra.days.is_empty() => extra.days.binary_search(&day).is_ok(),
                    _ => paper.meta.as_ref().and_then(|m| m.day).or(chunk.origin.day) == Some(day),
                };
                if on {
                    found.push(i as u32);
                }
            }
        }
        found
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
            + (self.index.capacity() + self.ids.capacity()) * (std::mem::size_of::<(u64, usize)>() + 1)
            + self.extra.capacity() * (std::mem::size_of::<(usize, Extra)>() + 1);
        (text, overhead)
    }
}

#[cfg(test)]
mod tests;
