//! Opening the state file, and what to do when it is not as the last save left it: damaged (kept aside, the
//! backup restored), from a newer papers (read-only), unreadable, or in the way of nothing at all.

use std::io;
use std::path::Path;

use super::disk::{self, Judged, Lock};
use super::{FOLD_AT, JOURNAL_FROM, Ledger, SAVE_LOCK_TIMEOUT, Store, VERSION, journal, ledger, stamp};
use crate::files;
use crate::sanitize::quote_path;

/// How long opening waits for the lock before reading without it (reading is safe without it).
const OPEN_LOCK_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(500);

/// See `Store::open`, and `Store::open_to_read` without `change`.
pub(super) fn open(path: &Path, change: bool) -> (Store, Vec<String>) {
    // A state file that is a symlink (kept with the user's dotfiles, say) is saved where it points:
    // replacing the link itself with a file would quietly cut it off.
    let resolved = files::resolved(path);
    let path = resolved.as_path();
    let mut store = Store {
        path: path.to_path_buf(),
        ledger: Ledger::default(),
        read_only: None,
        damaged: None,
        unsaved: false,
        seen: None,
        lock_timeout: SAVE_LOCK_TIMEOUT,
        notices: Vec::new(),
        newer: None,
        backup_told: false,
        journal_end: 0,
        dirty: Default::default(),
        rewrite: false,
        journal_from: JOURNAL_FROM,
        fold_at: FOLD_AT,
    };
    let mut notices = Vec::new();
    let shown = quote_path(path);
    // What it means for the marks: a command that only reads them (`list`, `export`) never saves any.
    let unsaved = if change { "running read-only, changes will not be saved" } else { "no marks are read from it" };
    // A device, a FIFO or a socket (`--state /dev/null`) is never read, locked beside or replaced: papers
    // run as root would otherwise put a file where the system's device was.
    if let Some(kind) = std::fs::metadata(path).ok().and_then(|meta| files::special_kind(meta.file_type())) {
        let why = format!(
            "cannot use {shown} as the state file: it is {kind}, not a regular file; {unsaved} (give another with --state FILE)"
        );
        notices.push(why.clone());
        store.read_only = Some(why);
        return (store, notices);
    }
    // Under the lock no save is under way, so leftover temporary files can go, and a damaged file is
    // kept aside and replaced by one reader only. Without it (no directory yet, or a stuck reader)
    // reading is still safe, files being only ever replaced whole, and nothing is changed here.
    let lock = if change { disk::lock(path, OPEN_LOCK_TIMEOUT, false).ok() } else { None };
    if let Some(lock) = &lock {
        disk::remove_leftovers(path, lock);
    }
    let (judged, older) = disk::read_versioned(path);
    // The journal holds saves made over a file this build reads (or over none yet).
    let with_journal = matches!(judged, Judged::Missing | Judged::Good(_) | Judged::Damaged(_));
    match judged {
        Judged::Missing => {}
        Judged::Good(papers) => {
            store.ledger = Ledger::new(papers);
            store.rewrite = older;
        }
        Judged::Newer(version, papers) => {
            // Opened only to read, what becomes of it is the command's to say (`state export` exports it
            // as it is); but marks this one cannot read at all are none.
            let newer = format!("{shown} was written by a newer papers (format {version}, this one reads {VERSION})");
            let why = if !change && papers.is_some() { newer } else { format!("{newer}; {unsaved}") };
            notices.push(why.clone());
            store.ledger = Ledger::new(papers.unwrap_or_default());
            store.read_only = Some(why);
            store.newer = Some(version);
        }
        Judged::Damaged(reason) if !change => read_damaged(&mut store, &reason, &mut notices),
        Judged::Damaged(reason) => recover(&mut store, &reason, lock.as_ref(), &mut notices),
        // Nothing there to lose: saving will be tried, and will say why it fails, on every change.
        Judged::Unreadable(error)
            if matches!(error.kind(), io::ErrorKind::IsADirectory | io::ErrorKind::NotADirectory) =>
        {
            notices.push(format!("cannot use {shown} as the state file ({error}); give another with --state FILE"));
        }
        Judged::Unreadable(error) => {
            let why = format!("cannot read {shown} ({error}); {unsaved}");
            notices.push(why.clone());
            store.read_only = Some(why);
        }
    }
    // The saves appended since the file was last written, over what it holds (or what was restored).
    if with_journal {
        match journal::read(&journal::path_of(path), 0) {
            Ok(Some((saved, end))) => {
                store.ledger.merge(saved);
                store.journal_end = end;
            }
            Ok(None) => {}
            Err(error) => notices.push(format!("{error}; the marks saved in it are not shown")),
        }
    }
    store.seen = stamp(path);
    drop(lock);
    // Marks restored while another reader held the lock go into the main file at once.
    if store.unsaved
        && let Err(why) = store.save()
    {
        notices.push(format!("the restored marks are not saved yet: {why}"));
    }
    (store, notices)
}

/// A damaged state file opened only to read: left as it is, the marks from the backup when it is good,
/// nothing saved.
fn read_damaged(store: &mut Store, reason: &str, notices: &mut Vec<String>) {
    let shown = quote_path(&store.path);
    let backup = disk::backup_path(&store.path);
    let what = match disk::read(&backup) {
        Judged::Good(papers) if !papers.is_empty() => {
            let what = format!("the marks shown are the backup's ({})", quote_path(&backup));
            store.ledger = Ledger::new(papers);
            what
        }
        _ => "no usable backup, so no stars or read marks are shown".to_string(),
    };
    let why = format!(
        "{shown} is not a state papers can read ({reason}); {what}; it is left as it is (give another with --state FILE, or open the reader on it to keep it aside and start anew)"
    );
    notices.push(why.clone());
    store.read_only = Some(why);
    store.damaged = Some(reason.to_string());
}

/// A damaged state file: the marks come from the backup when it is good; the damaged file is kept aside
/// and replaced under the lock, or, when another reader holds the lock, at the first save.
fn recover(store: &mut Store, reason: &str, lock: Option<&Lock>, notices: &mut Vec<String>) {
    let path = store.path.clone();
    let shown = quote_path(&path);
    let backup = disk::backup_path(&path);
    let restored = match disk::read(&backup) {
        Judged::Good(papers) if !papers.is_empty() => Some(papers),
        _ => None,
    };
    let what = match &restored {
        Some(papers) if papers.len() == 1 => {
            format!("restored the marks of 1 paper from the backup {}", quote_path(&backup))
        }
        Some(papers) => {
            format!("restored the marks of {} papers from the backup {}", papers.len(), quote_path(&backup))
        }
        None => "no usable backup, so starting with no stars or read marks".to_string(),
    };
    store.ledger = Ledger::new(restored.unwrap_or_default());
    let Some(lock) = lock else {
        // Another reader holds the lock: leave the file be; the first save keeps it aside.
        store.unsaved = !store.ledger.is_empty();
        notices.push(format!("{shown} is damaged ({reason}); {what}; it is kept aside at the first save"));
        return;
    };
    // Keep a copy, then replace the damaged file under the same lock: no moment without one.
    match disk::keep_aside(&path, ledger::now_millis()) {
        Ok(aside_path) => {
            let aside = quote_path(&aside_path);
            let what = format!("{what}{}", disk::readable_in(&path, &aside_path));
            match disk::replace(&path, &disk::encode(store.ledger.papers()), false, lock) {
                Ok(_) => notices.push(format!("{shown} is damaged ({reason}); kept it as {aside}; {what}")),
                Err(error) => {
                    store.unsaved = true;
                    notices.push(format!(
                        "{shown} is damaged ({reason}); kept it as {aside}; {what}, but could not write it back yet ({error})"
                    ));
                }
            }
        }
        Err(error) => {
            let why = format!("{shown} is damaged ({reason}) and could not be kept aside ({error}); running read-only");
            notices.push(why.clone());
            store.read_only = Some(why);
        }
    }
}
