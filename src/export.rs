//! Writes a list of papers as BibTeX, Markdown, JSON or CSV, and reads that CSV back.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::library::Day;

/// The formats a list of papers can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `@misc` entries with arXiv eprint fields, for BibTeX, biblatex and biber.
    Bibtex,
    /// A reading list to share: one list item per paper, without abstracts.
    Markdown,
    /// A pretty-printed array of entries, with every field.
    Json,
    /// One row per paper under a header row, lists joined with "; ".
    Csv,
}

impl Format {
    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Bibtex => "bib",
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

/// One paper as exported.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Entry {
    pub title: String,
    pub authors: Vec<String>,
    /// "2403.12345" or "hep-th/9901001".
    pub arxiv_id: Option<String>,
    /// The primary category first.
    pub categories: Vec<String>,
    pub upvotes: Option<u32>,
    /// "2024-03-14".
    pub published: Option<String>,
    /// The days the paper appeared in digests, "2024-03-14", oldest first.
    pub days: Vec<String>,
    /// The paper's page: its arXiv abstract page when it has an id, else its first link.
    pub url: Option<String>,
    pub code: Option<String>,
    pub project: Option<String>,
    pub starred: bool,
    pub read: bool,
    /// Paragraphs separated by a blank line ("\n\n").
    pub abstract_text: String,
}

/// Writes `entries` to `out` in `format`.
pub fn write(format: Format, entries: &[Entry], out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Bibtex => write_bibtex(entries, out),
        Format::Markdown => write_markdown(entries, out),
        Format::Json => write_json(entries, out),
        Format::Csv => write_csv(entries, out),
    }
}

// BibTeX

/// Words skipped when a title's first word goes into a key.
const STOP_WORDS: [&str; 12] = ["a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "towards", "via"];

/// The BibTeX month macros, which every style defines.
const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn write_bibtex(entries: &[Entry], out: &mut dyn Write) -> io::Result<()> {
    let mut used = HashSet::new();
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        let key = unique_key(bibtex_key(entry), &mut used);
        out.write_all(bibtex_entry(&key, entry).as_bytes())?;
    }
    Ok(())
}

/// One `@misc` entry, ending with a newline.
fn bibtex_entry(key: &str, entry: &Entry) -> String {
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !entry.title.trim().is_empty() {
        // Double braces keep the title's capitals through the styles that lower-case titles.
        fields.push(("title", braced(&braced(&tex_text(&entry.title)))));
    }
    let authors: Vec<String> =
        entry.authors.iter().filter(|name| !name.trim().is_empty()).map(|name| bibtex_name(name)).collect();
    if !authors.is_empty() {
        fields.push(("author", braced(&authors.join(" and "))));
    }
    if let Some(day) = entry_day(entry) {
        fields.push(("year", braced(&day.year().to_string())));
        if let Some(month) = day.month().checked_sub(1).and_then(|m| MONTHS.get(m as usize)) {
            fields.push(("month", (*month).to_string()));
        }
    }
    if let Some(id) = nonempty(&entry.arxiv_id) {
        fields.push(("eprint", braced(&url_text(id))));
        fields.push(("archivePrefix", braced("arXiv")));
        if let Some(category) = entry.categories.first().filter(|c| !c.trim().is_empty()) {
            fields.push(("primaryClass", braced(&tex_text(category))));
        }
    }
    if let Some(url) = nonempty(&entry.url) {
        fields.push(("url", braced(&url_text(url))));
    }
    if !entry.abstract_text.trim().is_empty() {
        fields.push(("abstract", braced(&tex_text(&entry.abstract_text))));
    }

    let mut text = format!("@misc{{{key},\n");
    let lines: Vec<String> = fields.iter().map(|(name, value)| format!("  {name} = {value}")).collect();
    if !lines.is_empty() {
        text.push_str(&lines.join(",\n"));
        text.push('\n');
    }
    text.push_str("}\n");
    text
}

/// The key before it is made unique: first author's last name, year and first title word ("smith2024deep").
/// Without authors: `arxiv` and the id, else the title word and year, else `paper`.
fn bibtex_key(entry: &Entry) -> String {
    let name = entry.authors.first().map(|author| key_part(last_name(author))).unwrap_or_default();
    let year = entry_day(entry).map(|day| day.year().to_string()).unwrap_or_default();
    let word = first_title_word(&entry.title);
    if !name.is_empty() {
        return format!("{name}{year}{word}");
    }
    if let Some(id) = nonempty(&entry.arxiv_id).map(id_key).filter(|id| !id.is_empty()) {
        return format!("arxiv{id}");
    }
    if !word.is_empty() {
        return format!("{word}{year}");
    }
    "paper".to_string()
}

/// `base`, or `base` with the first of `a`, `b`, …, `z`, `aa`, … that makes a key not in `used`.
fn unique_key(base: String, used: &mut HashSet<String>) -> String {
    let mut key = base.clone();
    let mut n = 0;
    while used.contains(&key) {
        n += 1;
        key = format!("{base}{}", letters(n));
    }
    used.insert(key.clone());
    key
}

/// 1 → "a", 26 → "z", 27 → "aa", like spreadsheet columns.
fn letters(mut n: usize) -> String {
    let mut reversed = Vec::new();
    while n > 0 {
        n -= 1;
        reversed.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
    }
    reversed.iter().rev().collect()
}

/// The family name in "First Last", "First Last Jr." or "Last, First".
fn last_name(author: &str) -> &str {
    if let Some((last, _)) = author.split_once(',') {
        return last.trim();
    }
    let words: Vec<&str> = author.split_whitespace().collect();
    match words.as_slice() {
        [.., last, suffix] if is_suffix(suffix) => last,
        [.., last] => last,
        [] => "",
    }
}

fn is_suffix(word: &str) -> bool {
    matches!(word.trim_end_matches('.').to_ascii_lowercase().as_str(), "jr" | "sr" | "ii" | "iii" | "iv")
}

/// The first title word that is not a stop word, as a key part.
fn first_title_word(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty() && !STOP_WORDS.iter().any(|stop| word.eq_ignore_ascii_case(stop)))
        .map(key_part)
        .find(|word| !word.is_empty())
        .unwrap_or_default()
}

/// Lower-case ASCII letters and digits only: common accented Latin letters lose their accents, the rest goes.
fn key_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(ascii) = transliterate(c) {
            out.push_str(ascii);
        }
    }
    out
}

/// The ASCII spelling of a Latin letter with a diacritic, lower-cased.
fn transliterate(c: char) -> Option<&'static str> {
    let ascii = match c.to_lowercase().next()? {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    };
    Some(ascii)
}

/// An arXiv id as a key part: "2403.12345" → "2403_12345", "hep-th/9901001" → "hep-th_9901001".
fn id_key(id: &str) -> String {
    id.chars()
        .filter_map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' => Some(c.to_ascii_lowercase()),
            '.' | '/' => Some('_'),
            _ => None,
        })
        .collect()
}

/// The day that dates a paper: its publication, else the first digest it appeared in.
fn entry_day(entry: &Entry) -> Option<Day> {
    entry.published.as_deref().and_then(Day::parse_iso).or_else(|| entry.days.first().and_then(|d| Day::parse_iso(d)))
}

/// An author for the `author` field; a name with "and" as a word is braced so it stays one name.
fn bibtex_name(name: &str) -> String {
    let text = tex_text(name);
    if text.split(' ').any(|word| word.eq_ignore_ascii_case("and")) { braced(&text) } else { text }
}

/// Text for a braced field: whitespace runs (paragraph breaks too) become one space, LaTeX specials are
/// escaped. Braces become `\textbraceleft{}`/`\textbraceright{}`, not `\{`/`\}`: BibTeX counts escaped
/// braces too, so a lone `\{` would unbalance the entry.
fn tex_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '&' | '%' | '$' | '#' | '_' => {
                    out.push('\\');
                    out.push(c);
                }
                '{' => out.push_str(r"\textbraceleft{}"),
                '}' => out.push_str(r"\textbraceright{}"),
                '~' => out.push_str(r"\textasciitilde{}"),
                '^' => out.push_str(r"\textasciicircum{}"),
                '\\' => out.push_str(r"\textbackslash{}"),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
    }
    out
}

/// A URL or id for a verbatim field: braces, backslashes and spaces percent-escaped, the rest as it is.
fn url_text(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            ' ' => out.push_str("%20"),
            c if c.is_whitespace() || c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn braced(text: &str) -> String {
    format!("{{{text}}}")
}

fn nonempty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

// Markdown

fn write_markdown(entries: &[Entry], out: &mut dyn Write) -> io::Result<()> {
    for entry in entries {
        out.write_all(markdown_item(entry).as_bytes())?;
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

/// Escapes what would make a list item's text a heading or a nested list ("# …", "- …", "1. …").
fn block_safe(text: String) -> String {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    match text.as_bytes().get(digits).copied() {
        Some(b'.' | b')') if digits > 0 => format!("{}\\{}", &text[..digits], &text[digits..]),
        Some(b'#' | b'+' | b'-') if digits == 0 => format!("\\{text}"),
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

// JSON

fn write_json(entries: &[Entry], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, entries)?;
    out.write_all(b"\n")
}

// CSV

/// The CSV columns, in order.
const CSV_HEADER: [&str; 13] = [
    "title",
    "authors",
    "arxiv_id",
    "categories",
    "upvotes",
    "published",
    "days",
    "url",
    "code",
    "project",
    "starred",
    "read",
    "abstract",
];

/// One row per entry. Authors and days are joined with "; ", categories with a space, so an author or day
/// containing ";" (or a category containing a space) does not survive `read_csv`.
///
/// Cells are written as the text is, so that the file reads back exactly: a title from a feed that starts
/// with `=`, `+`, `-` or `@` is not defused for spreadsheets that run such cells as formulas (open the file
/// as text/CSV data, as LibreOffice's import dialog offers, rather than by double-click).
fn write_csv(entries: &[Entry], out: &mut dyn Write) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER)?;
    for entry in entries {
        let optional = |value: &Option<String>| value.clone().unwrap_or_default();
        writer.write_record([
            entry.title.clone(),
            entry.authors.join("; "),
            optional(&entry.arxiv_id),
            entry.categories.join(" "),
            entry.upvotes.map(|n| n.to_string()).unwrap_or_default(),
            optional(&entry.published),
            entry.days.join("; "),
            optional(&entry.url),
            optional(&entry.code),
            optional(&entry.project),
            entry.starred.to_string(),
            entry.read.to_string(),
            entry.abstract_text.clone(),
        ])?;
    }
    writer.flush()
}

/// Reads entries from CSV as `write` makes it. Columns are found by their header, so their order does
/// not matter and only `title` is required; rows with every cell empty are skipped.
///
/// Lists are split the way they were joined: authors and days on ";", categories on whitespace, each
/// trimmed. An author or day containing ";" therefore comes back as two; empty cells give empty lists and
/// `None`. Errors name the line.
pub fn read_csv(input: impl io::Read) -> Result<Vec<Entry>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = reader.headers().map_err(|e| format!("cannot read the header row: {e}"))?.clone();
    // A spreadsheet may start the file with a byte-order mark.
    let columns: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, name)| (name.trim_start_matches('\u{feff}').trim().to_ascii_lowercase(), i))
        .collect();
    if !columns.contains_key("title") {
        return Err("no \"title\" column in the header row".to_string());
    }

    let mut entries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line());
        let cell = |name: &str| columns.get(name).and_then(|&i| record.get(i)).unwrap_or("");
        let upvotes = match cell("upvotes").trim() {
            "" => None,
            text => {
                Some(text.parse::<u32>().map_err(|_| format!("line {line}: upvotes {text:?} is not a whole number"))?)
            }
        };
        let flag = |name: &str| match cell(name).trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Ok(true),
            "false" | "no" | "0" | "" => Ok(false),
            other => Err(format!("line {line}: {name} {other:?} is neither true nor false")),
        };
        entries.push(Entry {
            title: cell("title").to_string(),
            authors: split_list(cell("authors")),
            arxiv_id: optional_cell(cell("arxiv_id")),
            categories: cell("categories").split_whitespace().map(str::to_string).collect(),
            upvotes,
            published: optional_cell(cell("published")),
            days: split_list(cell("days")),
            url: optional_cell(cell("url")),
            code: optional_cell(cell("code")),
            project: optional_cell(cell("project")),
            starred: flag("starred")?,
            read: flag("read")?,
            abstract_text: cell("abstract").to_string(),
        });
    }
    Ok(entries)
}

/// A cell of items separated by ";", each trimmed, empty ones dropped.
fn split_list(cell: &str) -> Vec<String> {
    cell.split(';').map(str::trim).filter(|item| !item.is_empty()).map(str::to_string).collect()
}

fn optional_cell(cell: &str) -> Option<String> {
    let cell = cell.trim();
    (!cell.is_empty()).then(|| cell.to_string())
}

#[cfg(test)]
mod tests;
