//! Model tests for a library of several digests: marks across formats, days, sorting, and what leaves
//! the reader (links, the clipboard, export files).

use std::path::Path;
use std::time::Duration;

use super::*;
use crate::action::Action;
use crate::digest;
use crate::library::{Chunk, Origin};
use crate::state::Store;
use crate::work::{Inline, Workers};

const ECG: &str = "Deep Learning for Personalized Electrocardiogram Diagnosis: A Review";

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A library of the built-in digest and, when asked, the two days of Hugging Face JSON.
fn library(with_json: bool) -> Library {
    let mut digests = vec![digest::parse_text("built-in", digest::BUILT_IN).unwrap()];
    if with_json {
        digests.push(digest::parse_text("day1.json", &fixture("hf-daily-papers.json")).unwrap());
        digests.push(digest::parse_text("day2.json", &fixture("hf-daily-papers-day2.json")).unwrap());
    }
    Library::from_chunks(digests.into_iter().flat_map(|d| d.chunks))
}

/// The model and its work, done at once.
struct Reader {
    app: App,
    work: Inline,
}

impl Reader {
    fn on(library: Library, dir: &Path) -> Self {
        let (store, _) = Store::open(&dir.join("state.json"));
        Reader { app: App::new(library, &store), work: Inline::new(store) }
    }

    fn run(&mut self, actions: impl IntoIterator<Item = Action>) {
        for action in actions {
            self.work.dispatch(&mut self.app, action);
        }
    }

    fn select_title(&mut self, title: &str) {
        let app = &self.app;
        let at = app.results().iter().position(|&i| app.library().get(i as usize).title() == title).unwrap();
        self.run([Action::Select(at)]);
    }

    fn starred(&self, title: &str) -> bool {
        let library = self.app.library();
        let i = (0..library.len()).find(|&i| library.get(i).title() == title).unwrap();
        self.app.is_starred(&library.get(i))
    }

    fn message(&self) -> String {
        self.app.message().map(|m| m.0.clone()).unwrap_or_default()
    }
}

fn app(dir: &Path, with_json: bool) -> Reader {
    Reader::on(library(with_json), dir)
}

/// Papers of one more day, `day` of March 2024, made up for the day views.
fn made_up_day(day: u32, title: &str) -> Chunk {
    let origin = Origin { name: "made-up.txt".into(), date: None, day: crate::library::Day::new(2024, 3, day) };
    Chunk::from_papers(origin, [(title, "An abstract long enough, for a paper made up for this test.")])
}

#[test]
fn the_text_and_json_copies_of_a_paper_are_one_entry_with_the_identifier() {
    let app = app(tempfile::tempdir().unwrap().path(), true);
    let copies: Vec<_> = app.app.library().papers().filter(|p| p.title() == ECG).collect();
    assert_eq!(copies.len(), 1);
    assert_eq!(copies[0].arxiv_id(), Some("2403.09043"));
    assert!(copies[0].days().len() >= 2, "{:?}", copies[0].days());
    assert!(!copies[0].abstract_text().is_empty());
}

#[test]
fn a_star_made_on_the_text_copy_holds_once_the_identifier_is_known_and_an_unstar_holds_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let mut text_only = app(dir.path(), false);
    text_only.select_title(ECG);
    text_only.run([Action::ToggleStar]);
    assert!(text_only.starred(ECG));

    let mut merged = app(dir.path(), true);
    assert!(merged.starred(ECG), "the star made before the arXiv id was known is lost");
    assert_eq!(merged.app.starred_count(), 1);
    // The starred view (filtered on the search side) agrees with the mark shown.
    merged.run([Action::CycleFilter]);
    merged.run([Action::CycleFilter]);
    let shown: Vec<&str> = merged.app.results().iter().map(|&i| merged.app.library().get(i as usize).title()).collect();
    assert_eq!(shown, [ECG]);
    merged.run([Action::CycleFilter]);
    merged.select_title(ECG);
    merged.run([Action::ToggleStar]);
    assert!(!merged.starred(ECG));

    // Without the JSON, the paper is title-keyed again: the old star must not come back.
    let mut text_only = app(dir.path(), false);
    assert!(!text_only.starred(ECG), "an unstar made on the id'd copy was undone");
    text_only.select_title(ECG);
    text_only.run([Action::ToggleStar]);
    assert!(text_only.starred(ECG), "{}", text_only.message());
    let state = std::fs::read_to_string(dir.path().join("state.json")).unwrap();
    assert!(app(dir.path(), true).starred(ECG), "{state}");
    assert_eq!(app(dir.path(), true).app.starred_count(), 1);
}

#[test]
fn a_star_made_on_the_json_copy_shows_on_the_text_copy_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut merged = app(dir.path(), true);
    merged.select_title(ECG);
    merged.run([Action::ToggleStar]);
    let store = Store::open(&dir.path().join("state.json")).0;
    assert!(store.is_starred(&crate::library::PaperKey::from_arxiv_id("2403.09043")));
    let text_only = app(dir.path(), false);
    assert!(text_only.starred(ECG));
    assert_eq!(text_only.app.starred_count(), 1);
    let mut filtered = app(dir.path(), false);
    filtered.run([Action::CycleFilter]);
    filtered.run([Action::CycleFilter]);
    assert_eq!(filtered.app.filter(), Filter::Starred);
    assert_eq!(filtered.app.results().len(), 1);
}

#[test]
fn brackets_step_through_the_days_and_back_to_all() {
    let mut app = app(tempfile::tempdir().unwrap().path(), true);
    let all = app.app.results().len();
    let days = app.app.library().days();
    assert!(days.len() >= 3, "{days:?}");
    app.run([Action::PreviousDay]);
    let newest = *days.last().unwrap();
    assert_eq!(app.app.day(), Some(newest));
    let mut shown = app.app.results().to_vec();
    assert!(!shown.is_empty() && shown.len() < all);
    shown.sort_unstable();
    assert_eq!(shown, app.app.library().on_day(newest, 0), "every paper of the day, and only those");
    assert!(shown.iter().all(|&i| app.app.library().get(i as usize).days().contains(&newest)));
    app.run([Action::PreviousDay]);
    assert_eq!(app.app.day(), Some(days[days.len() - 2]));
    app.run([Action::NextDay]);
    app.run([Action::NextDay]);
    assert_eq!(app.app.day(), None);
    assert_eq!(app.app.results().len(), all);
    // A search within a day finds only that day's papers.
    app.run([Action::NextDay]);
    let oldest = days[0];
    assert_eq!(app.app.day(), Some(oldest));
    app.run([Action::FocusSearch]);
    for c in "review".chars() {
        let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
        app.run([Action::SearchInput(key.into())]);
    }
    assert!(!app.app.results().is_empty());
    assert!(app.app.results().iter().all(|&i| app.app.library().get(i as usize).days().contains(&oldest)));
}

#[test]
fn sorting_by_upvotes_puts_the_most_upvoted_first_and_keeps_the_selection() {
    let mut app = app(tempfile::tempdir().unwrap().path(), true);
    app.select_title(ECG);
    for _ in 0..3 {
        app.run([Action::CycleSort]);
    }
    assert_eq!(app.app.sort(), Sort::Upvotes);
    assert_eq!(app.app.selected_paper().unwrap().title(), ECG);
    let votes: Vec<Option<u32>> =
        app.app.results().iter().map(|&i| app.app.library().get(i as usize).meta().and_then(|m| m.upvotes)).collect();
    let mut sorted = votes.clone();
    sorted.sort_by_key(|v| std::cmp::Reverse(*v));
    assert_eq!(votes, sorted);
    assert!(votes[0].is_some());
    app.run([Action::CycleSort]);
    assert_eq!(app.app.sort(), Sort::Digest);
    assert_eq!(app.app.results()[..3], [0, 1, 2]);
}

#[test]
fn sorting_by_title_and_by_newest_day() {
    let mut app = app(tempfile::tempdir().unwrap().path(), true);
    app.run([Action::CycleSort]);
    assert_eq!(app.app.sort(), Sort::Newest);
    let days: Vec<_> = app.app.results().iter().map(|&i| app.app.library().get(i as usize).last_day()).collect();
    assert!(days.windows(2).all(|w| w[0] >= w[1]), "{days:?}");
    app.run([Action::CycleSort]);
    assert_eq!(app.app.sort(), Sort::Title);
    let titles: Vec<String> =
        app.app.results().iter().map(|&i| app.app.library().get(i as usize).title().to_lowercase()).collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn o_opens_the_arxiv_page_digits_open_numbered_links_and_y_copies() {
    let mut app = app(tempfile::tempdir().unwrap().path(), true);
    app.select_title(ECG);
    app.run([Action::OpenPage]);
    assert_eq!(app.work.opened, ["https://arxiv.org/abs/2403.09043"]);
    let links = app.app.selected_paper().unwrap().links();
    app.run([Action::OpenLink(1)]);
    assert_eq!(app.work.opened[1], links[0]);
    app.run([Action::OpenLink(9)]);
    assert_eq!(app.work.opened.len(), 2);
    assert!(app.message().contains("no link [9]"));
    app.run([Action::CopyLink]);
    assert_eq!(app.work.copied, [format!("{ECG} https://arxiv.org/abs/2403.09043")]);
}

#[test]
fn e_exports_the_view_to_a_new_file_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), true);
    app.app =
        App::new(library(true), app.work.store()).exporting_to(dir.path().to_path_buf(), crate::export::Format::Csv);
    app.select_title(ECG);
    app.run([Action::ToggleStar]);
    app.run([Action::CycleFilter]);
    app.run([Action::CycleFilter]);
    // The configured format is the one highlighted: Enter takes it.
    app.run([Action::ExportView, Action::Choose(3)]);
    let message = app.message();
    assert!(message.starts_with("Exported 1 papers to "), "{message}");
    let path = message.trim_start_matches("Exported 1 papers to ");
    assert!(path.starts_with(&dir.path().display().to_string()), "{path}");
    let entries = crate::export::read_csv(std::fs::File::open(path).unwrap()).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].title, ECG);
    assert!(entries[0].starred);
    // A second export never writes over the first.
    app.run([Action::ExportView, Action::Choose(3)]);
    let second = app.message();
    assert_ne!(second, message);
    assert!(second.ends_with("-2.csv"), "{second}");
}

#[test]
fn an_export_on_the_disk_thread_says_so_until_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let mut app = App::new(library(false), &store).exporting_to(dir.path().to_path_buf(), crate::export::Format::Json);
    let mut work = Workers::start(store, std::sync::Arc::new(|| {})).unwrap();
    work.dispatch(&mut app, Action::ExportView);
    work.dispatch(&mut app, Action::Choose(2));
    // Only `settle` takes the answer in: until then the reader says it is exporting.
    assert!(app.exporting());
    assert_eq!(app.message().map(|m| m.0.as_str()), Some("Exporting 83 papers…"));
    assert!(work.settle(&mut app, Duration::from_secs(30)));
    assert!(!app.exporting());
    assert!(app.message().is_some_and(|m| m.0.starts_with("Exported 83 papers to ")), "{:?}", app.message());
}

/// Stepping through the days on the threads, as the reader does; taken in at once.
fn step(app: &mut App, work: &mut Workers, action: Action) {
    work.dispatch(app, action);
    assert!(work.settle(app, Duration::from_secs(30)));
}

fn loaded(app: &mut App, work: &mut Workers, chunks: Vec<Chunk>) {
    work.dispatch(app, Msg::Loaded { chunks, read: 0 });
    assert!(work.settle(app, Duration::from_secs(30)));
}

#[test]
fn a_paper_listed_already_that_gains_the_day_shown_joins_the_day_view_on_the_search_thread() {
    let dir = tempfile::tempdir().unwrap();
    let day1 = digest::parse_text("day1.json", &fixture("hf-daily-papers.json")).unwrap();
    // One day only: [ says so and shows them all.
    let mut one = Reader::on(Library::from_chunks(day1.chunks), dir.path());
    one.run([Action::PreviousDay]);
    assert_eq!(one.app.day(), None);
    assert_eq!(one.message(), "All papers are from one day");

    // With a day before it, [ shows the newest: the three papers of 2024-03-14.
    let day1 = digest::parse_text("day1.json", &fixture("hf-daily-papers.json")).unwrap();
    let mut chunks = day1.chunks;
    chunks.push(made_up_day(13, "A paper of the day before"));
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let mut app = App::new(Library::from_chunks(chunks), &store);
    let mut work = Workers::start(store, std::sync::Arc::new(|| {})).unwrap();
    step(&mut app, &mut work, Action::PreviousDay);
    assert_eq!(app.day().map(|d| d.to_string()).as_deref(), Some("2024-03-14"));
    assert_eq!(app.results().len(), 3);
    // The second day arrives while that day is shown: it brings the ECG review again, and one more.
    // Stepping to the new day then shows both; the first day still shows its three.
    loaded(&mut app, &mut work, digest::parse_text("day2.json", &fixture("hf-daily-papers-day2.json")).unwrap().chunks);
    assert_eq!(app.results().len(), 3);
    step(&mut app, &mut work, Action::NextDay);
    assert_eq!(app.day().map(|d| d.to_string()).as_deref(), Some("2024-03-15"));
    let mut shown: Vec<String> =
        app.results().iter().map(|&i| app.library().get(i as usize).title().to_string()).collect();
    shown.sort();
    assert_eq!(shown, [ECG, "Lossless Checkpoint Compression with Learned Delta Codes"]);
}

#[test]
fn while_a_day_is_shown_a_merge_into_a_listed_paper_lists_the_day_again() {
    let dir = tempfile::tempdir().unwrap();
    let day2 = digest::parse_text("day2.json", &fixture("hf-daily-papers-day2.json")).unwrap();
    let mut chunks = day2.chunks;
    chunks.push(made_up_day(14, "A paper made up for the day before"));
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let mut app = App::new(Library::from_chunks(chunks), &store);
    let mut work = Workers::start(store, std::sync::Arc::new(|| {})).unwrap();
    // The oldest day is shown: of its papers only the made-up one is loaded yet.
    step(&mut app, &mut work, Action::NextDay);
    assert_eq!(app.day().map(|d| d.to_string()).as_deref(), Some("2024-03-14"));
    assert_eq!(app.results().len(), 1);
    // That day arrives: two new papers, and the ECG review, listed already, which gains the day.
    loaded(&mut app, &mut work, digest::parse_text("day1.json", &fixture("hf-daily-papers.json")).unwrap().chunks);
    let shown: Vec<&str> = app.results().iter().map(|&i| app.library().get(i as usize).title()).collect();
    assert_eq!(shown.len(), 4, "{shown:?}");
    assert!(shown.contains(&ECG), "{shown:?}");
}

#[test]
fn a_large_library_is_sorted_by_title_on_a_thread_and_the_selection_stays() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::open(&dir.path().join("state.json"));
    // Titles in an order far from sorted, differing in case.
    let papers: Vec<(String, String)> = (0..60_000u32)
        .map(|i| (format!("{} Paper {i}", if i % 2 == 0 { "beta" } else { "Alpha" }), String::new()))
        .collect();
    let mut app = App::new(Library::from_papers(papers), &store);
    let mut work = Workers::start(store, std::sync::Arc::new(|| {})).unwrap();
    work.dispatch(&mut app, Action::Down);
    let selected = app.selected_paper().unwrap().title().to_string();
    work.dispatch(&mut app, Action::CycleSort);
    work.dispatch(&mut app, Action::CycleSort);
    assert_eq!(app.sort(), Sort::Title);
    assert!(app.sorting(), "sorted on the thread, not while the key waited");
    assert!(work.settle(&mut app, Duration::from_secs(30)));
    assert!(!app.sorting());
    let titles: Vec<String> =
        app.results().iter().map(|&i| app.library().get(i as usize).title().to_lowercase()).collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "not sorted");
    assert!(titles[0].starts_with("alpha"));
    assert_eq!(app.selected_paper().unwrap().title(), selected, "the selection moved with its paper");
}

#[test]
fn the_search_thread_is_asked_to_read_the_abstracts_as_papers_arrive_and_once_loading_ends() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let mut app = App::new(Library::from_chunks([made_up_day(1, "The first paper")]), &store);
    let asked = |commands: &[Command]| {
        commands.iter().filter_map(|c| if let Command::ReadAbstracts(t) = c { Some(t.len()) } else { None }).next_back()
    };
    let _ = app.update(Msg::LoadStarted { read: 0, total: None });
    let mut loaded = 1;
    let mut asks = Vec::new();
    for block in 0..40 {
        let chunks: Vec<Chunk> = (0..2).map(|k| made_up_day(2, &format!("Paper {block} {k}"))).collect();
        loaded += chunks.len();
        asks.extend(asked(&app.update(Msg::Loaded { chunks, read: 0 })));
    }
    // Sixteen chunks or more at a time while loading, the papers then in the library.
    assert_eq!(asks, [17, 33, 49, 65, 81]);
    // Once loading ends the letters are kept (their thread reads the abstracts after), and papers
    // arriving later (a fetch) are asked for at once.
    let commands = app.update(Msg::LoadFinished);
    assert!(commands.iter().any(|c| matches!(c, Command::KeepLetters(t) if t.len() == loaded)));
    let commands = app.update(Msg::Loaded { chunks: vec![made_up_day(3, "Fetched later")], read: 0 });
    assert_eq!(asked(&commands), Some(loaded + 1));
}
