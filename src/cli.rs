//! The command line: `papers [FILE]...` opens the reader, `papers list` prints papers; both share loading.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::app::App;
use crate::digest::{self, Source};
use crate::library::Library;
use crate::search::Query;
use crate::state::{self, Store};

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
#[command(name = "papers", version, args_conflicts_with_subcommands = true, after_help = EXAMPLES)]
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
            let library = load(&cli.files)?;
            if !crate::tui::has_terminal() {
                return Err(Failure::input(
                    "the reader needs a terminal on standard input and output; `papers list` prints the papers instead",
                ));
            }
            let (store, notices) = Store::open(&state_path);
            warn_all(&notices);
            let mut app = App::new(library, store);
            if !notices.is_empty() {
                app.show_alert(&notices);
            }
            crate::tui::run(app)
        }
    }
}

/// Loads every digest given (the built-in one when none), printing repair warnings to standard error.
pub fn load(files: &[PathBuf]) -> Result<Library, Failure> {
    let sources: Vec<Source> =
        if files.is_empty() { vec![Source::BuiltIn] } else { files.iter().cloned().map(Source::File).collect() };
    let mut digests = Vec::new();
    for source in &sources {
        let digest = digest::load(source).map_err(|e| Failure::input(e.to_string()))?;
        warn_all(&digest.warnings);
        digests.push(digest);
    }
    Ok(Library::from_digests(digests))
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
    key: &'a str,
    title: &'a str,
    #[serde(rename = "abstract")]
    abstract_text: &'a str,
    links: &'a [String],
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
    let papers = library.papers();
    let candidates = (0..papers.len()).filter(|&i| {
        let key = &papers[i].key;
        (!args.starred || store.is_starred(key)) && (!args.unread || !store.is_read(key))
    });
    let ranked = Query::new(args.search.as_deref().unwrap_or("")).rank(papers, candidates);

    let mut out = std::io::stdout().lock();
    let written = if args.json {
        let listed: Vec<ListedPaper> = ranked
            .iter()
            .map(|&i| {
                let p = &papers[i];
                ListedPaper {
                    key: p.key.as_str(),
                    title: &p.title,
                    abstract_text: &p.abstract_text,
                    links: &p.links,
                    starred: store.is_starred(&p.key),
                    read: store.is_read(&p.key),
                    date: p.date.as_deref(),
                    source: &p.source,
                    line: p.line,
                }
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &listed).map_err(std::io::Error::from).and_then(|()| writeln!(out))
    } else {
        ranked.iter().try_for_each(|&i| {
            let p = &papers[i];
            let read = if store.is_read(&p.key) { ' ' } else { '●' };
            let star = if store.is_starred(&p.key) { '★' } else { ' ' };
            writeln!(out, "{read} {star} {}", p.title)
        })
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // The reader of a pipe (`papers list | head`) went away: that is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Failure::runtime(format!("cannot write the list: {e}"))),
    }
}
