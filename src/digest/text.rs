//! The plain-text digest, as saved from the Hugging Face daily papers page.
//!
//! The format: an optional header (lines such as "new", "Get trending papers in your email inbox!",
//! "Subscribe", "byAK and the research community" and a date line such as "Mar 14"), then per paper a title
//! paragraph, a blank line and an abstract paragraph. A paragraph is a run of non-blank lines, joined with
//! spaces, so hard-wrapped copies read the same.
//!
//! **Which paragraph is an abstract.** A paragraph is *prose* when it has at least 40 words, or when it ends
//! with a full stop and has at least 8 words; anything else is a *title*. Titles in the real digests run to
//! about 20 words and do not end in a full stop; abstracts run to 150 words and more. A title followed by
//! prose gets that prose as its abstract; a title followed by another title has no abstract (the next title
//! never becomes it); prose that follows an abstract is a further paragraph of that abstract; prose with no
//! title before it is skipped with a warning.

use std::sync::Arc;

use super::DigestError;
use crate::library::{Chunk, Day, Origin, Text};
use crate::sanitize::{is_unsafe, sanitize};

/// Lines longer than this are not digest text (an abstract runs to a few kilobytes) and are skipped
/// unread, so that a huge file with no line breaks cannot keep the reader busy for long.
pub const MAX_LINE: usize = 1 << 20;

/// Warnings shown per file; the rest are counted in one more line.
const MAX_WARNINGS: usize = 5;

/// The text is parsed in blocks of about this size; each becomes one chunk of papers. Small enough that a
/// block and its line index stay in the processor's cache through the parser's passes over it: with 8 MB
/// blocks, copying the titles out read each from memory again, and loading took a quarter longer.
pub const BLOCK: usize = 1 << 20;

/// A paper that begins a block is read on into the next ones until it ends, up to this many bytes; a longer
/// one is taken as it is.
const LONGEST_PAPER: usize = 32 << 20;

const HEADER_LINES: [&str; 4] =
    ["new", "get trending papers in your email inbox!", "subscribe", "byak and the research community"];

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
    pub fn feed_block(&mut self, block: Vec<u8>, whole: bool) -> Result<Option<Chunk>, DigestError> {
        self.bytes_seen += block.len() as u64;
        if self.pending.is_empty() {
            self.pending = block;
        } else {
            self.pending.extend_from_slice(&block);
        }
        self.skip_long_line();
        if whole {
            self.parse_pending(false, true)
        } else if self.pending.len() >= self.want {
            self.parse_pending(false, false)
        } else {
            Ok(None)
        }
    }

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

    /// While a line over `MAX_LINE` is being skipped: drops what arrived of it, and ends the skip at its
    /// line break (the line stays, empty, so that lines keep their numbers).
    fn skip_long_line(&mut self) {
        let Some((line, seen)) = self.skipping else { return };
        match memchr::memchr(b'\n', &self.pending) {
            Some(end) => {
                self.skipping = None;
                self.pending.drain(..end);
                self.warn_long_line(line, seen + end as u64);
            }
            None => {
                self.skipping = Some((line, seen + self.pending.len() as u64));
                self.pending.clear();
            }
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
            if self.pending.len() > MAX_LINE {
                // Not a digest line: skip it as it arrives, without keeping it.
                self.skipping = Some((self.line, 0));
                self.skip_long_line();
                self.want = self.block;
                return Ok(None);
            }
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

    /// Makes text of a block: UTF-8 checked (invalid bytes replaced, with a warning naming the line), and
    /// its lines found, trimmed and sanitised. Fails on bytes that are not text: UTF-16, or NUL bytes and
    /// invalid UTF-8 on most lines.
    /// Warnings about lines over `MAX_LINE` carry the line's number.
    fn decode(
        &self,
        block: Vec<u8>,
        warnings: &mut Vec<(Option<usize>, String)>,
    ) -> Result<(String, Vec<Line>), DigestError> {
        let name = &self.name;
        let not_text = |line: usize, why: &str| DigestError::NotText { file: name.clone(), line, why: why.to_string() };
        let at_file_start = self.line == 1 && self.at_start;
        if at_file_start && (block.starts_with(b"\xff\xfe") || block.starts_with(b"\xfe\xff")) {
            return Err(not_text(1, "it is UTF-16; save it as UTF-8"));
        }
        let mut invalid = Vec::new();
        let text = match String::from_utf8(block) {
            Ok(text) => text,
            Err(e) => {
                let bytes = e.into_bytes();
                for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
                    if std::str::from_utf8(raw).is_err() {
                        invalid.push(self.line + i);
                    }
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }
        };
        let mut with_nul = Vec::new();
        let has_nul = memchr::memchr(0, text.as_bytes()).is_some();
        let mut nonblank = 0;
        let mut lines = Vec::with_capacity(text.len() / 64);
        let mut start = if at_file_start && text.starts_with('\u{feff}') { 3 } else { 0 };
        while start < text.len() {
            let end = memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
            let number = self.line + lines.len();
            let raw = &text[start..end];
            let content = if raw.len() > MAX_LINE {
                warnings.push((
                    Some(number),
                    format!(
                        "{name}:{number}: a line of {} bytes was skipped (digest lines are under {} bytes)",
                        raw.len(),
                        MAX_LINE
                    ),
                ));
                Content::Blank
            } else {
                if has_nul && raw.as_bytes().contains(&0) {
                    with_nul.push(number);
                }
                if !raw.bytes().all(|b| b.is_ascii_whitespace()) {
                    nonblank += 1;
                }
                content(raw, start)
            };
            lines.push(Line { start, content });
            start = end + 1;
        }
        // A stray NUL or a Latin-1 line in a text file is repaired; bytes that are mostly not text are refused.
        let text_lines = nonblank.max(1);
        let mut bad: Vec<usize> = invalid.iter().chain(&with_nul).copied().collect();
        bad.sort_unstable();
        bad.dedup();
        if bad.len() * 2 > text_lines {
            let why = format!("{} of its {} lines are not UTF-8 text; binary data?", bad.len(), text_lines);
            return Err(not_text(bad[0], &why));
        }
        if let Some(&first) = invalid.first() {
            let more = match invalid.len() {
                1 => String::new(),
                2 => " (and 1 more line)".to_string(),
                n => format!(" (and {} more lines)", n - 1),
            };
            warnings.push((
                None,
                format!(
                    "{name}:{first}: invalid UTF-8 replaced with \u{fffd}{more}; save the digest as UTF-8 to keep every character"
                ),
            ));
        }
        Ok((text, lines))
    }

    /// The papers of a block. `may_continue`: the text may go on past the block's end, so the paper that
    /// its last paragraph may belong to (or, with none, that paragraph) is left for the next block.
    fn parse_block(&self, text: &str, lines: &[Line], first_line: usize, last: bool, may_continue: bool) -> Parsed {
        let mut parsed = Parsed::default();
        let all = paragraphs(text, lines);
        let mut i = 0;
        if self.at_start {
            while let Some(p) = all.get(i).filter(|p| p.lines == 1 && is_header(p.text(text))) {
                if is_date(p.text(text)) {
                    parsed.date = Some(p.text(text).to_string());
                }
                i += 1;
            }
            // The header ends where something else begins (or at the end of the file).
            parsed.header_done = i < all.len() || last;
        } else {
            parsed.header_done = true;
        }
        let prose: Vec<bool> = all.iter().map(|p| is_prose(p.text(text))).collect();
        // The last paragraph may not be whole yet, and may turn out to belong to the paper before it: that
        // paper (from its title) and what follows wait for the next block.
        let last_paragraph = all.len().saturating_sub(1).max(i);
        let end = match (i..last_paragraph).rev().find(|&j| !prose[j]) {
            _ if !may_continue => all.len(),
            Some(title) => title,
            None => last_paragraph,
        };
        if let Some(p) = all.get(end) {
            parsed.last_paper = Some((p.start, p.first_line));
        }

        // (title, its abstract paragraphs).
        let mut found: Vec<(&Paragraph, Vec<&Paragraph>)> = Vec::new();
        while i < end {
            let p = &all[i];
            if prose[i] {
                match found.last_mut() {
                    Some((_, abstract_text)) => abstract_text.push(p),
                    None => parsed.warnings.push(format!(
                        "{}:{}: a paragraph of prose with no title before it was skipped",
                        self.name,
                        first_line + p.first_line
                    )),
                }
                i += 1;
                continue;
            }
            let mut abstract_text = Vec::new();
            if i + 1 < end && prose[i + 1] {
                abstract_text.push(&all[i + 1]);
                i += 1;
            }
            i += 1;
            found.push((p, abstract_text));
        }
        for (title, paragraphs) in found {
            let abstract_text = match paragraphs.as_slice() {
                [] => Text::EMPTY,
                [one] => one.to_text(),
                more => Text::Owned(more.iter().map(|p| p.text(text)).collect::<Vec<_>>().join("\n\n").into()),
            };
            parsed.papers.push((title.to_text(), abstract_text, first_line + title.first_line));
        }
        parsed
    }
}

/// Where a block of a digest can be cut so that no paper goes on past the cut: the start of a title that
/// stands alone between blank lines (one clean line, not prose, not a header line), looking back from the
/// end over at most a few hundred lines. The paper before it is then complete: what follows a title is
/// never part of the paper before. `None` when there is no such place near the end. `mid_line`: the bytes
/// begin inside a line, whose start was in the block before.
pub fn safe_cut(bytes: &[u8], mid_line: bool) -> Option<usize> {
    let blank = |line: &[u8]| line.iter().all(u8::is_ascii_whitespace);
    // Lines from the end, whole ones only: (start, end without the line break).
    let mut end = memchr::memrchr(b'\n', bytes)?;
    let mut later_blank = false;
    let mut candidate: Option<(usize, usize)> = None;
    for _ in 0..512 {
        let start = memchr::memrchr(b'\n', &bytes[..end]).map_or(0, |i| i + 1);
        let line = &bytes[start..end];
        let is_blank = blank(line) && !(mid_line && start == 0);
        if let Some((title_start, title_end)) = candidate.take()
            && is_blank
        {
            let title = bytes[title_start..title_end].strip_suffix(b"\r").unwrap_or(&bytes[title_start..title_end]);
            if is_printable_ascii(title) || std::str::from_utf8(title).is_ok_and(|t| !t.chars().any(is_unsafe)) {
                let text = String::from_utf8_lossy(title);
                let text = text.trim();
                if !text.is_empty() && !is_prose(text) && !is_header(text) && title_start > 0 {
                    return Some(title_start);
                }
            }
        }
        if !is_blank && later_blank {
            candidate = Some((start, end));
        }
        later_blank = is_blank;
        if start == 0 {
            return None;
        }
        end = start - 1;
    }
    None
}

/// What one block held.
#[derive(Default)]
struct Parsed {
    papers: Vec<(Text, Text, usize)>,
    warnings: Vec<String>,
    date: Option<String>,
    header_done: bool,
    /// Where the last paper's title begins: a byte offset and a line index in the block.
    last_paper: Option<(usize, usize)>,
}

/// A line of a block: where it begins, and what it says.
struct Line {
    start: usize,
    content: Content,
}

/// What a line says: nothing, a trimmed span of the block, or text the sanitiser changed.
enum Content {
    Blank,
    Span(usize, usize),
    Owned(String),
}

/// The content of the line `raw`, which begins at `offset` in its block.
fn content(raw: &str, offset: usize) -> Content {
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    // Printable ASCII (the common case) or text with nothing unsafe: a span, trimmed.
    let clean = is_printable_ascii(raw.as_bytes()) || !raw.chars().any(is_unsafe);
    if clean {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Content::Blank;
        }
        let start = offset + (trimmed.as_ptr() as usize - raw.as_ptr() as usize);
        return Content::Span(start, start + trimmed.len());
    }
    match sanitize(raw).trim() {
        "" => Content::Blank,
        trimmed => Content::Owned(trimmed.to_string()),
    }
}

/// True when every byte is printable ASCII (space to tilde). Written without an early exit, a block of
/// bytes at a time, so that the compiler can check many bytes per instruction.
fn is_printable_ascii(bytes: &[u8]) -> bool {
    let printable = |ok: bool, &b: &u8| ok & (b.wrapping_sub(0x20) < 0x5f);
    let mut blocks = bytes.chunks_exact(64);
    blocks.all(|block| block.iter().fold(true, printable)) && blocks.remainder().iter().fold(true, printable)
}

impl Content {
    fn get<'a>(&'a self, text: &'a str) -> &'a str {
        match self {
            Content::Blank => "",
            Content::Span(start, end) => &text[*start..*end],
            Content::Owned(s) => s,
        }
    }
}

struct Paragraph {
    /// Byte offset in the block where its first line begins (before trimming).
    start: usize,
    /// Index of its first line in the block.
    first_line: usize,
    lines: usize,
    /// A span of the block when the paragraph is one clean line, else its lines joined.
    text: Result<(usize, usize), String>,
}

impl Paragraph {
    fn text<'a>(&'a self, text: &'a str) -> &'a str {
        match &self.text {
            Ok((start, end)) => &text[*start..*end],
            Err(joined) => joined,
        }
    }

    fn to_text(&self) -> Text {
        match &self.text {
            Ok((start, end)) => Text::Span { start: *start, end: *end },
            Err(joined) => Text::Owned(joined.as_str().into()),
        }
    }
}

/// The paragraphs of a block: runs of lines that are not blank.
fn paragraphs(text: &str, lines: &[Line]) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if matches!(lines[i].content, Content::Blank) {
            i += 1;
            continue;
        }
        let first = i;
        while i < lines.len() && !matches!(lines[i].content, Content::Blank) {
            i += 1;
        }
        let text = match &lines[first..i] {
            [Line { content: Content::Span(s, e), .. }] => Ok((*s, *e)),
            run => Err(join_lines(run.iter().map(|l| l.content.get(text)))),
        };
        out.push(Paragraph { start: lines[first].start, first_line: first, lines: i - first, text });
    }
    out
}

/// Joins the lines of a paragraph with spaces, except after a hyphen that ends a line after a letter
/// ("anchor-" + "free" is "anchor-free"): copies wrapped at a fixed width break lines there.
fn join_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut text = String::new();
    for line in lines {
        let mut tail = text.chars().rev();
        let hyphenated = tail.next() == Some('-') && tail.next().is_some_and(char::is_alphabetic);
        if !text.is_empty() && !hyphenated {
            text.push(' ');
        }
        text.push_str(line);
    }
    text
}

/// Refuses, from the first bytes of a file, what is not text at all, so that the rest (which may never end,
/// as from /dev/zero) need not be read. Only whole lines are judged: the last one may be cut short.
pub(super) fn refuse_early(name: &str, head: &[u8]) -> Result<(), DigestError> {
    match head.iter().rposition(|&b| b == b'\n') {
        Some(end) => TextParser::new(name).decode(head[..=end].to_vec(), &mut Vec::new()).map(|_| ()),
        None if head.len() >= 4096 && head.iter().filter(|&&b| b == 0).count() * 100 > head.len() => {
            Err(DigestError::NotText {
                file: name.to_string(),
                line: 1,
                why: "it holds NUL bytes, as binary data does".into(),
            })
        }
        // No line break yet: bytes that cannot be UTF-8 (not merely a character cut at the end) are not text.
        None if std::str::from_utf8(head).is_err_and(|e| e.error_len().is_some()) => {
            Err(DigestError::NotText { file: name.to_string(), line: 1, why: "it is not UTF-8 text".into() })
        }
        None => Ok(()),
    }
}

fn is_prose(text: &str) -> bool {
    // Counting stops as soon as the answer is known: at 8 words for a paragraph that ends with a full stop
    // (as abstracts do), at 40 for one that does not. An abstract need not be counted to the end.
    let enough = if text.ends_with('.') { 8 } else { 40 };
    count_words(text, enough) >= enough
}

/// The high bit of each byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `eight` (ASCII bytes) that is whitespace: a space, or 9 to 13 (tab, line
/// feed, vertical tab, form feed, carriage return). No byte carries into the next: each is below 0x80.
fn ascii_spaces(eight: u64) -> u64 {
    let ones = |b: u8| u64::from_le_bytes([b; 8]);
    let not_space_char = eight ^ ones(b' ');
    // High bit set where a byte of `not_space_char` is not zero.
    let nonzero = ((not_space_char & !HIGH_BITS) + ones(0x7f)) | not_space_char;
    let at_least_9 = eight + ones(0x80 - 9);
    let at_least_14 = eight + ones(0x80 - 14);
    (!nonzero | (at_least_9 & !at_least_14)) & HIGH_BITS
}

/// The number of whitespace-separated words in `text` (as `split_whitespace` finds them), counting no
/// further than about `limit`. Runs of ASCII are counted 64 bytes at a time, eight bytes to a `u64`
/// without branches: a word starts at each non-space whose neighbour before is a space; a block with
/// other characters, a character at a time.
fn count_words(text: &str, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut after_space = true;
    let mut at = 0;
    while at < bytes.len() && words < limit {
        let end = (at + 64).min(bytes.len());
        let block = &bytes[at..end];
        if block.is_ascii() {
            // A short last block is padded with spaces, which start no word.
            let mut padded = [b' '; 64];
            padded[..block.len()].copy_from_slice(block);
            for eight in padded.chunks_exact(8) {
                let spaces = ascii_spaces(u64::from_le_bytes(eight.try_into().unwrap_or_default()));
                // The high bit of each byte whose neighbour before is a space.
                let before_is_space = (spaces << 8) | (u64::from(after_space) << 7);
                words += (!spaces & before_is_space & HIGH_BITS).count_ones() as usize;
                after_space = spaces >> 63 == 1;
            }
            after_space = block[block.len() - 1] == b' ' || block[block.len() - 1].wrapping_sub(9) < 5;
            at = end;
            continue;
        }
        // Characters up to the end of the block (or just past it, for one that straddles it).
        for c in text[at..].chars() {
            let space = c.is_whitespace();
            words += usize::from(!space & after_space);
            after_space = space;
            at += c.len_utf8();
            if at >= end {
                break;
            }
        }
    }
    words.min(limit)
}

fn is_header(text: &str) -> bool {
    let lower = text.to_lowercase();
    HEADER_LINES.contains(&lower.as_str()) || is_date(text)
}

/// A date line: a month name or its three-letter abbreviation, a day, and optionally a year ("Mar 14",
/// "March 14, 2024", "14 Mar 2024").
fn is_date(text: &str) -> bool {
    date_parts(text).is_some()
}

/// The day of a date line (see `is_date`). Without a year, the year is the latest that puts the day on or
/// before `saved`, the day the digest was saved.
pub(crate) fn parse_date(text: &str, saved: Day) -> Option<Day> {
    let (month, day, year) = date_parts(text)?;
    if let Some(year) = year {
        return Day::new(year, month, day);
    }
    let year = if (month, day) > (saved.month(), saved.day()) { saved.year() - 1 } else { saved.year() };
    // "Feb 29" is from the latest leap year.
    (0..8).find_map(|back| Day::new(year.checked_sub(back)?, month, day))
}

/// Month (1-12), day and year of a date line.
fn date_parts(text: &str) -> Option<(u32, u32, Option<u32>)> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let words: Vec<String> =
        text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let month = |w: &str| {
        let at = MONTHS.iter().position(|m| *m == w || (w.len() == 3 && m.starts_with(w)))?;
        (w.len() >= 3).then_some(at as u32 + 1)
    };
    let day = |w: &str| w.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
    let year = |w: Option<&String>| match w {
        None => Some(None),
        Some(w) if w.len() == 4 => w.parse::<u32>().ok().map(Some),
        Some(_) => None,
    };
    match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [m, d] | [m, d, _] if month(m).is_some() && day(d).is_some() => Some((month(m)?, day(d)?, year(words.get(2))?)),
        [d, m] | [d, m, _] if month(m).is_some() && day(d).is_some() => Some((month(m)?, day(d)?, year(words.get(2))?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod counting {
    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in ["", " a  b\tc\n", "naïve café — “quoted” words", "a\u{a0}b\u{2003}c\u{3000}d", "x\u{b}y\u{c}z"]
        {
            assert_eq!(super::count_words(text, 100), text.split_whitespace().count(), "{text:?}");
        }
        assert_eq!(super::count_words("a b c d e", 3), 3);
    }

    #[test]
    fn prose_is_forty_words_or_eight_ending_with_a_full_stop() {
        // The rule as the module states it, against every count of words around both thresholds, with
        // and without the full stop, in short and long words.
        for words in 0..90 {
            for word in ["a", "transformers"] {
                for end in ["", ".", ". ", "!"] {
                    let text = format!("{}{end}", vec![word; words].join(" "));
                    let text = text.trim();
                    let n = text.split_whitespace().count();
                    let expected = n >= 40 || (n >= 8 && text.ends_with('.'));
                    assert_eq!(super::is_prose(text), expected, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn words_are_counted_across_blocks_of_64_bytes() {
        // Every length to past three blocks, words and spaces of every width falling on every block edge,
        // with and without a character that is not ASCII somewhere.
        let pattern = "ab  c\td ef\r\n  ghi jklm n ";
        for length in 0..200 {
            for shift in 0..pattern.len() {
                let text: String = pattern.chars().cycle().skip(shift).take(length).collect();
                assert_eq!(super::count_words(&text, usize::MAX), text.split_whitespace().count(), "{text:?}");
                let mut wide = text.clone();
                wide.insert_str(length / 2, "\u{3000}é");
                assert_eq!(super::count_words(&wide, usize::MAX), wide.split_whitespace().count(), "{wide:?}");
            }
        }
    }
}
