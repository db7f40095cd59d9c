//! What reaches standard error and the reader's messages: file names quoted as a shell would, every line sanitised.

use std::io::Write;
use std::path::Path;

use super::{is_unsafe, sanitize};

/// `name` as a shell would take it back: as it is when it is plain (letters, digits, `-_./:,+=@%^~`), in
/// single quotes when it holds a space or a character a shell treats specially, and as `$'…'` with
/// escapes when it holds a character that must never reach the terminal (an escape sequence, a control
/// or format character), which is then shown and not obeyed.
pub fn quote(name: &str) -> String {
    quote_parts(&[Ok(name)])
}

/// `path` quoted as `quote` quotes a name; bytes that are not UTF-8 (a Unix file name may hold any) are
/// written as `\xHH`.
pub fn quote_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let parts: Vec<Result<&str, &[u8]>> = path
            .as_os_str()
            .as_bytes()
            .utf8_chunks()
            .flat_map(|chunk| [Ok(chunk.valid()), Err(chunk.invalid())])
            .filter(|part| !matches!(part, Ok("") | Err([])))
            .collect();
        quote_parts(&parts)
    }
    #[cfg(not(unix))]
    quote(&path.to_string_lossy())
}

/// Quotes a name given as runs of text and of bytes that are not UTF-8.
fn quote_parts(parts: &[Result<&str, &[u8]>]) -> String {
    fn text<'a>(part: &Result<&'a str, &[u8]>) -> &'a str {
        part.as_ref().map_or("", |text| text)
    }
    let plain = |c: char| (c.is_alphanumeric() && !is_unsafe(c)) || "-_./:,+=@%^~".contains(c);
    let bytes = parts.iter().any(Result::is_err);
    let controls = parts.iter().any(|part| text(part).contains(is_unsafe));
    if !bytes && !controls {
        let name: String = parts.iter().map(text).collect();
        if !name.is_empty() && name.chars().all(plain) && !name.starts_with('~') {
            return name;
        }
        return format!("'{}'", name.replace('\'', r"'\''"));
    }
    let mut out = String::from("$'");
    for part in parts {
        match part {
            Ok(text) => text.chars().for_each(|c| escape_into(&mut out, c)),
            Err(bytes) => bytes.iter().for_each(|b| out.push_str(&format!("\\x{b:02x}"))),
        }
    }
    out.push('\'');
    out
}

/// `c` as it is written inside `$'…'`.
fn escape_into(out: &mut String, c: char) {
    match c {
        '\\' => out.push_str(r"\\"),
        '\'' => out.push_str(r"\'"),
        '\u{7}' => out.push_str(r"\a"),
        '\u{8}' => out.push_str(r"\b"),
        '\t' => out.push_str(r"\t"),
        '\n' => out.push_str(r"\n"),
        '\r' => out.push_str(r"\r"),
        '\u{1b}' => out.push_str(r"\E"),
        c if c.is_ascii_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
        c if is_unsafe(c) && u32::from(c) <= 0xffff => out.push_str(&format!("\\u{:04x}", u32::from(c))),
        c if is_unsafe(c) => out.push_str(&format!("\\U{:08x}", u32::from(c))),
        c => out.push(c),
    }
}

/// A message as it may be drawn or printed: each line sanitised (escape sequences, controls and format
/// characters dropped, as from a digest's text), the line breaks between them kept.
pub fn message(text: &str) -> String {
    let lines: Vec<String> = text.split('\n').map(sanitize).collect();
    lines.join("\n")
}

/// The most characters of a message shown or logged: a value quoted whole (a setting of 200 KB, a
/// digest's line) would otherwise fill a screen or a log line with it.
pub const MESSAGE_MOST: usize = 2_000;

/// `text` cut to its first `MESSAGE_MOST` characters, saying how many there were, when it has more.
pub fn shortened(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MESSAGE_MOST) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => {
            std::borrow::Cow::Owned(format!("{}… (cut: {} characters in all)", &text[..end], text.chars().count()))
        }
    }
}

/// Prints `papers: ` and `text` on standard error, made safe by `message`: every line papers prints there
/// goes through here. Failing to print (standard error closed, the terminal gone) is no reason to panic, as
/// `eprintln!` would.
pub fn eprint(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "papers: {}", message(&shortened(text)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_message_is_cut_and_says_so() {
        assert_eq!(shortened("short"), "short");
        let exact = "é".repeat(MESSAGE_MOST);
        assert_eq!(shortened(&exact), exact);
        let long = format!("{exact}tail");
        let cut = shortened(&long);
        assert!(cut.starts_with(&exact), "{cut}");
        assert!(cut.ends_with(&format!("… (cut: {} characters in all)", MESSAGE_MOST + 4)), "{cut}");
    }

    #[test]
    fn plain_names_stay_as_they_are() {
        for name in ["state.json", "/home/ana/digests/2024-03-14.txt", "naïve-中国.txt", "a=b,c:d@e+f%g^h"] {
            assert_eq!(quote(name), name);
        }
    }

    #[test]
    fn names_a_shell_would_split_or_expand_are_single_quoted() {
        assert_eq!(quote("my digest.txt"), "'my digest.txt'");
        assert_eq!(quote("it's.txt"), r"'it'\''s.txt'");
        assert_eq!(quote("$HOME;rm"), "'$HOME;rm'");
        assert_eq!(quote("~user"), "'~user'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn escape_sequences_and_invisible_characters_are_shown_not_obeyed() {
        let evil = "evil\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]2;PWNED\u{7}.txt";
        let quoted = quote(evil);
        assert_eq!(quoted, r"$'evil\E]52;c;ZXZpbA==\a\E]2;PWNED\a.txt'");
        assert!(crate::sanitize::first_unsafe(&quoted).is_none());
        assert_eq!(quote("a\u{202e}b\u{e0041}c'\\"), r"$'a\u202eb\U000e0041c\'\\'");
        assert_eq!(quote("a\u{85}b\u{7f}"), r"$'a\u0085b\x7f'");
    }

    #[cfg(unix)]
    #[test]
    fn bytes_that_are_not_utf8_are_written_as_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"/d/caf\xe9 \xff.txt"));
        assert_eq!(quote_path(path), r"$'/d/caf\xe9 \xff.txt'");
        assert_eq!(quote_path(Path::new("/d/plain.txt")), "/d/plain.txt");
    }

    #[test]
    fn a_message_keeps_its_lines_and_loses_its_escapes() {
        let text = "unknown field `\u{1b}]2;PWNED\u{7}`\n  first that failed: \u{1b}[2Jx\u{13430}y";
        assert_eq!(message(text), "unknown field ``\n  first that failed: xy");
    }
}
