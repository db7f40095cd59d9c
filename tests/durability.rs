//! Durability of the state file under real processes: several readers saving at once lose no change, and a
//! reader killed with SIGKILL at any moment leaves a file holding the state before or after its last save.
//!
//! The processes are this test binary run again with a role in `PAPERS_ROLE` (the `#[ignore]`d `child`
//! test). Sizes can be raised for a longer run: `PAPERS_KILLS=10000 cargo test --release --test durability`.
//! The same runs are made with every save appended to the journal (as for a large state file) and the
//! journal folded into the file every few saves.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use papers::library::PaperKey;
use papers::state::{Judged, Store, judge, read_state};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Starts this test binary again as a child with `role` and extra environment.
fn spawn_as(role: &str, state: &Path, vars: &[(&str, String)]) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(["child", "--exact", "--ignored", "--nocapture", "--test-threads", "1"]);
    command.env("PAPERS_ROLE", role).env("PAPERS_STATE", state);
    for (name, value) in vars {
        command.env(name, value);
    }
    command
}

/// What a child process does, by `PAPERS_ROLE`. Not a test of its own: run by the tests below.
#[test]
#[ignore = "a child process of the durability tests"]
fn child() {
    let state = PathBuf::from(std::env::var_os("PAPERS_STATE").unwrap());
    match std::env::var("PAPERS_ROLE").unwrap().as_str() {
        "toggler" => toggler(&state),
        "crasher" => crasher(&state),
        "journal-toggler" => toggler(&state),
        "journal-crasher" => crasher(&state),
        role => panic!("unknown role {role}"),
    }
}

// ---- Several readers at once -------------------------------------------------------------------------

const PAPERS_PER_PROCESS: u64 = 5;

fn toggler_title(process: u64, paper: u64) -> String {
    format!("Process {process} paper {paper}")
}

/// The marks a toggler leaves on its paper `paper` after `toggles` toggles: toggle `t` flips the star of
/// paper `t % 5`, and every third toggle also flips its read mark.
fn expected(paper: u64, toggles: u64) -> (bool, bool) {
    let (mut starred, mut read) = (false, false);
    for t in (0..toggles).filter(|t| t % PAPERS_PER_PROCESS == paper) {
        starred = !starred;
        if t % 3 == 0 {
            read = !read;
        }
    }
    (starred, read)
}

/// The paper every toggler tags, each with its own tags, at once.
const SHARED: &str = "Paper every process tags";

/// The tags and note a toggler leaves on its paper `paper` after `toggles` toggles: toggle `t` also sets
/// the note to `note t`, and on odd toggles flips the tag `odd`.
fn expected_labels(paper: u64, toggles: u64) -> (bool, Option<String>) {
    let (mut odd, mut note) = (false, None);
    for t in (0..toggles).filter(|t| t % PAPERS_PER_PROCESS == paper) {
        note = Some(format!("note {t}"));
        if t % 2 == 1 {
            odd = !odd;
        }
    }
    (odd, note)
}

/// One reader: opens the state once, as the reader does, and makes its changes one save each. Besides
/// its stars and read marks, it tags its papers and writes their notes, and halfway puts its tags
/// `kept-N` and `gone-N` on the shared paper, taking `gone-N` off again at the end.
fn toggler(state: &Path) {
    let process = env_number("PAPERS_PROCESS", 0);
    let toggles = env_number("PAPERS_TOGGLES", 0);
    let go = PathBuf::from(std::env::var_os("PAPERS_GO").unwrap());
    let (mut store, _) = Store::open(state);
    journal_if_asked(&mut store);
    // Start together, so that the saves interleave.
    while !go.exists() {
        std::thread::sleep(Duration::from_millis(1));
    }
    for t in 0..toggles {
        let title = toggler_title(process, t % PAPERS_PER_PROCESS);
        let key = PaperKey::from_title(&title);
        let flip_read = t % 3 == 0;
        // A failed save (a lock held too long on a busy machine) stays in memory and goes with the next.
        let _ = store.update(&key, &title, |m| {
            m.starred = !m.starred;
            if flip_read {
                m.read = !m.read;
            }
            if t % 2 == 1 {
                let odd = m.has_tag("odd");
                m.set_tag("odd", !odd);
            }
            m.set_note(&format!("note {t}"));
        });
        if t == toggles / 2 {
            let shared = PaperKey::from_title(SHARED);
            let _ = store.update(&shared, SHARED, |m| {
                m.set_tag(&format!("kept-{process}"), true);
                m.set_tag(&format!("gone-{process}"), true);
            });
        }
    }
    let _ = store.update(&PaperKey::from_title(SHARED), SHARED, |m| m.set_tag(&format!("gone-{process}"), false));
    if store.has_unsaved_changes() {
        store.save().unwrap();
    }
}

/// The journal's roles: every save appended (the file is never too small), folded every `FOLD_AT` bytes.
fn journal_if_asked(store: &mut Store) {
    if std::env::var("PAPERS_ROLE").is_ok_and(|role| role.starts_with("journal-")) {
        store.set_journal_limits(0, FOLD_AT);
    }
}

/// The journal is folded into the file past this many bytes: every twenty saves or so.
const FOLD_AT: u64 = 4096;

#[test]
fn readers_saving_at_once_lose_no_change() {
    readers_saving_at_once("toggler");
}

#[test]
fn readers_appending_to_the_journal_at_once_lose_no_change() {
    readers_saving_at_once("journal-toggler");
}

fn readers_saving_at_once(role: &str) {
    let runs = env_number("PAPERS_RUNS", 3);
    let processes = env_number("PAPERS_PROCESSES", 4);
    let toggles = env_number("PAPERS_TOGGLES", 100);
    let mut lost = 0;
    let mut checked = 0;
    for run in 0..runs {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state.json");
        let go = dir.path().join("go");
        let children: Vec<_> = (0..processes)
            .map(|process| {
                spawn_as(
                    role,
                    &state,
                    &[
                        ("PAPERS_PROCESS", process.to_string()),
                        ("PAPERS_TOGGLES", toggles.to_string()),
                        ("PAPERS_GO", go.display().to_string()),
                    ],
                )
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
            })
            .collect();
        std::thread::sleep(Duration::from_millis(200));
        std::fs::write(&go, b"").unwrap();
        for mut child in children {
            assert!(child.wait().unwrap().success(), "a toggler failed");
        }
        let (store, notices) = Store::open(&state);
        assert!(notices.is_empty(), "{notices:?}");
        for process in 0..processes {
            for paper in 0..PAPERS_PER_PROCESS {
                let key = PaperKey::from_title(&toggler_title(process, paper));
                let want = expected(paper, toggles);
                let got = (store.is_starred(&key), store.is_read(&key));
                checked += 1;
                if got != want {
                    lost += 1;
                    eprintln!("run {run}: process {process} paper {paper}: want {want:?}, file has {got:?}");
                }
                let want = expected_labels(paper, toggles);
                let marks = store.marks(&key);
                let got = (marks.is_some_and(|m| m.has_tag("odd")), marks.and_then(|m| m.note().map(str::to_string)));
                checked += 1;
                if got != want {
                    lost += 1;
                    eprintln!(
                        "run {run}: process {process} paper {paper}: want tag and note {want:?}, file has {got:?}"
                    );
                }
            }
        }
        let shared = store.marks(&PaperKey::from_title(SHARED));
        let tags: Vec<&str> = shared.map(|m| m.tags().collect()).unwrap_or_default();
        let mut want: Vec<String> = (0..processes).map(|p| format!("kept-{p}")).collect();
        want.sort();
        checked += 1;
        if tags != want {
            lost += 1;
            eprintln!("run {run}: the shared paper's tags: want {want:?}, file has {tags:?}");
        }
    }
    println!(
        "{role}: {runs} runs x {processes} processes x {toggles} toggles: {checked} papers checked, {lost} lost updates"
    );
    assert_eq!(lost, 0);
}

// ---- Killed at any moment ----------------------------------------------------------------------------

/// Bits of the Gray code: save `n` changes exactly one paper, and the starred papers spell `n`.
const CRASH_PAPERS: u32 = 24;

fn crash_title(bit: u32) -> String {
    format!("Crash paper {bit}")
}

/// Saves in a loop from `PAPERS_FROM`: save `n` flips the star of paper `trailing_zeros(n)`, so after it the
/// starred papers are the bits of `gray(n)`. Reports each `n` on stdout once its save returned.
fn crasher(state: &Path) {
    let mut n = env_number("PAPERS_FROM", 0);
    let (mut store, notices) = Store::open(state);
    assert!(notices.is_empty(), "{notices:?}");
    journal_if_asked(&mut store);
    let out = std::io::stdout();
    loop {
        n += 1;
        let title = crash_title(n.trailing_zeros());
        store.update(&PaperKey::from_title(&title), &title, |m| m.starred = !m.starred).unwrap();
        writeln!(out.lock(), "saved {n}").unwrap();
    }
}

/// Which save a state file holds: the `n` whose Gray code its starred papers spell.
fn save_number(bytes: &[u8]) -> Result<u64, String> {
    save_number_of(judge(bytes)).map_err(|()| String::from_utf8_lossy(bytes).into_owned())
}

/// Which save the state holds, as judged.
fn save_number_of(judged: Judged) -> Result<u64, ()> {
    let Judged::Good(papers) = judged else { return Err(()) };
    let mut gray = 0u64;
    for bit in 0..CRASH_PAPERS {
        if papers.get(&PaperKey::from_title(&crash_title(bit))).is_some_and(|m| m.starred) {
            gray |= 1 << bit;
        }
    }
    let mut n = gray;
    let mut shift = gray >> 1;
    while shift != 0 {
        n ^= shift;
        shift >>= 1;
    }
    Ok(n)
}

/// A small random number generator (xorshift), seeded from the clock and printed, so a failure can be rerun
/// with `PAPERS_SEED`.
struct Random(u64);

impl Random {
    fn new() -> Self {
        let clock = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos() as u64;
        let seed = env_number("PAPERS_SEED", clock | 1);
        println!("seed {seed}");
        Random(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn a_reader_killed_at_any_moment_leaves_the_state_before_or_after_its_last_save() {
    killed_at_any_moment("crasher");
}

#[test]
fn a_reader_appending_to_the_journal_killed_at_any_moment_leaves_the_state_before_or_after_its_last_save() {
    killed_at_any_moment("journal-crasher");
}

fn killed_at_any_moment(role: &str) {
    let journaling = role.starts_with("journal-");
    let kills = env_number("PAPERS_KILLS", 2000);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let mut random = Random::new();
    let mut n = 0;
    let (mut during_saves, mut leftovers_seen) = (0, 0);
    let started = Instant::now();
    for kill in 0..kills {
        let mut process = spawn_as(role, &state, &[("PAPERS_FROM", n.to_string())])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Child start-up takes a few milliseconds; kill before, during and well after it.
        std::thread::sleep(Duration::from_micros(random.below(30_000)));
        process.kill().unwrap();
        process.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut process.stderr.take().unwrap(), &mut stderr).unwrap();
        assert!(!stderr.contains("panicked"), "the child failed: {stderr}");
        let lines: Vec<String> = BufReader::new(process.stdout.take().unwrap()).lines().map_while(Result::ok).collect();
        let reported = lines
            .iter()
            .filter_map(|line| line.split("saved ").nth(1).and_then(|n| n.trim().parse::<u64>().ok()))
            .next_back()
            .unwrap_or(n);

        // The file and, for the journal's role, the saves appended to it since.
        let on_disk = match (journaling, std::fs::read(&state)) {
            (true, _) => match read_state(&state) {
                Judged::Missing => 0,
                judged => save_number_of(judged).unwrap_or_else(|()| panic!("kill {kill}: the state is damaged")),
            },
            (false, Ok(bytes)) => {
                save_number(&bytes).unwrap_or_else(|bytes| panic!("kill {kill}: the file is damaged: {bytes}"))
            }
            (false, Err(_)) => 0,
        };
        assert!(
            on_disk == reported || on_disk == reported + 1,
            "kill {kill}: the last save reported was {reported}, the file holds save {on_disk}; the child wrote \
             {lines:?} and {stderr}"
        );
        if let Ok(bytes) = std::fs::read(dir.path().join("state.json.bak")) {
            let backup = save_number(&bytes).unwrap_or_else(|b| panic!("kill {kill}: the backup is damaged: {b}"));
            assert!(backup <= on_disk, "kill {kill}: backup {backup} is newer than the file, {on_disk}");
        }
        let temps = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains(".tmp-"))
            .count();
        assert!(temps <= 2, "kill {kill}: {temps} temporary files: the leftovers are not cleaned up");
        leftovers_seen += u64::from(temps > 0);
        during_saves += u64::from(on_disk != reported);
        n = on_disk;
    }
    println!(
        "{role}: {kills} kills in {:.1?}: {n} saves survived; {during_saves} kills between a save and its report, \
         {leftovers_seen} left temporary files (removed by the next start); every file parsed and held the \
         state before or after the last save",
        started.elapsed()
    );
    assert!(n > kills / 4, "too few saves ran between kills ({n}) for the test to mean much");
}
