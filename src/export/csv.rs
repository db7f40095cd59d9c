//! CSV: one row per paper under a header row.

use std::borrow::Borrow;
use std::io::{self, Write};

use super::Entry;

/// The CSV columns, in order.
const CSV_HEADER: [&str; 13] = [
    "title",
    "authors",
    "arxiv_id",
    "categories",
    "upvotes",
    "published",
    "days",
    "url",
    "code",
    "project",
    "starred",
    "read",
    "abstract",
];

/// One row per entry. Authors and days are joined with "; ", categories with a space, so an author or day
/// containing ";" (or a category containing a space) does not survive `read_csv`.
///
/// Cells are written as the text is, so that the file reads back exactly: a title from a feed that starts
/// with `=`, `+`, `-` or `@` is not defused for spreadsheets that run such cells as formulas (open the file
/// as text/CSV data, as LibreOffice's import dialog offers, rather than by double-click).
/// The writer's error as the write's own: a reader gone away (`| head`) is still a broken pipe, which
/// the command line takes for no failure, not an error of another kind.
fn io_error(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}

pub(super) fn write_csv<E: Borrow<Entry>>(entries: impl IntoIterator<Item = E>, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER).map_err(io_error)?;
    for entry in entries {
        let entry = entry.borrow();
        let optional = |value: &Option<String>| value.clone().unwrap_or_default();
        writer
            .write_record([
                entry.title.clone(),
                entry.authors.join("; "),
                optional(&entry.arxiv_id),
                entry.categories.join(" "),
                entry.upvotes.map(|n| n.to_string()).unwrap_or_default(),
                optional(&entry.published),
                entry.days.join("; "),
                optional(&entry.url),
                optional(&entry.code),
                optional(&entry.project),
                entry.starred.to_string(),
                entry.read.to_string(),
                entry.abstract_text.clone(),
            ])
            .map_err(io_error)?;
    }
    writer.flush()
}
