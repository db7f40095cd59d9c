//! The configuration file, `$XDG_CONFIG_HOME/papers/config.toml`: where papers come from, how to fetch
//! them, the reader's colours and keys. A missing file is the defaults (Hugging Face daily papers only); a
//! file that does not parse is refused with its line and column; a bad colour or key is a warning.

mod looks;
mod paper;
mod saved;
pub mod theme;
mod watch;

pub use looks::KeySetting;
pub use paper::{Commands, Input, PDF_ENDPOINT, PaperCommand, Pdf, effective as effective_tools};
pub use saved::SavedSearch;
pub use theme::{Preset, Theme, ThemeSettings};
pub use watch::{WatchHit, WatchList};

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// The Hugging Face endpoint when neither `HF_ENDPOINT` nor the file names one.
pub const HF_ENDPOINT: &str = "https://huggingface.co";
/// arXiv's listing service (RSS by category).
pub const ARXIV_RSS: &str = "https://rss.arxiv.org/rss";
/// arXiv's search API (Atom).
pub const ARXIV_API: &str = "https://export.arxiv.org/api/query";

/// Every setting, as the file gives it (what it leaves out takes its default).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Fetch the day's papers in the background every time the reader starts.
    pub fetch_on_start: bool,
    /// `filter` and `sort` as serde sees them: anything, read for real (with places) by `looks`.
    #[serde(rename = "filter")]
    filter_value: Option<toml::Value>,
    #[serde(rename = "sort")]
    sort_value: Option<toml::Value>,
    /// The papers the reader shows when it starts (`f` cycles them there).
    #[serde(skip)]
    pub filter: StartFilter,
    /// The order the reader lists them in when it starts (`S` cycles it there).
    #[serde(skip)]
    pub sort: StartSort,
    pub huggingface: HuggingFace,
    pub arxiv: Arxiv,
    pub fetch: Fetching,
    /// `[pdf]`: where `d` downloads papers from and to.
    pub pdf: Pdf,
    /// `[commands]`: programs `|` runs on the selected paper, by name.
    #[serde(deserialize_with = "paper::commands")]
    pub commands: Commands,
    /// `[theme]` and `[keys]` as serde sees them: anything, read for real (with places) by `looks`.
    #[serde(rename = "theme")]
    theme_table: Option<toml::Value>,
    #[serde(rename = "keys")]
    keys_table: Option<toml::Value>,
    /// `[searches]` and `[watch]` as serde sees them, read for real by `saved` and `watch`.
    #[serde(rename = "searches")]
    searches_table: Option<toml::Value>,
    #[serde(rename = "watch")]
    watch_table: Option<toml::Value>,
    /// The reader's saved searches (`[searches]`), in file order.
    #[serde(skip)]
    pub saved_searches: Vec<SavedSearch>,
    /// The authors and keywords whose papers are marked (`[watch]`).
    #[serde(skip)]
    pub watch: WatchList,
    /// The colours the file asks for.
    #[serde(skip)]
    pub theme: ThemeSettings,
    /// The keys the file binds, by action name.
    #[serde(skip)]
    pub keys: Vec<KeySetting>,
    /// What in `[theme]` and `[keys]` could not be used (the default stands instead).
    #[serde(skip)]
    pub warnings: Vec<Warning>,
}

/// The papers the reader shows when it starts (`filter = "unread"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StartFilter {
    #[default]
    All,
    Unread,
    Starred,
}

impl StartFilter {
    pub const ALL: [StartFilter; 3] = [StartFilter::All, StartFilter::Unread, StartFilter::Starred];

    pub fn name(self) -> &'static str {
        match self {
            StartFilter::All => "all",
            StartFilter::Unread => "unread",
            StartFilter::Starred => "starred",
        }
    }
}

/// The order the reader lists the papers in when it starts (`sort = "newest"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StartSort {
    /// As the digests gave them.
    #[default]
    Digest,
    Newest,
    Title,
    Upvotes,
}

impl StartSort {
    pub const ALL: [StartSort; 4] = [StartSort::Digest, StartSort::Newest, StartSort::Title, StartSort::Upvotes];

    pub fn name(self) -> &'static str {
        match self {
            StartSort::Digest => "digest",
            StartSort::Newest => "newest",
            StartSort::Title => "title",
            StartSort::Upvotes => "upvotes",
        }
    }
}

/// Something in the file that is not used, and why; where, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub at: Option<(usize, usize)>,
    pub text: String,
}

impl Warning {
    pub fn at(at: (usize, usize), text: impl Into<String>) -> Self {
        Warning { at: Some(at), text: text.into() }
    }

    /// The warning for people: the file, line and column, and what.
    pub fn in_file(&self, file: &str) -> String {
        match self.at {
            Some((line, column)) => format!("{file}:{line}:{column}: {}", self.text),
            None => format!("{file}: {}", self.text),
        }
    }
}

/// The Hugging Face daily papers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HuggingFace {
    pub enabled: bool,
    /// Where the API is; `HF_ENDPOINT` in the environment wins, as with Hugging Face's own tools.
    #[serde(deserialize_with = "endpoint")]
    pub endpoint: String,
}

impl Default for HuggingFace {
    fn default() -> Self {
        HuggingFace { enabled: true, endpoint: HF_ENDPOINT.to_string() }
    }
}

/// arXiv listings by category, and searches of its API.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Arxiv {
    /// Categories whose new listings to fetch (`cs.LG`, `cs.CL`, …).
    pub categories: Vec<String>,
    #[serde(deserialize_with = "endpoint")]
    pub rss_endpoint: String,
    #[serde(deserialize_with = "endpoint")]
    pub api_endpoint: String,
    /// Searches of the API, each kept as a source of its own.
    pub searches: Vec<Search>,
}

impl Default for Arxiv {
    fn default() -> Self {
        Arxiv {
            categories: Vec::new(),
            rss_endpoint: ARXIV_RSS.to_string(),
            api_endpoint: ARXIV_API.to_string(),
            searches: Vec::new(),
        }
    }
}

/// A search of the arXiv API: the newest papers that match `query`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    /// What the source is called (in `papers sources`, `papers fetch NAME` and the library's folders).
    pub name: String,
    /// The API's query syntax, e.g. `cat:cs.CL AND ti:retrieval`.
    pub query: String,
    #[serde(default = "default_max_results")]
    pub max_results: u32,
}

fn default_max_results() -> u32 {
    50
}

/// How requests are made.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fetching {
    /// Seconds to connect, and seconds for an answer (headers, then body) to come.
    #[serde(deserialize_with = "timeout")]
    pub timeout: f64,
    /// Tries after the first, on a failed connection, a 429 or a 5xx answer.
    #[serde(deserialize_with = "retries")]
    pub retries: u32,
    /// Seconds before the first retry; each next one waits twice as long (or what `Retry-After` says).
    #[serde(deserialize_with = "wait")]
    pub backoff: f64,
    /// Answers larger than this many megabytes are refused.
    #[serde(deserialize_with = "megabytes")]
    pub max_answer_mb: u64,
}

impl Default for Fetching {
    fn default() -> Self {
        Fetching { timeout: 20.0, retries: 3, backoff: 1.0, max_answer_mb: 50 }
    }
}

impl Fetching {
    pub fn timeout(&self) -> Duration {
        seconds(self.timeout)
    }

    pub fn backoff(&self) -> Duration {
        seconds(self.backoff)
    }
}

/// `text` as a TOML basic string, every character a terminal would act on or hide (controls, bidi
/// marks, see `sanitize::is_unsafe`) written as its `\u` escape: `papers config` prints what it reads,
/// and what it prints must read back as the same text.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || crate::sanitize::is_unsafe(c) => match u32::from(c) {
                code @ 0..=0xffff => out.push_str(&format!("\\u{code:04x}")),
                code => out.push_str(&format!("\\U{code:08x}")),
            },
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The longest wait a setting may ask for, in seconds: a day.
const MOST_SECONDS: f64 = 86_400.0;

/// A timeout in seconds: a number above 0 and at most a day, refused where it is written otherwise (a
/// timeout of 0 or below would end every request and command at once).
/// An endpoint: an http or https URL with a host, refused where it is written otherwise (a typo there
/// would only fail at the first fetch, as an error of the request).
pub(crate) fn endpoint<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    let url = text.trim();
    let scheme = url.split_once("://").map(|(scheme, _)| scheme.to_ascii_lowercase());
    let parsed = ureq::http::Uri::try_from(url).ok();
    if matches!(scheme.as_deref(), Some("http" | "https")) && parsed.is_some_and(|uri| uri.host().is_some()) {
        return Ok(url.to_string());
    }
    Err(serde::de::Error::custom(format!("an endpoint is an http:// or https:// URL, not {text:?}")))
}

fn timeout<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    let secs = f64::deserialize(deserializer)?;
    if secs.is_finite() && secs > 0.0 && secs <= MOST_SECONDS {
        return Ok(secs);
    }
    Err(serde::de::Error::custom(format!(
        "a timeout is a number of seconds above 0 and at most {MOST_SECONDS}, not {}",
        shown_number(secs)
    )))
}

/// A wait in seconds: 0 up to a day, refused where it is written otherwise.
fn wait<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    let secs = f64::deserialize(deserializer)?;
    if secs.is_finite() && (0.0..=MOST_SECONDS).contains(&secs) {
        return Ok(secs);
    }
    Err(serde::de::Error::custom(format!(
        "a wait is a number of seconds from 0 to {MOST_SECONDS}, not {}",
        shown_number(secs)
    )))
}

/// A number of seconds as a message shows it: a huge or tiny one in exponent form (`1e308`), not as its
/// hundreds of digits.
fn shown_number(secs: f64) -> String {
    if secs != 0.0 && secs.is_finite() && !(1e-6..1e9).contains(&secs.abs()) {
        format!("{secs:e}")
    } else {
        secs.to_string()
    }
}

/// Tries after a failed one: at most `MOST_RETRIES`, so that a server that is down is not asked on
/// and on.
fn retries<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let retries = u32::deserialize(deserializer)?;
    if retries <= MOST_RETRIES {
        return Ok(retries);
    }
    Err(serde::de::Error::custom(format!("retries are at most {MOST_RETRIES}, not {retries}")))
}

/// The most retries a request may have.
const MOST_RETRIES: u32 = 20;

/// A size in megabytes: at least 1 (0 would refuse everything), refused where it is written otherwise;
/// at most a million, so that it stays a number of bytes.
fn megabytes<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let mb = u64::deserialize(deserializer)?;
    if (1..=1_000_000).contains(&mb) {
        return Ok(mb);
    }
    Err(serde::de::Error::custom(format!("a size is a number of megabytes from 1 to 1000000, not {mb}")))
}

/// `secs` as a duration, what cannot be one (negative, not a number) as none.
fn seconds(secs: f64) -> Duration {
    Duration::try_from_secs_f64(secs).unwrap_or(Duration::ZERO)
}

/// Where papers come from, one fetched and kept apart from the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    HuggingFace { endpoint: String },
    Listing { category: String, endpoint: String },
    Search { name: String, query: String, max_results: u32, endpoint: String },
}

impl Source {
    /// The name used on the command line and for its folder in the library.
    pub fn name(&self) -> String {
        match self {
            Source::HuggingFace { .. } => "huggingface".to_string(),
            Source::Listing { category, .. } => format!("arxiv-{category}"),
            Source::Search { name, .. } => format!("search-{name}"),
        }
    }

    /// What it is, for people.
    pub fn describe(&self) -> String {
        match self {
            Source::HuggingFace { endpoint } => format!("Hugging Face daily papers ({endpoint})"),
            Source::Listing { category, endpoint } => format!("arXiv new listings of {category} ({endpoint})"),
            Source::Search { query, max_results, endpoint, .. } => {
                format!("arXiv search \"{query}\", newest {max_results} ({endpoint})")
            }
        }
    }
}

impl Config {
    /// The sources to fetch, in the order given; `hf_endpoint` is `HF_ENDPOINT` from the environment.
    pub fn sources(&self, hf_endpoint: Option<&str>) -> Vec<Source> {
        let mut sources = Vec::new();
        if self.huggingface.enabled {
            let endpoint = hf_endpoint.filter(|e| !e.trim().is_empty()).unwrap_or(&self.huggingface.endpoint);
            sources.push(Source::HuggingFace { endpoint: endpoint.trim_end_matches('/').to_string() });
        }
        for category in &self.arxiv.categories {
            let endpoint = self.arxiv.rss_endpoint.trim_end_matches('/').to_string();
            sources.push(Source::Listing { category: category.clone(), endpoint });
        }
        for search in &self.arxiv.searches {
            sources.push(Source::Search {
                name: search.name.clone(),
                query: search.query.clone(),
                max_results: search.max_results,
                endpoint: self.arxiv.api_endpoint.clone(),
            });
        }
        sources
    }

    /// What is wrong with settings that parse but cannot be used: names that cannot be folders, a
    /// category or search given twice; with the value as written, to find its place by.
    fn check(&self) -> Result<(), (String, Option<String>)> {
        let mut names = std::collections::BTreeSet::new();
        for source in self.sources(None) {
            let name = source.name();
            let written = match &source {
                Source::HuggingFace { .. } => None,
                Source::Listing { category, .. } => Some(category.clone()),
                Source::Search { name, .. } => Some(name.clone()),
            };
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) || name.contains("..") {
                let why = format!("the source name `{name}` may hold only letters, digits, `-`, `_` and single dots");
                return Err((why, written));
            }
            if !names.insert(name.clone()) {
                return Err((format!("the source `{name}` is given twice"), written));
            }
        }
        Ok(())
    }
}

/// The default configuration file: `config.toml` in the user's configuration directory.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "papers").map(|dirs| dirs.config_dir().join("config.toml"))
}

/// Why the configuration cannot be used, naming the file and, when known, the line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads the configuration at `path`; the defaults when there is no file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let shown = crate::sanitize::quote_path(path);
    // Far larger than any configuration; what is larger is not one, and is not read on (`/dev/zero`).
    let text = match crate::files::read_at_most(path, 1 << 20) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
            return Err(ConfigError(format!("{shown}: over 1 MiB, which is not a papers configuration")));
        }
        Err(e) => return Err(ConfigError(format!("{shown}: cannot read it: {e}"))),
    };
    if text.is_empty() && is_fifo(path) {
        return Err(ConfigError(format!(
            "{shown}: it is a FIFO (named pipe) and nothing was written to it; give a configuration file"
        )));
    }
    let text = String::from_utf8(text)
        .map_err(|e| ConfigError(format!("{shown}: not UTF-8 text (byte {})", e.utf8_error().valid_up_to())))?;
    parse(&text).map_err(|(at, why)| match at {
        Some((line, column)) => ConfigError(format!("{shown}:{line}:{column}: {why}")),
        None => ConfigError(format!("{shown}: {why}")),
    })
}

/// True when `path` is a FIFO, or a pipe (`/dev/fd/63`, as a shell's `<(…)` names one).
fn is_fifo(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        std::fs::metadata(path).is_ok_and(|meta| meta.file_type().is_fifo())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Parses configuration text; on failure, the line and column (1-based) when known, and why.
pub fn parse(text: &str) -> Result<Config, (Option<(usize, usize)>, String)> {
    let mut config: Config = toml::from_str(text).map_err(|e| {
        let at = e.span().map(|span| line_and_column(text, span.start));
        // toml's message repeats the line with a caret when it has a span; the first line is the reason.
        (at, e.message().lines().next().unwrap_or("").trim().to_string())
    })?;
    config.check().map_err(|(why, written)| {
        // Where the setting the check is about is written: its value's last place in the file (the
        // second of a value given twice).
        let at = written.and_then(|w| text.rfind(&toml_string(&w))).map(|offset| line_and_column(text, offset));
        (at, why)
    })?;
    (config.theme, config.keys, config.warnings) = looks::read(text);
    (config.theme_table, config.keys_table) = (None, None);
    let (filter, sort, warnings) = looks::read_start(text);
    (config.filter, config.sort) = (filter, sort);
    config.warnings.extend(warnings);
    (config.filter_value, config.sort_value) = (None, None);
    let (searches, watch, warnings) = saved::read_lists(text);
    (config.saved_searches, config.watch) = (searches, watch);
    config.warnings.extend(warnings);
    (config.searches_table, config.watch_table) = (None, None);
    Ok(config)
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A configuration file with every setting, commented, as `papers fetch --init` writes it.
pub const TEMPLATE: &str = r##"# papers configuration. Every setting is shown with its default value (or, for lists and tables empty by
# default, an example); remove the # to change one.

# Fetch the day's papers in the background every time the reader starts (R fetches at any time).
# fetch_on_start = false
# The papers the reader shows when it starts: all, unread or starred (f cycles them there).
# filter = "all"
# The order it lists them in when it starts: digest, newest, title or upvotes (S cycles it there).
# sort = "digest"

[huggingface]
# The Hugging Face daily papers (https://huggingface.co/papers), one file a day.
# enabled = true
# Where the API is; HF_ENDPOINT in the environment, when set, wins (for mirrors).
# endpoint = "https://huggingface.co"

[arxiv]
# New listings of arXiv categories, one file a day each, from arXiv's listing service.
# categories = ["cs.LG", "cs.CL"]
# rss_endpoint = "https://rss.arxiv.org/rss"
# api_endpoint = "https://export.arxiv.org/api/query"

# Searches of the arXiv API, each a source of its own (arXiv asks for a request every three seconds at
# most; papers keeps to it).
# [[arxiv.searches]]
# name = "retrieval"
# query = "cat:cs.CL AND ti:retrieval"
# max_results = 50

[fetch]
# Seconds to connect, and seconds for an answer to come.
# timeout = 20
# Tries after the first, on a failed connection, a 429 or a 5xx answer.
# retries = 3
# Seconds before the first retry; each next one waits twice as long, or what the server's Retry-After says.
# backoff = 1
# Answers larger than this are refused.
# max_answer_mb = 50

[pdf]
# `d` downloads the selected paper's PDF from endpoint/ID to dir (by default the user's download folder,
# XDG_DOWNLOAD_DIR, as `papers config` shows it), named ID-first-words-of-title.pdf; an interrupted
# download resumes. P opens it.
# endpoint = "https://arxiv.org/pdf"
# dir = "~/Downloads"
# PDFs larger than this are refused.
# max_mb = 100
# Seconds a PDF may take to come.
# timeout = 300

# Programs `|` runs on the selected paper, by name: argv is run as it is (no shell); input says what the
# program is given: "abstract" (title and abstract), "json" or "bibtex" on standard input, or "pdf" (the
# downloaded PDF's path added as the last argument). It is killed after timeout seconds (60 by default).
[commands]
# summary = { argv = ["llm", "-s", "Summarise this paper in three sentences"], input = "abstract", timeout = 120 }
# view = { argv = ["zathura"], input = "pdf" }

[theme]
# dark (the terminal's own colours), light (for a white background), or mono (no colour: reverse video,
# bold and underline; NO_COLOR in the environment chooses it, whatever is set here).
# preset = "dark"
# The colour of one element: a name (red, light_blue, dark_gray), "#rrggbb", or 0 to 255 (papers config
# lists the elements).
# star = "yellow"

[keys]
# An action and the key or keys that do it, in place of its own (papers config lists every action).
# toggle_star = ["s", "*"]

[searches]
# Searches of the reader's search bar, a name and a query each (the search's own syntax): Alt-1 applies
# the first, Alt-2 the second, up to Alt-9; Ctrl-P lists them all. (Not [[arxiv.searches]] above, which
# fetch papers from arXiv.)
# mamba = "mamba !vision"
# rl = "cat:cs.LG reinforcement OR author:sutton"

[watch]
# Papers by these authors (a whole name, or a surname) or with these keywords (whole words of the title
# or abstract, accents and case aside) carry a ◉ in the list and say why in the abstract pane.
# authors = ["Geoffrey Hinton", "Gu"]
# keywords = ["diffusion", "state space"]
"##;

#[cfg(test)]
mod tests;
