//! The model: the library, the marks, what is shown and selected; `App::update` is the only mutator.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use ratatui::style::Style;
use ratatui_textarea::TextArea;

use crate::action::Action;
use crate::library::{Day, Library, PaperKey, PaperRef};
pub use crate::search::Filter;
use crate::search::{Job, MarkSet, Query, Ranked, Searcher, Within};
use crate::state::Store;
use crate::ui::ViewState;

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

/// Something the event loop does for the model, outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open this http(s) URL in the browser.
    Open(String),
    /// Put this text on the clipboard.
    Copy(String),
}

/// How a status message should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Warning,
}

/// The last search, kept so that a query typed further searches only what it matched.
struct Searched {
    query: Query,
    filter: Filter,
    day: Option<Day>,
    /// The store's generation then: marks decide what the unread and starred views hold.
    generation: u64,
    /// Indices of the papers it matched, in library order.
    matched: Arc<Vec<u32>>,
}

/// A search that was started and has not given its results yet.
struct Pending {
    id: u64,
    query: Query,
    filter: Filter,
    day: Option<Day>,
    generation: u64,
    /// True when it ranks only papers loaded since the results were made, to be merged into them.
    extends: bool,
    /// The number of papers in the library when it started: what the results will cover.
    covers: usize,
}

/// How far loading the digests has come.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loading {
    pub bytes: u64,
    /// The size of all the files, when known.
    pub total: Option<u64>,
}

/// Counts of starred and unread papers, (starred, unread), and when they were made: (store generation,
/// library changes).
type Counted = ((u64, u64), (usize, usize));

pub struct App {
    library: Library,
    store: Store,
    search: TextArea<'static>,
    pub mode: Mode,
    pub filter: Filter,
    /// The day shown, when only one day's papers are.
    pub day: Option<Day>,
    pub sort: Sort,
    /// Each paper's place in the sort order, and the library's `changes` when it was made.
    sort_rank: Option<(Sort, u64, Arc<Vec<u32>>)>,
    /// What the event loop is asked to do outside the model: open a browser, set the clipboard.
    pub effects: Vec<Effect>,
    /// A sort by title of a large library, running on a thread of its own: the library's `changes` it
    /// is for, and where its order will come.
    sorting: Option<(u64, std::sync::mpsc::Receiver<Vec<u32>>)>,
    /// Wakes the event loop from other threads, when running in one (see `search_in_background`).
    wake: Option<Arc<dyn Fn() + Send + Sync>>,
    /// Set when papers already listed changed while loading: the list is made again once it ends.
    relist_when_loaded: bool,
    /// Where `E` writes its file, and in which format.
    pub export_to: (std::path::PathBuf, crate::export::Format),
    pub show_help: bool,
    /// The papers shown, in the order shown (indices into the library), with their scores.
    results: Ranked,
    /// How many papers of the library `results` took into account.
    covered: usize,
    searched: Option<Searched>,
    pending: Option<Pending>,
    /// Ranks on a thread of its own, when started; without it, searches run at once (tests, tools).
    searcher: Option<Searcher>,
    next_search: u64,
    /// Set when Enter was pressed while a search ran: its results open at the top.
    top_when_done: bool,
    marks: std::cell::RefCell<(u64, Arc<MarkSet>)>,
    /// The days papers appeared on, and the library's `changes` when they were found.
    days: std::cell::RefCell<(u64, Arc<Vec<Day>>)>,
    /// (store generation, library changes) → (starred, unread), so a frame need not count them again.
    counts: Cell<Option<Counted>>,
    /// Set while digests are still being read.
    pub loading: Option<Loading>,
    loader: Option<crate::loader::Loader>,
    /// Position in `results` of the selected paper.
    selected: usize,
    /// First line of the abstract pane that is shown.
    pub detail_scroll: usize,
    /// A message for the status line until the next key.
    pub message: Option<(String, Tone)>,
    /// What happened to the state file (damaged, restored, newer), shown in a box until dismissed.
    pub alert: Option<String>,
    /// Why the last save failed, while changes are not on disk.
    pub save_error: Option<String>,
    /// Set by a first `q` while changes are unsaved: the next `q` quits anyway.
    quit_armed: bool,
    pub should_quit: bool,
    /// Set with `should_quit` when the user interrupted (Ctrl-C) rather than quit.
    pub interrupted: bool,
}

impl App {
    pub fn new(library: Library, store: Store) -> Self {
        let mut search = TextArea::default();
        search.set_cursor_line_style(Style::default());
        search.set_placeholder_text("press / to search titles");
        // The default placeholder colour (dark grey) vanishes on dark themes; dim text reads on both.
        search.set_placeholder_style(Style::default().add_modifier(ratatui::style::Modifier::DIM));
        let mut app = App {
            library,
            store,
            search,
            mode: Mode::List,
            filter: Filter::All,
            day: None,
            sort: Sort::Digest,
            sort_rank: None,
            relist_when_loaded: false,
            sorting: None,
            wake: None,
            effects: Vec::new(),
            export_to: (std::path::PathBuf::from("."), crate::export::Format::Bibtex),
            show_help: false,
            results: Ranked::default(),
            covered: 0,
            searched: None,
            pending: None,
            searcher: None,
            next_search: 0,
            top_when_done: false,
            marks: std::cell::RefCell::new((u64::MAX, Arc::new(MarkSet::default()))),
            counts: Cell::new(None),
            days: std::cell::RefCell::new((u64::MAX, Arc::new(Vec::new()))),
            loading: None,
            loader: None,
            selected: 0,
            detail_scroll: 0,
            message: None,
            alert: None,
            save_error: None,
            quit_armed: false,
            should_quit: false,
            interrupted: false,
        };
        app.set_mode(Mode::List);
        app.refresh();
        app
    }

    pub fn library(&self) -> &Library {
        &self.library
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn search_bar(&self) -> &TextArea<'static> {
        &self.search
    }

    /// The search text as typed.
    pub fn query(&self) -> &str {
        self.search.lines().first().map_or("", String::as_str)
    }

    /// Indices into the library of the papers shown, in order.
    pub fn results(&self) -> &[u32] {
        &self.results.order
    }

    /// Ranks on a thread of its own from now on; `wake` is called when results are ready.
    pub fn search_in_background(&mut self, wake: Arc<dyn Fn() + Send + Sync>) -> std::io::Result<()> {
        self.searcher = Some(Searcher::start(Arc::clone(&wake))?);
        self.wake = Some(wake);
        Ok(())
    }

    /// The query the results shown are for: the one typed, unless its search is still running.
    pub fn results_query(&self) -> &str {
        self.searched.as_ref().map_or("", |s| s.query.as_str())
    }

    /// True while a search runs for the query shown, or (loading over) while papers that came last are
    /// ranked in; while loading, the bar shows loading instead.
    pub fn searching(&self) -> bool {
        self.pending.as_ref().is_some_and(|p| !p.extends || self.loading.is_none())
    }

    /// True while the list is being sorted by title on a thread of its own.
    pub fn sorting(&self) -> bool {
        self.sorting.is_some()
    }

    /// Takes what the search thread finished; true when the screen changed.
    pub fn poll_search(&mut self) -> bool {
        match self.searcher.as_mut().and_then(Searcher::poll) {
            Some(found) => {
                self.finish_search(found.id, found.ranked);
                true
            }
            None => false,
        }
    }

    /// Waits until the search in flight is done (tests and benchmarks); false on timeout.
    pub fn settle(&mut self, timeout: Duration) -> bool {
        while self.pending.is_some() {
            let Some(searcher) = self.searcher.as_mut() else { return true };
            match searcher.wait(timeout) {
                Some(found) => self.finish_search(found.id, found.ranked),
                None => return false,
            }
        }
        true
    }

    /// Reads the rest of `files` on a thread while the reader runs; papers appear as they are parsed.
    /// `read` is the bytes read while opening them, `total` the size of them all when known.
    pub fn load_in_background(
        &mut self,
        files: Vec<crate::digest::Opened>,
        read: u64,
        total: Option<u64>,
        wake: Arc<dyn Fn() + Send + Sync>,
    ) -> std::io::Result<()> {
        if files.is_empty() {
            return Ok(());
        }
        self.loader = Some(crate::loader::Loader::start(files, read, wake)?);
        self.loading = Some(Loading { bytes: read, total });
        Ok(())
    }

    /// Takes what the search and loading threads finished; true when the screen changed.
    pub fn poll_background(&mut self) -> bool {
        use crate::loader::Loaded;
        let mut changed = self.poll_search() | self.poll_sort();
        let Some(loader) = &self.loader else { return changed };
        let Some(messages) = loader.take() else {
            self.loader = None;
            self.loading = None;
            self.when_loaded();
            return true;
        };
        for message in messages {
            changed = true;
            match message {
                Loaded::Papers(chunk, read) => {
                    if let Some(loading) = self.loading.as_mut() {
                        loading.bytes = read;
                    }
                    self.add_papers(chunk);
                }
                Loaded::Progress(read) => {
                    if let Some(loading) = self.loading.as_mut() {
                        loading.bytes = read;
                    }
                }
                Loaded::Warnings(warnings) => self.show_alert(&warnings),
                Loaded::Failed(why) => self.show_alert(&[why]),
                Loaded::Finished => {
                    self.loader = None;
                    self.loading = None;
                    self.when_loaded();
                    break;
                }
            }
        }
        changed
    }

    /// Once every file is read: lists again if papers already listed changed meanwhile, and sorts what
    /// came in while loading (which was appended in the order it came).
    fn when_loaded(&mut self) {
        if std::mem::take(&mut self.relist_when_loaded) {
            self.relist();
        } else if self.sort != Sort::Digest {
            self.resort_keeping_selection();
        }
    }

    /// Makes the list again from the whole library: the last matches no longer tell what a longer query
    /// or the day shown would match.
    fn relist(&mut self) {
        self.searched = None;
        self.refresh();
    }

    /// Adds papers that were read since the reader opened; the list takes them in.
    pub fn add_papers(&mut self, chunk: crate::library::Chunk) {
        let changed = self.library.add_chunk(chunk);
        // A paper already listed changed (a new day, more upvotes): the day view and the order may now
        // be different. Listed again now, or once loading ends, not for every block read.
        if changed.is_some_and(|i| i < self.covered) && (self.day.is_some() || self.sort != Sort::Digest) {
            if self.loading.is_some() {
                self.relist_when_loaded = true;
            } else {
                return self.relist();
            }
        }
        self.extend_results();
    }

    /// Position of the selection within `results()`.
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_paper(&self) -> Option<PaperRef<'_>> {
        self.results.order.get(self.selected).map(|&i| self.library.get(i as usize))
    }

    /// (starred, read) of `paper`, looked up once.
    pub fn marks_of(&self, paper: &PaperRef) -> (bool, bool) {
        self.mark_set().of(paper)
    }

    pub fn is_starred(&self, paper: &PaperRef) -> bool {
        self.mark_set().of(paper).0
    }

    pub fn is_read(&self, paper: &PaperRef) -> bool {
        self.mark_set().of(paper).1
    }

    /// Every day a paper appeared on, oldest first.
    pub fn days(&self) -> Arc<Vec<Day>> {
        let mut days = self.days.borrow_mut();
        if days.0 != self.library.changes() {
            *days = (self.library.changes(), Arc::new(self.library.days()));
        }
        Arc::clone(&days.1)
    }

    /// (starred, unread) papers in the library: counted from the marks, not from every paper.
    fn counts(&self) -> (usize, usize) {
        let at = (self.store.generation(), self.library.changes());
        if let Some((when, counts)) = self.counts.get()
            && when == at
        {
            return counts;
        }
        // The papers that have marks, once each (a paper may have them under two keys).
        let mut marked: Vec<usize> = Vec::new();
        for (key, marks) in self.store.all_marks().filter(|(_, m)| m.starred || m.read) {
            let title_key = marks.title.as_deref().map(PaperKey::from_title);
            marked.extend(self.library.find(key).or_else(|| self.library.find(title_key.as_ref()?)));
        }
        marked.sort_unstable();
        marked.dedup();
        let set = self.mark_set();
        let (mut starred, mut read) = (0, 0);
        for &i in &marked {
            let (s, r) = set.of(&self.library.get(i));
            starred += usize::from(s);
            read += usize::from(r);
        }
        let counts = (starred, self.library.len() - read);
        self.counts.set(Some((at, counts)));
        counts
    }

    pub fn starred_count(&self) -> usize {
        self.counts().0
    }

    pub fn unread_count(&self) -> usize {
        self.counts().1
    }

    /// Shows a message in the status line until the next key.
    pub fn notify(&mut self, text: impl Into<String>, tone: Tone) {
        self.message = Some((text.into(), tone));
    }

    /// Applies one action. `view` is the layout last drawn, for page sizes and scroll limits.
    pub fn update(&mut self, action: Action, view: &ViewState) {
        if action == Action::ReloadMarks {
            // Not a key: the message the user is reading stays. The list is not filtered again (a paper
            // read elsewhere stays in the unread view until the view changes, as one read here does);
            // the next draw shows the new marks.
            self.store.reload();
            self.show_store_notices();
            return;
        }
        self.message = None;
        if action != Action::Quit {
            self.quit_armed = false;
        }
        match action {
            Action::Up => self.select(self.selected.saturating_sub(1)),
            Action::Down => self.select(self.selected + 1),
            Action::PageUp => self.select(self.selected.saturating_sub(view.list.height.max(1).into())),
            Action::PageDown => self.select(self.selected + usize::from(view.list.height.max(1))),
            Action::First => self.select(0),
            Action::Last => self.select(usize::MAX),
            Action::Select(row) => {
                self.set_mode(Mode::List);
                self.select(row);
            }
            Action::Open => {
                if self.selected_paper().is_some() {
                    self.set_mode(Mode::Reading);
                    self.detail_scroll = 0;
                    self.set_read(true);
                }
            }
            Action::Back => self.set_mode(Mode::List),
            Action::ToggleStar => self.toggle_star(),
            Action::ToggleRead => {
                if let Some(paper) = self.selected_paper() {
                    let read = !self.is_read(&paper);
                    self.set_read(read);
                }
            }
            Action::CycleFilter => {
                self.filter = match self.filter {
                    Filter::All => Filter::Unread,
                    Filter::Unread => Filter::Starred,
                    Filter::Starred => Filter::All,
                };
                self.refresh();
            }
            Action::NextUnread => self.next_unread(),
            Action::ScrollDetail(lines) => self.scroll_detail(lines as isize, view),
            Action::ScrollDetailPage(pages) => {
                let page = view.detail.height.saturating_sub(1).max(1) as isize;
                self.scroll_detail(pages as isize * page, view)
            }
            Action::DetailTop => self.detail_scroll = 0,
            Action::DetailBottom => self.detail_scroll = view.detail_max_scroll(),
            Action::FocusSearch => {
                self.top_when_done = false;
                self.set_mode(Mode::Search);
            }
            Action::SearchInput(input) => {
                if self.search.input(input) {
                    self.refresh();
                }
            }
            Action::SubmitSearch => {
                self.set_mode(Mode::List);
                self.select(0);
                self.top_when_done = self.searching();
            }
            Action::ClearSearch => {
                self.set_mode(Mode::List);
                if self.search.clear() {
                    self.refresh();
                }
            }
            Action::ToggleHelp => self.show_help = !self.show_help,
            // The event loop suspends the process; nothing in the model changes.
            Action::Suspend => {}
            Action::Quit => self.quit(),
            Action::Interrupt => {
                self.interrupted = true;
                self.should_quit = true;
            }
            Action::ReloadMarks => {}
            Action::DismissAlert => self.alert = None,
            Action::OpenPage => self.open_page(),
            Action::OpenLink(n) => self.open_link(n),
            Action::CopyLink => self.copy_link(),
            Action::ExportView => self.export_view(),
            Action::CycleSort => self.cycle_sort(),
            Action::PreviousDay => self.step_day(-1),
            Action::NextDay => self.step_day(1),
        }
    }

    fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
        // The search bar shows its cursor only while it has the keys.
        let cursor = if mode == Mode::Search { Style::default().reversed() } else { Style::default() };
        self.search.set_cursor_style(cursor);
    }

    /// Selects the paper at `position` in the results (clamped), scrolling its abstract back to the top.
    /// When that changes the paper while one is open, the reader goes back to the list: a paper is only
    /// ever shown open (and marked read) by asking for it.
    fn select(&mut self, position: usize) {
        let before = self.results.order.get(self.selected).copied();
        self.select_after(before, position);
    }

    /// `select`, for when the results may have changed since `before` (a library index) was selected.
    fn select_after(&mut self, before: Option<u32>, position: usize) {
        self.selected = position.min(self.results.order.len().saturating_sub(1));
        if self.results.order.get(self.selected).copied() != before {
            self.detail_scroll = 0;
            if self.mode == Mode::Reading {
                self.set_mode(Mode::List);
            }
        }
    }

    /// Recomputes the results after the search or the filter changed, keeping the selected paper selected
    /// when it is still shown. Marking papers does not call this, so a paper just read stays in the unread
    /// view until the view changes, instead of vanishing under the cursor.
    fn refresh(&mut self) {
        let query = Query::new(self.query());
        let generation = self.store.generation();
        if query.is_empty() && self.filter == Filter::All && self.day.is_none() {
            // Everything, in order: nothing to search.
            if let Some(searcher) = self.searcher.as_mut() {
                searcher.cancel();
            }
            let len = self.library.len();
            let order: Vec<u32> = (0..len as u32).collect();
            let ranked = Ranked { scores: vec![0; order.len()], matched: order.clone(), order };
            self.next_search += 1;
            self.pending = Some(Pending {
                id: self.next_search,
                query,
                filter: self.filter,
                day: None,
                generation,
                extends: false,
                covers: len,
            });
            self.finish_search(self.next_search, ranked);
            return;
        }
        // Typing on: search only what the shorter query matched, if nothing else changed since.
        let within = match &self.searched {
            Some(last)
                if last.filter == self.filter
                    && last.day == self.day
                    && last.generation == generation
                    && query.narrows(&last.query) =>
            {
                Within::List(Arc::clone(&last.matched))
            }
            _ => match self.day {
                Some(day) => {
                    let (on_day, len) = (self.library.on_day(day, 0), self.library.len());
                    return self.start_search(query, self.filter, Within::List(Arc::new(on_day)), false, len);
                }
                None => Within::From(0),
            },
        };
        self.start_search(query, self.filter, within, false, 0);
    }

    /// The marks by key hash, for filtering on the search thread; made again when the marks changed.
    fn mark_set(&self) -> Arc<MarkSet> {
        let generation = self.store.generation();
        let mut marks = self.marks.borrow_mut();
        if marks.0 != generation {
            *marks = (generation, Arc::new(MarkSet::from_store(&self.store)));
        }
        Arc::clone(&marks.1)
    }

    /// Starts searching `within` for `query` in the `filter` view: on the search thread when there is one,
    /// else at once. `extends`: the results will be merged into those shown.
    /// `covers`: the number of papers the results will cover, for a search of a list that is not the last
    /// matches (0 otherwise).
    fn start_search(&mut self, query: Query, filter: Filter, within: Within, extends: bool, covers: usize) {
        self.next_search += 1;
        let id = self.next_search;
        let job = Job {
            id,
            query: query.clone(),
            titles: self.library.titles().clone(),
            within,
            filter,
            marks: self.mark_set(),
        };
        let generation = self.store.generation();
        // A search of the last matches covers what they covered; papers loaded since are searched after.
        let covers = match &job.within {
            Within::List(_) if covers > 0 => covers,
            Within::List(_) => self.covered,
            Within::From(_) => self.library.len(),
        };
        self.pending = Some(Pending { id, query, filter, day: self.day, generation, extends, covers });
        match self.searcher.as_mut() {
            Some(searcher) => searcher.submit(job),
            None => {
                let never = AtomicBool::new(false);
                let ranked = job.query.rank(&job.titles, &job.within, job.filter, &job.marks, &never);
                self.finish_search(id, ranked.unwrap_or_default());
            }
        }
    }

    /// Shows the results of search `id`, if it is the one the screen waits for.
    fn finish_search(&mut self, id: u64, mut ranked: Ranked) {
        let Some(done) = self.pending.take_if(|p| p.id == id) else { return };
        let current = self.results.order.get(self.selected).copied();
        let new_matches = std::mem::take(&mut ranked.matched);
        if done.extends {
            let results = std::mem::take(&mut self.results);
            self.results = results.merge(ranked);
            if let Some(last) = self.searched.as_mut() {
                Arc::make_mut(&mut last.matched).extend(new_matches);
            }
        } else {
            self.results = ranked;
            self.searched = Some(Searched {
                query: done.query,
                filter: done.filter,
                day: done.day,
                generation: done.generation,
                matched: Arc::new(new_matches),
            });
        }
        self.covered = done.covers;
        self.sort_results();
        let position = match current {
            // Enter was pressed while this search ran: its best match, as Enter always selects.
            _ if std::mem::take(&mut self.top_when_done) => 0,
            Some(c) => self.results.order.iter().position(|&i| i == c).unwrap_or(0),
            None => 0,
        };
        self.select_after(current, position);
        self.extend_results();
    }

    /// Takes papers loaded since the results were made into them: a search of the new papers alone,
    /// merged in when it is done.
    fn extend_results(&mut self) {
        if self.pending.is_some() || self.covered >= self.library.len() {
            return;
        }
        let Some(last) = &self.searched else { return self.refresh() };
        let (query, from) = (last.query.clone(), self.covered);
        if let Some(day) = last.day {
            // Papers loaded since, on that day.
            let (filter, len) = (last.filter, self.library.len());
            let on_day = self.library.on_day(day, from);
            return self.start_search(query, filter, Within::List(Arc::new(on_day)), true, len);
        }
        if query.is_empty() && last.filter == Filter::All {
            let len = self.library.len();
            self.results.order.extend(from as u32..len as u32);
            self.results.scores.resize(self.results.order.len(), 0);
            if let Some(last) = self.searched.as_mut() {
                Arc::make_mut(&mut last.matched).extend(from as u32..len as u32);
            }
            self.covered = len;
            self.sort_results();
            return;
        }
        let filter = last.filter;
        self.start_search(query, filter, Within::From(from), true, 0);
    }

    fn next_unread(&mut self) {
        let len = self.results.order.len();
        let marks = self.mark_set();
        let found = (1..=len).map(|step| (self.selected + step) % len).find(|&pos| {
            let paper = self.library.get(self.results.order[pos] as usize);
            !marks.of(&paper).1
        });
        match found {
            Some(pos) => {
                let reading = self.mode == Mode::Reading;
                self.select(pos);
                // Reading the open paper and asking for the next one opens it.
                if reading {
                    self.set_mode(Mode::Reading);
                    self.set_read(true);
                }
            }
            None => self.notify("No unread papers in this view", Tone::Info),
        }
    }

    fn scroll_detail(&mut self, lines: isize, view: &ViewState) {
        // Clamp first: a resize may have shortened the text since the last scroll.
        let max = view.detail_max_scroll();
        self.detail_scroll = self.detail_scroll.min(max).saturating_add_signed(lines).min(max);
    }

    /// The keys the selected paper's marks are kept under, its title, and its marks now.
    fn selected_marks(&self) -> Option<(Vec<PaperKey>, String, (bool, bool))> {
        let paper = self.selected_paper()?;
        let set = self.mark_set();
        let mut keys = set.keys_of(&paper);
        let key = paper.key();
        if !keys.contains(&key) {
            keys.insert(0, key);
        }
        Some((keys, paper.title().to_string(), set.of(&paper)))
    }

    fn toggle_star(&mut self) {
        let Some((keys, title, (starred, _))) = self.selected_marks() else { return };
        let starred = !starred;
        let result = self.store.update_all(&keys, &title, |m| m.starred = starred);
        self.saved(result, if starred { "Starred" } else { "Unstarred" });
    }

    fn set_read(&mut self, read: bool) {
        let Some((keys, title, (_, was_read))) = self.selected_marks() else { return };
        if was_read == read {
            return;
        }
        let result = self.store.update_all(&keys, &title, |m| m.read = read);
        self.saved(result, if read { "Marked read" } else { "Marked unread" });
    }

    fn saved(&mut self, result: Result<(), String>, done: &str) {
        match result {
            Ok(()) => {
                self.save_error = None;
                self.notify(done, Tone::Info);
            }
            Err(why) => {
                self.notify(format!("{done}, but not saved: {why}"), Tone::Warning);
                self.save_error = Some(why);
            }
        }
        self.show_store_notices();
    }

    /// What the store found while saving or reloading (a damaged or newer file) goes in the alert box.
    fn show_store_notices(&mut self) {
        let notices = self.store.take_notices();
        if !notices.is_empty() {
            self.show_alert(&notices);
        }
    }

    /// Shows `notices` (one paragraph each) in the alert box, after any already there.
    pub fn show_alert(&mut self, notices: &[String]) {
        let text = self.alert.take().into_iter().chain(notices.iter().cloned()).collect::<Vec<_>>().join("\n");
        self.alert = Some(text);
    }

    fn quit(&mut self) {
        if self.store.has_unsaved_changes()
            && !self.quit_armed
            && let Err(why) = self.store.save()
        {
            self.quit_armed = true;
            self.notify(format!("Changes not saved ({why}). Quit again to leave without them"), Tone::Warning);
            return;
        }
        self.should_quit = true;
    }

    /// Saves changes that an earlier save could not write; used before exiting on a signal.
    pub fn save_pending(&mut self) -> Result<(), String> {
        if self.store.has_unsaved_changes() {
            self.store.save()?;
        }
        self.save_error = None;
        Ok(())
    }
}

mod order;
mod outward;

#[cfg(test)]
mod library_tests;
#[cfg(test)]
mod tests;
