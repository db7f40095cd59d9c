//! Stars, read marks, tags and notes: where they live, the file they are kept in, and safe saving.
//!
//! The file is versioned JSON keyed by `PaperKey`, so marks follow a paper across digests:
//! `{"version": 2, "papers": {"title:a survey of mamba": {"starred": true, "read": true, "changed": 1764…,
//! "tags": {"rl": {"on": true, "changed": 1764…}}, "note": {"text": "…", "changed": 1764…}}}}`. Version 1
//! had no tags or notes: it is read as it is, and written as version 2 by the first save.
//! A save takes the lock, re-reads the file, merges it with the marks in memory mark by mark (the newer
//! change wins, so two readers open at once never undo each other), and replaces the file atomically,
//! keeping the one before as `state.json.bak` (see `disk`); a large file is not rewritten for every star:
//! the changes are appended to a journal beside it instead, folded into it now and then (see `save` and
//! `journal`). Opening recovers from a damaged file (see `recovery`). The marks themselves, and how two
//! copies of them merge, are the `Ledger`'s; `MarkSet` finds a paper's marks under any of its keys.

mod disk;
mod journal;
mod labels;
mod ledger;
mod lookup;
mod recovery;
mod save;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::files;
use crate::library::PaperKey;
use crate::sanitize::quote_path;

pub use disk::{Judged, encode, judge, salvage};

/// The files papers keeps the marks of state file `path` in: the file, its backup, its journal and its
/// lock (whether there or not). A file written by a command is never one of them.
pub fn own_files(path: &Path) -> [PathBuf; 4] {
    [path.to_path_buf(), disk::backup_path(path), journal::path_of(path), disk::sibling(path, "lock")]
}
pub use labels::{NOTE_MAX, Note, TAG_MAX, Tag, Tags, note_text, tag_name};
pub use ledger::{Entries, Ledger};
pub use lookup::{Filter, MarkSet};

/// The format version this build writes. A file with a higher one is never written over.
pub const VERSION: u32 = 2;

/// What the reader remembers about one paper.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marks {
    #[serde(default)]
    pub starred: bool,
    #[serde(default)]
    pub read: bool,
    /// When this paper's marks last changed, in milliseconds since the Unix epoch.
    #[serde(default)]
    pub changed: u64,
    /// When the star last changed. Each mark has its own time so that a star made in one reader and a read
    /// mark made in another at the same time both survive the merge. Files written before these times
    /// existed lack them; `changed` stands in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starred_changed: Option<u64>,
    /// When the read mark last changed (see `starred_changed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_changed: Option<u64>,
    /// The title when the marks were made, so the file can be read by a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Tags, those removed kept with the time of their removal (see `labels`). Since version 2.
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// The note, empty once removed. Since version 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
}

impl Marks {
    /// When the star last changed.
    pub fn star_time(&self) -> u64 {
        self.starred_changed.unwrap_or(self.changed)
    }

    /// When the read mark last changed.
    pub fn read_time(&self) -> u64 {
        self.read_changed.unwrap_or(self.changed)
    }
}

/// What `Store::import` took in: papers that gained a star, a read mark, had a mark taken back, had
/// their tags or note changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    pub stars: usize,
    pub reads: usize,
    pub taken_back: usize,
    pub labelled: usize,
    /// Papers whose marks were dated past the time of the import, taken as made then.
    pub future: usize,
}

/// The default state file: `state.json` in the user's data directory (`$XDG_DATA_HOME/papers` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "papers").map(|dirs| dirs.data_dir().join("state.json"))
}

/// How long a save waits for another papers process to finish its own (a save takes milliseconds).
const SAVE_LOCK_TIMEOUT: Duration = Duration::from_secs(2);

/// From this size of the file (some 15,000 marks), a save appends to the journal instead of rewriting it.
const JOURNAL_FROM: u64 = 4 << 20;

/// The journal is folded into the file once it is larger than this, or than an eighth of the file.
const FOLD_AT: u64 = 1 << 20;

/// The marks of every paper the reader has touched, and the file they are kept in.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    ledger: Ledger,
    /// Why saving is switched off (a newer or unreadable file), if it is.
    read_only: Option<String>,
    /// Why the file is damaged, when it was opened only to read and found so (see `open_to_read`).
    damaged: Option<String>,
    /// Changes not yet on disk because the last save failed.
    unsaved: bool,
    /// The file as last read or written (see `stamp`), to notice another reader's save.
    seen: Option<Stamp>,
    lock_timeout: Duration,
    /// Things the user should be told that happened during a save or reload (see `take_notices`).
    notices: Vec<String>,
    /// The format version of the file, when a newer papers wrote it (then it is never written here).
    newer: Option<u32>,
    /// Where the journal's whole lines end, as this store last read or wrote it.
    journal_end: u64,
    /// Keys whose marks changed here since the last save: what the next save appends to the journal.
    dirty: BTreeSet<PaperKey>,
    /// The next save rewrites the file itself rather than append (after an import, or over a file in an
    /// older format).
    rewrite: bool,
    /// From which size of the file saves go to the journal, and the journal's size (at least) past which
    /// it is folded into the file.
    journal_from: u64,
    fold_at: u64,
    /// True once the user was told that the backup cannot be kept (once is enough: saving goes on).
    backup_told: bool,
}

impl Store {
    /// Opens the state at `path`. Never fails: a missing file is an empty state; a damaged file is moved
    /// aside and the backup used when there is a good one; a file that cannot be read or is from a newer
    /// version makes the store read-only. The returned notices say, naming the files, what happened.
    pub fn open(path: &Path) -> (Store, Vec<String>) {
        recovery::open(path, true)
    }

    /// Opens the state at `path` to read its marks only (`list`, `export`, `state export`): nothing on
    /// the disk is changed, no lock taken. A damaged file is left where it is, with the backup's marks
    /// when it has good ones, and the store read-only; `damaged` says why. A file named by mistake
    /// (`--state notes.md`) is never moved aside by a command that only reads.
    pub fn open_to_read(path: &Path) -> (Store, Vec<String>) {
        recovery::open(path, false)
    }

    /// Why the state file could not be read as one, when it is damaged (see `open_to_read`).
    pub fn damaged(&self) -> Option<&str> {
        self.damaged.as_deref()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The marks in memory.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Why changes are not being saved at all, if they are not.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// True when there are changes in memory that are not on disk.
    pub fn has_unsaved_changes(&self) -> bool {
        self.unsaved
    }

    /// How long a save waits for the lock that another papers process holds.
    pub fn set_lock_timeout(&mut self, timeout: Duration) {
        self.lock_timeout = timeout;
    }

    /// What happened during saves and reloads that the user should hear about, oldest first; once.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    pub fn marks(&self, key: &PaperKey) -> Option<&Marks> {
        self.ledger.get(key)
    }

    /// Every paper the store has marks for.
    pub fn all_marks(&self) -> impl Iterator<Item = (&PaperKey, &Marks)> {
        self.ledger.iter()
    }

    pub fn is_starred(&self, key: &PaperKey) -> bool {
        self.marks(key).is_some_and(|m| m.starred)
    }

    pub fn is_read(&self, key: &PaperKey) -> bool {
        self.marks(key).is_some_and(|m| m.read)
    }

    /// Changes the marks of one paper and saves (for tools and tests: the reader changes its own ledger
    /// and hands the changes to `absorb`). The change stays in memory even when saving fails.
    pub fn update(&mut self, key: &PaperKey, title: &str, change: impl Fn(&mut Marks)) -> Result<(), String> {
        let changes = self.ledger.apply(std::slice::from_ref(key), title, change);
        self.unsaved |= !changes.is_empty();
        self.dirty.extend(changes.into_iter().map(|(key, _)| key));
        if self.unsaved { self.save() } else { Ok(()) }
    }

    /// Takes changes made in another ledger (the reader's, on the UI thread) into this one, to be saved. A
    /// change is saved even when it changes no mark here (it may only make a mark's time later: another
    /// reader's older change must not win over it in the file).
    pub fn absorb(&mut self, changes: Entries) {
        self.unsaved |= !changes.is_empty();
        self.dirty.extend(changes.iter().map(|(key, _)| key.clone()));
        self.ledger.merge(changes);
    }

    /// From which size (bytes) of the file saves append to the journal instead of rewriting it, and the
    /// journal's size past which it is folded into the file (at least; an eighth of the file's size when
    /// more). For tests: the reader uses `JOURNAL_FROM` and `FOLD_AT`.
    pub fn set_journal_limits(&mut self, from: u64, fold_at: u64) {
        self.journal_from = from;
        self.fold_at = fold_at;
    }

    /// Merges the marks of another state file (`papers state import`): each mark, tag and note is taken
    /// where it changed later there than here, as when two readers save; nothing here is dropped. Saves,
    /// and says how many papers gained a star, gained a read mark, had a mark taken back (a newer unstar or
    /// unread), and had their tags or note changed.
    pub fn import(&mut self, mut theirs: BTreeMap<PaperKey, Marks>) -> Result<Imported, String> {
        // A time past now (a clock set years ahead where they were made) would win every merge until
        // then, over every real change made since: it is taken as now.
        let now = ledger::now_millis();
        let mut future = 0;
        for marks in theirs.values_mut() {
            let mut ahead = false;
            let times = [&mut marks.changed]
                .into_iter()
                .chain(marks.starred_changed.as_mut())
                .chain(marks.read_changed.as_mut())
                .chain(marks.tags.values_mut().map(|tag| &mut tag.changed))
                .chain(marks.note.as_mut().map(|note| &mut note.changed));
            for time in times.filter(|time| **time > now) {
                *time = now;
                ahead = true;
            }
            future += usize::from(ahead);
        }
        type Shown = (bool, bool, Vec<String>, Option<String>);
        let shown = |marks: Option<&Marks>| -> Shown {
            marks.map_or_else(Default::default, |m| {
                (m.starred, m.read, m.tags().map(str::to_string).collect(), m.note().map(str::to_string))
            })
        };
        let before: BTreeMap<PaperKey, Shown> = theirs.keys().map(|k| (k.clone(), shown(self.marks(k)))).collect();
        let mut imported = Imported { future, ..Imported::default() };
        if self.ledger.merge(theirs).is_empty() {
            return Ok(imported);
        }
        for (key, (starred, read, tags, note)) in before {
            let now = shown(self.marks(&key));
            imported.stars += usize::from(now.0 && !starred);
            imported.reads += usize::from(now.1 && !read);
            imported.taken_back += usize::from((starred && !now.0) || (read && !now.1));
            imported.labelled += usize::from(now.2 != tags || now.3 != note);
        }
        self.unsaved = true;
        // Marks whose times alone changed count too: the file is written whole.
        self.rewrite = true;
        self.save()?;
        Ok(imported)
    }

    /// The state file's bytes for these marks (`papers state export`), and a warning to show with them.
    /// A file a newer papers wrote is given as it is, byte for byte: this build cannot write its format,
    /// and what it could write would carry less, or nothing. Fails when the file could not be read at
    /// all, rather than give an empty state for it.
    pub fn export(&self) -> Result<(Vec<u8>, Option<String>), String> {
        let shown = quote_path(&self.path);
        if let Some(version) = self.newer {
            let bytes = files::read_regular(&self.path).map_err(|error| format!("cannot read {shown}: {error}"))?;
            let warning = format!(
                "{shown} was written by a newer papers (format {version}, this one writes {VERSION}); exported as it is, for that version to import"
            );
            return Ok((bytes, Some(warning)));
        }
        match &self.read_only {
            Some(why) if self.ledger.is_empty() => Err(format!("nothing to export: {why}")),
            _ => Ok((encode(self.ledger.papers()), None)),
        }
    }
}

/// Takes the lock beside the state file at `path` and lets it go at once (`papers doctor`): waits at most
/// `timeout` for another papers process, and never makes the directory. The lock file's path, or the error
/// naming it.
pub fn try_lock(path: &Path, timeout: Duration) -> Result<PathBuf, String> {
    disk::lock(path, timeout, false).map(drop).map(|()| disk::sibling(path, "lock")).map_err(|e| e.to_string())
}

/// What the state at `path` holds, its journal included: the file judged as `judge` judges it, with the
/// saves in its journal merged into it when it is a good one (or missing). Reads without the lock.
/// Where the state at `path` keeps the copy it was before its last save.
pub fn backup_of(path: &Path) -> PathBuf {
    disk::backup_path(path)
}

pub fn read_state(path: &Path) -> Judged {
    let judged = disk::read(path);
    let papers = match judged {
        Judged::Good(papers) => papers,
        Judged::Missing => BTreeMap::new(),
        other => return other,
    };
    match journal::read(&journal::path_of(path), 0) {
        Ok(Some((saved, _))) if !saved.is_empty() => {
            let mut ledger = Ledger::new(papers);
            ledger.merge(saved);
            Judged::Good(ledger.papers().clone())
        }
        _ if papers.is_empty() && !path.exists() => Judged::Missing,
        _ => Judged::Good(papers),
    }
}

/// What tells one version of the file at `path` from another: every save renames a new file into place,
/// so its inode changes even when the time (a few milliseconds coarse) and length do not.
fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some((meta.modified().ok()?, meta.len(), inode))
}

type Stamp = (SystemTime, u64, u64);

#[cfg(test)]
mod tests;
