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

fn driver_command(driver: &Path, script: &str, size: &str, data: &Path) -> Command {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e").join(script);
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

/// Starts the reader in tmux under a shell that reports its exit code and `stty -a` afterwards, stars a
/// paper, sends `signal` from outside, and checks the exit code, the terminal and the saved star.
fn ended_by_signal(signal: &str) {
    let Some(driver) = driver() else { return };
    let data = tempfile::tempdir().expect("temp dir");
    let state = data.path().join("signal-state.json");
    let child = driver_command(&driver, "signal.tdr", "100x30", data.path())
        .args(["sh", "-c", "\"$0\" --state \"$1\"; echo \"exit=$?\"; stty -a; sleep 30"])
        .arg(env!("CARGO_BIN_EXE_papers"))
        .arg(&state)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run tui-drive");

    // Once the star is on disk, signal the reader (found by its unique state path).
    let deadline = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&state).is_ok_and(|s| s.contains("\"starred\": true")) {
        assert!(Instant::now() < deadline, "the star was never saved");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pattern = format!("papers --state {}", state.display());
    let pids = Command::new("pgrep").args(["-f", &pattern]).output().expect("pgrep");
    let pid = String::from_utf8_lossy(&pids.stdout).lines().next().expect("the reader is running").to_string();
    assert!(Command::new("kill").args([&format!("-{signal}"), &pid]).status().expect("kill").success());

    check("signal.tdr", child.wait_with_output().expect("tui-drive"));
    let saved = std::fs::read_to_string(&state).expect("state file");
    assert!(saved.contains("\"starred\": true"), "{saved}");
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_star() {
    ended_by_signal("TERM");
}

#[test]
fn sighup_restores_the_terminal_and_keeps_the_star() {
    ended_by_signal("HUP");
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
