//! Every input bounded: the memory and time of what an attacker (or a very large library) can hand papers,
//! each in a process of its own, measured against the bounds of issue 19.
//!
//! `cargo bench --bench bounds` runs every row at the sizes (a 300 MB line, 32 MB of short lines,
//! a 528 MB Hugging Face JSON file, 5,000,000 tiny papers exported as CSV, 5,000 to 40,000 colliding BibTeX
//! keys, a state of a million marks opened and starred); `-- small` runs them at a tenth, to check that the bench works; `-- NAME...` runs only the rows
//! named (`line`, `paragraph`, `hf`, `export`, `state`, `bibtex`). Inputs are generated into a temporary directory at
//! run time, never committed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use papers::export::{Entry, Format, write_each};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let Some(("--child", rest)) = args.split_first().map(|(first, rest)| (first.as_str(), rest)) {
        return child(rest);
    }
    let scale = if args.iter().any(|a| a == "small") { 10 } else { 1 };
    let wanted = |name: &str| !args.iter().any(|a| ROWS.contains(&a.as_str())) || args.iter().any(|a| a == name);
    let dir = tempfile::tempdir().expect("temp dir");
    println!("# bounds{}", if scale > 1 { " (small: a tenth of the issue's sizes)" } else { "" });
    if wanted("line") {
        long_line(dir.path(), 300_000_000 / scale);
    }
    if wanted("paragraph") {
        short_lines(dir.path(), 32_000_000 / scale);
    }
    if wanted("hf") {
        hf_json(dir.path(), 528_000_000 / scale);
    }
    if wanted("export") {
        export_csv(dir.path(), 5_000_000 / scale);
    }
    if wanted("state") {
        million_marks(dir.path(), 1_000_000 / scale);
    }
    if wanted("bibtex") {
        bibtex_keys(&[5_000, 10_000, 20_000, 40_000].map(|n| n / scale));
    }
}

/// The rows, by the name that runs one alone.
const ROWS: [&str; 6] = ["line", "paragraph", "hf", "export", "state", "bibtex"];

const ABSTRACT: &str = "We read a digest of papers and keep what a reader needs, which is the point of this sentence.";

/// A line of `n` bytes after three papers, listed: memory must stay bounded by the line limit, not the line.
fn long_line(dir: &Path, n: usize) {
    let path = dir.join("long-line.txt");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..3 {
        write!(file, "Paper {i}\n\n{ABSTRACT}\n\n").unwrap();
    }
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..n / chunk.len() {
        file.write_all(&chunk).unwrap();
    }
    file.write_all(b"\n\nLast Paper\n\nAn abstract after the long line, long enough to count as one.\n").unwrap();
    file.flush().unwrap();
    drop(file);
    let (took, kb) = run_child(&["list", path.to_str().unwrap()]);
    println!("a {:.0} MB line among papers, listed: {took:.1?}, peak memory {:.1} MB", mb(n), kb / 1e3);
}

/// One paragraph of `n` bytes of `y` lines after a title, listed: cut at 64 KiB, memory bounded.
fn short_lines(dir: &Path, n: usize) {
    let path = dir.join("short-lines.txt");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    file.write_all(b"A Title\n\n").unwrap();
    file.write_all("y\n".repeat(n / 2).as_bytes()).unwrap();
    file.write_all(format!("\nLast Paper\n\n{ABSTRACT}\n").as_bytes()).unwrap();
    file.flush().unwrap();
    drop(file);
    let (took, kb) = run_child(&["list", path.to_str().unwrap()]);
    println!("a paragraph of {:.0} MB of short lines, listed: {took:.1?}, peak memory {:.1} MB", mb(n), kb / 1e3);
}

/// A Hugging Face daily papers file of about `n` bytes, opened as the reader opens it: the time to its
/// first papers, to all of them, and the peak memory against the file's size.
fn hf_json(dir: &Path, n: usize) {
    let path = dir.join("daily.json");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let summary = ABSTRACT.repeat(9);
    file.write_all(b"[\n").unwrap();
    let mut written = 0;
    let mut i = 0;
    while written < n {
        let entry = serde_json::json!({
            "paper": {
                "id": format!("{:04}.{:05}", 2400 + i / 100_000, i % 100_000),
                "authors": [{"name": "Ada Lovelace", "hidden": false}, {"name": "Alan Turing", "hidden": false}],
                "publishedAt": "2024-03-13T00:00:00.000Z",
                "title": format!("Paper number {i} on reading digests"),
                "summary": summary,
                "upvotes": i % 100,
                "discussionId": "65f2a1c4e8b7d90012ab3400",
            },
            "publishedAt": "2024-03-14T00:00:00.000Z",
            "title": format!("Paper number {i} on reading digests"),
            "numComments": 3,
            "submittedOnDailyAt": "2024-03-14T00:00:00.000Z",
        });
        let text = serde_json::to_string_pretty(&entry).unwrap();
        if i > 0 {
            file.write_all(b",\n").unwrap();
        }
        file.write_all(text.as_bytes()).unwrap();
        written += text.len() + 2;
        i += 1;
    }
    file.write_all(b"\n]\n").unwrap();
    file.flush().unwrap();
    drop(file);
    let size = std::fs::metadata(&path).unwrap().len() as f64;
    let (_, kb, report) = run_child_reporting(&["open", path.to_str().unwrap()]);
    println!(
        "Hugging Face JSON of {:.0} MB ({i} papers), opened as the reader does: {report}; peak memory {:.0} MB = {:.2}x the file",
        size / 1e6,
        kb / 1e3,
        kb * 1e3 / size
    );
}

/// `n` tiny papers exported as CSV, against the memory of the library alone (loaded, then held).
fn export_csv(dir: &Path, n: usize) {
    let path = dir.join("tiny.txt");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..n {
        write!(file, "T{i}\n\n").unwrap();
    }
    file.flush().unwrap();
    drop(file);
    let size = std::fs::metadata(&path).unwrap().len() as usize;
    let (loaded, library_kb) = run_child(&["load", path.to_str().unwrap()]);
    let (took, export_kb) = run_child(&["export", "--format", "csv", path.to_str().unwrap()]);
    println!(
        "{n} tiny papers ({:.0} MB): the library loaded {loaded:.1?}, peak {:.0} MB; exported as CSV {took:.1?}, peak {:.0} MB = {:.2}x the library",
        mb(size),
        library_kb / 1e3,
        export_kb / 1e3,
        export_kb / library_kb
    );
}

/// A state of `n` marks, as a reader that starred a paper a day for years of arXiv would have: the time
/// to open it, and to save a star (lock, merge what another reader saved, write, flush) while it is open.
fn million_marks(dir: &Path, n: usize) {
    use papers::library::PaperKey;
    use papers::state::{Marks, Store};
    let path = dir.join("state.json");
    let papers: std::collections::BTreeMap<PaperKey, Marks> = (0..n)
        .map(|i| {
            let title = format!("Paper number {i} on reading digests of research papers, and why");
            let key = PaperKey::from_arxiv_id(&format!("{:04}.{:05}", 2000 + i / 100_000, i % 100_000));
            let changed = 1_700_000_000_000 + i as u64;
            let marks = Marks {
                starred: i % 7 == 0,
                read: true,
                changed,
                starred_changed: Some(changed),
                read_changed: Some(changed),
                title: Some(title),
                ..Marks::default()
            };
            (key, marks)
        })
        .collect();
    std::fs::write(&path, papers::state::encode(&papers)).unwrap();
    drop(papers);
    let size = std::fs::metadata(&path).unwrap().len();
    let mut opens = Vec::new();
    let mut store = None;
    for _ in 0..3 {
        drop(store.take());
        let started = Instant::now();
        let (opened, notices) = Store::open(&path);
        opens.push(started.elapsed());
        assert!(notices.is_empty(), "{notices:?}");
        store = Some(opened);
    }
    let mut store = store.expect("opened");
    let mut stars = Vec::new();
    for i in 0..5 {
        let key = PaperKey::from_title(&format!("Starred today {i}"));
        let started = Instant::now();
        store.update(&key, "Starred today", |m| m.starred = true).unwrap();
        stars.push(started.elapsed());
    }
    stars.sort();
    println!(
        "a state of {n} marks ({:.0} MB): opened in {:.2?} (best of 3); a star saved in {:.0?} (median of 5, max {:.0?}); the file is then {:.0} MB",
        size as f64 / 1e6,
        opens.iter().min().unwrap(),
        stars[2],
        stars[4],
        std::fs::metadata(&path).unwrap().len() as f64 / 1e6
    );
    drop(store);

    // The reader on it: the built-in digest, the star pressed in the list. The key is done when its frame
    // is drawn (the keyboard waits for no more); the star is saved when the disk thread says so.
    let started = Instant::now();
    let (store, _) = Store::open(&path);
    let library = papers::cli::load(&[]).expect("the built-in digest");
    let mut app = papers::app::App::new(library, &store);
    let mut work = papers::work::Workers::start(store, std::sync::Arc::new(|| {})).expect("threads");
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    let mut view = papers::ui::ViewState::default();
    terminal.draw(|frame| papers::ui::render(&app, &mut view, frame)).unwrap();
    let first_frame = started.elapsed();
    let (mut keys, mut saved) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let started = Instant::now();
        work.dispatch(&mut app, papers::action::Action::ToggleStar);
        terminal.draw(|frame| papers::ui::render(&app, &mut view, frame)).unwrap();
        keys.push(started.elapsed());
        assert!(work.settle(&mut app, Duration::from_secs(600)));
        assert!(app.save_error().is_none(), "{:?}", app.save_error());
        saved.push(started.elapsed());
        work.dispatch(&mut app, papers::action::Action::Down);
    }
    keys.sort();
    saved.sort();
    println!(
        "  the reader on it: first frame {first_frame:.2?}; s on screen in {:.1?} (median of 5, max {:.1?}), saved in {:.0?} (max {:.0?})",
        keys[2], keys[4], saved[2], saved[4]
    );
}

/// BibTeX for papers without authors whose titles start with the same word: every key collides.
fn bibtex_keys(sizes: &[usize]) {
    let mut row = String::from("BibTeX, papers whose keys all collide:");
    for &n in sizes {
        let entries: Vec<Entry> = (0..n)
            .map(|i| Entry {
                title: format!("Deep thoughts number {i}"),
                days: vec!["2024-03-14".into()],
                ..Entry::default()
            })
            .collect();
        let started = Instant::now();
        let mut out = Vec::new();
        write_each(Format::Bibtex, &entries, &mut out).unwrap();
        row.push_str(&format!(" {n} in {:.1?};", started.elapsed()));
        assert_eq!(out.windows(6).filter(|w| w == b"@misc{").count(), n);
    }
    println!("{}", row.trim_end_matches(';'));
}

/// Runs this bench again as a child doing `what`; its time and peak resident memory (kB).
fn run_child(what: &[&str]) -> (Duration, f64) {
    let (took, kb, _) = run_child_reporting(what);
    (took, kb)
}

/// `run_child`, and what the child reported besides.
fn run_child_reporting(what: &[&str]) -> (Duration, f64, String) {
    let state = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = Command::new(std::env::current_exe().unwrap())
        .arg("--child")
        .arg(state.path().join("state.json"))
        .args(what)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let took = started.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    let kb = err.lines().find_map(|l| l.strip_prefix("peak kB: ")).and_then(|kb| kb.trim().parse().ok());
    let report = err.lines().find_map(|l| l.strip_prefix("report: ")).unwrap_or_default().to_string();
    (took, kb.unwrap_or_else(|| panic!("the child reported no peak: {err}")), report)
}

/// The child: `STATE load FILE` loads a library and holds it; `STATE ARGS...` runs `papers ARGS
/// --state STATE` in this process. Either way, reports its peak resident memory on standard error.
fn child(args: &[String]) {
    let (state, what) = args.split_first().expect("a state path");
    match what {
        [load, file] if load == "load" => {
            let library = papers::cli::load(&[file.into()]).expect("loads");
            std::hint::black_box(&library);
        }
        [open, file] if open == "open" => {
            // As the reader opens a digest: its first papers, then the rest as it is read.
            let started = Instant::now();
            let opening = papers::cli::open(&[file.into()]).expect("opens");
            let first = (started.elapsed(), opening.library.len());
            let mut library = opening.library;
            for to_load in opening.rest {
                let papers::work::ToLoad::Opened(mut opened) = to_load else {
                    panic!("a file named on the command line is opened at start")
                };
                loop {
                    match opened.read_on().expect("reads") {
                        papers::digest::Step::Chunk(chunk) => {
                            library.add_chunk(chunk);
                        }
                        papers::digest::Step::Reading => {}
                        papers::digest::Step::Done(last, _) => {
                            if let Some(chunk) = last {
                                library.add_chunk(chunk);
                            }
                            break;
                        }
                    }
                }
            }
            eprintln!(
                "report: first {} papers in {:.1?}, all {} in {:.1?}",
                first.1,
                first.0,
                library.len(),
                started.elapsed()
            );
        }
        _ => {
            let argv = ["papers"]
                .into_iter()
                .map(String::from)
                .chain(what.iter().cloned())
                .chain(["--state".into(), state.clone()]);
            let cli = match papers::cli::parse_from(argv.map(Into::into)) {
                Ok(cli) => cli,
                Err(_) => panic!("bad arguments: {what:?}"),
            };
            if let Err(failure) = papers::cli::run(cli) {
                panic!("papers {what:?}: {}", failure.message);
            }
        }
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).unwrap_or("").trim().trim_end_matches(" kB");
    eprintln!("peak kB: {peak}");
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}
