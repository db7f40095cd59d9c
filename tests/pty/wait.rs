//! Reading the screen and waiting on it: a pattern shown, gone, timed, or there now; a failure prints
//! the screen it saw.

use std::sync::PoisonError;
use std::time::{Duration, Instant};

use regex::Regex;

use super::{Pty, TIMEOUT, screen_text};

impl Pty {
    /// The screen as text: one line a row, without trailing spaces.
    pub fn screen(&self) -> String {
        screen_text(self.lock().parser.screen())
    }

    /// Waits until the screen matches `pattern` (a multi-line regex); returns the screen.
    pub fn wait(&mut self, pattern: &str) -> String {
        let re = regex(pattern);
        self.wait_for(&format!("the screen to show /{pattern}/"), |screen| re.is_match(screen))
    }

    /// Waits until the screen does not match `pattern`.
    pub fn gone(&mut self, pattern: &str) -> String {
        let re = regex(pattern);
        self.wait_for(&format!("/{pattern}/ to leave the screen"), |screen| !re.is_match(screen))
    }

    /// Waits for `pattern` as `wait` does, and prints how long after the start of the program it showed.
    pub fn timed(&mut self, what: &str, pattern: &str) -> Duration {
        self.wait(pattern);
        let took = self.started.elapsed();
        println!("{what}: {} ms", took.as_millis());
        took
    }

    /// The screen matches `pattern` now.
    pub fn expect(&mut self, pattern: &str) {
        let screen = self.screen();
        if !regex(pattern).is_match(&screen) {
            self.fail(&format!("the screen does not show /{pattern}/"), &screen);
        }
    }

    /// The screen does not match `pattern` now.
    pub fn reject(&mut self, pattern: &str) {
        let screen = self.screen();
        if regex(pattern).is_match(&screen) {
            self.fail(&format!("the screen shows /{pattern}/"), &screen);
        }
    }

    fn wait_for(&mut self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        let mut state = self.lock();
        loop {
            let screen = screen_text(state.parser.screen());
            if done(&screen) {
                return screen;
            }
            let now = Instant::now();
            if now >= deadline || state.ended {
                drop(state);
                let ended = if self.lock().ended { " (the terminal's output has ended)" } else { "" };
                self.fail(&format!("waited {TIMEOUT:?} for {what}{ended}"), &screen);
            }
            state = self.output.changed.wait_timeout(state, deadline - now).unwrap_or_else(PoisonError::into_inner).0;
        }
    }

    /// Fails the test with the screen, and how the program ended if it did.
    pub(super) fn fail(&mut self, what: &str, screen: &str) -> ! {
        let status = match self.try_status() {
            Some(status) => format!("the program has ended: {status}"),
            None => "the program is still running".to_string(),
        };
        panic!("{what}; {status}. The screen:\n{}", framed(screen));
    }
}

fn regex(pattern: &str) -> Regex {
    Regex::new(&format!("(?m){pattern}")).unwrap_or_else(|e| panic!("bad pattern /{pattern}/: {e}"))
}

/// The screen between rules, so that where it starts and ends shows in a test's output.
pub(super) fn framed(screen: &str) -> String {
    let width = screen.lines().map(|l| l.chars().count()).max().unwrap_or(0).max(20);
    let rule = "─".repeat(width);
    format!("┌{rule}\n{}\n└{rule}", screen.lines().map(|l| format!("│{l}")).collect::<Vec<_>>().join("\n"))
}
