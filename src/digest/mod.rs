//! Input formats: turns the bytes of a digest into papers. No terminal code here; errors name file and line.

mod links;
mod text;

use std::fmt;
use std::path::{Path, PathBuf};

pub use links::find_links;
pub use text::parse_text;

use crate::library::Paper;

/// The digest that ships with the program, opened when no file is given.
pub const BUILT_IN: &[u8] = include_bytes!("../../assets/hf-papers-digest.txt");
/// How the built-in digest is named in messages and in the detail pane.
pub const BUILT_IN_NAME: &str = "built-in digest";

/// Where a digest comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    BuiltIn,
    File(PathBuf),
}

impl Source {
    pub fn name(&self) -> String {
        match self {
            Source::BuiltIn => BUILT_IN_NAME.to_string(),
            Source::File(path) => path.display().to_string(),
        }
    }
}

/// One parsed digest file.
#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    /// The file name as the user gave it, used in messages.
    pub name: String,
    /// The digest's date line, when its header had one (e.g. "Mar 14").
    pub date: Option<String>,
    pub papers: Vec<Paper>,
    /// Things that were repaired while reading, each naming the file and line.
    pub warnings: Vec<String>,
}

impl Digest {
    #[cfg(test)]
    pub fn for_tests(name: &str, papers: Vec<Paper>) -> Self {
        Digest { name: name.into(), date: None, papers, warnings: Vec::new() }
    }
}

/// Why a digest could not be opened.
#[derive(Debug)]
pub enum DigestError {
    Read {
        file: String,
        error: std::io::Error,
    },
    Empty {
        file: String,
    },
    /// Nothing that reads as a paper; `hint` is the first thing that was skipped, if anything was.
    NoPapers {
        file: String,
        hint: Option<String>,
    },
    /// Not text at all: `why` says what gave it away, at `line`.
    NotText {
        file: String,
        line: usize,
        why: String,
    },
}

impl fmt::Display for DigestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DigestError::Read { file, error } if error.kind() == std::io::ErrorKind::IsADirectory => {
                write!(f, "{file}: is a directory; give the digest file inside it")
            }
            DigestError::Read { file, error } => write!(f, "{file}: cannot read it: {error}"),
            DigestError::Empty { file } => {
                write!(f, "{file}: the file is empty; give a saved digest (a title line, a blank line, an abstract)")
            }
            DigestError::NotText { file, line, why } => {
                write!(f, "{file}:{line}: this is not a text digest ({why}); give a digest saved as UTF-8 text")
            }
            DigestError::NoPapers { file, hint } => {
                write!(
                    f,
                    "{file}: no papers found; a digest has per paper a title line, a blank line, then the abstract"
                )?;
                match hint {
                    Some(hint) => write!(f, "\n  {hint}"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for DigestError {}

/// Reads and parses one digest.
pub fn load(source: &Source) -> Result<Digest, DigestError> {
    let name = source.name();
    match source {
        Source::BuiltIn => parse_text(&name, BUILT_IN),
        Source::File(path) => parse_text(&name, &read(path, &name)?),
    }
}

/// How much of a file is looked at before the rest is read, to refuse what is not text at once.
const HEAD: u64 = 64 * 1024;

fn read(path: &Path, name: &str) -> Result<Vec<u8>, DigestError> {
    use std::io::Read;
    let failed = |error| DigestError::Read { file: name.to_string(), error };
    let mut file = std::fs::File::open(path).map_err(failed)?;
    let mut bytes = Vec::new();
    // Something like /dev/zero never ends: judge the start before reading on.
    (&mut file).take(HEAD).read_to_end(&mut bytes).map_err(failed)?;
    text::refuse_early(name, &bytes)?;
    file.read_to_end(&mut bytes).map_err(failed)?;
    Ok(bytes)
}
