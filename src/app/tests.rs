//! Model tests: what each action does to the selection, the view and the saved marks.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::*;
use crate::action::Action;
use crate::digest::{self, Source};
use crate::search::{Query, Within};
use crate::state::{MarkSet, Store};
use crate::work::{Inline, Workers};

/// Runs the model's commands at once (`Inline`), or on the threads as the reader does (`Workers`).
enum Runner {
    Inline(Inline),
    Threads(Workers),
}

impl Runner {
    fn new(store: Store, threads: bool) -> Self {
        match threads {
            true => Runner::Threads(Workers::start(store, Arc::new(|| {})).unwrap()),
            false => Runner::Inline(Inline::new(store)),
        }
    }

    fn dispatch(&mut self, app: &mut App, msg: impl Into<Msg>) {
        match self {
            Runner::Inline(work) => work.dispatch(app, msg),
            Runner::Threads(work) => work.dispatch(app, msg),
        }
    }

    /// Waits until the threads' answers are all taken in.
    fn settle(&mut self, app: &mut App) -> bool {
        match self {
            Runner::Inline(_) => true,
            Runner::Threads(work) => work.settle(app, Duration::from_secs(30)),
        }
    }
}

struct Fixture {
    app: App,
    work: Runner,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        Self::with(false)
    }

    /// With the searches, saves and exports on threads of their own, as in the reader.
    fn threaded() -> Self {
        Self::with(true)
    }

    fn with(threads: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (store, app) = open(&dir);
        let mut f = Fixture { app, work: Runner::new(store, threads), dir };
        f.viewport(30);
        f
    }

    /// A list of 10 rows, an abstract pane of 10 rows showing a paper `lines` long.
    fn viewport(&mut self, lines: usize) {
        let viewport = Viewport { list_rows: 10, detail_rows: 10, detail_lines: lines, ..Viewport::default() };
        self.work.dispatch(&mut self.app, Msg::Viewport(viewport));
    }

    fn run(&mut self, actions: impl IntoIterator<Item = Action>) {
        for action in actions {
            self.work.dispatch(&mut self.app, action);
        }
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
            self.work.dispatch(&mut self.app, Action::SearchInput(key.into()));
        }
    }

    fn settle(&mut self) -> bool {
        self.work.settle(&mut self.app)
    }

    fn selected_title(&self) -> String {
        self.app.selected_paper().map(|p| p.title().to_string()).unwrap_or_default()
    }

    fn titles(&self) -> Vec<String> {
        self.app.results().iter().map(|&i| self.app.library().get(i as usize).title().to_string()).collect()
    }

    /// The app as it would start again on the same state file.
    fn reopened(&self) -> App {
        open(&self.dir).1
    }

    /// The state file as saved.
    fn saved(&self) -> Store {
        Store::open(&self.dir.path().join("state.json")).0
    }
}

fn open(dir: &tempfile::TempDir) -> (Store, App) {
    let library = Library::from_chunks(digest::load(&Source::BuiltIn).unwrap().chunks);
    let (store, notices) = Store::open(&dir.path().join("state.json"));
    assert!(notices.is_empty());
    let app = App::new(library, &store);
    (store, app)
}

const MAMBA_YOLO: &str = "Mamba YOLO: SSMs-Based YOLO For Object Detection";

#[test]
fn starts_on_the_first_paper_of_the_digest_in_digest_order() {
    let f = Fixture::new();
    assert_eq!(f.app.results().len(), 83);
    assert_eq!(f.app.selected(), 0);
    assert_eq!(f.app.mode(), Mode::List);
    assert_eq!(f.app.unread_count(), 83);
}

#[test]
fn moving_the_cursor_never_marks_a_paper_read() {
    let mut f = Fixture::new();
    f.run([Action::Down, Action::Down, Action::PageDown, Action::Last, Action::First, Action::Select(7)]);
    f.run([Action::NextUnread, Action::Up, Action::ScrollDetail(3)]);
    assert_eq!(f.app.unread_count(), 83);
    assert!(!f.dir.path().join("state.json").exists(), "nothing to save");
}

#[test]
fn navigation_is_clamped_and_pages_by_the_list_height() {
    let mut f = Fixture::new();
    f.run([Action::Up]);
    assert_eq!(f.app.selected(), 0);
    f.run([Action::PageDown]);
    assert_eq!(f.app.selected(), 10);
    f.run([Action::Last, Action::Down]);
    assert_eq!(f.app.selected(), 82);
    f.run([Action::PageUp]);
    assert_eq!(f.app.selected(), 72);
}

#[test]
fn opening_marks_read_and_the_mark_survives_a_restart() {
    let mut f = Fixture::new();
    f.run([Action::Down, Action::Open]);
    assert_eq!(f.app.mode(), Mode::Reading);
    assert_eq!(f.selected_title(), MAMBA_YOLO);
    let app = f.reopened();
    assert!(app.is_read(&app.library().get(1)));
    assert!(!app.is_read(&app.library().get(0)));
}

#[test]
fn star_and_unstar_are_saved_at_once() {
    let mut f = Fixture::new();
    f.run([Action::Down, Action::ToggleStar]);
    assert_eq!(f.reopened().starred_count(), 1);
    assert_eq!(f.app.message().map(|m| m.0.as_str()), Some("Starred"));
    f.run([Action::ToggleStar]);
    assert_eq!(f.reopened().starred_count(), 0);
}

#[test]
fn toggle_read_marks_and_unmarks() {
    let mut f = Fixture::new();
    f.run([Action::ToggleRead]);
    assert_eq!(f.reopened().unread_count(), 82);
    f.run([Action::ToggleRead]);
    assert_eq!(f.reopened().unread_count(), 83);
}

#[test]
fn typing_filters_live_and_enter_selects_the_top_result() {
    let mut f = Fixture::new();
    f.run([Action::Last, Action::FocusSearch]);
    assert_eq!(f.app.mode(), Mode::Search);
    f.typed("mamba");
    let titles = f.titles();
    assert!(titles[..2].contains(&MAMBA_YOLO.to_string()) && titles[..2].contains(&"A Survey of Mamba".to_string()));
    f.run([Action::SubmitSearch]);
    assert_eq!(f.app.mode(), Mode::List);
    assert_eq!(f.app.selected(), 0);
    assert_eq!(f.app.query(), "mamba");
}

#[test]
fn the_cursor_follows_the_best_match_while_the_query_changes() {
    let mut f = Fixture::new();
    f.run([Action::Select(1), Action::FocusSearch]);
    assert_eq!(f.selected_title(), MAMBA_YOLO);
    // Mamba YOLO still matches "mamba", but the best match is the shorter title: the cursor goes there
    // at each keystroke, as in fzf, and the detail pane shows it.
    f.typed("mamba");
    assert_eq!(f.app.selected(), 0);
    assert_eq!(f.selected_title(), "A Survey of Mamba");
    f.run([Action::Down]);
    assert_eq!(f.selected_title(), MAMBA_YOLO);
    f.typed(" ");
    assert_eq!(f.selected_title(), MAMBA_YOLO, "the same query (a space only) keeps the cursor");
    f.typed("s");
    assert_eq!(f.selected_title(), "A Survey of Mamba");
    // Clearing the search keeps the paper selected, back at its place in the digest.
    f.run([Action::Down, Action::ClearSearch]);
    assert_eq!(f.app.results().len(), 83);
    assert_eq!(f.selected_title(), MAMBA_YOLO);
    assert_eq!(f.app.selected(), 1);
}

#[test]
fn the_selection_stays_when_only_a_mark_the_filter_or_the_day_changes() {
    let mut f = Fixture::new();
    f.run([Action::FocusSearch]);
    f.typed("deep");
    f.run([Action::SubmitSearch, Action::Down, Action::Down]);
    let chosen = f.selected_title();
    f.run([Action::ToggleStar]);
    assert_eq!(f.selected_title(), chosen);
    f.run([Action::CycleFilter]);
    assert_eq!(f.app.filter(), Filter::Unread);
    f.run([Action::CycleFilter]);
    assert_eq!(f.app.filter(), Filter::Starred);
    assert_eq!(f.selected_title(), chosen, "still shown, still selected");
    f.run([Action::CycleFilter]);
    assert_eq!(f.selected_title(), chosen);
}

#[test]
fn a_query_with_no_match_empties_the_list_and_esc_brings_it_back() {
    let mut f = Fixture::new();
    f.run([Action::FocusSearch]);
    f.typed("zzzzqqq");
    assert!(f.app.results().is_empty());
    assert!(f.app.selected_paper().is_none());
    f.run([Action::SubmitSearch, Action::Open, Action::ToggleStar, Action::Down]);
    assert_eq!(f.app.mode(), Mode::List);
    f.run([Action::ClearSearch]);
    assert_eq!(f.app.results().len(), 83);
}

#[test]
fn filters_cycle_and_combine_with_the_search() {
    let mut f = Fixture::new();
    f.run([Action::Select(1), Action::ToggleStar, Action::Open, Action::Back]);
    f.run([Action::CycleFilter]);
    assert_eq!(f.app.filter(), Filter::Unread);
    assert_eq!(f.app.results().len(), 82);
    assert!(!f.titles().contains(&MAMBA_YOLO.to_string()));
    f.run([Action::CycleFilter]);
    assert_eq!(f.app.filter(), Filter::Starred);
    assert_eq!(f.titles(), [MAMBA_YOLO]);
    f.run([Action::FocusSearch]);
    f.typed("survey");
    assert!(f.app.results().is_empty(), "the starred filter still applies");
    f.run([Action::ClearSearch, Action::CycleFilter]);
    assert_eq!(f.app.filter(), Filter::All);
    assert_eq!(f.app.results().len(), 83);
}

#[test]
fn a_paper_read_in_the_unread_view_stays_until_the_view_changes() {
    let mut f = Fixture::new();
    f.run([Action::CycleFilter, Action::Open]);
    assert_eq!(f.app.results().len(), 83);
    assert_eq!(f.app.selected(), 0);
    f.run([Action::Back, Action::CycleFilter, Action::CycleFilter, Action::CycleFilter]);
    assert_eq!(f.app.results().len(), 82);
}

#[test]
fn next_unread_skips_read_papers_and_wraps() {
    let mut f = Fixture::new();
    f.run([Action::Select(1), Action::ToggleRead, Action::Select(2), Action::ToggleRead, Action::First]);
    f.run([Action::NextUnread]);
    assert_eq!(f.app.selected(), 3);
    f.run([Action::Last, Action::NextUnread]);
    assert_eq!(f.app.selected(), 0);
    assert_eq!(f.app.unread_count(), 81, "moving to it does not read it");
    // While reading, the next unread paper is opened, and so read.
    f.run([Action::Open, Action::NextUnread]);
    assert_eq!(f.app.selected(), 3);
    assert_eq!(f.app.unread_count(), 79);
}

#[test]
fn next_unread_says_so_when_there_is_none() {
    let mut f = Fixture::new();
    f.run([Action::FocusSearch]);
    f.typed("'survey 'mamba");
    assert_eq!(f.titles(), ["A Survey of Mamba"]);
    f.run([Action::SubmitSearch, Action::ToggleRead, Action::NextUnread]);
    assert_eq!(f.app.message().map(|m| m.0.as_str()), Some("No unread papers in this view"));
}

#[test]
fn the_abstract_scrolls_within_its_length_and_resets_on_a_new_paper() {
    let mut f = Fixture::new();
    f.run([Action::ScrollDetail(5)]);
    assert_eq!(f.app.detail_scroll(), 5);
    f.run([Action::ScrollDetail(100)]);
    assert_eq!(f.app.detail_scroll(), 20, "30 lines in a pane of 10");
    f.run([Action::ScrollDetail(-100)]);
    assert_eq!(f.app.detail_scroll(), 0);
    f.run([Action::DetailBottom, Action::ScrollDetailPage(-1)]);
    assert_eq!(f.app.detail_scroll(), 11);
    f.run([Action::Down]);
    assert_eq!(f.app.detail_scroll(), 0);
}

#[test]
fn help_toggles_and_quit_quits() {
    let mut f = Fixture::new();
    f.run([Action::ToggleHelp]);
    assert!(f.app.show_help());
    f.run([Action::ToggleHelp, Action::Quit]);
    assert!(!f.app.show_help());
    assert!(f.app.should_quit());
}

#[test]
fn quitting_with_unsaved_changes_warns_first() {
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("sub");
    let library = Library::from_chunks(digest::load(&Source::BuiltIn).unwrap().chunks);
    let (store, _) = Store::open(&parent.join("state.json"));
    let mut app = App::new(library, &store);
    let mut work = Inline::new(store);
    std::fs::write(&parent, b"a file where the directory should be").unwrap();
    work.dispatch(&mut app, Action::ToggleStar);
    assert!(app.save_error().is_some());
    assert!(
        app.message().is_some_and(|m| m.0.starts_with("Starred, but not saved: cannot write")),
        "{:?}",
        app.message()
    );
    assert_eq!(app.starred_count(), 1, "the star is kept in memory");
    work.dispatch(&mut app, Action::Quit);
    assert!(!app.should_quit());
    assert!(app.message().is_some_and(|m| m.0.contains("Quit again")), "{:?}", app.message());
    // Once saving works again, the pending star is written on quit.
    std::fs::remove_file(&parent).unwrap();
    work.dispatch(&mut app, Action::Down);
    work.dispatch(&mut app, Action::Quit);
    assert!(app.should_quit());
    assert!(Store::open(&parent.join("state.json")).0.is_starred(&app.library().get(0).key()));
}

#[test]
fn a_second_quit_while_the_first_waits_for_the_disk_quits() {
    let mut f = Fixture::threaded();
    // Another reader holds the lock: the save waits for it (up to two seconds), and the keys do not.
    let lock = std::fs::File::create(f.dir.path().join("state.json.lock")).unwrap();
    lock.lock().unwrap();
    f.run([Action::ToggleStar]);
    assert_eq!(f.app.starred_count(), 1, "the star shows at once");
    assert!(f.app.saving());
    f.run([Action::Quit]);
    assert!(!f.app.should_quit(), "the first q waits for the save");
    f.run([Action::Quit]);
    assert!(f.app.should_quit());
    drop(lock);
    assert!(f.settle());
    assert!(f.saved().is_starred(&f.app.library().get(0).key()));
}

#[test]
fn the_open_paper_never_changes_behind_the_reader() {
    let mut f = Fixture::new();
    // Opened in the unread view, the paper is read; changing the filter drops it, so back to the list.
    f.run([Action::CycleFilter, Action::Open, Action::CycleFilter]);
    assert_eq!(f.app.mode(), Mode::List);
    assert_eq!(f.app.unread_count(), 82, "the paper now selected was not opened");
    // The mouse wheel over the list while reading selects another paper: also back to the list.
    f.run([Action::CycleFilter, Action::CycleFilter, Action::Open]);
    assert_eq!(f.app.unread_count(), 81);
    f.run([Action::Down]);
    assert_eq!(f.app.mode(), Mode::List);
    assert_eq!(f.app.unread_count(), 81);
}

#[test]
fn scrolling_after_a_resize_moves_at_once() {
    let mut f = Fixture::new();
    f.run([Action::DetailBottom]);
    assert_eq!(f.app.detail_scroll(), 20);
    // Wider now: the text is 12 lines long in a pane of 10.
    f.viewport(12);
    f.run([Action::ScrollDetail(-1)]);
    assert_eq!(f.app.detail_scroll(), 1);
}

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
