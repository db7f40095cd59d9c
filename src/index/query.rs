//! A text query as typed (`words "a phrase" -not au:name`), what the index makes of it, and the words it
//! matched, to highlight.

use std::collections::HashSet;

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use super::fields::{Fields, analyzer, indexing_analyzer, words, words_placed};

/// One part of a query: a word or a phrase, anywhere or in the authors, wanted or excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Clause {
    text: String,
    phrase: bool,
    authors_only: bool,
    excluded: bool,
    /// It begins another alternative: `OR` (or `|`) came before it.
    or_before: bool,
}

/// A full-text query: words (each must be there, in the title, the abstract or the authors), `"phrases"`
/// (the words in that order), `-word` or `-"phrase"` (must not be there), `au:name` or `au:"first last"`
/// (in the authors), and `OR` (or `|`) between alternatives, as in the title search: `mamba OR "state
/// space" -vision` is either. An exclusion applies within its alternative; one of exclusions alone finds
/// nothing. Ranked by BM25, a word in the title counting twice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextQuery {
    text: String,
    clauses: Vec<Clause>,
}

/// How much more a word found in the title counts than one in the abstract.
const TITLE_BOOST: f32 = 2.0;

impl TextQuery {
    pub fn new(text: &str) -> Self {
        let text = text.trim().to_string();
        let clauses = parse(&text);
        TextQuery { text, clauses }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when nothing would be searched for: no alternative with a clause that is wanted.
    pub fn is_empty(&self) -> bool {
        self.alternatives().all(|clauses| clauses.iter().all(|c| c.excluded))
    }

    /// The clauses of each alternative (`OR` between them).
    fn alternatives(&self) -> impl Iterator<Item = &[Clause]> {
        self.clauses.chunk_by(|_, next| !next.or_before)
    }

    /// The tantivy query, or `None` when no word of it is one the index keeps.
    pub(super) fn query(&self, fields: &Fields) -> Option<Box<dyn Query>> {
        let mut either: Vec<(Occur, Box<dyn Query>)> =
            self.alternatives().filter_map(|clauses| Some((Occur::Should, alternative(clauses, fields)?))).collect();
        match either.len() {
            0 => None,
            1 => Some(either.remove(0).1),
            _ => Some(Box::new(BooleanQuery::new(either))),
        }
    }
}

/// The tantivy query of one alternative's clauses, or `None` when no wanted word of it is one the index
/// keeps.
fn alternative(clauses: &[Clause], fields: &Fields) -> Option<Box<dyn Query>> {
    let mut analyzer = analyzer();
    let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for clause in clauses {
        let placed = words_placed(&mut analyzer, &clause.text);
        let tokens: Vec<String> = placed.iter().map(|(w, _)| w.clone()).collect();
        if tokens.is_empty() {
            continue;
        }
        let targets: &[(Field, f32)] = if clause.authors_only {
            &[(fields.authors, 1.0)]
        } else {
            &[(fields.title, TITLE_BOOST), (fields.abstract_text, 1.0), (fields.authors, 1.0)]
        };
        // A word the analyser splits ("state-of-the-art", "GPT-4o") is a phrase of its parts.
        let phrase = clause.phrase || tokens.len() > 1;
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for &(field, boost) in targets {
            let terms: Vec<Term> = tokens.iter().map(|t| Term::from_field_text(field, t)).collect();
            let query: Box<dyn Query> = if phrase && terms.len() > 1 {
                // Each at its place: a run of Chinese or Japanese leaves one before the word after it.
                let first = placed[0].1;
                let at: Vec<(usize, Term)> = placed.iter().map(|(_, p)| p - first).zip(terms).collect();
                Box::new(PhraseQuery::new_with_offset(at))
            } else {
                Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs))
            };
            let query: Box<dyn Query> = if boost == 1.0 { query } else { Box::new(BoostQuery::new(query, boost)) };
            any.push((Occur::Should, query));
        }
        let any: Box<dyn Query> = if any.len() == 1 { any.remove(0).1 } else { Box::new(BooleanQuery::new(any)) };
        parts.push((if clause.excluded { Occur::MustNot } else { Occur::Must }, any));
    }
    if parts.iter().all(|(occur, _)| *occur == Occur::MustNot) {
        return None;
    }
    Some(Box::new(BooleanQuery::new(parts)))
}

/// Splits a query into its clauses. Never fails: an unclosed quote runs to the end, a lone `-` or `au:`
/// is a word like any other.
fn parse(text: &str) -> Vec<Clause> {
    let mut clauses: Vec<Clause> = Vec::new();
    let mut or_next = false;
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let mut excluded = false;
        let mut authors_only = false;
        // `OR` or `|` alone, between two clauses: the next begins another alternative.
        let word = rest.split(char::is_whitespace).next().unwrap_or("");
        if matches!(word, "OR" | "|") {
            rest = rest[word.len()..].trim_start();
            or_next = !clauses.is_empty();
            continue;
        }
        if let Some(after) = rest.strip_prefix('-').filter(|a| a.starts_with(|c: char| !c.is_whitespace())) {
            excluded = true;
            rest = after;
        }
        if let Some(after) =
            strip_prefix_ignoring_case(rest, "au:").filter(|a| a.starts_with(|c: char| !c.is_whitespace()))
        {
            authors_only = true;
            rest = after;
        }
        let (text, phrase, after) = match rest.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted.find('"').unwrap_or(quoted.len());
                (&quoted[..end], true, quoted.get(end + 1..).unwrap_or(""))
            }
            None => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                (&rest[..end], false, &rest[end..])
            }
        };
        if !text.trim().is_empty() {
            let or_before = std::mem::take(&mut or_next);
            clauses.push(Clause { text: text.trim().to_string(), phrase, authors_only, excluded, or_before });
        }
        rest = after.trim_start();
    }
    clauses
}

fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// The words a query looks for, to show where a paper's text has them.
pub struct Highlighter {
    analyzer: tantivy::tokenizer::TextAnalyzer,
    /// The wanted words of the title and abstract, as the index keeps them.
    text: HashSet<String>,
    /// The wanted words of the authors.
    authors: HashSet<String>,
}

impl Highlighter {
    pub fn new(query: &TextQuery) -> Self {
        let mut analyzer = analyzer();
        let (mut text, mut authors) = (HashSet::new(), HashSet::new());
        for clause in query.clauses.iter().filter(|c| !c.excluded) {
            for (word, _) in words(&mut analyzer, &clause.text) {
                if !clause.authors_only {
                    text.insert(word.clone());
                }
                authors.insert(word);
            }
        }
        // The text shown is cut as the index cuts it, so that a word of one character of Chinese or
        // Japanese is found inside a run too.
        Highlighter { analyzer: indexing_analyzer(), text, authors }
    }

    /// Where `text` (a title or abstract, or a part of one) has a word of the query: byte ranges,
    /// ascending.
    pub fn ranges(&mut self, text: &str) -> Vec<std::ops::Range<usize>> {
        if self.text.is_empty() {
            return Vec::new();
        }
        let found = words(&mut self.analyzer, text).into_iter().filter(|(w, _)| self.text.contains(w)).map(|(_, r)| r);
        merged(found)
    }

    /// Where a line of authors has a word of the query.
    pub fn author_ranges(&mut self, text: &str) -> Vec<std::ops::Range<usize>> {
        if self.authors.is_empty() {
            return Vec::new();
        }
        let found =
            words(&mut self.analyzer, text).into_iter().filter(|(w, _)| self.authors.contains(w)).map(|(_, r)| r);
        merged(found)
    }
}

/// Ranges ascending by start, those that overlap or touch joined into one: the pairs of characters a
/// word of Chinese or Japanese is found as overlap, and each must be drawn whole.
fn merged(ranges: impl Iterator<Item = std::ops::Range<usize>>) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for range in ranges {
        match out.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => out.push(range),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(text: &str, phrase: bool, authors_only: bool, excluded: bool) -> Clause {
        Clause { text: text.into(), phrase, authors_only, excluded, or_before: false }
    }

    #[test]
    fn a_query_is_words_phrases_exclusions_and_authors() {
        let query = TextQuery::new(r#" distil  "reasoning model" -vision au:hinton -au:"Yann LeCun" "open"#);
        assert_eq!(
            query.clauses,
            [
                clause("distil", false, false, false),
                clause("reasoning model", true, false, false),
                clause("vision", false, false, true),
                clause("hinton", false, true, false),
                clause("Yann LeCun", true, true, true),
                clause("open", true, false, false),
            ]
        );
        assert!(!query.is_empty());
        assert!(TextQuery::new("-only -excluded").is_empty());
        assert!(TextQuery::new("  ").is_empty());
        // A lone dash or prefix is a word, never an error.
        assert_eq!(
            TextQuery::new("- au: \"\"").clauses,
            [clause("-", false, false, false), clause("au:", false, false, false)]
        );
    }

    #[test]
    fn the_highlighter_finds_the_query_words_in_any_form() {
        let mut highlighter = Highlighter::new(&TextQuery::new(r#"distil "state space" -vision au:gu"#));
        let text = "We distilled State-Space models, not vision ones; Gu et al.";
        let found: Vec<&str> = highlighter.ranges(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["distilled", "State", "Space"]);
        let found: Vec<&str> =
            highlighter.author_ranges("Albert Gu, Tri Dao").into_iter().map(|r| &"Albert Gu, Tri Dao"[r]).collect();
        assert_eq!(found, ["Gu"]);
    }
}
