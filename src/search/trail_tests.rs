use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::*;
use crate::library::Library;
use crate::search::{Kept, Query, Ranked};
use crate::state::{Filter, MarkSet};

/// Titles of words in every case, joined by spaces and punctuation; some longer than a mask, some not
/// ASCII, some with LaTeX: every kind of title a step is made for or asks the matcher about.
fn titles(n: usize) -> Vec<String> {
    let words = [
        "transformer",
        "Transformers",
        "graph",
        "GraphSAGE",
        "neural",
        "deep",
        "learning",
        "a",
        "an",
        "nets",
        "trans-former",
        "x",
        "ab",
        "ABBA",
        "eee",
        "mamba",
        "Mamba2",
        "LLM",
        "n-gram",
        "sparse",
        "attention",
        "über",
        "Schrödinger",
        "学习",
        "$\\alpha$-DPO",
        "x1",
        "1x",
        "tr",
        "rt",
    ];
    let joins = [" ", " ", " ", " ", "-", ": ", "/", "_", ", ", "(", ") ", "."];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    (0..n)
        .map(|_| {
            let count = if next(12) == 0 { 20 + next(20) } else { 1 + next(9) };
            let mut title = String::new();
            for k in 0..count {
                if k > 0 {
                    title.push_str(joins[next(joins.len())]);
                }
                // Words not ASCII, and LaTeX, are rarer.
                let pick = next(words.len() * 4);
                title.push_str(words[if pick < 4 * 21 { pick % 21 } else { pick % words.len() }]);
            }
            title
        })
        .collect()
}

/// Which plan a search of `q` within `within` follows, from `kept`.
fn plan_of(q: &Query, kept: &Kept, titles: &crate::library::Titles, within: &Within) -> &'static str {
    match Plan::new(q.single(), &kept.trail, titles, within, 0) {
        None => "none",
        Some(Plan::Fresh(_)) => "fresh",
        Some(Plan::Grow { .. }) => "grow",
        Some(Plan::Add { .. }) => "add",
    }
}

/// Asserts that `ranked` has the papers `expected` has, the first `EXACT_TOP` in the same order with the
/// same keys: the exact ones.
fn same_first(ranked: &Ranked, expected: &Ranked, query: &str, filter: Filter) {
    assert_eq!(ranked.matched, expected.matched, "{query:?} {filter:?}: other papers matched");
    let top = crate::search::EXACT_TOP.min(expected.order.len());
    let (a, b) = ((&ranked.order[..top], &ranked.scores[..top]), (&expected.order[..top], &expected.scores[..top]));
    if a != b {
        let at = a.0.iter().zip(a.1).zip(b.0.iter().zip(b.1)).position(|(a, b)| a != b);
        panic!("{query:?} {filter:?}: ranked otherwise from place {at:?}");
    }
}

#[test]
fn a_query_typed_on_from_the_trail_ranks_as_from_the_titles() {
    let all = titles(4_000);
    let abstracts = ["on attention", "on graphs", "", "On Attention and graphs"];
    let lib = Library::from_papers(all.iter().enumerate().map(|(k, t)| (t.clone(), abstracts[k % 4])));
    let titles = lib.titles();
    let (never, marks) = (AtomicBool::new(false), MarkSet::default());
    let typed = [
        "transformer",
        "graph neural",
        "a n",
        "deep l",
        "Gr",
        "gRaph",
        "x-y",
        "tr a ns",
        "e e e",
        "n-gram",
        "ab",
        "mamba2",
        "1x",
        "ü",
        "$al",
        "!x gr",
        "'tr an",
        "sparse cat:cs",
        "is:unread gr a",
        "NOT is:starred tr",
        "abstract:att gr a",
        "gr abstract:graphs n",
        "NOT abstract:att tr a",
        "'Attention' abstract:attention e",
        "a OR b",
        "abbaabbaabbaabbaabbaabbaabbaabbaa",
    ];
    let mut plans = HashMap::<&str, usize>::new();
    let mut closely = 0;
    for filter in [Filter::All, Filter::Unread] {
        let mut kept = Kept::default();
        for text in typed {
            // As the reader types: each prefix searched among the last one's matches when it narrows.
            let mut last: Option<(Query, Ranked)> = None;
            for end in text.char_indices().map(|(i, c)| i + c.len_utf8()) {
                let q = Query::new(&text[..end]);
                let within = match &last {
                    Some((earlier, ranked)) if q.narrows(earlier) => {
                        let mut matched = ranked.matched.clone();
                        matched.sort_unstable();
                        Within::List(Arc::new(matched))
                    }
                    _ => Within::From(0),
                };
                *plans.entry(plan_of(&q, &kept, titles, &within)).or_default() += 1;
                let expected = q.rank_first(titles, &within, filter, &marks, &never).unwrap();
                let ranked = q.rank_first_kept(titles, &within, filter, &marks, &never, &mut kept).unwrap();
                same_first(&ranked, &expected, &text[..end], filter);
                // Below the first results, each key is at or above the exact one; a title's step may
                // bound its score more closely than the matcher's first look at it.
                let exact = q.rank(titles, &within, filter, &marks, &never).unwrap();
                let exact: HashMap<u32, u32> = exact.order.iter().copied().zip(exact.scores.iter().copied()).collect();
                for (i, key) in ranked.order.iter().zip(&ranked.scores) {
                    assert!(*key >= exact[i], "{:?}: paper {i} keyed below its score", &text[..end]);
                }
                let first: HashMap<u32, u32> =
                    expected.order.iter().copied().zip(expected.scores.iter().copied()).collect();
                closely += ranked.order.iter().zip(&ranked.scores).filter(|(i, key)| **key < first[*i]).count();
                last = Some((q, ranked));
            }
        }
    }
    // Some titles below the first results were bounded more closely from the trail.
    assert!(closely > 100, "{closely}");
    // Every plan was followed, and most keys typed on were read from a trail.
    assert!(plans["grow"] > 40 && plans["add"] > 4 && plans["fresh"] > 10 && plans["none"] > 4, "{plans:?}");
}

#[test]
fn a_trail_is_followed_only_over_its_own_matches_in_the_same_library() {
    let lib = Library::from_papers(titles(500).into_iter().map(|t| (t, "")));
    let other = Library::from_papers(titles(500).into_iter().map(|t| (t, "")));
    let (never, marks) = (AtomicBool::new(false), MarkSet::default());
    let mut kept = Kept::default();
    let first = Query::new("gr");
    let ranked = first.rank_first_kept(lib.titles(), &Within::From(0), Filter::All, &marks, &never, &mut kept).unwrap();
    let mut matched = ranked.matched.clone();
    matched.sort_unstable();
    let next = Query::new("gra");
    let own = Within::List(Arc::new(matched.clone()));
    assert_eq!(plan_of(&next, &kept, lib.titles(), &own), "grow");
    assert_eq!(plan_of(&Query::new("gr a"), &kept, lib.titles(), &own), "add");
    // Another list, another library, a changed term, another case: from the titles.
    let fewer = Within::List(Arc::new(matched[1..].to_vec()));
    assert_eq!(plan_of(&next, &kept, lib.titles(), &fewer), "fresh");
    assert_eq!(plan_of(&next, &kept, other.titles(), &own), "fresh");
    assert_eq!(plan_of(&next, &kept, lib.titles(), &Within::From(0)), "fresh");
    assert_eq!(plan_of(&Query::new("ga"), &kept, lib.titles(), &own), "fresh");
    assert_eq!(plan_of(&Query::new("gR"), &kept, lib.titles(), &own), "fresh");
    // A search that was cancelled leaves the trail as it was.
    let cancelled = AtomicBool::new(true);
    assert!(next.rank_first_kept(lib.titles(), &own, Filter::All, &marks, &cancelled, &mut kept).is_none());
    assert_eq!(plan_of(&next, &kept, lib.titles(), &own), "grow");
    // A query that is not all plain terms, beside filters, keeps nothing; another filter, a fresh start.
    assert_eq!(plan_of(&Query::new("gr is:unread"), &kept, lib.titles(), &own), "fresh");
    assert_eq!(plan_of(&Query::new("gr @smith"), &kept, lib.titles(), &own), "none");
    Query::new("gr @smith").rank_first_kept(lib.titles(), &own, Filter::All, &marks, &never, &mut kept).unwrap();
    assert_eq!(plan_of(&next, &kept, lib.titles(), &own), "fresh");
    // With filters, the same filters are followed, in the same library; others are not.
    let filtered = Query::new("gr abstract:att");
    let ranked = filtered.rank_first_kept(lib.titles(), &own, Filter::All, &marks, &never, &mut kept).unwrap();
    let mut matched = ranked.matched.clone();
    matched.sort_unstable();
    let own = Within::List(Arc::new(matched));
    assert_eq!(plan_of(&Query::new("gra abstract:att"), &kept, lib.titles(), &own), "grow");
    assert_eq!(plan_of(&Query::new("gr abstract:att a"), &kept, lib.titles(), &own), "add");
    assert_eq!(plan_of(&Query::new("gra abstract:atte"), &kept, lib.titles(), &own), "fresh");
    assert_eq!(plan_of(&Query::new("gra"), &kept, lib.titles(), &own), "fresh");
    let mut grown = Library::from_papers(titles(500).into_iter().map(|t| (t, "")));
    let before = Within::List(Arc::new(Vec::new()));
    Query::new("gr abstract:att")
        .rank_first_kept(grown.titles(), &before, Filter::All, &marks, &never, &mut kept)
        .unwrap();
    let copy = crate::library::Chunk::from_papers(crate::library::Origin::default(), [("A copy", "on attention")]);
    grown.add_chunk(copy);
    assert_eq!(plan_of(&Query::new("gra abstract:att"), &kept, grown.titles(), &before), "fresh");
    assert_eq!(plan_of(&Query::new("gra"), &kept, grown.titles(), &before), "fresh");
}

#[test]
fn titles_without_latex_are_never_asked_of_the_matcher() {
    // Titles without LaTeX, some longer than a mask, some not ASCII (read folded from the letters, some
    // folded to ASCII, some with characters that stand in): every step kept is the trail's own.
    let titles: Vec<String> = titles(3_000).into_iter().filter(|t| !t.contains('$')).collect();
    assert!(titles.iter().any(|t| t.len() > crate::search::title::MASK_BITS));
    assert!(titles.iter().any(|t| t.contains("über") && !t.contains('学')));
    assert!(titles.iter().any(|t| t.contains('学')));
    let lib = Library::from_papers(titles.into_iter().map(|t| (t, "")));
    let (never, marks) = (AtomicBool::new(false), MarkSet::default());
    let mut kept = Kept::default();
    for typed in [&["a", "a ", "a n", "a ne", "a net"][..], &["g", "gr", "gra", "gra d", "gra de"][..]] {
        let mut within = Within::From(0);
        for text in typed {
            let q = Query::new(text);
            let ranked = q.rank_first_kept(lib.titles(), &within, Filter::All, &marks, &never, &mut kept).unwrap();
            assert!(!ranked.order.is_empty(), "{text}");
            assert_eq!(kept.trail.asked(), 0, "{text}");
            assert_eq!(kept.trail.matched.len(), ranked.order.len(), "{text}");
            let mut matched = ranked.matched;
            matched.sort_unstable();
            within = Within::List(Arc::new(matched));
        }
    }
}

#[test]
fn letters_of_another_library_as_long_are_not_read() {
    // Two libraries of as many papers, their titles not ASCII: the letters kept for the first one (by a
    // one-letter query) must not give the second one's titles their folded forms.
    let first = Library::from_papers((0..300).map(|k| (format!("Über {k} graph"), "")));
    let second = Library::from_papers((0..300).map(|k| (format!("Schrödinger {k} tree"), "")));
    let (never, marks) = (AtomicBool::new(false), MarkSet::default());
    let mut kept = Kept::default();
    Query::new("g").rank_first_kept(first.titles(), &Within::From(0), Filter::All, &marks, &never, &mut kept).unwrap();
    for text in ["tr", "schr", "ub"] {
        let q = Query::new(text);
        let expected = q.rank_first(second.titles(), &Within::From(0), Filter::All, &marks, &never).unwrap();
        let ranked =
            q.rank_first_kept(second.titles(), &Within::From(0), Filter::All, &marks, &never, &mut kept).unwrap();
        assert_eq!(ranked, expected, "{text}");
        assert!(!ranked.order.is_empty() || text == "ub", "{text}");
    }
}

#[test]
fn a_term_found_at_its_best_in_many_titles_then_in_few_is_bounded_closely_and_two_letters_exactly() {
    // `gra` at a word's start in the first 3,000 titles, so that the search of `gra` stops bounding
    // closely after its first 1,000; `grap` there in none: close in half of them, its letters far
    // apart in the rest. Each key is at least the exact one, so that the first results are the same.
    let mut all: Vec<String> = (0..1_500).map(|k| format!("gradient descent {k}")).collect();
    all.extend((0..1_500).map(|k| format!("grand apple {k}")));
    // Then 900 with `grap` at a word's start: at the rate they come, the search of `grap` expects its
    // first results, and leaves the titles after them to be bounded closely once it has read them all
    // (it found fewer).
    all.extend((0..900).map(|k| format!("grape {k}")));
    all.extend((0..5_000).map(|k| format!("{} go big tree on a deep lake {k}", ["a", "the"][k % 2])));
    // `ee` at a word's start last: the titles before it bounded closely, and left so past the first
    // results.
    all.extend((0..1_500).map(|k| format!("eel pond {k}")));
    let lib = Library::from_papers(all.iter().map(|t| (t.clone(), "")));
    let titles = lib.titles();
    let (never, marks) = (AtomicBool::new(false), MarkSet::default());
    let mut kept = Kept::default();
    let mut last: Option<(Query, Ranked)> = None;
    // Then `ee`, at a word's start only in the last titles.
    for text in ["g", "gr", "gra", "grap", "graph", "e", "ee"] {
        let q = Query::new(text);
        let within = match last.take() {
            Some((earlier, ranked)) if q.narrows(&earlier) => {
                let mut matched = ranked.matched;
                matched.sort_unstable();
                Within::List(Arc::new(matched))
            }
            _ => Within::From(0),
        };
        let expected = q.rank_first(titles, &within, Filter::All, &marks, &never).unwrap();
        let ranked = q.rank_first_kept(titles, &within, Filter::All, &marks, &never, &mut kept).unwrap();
        same_first(&ranked, &expected, text, Filter::All);
        let exact = q.rank(titles, &within, Filter::All, &marks, &never).unwrap();
        let exact: HashMap<u32, u32> = exact.order.iter().copied().zip(exact.scores.iter().copied()).collect();
        for (i, key) in ranked.order.iter().zip(&ranked.scores) {
            assert!(*key >= exact[i], "{text}: paper {i} keyed below its score");
            // Two letters bounded closely are scored from the places of both (see `ascii::two_score`):
            // every key exact, aligned or not.
            assert!(text != "ee" || *key == exact[i], "{text}: paper {i} keyed {key:x}, not {:x}", exact[i]);
        }
        last = Some((q, ranked));
    }
}

#[test]
fn filters_of_marks_are_followed_on_the_trail_only_while_the_marks_are_the_same() {
    use std::collections::BTreeMap;

    use crate::library::PaperKey;
    use crate::state::{Ledger, Marks};

    let all = titles(3_000);
    let lib = Library::from_papers(all.iter().map(|t| (t.clone(), "")));
    let titles = lib.titles();
    let never = AtomicBool::new(false);
    // Every third paper read, every seventh starred.
    let marks_of = |read: &dyn Fn(usize) -> bool| {
        let papers: BTreeMap<PaperKey, Marks> = (0..all.len())
            .filter(|&k| read(k) || k % 7 == 0)
            .map(|k| {
                let marks = Marks { read: read(k), starred: k % 7 == 0, changed: 1, ..Marks::default() };
                (PaperKey::from_title(&all[k]), marks)
            })
            .collect();
        Arc::new(MarkSet::from_ledger(&Ledger::new(papers)))
    };
    let before = marks_of(&|k| k % 3 == 0);
    let text = "is:unread NOT is:starred graph";
    let mut kept = Kept::default();
    let mut last: Option<(Query, Ranked)> = None;
    let mut marks = Arc::clone(&before);
    let mut grown = 0;
    for end in text.char_indices().map(|(i, c)| i + c.len_utf8()) {
        let q = Query::new(&text[..end]);
        if q.as_str().ends_with("gr") {
            // Marks changed as the query is typed: papers read before are unread now, and others read.
            marks = marks_of(&|k| k % 3 == 1);
        }
        let within = match &last {
            Some((earlier, ranked)) if q.narrows(earlier) => {
                let mut matched = ranked.matched.clone();
                matched.sort_unstable();
                Within::List(Arc::new(matched))
            }
            _ => Within::From(0),
        };
        let plan = Plan::new(q.single(), &kept.trail, titles, &within, marks.stamp());
        if q.as_str().contains("starred g") && matches!(plan, Some(Plan::Grow { .. })) {
            grown += 1;
        }
        // Searched among the last matches even when the marks changed (the reader then searches every
        // paper again): papers kept as unread that are read now are left out all the same.
        let expected = q.rank_first(titles, &within, Filter::All, &marks, &never).unwrap();
        let ranked = q.rank_first_kept(titles, &within, Filter::All, &marks, &never, &mut kept).unwrap();
        same_first(&ranked, &expected, &text[..end], Filter::All);
        last = Some((q, ranked));
    }
    // Typed on with the same marks: `gra`, `grap`, `graph`; not `gr` (the marks changed).
    assert_eq!(grown, 3, "the trail followed while the marks were the same");
    assert_ne!(before.stamp(), marks.stamp());
}

#[test]
fn a_step_keeps_each_of_its_packed_fields_apart_from_the_others() {
    // Every field at values that set its highest and lowest bits, beside fields that do not: a field
    // that spilled into the next, or was cut short, would read back another value.
    for (done, last, whole, after) in [(-3, i16::MAX, 0u8, 0u32), (i16::MAX, -1, 3, 128), (i16::MIN + 1, 0, 2, 127)] {
        let mut step = Step::with_flags(MASKED | FOLDED | DONE_EXACT);
        let found = Found { score: i32::from(done), exact: false, whole: 3 - whole };
        step.set_last(found, 1 << 127 | 5, after);
        step.finish_last();
        step.set_last(Found { score: i32::from(last), exact: true, whole }, u128::MAX, after);
        assert_eq!((step.done_score(), step.done_whole()), (done, 3 - whole), "{done} {last} {whole}");
        assert_eq!((step.last_score(), step.last_whole(), step.after()), (last, whole, after));
        assert_eq!(step.flags(), MASKED | FOLDED | LAST_EXACT, "the done term was not exact");
        assert_eq!(step.ends(), u128::MAX);
        step.set_last_score(-7);
        step.add_flags(CLOSE);
        assert_eq!((step.done_score(), step.last_score(), step.last_whole()), (done, -7, whole));
        assert_eq!(step.flags(), MASKED | FOLDED | LAST_EXACT | CLOSE);
        let (key, exact) = step.key(40);
        assert_eq!(key, pack(i32::from(done) - 7, whole.min(3 - whole), 40));
        assert!(!exact);
    }
}

#[test]
fn a_term_bounded_from_scratch_is_never_bounded_below_its_score() {
    // As `auth` after `aut` is, where the search that kept `aut` had found its first results and kept
    // no close bound to grow from (see `Stepper::look`): every term of two to six characters of the
    // generated titles' words, in each case, against its exact score.
    let terms = ["tr", "rt", "ab", "aba", "gra", "grap", "graph", "tra", "tran", "trans", "Tr", "GS", "ee", "eee"];
    let more = ["nets", "deep", "lea", "learn", "mba", "mamba2", "x1", "1x", "ngram", "sprs", "atten", "bab"];
    let (mut checked, mut closer, mut missed) = (0, 0, 0);
    for title in titles(3_000) {
        let bytes = title.as_bytes();
        for term in terms.iter().chain(&more) {
            let chars: Vec<char> = term.chars().collect();
            let respect_case = chars.iter().any(char::is_ascii_uppercase);
            let pairs: Vec<(u8, u8)> = chars
                .iter()
                .map(|&c| {
                    let b = c as u8;
                    (b, if !respect_case && b.is_ascii_lowercase() { b.to_ascii_uppercase() } else { b })
                })
                .collect();
            let bound = grow::chain_bound(bytes, &pairs);
            if bytes.len() > 128 || !title.is_ascii() {
                assert_eq!(bound, None, "{term:?} in {title:?}: not read as masks");
                continue;
            }
            let exact = crate::search::ascii::Pass::new(&chars, respect_case).and_then(|mut p| p.score_bytes(bytes));
            match (bound, exact) {
                (None, None) => missed += 1,
                (Some(bound), Some((score, _))) => {
                    assert!(bound >= score, "{term:?} in {title:?}: bound {bound} below its score {score}");
                    checked += 1;
                    closer += usize::from(bound < crate::search::fzf::equal_score(chars.len()) - 1);
                }
                other => panic!("{term:?} in {title:?}: {other:?}"),
            }
        }
    }
    assert!(checked > 10_000 && missed > 10_000, "{checked} bounded, {missed} not there");
    // Close: most are bounded below the bound a first look gives, just below the highest score.
    assert!(closer > checked / 2, "{closer} of {checked} bounded closely");
}
