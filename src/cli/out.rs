//! The commands that take papers and marks out: `papers export` and `papers state export|import`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::Failure;
use super::list::pick;
use super::output::write_to;
use super::sources::warn_all;
use crate::export;
use crate::sanitize::{eprint, quote_path};
use crate::state::{self, Judged, Store};

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub pick: super::PickArgs,
    /// The format to write.
    #[arg(long, value_enum, default_value = "bibtex")]
    pub format: export::Format,
    /// Write to FILE instead of standard output (`-`: standard output; refused if it exists, unless --force).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write over FILE when it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// Print the stars, read marks, tags and notes (the state file's JSON), to move them to another machine.
    Export {
        /// Write to FILE instead of standard output (`-`: standard output; refused if it exists, unless --force).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write over FILE when it exists.
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Merge the stars, read marks, tags and notes of FILE (from `papers state export`) into these: for
    /// each mark, tag and note the later change wins, and nothing here is dropped.
    Import {
        /// The file to merge in; `-` reads standard input (`ssh there papers state export | papers state
        /// import -`).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// `papers export`: the papers of the digests given, filtered, as BibTeX, Markdown, JSON, CSV or RIS.
pub fn export(args: &ExportArgs, state_path: &Path) -> Result<ExitCode, Failure> {
    let picked = pick(&args.pick, state_path, true)?;
    let (library, marks) = (&picked.library, &picked.marks);
    // An entry at a time, written as it is made: a large library is not held twice over, nor its export.
    let entries = picked.indices.iter().map(|&i| {
        let paper = library.get(i);
        let (starred, read) = marks.of(&paper);
        let (tags, note) = marks.labels_of(&paper);
        export::Entry { tags, note, ..crate::outward::entry(&paper, starred, read) }
    });
    write_to(args.output.as_deref(), args.force, state_path, |out| export::write_each(args.format, entries, out))?;
    if let Some(path) = args.output.as_ref().filter(|path| path.as_os_str() != "-") {
        let count = picked.indices.len();
        // Through a link, the file written is named too: a link not followed yet made a file elsewhere.
        let linked = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        match crate::files::resolved(path) {
            real if linked && real != *path => eprint(&format!(
                "wrote {count} papers to {} (through the link {})",
                quote_path(&real),
                quote_path(path)
            )),
            _ => eprint(&format!("wrote {count} papers to {}", quote_path(path))),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Standard input, read to its end unless it holds more than `most` bytes (as `files::read_at_most`).
fn read_stdin_at_most(most: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin().lock().take(most.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > most {
        return Err(std::io::Error::new(std::io::ErrorKind::FileTooLarge, format!("it is over {} MiB", most >> 20)));
    }
    Ok(bytes)
}

/// `papers state export|import`.
/// The largest state file `papers state import` reads.
const STATE_IMPORT_MOST: u64 = 512 << 20;

pub fn state(command: &StateCommand, state_path: &Path) -> Result<ExitCode, Failure> {
    // Exporting only reads: a file that is not a state file is left as it is.
    let reading = matches!(command, StateCommand::Export { .. });
    let (mut store, notices) = if reading { Store::open_to_read(state_path) } else { Store::open(state_path) };
    match command {
        StateCommand::Export { .. } if store.damaged().is_some() && store.ledger().is_empty() => {
            let why = store.damaged().unwrap_or_default();
            return Err(Failure::input(format!(
                "{} is not a state papers can read ({why}), and no backup has marks: nothing to export; give the state file with --state FILE",
                quote_path(state_path)
            )));
        }
        _ => warn_all(&notices),
    }
    match command {
        StateCommand::Export { output, force } => {
            let (bytes, warning) = store.export().map_err(Failure::runtime)?;
            warn_all(warning.as_slice());
            write_to(output.as_deref(), *force, state_path, |out| out.write_all(&bytes))?;
            Ok(ExitCode::SUCCESS)
        }
        StateCommand::Import { file } => {
            let stdin = file.as_os_str() == "-";
            let shown = if stdin { "standard input".to_string() } else { quote_path(file) };
            // Some hundred bytes a paper marked: far more than all of arXiv's marks, and no more is read
            // (a device such as `/dev/zero` would be read without end).
            let read = if stdin {
                read_stdin_at_most(STATE_IMPORT_MOST)
            } else {
                crate::files::read_at_most(file, STATE_IMPORT_MOST)
            };
            let bytes = read.map_err(|e| match e.kind() {
                std::io::ErrorKind::FileTooLarge => {
                    Failure::input(format!("{shown}: {e}, which is not a papers state file"))
                }
                _ => Failure::input(format!("{shown}: cannot read it: {e}")),
            })?;
            let theirs = match state::judge(&bytes) {
                Judged::Good(marks) => marks,
                Judged::Newer(version, Some(marks)) => {
                    // Read as far as this version reads it: what it adds is not merged, and is said so.
                    eprint(&format!(
                        "warning: {shown} was written by a newer papers (format {version}, this one reads {}); what that version adds to marks is not imported",
                        state::VERSION
                    ));
                    marks
                }
                Judged::Newer(version, None) => {
                    return Err(Failure::input(format!(
                        "{shown}: written by a newer papers (format {version}); import it with that version"
                    )));
                }
                Judged::Damaged(why)
                    if let Some((marks, skipped)) = state::salvage(&bytes).filter(|(m, _)| !m.is_empty()) =>
                {
                    // A state file a hand edited: what can be read of it is imported, and the rest said.
                    // Which, by their keys in the file (the first few, then how many more).
                    let named = |keys: &[String]| {
                        let mut named: Vec<String> = keys.iter().take(5).map(|k| format!("{k:?}")).collect();
                        if keys.len() > 5 {
                            named.push(format!("and {} more", keys.len() - 5));
                        }
                        named.join(", ")
                    };
                    let skipped = match &skipped[..] {
                        [] => String::new(),
                        [one] => format!("; the marks of {one:?} could not be read and are left out"),
                        keys => format!(
                            "; the marks of {} papers could not be read and are left out: {}",
                            keys.len(),
                            named(keys)
                        ),
                    };
                    let papers =
                        if marks.len() == 1 { "1 paper".to_string() } else { format!("{} papers", marks.len()) };
                    eprint(&format!(
                        "warning: {shown}: {why}; importing what can be read, the marks of {papers}{skipped}"
                    ));
                    marks
                }
                Judged::Damaged(why) => {
                    // `why` may say as much already ("it is not a papers state file: …").
                    let why = why.strip_prefix("it is not a papers state file: ").unwrap_or(&why);
                    return Err(Failure::input(format!(
                        "{shown}: not a papers state file ({why}); give a file written by `papers state export`"
                    )));
                }
                Judged::Missing => return Err(Failure::input(format!("{shown}: cannot read it"))),
                Judged::Unreadable(why) => return Err(Failure::input(format!("{shown}: cannot read it: {why}"))),
            };
            let imported = store.import(theirs).map_err(Failure::runtime)?;
            let state::Imported { stars, reads, taken_back, labelled, future } = imported;
            if future > 0 {
                eprint(&format!(
                    "warning: {shown}: {future} papers' marks were dated in the future (a clock set wrong where they were made?); taken as made now"
                ));
            }
            let labels = match labelled {
                0 => String::new(),
                1 => ", 1 paper with tags or a note changed".to_string(),
                n => format!(", {n} papers with tags or notes changed"),
            };
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "Merged {shown} into {}: {stars} new stars, {reads} new read marks, {taken_back} marks taken back by later changes there{labels}",
                quote_path(store.path())
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
