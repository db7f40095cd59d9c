//! How the reader scales from one day's digest to an arXiv category: parsing, searching as a query is typed,
//! drawing a frame, memory per paper, the matchers side by side, and fzf as a peer, on digests generated
//! here from the built-in one. How its ranking agrees with fzf's is `benches/ranking.rs`.
//!
//! `cargo bench --bench scale` runs 1,000 and 100,000 papers; `cargo bench --bench scale -- 1000000` (or
//! any sizes) runs others; `-- matchers SIZES` only compares the matchers, `-- peer SIZES` only fzf, `-- reader
//! SIZES` only the reader (typing, frames, loading, memory), `-- keystrokes SIZES [q=QUERY...]` only the
//! search of each typed prefix, `-- parse SIZES` only parsing (and checks that every generated paper is
//! listed, no more), `-- filters SIZES` only the reader typing queries with filters over papers with
//! categories and authors, `-- typed SIZES [q=QUERY...] [reps=N]` only the search thread's part of typing,
//! N times over (to count its instructions, run under `valgrind --tool=callgrind` with two numbers of
//! repeats: the difference is the typing alone). Digests are generated into a
//! temporary directory at run time, never committed. The fzf comparison runs when `fzf` is installed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};
use papers::action::Action;
use papers::app::{App, Command as AppCommand};
use papers::digest::parse_text;
use papers::library::Library;
use papers::search::{Fields, Kept, Query, Within};
use papers::state::{Filter, MarkSet, Store};
use papers::ui::{self, ViewState};
use papers::work::Workers;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "common/corpus.rs"]
mod corpus;
// Its own run of the filtered queries belongs to the ranking bench; here its library alone is used
// (the file allows what is left unused).
#[path = "common/filtered.rs"]
mod filtered;
use corpus::{Corpus, Random};

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
    // `filters N`: the reader typing queries with filters, over N papers with categories and authors.
    if args.iter().any(|a| a == "filters") {
        for n in args.iter().filter_map(|a| a.parse().ok()) {
            typed_filters(n);
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

fn typed_key(c: char) -> Action {
    Action::SearchInput(KeyEvent::from(KeyCode::Char(c)).into())
}

/// Queries with filters, typed into the reader (issue 20: the speed targets hold with filters).
const FILTERED: [&str; 4] = ["cat:cs.LG transformer", "author:smith graph", "is:unread mamba", "abstract:attention"];

/// Each of `FILTERED` typed one character at a time into the reader, each keystroke waiting for its
/// results, over `n` generated papers with categories and authors (no marks: every paper is unread).
fn typed_filters(n: usize) {
    let started = Instant::now();
    let (library, _) = filtered::library(n);
    println!("\n## {n} papers with categories and authors (made in {:.1?}): filters typed", started.elapsed());
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let mut app = App::new(library, &store);
    let mut work = Workers::start(store, Arc::new(|| {})).expect("worker threads");
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut view = ViewState::default();
    let (mut results, mut each) = (Vec::new(), String::new());
    // As the reader does while papers load (a million papers of JSON Lines take some 7 s): the search
    // thread reads the abstracts for `abstract:` filters (some 0.6 s at a million, on two cores);
    // then as it does once loading ends, and as `bench_size` does: the letters kept before a key.
    work.run(AppCommand::ReadAbstracts(app.library().titles().clone()));
    std::thread::sleep(Duration::from_millis(100 + n as u64 * 3 / 2_000));
    work.run(AppCommand::KeepLetters(app.library().titles().clone()));
    std::thread::sleep(Duration::from_millis(100));
    work.dispatch(&mut app, Action::FocusSearch);
    work.dispatch(&mut app, typed_key('z'));
    assert!(work.settle(&mut app, WAIT), "the search ends");
    for query in FILTERED {
        work.dispatch(&mut app, Action::ClearSearch);
        work.settle(&mut app, WAIT);
        work.dispatch(&mut app, Action::FocusSearch);
        let mut mine = Vec::new();
        for c in query.chars() {
            let started = Instant::now();
            work.dispatch(&mut app, typed_key(c));
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
            assert!(work.settle(&mut app, WAIT), "the search ends");
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
            mine.push(started.elapsed());
            let _ = write!(each, " {:.0}", started.elapsed().as_secs_f64() * 1e3);
        }
        let (p50, p95, max) = percentiles(&mut mine);
        let _ = writeln!(
            each,
            " ms: {query:?}, {} matches; p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?}",
            app.results().len()
        );
        results.extend(mine);
    }
    let (p50, p95, max) = percentiles(&mut results);
    println!("results on screen per keystroke, filters typed: p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?}");
    print!("{each}");
}

/// The reader's measurements, on the digest at `path`, read from the file as the reader reads it (and held
/// once, as the reader holds it).
fn bench_size(path: &Path) {
    let library =
        Library::from_chunks(papers::digest::load(&papers::digest::Source::File(path.into())).expect("loads").chunks);
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let mut app = App::new(library, &store);
    let mut work = Workers::start(store, Arc::new(|| {})).expect("worker threads");
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut view = ViewState::default();

    // Each query typed one character at a time, as the reader runs it: the key goes to the search bar and a
    // frame is drawn at once (the echo), the search runs on its thread, and the frame with its results
    // is drawn when it is done (results on screen). Each keystroke waits for its results.
    let (mut echo, mut results, mut scratch) = (Vec::new(), Vec::new(), Vec::new());
    let mut table = String::new();
    // Each keystroke's results on screen, in ms, a line a query.
    let mut each = String::new();
    // While papers load the reader has the search thread read the abstracts for `abstract:` filters
    // (`Command::ReadAbstracts`; the bench has no load to read them during, and waits as long); once
    // loading ends, every title's letters, before a key is typed (`Command::KeepLetters`); so does the
    // bench, then it waits for a letter searched.
    let papers = app.library().len() as u64;
    work.run(AppCommand::ReadAbstracts(app.library().titles().clone()));
    std::thread::sleep(Duration::from_millis(100 + papers * 3 / 2_000));
    work.run(AppCommand::KeepLetters(app.library().titles().clone()));
    std::thread::sleep(Duration::from_millis(100));
    work.dispatch(&mut app, Action::FocusSearch);
    work.dispatch(&mut app, typed_key('z'));
    assert!(work.settle(&mut app, WAIT), "the search ends");
    for query in QUERIES {
        work.dispatch(&mut app, Action::ClearSearch);
        work.settle(&mut app, WAIT);
        work.dispatch(&mut app, Action::FocusSearch);
        for c in query.chars() {
            let started = Instant::now();
            work.dispatch(&mut app, typed_key(c));
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
            echo.push(started.elapsed());
            assert!(work.settle(&mut app, WAIT), "the search ends");
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
            results.push(started.elapsed());
            let _ = write!(each, " {:.0}", started.elapsed().as_secs_f64() * 1e3);
            // The same prefix ranked over every paper, without narrowing, for comparison.
            let started = Instant::now();
            let never = AtomicBool::new(false);
            let all = Query::new(app.query()).rank_first(
                app.library().titles(),
                &Within::From(0),
                Filter::All,
                &MarkSet::default(),
                &never,
            );
            std::hint::black_box(all);
            scratch.push(started.elapsed());
        }
        let _ = write!(table, "  {query:?}: {} matches;", app.results().len());
        let _ = writeln!(each, " ms: {query:?}");
    }
    let (p50, p95, max) = percentiles(&mut echo);
    println!(
        "keystroke echoed (update + frame, {} keystrokes): p50 {p50:.2?}, p95 {p95:.2?}, max {max:.2?}",
        echo.len()
    );
    let (p50, p95, max) = percentiles(&mut results);
    println!("results on screen per keystroke, typed: p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?}");
    let (p50, p95, max) = percentiles(&mut scratch);
    println!("  ranking every paper from scratch: p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?}");
    println!("{}", table.trim_end_matches(';'));
    print!("  each keystroke's results on screen:\n{each}");

    // Keys typed faster than the search: each new key cancels the search in flight; only the last
    // query's results are waited for.
    let mut burst = Vec::new();
    for query in QUERIES {
        work.dispatch(&mut app, Action::ClearSearch);
        work.settle(&mut app, WAIT);
        work.dispatch(&mut app, Action::FocusSearch);
        let started = Instant::now();
        for c in query.chars() {
            work.dispatch(&mut app, typed_key(c));
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
        }
        work.settle(&mut app, WAIT);
        terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
        burst.push(started.elapsed());
    }
    let (p50, _, max) = percentiles(&mut burst);
    println!("a whole query typed at once, to its results on screen: p50 {p50:.1?}, max {max:.1?}");

    // One frame, drawn again and again (what each keystroke costs on top of the search).
    work.dispatch(&mut app, Action::ClearSearch);
    work.settle(&mut app, WAIT);
    let frames = 50;
    let started = Instant::now();
    for _ in 0..frames {
        terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
    }
    println!("frame 200x50: {:.2?} each", started.elapsed() / frames);

    // `S` from digest order to newest day, title and upvotes: each sorts the whole list (no search). A
    // large library is sorted by title on a thread: the key is echoed at once, the order comes after.
    work.dispatch(&mut app, Action::ClearSearch);
    work.settle(&mut app, WAIT);
    let mut sorts = Vec::new();
    for _ in 0..4 {
        let started = Instant::now();
        work.dispatch(&mut app, Action::CycleSort);
        terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
        let echoed = started.elapsed();
        work.settle(&mut app, WAIT);
        terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
        sorts.push(format!("{} {echoed:.1?} (sorted {:.1?})", app.sort().name(), started.elapsed()));
    }
    println!("S (sort every paper, to its frame): {}", sorts.join(", "));

    // `T` over the whole list: every paper's marks looked up to keep the unread ones, the first drawn
    // across the screen; then `Space` to each next paper's frame (a skip marks nothing, so nothing is saved).
    let started = Instant::now();
    work.dispatch(&mut app, Action::Triage);
    terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
    let opened = started.elapsed();
    let triaged = app.triage().map_or(0, |t| t.position().1);
    let mut steps = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        work.dispatch(&mut app, Action::TriageSkip);
        terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
        steps.push(started.elapsed());
    }
    work.dispatch(&mut app, Action::LeaveTriage);
    let (p50, _, max) = percentiles(&mut steps);
    println!(
        "T ({triaged} unread papers) to its first frame: {opened:.2?}; Space to the next: p50 {p50:.2?}, max {max:.2?}"
    );

    // `s` while another papers process holds the state file's lock (for two seconds, as a slow save
    // would): the star is on screen at once, the save waits on the disk thread.
    let lock = std::fs::File::create(dir.path().join("state.json.lock")).expect("lock file");
    lock.lock().expect("hold the lock");
    let mut stars = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        work.dispatch(&mut app, Action::ToggleStar);
        terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
        stars.push(started.elapsed());
        assert!(app.saving(), "the save waits for the lock, not the key");
    }
    std::thread::sleep(Duration::from_secs(2));
    drop(lock);
    // A save that gave up on the lock is tried again at the next tick (a second without keys).
    work.settle(&mut app, WAIT);
    work.dispatch(&mut app, papers::app::Msg::Tick);
    work.settle(&mut app, WAIT);
    let (p50, _, max) = percentiles(&mut stars);
    println!(
        "s while another process holds the lock for 2 s: star on screen in p50 {p50:.2?}, max {max:.2?}; {}",
        match app.save_error() {
            None => "saved once the lock was free".to_string(),
            Some(why) => format!("NOT saved: {why}"),
        }
    );
    let papers = app.library().len();
    drop(app);

    // Startup, loading and peak memory in a process of its own, started as the reader is: nothing measured
    // before (an earlier size, the digest loaded above) counts.
    let out = Command::new(std::env::current_exe().expect("exe")).arg("--load").arg(path).output().expect("child");
    let fields: Vec<f64> =
        String::from_utf8_lossy(&out.stdout).split_whitespace().filter_map(|f| f.parse().ok()).collect();
    let file_size = std::fs::metadata(path).expect("size").len() as f64;
    if let [first_frame, first_papers, loaded, all, frames, kb] = fields.as_slice() {
        println!(
            "first frame: {:.1?} ({first_papers} papers shown, the rest loading); all {all} loaded: {:.1?} ({frames} frames meanwhile)",
            Duration::from_secs_f64(*first_frame),
            Duration::from_secs_f64(*loaded)
        );
        let bytes = kb * 1024.0;
        println!(
            "peak memory after loading: {:.1} MB = {:.2}x the file, {:.0} bytes per paper",
            bytes / 1e6,
            bytes / file_size,
            bytes / papers as f64
        );
    }
}

/// Child: loads the digest as the reader does (first block, then the rest on the loading thread) and
/// prints its peak resident memory in kB.
/// The child of `bench_size`: starts as the reader does (open the file, parse its first block, draw the
/// first frame), reads the rest on the loading thread while drawing as papers come, and prints the time
/// to the first frame (seconds), the papers it showed, the time until all were loaded, how many, the frames
/// drawn meanwhile, and the peak resident set (kB).
fn load_and_report(path: &str) {
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut view = ViewState::default();
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let opening = papers::cli::open(&[path.into()]).expect("opens");
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let mut app = App::new(opening.library, &store);
    terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
    let first_frame = started.elapsed();
    let first_papers = app.library().len();
    let (send, woken) = std::sync::mpsc::channel();
    let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(move || {
        let _ = send.send(());
    });
    let mut work = Workers::start(store, wake).expect("worker threads");
    work.load(opening.rest, opening.read, opening.total).expect("load thread");
    let mut frames = 0;
    loop {
        let answers = work.poll();
        if !answers.is_empty() {
            for msg in answers {
                work.dispatch(&mut app, msg);
            }
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
            frames += 1;
        }
        if app.loading().is_none() {
            break;
        }
        let _ = woken.recv_timeout(Duration::from_millis(100));
    }
    let loaded = started.elapsed();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).unwrap_or("").trim().trim_end_matches(" kB");
    println!(
        "{} {first_papers} {} {} {frames} {peak}",
        first_frame.as_secs_f64(),
        loaded.as_secs_f64(),
        app.library().len()
    );
}

/// fzf as a peer: `fzf --filter Q` over a file of the bare titles, against `papers list --search Q` over
/// the digest, both as whole processes (best of 3), and against the matching step alone.
fn peer(path: &Path, dir: &Path) {
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
fn compare_matchers(library: &Library) {
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

/// Each prefix of the typed queries ranked over every paper from scratch (no narrowing), on every core as
/// the search thread ranks (the best of three, in milliseconds, and how many matched), and scored on one
/// thread (nanoseconds a title): the search alone, to profile or to compare one change with the next.
fn keystrokes(library: &Library, queries: &[&str]) {
    let never = AtomicBool::new(false);
    let mut all = Vec::new();
    for query in queries {
        let mut line = format!("{query:?}:");
        for end in query.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let prefix = &query[..end];
            let q = Query::new(prefix);
            let (mut best, mut matches) = (Duration::MAX, 0);
            for _ in 0..3 {
                let started = Instant::now();
                let ranked = q.rank_first(library.titles(), &Within::From(0), Filter::All, &MarkSet::default(), &never);
                best = best.min(started.elapsed());
                matches = ranked.map_or(0, |r| r.order.len());
            }
            all.push(best);
            // One thread, every title looked at as the reader's search first does: what a title costs.
            let titles: Vec<&str> = library.papers().map(|p| p.title()).collect();
            let mut matcher = q.matcher();
            let one = (0..3)
                .map(|_| {
                    let started = Instant::now();
                    let hits = titles.iter().filter(|t| matcher.first_key(t, Fields::default).is_some()).count();
                    std::hint::black_box(hits);
                    started.elapsed()
                })
                .min()
                .expect("runs");
            let ns = one.as_nanos() as f64 / titles.len() as f64;
            let _ = write!(line, " {:.1} ms ({}k, {ns:.0} ns);", best.as_secs_f64() * 1e3, matches / 1000);
        }
        println!("{line}");
    }
    let (p50, p95, max) = percentiles(&mut all);
    println!("from scratch, best of 3 a keystroke: p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?}");
    // Typed as the search thread runs it: each prefix among the last one's matches, with what it keeps.
    typed(library, queries, 1, &mut Kept::default());
    // A first letter as the search thread ranks it, from what it keeps between searches (`Letters`): the
    // first one reads every title for them.
    let mut kept = Kept::default();
    let mut line = String::from("first letters from what the search thread keeps:");
    for query in queries {
        let Some(first) = query.get(..1) else { continue };
        let q = Query::new(first);
        let mut times = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            let ranked = q.rank_first_kept(
                library.titles(),
                &Within::From(0),
                Filter::All,
                &MarkSet::default(),
                &never,
                &mut kept,
            );
            std::hint::black_box(ranked);
            times.push(started.elapsed().as_secs_f64() * 1e3);
        }
        let _ = write!(line, " {first:?} {:.1} then {:.1}, {:.1} ms;", times[0], times[1], times[2]);
    }
    println!("{} ({:.1} MB kept)", line.trim_end_matches(';'), mb(kept.memory()));
}

/// Each query typed `reps` times as the search thread runs it: each prefix among the last one's matches,
/// with what it keeps in `kept`, a line a query, then the percentiles of every key.
fn typed(library: &Library, queries: &[&str], reps: usize, kept: &mut Kept) {
    let never = AtomicBool::new(false);
    let mut typed = Vec::new();
    for query in (0..reps).flat_map(|_| queries) {
        let mut line = format!("typed, kept {query:?}:");
        let mut last: Option<(Query, Vec<u32>)> = None;
        for end in query.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let q = Query::new(&query[..end]);
            let within = match last.take() {
                Some((earlier, matched)) if q.narrows(&earlier) => Within::List(Arc::new(matched)),
                _ => Within::From(0),
            };
            let started = Instant::now();
            let ranked = q
                .rank_first_kept(library.titles(), &within, Filter::All, &MarkSet::default(), &never, kept)
                .expect("not cancelled");
            typed.push(started.elapsed());
            let _ = write!(line, " {:.1} ({}k)", started.elapsed().as_secs_f64() * 1e3, ranked.matched.len() / 1000);
            last = Some((q, ranked.matched));
        }
        println!("{line} ms (thousands matched)");
    }
    let (p50, p95, max) = percentiles(&mut typed);
    println!("typed, kept: p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?} ({:.1} MB kept)", mb(kept.memory()));
}

fn percentiles(times: &mut [Duration]) -> (Duration, Duration, Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95), at(1.0))
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}
