//! The loading thread: reads the rest of large digests while the reader runs, a block at a time, and sends
//! the papers as they are parsed.

use std::sync::mpsc;

use super::Wake;
use crate::app::Msg;
use crate::digest::{self, Opened, Step};

/// A digest for the loading thread: opened already (its first papers taken, what is not a digest refused),
/// or only named, to be opened there (a library of many fetched days opens on its first one).
pub enum ToLoad {
    Opened(Box<Opened>),
    /// Opened by the loading thread; one that is not a digest is passed over with a note in the alert box.
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
        for file in files {
            let (mut file, start) = match file {
                ToLoad::Opened(file) => {
                    let start = file.bytes_read();
                    (*file, start)
                }
                ToLoad::Named(source) => match digest::open(&source) {
                    Ok(mut file) => {
                        let warnings = std::mem::take(&mut file.warnings);
                        if !warnings.is_empty() && outbox.send(Msg::Alert(warnings)).is_err() {
                            return;
                        }
                        (file, 0)
                    }
                    Err(e) => {
                        let note = format!("{e}\n  (passed over: not a digest)");
                        if outbox.send(Msg::Alert(vec![note])).is_err() {
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
                        if let Some(chunk) = last {
                            let _ = outbox.send(Msg::Loaded { chunks: vec![chunk], read });
                        }
                        if !warnings.is_empty() {
                            let _ = outbox.send(Msg::Alert(warnings));
                        }
                        before = read;
                        break;
                    }
                    Err(e) => {
                        before = read;
                        let _ = outbox.send(Msg::Alert(vec![format!("{e}; the papers before it are shown")]));
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

/// Sends `Msg::LoadFinished` when dropped: at the end of the loading thread, whichever way it ends.
struct Finished {
    outbox: mpsc::Sender<Msg>,
    wake: Wake,
}

impl Drop for Finished {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let why = "reading the digests stopped early (a bug in papers); the papers read so far are shown";
            let _ = self.outbox.send(Msg::Alert(vec![why.to_string()]));
        }
        let _ = self.outbox.send(Msg::LoadFinished);
        (self.wake)();
    }
}
