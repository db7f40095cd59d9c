//! The help box: every key in effect (the configuration's `[keys]` included), drawn inside its own border
//! over the panes, scrolled with j/k and PgDn/PgUp when the terminal is too small for all of it.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::ViewState;
use super::text::width;
use crate::action::Key;
use crate::action::bindings::NAMED;
use crate::app::App;

/// Keys that no configuration changes, after the bound ones.
const FIXED: [(&str, &str); 15] = [
    ("1-9", "open link N in the browser"),
    ("'a ^a a$ !a", "in search: exact, start, end, not"),
    ("cat:a author:a", "in search: category, author filters"),
    ("title:a \"a b\"", "in search: a run of the title"),
    ("abstract:a", "in search: a run of the abstract"),
    ("#a tag:a", "in search: papers with that tag"),
    ("is:unread", "in search: also is:read, is:starred"),
    ("a OR b  a | b", "in search: either; NOT a, AND, ( )"),
    ("/?", "search the text: a \"a b\" -a au:a"),
    ("Enter Esc", "in search: to the top result / clear"),
    ("Esc", "in the list: clear the search, leave similar papers"),
    ("mouse", "wheel scrolls, click selects"),
    ("Ctrl-Z", "suspend (fg to return)"),
    ("Ctrl-L", "draw the whole screen again"),
    ("Ctrl-C", "quit at once"),
];

/// The widest the key column grows; longer lists of keys wrap within it.
const MAX_KEY_WIDTH: usize = 16;

/// Each entry: the keys and what they do, as the bindings in effect say.
pub fn entries(app: &App) -> Vec<(String, String)> {
    let bindings = app.bindings();
    let mut entries: Vec<(String, String)> = NAMED
        .iter()
        .enumerate()
        .map(|(index, named)| {
            let keys: Vec<String> = bindings.keys_of(index).iter().map(Key::to_string).collect();
            (keys.join(" "), named.doc.to_string())
        })
        .collect();
    // The saved searches, on Alt and their number, after the actions.
    entries.extend(app.saved_searches().iter().take(9).enumerate().map(|(i, saved)| {
        (format!("Alt-{}", i + 1), crate::sanitize::message(&format!("search: {} ({})", saved.name, saved.query)))
    }));
    entries.extend(FIXED.iter().map(|(k, d)| (k.to_string(), d.to_string())));
    entries
}

/// The help's lines at `room` columns (inside the border): keys left, what they do right, both wrapped.
fn lines(app: &App, room: usize) -> Vec<Line<'static>> {
    let theme = app.theme();
    let entries = entries(app);
    let key_width = entries.iter().map(|(k, _)| width(k)).max().unwrap_or(0).min(MAX_KEY_WIDTH);
    // Narrow: the keys on a line of their own, what they do below, indented.
    let side_by_side = room >= key_width + 20;
    let mut lines = Vec::new();
    for (keys, what) in entries {
        let (key_room, what_room) = if side_by_side {
            (key_width, room - key_width - 2)
        } else {
            (room.saturating_sub(1), room.saturating_sub(3))
        };
        // A list of keys that wraps goes on indented, so that its next line does not read as a new one.
        let keys = textwrap::wrap(&keys, super::text::at_spaces(key_room.max(3)).subsequent_indent("  "));
        let what = textwrap::wrap(&what, super::text::at_spaces(what_room.max(1)));
        if side_by_side {
            for i in 0..keys.len().max(what.len()) {
                let key = keys.get(i).map_or(String::new(), |k| k.to_string());
                let pad = key_width.saturating_sub(width(&key));
                lines.push(Line::from(vec![
                    Span::styled(format!(" {key}{}", " ".repeat(pad)), theme.key),
                    Span::raw(format!(" {}", what.get(i).map_or("", |w| w.as_ref()))),
                ]));
            }
        } else {
            lines.extend(keys.iter().map(|k| Line::styled(format!(" {k}"), theme.key)));
            lines.extend(what.iter().map(|w| Line::raw(format!("   {w}"))));
        }
    }
    lines
}

pub fn render(app: &App, body: Rect, view: &mut ViewState, frame: &mut Frame) {
    let theme = app.theme();
    // A column and a row inside the panes, so that its border never lies on theirs.
    let room = body.inner(Margin::new(1, 1));
    let widest = lines(app, usize::MAX / 2).iter().map(Line::width).max().unwrap_or(0);
    let width = super::cells(widest).saturating_add(3).min(room.width);
    let all = lines(app, usize::from(width.saturating_sub(3)));
    let height = super::cells(all.len()).saturating_add(2).min(room.height);
    let popup = super::centered(room, width, height);
    let mut block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Span::styled(" Keys ", theme.pane_title));
    let inner = block.inner(popup);
    view.help = inner;
    view.help_lines = all.len();
    let scroll = app.help_scroll().min(all.len().saturating_sub(inner.height.into()));
    let bottom = if all.len() > usize::from(inner.height) {
        let shown_to = (scroll + usize::from(inner.height)).min(all.len());
        format!(" j/k PgDn scroll · {}% ", shown_to * 100 / all.len().max(1))
    } else {
        " ? or Esc closes ".to_string()
    };
    block = block.title_bottom(Line::styled(bottom, theme.dim).right_aligned());
    frame.render_widget(Clear, popup);
    let visible: Vec<Line> = all.into_iter().skip(scroll).take(inner.height.into()).collect();
    frame.render_widget(Paragraph::new(visible).block(block), popup);
}
