//! Stars and read marks: where they live, loading (with recovery from a damaged file), and safe saving.
//!
//! The file is versioned JSON keyed by `PaperKey`, so marks follow a paper across digests:
//! `{"version": 1, "papers": {"title:a survey of mamba": {"starred": true, "read": true, "changed": 1764…}}}`.
//! Every change is saved at once. A save takes the lock, re-reads the file, merges it with the marks in
//! memory mark by mark (the newer change wins, so two readers open at once never undo each other), and
//! replaces the file atomically, keeping the one before as `state.json.bak` (see `disk`).

mod disk;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::library::PaperKey;

pub use disk::{Found, encode, judge};

/// The format version this build writes. A file with a higher one is never written over.
pub const VERSION: u32 = 1;

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

/// The default state file: `state.json` in the user's data directory (`$XDG_DATA_HOME/papers` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "papers").map(|dirs| dirs.data_dir().join("state.json"))
}

/// How long a save waits for another papers process to finish its own (a save takes milliseconds).
const SAVE_LOCK_TIMEOUT: Duration = Duration::from_secs(2);
/// How long opening waits for the lock before reading without it (reading is safe without it).
const OPEN_LOCK_TIMEOUT: Duration = Duration::from_millis(500);

/// The marks of every paper the reader has touched, and the file they are kept in.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    papers: BTreeMap<PaperKey, Marks>,
    /// Why saving is switched off (a newer or unreadable file), if it is.
    read_only: Option<String>,
    /// Changes not yet on disk because the last save failed.
    unsaved: bool,
    /// The file as last read or written (see `stamp`), to notice another reader's save.
    seen: Option<Stamp>,
    lock_timeout: Duration,
    /// Counts changes to the marks in memory, so that views built on them know when to look again.
    generation: u64,
    /// Things the user should be told that happened during a save or reload (see `take_notices`).
    notices: Vec<String>,
}

impl Store {
    /// Opens the state at `path`. Never fails: a missing file is an empty state; a damaged file is moved
    /// aside and the backup used when there is a good one; a file that cannot be read or is from a newer
    /// version makes the store read-only. The returned notices say, naming the files, what happened.
    pub fn open(path: &Path) -> (Store, Vec<String>) {
        // A state file that is a symlink (kept with the user's dotfiles, say) is saved where it points:
        // replacing the link itself with a file would quietly cut it off.
        let resolved = match std::fs::symlink_metadata(path) {
            // A link to a file not made yet (a fresh dotfiles checkout) cannot be canonicalised: follow it.
            Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path).ok().or_else(|| {
                let target = std::fs::read_link(path).ok()?;
                Some(path.parent().map_or(target.clone(), |dir| dir.join(&target)))
            }),
            _ => None,
        };
        let path = resolved.as_deref().unwrap_or(path);
        let mut store = Store {
            path: path.to_path_buf(),
            papers: BTreeMap::new(),
            read_only: None,
            unsaved: false,
            seen: None,
            lock_timeout: SAVE_LOCK_TIMEOUT,
            generation: 0,
            notices: Vec::new(),
        };
        let mut notices = Vec::new();
        let shown = path.display();
        // Under the lock no save is under way, so leftover temporary files can go, and a damaged file is
        // kept aside and replaced by one reader only. Without it (no directory yet, or a stuck reader)
        // reading is still safe, files being only ever replaced whole, and nothing is changed here.
        let lock = disk::lock(path, OPEN_LOCK_TIMEOUT, false).ok();
        if let Some(lock) = &lock {
            disk::remove_leftovers(path, lock);
        }
        match disk::read(path) {
            Found::Missing => {}
            Found::Good(papers) => store.papers = papers,
            Found::Newer(version, papers) => {
                let why = format!(
                    "{shown} was written by a newer papers (format {version}, this one reads {VERSION}); running read-only, changes will not be saved"
                );
                notices.push(why.clone());
                store.papers = papers.unwrap_or_default();
                store.read_only = Some(why);
            }
            Found::Damaged(reason) => {
                let backup = disk::backup_path(path);
                let restored = match disk::read(&backup) {
                    Found::Good(papers) if !papers.is_empty() => Some(papers),
                    _ => None,
                };
                let what = match &restored {
                    Some(papers) if papers.len() == 1 => {
                        format!("restored the marks of 1 paper from the backup {}", backup.display())
                    }
                    Some(papers) => {
                        format!("restored the marks of {} papers from the backup {}", papers.len(), backup.display())
                    }
                    None => "no usable backup, so starting with no stars or read marks".to_string(),
                };
                store.papers = restored.unwrap_or_default();
                match &lock {
                    // Keep a copy, then replace the damaged file under the same lock: no moment without one.
                    Some(lock) => match disk::keep_aside(path, now_millis()) {
                        Ok(aside) => {
                            let aside = aside.display();
                            match disk::replace(path, &disk::encode(&store.papers), false, lock) {
                                Ok(()) => {
                                    notices.push(format!("{shown} is damaged ({reason}); kept it as {aside}; {what}"))
                                }
                                Err(error) => {
                                    store.unsaved = true;
                                    notices.push(format!(
                                        "{shown} is damaged ({reason}); kept it as {aside}; {what}, but could not write it back yet ({error})"
                                    ));
                                }
                            }
                        }
                        Err(error) => {
                            let why = format!(
                                "{shown} is damaged ({reason}) and could not be kept aside ({error}); running read-only"
                            );
                            notices.push(why.clone());
                            store.read_only = Some(why);
                        }
                    },
                    // Another reader holds the lock: leave the file be; the first save keeps it aside.
                    None => {
                        store.unsaved = !store.papers.is_empty();
                        notices
                            .push(format!("{shown} is damaged ({reason}); {what}; it is kept aside at the first save"));
                    }
                }
            }
            // Nothing there to lose: saving will be tried, and will say why it fails, on every change.
            Found::Unreadable(error)
                if matches!(error.kind(), io::ErrorKind::IsADirectory | io::ErrorKind::NotADirectory) =>
            {
                notices.push(format!("cannot use {shown} as the state file ({error}); give another with --state FILE"));
            }
            Found::Unreadable(error) => {
                let why = format!("cannot read {shown} ({error}); running read-only, changes will not be saved");
                notices.push(why.clone());
                store.read_only = Some(why);
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

    pub fn path(&self) -> &Path {
        &self.path
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

    /// A number that changes whenever a star or read mark in memory changes.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// What happened during saves and reloads that the user should hear about, oldest first; once.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    pub fn marks(&self, key: &PaperKey) -> Option<&Marks> {
        self.papers.get(key)
    }

    /// Every paper the store has marks for.
    pub fn all_marks(&self) -> impl Iterator<Item = (&PaperKey, &Marks)> {
        self.papers.iter()
    }

    pub fn is_starred(&self, key: &PaperKey) -> bool {
        self.papers.get(key).is_some_and(|m| m.starred)
    }

    pub fn is_read(&self, key: &PaperKey) -> bool {
        self.papers.get(key).is_some_and(|m| m.read)
    }

    /// Changes the marks of one paper and saves. The change stays in memory even when saving fails.
    pub fn update(&mut self, key: &PaperKey, title: &str, change: impl Fn(&mut Marks)) -> Result<(), String> {
        self.update_all(std::slice::from_ref(key), title, change)
    }

    /// Changes the marks kept under each of `keys` (one paper's keys: see `search::MarkSet::keys_of`) the
    /// same way, and saves once. The change stays in memory even when saving fails.
    pub fn update_all(&mut self, keys: &[PaperKey], title: &str, change: impl Fn(&mut Marks)) -> Result<(), String> {
        let mut changed = false;
        for key in keys {
            changed |= self.apply(key, title, &change);
        }
        if !changed {
            return Ok(());
        }
        self.generation += 1;
        self.unsaved = true;
        self.save()
    }

    /// Changes the marks under `key` in memory; true when a mark changed.
    fn apply(&mut self, key: &PaperKey, title: &str, change: &impl Fn(&mut Marks)) -> bool {
        let known = self.papers.contains_key(key);
        let marks = self.papers.entry(key.clone()).or_default();
        let before = marks.clone();
        change(marks);
        if (marks.starred, marks.read) == (before.starred, before.read) {
            *marks = before;
            if !known {
                self.papers.remove(key);
            }
            return false;
        }
        // Both times are written down, so a mark that did not change never borrows `changed` as its time.
        // A changed mark's time is later than its last one even if the clock stepped back, so merges keep it.
        let now = now_millis();
        let (star_time, read_time) = (before.star_time(), before.read_time());
        marks.starred_changed =
            Some(if marks.starred == before.starred { star_time } else { now.max(star_time.saturating_add(1)) });
        marks.read_changed =
            Some(if marks.read == before.read { read_time } else { now.max(read_time.saturating_add(1)) });
        marks.changed = marks.changed.max(marks.star_time()).max(marks.read_time());
        marks.title = Some(title.to_string());
        true
    }

    /// Saves: under the lock, merges what another reader saved since, then replaces the file atomically.
    /// Does nothing when read-only (and says why). On failure the marks stay in memory, still unsaved.
    pub fn save(&mut self) -> Result<(), String> {
        if let Some(why) = &self.read_only {
            return Err(why.clone());
        }
        let shown = self.path.display().to_string();
        let cannot = |error: io::Error| format!("cannot write {shown}: {error}");
        let lock = disk::lock(&self.path, self.lock_timeout, true).map_err(cannot)?;
        let keep_backup = match disk::read(&self.path) {
            Found::Missing => false,
            Found::Good(theirs) => {
                self.merge(theirs);
                true
            }
            Found::Newer(version, _) => {
                let why = format!(
                    "{shown} was replaced by a newer papers (format {version}); running read-only, changes will not be saved"
                );
                self.notices.push(why.clone());
                self.read_only = Some(why.clone());
                return Err(why);
            }
            Found::Damaged(reason) => {
                let aside = disk::keep_aside(&self.path, now_millis()).map_err(cannot)?;
                self.notices.push(format!(
                    "{shown} was damaged ({reason}); kept it as {} and saved the marks this reader holds",
                    aside.display()
                ));
                false
            }
            Found::Unreadable(error) => return Err(cannot(error)),
        };
        disk::replace(&self.path, &disk::encode(&self.papers), keep_backup, &lock).map_err(cannot)?;
        self.unsaved = false;
        self.seen = stamp(&self.path);
        Ok(())
    }

    /// Picks up what another papers process saved since this one last read or wrote the file. Returns true
    /// when a mark shown here changed. Cheap when nothing changed: it looks at the file's metadata only.
    pub fn reload(&mut self) -> bool {
        let now = stamp(&self.path);
        if now.is_none() || now == self.seen {
            return false;
        }
        self.seen = now;
        match disk::read(&self.path) {
            Found::Good(theirs) => self.merge(theirs),
            Found::Newer(version, _) if self.read_only.is_none() => {
                let why = format!(
                    "{} was replaced by a newer papers (format {version}); running read-only, changes will not be saved",
                    self.path.display()
                );
                self.notices.push(why.clone());
                self.read_only = Some(why);
                false
            }
            // A damaged or vanished file is dealt with (and reported) by the next save.
            _ => false,
        }
    }

    /// Merges the marks of another state file (`papers state import`): each mark is taken where it changed
    /// later there than here, as when two readers save; nothing here is dropped. Saves, and returns how
    /// many papers gained a star, gained a read mark, and had a mark taken back (a newer unstar or unread).
    pub fn import(&mut self, theirs: BTreeMap<PaperKey, Marks>) -> Result<(usize, usize, usize), String> {
        let before: BTreeMap<PaperKey, (bool, bool)> = theirs
            .keys()
            .map(|k| (k.clone(), self.papers.get(k).map_or((false, false), |m| (m.starred, m.read))))
            .collect();
        if !self.merge(theirs) {
            return Ok((0, 0, 0));
        }
        let (mut stars, mut reads, mut taken_back) = (0, 0, 0);
        for (key, (starred, read)) in before {
            let now = self.papers.get(&key).map_or((false, false), |m| (m.starred, m.read));
            stars += usize::from(now.0 && !starred);
            reads += usize::from(now.1 && !read);
            taken_back += usize::from((starred && !now.0) || (read && !now.1));
        }
        self.unsaved = true;
        self.save()?;
        Ok((stars, reads, taken_back))
    }

    /// The state file's bytes for these marks (`papers state export`).
    pub fn export(&self) -> Vec<u8> {
        encode(&self.papers)
    }

    /// Takes each mark (star, read) from `theirs` where it changed later than ours. Returns true when a
    /// star or read mark changed here.
    fn merge(&mut self, theirs: BTreeMap<PaperKey, Marks>) -> bool {
        let mut changed = false;
        for (key, marks) in theirs {
            let Some(ours) = self.papers.get_mut(&key) else {
                changed |= marks.starred || marks.read;
                self.papers.insert(key, pinned(marks));
                continue;
            };
            // Pin our marks' times first: raising `changed` below must not move a fallback time.
            *ours = pinned(std::mem::take(ours));
            if marks.star_time() > ours.star_time() {
                changed |= ours.starred != marks.starred;
                ours.starred = marks.starred;
                ours.starred_changed = Some(marks.star_time());
            }
            if marks.read_time() > ours.read_time() {
                changed |= ours.read != marks.read;
                ours.read = marks.read;
                ours.read_changed = Some(marks.read_time());
            }
            if marks.changed > ours.changed {
                ours.changed = marks.changed;
                ours.title = marks.title.or(ours.title.take());
            }
        }
        if changed {
            self.generation += 1;
        }
        changed
    }
}

/// `marks` with both mark times written out, so that neither falls back to `changed` any more.
fn pinned(mut marks: Marks) -> Marks {
    marks.starred_changed = Some(marks.star_time());
    marks.read_changed = Some(marks.read_time());
    marks
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

fn now_millis() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

#[cfg(test)]
mod tests;
