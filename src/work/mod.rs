//! The threads that do the model's work while the keyboard stays free: searching, sorting, loading, saving
//! and exporting. `Workers` carries out the `Command`s that `App::update` returns, each on its thread, and
//! hands their answers back as `Msg`s through one inbox; `Inline` does the same work at once, on the
//! calling thread, for tests and tools.

mod disk;
mod fetch;
mod index;
mod inline;
mod load;
mod paper;
mod search;

use std::io::Write;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crate::app::{App, Command, DiskNews, IndexNews, Msg};
use crate::state::Store;

pub use inline::Inline;
pub use load::ToLoad;

/// Wakes the event loop from another thread when an answer is waiting.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// The threads, and the inbox where their answers come.
pub struct Workers {
    outbox: mpsc::Sender<Msg>,
    inbox: mpsc::Receiver<Msg>,
    wake: Wake,
    search: search::Searcher,
    disk: disk::Disk,
    /// Answers made at once (a thread that could not start, a browser that would not open).
    ready: Vec<Msg>,
    /// What `Command::Fetch` fetches with; without one, a fetch says there is nothing to fetch.
    fetcher: Option<crate::fetch::Fetcher>,
    /// The full-text index's thread, once started (`index_at`).
    index: Option<index::Indexer>,
    /// A note the model asked to edit: the event loop hands the terminal to the editor (`take_note`).
    note: Option<String>,
}

impl Workers {
    /// Starts the search and disk threads; the disk thread keeps `store` from now on.
    pub fn start(store: Store, wake: Wake) -> std::io::Result<Self> {
        let (outbox, inbox) = mpsc::channel();
        let search = search::Searcher::start(outbox.clone(), Arc::clone(&wake))?;
        let disk = disk::Disk::start(store, outbox.clone(), Arc::clone(&wake))?;
        Ok(Workers { outbox, inbox, wake, search, disk, ready: Vec::new(), fetcher: None, index: None, note: None })
    }

    /// Fetches with `fetcher` when the model asks (`R`).
    pub fn fetching_with(mut self, fetcher: Option<crate::fetch::Fetcher>) -> Self {
        self.fetcher = fetcher;
        self
    }

    /// Keeps the full-text index in `dir` (opened on its thread: nothing waits for it here), and asks it
    /// the model's text searches and similar papers.
    pub fn index_at(mut self, dir: std::path::PathBuf) -> Self {
        match index::Indexer::start(dir, self.outbox.clone(), Arc::clone(&self.wake)) {
            Ok(indexer) => self.index = Some(indexer),
            Err(e) => self.ready.push(Msg::Index(IndexNews::Off(format!("cannot start its thread: {e}")))),
        }
        self
    }

    /// Hands a job to the index thread; when there is none (or it is gone), the model hears that there
    /// is no full-text search.
    fn send_to_index(&mut self, job: index::Job) {
        let sent = match &self.index {
            Some(indexer) => indexer.send(job).is_ok(),
            None => false,
        };
        if !sent && !matches!(self.ready.last(), Some(Msg::Index(IndexNews::Off(_)))) {
            let why = if self.index.is_some() { "its thread stopped" } else { "there is no index for this session" };
            self.ready.push(Msg::Index(IndexNews::Off(why.to_string())));
        }
    }

    /// Reads the rest of `files` on the loading thread (`read` bytes of them read so far, `total` in all
    /// when known); the papers come as `Msg::Loaded`.
    pub fn load(&mut self, files: Vec<ToLoad>, read: u64, total: Option<u64>) -> std::io::Result<()> {
        if files.is_empty() {
            return Ok(());
        }
        load::start(files, read, self.outbox.clone(), Arc::clone(&self.wake))?;
        self.ready.push(Msg::LoadStarted { read, total });
        Ok(())
    }

    /// Applies `msg` to the model and sets its commands going.
    pub fn dispatch(&mut self, app: &mut App, msg: impl Into<Msg>) {
        for command in app.update(msg) {
            self.run(command);
        }
    }

    /// What an opener that failed is told to: a warning, as a browser that would not start is one.
    fn opener_failed(&self) -> crate::outward::OpenerFailed {
        let (outbox, wake) = (self.outbox.clone(), Arc::clone(&self.wake));
        Box::new(move |why| {
            if outbox.send(Msg::Failed(why)).is_ok() {
                wake();
            }
        })
    }

    /// Sets one command going.
    pub fn run(&mut self, command: Command) {
        match command {
            Command::Search(job) => {
                // A search thread that is gone (it panicked) leaves the searches to this thread.
                if let Err(job) = self.search.submit(job) {
                    let ranked = job.run(&std::sync::atomic::AtomicBool::new(false));
                    self.ready.extend(ranked.map(|ranked| Msg::Searched { id: job.id, ranked, refining: false }));
                }
            }
            Command::CancelSearch => self.search.cancel(),
            Command::KeepLetters(titles) => self.search.keep(titles),
            Command::ReadAbstracts(titles) => self.search.read_abstracts(titles),
            Command::SortTitles { changes, titles } => {
                let (outbox, wake) = (self.outbox.clone(), Arc::clone(&self.wake));
                // Kept here too, cheaply (the titles are shared), in case no thread can be started.
                let mut spare = Some(titles.clone());
                let started = std::thread::Builder::new().name("sort".into()).spawn(move || {
                    let rank = crate::app::title_rank(&titles);
                    if outbox.send(Msg::Sorted { changes, rank }).is_ok() {
                        wake();
                    }
                });
                if let Err(e) = started {
                    // No thread to be had: sorted here, then, the key waiting for it.
                    self.ready.push(Msg::Failed(format!("Sorting without a thread of its own: {e}")));
                    if let Some(titles) = spare.take() {
                        self.ready.push(Msg::Sorted { changes, rank: crate::app::title_rank(&titles) });
                    }
                }
            }
            Command::Save(changes) => {
                if self.disk.send(disk::Job::Save(changes)).is_err() {
                    let saved = Some(Err(disk::GONE.to_string()));
                    self.ready.push(Msg::Disk(DiskNews { answers: 1, saved, ..DiskNews::default() }));
                }
            }
            Command::Reload => {
                let _ = self.disk.send(disk::Job::Reload);
            }
            Command::Export { dir, format, entries } => {
                if self.disk.send(disk::Job::Export { dir, format, entries }).is_err() {
                    self.ready.push(Msg::Exported(Err(disk::GONE.to_string())));
                }
            }
            Command::Fetch => {
                let Some(fetcher) = self.fetcher.clone() else {
                    let failed = vec!["there is no configuration to fetch with".to_string()];
                    return self.ready.push(Msg::FetchDone { new: 0, failed });
                };
                let (outbox, wake) = (self.outbox.clone(), Arc::clone(&self.wake));
                let started = std::thread::Builder::new().name("fetch".into()).spawn(move || {
                    fetch::run(&fetcher, &mut |msg| {
                        if outbox.send(msg).is_ok() {
                            wake();
                        }
                    });
                });
                if let Err(e) = started {
                    let failed = vec![format!("cannot start a thread to fetch with: {e}")];
                    self.ready.push(Msg::FetchDone { new: 0, failed });
                }
            }
            Command::Open(url) => {
                if let Err(why) = crate::outward::open_url(&url, self.opener_failed()) {
                    self.ready.push(Msg::Failed(why));
                }
            }
            Command::Index(batch) => self.send_to_index(index::Job::Take(batch)),
            Command::TextSearch { id, query, limit } => self.send_to_index(index::Job::Search { id, query, limit }),
            Command::Similar { id, doc, limit } => self.send_to_index(index::Job::Similar { id, doc, limit }),
            Command::EditNote(text) => self.note = Some(text),
            Command::DownloadPdf { id, job, fetching } => {
                let failed_id = id.clone();
                let work = move |tell: &mut dyn FnMut(Msg)| paper::download(&id, &job, &fetching, tell);
                let failed = |why| Msg::Pdf(crate::app::PdfNews::Done { id: failed_id, result: Err(why) });
                self.ready.extend(paper::spawn("pdf", &self.outbox, &self.wake, work, failed));
            }
            Command::OpenFile(path) => {
                if let Err(why) = crate::outward::open_file(&path, self.opener_failed()) {
                    self.ready.push(Msg::Failed(why));
                }
            }
            Command::RunCommand { name, argv, input, timeout } => {
                let failed_name = name.clone();
                let work = move |tell: &mut dyn FnMut(Msg)| paper::command(name, &argv, input, timeout, tell);
                let failed = |why| Msg::Ran { name: failed_name, ran: crate::outward::run::not_started(why) };
                self.ready.extend(paper::spawn("command", &self.outbox, &self.wake, work, failed));
            }
            Command::StopCommands => crate::outward::run::end_all(),
            Command::Copy(text) => {
                let mut out = std::io::stdout();
                let copied = out.write_all(crate::outward::osc52(&text).as_bytes()).and_then(|()| out.flush());
                if let Err(e) = copied {
                    self.ready.push(Msg::Failed(format!("Cannot copy: {e}")));
                }
            }
        }
    }

    /// The note the model asked to edit, once: the editor needs the terminal, which the event loop holds.
    pub fn take_note(&mut self) -> Option<String> {
        self.note.take()
    }

    /// The answers that came since the last call, papers read in a row taken together.
    pub fn poll(&mut self) -> Vec<Msg> {
        let mut answers = std::mem::take(&mut self.ready);
        while let Ok(msg) = self.inbox.try_recv() {
            match (answers.last_mut(), msg) {
                (Some(Msg::Loaded { chunks, read }), Msg::Loaded { chunks: more, read: now }) => {
                    chunks.extend(more);
                    *read = now;
                }
                (_, msg) => answers.push(msg),
            }
        }
        answers
    }

    /// Takes in answers until the model has nothing in flight and nothing is loading (tests, benchmarks);
    /// false when `timeout` passed first.
    pub fn settle(&mut self, app: &mut App, timeout: Duration) -> bool {
        self.settle_until(app, timeout, |app| !app.busy() && app.loading().is_none())
    }

    /// Takes in answers until the results of the last search are shown, with only their first results
    /// exact maybe (benchmarks: what a key typed waits for; see `search::Query::rank_shown_kept`);
    /// false when `timeout` passed first.
    pub fn settle_shown(&mut self, app: &mut App, timeout: Duration) -> bool {
        self.settle_until(app, timeout, |app| !app.searching() && app.loading().is_none())
    }

    fn settle_until(&mut self, app: &mut App, timeout: Duration, done: impl Fn(&App) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            for msg in self.poll() {
                self.dispatch(app, msg);
            }
            if done(app) {
                return true;
            }
            let Some(left) = deadline.checked_duration_since(Instant::now()) else { return false };
            match self.inbox.recv_timeout(left) {
                Ok(msg) => self.ready.push(msg),
                Err(_) => return false,
            }
        }
    }

    /// Saves what is not saved yet, after everything asked before, and stops the disk thread: for every
    /// way the reader ends. Waits at most `timeout`.
    pub fn finish(self, timeout: Duration) -> Result<(), String> {
        self.disk.finish(timeout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Action;
    use crate::library::{Library, PaperKey};

    /// A reader of one paper whose state file is at `path`, its work on threads.
    fn reader(path: &std::path::Path) -> (App, Workers) {
        let (store, _) = Store::open(path);
        let app = App::new(Library::from_papers([("A paper", "")]), &store);
        (app, Workers::start(store, Arc::new(|| {})).unwrap())
    }

    #[test]
    fn finish_saves_what_the_disk_thread_holds() {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path().join("sub");
        std::fs::write(&parent, b"a file where the directory should be").unwrap();
        let path = parent.join("state.json");
        let (mut app, mut work) = reader(&path);
        work.dispatch(&mut app, Action::ToggleStar);
        assert!(work.settle(&mut app, Duration::from_secs(30)));
        assert!(app.save_error().is_some(), "the save failed");
        // The path works now, and no second passes without a key: only the way out can save the star.
        std::fs::remove_file(&parent).unwrap();
        work.finish(Duration::from_secs(30)).unwrap();
        assert!(Store::open(&path).0.is_starred(&PaperKey::from_title("A paper")));
    }

    #[test]
    fn finish_says_what_it_could_not_save() {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path().join("sub");
        std::fs::write(&parent, b"a file where the directory should be").unwrap();
        let (mut app, mut work) = reader(&parent.join("state.json"));
        work.dispatch(&mut app, Action::ToggleStar);
        let why = work.finish(Duration::from_secs(30)).unwrap_err();
        assert!(why.contains("cannot write"), "{why}");
        // A state file of a newer papers: nothing is written, and the way out says so too.
        let newer = dir.path().join("newer.json");
        std::fs::write(&newer, br#"{"version": 99, "papers": {}}"#).unwrap();
        let (mut app, mut work) = reader(&newer);
        work.dispatch(&mut app, Action::ToggleStar);
        assert!(app.save_error().is_some_and(|why| why.contains("newer")));
        let why = work.finish(Duration::from_secs(30)).unwrap_err();
        assert!(why.contains("newer"), "{why}");
        assert_eq!(std::fs::read(&newer).unwrap(), br#"{"version": 99, "papers": {}}"#);
    }
}
