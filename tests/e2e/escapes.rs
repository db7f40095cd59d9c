//! Text that would drive the terminal (escape sequences in a digest, in file names and in error texts)
//! never reaches it, on the screen or through standard error.

use crate::pty::{Pty, command};
use crate::scenarios::fixture;

#[test]
fn escape_sequences_in_a_digest_never_reach_the_terminal() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut cmd = command("bash", data.path());
    cmd.args([
        "-c",
        "\"$0\" <(cat \"$1\"); echo \"exit=$?\"; \"$0\" list \"$1\"; echo \"list=$?\"",
        env!("CARGO_BIN_EXE_papers"),
    ]);
    cmd.arg(fixture("escapes.txt"));

    // Read through process substitution: nothing of the escapes reaches the terminal.
    let mut t = Pty::spawn(cmd, 120, 30);
    t.wait("3/3 shown");
    t.expect("Set the window title");
    t.expect("Clipboard write and a link here");
    t.expect("Clear screen and override zerowidth and tab");
    t.expect("DCS");
    t.keys("j");
    t.wait("reset,");
    t.keys("j");
    t.wait("separator");
    t.keys("q");
    t.wait("^exit=0$");
    // `papers list` prints the same titles to the terminal, just as safely.
    t.wait("^list=0$");
    t.expect("^● +Set the window title$");
    assert_eq!(t.wait_exit(), 0);
    t.assert_modes_restored();
    t.assert_cooked();

    let titles = t.titles();
    println!("window titles set: {titles:?}");
    assert!(!titles.iter().any(|title| title.contains("PWNED")), "a hostile title got through: {titles:?}");
    assert_eq!(t.clipboard(), Vec::<String>::new(), "a clipboard write got through");
    // The reader and `papers list` write CSI sequences only: no OSC (titles, clipboard, links), DCS, APC,
    // PM, SOS, reset or status query, in 7-bit or C1 form.
    let raw = t.raw();
    let text = String::from_utf8_lossy(&raw);
    for (what, bad) in [
        ("OSC", "\x1b]"),
        ("DCS", "\x1bP"),
        ("APC", "\x1b_"),
        ("PM", "\x1b^"),
        ("SOS", "\x1bX"),
        ("a reset", "\x1bc"),
        ("a status query", "\x1b[6n"),
        ("a C1 OSC", "\u{9d}"),
        ("a C1 CSI", "\u{9b}"),
        ("a C1 DCS", "\u{90}"),
        ("a bidi override", "\u{202e}"),
        ("PWNED", "PWNED"),
    ] {
        assert!(!text.contains(bad), "{what} reached the terminal: {:?}", context(&text, bad));
    }
}

#[test]
fn escape_sequences_in_names_and_error_texts_never_reach_the_terminal_through_standard_error() {
    let data = tempfile::tempdir().expect("temp dir");
    let evil = "evil\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]2;PWNED\u{7}";
    let digests = data.path().join("digests");
    std::fs::create_dir(&digests).expect("digests");
    std::fs::copy(fixture("three-papers.txt"), digests.join("good.txt")).expect("copy");
    std::fs::write(digests.join(format!("{evil}.txt")), b"").expect("an empty digest");
    std::fs::write(
        data.path().join(format!("{evil}.json")),
        "{\"version\":1,\"papers\":{},\"\\u001b]2;PWNED\\u0007\":1}",
    )
    .expect("a foreign state file");
    // Standard error is the terminal here, as a person running papers has it: an unknown option (clap's
    // message), a missing file, a file passed over in a directory, serde's message about a state file.
    let mut cmd = command("bash", data.path());
    cmd.args([
        "-c",
        "\"$0\" list --\"$1\"; \"$0\" list \"$1.txt\"; \"$0\" list digests --state \"$1.json\"; echo \"done=$?\"",
        env!("CARGO_BIN_EXE_papers"),
        evil,
    ]);
    let mut t = Pty::spawn(cmd, 200, 40);
    t.wait("^done=0$");
    t.expect("unexpected argument '--evil' found");
    t.expect("evil.E]52;c;ZXZpbA==.a.E]2;PWNED.a.txt': cannot read it");
    t.expect("passed over");
    t.expect("unknown field ``");
    assert_eq!(t.wait_exit(), 0);
    let titles = t.titles();
    assert!(titles.is_empty(), "a window title was set: {titles:?}");
    assert_eq!(t.clipboard(), Vec::<String>::new(), "a clipboard write got through");
    let raw = t.raw();
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains("\x1b]") && !text.contains('\u{7}'), "{:?}", context(&text, "\x1b]"));
}

/// Where `needle` first occurs in `text`, with some text around it.
fn context(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    text.chars().skip(text[..at].chars().count().saturating_sub(40)).take(80 + needle.chars().count()).collect()
}
