//! The reader's own measurements, through the app and its worker threads as it runs: typing with and
//! without filters, frames, triage, a star while another process holds the lock, loading and memory.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};
use papers::action::Action;
use papers::app::{App, Command as AppCommand};
use papers::library::Library;
use papers::search::{Query, Within};
use papers::state::{Filter, MarkSet, Store};
use papers::ui::{self, ViewState};
use papers::work::Workers;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{QUERIES, WAIT, filtered, percentiles};

fn typed_key(c: char) -> Action {
    Action::SearchInput(KeyEvent::from(KeyCode::Char(c)).into())
}

/// Queries with filters, typed into the reader (issue 20: the speed targets hold with filters).
const FILTERED: [&str; 4] = ["cat:cs.LG transformer", "author:smith graph", "is:unread mamba", "abstract:attention"];

/// The machine's gauge beside the filters typed: these queries ranked over every paper from scratch,
/// the same work in every run of the same build, so that a run on a busy machine tells itself apart
/// from one on a quiet machine (the machines are shared; the keys' times move with the gauge's).
const GAUGE: [&str; 5] = ["a", "tr", "gra", "mamba", "attention"];

/// Each of `FILTERED` typed one character at a time into the reader, each keystroke waiting for its
/// results on screen (the first of them exact: see `Query::rank_shown_kept`), over `n` generated
/// papers with categories and authors (no marks: every paper is unread; with `starred`, the first paper
/// starred before the first key, so that the marks hold a change). With `refined`, each key then waits
/// for the first thousand to be exact too, timed apart. The queries are typed `rounds` times over: a
/// round's p95 is its fifth slowest key of 72, which a few keys slowed by the machine move by 10 ms
/// from one run to the next; the p95 of every key typed in the rounds together moves less.
pub(super) fn typed_filters(n: usize, starred: bool, refined: bool, rounds: usize) {
    let started = Instant::now();
    let (library, _) = filtered::library(n);
    println!("\n## {n} papers with categories and authors (made in {:.1?}): filters typed", started.elapsed());
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let mut app = App::new(library, &store);
    let mut work = Workers::start(store, Arc::new(|| {})).expect("worker threads");
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut view = ViewState::default();
    let (mut results, mut each, mut all_exact, mut gauge) = (Vec::new(), String::new(), Vec::new(), Vec::new());
    // As the reader does while papers load (a million papers of JSON Lines take some 7 s): the search
    // thread reads the abstracts for `abstract:` filters (some 0.6 s at a million, on two cores);
    // then as it does once loading ends, and as `bench_size` does: the letters kept before a key.
    work.run(AppCommand::ReadAbstracts(app.library().titles().clone()));
    std::thread::sleep(Duration::from_millis(100 + n as u64 * 3 / 2_000));
    work.run(AppCommand::KeepLetters(app.library().titles().clone()));
    std::thread::sleep(Duration::from_millis(100));
    if starred {
        // A mark changed in the session: the marks then hold it beside those they were made from.
        work.dispatch(&mut app, Action::ToggleStar);
        assert!(work.settle(&mut app, WAIT), "the star is taken");
    }
    work.dispatch(&mut app, Action::FocusSearch);
    work.dispatch(&mut app, typed_key('z'));
    assert!(work.settle(&mut app, WAIT), "the search ends");
    let (mut each_round, per_round) = (Vec::new(), FILTERED.iter().map(|q| q.chars().count()).sum::<usize>());
    let mut echo = Vec::new();
    for query in (0..rounds.max(1)).flat_map(|_| FILTERED) {
        work.dispatch(&mut app, Action::ClearSearch);
        work.settle(&mut app, WAIT);
        work.dispatch(&mut app, Action::FocusSearch);
        let mut mine = Vec::new();
        for c in query.chars() {
            let started = Instant::now();
            work.dispatch(&mut app, typed_key(c));
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
            echo.push(started.elapsed());
            assert!(work.settle_shown(&mut app, WAIT), "the search ends");
            terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
            mine.push(started.elapsed());
            let _ = write!(each, " {:.0}", started.elapsed().as_secs_f64() * 1e3);
            if refined {
                // The first thousand results in exact order, not only the first screens.
                assert!(work.settle(&mut app, WAIT), "the refining ends");
                terminal.draw(|frame| ui::render(&app, &mut view, frame)).expect("draw");
                all_exact.push(started.elapsed());
            }
        }
        let (p50, p95, max) = percentiles(&mut mine);
        let _ = writeln!(
            each,
            " ms: {query:?}, {} matches; p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?}",
            app.results().len()
        );
        results.extend(mine);
        // A round's keys, once its last query is typed.
        if results.len() == per_round * (each_round.len() + 1) {
            let mut round = results[results.len() - per_round..].to_vec();
            each_round.push(percentiles(&mut round).1);
        }
        // The gauge, after each query's keys (not between them, which it would slow down), once the
        // search thread is done with the last one (its first thousand made exact).
        work.settle(&mut app, WAIT);
        for text in GAUGE {
            let started = Instant::now();
            let never = AtomicBool::new(false);
            let all = Query::new(text).rank_first(
                app.library().titles(),
                &Within::From(0),
                Filter::All,
                &MarkSet::default(),
                &never,
            );
            std::hint::black_box(all);
            gauge.push(started.elapsed());
        }
    }
    let (p50, p95, max) = percentiles(&mut echo);
    println!("keystroke echoed (update + frame), filters typed: p50 {p50:.2?}, p95 {p95:.2?}, max {max:.2?}");
    let (p50, p95, max) = percentiles(&mut results);
    println!("results on screen per keystroke, filters typed: p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?}");
    if each_round.len() > 1 {
        let rounds: Vec<String> = each_round.iter().map(|p95| format!("{:.1}", p95.as_secs_f64() * 1e3)).collect();
        println!("  over {} rounds of the queries; each round's p95: {} ms", each_round.len(), rounds.join(", "));
    }
    let (g50, g95, _) = percentiles(&mut gauge);
    println!("  the machine's gauge, {GAUGE:?} ranked over every paper from scratch: p50 {g50:.1?}, p95 {g95:.1?}");
    if refined {
        let (p50, p95, max) = percentiles(&mut all_exact);
        println!("  the first thousand exact: p50 {p50:.1?}, p95 {p95:.1?}, max {max:.1?}");
    }
    print!("{each}");
}

/// The reader's measurements, on the digest at `path`, read from the file as the reader reads it (and held
/// once, as the reader holds it).
pub(super) fn bench_size(path: &Path) {
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
            assert!(work.settle_shown(&mut app, WAIT), "the search ends");
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

/// The child of `bench_size`: starts as the reader does (open the file, parse its first block, draw the
/// first frame), reads the rest on the loading thread while drawing as papers come, and prints the time
/// to the first frame (seconds), the papers it showed, the time until all were loaded, how many, the frames
/// drawn meanwhile, and the peak resident set (kB).
pub(super) fn load_and_report(path: &str) {
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
