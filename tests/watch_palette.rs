//! The command palette, saved searches and the watch list on screen: whole screens after keys, at 80x24
//! and wide.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Reader;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use insta::assert_snapshot;
use papers::app::App;
use papers::config::{SavedSearch, WatchList};
use papers::state::Store;

fn ctrl_p(reader: &mut Reader) {
    reader.event(Event::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL)));
}

fn alt(reader: &mut Reader, digit: char) {
    reader.event(Event::Key(KeyEvent::new(KeyCode::Char(digit), KeyModifiers::ALT)));
}

/// The reader on `fixtures` with these saved searches and this watch list.
fn configured(fixtures: &[&str], saved: &[(&str, &str)], watch: WatchList, width: u16, height: u16) -> Reader {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = fixtures.iter().map(|f| std::path::Path::new("tests/fixtures").join(f)).collect();
    let library = papers::cli::load(&files).unwrap();
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let saved = saved
        .iter()
        .enumerate()
        .map(|(i, (name, query))| SavedSearch { name: name.to_string(), query: query.to_string(), at: (i + 2, 1) })
        .collect();
    Reader::with(App::new(library, &store).watching(saved, watch), store, width, height, dir)
}

#[test]
fn the_palette_lists_every_action_with_its_keys_80x24_and_120x40() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut reader = configured(&[], &[("mamba", "mamba !yolo")], WatchList::default(), width, height);
        ctrl_p(&mut reader);
        let screen = reader.screen();
        // Every action of the table but the palette itself and triage's own, and the one saved search.
        let all = papers::action::bindings::NAMED.iter().filter(|n| !n.only_in_triage()).count();
        assert!(screen.contains(&format!("Commands · {all} of {all}")), "{screen}");
        assert_snapshot!(format!("palette_empty_{width}x{height}"), screen);
    }
}

#[test]
fn in_a_narrow_palette_keys_cut_end_in_an_ellipsis_40x16() {
    let mut reader = configured(&[], &[], WatchList::default(), 40, 16);
    ctrl_p(&mut reader);
    let screen = reader.screen();
    let row = |name: &str| screen.lines().find(|l| l.contains(&format!("│ {name} "))).unwrap_or_default().to_string();
    // Whole, or cut with "…" before the box's border: never a part that reads as another key (`P`).
    for (name, keys) in [("page_down", "PgDn Ctrl-f"), ("page_up", "PgUp Ctrl-b"), ("first", "g Home")] {
        let row = row(name);
        let inside = row.trim_end_matches(['│', ' ']).trim_end();
        assert!(inside.ends_with(keys) || inside.ends_with('…'), "{name}: {row:?}\n{screen}");
        assert!(inside.contains(&keys[..1]), "{name}: {row:?}\n{screen}");
    }
}

#[test]
fn typing_in_the_palette_filters_and_highlights_and_enter_runs_it() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut reader = Reader::built_in(width, height);
        ctrl_p(&mut reader);
        reader.keys("cycfil");
        let screen = reader.screen();
        assert_snapshot!(format!("palette_filtered_{width}x{height}"), screen);
        // The best match first, highlighted; its letters typed, in the matched style.
        let row = screen.lines().position(|l| l.contains("cycle_filter")).expect("cycle_filter listed");
        let styles = reader.styles();
        let line = styles.lines().find(|l| l.starts_with(&format!("{row:>2}:"))).unwrap_or_default();
        assert!(line.contains("REVERSED") || line.contains("bg="), "the top row is highlighted: {line}");
        reader.keys("<Enter>");
        assert!(reader.app.palette().is_none());
        assert!(reader.screen().contains("Unread papers"), "the filter cycled:\n{}", reader.screen());
    }
}

#[test]
fn a_palette_that_matches_nothing_stays_open_and_says_so() {
    for (width, height) in [(80, 24), (40, 12)] {
        let mut reader = configured(&[], &[], WatchList::default(), width, height);
        ctrl_p(&mut reader);
        reader.keys("qqq");
        let screen = reader.screen();
        assert!(screen.contains("Commands · 0 of") && screen.contains("no action has that name"), "{screen}");
        assert!(screen.contains("> qqq"), "{screen}");
    }
}

#[test]
fn up_and_down_move_in_the_palette_and_esc_closes_it() {
    let mut reader = Reader::built_in(80, 24);
    ctrl_p(&mut reader);
    // The status line hints the palette's keys, not the list's behind it.
    let bottom = reader.screen().lines().last().unwrap_or_default().to_string();
    assert!(bottom.contains("⏎ run") && bottom.contains("Esc close") && !bottom.contains("star"), "{bottom}");
    reader.keys("<Down><Down>");
    assert_eq!(reader.app.palette().map(|p| p.selected()), Some(2));
    reader.event(Event::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL)));
    assert_eq!(reader.app.palette().map(|p| p.selected()), Some(1));
    // A key the list binds is typed, not run.
    reader.keys("q");
    assert!(!reader.app.should_quit());
    reader.keys("<Esc>");
    assert!(reader.app.palette().is_none());
    assert!(!reader.screen().contains("Commands"));
}

#[test]
fn alt_and_a_number_apply_a_saved_search_and_the_palette_and_help_list_them() {
    let saved = [("yolo", "'yolo"), ("broken", "(mamba")];
    let mut reader = configured(&[], &saved, WatchList::default(), 120, 40);
    alt(&mut reader, '1');
    let screen = reader.screen();
    assert_eq!(reader.app.query(), "'yolo");
    assert!(screen.contains("1/83 shown"), "{screen}");
    assert_eq!(reader.selected_title(), "Mamba YOLO: SSMs-Based YOLO For Object Detection");
    assert!(screen.contains("Search 1: yolo"), "{screen}");
    // One that does not parse says why in the bar and keeps the results.
    alt(&mut reader, '2');
    assert!(reader.app.query_error().is_some());
    assert_eq!(reader.app.results().len(), 1);
    // The status does not pass the last results off as the new query's.
    let status = reader.screen().lines().last().unwrap_or_default().to_string();
    assert!(status.contains("search: (mamba (does not parse: last results)"), "{status}");
    // A number with no search says so.
    alt(&mut reader, '7');
    assert!(reader.screen().contains("No saved search 7: the configuration has 2"), "{}", reader.screen());
    reader.keys("?G");
    let help = reader.screen();
    assert!(help.contains("Alt-1") && help.contains("search: yolo ('yolo)"), "{help}");
    reader.keys("<Esc>");
    reader.keys("<Esc>");
    ctrl_p(&mut reader);
    reader.keys("search: yo");
    let screen = reader.screen();
    assert!(screen.contains("search: yolo") && screen.contains("Alt-1"), "{screen}");
    reader.keys("<Enter>");
    assert_eq!(reader.app.query(), "'yolo");
}

fn watched(width: u16, height: u16) -> Reader {
    let watch = WatchList::new(&["Hartmann"], &["speech recognition"]);
    configured(&["hf-daily-papers.json"], &[], watch, width, height)
}

#[test]
fn a_watched_paper_is_marked_in_the_list_and_says_why_80x24() {
    let mut reader = watched(80, 24);
    let list = reader.screen();
    assert_snapshot!("watched_list_80x24", list);
    reader.keys("<Enter>");
    let detail = reader.screen();
    assert!(detail.contains("◉ Watched: keyword \"speech recognition\""), "{detail}");
    assert_snapshot!("watched_detail_80x24", detail);
}

#[test]
fn a_watched_paper_is_marked_in_the_list_and_says_why_140x30() {
    let mut reader = watched(140, 30);
    reader.keys("jj");
    let screen = reader.screen();
    assert!(screen.contains("◉ Watched: author Hartmann"), "{screen}");
    assert_snapshot!("watched_140x30", screen);
    // Marks line up: the glyph column is there for every row, marked or not.
    let rows: Vec<&str> = screen.lines().filter(|l| l.starts_with("│ ●")).collect();
    assert_eq!(rows.len(), 3, "{screen}");
    let titles: Vec<usize> = rows.iter().map(|r| r.chars().position(|c| c.is_alphabetic()).unwrap()).collect();
    assert!(titles.windows(2).all(|w| w[0] == w[1]), "{screen}");
}

#[test]
fn in_triage_each_paper_says_what_of_it_is_watched() {
    let mut reader = watched(100, 30);
    reader.keys("T");
    let first = reader.screen();
    assert!(
        first.contains("Triage · 1 of 3") && first.contains("◉ Watched: keyword \"speech recognition\""),
        "{first}"
    );
    // The next papers say what of them is watched, not what of the paper the list had selected.
    reader.keys(" ");
    let second = reader.screen();
    assert!(second.contains("Triage · 2 of 3") && !second.contains("◉ Watched"), "{second}");
    reader.keys(" ");
    let third = reader.screen();
    assert!(third.contains("Triage · 3 of 3") && third.contains("◉ Watched: author Hartmann"), "{third}");
    assert!(!third.contains("speech recognition\""), "{third}");
}

#[test]
fn without_a_watch_list_the_list_has_no_watch_column() {
    let plain = Reader::open(&["hf-daily-papers.json"], 80, 24).screen();
    let empty = configured(&["hf-daily-papers.json"], &[], WatchList::default(), 80, 24).screen();
    assert_eq!(plain, empty);
    assert!(!plain.contains('◉'));
}
