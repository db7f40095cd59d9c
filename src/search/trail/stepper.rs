//! `Stepper`: a plan (see `Plan`) carried out on one thread, title after title: what each title's step
//! becomes as the query is typed on.

use std::sync::atomic::{AtomicBool, Ordering};

use super::grow::{chain_bound, grow, letter_found, letter_look, letter_of};
use super::{CLOSE, DONE_EXACT, FOLDED, LAST_EXACT, LONG, MASKED, Plan, Step};
use crate::library::Titles;
use crate::search::ascii::{Found, Pass};
use crate::search::fzf::equal_score;
use crate::search::letters::Letters;
use crate::search::title::{Title, byte_mask};

/// What a title gives a search that has a plan.
pub(in crate::search) enum Looked {
    /// The query is not there.
    Miss,
    /// The matcher is to score the title (and `Step::ASK` kept for it if it matches).
    Ask,
    /// Its step, and the title's length as its key counts it (in characters when it is not ASCII).
    Found(Step, usize),
}

/// What a title is read as (see `Stepper::read`): masks, or bytes longer than a mask or that stand in
/// for characters that are not ASCII; with its length as its key counts it, and `FOLDED` or not.
enum Read<'t> {
    Short(Title<'t>, usize, u8),
    Long(&'t [u8], usize, u8),
}

/// A plan carried out on one thread.
pub(in crate::search) struct Stepper<'p> {
    plan: &'p Plan<'p>,
    /// For `Fresh`, every term's pass; for `Add`, the new term's.
    passes: Vec<Pass>,
    /// The letters that cover the titles, if the search has them: titles that are not ASCII are read
    /// folded from them.
    letters: Option<&'p Letters>,
    /// For `Add` of a term of one letter or digit, its symbol in the letters.
    letter: Option<usize>,
    /// The part of the kept steps that the last one read was in, and its first place.
    part: usize,
    start: usize,
    /// How many titles this part found the last term in at its highest score (see `CLOSE_UNTIL`), and
    /// that score.
    tops: usize,
    highest: i32,
    /// For `Grow`, the last character of the term kept (a byte and the other case it matches), and
    /// whether it was the term's only one.
    grown: ((u8, u8), bool),
    /// For `Grow` of a term of ASCII characters, each of them (a byte and the other case it matches),
    /// for a close bound worked out from scratch (see `chain_bound`).
    chain: Option<Vec<(u8, u8)>>,
    /// How many titles the part has looked at, of the `expected` it holds, and how many of them it
    /// found the term in, by the tier of their key (for `Grow`).
    seen: usize,
    expected: usize,
    tiers: [usize; 4],
}

/// A term's bound is worked out closely (see `ascii::grown_bound`), rather than as just below its highest
/// score, until a part of a search has found this many titles where the term has its highest score: its
/// first results, above every bound. Where many titles hold a term at a word's start, as `tr` or `gra`,
/// the bounds below them do not count; where few do, as `ab` or `auth`, the ranking aligns every title
/// whose bound is above the first results' scores, and the close bounds spare it most of them.
const CLOSE_UNTIL: usize = crate::search::EXACT_TOP;

impl<'p> Stepper<'p> {
    /// A stepper of `plan`, with `letters` that cover the titles, if the search has them, for a part
    /// of `expected` candidates.
    pub(in crate::search) fn new(plan: &'p Plan<'p>, letters: Option<&'p Letters>, expected: usize) -> Self {
        let terms = match plan {
            Plan::Fresh(terms) => terms,
            Plan::Add { term, .. } | Plan::Grow { term, .. } => std::slice::from_ref(*term),
        };
        let passes = terms.iter().filter_map(|t| Pass::new(&t.chars, t.respect_case)).collect();
        let letter = match plan {
            Plan::Add { term, .. } => letters.and(letter_of(term)),
            _ => None,
        };
        let last = plan.terms().last();
        let highest = equal_score(last.map_or(0, |t| t.chars.len()));
        let grown = match plan {
            Plan::Grow { chars, term, .. } => {
                let kept = term.chars.len() - chars.len();
                let b = term.chars.get(kept.wrapping_sub(1)).map_or(0, |&c| c as u8);
                let other = if !term.respect_case && b.is_ascii_lowercase() { b.to_ascii_uppercase() } else { b };
                ((b, other), kept == 1)
            }
            _ => ((0, 0), false),
        };
        let chain = match plan {
            Plan::Grow { term, .. } => term
                .chars
                .iter()
                .map(|&c| {
                    let b = u8::try_from(c).ok().filter(u8::is_ascii)?;
                    Some((b, if !term.respect_case && b.is_ascii_lowercase() { b.to_ascii_uppercase() } else { b }))
                })
                .collect(),
            _ => None,
        };
        Stepper {
            plan,
            passes,
            letters,
            letter,
            part: 0,
            start: 0,
            tops: 0,
            highest,
            grown,
            chain,
            seen: 0,
            expected,
            tiers: [0; 4],
        }
    }

    /// The kept step at place `k` of the candidates, `k` rising from one call to the next.
    fn old(&mut self, parts: &[Vec<Step>], k: usize) -> Step {
        while k >= self.start + parts[self.part].len() {
            self.start += parts[self.part].len();
            self.part += 1;
        }
        parts[self.part][k - self.start]
    }

    /// What paper `i`'s title is read as, with its length as its key counts it: its bytes when ASCII,
    /// else folded, with `FOLDED`; as masks when short enough. `None` when it is neither ASCII nor
    /// folded (the letters do not cover it, or it holds LaTeX).
    fn read<'t>(&self, i: usize, title: &'t str) -> Option<Read<'t>>
    where
        'p: 't,
    {
        // The masks tell a short ASCII title, the most common kind, as they are made.
        if let Some(short) = Title::new(title.as_bytes()) {
            return Some(Read::Short(short, title.len(), 0));
        }
        if title.is_ascii() {
            return Some(Read::Long(title.as_bytes(), title.len(), 0));
        }
        let (folded, len) = self.letters?.folded(i)?;
        Some(match Title::new(folded) {
            Some(short) => Read::Short(short, len, FOLDED),
            None => Read::Long(folded, len, FOLDED),
        })
    }

    /// The bytes a title is read as and its length as its key counts it, as its kept `step` says: its
    /// own, or folded ones.
    fn kept_text<'t>(&self, i: usize, title: &'t str, step: Step) -> Option<(&'t [u8], usize)>
    where
        'p: 't,
    {
        if step.flags() & FOLDED == 0 {
            return Some((title.as_bytes(), title.len()));
        }
        self.letters?.folded(i)
    }

    /// Looks at paper `i`'s title, at place `k` of the search's candidates (rising from one call to the
    /// next).
    #[inline]
    pub(in crate::search) fn look(&mut self, k: usize, i: usize, title: &str) -> Looked {
        match self.plan {
            Plan::Fresh(_) => {
                if crate::latex::has_markup(title) {
                    return Looked::Ask;
                }
                let (short, len, folded) = match self.read(i, title) {
                    Some(Read::Short(short, len, folded)) => (short, len, folded),
                    Some(Read::Long(bytes, len, folded)) => return self.long(bytes, len, folded, None),
                    None => return Looked::Ask,
                };
                let last = self.passes.len() - 1;
                let mut step = Step::with_flags(MASKED | DONE_EXACT | folded);
                let close = self.tops < CLOSE_UNTIL;
                for (n, pass) in self.passes.iter_mut().enumerate() {
                    pass.close = close && n == last;
                    let Some(found) = pass.bound(&short) else { return Looked::Miss };
                    let (ends, after) = pass.trail();
                    if n > 0 {
                        step.finish_last();
                    }
                    step.set_last(found, if n == last { ends } else { 0 }, after);
                }
                self.count(&mut step, close);
                Looked::Found(step, len)
            }
            Plan::Add { old, term } => {
                let mut step = self.old(old, k);
                if step.flags() & (MASKED | LONG) == 0 {
                    return Looked::Ask;
                }
                let Some((bytes, len)) = self.kept_text(i, title, step) else { return Looked::Ask };
                let letter = self.letters.zip(self.letter);
                if step.flags() & LONG != 0 {
                    let key = letter.and_then(|(letters, symbol)| letters.key(i, symbol));
                    return self.long(bytes, len, 0, Some((step, key)));
                }
                let Some(short) = Title::new(bytes) else { return Looked::Ask };
                let (found, ends, after) = match (letter, self.passes.first_mut()) {
                    // A letter from its code, as a first key is: a pass would work out the title's classes.
                    (Some((letters, symbol)), _) => match letters.key(i, symbol) {
                        Some(Some(key)) => letter_look(&short, term, key),
                        Some(None) => return Looked::Miss,
                        None => return Looked::Ask,
                    },
                    (None, Some(pass)) => {
                        pass.close = self.tops < CLOSE_UNTIL;
                        let Some(found) = pass.bound(&short) else { return Looked::Miss };
                        let (ends, after) = pass.trail();
                        (found, ends, after)
                    }
                    (None, None) => return Looked::Ask,
                };
                step.finish_last();
                step.set_last(found, ends, after);
                self.count(&mut step, self.tops < CLOSE_UNTIL);
                Looked::Found(step, len)
            }
            Plan::Grow { old, chars, term } => {
                self.seen += 1;
                let step = self.old(old, k);
                if step.flags() & (MASKED | LONG) == 0 {
                    return Looked::Ask;
                }
                let Some((bytes, len)) = self.kept_text(i, title, step) else { return Looked::Ask };
                if step.flags() & LONG != 0 && !chars.is_empty() {
                    return self.long(bytes, len, 0, Some((step, None)));
                }
                let close = self.tops < CLOSE_UNTIL;
                // A term of one character is bounded from its places (`grow`), the others from a close
                // bound kept, or else from the masks of the title.
                let kept_close = self.grown.1 || step.flags() & (CLOSE | LAST_EXACT) != 0;
                let grown = grow(step, bytes, self.grown.0, chars, term.chars.len(), close && kept_close);
                let Some(mut step) = grown else { return Looked::Miss };
                // The key's tier (its top bits) is exact, bound or not.
                let tier = step.tier();
                self.tiers[tier] += 1;
                if step.flags() & LAST_EXACT != 0 {
                    self.count(&mut step, close);
                    return Looked::Found(step, len);
                }
                let above: usize = self.tiers[tier + 1..].iter().sum();
                let few = |found: usize| found * self.expected < CLOSE_UNTIL * self.seen;
                if close && kept_close {
                    step.add_flags(CLOSE);
                } else if close && few(self.tops) && few(above) {
                    // No close bound kept to grow from (the search that kept it had found its first
                    // results, as `aut` has in a million titles), and the part is on its way to find
                    // few titles where the term has its highest score (`auth` has none) and few in
                    // a higher tier than this one: one from the masks of the term's characters in the
                    // title (`chain_bound`: a mask a character, not every class of the title as a
                    // `Pass` works out), while the title is at hand, rather than read again after the
                    // search (see `close_late`). Where they are
                    // found at a rate that fills the first results (`grap` after `gra`), the titles
                    // are left to it, which bounds only those that can reach them.
                    if let Some(score) = self.chain.as_deref().and_then(|chain| chain_bound(bytes, chain)) {
                        step.set_last_score(score.min(self.highest - 1));
                        step.add_flags(CLOSE);
                    }
                }
                Looked::Found(step, len)
            }
        }
    }

    /// After a `Grow` plan, when this part found fewer than `CLOSE_UNTIL` titles where the term has its
    /// highest score (so that the ranking would align every title bounded above the ones it found): the
    /// steps (`steps`, beside `hits`) whose kept bound was not close are bounded closely from the masks
    /// of their titles, their keys with them: those the search did not bound closely as it read them,
    /// when their part seemed to hold many such titles (see `look`). `None` when `cancel` was set.
    pub(in crate::search) fn close_late(
        &mut self,
        titles: &Titles,
        hits: &mut [(u32, u32)],
        steps: &mut [Step],
        cancel: &AtomicBool,
    ) -> Option<()> {
        if !matches!(self.plan, Plan::Grow { .. }) || self.tops >= CLOSE_UNTIL || hits.len() != steps.len() {
            return Some(());
        }
        let Some(mut pass) = self.passes.first().cloned() else { return Some(()) };
        pass.close = true;
        // A key's tier (its top bits) is exact, bound or not: where the first results fill the higher
        // tiers, the ranking aligns no title of a lower one, and those are left as they are.
        let mut tiers = [0usize; 4];
        hits.iter().for_each(|&(key, _)| tiers[(key >> 30) as usize] += 1);
        let least = (0..4).rev().find(|&t| tiers[t..].iter().sum::<usize>() >= CLOSE_UNTIL).unwrap_or(0) as u32;
        let mut seen = 0usize;
        for (hit, step) in hits.iter_mut().zip(steps.iter_mut()) {
            if step.flags() & (MASKED | LAST_EXACT | CLOSE) != MASKED || hit.0 >> 30 < least {
                continue;
            }
            seen += 1;
            if seen.is_multiple_of(crate::search::CHECK_EVERY) && cancel.load(Ordering::Relaxed) {
                return None;
            }
            let i = hit.1 as usize;
            let Some((bytes, len)) = self.kept_text(i, titles.title(i), *step) else { continue };
            if let Some(found) = Title::new(bytes).and_then(|title| pass.bound(&title)) {
                step.set_last_score(found.score);
                step.add_flags(CLOSE);
                hit.0 = step.key(len).0;
            }
        }
        Some(())
    }

    /// Marks `step` as bounded closely when it was (`close`), and counts it when its last term has the
    /// highest score.
    fn count(&mut self, step: &mut Step, close: bool) {
        if step.flags() & LAST_EXACT != 0 {
            self.tops += usize::from(i32::from(step.last_score()) == self.highest);
        } else if close {
            step.add_flags(CLOSE);
        }
    }

    /// A title read byte by byte (longer than a mask, or folded with bytes that stand in for characters
    /// that are not ASCII), `bytes` (`folded`: `FOLDED` when they are the title folded), `len` long as
    /// its key counts it: from scratch (`None`), or the last term looked at anew after `step` (an added
    /// term when the plan adds one, its letters' `key` when it is a letter; the grown one otherwise).
    ///
    /// Each term gets a first look (`Pass::first_look`). Where that does not tell the last term's score,
    /// the part has not found its first results yet, and the title's tier is not below a thousand
    /// titles found already, the last term is scored exactly, one pass over the bytes
    /// (`Pass::score_bytes`): a first look bounds it just below the highest score, above every close
    /// bound of the titles read as masks, so that a ranking would align each such title before those
    /// (some 7% of titles; for `abs` at a million papers, nine in ten of those it aligned).
    fn long(&mut self, bytes: &[u8], len: usize, folded: u8, after: Option<(Step, Option<Option<u32>>)>) -> Looked {
        let close = self.tops < CLOSE_UNTIL;
        let last = self.passes.len().saturating_sub(1);
        let tiers = self.tiers;
        // `done`: the least wholeness of the terms before, which the key's tier is at most.
        let look = |pass: &mut Pass, n: usize, done: u8| {
            let found = pass.first_look(bytes)?;
            let tier = usize::from(done.min(found.whole).min(2));
            if found.exact || !close || n != last || tiers[tier + 1..].iter().sum::<usize>() >= CLOSE_UNTIL {
                return Some(found);
            }
            pass.score_bytes(bytes).map(|(score, whole)| Found { score, exact: true, whole })
        };
        let mut step = match after {
            None => {
                let mut step = Step::with_flags(LONG | DONE_EXACT | folded);
                for (n, pass) in self.passes.iter_mut().enumerate() {
                    let Some(found) = look(pass, n, step.done_whole().min(step.last_whole())) else {
                        return Looked::Miss;
                    };
                    if n > 0 {
                        step.finish_last();
                    }
                    step.set_last(found, 0, 0);
                }
                step
            }
            Some((mut step, key)) => {
                // An added term comes after the kept last one, a grown one in its place.
                let adds = matches!(self.plan, Plan::Add { .. });
                let done = if adds { step.done_whole().min(step.last_whole()) } else { step.done_whole() };
                let found = match key {
                    Some(Some(key)) => letter_found(key),
                    Some(None) => return Looked::Miss,
                    None => match self.passes.first_mut().map(|pass| look(pass, 0, done)) {
                        Some(Some(found)) => found,
                        Some(None) => return Looked::Miss,
                        None => return Looked::Ask,
                    },
                };
                if adds {
                    step.finish_last();
                }
                step.set_last(found, 0, 0);
                step
            }
        };
        self.count(&mut step, false);
        self.tiers[step.tier()] += 1;
        Looked::Found(step, len)
    }

    /// The step of paper `i`, whose one-letter query `Letters` keyed (`key`, see `Letters::key`): its
    /// occurrences from the title's masks.
    pub(in crate::search) fn letter_step(&self, i: usize, title: &str, key: u32) -> Step {
        // A query of one letter is one term: the plan's only one, or the last.
        let Some(term) = self.plan.terms().last() else { return Step::ASK };
        // `Letters` keyed it, so it holds no LaTeX. Most titles are short and ASCII: one pass finds
        // where the letter is, without the rest of the title's masks.
        let Some(b) = term.chars.first().map(|&c| c as u8) else { return Step::ASK };
        if let Some(ends) = byte_mask(title.as_bytes(), b, !term.respect_case && b.is_ascii_lowercase()) {
            return Step::masked(letter_found(key), ends, ends.trailing_zeros() + 1);
        }
        let (short, folded) = match self.read(i, title) {
            Some(Read::Short(short, _, folded)) => (short, folded),
            Some(Read::Long(_, _, folded)) => {
                let mut step = Step::with_flags(LONG | DONE_EXACT | folded);
                step.set_last(letter_found(key), 0, 0);
                return step;
            }
            None => return Step::ASK,
        };
        let (found, ends, after) = letter_look(&short, term, key);
        let mut step = Step::masked(found, ends, after);
        step.add_flags(folded);
        step
    }
}
