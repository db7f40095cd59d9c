//! `Trail`: what a search of plain fuzzy title terms leaves of each title it matched, kept by the search
//! thread so that the same query typed one character further reads a few bytes of each title rather
//! than all of it.
//!
//! Typing narrows: the next query is searched among the last one's matches (`Within::List`). Of a title
//! read as masks (ASCII or folded to it, short, without LaTeX), the first look (`ascii::Pass::bound`) needs, for the term
//! being typed, only two things that grow with it: the place after its characters found first in order
//! (a greedy match: a character typed on is there in order when it occurs after that place) and where
//! its contiguous occurrences end (a shift-and: a character typed on continues those followed by it).
//! The terms before it are done, and their part of the key with them. So a key is one mask of the
//! character typed, not of every character of the query: at a million titles, what each key typed
//! costs. A title that is not ASCII is read folded, as the matcher reads it, from the folded form the
//! letters keep (`Letters::folded`); only a title with LaTeX, which the matcher scores both as written
//! and as drawn, is scored by the matcher every time.
//!
//! A term that is not exact in a title is bounded closely, its bound grown with it a character at a
//! time (see `ascii::grown_bound`), where the matcher's first look bounds it just below its highest
//! score: a ranking aligns fewer titles. The first results are the ones the matcher ranks, checked
//! against it in the tests, and every key below them is at or above the exact one.

use std::sync::{Arc, Weak};

use super::Within;
use super::ascii::Found;
use super::matcher::pack;
use super::query::{Alternative, Atom};
use super::terms::{Field, Kind, Term};
use crate::library::{Chunk, Titles};

/// What the first look at one title left (see the module's text): 24 bytes.
///
/// Beside the occurrences, what it keeps is packed in one word (see `Tail`) rather than kept in fields
/// of a byte or two: a step is made a field at a time and then copied whole into its part, and a copy
/// that reads back as one word what was just written a byte at a time waits for those writes to reach
/// memory (the processor cannot forward them): perf put some 12% of a grown search's time a title there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Step {
    /// Where the last term's contiguous occurrences end: bit `j` for one ending at byte `j`.
    ends: [u64; 2],
    /// The rest, one field of `Tail` each.
    tail: u64,
}

/// The fields of a step's tail, each a shift and a width in bits.
struct Tail;

impl Tail {
    /// The terms before the last: the sum of their scores (an i16), and their least wholeness.
    const DONE_SCORE: (u32, u32) = (0, 16);
    const DONE_WHOLE: (u32, u32) = (16, 8);
    /// The last term's first look: its score (an i16) and wholeness.
    const LAST_SCORE: (u32, u32) = (24, 16);
    const LAST_WHOLE: (u32, u32) = (40, 8);
    /// The place after the last term's characters found first in order.
    const AFTER: (u32, u32) = (48, 8);
    /// `MASKED` or `LONG`, `DONE_EXACT`, `LAST_EXACT`, `CLOSE`, `FOLDED`.
    const FLAGS: (u32, u32) = (56, 8);

    /// A tail of these fields.
    const fn of(done_whole: u8, last_whole: u8, flags: u8) -> u64 {
        (done_whole as u64) << Tail::DONE_WHOLE.0
            | (last_whole as u64) << Tail::LAST_WHOLE.0
            | (flags as u64) << Tail::FLAGS.0
    }
}

/// The title is read as masks; without it or `LONG`, the matcher scores it every time.
const MASKED: u8 = 1;
/// The title, without LaTeX, is longer than a mask or folded with characters that stand in for ones
/// that are not ASCII: the terms done are kept, the last one is looked at again (`Pass::first_look`, as
/// the matcher does) as it grows.
const LONG: u8 = 8;
/// The title is not ASCII: it is read folded, from the letters (`Letters::folded`), as the matcher
/// reads it.
const FOLDED: u8 = 16;
/// Every term before the last has its exact score.
const DONE_EXACT: u8 = 2;
const LAST_EXACT: u8 = 4;
/// The last term's score, not exact, is bounded closely (see `ascii::grown_bound`): typed on, its bound
/// grows from this one.
const CLOSE: u8 = 32;

impl Step {
    /// A title the matcher scores every time.
    pub(super) const ASK: Step = Step::with_flags(DONE_EXACT);

    /// A step with no term found yet, and these flags.
    pub(super) const fn with_flags(flags: u8) -> Step {
        Step { ends: [0; 2], tail: Tail::of(3, 3, flags) }
    }

    /// A title read as masks, its last term found as `found`, ending where `ends` says, found first in
    /// order before `after`; no term before it.
    fn masked(found: Found, ends: u128, after: u32) -> Step {
        let mut step = Step::with_flags(MASKED | DONE_EXACT);
        step.set_last(found, ends, after);
        step
    }

    #[inline]
    fn get(&self, (shift, width): (u32, u32)) -> u64 {
        self.tail >> shift & ((1 << width) - 1)
    }

    #[inline]
    fn put(&mut self, (shift, width): (u32, u32), value: u64) {
        let mask = ((1u64 << width) - 1) << shift;
        self.tail = self.tail & !mask | value << shift & mask;
    }

    #[inline]
    pub(super) fn flags(&self) -> u8 {
        self.get(Tail::FLAGS) as u8
    }

    /// Sets these flags besides the ones it has.
    #[inline]
    pub(super) fn add_flags(&mut self, flags: u8) {
        self.tail |= u64::from(flags) << Tail::FLAGS.0;
    }

    #[inline]
    fn done_score(&self) -> i16 {
        self.get(Tail::DONE_SCORE) as u16 as i16
    }

    #[inline]
    fn done_whole(&self) -> u8 {
        self.get(Tail::DONE_WHOLE) as u8
    }

    #[inline]
    fn last_score(&self) -> i16 {
        self.get(Tail::LAST_SCORE) as u16 as i16
    }

    /// The last term's score, bounded anew.
    #[inline]
    fn set_last_score(&mut self, score: i32) {
        // A term's score is at most `equal_score(ascii::MAX_LEN)`, far inside an i16.
        self.put(Tail::LAST_SCORE, u64::from(score as i16 as u16));
    }

    #[inline]
    fn last_whole(&self) -> u8 {
        self.get(Tail::LAST_WHOLE) as u8
    }

    #[inline]
    fn after(&self) -> u32 {
        self.get(Tail::AFTER) as u32
    }

    /// The rank key of a title of `len` bytes, and whether it is exact (see `Matcher::first_key`).
    pub(super) fn key(&self, len: usize) -> (u32, bool) {
        let whole = self.done_whole().min(self.last_whole());
        let score = i32::from(self.done_score()) + i32::from(self.last_score());
        (pack(score, whole, len), self.flags() & (DONE_EXACT | LAST_EXACT) == DONE_EXACT | LAST_EXACT)
    }

    /// The tier of its rank key (see `matcher::pack`): how whole its terms' occurrences are.
    fn tier(&self) -> usize {
        usize::from(self.done_whole().min(self.last_whole()).min(2))
    }

    fn ends(&self) -> u128 {
        u128::from(self.ends[0]) | u128::from(self.ends[1]) << 64
    }

    fn last(&self) -> Found {
        Found { score: i32::from(self.last_score()), exact: self.flags() & LAST_EXACT != 0, whole: self.last_whole() }
    }

    fn set_last(&mut self, found: Found, ends: u128, after: u32) {
        let flags = self.flags() & !(LAST_EXACT | CLOSE) | if found.exact { LAST_EXACT } else { 0 };
        // One write of the whole tail: the fields before the last term's are kept.
        let keep = self.tail & ((1 << Tail::LAST_SCORE.0) - 1);
        self.tail = keep
            | u64::from(found.score as i16 as u16) << Tail::LAST_SCORE.0
            | u64::from(found.whole) << Tail::LAST_WHOLE.0
            | u64::from(after as u8) << Tail::AFTER.0
            | u64::from(flags) << Tail::FLAGS.0;
        self.ends = [ends as u64, (ends >> 64) as u64];
    }

    /// Counts the last term among the terms done, to start another.
    fn finish_last(&mut self) {
        let last = self.last();
        // Past an i16 the key's score is cut at `MAX_SCORE` anyway.
        let done_score = self.done_score().saturating_add(last.score as i16);
        let done_whole = self.done_whole().min(last.whole);
        self.put(Tail::DONE_SCORE, u64::from(done_score as u16));
        self.put(Tail::DONE_WHOLE, u64::from(done_whole));
        if !last.exact {
            self.put(Tail::FLAGS, u64::from(self.flags() & !DONE_EXACT));
        }
    }
}

/// The steps of the titles the last search matched, with what they are of.
#[derive(Debug, Default)]
pub struct Trail {
    /// The query's terms (none: nothing kept).
    terms: Vec<Term>,
    /// Its filters: every paper matched passes them (see `Plan::new`), with the marks' stamp for those
    /// that read them (`is:`, `tag:`).
    atoms: Vec<(Atom, bool)>,
    marks: u64,
    /// The library's chunks at the time: the matches index into them.
    chunks: Vec<Weak<Chunk>>,
    /// The papers matched, in library order, and their steps in the same order, in the parts the
    /// search's threads made.
    matched: Vec<u32>,
    parts: Vec<Vec<Step>>,
}

impl Trail {
    /// Becomes what a search of `alternative` over `titles` that matched `matched` left in `parts`; gives
    /// back the parts it held, for the next search to fill (their memory is reused rather than asked
    /// anew of the system, which at a million titles costs more than the search).
    pub(super) fn replace(
        &mut self,
        alternative: &Alternative,
        titles: &Titles,
        matched: &[u32],
        parts: Vec<Vec<Step>>,
        marks: u64,
    ) -> Vec<Vec<Step>> {
        debug_assert_eq!(matched.len(), parts.iter().map(Vec::len).sum::<usize>());
        self.terms = alternative.terms.clone();
        self.atoms = alternative.atoms.clone();
        self.marks = marks;
        self.chunks = titles.chunks().map(|(_, chunk)| Arc::downgrade(chunk)).collect();
        self.matched.clear();
        self.matched.reserve(titles.len());
        self.matched.extend_from_slice(matched);
        std::mem::replace(&mut self.parts, parts)
    }

    /// When it keeps nothing: its memory made ready for searches of `len` papers on `threads` threads
    /// (see `ready`).
    pub(super) fn ready(&mut self, threads: usize, part: usize, len: usize) {
        if !self.terms.is_empty() {
            return;
        }
        ready(&mut self.parts, threads, part);
        if self.matched.capacity() < len {
            self.matched.clear();
            self.matched.resize(len, 0);
        }
        self.matched.clear();
    }

    /// Keeps nothing, its memory kept for the next searches.
    pub(super) fn clear(&mut self) {
        self.terms.clear();
        self.atoms.clear();
        self.chunks.clear();
        self.matched.clear();
        self.parts.iter_mut().for_each(Vec::clear);
    }

    /// True when a search `within` `titles` is over the papers this trail is of, in the same library.
    fn under(&self, titles: &Titles, within: &Within) -> bool {
        let Within::List(list) = within else { return false };
        let chunks: Vec<&Arc<Chunk>> = titles.chunks().map(|(_, chunk)| chunk).collect();
        !self.terms.is_empty()
            && self.chunks.len() <= chunks.len()
            && self.chunks.iter().zip(&chunks).all(|(kept, now)| Weak::as_ptr(kept) == Arc::as_ptr(now))
            && self.chunks.iter().all(|kept| kept.strong_count() > 0)
            && list[..] == self.matched[..]
    }

    /// How many of the papers kept the matcher scores every time.
    #[cfg(test)]
    fn asked(&self) -> usize {
        self.parts.iter().flatten().filter(|s| s.flags() & (MASKED | LONG) == 0).count()
    }

    /// Heap bytes held.
    pub fn memory(&self) -> usize {
        self.parts.iter().map(|p| p.capacity() * std::mem::size_of::<Step>()).sum::<usize>()
            + self.matched.capacity() * 4
    }
}

/// Makes `buffers` one for each of `threads` threads, each with room for `part` steps, written once so
/// that the system has given the memory before a search writes to it.
pub(super) fn ready(buffers: &mut Vec<Vec<Step>>, threads: usize, part: usize) {
    buffers.resize_with(threads, Vec::new);
    for buffer in buffers {
        if buffer.capacity() < part {
            buffer.clear();
            buffer.resize(part, Step::ASK);
        }
        buffer.clear();
    }
}

/// How a search finds its steps, shared by its threads.
#[derive(Debug)]
pub(super) enum Plan<'a> {
    /// From each title's bytes, term by term.
    Fresh(&'a [Term]),
    /// The last term grew by these characters (each with the other case it matches), to `term`.
    Grow { old: &'a [Vec<Step>], chars: Vec<(u8, u8)>, term: &'a Term },
    /// A term after the kept ones.
    Add { old: &'a [Vec<Step>], term: &'a Term },
}

/// True when a term is read from a title's masks: a fuzzy title term of ASCII characters, not negated,
/// short enough for `Pass`.
fn plain(term: &Term) -> bool {
    term.field == Field::Title
        && term.kind == Kind::Fuzzy
        && !term.negated
        && (1..=super::ascii::MAX_LEN).contains(&term.chars.len())
        && term.chars.iter().all(char::is_ascii)
}

impl<'a> Plan<'a> {
    /// The plan for a search of `alternative` `within` `titles`, from what `trail` kept, the marks
    /// being those stamped `marks` (see `MarkSet::stamp`); `None` when the query is not all plain terms,
    /// beside filters (nothing is kept of it then).
    ///
    /// With filters, a search typed on follows the trail only when they are the ones kept, the library
    /// has no chunk since, and for filters of marks the marks are the same: every paper kept passed
    /// them then, and a chunk added since may have brought a copy that changed a paper's categories or
    /// abstract, a mark changed since may let in a paper left out. A `Fresh` plan's filters are checked
    /// paper by paper, as the matcher checks them.
    pub(super) fn new(
        alternative: Option<&'a Alternative>,
        trail: &'a Trail,
        titles: &Titles,
        within: &Within,
        marks: u64,
    ) -> Option<Plan<'a>> {
        let alternative = alternative.filter(|a| !a.terms.is_empty())?;
        let terms = &alternative.terms[..];
        if !terms.iter().all(plain) {
            return None;
        }
        let of_marks = alternative.atoms.iter().any(|(atom, _)| matches!(atom, Atom::Is(_) | Atom::Tag(_)));
        let same_filters = alternative.atoms == trail.atoms
            && (alternative.atoms.is_empty() || trail.chunks.len() == titles.chunks().count())
            && (!of_marks || trail.marks == marks);
        if !trail.under(titles, within) || !same_filters {
            return Some(Plan::Fresh(terms));
        }
        let (kept, old) = (&trail.terms[..], &trail.parts[..]);
        let (last, before) = terms.split_last()?;
        let (kept_last, kept_before) = kept.split_last()?;
        if before == kept_before
            && last.respect_case == kept_last.respect_case
            && last.chars.starts_with(&kept_last.chars)
        {
            let chars = last.chars[kept_last.chars.len()..]
                .iter()
                .map(|&c| {
                    let b = c as u8;
                    let fold = !last.respect_case && b.is_ascii_lowercase();
                    (b, if fold { b.to_ascii_uppercase() } else { b })
                })
                .collect();
            return Some(Plan::Grow { old, chars, term: last });
        }
        if before == kept {
            return Some(Plan::Add { old, term: last });
        }
        Some(Plan::Fresh(terms))
    }

    /// True when it adds a term of one letter or digit, which `Letters` key.
    pub(super) fn adds_letter(&self) -> bool {
        matches!(self, Plan::Add { term, .. } if letter_of(term).is_some())
    }

    /// The terms of a search of one term, or of the titles' bytes.
    fn terms(&self) -> &'a [Term] {
        match self {
            Plan::Fresh(terms) => terms,
            Plan::Grow { term, .. } | Plan::Add { term, .. } => std::slice::from_ref(*term),
        }
    }
}

mod grow;
mod stepper;

use grow::letter_of;
pub(super) use stepper::{Looked, Stepper};

#[cfg(test)]
#[path = "trail_tests.rs"]
mod tests;
