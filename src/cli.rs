//! The command line: `papers [FILE]...` opens the reader, `papers list` prints papers; both share loading.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::app::App;
use crate::digest::{self, Source};
use crate::library::Library;
use crate::search::{Filter, MarkSet, Query, Within};
use crate::state::{self, Store};
use std::sync::atomic::AtomicBool;

const EXAMPLES: &str = "\
Examples:
  papers                            read the built-in digest
  papers ~/digests/2024-03-14.txt   read a saved digest
  papers list --search mamba        print the papers whose titles match, best first
  papers list --starred --json      print the starred papers as JSON

Press ? in the reader for its keys.";

/// A terminal reader for research-paper digests.
///
/// Opens the digest files given (with none, the built-in Hugging Face papers digest), shows the papers in
/// a list with fuzzy search, and remembers which papers you starred and read.
#[derive(Debug, Parser)]
#[command(name = "papers", version, after_help = EXAMPLES)]
pub struct Cli {
    /// Digest files to open; with none, the built-in digest.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Keep stars and read marks in FILE instead of the data directory
    /// ($XDG_DATA_HOME/papers/state.json on Linux).
    #[arg(long, value_name = "FILE", global = true)]
    pub state: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the papers with their marks, one a line (or as JSON), ranked when searching.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Digest files to read; with none, the built-in digest.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Only starred papers.
    #[arg(long)]
    pub starred: bool,
    /// Only papers not read yet.
    #[arg(long)]
    pub unread: bool,
    /// Only papers whose title fuzzy-matches QUERY, best match first.
    #[arg(long, value_name = "QUERY")]
    pub search: Option<String>,
    /// Print a JSON array of objects (key, title, abstract, links, starred, read, date, source, line).
    #[arg(long)]
    pub json: bool,
}

/// A reason to stop, with the exit code to stop with: 2 for bad input or usage, 1 for other errors.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    pub fn input(message: impl Into<String>) -> Self {
        Failure { message: message.into(), code: 2 }
    }

    pub fn runtime(message: impl Into<String>) -> Self {
        Failure { message: message.into(), code: 1 }
    }
}

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let state_path = match cli.state {
        Some(path) => path,
        None => state::default_path()
            .ok_or_else(|| Failure::input("cannot find a home or data directory; give one with --state FILE"))?,
    };
    match cli.command {
        Some(Command::List(args)) => list(&args, &state_path),
        None => {
            let opening = open(&cli.files)?;
            if !crate::tui::has_terminal() {
                return Err(Failure::input(
                    "the reader needs a terminal on standard input and output; `papers list` prints the papers instead",
                ));
            }
            let (store, notices) = Store::open(&state_path);
            warn_all(&notices);
            let mut app = App::new(opening.library, store);
            if !notices.is_empty() {
                app.show_alert(&notices);
            }
            crate::tui::run(app, opening.rest, opening.read, opening.total)
        }
    }
}

fn sources(files: &[PathBuf]) -> Vec<Source> {
    if files.is_empty() { vec![Source::BuiltIn] } else { files.iter().cloned().map(Source::File).collect() }
}

/// Loads every digest given (the built-in one when none), printing repair warnings to standard error.
pub fn load(files: &[PathBuf]) -> Result<Library, Failure> {
    let mut library = Library::default();
    for source in &sources(files) {
        let digest = digest::load(source).map_err(|e| Failure::input(e.to_string()))?;
        warn_all(&digest.warnings);
        for chunk in digest.chunks {
            library.add_chunk(chunk);
        }
    }
    Ok(library)
}

/// Digests opened for the reader: the papers parsed so far, and the files to read on.
pub struct Opening {
    pub library: Library,
    pub rest: Vec<digest::Opened>,
    /// Bytes read so far, and the size of all the files when known.
    pub read: u64,
    pub total: Option<u64>,
}

/// Opens every digest given and parses the start of each (all of a small one), so that what is not a
/// digest is refused before the reader starts; the rest is read while it runs.
pub fn open(files: &[PathBuf]) -> Result<Opening, Failure> {
    let mut opening = Opening { library: Library::default(), rest: Vec::new(), read: 0, total: Some(0) };
    for source in &sources(files) {
        let mut opened = digest::open(source).map_err(|e| Failure::input(e.to_string()))?;
        warn_all(&opened.warnings);
        opening.read += opened.bytes_read();
        opening.total = opening.total.zip(opened.size).map(|(a, b)| a + b);
        // Papers keep the order of the files: once one is still being read, the papers of those after
        // it wait for it (they go to the loading thread with their file).
        if opening.rest.is_empty() {
            for chunk in std::mem::take(&mut opened.chunks) {
                opening.library.add_chunk(chunk);
            }
        }
        if !opened.is_done() || !opened.chunks.is_empty() {
            opening.rest.push(opened);
        }
    }
    Ok(opening)
}

fn warn_all(messages: &[String]) {
    let mut err = std::io::stderr().lock();
    for message in messages {
        // Not eprintln!: a closed standard error is no reason to panic.
        let _ = writeln!(err, "papers: warning: {message}");
    }
}

#[derive(Serialize)]
struct ListedPaper<'a> {
    key: String,
    title: &'a str,
    #[serde(rename = "abstract")]
    abstract_text: &'a str,
    links: Vec<String>,
    starred: bool,
    read: bool,
    date: Option<&'a str>,
    source: &'a str,
    line: usize,
}

fn list(args: &ListArgs, state_path: &std::path::Path) -> Result<ExitCode, Failure> {
    let library = load(&args.files)?;
    let (store, notices) = Store::open(state_path);
    warn_all(&notices);
    let filter = match (args.starred, args.unread) {
        (false, false) => Filter::All,
        (true, false) => Filter::Starred,
        (false, true) => Filter::Unread,
        (true, true) => Filter::Starred,
    };
    let marks = MarkSet::from_store(&store);
    let query = Query::new(args.search.as_deref().unwrap_or(""));
    let never = AtomicBool::new(false);
    let ranked = query.rank(library.titles(), &Within::From(0), filter, &marks, &never).unwrap_or_default().order;
    // Both --starred and --unread: the starred ones not read yet.
    let ranked: Vec<usize> = ranked
        .into_iter()
        .map(|i| i as usize)
        .filter(|&i| !(args.starred && args.unread && store.is_read(&library.get(i).key())))
        .collect();

    let mut out = std::io::stdout().lock();
    let written = if args.json {
        let listed: Vec<ListedPaper> = ranked
            .iter()
            .map(|&i| {
                let p = library.get(i);
                let key = p.key();
                ListedPaper {
                    starred: store.is_starred(&key),
                    read: store.is_read(&key),
                    key: key.as_str().to_string(),
                    title: p.title(),
                    abstract_text: p.abstract_text(),
                    links: p.links(),
                    date: p.date(),
                    source: p.source(),
                    line: p.line(),
                }
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &listed).map_err(std::io::Error::from).and_then(|()| writeln!(out))
    } else {
        let marks_known = store.all_marks().next().is_some();
        ranked.iter().try_for_each(|&i| {
            let p = library.get(i);
            let (starred, read) = if marks_known { marks.get(p.key_hash(), p.title()) } else { (false, false) };
            let read = if read { ' ' } else { '●' };
            let star = if starred { '★' } else { ' ' };
            writeln!(out, "{read} {star} {}", p.title())
        })
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // The reader of a pipe (`papers list | head`) went away: that is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Failure::runtime(format!("cannot write the list: {e}"))),
    }
}
