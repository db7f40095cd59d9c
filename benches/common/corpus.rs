//! The generated digests of the benchmarks: papers that read like real ones, made from the built-in
//! digest's own title words and abstract sentences with a fixed-seed generator.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use papers::digest::{BUILT_IN, parse_text};

/// The words and sentences of the built-in digest, to recombine into papers that read like real ones.
pub struct Corpus {
    title_words: Vec<String>,
    sentences: Vec<String>,
}

impl Corpus {
    pub fn from_built_in() -> Self {
        let digest = parse_text("built-in", BUILT_IN).expect("the built-in digest parses");
        let mut title_words: Vec<String> =
            // Without a final full stop, so that no title reads as prose (see the digest format).
            digest.papers().flat_map(|p| p.title().split_whitespace().map(|w| w.trim_end_matches('.').to_string())).collect();
        title_words.sort();
        title_words.dedup();
        let sentences: Vec<String> = digest
            .papers()
            .flat_map(|p| p.abstract_text().split_inclusive(". ").map(|s| s.trim().to_string()))
            .filter(|s| s.len() > 20)
            .collect();
        Corpus { title_words, sentences }
    }

    /// A digest of `n` papers: a header, then titles of 6 to 13 words (unique: the paper's number is in
    /// it) and abstracts of 5 to 9 sentences, chosen by a fixed-seed generator.
    pub fn digest(&self, n: usize) -> Vec<u8> {
        let mut random = Random(0x9e37_79b9_7f4a_7c15);
        let mut out = String::from("new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nMar 14\n\n");
        for i in 0..n {
            let words = 6 + random.below(8);
            let mut title: Vec<&str> = (0..words).map(|_| random.pick(&self.title_words)).collect();
            let number = format!("{i}");
            let at = random.below(title.len());
            title.insert(at, &number);
            out.push_str(&title.join(" "));
            out.push_str("\n\n");
            let sentences = 5 + random.below(5);
            let text: Vec<&str> = (0..sentences).map(|_| random.pick(&self.sentences)).collect();
            out.push_str(&text.join(" "));
            out.push_str("\n\n\n");
        }
        out.into_bytes()
    }

    /// The papers of `digest(n)` as arXiv metadata snapshot lines: an id, authors, categories, versions,
    /// the title and abstract wrapped over lines the way arXiv's are.
    pub fn jsonl(&self, n: usize) -> Vec<u8> {
        let digest = self.digest(n);
        let text = String::from_utf8_lossy(&digest);
        let mut out = String::new();
        let paragraphs = text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).skip(4);
        let papers: Vec<&str> = paragraphs.collect();
        for (i, pair) in papers.chunks_exact(2).enumerate() {
            let wrap = |text: &str, indent: &str| {
                let mut wrapped = String::from(indent);
                for (k, word) in text.split(' ').enumerate() {
                    if k > 0 {
                        wrapped.push_str(if k % 11 == 0 { "\n" } else { " " });
                    }
                    wrapped.push_str(word);
                }
                wrapped
            };
            let line = serde_json::json!({
                "id": format!("{:04}.{:05}", 2400 + i / 100_000, i % 100_000),
                "submitter": "A. Author",
                "authors": "A. One, B. Two and C. Three",
                "title": wrap(pair[0], ""),
                "comments": "12 pages",
                "journal-ref": null,
                "doi": null,
                "categories": "cs.LG stat.ML",
                "abstract": wrap(pair[1], "  ") + "\n",
                "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
                "update_date": "2008-11-13",
                "authors_parsed": [["One", "A.", ""], ["Two", "B.", ""], ["Three", "C.", ""]],
            });
            out.push_str(&line.to_string());
            out.push('\n');
        }
        out.into_bytes()
    }
}

/// xorshift64: small, fast, and the same digest every run.
pub struct Random(pub u64);

impl Random {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &'a [String]) -> &'a str {
        &items[self.below(items.len())]
    }
}
