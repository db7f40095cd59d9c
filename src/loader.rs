//! Reads the rest of large digests on a thread of its own while the reader runs, a block at a time.

use std::sync::{Arc, mpsc};

use crate::digest::{Opened, Step};
use crate::library::Chunk;

/// The loading thread wakes the reader at most this often while papers come.
const WAKE_EVERY: std::time::Duration = std::time::Duration::from_millis(16);

/// What the loading thread sends.
pub enum Loaded {
    /// More papers, and the bytes read so far in all.
    Papers(Chunk, u64),
    /// Bytes read so far, no papers complete yet.
    Progress(u64),
    /// Things repaired while reading, each naming file and line.
    Warnings(Vec<String>),
    /// A file could not be read on; the papers before stay.
    Failed(String),
    /// Every file is read.
    Finished,
}

/// The loading thread's side of the reader: what it sent so far.
pub struct Loader {
    inbox: mpsc::Receiver<Loaded>,
}

impl Loader {
    /// Reads on in `files` (opened, their first papers taken), one after another. `read` is what opening
    /// them read; `wake` is called after each message, from the loading thread.
    pub fn start(files: Vec<Opened>, read: u64, wake: Arc<dyn Fn() + Send + Sync>) -> std::io::Result<Self> {
        let (outbox, inbox) = mpsc::channel();
        std::thread::Builder::new().name("load".into()).spawn(move || {
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
            for mut file in files {
                let start = file.bytes_read();
                // Papers parsed while opening, held back to keep the files in order.
                for chunk in std::mem::take(&mut file.chunks) {
                    if outbox.send(Loaded::Papers(chunk, before)).is_err() {
                        return;
                    }
                }
                loop {
                    let read = before + file.bytes_read() - start;
                    let message = match file.read_on() {
                        Ok(Step::Chunk(chunk)) => Loaded::Papers(chunk, before + file.bytes_read() - start),
                        Ok(Step::Reading) => Loaded::Progress(read),
                        Ok(Step::Done(last, warnings)) => {
                            let read = before + file.bytes_read() - start;
                            if let Some(chunk) = last {
                                let _ = outbox.send(Loaded::Papers(chunk, read));
                            }
                            if !warnings.is_empty() {
                                let _ = outbox.send(Loaded::Warnings(warnings));
                            }
                            before = read;
                            break;
                        }
                        Err(e) => {
                            before = read;
                            let _ = outbox.send(Loaded::Failed(format!("{e}; the papers before it are shown")));
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
            let _ = outbox.send(Loaded::Finished);
            wake_now(true);
        })?;
        Ok(Loader { inbox })
    }

    /// The messages that came since the last call; `None` once loading ended and all were taken.
    pub fn take(&self) -> Option<Vec<Loaded>> {
        let mut messages = Vec::new();
        loop {
            match self.inbox.try_recv() {
                Ok(message) => messages.push(message),
                Err(mpsc::TryRecvError::Empty) => return Some(messages),
                Err(mpsc::TryRecvError::Disconnected) if messages.is_empty() => return None,
                Err(mpsc::TryRecvError::Disconnected) => return Some(messages),
            }
        }
    }
}
