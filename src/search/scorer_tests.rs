//! Filters and alternatives in a ranking: what matches, in what order, and what a longer query narrows.

use std::sync::atomic::AtomicBool;

use proptest::prelude::*;

use crate::library::{Chunk, Library, Meta, Origin, Record};
use crate::search::{Query, Within};
use crate::state::{Filter, MarkSet};

fn library() -> Library {
    let mut chunk = Chunk::new(std::sync::Arc::new(Origin::default()), String::new());
    for (title, categories, abstract_text) in [
        ("A Survey of Mamba", "cs.LG", "State space models, surveyed."),
        ("Mamba in vision", "cs.CV", "Scanning images."),
        ("Graph survey", "math.CO", "Graphs and their spectra."),
        ("Unrelated paper", "cs.CL", "Nothing here."),
    ] {
        let meta = Meta { categories: categories.split(' ').map(String::from).collect(), ..Meta::default() };
        chunk.push_record(Record { title: title.into(), abstract_text: abstract_text.into(), line: 1, meta });
    }
    Library::from_chunks([chunk])
}

fn ranked<'a>(library: &'a Library, query: &str) -> Vec<&'a str> {
    let query = Query::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    let never = AtomicBool::new(false);
    let ranked = query.rank(library.titles(), &Within::From(0), Filter::All, &MarkSet::default(), &never);
    ranked.unwrap_or_default().order.iter().map(|&i| library.titles().title(i as usize)).collect()
}

#[test]
fn an_alternative_ranks_by_its_best_match_and_filters_only_narrow() {
    let library = library();
    // The exact first look and the full ranking agree on alternatives too.
    assert_eq!(ranked(&library, "mamba | graph"), ["Graph survey", "Mamba in vision", "A Survey of Mamba"]);
    assert_eq!(ranked(&library, "survey cat:cs"), ["A Survey of Mamba"]);
    assert_eq!(ranked(&library, "survey"), ["Graph survey", "A Survey of Mamba"]);
    assert_eq!(ranked(&library, "abstract:spectra OR cat:cs.CV"), ["Mamba in vision", "Graph survey"]);
    assert_eq!(ranked(&library, "cat:cs NOT mamba"), ["Unrelated paper"]);
}

#[test]
fn the_highlights_are_those_of_every_alternative_that_matches() {
    let query = Query::parse("mamba | survey").unwrap();
    assert_eq!(query.positions("A Survey of Mamba"), [2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 16]);
    assert_eq!(query.positions("Graph survey"), [6, 7, 8, 9, 10, 11]);
}

#[test]
fn a_filter_added_narrows_and_an_alternative_never_does() {
    let parse = |q: &str| Query::parse(q).unwrap();
    assert!(parse("graph cat:cs").narrows(&parse("graph")));
    assert!(parse("graph is:unread").narrows(&parse("graph")));
    assert!(parse("graph cat:cs is:read").narrows(&parse("graph cat:cs")));
    // Every category that starts with `cs.cl` starts with `cs`: typing a category on narrows.
    assert!(parse("cat:cs.CL").narrows(&parse("cat:cs")), "a longer start of a category");
    assert!(!parse("cat:cs.CL").narrows(&parse("cat:cs.AI")), "another category");
    assert!(!parse("a OR bc").narrows(&parse("a OR b")));
    assert!(!parse("graph NOT xy").narrows(&parse("graph NOT x")), "a negated word matches more as it grows");
}

#[test]
fn an_abstract_holds_a_run_folded_and_smart_cased() {
    let holds = super::holds_alone;
    assert!(holds("A Naïve Bayes baseline", "naive bayes", false), "the accent folded");
    assert!(holds("Attention is all", "attention", false));
    assert!(!holds("Attention is all", "attention", true), "a capital in the query asks for the case");
    assert!(holds("Attention is all", "Attention", true));
    assert!(holds("Kolmogorov–Arnold networks", "kolmogorov-arnold", false), "the dash folded");
    assert!(!holds("attend to", "attention", false));
    assert!(holds("Überblick über", "uber", false));
    // Abstracts are searched 16 places at a time: a run across two blocks, at the very end, or
    // nowhere; one letter; runs that change from one paper to the next.
    for at in [0, 10, 11, 12, 13, 14, 15, 16, 250, 253, 254, 255, 256, 509, 510, 511, 1_000, 1_995] {
        let mut text = "x".repeat(2_000);
        text.replace_range(at..at + 5, "ATTEN");
        assert!(holds(&text, "atten", false), "at {at}");
        assert!(holds(&text, "a", false), "at {at}");
        assert!(!holds(&text, "attend", false), "at {at}");
        assert!(holds(&text, "xatt", false) == (at > 0), "at {at}");
    }
    assert!(!holds(&"y".repeat(600), "a", false));
}

/// Pieces of an abstract: letters in both cases and others beside them, and characters that fold to
/// letters (`ß`, `ﬁ`, `Æ`, `İ`, the Kelvin sign, an accented letter), to nothing (an accent alone), to
/// a hyphen (a dash), or to themselves (`漢`).
const PIECES: [&str; 17] =
    ["a", "t", "T", "s", "i", "f", " ", "-", "ß", "\u{212a}", "İ", "é", "\u{301}", "ﬁ", "Æ", "–", "漢"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]
    /// An abstract that is not ASCII holds a run where the whole of it, folded, holds it: folding only
    /// what lies near its characters that are not ASCII finds every such place.
    #[test]
    fn a_run_is_held_where_the_abstract_folded_whole_holds_it(
        text in prop::collection::vec(prop::sample::select(&PIECES[..]), 0..40).prop_map(|p| p.concat()),
        run in prop::collection::vec(prop::sample::select(&PIECES[..8]), 1..6).prop_map(|p| p.concat()),
        respect_case in any::<bool>(),
    ) {
        let run = if respect_case { run } else { run.to_lowercase() };
        let mut folded = String::new();
        crate::search::query::fold_into(&text, !respect_case, &mut folded);
        let whole = folded.contains(&run);
        prop_assert_eq!(super::holds_alone(&text, &run, respect_case), whole, "{:?} in {:?}", run, text);
    }
}

#[test]
fn a_run_is_found_sixty_four_places_at_a_time_where_it_is_found_one_at_a_time() {
    // Texts of letters in both cases and the bytes next to them in ASCII (`@` and `` ` `` differ from
    // `A` and `a` by the case bit alone, `[` and `{` from `Z` and `z`), of every length around 16, 64
    // and 128, and runs of them: each found or not as a search one place at a time finds it.
    let alphabet = b"aAtT@`[{zZ -";
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for _ in 0..40_000 {
        let len = next(150);
        let text: Vec<u8> = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
        let m = 2 + next(4);
        let run: Vec<u8> = if len >= m && next(2) == 0 {
            let at = next(len - m + 1);
            text[at..at + m].to_ascii_lowercase()
        } else {
            (0..m).map(|_| alphabet[next(alphabet.len())].to_ascii_lowercase()).collect()
        };
        let (text, run) = (String::from_utf8(text).unwrap(), String::from_utf8(run).unwrap());
        let expected = text.to_ascii_lowercase().find(&run);
        assert_eq!(super::lower_find(text.as_bytes(), &run), expected, "{run:?} in {text:?}");
    }
}

#[test]
fn categories_are_read_from_each_chunks_lists_as_from_each_paper() {
    // Three chunks (a search reads each chunk's lists of categories once), their papers with one to
    // three categories or none; many papers, so that the search runs on every core.
    let names = ["cs.LG", "cs.CL", "CS.AI", "math.CO", "stat.ML", "q-bio.BM"];
    let chunks = (0..3).map(|c| {
        let mut chunk = Chunk::new(std::sync::Arc::new(Origin::default()), String::new());
        for k in 0..12_000 {
            let n = (k * 7 + c) % 4;
            let categories = (0..n).map(|m| names[(k + m * 5 + c) % names.len()].to_string()).collect();
            let meta = Meta { categories, ..Meta::default() };
            let title = format!("paper {c} {k} on learning");
            chunk.push_record(Record { title, abstract_text: String::new(), line: k + 1, meta });
        }
        chunk
    });
    let library = Library::from_chunks(chunks);
    let titles = library.titles();
    let never = AtomicBool::new(false);
    for (query, starts) in [
        ("cat:cs", vec![("cs", true)]),
        ("cat:cs.l learning", vec![("cs.l", true)]),
        ("NOT cat:math", vec![("math", false)]),
        ("cat:cs.CL OR cat:q-bio", vec![("cs.cl", true), ("q-bio", true)]),
        ("cat:physics", vec![("physics", true)]),
    ] {
        let q = Query::parse(query).unwrap();
        let ranked = q.rank(titles, &Within::From(0), Filter::All, &MarkSet::default(), &never).unwrap();
        let has = |i: usize, start: &str| titles.categories(i).iter().any(|c| c.to_lowercase().starts_with(start));
        let expected: Vec<u32> = (0..titles.len())
            .filter(|&i| starts.iter().any(|&(start, want)| has(i, start) == want))
            .map(|i| i as u32)
            .collect();
        assert_eq!(ranked.matched, expected, "{query}");
        assert!(query == "cat:physics" || !expected.is_empty(), "{query}");
    }
}
