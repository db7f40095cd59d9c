//! Which key does what in the list, in an open paper and in triage: the defaults, and what `[keys]` binds instead.
//!
//! An action is bound by its name, the `Action` variant's in snake_case (a direction added to those that
//! scroll). Binding an action replaces its own keys wherever it has them; a key bound to it means it
//! there, whatever the key meant before.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyModifiers};

use super::Action;
use crate::config::KeySetting;

mod key;
pub use key::Key;

/// Where a key binding holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// Moving through the list.
    List,
    /// Reading an open paper.
    Reading,
    /// Going through the unread papers one a screen (`T`).
    Triage,
}

/// An action that can be bound: its name, what it does, its keys in the list, in an open paper and in triage.
pub struct Named {
    pub name: &'static str,
    pub doc: &'static str,
    list: &'static [&'static str],
    reading: &'static [&'static str],
    triage: &'static [&'static str],
}

impl Named {
    /// True for an action bound only in triage (star and next, skip…), which means nothing elsewhere.
    pub fn only_in_triage(&self) -> bool {
        self.list.is_empty() && self.reading.is_empty() && !self.triage.is_empty()
    }
}

/// Every action `[keys]` can bind, in the order the help lists them.
pub const NAMED: [Named; 49] = [
    named_action("down", "select the next paper", &["j", "↓"], &[]),
    named_action("up", "select the previous paper", &["k", "↑"], &[]),
    named_action("page_down", "one screen of papers down", &["PgDn", "Ctrl-f"], &[]),
    named_action("page_up", "one screen of papers up", &["PgUp", "Ctrl-b"], &[]),
    named_action("first", "the first paper", &["g", "Home"], &[]),
    named_action("last", "the last paper", &["G", "End"], &[]),
    named_action("open", "open the paper (marks it read)", &["Enter", "l", "→"], &[]),
    named_action("back", "back to the list", &[], &["Esc", "q", "h", "←", "Backspace"]),
    named_action("scroll_detail_down", "scroll the abstract down", &["J", "Shift-↓"], &["j", "↓", "J", "Shift-↓"]),
    named_action("scroll_detail_up", "scroll the abstract up", &["K", "Shift-↑"], &["k", "↑", "K", "Shift-↑"]),
    named_action("scroll_detail_page_down", "the abstract a screen down", &[], &["Space", "PgDn"]),
    named_action("scroll_detail_page_up", "the abstract a screen up", &[], &["b", "PgUp"]),
    named_action("detail_top", "the top of the abstract", &[], &["g", "Home"]),
    named_action("detail_bottom", "the end of the abstract", &[], &["G", "End"]),
    named_action("focus_search", "search: titles, @author, arXiv id", &["/"], &["/"]),
    named_action("toggle_star", "star / unstar", &["s"], &["s"]),
    named_action("toggle_read", "mark read / unread", &["r"], &["r"]),
    named_action("cycle_filter", "filter: all → unread → starred", &["f"], &["f"]),
    named_action("next_unread", "the next unread paper", &["n"], &["n"]),
    named_action("similar", "the papers most like this one", &["m"], &["m"]),
    named_action("previous_day", "the day before's papers", &["["], &["["]),
    named_action("next_day", "the day after's papers", &["]"], &["]"]),
    named_action("cycle_sort", "sort: digest → newest → title → upvotes", &["S"], &["S"]),
    named_action("tag", "add or remove tags (Ctrl-A there: all shown)", &["t"], &["t"]),
    named_action("edit_note", "write the paper's note in $EDITOR", &["N"], &["N"]),
    named_action("mark_all_read", "mark every paper shown read", &["A"], &["A"]),
    named_action("undo", "undo the last mark, tag or note change", &["u"], &["u"]),
    named_action("open_page", "open the paper's page in the browser", &["o"], &["o"]),
    named_action("copy_link", "copy the title and link (OSC 52)", &["y"], &["y"]),
    named_action("copy_as", "copy the arXiv id, URL or BibTeX entry", &["Y"], &["Y"]),
    named_action("export_view", "export the papers shown: pick a format", &["E"], &["E"]),
    named_action("fetch", "fetch today's papers", &["R"], &["R"]),
    named_action("download_pdf", "download the paper's PDF", &["d"], &["d"]),
    named_action("open_pdf", "open the paper's PDF (downloads it first)", &["P"], &["P"]),
    named_action("run_command", "run a command of [commands] on the paper", &["|"], &["|"]),
    named_action("stop_commands", "stop the commands still running", &["X"], &["X"]),
    named_action("show_messages", "the session's warnings, with file and line", &["!"], &["!"]),
    named_action("triage", "triage the unread papers shown, one a screen", &["T"], &["T"]),
    triage_action("triage_star", "in triage: star, then the next paper", &["s"]),
    triage_action("triage_read", "in triage: mark read, then the next paper", &["r"]),
    triage_action("triage_skip", "in triage: skip to the next paper", &["Space"]),
    triage_action("triage_back", "in triage: back one paper (marks stay)", &["u"]),
    triage_action("leave_triage", "leave triage where it ended", &["Esc", "q"]),
    named_action("toggle_compact", "the list alone, titles only, or both panes", &["z"], &["z"]),
    named_action("resize_list_narrower", "move the split left (narrower list)", &["<"], &["<"]),
    named_action("resize_list_wider", "move the split right (wider list)", &[">"], &[">"]),
    named_action("command_palette", "every action by name, with its keys", &["Ctrl-p"], &["Ctrl-p"]),
    named_action("toggle_help", "this help", &["?"], &["?"]),
    named_action("quit", "quit (marks are saved at once)", &["q"], &[]),
];

impl Named {
    /// The default keys in each place.
    fn places(&self) -> [(Place, &'static [&'static str]); 3] {
        [(Place::List, self.list), (Place::Reading, self.reading), (Place::Triage, self.triage)]
    }
}

/// The actions of an open paper that keep their keys in triage (where no key of triage's own is the same).
const TRIAGE_BORROWS: [&str; 10] = [
    "scroll_detail_down",
    "scroll_detail_up",
    "scroll_detail_page_down",
    "scroll_detail_page_up",
    "detail_top",
    "detail_bottom",
    "open_page",
    "copy_link",
    "copy_as",
    "toggle_help",
];

const fn named_action(
    name: &'static str,
    doc: &'static str,
    list: &'static [&'static str],
    reading: &'static [&'static str],
) -> Named {
    Named { name, doc, list, reading, triage: &[] }
}

/// An action bound in triage alone.
const fn triage_action(name: &'static str, doc: &'static str, triage: &'static [&'static str]) -> Named {
    Named { name, doc, list: &[], reading: &[], triage }
}

/// The action a name in `NAMED` stands for.
pub fn action_named(name: &str) -> Option<Action> {
    Some(match name {
        "down" => Action::Down,
        "up" => Action::Up,
        "page_down" => Action::PageDown,
        "page_up" => Action::PageUp,
        "first" => Action::First,
        "last" => Action::Last,
        "open" => Action::Open,
        "back" => Action::Back,
        "scroll_detail_down" => Action::ScrollDetail(1),
        "scroll_detail_up" => Action::ScrollDetail(-1),
        "scroll_detail_page_down" => Action::ScrollDetailPage(1),
        "scroll_detail_page_up" => Action::ScrollDetailPage(-1),
        "detail_top" => Action::DetailTop,
        "detail_bottom" => Action::DetailBottom,
        "focus_search" => Action::FocusSearch,
        "toggle_star" => Action::ToggleStar,
        "toggle_read" => Action::ToggleRead,
        "cycle_filter" => Action::CycleFilter,
        "next_unread" => Action::NextUnread,
        "similar" => Action::Similar,
        "previous_day" => Action::PreviousDay,
        "next_day" => Action::NextDay,
        "cycle_sort" => Action::CycleSort,
        "tag" => Action::Tag,
        "edit_note" => Action::EditNote,
        "mark_all_read" => Action::MarkAllRead,
        "undo" => Action::Undo,
        "open_page" => Action::OpenPage,
        "copy_link" => Action::CopyLink,
        "copy_as" => Action::CopyAs,
        "show_messages" => Action::ShowMessages,
        "export_view" => Action::ExportView,
        "fetch" => Action::Fetch,
        "command_palette" => Action::CommandPalette,
        "download_pdf" => Action::DownloadPdf,
        "open_pdf" => Action::OpenPdf,
        "run_command" => Action::RunCommand,
        "stop_commands" => Action::StopCommands,
        "toggle_help" => Action::ToggleHelp,
        "quit" => Action::Quit,
        "triage" => Action::Triage,
        "triage_star" => Action::TriageStar,
        "triage_read" => Action::TriageRead,
        "triage_skip" => Action::TriageSkip,
        "triage_back" => Action::TriageBack,
        "leave_triage" => Action::LeaveTriage,
        "toggle_compact" => Action::ToggleCompact,
        "resize_list_narrower" => Action::ResizeList(-super::RESIZE_STEP),
        "resize_list_wider" => Action::ResizeList(super::RESIZE_STEP),
        _ => return None,
    })
}

/// The keys in effect: for each place, what each key does, and each action's keys for the help.
#[derive(Debug, Clone, PartialEq)]
pub struct Bindings {
    /// Key → index in `NAMED`, per place.
    list: HashMap<Key, usize>,
    reading: HashMap<Key, usize>,
    triage: HashMap<Key, usize>,
    /// Whether `[keys]` changed anything (the help then says so).
    changed: bool,
    /// The actions `[keys]` bound so far (see `bind`).
    rebound: Vec<usize>,
}

impl Default for Bindings {
    fn default() -> Self {
        let mut bindings = Bindings {
            list: HashMap::new(),
            reading: HashMap::new(),
            triage: HashMap::new(),
            changed: false,
            rebound: Vec::new(),
        };
        for (index, named) in NAMED.iter().enumerate() {
            for (place, keys) in named.places() {
                for key in keys.iter().filter_map(|k| Key::parse(k).ok()) {
                    bindings.place_mut(place).insert(key, index);
                }
            }
        }
        bindings
    }
}

impl Bindings {
    /// The defaults with what `[keys]` of the configuration `file` binds; and what could not be bound,
    /// each naming its line and column.
    pub fn configured(settings: &[KeySetting], file: &str) -> (Bindings, Vec<String>) {
        let mut bindings = Bindings::default();
        let mut warnings = Vec::new();
        for setting in settings {
            let (line, column) = setting.at;
            let Some(index) = NAMED.iter().position(|n| n.name == setting.action) else {
                warnings.push(format!(
                    "{file}:{line}:{column}: there is no action `{}` (`papers config` lists them); ignored",
                    setting.action
                ));
                continue;
            };
            let mut keys = Vec::new();
            for (text, (line, column)) in &setting.keys {
                match Key::parse(text) {
                    Ok(key) => keys.push((key, text, (line, column))),
                    Err(why) => warnings.push(format!("{file}:{line}:{column}: {why}; ignored")),
                }
            }
            if keys.is_empty() {
                warnings.push(format!(
                    "{file}:{line}:{column}: no key to bind `{}` to; its own keys are kept",
                    setting.action
                ));
                continue;
            }
            // A key another action had is taken from it, and said: a setting should not quietly leave
            // an action (`quit`, `down`) without the key a user reaches for.
            for (key, text, (line, column)) in &keys {
                for other in bindings.bind(index, *key) {
                    warnings.push(format!(
                        "{file}:{line}:{column}: `{text}` was the key of `{}`, now of `{}`",
                        NAMED[other].name, setting.action
                    ));
                }
            }
        }
        // An action left with no key runs from the palette only: said, for `quit` above all, with the
        // palette's key as bound.
        let palette = match bindings.hint_key(Place::List, "command_palette") {
            Some(key) => format!("the palette ({key})"),
            None => "the palette (with no key itself)".to_string(),
        };
        for (index, named) in NAMED.iter().enumerate() {
            let had = named.places().iter().any(|(_, keys)| !keys.is_empty());
            if had && bindings.keys_of(index).is_empty() {
                let how = if named.name == "quit" {
                    format!("Ctrl-C and {palette} quit")
                } else {
                    format!("{palette} runs it")
                };
                warnings.push(format!("{file}: `{}` has no key left in [keys]; {how}", named.name));
            }
        }
        (bindings, warnings)
    }

    /// Binds the action `NAMED[index]` to `key`, in place of its own keys the first time it is bound,
    /// wherever it has keys. The other actions the key is taken from (their indices).
    fn bind(&mut self, index: usize, key: Key) -> Vec<usize> {
        let first = !self.rebound.contains(&index);
        self.rebound.push(index);
        self.changed = true;
        let mut taken = Vec::new();
        for (place, defaults) in NAMED[index].places() {
            if defaults.is_empty() {
                continue;
            }
            let map = self.place_mut(place);
            if first {
                map.retain(|_, bound| *bound != index);
            }
            if let Some(other) = map.insert(key, index).filter(|&other| other != index)
                && !taken.contains(&other)
            {
                taken.push(other);
            }
        }
        taken
    }

    fn place_mut(&mut self, place: Place) -> &mut HashMap<Key, usize> {
        match place {
            Place::List => &mut self.list,
            Place::Reading => &mut self.reading,
            Place::Triage => &mut self.triage,
        }
    }

    fn place(&self, place: Place) -> &HashMap<Key, usize> {
        match place {
            Place::List => &self.list,
            Place::Reading => &self.reading,
            Place::Triage => &self.triage,
        }
    }

    /// What `key` does in `place`, if anything. Shift on a key that is not a character is tried without
    /// it too, as before bindings could change (Shift-PgDn pages).
    /// In triage, a key of its own comes first; else the keys that scroll the abstract or send the paper
    /// out do there what they do in an open paper.
    pub fn action(&self, place: Place, key: Key) -> Option<Action> {
        let find = |map: &HashMap<Key, usize>| {
            map.get(&key)
                .or_else(|| {
                    (key.modifiers == KeyModifiers::SHIFT)
                        .then(|| map.get(&Key::new(key.code, KeyModifiers::NONE)))
                        .flatten()
                })
                .copied()
        };
        let index = match place {
            Place::Triage => find(&self.triage)
                .or_else(|| find(&self.reading).filter(|&i| TRIAGE_BORROWS.contains(&NAMED[i].name)))?,
            _ => find(self.place(place))?,
        };
        action_named(NAMED[index].name)
    }

    /// The keys of `NAMED[index]`, in the list then in an open paper, each once, in a steady order.
    pub fn keys_of(&self, index: usize) -> Vec<Key> {
        let mut keys = Vec::new();
        for (place, defaults) in NAMED[index].places() {
            let map = self.place(place);
            // The defaults' own order first, then the rest sorted by name.
            let mut bound: Vec<Key> = map.iter().filter(|(_, i)| **i == index).map(|(k, _)| *k).collect();
            bound.sort_by_key(|k| {
                let position = defaults.iter().position(|d| Key::parse(d).ok() == Some(*k)).unwrap_or(usize::MAX);
                (position, k.to_string())
            });
            for key in bound {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        keys
    }

    /// The key to name for the action called `name` in `place` in a one-line hint: the first of its keys
    /// in the default order (Esc last, as it mostly means "cancel"), as the status bar shows it.
    pub fn hint_key(&self, place: Place, name: &str) -> Option<String> {
        let index = NAMED.iter().position(|named| named.name == name)?;
        let map = self.place(place);
        let defaults = NAMED[index].places().into_iter().find(|(p, _)| *p == place).map_or(&[][..], |(_, d)| d);
        let key = map.iter().filter(|(_, i)| **i == index).map(|(k, _)| *k).min_by_key(|k| {
            let position = defaults.iter().position(|d| Key::parse(d).ok() == Some(*k)).unwrap_or(usize::MAX);
            (k.code == KeyCode::Esc, position, k.to_string())
        })?;
        Some(match key.code {
            KeyCode::Enter if key.modifiers.is_empty() => "⏎".to_string(),
            _ => key.to_string(),
        })
    }

    /// Whether the configuration changed any key.
    pub fn changed(&self) -> bool {
        self.changed
    }
}

#[cfg(test)]
mod tests;
