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

/// The reader on the two days of Hugging Face JSON (arXiv papers with upvotes), the ECG review selected.
fn arxiv_reader(width: u16, height: u16) -> Reader {
    let mut reader = Reader::open(&["hf-daily-papers.json", "hf-daily-papers-day2.json"], width, height);
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
