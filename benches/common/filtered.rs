//! The cost of filters in a query: a library of generated papers with categories, authors, abstracts and
//! marks, each query ranked as the reader ranks it (`Query::rank_first`, all cores) several times.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use papers::digest::parse_text;
use papers::library::{Chunk, Library, Meta, Origin, PaperKey, Record};
use papers::search::{Query, Within};
use papers::state::{Filter, Ledger, MarkSet, Marks};

use super::corpus::{Corpus, Random};

const CATEGORIES: [&str; 8] = ["cs.CL", "cs.LG", "cs.CV", "cs.AI", "stat.ML", "math.OC", "q-bio.BM", "physics.optics"];
const AUTHORS: [&str; 10] = [
    "Wei Li",
    "Yan Li",
    "Anna Smith",
    "Bo Chen",
    "Carla Diaz",
    "Jun Wang",
    "Maria Rossi",
    "Li Zhang",
    "Omar Haddad",
    "Eva Novak",
];

/// First names and the syllables of last names for the authors past `AUTHORS`.
const FIRST: [&str; 24] = [
    "Ana", "Ben", "Chen", "Dmitri", "Elif", "Farah", "Gita", "Hiro", "Ines", "Jonas", "Kofi", "Lena", "Mei", "Nikhil",
    "Olga", "Paulo", "Qi", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Yusuf",
];
const SYLLABLES: [&str; 20] = [
    "ba", "ko", "ri", "tan", "mel", "sho", "vic", "lu", "den", "ga", "pe", "rov", "zu", "hal", "mi", "son", "ter",
    "wa", "ne", "dri",
];

/// An author of one of `n` papers: arXiv names recur, a few (the common ones, `AUTHORS`) on thousands
/// of papers and most on a few, so an author is drawn from `n / 2` names, name `k` about as often as
/// `1 / sqrt(k)`: some eight papers a name, the first on thousands at a million papers.
pub fn author(random: &mut Random, n: usize) -> String {
    let names = (n / 2).max(AUTHORS.len()) as f64;
    let at = random.below(1 << 30) as f64 / (1u64 << 30) as f64;
    let k = (names * at * at) as usize;
    if let Some(name) = AUTHORS.get(k) {
        return name.to_string();
    }
    let (first, mut rest) = (FIRST[k % FIRST.len()], k / FIRST.len());
    let mut last = String::new();
    while rest > 0 || last.is_empty() {
        last.push_str(SYLLABLES[rest % SYLLABLES.len()]);
        rest /= SYLLABLES.len();
    }
    last[..1].make_ascii_uppercase();
    format!("{first} {last}")
}

/// Plain title queries first (what the reader ranked before filters), then the same words with filters.
pub const QUERIES: [&str; 10] = [
    "learning",
    "diffusion model",
    "cat:cs.CL learning",
    "author:li NOT is:read diffusion",
    "cat:cs is:unread",
    "abstract:attention",
    "abstract:attention learning",
    "learning OR diffusion",
    "\"language model\" cat:cs.CL",
    "(cat:cs.CL OR cat:cs.AI) NOT is:read learning",
];

/// `n` generated papers, each with one to three categories and one to seven authors, and marks on a
/// third of them (a tenth starred).
pub fn library(n: usize) -> (Library, MarkSet) {
    let digest = Corpus::from_built_in().digest(n);
    let parsed = parse_text("generated", &digest).expect("parses");
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let origin = Arc::new(Origin::default());
    // Chunks of a thousand papers, about what the reader makes of each MiB of a JSON Lines snapshot.
    let (mut chunks, mut chunk) = (Vec::new(), Chunk::new(Arc::clone(&origin), String::new()));
    let mut marks = BTreeMap::new();
    for (i, paper) in parsed.papers().enumerate() {
        let pick = |random: &mut Random, from: &[&str], most: usize| {
            let mut picked: Vec<String> =
                (0..1 + random.below(most)).map(|_| from[random.below(from.len())].to_string()).collect();
            picked.dedup();
            picked
        };
        let id = format!("{:04}.{:05}", 2400 + i / 100_000, i % 100_000);
        let meta = Meta {
            arxiv_id: Some(id.clone()),
            categories: pick(&mut random, &CATEGORIES, 3),
            authors: (0..1 + random.below(7)).map(|_| author(&mut random, n)).collect(),
            ..Meta::default()
        };
        if random.below(3) == 0 {
            let marks_of = Marks { read: true, starred: random.below(10) == 0, changed: 1, ..Marks::default() };
            marks.insert(PaperKey::from_arxiv_id(&id), marks_of);
        }
        let (title, abstract_text) = (paper.title().to_string(), paper.abstract_text().to_string());
        chunk.push_record(Record { title, abstract_text, line: i + 1, meta });
        if (i + 1) % 1000 == 0 {
            chunks.push(std::mem::replace(&mut chunk, Chunk::new(Arc::clone(&origin), String::new())));
        }
    }
    if !chunk.is_empty() {
        chunks.push(chunk);
    }
    (Library::from_chunks(chunks), MarkSet::from_ledger(&Ledger::new(marks)))
}

/// Ranks each query `runs` times over `n` papers, printing the matches and min / median / max ms.
pub fn run(n: usize, runs: usize) {
    let started = Instant::now();
    let (library, marks) = library(n);
    println!(
        "filters: {n} papers with categories, authors, abstracts, marks made in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!("| query | matches | min / median / max ms ({runs} runs, rank_first) |");
    println!("|---|---|---|");
    let never = AtomicBool::new(false);
    for text in QUERIES {
        let query = Query::parse(text).expect("the bench's queries parse");
        let mut times = Vec::with_capacity(runs);
        let mut matches = 0;
        for _ in 0..runs {
            let start = Instant::now();
            let ranked =
                query.rank_first(library.titles(), &Within::From(0), Filter::All, &marks, &never).expect("runs");
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            matches = ranked.order.len();
        }
        times.sort_by(f64::total_cmp);
        println!("| `{text}` | {matches} | {:.1} / {:.1} / {:.1} |", times[0], times[runs / 2], times[runs - 1]);
    }
}
