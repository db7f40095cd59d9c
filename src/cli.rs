//! The command line: `papers [FILE]...` opens the reader, `papers list` prints papers; both share loading.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::app::{App, Origin};
use crate::digest::{self, Source};
use crate::library::Library;
use crate::sanitize::{eprint, quote_path};
use crate::search::{Query, Within};
use crate::state::{self, Store};
use crate::state::{Filter, MarkSet};
use crate::work::ToLoad;
use std::sync::atomic::AtomicBool;

mod completions;
mod doctor;
mod fetch;
mod format;
mod logging;
mod out;
mod output;
mod settings;
mod text;
mod watched;

const EXAMPLES: &str = "\
Examples:
  papers fetch                      bring today's papers into the library (see `papers sources`)
  papers                            read the library (the built-in digest before the first fetch)
  papers ~/digests/2024-03-14.txt   read a saved digest
  papers ~/digests/                 read every digest in a directory, as one library
  curl -s URL | papers -            read a digest from standard input
  papers list --search mamba        print the papers whose titles match, best first (as fzf ranks)
  papers list --search '@hinton capsule'   an author and a title word; an arXiv id: --search 2406.1
  papers list --search 'cat:cs.CL retrieval NOT is:read'   filters narrow, words rank
  papers list --text 'mamba -vision'   the papers whose text has a word and not another
  papers similar 2403.09043         the papers most like that one
  papers list --starred --json      print the starred papers as JSON
  papers export --starred -o starred.bib   the starred papers as BibTeX
  papers state export -o marks.json        stars and read marks, for another machine
  source <(papers completions bash)        complete papers' commands and options in bash
  papers doctor                     check the configuration, the state file, the sources, the terminal

Press ? in the reader for its keys.";

/// A terminal reader for research-paper digests.
///
/// Opens the digest files given (with none, every day `papers fetch` kept, or before the first fetch the
/// built-in Hugging Face papers digest), shows the papers in a list with fuzzy search, and remembers which
/// papers you starred and read.
#[derive(Debug, Parser)]
#[command(name = "papers", version, after_help = EXAMPLES)]
pub struct Cli {
    /// Digests to open: files, directories (every digest in them) or `-` for standard input; with none,
    /// the library of fetched days (the built-in digest when it is empty). Formats are told from the content: text digests, Hugging Face daily papers
    /// JSON, arXiv RSS/Atom feeds, arXiv metadata JSON Lines.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Keep stars and read marks in FILE instead of the data directory
    /// ($XDG_DATA_HOME/papers/state.json on Linux).
    #[arg(long, value_name = "FILE", global = true)]
    pub state: Option<PathBuf>,

    /// Read the configuration (sources, fetching) from FILE instead of the configuration directory
    /// ($XDG_CONFIG_HOME/papers/config.toml on Linux).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,

    /// Append a debug log to FILE (made readable by you alone): digests loaded and how long they took,
    /// requests (URL, status, bytes, time), saves, errors; never what papers say.
    #[arg(long, value_name = "FILE", global = true)]
    pub log: Option<PathBuf>,

    /// Start on the papers of this day (YYYY-MM-DD); `[` and `]` step from there.
    #[arg(long, value_name = "DATE")]
    pub day: Option<String>,

    /// Where `E` in the reader writes the papers shown (a new file named for the day).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub export_dir: PathBuf,

    /// The format `E` writes.
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "bibtex")]
    pub export_format: crate::export::Format,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the papers with their marks, one a line (or as JSON), ranked when searching.
    List(ListArgs),
    /// Write papers as BibTeX, Markdown, JSON, CSV or RIS.
    Export(out::ExportArgs),
    /// Move stars and read marks between machines.
    #[command(subcommand)]
    State(out::StateCommand),
    /// Fetch the day's papers from every configured source into the library (see `papers sources`).
    Fetch(fetch::FetchArgs),
    /// Print the sources the configuration fetches.
    Sources,
    /// Print the configuration in effect (sources, fetching, theme, keys) as a commented file.
    Config,
    /// Print the papers most like one (by the words of its title and abstract), most alike first.
    Similar(text::SimilarArgs),
    /// Print a shell's completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Check the setup, a line per check (configuration, state file and lock, sources, opener,
    /// terminal); exit 1 when one failed.
    Doctor,
}

/// Which papers `list` and `export` take.
#[derive(Debug, Args)]
pub struct PickArgs {
    /// Digests to read (files, directories, `-`); with none, the library of fetched days (the built-in
    /// digest when it is empty).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Only starred papers (with --unread: starred and not read yet).
    #[arg(long)]
    pub starred: bool,
    /// Only papers not read yet.
    #[arg(long)]
    pub unread: bool,
    /// Only papers matching QUERY, best match first. Words fuzzy-match the title as in fzf (`'exact`,
    /// `^start`, `end$`, `!not`), accents and dashes folded, smart case; `@name` matches an author; an
    /// arXiv identifier or its start (`2406.10037`, `2406.1`, `hep-ex/0307015`) matches the paper's.
    /// Filters narrow: `cat:cs.CL` (or `cat:cs`), `author:name`, `title:word`, `"a phrase"` (in the
    /// title), `abstract:word` or `abstract:"some words"`, `is:unread`, `is:read`, `is:starred`,
    /// `tag:name` (no paper has tags yet). `NOT` (or `!`) binds tightest, then `|` (fzf's or, between the
    /// words beside it), then `AND` (or just a space), then `OR`; parentheses group. Only capitals are
    /// operators. A query that does not parse is refused with the reason.
    #[arg(long, value_name = "QUERY")]
    pub search: Option<String>,
    /// Only papers whose title, abstract or authors have QUERY, best match first (BM25): words (each
    /// needed), "phrases", -word (not), au:name (in the authors).
    #[arg(long, value_name = "QUERY", conflicts_with = "search")]
    pub text: Option<String>,
    /// Only papers with this tag (`t` in the reader tags papers); given more than once, papers with
    /// every one of them.
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub pick: PickArgs,
    /// Print a JSON array of objects (key, title, abstract, links, starred, read, tags, note, arxiv_id,
    /// authors, days, date, source, line).
    #[arg(long)]
    pub json: bool,
    /// Only papers the configuration's [watch] list marks (by an author or a keyword).
    #[arg(long)]
    pub watched: bool,
}

/// The command line as given. clap writes its message for a mistake raw to a terminal, what was typed
/// included: when an argument holds something a terminal would obey (an escape sequence in an unknown
/// option, say), the message is printed made safe instead, as every message is.
pub fn parse() -> Cli {
    match parse_from(std::env::args_os()) {
        Ok(cli) => cli,
        Err(Rejected::Clap(error)) => error.exit(),
        Err(Rejected::Unsafe(message, code)) => {
            eprint(&message);
            std::process::exit(code)
        }
    }
}

/// Why the command line was not taken: clap's error, to print as clap does, or its message made safe.
pub enum Rejected {
    Clap(clap::Error),
    Unsafe(String, i32),
}

/// Parses `args` (the program's name first).
pub fn parse_from(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Cli, Rejected> {
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    let error = match Cli::try_parse_from(&args) {
        Ok(cli) => return Ok(cli),
        Err(error) => error,
    };
    let hostile = args.iter().any(|arg| arg.to_string_lossy().contains(crate::sanitize::is_unsafe));
    if !error.use_stderr() || !hostile {
        // Help and version go to standard output; a message with nothing hostile keeps clap's colours.
        return Err(Rejected::Clap(error));
    }
    let text = error.render().to_string();
    let text = text.trim_end();
    Err(Rejected::Unsafe(text.strip_prefix("error: ").unwrap_or(text).to_string(), error.exit_code()))
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
    if let Some(path) = &cli.log {
        logging::start(path)?;
    }
    // Needs neither a home nor a configuration.
    if let Some(Command::Completions(args)) = &cli.command {
        return completions::print(args);
    }
    let state_path = match cli.state {
        Some(path) => path,
        None => state::default_path()
            .ok_or_else(|| Failure::input("cannot find a home or data directory; give one with --state FILE"))?,
    };
    let config = fetch::config_path(cli.config.as_deref())?;
    match cli.command {
        Some(Command::List(args)) => list(&args, &state_path, &config),
        Some(Command::Export(args)) => out::export(&args, &state_path),
        Some(Command::State(command)) => out::state(&command, &state_path),
        Some(Command::Fetch(args)) => fetch::run(&args, &config),
        Some(Command::Sources) => fetch::sources(&config),
        Some(Command::Config) => settings::print(&config),
        Some(Command::Similar(args)) => text::similar(&args),
        Some(Command::Completions(args)) => completions::print(&args),
        Some(Command::Doctor) => doctor::run(&config, &state_path),
        None => {
            let day = cli.day.as_deref().map(|text| fetch::parse_day("--day", text)).transpose()?;
            // A configuration that does not parse stops here, before the terminal is taken.
            let (fetcher, settings) = fetch::fetcher(&config)?;
            let (theme, bindings, settings_warnings) = settings::looks(&settings, &config);
            let opening = open(&cli.files)?;
            if !crate::tui::has_terminal() {
                return Err(Failure::input(
                    "the reader needs a terminal on standard input and output; `papers list` prints the papers instead",
                ));
            }
            let (store, notices) = Store::open(&state_path);
            warn_all(&settings_warnings);
            warn_all(&notices);
            let app = App::new(opening.library, &store)
                .exporting_to(cli.export_dir, cli.export_format)
                .looking(theme, bindings)
                .watching(settings.saved_searches.clone(), settings.watch.clone())
                .tooled(settings.pdf.clone(), settings.commands.clone(), settings.fetch.clone());
            let Opening { rest, read, total, warnings, .. } = opening;
            let start = crate::tui::Start {
                app,
                store,
                notices,
                warnings: vec![(Origin::Configuration, settings_warnings), (Origin::Opening, warnings)],
                rest,
                read,
                total,
                day,
                fetcher: Some(fetcher),
                fetch_on_start: settings.fetch_on_start,
                index_dir: crate::index::default_dir(),
            };
            crate::tui::run(start).map_err(Failure::runtime)
        }
    }
}

/// A digest to read, and whether it was found in a directory (where files that are not digests are
/// passed over) rather than named.
type Named = (Source, bool);

/// What the command line names: `-` is standard input, a directory is every digest file in it (by name;
/// not hidden ones, not those below, not those whose name ends otherwise than a digest's); when nothing is
/// named, the library of fetched days, or the built-in digest before the first fetch.
fn sources(files: &[PathBuf]) -> Result<Vec<Named>, Failure> {
    if files.is_empty() {
        // The library of fetched days, newest first; a day that cannot be read is passed over.
        let stored = fetch::library_dir().map(|dir| crate::fetch::store::stored(&dir)).unwrap_or_default();
        if stored.is_empty() {
            return Ok(vec![(Source::BuiltIn, false)]);
        }
        return Ok(stored.into_iter().map(|path| (Source::File(path), true)).collect());
    }
    let mut found = Vec::new();
    for path in files {
        if path.as_os_str() == "-" {
            if found.iter().any(|(s, _)| *s == Source::Stdin) {
                return Err(Failure::input("`-` (standard input) is given twice; it can be read once"));
            }
            found.push((Source::Stdin, false));
            continue;
        }
        if !path.is_dir() {
            found.push((Source::File(path.clone()), false));
            continue;
        }
        let cannot =
            |e: std::io::Error| Failure::input(format!("{}: cannot list the directory: {e}", quote_path(path)));
        let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(cannot)?
            .filter_map(Result::ok)
            .filter(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
            .map(|entry| entry.path())
            .filter(|path| path.is_file())
            .collect();
        // Files whose names say they are something else (notes, PDFs, scripts) are passed over quietly.
        let (digests, others): (Vec<PathBuf>, Vec<PathBuf>) = inside.into_iter().partition(|p| {
            let extension = p.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
            extension.is_none_or(|e| DIGEST_EXTENSIONS.contains(&e.as_str()))
        });
        if digests.is_empty() && !others.is_empty() {
            return Err(Failure::input(format!(
                "{}: no digest files in it (those read from a directory end in .{})",
                quote_path(path),
                DIGEST_EXTENSIONS.join(", .")
            )));
        }
        inside = digests;
        if inside.is_empty() {
            return Err(Failure::input(format!(
                "{}: the directory holds no files; give digest files",
                quote_path(path)
            )));
        }
        inside.sort();
        found.extend(inside.into_iter().map(|path| (Source::File(path), true)));
    }
    Ok(found)
}

/// The file name endings of digests read from a directory (files without one are read too).
const DIGEST_EXTENSIONS: [&str; 7] = ["txt", "json", "jsonl", "xml", "rss", "atom", "ndjson"];

/// What reading a digest gave: a file found in a directory that holds no papers (or is not a digest
/// at all) is passed over with a warning (`Ok(None)`); any other error stops.
/// The warning is printed, and kept in `told` for the reader's messages pane.
fn passed_over<T>(
    read: Result<T, digest::DigestError>,
    in_directory: bool,
    told: &mut Vec<String>,
) -> Result<Option<T>, Failure> {
    use digest::DigestError::*;
    match read {
        Ok(read) => Ok(Some(read)),
        Err(e @ (Empty { .. } | NoPapers { .. } | NotText { .. } | Malformed { .. })) if in_directory => {
            let warning = format!("{e}\n  (passed over: not a digest)");
            warn_all(std::slice::from_ref(&warning));
            told.push(warning);
            Ok(None)
        }
        Err(e) => Err(Failure::input(e.to_string())),
    }
}

/// The error when no file given holds a paper.
fn no_papers() -> Failure {
    Failure::input("none of the files given holds papers; give digest files")
}

/// Loads every digest given (the built-in one when none), printing repair warnings to standard error.
pub fn load(files: &[PathBuf]) -> Result<Library, Failure> {
    load_with(files, digest::load)
}

/// Reads digests as `load_digest` reads each (all of it, or its titles alone) into one library.
fn load_with(
    files: &[PathBuf],
    load_digest: fn(&digest::Source) -> Result<digest::Digest, digest::DigestError>,
) -> Result<Library, Failure> {
    let mut library = Library::default();
    for (source, in_directory) in &sources(files)? {
        let started = std::time::Instant::now();
        let read = load_digest(source);
        logging::read(source, &read, started);
        let Some(digest) = passed_over(read, *in_directory, &mut Vec::new())? else { continue };
        warn_all(&digest.warnings);
        for chunk in digest.chunks {
            library.add_chunk(chunk);
        }
    }
    if library.is_empty() {
        return Err(no_papers());
    }
    Ok(library)
}

/// Digests opened for the reader: the papers parsed so far, and the files to read on.
pub struct Opening {
    pub library: Library,
    pub rest: Vec<ToLoad>,
    /// Bytes read so far, and the size of all the files when known.
    pub read: u64,
    pub total: Option<u64>,
    /// What opening them warned of (printed on standard error too), for the reader's messages pane.
    pub warnings: Vec<String>,
}

/// Opens every digest given and parses the start of each (all of a small one), so that what is not a
/// digest is refused before the reader starts; the rest is read while it runs.
pub fn open(files: &[PathBuf]) -> Result<Opening, Failure> {
    let mut opening =
        Opening { library: Library::default(), rest: Vec::new(), read: 0, total: Some(0), warnings: Vec::new() };
    for (source, in_directory) in sources(files)? {
        // Files found in a directory (or the library) after one that holds papers are opened by the
        // loading thread: a library of a year of days shows its newest at once.
        if in_directory && !(opening.library.is_empty() && opening.rest.is_empty()) {
            let size = match &source {
                Source::File(path) => std::fs::metadata(path).ok().filter(|m| m.is_file()).map(|m| m.len()),
                _ => None,
            };
            opening.total = opening.total.zip(size).map(|(a, b)| a + b);
            opening.rest.push(ToLoad::Named(source));
            continue;
        }
        let started = std::time::Instant::now();
        let read = digest::open(&source);
        logging::read(&source, &read, started);
        let Some(mut opened) = passed_over(read, in_directory, &mut opening.warnings)? else { continue };
        warn_all(&opened.warnings);
        opening.warnings.extend(opened.warnings.iter().cloned());
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
            opening.rest.push(ToLoad::Opened(Box::new(opened)));
        }
    }
    if opening.library.is_empty() && opening.rest.is_empty() {
        return Err(no_papers());
    }
    Ok(opening)
}

fn warn_all(messages: &[String]) {
    for message in messages {
        log::warn!(target: "papers", "{message}");
        eprint(&format!("warning: {message}"));
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
    tags: Vec<String>,
    note: Option<String>,
    arxiv_id: Option<&'a str>,
    authors: &'a [String],
    /// Every day it appeared in a digest, "2024-03-14".
    days: Vec<String>,
    date: Option<&'a str>,
    source: &'a str,
    line: usize,
}

/// The papers a command picks: its digests loaded, the marks, and the indices of the papers that pass
/// `--starred`/`--unread` (both: the starred ones not read yet), best match first with `--search`.
struct Picked {
    library: Library,
    marks: MarkSet,
    store: Store,
    indices: Vec<usize>,
}

/// `abstracts`: false when the command shows titles alone, which spares reading a large digest into memory.
fn pick(args: &PickArgs, state_path: &std::path::Path, abstracts: bool) -> Result<Picked, Failure> {
    let (starred, unread, search) = (args.starred, args.unread, args.search.as_deref());
    let query = Query::parse(search.unwrap_or("")).map_err(|why| Failure::input(format!("--search: {why}")))?;
    // The full-text index and `abstract:` need the abstracts.
    let abstracts = abstracts || args.text.is_some() || query.needs_abstracts();
    let mut library = load_with(&args.files, if abstracts { digest::load } else { digest::load_titles })?;
    let tags: Vec<String> = args
        .tag
        .iter()
        .map(|tag| {
            state::tag_name(tag).ok_or_else(|| {
                Failure::input(format!(
                    "--tag {}: not a tag (letters, digits and - _ . : / only, at most {} of them)",
                    crate::sanitize::message(tag),
                    state::TAG_MAX
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let (store, notices) = Store::open(state_path);
    warn_all(&notices);
    let filter = match (starred, unread) {
        (false, false) => Filter::All,
        (true, _) => Filter::Starred,
        (false, true) => Filter::Unread,
    };
    let marks = MarkSet::from_ledger(store.ledger());
    let never = AtomicBool::new(false);
    let ranked: Vec<usize> = match &args.text {
        Some(text) => text::search(&mut library, text)?
            .into_iter()
            .filter(|&i| {
                let p = library.get(i);
                filter == Filter::All || marks.passes(filter, p.key_hash(), p.title(), p.arxiv_id())
            })
            .collect(),
        None => query
            .rank(library.titles(), &Within::From(0), filter, &marks, &never)
            .unwrap_or_default()
            .order
            .into_iter()
            .map(|i| i as usize)
            .collect(),
    };
    let indices = ranked
        .into_iter()
        .filter(|&i| !(starred && unread && marks.of(&library.get(i)).1))
        .filter(|&i| {
            let p = library.get(i);
            tags.is_empty() || marks.has_tags(p.key_hash(), p.title(), p.arxiv_id(), &tags)
        })
        .collect();
    Ok(Picked { library, marks, store, indices })
}

fn list(args: &ListArgs, state_path: &std::path::Path, config: &std::path::Path) -> Result<ExitCode, Failure> {
    // A keyword is looked for in the abstracts too.
    let Picked { library, marks, store, indices: ranked } = pick(&args.pick, state_path, args.json || args.watched)?;
    let ranked = if args.watched { watched::keep(config, &library, ranked)? } else { ranked };

    // Standard output writes each line as it ends (a system call a line, most of the time a long list
    // took): written in blocks instead.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let written = if args.json {
        let listed: Vec<ListedPaper> = ranked
            .iter()
            .map(|&i| {
                let p = library.get(i);
                let key = p.key();
                let (starred, read) = marks.of(&p);
                let (tags, note) = marks.labels_of(&p);
                ListedPaper {
                    starred,
                    read,
                    tags,
                    note,
                    key: key.as_str().to_string(),
                    title: p.title(),
                    abstract_text: p.abstract_text(),
                    links: p.links(),
                    arxiv_id: p.arxiv_id(),
                    authors: p.meta().map_or(&[], |m| m.authors.as_slice()),
                    days: p.days().iter().map(ToString::to_string).collect(),
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
            let (starred, read) = if marks_known { marks.of(&p) } else { (false, false) };
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
