//! `Scorer`: a query's alternatives matched against one paper after another on one thread, the filters
//! checked beside the terms; and `Highlighter`, the title positions any alternative matched.

use memchr::memmem;

use super::matcher::{Fields, Matcher};
use super::query::{Alternative, Atom, Mark, fold_into};
use crate::library::Titles;
use crate::state::MarkSet;

/// A matcher and the filters of each alternative, for one thread.
pub(super) struct Scorer<'q> {
    alternatives: Vec<(Matcher, &'q [(Atom, bool)])>,
    /// An abstract folded, kept from paper to paper.
    folded: String,
}

impl<'q> Scorer<'q> {
    pub(super) fn new(alternatives: &'q [Alternative]) -> Self {
        let alternatives = alternatives.iter().map(|a| (Matcher::new(a.terms.clone()), &a.atoms[..])).collect();
        Scorer { alternatives, folded: String::new() }
    }

    /// Paper `i`'s rank key and whether it is exact (see `Matcher::first_key`; `exact` asks for
    /// `Matcher::rank_key`), or `None` when no alternative matches: the best key of those that do.
    pub(super) fn key(
        &mut self,
        titles: &Titles,
        marks: &MarkSet,
        i: usize,
        title: &str,
        exact: bool,
    ) -> Option<(u32, bool)> {
        let mut best: Option<(u32, bool)> = None;
        let fields = || Fields { authors: titles.authors(i), arxiv_id: titles.arxiv_id(i) };
        for (matcher, atoms) in &mut self.alternatives {
            // The filters that look at the paper's metadata and marks first: they cost less than a title.
            if !atoms.iter().all(|(atom, negated)| cheap(atom, titles, marks, i, title).is_none_or(|m| m != *negated)) {
                continue;
            }
            let key = if exact {
                matcher.rank_key(title, fields).map(|k| (k, true))
            } else {
                matcher.first_key(title, fields)
            };
            let Some(key) = key else { continue };
            let abstracts = atoms.iter().filter_map(|(atom, negated)| match atom {
                Atom::Abstract { text, respect_case } => Some((text, *respect_case, *negated)),
                _ => None,
            });
            let mut passes = true;
            for (text, respect_case, negated) in abstracts {
                fold_into(titles.abstract_text(i), !respect_case, &mut self.folded);
                if memmem::find(self.folded.as_bytes(), text.as_bytes()).is_some() == negated {
                    passes = false;
                    break;
                }
            }
            if passes {
                best = Some(best.map_or(key, |b| (b.0.max(key.0), b.1 && key.1)));
            }
        }
        best
    }
}

/// Whether the paper has what `atom` asks, for the filters other than the abstract (`None` for it).
fn cheap(atom: &Atom, titles: &Titles, marks: &MarkSet, i: usize, title: &str) -> Option<bool> {
    Some(match atom {
        Atom::Category(start) => titles.categories(i).iter().any(|c| {
            c.len() >= start.len() && c.is_char_boundary(start.len()) && c[..start.len()].eq_ignore_ascii_case(start)
        }),
        Atom::Tag(_) => false,
        Atom::Is(mark) => {
            let (starred, read) = marks.get(titles.key_hash(i), title, titles.arxiv_id(i));
            match mark {
                Mark::Unread => !read,
                Mark::Read => read,
                Mark::Starred => starred,
            }
        }
        Atom::Abstract { .. } => return None,
    })
}

/// The title positions a query's alternatives match, for highlighting.
#[derive(Debug)]
pub struct Highlighter {
    matchers: Vec<Matcher>,
}

impl Highlighter {
    pub(super) fn new(alternatives: &[Alternative]) -> Self {
        Highlighter { matchers: alternatives.iter().map(|a| Matcher::new(a.terms.clone())).collect() }
    }

    /// The char positions in `title` that the title terms of any alternative matching it matched, ascending.
    pub fn positions(&mut self, title: &str) -> Vec<usize> {
        if let [only] = &mut self.matchers[..] {
            return only.positions(title);
        }
        let mut all: Vec<usize> = self.matchers.iter_mut().flat_map(|m| m.positions(title)).collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

#[cfg(test)]
#[path = "scorer_tests.rs"]
mod tests;
