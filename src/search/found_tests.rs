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
        kept.found.places.iter().map(|p| super::Spot::unpack(p.load(std::sync::atomic::Ordering::Relaxed)).at).collect()
    };
    assert_eq!(search("abstract:atte", &mut kept), [0, 1, 3]);
    assert_eq!(places(&kept), [0, 11, super::MISSING, 0]);
    assert_eq!(search("abstract:atten", &mut kept), [0, 1, 3]);
    // `atten` was told from the bytes kept after `atte`: the places keep what `atte` found.
    let lens = |kept: &Kept| -> Vec<u8> {
        kept.found
            .places
            .iter()
            .map(|p| super::Spot::unpack(p.load(std::sync::atomic::Ordering::Relaxed)).len)
            .collect()
    };
    assert_eq!(lens(&kept), [4, 4, 0, 4]);
    assert_eq!(search("abstract:attention", &mut kept), [0, 1, 3]);
    assert_eq!(lens(&kept), [9, 9, 0, 9], "searched again: more than three bytes on");
    assert_eq!(places(&kept), [0, 11, super::MISSING, 0]);
    // Another run: the places start again.
    assert_eq!(search("abstract:pat", &mut kept), [1]);
    assert_eq!(places(&kept), [super::MISSING, 2, super::MISSING, super::MISSING]);
}

#[test]
fn a_spot_keeps_up_to_three_bytes_after_a_run_found_as_written() {
    use super::Spot;
    let spot = Spot::found(2, b"a attention", "att", false);
    assert_eq!((spot.at, spot.len, spot.next), (2, 3, *b"ent"));
    for (run, told) in [("att", true), ("atte", true), ("attent", true), ("attenti", false), ("atta", false)] {
        assert_eq!(spot.tells(run.as_bytes()), told, "{run}");
    }
    // In either case, the bytes kept in lower case; respecting it, as written.
    assert!(Spot::found(0, b"ATTENTION", "att", false).tells(b"atten"));
    assert!(Spot::found(0, b"ATTENTION", "ATT", true).tells(b"ATTEN"));
    assert!(!Spot::found(0, b"ATTENTION", "ATT", true).tells(b"ATTen"));
    // Found only in the folded text (the place is 0 then), or at the end, or before a byte that is not
    // ASCII: nothing, or that much, kept.
    assert_eq!(Spot::found(0, "Naïve".as_bytes(), "naive", false).len, 0);
    assert!(!Spot::found(0, "Naïve".as_bytes(), "naive", false).tells(b"naive"));
    assert_eq!(Spot::found(0, b"at", "at", false).next, [0; 3]);
    assert!(Spot::found(0, b"at", "at", false).tells(b"at"));
    assert!(!Spot::found(0, "attè".as_bytes(), "att", false).tells("atte".as_bytes()));
    assert!(Spot::found(0, "atten\u{0}x".as_bytes(), "att", false).tells(b"atten"));
    assert!(!Spot::found(0, "atten\u{0}x".as_bytes(), "att", false).tells(b"atten\x00"));
    // Packed and unpacked as they were.
    for spot in [spot, Spot::MISSING, Spot::found(u32::MAX as usize, b"", "a", false), Spot::found(7, b"x", "a", true)]
    {
        assert_eq!(Spot::unpack(spot.pack()), spot);
    }
    assert_eq!(Spot::unpack(0), Spot::found(0, b"", "", false), "a place made anew: the abstract's start");
}
