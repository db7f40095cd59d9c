//! How the reader's ranking agrees with fzf's, the ranking its users trust: queries made from the titles
//! of the built-in digest and of generated titles, ranked by each candidate scorer and by `fzf --filter`.
//!
//! `cargo bench --bench ranking` (needs Debian's fzf; says so and stops without it); `-- N` generates N
//! titles instead of 10,000. For each scorer it prints, per query set: top-1 agreement (the first title
//! is fzf's first), top-5 agreement (the first five are fzf's first five, in order), the queries where a
//! title holding every term whole at a word start ranks below one holding no term contiguously (an
//! inversion), and nanoseconds a title (one thread, every title scored).
//!
//! `cargo bench --bench ranking -- filters N` (fzf not needed) measures instead what filters in a query
//! cost: N generated papers (100,000 unless told) with categories, authors, abstracts and marks, plain
//! and filtered queries each ranked as the reader ranks them (see `common/filtered.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::fmt::Write as _;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use papers::digest::{BUILT_IN, parse_text};
use papers::library::Library;
use papers::search::{Fields, Query, Within, fold};
use papers::state::{Filter, MarkSet};

#[path = "common/corpus.rs"]
mod corpus;
use corpus::{Corpus, Random};
#[path = "common/filtered.rs"]
mod filtered;

/// What a query was made from, as the issue lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Made {
    Word,
    Prefix,
    Acronym,
    TwoWords,
    Typo,
}

const KINDS: [Made; 5] = [Made::Word, Made::Prefix, Made::Acronym, Made::TwoWords, Made::Typo];

/// A scorer: the titles ranked for a query, as indices, best first.
type Ranker = fn(&Candidates, &str) -> Vec<usize>;

/// The titles, and the library made of them, as each scorer wants them.
struct Candidates {
    titles: Vec<String>,
    library: Library,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if args.iter().any(|a| a == "filters") {
        return filtered::run(args.iter().find_map(|a| a.parse().ok()).unwrap_or(100_000), 15);
    }
    let generated: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(10_000);
    if Command::new("fzf").arg("--version").stdout(Stdio::null()).status().is_err() {
        println!("ranking: fzf is not installed (Debian package fzf): nothing to agree with, so nothing measured");
        return;
    }
    let fzf_version = Command::new("fzf").arg("--version").output().expect("fzf runs").stdout;
    println!("reference: fzf {}", String::from_utf8_lossy(&fzf_version).trim());
    let built_in: Vec<String> =
        parse_text("built-in", BUILT_IN).expect("parses").papers().map(|p| p.title().to_string()).collect();
    let corpus = Corpus::from_built_in();
    let digest = corpus.digest(generated);
    let many: Vec<String> =
        parse_text("generated", &digest).expect("parses").papers().map(|p| p.title().to_string()).collect();
    let scorers: [(&str, Ranker); 5] = [
        ("papers: fzf's algorithm, folded", papers_rank),
        ("frizbee 0.13 as before", frizbee_as_before),
        ("frizbee 0.13, fzf-like weights, shorter first", frizbee_tuned),
        ("nucleo-matcher 0.3, shorter first", nucleo_rank),
        ("frizbee, then fzf's scoring for the first 64", two_stages),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, titles, per_kind) in [("built-in digest", built_in, 30), ("generated", many, 100)] {
        let queries = make_queries(&titles, per_kind);
        let path = dir.path().join("titles.txt");
        std::fs::write(&path, titles.join("\n") + "\n").expect("write titles");
        let reference: Vec<Vec<String>> = queries.iter().map(|(_, q)| fzf_filter(&path, q)).collect();
        let candidates = Candidates { library: Library::from_papers(titles.iter().map(|t| (t.clone(), ""))), titles };
        let counts: Vec<String> =
            KINDS.iter().map(|k| format!("{k:?} {}", queries.iter().filter(|q| q.0 == *k).count())).collect();
        let empty = reference.iter().filter(|r| r.is_empty()).count();
        println!(
            "\n## {name}: {} titles, {} queries ({}); fzf finds nothing for {empty} (typos)",
            candidates.titles.len(),
            queries.len(),
            counts.join(", ")
        );
        println!("| scorer | top-1 | top-5 | inversions | ns a title |");
        println!("|---|---|---|---|---|");
        for (n, (label, rank)) in scorers.into_iter().enumerate() {
            // SAFETY-free toggle for reading inversions of the first scorer only.
            if n > 0 {
                unsafe_free_toggle();
            }
            report(label, rank, &candidates, &queries, &reference);
        }
        misses(papers_rank, &candidates, &queries, &reference);
        QUIET.store(false, std::sync::atomic::Ordering::Relaxed);
    }
}

fn unsafe_free_toggle() {
    // Only the first scorer's inversions are shown.
    if std::env::var("SHOW").is_ok() {
        // SAFETY: not used; set_var is unsafe in 2024, so use a static instead.
    }
    QUIET.store(true, std::sync::atomic::Ordering::Relaxed);
}
static QUIET: AtomicBool = AtomicBool::new(false);

/// One scorer's row: agreement with fzf where fzf finds something, inversions, speed.
fn report(label: &str, rank: Ranker, c: &Candidates, queries: &[(Made, String)], reference: &[Vec<String>]) {
    let (mut top1, mut top5, mut compared, mut inversions) = (0, 0, 0, 0);
    let mut found_for_typos = (0, 0);
    for ((made, query), fzf) in queries.iter().zip(reference) {
        let ranked = rank(c, query);
        let ours: Vec<&str> = ranked.iter().take(5).map(|&i| c.titles[i].as_str()).collect();
        if fzf.is_empty() {
            found_for_typos.1 += 1;
            found_for_typos.0 += usize::from(!ours.is_empty());
            continue;
        }
        compared += 1;
        top1 += usize::from(ours.first().copied() == fzf.first().map(String::as_str));
        top5 += usize::from(ours.iter().zip(fzf).all(|(a, b)| a == b) && ours.len() == fzf.len().min(5));
        if *made != Made::Typo && inverted(c, query, &ranked) {
            inversions += 1;
        }
    }
    let started = Instant::now();
    let rounds = 3;
    for _ in 0..rounds {
        for (_, query) in queries.iter().take(50) {
            std::hint::black_box(rank(c, query));
        }
    }
    let ns = started.elapsed().as_nanos() as f64 / (rounds * queries.len().min(50) * c.titles.len()) as f64;
    let pct = |n: usize| 100.0 * n as f64 / compared.max(1) as f64;
    println!("| {label} | {:.1}% ({top1}/{compared}) | {:.1}% | {inversions} | {ns:.0} |", pct(top1), pct(top5));
    if found_for_typos.1 > 0 && found_for_typos.0 > 0 {
        println!(
            "|  (where fzf finds nothing, it finds something for {} of {}) | | | | |",
            found_for_typos.0, found_for_typos.1
        );
    }
}

/// The queries where papers' first title is not fzf's, to read.
fn misses(rank: Ranker, c: &Candidates, queries: &[(Made, String)], reference: &[Vec<String>]) {
    let mut out = String::new();
    for ((_, query), fzf) in queries.iter().zip(reference) {
        let ranked = rank(c, query);
        let first = ranked.first().map(|&i| c.titles[i].as_str());
        if let Some(theirs) = fzf.first()
            && first != Some(theirs.as_str())
        {
            let _ = writeln!(out, "  {query:?}: papers {first:?}, fzf {theirs:?}");
        }
    }
    if !out.is_empty() {
        print!("papers' first title differs from fzf's:\n{out}");
    }
}

/// True when a title holding no term contiguously ranks above one holding every term at a word start.
fn inverted(c: &Candidates, query: &str, ranked: &[usize]) -> bool {
    let terms: Vec<String> = query.split_whitespace().map(|t| fold(t).to_lowercase()).collect();
    let mut first_scattered = None;
    for (place, &i) in ranked.iter().enumerate() {
        let title = fold(&c.titles[i]).to_lowercase();
        if terms.iter().all(|t| at_word_start(&title, t)) {
            if let Some(s) = first_scattered {
                if std::env::var("SHOW").is_ok() && !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
                    eprintln!("INV {query:?}: {:?} at {s} above {:?} at {place}", c.titles[ranked[s]], c.titles[i]);
                }
                return true;
            }
        } else if first_scattered.is_none() && terms.iter().all(|t| !title.contains(t.as_str())) {
            first_scattered = Some(place);
        }
    }
    false
}

fn at_word_start(title: &str, term: &str) -> bool {
    title.match_indices(term).any(|(at, _)| !title[..at].chars().next_back().is_some_and(char::is_alphanumeric))
}

/// `fzf --filter QUERY` over the titles: its ranking, first five lines.
fn fzf_filter(titles: &std::path::Path, query: &str) -> Vec<String> {
    let out = Command::new("fzf")
        .arg("--filter")
        .arg(query)
        .stdin(std::fs::File::open(titles).expect("titles"))
        .output()
        .expect("fzf runs");
    String::from_utf8_lossy(&out.stdout).lines().take(5).map(str::to_string).collect()
}

/// Queries made from `titles` with a fixed seed: `per_kind` of each kind, each different.
fn make_queries(titles: &[String], per_kind: usize) -> Vec<(Made, String)> {
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let mut seen = HashSet::new();
    let mut queries = Vec::new();
    for kind in KINDS {
        let mut made = 0;
        for _ in 0..per_kind * 50 {
            if made == per_kind {
                break;
            }
            let title = &titles[random.below(titles.len())];
            let words: Vec<&str> = title
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                .filter(|w| w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
                .collect();
            if words.is_empty() {
                continue;
            }
            let word = words[random.below(words.len())];
            let query = match kind {
                Made::Word if word.chars().count() >= 4 => word.to_lowercase(),
                Made::Prefix if word.chars().count() >= 5 => word.chars().take(3).collect::<String>().to_lowercase(),
                Made::Acronym
                    if (2..=6).contains(&word.len()) && word.chars().filter(char::is_ascii_uppercase).count() >= 2 =>
                {
                    word.to_lowercase()
                }
                Made::TwoWords if words.len() >= 2 => {
                    let at = random.below(words.len() - 1);
                    format!("{} {}", words[at], words[at + 1]).to_lowercase()
                }
                Made::Typo if word.is_ascii() && word.len() >= 6 => {
                    // Two letters swapped inside the word.
                    let mut bytes = word.to_lowercase().into_bytes();
                    let at = 1 + random.below(bytes.len() - 3);
                    bytes.swap(at, at + 1);
                    String::from_utf8(bytes).expect("ASCII")
                }
                _ => continue,
            };
            if seen.insert(query.clone()) {
                queries.push((kind, query));
                made += 1;
            }
        }
    }
    queries
}

fn papers_rank(c: &Candidates, query: &str) -> Vec<usize> {
    let never = AtomicBool::new(false);
    let ranked = Query::new(query).rank(c.library.titles(), &Within::From(0), Filter::All, &MarkSet::default(), &never);
    ranked.expect("not cancelled").order.into_iter().map(|i| i as usize).collect()
}

/// Orders (score, index) pairs best first; with `shorter_first`, equal scores by title length first.
fn order(c: &Candidates, mut hits: Vec<(u32, usize)>, shorter_first: bool) -> Vec<usize> {
    let length = |i: usize| if shorter_first { c.titles[i].chars().count() } else { 0 };
    hits.sort_by_key(|&(score, i)| (std::cmp::Reverse(score), length(i), i));
    hits.into_iter().map(|h| h.1).collect()
}

fn frizbee_with(c: &Candidates, query: &str, config: &frizbee::Config, shorter_first: bool) -> Vec<usize> {
    let mut matcher = frizbee::Matcher::from_query(query, config);
    let hits = c
        .titles
        .iter()
        .enumerate()
        .filter_map(|(i, t)| matcher.match_one(t, 0).map(|m| (u32::from(m.score), i)))
        .collect();
    order(c, hits, shorter_first)
}

fn frizbee_as_before(c: &Candidates, query: &str) -> Vec<usize> {
    frizbee_with(c, query, &frizbee::Config::default(), false)
}

/// frizbee's weights moved towards fzf's: fzf's match score and gap penalties, a word boundary worth
/// what fzf gives one, and the tie-break by length.
fn frizbee_tuned(c: &Candidates, query: &str) -> Vec<usize> {
    let scoring = frizbee::Scoring {
        match_score: 16,
        gap_open_penalty: 3,
        gap_extend_penalty: 1,
        prefix_bonus: 20,
        delimiter_bonus: 10,
        capitalization_bonus: 7,
        matching_case_bonus: 0,
        exact_match_bonus: 0,
        ..frizbee::Scoring::default()
    };
    frizbee_with(c, query, &frizbee::Config::default().scoring(scoring), true)
}

fn nucleo_rank(c: &Candidates, query: &str) -> Vec<usize> {
    use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
    use nucleo_matcher::{Config, Matcher, Utf32Str};
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let hits = c
        .titles
        .iter()
        .enumerate()
        .filter_map(|(i, t)| pattern.score(Utf32Str::new(t, &mut buf), &mut matcher).map(|s| (s, i)))
        .collect();
    order(c, hits, true)
}

/// frizbee ranks every title; the first screen (64) is ranked again with papers' own scoring.
fn two_stages(c: &Candidates, query: &str) -> Vec<usize> {
    let mut ranked = frizbee_as_before(c, query);
    let screen = ranked.len().min(64);
    let mut matcher = Query::new(query).matcher();
    let mut keyed: Vec<(u32, usize)> =
        ranked[..screen].iter().map(|&i| (matcher.rank_key(&c.titles[i], Fields::default).unwrap_or(0), i)).collect();
    keyed.sort_by_key(|&(key, i)| (std::cmp::Reverse(key), i));
    for (slot, (_, i)) in ranked.iter_mut().zip(keyed) {
        *slot = i;
    }
    ranked
}
