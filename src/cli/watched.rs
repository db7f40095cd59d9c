//! `papers list --watched`: only the papers the configuration's `[watch]` list marks.

use std::path::Path;

use super::Failure;
use crate::library::Library;

/// The papers of `indices` (in their order) that the watch list of the configuration at `config` marks.
/// No watch list is an error: the list would be empty for no reason the user could see.
pub fn keep(config: &Path, library: &Library, indices: Vec<usize>) -> Result<Vec<usize>, Failure> {
    let settings = super::fetch::load_config(config)?;
    for warning in &settings.warnings {
        crate::sanitize::eprint(&format!("warning: {}", warning.in_file(&config.display().to_string())));
    }
    if settings.watch.is_empty() {
        return Err(Failure::input(format!(
            "--watched: {} has no [watch] list (authors = [...], keywords = [...]); `papers fetch --init` shows one",
            crate::sanitize::quote_path(config)
        )));
    }
    Ok(indices
        .into_iter()
        .filter(|&i| {
            let paper = library.get(i);
            let authors = paper.meta().map_or(&[][..], |m| m.authors.as_slice());
            !settings.watch.matches(paper.title(), paper.abstract_text(), authors).is_empty()
        })
        .collect())
}
