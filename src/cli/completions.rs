//! `papers completions SHELL`: the completion script for a shell, made from clap's definition of the command line.

use std::process::ExitCode;

use clap::{Args, CommandFactory};

use super::{Cli, Failure};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for. Load it with `source <(papers completions bash)` (bash), `papers
    /// completions zsh > ~/.zfunc/_papers` (zsh, with ~/.zfunc in fpath) or `papers completions fish >
    /// ~/.config/fish/completions/papers.fish` (fish).
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Prints the script on standard output.
pub fn print(args: &CompletionsArgs) -> Result<ExitCode, Failure> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "papers", &mut out);
    use std::io::Write;
    match std::io::stdout().lock().write_all(&out) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::runtime(format!("cannot write the completions: {e}")))
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}
