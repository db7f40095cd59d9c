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

use super::{Digest, DigestError};
use crate::library::Paper;
use crate::sanitize::sanitize;

/// Lines longer than this are not digest text (an abstract runs to a few kilobytes) and are skipped
/// unread, so that a huge file with no line breaks cannot keep the reader busy for long.
pub const MAX_LINE: usize = 1 << 20;

/// Warnings shown per file; the rest are counted in one more line.
const MAX_WARNINGS: usize = 5;

const HEADER_LINES: [&str; 4] =
    ["new", "get trending papers in your email inbox!", "subscribe", "byak and the research community"];

/// Parses a text digest. `name` is used in warnings and errors.
pub fn parse_text(name: &str, bytes: &[u8]) -> Result<Digest, DigestError> {
    let mut warnings = Vec::new();
    let lines = decode_lines(name, bytes, &mut warnings)?;
    if lines.iter().all(|l| l.is_empty()) {
        return Err(if bytes.is_empty() {
            DigestError::Empty { file: name.to_string() }
        } else {
            DigestError::NoPapers { file: name.to_string(), hint: warnings.first().cloned() }
        });
    }

    let mut paragraphs = paragraphs(&lines).peekable();
    let mut date = None;
    while let Some(p) = paragraphs.next_if(|p| p.lines == 1 && is_header(&p.text)) {
        if is_date(&p.text) {
            date = Some(p.text);
        }
    }

    // (title, abstract, line): abstracts may still gain paragraphs, so papers are made at the end.
    let mut found: Vec<(String, String, usize)> = Vec::new();
    while let Some(p) = paragraphs.next() {
        if is_prose(&p.text) {
            match found.last_mut() {
                Some((_, abstract_text, _)) => {
                    abstract_text.push_str("\n\n");
                    abstract_text.push_str(&p.text);
                }
                None => warnings
                    .push(format!("{name}:{}: a paragraph of prose with no title before it was skipped", p.first_line)),
            }
            continue;
        }
        let abstract_text = paragraphs.next_if(|next| is_prose(&next.text)).map(|a| a.text).unwrap_or_default();
        found.push((p.text, abstract_text, p.first_line));
    }
    let papers: Vec<Paper> = found.into_iter().map(|(t, a, line)| Paper::new(t, a, line)).collect();

    if papers.is_empty() {
        return Err(DigestError::NoPapers { file: name.to_string(), hint: warnings.first().cloned() });
    }
    if warnings.len() > MAX_WARNINGS {
        let more = warnings.len() - MAX_WARNINGS;
        warnings.truncate(MAX_WARNINGS);
        warnings.push(format!("{name}: {more} more warnings like these"));
    }
    Ok(Digest { name: name.to_string(), date, papers, warnings })
}

/// Refuses, from the first bytes of a file, what is not text at all, so that the rest (which may never end,
/// as from /dev/zero) need not be read. Only whole lines are judged: the last one may be cut short.
pub(super) fn refuse_early(name: &str, head: &[u8]) -> Result<(), DigestError> {
    match head.iter().rposition(|&b| b == b'\n') {
        Some(end) => decode_lines(name, &head[..=end], &mut Vec::new()).map(|_| ()),
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

/// Splits into lines (LF or CRLF), drops a byte order mark, replaces invalid UTF-8 with U+FFFD (warning
/// with the line number), skips over-long lines (warning), and sanitises and trims each line. Fails on
/// bytes that are not text: UTF-16, or NUL bytes and invalid UTF-8 on most lines.
fn decode_lines(name: &str, bytes: &[u8], warnings: &mut Vec<String>) -> Result<Vec<String>, DigestError> {
    let not_text = |line: usize, why: &str| DigestError::NotText { file: name.to_string(), line, why: why.to_string() };
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return Err(not_text(1, "it is UTF-16; save it as UTF-8"));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut invalid = Vec::new();
    let mut with_nul = Vec::new();
    let mut nonblank = 0;
    let mut lines = Vec::new();
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        if raw.len() > MAX_LINE {
            warnings.push(format!(
                "{name}:{}: a line of {} bytes was skipped (digest lines are under {} bytes)",
                i + 1,
                raw.len(),
                MAX_LINE
            ));
            lines.push(String::new());
            continue;
        }
        let text = match std::str::from_utf8(raw) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => {
                invalid.push(i + 1);
                String::from_utf8_lossy(raw)
            }
        };
        if raw.contains(&0) {
            with_nul.push(i + 1);
        }
        if !raw.iter().all(u8::is_ascii_whitespace) {
            nonblank += 1;
        }
        lines.push(sanitize(&text).trim().to_string());
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
        warnings.push(format!(
            "{name}:{first}: invalid UTF-8 replaced with \u{fffd}{more}; save the digest as UTF-8 to keep every character"
        ));
    }
    Ok(lines)
}

struct Paragraph {
    text: String,
    first_line: usize,
    lines: usize,
}

fn paragraphs(lines: &[String]) -> impl Iterator<Item = Paragraph> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while lines.get(i).is_some_and(|l| l.is_empty()) {
            i += 1;
        }
        let start = i;
        while lines.get(i).is_some_and(|l| !l.is_empty()) {
            i += 1;
        }
        (i > start).then(|| Paragraph { text: join_lines(&lines[start..i]), first_line: start + 1, lines: i - start })
    })
}

/// Joins the lines of a paragraph with spaces, except after a hyphen that ends a line after a letter
/// ("anchor-" + "free" is "anchor-free"): copies wrapped at a fixed width break lines there.
fn join_lines(lines: &[String]) -> String {
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

fn is_prose(text: &str) -> bool {
    // Counting stops at 40: a long abstract need not be counted to the end.
    let words = text.split_whitespace().take(40).count();
    words >= 40 || (words >= 8 && text.ends_with('.'))
}

fn is_header(text: &str) -> bool {
    let lower = text.to_lowercase();
    HEADER_LINES.contains(&lower.as_str()) || is_date(text)
}

/// A date line: a month name or its three-letter abbreviation, a day, and optionally a year ("Mar 14",
/// "March 14, 2024", "14 Mar 2024").
fn is_date(text: &str) -> bool {
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
    let is_month = |w: &str| w.len() >= 3 && MONTHS.iter().any(|m| *m == w || (w.len() == 3 && m.starts_with(w)));
    let is_day = |w: &str| w.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d));
    let is_year = |w: &str| w.len() == 4 && w.parse::<u16>().is_ok();
    match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [m, d] | [m, d, _] if is_month(m) && is_day(d) => words.get(2).is_none_or(|y| is_year(y)),
        [d, m] | [d, m, _] if is_month(m) && is_day(d) => words.get(2).is_none_or(|y| is_year(y)),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
