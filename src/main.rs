//! The `papers` binary: parse the command line, run, exit with the code the run chose.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = papers::cli::Cli::parse();
    match papers::cli::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("papers: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
