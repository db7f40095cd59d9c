//! Draws the app. Reads the model, never changes it; records the layout it drew in `ViewState`.

mod alert;
mod cells;
mod detail;
mod help;
mod list;
mod notes;
mod output;
mod palette;
mod pick;
mod prompt;
mod status;
mod text;
mod theme;
mod triage;
use theme::Theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use crate::app::{App, Mode, Viewport};

pub use text::truncate;

/// At this width and wider the list and the open paper stand side by side; narrower, one at a time.
pub const SIDE_BY_SIDE_WIDTH: u16 = 100;

/// The layout of the last frame, for mouse hit tests; the room it had goes to the model as a `Viewport`.
/// Written only by `render`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ViewState {
    /// Whether the list and the detail pane were side by side.
    pub wide: bool,
    /// The search bar's row.
    pub search: Rect,
    /// Where the list rows are drawn (inside the border).
    pub list: Rect,
    /// Position in the results of the first row shown.
    pub list_offset: usize,
    /// Where the detail text is drawn (inside the border).
    pub detail: Rect,
    /// How many lines the detail text has at the current width.
    pub detail_lines: usize,
    /// Where the help's lines are drawn (inside its border), when it is shown.
    pub help: Rect,
    /// How many lines the help has at its width.
    pub help_lines: usize,
    /// Where the messages pane's lines are drawn (inside its border), when it is shown, and how many
    /// lines it has at its width.
    pub notes: Rect,
    pub notes_lines: usize,
    /// Where a command's output is drawn (inside its border), when it is shown, and its lines at its width.
    pub output: Rect,
    pub output_lines: usize,
}

impl ViewState {
    /// The room the frame had, which paging and scrolling in the model go by.
    pub fn viewport(&self) -> Viewport {
        Viewport {
            list_rows: self.list.height,
            detail_rows: self.detail.height,
            detail_lines: self.detail_lines,
            help_rows: self.help.height,
            help_lines: self.help_lines,
            notes_rows: self.notes.height,
            notes_lines: self.notes_lines,
            side_by_side: self.wide,
            output_rows: self.output.height,
            output_lines: self.output_lines,
        }
    }

    /// The furthest the detail pane can scroll and still be full.
    pub fn detail_max_scroll(&self) -> usize {
        self.viewport().detail_max_scroll()
    }
}

/// Draws the whole screen.
pub fn render(app: &App, view: &mut ViewState, frame: &mut Frame) {
    let area = frame.area();
    let [search, body, status] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)]).areas(area);
    // The list alone (`z`) is drawn as a narrow terminal draws it: the open paper takes the whole width.
    view.wide = area.width >= SIDE_BY_SIDE_WIDTH && !app.panes().compact;
    render_search_bar(app, search, view, frame);

    let (list_area, detail_area) = if app.triage().is_some() {
        (None, None)
    } else if view.wide {
        let list = app.panes().list_percent;
        let [l, d] = Layout::horizontal([Constraint::Percentage(list), Constraint::Percentage(100 - list)]).areas(body);
        (Some(l), Some(d))
    } else if app.mode() == Mode::Reading {
        (None, Some(body))
    } else {
        (Some(body), None)
    };
    view.list = Rect::default();
    view.detail = Rect::default();
    if let Some(triaging) = app.triage() {
        triage::render(app, triaging, body, view, frame);
    }
    if let Some(area) = list_area {
        list::render(app, area, view, frame);
    }
    if let Some(area) = detail_area {
        detail::render(app, area, view, frame);
    }
    if app.command_prompt().is_some() {
        output::render_prompt(app, status, frame);
    } else if prompt::asking(app) {
        prompt::render(app, status, frame);
    } else {
        status::render(app, status, frame);
    }
    view.help = Rect::default();
    if app.show_help() {
        help::render(app, body, view, frame);
    }
    view.notes = Rect::default();
    if app.showing_notes().is_some() {
        notes::render(app, body, view, frame);
    }
    view.output = Rect::default();
    if app.output().is_some() {
        output::render(app, body, view, frame);
    }
    if let Some(choice) = app.choice() {
        pick::render(choice, app.theme(), body, frame);
    }
    if let Some(open) = app.palette() {
        palette::render(open, app.theme(), body, frame);
    }
    if let Some(message) = app.alert() {
        alert::render(message, app.theme(), body, frame);
    }
    cells::settle(frame.buffer_mut());
}

/// A box of `width` x `height` in the middle of `area` (clipped to it), for overlays.
/// `n` rows or columns, as many as a terminal can have at most: a count past `u16::MAX` (the lines of a
/// megabyte of output) wrapped around when cast, and a pane of 65,536 lines was drawn empty.
fn cells(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [_, column, _] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(width), Constraint::Fill(1)]).areas(area);
    let [_, popup, _] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(height), Constraint::Fill(1)]).areas(column);
    popup
}

fn render_search_bar(app: &App, area: Rect, view: &mut ViewState, frame: &mut Frame) {
    let theme = app.theme();
    view.search = area;
    let focused = app.mode() == Mode::Search;
    let prompt = Span::styled(" / ", if focused { theme.prompt_focused } else { theme.prompt });
    let days = app.days();
    let label = match (app.day(), app.library().date(), days.as_slice()) {
        (Some(day), ..) => format!(" papers · {day} "),
        (None, Some(date), [] | [_]) => format!(" papers · {date} "),
        (None, _, [day]) => format!(" papers · {day} "),
        (None, _, [.., last]) => format!(" papers · {} days to {last} ", days.len()),
        (None, _, []) => " papers ".to_string(),
    };
    // Why the query does not parse takes the label's place.
    let label_width = if area.width >= 60 && app.query_error().is_none() { text::width(&label) as u16 } else { 0 };
    // Work still going on, shown at any width: the list below is not final yet.
    let busy = match (app.loading(), app.searching()) {
        _ if let Some(why) = app.query_error() => format!(" {why} "),
        (_, true) => " searching… ".to_string(),
        _ if app.text_searching() => " searching… ".to_string(),
        _ if app.sorting() => " sorting… ".to_string(),
        (Some(loading), false) => match loading.total {
            Some(total) if total > 0 => format!(" loading {}% ", (loading.bytes * 100 / total).min(99)),
            _ if loading.bytes < 1_000_000 => format!(" loading {} KB ", loading.bytes / 1_000),
            _ => format!(" loading {} MB ", loading.bytes / 1_000_000),
        },
        _ if app.exporting() => " exporting… ".to_string(),
        _ if app.running_command() => " running… ".to_string(),
        _ if app.fetching().is_some() => format!(" {} ", app.fetching().unwrap_or_default()),
        _ if app.saving() => " saving… ".to_string(),
        _ if let Some((taken, sent)) = app.indexing() => format!(" indexing {}% ", (taken * 100 / sent.max(1)).min(99)),
        (None, false) => String::new(),
    };
    let busy_width = text::width(&busy) as u16;
    let [prompt_area, input_area, busy_area, label_area] = Layout::horizontal([
        Constraint::Length(3),
        Constraint::Min(1),
        Constraint::Length(busy_width),
        Constraint::Length(label_width),
    ])
    .areas(area);
    frame.render_widget(Line::from(prompt), prompt_area);
    frame.render_widget(app.search_bar(), input_area);
    let busy_style = if app.query_error().is_some() { theme.warning } else { theme.busy };
    frame.render_widget(Line::styled(busy, busy_style), busy_area);
    frame.render_widget(Line::styled(label, theme.dim).right_aligned(), label_area);
}
