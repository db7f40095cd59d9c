//! The commands of `[commands]` on the selected paper: the prompt that names one (`|`, Tab completes),
//! what it is given (abstract, JSON, BibTeX or the PDF's path), and its output or failure in a pane.

use std::time::Duration;

use ratatui::style::{Modifier, Style};
use ratatui_textarea::{CursorMove, Input, TextArea};

use super::Then;
use crate::app::{App, Command, Tone};
use crate::config::Input as Given;
use crate::outward::run::{Ending, Ran};
use crate::sanitize::{message, sanitize};

/// The most of each output kept: far more than a pane is read through, little for memory.
pub const OUTPUT_CAP: usize = 1 << 20;

/// What a command still running wrote so far: its bytes, and its whole lines made safe to draw, each
/// line once (a pane that follows a megabyte of output is not made again from its start each time).
#[derive(Debug, Default)]
pub(super) struct Written {
    name: String,
    bytes: Vec<u8>,
    lines: Vec<String>,
    /// Where the bytes not yet in `lines` start: after the last line break.
    whole_to: usize,
}

impl Written {
    /// The last line, not ended yet, made safe to draw.
    fn partial(&self) -> Option<String> {
        let tail = &self.bytes[self.whole_to..];
        (!tail.is_empty()).then(|| sanitize(&String::from_utf8_lossy(tail)))
    }
}

/// The prompt naming the command to run.
#[derive(Debug, Clone)]
pub struct CommandPrompt {
    input: TextArea<'static>,
    /// The names the last Tab could complete to, when more than one.
    choices: Vec<String>,
}

impl CommandPrompt {
    pub fn input(&self) -> &TextArea<'static> {
        &self.input
    }

    pub fn choices(&self) -> &[String] {
        &self.choices
    }

    fn text(&self) -> &str {
        self.input.lines().first().map_or("", String::as_str)
    }
}

/// A command's output (or its failure), shown in a pane until closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The command's name and the paper's title.
    pub title: String,
    /// The text shown, made safe to draw, a line each.
    pub lines: Vec<String>,
    /// It failed: the lines say how, then its standard error.
    pub failed: bool,
    /// The first line shown.
    pub scroll: usize,
    /// The command's name while it still runs: the lines are what it wrote so far.
    pub running: Option<String>,
}

fn text_area(text: &str) -> TextArea<'static> {
    let mut input = TextArea::new(vec![text.to_string()]);
    input.set_cursor_line_style(Style::default());
    input.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
    input.set_placeholder_text("command name");
    input.set_placeholder_style(Style::default().add_modifier(Modifier::DIM));
    input.move_cursor(CursorMove::End);
    input
}

impl App {
    /// The command prompt, while it is open.
    pub fn command_prompt(&self) -> Option<&CommandPrompt> {
        self.tools.prompt.as_ref()
    }

    /// The names of the configured commands, in order.
    pub fn command_names(&self) -> Vec<&str> {
        self.tools.commands.keys().map(String::as_str).collect()
    }

    /// A command's output, while its pane is open.
    pub fn output(&self) -> Option<&Output> {
        self.tools.output.as_ref()
    }

    /// True while a command runs.
    pub fn running_command(&self) -> bool {
        !self.tools.running.is_empty()
    }

    /// How many commands run.
    pub fn running_commands(&self) -> usize {
        self.tools.running.len()
    }

    pub(super) fn open_command_prompt(&mut self) {
        if self.selected_paper().is_none() {
            return self.notify("No paper selected", Tone::Info);
        }
        if self.tools.commands.is_empty() {
            return self.notify(
                "No commands: add a [commands] table to the configuration (papers fetch --init shows one)",
                Tone::Info,
            );
        }
        self.tools.prompt = Some(CommandPrompt { input: text_area(""), choices: Vec::new() });
    }

    /// Pasted text into the command prompt, when it is open.
    pub(in crate::app) fn command_paste(&mut self, line: &str) -> bool {
        let Some(prompt) = &mut self.tools.prompt else { return false };
        prompt.input.insert_str(line);
        prompt.choices.clear();
        true
    }

    pub(super) fn command_input(&mut self, input: Input) {
        if let Some(prompt) = &mut self.tools.prompt {
            prompt.input.input(input);
            prompt.choices.clear();
        }
    }

    /// Tab: the name typed completed from the configured ones; when several fit, as far as they agree.
    pub(super) fn complete_command(&mut self) {
        let Some(prompt) = &mut self.tools.prompt else { return };
        let typed = prompt.text().trim().to_string();
        let fits: Vec<&String> = self.tools.commands.keys().filter(|name| name.starts_with(&typed)).collect();
        let completed = match fits.as_slice() {
            [] => return self.notify(format!("No command starts with “{}”", message(&typed)), Tone::Info),
            [one] => (*one).clone(),
            many => {
                let first = many[0];
                let mut end = first.len();
                for name in &many[1..] {
                    end = end.min(first.bytes().zip(name.bytes()).take_while(|(a, b)| a == b).count());
                }
                while !first.is_char_boundary(end) {
                    end -= 1;
                }
                first[..end].to_string()
            }
        };
        prompt.choices = if fits.len() > 1 { fits.into_iter().cloned().collect() } else { Vec::new() };
        prompt.input = text_area(&completed);
    }

    /// Enter: runs the command named, on the selected paper.
    pub(super) fn submit_command(&mut self) {
        let Some(prompt) = self.tools.prompt.take() else { return };
        let name = prompt.text().trim().to_string();
        let Some(command) = self.tools.commands.get(&name).cloned() else {
            let known = self.command_names().join(", ");
            return self.notify(format!("No command “{}” (there are: {known})", message(&name)), Tone::Warning);
        };
        if self.still_running(&name) {
            return;
        }
        let Some(paper) = self.selected_paper() else { return };
        let input = match command.input {
            Given::Abstract => format!("{}\n\n{}\n", paper.title(), paper.abstract_text()).into_bytes(),
            Given::Json | Given::Bibtex => {
                let (starred, read) = self.derived.marks.of(&paper);
                let (tags, note) = self.derived.marks.labels_of(&paper);
                let entry = crate::export::Entry { tags, note, ..crate::outward::entry(&paper, starred, read) };
                let format = if command.input == Given::Json {
                    crate::export::Format::Json
                } else {
                    crate::export::Format::Bibtex
                };
                let mut bytes = Vec::new();
                if let Err(e) = crate::export::write(format, &[entry], &mut bytes) {
                    return self.notify(format!("Cannot write the paper for {name}: {e}"), Tone::Warning);
                }
                bytes
            }
            Given::Pdf => {
                let title = paper.title().to_string();
                let Some((id, job)) = self.pdf_job() else { return };
                let timeout = command.timeout();
                let then = Then::Run { name, argv: command.argv, timeout, title };
                match self.pdf_at(&id, &job) {
                    Some(path) => self.downloaded(&crate::fetch::pdf::Saved::Identical(path), vec![then]),
                    None => self.start_download(id, job, vec![then]),
                }
                return;
            }
        };
        let timeout = command.timeout();
        self.start_command(name, command.argv, input, timeout);
    }

    /// `start_command_on` the selected paper.
    pub(super) fn start_command(&mut self, name: String, argv: Vec<String>, input: Vec<u8>, timeout: Duration) {
        let title = self.selected_paper().map(|p| p.title().to_string()).unwrap_or_default();
        self.start_command_on(&title, name, argv, input, timeout);
    }

    /// Runs the command `name` on the paper titled `title` (the pane's title names it).
    pub(super) fn start_command_on(
        &mut self,
        title: &str,
        name: String,
        argv: Vec<String>,
        input: Vec<u8>,
        timeout: Duration,
    ) {
        if self.still_running(&name) {
            return;
        }
        let stop = self.stop_hint();
        self.notify(format!("Running {}…{stop}", message(&name)), Tone::Info);
        self.tools.running.push((name.clone(), title.to_string()));
        self.outbox.push(Command::RunCommand { name, argv, input, timeout });
    }

    /// " (X stops it)", with the key bound to stopping commands.
    fn stop_hint(&self) -> String {
        let stop = self.bindings().hint_key(crate::action::Place::List, "stop_commands");
        stop.map(|key| format!(" ({key} stops it)")).unwrap_or_default()
    }

    /// True, and said, when the command `name` runs, or waits for a PDF to run on: one run of a name
    /// at a time (its output, its pane and its end are told by its name). Checked before a download
    /// too, so that it is not downloaded for nothing.
    fn still_running(&mut self, name: &str) -> bool {
        let waits = self
            .tools
            .downloads
            .iter()
            .flat_map(|d| &d.then)
            .any(|t| matches!(t, Then::Run { name: n, .. } if n == name));
        if !waits && !self.tools.running.iter().any(|(n, _)| n == name) {
            return false;
        }
        let said = format!("{} is still running{}: run it again once it has ended", message(name), self.stop_hint());
        self.notify(said, Tone::Info);
        true
    }

    /// `X`: stops the commands still running; each shows what it wrote when it has ended.
    pub(in crate::app) fn stop_commands(&mut self) {
        if self.tools.running.is_empty() {
            return self.notify("No command is running", Tone::Info);
        }
        let names: Vec<String> = self.tools.running.iter().map(|(name, _)| name.clone()).collect();
        self.notify(format!("Stopping {}…", sanitize(&names.join(", "))), Tone::Info);
        // Once each: a second X is not a second stop waiting for a later run of the name.
        for name in names {
            if !self.tools.stopping.contains(&name) {
                self.tools.stopping.push(name);
            }
        }
        self.outbox.push(Command::StopCommands);
    }

    /// A command still running wrote `more`: all it wrote so far, in the pane, unless the pane shows
    /// another's output (kept until closed), the reader closed this one's (it opens again when the
    /// command ends), or the reader is typing (it opens at the next output after). Where the reader
    /// scrolled to is kept; at the end (`G`), the pane follows what comes.
    pub(in crate::app) fn wrote(&mut self, name: &str, more: &[u8]) {
        let Some((_, title)) = self.tools.running.iter().find(|(n, _)| n == name) else { return };
        let title = sanitize(&format!("{name} (running) · {title}"));
        let free = self.tools.output.is_none() && !self.typing();
        if !self.tools.written.iter().any(|w| w.name == name) {
            self.tools.written.push(Written { name: name.to_string(), ..Written::default() });
        }
        let Some(written) = self.tools.written.iter_mut().find(|w| w.name == name) else { return };
        written.bytes.extend_from_slice(&more[..more.len().min(OUTPUT_CAP.saturating_sub(written.bytes.len()))]);
        let whole_before = written.lines.len();
        if let Some(last) = written.bytes[written.whole_to..].iter().rposition(|&b| b == b'\n') {
            let end = written.whole_to + last + 1;
            add_lines(&mut written.lines, &written.bytes[written.whole_to..end], false);
            written.whole_to = end;
        }
        match &mut self.tools.output {
            _ if self.tools.closed.iter().any(|n| n == name) => {}
            // Shown already: the lines that came since, after the whole ones it had.
            Some(output) if output.running.as_deref() == Some(name) => {
                output.lines.truncate(whole_before);
                output.lines.extend(written.lines[whole_before..].iter().cloned());
                output.lines.extend(written.partial());
            }
            None if free => {
                let mut lines = written.lines.clone();
                lines.extend(written.partial());
                let running = Some(name.to_string());
                self.tools.output = Some(Output { title, lines, failed: false, scroll: 0, running });
            }
            _ => {}
        }
    }

    /// Esc on the pane: closed, and, when its command still runs, kept closed until that ends.
    pub(in crate::app) fn close_output(&mut self) {
        if let Some(name) = self.tools.output.take().and_then(|output| output.running) {
            self.tools.closed.push(name);
        }
    }

    /// True while the reader types (the search bar, a prompt, the palette), answers (a question, an
    /// alert, a choice) or triages: a pane opened then would take the next keys meant for that.
    fn typing(&self) -> bool {
        self.mode() == crate::app::Mode::Search
            || self.triage().is_some()
            || self.tag_prompt().is_some()
            || self.tools.prompt.is_some()
            || self.palette().is_some()
            || self.question().is_some()
            || self.alert().is_some()
            || self.choice().is_some()
    }

    /// The output of a command that ended while the pane was taken, once it is free.
    pub(in crate::app) fn show_waiting_output(&mut self) {
        if self.tools.output.is_none() && !self.tools.waiting.is_empty() && !self.typing() {
            self.tools.output = self.tools.waiting.pop_front();
        }
    }

    /// A command ended: its output, or how it failed and its standard error, in the pane.
    pub(in crate::app) fn ran(&mut self, name: String, ran: Ran) {
        let stopped = match self.tools.stopping.iter().position(|n| *n == name) {
            Some(at) => {
                self.tools.stopping.remove(at);
                matches!(ran.ending, Ending::Signalled(_))
            }
            None => false,
        };
        if let Some(at) = self.tools.closed.iter().position(|n| *n == name) {
            self.tools.closed.remove(at);
        }
        if let Some(at) = self.tools.written.iter().position(|w| w.name == name) {
            self.tools.written.remove(at);
        }
        // Read while it ran: the reader stays where they were, unless it failed (then how it failed
        // and its standard error come first, and are what to read).
        let scroll = match &self.tools.output {
            Some(output) if output.running.as_deref() == Some(name.as_str()) && ran.succeeded() => output.scroll,
            _ => 0,
        };
        let title = match self.tools.running.iter().position(|(n, _)| *n == name) {
            Some(at) => self.tools.running.remove(at).1,
            None => String::new(),
        };
        let failed = !ran.succeeded();
        let mut lines = Vec::new();
        let how = match &ran.ending {
            Ending::Exited(0) => None,
            _ if ran.stopped_at_cap() => None,
            _ if stopped => Some(format!("{name} was stopped, as asked")),
            Ending::Exited(code) => Some(format!("{name} failed: exit code {code}")),
            Ending::Signalled(signal) => Some(format!("{name} was ended by signal {signal}")),
            Ending::TimedOut(after) => Some(format!("{name} ran past its {} s and was killed", after.as_secs_f64())),
            Ending::NotStarted(why) => Some(format!("{name} did not start: {why}")),
        };
        if let Some(how) = &how {
            lines.push(sanitize(how));
            if !ran.stderr.is_empty() {
                lines.push(String::new());
                lines.push("standard error:".to_string());
                add_lines(&mut lines, &ran.stderr, ran.stderr_cut);
            }
            if !ran.stdout.is_empty() {
                lines.push(String::new());
                lines.push("standard output:".to_string());
            }
        }
        add_lines(&mut lines, &ran.stdout, ran.stdout_cut);
        if ran.stopped_at_cap() {
            lines.push(format!("[{} was stopped there: it wrote on past what is kept]", sanitize(&name)));
        }
        if lines.is_empty() {
            lines.push(format!("({} wrote nothing)", sanitize(&name)));
        }
        let title = sanitize(&format!("{name} · {title}"));
        let output = Output { title, lines, failed, scroll, running: None };
        // Shown in place of its own running output, or in a free pane; else it waits its turn.
        let shown = match &self.tools.output {
            Some(output) => output.running.as_deref() == Some(name.as_str()),
            None => !self.typing(),
        };
        let later = if shown { "" } else { "; its output opens once the pane is free" };
        match how {
            Some(how) => {
                self.note(crate::app::Origin::Elsewhere, std::slice::from_ref(&how));
                self.notify(format!("{how}{later}"), Tone::Warning);
            }
            None => self.notify(format!("{} done{later}", message(&name)), Tone::Info),
        }
        match shown {
            true => self.tools.output = Some(output),
            false => self.tools.waiting.push_back(output),
        }
    }

    /// Scrolls the pane; to its end (`G`), it stays there as more comes (`usize::MAX`, which every
    /// reader of it takes as the last line that fills the pane).
    pub(super) fn scroll_output(&mut self, lines: i32) {
        let max = self.viewport.output_lines.saturating_sub(self.viewport.output_rows.into());
        if let Some(output) = &mut self.tools.output {
            output.scroll = match lines {
                i32::MAX => usize::MAX,
                _ => output.scroll.min(max).saturating_add_signed(lines as isize).min(max),
            };
        }
    }

    pub(super) fn copy_output(&mut self) {
        let Some(output) = &self.tools.output else { return };
        let text = output.lines.join("\n");
        if text.len() > COPY_MOST {
            let message = format!(
                "Not copied: the output is {} KB, more than a terminal takes to copy (at most {} KB)",
                text.len().div_ceil(1000),
                COPY_MOST / 1000
            );
            self.notify(message, Tone::Warning);
            return;
        }
        self.outbox.push(Command::Copy(text));
        self.notify("Copied the output (through the terminal: OSC 52)", Tone::Info);
    }
}

/// The most of an output `y` copies. It goes through the terminal (OSC 52), in base64, a third
/// longer: tmux drops a sequence past 1 MB without a word (a megabyte of output was "copied" and the
/// clipboard kept what it held), and other terminals take less; 100 KB goes through the ones we know.
const COPY_MOST: usize = 100_000;

/// `bytes` as lines made safe to draw, and a line saying so when they were cut at the cap.
fn add_lines(lines: &mut Vec<String>, bytes: &[u8], cut: bool) {
    let text = String::from_utf8_lossy(bytes);
    lines.extend(text.lines().map(sanitize));
    if cut {
        lines.push(format!("[cut: only the first {} MB is shown]", OUTPUT_CAP >> 20));
    }
}
