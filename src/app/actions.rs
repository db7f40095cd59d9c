//! What each action does to the model, and moving through the list and the abstract.

use std::sync::Arc;

use ratatui::style::Style;

use super::{App, Filter, Mode, SEARCH_HINT, Tone};
use crate::action::Action;

/// The most characters a paste puts in an input: more than any query, tag or name, and a bound on what a
/// search is asked.
const PASTE_MOST: usize = 1_000;

impl App {
    pub(super) fn act(&mut self, action: Action) {
        self.message = None;
        self.first_until_acted = false;
        if action != Action::Quit {
            self.saving.quit_armed = false;
            self.saving.quitting = false;
        }
        match action {
            Action::Up => self.select(self.selected.saturating_sub(1)),
            Action::Down => self.select(self.selected + 1),
            Action::PageUp => self.select(self.selected.saturating_sub(self.list_page())),
            Action::PageDown => self.select(self.selected + self.list_page()),
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
            Action::ToggleRead => self.toggle_read(),
            Action::CycleFilter => {
                self.filter = match self.filter {
                    Filter::All => Filter::Unread,
                    Filter::Unread => Filter::Starred,
                    Filter::Starred => Filter::All,
                };
                self.refresh();
            }
            Action::NextUnread => self.next_unread(),
            Action::ScrollDetail(lines) => self.scroll_detail(lines as isize),
            Action::ScrollDetailPage(pages) => {
                let page = self.viewport.detail_rows.saturating_sub(1).max(1) as isize;
                self.scroll_detail(pages as isize * page)
            }
            Action::DetailTop => self.detail_scroll = 0,
            Action::DetailBottom => self.detail_scroll = self.viewport.detail_max_scroll(),
            Action::FocusSearch => {
                self.top_when_done = false;
                self.set_mode(Mode::Search);
            }
            Action::SearchInput(input) => {
                if self.search.input(input) {
                    self.refresh();
                }
            }
            Action::Paste(text) => self.paste(&text),
            Action::SubmitSearch => {
                self.set_mode(Mode::List);
                self.select(0);
                self.top_when_done = self.searching();
                self.select_top_when_text_done();
            }
            Action::ClearSearch => {
                self.set_mode(Mode::List);
                if self.search.clear() {
                    self.refresh();
                }
            }
            Action::ToggleHelp => {
                self.show_help = !self.show_help;
                self.help_scroll = 0;
            }
            Action::ScrollHelp(lines) => {
                let max = self.viewport.help_lines.saturating_sub(self.viewport.help_rows.into());
                self.help_scroll = self.help_scroll.saturating_add_signed(lines as isize).min(max);
            }
            // The event loop suspends the process, or paints the screen again; nothing in the model changes.
            Action::Suspend | Action::Redraw => {}
            Action::Quit => self.quit(),
            Action::Interrupt => {
                self.interrupted = true;
                self.should_quit = true;
            }
            Action::DismissAlert => self.alert = None,
            Action::OpenPage => self.open_page(),
            Action::OpenLink(n) => self.open_link(n),
            Action::CopyLink => self.copy_link(),
            Action::ExportView => self.ask_export(),
            Action::CopyAs => self.ask_copy(),
            Action::MoveChoice(step) => self.move_choice(step),
            Action::Choose(index) => self.choose(index),
            Action::CancelChoice => self.choice = None,
            Action::ShowMessages => self.toggle_notes(),
            Action::ScrollMessages(lines) => self.scroll_notes(lines),
            Action::CycleSort => self.cycle_sort(),
            Action::PreviousDay => self.step_day(-1),
            Action::NextDay => self.step_day(1),
            Action::ShowDay(day) => {
                self.day = Some(day);
                self.refresh();
                self.notify(format!("Day {day}"), Tone::Info);
            }
            Action::Fetch => self.fetch(),
            Action::Similar => self.find_similar(),
            Action::LeaveSimilar => self.leave_similar(),
            Action::Tag => self.open_tag_prompt(),
            Action::EditNote => self.edit_note(),
            Action::MarkAllRead => self.ask_mark_all_read(),
            Action::Undo => self.undo(),
            Action::PromptInput(input) => self.prompt_input(input),
            Action::PromptComplete => self.complete_tag(),
            Action::PromptToggleAll => self.toggle_all(),
            Action::PromptSubmit => self.submit_tags(),
            Action::PromptCancel => self.marking.prompt = None,
            Action::Answer(yes) => self.answer(yes),
            Action::Triage => self.start_triage(),
            Action::TriageStar => self.triage_decide(super::Verdict::Starred),
            Action::TriageRead => self.triage_decide(super::Verdict::Read),
            Action::TriageSkip => self.triage_decide(super::Verdict::Skipped),
            Action::TriageBack => self.triage_back(),
            Action::LeaveTriage => self.leave_triage(),
            Action::ToggleCompact => self.toggle_compact(),
            Action::ResizeList(step) => self.resize_list(step),
            Action::CommandPalette => self.open_palette(),
            Action::PaletteInput(input) => self.palette_input(input),
            Action::PaletteMove(step) => self.palette_move(step),
            Action::PaletteRun => self.palette_run(),
            Action::PaletteCancel => self.palette = None,
            Action::SavedSearch(n) => self.apply_saved_search(n),
            tool => self.tool(tool),
        }
    }

    /// Pasted text into the input that takes keys now (see `Action::Paste`): made one line (line breaks
    /// and tabs as spaces, escape sequences and other control characters left out whole, as a digest's
    /// are) and cut at `PASTE_MOST` characters.
    fn paste(&mut self, text: &str) {
        let mut spaced = String::new();
        for c in text.chars() {
            match c {
                // A line break (`\r\n` too) is one space.
                '\n' | '\r' | '\t' if spaced.ends_with(' ') => {}
                '\n' | '\r' | '\t' => spaced.push(' '),
                c => spaced.push(c),
            }
        }
        // An escape sequence goes whole: its ESC alone left out left `[31m` in the query.
        let mut line = crate::sanitize::sanitize(&spaced);
        let cut = line.char_indices().nth(PASTE_MOST).map(|(end, _)| line.truncate(end)).is_some();
        if self.palette_paste(&line) || self.command_paste(&line) || self.prompt_paste(&line) {
            // Taken by the box or prompt open.
        } else if self.mode != Mode::Reading {
            if self.mode == Mode::List {
                self.act(Action::FocusSearch);
            }
            if self.search.insert_str(&line) {
                self.refresh();
            }
        }
        if cut {
            self.notify(format!("Pasted the first {PASTE_MOST} characters"), Tone::Warning);
        }
    }

    pub(super) fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
        // The search bar shows its cursor only while it has the keys.
        let cursor = if mode == Mode::Search { Style::default().reversed() } else { Style::default() };
        self.search.set_cursor_style(cursor);
        // Empty, the bar says how to reach it; reached, what may be typed there.
        self.search.set_placeholder_text(if mode == Mode::Search { SEARCH_HINT } else { "press / to search titles" });
    }

    /// Rows that PageUp and PageDown move by.
    fn list_page(&self) -> usize {
        usize::from(self.viewport.list_rows.max(1))
    }

    /// Selects the paper at `position` in the results (clamped), scrolling its abstract back to the top.
    /// When that changes the paper while one is open, the reader goes back to the list: a paper is only
    /// ever shown open (and marked read) by asking for it.
    pub(super) fn select(&mut self, position: usize) {
        let before = self.results.order.get(self.selected).copied();
        self.select_after(before, position);
    }

    /// `select`, for when the results may have changed since `before` (a library index) was selected.
    pub(super) fn select_after(&mut self, before: Option<u32>, position: usize) {
        self.selected = position.min(self.results.order.len().saturating_sub(1));
        if self.results.order.get(self.selected).copied() != before {
            self.detail_scroll = 0;
            if self.mode == Mode::Reading {
                self.set_mode(Mode::List);
            }
        }
    }

    fn next_unread(&mut self) {
        let len = self.results.order.len();
        let marks = Arc::clone(&self.derived.marks);
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

    fn scroll_detail(&mut self, lines: isize) {
        // Clamp first: a resize may have shortened the text since the last scroll.
        let max = self.viewport.detail_max_scroll();
        self.detail_scroll = self.detail_scroll.min(max).saturating_add_signed(lines).min(max);
    }
}
