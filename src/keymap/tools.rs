//! Keys while a command's output is shown or the command prompt asks for a name.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use super::WHEEL_LINES;
use crate::action::{Action, Key, Place};
use crate::app::App;
use crate::ui::ViewState;

/// The action for `key` when the output pane or the command prompt takes the keys: `Some` then (of
/// `None` when the key means nothing there); `None` when neither is open.
pub fn key(app: &App, key: &KeyEvent, view: &ViewState) -> Option<Option<Action>> {
    if app.command_prompt().is_some() {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        return Some(Some(match key.code {
            KeyCode::Enter => Action::CommandSubmit,
            KeyCode::Char('m' | 'j') if ctrl => Action::CommandSubmit,
            KeyCode::Esc => Action::CommandCancel,
            KeyCode::Tab => Action::CommandComplete,
            _ => Action::CommandInput(super::line_input(key)),
        }));
    }
    let output = app.output()?;
    let page = i32::from(view.output.height.max(2) - 1);
    // While its command runs, the list's key that stops commands (`X`) stops it from here too.
    let stop = || {
        let action = app.bindings().action(Place::List, Key::new(key.code, key.modifiers));
        action.filter(|a| output.running.is_some() && *a == Action::StopCommands)
    };
    Some(match key.code {
        KeyCode::Esc | KeyCode::Char('q') => Some(Action::CloseOutput),
        KeyCode::Char('j') | KeyCode::Down => Some(Action::ScrollOutput(1)),
        KeyCode::Char('k') | KeyCode::Up => Some(Action::ScrollOutput(-1)),
        KeyCode::Char(' ') | KeyCode::PageDown => Some(Action::ScrollOutput(page)),
        KeyCode::Char('b') | KeyCode::PageUp => Some(Action::ScrollOutput(-page)),
        KeyCode::Char('g') | KeyCode::Home => Some(Action::ScrollOutput(i32::MIN)),
        KeyCode::Char('G') | KeyCode::End => Some(Action::ScrollOutput(i32::MAX)),
        KeyCode::Char('y') => Some(Action::CopyOutput),
        _ => stop(),
    })
}

/// The action for a mouse event while the output pane or the prompt is open (`None` when neither is).
pub fn mouse(app: &App, mouse: &MouseEvent) -> Option<Option<Action>> {
    if app.command_prompt().is_some() {
        return Some(None);
    }
    app.output()?;
    Some(match mouse.kind {
        MouseEventKind::ScrollDown => Some(Action::ScrollOutput(WHEEL_LINES)),
        MouseEventKind::ScrollUp => Some(Action::ScrollOutput(-WHEEL_LINES)),
        _ => None,
    })
}
