//! Field cleaning shared by the structured formats: titles, abstracts, authors, arXiv ids.

use super::DigestError;
use crate::sanitize::sanitize;

/// The UTF-8 byte order mark some editors put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// True for text of printable ASCII and ASCII whitespace only: nothing in it to sanitise, and its
/// whitespace can be folded a byte at a time. Most titles and abstracts are.
fn is_plain(text: &str) -> bool {
    let plain = |ok: bool, &b: &u8| ok & ((b.wrapping_sub(0x20) < 0x5f) | (b == b'\n') | (b == b'\r') | (b == b'\t'));
    let mut blocks = text.as_bytes().chunks_exact(64);
    blocks.all(|block| block.iter().fold(true, plain)) && blocks.remainder().iter().fold(true, plain)
}

/// Built once: building a searcher for every line of every abstract showed in profiles.
static TWO_SPACES: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));

/// True when `bytes` holds a byte below the space; a block at a time, which the compiler vectorises.
fn has_control(bytes: &[u8]) -> bool {
    let control = |found: bool, &b: &u8| found | (b < b' ');
    let mut blocks = bytes.chunks_exact(64);
    blocks.any(|block| block.iter().fold(false, control)) || blocks.remainder().iter().fold(false, control)
}

/// Appends the words of `text` (plain: see `is_plain`) to `out`, one space between them; `out[start..]` is
/// the text being cleaned (what is before it is another paper's).
fn push_words(text: &str, out: &mut String, start: usize) {
    // Most lines of an abstract are one space between words already: copied whole, not word by word
    // (which took a quarter of loading a year of fetched days).
    let bytes = text.as_bytes();
    let spaced_once = bytes.first().is_some_and(|&b| b != b' ')
        && bytes.last().is_some_and(|&b| b != b' ')
        // No whitespace but the space (the only control bytes plain text has are whitespace).
        && !has_control(bytes)
        && TWO_SPACES.find(bytes).is_none();
    if spaced_once {
        if out.len() > start && !out.ends_with(['\n', ' ']) {
            out.push(' ');
        }
        out.push_str(text);
        return;
    }
    for word in text.split_ascii_whitespace() {
        if out.len() > start && !out.ends_with(['\n', ' ']) {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Makes a title one clean line: sanitised, every run of whitespace (newlines too) one space, trimmed.
pub fn clean_title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    clean_title_into(text, &mut out);
    out
}

/// Appends `text` cleaned as `clean_title` cleans it to `out`: a parser writes the titles of a block
/// back to back where they are kept, with no string of their own.
pub fn clean_title_into(text: &str, out: &mut String) {
    let start = out.len();
    if is_plain(text) {
        push_words(text, out, start);
        return;
    }
    // Whitespace becomes a space before sanitising: `sanitize` drops newlines, which would glue words.
    let spaced: String = text.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
    let clean = sanitize(&spaced);
    for word in clean.split_whitespace() {
        if out.len() > start {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Makes an abstract clean: sanitised and trimmed; paragraphs (separated by a blank line) joined by
/// exactly "\n\n"; the lines and spaces inside a paragraph joined by one space.
pub fn clean_abstract(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    clean_abstract_into(text, &mut out);
    out
}

/// Appends `text` cleaned as `clean_abstract` cleans it to `out` (see `clean_title_into`).
pub fn clean_abstract_into(text: &str, out: &mut String) {
    let start = out.len();
    if is_plain(text) {
        // A byte at a time: words joined by a space, paragraphs by a blank line.
        let mut in_paragraph = false;
        for line in text.split('\n') {
            if line.bytes().all(|b| b.is_ascii_whitespace()) {
                in_paragraph = false;
                continue;
            }
            if !in_paragraph && out.len() > start {
                out.push_str("\n\n");
            }
            in_paragraph = true;
            push_words(line, out, start);
        }
        return;
    }
    let mut paragraph = String::new();
    // An empty line at the end closes the last paragraph.
    for line in text.lines().chain(std::iter::once("")) {
        if !line.trim().is_empty() {
            paragraph.push_str(line);
            paragraph.push(' ');
            continue;
        }
        let clean = clean_title(&paragraph);
        paragraph.clear();
        if clean.is_empty() {
            continue;
        }
        if out.len() > start {
            out.push_str("\n\n");
        }
        out.push_str(&clean);
    }
}

/// Splits an author list given as one string ("A. One, B. Two and C. Three") into names, cleaned.
pub fn split_authors(text: &str) -> Vec<String> {
    let text = clean_title(text);
    let mut authors = Vec::new();
    for part in text.split(", ") {
        // "A, B, and C": the Oxford comma leaves an "and " in front of the last name.
        let part = part.strip_prefix("and ").unwrap_or(part);
        for name in part.split(" and ") {
            let name = name.trim().trim_end_matches(',').trim();
            if !name.is_empty() {
                authors.push(name.to_string());
            }
        }
    }
    authors
}

/// A link from a structured format, cleaned; `None` when nothing is left.
pub fn clean_url(text: &str) -> Option<String> {
    let url = clean_title(text);
    // Only web links are kept: a `javascript:` or `file:` link from an untrusted feed must not reach an
    // export (a Markdown link, a BibTeX url) or the detail pane.
    crate::links::is_web_url(&url).then_some(url)
}

/// Adds `category` (cleaned) to `categories` unless it is empty or already there, so order is kept.
pub fn push_category(categories: &mut Vec<String>, category: &str) {
    let category = clean_title(category);
    if !category.is_empty() && !categories.contains(&category) {
        categories.push(category);
    }
}

/// The arXiv identifier in `text`, without prefix or version: "arXiv:2403.12345v2",
/// "https://arxiv.org/pdf/2403.12345v2.pdf" and "oai:arXiv.org:2403.12345v2" all give "2403.12345";
/// "hep-th/9901001v1" gives "hep-th/9901001". `None` when what remains is not an arXiv id.
pub fn normalise_arxiv_id(text: &str) -> Option<String> {
    let mut id = text.trim();
    if let Some(at) = id.to_ascii_lowercase().find("arxiv.org/") {
        // A link to the abstract or the PDF, perhaps with a query or a fragment.
        let path = id.get(at + "arxiv.org/".len()..)?;
        id = strip_prefix_ignore_case(path, "abs/").or_else(|| strip_prefix_ignore_case(path, "pdf/"))?;
        id = id.split(['?', '#']).next().unwrap_or(id).trim_end_matches('/');
    } else {
        id = strip_prefix_ignore_case(id, "oai:arxiv.org:")
            .or_else(|| strip_prefix_ignore_case(id, "arxiv:"))
            .unwrap_or(id)
            .trim();
    }
    let cut = id.len().saturating_sub(".pdf".len());
    if id.get(cut..).is_some_and(|tail| tail.eq_ignore_ascii_case(".pdf")) {
        id = id.get(..cut).unwrap_or(id);
    }
    if let Some(v) = id.rfind('v') {
        let number = &id[v + 1..];
        if v > 0 && !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
            id = &id[..v];
        }
    }
    looks_like_arxiv_id(id).then(|| id.to_string())
}

/// True for new-style ids (`2403.12345`, `0704.0001`) and old-style ones (`hep-th/9901001`,
/// `math.GT/0309136`).
fn looks_like_arxiv_id(id: &str) -> bool {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if let Some((left, number)) = id.split_once('/') {
        let (archive, class) = match left.split_once('.') {
            Some((archive, class)) => (archive, Some(class)),
            None => (left, None),
        };
        !archive.is_empty()
            && archive.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            && class.is_none_or(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
            && number.len() == 7
            && digits(number)
    } else if let Some((month, number)) = id.split_once('.') {
        month.len() == 4 && digits(month) && (4..=5).contains(&number.len()) && digits(number)
    } else {
        false
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) { text.get(prefix.len()..) } else { None }
}

/// The warning for an entry skipped because it has no title.
pub fn no_title(file: &str, line: usize) -> String {
    format!("{file}:{line}: an entry has no title; skipped it")
}

/// `bytes` without a leading UTF-8 byte order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// True when `bytes` hold nothing but a byte order mark and ASCII whitespace.
pub fn is_blank(bytes: &[u8]) -> bool {
    strip_bom(bytes).iter().all(u8::is_ascii_whitespace)
}

/// The error for a file of a structured format that gave no papers.
pub fn none_found(file: &str, bytes_blank: bool, warnings: &[String]) -> DigestError {
    if bytes_blank {
        DigestError::Empty { file: file.to_string() }
    } else {
        DigestError::NoPapers { file: file.to_string(), hint: warnings.first().cloned() }
    }
}

/// What serde_json says is wrong, without its " at line L column C": the message names the line already.
pub fn json_why(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    without_strings(text.strip_suffix(suffix.as_str()).unwrap_or(&text))
}

/// serde's reason without the strings it quotes (`invalid type: string "Ada Lovelace", expected a
/// sequence` says `a string`): they are the paper's text, which warnings and the log never hold.
fn without_strings(why: &str) -> String {
    const STRING: &str = "string \"";
    let mut out = String::with_capacity(why.len().min(200));
    let mut rest = why;
    while let Some(at) = rest.find(STRING) {
        out.push_str(&rest[..at]);
        let quoted = &rest[at + STRING.len()..];
        // The string as `{:?}` writes it: a quote inside is escaped.
        let (mut end, mut escaped) = (None, false);
        for (i, c) in quoted.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            out.push_str("a string");
            return out;
        };
        out.push_str("a string");
        rest = &quoted[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_reasons_do_not_quote_the_strings_they_found() {
        let error = serde_json::from_str::<Vec<u8>>("\"Ada \\\"Lovelace\\\"\"").unwrap_err();
        let why = json_why(&error);
        assert_eq!(why, "invalid type: a string, expected a sequence");
        let error = serde_json::from_str::<Vec<String>>("[\"a\", 3]").unwrap_err();
        assert_eq!(json_why(&error), "invalid type: integer `3`, expected a string");
        assert_eq!(without_strings("x string \"cut"), "x a string");
    }

    #[test]
    fn words_are_joined_by_one_space_whether_copied_whole_or_word_by_word() {
        let texts = ["a b c", " a b", "a b ", "a  b", "a\tb", "a\rb", "one", "", " ", "x\x0cy", "Mamba YOLO: SSMs"];
        for text in texts {
            let words: Vec<&str> = text.split_ascii_whitespace().collect();
            assert_eq!(clean_title(text), words.join(" "), "{text:?}");
            let mut out = String::from("before");
            push_words(text, &mut out, 0);
            let expected = if words.is_empty() { "before".to_string() } else { format!("before {}", words.join(" ")) };
            assert_eq!(out, expected, "{text:?}");
        }
    }

    #[test]
    fn text_cleaned_after_other_text_is_cleaned_as_alone() {
        let texts = ["a b", " a  b\n\n\nc ", "\n x\u{e9}\ty \n\n z", "", "  ", "\u{1b}[0m", "one\n\n\u{1b}[0m\n\ntwo"];
        for before in ["", "x", "x ", "x\n", "x\n\n"] {
            for text in texts {
                let mut out = before.to_string();
                clean_title_into(text, &mut out);
                assert_eq!(&out[before.len()..], clean_title(text), "{before:?} {text:?}");
                let mut out = before.to_string();
                clean_abstract_into(text, &mut out);
                assert_eq!(&out[before.len()..], clean_abstract(text), "{before:?} {text:?}");
            }
        }
    }

    #[test]
    fn a_title_wrapped_over_lines_becomes_one_line() {
        assert_eq!(clean_title("  Scaling Laws for\n  Sparse   Models\r\n"), "Scaling Laws for Sparse Models");
        assert_eq!(clean_title("Red \u{1b}[31mAlert\u{1b}[0m\ttoday"), "Red Alert today");
        assert_eq!(clean_title(" \n\t "), "");
    }

    #[test]
    fn an_abstract_keeps_paragraphs_and_joins_lines() {
        let text = "  First line\nsecond  line.\n\n\n  Second\r\nparagraph. \n \n";
        assert_eq!(clean_abstract(text), "First line second line.\n\nSecond paragraph.");
        assert_eq!(clean_abstract("one\n\n\u{1b}[0m\n\ntwo"), "one\n\ntwo");
        assert_eq!(clean_abstract(""), "");
    }

    #[test]
    fn authors_split_on_commas_and_and() {
        assert_eq!(split_authors("A. One, B. Two and C. Three"), ["A. One", "B. Two", "C. Three"]);
        assert_eq!(split_authors("A. One, B. Two, and C.\n  Three"), ["A. One", "B. Two", "C. Three"]);
        assert_eq!(split_authors("C. Bal\\'azs, E. L. Berger"), ["C. Bal\\'azs", "E. L. Berger"]);
        assert!(split_authors("  ").is_empty());
    }

    #[test]
    fn arxiv_ids_lose_prefixes_and_versions() {
        let id = |s: &str| normalise_arxiv_id(s);
        assert_eq!(id("2403.12345v2").as_deref(), Some("2403.12345"));
        assert_eq!(id("arXiv:2403.12345").as_deref(), Some("2403.12345"));
        assert_eq!(id("arxiv:2403.12345v11").as_deref(), Some("2403.12345"));
        assert_eq!(id("oai:arXiv.org:2403.12345v1").as_deref(), Some("2403.12345"));
        assert_eq!(id("https://arxiv.org/abs/2403.12345v3").as_deref(), Some("2403.12345"));
        assert_eq!(id("http://arxiv.org/pdf/2403.12345v1.pdf").as_deref(), Some("2403.12345"));
        assert_eq!(id("https://export.arxiv.org/abs/0704.0001?context=hep-ph").as_deref(), Some("0704.0001"));
        assert_eq!(id("hep-th/9901001v1").as_deref(), Some("hep-th/9901001"));
        assert_eq!(id("http://arxiv.org/abs/math.GT/0309136v2").as_deref(), Some("math.GT/0309136"));
        assert_eq!(id("solv-int/9901001").as_deref(), Some("solv-int/9901001"));
        assert_eq!(id(" 1501.0001 ").as_deref(), Some("1501.0001"));
    }

    #[test]
    fn what_is_not_an_arxiv_id_gives_none() {
        for text in [
            "",
            "v2",
            "2403.123",
            "2403.123456",
            "24031.2345",
            "HEP-TH/9901001",
            "math/060100",
            "https://huggingface.co/papers/2403.12345",
            "https://arxiv.org/list/cs.LG",
            "urn:uuid:1234",
        ] {
            assert_eq!(normalise_arxiv_id(text), None, "{text}");
        }
    }

    #[test]
    fn blank_files_and_json_errors() {
        assert!(is_blank(b"\xEF\xBB\xBF \n\t"));
        assert!(!is_blank(b" x"));
        let Err(error) = serde_json::from_str::<Vec<u32>>("[1,\n2,") else { panic!("parsed") };
        let why = json_why(&error);
        assert!(!why.contains("at line"), "{why}");
        assert!(!why.is_empty());
    }

    #[test]
    fn only_web_links_are_kept() {
        assert_eq!(clean_url(" https://github.com/a/b \n").as_deref(), Some("https://github.com/a/b"));
        assert_eq!(clean_url("HTTP://example.org").as_deref(), Some("HTTP://example.org"));
        for bad in ["javascript:alert(1)", "javascript://%0Aalert(1)", "file:///etc/passwd", "data:text/html,x", ""] {
            assert_eq!(clean_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn plain_text_takes_the_fast_way_to_the_same_result() {
        // Each case once as plain ASCII, and once with a character that sends it the slow way.
        for text in [
            "  A  title\r\n wrapped\tover lines ",
            "First paragraph\nwrapped.\n\n\n  Second   one.\n \nThird.\n",
            "\n\n",
            "one",
        ] {
            let slow = format!("{text}\u{e9}");
            assert_eq!(clean_title(text) + "\u{e9}", clean_title(&slow).replace(" \u{e9}", "\u{e9}"), "{text:?}");
            let fast = clean_abstract(text);
            let slow = clean_abstract(&slow);
            assert_eq!(slow.trim_end_matches('\u{e9}').trim_end(), fast, "{text:?}");
        }
        assert_eq!(
            clean_abstract("First paragraph\nwrapped.\n\n\n  Second   one.\n \nThird.\n"),
            "First paragraph wrapped.\n\nSecond one.\n\nThird."
        );
        assert_eq!(clean_title("  A  title\r\n wrapped\tover lines "), "A title wrapped over lines");
    }
}
