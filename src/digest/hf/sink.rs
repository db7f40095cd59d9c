//! Where the papers of the entries parsed go: a list of records, or a chunk written into directly.

use super::entry::{self, Entry, record};
use crate::library::{Chunk, Record};

/// Where the papers of the entries parsed go.
pub(in crate::digest) trait Sink {
    /// Keeps the paper of `entry`; false when it has no title.
    fn take(&mut self, entry: Entry<'_>, line: usize) -> bool;
    /// Makes room for the papers of `entries`, about to be taken.
    fn reserve(&mut self, entries: &[Entry<'_>]);
}

impl Sink for Vec<Record> {
    fn take(&mut self, entry: Entry<'_>, line: usize) -> bool {
        record(entry, line).map(|record| self.push(record)).is_some()
    }

    fn reserve(&mut self, entries: &[Entry<'_>]) {
        self.reserve(entries.len());
    }
}

/// Titles and abstracts written straight into the chunk (see `Chunk::push_written`).
impl Sink for Chunk {
    fn take(&mut self, entry: Entry<'_>, line: usize) -> bool {
        entry::push(entry, line, self)
    }

    fn reserve(&mut self, entries: &[Entry<'_>]) {
        // Cleaning only takes whitespace away (but from text to be sanitised, rare): the sizes in the file
        // are room enough, and growing once more is all that a rare longer one costs.
        let (titles, text) = entries.iter().map(entry::sizes).fold((0, 0), |(t, a), (dt, da)| (t + dt, a + da));
        Chunk::reserve(self, entries.len(), titles, text);
    }
}
