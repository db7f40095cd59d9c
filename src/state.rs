//! Stars and read marks: where they live, loading (with recovery from a damaged file), and atomic saving.
//!
//! The file is versioned JSON keyed by `PaperKey`, so marks follow a paper across digests:
//! `{"version": 1, "papers": {"title:a survey of mamba": {"starred": true, "read": true, "changed": 1764…}}}`.
//! Every change is saved at once: written to a temporary file in the same directory, flushed to disk, then
//! renamed over the old file, so a crash leaves either the old or the new file, never half of one.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::library::PaperKey;

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
    /// The title when the marks were made, so the file can be read by a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StateFile {
    version: u32,
    #[serde(default)]
    papers: BTreeMap<PaperKey, Marks>,
}

/// The default state file: `state.json` in the user's data directory (`$XDG_DATA_HOME/papers` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "papers").map(|dirs| dirs.data_dir().join("state.json"))
}

/// The marks of every paper the reader has touched, and the file they are kept in.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    papers: BTreeMap<PaperKey, Marks>,
    /// Why saving is switched off (a newer or unreadable file), if it is.
    read_only: Option<String>,
    /// Changes not yet on disk because the last save failed.
    unsaved: bool,
}

impl Store {
    /// Opens the state at `path`. Never fails: a missing file is an empty state; a file that does not
    /// parse is moved aside; one that cannot be read or is from a newer version makes the store read-only.
    /// The returned notices say, naming the files, what happened.
    pub fn open(path: &Path) -> (Store, Vec<String>) {
        let mut store = Store { path: path.to_path_buf(), papers: BTreeMap::new(), read_only: None, unsaved: false };
        let mut notices = Vec::new();
        let shown = path.display();
        match fs::read(path) {
            Ok(bytes) => match serde_json::from_slice::<StateFile>(&bytes) {
                Ok(file) if file.version > VERSION => {
                    let why = format!(
                        "{shown} was written by a newer papers (format {}, this one reads {VERSION}); running read-only, changes will not be saved",
                        file.version
                    );
                    notices.push(why.clone());
                    store.papers = file.papers;
                    store.read_only = Some(why);
                }
                Ok(file) => store.papers = file.papers,
                Err(error) => {
                    let aside = aside_path(path);
                    match fs::rename(path, &aside) {
                        Ok(()) => notices.push(format!(
                            "{shown} is damaged ({error}); moved it to {} and started with no stars or read marks",
                            aside.display()
                        )),
                        Err(rename_error) => {
                            let why = format!(
                                "{shown} is damaged ({error}) and could not be moved aside ({rename_error}); running read-only"
                            );
                            notices.push(why.clone());
                            store.read_only = Some(why);
                        }
                    }
                }
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            // Nothing there to lose: saving will be tried, and will say why it fails, on every change.
            Err(error)
                if matches!(error.kind(), std::io::ErrorKind::IsADirectory | std::io::ErrorKind::NotADirectory) =>
            {
                notices.push(format!("cannot use {shown} as the state file ({error}); give another with --state FILE"));
            }
            Err(error) => {
                let why = format!("cannot read {shown} ({error}); running read-only, changes will not be saved");
                notices.push(why.clone());
                store.read_only = Some(why);
            }
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

    pub fn marks(&self, key: &PaperKey) -> Option<&Marks> {
        self.papers.get(key)
    }

    pub fn is_starred(&self, key: &PaperKey) -> bool {
        self.papers.get(key).is_some_and(|m| m.starred)
    }

    pub fn is_read(&self, key: &PaperKey) -> bool {
        self.papers.get(key).is_some_and(|m| m.read)
    }

    /// Changes the marks of one paper and saves. The change stays in memory even when saving fails.
    pub fn update(&mut self, key: &PaperKey, title: &str, change: impl FnOnce(&mut Marks)) -> Result<(), String> {
        let marks = self.papers.entry(key.clone()).or_default();
        let before = (marks.starred, marks.read);
        change(marks);
        if (marks.starred, marks.read) == before {
            return Ok(());
        }
        marks.changed = now_millis();
        marks.title = Some(title.to_string());
        self.unsaved = true;
        self.save()
    }

    /// Writes the state file atomically. Does nothing when read-only (and says why).
    pub fn save(&mut self) -> Result<(), String> {
        if let Some(why) = &self.read_only {
            return Err(why.clone());
        }
        let file = StateFile { version: VERSION, papers: self.papers.clone() };
        let mut json = serde_json::to_vec_pretty(&file).map_err(|e| e.to_string())?;
        json.push(b'\n');
        write_atomically(&self.path, &json).map_err(|e| format!("cannot write {}: {e}", self.path.display()))?;
        self.unsaved = false;
        Ok(())
    }
}

/// Replaces `path` with `bytes` so that a reader (or a crash) sees either the old file or the new one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        // Make the rename itself durable.
        fs::File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Where a damaged state file is moved: beside it, with the time in the name so none is ever overwritten.
fn aside_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut stamp = now_millis();
    loop {
        let aside = path.with_file_name(format!("{name}.damaged-{stamp}"));
        if !aside.exists() {
            return aside;
        }
        stamp += 1;
    }
}

fn now_millis() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

#[cfg(test)]
mod tests;
