//! The model: the library, the marks, what is shown and selected; `App::update` is the only mutator.

use ratatui::style::Style;
use ratatui_textarea::TextArea;

use crate::action::Action;
use crate::library::{Library, Paper};
use crate::search::Query;
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

/// Which papers the list shows, before the search narrows it further.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    Unread,
    Starred,
}

impl Filter {
    pub fn name(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Unread => "unread",
            Filter::Starred => "starred",
        }
    }
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
    /// The store's generation then: marks decide what the unread and starred views hold.
    generation: u64,
    /// Indices of the papers it matched, in library order.
    matched: Vec<usize>,
}

pub struct App {
    library: Library,
    store: Store,
    search: TextArea<'static>,
    pub mode: Mode,
    pub filter: Filter,
    pub show_help: bool,
    /// Indices into the library of the papers shown, in the order shown.
    results: Vec<usize>,
    searched: Option<Searched>,
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
            show_help: false,
            results: Vec::new(),
            searched: None,
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

    /// Indices into `library().papers()` of the papers shown, in order.
    pub fn results(&self) -> &[usize] {
        &self.results
    }

    /// Position of the selection within `results()`.
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_paper(&self) -> Option<&Paper> {
        self.results.get(self.selected).map(|&i| &self.library.papers()[i])
    }

    pub fn is_starred(&self, paper: &Paper) -> bool {
        self.store.is_starred(&paper.key)
    }

    pub fn is_read(&self, paper: &Paper) -> bool {
        self.store.is_read(&paper.key)
    }

    pub fn starred_count(&self) -> usize {
        self.library.papers().iter().filter(|p| self.is_starred(p)).count()
    }

    pub fn unread_count(&self) -> usize {
        self.library.papers().iter().filter(|p| !self.is_read(p)).count()
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
                    let read = !self.is_read(paper);
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
            Action::FocusSearch => self.set_mode(Mode::Search),
            Action::SearchInput(input) => {
                if self.search.input(input) {
                    self.refresh();
                }
            }
            Action::SubmitSearch => {
                self.set_mode(Mode::List);
                self.select(0);
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
        let before = self.results.get(self.selected).copied();
        self.select_after(before, position);
    }

    /// `select`, for when the results may have changed since `before` (a library index) was selected.
    fn select_after(&mut self, before: Option<usize>, position: usize) {
        self.selected = position.min(self.results.len().saturating_sub(1));
        if self.results.get(self.selected).copied() != before {
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
        let current = self.results.get(self.selected).copied();
        let papers = self.library.papers();
        let candidates = (0..papers.len()).filter(|&i| {
            let key = &papers[i].key;
            match self.filter {
                Filter::All => true,
                Filter::Unread => !self.store.is_read(key),
                Filter::Starred => self.store.is_starred(key),
            }
        });
        let query = Query::new(self.query());
        let generation = self.store.generation();
        // Typing on: search only what the shorter query matched, if nothing else changed since.
        let narrowed = self
            .searched
            .take()
            .filter(|last| last.filter == self.filter && last.generation == generation && query.narrows(&last.query));
        let matched = match narrowed {
            Some(last) => query.rank(papers, last.matched),
            None => query.rank(papers, candidates),
        };
        let mut sorted = matched.clone();
        sorted.sort_unstable();
        self.searched = Some(Searched { query, filter: self.filter, generation, matched: sorted });
        self.results = matched;
        let position = current.and_then(|c| self.results.iter().position(|&i| i == c)).unwrap_or(0);
        self.select_after(current, position);
    }

    fn next_unread(&mut self) {
        let len = self.results.len();
        let found = (1..=len)
            .map(|step| (self.selected + step) % len)
            .find(|&pos| !self.store.is_read(&self.library.papers()[self.results[pos]].key));
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

    fn toggle_star(&mut self) {
        let Some(paper) = self.selected_paper() else { return };
        let (key, title) = (paper.key.clone(), paper.title.clone());
        let starred = !self.store.is_starred(&key);
        let result = self.store.update(&key, &title, |m| m.starred = starred);
        self.saved(result, if starred { "Starred" } else { "Unstarred" });
    }

    fn set_read(&mut self, read: bool) {
        let Some(paper) = self.selected_paper() else { return };
        let (key, title) = (paper.key.clone(), paper.title.clone());
        if self.store.is_read(&key) == read {
            return;
        }
        let result = self.store.update(&key, &title, |m| m.read = read);
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

#[cfg(test)]
mod tests;
