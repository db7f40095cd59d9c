//! The commands around the reader, run in a pseudo-terminal where a terminal is what they report on.

use crate::pty::{Pty, papers};

#[test]
fn doctor_in_a_terminal_reports_its_size_type_and_colours() {
    let data = tempfile::tempdir().expect("temp dir");
    // No source: the test asks nothing of the network.
    let config = data.path().join("config.toml");
    std::fs::write(&config, "[huggingface]\nenabled = false\n").expect("write the configuration");
    let mut cmd = papers(data.path());
    cmd.args(["doctor", "--config"]);
    cmd.arg(&config);
    let mut t = Pty::spawn(cmd, 100, 30);
    t.wait(r"ok +terminal +100x30, TERM=xterm-256color, 256 colours");
    t.expect(r"ok +config +.*config\.toml parses: 0 sources");
    t.expect(r"ok +sources +none configured");
    assert_eq!(t.wait_exit(), 0, "{}", t.screen());

    let mut cmd = papers(data.path());
    cmd.args(["doctor", "--config"]);
    cmd.arg(&config);
    cmd.env("NO_COLOR", "1");
    cmd.env("TERM", "dumb");
    let mut t = Pty::spawn(cmd, 80, 24);
    t.wait(r"warn +terminal +80x24, TERM=dumb, NO_COLOR set: no colour");
    // Its advice is a line of its own, written after it: waited for, not expected at once.
    t.wait("set TERM to your terminal's type");
    assert_eq!(t.wait_exit(), 0, "a warning is no failure: {}", t.screen());
}

#[test]
fn the_reader_logs_what_it_read_and_saved_and_no_paper_text() {
    let data = tempfile::tempdir().expect("temp dir");
    let (log, state) = (data.path().join("papers.log"), data.path().join("state.json"));
    let digest = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/three-papers.txt");
    let mut cmd = papers(data.path());
    cmd.arg(&digest);
    cmd.arg("--log");
    cmd.arg(&log);
    cmd.arg("--state");
    cmd.arg(&state);
    let mut t = Pty::spawn(cmd, 100, 30);
    t.wait("3/3 shown");
    t.keys("s");
    t.wait("★ 1");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0, "{}", t.screen());
    let logged = std::fs::read_to_string(&log).expect("the log");
    assert!(logged.lines().any(|l| l.contains("read ") && l.contains("three-papers.txt in ")), "{logged}");
    let saved = logged.lines().find(|l| l.contains("saved ")).unwrap_or_else(|| panic!("no save logged: {logged}"));
    assert!(saved.contains("state.json in ") && saved.ends_with(": ok"), "{saved}");
    for text in ["Electrocardiogram", "Mamba YOLO", "Hallucination", "deep learning"] {
        assert!(!logged.contains(text), "paper text in the log: {text}\n{logged}");
    }
}

#[test]
fn the_readers_alerts_and_a_panic_are_in_the_log() {
    let data = tempfile::tempdir().expect("temp dir");
    let log = data.path().join("papers.log");
    // A directory where the state file should be: the reader says so in its alert box, read-only.
    let state = data.path().join("state-is-a-directory");
    std::fs::create_dir(&state).expect("mkdir");
    let mut cmd = papers(data.path());
    cmd.arg("--log");
    cmd.arg(&log);
    cmd.arg("--state");
    cmd.arg(&state);
    cmd.env("PAPERS_FAULT", "panic");
    cmd.env("RUST_BACKTRACE", "0");
    let mut t = Pty::spawn(cmd, 100, 30);
    t.wait("83/83 shown");
    t.wait("cannot use");
    t.keys("Enter");
    t.gone("cannot use");
    t.keys("F12");
    assert_eq!(t.wait_exit(), 101, "{}", t.screen());
    let logged = std::fs::read_to_string(&log).expect("the log");
    let alert = logged.lines().find(|l| l.contains(" WARN ") && l.contains("state file: "));
    let alert = alert.unwrap_or_else(|| panic!("the alert is not logged: {logged}"));
    assert!(alert.contains("state-is-a-directory") && alert.contains("it is a directory"), "{alert}");
    let panic = logged.lines().find(|l| l.contains(" ERROR ") && l.contains("panicked at"));
    let panic = panic.unwrap_or_else(|| panic!("the panic is not logged: {logged}"));
    assert!(panic.contains("src/tui.rs") && panic.contains("a panic asked for with PAPERS_FAULT"), "{panic}");
}

/// A worker thread's panic (the full-text index's, asked for with `PAPERS_FAULT` in a debug build) leaves
/// the reader drawing on its screen, keys read as keys, the status saying what stopped; the panic's
/// message is printed once the reader is left, not over its screen.
#[test]
fn a_panic_of_the_index_thread_leaves_the_reader_running_and_is_told_after_quitting() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut cmd = papers(data.path());
    cmd.env("PAPERS_FAULT", "index-panic");
    cmd.env("RUST_BACKTRACE", "0");
    let mut t = Pty::spawn(cmd, 100, 30);
    t.wait("83/83 shown");
    t.keys("/");
    t.type_text("?learning");
    t.wait("the full-text index stopped");
    let screen = t.screen();
    assert!(!screen.contains("panicked"), "the panic was printed over the reader:\n{screen}");
    // Still in raw mode: Esc and q are keys, not text echoed by the terminal.
    t.keys("Esc");
    t.wait("83/83 shown");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0, "{}", t.screen());
    t.wait("thread 'index' panicked at");
    t.wait("a panic of the index thread asked for with PAPERS_FAULT");
    t.wait("this is a bug in papers");
}

/// A terminal that says it can move no cursor is refused before the screen is taken, with what to do.
#[test]
fn a_dumb_terminal_is_refused_with_what_to_do() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut cmd = papers(data.path());
    cmd.env("TERM", "dumb");
    let mut t = Pty::spawn(cmd, 80, 24);
    assert_eq!(t.wait_exit(), 2, "{}", t.screen());
    t.wait("TERM=dumb: this terminal cannot draw the reader");
    t.reject("Papers ─");
}

#[test]
fn ctrl_c_typed_during_a_fetch_leaves_no_progress_line_behind() {
    use crate::server::{Reply, Server};
    // Every answer waits longer than the test: Ctrl-C comes while the request is in flight.
    let server =
        Server::start(|_, _| Reply { stall: Some(std::time::Duration::from_secs(30)), ..Reply::ok(Vec::new()) });
    let data = tempfile::tempdir().expect("temp dir");
    let config = data.path().join("config.toml");
    let settings = format!("[huggingface]\nendpoint = \"{}\"\n[fetch]\ntimeout = 60\n", server.url());
    std::fs::write(&config, settings).expect("write the configuration");
    let mut cmd = papers(data.path());
    cmd.args(["fetch", "--config"]);
    cmd.arg(&config);
    let mut t = Pty::spawn(cmd, 80, 24);
    t.wait("huggingface: asking for");
    // Typed, not sent with kill: the terminal echoes `^C` where the cursor is, after the progress line.
    t.keys("C-c");
    t.wait("Stopped before any answer came");
    assert_eq!(t.wait_exit(), 130, "{}", t.screen());
    let screen = t.screen();
    assert!(!screen.contains("asking for"), "the progress line was left behind:\n{screen}");
}
