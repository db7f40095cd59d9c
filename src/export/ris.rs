//! RIS: a tagged record per paper, for EndNote, Zotero, Mendeley and other reference managers.
//!
//! As the RIS Format Specifications of Research Information Systems (Reference Manager's, "Field Types and
//! Tags" and "Tag Definitions") give it: each line is a tag of two characters (a capital letter, then a
//! capital or a digit), two spaces, a dash and a space, then the value; lines end with a carriage return and
//! a line feed; a record's first tag is `TY` and its last `ER`. A preprint is `TY  - UNPB`, the spec's
//! unpublished work. Values are kept on one line: every line break and control character in them becomes a
//! space, so that nothing in a title or abstract (a line reading `ER  - `, say) can end a record or start a
//! tag. The spec's reference ID (`ID`) allows only `0`–`9` and `A`–`Z`, which an arXiv id is not: the id goes
//! in `AN` (accession number) with `DB  - arXiv`, the database it is the number of.

use std::borrow::Borrow;
use std::io::{self, Write};

use super::{Entry, nonempty};
use crate::library::Day;

pub(super) fn write_ris<E: Borrow<Entry>>(entries: impl IntoIterator<Item = E>, out: &mut dyn Write) -> io::Result<()> {
    for entry in entries {
        out.write_all(ris_record(entry.borrow()).as_bytes())?;
    }
    Ok(())
}

/// One record, from `TY` to `ER`, each line ended with CR LF.
fn ris_record(entry: &Entry) -> String {
    let mut record = String::new();
    let mut line = |tag: &str, value: &str| {
        record.push_str(tag);
        record.push_str("  - ");
        record.push_str(value);
        record.push_str("\r\n");
    };
    line("TY", "UNPB");
    let title = one_line(&entry.title);
    line("TI", if title.is_empty() { "Untitled" } else { &title });
    for author in entry.authors.iter().map(|a| without_asterisks(&one_line(a))).filter(|a| !a.is_empty()) {
        line("AU", &author);
    }
    if let Some(day) = entry_day(entry) {
        line("PY", &format!("{:04}", day.year()));
        line("DA", &format!("{:04}/{:02}/{:02}/", day.year(), day.month(), day.day()));
    }
    let abstract_text = one_line(&entry.abstract_text);
    if !abstract_text.is_empty() {
        line("AB", &abstract_text);
    }
    for category in entry.categories.iter().map(|c| without_asterisks(&one_line(c))).filter(|c| !c.is_empty()) {
        line("KW", &category);
    }
    if let Some(id) = nonempty(&entry.arxiv_id).map(one_line) {
        line("DB", "arXiv");
        line("AN", &format!("arXiv:{id}"));
    }
    // The spec allows a URL per `UR` line: the paper's page first, then its code and its project.
    for url in [&entry.url, &entry.code, &entry.project].into_iter().filter_map(nonempty).map(one_line) {
        line("UR", &url);
    }
    line("ER", "");
    record
}

/// The day that dates a paper: its publication, else the first digest it appeared in.
fn entry_day(entry: &Entry) -> Option<Day> {
    entry.published.as_deref().and_then(Day::parse_iso).or_else(|| entry.days.first().and_then(|d| Day::parse_iso(d)))
}

/// `text` on one line: line breaks (CR, LF, vertical tab, form feed, NEL, Unicode's line and paragraph
/// separators) and other control characters become spaces, runs of spaces one, ends trimmed.
fn one_line(text: &str) -> String {
    let spaced: String =
        text.chars().map(|c| if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The spec does not allow `*` in author and keyword fields.
fn without_asterisks(text: &str) -> String {
    text.replace('*', "").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_starts_with_ty_and_ends_with_er_whatever_the_abstract_holds() {
        let entry = Entry {
            title: "Line\nBreaks\r\nEverywhere".into(),
            authors: vec!["A*uthor\u{2028}One".into(), "  ".into()],
            abstract_text: "First.\n\nER  - \nTY  - JOUR\u{0b}\u{85}after\u{2029}end".into(),
            ..Entry::default()
        };
        let record = ris_record(&entry);
        let lines: Vec<&str> = record.split_terminator("\r\n").collect();
        assert_eq!(lines.first(), Some(&"TY  - UNPB"));
        assert_eq!(lines.last(), Some(&"ER  - "));
        assert_eq!(lines.iter().filter(|l| l.starts_with("ER  -")).count(), 1, "{record:?}");
        assert_eq!(lines.iter().filter(|l| l.starts_with("TY  -")).count(), 1, "{record:?}");
        assert!(lines.contains(&"TI  - Line Breaks Everywhere"), "{record:?}");
        assert!(lines.contains(&"AU  - Author One"), "{record:?}");
        assert!(lines.contains(&"AB  - First. ER - TY - JOUR after end"), "{record:?}");
        assert!(!record.replace("\r\n", "").contains(['\r', '\n']), "{record:?}");
        // Every line is a tag: two characters, two spaces, a dash, a space.
        for line in lines {
            let tag = line.as_bytes();
            assert!(tag[0].is_ascii_uppercase() && (tag[1].is_ascii_uppercase() || tag[1].is_ascii_digit()), "{line}");
            assert_eq!(&line[2..6], "  - ", "{line}");
        }
    }
}
