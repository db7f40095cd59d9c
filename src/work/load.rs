//! The loading thread: reads the rest of large digests while the reader runs, a block at a time, and sends
//! the papers as they are parsed.

use std::sync::mpsc;

use super::Wake;
use crate::app::{Msg, Origin};
use crate::digest::{self, Opened, Step};

/// A digest for the loading thread: opened already (its first papers taken, what is not a digest refused),
/// or only named, to be opened there (a library of many fetched days opens on its first one).
pub enum ToLoad {
    Opened(Box<Opened>),
    /// Opened by the loading thread; one that is not a digest is passed over with a note in the messages pane.
    Named(digest::Source),
}

/// The loading thread wakes the reader at most this often while papers come.
const WAKE_EVERY: std::time::Duration = std::time::Duration::from_millis(16);

/// Reads on in `files`, one after another, sending what it finds to `outbox`. `read` is what opening the
/// opened ones read; `wake` is called after sending, at most once a frame.
pub fn start(files: Vec<ToLoad>, read: u64, outbox: mpsc::Sender<Msg>, wake: Wake) -> std::io::Result<()> {
    std::thread::Builder::new().name("load".into()).spawn(move || {
        // However the thread ends, the reader hears that loading is over (and why, when it panicked), so
        // that it never says loading… for ever.
        let _finished = Finished { outbox: outbox.clone(), wake: std::sync::Arc::clone(&wake) };
        // Papers come a block (1 MB) at a time, hundreds a second from a fast disk: the reader is woken
        // to show them at most once a frame, so that drawing does not take the time reading needs.
        // What comes between wakes waits at most for the reader's idle poll.
        let mut last_wake: Option<std::time::Instant> = None;
        let mut wake_now = |force: bool| {
            if force || last_wake.is_none_or(|at| at.elapsed() >= WAKE_EVERY) {
                wake();
                last_wake = Some(std::time::Instant::now());
            }
        };
        let mut before = read;
        let mut files = std::collections::VecDeque::from(files);
        while let Some(file) = files.pop_front() {
            let began = std::time::Instant::now();
            let (mut file, start) = match file {
                ToLoad::Opened(file) => {
                    let start = file.bytes_read();
                    (*file, start)
                }
                ToLoad::Named(source) if small(&source) => {
                    // A run of small files (a library of fetched days) is parsed on several threads.
                    let mut run = vec![source];
                    while let Some(ToLoad::Named(next)) = files.front()
                        && small(next)
                    {
                        if let Some(ToLoad::Named(next)) = files.pop_front() {
                            run.push(next);
                        }
                    }
                    let sent = parse_in_order(&run, &mut |source, parsed| {
                        let size = size_of(source).unwrap_or(0);
                        let messages = match parsed {
                            Ok(digest) => {
                                before += size;
                                let mut messages = vec![Msg::Loaded { chunks: digest.chunks, read: before }];
                                messages.extend(
                                    (!digest.warnings.is_empty())
                                        .then_some(Msg::Warnings(Origin::Loading, digest.warnings)),
                                );
                                messages
                            }
                            Err(e) => vec![Msg::Warnings(
                                Origin::Loading,
                                vec![format!("{e}\n  (passed over: not a digest)")],
                            )],
                        };
                        let sent = messages.into_iter().all(|msg| outbox.send(msg).is_ok());
                        wake_now(false);
                        sent
                    });
                    if !sent {
                        return;
                    }
                    wake_now(true);
                    continue;
                }
                ToLoad::Named(source) => match digest::open(&source) {
                    Ok(mut file) => {
                        let warnings = std::mem::take(&mut file.warnings);
                        if !warnings.is_empty() && outbox.send(Msg::Warnings(Origin::Loading, warnings)).is_err() {
                            return;
                        }
                        (file, 0)
                    }
                    Err(e) => {
                        let note = format!("{e}\n  (passed over: not a digest)");
                        if outbox.send(Msg::Warnings(Origin::Loading, vec![note])).is_err() {
                            return;
                        }
                        continue;
                    }
                },
            };
            // Papers parsed while opening, held back to keep the files in order.
            for chunk in std::mem::take(&mut file.chunks) {
                if outbox.send(Msg::Loaded { chunks: vec![chunk], read: before }).is_err() {
                    return;
                }
            }
            loop {
                let read = before + file.bytes_read() - start;
                let message = match file.read_on() {
                    Ok(Step::Chunk(chunk)) => {
                        Msg::Loaded { chunks: vec![chunk], read: before + file.bytes_read() - start }
                    }
                    Ok(Step::Reading) => Msg::LoadProgress(read),
                    Ok(Step::Done(last, warnings)) => {
                        let read = before + file.bytes_read() - start;
                        let ms = began.elapsed().as_secs_f64() * 1000.0;
                        log::debug!("read {} to its end in {ms:.1} ms: {} bytes", file.name, file.bytes_read());
                        if let Some(chunk) = last {
                            let _ = outbox.send(Msg::Loaded { chunks: vec![chunk], read });
                        }
                        if !warnings.is_empty() {
                            let _ = outbox.send(Msg::Warnings(Origin::Loading, warnings));
                        }
                        before = read;
                        break;
                    }
                    Err(e) => {
                        before = read;
                        let _ = outbox
                            .send(Msg::Warnings(Origin::Loading, vec![format!("{e}; the papers before it are shown")]));
                        break;
                    }
                };
                if outbox.send(message).is_err() {
                    return;
                }
                wake_now(false);
            }
            wake_now(true);
        }
    })?;
    Ok(())
}

/// Files up to this size are read whole, several at a time; larger ones a block at a time, as they come.
const SMALL: u64 = 8 << 20;

fn size_of(source: &digest::Source) -> Option<u64> {
    match source {
        digest::Source::File(path) => std::fs::metadata(path).ok().filter(|m| m.is_file()).map(|m| m.len()),
        _ => None,
    }
}

/// A small file read whole (into `buf`, kept from one file to the next); anything else read as the reader
/// reads it.
fn load_small(source: &digest::Source, buf: &mut Vec<u8>) -> Result<digest::Digest, digest::DigestError> {
    let started = std::time::Instant::now();
    let read = match source {
        digest::Source::File(path) => digest::load_small_with(path, buf),
        other => digest::load(other),
    };
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    match &read {
        Ok(digest) => log::debug!("read {} in {ms:.1} ms: {} papers", source.name(), digest.len()),
        Err(e) => log::warn!("read {} in {ms:.1} ms: failed: {e}", source.name()),
    }
    read
}

/// True for a regular file small enough to be read whole (see `SMALL`).
fn small(source: &digest::Source) -> bool {
    size_of(source).is_some_and(|size| size <= SMALL)
}

/// Reads and parses `sources` on up to four `parse day` threads, handing each to `take` in the order
/// given, as soon as it and those before it are done; stops early when `take` says false. Returns false
/// then.
fn parse_in_order(
    sources: &[digest::Source],
    take: &mut dyn FnMut(&digest::Source, Result<digest::Digest, digest::DigestError>) -> bool,
) -> bool {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 4);
    let (next, stop) = (AtomicUsize::new(0), AtomicBool::new(false));
    let (send, parsed) = mpsc::channel();
    std::thread::scope(|scope| {
        let work = |send: mpsc::Sender<_>| {
            let mut buf = Vec::new();
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= sources.len() || stop.load(Ordering::Relaxed) {
                    return;
                }
                if send.send((k, load_small(&sources[k], &mut buf))).is_err() {
                    return;
                }
            }
        };
        let started = (0..threads)
            .filter(|_| {
                let send = send.clone();
                std::thread::Builder::new().name("parse day".into()).spawn_scoped(scope, move || work(send)).is_ok()
            })
            .count();
        drop(send);
        if started == 0 {
            // No thread to be had: parsed here, one after another.
            let mut buf = Vec::new();
            return sources.iter().all(|source| take(source, load_small(source, &mut buf)));
        }
        let mut waiting = std::collections::BTreeMap::new();
        let mut due = 0;
        for (k, result) in parsed {
            waiting.insert(k, result);
            while let Some(result) = waiting.remove(&due) {
                if !take(&sources[due], result) {
                    stop.store(true, Ordering::Relaxed);
                    return false;
                }
                due += 1;
            }
        }
        true
    })
}

/// Sends `Msg::LoadFinished` when dropped: at the end of the loading thread, whichever way it ends.
struct Finished {
    outbox: mpsc::Sender<Msg>,
    wake: Wake,
}

impl Drop for Finished {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let why = "reading the digests stopped early (a bug in papers); the papers read so far are shown";
            let _ = self.outbox.send(Msg::Warnings(Origin::Loading, vec![why.to_string()]));
        }
        let _ = self.outbox.send(Msg::LoadFinished);
        (self.wake)();
    }
}
