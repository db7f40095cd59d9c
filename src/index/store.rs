//! Where the index lives on disk, and opening it: created when missing, built again when damaged or of
//! another version, read-only while another process writes it.

use std::path::{Path, PathBuf};

use super::fields::{self, Fields};
use super::{FORMAT, Index};

/// The index's directory: `$XDG_CACHE_HOME/papers/index` on Linux (`~/.cache/papers/index`), the
/// platform's cache directory elsewhere.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "papers").map(|dirs| dirs.cache_dir().join("index"))
}

/// The file beside tantivy's that says which version of papers wrote the index.
pub(super) const MARKER: &str = "papers-index-format";

/// The file a search that found the index damaged leaves beside tantivy's (see `Index::guarded`), saying
/// what it found: the index is built again when next opened.
const DAMAGED: &str = "papers-index-damaged";

/// Marks the index in `dir` as damaged, for `why`.
pub(super) fn mark_damaged(dir: &Path, why: &str) -> std::io::Result<()> {
    std::fs::write(dir.join(DAMAGED), format!("{why}\n"))
}

/// Opens the index in `dir` (see `Index::open`).
pub(super) fn open(dir: &Path) -> Result<(Index, Option<String>), String> {
    let shown = dir.display();
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create the full-text index in {shown}: {e}"))?;
    let marker = std::fs::read_to_string(dir.join(MARKER)).ok();
    let has_index = dir.join("meta.json").exists();
    // What a search found, kept short: it is for the user.
    let damaged = crate::files::read_at_most(&dir.join(DAMAGED), 4096)
        .ok()
        .map(|why| crate::sanitize::message(String::from_utf8_lossy(&why).trim()));
    let rebuilt = match (has_index, marker.as_deref().map(str::trim)) {
        (false, _) => None,
        (true, _) if let Some(why) = damaged => {
            if writer_elsewhere(dir) {
                // Cleared under another papers that writes it, the index would be written by two, into
                // files gone: it is built again by the next papers that opens it alone.
                let message = format!(
                    "The full-text index was found damaged while searching ({why}); another papers process is \
                     writing it: it is built again once that one is done"
                );
                return match read(dir) {
                    Ok(index) => Ok(writable(with_dir(index, dir), Some(message))),
                    Err(e) => Err(format!("{message}; it cannot be read meanwhile: {}", for_users(&e))),
                };
            }
            Some(format!("The full-text index was found damaged while searching ({why}); it is built again"))
        }
        (true, Some(format)) if format == FORMAT.to_string() => match read(dir) {
            Ok(index) => return Ok(writable(with_dir(index, dir), None)),
            Err(why) => Some(format!("The full-text index was damaged ({}); it is built again", for_users(&why))),
        },
        (true, _) => Some("The full-text index is of another version of papers; it is built again".to_string()),
    };
    if has_index || dir.join(DAMAGED).exists() {
        // Never under another papers that writes it (one of another version, or one whose merge the
        // read above met halfway): two would write the index, into files gone.
        if let Some(rebuilt) = rebuilt.as_deref().filter(|_| writer_elsewhere(dir)) {
            return Err(format!(
                "{}; another papers process is writing it now: it is built again once that one is done",
                rebuilt.trim_end_matches("; it is built again")
            ));
        }
        clear(dir).map_err(|e| format!("cannot clear the full-text index in {shown}: {e}"))?;
    }
    let index = create(dir).map_err(|e| format!("cannot create the full-text index in {shown}: {e}"))?;
    Ok(writable(with_dir(index, dir), rebuilt))
}

fn with_dir(mut index: Index, dir: &Path) -> Index {
    index.dir = Some(dir.to_path_buf());
    index
}

/// Tantivy's account of why an index cannot be opened, without its advice to the programs that use it
/// ("Please use tantivy 0.15 or above to recreate the index"), which tells a reader nothing.
fn for_users(why: &str) -> String {
    let kept: Vec<&str> = why.split_inclusive(". ").filter(|s| !s.to_lowercase().contains("tantivy")).collect();
    let kept = kept.concat();
    let kept = kept.trim_end().trim_end_matches('.');
    match kept {
        "" => why.to_string(),
        // The sentences left out ended a quotation ("An IO error occurred: 'Footer …'").
        _ if kept.matches('\'').count() % 2 == 1 => format!("{kept}'"),
        _ => kept.to_string(),
    }
}

/// True when another process holds the index's writer lock in `dir`.
fn writer_elsewhere(dir: &Path) -> bool {
    use tantivy::directory::error::LockError;
    use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};
    let Ok(directory) = MmapDirectory::open(dir) else { return false };
    // Taken and given back at once when free.
    matches!(directory.acquire_lock(&INDEX_WRITER_LOCK), Err(LockError::LockBusy))
}

/// Takes the writer when it can; when not, the index serves searches and the message says why.
fn writable(mut index: Index, message: Option<String>) -> (Index, Option<String>) {
    match index.take_writer() {
        Ok(()) => (index, message),
        Err(why) => {
            let message = match message {
                Some(first) => format!("{first}; {why}"),
                None => format!("{why}: new papers are searched once it is done"),
            };
            (index, Some(message))
        }
    }
}

fn read(dir: &Path) -> Result<Index, String> {
    let mut index = tantivy::Index::open_in_dir(dir).map_err(|e| e.to_string())?;
    let fields = Fields::of(&index.schema()).ok_or("its fields are not those papers writes")?;
    index.set_tokenizers(fields::tokenizers());
    Index::from_parts(index, fields)
}

fn create(dir: &Path) -> Result<Index, String> {
    let (schema, fields) = Fields::schema();
    let mut index = tantivy::Index::create_in_dir(dir, schema).map_err(|e| e.to_string())?;
    index.set_tokenizers(fields::tokenizers());
    // Written after tantivy's files: a crash between the two leaves an index without the marker, which
    // is built again.
    write_marker(dir).map_err(|e| e.to_string())?;
    Index::from_parts(index, fields)
}

fn write_marker(dir: &Path) -> std::io::Result<()> {
    let temporary = dir.join(format!(".{MARKER}.{}", std::process::id()));
    std::fs::write(&temporary, format!("{FORMAT}\n"))?;
    std::fs::rename(&temporary, dir.join(MARKER))
}

/// Removes the index's files (the directory is the index's alone), keeping the directory.
fn clear(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() { std::fs::remove_dir_all(&path)? } else { std::fs::remove_file(&path)? }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn tantivys_advice_to_programs_is_left_out_of_what_users_read() {
        let footer = "Footer magic byte mismatch. File corrupted or index was created using old an tantivy version which is not supported anymore. Please use tantivy 0.15 or above to recreate the index.";
        assert_eq!(super::for_users(footer), "Footer magic byte mismatch");
        let wrapped = format!("An IO error occurred: '{footer}'");
        assert_eq!(super::for_users(&wrapped), "An IO error occurred: 'Footer magic byte mismatch'");
        assert_eq!(super::for_users("meta.json is not JSON"), "meta.json is not JSON");
        assert_eq!(super::for_users("tantivy failed."), "tantivy failed.");
    }
}
