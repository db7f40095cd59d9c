//! Blocks parsed on another thread: detached when they parse on their own, their papers attached back in order.

use super::TextParser;
use crate::digest::DigestError;
use crate::library::Chunk;

/// A block that parses on its own, on any thread (see `TextParser::detach`).
pub struct Detached {
    /// A parser standing where the block begins.
    parser: TextParser,
    block: Vec<u8>,
}

impl Detached {
    pub fn parse(self) -> Result<ParsedBlock, DigestError> {
        let Detached { mut parser, block } = self;
        let chunk = parser.feed_block(block, true)?;
        Ok(ParsedBlock { chunk, warnings: parser.warnings, warning_count: parser.warning_count })
    }
}

/// A detached block parsed: its papers, the first of its warnings, and how many it had in all.
pub struct ParsedBlock {
    chunk: Option<Chunk>,
    warnings: Vec<String>,
    warning_count: usize,
}

impl TextParser {
    /// Takes `block` to be parsed elsewhere (`Detached::parse`, on another thread), when it parses on its
    /// own: no paper goes on past its end (`whole`), nothing waits to be parsed before it, and the header
    /// is behind. Its bytes and its `lines` (line breaks) are counted as read at once, so that the blocks
    /// after it can be taken too; its papers and warnings come back, in order, through `attach`.
    pub fn detach(&mut self, block: Vec<u8>, whole: bool, lines: usize) -> Result<Detached, Vec<u8>> {
        let alone = whole
            && block.ends_with(b"\n")
            && self.pending.is_empty()
            && !self.at_start
            && self.skipping.is_none()
            && self.held.is_empty();
        let Some(origin) = self.origin.clone().filter(|_| alone) else { return Err(block) };
        let mut parser = TextParser::new(&self.name);
        parser.origin = Some(origin);
        parser.line = self.line;
        parser.at_start = false;
        parser.saved = self.saved;
        self.line += lines;
        self.bytes_seen += block.len() as u64;
        Ok(Detached { parser, block })
    }

    /// Takes back a detached block parsed: its papers, and its warnings as if it had been parsed here.
    /// Blocks are attached in the order they were detached.
    pub fn attach(&mut self, parsed: ParsedBlock) -> Option<Chunk> {
        let ParsedBlock { chunk, warnings, warning_count } = parsed;
        let untold = warning_count - warnings.len();
        for warning in warnings {
            self.warn(warning);
        }
        self.warning_count += untold;
        self.papers += chunk.as_ref().map_or(0, Chunk::len);
        chunk
    }
}
