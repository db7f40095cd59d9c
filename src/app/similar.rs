//! `m`: the papers most like the selected one, most alike first, in place of the list; Esc goes back to
//! the view it replaced (the search, the selection, the open paper), one `m` at a time.

use std::collections::HashMap;

use super::{App, Command, Mode, Tone};
use crate::index::{Hit, OwnedDoc};
use crate::search::Ranked;

/// How many similar papers are shown.
const SIMILAR_LIMIT: usize = 50;

/// How many views `m` keeps to go back to.
const MAX_DEPTH: usize = 32;

/// The view a list of similar papers replaced, to go back to.
#[derive(Debug)]
struct Back {
    results: Ranked,
    covered: usize,
    selected: usize,
    detail_scroll: usize,
    mode: Mode,
    /// Papers like this one were shown then (the view was itself a list of similar papers).
    of: Option<(u32, HashMap<u32, f32>)>,
    /// A title search was running: it is run again on the way back.
    searching: bool,
}

/// Similar papers: the request in flight, the list shown, the views to go back to.
#[derive(Debug, Default)]
pub(super) struct Similar {
    /// The request not answered yet, and the paper it is for.
    pending: Option<(u64, u32)>,
    next_id: u64,
    /// The paper whose similar papers are shown, and each one's similarity.
    of: Option<(u32, HashMap<u32, f32>)>,
    back: Vec<Back>,
}

impl Similar {
    pub fn waiting(&self) -> bool {
        self.pending.is_some()
    }

    pub fn shown(&self) -> bool {
        self.of.is_some()
    }

    /// Drops the request in flight; true when there was one.
    pub fn cancel(&mut self) -> bool {
        self.pending.take().is_some()
    }

    /// The view changed otherwise (a search, a filter): the way back is gone.
    pub fn forget(&mut self) {
        self.pending = None;
        self.of = None;
        self.back.clear();
    }
}

impl App {
    /// The paper whose similar papers the list shows, if it does.
    pub fn similar_to(&self) -> Option<crate::library::PaperRef<'_>> {
        self.text.similar.of.as_ref().map(|(i, _)| self.library.get(*i as usize))
    }

    /// How alike the paper at library index `i` is to the one `m` was pressed on (0 to 1), in a list of
    /// similar papers.
    pub fn similarity(&self, i: u32) -> Option<f32> {
        self.text.similar.of.as_ref().and_then(|(_, scores)| scores.get(&i).copied())
    }

    /// `m`: asks the index for the papers most like the selected one.
    pub(super) fn find_similar(&mut self) {
        let Some(&i) = self.results.order.get(self.selected) else {
            return self.notify("No paper selected", Tone::Info);
        };
        if let super::text::IndexState::Off(why) = &self.text.state {
            return self.notify(format!("No similar papers without the full-text index: {why}"), Tone::Warning);
        }
        let similar = &mut self.text.similar;
        similar.next_id += 1;
        similar.pending = Some((similar.next_id, i));
        let doc = OwnedDoc::of(&self.library.get(i as usize));
        self.outbox.push(Command::Similar { id: similar.next_id, doc, limit: SIMILAR_LIMIT });
    }

    /// The answer to `m`: the list shows the similar papers, the view before kept to go back to.
    pub(super) fn similar_found(&mut self, id: u64, hits: Vec<Hit>) {
        let Some((_, of)) = self.text.similar.pending.take_if(|(pending, _)| *pending == id) else { return };
        let found = self.papers_of(&hits, Some(of));
        if found.is_empty() {
            let title: String = self.library.get(of as usize).title().chars().take(40).collect();
            // Asked before the index has every paper (just after start), nothing found says little.
            let text = match (self.index_state(), self.indexing()) {
                (_, Some((taken, sent))) => format!(
                    "No papers like “{title}” yet: the full-text index has taken {taken} of {sent} papers (m asks again)"
                ),
                (super::text::IndexState::Open, None) => format!("No papers like “{title}” found"),
                _ => format!("No papers like “{title}” yet: the full-text index is opening (m asks again)"),
            };
            return self.notify(text, Tone::Info);
        }
        let searching = self.pending.take().is_some();
        if searching {
            self.outbox.push(Command::CancelSearch);
        }
        let back = Back {
            results: std::mem::replace(&mut self.results, super::text::ranked(&found)),
            covered: self.covered,
            selected: self.selected,
            detail_scroll: self.detail_scroll,
            mode: self.mode,
            of: self.text.similar.of.take(),
            searching,
        };
        let similar = &mut self.text.similar;
        if similar.back.len() == MAX_DEPTH {
            similar.back.remove(0);
        }
        similar.back.push(back);
        similar.of = Some((of, found.iter().copied().collect()));
        self.covered = self.library.len();
        self.sort_results();
        self.selected = 0;
        self.detail_scroll = 0;
        self.set_mode(Mode::List);
    }

    /// Esc in a list of similar papers: back to the view it replaced.
    pub(super) fn leave_similar(&mut self) {
        let Some(back) = self.text.similar.back.pop() else {
            self.text.similar.of = None;
            return;
        };
        self.results = back.results;
        self.covered = back.covered;
        self.selected = back.selected.min(self.results.order.len().saturating_sub(1));
        self.detail_scroll = back.detail_scroll;
        self.text.similar.of = back.of;
        self.set_mode(back.mode);
        if back.searching {
            self.refresh();
        } else {
            self.extend_results();
        }
    }
}
