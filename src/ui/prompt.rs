//! The status line while it asks: the tag prompt (`t`) with its keys, or a question waiting for y or n.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use super::text::{truncate, width};
use crate::app::App;

/// True when the status line asks something: then this draws it instead of the counts.
pub fn asking(app: &App) -> bool {
    app.tag_prompt().is_some() || app.question().is_some()
}

pub fn render(app: &App, area: Rect, frame: &mut Frame) {
    let theme = app.theme();
    if let Some(question) = app.question() {
        let text = format!(" {} ", question.text());
        frame.render_widget(Line::styled(truncate(&text, area.width.into()), theme.prompt_focused), area);
        return;
    }
    let Some(prompt) = app.tag_prompt() else { return };
    let shown = app.results().len();
    let label = if prompt.all() { format!(" tags of all {shown}: ") } else { " tags: ".to_string() };
    let choices = prompt.choices().iter().map(|c| format!("#{c}")).collect::<Vec<_>>().join(" ");
    let keys = if prompt.all() { "Ctrl-A this one" } else { "Ctrl-A all shown" };
    let (hint, style) = match (prompt.error(), choices.is_empty()) {
        (Some(why), _) => (format!(" {why} "), theme.warning),
        (None, true) => (format!(" ⇥ complete · {keys} · ⏎ apply · Esc cancel "), theme.dim),
        (None, false) => (format!(" {choices} "), theme.dim),
    };
    // The text typed keeps what it needs, and at least a third of the line; the keys are cut first.
    let typed = prompt.input().lines().iter().map(|l| width(l)).sum::<usize>();
    let line = usize::from(area.width).saturating_sub(width(&label));
    // An error is what the prompt has to say: it keeps two thirds of the line, what is typed the rest.
    let room = if prompt.error().is_some() { line * 2 / 3 } else { super::text::hint_room(line, typed) };
    let hint = truncate(&hint, room);
    let [label_area, input_area, hint_area] = Layout::horizontal([
        Constraint::Length(width(&label) as u16),
        Constraint::Min(1),
        Constraint::Length(width(&hint) as u16),
    ])
    .areas(area);
    frame.render_widget(Line::from(Span::styled(label, theme.prompt_focused)), label_area);
    frame.render_widget(prompt.input(), input_area);
    frame.render_widget(Line::styled(hint, style), hint_area);
}
