//! Turns a key press or mouse event into an `Action`, given the mode. Pure: it changes nothing.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use crate::action::Action;
use crate::app::{App, Mode};
use crate::ui::ViewState;

/// Lines the abstract moves for one turn of the mouse wheel.
const WHEEL_LINES: i32 = 3;

/// The action for `event` in the app's current mode, or `None` when the event means nothing there.
pub fn action_for(app: &App, event: &Event, view: &ViewState) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(app, key),
        Event::Mouse(mouse) if !app.show_help() && app.alert().is_none() => mouse_action(app, mouse, view),
        _ => None,
    }
}

fn key_action(app: &App, key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    match key.code {
        KeyCode::Char('c') if ctrl => return Some(Action::Interrupt),
        KeyCode::Char('z') if ctrl => return Some(Action::Suspend),
        _ => {}
    }
    if app.alert().is_some() {
        return match key.code {
            KeyCode::Char('q' | ' ') | KeyCode::Esc | KeyCode::Enter => Some(Action::DismissAlert),
            _ => None,
        };
    }
    if app.show_help() {
        return match key.code {
            KeyCode::Char('?' | 'q') | KeyCode::Esc | KeyCode::Enter => Some(Action::ToggleHelp),
            _ => None,
        };
    }
    match app.mode() {
        Mode::Search => search_key(key, ctrl),
        Mode::List => list_key(app, key, ctrl, shift),
        Mode::Reading => reading_key(key, shift),
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
        _ => Action::SearchInput((*key).into()),
    })
}

/// Keys shared by the list and the open paper.
fn common_key(key: &KeyEvent, shift: bool) -> Option<Action> {
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return None;
    }
    Some(match key.code {
        KeyCode::Char('s') => Action::ToggleStar,
        KeyCode::Char('r') => Action::ToggleRead,
        KeyCode::Char('f') => Action::CycleFilter,
        KeyCode::Char('n') => Action::NextUnread,
        KeyCode::Char('J') => Action::ScrollDetail(1),
        KeyCode::Char('K') => Action::ScrollDetail(-1),
        KeyCode::Down if shift => Action::ScrollDetail(1),
        KeyCode::Up if shift => Action::ScrollDetail(-1),
        KeyCode::Char('/') => Action::FocusSearch,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Char('o') => Action::OpenPage,
        KeyCode::Char(c @ '1'..='9') => Action::OpenLink(c as usize - '0' as usize),
        KeyCode::Char('y') => Action::CopyLink,
        KeyCode::Char('E') => Action::ExportView,
        KeyCode::Char('R') => Action::Fetch,
        KeyCode::Char('m') => Action::Similar,
        KeyCode::Char('S') => Action::CycleSort,
        KeyCode::Char('[') => Action::PreviousDay,
        KeyCode::Char(']') => Action::NextDay,
        _ => return None,
    })
}

fn list_key(app: &App, key: &KeyEvent, ctrl: bool, shift: bool) -> Option<Action> {
    if let Some(action) = common_key(key, shift) {
        return Some(action);
    }
    Some(match key.code {
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::Char('g') | KeyCode::Home => Action::First,
        KeyCode::Char('G') | KeyCode::End => Action::Last,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Char('f') if ctrl => Action::PageDown,
        KeyCode::Char('b') if ctrl => Action::PageUp,
        KeyCode::Enter | KeyCode::Char('l') | KeyCode::Right => Action::Open,
        KeyCode::Esc if app.similar_to().is_some() => Action::LeaveSimilar,
        KeyCode::Esc if !app.query().is_empty() => Action::ClearSearch,
        KeyCode::Char('q') => Action::Quit,
        _ => return None,
    })
}

fn reading_key(key: &KeyEvent, shift: bool) -> Option<Action> {
    if let Some(action) = common_key(key, shift) {
        return Some(action);
    }
    Some(match key.code {
        KeyCode::Char('j') | KeyCode::Down => Action::ScrollDetail(1),
        KeyCode::Char('k') | KeyCode::Up => Action::ScrollDetail(-1),
        KeyCode::Char(' ') | KeyCode::PageDown => Action::ScrollDetailPage(1),
        KeyCode::Char('b') | KeyCode::PageUp => Action::ScrollDetailPage(-1),
        KeyCode::Char('g') | KeyCode::Home => Action::DetailTop,
        KeyCode::Char('G') | KeyCode::End => Action::DetailBottom,
        KeyCode::Esc | KeyCode::Char('q' | 'h') | KeyCode::Left | KeyCode::Backspace => Action::Back,
        _ => return None,
    })
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
