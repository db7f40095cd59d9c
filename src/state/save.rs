//! Saving: the file rewritten whole (atomically, the old one kept as the backup), or, for a large file,
//! the changes appended to the journal beside it; and reading what other readers saved meanwhile.

use std::io;

use super::disk::{self, Judged, Lock};
use super::journal::{self, Saved};
use super::{Entries, Store, ledger, stamp};
use crate::sanitize::quote_path;

impl Store {
    /// Saves: under the lock, merges what another reader saved since, then replaces the file atomically
    /// (or appends to the journal, see `journal`). Does nothing when read-only (and says why). On failure
    /// the marks stay in memory, still unsaved.
    pub fn save(&mut self) -> Result<(), String> {
        self.save_merging().map(drop)
    }

    /// `save`, returning what another reader had saved meanwhile that changed marks here.
    pub fn save_merging(&mut self) -> Result<Entries, String> {
        if let Some(why) = &self.read_only {
            return Err(why.clone());
        }
        let started = std::time::Instant::now();
        let saved = self.save_under_lock();
        let (shown, ms) = (quote_path(&self.path), started.elapsed().as_secs_f64() * 1000.0);
        match &saved {
            Ok(_) => log::debug!("saved {shown} in {ms:.1} ms: ok"),
            Err(why) => log::warn!("saved {shown} in {ms:.1} ms: failed: {why}"),
        }
        saved
    }

    fn save_under_lock(&mut self) -> Result<Entries, String> {
        let shown = quote_path(&self.path);
        let cannot = |error: io::Error| format!("cannot write {shown}: {error}");
        let lock = disk::lock(&self.path, self.lock_timeout, true).map_err(cannot)?;
        let journal = journal::path_of(&self.path);
        let now = stamp(&self.path);
        let size = now.map_or(0, |(_, len, _)| len);
        let mut theirs = Entries::new();
        // A large file this store read or wrote, unchanged since: only the journal's new lines need reading.
        let tail = match now.is_some() && now == self.seen && size >= self.journal_from {
            true => journal::read(&journal, self.journal_end).map_err(cannot)?,
            false => None,
        };
        let file_good = match tail {
            Some((saved, end)) => {
                theirs = self.ledger.merge(saved);
                self.journal_end = end;
                true
            }
            None => {
                let good = self.read_file(&lock, &mut theirs)?;
                let (saved, end) = journal::read(&journal, 0).map_err(cannot)?.unwrap_or_default();
                theirs.extend(self.ledger.merge(saved));
                self.journal_end = end;
                good
            }
        };
        let append = file_good && !self.rewrite && size >= self.journal_from;
        if append && self.journal_end < self.fold_at.max(size / 8) {
            let saved: Saved =
                self.dirty.iter().filter_map(|key| Some((key.clone(), self.ledger.get(key)?.clone()))).collect();
            if !saved.is_empty() {
                self.journal_end = journal::append(&journal, self.journal_end, &saved, &lock).map_err(cannot)?;
            }
        } else {
            self.rewrite_file(file_good, &lock).map_err(cannot)?;
            // The file holds all the journal held: it can go (a crash before that only has it read again).
            if journal::remove(&journal, &lock).is_ok() {
                self.journal_end = 0;
            }
            self.rewrite = false;
        }
        self.dirty.clear();
        self.unsaved = false;
        self.seen = stamp(&self.path);
        Ok(theirs)
    }

    /// Reads the file itself under the lock and merges it, adding what changed here to `theirs`. True when
    /// it was a good one (then it is kept as the backup when replaced); a damaged one is kept aside.
    fn read_file(&mut self, _lock: &Lock, theirs: &mut Entries) -> Result<bool, String> {
        let shown = quote_path(&self.path);
        let cannot = |error: io::Error| format!("cannot write {shown}: {error}");
        match disk::read(&self.path) {
            Judged::Missing => Ok(false),
            Judged::Good(papers) => {
                theirs.extend(self.ledger.merge(papers));
                Ok(true)
            }
            Judged::Newer(version, _) => Err(self.taken_over(version)),
            Judged::Damaged(reason) => {
                let aside_path = disk::keep_aside(&self.path, ledger::now_millis()).map_err(cannot)?;
                let aside = quote_path(&aside_path);
                // As on opening one: what another papers or a hand left readable in it is said, with how
                // to bring it back (a star made elsewhere beside one bad value).
                let back = disk::readable_in(&self.path, &aside_path);
                self.notices.push(format!(
                    "{shown} was damaged ({reason}); kept it as {aside} and saved the marks this reader holds{back}"
                ));
                Ok(false)
            }
            Judged::Unreadable(error) => Err(cannot(error)),
        }
    }

    /// Writes the file whole, keeping the one there as the backup when it is a good one.
    fn rewrite_file(&mut self, keep_backup: bool, lock: &Lock) -> io::Result<()> {
        let backup_failed = disk::replace(&self.path, &disk::encode(self.ledger.papers()), keep_backup, lock)?;
        if let Some(error) = backup_failed.filter(|_| !self.backup_told) {
            // The backup is a second copy: without it the marks are still saved, so saving goes on.
            self.backup_told = true;
            let shown = quote_path(&self.path);
            self.notices.push(format!("{error}; the marks are saved in {shown}, without a backup"));
        }
        Ok(())
    }

    /// Picks up what another papers process saved since this one last read or wrote the file; returns the
    /// entries whose marks changed here. Cheap when nothing changed: it looks at the files' metadata only.
    pub fn reload(&mut self) -> Entries {
        let now = stamp(&self.path);
        let journal = journal::path_of(&self.path);
        if now.is_none() {
            return Entries::new();
        }
        if now == self.seen {
            if journal::len(&journal) == self.journal_end {
                return Entries::new();
            }
            match journal::read(&journal, self.journal_end) {
                Ok(Some((saved, end))) => {
                    self.journal_end = end;
                    return self.ledger.merge(saved);
                }
                // Folded into the file since: read both again.
                Ok(None) => {}
                Err(_) => return Entries::new(),
            }
        }
        self.seen = now;
        match disk::read(&self.path) {
            Judged::Good(theirs) => {
                let mut changed = self.ledger.merge(theirs);
                if let Ok(Some((saved, end))) = journal::read(&journal, 0) {
                    changed.extend(self.ledger.merge(saved));
                    self.journal_end = end;
                }
                changed
            }
            Judged::Newer(version, _) if self.read_only.is_none() => {
                self.taken_over(version);
                Entries::new()
            }
            // A damaged or vanished file is dealt with (and reported) by the next save.
            _ => Entries::new(),
        }
    }

    /// A newer papers wrote the file: from now on nothing is saved. Returns why, which the user is told.
    pub(super) fn taken_over(&mut self, version: u32) -> String {
        let why = format!(
            "{} was replaced by a newer papers (format {version}); running read-only, changes will not be saved",
            quote_path(&self.path)
        );
        self.newer = Some(version);
        self.notices.push(why.clone());
        self.read_only = Some(why.clone());
        why
    }
}
