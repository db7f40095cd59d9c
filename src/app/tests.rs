//! Model tests: what each action does to the selection, the view and the saved marks.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::action::Action;
use crate::digest::{self, Source};
use crate::state::Store;
use crate::work::{Inline, Workers};

/// Runs the model's commands at once (`Inline`), or on the threads as the reader does (`Workers`).
#[allow(clippy::large_enum_variant, reason = "a test's runner, made once a test")]
pub(super) enum Runner {
    Inline(Inline),
    Threads(Workers),
}

impl Runner {
    pub(super) fn new(store: Store, threads: bool) -> Self {
        match threads {
            true => Runner::Threads(Workers::start(store, Arc::new(|| {})).unwrap()),
            false => Runner::Inline(Inline::new(store)),
        }
    }

    pub(super) fn dispatch(&mut self, app: &mut App, msg: impl Into<Msg>) {
        match self {
            Runner::Inline(work) => work.dispatch(app, msg),
            Runner::Threads(work) => work.dispatch(app, msg),
        }
    }

    /// Waits until the threads' answers are all taken in.
    pub(super) fn settle(&mut self, app: &mut App) -> bool {
        match self {
            Runner::Inline(_) => true,
            Runner::Threads(work) => work.settle(app, Duration::from_secs(30)),
        }
    }
}

pub(super) struct Fixture {
    pub(super) app: App,
    pub(super) work: Runner,
    pub(super) dir: tempfile::TempDir,
}

impl Fixture {
    pub(super) fn new() -> Self {
        Self::with(false)
    }

    /// With the searches, saves and exports on threads of their own, as in the reader.
    pub(super) fn threaded() -> Self {
        Self::with(true)
    }

    pub(super) fn with(threads: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (store, app) = open(&dir);
        let mut f = Fixture { app, work: Runner::new(store, threads), dir };
        f.viewport(30);
        f
    }

    /// A list of 10 rows, an abstract pane of 10 rows showing a paper `lines` long.
    pub(super) fn viewport(&mut self, lines: usize) {
        let viewport = Viewport { list_rows: 10, detail_rows: 10, detail_lines: lines, ..Viewport::default() };
        self.work.dispatch(&mut self.app, Msg::Viewport(viewport));
    }

    pub(super) fn run(&mut self, actions: impl IntoIterator<Item = Action>) {
        for action in actions {
            self.work.dispatch(&mut self.app, action);
        }
    }

    pub(super) fn typed(&mut self, text: &str) {
        for c in text.chars() {
            let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
            self.work.dispatch(&mut self.app, Action::SearchInput(key.into()));
        }
    }

    pub(super) fn settle(&mut self) -> bool {
        self.work.settle(&mut self.app)
    }

    pub(super) fn selected_title(&self) -> String {
        self.app.selected_paper().map(|p| p.title().to_string()).unwrap_or_default()
    }

    pub(super) fn titles(&self) -> Vec<String> {
        self.app.results().iter().map(|&i| self.app.library().get(i as usize).title().to_string()).collect()
    }

    /// The app as it would start again on the same state file.
    pub(super) fn reopened(&self) -> App {
        open(&self.dir).1
    }

    /// The state file as saved.
    pub(super) fn saved(&self) -> Store {
        Store::open(&self.dir.path().join("state.json")).0
    }
}

pub(super) fn open(dir: &tempfile::TempDir) -> (Store, App) {
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
fn the_configuration_can_start_the_reader_on_unread_papers_by_title() {
    use crate::config::{StartFilter, StartSort};
    let mut f = Fixture::new();
    // One paper read first: the unread view leaves it out.
    f.run([Action::Open, Action::Back]);
    assert!(f.settle());
    let read = f.selected_title();
    let mut app = f.reopened().starting_with(StartFilter::Unread, StartSort::Title);
    // As the reader starts: its first message runs what the start asked for.
    let mut work = Runner::new(f.saved(), false);
    work.dispatch(&mut app, Msg::Viewport(Viewport { list_rows: 10, detail_rows: 10, ..Viewport::default() }));
    assert!(work.settle(&mut app));
    assert_eq!((app.filter(), app.sort()), (Filter::Unread, Sort::Title));
    let titles: Vec<String> =
        app.results().iter().map(|&i| app.library().get(i as usize).title().to_string()).collect();
    assert_eq!(titles.len(), 82);
    assert!(!titles.contains(&read));
    let mut sorted = titles.clone();
    sorted.sort_by_key(|t| t.to_lowercase());
    assert_eq!(titles[..3], sorted[..3], "in title order");
    assert_eq!(app.selected(), 0, "the first of them selected");
    assert_eq!(app.selected_paper().map(|p| p.title().to_string()).as_ref(), titles.first());
}

/// A library large enough that its title order is made on a thread: the reader started in title order
/// selects the first title once the order comes, not the paper that was first before it.
#[test]
fn started_in_title_order_the_first_title_is_selected_once_the_order_comes() {
    use crate::config::{StartFilter, StartSort};
    // The first paper of the library sorts last by title.
    let library = Library::from_papers((0..60_000).map(|n| (format!("Paper {:05}", 59_999 - n), "")));
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let mut app = App::new(library, &store).starting_with(StartFilter::All, StartSort::Title);
    let mut work = Runner::new(store, false);
    work.dispatch(&mut app, Msg::Viewport(Viewport { list_rows: 10, detail_rows: 10, ..Viewport::default() }));
    assert!(work.settle(&mut app));
    assert_eq!(app.selected(), 0);
    assert_eq!(app.selected_paper().map(|p| p.title().to_string()).as_deref(), Some("Paper 00000"));
}

/// Papers that come while the reader loads, started on unread papers in title order: the first title
/// stays selected, not the paper that was first before they came.
#[test]
fn started_in_title_order_the_first_title_stays_selected_as_papers_load() {
    use crate::config::{StartFilter, StartSort};
    let f = Fixture::new();
    let mut app = f.reopened().starting_with(StartFilter::Unread, StartSort::Title);
    let mut work = Runner::new(f.saved(), false);
    work.dispatch(&mut app, Msg::Viewport(Viewport { list_rows: 10, detail_rows: 10, ..Viewport::default() }));
    assert!(work.settle(&mut app));
    let first = app.selected_paper().map(|p| p.title().to_string());
    let later = crate::digest::parse_text("later.txt", b"00 Aardvarks All the Way Down\n\nAn abstract.\n").unwrap();
    work.dispatch(&mut app, Msg::Loaded { chunks: later.chunks, read: 0 });
    assert!(work.settle(&mut app));
    assert_eq!(app.selected(), 0);
    assert_eq!(app.selected_paper().map(|p| p.title().to_string()).as_deref(), Some("00 Aardvarks All the Way Down"));
    assert_ne!(app.selected_paper().map(|p| p.title().to_string()), first);
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
    assert!(
        app.message().is_some_and(|m| m.0.starts_with("Not saved: q again quits without the changes (")),
        "{:?}",
        app.message()
    );
    // Once saving works again, the pending star is written on quit.
    std::fs::remove_file(&parent).unwrap();
    work.dispatch(&mut app, Action::Down);
    work.dispatch(&mut app, Action::Quit);
    assert!(app.should_quit());
    assert!(Store::open(&parent.join("state.json")).0.is_starred(&app.library().get(0).key()));
}

#[test]
fn a_retry_that_saves_takes_back_the_warning_that_said_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("sub");
    let library = Library::from_chunks(digest::load(&Source::BuiltIn).unwrap().chunks);
    let (store, _) = Store::open(&parent.join("state.json"));
    let mut app = App::new(library, &store);
    let mut work = Inline::new(store);
    std::fs::write(&parent, b"a file where the directory should be").unwrap();
    work.dispatch(&mut app, Action::ToggleStar);
    assert!(app.message().is_some_and(|m| m.0.contains("not saved")), "{:?}", app.message());
    // The path usable again, the retry of the next tick saves the star.
    std::fs::remove_file(&parent).unwrap();
    work.dispatch(&mut app, Msg::Tick);
    assert!(app.save_error().is_none());
    assert!(Store::open(&parent.join("state.json")).0.is_starred(&app.library().get(0).key()));
    assert!(
        app.message().is_some_and(|m| !m.0.contains("not saved") && m.0.contains("on disk now")),
        "{:?}",
        app.message()
    );
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
