//! The disk thread: saves the marks (taking the lock, merging, writing, syncing), looks for marks another
//! reader saved, and writes exports, so that the keyboard never waits on a disk or on another reader.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use super::Wake;
use crate::app::{DiskNews, Msg};
use crate::export::{Entry, Format};
use crate::state::{Entries, Store};

/// Why nothing more can be saved when the disk thread is gone: it stops only by panicking.
pub const GONE: &str = "the thread saving the marks stopped (a bug in papers)";

/// What the disk thread is asked to do, in order.
pub enum Job {
    Save(Entries),
    Reload,
    Export {
        dir: PathBuf,
        format: Format,
        entries: Vec<Entry>,
    },
    /// Save what is not saved yet, answer on the channel, and end.
    Finish(mpsc::Sender<Result<(), String>>),
}

/// The UI thread's side of the disk thread.
pub struct Disk {
    jobs: mpsc::Sender<Job>,
}

impl Disk {
    /// Starts the thread, which keeps `store` from now on; answers go to `outbox`, then `wake` is called.
    pub fn start(mut store: Store, outbox: mpsc::Sender<Msg>, wake: Wake) -> std::io::Result<Self> {
        let (jobs, inbox) = mpsc::channel::<Job>();
        std::thread::Builder::new().name("disk".into()).spawn(move || {
            let mut read_only_told = store.read_only().is_some();
            let mut next = inbox.recv().ok();
            while let Some(job) = next.take() {
                let answer = match job {
                    Job::Save(changes) => {
                        // Changes made while the last save waited (for the lock, say) go in one save.
                        let mut batch = vec![changes];
                        loop {
                            match inbox.try_recv() {
                                Ok(Job::Save(more)) => batch.push(more),
                                Ok(other) => {
                                    next = Some(other);
                                    break;
                                }
                                Err(_) => break,
                            }
                        }
                        Some(save(&mut store, batch, &mut read_only_told))
                    }
                    Job::Reload => {
                        // Looks queued while the last one waited (for a lock, say) are one look.
                        loop {
                            match inbox.try_recv() {
                                Ok(Job::Reload) => {}
                                Ok(other) => {
                                    next = Some(other);
                                    break;
                                }
                                Err(_) => break,
                            }
                        }
                        reload(&mut store, &mut read_only_told)
                    }
                    Job::Export { dir, format, entries } => Some(Msg::Exported(export(&dir, format, &entries))),
                    Job::Finish(reply) => {
                        let saved = if store.has_unsaved_changes() { store.save() } else { Ok(()) };
                        let _ = reply.send(saved);
                        return;
                    }
                };
                if let Some(answer) = answer {
                    if outbox.send(answer).is_err() {
                        return;
                    }
                    wake();
                }
                if next.is_none() {
                    next = inbox.recv().ok();
                }
            }
        })?;
        Ok(Disk { jobs })
    }

    /// Hands the thread a job; gives it back when the thread is gone (it panicked), which cannot save.
    pub fn send(&self, job: Job) -> Result<(), Job> {
        self.jobs.send(job).map_err(|mpsc::SendError(job)| job)
    }

    /// Saves what is not saved yet, after every job sent before, and ends the thread; waits at most
    /// `timeout` for it (a lock held by another reader is given up after two seconds).
    pub fn finish(self, timeout: Duration) -> Result<(), String> {
        let (reply, answer) = mpsc::channel();
        if self.send(Job::Finish(reply)).is_err() {
            return Err(GONE.to_string());
        }
        match answer.recv_timeout(timeout) {
            Ok(saved) => saved,
            Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("the disk did not answer within {timeout:?}")),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(GONE.to_string()),
        }
    }
}

/// Takes `batch` (one or more saves' changes) into `store` and saves; what to tell the model.
pub fn save(store: &mut Store, batch: Vec<Entries>, read_only_told: &mut bool) -> Msg {
    let answers = batch.len() as u64;
    for changes in batch {
        store.absorb(changes);
    }
    let (saved, theirs) = match store.has_unsaved_changes() {
        true => match store.save_merging() {
            Ok(theirs) => (Ok(()), theirs),
            Err(why) => (Err(why), Entries::new()),
        },
        false => (Ok(()), Entries::new()),
    };
    Msg::Disk(told(store, DiskNews { answers, saved: Some(saved), theirs, ..DiskNews::default() }, read_only_told))
}

/// Tries again a save that failed, and looks for marks another reader saved (a save that goes through
/// has merged them already); news for the model only when there is some.
pub fn reload(store: &mut Store, read_only_told: &mut bool) -> Option<Msg> {
    let mut saved = None;
    if store.has_unsaved_changes() && store.read_only().is_none() {
        match store.save_merging() {
            Ok(theirs) => {
                let news = DiskNews { saved: Some(Ok(())), theirs, ..DiskNews::default() };
                return Some(Msg::Disk(told(store, news, read_only_told)));
            }
            Err(why) => saved = Some(Err(why)),
        }
    }
    let theirs = store.reload();
    let news = told(store, DiskNews { saved, theirs, ..DiskNews::default() }, read_only_told);
    let quiet = news.saved.is_none() && news.theirs.is_empty() && news.notices.is_empty() && news.read_only.is_none();
    (!quiet).then_some(Msg::Disk(news))
}

/// `news` with what the store has to tell besides: its notices, and why it went read-only if it just did.
fn told(store: &mut Store, mut news: DiskNews, read_only_told: &mut bool) -> DiskNews {
    news.notices = store.take_notices();
    news.read_only = newly_read_only(store, read_only_told);
    news
}

/// Why the store went read-only, the first time it is asked after it did.
fn newly_read_only(store: &Store, told: &mut bool) -> Option<String> {
    let why = store.read_only().filter(|_| !*told)?.to_string();
    *told = true;
    Some(why)
}

/// Writes an export file; its path and how many papers, or why not.
pub fn export(dir: &Path, format: Format, entries: &[Entry]) -> Result<(PathBuf, usize), String> {
    crate::outward::write_new_file(dir, &format, entries).map(|path| (path, entries.len()))
}
