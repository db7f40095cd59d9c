//! Daily papers JSON cases: a full entry, a bare one, the API's nulls and extra fields, broken files.

use super::*;
use crate::library::{Chunk, Day};

const DAY1: &[u8] = include_bytes!("../../../tests/fixtures/hf-daily-papers.json");
const DAY2: &[u8] = include_bytes!("../../../tests/fixtures/hf-daily-papers-day2.json");
const MALFORMED: &[u8] = include_bytes!("../../../tests/fixtures/hf-malformed.json");

fn records(name: &str, bytes: &[u8]) -> Vec<Record> {
    let (records, warnings) = parse(name, bytes).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    records
}

#[test]
fn every_field_of_a_full_entry_is_read() {
    let records = records("day1.json", DAY1);
    assert_eq!(records.len(), 3);
    let first = &records[0];
    assert_eq!(first.title, "Sparse Mixture-of-Adapters for Efficient Multilingual Speech Recognition");
    assert_eq!(
        first.abstract_text,
        "Multilingual speech recognizers spend most of their parameters on languages that a given utterance \
         does not use. We route each frame to a small set of language-specific adapters and keep the shared \
         encoder frozen.\n\nOn a benchmark of 48 languages the model matches a dense baseline with a third of \
         the active parameters, and low-resource languages gain the most."
    );
    assert_eq!(first.line, 2);
    let meta = &first.meta;
    assert_eq!(meta.arxiv_id.as_deref(), Some("2403.08763"));
    assert_eq!(meta.authors, ["Mira Castellanos", "Tobias Lindqvist", "Aiko Watanabe"]);
    assert!(meta.categories.is_empty());
    assert_eq!(meta.upvotes, Some(42));
    assert_eq!(meta.day, Day::new(2024, 3, 14));
    assert_eq!(meta.published, Day::new(2024, 3, 13));
    assert_eq!(meta.code.as_deref(), Some("https://github.com/example-lab/sparse-adapters-asr"));
    assert_eq!(meta.project.as_deref(), Some("https://example-lab.github.io/sparse-adapters/"));
    assert_eq!(meta.url, None);
}

#[test]
fn an_entry_with_only_id_and_title_has_nothing_else() {
    let records = records("day1.json", DAY1);
    let bare = &records[1];
    assert_eq!(bare.title, "Counting What Matters: Token-Level Credit Assignment for Preference Optimization");
    assert_eq!(bare.abstract_text, "");
    assert_eq!(bare.line, 56);
    let meta = &bare.meta;
    assert_eq!(meta.arxiv_id.as_deref(), Some("2403.08912"));
    assert!(meta.authors.is_empty());
    assert_eq!((meta.upvotes, meta.published), (None, None));
    assert_eq!(meta.day, Day::new(2024, 3, 14));
    assert_eq!((meta.code.as_deref(), meta.project.as_deref()), (None, None));
}

#[test]
fn nulls_and_unknown_fields_are_ignored() {
    let records = records("day1.json", DAY1);
    let ecg = &records[2];
    assert_eq!(ecg.title, "Deep Learning for Personalized Electrocardiogram Diagnosis: A Review");
    assert_eq!(ecg.line, 67);
    assert_eq!(ecg.meta.arxiv_id.as_deref(), Some("2403.09043"));
    assert_eq!((ecg.meta.code.as_deref(), ecg.meta.project.as_deref()), (None, None));
    assert_eq!(ecg.meta.upvotes, Some(7));
    assert!(ecg.abstract_text.starts_with("The electrocardiogram (ECG) remains"));
    assert!(!ecg.abstract_text.contains('\n'), "one paragraph: {:?}", ecg.abstract_text);
}

#[test]
fn the_second_day_gives_its_own_day_and_votes() {
    let records = records("day2.json", DAY2);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].meta.arxiv_id.as_deref(), Some("2403.09043"));
    assert_eq!(records[0].meta.upvotes, Some(19));
    assert!(records.iter().all(|r| r.meta.day == Day::new(2024, 3, 15)));
    assert_eq!((records[0].line, records[1].line), (2, 23));
}

#[test]
fn a_truncated_file_is_malformed_with_a_line() {
    match parse("broken.json", MALFORMED) {
        Err(DigestError::Malformed { file, line, format, why, .. }) => {
            assert_eq!(file, "broken.json");
            assert_eq!(format, "Hugging Face daily papers JSON");
            assert!(line >= 30, "line {line}");
            assert!(why.contains("EOF"), "{why}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_wrong_type_is_malformed_and_an_empty_file_is_empty() {
    let wrong = b"[\n  {\"paper\": {\"id\": \"2403.00001\", \"title\": [1, 2]}}\n]";
    assert!(matches!(parse("t.json", wrong), Err(DigestError::Malformed { line: 2, .. })));
    assert!(matches!(parse("t.json", b"{\"paper\": {}}"), Err(DigestError::Malformed { line: 1, .. })));
    assert!(matches!(parse("t.json", b" \n"), Err(DigestError::Empty { .. })));
    assert!(matches!(parse("t.json", b"[]"), Err(DigestError::NoPapers { hint: None, .. })));
}

#[test]
fn entries_without_a_title_are_skipped_and_without_an_id_kept() {
    let text = "[\n{\"paper\": {\"id\": \"2403.00001\"}},\n{\"paper\": {\"title\": \"Kept\\nWrapped\"}}, \
                {\"title\": \"From the entry\", \"paper\": {\"id\": \"arXiv:2403.00003v2\", \"title\": null}}\n]";
    let (records, warnings) = parse("t.json", text.as_bytes()).unwrap();
    assert_eq!(warnings, ["t.json:2: an entry has no title; skipped it"]);
    let titles: Vec<&str> = records.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["Kept Wrapped", "From the entry"]);
    assert_eq!(records[0].meta.arxiv_id, None);
    assert_eq!(records[1].meta.arxiv_id.as_deref(), Some("2403.00003"));
    assert_eq!((records[0].line, records[1].line), (3, 3));
    // Only untitled entries: no papers, and the warning says why.
    let Err(DigestError::NoPapers { hint, .. }) = parse("t.json", b"[{\"paper\": {}}]") else { panic!() };
    assert_eq!(hint.as_deref(), Some("t.json:1: an entry has no title; skipped it"));
}

#[test]
fn escape_sequences_and_odd_votes_are_dropped() {
    let text = r#"[{"paper": {"id": "2403.00001", "title": "Red \u001b[31mAlert", "summary": "a\u0007b", "upvotes": -3}},
                   {"paper": {"title": "Many", "upvotes": 1e12, "authors": null, "githubRepo": " "}}]"#;
    let (records, _) = parse("t.json", text.as_bytes()).unwrap();
    assert_eq!(records[0].title, "Red Alert");
    assert_eq!(records[0].abstract_text, "ab");
    assert_eq!(records[0].meta.upvotes, None);
    assert_eq!(records[1].meta.upvotes, Some(u32::MAX));
    assert_eq!(records[1].meta.code, None);
    assert_eq!(records[1].line, 2);
}

/// Titles and lines, and warnings.
type Read = (Vec<(String, usize)>, Vec<String>);

/// Titles, lines and warnings of `bytes` fed in pieces of `size`.
fn fed_in_pieces(bytes: &[u8], size: usize) -> Result<Read, String> {
    let mut parser = HfParser::new("t.json");
    let mut records = Vec::new();
    for piece in bytes.chunks(size) {
        records.extend(parser.feed(piece).map_err(|e| e.to_string())?);
    }
    let (rest, warnings) = parser.finish().map_err(|e| e.to_string())?;
    records.extend(rest);
    Ok((records.into_iter().map(|r| (r.title, r.line)).collect(), warnings))
}

#[test]
fn fed_in_pieces_of_any_size_it_reads_as_at_once() {
    let nested = "[\n {\"title\": \"A [{,\\\"\"},\n\n  {\"paper\": {\"title\": \"B\", \"authors\": [{\"name\": \"x\"}]}}, {\"x\": 1},\n{\"title\": \"C\"}]\n";
    let broken = "[{\"title\": \"A\"},\n{\"title\": [1]},\n{\"title\": \"C\"}]";
    // On one line, fed whole, an array is parsed at once (see `whole_on_one_line`), in pieces by the walk.
    let one_line =
        "[{\"title\": \"A \\u00e9 \\\"q\\\"\"}, {\"x\": 1}, {\"paper\": {\"title\": \"B\", \"id\": \"2401.00001\"}}]";
    let one_line_broken = "[{\"title\": \"A\"}, {\"title\": [1]}, {\"title\": \"C\"}] ";
    let inputs = [DAY1, DAY2, nested.as_bytes(), broken.as_bytes(), one_line.as_bytes(), one_line_broken.as_bytes()];
    for bytes in inputs.into_iter().chain([MALFORMED, b"[]", b"  \n", b"[{\"title\": \"A\"},]", b"[1]", b" [] "]) {
        let whole = fed_in_pieces(bytes, bytes.len().max(1));
        for size in [1, 2, 3, 7, 64, 1000] {
            assert_eq!(fed_in_pieces(bytes, size), whole, "pieces of {size}: {:?}", String::from_utf8_lossy(bytes));
        }
    }
    let (titles, warnings) = fed_in_pieces(one_line.as_bytes(), one_line.len()).unwrap();
    assert_eq!(titles, [("A é \"q\"".to_string(), 1), ("B".to_string(), 1)]);
    assert_eq!(warnings, ["t.json:1: an entry has no title; skipped it"]);
    let (titles, warnings) = fed_in_pieces(nested.as_bytes(), 5).unwrap();
    assert_eq!(titles, [("A [{,\"".to_string(), 2), ("B".to_string(), 4), ("C".to_string(), 5)]);
    assert_eq!(warnings, ["t.json:4: an entry has no title; skipped it"]);
    // An entry that does not parse after the first is passed over, with a warning naming its line.
    let (titles, warnings) = fed_in_pieces(broken.as_bytes(), 4).unwrap();
    assert_eq!(titles, [("A".to_string(), 1), ("C".to_string(), 3)]);
    assert!(warnings[0].starts_with("t.json:2: not a paper entry (invalid type: sequence"), "{warnings:?}");
    assert!(fed_in_pieces(b"[{\"title\": \"A\"},]", 3).unwrap_err().contains("trailing comma"));
    assert!(fed_in_pieces(b"[{\"title\": \"A\"}] x", 3).unwrap_err().contains("trailing characters"));
    assert!(fed_in_pieces(b"[{\"title\": \"A\"}", 3).unwrap_err().contains("EOF while parsing a list"));
}

#[test]
fn papers_come_as_their_entries_end_and_only_the_entry_being_read_is_held() {
    let entry = |i: usize| {
        format!(
            "{{\"paper\": {{\"id\": \"2403.{i:05}\", \"title\": \"Paper {i}\", \"summary\": \"{}\"}}}}",
            "words ".repeat(50)
        )
    };
    let entries: Vec<String> = (0..1000).map(entry).collect();
    let text = format!("[\n{}\n]\n", entries.join(",\n"));
    let mut parser = HfParser::new("t.json");
    let mut seen = 0;
    for block in text.as_bytes().chunks(4096) {
        seen += parser.feed(block).unwrap().len();
        assert!(parser.buf.len() <= 4096 + entries[0].len(), "{} bytes held", parser.buf.len());
        assert!(parser.all.is_none() || seen == 0);
    }
    assert!(seen >= 999, "{seen} papers before the end");
    let (rest, warnings) = parser.finish().unwrap();
    assert_eq!(seen + rest.len(), 1000);
    assert!(warnings.is_empty());
}

/// The papers of `bytes` as the reader keeps them: written straight into a chunk (see `Chunk::push_written`).
fn written(bytes: &[u8]) -> Result<(Chunk, Vec<String>), DigestError> {
    let origin = std::sync::Arc::new(crate::library::Origin::default());
    let mut parser = HfParser::new("t.json");
    let mut chunk = Chunk::new(origin, String::new());
    parser.feed_to(bytes, &mut chunk)?;
    let (rest, warnings) = parser.finish()?;
    assert!(rest.is_empty());
    Ok((chunk, warnings))
}

#[test]
fn papers_written_into_the_chunk_are_those_the_records_give() {
    let tricky = r#"[{"paper": {"id": "arXiv:2403.00001v2", "title": "  Red \u001b[31mAlert \n wrapped ", "summary": "  first  line\nsecond\n\n\n para two \u00e9 \n", "authors": [{"name": " A  B "}, {"name": ""}], "upvotes": 3}, "submittedOnDailyAt": "2024-03-14T09:00:00.000Z"},
        {"paper": {"title": " ", "summary": " \n "}, "title": "Entry title", "summary": "Entry  summary."},
        {"paper": {"title": "No summary", "githubRepo": "https://github.com/a/b"}},
        {"paper": {"summary": "no title"}},
        {"paper": {"title": "Tabs\tand\u00a0nbsp", "summary": "x\ty  z\r\nw\u0007"}},
        {"paper": {"title": "Plain", "summary": "One line, spaced once."}}]"#;
    let one_line = tricky.replace('\n', " ");
    for bytes in [DAY1, DAY2, MALFORMED, tricky.as_bytes(), one_line.as_bytes(), b"[]", b"[{\"x\": 1}]"] {
        let shown = String::from_utf8_lossy(bytes);
        let (records, warnings) = match (parse("t.json", bytes), written(bytes)) {
            (Ok(parsed), Ok(_)) => parsed,
            (Err(a), Err(b)) => {
                assert_eq!(a.to_string(), b.to_string(), "{shown}");
                continue;
            }
            (a, b) => panic!("{shown}: {a:?} against {:?}", b.map(|(chunk, _)| chunk.len())),
        };
        let (chunk, written_warnings) = written(bytes).unwrap();
        assert_eq!(written_warnings, warnings, "{shown}");
        let mut kept = Chunk::new(std::sync::Arc::new(crate::library::Origin::default()), String::new());
        for record in records {
            kept.push_record(record);
        }
        assert_eq!(chunk.len(), kept.len(), "{shown}");
        assert!(!chunk.is_empty(), "{shown}");
        for (a, b) in chunk.papers().zip(kept.papers()) {
            assert_eq!(a.title(), b.title());
            assert_eq!(a.abstract_text(), b.abstract_text());
            assert_eq!((a.line(), a.key_hash(), a.meta()), (b.line(), b.key_hash(), b.meta()));
        }
    }
}
