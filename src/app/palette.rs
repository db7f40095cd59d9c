//! The command palette (Ctrl-P): every action of the bindings table by name, with its help line and keys,
//! and the saved searches, fuzzy-filtered as the user types; Enter runs the highlighted one as its key
//! would.
//!
//! Left out: the palette itself; what needs an argument or a place the palette is not in (typing in the
//! search bar or the tag prompt, a link's number, a list being chosen from, a question's answer), none of
//! which is a row of `bindings::NAMED`, which the palette is made from; and triage's own keys, as triage
//! takes the keys while it lasts. `back` and the abstract's scrolling are kept: run from the list they do
//! what their keys do there (little or nothing).

use ratatui::style::Style;
use ratatui_textarea::{Input, TextArea};

use super::App;
use crate::action::Action;
use crate::action::bindings::{NAMED, action_named};
use crate::search::Query;

/// One thing the palette offers.
#[derive(Debug, Clone, PartialEq)]
pub struct PaletteEntry {
    /// The action's name (`cycle_filter`), or `search: NAME`.
    pub name: String,
    /// Its help line, or the saved search's query.
    pub doc: String,
    /// Its keys in effect, as the help shows them.
    pub keys: String,
    action: Action,
}

/// The palette while open: what is typed, the entries that match it (best first, each with the char
/// positions matched in `name`, then in `doc`), and the highlighted one.
#[derive(Debug)]
pub struct Palette {
    input: TextArea<'static>,
    entries: Vec<PaletteEntry>,
    shown: Vec<(usize, Vec<usize>, Vec<usize>)>,
    selected: usize,
}

impl Palette {
    pub fn input(&self) -> &TextArea<'static> {
        &self.input
    }

    /// The entries that match what is typed, best first, with the positions matched in name and doc.
    pub fn shown(&self) -> impl ExactSizeIterator<Item = (&PaletteEntry, &[usize], &[usize])> {
        self.shown.iter().map(|(i, name, doc)| (&self.entries[*i], name.as_slice(), doc.as_slice()))
    }

    /// Every entry, matching or not (the box is as wide as they need, not only those shown).
    pub fn entries(&self) -> &[PaletteEntry] {
        &self.entries
    }

    /// Position of the highlight in `shown`.
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Filters the entries by the text typed, as the search ranks titles: each entry is matched as its
    /// name and help line, the better match first, then in table order.
    fn filter(&mut self) {
        let typed = self.input.lines().first().cloned().unwrap_or_default();
        let query = Query::new(&typed);
        let mut scored: Vec<(u16, usize, Vec<usize>, Vec<usize>)> = Vec::new();
        for (i, entry) in self.entries.iter().enumerate() {
            if query.is_empty() {
                scored.push((0, i, Vec::new(), Vec::new()));
                continue;
            }
            let haystack = format!("{} {}", entry.name, entry.doc);
            let Some(score) = query.score(&haystack) else { continue };
            let split = entry.name.chars().count() + 1;
            let (name, doc): (Vec<usize>, Vec<usize>) =
                query.positions(&haystack).into_iter().partition(|&p| p < split);
            scored.push((score, i, name, doc.into_iter().map(|p| p - split).collect()));
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.shown = scored.into_iter().map(|(_, i, name, doc)| (i, name, doc)).collect();
        self.selected = 0;
    }
}

impl App {
    /// The command palette, while open.
    pub fn palette(&self) -> Option<&Palette> {
        self.palette.as_ref()
    }

    /// Ctrl-P: the palette with every entry, nothing typed.
    pub(super) fn open_palette(&mut self) {
        let mut entries: Vec<PaletteEntry> = NAMED
            .iter()
            .enumerate()
            .filter(|(_, named)| named.name != "command_palette" && !named.only_in_triage())
            .filter_map(|(index, named)| {
                let keys: Vec<String> = self.bindings.keys_of(index).iter().map(ToString::to_string).collect();
                Some(PaletteEntry {
                    name: named.name.to_string(),
                    doc: named.doc.to_string(),
                    keys: keys.join(" "),
                    action: action_named(named.name)?,
                })
            })
            .collect();
        entries.extend(self.saved_searches().iter().enumerate().map(|(i, saved)| PaletteEntry {
            name: format!("search: {}", saved.name),
            doc: saved.query.clone(),
            keys: if i < 9 { format!("Alt-{}", i + 1) } else { String::new() },
            action: Action::SavedSearch(i + 1),
        }));
        let mut input = TextArea::default();
        input.set_cursor_line_style(Style::default());
        input.set_placeholder_text("type part of an action's name");
        input.set_placeholder_style(Style::default().add_modifier(ratatui::style::Modifier::DIM));
        let mut palette = Palette { input, entries, shown: Vec::new(), selected: 0 };
        palette.filter();
        self.palette = Some(palette);
    }

    /// Pasted text into the palette's filter, when it is open.
    pub(super) fn palette_paste(&mut self, line: &str) -> bool {
        let Some(palette) = &mut self.palette else { return false };
        if palette.input.insert_str(line) {
            palette.filter();
        }
        true
    }

    pub(super) fn palette_input(&mut self, input: Input) {
        if let Some(palette) = &mut self.palette
            && palette.input.input(input)
        {
            palette.filter();
        }
    }

    pub(super) fn palette_move(&mut self, step: i32) {
        if let Some(palette) = &mut self.palette {
            let len = palette.shown.len().max(1) as i64;
            palette.selected = (palette.selected as i64 + i64::from(step)).rem_euclid(len) as usize;
        }
    }

    /// Enter: closes the palette and runs the highlighted entry's action, as its key would.
    pub(super) fn palette_run(&mut self) {
        let Some(palette) = self.palette.take() else { return };
        let Some((index, ..)) = palette.shown.get(palette.selected) else { return };
        let action = palette.entries[*index].action.clone();
        self.act(action);
    }
}

#[cfg(test)]
mod tests {
    use crate::action::Action;
    use crate::app::App;
    use crate::state::Store;
    use ratatui_textarea::{Input, Key};

    fn app() -> App {
        let library =
            crate::library::Library::from_papers([("A Survey of Mamba", "An abstract."), ("Mamba YOLO", "B.")]);
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(&dir.path().join("state.json"));
        App::new(library, &store)
    }

    fn typed(app: &mut App, text: &str) {
        for c in text.chars() {
            let _ = app.update(Action::PaletteInput(Input { key: Key::Char(c), ..Input::default() }));
        }
    }

    #[test]
    fn the_palette_lists_every_action_but_itself_with_its_keys() {
        let mut app = app();
        let _ = app.update(Action::CommandPalette);
        let palette = app.palette().expect("open");
        let outside_triage = crate::action::bindings::NAMED.iter().filter(|n| !n.only_in_triage()).count();
        assert_eq!(palette.shown().len(), outside_triage - 1);
        let names: Vec<&str> = palette.shown().map(|(e, ..)| e.name.as_str()).collect();
        assert!(!names.contains(&"command_palette"));
        let star = palette.shown().find(|(e, ..)| e.name == "toggle_star").map(|(e, ..)| e.keys.clone());
        assert_eq!(star.as_deref(), Some("s"));
    }

    #[test]
    fn typing_filters_fuzzily_and_enter_runs_the_best_match() {
        let mut app = app();
        let _ = app.update(Action::CommandPalette);
        typed(&mut app, "cycfil");
        let palette = app.palette().expect("open");
        let (best, name, _) = palette.shown().next().expect("a match");
        assert_eq!(best.name, "cycle_filter");
        assert_eq!(name, [0, 1, 2, 6, 7, 8]);
        let _ = app.update(Action::PaletteRun);
        assert!(app.palette().is_none());
        assert_eq!(app.filter(), crate::app::Filter::Unread);
    }

    #[test]
    fn moving_wraps_and_esc_runs_nothing() {
        let mut app = app();
        let _ = app.update(Action::CommandPalette);
        let _ = app.update(Action::PaletteMove(-1));
        let last = app.palette().map(|p| p.selected());
        assert_eq!(last, app.palette().map(|p| p.shown().len() - 1));
        let _ = app.update(Action::PaletteCancel);
        assert!(app.palette().is_none());
        assert_eq!(app.filter(), crate::app::Filter::All);
        // Nothing matches: Enter closes it and does nothing.
        let _ = app.update(Action::CommandPalette);
        typed(&mut app, "zzzzqqq");
        assert_eq!(app.palette().map(|p| p.shown().len()), Some(0));
        let _ = app.update(Action::PaletteRun);
        assert!(app.palette().is_none());
    }
}
