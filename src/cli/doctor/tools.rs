//! The doctor's checks of the tools on a paper: the PDF folder (`d`) can be written, and each command of
//! `[commands]` names a program that is there.

use std::fs;
use std::path::PathBuf;

use super::{Check, Status, find_program, writable};
use crate::config::Config;
use crate::sanitize::quote_path;

/// A line for the PDF folder, and one for each command.
pub fn checks(config: &Config) -> Vec<Check> {
    let mut checks = vec![pdf_folder(config)];
    for (name, command) in &config.commands {
        let program = &command.argv[0];
        let given = std::path::Path::new(program);
        let named_path = program.contains('/') || program.contains(std::path::MAIN_SEPARATOR);
        checks.push(match find_program(program) {
            Some(path) => Check::new(Status::Ok, "command", format!("{name}: {program} is {}", quote_path(&path))),
            None if named_path && given.is_dir() => {
                Check::new(Status::Warn, "command", format!("{name}: {program} is a directory, not a program"))
                    .todo(format!("give the program's path in [commands] {name}.argv"))
            }
            None if named_path && given.is_file() => {
                Check::new(Status::Warn, "command", format!("{name}: {program} is not executable: | {name} cannot run"))
                    .todo(format!("make it executable (chmod +x {program}), or give another in [commands] {name}.argv"))
            }
            None => Check::new(Status::Warn, "command", format!("{name}: {program} is not found: | {name} cannot run"))
                .todo(format!("install {program}, or give its full path in [commands] {name}.argv")),
        });
    }
    checks
}

/// The PDF folder is a writable directory, or can be made where it would be.
fn pdf_folder(config: &Config) -> Check {
    const NAME: &str = "pdf";
    let dir = config.pdf.dir();
    let shown = quote_path(&dir);
    let todo = "make it writable, or choose another folder with [pdf] dir";
    // The nearest part of the path that exists: the folder itself, or where the first download makes it.
    let mut existing = dir.clone();
    while fs::symlink_metadata(&existing).is_err() {
        match existing.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => existing = parent.to_path_buf(),
            _ => {
                existing = PathBuf::from(".");
                break;
            }
        }
    }
    if !existing.is_dir() {
        let todo = format!("move {} out of the way, or choose another folder with [pdf] dir", quote_path(&existing));
        return Check::new(Status::Warn, NAME, format!("{shown}: {} is not a directory", quote_path(&existing)))
            .todo(todo);
    }
    if let Err(e) = writable(&existing) {
        return Check::new(Status::Warn, NAME, format!("{shown}: cannot write in {}: {e}", quote_path(&existing)))
            .todo(todo);
    }
    match existing == dir {
        true => Check::new(Status::Ok, NAME, format!("PDFs go to {shown}, a writable directory")),
        false => Check::new(
            Status::Ok,
            NAME,
            format!(
                "PDFs go to {shown}: not there yet; the first download makes it (in {}, writable)",
                quote_path(&existing)
            ),
        ),
    }
}
