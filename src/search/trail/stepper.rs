//! `Stepper`: a plan (see `Plan`) carried out on one thread, title after title: what each title's step
//! becomes as the query is typed on.

use super::{DONE_EXACT, FOLDED, LONG, MASKED, Plan, Step};
use crate::search::ascii::{Found, Pass, occurrences};
use crate::search::fzf::equal_score;
use crate::search::letters::Letters;
use crate::search::terms::Term;
use crate::search::title::{Title, byte_mask, from};

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
}

impl<'p> Stepper<'p> {
    /// A stepper of `plan`, with `letters` that cover the titles, if the search has them.
    pub(in crate::search) fn new(plan: &'p Plan<'p>, letters: Option<&'p Letters>) -> Self {
        let terms = match plan {
            Plan::Fresh(terms) => terms,
            Plan::Add { term, .. } | Plan::Grow { term, .. } => std::slice::from_ref(*term),
        };
        let passes = terms.iter().filter_map(|t| Pass::new(&t.chars, t.respect_case)).collect();
        let letter = match plan {
            Plan::Add { term, .. } => letters.and(letter_of(term)),
            _ => None,
        };
        Stepper { plan, passes, letters, letter, part: 0, start: 0 }
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
        if step.flags & FOLDED == 0 {
            return Some((title.as_bytes(), title.len()));
        }
        self.letters?.folded(i)
    }

    /// Looks at paper `i`'s title, at place `k` of the search's candidates (rising from one call to the
    /// next).
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
                let mut step = Step { flags: MASKED | DONE_EXACT | folded, ..Step::ASK };
                for (n, pass) in self.passes.iter_mut().enumerate() {
                    let Some(found) = pass.bound(&short) else { return Looked::Miss };
                    let (ends, after) = pass.trail();
                    if n > 0 {
                        step.finish_last();
                    }
                    step.set_last(found, if n == last { ends } else { 0 }, after);
                }
                Looked::Found(step, len)
            }
            Plan::Add { old, term } => {
                let mut step = self.old(old, k);
                if step.flags & (MASKED | LONG) == 0 {
                    return Looked::Ask;
                }
                let Some((bytes, len)) = self.kept_text(i, title, step) else { return Looked::Ask };
                let letter = self.letters.zip(self.letter);
                if step.flags & LONG != 0 {
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
                        let Some(found) = pass.bound(&short) else { return Looked::Miss };
                        let (ends, after) = pass.trail();
                        (found, ends, after)
                    }
                    (None, None) => return Looked::Ask,
                };
                step.finish_last();
                step.set_last(found, ends, after);
                Looked::Found(step, len)
            }
            Plan::Grow { old, chars, term } => {
                let step = self.old(old, k);
                if step.flags & (MASKED | LONG) == 0 {
                    return Looked::Ask;
                }
                let Some((bytes, len)) = self.kept_text(i, title, step) else { return Looked::Ask };
                if step.flags & LONG != 0 && !chars.is_empty() {
                    return self.long(bytes, len, 0, Some((step, None)));
                }
                grow(step, bytes, chars, term.chars.len()).map_or(Looked::Miss, |step| Looked::Found(step, len))
            }
        }
    }

    /// A title longer than a mask, read as ASCII `bytes` (`folded`: `FOLDED` when they are the title
    /// folded), `len` long as its key counts it: from scratch (`None`), or the last term looked at
    /// anew after `step` (an added term when the plan adds one, its letters' `key` when it is a
    /// letter; the grown one otherwise).
    fn long(&mut self, bytes: &[u8], len: usize, folded: u8, after: Option<(Step, Option<Option<u32>>)>) -> Looked {
        let look = |pass: &Pass| pass.first_look(bytes);
        match after {
            None => {
                let mut step = Step { flags: LONG | DONE_EXACT | folded, ..Step::ASK };
                for (n, pass) in self.passes.iter().enumerate() {
                    let Some(found) = look(pass) else { return Looked::Miss };
                    if n > 0 {
                        step.finish_last();
                    }
                    step.set_last(found, 0, 0);
                }
                Looked::Found(step, len)
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
                Looked::Found(step, len)
            }
        }
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
                let mut step = Step { flags: LONG | DONE_EXACT | folded, ..Step::ASK };
                step.set_last(letter_found(key), 0, 0);
                return step;
            }
            None => return Step::ASK,
        };
        let (found, ends, after) = letter_look(&short, term, key);
        let mut step = Step::masked(found, ends, after);
        step.flags |= folded;
        step
    }
}

/// The symbol `Letters` keys a term of one letter or digit by.
pub(super) fn letter_of(term: &Term) -> Option<usize> {
    match term.chars[..] {
        [c] => crate::search::letters::query_symbol(c, term.respect_case),
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
/// characters, in a title of ASCII `bytes` (at most a mask long); `None` when the grown term is not there
/// in order.
///
/// Each character is found as a mask of the title, not byte by byte: which byte of a title holds it is
/// a coin toss to the processor, and a wrong guess cost more than reading every byte at once.
fn grow(mut step: Step, bytes: &[u8], chars: &[(u8, u8)], len: usize) -> Option<Step> {
    if chars.is_empty() {
        return Some(step);
    }
    let (mut after, mut ends) = (step.after as u32, step.ends());
    for &(b, other) in chars {
        let places = byte_mask(bytes, b, other != b)?;
        // The first place after the greedy match so far, and the occurrences this character continues.
        let next = places & from(after);
        if next == 0 {
            return None;
        }
        after = next.trailing_zeros() + 1;
        ends = (ends << 1) & places;
    }
    let (whole, top) = occurrences(bytes, ends, len);
    let highest = equal_score(len);
    step.set_last(Found { score: if top { highest } else { highest - 1 }, exact: top, whole }, ends, after);
    Some(step)
}
