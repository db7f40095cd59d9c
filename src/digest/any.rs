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
    Text(TextParser),
    /// JSON Lines are parsed a block at a time, as the text digest is.
    Jsonl {
        parser: JsonlParser,
        origin: Arc<Origin>,
    },
    /// Hugging Face JSON is parsed an entry at a time as it is read.
    Hf {
        parser: HfParser,
        origin: Arc<Origin>,
    },
    /// Feeds are small (a day's papers): the whole file is read, then parsed at once. So is a file that
    /// looked like Hugging Face JSON but failed before its first entry (`failed`): perhaps a text digest
    /// whose first title starts with `[{`, judged at the end.
    Whole {
        format: Format,
        name: String,
        bytes: Vec<u8>,
        failed: Option<DigestError>,
    },
}

impl AnyParser {
    /// A parser for the format `head` (the first bytes of the file) is in. `saved`: the day the file was
    /// saved, for a text digest's date line without a year.
    pub(super) fn new(name: &str, head: &[u8], saved: Option<Day>) -> Self {
        let text = |name: &str| {
            let mut parser = TextParser::new(name);
            if let Some(day) = saved {
                parser.saved_on(day);
            }
            AnyParser::Text(parser)
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
        if let AnyParser::Text(parser) = self {
            parser.first_block(size);
        }
    }

    /// Takes the next block of the file; the papers complete in it, if any.
    pub(super) fn feed_block(&mut self, block: Vec<u8>, whole: bool) -> Result<Option<Chunk>, DigestError> {
        match self {
            AnyParser::Text(parser) => parser.feed_block(block, whole),
            AnyParser::Jsonl { parser, origin } => Ok(chunk_of(origin, parser.feed(&block)?)),
            AnyParser::Hf { parser, origin } => match parser.feed(&block) {
                Ok(records) => Ok(chunk_of(origin, records)),
                Err(error) => match parser.take_all() {
                    // Nothing parsed yet: read the rest whole, and judge it at the end.
                    Some(bytes) => {
                        let name = origin.name.clone();
                        *self = AnyParser::Whole { format: Format::HfJson, name, bytes, failed: Some(error) };
                        Ok(None)
                    }
                    None => Err(error),
                },
            },
            AnyParser::Whole { bytes, .. } => {
                bytes.extend_from_slice(&block);
                Ok(None)
            }
        }
    }

    /// Takes a block to be parsed on another thread, when it parses on its own (see `TextParser::detach`).
    pub(super) fn detach(&mut self, block: Block) -> Result<Detached, Block> {
        match self {
            AnyParser::Text(parser) => {
                let Block { bytes, whole, lines } = block;
                parser.detach(bytes, whole, lines).map_err(|bytes| Block { bytes, whole, lines })
            }
            _ => Err(block),
        }
    }

    /// Takes back a detached block parsed, in the order they were detached.
    pub(super) fn attach(&mut self, parsed: ParsedBlock) -> Option<Chunk> {
        match self {
            AnyParser::Text(parser) => parser.attach(parsed),
            // Only text blocks are detached.
            _ => None,
        }
    }

    /// Warnings so far, once each.
    pub(super) fn take_warnings(&mut self) -> Vec<String> {
        match self {
            AnyParser::Text(parser) => parser.take_warnings(),
            AnyParser::Jsonl { parser, .. } => parser.take_warnings(),
            AnyParser::Hf { parser, .. } => parser.take_warnings(),
            AnyParser::Whole { .. } => Vec::new(),
        }
    }

    /// The digest's date line (text digests only).
    pub(super) fn date(&self) -> Option<&str> {
        match self {
            AnyParser::Text(parser) => parser.date(),
            _ => None,
        }
    }

    pub(super) fn bytes_seen(&self) -> u64 {
        match self {
            AnyParser::Text(parser) => parser.bytes_seen(),
            AnyParser::Jsonl { parser, .. } => parser.bytes_seen(),
            AnyParser::Hf { parser, .. } => parser.bytes_seen(),
            AnyParser::Whole { bytes, .. } => bytes.len() as u64,
        }
    }

    /// The end of the file: the last papers, the date line, and the warnings not taken yet.
    pub(super) fn finish(self) -> Result<Finished, DigestError> {
        match self {
            AnyParser::Text(parser) => parser.finish(),
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
        (Some(chunk), None) | (None, Some(chunk)) if chunk.papers().any(|p| !p.abstract_text().is_empty()) => {
            Some((Some(chunk), date, warnings))
        }
        _ => None,
    }
}

/// The records as a chunk of papers, when there are any.
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
