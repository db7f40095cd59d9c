//! Every door from outside to the terminal, tried with an escape sequence that would set the terminal's
//! title and write its clipboard: file names (on the command line, in directories, the state path), serde's
//! and feed-rs's error texts, OS error texts, clap's messages, and the reader's status line and alert box.
//! Nothing of it may reach standard error or a cell raw; file names are shown quoted, as a shell would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{Reader, fixture};
use papers::app::Msg;
use papers::sanitize::first_unsafe;

/// Sets the title to PWNED and writes "evil" to the clipboard, if a terminal obeys it.
const EVIL: &str = "evil\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]2;PWNED\u{7}";
/// `EVIL` as the shell would write it inside `$'…'`, and as papers shows it in a file name.
const EVIL_QUOTED: &str = r"evil\E]52;c;ZXZpbA==\a\E]2;PWNED\a";

fn papers(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_papers")).args(args).stdin(Stdio::null()).output().unwrap()
}

/// Standard error, checked: nothing a terminal would obey, on any line.
fn safe_stderr(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    for line in err.lines() {
        assert_eq!(first_unsafe(line), None, "raw on standard error: {line:?}");
    }
    err
}

fn state_arg(dir: &Path) -> String {
    dir.join("state.json").to_str().unwrap().to_string()
}

#[test]
fn a_missing_file_named_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let name = dir.path().join(format!("{EVIL}.txt"));
    let out = papers(&["list", name.to_str().unwrap(), "--state", &state_arg(dir.path())]);
    assert_eq!(out.status.code(), Some(2));
    let err = safe_stderr(&out);
    assert!(err.starts_with("papers: $'/") && err.contains(&format!("{EVIL_QUOTED}.txt': cannot read it")), "{err}");
}

#[test]
fn a_file_passed_over_in_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let digests = dir.path().join("digests");
    std::fs::create_dir(&digests).unwrap();
    std::fs::copy(fixture("three-papers.txt"), digests.join("good.txt")).unwrap();
    std::fs::write(digests.join(format!("{EVIL}.txt")), b"").unwrap();
    let out = papers(&["list", digests.to_str().unwrap(), "--state", &state_arg(dir.path())]);
    assert!(out.status.success());
    let err = safe_stderr(&out);
    assert!(err.contains("passed over") && err.contains(&format!("{EVIL_QUOTED}.txt': the file is empty")), "{err}");
}

#[test]
fn a_damaged_state_file_under_a_hostile_name() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join(format!("{EVIL}.json"));
    std::fs::write(&state, b"{").unwrap();
    let out = papers(&["list", "--state", state.to_str().unwrap()]);
    assert!(out.status.success());
    let err = safe_stderr(&out);
    assert!(err.contains(&format!("{EVIL_QUOTED}.json' is not a state papers can read")), "{err}");
}

#[test]
fn serdes_message_for_an_unknown_field_in_a_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("foreign.json");
    std::fs::write(&foreign, "{\"version\":1,\"papers\":{},\"\\u001b]2;PWNED\\u0007\":1}").unwrap();
    let out = papers(&["state", "import", foreign.to_str().unwrap(), "--state", &state_arg(dir.path())]);
    assert_eq!(out.status.code(), Some(2));
    let err = safe_stderr(&out);
    assert!(err.contains("unknown field ``, expected"), "{err}");
    let out = papers(&["list", "--state", foreign.to_str().unwrap()]);
    assert!(out.status.success());
    let err = safe_stderr(&out);
    assert!(err.contains("unknown field ``, expected"), "{err}");
}

#[test]
fn feed_rss_error_text_quoting_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.xml");
    let text =
        format!("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>x</title></chan{EVIL}nel></rss>\n");
    std::fs::write(&feed, text).unwrap();
    let out = papers(&["list", feed.to_str().unwrap(), "--state", &state_arg(dir.path())]);
    assert_eq!(out.status.code(), Some(2));
    let err = safe_stderr(&out);
    assert!(err.contains("RSS or Atom feed but does not parse") && err.contains("</chanevilnel>"), "{err}");
}

#[test]
fn an_os_error_about_a_path_under_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(EVIL);
    std::fs::write(&file, b"x").unwrap();
    let state = file.join("state.json");
    let out = papers(&["list", file.join("d.txt").to_str().unwrap(), "--state", state.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = safe_stderr(&out);
    assert!(err.contains(&format!("{EVIL_QUOTED}/d.txt': cannot read it: Not a directory")), "{err}");
}

#[test]
fn clap_naming_an_unknown_option() {
    let out = papers(&["list", &format!("--{EVIL}")]);
    assert_eq!(out.status.code(), Some(2));
    let err = safe_stderr(&out);
    // The sequences are dropped whole, their payload with them.
    assert!(err.starts_with("papers: unexpected argument '--evil' found"), "{err}");
    // A plain mistake keeps clap's own message.
    let out = papers(&["list", "--no-such-option"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(safe_stderr(&out).starts_with("error: unexpected argument '--no-such-option'"));
    // To a terminal, clap writes what was typed as it is: papers prints the message itself then.
    let args = ["papers".to_string(), "list".to_string(), format!("--{EVIL}")];
    match papers::cli::parse_from(args.map(std::ffi::OsString::from)) {
        Err(papers::cli::Rejected::Unsafe(message, 2)) => {
            assert!(message.starts_with("unexpected argument '--evil"), "{message}");
        }
        Err(papers::cli::Rejected::Unsafe(_, code)) => panic!("exit code {code}"),
        Err(papers::cli::Rejected::Clap(error)) => panic!("left to clap: {error}"),
        Ok(_) => panic!("taken"),
    }
}

#[test]
fn the_reader_status_line_and_alert_box() {
    let mut reader = Reader::built_in(100, 24);
    reader.message(Msg::Alert(vec![format!("{EVIL} in a notice, and \u{13430}a format character")]));
    let screen = reader.screen();
    assert!(screen.contains("evil in a notice"), "{screen}");
    for cell in reader.terminal.backend().buffer().content() {
        assert_eq!(first_unsafe(cell.symbol()), None, "{:?}", cell.symbol());
    }
    reader.keys("<Enter>");
    reader.message(Msg::Exported(Err(format!("cannot create {EVIL}: denied"))));
    let screen = reader.screen();
    assert!(screen.contains("Not exported: cannot create evil: denied"), "{screen}");
    for cell in reader.terminal.backend().buffer().content() {
        assert_eq!(first_unsafe(cell.symbol()), None, "{:?}", cell.symbol());
    }
}
