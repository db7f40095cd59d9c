//! Author names scored by a query's author terms: each distinct name of a chunk once a search, before
//! the search when it reads most papers (`NameScores`), else when first met (`Matcher`).

use super::ascii::Pass;
use super::fold::fold_char;
use super::fzf::{BONUS_BOUNDARY, FIRST_CHAR_MULTIPLIER, SCORE_MATCH, Scratch, ascii_bonus_at};
use super::matcher::{pack, term_score};
use super::query::Alternative;
use super::terms::{Field, Kind, Term};
use super::title::Title;
use crate::library::Titles;

/// A name an author term does not match.
pub(super) const NO_NAME: i32 = i32::MIN;

/// A paper's authors as the numbers of their names (see `Titles::author_ids`): each name is scored once
/// a search, before it (`scored`) or when first met (see `Matcher::name_scores`).
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    pub titles: &'a Titles,
    pub ids: &'a [u32],
    pub scored: Option<&'a NameScores>,
}

/// Each alternative's author names scored (see `NameScores`), when the query has author terms and a
/// search of `len` papers would meet many names; none otherwise (a search of few papers scores the names
/// it meets). A name met costs a look far away, several times what scoring it in turn does: the names
/// are scored before a search whose papers have a quarter as many authors as there are names, or more.
pub(super) fn scored(alternatives: &[Alternative], titles: &Titles, len: usize, threads: usize) -> Vec<NameScores> {
    let authors = |a: &Alternative| a.terms.iter().any(|t| t.field == Field::Authors);
    if !alternatives.iter().any(authors) {
        return Vec::new();
    }
    let (names, slots) = (titles.name_count(), titles.author_count());
    let met = len as f64 * slots as f64 / titles.len().max(1) as f64;
    if met * 4.0 < names as f64 {
        return Vec::new();
    }
    alternatives.iter().map(|a| NameScores::new(&a.terms, titles, threads)).collect()
}

/// Every author name of the library scored by each author term of a matcher, before a search that
/// meets many names. Scored when first met, a name was looked up where it was first seen, far from the
/// last one read: each a cache miss, 100-200 ms a key at a million papers.
#[derive(Debug, Default)]
pub struct NameScores {
    /// For each term (`None` for those not of authors), every name's score.
    by_term: Vec<Option<Scores>>,
}

/// Every name's score by one term: in two bytes a name where each fits, as nearly always (a score is
/// some 16 to 40 a character of the term), so that a search of a million papers looks its authors up
/// in a table half as large, more of it in the processor's cache (`author:s` 52-59 ms a key rather than
/// 67-74 at a million papers); in four otherwise.
#[derive(Debug)]
enum Scores {
    /// `NARROW_NONE` for a name the term does not match.
    Narrow(Vec<i16>),
    /// `NO_NAME` for a name the term does not match.
    Wide(Vec<i32>),
}

/// A name a term does not match, in `Scores::Narrow`.
const NARROW_NONE: i16 = i16::MIN;

impl Scores {
    /// Two bytes a name when every score fits in them.
    fn narrowed(wide: Vec<i32>) -> Self {
        let narrow = |&s: &i32| {
            if s == NO_NAME { Some(NARROW_NONE) } else { i16::try_from(s).ok().filter(|&s| s != NARROW_NONE) }
        };
        match wide.iter().map(narrow).collect::<Option<Vec<i16>>>() {
            Some(narrow) => Scores::Narrow(narrow),
            None => Scores::Wide(wide),
        }
    }

    /// The best score of the names `ids`, `None` when the term matches none of them.
    fn best(&self, ids: &[u32]) -> Option<i32> {
        match self {
            Scores::Narrow(scores) => {
                let best = ids.iter().filter_map(|&id| scores.get(id as usize).copied()).max()?;
                (best != NARROW_NONE).then_some(i32::from(best))
            }
            Scores::Wide(scores) => {
                ids.iter().filter_map(|&id| scores.get(id as usize).copied()).filter(|&s| s != NO_NAME).max()
            }
        }
    }
}

impl NameScores {
    /// The names of `titles` scored by the author terms of `terms`, on `threads` threads.
    pub(super) fn new(terms: &[Term], titles: &Titles, threads: usize) -> Self {
        let total = titles.name_count();
        let part = total.div_ceil(threads.max(1)).max(1);
        let by_term = terms
            .iter()
            .map(|term| {
                if term.field != Field::Authors {
                    return None;
                }
                let mut scores = vec![NO_NAME; total];
                let score = |from: usize, out: &mut [i32]| {
                    let mut pass =
                        (term.kind == Kind::Fuzzy).then(|| Pass::new(&term.chars, term.respect_case)).flatten();
                    let (mut folded, mut scratch) = (Vec::new(), Scratch::default());
                    // A fuzzy term of ASCII characters: the names not holding them in order are told apart
                    // byte by byte, for less than the masks that score a name.
                    let plain: Option<Vec<u8>> = (term.kind == Kind::Fuzzy)
                        .then(|| term.chars.iter().map(|&c| u8::try_from(c).ok().filter(u8::is_ascii)).collect())
                        .flatten();
                    for (name, slot) in titles.author_names_from(from as u32).zip(out.iter_mut()) {
                        if let (Some(&[c]), true) = (plain.as_deref(), name.is_ascii()) {
                            *slot = one_score(c, !term.respect_case, name.as_bytes()).unwrap_or(NO_NAME);
                            continue;
                        }
                        if let Some(plain) = &plain
                            && name.is_ascii()
                            && !holds_in_order(name.as_bytes(), plain, !term.respect_case)
                        {
                            continue;
                        }
                        *slot = name_score(term, pass.as_mut(), name, &mut folded, &mut scratch).unwrap_or(NO_NAME);
                    }
                };
                std::thread::scope(|scope| {
                    let mut inline = Vec::new();
                    for (p, out) in scores.chunks_mut(part).enumerate() {
                        let spawned = std::thread::Builder::new()
                            .name("search names".into())
                            .spawn_scoped(scope, move || score(p * part, out));
                        if spawned.is_err() {
                            inline.push(p);
                        }
                    }
                    inline
                })
                .into_iter()
                .for_each(|p| {
                    let end = (p * part + part).min(total);
                    score(p * part, &mut scores[p * part..end]);
                });
                Some(Scores::narrowed(scores))
            })
            .collect();
        NameScores { by_term }
    }

    /// The names' scores when `terms` (an alternative's) are all author terms, every one scored here:
    /// a paper's rank key is then worked out from its author numbers and title length alone (`key`).
    pub(super) fn alone<'s>(&'s self, terms: &'s [Term]) -> Option<AuthorsAlone<'s>> {
        let scored =
            |(t, term): (usize, &Term)| term.field == Field::Authors && matches!(self.by_term.get(t), Some(Some(_)));
        (!terms.is_empty() && terms.iter().enumerate().all(scored)).then_some(AuthorsAlone { scores: self, terms })
    }

    /// The best score of the names `ids` by term `t`: `None` when the names were not scored by it,
    /// `Some(None)` when it matches none of them.
    pub(super) fn best(&self, t: usize, ids: &[u32]) -> Option<Option<i32>> {
        Some(self.by_term.get(t)?.as_ref()?.best(ids))
    }
}

/// A query alternative of author terms alone, with every name scored before the search (see
/// `NameScores::alone`).
#[derive(Debug, Clone, Copy)]
pub(super) struct AuthorsAlone<'s> {
    scores: &'s NameScores,
    terms: &'s [Term],
}

impl AuthorsAlone<'_> {
    /// The rank key of a paper with the authors `ids` and a title of `length` characters, `None` when it
    /// does not match: what `Matcher::rank_key` makes of it, without the matcher's look at each field.
    pub(super) fn key(&self, ids: &[u32], length: usize) -> Option<u32> {
        let mut total = 0;
        for (t, term) in self.terms.iter().enumerate() {
            match (self.scores.by_term[t].as_ref()?.best(ids), term.negated) {
                (Some(_), true) | (None, false) => return None,
                (None, true) => {}
                (Some(score), false) => total += score,
            }
        }
        let ranks = self.terms.iter().any(|t| !t.negated);
        Some(if ranks { pack(total, 3, length) } else { 0 })
    }
}

/// A fuzzy term of one ASCII character `c` (in lower case when `fold`) scored in ASCII `name` as fzf
/// scores it: its best-placed occurrence, the first at a word boundary ending the search. A byte at a
/// time, for less than the masks `Pass` makes of a name (a name is some fifteen bytes): `author:s`
/// scores every name of the library.
pub(super) fn one_score(c: u8, fold: bool, name: &[u8]) -> Option<i32> {
    let mut best: Option<i32> = None;
    for (j, &b) in name.iter().enumerate() {
        if (if fold { b.to_ascii_lowercase() } else { b }) != c {
            continue;
        }
        let bonus = ascii_bonus_at(name, j);
        if best.is_none_or(|best| bonus > best) {
            best = Some(bonus);
        }
        if bonus >= BONUS_BOUNDARY {
            break;
        }
    }
    best.map(|bonus| SCORE_MATCH + bonus * FIRST_CHAR_MULTIPLIER)
}

/// Whether ASCII `name` holds the ASCII `chars` in order, each in either case when `fold` (the term's
/// are then in lower case): what a fuzzy term takes to match the name.
fn holds_in_order(name: &[u8], chars: &[u8], fold: bool) -> bool {
    let mut wanted = chars.iter().peekable();
    for &b in name {
        let b = if fold { b.to_ascii_lowercase() } else { b };
        if wanted.next_if_eq(&&b).is_some() && wanted.peek().is_none() {
            return true;
        }
    }
    wanted.peek().is_none()
}

/// An author term's score in `name`, folded (into `folded` when it is not ASCII): from the term's
/// one-pass scorer (`pass`) when it has one and the name is ASCII, as a title's.
pub(super) fn name_score(
    term: &Term,
    pass: Option<&mut Pass>,
    name: &str,
    folded: &mut Vec<char>,
    scratch: &mut Scratch,
) -> Option<i32> {
    if name.is_ascii() {
        let bytes = name.as_bytes();
        return match (pass, Title::new(bytes)) {
            (Some(pass), Some(short)) => pass.score(&short).map(|(score, _)| score),
            (Some(pass), None) => pass.score_bytes(bytes).map(|(score, _)| score),
            (None, _) => term_score(term, bytes, Some(bytes), scratch, None),
        };
    }
    folded.clear();
    for c in name.chars() {
        fold_char(c, &mut |f| folded.push(f));
    }
    term_score(term, folded, None, scratch, None)
}
