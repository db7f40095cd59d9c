//! Paths papers writes to: symlinks followed to what they name, special files told apart, nothing waited on.
//!
//! A state file, its lock and backup, and an export's `-o` target are regular files. Anything else met
//! there is never replaced by one: a device, a FIFO or a socket is refused (or, for an export, written to
//! as it is, where that is what the user asked), a symlink is followed and the file it names replaced, and
//! nothing is opened in a way that could wait forever (a FIFO with no writer blocks `open`).

use std::fs::{self, File, FileType, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use crate::sanitize::quote_path;

/// What a file that is neither a regular file, a directory nor a symlink is, for messages.
pub fn special_kind(file_type: FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kinds = [
            (file_type.is_fifo(), "a FIFO (named pipe)"),
            (file_type.is_char_device(), "a character device"),
            (file_type.is_block_device(), "a block device"),
            (file_type.is_socket(), "a socket"),
        ];
        kinds.into_iter().find(|(is, _)| *is).map(|(_, kind)| kind)
    }
    #[cfg(not(unix))]
    {
        let _ = file_type;
        None
    }
}

/// The file `path` names with every symlink followed, even to a file not made yet (a link in a fresh
/// dotfiles checkout); `path` itself when it is no symlink.
pub fn resolved(path: &Path) -> PathBuf {
    let mut at = path.to_path_buf();
    // As many links as Linux follows before it gives up on a loop.
    for _ in 0..40 {
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                if let Ok(real) = fs::canonicalize(&at) {
                    return real;
                }
                let Ok(target) = fs::read_link(&at) else { return at };
                // A relative target is relative to the link's directory; an absolute one replaces it all.
                at = at.parent().map_or_else(|| target.clone(), |dir| dir.join(&target));
            }
            _ => return at,
        }
    }
    at
}

/// The error for a file that is `file_type` and not the regular file it should be: "it is a FIFO (named
/// pipe), not a regular file" (the caller names the file, see `context`).
pub fn not_regular(file_type: FileType) -> io::Error {
    match special_kind(file_type) {
        Some(kind) => io::Error::new(io::ErrorKind::InvalidInput, format!("it is {kind}, not a regular file")),
        None if file_type.is_dir() => io::Error::new(io::ErrorKind::IsADirectory, "it is a directory"),
        None => io::Error::new(io::ErrorKind::InvalidInput, "it is not a regular file"),
    }
}

/// Opens `path` with `options` only when it is a regular file (or is made as one), without ever waiting:
/// on Unix the file is opened non-blocking, so a FIFO put in its place cannot hold `open` up, and is then
/// refused. Anything but a regular file is an error that says what it is (`not_regular`).
pub fn open_regular(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    // Told apart before opening where it can be, for a message that says what is there.
    if let Ok(meta) = fs::metadata(path)
        && !meta.is_file()
    {
        return Err(not_regular(meta.file_type()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    // Checked again on what was opened: the path may have been replaced meanwhile.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(meta.file_type()));
    }
    Ok(file)
}

/// Reads the whole of `path`, a regular file (see `open_regular`).
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = open_regular(path, File::options().read(true))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads `path` (of any kind: a pipe or `/dev/stdin` too) up to `most` bytes: an error of kind
/// `FileTooLarge` when there is more, read no further, so that a device such as `/dev/zero` costs
/// `most` bytes of memory, not all of it.
///
/// Opened without waiting: a FIFO that nothing writes to held a blocking `open` up for ever, and
/// reads as empty instead. A pipe whose writer is still on its way (`--config <(make-config)`) is
/// waited for, as a blocking read would.
pub fn read_at_most(path: &Path, most: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = File::options();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path)?.take(most.saturating_add(1));
    let mut bytes = Vec::new();
    loop {
        match file.read_to_end(&mut bytes) {
            Ok(_) => break,
            // What was read so far is kept in `bytes`; the rest is not written yet.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(std::time::Duration::from_millis(5)),
            Err(e) => return Err(e),
        }
    }
    if bytes.len() as u64 > most {
        return Err(io::Error::new(io::ErrorKind::FileTooLarge, format!("it is over {} MiB", most >> 20)));
    }
    Ok(bytes)
}

/// How long an export into a FIFO waits for a reader to open the other end (`papers export -o pipe`
/// started before `cat pipe`), before it gives up and says so.
pub const READER_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// Opens `path`, a FIFO or a character device, for writing into, without waiting forever: a FIFO that
/// no one reads held a blocking `open` up for ever. The open is tried every 20 ms for `patience`, `waiting`
/// called once if the first try finds no reader; after that, an error of kind `TimedOut`. Writes to
/// what is opened wait for the reader, as a pipe's do (see `Stream`).
pub fn open_stream(path: &Path, patience: std::time::Duration, waiting: impl FnOnce()) -> io::Result<Stream> {
    let mut options = File::options();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let start = std::time::Instant::now();
    let mut waiting = Some(waiting);
    loop {
        match options.open(path) {
            Ok(file) => return Ok(Stream(file)),
            // A FIFO without a reader, opened for writing without blocking.
            #[cfg(unix)]
            Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
                if start.elapsed() >= patience {
                    let secs = patience.as_secs_f64();
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!("nothing opened it for reading in {secs} s; start its reader first"),
                    ));
                }
                if let Some(told) = waiting.take() {
                    told();
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => return Err(e),
        }
    }
}

/// A FIFO or device opened without blocking (`open_stream`), written to as a blocking one would be: a
/// write that would block is tried again a moment later, until the reader has taken some.
#[derive(Debug)]
pub struct Stream(File);

impl io::Write for Stream {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        loop {
            match self.0.write(bytes) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    std::thread::sleep(std::time::Duration::from_millis(1))
                }
                written => return written,
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// `error` with what was being done to which file in front: "cannot create the lock file F: …".
pub fn context(what: &str, path: &Path, error: io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{what} {}: {error}", quote_path(path)))
}

/// True when `a` and `b` are one file that is there (a hard link, a symbolic link followed, the same path).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        matches!((std::fs::metadata(a), std::fs::metadata(b)), (Ok(a), Ok(b)) if a.dev() == b.dev() && a.ino() == b.ino())
    }
    #[cfg(not(unix))]
    {
        matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(a), Ok(b)) if a == b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_at_most_stops_at_its_bound() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, vec![b'x'; 2 << 20]).unwrap();
        assert_eq!(read_at_most(&file, 2 << 20).unwrap().len(), 2 << 20);
        let error = read_at_most(&file, 1 << 20).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::FileTooLarge, "{error}");
        assert!(error.to_string().contains("over 1 MiB"), "{error}");
        // A device without end is read only to the bound.
        #[cfg(target_os = "linux")]
        assert_eq!(read_at_most(Path::new("/dev/zero"), 1 << 20).unwrap_err().kind(), io::ErrorKind::FileTooLarge);
    }

    #[test]
    fn regular_files_open_and_directories_are_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, b"x").unwrap();
        assert_eq!(read_regular(&file).unwrap(), b"x");
        let error = read_regular(dir.path()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::IsADirectory);
        assert_eq!(error.to_string(), "it is a directory");
        assert_eq!(read_regular(&dir.path().join("missing")).unwrap_err().kind(), io::ErrorKind::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_at_once_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("state.json.lock");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        // Without a writer, a blocking open would never return: this test would hang, not fail.
        let error = open_regular(&fifo, File::options().read(true).write(true).create(true)).unwrap_err();
        assert_eq!(error.to_string(), "it is a FIFO (named pipe), not a regular file");
        let error = read_regular(&fifo).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    }

    #[cfg(unix)]
    #[test]
    fn a_stream_waits_a_while_for_a_reader_and_then_as_long_as_it_reads() {
        use std::io::{Read, Write};
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        let mut told = 0;
        let start = std::time::Instant::now();
        let error = open_stream(&fifo, std::time::Duration::from_millis(200), || told += 1).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut, "{error}");
        assert!(start.elapsed() >= std::time::Duration::from_millis(200));
        assert_eq!(told, 1);
        // A slow reader of more than a pipe holds: every byte arrives, none is lost to a write that
        // would have blocked.
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut file = File::open(fifo).unwrap();
                let (mut all, mut buffer) = (Vec::new(), [0u8; 4096]);
                loop {
                    let n = file.read(&mut buffer).unwrap();
                    if n == 0 {
                        return all;
                    }
                    all.extend_from_slice(&buffer[..n]);
                    std::thread::sleep(std::time::Duration::from_micros(200));
                }
            })
        };
        let mut stream = open_stream(&fifo, std::time::Duration::from_secs(10), || ()).unwrap();
        let bytes: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
        stream.write_all(&bytes).unwrap();
        drop(stream);
        assert_eq!(reader.join().unwrap(), bytes);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_to_files_made_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        fs::write(&real, b"{}").unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join("one")).unwrap();
        std::os::unix::fs::symlink("one", dir.path().join("two")).unwrap();
        assert_eq!(resolved(&dir.path().join("two")), fs::canonicalize(&real).unwrap());
        std::os::unix::fs::symlink("sub/not-yet.json", dir.path().join("dangling")).unwrap();
        assert_eq!(resolved(&dir.path().join("dangling")), dir.path().join("sub/not-yet.json"));
        assert_eq!(resolved(&real), real);
        // A loop ends.
        std::os::unix::fs::symlink("loop-b", dir.path().join("loop-a")).unwrap();
        std::os::unix::fs::symlink("loop-a", dir.path().join("loop-b")).unwrap();
        let _ = resolved(&dir.path().join("loop-a"));
    }
}
