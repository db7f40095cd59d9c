//! Input formats: turns the bytes of a digest into papers. No terminal code here; errors name file and line.

mod any;
pub mod detect;
mod feed;
pub mod fields;
mod hf;
mod jsonl;
mod text;

use std::collections::VecDeque;
use std::fmt;
use std::path::PathBuf;
use std::sync::mpsc;

pub use text::TextParser;
use text::{Detached, ParsedBlock};

use crate::library::{Chunk, Library, PaperRef};

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

/// The papers of `digests`, in order, as one library (copies of a paper merged).
pub fn into_library(digests: impl IntoIterator<Item = Digest>) -> Library {
    Library::from_chunks(digests.into_iter().flat_map(|d| d.chunks))
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
    read_all(source, true)
}

/// Reads and parses one digest, all of it, keeping no abstracts (see `Chunk::forget_abstracts`): for a
/// command that shows titles alone.
pub fn load_titles(source: &Source) -> Result<Digest, DigestError> {
    read_all(source, false)
}

fn read_all(source: &Source, abstracts: bool) -> Result<Digest, DigestError> {
    let mut opened = open(source)?;
    let mut chunks = std::mem::take(&mut opened.chunks);
    let keep = |opened: &Opened, mut chunk: Chunk| {
        if !abstracts {
            opened.give_back(chunk.forget_abstracts());
        }
        chunk
    };
    if !abstracts {
        chunks = chunks.into_iter().map(|chunk| keep(&opened, chunk)).collect();
    }
    loop {
        match opened.read_on()? {
            Step::Chunk(chunk) => chunks.push(keep(&opened, chunk)),
            Step::Reading => {}
            Step::Done(last, warnings) => {
                chunks.extend(last.map(|chunk| keep(&opened, chunk)));
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
    blocks: BlockReceiver,
    /// Blocks taken to be parsed on their own, oldest first, until they are attached (in this order).
    in_flight: VecDeque<InFlight>,
    /// What reading on gave, to be handed out in order.
    ready: VecDeque<Result<Step, DigestError>>,
    /// The thread that parses blocks beside this one.
    helper: Helping,
    /// False to parse every block here, in turn (tests compare the two).
    detach: bool,
    /// Blocks' memory given back to the reading thread, to read into again.
    spares: mpsc::Sender<Vec<u8>>,
    /// Bytes read, once the parser is done.
    bytes: u64,
}

/// Where the blocks read come, from the reading thread.
type BlockReceiver = mpsc::Receiver<std::io::Result<Block>>;

/// A block of a file as read: its bytes, and whether no paper goes on past its end.
pub struct Block {
    bytes: Vec<u8>,
    whole: bool,
    /// Its line breaks, counted for a whole block (which may be parsed on another thread, its first line
    /// known from the blocks before); 0 for the others.
    lines: usize,
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
    /// Blocks' memory given back (`Opened::give_back`), read into before new memory is taken.
    spares: Option<mpsc::Receiver<Vec<u8>>>,
}

impl<R: std::io::Read> Blocks<R> {
    fn new(reader: R, tail: Vec<u8>, first: usize) -> Self {
        Blocks { reader, tail, size: first, block: text::BLOCK, size_was: 0, mid_line: false, spares: None }
    }

    fn next(&mut self) -> std::io::Result<Option<Block>> {
        use std::io::Read;
        // Memory the process has used already costs the kernel a copy to read into; new memory costs it a
        // page fault and a page of zeros first, which is more than the copy (see BENCHMARKS.md).
        let spare = self.spares.as_ref().and_then(|spares| spares.try_recv().ok());
        let kept = self.tail.len();
        let mut bytes = match spare {
            Some(mut bytes) => {
                // Read straight into the block until it is full or the file ends: one read a block from a
                // file. The bytes the block held are written over; any not written over are cut off.
                let full_size = kept + self.size;
                bytes.truncate(full_size);
                bytes.resize(full_size, 0);
                bytes[..kept].copy_from_slice(&self.tail);
                self.tail.clear();
                let mut end = kept;
                while end < full_size {
                    match self.reader.read(&mut bytes[end..]) {
                        Ok(0) => break,
                        Ok(n) => end += n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                }
                bytes.truncate(end);
                bytes
            }
            None => {
                // New memory is read into as it is, not zeroed first (`read_to_end` fills the capacity).
                let mut bytes = Vec::with_capacity(kept + self.size);
                bytes.append(&mut self.tail);
                (&mut self.reader).take(self.size as u64).read_to_end(&mut bytes)?;
                bytes
            }
        };
        let read = bytes.len() - kept;
        self.size_was = self.size;
        self.size = self.block;
        if read == 0 {
            return Ok((!bytes.is_empty()).then_some(Block { bytes, whole: false, lines: 0 }));
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
        let lines = if whole { memchr::memchr_iter(b'\n', &bytes).count() } else { 0 };
        Ok(Some(Block { bytes, whole, lines }))
    }
}

impl<R: std::io::Read + Send + 'static> Blocks<R> {
    /// Reads on a thread of its own, at most three blocks ahead (two sent, one waiting to be); blocks' memory sent to the sender returned
    /// is read into again.
    fn start(mut self, name: &str) -> std::io::Result<(BlockReceiver, mpsc::Sender<Vec<u8>>)> {
        let (send, blocks) = mpsc::sync_channel(2);
        let (give_back, spares) = mpsc::channel();
        self.spares = Some(spares);
        std::thread::Builder::new().name(format!("read {name}")).spawn(move || {
            // Until the end, an error, or no one left to read the blocks.
            while let Some(block) = self.next().transpose() {
                let failed = block.is_err();
                if send.send(block).is_err() || failed {
                    return;
                }
            }
        })?;
        Ok((blocks, give_back))
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
    /// True when the whole file is parsed and every step taken.
    pub fn is_done(&self) -> bool {
        self.parser.is_none() && self.ready.is_empty()
    }

    /// Gives the memory of a block back, to read the blocks after it into (see `Chunk::forget_abstracts`).
    pub fn give_back(&self, bytes: Vec<u8>) {
        if bytes.capacity() > 0 {
            // Refused once the reading thread has stopped (at the end of the file, after a failed read, or
            // with the digest dropped), when the memory is no longer wanted.
            self.spares.send(bytes).ok();
        }
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.parser.as_ref().map_or(self.bytes, any::AnyParser::bytes_seen)
    }

    /// Parses on: the next papers, waiting for them to be read and parsed.
    ///
    /// A block that parses on its own (most of a large text digest) goes to a second thread while that
    /// has fewer than two, and is parsed here otherwise, up to `IN_FLIGHT` blocks ahead; steps still come
    /// in the file's order.
    pub fn read_on(&mut self) -> Result<Step, DigestError> {
        loop {
            if let Some(step) = self.ready.pop_front() {
                return step;
            }
            let Some(parser) = self.parser.as_mut() else { return Ok(Step::Done(None, Vec::new())) };
            if self.in_flight.len() >= IN_FLIGHT {
                self.attach_oldest();
                continue;
            }
            // While blocks are in flight, the next is not waited for: papers parsed already are handed out
            // first (from a pipe, the next block may be a long time coming).
            let received = match self.in_flight.is_empty() {
                true => self.blocks.recv().map_err(|mpsc::RecvError| mpsc::TryRecvError::Disconnected),
                false => self.blocks.try_recv(),
            };
            let next = match received {
                Err(mpsc::TryRecvError::Empty) => {
                    self.attach_oldest();
                    continue;
                }
                Ok(Ok(block)) if !self.detach => Next::Block(block),
                Ok(Ok(block)) => match parser.detach(block) {
                    Ok(detached) => {
                        self.start_parsing(detached);
                        continue;
                    }
                    Err(block) => Next::Block(block),
                },
                Ok(Err(error)) => Next::Failed(error),
                Err(mpsc::TryRecvError::Disconnected) => Next::End,
            };
            // What follows depends on the blocks before: they are attached first.
            while !self.in_flight.is_empty() {
                self.attach_oldest();
            }
            let step = match next {
                Next::Block(block) => match self.parser.as_mut() {
                    Some(parser) => {
                        parser.feed_block(block.bytes, block.whole).map(|c| c.map_or(Step::Reading, Step::Chunk))
                    }
                    None => continue,
                },
                Next::Failed(error) => Err(DigestError::Read { file: self.name.clone(), error }),
                Next::End => self.finish(),
            };
            self.ready.push_back(step);
        }
    }

    /// The end of the file, every block before it attached.
    fn finish(&mut self) -> Result<Step, DigestError> {
        let Some(parser) = self.parser.take() else { return Ok(Step::Done(None, Vec::new())) };
        self.bytes = parser.bytes_seen();
        let (last, date, warnings) = parser.finish()?;
        self.date = date;
        Ok(Step::Done(last, warnings))
    }

    /// Parses a detached block on the helper thread when it has little to do, else on this one.
    fn start_parsing(&mut self, detached: Detached) {
        if let Helping::NotYet = self.helper {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            self.helper = match (cores > 1).then(|| Helper::start(&self.name)).flatten() {
                Some(helper) => Helping::Running(helper),
                None => Helping::Never,
            };
        }
        let detached = match &mut self.helper {
            Helping::Running(helper) if helper.busy < 2 && !helper.gone => match helper.jobs.send(detached) {
                Ok(()) => {
                    helper.busy += 1;
                    self.in_flight.push_back(InFlight::Helper);
                    return;
                }
                // The helper is gone (it cannot be, short of a panic): what it was sent comes back as far
                // as it got, and the rest is parsed here.
                Err(mpsc::SendError(detached)) => {
                    helper.gone = true;
                    detached
                }
            },
            _ => detached,
        };
        self.in_flight.push_back(InFlight::Parsed(detached.parse()));
    }

    /// Attaches the oldest block in flight, waiting for the helper to parse it when it is there.
    fn attach_oldest(&mut self) {
        let parsed = match self.in_flight.pop_front() {
            None => return,
            Some(InFlight::Parsed(parsed)) => parsed,
            Some(InFlight::Helper) => match &mut self.helper {
                Helping::Running(helper) => {
                    helper.busy -= 1;
                    helper.parsed.recv().unwrap_or_else(|mpsc::RecvError| {
                        Err(DigestError::Read {
                            file: self.name.clone(),
                            error: std::io::Error::other("the thread parsing it stopped"),
                        })
                    })
                }
                // Blocks go to the helper only while it runs.
                Helping::NotYet | Helping::Never => return,
            },
        };
        let Some(parser) = self.parser.as_mut() else { return };
        self.ready.push_back(parsed.map(|parsed| parser.attach(parsed).map_or(Step::Reading, Step::Chunk)));
    }
}

/// What the reading thread gave next.
enum Next {
    Block(Block),
    Failed(std::io::Error),
    End,
}

/// Whether a thread parses blocks beside the one reading on.
enum Helping {
    /// Not started: no block was detached yet.
    NotYet,
    Running(Helper),
    /// One core, or the thread could not be started: every block is parsed where it is read on.
    Never,
}

/// How many blocks may be parsing on their own at once, waiting to be attached.
const IN_FLIGHT: usize = 4;

/// Where a detached block is being parsed.
enum InFlight {
    /// On the helper thread: its result comes back in the order sent.
    Helper,
    /// Here, already.
    Parsed(Result<ParsedBlock, DigestError>),
}

/// A thread that parses detached blocks beside the one reading on, in the order they are sent. It ends
/// when its digest is dropped.
struct Helper {
    jobs: mpsc::Sender<Detached>,
    parsed: mpsc::Receiver<Result<ParsedBlock, DigestError>>,
    /// Blocks sent and not yet received back.
    busy: usize,
    /// True once a block could not be sent: the thread ended.
    gone: bool,
}

impl Helper {
    fn start(name: &str) -> Option<Helper> {
        let (jobs, inbox) = mpsc::channel::<Detached>();
        let (outbox, parsed) = mpsc::channel();
        std::thread::Builder::new()
            .name(format!("parse {name}"))
            .spawn(move || {
                for detached in inbox {
                    if outbox.send(detached.parse()).is_err() {
                        return;
                    }
                }
            })
            .ok()?;
        Some(Helper { jobs, parsed, busy: 0, gone: false })
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
    open_reader(name, reader, size, saved)
}

/// Opens a digest read from `reader` (see `open`).
fn open_reader(
    name: String,
    mut reader: Box<dyn std::io::Read + Send>,
    size: Option<u64>,
    saved: Option<crate::library::Day>,
) -> Result<Opened, DigestError> {
    use std::io::Read;
    // Something like /dev/zero never ends: judge the start before reading on.
    let mut head = Vec::new();
    (&mut reader).take(HEAD).read_to_end(&mut head).map_err(|error| DigestError::Read { file: name.clone(), error })?;
    text::refuse_early(&name, &head)?;
    let mut parser = any::AnyParser::new(&name, &head, saved);
    parser.first_block(FIRST);
    let (blocks, spares) = Blocks::new(reader, head, FIRST)
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
        in_flight: VecDeque::new(),
        ready: VecDeque::new(),
        helper: Helping::NotYet,
        detach: true,
        spares,
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
        let mut blocks =
            Blocks { reader: bytes, tail: Vec::new(), size, block: size, size_was: 0, mid_line: false, spares: None };
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
    fn titles_alone_are_the_titles_of_the_whole_digest_read_through_reused_blocks() {
        // Several blocks, so that the memory of each is read into again: papers of different lengths, a
        // long one and an abstract of two paragraphs among them, and a warning.
        let mut text =
            String::from("new\n\nMar 14\n\nA paragraph of prose with no title before it, so it is skipped.\n\n");
        for i in 0..12_000 {
            let sentence = "We measure what a reader of this digest does every morning, and how fast. ";
            let abstract_text = sentence.repeat(1 + i % 7);
            match i % 1000 {
                7 => text.push_str(&format!("Paper {i} with two paragraphs\n\n{abstract_text}\n\n{abstract_text}\n\n")),
                500 => text.push_str(&format!("Paper {i}, a long one\n\n{}\n\n", sentence.repeat(13_000))),
                _ => text.push_str(&format!("Paper {i}: on reading digests\n\n{abstract_text}\n\n")),
            }
        }
        assert!(text.len() > 5 * text::BLOCK);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.txt");
        std::fs::write(&path, &text).unwrap();
        let whole = load(&Source::File(path.clone())).unwrap();
        let titles = load_titles(&Source::File(path)).unwrap();
        let listed = |d: &Digest| d.papers().map(|p| (p.title().to_string(), p.line())).collect::<Vec<_>>();
        assert_eq!(listed(&titles), listed(&whole));
        assert_eq!(titles.len(), 12_000);
        assert_eq!((&titles.warnings, &titles.date), (&whole.warnings, &whole.date));
        assert!(whole.papers().all(|p| !p.abstract_text().is_empty()));
        assert!(titles.papers().all(|p| p.abstract_text().is_empty()));
        assert!(titles.chunks.iter().all(|c| c.text().is_empty()));
    }

    #[test]
    fn blocks_parsed_on_two_threads_give_what_one_thread_gives() {
        // Papers, their lines, warnings (more than are shown) and the date, from a digest of many blocks,
        // parsed with blocks detached to the helper thread and parsed all on one thread.
        let mut text = String::from("Get trending papers in your email inbox!\n\nMar 14\n\n");
        let sentence = "We measure what a reader of this digest does every morning, and how fast. ";
        for i in 0..25_000 {
            let abstract_text = sentence.repeat(1 + i % 5);
            match i % 1000 {
                // Invalid UTF-8, once a block or so.
                3 => text.push_str(&format!("Paper {i} in Latin-1: caf\u{fffd}\n\n{abstract_text}\n\n")),
                // A title followed by a title: no abstract.
                4 => text.push_str(&format!("Paper {i} alone\n\n")),
                _ => text.push_str(&format!("Paper {i}: a title\n\n{abstract_text}\n\n")),
            }
        }
        let mut bytes = text.into_bytes();
        while let Some(at) = bytes.windows(3).position(|w| w == "\u{fffd}".as_bytes()) {
            bytes.splice(at..at + 3, [0xe9]);
        }
        assert!(bytes.len() > 5 * text::BLOCK);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.txt");
        std::fs::write(&path, &bytes).unwrap();
        let read = |detach: bool| {
            let mut opened = open(&Source::File(path.clone())).unwrap();
            opened.detach = detach;
            let mut papers: Vec<(String, String, usize)> = Vec::new();
            let mut add = |chunk: &Chunk| {
                papers.extend(chunk.papers().map(|p| (p.title().to_string(), p.abstract_text().to_string(), p.line())));
            };
            opened.chunks.iter().for_each(&mut add);
            let mut warnings = std::mem::take(&mut opened.warnings);
            loop {
                match opened.read_on().unwrap() {
                    Step::Chunk(chunk) => add(&chunk),
                    Step::Reading => {}
                    Step::Done(last, more) => {
                        last.iter().for_each(&mut add);
                        warnings.extend(more);
                        return (
                            papers,
                            warnings,
                            opened.date.clone(),
                            opened.bytes_read(),
                            matches!(opened.helper, Helping::Running(_)),
                        );
                    }
                }
            }
        };
        let (two, one) = (read(true), read(false));
        assert_eq!(two.0.len(), 25_000);
        assert!(two.0.iter().all(|(title, abstract_text, _)| abstract_text.is_empty() == title.ends_with("alone")));
        assert!(
            two.1.len() > 5 && two.1.last().is_some_and(|w| w.ends_with("more warnings like these")),
            "{:?}",
            two.1
        );
        assert_eq!(two.2.as_deref(), Some("Mar 14"));
        assert_eq!(two.3, bytes.len() as u64);
        // The helper was there to parse on (the machine having more than one core).
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!((two.4, one.4), (cores > 1, false));
        assert_eq!(two.0, one.0);
        assert_eq!(two.1, one.1);
        assert_eq!(two.2, one.2);
        assert_eq!(two.3, one.3);
    }

    #[test]
    fn papers_read_from_a_pipe_are_handed_out_while_it_stays_open() {
        // A pipe that gives 6 MB of papers, then stays open with nothing more: the papers of the blocks
        // read whole come out, though the next block never fills.
        struct Pipe(mpsc::Receiver<Vec<u8>>, Vec<u8>);
        impl std::io::Read for Pipe {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                while self.1.is_empty() {
                    match self.0.recv() {
                        Ok(bytes) => self.1 = bytes,
                        Err(mpsc::RecvError) => return Ok(0),
                    }
                }
                let n = buf.len().min(self.1.len());
                buf[..n].copy_from_slice(&self.1[..n]);
                self.1.drain(..n);
                Ok(n)
            }
        }
        let sentence = "We measure what a reader of this digest does every morning, and how fast. ";
        let mut text = String::new();
        let mut papers = 0;
        let mut within_4mb = 0;
        while text.len() < 6 * text::BLOCK {
            text.push_str(&format!("Paper {papers}: a title\n\n{}\n\n", sentence.repeat(1 + papers % 5)));
            papers += 1;
            if text.len() < 4 * text::BLOCK {
                within_4mb = papers;
            }
        }
        let (send, pipe) = mpsc::channel();
        for piece in text.as_bytes().chunks(64 * 1024) {
            send.send(piece.to_vec()).unwrap();
        }
        let (counts, counted) = mpsc::channel();
        std::thread::spawn(move || {
            let mut opened = open_reader("pipe".into(), Box::new(Pipe(pipe, Vec::new())), None, None).unwrap();
            let mut seen: usize = opened.chunks.iter().map(Chunk::len).sum();
            counts.send(seen).ok();
            loop {
                match opened.read_on() {
                    Ok(Step::Chunk(chunk)) => seen += chunk.len(),
                    Ok(Step::Reading) => {}
                    _ => return,
                }
                if counts.send(seen).is_err() {
                    return;
                }
            }
        });
        let mut seen = 0;
        while seen < within_4mb {
            match counted.recv_timeout(std::time::Duration::from_secs(20)) {
                Ok(n) => seen = n,
                Err(_) => panic!("{seen} papers handed out of the {within_4mb} in the first 4 MB, then none"),
            }
        }
        drop(send);
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
