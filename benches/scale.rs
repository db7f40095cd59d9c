//! How the reader scales from one day's digest to an arXiv category: parsing, searching as a query is typed,
//! drawing a frame, memory per paper, the matchers side by side, and fzf as a peer, on digests generated
//! here from the built-in one.
//!
//! `cargo bench --bench scale` runs 1,000 and 100,000 papers; `cargo bench --bench scale -- 1000000` (or
//! any sizes) runs others; `-- matchers SIZES` only compares the matchers, `-- peer SIZES` only fzf, `-- reader
//! SIZES` only the reader (typing, frames, loading, memory). Digests are generated into a
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
use papers::app::App;
use papers::digest::{BUILT_IN, parse_text};
use papers::library::Library;
use papers::search::{Filter, MarkSet, Query, Within};
use papers::state::Store;
use papers::ui::{self, ViewState};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

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
        let library = parse(&bytes);
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
        drop(papers::digest::into_library([parse_text("bench.txt", bytes).expect("parses")]));
        with_copy.push(started.elapsed());
        let blocks = papers::digest::cut_into_blocks(bytes);
        let started = Instant::now();
        let lib =
            papers::digest::into_library([papers::digest::parse_blocks("bench.txt", bytes, blocks).expect("parses")]);
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
    let library = papers::digest::into_library([parse_text("bench.jsonl", bytes).expect("parses")]);
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

/// The reader's measurements, on the digest at `path`, read from the file as the reader reads it (and held
/// once, as the reader holds it).
fn bench_size(path: &Path) {
    let library =
        papers::digest::into_library(
            [papers::digest::load(&papers::digest::Source::File(path.into())).expect("loads")],
        );
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let mut app = App::new(library, store);
    app.search_in_background(Arc::new(|| {})).expect("search thread");
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut view = ViewState::default();

    // Each query typed one character at a time, as the reader runs it: the key goes to the search bar and a
    // frame is drawn at once (the echo), the search runs on its thread, and the frame with its results
    // is drawn when it is done (results on screen). Each keystroke waits for its results.
    let (mut echo, mut results, mut scratch) = (Vec::new(), Vec::new(), Vec::new());
    let mut table = String::new();
    for query in QUERIES {
        app.update(Action::ClearSearch, &view);
        app.settle(WAIT);
        app.update(Action::FocusSearch, &view);
        for c in query.chars() {
            let started = Instant::now();
            app.update(typed_key(c), &view);
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
            echo.push(started.elapsed());
            assert!(app.settle(WAIT), "the search ends");
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
            results.push(started.elapsed());
            // The same prefix ranked over every paper, without narrowing, for comparison.
            let started = Instant::now();
            let never = AtomicBool::new(false);
            let all = Query::new(app.query()).rank(
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

    // Keys typed faster than the search: each new key cancels the search in flight; only the last
    // query's results are waited for.
    let mut burst = Vec::new();
    for query in QUERIES {
        app.update(Action::ClearSearch, &view);
        app.settle(WAIT);
        app.update(Action::FocusSearch, &view);
        let started = Instant::now();
        for c in query.chars() {
            app.update(typed_key(c), &view);
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
        }
        app.settle(WAIT);
        terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
        burst.push(started.elapsed());
    }
    let (p50, _, max) = percentiles(&mut burst);
    println!("a whole query typed at once, to its results on screen: p50 {p50:.1?}, max {max:.1?}");

    // One frame, drawn again and again (what each keystroke costs on top of the search).
    app.update(Action::ClearSearch, &view);
    app.settle(WAIT);
    let frames = 50;
    let started = Instant::now();
    for _ in 0..frames {
        terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
    }
    println!("frame 200x50: {:.2?} each", started.elapsed() / frames);

    // `S` from digest order to newest day, title and upvotes: each sorts the whole list (no search). A
    // large library is sorted by title on a thread: the key is echoed at once, the order comes after.
    app.update(Action::ClearSearch, &view);
    app.settle(WAIT);
    let mut sorts = Vec::new();
    for _ in 0..4 {
        let started = Instant::now();
        app.update(Action::CycleSort, &view);
        terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
        let echoed = started.elapsed();
        while app.sorting() {
            std::thread::sleep(Duration::from_micros(200));
            app.poll_background();
        }
        terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
        sorts.push(format!("{} {echoed:.1?} (sorted {:.1?})", app.sort.name(), started.elapsed()));
    }
    println!("S (sort every paper, to its frame): {}", sorts.join(", "));
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
    let mut app = App::new(opening.library, store);
    terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
    let first_frame = started.elapsed();
    let first_papers = app.library().len();
    let (send, woken) = std::sync::mpsc::channel();
    let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(move || {
        let _ = send.send(());
    });
    app.search_in_background(Arc::clone(&wake)).expect("search thread");
    app.load_in_background(opening.rest, opening.read, opening.total, wake).expect("load thread");
    let mut frames = 0;
    while app.loading.is_some() {
        let _ = woken.recv_timeout(Duration::from_millis(100));
        if app.poll_background() {
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
            frames += 1;
        }
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
        papers::digest::into_library(
            [papers::digest::load(&papers::digest::Source::File(path.into())).expect("loads")],
        );
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
/// fuzzy-matcher's SkimMatcherV2 (the matcher before), nucleo-matcher (helix's) with the query parsed
/// into fzf-style terms and smart case, and frizbee as `search.rs` uses it.
fn compare_matchers(library: &Library) {
    use fuzzy_matcher::FuzzyMatcher;
    use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
    use nucleo_matcher::{Config, Matcher, Utf32Str};
    let titles: Vec<&str> = library.papers().map(|p| p.title()).collect();
    let n = titles.len() as f64;
    let mut line =
        String::from("matchers, ns per title (one thread), fuzzy-matcher / nucleo / frizbee / frizbee match_list:");
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
        let mut ours = Query::new(query).matcher();
        let started = Instant::now();
        let our_hits = titles.iter().filter(|t| ours.score(t).is_some()).count();
        let our_ns = started.elapsed().as_nanos() as f64 / n;
        let started = Instant::now();
        let list_hits = frizbee::Matcher::from_query(query, &frizbee::Config::default()).match_list(&titles).len();
        let list_ns = started.elapsed().as_nanos() as f64 / n;
        let _ = write!(line, " {query:?} {skim_ns:.0} / {nucleo_ns:.0} / {our_ns:.0} / {list_ns:.0}");
        let _ = write!(line, " ({skim_hits} / {nucleo_hits} / {our_hits} / {list_hits} matches);");
    }
    println!("{}", line.trim_end_matches(';'));
}

fn percentiles(times: &mut [Duration]) -> (Duration, Duration, Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95), at(1.0))
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

/// The words and sentences of the built-in digest, to recombine into papers that read like real ones.
struct Corpus {
    title_words: Vec<String>,
    sentences: Vec<String>,
}

impl Corpus {
    fn from_built_in() -> Self {
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
    fn digest(&self, n: usize) -> Vec<u8> {
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
    fn jsonl(&self, n: usize) -> Vec<u8> {
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
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &'a [String]) -> &'a str {
        &items[self.below(items.len())]
    }
}
