//! Saved searches (`[searches]`, Alt-1…Alt-9) and the watch list (`[watch]`): which papers it marks,
//! found once per paper as papers arrive, so that drawing a frame only looks them up.

use std::collections::HashMap;

use super::{App, Mode, Tone};
use crate::config::{SavedSearch, WatchHit, WatchList};
use crate::library::{Chunk, PaperKey, PaperRef};

/// The saved searches, the watch list, and the papers it marks (by library index; few of them).
#[derive(Debug, Default)]
pub(super) struct Lists {
    saved: Vec<SavedSearch>,
    watch: WatchList,
    hits: HashMap<u32, Vec<WatchHit>>,
}

fn hits_of(watch: &WatchList, paper: &PaperRef) -> Vec<WatchHit> {
    let authors = paper.meta().map_or(&[][..], |m| m.authors.as_slice());
    watch.matches(paper.title(), paper.abstract_text(), authors)
}

/// Adds `more` to what is known of a paper, each reason once.
fn merge(into: &mut Vec<WatchHit>, more: Vec<WatchHit>) {
    for hit in more {
        if !into.contains(&hit) {
            into.push(hit);
        }
    }
}

impl App {
    /// The reader with these saved searches and this watch list (the papers already here matched now).
    pub fn watching(mut self, saved: Vec<SavedSearch>, watch: WatchList) -> Self {
        let mut hits = HashMap::new();
        if !watch.is_empty() {
            for (i, paper) in self.library.papers().enumerate() {
                let found = hits_of(&watch, &paper);
                if !found.is_empty() {
                    hits.insert(i as u32, found);
                }
            }
        }
        self.lists = Lists { saved, watch, hits };
        self
    }

    pub fn saved_searches(&self) -> &[SavedSearch] {
        &self.lists.saved
    }

    /// Whether a watch list is configured (the list then has a column for its mark).
    pub fn has_watch_list(&self) -> bool {
        !self.lists.watch.is_empty()
    }

    /// What the watch list says of the paper at library index `i`: `author Hinton; keyword "diffusion"`.
    pub fn watched(&self, i: u32) -> Option<String> {
        self.lists.hits.get(&i).map(|hits| self.lists.watch.describe(hits))
    }

    /// The papers of `chunks` the watch list marks, by key: taken before the chunks join the library,
    /// which keeps one copy of each paper; a copy merged into a paper already here brings its reasons.
    pub(super) fn watch_chunks(&self, chunks: &[Chunk]) -> Vec<(PaperKey, Vec<WatchHit>)> {
        if self.lists.watch.is_empty() {
            return Vec::new();
        }
        let mut found = Vec::new();
        for paper in chunks.iter().flat_map(Chunk::papers) {
            let hits = hits_of(&self.lists.watch, &paper);
            if !hits.is_empty() {
                found.push((paper.key(), hits));
            }
        }
        found
    }

    /// Files what `watch_chunks` found under the papers' places in the library, once they joined it.
    pub(super) fn watched_arrived(&mut self, found: Vec<(PaperKey, Vec<WatchHit>)>) {
        for (key, hits) in found {
            if let Some(i) = self.library.find(&key) {
                merge(self.lists.hits.entry(i as u32).or_default(), hits);
            }
        }
    }

    /// Alt-N: the saved search numbered `n` (from 1) in the search bar, its results shown, best first.
    pub(super) fn apply_saved_search(&mut self, n: usize) {
        let Some(saved) = n.checked_sub(1).and_then(|i| self.lists.saved.get(i)).cloned() else {
            let count = self.lists.saved.len();
            let why = match count {
                0 => "No saved searches: [searches] in the configuration names some".to_string(),
                _ => format!("No saved search {n}: the configuration has {count}"),
            };
            return self.notify(why, Tone::Info);
        };
        self.search.select_all();
        self.search.cut();
        self.search.insert_str(&saved.query);
        self.refresh();
        self.set_mode(Mode::List);
        self.select(0);
        self.top_when_done = self.searching();
        self.select_top_when_text_done();
        self.notify(format!("Search {n}: {}", saved.name), Tone::Info);
    }
}
