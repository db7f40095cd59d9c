//! A command's output (`|`) in a pane over the papers, scrolled as the messages are; and the prompt in
//! the status line that names the command.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::ViewState;
use super::text::{truncate, width};
use crate::app::App;

/// The widest the pane grows, so that lines stay readable on a wide terminal.
const MAX_WIDTH: u16 = 110;

pub fn render(app: &App, body: Rect, view: &mut ViewState, frame: &mut Frame) {
    let Some(output) = app.output() else { return };
    let theme = app.theme();
    let room = body.inner(Margin::new(1, 1));
    let width = room.width.min(MAX_WIDTH);
    // Output is wrapped inside the border, kept apart from it by a column (a word longer than the line is
    // cut into pieces).
    let wrap = usize::from(width.saturating_sub(4)).max(1);
    let mut lines: Vec<Line> = Vec::new();
    for line in &output.lines {
        if line.is_empty() {
            lines.push(Line::raw(""));
            continue;
        }
        for piece in textwrap::wrap(line, super::text::at_spaces(wrap)) {
            lines.push(Line::raw(format!(" {piece}")));
        }
    }
    let height = super::cells(lines.len()).saturating_add(2).min(room.height);
    let popup = super::centered(room, width, height);
    let border = if output.failed { theme.warning } else { theme.dim };
    let title = format!(" {} ", truncate(&output.title, usize::from(popup.width.saturating_sub(4))));
    let mut block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(border)
        .title(Span::styled(title, theme.pane_title));
    let inner = block.inner(popup);
    view.output = inner;
    view.output_lines = lines.len();
    let scroll = output.scroll.min(lines.len().saturating_sub(inner.height.into()));
    // The parts that fit in the bottom border, the least needed left out first: never cut mid-part.
    let room = usize::from(popup.width.saturating_sub(2));
    let mut parts = vec!["Esc closes".to_string(), "y copy".to_string()];
    if output.running.is_some()
        && let Some(key) = app.bindings().hint_key(crate::action::Place::List, "stop_commands")
    {
        // The key stops every command running (`X` in the list does too).
        let which = if app.running_commands() > 1 { "them all" } else { "it" };
        parts.insert(1, format!("{key} stops {which}"));
    }
    if lines.len() > usize::from(inner.height) {
        let shown_to = (scroll + usize::from(inner.height)).min(lines.len());
        parts.extend([format!("{}%", shown_to * 100 / lines.len().max(1)), "j/k PgDn g/G scroll".to_string()]);
    }
    while parts.len() > 1 && super::text::width(&format!(" {} ", parts.join(" · "))) > room {
        parts.pop();
    }
    parts.reverse();
    let bottom = truncate(&format!(" {} ", parts.join(" · ")), room);
    block = block.title_bottom(Line::styled(bottom, theme.dim).right_aligned());
    frame.render_widget(Clear, popup);
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(inner.height.into()).collect();
    frame.render_widget(Paragraph::new(visible).block(block), popup);
}

/// The status line while `|` asks for a command's name.
pub fn render_prompt(app: &App, area: Rect, frame: &mut Frame) {
    let Some(prompt) = app.command_prompt() else { return };
    let theme = app.theme();
    let label = " run: ";
    let names = match prompt.choices() {
        [] => app.command_names().join(" "),
        choices => choices.join(" "),
    };
    let hint = format!(" {names} · ⇥ complete · ⏎ run · Esc cancel ");
    let typed = prompt.input().lines().iter().map(|l| width(l)).sum::<usize>();
    let room = super::text::hint_room(usize::from(area.width).saturating_sub(width(label)), typed);
    let hint = truncate(&crate::sanitize::message(&hint), room);
    let [label_area, input_area, hint_area] = Layout::horizontal([
        Constraint::Length(width(label) as u16),
        Constraint::Min(1),
        Constraint::Length(width(&hint) as u16),
    ])
    .areas(area);
    frame.render_widget(Line::from(Span::styled(label, theme.prompt_focused)), label_area);
    frame.render_widget(prompt.input(), input_area);
    frame.render_widget(Line::styled(hint, theme.dim), hint_area);
}
