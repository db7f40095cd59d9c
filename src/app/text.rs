//! Searching what papers say: a query starting with `?` goes to the full-text index instead of the title
//! matcher. Here too: keeping the index fed with the papers as they arrive, and what it says back.

use std::collections::HashSet;

use super::similar::Similar;
use super::{App, Command, Filter, IndexNews, Tone};
use crate::index::{Batch, Hit, OwnedDoc, TextQuery};
use crate::search::Ranked;

/// What starts a text query in the search bar.
pub const TEXT_PREFIX: char = '?';

/// How many papers a text search shows, best first.
const TEXT_LIMIT: usize = 500;

/// Where the full-text index stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum IndexState {
    /// Not opened yet (or there is none: tests).
    #[default]
    Unknown,
    Open,
    /// None this session, or it stopped: why.
    Off(String),
}

/// The model's side of the full-text index.
#[derive(Debug, Default)]
pub(super) struct Text {
    pub(super) state: IndexState,
    /// Chunks of the library sent to the index.
    chunks_sent: usize,
    /// (taken, sent) while the index takes papers in.
    progress: Option<(usize, usize)>,
    /// How many papers of the library the index can find.
    searchable: usize,
    next_id: u64,
    /// The text search asked for and not answered yet.
    pending: Option<(u64, TextQuery)>,
    /// The query of the text search shown, when the results are one's.
    shown: Option<TextQuery>,
    /// Set when Enter was pressed while the text search ran: its best result is selected.
    top_when_done: bool,
    /// Similar papers: asked for, shown, and the views to go back to.
    pub(super) similar: Similar,
}

#[cfg(test)]
impl Text {
    /// The id of the last text search asked for.
    pub(super) fn next_id_for_tests(&self) -> u64 {
        self.next_id
    }
}

impl App {
    /// The text query typed, when the search bar holds one (`?words`).
    pub(super) fn typed_text_query(&self) -> Option<TextQuery> {
        self.query().trim_start().strip_prefix(TEXT_PREFIX).map(TextQuery::new)
    }

    /// The text query whose results are shown, when they are a text search's (for highlighting).
    pub fn text_query(&self) -> Option<&TextQuery> {
        self.text.shown.as_ref()
    }

    /// True while a text search or similar papers are asked for and not answered.
    pub fn text_searching(&self) -> bool {
        self.text.pending.is_some() || self.text.similar.waiting()
    }

    pub(super) fn text_waiting(&self) -> bool {
        self.text_searching()
    }

    /// How far the index has come taking papers in, while it does: (taken, sent).
    pub fn indexing(&self) -> Option<(usize, usize)> {
        self.text.progress
    }

    /// How the full-text index stands.
    pub fn index_state(&self) -> &IndexState {
        &self.text.state
    }

    /// Called first by `refresh`: a text query is searched here (true); else the text results and any
    /// similar papers shown make way for the title search (false).
    pub(super) fn refresh_text(&mut self) -> bool {
        self.text.similar.forget();
        let Some(query) = self.typed_text_query() else {
            self.text.shown = None;
            self.text.pending = None;
            return false;
        };
        if self.pending.is_some() {
            self.outbox.push(Command::CancelSearch);
            self.pending = None;
        }
        // The title search's last matches say nothing of this query, nor of one typed after it.
        self.searched = None;
        if query.is_empty() {
            self.text.pending = None;
            self.show_text_results(query, Vec::new());
            return true;
        }
        if let IndexState::Off(why) = &self.text.state {
            let why = format!("No full-text search: {why}");
            self.text.pending = None;
            self.show_text_results(query, Vec::new());
            self.notify(why, Tone::Warning);
            return true;
        }
        self.text.next_id += 1;
        self.text.pending = Some((self.text.next_id, query.clone()));
        self.outbox.push(Command::TextSearch { id: self.text.next_id, query, limit: TEXT_LIMIT });
        true
    }

    /// Enter in the search bar while a text search runs: its best result is selected when it comes.
    pub(super) fn select_top_when_text_done(&mut self) {
        self.text.top_when_done = self.text.pending.is_some();
    }

    /// True while the results shown are a text search's or similar papers (which the title search does
    /// not extend as papers load).
    pub(super) fn text_results_shown(&self) -> bool {
        self.text.shown.is_some() || self.text.similar.shown()
    }

    pub(super) fn index_news(&mut self, news: IndexNews) {
        match news {
            IndexNews::Opened(message) => {
                self.text.state = IndexState::Open;
                if let Some(message) = message {
                    // Kept whole in the messages (`!`), as every message of the index is.
                    self.note(super::Origin::Elsewhere, std::slice::from_ref(&message));
                    self.notify(message, Tone::Info);
                }
                self.feed_index();
            }
            IndexNews::Off(why) => {
                self.note(super::Origin::Elsewhere, &[format!("no full-text search: {why}")]);
                self.text.state = IndexState::Off(why.clone());
                self.text.progress = None;
                if self.text.pending.take().is_some() || self.text.similar.cancel() {
                    self.notify(format!("No full-text search: {why}"), Tone::Warning);
                }
            }
            IndexNews::Progress { taken, sent, searchable } => {
                self.text.progress = (taken < sent).then_some((taken, sent));
                let more = searchable > self.text.searchable;
                self.text.searchable = searchable;
                // Papers that became searchable may answer the text search shown: asked again (not while
                // similar papers are shown or asked for, which asking again would drop).
                let similar = self.text.similar.shown() || self.text.similar.waiting();
                if more && self.text.pending.is_none() && self.text.shown.is_some() && !similar {
                    self.refresh_text();
                }
            }
            IndexNews::Found { id, hits } => {
                let Some((_, query)) = self.text.pending.take_if(|(pending, _)| *pending == id) else { return };
                self.show_text_results(query, hits);
            }
            IndexNews::Similar { id, hits } => self.similar_found(id, hits),
            IndexNews::Failed(why) => {
                self.text.progress = None;
                self.text.pending = None;
                self.text.similar.cancel();
                self.notify(format!("Full-text index: {why}"), Tone::Warning);
            }
        }
    }

    /// Sends the index the papers it has not had yet: once it opened, everything so far; then what
    /// arrives, and papers that merged copies changed.
    pub(super) fn feed_index(&mut self) {
        if self.text.state != IndexState::Open {
            return;
        }
        let chunks = self.library.chunks_from(self.text.chunks_sent);
        self.text.chunks_sent += chunks.len();
        let merged: Vec<(usize, OwnedDoc)> =
            self.library.take_touched().into_iter().map(|i| (i, OwnedDoc::of(&self.library.get(i)))).collect();
        let batch = Batch { chunks, merged };
        if batch.is_empty() {
            return;
        }
        let (taken, sent) = self.text.progress.unwrap_or((0, 0));
        self.text.progress = Some((taken, sent + batch.len()));
        self.outbox.push(Command::Index(batch));
    }

    /// The papers of the library for `hits`, in their order, once each, those the filter and the day
    /// shown let through; the papers gone from the library (an index of another digest) are left out.
    pub(super) fn papers_of(&self, hits: &[Hit], except: Option<u32>) -> Vec<(u32, f32)> {
        let mut seen = HashSet::new();
        let marks = &self.derived.marks;
        hits.iter()
            .filter_map(|hit| Some((self.library.find_hash(hit.key)? as u32, hit.score)))
            .filter(|&(i, _)| Some(i) != except && seen.insert(i))
            .filter(|&(i, _)| {
                let paper = self.library.get(i as usize);
                let marked = self.filter == Filter::All
                    || marks.passes(self.filter, paper.key_hash(), paper.title(), paper.arxiv_id());
                marked && self.day.is_none_or(|day| paper.days().contains(&day))
            })
            .collect()
    }

    /// Shows the results of a text search, the selected paper staying selected when it is among them.
    fn show_text_results(&mut self, query: TextQuery, hits: Vec<Hit>) {
        let found = self.papers_of(&hits, None);
        self.text.shown = Some(query);
        let current = self.results.order.get(self.selected).copied();
        self.results = ranked(&found);
        self.covered = self.library.len();
        self.sort_results();
        let position = match current {
            _ if std::mem::take(&mut self.text.top_when_done) => 0,
            Some(c) => self.results.order.iter().position(|&i| i == c).unwrap_or(0),
            None => 0,
        };
        self.select_after(current, position);
    }
}

/// Results in the order given: the scores only keep that order through a sort (equal scores are what a
/// sort orders), the first highest.
pub(super) fn ranked(found: &[(u32, f32)]) -> Ranked {
    let order: Vec<u32> = found.iter().map(|&(i, _)| i).collect();
    // In the high half of a key, where a title search keeps its score (see `Matcher::rank_key`).
    let scores = (0..order.len()).map(|k| u32::from(u16::MAX - k.min(usize::from(u16::MAX)) as u16) << 16).collect();
    let mut matched = order.clone();
    matched.sort_unstable();
    Ranked { order, scores, matched }
}
