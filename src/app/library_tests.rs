//! Model tests for a library of several digests: marks across formats, days, sorting, and what leaves
//! the reader (links, the clipboard, export files).

use std::path::Path;
use std::sync::Arc;

use ratatui::layout::Rect;

use super::*;
use crate::digest;
use crate::state::Store;

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
    digest::into_library(digests)
}

fn app(dir: &Path, with_json: bool) -> App {
    let (store, _) = Store::open(&dir.join("state.json"));
    App::new(library(with_json), store)
}

fn view() -> ViewState {
    ViewState { list: Rect::new(1, 2, 40, 10), detail: Rect::new(45, 2, 40, 10), wide: true, ..ViewState::default() }
}

fn select_title(app: &mut App, title: &str) {
    let at = app.results().iter().position(|&i| app.library().get(i as usize).title() == title).unwrap();
    app.update(Action::Select(at), &view());
}

fn starred(app: &App, title: &str) -> bool {
    let i = (0..app.library().len()).find(|&i| app.library().get(i).title() == title).unwrap();
    app.is_starred(&app.library().get(i))
}

#[test]
fn the_text_and_json_copies_of_a_paper_are_one_entry_with_the_identifier() {
    let app = app(tempfile::tempdir().unwrap().path(), true);
    let copies: Vec<_> = app.library().papers().filter(|p| p.title() == ECG).collect();
    assert_eq!(copies.len(), 1);
    assert_eq!(copies[0].arxiv_id(), Some("2403.09043"));
    assert!(copies[0].days().len() >= 2, "{:?}", copies[0].days());
    assert!(!copies[0].abstract_text().is_empty());
}

#[test]
fn a_star_made_on_the_text_copy_holds_once_the_identifier_is_known_and_an_unstar_holds_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let mut text_only = app(dir.path(), false);
    select_title(&mut text_only, ECG);
    text_only.update(Action::ToggleStar, &view());
    assert!(starred(&text_only, ECG));

    let mut merged = app(dir.path(), true);
    assert!(starred(&merged, ECG), "the star made before the arXiv id was known is lost");
    assert_eq!(merged.starred_count(), 1);
    // The starred view (filtered on the search side) agrees with the mark shown.
    merged.update(Action::CycleFilter, &view());
    merged.update(Action::CycleFilter, &view());
    let shown: Vec<&str> = merged.results().iter().map(|&i| merged.library().get(i as usize).title()).collect();
    assert_eq!(shown, [ECG]);
    merged.update(Action::CycleFilter, &view());
    select_title(&mut merged, ECG);
    merged.update(Action::ToggleStar, &view());
    assert!(!starred(&merged, ECG));

    // Without the JSON, the paper is title-keyed again: the old star must not come back.
    let mut text_only = app(dir.path(), false);
    assert!(!starred(&text_only, ECG), "an unstar made on the id'd copy was undone");
    select_title(&mut text_only, ECG);
    text_only.update(Action::ToggleStar, &view());
    assert!(starred(&text_only, ECG), "{:?}", text_only.message);
    let state = std::fs::read_to_string(dir.path().join("state.json")).unwrap();
    assert!(starred(&app(dir.path(), true), ECG), "{state}");
    assert_eq!(app(dir.path(), true).starred_count(), 1);
}

#[test]
fn a_star_made_on_the_json_copy_shows_on_the_text_copy_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut merged = app(dir.path(), true);
    select_title(&mut merged, ECG);
    merged.update(Action::ToggleStar, &view());
    let store = Store::open(&dir.path().join("state.json")).0;
    assert!(store.is_starred(&crate::library::PaperKey::from_arxiv_id("2403.09043")));
    let text_only = app(dir.path(), false);
    assert!(starred(&text_only, ECG));
    assert_eq!(text_only.starred_count(), 1);
    let mut filtered = app(dir.path(), false);
    filtered.update(Action::CycleFilter, &view());
    filtered.update(Action::CycleFilter, &view());
    assert_eq!(filtered.filter, Filter::Starred);
    assert_eq!(filtered.results().len(), 1);
}

#[test]
fn brackets_step_through_the_days_and_back_to_all() {
    let mut app = app(tempfile::tempdir().unwrap().path(), true);
    let all = app.results().len();
    let days = app.library().days();
    assert!(days.len() >= 3, "{days:?}");
    app.update(Action::PreviousDay, &view());
    let newest = *days.last().unwrap();
    assert_eq!(app.day, Some(newest));
    let mut shown = app.results().to_vec();
    assert!(!shown.is_empty() && shown.len() < all);
    shown.sort_unstable();
    assert_eq!(shown, app.library().on_day(newest, 0), "every paper of the day, and only those");
    assert!(shown.iter().all(|&i| app.library().get(i as usize).days().contains(&newest)));
    app.update(Action::PreviousDay, &view());
    assert_eq!(app.day, Some(days[days.len() - 2]));
    app.update(Action::NextDay, &view());
    app.update(Action::NextDay, &view());
    assert_eq!(app.day, None);
    assert_eq!(app.results().len(), all);
    // A search within a day finds only that day's papers.
    app.update(Action::NextDay, &view());
    let oldest = days[0];
    assert_eq!(app.day, Some(oldest));
    app.update(Action::FocusSearch, &view());
    for c in "review".chars() {
        let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
        app.update(Action::SearchInput(key.into()), &view());
    }
    assert!(!app.results().is_empty());
    assert!(app.results().iter().all(|&i| app.library().get(i as usize).days().contains(&oldest)));
}

#[test]
fn sorting_by_upvotes_puts_the_most_upvoted_first_and_keeps_the_selection() {
    let mut app = app(tempfile::tempdir().unwrap().path(), true);
    select_title(&mut app, ECG);
    for _ in 0..3 {
        app.update(Action::CycleSort, &view());
    }
    assert_eq!(app.sort, Sort::Upvotes);
    assert_eq!(app.selected_paper().unwrap().title(), ECG);
    let votes: Vec<Option<u32>> =
        app.results().iter().map(|&i| app.library().get(i as usize).meta().and_then(|m| m.upvotes)).collect();
    let mut sorted = votes.clone();
    sorted.sort_by_key(|v| std::cmp::Reverse(*v));
    assert_eq!(votes, sorted);
    assert!(votes[0].is_some());
    app.update(Action::CycleSort, &view());
    assert_eq!(app.sort, Sort::Digest);
    assert_eq!(app.results()[..3], [0, 1, 2]);
}

#[test]
fn sorting_by_title_and_by_newest_day() {
    let mut app = app(tempfile::tempdir().unwrap().path(), true);
    app.update(Action::CycleSort, &view());
    assert_eq!(app.sort, Sort::Newest);
    let days: Vec<_> = app.results().iter().map(|&i| app.library().get(i as usize).last_day()).collect();
    assert!(days.windows(2).all(|w| w[0] >= w[1]), "{days:?}");
    app.update(Action::CycleSort, &view());
    assert_eq!(app.sort, Sort::Title);
    let titles: Vec<String> =
        app.results().iter().map(|&i| app.library().get(i as usize).title().to_lowercase()).collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn o_opens_the_arxiv_page_digits_open_numbered_links_and_y_copies() {
    let mut app = app(tempfile::tempdir().unwrap().path(), true);
    select_title(&mut app, ECG);
    app.update(Action::OpenPage, &view());
    assert_eq!(app.effects, [Effect::Open("https://arxiv.org/abs/2403.09043".into())]);
    app.effects.clear();
    let links = app.selected_paper().unwrap().links();
    app.update(Action::OpenLink(1), &view());
    assert_eq!(app.effects, [Effect::Open(links[0].clone())]);
    app.effects.clear();
    app.update(Action::OpenLink(9), &view());
    assert!(app.effects.is_empty());
    assert!(app.message.as_ref().unwrap().0.contains("no link [9]"));
    app.update(Action::CopyLink, &view());
    assert_eq!(app.effects, [Effect::Copy(format!("{ECG} https://arxiv.org/abs/2403.09043"))]);
}

#[test]
fn e_exports_the_view_to_a_new_file_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), true);
    app.export_to = (dir.path().to_path_buf(), crate::export::Format::Csv);
    select_title(&mut app, ECG);
    app.update(Action::ToggleStar, &view());
    app.update(Action::CycleFilter, &view());
    app.update(Action::CycleFilter, &view());
    app.update(Action::ExportView, &view());
    let message = app.message.clone().unwrap().0;
    assert!(message.starts_with("Exported 1 papers to "), "{message}");
    let path = message.trim_start_matches("Exported 1 papers to ");
    assert!(path.starts_with(&dir.path().display().to_string()), "{path}");
    let entries = crate::export::read_csv(std::fs::File::open(path).unwrap()).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].title, ECG);
    assert!(entries[0].starred);
    // A second export never writes over the first.
    app.update(Action::ExportView, &view());
    let second = app.message.clone().unwrap().0;
    assert_ne!(second, message);
    assert!(second.ends_with("-2.csv"), "{second}");
}

#[test]
fn a_paper_listed_already_that_gains_the_day_shown_joins_the_day_view_on_the_search_thread() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let day1 = digest::parse_text("day1.json", &fixture("hf-daily-papers.json")).unwrap();
    let mut app = App::new(digest::into_library([day1]), store);
    app.search_in_background(Arc::new(|| {})).unwrap();
    // One day only: [ says so and shows them all.
    app.update(Action::PreviousDay, &view());
    assert_eq!(app.day, None);
    assert_eq!(app.message.as_ref().unwrap().0, "All papers are from one day");
    // Shown as a day view all the same (as after stepping back from a later day).
    app.day = app.days().first().copied();
    app.refresh();
    assert!(app.settle(std::time::Duration::from_secs(30)));
    assert_eq!(app.results().len(), 3);
    // The second day arrives while that day is shown: it brings the ECG review again, and one more.
    // Stepping to the new day then shows both; the first day still shows its three.
    for chunk in digest::parse_text("day2.json", &fixture("hf-daily-papers-day2.json")).unwrap().chunks {
        app.add_papers(chunk);
    }
    assert!(app.settle(std::time::Duration::from_secs(30)));
    assert_eq!(app.results().len(), 3);
    app.update(Action::PreviousDay, &view());
    app.update(Action::PreviousDay, &view());
    assert!(app.settle(std::time::Duration::from_secs(30)));
    let day2 = app.day.unwrap();
    assert_eq!(day2.to_string(), "2024-03-15");
    let mut shown: Vec<String> =
        app.results().iter().map(|&i| app.library().get(i as usize).title().to_string()).collect();
    shown.sort();
    assert_eq!(shown, [ECG, "Lossless Checkpoint Compression with Learned Delta Codes"]);
}

#[test]
fn while_a_day_is_shown_a_merge_into_a_listed_paper_lists_the_day_again() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let day2 = digest::parse_text("day2.json", &fixture("hf-daily-papers-day2.json")).unwrap();
    let mut app = App::new(digest::into_library([day2]), store);
    app.search_in_background(Arc::new(|| {})).unwrap();
    // The day before is shown (as when it was stepped to in an earlier session of the same files):
    // nothing of it is loaded yet.
    app.day = crate::library::Day::new(2024, 3, 14);
    app.refresh();
    assert!(app.settle(std::time::Duration::from_secs(30)));
    assert!(app.results().is_empty());
    // That day arrives: two new papers, and the ECG review, listed already, which gains the day.
    for chunk in digest::parse_text("day1.json", &fixture("hf-daily-papers.json")).unwrap().chunks {
        app.add_papers(chunk);
    }
    assert!(app.settle(std::time::Duration::from_secs(30)));
    let shown: Vec<&str> = app.results().iter().map(|&i| app.library().get(i as usize).title()).collect();
    assert_eq!(shown.len(), 3, "{shown:?}");
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
    let mut app = App::new(Library::from_papers(papers), store);
    app.search_in_background(Arc::new(|| {})).unwrap();
    app.update(Action::Down, &view());
    let selected = app.selected_paper().unwrap().title().to_string();
    app.update(Action::CycleSort, &view());
    app.update(Action::CycleSort, &view());
    assert_eq!(app.sort, Sort::Title);
    assert!(app.sorting(), "sorted on the thread, not while the key waited");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while app.sorting() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.poll_background();
    }
    assert!(!app.sorting());
    let titles: Vec<String> =
        app.results().iter().map(|&i| app.library().get(i as usize).title().to_lowercase()).collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "not sorted");
    assert!(titles[0].starts_with("alpha"));
    assert_eq!(app.selected_paper().unwrap().title(), selected, "the selection moved with its paper");
}
