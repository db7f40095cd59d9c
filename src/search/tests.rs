//! Ranking, highlighting and narrowing.

use super::*;
use crate::digest::{BUILT_IN_NAME, parse_text};
use crate::library::{Library, PaperKey};
use crate::state::Store;

fn built_in() -> Library {
    Library::from_chunks(parse_text(BUILT_IN_NAME, crate::digest::BUILT_IN).unwrap().chunks)
}

fn library(titles: &[&str]) -> Library {
    Library::from_papers(titles.iter().map(|t| (t.to_string(), String::new())))
}

/// Ranks every paper of `lib` (or those in `list`) with no filter.
fn rank(lib: &Library, query: &str, list: Option<Vec<u32>>) -> Vec<u32> {
    let within = list.map_or(Within::From(0), |l| Within::List(Arc::new(l)));
    let never = AtomicBool::new(false);
    Query::new(query).rank(lib.titles(), &within, Filter::All, &MarkSet::default(), &never).unwrap().order
}

fn titles(lib: &Library, ranked: &[u32]) -> Vec<String> {
    ranked.iter().map(|&i| lib.get(i as usize).title().to_string()).collect()
}

#[test]
fn mamba_ranks_the_two_mamba_papers_first() {
    let lib = built_in();
    let top = titles(&lib, &rank(&lib, "mamba", None)[..2]);
    assert!(top.contains(&"Mamba YOLO: SSMs-Based YOLO For Object Detection".to_string()), "{top:?}");
    assert!(top.contains(&"A Survey of Mamba".to_string()), "{top:?}");
}

#[test]
fn empty_query_keeps_digest_order() {
    let lib = built_in();
    assert_eq!(rank(&lib, "", None), (0..lib.len() as u32).collect::<Vec<_>>());
    assert_eq!(rank(&lib, "   ", Some(vec![5, 2, 9])), [5, 2, 9]);
}

#[test]
fn ties_keep_digest_order() {
    let lib = library(&["Graph Nets a", "Other", "Graph Nets b", "Graph Nets c"]);
    assert_eq!(rank(&lib, "graph nets", None), [0, 2, 3]);
    assert_eq!(rank(&lib, "graph nets", Some(vec![2, 3])), [2, 3]);
}

#[test]
fn terms_match_in_any_order_and_fzf_syntax_works() {
    let lib = library(&["A Survey of Mamba", "Mamba YOLO", "Surveying Graphs"]);
    assert_eq!(rank(&lib, "mamba survey", None), [0]);
    assert_eq!(rank(&lib, "mamba !yolo", None), [0]);
    assert_eq!(rank(&lib, "^surv", None), [2]);
    assert_eq!(titles(&lib, &rank(&lib, "'yolo", None)), ["Mamba YOLO"]);
}

#[test]
fn smart_case_and_unicode() {
    let lib = library(&["École Normale", "ÜBER Alles", "ecole", "Über"]);
    assert_eq!(rank(&lib, "école", None), [0]);
    let mut uber = rank(&lib, "über", None);
    uber.sort_unstable();
    assert_eq!(uber, [1, 3]);
    // A capital letter makes the search case-sensitive.
    assert_eq!(rank(&lib, "Über", None), [3]);
    assert_eq!(rank(&lib, "ÜBER", None), [1]);
    assert_eq!(rank(&lib, "Ecole", None), Vec::<u32>::new());
}

#[test]
fn positions_are_char_positions_in_the_original_title() {
    let title = "İstanbul Über Mamba";
    let chars: Vec<char> = title.chars().collect();
    let hit: String = Query::new("über").positions(title).iter().map(|&i| chars[i]).collect();
    assert_eq!(hit, "Über");
    let hit: String = Query::new("mamba survey")
        .positions("A Survey of Mamba")
        .iter()
        .map(|&i| "A Survey of Mamba".chars().nth(i).unwrap())
        .collect();
    assert_eq!(hit, "SurveyMamba");
    assert!(Query::new("").positions(title).is_empty());
    assert!(Query::new("zzz").positions(title).is_empty());
}

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
        let mut one: Vec<(u16, u32)> =
            (0..lib.len()).filter_map(|i| matcher.score(lib.get(i).title()).map(|s| (s, i as u32))).collect();
        one.sort_by_key(|&(s, _)| std::cmp::Reverse(s));
        let one: Vec<u32> = one.into_iter().map(|(_, i)| i).collect();
        assert_eq!(rank(&lib, text, None), one, "{text}");
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
}

#[test]
fn narrowing_finds_what_a_fresh_search_finds() {
    let lib = built_in();
    for text in ["transformer", "deep le", "a n", "^sur", "'mamba yolo", "lang model"] {
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
