//! Model tests of searching: typing on narrows to what a fresh search finds, searches on their thread,
//! and papers that arrive while a search runs or between keystrokes.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::tests::{Fixture, Runner};
use super::*;
use crate::action::Action;
use crate::digest::{self, Source};
use crate::search::{Query, Within};
use crate::state::{MarkSet, Store};

/// Searching only the last query's matches (while typing on) finds exactly what a search of every
/// paper finds, through backspaces, filter changes and marks changed between keystrokes.
#[test]
fn typing_on_narrows_to_the_same_results_as_a_fresh_search() {
    let mut f = Fixture::new();
    let fresh = |f: &Fixture| fresh_results(&f.app, &f.saved());
    f.run([Action::FocusSearch]);
    for c in "mamba yolo".chars() {
        f.typed(&c.to_string());
        assert_eq!(f.app.results(), fresh(&f), "after {:?}", f.app.query());
    }
    let backspace = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Backspace);
    for _ in 0..6 {
        f.run([Action::SearchInput(backspace.into())]);
        assert_eq!(f.app.results(), fresh(&f), "after {:?}", f.app.query());
    }
    // Marks change behind the search, then the unread view, then typing on.
    f.run([Action::SubmitSearch, Action::Open, Action::Back, Action::CycleFilter, Action::FocusSearch]);
    assert_eq!(f.app.results(), fresh(&f));
    f.typed("a");
    assert_eq!(f.app.results(), fresh(&f));
    // In the unread view, the top match is marked read; typing on must drop it, as a fresh search does.
    f.run([Action::SubmitSearch, Action::ToggleRead, Action::FocusSearch]);
    f.typed(" ");
    assert_eq!(f.app.results(), fresh(&f), "after {:?}", f.app.query());
    f.typed(" y");
    assert_eq!(f.app.results(), fresh(&f), "after {:?}", f.app.query());
    // A capital letter switches to exact case.
    f.typed("O");
    assert_eq!(f.app.results(), fresh(&f), "after {:?}", f.app.query());
}

/// What a search of every paper, from scratch, gives for the app's query and filter: checked one paper at
/// a time against the saved marks, not through the search's own filtering.
fn fresh_results(app: &App, store: &Store) -> Vec<u32> {
    let library = app.library();
    let shown: Vec<u32> = (0..library.len() as u32)
        .filter(|&i| {
            let key = library.get(i as usize).key();
            match app.filter() {
                Filter::All => true,
                Filter::Unread => !store.is_read(&key),
                Filter::Starred => store.is_starred(&key),
            }
        })
        .collect();
    let never = AtomicBool::new(false);
    let within = Within::List(Arc::new(shown));
    let marks = MarkSet::default();
    Query::new(app.query()).rank(library.titles(), &within, Filter::All, &marks, &never).unwrap().order
}

#[test]
fn searching_in_the_background_shows_the_same_results_once_done() {
    let mut f = Fixture::threaded();
    f.run([Action::FocusSearch]);
    f.typed("mamba");
    // Nothing waited for the search: the keys are in the bar, and the results may still be coming.
    assert_eq!(f.app.query(), "mamba");
    assert!(f.settle());
    assert!(!f.app.searching());
    assert_eq!(f.app.results(), fresh_results(&f.app, &f.saved()));
    assert_eq!(f.app.results_query(), "mamba");
    f.typed(" zzzz");
    assert!(f.settle());
    assert!(f.app.results().is_empty());
}

/// The first results of a search, made exact further down on the search thread after they were shown,
/// take the place of those shown while those are unchanged, the paper selected staying selected.
#[test]
fn first_results_refined_after_they_are_shown_replace_them_and_keep_the_paper_selected() {
    let mut f = Fixture::new();
    f.run([Action::FocusSearch]);
    f.typed("e");
    let shown = f.app.results().to_vec();
    assert!(shown.len() > 5);
    let (id, scores) = (f.app.next_search, f.app.results.scores.clone());
    f.app.select(1);
    let head =
        Ranked { order: vec![shown[1], shown[0], shown[3], shown[2]], scores: scores[..4].to_vec(), matched: vec![] };
    // Another search's head is not taken, and leaves this one's to come.
    f.work.dispatch(&mut f.app, Msg::Refined { id: id - 1, head: Some(head.clone()) });
    assert_eq!(f.app.results(), shown);
    f.work.dispatch(&mut f.app, Msg::Refined { id, head: Some(head.clone()) });
    assert_eq!(f.app.results()[..4], [shown[1], shown[0], shown[3], shown[2]]);
    assert_eq!(f.app.results()[4..], shown[4..]);
    assert_eq!(f.app.results()[f.app.selected], shown[1], "the paper selected is still selected");
    // Once taken, or once the results changed, a head is not taken.
    let now = f.app.results().to_vec();
    let again = Ranked { order: shown[..4].to_vec(), scores: scores[..4].to_vec(), matched: vec![] };
    f.work.dispatch(&mut f.app, Msg::Refined { id, head: Some(again.clone()) });
    assert_eq!(f.app.results(), now);
    f.typed("x");
    let typed_on = f.app.results().to_vec();
    f.run([Action::CycleSort]);
    let sorted = f.app.results().to_vec();
    assert!(typed_on.len() > 4 && sorted != typed_on, "the sort changed the results");
    let id = f.app.next_search;
    f.work.dispatch(&mut f.app, Msg::Refined { id, head: Some(again) });
    assert_eq!(f.app.results(), sorted, "after {typed_on:?}");
}

/// While the search thread makes the first results exact further down, the reader counts as busy (for
/// those who wait for it to settle), until the refined results come or a newer search replaces it.
#[test]
fn a_search_whose_first_results_are_being_refined_is_waited_for() {
    let mut f = Fixture::new();
    let _ = f.app.update(Msg::Action(Action::FocusSearch));
    let _ = f.app.update(Msg::Action(Action::SearchInput(
        crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('e')).into(),
    )));
    let id = f.app.next_search;
    let ranked = Ranked { order: vec![0, 1], scores: vec![9, 8], matched: vec![0, 1] };
    let _ = f.app.update(Msg::Searched { id, ranked, refining: true });
    assert!(!f.app.searching());
    assert!(f.app.busy());
    let _ = f.app.update(Msg::Refined { id: id - 1, head: None });
    assert!(f.app.busy(), "another search's refining");
    let _ = f.app.update(Msg::Refined { id, head: None });
    assert!(!f.app.busy());
    // A newer search cancels it: nothing more comes of it.
    let ranked = Ranked { order: vec![0, 1], scores: vec![9, 8], matched: vec![0, 1] };
    let _ = f.app.update(Msg::Action(Action::SearchInput(
        crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('x')).into(),
    )));
    let id = f.app.next_search;
    let _ = f.app.update(Msg::Searched { id, ranked, refining: true });
    assert!(f.app.busy());
    let _ = f.app.update(Msg::Action(Action::SearchInput(
        crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('y')).into(),
    )));
    // Its job cancelled the refining: none is waited for, however the new search ends.
    assert_eq!(f.app.refining, None);
    let _ = f.app.update(Msg::Searched { id: f.app.next_search, ranked: Ranked::default(), refining: false });
    assert!(!f.app.busy());
}

#[test]
fn a_search_in_flight_is_shown_as_running_and_the_old_results_stay_until_it_ends() {
    let mut f = Fixture::threaded();
    let before = f.app.results().to_vec();
    f.run([Action::FocusSearch]);
    f.typed("m");
    // The answer cannot have been taken in yet: only `settle` takes answers in.
    assert!(f.app.searching());
    assert_eq!(f.app.results(), before, "the list waits for the results");
    assert_eq!(f.app.results_query(), "");
    assert!(f.settle());
    assert!(!f.app.searching());
    assert_ne!(f.app.results(), before);
}

/// The built-in digest's titles (without abstracts), and a reader with the first `first` of them loaded, its
/// work done on threads when `threads`; its store lives in the directory returned.
fn reader_on_first(first: usize, threads: bool) -> (Fixture, Vec<(String, String)>) {
    let digest = digest::load(&Source::BuiltIn).unwrap();
    let titles: Vec<(String, String)> = digest.papers().map(|p| (p.title().to_string(), String::new())).collect();
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let app = App::new(Library::from_papers(titles[..first].iter().cloned()), &store);
    let mut f = Fixture { app, work: Runner::new(store, threads), dir };
    f.run([Action::FocusSearch]);
    (f, titles)
}

fn more_papers(f: &mut Fixture, papers: &[(String, String)]) {
    let chunk = crate::library::Chunk::from_papers(Default::default(), papers.iter().cloned());
    f.work.dispatch(&mut f.app, Msg::Loaded { chunks: vec![chunk], read: 0 });
}

#[test]
fn papers_that_arrive_while_searching_are_ranked_in() {
    for threads in [false, true] {
        let (mut f, titles) = reader_on_first(30, threads);
        f.typed("ing");
        for part in titles[30..].chunks(20) {
            more_papers(&mut f, part);
        }
        assert!(f.settle());
        assert_eq!(f.app.library().len(), titles.len());
        assert_eq!(f.app.results(), fresh_results(&f.app, &f.saved()), "on threads: {threads}");
        // And with no query, they are all there in order.
        f.run([Action::ClearSearch]);
        assert!(f.settle());
        assert_eq!(f.app.results(), (0..titles.len() as u32).collect::<Vec<_>>());
    }
}

#[test]
fn papers_still_being_ranked_in_show_as_a_search_running() {
    let (mut f, titles) = reader_on_first(30, true);
    f.typed("ing");
    assert!(f.settle());
    assert!(!f.app.searching());
    // The last papers come: until their search is taken, the list is not final, and the bar says so.
    more_papers(&mut f, &titles[30..]);
    assert!(f.app.searching());
    assert!(f.settle());
    assert!(!f.app.searching());
    assert_eq!(f.app.results(), fresh_results(&f.app, &f.saved()));
}

#[test]
fn enter_while_the_last_papers_are_ranked_in_selects_the_best_match_once() {
    let (mut f, titles) = reader_on_first(30, true);
    f.typed("ing");
    assert!(f.settle());
    more_papers(&mut f, &titles[30..]);
    assert!(f.app.searching());
    f.run([Action::SubmitSearch]);
    assert!(f.settle());
    assert_eq!(f.app.selected(), 0, "Enter selects the best match, the papers ranked in with the rest");
    // Only that once: a later search keeps the paper the reader moved to.
    f.run([Action::Down, Action::Down]);
    let chosen = f.app.results()[2];
    f.run([Action::CycleFilter]);
    assert!(f.settle());
    assert_eq!(f.app.results()[f.app.selected()], chosen);
}

#[test]
fn papers_that_arrive_between_keystrokes_are_all_searched() {
    let (mut f, titles) = reader_on_first(10, true);
    // A key, papers, a key, papers...: searches narrow to matches made before some papers came.
    for (c, part) in "ing".chars().zip(titles[10..].chunks(25)) {
        f.typed(&c.to_string());
        more_papers(&mut f, part);
    }
    assert!(f.settle());
    assert_eq!(f.app.library().len(), titles.len());
    assert_eq!(f.app.results(), fresh_results(&f.app, &f.saved()));
}

#[test]
fn enter_while_a_search_runs_selects_its_best_match() {
    // The first paper matches the query, but the last matches it best; the search is still running when
    // Enter comes, as only `settle` takes its answer in.
    let titles = std::iter::once("Alpha beta gamma zz".to_string())
        .chain((0..40_000).map(|n| format!("Filler paper {n}")))
        .chain(std::iter::once("zz".to_string()));
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let app = App::new(Library::from_papers(titles.map(|t| (t, ""))), &store);
    let mut f = Fixture { app, work: Runner::new(store, true), dir };
    f.run([Action::FocusSearch]);
    f.typed("zz");
    assert!(f.app.searching());
    f.run([Action::SubmitSearch]);
    assert!(f.settle());
    assert_eq!(f.app.results().len(), 2);
    assert_eq!(f.app.selected(), 0);
    assert_eq!(f.selected_title(), "zz");
}

#[test]
fn counts_and_marks_taken_in_change_by_change_are_those_made_anew() {
    let mut f = Fixture::new();
    for step in 0..60 {
        let action = if step % 3 == 0 { Action::ToggleRead } else { Action::ToggleStar };
        f.run([action, Action::Down, Action::Down]);
        if step % 7 == 0 {
            f.run([Action::Up, Action::Up, Action::Up]);
        }
        let fresh = f.reopened();
        assert_eq!(
            (f.app.starred_count(), f.app.unread_count()),
            (fresh.starred_count(), fresh.unread_count()),
            "step {step}"
        );
        for i in 0..f.app.library().len() {
            let paper = f.app.library().get(i);
            assert_eq!(f.app.marks_of(&paper), fresh.marks_of(&fresh.library().get(i)), "step {step}, paper {i}");
        }
    }
}

/// A paste is text, never keys: in the list it goes into the search bar as one line, its line break a
/// space, and none of its letters runs a command (`s` would star, `A` ask to mark all read).
#[test]
fn a_paste_goes_into_the_search_bar_as_one_line_and_runs_nothing() {
    let mut f = Fixture::new();
    f.run([Action::Paste("mamba\r\nsA\u{1b}[31m\ty\u{1b}]0;PWNED\u{7} x\u{1b}[2J".into())]);
    f.settle();
    assert_eq!(f.app.mode(), Mode::Search);
    // Escape sequences go whole, not their ESC alone.
    assert_eq!(f.app.query(), "mamba sA y x");
    assert_eq!(f.app.starred_count(), 0);
    assert!(f.app.question().is_none());
    // The search runs on what was pasted; a long paste is cut, and says so.
    f.run([Action::ClearSearch, Action::Paste("mamba".into())]);
    f.settle();
    assert!(f.titles().contains(&"A Survey of Mamba".to_string()), "{:?}", f.titles());
    f.run([Action::ClearSearch, Action::Paste("x".repeat(5_000))]);
    assert_eq!(f.app.query().len(), 1_000);
    assert!(f.app.message().is_some_and(|(text, _)| text.contains("first 1000 characters")));
    // Into the tag prompt when it is open, not the search bar.
    f.run([Action::ClearSearch, Action::Tag, Action::Paste("reading\nlist".into())]);
    assert_eq!(f.app.tag_prompt().map(|p| p.input().lines().join("\n")), Some("reading list".to_string()));
    assert_eq!(f.app.query(), "");
}

/// A paper listed already to which a copy arriving later brings categories, an abstract or authors:
/// the search shown is made again, so that `cat:`, `abstract:` and `@` see what the copy brought (as
/// the detail pane shows it).
#[test]
fn a_copy_that_arrives_later_is_seen_by_the_search_shown() {
    use crate::library::{Chunk, Meta, Origin, Record};
    let record = |categories: &[&str], abstract_text: &str| Record {
        title: "Deep Learning for ECG".into(),
        abstract_text: abstract_text.into(),
        line: 1,
        meta: Meta {
            arxiv_id: Some("2403.09043".into()),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            ..Meta::default()
        },
    };
    let chunk = |record: Record| {
        let mut chunk = Chunk::new(Arc::new(Origin::default()), String::new());
        chunk.push_record(record);
        chunk
    };
    for threads in [false, true] {
        for query in ["cat:eess", "abstract:electrocardiogram"] {
            let dir = tempfile::tempdir().unwrap();
            let (store, _) = Store::open(&dir.path().join("state.json"));
            let library =
                Library::from_chunks([chunk(record(&[], "")), Chunk::from_papers(Origin::default(), [("Other", "")])]);
            let app = App::new(library, &store);
            let mut f = Fixture { app, work: Runner::new(store, threads), dir };
            f.run([Action::FocusSearch]);
            f.typed(query);
            assert!(f.settle());
            assert!(f.app.results().is_empty(), "{query}: {:?}", f.app.results());
            let late = chunk(record(&["cs.LG", "eess.SP"], "Electrocardiograms read by deep networks."));
            f.work.dispatch(&mut f.app, Msg::Arrived(vec![late]));
            assert!(f.settle());
            assert_eq!(f.app.results(), [0], "{query}, on threads: {threads}");
        }
    }
}
