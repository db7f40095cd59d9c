//! A query's ranking of the papers within a view: each part of them scored on a thread of its own, from
//! the titles or from what the search thread keeps, the first results aligned exactly, the parts merged.

use std::sync::atomic::{AtomicBool, Ordering};

use super::job::Aids;
use super::query::{self, Alternative};
use super::scorer::Scorer;
use super::trail::{Looked, Plan, Step, Stepper};
use super::{CHECK_EVERY, PARALLEL_FROM, Query, Ranked, Within, names, ranked, terms};
use crate::library::Titles;
use crate::state::{Filter, MarkSet};

impl Query {
    /// `rank`, exact for the first `top` results (all when `None`); a query of one letter read from
    /// the `letters` of `aids` where they cover `titles`, an `abstract:` filter told by its `pairs`
    /// where they have the paper's chunk; with a `plan`, the titles looked at as it says, and the steps
    /// of the matches (in library order, in a part for each thread, filling `buffers`) given back beside
    /// the ranking, and the papers whose keys were bounds (ascending: see `refine_more`). `None` when
    /// `cancel` was set; the buffers come back either way.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn rank_with(
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
    ) -> (Option<Ranked>, Vec<Vec<Step>>, Vec<u32>) {
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
        let score_part = |from: usize, to: usize, mut steps: Vec<Step>| -> (Option<Ranked>, Vec<Step>, Vec<u32>) {
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
                return (None, steps, rough);
            }
            if let Some(stepper) = &mut stepper
                && stepper.close_late(titles, &mut hits, &mut steps, cancel).is_none()
            {
                return (None, steps, rough);
            }
            let mut ranked = Ranked::sorted(hits);
            if let Some(top) = top.filter(|_| !rough.is_empty())
                && refine(&mut ranked, &rough, top, &mut scorer, (titles, marks), (cancel, CHECK_EVERY)).is_none()
            {
                return (None, steps, rough);
            }
            (Some(ranked), steps, rough)
        };
        let mut buffers = buffers.into_iter();
        let parts: Vec<(Option<Ranked>, Vec<Step>, Vec<u32>)> = if threads > 1 {
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
        // The parts' papers are in library order, one part after the other: so are their rough ones.
        let mut rough = Vec::new();
        for (part, part_steps, part_rough) in parts {
            ranked = ranked.zip(part).map(|(ranked, part)| ranked.merge(part));
            steps.push(part_steps);
            rough.extend(part_rough);
        }
        if cancel.load(Ordering::Relaxed) {
            ranked = None;
        }
        (ranked, steps, rough)
    }

    /// Makes the first `top` results of `ranked` exact, where a search of `titles` with `marks` ranked
    /// them with the papers `rough` keyed by bounds (as `rank_with` leaves them) and fewer of its first
    /// results exact: on one thread, with the abstracts' `pairs` if kept. `None` when `cancel` was set.
    pub(super) fn refine_more(
        &self,
        (titles, marks): (&Titles, &MarkSet),
        pairs: Option<&super::pairs::Pairs>,
        ranked: &mut Ranked,
        rough: &[u32],
        top: usize,
        cancel: &AtomicBool,
    ) -> Option<()> {
        let scored = names::scored(&self.alternatives, titles, rough.len(), 1);
        let mut scorer = Scorer::new(&self.alternatives, &scored, pairs, None);
        // The cancel flag looked at each batch: a key typed meanwhile waits for no more than one.
        refine(ranked, rough, top, &mut scorer, (titles, marks), (cancel, 1))
    }
}

/// `Ranked::refine` of `ranked`, each rough paper's exact key from `scorer` (with the `titles` and
/// `marks` of the search); `None` when `cancel` was set, looked at every `every` papers aligned or so.
fn refine(
    ranked: &mut Ranked,
    rough: &[u32],
    top: usize,
    scorer: &mut Scorer,
    (titles, marks): (&Titles, &MarkSet),
    (cancel, every): (&AtomicBool, usize),
) -> Option<()> {
    let mut aligned = 0usize;
    let exact = |batch: &[u32], keys: &mut Vec<u32>| {
        aligned += batch.len();
        if aligned % every < batch.len() && cancel.load(Ordering::Relaxed) {
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
    ranked.refine(rough, top, exact)
}

#[cfg(test)]
#[path = "rank_tests.rs"]
mod tests;
