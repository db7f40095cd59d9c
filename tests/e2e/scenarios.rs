//! The end-to-end scenarios: the real binary in a pseudo-terminal, keys typed in and the screen read back.
//!
//! Nothing is needed beyond the Rust toolchain and what every Unix has (`sh`; `bash` where a scenario is
//! about bash: job control, process substitution). Each test has its own terminal and temporary directory,
//! so they run in parallel. Timings are printed, never checked: `cargo test --test e2e -- --nocapture`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::pty::{Pty, command, papers};
use nix::sys::signal::{Signal, kill};
use nix::sys::stat::Mode;
use nix::unistd::Pid;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The keys of the papers starred in a state file.
fn starred(state: &Path) -> Vec<String> {
    let saved = std::fs::read_to_string(state).expect("the state file");
    let json: serde_json::Value = serde_json::from_str(&saved).expect("the state file parses");
    json["papers"]
        .as_object()
        .unwrap_or_else(|| panic!("no papers in the state file: {saved}"))
        .iter()
        .filter(|(_, marks)| marks["starred"] == true)
        .map(|(key, _)| key.clone())
        .collect()
}

const MAMBA_YOLO: &str = "title:mamba yolo ssms based yolo for object detection";
/// The third paper of the built-in digest.
const THIRD_PAPER: &str = "title:survey of hallucination in natural language generation";
/// The first paper of the built-in digest, selected when the reader opens.
const FIRST_PAPER: &str = "title:deep learning for personalized electrocardiogram diagnosis a review";

#[test]
fn typing_a_query_selects_its_best_match_and_shows_its_abstract() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut t = Pty::spawn(papers(data.path()), 120, 40);
    t.wait("83/83 shown");
    // Mamba YOLO selected: it matches "mamba" too, but the cursor goes to the best match as the query
    // is typed, and the detail pane shows that paper.
    t.keys("j");
    t.wait("││ Mamba YOLO: SSMs-Based YOLO For Object Detection ");
    t.keys("/");
    t.type_text("mamba");
    t.wait("^ / mamba");
    t.wait("││ A Survey of Mamba  +│");
    t.expect("Deep learning, as a vital technique, has sparked a notable");
    // Each keystroke that changes the query moves it again: a word start beats scattered letters.
    t.keys("Backspace Backspace Backspace Backspace Backspace");
    t.type_text("les");
    t.wait("^ / les");
    t.wait("││ A Wholistic View of Continual Learning with Deep Neural +│");
    t.expect("Networks: Forgotten Lessons and the Bridge");
    t.keys("Enter");
    t.wait("search: les");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn star_a_paper_found_by_search_and_find_it_starred_next_time() {
    let data = tempfile::tempdir().expect("temp dir");

    // First run: find a paper by a few letters of its title, open it, star it, quit.
    let mut t = Pty::spawn(papers(data.path()), 120, 40);
    t.timed("first frame", "83/83 shown");
    t.expect("● +Deep Learning for Personalized");
    t.keys("/");
    t.type_text("yolo");
    t.wait("^ / yolo");
    t.expect("Mamba YOLO");
    t.keys("Enter");
    t.wait("search: yolo");
    t.keys("Enter");
    t.wait("Marked read");
    t.expect("82 unread");
    t.keys("s");
    t.wait("Starred");
    t.expect("★ 1 ·");
    t.keys("q");
    t.wait("⏎ open");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_modes_restored();
    drop(t);

    // Second run on the same state: the star and the read mark are still there.
    let mut t = Pty::spawn(papers(data.path()), 120, 40);
    t.wait("83/83 shown");
    t.expect("★ 1 · 82 unread");
    // Read, so no unread mark before the star; the paper before it is still unread.
    t.expect("│ ●   Deep Learning for Personalized");
    t.expect("│   ★ Mamba YOLO: SSMs-Based YOLO");
    t.keys("j");
    t.wait("★ starred +read");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);

    let out = Command::new(env!("CARGO_BIN_EXE_papers"))
        .args(["list", "--starred", "--json"])
        .env("XDG_DATA_HOME", data.path())
        .output()
        .expect("run papers list");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let starred = json.as_array().expect("array");
    assert_eq!(starred.len(), 1);
    assert_eq!(starred[0]["title"], "Mamba YOLO: SSMs-Based YOLO For Object Detection");
    assert_eq!(starred[0]["read"], true);
    assert!(data.path().join("papers/state.json").is_file(), "state lives in XDG_DATA_HOME/papers");
}

#[test]
fn two_days_of_json_step_by_day_star_open_and_export() {
    let data = tempfile::tempdir().expect("temp dir");
    let exports = data.path().join("exports");
    std::fs::create_dir(&exports).expect("mkdir");
    // The opener is a script that writes down the URL it was given: the reader runs it directly.
    let opened = data.path().join("opened.txt");
    let opener = data.path().join("opener.sh");
    std::fs::write(&opener, format!("#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n", opened.display())).expect("write");
    std::fs::set_permissions(&opener, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    let mut cmd = papers(data.path());
    cmd.env("PAPERS_OPENER", &opener);
    cmd.arg(fixture("hf-daily-papers.json"));
    cmd.arg(fixture("hf-daily-papers-day2.json"));
    cmd.arg("--export-dir");
    cmd.arg(&exports);
    cmd.args(["--export-format", "markdown"]);

    let mut t = Pty::spawn(cmd, 120, 40);
    t.wait("4/4 shown");
    t.expect("Sparse Mixture-of-Adapters");
    t.keys("]");
    // The day and the count change together once the day's papers are listed: wait for both.
    t.wait("3/4 shown.*day: 2024-03-14");
    t.reject("Lossless Checkpoint");
    t.keys("]");
    t.wait("2/4 shown.*day: 2024-03-15");
    t.expect("Lossless Checkpoint Compression");
    t.reject("Sparse Mixture-of-Adapters");
    // The first paper of the day is the ECG review, seen on both days: its pane shows both.
    t.expect("Lena Hartmann, Rafael Okonkwo");
    t.expect("arXiv:2403.09043");
    t.expect("in the digests of 2024-03-14, 2024-03-15");
    t.keys("s");
    t.wait("Starred");
    t.expect("★ 1 ·");
    t.keys("o");
    t.wait("Opening https://arxiv.org/abs/2403.09043");
    t.keys("E");
    // The format asked for, the configured one (Markdown) highlighted: Enter takes it.
    t.wait("Export the papers shown as");
    t.keys("Enter");
    t.wait(r"Exported 2 papers to .*papers-\d{4}-\d\d-\d\d\.md");
    t.keys("]");
    t.wait("All days");
    t.wait("4/4 shown");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);

    let deadline = Instant::now() + crate::pty::TIMEOUT;
    while !opened.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(std::fs::read_to_string(&opened).expect("the opener ran"), "https://arxiv.org/abs/2403.09043\n");
    let files: Vec<_> = std::fs::read_dir(&exports).expect("exports").map(|e| e.expect("entry").path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let markdown = std::fs::read_to_string(&files[0]).expect("read export");
    let items: Vec<&str> = markdown.lines().filter(|l| l.starts_with("- ")).collect();
    assert_eq!(items.len(), 2, "{markdown}");
    assert!(
        items[0].contains("Deep Learning for Personalized Electrocardiogram") && items[0].contains('★'),
        "{markdown}"
    );
    assert!(items[1].contains("Lossless Checkpoint Compression") && !items[1].contains('★'), "{markdown}");
}

#[test]
fn a_digest_on_standard_input_leaves_the_keys_to_the_terminal() {
    let data = tempfile::tempdir().expect("temp dir");
    // The pipe is the shell's: the terminal stays the controlling terminal, where the reader finds the keys.
    let mut cmd = command("sh", data.path());
    cmd.args(["-c", "cat \"$1\" | \"$0\" -", env!("CARGO_BIN_EXE_papers")]);
    cmd.arg(fixture("arxiv-rss.xml"));

    let mut t = Pty::spawn(cmd, 100, 30);
    t.wait("3/3 shown");
    t.expect("Graph Rewiring Is Not Enough");
    t.keys("j j Enter");
    t.wait("Marked read");
    t.expect("2 unread");
    t.expect("arXiv:");
    t.keys("q");
    t.wait("⏎ open");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_modes_restored();
    t.assert_cooked();
}

#[test]
fn at_80x24_a_paper_opens_full_width() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut t = Pty::spawn(papers(data.path()), 80, 24);
    t.wait("83/83 shown");
    t.reject("╭ Abstract");
    t.keys("G");
    t.wait("Efficiently Robustify Pre-trained Models");
    t.keys("Enter");
    t.wait("╭ Abstract");
    t.reject("╭ Papers");
    t.expect("A recent trend in deep learning algorithms");
    t.keys("J J G");
    t.wait("100%");
    t.keys("q");
    t.wait("╭ Papers");
    t.keys("?");
    t.wait("╭ Keys");
    t.keys("Esc");
    t.gone("╭ Keys");
    t.keys("C-c");
    assert_eq!(t.wait_exit(), 130);
    t.assert_modes_restored();
    t.assert_cooked();
}

#[test]
fn resizing_the_terminal_relays_out_the_panes() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut t = Pty::spawn(papers(data.path()), 80, 24);
    t.wait("83/83 shown");
    t.reject("╭ Abstract");
    // Growing the terminal past 100 columns puts the list and the paper side by side.
    t.resize(200, 60);
    t.wait("╭ Abstract");
    t.expect("╭ Papers");
    t.keys("/");
    t.type_text("中国");
    t.wait("1/83 shown");
    // Wide characters take two cells: the pane's border still lines up after the cut title.
    t.expect("HF中国镜像站 Deep Learning Mo…││");
    t.keys("Esc");
    t.wait("83/83 shown");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
}

/// Nothing waits on the disk: `s` while another papers process holds the state file's lock for two seconds
/// shows the star at once (how long after the key is printed: the target is one frame, 16 ms), with
/// `saving…` in the bar; the star reaches the file once the lock is let go.
#[test]
fn a_star_shows_at_once_while_another_reader_holds_the_lock() {
    let data = tempfile::tempdir().expect("temp dir");
    let state = data.path().join("state.json");
    let mut cmd = papers(data.path());
    cmd.arg("--state");
    cmd.arg(&state);
    let mut t = Pty::spawn(cmd, 120, 30);
    t.wait("83/83 shown");
    // This test's process is the other reader, in the middle of a save.
    let lock = std::fs::File::create(data.path().join("state.json.lock")).expect("lock file");
    lock.lock().expect("take the lock");
    let held = Instant::now();
    let mut shown = Vec::new();
    for (key, count) in [("s", "★ 1 ·"), ("s", "★ 0 ·"), ("s", "★ 1 ·")] {
        let pressed = Instant::now();
        t.keys(key);
        t.wait(count);
        shown.push(pressed.elapsed());
        // Still held: the star came while the save was waiting for the lock, and the bar says so.
        t.expect("saving…");
    }
    let shown: Vec<String> = shown.iter().map(|d| format!("{:.1} ms", d.as_secs_f64() * 1000.0)).collect();
    println!("key to mark on screen while another process holds the lock: {}", shown.join(", "));
    std::thread::sleep(Duration::from_secs(2).saturating_sub(held.elapsed()));
    drop(lock);
    // The save went through, or gave up at two seconds and is tried again within a second.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !(state.is_file() && starred(&state) == [FIRST_PAPER]) {
        assert!(Instant::now() < deadline, "the star never reached the file:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    t.gone("saving…|NOT SAVED");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(starred(&state), [FIRST_PAPER]);
}

/// How a run of the reader is ended in `ends_cleanly`.
#[derive(Clone, Copy)]
enum Ending {
    /// Keys typed in the reader, with the fault (`PAPERS_FAULT`) they set off, if any.
    Keys(&'static str, Option<&'static str>),
    /// A signal sent to the reader from outside.
    Signal(Signal),
}

/// One exit path, end to end. The reader starts with a state path it cannot use (the parent is a regular
/// file; the alert box says so and Enter closes it) and stars a paper, so the star is only in memory and
/// the status line says "not saved". The test then makes the path usable and saves a second star there, as
/// another reader would; the reader shows it (and saves its own on its next try). Then, holding the lock
/// as a reader in the middle of a save does, the test has a third paper starred and `ending` end the
/// reader while that save waits, and lets the lock go. Afterwards the exit code is `code` (an exit, not a
/// death by signal); the terminal is as it was before (termios, main screen, cursor shown, mouse reporting
/// off), and a shell run in it next echoes what is typed and reads whole lines; and the file holds all
/// three stars: the way out waited for the third.
fn ends_cleanly(ending: Ending, code: u32) {
    let data = tempfile::tempdir().expect("temp dir");
    let parent = data.path().join("sub");
    let state = parent.join("state.json");
    std::fs::write(&parent, b"a file where the directory should be").expect("write");
    let mut cmd = papers(data.path());
    cmd.arg("--state");
    cmd.arg(&state);
    if let Ending::Keys(_, Some(fault)) = ending {
        cmd.env("PAPERS_FAULT", fault);
        cmd.env("RUST_BACKTRACE", "0");
    }

    let mut t = Pty::open(100, 40);
    let before = t.termios();
    t.run(cmd);
    t.wait("83/83 shown");
    t.wait("Stars and read marks");
    t.expect("cannot use");
    t.keys("Enter");
    t.gone("Stars and read marks");
    t.keys("s");
    t.wait("not saved");
    t.expect("NOT SAVED");

    // Another reader's save, made whole beside the path and then put in place, as a save is.
    let other = data.path().join("other");
    std::fs::create_dir(&other).expect("mkdir");
    std::fs::write(
        other.join("state.json"),
        format!(r#"{{"version": 1, "papers": {{"{MAMBA_YOLO}": {{"starred": true, "changed": 1}}}}}}"#),
    )
    .expect("another reader's save");
    std::fs::remove_file(&parent).expect("remove the file in the way");
    std::fs::rename(&other, &parent).expect("put the directory in its place");
    t.wait("★ 2 ·");

    // A third star while another reader is in the middle of a save (this test holds the lock): the reader
    // is ended while that star still waits for the lock, so only the way out can save it.
    let lock = std::fs::File::create(parent.join("state.json.lock")).expect("lock file");
    lock.lock().expect("take the lock");
    t.keys("j");
    t.keys("j");
    t.keys("s");
    t.wait("★ 3 ·");
    t.expect("saving…");
    match ending {
        Ending::Keys(keys, _) => t.keys(keys),
        Ending::Signal(signal) => t.signal(signal),
    }
    std::thread::sleep(Duration::from_millis(300));
    drop(lock);
    assert_eq!(t.wait_exit(), code, "the exit code; the screen:\n{}", t.screen());
    assert_eq!(t.termios(), before, "the terminal's modes are not as they were before the reader");
    t.assert_cooked();

    // A shell in the same terminal next: it reads a line, echoed as it is typed. What it prints comes after
    // all that the reader wrote, so from its prompt on the screen shows what the reader left.
    let mut shell = command("sh", data.path());
    shell.args(["-c", "stty -a; printf 'prompt> '; read line; echo \"got=$line\""]);
    t.run(shell);
    t.wait("^prompt>");
    t.assert_modes_restored();
    t.reject("Papers");
    match ending {
        Ending::Keys(_, Some("panic")) => {
            t.expect("a panic asked for with PAPERS_FAULT");
            t.expect("all changes are saved");
        }
        Ending::Keys(_, Some("error")) => t.expect("terminal error: an error asked for with PAPERS_FAULT"),
        _ => {}
    }
    t.expect(r"(^|\s)icanon\b");
    t.expect(r"(^|\s)echo\b");
    t.type_text("typed text");
    t.wait("^prompt> typed text$");
    t.keys("Enter");
    t.wait("^got=typed text$");
    assert_eq!(t.wait_exit(), 0);

    let mut starred = starred(&state);
    starred.sort();
    assert_eq!(starred, [FIRST_PAPER, MAMBA_YOLO, THIRD_PAPER], "every star is on disk");
}

#[test]
fn q_saves_and_exits_0() {
    ends_cleanly(Ending::Keys("q", None), 0);
}

#[test]
fn ctrl_c_saves_and_exits_130() {
    ends_cleanly(Ending::Keys("C-c", None), 130);
}

#[test]
fn a_panic_saves_restores_the_terminal_and_exits_101() {
    ends_cleanly(Ending::Keys("F12", Some("panic")), 101);
}

#[test]
fn a_terminal_error_saves_restores_the_terminal_and_exits_1() {
    ends_cleanly(Ending::Keys("F12", Some("error")), 1);
}

#[test]
fn sigterm_saves_restores_the_terminal_and_exits_143() {
    ends_cleanly(Ending::Signal(Signal::SIGTERM), 143);
}

#[test]
fn sighup_saves_restores_the_terminal_and_exits_129() {
    ends_cleanly(Ending::Signal(Signal::SIGHUP), 129);
}

#[test]
fn sigint_saves_restores_the_terminal_and_exits_130() {
    ends_cleanly(Ending::Signal(Signal::SIGINT), 130);
}

#[test]
fn sigquit_saves_restores_the_terminal_and_exits_131() {
    ends_cleanly(Ending::Signal(Signal::SIGQUIT), 131);
}

/// The terminal goes away under the reader (its window is closed, a connection drops), under a shell that
/// ignores SIGHUP, so no signal need reach the reader: it must notice, save, and end, not linger spinning on
/// the dead terminal.
#[test]
fn a_vanished_terminal_ends_the_reader_with_its_star_saved() {
    let data = tempfile::tempdir().expect("temp dir");
    let state = data.path().join("hangup-state.json");
    let pid_file = data.path().join("reader.pid");
    // The session leader is the shell, which gets the hangup and ignores it. The reader is the inner shell,
    // which writes down its pid before it becomes the reader; the outer shell waits for it, then exits 0.
    let mut cmd = command("sh", data.path());
    cmd.args([
        "-c",
        "trap '' HUP; sh -c 'echo $$ > \"$2\"; exec \"$0\" --state \"$1\"' \"$0\" \"$1\" \"$2\"; true",
        env!("CARGO_BIN_EXE_papers"),
    ]);
    cmd.args([&state, &pid_file]);

    let mut t = Pty::spawn(cmd, 100, 30);
    t.wait("83/83 shown");
    let pid = std::fs::read_to_string(&pid_file).expect("the reader's pid");
    let pid = Pid::from_raw(pid.trim().parse().expect("a pid"));
    t.keys("s");
    t.wait("Starred");
    t.hang_up();
    let hung_up = Instant::now();
    // Until the shell has waited for it, an ended reader is still there as a zombie; then it is gone.
    while kill(pid, None).is_ok() {
        if hung_up.elapsed() > Duration::from_secs(10) {
            let _ = kill(pid, Signal::SIGKILL);
            panic!("the reader (pid {pid}) outlived its terminal by 10 s; now killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    println!("the reader ended {} ms after its terminal", hung_up.elapsed().as_millis());
    assert_eq!(t.wait_exit(), 0, "the shell ran on to its end");
    assert_eq!(starred(&state), [FIRST_PAPER], "the star is saved");
}

#[test]
fn escape_sequences_in_a_digest_never_reach_the_terminal() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut cmd = command("bash", data.path());
    cmd.args([
        "-c",
        "\"$0\" <(cat \"$1\"); echo \"exit=$?\"; \"$0\" list \"$1\"; echo \"list=$?\"",
        env!("CARGO_BIN_EXE_papers"),
    ]);
    cmd.arg(fixture("escapes.txt"));

    // Read through process substitution: nothing of the escapes reaches the terminal.
    let mut t = Pty::spawn(cmd, 120, 30);
    t.wait("3/3 shown");
    t.expect("Set the window title");
    t.expect("Clipboard write and a link here");
    t.expect("Clear screen and override zerowidth and tab");
    t.expect("DCS");
    t.keys("j");
    t.wait("reset,");
    t.keys("j");
    t.wait("separator");
    t.keys("q");
    t.wait("^exit=0$");
    // `papers list` prints the same titles to the terminal, just as safely.
    t.wait("^list=0$");
    t.expect("^● +Set the window title$");
    assert_eq!(t.wait_exit(), 0);
    t.assert_modes_restored();
    t.assert_cooked();

    let titles = t.titles();
    println!("window titles set: {titles:?}");
    assert!(!titles.iter().any(|title| title.contains("PWNED")), "a hostile title got through: {titles:?}");
    assert_eq!(t.clipboard(), Vec::<String>::new(), "a clipboard write got through");
    // The reader and `papers list` write CSI sequences only: no OSC (titles, clipboard, links), DCS, APC,
    // PM, SOS, reset or status query, in 7-bit or C1 form.
    let raw = t.raw();
    let text = String::from_utf8_lossy(&raw);
    for (what, bad) in [
        ("OSC", "\x1b]"),
        ("DCS", "\x1bP"),
        ("APC", "\x1b_"),
        ("PM", "\x1b^"),
        ("SOS", "\x1bX"),
        ("a reset", "\x1bc"),
        ("a status query", "\x1b[6n"),
        ("a C1 OSC", "\u{9d}"),
        ("a C1 CSI", "\u{9b}"),
        ("a C1 DCS", "\u{90}"),
        ("a bidi override", "\u{202e}"),
        ("PWNED", "PWNED"),
    ] {
        assert!(!text.contains(bad), "{what} reached the terminal: {:?}", context(&text, bad));
    }
}

#[test]
fn escape_sequences_in_names_and_error_texts_never_reach_the_terminal_through_standard_error() {
    let data = tempfile::tempdir().expect("temp dir");
    let evil = "evil\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]2;PWNED\u{7}";
    let digests = data.path().join("digests");
    std::fs::create_dir(&digests).expect("digests");
    std::fs::copy(fixture("three-papers.txt"), digests.join("good.txt")).expect("copy");
    std::fs::write(digests.join(format!("{evil}.txt")), b"").expect("an empty digest");
    std::fs::write(
        data.path().join(format!("{evil}.json")),
        "{\"version\":1,\"papers\":{},\"\\u001b]2;PWNED\\u0007\":1}",
    )
    .expect("a foreign state file");
    // Standard error is the terminal here, as a person running papers has it: an unknown option (clap's
    // message), a missing file, a file passed over in a directory, serde's message about a state file.
    let mut cmd = command("bash", data.path());
    cmd.args([
        "-c",
        "\"$0\" list --\"$1\"; \"$0\" list \"$1.txt\"; \"$0\" list digests --state \"$1.json\"; echo \"done=$?\"",
        env!("CARGO_BIN_EXE_papers"),
        evil,
    ]);
    let mut t = Pty::spawn(cmd, 200, 40);
    t.wait("^done=0$");
    t.expect("unexpected argument '--evil' found");
    t.expect("evil.E]52;c;ZXZpbA==.a.E]2;PWNED.a.txt': cannot read it");
    t.expect("passed over");
    t.expect("unknown field ``");
    assert_eq!(t.wait_exit(), 0);
    let titles = t.titles();
    assert!(titles.is_empty(), "a window title was set: {titles:?}");
    assert_eq!(t.clipboard(), Vec::<String>::new(), "a clipboard write got through");
    let raw = t.raw();
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains("\x1b]") && !text.contains('\u{7}'), "{:?}", context(&text, "\x1b]"));
}

/// Where `needle` first occurs in `text`, with some text around it.
fn context(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    text.chars().skip(text[..at].chars().count().saturating_sub(40)).take(80 + needle.chars().count()).collect()
}

#[test]
fn ctrl_z_suspends_and_fg_redraws() {
    let data = tempfile::tempdir().expect("temp dir");
    let state = data.path().join("state.json");
    let mut cmd = command("bash", data.path());
    cmd.args(["--norc", "--noprofile", "-i"]);
    cmd.env("PS1", "$ ");
    cmd.env("PAPERS", env!("CARGO_BIN_EXE_papers"));
    cmd.env("STATE", &state);

    let mut t = Pty::spawn(cmd, 100, 40);
    t.wait(r"^\$");
    t.type_text("\"$PAPERS\" --state \"$STATE\"");
    t.keys("Enter");
    t.wait("83/83 shown");
    t.keys("j");
    t.keys("s");
    t.wait("Starred");
    // Ctrl-Z gives the shell its terminal back.
    t.keys("C-z");
    t.wait("Stopped");
    // Typed before the prompt, the keys would be echoed by the terminal and then again by the prompt.
    t.wait(r"^\$ *$");
    t.assert_modes_restored();
    // While the reader is stopped the shell has the terminal: what is typed is echoed.
    t.type_text("fg");
    t.wait(r"^\$ fg$");
    t.keys("Enter");
    // fg brings the reader back, redrawn, star intact.
    t.wait("83/83 shown");
    t.expect("★ 1 ·");
    t.keys("q");
    t.wait(r"^\$ *$");
    t.assert_modes_restored();
    t.type_text("stty -a");
    t.keys("Enter");
    t.wait(r"(^|\s)icanon\b");
    t.expect(r"(^|\s)echo\b");
    assert_eq!(starred(&state).len(), 1, "the star is saved");
    t.type_text("exit");
    t.keys("Enter");
    assert_eq!(t.wait_exit(), 0);
}

/// A digest of `n` papers numbered from `from`, each with a one-line abstract, and `last` at the end.
fn numbered_digest(from: usize, n: usize, last: Option<&str>) -> String {
    let sentence = "We study how sparse graphs help models learn structure from very little labelled data.";
    let mut text = String::new();
    for i in from..from + n {
        text.push_str(&format!("Paper {i} on sparse graph learning\n\n{}\n\n", [sentence; 4].join(" ")));
    }
    if let Some(title) = last {
        text.push_str(&format!("{title}\n\n{}\n", [sentence; 4].join(" ")));
    }
    text
}

/// A digest that arrives slowly (a pipe that pauses): the reader opens on its first papers and says it is
/// still loading; a search typed meanwhile takes in the papers that arrive later. The pause lasts until the
/// test has seen the search come up empty, so no step depends on how fast the machine is.
#[test]
fn a_slow_digest_opens_at_once_and_its_papers_come_in_while_searching() {
    let data = tempfile::tempdir().expect("temp dir");
    // More than the first block the reader parses before it opens (256 KiB), then a pause.
    let first = data.path().join("first.txt");
    let rest = data.path().join("rest.txt");
    let go_on = data.path().join("go-on");
    std::fs::write(&first, numbered_digest(1, 1000, None)).expect("write");
    std::fs::write(&rest, numbered_digest(1001, 200, Some("Zebra Finch Song Learning"))).expect("write");
    nix::unistd::mkfifo(&go_on, Mode::S_IRUSR | Mode::S_IWUSR).expect("mkfifo");
    let mut cmd = command("bash", data.path());
    cmd.args(["-c", "\"$0\" <(cat \"$1\"; read -r _ < \"$3\"; cat \"$2\")", env!("CARGO_BIN_EXE_papers")]);
    cmd.args([&first, &rest, &go_on]);

    let mut t = Pty::spawn(cmd, 100, 30);
    t.wait(r"loading \d+ [KM]B");
    t.expect("Paper 1 on sparse graph learning");
    t.keys("/");
    t.type_text("zebra finch");
    t.wait("No titles match");
    release(&go_on);
    // The rest arrives; the search that is shown ranks it in.
    t.wait("Zebra Finch Song Learning");
    t.gone("loading");
    t.keys("Esc");
    t.wait("1201/1201 shown");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
}

/// Writes a line into the FIFO at `path` once its reader has it open.
fn release(path: &Path) {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let deadline = Instant::now() + crate::pty::TIMEOUT;
    loop {
        // Without a reader yet, a non-blocking open fails at once instead of waiting forever.
        match std::fs::OpenOptions::new().write(true).custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits()).open(path) {
            Ok(mut fifo) => {
                fifo.write_all(b"\n").expect("write to the FIFO");
                return;
            }
            Err(_) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("the digest's writer never opened its FIFO: {e}"),
        }
    }
}

/// `R` fetches today's papers from the configured sources (a server of the test's own) while the reader
/// runs: they join the list, the selection stays, and the next start opens the library they are kept in.
#[test]
fn r_fetches_the_days_papers_and_they_join_the_list() {
    use crate::server::{Reply, Server};
    let day = std::fs::read(fixture("hf-daily-papers.json")).expect("fixture");
    let server = Server::start(move |_, _| Reply::ok(day.clone()));
    let data = tempfile::tempdir().expect("temp dir");
    let config = data.path().join(".config/papers/config.toml");
    std::fs::create_dir_all(config.parent().expect("parent")).expect("mkdir");
    std::fs::write(&config, format!("[huggingface]\nendpoint = \"{}\"\n", server.url())).expect("config");

    let mut t = Pty::spawn(papers(data.path()), 120, 40);
    t.wait("83/83 shown");
    t.keys("j");
    t.keys("j");
    t.wait("│ Survey of Hallucination in Natural Language Generation");
    t.keys("R");
    t.wait("Fetched: 3 new papers");
    // One of the three is the ECG review the built-in digest has too: one paper, two days.
    t.expect("85/85 shown");
    t.expect("│ Survey of Hallucination in Natural Language Generation");
    assert!(server.requests()[0].target.starts_with("/api/daily_papers?date="), "{:?}", server.requests());
    t.keys("G");
    t.wait("Deep Learning for Personalized Electrocardiogram|Counting What Matters");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
    drop(t);

    // The next start opens the library, not the built-in digest.
    let mut t = Pty::spawn(papers(data.path()), 120, 40);
    t.wait("3/3 shown");
    t.expect("Sparse Mixture-of-Adapters");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
}

/// `--day` starts on one day's papers, and a day that is not one is refused before the terminal is taken.
#[test]
fn the_reader_starts_on_the_day_asked_for() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut cmd = papers(data.path());
    cmd.arg(fixture("hf-daily-papers.json"));
    cmd.arg(fixture("hf-daily-papers-day2.json"));
    cmd.args(["--day", "2024-03-15"]);
    let mut t = Pty::spawn(cmd, 120, 30);
    t.wait("2/4 shown.*day: 2024-03-15");
    t.expect("Lossless Checkpoint Compression");
    t.keys("[");
    t.wait("3/4 shown.*day: 2024-03-14");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
    let mut cmd = papers(data.path());
    cmd.args(["--day", "15 March"]);
    let mut t = Pty::spawn(cmd, 120, 30);
    t.wait("--day 15 March: give a day as YYYY-MM-DD");
    assert_eq!(t.wait_exit(), 2);
}

#[test]
fn a_phrase_only_in_an_abstract_finds_its_paper_and_m_lists_the_papers_like_it() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut t = Pty::spawn(papers(data.path()), 120, 40);
    t.wait("83/83 shown");
    // "clean energy transition" is in one abstract and in no title; the index is built in the background
    // meanwhile (in the test's home), and the search is answered once it has the paper.
    t.keys("/");
    t.type_text("?\"clean energy transition\"");
    t.wait("^ / \\?\"clean energy transition\"");
    t.timed("text search answered", "1/83 shown");
    t.expect("AdsorbRL: Deep Multi-Objective Reinforcement Learning");
    t.keys("Enter");
    t.wait("search: \\?\"clean energy");
    // Opened: the words found are in the abstract shown.
    t.keys("Enter");
    t.wait("Marked read");
    t.expect("clean energy");
    // The papers like it, each with how alike it is; Enter opens one, Esc goes back.
    t.keys("m");
    t.timed("similar papers", "Papers like “AdsorbRL");
    t.wait("│ [● ]  .+ \\d+%");
    t.keys("Enter");
    t.wait("Marked read");
    t.keys("Esc");
    t.wait("⏎ open");
    t.expect("Papers like “AdsorbRL");
    t.keys("Esc");
    // Back where `m` was pressed: the text search, and the paper open.
    t.gone("Papers like");
    t.wait("1/83 shown");
    t.expect("search: \\?\"clean energy");
    t.keys("q");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
    assert!(data.path().join(".cache/papers/index/meta.json").is_file(), "the index is kept in the cache directory");
}

#[test]
fn a_key_bound_in_the_configuration_stars_and_no_color_reverses_the_whole_selected_row() {
    let data = tempfile::tempdir().expect("temp dir");
    let config = data.path().join("config.toml");
    std::fs::write(&config, "[keys]\ntoggle_star = \"x\"\n").expect("write the configuration");
    let mut command = papers(data.path());
    command.arg("--config");
    command.arg(&config);
    command.env("NO_COLOR", "1");
    let mut t = Pty::spawn(command, 80, 24);
    t.wait("83/83 shown");
    // The status bar's hints name the key where the configuration put it.
    t.expect("  x star  ");
    t.reject("s star");
    // The first paper is selected, its whole row inside the border in reverse video, and only it.
    let row = t.inverse(2);
    assert!(row[1..79].iter().all(|&r| r), "row 2: {row:?}\n{}", t.screen());
    for other in [3, 4, 10] {
        assert!(!t.inverse(other)[1..79].iter().any(|&r| r), "row {other}\n{}", t.screen());
    }
    t.keys("j");
    let start = Instant::now();
    while !t.inverse(3)[1..79].iter().all(|&r| r) && start.elapsed() < crate::pty::TIMEOUT {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(t.inverse(3)[1..79].iter().all(|&r| r), "after j\n{}", t.screen());
    assert!(!t.inverse(2)[1..79].iter().any(|&r| r), "after j\n{}", t.screen());
    // `s` no longer stars; `x` does.
    t.keys("k");
    t.keys("s");
    t.keys("x");
    t.wait("Starred");
    t.expect("★ 1 ·");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(starred(&data.path().join("papers/state.json")), [FIRST_PAPER]);
    // No colour was written, nor crossterm's empty `ESC[;m` that undid reverse video and bold.
    let raw = String::from_utf8_lossy(&t.raw()).to_string();
    assert!(!raw.contains("\x1b[;m") && !raw.contains("\x1b[m\x1b"), "an empty reset");
    let colour = regex::Regex::new(r"\x1b\[(3[0-7]|4[0-7]|9[0-7]|38;|48;)").expect("regex");
    assert!(!colour.is_match(&raw), "a colour under NO_COLOR: {:?}", colour.find(&raw));
}

#[test]
fn a_directory_with_a_bad_file_counts_the_warnings_and_bang_names_the_files() {
    let data = tempfile::tempdir().expect("temp dir");
    let days = data.path().join("days");
    std::fs::create_dir(&days).expect("mkdir");
    // Read in name order: an empty file passed over before the reader starts, a good digest, then one
    // with bad bytes and another empty file, read while it runs.
    std::fs::write(days.join("0-empty.txt"), "").expect("write");
    std::fs::copy(fixture("three-papers.txt"), days.join("1-good.txt")).expect("copy");
    std::fs::copy(fixture("invalid-utf8.txt"), days.join("2-bad-bytes.txt")).expect("copy");
    std::fs::write(days.join("3-empty.txt"), "").expect("write");
    let mut cmd = papers(data.path());
    cmd.arg(&days);
    let mut t = Pty::spawn(cmd, 100, 30);
    t.wait(r"⚠ 3 warnings");
    t.keys("!");
    t.wait("Messages: 3 warnings");
    t.wait(r"0-empty\.txt — ");
    t.wait(r"2-bad-bytes\.txt:\d+ — invalid UTF-8");
    t.wait(r"3-empty\.txt — ");
    // The pane holds the keys until closed.
    t.keys("Esc");
    t.gone("Messages: 3 warnings");
    t.wait("! messages");
    t.reject(r"0-empty\.txt");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
    // What the reader read on in the background is told on standard error after it, as what it opened
    // first was before.
    t.wait(r"warning: .*3-empty\.txt");
}

/// `papers ARGS` run without a terminal, on the state and data of `data` as the reader there had them.
fn papers_output(data: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_papers"))
        .env_clear()
        .env("HOME", data)
        .env("XDG_DATA_HOME", data)
        .current_dir(data)
        .args(args)
        .output()
        .expect("papers runs");
    assert!(out.status.success(), "papers {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn a_paper_tagged_in_the_reader_is_found_by_list_tag() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut t = Pty::spawn(papers(data.path()), 120, 40);
    t.wait("83/83 shown");
    t.keys("j");
    t.wait("││ Mamba YOLO: SSMs-Based YOLO For Object Detection ");
    t.keys("t");
    t.wait(" tags: ");
    t.type_text("project-x +detection");
    t.keys("Enter");
    t.wait(r"Tagged \+#project-x \+#detection");
    // In the pane (the list's row has no room left by the title at this width).
    t.expect("││ #detection #project-x ");
    // The filter selects it.
    t.keys("/");
    t.type_text("#project-x");
    t.wait("1/83 shown");
    t.keys("Enter");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);

    let listed = papers_output(data.path(), &["list", "--tag", "project-x"]);
    assert_eq!(
        listed.lines().collect::<Vec<_>>(),
        ["●   Mamba YOLO: SSMs-Based YOLO For Object Detection"],
        "{listed}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&papers_output(data.path(), &["list", "--json", "--tag", "detection"])).expect("JSON");
    assert_eq!(json[0]["tags"], serde_json::json!(["detection", "project-x"]), "{json}");
    assert!(papers_output(data.path(), &["list", "--tag", "other"]).is_empty());
}

#[test]
fn a_note_written_in_a_scripted_editor_shows_in_the_pane_and_the_export() {
    let data = tempfile::tempdir().expect("temp dir");
    // The editor is a script: it adds a line to the file it is given, as a person would, and notes it ran.
    let editor = data.path().join("editor.sh");
    let ran = data.path().join("ran.txt");
    let script = format!(
        "#!/bin/sh\nprintf 'Read with S4 & Mamba: §3 {{first}}.\\n' >> \"$1\"\necho ran >> '{}'\n",
        ran.display()
    );
    std::fs::write(&editor, script).expect("write");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    let mut cmd = papers(data.path());
    cmd.env("EDITOR", &editor);
    let mut t = Pty::spawn(cmd, 120, 40);
    t.wait("83/83 shown");
    t.keys("j");
    t.wait("││ Mamba YOLO: SSMs-Based YOLO For Object Detection ");
    t.keys("N");
    t.wait("Note saved");
    // The reader has its screen back, the note under the abstract.
    t.expect("83/83 shown");
    t.keys("Enter");
    t.wait("Marked read");
    t.keys("G");
    t.wait(r"│ Note +│");
    t.expect(r"│ Read with S4 & Mamba: §3 \{first\}\. +│");
    // Once more: the editor is given the note, and adds a line to it.
    t.keys("N");
    t.wait(r"Note saved");
    t.keys("G");
    // The note's two lines, one under the other.
    t.wait(r"(?s)│ Read with S4 & Mamba: §3 \{first\}\. +│\n[^\n]*│ Read with S4 & Mamba: §3 \{first\}\. +│");
    // Back to the list, then quit.
    t.keys("q");
    t.wait("╭ Papers");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_modes_restored();
    assert_eq!(std::fs::read_to_string(&ran).expect("the editor ran"), "ran\nran\n");

    let bib = papers_output(data.path(), &["export", "--format", "bibtex", "--search", "mamba yolo"]);
    let note = r"note = {Read with S4 \& Mamba: §3 \textbraceleft{}first\textbraceright{}. Read with S4 \& Mamba";
    assert!(bib.contains(note), "{bib}");
    let md = papers_output(data.path(), &["export", "--format", "markdown", "--search", "mamba yolo"]);
    assert!(md.contains("Note: Read with S4 & Mamba: §3 {first}."), "{md}");
}

#[test]
fn the_editor_gets_every_key_typed_while_it_runs_and_a_failing_one_changes_nothing() {
    let data = tempfile::tempdir().expect("temp dir");
    // An editor that reads a line from the terminal, as a person's editor reads keys; with `fail` in it,
    // it exits with an error instead.
    let editor = data.path().join("editor.sh");
    let script = "#!/bin/sh\nprintf 'editor> '\nread line\ncase \"$line\" in *fail*) exit 3;; esac\nprintf '%s\\n' \"$line\" >> \"$1\"\n";
    std::fs::write(&editor, script).expect("write");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    let mut cmd = papers(data.path());
    cmd.env("VISUAL", &editor);
    cmd.env("EDITOR", "false");
    let mut t = Pty::spawn(cmd, 100, 30);
    t.wait("83/83 shown");
    t.keys("N");
    t.wait("^editor>");
    // The reader's own keys (j, q) mean nothing here: they are the editor's.
    t.type_text("just quietly kept notes");
    t.keys("Enter");
    t.wait("Note saved");
    t.keys("Enter");
    t.keys("G");
    t.wait(r"│ just quietly kept notes +│");
    t.keys("N");
    // The shell's screen still shows the first run's line: wait for the second run's own, empty prompt
    // (typed before it, the keys would go to the reader).
    t.wait("(?m)^editor> *$");
    t.type_text("please fail");
    t.keys("Enter");
    // Said in the status line (cut at this width, after the editor's name).
    t.wait(r"The note is unchanged: the editor .*editor\.sh");
    t.keys("G");
    t.expect(r"│ just quietly kept notes +│");
    t.keys("q");
    t.wait("╭ Papers");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
}
