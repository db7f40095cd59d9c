//! "More like this": the words that tell a paper apart (frequent in it, rare in the library), searched
//! for in every other paper, as Lucene's MoreLikeThis does.

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::Doc;
use super::fields::{Fields, analyzer, words};

/// How many of a paper's words the query takes: enough to say what it is about, few enough to answer
/// within a frame over a million papers.
const MAX_TERMS: usize = 25;

/// A word of the title counts this many times one of the abstract, in choosing and in matching.
const TITLE_WEIGHT: f32 = 2.0;

/// Words that say nothing of what a paper is about: Lucene's English stop words, and the words every
/// abstract uses.
const NOISE: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "but",
    "by",
    "for",
    "if",
    "in",
    "into",
    "is",
    "it",
    "no",
    "not",
    "of",
    "on",
    "or",
    "such",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "to",
    "was",
    "will",
    "with",
    "we",
    "our",
    "us",
    "can",
    "has",
    "have",
    "from",
    "which",
    "its",
    "also",
    "than",
    "been",
    "more",
    "both",
    "while",
    "how",
    "what",
    "when",
    "where",
    "paper",
    "propose",
    "proposed",
    "present",
    "show",
    "shows",
    "results",
    "result",
    "approach",
    "method",
    "methods",
    "work",
    "new",
    "based",
    "using",
    "use",
    "used",
    "however",
    "recent",
    "recently",
    "different",
    "various",
    "well",
    "high",
    "highly",
    "one",
    "two",
    "first",
    "other",
    "most",
    "many",
    "further",
    "significant",
    "significantly",
    "state",
    "art",
];

/// The query for papers like `doc`, given the index as it is (how rare each word is), or `None` when
/// `doc` has no word to go by; the index's error when it cannot tell how rare a word is (its files
/// damaged), rather than a query without that word.
pub(super) fn query(
    searcher: &Searcher,
    fields: &Fields,
    doc: &Doc,
) -> Result<Option<Box<dyn Query>>, tantivy::TantivyError> {
    let mut analyzer = analyzer();
    let noise: std::collections::HashSet<String> =
        NOISE.iter().flat_map(|w| words(&mut analyzer, w)).map(|(w, _)| w).collect();
    let mut counts: HashMap<String, f32> = HashMap::new();
    let mut count = |text: &str, weight: f32| {
        for (word, _) in words(&mut analyzer, text) {
            if word.len() < 3 || word.bytes().all(|b| b.is_ascii_digit()) || noise.contains(&word) {
                continue;
            }
            *counts.entry(word).or_default() += weight;
        }
    };
    count(doc.title, TITLE_WEIGHT);
    count(doc.abstract_text, 1.0);
    let papers = searcher.num_docs().max(1) as f32;
    let mut scored: Vec<(f32, String)> = Vec::with_capacity(counts.len());
    for (word, tf) in counts {
        let in_title = searcher.doc_freq(&Term::from_field_text(fields.title, &word))?;
        let in_abstract = searcher.doc_freq(&Term::from_field_text(fields.abstract_text, &word))?;
        // The papers that have the word somewhere, at least (a word in both counts once).
        let df = in_title.max(in_abstract) as f32;
        let idf = (1.0 + (papers - df + 0.5) / (df + 0.5)).ln();
        if df > 0.0 {
            scored.push((tf.sqrt() * idf, word));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(MAX_TERMS);
    let Some(best) = scored.first().map(|s| s.0.max(f32::MIN_POSITIVE)) else { return Ok(None) };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (score, word) in scored {
        let weight = score / best;
        for (field, boost) in [(fields.title, TITLE_WEIGHT), (fields.abstract_text, 1.0)] {
            let term = TermQuery::new(Term::from_field_text(field, &word), IndexRecordOption::WithFreqs);
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(term), weight * boost))));
        }
    }
    Ok(Some(Box::new(BooleanQuery::new(clauses))))
}
