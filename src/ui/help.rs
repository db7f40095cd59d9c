//! The help overlay: every key, grouped, drawn over the panes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::theme;

/// Keys and what they do, as shown in the overlay and the README.
/// At most 20, so that the overlay fits an 80x24 terminal between the search bar and the status line.
pub const KEYS: [(&str, &str); 20] = [
    ("j k ↓ ↑", "select next / previous paper"),
    ("g G Home End", "first / last paper"),
    ("PgDn PgUp", "one screen down / up"),
    ("Enter", "open the paper (marks it read)"),
    ("Esc q", "back to the list (from a paper)"),
    ("J K Shift+↓↑", "scroll the abstract"),
    ("/", "search: titles, @author, arXiv id"),
    ("'a ^a a$ !a", "in search: exact, start, end, not"),
    ("/?", "search the text: a \"a b\" -a au:a"),
    ("Enter Esc", "in search: to the top result / clear"),
    ("s r", "star / mark read (again: undo)"),
    ("f", "filter: all → unread → starred"),
    ("n m", "next unread / papers like this one"),
    ("[ ]", "one day's papers: previous / next day"),
    ("S", "sort: digest → newest → title → upvotes"),
    ("o 1-9", "open the page / link N in the browser"),
    ("y E R", "copy link / export the list / fetch"),
    ("mouse", "wheel scrolls, click selects"),
    ("Ctrl-Z ?", "suspend (fg to return) / this help"),
    ("q Ctrl-C", "quit (marks are saved at once)"),
];

pub fn render(area: Rect, frame: &mut Frame) {
    let key_width = KEYS.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0) + 2;
    let lines: Vec<Line> = KEYS
        .iter()
        .map(|(key, what)| {
            Line::from(vec![Span::styled(format!(" {key:<key_width$}"), theme::key()), Span::raw(*what)])
        })
        .collect();
    let width = (lines.iter().map(Line::width).max().unwrap_or(0) + 3) as u16;
    let height = lines.len() as u16 + 2;
    let popup = super::centered(area, width, height);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme::border_focused())
        .title(Span::styled(" Keys ", theme::pane_title()))
        .title_bottom(Line::styled(" ? or Esc closes ", theme::dim()).right_aligned());
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
