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
mod fzf;
mod look;
mod matcher;
mod ranked;
mod sparse;
mod terms;
mod title;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::library::Titles;
use crate::state::{Filter, MarkSet};

pub use fold::fold;
pub use matcher::{Fields, Matcher};
pub use ranked::Ranked;

/// A search as typed, ready to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    text: String,
    terms: Vec<terms::Term>,
    /// Tags every paper must have (`#tag` terms), as the state keeps them.
    tags: Vec<String>,
}

impl Query {
    pub fn new(text: &str) -> Self {
        let text = text.trim().to_string();
        // `#tag` selects by tag: kept apart from the terms, which match text.
        let (tags, words): (Vec<&str>, Vec<&str>) =
            text.split_whitespace().partition(|word| word.len() > 1 && word.starts_with('#'));
        let terms = terms::parse(&words.join(" "));
        let tags = tags.into_iter().map(|tag| crate::state::tag_name(tag).unwrap_or_else(|| tag.to_string())).collect();
        Query { text, terms, tags }
    }

    /// True when there is nothing to match: every paper passes, in library order.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.tags.is_empty()
    }

    /// The tags a paper must have to match (`#tag`).
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// A matcher for this query, for one thread.
    pub fn matcher(&self) -> Matcher {
        Matcher::new(self.terms.clone())
    }

    /// The match score of `title` (authors and identifier unknown), or `None` when it does not match.
    pub fn score(&self, title: &str) -> Option<u16> {
        self.matcher().score(title)
    }

    /// The char positions in `title` that the query matched, for highlighting.
    pub fn positions(&self, title: &str) -> Vec<usize> {
        if self.is_empty() { Vec::new() } else { self.matcher().positions(title) }
    }

    /// True when every title this query matches is also matched by `earlier`, so that searching only
    /// `earlier`'s matches finds them all. Each term of `earlier` is then still there, or grew (a fuzzy
    /// term that grows matches fewer titles); a negated term (`!`) would match more as it grows, a `$`
    /// or an escaping `\` would change meaning, so those never narrow.
    pub fn narrows(&self, earlier: &Query) -> bool {
        // A longer `#tag` is another tag, whose papers are not among the shorter one's.
        let special = |q: &str| q.contains('!') || q.contains('\\') || q.contains('#');
        self.text.starts_with(&earlier.text)
            && !special(&self.text)
            && !earlier.text.ends_with('$')
            && self.terms.len() >= earlier.terms.len()
            && self.terms.iter().zip(&earlier.terms).all(|(now, then)| now.refines(then))
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
        self.rank_with(titles, within, filter, marks, cancel, None)
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
        self.rank_with(titles, within, filter, marks, cancel, Some(EXACT_TOP))
    }

    /// `rank`, exact for the first `top` results (all when `None`).
    fn rank_with(
        &self,
        titles: &Titles,
        within: &Within,
        filter: Filter,
        marks: &MarkSet,
        cancel: &AtomicBool,
        top: Option<usize>,
    ) -> Option<Ranked> {
        let len = within.len(titles);
        let threads =
            if len >= PARALLEL_FROM { std::thread::available_parallelism().map_or(1, usize::from) } else { 1 };
        let part = len.div_ceil(threads.max(1)).max(1);
        let fields = |i: usize| Fields { authors: titles.authors(i), arxiv_id: titles.arxiv_id(i) };
        // Each part is scored and ranked on its own thread; the parts' rankings are merged after.
        let score_part = |from: usize, to: usize| -> Option<Ranked> {
            let mut matcher = self.matcher();
            let mut hits = Vec::with_capacity(to - from);
            // The papers whose key is a bound, in library order.
            let mut rough = Vec::new();
            let mut seen = 0usize;
            let mut cancelled = false;
            let mut visit = |i: usize, title: &str| {
                seen += 1;
                if seen.is_multiple_of(CHECK_EVERY) && cancel.load(Ordering::Relaxed) {
                    cancelled = true;
                }
                if cancelled
                    || (filter != Filter::All && !marks.passes(filter, titles.key_hash(i), title, titles.arxiv_id(i)))
                    || (!self.tags.is_empty()
                        && !marks.has_tags(titles.key_hash(i), title, titles.arxiv_id(i), &self.tags))
                {
                    return;
                }
                let key = match top {
                    _ if self.terms.is_empty() => Some((0, true)),
                    None => matcher.rank_key(title, || fields(i)).map(|key| (key, true)),
                    Some(_) => matcher.first_key(title, || fields(i)),
                };
                if let Some((key, exact)) = key {
                    hits.push((key, i as u32));
                    if !exact {
                        rough.push(i as u32);
                    }
                }
            };
            within.for_each(titles, from..to, &mut visit);
            if cancelled {
                return None;
            }
            let mut ranked = Ranked::sorted(hits);
            if let Some(top) = top.filter(|_| !rough.is_empty()) {
                let mut aligned = 0usize;
                let exact = |i: u32| {
                    aligned += 1;
                    if aligned.is_multiple_of(CHECK_EVERY) && cancel.load(Ordering::Relaxed) {
                        return None;
                    }
                    let i = i as usize;
                    // The first look matched, so the exact one does.
                    Some(matcher.rank_key(titles.title(i), || fields(i)).unwrap_or(0))
                };
                ranked.refine(&rough, top, exact)?;
            }
            Some(ranked)
        };
        let parts: Vec<Option<Ranked>> = if threads > 1 {
            // Parts in library order, merged in that order: among equal scores the earlier part's papers
            // come first, so the ranking is the one a single thread makes.
            // A part whose thread cannot be started is scored here, after the others are started.
            std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads)
                    .map(|t| {
                        let (from, to) = ((t * part).min(len), ((t + 1) * part).min(len));
                        let spawned = std::thread::Builder::new()
                            .name("search part".into())
                            .spawn_scoped(scope, move || score_part(from, to));
                        spawned.map_err(|_| (from, to))
                    })
                    .collect();
                workers
                    .into_iter()
                    .map(|w| match w {
                        Ok(worker) => worker.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                        Err((from, to)) => score_part(from, to),
                    })
                    .collect()
            })
        } else {
            vec![score_part(0, len)]
        };
        let mut ranked = Ranked::default();
        for part in parts {
            ranked = ranked.merge(part?);
        }
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        Some(ranked)
    }
}

/// The candidates of a search: every paper from a point on, or a list (the last search's matches).
#[derive(Debug, Clone)]
pub enum Within {
    From(usize),
    List(Arc<Vec<u32>>),
}

impl Within {
    fn len(&self, titles: &Titles) -> usize {
        match self {
            Within::From(start) => titles.len().saturating_sub(*start),
            Within::List(list) => list.len(),
        }
    }

    /// Calls `f` on the candidates at positions `range` of this set.
    fn for_each(&self, titles: &Titles, range: std::ops::Range<usize>, f: &mut impl FnMut(usize, &str)) {
        match self {
            Within::From(start) => titles.for_each_in(start + range.start..start + range.end, f),
            // The last search's matches, in library order.
            Within::List(list) => titles.for_each_of(&list[range], f),
        }
    }
}

/// How many of the reader's first results are in exact order (see `Query::rank_first`): some twenty
/// screens of the list.
pub const EXACT_TOP: usize = 1000;

/// Candidate sets at least this large are scored on several threads; below it, starting threads costs more
/// than it saves.
const PARALLEL_FROM: usize = 20_000;

/// How many candidates a thread scores between looks at the cancel flag.
const CHECK_EVERY: usize = 1024;

/// A search to run: the query over some candidates that pass a filter, given the titles at the time.
pub struct Job {
    pub id: u64,
    pub query: Query,
    pub titles: Titles,
    pub within: Within,
    pub filter: Filter,
    pub marks: Arc<MarkSet>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("id", &self.id).field("query", &self.query).finish_non_exhaustive()
    }
}

impl Job {
    /// Ranks, on every core for a large set; `None` when `cancel` was set meanwhile.
    pub fn run(&self, cancel: &AtomicBool) -> Option<Ranked> {
        self.query.rank_first(&self.titles, &self.within, self.filter, &self.marks, cancel)
    }
}

#[cfg(test)]
mod tests;
