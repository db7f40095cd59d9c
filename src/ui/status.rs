//! The status line: counts, the active filter and search, then a message or the keys for the current mode.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::text::{truncate, width};

use crate::action::Place;
use crate::app::{App, Filter, Mode, Sort, Tone};
use crate::sanitize::message;

/// The columns a message keeps before the counts beside it give way (see `render`).
const MESSAGE_ROOM: usize = 40;

pub fn render(app: &App, area: Rect, frame: &mut Frame) {
    let theme = app.theme();
    let total = app.library().len();
    let mut left =
        format!(" {}/{} shown · ★ {} · {} unread", app.results().len(), total, app.starred_count(), app.unread_count());
    // What is shown and marked, kept beside a message (see below); the rest gives way to it.
    let mut counts = format!("{left} ");
    if app.filter() != Filter::All {
        left.push_str(&format!(" · filter: {}", app.filter().name()));
    }
    if let Some(day) = app.day() {
        left.push_str(&format!(" · day: {day}"));
    }
    if app.sort() != Sort::Digest {
        left.push_str(&format!(" · sort: {}", app.sort().name()));
    }
    let query = app.query().trim();
    if !query.is_empty() && app.mode() != Mode::Search {
        left.push_str(&format!(" · search: {}", truncate(&message(query), 20)));
        // The list then holds the last query's results (a saved search that does not parse).
        if app.query_error().is_some() {
            left.push_str(" (does not parse: last results)");
        }
    }
    left.push(' ');
    if let Some(triaging) = app.triage() {
        left = super::triage::status(app, triaging);
        counts = left.clone();
    }

    let mut spans = Vec::new();
    if app.read_only().is_some() {
        // A newer or unreadable state file: nothing will be saved this session, so say so from the start.
        spans.push(Span::styled(" READ-ONLY ", theme.warning));
    } else if app.save_error().is_some() {
        spans.push(Span::styled(" NOT SAVED ", theme.warning));
    }
    // Warnings of the session, for `!`: told in words too, so that they read without colour.
    match app.notes().len() {
        0 => {}
        1 => spans.push(Span::styled(" ⚠ 1 warning ", theme.warning)),
        n => spans.push(Span::styled(format!(" ⚠ {n} warnings "), theme.warning)),
    }
    let used = spans.iter().map(|s| width(&s.content)).sum::<usize>();
    let room = usize::from(area.width).saturating_sub(used);

    // Messages carry file names and error texts from outside: drawn as every message is, made safe.
    // News cut to fit keeps its end (the file it wrote); a warning its start (what was not done), as
    // the messages pane (`!`) keeps the whole of most.
    let said = match (app.message(), app.save_error()) {
        (Some((text, Tone::Warning)), _) => Some((format!("{} ", message(text)), theme.warning, false)),
        (Some((text, Tone::Info)), _) => Some((format!("{} ", message(text)), theme.status_bar, true)),
        (None, Some(why)) => Some((format!("{} ", message(why)), theme.warning, false)),
        (None, None) => None,
    };
    let (left, right, style) = match said {
        // A message says what just happened, often with a file name at its end: the filter, the day,
        // the sort and the search, there all along, give way to it, down to the counts.
        // In a narrow terminal the counts give way too, to the papers shown, then to nothing, until the
        // message has 40 columns: one cut to "Exported…" says nothing.
        Some((text, style, keep_end)) => {
            let wanted = width(&text).min(MESSAGE_ROOM);
            let shortest = format!(" {}/{} shown ", app.results().len(), total);
            let whole = (width(&left) + width(&text) <= room).then_some(left);
            let left = whole
                .into_iter()
                .chain([counts, shortest])
                .find(|side| width(side) + wanted <= room)
                .unwrap_or_else(|| " ".to_string());
            let room = room.saturating_sub(width(&left));
            let right = if keep_end { super::text::elide_middle(&text, room) } else { truncate(&text, room) };
            (left, right, style)
        }
        None => {
            let left = truncate(&left, room);
            let right = hints(app, room.saturating_sub(width(&left)));
            (left, right, theme.status_bar)
        }
    };
    let room = room.saturating_sub(width(&left));
    let right = truncate(&right, room);
    let gap = room.saturating_sub(width(&right));
    spans.push(Span::raw(left));
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(Span::styled(right, style));
    frame.render_widget(Line::from(spans).style(theme.status_bar), area);
}

/// As many of the current mode's keys as fit in `room` columns, the most useful first; the keys as bound
/// (a key the configuration moved is named where it now is, an action left without one is not hinted).
fn hints(app: &App, room: usize) -> String {
    let fixed = |hints: &[&str]| hints.iter().map(|h| h.to_string()).collect::<Vec<_>>();
    let bound = |place: Place, hints: &[(&str, &str)]| -> Vec<String> {
        let bindings = app.bindings();
        hints.iter().filter_map(|(name, what)| Some(format!("{} {what}", bindings.hint_key(place, name)?))).collect()
    };
    // A box open over the list takes the keys: its own are hinted, as it hints them itself.
    let all = if app.palette().is_some() {
        fixed(&["⏎ run", "Esc close", "↑↓ choose"])
    } else if app.choice().is_some() {
        fixed(&["⏎ take", "Esc close", "↑↓ choose", "1-9 take that one"])
    } else if app.output().is_some() {
        fixed(&["Esc close output", "j/k scroll", "y copy"])
    } else if app.showing_notes().is_some() {
        fixed(&["! or Esc close messages", "j/k scroll"])
    } else if app.show_help() {
        fixed(&["? or Esc close help"])
    } else if let Some(triaging) = app.triage() {
        super::triage::hints(app, triaging)
    } else {
        match app.mode() {
            Mode::List if !app.notes().is_empty() => bound(
                Place::List,
                &[
                    ("show_messages", "messages"),
                    ("toggle_help", "help"),
                    ("focus_search", "search"),
                    ("open", "open"),
                    ("toggle_star", "star"),
                    ("quit", "quit"),
                    ("cycle_filter", "filter"),
                ],
            ),
            Mode::List => bound(
                Place::List,
                &[
                    ("toggle_help", "help"),
                    ("focus_search", "search"),
                    ("open", "open"),
                    ("toggle_star", "star"),
                    ("quit", "quit"),
                    ("cycle_filter", "filter"),
                    ("next_unread", "next unread"),
                ],
            ),
            Mode::Search => fixed(&["⏎ done", "Esc clear", "↑↓ select"]),
            Mode::Reading => {
                let bindings = app.bindings();
                let scroll = ["scroll_detail_down", "scroll_detail_up"].map(|n| bindings.hint_key(Place::Reading, n));
                let mut all = bound(Place::Reading, &[("back", "back")]);
                if let [Some(down), Some(up)] = scroll {
                    all.push(format!("{down}/{up} scroll"));
                }
                all.extend(bound(
                    Place::Reading,
                    &[("toggle_star", "star"), ("next_unread", "next unread"), ("toggle_help", "help")],
                ));
                all
            }
        }
    };
    let mut shown: Vec<&str> = Vec::new();
    let mut used = 1;
    for hint in &all {
        let w = width(hint) + 2;
        if used + w > room {
            break;
        }
        used += w;
        shown.push(hint.as_str());
    }
    format!("{} ", shown.join("  "))
}
