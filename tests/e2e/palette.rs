//! The command palette and saved searches in the real binary: Ctrl-P, a few letters of an action's name
//! and Enter do what the action's key does; Alt and a number apply a saved search from the configuration.

use crate::pty::{Pty, papers};

/// The reader with `config` as its configuration file, on the built-in digest.
fn reader_with(data: &std::path::Path, config: &str, cols: u16, rows: u16) -> Pty {
    let path = data.join("config.toml");
    std::fs::write(&path, config).expect("write the configuration");
    let mut command = papers(data);
    command.arg("--config");
    command.arg(&path);
    Pty::spawn(command, cols, rows)
}

#[test]
fn the_palette_finds_an_action_by_part_of_its_name_and_enter_runs_it() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut t = reader_with(data.path(), "[huggingface]\nenabled = false\n", 100, 30);
    t.wait("83/83 shown");
    t.keys("C-p");
    t.wait(r"Commands · \d+ of \d+");
    t.wait(r"cycle_filter +filter: all → unread → starred +f");
    t.type_text("cycfil");
    t.wait(r"Commands · 1 of \d+");
    t.keys("Enter");
    // The filter cycled, as `f` does: the list's title says so, and the palette is gone.
    t.wait("Unread papers");
    t.reject("Commands ·");
    // The help opens from the palette too.
    t.keys("C-p");
    t.wait(r"Commands · \d+ of \d+");
    t.type_text("help");
    t.wait(r"toggle_help");
    t.keys("Enter");
    t.wait(r"Keys ─");
    t.keys("G");
    t.wait(r"Ctrl-p +every action by name");
    t.keys("Esc");
    t.gone(r"Keys ─");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0, "{}", t.screen());
}

#[test]
fn alt_and_a_number_apply_the_saved_search_of_the_configuration() {
    let data = tempfile::tempdir().expect("temp dir");
    let config = "[huggingface]\nenabled = false\n\n[searches]\nsurveys = \"'survey\"\nyolo = \"'yolo\"\n";
    let mut t = reader_with(data.path(), config, 100, 30);
    t.wait("83/83 shown");
    // Alt-2: ESC then the digit, as terminals send it.
    t.type_text("\x1b2");
    t.wait(r" 1/83 shown");
    t.expect(r"/ 'yolo");
    t.expect(r"Mamba YOLO");
    t.expect(r"Search 2: yolo");
    t.type_text("\x1b1");
    t.wait(r"/ 'survey");
    // More than the one YOLO paper, fewer than all: the surveys.
    let screen = t.wait(r" ([2-9]|[1-7]\d)/83 shown");
    assert!(screen.contains("A Survey of Mamba"), "{screen}");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0, "{}", t.screen());
}
