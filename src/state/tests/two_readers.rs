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
fn the_newer_change_to_the_same_paper_wins() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, _) = Store::open(&path);
    let (mut b, _) = Store::open(&path);
    star(&mut a, "P", true).unwrap();
    std::thread::sleep(Duration::from_millis(3));
    b.update(&key("P"), "P", |m| m.read = true).unwrap();
    // B's change is newer: its marks for P (read, not starred as B knew it) win.
    let (file, _) = Store::open(&path);
    assert!(file.is_read(&key("P")));
    assert!(!file.is_starred(&key("P")));
}

#[test]
fn reload_shows_another_readers_save_and_is_cheap_when_nothing_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, _) = Store::open(&path);
    let (mut b, _) = Store::open(&path);
    assert!(!a.reload(), "no file, nothing to pick up");
    star(&mut b, "P", true).unwrap();
    assert!(a.reload());
    assert!(a.is_starred(&key("P")));
    assert!(!a.reload(), "the same file again changes nothing");
    // A change of A's that could not be saved survives a reload of what B saved.
    disk::fault::inject(Some(io::ErrorKind::StorageFull));
    a.update(&key("Q"), "Q", |m| m.read = true).unwrap_err();
    disk::fault::inject(None);
    star(&mut b, "R", true).unwrap();
    assert!(a.reload());
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
