//! Export tests: BibTeX that a real parser reads back whole, citation keys, Markdown lists, JSON and CSV round
//! trips, RIS records.

use std::collections::HashSet;

use biblatex::{Bibliography, ChunksExt};

use super::bibtex::{Keys, bibtex_key};
use super::*;

fn text(s: &str) -> String {
    s.to_string()
}

/// Every field set.
fn full() -> Entry {
    Entry {
        title: text("Deep Learning for Everything"),
        authors: vec![text("Hans Muller"), text("Jane Doe"), text("Ann Lee")],
        arxiv_id: Some(text("2403.12345")),
        categories: vec![text("cs.LG"), text("cs.CL")],
        upvotes: Some(42),
        published: Some(text("2024-03-14")),
        days: vec![text("2024-03-15"), text("2024-03-16")],
        url: Some(text("https://arxiv.org/abs/2403.12345")),
        code: Some(text("https://github.com/muller/deep")),
        project: Some(text("https://muller.github.io/deep")),
        starred: true,
        read: false,
        abstract_text: text("We learn deeply, at 100% effort.\n\nSecond paragraph & more."),
        tags: Vec::new(),
        note: None,
    }
}

/// No authors and no id: dated by the day it appeared.
fn anonymous() -> Entry {
    Entry {
        title: text("Untitled Notes on Things"),
        days: vec![text("2023-11-02")],
        url: Some(text("https://example.org/notes (draft)")),
        ..Entry::default()
    }
}

const SPECIAL_TITLE: &str = r"50% of A&B: $x_1^2$ {fast} #1 ~ \back";

fn specials() -> Entry {
    Entry {
        title: text(SPECIAL_TITLE),
        authors: vec![text("Bob O'Neil")],
        published: Some(text("2022-01-05")),
        abstract_text: text("Costs $5 & 10% more_than {that}."),
        ..Entry::default()
    }
}

/// Same last name (once transliterated), year and first title word as `full`.
fn accented() -> Entry {
    Entry {
        title: text("Deep Nets Revisited"),
        authors: vec![text("Élodie Müller")],
        published: Some(text("2024-07-01")),
        ..Entry::default()
    }
}

fn export(format: Format, entries: &[Entry]) -> String {
    let mut out = Vec::new();
    write(format, entries, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn bibtex_is_read_back_whole_by_a_bibtex_parser() {
    let text = export(Format::Bibtex, &[full(), anonymous(), specials(), accented()]);
    let bibliography = Bibliography::parse(&text).unwrap();

    assert_eq!(bibliography.len(), 4);
    let keys: Vec<&str> = bibliography.keys().collect();
    assert_eq!(keys, ["muller2024deep", "untitled2023", "oneil202250", "muller2024deepa"]);
    assert_eq!(keys.iter().collect::<HashSet<_>>().len(), 4);

    let paper = bibliography.get("muller2024deep").unwrap();
    assert_eq!(paper.get("eprint").unwrap().format_verbatim(), "2403.12345");
    assert_eq!(paper.get("archiveprefix").unwrap().format_verbatim(), "arXiv");
    assert_eq!(paper.get("primaryclass").unwrap().format_verbatim(), "cs.LG");
    assert_eq!(paper.get("month").unwrap().format_verbatim(), "March");
    assert_eq!(paper.get("year").unwrap().format_verbatim(), "2024");
    assert_eq!(paper.author().unwrap().len(), 3);
    assert_eq!(
        paper.get("abstract").unwrap().format_verbatim(),
        "We learn deeply, at 100% effort. Second paragraph & more."
    );

    let anonymous = bibliography.get("untitled2023").unwrap();
    assert!(anonymous.get("author").is_none());
    assert!(anonymous.get("eprint").is_none());
    assert_eq!(anonymous.get("year").unwrap().format_verbatim(), "2023");
    assert_eq!(anonymous.get("url").unwrap().format_verbatim(), "https://example.org/notes%20(draft)");

    let special = bibliography.get("oneil202250").unwrap();
    let title = special.get("title").unwrap().format_verbatim();
    assert!(title.contains("50") && title.contains('A') && title.contains('B'), "{title}");
    assert_eq!(title, SPECIAL_TITLE);
    assert_eq!(special.get("abstract").unwrap().format_verbatim(), "Costs $5 & 10% more_than {that}.");

    assert_eq!(bibliography.get("muller2024deepa").unwrap().author().unwrap()[0].name, "Müller");

    let title_line = text.lines().find(|line| line.starts_with("  title = {{50")).unwrap();
    assert!(title_line.contains(r"\&") && title_line.contains(r"\%"), "{title_line}");
    assert!(title_line.match_indices('%').all(|(at, _)| title_line[..at].ends_with('\\')), "{title_line}");
}

#[test]
fn bibtex_entries_have_the_expected_shape() {
    let text = export(Format::Bibtex, &[full(), accented()]);
    assert!(text.starts_with("@misc{muller2024deep,\n  title = {{Deep Learning for Everything}},\n"), "{text}");
    assert!(text.contains("  author = {Hans Muller and Jane Doe and Ann Lee},\n"), "{text}");
    assert!(text.contains("  month = mar,\n"), "{text}");
    assert!(text.contains("  archivePrefix = {arXiv},\n"), "{text}");
    assert!(text.contains("}\n\n@misc{muller2024deepa,\n"), "{text}");
    assert!(text.ends_with("}\n"), "{text}");
    assert!(!text.contains("Code"), "code links stay out of BibTeX");
}

#[test]
fn a_name_with_and_stays_one_author() {
    let entry = Entry { title: text("Reports"), authors: vec![text("Smith and Sons"), text("Ann Lee")], ..full() };
    let text = export(Format::Bibtex, &[entry]);
    assert!(text.contains("author = {{Smith and Sons} and Ann Lee}"), "{text}");
    let bibliography = Bibliography::parse(&text).unwrap();
    assert_eq!(bibliography.iter().next().unwrap().author().unwrap().len(), 2);
}

#[test]
fn many_papers_with_one_key_are_made_unique_in_linear_time() {
    // 20,000 papers without authors whose titles start with the same word: each key is looked up about
    // once, not once for every paper before it.
    let mut given = Keys::default();
    let n = 20_000;
    let keys: HashSet<String> = (0..n).map(|_| given.unique(text("deep2024"))).collect();
    assert_eq!(keys.len(), n);
    assert!(given.probes <= n + 10, "{} lookups for {n} keys", given.probes);
    // Keys another base already made ("deep2024a" is a base of its own here) are passed over.
    let other = given.unique(text("deep2024a"));
    assert!(other.starts_with("deep2024a") && !keys.contains(&other), "{other}");
    assert!(keys.contains("deep2024") && keys.contains("deep2024a") && keys.contains("deep2024aa"));
}

#[test]
fn any_author_name_parses_as_one_author() {
    let names = ["Doe, Jr., John", "A, B, C, D", "Smith,", ", Ann", "Last, First", "First Last", "Lee, Ann and Bo"];
    let entry = Entry { title: text("Names"), authors: names.iter().map(|n| text(n)).collect(), ..full() };
    let text = export(Format::Bibtex, &[entry]);
    assert!(
        text.contains("author = {{Doe, Jr., John} and {A, B, C, D} and {Smith,} and {, Ann} and Last, First"),
        "{text}"
    );
    let bibliography = Bibliography::parse(&text).unwrap();
    let authors = bibliography.iter().next().unwrap().author().unwrap();
    assert_eq!(authors.len(), names.len(), "{authors:?}");
    assert_eq!((authors[4].name.as_str(), authors[4].given_name.as_str()), ("Last", "First"));
}

#[test]
fn keys_are_author_year_and_first_title_word() {
    let entry = |author: &str, title: &str| Entry {
        title: text(title),
        authors: vec![text(author)],
        published: Some(text("2024-03-14")),
        ..Entry::default()
    };
    assert_eq!(bibtex_key(&entry("John Smith", "Deep learning at scale")), "smith2024deep");
    assert_eq!(bibtex_key(&entry("John Smith", "The Art of Scaling")), "smith2024art");
    assert_eq!(bibtex_key(&entry("John Smith", "On the Use of Towers")), "smith2024use");
    assert_eq!(bibtex_key(&entry("Smith, John", "Deep learning")), "smith2024deep");
    assert_eq!(bibtex_key(&entry("Martin Luther King Jr.", "Dreams")), "king2024dreams");
    assert_eq!(bibtex_key(&entry("Søren Ærø-Straße", "Über Netze")), "aerostrasse2024uber");
    assert_eq!(bibtex_key(&entry("李明", "深度学习")), "paper");
}

#[test]
fn keys_fall_back_to_the_id_then_to_paper() {
    let with_id = |id: &str| Entry { title: text("Deep learning"), arxiv_id: Some(text(id)), ..Entry::default() };
    assert_eq!(bibtex_key(&with_id("2403.12345")), "arxiv2403_12345");
    assert_eq!(bibtex_key(&with_id("hep-th/9901001")), "arxivhep-th_9901001");
    assert_eq!(bibtex_key(&Entry { title: text("Deep learning"), ..Entry::default() }), "deep");
    assert_eq!(bibtex_key(&Entry::default()), "paper");
}

#[test]
fn keys_are_lowercase_ascii_and_unique() {
    let mut given = Keys::default();
    let keys: Vec<String> = (0..30).map(|_| given.unique(text("smith2024deep"))).collect();
    assert_eq!(keys[0], "smith2024deep");
    assert_eq!(keys[1], "smith2024deepa");
    assert_eq!(keys[26], "smith2024deepz");
    assert_eq!(keys[27], "smith2024deepaa");
    assert_eq!(keys.iter().collect::<HashSet<_>>().len(), 30);

    for entry in [full(), anonymous(), specials(), accented()] {
        let key = bibtex_key(&entry);
        assert!(key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()), "{key}");
    }
}

#[test]
fn markdown_lists_every_entry_once() {
    let bracketed = Entry { title: text("[Draft] Notes *on* `code`"), url: None, starred: false, ..full() };
    let entries = [full(), anonymous(), specials(), accented(), bracketed];
    let text = export(Format::Markdown, &entries);

    let items: Vec<&str> = text.lines().filter(|line| line.starts_with("- ")).collect();
    assert_eq!(items.len(), entries.len(), "{text}");
    assert!(text.lines().all(|line| line.starts_with("- ") || line.starts_with("  ")), "a tight list: {text}");

    assert_eq!(items[0], "- [Deep Learning for Everything](https://arxiv.org/abs/2403.12345) ★\\");
    let facts = "  Hans Muller, Jane Doe, Ann Lee · arXiv:2403.12345 · cs.LG, cs.CL · 42 upvotes · 2024-03-14\\\n";
    assert!(text.contains(facts), "{text}");
    assert!(text.contains("  Code: <https://github.com/muller/deep>\\\n  Project: <https://muller.github.io/deep>\n"));
    assert_eq!(items[1], "- [Untitled Notes on Things](<https://example.org/notes (draft)>)\\");
    assert_eq!(items[4], r"- \[Draft\] Notes \*on\* \`code\`\");
    assert_eq!(items.iter().filter(|line| line.contains('★')).count(), 1);
}

#[test]
fn markdown_titles_start_no_heading_or_nested_list() {
    let plain = |title: &str| Entry { title: text(title), ..Entry::default() };
    let text = export(Format::Markdown, &[plain("# Heading"), plain("1. First"), plain("- dash"), plain("Plain")]);
    assert_eq!(text, "- \\# Heading\n- 1\\. First\n- \\- dash\n- Plain\n");
}

#[test]
fn json_round_trips() {
    let entries = vec![full(), anonymous(), specials(), accented()];
    let text = export(Format::Json, &entries);
    assert!(text.ends_with("]\n"));
    assert!(text.contains("\"abstract_text\""));
    assert_eq!(serde_json::from_slice::<Vec<Entry>>(text.as_bytes()).unwrap(), entries);
}

#[test]
fn csv_round_trips() {
    let quoted = Entry {
        title: text("He said \"hi\", then left"),
        authors: vec![text("Zoë Ångström"), text("李明"), text("O'Brien, Pat")],
        categories: vec![text("cs.CV"), text("cs.AI"), text("eess.IV")],
        days: vec![text("2024-01-01"), text("2024-01-02"), text("2024-01-03")],
        abstract_text: text("Line one, with a comma.\r\nLine \"two\".\n\nA new paragraph; with a semicolon."),
        read: true,
        ..Entry::default()
    };
    let entries = vec![full(), anonymous(), specials(), accented(), quoted];
    let text = export(Format::Csv, &entries);
    assert!(text.starts_with(
        "title,authors,arxiv_id,categories,upvotes,published,days,url,code,project,starred,read,abstract\n"
    ));
    assert_eq!(read_csv(text.as_bytes()).unwrap(), entries);
}

#[test]
fn csv_reading_is_lenient_about_columns_and_strict_about_values() {
    let entries = read_csv("\u{feff}Title,upvotes\nA paper,7\n,\n".as_bytes()).unwrap();
    assert_eq!(entries, [Entry { title: text("A paper"), upvotes: Some(7), ..Entry::default() }]);

    let error = read_csv("title,upvotes\nA paper,many\n".as_bytes()).unwrap_err();
    assert!(error.contains("line 2") && error.contains("many"), "{error}");
    assert!(read_csv("name\nA paper\n".as_bytes()).unwrap_err().contains("title"));
    assert!(read_csv("title,starred\nA paper,maybe\n".as_bytes()).is_err());
}

#[test]
fn formats_name_their_extensions() {
    let extensions: Vec<&str> = [Format::Bibtex, Format::Markdown, Format::Json, Format::Csv, Format::Ris]
        .into_iter()
        .map(Format::extension)
        .collect();
    assert_eq!(extensions, ["bib", "md", "json", "csv", "ris"]);
}

#[test]
fn every_format_written_an_entry_at_a_time_is_what_the_whole_list_gives() {
    let entries = [full(), anonymous(), specials(), accented()];
    for format in [Format::Bibtex, Format::Markdown, Format::Json, Format::Csv, Format::Ris] {
        for list in [&entries[..], &entries[..1], &[]] {
            let mut streamed = Vec::new();
            // Entries made as they are written, as the command line makes them.
            super::write_each(format, list.iter().cloned(), &mut streamed).unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                export(format, list),
                "{format:?}, {} entries",
                list.len()
            );
        }
    }
    // JSON as serde writes the whole array.
    let mut whole = serde_json::to_vec_pretty(&entries).unwrap();
    whole.push(b'\n');
    assert_eq!(export(Format::Json, &entries).into_bytes(), whole);
    assert_eq!(export(Format::Json, &[]), "[]\n");
}

#[test]
fn ris_gives_each_paper_a_record_as_the_spec_lays_it_out() {
    let text = export(Format::Ris, &[full(), anonymous()]);
    let expected = "TY  - UNPB\r\n\
TI  - Deep Learning for Everything\r\n\
AU  - Hans Muller\r\n\
AU  - Jane Doe\r\n\
AU  - Ann Lee\r\n\
PY  - 2024\r\n\
DA  - 2024/03/14/\r\n\
AB  - We learn deeply, at 100% effort. Second paragraph & more.\r\n\
KW  - cs.LG\r\n\
KW  - cs.CL\r\n\
DB  - arXiv\r\n\
AN  - arXiv:2403.12345\r\n\
UR  - https://arxiv.org/abs/2403.12345\r\n\
UR  - https://github.com/muller/deep\r\n\
UR  - https://muller.github.io/deep\r\n\
ER  - \r\n\
TY  - UNPB\r\n\
TI  - Untitled Notes on Things\r\n\
PY  - 2023\r\n\
DA  - 2023/11/02/\r\n\
UR  - https://example.org/notes (draft)\r\n\
ER  - \r\n";
    assert_eq!(text, expected);
}

#[test]
fn every_ris_record_has_its_type_first_and_its_end_last_whatever_the_text() {
    let hostile = Entry {
        title: text("A title\nER  - \nTY  - JOUR"),
        authors: vec![text("Eve\r\nER  - "), text("*")],
        abstract_text: text("One line.\nER  - \n\nTY  - BOOK\rAU  - Mallory\u{2028}end."),
        categories: vec![text("cs.CR\nER  -")],
        url: Some(text("https://example.org/\nER  - ")),
        ..Entry::default()
    };
    let entries = [full(), hostile, anonymous(), specials(), accented()];
    let text = export(Format::Ris, &entries);
    assert!(text.ends_with("ER  - \r\n"));
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert!(lines.iter().all(|l| !l.contains(['\r', '\n'])), "a bare line break: {text:?}");
    // Read back as a reference manager does: a record from each `TY` to the next `ER`.
    let mut records: Vec<Vec<&str>> = Vec::new();
    let mut open: Option<Vec<&str>> = None;
    for line in &lines {
        let (tag, value) = line.split_once("  - ").unwrap_or_else(|| panic!("not a tag line: {line:?}"));
        match tag {
            "TY" => {
                assert!(open.is_none(), "a TY inside a record: {text}");
                open = Some(vec![value]);
            }
            "ER" => records.push(open.take().unwrap_or_else(|| panic!("an ER outside a record: {text}"))),
            _ => open.as_mut().unwrap_or_else(|| panic!("a tag outside a record: {line}")).push(line),
        }
    }
    assert!(open.is_none());
    assert_eq!(records.len(), entries.len(), "{text}");
    let second = &records[1];
    assert!(second.contains(&"AB  - One line. ER - TY - BOOK AU - Mallory end."), "{second:?}");
    assert!(second.contains(&"TI  - A title ER - TY - JOUR"), "{second:?}");
    assert!(second.contains(&"AU  - Eve ER -"), "{second:?}");
    assert!(!second.iter().any(|l| l == &"AU  - "), "an author of asterisks alone is left out: {second:?}");
    assert!(records.iter().all(|r| r[0] == "UNPB" && r.iter().any(|l| l.starts_with("TI  - "))));
}

#[test]
fn the_note_goes_into_bibtex_escaped_and_into_markdown_with_the_tags() {
    let entry = Entry {
        tags: vec![text("rl"), text("survey")],
        note: Some(text("Compare with §3 & {Table 2}: 50% faster_than\nsecond line")),
        ..full()
    };
    let bib = export(Format::Bibtex, std::slice::from_ref(&entry));
    let parsed = biblatex::Bibliography::parse(&bib).unwrap_or_else(|e| panic!("{e:?}\n{bib}"));
    assert_eq!(parsed.len(), 1, "{bib}");
    let note = r"note = {Compare with §3 \& \textbraceleft{}Table 2\textbraceright{}: 50\% faster\_than second line}";
    assert!(bib.contains(note), "{bib}");
    assert!(bib.contains("keywords = {rl, survey}"), "{bib}");
    let md = export(Format::Markdown, &[entry]);
    assert!(md.contains("Tags: #rl #survey"), "{md}");
    assert!(md.contains(r"Note: Compare with §3 & {Table 2}: 50% faster\_than\"), "{md}");
    assert!(md.contains("  second line"), "{md}");
    assert_eq!(md.lines().filter(|l| l.starts_with("- ")).count(), 1, "the note stays in its item: {md}");
    // Without tags or a note, nothing is added.
    assert!(!export(Format::Bibtex, &[full()]).contains("note ="));
    // Paragraphs, a heading and a list written in the note stay text of the item, its paragraphs apart.
    let entry = Entry { note: Some(text("First para.\n\n\n# Heading in note\n- item one\n2. two\n===\n")), ..full() };
    let md = export(Format::Markdown, &[entry]);
    let note = md.split("Note: ").nth(1).unwrap_or_else(|| panic!("{md}"));
    assert_eq!(note, "First para.\\\n  \\\n  \\# Heading in note\\\n  \\- item one\\\n  2\\. two\\\n  \\===\n", "{md}");
    assert_eq!(md.lines().filter(|l| l.starts_with("- ")).count(), 1, "the note stays in its item: {md}");
}
