//! What reaches the model (`Msg`: the user's actions and the workers' answers) and what the model asks of
//! the workers in return (`Command`). The words the model and the threads around it speak.

use std::path::PathBuf;

use crate::action::Action;
use crate::export::{Entry, Format};
use crate::index::{Batch, Hit, OwnedDoc, TextQuery};
use crate::library::{Chunk, Titles};
use crate::search::{Job, Ranked};
use crate::state::Entries;

use super::Viewport;

/// Everything that changes the model, in the order it happened; `App::update` takes one at a time.
#[derive(Debug)]
pub enum Msg {
    /// Something the user asked for.
    Action(Action),
    /// The room the last frame had: list rows and the abstract's lines, for paging and scrolling.
    Viewport(Viewport),
    /// A second passed with no key: time to look whether another reader saved marks, and to try again a
    /// save that failed.
    Tick,
    /// What the user must read, one paragraph each, in the alert box until closed: what happened to the
    /// state file while opening it. Kept in the messages pane too.
    Alert(Vec<String>),
    /// Warnings for the messages pane (`file:line: text` each, or plain): what was repaired while loading
    /// or why a file was passed over, what the configuration could not use.
    Warnings(super::Origin, Vec<String>),
    /// The rest of the digests is being read on the loading thread: `read` bytes so far of `total`.
    LoadStarted { read: u64, total: Option<u64> },
    /// More papers were read (every block parsed since the last message), and the bytes read so far.
    Loaded { chunks: Vec<Chunk>, read: u64 },
    /// The loading thread has read `read` bytes; no paper completed yet.
    LoadProgress(u64),
    /// Every file is read.
    LoadFinished,
    /// Search `id` finished with this ranking.
    /// A search's results; with `refining`, their first results come again in exact order further
    /// down (`Refined`) unless a newer search comes first.
    Searched { id: u64, ranked: Ranked, refining: bool },
    /// The first results of search `id`'s ranking, in exact order further down than when they came
    /// (see `search::Query::rank_shown_kept`): the same papers, maybe in another order; `None` when
    /// they could not be made so.
    Refined { id: u64, head: Option<Ranked> },
    /// The title order for the library as it was at `changes` (each paper's place), made on a thread.
    Sorted { changes: u64, rank: Vec<u32> },
    /// The disk thread saved (or failed to save) the marks, or found another reader's.
    Disk(DiskNews),
    /// What a fetch running in the background is doing now, for the status.
    FetchProgress(String),
    /// Papers a fetch brought (a day kept in the library): they join the list, as loaded papers do.
    Arrived(Vec<Chunk>),
    /// A fetch ended: how many new papers it brought, and what failed, a line each.
    FetchDone { new: usize, failed: Vec<String> },
    /// An export was written: where, and how many papers; or why it was not.
    Exported(Result<(PathBuf, usize), String>),
    /// Something done outside the model failed (a browser, the clipboard, a thread): why, for the user.
    Failed(String),
    /// What the full-text index has to say: it opened, how far it has come, an answer.
    Index(IndexNews),
    /// The editor asked for by `Command::EditNote` is done: the file's text, or why it failed.
    NoteEdited(Result<String, String>),
    /// How a PDF download (`d`, `P`) is going, or how it ended.
    Pdf(PdfNews),
    /// A command on a paper (`|`) still running wrote to its standard output: its name, and what came
    /// since it last said.
    Wrote { name: String, more: Vec<u8> },
    /// A command on a paper (`|`) ended: its name, and what it gave back.
    Ran { name: String, ran: crate::outward::run::Ran },
}

/// What the thread downloading the PDF of paper `id` has to say.
#[derive(Debug)]
pub enum PdfNews {
    /// `got` bytes are in, of `total` when known.
    Progress { id: String, got: u64, total: Option<u64> },
    /// It ended: where the PDF is, or why it is not there.
    Done { id: String, result: Result<crate::fetch::pdf::Saved, String> },
}

/// What the index thread has to say.
#[derive(Debug)]
pub enum IndexNews {
    /// The index is open; the message says what was done beyond opening it (built again, read-only).
    Opened(Option<String>),
    /// There is no full-text index this session: why.
    Off(String),
    /// Papers taken in (checked or indexed) of those sent, and how many of the library can be found.
    Progress { taken: usize, sent: usize, searchable: usize },
    /// The answer to text search `id`: papers by key, best first.
    Found { id: u64, hits: Vec<Hit> },
    /// The answer to similar-papers request `id`: papers by key, most alike first.
    Similar { id: u64, hits: Vec<Hit> },
    /// Something the index could not do (write, search): why. It answers what it can from now on.
    Failed(String),
}

impl From<Action> for Msg {
    fn from(action: Action) -> Self {
        Msg::Action(action)
    }
}

/// What the disk thread has to say after a save or a look at the state file.
#[derive(Debug, Default)]
pub struct DiskNews {
    /// How many `Command::Save`s this answers (saves sent meanwhile are saved together).
    pub answers: u64,
    /// The save's outcome: `None` when this is only news of another reader (a reload).
    pub saved: Option<Result<(), String>>,
    /// Marks another reader saved that changed marks here.
    pub theirs: Entries,
    /// Things the user must hear about (a damaged file kept aside, a newer one), each naming the files.
    pub notices: Vec<String>,
    /// Why nothing will be saved any more, when a newer papers took over the file.
    pub read_only: Option<String>,
}

/// Work the model asks for, done outside it; answers come back as `Msg`s.
#[derive(Debug)]
pub enum Command {
    /// Run this search, cancelling the one in flight; answered by `Msg::Searched` unless cancelled.
    Search(Job),
    /// Drop the search in flight: its answer is no longer wanted.
    CancelSearch,
    /// Read these titles for one-letter queries while the search thread has nothing else to do (see
    /// `search::Letters`), so that the first such query after loading need not; answered by nothing.
    KeepLetters(Titles),
    /// Read which letters and pairs each abstract of these titles holds, a few chunks at a time, while
    /// the search thread has nothing else to do (see `search::Pairs`): asked as papers arrive, so that
    /// the first `abstract:` filter after loading need not; answered by nothing.
    ReadAbstracts(Titles),
    /// Order these titles (the library at `changes`) on a thread; answered by `Msg::Sorted`.
    SortTitles { changes: u64, titles: Titles },
    /// Save these changed marks (none: whatever is not saved yet); answered by `Msg::Disk`.
    Save(Entries),
    /// Try again a save that failed, and look whether another reader saved; answered by `Msg::Disk` only
    /// when there is news.
    Reload,
    /// Write `entries` to a new file in `dir`, named for today; answered by `Msg::Exported`.
    Export { dir: PathBuf, format: Format, entries: Vec<Entry> },
    /// Fetch today's papers from every configured source; answered by `FetchProgress`, `Arrived` and at
    /// last `FetchDone`.
    Fetch,
    /// Open this http(s) URL in the browser.
    Open(String),
    /// Put this text on the clipboard (through the terminal).
    Copy(String),
    /// Take these papers into the full-text index (checked, indexed when new or changed); answered by
    /// `IndexNews::Progress`.
    Index(Batch),
    /// Search the text for `query`, at most `limit` papers; answered by `IndexNews::Found`.
    TextSearch { id: u64, query: TextQuery, limit: usize },
    /// Find the papers most like `doc`, at most `limit`; answered by `IndexNews::Similar`.
    Similar { id: u64, doc: OwnedDoc, limit: usize },
    /// Open the editor on this note, handing it the terminal (the event loop does it); answered by
    /// `Msg::NoteEdited`.
    EditNote(String),
    /// Download the PDF of paper `id` as `job` says, with `fetching`'s timeouts; answered by `Msg::Pdf`.
    DownloadPdf { id: String, job: crate::fetch::pdf::Job, fetching: crate::config::Fetching },
    /// Open this file (a downloaded PDF) with the opener.
    OpenFile(PathBuf),
    /// Run the command called `name`: `argv` directly, `input` on its standard input, killed after
    /// `timeout`; answered by `Msg::Wrote` while it writes, and by `Msg::Ran` when it ends.
    RunCommand { name: String, argv: Vec<String>, input: Vec<u8>, timeout: std::time::Duration },
    /// End every command still running, with what it started; each answers `Msg::Ran` as it ends.
    StopCommands,
}
