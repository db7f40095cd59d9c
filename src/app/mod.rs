//! The model: the library, the marks, what is shown and selected. `App::update` is the only mutator.
//!
//! Everything that changes the model arrives at `update` as a `Msg`: the user's actions, and the answers
//! of the threads that search, sort, load, save and export (see `work`). `update` changes the model at
//! once and returns the `Command`s for those threads; it never waits on them, or on the disk. Rendering
//! reads the model through `&App`.

mod actions;
mod choice;
pub use choice::Choice;
mod labels;
pub use labels::{Question, TagPrompt, parse_tags};
mod loading;
mod marks;
mod message;
mod notes;
pub use notes::{Note, Origin};
mod order;
pub use order::title_rank;
mod outward;
mod panes;
mod reads;
pub use panes::Panes;
mod palette;
pub use palette::{Palette, PaletteEntry};
mod results;
mod similar;
mod text;
mod triage;
pub use triage::{Triage, Verdict};
mod tools;
pub use tools::{CommandPrompt, OUTPUT_CAP, Output};
mod undo;
mod watch;

use std::path::PathBuf;
use std::sync::Arc;

use ratatui::style::Style;
use ratatui_textarea::TextArea;

use crate::export::Format;
use crate::library::{Day, Library};
use crate::search::Ranked;
pub use crate::state::Filter;
use crate::state::{Ledger, MarkSet, Store};

pub use message::{Command, DiskNews, IndexNews, Msg, PdfNews};
use results::{Pending, Searched, Shown};
pub use text::{IndexState, TEXT_PREFIX};

/// Where the keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Moving through the list.
    List,
    /// Typing in the search bar; the list follows live.
    Search,
    /// Reading the open paper: keys scroll its abstract.
    Reading,
}

/// The order of the list (a search orders by match first, then by this).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// As the digests gave them.
    Digest,
    /// The latest day a paper appeared first.
    Newest,
    Title,
    /// Most upvoted first (papers without a count last).
    Upvotes,
}

impl Sort {
    pub fn name(self) -> &'static str {
        match self {
            Sort::Digest => "digest order",
            Sort::Newest => "newest",
            Sort::Title => "title",
            Sort::Upvotes => "upvotes",
        }
    }
}

/// How a status message should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Warning,
}

/// How far loading the digests has come.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loading {
    pub bytes: u64,
    /// The size of all the files, when known.
    pub total: Option<u64>,
}

/// The room the last frame drawn had, which paging and scrolling go by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewport {
    /// Rows of the list.
    pub list_rows: u16,
    /// Rows of the abstract pane.
    pub detail_rows: u16,
    /// Lines the selected paper's pane has at its width.
    pub detail_lines: usize,
    /// Rows of the help box, and the lines it has at its width.
    pub help_rows: u16,
    pub help_lines: usize,
    /// Rows of the messages pane, and the lines it has at its width.
    pub notes_rows: u16,
    pub notes_lines: usize,
    /// Whether the list and the abstract stood side by side.
    pub side_by_side: bool,
    /// Rows of a command's output pane, and the lines it has at its width.
    pub output_rows: u16,
    pub output_lines: usize,
}

impl Viewport {
    /// The furthest the abstract pane can scroll and still be full.
    pub fn detail_max_scroll(&self) -> usize {
        self.detail_lines.saturating_sub(self.detail_rows.into())
    }
}

/// What is derived from the marks and the library, made again in `update` when either changed, so that
/// drawing a frame only reads.
#[derive(Debug, Default)]
struct Derived {
    /// (ledger generation, library changes) when these were made.
    made_at: Option<(u64, u64)>,
    /// The marks by key hash, also handed to the search threads.
    marks: Arc<MarkSet>,
    /// Keys whose marks changed since `marks` took them in.
    touched: Vec<crate::library::PaperKey>,
    starred: usize,
    unread: usize,
    /// Every day papers appeared on, oldest first.
    days: Arc<Vec<Day>>,
}

/// Saving the marks: what the disk thread has not answered yet, and how the last save went.
#[derive(Debug, Default)]
struct Saving {
    /// `Command::Save`s sent and not answered yet.
    in_flight: u64,
    /// Why the last save failed, while changes are not on disk.
    error: Option<String>,
    /// Why nothing is saved at all (a newer or unreadable state file), if so.
    read_only: Option<String>,
    /// What the last change was ("Starred"), to say what was not saved.
    last_change: &'static str,
    /// Set by a first `q` while changes are not on disk or an export is being written: quit once they are.
    /// Any other key than `q` calls the quit off.
    quitting: bool,
    /// Set when saving failed as the user quit: the next `q` quits anyway.
    quit_armed: bool,
}

pub struct App {
    library: Library,
    /// The marks as shown: changed here at once, then saved by the disk thread.
    ledger: Ledger,
    derived: Derived,
    saving: Saving,
    search: TextArea<'static>,
    mode: Mode,
    filter: Filter,
    /// The day shown, when only one day's papers are.
    day: Option<Day>,
    sort: Sort,
    /// Each paper's place in the sort order, and the library's `changes` when it was made.
    sort_rank: Option<(Sort, u64, Arc<Vec<u32>>)>,
    /// The library's `changes` that a sort by title running on a thread of its own is for.
    sorting: Option<u64>,
    /// Set when papers already listed changed while loading: the list is made again once it ends.
    relist_when_loaded: bool,
    /// How many chunks the library had when the search thread was last asked to read the abstracts
    /// (`Command::ReadAbstracts`).
    abstracts_asked: usize,
    /// Where `E` writes its file, and in which format.
    export_to: (PathBuf, Format),
    /// Exports asked for and not written yet.
    exporting: usize,
    /// What a fetch in the background is doing, while one runs.
    fetching: Option<String>,
    show_help: bool,
    /// The first line of the help shown.
    help_scroll: usize,
    /// The papers shown, in the order shown (indices into the library), with their scores.
    results: Ranked,
    /// How many papers of the library `results` took into account.
    covered: usize,
    searched: Option<Searched>,
    pending: Option<Pending>,
    /// The search whose results are shown as it gave them, and what they were then (see
    /// `refine_results`): its first results may come again in exact order further down.
    refinable: Option<Shown>,
    /// The search whose first results the search thread is making exact further down, to come as
    /// `Msg::Refined`.
    refining: Option<u64>,
    next_search: u64,
    /// Set when Enter was pressed while a search ran: its results open at the top.
    top_when_done: bool,
    /// The query the results shown were ranked for: when a search for another one ends, the cursor goes
    /// to its best match.
    ranked_for: String,
    /// Why the query typed does not parse, while it does not: the results of the last one that did stay.
    query_error: Option<String>,
    /// Set while digests are still being read.
    loading: Option<Loading>,
    /// Position in `results` of the selected paper.
    selected: usize,
    /// First line of the abstract pane that is shown.
    detail_scroll: usize,
    /// The first result stays selected as the order comes (loading, a sort on a thread) until the reader
    /// acts: set when the configuration starts the reader in an order (see `starting_with`).
    first_until_acted: bool,
    viewport: Viewport,
    /// A message for the status line until the next key.
    message: Option<(String, Tone)>,
    /// What happened to the state file (damaged, restored, newer), shown in a box until dismissed.
    alert: Option<String>,
    should_quit: bool,
    /// Set with `should_quit` when the user interrupted (Ctrl-C) rather than quit.
    interrupted: bool,
    /// The full-text index as the model knows it, the text search shown, and similar papers.
    text: text::Text,
    /// Commands made during this `update`, handed out when it returns.
    outbox: Vec<Command>,
    /// The warnings of the session, for the messages pane.
    notes: notes::Notes,
    /// A list being chosen from (`Y`, `E`), which takes the keys until closed.
    choice: Option<Choice>,
    /// The colours and keys the configuration chose, fixed for the session.
    theme: crate::config::Theme,
    bindings: crate::action::Bindings,
    /// The tag prompt, the question asked, the note in the editor, and what `u` undoes.
    marking: labels::Marking,
    /// The unread papers being gone through one a screen (`T`), while they are.
    triage: Option<Triage>,
    /// The list alone or beside the abstract, and the split, for the session.
    panes: Panes,
    /// The command palette, while open (it takes the keys).
    palette: Option<Palette>,
    /// Saved searches and the watch list, from the configuration.
    lists: watch::Lists,
    /// PDFs downloading, the command prompt, commands running and the output pane.
    tools: tools::Tools,
}

/// What the empty search bar says while it has the keys: the kinds of terms it takes.
pub(crate) const SEARCH_HINT: &str = "title words · @author · cat:cs.CL · \"phrase\" · ?text";

impl App {
    /// The reader on `library`, showing the marks of `store` (which the disk thread then keeps).
    pub fn new(library: Library, store: &Store) -> Self {
        let mut search = TextArea::default();
        search.set_cursor_line_style(Style::default());
        search.set_placeholder_text("press / to search titles");
        // The default placeholder colour (dark grey) vanishes on dark themes; dim text reads on both.
        search.set_placeholder_style(Style::default().add_modifier(ratatui::style::Modifier::DIM));
        let mut app = App {
            library,
            ledger: store.ledger().clone(),
            derived: Derived::default(),
            saving: Saving {
                read_only: store.read_only().map(str::to_string),
                // Marks restored from the backup that could not be written back yet (see `Store::open`):
                // the disk thread tries again, and quitting waits for it.
                error: store.has_unsaved_changes().then(|| "the marks restored at start are not saved yet".to_string()),
                ..Saving::default()
            },
            search,
            mode: Mode::List,
            filter: Filter::All,
            day: None,
            sort: Sort::Digest,
            sort_rank: None,
            sorting: None,
            relist_when_loaded: false,
            abstracts_asked: 0,
            export_to: (PathBuf::from("."), Format::Bibtex),
            exporting: 0,
            fetching: None,
            show_help: false,
            help_scroll: 0,
            results: Ranked::default(),
            covered: 0,
            searched: None,
            pending: None,
            refinable: None,
            refining: None,
            next_search: 0,
            top_when_done: false,
            ranked_for: String::new(),
            query_error: None,
            loading: None,
            selected: 0,
            detail_scroll: 0,
            first_until_acted: false,
            viewport: Viewport::default(),
            message: None,
            alert: None,
            should_quit: false,
            interrupted: false,
            text: text::Text::default(),
            outbox: Vec::new(),
            notes: notes::Notes::default(),
            choice: None,
            theme: crate::config::Theme::default(),
            bindings: crate::action::Bindings::default(),
            marking: labels::Marking::default(),
            triage: None,
            panes: Panes::default(),
            palette: None,
            lists: watch::Lists::default(),
            tools: tools::Tools::default(),
        };
        app.derive();
        app.set_mode(Mode::List);
        // The whole library in digest order needs no search: nothing is asked of the workers yet.
        app.refresh();
        debug_assert!(app.outbox.is_empty());
        app
    }

    /// Where `E` writes its files (a new one named for the day each time), and in which format.
    pub fn exporting_to(mut self, dir: PathBuf, format: Format) -> Self {
        self.export_to = (dir, format);
        self
    }

    /// The reader drawn with `theme` and driven by `bindings`.
    pub fn looking(mut self, theme: crate::config::Theme, bindings: crate::action::Bindings) -> Self {
        self.theme = theme;
        self.bindings = bindings;
        self
    }

    pub fn theme(&self) -> &crate::config::Theme {
        &self.theme
    }

    pub fn bindings(&self) -> &crate::action::Bindings {
        &self.bindings
    }

    /// Applies one message; returns what the workers are asked to do about it, in order.
    #[must_use = "the commands are the searches, saves and exports the model asked for"]
    pub fn update(&mut self, msg: impl Into<Msg>) -> Vec<Command> {
        match msg.into() {
            Msg::Action(action) => self.act(action),
            Msg::Viewport(viewport) => self.viewport = viewport,
            Msg::Tick => self.outbox.push(Command::Reload),
            Msg::Alert(notices) => self.show_alert(&notices),
            Msg::Warnings(origin, warnings) => self.note(origin, &warnings),
            Msg::LoadStarted { read, total } => self.loading = Some(Loading { bytes: read, total }),
            Msg::Loaded { chunks, read } => self.loaded(chunks, read),
            Msg::LoadProgress(read) => self.load_progress(read),
            Msg::LoadFinished => self.load_finished(),
            Msg::Searched { id, ranked, refining } => self.finish_search(id, ranked, refining),
            Msg::Refined { id, head } => self.refine_results(id, head.as_ref()),
            Msg::Sorted { changes, rank } => self.sorted(changes, rank),
            Msg::Disk(news) => self.disk_news(news),
            Msg::Exported(result) => self.exported(result),
            // Names a source and what it answered: text from outside, made safe as a message is.
            Msg::FetchProgress(what) => self.fetching = Some(crate::sanitize::message(&what)),
            Msg::Arrived(chunks) => self.arrived(chunks),
            Msg::FetchDone { new, failed } => {
                self.note(Origin::Fetching, &failed);
                self.fetch_done(new, &failed)
            }
            Msg::Failed(why) => {
                self.note(Origin::Elsewhere, std::slice::from_ref(&why));
                self.notify(why, Tone::Warning)
            }
            Msg::Index(news) => self.index_news(news),
            Msg::NoteEdited(result) => self.note_edited(result),
            Msg::Pdf(news) => self.pdf_news(news),
            Msg::Wrote { name, more } => self.wrote(&name, &more),
            Msg::Ran { name, ran } => self.ran(name, ran),
        }
        self.show_waiting_output();
        self.derive();
        std::mem::take(&mut self.outbox)
    }

    /// Shows a message in the status line until the next key.
    fn notify(&mut self, text: impl Into<String>, tone: Tone) {
        self.message = Some((text.into(), tone));
    }

    /// Shows `notices` (one paragraph each) in the alert box, after any already there, and keeps them
    /// with the session's warnings.
    fn show_alert(&mut self, notices: &[String]) {
        if notices.is_empty() {
            return;
        }
        self.note(Origin::StateFile, notices);
        let text = self.alert.take().into_iter().chain(notices.iter().cloned()).collect::<Vec<_>>().join("\n");
        self.alert = Some(text);
    }
}

#[cfg(test)]
mod labels_tests;
#[cfg(test)]
mod library_tests;
#[cfg(test)]
mod search_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod text_tests;
#[cfg(test)]
mod triage_tests;
