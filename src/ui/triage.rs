//! Triage on screen: the paper being triaged across the screen, the count of what is left in the status
//! line, and a screen with what was done once the last paper is passed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph, Wrap};

use super::ViewState;
use crate::action::Place;
use crate::app::{App, Triage, Verdict};

/// The widest the paper is drawn: past this, lines of an abstract are too long to read at a glance, so
/// the pane stands in the middle of a wide terminal.
const MAX_WIDTH: u16 = 110;

pub fn render(app: &App, triage: &Triage, body: Rect, view: &mut ViewState, frame: &mut Frame) {
    view.list = Rect::default();
    let area = Rect { width: body.width.min(MAX_WIDTH), x: body.x + body.width.saturating_sub(MAX_WIDTH) / 2, ..body };
    let Some(index) = triage.current() else {
        view.detail = Rect::default();
        view.detail_lines = 0;
        return done(app, triage, area, frame);
    };
    let paper = app.library().get(index as usize);
    let (at, of) = triage.position();
    let again = match triage.verdict() {
        Some(Verdict::Starred) => " · starred before",
        Some(Verdict::Read) => " · marked read before",
        Some(Verdict::Skipped) => " · skipped before",
        None => "",
    };
    let title = format!(" Triage · {at} of {of}{again} ");
    super::detail::render_paper(app, Some((&paper, index)), (title, true), area, view, frame);
}

/// The screen once the last paper is passed: what was done, and the way out.
fn done(app: &App, triage: &Triage, area: Rect, frame: &mut Frame) {
    let theme = app.theme();
    let (starred, read, skipped) = triage.counts();
    let (_, of) = triage.position();
    let papers = if of == 1 { "paper" } else { "papers" };
    let back = key(app, "triage_back").map(|k| format!(", {k} back to the last paper")).unwrap_or_default();
    let mut lines = vec![
        Line::raw(""),
        Line::styled(format!("Triage done: {of} {papers}"), theme.title),
        Line::raw(""),
        Line::from(vec![
            Span::styled(format!("★ {starred} starred"), theme.star),
            Span::raw(format!(" · {read} read · {skipped} skipped")),
        ]),
        Line::raw(""),
        Line::styled(format!("Enter or Esc: back to the list{back}"), theme.dim),
        Line::raw(""),
    ];
    // In a short terminal the blank lines go first, so that the way out stays in sight.
    let rows = |lines: &[Line]| -> usize {
        let inside = usize::from(area.width.saturating_sub(4)).max(1);
        lines.iter().map(|l| l.width().div_ceil(inside).max(1)).sum()
    };
    if rows(&lines) + 2 > usize::from(area.height) {
        lines.retain(|l| l.width() > 0);
    }
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .padding(Padding::horizontal(1))
        .title(Span::styled(" Triage ", theme.pane_title));
    let width = super::cells(lines.iter().map(Line::width).max().unwrap_or(0)).saturating_add(4);
    let height = super::cells(rows(&lines)).saturating_add(2).min(area.height);
    let area = super::centered(area, width.min(area.width), height);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}

/// The key bound to `name` in triage, as hints name it.
fn key(app: &App, name: &str) -> Option<String> {
    app.bindings().hint_key(Place::Triage, name)
}

/// The status line's left part in triage: where it is, and the library's counts as the list has them.
pub fn status(app: &App, triage: &Triage) -> String {
    let (at, of) = triage.position();
    let counts = format!("★ {} · {} unread", app.starred_count(), app.unread_count());
    if triage.done() { format!(" triage done · {counts} ") } else { format!(" {at} of {of} · {counts} ") }
}

/// The keys of triage, the most useful first, as bound.
pub fn hints(app: &App, triage: &Triage) -> Vec<String> {
    let bound = |hints: &[(&str, &str)]| -> Vec<String> {
        hints.iter().filter_map(|(name, what)| Some(format!("{} {what}", key(app, name)?))).collect()
    };
    if triage.done() {
        let mut all = vec!["⏎ back to the list".to_string()];
        all.extend(bound(&[("triage_back", "last paper")]));
        return all;
    }
    let mut all = bound(&[
        ("triage_star", "star"),
        ("triage_read", "read"),
        ("triage_skip", "skip"),
        ("leave_triage", "leave"),
        ("triage_back", "back"),
    ]);
    let bindings = app.bindings();
    let scroll = ["scroll_detail_down", "scroll_detail_up"].map(|n| bindings.hint_key(Place::Reading, n));
    if let [Some(down), Some(up)] = scroll {
        all.push(format!("{down}/{up} scroll"));
    }
    all
}
