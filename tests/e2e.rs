//! End-to-end: the real binary in a real terminal (tmux), driven by the scripts in `tests/e2e/`.
//!
//! The driver is the team's `tui-drive` (found at `../shared/tools/tui-drive` beside the checkout, or at
//! `$TUI_DRIVE`); it needs tmux and python3. Where they are missing the tests say so and pass, so that
//! `cargo test` works on a machine with only the Rust toolchain; under CI (`CI` set) they must be there.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

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
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e").join(script);
    let out = Command::new("python3")
        .arg(driver)
        .args(["--size", size, "--timeout", "10", "--env"])
        .arg(format!("XDG_DATA_HOME={}", data.display()))
        .arg(&script)
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_papers"))
        .args(args)
        .output()
        .expect("run tui-drive");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Timings (`timed` steps) are printed for the record: `cargo test --test e2e -- --nocapture`.
    print!("{stdout}");
    assert!(out.status.success(), "{} failed:\n{stdout}{}", script.display(), String::from_utf8_lossy(&out.stderr));
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
