//! Model tests for the full-text index: text search from the search bar, similar papers and the way
//! back, and the index's news.

use crossterm::event::{KeyCode, KeyEvent};

use super::*;
use crate::action::Action;
use crate::digest;
use crate::index::Index;
use crate::state::Store;
use crate::work::Inline;

struct Reader {
    app: App,
    work: Inline,
    _dir: tempfile::TempDir,
}

impl Reader {
    /// The built-in digest, with an index in memory (or none).
    fn new(with_index: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::from_chunks(digest::parse_text("built-in", digest::BUILT_IN).unwrap().chunks);
        let (store, _) = Store::open(&dir.path().join("state.json"));
        let mut reader = Reader { app: App::new(library, &store), work: Inline::new(store), _dir: dir };
        if with_index {
            reader.work.open_index(&mut reader.app, Index::in_memory().unwrap());
        }
        reader
    }

    fn act(&mut self, action: Action) {
        self.work.dispatch(&mut self.app, action);
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.act(Action::SearchInput(KeyEvent::from(KeyCode::Char(c)).into()));
        }
    }

    fn titles(&self) -> Vec<String> {
        self.app.results().iter().map(|&i| self.app.library().get(i as usize).title().to_string()).collect()
    }

    fn selected(&self) -> String {
        self.app.selected_paper().map(|p| p.title().to_string()).unwrap_or_default()
    }
}

const ADSORB: &str = "AdsorbRL: Deep Multi-Objective Reinforcement Learning for Inverse Catalysts Design";

#[test]
fn a_query_starting_with_a_question_mark_searches_the_text() {
    let mut r = Reader::new(true);
    assert_eq!(r.app.indexing(), None, "the index took the library in");
    r.act(Action::FocusSearch);
    r.type_text("?\"clean energy transition\"");
    assert_eq!(r.titles(), [ADSORB]);
    assert_eq!(r.app.text_query().map(|q| q.as_str()), Some("\"clean energy transition\""));
    r.act(Action::SubmitSearch);
    assert_eq!(r.selected(), ADSORB);
    // Esc clears it: back to the whole list, and to title search.
    r.act(Action::FocusSearch);
    r.act(Action::ClearSearch);
    assert_eq!(r.app.results().len(), 83);
    assert_eq!(r.app.text_query(), None);
    r.act(Action::FocusSearch);
    r.type_text("mamba");
    assert_eq!(r.app.results().len(), 5, "a title search again");
}

#[test]
fn m_lists_the_papers_like_the_selected_one_and_esc_goes_back_where_it_was() {
    let mut r = Reader::new(true);
    r.act(Action::FocusSearch);
    r.type_text("?\"clean energy transition\"");
    r.act(Action::SubmitSearch);
    r.act(Action::Open);
    assert_eq!(r.app.mode(), Mode::Reading);
    r.act(Action::Similar);
    assert_eq!(r.app.similar_to().map(|p| p.title().to_string()).as_deref(), Some(ADSORB));
    assert_eq!(r.app.mode(), Mode::List);
    let similar = r.titles();
    assert!(similar.len() > 3 && !similar.contains(&ADSORB.to_string()), "{similar:?}");
    let first = r.app.results()[0];
    assert!(r.app.similarity(first).is_some_and(|s| s > 0.0 && s <= 1.0));
    // Deeper: papers like the first of those; Esc goes back one step at a time.
    r.act(Action::Open);
    r.act(Action::Back);
    r.act(Action::Similar);
    assert_ne!(r.app.similar_to().map(|p| p.title().to_string()).as_deref(), Some(ADSORB));
    r.act(Action::LeaveSimilar);
    assert_eq!(r.titles(), similar);
    r.act(Action::LeaveSimilar);
    assert_eq!(r.app.similar_to().map(|p| p.title().to_string()), None);
    assert_eq!(r.titles(), [ADSORB]);
    assert_eq!(r.app.mode(), Mode::Reading, "back in the paper that was open");
    assert_eq!(r.app.text_query().map(|q| q.as_str()), Some("\"clean energy transition\""));
}

#[test]
fn without_an_index_text_search_and_m_say_why() {
    let mut r = Reader::new(false);
    r.act(Action::FocusSearch);
    r.type_text("?energy");
    assert!(r.app.results().is_empty());
    assert!(r.app.message().is_some_and(|(m, _)| m.contains("No full-text search")), "{:?}", r.app.message());
    r.act(Action::ClearSearch);
    r.act(Action::Similar);
    assert!(r.app.message().is_some_and(|(m, _)| m.contains("full-text")), "{:?}", r.app.message());
    assert_eq!(r.app.results().len(), 83);
}

#[test]
fn a_stale_answer_never_shows_papers_the_library_does_not_have() {
    // The model alone: its commands are not carried out, the answer is made up.
    let mut r = Reader::new(false);
    let _ = r.app.update(Msg::Index(IndexNews::Opened(None)));
    let _ = r.app.update(Action::FocusSearch);
    for c in "?energy".chars() {
        let _ = r.app.update(Action::SearchInput(KeyEvent::from(KeyCode::Char(c)).into()));
    }
    // An answer naming a paper of another digest and one of this library.
    let ours = crate::index::key_of(&r.app.library().get(5));
    let hits = vec![crate::index::Hit { key: 42, score: 3.0 }, crate::index::Hit { key: ours, score: 1.0 }];
    let id = r.app.text.next_id_for_tests();
    let _ = r.app.update(Msg::Index(IndexNews::Found { id, hits }));
    assert_eq!(r.app.results(), [5]);
}

#[test]
fn papers_becoming_searchable_ask_the_text_search_again_but_never_drop_m() {
    let mut r = Reader::new(false);
    let _ = r.app.update(Msg::Index(IndexNews::Opened(None)));
    let _ = r.app.update(Action::FocusSearch);
    for c in "?energy".chars() {
        let _ = r.app.update(Action::SearchInput(KeyEvent::from(KeyCode::Char(c)).into()));
    }
    let id = r.app.text.next_id_for_tests();
    let _ = r.app.update(Msg::Index(IndexNews::Found { id, hits: Vec::new() }));
    // More papers searchable: the same query is asked again.
    let commands = r.app.update(Msg::Index(IndexNews::Progress { taken: 10, sent: 83, searchable: 10 }));
    assert!(matches!(commands.as_slice(), [Command::TextSearch { .. }]), "{commands:?}");
    let id = r.app.text.next_id_for_tests();
    let ours = crate::index::key_of(&r.app.library().get(5));
    let _ = r.app.update(Msg::Index(IndexNews::Found { id, hits: vec![crate::index::Hit { key: ours, score: 1.0 }] }));
    assert_eq!(r.app.results(), [5]);
    // `m` asked for: more papers searchable do not drop it.
    let commands = r.app.update(Action::Similar);
    assert!(matches!(commands.as_slice(), [Command::Similar { .. }]), "{commands:?}");
    let commands = r.app.update(Msg::Index(IndexNews::Progress { taken: 20, sent: 83, searchable: 20 }));
    assert!(commands.is_empty(), "{commands:?}");
    assert!(r.app.text_searching(), "the similar papers are still awaited");
}

#[test]
fn m_answered_with_nothing_before_the_index_has_every_paper_says_it_is_not_done() {
    let mut r = Reader::new(false);
    let asked = |r: &mut Reader| match r.app.update(Action::Similar).as_slice() {
        [Command::Similar { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    let message = |r: &Reader| r.app.message().map(|(m, _)| m.clone()).unwrap_or_default();
    // Not opened yet.
    let id = asked(&mut r);
    let _ = r.app.update(Msg::Index(IndexNews::Similar { id, hits: Vec::new() }));
    assert!(message(&r).contains("yet: the full-text index is opening"), "{}", message(&r));
    // Opened, taking the papers in.
    let _ = r.app.update(Msg::Index(IndexNews::Opened(None)));
    let _ = r.app.update(Msg::Index(IndexNews::Progress { taken: 10, sent: 83, searchable: 10 }));
    let id = asked(&mut r);
    let _ = r.app.update(Msg::Index(IndexNews::Similar { id, hits: Vec::new() }));
    assert!(message(&r).contains("yet: the full-text index has taken 10 of 83 papers"), "{}", message(&r));
    // Every paper taken: nothing found is nothing found.
    let _ = r.app.update(Msg::Index(IndexNews::Progress { taken: 83, sent: 83, searchable: 83 }));
    let id = asked(&mut r);
    let _ = r.app.update(Msg::Index(IndexNews::Similar { id, hits: Vec::new() }));
    assert!(message(&r).ends_with("” found") && !message(&r).contains("yet"), "{}", message(&r));
}

#[test]
fn m_and_copy_on_an_empty_list_say_no_paper_is_selected() {
    let mut r = Reader::new(true);
    r.act(Action::FocusSearch);
    r.type_text("zqxzqx");
    r.act(Action::SubmitSearch);
    assert!(r.app.results().is_empty());
    for action in [Action::Similar, Action::CopyAs] {
        r.app.message = None;
        r.act(action.clone());
        assert_eq!(r.app.message().map(|(m, _)| m.as_str()), Some("No paper selected"), "{action:?}");
    }
}
