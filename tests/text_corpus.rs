//! Titles and abstracts told apart in a corpus of 10,000 papers in text digests (see `corpus`): how many
//! are exactly right, which way each error went, and the same papers whether a digest is parsed whole,
//! in blocks, or on two threads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod corpus;

#[path = "../benches/common/corpus.rs"]
mod bench_corpus;

use corpus::{Rendered, Tally};
use papers::digest::{Source, TextParser, load, parse_text};

const SEED: u64 = 0x5eed_1234_abcd_0001;

/// The seed of the corpus: `SEED`, or another given in `CORPUS_SEED` (to try the classifier on other
/// corpora; the failing seed is printed, so a failure can be run again).
fn seed() -> u64 {
    std::env::var("CORPUS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(SEED)
}

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
    let seed = seed();
    let files = corpus::digests(seed, 10_000);
    println!("corpus seed {seed}");
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
    assert!(right * 1000 >= papers * 999, "seed {seed}: {right} of {papers} right\n{}", tally.report());
    let [with_sentence, right_with_sentence, ..] = tally.get("with a full sentence");
    assert_eq!(right_with_sentence, with_sentence, "seed {seed}: abstracts with a full sentence\n{}", tally.report());
}

#[test]
fn the_built_in_digest_is_read_exactly() {
    // Its truth without the classifier: after the five header lines, title and abstract take turns.
    let text = String::from_utf8(papers::digest::BUILT_IN.to_vec()).unwrap().replace('\r', "");
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .skip(5)
        .collect();
    let truth: Vec<(&str, &str)> = paragraphs.chunks_exact(2).map(|p| (p[0].as_str(), p[1].as_str())).collect();
    assert_eq!((truth.len(), paragraphs.len() % 2), (83, 0));
    let digest = parse_text("built-in", papers::digest::BUILT_IN).unwrap();
    let got: Vec<(String, String)> = digest
        .papers()
        .map(|p| (p.title().to_string(), p.abstract_text().split_whitespace().collect::<Vec<_>>().join(" ")))
        .collect();
    let got: Vec<(&str, &str)> = got.iter().map(|(t, a)| (t.as_str(), a.as_str())).collect();
    assert_eq!(got, truth);
    assert!(digest.warnings.is_empty(), "{:?}", digest.warnings);
}

#[test]
fn the_corpus_reads_the_same_whole_in_blocks_and_on_two_threads() {
    // All the files in one, several blocks long: as the reader reads it (blocks cut where papers end,
    // parsed on two threads), as `parse_text` does, and in small blocks fed to the parser, each against
    // the whole text parsed as one block.
    let files = corpus::digests(seed() ^ 0xff, 10_000);
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

/// The benchmarks' generated digest of a million papers lists a million, no more (an abstract that ends
/// in a link once made a paper of its own). Ignored by default: 1.2 GB, a few seconds in release
/// (`cargo test --release --test text_corpus -- --ignored`).
#[test]
#[ignore]
fn a_generated_digest_of_a_million_papers_lists_a_million() {
    let bytes = bench_corpus::Corpus::from_built_in().digest(1_000_000);
    let digest = parse_text("million.txt", &bytes).unwrap();
    assert_eq!(digest.len(), 1_000_000);
    assert!(digest.warnings.is_empty(), "{:?}", digest.warnings);
    assert!(digest.papers().all(|p| !p.abstract_text().is_empty()));
}
