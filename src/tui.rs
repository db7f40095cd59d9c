//! The terminal: entering and always leaving raw mode, signals, suspension, and the event loop.
//!
//! Whatever ends the reader (q, an error, a panic, SIGTERM, SIGHUP, SIGINT, SIGQUIT), the terminal gets
//! back cooked mode, the main screen, its cursor, and mouse reporting off. Marks are saved by the disk
//! thread as they change; every way out waits for it to save what it has not yet, and says when it could not.

use std::io::{self, IsTerminal, Stdout};
use std::panic::AssertUnwindSafe;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event};
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::layout::Rect;

use crate::action::Action;
use crate::app::{App, Msg};
use crate::keymap;
use crate::state::Store;
use crate::ui::{self, ViewState};
use crate::work::Workers;

mod input;
pub use input::Events;
use input::{Crossterm, controlling_terminal};

/// Signals that end the reader cleanly (after saving and restoring the terminal).
const EXIT_SIGNALS: [i32; 4] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
];

/// How often the loop looks for a signal while no event comes.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// How often the loop asks whether another papers process saved marks.
const TICK_EVERY: Duration = Duration::from_secs(1);
/// The longest the screen goes undrawn while events keep coming (see `event_loop`).
const UNDRAWN_MOST: Duration = Duration::from_millis(50);

/// True when standard input and output are both terminals.
pub fn has_terminal() -> bool {
    io::stdout().is_terminal() && (io::stdin().is_terminal() || controlling_terminal().is_some())
}

/// How the loop ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Exit {
    Quit,
    Signal(i32),
}

/// How long the exit waits for the marks to be saved: longer than a save waits for another reader's lock.
const FINAL_SAVE_TIMEOUT: Duration = Duration::from_secs(10);

/// What the reader starts with.
pub struct Start {
    pub app: App,
    /// Where the marks `app` shows are kept; the disk thread takes it.
    pub store: Store,
    /// What happened to the state file while opening it, for the alert box.
    pub notices: Vec<String>,
    /// What the configuration and opening the digests warned of, for the messages pane.
    pub warnings: Vec<(crate::app::Origin, Vec<String>)>,
    /// The digests still to read, read while the reader runs: `read` bytes of them read so far, `total`
    /// in all when known.
    pub rest: Vec<crate::work::ToLoad>,
    pub read: u64,
    pub total: Option<u64>,
    /// The day to show first (`--day`).
    pub day: Option<crate::library::Day>,
    /// What `R` fetches with, when the configuration could be read.
    pub fetcher: Option<crate::fetch::Fetcher>,
    /// Fetch at once, as the configuration asks.
    pub fetch_on_start: bool,
    /// Where the full-text index is kept (none: no text search this session).
    pub index_dir: Option<std::path::PathBuf>,
}

/// Runs the reader on the real terminal until the user quits or a signal arrives. An error is the
/// terminal's, for the user.
pub fn run(start: Start) -> Result<ExitCode, String> {
    let Start { mut app, store, notices, warnings, rest, read, total, day, fetcher, fetch_on_start, index_dir } = start;
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in EXIT_SIGNALS {
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)
            .map_err(|e| format!("cannot handle signal {sig}: {e}"))?;
    }
    let stop = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGTSTP, Arc::clone(&stop))
        .map_err(|e| format!("cannot handle SIGTSTP: {e}"))?;
    install_panic_hook();
    let mut events = Crossterm::new();
    let mut workers = Workers::start(store, events.waker())
        .map_err(|e| format!("cannot start a thread: {e}"))?
        .fetching_with(fetcher);
    if let Some(dir) = index_dir {
        workers = workers.index_at(dir);
    }
    workers.dispatch(&mut app, Msg::Alert(notices));
    for (origin, warnings) in warnings.into_iter().filter(|(_, w)| !w.is_empty()) {
        workers.dispatch(&mut app, Msg::Warnings(origin, warnings));
    }
    if let Some(day) = day {
        workers.dispatch(&mut app, Action::ShowDay(day));
    }
    if fetch_on_start {
        workers.dispatch(&mut app, Action::Fetch);
    }
    // A panic in the loop is caught (the hook has restored the terminal and printed the message) so that
    // unsaved changes get their last try below; it then ends the process with the code a panic has.
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        enter()
            .and_then(|()| Terminal::new(CrosstermBackend::new(io::stdout())))
            .and_then(|terminal| events.read_keys().map(|()| terminal))
            .and_then(|terminal| workers.load(rest, read, total).map(|()| terminal))
            .map_err(|e| format!("cannot set up the terminal: {e}"))
            .and_then(|mut terminal| {
                let signals = Signals { exit: &signal, stop: &stop };
                event_loop(&mut terminal, &mut events, &mut app, &mut workers, &signals)
            })
    }));
    leave();
    // A worker thread that panicked while the reader ran: the reader said what stopped; here is why.
    for held in crate::panics::take_held() {
        say(&format!("{held}\nthis is a bug in papers, please report it with the message above"));
    }
    // A command on a paper still running ends with papers, and what it started with it.
    crate::outward::run::end_all();
    // What the loading thread warned of is told after quitting, as what opening warned of was before.
    for note in app.notes().iter().filter(|n| n.origin == crate::app::Origin::Loading) {
        let place = note.place().map(|p| format!("{p}: ")).unwrap_or_default();
        say(&format!("warning: {place}{}", note.text));
    }
    // Every way out saves what the disk thread has not saved yet, and says when it could not.
    let saved = workers.finish(FINAL_SAVE_TIMEOUT);
    if let Err(why) = &saved {
        say(&format!("changes were not saved: {why}"));
    }
    let Ok(result) = result else {
        let saved = if saved.is_ok() { "all changes are saved" } else { "some changes are NOT saved" };
        say(&format!("this is a bug in papers, please report it with the message above; {saved}"));
        return Ok(ExitCode::from(PANIC_EXIT_CODE));
    };
    // A signal that closed the terminal (SIGHUP) also makes drawing fail: the signal is the cause.
    let exit = match (result, signal.load(Ordering::Relaxed)) {
        (Ok(exit), _) => exit,
        (Err(_), sig) if sig != 0 => Exit::Signal(sig as i32),
        (Err(e), _) => return Err(format!("terminal error: {e}")),
    };
    Ok(match exit {
        // Left without some changes (the reader asked first): a script or a wrapper can tell.
        Exit::Quit if saved.is_err() => ExitCode::from(1),
        Exit::Quit => ExitCode::SUCCESS,
        Exit::Signal(sig) => ExitCode::from(128 + sig as u8),
    })
}

/// Prints a message on standard error. After a hangup there is nowhere to print, and that must not panic
/// as `eprintln!` would.
fn say(message: &str) {
    crate::sanitize::eprint(message);
}

/// The exit code of a Rust program that panicked.
const PANIC_EXIT_CODE: u8 = 101;

/// Flags set by signal handlers, read by the loop.
pub struct Signals<'a> {
    /// The number of a signal that ends the reader, or 0.
    pub exit: &'a AtomicUsize,
    /// Set by SIGTSTP from outside: suspend as Ctrl-Z does.
    pub stop: &'a AtomicBool,
}

/// Draw, wait for an event, turn it into an action, update; until quit or a signal. The workers' answers
/// are taken in as they come.
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    events: &mut impl Events,
    app: &mut App,
    workers: &mut Workers,
    signals: &Signals,
) -> Result<Exit, String> {
    let mut view = ViewState::default();
    let mut redraw = true;
    let mut last_tick = Instant::now();
    // An event read before the frame it would have waited for (see below), and when the last frame was drawn.
    let mut queued: Option<Event> = None;
    let mut drawn = Instant::now();
    loop {
        // Events that came together (keys typed ahead, a paste in a terminal without bracketed paste)
        // are all taken in before a frame is drawn, rather than a frame each, as long as the screen has
        // been drawn within `UNDRAWN_MOST`: a frame of a long query's highlights takes milliseconds.
        if redraw && queued.is_none() && drawn.elapsed() < UNDRAWN_MOST {
            match events.next(Duration::ZERO).map_err(|e| e.to_string())? {
                Some(event) => queued = Some(event),
                // Nothing waiting, or a wake from another thread: what it brought is taken in now.
                None => {
                    for msg in workers.poll() {
                        workers.dispatch(app, msg);
                    }
                }
            }
        }
        if redraw && queued.is_none() {
            terminal.draw(|frame| ui::render(app, &mut view, frame)).map_err(|e| e.to_string())?;
            (redraw, drawn) = (false, Instant::now());
            // Paging and scrolling go by the room this frame had.
            if view.viewport() != app.viewport() {
                workers.dispatch(app, Msg::Viewport(view.viewport()));
            }
        }
        if app.should_quit() {
            return Ok(if app.interrupted() { Exit::Signal(signal_hook::consts::SIGINT) } else { Exit::Quit });
        }
        let sig = signals.exit.load(Ordering::Relaxed);
        if sig != 0 {
            return Ok(Exit::Signal(sig as i32));
        }
        if signals.stop.swap(false, Ordering::Relaxed) {
            events.suspend().map_err(|e| e.to_string())?;
            repaint_all(terminal)?;
            redraw = true;
            continue;
        }
        let event = match queued.take() {
            Some(event) => Some(event),
            None => events.next(SIGNAL_POLL).map_err(|e| e.to_string())?,
        };
        redraw |= matches!(event, Some(Event::Resize(..)));
        match event.as_ref().and_then(|event| keymap::action_for(app, event, &view)) {
            Some(Action::Suspend) => {
                events.suspend().map_err(|e| e.to_string())?;
                repaint_all(terminal)?;
                redraw = true;
            }
            // What another program wrote over the screen: every cell painted again, the cursor hidden
            // again where the frame does not place it.
            Some(Action::Redraw) => {
                execute!(io::stdout(), cursor::Hide).map_err(|e| e.to_string())?;
                repaint_all(terminal)?;
                redraw = true;
            }
            Some(action) => {
                workers.dispatch(app, action);
                redraw = true;
                if let Some(note) = workers.take_note() {
                    let mut edited = Err("the editor did not run".to_string());
                    events
                        .hand_over(&mut || edited = crate::outward::edit_in_editor(&note))
                        .map_err(|e| e.to_string())?;
                    repaint_all(terminal)?;
                    workers.dispatch(app, Msg::NoteEdited(edited));
                }
            }
            None => {}
        }
        if event.is_none() && events.hung_up() {
            return Ok(Exit::Signal(signal_hook::consts::SIGHUP));
        }
        // Woken by another thread (search results, papers read, a save done), or after a key.
        for msg in workers.poll() {
            workers.dispatch(app, msg);
            redraw = true;
        }
        // Idle: show what another reader saved meanwhile. Drawing again costs nothing when nothing
        // changed: only changed cells reach the terminal.
        if event.is_none() && last_tick.elapsed() >= TICK_EVERY {
            last_tick = Instant::now();
            workers.dispatch(app, Msg::Tick);
            redraw = true;
        }
    }
}

/// True between `enter` and `leave`: leaving twice would restore the cursor position saved on entering
/// a second time and write over what was printed since (a panic message, say).
static ENTERED: AtomicBool = AtomicBool::new(false);

/// Clears the screen and makes the next draw paint every cell, after the shell had the terminal. Not
/// `Terminal::clear`: that asks the terminal where its cursor is, and the input thread would take the answer.
fn repaint_all<B: Backend>(terminal: &mut Terminal<B>) -> Result<(), String> {
    let size = terminal.size().map_err(|e| e.to_string())?;
    terminal.resize(Rect::new(0, 0, size.width, size.height)).map_err(|e| e.to_string())
}

fn enter() -> io::Result<()> {
    // crossterm drops colours itself when NO_COLOR is set, but still writes the sequence around them:
    // `ESC[;m`, a reset that undoes the reverse video and bold before it. The theme already holds no
    // colour then (`mono`), so crossterm is told to write what it is given.
    crossterm::style::Colored::set_ansi_color_disabled(false);
    ENTERED.store(true, Ordering::SeqCst);
    crate::panics::on_screen(true);
    enable_raw_mode()?;
    // Bracketed paste: a paste comes as one event of text, not as keys that would run commands.
    let entered = execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture, EnableBracketedPaste, cursor::Hide);
    if entered.is_err() {
        leave();
    }
    entered
}

/// Puts the terminal back as the shell had it. Errors are ignored: after SIGHUP there may be no terminal.
fn leave() {
    if !ENTERED.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out: Stdout = io::stdout();
    // The alternate screen is cleared before it is left: tmux carried rows of a frame drawn after the
    // window grew (in both width and height) onto the shell's screen, where they stayed after exit.
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        Clear(ClearType::All),
        cursor::MoveTo(0, 0),
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    // Only now: a worker's panic until here is held and printed after, not drawn on a screen being left.
    crate::panics::on_screen(false);
}

/// Restores the terminal before the panic message is printed (by the hook before, which logs it first
/// with `--log`), so the message is readable.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A worker's panic while the reader draws (or one caught on purpose) is told later: the
            // reader goes on, on the terminal as it is (see `panics`).
            if !crate::panics::told_later() {
                leave();
            }
            previous(info);
        }));
    });
}

/// Faults on demand, for the end-to-end tests of each exit path; only in debug builds, never in a release.
/// With `PAPERS_FAULT=panic` (or `error`), the key F12 makes the reader panic (or its terminal fail).
#[cfg(debug_assertions)]
mod fault {
    use std::io;

    use crossterm::event::{Event, KeyCode};

    pub fn on(event: Option<&Event>) -> io::Result<()> {
        let Some(Event::Key(key)) = event else { return Ok(()) };
        if key.code != KeyCode::F(12) {
            return Ok(());
        }
        match std::env::var("PAPERS_FAULT").as_deref() {
            Ok("panic") => panic!("a panic asked for with PAPERS_FAULT"),
            Ok("error") => Err(io::Error::other("an error asked for with PAPERS_FAULT")),
            _ => Ok(()),
        }
    }
}
