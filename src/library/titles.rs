//! `Titles`: the papers' titles, shared with the search threads.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Chunk, PaperKey, Text};

/// The papers' titles, shared with the search threads: cheap to clone, never changing.
#[derive(Debug, Clone, Default)]
pub struct Titles {
    pub(super) chunks: Vec<Arc<Chunk>>,
    /// The library index of each chunk's first paper.
    pub(super) starts: Vec<usize>,
    pub(super) len: usize,
    /// arXiv identifiers that later copies brought to papers whose own entry had none, by index.
    pub(super) merged_ids: Arc<HashMap<usize, Box<str>>>,
    /// Authors that later copies brought to papers whose own entry named none, by index.
    pub(super) merged_authors: Arc<HashMap<usize, Box<[String]>>>,
    /// Every category of a paper to which later copies brought categories its own entry lacked, by
    /// index: what `cat:` reads of it, as the detail pane shows them.
    pub(super) merged_categories: Arc<HashMap<usize, Box<[String]>>>,
    /// An abstract a later copy brought to a paper whose own entry had none, by index: the number of
    /// the chunk whose text holds it, and where.
    pub(super) late_abstracts: Arc<HashMap<usize, (usize, Text)>>,
    /// The number of each chunk's first author name (see `Names`).
    pub(super) name_starts: Vec<usize>,
}

impl Titles {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chunk paper `i` is in, and its place there. A search asks for paper after paper of the same
    /// chunk: the chunk found last on this thread is tried first (only ever as a guess, checked against
    /// these titles' own starts), and the starts searched only when it is not the one: a binary search
    /// a paper cost some 10 ns of a search's 60-100 a paper at a million papers.
    pub(super) fn locate(&self, i: usize) -> (usize, usize) {
        thread_local! {
            static LAST: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }
        let guess = LAST.with(std::cell::Cell::get);
        let holds = |c: usize| {
            self.starts.get(c).is_some_and(|&start| start <= i) && self.starts.get(c + 1).is_none_or(|&next| i < next)
        };
        let c = if holds(guess) {
            guess
        } else if holds(guess + 1) {
            guess + 1
        } else {
            self.starts.partition_point(|&start| start <= i) - 1
        };
        LAST.with(|last| last.set(c));
        (c, i - self.starts[c])
    }

    /// The title of paper `i`. Panics when `i` is out of range, as slice indexing does.
    pub fn title(&self, i: usize) -> &str {
        let (c, j) = self.locate(i);
        self.chunks[c].title(j)
    }

    /// Paper `i`'s title's length in characters, as a rank key counts it (see `Chunk::title_chars`).
    pub fn title_chars(&self, i: usize) -> usize {
        let (c, j) = self.locate(i);
        self.chunks[c].title_chars(j)
    }

    pub fn key_hash(&self, i: usize) -> u64 {
        let (c, j) = self.locate(i);
        self.chunks[c].papers[j].key_hash
    }

    /// The hashes paper `i`'s marks may be found under (see `MarkSet::may_hold`): its title key's, and
    /// its arXiv key's when it has an identifier.
    pub fn mark_hashes(&self, i: usize) -> (u64, Option<u64>) {
        let (c, j) = self.locate(i);
        let chunk = &self.chunks[c];
        let id = match chunk.id_hashes.get(j) {
            Some(&hash) if hash != 0 => Some(hash),
            Some(_) if self.merged_ids.is_empty() => None,
            _ => self.arxiv_id(i).map(PaperKey::hash_of_arxiv_id),
        };
        (chunk.papers[j].key_hash, id)
    }

    /// The arXiv identifier of paper `i`: its own entry's, or one a later copy brought.
    pub fn arxiv_id(&self, i: usize) -> Option<&str> {
        let (c, j) = self.locate(i);
        let own = self.chunks[c].papers[j].meta.as_ref().and_then(|m| m.arxiv_id.as_deref());
        own.or_else(|| self.merged_ids.get(&i).map(|id| &**id))
    }

    /// The authors of paper `i`: its own entry's, or those a later copy brought.
    pub fn authors(&self, i: usize) -> &[String] {
        let (c, j) = self.locate(i);
        match self.chunks[c].papers[j].meta.as_ref().map(|m| m.authors.as_slice()) {
            Some(own) if !own.is_empty() => own,
            _ => self.merged_authors.get(&i).map_or(&[], |a| &a[..]),
        }
    }

    /// Paper `i`'s authors as the numbers of their names (see `author_name`), when its chunk keeps
    /// them: `None` otherwise, and for a paper that names none while a later copy may have brought some
    /// (`authors` has them then).
    pub fn author_ids(&self, i: usize) -> Option<&[u32]> {
        let (c, j) = self.locate(i);
        let ids = self.chunks[c].author_ids(j)?;
        (!ids.is_empty() || self.merged_authors.is_empty()).then_some(ids)
    }

    /// Paper `i`'s author numbers (see `author_ids`) and its title's length in characters (see
    /// `title_chars`), its chunk found once: all a query of author terms alone takes of a paper.
    pub fn authored(&self, i: usize) -> Option<(&[u32], usize)> {
        let (c, j) = self.locate(i);
        let chunk = &self.chunks[c];
        let ids = chunk.author_ids(j)?;
        (!ids.is_empty() || self.merged_authors.is_empty()).then(|| (ids, chunk.title_chars(j)))
    }

    /// The author name numbered `id` (see `author_ids`).
    pub fn author_name(&self, id: u32) -> &str {
        let c = self.name_starts.partition_point(|&start| start <= id as usize).saturating_sub(1);
        match (self.chunks.get(c), self.name_starts.get(c)) {
            (Some(chunk), Some(&start)) if (id as usize) < start + chunk.name_ends.len() => {
                chunk.author_name(id - start as u32)
            }
            _ => "",
        }
    }

    /// The author names numbered `from` on, in turn (see `author_name`): walked chunk by chunk, rather
    /// than each one's chunk searched for.
    pub fn author_names_from(&self, from: u32) -> impl Iterator<Item = &str> {
        let c = self.name_starts.partition_point(|&start| start <= from as usize).saturating_sub(1);
        let first = (from as usize).saturating_sub(self.name_starts.get(c).copied().unwrap_or(0));
        self.chunks.iter().skip(c).enumerate().flat_map(move |(k, chunk)| {
            let skip = if k == 0 { first } else { 0 };
            (skip..chunk.name_ends.len()).map(move |id| chunk.author_name(id as u32))
        })
    }

    /// How many author names are numbered (see `author_ids`).
    pub fn name_count(&self) -> usize {
        self.name_starts.last().zip(self.chunks.last()).map_or(0, |(start, chunk)| start + chunk.name_ends.len())
    }

    /// How many authors the papers have in all, as their chunks keep them (see `author_ids`).
    pub fn author_count(&self) -> usize {
        self.chunks.iter().map(|c| c.author_ids.len()).sum()
    }

    /// Paper `i`'s chunk (its place in `chunks`) and its list of categories there, when the chunk keeps
    /// them (see `category_lists`).
    pub fn category_list(&self, i: usize) -> Option<(usize, u32)> {
        if !self.merged_categories.is_empty() && self.merged_categories.contains_key(&i) {
            return None;
        }
        let (c, j) = self.locate(i);
        self.chunks[c].category_of.get(j).map(|&list| (c, list))
    }

    /// The distinct lists of categories of chunk `c`'s papers (see `Chunk::category_of`).
    pub fn category_lists(&self, c: usize) -> &[Box<[String]>] {
        &self.chunks[c].category_lists
    }

    /// The arXiv categories of paper `i`: its own entry's, with those later copies brought.
    pub fn categories(&self, i: usize) -> &[String] {
        if let Some(merged) = self.merged_categories.get(&i) {
            return merged;
        }
        let (c, j) = self.locate(i);
        self.chunks[c].papers[j].meta.as_ref().map_or(&[], |m| m.categories.as_slice())
    }

    /// The abstract of paper `i`: its own entry's, or one a later copy brought (see `late_abstract`);
    /// empty when none had one, or when it was not kept (`papers list` without abstracts).
    pub fn abstract_text(&self, i: usize) -> &str {
        if let Some(late) = self.late_abstract(i) {
            return late;
        }
        let (c, j) = self.locate(i);
        let chunk = &self.chunks[c];
        chunk.papers[j].abstract_text.get(&chunk.text)
    }

    /// The abstract a later copy brought to paper `i`, whose own entry had none: what the rows kept of
    /// each chunk's own abstracts (`search::Pairs`) do not tell. Empty while the copy's chunk is being
    /// added, as `Library::get` reads it.
    pub fn late_abstract(&self, i: usize) -> Option<&str> {
        if self.late_abstracts.is_empty() {
            return None;
        }
        let (chunk, text) = self.late_abstracts.get(&i)?;
        Some(self.chunks.get(*chunk).map_or("", |c| text.get(&c.text)))
    }

    /// Each chunk with the index of its first paper, in library order: a search keeps what it worked out of
    /// a chunk's titles for as long as the same chunk (the same `Arc`) is in the library.
    pub fn chunks(&self) -> impl Iterator<Item = (usize, &Arc<Chunk>)> {
        self.starts.iter().copied().zip(&self.chunks)
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

    /// Calls `f` with the index of every paper in `range` and what `authored` tells of it, in order,
    /// walking chunk by chunk.
    pub fn for_each_authored_in(
        &self,
        range: std::ops::Range<usize>,
        mut f: impl FnMut(usize, Option<(&[u32], usize)>),
    ) {
        if range.is_empty() {
            return;
        }
        let (mut c, mut j) = self.locate(range.start);
        let mut i = range.start;
        while i < range.end {
            let chunk = &self.chunks[c];
            let to = chunk.papers.len().min(j + range.end - i);
            for j in j..to {
                let authored = chunk.author_ids(j).filter(|ids| !ids.is_empty() || self.merged_authors.is_empty());
                f(i, authored.map(|ids| (ids, chunk.title_chars(j))));
                i += 1;
            }
            c += 1;
            j = 0;
        }
    }
}
