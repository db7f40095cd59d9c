//! Runs typed on, looked for from where the shorter ones were found: the same papers as searching each
//! abstract whole.

use std::sync::atomic::AtomicBool;

use proptest::prelude::*;

use crate::library::{Chunk, Library, Origin};
use crate::search::{Kept, Query, Within};
use crate::state::{Filter, MarkSet};

/// Abstracts of pieces that make runs held in many places, partly, in both cases, and folded.
const PIECES: [&str; 12] = ["att", "atte", "ATTEN", "attention", "tt", "a", " ", "é", "ß", "ss", "Pattern", "n"];

/// The runs typed: the prefixes of `words`, each word after the last one, or after a title term,
/// a capital, or nothing.
fn typed(words: &[(String, u8)]) -> Vec<String> {
    let mut queries = Vec::new();
    for (word, how) in words {
        let before = match how % 4 {
            0 => "paper ",
            1 => "NOT cat:x ",
            _ => "",
        };
        for end in 1..=word.len() {
            queries.push(format!("{before}abstract:{}", &word[..end]));
        }
        if how % 5 == 0 {
            // A capital typed on: the run then respects case.
            queries.push(format!("{before}abstract:{word}N"));
        }
    }
    queries
}

fn library(abstracts: &[String]) -> Library {
    let chunks = abstracts.chunks(40).map(|part| {
        let papers = part.iter().enumerate().map(|(k, a)| (format!("Paper {k}"), a.clone()));
        Chunk::from_papers(Origin::default(), papers)
    });
    Library::from_chunks(chunks)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Each query typed on, from the last one's matches as the reader searches them, or from every
    /// paper: the papers and order of a search that reads each abstract whole.
    #[test]
    fn runs_typed_on_find_what_each_abstract_searched_whole_holds(
        abstracts in prop::collection::vec(
            prop::collection::vec(prop::sample::select(&PIECES[..]), 0..12).prop_map(|p| p.concat()),
            1..160,
        ),
        words in prop::collection::vec(("(att|atten|attention|tten|ss|pat)", any::<u8>()), 1..5),
        narrow in any::<bool>(),
    ) {
        let library = library(&abstracts);
        let (titles, never, marks) = (library.titles(), AtomicBool::new(false), MarkSet::default());
        let mut kept = Kept::default();
        let mut last: Option<(Query, Vec<u32>)> = None;
        for text in typed(&words) {
            let query = Query::new(&text);
            let within = match last.take() {
                Some((earlier, matched)) if narrow && query.narrows(&earlier) => {
                    Within::List(std::sync::Arc::new(matched))
                }
                _ => Within::From(0),
            };
            let ranked = query.rank_first_kept(titles, &within, Filter::All, &marks, &never, &mut kept);
            let whole = query.rank_first(titles, &Within::From(0), Filter::All, &marks, &never);
            let (ranked, whole) = (ranked.expect("not cancelled"), whole.expect("not cancelled"));
            prop_assert_eq!(&ranked.order, &whole.order, "{}", text);
            last = Some((query, ranked.matched));
        }
    }
}

#[test]
fn a_run_typed_on_is_not_looked_for_where_the_shorter_one_was_missing() {
    let abstracts: Vec<String> =
        ["attention here", "a pat then attention", "no such thing", "ATTENTION"].map(String::from).to_vec();
    let library = library(&abstracts);
    let (titles, never, marks) = (library.titles(), AtomicBool::new(false), MarkSet::default());
    let mut kept = Kept::default();
    let search = |text: &str, kept: &mut Kept| {
        let ranked = Query::new(text).rank_first_kept(titles, &Within::From(0), Filter::All, &marks, &never, kept);
        ranked.expect("not cancelled").order
    };
    let places = |kept: &Kept| -> Vec<u32> {
        kept.found.places.iter().map(|p| p.load(std::sync::atomic::Ordering::Relaxed)).collect()
    };
    assert_eq!(search("abstract:atte", &mut kept), [0, 1, 3]);
    assert_eq!(places(&kept), [0, 11, super::MISSING, 0]);
    assert_eq!(search("abstract:atten", &mut kept), [0, 1, 3]);
    assert_eq!(search("abstract:attention", &mut kept), [0, 1, 3]);
    assert_eq!(places(&kept), [0, 11, super::MISSING, 0]);
    // Another run: the places start again.
    assert_eq!(search("abstract:pat", &mut kept), [1]);
    assert_eq!(places(&kept), [super::MISSING, 2, super::MISSING, super::MISSING]);
}
