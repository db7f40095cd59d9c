//! The lines of a block: decoded, trimmed and sanitised; paragraphs; and where a block can be cut.

use super::header::is_header;
use super::prose::is_surely_title;
use super::{MAX_LINE, MAX_PARAGRAPH, TextParser};
use crate::digest::DigestError;
use crate::library::Text;
use crate::sanitize::{is_unsafe, sanitize};

impl TextParser {
    /// Makes text of a block: UTF-8 checked (invalid bytes replaced, with a warning naming the line), and
    /// its lines found, trimmed and sanitised. Fails on bytes that are not text: UTF-16, or NUL bytes and
    /// invalid UTF-8 on most lines.
    /// Warnings about lines over `MAX_LINE` carry the line's number.
    pub(super) fn decode(
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
                // A line of printable ASCII (most lines) has no NUL: only the others are searched for one.
                let printable = is_printable_ascii(raw.as_bytes());
                if !printable && raw.as_bytes().contains(&0) {
                    with_nul.push(number);
                }
                if !raw.bytes().all(|b| b.is_ascii_whitespace()) {
                    nonblank += 1;
                }
                content(raw, start, printable)
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
}

/// Where a block of a digest can be cut so that no paper goes on past the cut: the start of a paragraph
/// that is surely a title (see `prose`) and stands alone between blank lines (one clean line, not a header
/// line), looking back from the end over at most a few hundred lines. The paper before it is then complete,
/// and read as it would be with the text after the cut: what follows such a title is never part of the
/// paper before, nor changes how the paragraphs before it are read. `None` when there is no such place
/// near the end. `mid_line`: the bytes begin inside a line, whose start was in the block before.
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
                if !text.is_empty() && is_surely_title(text) && !is_header(text) && title_start > 0 {
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

/// A line of a block: where it begins, and what it says.
pub(super) struct Line {
    start: usize,
    content: Content,
}

/// What a line says: nothing, a trimmed span of the block, or text the sanitiser changed.
enum Content {
    Blank,
    Span(usize, usize),
    Owned(String),
}

/// The content of the line `raw`, which begins at `offset` in its block. `printable`: every byte of `raw`
/// is printable ASCII (known from the caller's check).
fn content(raw: &str, offset: usize, printable: bool) -> Content {
    // Printable ASCII (the common case) or text with nothing unsafe: a span, trimmed. A line ending in
    // CR is not printable; without its CR it may be.
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    let clean = printable || is_printable_ascii(raw.as_bytes()) || !raw.chars().any(is_unsafe);
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

pub(super) struct Paragraph {
    /// Byte offset in the block where its first line begins (before trimming).
    pub(super) start: usize,
    /// Index of its first line in the block.
    pub(super) first_line: usize,
    pub(super) lines: usize,
    /// A span of the block when the paragraph is one clean line, else its lines joined.
    text: Result<(usize, usize), String>,
}

impl Paragraph {
    pub(super) fn text<'a>(&'a self, text: &'a str) -> &'a str {
        match &self.text {
            Ok((start, end)) => &text[*start..*end],
            Err(joined) => joined,
        }
    }

    pub(super) fn to_text(&self) -> Text {
        match &self.text {
            Ok((start, end)) => Text::Span { start: *start, end: *end },
            Err(joined) => Text::Owned(joined.as_str().into()),
        }
    }
}

/// The paragraphs of a block: runs of lines that are not blank.
pub(super) fn paragraphs(text: &str, lines: &[Line]) -> Vec<Paragraph> {
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
            [Line { content: Content::Span(s, e), .. }] => Ok((*s, *s + cut_at(&text[*s..*e]))),
            run => Err(join_lines(run.iter().map(|l| l.content.get(text)))),
        };
        out.push(Paragraph { start: lines[first].start, first_line: first, lines: i - first, text });
    }
    out
}

/// Joins the lines of a paragraph with spaces, except after a hyphen that ends a line after a letter
/// ("anchor-" + "free" is "anchor-free"): copies wrapped at a fixed width break lines there. Stops at
/// `MAX_PARAGRAPH` bytes (see `cut_paragraphs`).
fn join_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut text = String::new();
    for line in lines {
        let mut tail = text.chars().rev();
        let hyphenated = tail.next() == Some('-') && tail.next().is_some_and(char::is_alphabetic);
        if !text.is_empty() && !hyphenated {
            text.push(' ');
        }
        let room = MAX_PARAGRAPH.saturating_sub(text.len());
        if line.len() > room {
            text.push_str(&line[..boundary_within(line, room)]);
            break;
        }
        text.push_str(line);
    }
    text
}

/// Where `text` is cut to keep it within `MAX_PARAGRAPH` bytes: its length, or the last character boundary
/// before the limit.
fn cut_at(text: &str) -> usize {
    boundary_within(text, MAX_PARAGRAPH)
}

/// The last character boundary of `text` at or before `limit` bytes.
fn boundary_within(text: &str, limit: usize) -> usize {
    if text.len() <= limit {
        return text.len();
    }
    (0..=limit).rev().find(|&at| text.is_char_boundary(at)).unwrap_or(0)
}

/// The paragraphs of a block longer than `MAX_PARAGRAPH`, which `paragraphs` cuts: the index of each one's
/// first line.
pub(super) fn cut_paragraphs(text: &str, lines: &[Line]) -> Vec<usize> {
    let mut cut = Vec::new();
    let mut run: Option<(usize, usize)> = None;
    for (i, line) in lines.iter().map(|line| &line.content).chain([&Content::Blank]).enumerate() {
        match (line, &mut run) {
            (Content::Blank, Some((first, bytes))) => {
                if *bytes > MAX_PARAGRAPH {
                    cut.push(*first);
                }
                run = None;
            }
            (Content::Blank, None) => {}
            // Joined with a space between lines.
            (content, Some((_, bytes))) => *bytes += content.get(text).len() + 1,
            (content, None) => run = Some((i, content.get(text).len())),
        }
    }
    cut
}

/// Refuses, from the first bytes of a file, what is not text at all, so that the rest (which may never end,
/// as from /dev/zero) need not be read. Only whole lines are judged: the last one may be cut short.
pub(in crate::digest) fn refuse_early(name: &str, head: &[u8]) -> Result<(), DigestError> {
    match memchr::memrchr(b'\n', head) {
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

#[cfg(test)]
mod tests {
    use crate::digest::text;

    #[test]
    fn a_safe_cut_is_at_a_title_between_blank_lines() {
        let text = b"T1\n\nThis is the abstract of the first paper, long enough to be prose.\n\nT2\n\nabs";
        let cut = text::safe_cut(text, false).expect("a cut");
        assert_eq!(&text[cut..cut + 2], b"T2");
        // Not before prose, not at the first line, not in a paragraph still going on.
        assert_eq!(text::safe_cut(b"T1\n\nT2 wrapped\nover two lines\n\nx", false), None);
        assert_eq!(text::safe_cut(b"T1\n\n", false), None);
        // After a block that ended inside a line, the first line is the rest of that one, not blank.
        assert_eq!(text::safe_cut(b"\nT2\n\nx", true), None);
        assert_eq!(text::safe_cut(b"\nT2\n\nx", false), Some(1));
    }
}
