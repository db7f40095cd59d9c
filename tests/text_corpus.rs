//! Titles and abstracts told apart in a corpus of 10,000 papers in text digests (see `corpus`): how many
//! are exactly right, which way each error went, and the same papers whether a digest is parsed whole,
//! in blocks, or on two threads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod corpus;

use corpus::{Rendered, Tally};
use papers::digest::{Source, TextParser, load, parse_text};

const SEED: u64 = 0x5eed_1234_abcd_0001;

/// The papers of `bytes` parsed as one block, with no cut anywhere: the reference for the others.
fn at_once(name: &str, bytes: &[u8]) -> Vec<(String, String, usize)> {
    let mut parser = TextParser::new(name);
    parser.block_size(usize::MAX);
    let mut chunks: Vec<_> = parser.feed_block(bytes.to_vec(), false).unwrap().into_iter().collect();
    let (last, _, _) = parser.finish().unwrap();
    chunks.extend(last);
    listed(chunks.iter().flat_map(|c| c.papers()))
}

fn listed<'a>(papers: impl Iterator<Item = papers::library::PaperRef<'a>>) -> Vec<(String, String, usize)> {
    papers.map(|p| (p.title().to_string(), p.abstract_text().to_string(), p.line())).collect()
}

#[test]
fn every_paragraph_of_the_corpus_is_in_its_place() {
    let files = corpus::digests(SEED, 10_000);
    let mut tally = Tally::default();
    let mut wrong = Vec::new();
    for file in &files {
        let digest = parse_text(&file.name, &file.bytes).unwrap_or_else(|e| panic!("{e}"));
        let parsed = corpus::parsed(&digest);
        for truth in &file.papers {
            let outcome = corpus::outcome(truth, &parsed);
            tally.add(truth, outcome);
            if !outcome.right {
                let short = |s: &str| s.chars().take(150).collect::<String>();
                wrong.push(format!(
                    "{}:{} {:?} {:?}/{:?} {:?}: {:?} / {:?}; read as {:?}",
                    file.name,
                    truth.title_line,
                    truth.source,
                    truth.title_shape,
                    truth.abstract_shape,
                    outcome,
                    truth.title,
                    short(&truth.abstract_text),
                    parsed.get(&truth.title_line).map(|(t, a)| (short(t), short(a)))
                ));
            }
        }
    }
    println!("{}", tally.report());
    for line in wrong.iter().take(40) {
        println!("  wrong: {line}");
    }
    let [papers, right, ..] = tally.get("all");
    assert!(papers >= 10_000, "{papers} papers");
    assert!(right * 1000 >= papers * 999, "{right} of {papers} right\n{}", tally.report());
    let [with_sentence, right_with_sentence, ..] = tally.get("with a full sentence");
    assert_eq!(right_with_sentence, with_sentence, "papers whose abstract has a full sentence\n{}", tally.report());
}

#[test]
fn the_built_in_digest_is_read_exactly() {
    let digest = parse_text("built-in", papers::digest::BUILT_IN).unwrap();
    assert_eq!(digest.len(), 83);
    assert!(digest.papers().all(|p| p.abstract_text().split_whitespace().count() > 100));
    assert!(digest.warnings.is_empty(), "{:?}", digest.warnings);
}

#[test]
fn the_corpus_reads_the_same_whole_in_blocks_and_on_two_threads() {
    // All the files in one, several blocks long: as the reader reads it (blocks cut where papers end,
    // parsed on two threads), as `parse_text` does, and in small blocks fed to the parser, each against
    // the whole text parsed as one block.
    let files = corpus::digests(SEED ^ 0xff, 10_000);
    let bytes: Vec<u8> = files.iter().flat_map(|f: &Rendered| f.bytes.iter().copied().chain(*b"\n\n")).collect();
    assert!(bytes.len() > 4 << 20, "{} bytes", bytes.len());
    let expected = at_once("all.txt", &bytes);
    assert!(expected.len() >= 10_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.txt");
    std::fs::write(&path, &bytes).unwrap();
    let read = load(&Source::File(path)).unwrap_or_else(|e| panic!("{e}"));
    let in_memory = parse_text("all.txt", &bytes).unwrap();
    let differs = |got: &[(String, String, usize)]| got.iter().zip(&expected).position(|(a, b)| a != b);
    let got = listed(read.papers());
    assert_eq!((got.len(), differs(&got)), (expected.len(), None), "read as the reader reads");
    let got = listed(in_memory.papers());
    assert_eq!((got.len(), differs(&got)), (expected.len(), None), "parse_text");
    for size in [4096, 65_536] {
        let part = &bytes[..bytes.len().min(40 * size)];
        let expected = at_once("part.txt", part);
        let mut parser = TextParser::new("part.txt");
        parser.block_size(size);
        let mut chunks = Vec::new();
        for block in part.chunks(size) {
            chunks.extend(parser.feed_block(block.to_vec(), false).unwrap());
        }
        chunks.extend(parser.finish().unwrap().0);
        assert_eq!(listed(chunks.iter().flat_map(|c| c.papers())), expected, "blocks of {size}");
    }
}
