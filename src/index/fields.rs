//! What the index holds of a paper: the schema, the analyser its words go through, and the fingerprint
//! that tells whether the paper indexed is still the paper in the library.

use std::hash::{BuildHasher, Hasher};

use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, TokenizerManager};
use tantivy::{TantivyDocument, Term};

use super::Doc;

/// The analyser's name in the schema.
const WORDS: &str = "papers_words";

/// The fields of a paper's document. Only what searching needs is kept: the words with their positions
/// (for phrases), and the key and fingerprint as fast fields; the text itself stays in the digests.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    pub title: Field,
    pub abstract_text: Field,
    pub authors: Field,
    /// `PaperKey::hash64` of the paper's key: to find it again in the library, and to replace it.
    pub key: Field,
    /// The fingerprint of the text indexed (see `fingerprint`).
    pub print: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let title = builder.add_text_field("title", text.clone());
        let abstract_text = builder.add_text_field("abstract", text.clone());
        let authors = builder.add_text_field("authors", text);
        let key = builder.add_u64_field("key", INDEXED | FAST);
        let print = builder.add_u64_field("print", FAST);
        (builder.build(), Fields { title, abstract_text, authors, key, print })
    }

    /// Reads the fields of `schema`, when it is the one `schema()` makes.
    pub fn of(schema: &Schema) -> Option<Fields> {
        let field = |name| schema.get_field(name).ok();
        Some(Fields {
            title: field("title")?,
            abstract_text: field("abstract")?,
            authors: field("authors")?,
            key: field("key")?,
            print: field("print")?,
        })
    }

    pub fn document(&self, doc: &Doc, print: u64) -> TantivyDocument {
        let mut document = TantivyDocument::default();
        document.add_text(self.title, doc.title);
        document.add_text(self.abstract_text, doc.abstract_text);
        for author in doc.authors {
            document.add_text(self.authors, author);
        }
        document.add_u64(self.key, doc.key);
        document.add_u64(self.print, print);
        document
    }

    pub fn key_term(&self, key: u64) -> Term {
        Term::from_field_u64(self.key, key)
    }
}

/// The analyser of every text field, and of queries: words split at anything not a letter or digit,
/// long ones (hashes, URLs) dropped, lower-cased, accents folded, English stems ("distils" and
/// "distilled" are one word).
pub(super) fn analyzer() -> TextAnalyzer {
    analyzer_of(false)
}

/// The analyser of what the index keeps: as `analyzer`, and each character of a run of Chinese or
/// Japanese as a word too (see `tokens::Words`).
pub(super) fn indexing_analyzer() -> TextAnalyzer {
    analyzer_of(true)
}

fn analyzer_of(single: bool) -> TextAnalyzer {
    TextAnalyzer::builder(super::tokens::Words { single })
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::default())
        .build()
}

pub(super) fn tokenizers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(WORDS, indexing_analyzer());
    manager
}

/// The words of `text` as the index keeps them, with where each is in `text` (byte offsets).
/// The words of `text` as the analyser cuts them, each with its place among them (a phrase's words must
/// keep theirs: a run of Chinese or Japanese leaves a place between its pairs and the next word).
pub(super) fn words_placed(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize)> {
    let mut words = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        words.push((token.text.clone(), token.position));
    }
    words
}

pub(super) fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut words = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        words.push((token.text.clone(), token.offset_from..token.offset_to));
    }
    words
}

/// A hash of what is indexed of a paper (and of how: `FORMAT`), the same in every process: a paper
/// whose text changed since it was indexed is indexed again.
pub(super) fn fingerprint(doc: &Doc) -> u64 {
    let mut hasher = foldhash::fast::FixedState::with_seed(super::FORMAT).build_hasher();
    hasher.write(doc.title.as_bytes());
    hasher.write_u8(0);
    hasher.write(doc.abstract_text.as_bytes());
    for author in doc.authors {
        hasher.write_u8(0);
        hasher.write(author.as_bytes());
    }
    hasher.finish()
}
