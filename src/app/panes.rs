//! The layout the user chose for the session: the list alone (`z`), and where the split stands (`<` `>`).

use super::{App, Tone};

/// The list's share of the width when the reader starts, in percent.
const LIST_PERCENT: u16 = 45;
/// The narrowest either pane gets, in percent: at 100 columns, 25 keep a title or a line of the abstract
/// readable.
const MIN_PERCENT: u16 = 25;
const MAX_PERCENT: u16 = 100 - MIN_PERCENT;

/// How the list and the abstract share the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    /// The list alone, titles only, across the whole width.
    pub compact: bool,
    /// The list's share of the width when the panes stand side by side, in percent.
    pub list_percent: u16,
}

impl Default for Panes {
    fn default() -> Self {
        Panes { compact: false, list_percent: LIST_PERCENT }
    }
}

impl App {
    pub fn panes(&self) -> Panes {
        self.panes
    }

    /// `z`: the list alone, or both panes again.
    pub(super) fn toggle_compact(&mut self) {
        self.panes.compact = !self.panes.compact;
        // Narrower than 100 columns the list is alone either way: say what changes where it is not.
        let what = match (self.panes.compact, self.viewport.side_by_side) {
            (true, true) => "Titles only (z: the abstract again)",
            (false, true) => "The list and the abstract",
            (true, false) => "Titles only, even from 100 columns (z: undo)",
            (false, false) => "The abstract beside the list from 100 columns",
        };
        self.notify(what, Tone::Info);
    }

    /// `<` `>`: moves the split by `step` percent, within bounds that keep both panes usable.
    pub(super) fn resize_list(&mut self, step: i32) {
        if self.panes.compact {
            return self.notify("The list is alone: z shows the abstract beside it", Tone::Info);
        }
        let percent = (i32::from(self.panes.list_percent) + step).clamp(MIN_PERCENT.into(), MAX_PERCENT.into());
        self.panes.list_percent = u16::try_from(percent).unwrap_or(LIST_PERCENT);
        let what = match self.viewport.side_by_side {
            true => format!("List {percent}% of the width"),
            false => format!("List {percent}% (side by side from 100 columns)"),
        };
        self.notify(what, Tone::Info);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_moves_in_steps_and_stops_where_a_pane_would_be_too_narrow() {
        let library = crate::library::Library::default();
        let dir = tempfile::tempdir().expect("temp dir");
        let (store, _) = crate::state::Store::open(&dir.path().join("state.json"));
        let mut app = App::new(library, &store);
        assert_eq!(app.panes(), Panes { compact: false, list_percent: 45 });
        let _ = app.update(crate::action::Action::ResizeList(5));
        assert_eq!(app.panes().list_percent, 50);
        for _ in 0..20 {
            let _ = app.update(crate::action::Action::ResizeList(5));
        }
        assert_eq!(app.panes().list_percent, MAX_PERCENT);
        for _ in 0..20 {
            let _ = app.update(crate::action::Action::ResizeList(-5));
        }
        assert_eq!(app.panes().list_percent, MIN_PERCENT);
        let _ = app.update(crate::action::Action::ToggleCompact);
        assert!(app.panes().compact);
        // Alone, the list has no split to move: the share is kept for when both panes are back.
        let _ = app.update(crate::action::Action::ResizeList(5));
        assert_eq!(app.panes().list_percent, MIN_PERCENT);
        let _ = app.update(crate::action::Action::ToggleCompact);
        assert_eq!(app.panes(), Panes { compact: false, list_percent: MIN_PERCENT });
    }

    #[test]
    fn z_says_what_it_changes_at_the_width_of_the_terminal() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (store, _) = crate::state::Store::open(&dir.path().join("state.json"));
        let mut app = App::new(crate::library::Library::default(), &store);
        let said = |app: &mut App, side_by_side: bool| {
            app.viewport.side_by_side = side_by_side;
            let _ = app.update(crate::action::Action::ToggleCompact);
            app.message().map(|(m, _)| m.clone()).unwrap_or_default()
        };
        // Narrow, the list is alone either way: the change shows from 100 columns.
        assert_eq!(said(&mut app, false), "Titles only, even from 100 columns (z: undo)");
        assert_eq!(said(&mut app, false), "The abstract beside the list from 100 columns");
        assert_eq!(said(&mut app, true), "Titles only (z: the abstract again)");
        assert_eq!(said(&mut app, true), "The list and the abstract");
    }
}
