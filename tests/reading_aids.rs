//! Screens of issue 17's reading aids: the day and upvote columns at 100 columns, the messages pane, the
//! pick-one boxes of `Y` and `E`, arXiv links, and LaTeX shown as text.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Reader;
use insta::assert_snapshot;

/// The row of the list that shows `title`.
fn row_of(screen: &str, title: &str) -> String {
    screen.lines().find(|l| l.contains(title)).unwrap_or_else(|| panic!("no row with {title}:\n{screen}")).to_string()
}

#[test]
fn days_and_upvotes_show_beside_titles_from_100_columns_100x30() {
    let reader = Reader::open(&["hf-daily-papers.json", "hf-daily-papers-day2.json"], 100, 30);
    assert_snapshot!(reader.screen());
    let row = row_of(&reader.screen(), "Deep Learning for Perso");
    // The title is cut before the columns are: both are in the list pane, left of its border.
    let list = &row[..row.find("││").expect("two panes")];
    assert!(list.contains('…') && list.contains("▲19") && list.contains("Mar 15"), "{list}");
}

#[test]
fn days_and_upvotes_show_beside_titles_120x40() {
    let reader = Reader::open(&["hf-daily-papers.json", "hf-daily-papers-day2.json"], 120, 40);
    assert_snapshot!(reader.screen());
    let row = row_of(&reader.screen(), "Deep Learning for Perso");
    let list = &row[..row.find("││").expect("two panes")];
    assert!(list.contains("▲19") && list.contains("Mar 15"), "{list}");
}

#[test]
fn a_list_too_narrow_for_a_title_and_the_columns_keeps_the_title() {
    // 40 columns leave 38 inside the border: too few for a title and the columns, so the title alone.
    let reader = Reader::open(&["hf-daily-papers.json", "hf-daily-papers-day2.json"], 40, 12);
    let row = row_of(&reader.screen(), "Deep Lea");
    assert!(!row.contains('▲'), "{row}");
}

/// The reader on `library`, warnings stamped at 09:30 so that screens do not change with the time.
fn reader_on(library: papers::library::Library, width: u16, height: u16) -> Reader {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = papers::state::Store::open(&dir.path().join("state.json"));
    let app = papers::app::App::new(library, &store).clocked(|| jiff::civil::time(9, 30, 0, 0));
    Reader::with(app, store, width, height, dir)
}

/// The reader on the built-in digest with the warnings of a digest with bad bytes, a file passed over
/// and a failed save, as the reader hears of them.
fn reader_with_warnings(width: u16, height: u16) -> Reader {
    let mut reader = reader_on(papers::cli::load(&[]).unwrap(), width, height);
    let bytes = std::fs::read(common::fixture("invalid-utf8.txt")).unwrap();
    let digest = papers::digest::parse_text("days/invalid-utf8.txt", &bytes).unwrap();
    assert!(!digest.warnings.is_empty(), "the fixture has bytes to replace");
    let mut warnings = digest.warnings;
    warnings.push("days/notes.txt: the file is empty\n  (passed over: not a digest)".to_string());
    reader.message(Msg::Warnings(Origin::Loading, warnings));
    reader.message(Msg::Failed("cannot start the browser: no such file".to_string()));
    reader
}

use papers::app::{Msg, Origin};

#[test]
fn warnings_are_counted_in_the_status_line_and_listed_by_bang_80x24() {
    let mut reader = reader_with_warnings(80, 24);
    let count = reader.app.notes().len();
    reader.keys("j");
    let status = reader.screen().lines().last().unwrap().to_string();
    assert!(status.starts_with(&format!(" ⚠ {count} warnings ")), "{status}");
    reader.keys("!");
    assert_snapshot!(reader.screen());
    let screen = reader.screen();
    assert!(screen.contains("days/invalid-utf8.txt:") && screen.contains("days/notes.txt — the file is empty"));
    // The pane takes the keys: j scrolls it (not the list), Esc closes it.
    let selected = reader.app.selected();
    reader.keys("j<Esc>");
    assert_eq!(reader.app.selected(), selected);
    assert!(!reader.screen().contains("Messages:"));
    reader.keys("!");
    assert!(reader.screen().contains("Messages:"));
    reader.keys("!");
    assert!(!reader.screen().contains("Messages:"));
}

#[test]
fn the_messages_pane_scrolls_when_it_is_longer_than_the_screen_60x10() {
    let mut reader = reader_with_warnings(60, 10);
    reader.keys("!");
    let first = reader.screen();
    assert!(first.contains("j/k PgDn scroll"), "{first}");
    reader.keys("G");
    let last = reader.screen();
    assert_ne!(first, last);
    assert!(last.contains("cannot start the browser"), "{last}");
    assert!(last.contains("100%"), "{last}");
    reader.keys("g");
    assert_eq!(reader.screen(), first);
}

#[test]
fn state_file_news_stays_in_its_box_and_load_warnings_do_not_open_it() {
    let mut reader = reader_with_warnings(80, 24);
    assert!(reader.app.alert().is_none(), "load warnings go to the messages pane only");
    reader.message(Msg::Alert(vec!["state.json is damaged; kept it as state.json.damaged-1".to_string()]));
    let screen = reader.screen();
    assert!(screen.contains("Stars and read marks") && !screen.contains("invalid-utf8"), "{screen}");
    reader.keys("<Enter>!");
    assert!(reader.screen().contains("09:30:00  state.json is damaged"), "{}", reader.screen());
}

/// The reader on the two days of Hugging Face JSON (arXiv papers with upvotes), the ECG review selected.
fn arxiv_reader(width: u16, height: u16) -> Reader {
    let files: Vec<_> = ["hf-daily-papers.json", "hf-daily-papers-day2.json"]
        .iter()
        .map(|f| std::path::Path::new("tests/fixtures").join(f))
        .collect();
    let mut reader = reader_on(papers::cli::load(&files).unwrap(), width, height);
    reader.keys("/personalized electro<Enter>");
    assert!(reader.selected_title().starts_with("Deep Learning for Personalized"));
    reader
}

#[test]
fn an_arxiv_paper_links_its_abstract_pdf_and_hugging_face_pages_120x40() {
    let mut reader = arxiv_reader(120, 40);
    reader.keys("<Enter>");
    assert_snapshot!(reader.screen());
    let screen = reader.screen();
    assert!(screen.contains("[1] arXiv https://arxiv.org/abs/2403.09043"), "{screen}");
    assert!(screen.contains("[2] PDF https://arxiv.org/pdf/2403.09043"), "{screen}");
    assert!(screen.contains("[3] Hugging Face https://huggingface.co/papers/2403.09043"), "{screen}");
    reader.keys("2");
    assert!(reader.screen().contains("Opening https://arxiv.org/pdf/2403.09043"));
}

#[test]
fn capital_y_asks_what_to_copy_and_copies_it_120x40() {
    let mut reader = arxiv_reader(120, 40);
    reader.keys("Y");
    assert_snapshot!(reader.screen());
    let choice = reader.app.choice().expect("a choice is asked").clone();
    assert_eq!(choice.options.len(), 4);
    assert_eq!(choice.options[3], "title and URL");
    let bottom = reader.screen().lines().last().unwrap_or_default().to_string();
    assert!(bottom.contains("⏎ take") && bottom.contains("Esc close") && !bottom.contains("star"), "{bottom}");
    // The highlighted option is drawn as the list's selection is (reverse video), to the box's border.
    let buffer = reader.terminal.backend().buffer().clone();
    let screen = reader.screen();
    let y = screen.lines().position(|l| l.contains("1  arXiv id")).expect("the arXiv id option is drawn") as u16;
    let x = (0..buffer.area.width - 3)
        .find(|&x| (0..3).map(|i| buffer[(x + i, y)].symbol()).collect::<String>() == "1  ")
        .unwrap();
    let (left, right) = (x - 2, (x..buffer.area.width).find(|&x| buffer[(x, y)].symbol() == "│").unwrap());
    let reversed = |x: u16| buffer[(x, y)].modifier.contains(ratatui::style::Modifier::REVERSED);
    assert!((left + 1..right).all(reversed), "the whole row is highlighted");
    // Down to the BibTeX entry, and Enter copies it.
    reader.keys("jj<Enter>");
    assert!(reader.app.choice().is_none());
    assert!(reader.screen().contains("Copied the BibTeX entry"), "{}", reader.screen());
    // Esc closes the choice and copies nothing; 1 takes the first option at once.
    reader.keys("Y<Esc>");
    assert!(reader.app.choice().is_none() && !reader.screen().contains("Copied"));
    reader.keys("Y1");
    assert!(reader.screen().contains("Copied the arXiv id"), "{}", reader.screen());
}

#[test]
fn capital_e_asks_for_the_format_with_the_configured_one_highlighted_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = papers::state::Store::open(&dir.path().join("state.json"));
    let app = papers::app::App::new(papers::cli::load(&[]).unwrap(), &store)
        .exporting_to(dir.path().to_path_buf(), papers::export::Format::Json);
    let mut reader = Reader::with(app, store, 80, 24, dir);
    reader.keys("/mamba<Enter>E");
    assert_snapshot!(reader.screen());
    assert_eq!(reader.app.choice().map(|c| c.selected), Some(2), "JSON, as configured");
    // Up to Markdown, and Enter exports the five papers shown in it.
    reader.keys("k<Enter>");
    let said = reader.app.message().map(|m| m.0.clone()).unwrap_or_default();
    assert!(said.starts_with("Exported 5 papers to") && said.ends_with(".md"), "{said}");
    // Too long for 80 columns, it is cut in its middle: the name of the file written is read.
    let screen = reader.screen();
    let status = screen.lines().last().unwrap_or_default();
    assert!(status.contains("Exported 5 papers to") && status.contains('…'), "{status}");
    assert!(status.trim_end().ends_with(".md"), "{status}");
}

#[test]
fn a_choice_in_a_box_shorter_than_its_options_keeps_the_highlighted_one_in_sight_40x10() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = papers::state::Store::open(&dir.path().join("state.json"));
    let app = papers::app::App::new(papers::cli::load(&[]).unwrap(), &store)
        .exporting_to(dir.path().to_path_buf(), papers::export::Format::Bibtex);
    let mut reader = Reader::with(app, store, 40, 10, dir);
    reader.keys("E");
    let options = reader.app.choice().map(|c| c.options.len()).unwrap_or_default();
    for _ in 1..options {
        reader.keys("j");
    }
    let choice = reader.app.choice().expect("a choice is asked").clone();
    assert_eq!(choice.selected, options - 1);
    let last = format!("{options}  {}", choice.options[options - 1]);
    let screen = reader.screen();
    assert!(screen.contains(&last), "{last:?} is not in sight:\n{screen}");
    // Drawn as the selection: reverse video.
    let buffer = reader.terminal.backend().buffer().clone();
    let y = screen.lines().position(|l| l.contains(&last)).unwrap() as u16;
    let reversed =
        (0..buffer.area.width).filter(|&x| buffer[(x, y)].modifier.contains(ratatui::style::Modifier::REVERSED));
    assert!(reversed.count() > last.len(), "{screen}");
    // And back up to the first.
    for _ in 1..options {
        reader.keys("k");
    }
    assert!(reader.screen().contains(&format!("1  {}", choice.options[0])), "{}", reader.screen());
}

#[test]
fn latex_in_titles_and_abstracts_reads_as_unicode_and_is_found_either_way_100x30() {
    let text = "$\\alpha$-DPO: Adaptive Reward Margin for Direct Preference Optimization\n\n\
                We align models in $\\mathcal{O}(n^2)$ time with a margin $\\gamma_i \\le 1$, and \\textbf{no} \
                reward model; $\\weird{x}$ stays as written.\n\n\
                A Plain Title About Transformers\n\n\
                An abstract long enough to be prose, with nothing to convert in it at all.\n";
    let digest = papers::digest::parse_text("latex.txt", text.as_bytes()).unwrap();
    let library = papers::digest::into_library([digest]);
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = papers::state::Store::open(&dir.path().join("state.json"));
    let app =
        papers::app::App::new(library, &store).exporting_to(dir.path().to_path_buf(), papers::export::Format::Markdown);
    let mut reader = Reader::with(app, store, 100, 30, dir);
    assert_snapshot!(reader.screen());
    let screen = reader.screen();
    assert!(screen.contains("│ ●   α-DPO: Adaptive Reward"), "{screen}");
    assert!(screen.contains("𝒪(n²) time with a margin γᵢ ≤ 1,") && screen.contains("and no reward"), "{screen}");
    assert!(screen.contains(r"$\weird{x}$ stays as written"), "{screen}");
    // Found by what is drawn and by what is written.
    reader.keys("/α-dpo");
    assert_eq!(reader.app.results().len(), 1);
    reader.keys("<Esc>/'alpha");
    assert_eq!(reader.app.results().len(), 1);
    assert!(reader.selected_title().starts_with("$\\alpha$-DPO"));
    // Exports keep the digest's text: JSON (one down from the configured Markdown) read back.
    reader.keys("<Enter>Ej<Enter>");
    let said = reader.app.message().map(|m| m.0.clone()).unwrap_or_default();
    let path = said.trim_start_matches("Exported 1 papers to ");
    let written = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{said}: {e}"));
    let entries: Vec<papers::export::Entry> = serde_json::from_str(&written).unwrap();
    assert_eq!(entries[0].title, "$\\alpha$-DPO: Adaptive Reward Margin for Direct Preference Optimization");
    assert!(entries[0].abstract_text.contains("$\\mathcal{O}(n^2)$"), "{}", entries[0].abstract_text);
}
