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
mod ranked;
mod scorer;
mod sparse;
mod terms;
mod title;
mod tokens;
mod trail;

use std::sync::atomic::{AtomicBool, Ordering};

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
use scorer::Scorer;
use trail::{Looked, Plan, Step, Stepper};

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
        let (ranked, parts) =
            self.rank_with(titles, within, filter, marks, cancel, Some(EXACT_TOP), aids, plan.as_ref(), buffers);
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

    /// `rank`, exact for the first `top` results (all when `None`); a query of one letter read from
    /// the `letters` of `aids` where they cover `titles`, an `abstract:` filter told by its `pairs`
    /// where they have the paper's chunk; with a `plan`, the titles looked at as it says, and the steps
    /// of the matches (in library order, in a part for each thread, filling `buffers`) given back beside
    /// the ranking. `None` when `cancel` was set; the buffers come back either way.
    #[allow(clippy::too_many_arguments)]
    fn rank_with(
        &self,
        titles: &Titles,
        within: &Within,
        filter: Filter,
        marks: &MarkSet,
        cancel: &AtomicBool,
        top: Option<usize>,
        aids: Aids,
        plan: Option<&Plan>,
        buffers: Vec<Vec<Step>>,
    ) -> (Option<Ranked>, Vec<Vec<Step>>) {
        let Aids { letters, pairs, found } = aids;
        let letters = letters.filter(|l| l.covers(titles));
        let letter = letters.zip(self.one_letter());
        let fresh = matches!(plan, Some(Plan::Fresh(_)));
        let len = within.len(titles);
        let threads =
            if len >= PARALLEL_FROM { std::thread::available_parallelism().map_or(1, usize::from) } else { 1 };
        let part = len.div_ceil(threads.max(1)).max(1);
        let scored = names::scored(&self.alternatives, titles, len, threads);
        // A query of filters of the library and of author and identifier terms, in a view of every
        // paper, never reads a title: the filters read the paper's categories and abstract, and the
        // terms its authors and identifier, with the title's length from where it ends.
        let library_only =
            |(atom, _): &(query::Atom, bool)| matches!(atom, query::Atom::Category(_) | query::Atom::Abstract { .. });
        let of_title = |a: &Alternative| a.terms.iter().any(|t| t.field == terms::Field::Title);
        let read_titles =
            filter != Filter::All || self.alternatives.iter().any(|a| of_title(a) || !a.atoms.iter().all(library_only));
        // Each part is scored and ranked on its own thread; the parts' rankings are merged after.
        let score_part = |from: usize, to: usize, mut steps: Vec<Step>| -> (Option<Ranked>, Vec<Step>) {
            let mut scorer = Scorer::new(&self.alternatives, &scored, pairs, found);
            let mut stepper = plan.map(|plan| Stepper::new(plan, letters, to - from));
            // Beside each hit, its step, when there is a plan.
            steps.clear();
            if plan.is_some() {
                // Room for a part of the whole library, so that the memory is asked for once, not each
                // time a list comes out a little longer than the last.
                steps.reserve(titles.len().div_ceil(threads));
            }
            let mut hits = Vec::with_capacity(to - from);
            // The papers whose key is a bound, in library order.
            let mut rough = Vec::new();
            let mut seen = 0usize;
            let mut cancelled = false;
            // A query of author terms alone, every name scored before: a paper's key from its authors'
            // numbers and its title's length, its chunk found once (`author:s` at a million papers).
            let alone = match (&self.alternatives[..], scored.first()) {
                ([only], Some(names)) if only.atoms.is_empty() && plan.is_none() => names.alone(&only.terms),
                _ => None,
            };
            let mut visit = |i: usize, title: &str| {
                // The candidate's place among those of the search.
                let k = from + seen;
                seen += 1;
                if seen.is_multiple_of(CHECK_EVERY) && cancel.load(Ordering::Relaxed) {
                    cancelled = true;
                }
                if cancelled || (filter != Filter::All && !marks.passes_at(filter, titles, i, title)) {
                    return;
                }
                let key = match (top, letter.and_then(|(letters, s)| letters.key(i, s))) {
                    _ if self.is_empty() => Some((0, true)),
                    (_, Some(None)) => None,
                    (_, Some(Some(key))) => scorer.filters_pass(titles, marks, i, title).then(|| {
                        if let Some(stepper) = &stepper {
                            steps.push(stepper.letter_step(i, title, key));
                        }
                        (key, true)
                    }),
                    (None, None) => scorer.key(titles, marks, i, title, true),
                    (Some(_), None) => match stepper.as_mut().map(|s| s.look(k, i, title)) {
                        None => scorer.key(titles, marks, i, title, false),
                        Some(Looked::Miss) => None,
                        Some(Looked::Ask) => {
                            let key = scorer.key(titles, marks, i, title, false);
                            if key.is_some() {
                                steps.push(Step::ASK);
                            }
                            key
                        }
                        // A fresh plan's filters are checked here, after the title; a plan from the
                        // trail keeps the filters its papers passed (see `Plan::new`).
                        Some(Looked::Found(_, _)) if fresh && !scorer.filters_pass(titles, marks, i, title) => None,
                        Some(Looked::Found(step, len)) => {
                            steps.push(step);
                            Some(step.key(len))
                        }
                    },
                };
                if let Some((key, exact)) = key {
                    hits.push((key, i as u32));
                    if !exact {
                        rough.push(i as u32);
                    }
                }
            };
            match alone {
                // As `visit` does, in a view of every paper (no title read), keyed from the authors.
                Some(alone) if !read_titles => within.for_each_authored(titles, from..to, &mut |i, authored| {
                    seen += 1;
                    if seen.is_multiple_of(CHECK_EVERY) && cancel.load(Ordering::Relaxed) {
                        cancelled = true;
                    }
                    let key = match authored {
                        _ if cancelled => None,
                        Some((ids, length)) => alone.key(ids, length),
                        None => scorer.key(titles, marks, i, "", true).map(|(key, _)| key),
                    };
                    if let Some(key) = key {
                        hits.push((key, i as u32));
                    }
                }),
                _ => within.for_each(titles, from..to, read_titles, &mut visit),
            }
            if cancelled {
                return (None, steps);
            }
            if let Some(stepper) = &mut stepper
                && stepper.close_late(titles, &mut hits, &mut steps, cancel).is_none()
            {
                return (None, steps);
            }
            let mut ranked = Ranked::sorted(hits);
            if let Some(top) = top.filter(|_| !rough.is_empty()) {
                let mut aligned = 0usize;
                let exact = |batch: &[u32], keys: &mut Vec<u32>| {
                    aligned += batch.len();
                    if aligned % CHECK_EVERY < batch.len() && cancel.load(Ordering::Relaxed) {
                        return None;
                    }
                    // The titles found first, together (see `Ranked::refine`).
                    let mut found = [""; ranked::REFINED];
                    for (title, &i) in found.iter_mut().zip(batch) {
                        *title = titles.title(i as usize);
                    }
                    for (&title, &i) in found.iter().zip(batch) {
                        // The first look matched, so the exact one does.
                        keys.push(scorer.key(titles, marks, i as usize, title, true).map_or(0, |(key, _)| key));
                    }
                    Some(())
                };
                if ranked.refine(&rough, top, exact).is_none() {
                    return (None, steps);
                }
            }
            (Some(ranked), steps)
        };
        let mut buffers = buffers.into_iter();
        let parts: Vec<(Option<Ranked>, Vec<Step>)> = if threads > 1 {
            // Parts in library order, merged in that order: among equal scores the earlier part's papers
            // come first, so the ranking is the one a single thread makes.
            // A part whose thread cannot be started is scored here, after the others are started.
            std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads)
                    .map(|t| {
                        let (from, to) = ((t * part).min(len), ((t + 1) * part).min(len));
                        let buffer = buffers.next().unwrap_or_default();
                        let spawned = std::thread::Builder::new()
                            .name("search part".into())
                            .spawn_scoped(scope, move || score_part(from, to, buffer));
                        spawned.map_err(|_| (from, to))
                    })
                    .collect();
                workers
                    .into_iter()
                    .map(|w| match w {
                        Ok(worker) => worker.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                        Err((from, to)) => score_part(from, to, Vec::new()),
                    })
                    .collect()
            })
        } else {
            vec![score_part(0, len, buffers.next().unwrap_or_default())]
        };
        let (mut ranked, mut steps) = (Some(Ranked::default()), Vec::with_capacity(parts.len()));
        for (part, part_steps) in parts {
            ranked = ranked.zip(part).map(|(ranked, part)| ranked.merge(part));
            steps.push(part_steps);
        }
        if cancel.load(Ordering::Relaxed) {
            ranked = None;
        }
        (ranked, steps)
    }
}

/// How many of the reader's first results are in exact order (see `Query::rank_first`): some twenty
/// screens of the list.
pub const EXACT_TOP: usize = 1000;

/// Candidate sets at least this large are scored on several threads; below it, starting threads costs more
/// than it saves.
const PARALLEL_FROM: usize = 20_000;

/// How many candidates a thread scores between looks at the cancel flag.
pub(crate) const CHECK_EVERY: usize = 1024;

#[cfg(test)]
mod tests;
