//! Papers, their stable keys, and the library: every paper from the digests that were opened, once each.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::digest::Digest;
use crate::search;

/// Identifies a paper across digests, days, reorderings and re-downloads.
///
/// Derived from the title alone: lower-cased (Unicode-aware), every run of characters that are not letters
/// or digits turned into one space, trimmed. So "Mamba YOLO: SSMs-Based YOLO" and "mamba yolo — ssms based
/// yolo" are the same paper. The `title:` prefix leaves room for keys from identifiers (arXiv ids).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PaperKey(String);

impl PaperKey {
    pub fn from_title(title: &str) -> Self {
        let mut key = String::from("title:");
        let mut pending_space = false;
        for c in title.chars() {
            if c.is_alphanumeric() {
                if pending_space && key.len() > "title:".len() {
                    key.push(' ');
                }
                pending_space = false;
                key.extend(c.to_lowercase());
            } else {
                pending_space = true;
            }
        }
        PaperKey(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PaperKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One paper as the reader shows it. Text fields are already sanitised (see `sanitize`).
#[derive(Debug, Clone, PartialEq)]
pub struct Paper {
    pub key: PaperKey,
    pub title: String,
    /// Empty when the digest had no abstract for this paper; paragraphs are separated by a blank line.
    pub abstract_text: String,
    pub links: Vec<String>,
    /// The date line of the digest the paper came from, as written there (e.g. "Mar 14").
    pub date: Option<String>,
    /// The file (or "built-in digest") and line where the title stands.
    pub source: String,
    pub line: usize,
    /// The title folded for case-insensitive search, one char for each char of `title`.
    pub folded_title: String,
}

impl Paper {
    pub fn new(title: String, abstract_text: String, line: usize) -> Self {
        let links = crate::digest::find_links(&abstract_text);
        Paper {
            key: PaperKey::from_title(&title),
            folded_title: search::fold(&title),
            title,
            abstract_text,
            links,
            date: None,
            source: String::new(),
            line,
        }
    }
}

/// Every paper from the opened digests, in the order they came, with duplicates merged.
#[derive(Debug, Default)]
pub struct Library {
    papers: Vec<Paper>,
    index: HashMap<PaperKey, usize>,
}

impl Library {
    pub fn from_digests(digests: impl IntoIterator<Item = Digest>) -> Self {
        let mut library = Library::default();
        for digest in digests {
            for mut paper in digest.papers {
                paper.date = digest.date.clone();
                paper.source = digest.name.clone();
                library.add(paper);
            }
        }
        library
    }

    /// Adds a paper; a paper already here keeps its place and gains an abstract or links it lacked.
    pub fn add(&mut self, paper: Paper) {
        match self.index.get(&paper.key) {
            Some(&i) => {
                let known = &mut self.papers[i];
                if known.abstract_text.is_empty() && !paper.abstract_text.is_empty() {
                    known.abstract_text = paper.abstract_text;
                    known.links = paper.links;
                }
            }
            None => {
                self.index.insert(paper.key.clone(), self.papers.len());
                self.papers.push(paper);
            }
        }
    }

    pub fn papers(&self) -> &[Paper] {
        &self.papers
    }

    pub fn len(&self) -> usize {
        self.papers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.papers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ignores_case_punctuation_and_spacing() {
        let a = PaperKey::from_title("Mamba YOLO: SSMs-Based YOLO For Object Detection");
        let b = PaperKey::from_title("  mamba yolo — ssms based YOLO for object detection. ");
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "title:mamba yolo ssms based yolo for object detection");
    }

    #[test]
    fn key_folds_non_ascii_and_keeps_distinct_titles_apart() {
        assert_eq!(PaperKey::from_title("ÉCOLE Ünïcode"), PaperKey::from_title("école ünïcode"));
        assert_ne!(PaperKey::from_title("A Survey of Mamba"), PaperKey::from_title("A Survey on Mamba"));
        assert_eq!(PaperKey::from_title("中文 标题").as_str(), "title:中文 标题");
    }

    #[test]
    fn library_merges_the_same_paper_and_keeps_the_first_place() {
        let d1 = Digest::for_tests("a", vec![Paper::new("First".into(), String::new(), 1)]);
        let d2 = Digest::for_tests(
            "b",
            vec![Paper::new("Second".into(), "x".into(), 1), Paper::new("FIRST".into(), "abs".into(), 5)],
        );
        let lib = Library::from_digests([d1, d2]);
        let titles: Vec<_> = lib.papers().iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["First", "Second"]);
        assert_eq!(lib.papers()[0].abstract_text, "abs");
    }
}
