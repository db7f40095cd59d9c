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
mod tests {
    use super::*;
    use crate::digest::{Source, open};

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
}
