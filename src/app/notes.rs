//! The warnings the reader learned this session (files passed over, repaired lines, failed saves and
//! fetches, the state file's news), kept for the messages pane (`!`) and counted in the status line.

use jiff::civil::Time;

use super::App;

/// Where a warning came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Opening the digests before the reader started (already printed on standard error).
    Opening,
    /// Reading the rest of the digests while the reader runs.
    Loading,
    /// The configuration file (already printed on standard error).
    Configuration,
    /// What happened to the stars and read marks file.
    StateFile,
    /// Saving the marks.
    Saving,
    /// A fetch from the configured sources.
    Fetching,
    /// Anything else done outside the model: an export, the browser, the clipboard.
    Elsewhere,
}

impl Origin {
    /// What the log says a warning came from, before it (nothing for `Elsewhere`, whose warnings say it).
    fn prefix(self) -> &'static str {
        match self {
            Origin::Opening => "opening: ",
            Origin::Loading => "loading: ",
            Origin::Configuration => "configuration: ",
            Origin::StateFile => "state file: ",
            Origin::Saving => "saving: ",
            Origin::Fetching => "fetching: ",
            Origin::Elsewhere => "",
        }
    }
}

/// One warning: when it came, the file and line it is about when it names them, and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub when: Time,
    pub origin: Origin,
    pub file: Option<String>,
    pub line: Option<usize>,
    /// The column on the line, when the warning names one (a setting of the configuration).
    pub column: Option<usize>,
    pub text: String,
}

impl Note {
    /// A warning as the reader's parts write them, `file:line: text` (or `file:line:column: text`,
    /// `file: text`, or plain text), taken apart.
    pub fn parse(when: Time, origin: Origin, warning: &str) -> Note {
        let warning = &crate::sanitize::shortened(warning);
        let plain = Note { when, origin, file: None, line: None, column: None, text: warning.trim().to_string() };
        let Some((head, text)) = warning.split_once(": ") else { return plain };
        let number = |part: &str| part.parse::<usize>().ok();
        let (file, line, column) = match head.rsplit_once(':') {
            Some((rest, last)) if number(last).is_some() => match rest.rsplit_once(':') {
                // `file:line:column`
                Some((file, line)) if number(line).is_some() => (file, number(line), number(last)),
                _ => (rest, number(last), None),
            },
            // A file named alone: a path, no spaces (a sentence with a colon is not one).
            _ if !head.contains(' ') && (head.contains('/') || head.contains('.')) => (head, None, None),
            _ => return plain,
        };
        if file.is_empty() {
            return plain;
        }
        Note { when, origin, file: Some(file.to_string()), line, column, text: text.trim().to_string() }
    }

    /// Where it is about, `file:line:column`, `file:line`, `file`, or nothing.
    pub fn place(&self) -> Option<String> {
        match (&self.file, self.line, self.column) {
            (Some(file), Some(line), Some(column)) => Some(format!("{file}:{line}:{column}")),
            (Some(file), Some(line), None) => Some(format!("{file}:{line}")),
            (Some(file), None, _) => Some(file.clone()),
            _ => None,
        }
    }
}

/// The warnings and the pane that lists them.
#[derive(Debug)]
pub(super) struct Notes {
    pub(super) all: Vec<Note>,
    /// Whether the pane is open, and its first line shown.
    pub(super) shown: bool,
    pub(super) scroll: usize,
    /// The time of day a warning is stamped with (fixed in tests, so that screens do not change).
    pub(super) clock: fn() -> Time,
}

/// The time of day where the user is.
fn now() -> Time {
    jiff::tz::TimeZone::system().to_datetime(jiff::Timestamp::now()).time()
}

impl Default for Notes {
    fn default() -> Self {
        Notes { all: Vec::new(), shown: false, scroll: 0, clock: now }
    }
}

impl App {
    /// Every warning of the session, oldest first.
    pub fn notes(&self) -> &[Note] {
        &self.notes.all
    }

    /// Whether the messages pane is open, and its first line shown.
    pub fn showing_notes(&self) -> Option<usize> {
        self.notes.shown.then_some(self.notes.scroll)
    }

    /// The reader stamping warnings with `clock`'s time of day.
    pub fn clocked(mut self, clock: fn() -> Time) -> Self {
        self.notes.clock = clock;
        self
    }

    /// Keeps `warnings` (each `file:line: text` or plain) for the messages pane.
    pub(super) fn note(&mut self, origin: Origin, warnings: &[String]) {
        // What opening and the configuration warned of was logged as it was printed, before the reader.
        if !matches!(origin, Origin::Opening | Origin::Configuration) {
            for warning in warnings {
                log::warn!(target: "papers", "{}{warning}", origin.prefix());
            }
        }
        let when = (self.notes.clock)();
        self.notes.all.extend(warnings.iter().map(|w| Note::parse(when, origin, w)));
    }

    pub(super) fn toggle_notes(&mut self) {
        self.notes.shown = !self.notes.shown;
        self.notes.scroll = 0;
    }

    pub(super) fn scroll_notes(&mut self, lines: i32) {
        let max = self.viewport.notes_lines.saturating_sub(self.viewport.notes_rows.into());
        self.notes.scroll = self.notes.scroll.saturating_add_signed(lines as isize).min(max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<String>, Option<usize>, String) {
        let note = Note::parse(Time::midnight(), Origin::Loading, text);
        (note.file, note.line, note.text)
    }

    #[test]
    fn a_column_named_is_kept_in_the_place() {
        let note = Note::parse(Time::midnight(), Origin::Configuration, "config.toml:4:9: no such key; ignored");
        assert_eq!(note.place().as_deref(), Some("config.toml:4:9"));
        let note = Note::parse(Time::midnight(), Origin::Loading, "days/a.txt:12: replaced 3 bytes");
        assert_eq!(note.place().as_deref(), Some("days/a.txt:12"));
    }

    #[test]
    fn warnings_are_taken_apart_into_file_line_and_text() {
        let s = |t: &str| Some(t.to_string());
        assert_eq!(parse("days/a.txt:12: replaced 3 bytes"), (s("days/a.txt"), Some(12), "replaced 3 bytes".into()));
        assert_eq!(
            parse("config.toml:4:9: no such key; ignored"),
            (s("config.toml"), Some(4), "no such key; ignored".into())
        );
        assert_eq!(
            parse("days/b.json: not JSON\n  (passed over)"),
            (s("days/b.json"), None, "not JSON\n  (passed over)".into())
        );
        assert_eq!(parse("the fetch failed: timed out"), (None, None, "the fetch failed: timed out".into()));
        assert_eq!(parse("no colon at all"), (None, None, "no colon at all".into()));
        assert_eq!(parse(":3: odd"), (None, None, ":3: odd".into()));
    }
}
