//! Drives the whole reader without a terminal: keys in, `TestBackend` screens out.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use papers::app::{App, Msg};
use papers::export::Entry;
use papers::state::Store;
use papers::ui::{self, ViewState};
use papers::work::Inline;
use papers::{cli, keymap};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Runs the `papers` binary as a script would: no terminal, the state file in a temporary directory.
pub struct Run {
    pub dir: tempfile::TempDir,
}

impl Run {
    pub fn new() -> Self {
        Run { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn state(&self) -> std::path::PathBuf {
        self.dir.path().join("state.json")
    }

    /// Runs `papers` with `args` and nothing on standard input.
    pub fn papers(&self, args: &[&str]) -> std::process::Output {
        self.papers_with_input(args, None)
    }

    /// Runs `papers` with `args`, and `input` (if any) on standard input.
    pub fn papers_with_input(&self, args: &[&str], input: Option<&[u8]>) -> std::process::Output {
        use std::io::Write;
        use std::process::{Command, Stdio};
        // A home of its own: neither the library nor the configuration of whoever runs the tests.
        let mut child = Command::new(env!("CARGO_BIN_EXE_papers"))
            .env("XDG_DATA_HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .args(args)
            .arg("--state")
            .arg(self.state())
            .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run papers");
        if let Some(input) = input {
            child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
        }
        child.wait_with_output().expect("wait for papers")
    }
}

pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub struct Reader {
    pub app: App,
    /// Does the model's work (searches, saves, exports) at once, as the threads would.
    pub work: Inline,
    pub view: ViewState,
    pub terminal: Terminal<TestBackend>,
    pub dir: tempfile::TempDir,
}

impl Reader {
    /// The reader on the built-in digest, with a fresh state file.
    pub fn built_in(width: u16, height: u16) -> Self {
        Self::open(&[], width, height)
    }

    /// The reader on fixture files (the built-in digest when none), with a fresh state file.
    pub fn open(fixtures: &[&str], width: u16, height: u16) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        // Relative to the package (where tests run), so screens show no path of the machine.
        let files: Vec<_> = fixtures.iter().map(|f| std::path::Path::new("tests/fixtures").join(f)).collect();
        let library = cli::load(&files).expect("fixtures load");
        let (store, _) = Store::open(&dir.path().join("state.json"));
        Self::with(App::new(library, &store), store, width, height, dir)
    }

    /// The reader on the built-in digest, drawn with `theme` and driven by `bindings`.
    pub fn looking(theme: papers::config::Theme, bindings: papers::action::Bindings, width: u16, height: u16) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let library = cli::load(&[]).expect("the built-in digest");
        let (store, _) = Store::open(&dir.path().join("state.json"));
        Self::with(App::new(library, &store).looking(theme, bindings), store, width, height, dir)
    }

    /// The reader on `app`, whose marks are kept in `store`.
    pub fn with(app: App, store: Store, width: u16, height: u16, dir: tempfile::TempDir) -> Self {
        let terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        let mut reader = Reader { app, work: Inline::new(store), view: ViewState::default(), terminal, dir };
        reader.draw();
        reader
    }

    /// Draws a frame, and tells the model the room it had, as the event loop does.
    pub fn draw(&mut self) {
        let Reader { app, view, terminal, .. } = self;
        terminal.draw(|frame| ui::render(app, view, frame)).expect("draw");
        if view.viewport() != app.viewport() {
            self.work.dispatch(&mut self.app, Msg::Viewport(self.view.viewport()));
        }
    }

    /// Hands the model a message, as the event loop does for the workers' answers.
    pub fn message(&mut self, msg: Msg) -> &mut Self {
        self.work.dispatch(&mut self.app, msg);
        self.draw();
        self
    }

    /// Presses keys: plain characters type themselves; `<Name>` is a named key (Enter, Esc, Down, Up,
    /// PageDown, PageUp, Home, End, Backspace, Tab, S-Down, S-Up, C-c).
    pub fn keys(&mut self, keys: &str) -> &mut Self {
        let mut chars = keys.chars();
        while let Some(c) = chars.next() {
            let event = if c == '<' {
                let name: String = chars.by_ref().take_while(|&c| c != '>').collect();
                named(&name)
            } else {
                let modifiers = if c.is_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
                KeyEvent::new(KeyCode::Char(c), modifiers)
            };
            self.event(Event::Key(event));
        }
        self
    }

    pub fn event(&mut self, event: Event) -> &mut Self {
        if let Some(action) = keymap::action_for(&self.app, &event, &self.view) {
            self.work.dispatch(&mut self.app, action);
        }
        self.draw();
        self
    }

    pub fn resize(&mut self, width: u16, height: u16) -> &mut Self {
        self.terminal.backend_mut().resize(width, height);
        self.draw();
        self
    }

    /// The screen's styles: for each row with any, the runs of cells drawn alike, as `x..y style`, a
    /// style being its colours and text attributes (cells drawn plainly are left out).
    pub fn styles(&self) -> String {
        let buffer = self.terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            let mut runs: Vec<(u16, u16, String)> = Vec::new();
            for x in 0..buffer.area.width {
                let cell = &buffer[(x, y)];
                let style = style_name(cell.fg, cell.bg, cell.modifier);
                match runs.last_mut() {
                    Some((_, end, last)) if *last == style && *end == x => *end = x + 1,
                    _ => runs.push((x, x + 1, style)),
                }
            }
            let runs: Vec<String> =
                runs.into_iter().filter(|(_, _, s)| !s.is_empty()).map(|(a, b, s)| format!("{a}..{b} {s}")).collect();
            if !runs.is_empty() {
                out.push_str(&format!("{y:>2}: {}\n", runs.join(" | ")));
            }
        }
        out
    }

    /// The screen as plain text, one line a row.
    pub fn screen(&self) -> String {
        let buffer = self.terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            let mut x = 0;
            while x < buffer.area.width {
                let symbol = buffer[(x, y)].symbol();
                out.push_str(symbol);
                // A wide character covers the next cell too.
                x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
            }
            out.push('\n');
        }
        out
    }

    pub fn selected_title(&self) -> String {
        self.app.selected_paper().map(|p| p.title().to_string()).unwrap_or_default()
    }
}

/// A cell's look in few characters: `fg=Cyan bg=… BOLD|REVERSED`, empty when plain.
fn style_name(fg: ratatui::style::Color, bg: ratatui::style::Color, modifier: ratatui::style::Modifier) -> String {
    use ratatui::style::Color;
    let mut parts = Vec::new();
    if fg != Color::Reset {
        parts.push(format!("fg={fg}"));
    }
    if bg != Color::Reset {
        parts.push(format!("bg={bg}"));
    }
    if !modifier.is_empty() {
        parts.push(format!("{modifier:?}").trim_start_matches("Modifier(").trim_end_matches(')').replace(' ', ""));
    }
    parts.join(" ")
}

fn named(name: &str) -> KeyEvent {
    let (code, modifiers) = match name {
        "Enter" => (KeyCode::Enter, KeyModifiers::NONE),
        "Esc" => (KeyCode::Esc, KeyModifiers::NONE),
        "Down" => (KeyCode::Down, KeyModifiers::NONE),
        "Up" => (KeyCode::Up, KeyModifiers::NONE),
        "PageDown" => (KeyCode::PageDown, KeyModifiers::NONE),
        "PageUp" => (KeyCode::PageUp, KeyModifiers::NONE),
        "Home" => (KeyCode::Home, KeyModifiers::NONE),
        "End" => (KeyCode::End, KeyModifiers::NONE),
        "Backspace" => (KeyCode::Backspace, KeyModifiers::NONE),
        "Tab" => (KeyCode::Tab, KeyModifiers::NONE),
        "S-Down" => (KeyCode::Down, KeyModifiers::SHIFT),
        "S-Up" => (KeyCode::Up, KeyModifiers::SHIFT),
        "C-c" => (KeyCode::Char('c'), KeyModifiers::CONTROL),
        "C-a" => (KeyCode::Char('a'), KeyModifiers::CONTROL),
        other => panic!("unknown key <{other}>"),
    };
    KeyEvent::new(code, modifiers)
}

/// Reads back the CSV an export wrote: the library's own test reader, compiled here too so that the unit
/// and the command-line tests read CSV the same way. It finds `Entry` in this module.
#[path = "../../src/export/csv_reader.rs"]
pub mod csv_reader;
