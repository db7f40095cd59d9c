//! End-to-end: the real binary in a pseudo-terminal, keys typed in and the screen read back by an emulator.
//!
//! The scenarios are in `e2e/`: reading and searching in `scenarios.rs`, the ways out in `exits.rs`,
//! hostile text in `escapes.rs`, papers arriving in `loading.rs`, tags and notes in `editor.rs`, the
//! command palette and saved searches in `palette.rs`, the commands around the reader in `around.rs`,
//! triage in `triage.rs`; the terminal they run in is in `pty/`. They drive a Unix
//! pseudo-terminal and Unix signals; elsewhere one test stands in for them, ignored, saying so.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(unix)]
#[path = "e2e/around.rs"]
mod around;
#[cfg(unix)]
#[path = "e2e/editor.rs"]
mod editor;
#[cfg(unix)]
#[path = "e2e/escapes.rs"]
mod escapes;
#[cfg(unix)]
#[path = "e2e/exits.rs"]
mod exits;
#[cfg(unix)]
#[path = "e2e/loading.rs"]
mod loading;
#[cfg(unix)]
#[path = "e2e/palette.rs"]
mod palette;
#[cfg(unix)]
mod pty;
#[cfg(unix)]
#[path = "e2e/scenarios.rs"]
mod scenarios;
#[cfg(unix)]
mod server;
#[path = "e2e/tools.rs"]
mod tools;
#[cfg(unix)]
#[path = "e2e/triage.rs"]
mod triage;

#[cfg(not(unix))]
#[test]
#[ignore = "the end-to-end tests drive a Unix pseudo-terminal and Unix signals"]
fn end_to_end_tests_run_on_unix_only() {}
