//! Two readers open on one state file: neither undoes the other's changes.

use super::*;

#[test]
fn each_reader_keeps_the_others_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, _) = Store::open(&path);
    let (mut b, _) = Store::open(&path);
    star(&mut a, "From A", true).unwrap();
    star(&mut b, "From B", true).unwrap();
    b.update(&key("Read in B"), "Read in B", |m| m.read = true).unwrap();
    star(&mut a, "Again A", true).unwrap();

    let (file, _) = Store::open(&path);
    for title in ["From A", "From B", "Again A"] {
        assert!(file.is_starred(&key(title)), "{title} was lost");
    }
    assert!(file.is_read(&key("Read in B")));
    // Each picked up the other's changes on its own save.
    assert!(a.is_starred(&key("From B")) && a.is_read(&key("Read in B")));
    assert!(b.is_starred(&key("From A")));
}

#[test]
fn an_unstar_in_one_reader_carries_over_into_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, _) = Store::open(&path);
    star(&mut a, "P", true).unwrap();
    let (mut b, _) = Store::open(&path);
    assert!(b.is_starred(&key("P")));
    star(&mut a, "P", false).unwrap();
    // B still believes P is starred; its next save must not bring the star back.
    star(&mut b, "Q", true).unwrap();
    let (file, _) = Store::open(&path);
    assert!(!file.is_starred(&key("P")), "B's save undid A's unstar");
    assert!(file.is_starred(&key("Q")));
    assert!(!b.is_starred(&key("P")));
}

#[test]
fn a_star_in_one_reader_and_a_read_mark_in_the_other_both_stay() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, _) = Store::open(&path);
    star(&mut a, "P", true).unwrap();
    let (mut b, _) = Store::open(&path);
    // A unstars P; B, which has not reloaded, still shows it starred and opens it (marking it read).
    std::thread::sleep(Duration::from_millis(3));
    star(&mut a, "P", false).unwrap();
    std::thread::sleep(Duration::from_millis(3));
    b.update(&key("P"), "P", |m| m.read = true).unwrap();
    let (file, _) = Store::open(&path);
    assert!(!file.is_starred(&key("P")), "B's stale star undid A's unstar");
    assert!(file.is_read(&key("P")), "B's read mark was lost");
}

#[test]
fn the_later_change_to_the_same_mark_wins() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, _) = Store::open(&path);
    let (mut b, _) = Store::open(&path);
    a.update(&key("P"), "P", |m| m.read = true).unwrap();
    std::thread::sleep(Duration::from_millis(3));
    assert!(!b.reload().is_empty());
    b.update(&key("P"), "P", |m| m.read = false).unwrap();
    assert!(!a.reload().is_empty());
    assert!(!a.is_read(&key("P")));
}

#[test]
fn an_unsaved_mark_survives_a_reload_of_another_readers_change_to_the_same_paper() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, _) = Store::open(&path);
    let (mut b, _) = Store::open(&path);
    disk::fault::inject(Some(io::ErrorKind::StorageFull));
    b.update(&key("P"), "P", |m| m.read = true).unwrap_err();
    disk::fault::inject(None);
    std::thread::sleep(Duration::from_millis(3));
    star(&mut a, "P", true).unwrap();
    assert!(!b.reload().is_empty());
    assert!(b.is_read(&key("P")) && b.is_starred(&key("P")));
    b.save().unwrap();
    let (file, _) = Store::open(&path);
    assert!(file.is_read(&key("P")) && file.is_starred(&key("P")));
}

#[test]
fn files_from_before_marks_had_their_own_times_still_merge() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let old = br#"{"version": 1, "papers": {"title:p": {"starred": true, "read": false, "changed": 1000}}}"#;
    fs::write(&path, old).unwrap();
    let (mut a, _) = Store::open(&path);
    assert!(a.is_starred(&key("P")));
    a.update(&key("P"), "P", |m| m.read = true).unwrap();
    let (file, _) = Store::open(&path);
    assert!(file.is_starred(&key("P")) && file.is_read(&key("P")));
    let marks = file.marks(&key("P")).unwrap();
    assert_eq!(marks.starred_changed, Some(1000), "the star keeps its old time");
    assert!(marks.read_changed.unwrap() > 1000);
}

#[test]
fn reload_shows_another_readers_save_and_is_cheap_when_nothing_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, _) = Store::open(&path);
    let (mut b, _) = Store::open(&path);
    assert!(a.reload().is_empty(), "no file, nothing to pick up");
    star(&mut b, "P", true).unwrap();
    assert!(!a.reload().is_empty());
    assert!(a.is_starred(&key("P")));
    assert!(a.reload().is_empty(), "the same file again changes nothing");
    // A change of A's that could not be saved survives a reload of what B saved.
    disk::fault::inject(Some(io::ErrorKind::StorageFull));
    a.update(&key("Q"), "Q", |m| m.read = true).unwrap_err();
    disk::fault::inject(None);
    star(&mut b, "R", true).unwrap();
    assert!(!a.reload().is_empty());
    assert!(a.is_read(&key("Q")) && a.is_starred(&key("R")));
}

#[test]
fn a_reader_that_finds_a_newer_format_written_meanwhile_stops_saving() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, _) = Store::open(&path);
    star(&mut a, "P", true).unwrap();
    let newer = br#"{"version": 7, "papers": []}"#;
    fs::write(&path, newer).unwrap();
    let err = star(&mut a, "Q", true).unwrap_err();
    assert!(err.contains("newer") && err.contains("read-only"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), newer, "the newer file was written over");
    assert!(a.read_only().is_some());
    assert_eq!(a.take_notices().len(), 1);
    assert!(a.is_starred(&key("Q")), "the change is kept in memory");
}

#[test]
fn a_file_damaged_while_open_is_kept_aside_and_the_marks_in_memory_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, _) = Store::open(&path);
    star(&mut a, "P", true).unwrap();
    fs::write(&path, b"{\"version\": 1, \"pap").unwrap();
    star(&mut a, "Q", true).unwrap();
    let notices = a.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("damaged") && notices[0].contains(".damaged-"), "{notices:?}");
    let (file, _) = Store::open(&path);
    assert!(file.is_starred(&key("P")) && file.is_starred(&key("Q")));
}

#[test]
fn a_file_edited_badly_while_open_says_how_to_bring_back_what_can_be_read_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, _) = Store::open(&path);
    star(&mut a, "P", true).unwrap();
    // Another machine's star beside one value of the wrong kind, written in one go.
    fs::write(
        &path,
        br#"{"version": 2, "papers": {"title:r": {"starred": true, "changed": 1}, "title:q": {"read": "yes"}}}"#,
    )
    .unwrap();
    star(&mut a, "Q", true).unwrap();
    let notices = a.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    let aside: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(aside.len(), 1);
    let back = format!(
        "what can be read in it (the marks of 1 paper) comes back with `papers --state {} state import {}`",
        crate::sanitize::quote_path(&path),
        crate::sanitize::quote_path(&aside[0])
    );
    assert!(notices[0].contains(&back), "{notices:?}");
}

#[test]
fn a_merge_never_moves_the_time_of_a_mark_it_did_not_take() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    // An old-format record: one time for both marks.
    fs::write(&path, br#"{"version": 1, "papers": {"title:p": {"starred": true, "changed": 1000}}}"#).unwrap();
    let (mut c, _) = Store::open(&path);
    let (mut b, _) = Store::open(&path);
    // C unstars P, but cannot save yet.
    disk::fault::inject(Some(io::ErrorKind::StorageFull));
    star(&mut c, "P", false).unwrap_err();
    disk::fault::inject(None);
    // A marks P read later; B merges that while saving another paper.
    std::thread::sleep(Duration::from_millis(3));
    let (mut a, _) = Store::open(&path);
    a.update(&key("P"), "P", |m| m.read = true).unwrap();
    star(&mut b, "Q", true).unwrap();
    // C's unstar is newer than the star: it must survive C's save.
    c.save().unwrap();
    let (file, _) = Store::open(&path);
    assert!(!file.is_starred(&key("P")), "the unstar was lost to a star whose time the merge moved");
    assert!(file.is_read(&key("P")) && file.is_starred(&key("Q")));
}
