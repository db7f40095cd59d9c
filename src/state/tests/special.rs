//! What is found where the state file, its lock or its backup should be, when it is not a regular file:
//! a FIFO is never waited on, a device is never replaced, a directory in the way of the backup does not stop
//! saving, and every failure names the file that failed and the real cause.

use std::sync::mpsc;

use super::*;
use crate::state::disk::{Stage, fault};

/// Runs `f` on a thread, failing if it has not finished in ten seconds (a FIFO waited on never returns).
fn within_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, answer) = mpsc::channel();
    std::thread::spawn(move || send.send(f()));
    answer.recv_timeout(Duration::from_secs(10)).expect("still waiting after 10 s: something blocked on a FIFO")
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    nix::unistd::mkfifo(path, nix::sys::stat::Mode::S_IRWXU).unwrap();
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_lock_is_refused_at_once_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    mkfifo(&dir.path().join("state.json.lock"));
    let (store, notices, err) = within_seconds(move || {
        let (mut store, notices) = Store::open(&path);
        let err = star(&mut store, "P", true).unwrap_err();
        (store, notices, err)
    });
    assert!(notices.is_empty(), "{notices:?}");
    assert!(err.contains("cannot open the lock file") && err.contains("state.json.lock"), "{err}");
    assert!(err.contains("it is a FIFO (named pipe), not a regular file"), "{err}");
    assert!(store.is_starred(&key("P")) && store.has_unsaved_changes());
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_socket_as_the_state_file_is_never_read_locked_beside_or_replaced() {
    for kind in ["FIFO", "socket"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        // Kept open until the end, so that the socket stays a listening one.
        let _listener = match kind {
            "FIFO" => {
                mkfifo(&path);
                None
            }
            _ => Some(std::os::unix::net::UnixListener::bind(&path).unwrap()),
        };
        let (notices, err) = within_seconds({
            let path = path.clone();
            move || {
                let (mut store, notices) = Store::open(&path);
                assert!(store.read_only().is_some(), "{kind}");
                (notices, star(&mut store, "P", true).unwrap_err())
            }
        });
        assert_eq!(notices.len(), 1, "{kind}: {notices:?}");
        assert!(notices[0].contains("cannot use") && notices[0].contains("not a regular file"), "{notices:?}");
        assert!(notices[0].contains("--state FILE"), "{notices:?}");
        assert!(err.contains("read-only"), "{kind}: {err}");
        let file_type = fs::symlink_metadata(&path).unwrap().file_type();
        use std::os::unix::fs::FileTypeExt;
        assert!(file_type.is_fifo() || file_type.is_socket(), "{kind} was replaced");
        assert_eq!(names(dir.path()), ["state.json"], "{kind}: nothing made beside it");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_backup_of_a_damaged_file_is_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::write(&path, b"{damaged").unwrap();
    mkfifo(&dir.path().join("state.json.bak"));
    let notices = within_seconds(move || Store::open(&path).1);
    assert!(notices.iter().any(|n| n.contains("no usable backup")), "{notices:?}");
}

#[test]
fn a_directory_as_the_backup_warns_once_and_saving_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    star(&mut store, "P", true).unwrap();
    fs::create_dir(dir.path().join("state.json.bak")).unwrap();
    star(&mut store, "Q", true).unwrap();
    let notices = store.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("could not keep the backup") && notices[0].contains("state.json.bak"), "{notices:?}");
    assert!(notices[0].contains("it is a directory") && notices[0].contains("without a backup"), "{notices:?}");
    star(&mut store, "R", true).unwrap();
    assert!(store.take_notices().is_empty(), "told once");
    let (file, _) = Store::open(&path);
    assert!(["P", "Q", "R"].iter().all(|t| file.is_starred(&key(t))));
    assert!(dir.path().join("state.json.bak").is_dir(), "left alone");
    let leftovers: Vec<_> = names(dir.path()).into_iter().filter(|n| n.contains(".tmp-")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_backup_that_cannot_be_linked_or_copied_warns_and_saving_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    star(&mut store, "P", true).unwrap();
    fault::inject_at(Stage::Backup, Some(io::ErrorKind::StorageFull));
    let saved = star(&mut store, "Q", true);
    fault::inject_at(Stage::Backup, None);
    saved.unwrap();
    let notices = store.take_notices();
    assert!(notices.len() == 1 && notices[0].contains("could not keep the backup"), "{notices:?}");
    assert!(Store::open(&path).0.is_starred(&key("Q")));
    // No half-made backup is left behind.
    assert_eq!(names(dir.path()), ["state.json", "state.json.lock"]);
}

#[cfg(unix)]
#[test]
fn a_symlinked_backup_is_kept_where_it_points() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::create_dir(dir.path().join("elsewhere")).unwrap();
    let real = dir.path().join("elsewhere/backup.json");
    std::os::unix::fs::symlink(&real, dir.path().join("state.json.bak")).unwrap();
    let (mut store, _) = Store::open(&path);
    star(&mut store, "P", true).unwrap();
    let first = fs::read(&path).unwrap();
    star(&mut store, "Q", true).unwrap();
    assert!(fs::symlink_metadata(dir.path().join("state.json.bak")).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(&real).unwrap(), first);
}

#[test]
fn a_directory_as_the_lock_is_named_as_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::create_dir(dir.path().join("state.json.lock")).unwrap();
    let (mut store, _) = Store::open(&path);
    let err = star(&mut store, "P", true).unwrap_err();
    assert!(err.contains("cannot open the lock file") && err.contains("state.json.lock: it is a directory"), "{err}");
}

#[test]
fn a_lock_file_that_cannot_be_opened_for_writing_is_locked_read_only_when_it_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    // Denied for writing (left by another user): the lock file there is enough, read-only.
    fault::inject_at(Stage::Lock, Some(io::ErrorKind::PermissionDenied));
    let saved = star(&mut store, "P", true);
    // Any other failure to open it is an error: only a denial falls back.
    fault::inject_at(Stage::Lock, Some(io::ErrorKind::StorageFull));
    let other = star(&mut store, "Q", true);
    fault::inject_at(Stage::Lock, None);
    saved.unwrap();
    let err = other.unwrap_err();
    assert!(err.contains("cannot open the lock file") && err.to_lowercase().contains("no storage space"), "{err}");
}

#[test]
fn a_directory_where_the_lock_file_cannot_be_made_says_permission_denied() {
    // What a directory without write permission gives: the lock file can be neither made nor opened.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    fs::remove_file(dir.path().join("state.json.lock")).unwrap();
    fault::inject_at(Stage::Lock, Some(io::ErrorKind::PermissionDenied));
    let err = star(&mut store, "P", true).unwrap_err();
    fault::inject_at(Stage::Lock, None);
    assert!(err.contains("cannot make the lock file") && err.contains("state.json.lock"), "{err}");
    assert!(err.to_lowercase().contains("permission denied") && !err.contains("No such file"), "{err}");
}

#[test]
fn a_failed_write_names_the_temporary_file_and_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    fault::inject(Some(io::ErrorKind::StorageFull));
    let err = star(&mut store, "P", true).unwrap_err();
    fault::inject(None);
    assert!(err.starts_with(&format!("cannot write {}: cannot write the temporary file", path.display())), "{err}");
    assert!(err.contains(".state.json.tmp-") && err.to_lowercase().contains("no storage space"), "{err}");
}

#[test]
fn a_newer_state_file_is_exported_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let newer = br#"{"version": 9, "marks": [["arxiv:2403.09043", "starred"]]}"#;
    fs::write(&path, newer).unwrap();
    let (store, _) = Store::open(&path);
    let (bytes, warning) = store.export().unwrap();
    assert_eq!(bytes, newer);
    let warning = warning.unwrap();
    assert!(warning.contains("newer papers (format 9") && warning.contains("exported as it is"), "{warning}");
    // A file of this version: the marks, without a warning.
    let (mut store, _) = Store::open(&dir.path().join("mine.json"));
    star(&mut store, "P", true).unwrap();
    let (bytes, warning) = store.export().unwrap();
    assert!(warning.is_none());
    assert!(matches!(judge(&bytes), Judged::Good(p) if p.len() == 1));
}

#[cfg(unix)]
#[test]
fn an_unreadable_state_file_is_not_exported_as_an_empty_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    mkfifo(&path);
    let (store, _) = Store::open(&path);
    let err = store.export().unwrap_err();
    assert!(err.contains("nothing to export") && err.contains("FIFO"), "{err}");
}
