//! The index thread: keeps the full-text index up to date with the library as papers arrive, and answers
//! text searches and similar papers between the parts of a batch, so that neither waits long for the
//! other.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::Wake;
use crate::app::{IndexNews, Msg};
use crate::index::{Batch, Index, OwnedDoc, TextQuery};

/// What the index thread is asked.
pub enum Job {
    Take(Batch),
    Search { id: u64, query: TextQuery, limit: usize },
    Similar { id: u64, doc: OwnedDoc, limit: usize },
}

/// What is added is made searchable at least this often while a long batch is taken in (a commit writes
/// a segment: more often would leave many small ones to merge).
const COMMIT_EVERY: Duration = Duration::from_secs(3);

/// How often the thread tries again for the writer another process holds.
const RETRY_WRITER: Duration = Duration::from_secs(2);

/// How often progress is sent while a batch is taken in.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

/// The UI thread's side of the index thread.
pub struct Indexer {
    jobs: mpsc::Sender<Job>,
}

impl Indexer {
    /// Starts the thread on the index in `dir` (opened there, not here: the first frame does not wait for
    /// it); it answers with `Msg::Index`.
    pub fn start(dir: PathBuf, outbox: mpsc::Sender<Msg>, wake: Wake) -> std::io::Result<Self> {
        let (jobs, inbox) = mpsc::channel();
        std::thread::Builder::new().name("index".into()).spawn(move || {
            let send = |news: IndexNews| {
                let sent = outbox.send(Msg::Index(news)).is_ok();
                wake();
                sent
            };
            let _finished = Finished { outbox: outbox.clone(), wake: std::sync::Arc::clone(&wake) };
            match Index::open(&dir) {
                Ok((index, message)) => {
                    if send(IndexNews::Opened(message)) {
                        run(index, &inbox, &send);
                    }
                }
                Err(why) => {
                    let _ = send(IndexNews::Off(why));
                }
            }
        })?;
        Ok(Indexer { jobs })
    }

    /// Hands `job` to the thread; gives it back when the thread is gone.
    pub fn send(&self, job: Job) -> Result<(), Job> {
        self.jobs.send(job).map_err(|mpsc::SendError(job)| job)
    }
}

/// Answers a search or a similar-papers job with `index`.
pub fn answer(index: &mut Index, job: Job) -> Option<IndexNews> {
    match job {
        Job::Take(_) => None,
        Job::Search { id, query, limit } => Some(match index.search(&query, limit) {
            Ok(hits) => IndexNews::Found { id, hits },
            Err(why) => failed(why),
        }),
        Job::Similar { id, doc, limit } => Some(match index.similar(&doc.doc(), limit) {
            Ok(hits) => IndexNews::Similar { id, hits },
            Err(why) => failed(why),
        }),
    }
}

/// A search that failed: an index found damaged is not searched (nor written) again this session.
fn failed(why: String) -> IndexNews {
    if why.starts_with(crate::index::DAMAGED) {
        IndexNews::Off(format!("{why}; title search goes on"))
    } else {
        IndexNews::Failed(why)
    }
}

/// The thread's loop: the newest search and the newest similar-papers job first, then the next part of
/// the batches, committing now and then; waiting when there is nothing to do.
fn run(mut index: Index, inbox: &mpsc::Receiver<Job>, send: &dyn Fn(IndexNews) -> bool) {
    let mut parts: VecDeque<Batch> = VecDeque::new();
    let (mut search, mut similar) = (None, None);
    let (mut sent, mut taken) = (0usize, 0usize);
    let mut last_commit = Instant::now();
    let mut last_progress = Instant::now();
    // Set while papers wait for the writer another process holds, or after writing failed for good.
    let mut waiting: Option<Instant> = None;
    let mut stopped = false;
    loop {
        let idle = search.is_none() && similar.is_none() && (parts.is_empty() || stopped || waiting.is_some());
        let first = match waiting {
            _ if !idle => inbox.try_recv().map_err(|e| e == mpsc::TryRecvError::Disconnected),
            Some(_) if !stopped => {
                inbox.recv_timeout(RETRY_WRITER).map_err(|e| e == mpsc::RecvTimeoutError::Disconnected)
            }
            _ => inbox.recv().map_err(|_| true),
        };
        let mut next = match first {
            Ok(job) => Some(job),
            Err(true) => return,
            Err(false) => None,
        };
        while let Some(job) = next.take().or_else(|| inbox.try_recv().ok()) {
            match job {
                Job::Take(batch) => {
                    sent += batch.len();
                    parts.extend(batch.split());
                }
                job @ Job::Search { .. } => search = Some(job),
                job @ Job::Similar { .. } => similar = Some(job),
            }
        }
        if let Some(job) = search.take().or_else(|| similar.take()) {
            // Only in debug builds, for the end-to-end test of a worker's panic.
            #[cfg(debug_assertions)]
            if std::env::var("PAPERS_FAULT").as_deref() == Ok("index-panic") {
                panic!("a panic of the index thread asked for with PAPERS_FAULT");
            }
            if let Some(news) = answer(&mut index, job) {
                let off = matches!(news, IndexNews::Off(_));
                if !send(news) || off {
                    return;
                }
            }
            continue;
        }
        if stopped {
            continue;
        }
        if let Some(since) = waiting {
            if since.elapsed() < RETRY_WRITER {
                continue;
            }
            if index.take_writer().is_ok() {
                waiting = None;
            } else {
                // Still held: what the other process committed meanwhile is searchable here too, once
                // the waiting part is checked against it again (below).
                let _ = index.refresh();
            }
        }
        let Some(part) = parts.front() else { continue };
        match index.take(part) {
            Ok(_) => {
                taken += part.len();
                parts.pop_front();
            }
            Err(_) if !index.writable() => {
                // Another papers holds the writer: the papers checked so far are searchable; the rest
                // waits for it (this part is checked again then, which costs little).
                waiting = Some(Instant::now());
                if !send(IndexNews::Progress { taken, sent, searchable: index.live() }) {
                    return;
                }
                continue;
            }
            Err(why) => {
                stopped = true;
                if !send(IndexNews::Failed(why)) {
                    return;
                }
                continue;
            }
        }
        let done = parts.is_empty();
        if index.uncommitted() > 0 && (done || last_commit.elapsed() >= COMMIT_EVERY) {
            last_commit = Instant::now();
            if let Err(why) = index.commit() {
                stopped = true;
                if !send(IndexNews::Failed(why)) {
                    return;
                }
            }
        }
        if done || last_progress.elapsed() >= PROGRESS_EVERY {
            last_progress = Instant::now();
            let progress = IndexNews::Progress { taken, sent, searchable: index.live() };
            if !send(progress) {
                return;
            }
        }
    }
}

/// Says when the thread ends early (a bug in papers, or in tantivy), so that the reader stops waiting for
/// the index.
struct Finished {
    outbox: mpsc::Sender<Msg>,
    wake: Wake,
}

impl Drop for Finished {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let why = "the full-text index stopped (a bug in papers); title search goes on".to_string();
            let _ = self.outbox.send(Msg::Index(IndexNews::Off(why)));
            (self.wake)();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::key_of;
    use crate::library::Library;

    fn library() -> Library {
        Library::from_papers([
            ("A Survey of Mamba", "State space models as an alternative to attention."),
            ("Mamba YOLO", "Selective state space models for object detection."),
            ("Gardens", "Nothing about models at all."),
        ])
    }

    /// Takes the thread's answers until `done` says one is the awaited one.
    fn until(inbox: &mpsc::Receiver<Msg>, mut done: impl FnMut(&IndexNews) -> bool) -> Vec<IndexNews> {
        let mut seen = Vec::new();
        while let Ok(Msg::Index(news)) = inbox.recv_timeout(Duration::from_secs(60)) {
            let finished = done(&news);
            seen.push(news);
            if finished {
                return seen;
            }
        }
        panic!("no such answer; got {seen:?}");
    }

    #[test]
    fn the_thread_indexes_what_it_is_sent_and_answers_between() {
        let dir = tempfile::tempdir().unwrap();
        let library = library();
        let (outbox, inbox) = mpsc::channel();
        let indexer = Indexer::start(dir.path().to_path_buf(), outbox, std::sync::Arc::new(|| {})).unwrap();
        until(&inbox, |news| matches!(news, IndexNews::Opened(None)));
        assert!(indexer.send(Job::Take(Batch { chunks: library.chunks_from(0), merged: Vec::new() })).is_ok());
        until(&inbox, |news| matches!(news, IndexNews::Progress { taken: 3, sent: 3, searchable: 3 }));
        let _ = indexer.send(Job::Search { id: 7, query: TextQuery::new("\"state space\" -yolo"), limit: 10 });
        let news = until(&inbox, |news| matches!(news, IndexNews::Found { .. }));
        let Some(IndexNews::Found { id: 7, hits }) = news.last() else { panic!("{news:?}") };
        assert_eq!(hits.iter().map(|h| h.key).collect::<Vec<_>>(), [key_of(&library.get(0))]);
        let doc = OwnedDoc::of(&library.get(1));
        let _ = indexer.send(Job::Similar { id: 8, doc, limit: 1 });
        let news = until(&inbox, |news| matches!(news, IndexNews::Similar { .. }));
        let Some(IndexNews::Similar { id: 8, hits }) = news.last() else { panic!("{news:?}") };
        assert_eq!(hits.iter().map(|h| h.key).collect::<Vec<_>>(), [key_of(&library.get(0))]);
    }

    #[test]
    fn an_index_found_damaged_while_searching_is_turned_off_for_the_session() {
        let dir = tempfile::tempdir().unwrap();
        let library = library();
        let (outbox, inbox) = mpsc::channel();
        let indexer = Indexer::start(dir.path().to_path_buf(), outbox, std::sync::Arc::new(|| {})).unwrap();
        until(&inbox, |news| matches!(news, IndexNews::Opened(None)));
        assert!(indexer.send(Job::Take(Batch { chunks: library.chunks_from(0), merged: Vec::new() })).is_ok());
        until(&inbox, |news| matches!(news, IndexNews::Progress { taken: 3, sent: 3, searchable: 3 }));
        // Each term dictionary overwritten under the running reader, as a disk's fault would.
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "term") {
                let mut bytes = std::fs::read(&path).unwrap();
                let n = bytes.len().min(256);
                bytes[..n].fill(0xff);
                std::fs::write(&path, bytes).unwrap();
            }
        }
        let _ = indexer.send(Job::Search { id: 7, query: TextQuery::new("mamba"), limit: 10 });
        let news =
            until(&inbox, |news| matches!(news, IndexNews::Off(_) | IndexNews::Found { .. } | IndexNews::Failed(_)));
        let Some(IndexNews::Off(why)) = news.last() else { panic!("{news:?}") };
        assert!(why.starts_with(crate::index::DAMAGED) && why.contains("built again"), "{why}");
        assert!(why.ends_with("title search goes on"), "{why}");
        // The thread has stopped: nothing more is sent to a damaged index.
        std::thread::sleep(Duration::from_millis(50));
        assert!(indexer.send(Job::Search { id: 8, query: TextQuery::new("mamba"), limit: 10 }).is_err());
    }

    #[test]
    fn a_second_reader_waits_for_the_writer_and_indexes_once_it_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let library = library();
        let batch = || Batch { chunks: library.chunks_from(0), merged: Vec::new() };
        let (first_out, first_in) = mpsc::channel();
        let first = Indexer::start(dir.path().to_path_buf(), first_out, std::sync::Arc::new(|| {})).unwrap();
        until(&first_in, |news| matches!(news, IndexNews::Opened(_)));
        let (second_out, second_in) = mpsc::channel();
        let second = Indexer::start(dir.path().to_path_buf(), second_out, std::sync::Arc::new(|| {})).unwrap();
        let opened = until(&second_in, |news| matches!(news, IndexNews::Opened(_)));
        assert!(
            matches!(opened.last(), Some(IndexNews::Opened(Some(m))) if m.contains("another papers")),
            "{opened:?}"
        );
        let _ = second.send(Job::Take(batch()));
        until(&second_in, |news| matches!(news, IndexNews::Progress { taken: 0, sent: 3, .. }));
        // The first reader goes: the second takes the writer on its next try and indexes the papers.
        drop(first);
        drop(first_in);
        until(&second_in, |news| matches!(news, IndexNews::Progress { taken: 3, sent: 3, searchable: 3 }));
    }
}
