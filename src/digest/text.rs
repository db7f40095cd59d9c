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

const HEADER_LINES: [&str; 4] =
    ["new", "get trending papers in your email inbox!", "subscribe", "byak and the research community"];

/// Parses a text digest. `name` is used in warnings and errors.
pub fn parse_text(name: &str, bytes: &[u8]) -> Result<Digest, DigestError> {
    let mut warnings = Vec::new();
    let lines = decode_lines(name, bytes, &mut warnings);
    if lines.iter().all(|l| l.is_empty()) {
        return Err(if bytes.is_empty() {
            DigestError::Empty { file: name.to_string() }
        } else {
            DigestError::NoPapers { file: name.to_string() }
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
        return Err(DigestError::NoPapers { file: name.to_string() });
    }
    Ok(Digest { name: name.to_string(), date, papers, warnings })
}

/// Splits into lines (LF or CRLF), drops a byte order mark, replaces invalid UTF-8 with U+FFFD (warning
/// with the line number), and sanitises and trims each line.
fn decode_lines(name: &str, bytes: &[u8], warnings: &mut Vec<String>) -> Vec<String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut invalid = Vec::new();
    let lines = bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, raw)| {
            let text = match std::str::from_utf8(raw) {
                Ok(text) => std::borrow::Cow::Borrowed(text),
                Err(_) => {
                    invalid.push(i + 1);
                    String::from_utf8_lossy(raw)
                }
            };
            sanitize(&text).trim().to_string()
        })
        .collect();
    if let Some(first) = invalid.first() {
        let more = match invalid.len() {
            1 => String::new(),
            2 => " (and 1 more line)".to_string(),
            n => format!(" (and {} more lines)", n - 1),
        };
        warnings.push(format!(
            "{name}:{first}: invalid UTF-8 replaced with \u{fffd}{more}; save the digest as UTF-8 to keep every character"
        ));
    }
    lines
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
    let words = text.split_whitespace().count();
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
