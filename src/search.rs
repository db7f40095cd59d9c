//! Fuzzy search over titles: ranking and highlight positions. The one module that uses the fuzzy matcher.
//!
//! Case: smart, as in fzf and helix. A query with no capital letter matches regardless of case; a query
//! with one matches case exactly. fuzzy-matcher folds only ASCII, so both sides are folded here first,
//! char by char (Unicode lower case, one char for one char), and the matcher compares them exactly; since
//! folding keeps the number of chars, the positions it reports are positions in the original title.

use fuzzy_matcher::skim::SkimMatcherV2;

use crate::library::Paper;

/// Folds `text` for case-insensitive matching, keeping one char for each char.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    // A few letters lower-case to more than one char (İ → i̇); the first one is the letter that matters.
    c.to_lowercase().next().unwrap_or(c)
}

/// A search as typed, ready to match.
pub struct Query {
    pattern: String,
    case_sensitive: bool,
    matcher: SkimMatcherV2,
}

impl Query {
    pub fn new(text: &str) -> Self {
        let text = text.trim();
        let case_sensitive = text.chars().any(char::is_uppercase);
        let pattern = if case_sensitive { text.to_string() } else { fold(text) };
        Query { pattern, case_sensitive, matcher: SkimMatcherV2::default().respect_case() }
    }

    pub fn is_empty(&self) -> bool {
        self.pattern.is_empty()
    }

    fn haystack<'p>(&self, paper: &'p Paper) -> &'p str {
        if self.case_sensitive { &paper.title } else { &paper.folded_title }
    }

    /// The match score of `paper`, or `None` when it does not match.
    pub fn score(&self, paper: &Paper) -> Option<i64> {
        use fuzzy_matcher::FuzzyMatcher;
        if self.is_empty() {
            return Some(0);
        }
        self.matcher.fuzzy_match(self.haystack(paper), &self.pattern)
    }

    /// The char positions in `paper.title` that the query matched, for highlighting.
    pub fn positions(&self, paper: &Paper) -> Vec<usize> {
        use fuzzy_matcher::FuzzyMatcher;
        if self.is_empty() {
            return Vec::new();
        }
        self.matcher.fuzzy_indices(self.haystack(paper), &self.pattern).map(|(_, p)| p).unwrap_or_default()
    }

    /// Ranks the papers at `candidates` (indices into `papers`): best score first, ties in the order given.
    /// An empty query keeps every candidate in its order. Large sets are scored on every core.
    pub fn rank(&self, papers: &[Paper], candidates: impl IntoIterator<Item = usize>) -> Vec<usize> {
        let candidates: Vec<usize> = candidates.into_iter().collect();
        if self.is_empty() {
            return candidates;
        }
        let score = |chunk: &[usize]| -> Vec<(i64, usize)> {
            chunk.iter().filter_map(|&i| self.score(&papers[i]).map(|s| (s, i))).collect()
        };
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let mut hits = if threads > 1 && candidates.len() >= PARALLEL_FROM {
            // Chunks in order, joined in order: the same hits in the same order as one thread finds them.
            let chunk = candidates.len().div_ceil(threads);
            std::thread::scope(|scope| {
                let workers: Vec<_> = candidates.chunks(chunk).map(|c| scope.spawn(move || score(c))).collect();
                workers
                    .into_iter()
                    .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect::<Vec<_>>()
            })
        } else {
            score(&candidates)
        };
        // A stable sort keeps the given order among equal scores.
        hits.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
        hits.into_iter().map(|(_, i)| i).collect()
    }

    /// True when every title this query matches is also matched by `earlier`, so that searching only
    /// `earlier`'s matches finds them all: the same case rule, and `earlier`'s pattern is a prefix of this
    /// one (a fuzzy match is a subsequence, and a subsequence of a title stays one when shortened).
    pub fn narrows(&self, earlier: &Query) -> bool {
        self.case_sensitive == earlier.case_sensitive && self.pattern.starts_with(&earlier.pattern)
    }
}

/// Candidate sets at least this large are scored on several threads; below it, starting threads costs more
/// than it saves.
const PARALLEL_FROM: usize = 20_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::{BUILT_IN, BUILT_IN_NAME, parse_text};

    fn built_in() -> Vec<Paper> {
        parse_text(BUILT_IN_NAME, BUILT_IN).unwrap().papers
    }

    fn titles(papers: &[Paper], ranked: &[usize]) -> Vec<String> {
        ranked.iter().map(|&i| papers[i].title.clone()).collect()
    }

    fn papers(titles: &[&str]) -> Vec<Paper> {
        titles.iter().map(|t| Paper::new(t.to_string(), String::new(), 1)).collect()
    }

    #[test]
    fn mamba_ranks_the_two_mamba_papers_first() {
        let papers = built_in();
        let ranked = Query::new("mamba").rank(&papers, 0..papers.len());
        let top = titles(&papers, &ranked[..2]);
        assert!(top.contains(&"Mamba YOLO: SSMs-Based YOLO For Object Detection".to_string()), "{top:?}");
        assert!(top.contains(&"A Survey of Mamba".to_string()), "{top:?}");
    }

    #[test]
    fn empty_query_keeps_digest_order() {
        let papers = built_in();
        assert_eq!(Query::new("").rank(&papers, 0..papers.len()), (0..papers.len()).collect::<Vec<_>>());
        assert_eq!(Query::new("   ").rank(&papers, [5, 2, 9]), [5, 2, 9]);
    }

    #[test]
    fn ties_keep_digest_order() {
        let papers = papers(&["Graph Nets", "Other", "GRAPH NETS", "graph nets"]);
        assert_eq!(Query::new("graph nets").rank(&papers, 0..4), [0, 2, 3]);
        assert_eq!(Query::new("graph nets").rank(&papers, [3, 2, 1, 0]), [3, 2, 0]);
    }

    #[test]
    fn smart_case_and_unicode_folding() {
        let papers = papers(&["École Normale", "ÜBER Alles", "ecole", "Über"]);
        assert_eq!(Query::new("école").rank(&papers, 0..4), [0]);
        assert_eq!(Query::new("über").rank(&papers, 0..4), [1, 3]);
        // A capital letter makes the search case-sensitive.
        assert_eq!(Query::new("Über").rank(&papers, 0..4), [3]);
        assert_eq!(Query::new("ÜBER").rank(&papers, 0..4), [1]);
        assert_eq!(Query::new("Ecole").rank(&papers, 0..4), Vec::<usize>::new());
    }

    #[test]
    fn positions_point_into_the_original_title() {
        let papers = papers(&["İstanbul Über Mamba"]);
        let q = Query::new("über");
        let chars: Vec<char> = papers[0].title.chars().collect();
        let hit: String = q.positions(&papers[0]).iter().map(|&i| chars[i]).collect();
        assert_eq!(hit, "Über");
        assert_eq!(fold("İSTANBUL").chars().count(), "İSTANBUL".chars().count());
    }

    #[test]
    fn non_matching_papers_are_dropped() {
        let papers = papers(&["Mamba YOLO", "Diffusion"]);
        assert_eq!(Query::new("zzz").rank(&papers, 0..2), Vec::<usize>::new());
        assert_eq!(Query::new("dfsn").rank(&papers, 0..2), [1]);
    }

    #[test]
    fn ranking_on_every_core_gives_what_one_thread_gives() {
        let d = parse_text(BUILT_IN_NAME, BUILT_IN).unwrap();
        // Enough papers for the threads to start, with many equal scores (copies of the same titles).
        let papers: Vec<Paper> = (0..PARALLEL_FROM * 2)
            .map(|i| Paper::new(d.papers[i % d.papers.len()].title.clone(), String::new(), i))
            .collect();
        for text in ["mamba", "deep learning", "e", "Survey", "zzzz"] {
            let q = Query::new(text);
            let mut one: Vec<(i64, usize)> =
                (0..papers.len()).filter_map(|i| q.score(&papers[i]).map(|s| (s, i))).collect();
            one.sort_by_key(|&(s, _)| std::cmp::Reverse(s));
            let one: Vec<usize> = one.into_iter().map(|(_, i)| i).collect();
            assert_eq!(q.rank(&papers, 0..papers.len()), one, "{text}");
        }
    }
}
