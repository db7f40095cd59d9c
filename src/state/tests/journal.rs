//! A large state: saves append to the journal beside the file instead of rewriting it, another reader
//! reads them, the journal is folded into the file once it grows, and a line a crash cut short is no save.

use super::*;
use crate::state::journal;

/// A store whose every save goes to the journal (folded past `fold_at` bytes).
fn journaling(path: &Path, fold_at: u64) -> Store {
    let (mut store, notices) = Store::open(path);
    assert!(notices.is_empty(), "{notices:?}");
    store.set_journal_limits(0, fold_at);
    store
}

fn journal_lines(dir: &Path) -> usize {
    fs::read(dir.join("state.json.journal")).map_or(0, |bytes| bytes.iter().filter(|&&b| b == b'\n').count())
}

#[test]
fn a_save_to_a_large_file_is_one_line_appended_and_the_file_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut store = journaling(&path, 1 << 20);
    star(&mut store, "First", true).unwrap();
    // The first save writes the file (there was none to append to); the next ones append.
    let file = fs::read(&path).unwrap();
    star(&mut store, "Second", true).unwrap();
    star(&mut store, "First", false).unwrap();
    assert_eq!(fs::read(&path).unwrap(), file, "the file was rewritten");
    assert_eq!(journal_lines(dir.path()), 2);
    let (file, _) = Store::open(&path);
    assert!(file.is_starred(&key("Second")) && !file.is_starred(&key("First")));
    assert!(matches!(read_state(&path), Judged::Good(p) if p.get(&key("Second")).is_some_and(|m| m.starred)));
    assert_eq!(names(dir.path()), ["state.json", "state.json.journal", "state.json.lock"]);
}

#[test]
fn two_readers_appending_lose_nothing_and_see_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut a = journaling(&path, 1 << 20);
    star(&mut a, "Base", true).unwrap();
    let mut b = journaling(&path, 1 << 20);
    star(&mut a, "From A", true).unwrap();
    star(&mut b, "From B", true).unwrap();
    star(&mut a, "Base", false).unwrap();
    // B sees A's lines without a save of its own, A sees B's at its next save.
    let news = b.reload();
    assert!(news.iter().any(|(k, m)| *k == key("Base") && !m.starred), "{news:?}");
    assert!(b.is_starred(&key("From A")) && !b.is_starred(&key("Base")));
    assert!(a.is_starred(&key("From B")));
    assert!(b.reload().is_empty(), "nothing new: nothing read");
    let (file, _) = Store::open(&path);
    assert!(file.is_starred(&key("From A")) && file.is_starred(&key("From B")) && !file.is_starred(&key("Base")));
}

#[test]
fn the_journal_is_folded_into_the_file_once_it_grows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut store = journaling(&path, 600);
    let mut other = journaling(&path, 600);
    for i in 0..20 {
        star(&mut store, &format!("Paper {i}"), true).unwrap();
    }
    assert!(journal_lines(dir.path()) < 10, "{} lines: never folded", journal_lines(dir.path()));
    let Judged::Good(file) = disk::read(&path) else { panic!("the file") };
    assert!(file.len() >= 10, "the file holds what the journal held: {}", file.len());
    // A reader that read the journal before it was folded reads the file again, and misses nothing.
    star(&mut other, "From the other", true).unwrap();
    assert!((0..20).all(|i| other.is_starred(&key(&format!("Paper {i}")))));
    let (file, _) = Store::open(&path);
    assert!((0..20).all(|i| file.is_starred(&key(&format!("Paper {i}")))) && file.is_starred(&key("From the other")));
    // The backup is the file before it was last rewritten.
    assert!(matches!(disk::read(&dir.path().join("state.json.bak")), Judged::Good(_)));
}

#[test]
fn a_line_a_crash_cut_short_is_no_save_and_is_cut_off_before_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut store = journaling(&path, 1 << 20);
    star(&mut store, "Kept", true).unwrap();
    star(&mut store, "Also kept", true).unwrap();
    let journal = dir.path().join("state.json.journal");
    let mut bytes = fs::read(&journal).unwrap();
    bytes.extend_from_slice(br#"[["title:torn",{"starred":tr"#);
    fs::write(&journal, &bytes).unwrap();
    let mut reopened = journaling(&path, 1 << 20);
    assert!(reopened.is_starred(&key("Also kept")) && !reopened.is_starred(&key("Torn")));
    star(&mut reopened, "After", true).unwrap();
    let text = String::from_utf8(fs::read(&journal).unwrap()).unwrap();
    assert!(!text.contains("torn") && text.ends_with('\n'), "{text}");
    assert_eq!(journal_lines(dir.path()), 2);
    let (file, _) = Store::open(&path);
    assert!(file.is_starred(&key("After")) && file.is_starred(&key("Also kept")));
}

#[test]
fn a_journal_older_than_the_file_changes_nothing_and_a_damaged_line_is_passed_over() {
    // A crash after the file was rewritten with all the journal held, before the journal was removed; or
    // an older papers, which knows no journal, rewrote the file since.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut store = journaling(&path, 1 << 20);
    star(&mut store, "P", true).unwrap();
    star(&mut store, "P", false).unwrap();
    star(&mut store, "Q", true).unwrap();
    let journal = dir.path().join("state.json.journal");
    let lines = fs::read(&journal).unwrap();
    fs::write(&journal, [&b"not json\n"[..], &lines].concat()).unwrap();
    let newer =
        format!(r#"{{"version": 1, "papers": {{"title:p": {{"starred": true, "changed": {}}}}}}}"#, u64::MAX / 2);
    fs::write(&path, newer).unwrap();
    let (file, notices) = Store::open(&path);
    assert!(notices.is_empty(), "{notices:?}");
    assert!(file.is_starred(&key("P")), "the later star in the file wins over the journal's older unstar");
    assert!(file.is_starred(&key("Q")), "the journal's change the file never had is kept");
}

#[test]
fn a_failed_append_is_cut_off_and_kept_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut store = journaling(&path, 1 << 20);
    star(&mut store, "P", true).unwrap();
    star(&mut store, "Q", true).unwrap();
    let before = fs::read(dir.path().join("state.json.journal")).unwrap();
    disk::fault::inject(Some(io::ErrorKind::StorageFull));
    let err = star(&mut store, "R", true).unwrap_err();
    disk::fault::inject(None);
    assert!(err.contains("cannot write the journal") && err.contains("state.json.journal"), "{err}");
    assert_eq!(fs::read(dir.path().join("state.json.journal")).unwrap(), before);
    assert!(store.has_unsaved_changes());
    star(&mut store, "S", true).unwrap();
    let (file, _) = Store::open(&path);
    assert!(["P", "Q", "R", "S"].iter().all(|t| file.is_starred(&key(t))));
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_journal_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::write(&path, br#"{"version": 1, "papers": {}}"#).unwrap();
    nix::unistd::mkfifo(&dir.path().join("state.json.journal"), nix::sys::stat::Mode::S_IRWXU).unwrap();
    let (send, answer) = std::sync::mpsc::channel();
    let opened = path.clone();
    std::thread::spawn(move || {
        let (mut store, notices) = Store::open(&opened);
        store.set_journal_limits(0, 1 << 20);
        let _ = send.send((notices, star(&mut store, "P", true)));
    });
    let (notices, saved) = answer.recv_timeout(Duration::from_secs(10)).expect("blocked on the FIFO");
    assert!(notices.iter().any(|n| n.contains("cannot read the journal") && n.contains("FIFO")), "{notices:?}");
    let err = saved.unwrap_err();
    assert!(err.contains("cannot read the journal"), "{err}");
}

#[test]
fn the_journal_read_from_an_offset_past_its_end_says_it_was_folded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    assert_eq!(journal::read(&path, 0).unwrap(), Some((Vec::new(), 0)));
    assert_eq!(journal::read(&path, 10).unwrap(), None);
    fs::write(&path, b"[]\n").unwrap();
    assert_eq!(journal::read(&path, 3).unwrap(), Some((Vec::new(), 3)));
    assert_eq!(journal::read(&path, 4).unwrap(), None);
}
