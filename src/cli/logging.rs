//! `--log FILE`: the debug log, a line per event (files loaded, requests, saves, errors) appended to FILE.
//!
//! The code says what happens through the `log` crate's macros, which cost nothing when no log is asked
//! for; this is the one sink. What papers logs names files, URLs, sizes and times, never what a paper says
//! (titles, abstracts): a log is something people attach to a bug report.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use log::{Level, LevelFilter, Log, Metadata, Record};

use super::Failure;
use crate::digest::{DigestError, Source};
use crate::sanitize::{quote_path, sanitize, shortened};

/// Appends each record to the file, a line each.
struct FileLog {
    file: Mutex<File>,
}

impl Log for FileLog {
    fn enabled(&self, metadata: &Metadata) -> bool {
        // Papers' own events in full; the libraries' (tantivy's segment merges, say) only when something
        // went wrong.
        let ours = metadata.target().starts_with("papers");
        metadata.level() <= if ours { Level::Debug } else { Level::Warn }
    }

    fn log(&self, record: &Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let now = jiff::Timestamp::now();
        let text = sanitize(&shortened(&record.args().to_string())).replace('\n', " ");
        let line = format!("{now:.3} {:<5} {}: {text}\n", record.level(), record.target());
        let mut file = self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // One write per line, so that two papers logging to one file do not cut into each other's lines.
        let _ = file.write_all(line.as_bytes());
    }

    fn flush(&self) {
        let mut file = self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = file.flush();
    }
}

/// Refuses a log at `path` that is a file papers keeps or reads: the stars and read marks (`state` and
/// the files beside it), the configuration, a digest named (or a file in a folder named). Each line
/// appended there would have made it another file: a state file no longer JSON, a digest with a paper
/// more, a configuration that does not parse.
pub fn refuse_ours(path: &Path, state: Option<&Path>, config: Option<&Path>, files: &[PathBuf]) -> Result<(), Failure> {
    let shown = quote_path(path);
    let same = |other: &Path| crate::files::same_file(path, other);
    if let Some(state) = state.filter(|s| crate::state::own_files(s).iter().any(|own| same(own))) {
        return Err(Failure::input(format!(
            "--log {shown} is where papers keeps your stars and read marks ({}); give another file",
            quote_path(state)
        )));
    }
    if let Some(config) = config.filter(|c| same(c)) {
        return Err(Failure::input(format!(
            "--log {shown} is the configuration file ({}); give another file",
            quote_path(config)
        )));
    }
    let folder = path.parent().map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p });
    let named = |f: &PathBuf| same(f) || (f.is_dir() && folder.is_some_and(|dir| crate::files::same_file(dir, f)));
    if let Some(digest) = files.iter().find(|f| named(f)) {
        return Err(Failure::input(format!(
            "--log {shown} would be read as a digest ({} is opened); give a file elsewhere",
            quote_path(digest)
        )));
    }
    Ok(())
}

/// Starts logging to `path`: appended to, made readable by its owner alone when new (it names the files
/// and sources of the user).
pub fn start(path: &Path) -> Result<(), Failure> {
    let mut options = OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let shown = quote_path(path);
    let file = crate::files::open_regular(path, &mut options)
        .map_err(|e| Failure::input(format!("--log {shown}: cannot write it: {e}")))?;
    let sink = FileLog { file: Mutex::new(file) };
    log::set_boxed_logger(Box::new(sink))
        .map_err(|e| Failure::runtime(format!("--log {shown}: cannot start the log: {e}")))?;
    log::set_max_level(LevelFilter::Debug);
    log_panics();
    let args: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    log::info!(target: "papers", "papers {} started: {} argument(s), pid {}", env!("CARGO_PKG_VERSION"), args.len(), std::process::id());
    Ok(())
}

/// Writes a panic's message and place to the log, then lets the hook before it (Rust's own, which
/// prints it) run. The reader's hook, which gives the terminal back first, is set after this one and
/// calls it.
fn log_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        log::error!(target: "papers", "{info}");
        log::logger().flush();
        previous(info);
    }));
}

/// A digest read (or opened, its start read) in the log: which, in how long, or why not.
pub(super) fn read<T>(source: &Source, read: &Result<T, DigestError>, started: std::time::Instant) {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    match read {
        Ok(_) => log::debug!("read {} in {ms:.1} ms", source.name()),
        Err(e) => log::warn!("read {} in {ms:.1} ms: failed: {e}", source.name()),
    }
}
