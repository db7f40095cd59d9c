//! `papers list`: the papers a command picks (`--search`, `--starred`, `--unread`, `--tag`, `--text`),
//! printed a title a line or as JSON.

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::sources::{load_with, warn_all};
use super::{Failure, ListArgs, PickArgs, text, watched};
use crate::app::TEXT_PREFIX;
use crate::digest;
use crate::library::Library;
use crate::search::{Query, Within};
use crate::state::{self, Filter, MarkSet, Store};

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
pub(super) struct Picked {
    pub(super) library: Library,
    pub(super) marks: MarkSet,
    pub(super) store: Store,
    pub(super) indices: Vec<usize>,
}

/// `abstracts`: false when the command shows titles alone, which spares reading a large digest into memory.
pub(super) fn pick(args: &PickArgs, state_path: &std::path::Path, abstracts: bool) -> Result<Picked, Failure> {
    let (starred, unread) = (args.starred, args.unread);
    // A search that starts with `?` is the full-text search, as in the reader's search bar: `--text`
    // with the rest (not a title holding a question mark, which found nothing and said nothing).
    let asked_text = args.search.as_deref().and_then(|s| s.trim_start().strip_prefix(TEXT_PREFIX));
    let (search, text) = match asked_text {
        Some(text) => (None, Some(("--search ?", text))),
        None => (args.search.as_deref(), args.text.as_deref().map(|text| ("--text", text))),
    };
    let query = Query::parse(search.unwrap_or("")).map_err(|why| Failure::input(format!("--search: {why}")))?;
    // The full-text index and `abstract:` need the abstracts.
    let abstracts = abstracts || text.is_some() || query.needs_abstracts();
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
    let (store, notices) = Store::open_to_read(state_path);
    warn_all(&notices);
    let filter = match (starred, unread) {
        (false, false) => Filter::All,
        (true, _) => Filter::Starred,
        (false, true) => Filter::Unread,
    };
    let marks = MarkSet::from_ledger(store.ledger());
    let never = AtomicBool::new(false);
    let ranked: Vec<usize> = match text {
        Some((option, text)) => text::search(&mut library, option, text)?
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

pub(super) fn list(
    args: &ListArgs,
    state_path: &std::path::Path,
    config: &std::path::Path,
) -> Result<ExitCode, Failure> {
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
