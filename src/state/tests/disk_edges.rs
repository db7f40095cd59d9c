//! The edges of the state file's disk code that only a fault shows: each test here was written for a
//! change to `disk.rs` that every other test let through (see the README on mutation testing).

use super::*;
use crate::state::disk::{self, Judged, Stage, fault};

fn damaged_why(bytes: &str) -> String {
    match disk::judge(bytes.as_bytes()) {
        Judged::Damaged(why) => why,
        _ => panic!("{bytes} was not judged damaged"),
    }
}

#[test]
fn a_damaged_file_is_told_cut_short_from_bad_json_from_some_other_json() {
    assert!(damaged_why(r#"{"version": 1, "papers": {"#).starts_with("it ends too early"));
    assert!(damaged_why(r#"{"version": 1,, "papers": {}}"#).starts_with("it is not valid JSON"));
    assert!(damaged_why(r#"{"version": "one", "papers": {}}"#).starts_with("it is not a papers state file"));
}

#[test]
fn the_lock_waits_for_another_holder_and_gives_up_only_after_its_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let held = disk::lock(&path, Duration::from_secs(1), true).unwrap();
    // Another holder for a moment: the lock is taken once it lets go.
    let letting_go = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        drop(held);
    });
    let started = std::time::Instant::now();
    let second = disk::lock(&path, Duration::from_secs(10), true);
    letting_go.join().unwrap();
    assert!(second.is_ok(), "{:?}", second.err());
    assert!(started.elapsed() >= Duration::from_millis(50));
    // Held for good: an error after the time given, not before.
    let started = std::time::Instant::now();
    let third = disk::lock(&path, Duration::from_millis(200), true);
    assert_eq!(third.err().map(|e| e.kind()), Some(io::ErrorKind::WouldBlock));
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[test]
fn a_directory_that_cannot_be_made_says_why_not_that_it_is_no_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x".repeat(300)).join("state.json");
    let err = disk::lock(&path, Duration::from_secs(1), true).err().expect("a name over 255 bytes cannot be made");
    let said = err.to_string();
    assert!(said.contains("cannot make the directory") && said.contains("too long"), "{said}");
}

#[test]
fn only_this_state_files_leftovers_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mine = dir.path().join(".state.json.tmp-12345");
    let theirs = dir.path().join(".other.json.tmp-12345");
    let kept = dir.path().join(".state.json.bak");
    for file in [&mine, &theirs, &kept] {
        fs::write(file, "x").unwrap();
    }
    let lock = disk::lock(&path, Duration::from_secs(1), true).unwrap();
    assert_eq!(disk::remove_leftovers(&path, &lock), 1);
    assert!(!mine.exists() && theirs.exists() && kept.exists());
}

#[test]
fn keeping_aside_a_file_that_is_gone_fails_at_once() {
    // A failure other than a name taken is not retried under the next name: that would go on for ever.
    let dir = tempfile::tempdir().unwrap();
    for path in [dir.path().join("gone.json"), dir.path().join("no-such-dir").join("state.json")] {
        let (send, answer) = std::sync::mpsc::channel();
        let keeping = path.clone();
        std::thread::spawn(move || send.send(disk::keep_aside(&keeping, 1).is_err()));
        assert_eq!(answer.recv_timeout(Duration::from_secs(10)), Ok(true), "{}", path.display());
    }
    // Two damaged copies in the same millisecond get names of their own.
    let path = dir.path().join("state.json");
    fs::write(&path, "{").unwrap();
    let first = disk::keep_aside(&path, 7).unwrap();
    let second = disk::keep_aside(&path, 7).unwrap();
    assert_ne!(first, second);
    assert!(first.exists() && second.exists());
}

#[cfg(unix)]
#[test]
fn a_lock_file_denied_for_writing_that_is_a_fifo_is_named_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    nix::unistd::mkfifo(&dir.path().join("state.json.lock"), nix::sys::stat::Mode::S_IRWXU).unwrap();
    fault::inject_at(Stage::Lock, Some(io::ErrorKind::PermissionDenied));
    let err = disk::lock(&path, Duration::from_secs(1), true).err();
    fault::inject_at(Stage::Lock, None);
    let said = err.expect("a FIFO is no lock file").to_string();
    assert!(said.contains("cannot open the lock file") && said.contains("FIFO"), "{said}");
}

#[cfg(unix)]
#[test]
fn a_save_keeps_the_files_permissions_and_a_new_file_is_the_users_alone() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    star(&mut store, "First", true).unwrap();
    assert_eq!(mode(&path), 0o600, "a new state file is readable by others");
    // Opened to the group by its owner: kept so, not narrowed, not widened.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    star(&mut store, "Second", true).unwrap();
    assert_eq!(mode(&path), 0o640);
    // The journal beside a large state is the user's alone too.
    store.set_journal_limits(0, 1 << 20);
    star(&mut store, "Third", true).unwrap();
    assert_eq!(mode(&dir.path().join("state.json.journal")), 0o600);
    assert!(Store::open(&path).0.is_starred(&key("Third")));
}
