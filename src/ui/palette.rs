//! The command palette's box: what is typed, then each matching action's name, help line and keys, the
//! matched characters highlighted and the chosen row in the selection's style.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear};

use super::list::highlighted_title;
use super::text::{truncate, width};
use crate::app::Palette;
use crate::config::Theme;

/// The widest the box grows: as wide as its longest row, up to this.
const MAX_WIDTH: usize = 132;
/// The widest the name and the keys columns grow; longer ones are cut.
const MAX_NAME: usize = 26;
const MAX_KEYS: usize = 24;

pub fn render(palette: &Palette, theme: &Theme, body: Rect, frame: &mut Frame) {
    let room = body.inner(Margin::new(2, 1));
    // Measured over every entry, not those shown: the box keeps its size while the user types.
    let widest = |of: fn(&crate::app::PaletteEntry) -> &str| palette.entries().iter().map(|e| width(of(e))).max();
    let (names, docs, keys) = (widest(|e| e.name.as_str()), widest(|e| e.doc.as_str()), widest(|e| e.keys.as_str()));
    let wanted =
        2 + 1 + names.unwrap_or(0).min(MAX_NAME) + 2 + docs.unwrap_or(0) + 2 + keys.unwrap_or(0).min(MAX_KEYS) + 1;
    let box_width = room.width.min(wanted.clamp(40, MAX_WIDTH) as u16);
    let rows_wanted = palette.shown().len().max(1) as u16;
    let height = (rows_wanted + 3).min(room.height).max(3.min(room.height));
    let popup = super::centered(room, box_width, height);
    let count = format!(" Commands · {} of {} ", palette.shown().len(), palette.len());
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Span::styled(count, theme.pane_title))
        .title_bottom(Line::styled(" ⏎ runs · Esc closes ", theme.dim).right_aligned());
    let inner = block.inner(popup);
    // A column cleared on either side too: the list's last characters showed through between the
    // box's border and the pane's (`│ │ open … │…│`).
    let beside = Rect { x: popup.x.saturating_sub(1), width: popup.width.saturating_add(2), ..popup };
    frame.render_widget(Clear, beside.intersection(body.inner(Margin::new(1, 0))));
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    let prompt = Rect { width: 2, height: 1, ..inner };
    frame.render_widget(Line::styled("> ", theme.prompt_focused), prompt);
    let input = Rect { x: inner.x + 2, width: inner.width - 2, height: 1, ..inner };
    frame.render_widget(palette.input(), input);

    let rows = usize::from(inner.height.saturating_sub(1));
    let inside = usize::from(inner.width);
    if palette.shown().len() == 0 {
        if rows > 0 {
            let area = Rect { y: inner.y + 1, height: 1, ..inner };
            frame.render_widget(Line::styled(" no action has that name", theme.dim), area);
        }
        return;
    }
    // The highlighted row stays in sight.
    let offset = palette.selected().saturating_sub(rows.saturating_sub(1));
    // The columns are as wide as the rows in sight need: in a short box, a long name further down does
    // not cut every help line.
    let visible = || palette.shown().skip(offset).take(rows);
    let mut name_width = visible().map(|(e, ..)| width(&e.name)).max().unwrap_or(0).min(MAX_NAME);
    let mut keys_width = visible().map(|(e, ..)| width(&e.keys)).max().unwrap_or(0).min(MAX_KEYS);
    // In a narrow box the help lines go first, then the keys are cut (with "…", never cut off by the
    // border, which would name another key), the names keeping three fifths of the room.
    let room = inside.saturating_sub(6);
    if name_width + keys_width > room {
        name_width = name_width.min(room * 3 / 5);
        keys_width = room - name_width;
    }
    for (row, (position, (entry, name_hits, doc_hits))) in
        palette.shown().enumerate().skip(offset).take(rows).enumerate()
    {
        let mut spans = vec![Span::raw(" ")];
        let name = crate::sanitize::message(&entry.name);
        let shown_name = highlighted_title(&name, name_hits, (theme.key, theme.matched), name_width);
        let used: usize = shown_name.iter().map(|s| width(&s.content)).sum();
        spans.extend(shown_name);
        spans.push(Span::raw(" ".repeat(name_width - used.min(name_width) + 2)));
        let keys = truncate(&entry.keys, keys_width);
        // The help line takes what the row's own keys leave of their column.
        let doc_room = inside.saturating_sub(1 + name_width + 2 + 2 + width(&keys) + 1);
        let doc = crate::sanitize::message(&entry.doc);
        let shown_doc = highlighted_title(&doc, doc_hits, (ratatui::style::Style::default(), theme.matched), doc_room);
        let used: usize = shown_doc.iter().map(|s| width(&s.content)).sum();
        spans.extend(shown_doc);
        spans.push(Span::raw(" ".repeat(doc_room - used.min(doc_room) + 2)));
        spans.push(Span::styled(keys, theme.dim));
        spans.push(Span::raw(" "));
        let line = Line::from(spans);
        let line = if position == palette.selected() { line.patch_style(theme.selected) } else { line };
        let area = Rect { y: inner.y + 1 + row as u16, height: 1, ..inner };
        frame.render_widget(line, area);
    }
}
