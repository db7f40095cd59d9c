//! The messages pane (`!`): every warning of the session, `file:line — text`, scrolled as the help is.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::ViewState;
use crate::app::App;

/// The widest the pane grows, so that lines stay readable on a wide terminal.
const MAX_WIDTH: u16 = 100;

/// The pane's lines at `room` columns: each warning's time and place, then its text, wrapped under it.
fn lines(app: &App, room: usize) -> Vec<Line<'static>> {
    let theme = app.theme();
    let mut lines = Vec::new();
    if app.notes().is_empty() {
        lines.push(Line::styled(" Nothing to report this session.", theme.dim));
    }
    // Paths are long and full of hyphens: break them only where a line is full, never at a hyphen.
    let options =
        |width: usize| super::text::at_spaces(width.max(1)).word_splitter(textwrap::WordSplitter::NoHyphenation);
    for note in app.notes() {
        let when = note.when.strftime("%H:%M:%S").to_string();
        // Names and texts from outside (files, error messages): made safe as every message is.
        let text = crate::sanitize::message(&note.text);
        let head = match note.place() {
            Some(place) => format!("{} — {}", crate::sanitize::message(&place), text.lines().next().unwrap_or("")),
            None => text.lines().next().unwrap_or("").to_string(),
        };
        let rest: Vec<&str> = text.lines().skip(1).map(str::trim).filter(|l| !l.is_empty()).collect();
        let indent = when.len() + 3;
        for (i, wrapped) in textwrap::wrap(&head, options(room.saturating_sub(indent))).into_iter().enumerate() {
            let stamp = if i == 0 { format!(" {when}  ") } else { " ".repeat(indent) };
            lines.push(Line::from(vec![Span::styled(stamp, theme.dim), Span::raw(wrapped.into_owned())]));
        }
        for extra in rest {
            for wrapped in textwrap::wrap(extra, options(room.saturating_sub(indent + 2))) {
                lines.push(Line::raw(format!("{}  {wrapped}", " ".repeat(indent))));
            }
        }
    }
    lines
}

pub fn render(app: &App, body: Rect, view: &mut ViewState, frame: &mut Frame) {
    let theme = app.theme();
    // A column and a row inside the panes, so that its border never lies on theirs.
    let room = body.inner(Margin::new(1, 1));
    let width = room.width.min(MAX_WIDTH);
    let all = lines(app, usize::from(width.saturating_sub(3)));
    let height = super::cells(all.len()).saturating_add(2).min(room.height);
    let popup = super::centered(room, width, height);
    let count = app.notes().len();
    let title = match count {
        1 => " Messages: 1 warning ".to_string(),
        n => format!(" Messages: {n} warnings "),
    };
    let mut block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.warning)
        .title(Span::styled(title, theme.pane_title));
    let inner = block.inner(popup);
    view.notes = inner;
    view.notes_lines = all.len();
    let scroll = app.showing_notes().unwrap_or(0).min(all.len().saturating_sub(inner.height.into()));
    let bottom = if all.len() > usize::from(inner.height) {
        let shown_to = (scroll + usize::from(inner.height)).min(all.len());
        format!(" j/k PgDn scroll · {}% · ! or Esc closes ", shown_to * 100 / all.len().max(1))
    } else {
        " ! or Esc closes ".to_string()
    };
    block = block.title_bottom(Line::styled(bottom, theme.dim).right_aligned());
    frame.render_widget(Clear, popup);
    let visible: Vec<Line> = all.into_iter().skip(scroll).take(inner.height.into()).collect();
    frame.render_widget(Paragraph::new(visible).block(block), popup);
}
