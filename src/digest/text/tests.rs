//! Parser cases, one per way a real copy of the digest differs from the clean one.

use super::header::is_date;
use super::*;
use crate::digest::{BUILT_IN, BUILT_IN_NAME};
use crate::digest::{Digest, parse_text};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse(name: &str) -> Digest {
    parse_text(name, &fixture(name)).unwrap_or_else(|e| panic!("{e}"))
}

fn titles(d: &Digest) -> Vec<&str> {
    d.papers().map(|p| p.title()).collect()
}

const THREE: [&str; 3] = [
    "Deep Learning for Personalized Electrocardiogram Diagnosis: A Review",
    "Mamba YOLO: SSMs-Based YOLO For Object Detection",
    "Survey of Hallucination in Natural Language Generation",
];

#[test]
fn built_in_digest_has_83_papers_with_abstracts_and_a_date() {
    let d = parse_text(BUILT_IN_NAME, BUILT_IN).unwrap();
    assert_eq!(d.len(), 83);
    assert_eq!(d.date.as_deref(), Some("Mar 14"));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert!(d.papers().all(|p| p.abstract_text().split_whitespace().count() > 100));
    assert_eq!(d.paper(1).title(), THREE[1]);
    assert_eq!(d.paper(1).line(), 15);
    assert_eq!(d.paper(82).title(), "Efficiently Robustify Pre-trained Models");
}

#[test]
fn clean_copy_parses_three_papers() {
    let d = parse("three-papers.txt");
    assert_eq!(titles(&d), THREE);
    assert_eq!(d.date.as_deref(), Some("Mar 14"));
    assert!(d.paper(0).abstract_text().starts_with("The electrocardiogram (ECG) remains"));
}

#[test]
fn every_robust_variant_reads_like_the_clean_copy() {
    let clean = parse("three-papers.txt");
    for name in ["crlf.txt", "bom.txt", "trailing-spaces.txt", "many-blank-lines.txt", "no-trailing-newline.txt"] {
        let d = parse(name);
        assert_eq!(titles(&d), THREE, "{name}");
        assert_eq!(d.date, clean.date, "{name}");
        for (a, b) in d.papers().zip(clean.papers()) {
            assert_eq!(a.abstract_text(), b.abstract_text(), "{name}: abstract of {}", a.title());
            assert_eq!(a.key(), b.key(), "{name}");
            assert!(!a.abstract_text().contains('\r') && !a.title().contains('\u{feff}'), "{name}");
        }
        assert!(d.warnings.is_empty(), "{name}: {:?}", d.warnings);
    }
}

#[test]
fn crlf_keeps_line_numbers() {
    assert_eq!(parse("crlf.txt").paper(1).line(), 15);
    assert_eq!(parse("many-blank-lines.txt").paper(0).line(), 22);
}

#[test]
fn no_header_means_no_date_and_the_first_line_is_a_title() {
    let d = parse("no-header.txt");
    assert_eq!(titles(&d), THREE);
    assert_eq!(d.date, None);
    assert_eq!(d.paper(0).line(), 1);
}

#[test]
fn missing_abstract_does_not_swallow_the_next_title() {
    let d = parse("missing-abstract.txt");
    assert_eq!(d.len(), 4);
    assert_eq!(d.paper(1).title(), THREE[1]);
    assert_eq!(d.paper(1).abstract_text(), "");
    assert_eq!(d.paper(2).title(), THREE[2]);
    assert!(d.paper(2).abstract_text().starts_with("Natural Language Generation (NLG)"));
    // The last paper has a title and nothing after it.
    assert_eq!(d.paper(3).abstract_text(), "");
}

#[test]
fn invalid_utf8_is_replaced_with_a_warning_naming_file_and_line() {
    let d = parse("invalid-utf8.txt");
    assert_eq!(d.len(), 3);
    assert!(d.paper(1).title().contains('\u{fffd}'));
    assert_eq!(d.warnings.len(), 1);
    assert!(d.warnings[0].starts_with("invalid-utf8.txt:13: invalid UTF-8"), "{}", d.warnings[0]);
    assert!(d.warnings[0].contains("1 more line"), "{}", d.warnings[0]);
}

#[test]
fn empty_file_and_header_only_file_are_errors_naming_the_file() {
    let err = parse_text("empty.txt", &fixture("empty.txt")).unwrap_err();
    assert!(matches!(err, DigestError::Empty { .. }));
    assert!(err.to_string().starts_with("empty.txt: the file is empty"), "{err}");
    let err = parse_text("header-only.txt", &fixture("header-only.txt")).unwrap_err();
    assert!(err.to_string().starts_with("header-only.txt: no papers found"), "{err}");
    let err = parse_text("blank.txt", b"\n \r\n\t\n").unwrap_err();
    assert!(matches!(err, DigestError::NoPapers { .. }));
}

#[test]
fn hard_wrapped_paragraphs_are_joined() {
    let d = parse("hard-wrapped.txt");
    assert_eq!(titles(&d), [THREE[1]]);
    assert_eq!(d.paper(0).abstract_text(), parse("three-papers.txt").paper(1).abstract_text());
}

#[test]
fn links_are_listed_without_trailing_punctuation() {
    let d = parse_text(BUILT_IN_NAME, BUILT_IN).unwrap();
    assert_eq!(d.paper(1).links(), ["https://github.com/HZAI-ZJNU/Mamba-YOLO"]);
    let all: Vec<String> = d.papers().flat_map(|p| p.links()).collect();
    assert_eq!(all.len(), 8);
    assert!(all.iter().all(|l| !l.ends_with('.')), "{all:?}");
    assert!(all.contains(&"https://github.com/Oneflow-Inc/oneflow".to_string()));
}

#[test]
fn escape_sequences_and_controls_never_survive_parsing() {
    let d = parse("hostile.txt");
    assert_eq!(d.len(), 1);
    assert_eq!(d.paper(0).title(), "Evil Red Title override end");
    let all = format!("{}{}", d.paper(0).title(), d.paper(0).abstract_text());
    assert!(crate::sanitize::first_unsafe(&all).is_none(), "{all:?}");
    assert!(d.paper(0).abstract_text().contains("deep learning"));
    assert!(d.paper(0).links().is_empty(), "{:?}", d.paper(0).links());
}

#[test]
fn trailing_prose_after_an_abstract_joins_it_and_orphan_prose_is_reported() {
    let abs = "This paragraph is prose: it has two sentences. The second ends with a full stop.";
    let text = format!("{abs}\n\nA Title\n\n{abs}\n\n{abs}\n");
    let d = parse_text("x.txt", text.as_bytes()).unwrap();
    assert_eq!(titles(&d), ["A Title"]);
    assert_eq!(d.paper(0).abstract_text(), format!("{abs}\n\n{abs}"));
    assert_eq!(d.warnings, ["x.txt:1: a paragraph of prose with no title before it was skipped"]);
}

#[test]
fn date_lines_are_recognised_only_in_the_header() {
    assert!(is_date("Mar 14") && is_date("March 14, 2024") && is_date("14 Mar 2024") && is_date("sep 1"));
    assert!(!is_date("Mar 32") && !is_date("Mamba 14") && !is_date("May the force") && !is_date("Mar 14 papers"));
    // The year of a date line without one: the latest that is not after the day the file was saved.
    let saved = crate::library::Day::new(2026, 11, 26).unwrap();
    let day = |text: &str| super::parse_date(text, saved).map(|d| d.to_string());
    assert_eq!(day("Mar 14").as_deref(), Some("2026-03-14"));
    assert_eq!(day("Dec 24").as_deref(), Some("2025-12-24"));
    assert_eq!(day("Nov 26").as_deref(), Some("2026-11-26"));
    assert_eq!(day("Feb 29").as_deref(), Some("2024-02-29"));
    assert_eq!(day("14 Mar 2019").as_deref(), Some("2019-03-14"));
    assert_eq!(day("Feb 30"), None);
    let d = parse_text("x.txt", b"Mar 14\n\nMay 5\n\nA Title\n").unwrap();
    assert_eq!(d.date.as_deref(), Some("May 5"));
    let d = parse_text("x.txt", b"A Title\n\nMar 14\n").unwrap();
    assert_eq!(titles(&d), ["A Title", "Mar 14"]);
}

#[test]
fn binary_data_is_not_a_digest() {
    // A stray NUL is dropped like any control character...
    let mut with_nul = fixture("three-papers.txt");
    with_nul.splice(10..10, [0u8, 1, 2]);
    let d = parse_text("x.txt", &with_nul).unwrap();
    assert_eq!(d.len(), 3);
    assert!(!d.paper(0).title().contains('\0'));
    // ...but NULs or invalid UTF-8 on most lines mean this is not text.
    let err = parse_text("x.bin", b"\0\x01\x02\n\nok\n\n\x07\0\n").unwrap_err();
    assert!(
        err.to_string().starts_with("x.bin:1: this is not a text digest (2 of its 3 lines are not UTF-8 text"),
        "{err}"
    );
    let latin1_everywhere: Vec<u8> = b"caf\xe9 one\n\ncaf\xe9 two\n\ncaf\xe9 three\n".to_vec();
    let err = parse_text("x.txt", &latin1_everywhere).unwrap_err();
    assert!(err.to_string().contains("3 of its 3 lines are not UTF-8 text"), "{err}");

    let utf16: Vec<u8> = "\u{feff}A title".encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert!(parse_text("x.txt", &utf16).unwrap_err().to_string().contains("UTF-16"));
}

#[test]
fn a_few_bad_lines_are_repaired_not_refused() {
    // One Latin-1 line among many good ones is a warning, as before.
    let d = parse("invalid-utf8.txt");
    assert_eq!(d.len(), 3);
}

#[test]
fn an_over_long_line_is_skipped_with_a_warning_naming_it() {
    let mut bytes = b"Title one\n\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'w', MAX_LINE + 1));
    bytes.extend_from_slice(b"\n\nTitle two\n");
    let d = parse_text("long.txt", &bytes).unwrap();
    assert_eq!(titles(&d), ["Title one", "Title two"]);
    assert_eq!(
        d.warnings,
        [format!("long.txt:3: a line of {} bytes was skipped (digest lines are under {MAX_LINE} bytes)", MAX_LINE + 1)]
    );
}

#[test]
fn warnings_are_capped_with_a_count() {
    let prose = "This paragraph is prose. It has two sentences, and it ends with a full stop.";
    let bytes: String = (0..20).map(|_| format!("{prose}\n\n")).chain(["Last title\n".to_string()]).collect();
    let d = parse_text("w.txt", bytes.as_bytes()).unwrap();
    assert_eq!(d.warnings.len(), MAX_WARNINGS + 1);
    assert_eq!(d.warnings.last().unwrap(), "w.txt: 15 more warnings like these");
}
