//! The alert box: what happened to the stars and read marks file, in full, until the reader closes it.
//!
//! A damaged, restored or newer-version state file is news a reader must not miss; the status line is too
//! short to name two paths at 80 columns, so it goes in a box over the panes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::Theme;

/// The widest the box grows, in columns, so lines stay readable on a wide terminal.
const MAX_WIDTH: u16 = 76;

pub fn render(message: &str, theme: &Theme, area: Rect, frame: &mut Frame) {
    let width = area.width.saturating_sub(2).min(MAX_WIDTH);
    let text_width = usize::from(width.saturating_sub(4)).max(1);
    let mut lines: Vec<Line> = Vec::new();
    // Notices name files and quote error texts from outside: made safe as every message is.
    for (i, paragraph) in crate::sanitize::message(message).lines().enumerate() {
        if i > 0 {
            lines.push(Line::default());
        }
        // Paths are long and full of hyphens: break them only where a line is full, never at a hyphen.
        let options = super::text::at_spaces(text_width).word_splitter(textwrap::WordSplitter::NoHyphenation);
        lines.extend(textwrap::wrap(paragraph, options).into_iter().map(|l| Line::from(format!(" {l}"))));
    }
    let height = super::cells(lines.len()).saturating_add(2).min(area.height);
    let popup = super::centered(area, width, height);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.warning)
        .title(Span::styled(" Stars and read marks ", theme.pane_title))
        .title_bottom(Line::styled(" Enter or Esc closes ", theme.dim).right_aligned());
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
