//! The order of the list and the day shown: `S` cycles the sort, `[` and `]` step through the days.

use std::sync::Arc;

use super::{App, Sort, Tone};
use crate::library::Day;

impl App {
    pub(super) fn cycle_sort(&mut self) {
        self.sort = match self.sort {
            Sort::Digest => Sort::Newest,
            Sort::Newest => Sort::Title,
            Sort::Title => Sort::Upvotes,
            Sort::Upvotes => Sort::Digest,
        };
        let current = self.results.order.get(self.selected).copied();
        if self.sort == Sort::Digest {
            // Back to match order, ties in library order, as searches give them.
            let results = &mut self.results;
            let mut pairs: Vec<(u16, u32)> =
                results.scores.iter().copied().zip(results.order.iter().copied()).collect();
            pairs.sort_unstable_by_key(|&(score, i)| (std::cmp::Reverse(score), i));
            results.scores = pairs.iter().map(|p| p.0).collect();
            results.order = pairs.into_iter().map(|p| p.1).collect();
        }
        self.sort_results();
        // The same paper stays selected, wherever it moved.
        let position = current.and_then(|c| self.results.order.iter().position(|&i| i == c)).unwrap_or(0);
        self.select_after(current, position);
        self.notify(format!("Sorted by {}", self.sort.name()), Tone::Info);
    }

    /// Orders the results by match score, then by the sort order.
    pub(super) fn sort_results(&mut self) {
        if self.sort == Sort::Digest || self.results.order.len() < 2 {
            return;
        }
        let rank = self.sort_rank();
        let results = &mut self.results;
        let mut pairs: Vec<(u16, u32)> = results.scores.iter().copied().zip(results.order.iter().copied()).collect();
        // Papers loaded after the order was made go last, in the order they came (see `sort_rank`).
        let place = |i: u32| rank.get(i as usize).map_or((1, i), |&r| (0, r));
        pairs.sort_unstable_by_key(|&(score, i)| (std::cmp::Reverse(score), place(i)));
        results.scores = pairs.iter().map(|p| p.0).collect();
        results.order = pairs.into_iter().map(|p| p.1).collect();
    }

    /// Each paper's place in the sort order, made again when the sort or the library changed; while
    /// files are still loading, only once (sorting a large library for every block read would take
    /// longer than reading it): the papers that come meanwhile go last until loading ends.
    fn sort_rank(&mut self) -> Arc<Vec<u32>> {
        let changes = self.library.changes();
        if let Some((sort, made_for, rank)) = &self.sort_rank
            && *sort == self.sort
            && (*made_for == changes || self.loading.is_some())
        {
            return Arc::clone(rank);
        }
        let len = self.library.len();
        let library = &self.library;
        let mut order: Vec<u32> = (0..len as u32).collect();
        match self.sort {
            Sort::Digest => {}
            Sort::Newest => {
                let days: Vec<Option<Day>> = library.papers().map(|p| p.last_day()).collect();
                order.sort_by_key(|&i| std::cmp::Reverse(days[i as usize]));
            }
            Sort::Title => {
                let titles: Vec<String> = library.papers().map(|p| p.title().to_lowercase()).collect();
                order.sort_by(|&a, &b| titles[a as usize].cmp(&titles[b as usize]));
            }
            Sort::Upvotes => {
                let votes: Vec<Option<u32>> = library.papers().map(|p| p.meta().and_then(|m| m.upvotes)).collect();
                order.sort_by_key(|&i| std::cmp::Reverse(votes[i as usize]));
            }
        }
        let mut rank = vec![0u32; len];
        for (place, &i) in order.iter().enumerate() {
            rank[i as usize] = place as u32;
        }
        let rank = Arc::new(rank);
        self.sort_rank = Some((self.sort, changes, Arc::clone(&rank)));
        rank
    }

    /// Steps to the day before (`-1`) or after (`1`) the one shown, through "all days" at either end.
    pub(super) fn step_day(&mut self, step: isize) {
        let days = self.days();
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
