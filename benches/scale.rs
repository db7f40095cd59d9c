//! How the reader scales from one day's digest to an arXiv category: parsing, searching as a query is typed,
//! drawing a frame, memory per paper, the matchers side by side, and fzf as a peer, on digests generated
//! here from the built-in one. How its ranking agrees with fzf's is `benches/ranking.rs`.
//!
//! `cargo bench --bench scale` runs 1,000 and 100,000 papers; `cargo bench --bench scale -- 1000000` (or
//! any sizes) runs others; `-- matchers SIZES` only compares the matchers, `-- peer SIZES` only fzf, `-- reader
//! SIZES` only the reader (typing, frames, loading, memory), `-- keystrokes SIZES [q=QUERY...]` only the
//! search of each typed prefix, `-- parse SIZES` only parsing (and checks that every generated paper is
//! listed, no more), `-- filters SIZES [starred] [refined] [rounds=N]` only the reader typing queries with
//! filters over papers with categories and authors (`starred`: with a star made first; `refined`: each key
//! also waits for the first thousand results in exact order; `rounds=N`: the queries typed N times over,
//! the percentiles of every key typed and of each round), `-- typed SIZES [q=QUERY...] [reps=N]`
//! only the search thread's part of typing, N times over (to count its instructions, run under
//! `valgrind --tool=callgrind` with two numbers of repeats: the difference is the typing alone).
//! Digests are generated into a temporary directory at run time, never committed. The fzf comparison
//! runs when `fzf` is installed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use papers::digest::parse_text;
use papers::library::Library;
use papers::search::Kept;

#[path = "common/corpus.rs"]
mod corpus;
// Its own run of the filtered queries belongs to the ranking bench; here its library alone is used
// (the file allows what is left unused).
#[path = "common/filtered.rs"]
mod filtered;
use corpus::{Corpus, Random};

#[path = "scale/peers.rs"]
mod peers;
#[path = "scale/reader.rs"]
mod reader;
#[path = "scale/search.rs"]
mod search;
use peers::{compare_matchers, peer};
use reader::{bench_size, load_and_report, typed_filters};
use search::{keystrokes, typed};

/// Queries typed one character at a time: each prefix is one keystroke. They include ones that match
/// almost every title ("e", "a n") and ones that narrow fast.
const QUERIES: [&str; 6] = ["transformer", "mamba", "deep learning", "graph", "e", "a n"];

/// Queries for the peer comparison with fzf: one term, two terms, one letter.
const PEER_QUERIES: [&str; 4] = ["transformer", "deep learning", "mamba", "e"];

const WAIT: Duration = Duration::from_secs(600);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let [flag, path] = args.as_slice()
        && flag == "--load"
    {
        return load_and_report(path);
    }
    // `--write N FILE`: keeps a generated digest, to profile or time by hand.
    if let [flag, n, path] = args.as_slice()
        && flag == "--write"
    {
        let n: usize = n.parse().expect("a number of papers");
        std::fs::write(path, Corpus::from_built_in().digest(n)).expect("write digest");
        return;
    }
    let matchers_only = args.iter().any(|a| a == "matchers");
    let peer_only = args.iter().any(|a| a == "peer");
    let reader_only = args.iter().any(|a| a == "reader");
    // `filters N`: the reader typing queries with filters, over N papers with categories and authors;
    // `starred`: with a paper starred in the session first, as a reader's marks change as they read.
    if args.iter().any(|a| a == "filters") {
        let starred = args.iter().any(|a| a == "starred");
        let refined = args.iter().any(|a| a == "refined");
        let rounds = args.iter().find_map(|a| a.strip_prefix("rounds=")?.parse().ok()).unwrap_or(1);
        for n in args.iter().filter_map(|a| a.parse().ok()) {
            typed_filters(n, starred, refined, rounds);
        }
        return;
    }
    // `jsonl N`: only loading N papers of a JSON Lines snapshot, their authors as many and as skewed
    // as arXiv's (see `filtered::author`).
    if args.iter().any(|a| a == "jsonl") {
        for n in args.iter().filter_map(|a| a.parse().ok()) {
            let text = String::from_utf8(Corpus::from_built_in().jsonl(n)).expect("JSON is UTF-8");
            let mut random = Random(0x2545_f491_4f6c_dd1d);
            let mut out = String::with_capacity(text.len() + text.len() / 8);
            for line in text.lines() {
                let names: Vec<String> = (0..1 + random.below(7)).map(|_| filtered::author(&mut random, n)).collect();
                let line = line.replace("A. One, B. Two and C. Three", &names.join(", "));
                out.push_str(&line.replace(
                    r#""authors_parsed":[["One","A.",""],["Two","B.",""],["Three","C.",""]]"#,
                    r#""authors_parsed":[]"#,
                ));
                out.push('\n');
            }
            println!("\n## {n} papers of JSON Lines, with authors");
            parse_jsonl(out.as_bytes());
        }
        return;
    }
    let keystrokes_only = args.iter().any(|a| a == "keystrokes");
    let typed_only = args.iter().any(|a| a == "typed");
    let parse_only = args.iter().any(|a| a == "parse");
    let sizes: Vec<usize> = match args.iter().filter_map(|a| a.parse().ok()).collect::<Vec<_>>() {
        sizes if sizes.is_empty() => vec![1_000, 100_000],
        sizes => sizes,
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = Corpus::from_built_in();
    for n in sizes {
        let path = dir.path().join(format!("digest-{n}.txt"));
        let started = Instant::now();
        let bytes = corpus.digest(n);
        std::fs::write(&path, &bytes).expect("write digest");
        println!("\n## {n} papers ({:.1} MB, generated in {:.1?})", mb(bytes.len()), started.elapsed());
        if peer_only {
            drop(bytes);
            peer(&path, dir.path());
            continue;
        }
        if reader_only {
            drop(bytes);
            bench_size(&path);
            continue;
        }
        if keystrokes_only || typed_only {
            // `filtered`: the papers of the filters' bench (categories, authors, identifiers) instead.
            let library = if args.iter().any(|a| a == "filtered") {
                filtered::library(n).0
            } else {
                Library::from_chunks(parse_text("bench.txt", &bytes).expect("parses").chunks)
            };
            drop(bytes);
            let queries: Vec<&str> = args.iter().filter_map(|a| a.strip_prefix("q=")).collect();
            let queries = if queries.is_empty() { &QUERIES[..] } else { &queries[..] };
            if typed_only {
                let reps = args.iter().find_map(|a| a.strip_prefix("reps=")?.parse().ok()).unwrap_or(1);
                // As the reader does when loading ends, before a key is typed.
                let mut kept = Kept::default();
                kept.keep_up(library.titles());
                typed(&library, queries, reps, &mut kept);
            } else {
                keystrokes(&library, queries);
            }
            continue;
        }
        let library = parse(&bytes);
        if parse_only {
            assert_eq!(library.len(), n, "papers listed for {n} generated");
            continue;
        }
        compare_matchers(&library);
        if matchers_only {
            continue;
        }
        drop(library);
        parse_jsonl(&corpus.jsonl(n));
        drop(bytes);
        bench_size(&path);
        peer(&path, dir.path());
    }
}

/// Parse: the text to papers (titles copied together, abstracts located, not copied), then the library
/// (keys, dedupe). Timed from blocks cut as the reading thread cuts a file (titles indexed: the bytes are
/// where a read put them), and again from one buffer, which includes copying it into those blocks (what
/// the kernel does when the reader reads a file: new memory, faulted in and filled).
fn parse(bytes: &[u8]) -> Library {
    let runs = if bytes.len() > 50_000_000 { 3 } else { 5 };
    let (mut from_blocks, mut with_copy) = (Vec::new(), Vec::new());
    let mut library = None;
    for _ in 0..runs {
        drop(library.take());
        let started = Instant::now();
        drop(Library::from_chunks(parse_text("bench.txt", bytes).expect("parses").chunks));
        with_copy.push(started.elapsed());
        let blocks = papers::digest::cut_into_blocks(bytes);
        let started = Instant::now();
        let lib =
            Library::from_chunks(papers::digest::parse_blocks("bench.txt", bytes, blocks).expect("parses").chunks);
        from_blocks.push(started.elapsed());
        library = Some(lib);
    }
    let library = library.expect("at least one run");
    let best = *from_blocks.iter().min().expect("runs");
    let best_with_copy = *with_copy.iter().min().expect("runs");
    let (text, overhead) = library.memory();
    println!(
        "parse + library: best {best:.1?} of {runs} = {:.0} MB/s from blocks in memory, {:.0} MB/s with the copy into them ({} papers; text {:.1} MB + {:.0} bytes a paper)",
        mb(bytes.len()) / best.as_secs_f64(),
        mb(bytes.len()) / best_with_copy.as_secs_f64(),
        library.len(),
        mb(text),
        overhead as f64 / library.len() as f64
    );
    library
}

/// Parse the same papers in the arXiv metadata snapshot's format (JSON Lines, titles and abstracts
/// wrapped as arXiv wraps them): each paper's fields are unescaped and cleaned into strings of their own.
fn parse_jsonl(bytes: &[u8]) {
    let started = Instant::now();
    let library = Library::from_chunks(parse_text("bench.jsonl", bytes).expect("parses").chunks);
    let took = started.elapsed();
    let (text, overhead) = library.memory();
    println!(
        "parse JSON Lines + library: {took:.1?} = {:.0} MB/s ({} papers, {:.1} MB of JSON; {:.0} bytes a paper held)",
        mb(bytes.len()) / took.as_secs_f64(),
        library.len(),
        mb(bytes.len()),
        (text + overhead) as f64 / library.len() as f64
    );
}

fn percentiles(times: &mut [Duration]) -> (Duration, Duration, Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95), at(1.0))
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}
