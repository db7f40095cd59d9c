use std::sync::atomic::AtomicBool;

use super::*;
use crate::library::{Library, Origin};
use crate::search::{Fields, Query, Within};
use crate::state::{Filter, MarkSet};

/// Titles of a few letters, digits, cases, separators and characters that are not ASCII, some longer
/// than a mask and some with LaTeX, so that each letter is at every kind of place.
fn titles(n: usize) -> Vec<String> {
    let pieces = [
        "a",
        "b",
        "A",
        "B",
        "e",
        "E",
        "ab",
        "bA",
        "x1",
        "1a",
        " ",
        " ",
        " ",
        "-",
        "/",
        ":",
        "(",
        ")",
        ".",
        "_",
        "Ü",
        "é",
        "ß",
        "–",
        "学习",
        "ﬁ",
        "$\\alpha$",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    (0..n)
        .map(|_| {
            let len = if next(10) == 0 { 60 + next(40) } else { next(14) };
            // The LaTeX piece, last, is rare.
            (0..len)
                .map(|_| {
                    let kinds = pieces.len() - usize::from(next(20) != 0);
                    pieces[next(kinds)]
                })
                .collect()
        })
        .collect()
}

#[test]
fn a_row_gives_the_matchers_key_for_every_letter_and_digit() {
    let titles = titles(6_000);
    let lib = Library::from_papers(titles.iter().map(|t| (t.clone(), "")));
    let mut letters = Letters::default();
    letters.update(lib.titles(), 2);
    assert!(letters.covers(lib.titles()));
    let (mut matched, mut asked) = (0, 0);
    for c in ('a'..='z').chain('0'..='9') {
        let s = query_symbol(c, false).unwrap();
        let mut matcher = Query::new(&c.to_string()).matcher();
        for i in 0..lib.len() {
            // Copies of a title are merged: the library's own.
            let title = lib.titles().title(i);
            let expected = matcher.rank_key(title, Fields::default);
            match letters.key(i, s) {
                Some(key) => assert_eq!(key, expected, "{c:?} in {title:?}"),
                None => {
                    assert!(crate::latex::has_markup(title), "{title:?}");
                    asked += 1;
                }
            }
            matched += usize::from(expected.is_some());
        }
    }
    assert!(matched > 20_000 && asked > 0, "{matched} {asked}");
    assert_eq!(query_symbol('A', true), None);
    assert_eq!(query_symbol('é', false), None);
}

#[test]
fn a_kept_ranking_is_the_exact_one_as_the_library_grows_or_changes() {
    let all = titles(3_000);
    let never = AtomicBool::new(false);
    let mut kept = crate::search::Kept::default();
    let abstracts = |k: usize| if k.is_multiple_of(3) { "on attention" } else { "on graphs" };
    let mut lib = Library::from_papers(all[..1_000].iter().enumerate().map(|(k, t)| (t.clone(), abstracts(k))));
    for step in 0..3 {
        if step == 1 {
            let more = all[1_000..2_000].iter().enumerate().map(|(k, t)| (t.clone(), abstracts(k)));
            lib.add_chunk(crate::library::Chunk::from_papers(Origin::default(), more));
        }
        if step == 2 {
            // Another library: nothing kept is of its chunks.
            lib = Library::from_papers(all[2_000..].iter().enumerate().map(|(k, t)| (t.clone(), abstracts(k))));
        }
        let odd: Vec<u32> = (1..lib.len() as u32).step_by(2).collect();
        for text in ["a", "b", "e", "1", "x", "q", "abstract:attention b", "NOT abstract:attention e"] {
            let q = Query::new(text);
            for within in [Within::From(0), Within::From(7), Within::List(Arc::new(odd.clone()))] {
                let (titles, marks) = (lib.titles(), MarkSet::default());
                let exact = q.rank(titles, &within, Filter::All, &marks, &never).unwrap();
                let ranked = q.rank_first_kept(titles, &within, Filter::All, &marks, &never, &mut kept).unwrap();
                assert_eq!(ranked, exact, "{text} {within:?} step {step}");
                assert!(kept.letters.covers(titles));
            }
        }
        // The folded titles kept are this library's, each where its paper is.
        let mut bytes = Vec::new();
        for i in 0..lib.len() {
            let title = lib.titles().title(i);
            let row = row(title, &mut bytes);
            let expected = (!bytes.is_empty()).then(|| (&bytes[..], usize::from(row.len)));
            assert_eq!(kept.letters.folded(i), expected, "{title:?} step {step}");
        }
    }
    assert!(kept.letters.memory() >= lib.len() * 20);
}
