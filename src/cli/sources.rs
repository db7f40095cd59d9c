//! The digests the command line names, read: a directory's, the library of fetched days or the
//! built-in digest when none is named; loaded whole for a command, or opened for the reader.

use std::path::PathBuf;

use super::{Failure, fetch, logging};
use crate::digest::{self, Source};
use crate::library::Library;
use crate::sanitize::{eprint, quote_path};
use crate::work::ToLoad;

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
        Err(e @ (Empty { .. } | NoPapers { .. } | NotText { .. } | Malformed { .. } | ApiError { .. }))
            if in_directory =>
        {
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
pub(super) fn load_with(
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

pub(super) fn warn_all(messages: &[String]) {
    for message in messages {
        log::warn!(target: "papers", "{message}");
        eprint(&format!("warning: {message}"));
    }
}
