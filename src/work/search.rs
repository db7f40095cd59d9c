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
    /// Read a few more chunks of these titles' abstracts for `abstract:` filters (see `Kept::read_pairs`).
    ReadPairs(Titles),
    /// Read these titles' abstracts, a few chunks at a time, when no search waits (papers arrived).
    Read(Titles),
}

/// What the search thread does when no search waits: titles to keep (sent with a key typed, they are
/// read once its search is done, not dropped), then the abstracts of the titles kept last, a few chunks
/// at a time, so that a key typed meanwhile waits for a few chunks at most.
#[derive(Default)]
struct Idle {
    waiting: Option<Titles>,
    reading: Option<Titles>,
}

/// What the search thread does next: the newest search of those sent, or when none waits, what `idle`
/// holds. `None` once the UI thread is gone.
fn next_work(inbox: &mpsc::Receiver<Work>, idle: &mut Idle) -> Option<Work> {
    loop {
        let first = match inbox.try_recv() {
            Ok(work) => work,
            Err(mpsc::TryRecvError::Disconnected) => return None,
            Err(mpsc::TryRecvError::Empty) => match (idle.waiting.take(), idle.reading.take()) {
                (Some(titles), reading) => {
                    idle.reading = reading;
                    return Some(Work::Keep(titles));
                }
                (None, Some(titles)) => return Some(Work::ReadPairs(titles)),
                (None, None) => inbox.recv().ok()?,
            },
        };
        let mut search = None;
        for work in std::iter::once(first).chain(inbox.try_iter()) {
            match work {
                Work::Search(job, cancel) => search = Some(Work::Search(job, cancel)),
                Work::Keep(titles) | Work::ReadPairs(titles) => idle.waiting = Some(titles),
                Work::Read(titles) => idle.reading = Some(titles),
            }
        }
        if let Some(next) = search.or_else(|| idle.waiting.take().map(Work::Keep)) {
            return Some(next);
        }
        // Only abstracts to read came: read them, unless more came meanwhile.
    }
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
            let mut idle = Idle::default();
            while let Some(next) = next_work(&inbox, &mut idle) {
                let (job, cancel) = match next {
                    Work::Keep(titles) => {
                        kept.keep_up(&titles);
                        idle.reading = Some(titles);
                        continue;
                    }
                    Work::ReadPairs(titles) => {
                        if !kept.read_pairs(&titles) {
                            idle.reading = Some(titles);
                        }
                        continue;
                    }
                    // Taken by `next_work` into `idle`: never returned.
                    Work::Read(titles) => {
                        idle.reading = Some(titles);
                        continue;
                    }
                    Work::Search(job, cancel) => (job, cancel),
                };
                if cancel.load(Ordering::Relaxed) {
                    continue;
                }
                // The results are shown with the first of them exact; the rest of the first thousand are
                // made exact after, unless a newer search comes first.
                if let Some(ranked) = job.run_shown(&cancel, &mut kept) {
                    let head = kept.unrefined(&ranked);
                    let refining = head.is_some();
                    if outbox.send(Msg::Searched { id: job.id, ranked, refining }).is_err() {
                        return;
                    }
                    wake();
                    let Some(head) = head else { continue };
                    let refined = job.refine(&cancel, &kept, head);
                    // A cancelled refining tells nothing: the search that cancelled it replaces it.
                    if cancel.load(Ordering::Relaxed) {
                        continue;
                    }
                    let changed = refined.is_some();
                    if outbox.send(Msg::Refined { id: job.id, head: refined }).is_err() {
                        return;
                    }
                    if changed {
                        wake();
                    }
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
            Ok(()) | Err(mpsc::SendError(Work::Keep(_) | Work::ReadPairs(_) | Work::Read(_))) => Ok(()),
        }
    }

    /// Asks the thread to read `titles` for one-letter queries once it has no search to run.
    pub fn keep(&mut self, titles: Titles) {
        // A thread that is gone has no letters to keep.
        let _ = self.jobs.send(Work::Keep(titles));
    }

    /// Asks the thread to read `titles`' abstracts for `abstract:` filters once it has no search to run.
    pub fn read_abstracts(&mut self, titles: Titles) {
        let _ = self.jobs.send(Work::Read(titles));
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
        let Ok(Msg::Searched { id, ranked, .. }) = inbox.recv_timeout(Duration::from_secs(60)) else {
            panic!("no answer")
        };
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
    fn results_are_sent_with_their_first_exact_then_refined_further_down() {
        let digest = crate::digest::load(&crate::digest::Source::BuiltIn).unwrap();
        let base: Vec<String> = digest.papers().map(|p| p.title().to_string()).collect();
        let lib =
            Library::from_papers((0..3_000).map(|i| (format!("{} {}", base[i % base.len()], i / base.len()), "")));
        let (outbox, inbox) = mpsc::channel();
        let mut searcher = Searcher::start(outbox, Arc::new(|| {})).unwrap();
        let (never, marks) = (AtomicBool::new(false), MarkSet::default());
        let mut refined = 0;
        for (id, text) in [(1, "les"), (2, "res"), (3, "a n")] {
            let job = Job {
                id,
                query: Query::new(text),
                titles: lib.titles().clone(),
                within: Within::From(0),
                filter: Filter::All,
                marks: Arc::new(MarkSet::default()),
            };
            searcher.submit(job).unwrap();
            let first =
                Query::new(text).rank_first(lib.titles(), &Within::From(0), Filter::All, &marks, &never).unwrap();
            let top = crate::search::EXACT_TOP.min(first.order.len());
            let answer = inbox.recv_timeout(Duration::from_secs(60));
            let Ok(Msg::Searched { id: got, ranked, refining }) = answer else { panic!("no answer") };
            assert_eq!(got, id);
            let shown = crate::search::EXACT_SHOWN;
            assert_eq!(ranked.order[..shown], first.order[..shown], "{text}: the first shown");
            if !refining {
                assert_eq!(ranked.order[..top], first.order[..top], "{text}");
                continue;
            }
            let answer = inbox.recv_timeout(Duration::from_secs(60));
            let Ok(Msg::Refined { id: got, head: Some(head) }) = answer else { panic!("not refined") };
            assert_eq!(got, id);
            assert_eq!(head.order[..top], first.order[..top], "{text}: the first refined");
            refined += usize::from(ranked.order[..top] != first.order[..top]);
        }
        // Some were shown with bounds among their first thousand.
        assert!(refined > 0);
    }

    #[test]
    fn titles_sent_with_a_key_typed_are_read_once_its_search_is_done() {
        let lib = Library::from_papers((0..10).map(|n| (format!("Paper {n}"), "")));
        let job = |id| Job {
            id,
            query: Query::new("p"),
            titles: lib.titles().clone(),
            within: Within::From(0),
            filter: Filter::All,
            marks: Arc::new(MarkSet::default()),
        };
        let (jobs, inbox) = mpsc::channel();
        let mut idle = Idle::default();
        let flag = || Arc::new(AtomicBool::new(false));
        // Titles, then a key: the search first, then the titles.
        jobs.send(Work::Keep(lib.titles().clone())).unwrap();
        jobs.send(Work::Search(job(1), flag())).unwrap();
        assert!(matches!(next_work(&inbox, &mut idle), Some(Work::Search(j, _)) if j.id == 1));
        assert!(idle.waiting.is_some(), "the titles wait for the search");
        // A key typed meanwhile comes before them still; the newest of two keys only.
        jobs.send(Work::Search(job(2), flag())).unwrap();
        jobs.send(Work::Search(job(3), flag())).unwrap();
        assert!(matches!(next_work(&inbox, &mut idle), Some(Work::Search(j, _)) if j.id == 3));
        assert!(idle.waiting.is_some(), "the titles wait still");
        assert!(matches!(next_work(&inbox, &mut idle), Some(Work::Keep(_))));
        // Titles alone are read at once; nothing is left waiting.
        jobs.send(Work::Keep(lib.titles().clone())).unwrap();
        assert!(matches!(next_work(&inbox, &mut idle), Some(Work::Keep(_))));
        assert!(idle.waiting.is_none());
        // Abstracts to read come after a key typed, and after titles to keep.
        idle.reading = Some(lib.titles().clone());
        jobs.send(Work::Search(job(4), flag())).unwrap();
        assert!(matches!(next_work(&inbox, &mut idle), Some(Work::Search(j, _)) if j.id == 4));
        jobs.send(Work::Keep(lib.titles().clone())).unwrap();
        assert!(matches!(next_work(&inbox, &mut idle), Some(Work::Keep(_))));
        assert!(matches!(next_work(&inbox, &mut idle), Some(Work::ReadPairs(_))));
        assert!(idle.reading.is_none(), "read until the thread puts them back");
        // Papers that arrived: their abstracts are read when nothing else waits.
        jobs.send(Work::Read(lib.titles().clone())).unwrap();
        assert!(matches!(next_work(&inbox, &mut idle), Some(Work::ReadPairs(_))));
        drop(jobs);
        assert!(next_work(&inbox, &mut idle).is_none(), "the UI thread gone");
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
        let Ok(Msg::Searched { id, ranked, .. }) = inbox.recv_timeout(Duration::from_secs(60)) else {
            panic!("no answer")
        };
        assert_eq!(id, 9, "a cancelled search answered");
        assert_eq!(ranked.order.first(), Some(&299_999));
        // Nothing else comes: the cancelled searches never answer.
        assert!(inbox.recv_timeout(Duration::from_millis(200)).is_err());
        assert_eq!(woken.load(Ordering::Relaxed), 1);
    }
}
