//! Feed cases: arXiv's RSS listing, its API's Atom answer, and feeds that are not arXiv's.

use super::*;

const RSS: &[u8] = include_bytes!("../../../tests/fixtures/arxiv-rss.xml");
const ATOM: &[u8] = include_bytes!("../../../tests/fixtures/arxiv-api.atom");

fn records(name: &str, bytes: &[u8]) -> Vec<Record> {
    let (records, warnings) = parse(name, bytes).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    records
}

#[test]
fn every_field_of_an_rss_item_is_read() {
    let records = records("cs.LG.xml", RSS);
    assert_eq!(records.len(), 3);
    let ecg = &records[0];
    assert_eq!(ecg.title, "Deep Learning for Personalized Electrocardiogram Diagnosis: A Review");
    assert!(ecg.abstract_text.starts_with("The electrocardiogram (ECG) remains"), "{}", ecg.abstract_text);
    assert!(ecg.abstract_text.ends_with("evaluation and privacy."));
    assert!(!ecg.abstract_text.contains("Announce Type"));
    assert_eq!(ecg.line, 17);
    let meta = &ecg.meta;
    assert_eq!(meta.arxiv_id.as_deref(), Some("2403.09043"));
    assert_eq!(meta.authors, ["Lena Hartmann", "Rafael Okonkwo"]);
    assert_eq!(meta.categories, ["cs.LG", "eess.SP"]);
    assert_eq!(meta.day, Day::new(2024, 3, 15));
    assert_eq!((meta.published, meta.upvotes), (None, None));
    assert_eq!((meta.code.as_deref(), meta.project.as_deref(), meta.url.as_deref()), (None, None, None));
}

#[test]
fn rss_items_split_authors_and_lose_versions() {
    let records = records("cs.LG.xml", RSS);
    assert_eq!(records[1].meta.authors, ["Jonas Feld", "Ana Beatriz Moreira", "Kwame Mensah"]);
    assert_eq!(records[1].meta.categories, ["cs.SI", "cs.LG", "stat.ML"]);
    assert_eq!(records[2].meta.arxiv_id.as_deref(), Some("2402.17730"));
    assert_eq!(records[2].meta.authors, ["Sofia Ricci"]);
    assert!(records[2].abstract_text.ends_with("31 of 34 datasets & keep accuracy."));
    assert_eq!((records[1].line, records[2].line), (30, 44));
}

#[test]
fn every_field_of_an_atom_entry_is_read() {
    let records = records("query.atom", ATOM);
    assert_eq!(records.len(), 2);
    let first = &records[0];
    assert_eq!(first.title, "Sparse Mixture-of-Adapters for Efficient Multilingual Speech Recognition");
    assert_eq!(
        first.abstract_text,
        "Multilingual speech recognizers spend most of their parameters on languages that a given utterance \
         does not use. We route each frame to a small set of language-specific adapters and keep the shared \
         encoder frozen.\n\nOn a benchmark of 48 languages the model matches a dense baseline with a third of \
         the active parameters."
    );
    assert_eq!(first.line, 10);
    let meta = &first.meta;
    assert_eq!(meta.arxiv_id.as_deref(), Some("2403.08763"));
    assert_eq!(meta.authors, ["Mira Castellanos", "Tobias Lindqvist"]);
    assert_eq!(meta.categories, ["cs.CL", "cs.SD", "eess.AS"]);
    assert_eq!(meta.published, Day::new(2024, 3, 13));
    assert_eq!(meta.day, meta.published);
    assert_eq!(meta.url, None);
    let second = &records[1];
    assert_eq!(second.meta.arxiv_id.as_deref(), Some("2403.09588"));
    assert_eq!(second.meta.authors, ["Priya Raman", "Daniel Osei"]);
    assert_eq!(second.meta.categories, ["cs.LG", "cs.DC"]);
    assert_eq!(second.meta.published, Day::new(2024, 3, 14));
    assert_eq!(second.line, 38);
}

const OTHER: &str = r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>A blog</title>
<pubDate>Thu, 14 Mar 2024 00:00:00 -0400</pubDate>
<item><title>Red &#x1b;[31mAlert</title><link>https://example.org/posts/1</link>
<category>cs.LG</category><category>cs.LG</category><category> stat.ML </category>
<description>Abstract: Only text.</description></item>
<item><title>  </title><link>https://arxiv.org/abs/2403.00002</link></item>
</channel>
</rss>"#;

#[test]
fn an_item_that_is_not_from_arxiv_keeps_its_link() {
    let (records, warnings) = parse("blog.xml", OTHER.as_bytes()).unwrap();
    assert_eq!(records.len(), 1);
    let post = &records[0];
    assert_eq!(post.title, "Red Alert");
    assert_eq!(post.abstract_text, "Only text.");
    assert_eq!(post.meta.arxiv_id, None);
    assert_eq!(post.meta.url.as_deref(), Some("https://example.org/posts/1"));
    assert_eq!(post.meta.categories, ["cs.LG", "stat.ML"]);
    assert_eq!(post.meta.day, Day::new(2024, 3, 14), "the channel's day");
    assert_eq!(post.line, 6);
    assert_eq!(warnings, ["blog.xml:9: an entry has no title; skipped it"]);
}

#[test]
fn what_is_not_a_feed_is_malformed() {
    match parse("page.html", b"<html><body>hi</body></html>") {
        Err(DigestError::Malformed { file, line, format, .. }) => {
            assert_eq!((file.as_str(), format), ("page.html", "an RSS or Atom feed"));
            assert!(line >= 1);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(parse("t.xml", b"\n \n"), Err(DigestError::Empty { .. })));
    let empty = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title></channel></rss>";
    assert!(matches!(parse("t.xml", empty), Err(DigestError::NoPapers { .. })));
}

#[test]
fn the_announcement_preamble_is_split_off() {
    let (text, id) = strip_announcement("arXiv:2403.12345v1 Announce Type: new \nAbstract: The text.");
    assert_eq!((text.trim(), id), ("The text.", Some("arXiv:2403.12345v1")));
    let (text, id) = strip_announcement("arXiv:2403.12345v2 Announce Type: replace\nNo label here.");
    assert_eq!((text, id), ("No label here.", Some("arXiv:2403.12345v2")));
    assert_eq!(strip_announcement("Plain text.").0, "Plain text.");
}

#[test]
fn tag_lines_find_elements_not_longer_names() {
    let xml = b"<rss>\n<channel><items/>\n<item>\n</item><item a=\"1\">\n<itemx/>";
    assert_eq!(tag_lines(xml, b"item"), [3, 4]);
}

/// arXiv's API answers a request it cannot serve (an identifier of the wrong form) with an Atom feed of
/// one entry, titled "Error": that is said as an error, not listed as a paper.
#[test]
fn an_error_of_arxivs_api_is_an_error_not_a_paper_titled_error() {
    let answer = br#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?id_list=1234" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: id_list=1234</title>
  <id>http://arxiv.org/api/abc</id>
  <updated>2024-03-14T00:00:00-04:00</updated>
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>
    <title>Error</title>
    <summary>incorrect id format for 1234</summary>
    <updated>2024-03-14T00:00:00-04:00</updated>
    <author><name>arXiv api core</name></author>
  </entry>
</feed>
"#;
    let error = parse("query.atom", answer).map(|(records, _)| records.len()).unwrap_err();
    assert!(matches!(error, DigestError::ApiError { line: 7, .. }), "{error:?}");
    let said = error.to_string();
    assert!(
        said.starts_with(
            "query.atom:7: this is an error arXiv's API answered, not papers: incorrect id format for 1234"
        ),
        "{said}"
    );
    assert!(error.of_answer().contains("arXiv's API answered with an error, not papers: incorrect id format"));
}
