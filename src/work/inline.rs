//! The model's work done at once, on the calling thread: searches, sorts, saves and exports finish before
//! `dispatch` returns. For tests and tools, which want the same answers as the threads give, in order.

use std::collections::VecDeque;
use std::sync::atomic::AtomicBool;

use super::disk;
use crate::app::{App, Command, IndexNews, Msg};
use crate::state::Store;

/// What stands in for the user's editor: the note given, the note written or why not.
pub type Editor = dyn FnMut(&str) -> Result<String, String>;

pub struct Inline {
    store: Store,
    read_only_told: bool,
    queue: VecDeque<Msg>,
    /// The URLs and files the model asked to open, in order (nothing is opened).
    pub opened: Vec<String>,
    /// The texts the model asked to copy, in order.
    pub copied: Vec<String>,
    /// What `Command::Fetch` fetches with, when a test gives one.
    pub fetcher: Option<crate::fetch::Fetcher>,
    /// The full-text index, when a test opened one (`open_index`): papers are indexed and committed
    /// at once.
    pub index: Option<Box<crate::index::Index>>,
    /// What the editor answers for a note it is given; without one, no editor runs and the edit fails.
    pub editor: Option<Box<Editor>>,
    /// The notes the model asked to edit, in order.
    pub edited: Vec<String>,
}

impl Inline {
    /// Does the work for a model made on `store`'s marks, keeping `store` as the disk thread would.
    pub fn new(store: Store) -> Self {
        let read_only_told = store.read_only().is_some();
        Inline {
            store,
            read_only_told,
            queue: VecDeque::new(),
            opened: Vec::new(),
            copied: Vec::new(),
            fetcher: None,
            index: None,
            editor: None,
            edited: Vec::new(),
        }
    }

    /// The marks as saved.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Gives the model a full-text index (in memory), as the index thread would once it opened it.
    pub fn open_index(&mut self, app: &mut App, index: crate::index::Index) {
        self.index = Some(Box::new(index));
        self.dispatch(app, Msg::Index(IndexNews::Opened(None)));
    }

    /// Applies `msg` to the model, then every command it gives and every answer to them, until none is left.
    pub fn dispatch(&mut self, app: &mut App, msg: impl Into<Msg>) {
        self.queue.push_back(msg.into());
        while let Some(msg) = self.queue.pop_front() {
            for command in app.update(msg) {
                self.run(command);
            }
        }
    }

    fn run(&mut self, command: Command) {
        let answer = match command {
            Command::Search(job) => {
                let ranked = job.run(&AtomicBool::new(false));
                ranked.map(|ranked| Msg::Searched { id: job.id, ranked, refining: false })
            }
            Command::CancelSearch | Command::KeepLetters(_) | Command::ReadAbstracts(_) => None,
            Command::SortTitles { changes, titles } => {
                Some(Msg::Sorted { changes, rank: crate::app::title_rank(&titles) })
            }
            Command::Save(changes) => Some(disk::save(&mut self.store, vec![changes], &mut self.read_only_told)),
            Command::Reload => disk::reload(&mut self.store, &mut self.read_only_told),
            Command::Export { dir, format, entries } => Some(Msg::Exported(disk::export(&dir, format, &entries))),
            Command::Fetch => {
                let mut answers = Vec::new();
                match &self.fetcher {
                    Some(fetcher) => super::fetch::run(fetcher, &mut |msg| answers.push(msg)),
                    None => answers.push(Msg::FetchDone { new: 0, failed: vec!["nothing to fetch with".into()] }),
                }
                self.queue.extend(answers);
                None
            }
            Command::Open(url) => {
                self.opened.push(url);
                None
            }
            Command::Copy(text) => {
                self.copied.push(text);
                None
            }
            Command::Index(batch) => self.index.as_mut().map(|index| {
                let taken = index.take(&batch).and_then(|_| index.commit());
                match taken {
                    Ok(()) => {
                        let (sent, searchable) = (batch.len(), index.live());
                        Msg::Index(IndexNews::Progress { taken: sent, sent, searchable })
                    }
                    Err(why) => Msg::Index(IndexNews::Failed(why)),
                }
            }),
            Command::TextSearch { id, query, limit } => {
                Some(Msg::Index(self.index_answer(super::index::Job::Search { id, query, limit })))
            }
            Command::Similar { id, doc, limit } => {
                Some(Msg::Index(self.index_answer(super::index::Job::Similar { id, doc, limit })))
            }
            Command::DownloadPdf { id, job, fetching } => {
                let mut answers = Vec::new();
                super::paper::download(&id, &job, &fetching, &mut |msg| answers.push(msg));
                self.queue.extend(answers);
                None
            }
            Command::OpenFile(path) => {
                self.opened.push(path.to_string_lossy().into_owned());
                None
            }
            Command::RunCommand { name, argv, input, timeout } => {
                let mut answers = Vec::new();
                super::paper::command(name, &argv, input, timeout, &mut |msg| answers.push(msg));
                self.queue.extend(answers);
                None
            }
            // Inline, a command has ended before the next one is asked for.
            Command::StopCommands => None,
            Command::EditNote(text) => {
                let answer = match &mut self.editor {
                    Some(editor) => editor(&text),
                    None => Err("there is no editor here".to_string()),
                };
                self.edited.push(text);
                Some(Msg::NoteEdited(answer))
            }
        };
        self.queue.extend(answer);
    }

    fn index_answer(&mut self, job: super::index::Job) -> IndexNews {
        match self.index.as_mut() {
            Some(index) => super::index::answer(index, job).unwrap_or(IndexNews::Off("no answer".into())),
            None => IndexNews::Off("there is no index for this session".to_string()),
        }
    }
}
