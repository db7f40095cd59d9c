//! The terminal's events, read on a thread of their own, and how the reader steps aside for the shell
//! (Ctrl-Z) or for an editor.

use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};

#[cfg(debug_assertions)]
use super::fault;
use super::{enter, leave};

/// How long the input thread waits for an event before it looks whether it must stop reading.
const INPUT_POLL: Duration = Duration::from_millis(100);

/// The terminal the keys come from when standard input is not it (`papers -` reads the digest there):
/// crossterm then reads keys from `/dev/tty`, as fzf does.
pub(super) fn controlling_terminal() -> Option<std::fs::File> {
    std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty").ok().filter(|tty| tty.is_terminal())
}

/// Where the loop gets its events, and how it steps aside for the shell on Ctrl-Z.
pub trait Events {
    /// The next event, or `None` when `timeout` passed without one.
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>>;
    /// Gives the terminal back to the shell until the process is continued.
    fn suspend(&mut self) -> io::Result<()>;
    /// True when the terminal has gone away (its window closed, the connection dropped).
    fn hung_up(&self) -> bool {
        false
    }
    /// Gives the terminal to `run` (an editor) as the shell has it, and takes it back after: as `suspend`
    /// does, with no key read meanwhile.
    fn hand_over(&mut self, run: &mut dyn FnMut()) -> io::Result<()> {
        run();
        Ok(())
    }
}

/// Events from the real terminal, read on a thread of their own.
///
/// crossterm 0.29 never returns from `event::poll` once the terminal is gone: its read loop retries a dead
/// tty forever (crossterm-rs/crossterm#793). Reading on another thread keeps the loop free to notice the
/// hangup (or a signal) and end the process, spinning thread and all.
pub(super) struct Crossterm {
    events: mpsc::Receiver<Input>,
    send: mpsc::SyncSender<Input>,
    /// The terminal, opened on its own when standard input is not it.
    tty: Option<std::fs::File>,
    /// Set while another program has the terminal: the input thread reads nothing then.
    paused: Arc<AtomicBool>,
    /// Set by the input thread once it saw `paused` and stopped reading.
    idle: Arc<AtomicBool>,
}

/// What wakes the loop: a terminal event, or work done on another thread (search results, papers read).
enum Input {
    Event(io::Result<Event>),
    Wake,
}

impl Crossterm {
    /// The queue of events; nothing is read until `read_keys`.
    pub(super) fn new() -> Self {
        let (send, events) = mpsc::sync_channel(64);
        let tty = if io::stdin().is_terminal() { None } else { controlling_terminal() };
        Crossterm { events, send, tty, paused: Arc::default(), idle: Arc::default() }
    }

    /// Starts the thread that reads the terminal's events, once the terminal is set up for the reader.
    pub(super) fn read_keys(&self) -> io::Result<()> {
        let input = self.send.clone();
        let (paused, idle) = (Arc::clone(&self.paused), Arc::clone(&self.idle));
        thread::Builder::new().name("input".into()).spawn(move || {
            // Nobody would notice this thread stop: its panic gives the terminal back (see `panics`).
            crate::panics::unwatched();
            loop {
                // Not idle first, then the look at `paused`: once `idle` reads true, no read is under way.
                idle.store(false, Ordering::SeqCst);
                if paused.load(Ordering::SeqCst) {
                    idle.store(true, Ordering::SeqCst);
                    thread::sleep(Duration::from_millis(10));
                    continue;
                }
                // Polled, not read at once, so that a pause is seen within a poll's time.
                match event::poll(INPUT_POLL) {
                    Ok(false) => continue,
                    Ok(true) if paused.load(Ordering::SeqCst) => continue,
                    Ok(true) => {}
                    Err(error) => {
                        let _ = input.send(Input::Event(Err(error)));
                        return;
                    }
                }
                let event = event::read();
                let failed = event.is_err();
                if input.send(Input::Event(event)).is_err() || failed {
                    return;
                }
            }
        })?;
        Ok(())
    }

    /// Wakes the loop from another thread. A full queue already wakes it, so nothing waits.
    pub(super) fn waker(&self) -> Arc<dyn Fn() + Send + Sync> {
        let send = self.send.clone();
        Arc::new(move || {
            let _ = send.try_send(Input::Wake);
        })
    }
}

impl Events for Crossterm {
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>> {
        let event = match self.events.recv_timeout(timeout) {
            Ok(Input::Event(event)) => Some(event?),
            Ok(Input::Wake) | Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(io::Error::new(io::ErrorKind::BrokenPipe, "the terminal input ended"));
            }
        };
        #[cfg(debug_assertions)]
        fault::on(event.as_ref())?;
        Ok(event)
    }

    fn suspend(&mut self) -> io::Result<()> {
        leave();
        // SIGTSTP has a handler (for `kill -TSTP` from outside), so stop the way its default would.
        signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP)?;
        // Continued by `fg`.
        enter()
    }

    fn hand_over(&mut self, run: &mut dyn FnMut()) -> io::Result<()> {
        // The input thread must not take the editor's keys: it stops reading first (a read on a terminal
        // that is gone never ends, so it is not waited on for long).
        self.paused.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + INPUT_POLL * 4;
        while !self.idle.load(Ordering::SeqCst) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(2));
        }
        leave();
        run();
        let entered = enter();
        self.paused.store(false, Ordering::SeqCst);
        entered
    }

    fn hung_up(&self) -> bool {
        // A hung-up terminal fails the terminal ioctl that `is_terminal` makes.
        match &self.tty {
            Some(tty) => !tty.is_terminal(),
            None => !io::stdin().is_terminal(),
        }
    }
}
