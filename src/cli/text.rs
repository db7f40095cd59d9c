//! The full-text index from the command line: `list --text` and `export --text` pick papers by what they
//! say, `papers similar` prints the papers most like one.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::Failure;
use super::sources::{load, warn_all};
use crate::index::{Batch, Hit, Index, OwnedDoc, TextQuery};
use crate::library::{Library, PaperKey};

#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// The paper: its arXiv identifier (2403.09043, arXiv:2403.09043v2) or its title (as shown, or the
    /// start of it, ignoring case and punctuation).
    #[arg(value_name = "ID|TITLE")]
    pub paper: String,
    /// Digests to read (files, directories, `-`); with none, the library of fetched days (the built-in
    /// digest when it is empty).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// How many papers to print.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub limit: usize,
}

/// How the index's message ends when another papers holds its writer and nothing else was wrong.
const LOCK_ONLY: &str = ": new papers are searched once it is done";

/// The full-text index with every paper of `library` in it: the one in the cache directory, brought up
/// to date; in memory, when that cannot be opened. Papers that cannot be indexed (another papers process is
/// writing the index) are said on standard error, and not searched.
fn indexed(library: &Library, merged: &[(usize, OwnedDoc)]) -> Result<Index, Failure> {
    let opened = match crate::index::default_dir() {
        Some(dir) => Index::open(&dir),
        None => Err("there is no cache directory".to_string()),
    };
    // Said once it is known whether it matters: that another papers holds the writer says nothing when
    // every paper is indexed already.
    let mut said = None;
    let mut index = match opened {
        Ok((index, message)) => {
            said = message;
            index
        }
        Err(why) => {
            warn_all(&[format!("{why}; the full-text index is made in memory for this command")]);
            Index::in_memory().map_err(Failure::runtime)?
        }
    };
    let batch = Batch { chunks: library.chunks_from(0), merged: merged.to_vec() };
    let (mut missing, mut why) = (0usize, None);
    let started = std::time::Instant::now();
    let mut told = false;
    for part in batch.split() {
        part.for_each(|doc| {
            if let Err(e) = index.take_one(&doc) {
                missing += 1;
                why.get_or_insert(e);
            }
        });
        if !told && started.elapsed().as_secs() >= 1 && index.uncommitted() > 0 {
            told = true;
            warn_all(&["indexing the papers for full-text search (once: the index is kept)…".to_string()]);
        }
    }
    if let Err(e) = index.commit() {
        missing += index.uncommitted();
        why.get_or_insert(e);
    }
    let held_elsewhere = !index.writable() && said.as_deref().is_some_and(|m| m.ends_with(LOCK_ONLY));
    // Another papers holding the writer is said once, below, as the reason papers are not searched.
    if let Some(said) = said.filter(|_| !held_elsewhere) {
        warn_all(&[said]);
    }
    if let Some(why) = why {
        let papers = if missing == 1 { "1 paper is".to_string() } else { format!("{missing} papers are") };
        warn_all(&[format!("{papers} not in the full-text index, and not searched: {why}")]);
    }
    Ok(index)
}

/// `ask` of the full-text index with every paper of `library` in it (see `indexed`). When it finds the
/// index damaged (files that went bad after it was opened), the index is built again, and asked once
/// more: the command answers rather than fail until the reader next opens the index.
fn with_index<T>(library: &mut Library, mut ask: impl FnMut(&mut Index) -> Result<T, String>) -> Result<T, Failure> {
    let merged: Vec<(usize, OwnedDoc)> =
        library.take_touched().into_iter().map(|i| (i, OwnedDoc::of(&library.get(i)))).collect();
    let mut index = indexed(library, &merged)?;
    match ask(&mut index) {
        // The index opened again says what was found and what is done about it.
        Err(why) if why.starts_with(crate::index::DAMAGED) => {
            drop(index);
            let mut index = indexed(library, &merged)?;
            ask(&mut index).map_err(Failure::runtime)
        }
        answer => answer.map_err(Failure::runtime),
    }
}

/// The papers of `library` that match `query`, best first (indices), once each.
pub fn search(library: &mut Library, option: &str, query: &str) -> Result<Vec<usize>, Failure> {
    let query = TextQuery::new(query);
    if query.is_empty() {
        return Err(Failure::input(format!(
            "{option}: give a word to look for (a query of exclusions alone finds nothing)"
        )));
    }
    let most = library.len();
    let hits = with_index(library, |index| index.search(&query, most))?;
    Ok(in_library(library, &hits).into_iter().map(|(i, _)| i).collect())
}

/// The papers of `library` for `hits`, in order, once each; those gone from it are left out.
fn in_library(library: &Library, hits: &[Hit]) -> Vec<(usize, f32)> {
    let mut seen = std::collections::HashSet::new();
    hits.iter().filter_map(|h| Some((library.find_hash(h.key)?, h.score))).filter(|(i, _)| seen.insert(*i)).collect()
}

/// `papers similar`: the papers most like one, with how alike each is.
pub fn similar(args: &SimilarArgs) -> Result<ExitCode, Failure> {
    let mut library = load(&args.files)?;
    let Some(i) = find(&library, &args.paper) else {
        return Err(Failure::input(format!(
            "no paper “{}” in the papers read; give its arXiv id or title as `papers list` shows it",
            args.paper
        )));
    };
    let limit = args.limit.saturating_mul(2).max(1);
    let doc = OwnedDoc::of(&library.get(i));
    let hits = with_index(&mut library, |index| index.similar(&doc.doc(), limit))?;
    let paper = library.get(i);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut written = writeln!(out, "Papers like “{}”:", paper.title());
    for (j, alike) in in_library(&library, &hits).into_iter().filter(|&(j, _)| j != i).take(args.limit) {
        let other = library.get(j);
        let id = other.arxiv_id().map(|id| format!("  arXiv:{id}")).unwrap_or_default();
        written = written.and_then(|()| writeln!(out, "{:>4.0}%  {}{id}", alike * 100.0, other.title()));
    }
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Failure::runtime(format!("cannot write the list: {e}"))),
    }
}

/// The paper `what` names: an arXiv identifier (with or without `arXiv:` and a version), a title, or
/// the start of one (the first paper in library order).
fn find(library: &Library, what: &str) -> Option<usize> {
    let trimmed = what.trim();
    let id = trimmed.strip_prefix("arXiv:").or_else(|| trimmed.strip_prefix("arxiv:")).unwrap_or(trimmed);
    let id = match id.rsplit_once('v') {
        Some((base, version)) if !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => id,
    };
    if let Some(i) = library.find(&PaperKey::from_arxiv_id(id)) {
        return Some(i);
    }
    let key = PaperKey::from_title(trimmed);
    if let Some(i) = library.find(&key) {
        return Some(i);
    }
    let start = key.as_str();
    library.papers().position(|p| p.title_key().as_str().starts_with(start) && start.len() > "title:".len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paper_is_found_by_id_title_or_the_start_of_its_title() {
        let library = Library::from_papers([("A Survey of Mamba", "x"), ("Mamba YOLO: SSMs-Based YOLO", "y")]);
        assert_eq!(find(&library, "a survey of mamba"), Some(0));
        assert_eq!(find(&library, "Mamba YOLO"), Some(1));
        assert_eq!(find(&library, "nothing like it"), None);
        assert_eq!(find(&library, "  "), None);
    }
}
