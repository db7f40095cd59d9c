//! Input formats: turns the bytes of a digest into papers. No terminal code here; errors name file and line.

mod links;
mod text;

use std::fmt;
use std::path::PathBuf;

pub use links::find_links;
pub use text::{TextParser, parse_text};

use crate::library::{Chunk, PaperRef};

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
#[derive(Debug)]
pub struct Digest {
    /// The file name as the user gave it, used in messages.
    pub name: String,
    /// The digest's date line, when its header had one (e.g. "Mar 14").
    pub date: Option<String>,
    /// Its papers, a block of the file at a time.
    pub chunks: Vec<Chunk>,
    /// Things that were repaired while reading, each naming the file and line.
    pub warnings: Vec<String>,
}

impl Digest {
    pub fn len(&self) -> usize {
        self.chunks.iter().map(Chunk::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn papers(&self) -> impl Iterator<Item = PaperRef<'_>> {
        self.chunks.iter().flat_map(Chunk::papers)
    }

    /// Paper `i` of this digest. Panics when out of range.
    pub fn paper(&self, i: usize) -> PaperRef<'_> {
        self.papers().nth(i).unwrap_or_else(|| panic!("no paper {i} in {}", self.name))
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

/// Reads and parses one digest, all of it.
pub fn load(source: &Source) -> Result<Digest, DigestError> {
    let mut opened = open(source)?;
    let mut chunks = std::mem::take(&mut opened.chunks);
    loop {
        match opened.read_on()? {
            Step::Chunk(chunk) => chunks.push(chunk),
            Step::Reading => {}
            Step::Done(last, warnings) => {
                chunks.extend(last);
                let mut all = std::mem::take(&mut opened.warnings);
                all.extend(warnings);
                return Ok(Digest { name: opened.name, date: opened.date, chunks, warnings: all });
            }
        }
    }
}

/// How much of a file is looked at before the rest is read, to refuse what is not text at once.
const HEAD: u64 = 64 * 1024;

/// How much of a file is parsed before the reader opens; the rest follows while it runs.
const FIRST: usize = 256 * 1024;

/// A digest being read: its first papers parsed, the rest to come with `read_on`.
pub struct Opened {
    pub name: String,
    /// The papers parsed while opening.
    pub chunks: Vec<Chunk>,
    pub date: Option<String>,
    /// Warnings so far (given once: later ones come with `Step::Done`).
    pub warnings: Vec<String>,
    /// The file's size, when it is a regular file.
    pub size: Option<u64>,
    parser: Option<TextParser>,
    reader: Option<Box<dyn std::io::Read + Send>>,
    ended: bool,
    /// Bytes read, once the parser is done.
    bytes: u64,
}

/// What reading on gave.
pub enum Step {
    /// Papers parsed.
    Chunk(Chunk),
    /// Bytes read, no papers complete yet.
    Reading,
    /// The end: the last papers and the warnings not given yet.
    Done(Option<Chunk>, Vec<String>),
}

impl Opened {
    /// True when the whole file is parsed.
    pub fn is_done(&self) -> bool {
        self.parser.is_none()
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.parser.as_ref().map_or(self.bytes, TextParser::bytes_seen)
    }

    /// Reads and parses up to a block more.
    pub fn read_on(&mut self) -> Result<Step, DigestError> {
        let Some(parser) = self.parser.as_mut() else { return Ok(Step::Done(None, Vec::new())) };
        if !self.ended {
            let read = match self.reader.as_mut() {
                Some(reader) => {
                    parser.read_from(reader).map_err(|error| DigestError::Read { file: self.name.clone(), error })?
                }
                None => None,
            };
            self.ended = read.is_none();
            if !self.ended {
                return Ok(parser.parse_if_full()?.map_or(Step::Reading, Step::Chunk));
            }
        }
        let Some(parser) = self.parser.take() else { return Ok(Step::Done(None, Vec::new())) };
        self.bytes = parser.bytes_seen();
        let (last, date, warnings) = parser.finish()?;
        self.date = date;
        Ok(Step::Done(last, warnings))
    }
}

/// Opens a digest and parses its first part (all of a small one), failing at once on what is not a digest.
pub fn open(source: &Source) -> Result<Opened, DigestError> {
    use std::io::Read;
    let name = source.name();
    let mut parser = TextParser::new(&name);
    let (reader, size): (Box<dyn Read + Send>, Option<u64>) = match source {
        Source::BuiltIn => (Box::new(BUILT_IN), Some(BUILT_IN.len() as u64)),
        Source::File(path) => {
            let failed = |error| DigestError::Read { file: name.clone(), error };
            let file = std::fs::File::open(path).map_err(failed)?;
            let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
            (Box::new(file), size)
        }
    };
    let mut reader = reader;
    // Something like /dev/zero never ends: judge the start before reading on.
    let mut head = Vec::new();
    (&mut reader).take(HEAD).read_to_end(&mut head).map_err(|error| DigestError::Read { file: name.clone(), error })?;
    text::refuse_early(&name, &head)?;
    let mut opened = Opened {
        name,
        chunks: Vec::new(),
        date: None,
        warnings: Vec::new(),
        size,
        parser: None,
        reader: Some(reader),
        ended: false,
        bytes: 0,
    };
    parser.first_block(FIRST);
    opened.chunks.extend(parser.feed(&head)?);
    opened.parser = Some(parser);
    // Read on until the first papers are parsed, or the end.
    while opened.chunks.is_empty() {
        match opened.read_on()? {
            Step::Chunk(chunk) => opened.chunks.push(chunk),
            Step::Reading => {}
            Step::Done(last, warnings) => {
                opened.chunks.extend(last);
                opened.warnings.extend(warnings);
                opened.reader = None;
                return Ok(opened);
            }
        }
    }
    if let Some(parser) = opened.parser.as_mut() {
        opened.warnings.extend(parser.take_warnings());
        opened.date = parser.date().map(str::to_string);
    }
    Ok(opened)
}
