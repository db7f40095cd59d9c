//! The commands that bring papers in: `papers fetch` (the day's papers from each source, kept in the
//! library) and `papers sources` (what the configuration fetches).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::Failure;
use crate::config::{self, Config};
use crate::fetch::{self, Event, Fetcher, Got};
use crate::library::Day;
use crate::sanitize::quote_path;

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Only these sources (as `papers sources` names them); with none, every configured source.
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// The day to fetch Hugging Face's papers of (YYYY-MM-DD); today when not given.
    #[arg(long, value_name = "DATE", conflicts_with = "days")]
    pub date: Option<String>,
    /// The last N days of Hugging Face's papers, today included.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=366))]
    pub days: Option<u16>,
    /// Write a configuration file with every setting, commented, and stop (never over an existing one).
    #[arg(long, conflicts_with_all = ["sources", "date", "days"])]
    pub init: bool,
}

/// The configuration file: `--config`, else the user's configuration directory.
pub fn config_path(given: Option<&Path>) -> Result<PathBuf, Failure> {
    match given {
        Some(path) => Ok(path.to_path_buf()),
        None => config::default_path().ok_or_else(|| {
            Failure::input("cannot find a home or configuration directory; give one with --config FILE")
        }),
    }
}

/// The configuration, or exit 2 naming the line and column of what is wrong.
pub fn load_config(path: &Path) -> Result<Config, Failure> {
    config::load(path)
        .map_err(|e| Failure::input(format!("{e}; fix it, or see `papers fetch --init` for every setting")))
}

/// The library the fetched days are kept in, and read from when no digest is named.
pub fn library_dir() -> Option<PathBuf> {
    fetch::store::default_dir()
}

/// The fetcher for the configuration at `path`, and the configuration; `HF_ENDPOINT` in the environment
/// wins for Hugging Face.
pub fn fetcher(path: &Path) -> Result<(Fetcher, Config), Failure> {
    let config = load_config(path)?;
    let library =
        library_dir().ok_or_else(|| Failure::input("cannot find a home or data directory to keep papers in"))?;
    Ok((Fetcher::new(&config, std::env::var("HF_ENDPOINT").ok().as_deref(), library), config))
}

/// A day given on the command line with `flag`, as YYYY-MM-DD.
pub fn parse_day(flag: &str, text: &str) -> Result<Day, Failure> {
    Day::parse_iso(text).filter(|_| text.trim().len() == 10).ok_or_else(|| {
        // Written as a day is, but not one of the calendar (`2024-02-30`): said so, not asked again for the form.
        let shaped =
            text.trim().bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
        if shaped && text.trim().len() == 10 {
            Failure::input(format!("{flag} {text}: no such day in the calendar"))
        } else {
            Failure::input(format!("{flag} {text}: give a day as YYYY-MM-DD"))
        }
    })
}

/// `papers sources`: every source the configuration names, one a line.
pub fn sources(config: &Path) -> Result<ExitCode, Failure> {
    let (fetcher, _) = fetcher(config)?;
    super::output::to_stdout(|out| {
        if fetcher.sources().is_empty() {
            writeln!(out, "No sources: {} turns every one off.", crate::sanitize::quote_path(config))?;
        }
        for source in fetcher.sources() {
            writeln!(out, "{:<24} {}", source.name(), crate::sanitize::sanitize(&source.describe()))?;
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `papers fetch`: fetches, keeps what is good, and says per source what came; exit 1 when a source failed.
pub fn run(args: &FetchArgs, config: &Path) -> Result<ExitCode, Failure> {
    if args.init {
        return init(config);
    }
    let (fetcher, _) = fetcher(config)?;
    let sources = fetcher.select(&args.sources).map_err(Failure::input)?;
    let days = days(args)?;
    let mut progress = Progress::new(std::io::stderr().is_terminal());
    let (outcomes, signal) = fetch_until_signal(&fetcher, sources, days, &mut progress)?;
    progress.finish();
    let mut out = std::io::stdout().lock();
    let (mut new, mut kept, mut unchanged, mut failed) = (0, 0, 0, 0);
    for outcome in &outcomes {
        let _ = writeln!(out, "{}", crate::sanitize::sanitize(&fetch::describe(outcome)));
        match &outcome.result {
            Ok(Got::Kept { new: n, .. }) => {
                new += n;
                kept += 1;
            }
            Ok(Got::NotModified) => unchanged += 1,
            Ok(Got::NoPapers) => {}
            Err(_) => failed += 1,
        }
    }
    let _ = writeln!(
        out,
        "{new} new papers in {kept} day{} kept; {unchanged} not modified; {failed} failed. Library: {}",
        if kept == 1 { "" } else { "s" },
        quote_path(fetcher.library())
    );
    if let Some(signal) = signal {
        // What the fetch thread was writing is left unfinished: not left in the library.
        fetch::store::remove_leftovers(fetcher.library(), true);
        let said = if outcomes.is_empty() {
            "Stopped before any answer came: nothing was fetched."
        } else {
            "Stopped: what is said above is kept; the rest was not fetched."
        };
        let _ = writeln!(out, "{said}");
        return Ok(ExitCode::from(128 + signal as u8));
    }
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Signals that stop a fetch with what came so far said, rather than leave it unsaid and a progress line
/// behind.
const STOP_SIGNALS: [i32; 3] = [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP];

/// Runs `fetcher` on a thread of its own while this one shows its progress and looks for a signal
/// (Ctrl-C) every 100 ms: a request in flight can take the whole timeout, and the user who stops it
/// should not wait that long. The outcomes so far, and the signal that stopped it if one did. Each
/// day is kept whole or not at all (`store::write_atomic`), so ending mid-fetch loses nothing kept.
fn fetch_until_signal(
    fetcher: &Fetcher,
    sources: Vec<config::Source>,
    days: Vec<Day>,
    progress: &mut Progress,
) -> Result<(Vec<fetch::Outcome>, Option<i32>), Failure> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, mpsc};
    let signal = Arc::new(AtomicUsize::new(0));
    let mut handlers = Vec::new();
    for sig in STOP_SIGNALS {
        let id = signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)
            .map_err(|e| Failure::runtime(format!("cannot handle signal {sig}: {e}")))?;
        handlers.push(id);
    }
    let (send, events) = mpsc::channel();
    let fetcher = fetcher.clone();
    let worker = std::thread::Builder::new()
        .name("fetch".into())
        .spawn(move || {
            fetcher.fetch(&sources, &days, &mut |event| {
                let _ = send.send(event);
            })
        })
        .map_err(|e| Failure::runtime(format!("cannot start a thread to fetch: {e}")))?;
    let mut done = Vec::new();
    let stopped = loop {
        if let sig @ 1.. = signal.load(Ordering::Relaxed) {
            break Some(sig as i32);
        }
        match events.recv_timeout(std::time::Duration::from_millis(100)) {
            Ok(event) => {
                progress.event(&event);
                if let Event::Done(outcome) = event {
                    done.push(outcome);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break None,
        }
    };
    for id in handlers {
        signal_hook::low_level::unregister(id);
    }
    if stopped.is_some() {
        // The fetch thread is left to end with the process: what it kept is whole.
        return Ok((done, stopped));
    }
    // In the fetcher's order (by source), which the events' order is not.
    let outcomes = worker.join().map_err(|_| Failure::runtime("the fetch ended unexpectedly"))?;
    Ok((outcomes, None))
}

/// The days to fetch Hugging Face's papers of: `--date`, the last `--days`, or today.
fn days(args: &FetchArgs) -> Result<Vec<Day>, Failure> {
    if let Some(date) = &args.date {
        return Ok(vec![parse_day("--date", date)?]);
    }
    let today = Day::today();
    Ok((0..u32::from(args.days.unwrap_or(1))).filter_map(|back| today.days_before(back)).collect())
}

/// `papers fetch --init`: writes the commented configuration, never over one that exists.
fn init(path: &Path) -> Result<ExitCode, Failure> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Failure::runtime(format!("cannot make {}: {e}", quote_path(dir))))?;
    }
    let written = std::fs::OpenOptions::new().write(true).create_new(true).open(path).and_then(|mut file| {
        file.write_all(config::TEMPLATE.as_bytes())?;
        file.sync_all()
    });
    match written {
        Ok(()) => {
            let _ = writeln!(std::io::stdout(), "Wrote {}: every setting is in it, commented.", quote_path(path));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Failure::input(format!(
            "{} exists already; edit it, or remove it and run --init again",
            quote_path(path)
        ))),
        Err(e) => Err(Failure::runtime(format!("cannot write {}: {e}", quote_path(path)))),
    }
}

/// Standard error as the progress is drawn on it, written at each flush. indicatif pads each line with
/// spaces to the terminal's width, so that the next line starts on a row of its own; after the last
/// line, that leaves the cursor past the last column, where the terminal's own echo of a typed Ctrl-C
/// (`^C`) wrapped onto a row of its own, and clearing the progress then cleared that row and left the
/// progress above it. The last `ECHO_ROOM` spaces of what is flushed are left out: the cursor stays on
/// the progress's last row, as indicatif counts it, and `^C` fits beside it.
#[derive(Debug, Default)]
struct Stderr(std::sync::Mutex<Vec<u8>>);

/// The spaces left out at the end of the progress's last line, for the terminal's `^C`.
const ECHO_ROOM: usize = 2;

impl Stderr {
    fn put(&self, text: std::fmt::Arguments) -> std::io::Result<()> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).write_fmt(text)
    }
}

impl indicatif::TermLike for Stderr {
    fn width(&self) -> u16 {
        crossterm::terminal::size().map_or(80, |(width, _)| width)
    }

    fn height(&self) -> u16 {
        crossterm::terminal::size().map_or(24, |(_, height)| height)
    }

    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        if n == 0 { Ok(()) } else { self.put(format_args!("\x1b[{n}A")) }
    }

    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        if n == 0 { Ok(()) } else { self.put(format_args!("\x1b[{n}B")) }
    }

    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        if n == 0 { Ok(()) } else { self.put(format_args!("\x1b[{n}C")) }
    }

    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        if n == 0 { Ok(()) } else { self.put(format_args!("\x1b[{n}D")) }
    }

    fn write_line(&self, line: &str) -> std::io::Result<()> {
        self.put(format_args!("{line}\n"))
    }

    fn write_str(&self, text: &str) -> std::io::Result<()> {
        self.put(format_args!("{text}"))
    }

    fn clear_line(&self) -> std::io::Result<()> {
        self.put(format_args!("\r\x1b[2K"))
    }

    fn flush(&self) -> std::io::Result<()> {
        let mut pending = std::mem::take(&mut *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        let spaces = pending.iter().rev().take(ECHO_ROOM).take_while(|&&b| b == b' ').count();
        pending.truncate(pending.len() - spaces);
        let mut stderr = std::io::stderr().lock();
        stderr.write_all(&pending)?;
        stderr.flush()
    }
}

/// What a fetch shows while it runs: a line per source on a terminal, kept up to date; nothing elsewhere
/// (the outcomes are printed when it ends).
struct Progress {
    /// The bars, drawn together; none when standard error is not a terminal.
    multi: Option<indicatif::MultiProgress>,
    /// A bar per source, by name.
    bars: Vec<(String, indicatif::ProgressBar)>,
}

impl Progress {
    fn new(terminal: bool) -> Self {
        let target = || indicatif::ProgressDrawTarget::term_like_with_hz(Box::new(Stderr::default()), 20);
        let multi = terminal.then(|| indicatif::MultiProgress::with_draw_target(target()));
        Progress { multi, bars: Vec::new() }
    }

    fn event(&mut self, event: &Event) {
        let Some(multi) = &self.multi else {
            // Without a terminal, a wait is said on a line of its own: a minute of silence looks hung.
            if let Event::Waiting { source, why, pause } = event {
                crate::sanitize::eprint(&format!("{source}: {why}; trying again in {} s", pause.as_secs_f64().ceil()));
            }
            return;
        };
        let (source, line, done) = match event {
            Event::Asking { source, what } => (source, format!("{source}: asking for {what}…"), false),
            Event::Waiting { source, why, pause } => {
                let line = format!("{source}: {why}; trying again in {} s (Ctrl-C stops)…", pause.as_secs_f64().ceil());
                (source, line, false)
            }
            Event::Done(outcome) => (&outcome.source, fetch::describe(outcome), true),
        };
        let line = crate::sanitize::sanitize(&line);
        let bar = match self.bars.iter().find(|(name, _)| name == source) {
            Some((_, bar)) => bar.clone(),
            None => {
                let bar = multi.add(indicatif::ProgressBar::new_spinner());
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                self.bars.push((source.clone(), bar.clone()));
                bar
            }
        };
        bar.set_message(line);
        if done {
            bar.tick();
        }
    }

    fn finish(&self) {
        for (_, bar) in &self.bars {
            bar.finish_and_clear();
        }
        if let Some(multi) = &self.multi {
            let _ = multi.clear();
        }
    }
}
