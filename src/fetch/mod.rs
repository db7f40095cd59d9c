//! Fetching the day's papers from the configured sources and keeping them in the library on disk. Every
//! answer is read with the digest readers before it is kept, so a bad answer (HTML, a cut-off body, an
//! error page) never takes the place of a good stored day.

pub mod http;
pub mod pdf;
pub mod store;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crate::config::{Config, Fetching, Source};
use crate::digest::{self, detect::Format};
use crate::library::{Day, PaperKey};

use http::{Answer, Client};

/// What became of one day of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub source: String,
    /// The day it is kept under, when known.
    pub day: Option<String>,
    pub result: Result<Got, String>,
}

/// What an answer gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Got {
    /// Kept at `path`: `papers` in all, `new` of them not in what was kept for that day before; `missing`
    /// papers kept for that day are not in it (and stay kept: see `Fetcher::keep`).
    Kept { path: PathBuf, papers: usize, new: usize, missing: usize },
    /// The server said nothing changed since the last answer (304).
    NotModified,
    /// The server had no papers (a day without an announcement): nothing kept.
    NoPapers,
}

/// What a fetch says while it runs.
#[derive(Debug, Clone)]
pub enum Event {
    /// A request to `source` is going out, for `what` (a day, a category).
    Asking {
        source: String,
        what: String,
    },
    /// A request to `source` failed and is tried again after `pause`: `why` (what it answered, and the
    /// wait it asked for).
    Waiting {
        source: String,
        why: String,
        pause: std::time::Duration,
    },
    Done(Outcome),
}

/// The sources of a configuration, and the library their days are kept in.
#[derive(Debug, Clone)]
pub struct Fetcher {
    sources: Vec<Source>,
    settings: Fetching,
    library: PathBuf,
}

impl Fetcher {
    /// `hf_endpoint`: `HF_ENDPOINT` from the environment, which wins over the configuration.
    pub fn new(config: &Config, hf_endpoint: Option<&str>, library: PathBuf) -> Self {
        Fetcher { sources: config.sources(hf_endpoint), settings: config.fetch.clone(), library }
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    pub fn library(&self) -> &Path {
        &self.library
    }

    /// The sources named (all of them when none is); an unknown name is an error that lists the known ones.
    pub fn select(&self, names: &[String]) -> Result<Vec<Source>, String> {
        if names.is_empty() {
            return Ok(self.sources.clone());
        }
        names
            .iter()
            .map(|name| {
                self.sources.iter().find(|s| s.name() == *name).cloned().ok_or_else(|| {
                    let known: Vec<String> = self.sources.iter().map(Source::name).collect();
                    format!("no source is called `{name}`; the configured ones are: {}", known.join(", "))
                })
            })
            .collect()
    }

    /// Fetches `sources` at once, each on a thread of its own: Hugging Face for each of `days`, the
    /// others their newest papers. `events` hears of each request and outcome as they happen, on the
    /// calling thread. Returns every outcome, in the order of the sources.
    pub fn fetch(&self, sources: &[Source], days: &[Day], events: &mut dyn FnMut(Event)) -> Vec<Outcome> {
        let left = store::remove_leftovers(&self.library, false);
        if left > 0 {
            log::info!("removed {left} unfinished answers that fetches which did not end left in the library");
        }
        let client = Client::new(&self.settings);
        let (send, receive) = mpsc::channel();
        let mut outcomes: Vec<Vec<Outcome>> = vec![Vec::new(); sources.len()];
        std::thread::scope(|scope| {
            for (n, source) in sources.iter().enumerate() {
                let (thread_send, client) = (send.clone(), client.clone());
                let job = move || {
                    let tell = |event: Event| {
                        let _ = thread_send.send((n, event));
                    };
                    self.fetch_source(&client, source, days, &tell);
                };
                let started =
                    std::thread::Builder::new().name(format!("fetch {}", source.name())).spawn_scoped(scope, job);
                if let Err(e) = started {
                    let result = Err(format!("cannot start a thread to fetch it: {e}"));
                    let _ = send.send((n, Event::Done(Outcome { source: source.name(), day: None, result })));
                }
            }
            drop(send);
            for (n, event) in receive {
                if let Event::Done(outcome) = &event {
                    outcomes[n].push(outcome.clone());
                }
                events(event);
            }
        });
        outcomes.into_iter().flatten().collect()
    }

    fn fetch_source(&self, client: &Client, source: &Source, days: &[Day], tell: &dyn Fn(Event)) {
        let name = source.name();
        let requests: Vec<(String, Option<Day>, Format, bool)> = match source {
            Source::HuggingFace { endpoint } => days
                .iter()
                .map(|day| (format!("{endpoint}/api/daily_papers?date={day}"), Some(*day), Format::HfJson, false))
                .collect(),
            Source::Listing { category, endpoint } => {
                vec![(format!("{endpoint}/{category}"), None, Format::Feed, false)]
            }
            Source::Search { query, max_results, endpoint, .. } => vec![(
                format!(
                    "{endpoint}?search_query={}&sortBy=submittedDate&sortOrder=descending&max_results={max_results}",
                    percent_encode(query)
                ),
                None,
                Format::Feed,
                true,
            )],
        };
        let known = store::validators(&self.library, &name);
        // A condition is asked only while what it stands for is kept: a day removed from the library
        // (or a source's every day) is fetched whole again, not answered "not modified".
        let kept_any = std::fs::read_dir(self.library.join(&name))
            .is_ok_and(|files| files.flatten().any(|f| !f.file_name().to_string_lossy().starts_with('.')));
        for (url, day, format, api) in requests {
            let what = day.map_or_else(|| "the newest papers".to_string(), |d| d.to_string());
            tell(Event::Asking { source: name.clone(), what: what.clone() });
            let extension = if format == Format::HfJson { "json" } else { "xml" };
            let still_kept = match day {
                Some(day) => store::day_path(&self.library, &name, &day.to_string(), extension).is_file(),
                None => kept_any,
            };
            let condition = known.get(&url).filter(|_| still_kept);
            let mut waiting = |wait: http::Wait<'_>| match wait {
                Some((why, pause)) => tell(Event::Waiting { source: name.clone(), why: why.to_string(), pause }),
                None => tell(Event::Asking { source: name.clone(), what: what.clone() }),
            };
            let result = client.get(&url, condition, api, &mut waiting).and_then(|answer| match answer {
                Answer::NotModified if condition.is_none() => Err(format!(
                    "{url} answered 304 Not Modified to a request that asked for nothing kept; nothing kept"
                )),
                Answer::NotModified => Ok((day, Got::NotModified)),
                Answer::Body { bytes, validators } => {
                    let kept = self.keep(&name, &url, day, format, &bytes)?;
                    store::keep_validators(&self.library, &name, &url, &validators);
                    Ok(kept)
                }
            });
            let outcome = match result {
                Ok((day, got)) => Outcome { source: name.clone(), day: day.map(|d| d.to_string()), result: Ok(got) },
                Err(why) => Outcome { source: name.clone(), day: day.map(|d| d.to_string()), result: Err(why) },
            };
            tell(Event::Done(outcome));
        }
    }

    /// Reads an answer as `format`, and keeps it when it holds papers: under `day`, else under the newest
    /// day of its papers, else today. The error says what was wrong with it.
    fn keep(
        &self,
        source: &str,
        url: &str,
        day: Option<Day>,
        format: Format,
        bytes: &[u8],
    ) -> Result<(Option<Day>, Got), String> {
        let found = digest::detect::detect(bytes);
        if found != format {
            let what = match bytes.trim_ascii_start().first() {
                None => "nothing (an empty body)",
                Some(b'<') => "HTML or other markup",
                Some(b'[' | b'{') if found == Format::Text => "JSON of another shape",
                _ => found.name(),
            };
            return Err(format!("{url} answered with {what}, not {}; nothing kept", format.name()));
        }
        let parsed = match digest::parse_text(url, bytes) {
            Ok(parsed) => parsed,
            Err(digest::DigestError::NoPapers { .. }) => return Ok((day, Got::NoPapers)),
            // The request itself was wrong: asking again later gets the same answer.
            Err(e @ digest::DigestError::ApiError { .. }) => {
                return Err(format!("{}; nothing kept (check the source's query in the configuration)", e.of_answer()));
            }
            Err(e) => return Err(format!("{}; nothing kept (fetch again later)", e.of_answer())),
        };
        let day = day.or_else(|| parsed.papers().filter_map(|p| p.last_day()).max()).unwrap_or_else(Day::today);
        let (date, extension) = (day.to_string(), if format == Format::HfJson { "json" } else { "xml" });
        // What is kept of the day: its file, and answers kept beside it; a file that cannot be read
        // is never taken for one whose papers are all in this answer.
        let kept: Vec<(PathBuf, Option<HashSet<PaperKey>>)> = store::day_files(&self.library, source, &date, extension)
            .into_iter()
            .map(|file| {
                let keys = digest::load(&digest::Source::File(file.clone()))
                    .ok()
                    .map(|old| old.papers().map(|p| p.key()).collect());
                (file, keys)
            })
            .collect();
        let now: HashSet<PaperKey> = parsed.papers().map(|p| p.key()).collect();
        let before: HashSet<&PaperKey> = kept.iter().filter_map(|(_, keys)| keys.as_ref()).flatten().collect();
        let new = now.iter().filter(|key| !before.contains(key)).count();
        let missing = before.iter().filter(|key| !now.contains(**key)).count();
        // An answer that leaves out papers kept of its day (a list that shrank, a server that lost
        // some) is kept beside what was kept, not over it: a paper once fetched stays in the library.
        let path = match missing {
            0 => store::day_path(&self.library, source, &date, extension),
            _ => store::beside_path(&self.library, source, &date, extension),
        };
        store::write_atomic(&path, bytes).map_err(|e| format!("cannot keep {}: {e}", path.display()))?;
        // The day's other files whose every paper this answer has are not needed any more.
        for (file, keys) in &kept {
            if *file != path && keys.as_ref().is_some_and(|keys| keys.iter().all(|key| now.contains(key))) {
                let _ = std::fs::remove_file(file);
            }
        }
        Ok((Some(day), Got::Kept { path, papers: now.len(), new, missing }))
    }
}

/// `text` as a URL query value: everything but unreserved characters percent-encoded.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One line for people about an outcome: `huggingface 2024-03-14: 12 papers, 3 new`.
pub fn describe(outcome: &Outcome) -> String {
    let place = match &outcome.day {
        Some(day) => format!("{} {day}", outcome.source),
        None => outcome.source.clone(),
    };
    match &outcome.result {
        Ok(Got::Kept { papers, new, missing: 0, .. }) => format!("{place}: {papers} papers, {new} new"),
        Ok(Got::Kept { papers, new, missing, .. }) => {
            format!("{place}: {papers} papers, {new} new; {missing} kept before are not in it, and stay kept")
        }
        Ok(Got::NotModified) => format!("{place}: not modified"),
        Ok(Got::NoPapers) => format!("{place}: no papers"),
        Err(why) => format!("{place}: failed: {why}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_percent_encoded() {
        assert_eq!(percent_encode("cat:cs.CL AND ti:retrieval"), "cat%3Acs.CL%20AND%20ti%3Aretrieval");
        assert_eq!(percent_encode("ü&="), "%C3%BC%26%3D");
    }

    #[test]
    fn unknown_source_names_are_refused_with_the_known_ones() {
        let fetcher = Fetcher::new(&Config::default(), None, PathBuf::from("lib"));
        assert_eq!(fetcher.select(&[]).unwrap().len(), 1);
        let error = fetcher.select(&["arxiv-cs.XX".to_string()]).unwrap_err();
        assert!(error.contains("`arxiv-cs.XX`") && error.contains("huggingface"), "{error}");
    }
}
