//! Fuzzy search: ranking and highlight positions. The one module that scores matches.
//!
//! Titles are ranked as fzf ranks lines (its algorithm, ported in `fzf`, chosen by measurement against
//! frizbee and nucleo-matcher: see BENCHMARKS.md): a contiguous run beats scattered letters, a word start
//! beats the inside of a word, and among equal scores the shorter title comes first, then library order.
//! A query is whitespace-separated terms, each matched in any order, with fzf's term syntax (`'exact`,
//! `^prefix`, `suffix$`, `!not`), `@name` for authors and arXiv identifiers (see `terms`). Titles and
//! queries are folded alike (`fold`: accents, dashes, quotes); case is smart, term by term, as in fzf:
//! a term with a capital letter matches case exactly.
//!
//! Searching never holds up typing: a `Job` runs on the search thread (see `work`), its large sets on
//! every core, and a newer search cancels the one in flight.

mod ascii;
mod fold;
mod found;
mod fzf;
mod job;
mod letters;
mod look;
mod matcher;
mod names;
mod pairs;
mod query;
mod rank;
mod ranked;
mod scorer;
mod sparse;
mod terms;
mod title;
mod tokens;
mod trail;

use std::sync::atomic::AtomicBool;

use crate::library::Titles;
use crate::state::{Filter, MarkSet};

pub use fold::fold;
pub use job::{Job, Kept, Within};
pub use matcher::{Fields, Matcher};
pub use query::{MAX_ALTERNATIVES, QueryError};
pub use ranked::Ranked;
pub use scorer::Highlighter;

use job::Aids;
use query::Alternative;
use trail::Plan;

/// A search as typed, ready to match: its alternatives (one unless it says `OR`; see `query`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    text: String,
    alternatives: Vec<Alternative>,
}

impl Query {
    /// The query in `text` (see `query` for the language), or why it does not parse.
    pub fn parse(text: &str) -> Result<Self, QueryError> {
        let text = text.trim().to_string();
        let alternatives = query::parse(&text)?;
        Ok(Query { text, alternatives })
    }

    /// `parse`, or where the query does not parse, its words as plain terms (the query as it was read
    /// before filters): for callers that show results whatever was typed.
    pub fn new(text: &str) -> Self {
        Self::parse(text).unwrap_or_else(|_| {
            let text = text.trim().to_string();
            let terms = terms::parse(&text);
            Query { text, alternatives: vec![Alternative { terms, atoms: Vec::new() }] }
        })
    }

    /// True when there is nothing to match: every paper passes, in library order.
    pub fn is_empty(&self) -> bool {
        matches!(&self.alternatives[..], [only] if only.terms.is_empty() && only.atoms.is_empty())
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when a filter reads the abstract (`abstract:`), which a list of titles alone does not keep.
    pub fn needs_abstracts(&self) -> bool {
        let reads = |atom: &query::Atom| matches!(atom, query::Atom::Abstract { .. });
        self.alternatives.iter().any(|a| a.atoms.iter().any(|(atom, _)| reads(atom)))
    }

    /// The only alternative, when there is one.
    fn single(&self) -> Option<&Alternative> {
        match &self.alternatives[..] {
            [only] => Some(only),
            _ => None,
        }
    }

    /// A matcher of this query's title, author and identifier terms, for one thread; with alternatives
    /// (`OR`), of the first one's.
    pub fn matcher(&self) -> Matcher {
        Matcher::new(self.alternatives.first().map(|a| a.terms.clone()).unwrap_or_default())
    }

    /// What to highlight in titles, for one thread.
    pub fn highlighter(&self) -> Highlighter {
        Highlighter::new(&self.alternatives)
    }

    /// The match score of `title` (authors, identifier and filters unknown: only title terms count), the
    /// best of the alternatives, or `None` when it does not match.
    pub fn score(&self, title: &str) -> Option<u16> {
        self.alternatives.iter().filter_map(|a| Matcher::new(a.terms.clone()).score(title)).max()
    }

    /// The char positions in `title` that the query matched, for highlighting.
    pub fn positions(&self, title: &str) -> Vec<usize> {
        if self.is_empty() { Vec::new() } else { self.highlighter().positions(title) }
    }

    /// True when every title this query matches is also matched by `earlier`, so that searching only
    /// `earlier`'s matches finds them all. Each term of `earlier` is then still there, or grew (a fuzzy
    /// term that grows matches fewer titles); a negated term (`!`) would match more as it grows, a `$`
    /// or an escaping `\` would change meaning, so those never narrow. Filters added after the earlier
    /// ones narrow too; a query with alternatives (`OR`) is searched whole.
    pub fn narrows(&self, earlier: &Query) -> bool {
        let special = |q: &str| q.contains('!') || q.contains('\\') || q.contains('#');
        let (Some(now), Some(then)) = (self.single(), earlier.single()) else { return false };
        self.text.starts_with(&earlier.text)
            && !special(&self.text)
            && !earlier.text.ends_with('$')
            && now.terms.len() >= then.terms.len()
            && now.terms.iter().zip(&then.terms).all(|(now, then)| now.refines(then))
            && now.atoms.len() >= then.atoms.len()
            && now
                .atoms
                .iter()
                .zip(&then.atoms)
                .all(|(now, then)| now == then || (!now.1 && !then.1 && now.0.refines(&then.0)))
    }

    /// Ranks the papers `within` that pass `filter`: best score first, then the shorter title, then library
    /// order. An empty query keeps them all, in order. Large sets are scored on every core. `None` when `cancel` was set.
    pub fn rank(
        &self,
        titles: &Titles,
        within: &Within,
        filter: Filter,
        marks: &MarkSet,
        cancel: &AtomicBool,
    ) -> Option<Ranked> {
        self.rank_with(titles, within, filter, marks, cancel, None, Aids::default(), None, Vec::new()).0
    }

    /// `rank` as the reader shows it: the first `EXACT_TOP` results in that order, the others after them
    /// by a bound on their score (their tier, wholeness and length exact). A title's exact score takes
    /// fzf's alignment, about four times what a first look at its bit masks takes; a million titles
    /// cannot all be aligned while a key is typed, and no one reads that far down a list.
    pub fn rank_first(
        &self,
        titles: &Titles,
        within: &Within,
        filter: Filter,
        marks: &MarkSet,
        cancel: &AtomicBool,
    ) -> Option<Ranked> {
        self.rank_with(titles, within, filter, marks, cancel, Some(EXACT_TOP), Aids::default(), None, Vec::new()).0
    }

    /// `rank_first` with what the search thread keeps (see `Kept`): a query of one letter or digit read
    /// from the letters (brought up to `titles` first) rather than from the titles, and a query typed on
    /// from the last one's trail. What this search leaves is kept in turn; a cancelled one leaves the
    /// last trail as it was.
    pub fn rank_first_kept(
        &self,
        titles: &Titles,
        within: &Within,
        filter: Filter,
        marks: &MarkSet,
        cancel: &AtomicBool,
        kept: &mut Kept,
    ) -> Option<Ranked> {
        self.rank_kept(titles, within, filter, marks, cancel, kept, EXACT_TOP)
    }

    /// `rank_first_kept` as the reader first shows it: only the first `EXACT_SHOWN` results in exact
    /// order, those a screen can show and more; the rest of the first `EXACT_TOP` are made exact after
    /// (see `Kept::unrefined` and `refine_kept`), while no key waits.
    pub fn rank_shown_kept(
        &self,
        titles: &Titles,
        within: &Within,
        filter: Filter,
        marks: &MarkSet,
        cancel: &AtomicBool,
        kept: &mut Kept,
    ) -> Option<Ranked> {
        self.rank_kept(titles, within, filter, marks, cancel, kept, EXACT_SHOWN)
    }

    /// The first `EXACT_TOP` results of `head` (see `Kept::unrefined`), left by `rank_shown_kept` with
    /// `kept`, in exact order: the papers of the head, in their order, when that could be made without
    /// the results after it. `None` when `cancel` was set, or when it could not.
    pub fn refine_kept(
        &self,
        titles: &Titles,
        marks: &MarkSet,
        cancel: &AtomicBool,
        kept: &Kept,
        head: Unrefined,
    ) -> Option<Ranked> {
        let Unrefined { mut ranked, after } = head;
        self.refine_more((titles, marks), Some(&kept.pairs), &mut ranked, &kept.rough, EXACT_TOP, cancel)?;
        // Every paper after the head is keyed at most `after`: the first results are exact when the
        // last of them is above it, and the head's keys still fall into the rest's when its last is
        // not below it.
        let last = ranked.scores.get(EXACT_TOP.min(ranked.scores.len()).checked_sub(1)?)?;
        let end = ranked.scores.last()?;
        after.is_none_or(|after| *last > after && *end >= after).then_some(ranked)
    }

    /// `rank_first_kept`, the first `top` results exact.
    #[allow(clippy::too_many_arguments)]
    fn rank_kept(
        &self,
        titles: &Titles,
        within: &Within,
        filter: Filter,
        marks: &MarkSet,
        cancel: &AtomicBool,
        kept: &mut Kept,
        top: usize,
    ) -> Option<Ranked> {
        kept.rough.clear();
        let plan = Plan::new(self.single(), &kept.trail, titles, within, marks.stamp());
        if self.one_letter().is_some() || plan.as_ref().is_some_and(Plan::adds_letter) {
            kept.letters.update(titles, std::thread::available_parallelism().map_or(1, usize::from));
        }
        if self.needs_abstracts() {
            kept.pairs.update(titles, std::thread::available_parallelism().map_or(1, usize::from), cancel, usize::MAX);
        }
        let found = found::abstract_run(&self.alternatives)
            .map(|(run, respect_case)| kept.found.begin(run, respect_case, titles));
        let aids = Aids { letters: Some(&kept.letters), pairs: Some(&kept.pairs), found };
        let buffers = std::mem::take(&mut kept.spare);
        let (ranked, parts, rough) =
            self.rank_with(titles, within, filter, marks, cancel, Some(top), aids, plan.as_ref(), buffers);
        let planned = plan.is_some();
        drop(plan);
        let Some(ranked) = ranked else {
            kept.spare = parts;
            return None;
        };
        match self.single() {
            Some(only) if planned => {
                kept.spare = kept.trail.replace(only, titles, &ranked.matched, parts, marks.stamp())
            }
            _ => {
                kept.trail.clear();
                kept.spare = parts;
            }
        }
        if top < EXACT_TOP && ranked.order.len() > top {
            kept.rough = rough;
        }
        Some(ranked)
    }

    /// The letter or digit this query is, when it is one such character matched in either case, as a
    /// title term (filters beside it are checked paper by paper).
    fn one_letter(&self) -> Option<usize> {
        match &self.single()?.terms[..] {
            [term] if term.field == terms::Field::Title && term.kind == terms::Kind::Fuzzy && !term.negated => {
                match term.chars[..] {
                    [c] => letters::query_symbol(c, term.respect_case),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// How many of the reader's first results are in exact order (see `Query::rank_first`): some twenty
/// screens of the list.
pub const EXACT_TOP: usize = 1000;

/// How many of the first results are in exact order when the reader first shows them (see
/// `Query::rank_shown_kept`): more than a screen holds. Aligning the rest of the first `EXACT_TOP`
/// took 7-20 ms a thread of the keys of a long title word at a million papers.
pub const EXACT_SHOWN: usize = 100;

/// The first results of a ranking shown with only its first `EXACT_SHOWN` exact, to be made exact
/// (see `Kept::unrefined`).
#[derive(Debug)]
pub struct Unrefined {
    /// The first papers and their keys (no `matched`).
    ranked: Ranked,
    /// The key of the first paper after them, if any.
    after: Option<u32>,
}

/// How many of a ranking's first results `Kept::unrefined` takes at most (some 2 MB at a million
/// papers): the alignment of the first `EXACT_TOP` walks some 40,000 at most, for a long title word.
const UNREFINED_HEAD: usize = 1 << 18;

/// Candidate sets at least this large are scored on several threads; below it, starting threads costs more
/// than it saves.
const PARALLEL_FROM: usize = 20_000;

/// How many candidates a thread scores between looks at the cancel flag.
pub(crate) const CHECK_EVERY: usize = 1024;

#[cfg(test)]
mod tests;
