//! Picking one of a few: what `Y` copies (the arXiv id, the URL, the BibTeX entry, the title and URL) and
//! which format `E` exports in. One small model for both, drawn by `ui::pick`.

use super::{App, Command, Tone};
use crate::export::Format;

/// What the choice is for, and what each of its options does.
#[derive(Debug, Clone, PartialEq)]
enum Purpose {
    /// Copy the text of the option chosen (a text per option).
    Copy(Vec<String>),
    /// Export the view in the format chosen (a format per option).
    Export(Vec<Format>),
}

/// A choice being asked: its title, the options as shown, the one highlighted.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub title: &'static str,
    pub options: Vec<String>,
    pub selected: usize,
    purpose: Purpose,
}

/// The formats `E` offers, in the order shown.
const FORMATS: [(Format, &str); 5] = [
    (Format::Bibtex, "BibTeX"),
    (Format::Markdown, "Markdown"),
    (Format::Json, "JSON"),
    (Format::Csv, "CSV"),
    (Format::Ris, "RIS"),
];

impl App {
    /// The choice being asked, if any.
    pub fn choice(&self) -> Option<&Choice> {
        self.choice.as_ref()
    }

    /// `Y`: what of the selected paper to copy.
    pub(super) fn ask_copy(&mut self) {
        let Some(paper) = self.selected_paper() else { return self.notify("No paper selected", Tone::Info) };
        let mut options = Vec::new();
        let mut texts = Vec::new();
        let url = paper.url();
        if let Some(id) = paper.arxiv_id() {
            options.push(format!("arXiv id   {id}"));
            texts.push(id.to_string());
        }
        if let Some(url) = &url {
            options.push(format!("URL        {url}"));
            texts.push(url.clone());
        }
        let (starred, read) = self.marks_of(&paper);
        let entry = crate::outward::entry(&paper, starred, read);
        let mut bibtex = Vec::new();
        if crate::export::write(Format::Bibtex, &[entry], &mut bibtex).is_ok() {
            options.push("BibTeX entry".to_string());
            texts.push(String::from_utf8_lossy(&bibtex).trim_end().to_string());
        }
        // As `y` copies it.
        options.push("title and URL".to_string());
        texts.push(match &url {
            Some(url) => format!("{} {url}", paper.title()),
            None => paper.title().to_string(),
        });
        self.choice = Some(Choice { title: " Copy ", options, selected: 0, purpose: Purpose::Copy(texts) });
    }

    /// `E`: in which format to export the view, the configured one highlighted.
    pub(super) fn ask_export(&mut self) {
        if self.results.order.is_empty() {
            return self.notify("Nothing to export: no papers are shown", Tone::Info);
        }
        let configured = self.export_to.1;
        let selected = FORMATS.iter().position(|(f, _)| *f == configured).unwrap_or(0);
        self.choice = Some(Choice {
            title: " Export the papers shown as ",
            options: FORMATS.iter().map(|(_, name)| name.to_string()).collect(),
            selected,
            purpose: Purpose::Export(FORMATS.iter().map(|(f, _)| *f).collect()),
        });
    }

    /// Moves the highlight by `step`, wrapping around.
    pub(super) fn move_choice(&mut self, step: i32) {
        if let Some(choice) = &mut self.choice {
            let len = choice.options.len().max(1) as i64;
            choice.selected = (choice.selected as i64 + i64::from(step)).rem_euclid(len) as usize;
        }
    }

    /// Does what option `index` says, and closes the choice.
    pub(super) fn choose(&mut self, index: usize) {
        let Some(choice) = self.choice.take() else { return };
        match choice.purpose {
            Purpose::Copy(texts) => {
                let Some(text) = texts.into_iter().nth(index) else { return self.choice = None };
                let what = choice.options[index].split("  ").next().unwrap_or_default().trim().to_string();
                self.outbox.push(Command::Copy(text));
                self.notify(format!("Copied the {what} (through the terminal: OSC 52)"), Tone::Info);
            }
            Purpose::Export(formats) => {
                let Some(&format) = formats.get(index) else { return };
                self.export_view(format);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::action::Action;
    use crate::app::{App, Command};
    use crate::export::Format;
    use crate::state::Store;

    fn app() -> App {
        let library = crate::library::Library::from_papers([
            ("A Survey of Mamba", "An abstract long enough to read."),
            ("Mamba YOLO", "Another abstract."),
        ]);
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(&dir.path().join("state.json"));
        App::new(library, &store)
    }

    #[test]
    fn export_offers_every_format_with_the_configured_one_first_highlighted() {
        let mut app = app().exporting_to(".".into(), Format::Markdown);
        let _ = app.update(Action::ExportView);
        let choice = app.choice().expect("a choice");
        assert_eq!(choice.options, ["BibTeX", "Markdown", "JSON", "CSV", "RIS"]);
        assert_eq!(choice.selected, 1);
        let _ = app.update(Action::MoveChoice(1));
        let commands = app.update(Action::Choose(app.choice().map_or(0, |c| c.selected)));
        assert!(app.choice().is_none());
        assert!(commands.iter().any(|c| matches!(c, Command::Export { format: Format::Json, .. })), "{commands:?}");
    }

    #[test]
    fn the_copy_choice_ends_with_what_y_copies_and_esc_copies_nothing() {
        let mut app = app();
        let _ = app.update(Action::CopyAs);
        let last = app.choice().map(|c| c.options.len() - 1).expect("a choice");
        assert_eq!(app.choice().map(|c| c.options[last].as_str()), Some("title and URL"));
        let _ = app.update(Action::CancelChoice);
        assert!(app.choice().is_none());
        let _ = app.update(Action::CopyAs);
        let commands = app.update(Action::Choose(last));
        let title = app.selected_paper().map(|p| p.title().to_string()).unwrap_or_default();
        assert!(matches!(&commands[..], [Command::Copy(text)] if text.starts_with(&title)), "{commands:?}");
    }
}
