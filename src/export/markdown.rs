//! Markdown: a reading list, one list item per paper, its markup escaped.

use std::borrow::Borrow;
use std::io::{self, Write};

use super::{Entry, nonempty};

pub(super) fn write_markdown<E: Borrow<Entry>>(
    entries: impl IntoIterator<Item = E>,
    out: &mut dyn Write,
) -> io::Result<()> {
    for entry in entries {
        out.write_all(markdown_item(entry.borrow()).as_bytes())?;
    }
    Ok(())
}

/// One list item: the linked title, then a line of facts and the code and project links. Lines end with a
/// backslash, CommonMark's hard line break, so that they do not run together into one line.
fn markdown_item(entry: &Entry) -> String {
    let title = if entry.title.trim().is_empty() { "Untitled".to_string() } else { markdown_text(&entry.title) };
    let mut first = match nonempty(&entry.url).map(link_target).filter(|url| !url.is_empty()) {
        Some(url) => format!("- [{title}]({url})"),
        None => format!("- {}", block_safe(title)),
    };
    if entry.starred {
        first.push_str(" ★");
    }
    let mut lines = vec![first];

    let mut facts = Vec::new();
    let authors: Vec<String> =
        entry.authors.iter().filter(|a| !a.trim().is_empty()).map(|a| markdown_text(a)).collect();
    if !authors.is_empty() {
        facts.push(authors.join(", "));
    }
    if let Some(id) = nonempty(&entry.arxiv_id) {
        facts.push(format!("arXiv:{}", markdown_text(id)));
    }
    let categories: Vec<String> =
        entry.categories.iter().filter(|c| !c.trim().is_empty()).map(|c| markdown_text(c)).collect();
    if !categories.is_empty() {
        facts.push(categories.join(", "));
    }
    match entry.upvotes {
        Some(1) => facts.push("1 upvote".to_string()),
        Some(n) => facts.push(format!("{n} upvotes")),
        None => {}
    }
    let first_day = entry.days.first().map(|day| day.trim()).filter(|day| !day.is_empty());
    if let Some(date) = nonempty(&entry.published).or(first_day) {
        facts.push(markdown_text(date));
    }
    if !facts.is_empty() {
        lines.push(format!("  {}", facts.join(" · ")));
    }
    if let Some(code) = nonempty(&entry.code) {
        lines.push(format!("  Code: {}", markdown_url(code)));
    }
    if let Some(project) = nonempty(&entry.project) {
        lines.push(format!("  Project: {}", markdown_url(project)));
    }
    if !entry.tags.is_empty() {
        let tags: Vec<String> = entry.tags.iter().map(|tag| markdown_text(&format!("#{tag}"))).collect();
        lines.push(format!("  Tags: {}", tags.join(" ")));
    }
    if let Some(note) = nonempty(&entry.note) {
        // The note's lines each a line of the item, its markup escaped as the title's is, and what would
        // begin a block at a line's start ("# …", "- …", "1. …") too; a blank line between paragraphs
        // an empty line of the item (a line of a lone backslash: a break).
        let mut kept: Vec<String> = Vec::new();
        for line in note.lines().map(markdown_text) {
            if !line.is_empty() {
                kept.push(block_safe(line));
            } else if kept.last().is_some_and(|last| !last.is_empty()) {
                kept.push(String::new());
            }
        }
        if kept.last().is_some_and(String::is_empty) {
            kept.pop();
        }
        lines.push(format!("  Note: {}", kept.join("\\\n  ")));
    }
    let mut item = lines.join("\\\n");
    item.push('\n');
    item
}

/// Text on one line, with the characters Markdown would read as markup escaped.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '>' | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
    }
    out
}

/// Escapes what would make a list item's text a heading or a nested list ("# …", "- …", "1. …", "===").
fn block_safe(text: String) -> String {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    match text.as_bytes().get(digits).copied() {
        Some(b'.' | b')') if digits > 0 => format!("{}\\{}", &text[..digits], &text[digits..]),
        // `=` and `-` alone on a line would also make the line before a heading.
        Some(b'#' | b'+' | b'-' | b'=') if digits == 0 => format!("\\{text}"),
        _ => text,
    }
}

/// A link target; in angle brackets when it has spaces or parentheses, which would end a bare one.
fn link_target(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    if out.contains([' ', '(', ')']) { format!("<{out}>") } else { out }
}

/// A URL shown as itself: an autolink (`<https://…>`) when it has a scheme, else escaped text.
fn markdown_url(url: &str) -> String {
    if !url.contains("://") {
        return markdown_text(url);
    }
    let mut out = String::with_capacity(url.len() + 2);
    out.push('<');
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_whitespace() || c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('>');
    out
}
