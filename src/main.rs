//! The `papers` binary: parse the command line, run, exit with the code the run chose.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = papers::cli::parse();
    match papers::cli::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            log::error!(target: "papers", "exit {}: {}", failure.code, failure.message);
            papers::sanitize::eprint(&failure.message);
            ExitCode::from(failure.code)
        }
    }
}
