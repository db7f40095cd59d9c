//! Papers out of the reader: `o` and 1-9 open links, `y` copies, `E` exports the view to a file (the
//! choices `Y` and `E` ask first are in `choice`).

use super::{App, Command, Tone};
use crate::outward;
use crate::sanitize::quote_path;

impl App {
    pub(super) fn open_page(&mut self) {
        let Some(paper) = self.selected_paper() else { return };
        match paper.url() {
            Some(url) => self.open(url),
            None => self.notify("This paper has no link to open", Tone::Info),
        }
    }

    pub(super) fn open_link(&mut self, number: usize) {
        let Some(paper) = self.selected_paper() else { return };
        let links = paper.links();
        match links.into_iter().nth(number.wrapping_sub(1)) {
            Some(url) => self.open(url),
            None => self.notify(format!("This paper has no link [{number}]"), Tone::Info),
        }
    }

    fn open(&mut self, url: String) {
        if !crate::links::is_web_url(&url) {
            return self.notify(format!("Not opened: only http(s) links are, not {url}"), Tone::Warning);
        }
        self.notify(format!("Opening {url}"), Tone::Info);
        self.outbox.push(Command::Open(url));
    }

    pub(super) fn copy_link(&mut self) {
        let Some(paper) = self.selected_paper() else { return };
        let text = match paper.url() {
            Some(url) => format!("{} {url}", paper.title()),
            None => paper.title().to_string(),
        };
        self.outbox.push(Command::Copy(text));
        self.notify("Copied the title and link (through the terminal: OSC 52)", Tone::Info);
    }

    /// Asks for the papers shown, in the order shown, to be written in `format` to a new file in the
    /// export directory.
    pub(super) fn export_view(&mut self, format: crate::export::Format) {
        if self.results.order.is_empty() {
            return self.notify("Nothing to export: no papers are shown", Tone::Info);
        }
        let marks = &self.derived.marks;
        let entries: Vec<_> = self
            .results
            .order
            .iter()
            .map(|&i| {
                let paper = self.library.get(i as usize);
                let (starred, read) = marks.of(&paper);
                let (tags, note) = marks.labels_of(&paper);
                crate::export::Entry { tags, note, ..outward::entry(&paper, starred, read) }
            })
            .collect();
        let dir = self.export_to.0.clone();
        self.notify(format!("Exporting {} papers…", entries.len()), Tone::Info);
        self.exporting += 1;
        self.outbox.push(Command::Export { dir, format, entries });
    }

    /// Says where the export went, or why it did not.
    pub(super) fn exported(&mut self, result: Result<(std::path::PathBuf, usize), String>) {
        self.exporting = self.exporting.saturating_sub(1);
        match result {
            Ok((path, count)) => self.notify(format!("Exported {count} papers to {}", quote_path(&path)), Tone::Info),
            Err(why) => {
                // Quitting waited for the export: a failure is shown, and the quit called off.
                self.saving.quitting = false;
                self.note(super::Origin::Elsewhere, &[format!("not exported: {why}")]);
                self.notify(format!("Not exported: {why}"), Tone::Warning);
            }
        }
        self.quit_when_done();
    }
}
