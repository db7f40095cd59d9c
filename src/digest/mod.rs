//! Input formats: turns the bytes of a digest into papers. No terminal code here; errors name file and line.

mod any;
pub mod detect;
mod feed;
pub mod fields;
mod hf;
mod jsonl;
mod links;
mod text;

use std::fmt;
use std::path::PathBuf;
use std::sync::mpsc;

pub use links::find_links;
pub use text::TextParser;

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
    /// Standard input (`-` on the command line).
    Stdin,
}

impl Source {
    pub fn name(&self) -> String {
        match self {
            Source::BuiltIn => BUILT_IN_NAME.to_string(),
            Source::File(path) => path.display().to_string(),
            Source::Stdin => "standard input".to_string(),
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
    /// A file that looks like one of the structured formats (`format`, e.g. "Hugging Face daily papers
    /// JSON") but does not parse as it: `why` says what is wrong at `line`.
    Malformed {
        file: String,
        line: usize,
        format: &'static str,
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
            DigestError::Malformed { file, line, format, why } => {
                write!(
                    f,
                    "{file}:{line}: this looks like {format} but does not parse: {why}; fix the file or save it again"
                )
            }
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

/// Parses a whole digest in memory, in whichever format its content is. `name` is used in warnings and
/// errors.
pub fn parse_text(name: &str, bytes: &[u8]) -> Result<Digest, DigestError> {
    let mut blocks = Blocks::new(bytes, Vec::new(), text::BLOCK);
    let read_failed = |error| DigestError::Read { file: name.to_string(), error };
    parse_all(name, bytes, std::iter::from_fn(|| blocks.next().map_err(read_failed).transpose()))
}

/// A digest in memory, cut into blocks as the reading thread cuts a file (blocks of `text::BLOCK`, ended
/// where papers end), for timing the parsing alone (`parse_blocks`): the bytes already where a read put
/// them. The reading thread makes its first block smaller, to show papers sooner; this does not.
pub fn cut_into_blocks(bytes: &[u8]) -> Vec<Block> {
    let mut blocks = Blocks::new(bytes, Vec::new(), text::BLOCK);
    // Reading a slice cannot fail.
    std::iter::from_fn(|| blocks.next().ok().flatten()).collect()
}

/// Parses the blocks `cut_into_blocks` made of `bytes`, as `parse_text` would parse `bytes`.
pub fn parse_blocks(name: &str, bytes: &[u8], blocks: Vec<Block>) -> Result<Digest, DigestError> {
    parse_all(name, bytes, blocks.into_iter().map(Ok))
}

/// Parses `blocks` of `bytes` (a digest in memory) one after another.
fn parse_all(
    name: &str,
    bytes: &[u8],
    blocks: impl Iterator<Item = Result<Block, DigestError>>,
) -> Result<Digest, DigestError> {
    let mut parser = any::AnyParser::new(name, &bytes[..bytes.len().min(HEAD as usize)], None);
    let mut chunks = Vec::new();
    for block in blocks {
        let block = block?;
        chunks.extend(parser.feed_block(block.bytes, block.whole)?);
    }
    let (last, date, warnings) = parser.finish()?;
    chunks.extend(last);
    Ok(Digest { name: name.to_string(), date, chunks, warnings })
}

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

/// A digest being read: its first papers parsed, the rest to come with `read_on`. The file is read on a
/// thread of its own, a block ahead of the parsing.
pub struct Opened {
    pub name: String,
    /// The papers parsed while opening.
    pub chunks: Vec<Chunk>,
    pub date: Option<String>,
    /// Warnings so far (given once: later ones come with `Step::Done`).
    pub warnings: Vec<String>,
    /// The file's size, when it is a regular file.
    pub size: Option<u64>,
    parser: Option<any::AnyParser>,
    blocks: mpsc::Receiver<std::io::Result<Block>>,
    /// Bytes read, once the parser is done.
    bytes: u64,
}

/// A block of a file as read: its bytes, and whether no paper goes on past its end.
pub struct Block {
    bytes: Vec<u8>,
    whole: bool,
}

/// Reads a file a block at a time, cutting each where no paper goes on past the cut (see
/// `text::safe_cut`) and keeping the rest for the next block, so that blocks parse on their own.
struct Blocks<R> {
    reader: R,
    tail: Vec<u8>,
    /// How much to read for the next block.
    size: usize,
    /// How much to read for the blocks after it.
    block: usize,
    /// How much was asked for last.
    size_was: usize,
    /// True when the last block sent ended inside a line (one longer than a block): the next one begins
    /// with the rest of that line.
    mid_line: bool,
}

impl<R: std::io::Read> Blocks<R> {
    fn new(reader: R, tail: Vec<u8>, first: usize) -> Self {
        Blocks { reader, tail, size: first, block: text::BLOCK, size_was: 0, mid_line: false }
    }

    fn next(&mut self) -> std::io::Result<Option<Block>> {
        use std::io::Read;
        let mut bytes = Vec::with_capacity(self.tail.len() + self.size);
        bytes.append(&mut self.tail);
        let read = (&mut self.reader).take(self.size as u64).read_to_end(&mut bytes)?;
        self.size_was = self.size;
        self.size = self.block;
        if read == 0 {
            return Ok((!bytes.is_empty()).then_some(Block { bytes, whole: false }));
        }
        // A block that did not fill up is the end of the file: nothing to cut.
        let full = read >= self.size_was;
        let (cut, whole) = match text::safe_cut(&bytes, self.mid_line) {
            _ if !full => (bytes.len(), false),
            Some(cut) => (cut, true),
            // No place where papers end: whole lines go, the parser keeps what may go on.
            None => (memchr::memrchr(b'\n', &bytes).map_or(bytes.len(), |i| i + 1), false),
        };
        self.mid_line = cut == bytes.len() && !bytes.ends_with(b"\n");
        self.tail = bytes[cut..].to_vec();
        bytes.truncate(cut);
        if !full {
            // The end of a file, often much less than a block: keep only what it holds.
            bytes.shrink_to_fit();
        }
        Ok(Some(Block { bytes, whole }))
    }
}

impl<R: std::io::Read + Send + 'static> Blocks<R> {
    /// Reads on a thread of its own, at most two blocks ahead.
    fn start(mut self, name: &str) -> std::io::Result<mpsc::Receiver<std::io::Result<Block>>> {
        let (send, blocks) = mpsc::sync_channel(2);
        std::thread::Builder::new().name(format!("read {name}")).spawn(move || {
            // Until the end, an error, or no one left to read the blocks.
            while let Some(block) = self.next().transpose() {
                let failed = block.is_err();
                if send.send(block).is_err() || failed {
                    return;
                }
            }
        })?;
        Ok(blocks)
    }
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
        self.parser.as_ref().map_or(self.bytes, any::AnyParser::bytes_seen)
    }

    /// Parses the next block, waiting for it to be read.
    pub fn read_on(&mut self) -> Result<Step, DigestError> {
        let Some(parser) = self.parser.as_mut() else { return Ok(Step::Done(None, Vec::new())) };
        match self.blocks.recv() {
            Ok(Ok(block)) => {
                return Ok(parser.feed_block(block.bytes, block.whole)?.map_or(Step::Reading, Step::Chunk));
            }
            Ok(Err(error)) => return Err(DigestError::Read { file: self.name.clone(), error }),
            // The end of the file.
            Err(mpsc::RecvError) => {}
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
    let mut saved = None;
    let (reader, size): (Box<dyn Read + Send>, Option<u64>) = match source {
        Source::BuiltIn => (Box::new(BUILT_IN), Some(BUILT_IN.len() as u64)),
        Source::Stdin => (Box::new(std::io::stdin()), None),
        Source::File(path) => {
            let failed = |error| DigestError::Read { file: name.clone(), error };
            let file = std::fs::File::open(path).map_err(failed)?;
            let meta = file.metadata().ok();
            saved = meta.as_ref().and_then(|m| m.modified().ok()).map(crate::library::Day::of);
            let size = meta.filter(|m| m.is_file()).map(|m| m.len());
            (Box::new(file), size)
        }
    };
    let mut reader = reader;
    // Something like /dev/zero never ends: judge the start before reading on.
    let mut head = Vec::new();
    (&mut reader).take(HEAD).read_to_end(&mut head).map_err(|error| DigestError::Read { file: name.clone(), error })?;
    text::refuse_early(&name, &head)?;
    let mut parser = any::AnyParser::new(&name, &head, saved);
    parser.first_block(FIRST);
    let blocks = Blocks::new(reader, head, FIRST)
        .start(&name)
        .map_err(|error| DigestError::Read { file: name.clone(), error })?;
    let mut opened = Opened {
        name,
        chunks: Vec::new(),
        date: None,
        warnings: Vec::new(),
        size,
        parser: Some(parser),
        blocks,
        bytes: 0,
    };
    // Read on until the first papers are parsed, or the end.
    while opened.chunks.is_empty() {
        match opened.read_on()? {
            Step::Chunk(chunk) => opened.chunks.push(chunk),
            Step::Reading => {}
            Step::Done(last, warnings) => {
                opened.chunks.extend(last);
                opened.warnings.extend(warnings);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every paper and warning, as parsed from `bytes` read in blocks of `size` (cut where the reader cuts
    /// them) and parsed in blocks of `size` where no cut was found.
    fn in_blocks(bytes: &[u8], size: usize) -> Result<Vec<(String, String, usize)>, String> {
        let mut blocks = Blocks { reader: bytes, tail: Vec::new(), size, block: size, size_was: 0, mid_line: false };
        let mut parser = TextParser::new("t.txt");
        parser.block_size(size);
        let mut chunks = Vec::new();
        while let Some(block) = blocks.next().map_err(|e| e.to_string())? {
            chunks.extend(parser.feed_block(block.bytes, block.whole).map_err(|e| e.to_string())?);
        }
        let (last, _, warnings) = parser.finish().map_err(|e| e.to_string())?;
        chunks.extend(last);
        let mut out: Vec<(String, String, usize)> = chunks
            .iter()
            .flat_map(Chunk::papers)
            .map(|p| (p.title().into(), p.abstract_text().into(), p.line()))
            .collect();
        out.extend(warnings.into_iter().map(|w| (w, String::new(), 0)));
        Ok(out)
    }

    fn at_once(bytes: &[u8]) -> Result<Vec<(String, String, usize)>, String> {
        let digest = parse_text("t.txt", bytes).map_err(|e| e.to_string())?;
        let mut out: Vec<(String, String, usize)> =
            digest.papers().map(|p| (p.title().into(), p.abstract_text().into(), p.line())).collect();
        out.extend(digest.warnings.into_iter().map(|w| (w, String::new(), 0)));
        Ok(out)
    }

    #[test]
    fn reading_in_blocks_of_any_size_parses_as_reading_at_once() {
        let long = "We show how a model that reads the whole digest learns more than one that reads a part. ".repeat(3);
        let texts = [
            String::from_utf8_lossy(BUILT_IN).into_owned(),
            format!("new\n\nMar 14\n\nTitle One\n\n{long}\n\n{long}\n\nTitle Two\n\nTitle Three\n\n{long}\n"),
            format!("{long}\n\nA Title\r\n\r\n{long}\r\nwrapped on\r\n\r\nAnother Title\n\n\n\n{long}"),
            format!("Title with a hyphen-\nated wrap\n\n{long}\n\nMar 14\n\n{long}\n\nLast \u{1b}[31mred\n"),
        ];
        for (n, text) in texts.iter().enumerate() {
            let expected = at_once(text.as_bytes());
            let sizes: Vec<usize> =
                if n == 0 { vec![97, 1000, 4096, 10_000, 65_536] } else { (1..120).chain([200, 333, 1000]).collect() };
            for size in sizes {
                let got = in_blocks(text.as_bytes(), size);
                if got != expected {
                    let (Ok(got), Ok(want)) = (&got, &expected) else { panic!("{got:?} / {expected:?}") };
                    let at = got.iter().zip(want).position(|(a, b)| a != b).unwrap_or(got.len().min(want.len()));
                    panic!(
                        "blocks of {size} in {:?}: {} papers, not {}; first difference at {at}: {:?} / {:?}",
                        &text[..40],
                        got.len(),
                        want.len(),
                        got.get(at).map(|p| (&p.0, &p.1[p.1.len().saturating_sub(30)..], p.2)),
                        want.get(at).map(|p| (&p.0, &p.1[p.1.len().saturating_sub(30)..], p.2))
                    );
                }
            }
        }
    }

    // Bytes that are not text are judged a block at a time (mostly NULs in a block refuse it), so they
    // are left out here: with blocks of a few bytes the judgement differs by design.
    proptest::proptest! {
        #[test]
        fn any_digest_like_text_in_any_blocks_parses_as_at_once(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "", "", "", " ", "\r", "new", "Mar 14", "A Title", "Another-", "title", "Short line.",
                    "Eight words in this line end with a dot.",
                    "We show how a model that reads the whole digest learns more than one that reads a part of it, and how much more it learns when the digest is long and the papers in it are many, which is the case here.",
                    "caf\u{e9} \u{201c}quoted\u{201d}", "x\u{1b}[1mbold", "\u{a0}", "\u{3000}",
                ]),
                0..60,
            ),
            size in 1usize..80,
        ) {
            let text = lines.join("\n");
            proptest::prop_assert_eq!(in_blocks(text.as_bytes(), size), at_once(text.as_bytes()));
        }
    }

    #[test]
    fn a_safe_cut_is_at_a_title_between_blank_lines() {
        let text = b"T1\n\nThis is the abstract of the first paper, long enough to be prose.\n\nT2\n\nabs";
        let cut = text::safe_cut(text, false).expect("a cut");
        assert_eq!(&text[cut..cut + 2], b"T2");
        // Not before prose, not at the first line, not in a paragraph still going on.
        assert_eq!(text::safe_cut(b"T1\n\nT2 wrapped\nover two lines\n\nx", false), None);
        assert_eq!(text::safe_cut(b"T1\n\n", false), None);
        // After a block that ended inside a line, the first line is the rest of that one, not blank.
        assert_eq!(text::safe_cut(b"\nT2\n\nx", true), None);
        assert_eq!(text::safe_cut(b"\nT2\n\nx", false), Some(1));
    }
}
