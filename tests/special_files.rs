//! What the command line finds where a file should be, when it is not a regular one: a FIFO as the lock
//! never hangs it, a device as the state or as `-o` is never replaced, a symlink is written through, and a
//! failed save names the file that failed and why.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `papers` with `args`, killing it (and failing) if it has not ended within 20 seconds.
fn papers(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_papers"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("papers {args:?} still running after 20 s: it waits on something it must not");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &Path) {
    nix::unistd::mkfifo(path, nix::sys::stat::Mode::S_IRWXU).unwrap();
}

/// True when running as root: a file made now is owned by user 0.
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let file = tempfile::NamedTempFile::new().unwrap();
    file.as_file().metadata().unwrap().uid() == 0
}

/// A character device like the system's `/dev/null` (1, 3), made in `dir` where the user may make one
/// (root): a test that went wrong replaces this one, not the system's. Elsewhere, the system's own, which
/// a user other than root cannot replace.
fn null_device(dir: &Path) -> std::path::PathBuf {
    if !is_root() {
        return "/dev/null".into();
    }
    let path = dir.join("null");
    let mode = nix::sys::stat::Mode::from_bits_truncate(0o666);
    nix::sys::stat::mknod(&path, nix::sys::stat::SFlag::S_IFCHR, mode, nix::sys::stat::makedev(1, 3)).unwrap();
    path
}

#[test]
fn a_fifo_as_the_lock_file_does_not_hang_list() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("s.json");
    fs::write(&state, br#"{"version": 1, "papers": {"title:a survey of mamba": {"starred": true, "changed": 1}}}"#)
        .unwrap();
    mkfifo(&dir.path().join("s.json.lock"));
    let out = papers(&["list", "--starred", "--state", state.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "● ★ A Survey of Mamba\n");
    // Saving is refused with the reason, at once.
    let marks = dir.path().join("marks.json");
    fs::write(&marks, br#"{"version": 1, "papers": {"title:p": {"starred": true, "changed": 5}}}"#).unwrap();
    let out = papers(&["state", "import", marks.to_str().unwrap(), "--state", state.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("cannot open the lock file") && err.contains("it is a FIFO (named pipe)"), "{err}");
}

#[test]
fn a_fifo_as_the_configuration_is_read_when_written_to_and_refused_when_not() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("config.toml");
    mkfifo(&fifo);
    let state = dir.path().join("s.json");
    let state = state.to_str().unwrap();
    // Nothing writes to it: refused at once, rather than waited on for ever.
    for command in ["config", "sources"] {
        let out = papers(&[command, "--config", fifo.to_str().unwrap(), "--state", state]);
        assert_eq!(out.status.code(), Some(2), "{command}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("FIFO (named pipe) and nothing was written to it"), "{}", text(&out.stderr));
    }
    // A writer there first that writes a little later, as a shell's `<(…)` may: what it writes is the
    // configuration. (Opened to read and write, which Linux does without waiting for a reader.)
    let mut writer = fs::OpenOptions::new().read(true).write(true).open(&fifo).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_papers"))
        .args(["sources", "--config", fifo.to_str().unwrap(), "--state", state])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    std::io::Write::write_all(&mut writer, b"[huggingface]\nenabled = false\n").unwrap();
    drop(writer);
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("papers sources still waits on the FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("huggingface"), "the one source turned off: {}", text(&out.stdout));
}

#[test]
fn a_fifo_as_a_digest_is_read_when_written_to_and_refused_when_nothing_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("digest.txt");
    mkfifo(&fifo);
    let state = dir.path().join("s.json");
    let state = state.to_str().unwrap();
    // Nothing writes to it: refused at once, rather than waited on for ever (a blocking open did).
    let out = papers(&["list", fifo.to_str().unwrap(), "--state", state]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("digest.txt: cannot read it: it is a FIFO (named pipe) and nothing was written to it"),
        "{err}"
    );
    // A writer there first that writes a little later, as a shell's `<(curl …)` is: what it writes is
    // the digest.
    let mut writer = fs::OpenOptions::new().read(true).write(true).open(&fifo).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_papers"))
        .args(["list", fifo.to_str().unwrap(), "--state", state])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let digest = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/three-papers.txt")).unwrap();
    std::io::Write::write_all(&mut writer, &digest).unwrap();
    drop(writer);
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("papers list still waits on the FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 3, "{}", text(&out.stdout));
}

#[test]
fn a_configuration_named_that_is_not_there_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("confg.toml");
    let state = dir.path().join("s.json");
    let out = papers(&["sources", "--config", missing.to_str().unwrap(), "--state", state.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("confg.toml: no such file"), "{}", text(&out.stderr));
    // `fetch --init` writes the one named.
    let out = papers(&["fetch", "--init", "--config", missing.to_str().unwrap(), "--state", state.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(missing.is_file());
}

#[test]
fn a_device_as_the_state_file_is_read_only_and_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let device = null_device(dir.path());
    let out = papers(&["list", "--state", device.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 83);
    let err = text(&out.stderr);
    assert!(err.contains("it is a character device, not a regular file") && err.contains("no marks are read"), "{err}");
    // `list` never saves: nothing is said of saving.
    assert!(!err.contains("saved") && !err.contains("read-only"), "{err}");
    assert!(fs::symlink_metadata(&device).unwrap().file_type().is_char_device(), "the device was replaced");
    if is_root() {
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "nothing made beside the device");
    }
    let marks = dir.path().join("marks.json");
    fs::write(&marks, br#"{"version": 1, "papers": {"title:p": {"starred": true, "changed": 5}}}"#).unwrap();
    let out = papers(&["state", "import", marks.to_str().unwrap(), "--state", device.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(fs::symlink_metadata(&device).unwrap().file_type().is_char_device(), "the device was replaced");
}

#[test]
fn export_to_a_character_device_writes_into_it_and_leaves_it() {
    let dir = tempfile::tempdir().unwrap();
    let device = null_device(dir.path());
    for force in [false, true] {
        let mut args = vec!["export", "-o", device.to_str().unwrap(), "--state"];
        let state = dir.path().join("state.json");
        args.push(state.to_str().unwrap());
        if force {
            args.push("--force");
        }
        let out = papers(&args);
        assert!(out.status.success(), "force {force}: {}", text(&out.stderr));
        assert!(fs::symlink_metadata(&device).unwrap().file_type().is_char_device(), "the device was replaced");
    }
}

#[test]
fn export_into_a_fifo_writes_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    let state = dir.path().join("state.json");
    let out = papers(&["export", "-o", fifo.to_str().unwrap(), "--state", state.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = text(&reader.join().unwrap());
    assert_eq!(written.matches("@misc{").count(), 83);
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn export_into_a_fifo_waits_a_while_for_its_reader_then_gives_up() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    // A reader that comes a moment after the export starts, as `papers export -o pipe & cat pipe` does.
    let late = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(600));
            fs::read(fifo).unwrap()
        })
    };
    let out = papers(&["export", "-o", fifo.to_str().unwrap(), "--state", state.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("waiting for a reader of"), "{}", text(&out.stderr));
    assert_eq!(text(&late.join().unwrap()).matches("@misc{").count(), 83);
    // No reader at all: a while, then a message that says what to do, not a wait for ever.
    let start = Instant::now();
    let out = papers(&["export", "-o", fifo.to_str().unwrap(), "--state", state.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("nothing opened it for reading in 10 s; start its reader first"), "{err}");
    assert!(start.elapsed() >= Duration::from_secs(9), "{:?}", start.elapsed());
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn an_output_in_a_folder_that_is_not_there_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let missing = dir.path().join("no-such-folder/x.bib");
    for args in [&["export", "-o"][..], &["state", "export", "-o"]] {
        let mut args = args.to_vec();
        args.extend([missing.to_str().unwrap(), "--state", state.to_str().unwrap()]);
        let out = papers(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("no-such-folder' is not there; make it first")
                || err.contains("no-such-folder is not there; make it first"),
            "{err}"
        );
    }
}

#[test]
fn a_socket_or_a_directory_as_the_output_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let state = dir.path().join("state.json");
    for (target, why) in [(socket.as_path(), "it is a socket"), (dir.path(), "it is a directory")] {
        for force in [false, true] {
            let mut args = vec!["export", "-o", target.to_str().unwrap(), "--state", state.to_str().unwrap()];
            if force {
                args.push("--force");
            }
            let out = papers(&args);
            assert_eq!(out.status.code(), Some(2), "{target:?}: {}", text(&out.stderr));
            let err = text(&out.stderr);
            assert!(err.contains(&format!("cannot write {}: {why}", target.display())), "{err}");
        }
    }
    assert!(fs::symlink_metadata(&socket).unwrap().file_type().is_socket());
}

#[test]
fn export_over_a_symlink_replaces_the_file_it_names_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("real")).unwrap();
    let real = dir.path().join("real/marks.json");
    fs::write(&real, b"old").unwrap();
    let link = dir.path().join("marks.json");
    std::os::unix::fs::symlink("real/marks.json", &link).unwrap();
    let state = dir.path().join("state.json");
    let args = ["state", "export", "-o", link.to_str().unwrap(), "--state", state.to_str().unwrap()];
    let out = papers(&args);
    assert_eq!(out.status.code(), Some(2), "refused without --force: {}", text(&out.stderr));
    assert_eq!(fs::read(&real).unwrap(), b"old");
    let out = papers(&[&args[..], &["--force"]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
    assert!(text(&fs::read(&real).unwrap()).contains("\"version\": 2"));
    // A link to a file not made yet makes that file.
    let dangling = dir.path().join("later.json");
    std::os::unix::fs::symlink("real/later.json", &dangling).unwrap();
    let out = papers(&["state", "export", "-o", dangling.to_str().unwrap(), "--state", state.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());
    assert!(dir.path().join("real/later.json").is_file());
    // The file made through the link is named, not the link alone.
    let link = dir.path().join("later.ris");
    std::os::unix::fs::symlink("real/later.ris", &link).unwrap();
    let out = papers(&["export", "--format", "ris", "-o", link.to_str().unwrap(), "--state", state.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(said.contains("real/later.ris") && said.contains("through the link"), "{said}");
    assert!(dir.path().join("real/later.ris").is_file());
}

/// `-o -` is standard output, as `-` is standard input among the digests: no file named `-` is made.
#[test]
fn an_output_of_a_dash_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    for args in [&["export", "--format", "ris", "-o", "-"][..], &["state", "export", "-o", "-"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_papers"))
            .args(args)
            .arg("--state")
            .arg(&state)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("TY  - ") || text(&out.stdout).contains("\"version\": 2"), "{args:?}");
        assert!(!text(&out.stderr).contains("wrote"), "{args:?}: {}", text(&out.stderr));
        assert!(!dir.path().join("-").exists(), "{args:?} made a file named -");
    }
}

#[test]
fn state_export_through_a_link_to_standard_output_writes_there() {
    if !Path::new("/proc/self/fd/1").exists() {
        panic!("this test needs /proc (Linux)");
    }
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("out");
    std::os::unix::fs::symlink("/proc/self/fd/1", &link).unwrap();
    let state = dir.path().join("state.json");
    for output in [link.to_str().unwrap(), "/dev/stdout"] {
        let out = papers(&["state", "export", "-o", output, "--force", "--state", state.to_str().unwrap()]);
        assert!(out.status.success(), "{output}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("\"version\": 2"), "{output}: {}", text(&out.stdout));
    }
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
}

#[test]
fn state_export_of_a_newer_file_prints_its_bytes_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let newer =
        b"{\"version\": 3, \"papers\": {\"arxiv:2403.09043\": {\"starred\": true, \"changed\": 7}}, \"tags\": {}}\n";
    fs::write(&state, newer).unwrap();
    let out = papers(&["state", "export", "--state", state.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(out.stdout, newer);
    let err = text(&out.stderr);
    assert!(err.contains("newer papers (format 3") && err.contains("exported as it is"), "{err}");
    // Only reading, nothing is said of saving; its marks are read, so none is said to be missing.
    assert!(!err.contains("saved") && !err.contains("no marks"), "{err}");
    // Marks this papers cannot read at all: `list` shows none, and says so.
    fs::write(&state, b"{\"version\": 3, \"papers\": {\"arxiv:2403.09043\": 5}}\n").unwrap();
    let out = papers(&["list", "--starred", "--state", state.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert!(err.contains("newer papers (format 3") && err.contains("no marks are read from it"), "{err}");
    assert!(!err.contains("saved"), "{err}");
}

#[test]
fn a_state_directory_without_write_permission_is_named_as_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("state.json"), br#"{"version": 1, "papers": {}}"#).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    let marks = dir.path().join("marks.json");
    fs::write(&marks, br#"{"version": 1, "papers": {"title:p": {"starred": true, "changed": 5}}}"#).unwrap();
    let state = locked.join("state.json");
    let args = ["state", "import", marks.to_str().unwrap(), "--state", state.to_str().unwrap()];
    // Root may write anywhere: the command runs as another user then, as a user without the permission would.
    let out = if is_root() {
        let mut command = Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_papers")]).args(args);
        command.stdin(Stdio::null()).output().expect("setpriv, to run papers as another user")
    } else {
        papers(&args)
    };
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("cannot make the lock file {}.lock", state.display())), "{err}");
    assert!(err.contains("Permission denied") && !err.contains("No such file"), "{err}");
}
