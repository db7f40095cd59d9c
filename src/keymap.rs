//! Turns a key press or mouse event into an `Action`, given the mode. Pure: it changes nothing.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use crate::action::{Action, Key, Place};
use crate::app::{App, Mode};
use crate::ui::ViewState;

mod choice;
mod palette;
mod tools;

/// Lines the abstract moves for one turn of the mouse wheel.
const WHEEL_LINES: i32 = 3;

/// The action for `event` in the app's current mode, or `None` when the event means nothing there.
pub fn action_for(app: &App, event: &Event, view: &ViewState) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(app, key, view),
        Event::Paste(text) => paste_action(app, text),
        Event::Mouse(mouse) if let Some(action) = tools::mouse(app, mouse) => action,
        Event::Mouse(mouse) if app.show_help() => match mouse.kind {
            MouseEventKind::ScrollDown => Some(Action::ScrollHelp(WHEEL_LINES)),
            MouseEventKind::ScrollUp => Some(Action::ScrollHelp(-WHEEL_LINES)),
            _ => None,
        },
        Event::Mouse(mouse) if app.showing_notes().is_some() => match mouse.kind {
            MouseEventKind::ScrollDown => Some(Action::ScrollMessages(WHEEL_LINES)),
            MouseEventKind::ScrollUp => Some(Action::ScrollMessages(-WHEEL_LINES)),
            _ => None,
        },
        Event::Mouse(mouse) if app.triage().is_some() => match mouse.kind {
            MouseEventKind::ScrollDown => Some(Action::ScrollDetail(WHEEL_LINES)),
            MouseEventKind::ScrollUp => Some(Action::ScrollDetail(-WHEEL_LINES)),
            _ => None,
        },
        // While the status line asks (the tag prompt, a y/n question), a click must not change the papers
        // the answer is for.
        Event::Mouse(_) if app.tag_prompt().is_some() || app.question().is_some() => None,
        Event::Mouse(mouse)
            if !app.show_help() && app.alert().is_none() && app.choice().is_none() && app.palette().is_none() =>
        {
            mouse_action(app, mouse, view)
        }
        _ => None,
    }
}

/// A paste goes where typed text would (the palette's filter, the command or tag prompt, the search
/// bar), and in the list into the search bar; where keys are commands (help, a question, triage, an
/// open paper) it is left out, so that no pasted letter or line break acts as a key.
fn paste_action(app: &App, text: &str) -> Option<Action> {
    let typing = app.palette().is_some() || app.command_prompt().is_some() || app.tag_prompt().is_some();
    let overlay = app.alert().is_some()
        || app.choice().is_some()
        || app.showing_notes().is_some()
        || app.show_help()
        || app.question().is_some()
        || app.triage().is_some()
        || app.output().is_some();
    let list = matches!(app.mode(), Mode::Search | Mode::List);
    (typing || (list && !overlay)).then(|| Action::Paste(text.to_string()))
}

/// A key for a line being typed (the search bar, the palette, a prompt). Ctrl-U deletes from the
/// cursor to the start, as in readline and fzf, where the text area's own binding undid one edit.
pub(super) fn line_input(key: &KeyEvent) -> ratatui_textarea::Input {
    let mut input: ratatui_textarea::Input = (*key).into();
    if input.ctrl && !input.alt && input.key == ratatui_textarea::Key::Char('u') {
        // The text area's key for deleting to the start of the line.
        input.key = ratatui_textarea::Key::Char('j');
    }
    input
}

fn key_action(app: &App, key: &KeyEvent, view: &ViewState) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('c') if ctrl => return Some(Action::Interrupt),
        KeyCode::Char('z') if ctrl => return Some(Action::Suspend),
        KeyCode::Char('l') if ctrl => return Some(Action::Redraw),
        _ => {}
    }
    if app.alert().is_some() {
        return match key.code {
            KeyCode::Char('q' | ' ') | KeyCode::Esc | KeyCode::Enter => Some(Action::DismissAlert),
            _ => None,
        };
    }
    if let Some(choice) = app.choice() {
        return choice::key(choice, key);
    }
    if app.palette().is_some() {
        return Some(palette::key(key));
    }
    if let Some(action) = tools::key(app, key, view) {
        return action;
    }
    if app.showing_notes().is_some() {
        let page = i32::from(view.notes.height.max(2) - 1);
        return match key.code {
            KeyCode::Char('!' | 'q') | KeyCode::Esc | KeyCode::Enter => Some(Action::ShowMessages),
            KeyCode::Char('j') | KeyCode::Down => Some(Action::ScrollMessages(1)),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::ScrollMessages(-1)),
            KeyCode::Char(' ') | KeyCode::PageDown => Some(Action::ScrollMessages(page)),
            KeyCode::Char('b') | KeyCode::PageUp => Some(Action::ScrollMessages(-page)),
            KeyCode::Char('g') | KeyCode::Home => Some(Action::ScrollMessages(i32::MIN)),
            KeyCode::Char('G') | KeyCode::End => Some(Action::ScrollMessages(i32::MAX)),
            _ => None,
        };
    }
    if app.show_help() {
        let page = i32::from(view.help.height.max(2) - 1);
        return match key.code {
            KeyCode::Char('?' | 'q') | KeyCode::Esc | KeyCode::Enter => Some(Action::ToggleHelp),
            KeyCode::Char('j') | KeyCode::Down => Some(Action::ScrollHelp(1)),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::ScrollHelp(-1)),
            KeyCode::Char(' ') | KeyCode::PageDown => Some(Action::ScrollHelp(page)),
            KeyCode::Char('b') | KeyCode::PageUp => Some(Action::ScrollHelp(-page)),
            KeyCode::Char('g') | KeyCode::Home => Some(Action::ScrollHelp(i32::MIN)),
            KeyCode::Char('G') | KeyCode::End => Some(Action::ScrollHelp(i32::MAX)),
            _ => None,
        };
    }
    if app.question().is_some() {
        return match key.code {
            KeyCode::Char('y' | 'Y') => Some(Action::Answer(true)),
            KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => Some(Action::Answer(false)),
            _ => None,
        };
    }
    if app.tag_prompt().is_some() {
        return Some(match key.code {
            KeyCode::Enter => Action::PromptSubmit,
            KeyCode::Esc => Action::PromptCancel,
            KeyCode::Tab => Action::PromptComplete,
            KeyCode::Char('a') if ctrl => Action::PromptToggleAll,
            _ => Action::PromptInput(line_input(key)),
        });
    }
    if let Some(triage) = app.triage() {
        return triage_key(app, triage, key);
    }
    match app.mode() {
        Mode::Search => search_key(key, ctrl),
        Mode::List => bound_key(app, key, Place::List),
        Mode::Reading => bound_key(app, key, Place::Reading),
    }
}

fn search_key(key: &KeyEvent, ctrl: bool) -> Option<Action> {
    Some(match key.code {
        KeyCode::Enter => Action::SubmitSearch,
        KeyCode::Char('m' | 'j') if ctrl => Action::SubmitSearch,
        KeyCode::Esc => Action::ClearSearch,
        KeyCode::Down | KeyCode::Tab => Action::Down,
        KeyCode::Up | KeyCode::BackTab => Action::Up,
        KeyCode::Char('n') if ctrl => Action::Down,
        KeyCode::Char('p') if ctrl => Action::Up,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        _ => Action::SearchInput(line_input(key)),
    })
}

/// A key in the list or an open paper: the fixed ones (Esc's way back, link numbers), then the bindings.
fn bound_key(app: &App, key: &KeyEvent, place: Place) -> Option<Action> {
    let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Esc if place == Place::List && app.similar_to().is_some() => return Some(Action::LeaveSimilar),
        KeyCode::Esc if place == Place::List && !app.query().is_empty() => return Some(Action::ClearSearch),
        KeyCode::Char(c @ '1'..='9') if plain => return Some(Action::OpenLink(c as usize - '0' as usize)),
        // Alt and a digit: the saved searches (digits alone open links).
        KeyCode::Char(c @ '1'..='9') if key.modifiers == KeyModifiers::ALT => {
            return Some(Action::SavedSearch(c as usize - '0' as usize));
        }
        _ => {}
    }
    app.bindings().action(place, Key::new(key.code, key.modifiers))
}

/// A key in triage, as `[keys]` binds it there; once the last paper is passed, Enter leaves too and only
/// going back or the help mean anything. Esc leaves where nothing binds it and `leave_triage` has no key
/// left: triage never holds the reader in.
fn triage_key(app: &App, triage: &crate::app::Triage, key: &KeyEvent) -> Option<Action> {
    let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let bound = app.bindings().action(Place::Triage, Key::new(key.code, key.modifiers));
    match key.code {
        KeyCode::Esc if bound.is_none() && app.bindings().hint_key(Place::Triage, "leave_triage").is_none() => {
            return Some(Action::LeaveTriage);
        }
        KeyCode::Enter if triage.done() => return Some(Action::LeaveTriage),
        KeyCode::Char(c @ '1'..='9') if plain && !triage.done() => {
            return Some(Action::OpenLink(c as usize - '0' as usize));
        }
        _ => {}
    }
    let action = bound?;
    let after_the_last = matches!(action, Action::LeaveTriage | Action::TriageBack | Action::ToggleHelp);
    (!triage.done() || after_the_last).then_some(action)
}

fn mouse_action(app: &App, mouse: &MouseEvent, view: &ViewState) -> Option<Action> {
    let at = Position::new(mouse.column, mouse.row);
    let over = |area: Rect| area.contains(at);
    let list_visible = view.wide || app.mode() != Mode::Reading;
    let detail_visible = view.wide || app.mode() == Mode::Reading;
    match mouse.kind {
        MouseEventKind::ScrollDown if detail_visible && over(view.detail) => Some(Action::ScrollDetail(WHEEL_LINES)),
        MouseEventKind::ScrollUp if detail_visible && over(view.detail) => Some(Action::ScrollDetail(-WHEEL_LINES)),
        MouseEventKind::ScrollDown if list_visible && over(view.list) => Some(Action::Down),
        MouseEventKind::ScrollUp if list_visible && over(view.list) => Some(Action::Up),
        MouseEventKind::Down(MouseButton::Left) if list_visible && over(view.list) => {
            let row = view.list_offset + usize::from(at.y - view.list.y);
            (row < app.results().len()).then_some(Action::Select(row))
        }
        MouseEventKind::Down(MouseButton::Left) if over(view.search) => Some(Action::FocusSearch),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
