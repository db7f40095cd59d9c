//! Keys while the command palette is open: typing filters it, arrows and Ctrl-N/Ctrl-P move, Enter runs.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;

/// The action for `key` in the palette: every key is its own, as in fzf's prompt.
pub(super) fn key(key: &KeyEvent) -> Action {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Enter => Action::PaletteRun,
        KeyCode::Char('m' | 'j') if ctrl => Action::PaletteRun,
        KeyCode::Esc => Action::PaletteCancel,
        KeyCode::Char('g') if ctrl => Action::PaletteCancel,
        KeyCode::Down | KeyCode::Tab => Action::PaletteMove(1),
        KeyCode::Up | KeyCode::BackTab => Action::PaletteMove(-1),
        KeyCode::Char('n') if ctrl => Action::PaletteMove(1),
        KeyCode::Char('p') if ctrl => Action::PaletteMove(-1),
        KeyCode::PageDown => Action::PaletteMove(10),
        KeyCode::PageUp => Action::PaletteMove(-10),
        _ => Action::PaletteInput((*key).into()),
    }
}
