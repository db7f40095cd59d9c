//! Tags and notes end to end: a paper tagged in the reader found by `papers list --tag`, a note written
//! in a scripted editor, and the editor given every key while it runs.

use std::path::Path;
use std::process::Command;

use crate::pty::{Pty, papers};

/// `papers ARGS` run without a terminal, on the state and data of `data` as the reader there had them.
fn papers_output(data: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_papers"))
        .env_clear()
        .env("HOME", data)
        .env("XDG_DATA_HOME", data)
        .current_dir(data)
        .args(args)
        .output()
        .expect("papers runs");
    assert!(out.status.success(), "papers {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn a_paper_tagged_in_the_reader_is_found_by_list_tag() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut t = Pty::spawn(papers(data.path()), 120, 40);
    t.wait("83/83 shown");
    t.keys("j");
    t.wait("││ Mamba YOLO: SSMs-Based YOLO For Object Detection ");
    t.keys("t");
    t.wait(" tags: ");
    t.type_text("project-x +detection");
    t.keys("Enter");
    t.wait(r"Tagged \+#project-x \+#detection");
    // In the pane (the list's row has no room left by the title at this width).
    t.expect("││ #detection #project-x ");
    // The filter selects it.
    t.keys("/");
    t.type_text("#project-x");
    t.wait("1/83 shown");
    t.keys("Enter");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);

    let listed = papers_output(data.path(), &["list", "--tag", "project-x"]);
    assert_eq!(
        listed.lines().collect::<Vec<_>>(),
        ["●   Mamba YOLO: SSMs-Based YOLO For Object Detection"],
        "{listed}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&papers_output(data.path(), &["list", "--json", "--tag", "detection"])).expect("JSON");
    assert_eq!(json[0]["tags"], serde_json::json!(["detection", "project-x"]), "{json}");
    assert!(papers_output(data.path(), &["list", "--tag", "other"]).is_empty());
}

#[test]
fn a_note_written_in_a_scripted_editor_shows_in_the_pane_and_the_export() {
    let data = tempfile::tempdir().expect("temp dir");
    // The editor is a script: it adds a line to the file it is given, as a person would, and notes it ran.
    let editor = data.path().join("editor.sh");
    let ran = data.path().join("ran.txt");
    let script = format!(
        "#!/bin/sh\nprintf 'Read with S4 & Mamba: §3 {{first}}.\\n' >> \"$1\"\necho ran >> '{}'\n",
        ran.display()
    );
    std::fs::write(&editor, script).expect("write");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    let mut cmd = papers(data.path());
    cmd.env("EDITOR", &editor);
    let mut t = Pty::spawn(cmd, 120, 40);
    t.wait("83/83 shown");
    t.keys("j");
    t.wait("││ Mamba YOLO: SSMs-Based YOLO For Object Detection ");
    t.keys("N");
    t.wait("Note saved");
    // The reader has its screen back, the note under the abstract.
    t.expect("83/83 shown");
    t.keys("Enter");
    t.wait("Marked read");
    t.keys("G");
    t.wait(r"│ Note +│");
    t.expect(r"│ Read with S4 & Mamba: §3 \{first\}\. +│");
    // Once more: the editor is given the note, and adds a line to it.
    t.keys("N");
    t.wait(r"Note saved");
    t.keys("G");
    // The note's two lines, one under the other.
    t.wait(r"(?s)│ Read with S4 & Mamba: §3 \{first\}\. +│\n[^\n]*│ Read with S4 & Mamba: §3 \{first\}\. +│");
    // Back to the list, then quit.
    t.keys("q");
    t.wait("╭ Papers");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_modes_restored();
    assert_eq!(std::fs::read_to_string(&ran).expect("the editor ran"), "ran\nran\n");

    let bib = papers_output(data.path(), &["export", "--format", "bibtex", "--search", "mamba yolo"]);
    let note = r"note = {Read with S4 \& Mamba: §3 \textbraceleft{}first\textbraceright{}. Read with S4 \& Mamba";
    assert!(bib.contains(note), "{bib}");
    let md = papers_output(data.path(), &["export", "--format", "markdown", "--search", "mamba yolo"]);
    assert!(md.contains("Note: Read with S4 & Mamba: §3 {first}."), "{md}");
}

#[test]
fn the_editor_gets_every_key_typed_while_it_runs_and_a_failing_one_changes_nothing() {
    let data = tempfile::tempdir().expect("temp dir");
    // An editor that reads a line from the terminal, as a person's editor reads keys; with `fail` in it,
    // it exits with an error instead.
    let editor = data.path().join("editor.sh");
    let script = "#!/bin/sh\nprintf 'editor> '\nread line\ncase \"$line\" in *fail*) exit 3;; esac\nprintf '%s\\n' \"$line\" >> \"$1\"\n";
    std::fs::write(&editor, script).expect("write");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    let mut cmd = papers(data.path());
    cmd.env("VISUAL", &editor);
    cmd.env("EDITOR", "false");
    let mut t = Pty::spawn(cmd, 100, 30);
    t.wait("83/83 shown");
    t.keys("N");
    t.wait("^editor>");
    // The reader's own keys (j, q) mean nothing here: they are the editor's.
    t.type_text("just quietly kept notes");
    t.keys("Enter");
    t.wait("Note saved");
    t.keys("Enter");
    t.keys("G");
    t.wait(r"│ just quietly kept notes +│");
    t.keys("N");
    // The shell's screen still shows the first run's line: wait for the second run's own, empty prompt
    // (typed before it, the keys would go to the reader).
    t.wait("(?m)^editor> *$");
    t.type_text("please fail");
    t.keys("Enter");
    // Said in the status line (cut at this width, in the editor's name), and whole in the messages.
    t.wait(r"⚠ 1 warning .*The note is unchanged: the editor /");
    t.keys("!");
    t.wait(r"the note is unchanged: the editor .*editor\.sh.* failed");
    t.keys("Esc");
    t.gone(r"the note is unchanged");
    t.keys("G");
    t.expect(r"│ just quietly kept notes +│");
    t.keys("q");
    t.wait("╭ Papers");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0);
}
