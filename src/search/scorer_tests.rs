//! Filters and alternatives in a ranking: what matches, in what order, and what a longer query narrows.

use std::sync::atomic::AtomicBool;

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
    let mut folded = String::new();
    let mut holds = |text: &str, run: &str, case: bool| super::holds(text, run, case, &mut folded);
    assert!(holds("A Naïve Bayes baseline", "naive bayes", false), "the accent folded");
    assert!(holds("Attention is all", "attention", false));
    assert!(!holds("Attention is all", "attention", true), "a capital in the query asks for the case");
    assert!(holds("Attention is all", "Attention", true));
    assert!(holds("Kolmogorov–Arnold networks", "kolmogorov-arnold", false), "the dash folded");
    assert!(!holds("attend to", "attention", false));
    assert!(holds("Überblick über", "uber", false));
}
