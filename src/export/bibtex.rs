//! BibTeX: `@misc` entries with arXiv eprint fields, keys made unique, text escaped for TeX.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use super::{Entry, nonempty};
use crate::library::Day;

/// Words skipped when a title's first word goes into a key.
const STOP_WORDS: [&str; 12] = ["a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "towards", "via"];

/// The BibTeX month macros, which every style defines.
const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

pub(super) fn write_bibtex<E: Borrow<Entry>>(
    entries: impl IntoIterator<Item = E>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut keys = Keys::default();
    for (i, entry) in entries.into_iter().enumerate() {
        let entry = entry.borrow();
        if i > 0 {
            out.write_all(b"\n")?;
        }
        let key = keys.unique(bibtex_key(entry));
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
    if let Some(note) = nonempty(&entry.note) {
        fields.push(("note", braced(&tex_text(note))));
    }
    if !entry.tags.is_empty() {
        fields.push(("keywords", braced(&tex_text(&entry.tags.join(", ")))));
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
pub(super) fn bibtex_key(entry: &Entry) -> String {
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

/// The keys given so far, to make each new one unique.
#[derive(Default)]
pub(super) struct Keys {
    used: HashSet<String>,
    /// For each base, the suffix to try next (1 is `a`): a base given again starts where it left off, so
    /// that many papers with one base (no authors, titles starting alike) take linear time, not quadratic.
    next: HashMap<String, usize>,
    /// Keys looked up, to hold the work to its bound in tests.
    pub(super) probes: usize,
}

impl Keys {
    /// `base`, or `base` with the first of `a`, `b`, …, `z`, `aa`, … that makes a key not given yet.
    pub(super) fn unique(&mut self, base: String) -> String {
        let mut n = self.next.get(&base).copied().unwrap_or(0);
        let mut key = if n == 0 { base.clone() } else { format!("{base}{}", letters(n)) };
        loop {
            self.probes += 1;
            if !self.used.contains(&key) {
                break;
            }
            n += 1;
            key = format!("{base}{}", letters(n));
        }
        self.next.insert(base, n + 1);
        self.used.insert(key.clone());
        key
    }
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

/// An author for the `author` field, as `First Last` or `Last, First` when it reads as one; any other name
/// is braced, so that it stays one name and parses: one with "and" as a word (which would split it), or
/// with more than one comma or an empty part around one (which BibTeX parsers reject).
fn bibtex_name(name: &str) -> String {
    let text = tex_text(name);
    let with_and = text.split(' ').any(|word| word.eq_ignore_ascii_case("and"));
    let commas = text.matches(',').count();
    let empty_part = commas > 0 && text.split(',').any(|part| part.trim().is_empty());
    if with_and || commas > 1 || empty_part { braced(&text) } else { text }
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
