//! The reader's settings from the configuration (theme and keys, `NO_COLOR`), and `papers config`, which
//! prints every setting in effect as a configuration file with comments.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use super::Failure;
use super::fetch::load_config;
use crate::action::bindings::NAMED;
use crate::action::{Bindings, Key};
use crate::config::theme::{ELEMENTS, colour_name};
use crate::config::{Config, Theme};

/// Whether `NO_COLOR` asks for no colour: set and not empty (https://no-color.org).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The theme and keys `config` (read from `file`) gives, and what in them could not be used.
pub fn looks(config: &Config, file: &Path) -> (Theme, Bindings, Vec<String>) {
    let shown = file.display().to_string();
    let mut warnings: Vec<String> = config.warnings.iter().map(|w| w.in_file(&shown)).collect();
    let (bindings, unbound) = Bindings::configured(&config.keys, &shown);
    warnings.extend(unbound);
    (Theme::from_settings(&config.theme, no_color()), bindings, warnings)
}

/// `papers config`: the configuration in effect, as TOML with a comment for each setting.
pub fn print(path: &Path) -> Result<ExitCode, Failure> {
    let config = load_config(path)?;
    let (theme, bindings, warnings) = looks(&config, path);
    for warning in &warnings {
        crate::sanitize::eprint(&format!("warning: {warning}"));
    }
    let text = effective(&config, &theme, &bindings, &path.display().to_string());
    // Line by line: the sanitiser takes line breaks out, and this is a file of lines.
    let lines: String = text.lines().map(|line| crate::sanitize::sanitize(line) + "\n").collect();
    super::output::to_stdout(|out| out.write_all(lines.as_bytes()))?;
    Ok(ExitCode::SUCCESS)
}

/// A TOML string.
fn quoted(text: &str) -> String {
    crate::config::toml_string(text)
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().map(|i| quoted(&i)).collect::<Vec<_>>().join(", "))
}

/// The configuration in effect as a file that gives it.
pub fn effective(config: &Config, theme: &Theme, bindings: &Bindings, file: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# The papers configuration in effect (from {file} and the defaults).");
    let _ = writeln!(out, "\n# Fetch the day's papers in the background every time the reader starts.");
    let _ = writeln!(out, "fetch_on_start = {}", config.fetch_on_start);
    let _ =
        writeln!(out, "# The papers the reader shows, and their order, when it starts (f and S change them there).");
    let _ = writeln!(out, "filter = {}\nsort = {}", quoted(config.filter.name()), quoted(config.sort.name()));
    let hf = &config.huggingface;
    let _ = writeln!(out, "\n[huggingface]\n# The Hugging Face daily papers.\nenabled = {}", hf.enabled);
    let _ = writeln!(out, "endpoint = {}", quoted(&hf.endpoint));
    let arxiv = &config.arxiv;
    let _ = writeln!(out, "\n[arxiv]\n# New listings of these arXiv categories.");
    let _ = writeln!(out, "categories = {}", list(arxiv.categories.iter().cloned()));
    let _ =
        writeln!(out, "rss_endpoint = {}\napi_endpoint = {}", quoted(&arxiv.rss_endpoint), quoted(&arxiv.api_endpoint));
    for search in &arxiv.searches {
        let _ =
            writeln!(out, "\n[[arxiv.searches]]\nname = {}\nquery = {}", quoted(&search.name), quoted(&search.query));
        let _ = writeln!(out, "max_results = {}", search.max_results);
    }
    let fetch = &config.fetch;
    let _ = writeln!(out, "\n[fetch]\n# Seconds to connect, and for an answer to come.\ntimeout = {}", fetch.timeout);
    let _ = writeln!(out, "# Tries after the first.\nretries = {}", fetch.retries);
    let _ = writeln!(out, "# Seconds before the first retry (doubled for each next one).\nbackoff = {}", fetch.backoff);
    let _ = writeln!(
        out,
        "# Answers larger than this many megabytes are refused.\nmax_answer_mb = {}",
        fetch.max_answer_mb
    );
    out.push_str(&crate::config::effective_tools(&config.pdf, &config.commands));

    let _ = writeln!(out, "\n[theme]");
    let _ = writeln!(out, "# dark (the terminal's colours), light (for a white background) or mono (no colour).");
    if no_color() {
        let _ = writeln!(out, "# NO_COLOR is set: mono, whatever the file says.");
    }
    let _ = writeln!(out, "preset = {}", quoted(theme.preset.name()));
    for (element, what) in ELEMENTS {
        match theme.colour(element) {
            Some(colour) => {
                let _ = writeln!(out, "# {what}\n{element} = {}", quoted(&colour_name(colour)));
            }
            None => {
                let _ = writeln!(out, "# {what} (no colour)\n# {element} = \"red\"");
            }
        }
    }

    let _ = writeln!(out, "\n[keys]\n# Each action and its keys in the list, in an open paper and in triage.");
    for (index, named) in NAMED.iter().enumerate() {
        let keys = bindings.keys_of(index).iter().map(Key::to_string).collect::<Vec<_>>();
        let _ = writeln!(out, "# {}\n{} = {}", named.doc, named.name, list(keys));
    }

    let _ =
        writeln!(out, "\n[searches]\n# Saved searches of the reader's search bar, on Alt-1 to Alt-9 and in Ctrl-P.");
    for saved in &config.saved_searches {
        let _ = writeln!(out, "{} = {}", quoted(&saved.name), quoted(&saved.query));
    }
    let watch = &config.watch;
    let _ = writeln!(out, "\n[watch]\n# Papers by these authors or with these keywords are marked in the list.");
    let _ = writeln!(out, "authors = {}", list(watch.authors().map(str::to_string)));
    let _ = writeln!(out, "keywords = {}", list(watch.keywords().map(str::to_string)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_configuration_reads_back_as_the_same() {
        let text = "[theme]\npreset = \"light\"\nstar = \"#ff0000\"\n[keys]\ntoggle_star = [\"x\"]\n[arxiv]\ncategories = [\"cs.LG\"]\n[searches]\n\"my rl\" = \"cat:cs.LG rl\"\n[watch]\nauthors = [\"Hinton\"]\n";
        let config = crate::config::parse(text).unwrap();
        let theme = Theme::from_settings(&config.theme, false);
        let (bindings, warnings) = Bindings::configured(&config.keys, "config.toml");
        assert!(warnings.is_empty(), "{warnings:?}");
        let printed = effective(&config, &theme, &bindings, "config.toml");
        assert!(printed.contains("toggle_star = [\"x\"]"), "{printed}");
        assert!(printed.contains("# star / unstar\n"), "{printed}");
        let again = crate::config::parse(&printed).unwrap_or_else(|e| panic!("{e:?}\n{printed}"));
        assert!(again.warnings.is_empty(), "{:?}", again.warnings);
        assert_eq!(Theme::from_settings(&again.theme, false), theme);
        assert_eq!(Bindings::configured(&again.keys, "config.toml").0.keys_of(15), bindings.keys_of(15));
        assert_eq!(again.arxiv, config.arxiv);
        let saved: Vec<(&str, &str)> =
            again.saved_searches.iter().map(|s| (s.name.as_str(), s.query.as_str())).collect();
        assert_eq!(saved, [("my rl", "cat:cs.LG rl")]);
        assert_eq!(again.watch, config.watch);
        // Every action is there, each key as it would be written.
        for named in NAMED {
            assert!(printed.contains(&format!("\n{} = [", named.name)), "{}", named.name);
        }
    }
}
