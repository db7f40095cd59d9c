//! Every way out of the reader, end to end: q, Ctrl-C, a panic, a terminal error, signals and a terminal
//! that vanishes each save the marks and give the terminal back; a star shows at once while another
//! reader holds the lock; Ctrl-Z suspends and `fg` redraws.

use std::time::{Duration, Instant};

use crate::pty::{Pty, command, papers};
use crate::scenarios::{FIRST_PAPER, MAMBA_YOLO, THIRD_PAPER, starred};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

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
fn quitting_without_changes_that_could_not_be_saved_says_so_and_exits_1() {
    let data = tempfile::tempdir().expect("temp dir");
    // The state's folder is a file all along: no star can be saved.
    let parent = data.path().join("sub");
    std::fs::write(&parent, b"a file where the directory should be").expect("write");
    let mut cmd = papers(data.path());
    cmd.arg("--state");
    cmd.arg(parent.join("state.json"));
    let mut t = Pty::spawn(cmd, 100, 40);
    t.wait("83/83 shown");
    t.wait("Stars and read marks");
    t.keys("Enter");
    t.gone("Stars and read marks");
    t.keys("s");
    t.wait("not saved");
    t.keys("q");
    t.wait("Not saved: q again quits without the change");
    t.keys("q");
    assert_eq!(t.wait_exit(), 1, "the exit code; the screen:\n{}", t.screen());
    t.expect("changes were not saved");
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
