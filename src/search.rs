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

mod fold;
mod fzf;
mod matcher;
mod sparse;
mod terms;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::library::Titles;
use crate::state::{Filter, MarkSet};

pub use fold::fold;
pub use matcher::{Fields, Matcher};

/// A search as typed, ready to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    text: String,
    terms: Vec<terms::Term>,
}

impl Query {
    pub fn new(text: &str) -> Self {
        let text = text.trim().to_string();
        let terms = terms::parse(&text);
        Query { text, terms }
    }

    /// True when there is nothing to match: every paper passes, in library order.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
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
        let special = |q: &str| q.contains('!') || q.contains('\\');
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
        let len = within.len(titles);
        let threads =
            if len >= PARALLEL_FROM { std::thread::available_parallelism().map_or(1, usize::from) } else { 1 };
        let part = len.div_ceil(threads.max(1)).max(1);
        // Each part is scored and ranked on its own thread; the parts' rankings are merged after.
        let score_part = |from: usize, to: usize| -> Option<Ranked> {
            let mut matcher = self.matcher();
            let mut hits = Vec::with_capacity(to - from);
            let mut seen = 0usize;
            let mut cancelled = false;
            let mut visit = |i: usize, title: &str| {
                seen += 1;
                if seen.is_multiple_of(CHECK_EVERY) && cancel.load(Ordering::Relaxed) {
                    cancelled = true;
                }
                if cancelled
                    || (filter != Filter::All && !marks.passes(filter, titles.key_hash(i), title, titles.arxiv_id(i)))
                {
                    return;
                }
                let fields = || Fields { authors: titles.authors(i), arxiv_id: titles.arxiv_id(i) };
                if let Some(key) = if self.is_empty() { Some(0) } else { matcher.rank_key(title, fields) } {
                    hits.push((key, i as u32));
                }
            };
            within.for_each(titles, from..to, &mut visit);
            (!cancelled).then(|| Ranked::sorted(hits))
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

/// A ranking: library indices best first, with their rank keys (for merging in more papers later).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranked {
    pub order: Vec<u32>,
    /// Higher first: the match score in the high 16 bits, the tie-break (shorter titles higher) in the low
    /// 16 (see `Matcher::rank_key`).
    pub scores: Vec<u32>,
    /// The same indices in library order, for the next search to narrow: made on the search thread, where
    /// they come in that order, rather than sorted again on the UI thread.
    pub matched: Vec<u32>,
}

impl Ranked {
    /// Sorts hits (in library order) by key, highest first, keeping library order among equal keys: a
    /// counting sort on each half of the key in turn (the tie-break, then the score), each stable, so
    /// linear in the number of hits.
    fn sorted(hits: Vec<(u32, u32)>) -> Self {
        if hits.is_empty() {
            return Ranked::default();
        }
        let matched = hits.iter().map(|h| h.1).collect();
        let by_tie = counting_sort(hits, |key| key & 0xffff);
        let sorted = counting_sort(by_tie, |key| key >> 16);
        let (scores, order) = sorted.into_iter().unzip();
        Ranked { order, scores, matched }
    }

    /// Merges in a ranking of papers that all come after these in the library: by score, these first among
    /// equal scores.
    pub fn merge(self, later: Ranked) -> Ranked {
        if later.order.is_empty() {
            return self;
        }
        if self.order.is_empty() {
            return later;
        }
        let mut matched = self.matched;
        matched.extend(later.matched);
        let mut out = Ranked {
            order: Vec::with_capacity(self.order.len() + later.order.len()),
            scores: Vec::with_capacity(self.order.len() + later.order.len()),
            matched,
        };
        let (mut a, mut b) = (0, 0);
        while a < self.order.len() || b < later.order.len() {
            let take_a = b >= later.order.len() || (a < self.order.len() && self.scores[a] >= later.scores[b]);
            let (order, scores, k) =
                if take_a { (&self.order, &self.scores, &mut a) } else { (&later.order, &later.scores, &mut b) };
            out.order.push(order[*k]);
            out.scores.push(scores[*k]);
            *k += 1;
        }
        out
    }
}

/// Orders `hits` by `part` of their key, highest first, keeping the order they came in among equals.
fn counting_sort(hits: Vec<(u32, u32)>, part: impl Fn(u32) -> u32) -> Vec<(u32, u32)> {
    let (mut low, mut high) = (u32::MAX, 0);
    for &(key, _) in &hits {
        (low, high) = (low.min(part(key)), high.max(part(key)));
    }
    if low >= high {
        return hits;
    }
    // The number of hits above each value, then each value's first slot.
    let mut starts = vec![0usize; (high - low) as usize + 2];
    for &(key, _) in &hits {
        starts[(high - part(key)) as usize + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut out = vec![(0, 0); hits.len()];
    for hit in hits {
        let slot = &mut starts[(high - part(hit.0)) as usize];
        out[*slot] = hit;
        *slot += 1;
    }
    out
}

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
        self.query.rank(&self.titles, &self.within, self.filter, &self.marks, cancel)
    }
}

#[cfg(test)]
mod tests;
