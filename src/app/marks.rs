//! Stars and read marks in the model: shown at once, saved by the disk thread, its answers taken in; and
//! quitting, which waits for what is not saved yet.

use std::sync::Arc;

use super::{App, Command, DiskNews, Tone};
use crate::library::{PaperKey, PaperRef};
use crate::state::MarkSet;

impl App {
    /// (starred, read) of `paper`, looked up once.
    pub fn marks_of(&self, paper: &PaperRef) -> (bool, bool) {
        self.derived.marks.of(paper)
    }

    pub fn is_starred(&self, paper: &PaperRef) -> bool {
        self.marks_of(paper).0
    }

    pub fn is_read(&self, paper: &PaperRef) -> bool {
        self.marks_of(paper).1
    }

    pub fn starred_count(&self) -> usize {
        self.derived.starred
    }

    pub fn unread_count(&self) -> usize {
        self.derived.unread
    }

    /// Why the last save failed, while changes are not on disk.
    pub fn save_error(&self) -> Option<&str> {
        self.saving.error.as_deref()
    }

    /// Why nothing is saved at all (a newer or unreadable state file), if so.
    pub fn read_only(&self) -> Option<&str> {
        self.saving.read_only.as_deref()
    }

    /// True while the disk thread has changes it has not answered for.
    pub fn saving(&self) -> bool {
        self.saving.in_flight > 0
    }

    /// Makes again what is derived from the marks and the library, when either changed. A few marks
    /// changed (a key pressed, another reader's save) are taken in as they are, whatever the number of
    /// marks and papers: the keyboard never waits for all of them to be looked at again.
    pub(super) fn derive(&mut self) {
        let now = (self.ledger.generation(), self.library.changes());
        let touched = std::mem::take(&mut self.derived.touched);
        if self.derived.made_at == Some(now) {
            return;
        }
        let marks_changed = self.derived.made_at.is_none_or(|(generation, _)| generation != now.0);
        let library_changed = self.derived.made_at.is_none_or(|(_, changes)| changes != now.1);
        if !library_changed && self.derived.marks.takes(touched.len()) {
            let before = Arc::clone(&self.derived.marks);
            let mut marks = (*before).clone();
            marks.update(&self.ledger, &touched);
            self.derived.marks = Arc::new(marks);
            self.recount(&before, &touched);
            self.derived.made_at = Some(now);
            return;
        }
        if marks_changed {
            self.derived.marks = Arc::new(MarkSet::from_ledger(&self.ledger));
        }
        if library_changed {
            self.derived.days = Arc::new(self.library.days());
        }
        (self.derived.starred, self.derived.unread) = self.count_marks();
        self.derived.made_at = Some(now);
    }

    /// Changes the counts of starred and unread papers by what changed for the papers that `touched` (keys
    /// whose marks changed) hold marks of, from what `before` said to what the marks say now.
    pub(super) fn recount(&mut self, before: &MarkSet, touched: &[PaperKey]) {
        let mut papers: Vec<usize> = Vec::new();
        for key in touched {
            let title_key = self.ledger.get(key).and_then(|m| m.title.as_deref()).map(PaperKey::from_title);
            papers.extend(self.library.find(key));
            papers.extend(title_key.and_then(|title_key| self.library.find(&title_key)));
        }
        papers.sort_unstable();
        papers.dedup();
        for i in papers {
            let paper = self.library.get(i);
            let (was, now) = (before.of(&paper), self.derived.marks.of(&paper));
            self.derived.starred = (self.derived.starred + usize::from(now.0)).saturating_sub(usize::from(was.0));
            self.derived.unread = (self.derived.unread + usize::from(!now.1)).saturating_sub(usize::from(!was.1));
        }
    }

    /// (starred, unread) papers in the library: counted from the marks, or from every paper when there
    /// are fewer papers than marks.
    pub(super) fn count_marks(&self) -> (usize, usize) {
        if self.ledger.len() > self.library.len() {
            let (mut starred, mut read) = (0, 0);
            for paper in (0..self.library.len()).map(|i| self.library.get(i)) {
                let (s, r) = self.derived.marks.of(&paper);
                starred += usize::from(s);
                read += usize::from(r);
            }
            return (starred, self.library.len() - read);
        }
        // The papers that have marks, once each (a paper may have them under two keys).
        let mut marked: Vec<usize> = Vec::new();
        for (key, marks) in self.ledger.iter().filter(|(_, m)| m.starred || m.read) {
            let title_key = marks.title.as_deref().map(PaperKey::from_title);
            marked.extend(self.library.find(key).or_else(|| self.library.find(title_key.as_ref()?)));
        }
        marked.sort_unstable();
        marked.dedup();
        let (mut starred, mut read) = (0, 0);
        for &i in &marked {
            let (s, r) = self.derived.marks.of(&self.library.get(i));
            starred += usize::from(s);
            read += usize::from(r);
        }
        (starred, self.library.len() - read)
    }

    /// The keys the selected paper's marks are kept under, its title, and its marks now.
    fn selected_marks(&self) -> Option<(Vec<PaperKey>, String, (bool, bool))> {
        let paper = self.selected_paper()?;
        let set = &self.derived.marks;
        let mut keys = set.keys_of(&paper);
        let key = paper.key();
        if !keys.contains(&key) {
            keys.insert(0, key);
        }
        Some((keys, paper.title().to_string(), set.of(&paper)))
    }

    pub(super) fn toggle_star(&mut self) {
        let Some((keys, title, (starred, _))) = self.selected_marks() else { return };
        let starred = !starred;
        self.change_marks(&keys, &title, |m| m.starred = starred, if starred { "Starred" } else { "Unstarred" });
    }

    pub(super) fn toggle_read(&mut self) {
        if let Some(paper) = self.selected_paper() {
            let read = !self.is_read(&paper);
            self.set_read(read);
        }
    }

    pub(super) fn set_read(&mut self, read: bool) {
        let Some((keys, title, (_, was_read))) = self.selected_marks() else { return };
        if was_read == read {
            return;
        }
        self.change_marks(&keys, &title, |m| m.read = read, if read { "Marked read" } else { "Marked unread" });
    }

    /// Changes the marks here at once and asks the disk thread to save them; `done` says what changed.
    fn change_marks(
        &mut self,
        keys: &[PaperKey],
        title: &str,
        change: impl Fn(&mut crate::state::Marks),
        done: &'static str,
    ) {
        self.change_papers(&[(keys.to_vec(), title.to_string())], change, done);
    }

    /// Takes in what the disk thread says: how a save went, and marks another reader saved.
    pub(super) fn disk_news(&mut self, news: DiskNews) {
        self.saving.in_flight = self.saving.in_flight.saturating_sub(news.answers);
        if !news.theirs.is_empty() {
            // Not filtered again: a paper read elsewhere stays in the unread view until the view changes,
            // as one read here does; the next frame shows the new marks.
            self.derived.touched.extend(news.theirs.iter().map(|(key, _)| key.clone()));
            self.ledger.merge(news.theirs);
            self.derive();
        }
        if let Some(why) = news.read_only {
            self.saving.read_only = Some(why);
        }
        self.show_alert(&news.notices);
        match news.saved {
            Some(Ok(())) if self.saving.in_flight == 0 => {
                // A retry saved what could not be saved: the warning that said so is not left standing.
                let warned = self.message.as_ref().is_some_and(|(text, _)| text.contains("not saved"));
                if self.saving.error.take().is_some() && warned {
                    self.notify("Saved: every change is on disk now", Tone::Info);
                }
            }
            Some(Err(why)) => {
                // Kept once for the messages pane, not again for each retry that fails the same way.
                if self.saving.error.as_deref() != Some(why.as_str()) {
                    self.note(super::Origin::Saving, &[format!("the marks were not saved: {why}")]);
                }
                // Said once, for the change that failed; a retry that fails again (each second without
                // keys) leaves the reason in the status line instead of taking over the message.
                let done = self.saving.last_change;
                if news.answers > 0 && !done.is_empty() && !self.saving.quitting {
                    self.notify(format!("{done}, but not saved: {why}"), Tone::Warning);
                }
                self.saving.error = Some(why);
            }
            // A reload's news, or a save with more to come.
            Some(Ok(())) | None => {}
        }
        self.quit_when_done();
    }

    /// `q`: quits at once when every change is on disk and no export is being written; else waits for the
    /// disk thread, and when a save fails, asks for a second `q` to quit without the changes.
    pub(super) fn quit(&mut self) {
        // A second `q` while the first waits for the disk quits: the exit still saves what it can, and
        // says on standard error what it could not.
        if self.saving.quit_armed || self.saving.quitting {
            self.should_quit = true;
            return;
        }
        if let Some(why) = self.saving.read_only.clone().filter(|_| self.saving.error.is_some()) {
            return self.not_saved_on_quit(&why);
        }
        if self.saving.error.is_some() {
            // Once more, with whatever else is not saved.
            self.saving.in_flight += 1;
            self.outbox.push(Command::Save(Vec::new()));
        }
        self.saving.quitting = true;
        self.quit_when_done();
        if self.saving.quitting {
            self.notify("Saving before quitting… (q quits at once, any other key stays)", Tone::Info);
        }
    }

    /// Quits, if a quit waits and nothing is in flight any more; says so when a save failed meanwhile.
    pub(super) fn quit_when_done(&mut self) {
        if !self.saving.quitting || self.saving.in_flight > 0 || self.exporting > 0 {
            return;
        }
        self.saving.quitting = false;
        match self.saving.error.clone() {
            None => self.should_quit = true,
            Some(why) => self.not_saved_on_quit(&why),
        }
    }

    fn not_saved_on_quit(&mut self, why: &str) {
        self.saving.quit_armed = true;
        // What the next key does comes first: a status line cuts the reason, which `!` keeps whole.
        let key = self.bindings().hint_key(crate::action::Place::List, "quit").unwrap_or_else(|| "q".into());
        self.notify(format!("Not saved: {key} again quits without the changes ({why})"), Tone::Warning);
    }
}
