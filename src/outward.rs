//! What leaves the reader: links to the browser, text to the clipboard, papers to files.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::export::{self, Entry, Format};
use crate::library::PaperRef;
use crate::links::is_web_url;
use crate::sanitize::quote_path;

mod editor;
pub mod run;
pub use editor::edit_in_editor;

/// The program that opens URLs: `$PAPERS_OPENER` when set, else the platform's own.
pub fn opener() -> String {
    match std::env::var("PAPERS_OPENER") {
        Ok(program) if !program.trim().is_empty() => program,
        _ if cfg!(target_os = "macos") => "open".to_string(),
        _ if cfg!(windows) => "explorer".to_string(),
        _ => "xdg-open".to_string(),
    }
}

/// Told, from a thread of its own, why the opener failed: it exited with an error (`xdg-open` finding
/// no browser, say), its exit code and what it wrote to standard error.
pub type OpenerFailed = Box<dyn FnOnce(String) + Send>;

/// Opens `url` (http or https only) with the platform's opener, as a program given the URL as its one
/// argument: never through a shell. Does not wait for it; `failed` is told if it fails.
pub fn open_url(url: &str, failed: OpenerFailed) -> Result<(), String> {
    if !is_web_url(url) {
        return Err(format!("only http(s) links are opened, not {url}"));
    }
    start_opener(std::ffi::OsStr::new(url), failed)
}

/// Opens the file at `path` (a downloaded PDF) with the opener, as `open_url` opens a link.
pub fn open_file(path: &Path, failed: OpenerFailed) -> Result<(), String> {
    // An absolute path: a relative one starting with `-` would read as an option.
    start_opener(std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()).as_os_str(), failed)
}

/// The most of what an opener that failed wrote to standard error that its message carries.
const OPENER_SAID: usize = 1024;

fn start_opener(what: &std::ffi::OsStr, failed: OpenerFailed) -> Result<(), String> {
    use std::io::Read;
    use std::sync::{Arc, Mutex};
    let program = opener();
    let mut child = std::process::Command::new(&program)
        .arg(what)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}; set PAPERS_OPENER to a program that opens URLs"))?;
    // What it writes to standard error, read on a thread of its own: a browser it starts may hold the
    // pipe open for as long as it runs, so the opener's end is not waited on to read it. The rest past
    // the first kilobyte is read and dropped, so that it never waits on a full pipe.
    let said = Arc::new(Mutex::new(Vec::new()));
    if let Some(mut stderr) = child.stderr.take() {
        let said = Arc::clone(&said);
        let _ = std::thread::Builder::new().name("opener said".into()).spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n @ 1..) = stderr.read(&mut buffer) {
                if let Ok(mut said) = said.lock() {
                    let room = OPENER_SAID.saturating_sub(said.len());
                    said.extend_from_slice(&buffer[..n.min(room)]);
                }
            }
        });
    }
    let shown = crate::sanitize::message(&what.to_string_lossy());
    // Reaped on a thread of its own, so it never lingers as a zombie and the reader never waits for it. A
    // thread that cannot start leaves it to be reaped when the reader exits.
    let _ = std::thread::Builder::new().name("reap".into()).spawn(move || {
        let Ok(status) = child.wait() else { return };
        if status.success() {
            return;
        }
        // What it wrote just before it ended, given a moment to be read.
        std::thread::sleep(std::time::Duration::from_millis(100));
        let said = said.lock().map(|said| String::from_utf8_lossy(&said).into_owned()).unwrap_or_default();
        let said = crate::sanitize::message(said.trim());
        let how = status.code().map_or_else(|| "was killed".to_string(), |code| format!("exited with code {code}"));
        let program = crate::sanitize::message(&program);
        let said = if said.is_empty() { String::new() } else { format!(": {said}") };
        failed(format!("{program} {how}, opening {shown}{said}"));
    });
    Ok(())
}

/// The OSC 52 sequence that asks the terminal to put `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    format!("\x1b]52;c;{}\x07", base64::engine::general_purpose::STANDARD.encode(text))
}

/// A paper as exported.
pub fn entry(paper: &PaperRef, starred: bool, read: bool) -> Entry {
    let meta = paper.meta();
    Entry {
        title: paper.title().to_string(),
        authors: meta.map(|m| m.authors.clone()).unwrap_or_default(),
        arxiv_id: paper.arxiv_id().map(str::to_string),
        categories: meta.map(|m| m.categories.clone()).unwrap_or_default(),
        upvotes: meta.and_then(|m| m.upvotes),
        published: meta.and_then(|m| m.published).map(|d| d.to_string()),
        days: paper.days().iter().map(ToString::to_string).collect(),
        url: paper.url(),
        code: meta.and_then(|m| m.code.clone()),
        project: meta.and_then(|m| m.project.clone()),
        starred,
        read,
        abstract_text: paper.abstract_text().to_string(),
        ..Entry::default()
    }
}

/// Writes `entries` to a new file in `dir` named for today (`papers-2024-03-14.bib`, then `-2`, `-3`…
/// when taken), never over an existing one. Returns its path.
pub fn write_new_file(dir: &Path, format: &Format, entries: &[Entry]) -> Result<PathBuf, String> {
    let today = crate::library::Day::today();
    for n in 1..1000 {
        let suffix = if n == 1 { String::new() } else { format!("-{n}") };
        let path = dir.join(format!("papers-{today}{suffix}.{}", format.extension()));
        let file = match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot create {}: {e}", quote_path(&path))),
        };
        let mut out = std::io::BufWriter::new(file);
        let written = export::write(*format, entries, &mut out).and_then(|()| out.flush());
        return match written {
            Ok(()) => Ok(std::path::absolute(&path).unwrap_or(path)),
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                Err(format!("cannot write {}: {e}", quote_path(&path)))
            }
        };
    }
    Err(format!("{}: too many exports named for today already", quote_path(dir)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_are_opened() {
        for url in ["https://arxiv.org/abs/2403.09043", "http://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG"] {
            assert!(is_web_url(url), "{url}");
        }
        for url in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "ftp://example.org",
            "https://example.org/a b",
            "https://example.org/\u{1b}]52;c;x\u{7}",
            "-https://example.org",
            "",
        ] {
            assert!(!is_web_url(url), "{url:?}");
            assert!(open_url(url, Box::new(|_| {})).is_err(), "{url:?}");
        }
    }

    #[test]
    fn the_clipboard_sequence_carries_the_text_base64_encoded() {
        let sequence = osc52("A \u{1b}[31mtitle\u{7} https://arxiv.org/abs/1");
        assert!(sequence.starts_with("\u{1b}]52;c;") && sequence.ends_with('\u{7}'));
        let payload = &sequence["\u{1b}]52;c;".len()..sequence.len() - 1];
        // Nothing of the text reaches the terminal as it is: only the base64 alphabet.
        assert!(payload.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)), "{payload}");
        use base64::Engine;
        let decoded = base64::engine::general_purpose::STANDARD.decode(payload).unwrap();
        assert_eq!(decoded, "A \u{1b}[31mtitle\u{7} https://arxiv.org/abs/1".as_bytes());
    }

    #[test]
    fn exports_never_write_over_a_file_and_number_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let entries = [Entry { title: "A".into(), ..Entry::default() }];
        let first = write_new_file(dir.path(), &Format::Json, &entries).unwrap();
        let second = write_new_file(dir.path(), &Format::Json, &entries).unwrap();
        assert_ne!(first, second);
        assert!(second.to_string_lossy().ends_with("-2.json"), "{}", second.display());
        let missing = dir.path().join("no/such/dir");
        let error = write_new_file(&missing, &Format::Json, &entries).unwrap_err();
        assert!(error.contains("cannot create"), "{error}");
    }
}
