//! A digest being read: `Opened` hands out its papers as they are parsed, a helper thread parsing beside it.

use std::collections::VecDeque;
use std::sync::mpsc;

use super::blocks::{Block, BlockReceiver, Blocks};
use super::text::{self, Detached, ParsedBlock};
use super::{DigestError, FIRST, HEAD, any};
use crate::library::Chunk;

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

/// Opens a digest read from `reader` (see `open`).
pub(super) fn open_reader(
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
        self.in_flight.push_back(InFlight::Parsed(Box::new(detached.parse())));
    }

    /// Attaches the oldest block in flight, waiting for the helper to parse it when it is there.
    fn attach_oldest(&mut self) {
        let parsed = match self.in_flight.pop_front() {
            None => return,
            Some(InFlight::Parsed(parsed)) => *parsed,
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
    /// Here, already (boxed: a block is far larger than the other kind).
    Parsed(Box<Result<ParsedBlock, DigestError>>),
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

#[cfg(test)]
#[path = "opened_tests.rs"]
mod tests;
