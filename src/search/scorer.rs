//! `Scorer`: a query's alternatives matched against one paper after another on one thread, the filters
//! checked beside the terms; and `Highlighter`, the title positions any alternative matched.

use std::sync::atomic::{AtomicU64, Ordering};

use memchr::memmem;
use wide::u8x16;

use super::found::{MISSING, Spot};
use super::matcher::{Fields, Matcher};
use super::names::{NameScores, Named};
use super::pairs::{Pairs, Wanted};
use super::query::{Alternative, Atom, Mark, fold_into};
use crate::library::Titles;
use crate::state::MarkSet;

/// A matcher and the filters of each alternative, for one thread.
pub(super) struct Scorer<'q> {
    alternatives: Vec<(Matcher, &'q [(Atom, bool)])>,
    /// Each alternative's names scored before the search, when they were (see `NameScores`).
    scored: &'q [NameScores],
    /// An abstract folded, kept from paper to paper.
    folded: String,
    /// For each `cat:` filter (the start it asks for), the chunk last read and which of its lists of
    /// categories pass (see `Titles::category_lists`): papers come chunk by chunk.
    categories: Vec<(&'q str, usize, Vec<bool>)>,
    /// Which letters and pairs each abstract holds, for the chunks read (see `Pairs`), what each
    /// `abstract:` run asks of them, and the chunk found last.
    pairs: Option<&'q Pairs>,
    wanted: Vec<(&'q str, Wanted)>,
    pairs_at: usize,
    /// Where each abstract held the query's one `abstract:` run, when it has one (see `Found`).
    found: Option<&'q [AtomicU64]>,
}

impl<'q> Scorer<'q> {
    pub(super) fn new(
        alternatives: &'q [Alternative],
        scored: &'q [NameScores],
        pairs: Option<&'q Pairs>,
        found: Option<&'q [AtomicU64]>,
    ) -> Self {
        let alternatives: Vec<_> = alternatives.iter().map(|a| (Matcher::new(a.terms.clone()), &a.atoms[..])).collect();
        let wanted: Vec<(&str, Wanted)> = alternatives
            .iter()
            .flat_map(|(_, atoms)| atoms.iter())
            .filter_map(|(atom, _)| match atom {
                Atom::Abstract { text, respect_case } => Some((text.as_str(), Wanted::new(text, *respect_case))),
                _ => None,
            })
            .collect();
        // Places are kept for one run only.
        let found = found.filter(|_| wanted.len() == 1);
        let (folded, categories) = (String::new(), Vec::new());
        Scorer { alternatives, scored, folded, categories, pairs, wanted, pairs_at: 0, found }
    }

    /// The memo of the filters, borrowed from the scorer.
    fn memo(&mut self) -> Memo<'_, 'q> {
        Memo {
            folded: &mut self.folded,
            categories: &mut self.categories,
            pairs: self.pairs,
            wanted: &self.wanted,
            pairs_at: &mut self.pairs_at,
            found: self.found,
        }
    }

    /// Paper `i`'s rank key and whether it is exact (see `Matcher::first_key`; `exact` asks for
    /// `Matcher::rank_key`), or `None` when no alternative matches: the best key of those that do. The
    /// checks run cheapest first: categories, the title terms, the marks, the abstract.
    pub(super) fn key(
        &mut self,
        titles: &Titles,
        marks: &MarkSet,
        i: usize,
        title: &str,
        exact: bool,
    ) -> Option<(u32, bool)> {
        let mut best: Option<(u32, bool)> = None;
        let mut memo = Memo {
            folded: &mut self.folded,
            categories: &mut self.categories,
            pairs: self.pairs,
            wanted: &self.wanted,
            pairs_at: &mut self.pairs_at,
            found: self.found,
        };
        for (a, (matcher, atoms)) in self.alternatives.iter_mut().enumerate() {
            let fields = fields_of(titles, i, matcher.field_needs(), self.scored.get(a));
            let passes = |stage: Stage, memo: &mut Memo<'_, 'q>| {
                atoms.iter().all(|(atom, negated)| check(atom, stage, titles, marks, i, title, memo) != Some(*negated))
            };
            if !passes(Stage::Metadata, &mut memo) {
                continue;
            }
            let key = if exact {
                matcher.rank_key(title, fields).map(|k| (k, true))
            } else {
                matcher.first_key(title, fields)
            };
            let Some(key) = key else { continue };
            if passes(Stage::Marks, &mut memo) && passes(Stage::Abstract, &mut memo) {
                best = Some(best.map_or(key, |b| (b.0.max(key.0), b.1 && key.1)));
            }
        }
        best
    }
}

impl Scorer<'_> {
    /// True when paper `i` passes the filters of the first alternative (the query has one, and its
    /// terms were matched elsewhere: see `Letters`).
    pub(super) fn filters_pass(&mut self, titles: &Titles, marks: &MarkSet, i: usize, title: &str) -> bool {
        let Some(atoms) = self.alternatives.first().map(|(_, atoms)| *atoms) else { return false };
        if atoms.is_empty() {
            return true;
        }
        let mut memo = self.memo();
        [Stage::Metadata, Stage::Marks, Stage::Abstract].into_iter().all(|stage| {
            atoms.iter().all(|(atom, negated)| check(atom, stage, titles, marks, i, title, &mut memo) != Some(*negated))
        })
    }
}

/// What the terms of a matcher that looks at authors and at the identifier (`needs`) want of paper
/// `i`, read only when asked for: the authors as its chunk keeps them where it does, with their
/// names' scores when they were worked out before the search.
fn fields_of<'t>(
    titles: &'t Titles,
    i: usize,
    needs: (bool, bool, bool),
    scored: Option<&'t NameScores>,
) -> impl FnOnce() -> Fields<'t> {
    move || {
        let arxiv_id = if needs.1 { titles.arxiv_id(i) } else { None };
        let title_chars = needs.2.then(|| titles.title_chars(i));
        if !needs.0 {
            return Fields { arxiv_id, title_chars, ..Fields::default() };
        }
        match titles.author_ids(i) {
            Some(ids) => Fields { named: Some(Named { titles, ids, scored }), arxiv_id, authors: &[], title_chars },
            None => Fields { authors: titles.authors(i), named: None, arxiv_id, title_chars },
        }
    }
}

/// When a filter is checked (see `Scorer::key`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Metadata,
    Marks,
    Abstract,
}

/// What a scorer keeps from paper to paper for its filters.
struct Memo<'m, 'q> {
    folded: &'m mut String,
    categories: &'m mut Vec<(&'q str, usize, Vec<bool>)>,
    pairs: Option<&'q Pairs>,
    wanted: &'m [(&'q str, Wanted)],
    pairs_at: &'m mut usize,
    found: Option<&'q [AtomicU64]>,
}

/// True when a category starts with `start` (lower case), whatever the case.
fn starts_category(category: &str, start: &str) -> bool {
    category.len() >= start.len()
        && category.is_char_boundary(start.len())
        && category[..start.len()].eq_ignore_ascii_case(start)
}

/// True when paper `i` has a category that starts with `start`: from which of its chunk's lists pass,
/// worked out once a chunk (see `Scorer::categories`).
fn has_category<'q>(start: &'q str, titles: &Titles, i: usize, memo: &mut Memo<'_, 'q>) -> bool {
    let Some((chunk, list)) = titles.category_list(i) else {
        return titles.categories(i).iter().any(|c| starts_category(c, start));
    };
    let at = match memo.categories.iter().position(|(s, _, _)| std::ptr::eq(*s, start)) {
        Some(at) => at,
        None => {
            memo.categories.push((start, usize::MAX, Vec::new()));
            memo.categories.len() - 1
        }
    };
    let (_, read, passing) = &mut memo.categories[at];
    if *read != chunk {
        let lists = titles.category_lists(chunk);
        *passing = lists.iter().map(|list| list.iter().any(|c| starts_category(c, start))).collect();
        *read = chunk;
    }
    passing.get(list as usize).copied().unwrap_or(false)
}

/// Whether the paper has what `atom` asks, when `atom` is checked at `stage` (`None` otherwise).
fn check<'q>(
    atom: &'q Atom,
    stage: Stage,
    titles: &Titles,
    marks: &MarkSet,
    i: usize,
    title: &str,
    memo: &mut Memo<'_, 'q>,
) -> Option<bool> {
    Some(match (atom, stage) {
        (Atom::Category(start), Stage::Metadata) => has_category(start, titles, i, memo),
        (Atom::Tag(tag), Stage::Marks) => marks.has_tags_at(titles, i, title, std::slice::from_ref(tag)),
        (Atom::Is(mark), Stage::Marks) => {
            let (starred, read) = marks.get_at(titles, i, title);
            match mark {
                Mark::Unread => !read,
                Mark::Read => read,
                Mark::Starred => starred,
            }
        }
        (Atom::Abstract { text, respect_case }, Stage::Abstract) => {
            // Where the runs typed before were found and the bytes after (a run typed on by a few
            // told from them), what the rows of letters and pairs tell, then the abstract searched
            // from the place kept; what was found is kept for the next run.
            // An abstract a later copy brought is read as it is: the rows of letters and pairs, and
            // the places kept, are of each chunk's own abstracts.
            if let Some(late) = titles.late_abstract(i) {
                return Some(found_from(late, text, *respect_case, 0, None, memo).is_some());
            }
            let place = memo.found.and_then(|places| places.get(i));
            let spot = Spot::unpack(place.map_or(0, |p| p.load(Ordering::Relaxed)));
            if spot.at == MISSING {
                return Some(false);
            }
            if spot.tells(text.as_bytes()) {
                return Some(true);
            }
            let wanted = memo.wanted.iter().find(|(run, _)| std::ptr::eq(*run, text.as_str()));
            let told = memo.pairs.zip(wanted).and_then(|(pairs, (_, wanted))| pairs.check(wanted, i, memo.pairs_at));
            let (abstract_text, found) = match told {
                Some(true) => return Some(true),
                Some(false) => ("", None),
                None => {
                    let abstract_text = titles.abstract_text(i);
                    let ascii = memo.pairs.and_then(|pairs| pairs.ascii(i, memo.pairs_at));
                    (abstract_text, found_from(abstract_text, text, *respect_case, spot.at as usize, ascii, memo))
                }
            };
            if let Some(place) = place {
                let spot =
                    found.map_or(Spot::MISSING, |at| Spot::found(at, abstract_text.as_bytes(), text, *respect_case));
                place.store(spot.pack(), Ordering::Relaxed);
            }
            found.is_some()
        }
        _ => return None,
    })
}

/// Where `text`, folded, holds `run` (folded already, and lower case unless `respect_case`), looked for
/// from byte `from` of `text` on (at or before the first place it could be: see `Found`): the byte of
/// `text` it starts at, 0 when it was found only in the folded text, `None` when it is not held. The
/// bytes of `text` are searched first: an ASCII run is found there as in the folded text, and only a
/// text that is not ASCII, where the run was not found, is folded (an accent may hide it). Whether it
/// is ASCII is `ascii` when the rows of pairs told it (the text is not read again from its start).
fn found_from(
    text: &str,
    run: &str,
    respect_case: bool,
    from: usize,
    ascii: Option<bool>,
    memo: &mut Memo,
) -> Option<usize> {
    let (hay, needle) = (text.as_bytes(), run.as_bytes());
    if run.is_ascii() {
        let rest = hay.get(from..).unwrap_or_default();
        let found = match needle.first() {
            None => Some(0),
            Some(_) if respect_case => memmem::find(rest, needle),
            Some(&only) if needle.len() == 1 => memchr::memchr2(only, only.to_ascii_uppercase(), rest),
            Some(_) => lower_find(rest, run),
        };
        if let Some(at) = found {
            return Some(from + at);
        }
        if ascii.unwrap_or_else(|| text.is_ascii()) {
            return None;
        }
        return folded_holds(text, needle, !respect_case, memo.folded).then_some(0);
    }
    fold_into(text, !respect_case, memo.folded);
    memmem::find(memo.folded.as_bytes(), needle).map(|_| 0)
}

/// Whether `text`, folded (in lower case with `lower`), holds `needle` (ASCII) where its bytes did not:
/// such a place takes in a character that is not ASCII (one that folds to letters, or a mark that folds
/// to nothing between two), and every byte of it lies within `needle.len()` bytes of one. So only those
/// stretches of the text are folded, each with what lies that near it on either side (two stretches
/// that near each other as one), rather than the whole text: an abstract with a dash or an accent
/// that lacked the run was folded whole, some 10 µs of a thousand characters, and at a million
/// papers those abstracts (one in sixty) were a quarter of the time `abstract:att` took.
fn folded_holds(text: &str, needle: &[u8], lower: bool, folded: &mut String) -> bool {
    let (bytes, reach) = (text.as_bytes(), needle.len());
    let mut at = 0;
    while let Some(found) = bytes[at..].iter().position(|b| !b.is_ascii()) {
        let mut start = (at + found).saturating_sub(reach);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        // Past each stretch of bytes that are not ASCII, and the next one when it is within reach.
        let mut end = at + found;
        loop {
            end += bytes[end..].iter().position(u8::is_ascii).unwrap_or(bytes.len() - end);
            let reached = (end + reach).min(bytes.len());
            match bytes[end..reached].iter().position(|b| !b.is_ascii()) {
                Some(next) => end += next,
                None => {
                    end = reached;
                    break;
                }
            }
        }
        fold_into(text.get(start..end).unwrap_or_default(), lower, folded);
        if memmem::find(folded.as_bytes(), needle).is_some() {
            return true;
        }
        at = end;
    }
    false
}

/// True when `text`, folded, holds `run` (folded already, and lower case unless `respect_case`), for
/// tests of what tells it beforehand.
#[cfg(test)]
pub(super) fn holds_alone(text: &str, run: &str, respect_case: bool) -> bool {
    let (mut folded, mut categories) = (String::new(), Vec::new());
    let mut memo = Memo {
        folded: &mut folded,
        categories: &mut categories,
        pairs: None,
        wanted: &[],
        pairs_at: &mut 0,
        found: None,
    };
    found_from(text, run, respect_case, 0, None, &mut memo).is_some()
}

/// Where `hay`, in lower case, first holds `run` (lower case, ASCII, two bytes or more), found as
/// memchr's "generic SIMD" searcher finds a run, case folded: 16 places at a time are tried for the
/// run's first, second and last bytes (a letter's case bit set on the side of the text), four such
/// tries of 64 places told apart only when one of them holds a place, and only the places where all
/// three are found are compared whole. Put in lower case 256 bytes at a time and searched with
/// memchr, a run of common letters (`att`) cost 250-320 ms a key over a million abstracts; searched
/// for its first letter in both cases, 450; for its first and last bytes 16 places at a time, 130
/// (the first and last of `att` are found together in `ant`, `art` and `a t`, one place in a hundred).
fn lower_find(hay: &[u8], run: &str) -> Option<usize> {
    let run = run.as_bytes();
    let (m, n) = (run.len(), hay.len());
    if m > n {
        return None;
    }
    let fold = |b: u8| u8x16::splat(if b.is_ascii_lowercase() { 0x20 } else { 0 });
    let (first, second, last) = (run[0], run[1.min(m - 1)], run[m - 1]);
    let folds = [fold(first), fold(second), fold(last)];
    let wants = [u8x16::splat(first), u8x16::splat(second), u8x16::splat(last)];
    // The places from `at` (of the window `w`, which reaches `m - 1` bytes past them) that hold the
    // three bytes, a byte set for each.
    let places = |w: &[u8], at: usize| {
        let load = |k: usize| u8x16::new(w[k..k + 16].try_into().unwrap_or([0; 16]));
        let ends = (load(at) | folds[0]).cmp_eq(wants[0]) & (load(at + 1.min(m - 1)) | folds[1]).cmp_eq(wants[1]);
        ends & (load(at + m - 1) | folds[2]).cmp_eq(wants[2])
    };
    let whole = |at: usize| hay[at..at + m].iter().zip(run).all(|(&h, &r)| h.to_ascii_lowercase() == r);
    let first_whole = |start: usize, mut found: u64| {
        while found != 0 {
            let place = start + found.trailing_zeros() as usize;
            if whole(place) {
                return Some(place);
            }
            found &= found - 1;
        }
        None
    };
    let mut at = 0;
    while at + m - 1 + 64 <= n {
        let w = &hay[at..at + m - 1 + 64];
        let tries = [places(w, 0), places(w, 16), places(w, 32), places(w, 48)];
        if ((tries[0] | tries[1]) | (tries[2] | tries[3])).any() {
            let found =
                tries.iter().enumerate().fold(0, |all, (k, t)| all | u64::from(t.move_mask() as u16) << (16 * k));
            if let Some(place) = first_whole(at, found) {
                return Some(place);
            }
        }
        at += 64;
    }
    while at + m - 1 + 16 <= n {
        if let Some(place) = first_whole(at, u64::from(places(&hay[at..at + m - 1 + 16], 0).move_mask() as u16)) {
            return Some(place);
        }
        at += 16;
    }
    (at..=n - m).find(|&place| whole(place))
}

/// The title positions a query's alternatives match, for highlighting.
#[derive(Debug)]
pub struct Highlighter {
    matchers: Vec<Matcher>,
}

impl Highlighter {
    pub(super) fn new(alternatives: &[Alternative]) -> Self {
        Highlighter { matchers: alternatives.iter().map(|a| Matcher::new(a.terms.clone())).collect() }
    }

    /// The char positions in `title` that the title terms of any alternative matching it matched, ascending.
    pub fn positions(&mut self, title: &str) -> Vec<usize> {
        if let [only] = &mut self.matchers[..] {
            return only.positions(title);
        }
        let mut all: Vec<usize> = self.matchers.iter_mut().flat_map(|m| m.positions(title)).collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

#[cfg(test)]
#[path = "scorer_tests.rs"]
mod tests;
