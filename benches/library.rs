//! The fetched library at the scale of a year: `papers fetch` of one Hugging Face day and three arXiv
//! categories from a server on 127.0.0.1, and the reader opening 365 stored days (about 100,000 papers):
//! first frame, all loaded, memory against the stored files.
//!
//! `cargo bench --bench library` (`-- DAYS PAPERS_A_DAY` for other sizes). Everything is generated into a
//! temporary directory at run time. To time builds against each other on one library:
//! `-- --write-library DIR [DAYS PAPERS_A_DAY]` writes it once, and the bench binary run with
//! `--open-library` and `XDG_DATA_HOME=DIR` opens it and prints first frame (s), papers shown, all loaded
//! (s), papers, peak memory (kB).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/server/mod.rs"]
mod server;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use papers::app::App;
use papers::digest::{BUILT_IN, parse_text};
use papers::state::Store;
use papers::ui::{self, ViewState};
use papers::work::Workers;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use server::{Reply, Server};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let [flag] = args.as_slice()
        && flag == "--open-library"
    {
        return open_library();
    }
    if let [flag, dir, rest @ ..] = args.as_slice()
        && flag == "--write-library"
    {
        let numbers: Vec<usize> = rest.iter().filter_map(|a| a.parse().ok()).collect();
        let (days, a_day) = if let [days, a_day, ..] = numbers.as_slice() { (*days, *a_day) } else { (365, 274) };
        let bytes = write_library(Path::new(dir), days, a_day);
        println!("{days} days, {:.1} MB, in {dir}/papers/digests/huggingface", bytes as f64 / 1e6);
        return;
    }
    let numbers: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let (days, a_day) = match numbers.as_slice() {
        [days, a_day, ..] => (*days, *a_day),
        _ => (365, 274),
    };
    fetch_from_a_local_server();
    library_of(days, a_day);
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

/// `papers fetch` of one Hugging Face day and three arXiv categories, the whole process, best of five.
fn fetch_from_a_local_server() {
    let (day, listing) = (fixture("hf-daily-papers.json"), fixture("arxiv-rss.xml"));
    let server = Server::start(move |request, _| match request.target.starts_with("/rss/") {
        true => Reply::ok(listing.clone()),
        false => Reply::ok(day.clone()),
    });
    let mut times = Vec::new();
    for _ in 0..5 {
        let home = tempfile::tempdir().unwrap();
        let config = home.path().join("config/papers/config.toml");
        std::fs::create_dir_all(config.parent().unwrap()).unwrap();
        let url = server.url();
        let text = format!(
            "[huggingface]\nendpoint = \"{url}\"\n[arxiv]\ncategories = [\"cs.LG\", \"cs.CL\", \"cs.CV\"]\nrss_endpoint = \"{url}/rss\"\n"
        );
        std::fs::write(&config, text).unwrap();
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_papers"))
            .args(["fetch", "--date", "2024-03-14"])
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .output()
            .unwrap();
        times.push(started.elapsed());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let best = times.iter().min().unwrap();
    println!(
        "papers fetch, one Hugging Face day and three arXiv categories from 127.0.0.1: best {best:.1?} of 5 ({times:.1?})"
    );
}

/// A year of Hugging Face days in a library, `a_day` papers each, opened by the reader in a process of
/// its own.
fn library_of(days: usize, a_day: usize) {
    let home = tempfile::tempdir().unwrap();
    let bytes = write_library(home.path(), days, a_day);
    let out = Command::new(std::env::current_exe().unwrap())
        .arg("--open-library")
        .env("XDG_DATA_HOME", home.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<f64> = said.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    let [first_frame, first_papers, loaded, all, kb] = fields.as_slice() else {
        panic!("the child said: {said}{}", String::from_utf8_lossy(&out.stderr))
    };
    println!(
        "{days} stored days, {all} papers, {:.1} MB of files: first frame {:.1?} ({first_papers} papers), all loaded {:.1?}",
        bytes as f64 / 1e6,
        Duration::from_secs_f64(*first_frame),
        Duration::from_secs_f64(*loaded)
    );
    let peak = kb * 1024.0;
    println!("peak memory: {:.1} MB = {:.2}x the stored files", peak / 1e6, peak / bytes as f64);
}

/// Writes `days` generated Hugging Face days of `a_day` papers under `home` as the library keeps them
/// (`home` standing for `$XDG_DATA_HOME`); returns the bytes written.
fn write_library(home: &Path, days: usize, a_day: usize) -> usize {
    let library = home.join("papers/digests/huggingface");
    std::fs::create_dir_all(&library).unwrap();
    let corpus = Corpus::from_built_in();
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let mut bytes = 0;
    let first = papers::library::Day::new(2024, 1, 1).unwrap();
    for d in 0..days {
        let day = first.days_after(d as u32).unwrap();
        let json = corpus.hf_day(&mut random, &day.to_string(), a_day, d * a_day);
        bytes += json.len();
        std::fs::write(library.join(format!("{day}.json")), json).unwrap();
    }
    bytes
}

/// The child: opens the library as the reader does with no file named (the newest day, then the rest on
/// the loading thread, drawing as papers come), and prints the time to the first frame (s), the papers it
/// showed, the time until all were loaded (s), how many, and the peak resident set (kB).
fn open_library() {
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    let mut view = ViewState::default();
    let state = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let opening = papers::cli::open(&[]).expect("the library opens");
    let (store, _) = Store::open(&state.path().join("state.json"));
    let mut app = App::new(opening.library, &store);
    terminal.draw(|frame| ui::render(&app, &mut view, frame)).unwrap();
    let first_frame = started.elapsed();
    let first_papers = app.library().len();
    let (send, woken) = std::sync::mpsc::channel();
    let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(move || {
        let _ = send.send(());
    });
    let mut work = Workers::start(store, wake).unwrap();
    work.load(opening.rest, opening.read, opening.total).unwrap();
    loop {
        let answers = work.poll();
        if !answers.is_empty() {
            for msg in answers {
                work.dispatch(&mut app, msg);
            }
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).unwrap();
        }
        if app.loading().is_none() {
            break;
        }
        let _ = woken.recv_timeout(Duration::from_millis(100));
    }
    let loaded = started.elapsed();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).unwrap_or("").trim().trim_end_matches(" kB");
    println!("{} {first_papers} {} {} {peak}", first_frame.as_secs_f64(), loaded.as_secs_f64(), app.library().len());
}

/// Titles and abstract sentences of the built-in digest, recombined into days of Hugging Face JSON.
struct Corpus {
    title_words: Vec<String>,
    sentences: Vec<String>,
}

impl Corpus {
    fn from_built_in() -> Self {
        let digest = parse_text("built-in", BUILT_IN).unwrap();
        let mut title_words: Vec<String> =
            digest.papers().flat_map(|p| p.title().split_whitespace().map(str::to_string)).collect();
        title_words.sort();
        title_words.dedup();
        let sentences = digest
            .papers()
            .flat_map(|p| p.abstract_text().split_inclusive(". ").map(|s| s.trim().to_string()))
            .filter(|s| s.len() > 20)
            .collect();
        Corpus { title_words, sentences }
    }

    /// One day as the daily papers API sends it: `n` entries numbered from `from`, each with an id,
    /// authors, a title, a summary, upvotes and the day.
    fn hf_day(&self, random: &mut Random, day: &str, n: usize, from: usize) -> Vec<u8> {
        let entries: Vec<serde_json::Value> = (from..from + n)
            .map(|i| {
                let words = 6 + random.below(8);
                let mut title: Vec<&str> = (0..words).map(|_| random.pick(&self.title_words)).collect();
                let number = i.to_string();
                title.push(&number);
                let sentences = 5 + random.below(5);
                let summary: Vec<&str> = (0..sentences).map(|_| random.pick(&self.sentences)).collect();
                serde_json::json!({
                    "paper": {
                        "id": format!("{:04}.{:05}", 2400 + i / 100_000, i % 100_000),
                        "authors": [{"name": "Ada Lovelace"}, {"name": "Alan Turing"}],
                        "publishedAt": format!("{day}T08:00:00.000Z"),
                        "title": title.join(" "),
                        "summary": summary.join(" "),
                        "upvotes": random.below(50),
                    },
                    "submittedOnDailyAt": format!("{day}T09:00:00.000Z"),
                })
            })
            .collect();
        serde_json::to_vec(&entries).unwrap()
    }
}

/// xorshift64: the same library every run.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &'a [String]) -> &'a str {
        &from[self.below(from.len())]
    }
}
