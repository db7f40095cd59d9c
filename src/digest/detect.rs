//! Tells the input formats apart by their first bytes, whatever the file is called.

/// The formats a digest can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The plain-text digest saved from the Hugging Face daily papers page.
    Text,
    /// The JSON array the Hugging Face daily papers API returns.
    HfJson,
    /// An RSS or Atom feed, such as arXiv's listings and its API answers.
    Feed,
    /// The arXiv metadata snapshot: one JSON object per line.
    Jsonl,
}

/// Every format, in the order they are listed to users.
pub const ALL: [Format; 4] = [Format::Text, Format::HfJson, Format::Feed, Format::Jsonl];

impl Format {
    /// How the format is named in messages.
    pub const fn name(self) -> &'static str {
        match self {
            Format::Text => "text digest",
            Format::HfJson => "Hugging Face daily papers JSON",
            Format::Feed => "RSS or Atom feed",
            Format::Jsonl => "arXiv metadata JSON Lines",
        }
    }
}

/// The format of a file that starts with `head`, judged from its first bytes that are not whitespace (after
/// a byte order mark): `[` then `{` is a JSON array of objects, `{` then `"` a JSON object per line, `<?xml`,
/// `<rss`, `<feed` or `<rdf:RDF` a feed. Anything else is a text digest, so that a title such as "[Re] A
/// Reproduction", `{"Quoted"} Title` or "<think> Less" at the top of one is still read as text. A single pretty-printed JSON
/// object also starts with `{`: it then fails as JSON Lines, with a message that says so.
pub fn detect(head: &[u8]) -> Format {
    let head = super::fields::strip_bom(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    let head = &head[start..];
    // The first byte after `skip` bytes and any whitespace.
    let next = |skip: usize| head.iter().skip(skip).copied().find(|b| !b.is_ascii_whitespace());
    let starts = |tag: &[u8]| head.len() >= tag.len() && head[..tag.len()].eq_ignore_ascii_case(tag);
    match head.first() {
        Some(b'[') if matches!(next(1), Some(b'{' | b']') | None) => Format::HfJson,
        Some(b'{') if starts_like_an_object(head) => Format::Jsonl,
        Some(b'<') if [&b"<?xml"[..], b"<rss", b"<feed", b"<rdf:rdf", b"<!--"].iter().any(|t| starts(t)) => {
            Format::Feed
        }
        _ => Format::Text,
    }
}

/// True when `head` (starting with `{`) goes on as a JSON object does: `{}`, or a key and a colon
/// (`{"id":`), or nothing more to judge. `{"Quoted"} Title` does not.
fn starts_like_an_object(head: &[u8]) -> bool {
    let rest = &head[1..];
    let Some(start) = rest.iter().position(|b| !b.is_ascii_whitespace()) else { return true };
    match rest[start] {
        b'}' => return true,
        b'"' => {}
        _ => return false,
    }
    // The end of the key, past escaped quotes.
    let mut i = start + 1;
    while i < rest.len() {
        match rest[i] {
            b'\\' => i += 2,
            b'"' => break,
            _ => i += 1,
        }
    }
    rest.get(i + 1..).is_none_or(|after| after.iter().find(|b| !b.is_ascii_whitespace()).is_none_or(|&b| b == b':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_is_told_by_its_first_byte() {
        assert_eq!(detect(b"[{\"paper\": {}}]"), Format::HfJson);
        assert_eq!(detect(b"\xEF\xBB\xBF\n  [\n"), Format::HfJson);
        assert_eq!(detect(b"{\"id\":\"0704.0001\"}\n"), Format::Jsonl);
        assert_eq!(detect(b"<?xml version='1.0' encoding='UTF-8'?>\n<rss version=\"2.0\">"), Format::Feed);
        assert_eq!(detect(b"\r\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"), Format::Feed);
        assert_eq!(detect(b"new\n\nMar 14\n\nA Title\n"), Format::Text);
    }

    #[test]
    fn a_text_digest_whose_first_title_starts_with_a_bracket_is_text() {
        assert_eq!(detect(b"[Re] Reproducing a Result\n\nWe reproduce it.\n"), Format::Text);
        assert_eq!(detect(b"{Braces} in a Title\n\nAbstract.\n"), Format::Text);
        assert_eq!(detect(b"<think> Less: Shorter Reasoning\n\nAbstract.\n"), Format::Text);
        assert_eq!(detect(b"[]"), Format::HfJson);
        assert_eq!(detect(b"{\"id\": \"0704.0001\", \"title\": \"x\"}"), Format::Jsonl);
        assert_eq!(detect(b"{ \"a\\\"b\" :1}"), Format::Jsonl);
        assert_eq!(detect(b"{\"id"), Format::Jsonl, "cut short: judged JSON");
        assert_eq!(detect(b"{\"Quoted\"} Title"), Format::Text);
        assert_eq!(detect(b"<!-- saved -->\n<rss>"), Format::Feed);
        // Titles that look like JSON or a feed at first: read as text all the same (see `any`).
        let abstract_text = "Abstract: we show that a title may start with anything at all and still be read.";
        for title in ["{\"Quoted\"} Title", "[{Bracketed}] Title", "<rss> Feeds Revisited"] {
            let text = format!("{title}\n\n{abstract_text}\n");
            let text = text.as_bytes();
            let digest = crate::digest::parse_text("t.txt", text).unwrap();
            assert_eq!(digest.len(), 1, "{:?}", String::from_utf8_lossy(text));
            assert!(digest.paper(0).abstract_text().starts_with("Abstract"));
        }
    }

    #[test]
    fn empty_and_blank_heads_are_text() {
        assert_eq!(detect(b""), Format::Text);
        assert_eq!(detect(b" \n\t"), Format::Text);
        assert_eq!(detect(b"\xEF\xBB\xBF"), Format::Text);
    }

    #[test]
    fn every_format_has_its_own_name() {
        let names: Vec<&str> = ALL.iter().map(|f| f.name()).collect();
        for (i, name) in names.iter().enumerate() {
            assert!(!name.is_empty());
            assert!(!names[i + 1..].contains(name), "{name} twice");
        }
        assert_eq!(Format::HfJson.name(), "Hugging Face daily papers JSON");
    }
}
