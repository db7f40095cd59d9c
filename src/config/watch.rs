//! `[watch]`: authors and keywords whose papers the reader marks in the list and names in the detail
//! pane; matched once per paper, folded as the search folds titles.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Warning;
use super::looks::in_file_order;

/// The authors and keywords to watch, as written and as matched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchList {
    /// (as written, folded words).
    authors: Vec<(String, Vec<String>)>,
    /// (as written, folded with single spaces).
    keywords: Vec<(String, String)>,
}

/// One reason a paper is watched: an index into the list's authors or keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchHit {
    Author(u16),
    Keyword(u16),
}

/// `text` folded (accents, ligatures, dashes), lower case, each run of white space one space.
fn normal(text: &str) -> String {
    let folded = crate::search::fold(text);
    let mut out = String::with_capacity(folded.len());
    let mut space = true;
    for c in folded.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.extend(c.to_lowercase());
            space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// True when `needle` (folded, as `normal` makes it) stands in `text` as whole words. ASCII text, most
/// abstracts, is searched in place, its case and runs of white space aside, as `normal` would make it:
/// folding every abstract of a large library would hold loading up.
fn has_words_in(text: &str, needle: &str) -> bool {
    if !text.is_ascii() {
        return has_words(&normal(text), needle);
    }
    // Folded, a keyword that is not ASCII stays so, and ASCII text cannot hold it.
    let (hay, needle) = (text.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first().filter(|_| needle.is_ascii()) else { return false };
    let mut from = 0;
    while let Some(found) = memchr::memchr2(first, first.to_ascii_uppercase(), &hay[from..]) {
        let start = from + found;
        from = start + 1;
        if start > 0 && hay[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let (mut i, mut j) = (start, 0);
        while j < needle.len() && i < hay.len() {
            if needle[j] == b' ' && hay[i].is_ascii_whitespace() {
                while i < hay.len() && hay[i].is_ascii_whitespace() {
                    i += 1;
                }
            } else if hay[i].to_ascii_lowercase() == needle[j] {
                i += 1;
            } else {
                break;
            }
            j += 1;
        }
        if j == needle.len() && !hay.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            return true;
        }
    }
    false
}

/// True when `needle` stands in `hay` as whole words: no letter or digit just before or after it. An
/// end of it in a script written without spaces (Chinese, Japanese, Thai…) stands wherever it is, as the
/// full-text search finds such words: 深層学習 in "深層学習を用いた".
fn has_words(hay: &str, needle: &str) -> bool {
    let unspaced = |c: Option<char>| c.and_then(crate::digest::unspaced).is_some();
    let (open_start, open_end) = (unspaced(needle.chars().next()), unspaced(needle.chars().next_back()));
    if needle.is_empty() {
        return false;
    }
    hay.match_indices(needle).any(|(start, _)| {
        let before = hay[..start].chars().next_back();
        let after = hay[start + needle.len()..].chars().next();
        // A character of those scripts beside a word ends it: "AI" stands in "生成AIの研究".
        let joins = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && !unspaced(Some(c)));
        (open_start || !joins(before)) && (open_end || !joins(after))
    })
}

impl WatchList {
    /// A list of these authors and keywords (blank ones left out).
    pub fn new<A: AsRef<str>, K: AsRef<str>>(authors: &[A], keywords: &[K]) -> Self {
        let authors = authors
            .iter()
            .map(|a| (a.as_ref().trim().to_string(), normal(a.as_ref()).split(' ').map(str::to_string).collect()))
            .filter(|(_, words): &(String, Vec<String>)| words.iter().any(|w| !w.is_empty()))
            .take(usize::from(u16::MAX))
            .collect();
        let keywords = keywords
            .iter()
            .map(|k| (k.as_ref().trim().to_string(), normal(k.as_ref())))
            .filter(|(_, folded)| !folded.is_empty())
            .take(usize::from(u16::MAX))
            .collect();
        WatchList { authors, keywords }
    }

    pub fn is_empty(&self) -> bool {
        self.authors.is_empty() && self.keywords.is_empty()
    }

    /// The authors watched, as written.
    pub fn authors(&self) -> impl Iterator<Item = &str> {
        self.authors.iter().map(|(a, _)| a.as_str())
    }

    /// The keywords watched, as written.
    pub fn keywords(&self) -> impl Iterator<Item = &str> {
        self.keywords.iter().map(|(k, _)| k.as_str())
    }

    /// What of the list a paper matches: an author whose name is the one watched or ends with it (a
    /// surname: `Hinton` watches "Geoffrey E. Hinton"), a keyword as whole words of the title or abstract.
    pub fn matches(&self, title: &str, abstract_text: &str, authors: &[String]) -> Vec<WatchHit> {
        let mut hits = Vec::new();
        if !self.authors.is_empty() && !authors.is_empty() {
            let names: Vec<String> = authors.iter().map(|a| normal(a)).collect();
            for (i, (_, words)) in self.authors.iter().enumerate() {
                let found = names.iter().any(|name| {
                    let name: Vec<&str> = name.split(' ').collect();
                    name.len() >= words.len() && name[name.len() - words.len()..].iter().eq(words.iter())
                });
                if found {
                    hits.push(WatchHit::Author(i as u16));
                }
            }
        }
        if !self.keywords.is_empty() {
            for (i, (_, keyword)) in self.keywords.iter().enumerate() {
                if has_words_in(title, keyword) || has_words_in(abstract_text, keyword) {
                    hits.push(WatchHit::Keyword(i as u16));
                }
            }
        }
        hits
    }

    /// What `hits` say, for the detail pane: `author Hinton; keyword "diffusion"`.
    pub fn describe(&self, hits: &[WatchHit]) -> String {
        let parts: Vec<String> = hits
            .iter()
            .filter_map(|hit| match *hit {
                WatchHit::Author(i) => self.authors.get(usize::from(i)).map(|(a, _)| format!("author {a}")),
                WatchHit::Keyword(i) => self.keywords.get(usize::from(i)).map(|(k, _)| format!("keyword \"{k}\"")),
            })
            .collect();
        parts.join("; ")
    }
}

/// The watch list of `table`; what cannot be used is a warning with its place.
pub(super) fn read(
    table: &DeTable,
    at: &dyn Fn(Range<usize>) -> (usize, usize),
    warnings: &mut Vec<Warning>,
) -> WatchList {
    let (mut authors, mut keywords) = (Vec::new(), Vec::new());
    for (name, value) in in_file_order(table) {
        let into = match name.get_ref().as_ref() {
            "authors" => &mut authors,
            "keywords" => &mut keywords,
            other => {
                warnings.push(Warning::at(
                    at(name.span()),
                    format!("`[watch]` has no `{other}` (it has authors and keywords); ignored"),
                ));
                continue;
            }
        };
        let items: Vec<&Spanned<DeValue>> = match value.get_ref() {
            DeValue::Array(items) => items.iter().collect(),
            _ => vec![value],
        };
        for item in items {
            match item.get_ref() {
                DeValue::String(text) if !text.trim().is_empty() => into.push(text.to_string()),
                DeValue::String(_) => warnings.push(Warning::at(
                    at(item.span()),
                    "an empty watched author or keyword would match nothing; ignored",
                )),
                _ => warnings.push(Warning::at(
                    at(item.span()),
                    "a watched author or keyword is written as a string in quotes (\"Hinton\"); ignored",
                )),
            }
        }
    }
    WatchList::new(&authors, &keywords)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authors(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn an_author_is_watched_by_whole_name_or_surname_folded() {
        let list = WatchList::new(&["Hinton", "Yann LeCun", "Schölkopf"], &[] as &[&str]);
        let hits = list.matches("t", "a", &authors(&["Geoffrey E. Hinton", "Bernhard Scholkopf"]));
        assert_eq!(hits, [WatchHit::Author(0), WatchHit::Author(2)]);
        assert_eq!(list.matches("t", "a", &authors(&["yann  lecun"])), [WatchHit::Author(1)]);
        // A first name, or a surname inside another, is not the surname.
        assert!(list.matches("t", "a", &authors(&["Hinton Smith", "Jane Hintonova", "Andrew LeCun"])).is_empty());
    }

    #[test]
    fn a_keyword_is_whole_words_of_the_title_or_abstract() {
        let list = WatchList::new(&[] as &[&str], &["diffusion", "State Space", "naïve"]);
        assert_eq!(list.matches("Latent Diffusion Models", "", &[]), [WatchHit::Keyword(0)]);
        assert_eq!(list.matches("Mamba", "a selective state\n  space model", &[]), [WatchHit::Keyword(1)]);
        assert_eq!(list.matches("A naive baseline", "", &[]), [WatchHit::Keyword(2)]);
        // Inside a longer word it is another word.
        assert!(list.matches("Diffusions and statespace", "subdiffusion", &[]).is_empty());
        // ASCII text is searched in place: case and white space aside, as in other text.
        assert_eq!(list.matches("STATE\tSPACE", "", &[]), [WatchHit::Keyword(1)]);
        assert_eq!(list.matches("A state space", "", &[]), [WatchHit::Keyword(1)]);
        assert!(list.matches("state spaces, state", "a state-space", &[]).is_empty());
        assert_eq!(list.matches("Über naive", "", &[]), [WatchHit::Keyword(2)]);
        assert_eq!(list.matches("x", "Naïve.", &[]), [WatchHit::Keyword(2)]);
    }

    #[test]
    fn a_keyword_of_a_script_without_spaces_is_found_among_its_characters() {
        let list = WatchList::new(&[] as &[&str], &["深層学習", "การเรียนรู้", "AI"]);
        assert_eq!(list.matches("日本語のタイトル：深層学習による画像認識の研究", "", &[]), [WatchHit::Keyword(0)]);
        assert_eq!(list.matches("x", "本研究では深層学習を用いた", &[]), [WatchHit::Keyword(0)]);
        assert_eq!(list.matches("ระบบการเรียนรู้ของเครื่อง", "", &[]), [WatchHit::Keyword(1)]);
        // Not its characters apart; and a Latin keyword beside them keeps its word's ends.
        assert!(list.matches("深層の学習", "", &[]).is_empty());
        assert_eq!(list.matches("生成AIの研究", "", &[]), [WatchHit::Keyword(2)]);
        assert!(list.matches("AIDS 研究", "", &[]).is_empty());
    }

    #[test]
    fn what_matched_is_said_as_written() {
        let list = WatchList::new(&["Hinton"], &["diffusion"]);
        let hits = list.matches("Diffusion nets", "", &authors(&["G. Hinton"]));
        assert_eq!(list.describe(&hits), "author Hinton; keyword \"diffusion\"");
        assert!(WatchList::default().is_empty());
        assert!(WatchList::new(&[" "], &[""]).is_empty());
    }
}
