//! The search thread: takes jobs, runs the newest, and cancels the one in flight when a newer one comes, so
//! that typing never waits for a search of a large library.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use super::Wake;
use crate::app::Msg;
use crate::library::Titles;
use crate::search::{Job, Kept};

/// What the search thread is asked to do.
enum Work {
    /// Rank this job, unless its flag says it was cancelled.
    Search(Job, Arc<AtomicBool>),
    /// Read these titles for one-letter queries, when no search waits.
    Keep(Titles),
}

/// The UI thread's side of the search thread.
pub struct Searcher {
    jobs: mpsc::Sender<Work>,
    /// The cancel flag of the job sent last, until the next.
    in_flight: Option<Arc<AtomicBool>>,
}

impl Searcher {
    /// Starts the thread; each ranking finished goes to `outbox` as `Msg::Searched`, then `wake` is called.
    /// A cancelled job sends nothing.
    pub fn start(outbox: mpsc::Sender<Msg>, wake: Wake) -> std::io::Result<Self> {
        let (jobs, inbox) = mpsc::channel::<Work>();
        std::thread::Builder::new().name("search".into()).spawn(move || {
            // What a first key and a key typed on read, kept from one search to the next.
            let mut kept = Kept::default();
            while let Ok(first) = inbox.recv() {
                // Only the newest job matters, and titles to read only when no job waits.
                let (mut next, mut keep) = (None, None);
                for work in std::iter::once(first).chain(inbox.try_iter()) {
                    match work {
                        Work::Search(job, cancel) => next = Some((job, cancel)),
                        Work::Keep(titles) => keep = Some(titles),
                    }
                }
                let Some((job, cancel)) = next else {
                    if let Some(titles) = keep {
                        kept.keep_up(&titles);
                    }
                    continue;
                };
                if cancel.load(Ordering::Relaxed) {
                    continue;
                }
                if let Some(ranked) = job.run_kept(&cancel, &mut kept) {
                    if outbox.send(Msg::Searched { id: job.id, ranked }).is_err() {
                        return;
                    }
                    wake();
                }
            }
        })?;
        Ok(Searcher { jobs, in_flight: None })
    }

    /// Starts `job`, cancelling the search in flight. When the thread is gone (it panicked), the job comes
    /// back, to be run where the caller is.
    pub fn submit(&mut self, job: Job) -> Result<(), Box<Job>> {
        self.cancel();
        let cancel = Arc::new(AtomicBool::new(false));
        self.in_flight = Some(Arc::clone(&cancel));
        match self.jobs.send(Work::Search(job, cancel)) {
            Err(mpsc::SendError(Work::Search(job, _))) => Err(Box::new(job)),
            // What went is the job: nothing else can come back.
            Ok(()) | Err(mpsc::SendError(Work::Keep(_))) => Ok(()),
        }
    }

    /// Asks the thread to read `titles` for one-letter queries once it has no search to run.
    pub fn keep(&mut self, titles: Titles) {
        // A thread that is gone has no letters to keep.
        let _ = self.jobs.send(Work::Keep(titles));
    }

    pub fn cancel(&mut self) {
        if let Some(cancel) = self.in_flight.take() {
            cancel.store(true, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::library::Library;
    use crate::search::{Query, Within};
    use crate::state::{Filter, MarkSet};

    #[test]
    fn titles_kept_while_idle_serve_the_next_one_letter_query() {
        let lib = Library::from_papers((0..2_000).map(|n| (format!("Paper {n} on graph learning"), "")));
        let (outbox, inbox) = mpsc::channel();
        let mut searcher = Searcher::start(outbox, Arc::new(|| {})).unwrap();
        searcher.keep(lib.titles().clone());
        let job = Job {
            id: 1,
            query: Query::new("g"),
            titles: lib.titles().clone(),
            within: Within::From(0),
            filter: Filter::All,
            marks: Arc::new(MarkSet::default()),
        };
        searcher.submit(job).unwrap();
        let Ok(Msg::Searched { id, ranked }) = inbox.recv_timeout(Duration::from_secs(60)) else { panic!("no answer") };
        // The same ranking as from the titles themselves, whether the letters were read before or not.
        let exact = Query::new("g").rank(
            lib.titles(),
            &Within::From(0),
            Filter::All,
            &MarkSet::default(),
            &AtomicBool::new(false),
        );
        assert_eq!(id, 1);
        assert_eq!(ranked.order, exact.expect("not cancelled").order);
    }

    #[test]
    fn the_search_thread_answers_the_newest_job_and_never_a_cancelled_one() {
        // Large enough that the first search is still running when the next one cancels it.
        let lib = Library::from_papers((0..300_000).map(|n| (format!("Paper {n} on sparse graph learning"), "")));
        let (outbox, inbox) = mpsc::channel();
        let woken = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = Arc::clone(&woken);
        let mut searcher = Searcher::start(
            outbox,
            Arc::new(move || {
                counter.fetch_add(1, Ordering::Relaxed);
            }),
        )
        .unwrap();
        let job = |id, text: &str| Job {
            id,
            query: Query::new(text),
            titles: lib.titles().clone(),
            within: Within::From(0),
            filter: Filter::All,
            marks: Arc::new(MarkSet::default()),
        };
        for (id, text) in ["e", "g", "gr", "gra"].into_iter().enumerate() {
            searcher.submit(job(id as u64, text)).unwrap();
        }
        searcher.submit(job(9, "graph 299999")).unwrap();
        let Ok(Msg::Searched { id, ranked }) = inbox.recv_timeout(Duration::from_secs(60)) else { panic!("no answer") };
        assert_eq!(id, 9, "a cancelled search answered");
        assert_eq!(ranked.order.first(), Some(&299_999));
        // Nothing else comes: the cancelled searches never answer.
        assert!(inbox.recv_timeout(Duration::from_millis(200)).is_err());
        assert_eq!(woken.load(Ordering::Relaxed), 1);
    }
}
