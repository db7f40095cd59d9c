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
        _ => Action::PaletteInput(super::line_input(key)),
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    use crate::action::Action;
    use crate::app::{App, Mode};
    use crate::keymap::action_for;
    use crate::state::Store;
    use crate::ui::ViewState;

    fn press(app: &App, code: KeyCode, modifiers: KeyModifiers) -> Option<Action> {
        action_for(app, &Event::Key(KeyEvent::new(code, modifiers)), &ViewState::default())
    }

    #[test]
    fn ctrl_p_opens_the_palette_which_then_takes_every_key() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(&dir.path().join("state.json"));
        let mut app = App::new(crate::library::Library::from_papers([("A title", "An abstract.")]), &store);
        let ctrl = KeyModifiers::CONTROL;
        assert_eq!(press(&app, KeyCode::Char('p'), ctrl), Some(Action::CommandPalette));
        // Alt and a digit is a saved search; the digit alone still a link.
        assert_eq!(press(&app, KeyCode::Char('3'), KeyModifiers::ALT), Some(Action::SavedSearch(3)));
        assert_eq!(press(&app, KeyCode::Char('3'), KeyModifiers::NONE), Some(Action::OpenLink(3)));
        let _ = app.update(Action::CommandPalette);
        assert_eq!(app.mode(), Mode::List);
        assert_eq!(press(&app, KeyCode::Char('p'), ctrl), Some(Action::PaletteMove(-1)));
        assert_eq!(press(&app, KeyCode::Char('n'), ctrl), Some(Action::PaletteMove(1)));
        assert_eq!(press(&app, KeyCode::Down, KeyModifiers::NONE), Some(Action::PaletteMove(1)));
        assert_eq!(press(&app, KeyCode::Enter, KeyModifiers::NONE), Some(Action::PaletteRun));
        assert_eq!(press(&app, KeyCode::Esc, KeyModifiers::NONE), Some(Action::PaletteCancel));
        // `q` is typed, not quitting.
        assert!(matches!(press(&app, KeyCode::Char('q'), KeyModifiers::NONE), Some(Action::PaletteInput(_))));
        // Ctrl-C still interrupts.
        assert_eq!(press(&app, KeyCode::Char('c'), ctrl), Some(Action::Interrupt));
    }
}
