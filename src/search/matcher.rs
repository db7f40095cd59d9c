//! `Matcher`: a query's terms matched against one paper after another, on one thread, with the memory
//! that takes kept from paper to paper.

use super::ascii::Pass;
use super::fold::fold_char;
use super::fzf::{self, Scratch, Unit};
use super::names::{NO_NAME, Named, name_score};
use super::terms::{Field, Kind, Term};
use super::title::Title;

/// What a paper offers beyond its title, for `@name` and identifier terms.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fields<'a> {
    pub authors: &'a [String],
    /// The authors as its chunk keeps them, instead of `authors` (see `Titles::author_ids`).
    pub named: Option<Named<'a>>,
    pub arxiv_id: Option<&'a str>,
    /// The title's length in characters, when the search reads no titles (see `field_needs`).
    pub title_chars: Option<usize>,
}

/// A matcher for one thread.
#[derive(Debug)]
pub struct Matcher {
    terms: Vec<Term>,
    /// Beside each fuzzy title or author term, its one-pass scorer for ASCII titles and names.
    passes: Vec<Option<Pass>>,
    /// True when some term looks at authors or the identifier, and when some looks at the title.
    fields: bool,
    title_terms: bool,
    /// True when some term is not negated: otherwise every paper that passes ties (fzf leaves such a list
    /// in its order too).
    ranks: bool,
    scratch: Scratch,
    /// A title that is not ASCII, folded, and where each of its characters came from.
    folded: Vec<char>,
    /// A title that is not ASCII, folded, as bytes (see `fzf::stand_in`).
    folded_bytes: Vec<u8>,
    /// True when every title term is ASCII, so that `folded_bytes` serve.
    ascii_terms: bool,
    origin: Vec<u32>,
    name: Vec<char>,
    /// For each term, the score of each name it was asked for (`NO_NAME` when it does not match), by
    /// the name's number: a name is on eight papers on average.
    name_scores: Vec<foldhash::HashMap<u32, i32>>,
    found: Vec<usize>,
    /// The least whole of the title terms' contiguous occurrences in the last title (see
    /// `fzf::wholeness`): a ranking tier above the score.
    tier: u8,
}

/// The highest score a key holds (14 bits: a query of some 400 characters).
const MAX_SCORE: i32 = (1 << 14) - 1;

/// A rank key (see `Matcher::rank_key`) from the sum of the terms' scores, the least wholeness of their
/// contiguous occurrences, and the title's length.
pub(super) fn pack(score: i32, whole: u8, length: usize) -> u32 {
    let score = score.clamp(0, MAX_SCORE) as u32;
    let (tier, whole) = (u32::from(whole.min(2)), u32::from(whole == 3));
    tier << 30 | score << 16 | whole << 15 | (0x7fff - length.min(0x7fff) as u32)
}

/// What a title's score is wanted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The score, exact.
    Exact,
    /// The score where masks tell it, a bound above it where that would take fzf's alignment.
    Bound,
    /// The positions matched, for highlights (the score, and the tier, do not matter).
    Positions,
}

/// Whether a term asks for the positions it matched, and where to put them.
type Positions<'a> = Option<&'a mut Vec<usize>>;

impl Matcher {
    pub(super) fn new(terms: Vec<Term>) -> Self {
        Matcher {
            fields: terms.iter().any(|t| t.field != Field::Title),
            title_terms: terms.iter().any(|t| t.field == Field::Title),
            ranks: terms.iter().any(|t| !t.negated),
            ascii_terms: terms.iter().filter(|t| t.field == Field::Title).all(|t| t.chars.iter().all(char::is_ascii)),
            passes: terms
                .iter()
                .map(|t| {
                    (t.field != Field::Id && t.kind == Kind::Fuzzy)
                        .then(|| Pass::new(&t.chars, t.respect_case))
                        .flatten()
                })
                .collect(),
            terms,
            scratch: Scratch::default(),
            folded: Vec::new(),
            folded_bytes: Vec::new(),
            origin: Vec::new(),
            name: Vec::new(),
            name_scores: Vec::new(),
            found: Vec::new(),
            tier: 3,
        }
    }

    /// This matcher with titles that are not ASCII always read as folded characters, to check the bytes
    /// that stand in for them against.
    #[cfg(test)]
    pub(super) fn by_chars(mut self) -> Self {
        self.ascii_terms = false;
        self
    }

    /// True when the query looks beyond titles, so that `rank_key` needs the paper's fields.
    pub fn needs_fields(&self) -> bool {
        self.fields
    }

    /// Whether some term looks at authors, whether some term looks at the identifier, and whether the
    /// title's length is all the matcher takes of the title (no term looks at it): what the fields of
    /// a paper are to hold.
    pub(super) fn field_needs(&self) -> (bool, bool, bool) {
        let wants = |field: Field| self.terms.iter().any(|t| t.field == field);
        (wants(Field::Authors), wants(Field::Id), !self.title_terms)
    }

    /// The match score of a paper with `title` alone (its authors and identifier unknown), or `None`.
    pub fn score(&mut self, title: &str) -> Option<u16> {
        self.rank_key(title, Fields::default).map(|key| (key >> 16) as u16)
    }

    /// A paper's place in a ranking, higher first, or `None` when it does not match. From the top bits
    /// down: how whole the terms are in the title (every term contiguous at a word start, else every
    /// term contiguous, else scattered: so that a contiguous run at a word start never ranks below
    /// scattered letters, which fzf's score alone allows), fzf's score, every term a whole word, and
    /// the shorter title first (fzf's tie-break); library order after that.
    pub fn rank_key<'a>(&mut self, title: &str, fields: impl FnOnce() -> Fields<'a>) -> Option<u32> {
        self.key(title, fields, Mode::Exact).map(|(key, _)| key)
    }

    /// `rank_key`, or where that takes fzf's full alignment, a key above it with fzf's score replaced by a
    /// bound (the rest exact): the key, and whether it is exact. Found from bit masks of the title, a
    /// fraction of the time of the alignment: a ranking aligns only the titles whose bound could take them
    /// to the top of the list (see `Query::rank`).
    pub fn first_key<'a>(&mut self, title: &str, fields: impl FnOnce() -> Fields<'a>) -> Option<(u32, bool)> {
        self.key(title, fields, Mode::Bound)
    }

    /// `key_of` the title as written and, when it holds LaTeX, as drawn (`$\alpha$-DPO` and `α-DPO`):
    /// the better of the two. A title without a backslash or a dollar is looked at once.
    fn key<'a>(&mut self, title: &str, fields: impl FnOnce() -> Fields<'a>, mode: Mode) -> Option<(u32, bool)> {
        if !self.title_terms || !crate::latex::has_markup(title) {
            return self.key_of(title, fields, mode);
        }
        let fields = if self.fields { fields() } else { Fields::default() };
        let written = self.key_of(title, || fields, mode);
        let std::borrow::Cow::Owned(drawn) = crate::latex::to_text(title) else { return written };
        match (written, self.key_of(&drawn, || fields, mode)) {
            (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    fn key_of<'a>(&mut self, title: &str, fields: impl FnOnce() -> Fields<'a>, mode: Mode) -> Option<(u32, bool)> {
        if self.terms.is_empty() {
            return Some((0, true));
        }
        let mut total = 0i32;
        // Masks tell an ASCII title short enough from the others as they are made.
        let short = if self.title_terms { Title::new(title.as_bytes()) } else { None };
        if !self.title_terms {
            // Only fields to score: the title's length from them when the search read no title.
            self.tier = 3;
            let fields = fields();
            let length = fields.title_chars.unwrap_or_else(|| title.chars().count());
            let total = self.field_score(fields)?;
            return Some((if self.ranks { pack(total, self.tier, length) } else { 0 }, true));
        }
        let (score, exact, length) = if short.is_some() || title.is_ascii() {
            let (score, exact) = self.title_score(title.as_bytes(), Some(title.as_bytes()), short.as_ref(), mode)?;
            (score, exact, title.len())
        } else if self.ascii_terms {
            // Terms of ASCII characters look at a folded title as bytes, the rest of it standing in by class.
            self.fold_to_bytes(title);
            let folded = std::mem::take(&mut self.folded_bytes);
            let score = self.ascii_score(&folded, mode);
            self.folded_bytes = folded;
            let (score, exact) = score?;
            (score, exact, title.chars().count())
        } else {
            self.fold_title(title);
            let folded = std::mem::take(&mut self.folded);
            let score = self.title_score(&folded, None, None, mode);
            self.folded = folded;
            let (score, exact) = score?;
            (score, exact, title.chars().count())
        };
        // Authors after the title: a title term rules out most papers for less than folding their authors.
        if self.fields {
            total += self.field_score(fields())?;
        }
        if !self.ranks {
            return Some((0, true));
        }
        Some((pack(total + score, self.tier, length), exact))
    }

    /// The char positions in `title` that the query's title terms matched, ascending.
    pub fn positions(&mut self, title: &str) -> Vec<usize> {
        self.found.clear();
        let matched = if title.is_ascii() {
            self.title_score(title.as_bytes(), Some(title.as_bytes()), None, Mode::Positions).is_some()
        } else {
            self.fold_title(title);
            let folded = std::mem::take(&mut self.folded);
            let score = self.title_score(&folded, None, None, Mode::Positions);
            self.folded = folded;
            score.is_some()
        };
        if !matched {
            return Vec::new();
        }
        let mut positions = std::mem::take(&mut self.found);
        if !title.is_ascii() {
            for p in &mut positions {
                *p = self.origin[*p] as usize;
            }
        }
        positions.sort_unstable();
        positions.dedup();
        positions
    }

    /// `title_score` for ASCII bytes: from masks when the title is short enough.
    fn ascii_score(&mut self, bytes: &[u8], mode: Mode) -> Option<(i32, bool)> {
        let short = Title::new(bytes);
        self.title_score(bytes, Some(bytes), short.as_ref(), mode)
    }

    /// Folds `title` into `folded_bytes`, a character that is not ASCII after folding as its stand-in.
    fn fold_to_bytes(&mut self, title: &str) {
        self.folded_bytes.clear();
        let out = &mut self.folded_bytes;
        for c in title.chars() {
            fold_char(c, &mut |f| out.push(if f.is_ascii() { f as u8 } else { fzf::stand_in(f) }));
        }
    }

    fn fold_title(&mut self, title: &str) {
        self.folded.clear();
        self.origin.clear();
        let (folded, origin) = (&mut self.folded, &mut self.origin);
        for (n, c) in title.chars().enumerate() {
            fold_char(c, &mut |f| {
                folded.push(f);
                origin.push(n as u32);
            });
        }
    }

    /// The sum of the title terms' scores, `None` when one does not match, and whether it is exact (see
    /// `Mode`). `ascii` is the title's bytes when it is ASCII, `short` its masks when it is short too.
    fn title_score<T: Unit>(
        &mut self,
        text: &[T],
        ascii: Option<&[u8]>,
        short: Option<&Title>,
        mode: Mode,
    ) -> Option<(i32, bool)> {
        let (mut total, mut exact) = (0, true);
        self.tier = 3;
        let mut spot = Vec::new();
        for (term, pass) in self.terms.iter().zip(&mut self.passes) {
            if term.field != Field::Title {
                continue;
            }
            let want = mode == Mode::Positions && !term.negated;
            // An ASCII title from its masks or in one pass, the tier's wholeness with it.
            let fast = match (pass, ascii, short, mode) {
                (_, _, _, Mode::Positions) | (None, _, _, _) | (_, None, _, _) => None,
                (Some(pass), _, Some(short), Mode::Bound) => {
                    Some(pass.bound(short).map(|found| (found.score, found.whole, found.exact)))
                }
                (Some(pass), Some(bytes), None, Mode::Bound) => {
                    Some(pass.first_look(bytes).map(|found| (found.score, found.whole, found.exact)))
                }
                (Some(pass), _, Some(short), Mode::Exact) => Some(pass.score(short).map(|(s, w)| (s, w, true))),
                (Some(pass), Some(bytes), None, _) => Some(pass.score_bytes(bytes).map(|(s, w)| (s, w, true))),
            };
            if let Some(found) = fast {
                match (found, term.negated) {
                    (Some(_), true) | (None, false) => return None,
                    (None, true) => {}
                    (Some((score, whole, sure)), false) => {
                        total += score;
                        exact &= sure;
                        self.tier = self.tier.min(whole);
                    }
                }
                continue;
            }
            let score = term_score(term, text, ascii, &mut self.scratch, want.then_some(&mut spot));
            match (score, term.negated) {
                (Some(_), true) | (None, false) => return None,
                (None, true) => {}
                (Some(score), false) => {
                    total += score;
                    if mode != Mode::Positions && self.tier > 0 {
                        self.tier = self.tier.min(fzf::wholeness(text, &term.chars, term.respect_case, ascii));
                    }
                    if want {
                        self.found.extend_from_slice(&spot);
                    }
                }
            }
        }
        Some((total, exact))
    }

    /// The sum of the author and identifier terms' scores, `None` when one does not match.
    fn field_score(&mut self, fields: Fields) -> Option<i32> {
        let mut total = 0;
        for (t, term) in self.terms.iter().enumerate().filter(|(_, t)| t.field != Field::Title) {
            let score = match term.field {
                Field::Id => fields.arxiv_id.and_then(|id| {
                    let id: Vec<char> = id.chars().map(|c| c.to_ascii_lowercase()).collect();
                    fzf::has_at(&id, &term.chars, false, 0)
                        .then(|| fzf::score_span(&id, &term.chars, false, 0, term.chars.len()))
                }),
                _ => match (fields.named.and_then(|n| n.scored?.best(t, n.ids)), fields.named) {
                    // Every name scored before the search.
                    (Some(best), _) => best,
                    (None, Some(named)) => {
                        if self.name_scores.len() <= t {
                            self.name_scores.resize_with(t + 1, Default::default);
                        }
                        let mut best = None;
                        for &id in named.ids {
                            let score = match self.name_scores[t].get(&id) {
                                Some(&score) => score,
                                None => {
                                    let name = named.titles.author_name(id);
                                    let pass = self.passes[t].as_mut();
                                    let score = name_score(term, pass, name, &mut self.name, &mut self.scratch);
                                    *self.name_scores[t].entry(id).or_insert(score.unwrap_or(NO_NAME))
                                }
                            };
                            if score != NO_NAME {
                                best = best.max(Some(score));
                            }
                        }
                        best
                    }
                    (None, None) => {
                        let mut best = None;
                        for author in fields.authors {
                            let pass = self.passes[t].as_mut();
                            best = best.max(name_score(term, pass, author, &mut self.name, &mut self.scratch));
                        }
                        best
                    }
                },
            };
            match (score, term.negated) {
                (Some(_), true) | (None, false) => return None,
                (None, true) => {}
                (Some(score), false) => total += score,
            }
        }
        Some(total)
    }
}

/// One term's score in `text`, `None` when it is not there; its positions into `spot` when asked.
pub(super) fn term_score<T: Unit>(
    term: &Term,
    text: &[T],
    ascii: Option<&[u8]>,
    s: &mut Scratch,
    spot: Positions,
) -> Option<i32> {
    let (p, case, n, m) = (&term.chars[..], term.respect_case, text.len(), term.chars.len());
    let span = |from: usize, spot: Positions| {
        if let Some(out) = spot {
            out.clear();
            out.extend(from..from + m);
        }
        fzf::score_span(text, p, case, from, from + m)
    };
    match term.kind {
        Kind::Fuzzy => fzf::fuzzy(text, p, case, s, spot, ascii),
        Kind::Exact => fzf::find_exact(text, p, case).map(|at| span(at, spot)),
        Kind::Prefix => fzf::has_at(text, p, case, 0).then(|| span(0, spot)),
        Kind::Suffix => (n >= m && fzf::has_at(text, p, case, n - m)).then(|| span(n - m, spot)),
        Kind::Equal => (n == m && fzf::has_at(text, p, case, 0)).then(|| {
            let _ = span(0, spot);
            fzf::equal_score(m)
        }),
    }
}
