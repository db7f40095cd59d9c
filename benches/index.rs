//! The full-text index at scale, against the targets of issue 18: building it in the background as the
//! reader does, its size, a text query and similar papers to their results on screen, adding a day, the
//! first frame of a reader whose index is up to date, and title search while the index is built.
//!
//! `cargo bench --bench index` runs 1,000 and 100,000 papers; `cargo bench --bench index -- 1000000` (or
//! any sizes) others. Digests are generated as `benches/scale.rs` makes them, into a temporary directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};
use papers::action::Action;
use papers::app::{App, Msg};
use papers::library::{Chunk, Library, Origin};
use papers::state::Store;
use papers::ui::{self, ViewState};
use papers::work::Workers;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "common/corpus.rs"]
mod corpus;
use corpus::Corpus;

const WAIT: Duration = Duration::from_secs(3600);

/// Text queries: one word, two, a phrase, a word and an exclusion, a word in most papers.
const QUERIES: [&str; 6] =
    ["transformer", "deep learning", "\"neural networks\"", "attention -vision", "model", "convolutional"];

/// Title queries typed while the index is being built.
const TITLE_QUERIES: [&str; 3] = ["transformer", "mamba", "deep learning"];

/// Papers in a day added to the index.
const DAY: usize = 100;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let [flag, path, index, with] = args.as_slice()
        && flag == "--first-frame"
    {
        return first_frame(path, Path::new(index), with == "with");
    }
    let sizes: Vec<usize> = match args.iter().filter_map(|a| a.parse().ok()).collect::<Vec<_>>() {
        sizes if sizes.is_empty() => vec![1_000, 100_000],
        sizes => sizes,
    };
    let corpus = Corpus::from_built_in();
    for n in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(format!("digest-{n}.txt"));
        // The digest, and the days added after it (their papers are the last ones generated).
        let bytes = corpus.digest(n + 5 * DAY);
        let (digest, days) = split_days(&bytes, n);
        std::fs::write(&path, &digest).expect("write digest");
        println!("\n## {n} papers ({:.1} MB)", digest.len() as f64 / 1e6);
        bench_size(&path, dir.path(), days);
    }
}

/// The digest of the first `n` papers of `bytes`, and the rest as days of `DAY` papers.
fn split_days(bytes: &[u8], n: usize) -> (Vec<u8>, Vec<Chunk>) {
    let all = Library::from_chunks(papers::digest::parse_text("all.txt", bytes).expect("parses").chunks);
    let text = String::from_utf8_lossy(bytes);
    let title = all.get(n).title().to_string();
    let cut = text.find(&title).expect("the first paper of the days");
    let days = (n..all.len())
        .step_by(DAY)
        .map(|from| {
            let papers = (from..(from + DAY).min(all.len())).map(|i| {
                let p = all.get(i);
                (p.title().to_string(), p.abstract_text().to_string())
            });
            Chunk::from_papers(Origin { name: format!("day {from}"), ..Origin::default() }, papers)
        })
        .collect();
    (text[..cut].as_bytes().to_vec(), days)
}

fn typed(c: char) -> Action {
    Action::SearchInput(KeyEvent::from(KeyCode::Char(c)).into())
}

/// Waits (taking the workers' answers in) until `done` holds for the model.
fn wait_until(work: &mut Workers, app: &mut App, done: impl Fn(&App) -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done(app) {
        assert!(Instant::now() < deadline, "waited too long");
        work.settle(app, Duration::from_millis(5));
    }
}

fn bench_size(path: &Path, dir: &Path, days: Vec<Chunk>) {
    let library =
        Library::from_chunks(papers::digest::load(&papers::digest::Source::File(path.into())).expect("loads").chunks);
    let papers = library.len();
    let text: usize = library.papers().map(|p| p.title().len() + p.abstract_text().len()).sum();
    let index_dir = dir.join("index");
    let (store, _) = Store::open(&dir.join("state.json"));
    let mut app = App::new(library, &store);
    let mut work = Workers::start(store, Arc::new(|| {})).expect("threads").index_at(index_dir.clone());
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut view = ViewState::default();

    // Building: from the reader's start to every paper searchable, title search typed meanwhile.
    let started = Instant::now();
    wait_until(&mut work, &mut app, |app| app.indexing().is_some() || *app.index_state() != Default::default());
    let mut titles = Vec::new();
    for query in TITLE_QUERIES {
        if app.indexing().is_none() {
            break;
        }
        work.dispatch(&mut app, Action::ClearSearch);
        work.dispatch(&mut app, Action::FocusSearch);
        for c in query.chars() {
            let key = Instant::now();
            work.dispatch(&mut app, typed(c));
            work.settle(&mut app, WAIT);
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
            titles.push(key.elapsed());
        }
    }
    work.dispatch(&mut app, Action::ClearSearch);
    wait_until(&mut work, &mut app, |app| app.indexing().is_none());
    let built = started.elapsed();
    let size = dir_size(&index_dir);
    println!(
        "index {papers} papers in the background (1 indexing thread, the reader running): {:.1?} = {:.0} papers/s",
        built,
        papers as f64 / built.as_secs_f64()
    );
    println!(
        "index size: {:.1} MB for {:.1} MB of titles and abstracts = {:.2}x the text",
        size as f64 / 1e6,
        text as f64 / 1e6,
        size as f64 / text as f64
    );
    if !titles.is_empty() {
        let (p50, p95, max) = percentiles(&mut titles);
        println!(
            "title search while the index is built: results on screen p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?} ({} keys)",
            titles.len()
        );
    }

    // The same title queries with the index built and idle: what title search costs in a reader whose
    // index is up to date.
    let mut idle = Vec::new();
    for query in TITLE_QUERIES {
        work.dispatch(&mut app, Action::ClearSearch);
        work.dispatch(&mut app, Action::FocusSearch);
        for c in query.chars() {
            let key = Instant::now();
            work.dispatch(&mut app, typed(c));
            work.settle(&mut app, WAIT);
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
            idle.push(key.elapsed());
        }
    }
    let (p50, p95, max) = percentiles(&mut idle);
    println!("title search, the index up to date: results on screen p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?}");

    // Text queries typed one key at a time, each key's results waited for and drawn.
    let (mut keys, mut whole) = (Vec::new(), Vec::new());
    let mut counts = String::new();
    for query in QUERIES {
        work.dispatch(&mut app, Action::ClearSearch);
        work.dispatch(&mut app, Action::FocusSearch);
        work.dispatch(&mut app, typed('?'));
        work.settle(&mut app, WAIT);
        let at_start = Instant::now();
        for c in query.chars() {
            let key = Instant::now();
            work.dispatch(&mut app, typed(c));
            work.settle(&mut app, WAIT);
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
            keys.push(key.elapsed());
        }
        whole.push(at_start.elapsed() / query.len() as u32);
        counts.push_str(&format!(" {query:?}: {};", app.results().len()));
    }
    let (p50, p95, max) = percentiles(&mut keys);
    println!(
        "text query, each key to its results on screen: p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?} ({} keys; results shown, at most 500:{})",
        keys.len(),
        counts.trim_end_matches(';')
    );

    // Similar papers of papers spread over the library, from `m` to the list on screen.
    work.dispatch(&mut app, Action::ClearSearch);
    work.settle(&mut app, WAIT);
    let mut similar = Vec::new();
    for k in 0..20 {
        work.dispatch(&mut app, Action::Select(k * papers / 20));
        let key = Instant::now();
        work.dispatch(&mut app, Action::Similar);
        work.settle(&mut app, WAIT);
        terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
        similar.push(key.elapsed());
        assert!(app.similar_to().is_some(), "similar papers found");
        work.dispatch(&mut app, Action::LeaveSimilar);
    }
    let (p50, p95, max) = percentiles(&mut similar);
    println!("similar papers (m) to the list on screen: p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?} (20 papers)");

    // A day of new papers arriving (as `R` brings them): from their arrival to all searchable.
    let mut added = Vec::new();
    for day in days {
        let started = Instant::now();
        work.dispatch(&mut app, Msg::Arrived(vec![day]));
        wait_until(&mut work, &mut app, |app| app.indexing().is_none());
        added.push(started.elapsed());
    }
    let (p50, _, max) = percentiles(&mut added);
    println!(
        "a day of {DAY} new papers added to the index, to searchable: p50 {p50:.1?}, max {max:.1?} ({} days)",
        added.len()
    );
    drop(app);
    drop(work);

    // The first frame of a fresh reader, with the index up to date and without one, in processes of
    // their own, in turn; the median of each.
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        for (times, flag) in [(&mut with, "with"), (&mut without, "without")] {
            let out = Command::new(std::env::current_exe().expect("exe"))
                .arg("--first-frame")
                .arg(path)
                .arg(&index_dir)
                .arg(flag)
                .output()
                .expect("child");
            let fields: Vec<f64> =
                String::from_utf8_lossy(&out.stdout).split_whitespace().filter_map(|f| f.parse().ok()).collect();
            times.push(fields);
        }
    }
    let median = |runs: &mut Vec<Vec<f64>>, k: usize| {
        let mut values: Vec<f64> = runs.iter().filter_map(|r| r.get(k).copied()).collect();
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
    };
    println!(
        "first frame of a fresh reader: {:.2} ms with the index up to date, {:.2} ms without (median of 7 each); the index checked all {papers} papers {:.0} ms after the start",
        median(&mut with, 0) * 1e3,
        median(&mut without, 0) * 1e3,
        median(&mut with, 1) * 1e3
    );
}

/// Child: starts as the reader does (open the digest, the model, the threads, the index thread when
/// `with`), draws the first frame, and prints its time; with the index, then waits for the index to have
/// checked the library and prints when that was (seconds from the start).
fn first_frame(path: &str, index: &Path, with: bool) {
    let started = Instant::now();
    let opening = papers::cli::open(&[path.into()]).expect("opens");
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let mut app = App::new(opening.library, &store);
    let mut work = Workers::start(store, Arc::new(|| {})).expect("threads");
    if with {
        work = work.index_at(index.to_path_buf());
    }
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut view = ViewState::default();
    terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
    let first = started.elapsed();
    work.load(opening.rest, opening.read, opening.total).expect("load thread");
    // `load` has queued the news that loading started: taken in before waiting for it to end.
    for msg in work.poll() {
        work.dispatch(&mut app, msg);
    }
    wait_until(&mut work, &mut app, |app| app.loading().is_none());
    if with {
        wait_until(&mut work, &mut app, |app| app.indexing().is_none() && *app.index_state() != Default::default());
    }
    println!("{} {}", first.as_secs_f64(), started.elapsed().as_secs_f64());
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0)
}

fn percentiles(times: &mut [Duration]) -> (Duration, Duration, Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95), at(1.0))
}
