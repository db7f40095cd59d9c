//! `papers doctor`: checks the setup (configuration, state file, lock, sources, opener, terminal), a line each.

use std::fmt;
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

mod tools;

use super::Failure;
use crate::config::{self, Config, Source};
use crate::fetch::http::Client;
use crate::files;
use crate::sanitize::{quote_path, sanitize};
use crate::state::{self, Judged};

/// The longest a source is given to answer: the doctor says whether it is there, not how slow it is.
const REACH_TIMEOUT: f64 = 3.0;

/// The longest the lock is waited for: a save holds it for milliseconds.
const LOCK_TIMEOUT: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// Works, with something the user may want to know (offline, no browser, not a terminal).
    Warn,
    /// Stops papers from doing its work: saving marks, reading the configuration.
    Fail,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, so that the width asked for in a line's format lines the checks up.
        f.pad(match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "FAIL",
        })
    }
}

/// One check's outcome: what was checked and found, and on a failure or warning what to do.
#[derive(Debug, Clone)]
pub struct Check {
    pub status: Status,
    pub name: String,
    pub found: String,
    pub todo: Option<String>,
}

impl Check {
    fn new(status: Status, name: &str, found: impl Into<String>) -> Self {
        Check { status, name: name.to_string(), found: found.into(), todo: None }
    }

    fn todo(mut self, todo: impl Into<String>) -> Self {
        self.todo = Some(todo.into());
        self
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<4}  {:<10} {}", self.status, self.name, self.found)?;
        match &self.todo {
            Some(todo) => write!(f, "\n{:<16} → {todo}", ""),
            None => Ok(()),
        }
    }
}

/// Runs every check, printing each line as it is known; exit 1 when one failed.
pub fn run(config_path: &Path, state_path: &Path) -> Result<ExitCode, Failure> {
    let mut out = io::stdout().lock();
    let mut failed = false;
    // The first write that failed: said at the end, the checks all made.
    let mut unwritten = None;
    let mut show = |checks: Vec<Check>| {
        for check in checks {
            failed |= check.status == Status::Fail;
            // A line at a time: what is made safe to print is made one line.
            for line in check.to_string().lines() {
                if let Err(e) = writeln!(out, "{}", sanitize(&crate::sanitize::shortened(line))) {
                    unwritten.get_or_insert(e);
                }
            }
        }
        if let Err(e) = out.flush() {
            unwritten.get_or_insert(e);
        }
    };
    let (check, config) = configuration(config_path);
    show(vec![check]);
    show(state_file(state_path));
    show(match &config {
        Some(config) => sources(config, std::env::var("HF_ENDPOINT").ok().as_deref()),
        None => vec![Check::new(Status::Warn, "sources", "not checked: the configuration does not parse")],
    });
    if let Some(config) = &config {
        show(tools::checks(config));
    }
    show(vec![opener(), terminal()]);
    super::output::written(unwritten.map_or(Ok(()), Err))?;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The configuration file parses (as `papers config` reads it), and what in it cannot be used.
pub fn configuration(path: &Path) -> (Check, Option<Config>) {
    let shown = quote_path(path);
    const NAME: &str = "config";
    match fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let found = format!("{shown}: no file, the defaults are used (Hugging Face daily papers)");
            return (Check::new(Status::Ok, NAME, found), Some(Config::default()));
        }
        // Not read: a FIFO there would hold the doctor up.
        Ok(meta) if !meta.is_file() => {
            let why = files::not_regular(meta.file_type());
            let check = Check::new(Status::Fail, NAME, format!("{shown}: {why}"))
                .todo("move it away, or give a configuration file with --config FILE");
            return (check, None);
        }
        _ => {}
    }
    match config::load(path) {
        Ok(config) => {
            let (_, _, warnings) = super::settings::looks(&config, path);
            let sources = config.sources(None).len();
            let found = format!("{shown} parses: {sources} source{}", if sources == 1 { "" } else { "s" });
            let check = match warnings.first() {
                None => Check::new(Status::Ok, NAME, found),
                Some(first) => {
                    let more = match warnings.len() - 1 {
                        0 => String::new(),
                        n => format!(" (and {n} more)"),
                    };
                    Check::new(Status::Warn, NAME, format!("{found}; {first}{more}"))
                        .todo("fix it; `papers config` names every setting it cannot use, and prints those in effect")
                }
            };
            (check, Some(config))
        }
        Err(e) => {
            let check = Check::new(Status::Fail, NAME, e.to_string())
                .todo("fix it; `papers fetch --init` writes a file with every setting, commented, to compare with");
            (check, None)
        }
    }
}

/// The state file's directory, the file itself and its lock; of the file a symlink names, as the reader
/// saves there and locks beside it.
pub fn state_file(path: &Path) -> Vec<Check> {
    let path = &crate::files::resolved(path);
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (directory, dir_ready) = state_directory(&dir);
    let file = state_contents(path);
    let lock = match dir_ready {
        // Not tried beside a state file that cannot be used (a device, a FIFO): its lock would be made
        // beside it, `/dev/null.lock`.
        Some(true) if fs::metadata(path).is_ok_and(|meta| !meta.is_file()) => {
            Check::new(Status::Warn, "lock", "not tried: the state file cannot be used")
        }
        Some(true) => match state::try_lock(path, LOCK_TIMEOUT) {
            Ok(lock) => Check::new(Status::Ok, "lock", format!("{}: taken and let go", quote_path(&lock))),
            Err(why) => Check::new(Status::Fail, "lock", why).todo(
                "close a papers that holds it; anything but a regular file in its place (a directory, a FIFO) must be removed",
            ),
        },
        Some(false) => Check::new(Status::Ok, "lock", "not tried: the first save makes the directory, and the lock"),
        None => Check::new(Status::Warn, "lock", "not tried: the directory cannot hold the state file"),
    };
    vec![directory, file, lock]
}

/// Whether `dir` can hold the state file: a writable directory (`Some(true)`), one that does not exist
/// yet but can be made (`Some(false)`), or neither (`None`, a failed check).
fn state_directory(dir: &Path) -> (Check, Option<bool>) {
    const NAME: &str = "directory";
    let shown = quote_path(dir);
    let elsewhere = "or give a state file elsewhere with --state FILE";
    // The nearest part of the path that exists: the directory itself, or where it would be made.
    let mut existing = dir.to_path_buf();
    while fs::symlink_metadata(&existing).is_err() {
        match existing.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => existing = parent.to_path_buf(),
            _ => {
                existing = PathBuf::from(".");
                break;
            }
        }
    }
    let made_later = existing != dir;
    if !existing.is_dir() {
        let what = if made_later {
            format!("{shown} cannot be made: {} is not a directory", quote_path(&existing))
        } else {
            format!("{shown} is not a directory")
        };
        let todo = format!("move {} away, {elsewhere}", quote_path(&existing));
        return (Check::new(Status::Fail, NAME, what).todo(todo), None);
    }
    if let Err(e) = writable(&existing) {
        let what = format!("cannot write in {}: {e}", quote_path(&existing));
        // Permissions can be changed; a file system that takes no files (`/proc`) cannot.
        let todo = match e.kind() {
            io::ErrorKind::PermissionDenied => {
                format!("make it writable (chmod u+w {}), {elsewhere}", quote_path(&existing))
            }
            _ => "give a state file elsewhere with --state FILE".to_string(),
        };
        return (Check::new(Status::Fail, NAME, what).todo(todo), None);
    }
    if made_later {
        let found = format!("{shown}: not there yet; the first save makes it (in {}, writable)", quote_path(&existing));
        (Check::new(Status::Ok, NAME, found), Some(false))
    } else {
        (Check::new(Status::Ok, NAME, format!("{shown}: a writable directory")), Some(true))
    }
}

/// Whether a file can be made in `dir`: one is made, and removed.
fn writable(dir: &Path) -> io::Result<()> {
    let probe = dir.join(format!(".papers-doctor-{}", std::process::id()));
    fs::OpenOptions::new().write(true).create_new(true).open(&probe)?;
    fs::remove_file(&probe)
}

/// The state file: a regular file (or none yet) that parses, of a version this papers writes, writable.
fn state_contents(path: &Path) -> Check {
    const NAME: &str = "state";
    let shown = quote_path(path);
    let elsewhere = "move it away, or give another file with --state FILE";
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Check::new(Status::Ok, NAME, format!("{shown}: no file yet (no marks); the first mark makes it"));
        }
        Err(e) => return Check::new(Status::Fail, NAME, format!("cannot look at {shown}: {e}")).todo(elsewhere),
    };
    if !meta.is_file() {
        let why = files::not_regular(meta.file_type());
        let what = format!("{shown}: {why}; marks would not be saved");
        return Check::new(Status::Fail, NAME, what).todo(elsewhere);
    }
    let marks = match state::read_state(path) {
        Judged::Good(marks) => marks.len(),
        Judged::Missing => 0,
        Judged::Newer(version, papers) => {
            // Its marks are read as far as this one reads them; when it reads none, that is said.
            let read = if papers.is_some() { "read" } else { "its marks not read by this one" };
            let what = format!(
                "{shown}: written by a newer papers (format {version}; this one writes {}): {read}, never written",
                state::VERSION
            );
            return Check::new(Status::Warn, NAME, what)
                .todo("use that newer papers, or give another file with --state");
        }
        Judged::Damaged(why) => {
            let name = path.file_name().map_or("state.json".into(), |n| n.to_string_lossy().into_owned());
            // What the reader starts from: the backup, when it has marks, as it reads it.
            let from = match state::read_state(&state::backup_of(path)) {
                Judged::Good(marks) if !marks.is_empty() => "starts from the backup's marks",
                _ => "starts with no marks (there is no usable backup)",
            };
            let todo = format!(
                "the reader moves it aside (to {}) and {from}; or import a good copy with `papers state import`",
                crate::sanitize::message(&format!("{name}.damaged-<time>"))
            );
            return Check::new(Status::Fail, NAME, format!("{shown} does not parse: {why}")).todo(todo);
        }
        Judged::Unreadable(e) => {
            let todo = format!("make it readable (chmod u+rw {shown}), or give another file with --state");
            return Check::new(Status::Fail, NAME, format!("cannot read {shown}: {e}")).todo(todo);
        }
    };
    if let Err(e) = files::open_regular(path, fs::OpenOptions::new().write(true)) {
        let what = format!("{shown} can be read but not written: {e}");
        return Check::new(Status::Fail, NAME, what).todo(format!("make it writable (chmod u+w {shown})"));
    }
    let found =
        format!("{shown}: format {}, marks for {marks} paper{}", state::VERSION, if marks == 1 { "" } else { "s" });
    Check::new(Status::Ok, NAME, found)
}

/// Where each source's requests go: whether something answers there, asked at once, each with a short timeout.
pub fn sources(config: &Config, hf_endpoint: Option<&str>) -> Vec<Check> {
    let mut settings = config.fetch.clone();
    settings.timeout = settings.timeout.min(REACH_TIMEOUT);
    let client = Client::new(&settings);
    let sources = config.sources(hf_endpoint);
    if sources.is_empty() {
        return vec![Check::new(Status::Ok, "sources", "none configured: `papers fetch` has nothing to fetch")];
    }
    let mut checks: Vec<Option<Check>> = vec![None; sources.len()];
    std::thread::scope(|scope| {
        let asked: Vec<_> = sources
            .iter()
            .map(|source| {
                let client = client.clone();
                let job = move || reach(&client, source);
                std::thread::Builder::new().name("doctor".into()).spawn_scoped(scope, job)
            })
            .collect();
        for (slot, (started, source)) in checks.iter_mut().zip(asked.into_iter().zip(&sources)) {
            *slot = Some(match started {
                Ok(handle) => handle.join().unwrap_or_else(|_| {
                    Check::new(Status::Warn, "source", format!("{}: the check stopped", source.name()))
                }),
                Err(e) => Check::new(Status::Warn, "source", format!("{}: not checked: {e}", source.name())),
            });
        }
    });
    checks.into_iter().flatten().collect()
}

/// The URL a source's requests start with.
fn endpoint_of(source: &Source) -> String {
    match source {
        Source::HuggingFace { endpoint } => format!("{endpoint}/api/daily_papers"),
        Source::Listing { category, endpoint } => format!("{endpoint}/{category}"),
        Source::Search { endpoint, .. } => endpoint.clone(),
    }
}

fn reach(client: &Client, source: &Source) -> Check {
    let url = endpoint_of(source);
    let started = Instant::now();
    let offline = "fetching it fails until it can be reached; what was fetched before reads offline";
    match client.reach(&url) {
        Ok((code, status)) => {
            let took = started.elapsed().as_millis();
            let found = format!("{}: {url} answered {status} in {took} ms", source.name());
            if code < 400 {
                Check::new(Status::Ok, "source", found)
            } else {
                Check::new(Status::Warn, "source", found).todo("check the endpoint in the configuration")
            }
        }
        Err(why) => Check::new(Status::Warn, "source", format!("{}: {why}", source.name())).todo(offline),
    }
}

/// The program that opens links (`o`, `1`…`9`): found on `PATH`, or where `PAPERS_OPENER` names it.
pub fn opener() -> Check {
    let program = crate::outward::opener();
    let given = std::env::var_os("PAPERS_OPENER").is_some_and(|v| !v.to_string_lossy().trim().is_empty());
    let from = if given { " (PAPERS_OPENER)" } else { "" };
    match find_program(&program) {
        Some(path) => Check::new(Status::Ok, "opener", format!("{program}{from} opens links: {}", quote_path(&path))),
        None => Check::new(Status::Warn, "opener", format!("{program}{from} is not found: links cannot be opened"))
            .todo("install it (xdg-utils on Linux), or set PAPERS_OPENER to a program that opens URLs"),
    }
}

/// Where `program` is: itself when it names a path, else the first executable of that name on `PATH`.
fn find_program(program: &str) -> Option<PathBuf> {
    let executable = |path: &Path| {
        let Ok(meta) = fs::metadata(path) else { return false };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            meta.is_file() && meta.permissions().mode() & 0o111 != 0
        }
        #[cfg(not(unix))]
        {
            meta.is_file()
        }
    };
    if program.contains(std::path::MAIN_SEPARATOR) || program.contains('/') {
        let path = PathBuf::from(program);
        return executable(&path).then_some(path);
    }
    let dirs = std::env::var_os("PATH")?;
    let suffixes: &[&str] = if cfg!(windows) { &["", ".exe", ".cmd", ".bat"] } else { &[""] };
    std::env::split_paths(&dirs)
        .flat_map(|dir| suffixes.iter().map(move |suffix| dir.join(format!("{program}{suffix}"))))
        .find(|path| executable(path))
}

/// What the reader will draw on: a terminal or not, its size, `TERM`, colours (`NO_COLOR`, `COLORTERM`).
pub fn terminal() -> Check {
    let (input, output) = (io::stdin().is_terminal(), io::stdout().is_terminal());
    let term = std::env::var("TERM").ok().filter(|t| !t.is_empty());
    let colours = if super::settings::no_color() {
        "NO_COLOR set: no colour".to_string()
    } else {
        match crossterm::style::available_color_count() {
            u16::MAX => "24-bit colour".to_string(),
            n => format!("{n} colours"),
        }
    };
    let size = if output {
        crossterm::terminal::size().map(|(w, h)| format!("{w}x{h}, ")).unwrap_or_default()
    } else {
        String::new()
    };
    let term_shown = term.as_deref().map_or_else(|| "TERM not set".to_string(), |t| format!("TERM={t}"));
    let found = format!("{size}{term_shown}, {colours}");
    if !(input && output) {
        let which = if output { "standard input is" } else { "standard output is" };
        let what = format!("{which} not a terminal ({found})");
        return Check::new(Status::Warn, "terminal", what)
            .todo("the reader needs a terminal; `papers list` and `papers export` do not");
    }
    match term.as_deref() {
        None | Some("dumb") => Check::new(Status::Warn, "terminal", found)
            .todo("set TERM to your terminal's type (xterm-256color for most)"),
        Some(_) => Check::new(Status::Ok, "terminal", found),
    }
}

#[cfg(test)]
mod tests;
