//! The command line as a script or a shell user meets it: output, messages and exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "cli/around.rs"]
mod around;
mod common;
#[path = "cli/filters.rs"]
mod filters;
mod server;

use std::process::{Command, Output, Stdio};

use common::{Run, fixture};

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn list_prints_the_built_in_digest_in_order() {
    let out = Run::new().papers(&["list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 83);
    assert_eq!(lines[0], "●   Deep Learning for Personalized Electrocardiogram Diagnosis: A Review");
}

#[test]
fn list_search_ranks_the_mamba_papers_first() {
    let out = Run::new().papers(&["list", "--search", "mamba"]);
    let text = stdout(&out);
    let top: Vec<&str> = text.lines().take(2).collect();
    assert!(top.iter().any(|l| l.ends_with("Mamba YOLO: SSMs-Based YOLO For Object Detection")), "{text}");
    assert!(top.iter().any(|l| l.ends_with("A Survey of Mamba")), "{text}");
}

#[test]
fn list_json_reports_marks_from_the_state_file() {
    let run = Run::new();
    std::fs::write(
        run.state(),
        r#"{"version":1,"papers":{"title:a survey of mamba":{"starred":true,"read":true,"changed":1}}}"#,
    )
    .expect("write state");
    let out = run.papers(&["list", "--starred", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let papers = json.as_array().expect("an array");
    assert_eq!(papers.len(), 1);
    let p = &papers[0];
    assert_eq!(p["title"], "A Survey of Mamba");
    assert_eq!(p["key"], "title:a survey of mamba");
    assert_eq!(p["starred"], true);
    assert_eq!(p["read"], true);
    assert!(p["abstract"].as_str().is_some_and(|a| a.starts_with("Deep learning, as a vital technique")));
    assert!(p["links"].is_array());

    let out = run.papers(&["list", "--unread", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(82));
}

#[test]
fn list_reads_several_files_and_merges_the_same_paper() {
    let out = Run::new().papers(&[
        "list",
        fixture("three-papers.txt").to_str().unwrap_or_default(),
        fixture("crlf.txt").to_str().unwrap_or_default(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 3);
}

#[test]
fn filters_read_what_every_copy_of_a_paper_brought_whatever_the_order_of_the_files() {
    // The Hugging Face copy of 2403.09043 has no categories; the arXiv feed's has `cs.LG eess.SP`.
    let (hf, rss) = (fixture("hf-daily-papers.json"), fixture("arxiv-rss.xml"));
    let (hf, rss) = (hf.to_str().unwrap_or_default(), rss.to_str().unwrap_or_default());
    let run = Run::new();
    for files in [[hf, rss], [rss, hf]] {
        for query in ["cat:eess", "cat:eess.SP AND ecg", "electrocardiogram cat:cs.LG"] {
            let out = run.papers(&["list", files[0], files[1], "--search", query]);
            assert!(out.status.success(), "{}", stderr(&out));
            let listed = stdout(&out);
            assert!(listed.contains("Deep Learning for Personalized Electrocardiogram"), "{files:?} {query}: {listed}");
        }
    }
}

#[test]
fn an_empty_file_is_an_error_naming_it_with_exit_code_2() {
    let path = fixture("empty.txt");
    let out = Run::new().papers(&["list", path.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("empty.txt: the file is empty"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn a_file_with_no_papers_is_an_error_with_exit_code_2() {
    let out = Run::new().papers(&[fixture("header-only.txt").to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("header-only.txt: no papers found"), "{}", stderr(&out));
}

#[test]
fn missing_files_and_directories_get_clear_messages() {
    let run = Run::new();
    let out = run.papers(&["list", "no-such-digest.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such-digest.txt: cannot read it"), "{}", stderr(&out));
    let dir = run.dir.path().to_str().unwrap_or_default().to_string();
    let out = run.papers(&["list", &dir]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the directory holds no files"), "{}", stderr(&out));
}

#[test]
fn invalid_utf8_is_a_warning_naming_file_and_line() {
    let out = Run::new().papers(&["list", fixture("invalid-utf8.txt").to_str().unwrap_or_default()]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("invalid-utf8.txt:13: invalid UTF-8"), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 3);
}

#[test]
fn the_reader_without_a_terminal_says_so_and_exits_2() {
    let out = Run::new().papers(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("needs a terminal"), "{}", stderr(&out));
}

#[test]
fn a_damaged_state_file_is_kept_aside_and_named() {
    let run = Run::new();
    let damaged = b"{\"version\": 1, \"papers\": {";
    std::fs::write(run.state(), damaged).expect("write");
    // `list` only reads: it says so, and leaves the file as it is.
    let out = run.papers(&["list"]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(err.contains("is not a state papers can read") && err.contains("left as it is"), "{err}");
    assert_eq!(std::fs::read(run.state()).expect("the file"), damaged);
    // A command that writes the state keeps it aside, and names where.
    let empty = run.dir.path().join("empty.json");
    std::fs::write(&empty, papers::state::encode(&Default::default())).expect("write");
    let out = run.papers(&["state", "import", empty.to_str().unwrap_or_default()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("is damaged") && err.contains(".damaged-"), "{err}");
    let names: Vec<String> = std::fs::read_dir(run.dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let aside: Vec<_> = names.iter().filter(|n| n.contains(".damaged-")).collect();
    assert_eq!(aside.len(), 1, "the damaged file is kept aside: {names:?}");
    // The damaged file was replaced by an empty state at once: there is never a moment without one.
    let now = std::fs::read_to_string(run.state()).expect("a state file");
    assert!(now.contains("\"papers\": {}"), "{now}");
}

#[test]
fn help_and_version() {
    let out = Run::new().papers(&["--help"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("papers list"), "{}", stdout(&out));
    let out = Run::new().papers(&["--version"]);
    assert!(stdout(&out).starts_with("papers "));
}

#[test]
fn list_output_never_carries_escape_sequences() {
    let out = Run::new().papers(&["list", "--json", fixture("hostile.txt").to_str().unwrap_or_default()]);
    assert!(!out.stdout.contains(&0x1b), "{}", stdout(&out));
    let out = Run::new().papers(&["list", fixture("hostile.txt").to_str().unwrap_or_default()]);
    assert!(!out.stdout.contains(&0x1b));
    assert!(stdout(&out).contains("Evil Red Title override end"));
}

#[test]
fn the_state_option_may_come_before_the_command() {
    let run = Run::new();
    let out = Command::new(env!("CARGO_BIN_EXE_papers"))
        .env("XDG_DATA_HOME", run.dir.path())
        .env("XDG_CONFIG_HOME", run.dir.path())
        .arg("--state")
        .arg(run.state())
        .args(["list", "--search", "'survey 'mamba"])
        .stdin(Stdio::null())
        .output()
        .expect("run papers");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim_end(), "●   A Survey of Mamba");
}

#[test]
fn list_and_export_text_search_what_papers_say() {
    let run = Run::new();
    // Only in an abstract: no title has these words.
    let out = run.papers(&["list", "--text", "\"clean energy transition\""]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "●   AdsorbRL: Deep Multi-Objective Reinforcement Learning for Inverse Catalysts Design\n"
    );
    assert!(run.dir.path().join("cache/papers/index/meta.json").is_file(), "the index is kept in the cache directory");
    let out = run.papers(&["export", "--text", "mamba -yolo", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let titles: Vec<&str> = json.as_array().unwrap().iter().map(|p| p["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["A Survey of Mamba"]);
    // Nothing to look for, or two searches at once: told, exit 2.
    let out = run.papers(&["list", "--text", "-mamba"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run.papers(&["list", "--text", "mamba", "--search", "mamba"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // A query that starts with an exclusion is the option's value, not another option.
    let out = run.papers(&["export", "--text", "-yolo mamba", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json.as_array().unwrap()[0]["title"], "A Survey of Mamba");
    let out = run.papers(&["list", "--search", "-x"]);
    assert!(!stderr(&out).contains("unexpected argument"), "{}", stderr(&out));
    // The next option, the query left out, is not taken for a query.
    let out = run.papers(&["list", "--search", "--unread"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("this is an option, not a query"), "{}", stderr(&out));
    let out = run.papers(&["export", "--text", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // `?` starts a text search, in `--search` as in the reader's search bar.
    let out = run.papers(&["list", "--search", " ?\"clean energy transition\""]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "●   AdsorbRL: Deep Multi-Objective Reinforcement Learning for Inverse Catalysts Design\n"
    );
    let out = run.papers(&["list", "--search", "?"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--search ?: give a word"), "{}", stderr(&out));
}

#[test]
fn a_damaged_index_is_built_again_and_the_answer_is_still_right() {
    let run = Run::new();
    assert!(run.papers(&["list", "--text", "solder"]).status.success());
    let meta = run.dir.path().join("cache/papers/index/meta.json");
    std::fs::write(&meta, b"{ half a file").unwrap();
    let out = run.papers(&["list", "--text", "solder"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("damaged"), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "●   Deep Learning Based Defect Detection for Solder Joints on Industrial X-Ray Circuit Board Images\n"
    );
    // Damage that shows only when a search reads it (each term dictionary overwritten): the search
    // says so, the index is built again at once, and the answer is the same; then `similar` too.
    let dir = run.dir.path().join("cache/papers/index");
    let overwrite_terms = || {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "term") {
                let mut bytes = std::fs::read(&path).unwrap();
                let n = bytes.len().min(256);
                bytes[..n].fill(0xff);
                std::fs::write(&path, bytes).unwrap();
            }
        }
    };
    overwrite_terms();
    let out = run.papers(&["list", "--text", "solder"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Said once: what was found, and that it is built again.
    assert!(stderr(&out).contains("found damaged while searching"), "{}", stderr(&out));
    assert_eq!(stderr(&out).matches("damaged").count(), 1, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "●   Deep Learning Based Defect Detection for Solder Joints on Industrial X-Ray Circuit Board Images\n"
    );
    let out = run.papers(&["list", "--text", "solder"]);
    assert!(out.status.success() && stderr(&out).is_empty(), "{}", stderr(&out));
    overwrite_terms();
    let out = run.papers(&["similar", "Mamba YOLO", "--limit", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("found damaged while searching"), "{}\n{}", stderr(&out), stdout(&out));
    assert_eq!(stdout(&out).lines().count(), 4, "{}", stdout(&out));
    // An index that cannot be made at all (a file where its directory should be): made in memory.
    std::fs::remove_dir_all(run.dir.path().join("cache")).unwrap();
    std::fs::write(run.dir.path().join("cache"), b"not a directory").unwrap();
    let out = run.papers(&["list", "--text", "solder"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("in memory"), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1);
}

/// Another papers holding the index's writer is said only when it keeps papers out of the search, and
/// then as the reason they are not searched.
#[test]
fn an_index_another_papers_writes_is_said_only_when_papers_wait_for_it() {
    let run = Run::new();
    assert!(run.papers(&["list", "--text", "solder"]).status.success());
    let (held, _) = papers::index::Index::open(&run.dir.path().join("cache/papers/index")).unwrap();
    assert!(held.writable());
    let out = run.papers(&["list", "--text", "solder"]);
    assert!(out.status.success() && stderr(&out).is_empty(), "every paper indexed: {}", stderr(&out));
    let new = run.dir.path().join("new.txt");
    std::fs::write(&new, "A Paper About Zanzibarian Solder\n\nNot indexed yet.\n").unwrap();
    let out = run.papers(&["list", "--text", "solder", new.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains(
            "1 paper is not in the full-text index, and not searched: another papers process is updating the full-text index"
        ),
        "{said}"
    );
    assert_eq!(said.matches("another papers process is updating").count(), 1, "said once: {said}");
    drop(held);
}

#[test]
fn similar_prints_the_papers_most_like_one() {
    let run = Run::new();
    let out = run.papers(&["similar", "Mamba YOLO", "--limit", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Papers like “Mamba YOLO: SSMs-Based YOLO For Object Detection”:");
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[1..].iter().all(|l| l.trim_start().split('%').next().unwrap().parse::<u32>().is_ok()), "{text}");
    assert!(lines[1..].iter().any(|l| l.ends_with("A Survey of Mamba")), "{text}");
    // A limit past what any library holds is as many as there are, not memory asked for that many.
    for limit in ["4294967296", "9223372036854775807", "18446744073709551615"] {
        let out = run.papers(&["similar", "Mamba YOLO", "--limit", limit]);
        assert!(out.status.success(), "{limit}: {}", stderr(&out));
        assert!(stdout(&out).lines().count() > 4, "{limit}: {}", stdout(&out));
    }
    let out = run.papers(&["similar", "no such paper anywhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no paper"), "{}", stderr(&out));
}

#[test]
fn a_state_file_named_without_a_directory_is_saved_in_the_current_one() {
    // `--state state.json`: the directory is the current one, where the lock, the temporary file and the
    // leftovers of a killed save are, and where the leftover is cleared.
    let dir = tempfile::tempdir().unwrap();
    let import = dir.path().join("from-elsewhere.json");
    let star = r#"{"version":1,"papers":{"title:a survey of mamba":{"starred":true,"read":false,"changed":1,"title":"A Survey of Mamba"}}}"#;
    std::fs::write(&import, star).unwrap();
    let leftover = dir.path().join(".state.json.tmp-1");
    std::fs::write(&leftover, "half a save").unwrap();
    let papers =
        |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_papers")).args(args).current_dir(dir.path()).output().unwrap();
    let out = papers(&["state", "import", "from-elsewhere.json", "--state", "state.json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 new stars"), "{}", stdout(&out));
    assert!(!leftover.exists(), "the leftover of a killed save was not cleared");
    let out = papers(&["list", "--starred", "--state", "state.json"]);
    assert!(stdout(&out).contains("A Survey of Mamba"), "{}", stdout(&out));
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(names.iter().all(|n| !n.to_string_lossy().contains(".tmp-")), "{names:?}");
}

#[test]
fn a_file_that_starts_as_json_and_does_not_parse_is_refused_with_the_json_error() {
    let run = Run::new();
    // What the JSON readers say, at which line and column; exit 2. Each file has no title with an abstract.
    let cases: [(&str, &[u8], &str); 6] = [
        ("cut.json", b"[1,2", "cut.json:1:4: this looks like JSON but does not parse: EOF while parsing a list"),
        ("lines.json", b"\n  [\n  1,\n  2,\n", "lines.json:5:0: this looks like JSON but does not parse: EOF"),
        ("numbers.json", b"[1, 2]\n", "numbers.json:1:2: this looks like Hugging Face daily papers JSON"),
        ("braces.txt", b"{Braces} in a Title\n", "braces.txt:1:2: this looks like JSON but does not parse: key must"),
        ("two.txt", b"[a] First\n\n[b] Second\n", "two.txt:1:2: this looks like JSON but does not parse: expected"),
        ("bom.json", b"\xEF\xBB\xBF{\"a\" 1", "bom.json:1:6: this looks like JSON but does not parse: expected `:`"),
    ];
    for (name, bytes, message) in cases {
        let path = run.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = run.papers(&["list", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{name}: {}", stdout(&out));
        let expected = format!("{}/{message}", run.dir.path().display());
        assert!(stderr(&out).contains(&expected), "{name}: {}\nwanted {expected}", stderr(&out));
    }
}

#[test]
fn titles_that_start_with_a_bracket_stay_titles_in_a_digest() {
    let run = Run::new();
    let text = "[Re] Reproducing Sparse Gating\n\nWe reproduce sparse gating. It holds up.\n\n\
                {Braces} in a Title\n\n[Draft] A Title Without Its Abstract\n";
    let path = run.dir.path().join("re.txt");
    std::fs::write(&path, text).unwrap();
    let out = run.papers(&["list", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let titles: Vec<String> = stdout(&out).lines().map(|l| l.trim_start_matches(['●', ' ']).to_string()).collect();
    assert_eq!(
        titles,
        ["[Re] Reproducing Sparse Gating", "{Braces} in a Title", "[Draft] A Title Without Its Abstract"]
    );
    // A single title that starts with a bracket, with its abstract: a digest of one paper.
    std::fs::write(&path, "[Re] One Paper\n\nWe reproduce it. It holds up.\n").unwrap();
    let out = run.papers(&["list", path.to_str().unwrap()]);
    assert_eq!(stdout(&out), "●   [Re] One Paper\n", "{}", stderr(&out));
}
