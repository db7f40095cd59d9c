//! Whole screens after key sequences, as a user sees them: insta snapshots plus checks of styles.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Reader;
use crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use insta::assert_snapshot;
use ratatui::style::Modifier;

#[test]
fn main_screen_80x24() {
    let reader = Reader::built_in(80, 24);
    assert_snapshot!(reader.screen());
}

#[test]
fn main_screen_120x40() {
    let reader = Reader::built_in(120, 40);
    assert_snapshot!(reader.screen());
}

#[test]
fn reading_a_paper_80x24_is_full_width() {
    let mut reader = Reader::built_in(80, 24);
    reader.keys("j<Enter>");
    assert_snapshot!(reader.screen());
    reader.keys("q");
    assert!(reader.screen().contains("╭ Papers"), "q goes back to the list");
}

#[test]
fn help_overlay_80x24() {
    let mut reader = Reader::built_in(80, 24);
    reader.keys("?");
    assert_snapshot!(reader.screen());
    reader.keys("<Esc>");
    assert!(!reader.screen().contains("╭ Keys"));
}

#[test]
fn help_overlay_120x40() {
    let mut reader = Reader::built_in(120, 40);
    reader.keys("?");
    assert_snapshot!(reader.screen());
}

#[test]
fn search_with_highlights_120x40() {
    let mut reader = Reader::built_in(120, 40);
    reader.keys("/mamba");
    assert_snapshot!(reader.screen());

    // The matched letters of the top row are highlighted, the others are not. As in fzf, the shorter of
    // two equal matches comes first.
    let buffer = reader.terminal.backend().buffer().clone();
    let row = 2;
    let start = (0..buffer.area.width).find(|&x| buffer[(x, row)].symbol() == "A").expect("title on row 2");
    let underlined = |x: u16| buffer[(x, row)].modifier.contains(Modifier::UNDERLINED);
    let title: String = (start..start + 17).map(|x| buffer[(x, row)].symbol().to_string()).collect();
    assert_eq!(title, "A Survey of Mamba");
    assert!((start..start + 12).all(|x| !underlined(x)), "'A Survey of ' is not highlighted");
    assert!((start + 12..start + 17).all(underlined), "'Mamba' is");
}

#[test]
fn empty_result_screen_80x24() {
    let mut reader = Reader::built_in(80, 24);
    reader.keys("/qqqzzzxx");
    assert_snapshot!(reader.screen());
    reader.keys("<Esc>");
    assert!(reader.screen().contains("83/83 shown"));
}

#[test]
fn empty_starred_view_says_how_to_star() {
    let mut reader = Reader::built_in(80, 24);
    reader.keys("ff");
    assert!(reader.screen().contains("No starred papers yet."), "{}", reader.screen());
}

#[test]
fn read_papers_are_dimmed_and_unread_ones_stand_out() {
    let mut reader = Reader::built_in(120, 40);
    reader.keys("j<Enter>qj");
    let buffer = reader.terminal.backend().buffer().clone();
    // Row 2 is the first paper (unread), row 3 the second (read), row 4 is selected.
    let title_x = 6;
    assert_eq!(buffer[(2, 2)].symbol(), "●");
    assert!(buffer[(title_x, 2)].modifier.contains(Modifier::BOLD));
    assert_eq!(buffer[(2, 3)].symbol(), " ");
    assert!(buffer[(title_x, 3)].modifier.contains(Modifier::DIM));
    assert!(buffer[(title_x, 4)].modifier.contains(Modifier::REVERSED), "the selection is shown");
}

#[test]
fn stars_show_in_the_list_detail_and_status() {
    let mut reader = Reader::built_in(120, 40);
    reader.keys("js");
    let screen = reader.screen();
    assert!(screen.lines().nth(3).is_some_and(|l| l.contains("★ Mamba YOLO")), "{screen}");
    assert!(screen.contains("★ starred"));
    assert!(screen.contains("★ 1 ·"));
}

#[test]
fn wide_characters_keep_the_columns_aligned() {
    let mut reader = Reader::open(&["wide-chars.txt"], 80, 24);
    assert_snapshot!(reader.screen());
    let screen = reader.screen();
    for line in screen.lines() {
        assert_eq!(unicode_width::UnicodeWidthStr::width(line), 80, "{line}");
    }
    reader.keys("/中国");
    assert_eq!(reader.app.results().len(), 1);
}

#[test]
fn hostile_input_never_reaches_a_cell() {
    for width in [80, 120] {
        let mut reader = Reader::open(&["hostile.txt"], width, 24);
        reader.keys("<Enter>");
        let buffer = reader.terminal.backend().buffer();
        for cell in buffer.content() {
            assert!(papers::sanitize::first_unsafe(cell.symbol()).is_none(), "{:?}", cell.symbol());
        }
        assert!(reader.screen().contains("Evil Red Title override end"));
    }
}

#[test]
fn a_paper_without_an_abstract_says_so() {
    let mut reader = Reader::open(&["missing-abstract.txt"], 120, 30);
    reader.keys("j");
    assert!(reader.screen().contains("The digest gives no abstract for this paper."));
}

#[test]
fn resizing_switches_between_side_by_side_and_one_pane() {
    let mut reader = Reader::built_in(120, 40);
    assert!(reader.screen().contains("╭ Abstract"));
    reader.resize(99, 30);
    assert!(!reader.screen().contains("╭ Abstract"));
    reader.keys("<Enter>");
    assert!(reader.screen().contains("╭ Abstract") && !reader.screen().contains("╭ Papers"));
    reader.resize(100, 30);
    assert!(reader.screen().contains("╭ Abstract") && reader.screen().contains("╭ Papers"));
}

#[test]
fn the_list_scrolls_to_keep_the_selection_visible() {
    let mut reader = Reader::built_in(80, 24);
    reader.keys("G");
    let screen = reader.screen();
    assert!(screen.contains("Efficiently Robustify Pre-trained Models"), "{screen}");
    assert!(!screen.contains("Deep Learning for Personalized Electrocardiogram"));
    reader.keys("g");
    assert!(reader.screen().contains("Deep Learning for Personalized Electrocardiogram"));
}

#[test]
fn mouse_click_selects_and_wheel_scrolls_the_abstract() {
    let mut reader = Reader::built_in(110, 20);
    let click = |kind, column, row| Event::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE });
    reader.event(click(MouseEventKind::Down(MouseButton::Left), 10, 6));
    assert_eq!(reader.app.selected(), 4);
    assert_eq!(reader.app.unread_count(), 83, "a click selects, it does not read");
    reader.event(click(MouseEventKind::ScrollDown, 80, 10));
    assert_eq!(reader.app.detail_scroll(), 3);
}

#[test]
fn scrolling_the_abstract_shows_its_end() {
    let mut reader = Reader::built_in(80, 24);
    reader.keys("<Enter>GG");
    let screen = reader.screen();
    assert!(screen.contains("100%"), "{screen}");
    assert!(screen.contains("cardiac diagnostics."), "{screen}");
}

#[test]
fn what_happened_to_the_state_file_is_shown_in_full_80x24() {
    let mut reader = Reader::built_in(80, 24);
    reader.message(papers::app::Msg::Alert(vec![
        "/home/ada/.local/share/papers/state.json is damaged (it ends too early: EOF while parsing a string at \
         line 1 column 6); kept it as /home/ada/.local/share/papers/state.json.damaged-1764000000000 and restored \
         the marks of 12 papers from the backup /home/ada/.local/share/papers/state.json.bak"
            .to_string(),
    ]));
    assert_snapshot!(reader.screen());
    // Behind the box the reader waits: a star key does nothing until the box is closed.
    reader.keys("s");
    assert!(reader.screen().contains("★ 0 ·"));
    reader.keys("<Enter>s");
    assert!(!reader.screen().contains("Stars and read marks"));
    assert!(reader.screen().contains("★ 1 ·"));
}

#[test]
fn a_newer_state_file_means_read_only_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.json");
    std::fs::write(&path, br#"{"version": 99, "papers": {}}"#).unwrap();
    let (store, notices) = papers::state::Store::open(&path);
    let app = papers::app::App::new(papers::cli::load(&[]).unwrap(), &store);
    let mut reader = Reader::with(app, store, 80, 24, dir);
    reader.message(papers::app::Msg::Alert(notices));
    reader.keys("<Enter>");
    let status = reader.screen().lines().last().unwrap().to_string();
    // The notice is kept with the session's warnings too, counted beside READ-ONLY.
    assert!(status.starts_with(" READ-ONLY  ⚠ 1 warning  83/83 shown"), "{status}");
    reader.keys("s");
    let status = reader.screen().lines().last().unwrap().to_string();
    assert!(status.contains("Starred, but not saved"), "{status}");
    assert_eq!(std::fs::read(&path).unwrap(), br#"{"version": 99, "papers": {}}"#);
}

#[test]
fn two_days_of_json_with_days_upvotes_and_the_rich_detail_pane_140x30() {
    let mut reader = Reader::open(&["hf-daily-papers.json", "hf-daily-papers-day2.json"], 140, 30);
    reader.keys("jj");
    assert_snapshot!(reader.screen());
    // The newest day alone, sorted by upvotes.
    reader.keys("[SSS");
    let screen = reader.screen();
    assert!(screen.contains("2/4 shown") && screen.contains("day: 2024-03-15") && screen.contains("sort: upvotes"));
    let ecg = screen.find("Deep Learning for Personalized").expect("the ECG review is shown");
    let lossless = screen.find("Lossless Checkpoint").expect("the checkpoint paper is shown");
    assert!(ecg < lossless, "19 upvotes before 11:\n{screen}");
    // The day before: the ECG review, on both days, is listed without the later day beside it, which
    // would contradict the day viewed.
    reader.keys("[");
    let screen = reader.screen();
    assert!(screen.contains("day: 2024-03-14"), "{screen}");
    let list: Vec<&str> = screen.lines().filter(|l| l.contains("Deep Learning for Personalized")).collect();
    assert!(!list.is_empty() && list.iter().all(|l| !l.contains("Mar 15")), "{screen}");
}

#[test]
fn format_characters_never_shift_a_pane_and_joined_emoji_stay_aligned() {
    // Every kind of format character the sanitiser drops, in a title and an abstract, and an emoji family
    // joined by zero-width joiners, which it keeps: each row is exactly as wide as the terminal. The
    // family is drawn as its first picture, in the two columns measured: a terminal that does not join
    // it would give each picture two columns of its own (see `ui::cells`).
    let format: String =
        ['\u{600}', '\u{6dd}', '\u{70f}', '\u{8e2}', '\u{206a}', '\u{110bd}', '\u{1bca0}', '\u{1d173}']
            .into_iter()
            .chain(['\u{13430}', '\u{13436}', '\u{e0001}', '\u{e0041}', '\u{ad}'])
            .collect();
    let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
    let title = format!("Hieroglyph{format} Formats and a {family} family");
    let abstract_text = format!(
        "An abstract with a hieroglyph joiner here{format} and a {family} family in it, long enough to be prose."
    );
    let text = format!("{title}\n\n{abstract_text}\n\nAnother Title\n\n{abstract_text}\n");
    let digest = papers::digest::parse_text("formats.txt", text.as_bytes()).unwrap();
    assert_eq!(digest.papers().next().unwrap().title(), format!("Hieroglyph Formats and a {family} family"));
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = papers::state::Store::open(&dir.path().join("state.json"));
    let app = papers::app::App::new(papers::digest::into_library([digest]), &store);
    let mut reader = Reader::with(app, store, 120, 20, dir);
    for keys in ["", "<Enter>"] {
        reader.keys(keys);
        let screen = reader.screen();
        for line in screen.lines() {
            assert_eq!(unicode_width::UnicodeWidthStr::width(line), 120, "{line}");
        }
        assert!(screen.contains("\u{1f468} family"), "{screen}");
        for cell in reader.terminal.backend().buffer().content() {
            assert_eq!(papers::sanitize::first_unsafe(cell.symbol()), None, "{:?}", cell.symbol());
        }
    }
}

#[test]
fn text_search_and_the_papers_like_a_result_120x40() {
    let mut reader = Reader::built_in(120, 40);
    reader.work.open_index(&mut reader.app, papers::index::Index::in_memory().unwrap());
    reader.keys("/?\"clean energy transition\"<Enter>");
    let screen = reader.screen();
    assert!(screen.contains("1/83 shown"), "{screen}");
    assert_eq!(
        reader.selected_title(),
        "AdsorbRL: Deep Multi-Objective Reinforcement Learning for Inverse Catalysts Design"
    );
    // The words found are highlighted in the abstract.
    let buffer = reader.terminal.backend().buffer().clone();
    let highlighted: String = buffer
        .content()
        .iter()
        .filter(|cell| cell.modifier.contains(Modifier::UNDERLINED))
        .map(|cell| cell.symbol())
        .collect();
    assert!(highlighted.contains("cleanenergytransition"), "{highlighted:?}");
    reader.keys("m");
    assert_snapshot!(reader.screen());
    reader.keys("<Esc>");
    assert!(reader.screen().contains("1/83 shown"));
}

/// A text search that finds nothing while papers wait to be indexed says so, rather than a bare "no".
#[test]
fn a_text_search_that_finds_nothing_while_papers_wait_for_the_index_says_so() {
    use papers::app::{IndexNews, Msg};
    let mut reader = Reader::built_in(100, 20);
    reader.work.open_index(&mut reader.app, papers::index::Index::in_memory().unwrap());
    reader.keys("/?zanzibarian<Enter>");
    let screen = reader.screen();
    assert!(screen.contains("No paper's text has “zanzibarian”."), "{screen}");
    assert!(!screen.contains("not indexed yet"), "{screen}");
    // Another papers holds the index: three papers sent, none taken in yet.
    reader.work.dispatch(&mut reader.app, Msg::Index(IndexNews::Progress { taken: 80, sent: 83, searchable: 80 }));
    reader.draw();
    let screen = reader.screen();
    assert!(screen.contains("3 papers are not indexed yet; the search"), "{screen}");
    assert!(screen.contains("is asked again as they are."), "{screen}");
    // The index found damaged: text search is off for the session, and the list says so.
    reader.work.dispatch(&mut reader.app, Msg::Index(IndexNews::Off("the full-text index is damaged (x)".into())));
    reader.keys("<Esc>/?zanzibarian");
    let screen = reader.screen();
    assert!(screen.contains("No full-text search this session."), "{screen}");
    assert!(screen.contains("the full-text index is damaged (x)"), "{screen}");
    assert!(!screen.contains("No paper's text has"), "{screen}");
}

/// The built-in digest with its first paper tagged and given a note, as `t` and `N` leave it.
fn tagged_reader(width: u16, height: u16) -> Reader {
    let mut reader = Reader::built_in(width, height);
    reader.keys("trl survey-2024 surveys<Enter>");
    reader
}

#[test]
fn tag_prompt_completes_and_offers_every_paper_shown_80x24() {
    let mut reader = tagged_reader(80, 24);
    // The title leaves room for the first tag only: the others are cut.
    assert!(reader.screen().contains("A Review #rl…│"), "the tags show in the row:\n{}", reader.screen());
    reader.keys("jt-old sur<Tab>");
    // `sur` fits two tags: completed as far as they agree, both offered.
    assert_snapshot!(reader.screen());
    reader.keys("<C-a>");
    let bottom = reader.screen().lines().last().unwrap_or_default().to_string();
    assert!(bottom.contains("tags of all 83:"), "{bottom}");
    reader.keys("<Enter>");
    let bottom = reader.screen().lines().last().unwrap_or_default().to_string();
    assert!(bottom.contains("-#old +#survey on 83 papers? y/n"), "{bottom}");
    reader.keys("n");
    assert!(reader.screen().contains("Nothing changed"));
}

#[test]
fn a_tag_the_prompt_cannot_take_is_said_in_the_prompt_80x24() {
    let mut reader = Reader::built_in(80, 24);
    reader.keys("ta,b<Enter>");
    let bottom = reader.screen().lines().last().unwrap_or_default().to_string();
    assert!(bottom.contains("tags: a,b") && bottom.contains("“a,b” is not a tag"), "{bottom}");
    reader.keys("<Backspace><Backspace> -c<Enter>");
    let screen = reader.screen();
    assert!(!screen.contains("tags:") && screen.contains("Tagged +#a -#c"), "{screen}");
}

#[test]
fn a_long_query_that_matches_nothing_is_said_a_column_in_from_the_borders_40x12() {
    let mut reader = Reader::built_in(40, 12);
    reader.keys("/qqq zzz xxx yyy www vvv uuu ttt<Enter>");
    let screen = reader.screen();
    let rows: Vec<&str> =
        screen.lines().filter(|l| l.starts_with('│') && !l.trim_matches(['│', ' ']).is_empty()).collect();
    assert!(rows.len() >= 3, "the message wraps:\n{screen}");
    for row in rows {
        assert!(row.starts_with("│ ") && row.ends_with(" │"), "{row:?} in\n{screen}");
    }
}

#[test]
fn a_message_has_the_status_line_before_the_search_shown_80x24() {
    let mut reader = Reader::built_in(80, 24);
    reader.keys("/mamba<Enter>");
    let bottom = reader.screen().lines().last().unwrap_or_default().to_string();
    assert!(bottom.contains("5/83 shown · ★ 0 · 83 unread · search: mamba"), "{bottom}");
    // The message whole, to its end; the counts of what is shown stay.
    reader.keys("z");
    let bottom = reader.screen().lines().last().unwrap_or_default().to_string();
    assert!(bottom.starts_with(" 5/83 shown ") && bottom.contains("(z: undo)") && !bottom.contains('…'), "{bottom}");
}

#[test]
fn the_empty_search_bar_says_how_to_reach_it_then_what_it_takes() {
    let mut reader = Reader::built_in(100, 30);
    let top = |reader: &Reader| reader.screen().lines().next().unwrap_or_default().to_string();
    assert!(top(&reader).contains("press / to search titles"), "{}", top(&reader));
    reader.keys("/");
    let bar = top(&reader);
    assert!(bar.contains("title words · @author · cat:cs.CL · \"phrase\" · ?text"), "{bar}");
    assert!(!bar.contains("press /"), "{bar}");
    reader.keys("<Esc>");
    assert!(top(&reader).contains("press / to search titles"), "{}", top(&reader));
}

#[test]
fn in_a_narrow_terminal_the_counts_give_way_to_a_message_40x10() {
    let mut reader = Reader::built_in(40, 10);
    reader.keys("r");
    let bottom = reader.screen().lines().last().unwrap_or_default().to_string();
    assert!(bottom.contains("Marked read") && !bottom.contains('…'), "{bottom:?}");
    // The shortest count, the papers shown, stays where it fits beside the message.
    assert!(bottom.starts_with(" 83/83 "), "{bottom:?}");
    // Once the message has gone, the counts are back.
    reader.keys("j");
    let bottom = reader.screen().lines().last().unwrap_or_default().to_string();
    assert!(bottom.starts_with(" 83/83 shown · ★ 0 · 82 unread"), "{bottom:?}");
}

#[test]
fn a_paper_with_tags_and_a_note_120x40() {
    let mut reader = tagged_reader(120, 40);
    // The editor writes the note, an escape sequence in it.
    reader.work.editor = Some(Box::new(|old: &str| {
        assert_eq!(old, "", "no note yet");
        Ok("Compare with S4.\n\nRead §3 first: \u{1b}[31mnot red\u{1b}[0m\n".into())
    }));
    reader.keys("N");
    assert_eq!(reader.work.edited, [""]);
    assert_snapshot!(reader.screen());
    let screen = reader.screen();
    assert!(screen.contains("#rl #survey-2024 #surveys"), "{screen}");
    assert!(screen.contains("Read §3 first: not red"), "the note is shown made safe:\n{screen}");
}

#[test]
fn a_query_that_does_not_parse_says_why_in_the_bar_and_keeps_the_results() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut reader = Reader::built_in(width, height);
        reader.keys("/mamba ");
        let before = reader.selected_title();
        reader.keys("\"surv");
        let screen = reader.screen();
        assert!(screen.contains("a \" is not closed"), "{screen}");
        assert!(screen.contains("5/83 shown"), "{screen}");
        assert_eq!(reader.selected_title(), before);
        assert_snapshot!(format!("bad_query_{width}x{height}"), screen);
        // Typed on into a query that parses, the bar says nothing more and the results follow.
        reader.keys("ey\"");
        assert!(!reader.screen().contains("is not closed"));
        assert_eq!(reader.selected_title(), "A Survey of Mamba");
        assert!(reader.screen().contains("1/83 shown"), "{}", reader.screen());
    }
}

#[test]
fn filters_and_or_narrow_the_list_in_the_reader() {
    let mut reader = Reader::built_in(120, 40);
    reader.keys("/mamba OR yolo");
    let screen = reader.screen();
    assert!(screen.contains("A Survey of Mamba") && screen.to_lowercase().contains("yolo"), "{screen}");
    reader.keys(" NOT is:unread");
    // Nothing is read yet: (mamba) OR (yolo AND read) is the mamba papers alone.
    assert!(reader.screen().contains("5/83 shown"), "{}", reader.screen());
}
