//! `DigestError`: why a digest could not be opened, in messages that name the file and line and say what to do.

use std::fmt;

use super::detect;

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
    /// A file that looks like one of the structured formats (`format`, e.g. "Hugging Face daily papers
    /// JSON") but does not parse as it: `why` says what is wrong at `line` (and `column`, when known).
    Malformed {
        file: String,
        line: usize,
        column: Option<usize>,
        format: &'static str,
        why: String,
    },
    /// An answer of arXiv's API that is its error, not papers: `why` is what it said, at `line`.
    ApiError {
        file: String,
        line: usize,
        why: String,
    },
}

impl DigestError {
    /// The error as said of a server's answer rather than of a file of the user's: without the advice
    /// to fix the file or save it again, which the answer is not theirs to do.
    pub fn of_answer(&self) -> String {
        match self {
            DigestError::Malformed { file, line, column, format, why } => {
                let column = column.map(|c| format!(":{c}")).unwrap_or_default();
                format!("{file}:{line}{column}: the answer looks like {format} but does not parse: {why}")
            }
            DigestError::ApiError { file, line, why } => {
                format!("{file}:{line}: arXiv's API answered with an error, not papers: {why}")
            }
            other => other.to_string(),
        }
    }
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
            DigestError::Malformed { file, line, column, format, why } => {
                let column = column.map(|c| format!(":{c}")).unwrap_or_default();
                write!(
                    f,
                    "{file}:{line}{column}: this looks like {format} but does not parse: {why}; fix the file or save \
                     it again"
                )
            }
            DigestError::ApiError { file, line, why } => write!(
                f,
                "{file}:{line}: this is an error arXiv's API answered, not papers: {why}; ask it again with \
                 what the error names corrected"
            ),
            DigestError::NoPapers { file, hint } => {
                write!(
                    f,
                    "{file}: no papers found. Tried: {}, a text digest (per paper a title line, a blank line, then \
                     the abstract)",
                    detect::ALL[1..].iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
                )?;
                match hint {
                    Some(hint) => write!(f, "\n  first that failed: {hint}"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for DigestError {}
