//! Screens of the tools on a paper: the command prompt (`|`), a command's output in its pane, and a
//! failed command's exit code and standard error, at 80x24 and a wide size.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

mod common;

use common::Reader;
use insta::assert_snapshot;
use papers::app::App;
use papers::config::{Commands, Fetching, Input, PaperCommand, Pdf};
use papers::state::Store;

/// The reader on the Hugging Face fixture with two commands: one that prints forty numbered lines
/// after the first line it reads, one that fails.
fn reader(width: u16, height: u16) -> Reader {
    reader_with(width, height, &[])
}

/// `reader`, with `more` commands (name, script).
fn reader_with(width: u16, height: u16, more: &[(&str, &str)]) -> Reader {
    let dir = tempfile::tempdir().unwrap();
    let library =
        papers::cli::load(&[std::path::Path::new("tests/fixtures/hf-daily-papers.json").to_path_buf()]).unwrap();
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let sh = |script: &str| PaperCommand {
        argv: vec!["/bin/sh".into(), "-c".into(), script.into()],
        input: Input::Abstract,
        timeout: 20.0,
    };
    let mut commands = Commands::new();
    commands.insert("count".into(), sh("echo \"read: $(head -n 1)\"; seq -f 'line %g of the output' 1 40"));
    commands.insert("broken".into(), sh("echo 'error: no API key in LLM_KEY' >&2; exit 2"));
    for (name, script) in more {
        commands.insert(name.to_string(), sh(script));
    }
    let pdf = Pdf { dir: Some(dir.path().join("pdf")), ..Pdf::default() };
    let app = App::new(library, &store).tooled(pdf, commands, Fetching::default());
    Reader::with(app, store, width, height, dir)
}

#[test]
fn the_command_prompt_lists_the_commands_and_completes() {
    let mut r = reader(80, 24);
    r.keys("|");
    assert_snapshot!(r.screen());
    r.keys("co<Tab>");
    assert!(r.screen().contains(" run: count"), "{}", r.screen());
}

#[test]
fn a_commands_output_in_its_pane() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut r = reader(width, height);
        r.keys("|count<Enter>");
        assert_snapshot!(format!("output_{width}x{height}"), r.screen());
        r.keys("G");
        let screen = r.screen();
        assert!(screen.contains("line 40 of the output"), "{screen}");
        assert!(!screen.contains("read: Sparse"), "scrolled to the end: {screen}");
        assert!(screen.lines().last().unwrap().contains("Esc close output"), "the status names its keys: {screen}");
        r.keys("<Esc>");
        assert!(!r.screen().contains("line 40"));
    }
}

#[test]
fn a_failed_command_shows_its_exit_code_and_standard_error() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut r = reader(width, height);
        r.keys("|broken<Enter>");
        assert_snapshot!(format!("failed_{width}x{height}"), r.screen());
    }
}

#[test]
fn a_narrow_output_pane_keeps_the_keys_that_fit_whole_in_its_border() {
    let mut r = reader(100, 30);
    r.keys("|count<Enter>");
    let bottom = |r: &Reader| r.screen().lines().find(|l| l.contains("Esc closes")).unwrap_or_default().to_string();
    let wide = bottom(&r);
    assert!(wide.contains("─ j/k PgDn g/G scroll · ") && wide.contains("% · y copy · Esc closes ╯"), "{wide}");
    // Narrower, the parts least needed go whole, the border's corner stays.
    r.resize(40, 10);
    let row = bottom(&r);
    assert!(row.contains("% · y copy · Esc closes ╯") && row.contains("─ ") && !row.contains("scroll"), "{row}");
}

#[test]
fn an_output_of_more_lines_than_a_terminal_has_rows_fills_its_pane() {
    // 65,536 lines: a count of rows cast to 16 bits was 0, and the pane was drawn empty.
    let mut r = reader_with(80, 24, &[("many", "seq -f 'row %g' 1 65536")]);
    r.keys("|many<Enter>");
    let screen = r.screen();
    assert!(screen.contains(" row 1 ") && screen.contains(" row 18 "), "{screen}");
    r.keys("G");
    assert!(r.screen().contains(" row 65536 "), "{}", r.screen());
}
