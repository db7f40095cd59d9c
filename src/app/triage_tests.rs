//! Triage in the model: the papers it goes through, its keys, and the marks it makes through `update`.

use super::*;
use crate::action::Action;
use crate::digest::{self, Source};
use crate::state::Store;
use crate::work::Inline;

struct Fixture {
    app: App,
    work: Inline,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (store, app) = open(&dir);
        Fixture { app, work: Inline::new(store), dir }
    }

    fn run(&mut self, actions: impl IntoIterator<Item = Action>) {
        for action in actions {
            self.work.dispatch(&mut self.app, action);
        }
    }

    fn search(&mut self, text: &str) {
        self.run([Action::FocusSearch]);
        for c in text.chars() {
            let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
            self.run([Action::SearchInput(key.into())]);
        }
        self.run([Action::SubmitSearch]);
    }

    fn on_screen(&self) -> Option<u32> {
        self.app.triage().and_then(Triage::current)
    }

    fn title(&self, index: u32) -> String {
        self.app.library().get(index as usize).title().to_string()
    }

    /// (starred, read) of library paper `index` as saved.
    fn saved(&self, index: u32) -> (bool, bool) {
        let app = open(&self.dir).1;
        app.marks_of(&app.library().get(index as usize))
    }
}

fn open(dir: &tempfile::TempDir) -> (Store, App) {
    let library = Library::from_chunks(digest::load(&Source::BuiltIn).unwrap().chunks);
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let app = App::new(library, &store);
    (store, app)
}

#[test]
fn triage_goes_through_the_unread_papers_shown_in_their_order() {
    let mut f = Fixture::new();
    // The second paper is read: triage passes it by.
    f.run([Action::Down, Action::ToggleRead, Action::First, Action::Triage]);
    let triage = f.app.triage().expect("triage started");
    assert_eq!(triage.position(), (1, 82));
    assert_eq!(f.on_screen(), Some(0));
    f.run([Action::TriageSkip]);
    assert_eq!(f.on_screen(), Some(2), "the read paper is not triaged");
    assert_eq!(f.app.triage().unwrap().position(), (2, 82));
    assert_eq!(f.saved(0), (false, false), "a skip marks nothing");
}

#[test]
fn star_and_read_mark_through_the_model_and_go_on_and_back_moves_only() {
    let mut f = Fixture::new();
    f.run([Action::Triage, Action::TriageStar]);
    assert_eq!(f.saved(0), (true, false), "starred and saved, still unread");
    assert_eq!(f.app.message().map(|m| m.0.as_str()), Some("Starred"));
    assert_eq!(f.on_screen(), Some(1));
    f.run([Action::TriageRead]);
    assert_eq!(f.saved(1), (false, true));
    assert_eq!(f.on_screen(), Some(2));
    assert_eq!(f.app.unread_count(), 82);
    // Back one: the read mark stays, and triage says what was done with it.
    f.run([Action::TriageBack]);
    assert_eq!(f.on_screen(), Some(1));
    assert_eq!(f.app.triage().unwrap().verdict(), Some(Verdict::Read));
    assert_eq!(f.saved(1), (false, true));
    // Back past the first stays on the first.
    f.run([Action::TriageBack, Action::TriageBack]);
    assert_eq!(f.on_screen(), Some(0));
    // Starring a starred paper again leaves it starred (no toggle) and counts once.
    f.run([Action::TriageStar]);
    assert_eq!(f.saved(0), (true, false));
    assert_eq!(f.app.triage().unwrap().counts(), (1, 1, 0));
    // The scroll of the abstract starts at the top for each paper.
    let viewport = Viewport { detail_rows: 10, detail_lines: 30, ..Viewport::default() };
    f.work.dispatch(&mut f.app, Msg::Viewport(viewport));
    f.run([Action::ScrollDetail(3)]);
    assert_eq!(f.app.detail_scroll(), 3);
    f.run([Action::TriageSkip]);
    assert_eq!(f.app.detail_scroll(), 0);
    // That was the paper marked read before: skipped now, its mark stays, and so it is counted.
    assert_eq!(f.saved(1), (false, true));
    assert_eq!(f.app.triage().unwrap().counts(), (1, 1, 0));
}

#[test]
fn past_the_last_paper_triage_is_done_with_counts_and_esc_selects_where_it_ended() {
    let mut f = Fixture::new();
    f.search("mamba");
    let shown: Vec<u32> = f.app.results().to_vec();
    assert!(shown.len() >= 3, "{shown:?}");
    f.run([Action::Triage]);
    assert_eq!(f.app.triage().unwrap().position(), (1, shown.len()));
    f.run([Action::TriageStar, Action::TriageRead]);
    for _ in 2..shown.len() {
        f.run([Action::TriageSkip]);
    }
    let triage = f.app.triage().unwrap();
    assert!(triage.done());
    assert_eq!(triage.current(), None);
    assert_eq!(triage.counts(), (1, 1, shown.len() - 2));
    // A key more does nothing past the end.
    f.run([Action::TriageSkip, Action::TriageStar]);
    assert_eq!(f.app.triage().unwrap().counts(), (1, 1, shown.len() - 2));
    f.run([Action::LeaveTriage]);
    assert!(f.app.triage().is_none());
    assert_eq!(f.app.selected(), shown.len() - 1, "the last paper triaged");
    assert_eq!(f.app.query(), "mamba", "the view is as it was");
    assert_eq!(f.app.mode(), Mode::List);
}

#[test]
fn esc_in_the_middle_selects_the_paper_on_screen() {
    let mut f = Fixture::new();
    f.run([Action::Select(5), Action::Triage]);
    assert_eq!(f.on_screen(), Some(0), "triage starts at the top of the view");
    f.run([Action::TriageSkip, Action::TriageSkip, Action::TriageRead]);
    let ended_on = f.on_screen().unwrap();
    f.run([Action::LeaveTriage]);
    assert!(f.app.triage().is_none());
    assert_eq!(f.app.selected_paper().map(|p| p.title().to_string()), Some(f.title(ended_on)));
    assert_eq!(f.app.selected(), 3);
}

#[test]
fn after_triage_the_lists_undo_takes_back_its_marks_one_by_one() {
    let mut f = Fixture::new();
    f.run([Action::Triage, Action::TriageStar, Action::TriageRead, Action::LeaveTriage]);
    assert_eq!((f.saved(0), f.saved(1)), ((true, false), (false, true)));
    f.run([Action::Undo]);
    assert_eq!((f.saved(0), f.saved(1)), ((true, false), (false, false)));
    f.run([Action::Undo]);
    assert_eq!((f.saved(0), f.saved(1)), ((false, false), (false, false)));
}

#[test]
fn with_no_unread_paper_shown_triage_says_so_and_does_not_start() {
    let mut f = Fixture::new();
    f.search("mamba");
    f.run([Action::MarkAllRead, Action::Answer(true), Action::Triage]);
    assert!(f.app.triage().is_none());
    assert_eq!(f.app.message().map(|m| m.0.as_str()), Some("No unread papers shown to triage"));
}
