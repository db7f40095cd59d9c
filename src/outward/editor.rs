//! The user's editor on a text (a paper's note): a temporary file given to `$VISUAL`, else `$EDITOR`,
//! else `vi`, and read back once the editor exits.

use std::io::{IsTerminal, Read, Write};
use std::process::Command;

/// The most of the edited file read back; the note is cut shorter still (`state::NOTE_MAX`).
const READ_AT_MOST: u64 = 1 << 20;

/// The editor to run, as its words: `$VISUAL`, else `$EDITOR`, else `vi`. Split on whitespace and run as
/// a program with arguments, never through a shell (`EDITOR="code --wait"` works; quoting does not).
pub fn editor_words() -> Vec<String> {
    words_of(std::env::var("VISUAL").ok(), std::env::var("EDITOR").ok())
}

fn words_of(visual: Option<String>, editor: Option<String>) -> Vec<String> {
    for value in [visual, editor].into_iter().flatten() {
        let words: Vec<String> = value.split_whitespace().map(str::to_string).collect();
        if !words.is_empty() {
            return words;
        }
    }
    vec!["vi".to_string()]
}

/// Runs the user's editor (`editor_words`) on a temporary file holding `text`, in the terminal as it is
/// (the caller hands it over), and returns the file's text when the editor exits successfully. An error
/// says what failed; the file is removed either way.
pub fn edit_in_editor(text: &str) -> Result<String, String> {
    edit_with(&editor_words(), text)
}

fn edit_with(words: &[String], text: &str) -> Result<String, String> {
    let (program, args) = words.split_first().ok_or("no editor")?;
    let mut file = tempfile::Builder::new()
        .prefix("papers-note-")
        .suffix(".md")
        .tempfile()
        .map_err(|e| format!("cannot make a file for the editor: {e}"))?;
    if !text.is_empty() {
        file.write_all(text.as_bytes())
            .and_then(|()| file.write_all(b"\n"))
            .and_then(|()| file.flush())
            .map_err(|e| format!("cannot write {}: {e}", crate::sanitize::quote_path(file.path())))?;
    }
    let mut command = Command::new(program);
    command.args(args).arg(file.path());
    // Papers reading a digest from standard input (`papers -`) takes its keys from the terminal: so does
    // the editor.
    if !std::io::stdin().is_terminal()
        && let Ok(tty) = std::fs::File::open("/dev/tty")
        && tty.is_terminal()
    {
        command.stdin(tty);
    }
    let status = command.status().map_err(|e| {
        format!("cannot run the editor {}: {e} (set $VISUAL or $EDITOR)", crate::sanitize::message(program))
    })?;
    if !status.success() {
        return Err(format!("the editor {} failed ({status})", crate::sanitize::message(program)));
    }
    // By its name: an editor may have saved a new file in its place.
    let mut bytes = Vec::new();
    std::fs::File::open(file.path())
        .and_then(|read| read.take(READ_AT_MOST).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read {} back: {e}", crate::sanitize::quote_path(file.path())))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn visual_then_editor_then_vi_split_into_words() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(words_of(some("code --wait"), some("nano")), ["code", "--wait"]);
        assert_eq!(words_of(some("  "), some("nano -w")), ["nano", "-w"]);
        assert_eq!(words_of(None, None), ["vi"]);
    }

    #[test]
    fn the_editor_is_given_the_file_and_its_text_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("ed.sh");
        let seen = dir.path().join("seen");
        let body = format!("#!/bin/sh\ncat \"$2\" > '{}'\nprintf 'new note\\n' > \"$2\"\n", seen.display());
        std::fs::write(&script, body).unwrap();
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let text = edit_with(&words(&format!("{} --flag", script.display())), "old note").unwrap();
        assert_eq!(text, "new note\n");
        assert_eq!(std::fs::read_to_string(&seen).unwrap(), "old note\n", "the editor was given the note");
    }

    #[test]
    fn a_failing_or_missing_editor_is_told() {
        let error = edit_with(&words("false"), "old").unwrap_err();
        assert!(error.contains("false") && error.contains("failed"), "{error}");
        let error = edit_with(&words("/nonexistent/editor"), "").unwrap_err();
        assert!(error.contains("cannot run"), "{error}");
    }
}
