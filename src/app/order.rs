//! The order of the list and the day shown: `S` cycles the sort, `[` and `]` step through the days.

use std::sync::Arc;

use super::{App, Command, Filter, Sort, Tone};
use crate::library::Day;

/// From how many papers a sort by title runs on a thread of its own.
const SORT_ON_A_THREAD_FROM: usize = 50_000;

/// Each paper's place when the titles are ordered ignoring case: what the sorting thread makes.
pub fn title_rank(titles: &crate::library::Titles) -> Vec<u32> {
    rank_of(&title_order(titles))
}

/// Indices of the papers, by title, ignoring case.
fn title_order(titles: &crate::library::Titles) -> Vec<u32> {
    let mut keys: Vec<(String, u32)> = Vec::with_capacity(titles.len());
    titles.for_each_in(0..titles.len(), |i, title| keys.push((title.to_lowercase(), i as u32)));
    keys.sort_unstable();
    keys.into_iter().map(|(_, i)| i).collect()
}

/// Each paper's place in `order` (a permutation of the library's indices).
fn rank_of(order: &[u32]) -> Vec<u32> {
    let mut rank = vec![0u32; order.len()];
    for (place, &i) in order.iter().enumerate() {
        rank[i as usize] = place as u32;
    }
    rank
}

impl App {
    /// The reader as the configuration asks it to start: these papers shown, in this order.
    pub fn starting_with(mut self, filter: crate::config::StartFilter, sort: crate::config::StartSort) -> Self {
        use crate::config::{StartFilter, StartSort};
        self.filter = match filter {
            StartFilter::All => Filter::All,
            StartFilter::Unread => Filter::Unread,
            StartFilter::Starred => Filter::Starred,
        };
        self.sort = match sort {
            StartSort::Digest => Sort::Digest,
            StartSort::Newest => Sort::Newest,
            StartSort::Title => Sort::Title,
            StartSort::Upvotes => Sort::Upvotes,
        };
        self.refresh();
        self.resort_keeping_selection();
        // The first of them selected, as a reader that starts in digest order has it, and kept so as
        // the order comes (papers loading, a title sort made on a thread) until the reader acts.
        self.selected = 0;
        self.detail_scroll = 0;
        self.first_until_acted = true;
        self
    }

    pub(super) fn cycle_sort(&mut self) {
        self.sort = match self.sort {
            Sort::Digest => Sort::Newest,
            Sort::Newest => Sort::Title,
            Sort::Title => Sort::Upvotes,
            Sort::Upvotes => Sort::Digest,
        };
        self.resort_keeping_selection();
        self.notify(format!("Sorted by {}", self.sort.name()), Tone::Info);
    }

    /// Orders the results again (see `sort_results`; in digest order, as searches give them), the same
    /// paper staying selected wherever it moved.
    pub(super) fn resort_keeping_selection(&mut self) {
        let current = self.results.order.get(self.selected).copied().filter(|_| !self.first_until_acted);
        if self.sort == Sort::Digest {
            // The search's own order: score, the shorter title, then library order.
            self.order_results_by(|key| key, |i| (0, i));
        }
        self.sort_results();
        let position = current.and_then(|c| self.results.order.iter().position(|&i| i == c)).unwrap_or(0);
        self.select_after(current, position);
    }

    /// Orders the results by match score, then by the sort order (once it is made, when that takes a
    /// thread of its own).
    pub(super) fn sort_results(&mut self) {
        if self.sort == Sort::Digest || self.results.order.len() < 2 {
            return;
        }
        let Some(rank) = self.sort_rank() else { return };
        // Papers loaded after the order was made go last, in the order they came (see `sort_rank`).
        // Among equal match scores the order asked for, not the search's tie-break (the shorter title).
        self.order_results_by(|key| key >> 16, |i| rank.get(i as usize).map_or((1, i), |&r| (0, r)));
    }

    /// Orders the results by `score` of their rank keys, best first, then by `place` of the paper's index.
    fn order_results_by(&mut self, score: impl Fn(u32) -> u32, place: impl Fn(u32) -> (u8, u32)) {
        let results = &mut self.results;
        let mut pairs: Vec<(u32, u32)> = results.scores.iter().copied().zip(results.order.iter().copied()).collect();
        pairs.sort_unstable_by_key(|&(key, i)| (std::cmp::Reverse(score(key)), place(i)));
        results.scores = pairs.iter().map(|p| p.0).collect();
        results.order = pairs.into_iter().map(|p| p.1).collect();
    }

    /// Each paper's place in the sort order, made again when the sort or the library changed; while
    /// files are still loading, only once (sorting a large library for every block read would take
    /// longer than reading it): the papers that come meanwhile go last until loading ends.
    ///
    /// Sorting a large library by title takes long (about a second for a million papers): it is done on
    /// a thread, and `None` is returned until it is done (see `sorted`).
    fn sort_rank(&mut self) -> Option<Arc<Vec<u32>>> {
        let changes = self.library.changes();
        if let Some((sort, made_for, rank)) = &self.sort_rank
            && *sort == self.sort
            && (*made_for == changes || self.loading.is_some())
        {
            return Some(Arc::clone(rank));
        }
        let len = self.library.len();
        if self.sort == Sort::Title && len >= SORT_ON_A_THREAD_FROM {
            if self.sorting != Some(changes) {
                self.sorting = Some(changes);
                self.outbox.push(Command::SortTitles { changes, titles: self.library.titles().clone() });
            }
            return None;
        }
        let library = &self.library;
        let mut order: Vec<u32> = (0..len as u32).collect();
        match self.sort {
            Sort::Digest => {}
            Sort::Newest => {
                let days: Vec<Option<Day>> = library.papers().map(|p| p.last_day()).collect();
                order.sort_by_key(|&i| std::cmp::Reverse(days[i as usize]));
            }
            Sort::Title => order = title_order(library.titles()),
            Sort::Upvotes => {
                let votes: Vec<Option<u32>> = library.papers().map(|p| p.meta().and_then(|m| m.upvotes)).collect();
                order.sort_by_key(|&i| std::cmp::Reverse(votes[i as usize]));
            }
        }
        let rank = Arc::new(rank_of(&order));
        self.sort_rank = Some((self.sort, changes, Arc::clone(&rank)));
        Some(rank)
    }

    /// Takes the title order made on the sorting thread, and orders the list by it.
    pub(super) fn sorted(&mut self, changes: u64, rank: Vec<u32>) {
        if self.sorting == Some(changes) {
            self.sorting = None;
        }
        // Two sorts finishing out of order: the later library's order stays.
        if let Some((Sort::Title, made_for, _)) = &self.sort_rank
            && *made_for > changes
        {
            return;
        }
        self.sort_rank = Some((Sort::Title, changes, Arc::new(rank)));
        if self.sort == Sort::Title {
            self.resort_keeping_selection();
        }
    }

    /// Steps to the day before (`-1`) or after (`1`) the one shown, through "all days" at either end.
    pub(super) fn step_day(&mut self, step: isize) {
        let days = std::sync::Arc::clone(&self.derived.days);
        if days.len() < 2 && self.day.is_none() {
            let why = if days.is_empty() { "The digests give no days" } else { "All papers are from one day" };
            return self.notify(why, Tone::Info);
        }
        // Positions: 0 is all days, then the days oldest first.
        let count = days.len() as isize + 1;
        let now = self.day.and_then(|d| days.iter().position(|&x| x == d)).map_or(0, |p| p as isize + 1);
        let next = (now + step).rem_euclid(count);
        self.day = (next > 0).then(|| days[next as usize - 1]);
        self.refresh();
        match self.day {
            Some(day) => self.notify(format!("Day {day} ({} of {})", next, days.len()), Tone::Info),
            None => self.notify("All days", Tone::Info),
        }
    }
}
