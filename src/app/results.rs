//! The list shown: which papers the search, the filter and the day select, asked of the search thread and
//! taken in when it answers; typing on searches only what the shorter query matched.

use std::sync::Arc;

use super::{App, Command, Filter};
use crate::library::Day;
use crate::search::{Job, Query, Ranked, Within};

/// The last search, kept so that a query typed further searches only what it matched.
pub(super) struct Searched {
    query: Query,
    filter: Filter,
    day: Option<Day>,
    /// The ledger's generation then: marks decide what the unread and starred views hold.
    generation: u64,
    /// Indices of the papers it matched, in library order.
    matched: Arc<Vec<u32>>,
}

/// Results shown as a search gave them: its id, how many, and a digest of the first of them, so that
/// they are known to be unchanged when its first results come again in exact order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Shown {
    id: u64,
    len: usize,
    digest: u64,
}

impl Shown {
    /// How many of the first results the digest reads: every change to results (a new search, a sort,
    /// papers merged in) changes their number or their first papers.
    const READ: usize = 4096;

    fn of(id: u64, results: &Ranked) -> Shown {
        let first = &results.order[..results.order.len().min(Shown::READ)];
        let digest =
            first.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &i| (h ^ u64::from(i)).wrapping_mul(0x100_0000_01b3));
        Shown { id, len: results.order.len(), digest }
    }
}

/// A search that was started and has not given its results yet.
pub(super) struct Pending {
    id: u64,
    query: Query,
    filter: Filter,
    day: Option<Day>,
    generation: u64,
    /// True when it ranks only papers loaded since the results were made, to be merged into them.
    extends: bool,
    /// The number of papers in the library when it started: what the results will cover.
    covers: usize,
}

impl App {
    /// The query the results shown are for: the one typed, unless its search is still running.
    pub fn results_query(&self) -> &str {
        self.searched.as_ref().map_or("", |s| s.query.as_str())
    }

    /// Why the query typed does not parse (an unclosed quote, `AND` with nothing after it...), while the
    /// list shows the results of the last one that did.
    pub fn query_error(&self) -> Option<&str> {
        self.query_error.as_deref()
    }

    /// True while a search runs for the query shown, or (loading over) while papers that came last are
    /// ranked in; while loading, the bar shows loading instead.
    pub fn searching(&self) -> bool {
        self.pending.as_ref().is_some_and(|p| !p.extends || self.loading.is_none())
    }

    /// Makes the list again from the whole library: the last matches no longer tell what a longer query
    /// or the day shown would match.
    pub(super) fn relist(&mut self) {
        self.searched = None;
        self.refresh();
    }

    /// Recomputes the results after the search or the filter changed: a new query's best match is selected
    /// when they come (see `finish_search`); otherwise the selected paper stays selected when still shown. Marking papers does not call this, so a paper just read stays in the unread
    /// view until the view changes, instead of vanishing under the cursor.
    pub(super) fn refresh(&mut self) {
        self.query_error = None;
        if self.refresh_text() {
            return;
        }
        let query = match Query::parse(self.query()) {
            Ok(query) => query,
            Err(why) => {
                // The last results stay (and a search for a query that parsed may still bring them).
                self.query_error = Some(why.to_string());
                return;
            }
        };
        let generation = self.ledger.generation();
        if query.is_empty() && self.filter == Filter::All && self.day.is_none() {
            // Everything, in order: nothing to search.
            if self.pending.is_some() {
                self.outbox.push(Command::CancelSearch);
            }
            let len = self.library.len();
            let order: Vec<u32> = (0..len as u32).collect();
            let ranked = Ranked { scores: vec![0; order.len()], matched: order.clone(), order };
            self.next_search += 1;
            self.pending = Some(Pending {
                id: self.next_search,
                query,
                filter: self.filter,
                day: None,
                generation,
                extends: false,
                covers: len,
            });
            self.finish_search(self.next_search, ranked, false);
            return;
        }
        // Typing on: search only what the shorter query matched, if nothing else changed since.
        let within = match &self.searched {
            Some(last)
                if last.filter == self.filter
                    && last.day == self.day
                    && last.generation == generation
                    && query.narrows(&last.query) =>
            {
                Within::List(Arc::clone(&last.matched))
            }
            _ => match self.day {
                Some(day) => {
                    let (on_day, len) = (self.library.on_day(day, 0), self.library.len());
                    return self.start_search(query, self.filter, Within::List(Arc::new(on_day)), false, len);
                }
                None => Within::From(0),
            },
        };
        self.start_search(query, self.filter, within, false, 0);
    }

    /// Asks the search thread to search `within` for `query` in the `filter` view. `extends`: the results
    /// will be merged into those shown. `covers`: the number of papers the results will cover, for a
    /// search of a list that is not the last matches (0 otherwise).
    fn start_search(&mut self, query: Query, filter: Filter, within: Within, extends: bool, covers: usize) {
        self.next_search += 1;
        let id = self.next_search;
        // A search of the last matches covers what they covered; papers loaded since are searched after.
        let covers = match &within {
            Within::List(_) if covers > 0 => covers,
            Within::List(_) => self.covered,
            Within::From(_) => self.library.len(),
        };
        let generation = self.ledger.generation();
        // A newer search cancels the refining of the last one's first results.
        self.refining = None;
        let job = Job {
            id,
            query: query.clone(),
            titles: self.library.titles().clone(),
            within,
            filter,
            marks: Arc::clone(&self.derived.marks),
        };
        self.pending = Some(Pending { id, query, filter, day: self.day, generation, extends, covers });
        self.outbox.push(Command::Search(job));
    }

    /// Shows the results of search `id`, if it is the one the screen waits for (`refining`: see
    /// `Msg::Searched`).
    pub(super) fn finish_search(&mut self, id: u64, mut ranked: Ranked, refining: bool) {
        let Some(done) = self.pending.take_if(|p| p.id == id) else { return };
        self.refining = refining.then_some(id);
        let current = self.results.order.get(self.selected).copied();
        // A new query puts the cursor on its best match, as fzf does; a mark, the filter or the day
        // changing, papers loading in, or the query cleared keep the paper selected where it is.
        let query_changed = !done.extends && done.query.as_str() != self.ranked_for;
        let follow = query_changed && !done.query.is_empty();
        if query_changed {
            self.ranked_for = done.query.as_str().to_string();
        }
        let new_matches = std::mem::take(&mut ranked.matched);
        if done.extends {
            let results = std::mem::take(&mut self.results);
            self.results = results.merge(ranked);
            if let Some(last) = self.searched.as_mut() {
                Arc::make_mut(&mut last.matched).extend(new_matches);
            }
        } else {
            self.results = ranked;
            self.searched = Some(Searched {
                query: done.query,
                filter: done.filter,
                day: done.day,
                generation: done.generation,
                matched: Arc::new(new_matches),
            });
        }
        self.covered = done.covers;
        self.sort_results();
        let position = match current {
            // Enter was pressed while this search ran: its best match, as Enter always selects.
            _ if std::mem::take(&mut self.top_when_done) || follow => 0,
            // Started in an order the configuration asked for: its first paper, until the reader acts.
            _ if self.first_until_acted => 0,
            Some(c) => self.results.order.iter().position(|&i| i == c).unwrap_or(0),
            None => 0,
        };
        self.select_after(current, position);
        // Ranked by score, its first results may come again in exact order further down.
        self.refinable = (!done.extends && self.sort == super::Sort::Digest).then(|| Shown::of(id, &self.results));
        self.extend_results();
    }

    /// Takes in the first results of search `id` in exact order further down (`head`: the same papers
    /// as the first results shown), when the results shown are still that search's, unchanged; the
    /// paper selected stays selected.
    pub(super) fn refine_results(&mut self, id: u64, head: Option<&Ranked>) {
        if self.refining == Some(id) {
            self.refining = None;
        }
        let Some(head) = head else { return };
        let Some(shown) = self.refinable.take_if(|shown| shown.id == id) else { return };
        let n = head.order.len();
        if shown != Shown::of(id, &self.results) || self.pending.is_some() || n > shown.len {
            return;
        }
        let current = self.results.order.get(self.selected).copied();
        self.results.order[..n].copy_from_slice(&head.order);
        self.results.scores[..n].copy_from_slice(&head.scores);
        if self.selected < n
            && let Some(c) = current
            && let Some(position) = head.order.iter().position(|&i| i == c)
        {
            self.selected = position;
        }
    }

    /// Takes papers loaded since the results were made into them: a search of the new papers alone,
    /// merged in when it is done.
    pub(super) fn extend_results(&mut self) {
        if self.pending.is_some() || self.covered >= self.library.len() || self.text_results_shown() {
            return;
        }
        let Some(last) = &self.searched else { return self.refresh() };
        let (query, from) = (last.query.clone(), self.covered);
        if let Some(day) = last.day {
            // Papers loaded since, on that day.
            let (filter, len) = (last.filter, self.library.len());
            let on_day = self.library.on_day(day, from);
            return self.start_search(query, filter, Within::List(Arc::new(on_day)), true, len);
        }
        if query.is_empty() && last.filter == Filter::All {
            let len = self.library.len();
            self.results.order.extend(from as u32..len as u32);
            self.results.scores.resize(self.results.order.len(), 0);
            if let Some(last) = self.searched.as_mut() {
                Arc::make_mut(&mut last.matched).extend(from as u32..len as u32);
            }
            self.covered = len;
            self.sort_results();
            return;
        }
        let filter = last.filter;
        self.start_search(query, filter, Within::From(from), true, 0);
    }
}
