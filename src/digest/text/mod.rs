//! The plain-text digest, as saved from the Hugging Face daily papers page.
//!
//! The format: an optional header (lines such as "new", "Get trending papers in your email inbox!",
//! "Subscribe", "byAK and the research community" and a date line such as "Mar 14"), then per paper a title
//! paragraph, a blank line and an abstract paragraph. A paragraph is a run of non-blank lines, joined with
//! spaces, so hard-wrapped copies read the same.
//!
//! **Which paragraph is an abstract.** There are no markers, so each paragraph is read as a person would
//! read it (`prose`): its length in words, or in characters for scripts written without spaces; how it
//! ends (a full stop or question mark of any script, past brackets and quotes, or a link); whether it holds
//! sentences; the case of its words. That gives a score, and the shape of the file decides the rest
//! (`papers`): title, abstract, title, abstract, with a title that lacks its abstract the exception. So
//! titles may be long or end with `.` or `?`, and abstracts may be one sentence. A title followed by prose
//! gets that prose as its abstract; prose that follows an abstract is a further paragraph of it; prose
//! with no title before it is skipped with a warning.
//!
//! Here: `TextParser`, which takes the file's blocks as they arrive and keeps what may go on into the next.
//! Beside it: `lines` (a block's lines decoded and sanitised, its paragraphs, where it can be cut), `papers`
//! (which paragraphs are titles and which abstracts), `prose` (how much a paragraph reads as prose), `words`
//! (counting words and characters), `header` (header and date lines) and `detached` (blocks parsed on
//! another thread).

mod detached;
mod header;
mod lines;
mod papers;
mod prose;
mod words;

use std::sync::Arc;

pub use detached::{Detached, ParsedBlock};
use header::parse_date;
pub(super) use lines::refuse_early;
pub use lines::safe_cut;
pub use words::unspaced;

use super::DigestError;
use crate::library::{Chunk, Day, Origin};

/// Lines longer than this are not digest text (an abstract runs to a few kilobytes) and are skipped
/// unread, so that a huge file with no line breaks cannot keep the reader busy for long, nor hold it in memory.
pub const MAX_LINE: usize = 1 << 20;

/// A paragraph is cut at this many bytes, with a warning: an abstract runs to a few kilobytes, and a
/// paragraph of many short lines would otherwise be held, line by line, however long it ran.
pub const MAX_PARAGRAPH: usize = 64 << 10;

/// Warnings shown per file; the rest are counted in one more line.
const MAX_WARNINGS: usize = 5;

/// The text is parsed in blocks of about this size; each becomes one chunk of papers. Small enough that a
/// block and its line index stay in the processor's cache through the parser's passes over it: with 8 MB
/// blocks, copying the titles out read each from memory again, and loading took a quarter longer.
pub const BLOCK: usize = 1 << 20;

/// A paper that begins a block is read on into the next ones until it ends, up to this many bytes; a longer
/// one is taken as it is. Its paragraphs are cut at `MAX_PARAGRAPH` anyway: reading further would only hold more.
const LONGEST_PAPER: usize = 1 << 20;

/// The end of a digest: its last papers, its date line, and the warnings not taken yet.
pub type Finished = (Option<Chunk>, Option<String>, Vec<String>);

/// Parses a text digest as its bytes arrive, a block at a time: each block becomes a chunk of the papers
/// complete in it, so a large file's first papers can be shown while the rest is read. A paper that may
/// go on in the next block (its title or abstract at the block's end) is kept for the next one.
pub struct TextParser {
    name: String,
    origin: Option<Arc<Origin>>,
    /// Bytes not parsed yet: the tail of the last block and what was fed since.
    pending: Vec<u8>,
    /// `pending` is parsed once it holds this much (more after a block with no complete paper).
    want: usize,
    /// The size of a block.
    block: usize,
    /// The line number of the first line in `pending`.
    line: usize,
    /// True until something past the header was parsed.
    at_start: bool,
    bytes_seen: u64,
    papers: usize,
    warnings: Vec<String>,
    warning_count: usize,
    /// Warnings of a block that was put back to parse again with more text (its bytes already repaired).
    held: Vec<(Option<usize>, String)>,
    /// Lines over `MAX_LINE` already reported, so that one parsed again is reported once.
    long_lines: std::collections::HashSet<usize>,
    /// A line over `MAX_LINE` being skipped as it arrives: its number and the bytes seen.
    skipping: Option<(usize, u64)>,
    /// The day the digest was saved, which gives the year of a date line without one.
    saved: Day,
}

impl TextParser {
    pub fn new(name: &str) -> Self {
        TextParser {
            name: name.to_string(),
            origin: None,
            pending: Vec::new(),
            want: BLOCK,
            block: BLOCK,
            line: 1,
            at_start: true,
            bytes_seen: 0,
            papers: 0,
            warnings: Vec::new(),
            warning_count: 0,
            held: Vec::new(),
            long_lines: std::collections::HashSet::new(),
            skipping: None,
            saved: Day::today(),
        }
    }

    /// Sets the day the digest was saved (its file's modification time), which gives the year of a date
    /// line without one. Today when not set.
    pub fn saved_on(&mut self, day: Day) {
        self.saved = day;
    }

    /// Takes a block read from the file, without copying it. `whole` says that no paper goes on past its
    /// end (see `safe_cut`): it is parsed at once, all of it.
    pub fn feed_block(&mut self, mut block: Vec<u8>, whole: bool) -> Result<Option<Chunk>, DigestError> {
        self.bytes_seen += block.len() as u64;
        self.skip_long_line(&mut block);
        if self.pending.is_empty() {
            self.pending = block;
        } else {
            self.pending.extend_from_slice(&block);
        }
        self.start_skipping();
        if whole {
            self.parse_pending(false, true)
        } else if self.pending.len() >= self.want {
            self.parse_pending(false, false)
        } else {
            Ok(None)
        }
    }

    /// Parses in blocks of `size` bytes from now on (tests use small ones).
    pub fn block_size(&mut self, size: usize) {
        self.block = size;
        self.want = size;
    }

    /// Parses the first block once it holds `size` bytes (less than later blocks, to show papers sooner).
    pub fn first_block(&mut self, size: usize) {
        self.want = size;
    }

    /// Bytes given so far.
    pub fn bytes_seen(&self) -> u64 {
        self.bytes_seen
    }

    /// Warnings so far, taken: each is given once.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// The date line of the header, once the first block was parsed.
    pub fn date(&self) -> Option<&str> {
        self.origin.as_ref().and_then(|o| o.date.as_deref())
    }

    /// Parses the rest at the end of the file. Fails when the file had no papers at all.
    pub fn finish(mut self) -> Result<Finished, DigestError> {
        if let Some((line, bytes)) = self.skipping.take() {
            self.warn_long_line(line, bytes);
        }
        let last = self.parse_pending(true, false)?;
        for (_, warning) in std::mem::take(&mut self.held) {
            self.warn(warning);
        }
        let name = self.name.clone();
        if self.papers == 0 {
            return Err(if self.bytes_seen == 0 {
                DigestError::Empty { file: name }
            } else {
                // Nothing skipped: every line was a header line ("new", "Subscribe", a date) or blank.
                let hint = self.warnings.first().cloned().unwrap_or_else(|| {
                    format!(
                        "{name}:{}: the last line, and all before it, are a digest's header lines",
                        self.line.max(2) - 1
                    )
                });
                DigestError::NoPapers { file: name, hint: Some(hint) }
            });
        }
        if self.warning_count > MAX_WARNINGS {
            let more = self.warning_count - MAX_WARNINGS;
            self.warnings.push(format!("{name}: {more} more warnings like these"));
        }
        let date = self.date().map(str::to_string);
        Ok((last, date, self.warnings))
    }

    /// While a line over `MAX_LINE` is being skipped: drops what arrived of it in `block`, and ends the skip
    /// at its line break (kept: the line stays, empty, so that lines keep their numbers).
    fn skip_long_line(&mut self, block: &mut Vec<u8>) {
        let Some((line, seen)) = self.skipping else { return };
        match memchr::memchr(b'\n', block) {
            Some(end) => {
                self.skipping = None;
                block.drain(..end);
                self.warn_long_line(line, seen + end as u64);
            }
            None => {
                self.skipping = Some((line, seen + block.len() as u64));
                block.clear();
            }
        }
    }

    /// Skips the last line pending, as it arrives, once it is over `MAX_LINE` and not ended yet, whatever
    /// comes before it: it is never held whole, so memory stays bounded by the limit, not the line.
    fn start_skipping(&mut self) {
        let start = memchr::memrchr(b'\n', &self.pending).map_or(0, |i| i + 1);
        let partial = self.pending.len() - start;
        if self.skipping.is_none() && partial > MAX_LINE {
            let line = self.line + memchr::memchr_iter(b'\n', &self.pending[..start]).count();
            self.skipping = Some((line, partial as u64));
            self.pending.truncate(start);
        }
    }

    fn warn_long_line(&mut self, line: usize, bytes: u64) {
        if self.long_lines.insert(line) {
            let name = &self.name;
            self.warn(format!(
                "{name}:{line}: a line of {bytes} bytes was skipped (digest lines are under {MAX_LINE} bytes)"
            ));
        }
    }

    fn warn(&mut self, warning: String) {
        self.warning_count += 1;
        if self.warning_count <= MAX_WARNINGS {
            self.warnings.push(warning);
        }
    }

    /// Parses the whole lines pending. `last`: the file ends here; `whole`: no paper goes on past the end.
    fn parse_pending(&mut self, last: bool, whole: bool) -> Result<Option<Chunk>, DigestError> {
        // Whole lines only, until the end.
        let cut = if last { self.pending.len() } else { memchr::memrchr(b'\n', &self.pending).map_or(0, |i| i + 1) };
        if cut == 0 && !last {
            // Not one whole line yet: look again after another block, not after every read.
            self.want = self.pending.len() + self.block;
            return Ok(None);
        }
        let rest = self.pending.split_off(cut);
        let block = std::mem::replace(&mut self.pending, rest);
        if block.is_empty() {
            return Ok(None);
        }
        let first_line = self.line;
        let mut warnings = Vec::new();
        let (mut text, lines) = self.decode(block, &mut warnings)?;
        // The last paper may go on in the next block (a title whose abstract is not here yet, an abstract
        // with more paragraphs): it is parsed again with it. When it began the block, more is read first,
        // up to a limit past which it is taken as it is.
        let mut parsed = self.parse_block(&text, &lines, first_line, last, !last && !whole);
        let cut_paragraphs = lines::cut_paragraphs(&text, &lines);
        let small = text.len() < LONGEST_PAPER;
        let keep = match parsed.last_paper {
            _ if last => None,
            None if !parsed.header_done && small => Some((0, 0)),
            Some((0, _)) if small => Some((0, 0)),
            Some((0, _)) => {
                parsed = self.parse_block(&text, &lines, first_line, last, false);
                None
            }
            keep => keep,
        };
        if keep.is_some_and(|(from, _)| from == 0) {
            // Its warnings wait for it: the text put back is repaired already.
            self.held.extend(warnings);
            let mut back = text.into_bytes();
            back.extend_from_slice(&self.pending);
            // Twice as much each time, so that a long paper is parsed again a few times, not once a block.
            self.want = back.len() + back.len().max(self.block);
            self.pending = back;
            return Ok(None);
        }
        self.want = self.block;
        for (long_line, warning) in std::mem::take(&mut self.held).into_iter().chain(warnings) {
            match long_line {
                Some(line) if !self.long_lines.insert(line) => {}
                _ => self.warn(warning),
            }
        }
        // Paragraphs cut at `MAX_PARAGRAPH`, those before a paper kept for the next block (which says so then).
        let kept_from = keep.map_or(usize::MAX, |(_, line_index)| line_index);
        for line_index in cut_paragraphs.into_iter().filter(|&at| at < kept_from) {
            let line = first_line + line_index;
            parsed.warnings.push(format!(
                "{}:{line}: a paragraph of more than {MAX_PARAGRAPH} bytes was cut there (an abstract runs to a few thousand)",
                self.name
            ));
        }
        for warning in parsed.warnings {
            self.warn(warning);
        }
        self.at_start = false;
        if self.origin.is_none() {
            let date = parsed.date.take();
            let day = date.as_deref().and_then(|d| parse_date(d, self.saved));
            self.origin = Some(Arc::new(Origin { name: self.name.clone(), date, day }));
        }
        match keep {
            Some((from, line_index)) => {
                let mut back = text.as_bytes()[from..].to_vec();
                back.extend_from_slice(&self.pending);
                self.pending = back;
                self.line = first_line + line_index;
                text.truncate(from);
            }
            None => self.line = first_line + lines.len(),
        }
        let mut chunk = Chunk::new(self.origin.clone().unwrap_or_default(), text);
        for (title, abstract_text, line) in parsed.papers {
            chunk.push(title, abstract_text, line);
        }
        self.papers += chunk.len();
        Ok(Some(chunk))
    }
}

#[cfg(test)]
mod limits_tests;
#[cfg(test)]
mod tests;
