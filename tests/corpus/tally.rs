//! What became of each paper a digest was rendered with, once parsed, and the counts per class.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::{AbstractShape, Truth};

/// A paper as parsed: its title and abstract, by the line its title begins on.
pub type Parsed = HashMap<usize, (String, String)>;

pub fn parsed(digest: &papers::digest::Digest) -> Parsed {
    digest.papers().map(|p| (p.line(), (p.title().to_string(), p.abstract_text().to_string()))).collect()
}

/// What became of one paper.
#[derive(Debug, Default, Clone, Copy)]
pub struct Outcome {
    pub right: bool,
    /// Its title was read as (part of) an abstract.
    pub title_as_abstract: bool,
    /// Its abstract was read as a title.
    pub abstract_as_title: bool,
}

fn same(a: &str, b: &str) -> bool {
    let words =
        |s: &str| s.split("\n\n").map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>();
    words(a) == words(b)
}

pub fn outcome(truth: &Truth, parsed: &Parsed) -> Outcome {
    let got = parsed.get(&truth.title_line);
    Outcome {
        right: got.is_some_and(|(t, a)| same(t, &truth.title) && same(a, &truth.abstract_text)),
        title_as_abstract: got.is_none(),
        abstract_as_title: truth.abstract_lines.iter().any(|l| parsed.contains_key(l)),
    }
}

/// Counts per class: papers, exactly right, abstracts read as titles, titles read as abstracts.
#[derive(Default)]
pub struct Tally {
    pub classes: BTreeMap<String, [usize; 4]>,
}

impl Tally {
    pub fn add(&mut self, truth: &Truth, outcome: Outcome) {
        let abstract_class = match truth.abstract_shape {
            AbstractShape::Cut(n) => format!("abstract cut to {n} sentence{}", if n > 1 { "s" } else { "" }),
            AbstractShape::NoFullStop if truth.full_sentence => {
                "abstract: last full stop replaced, others whole".into()
            }
            AbstractShape::NoFullStop => "abstract: its one sentence without its full stop".into(),
            shape => format!("abstract {shape:?}"),
        };
        let classes = [
            "all".to_string(),
            format!("source {:?}", truth.source),
            format!("title {:?}", truth.title_shape),
            abstract_class,
            if truth.full_sentence { "with a full sentence" } else { "without a full sentence" }.to_string(),
        ];
        for class in classes {
            let counts = self.classes.entry(class).or_default();
            counts[0] += 1;
            counts[1] += usize::from(outcome.right);
            counts[2] += usize::from(outcome.abstract_as_title);
            counts[3] += usize::from(outcome.title_as_abstract);
        }
    }

    pub fn get(&self, class: &str) -> [usize; 4] {
        self.classes.get(class).copied().unwrap_or_default()
    }

    pub fn report(&self) -> String {
        let mut out = String::from("class: papers, exactly right, abstract read as title, title read as abstract\n");
        for (class, [n, right, a_t, t_a]) in &self.classes {
            let percent = 100.0 * *right as f64 / *n as f64;
            let _ = writeln!(out, "  {class}: {n}, {right} ({percent:.2}%), {a_t}, {t_a}");
        }
        out
    }
}
