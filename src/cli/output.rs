//! Where `-o FILE` writes: a new file, over an old one atomically with `--force`, or into a pipe or device.
//!
//! A symlink is followed and the file it names replaced, as editors do, so the link stays. A FIFO or a
//! character device (`-o /dev/stdout`, `-o >(gzip > x.gz)`, a terminal) is written into as it is: that is
//! what naming one asks for, and there is no file to lose; a FIFO that no one opens for reading is waited
//! on for `files::READER_PATIENCE`, not for ever. A block device, a socket or a directory is refused:
//! nothing is ever put in the place of one.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::Failure;
use crate::files;
use crate::sanitize::quote_path;

/// Where the output goes.
enum Target {
    Stdout,
    /// A file not there yet, made for the output (the file a dangling symlink names, if it was one).
    New(PathBuf),
    /// A regular file to replace (`--force`): the file itself, symlinks followed.
    Over(PathBuf),
    /// A FIFO or a character device, written into.
    Stream,
}

/// Writes what `fill` writes to `output`, or to standard output without one. Without `force`, an existing
/// regular file is refused; with it, the file is replaced only once the new one is complete, so a failed
/// write (a full disk) leaves it as it was.
/// The state file `state` and the files beside it are refused, `--force` or not: written there, an
/// export would replace the marks, past the lock that keeps two readers' saves apart.
pub(super) fn write_to(
    output: Option<&Path>,
    force: bool,
    state: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    // `-o -` is standard output, as `-` is standard input among the digests.
    let Some(path) = output.filter(|path| path.as_os_str() != "-") else { return to_stdout(fill) };
    let shown = quote_path(path);
    if crate::state::own_files(state).iter().any(|own| files::same_file(own, path)) {
        return Err(Failure::input(format!(
            "{shown} is where papers keeps your stars and read marks ({}); give another file",
            quote_path(state)
        )));
    }
    let failed = |e: io::Error| Failure::runtime(format!("cannot write {shown}: {e}"));
    match target(path, force)? {
        Target::Stdout => to_stdout(fill),
        Target::Stream => {
            let told = || eprintln!("papers: waiting for a reader of {shown}");
            let stream = files::open_stream(path, files::READER_PATIENCE, told).map_err(failed)?;
            let mut out = io::BufWriter::new(stream);
            match fill(&mut out).and_then(|()| out.flush()) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(failed(e)),
                _ => Ok(()),
            }
        }
        Target::New(file) => {
            let made = File::options().write(true).create_new(true).open(&file).map_err(|e| match e.kind() {
                io::ErrorKind::AlreadyExists => Failure::input(format!("{shown} exists; give another file or --force")),
                io::ErrorKind::NotFound
                    if file.parent().is_some_and(|dir| !dir.as_os_str().is_empty() && !dir.is_dir()) =>
                {
                    let dir = file.parent().map(quote_path).unwrap_or_default();
                    Failure::runtime(format!(
                        "cannot create {}: the folder {dir} is not there; make it first, or give another file",
                        quote_path(&file)
                    ))
                }
                _ => Failure::runtime(format!("cannot create {}: {e}", quote_path(&file))),
            })?;
            let written = write_file(made, fill);
            if written.is_err() {
                let _ = fs::remove_file(&file);
            }
            written.map_err(failed)
        }
        Target::Over(file) => {
            // Written beside it first and renamed over it: the old file stays whole until the new one is.
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let temporary = file.with_file_name(format!(".{name}.papers-{}", std::process::id()));
            let _ = fs::remove_file(&temporary);
            let written = File::options()
                .write(true)
                .create_new(true)
                .open(&temporary)
                .and_then(|made| write_file(made, fill))
                .and_then(|()| fs::rename(&temporary, &file));
            if written.is_err() {
                let _ = fs::remove_file(&temporary);
            }
            written.map_err(failed)
        }
    }
}

/// What is at `path`, and so how to write there.
fn target(path: &Path, force: bool) -> Result<Target, Failure> {
    let shown = quote_path(path);
    if path == Path::new("/dev/stdout") {
        return Ok(Target::Stdout);
    }
    // Followed through links, to what they name (`/dev/stdout` is a link to the process's own output).
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::New(files::resolved(path))),
        Err(e) => return Err(Failure::runtime(format!("cannot write {shown}: {e}"))),
    };
    let file_type = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() || file_type.is_char_device() {
            return Ok(Target::Stream);
        }
    }
    if !meta.is_file() {
        let why = files::not_regular(file_type);
        return Err(Failure::input(format!("cannot write {shown}: {why}; give a file")));
    }
    if !force {
        return Err(Failure::input(format!("{shown} exists; give another file or --force")));
    }
    let file = fs::canonicalize(path).map_err(|e| Failure::runtime(format!("cannot write {shown}: {e}")))?;
    Ok(Target::Over(file))
}

/// Writes `fill` into `file` through a buffer, then flushes it to the disk.
fn write_file(file: File, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut out = io::BufWriter::new(file);
    fill(&mut out)?;
    out.into_inner().map_err(io::IntoInnerError::into_error)?.sync_all()
}

/// Writes `fill` to standard output; a reader that went away (`| head`) is not an error.
pub(super) fn to_stdout(fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Failure> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    written(fill(&mut out).and_then(|()| out.flush()))
}

/// What writing to standard output came to: a failure that says why (a full disk, a closed file), but
/// not when the reader went away (`| head`).
pub(super) fn written(result: io::Result<()>) -> Result<(), Failure> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::runtime(format!("cannot write to standard output: {e}"))),
    }
}
