//! The search thread's part of typing, alone: each prefix from scratch on every core and on one
//! thread, and each query typed as the search thread runs it, with what it keeps.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use papers::library::Library;
use papers::search::{Fields, Kept, Query, Within};
use papers::state::{Filter, MarkSet};

use super::{mb, percentiles};

/// Each prefix of the typed queries ranked over every paper from scratch (no narrowing), on every core as
/// the search thread ranks (the best of three, in milliseconds, and how many matched), and scored on one
/// thread (nanoseconds a title): the search alone, to profile or to compare one change with the next.
pub(super) fn keystrokes(library: &Library, queries: &[&str]) {
    let never = AtomicBool::new(false);
    let mut all = Vec::new();
    for query in queries {
        let mut line = format!("{query:?}:");
        for end in query.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let prefix = &query[..end];
            let q = Query::new(prefix);
            let (mut best, mut matches) = (Duration::MAX, 0);
            for _ in 0..3 {
                let started = Instant::now();
                let ranked = q.rank_first(library.titles(), &Within::From(0), Filter::All, &MarkSet::default(), &never);
                best = best.min(started.elapsed());
                matches = ranked.map_or(0, |r| r.order.len());
            }
            all.push(best);
            // One thread, every title looked at as the reader's search first does: what a title costs.
            let titles: Vec<&str> = library.papers().map(|p| p.title()).collect();
            let mut matcher = q.matcher();
            let one = (0..3)
                .map(|_| {
                    let started = Instant::now();
                    let hits = titles.iter().filter(|t| matcher.first_key(t, Fields::default).is_some()).count();
                    std::hint::black_box(hits);
                    started.elapsed()
                })
                .min()
                .expect("runs");
            let ns = one.as_nanos() as f64 / titles.len() as f64;
            let _ = write!(line, " {:.1} ms ({}k, {ns:.0} ns);", best.as_secs_f64() * 1e3, matches / 1000);
        }
        println!("{line}");
    }
    let (p50, p95, max) = percentiles(&mut all);
    println!("from scratch, best of 3 a keystroke: p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?}");
    // Typed as the search thread runs it: each prefix among the last one's matches, with what it keeps.
    typed(library, queries, 1, &mut Kept::default());
    // A first letter as the search thread ranks it, from what it keeps between searches (`Letters`): the
    // first one reads every title for them.
    let mut kept = Kept::default();
    let mut line = String::from("first letters from what the search thread keeps:");
    for query in queries {
        let Some(first) = query.get(..1) else { continue };
        let q = Query::new(first);
        let mut times = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            let ranked = q.rank_first_kept(
                library.titles(),
                &Within::From(0),
                Filter::All,
                &MarkSet::default(),
                &never,
                &mut kept,
            );
            std::hint::black_box(ranked);
            times.push(started.elapsed().as_secs_f64() * 1e3);
        }
        let _ = write!(line, " {first:?} {:.1} then {:.1}, {:.1} ms;", times[0], times[1], times[2]);
    }
    println!("{} ({:.1} MB kept)", line.trim_end_matches(';'), mb(kept.memory()));
}

/// Each query typed `reps` times as the search thread runs it: each prefix among the last one's matches,
/// with what it keeps in `kept`, the first results exact as the reader first shows them (see
/// `Query::rank_shown_kept`), a line a query, then the percentiles of every key.
pub(super) fn typed(library: &Library, queries: &[&str], reps: usize, kept: &mut Kept) {
    let never = AtomicBool::new(false);
    let mut typed = Vec::new();
    for query in (0..reps).flat_map(|_| queries) {
        let mut line = format!("typed, kept {query:?}:");
        let mut last: Option<(Query, Vec<u32>)> = None;
        for end in query.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let q = Query::new(&query[..end]);
            let within = match last.take() {
                Some((earlier, matched)) if q.narrows(&earlier) => Within::List(Arc::new(matched)),
                _ => Within::From(0),
            };
            let started = Instant::now();
            let ranked = q
                .rank_shown_kept(library.titles(), &within, Filter::All, &MarkSet::default(), &never, kept)
                .expect("not cancelled");
            typed.push(started.elapsed());
            let _ = write!(line, " {:.1} ({}k)", started.elapsed().as_secs_f64() * 1e3, ranked.matched.len() / 1000);
            last = Some((q, ranked.matched));
        }
        println!("{line} ms (thousands matched)");
    }
    let (p50, p95, max) = percentiles(&mut typed);
    println!("typed, kept: p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?} ({:.1} MB kept)", mb(kept.memory()));
}
