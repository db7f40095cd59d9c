//! Papers arriving from the loading thread while the reader runs: taken into the library, the list and
//! any search as they come.

use super::{App, Command, Sort, Tone};
use crate::library::Chunk;

impl App {
    /// Adds papers that were read since the reader opened; the list takes them in.
    pub(super) fn loaded(&mut self, chunks: Vec<Chunk>, read: u64) {
        self.load_progress(read);
        self.arrived(chunks);
    }

    /// Adds papers to the library, and to the list and any search: the selection stays where it is.
    pub(super) fn arrived(&mut self, chunks: Vec<Chunk>) {
        let mut lowest_changed: Option<usize> = None;
        let watched = self.watch_chunks(&chunks);
        for chunk in chunks {
            if let Some(i) = self.library.add_chunk(chunk) {
                lowest_changed = Some(lowest_changed.map_or(i, |low| low.min(i)));
            }
        }
        self.watched_arrived(watched);
        self.feed_index();
        // The abstracts read by the search thread while the rest loads, some sixteen chunks at a time
        // (each ask holds a copy of the list of chunks).
        let chunks = self.library.titles().chunks().count();
        if chunks >= self.abstracts_asked + 16 || (self.loading.is_none() && chunks > self.abstracts_asked) {
            self.abstracts_asked = chunks;
            self.outbox.push(Command::ReadAbstracts(self.library.titles().clone()));
        }
        // A paper already listed changed (a new day, more upvotes, categories, an abstract, authors): the
        // day view, the order and what a search matches may now be different. Listed again now, or once
        // loading ends, not for every block read.
        let searching = !self.query().trim().is_empty();
        if lowest_changed.is_some_and(|i| i < self.covered)
            && (self.day.is_some() || self.sort != Sort::Digest || searching)
        {
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

    /// `R`: fetches the day's papers in the background, unless a fetch runs already.
    pub(super) fn fetch(&mut self) {
        if self.fetching.is_some() {
            return self.notify("Fetching already", Tone::Info);
        }
        self.fetching = Some("fetching…".to_string());
        self.outbox.push(Command::Fetch);
    }

    /// A fetch ended: says what it brought, and what failed.
    pub(super) fn fetch_done(&mut self, new: usize, failed: &[String]) {
        self.fetching = None;
        let brought = match new {
            0 => "no new papers".to_string(),
            1 => "1 new paper".to_string(),
            n => format!("{n} new papers"),
        };
        match failed {
            [] => self.notify(format!("Fetched: {brought}"), Tone::Info),
            [only] => self.notify(format!("Fetched {brought}; {only}"), Tone::Warning),
            [first, rest @ ..] => {
                self.notify(format!("Fetched {brought}; {} sources failed: {first}", rest.len() + 1), Tone::Warning)
            }
        }
    }

    /// Once every file is read: lists again if papers already listed changed meanwhile, and sorts what
    /// came in while loading (which was appended in the order it came).
    pub(super) fn load_finished(&mut self) {
        self.loading = None;
        self.outbox.push(Command::KeepLetters(self.library.titles().clone()));
        if std::mem::take(&mut self.relist_when_loaded) {
            self.relist();
        } else if self.sort != Sort::Digest {
            self.resort_keeping_selection();
        }
    }
}
