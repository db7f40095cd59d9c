//! How the reader scales from one day's digest to an arXiv category: parsing, searching as a query is typed,
//! drawing a frame, and memory per paper, on digests generated here from the built-in one.
//!
//! `cargo bench --bench scale` runs 1,000 and 100,000 papers; `cargo bench --bench scale -- 1000000` (or
//! any sizes) runs others. Digests are generated into a temporary directory at run time, never committed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};
use papers::action::Action;
use papers::app::App;
use papers::digest::{BUILT_IN, parse_text};
use papers::library::Library;
use papers::search::Query;
use papers::state::Store;
use papers::ui::{self, ViewState};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Queries typed one character at a time: each prefix is one keystroke. They include ones that match
/// almost every title ("e", "a n") and ones that narrow fast.
const QUERIES: [&str; 6] = ["transformer", "mamba", "deep learning", "graph", "e", "a n"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let [flag, path] = args.as_slice()
        && flag == "--load"
    {
        return load_and_report_memory(path);
    }
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
        bench_size(&bytes, &path);
    }
}

fn bench_size(bytes: &[u8], path: &std::path::Path) {
    // Parse: the text to papers, then the library (keys, dedupe).
    let runs = if bytes.len() > 50_000_000 { 1 } else { 5 };
    let mut parse_times = Vec::new();
    let mut library = None;
    for _ in 0..runs {
        let started = Instant::now();
        let digest = parse_text("bench.txt", bytes).expect("parses");
        let lib = Library::from_digests([digest]);
        parse_times.push(started.elapsed());
        library = Some(lib);
    }
    let library = library.expect("at least one run");
    let best = *parse_times.iter().min().expect("runs");
    println!(
        "parse + library: best {:.1?} of {runs} = {:.0} MB/s ({} papers)",
        best,
        mb(bytes.len()) / best.as_secs_f64(),
        library.len()
    );

    // Search, each query typed into the reader one character at a time: the time from keystroke to ranked
    // results (the reader narrows to the last query's matches while a query grows). Then the same
    // prefixes searched from scratch over every paper, for comparison.
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let mut app = App::new(library, store);
    let view = ViewState::default();
    let (mut typed, mut scratch) = (Vec::new(), Vec::new());
    let mut table = String::new();
    for query in QUERIES {
        app.update(Action::ClearSearch, &view);
        app.update(Action::FocusSearch, &view);
        for c in query.chars() {
            let key = KeyEvent::from(KeyCode::Char(c));
            let started = Instant::now();
            app.update(Action::SearchInput(key.into()), &view);
            typed.push(started.elapsed());
            let started = Instant::now();
            std::hint::black_box(Query::new(app.query()).rank(app.library().papers(), 0..app.library().len()));
            scratch.push(started.elapsed());
        }
        let _ = write!(table, "  {query:?}: {} matches;", app.results().len());
    }
    let (p50, p95, max) = percentiles(&mut typed);
    println!("search per keystroke, typed ({} keystrokes): p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?}", typed.len());
    let (p50, p95, max) = percentiles(&mut scratch);
    println!("  from scratch over every paper: p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?}");
    println!("{}", table.trim_end_matches(';'));
    compare_matchers(app.library().papers());
    let papers = app.library().len();
    drop(app);

    // Startup to a usable list and the first frame, as a whole process would see it (less process start).
    let started = Instant::now();
    let digest = parse_text("bench.txt", &std::fs::read(path).expect("read")).expect("parses");
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let app = App::new(Library::from_digests([digest]), store);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut view = ViewState::default();
    terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
    println!("read + parse + first frame (200x50): {:.1?}", started.elapsed());

    // One frame, drawn again and again (what each keystroke costs on top of the search).
    let frames = 50;
    let started = Instant::now();
    for _ in 0..frames {
        terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
    }
    println!("frame 200x50: {:.2?} each", started.elapsed() / frames);
    drop(app);

    // Peak memory in a process of its own, so earlier sizes do not count.
    let out = Command::new(std::env::current_exe().expect("exe")).arg("--load").arg(path).output().expect("child");
    let file_size = std::fs::metadata(path).expect("size").len() as f64;
    if let Ok(kb) = String::from_utf8_lossy(&out.stdout).trim().parse::<f64>() {
        let bytes = kb * 1024.0;
        println!(
            "peak memory after loading: {:.1} MB = {:.2}x the file, {:.0} bytes per paper",
            bytes / 1e6,
            bytes / file_size,
            bytes / papers as f64
        );
    }
}

/// Child: loads the digest as the reader does and prints its peak resident memory in kB.
fn load_and_report_memory(path: &str) {
    let bytes = std::fs::read(path).expect("read");
    let library = Library::from_digests([parse_text("bench.txt", &bytes).expect("parses")]);
    drop(bytes);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).unwrap_or("").trim().trim_end_matches(" kB");
    println!("{peak}");
    std::hint::black_box(library);
}

/// The matchers side by side on the same titles, one thread, every query: nanoseconds per title.
/// fuzzy-matcher's SkimMatcherV2 is what `search.rs` uses (through `Query`, on the folded title);
/// nucleo-matcher (helix's, fzf's scoring) gets one fuzzy atom with smart case, as the reader would use it.
fn compare_matchers(papers: &[papers::library::Paper]) {
    use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
    use nucleo_matcher::{Config, Matcher, Utf32Str};
    let mut line = String::from("matchers, ns per title (one thread), skim / nucleo:");
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    for query in QUERIES {
        let skim = Query::new(query);
        let started = Instant::now();
        let skim_hits = papers.iter().filter(|p| skim.score(p).is_some()).count();
        let skim_ns = started.elapsed().as_nanos() as f64 / papers.len() as f64;
        let atom = Atom::new(query, CaseMatching::Smart, Normalization::Smart, AtomKind::Fuzzy, false);
        let started = Instant::now();
        let nucleo_hits =
            papers.iter().filter(|p| atom.score(Utf32Str::new(&p.title, &mut buf), &mut matcher).is_some()).count();
        let nucleo_ns = started.elapsed().as_nanos() as f64 / papers.len() as f64;
        let _ = write!(line, " {query:?} {skim_ns:.0} / {nucleo_ns:.0}");
        if skim_hits != nucleo_hits {
            let _ = write!(line, " (matches {skim_hits} / {nucleo_hits})");
        }
        line.push(';');
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
            digest.papers.iter().flat_map(|p| p.title.split_whitespace().map(|w| w.trim_end_matches('.').to_string())).collect();
        title_words.sort();
        title_words.dedup();
        let sentences: Vec<String> = digest
            .papers
            .iter()
            .flat_map(|p| p.abstract_text.split_inclusive(". ").map(|s| s.trim().to_string()))
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
