//! State tests: every path that could lose a star or a read mark.

use std::fs;
use std::io;

use super::*;

mod damaged;
mod disk_edges;
mod failures;
mod journal;
mod labels;
mod mark_set;
mod special;
mod two_readers;

/// The names of the files in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

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
    assert_eq!(names(dir.path()), ["state.json", "state.json.lock"]);
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(json["version"], VERSION);
    assert_eq!(json["papers"]["title:p"]["starred"], true);
}

#[test]
fn a_change_that_changes_nothing_does_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    star(&mut store, "P", false).unwrap();
    assert!(!path.exists());
}

#[test]
fn the_file_before_the_last_save_is_kept_as_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    star(&mut store, "P", true).unwrap();
    let first = fs::read(&path).unwrap();
    star(&mut store, "Q", true).unwrap();
    assert_eq!(fs::read(dir.path().join("state.json.bak")).unwrap(), first);
    assert_eq!(names(dir.path()), ["state.json", "state.json.bak", "state.json.lock"]);
}

#[test]
fn leftover_temporary_files_are_removed_at_start_and_never_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    star(&mut store, "P", true).unwrap();
    // What a save killed half-way leaves: its new file, complete or not, and a backup link.
    let other = br#"{"version": 1, "papers": {"title:q": {"starred": true, "changed": 99999999999999}}}"#;
    fs::write(dir.path().join(".state.json.tmp-4242"), other).unwrap();
    fs::write(dir.path().join(".state.json.bak.tmp-4242"), &other[..20]).unwrap();

    let (store, notices) = Store::open(&path);
    assert!(notices.is_empty(), "{notices:?}");
    assert!(store.is_starred(&key("P")) && !store.is_starred(&key("Q")));
    assert_eq!(names(dir.path()), ["state.json", "state.json.lock"]);
}

#[test]
fn a_change_is_newer_than_the_last_even_when_the_clock_steps_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    // Starred "in the future" (a clock that was ahead, since corrected).
    let ahead = format!(r#"{{"version": 1, "papers": {{"title:p": {{"starred": true, "changed": {}}}}}}}"#, u64::MAX);
    fs::write(&path, ahead).unwrap();
    let (mut store, _) = Store::open(&path);
    star(&mut store, "P", false).unwrap();
    assert!(!Store::open(&path).0.is_starred(&key("P")), "the unstar was lost to the older change");
}

#[cfg(unix)]
#[test]
fn a_symlinked_state_file_is_saved_where_it_points() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("dotfiles/papers-state.json");
    fs::create_dir_all(real.parent().unwrap()).unwrap();
    fs::write(&real, br#"{"version": 1, "papers": {}}"#).unwrap();
    let link = dir.path().join("state.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let (mut store, _) = Store::open(&link);
    star(&mut store, "P", true).unwrap();
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
    assert!(Store::open(&real).0.is_starred(&key("P")));
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_state_file_not_made_yet_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("dotfiles")).unwrap();
    let link = dir.path().join("state.json");
    std::os::unix::fs::symlink("dotfiles/papers-state.json", &link).unwrap();
    let (mut store, _) = Store::open(&link);
    star(&mut store, "P", true).unwrap();
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
    assert!(Store::open(&dir.path().join("dotfiles/papers-state.json")).0.is_starred(&key("P")));
}

#[test]
fn the_renames_of_a_save_are_made_durable_on_every_platform() {
    // Saving ends by making its renames durable; where a directory cannot be opened as a file (Windows),
    // that must not fail every save.
    let dir = tempfile::tempdir().unwrap();
    disk::sync_dir(dir.path()).unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    star(&mut store, "P", true).unwrap();
    assert!(Store::open(&path).0.is_starred(&key("P")));
}
