//! `Stepper`: a plan (see `Plan`) carried out on one thread, title after title: what each title's step
//! becomes as the query is typed on.

use super::{DONE_EXACT, LONG, MASKED, Plan, Step};
use crate::search::ascii::{Found, Pass, occurrences};
use crate::search::fzf::equal_score;
use crate::search::letters::Letters;
use crate::search::terms::Term;
use crate::search::title::{MASK_BITS, Title, below};

/// What a title gives a search that has a plan.
pub(in crate::search) enum Looked {
    /// The query is not there.
    Miss,
    /// The matcher is to score the title (and `Step::ASK` kept for it if it matches).
    Ask,
    Found(Step),
}

/// A plan carried out on one thread.
pub(in crate::search) struct Stepper<'p> {
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
    pub(in crate::search) fn new(plan: &'p Plan<'p>, letters: Option<&'p Letters>) -> Self {
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
    pub(in crate::search) fn look(&mut self, k: usize, i: usize, title: &str) -> Looked {
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
    pub(in crate::search) fn letter_step(&self, title: &str, key: u32) -> Step {
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
