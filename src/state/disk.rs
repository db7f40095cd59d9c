//! The state file on disk: reading and judging it, the lock, the backup, and atomic replacement.
//!
//! Beside `state.json` live `state.json.lock` (locked while a save is under way; never renamed, so a lock
//! always means the same file), `state.json.bak` (the file as it was before the last save), for a large
//! file `state.json.journal` (see `journal`), and, only while a save is under way or after a crash in one,
//! `.state.json.tmp-<pid>` and `.state.json.bak.tmp-<pid>`.

use std::collections::BTreeMap;
use std::fs::{self, File, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{Marks, VERSION};
use crate::files::{self, context};
use crate::library::PaperKey;
use crate::sanitize::quote_path;

#[derive(Serialize, Deserialize)]
pub(super) struct StateFile {
    pub version: u32,
    #[serde(default)]
    pub papers: BTreeMap<PaperKey, Marks>,
}

/// Only the version, read first, so that a newer format is recognised even when its shape changed.
#[derive(Deserialize)]
struct Version {
    version: u32,
}

/// What was found at a state path.
pub enum Judged {
    Missing,
    Good(BTreeMap<PaperKey, Marks>),
    /// Written by a newer papers: its format version, and the marks when this build can still read them.
    Newer(u32, Option<BTreeMap<PaperKey, Marks>>),
    /// Not a state file this build can read; the reason, for people.
    Damaged(String),
    /// The path exists but cannot be read (a directory, no permission, an I/O error).
    Unreadable(io::Error),
}

/// What is at `path`. Only a regular file is read: a device, a FIFO or a socket in its place is
/// `Unreadable`, and is never waited on (see `files::open_regular`).
pub(super) fn read(path: &Path) -> Judged {
    read_versioned(path).0
}

/// `read`, and whether a good file is in an older format than this build writes (version 1, without
/// tags and notes): the next save must then write it whole in the new one, never append to its journal,
/// so that an older papers, which would drop the tags and notes when it folds the journal in, reads it as
/// newer.
pub(super) fn read_versioned(path: &Path) -> (Judged, bool) {
    match files::read_regular(path) {
        Ok(bytes) => {
            let (judged, version) = judge_versioned(&bytes);
            let older = matches!(judged, Judged::Good(_)) && version < VERSION;
            (judged, older)
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => (Judged::Missing, false),
        Err(error) => (Judged::Unreadable(error), false),
    }
}

/// Decides what a state file's bytes are. Never panics, whatever the bytes.
pub fn judge(bytes: &[u8]) -> Judged {
    judge_versioned(bytes).0
}

/// What can be read of a state file that `judge` finds damaged by a hand's edit: an object with a
/// `version` this papers reads and `papers`, each paper's marks read alone (other fields left out). The
/// marks read and the keys of the papers whose marks could not be; `None` when it is not such a file.
pub fn salvage(bytes: &[u8]) -> Option<(BTreeMap<PaperKey, Marks>, Vec<String>)> {
    let bytes = without_bom(bytes);
    let file: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let version = file.get("version")?.as_u64()?;
    let papers = file.get("papers")?.as_object()?;
    if version > u64::from(VERSION) {
        return None;
    }
    let (mut read, mut skipped) = (BTreeMap::new(), Vec::new());
    for (key, marks) in papers {
        let marks = serde_json::from_value::<Marks>(marks.clone());
        match (serde_json::from_value::<PaperKey>(serde_json::Value::String(key.clone())), marks) {
            (Ok(paper), Ok(mut marks)) => {
                marks.clean_labels();
                read.insert(paper, marks);
            }
            _ => skipped.push(key.clone()),
        }
    }
    Some((read, skipped))
}

/// What can be read in `aside`, a damaged state file of `state` kept aside, said with how to bring it
/// back into `state` (named, so that a reader of another `--state` does not import into the default):
/// `; what can be read in it (the marks of 2 papers) comes back with …`, or nothing when it holds none.
/// A hand's edit (a field this papers does not know, a value of the wrong kind) leaves the other
/// papers' marks readable.
pub(super) fn readable_in(state: &Path, aside: &Path) -> String {
    let readable = files::read_regular(aside).ok().and_then(|bytes| salvage(&bytes));
    match readable {
        Some((marks, _)) if !marks.is_empty() => {
            let papers = if marks.len() == 1 { "1 paper".to_string() } else { format!("{} papers", marks.len()) };
            format!(
                "; what can be read in it (the marks of {papers}) comes back with `papers --state {} state import {}`",
                quote_path(state),
                quote_path(aside)
            )
        }
        _ => String::new(),
    }
}

/// `bytes` without the byte order mark an editor may have put before them (Notepad saves UTF-8 with
/// one): the JSON after it is read, not thrown away as damage.
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// `judge`, and the format version of a good file (0 for any other).
fn judge_versioned(bytes: &[u8]) -> (Judged, u32) {
    let bytes = without_bom(bytes);
    let damaged = |why: String| (Judged::Damaged(why), 0);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return damaged("it is empty".into());
    }
    if bytes.iter().all(|&b| b == 0) {
        return damaged(format!("it holds only zero bytes ({} of them)", bytes.len()));
    }
    if let Err(error) = std::str::from_utf8(bytes) {
        return damaged(format!("it is not UTF-8 text (byte {})", error.valid_up_to()));
    }
    // serde would also take `[1]` for `{"version": 1}`: a state file is an object.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return damaged("it is not a papers state file: not a JSON object".into());
    }
    let version = match serde_json::from_slice::<Version>(bytes) {
        Ok(v) => v.version,
        Err(error) if error.is_eof() => return damaged(format!("it ends too early: {error}")),
        Err(error) if error.is_syntax() => return damaged(format!("it is not valid JSON: {error}")),
        Err(error) => return damaged(format!("it is not a papers state file: {error}")),
    };
    if version > VERSION {
        let mut papers = serde_json::from_slice::<StateFile>(bytes).ok().map(|file| file.papers);
        papers.iter_mut().flat_map(BTreeMap::values_mut).for_each(Marks::clean_labels);
        return (Judged::Newer(version, papers), 0);
    }
    // A file of this version (or of version 1, which lacked tags and notes) has exactly these two fields:
    // anything else is some other program's JSON (a wrong --state path), which must be kept aside, not
    // taken for an empty state and written over.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Current {
        version: u32,
        papers: BTreeMap<PaperKey, Marks>,
    }
    match serde_json::from_slice::<Current>(bytes) {
        Ok(mut file) => {
            file.papers.values_mut().for_each(Marks::clean_labels);
            (Judged::Good(file.papers), file.version)
        }
        Err(error) => damaged(format!("it is not a papers state file: {error}")),
    }
}

/// The bytes of a state file holding `papers`, as a save writes them.
pub fn encode(papers: &BTreeMap<PaperKey, Marks>) -> Vec<u8> {
    #[derive(Serialize)]
    struct Out<'a> {
        version: u32,
        papers: &'a BTreeMap<PaperKey, Marks>,
    }
    // Serialising string keys and plain fields cannot fail; an empty object is still a valid state.
    let mut json = serde_json::to_vec_pretty(&Out { version: VERSION, papers }).unwrap_or_default();
    json.push(b'\n');
    json
}

/// `state.json` → `state.json.<suffix>` beside it.
pub(super) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!("{name}.{suffix}"))
}

pub(super) fn backup_path(path: &Path) -> PathBuf {
    sibling(path, "bak")
}

fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// A temporary file of this process beside `path`; the leading dot keeps it out of plain `ls`.
fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// The exclusive lock on `state.json.lock`, held until dropped.
pub(super) struct Lock {
    _file: File,
}

/// Takes the lock, waiting up to `timeout` for another papers process to finish its save.
/// `create` makes the directory when it is missing (for a save); without it a missing directory is an error.
/// An error names the file or directory that failed and why.
pub(super) fn lock(path: &Path, timeout: Duration, create: bool) -> io::Result<Lock> {
    if create {
        let dir = dir_of(path);
        fs::create_dir_all(dir).map_err(|error| {
            let error = if dir.exists() && !dir.is_dir() {
                io::Error::new(io::ErrorKind::NotADirectory, "it is not a directory")
            } else {
                error
            };
            context("cannot make the directory", dir, error)
        })?;
    }
    let lock_path = sibling(path, "lock");
    let file = open_lock(&lock_path)?;
    let deadline = Instant::now() + timeout;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(TryLockError::Error(error)) => return Err(error),
            Err(TryLockError::WouldBlock) if Instant::now() >= deadline => {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!("another papers process has held {} for over {timeout:?}", quote_path(&lock_path)),
                ));
            }
            Err(TryLockError::WouldBlock) => thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// Opens the lock file, made when missing; never waits (a FIFO there is refused, see `files::open_regular`).
fn open_lock(lock_path: &Path) -> io::Result<File> {
    let for_writing = fault::at(Stage::Lock)
        .and_then(|()| files::open_regular(lock_path, File::options().create(true).truncate(false).write(true)));
    let denied = match for_writing {
        Ok(file) => return Ok(file),
        Err(error) if error.kind() == io::ErrorKind::PermissionDenied => error,
        Err(error) => return Err(context("cannot open the lock file", lock_path, error)),
    };
    // Opened for writing, as NFS needs for an exclusive lock; when that is denied (a lock file left by
    // another user, after a `sudo papers`) read-only is enough for a local flock. When it is not there
    // either, it could not be made: the directory is not writable, and that is what to say.
    match files::open_regular(lock_path, File::options().read(true)) {
        Ok(file) => Ok(file),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            Err(context("cannot make the lock file", lock_path, denied))
        }
        Err(error) => Err(context("cannot open the lock file", lock_path, error)),
    }
}

/// Removes temporary files that a save killed half-way left behind. Call only while holding the lock:
/// then no save is under way, so every temporary file is a leftover. Returns how many were removed.
pub(super) fn remove_leftovers(path: &Path, _lock: &Lock) -> usize {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else { return 0 };
    let prefix = format!(".{name}.");
    let Ok(entries) = fs::read_dir(dir_of(path)) else { return 0 };
    entries
        .flatten()
        .filter(|entry| {
            let file = entry.file_name().to_string_lossy().into_owned();
            file.starts_with(&prefix) && file.contains(".tmp-")
        })
        .filter(|entry| fs::remove_file(entry.path()).is_ok())
        .count()
}

/// Replaces `path` with `bytes` so that a reader, or a crash at any instant, sees either the old file or
/// the new one. When `keep_backup`, the old file becomes `state.json.bak` first (by a hard link, so the
/// backup is the very file that was there). Call while holding the lock. An error names the file that
/// failed; a backup that could not be kept does not stop the save, and is returned to be told.
pub(super) fn replace(path: &Path, bytes: &[u8], keep_backup: bool, _lock: &Lock) -> io::Result<Option<io::Error>> {
    let dir = dir_of(path);
    let temp = temp_path(path);
    let mut backup_failed = None;
    let result = (|| {
        // A new file, never one found under that name: a leftover is removed, and `create_new` opens no
        // symlink put there.
        let _ = fs::remove_file(&temp);
        let mut options = File::options();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            // Stars, tags and notes are the user's alone: a new state file is made readable by them only.
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temp).map_err(|error| context("cannot make the temporary file", &temp, error))?;
        keep_access(path, &file);
        // After the temporary file exists, so that tests see it cleaned up.
        fault::at(Stage::Write)
            .and_then(|()| file.write_all(bytes))
            .and_then(|()| file.sync_all())
            .map_err(|error| context("cannot write the temporary file", &temp, error))?;
        if keep_backup {
            backup_failed = backup(path).err();
        }
        fs::rename(&temp, path).map_err(|error| context("cannot rename the temporary file", &temp, error))?;
        sync_dir(dir).map_err(|error| context("cannot flush the directory", dir, error))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map(|()| backup_failed)
}

/// Gives `file`, the new copy of `path`, the permissions of the file it replaces, and its owner where
/// that can be given (a save under `sudo` leaves the user's file theirs): a save never opens a file to
/// more people than it was, nor takes it from its owner. Best effort: the save goes on either way.
fn keep_access(path: &Path, file: &File) {
    let Ok(old) = fs::metadata(path) else { return };
    if !old.is_file() {
        return;
    }
    let _ = file.set_permissions(old.permissions());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
    }
}

/// Makes the renames in `dir` durable. On Unix that is an fsync of the directory. Windows cannot open a
/// directory with `File::open` (access is denied: every save would fail), and NTFS journals a rename with
/// the rest of its metadata, so there is nothing more to do there.
pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    if cfg!(unix) { File::open(dir)?.sync_all() } else { Ok(()) }
}

/// Makes the file at `path` the backup. A backup that is a symlink is followed, and the file it names
/// replaced; one that is anything but a regular file (a directory, a device) is left alone, as an error.
fn backup(path: &Path) -> io::Result<()> {
    let backup = files::resolved(&backup_path(path));
    let failed = |error| context("could not keep the backup", &backup, error);
    if let Ok(meta) = fs::symlink_metadata(&backup)
        && !meta.is_file()
    {
        return Err(failed(files::not_regular(meta.file_type())));
    }
    let temp = temp_path(&backup);
    let _ = fs::remove_file(&temp);
    let made = fault::at(Stage::Backup).and_then(|()| match fs::hard_link(path, &temp) {
        Ok(()) => Ok(()),
        // A file system without hard links: copy, and flush the copy before it takes the name.
        Err(_) => fs::copy(path, &temp).and_then(|_| File::open(&temp)?.sync_all()),
    });
    made.and_then(|()| fs::rename(&temp, &backup)).map_err(|error| {
        let _ = fs::remove_file(&temp);
        failed(error)
    })
}

/// Keeps a copy of a damaged file beside it, with the time in the name so no earlier one is overwritten,
/// and leaves the file itself in place: it is replaced (atomically) by a good one next, so there is never a
/// moment without a state file. The copy is a hard link where the file system has them.
pub(super) fn keep_aside(path: &Path, now: u64) -> io::Result<PathBuf> {
    for stamp in now.. {
        let aside = sibling(path, &format!("damaged-{stamp}"));
        match fs::hard_link(path, &aside) {
            Ok(()) => return Ok(aside),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(_) => {}
        }
        let mut copy = match File::options().write(true).create_new(true).open(&aside) {
            Ok(copy) => copy,
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        };
        io::copy(&mut File::open(path)?, &mut copy)?;
        copy.sync_all()?;
        return Ok(aside);
    }
    Err(io::Error::other("no free name to keep the damaged file under"))
}

/// The steps of a save where a test can make it fail (see `fault`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stage {
    /// Opening the lock file for writing.
    Lock,
    /// Writing the temporary file.
    Write,
    /// Linking or copying the backup.
    Backup,
}

/// Failures that cannot be made for real in a test run as root (a full disk, a denied write).
#[cfg(test)]
pub(super) mod fault {
    use std::cell::Cell;
    use std::io;

    use super::Stage;

    thread_local! {
        static NEXT: Cell<Option<(Stage, io::ErrorKind)>> = const { Cell::new(None) };
    }

    /// Makes every save on this thread fail with `kind` as it writes, until `inject(None)`.
    pub fn inject(kind: Option<io::ErrorKind>) {
        inject_at(Stage::Write, kind);
    }

    /// Makes every save on this thread fail with `kind` at `stage`, until `inject(None)`.
    pub fn inject_at(stage: Stage, kind: Option<io::ErrorKind>) {
        NEXT.with(|next| next.set(kind.map(|kind| (stage, kind))));
    }

    pub(in crate::state) fn at(stage: Stage) -> io::Result<()> {
        match NEXT.with(Cell::get) {
            Some((at, kind)) if at == stage => Err(io::Error::from(kind)),
            _ => Ok(()),
        }
    }
}

#[cfg(not(test))]
pub(super) mod fault {
    pub(in crate::state) fn at(_: super::Stage) -> std::io::Result<()> {
        Ok(())
    }
}
