//! One parser for every format: the format is judged from the first bytes, then fed the file in blocks.

use std::sync::Arc;

use super::Block;
use super::DigestError;
use super::detect::Format;
use super::hf::HfParser;
use super::jsonl::JsonlParser;
use super::text::{Detached, Finished, ParsedBlock, TextParser};
use crate::library::{Chunk, Day, Origin, Record};

pub(super) enum AnyParser {
    /// A text digest; `json` when the file starts as JSON does (see `JsonLike`).
    Text(TextParser, Option<JsonLike>),
    /// JSON Lines are parsed a block at a time, as the text digest is.
    Jsonl { parser: JsonlParser, origin: Arc<Origin> },
    /// Hugging Face JSON is parsed an entry at a time as it is read.
    Hf { parser: HfParser, origin: Arc<Origin> },
    /// Feeds are small (a day's papers): the whole file is read, then parsed at once. So is a file that
    /// looked like Hugging Face JSON but failed before its first entry (`failed`): perhaps a text digest
    /// whose first title starts with `[{`, judged at the end.
    Whole { format: Format, name: String, bytes: Vec<u8>, failed: Option<DigestError> },
}

/// The most of a file read whole (see `AnyParser::Whole`), parsed at some four times its size: an
/// endless feed on standard input took memory until there was none. arXiv's largest listing of a day is
/// a few MB, an API answer of its most results some tens.
const WHOLE_MOST: usize = 128 << 20;

impl AnyParser {
    /// A parser for the format `head` (the first bytes of the file) is in. `saved`: the day the file was
    /// saved, for a text digest's date line without a year.
    pub(super) fn new(name: &str, head: &[u8], saved: Option<Day>) -> Self {
        let text = |name: &str| {
            let mut parser = TextParser::new(name);
            if let Some(day) = saved {
                parser.saved_on(day);
            }
            AnyParser::Text(parser, JsonLike::new(name, head))
        };
        match super::detect::detect(head) {
            Format::Text => text(name),
            Format::Jsonl => AnyParser::Jsonl {
                parser: JsonlParser::new(name),
                origin: Arc::new(Origin { name: name.to_string(), date: None, day: None }),
            },
            Format::HfJson => AnyParser::Hf {
                parser: HfParser::new(name),
                origin: Arc::new(Origin { name: name.to_string(), date: None, day: None }),
            },
            format => AnyParser::Whole { format, name: name.to_string(), bytes: Vec::new(), failed: None },
        }
    }

    /// How large the first block is (see `TextParser::first_block`).
    pub(super) fn first_block(&mut self, size: usize) {
        if let AnyParser::Text(parser, _) = self {
            parser.first_block(size);
        }
    }

    /// Takes the next block of the file; the papers complete in it, if any.
    pub(super) fn feed_block(&mut self, block: Vec<u8>, whole: bool) -> Result<Option<Chunk>, DigestError> {
        match self {
            AnyParser::Text(parser, json) => {
                JsonLike::keep(json, &block);
                let chunk = parser.feed_block(block, whole)?;
                JsonLike::read(json, chunk.as_ref());
                Ok(chunk)
            }
            AnyParser::Jsonl { .. } | AnyParser::Hf { .. } => self.feed_borrowed(&block).unwrap_or(Ok(None)),
            AnyParser::Whole { format, name, bytes, .. } => {
                if bytes.len().saturating_add(block.len()) > WHOLE_MOST {
                    let line = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
                    let why =
                        format!("it goes on past {} MiB, far more than a feed of a day's papers", WHOLE_MOST >> 20);
                    return Err(DigestError::Malformed {
                        file: name.clone(),
                        line,
                        column: None,
                        format: if *format == Format::HfJson { super::hf::FORMAT } else { super::feed::FORMAT },
                        why,
                    });
                }
                bytes.extend_from_slice(&block);
                Ok(None)
            }
        }
    }

    /// `feed_block` for the formats that copy their papers out of the block and keep none of it, so that the
    /// caller keeps the block's memory; `None` (nothing read) for the others.
    pub(super) fn feed_borrowed(&mut self, block: &[u8]) -> Option<Result<Option<Chunk>, DigestError>> {
        match self {
            AnyParser::Jsonl { parser, origin } => Some(parser.feed(block).map(|records| chunk_of(origin, records))),
            AnyParser::Hf { parser, origin } => Some(match feed_hf(parser, origin, block) {
                Ok(chunk) => Ok(chunk),
                Err(error) => match parser.take_all() {
                    // Nothing parsed yet: read the rest whole, and judge it at the end.
                    Some(bytes) => {
                        let name = origin.name.clone();
                        *self = AnyParser::Whole { format: Format::HfJson, name, bytes, failed: Some(error) };
                        Ok(None)
                    }
                    None => Err(error),
                },
            }),
            AnyParser::Text(..) | AnyParser::Whole { .. } => None,
        }
    }

    /// Takes a block to be parsed on another thread, when it parses on its own (see `TextParser::detach`).
    pub(super) fn detach(&mut self, block: Block) -> Result<Detached, Block> {
        match self {
            // A file that starts as JSON does is parsed here until it reads as a digest (see `JsonLike`).
            AnyParser::Text(parser, None) => {
                let Block { bytes, whole, lines } = block;
                parser.detach(bytes, whole, lines).map_err(|bytes| Block { bytes, whole, lines })
            }
            _ => Err(block),
        }
    }

    /// Takes back a detached block parsed, in the order they were detached.
    pub(super) fn attach(&mut self, parsed: ParsedBlock) -> Option<Chunk> {
        match self {
            AnyParser::Text(parser, json) => {
                let chunk = parser.attach(parsed);
                JsonLike::read(json, chunk.as_ref());
                chunk
            }
            // Only text blocks are detached.
            _ => None,
        }
    }

    /// Warnings so far, once each.
    pub(super) fn take_warnings(&mut self) -> Vec<String> {
        match self {
            AnyParser::Text(parser, _) => parser.take_warnings(),
            AnyParser::Jsonl { parser, .. } => parser.take_warnings(),
            AnyParser::Hf { parser, .. } => parser.take_warnings(),
            AnyParser::Whole { .. } => Vec::new(),
        }
    }

    /// The digest's date line (text digests only).
    pub(super) fn date(&self) -> Option<&str> {
        match self {
            AnyParser::Text(parser, _) => parser.date(),
            _ => None,
        }
    }

    pub(super) fn bytes_seen(&self) -> u64 {
        match self {
            AnyParser::Text(parser, _) => parser.bytes_seen(),
            AnyParser::Jsonl { parser, .. } => parser.bytes_seen(),
            AnyParser::Hf { parser, .. } => parser.bytes_seen(),
            AnyParser::Whole { bytes, .. } => bytes.len() as u64,
        }
    }

    /// The end of the file: the last papers, the date line, and the warnings not taken yet.
    pub(super) fn finish(self) -> Result<Finished, DigestError> {
        match self {
            AnyParser::Text(parser, None) => parser.finish(),
            AnyParser::Text(parser, Some(json)) => json.finish(parser.finish()),
            // An error when there were no papers at all.
            AnyParser::Jsonl { parser, origin } => {
                let (records, warnings) = parser.finish()?;
                Ok((chunk_of(&origin, records), None, warnings))
            }
            AnyParser::Hf { mut parser, origin } => {
                let all = parser.take_all();
                match parser.finish() {
                    Ok((records, warnings)) => Ok((chunk_of(&origin, records), None, warnings)),
                    // Nothing parsed: perhaps a text digest after all (see `Whole`).
                    Err(error) => all.and_then(|bytes| as_text(&origin.name, bytes)).ok_or(error),
                }
            }
            AnyParser::Whole { name, bytes, failed: Some(error), .. } => as_text(&name, bytes).ok_or(error),
            // Each parser says when there are no papers (`Empty`, `NoPapers`).
            AnyParser::Whole { format, name, bytes, failed: None } => {
                let parsed = match format {
                    Format::HfJson => super::hf::parse(&name, &bytes),
                    _ => super::feed::parse(&name, &bytes),
                };
                let (records, warnings) = match parsed {
                    Ok(parsed) => parsed,
                    // Perhaps a text digest whose first title starts with `[{` or `<rss`: read as text if it
                    // reads as one, else the error for the format it looked like.
                    Err(error) => return as_text(&name, bytes).ok_or(error),
                };
                let origin = Arc::new(Origin { name, date: None, day: None });
                Ok((chunk_of(&origin, records), None, warnings))
            }
        }
    }
}

/// `bytes` parsed as a text digest, when they hold papers as one, with an abstract at least.
fn as_text(name: &str, bytes: Vec<u8>) -> Option<Finished> {
    let mut parser = TextParser::new(name);
    // The whole file as one block that no paper goes on past: one chunk.
    let chunk = parser.feed_block(bytes, true).ok()?;
    let (last, date, warnings) = parser.finish().ok()?;
    match (chunk, last) {
        // Only a digest with an abstract in it: a broken JSON file would otherwise read as titles.
        (Some(chunk), None) | (None, Some(chunk)) if has_abstract(&chunk) => Some((Some(chunk), date, warnings)),
        _ => None,
    }
}

/// The bytes of a file read as text that starts as JSON does (its first character that is not blank is `[`
/// or `{`), kept until a paper with an abstract is read: a title alone does not make a digest, and a
/// broken JSON file (`[1,2`) would otherwise open as one paper called `[1,2`. Such a file is refused with
/// the JSON error, naming its line and column. Titles that start with a bracket (`[Re] A Reproduction`)
/// stay titles in a digest that has abstracts.
pub(super) struct JsonLike {
    name: String,
    bytes: Vec<u8>,
}

/// Past this many bytes with no abstract, the file is read as text without a second look: JSON this large
/// is the metadata snapshot or the daily papers array, which `detect` knows.
const JSON_KEPT: usize = 8 << 20;

impl JsonLike {
    fn new(name: &str, head: &[u8]) -> Option<JsonLike> {
        let head = super::fields::strip_bom(head);
        let first = head.iter().find(|b| !b.is_ascii_whitespace());
        matches!(first, Some(b'[' | b'{')).then(|| JsonLike { name: name.to_string(), bytes: Vec::new() })
    }

    /// Keeps a block of the file, or gives up past `JSON_KEPT`.
    fn keep(json: &mut Option<JsonLike>, block: &[u8]) {
        if let Some(kept) = json {
            if kept.bytes.len() + block.len() > JSON_KEPT {
                *json = None;
            } else {
                kept.bytes.extend_from_slice(block);
            }
        }
    }

    /// Lets the file go as a digest once a chunk holds a paper with an abstract.
    fn read(json: &mut Option<JsonLike>, chunk: Option<&Chunk>) {
        if chunk.is_some_and(has_abstract) {
            *json = None;
        }
    }

    /// The text parser's end, or the JSON error when no paper had an abstract and the JSON readers reject
    /// the file.
    fn finish(self, finished: Result<Finished, DigestError>) -> Result<Finished, DigestError> {
        if let Ok((Some(last), ..)) = &finished
            && has_abstract(last)
        {
            return finished;
        }
        match self.refusal() {
            Some(error) => Err(error),
            None => finished,
        }
    }

    /// The error of the JSON readers: the file's syntax, or, for an array that parses, the daily papers
    /// reader's; `None` when they take it.
    fn refusal(&self) -> Option<DigestError> {
        let bytes = super::fields::strip_bom(&self.bytes);
        let (error, format) = match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            Err(error) => (error, "JSON"),
            Ok(_) => (super::hf::rejects(bytes)?, super::hf::FORMAT),
        };
        Some(DigestError::Malformed {
            file: self.name.clone(),
            line: error.line().max(1),
            column: Some(error.column()),
            format,
            why: super::fields::json_why(&error),
        })
    }
}

fn has_abstract(chunk: &Chunk) -> bool {
    chunk.papers().any(|p| !p.abstract_text().is_empty())
}

/// The records as a chunk of papers, when there are any.
/// Hugging Face entries written straight into a chunk (see `Chunk::push_written`).
fn feed_hf(parser: &mut HfParser, origin: &Arc<Origin>, block: &[u8]) -> Result<Option<Chunk>, DigestError> {
    let mut chunk = Chunk::new(Arc::clone(origin), String::new());
    parser.feed_to(block, &mut chunk)?;
    chunk.shrink_to_fit();
    Ok((!chunk.is_empty()).then_some(chunk))
}

fn chunk_of(origin: &Arc<Origin>, records: Vec<Record>) -> Option<Chunk> {
    if records.is_empty() {
        return None;
    }
    let mut chunk = Chunk::new(Arc::clone(origin), String::new());
    for record in records {
        chunk.push_record(record);
    }
    Some(chunk)
}

#[cfg(test)]
mod tests {
    use crate::digest::{DigestError, Source, load, load_small, parse_text};

    #[test]
    fn a_file_that_starts_as_json_without_a_paper_gets_the_json_error_every_way_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let cases: [(&[u8], usize, usize); 4] = [
            (b"[1,2", 1, 4),
            (b"  \n[\n1,\n", 4, 0),
            (b"{Braces} in a Title\n\nAnother Title\n", 1, 2),
            (b"[1, 2]", 1, 2),
        ];
        for (bytes, line, column) in cases {
            let path = dir.path().join("x.json");
            std::fs::write(&path, bytes).unwrap();
            let name = path.display().to_string();
            let in_memory = parse_text(&name, bytes).map(|d| d.len());
            match &in_memory {
                Err(DigestError::Malformed { line: l, column: Some(c), .. }) => {
                    assert_eq!((*l, *c), (line, column), "{:?}", String::from_utf8_lossy(bytes))
                }
                other => panic!("{:?}: {other:?}", String::from_utf8_lossy(bytes)),
            }
            let message = |read: Result<usize, DigestError>| read.map_err(|e| e.to_string());
            let expected = message(in_memory);
            assert_eq!(message(load(&Source::File(path.clone())).map(|d| d.len())), expected);
            assert_eq!(message(load_small(&path).map(|d| d.len())), expected);
        }
    }

    #[test]
    fn a_digest_whose_first_title_starts_with_a_bracket_is_a_digest() {
        let abstract_text = "We reproduce the result. It holds on every benchmark we tried.";
        for title in ["[Re] Reproducing a Result", "{Braces} in a Title", "[1,2] Intervals"] {
            // The paper with an abstract first, last, or in a block of its own after many titles alone.
            let titles: String = (0..60_000).map(|i| format!("[{i}] A Title Alone\n\n")).collect();
            for text in [
                format!("{title}\n\n{abstract_text}\n\nAnother Title\n"),
                format!("{title}\n\nAnother Title\n\nA Third\n\n{abstract_text}\n"),
                format!("{title}\n\n{titles}A Last Title\n\n{abstract_text}\n"),
            ] {
                let digest = parse_text("t.txt", text.as_bytes()).unwrap();
                assert_eq!(digest.paper(0).title(), title);
                assert!(digest.papers().any(|p| p.abstract_text() == abstract_text));
            }
        }
    }
}
