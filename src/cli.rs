//! The command line: `papers [FILE]...` opens the reader, `papers list` prints papers; both share loading.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::app::{App, Origin};
use crate::sanitize::eprint;
use crate::state::{self, Store};

mod completions;
mod doctor;
mod fetch;
mod format;
mod list;
mod logging;
mod out;
mod output;
mod settings;
mod sources;
mod text;
mod watched;

use list::list;
use sources::warn_all;
pub use sources::{Opening, load, open};

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
    /// `tag:name` (or `#name`). `NOT` (or `!`) binds tightest, then `|` (fzf's or, between the
    /// words beside it), then `AND` (or just a space), then `OR`; parentheses group. Only capitals are
    /// operators. A query that does not parse is refused with the reason. A query that starts with `?`
    /// searches what papers say, as --text does with the rest.
    // A query may start with `-` (an exclusion): it is the value, not another option.
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true, value_parser = query_value)]
    pub search: Option<String>,
    /// Only papers whose title, abstract or authors have QUERY, best match first (BM25): words (each
    /// needed), "phrases", -word (not), au:name (in the authors).
    #[arg(long, value_name = "QUERY", conflicts_with = "search", allow_hyphen_values = true, value_parser = query_value)]
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

/// A query given to --search or --text: one may start with `-` (an exclusion), but not with `--`, which is
/// the next option with the query left out (`--search --unread`), not a query (clap gives the value alike
/// whether it came after `=` or not).
fn query_value(text: &str) -> Result<String, String> {
    match text.strip_prefix("--") {
        Some(option) if !option.is_empty() && !option.starts_with(char::is_whitespace) => {
            Err("this is an option, not a query: give the query before it".to_string())
        }
        _ => Ok(text.to_string()),
    }
}

/// The files and folders the command reads papers or marks from, as named.
fn read_files(cli: &Cli) -> Vec<PathBuf> {
    let of_command: &[PathBuf] = match &cli.command {
        Some(Command::List(args)) => &args.pick.files,
        Some(Command::Export(args)) => &args.pick.files,
        Some(Command::Similar(args)) => &args.files,
        Some(Command::State(out::StateCommand::Import { file })) => std::slice::from_ref(file),
        _ => &[],
    };
    cli.files.iter().chain(of_command).cloned().collect()
}

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    // First, so that the log's hook and the reader's, set after it, call it.
    crate::panics::install();
    if let Some(path) = &cli.log {
        // Never into a file papers reads or keeps: lines appended to the state file lost every mark.
        let state = cli.state.clone().or_else(state::default_path);
        let config = cli.config.clone().or_else(crate::config::default_path);
        logging::refuse_ours(path, state.as_deref(), config.as_deref(), &read_files(&cli))?;
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
    // The defaults stand in for a configuration file not written yet, not for one named that is not
    // there (a path mistyped would fetch the default sources); `fetch --init` writes the one named.
    let writes_config = matches!(&cli.command, Some(Command::Fetch(args)) if args.init);
    if cli.config.is_some()
        && !writes_config
        && std::fs::symlink_metadata(&config).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    {
        return Err(Failure::input(format!(
            "--config {}: no such file; `papers fetch --init --config {0}` writes one with every setting",
            crate::sanitize::quote_path(&config)
        )));
    }
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
            // A terminal that says it can move no cursor (an editor's shell buffer) would show the frames
            // as a stream of escape sequences.
            if std::env::var("TERM").is_ok_and(|term| term == "dumb") {
                return Err(Failure::input(
                    "TERM=dumb: this terminal cannot draw the reader; set TERM to your terminal's type \
                     (xterm-256color for most), or use `papers list`",
                ));
            }
            let (store, notices) = Store::open(&state_path);
            warn_all(&settings_warnings);
            warn_all(&notices);
            let app = App::new(opening.library, &store)
                .exporting_to(cli.export_dir, cli.export_format)
                .looking(theme, bindings)
                .watching(settings.saved_searches.clone(), settings.watch.clone())
                .tooled(settings.pdf.clone(), settings.commands.clone(), settings.fetch.clone())
                .starting_with(settings.filter, settings.sort);
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
