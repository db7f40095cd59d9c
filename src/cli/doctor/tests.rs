use super::*;

#[test]
fn a_missing_directory_that_can_be_made_passes_and_one_under_a_file_fails() {
    let dir = tempfile::tempdir().unwrap();
    let checks = state_file(&dir.path().join("a/b/state.json"));
    assert!(checks.iter().all(|c| c.status == Status::Ok), "{checks:?}");
    fs::write(dir.path().join("file"), "x").unwrap();
    let checks = state_file(&dir.path().join("file/state.json"));
    assert_eq!(checks[0].status, Status::Fail, "{checks:?}");
    assert!(checks[0].found.contains("is not a directory"), "{checks:?}");
    assert!(checks[0].todo.as_deref().is_some_and(|t| t.contains("--state")), "{checks:?}");
}

#[test]
fn a_state_file_is_judged_and_its_lock_taken() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::write(&path, r#"{"version":1,"papers":{"title:a":{"starred":true,"changed":1}}}"#).unwrap();
    let checks = state_file(&path);
    assert!(checks.iter().all(|c| c.status == Status::Ok), "{checks:?}");
    assert!(checks[1].found.contains("marks for 1 paper"), "{checks:?}");
    assert!(checks[2].found.contains("state.json.lock"), "{checks:?}");
    fs::write(&path, "{\"version\": 1, ").unwrap();
    assert_eq!(state_file(&path)[1].status, Status::Fail);
    // Where the reader would move it is named after it, whatever its name.
    let other = dir.path().join("g.json");
    fs::write(&other, "{\"version\": 1, ").unwrap();
    let checks = state_file(&other);
    assert!(checks[1].todo.as_deref().is_some_and(|t| t.contains("(to g.json.damaged-<time>)")), "{checks:?}");
    // What the reader starts from then: no backup, no marks; a backup with marks, those.
    assert!(checks[1].todo.as_deref().is_some_and(|t| t.contains("starts with no marks")), "{checks:?}");
    fs::write(dir.path().join("g.json.bak"), r#"{"version":1,"papers":{"title:a":{"starred":true,"changed":1}}}"#)
        .unwrap();
    let checks = state_file(&other);
    assert!(checks[1].todo.as_deref().is_some_and(|t| t.contains("starts from the backup's marks")), "{checks:?}");
    fs::write(&path, r#"{"version":9,"papers":{}}"#).unwrap();
    assert_eq!(state_file(&path)[1].status, Status::Warn);
    assert!(state_file(&path)[1].found.contains(": read, never written"));
    // A newer file whose marks this one cannot read at all: said, as `list` says it.
    fs::write(&path, r#"{"version":9,"papers":{"x":5}}"#).unwrap();
    assert!(state_file(&path)[1].found.contains("its marks not read by this one, never written"));
    fs::remove_file(&path).unwrap();
    fs::create_dir(&path).unwrap();
    let checks = state_file(&path);
    assert_eq!(checks[1].status, Status::Fail, "{checks:?}");
    assert!(checks[1].found.contains("directory"), "{checks:?}");
    // Its lock is not tried: that would make one beside what is not a state file.
    assert_eq!(checks[2].status, Status::Warn, "{checks:?}");
    let other = tempfile::tempdir().unwrap();
    fs::create_dir(other.path().join("state.json")).unwrap();
    assert_eq!(state_file(&other.path().join("state.json"))[2].status, Status::Warn);
    assert!(!other.path().join("state.json.lock").exists());
}

/// A device given as the state file: failed, and no lock made beside it (`/dev/null.lock`).
#[cfg(unix)]
#[test]
fn no_lock_is_made_beside_a_device() {
    let checks = state_file(Path::new("/dev/null"));
    assert_eq!(checks[1].status, Status::Fail, "{checks:?}");
    assert_eq!(checks[2].status, Status::Warn, "{checks:?}");
    assert!(checks[2].found.contains("not tried"), "{checks:?}");
}

#[test]
fn a_lock_held_elsewhere_fails_after_the_timeout_not_forever() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let held = fs::File::create(dir.path().join("state.json.lock")).unwrap();
    held.lock().unwrap();
    let checks = state_file(&path);
    assert_eq!(checks[2].status, Status::Fail, "{checks:?}");
    assert!(checks[2].found.contains("held"), "{checks:?}");
}

#[test]
fn a_configuration_that_does_not_parse_is_named_with_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    fs::write(&path, "[fetch]\ntimeout = \"soon\"\n").unwrap();
    let (check, config) = configuration(&path);
    assert_eq!(check.status, Status::Fail);
    assert!(config.is_none());
    assert!(check.found.contains("config.toml:2:11"), "{check:?}");
    fs::write(&path, "[theme]\nstar = \"nocolour\"\nmatch = \"nocolour\"\n").unwrap();
    let (check, config) = configuration(&path);
    assert_eq!(check.status, Status::Warn, "{check:?}");
    assert!(config.is_some());
    assert!(check.found.contains("config.toml:2:8") && check.found.ends_with("(and 1 more)"), "{check:?}");
    let (check, config) = configuration(&dir.path().join("none.toml"));
    assert_eq!(check.status, Status::Ok, "{check:?}");
    assert_eq!(config, Some(Config::default()));
}

#[test]
fn programs_are_found_on_the_path_or_by_their_own_path() {
    assert!(find_program("sh").is_some());
    assert!(find_program("/bin/sh").is_some());
    assert!(find_program("no-such-program-papers").is_none());
}

#[test]
fn a_command_that_is_a_directory_or_not_executable_and_a_pdf_folder_that_is_a_file_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    fs::write(&file, "x").unwrap();
    let (d, f) = (dir.path().display(), file.display());
    let text =
        format!("[pdf]\ndir = \"{f}/pdfs\"\n[commands]\nd = {{ argv = [\"{d}\"] }}\nf = {{ argv = [\"{f}\"] }}\n");
    let config = crate::config::parse(&text).unwrap();
    let checks = tools::checks(&config);
    let found: Vec<&str> = checks.iter().map(|c| c.found.as_str()).collect();
    assert!(found.iter().any(|c| c.ends_with("is a directory, not a program")), "{found:?}");
    assert!(found.iter().any(|c| c.contains("is not executable")), "{found:?}");
    let pdf = checks.iter().find(|c| c.name == "pdf").unwrap();
    assert!(pdf.found.contains("is not a directory"), "{pdf:?}");
    assert!(pdf.todo.as_deref().is_some_and(|t| t.starts_with("move ") && !t.contains("writable")), "{pdf:?}");
}
