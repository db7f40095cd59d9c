//! Hostile and broken input on the command line: every case gets a clear message naming the file (and
//! line), the right exit code, and an end; pipes and process substitution keep working.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::fixture;

fn papers(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_papers"))
        .env("XDG_DATA_HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .args(args)
        .arg("--state")
        .arg(dir.join("state.json"))
        .stdin(Stdio::null())
        .output()
        .expect("run papers")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Bytes from a fixed-seed generator, so a failure can be rerun exactly.
fn random_bytes(len: usize, seed: u64, keep: impl Fn(u8) -> bool) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend(state.to_le_bytes().into_iter().filter(|&b| keep(b)));
    }
    out.truncate(len);
    out
}

#[test]
fn random_bytes_are_not_a_digest() {
    let dir = tempfile::tempdir().unwrap();
    // Any bytes at all (NULs among them), and bytes without a NUL that are still not UTF-8.
    for (name, keep) in [("any.bin", (|_| true) as fn(u8) -> bool), ("high.bin", |b| b != 0)] {
        for seed in [1, 2, 3] {
            let file = dir.path().join(name);
            std::fs::write(&file, random_bytes(1 << 20, seed, keep)).unwrap();
            let out = papers(dir.path(), &["list", file.to_str().unwrap()]);
            assert_eq!(out.status.code(), Some(2), "{name} seed {seed}: {}", stderr(&out));
            let err = stderr(&out);
            assert!(err.contains(&format!("{}:", file.display())), "{err}");
            assert!(err.contains("this is not a text digest"), "{err}");
            assert_eq!(err.lines().count(), 1, "one message, not a flood: {err}");
            assert!(out.stdout.is_empty());
        }
    }
}

#[test]
fn endless_devices_are_refused_from_their_first_bytes() {
    let dir = tempfile::tempdir().unwrap();
    // Endless bytes with no line break that cannot be UTF-8 (no NUL among them).
    let out = bash("yes $'\\xff' | tr -d '\\n' | \"$P\" list /dev/stdin; echo \"status=${PIPESTATUS[2]}\"");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("status=2"), "{text}: {}", stderr(&out));
    assert!(
        stderr(&out).contains("/dev/stdin:1: this is not a text digest (it is not UTF-8 text)"),
        "{}",
        stderr(&out)
    );
    for device in ["/dev/zero", "/dev/urandom"] {
        if !Path::new(device).exists() {
            continue;
        }
        let out = papers(dir.path(), &["list", device]);
        assert_eq!(out.status.code(), Some(2), "{device}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.starts_with(&format!("papers: {device}:")) && err.contains("this is not a text digest"), "{err}");
    }
}

#[test]
fn a_100_mb_single_line_is_skipped_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("one-line.txt");
    std::fs::write(&file, vec![b'a'; 100_000_000]).unwrap();
    let out = papers(dir.path(), &["list", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("no papers found"), "{err}");
    assert!(err.contains("one-line.txt:1: a line of 100000000 bytes was skipped"), "{err}");
}

#[test]
fn a_huge_line_among_papers_is_skipped_and_the_papers_kept() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mixed.txt");
    let mut bytes = std::fs::read(fixture("three-papers.txt")).unwrap();
    bytes.extend_from_slice(b"\n\n");
    bytes.extend(std::iter::repeat_n(b'x', 3 << 20));
    bytes.extend_from_slice(b"\n");
    std::fs::write(&file, bytes).unwrap();
    let out = papers(dir.path(), &["list", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    assert!(stderr(&out).contains("mixed.txt:"), "{}", stderr(&out));
}

#[test]
fn unreadable_paths_get_a_message_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), b"x").unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let cases = [
        (dir.path().join("missing.txt"), "cannot read it"),
        (dir.path().join("empty"), "the directory holds no files"),
        (dir.path().join("file/digest.txt"), "cannot read it"),
        // Unreadable even for root: reading it fails with an I/O error.
        (Path::new("/proc/self/mem").to_path_buf(), "cannot read it"),
    ];
    for (path, says) in cases {
        if !path.parent().is_some_and(Path::exists) {
            continue;
        }
        let out = papers(dir.path(), &["list", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{}: {}", path.display(), stderr(&out));
        assert!(stderr(&out).contains(&format!("{}: {says}", path.display())), "{}", stderr(&out));
    }
}

#[test]
fn utf16_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notepad.txt");
    let utf16: Vec<u8> = "\u{feff}A title\n\nAn abstract.\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(&file, utf16).unwrap();
    let out = papers(dir.path(), &["list", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("notepad.txt:1: this is not a text digest (it is UTF-16"), "{}", stderr(&out));
}

/// Runs `script` in bash with the binary as `$P`, the three-paper fixture as `$F`, and one that makes a
/// warning as `$G`.
fn bash(script: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new("bash")
        .args(["-c", script])
        .env("P", env!("CARGO_BIN_EXE_papers"))
        .env("F", fixture("three-papers.txt"))
        .env("G", fixture("invalid-utf8.txt"))
        .env("XDG_DATA_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .expect("run bash")
}

#[test]
fn pipes_and_process_substitution_work() {
    let direct = bash("\"$P\" list \"$F\"");
    assert!(direct.status.success(), "{}", stderr(&direct));
    assert_eq!(String::from_utf8_lossy(&direct.stdout).lines().count(), 3);
    for script in [
        "\"$P\" list <(cat \"$F\")",
        "cat \"$F\" | \"$P\" list /dev/stdin",
        "\"$P\" list /dev/stdin < \"$F\"",
        "\"$P\" list --json \"$F\" | head -c 10 >/dev/null; \"$P\" list \"$F\" | cat",
    ] {
        let out = bash(script);
        assert!(out.status.success(), "{script}: {}", stderr(&out));
        assert_eq!(out.stdout, direct.stdout, "{script}");
    }
}

#[test]
fn a_closed_output_pipe_ends_list_quietly() {
    // `papers list | head -1`: the reader of the pipe goes away early.
    let out = bash("\"$P\" list | head -1; echo \"status=${PIPESTATUS[0]}\"");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().next().is_some_and(|l| l.contains("Electrocardiogram")), "{text}");
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    let status = text.lines().last().unwrap();
    assert!(status == "status=0" || status == "status=141", "{status}: {}", stderr(&out));
    // Every export format, its reader gone after ten bytes: no message, no failure.
    for format in ["bibtex", "markdown", "json", "csv", "ris"] {
        let out = bash(&format!(
            "\"$P\" export --format {format} | head -c 10 >/dev/null; echo \"status=${{PIPESTATUS[0]}}\""
        ));
        let text = String::from_utf8_lossy(&out.stdout);
        let status = text.lines().last().unwrap();
        assert!(status == "status=0" || status == "status=141", "{format}: {status}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{format}");
    }

    // Warnings to a closed standard error, papers to a closed standard output: no panic (exit 101).
    let out = bash(
        "\"$P\" list \"$G\" 2>&- >/dev/null; echo \"stderr=$?\"; \"$P\" list \"$F\" >&- 2>/dev/null; echo \"stdout=$?\"",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("stderr=0\n"), "{text}");
    assert!(!text.contains("stdout=101"), "{text}");
}

#[test]
fn an_endless_feed_is_refused_once_past_what_a_day_brings() {
    // A feed that never ends, on standard input: read whole, it took memory until there was none.
    let out = bash(
        "(printf '<?xml version=\"1.0\"?>\\n<rss version=\"2.0\"><channel>\\n'; \
         yes '<item><title>An endless title</title><description>On and on.</description></item>') \
         | \"$P\" list -; echo \"status=${PIPESTATUS[1]}\"",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().last(), Some("status=2"), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("this looks like an RSS or Atom feed but does not parse: it goes on past 128 MiB"), "{err}");
    assert!(!err.contains("panicked") && !err.contains("memory allocation"), "{err}");
}

#[test]
fn a_feed_that_does_not_parse_is_named_with_the_line_and_column_it_fails_at() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("listing.xml");
    let item = "<item><title>A paper</title><description>On it.</description></item>\n";
    let cases = [
        // A tag closed as another, on line 10.
        (
            format!(
                "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n{}<item><title>Cut</titl></item>\n</channel></rss>\n",
                item.repeat(7)
            ),
            ":10:",
        ),
        // A character reference to no character, on line 3.
        (
            format!(
                "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n<item><title>A &#xZZ; paper</title></item>\n{item}</channel></rss>\n"
            ),
            ":3:",
        ),
    ];
    for (text, at) in cases {
        std::fs::write(&feed, text).unwrap();
        let out = papers(dir.path(), &["list", feed.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(&format!("listing.xml{at}")) && err.contains("does not parse"), "{at}: {err}");
    }
}
