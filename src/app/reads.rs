//! What the screens, the bench and the work threads read of the app: its library, query, mode and
//! selection, the messages shown, and what is under way.

use std::sync::Arc;

use ratatui_textarea::TextArea;

use super::{App, Filter, Loading, Mode, Sort, Tone, Viewport};
use crate::library::{Day, Library, PaperRef};

impl App {
    pub fn library(&self) -> &Library {
        &self.library
    }

    pub fn search_bar(&self) -> &TextArea<'static> {
        &self.search
    }

    /// The search text as typed.
    pub fn query(&self) -> &str {
        self.search.lines().first().map_or("", String::as_str)
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn filter(&self) -> Filter {
        self.filter
    }

    /// The day shown, when only one day's papers are.
    pub fn day(&self) -> Option<Day> {
        self.day
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }

    pub fn show_help(&self) -> bool {
        self.show_help
    }

    /// The first line of the help shown.
    pub fn help_scroll(&self) -> usize {
        self.help_scroll
    }

    /// How far loading has come, while digests are still being read.
    pub fn loading(&self) -> Option<&Loading> {
        self.loading.as_ref()
    }

    /// First line of the abstract pane that is shown.
    pub fn detail_scroll(&self) -> usize {
        self.detail_scroll
    }

    pub fn viewport(&self) -> Viewport {
        self.viewport
    }

    /// The status line's message, until the next key.
    pub fn message(&self) -> Option<&(String, Tone)> {
        self.message.as_ref()
    }

    /// What happened to the state file, shown in a box until dismissed.
    pub fn alert(&self) -> Option<&str> {
        self.alert.as_deref()
    }

    pub fn should_quit(&self) -> bool {
        self.should_quit
    }

    /// True when the user interrupted (Ctrl-C) rather than quit.
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }

    /// Indices into the library of the papers shown, in order.
    pub fn results(&self) -> &[u32] {
        &self.results.order
    }

    /// Position of the selection within `results()`.
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_paper(&self) -> Option<PaperRef<'_>> {
        self.results.order.get(self.selected).map(|&i| self.library.get(i as usize))
    }

    /// True while the list is being sorted by title on a thread of its own.
    pub fn sorting(&self) -> bool {
        self.sorting.is_some()
    }

    /// True while an export is being written.
    pub fn exporting(&self) -> bool {
        self.exporting > 0
    }

    /// What a fetch in the background is doing, while one runs.
    pub fn fetching(&self) -> Option<&str> {
        self.fetching.as_deref()
    }

    /// True while work asked of the threads is still to come back: a search, a sort, a save, an export, a
    /// fetch.
    pub fn busy(&self) -> bool {
        self.pending.is_some()
            || self.refining.is_some()
            || self.text_waiting()
            || self.sorting.is_some()
            || self.saving.in_flight > 0
            || self.exporting > 0
            || self.fetching.is_some()
            || self.tools.busy()
    }

    /// Every day a paper appeared on, oldest first.
    pub fn days(&self) -> Arc<Vec<Day>> {
        Arc::clone(&self.derived.days)
    }
}
