//! End-to-end: the real binary in a real terminal (tmux), driven by the scripts in `tests/e2e/`.
//!
//! The driver is the team's `tui-drive` (found at `../shared/tools/tui-drive` beside the checkout, or at
//! `$TUI_DRIVE`); it needs tmux and python3. Where they are missing the tests say so and pass, so that
//! `cargo test` works on a machine with only the Rust toolchain; under CI (`CI` set) they must be there.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn driver() -> Option<PathBuf> {
    let path = std::env::var_os("TUI_DRIVE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/tui-drive"));
    let tmux = Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
    let python = Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success());
    if path.is_file() && tmux && python {
        return Some(path);
    }
    let why = format!("end-to-end tests need tmux, python3 and tui-drive (looked at {})", path.display());
    assert!(std::env::var_os("CI").is_none(), "{why}");
    eprintln!("SKIPPED: {why}");
    None
}

/// Runs one script against `papers ARGS...` in a terminal of `size`, with `data` as XDG_DATA_HOME.
fn drive(driver: &Path, script: &str, size: &str, data: &Path, args: &[&str]) {
    let out = driver_command(driver, script, size, data).arg(env!("CARGO_BIN_EXE_papers")).args(args).output();
    check(script, out.expect("run tui-drive"));
}

/// `script` names a file in `tests/e2e/`, or is `-` for a script given on standard input.
fn driver_command(driver: &Path, script: &str, size: &str, data: &Path) -> Command {
    let script = match script {
        "-" => PathBuf::from("-"),
        name => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e").join(name),
    };
    let mut command = Command::new("python3");
    command
        .arg(driver)
        .args(["--size", size, "--timeout", "10", "--env"])
        .arg(format!("XDG_DATA_HOME={}", data.display()))
        .arg(&script)
        .arg("--");
    command
}

fn check(script: &str, out: std::process::Output) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Timings (`timed` steps) are printed for the record: `cargo test --test e2e -- --nocapture`.
    print!("{stdout}");
    assert!(out.status.success(), "{script} failed:\n{stdout}{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn star_a_paper_found_by_search_and_find_it_starred_next_time() {
    let Some(driver) = driver() else { return };
    let data = tempfile::tempdir().expect("temp dir");
    drive(&driver, "star-and-remember.tdr", "120x40", data.path(), &[]);
    drive(&driver, "still-starred.tdr", "120x40", data.path(), &[]);

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
    let Some(driver) = driver() else { return };
    let data = tempfile::tempdir().expect("temp dir");
    let exports = data.path().join("exports");
    std::fs::create_dir(&exports).expect("mkdir");
    // The opener is a script that writes down the URL it was given: the reader runs it directly.
    let opened = data.path().join("opened.txt");
    let opener = data.path().join("opener.sh");
    std::fs::write(&opener, format!("#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n", opened.display())).expect("write");
    std::fs::set_permissions(&opener, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    let fixture = |name: &str| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let out = driver_command(&driver, "two-days.tdr", "120x40", data.path())
        .arg("env")
        .arg(format!("PAPERS_OPENER={}", opener.display()))
        .arg(env!("CARGO_BIN_EXE_papers"))
        .arg(fixture("hf-daily-papers.json"))
        .arg(fixture("hf-daily-papers-day2.json"))
        .arg("--export-dir")
        .arg(&exports)
        .args(["--export-format", "markdown"])
        .output();
    check("two-days.tdr", out.expect("run tui-drive"));

    let deadline = Instant::now() + Duration::from_secs(5);
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
    let Some(driver) = driver() else { return };
    let data = tempfile::tempdir().expect("temp dir");
    let feed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/arxiv-rss.xml");
    let out = driver_command(&driver, "stdin.tdr", "100x30", data.path())
        .args(["sh", "-c", "cat \"$1\" | \"$0\" -"])
        .arg(env!("CARGO_BIN_EXE_papers"))
        .arg(&feed)
        .output();
    check("stdin.tdr", out.expect("run tui-drive"));
}

#[test]
fn at_80x24_a_paper_opens_full_width() {
    let Some(driver) = driver() else { return };
    let data = tempfile::tempdir().expect("temp dir");
    drive(&driver, "narrow-reading.tdr", "80x24", data.path(), &[]);
}

#[test]
fn resizing_the_terminal_relays_out_the_panes() {
    let Some(driver) = driver() else { return };
    let data = tempfile::tempdir().expect("temp dir");
    drive(&driver, "resize.tdr", "80x24", data.path(), &[]);
}

/// How a run of the reader is ended in `ends_cleanly`.
enum Ending {
    /// Script steps that end it from inside (keys), with the environment it needs.
    Keys(&'static str, Option<&'static str>),
    /// A signal sent from outside, by name.
    Signal(&'static str),
}

/// One exit path, end to end. Under a shell that afterwards prints the exit code, the terminal modes
/// tmux sees, `stty -a`, and then reads a line: the reader starts with a state path it cannot use (the
/// parent is a regular file; the alert box says so and Enter closes it) and stars a paper, so the star is
/// only in memory and the status line says "not saved". The test then makes the path writable and saves a second star there, as another reader would;
/// the reader shows it. Then `ending` ends it. Afterwards the exit code is `code`; the main screen, the
/// cursor and cooked mode are back and mouse reporting is off; typed text is echoed; and the file holds
/// both stars: the exit path itself saved the first.
fn ends_cleanly(ending: Ending, code: u8) {
    let Some(driver) = driver() else { return };
    let data = tempfile::tempdir().expect("temp dir");
    let parent = data.path().join("sub");
    let state = parent.join("state.json");
    std::fs::write(&parent, b"a file where the directory should be").expect("write");
    let log = data.path().join("steps.log");
    let (keys, fault) = match ending {
        Ending::Keys(keys, fault) => (keys, fault),
        Ending::Signal(_) => ("", None),
    };
    let script = format!(
        "wait 83/83 shown\nwait Stars and read marks\nexpect cannot use\nkeys Enter\ngone Stars and read marks\nkeys s\nwait not saved\nexpect NOT SAVED\nsleep 10\nwait ★ 2 ·\nsleep 20\n{keys}\n\
         wait ^exit={code}$\nwait ^modes=010000$\nwait (?<!-)icanon\nexpect (?<!-)echo\\b\nreject Papers\n\
         wait ^prompt>\ntype typed text\nwait ^prompt> typed text$\nkeys Enter\nwait ^got=typed text$\n"
    );
    let mut command = Command::new("python3");
    command.arg(&driver).args(["--size", "100x40", "--timeout", "10", "--log"]).arg(&log).arg("--env");
    command.arg(format!("XDG_DATA_HOME={}", data.path().display()));
    if let Some(fault) = fault {
        command.args(["--env", &format!("PAPERS_FAULT={fault}"), "--env", "RUST_BACKTRACE=0"]);
    }
    let shell = "\"$0\" --state \"$1\"; echo \"exit=$?\"; \
        tmux display -p 'modes=#{alternate_on}#{cursor_flag}#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}'; \
        stty -a; printf 'prompt> '; read line; echo \"got=$line\"; sleep 30";
    let mut child = command
        .args(["-", "--", "sh", "-c", shell])
        .arg(env!("CARGO_BIN_EXE_papers"))
        .arg(&state)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run tui-drive");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(script.as_bytes()).expect("script");
    }

    // The driver logs each step as it starts it: `sleep 10` means "not saved" is on screen.
    wait_for_step(&log, "sleep 10");
    std::fs::remove_file(&parent).expect("remove the file in the way");
    std::fs::create_dir(&parent).expect("make the directory");
    let other = r#"{"version": 1, "papers": {"title:mamba yolo ssms based yolo for object detection": {"starred": true, "changed": 1}}}"#;
    std::fs::write(&state, other).expect("another reader's save");

    if let Ending::Signal(signal) = ending {
        wait_for_step(&log, "sleep 20");
        let pattern = format!("papers --state {}", state.display());
        let pids = Command::new("pgrep").args(["-f", &pattern]).output().expect("pgrep");
        let pid = String::from_utf8_lossy(&pids.stdout).lines().next().expect("the reader is running").to_string();
        assert!(Command::new("kill").args([&format!("-{signal}"), &pid]).status().expect("kill").success());
    }

    check("exit path", child.wait_with_output().expect("tui-drive"));
    let saved = std::fs::read_to_string(&state).expect("state file");
    let json: serde_json::Value = serde_json::from_str(&saved).expect("the state file parses");
    let starred: Vec<_> = json["papers"]
        .as_object()
        .expect("papers")
        .iter()
        .filter(|(_, marks)| marks["starred"] == true)
        .map(|(key, _)| key.as_str())
        .collect();
    assert_eq!(starred.len(), 2, "both stars are on disk: {saved}");
    assert!(starred.contains(&"title:mamba yolo ssms based yolo for object detection"), "{saved}");
}

/// Waits until the driver's log shows that it has started `step`.
fn wait_for_step(log: &Path, step: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(log).is_ok_and(|s| s.lines().any(|l| l.ends_with(&format!(": {step}")))) {
        assert!(Instant::now() < deadline, "the script never reached `{step}`");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn q_saves_and_exits_0() {
    ends_cleanly(Ending::Keys("keys q", None), 0);
}

#[test]
fn ctrl_c_saves_and_exits_130() {
    ends_cleanly(Ending::Keys("keys C-c", None), 130);
}

#[test]
fn a_panic_saves_restores_the_terminal_and_exits_101() {
    ends_cleanly(Ending::Keys("keys F12", Some("panic")), 101);
}

#[test]
fn a_terminal_error_saves_restores_the_terminal_and_exits_1() {
    ends_cleanly(Ending::Keys("keys F12", Some("error")), 1);
}

#[test]
fn sigterm_saves_restores_the_terminal_and_exits_143() {
    ends_cleanly(Ending::Signal("TERM"), 143);
}

#[test]
fn sighup_saves_restores_the_terminal_and_exits_129() {
    ends_cleanly(Ending::Signal("HUP"), 129);
}

#[test]
fn sigint_saves_restores_the_terminal_and_exits_130() {
    ends_cleanly(Ending::Signal("INT"), 130);
}

#[test]
fn sigquit_saves_restores_the_terminal_and_exits_131() {
    ends_cleanly(Ending::Signal("QUIT"), 131);
}

/// The terminal goes away under the reader (its tmux server is killed, as when a window is closed or a
/// connection drops), under a shell that ignores SIGHUP, so no signal need reach the reader: it must notice,
/// save, and end, not linger spinning on the dead terminal.
#[test]
fn a_vanished_terminal_ends_the_reader_with_its_star_saved() {
    let Some(driver) = driver() else { return };
    let data = tempfile::tempdir().expect("temp dir");
    let state = data.path().join("hangup-state.json");
    let script = "wait 83/83 shown\nkeys s\nwait Starred\n";
    let mut child = driver_command(&driver, "-", "100x30", data.path())
        .args(["sh", "-c", "trap '' HUP; \"$0\" --state \"$1\"; true"])
        .arg(env!("CARGO_BIN_EXE_papers"))
        .arg(&state)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run tui-drive");
    {
        use std::io::Write;
        child.stdin.take().expect("stdin").write_all(script.as_bytes()).expect("script");
    }
    // The script ends with the reader still running; the driver then kills the terminal.
    check("hangup", child.wait_with_output().expect("tui-drive"));
    let pattern = format!("papers --state {}", state.display());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let running = Command::new("pgrep").args(["-f", &pattern]).output().expect("pgrep");
        if !running.status.success() {
            break;
        }
        if Instant::now() > deadline {
            let pids =
                String::from_utf8_lossy(&running.stdout).split_whitespace().map(String::from).collect::<Vec<_>>();
            let _ = Command::new("kill").arg("-9").args(&pids).status();
            panic!("the reader outlived its terminal by 10 s (pids {pids:?}, now killed)");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let saved = std::fs::read_to_string(&state).expect("state file");
    assert!(saved.contains("\"starred\": true"), "{saved}");
}

#[test]
fn escape_sequences_in_a_digest_never_reach_the_terminal() {
    let Some(driver) = driver() else { return };
    let data = tempfile::tempdir().expect("temp dir");
    let digest = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/escapes.txt");
    let shell = "\"$0\" <(cat \"$1\"); echo \"exit=$?\"; \"$0\" list \"$1\"; echo \"list=$?\"; \
        tmux display -p 'modes=#{alternate_on}#{cursor_flag}#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}'; \
        sleep 30";
    let out = driver_command(&driver, "hostile.tdr", "120x30", data.path())
        .args(["bash", "-c", shell])
        .arg(env!("CARGO_BIN_EXE_papers"))
        .arg(digest)
        .output();
    check("hostile.tdr", out.expect("run tui-drive"));
}

#[test]
fn ctrl_z_suspends_and_fg_redraws() {
    let Some(driver) = driver() else { return };
    let data = tempfile::tempdir().expect("temp dir");
    let state = data.path().join("state.json");
    let out = driver_command(&driver, "suspend.tdr", "100x40", data.path())
        .args(["env", "PS1=$ "])
        .arg(format!("PAPERS={}", env!("CARGO_BIN_EXE_papers")))
        .arg(format!("STATE={}", state.display()))
        .args(["bash", "--norc", "--noprofile", "-i"])
        .output();
    check("suspend.tdr", out.expect("run tui-drive"));
    assert!(std::fs::read_to_string(&state).is_ok_and(|s| s.contains("\"starred\": true")));
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

#[test]
fn a_slow_digest_opens_at_once_and_its_papers_come_in_while_searching() {
    let Some(driver) = driver() else { return };
    let data = tempfile::tempdir().expect("temp dir");
    // More than the first block the reader parses before it opens (256 KiB), then a pause.
    let first = data.path().join("first.txt");
    let rest = data.path().join("rest.txt");
    std::fs::write(&first, numbered_digest(1, 1000, None)).expect("write");
    std::fs::write(&rest, numbered_digest(1001, 200, Some("Zebra Finch Song Learning"))).expect("write");
    let shell = "\"$0\" <(cat \"$1\"; sleep 3; cat \"$2\")";
    let out = driver_command(&driver, "loading.tdr", "100x30", data.path())
        .args(["bash", "-c", shell])
        .arg(env!("CARGO_BIN_EXE_papers"))
        .arg(&first)
        .arg(&rest)
        .output();
    check("loading.tdr", out.expect("run tui-drive"));
}
