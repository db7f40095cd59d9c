//! A pseudo-terminal for the end-to-end tests: runs a program, types keys, reads the screen through an emulator.

// A test file that includes the harness may use only part of it.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use filedescriptor::{FileDescriptor, POLLIN, pollfd};
use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, SlavePty, native_pty_system};

mod checks;
mod wait;
use wait::framed;

/// How long the screen may take to show something, or a program to end, before the test fails: generous,
/// because the machines that run the tests are shared and a debug build under load is slow.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// A command with a clean environment of its own: `data` is its home, data directory and working
/// directory, so no test sees another's files, the machine's, or the variables of whoever runs the tests.
pub fn command(program: impl AsRef<OsStr>, data: &Path) -> CommandBuilder {
    let mut command = CommandBuilder::new(program);
    command.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    command.env("HOME", data);
    command.env("XDG_DATA_HOME", data);
    command.env("TERM", "xterm-256color");
    command.cwd(data);
    command
}

/// The reader itself, as `command` runs it.
pub fn papers(data: &Path) -> CommandBuilder {
    command(env!("CARGO_BIN_EXE_papers"), data)
}

/// A pseudo-terminal of a given size, with a program running in it.
///
/// A thread reads everything the program writes into a `vt100` emulator (and keeps the bytes, for checks
/// the emulator cannot make). Dropping it kills what the test started there, so a failed test leaves no
/// process behind.
pub struct Pty {
    master: Option<Box<dyn MasterPty + Send>>,
    /// Kept open only while another program is to be run in the same terminal: while it is open, the end of
    /// the programs' output cannot be seen.
    slave: Option<Box<dyn SlavePty + Send>>,
    writer: Option<FileDescriptor>,
    output: Arc<Output>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    child: Option<Box<dyn Child + Send + Sync>>,
    /// Once the child has been waited for, its pid and process group may belong to another process.
    reaped: bool,
    started: Instant,
}

/// What the program wrote, shared with the thread that reads it.
struct Output {
    state: Mutex<Screen>,
    changed: Condvar,
}

struct Screen {
    parser: vt100::Parser<Seen>,
    raw: Vec<u8>,
    /// The terminal reported the end of output: every program that had it has closed it.
    ended: bool,
}

/// What the emulator reports besides the screen: window titles and clipboard writes asked for.
#[derive(Default)]
struct Seen {
    titles: Vec<String>,
    clipboard: Vec<String>,
}

impl vt100::Callbacks for Seen {
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(format!("icon name: {}", String::from_utf8_lossy(name)));
    }

    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(format!("title: {}", String::from_utf8_lossy(title)));
    }

    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], data: &[u8]) {
        self.clipboard.push(String::from_utf8_lossy(data).into_owned());
    }
}

/// A raw descriptor, lent for `FileDescriptor::dup` while the master that owns it is alive.
struct Borrowed(RawFd);

impl AsRawFd for Borrowed {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

impl Pty {
    /// Runs `command` in a new terminal of `cols` x `rows`.
    pub fn spawn(command: CommandBuilder, cols: u16, rows: u16) -> Pty {
        let mut pty = Pty::open(cols, rows);
        pty.run(command);
        // Only the program holds the terminal now, so its output ends when it (and what it started) does.
        pty.slave = None;
        pty
    }

    /// A new terminal with nothing running in it yet: `run` starts programs there one after another.
    pub fn open(cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("open a pseudo-terminal");
        let raw = pair.master.as_raw_fd().expect("the master's descriptor");
        // Our own copies, not portable-pty's reader and writer: the terminal only closes once every copy of
        // the master is closed, so the reader must stop on request, which a blocked read cannot (it polls);
        // and portable-pty's writer types a newline and Ctrl-D into the terminal when it is dropped.
        let reading = FileDescriptor::dup(&Borrowed(raw)).expect("dup the master");
        let writer = FileDescriptor::dup(&Borrowed(raw)).expect("dup the master");
        let output = Arc::new(Output {
            state: Mutex::new(Screen {
                parser: vt100::Parser::new_with_callbacks(nonzero(rows), nonzero(cols), 0, Seen::default()),
                raw: Vec::new(),
                ended: false,
            }),
            changed: Condvar::new(),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let (output, stop) = (Arc::clone(&output), Arc::clone(&stop));
            std::thread::Builder::new()
                .name("pty reader".into())
                .spawn(move || read_all(reading, &output, &stop))
                .expect("start the reader thread")
        };
        Pty {
            master: Some(pair.master),
            slave: Some(pair.slave),
            writer: Some(writer),
            output,
            stop,
            reader: Some(reader),
            child: None,
            reaped: false,
            started: Instant::now(),
        }
    }

    /// Starts `command` in this terminal (as its session leader, with the terminal as its controlling
    /// terminal), after the previous program ended.
    pub fn run(&mut self, command: CommandBuilder) {
        assert!(self.child.is_none() || self.reaped, "the previous program is still running");
        let slave = self.slave.as_ref().expect("the terminal is still open for new programs");
        self.child = Some(slave.spawn_command(command).expect("start the program"));
        self.reaped = false;
        self.started = Instant::now();
    }

    /// The process id of the program last started.
    pub fn pid(&self) -> Pid {
        let pid = self.child.as_ref().and_then(|c| c.process_id()).expect("a program was started");
        Pid::from_raw(i32::try_from(pid).expect("pid"))
    }

    /// Sends `signal` to the program last started.
    pub fn signal(&self, signal: Signal) {
        assert!(!self.reaped, "the program has already ended");
        kill(self.pid(), signal).expect("send the signal");
    }

    /// Presses keys, separated by spaces: a single character types itself; named keys are `Enter`, `Esc`,
    /// `Tab`, `Backspace`, `Space`, `Up`, `Down`, `Left`, `Right`, `Home`, `End`, `PageUp`, `PageDown`,
    /// `S-Up`, `S-Down`, `F12`, and `C-x` for Ctrl and a letter. After `Esc`, wait for the screen to change
    /// before the next key, or the two may arrive together and read as Alt and that key.
    pub fn keys(&mut self, keys: &str) {
        let bytes: Vec<u8> = keys.split_whitespace().flat_map(key).collect();
        self.write(&bytes);
    }

    /// Types `text` as it is.
    pub fn type_text(&mut self, text: &str) {
        self.write(text.as_bytes());
    }

    fn write(&mut self, bytes: &[u8]) {
        let writer = self.writer.as_mut().expect("the terminal is open");
        writer.write_all(bytes).and_then(|()| writer.flush()).expect("write to the terminal");
    }

    /// Resizes the terminal, as a window being resized does (the program gets SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        // The emulator first, so that what the program draws for the new size lands on a screen of that size.
        self.lock().parser.set_size(nonzero(rows), nonzero(cols));
        let master = self.master.as_ref().expect("the terminal is open");
        master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize the terminal");
    }

    /// Waits for the program to end and returns its exit code; fails if it does not end in `TIMEOUT`, or
    /// is killed by a signal instead of exiting. In a terminal from `spawn` the screen then holds all the
    /// program wrote; in one from `open`, kept for more programs, the end of the output cannot be seen, so
    /// check the screen once something the next program prints has shown.
    pub fn wait_exit(&mut self) -> u32 {
        self.wait_exit_within(TIMEOUT)
    }

    /// `wait_exit` with a limit of its own; a program still running then is killed and the test fails.
    pub fn wait_exit_within(&mut self, limit: Duration) -> u32 {
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(status) = self.try_status() {
                break status;
            }
            if Instant::now() >= deadline {
                self.kill();
                let screen = self.screen();
                panic!("the program was still running after {limit:?} (now killed). The screen:\n{}", framed(&screen));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        if self.slave.is_none() {
            self.drain();
        }
        if let Some(signal) = status.signal() {
            let screen = self.screen();
            panic!(
                "the program was killed by a signal ({signal}) instead of exiting. The screen:\n{}",
                framed(&screen)
            );
        }
        status.exit_code()
    }

    fn try_status(&mut self) -> Option<portable_pty::ExitStatus> {
        let child = self.child.as_mut()?;
        // Not a panic on an error: this runs in Drop too, maybe while a failed test unwinds.
        let status = child.try_wait().ok()??;
        self.reaped = true;
        Some(status)
    }

    /// Once every program that had the terminal has closed it, reads the rest of what they wrote.
    fn drain(&self) {
        let deadline = Instant::now() + TIMEOUT;
        let mut state = self.lock();
        while !state.ended && Instant::now() < deadline {
            state = self
                .output
                .changed
                .wait_timeout(state, Duration::from_millis(100))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Closes the terminal under the program, as closing its window or losing the connection does.
    pub fn hang_up(&mut self) {
        self.stop_reading();
        self.writer = None;
        self.slave = None;
        self.master = None;
    }

    fn lock(&self) -> MutexGuard<'_, Screen> {
        self.output.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Ends what the test started here and has not waited for: the terminal's foreground job (one a shell
    /// started), then the program's process group, with SIGHUP first, as a closed terminal would end it (a
    /// shell passes it on to its jobs, stopped ones too), and SIGKILL if that is not enough. Only while the
    /// program is not yet waited for: after that its ids may be another process's.
    fn kill(&mut self) {
        if self.reaped {
            return;
        }
        let Some(pid) = self.child.as_ref().and_then(|c| c.process_id()).and_then(|p| i32::try_from(p).ok()) else {
            return;
        };
        if let Some(foreground) = self.master.as_ref().and_then(|m| m.process_group_leader())
            && foreground != pid
        {
            let _ = killpg(Pid::from_raw(foreground), Signal::SIGKILL);
        }
        let _ = killpg(Pid::from_raw(pid), Signal::SIGHUP);
        let deadline = Instant::now() + Duration::from_secs(2);
        while self.try_status().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        if !self.reaped {
            let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
            if let Some(child) = self.child.as_mut() {
                let _ = child.wait();
            }
            self.reaped = true;
        }
    }

    fn stop_reading(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        self.kill();
        self.stop_reading();
    }
}

/// The reader thread: everything from the terminal into the emulator, until the output ends or the test
/// asks it to stop. It polls so that it can be stopped: a blocked read would keep the terminal open.
fn read_all(mut master: FileDescriptor, output: &Output, stop: &AtomicBool) {
    let mut buf = vec![0; 64 * 1024];
    while !stop.load(Ordering::SeqCst) {
        let mut poll = [pollfd { fd: master.as_raw_fd(), events: POLLIN, revents: 0 }];
        match filedescriptor::poll(&mut poll, Some(Duration::from_millis(50))) {
            Ok(0) => continue,
            Ok(_) => {}
            Err(_) => break,
        }
        let n = match master.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // EIO: no program has the terminal open any more.
            Err(_) => break,
        };
        let mut state = output.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.parser.process(&buf[..n]);
        state.raw.extend_from_slice(&buf[..n]);
        drop(state);
        output.changed.notify_all();
    }
    output.state.lock().unwrap_or_else(PoisonError::into_inner).ended = true;
    output.changed.notify_all();
}

/// The bytes a key sends in an xterm.
fn key(name: &str) -> Vec<u8> {
    let named: &[u8] = match name {
        "Enter" => b"\r",
        "Esc" | "Escape" => b"\x1b",
        "Tab" => b"\t",
        "Backspace" => b"\x7f",
        "Space" => b" ",
        "Up" => b"\x1b[A",
        "Down" => b"\x1b[B",
        "Right" => b"\x1b[C",
        "Left" => b"\x1b[D",
        "Home" => b"\x1b[H",
        "End" => b"\x1b[F",
        "PageUp" => b"\x1b[5~",
        "PageDown" => b"\x1b[6~",
        "S-Up" => b"\x1b[1;2A",
        "S-Down" => b"\x1b[1;2B",
        "F12" => b"\x1b[24~",
        _ => {
            if let Some(letter) = name.strip_prefix("C-")
                && let [c] = letter.as_bytes()
                && c.is_ascii_alphabetic()
            {
                return vec![c.to_ascii_lowercase() & 0x1f];
            }
            assert_eq!(name.chars().count(), 1, "unknown key {name}");
            return name.as_bytes().to_vec();
        }
    };
    named.to_vec()
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a terminal is at least one cell high and wide")
}

fn screen_text(screen: &vt100::Screen) -> String {
    let cols = screen.size().1.get();
    screen.rows(0, cols).map(|row| row.trim_end().to_string()).collect::<Vec<_>>().join("\n")
}
