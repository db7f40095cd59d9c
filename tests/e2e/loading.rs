//! Papers arriving while the reader runs: a digest that comes in slowly, `R` fetching from a server of
//! the test's own, and `--day`.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::pty::{Pty, command, papers};
use crate::scenarios::fixture;
use nix::sys::stat::Mode;

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
    t.wait("No papers match");
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
