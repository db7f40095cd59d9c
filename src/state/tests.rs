//! State tests: every path that could lose a star or a read mark.

use super::*;

fn key(title: &str) -> PaperKey {
    PaperKey::from_title(title)
}

fn star(store: &mut Store, title: &str, on: bool) -> Result<(), String> {
    store.update(&key(title), title, |m| m.starred = on)
}

#[test]
fn marks_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/state.json");
    let (mut store, notices) = Store::open(&path);
    assert!(notices.is_empty());
    star(&mut store, "A Survey of Mamba", true).unwrap();
    store.update(&key("Other"), "Other", |m| m.read = true).unwrap();

    let (store, notices) = Store::open(&path);
    assert!(notices.is_empty(), "{notices:?}");
    assert!(store.is_starred(&key("a survey of MAMBA")));
    assert!(!store.is_read(&key("A Survey of Mamba")));
    assert!(store.is_read(&key("Other")) && !store.is_starred(&key("Other")));
    let marks = store.marks(&key("A Survey of Mamba")).unwrap();
    assert_eq!(marks.title.as_deref(), Some("A Survey of Mamba"));
    assert!(marks.changed > 0);
}

#[test]
fn an_unstar_is_saved_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    star(&mut store, "P", true).unwrap();
    star(&mut store, "P", false).unwrap();
    assert!(!Store::open(&path).0.is_starred(&key("P")));
}

#[test]
fn saving_leaves_no_temporary_files_and_writes_the_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    star(&mut store, "P", true).unwrap();
    let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["state.json"]);
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["papers"]["title:p"]["starred"], true);
}

#[test]
fn a_damaged_file_is_moved_aside_untouched_and_named() {
    for damaged in [&b""[..], b"{\"version\": 1, \"papers\": {", b"\0\0\0\0", b"\xff\xfe{}", b"[1,2,3]"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        fs::write(&path, damaged).unwrap();
        let (mut store, notices) = Store::open(&path);
        assert_eq!(notices.len(), 1);
        let aside = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().contains(".damaged-"))
            .expect("the damaged file is kept");
        assert_eq!(fs::read(&aside).unwrap(), damaged, "kept byte for byte");
        assert!(notices[0].contains(&path.display().to_string()), "{}", notices[0]);
        assert!(notices[0].contains(&aside.display().to_string()), "{}", notices[0]);
        // The reader goes on and can save again.
        star(&mut store, "P", true).unwrap();
        assert!(Store::open(&path).0.is_starred(&key("P")));
    }
}

#[test]
fn a_newer_format_is_read_but_never_written_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let newer = br#"{"version": 2, "papers": {"title:p": {"starred": true, "future": 1}}, "more": []}"#;
    fs::write(&path, newer).unwrap();
    let (mut store, notices) = Store::open(&path);
    assert!(notices[0].contains("newer"), "{notices:?}");
    assert!(store.is_starred(&key("P")));
    assert!(store.read_only().is_some());
    assert!(star(&mut store, "Q", true).is_err());
    assert_eq!(fs::read(&path).unwrap(), newer);
}

#[test]
fn a_failed_save_keeps_the_change_in_memory_and_retries_on_the_next_change() {
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("sub");
    let path = parent.join("state.json");
    let (mut store, notices) = Store::open(&path);
    assert!(notices.is_empty());
    // A parent that is a regular file makes saving fail, even for root.
    fs::write(&parent, b"not a directory").unwrap();

    let err = star(&mut store, "P", true).unwrap_err();
    assert!(err.contains("cannot write") && err.contains("state.json"), "{err}");
    assert!(store.is_starred(&key("P")));
    assert!(store.has_unsaved_changes());

    fs::remove_file(&parent).unwrap();
    store.update(&key("Q"), "Q", |m| m.read = true).unwrap();
    assert!(!store.has_unsaved_changes());
    let (reloaded, _) = Store::open(&path);
    assert!(reloaded.is_starred(&key("P")) && reloaded.is_read(&key("Q")));
}

#[test]
fn a_path_under_a_regular_file_is_reported_and_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("file"), b"x").unwrap();
    let (mut store, notices) = Store::open(&dir.path().join("file/state.json"));
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(store.read_only().is_none());
    assert!(star(&mut store, "P", true).is_err());
    assert!(store.is_starred(&key("P")));
}

#[test]
fn a_directory_in_place_of_the_file_is_not_clobbered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::create_dir(&path).unwrap();
    fs::write(path.join("inside"), b"keep").unwrap();
    let (mut store, notices) = Store::open(&path);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(star(&mut store, "P", true).is_err());
    assert_eq!(fs::read(path.join("inside")).unwrap(), b"keep");
}

#[test]
fn a_change_that_changes_nothing_does_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    star(&mut store, "P", false).unwrap();
    assert!(!path.exists());
}
