//! Papers arriving from the loading thread while the reader runs: taken into the library, the list and
//! any search as they come.

use super::{App, Sort};
use crate::library::Chunk;

impl App {
    /// Adds papers that were read since the reader opened; the list takes them in.
    pub(super) fn loaded(&mut self, chunks: Vec<Chunk>, read: u64) {
        self.load_progress(read);
        let mut lowest_changed: Option<usize> = None;
        for chunk in chunks {
            if let Some(i) = self.library.add_chunk(chunk) {
                lowest_changed = Some(lowest_changed.map_or(i, |low| low.min(i)));
            }
        }
        // A paper already listed changed (a new day, more upvotes): the day view and the order may now
        // be different. Listed again now, or once loading ends, not for every block read.
        if lowest_changed.is_some_and(|i| i < self.covered) && (self.day.is_some() || self.sort != Sort::Digest) {
            if self.loading.is_some() {
                self.relist_when_loaded = true;
            } else {
                return self.relist();
            }
        }
        self.extend_results();
    }

    pub(super) fn load_progress(&mut self, read: u64) {
        if let Some(loading) = self.loading.as_mut() {
            loading.bytes = read;
        }
    }

    /// Once every file is read: lists again if papers already listed changed meanwhile, and sorts what
    /// came in while loading (which was appended in the order it came).
    pub(super) fn load_finished(&mut self) {
        self.loading = None;
        if std::mem::take(&mut self.relist_when_loaded) {
            self.relist();
        } else if self.sort != Sort::Digest {
            self.resort_keeping_selection();
        }
    }
}
