//! fzf as a peer of the whole `papers list --search`, and the matchers side by side on the same titles.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use papers::library::Library;
use papers::search::{Fields, Query, Within};
use papers::state::{Filter, MarkSet};

use super::{PEER_QUERIES, QUERIES};

/// fzf as a peer: `fzf --filter Q` over a file of the bare titles, against `papers list --search Q` over
/// the digest, both as whole processes (best of 3), and against the matching step alone.
pub(super) fn peer(path: &Path, dir: &Path) {
    if Command::new("fzf").arg("--version").stdout(Stdio::null()).status().is_err() {
        println!("fzf peer: fzf is not installed (Debian package fzf); skipped");
        return;
    }
    let library =
        Library::from_chunks(papers::digest::load(&papers::digest::Source::File(path.into())).expect("loads").chunks);
    let titles_path = dir.join("titles.txt");
    let mut titles = String::new();
    for paper in library.papers() {
        titles.push_str(paper.title());
        titles.push('\n');
    }
    std::fs::write(&titles_path, titles).expect("write titles");
    let state = dir.join("peer-state.json");
    // The two are run in turn, seven times each, so that both meet what else the machine runs; the best
    // run of each is kept.
    let run = |mut command: Command| -> (Duration, usize) {
        let started = Instant::now();
        let out = command.output().expect("runs");
        (started.elapsed(), out.stdout.iter().filter(|&&b| b == b'\n').count())
    };
    for query in PEER_QUERIES {
        let (mut fzf, mut ours) = ((Duration::MAX, 0), (Duration::MAX, 0));
        for _ in 0..7 {
            let mut c = Command::new("fzf");
            c.arg("--filter").arg(query).stdin(std::fs::File::open(&titles_path).expect("titles"));
            fzf = fzf.min(run(c));
            let mut c = Command::new(env!("CARGO_BIN_EXE_papers"));
            c.arg("list").arg("--state").arg(&state).arg("--search").arg(query).arg(path);
            ours = ours.min(run(c));
        }
        let ((fzf, fzf_lines), (ours, our_lines)) = (fzf, ours);
        let mut matching = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            let never = AtomicBool::new(false);
            let ranked =
                Query::new(query).rank(library.titles(), &Within::From(0), Filter::All, &MarkSet::default(), &never);
            std::hint::black_box(ranked);
            matching.push(started.elapsed());
        }
        let matching = matching.into_iter().min().expect("runs");
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "peer {query:?}: fzf --filter {:.0} ms ({fzf_lines} lines), papers list --search {:.0} ms ({our_lines} lines): whole process {:.2}x fzf; matching alone {matching:.1?} = {:.2}x fzf",
            ms(fzf),
            ms(ours),
            ours.as_secs_f64() / fzf.as_secs_f64(),
            matching.as_secs_f64() / fzf.as_secs_f64()
        );
    }
}

/// The same titles scored by each matcher on one thread, every title scored; nanoseconds per title.
/// fuzzy-matcher's SkimMatcherV2 (the first matcher), nucleo-matcher (helix's) with the query parsed
/// into fzf-style terms and smart case, frizbee 0.13 as `search.rs` used it until issue 15, and papers'
/// own scoring (fzf's algorithm, folded, with its tiers) as the search threads run it.
pub(super) fn compare_matchers(library: &Library) {
    use fuzzy_matcher::FuzzyMatcher;
    use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
    use nucleo_matcher::{Config, Matcher, Utf32Str};
    let titles: Vec<&str> = library.papers().map(|p| p.title()).collect();
    let n = titles.len() as f64;
    let mut line = String::from("matchers, ns per title (one thread), fuzzy-matcher / nucleo / frizbee / papers:");
    let skim = fuzzy_matcher::skim::SkimMatcherV2::default();
    let mut nucleo = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    for query in QUERIES {
        let started = Instant::now();
        let skim_hits = titles.iter().filter(|t| skim.fuzzy_match(t, query).is_some()).count();
        let skim_ns = started.elapsed().as_nanos() as f64 / n;
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        let started = Instant::now();
        let nucleo_hits =
            titles.iter().filter(|t| pattern.score(Utf32Str::new(t, &mut buf), &mut nucleo).is_some()).count();
        let nucleo_ns = started.elapsed().as_nanos() as f64 / n;
        let mut frizbee = frizbee::Matcher::from_query(query, &frizbee::Config::default());
        let started = Instant::now();
        let frizbee_hits = titles.iter().filter(|t| frizbee.match_one(t, 0).is_some()).count();
        let frizbee_ns = started.elapsed().as_nanos() as f64 / n;
        let mut ours = Query::new(query).matcher();
        let started = Instant::now();
        let our_hits = titles.iter().filter(|t| ours.rank_key(t, Fields::default).is_some()).count();
        let our_ns = started.elapsed().as_nanos() as f64 / n;
        let _ = write!(line, " {query:?} {skim_ns:.0} / {nucleo_ns:.0} / {frizbee_ns:.0} / {our_ns:.0}");
        let _ = write!(line, " ({skim_hits} / {nucleo_hits} / {frizbee_hits} / {our_hits} matches);");
    }
    println!("{}", line.trim_end_matches(';'));
}
