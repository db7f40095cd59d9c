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
    t.expect("set TERM to your terminal's type");
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
