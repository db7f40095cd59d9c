//! Keys while a list is being chosen from (`Y`, `E`): move, take one, or close it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;
use crate::app::Choice;

/// The action for `key` while `choice` is asked: every other key is held back, as behind the alert box.
pub(super) fn key(choice: &Choice, key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Enter => Some(Action::Choose(choice.selected)),
        KeyCode::Char('m' | 'j') if ctrl => Some(Action::Choose(choice.selected)),
        KeyCode::Esc | KeyCode::Char('q') => Some(Action::CancelChoice),
        KeyCode::Down | KeyCode::Tab | KeyCode::Char('j') => Some(Action::MoveChoice(1)),
        KeyCode::Up | KeyCode::BackTab | KeyCode::Char('k') => Some(Action::MoveChoice(-1)),
        KeyCode::Char('n') if ctrl => Some(Action::MoveChoice(1)),
        KeyCode::Char('p') if ctrl => Some(Action::MoveChoice(-1)),
        // The options are numbered from 1, as links are.
        KeyCode::Char(c @ '1'..='9') => {
            let index = c as usize - '1' as usize;
            (index < choice.options.len()).then_some(Action::Choose(index))
        }
        _ => None,
    }
}
