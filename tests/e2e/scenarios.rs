//! The end-to-end scenarios: the real binary in a pseudo-terminal, keys typed in and the screen read back.
//!
//! Nothing is needed beyond the Rust toolchain and what every Unix has (`sh`; `bash` where a scenario is
//! about bash: job control, process substitution). Each test has its own terminal and temporary directory,
//! so they run in parallel. Timings are printed, never checked: `cargo test --test e2e -- --nocapture`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::pty::{Pty, command, papers};

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The keys of the papers starred in a state file.
pub(crate) fn starred(state: &Path) -> Vec<String> {
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

pub(crate) const MAMBA_YOLO: &str = "title:mamba yolo ssms based yolo for object detection";
/// The third paper of the built-in digest.
pub(crate) const THIRD_PAPER: &str = "title:survey of hallucination in natural language generation";
/// The first paper of the built-in digest, selected when the reader opens.
pub(crate) const FIRST_PAPER: &str = "title:deep learning for personalized electrocardiogram diagnosis a review";

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

/// A paste (the terminal's bracketed paste) is text in the search bar: its line break does not end the
/// search, and the letters after it run no command (`s` stars, `A` asks to mark all read).
#[test]
fn a_pasted_line_break_and_letters_run_no_command() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut t = Pty::spawn(papers(data.path()), 120, 40);
    t.wait("83/83 shown");
    t.type_text("\u{1b}[200~mamba\nsA\u{1b}[201~");
    t.wait("^ / mamba sA");
    t.reject("Mark .* read\\?");
    t.keys("Backspace Backspace Backspace");
    t.wait("^ / mamba ");
    t.wait("││ A Survey of Mamba  +│");
    t.keys("Enter");
    t.wait("search: mamba");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
    let state = data.path().join("papers/state.json");
    assert!(!state.exists() || starred(&state).is_empty(), "a paste starred a paper");
    t.assert_modes_restored();
    // Bracketed paste was asked for, and the last word on it turns it off (a shell at its prompt turns it
    // on again by itself: this is checked here, where no shell runs, rather than with the other modes).
    let raw = String::from_utf8_lossy(&t.raw()).into_owned();
    assert!(raw.contains("\u{1b}[?2004h"), "bracketed paste was never asked for");
    assert!(raw.rfind("\u{1b}[?2004").is_some_and(|at| raw[at..].starts_with("\u{1b}[?2004l")), "left on");
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
