//! The command line as a script or a shell user meets it: output, messages and exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
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
    std::fs::write(run.state(), b"{\"version\": 1, \"papers\": {").expect("write");
    let out = run.papers(&["list"]);
    assert!(out.status.success());
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
    // An index that cannot be made at all (a file where its directory should be): made in memory.
    std::fs::remove_dir_all(run.dir.path().join("cache")).unwrap();
    std::fs::write(run.dir.path().join("cache"), b"not a directory").unwrap();
    let out = run.papers(&["list", "--text", "solder"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("in memory"), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1);
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

/// Where bash is, when it is installed (CI has it).
fn bash() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("bash")).find(|bash| bash.is_file())
}

#[test]
fn bash_loads_the_completions_and_completes_papers_with_them() {
    let Some(shell) = bash() else {
        eprintln!("skipped: no bash on PATH to load the completions into");
        return;
    };
    let out = Command::new(&shell)
        .args(["--norc", "--noprofile", "-c", r#"source <("$PAPERS" completions bash) && complete -p papers"#])
        .env("PAPERS", env!("CARGO_BIN_EXE_papers"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let registered = stdout(&out);
    assert!(registered.starts_with("complete ") && registered.trim_end().ends_with(" papers"), "{registered}");
    // What bash would offer after `papers ` and after `papers export --format `.
    let script = r#"source <("$PAPERS" completions bash)
        f=$(complete -p papers | sed -E 's/.*-F ([^ ]+).*/\1/')
        COMP_WORDS=(papers ""); COMP_CWORD=1; COMP_LINE="papers "; COMP_POINT=7; $f papers "" papers
        echo "${COMPREPLY[*]}"
        COMP_WORDS=(papers export --format ""); COMP_CWORD=3; COMP_LINE="papers export --format "; COMP_POINT=23
        $f papers "" --format; echo "${COMPREPLY[*]}""#;
    let out = Command::new(&shell)
        .args(["--norc", "--noprofile", "-c", script])
        .env("PAPERS", env!("CARGO_BIN_EXE_papers"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let offered = stdout(&out);
    let mut lines = offered.lines();
    let commands = lines.next().unwrap_or_default();
    for command in ["list", "export", "fetch", "doctor", "completions"] {
        assert!(commands.split(' ').any(|c| c == command), "{command} not offered: {offered}{}", stderr(&out));
    }
    let formats = lines.next().unwrap_or_default();
    assert!(formats.split(' ').any(|f| f == "bibtex") && formats.contains("csv"), "{offered}");
}

#[test]
fn zsh_and_fish_completions_name_every_command() {
    for shell in ["zsh", "fish"] {
        let out = Run::new().papers(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(!script.trim().is_empty(), "{shell}");
        for command in ["list", "export", "state", "fetch", "sources", "config", "similar", "doctor", "completions"] {
            assert!(script.contains(command), "{shell} does not name {command}");
        }
    }
    assert!(stdout(&Run::new().papers(&["completions", "fish"])).contains("complete -c papers"));
    assert!(stdout(&Run::new().papers(&["completions", "zsh"])).starts_with("#compdef papers"));
    let out = Run::new().papers(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2), "an unknown shell is a usage error");
    assert!(stderr(&out).contains("bash"), "{}", stderr(&out));
}

/// `papers doctor` in a home of its own, with `config` as its configuration file and `state` as its state
/// path (beside them when not given).
fn doctor(run: &Run, config: &str, state: Option<&std::path::Path>) -> Output {
    let config_path = run.dir.path().join("papers/config.toml");
    std::fs::create_dir_all(config_path.parent().unwrap()).unwrap();
    std::fs::write(&config_path, config).unwrap();
    let state = state.map_or_else(|| run.dir.path().join("data/papers/state.json"), std::path::Path::to_path_buf);
    Command::new(env!("CARGO_BIN_EXE_papers"))
        .args(["doctor", "--state"])
        .arg(state)
        .env("XDG_DATA_HOME", run.dir.path().join("data"))
        .env("XDG_CONFIG_HOME", run.dir.path())
        .env("XDG_CACHE_HOME", run.dir.path().join("cache"))
        // The default PDF folder is in the home: the test's own.
        .env("HOME", run.dir.path())
        .env_remove("HF_ENDPOINT")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The line of `out` that reports the check `name`.
fn check_line(out: &Output, name: &str) -> String {
    let text = stdout(out);
    text.lines().find(|l| l.split_whitespace().nth(1) == Some(name)).map(str::to_string).unwrap_or_else(|| {
        panic!("no `{name}` line in:\n{text}{}", stderr(out));
    })
}

#[test]
fn doctor_passes_on_a_fresh_machine_with_the_sources_answering() {
    let server = server::Server::start(|_, _| server::Reply::ok("[]"));
    let run = Run::new();
    let config = format!(
        "[huggingface]\nendpoint = \"{}\"\n[arxiv]\ncategories = [\"cs.LG\"]\nrss_endpoint = \"{}/rss\"\n",
        server.url(),
        server.url()
    );
    let out = doctor(&run, &config, None);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(check_line(&out, "config").starts_with("ok "), "{}", stdout(&out));
    assert!(check_line(&out, "config").contains("parses: 2 sources"), "{}", stdout(&out));
    for name in ["state", "lock"] {
        assert!(check_line(&out, name).starts_with("ok "), "{}", stdout(&out));
    }
    assert!(check_line(&out, "state").contains("no file yet"), "{}", stdout(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().filter(|l| l.contains(" source ")).count(), 2, "{text}");
    assert!(text.contains("huggingface: http://127.0.0.1:") && text.contains("answered 200 OK"), "{text}");
    let asked: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert!(asked.contains(&"/api/daily_papers".to_string()) && asked.contains(&"/rss/cs.LG".to_string()), "{asked:?}");
    assert!(text.lines().any(|l| l.split_whitespace().nth(1) == Some("opener")), "{text}");
    assert!(check_line(&out, "terminal").starts_with("warn "), "not a terminal here: {text}");
    assert!(check_line(&out, "pdf").starts_with("ok "), "{text}");
    assert!(!text.contains("FAIL"), "{text}");
    // Nothing was made: the doctor looks, it does not set up.
    assert!(!run.dir.path().join("data").exists());
}

#[test]
fn doctor_only_warns_when_a_source_cannot_be_reached() {
    let run = Run::new();
    let config = format!("[huggingface]\nendpoint = \"http://127.0.0.1:{}\"\n", server::dead_port());
    let out = doctor(&run, &config, None);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let line = check_line(&out, "source");
    assert!(line.starts_with("warn ") && line.contains("connection refused"), "{}", stdout(&out));
    assert!(stdout(&out).contains("reads offline"), "{}", stdout(&out));
}

#[test]
fn doctor_names_a_broken_state_path_and_exits_1() {
    let run = Run::new();
    let offline = "[huggingface]\nenabled = false\n";
    // The state path is a directory.
    let taken = run.dir.path().join("taken");
    std::fs::create_dir_all(&taken).unwrap();
    let out = doctor(&run, offline, Some(&taken));
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let line = check_line(&out, "state");
    assert!(line.starts_with("FAIL") && line.contains("it is a directory"), "{}", stdout(&out));
    assert!(stdout(&out).contains("--state FILE"), "what to do is said: {}", stdout(&out));
    // Its parent is a file.
    let file = run.dir.path().join("file");
    std::fs::write(&file, "not a directory").unwrap();
    let out = doctor(&run, offline, Some(&file.join("state.json")));
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    let line = text.lines().find(|l| l.starts_with("FAIL")).unwrap_or_else(|| panic!("{text}"));
    assert!(line.split_whitespace().nth(1) == Some("directory") && line.contains("is not a directory"), "{text}");
    // A configuration that does not parse fails too, with its line and column.
    let out = doctor(&run, "[fetch]\ntimeout = \"soon\"\n", None);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let line = check_line(&out, "config");
    assert!(line.starts_with("FAIL") && line.contains("config.toml:2:11"), "{}", stdout(&out));
}

/// The log's lines, and the file's permissions.
fn read_log(path: &std::path::Path) -> (String, u32) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("no log at {}: {e}", path.display()));
    #[cfg(unix)]
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(path).unwrap().permissions()) & 0o777;
    #[cfg(not(unix))]
    let mode = 0o600;
    (text, mode)
}

#[test]
fn the_log_says_what_was_read_and_saved_and_how_long_it_took_but_never_what_papers_say() {
    let run = Run::new();
    let log = run.dir.path().join("papers.log");
    let digest = fixture("three-papers.txt");
    let out = run.papers(&["list", digest.to_str().unwrap(), "--log", log.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (text, mode) = read_log(&log);
    assert_eq!(mode, 0o600, "only its owner may read it");
    let read = text.lines().find(|l| l.contains(" DEBUG ") && l.contains("read ")).unwrap_or_else(|| panic!("{text}"));
    assert!(read.contains("three-papers.txt in ") && read.ends_with(" ms"), "{text}");
    assert!(text.lines().next().is_some_and(|l| l.contains("papers 0.") && l.contains(" started")), "{text}");
    // Appended to, a run after another; a failure is logged with its exit code.
    let missing = run.dir.path().join("missing.txt");
    let out = run.papers(&["list", missing.to_str().unwrap(), "--log", log.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let (again, _) = read_log(&log);
    assert!(again.starts_with(&text), "the log was not appended to:\n{again}");
    assert_eq!(again.lines().filter(|l| l.contains(" started")).count(), 2, "{again}");
    assert!(
        again.lines().any(|l| l.contains(" ERROR ") && l.contains("exit 2") && l.contains("missing.txt")),
        "{again}"
    );
    // A save: the file, how long, whether it worked.
    let marks = run.dir.path().join("marks.json");
    std::fs::write(&marks, r#"{"version":1,"papers":{"title:a survey of mamba":{"starred":true,"changed":5}}}"#)
        .unwrap();
    let out = run.papers(&["state", "import", marks.to_str().unwrap(), "--log", log.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (text, _) = read_log(&log);
    let saved = text.lines().find(|l| l.contains("saved ")).unwrap_or_else(|| panic!("{text}"));
    assert!(saved.contains("state.json in ") && saved.ends_with(": ok"), "{saved}");
    for title in ["Deep Learning for Personalized", "Mamba YOLO", "Survey of Hallucination", "a survey of mamba"] {
        assert!(!text.contains(title), "paper text in the log: {title}\n{text}");
    }
    for word in ["electrocardiogram", "Propelled", "hallucinate"] {
        assert!(!text.to_lowercase().contains(&word.to_lowercase()), "an abstract in the log: {word}\n{text}");
    }
}

#[test]
fn a_warning_about_a_bad_input_file_is_in_the_log_as_on_standard_error() {
    let run = Run::new();
    let log = run.dir.path().join("papers.log");
    let digest = fixture("invalid-utf8.txt");
    let out = run.papers(&["list", digest.to_str().unwrap(), "--log", log.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("invalid-utf8.txt:13: invalid UTF-8"), "{}", stderr(&out));
    let (text, _) = read_log(&log);
    let warned = text.lines().find(|l| l.contains(" WARN ")).unwrap_or_else(|| panic!("no warning logged: {text}"));
    assert!(warned.contains("invalid-utf8.txt:13: invalid UTF-8"), "{warned}");
}

#[test]
fn a_log_that_cannot_be_written_is_refused_with_its_name() {
    let run = Run::new();
    let out = run.papers(&["list", "--log", run.dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--log") && stderr(&out).contains("directory"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
}

#[test]
fn export_writes_ris_records_and_the_reader_takes_ris_as_its_export_format() {
    let run = Run::new();
    let digest = fixture("hf-daily-papers.json");
    let out = run.papers(&["export", "--format", "ris", digest.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("TY  - UNPB\r\n") && text.ends_with("ER  - \r\n"), "{text}");
    assert_eq!(text.matches("TY  - ").count(), 3, "{text}");
    assert_eq!(text.matches("\r\nER  - \r\n").count(), 3, "{text}");
    assert!(text.contains("AN  - arXiv:2403.09043\r\n"), "{text}");
    assert!(
        text.contains("TI  - Sparse Mixture-of-Adapters for Efficient Multilingual Speech Recognition\r\n"),
        "{text}"
    );
    // `--export-format ris` is taken (the reader then says it needs a terminal, as for any format).
    let out = run.papers(&["--export-format", "ris", digest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("needs a terminal"), "{}", stderr(&out));
    let out = run.papers(&["export", "--help"]);
    assert!(stdout(&out).contains("ris") && stdout(&out).contains("Zotero"), "{}", stdout(&out));
}

/// A digest (arXiv metadata, JSON Lines) of five papers with categories, authors and abstracts, and a
/// state file: 1 read, 2 starred and read, 4 starred.
fn filtered_library(run: &Run) -> std::path::PathBuf {
    let papers = [
        (
            "2401.00001",
            "Dense retrieval with small language models",
            "Wei Li, Anna Smith",
            "cs.CL cs.IR",
            "We study retrieval augmented generation for question answering.",
        ),
        ("2401.00002", "Retrieval heads in transformers", "Bo Chen", "cs.LG", "Attention heads that copy tokens."),
        (
            "2401.00003",
            "Diffusion models for protein design",
            "Yan Li",
            "q-bio.BM cs.LG",
            "A score-based generative model for proteins.",
        ),
        (
            "2401.00004",
            "State space models are strong retrievers",
            "Carla Diaz",
            "cs.CL",
            "Mamba layers replace attention in retrieval.",
        ),
        ("2401.00005", "Graph diffusion on manifolds", "Wei Li", "math.DG", "Heat kernels on Riemannian manifolds."),
    ];
    let lines: Vec<String> = papers
        .iter()
        .map(|(id, title, authors, categories, abstract_text)| {
            serde_json::json!({
                "id": id, "submitter": "x", "authors": authors, "title": title, "categories": categories,
                "abstract": abstract_text, "update_date": "2024-01-02",
                "versions": [{"version": "v1", "created": "Tue, 2 Jan 2024 10:00:00 GMT"}],
            })
            .to_string()
        })
        .collect();
    let path = run.dir.path().join("filters.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write digest");
    std::fs::write(
        run.state(),
        r#"{"version":1,"papers":{
            "arxiv:2401.00001":{"read":true,"changed":1},
            "arxiv:2401.00002":{"starred":true,"read":true,"changed":1},
            "arxiv:2401.00004":{"starred":true,"changed":1}}}"#,
    )
    .expect("write state");
    path
}

/// The numbers (1 to 5, see `filtered_library`) of the papers `papers list --search query` prints, in order.
fn listed(run: &Run, digest: &std::path::Path, query: &str) -> Vec<u32> {
    let out = run.papers(&["list", "--json", "--search", query, digest.to_str().unwrap_or_default()]);
    assert!(out.status.success(), "{query}: {}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let ids = json.as_array().expect("an array").iter().map(|p| p["arxiv_id"].as_str().unwrap_or("").to_string());
    ids.map(|id| id.trim_start_matches("2401.0000").parse().unwrap_or(0)).collect()
}

fn sorted(mut numbers: Vec<u32>) -> Vec<u32> {
    numbers.sort_unstable();
    numbers
}

#[test]
fn list_search_filters_by_category_author_title_abstract_and_marks() {
    let run = Run::new();
    let digest = filtered_library(&run);
    let list = |query: &str| listed(&run, &digest, query);
    // Filters alone keep library order.
    assert_eq!(list("cat:cs.CL"), [1, 4]);
    assert_eq!(list("cat:CS.cl"), [1, 4]);
    assert_eq!(list("cat:cs"), [1, 2, 3, 4], "a category's start");
    assert_eq!(list("cat:q-bio.BM"), [3]);
    assert_eq!(sorted(list("author:\"wei li\"")), [1, 5]);
    assert_eq!(list("author:chen"), list("@chen"));
    assert_eq!(sorted(list("title:retriev")), [1, 2, 4]);
    assert_eq!(list("\"state space\""), [4]);
    assert_eq!(list("\"space state\""), Vec::<u32>::new());
    assert_eq!(list("abstract:attention"), [2, 4], "folded, whatever the case");
    assert_eq!(list("abstract:\"heat kernels\""), [5]);
    assert_eq!(list("abstract:Attention"), [2], "a capital asks for the case");
    assert_eq!(list("is:unread"), [3, 4, 5]);
    assert_eq!(list("is:read"), [1, 2]);
    assert_eq!(list("is:starred"), [2, 4]);
    // No paper has tags yet.
    assert_eq!(list("tag:todo"), Vec::<u32>::new());
}

#[test]
fn list_search_combines_filters_with_and_or_not_and_parentheses() {
    let run = Run::new();
    let digest = filtered_library(&run);
    let list = |query: &str| listed(&run, &digest, query);
    assert_eq!(sorted(list("retrieval OR diffusion")), [1, 2, 3, 5]);
    assert_eq!(list("retrieval | diffusion"), list("retrieval OR diffusion"));
    assert_eq!(list("NOT is:read"), [3, 4, 5]);
    assert_eq!(list("!cat:cs.CL"), [2, 3, 5]);
    assert_eq!(list("author:\"wei li\" NOT is:read diffusion"), [5]);
    assert_eq!(list("cat:cs.CL AND is:starred"), [4]);
    // AND before OR: (math.DG) OR (cs.CL AND starred).
    assert_eq!(sorted(list("cat:math.DG OR cat:cs.CL is:starred")), [4, 5]);
    assert_eq!(sorted(list("(cat:math.DG OR cat:cs.CL) is:unread")), [4, 5]);
    assert_eq!(list("NOT (cat:cs OR is:starred)"), [5]);
    // Filters only narrow: the words rank as without them.
    let ranked = list("models");
    let in_cs: Vec<u32> = ranked.iter().copied().filter(|n| [1, 2, 3, 4].contains(n)).collect();
    assert_eq!(list("models cat:cs"), in_cs);
    assert_eq!(sorted(ranked), [1, 3, 4]);
    // --unread and is:starred both hold.
    let out =
        run.papers(&["list", "--json", "--unread", "--search", "is:starred", digest.to_str().unwrap_or_default()]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(1));
}

#[test]
fn list_search_refuses_a_query_that_does_not_parse_and_says_why() {
    let run = Run::new();
    let digest = filtered_library(&run);
    for (query, why) in [
        ("\"state space", "--search: a \" is not closed"),
        ("retrieval AND", "--search: AND needs a term after it"),
        ("is:new", "--search: is: takes unread, read or starred, not new"),
        ("(a OR b", "--search: a ( is not closed"),
    ] {
        let out = run.papers(&["list", "--search", query, digest.to_str().unwrap_or_default()]);
        assert_eq!(out.status.code(), Some(2), "{query}");
        assert!(stderr(&out).contains(why), "{query}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    // A word with a colon that is no filter is a title word.
    assert_eq!(listed(&run, &digest, "state:"), Vec::<u32>::new());
}

#[test]
fn doctor_checks_the_pdf_folder_and_each_commands_program() {
    let run = Run::new();
    let pdfs = run.dir.path().join("pdfs");
    let config = format!(
        "[huggingface]\nenabled = false\n[pdf]\ndir = '{}'\n[commands]\nshout = {{ argv = ['sh', '-c', 'tr a-z A-Z'] }}\nsummary = {{ argv = ['papers-no-such-llm', '-s'] }}\n",
        pdfs.display()
    );
    let out = doctor(&run, &config, None);
    let text = stdout(&out);
    assert!(check_line(&out, "pdf").starts_with("ok ") && text.contains("the first download makes it"), "{text}");
    assert!(!pdfs.exists(), "the doctor makes nothing");
    let commands: Vec<&str> = text.lines().filter(|l| l.split_whitespace().nth(1) == Some("command")).collect();
    assert_eq!(commands.len(), 2, "{text}");
    assert!(commands[0].starts_with("ok ") && commands[0].contains("shout: sh is "), "{text}");
    assert!(commands[1].starts_with("warn ") && commands[1].contains("papers-no-such-llm is not found"), "{text}");
    // A file where the folder would be: said, with what to do.
    std::fs::write(&pdfs, "not a folder").unwrap();
    let out = doctor(&run, &config.replace("pdfs'", "pdfs/inner'"), None);
    let line = check_line(&out, "pdf");
    assert!(line.starts_with("warn ") && line.contains("is not a directory"), "{}", stdout(&out));
    assert!(stdout(&out).contains("[pdf] dir"), "{}", stdout(&out));
}

#[test]
fn config_prints_a_file_of_lines_that_reads_back() {
    let out = Run::new().papers(&["config"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.lines().count() > 10, "one line per setting, not one in all: {text:?}");
    assert!(text.lines().any(|line| line.trim() == "[keys]"), "{text}");
    let parsed: Result<toml::Table, _> = text.parse();
    assert!(parsed.is_ok(), "{parsed:?}\n{text}");
}
