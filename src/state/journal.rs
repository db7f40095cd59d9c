//! The journal beside a large state file: each save's changes appended as one line, so that a star is
//! saved in milliseconds however many marks the file holds; folded into the file once it has grown.
//!
//! `state.json.journal` holds a line per save: a JSON array of `[key, marks]` pairs. A line is written
//! with one write and flushed to disk before the save returns; a line a crash cut short is no save at all,
//! and is cut off before the next one is appended. Reading a line is a merge (the later change of each
//! mark wins), so a line read twice, or over a file that holds it already, changes nothing: the file is
//! rewritten first, and the journal removed after, so a crash between the two loses nothing.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::Marks;
use super::disk::{Lock, Stage, fault, sibling, sync_dir};
use crate::files::{self, context};
use crate::library::PaperKey;

/// A save's changes, as a journal line holds them.
pub(super) type Saved = Vec<(PaperKey, Marks)>;

/// `state.json` → `state.json.journal`.
pub(super) fn path_of(state: &Path) -> PathBuf {
    sibling(state, "journal")
}

/// What the journal holds from byte `from` on: the saves in its whole lines (a line that does not parse is
/// passed over), and where the last whole line ends. `None` when it is shorter than `from`: it was folded
/// into the file since, which must then be read again.
pub(super) fn read(journal: &Path, from: u64) -> io::Result<Option<(Saved, u64)>> {
    let mut file = match files::open_regular(journal, File::options().read(true)) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok((from == 0).then(|| (Vec::new(), 0))),
        Err(error) => return Err(context("cannot read the journal", journal, error)),
    };
    let reading = |error| context("cannot read the journal", journal, error);
    let len = file.metadata().map_err(reading)?.len();
    if len < from {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(from)).and_then(|_| file.read_to_end(&mut bytes)).map_err(reading)?;
    let whole = memchr::memrchr(b'\n', &bytes).map_or(0, |i| i + 1);
    let mut saved = Saved::new();
    for line in bytes[..whole].split(|&b| b == b'\n').filter(|line| !line.is_empty()) {
        if let Ok(entries) = serde_json::from_slice::<Saved>(line) {
            saved.extend(entries);
        }
    }
    Ok(Some((saved, from + whole as u64)))
}

/// The size of the journal, 0 when there is none: what `read` has read to, when nothing was appended since.
pub(super) fn len(journal: &Path) -> u64 {
    fs::metadata(journal).map_or(0, |meta| meta.len())
}

/// Appends one save as one line at `end` (where the whole lines end, as last read under this lock), cutting
/// off what a crash left after it. Returns where the journal ends now.
pub(super) fn append(journal: &Path, end: u64, saved: &[(PaperKey, Marks)], _lock: &Lock) -> io::Result<u64> {
    let made = !journal.exists();
    let mut options = File::options();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        // Made readable by the user alone, as the state file it belongs to (see `disk::replace`).
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = files::open_regular(journal, &mut options)
        .map_err(|error| context("cannot open the journal", journal, error))?;
    let mut line = serde_json::to_vec(saved).map_err(io::Error::other)?;
    line.push(b'\n');
    let written = fault::at(Stage::Write)
        .and_then(|()| file.set_len(end))
        .and_then(|()| file.seek(SeekFrom::Start(end)))
        .and_then(|_| file.write_all(&line))
        .and_then(|()| file.sync_data());
    if let Err(error) = written {
        // Whatever part of the line got written is cut off again: it must not join the next one.
        let _ = file.set_len(end);
        return Err(context("cannot write the journal", journal, error));
    }
    if made {
        // The journal's name must last too, not only its bytes.
        let dir = journal.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or(Path::new("."));
        sync_dir(dir).map_err(|error| context("cannot flush the directory", dir, error))?;
    }
    Ok(end + line.len() as u64)
}

/// Removes the journal once the file holds all it held. Call while holding the lock, after the file was
/// replaced.
pub(super) fn remove(journal: &Path, _lock: &Lock) -> io::Result<()> {
    match fs::remove_file(journal) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => {
            Err(context("cannot remove the journal", journal, error))
        }
        _ => Ok(()),
    }
}
