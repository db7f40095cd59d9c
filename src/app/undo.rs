//! Changing the marks of one paper or many as one step, and undoing steps (`u`), the last first.
//!
//! A step keeps each changed key's marks before and after. Undoing puts back, of each mark, tag and the
//! note, what the step changed and what is still as the step left it (another reader's later change
//! stays). The undo is itself a change with a new time: it is saved and merged like any other.

use super::{App, Command, Tone};
use crate::library::PaperKey;
use crate::state::{Entries, Marks};

/// One change to undo: what it was, and the marks of each key it changed, before and after.
#[derive(Debug, Clone)]
pub(super) struct Step {
    what: String,
    keys: Vec<(PaperKey, Marks, Marks)>,
}

/// Undo goes this many steps back at most (a session of marking is rarely longer).
const UNDO_DEPTH: usize = 1000;

impl App {
    /// Changes the marks of each of `papers` (its keys and title) with `change`, as one step to undo,
    /// and asks the disk thread to save them; `done` says what changed. False when nothing changed.
    pub(super) fn change_papers(
        &mut self,
        papers: &[(Vec<PaperKey>, String)],
        change: impl Fn(&mut Marks),
        done: &'static str,
    ) -> bool {
        let mut changed = Entries::new();
        let mut keys = Vec::new();
        for (paper_keys, title) in papers {
            let before: Vec<Marks> =
                paper_keys.iter().map(|k| self.ledger.get(k).cloned().unwrap_or_default()).collect();
            for (key, after) in self.ledger.apply(paper_keys, title, &change) {
                let at = paper_keys.iter().position(|k| *k == key);
                keys.push((key.clone(), at.map(|i| before[i].clone()).unwrap_or_default(), after.clone()));
                changed.push((key, after));
            }
        }
        if changed.is_empty() {
            return false;
        }
        if self.marking.undo.len() == UNDO_DEPTH {
            self.marking.undo.remove(0);
        }
        self.marking.undo.push(Step { what: done.to_string(), keys });
        self.save_changes(changed, done);
        true
    }

    /// `A`: asks before marking every paper shown read.
    pub(super) fn ask_mark_all_read(&mut self) {
        let count = self.results.order.len();
        if count == 0 {
            return self.notify("No papers shown", Tone::Info);
        }
        self.marking.question = Some(super::labels::Question::MarkAllRead(count));
    }

    /// Marks every paper shown read, one step to undo.
    pub(super) fn mark_all_read(&mut self) {
        let targets = self.shown_targets();
        let count = targets.len();
        if self.change_papers(&targets, |m| m.read = true, "Marked read") {
            if self.saving.read_only.is_none() {
                self.notify(format!("Marked {count} papers read (u undoes)"), Tone::Info);
            }
            if let Some(step) = self.marking.undo.last_mut() {
                step.what = format!("{count} papers marked read");
            }
        } else {
            self.notify("Every paper shown is read already", Tone::Info);
        }
    }

    /// `u`: undoes the last step not undone yet.
    pub(super) fn undo(&mut self) {
        let Some(step) = self.marking.undo.pop() else { return self.notify("Nothing to undo", Tone::Info) };
        let mut changed = Entries::new();
        for (key, before, after) in &step.keys {
            let title = after.title.clone().or(before.title.clone()).unwrap_or_default();
            changed.extend(self.ledger.apply(std::slice::from_ref(key), &title, |m| put_back(m, before, after)));
        }
        if changed.is_empty() {
            return self.notify(format!("Nothing to undo of “{}”: changed again since", step.what), Tone::Info);
        }
        self.save_changes(changed, "Undone");
        if self.saving.read_only.is_none() {
            self.notify(format!("Undone: {}", step.what), Tone::Info);
        }
    }

    /// Takes changes made in the ledger on to the derived marks and the disk thread; `done` says what
    /// changed.
    pub(super) fn save_changes(&mut self, changed: Entries, done: &'static str) {
        self.derived.touched.extend(changed.iter().map(|(key, _)| key.clone()));
        self.derive();
        self.saving.last_change = done;
        // Sent even when nothing is saved (a read-only state file): the disk thread holds what the exit
        // must say was not saved.
        self.saving.in_flight += 1;
        self.outbox.push(Command::Save(changed));
        match self.saving.read_only.clone() {
            Some(why) => {
                self.notify(format!("{done}, but not saved: {why}"), Tone::Warning);
                self.saving.error = Some(why);
            }
            None => self.notify(done, Tone::Info),
        }
    }
}

/// Puts back in `m` what went from `before` to `after`, where `m` still has what `after` has.
fn put_back(m: &mut Marks, before: &Marks, after: &Marks) {
    if before.starred != after.starred && m.starred == after.starred {
        m.starred = before.starred;
    }
    if before.read != after.read && m.read == after.read {
        m.read = before.read;
    }
    for name in after.tags.keys().chain(before.tags.keys()) {
        let (was, became) = (before.has_tag(name), after.has_tag(name));
        if was != became && m.has_tag(name) == became {
            m.set_tag(name, was);
        }
    }
    if before.note() != after.note() && m.note() == after.note() {
        m.set_note(before.note().unwrap_or(""));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn putting_back_leaves_what_changed_since() {
        let before = Marks::default();
        let mut after = Marks { starred: true, ..Marks::default() };
        after.set_tag("rl", true);
        after.set_note("mine");
        // Since: another reader read it and rewrote the note.
        let mut now = after.clone();
        now.read = true;
        now.set_note("theirs");
        put_back(&mut now, &before, &after);
        assert!(!now.starred && !now.has_tag("rl"), "the step's own changes are undone");
        assert!(now.read, "a change the step did not make stays");
        assert_eq!(now.note(), Some("theirs"), "a note changed since stays");
    }
}
