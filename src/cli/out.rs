//! The commands that take papers and marks out: `papers export` and `papers state export|import`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::{Failure, pick, warn_all};
use crate::export;
use crate::state::{self, Judged, Store};

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub pick: super::PickArgs,
    /// The format to write.
    #[arg(long, value_enum, default_value = "bibtex")]
    pub format: export::Format,
    /// Write to FILE instead of standard output (refused if it exists, unless --force).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write over FILE when it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// Print the stars and read marks (the state file's JSON), to move them to another machine.
    Export {
        /// Write to FILE instead of standard output (refused if it exists, unless --force).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write over FILE when it exists.
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Merge the stars and read marks of FILE (from `papers state export`) into these: for each mark the
    /// later change wins, and nothing here is dropped.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// `papers export`: the papers of the digests given, filtered, as BibTeX, Markdown, JSON or CSV.
pub fn export(args: &ExportArgs, state_path: &Path) -> Result<ExitCode, Failure> {
    let picked = pick(&args.pick, state_path, true)?;
    let (library, marks) = (&picked.library, &picked.marks);
    let entries: Vec<export::Entry> = picked
        .indices
        .iter()
        .map(|&i| {
            let paper = library.get(i);
            let (starred, read) = marks.of(&paper);
            crate::outward::entry(&paper, starred, read)
        })
        .collect();
    let mut bytes = Vec::new();
    export::write(args.format, &entries, &mut bytes).map_err(|e| Failure::runtime(format!("cannot export: {e}")))?;
    write_out(&bytes, args.output.as_deref(), args.force)?;
    if let Some(path) = &args.output {
        let _ = writeln!(std::io::stderr(), "papers: wrote {} papers to {}", entries.len(), path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `papers state export|import`.
pub fn state(command: &StateCommand, state_path: &Path) -> Result<ExitCode, Failure> {
    let (mut store, notices) = Store::open(state_path);
    warn_all(&notices);
    match command {
        StateCommand::Export { output, force } => {
            write_out(&store.export(), output.as_deref(), *force)?;
            Ok(ExitCode::SUCCESS)
        }
        StateCommand::Import { file } => {
            let shown = file.display();
            let bytes = std::fs::read(file).map_err(|e| Failure::input(format!("{shown}: cannot read it: {e}")))?;
            let theirs = match state::judge(&bytes) {
                Judged::Good(marks) | Judged::Newer(_, Some(marks)) => marks,
                Judged::Newer(version, None) => {
                    return Err(Failure::input(format!(
                        "{shown}: written by a newer papers (format {version}); import it with that version"
                    )));
                }
                Judged::Damaged(why) => {
                    return Err(Failure::input(format!(
                        "{shown}: not a papers state file ({why}); give a file written by `papers state export`"
                    )));
                }
                Judged::Missing => return Err(Failure::input(format!("{shown}: cannot read it"))),
                Judged::Unreadable(why) => return Err(Failure::input(format!("{shown}: cannot read it: {why}"))),
            };
            let (stars, reads, taken_back) = store.import(theirs).map_err(Failure::runtime)?;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "Merged {shown} into {}: {stars} new stars, {reads} new read marks, {taken_back} marks taken back by later changes there",
                store.path().display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes `bytes` to `output` (a new file, or over one with `force`) or to standard output.
fn write_out(bytes: &[u8], output: Option<&Path>, force: bool) -> Result<(), Failure> {
    let Some(path) = output else {
        let mut out = std::io::stdout().lock();
        return match out.write_all(bytes).and_then(|()| out.flush()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(Failure::runtime(format!("cannot write to standard output: {e}"))),
        };
    };
    let shown = path.display();
    let failed = |e: std::io::Error| Failure::runtime(format!("cannot write {shown}: {e}"));
    if !force {
        let mut file =
            std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => {
                    Failure::input(format!("{shown} exists; give another file or --force"))
                }
                _ => Failure::runtime(format!("cannot create {shown}: {e}")),
            })?;
        return file.write_all(bytes).and_then(|()| file.sync_all()).map_err(failed);
    }
    // Over an existing file: written beside it first and renamed over it, so that a failed write (a
    // full disk) leaves the old file as it was.
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.papers-{}", std::process::id()));
    let written = std::fs::File::create(&temporary)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.map_err(failed)
}
