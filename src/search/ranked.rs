//! `Ranked`: a search's results, best first, and the ways rankings are sorted, refined and merged.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

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
    pub(super) fn sorted(hits: Vec<(u32, u32)>) -> Self {
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
    /// equal scores. A large merge is cut in two at a score, and each half merged on a thread of its own:
    /// a million results merged on one thread took 4-5 ms of a key's 40-50 at a million papers.
    pub fn merge(self, later: Ranked) -> Ranked {
        if later.order.is_empty() {
            return self;
        }
        if self.order.is_empty() {
            return later;
        }
        let mut matched = self.matched;
        matched.extend(later.matched);
        let len = self.order.len() + later.order.len();
        let (mut order, mut scores) = (vec![0; len], vec![0; len]);
        let (a, b) = (Side::of(&self.order, &self.scores), Side::of(&later.order, &later.scores));
        if len < MERGE_APART_FROM {
            merge_into(a, b, &mut order, &mut scores);
            return Ranked { order, scores, matched };
        }
        // Every paper of `a` scored at least `pivot`, and of `b` above it, comes before the others: `a`'s
        // papers come first among equal scores.
        let pivot = self.scores[self.scores.len() / 2];
        let (a_head, a_tail) = a.split(self.scores.partition_point(|&s| s >= pivot));
        let (b_head, b_tail) = b.split(later.scores.partition_point(|&s| s > pivot));
        let head = a_head.0.len() + b_head.0.len();
        let (order_head, order_tail) = order.split_at_mut(head);
        let (scores_head, scores_tail) = scores.split_at_mut(head);
        let apart = std::thread::scope(|scope| {
            let spawned = std::thread::Builder::new()
                .name("merge".into())
                .spawn_scoped(scope, || merge_into(a_head, b_head, &mut *order_head, &mut *scores_head));
            merge_into(a_tail, b_tail, order_tail, scores_tail);
            spawned.map(|thread| thread.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).is_ok()
        });
        if !apart {
            // No thread to be had: the first half here too.
            merge_into(a_head, b_head, order_head, scores_head);
        }
        Ranked { order, scores, matched }
    }
}

/// Merges larger than this are cut in two (see `Ranked::merge`); below it a thread costs more than it saves.
const MERGE_APART_FROM: usize = 100_000;

/// One ranking's papers and keys, or a run of them.
#[derive(Clone, Copy)]
struct Side<'a>(&'a [u32], &'a [u32]);

impl<'a> Side<'a> {
    fn of(order: &'a [u32], scores: &'a [u32]) -> Self {
        Side(order, scores)
    }

    fn split(self, at: usize) -> (Side<'a>, Side<'a>) {
        let ((o1, o2), (s1, s2)) = (self.0.split_at(at), self.1.split_at(at));
        (Side(o1, s1), Side(o2, s2))
    }
}

/// Merges `a` and `b` (each best first) into `order` and `scores`, as long as both together, `a`'s
/// papers first among equal keys.
fn merge_into(a: Side, b: Side, order: &mut [u32], scores: &mut [u32]) {
    let (mut i, mut j) = (0, 0);
    for (o, s) in order.iter_mut().zip(scores.iter_mut()) {
        let from_a = match (a.1.get(i), b.1.get(j)) {
            (Some(x), Some(y)) => x >= y,
            (Some(_), None) => true,
            _ => false,
        };
        let (side, k) = if from_a { (a, &mut i) } else { (b, &mut j) };
        (*o, *s) = (side.0[*k], side.1[*k]);
        *k += 1;
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

/// How many rough papers' exact keys `Ranked::refine` asks for at a time.
pub(super) const REFINED: usize = 16;

/// How many papers `Ranked::refine` looks up in the list of rough ones before it makes a bit of each
/// (fewer in tests, whose libraries are small, so that both ways are taken).
const BITS_AFTER: usize = if cfg!(test) { 64 } else { 4096 };

impl Ranked {
    /// Makes the first `top` results exact where some keys were bounds (`rough`, library indices,
    /// ascending): walking down from the best, each rough key is replaced by the exact one until `top`
    /// exact keys are above every bound left, then the papers walked are put in their place. A key's
    /// bound is never below it, so no paper left rough belongs among the first `top`. `exact` pushes the
    /// exact keys of up to `REFINED` papers at a time (the rough ones among the next few of the walk, a
    /// few maybe past where it stops), or gives `None` to give up, when the search was cancelled: their titles, far
    /// apart, are then found together, each cache miss waited for with the others'.
    pub(super) fn refine(
        &mut self,
        rough: &[u32],
        top: usize,
        mut exact: impl FnMut(&[u32], &mut Vec<u32>) -> Option<()>,
    ) -> Option<()> {
        // Which papers are rough: looked up in `rough` for the first papers walked, then, for a long
        // walk, a bit each from the first rough one (a binary search of a long list was a cache miss a
        // step; the bits cost a look at every rough paper, more than a short walk's searches).
        let base = rough.first().map_or(0, |&i| i as usize);
        let mut bits: Option<Vec<u64>> = None;
        let mut looked = 0usize;
        let mut rough_at = |i: u32| {
            looked += 1;
            if bits.is_none() && looked > BITS_AFTER {
                let mut made = vec![0u64; rough.last().map_or(0, |&last| last as usize + 1 - base).div_ceil(64)];
                for &r in rough {
                    let at = r as usize - base;
                    made[at / 64] |= 1 << (at % 64);
                }
                bits = Some(made);
            }
            match &bits {
                Some(bits) => {
                    let at = (i as usize).wrapping_sub(base);
                    bits.get(at / 64).is_some_and(|word| word >> (at % 64) & 1 == 1)
                }
                None => rough.binary_search(&i).is_ok(),
            }
        };
        // The best `top` exact keys so far, least first; a key with its paper, the earlier paper first.
        let mut best: BinaryHeap<Reverse<(u32, Reverse<u32>)>> = BinaryHeap::with_capacity(top + 1);
        // The exact keys worked out ahead of the walk, of the rough papers at `ahead` on.
        let (mut batch, mut keys, mut used) = (Vec::with_capacity(REFINED), Vec::with_capacity(REFINED), 0);
        let mut ahead = 0;
        let mut walked = 0;
        while walked < self.order.len() {
            let (i, bound) = (self.order[walked], self.scores[walked]);
            if best.len() >= top && best.peek().is_some_and(|least| least.0 > (bound, Reverse(i))) {
                break;
            }
            if rough_at(i) {
                if used == keys.len() {
                    batch.clear();
                    keys.clear();
                    used = 0;
                    // Only rough papers close ahead: where most keys are exact (a search typed on), the
                    // next rough ones may lie past where the walk stops, or at its far end.
                    ahead = ahead.max(walked);
                    let window = (walked + 4 * REFINED).min(self.order.len());
                    while batch.len() < REFINED && ahead < window {
                        if rough_at(self.order[ahead]) {
                            batch.push(self.order[ahead]);
                        }
                        ahead += 1;
                    }
                    exact(&batch, &mut keys)?;
                }
                let key = keys[used];
                used += 1;
                debug_assert!(key <= bound, "a bound below its key: {key} > {bound}");
                self.scores[walked] = key.min(bound);
            }
            best.push(Reverse((self.scores[walked], Reverse(i))));
            if best.len() > top {
                best.pop();
            }
            walked += 1;
        }
        // The papers walked, in the order of their exact keys, then merged with the rest (whose keys are
        // below the best `top`, though maybe above some walked key that turned out lower).
        let mut head: Vec<(u32, u32)> =
            self.scores[..walked].iter().copied().zip(self.order[..walked].iter().copied()).collect();
        head.sort_unstable_by_key(|&(key, i)| (Reverse(key), i));
        let before = |a: &(u32, u32), b: &(u32, u32)| (Reverse(a.0), a.1) < (Reverse(b.0), b.1);
        // Merged in place, front to back: a place is written only once the paper there is read (the
        // walked ones are in `head`), and once every walked paper is placed, the rest after it are where
        // they were, not copied out and back.
        let (mut w, mut r) = (0, walked);
        let mut head = head.into_iter().peekable();
        while let Some(&x) = head.peek() {
            let next = match self.scores.get(r).zip(self.order.get(r)) {
                Some((&key, &i)) if before(&(key, i), &x) => {
                    r += 1;
                    (key, i)
                }
                _ => {
                    head.next();
                    x
                }
            };
            (self.scores[w], self.order[w]) = next;
            w += 1;
        }
        Some(())
    }
}
