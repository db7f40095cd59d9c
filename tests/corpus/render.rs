//! A text digest rendered from the papers chosen: laid out as a file says (header, line ends, wrapping,
//! blank lines), each paragraph's first line noted.

use super::{Chosen, Random, Rendered, Truth};

/// How a file is laid out.
pub(super) struct Layout {
    pub(super) header: bool,
    pub(super) crlf: bool,
    /// Hard wrapping at this width (at spaces only), if any.
    pub(super) wrap: Option<usize>,
    pub(super) extra_blank_lines: bool,
    pub(super) trailing_spaces: bool,
    pub(super) final_newline: bool,
}

/// Renders `papers` as a text digest, noting the line each paragraph begins on.
pub(super) fn render(name: String, chosen: Vec<Chosen>, layout: &Layout, random: &mut Random) -> Rendered {
    let newline = if layout.crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    let mut line = 1;
    let paragraph = |text: &str, out: &mut String, line: &mut usize, random: &mut Random| -> usize {
        let first = *line;
        for wrapped in wrap(text, layout.wrap) {
            out.push_str(&wrapped);
            if layout.trailing_spaces && random.chance(20) {
                out.push_str(["  ", " ", "\t"][random.below(3)]);
            }
            out.push_str(newline);
            *line += 1;
        }
        let blanks = if layout.extra_blank_lines { 1 + random.below(3) } else { 1 };
        for _ in 0..blanks {
            if layout.extra_blank_lines && random.chance(30) {
                out.push_str([" ", "\t", "   "][random.below(3)]);
            }
            out.push_str(newline);
            *line += 1;
        }
        first
    };
    if layout.header {
        for header in [
            "new",
            "Get trending papers in your email inbox!",
            "Subscribe",
            "byAK and the research community",
            "Mar 14",
        ] {
            paragraph(header, &mut out, &mut line, random);
        }
    }
    let mut papers = Vec::new();
    for c in chosen {
        let title_line = paragraph(&c.title, &mut out, &mut line, random);
        let abstract_lines = match c.abstract_text.is_empty() {
            true => Vec::new(),
            false => vec![paragraph(&c.abstract_text, &mut out, &mut line, random)],
        };
        papers.push(Truth {
            source: c.source,
            title: c.title,
            abstract_text: c.abstract_text,
            title_line,
            abstract_lines,
            title_shape: c.title_shape,
            abstract_shape: c.abstract_shape,
            full_sentence: c.full_sentence,
        });
    }
    if !layout.final_newline {
        while out.ends_with(['\n', '\r', ' ', '\t']) {
            out.pop();
        }
    }
    Rendered { name, bytes: out.into_bytes(), papers }
}

/// `text` in lines of at most `width` characters, broken at spaces only (never after a hyphen that
/// follows a letter, which the parser joins without a space).
fn wrap(text: &str, width: Option<usize>) -> Vec<String> {
    let Some(width) = width else { return vec![text.to_string()] };
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let current = lines.last_mut().expect("a line");
        let joins = current.ends_with('-') && current.chars().rev().nth(1).is_some_and(char::is_alphabetic);
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width && !joins {
            lines.push(word.to_string());
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
    }
    lines
}
