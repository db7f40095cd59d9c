//! What the rows of letters and pairs say against what searching the abstract finds.

use std::sync::atomic::AtomicBool;

use proptest::prelude::*;

use super::*;
use crate::library::Library;
use crate::search::scorer::holds_alone;
use crate::search::{Kept, Query, Within};
use crate::state::{Filter, MarkSet};

/// A library of `abstracts`, in chunks of `per` papers.
fn library(abstracts: &[String], per: usize) -> Library {
    let chunks = abstracts.chunks(per.max(1)).enumerate().map(|(c, part)| {
        let papers = part.iter().enumerate().map(|(k, a)| (format!("Paper {c} {k}"), a.clone()));
        Chunk::from_papers(crate::library::Origin::default(), papers)
    });
    Library::from_chunks(chunks)
}

/// Bytes an abstract is made of: letters in both cases, the letters that fold to two or to a letter of
/// another case (`ß`, the Kelvin sign, `İ`), accents alone and on letters, digits, spaces, punctuation.
const PIECES: [&str; 16] =
    ["a", "t", "T", "e", "n", " ", "-", "4", "ß", "\u{212a}", "İ", "é", "e\u{301}", "ﬁ", "Æ", "漢"];

fn texts(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(&PIECES[..]), 0..max).prop_map(|pieces| pieces.concat())
}

proptest! {
    /// Whatever the rows tell of a paper is what searching its abstract finds; for a run of one or two
    /// letters in either case they tell it always; whether the abstract is ASCII they tell always.
    #[test]
    fn what_the_rows_tell_is_what_the_abstract_holds(
        abstracts in prop::collection::vec(texts(24), 1..90),
        runs in prop::collection::vec(texts(4), 1..8),
        respect_case in any::<bool>(),
    ) {
        let library = library(&abstracts, 64);
        let mut pairs = Pairs::default();
        pairs.update(library.titles(), 2, &AtomicBool::new(false), usize::MAX);
        for run in &runs {
            // The run as the filter keeps it: folded, and in lower case unless it respects case.
            let mut run_folded = String::new();
            fold_into(run, !respect_case, &mut run_folded);
            let wanted = Wanted::new(&run_folded, respect_case);
            let mut at = 0;
            for (i, text) in abstracts.iter().enumerate() {
                prop_assert_eq!(pairs.ascii(i, &mut at), Some(text.is_ascii()), "{:?}", text);
                let holds = holds_alone(text, &run_folded, respect_case);
                match pairs.check(&wanted, i, &mut at) {
                    Some(told) => prop_assert_eq!(told, holds, "{:?} in {:?}", run_folded, text),
                    None => prop_assert!(!wanted.exact, "{:?}: a run of letters the rows did not tell", run_folded),
                }
            }
        }
    }
}

#[test]
fn one_or_two_letters_are_told_by_the_rows_alone_longer_runs_only_when_missing() {
    let abstracts: Vec<String> =
        ["Attention is all", "A STAR", "Straße", "", "\u{212a}elvin"].iter().map(|s| s.to_string()).collect();
    let library = library(&abstracts, 2);
    let mut pairs = Pairs::default();
    pairs.update(library.titles(), 1, &AtomicBool::new(false), usize::MAX);
    let told = |run: &str, respect_case| {
        let wanted = Wanted::new(run, respect_case);
        (0..abstracts.len()).map(|i| pairs.check(&wanted, i, &mut 0)).collect::<Vec<_>>()
    };
    let (yes, no) = (Some(true), Some(false));
    assert_eq!(told("at", false), [yes, no, no, no, no]);
    assert_eq!(told("ss", false), [no, no, yes, no, no]);
    assert_eq!(told("ke", false), [no, no, no, no, yes]);
    assert_eq!(told("a", false), [yes, yes, yes, no, no]);
    // Longer runs, runs that respect case and runs of other bytes are searched where the rows allow.
    assert_eq!(told("att", false), [None, no, no, no, no]);
    assert_eq!(told("St", true), [no, None, None, no, no]);
    assert_eq!(told(" a", false), [None, no, no, no, no]);
}

/// Papers and the ranking of `query` over them, with the rows and without them.
fn both(library: &Library, query: &str, kept: &mut Kept) -> (Vec<u32>, Vec<u32>) {
    let query = Query::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    let (titles, never, marks) = (library.titles(), AtomicBool::new(false), MarkSet::default());
    let with = query.rank_first_kept(titles, &Within::From(0), Filter::All, &marks, &never, kept);
    let without = query.rank_first(titles, &Within::From(0), Filter::All, &marks, &never);
    (with.expect("not cancelled").order, without.expect("not cancelled").order)
}

#[test]
fn a_search_ranks_the_same_with_the_rows_of_every_chunk_some_or_none() {
    let words = ["attention", "state space", "Mamba", "graph", "naïve", "Straße", "diffusion", "att"];
    let abstracts: Vec<String> = (0..3_000)
        .map(|k| (0..1 + k % 5).map(|w| words[(k * 7 + w * 3) % words.len()]).collect::<Vec<_>>().join(" "))
        .collect();
    let whole = library(&abstracts, 100);
    let mut kept = Kept::default();
    for query in [
        "abstract:a",
        "abstract:at",
        "abstract:att",
        "abstract:naive",
        "abstract:Mamba",
        "abstract:ss",
        "abstract:ae",
        "pap abstract:at",
    ] {
        let (with, without) = both(&whole, query, &mut kept);
        assert_eq!(with, without, "{query}");
        assert!(!with.is_empty() || query == "abstract:ae", "{query} matches");
    }
    assert_eq!(kept.pairs.tables.len(), 30, "every chunk read once");
    // Papers added to the library: their chunks are read, the others kept.
    let mut grown = library(&abstracts[..2_000], 100);
    let (with, without) = both(&grown, "abstract:att", &mut kept);
    assert_eq!((with, kept.pairs.tables.len()), (without, 20));
    let first = Arc::as_ptr(grown.titles().chunks().next().expect("chunks").1);
    let more = (0..500).map(|k| (format!("Attempt {k}"), format!("attempt {k}")));
    grown.add_chunk(Chunk::from_papers(crate::library::Origin::default(), more));
    let (with, without) = both(&grown, "abstract:attem", &mut kept);
    assert_eq!((with.len(), kept.pairs.tables.len()), (500, 21));
    assert_eq!(with, without);
    assert_eq!(Arc::as_ptr(grown.titles().chunks().next().expect("chunks").1), first);
    // A search cancelled while the rows are read keeps those read; the next reads on.
    let mut partial = Kept::default();
    partial.pairs.update(whole.titles(), 1, &AtomicBool::new(true), usize::MAX);
    assert!(partial.pairs.tables.is_empty());
    let (with, without) = both(&whole, "abstract:at", &mut partial);
    assert_eq!(with, without);
}

#[test]
fn the_search_thread_reads_the_abstracts_a_batch_at_a_time_until_every_chunk_is_read() {
    let abstracts: Vec<String> = (0..1_000).map(|k| format!("abstract {k}")).collect();
    let lib = library(&abstracts, 10);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut kept = Kept::default();
    let mut calls = 1;
    while !kept.read_pairs(lib.titles()) {
        assert_eq!(kept.pairs.tables.len(), calls * BATCH * threads, "a batch a thread each time");
        calls += 1;
    }
    assert_eq!((calls, kept.pairs.tables.len()), (100usize.div_ceil(BATCH * threads), 100));
    assert!(kept.read_pairs(lib.titles()), "nothing left to read");
}
