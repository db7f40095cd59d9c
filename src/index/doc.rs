//! Papers as the index takes them: one borrowed from the library, one owned, and batches of them.

use std::sync::Arc;

use crate::library::{Chunk, PaperKey, PaperRef};

/// A paper as the index takes it.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    /// `PaperKey::hash64` of the paper's key.
    pub key: u64,
    pub title: &'a str,
    pub abstract_text: &'a str,
    pub authors: &'a [String],
}

impl<'a> Doc<'a> {
    pub fn of(paper: &PaperRef<'a>) -> Self {
        Doc {
            key: key_of(paper),
            title: paper.title(),
            abstract_text: paper.abstract_text(),
            authors: paper.meta().map_or(&[][..], |m| m.authors.as_slice()),
        }
    }
}

/// The hash of a paper's key, as the index keeps it (`PaperKey::hash64` of `PaperRef::key`).
pub fn key_of(paper: &PaperRef) -> u64 {
    paper.arxiv_id().map_or(paper.key_hash(), PaperKey::hash_of_arxiv_id)
}

/// A paper as the index takes it, owning its text: one whose copies were merged, read on the thread
/// that holds the library.
#[derive(Debug, Clone, Default)]
pub struct OwnedDoc {
    pub key: u64,
    pub title: String,
    pub abstract_text: String,
    pub authors: Vec<String>,
}

impl OwnedDoc {
    pub fn of(paper: &PaperRef) -> Self {
        let doc = Doc::of(paper);
        OwnedDoc {
            key: doc.key,
            title: doc.title.to_string(),
            abstract_text: doc.abstract_text.to_string(),
            authors: doc.authors.to_vec(),
        }
    }

    pub fn doc(&self) -> Doc<'_> {
        Doc { key: self.key, title: &self.title, abstract_text: &self.abstract_text, authors: &self.authors }
    }
}

/// Papers for the index to take in: chunks of the library as it shares them (their papers as their digest
/// gave them), and papers that merged copies changed, as the library has them now.
#[derive(Debug, Default)]
pub struct Batch {
    /// Each chunk with the library index of its first paper.
    pub chunks: Vec<(usize, Arc<Chunk>)>,
    /// Papers changed by merging, by library index, ascending: these stand for their chunk's copy.
    pub merged: Vec<(usize, OwnedDoc)>,
}

impl Batch {
    /// How many papers it holds.
    pub fn len(&self) -> usize {
        self.chunks.iter().map(|(_, c)| c.len()).sum::<usize>() + self.merged.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f` with every paper, merged ones as they are now.
    pub fn for_each(&self, mut f: impl FnMut(Doc)) {
        let merged = |i: usize| self.merged.binary_search_by_key(&i, |(m, _)| *m).is_ok();
        for (start, chunk) in &self.chunks {
            for (j, paper) in chunk.papers().enumerate() {
                if !merged(start + j) {
                    f(Doc::of(&paper));
                }
            }
        }
        for (_, doc) in &self.merged {
            f(doc.doc());
        }
    }

    /// The batch in parts of one chunk each (the merged papers with the last), so that a long batch can
    /// be taken in between queries.
    pub fn split(self) -> Vec<Batch> {
        let mut parts: Vec<Batch> =
            self.chunks.into_iter().map(|chunk| Batch { chunks: vec![chunk], merged: Vec::new() }).collect();
        match parts.last_mut() {
            Some(last) => last.merged = self.merged,
            None => parts.push(Batch { chunks: Vec::new(), merged: self.merged }),
        }
        parts
    }
}
