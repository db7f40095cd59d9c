//! `Trail`: what a search of plain fuzzy title terms leaves of each title it matched, kept by the search
//! thread so that the same query typed one character further reads a few bytes of each title rather
//! than all of it.
//!
//! Typing narrows: the next query is searched among the last one's matches (`Within::List`). Of a title
//! read as masks (ASCII, short, without LaTeX), the first look (`ascii::Pass::bound`) needs, for the term
//! being typed, only two things that grow with it: the place after its characters found first in order
//! (a greedy match: a character typed on is there in order when it occurs after that place) and where
//! its contiguous occurrences end (a shift-and: a character typed on continues those followed by it).
//! The terms before it are done, and their part of the key with them. So a key is one `memchr` from a
//! kept place and a byte or two, not a mask of every character of the query: at a million titles, what
//! each key typed costs. Other titles are scored by the matcher every time, as before.
//!
//! The keys are the ones `Matcher::first_key` gives, checked against it in the tests.

use std::sync::{Arc, Weak};

use super::Within;
use super::ascii::{Found, Pass, occurrences};
use super::fzf::equal_score;
use super::letters::Letters;
use super::matcher::pack;
use super::query::Alternative;
use super::terms::{Field, Kind, Term};
use super::title::{MASK_BITS, Title, below};
use crate::library::{Chunk, Titles};

/// What the first look at one title left (see the module's text): 24 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Step {
    /// Where the last term's contiguous occurrences end: bit `j` for one ending at byte `j`.
    ends: [u64; 2],
    /// The terms before the last: the sum of their scores, and their least wholeness.
    done_score: i16,
    done_whole: u8,
    /// The last term's first look.
    last_score: i16,
    last_whole: u8,
    /// The place after the last term's characters found first in order.
    after: u8,
    /// `MASKED`, `DONE_EXACT`, `LAST_EXACT`.
    flags: u8,
}

/// The title is read as masks; without it or `LONG`, the matcher scores it every time.
const MASKED: u8 = 1;
/// The title is ASCII without LaTeX but longer than a mask: the terms done are kept, the last one is
/// looked at again (`look::first_look`, as the matcher does) as it grows.
const LONG: u8 = 8;
/// Every term before the last has its exact score.
const DONE_EXACT: u8 = 2;
const LAST_EXACT: u8 = 4;

impl Step {
    /// A title the matcher scores every time.
    pub(super) const ASK: Step =
        Step { ends: [0; 2], done_score: 0, done_whole: 3, last_score: 0, last_whole: 3, after: 0, flags: DONE_EXACT };

    /// A title read as masks, its last term found as `found`, ending where `ends` says, found first in
    /// order before `after`; no term before it.
    fn masked(found: Found, ends: u128, after: u32) -> Step {
        let mut step = Step { flags: MASKED | DONE_EXACT, ..Step::ASK };
        step.set_last(found, ends, after);
        step
    }

    /// The rank key of a title of `len` bytes, and whether it is exact (see `Matcher::first_key`).
    pub(super) fn key(&self, len: usize) -> (u32, bool) {
        let whole = self.done_whole.min(self.last_whole);
        let score = i32::from(self.done_score) + i32::from(self.last_score);
        (pack(score, whole, len), self.flags & (DONE_EXACT | LAST_EXACT) == DONE_EXACT | LAST_EXACT)
    }

    fn ends(&self) -> u128 {
        u128::from(self.ends[0]) | u128::from(self.ends[1]) << 64
    }

    fn last(&self) -> Found {
        Found { score: i32::from(self.last_score), exact: self.flags & LAST_EXACT != 0, whole: self.last_whole }
    }

    fn set_last(&mut self, found: Found, ends: u128, after: u32) {
        // A term's score is at most `equal_score(ascii::MAX_LEN)`, far inside an i16.
        self.last_score = found.score as i16;
        self.last_whole = found.whole;
        self.flags = self.flags & !LAST_EXACT | if found.exact { LAST_EXACT } else { 0 };
        self.ends = [ends as u64, (ends >> 64) as u64];
        self.after = after as u8;
    }

    /// Counts the last term among the terms done, to start another.
    fn finish_last(&mut self) {
        let last = self.last();
        // Past an i16 the key's score is cut at `MAX_SCORE` anyway.
        self.done_score = self.done_score.saturating_add(last.score as i16);
        self.done_whole = self.done_whole.min(last.whole);
        if !last.exact {
            self.flags &= !DONE_EXACT;
        }
    }
}

/// The steps of the titles the last search matched, with what they are of.
#[derive(Debug, Default)]
pub struct Trail {
    /// The query's terms (none: nothing kept).
    terms: Vec<Term>,
    /// The library's chunks at the time: the matches index into them.
    chunks: Vec<Weak<Chunk>>,
    /// The papers matched, in library order, and their steps in the same order, in the parts the
    /// search's threads made.
    matched: Vec<u32>,
    parts: Vec<Vec<Step>>,
}

impl Trail {
    /// Becomes what a search of `terms` over `titles` that matched `matched` left in `parts`; gives back
    /// the parts it held, for the next search to fill (their memory is reused rather than asked anew of
    /// the system, which at a million titles costs more than the search).
    pub(super) fn replace(
        &mut self,
        terms: &[Term],
        titles: &Titles,
        matched: &[u32],
        parts: Vec<Vec<Step>>,
    ) -> Vec<Vec<Step>> {
        debug_assert_eq!(matched.len(), parts.iter().map(Vec::len).sum::<usize>());
        self.terms = terms.to_vec();
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
        self.parts.iter().flatten().filter(|s| s.flags & (MASKED | LONG) == 0).count()
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
    /// The plan for a search of `alternative` `within` `titles`, from what `trail` kept; `None` when the
    /// query is not all plain terms (nothing is kept of it then).
    pub(super) fn new(
        alternative: Option<&'a Alternative>,
        trail: &'a Trail,
        titles: &Titles,
        within: &Within,
    ) -> Option<Plan<'a>> {
        let alternative = alternative.filter(|a| a.atoms.is_empty() && !a.terms.is_empty())?;
        let terms = &alternative.terms[..];
        if !terms.iter().all(plain) {
            return None;
        }
        if !trail.under(titles, within) {
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

/// What a title gives a search that has a plan.
pub(super) enum Looked {
    /// The query is not there.
    Miss,
    /// The matcher is to score the title (and `Step::ASK` kept for it if it matches).
    Ask,
    Found(Step),
}

/// A plan carried out on one thread.
pub(super) struct Stepper<'p> {
    plan: &'p Plan<'p>,
    /// For `Fresh`, every term's pass; for `Add`, the new term's.
    passes: Vec<Pass>,
    /// For `Add` of a term of one letter or digit, the letters that key it, and its symbol.
    letter: Option<(&'p Letters, usize)>,
    /// The part of the kept steps that the last one read was in, and its first place.
    part: usize,
    start: usize,
}

impl<'p> Stepper<'p> {
    /// A stepper of `plan`, with `letters` that cover the titles, if the search has them.
    pub(super) fn new(plan: &'p Plan<'p>, letters: Option<&'p Letters>) -> Self {
        let terms = match plan {
            Plan::Fresh(terms) => terms,
            Plan::Add { term, .. } | Plan::Grow { term, .. } => std::slice::from_ref(*term),
        };
        let passes = terms.iter().filter_map(|t| Pass::new(&t.chars, t.respect_case)).collect();
        let letter = match plan {
            Plan::Add { term, .. } => letters.zip(letter_of(term)),
            _ => None,
        };
        Stepper { plan, passes, letter, part: 0, start: 0 }
    }

    /// The kept step at place `k` of the candidates, `k` rising from one call to the next.
    fn old(&mut self, parts: &[Vec<Step>], k: usize) -> Step {
        while k >= self.start + parts[self.part].len() {
            self.start += parts[self.part].len();
            self.part += 1;
        }
        parts[self.part][k - self.start]
    }

    /// Looks at paper `i`'s title, at place `k` of the search's candidates (rising from one call to the
    /// next).
    pub(super) fn look(&mut self, k: usize, i: usize, title: &str) -> Looked {
        match self.plan {
            Plan::Fresh(_) => {
                if crate::latex::has_markup(title) {
                    return Looked::Ask;
                }
                let Some(short) = Title::new(title.as_bytes()) else { return self.long(title, None) };
                let last = self.passes.len() - 1;
                let mut step = Step { flags: MASKED | DONE_EXACT, ..Step::ASK };
                for (n, pass) in self.passes.iter_mut().enumerate() {
                    let Some(found) = pass.bound(&short) else { return Looked::Miss };
                    let (ends, after) = pass.trail();
                    if n > 0 {
                        step.finish_last();
                    }
                    step.set_last(found, if n == last { ends } else { 0 }, after);
                }
                Looked::Found(step)
            }
            Plan::Add { old, term } => {
                let mut step = self.old(old, k);
                if step.flags & LONG != 0 {
                    let key = self.letter.and_then(|(letters, symbol)| letters.key(i, symbol));
                    return self.long(title, Some((step, key)));
                }
                let short = (step.flags & MASKED != 0).then(|| Title::new(title.as_bytes())).flatten();
                let Some(short) = short else { return Looked::Ask };
                let (found, ends, after) = match (self.letter, self.passes.first_mut()) {
                    // A letter from its code, as a first key is: a pass would work out the title's classes.
                    (Some((letters, symbol)), _) => match letters.key(i, symbol) {
                        Some(Some(key)) => letter_look(&short, term, key),
                        Some(None) => return Looked::Miss,
                        None => return Looked::Ask,
                    },
                    (None, Some(pass)) => {
                        let Some(found) = pass.bound(&short) else { return Looked::Miss };
                        let (ends, after) = pass.trail();
                        (found, ends, after)
                    }
                    (None, None) => return Looked::Ask,
                };
                step.finish_last();
                step.set_last(found, ends, after);
                Looked::Found(step)
            }
            Plan::Grow { old, chars, term } => {
                let step = self.old(old, k);
                if step.flags & LONG != 0 && !chars.is_empty() {
                    return self.long(title, Some((step, None)));
                }
                if step.flags & (MASKED | LONG) == 0 {
                    return Looked::Ask;
                }
                grow(step, title.as_bytes(), chars, term.chars.len()).map_or(Looked::Miss, Looked::Found)
            }
        }
    }

    /// A title longer than a mask: from scratch (`None`), or the last term looked at anew after `step`
    /// (an added term when the plan adds one, its letters' `key` when it is a letter; the grown one
    /// otherwise). A title not ASCII, or with LaTeX, is the matcher's.
    fn long(&mut self, title: &str, after: Option<(Step, Option<Option<u32>>)>) -> Looked {
        if crate::latex::has_markup(title) || !title.is_ascii() {
            return Looked::Ask;
        }
        let bytes = title.as_bytes();
        let look = |pass: &Pass| pass.first_look(bytes);
        match after {
            None => {
                let mut step = Step { flags: LONG | DONE_EXACT, ..Step::ASK };
                for (n, pass) in self.passes.iter().enumerate() {
                    let Some(found) = look(pass) else { return Looked::Miss };
                    if n > 0 {
                        step.finish_last();
                    }
                    step.set_last(found, 0, 0);
                }
                Looked::Found(step)
            }
            Some((mut step, key)) => {
                let found = match key {
                    Some(Some(key)) => letter_found(key),
                    Some(None) => return Looked::Miss,
                    None => match self.passes.first().map(look) {
                        Some(Some(found)) => found,
                        Some(None) => return Looked::Miss,
                        None => return Looked::Ask,
                    },
                };
                if matches!(self.plan, Plan::Add { .. }) {
                    step.finish_last();
                }
                step.set_last(found, 0, 0);
                Looked::Found(step)
            }
        }
    }

    /// The step of a title whose one-letter query `Letters` keyed (`key`, see `Letters::key`): its
    /// occurrences from the title's masks.
    pub(super) fn letter_step(&self, title: &str, key: u32) -> Step {
        // A query of one letter is one term: the plan's only one, or the last.
        let Some(term) = self.plan.terms().last() else { return Step::ASK };
        let Some(short) = Title::new(title.as_bytes()) else {
            // `Letters` keyed it, so it holds no LaTeX.
            if title.len() > MASK_BITS && title.is_ascii() {
                let mut step = Step { flags: LONG | DONE_EXACT, ..Step::ASK };
                step.set_last(letter_found(key), 0, 0);
                return step;
            }
            return Step::ASK;
        };
        let (found, ends, after) = letter_look(&short, term, key);
        Step::masked(found, ends, after)
    }
}

/// The symbol `Letters` keys a term of one letter or digit by.
fn letter_of(term: &Term) -> Option<usize> {
    match term.chars[..] {
        [c] => super::letters::query_symbol(c, term.respect_case),
        _ => None,
    }
}

/// A term of one letter or digit in `short`, keyed `key` by `Letters`: its first look, where it occurs,
/// and the place after its first occurrence.
fn letter_look(short: &Title, term: &Term, key: u32) -> (Found, u128, u32) {
    let b = term.chars[0] as u8;
    let ends = short.mask(b, !term.respect_case && b.is_ascii_lowercase());
    (letter_found(key), ends, ends.trailing_zeros() + 1)
}

/// A term of one letter or digit's first look, from its rank key by `Letters`.
fn letter_found(key: u32) -> Found {
    let whole = if key & 1 << 15 != 0 { 3 } else { (key >> 30) as u8 };
    Found { score: (key >> 16 & 0x3fff) as i32, exact: true, whole }
}

/// `step` with its last term grown by `chars` (each a byte and the other case it matches) to `len`
/// characters, in a title of ASCII `bytes`; `None` when the grown term is not there in order.
fn grow(mut step: Step, bytes: &[u8], chars: &[(u8, u8)], len: usize) -> Option<Step> {
    if chars.is_empty() {
        return Some(step);
    }
    let (mut after, mut ends) = (usize::from(step.after), step.ends());
    for &(b, other) in chars {
        after += bytes[after..].iter().position(|&t| t == b || t == other)? + 1;
        // An occurrence goes on where the byte after its end is this character.
        let mut next = (ends << 1) & below(bytes.len() as u32);
        ends = 0;
        while next != 0 {
            let j = next.trailing_zeros();
            next &= next - 1;
            if bytes[j as usize] == b || bytes[j as usize] == other {
                ends |= 1 << j;
            }
        }
    }
    let (whole, top) = occurrences(bytes, ends, len);
    let highest = equal_score(len);
    step.set_last(Found { score: if top { highest } else { highest - 1 }, exact: top, whole }, ends, after as u32);
    Some(step)
}

#[cfg(test)]
#[path = "trail_tests.rs"]
mod tests;
