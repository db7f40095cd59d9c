//! Snapshot cases: every field, old-style ids, bad lines, and blocks that end anywhere.

use super::*;

const SNAPSHOT: &[u8] = include_bytes!("../../../tests/fixtures/arxiv-metadata.jsonl");
const BAD_LINE: &[u8] = include_bytes!("../../../tests/fixtures/arxiv-metadata-bad-line.jsonl");

/// Records and warnings of `bytes` fed in blocks of `size` bytes.
fn in_pieces(name: &str, bytes: &[u8], size: usize) -> Result<(Vec<Record>, Vec<String>), String> {
    let mut parser = JsonlParser::new(name);
    let mut records = Vec::new();
    for piece in bytes.chunks(size) {
        records.extend(parser.feed(piece).map_err(|e| e.to_string())?);
    }
    let (last, warnings) = parser.finish().map_err(|e| e.to_string())?;
    records.extend(last);
    Ok((records, warnings))
}

fn at_once(name: &str, bytes: &[u8]) -> Result<(Vec<Record>, Vec<String>), String> {
    in_pieces(name, bytes, bytes.len().max(1))
}

#[test]
fn every_field_of_a_line_is_read() {
    let (records, warnings) = at_once("snapshot.jsonl", SNAPSHOT).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(records.len(), 4);
    let first = &records[0];
    assert_eq!(first.title, "Spectral gaps of random regular graphs with planted communities");
    assert_eq!(
        first.abstract_text,
        "We bound the second eigenvalue of a random regular graph in which a few communities are planted, and \
         show that the bound is sharp up to a constant.\n\nAs an application we recover the communities from \
         the spectrum alone."
    );
    assert_eq!(first.line, 1);
    let meta = &first.meta;
    assert_eq!(meta.arxiv_id.as_deref(), Some("0704.0421"));
    assert_eq!(meta.authors, ["Marie Dup\u{e9}", "Kenji Nakamura", "Javier Ortiz Jr"], "from authors_parsed");
    assert_eq!(meta.categories, ["math.CO", "math.PR"]);
    assert_eq!(meta.day, Day::new(2007, 4, 3), "the first version's day, not the update date (2008-11-13)");
    assert_eq!(meta.published, Day::new(2007, 4, 3), "the first version's day");
    assert_eq!(
        (meta.upvotes, meta.code.as_deref(), meta.project.as_deref(), meta.url.as_deref()),
        (None, None, None, None)
    );
}

#[test]
fn old_ids_author_strings_and_missing_versions() {
    let (records, _) = at_once("snapshot.jsonl", SNAPSHOT).unwrap();
    let old = &records[1];
    assert_eq!(old.meta.arxiv_id.as_deref(), Some("math/0601001"));
    assert_eq!(old.meta.authors, ["H. Keller", "A. Novak"]);
    assert_eq!(old.meta.published, Day::new(2006, 1, 1));
    assert_eq!(old.line, 2);
    let no_versions = &records[2];
    assert_eq!(no_versions.meta.published, None);
    assert_eq!(no_versions.meta.categories, ["cs.LG", "stat.ML"], "repeats dropped, order kept");
    assert_eq!(no_versions.meta.authors, ["Ines Vidal"]);
    let extra = &records[3];
    assert_eq!(extra.title, "Deep Learning for Personalized Electrocardiogram Diagnosis: A Review");
    assert_eq!(extra.meta.authors, ["Lena Hartmann", "Rafael Okonkwo"]);
    assert_eq!(extra.line, 4);
}

#[test]
fn latex_accents_in_author_strings_are_kept() {
    let text = br#"{"id":"0704.0421v3","title":"T","authors":"M. Dup\\'e, K. Nakamura and J. Ortiz"}"#;
    let (records, _) = at_once("t.jsonl", text).unwrap();
    assert_eq!(records[0].meta.authors, ["M. Dup\\'e", "K. Nakamura", "J. Ortiz"]);
    assert_eq!(records[0].meta.arxiv_id.as_deref(), Some("0704.0421"));
}

#[test]
fn blocks_of_any_size_parse_as_one() {
    for (name, bytes) in [("snapshot.jsonl", SNAPSHOT), ("bad.jsonl", BAD_LINE)] {
        let whole = at_once(name, bytes);
        assert!(whole.is_ok(), "{whole:?}");
        for size in 1..=50 {
            assert_eq!(in_pieces(name, bytes, size), whole, "{name} in pieces of {size}");
        }
    }
}

#[test]
fn a_bad_line_after_the_first_is_skipped_with_a_warning() {
    let (records, warnings) = at_once("bad.jsonl", BAD_LINE).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!((records[0].line, records[1].line), (1, 3));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("bad.jsonl:2: not a JSON object ("), "{}", warnings[0]);
    assert!(warnings[0].ends_with("); skipped it"), "{}", warnings[0]);
}

#[test]
fn a_bad_first_line_makes_the_file_malformed() {
    for (text, line) in [("not json\n{\"title\":\"A\"}\n", 1), ("\n  \n[1, 2]\n", 3), ("{\"title\": 5}", 1)] {
        let mut parser = JsonlParser::new("t.jsonl");
        let result = parser.feed(text.as_bytes()).and_then(|_| parser.finish().map(|(r, _)| r));
        match result {
            Err(DigestError::Malformed { file, line: at, format, .. }) => {
                assert_eq!((file.as_str(), at, format), ("t.jsonl", line, "arXiv metadata JSON Lines"), "{text:?}");
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

#[test]
fn too_many_bad_lines_are_summed_up() {
    let mut text = String::from("{\"title\":\"Good\"}\n");
    for _ in 0..25 {
        text.push_str("{oops\n");
    }
    let (records, warnings) = at_once("t.jsonl", text.as_bytes()).unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(warnings.len(), MAX_WARNINGS + 1);
    assert!(warnings[0].starts_with("t.jsonl:2: "), "{}", warnings[0]);
    assert_eq!(warnings[MAX_WARNINGS], "t.jsonl: … and 5 more warnings like these");
}

#[test]
fn untitled_lines_blank_lines_and_a_last_line_without_newline() {
    let text = "\u{feff}{\"title\":\"Red \\u001b[31mAlert\"}\r\n\n{\"id\":\"0704.0001\",\"title\":\" \"}\n{\"title\":\"Last\"}";
    let mut parser = JsonlParser::new("t.jsonl");
    let first = parser.feed(text.as_bytes()).unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].title, "Red Alert");
    assert_eq!(first[0].abstract_text, "");
    assert!(first[0].meta.authors.is_empty() && first[0].meta.categories.is_empty());
    assert_eq!(parser.take_warnings(), ["t.jsonl:3: an entry has no title; skipped it"]);
    let (last, warnings) = parser.finish().unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!((last[0].title.as_str(), last[0].line), ("Last", 4));
    assert!(warnings.is_empty());
}

#[test]
fn files_without_papers_are_empty_or_have_none() {
    let finish = |text: &str| {
        let mut parser = JsonlParser::new("t.jsonl");
        parser.feed(text.as_bytes()).and_then(|_| parser.finish())
    };
    assert!(matches!(finish(""), Err(DigestError::Empty { .. })));
    assert!(matches!(finish("\n \n"), Err(DigestError::Empty { .. })));
    let Err(DigestError::NoPapers { hint, .. }) = finish("{\"id\":\"0704.0001\"}\n") else { panic!() };
    assert_eq!(hint.as_deref(), Some("t.jsonl:1: an entry has no title; skipped it"));
}

#[test]
fn email_dates_give_their_day() {
    assert_eq!(email_day("Mon, 2 Apr 2007 19:18:42 GMT"), Day::new(2007, 4, 2));
    assert_eq!(email_day("2 April 2007"), Day::new(2007, 4, 2));
    assert_eq!(email_day("Mon, 31 Feb 2007 00:00:00 GMT"), None);
    assert_eq!(email_day("yesterday"), None);
}

#[test]
fn a_line_too_long_to_hold_is_skipped_with_a_warning_and_the_next_one_read() {
    let mut parser = JsonlParser::new("big.jsonl");
    let mut records = parser.feed(b"{\"id\": \"2403.00001\", \"title\": \"First\"}\n{\"title\": \"").unwrap();
    let piece = vec![b'x'; 1 << 20];
    for _ in 0..17 {
        records.extend(parser.feed(&piece).unwrap());
    }
    records.extend(parser.feed(b"\"}\n{\"id\": \"2403.00002\", \"title\": \"Third\"}\n").unwrap());
    let (last, warnings) = parser.finish().unwrap();
    records.extend(last);
    let titles: Vec<&str> = records.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["First", "Third"]);
    assert_eq!(records[1].line, 3);
    assert_eq!(warnings, ["big.jsonl:2: a line longer than 16 MiB; skipped it"]);
}
