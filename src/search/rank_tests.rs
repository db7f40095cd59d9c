//! The ranking of a view's papers: on every core as on one thread, the first results exact, the parts
//! merged, narrowing, filters and cancelling.

use std::sync::atomic::AtomicBool;

use super::super::tests::{built_in, library, rank};
use crate::digest::{BUILT_IN_NAME, parse_text};
use crate::library::{Library, PaperKey};
use crate::search::*;
use crate::state::Store;

#[test]
fn non_matching_papers_are_dropped() {
    let lib = library(&["Mamba YOLO", "Diffusion"]);
    assert_eq!(rank(&lib, "zzz", None), Vec::<u32>::new());
    assert_eq!(rank(&lib, "dfsn", None), [1]);
}

#[test]
fn ranking_on_every_core_gives_what_one_thread_gives() {
    let d = parse_text(BUILT_IN_NAME, crate::digest::BUILT_IN).unwrap();
    let base: Vec<String> = d.papers().map(|p| p.title().to_string()).collect();
    // Enough papers for the threads to start, with many equal scores (the same titles, numbered apart).
    let lib = Library::from_papers(
        (0..PARALLEL_FROM * 2).map(|i| (format!("{} {}", base[i % base.len()], i / base.len()), String::new())),
    );
    for text in ["mamba", "deep learning", "e", "Survey", "zzzz"] {
        let q = Query::new(text);
        let mut matcher = q.matcher();
        let mut one: Vec<(u32, u32)> = (0..lib.len())
            .filter_map(|i| matcher.rank_key(lib.get(i).title(), Fields::default).map(|s| (s, i as u32)))
            .collect();
        one.sort_by_key(|&(s, i)| (std::cmp::Reverse(s), i));
        let one: Vec<u32> = one.into_iter().map(|(_, i)| i).collect();
        assert_eq!(rank(&lib, text, None), one, "{text}");
    }
}

#[test]
fn the_first_results_are_in_exact_order_however_many_match() {
    let d = parse_text(BUILT_IN_NAME, crate::digest::BUILT_IN).unwrap();
    let base: Vec<String> = d.papers().map(|p| p.title().to_string()).collect();
    let lib = Library::from_papers(
        (0..PARALLEL_FROM * 2).map(|i| (format!("{} {}", base[i % base.len()], i / base.len()), String::new())),
    );
    let never = AtomicBool::new(false);
    let mut refined = 0;
    for text in ["mamba", "deep learning", "e", "ing", "les", "tas", "res", "graph neu", "Survey", "a n", "zzzz"] {
        let q = Query::new(text);
        let exact = q.rank(lib.titles(), &Within::From(0), Filter::All, &MarkSet::default(), &never).unwrap();
        let first = q.rank_first(lib.titles(), &Within::From(0), Filter::All, &MarkSet::default(), &never).unwrap();
        let n = EXACT_TOP.min(exact.order.len());
        assert_eq!(first.order[..n], exact.order[..n], "{text}");
        assert_eq!(first.scores[..n], exact.scores[..n], "{text}");
        // The rest are the same papers, and the keys still fall: merging more papers in relies on it.
        let (mut a, mut b) = (first.order.clone(), exact.order.clone());
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "{text}");
        assert!(first.scores.windows(2).all(|w| w[0] >= w[1]), "{text}");
        refined += usize::from(first.scores != exact.scores);
    }
    // Some rankings had bounds below the first results (the test would not test it otherwise).
    assert!(refined > 0);
    // However few are kept exact, they are the exact first ones, on the built-in digest.
    let lib = built_in();
    for text in ["e", "tr", "les", "bert", "res", "lea", "ssm", "ecg", "ing", "deep learn", "graph"] {
        let q = Query::new(text);
        let exact = q.rank(lib.titles(), &Within::From(0), Filter::All, &MarkSet::default(), &never).unwrap();
        for top in [1, 2, 5, 20] {
            let (first, _, _) = q.rank_with(
                lib.titles(),
                &Within::From(0),
                Filter::All,
                &MarkSet::default(),
                &never,
                Some(top),
                super::Aids::default(),
                None,
                Vec::new(),
            );
            let first = first.unwrap();
            let n = top.min(exact.order.len());
            assert_eq!(first.order[..n], exact.order[..n], "{text} {top}");
            assert!(first.scores.windows(2).all(|w| w[0] >= w[1]), "{text} {top}");
        }
    }
}

#[test]
fn results_shown_with_their_first_exact_then_refined_are_the_first_results_ranked_at_once() {
    let d = parse_text(BUILT_IN_NAME, crate::digest::BUILT_IN).unwrap();
    let base: Vec<String> = d.papers().map(|p| p.title().to_string()).collect();
    let lib = Library::from_papers(
        (0..PARALLEL_FROM * 2).map(|i| (format!("{} {}", base[i % base.len()], i / base.len()), String::new())),
    );
    let (never, marks) = (AtomicBool::new(false), MarkSet::default());
    let mut refined = 0;
    for text in ["mamba", "e", "ing", "les", "tas", "res", "graph neu", "a n", "Survey", "zzzz"] {
        let q = Query::new(text);
        let first = q.rank_first(lib.titles(), &Within::From(0), Filter::All, &marks, &never).unwrap();
        let mut kept = Kept::default();
        let shown = q.rank_shown_kept(lib.titles(), &Within::From(0), Filter::All, &marks, &never, &mut kept).unwrap();
        let n = EXACT_SHOWN.min(first.order.len());
        assert_eq!(shown.order[..n], first.order[..n], "{text}: the first shown");
        assert_eq!(shown.matched, first.matched, "{text}");
        let top = EXACT_TOP.min(first.order.len());
        let Some(head) = kept.unrefined(&shown) else {
            // Nothing was left to refine: the first results are exact already.
            assert_eq!(shown.order[..top], first.order[..top], "{text}");
            continue;
        };
        let head = q.refine_kept(lib.titles(), &marks, &never, &kept, head).expect("refined");
        assert_eq!(head.order[..top], first.order[..top], "{text}: the first refined");
        assert_eq!(head.scores[..top], first.scores[..top], "{text}");
        // The head holds the papers shown first, in another order, its keys still falling.
        let (mut a, mut b) = (head.order.clone(), shown.order[..head.order.len()].to_vec());
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "{text}");
        assert!(head.scores.windows(2).all(|w| w[0] >= w[1]), "{text}");
        refined += usize::from(shown.order[..top] != first.order[..top]);
    }
    // Some rankings were shown with bounds among their first thousand (the test would not test it
    // otherwise).
    assert!(refined > 0);
}

#[test]
fn a_large_merge_cut_in_two_is_the_merge_made_one_by_one() {
    // Keys from a few values, as scores are, so that ties cross the cut; sizes past the one that cuts.
    let ranking = |n: u32, from: u32, seed: u32| {
        let mut hits: Vec<(u32, u32)> =
            (0..n).map(|k| ((k.wrapping_mul(2_654_435_761) ^ seed) % 7 * 1000 + k % 3, from + k)).collect();
        hits.sort_by_key(|&(key, i)| (std::cmp::Reverse(key), i));
        Ranked {
            order: hits.iter().map(|h| h.1).collect(),
            scores: hits.iter().map(|h| h.0).collect(),
            matched: (from..from + n).collect(),
        }
    };
    for (n, m) in [(90_000, 80_000), (150_000, 3), (5, 200_000), (60_000, 60_000)] {
        let (a, b) = (ranking(n, 0, 1), ranking(m, n, 2));
        let mut expected: Vec<(u32, u32)> = a
            .scores
            .iter()
            .copied()
            .zip(a.order.iter().copied())
            .chain(b.scores.iter().copied().zip(b.order.iter().copied()))
            .collect();
        // Stable: `a`'s papers (the earlier ones) stay first among equal keys.
        expected.sort_by_key(|&(key, _)| std::cmp::Reverse(key));
        let merged = a.merge(b);
        assert_eq!(merged.scores, expected.iter().map(|e| e.0).collect::<Vec<_>>(), "{n} {m}");
        assert_eq!(merged.order, expected.iter().map(|e| e.1).collect::<Vec<_>>(), "{n} {m}");
        assert_eq!(merged.matched, (0..n + m).collect::<Vec<_>>(), "{n} {m}");
    }
}

#[test]
fn refining_makes_the_first_results_exact_and_keeps_the_rest_in_order() {
    // Exact keys from a few values (ties), each paper's bound at or above its key, some far above (a
    // title whose first look is loose), some equal; a third of the papers exact from the start.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n) as u32
    };
    for round in 0..40 {
        let n = [50, 300, 2_000, 9_000][round % 4];
        let exact: Vec<u32> = (0..n).map(|_| next(12) * 100 + next(3)).collect();
        let bound: Vec<u32> = exact
            .iter()
            .map(|&key| match next(6) {
                0 | 1 => key,
                2 => key + next(3) * 100,
                _ => key + 2_000 + next(500),
            })
            .collect();
        let rough: Vec<u32> = (0..n).filter(|&i| bound[i as usize] != exact[i as usize] || next(3) > 0).collect();
        let keyed = |range: std::ops::Range<u32>| {
            let key = |i: u32| if rough.binary_search(&i).is_ok() { bound[i as usize] } else { exact[i as usize] };
            Ranked::sorted(range.map(|i| (key(i), i)).collect())
        };
        let exact_of = |batch: &[u32], keys: &mut Vec<u32>| {
            keys.extend(batch.iter().map(|&i| exact[i as usize]));
            Some(())
        };
        let mut expected: Vec<(u32, u32)> = (0..n).map(|i| (exact[i as usize], i)).collect();
        expected.sort_by_key(|&(key, i)| (std::cmp::Reverse(key), i));
        for top in [1, 10, 100, 1_000] {
            let mut ranked = keyed(0..n);
            ranked.refine(&rough, top, exact_of).unwrap();
            let first = top.min(n as usize);
            let got: Vec<(u32, u32)> = ranked.scores.iter().copied().zip(ranked.order.iter().copied()).collect();
            assert_eq!(got[..first], expected[..first], "{n} {top}: the first results");
            // After them every paper once, keys falling (merging more papers in relies on it), each
            // its bound or its exact key, and in library order among equal keys.
            let mut all = ranked.order.clone();
            all.sort_unstable();
            assert_eq!(all, (0..n).collect::<Vec<_>>(), "{n} {top}");
            assert!(got.windows(2).all(|w| w[0].0 > w[1].0 || w[0].0 == w[1].0 && w[0].1 < w[1].1), "{n} {top}");
            for (&key, &i) in ranked.scores.iter().zip(&ranked.order) {
                assert!(key == exact[i as usize] || key == bound[i as usize], "{n} {top}: {i} keyed {key}");
            }
        }
    }
}

#[test]
fn merging_later_papers_keeps_score_order_and_earlier_first_on_ties() {
    let a = Ranked { order: vec![3, 1, 0], scores: vec![9, 5, 5], matched: vec![0, 1, 3] };
    let b = Ranked { order: vec![7, 5, 6], scores: vec![9, 7, 1], matched: vec![5, 6, 7] };
    let merged = a.merge(b);
    assert_eq!(merged.order, [3, 7, 5, 1, 0, 6]);
    assert_eq!(merged.matched, [0, 1, 3, 5, 6, 7]);
    let sorted = Ranked::sorted(vec![(1, 0), (5, 1), (1, 2), (9, 3), (5, 4)]);
    assert_eq!(sorted.order, [3, 1, 4, 0, 2]);
    assert_eq!(sorted.scores, [9, 5, 5, 1, 1]);

    // In library order, for the next search to narrow, as the hits came.
    assert_eq!(sorted.matched, [0, 1, 2, 3, 4]);
    // Both halves of the key: the score, then the tie-break.
    let sorted = Ranked::sorted(vec![(2 << 16 | 1, 0), (3 << 16, 1), (2 << 16 | 7, 2), (2 << 16 | 1, 3)]);
    assert_eq!(sorted.order, [1, 2, 0, 3]);
}

#[test]
fn narrowing_is_only_claimed_where_it_is_safe() {
    let n = |a: &str, b: &str| Query::new(b).narrows(&Query::new(a));
    assert!(n("tra", "tran"));
    assert!(n("deep", "deep l"));
    assert!(!n("tran", "tra"));
    assert!(!n("!foo", "!foob"));
    assert!(!n("foo$", "foo$x"));
    assert!(!n("foo", "fooB"));
    // A term that becomes an identifier matches other papers than the digits did.
    assert!(!n("2406", "2406."));
    assert!(n("2406.", "2406.1"));
    assert!(n("@hin", "@hint"));
    assert!(!n("@hin", "@hin!"));
    // Filters grown as they are typed narrow; negated ones, or a change of case, do not.
    assert!(n("cat:cs.l", "cat:cs.lg"));
    assert!(n("abstract:att", "abstract:atte"));
    assert!(n("abstract:att graph", "abstract:att graph n"));
    assert!(!n("abstract:att", "abstract:attE"));
    assert!(!n("NOT abstract:att", "NOT abstract:atte"));
    assert!(!n("tag:ml", "tag:mlx"));
    assert!(!n("is:un", "is:unread"));
}

#[test]
fn narrowing_finds_what_a_fresh_search_finds() {
    let lib = built_in();
    for text in
        ["transformer", "deep le", "a n", "^sur", "'mamba yolo", "lang model", "abstract:language mod", "cat:cs.lg e"]
    {
        let mut last: Option<(Query, Vec<u32>)> = None;
        for end in text.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let q = Query::new(&text[..end]);
            let fresh = rank(&lib, q.as_str(), None);
            if let Some((prev, mut matched)) = last.take().filter(|(p, _)| q.narrows(p)) {
                matched.sort_unstable();
                assert_eq!(rank(&lib, q.as_str(), Some(matched)), fresh, "{q:?} after {prev:?}");
            }
            last = Some((q, fresh));
        }
    }
}

#[test]
fn filters_use_the_marks() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = Store::open(&dir.path().join("state.json"));
    let lib = library(&["Alpha", "Beta", "Gamma"]);
    store.update(&PaperKey::from_title("beta"), "Beta", |m| m.starred = true).unwrap();
    store.update(&PaperKey::from_title("ALPHA"), "Alpha", |m| m.read = true).unwrap();
    let marks = MarkSet::from_ledger(store.ledger());
    let never = AtomicBool::new(false);
    let run = |filter| Query::new("").rank(lib.titles(), &Within::From(0), filter, &marks, &never).unwrap().order;
    assert_eq!(run(Filter::Starred), [1]);
    assert_eq!(run(Filter::Unread), [1, 2]);
}

#[test]
fn a_cancelled_search_gives_nothing() {
    let lib = built_in();
    let cancelled = AtomicBool::new(true);
    let ranked = Query::new("e").rank(lib.titles(), &Within::From(0), Filter::All, &MarkSet::default(), &cancelled);
    assert!(ranked.is_none());
}
