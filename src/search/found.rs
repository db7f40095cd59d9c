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
//!
//! Where the run was found as written, the paper also keeps the three bytes after it there (see
//! `Spot`): a run typed on by as many (`atten` after `atte`, in "attention") is told from them,
//! without reading the abstract, a cache miss for each paper of the last matches.

use std::sync::atomic::AtomicU64;
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

/// What a paper keeps of a run (see `Found`), packed in a `u64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Spot {
    /// A byte of the abstract at or before the run's first place in it, or `MISSING`.
    pub(super) at: u32,
    /// When the run was found as written at `at`: its length (0 when not, or longer than a byte counts).
    len: u8,
    /// The bytes after it there (in lower case for a run in either case), up to three, ASCII and not 0:
    /// the first 0 ends them.
    next: [u8; 3],
}

impl Spot {
    pub(super) const MISSING: Spot = Spot { at: MISSING, len: 0, next: [0; 3] };

    /// Where `run` (ASCII, in lower case unless `respect_case`) was found in `text`: at byte `at`; when
    /// it is there as written (not only in the text folded), with the bytes after it.
    pub(super) fn found(at: usize, text: &[u8], run: &str, respect_case: bool) -> Spot {
        let Ok(at) = u32::try_from(at).map(|at| at.min(MISSING - 1)) else { return Spot { at: 0, ..Spot::MISSING } };
        let (start, end) = (at as usize, at as usize + run.len());
        let same = |(&t, &r): (&u8, &u8)| if respect_case { t == r } else { t.to_ascii_lowercase() == r };
        let written =
            run.is_ascii() && text.get(start..end).is_some_and(|there| there.iter().zip(run.as_bytes()).all(same));
        let Some(len) = u8::try_from(run.len()).ok().filter(|&len| written && len > 0) else {
            return Spot { at, ..Spot::MISSING };
        };
        let mut next = [0; 3];
        let after = text.get(end..).unwrap_or_default().iter().take_while(|&&b| b.is_ascii() && b != 0);
        for (slot, &b) in next.iter_mut().zip(after) {
            *slot = if respect_case { b } else { b.to_ascii_lowercase() };
        }
        Spot { at, len, next }
    }

    /// True when `run` (the run found here typed on, as `found` was given it) is there: its first
    /// bytes the run found, the rest the bytes kept after it.
    pub(super) fn tells(&self, run: &[u8]) -> bool {
        let len = usize::from(self.len);
        len > 0
            && run.len() >= len
            && run.len() - len <= self.next.iter().take_while(|&&b| b != 0).count()
            && run[len..] == self.next[..run.len() - len]
    }

    pub(super) fn pack(self) -> u64 {
        let [a, b, c] = self.next;
        u64::from(self.at) | u64::from(self.len) << 32 | u64::from_le_bytes([0, 0, 0, 0, 0, a, b, c])
    }

    pub(super) fn unpack(packed: u64) -> Spot {
        let bytes = packed.to_le_bytes();
        Spot { at: packed as u32, len: bytes[4], next: [bytes[5], bytes[6], bytes[7]] }
    }
}

#[derive(Debug, Default)]
pub struct Found {
    /// The run the places are for, and whether it respects case.
    run: Option<(String, bool)>,
    /// The chunks of the titles the places are for.
    chunks: Vec<Weak<Chunk>>,
    /// For each paper, a byte of its own abstract at or before the run's first place in it (0 when
    /// not known: a run told by `Pairs` alone, or found only in the folded abstract), or `MISSING`;
    /// a `Spot` packed.
    places: Vec<AtomicU64>,
}

impl Found {
    /// The places for a search of the one `abstract:` run `run` (folded, and whether it respects case)
    /// over `titles`: those of the last search when `run` grows its run over the same titles, and each
    /// abstract's start otherwise.
    pub(super) fn begin(&mut self, run: &str, respect_case: bool, titles: &Titles) -> &[AtomicU64] {
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
            self.places = (0..titles.len()).map(|_| AtomicU64::new(0)).collect();
        } else if !grows {
            self.places.iter_mut().for_each(|place| *place.get_mut() = 0);
        }
        self.run = Some((run.to_string(), respect_case));
        &self.places
    }

    /// Heap bytes held.
    pub fn memory(&self) -> usize {
        self.places.capacity() * std::mem::size_of::<AtomicU64>()
    }
}

#[cfg(test)]
#[path = "found_tests.rs"]
mod tests;
