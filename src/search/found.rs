//! `Found`: where each abstract held the `abstract:` run of the searches typed so far, kept by the search
//! thread so that a run typed on is looked for from there, and not at all in an abstract that lacked it.
//!
//! A run typed on (`atte` after `att`) can first be held in an abstract only where the shorter run is,
//! and never where the shorter run is not: the place of the shorter run's first match is where to look
//! from. Each paper keeps a byte of its abstract at or before the first place the runs typed so far
//! could be found, or `MISSING`. That stays true of every paper as long as each search's run grows the
//! last one's, whether a search reached a paper or not (a paper whose title terms did not match is not
//! looked at, and keeps its place for a shorter run, which is still at or before the longer run's); any
//! other run, or other titles, and the places start again at the start of each abstract.

use std::sync::atomic::AtomicU32;
use std::sync::{Arc, Weak};

use super::query::{Alternative, Atom};
use crate::library::{Chunk, Titles};

/// A paper's abstract does not hold the run.
pub(super) const MISSING: u32 = u32::MAX;

/// The `abstract:` run of a query of `alternatives` and whether it respects case, when it has one and no
/// other: the places are kept for one run.
pub(super) fn abstract_run(alternatives: &[Alternative]) -> Option<(&str, bool)> {
    let mut runs = alternatives.iter().flat_map(|a| &a.atoms).filter_map(|(atom, _)| match atom {
        Atom::Abstract { text, respect_case } => Some((text.as_str(), *respect_case)),
        _ => None,
    });
    let run = runs.next()?;
    runs.next().is_none().then_some(run)
}

#[derive(Debug, Default)]
pub struct Found {
    /// The run the places are for, and whether it respects case.
    run: Option<(String, bool)>,
    /// The chunks of the titles the places are for.
    chunks: Vec<Weak<Chunk>>,
    /// For each paper, a byte of its own abstract at or before the run's first place in it (0 when
    /// not known: a run told by `Pairs` alone, or found only in the folded abstract), or `MISSING`.
    places: Vec<AtomicU32>,
}

impl Found {
    /// The places for a search of the one `abstract:` run `run` (folded, and whether it respects case)
    /// over `titles`: those of the last search when `run` grows its run over the same titles, and each
    /// abstract's start otherwise.
    pub(super) fn begin(&mut self, run: &str, respect_case: bool, titles: &Titles) -> &[AtomicU32] {
        let same_titles = self.places.len() == titles.len()
            && self.chunks.len() == titles.chunks().count()
            && self
                .chunks
                .iter()
                .zip(titles.chunks())
                .all(|(kept, (_, chunk))| Weak::as_ptr(kept) == Arc::as_ptr(chunk) && kept.strong_count() > 0);
        let grows = self.run.as_ref().is_some_and(|(last, case)| *case == respect_case && run.starts_with(last));
        if !same_titles {
            self.chunks = titles.chunks().map(|(_, chunk)| Arc::downgrade(chunk)).collect();
            self.places = (0..titles.len()).map(|_| AtomicU32::new(0)).collect();
        } else if !grows {
            self.places.iter_mut().for_each(|place| *place.get_mut() = 0);
        }
        self.run = Some((run.to_string(), respect_case));
        &self.places
    }

    /// Heap bytes held.
    pub fn memory(&self) -> usize {
        self.places.capacity() * std::mem::size_of::<AtomicU32>()
    }
}

#[cfg(test)]
#[path = "found_tests.rs"]
mod tests;
