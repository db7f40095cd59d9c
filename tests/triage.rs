//! Triage (`T`), the list alone (`z`) and the split moved (`<` `>`), on screen: snapshots at 80x24 and
//! at wide sizes, and the keys that drive them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Reader;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use insta::assert_snapshot;

/// Presses `<` or `>` (the test reader's `keys` takes `<` as the start of a key's name).
fn press(reader: &mut Reader, keys: &str) {
    for c in keys.chars() {
        reader.event(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
}

#[test]
fn triage_shows_one_unread_paper_across_the_screen_80x24() {
    let mut reader = Reader::built_in(80, 24);
    reader.keys("jrgT");
    assert_snapshot!(reader.screen());
    let screen = reader.screen();
    assert!(screen.contains("Triage · 1 of 82"), "{screen}");
    assert!(screen.contains(" 1 of 82 · ★ 0 · 82 unread"), "the status line counts: {screen}");
    assert!(screen.contains("s star  r read  Space skip  q leave  u back"), "{screen}");
}

#[test]
fn triage_at_200x60_stands_in_the_middle_and_counts_as_it_goes() {
    let mut reader = Reader::built_in(200, 60);
    reader.keys("Tsr");
    assert_snapshot!(reader.screen());
    let screen = reader.screen();
    assert!(screen.contains("Triage · 3 of 83"), "{screen}");
    assert!(screen.contains("★ 1 · 82 unread"), "{screen}");
    // Back one: the paper marked read, said so in the pane's title; its mark stays.
    reader.keys("u");
    let screen = reader.screen();
    assert!(screen.contains("Triage · 2 of 83 · marked read before"), "{screen}");
    assert!(screen.contains("│ read "), "{screen}");
    reader.keys("u");
    assert!(reader.screen().contains("Triage · 1 of 83 · starred before"), "{}", reader.screen());
    assert!(reader.screen().contains("★ 1 · 82 unread"), "{}", reader.screen());
}

#[test]
fn triage_scrolls_the_abstract_with_the_keys_of_an_open_paper() {
    let mut reader = Reader::built_in(80, 24);
    reader.keys("T");
    let top = reader.screen();
    reader.keys("jj");
    assert_ne!(reader.screen(), top, "j scrolls the abstract");
    assert_eq!(reader.app.detail_scroll(), 2);
    reader.keys("g");
    assert_eq!(reader.screen(), top);
}

#[test]
fn past_the_last_paper_a_screen_says_what_was_done_80x24_and_120x40() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut reader = Reader::built_in(width, height);
        reader.keys("/mamba<Enter>T");
        let of = reader.app.results().len();
        reader.keys("sr");
        for _ in 2..of {
            reader.keys(" ");
        }
        assert_snapshot!(format!("triage_done_{width}x{height}"), reader.screen());
        let screen = reader.screen();
        assert!(screen.contains(&format!("Triage done: {of} papers")), "{screen}");
        assert!(screen.contains(&format!("★ 1 starred · 1 read · {} skipped", of - 2)), "{screen}");
        // Enter leaves, the list's selection on the last paper triaged.
        reader.keys("<Enter>");
        assert!(reader.app.triage().is_none());
        assert_eq!(reader.app.selected(), of - 1);
        assert!(reader.screen().contains("search: mamba"), "{}", reader.screen());
    }
}

#[test]
fn in_a_short_terminal_the_done_screen_keeps_the_way_out_40x10() {
    let mut reader = Reader::built_in(40, 10);
    reader.keys("/mamba<Enter>T");
    for _ in 0..reader.app.results().len() {
        reader.keys(" ");
    }
    let screen = reader.screen();
    assert!(screen.contains("Triage done"), "{screen}");
    // The last line of the box, wrapped, is there to its end.
    let text: String = screen.lines().map(|l| l.trim_matches(['│', ' '])).collect::<Vec<_>>().join(" ");
    assert!(text.contains("back to the last") && text.contains("paper"), "{screen}");
}

#[test]
fn esc_leaves_triage_where_it_ended_and_no_unread_paper_is_told() {
    let mut reader = Reader::built_in(80, 24);
    reader.keys("T   <Esc>");
    assert!(reader.app.triage().is_none());
    assert_eq!(reader.app.selected(), 3);
    assert!(reader.screen().contains("╭ Papers"), "{}", reader.screen());
    reader.keys("/mamba<Enter>Ay");
    reader.keys("T");
    assert!(reader.app.triage().is_none());
    assert!(reader.screen().contains("No unread papers shown to triage"), "{}", reader.screen());
}

#[test]
fn triage_keys_are_bound_in_the_config_like_every_other() {
    let (bindings, warnings) = papers::action::Bindings::configured(
        &papers::config::parse("[keys]\ntriage_star = [\"x\"]\ntriage = [\"Ctrl-t\"]\n").unwrap().keys,
        "config.toml",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut reader = Reader::looking(papers::config::Theme::default(), bindings, 80, 24);
    reader.keys("T");
    assert!(reader.app.triage().is_none(), "T is no longer triage's");
    reader.event(crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('t'),
        crossterm::event::KeyModifiers::CONTROL,
    )));
    assert!(reader.app.triage().is_some());
    reader.keys("s");
    assert_eq!(reader.app.starred_count(), 0, "s no longer stars in triage");
    reader.keys("x");
    assert_eq!(reader.app.starred_count(), 1);
    reader.keys("j");
    assert!(reader.screen().contains("x star"), "the status names the key as bound: {}", reader.screen());
}

/// Esc in triage does what `[keys]` binds it to, as the status line and the help say.
#[test]
fn esc_in_triage_is_what_the_keys_bind_it_to() {
    let bound = |config: &str| {
        let (bindings, warnings) =
            papers::action::Bindings::configured(&papers::config::parse(config).unwrap().keys, "config.toml");
        assert!(warnings.is_empty(), "{warnings:?}");
        Reader::looking(papers::config::Theme::default(), bindings, 80, 24)
    };
    let mut reader = bound("[keys]\nleave_triage = [\"Q\"]\ntriage_skip = [\"Esc\"]\n");
    reader.keys("T");
    assert!(reader.screen().contains("Esc skip") && reader.screen().contains("Q leave"), "{}", reader.screen());
    reader.keys("<Esc>");
    assert!(reader.app.triage().is_some(), "Esc skips, as bound");
    assert!(reader.screen().contains("2 of "), "{}", reader.screen());
    reader.keys("Q");
    assert!(reader.app.triage().is_none());
    // Bound to nothing, Esc does nothing: leaving is Q's alone, as the help says.
    let mut reader = bound("[keys]\nleave_triage = [\"Q\"]\n");
    reader.keys("T<Esc>");
    assert!(reader.app.triage().is_some(), "Esc is not leave_triage's any more");
}

#[test]
fn compact_list_80x24_and_200x60() {
    for (width, height) in [(80, 24), (200, 60)] {
        let mut reader = Reader::built_in(width, height);
        reader.keys("z");
        assert_snapshot!(format!("compact_list_{width}x{height}"), reader.screen());
        assert!(!reader.screen().contains("Abstract"), "{}", reader.screen());
        // Opening a paper shows it across the screen; back, the list is still alone: kept for the session.
        reader.keys("<Enter>");
        assert!(reader.screen().contains("╭ Abstract"), "{}", reader.screen());
        assert!(!reader.screen().contains("╭ Papers"), "{}", reader.screen());
        reader.keys("q");
        assert!(!reader.screen().contains("Abstract"), "{}", reader.screen());
        reader.keys("z");
        let both = width >= 100;
        assert_eq!(reader.screen().contains("╭ Abstract"), both, "{}", reader.screen());
    }
}

#[test]
fn the_split_moves_with_angle_brackets_120x40_and_200x60() {
    for (width, height, keys) in [(120, 40, ">>"), (200, 60, "<<<")] {
        let mut reader = Reader::built_in(width, height);
        let before = reader.view.list.width;
        press(&mut reader, keys);
        assert_snapshot!(format!("resized_split_{width}x{height}"), reader.screen());
        let moved = i32::from(reader.view.list.width) - i32::from(before);
        let expected = if keys.starts_with('>') { 2 * 5 } else { -3 * 5 } * i32::from(width) / 100;
        assert!((moved - expected).abs() <= 1, "the list moved {moved} columns, not {expected}");
    }
    // Bounded: neither pane narrower than a quarter of the width.
    let mut reader = Reader::built_in(120, 40);
    press(&mut reader, &">".repeat(20));
    assert_eq!(reader.app.panes().list_percent, 75);
    assert!(reader.view.detail.width >= 25, "{}", reader.screen());
    press(&mut reader, &"<".repeat(20));
    assert_eq!(reader.app.panes().list_percent, 25);
    assert!(reader.screen().contains("List 25% of the width"), "{}", reader.screen());
}

#[test]
fn at_80x24_the_split_waits_for_a_wide_terminal() {
    let mut reader = Reader::built_in(80, 24);
    press(&mut reader, ">");
    assert_snapshot!(reader.screen());
    assert!(reader.screen().contains("List 50% (side by side from 100 columns)"), "{}", reader.screen());
    reader.resize(120, 40);
    assert_eq!(reader.app.panes().list_percent, 50);
    assert_eq!(reader.view.list.width + 2, 60, "{}", reader.screen());
}

#[test]
fn triage_shows_authors_ids_categories_and_links_as_the_abstract_pane_does_140x40() {
    let mut reader = Reader::open(&["hf-daily-papers.json"], 140, 40);
    reader.keys("T");
    assert_snapshot!(reader.screen());
    let screen = reader.screen();
    assert!(screen.contains("Links") && screen.contains("[1] arXiv https://arxiv.org/abs/"), "{screen}");
    assert!(screen.contains("arXiv:"), "{screen}");
}

#[test]
fn past_the_last_paper_only_the_way_out_and_back_do_anything() {
    let mut reader = Reader::built_in(80, 24);
    reader.keys("/mamba<Enter>T");
    let of = reader.app.results().len();
    for _ in 0..of {
        reader.keys(" ");
    }
    let done = reader.screen();
    assert!(done.contains(&format!("Triage done: {of} papers")), "{done}");
    reader.keys("srjG/");
    assert_eq!(reader.screen(), done, "nothing is left to mark or scroll");
    assert_eq!(reader.app.starred_count(), 0);
    reader.keys("u");
    assert!(reader.screen().contains(&format!("Triage · {of} of {of} · skipped before")), "{}", reader.screen());
    reader.keys("q");
    assert!(reader.app.triage().is_none(), "q leaves as Esc does");
}
