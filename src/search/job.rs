//! What the search thread is given and what it keeps: a `Job` (a query over some candidates, `Within`),
//! and `Kept`, from one job to the next.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64};

use super::found::Found;
use super::letters::Letters;
use super::pairs::Pairs;
use super::trail::{self, Step, Trail};
use super::{PARALLEL_FROM, Query, Ranked, Unrefined};
use crate::library::Titles;
use crate::state::{Filter, MarkSet};

/// What the search thread keeps from one search to the next: each title's letters (for a first key)
/// and the trail of the last search (for the next key typed).
#[derive(Debug, Default)]
pub struct Kept {
    pub(super) letters: Letters,
    pub(super) trail: Trail,
    /// Which letters and pairs each abstract holds, read when a search first asks (see `Pairs`).
    pub(super) pairs: Pairs,
    /// Where each abstract held the last `abstract:` run (see `Found`).
    pub(super) found: Found,
    /// The memory of the trail before, for the next search's steps.
    pub(super) spare: Vec<Vec<Step>>,
    /// The papers whose keys were bounds in the last ranking shown with only its first results exact
    /// (see `Query::rank_shown_kept`), ascending; empty when none is left to refine.
    pub(super) rough: Vec<u32>,
}

impl Kept {
    /// Brings the letters up to `titles` (see `Letters::keep_up`).
    pub fn keep_up(&mut self, titles: &Titles) {
        self.letters.keep_up(titles);
        // The memory that the first searches of a large library write their steps into, asked for and
        // written now that no one waits: fresh memory costs a first key more than its search does.
        if titles.len() >= PARALLEL_FROM {
            let threads = std::thread::available_parallelism().map_or(1, usize::from);
            let part = titles.len().div_ceil(threads);
            trail::ready(&mut self.spare, threads, part);
            self.trail.ready(threads, part, titles.len());
        }
    }

    /// Reads the letters and pairs of a few more chunks' abstracts for `abstract:` filters (see `Pairs`),
    /// some 5-8 ms of work at a million papers: what the search thread does while no search waits, once the letters are
    /// kept. True when every chunk of `titles` is read.
    pub fn read_pairs(&mut self, titles: &Titles) -> bool {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        self.pairs.update(titles, threads, &AtomicBool::new(false), 1)
    }

    /// What is left to make exact of `ranked`, the last ranking `rank_shown_kept` made with this, when
    /// anything is: a copy of its first results (see `Unrefined`), a small part of a large ranking.
    pub fn unrefined(&self, ranked: &Ranked) -> Option<Unrefined> {
        if self.rough.is_empty() {
            return None;
        }
        let n = ranked.order.len().min(super::UNREFINED_HEAD);
        let head =
            Ranked { order: ranked.order[..n].to_vec(), scores: ranked.scores[..n].to_vec(), matched: Vec::new() };
        Some(Unrefined { ranked: head, after: ranked.scores.get(n).copied() })
    }

    /// Heap bytes held.
    pub fn memory(&self) -> usize {
        let spare: usize = self.spare.iter().map(|s| s.capacity() * std::mem::size_of::<Step>()).sum();
        self.letters.memory() + self.trail.memory() + self.pairs.memory() + self.found.memory() + spare
    }
}

/// The candidates of a search: every paper from a point on, or a list (the last search's matches).
#[derive(Debug, Clone)]
pub enum Within {
    From(usize),
    List(Arc<Vec<u32>>),
}

impl Within {
    pub(super) fn len(&self, titles: &Titles) -> usize {
        match self {
            Within::From(start) => titles.len().saturating_sub(*start),
            Within::List(list) => list.len(),
        }
    }

    /// Calls `f` on the candidates at positions `range` of this set, with their titles, or with an
    /// empty one each unless `read_titles` (a search that never reads them: the last matches are far
    /// apart, and each title found is a cache miss).
    pub(super) fn for_each(
        &self,
        titles: &Titles,
        range: std::ops::Range<usize>,
        read_titles: bool,
        f: &mut impl FnMut(usize, &str),
    ) {
        match self {
            Within::From(start) if read_titles => titles.for_each_in(start + range.start..start + range.end, f),
            Within::From(start) => (start + range.start..start + range.end).for_each(|i| f(i, "")),
            // The last search's matches, in library order.
            Within::List(list) if read_titles => titles.for_each_of(&list[range], f),
            Within::List(list) => list[range].iter().for_each(|&i| f(i as usize, "")),
        }
    }
}

impl Within {
    /// Calls `f` on the candidates at positions `range` of this set, with their authors' numbers and
    /// title lengths (see `Titles::authored`), for a search of author terms alone.
    pub(super) fn for_each_authored(
        &self,
        titles: &Titles,
        range: std::ops::Range<usize>,
        f: &mut impl FnMut(usize, Option<(&[u32], usize)>),
    ) {
        match self {
            Within::From(start) => titles.for_each_authored_in(start + range.start..start + range.end, f),
            Within::List(list) => list[range].iter().for_each(|&i| f(i as usize, titles.authored(i as usize))),
        }
    }
}

/// What the search thread keeps that a search reads beside the titles (see `Kept`): the letters of each
/// title, the letters and pairs of each abstract, where each abstract held the last `abstract:` run.
#[derive(Clone, Copy, Default)]
pub(super) struct Aids<'a> {
    pub(super) letters: Option<&'a Letters>,
    pub(super) pairs: Option<&'a Pairs>,
    pub(super) found: Option<&'a [AtomicU64]>,
}

/// A search to run: the query over some candidates that pass a filter, given the titles at the time.
pub struct Job {
    pub id: u64,
    pub query: Query,
    pub titles: Titles,
    pub within: Within,
    pub filter: Filter,
    pub marks: Arc<MarkSet>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("id", &self.id).field("query", &self.query).finish_non_exhaustive()
    }
}

impl Job {
    /// Ranks, on every core for a large set; `None` when `cancel` was set meanwhile.
    pub fn run(&self, cancel: &AtomicBool) -> Option<Ranked> {
        self.query.rank_first(&self.titles, &self.within, self.filter, &self.marks, cancel)
    }

    /// `run`, with what the search thread keeps between searches, only the first results exact (see
    /// `Query::rank_shown_kept`).
    pub fn run_shown(&self, cancel: &AtomicBool, kept: &mut Kept) -> Option<Ranked> {
        self.query.rank_shown_kept(&self.titles, &self.within, self.filter, &self.marks, cancel, kept)
    }

    /// The first results of `run_shown`'s ranking made exact (see `Query::refine_kept`).
    pub fn refine(&self, cancel: &AtomicBool, kept: &Kept, head: Unrefined) -> Option<Ranked> {
        self.query.refine_kept(&self.titles, &self.marks, cancel, kept, head)
    }
}
