//! The `papers` binary: parse the command line, run, exit with the code the run chose.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = papers::cli::Cli::parse();
    match papers::cli::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            // Not eprintln!: with the terminal gone, printing fails, and that is no reason to panic.
            let _ = writeln!(std::io::stderr(), "papers: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
