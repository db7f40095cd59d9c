//! Tools on the selected paper: its PDF downloaded (`d`) and opened (`P`), and the commands of
//! `[commands]` run on it (`|`, in `commands`), their output in a pane.

use std::path::PathBuf;

use super::{App, Command, Origin, PdfNews, Tone};
use crate::action::Action;
use crate::config::{Commands, Fetching, Pdf};
use crate::fetch::pdf::{self, Job, Saved};
use crate::sanitize::quote_path;

mod commands;
use commands::Written;
pub use commands::{CommandPrompt, OUTPUT_CAP, Output};

/// What this module keeps, one field of the `App`.
#[derive(Debug, Default)]
pub(super) struct Tools {
    pdf: Pdf,
    commands: Commands,
    fetching: Fetching,
    /// Downloads in flight.
    downloads: Vec<Download>,
    prompt: Option<CommandPrompt>,
    /// Commands running: their names, and the titles of the papers they run on.
    running: Vec<(String, String)>,
    /// Commands asked to stop (`X`) that have not ended yet, by name.
    stopping: Vec<String>,
    /// Commands whose pane the reader closed while they ran, by name: what they write next is not shown
    /// until they end.
    closed: Vec<String>,
    /// What each command running wrote so far (at most `OUTPUT_CAP` each, as the run keeps).
    written: Vec<Written>,
    /// Outputs of commands that ended while the pane showed another's or the reader was typing: each
    /// opens in turn once the pane is free.
    waiting: std::collections::VecDeque<Output>,
    output: Option<Output>,
    /// Where each PDF downloaded or found this session is, by arXiv id: `P` and the commands given the
    /// PDF open that one, not another file that has its name (`d` put it beside such a file).
    saved: Vec<(String, PathBuf)>,
}

impl Tools {
    pub(super) fn busy(&self) -> bool {
        !self.downloads.is_empty() || !self.running.is_empty()
    }
}

/// A download in flight: the paper's arXiv id, and what to do with the PDF once it is there.
#[derive(Debug)]
struct Download {
    id: String,
    then: Vec<Then>,
}

/// What waits for a PDF.
#[derive(Debug, Clone, PartialEq)]
enum Then {
    /// Open it (`P`).
    Open,
    /// Run this command with its path as the last argument, on the paper titled `title`.
    Run { name: String, argv: Vec<String>, timeout: std::time::Duration, title: String },
}

impl App {
    /// The reader downloading PDFs as `pdf` says (with `fetching`'s timeouts) and running `commands`.
    pub fn tooled(mut self, pdf: Pdf, commands: Commands, fetching: Fetching) -> Self {
        self.tools.pdf = pdf;
        self.tools.commands = commands;
        self.tools.fetching = fetching;
        self
    }

    pub(super) fn tool(&mut self, action: Action) {
        match action {
            Action::DownloadPdf => self.download_pdf(Vec::new()),
            Action::OpenPdf => self.open_pdf(),
            Action::RunCommand => self.open_command_prompt(),
            Action::StopCommands => self.stop_commands(),
            Action::CommandInput(input) => self.command_input(input),
            Action::CommandComplete => self.complete_command(),
            Action::CommandSubmit => self.submit_command(),
            Action::CommandCancel => self.tools.prompt = None,
            Action::ScrollOutput(lines) => self.scroll_output(lines),
            Action::CopyOutput => self.copy_output(),
            Action::CloseOutput => self.close_output(),
            // Every other action is handled in `act`.
            _ => {}
        }
    }

    /// The download of the selected paper's PDF: its id and job, or a message saying why there is none.
    fn pdf_job(&mut self) -> Option<(String, Job)> {
        let Some(paper) = self.selected_paper() else {
            self.notify("No paper selected", Tone::Info);
            return None;
        };
        let Some(id) = paper.arxiv_id().map(str::to_string) else {
            self.notify("This paper has no arXiv id: there is no PDF to download", Tone::Info);
            return None;
        };
        let settings = &self.tools.pdf;
        let job = Job {
            url: settings.url(&id),
            dir: settings.dir(),
            name: pdf::file_name(&id, paper.title()),
            max_bytes: settings.max_mb.saturating_mul(1 << 20),
            body_timeout: settings.timeout(),
        };
        Some((id, job))
    }

    /// `d`: downloads the selected paper's PDF, then does `then` with it.
    fn download_pdf(&mut self, then: Vec<Then>) {
        let Some((id, job)) = self.pdf_job() else { return };
        self.start_download(id, job, then);
    }

    fn start_download(&mut self, id: String, job: Job, then: Vec<Then>) {
        if let Some(download) = self.tools.downloads.iter_mut().find(|d| d.id == id) {
            download.then.extend(then);
            return self.notify(format!("Already downloading {id}…"), Tone::Info);
        }
        self.notify(format!("Downloading {id} to {}…", quote_path(&job.dir)), Tone::Info);
        self.tools.downloads.push(Download { id: id.clone(), then });
        self.outbox.push(Command::DownloadPdf { id, job, fetching: self.tools.fetching.clone() });
    }

    /// `P`: opens the selected paper's PDF, downloading it first when it is not there.
    fn open_pdf(&mut self) {
        let Some((id, job)) = self.pdf_job() else { return };
        match self.pdf_at(&id, &job) {
            Some(path) => self.open_file(path),
            None => self.start_download(id, job, vec![Then::Open]),
        }
    }

    /// The PDF of paper `id` already here: where it was saved this session while a file is still there,
    /// else the one under the job's name.
    fn pdf_at(&self, id: &str, job: &Job) -> Option<PathBuf> {
        let saved = self.tools.saved.iter().rev().find(|(of, _)| of == id).map(|(_, path)| path);
        saved
            .filter(|path| std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()))
            .cloned()
            .or_else(|| job.existing())
    }

    fn open_file(&mut self, path: PathBuf) {
        self.notify(format!("Opening {}", quote_path(&path)), Tone::Info);
        self.outbox.push(Command::OpenFile(path));
    }

    pub(super) fn pdf_news(&mut self, news: PdfNews) {
        match news {
            PdfNews::Progress { id, got, total } => {
                let so_far = match total {
                    Some(total) if total > 0 => {
                        format!("{} of {} ({}%)", size(got), size(total), (got * 100 / total).min(100))
                    }
                    _ => size(got),
                };
                self.notify(format!("Downloading {id}: {so_far}"), Tone::Info);
            }
            PdfNews::Done { id, result } => {
                let then = match self.tools.downloads.iter().position(|d| d.id == id) {
                    Some(at) => self.tools.downloads.remove(at).then,
                    None => Vec::new(),
                };
                match result {
                    Ok(saved) => {
                        self.tools.saved.push((id, saved.path().to_path_buf()));
                        self.downloaded(&saved, then)
                    }
                    Err(why) => {
                        self.note(Origin::Elsewhere, std::slice::from_ref(&why));
                        self.notify(format!("Not downloaded: {why}"), Tone::Warning);
                    }
                }
            }
        }
    }

    fn downloaded(&mut self, saved: &Saved, then: Vec<Then>) {
        let shown = quote_path(saved.path());
        let said = match saved {
            Saved::New(_) => format!("Downloaded {shown}"),
            Saved::Identical(_) => format!("Already downloaded: {shown}"),
            Saved::Beside(_) => format!("Downloaded {shown} (another file had its name: both kept)"),
        };
        self.notify(said, Tone::Info);
        for then in then {
            match then {
                Then::Open => self.open_file(saved.path().to_path_buf()),
                Then::Run { name, mut argv, timeout, title } => {
                    argv.push(saved.path().to_string_lossy().into_owned());
                    // The paper it was asked on, wherever the reader has moved since.
                    self.start_command_on(&title, name, argv, Vec::new(), timeout);
                }
            }
        }
    }
}

/// `532 KB`, `3.4 MB`.
fn size(bytes: u64) -> String {
    // To the nearest, as the percentage beside it is (72,016 bytes are 72 KB, not 73); a few bytes are
    // 1 KB, not none.
    let kb = bytes.saturating_add(500) / 1000;
    match kb.max(u64::from(bytes > 0)) {
        kb if kb < 1000 => format!("{kb} KB"),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

#[cfg(test)]
mod tests;
