//! arXiv feeds: the RSS listings (`rss.arxiv.org/rss/cs.LG`) and the API's Atom answers, read with feed-rs.

use feed_rs::model::{Entry, Feed, FeedType};

use super::DigestError;
use super::fields::{
    clean_abstract, clean_title, is_blank, no_title, normalise_arxiv_id, push_category, split_authors,
};
use crate::library::{Day, Meta, Record};

/// How the format is named in errors.
pub const FORMAT: &str = "an RSS or Atom feed";

/// Where the XML of `bytes` first goes wrong, as its line and column (1-based, the column in bytes): a
/// tag not closed as it was opened, a character reference to no character, markup cut off. `None` when
/// the XML reads to its end (feed-rs failed at what it means, not at how it is written).
fn failed_at(bytes: &[u8]) -> Option<(usize, usize)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let at = loop {
        match reader.read_event() {
            Ok(Event::Eof) => return None,
            Ok(Event::GeneralRef(reference)) if reference.is_char_ref() && reference.resolve_char_ref().is_err() => {
                // The reference just read: its `&` is where it starts.
                let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX).min(bytes.len());
                break bytes[..end].iter().rposition(|&b| b == b'&').unwrap_or(end);
            }
            Ok(_) => {}
            Err(_) => break usize::try_from(reader.error_position()).unwrap_or(usize::MAX).min(bytes.len()),
        }
    };
    let before = &bytes[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = at - before.iter().rposition(|&b| b == b'\n').map_or(0, |newline| newline + 1) + 1;
    Some((line, column))
}

/// Parses a whole feed: its papers and the warnings about entries skipped.
pub fn parse(name: &str, bytes: &[u8]) -> Result<(Vec<Record>, Vec<String>), DigestError> {
    if is_blank(bytes) {
        return Err(DigestError::Empty { file: name.to_string() });
    }
    let feed = feed_rs::parser::parse(bytes).map_err(|error| {
        // feed-rs does not say where in the file it failed: the XML is read again to find the place.
        let (line, column) = failed_at(bytes).map_or((1, None), |(line, column)| (line, Some(column)));
        DigestError::Malformed { file: name.to_string(), line, column, format: FORMAT, why: error.to_string() }
    })?;
    let tag: &[u8] = if feed.feed_type == FeedType::Atom { b"entry" } else { b"item" };
    let lines = tag_lines(bytes, tag);
    // The listing's own day, for items that have none.
    let feed_day = feed.published.or(feed.updated).and_then(|time| Day::parse_iso(&time.to_rfc3339()));
    let mut records = Vec::with_capacity(feed.entries.len());
    let mut warnings = Vec::new();
    for (i, entry) in feed.entries.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        // arXiv's API says what was wrong with a request as an entry of its own (titled "Error").
        if let Some(kind) = entry
            .id
            .strip_prefix("http://arxiv.org/api/errors")
            .or_else(|| entry.id.strip_prefix("https://arxiv.org/api/errors"))
        {
            let said = entry.summary.as_ref().map_or("", |t| t.content.as_str());
            let said = clean_title(if said.trim().is_empty() { kind.trim_start_matches('#') } else { said });
            return Err(DigestError::ApiError { file: name.to_string(), line, why: said });
        }
        match record(&feed, entry, feed_day, line) {
            Some(record) => records.push(record),
            None => warnings.push(no_title(name, line)),
        }
    }
    if records.is_empty() {
        return Err(super::fields::none_found(name, false, &warnings));
    }
    Ok((records, warnings))
}

/// The paper of one entry; `None` when it has no title.
fn record(feed: &Feed, entry: &Entry, feed_day: Option<Day>, line: usize) -> Option<Record> {
    let title = clean_title(entry.title.as_ref().map_or("", |t| t.content.as_str()));
    if title.is_empty() {
        return None;
    }
    let body = entry.summary.as_ref().map(|t| t.content.as_str()).or_else(|| entry.content.as_ref()?.body.as_deref());
    let (abstract_text, announced_id) = strip_announcement(body.unwrap_or(""));
    let arxiv_id = std::iter::once(entry.id.as_str())
        .chain(entry.links.iter().map(|link| link.href.as_str()))
        .chain(announced_id)
        .find_map(normalise_arxiv_id);
    let mut authors = Vec::new();
    for person in &entry.authors {
        let Some(name) = person.name.as_deref() else { continue };
        // RSS gives all authors in one dc:creator, comma-separated; Atom gives one author per element.
        if person.role.as_deref() == Some("creator") {
            authors.extend(split_authors(name));
        } else {
            let name = clean_title(name);
            if !name.is_empty() {
                authors.push(name);
            }
        }
    }
    let mut categories = Vec::new();
    for category in &entry.categories {
        push_category(&mut categories, &category.term);
    }
    let published = entry.published.and_then(|time| Day::parse_iso(&time.to_rfc3339()));
    let (day, published) = if feed.feed_type == FeedType::Atom {
        // The API lists papers as they were first published: that is the day they appeared.
        (published, published)
    } else {
        // A listing's pubDate is the day of the announcement, not of publication.
        (published.or(feed_day), None)
    };
    let url = match arxiv_id {
        Some(_) => None,
        None => entry.links.first().and_then(|link| super::fields::clean_url(&link.href)),
    };
    let meta = Meta { arxiv_id, authors, categories, upvotes: None, day, published, code: None, project: None, url };
    Some(Record { title, abstract_text: clean_abstract(abstract_text), line, meta })
}

/// Splits the arXiv listing's preamble off a description: "arXiv:2403.12345v1 Announce Type: new
/// Abstract: The text…" gives the text and "arXiv:2403.12345v1". Other text is returned as it is.
fn strip_announcement(text: &str) -> (&str, Option<&str>) {
    let text = text.trim_start();
    let starts = |text: &str, prefix: &str| text.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix));
    if starts(text, "abstract:") {
        return (&text["abstract:".len()..], None);
    }
    if !starts(text, "arxiv:") {
        return (text, None);
    }
    let id = text.split_whitespace().next();
    // The preamble is short; "Abstract:" further on is part of the abstract itself.
    let mut end = text.len().min(200);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let preamble = &text[..end];
    let rest = match preamble.find("Abstract:") {
        Some(at) => &text[at + "Abstract:".len()..],
        // No "Abstract:": the preamble is the first line.
        None if text.contains("Announce Type:") => text.split_once('\n').map_or("", |(_, rest)| rest),
        None => text,
    };
    (rest, id)
}

/// The 1-based line of each `<tag …>` element start in `bytes` (`<items>` and the like do not count).
fn tag_lines(bytes: &[u8], tag: &[u8]) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut line = 1;
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'<', &bytes[from..]).map(|i| from + i) {
        line += memchr::memchr_iter(b'\n', &bytes[from..at]).count();
        let after = &bytes[at + 1..];
        let ends_name = |b: &u8| b.is_ascii_whitespace() || *b == b'>' || *b == b'/';
        if after.starts_with(tag) && after.get(tag.len()).is_some_and(ends_name) {
            lines.push(line);
        }
        from = at + 1;
    }
    lines
}

#[cfg(test)]
mod tests;
