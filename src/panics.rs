//! Panics that papers tells of itself, rather than letting Rust's hook print them where they do harm.
//!
//! Two kinds. A panic that code catches on purpose (`catching`: tantivy reading an index whose files
//! are damaged), which the caller turns into a message of its own. And a panic of a worker thread while
//! the reader has the terminal: printed there, it would be drawn over by the next frame and leave the
//! screen garbled, and the reader goes on without that thread (the thread's owner says so; the one
//! thread whose stop nobody notices, `unwatched`, gives the terminal back instead). Its message
//! is kept and printed once the terminal is given back (`take_held`). Every other panic is printed as
//! Rust prints it.

use std::cell::{Cell, RefCell};
use std::sync::{Mutex, Once};
use std::thread::ThreadId;

thread_local! {
    /// Set while `catching` runs on this thread, and the message of the panic it caught.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Set on the thread whose stop nobody would notice (see `unwatched`).
    static UNWATCHED: Cell<bool> = const { Cell::new(false) };
}

/// The thread that draws the reader, while it has the terminal.
static SCREEN: Mutex<Option<ThreadId>> = Mutex::new(None);

/// The messages of worker threads' panics while the reader had the terminal.
static HELD: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Puts the hook in place, around Rust's own (once). Hooks set after it (the log's, the reader's) call it.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let rust = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !keep(&info.to_string()) {
                rust(info);
            }
        }));
    });
}

/// Marks this thread as one whose stop nobody would notice (the one reading the terminal's keys: the
/// loop only waits for its events): its panic gives the terminal back, as the drawing thread's does, so
/// that Ctrl-C ends papers again. Every other worker's owner notices it stop (a channel closed, a
/// search run on the loop's thread instead, a message of the thread that stopped), and the reader
/// goes on.
pub fn unwatched() {
    UNWATCHED.set(true);
}

/// True when this thread's panic while the reader draws is held: a worker whose stop is noticed.
fn is_watched() -> bool {
    !UNWATCHED.get()
}

/// True when a panic on this thread now is told by papers later, not printed: a hook must then leave the
/// terminal as it is.
pub fn told_later() -> bool {
    CATCHING.get() || (is_watched() && SCREEN.lock().is_ok_and(|screen| drawn_by_another(*screen)))
}

/// True when the reader draws, on a thread other than this one.
fn drawn_by_another(screen: Option<ThreadId>) -> bool {
    screen.is_some_and(|id| id != std::thread::current().id())
}

/// Keeps the message of a panic on this thread when papers tells of it itself (see `told_later`).
fn keep(message: &str) -> bool {
    if CATCHING.get() {
        CAUGHT.set(Some(message.to_string()));
        return true;
    }
    if !is_watched() {
        return false;
    }
    // Decided and kept under the one lock: the reader leaving the screen meanwhile takes what is held
    // after this, or finds the screen given back and the message printed.
    let Ok(screen) = SCREEN.lock() else { return false };
    if !drawn_by_another(*screen) {
        return false;
    }
    let thread = std::thread::current();
    let name = thread.name().unwrap_or("a worker");
    if let Ok(mut held) = HELD.lock() {
        held.push(format!("thread '{name}' {message}"));
    }
    true
}

/// Runs `f`, catching a panic in it: its message instead (with its place, when the hook is installed),
/// which no hook printed.
pub fn catching<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let was = CATCHING.replace(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CATCHING.set(was);
    result.map_err(|payload| {
        CAUGHT.take().unwrap_or_else(|| match (payload.downcast_ref::<&str>(), payload.downcast_ref::<String>()) {
            (Some(text), _) => text.to_string(),
            (_, Some(text)) => text.clone(),
            _ => "it panicked".to_string(),
        })
    })
}

/// This thread draws on the terminal now (`Some`), or no thread does any more.
pub fn on_screen(drawing: bool) {
    if let Ok(mut screen) = SCREEN.lock() {
        *screen = drawing.then(|| std::thread::current().id());
    }
}

/// The messages of the worker threads' panics kept while the reader had the terminal (taken once the
/// screen is given back: see `on_screen`).
pub fn take_held() -> Vec<String> {
    let _screen = SCREEN.lock();
    HELD.lock().map(|mut held| std::mem::take(&mut *held)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_gives_its_message_and_the_thread_goes_on() {
        install();
        let caught = catching(|| -> u32 { panic!("index out of bounds in a damaged file") });
        let message = caught.unwrap_err();
        assert!(message.contains("index out of bounds in a damaged file"), "{message}");
        assert!(message.contains("src/panics.rs"), "the place is said: {message}");
        assert_eq!(catching(|| 7), Ok(7));
        assert!(!CATCHING.get());
    }

    #[test]
    fn a_workers_panic_while_another_thread_has_the_screen_is_held_for_later() {
        install();
        on_screen(true);
        let worker = std::thread::Builder::new()
            .name("index".into())
            .spawn(|| {
                assert!(told_later());
                panic!("a worker's panic");
            })
            .unwrap();
        assert!(worker.join().is_err());
        // The thread nobody watches (the one reading keys) gives the terminal back as the drawing one.
        let unwatched = std::thread::spawn(|| {
            super::unwatched();
            told_later()
        })
        .join()
        .unwrap();
        // The drawing thread's own panics are not held.
        let drawing = told_later();
        on_screen(false);
        assert!(!unwatched && !drawing);
        let held = take_held();
        assert!(
            held.iter().any(|m| m.starts_with("thread 'index' panicked at") && m.contains("a worker's panic")),
            "{held:?}"
        );
        assert!(take_held().is_empty());
    }
}
