//! Saves that fail: the reader keeps the change in memory, says why, and retries on the next change.
//! Failures that hold for root too are made for real; a full disk and a denied write are injected.

use super::*;

/// A way for saving to fail, and how to undo it.
struct Failure {
    what: &'static str,
    /// The state path to use, made to fail (given the temporary directory).
    break_it: fn(&Path) -> PathBuf,
    fix_it: fn(&Path),
    /// What the reason must mention.
    reason: &'static str,
}

const FAILURES: [Failure; 5] = [
    Failure {
        what: "parent is a regular file",
        break_it: |dir| {
            fs::write(dir.join("sub"), b"not a directory").unwrap();
            dir.join("sub/state.json")
        },
        fix_it: |dir| fs::remove_file(dir.join("sub")).unwrap(),
        reason: "not a directory",
    },
    Failure {
        what: "path is a directory",
        break_it: |dir| {
            fs::create_dir_all(dir.join("state.json/inside")).unwrap();
            dir.join("state.json")
        },
        fix_it: |dir| fs::remove_dir_all(dir.join("state.json")).unwrap(),
        reason: "directory",
    },
    Failure {
        what: "disk full",
        break_it: |dir| {
            disk::fault::inject(Some(io::ErrorKind::StorageFull));
            dir.join("state.json")
        },
        fix_it: |_| disk::fault::inject(None),
        reason: "no storage space",
    },
    Failure {
        what: "permission denied",
        break_it: |dir| {
            disk::fault::inject(Some(io::ErrorKind::PermissionDenied));
            dir.join("state.json")
        },
        fix_it: |_| disk::fault::inject(None),
        reason: "ermission denied",
    },
    Failure {
        what: "lock held by a stuck reader",
        break_it: |dir| {
            let lock = fs::File::create(dir.join("state.json.lock")).unwrap();
            lock.lock().unwrap();
            // Held, as another process would hold it, until `fix_it` drops the handle.
            HELD.with(|held| *held.borrow_mut() = Some(lock));
            dir.join("state.json")
        },
        fix_it: |_| HELD.with(|held| *held.borrow_mut() = None),
        reason: "another papers process has held",
    },
];

thread_local! {
    static HELD: std::cell::RefCell<Option<fs::File>> = const { std::cell::RefCell::new(None) };
}

#[test]
fn every_failed_save_keeps_the_change_and_the_next_change_saves_both() {
    for failure in FAILURES {
        let what = failure.what;
        let dir = tempfile::tempdir().unwrap();
        let path = (failure.break_it)(dir.path());
        let (mut store, _) = Store::open(&path);
        store.set_lock_timeout(Duration::from_millis(50));

        let err = star(&mut store, "P", true).unwrap_err();
        assert!(err.contains("cannot write") && err.contains("state.json"), "{what}: {err}");
        assert!(err.to_lowercase().contains(&failure.reason.to_lowercase()), "{what}: {err}");
        assert!(store.is_starred(&key("P")), "{what}: kept in memory");
        assert!(store.has_unsaved_changes(), "{what}");
        // Still failing: a second change is kept too, nothing is written half-way.
        assert!(star(&mut store, "Q", true).is_err(), "{what}");
        assert!(!path.is_file(), "{what}: something was written");

        (failure.fix_it)(dir.path());
        store.update(&key("R"), "R", |m| m.read = true).unwrap();
        assert!(!store.has_unsaved_changes(), "{what}");
        let (file, _) = Store::open(&path);
        assert!(file.is_starred(&key("P")) && file.is_starred(&key("Q")) && file.is_read(&key("R")), "{what}");
        let leftovers: Vec<_> = names(dir.path()).into_iter().filter(|n| n.contains(".tmp-")).collect();
        assert!(leftovers.is_empty(), "{what}: {leftovers:?}");
    }
}

#[test]
fn a_path_under_a_regular_file_is_reported_at_start_and_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("file"), b"x").unwrap();
    let (store, notices) = Store::open(&dir.path().join("file/state.json"));
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("--state FILE"), "{notices:?}");
    assert!(store.read_only().is_none());
}

#[test]
fn a_directory_in_place_of_the_file_is_never_clobbered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::create_dir(&path).unwrap();
    fs::write(path.join("inside"), b"keep").unwrap();
    let (mut store, notices) = Store::open(&path);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(star(&mut store, "P", true).is_err());
    assert_eq!(fs::read(path.join("inside")).unwrap(), b"keep");
}
