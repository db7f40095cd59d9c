//! A program the user configured, run on a paper (`|`): started directly (no shell), its standard input
//! written from a thread of its own so that a program that never reads cannot hold us, its output read and
//! capped on two more, and killed with what it started when it runs past its time or papers quits.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, mpsc};
use std::time::{Duration, Instant};

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// It exited with this code.
    Exited(i32),
    /// A signal ended it (Unix): its number.
    Signalled(i32),
    /// It ran past its time and was killed.
    TimedOut(Duration),
    /// It could not be started: why.
    NotStarted(String),
}

/// What a run gave back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    pub ending: Ending,
    /// Standard output and standard error, at most the cap each, and whether each was cut there.
    pub stdout: Vec<u8>,
    pub stdout_cut: bool,
    pub stderr: Vec<u8>,
    pub stderr_cut: bool,
}

impl Ran {
    /// True when it exited with code 0, or was stopped by the end of its output once that passed the cap
    /// (see `read_capped`).
    pub fn succeeded(&self) -> bool {
        self.ending == Ending::Exited(0) || self.stopped_at_cap()
    }

    /// True when its standard output passed the cap, and writing on ended it (a broken pipe), as
    /// `head` ends what writes into it.
    pub fn stopped_at_cap(&self) -> bool {
        // Ended by the signal, or a shell's child was (`sh -c`, which exits 128 and its number).
        #[cfg(unix)]
        let broken_pipe = matches!(self.ending, Ending::Signalled(signal) if signal == libc::SIGPIPE)
            || self.ending == Ending::Exited(128 + libc::SIGPIPE);
        #[cfg(not(unix))]
        let broken_pipe = false;
        self.stdout_cut && broken_pipe
    }
}

/// The run of a program that could not be started, and why.
pub fn not_started(why: String) -> Ran {
    Ran {
        ending: Ending::NotStarted(why),
        stdout: Vec::new(),
        stdout_cut: false,
        stderr: Vec::new(),
        stderr_cut: false,
    }
}

/// How long the output is waited for once the program ended: a child it left behind may hold the pipes.
const DRAIN: Duration = Duration::from_secs(1);

/// How often a running program is looked at.
const POLL: Duration = Duration::from_millis(10);

/// The programs running now, by process id. Each leads a process group of its own (Unix), so that what
/// it started ends with it. An id leaves the list under the lock it is reaped under: an id here is never
/// another process's.
static RUNNING: Mutex<Vec<u32>> = Mutex::new(Vec::new());

fn running() -> MutexGuard<'static, Vec<u32>> {
    RUNNING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Ends every program still running and what it started, on the way out: a summary a language model is
/// still writing is not left running, and paid for, once papers has gone.
pub fn end_all() {
    for &pid in running().iter() {
        end_group(pid);
    }
}

/// Sends SIGKILL to the process group `pid` leads (Unix; elsewhere the program alone is killed).
fn end_group(pid: u32) {
    #[cfg(unix)]
    if let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    #[cfg(not(unix))]
    let _ = pid;
}

/// How often, at most, what a running program wrote so far is passed on (see `run`).
const WROTE_EVERY: Duration = Duration::from_millis(100);

/// Runs `argv` with `input` on its standard input, for at most `timeout`, keeping at most `cap` bytes of
/// each output. Waits for it on the calling thread; while it runs, `wrote` is called with what came on
/// its standard output since the last call, at most every `WROTE_EVERY` (a summary a language model
/// writes for half a minute is read as it comes, not only once it ends); all of it is in what it gives
/// back, as it would be without.
pub fn run(argv: &[String], input: Vec<u8>, timeout: Duration, cap: usize, wrote: &mut dyn FnMut(&[u8])) -> Ran {
    let Some((program, args)) = argv.split_first() else { return not_started("no program to run".into()) };
    let mut command = Command::new(program);
    command.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    // Listed before the program can start anything: the lock is held across the start.
    let mut list = running();
    let child = command.spawn();
    if let Ok(child) = &child {
        list.push(child.id());
    }
    drop(list);
    let mut child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && program.contains(std::path::MAIN_SEPARATOR) => {
            return not_started(format!("{program}: not found (no such file)"));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return not_started(format!("{program}: not found (no program of that name on PATH)"));
        }
        Err(_) if std::path::Path::new(program).is_dir() => {
            return not_started(format!("{program}: is a directory, not a program"));
        }
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied && std::path::Path::new(program).is_file() => {
            return not_started(format!("{program}: is not executable (chmod +x {program})"));
        }
        Err(e) => return not_started(format!("cannot run {program}: {e}")),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A program that does not read fills the pipe and never empties it: the write waits here, not us,
        // and ends (broken pipe) when the program does.
        let _ = std::thread::Builder::new().name("command input".into()).spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let stdout = child.stdout.take().map(|out| read_capped(out, cap));
    let stderr = child.stderr.take().map(|err| read_capped(err, cap));
    let started = Instant::now();
    let pid = child.id();
    // Reaped under the lock, and taken off the list there.
    let end = |child: &mut std::process::Child| {
        end_group(pid);
        let _ = child.kill();
        let mut list = running();
        let _ = child.wait();
        list.retain(|&p| p != pid);
    };
    let (mut told, mut told_at) = (0, None::<Instant>);
    let ending = loop {
        if let Some(out) = &stdout
            && told_at.is_none_or(|at| at.elapsed() >= WROTE_EVERY)
        {
            let kept = out.kept.lock().unwrap_or_else(PoisonError::into_inner);
            if kept.0.len() > told {
                let new = kept.0[told..].to_vec();
                told = kept.0.len();
                // Not called under the lock: the thread reading the output goes on meanwhile.
                drop(kept);
                wrote(&new);
                told_at = Some(Instant::now());
            }
        }
        let mut list = running();
        let status = child.try_wait();
        if let Ok(Some(_)) = status {
            list.retain(|&p| p != pid);
        }
        drop(list);
        match status {
            Ok(Some(status)) => break ending_of(status),
            Ok(None) if started.elapsed() >= timeout => {
                end(&mut child);
                break Ending::TimedOut(timeout);
            }
            Ok(None) => std::thread::sleep(POLL),
            Err(e) => {
                end(&mut child);
                break Ending::NotStarted(format!("cannot wait for {program}: {e}"));
            }
        }
    };
    // The program has ended; something it started and left running may hold its outputs open. Its
    // group is ended then (what holds the pipes is in it, so its id is not another's yet), and what
    // was written is shown: a program that left `sleep 300 &` behind showed "wrote nothing", and the
    // sleep outlived papers. What it started with its outputs elsewhere (a viewer it opened) is left.
    let mut ended = false;
    let mut collect = |from: Option<Captured>| {
        let Some(from) = from else { return (Vec::new(), false) };
        if from.done.recv_timeout(DRAIN).is_err() && !ended {
            ended = true;
            end_group(pid);
            let _ = from.done.recv_timeout(DRAIN);
        }
        std::mem::take(&mut *from.kept.lock().unwrap_or_else(PoisonError::into_inner))
    };
    let ((stdout, stdout_cut), (stderr, stderr_cut)) = (collect(stdout), collect(stderr));
    Ran { ending, stdout, stdout_cut, stderr, stderr_cut }
}

/// An output being read: what was kept of it so far and whether it was cut, and a message at its end.
struct Captured {
    kept: Arc<Mutex<(Vec<u8>, bool)>>,
    done: mpsc::Receiver<()>,
}

/// Reads `from` on a thread, keeping the first `cap` bytes, until its end or until it passes the cap:
/// then the pipe is closed, so that a program writing on is ended by the broken pipe (as `head` ends
/// it), rather than run to its timeout with what it writes read and dropped; a program that never
/// waits on a full pipe either way. What was kept is there to take even before the end.
fn read_capped(mut from: impl Read + Send + 'static, cap: usize) -> Captured {
    let (send, done) = mpsc::channel();
    let kept = Arc::new(Mutex::new((Vec::new(), false)));
    let shared = Arc::clone(&kept);
    let read = move || {
        let mut buffer = vec![0; 64 * 1024];
        loop {
            match from.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => {
                    let mut kept = shared.lock().unwrap_or_else(PoisonError::into_inner);
                    let room = cap.saturating_sub(kept.0.len());
                    kept.0.extend_from_slice(&buffer[..n.min(room)]);
                    if n > room {
                        kept.1 = true;
                        break;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = send.send(());
    };
    let _ = std::thread::Builder::new().name("command output".into()).spawn(read);
    Captured { kept, done }
}

fn ending_of(status: std::process::ExitStatus) -> Ending {
    if let Some(code) = status.code() {
        return Ending::Exited(code);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return Ending::Signalled(signal);
        }
    }
    Ending::Exited(-1)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str) -> Vec<String> {
        vec!["/bin/sh".into(), "-c".into(), script.into()]
    }

    #[test]
    fn input_goes_in_and_output_comes_back() {
        let ran =
            run(&sh("tr a-z A-Z; echo oops >&2"), b"hello".to_vec(), Duration::from_secs(20), 1 << 20, &mut |_| {});
        assert_eq!(ran.ending, Ending::Exited(0));
        assert_eq!(ran.stdout, b"HELLO");
        assert_eq!(ran.stderr, b"oops\n");
        assert!(ran.succeeded());
    }

    #[test]
    fn what_a_program_wrote_is_passed_on_while_it_runs() {
        // The program writes a line, then waits for a file only the callback makes: it ends only when
        // what it wrote came out before its end.
        let dir = tempfile::tempdir().unwrap();
        let go = dir.path().join("go");
        let script = format!("echo first; while [ ! -e '{}' ]; do sleep 0.01; done; echo second", go.display());
        let mut seen = Vec::new();
        let ran = run(&sh(&script), Vec::new(), Duration::from_secs(20), 1 << 20, &mut |so_far| {
            seen.push(so_far.to_vec());
            std::fs::write(&go, "").unwrap();
        });
        assert_eq!((ran.ending, ran.stdout), (Ending::Exited(0), b"first\nsecond\n".to_vec()));
        assert_eq!(seen.first().map(Vec::as_slice), Some(&b"first\n"[..]), "{seen:?}");
        // Only what is new each time: nothing passed on twice, nothing empty.
        assert!(seen.iter().all(|new| !new.is_empty()), "{seen:?}");
        assert!(b"first\nsecond\n".starts_with(&seen.concat()), "{seen:?}");
    }

    #[test]
    fn a_program_that_writes_past_the_cap_is_stopped_there() {
        let started = Instant::now();
        let ran = run(&sh("yes papers"), Vec::new(), Duration::from_secs(60), 1 << 16, &mut |_| {});
        assert!(started.elapsed() < Duration::from_secs(30), "ran to its timeout");
        assert!(ran.stdout_cut && ran.stdout.len() == 1 << 16, "{} bytes", ran.stdout.len());
        assert!(ran.stopped_at_cap() && ran.succeeded(), "{:?}", ran.ending);
    }

    #[test]
    fn a_failure_keeps_its_code_and_error() {
        let ran = run(&sh("echo broken >&2; exit 3"), Vec::new(), Duration::from_secs(20), 1 << 20, &mut |_| {});
        assert_eq!((ran.ending, ran.stderr), (Ending::Exited(3), b"broken\n".to_vec()));
        let ran =
            run(&["papers-no-such-program-here".to_string()], Vec::new(), Duration::from_secs(1), 10, &mut |_| {});
        assert!(
            matches!(&ran.ending, Ending::NotStarted(why) if why.contains("not found (no program of that name on PATH)")),
            "{:?}",
            ran.ending
        );
        let ran = run(&["/papers/no/such/program".to_string()], Vec::new(), Duration::from_secs(1), 10, &mut |_| {});
        assert!(
            matches!(&ran.ending, Ending::NotStarted(why) if why.ends_with("not found (no such file)")),
            "{:?}",
            ran.ending
        );
        // A directory, and a file that may not be run, named for what they are.
        let dir = tempfile::tempdir().unwrap();
        let ran = run(&[dir.path().display().to_string()], Vec::new(), Duration::from_secs(1), 10, &mut |_| {});
        assert!(
            matches!(&ran.ending, Ending::NotStarted(why) if why.ends_with("is a directory, not a program")),
            "{:?}",
            ran.ending
        );
        #[cfg(unix)]
        {
            let script = dir.path().join("script");
            std::fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
            let ran = run(&[script.display().to_string()], Vec::new(), Duration::from_secs(1), 10, &mut |_| {});
            assert!(
                matches!(&ran.ending, Ending::NotStarted(why) if why.contains("is not executable (chmod +x")),
                "{:?}",
                ran.ending
            );
        }
    }

    #[test]
    fn a_program_that_neither_reads_nor_ends_is_killed_at_its_time() {
        // Far more input than a pipe holds, never read: the write must not hold the run.
        let started = Instant::now();
        let ran = run(&sh("exec sleep 30"), vec![b'x'; 4 << 20], Duration::from_millis(300), 1 << 20, &mut |_| {});
        assert_eq!(ran.ending, Ending::TimedOut(Duration::from_millis(300)));
        assert!(started.elapsed() < Duration::from_secs(20), "killed, not waited for");
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn what_a_program_left_running_on_its_output_is_ended_and_the_output_kept() {
        let dir = tempfile::tempdir().unwrap();
        let ids = dir.path().join("ids");
        let script = format!("echo hello; sleep 300 & echo $! > '{}'; echo bye", ids.display());
        let started = Instant::now();
        let ran = run(&sh(&script), Vec::new(), Duration::from_secs(60), 1 << 20, &mut |_| {});
        assert_eq!((ran.ending, ran.stdout), (Ending::Exited(0), b"hello\nbye\n".to_vec()));
        assert!(started.elapsed() < Duration::from_secs(20), "not waited for till its time");
        let alive = |pid: &str| {
            let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
            stat.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z'))
        };
        let pid = std::fs::read_to_string(&ids).unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while alive(&pid) {
            assert!(Instant::now() < deadline, "the program's own child {pid} still runs");
            std::thread::sleep(Duration::from_millis(20));
        }
        // One that put its outputs elsewhere is the program's to leave running (a viewer it opened).
        let script = format!("sleep 300 >/dev/null 2>&1 & echo $! > '{}'; echo opened", ids.display());
        let ran = run(&sh(&script), Vec::new(), Duration::from_secs(60), 1 << 20, &mut |_| {});
        assert_eq!(ran.stdout, b"opened\n".to_vec());
        let pid = std::fs::read_to_string(&ids).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        assert!(alive(&pid), "the viewer was left");
        let _ = std::process::Command::new("kill").arg(pid.trim()).status();
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn what_a_program_started_is_killed_with_it_at_its_time() {
        let dir = tempfile::tempdir().unwrap();
        let ids = dir.path().join("ids");
        let script = format!("sleep 300 & echo $! > '{}'; wait", ids.display());
        let ran = run(&sh(&script), Vec::new(), Duration::from_millis(500), 1 << 20, &mut |_| {});
        assert_eq!(ran.ending, Ending::TimedOut(Duration::from_millis(500)));
        let pid = std::fs::read_to_string(&ids).unwrap();
        let alive = || {
            let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
            stat.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z'))
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while alive() {
            assert!(Instant::now() < deadline, "the program's own child {pid} still runs");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn output_is_cut_at_the_cap_and_the_program_still_ends() {
        let ran = run(&sh("head -c 300000 /dev/zero"), Vec::new(), Duration::from_secs(20), 1000, &mut |_| {});
        assert!(ran.succeeded(), "{:?}", ran.ending);
        assert_eq!((ran.stdout.len(), ran.stdout_cut), (1000, true));
        // Standard error past the cap is closed too; the program ends, and its code is its own.
        let ran =
            run(&sh("head -c 300000 /dev/zero >&2; exit 4"), Vec::new(), Duration::from_secs(20), 1000, &mut |_| {});
        assert_eq!((ran.stderr.len(), ran.stderr_cut), (1000, true));
        assert!(matches!(ran.ending, Ending::Exited(4 | 141)), "{:?}", ran.ending);
    }
}
