//! The commands around the reader: shell completions, `papers doctor`, the debug log (`--log`), RIS
//! export and `papers config`.

use std::process::{Command, Output, Stdio};

use super::{stderr, stdout};
use crate::common::{Run, fixture};
use crate::server;

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

#[cfg(unix)]
#[test]
fn doctor_checks_the_lock_the_reader_takes_beside_the_file_a_symlink_names() {
    let run = Run::new();
    let offline = "[huggingface]\nenabled = false\n";
    let (real, link) = (run.dir.path().join("real"), run.dir.path().join("link"));
    std::fs::create_dir_all(&real).unwrap();
    std::fs::create_dir_all(&link).unwrap();
    std::fs::write(real.join("state.json"), r#"{"version": 2, "papers": {}}"#).unwrap();
    std::os::unix::fs::symlink("../real/state.json", link.join("state.json")).unwrap();
    let out = doctor(&run, offline, Some(&link.join("state.json")));
    let line = check_line(&out, "lock");
    assert!(line.starts_with("ok ") && line.contains("real/state.json.lock"), "{}", stdout(&out));
    assert!(!link.join("state.json.lock").exists(), "no lock made beside the link");
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

/// A log is appended to: aimed at the state file (by any name), the configuration or a digest read, its
/// first line made that file another one (the marks lost, a paper more, a configuration that does not
/// parse). Each is refused before anything is written, and the file is as it was.
#[test]
fn the_log_is_never_written_into_the_state_the_configuration_or_a_digest() {
    let run = Run::new();
    let marks = r#"{"version":1,"papers":{"title:a survey of mamba":{"starred":true,"changed":5}}}"#;
    std::fs::write(run.state(), marks).unwrap();
    let digest = run.dir.path().join("day.txt");
    std::fs::copy(fixture("three-papers.txt"), &digest).unwrap();
    let config = run.dir.path().join("config.toml");
    std::fs::write(&config, "[watch]\nauthors = [\"Hinton\"]\n").unwrap();
    let link = run.dir.path().join("log-link");
    #[cfg(unix)]
    std::os::unix::fs::symlink(run.state(), &link).unwrap();
    #[cfg(not(unix))]
    std::fs::hard_link(run.state(), &link).unwrap();
    let (d, c, l) = (digest.to_str().unwrap(), config.to_str().unwrap(), link.to_str().unwrap());
    let state = run.state();
    let in_folder = run.dir.path().join("new.log");
    let folder = run.dir.path().to_str().unwrap().to_string();
    let cases: [(Vec<&str>, &str); 5] = [
        (vec!["list", d, "--log", state.to_str().unwrap()], "stars and read marks"),
        (vec!["list", d, "--log", l], "stars and read marks"),
        (vec!["list", d, "--config", c, "--log", c], "the configuration file"),
        (vec!["list", d, "--log", d], "would be read as a digest"),
        (vec!["list", &folder, "--log", in_folder.to_str().unwrap()], "would be read as a digest"),
    ];
    for (args, why) in cases {
        let out = run.papers(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(std::fs::read_to_string(run.state()).unwrap(), marks);
    assert_eq!(std::fs::read(&digest).unwrap(), std::fs::read(fixture("three-papers.txt")).unwrap());
    assert_eq!(std::fs::read_to_string(&config).unwrap(), "[watch]\nauthors = [\"Hinton\"]\n");
    assert!(!in_folder.exists());
    // Beside them, a log of its own is written.
    let log = run.dir.path().join("logs");
    std::fs::create_dir(&log).unwrap();
    let out = run.papers(&["list", d, "--log", log.join("papers.log").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read_log(&log.join("papers.log")).0.contains(" started"));
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

/// A malformed entry of a Hugging Face file is warned of without the text it held: the warning names
/// its place and what was wrong, in the log as on standard error, and a huge value is not quoted.
#[test]
fn a_warning_about_a_malformed_entry_does_not_quote_its_text() {
    let run = Run::new();
    let log = run.dir.path().join("papers.log");
    let digest = run.dir.path().join("hf.json");
    let secret = "SecretAuthorName".repeat(10_000);
    let entries = format!(
        r#"[{{"paper":{{"id":"2403.1","title":"T","summary":"s."}}}},
{{"paper":{{"id":"2403.2","title":"t","summary":"s","authors":"{secret}"}}}}]"#
    );
    std::fs::write(&digest, entries).unwrap();
    let out = run.papers(&["list", digest.to_str().unwrap(), "--log", log.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("hf.json:2: not a paper entry (invalid type: a string"), "{}", stderr(&out));
    let (text, _) = read_log(&log);
    assert!(text.contains("hf.json:2: not a paper entry"), "{text}");
    for told in [stderr(&out), text] {
        assert!(!told.contains("SecretAuthorName"), "paper text told: {}", &told[..told.len().min(500)]);
    }
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

/// `papers config`, `papers sources` and `papers doctor` with standard output on a full disk: each says
/// it could not write, and exits 1, rather than ending as if all was printed.
#[cfg(target_os = "linux")]
#[test]
fn a_command_that_cannot_print_says_so_and_fails() {
    let run = Run::new();
    let config = run.dir.path().join("config.toml");
    std::fs::write(&config, "[huggingface]\nendpoint = \"http://127.0.0.1:9\"\n").unwrap();
    for command in ["config", "sources", "doctor"] {
        let full = std::fs::File::options().write(true).open("/dev/full").unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_papers"))
            .args([command, "--config"])
            .arg(&config)
            .arg("--state")
            .arg(run.state())
            .env("XDG_DATA_HOME", run.dir.path().join("data"))
            .env("XDG_CACHE_HOME", run.dir.path().join("cache"))
            .env("HOME", run.dir.path())
            .env_remove("HF_ENDPOINT")
            .stdin(Stdio::null())
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert!(stderr(&out).contains("cannot write to standard output"), "{command}: {}", stderr(&out));
    }
}
