//! papers: a terminal reader for research-paper digests.
//!
//! The crate is a library with a thin binary, so that tests drive everything without a terminal. Data
//! flows one way: a digest file is parsed into papers, the papers and the saved marks make the model, keys
//! become actions, actions change the model, and the screen is drawn from the model.
//!
//! ## Layers
//!
//! Each module is in one layer and names only modules of its own layer or of lower ones, never higher, and
//! no two modules name each other (`tests/layers.rs` holds the code to this table).
//!
//! | layer | modules | what belongs here |
//! | --- | --- | --- |
//! | 1 text and papers | `sanitize`, `latex`, `links`, `library`, `panics` | untrusted text made safe to show; LaTeX in titles and abstracts as the Unicode it is drawn with; links found in text and which may leave the program; the paper model: keys, days, chunks of a digest's text, the library that merges copies; panics papers tells of itself (one caught on purpose, a worker's while the reader draws) rather than printed over the screen. Nothing here knows a file format, a thread of the reader or the terminal. |
//! | 2 formats | `digest` | bytes of a digest (text, Hugging Face JSON, arXiv feeds, JSON Lines) to papers, told from the content, a block at a time; errors name the file and line. |
//! | 3 services | `config`, `files`, `search`, `state`, `export`, `outward`, `fetch`, `index` | what the reader does with papers, each usable alone: the configuration file; the files it writes, checked (symlinks followed, devices, FIFOs and sockets never replaced, nothing waited on); fuzzy ranking of titles (and authors, ids) as fzf ranks; the full-text index of titles, abstracts and authors (tantivy), text queries and similar papers; stars, read marks, tags and notes and their file (atomic saves, recovery); BibTeX, Markdown, JSON, CSV and RIS; the browser, the clipboard sequence, the editor for a note, export files; fetching days from the sources over HTTP into the library on disk. |
//! | 4 model | `action`, `app` | every action a user can take; `App`, the model, and `App::update`, the only place that changes it: it takes a `Msg` (an action, or a worker's answer) and returns the `Command`s for the workers. No I/O here. |
//! | 5 work | `work` | the threads that carry out the model's commands (search, sort, load, save, export) and hand their answers back as messages. |
//! | 6 screen | `ui`, `keymap` | drawing the model into a frame (it only reads the model; the layout it drew stays in its `ViewState`); turning a key or mouse event into an action, changing nothing. |
//! | 7 terminal | `tui` | raw mode and its restoration on every way out, signals, suspension, and the event loop: draw, wait, turn the event into an action, dispatch. |
//! | 8 command line | `cli` | clap's definitions and the commands that do not open the reader (`papers list`, `export`, `state`, `doctor`, `completions`), and the sink of `--log`. |
//!
//! Where a new feature belongs: a new input format in `digest`; a new way to rank or filter in `search`;
//! anything that writes a file in `state`, `export` or `outward`, run from `work` when the reader asks;
//! a new key as an `Action`, bound in `keymap`, handled in `app`; a new pane or box in `ui`.
//!
//! ## Threads
//!
//! Every thread has a name (it shows in a debugger and in `top -H`), and each is here: what it owns, and
//! how it reports back.
//!
//! - `input` (`tui`): reads the terminal's events (crossterm polls the tty) and queues them for the
//!   loop, which also takes the workers' wake-ups from that queue; it stops reading while the editor has
//!   the terminal (`N`), so that it takes none of the editor's keys.
//! - `search` (`work::search`): owns the newest job and what a one-letter query reads of each title
//!   (`search::Letters`, kept from one search to the next, and read once loading ends when no job
//!   waits), then which letters and pairs each abstract holds (`search::Pairs`, for `abstract:`
//!   filters; read a few chunks at a time while no job waits, or at once by a search that needs them);
//!   ranks the job, cancelling the one in flight, and sends `Msg::Searched` to the workers'
//!   inbox, then wakes the loop.
//! - `search part` (`search`): scoped threads that score one part of a large candidate set each, or read
//!   one part of the titles into `search::Letters` or of the abstracts into `search::Pairs`; joined by
//!   the ranking that started them.
//! - `search names` (`search::names`): scoped threads that score one part of the library's author
//!   names by a query's author terms, before a search that reads most papers; joined by the ranking.
//! - `merge` (`search::ranked`): a scoped thread that merges one half of the parts' rankings of a large
//!   search while the thread that started it merges the other; joined by it.
//! - `sort` (`work`): one per title sort of a large library; sends `Msg::Sorted`, then wakes the loop.
//! - `load` (`work::load`): owns the digests still being read; sends `Msg::Loaded` as blocks parse, waking
//!   the loop at most once a frame.
//! - `read` (`digest`): one per digest file being read; reads it a block at a time, a few blocks ahead,
//!   into a bounded channel of the digest it belongs to.
//! - `parse` (`digest`): one per large text digest; parses blocks that stand alone beside the thread that
//!   reads on, and hands them back in order.
//! - `disk` (`work::disk`): owns the `state::Store`; saves marks (lock, merge, write, fsync), looks for
//!   another reader's saves, writes exports; sends `Msg::Disk` and `Msg::Exported`. At exit the loop waits
//!   for it to save what it holds.
//! - `doctor` (`cli::doctor`): one per configured source while `papers doctor` asks whether it answers,
//!   scoped and joined by it.
//! - `reap` (`outward`): one per browser started; waits for it so that it never lingers as a zombie,
//!   and tells the reader when it failed.
//! - `opener said` (`outward`): one per browser started; reads what it writes to standard error, for
//!   the message when it fails (a browser it starts may hold the pipe for as long as it runs).
//! - `parse day` (`work::load`): up to four, while the loading thread reads a run of small files (a
//!   library of fetched days): each reads and parses whole files, handed back in order.
//! - `fetch` (`fetch`, `work::fetch`, `cli::fetch`): one per source while a fetch runs, scoped and joined
//!   by it, sending its events to the thread that started it. That is one per `R` in the reader, which
//!   sends `Msg::FetchProgress`, `Msg::Arrived` with each day kept, then `Msg::FetchDone`; and one for
//!   `papers fetch`, whose main thread shows the progress and looks for Ctrl-C meanwhile (a stopped
//!   fetch's thread ends with the process: each day is kept whole or not at all).
//! - `pdf` (`work::paper`): one per PDF download (`d`, `P`); writes the `.part` file and moves it into
//!   place, sending `Msg::Pdf` with its progress and at last where the file is. `pdf body`
//!   (`fetch::pdf`) reads the answer's body a few blocks ahead of it, so that the progress is told
//!   every 100 ms while a read waits (a stall); it ends with the body, or once the download is refused
//!   and its read in flight returns.
//! - `command` (`work::paper`): one per command run on a paper (`|`); starts the program, waits for it
//!   (killing it at its timeout) and sends `Msg::Ran`. `command input` (`outward::run`) writes the
//!   program's standard input, so that a program that never reads holds only it; two `command output`
//!   threads read its standard output and error, capped. Once the program ended, they are waited for a
//!   second; a child it left behind holding the pipes is then ended with its group, and what they read
//!   so far is taken after another second at most.
//! - `index` (`work::index`): owns the full-text index (`index::Index`); opens it, takes in the papers the
//!   model sends as they load or arrive, a chunk at a time, answering the newest text search and
//!   similar-papers request between two chunks; sends `Msg::Index`. Its writer runs tantivy's own threads
//!   (`thrd-tantivy-index0` indexes, `segment_updater` and `merge_thread_0` commit and merge segments),
//!   which end with it; nothing waits for them at exit (an unfinished commit is simply not there next
//!   time, and those papers are indexed again).

pub mod action;
pub mod app;
pub mod cli;
pub mod config;
pub mod digest;
pub mod export;
pub mod fetch;
pub mod files;
pub mod index;
pub mod keymap;
pub mod latex;
pub mod library;
pub mod links;

pub mod outward;
pub mod panics;
pub mod sanitize;
pub mod search;
pub mod state;
pub mod tui;
pub mod ui;
pub mod work;
