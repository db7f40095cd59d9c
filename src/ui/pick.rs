//! The pick-one box: a short numbered list over the panes, the highlighted option in the selection's
//! style; `Y` (what to copy) and `E` (which format) both ask with it.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::text::{truncate, width};
use crate::app::Choice;
use crate::config::Theme;

/// The widest the box grows: an option (a URL) longer than this is cut.
const MAX_WIDTH: u16 = 72;

pub fn render(choice: &Choice, theme: &Theme, body: Rect, frame: &mut Frame) {
    let room = body.inner(Margin::new(1, 1));
    let hint = " ⏎ takes · Esc closes ";
    let rows: Vec<String> = choice.options.iter().enumerate().map(|(i, o)| format!(" {}  {o} ", i + 1)).collect();
    let widest = rows.iter().map(|r| width(r)).chain([width(choice.title), width(hint)]).max().unwrap_or(0);
    let box_width = super::cells(widest).saturating_add(2).min(MAX_WIDTH).min(room.width);
    let inside = usize::from(box_width.saturating_sub(2));
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            // The whole row highlighted, to its end, as the list's selection is.
            let row = truncate(&crate::sanitize::message(row), inside);
            let padded = format!("{row}{}", " ".repeat(inside.saturating_sub(width(&row))));
            if i == choice.selected { Line::styled(padded, theme.selected) } else { Line::raw(padded) }
        })
        .collect();
    let height = super::cells(lines.len()).saturating_add(2).min(room.height);
    let popup = super::centered(room, box_width, height);
    // In a box shorter than its options, the highlighted one stays in sight.
    let shown = usize::from(height.saturating_sub(2));
    let lines: Vec<Line> = lines.into_iter().skip(choice.selected.saturating_sub(shown.saturating_sub(1))).collect();
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Span::styled(choice.title, theme.pane_title))
        .title_bottom(Line::styled(hint, theme.dim).right_aligned());
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
