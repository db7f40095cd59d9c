//! The library on disk: every day fetched, kept as the server sent it under
//! `$XDG_DATA_HOME/papers/digests/<source>/<date>.<ext>`, with what the server said about it (its
//! validators) beside, for the next conditional request.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::http::Validators;

/// The default library: `digests` in the user's data directory.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "papers").map(|dirs| dirs.data_dir().join("digests"))
}

/// The file of `source`'s papers of `date` (`2024-03-14`), with the extension of its format.
pub fn day_path(library: &Path, source: &str, date: &str, extension: &str) -> PathBuf {
    library.join(source).join(format!("{date}.{extension}"))
}

/// The files kept of `source`'s day `date` with `extension`, those there: `<date>.<ext>`, and answers
/// kept beside it, `<date>.<n>.<ext>` (see `beside_path`); symbolic links and special files left out.
pub fn day_files(library: &Path, source: &str, date: &str, extension: &str) -> Vec<PathBuf> {
    let Ok(files) = std::fs::read_dir(library.join(source)) else { return Vec::new() };
    let mut found: Vec<PathBuf> = files
        .flatten()
        .filter(|file| {
            let name = file.file_name().to_string_lossy().into_owned();
            let middle = name.strip_prefix(date).and_then(|rest| rest.strip_prefix('.')?.strip_suffix(extension));
            let numbered = |middle: &str| {
                middle.strip_suffix('.').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            };
            middle.is_some_and(|middle| middle.is_empty() || numbered(middle))
                && file.file_type().is_ok_and(|kind| kind.is_file())
        })
        .map(|file| file.path())
        .collect();
    found.sort();
    found
}

/// Where an answer for `source`'s day `date` is kept beside the files of that day: `<date>.<n>.<ext>`,
/// the first `n` from 1 that names nothing.
pub fn beside_path(library: &Path, source: &str, date: &str, extension: &str) -> PathBuf {
    let at = |n: u32| library.join(source).join(format!("{date}.{n}.{extension}"));
    (1..u32::MAX).map(at).find(|path| path.symlink_metadata().is_err()).unwrap_or_else(|| at(u32::MAX))
}

/// Every stored day in `library`, newest first (then by source), so that a reader that shows the first
/// files first shows today's papers first. Hidden files and what is not named `YYYY-MM-DD.ext` are left out.
pub fn stored(library: &Path) -> Vec<PathBuf> {
    let Ok(sources) = std::fs::read_dir(library) else { return Vec::new() };
    let mut days: Vec<(String, String, Option<std::time::SystemTime>, PathBuf)> = Vec::new();
    for source in sources.flatten() {
        let name = source.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !source.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let Ok(files) = std::fs::read_dir(source.path()) else { continue };
        for file in files.flatten() {
            let file_name = file.file_name().to_string_lossy().into_owned();
            let Some((date, _)) = file_name.split_once('.') else { continue };
            if crate::library::Day::parse_iso(date).is_some() && date.len() == 10 && file.path().is_file() {
                let written = file.metadata().and_then(|m| m.modified()).ok();
                days.push((date.to_string(), name.clone(), written, file.path()));
            }
        }
    }
    // A day's answers of a source (see `day_files`), the last written first: the reader takes a paper's
    // title and abstract from the first copy it reads.
    days.sort_by(|a, b| {
        b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)).then_with(|| b.2.cmp(&a.2)).then_with(|| a.3.cmp(&b.3))
    });
    days.into_iter().map(|(_, _, _, path)| path).collect()
}

/// Where a source's validators are kept: a hidden file in its folder, by URL.
fn validators_path(library: &Path, source: &str) -> PathBuf {
    library.join(source).join(".validators.json")
}

/// The most of a source's validators read: some hundred bytes a URL, far more than years of days.
const VALIDATORS_MOST: u64 = 16 << 20;

/// What the server said last time about each URL of `source`. Read only from a regular file, and only
/// so much (a FIFO put there held the fetch for ever; `/dev/zero` would fill the memory).
pub fn validators(library: &Path, source: &str) -> BTreeMap<String, Validators> {
    use std::io::Read;
    let opened = crate::files::open_regular(&validators_path(library, source), std::fs::File::options().read(true));
    let Ok(file) = opened else { return BTreeMap::new() };
    let mut bytes = Vec::new();
    if file.take(VALIDATORS_MOST + 1).read_to_end(&mut bytes).is_err() || bytes.len() as u64 > VALIDATORS_MOST {
        return BTreeMap::new();
    }
    serde_json::from_slice(&bytes).unwrap_or_default()
}

/// Keeps what the server said about `url`, for the next request. A failure only costs that request its
/// condition, so it is not reported.
pub fn keep_validators(library: &Path, source: &str, url: &str, known: &Validators) {
    let mut all = validators(library, source);
    all.insert(url.to_string(), known.clone());
    if let Ok(json) = serde_json::to_vec_pretty(&all) {
        let _ = write_atomic(&validators_path(library, source), &json);
    }
}

/// Removes what `write_atomic` left in the folders of `library`'s sources when the process writing stopped
/// before renaming it (a fetch killed mid-answer): the files of processes that are gone, and with `own`,
/// this process's too (a fetch stopped by a signal, its writes abandoned). A live process's stay, and so
/// does anything else. How many were removed.
pub fn remove_leftovers(library: &Path, own: bool) -> usize {
    let Ok(sources) = std::fs::read_dir(library) else { return 0 };
    let mut removed = 0;
    for source in sources.flatten().filter(|s| s.file_type().is_ok_and(|kind| kind.is_dir())) {
        let Ok(files) = std::fs::read_dir(source.path()) else { continue };
        for file in files.flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            let pid = name.strip_prefix('.').and_then(|rest| rest.rsplit_once(".tmp-")).map(|(_, pid)| pid);
            let Some(pid) =
                pid.and_then(|pid| pid.parse::<u32>().ok().filter(|_| pid.bytes().all(|b| b.is_ascii_digit())))
            else {
                continue;
            };
            let mine = pid == std::process::id();
            let leftover = if mine { own } else { gone(pid) };
            if leftover
                && file.file_type().is_ok_and(|kind| kind.is_file())
                && std::fs::remove_file(file.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    removed
}

/// True when no process `pid` runs (where that cannot be told, false: the file stays).
fn gone(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else { return false };
        matches!(rustix::process::test_kill_process(pid), Err(rustix::io::Errno::SRCH))
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}

/// Replaces `path` with `bytes` so that a crash leaves the old file or the new one: written beside it,
/// flushed, then renamed over it. A symlink is written through (the file it names is replaced, the link
/// kept); anything but a regular file there (a FIFO, a device, a folder) is never replaced: an error
/// says what it is.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let path = &crate::files::resolved(path);
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && !meta.is_file()
    {
        return Err(crate::files::not_regular(meta.file_type()));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    if let Err(e) = std::fs::create_dir_all(dir) {
        // Something else where a folder of the library should be: said what, not "File exists".
        return Err(match std::fs::metadata(dir) {
            Ok(meta) if !meta.is_dir() => std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                format!("{} is in the way: it is not a folder", crate::sanitize::quote_path(dir)),
            ),
            _ => e,
        });
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let written = std::fs::File::create(&temporary)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn special_files_in_the_library_are_never_replaced_nor_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path();
        std::fs::create_dir_all(library.join("huggingface")).unwrap();
        // A FIFO as the validators: read as none at once, and never replaced.
        let fifo = validators_path(library, "huggingface");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        assert!(validators(library, "huggingface").is_empty());
        keep_validators(library, "huggingface", "http://127.0.0.1/x", &Validators::default());
        assert!(std::os::unix::fs::FileTypeExt::is_fifo(&std::fs::symlink_metadata(&fifo).unwrap().file_type()));
        let day = library.join("huggingface/2024-03-14.json");
        nix::unistd::mkfifo(&day, nix::sys::stat::Mode::S_IRWXU).unwrap();
        let why = write_atomic(&day, b"[]").unwrap_err().to_string();
        assert!(why.contains("FIFO"), "{why}");
        // A symlink is written through: the file it names holds the day, the link stays.
        let real = dir.path().join("kept-elsewhere.json");
        let link = library.join("huggingface/2024-03-15.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"[1]").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"[1]");
        // A file where a source's folder should be is named.
        std::fs::write(library.join("arxiv"), b"").unwrap();
        let why = write_atomic(&library.join("arxiv/2024-03-14.xml"), b"x").unwrap_err().to_string();
        assert!(why.contains("is in the way: it is not a folder"), "{why}");
    }

    #[test]
    fn stored_days_come_newest_first_and_other_files_are_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path();
        for (source, file) in [
            ("huggingface", "2024-03-14.json"),
            ("huggingface", "2024-03-15.json"),
            ("arxiv-cs.LG", "2024-03-15.xml"),
            ("arxiv-cs.LG", "notes.txt"),
            ("arxiv-cs.LG", ".2024-03-16.xml.tmp-1"),
        ] {
            std::fs::create_dir_all(library.join(source)).unwrap();
            std::fs::write(library.join(source).join(file), b"x").unwrap();
        }
        keep_validators(
            library,
            "huggingface",
            "http://x/a",
            &Validators { etag: Some("\"1\"".into()), last_modified: None },
        );
        let names: Vec<String> =
            stored(library).iter().map(|p| p.strip_prefix(library).unwrap().display().to_string()).collect();
        assert_eq!(names, ["arxiv-cs.LG/2024-03-15.xml", "huggingface/2024-03-15.json", "huggingface/2024-03-14.json"]);
        assert_eq!(validators(library, "huggingface")["http://x/a"].etag.as_deref(), Some("\"1\""));
        assert!(stored(&library.join("nowhere")).is_empty());
    }
}
