//! The configuration's `[pdf]` (where `d` downloads papers from and to) and `[commands]` (programs `|` runs
//! on the selected paper).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// Where arXiv serves a paper's PDF: the id is added after a `/`.
pub const PDF_ENDPOINT: &str = "https://arxiv.org/pdf";

/// Downloading papers' PDFs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Pdf {
    /// The PDF of paper ID is at `{endpoint}/ID`.
    #[serde(deserialize_with = "super::endpoint")]
    pub endpoint: String,
    /// The folder PDFs go to; none: the user's download folder.
    pub dir: Option<PathBuf>,
    /// PDFs larger than this many megabytes are refused.
    #[serde(deserialize_with = "super::megabytes")]
    pub max_mb: u64,
    /// Seconds the whole body may take to come (connecting and the first answer go by `[fetch] timeout`).
    #[serde(deserialize_with = "super::timeout")]
    pub timeout: f64,
}

impl Default for Pdf {
    fn default() -> Self {
        Pdf { endpoint: PDF_ENDPOINT.to_string(), dir: None, max_mb: 100, timeout: 300.0 }
    }
}

impl Pdf {
    /// The folder PDFs go to: the one configured (`~/` is the home folder), else the user's download
    /// folder, else `Downloads` in the home folder, else the working directory.
    pub fn dir(&self) -> PathBuf {
        let user = directories::UserDirs::new();
        if let Some(dir) = &self.dir {
            return match (dir.strip_prefix("~"), &user) {
                (Ok(rest), Some(user)) => user.home_dir().join(rest),
                _ => dir.clone(),
            };
        }
        match user.as_ref().and_then(|u| u.download_dir()) {
            Some(dir) => dir.to_path_buf(),
            None => user.map_or_else(|| PathBuf::from("."), |u| u.home_dir().join("Downloads")),
        }
    }

    /// The URL of paper `id`'s PDF.
    pub fn url(&self, id: &str) -> String {
        format!("{}/{id}", self.endpoint.trim_end_matches('/'))
    }

    pub fn timeout(&self) -> Duration {
        super::seconds(self.timeout)
    }
}

/// What a command is given of the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Input {
    /// The title, a blank line, the abstract, on standard input.
    Abstract,
    /// The paper as `papers export --format json` writes one, on standard input.
    Json,
    /// Its BibTeX entry, on standard input.
    Bibtex,
    /// Its downloaded PDF's path as the last argument (downloaded first when needed); nothing on standard input.
    Pdf,
}

impl Input {
    /// Its name in the file.
    pub fn name(self) -> &'static str {
        match self {
            Input::Abstract => "abstract",
            Input::Json => "json",
            Input::Bibtex => "bibtex",
            Input::Pdf => "pdf",
        }
    }
}

/// A program `|` runs on the selected paper.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table such as { argv = [\"llm\", \"-s\", \"summarise\"], input = \"abstract\" }"
)]
pub struct PaperCommand {
    /// The program and its arguments, run as they are (no shell).
    #[serde(deserialize_with = "argv")]
    pub argv: Vec<String>,
    #[serde(default = "default_input")]
    pub input: Input,
    /// Seconds it may run before it is killed.
    #[serde(default = "default_timeout", deserialize_with = "super::timeout")]
    pub timeout: f64,
}

impl PaperCommand {
    pub fn timeout(&self) -> Duration {
        super::seconds(self.timeout)
    }
}

fn default_input() -> Input {
    Input::Abstract
}

fn default_timeout() -> f64 {
    60.0
}

/// A list that names a program first: an empty list or an empty program is refused where it is written.
fn argv<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let argv = Vec::<String>::deserialize(deserializer)?;
    match argv.first() {
        None => Err(serde::de::Error::custom(
            "`argv` is empty: give the program and its arguments, e.g. [\"llm\", \"-s\", \"summarise\"]",
        )),
        Some(program) if program.trim().is_empty() => {
            Err(serde::de::Error::custom("`argv` must start with a program, not an empty string"))
        }
        Some(_) => Ok(argv),
    }
}

/// `[commands]`: name → command, in name order.
pub type Commands = BTreeMap<String, PaperCommand>;

/// `[commands]`, each name one that can be typed at the `|` prompt as it is shown: no control or
/// invisible characters (a name with an escape sequence would be shown cleaned of it, and the name
/// shown would then not run), no space at either end, at most 64 characters.
pub(super) fn commands<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Commands, D::Error> {
    let commands = Commands::deserialize(deserializer)?;
    for name in commands.keys() {
        let typed = |c: char| c == ' ' || (!c.is_whitespace() && !c.is_control() && !crate::sanitize::is_unsafe(c));
        if name.trim() != name || name.is_empty() || name.chars().count() > 64 || !name.chars().all(typed) {
            return Err(serde::de::Error::custom(format!(
                "the command name {} cannot be typed at the | prompt: give one of letters, digits and signs, at most 64 characters",
                crate::sanitize::quote(name)
            )));
        }
    }
    Ok(commands)
}

/// `[pdf]` and `[commands]` as `papers config` prints the configuration in effect.
pub fn effective(pdf: &Pdf, commands: &Commands) -> String {
    let quoted = super::toml_string;
    let dir = pdf.dir();
    let mut out = format!(
        "\n[pdf]\n# d downloads endpoint/ID into dir.\nendpoint = {}\ndir = {}\n# PDFs larger than this many megabytes are refused.\nmax_mb = {}\n# Seconds a PDF may take to come.\ntimeout = {}\n",
        quoted(&pdf.endpoint),
        quoted(&dir.to_string_lossy()),
        pdf.max_mb,
        pdf.timeout
    );
    out.push_str("\n[commands]\n# What | runs on the selected paper, by name.\n");
    for (name, command) in commands {
        let argv: Vec<String> = command.argv.iter().map(|a| quoted(a)).collect();
        out.push_str(&format!(
            "{} = {{ argv = [{}], input = {}, timeout = {} }}\n",
            quoted(name),
            argv.join(", "),
            quoted(command.input.name()),
            command.timeout
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    #[test]
    fn commands_and_pdf_settings_parse() {
        let config = parse(
            "[pdf]\nendpoint = \"http://127.0.0.1:9/pdf/\"\ndir = \"papers\"\n\n[commands]\nsummary = { argv = [\"llm\", \"-s\", \"tl;dr\"] }\nread = { argv = [\"zathura\"], input = \"pdf\", timeout = 5 }\n",
        )
        .unwrap();
        assert_eq!(config.pdf.url("2403.09043"), "http://127.0.0.1:9/pdf/2403.09043");
        assert_eq!(config.pdf.dir(), PathBuf::from("papers"));
        let summary = &config.commands["summary"];
        assert_eq!(
            (summary.argv.len(), summary.input, summary.timeout()),
            (3, Input::Abstract, Duration::from_secs(60))
        );
        assert_eq!(config.commands["read"].input, Input::Pdf);
        assert_eq!(config.commands["read"].timeout(), Duration::from_secs(5));
    }

    #[test]
    fn what_a_terminal_would_hide_reads_back_as_written() {
        let text = "[commands]\n\"x\" = { argv = [\"echo\", \"\\u009b31m \\u202e \\u001b \\\"q\\\" \\\\ \\t\"] }\n";
        let config = parse(text).unwrap();
        let printed = effective(&config.pdf, &config.commands);
        // Printed with escapes only, so that printing it made safe changes nothing.
        assert_eq!(crate::sanitize::sanitize(&printed.replace('\n', " ")), printed.replace('\n', " "));
        assert_eq!(parse(&printed).unwrap().commands, config.commands);
    }

    #[test]
    fn the_settings_in_effect_read_back_as_the_same() {
        let text = "[pdf]\ndir = \"pdfs\"\n[commands]\n\"a b\" = { argv = [\"sh\", \"-c\", \"echo \\\"$1\\\"\"], input = \"json\" }\n";
        let config = parse(text).unwrap();
        let again = parse(&effective(&config.pdf, &config.commands)).unwrap();
        assert_eq!((again.pdf, again.commands), (config.pdf, config.commands));
    }

    #[test]
    fn a_bad_command_says_where() {
        let (at, why) = parse("[commands]\nx = { argv = [] }\n").unwrap_err();
        assert_eq!(at.map(|a| a.0), Some(2), "{why}");
        assert!(why.contains("`argv` is empty"), "{why}");
        let (at, why) = parse("[commands]\n\nx = { argv = [\"\"] }\n").unwrap_err();
        assert_eq!(at.map(|a| a.0), Some(3), "{why}");
        assert!(why.contains("must start with a program"), "{why}");
        let (at, why) = parse("[commands]\nx = { argv = [\"cat\"], input = \"html\" }\n").unwrap_err();
        assert_eq!(at.map(|a| a.0), Some(2), "{why}");
        assert!(why.contains("unknown variant `html`"), "{why}");
        let (at, why) = parse("[commands.x]\nargv = \"cat\"\n").unwrap_err();
        assert_eq!(at.map(|a| a.0), Some(2), "{why}");
        let (_, why) = parse("[commands.x]\nargv = [\"cat\"]\nstdin = \"json\"\n").unwrap_err();
        assert!(why.contains("unknown field `stdin`"), "{why}");
        // A name that could not be typed as it is shown: refused, shown safely.
        for name in ["\"\\u001b]0;X\\u0007evil\"", "\" x\"", "\"a\\tb\"", "\"a\\u202eb\"", "\"\""] {
            let (at, why) = parse(&format!("[commands]\n{name} = {{ argv = [\"echo\"] }}\n")).unwrap_err();
            assert!(at.is_some() && why.contains("cannot be typed at the | prompt"), "{name}: {why}");
            assert!(!why.contains('\u{1b}') && !why.contains('\u{202e}'), "{why}");
        }
        assert!(parse("[commands]\n\"sum-3.v2 ✓\" = { argv = [\"echo\"] }\n").is_ok());
    }
}
