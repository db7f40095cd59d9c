//! Input formats: turns the bytes of a digest into papers. No terminal code here; errors name file and line.
//!
//! Here: where a digest comes from, and loading or opening one. Beside it: `error` (what went wrong),
//! `blocks` (a file read a block at a time on a thread of its own), `opened` (a digest being read, its
//! papers handed out as they are parsed), `detect` and `any` (which format the content is), and a module
//! per format.

mod any;
mod blocks;
pub mod detect;
mod error;
mod feed;
pub mod fields;
mod hf;
mod jsonl;
mod opened;
mod text;

use std::path::PathBuf;

pub use blocks::Block;
use blocks::Blocks;
pub use error::DigestError;
pub use opened::{Opened, Step};
pub use text::TextParser;
/// Whether a character is of a script written without spaces between words (Chinese, Japanese, Thai…).
pub use text::unspaced;

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
            Source::File(path) => crate::sanitize::quote_path(path),
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

/// Reads and parses a small digest file whole, on this thread: as `load` does, without the reading thread
/// and the blocks that a large or endless input needs (a library of many fetched days opens much faster).
pub fn load_small(path: &std::path::Path) -> Result<Digest, DigestError> {
    load_small_with(path, &mut Vec::new())
}

/// `load_small`, reading into `buf`, which a format that does not keep its text (JSON: its papers are
/// copied out) hands back for the next file. A thread reading many small files thus reads them all into
/// memory it has touched already, instead of new memory for each (page faults, and the allocator growing
/// and trimming its heap, were a fifth of opening a year of stored days).
pub fn load_small_with(path: &std::path::Path, buf: &mut Vec<u8>) -> Result<Digest, DigestError> {
    let name = crate::sanitize::quote_path(path);
    let failed = |error| DigestError::Read { file: name.clone(), error };
    let (mut file, first) = open_file(path).map_err(failed)?;
    let saved = file.metadata().ok().and_then(|m| m.modified().ok()).map(crate::library::Day::of);
    buf.clear();
    buf.extend_from_slice(&first);
    // `File::read_to_end` reserves the file's size at once.
    std::io::Read::read_to_end(&mut file, buf).map_err(failed)?;
    let head = &buf[..buf.len().min(HEAD as usize)];
    text::refuse_early(&name, head)?;
    let mut parser = any::AnyParser::new(&name, head, saved);
    // One block, the file itself: small enough that the parser need not see it in parts.
    let first = match parser.feed_borrowed(buf) {
        Some(chunk) => chunk?,
        None => parser.feed_block(std::mem::take(buf), false)?,
    };
    let mut chunks: Vec<Chunk> = first.into_iter().collect();
    let (last, date, warnings) = parser.finish()?;
    chunks.extend(last);
    Ok(Digest { name, date, chunks, warnings })
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

/// Opens `path` for reading without waiting for ever on a FIFO (a named pipe) that nothing writes
/// into: a blocking `open` of one waited for a writer for ever. A FIFO that no program holds open to
/// write is refused at once, as empty (an error of kind `UnexpectedEof`), as `files::read_at_most` finds the configuration's;
/// one whose writer is there is waited on, as a pipe is, until it writes or goes (`papers <(curl …)`).
/// Gives the file, reading as a blocking one does, and the bytes already read from it (a FIFO's first,
/// read to tell whether anything writes into it), which come before the rest.
fn open_file(path: &std::path::Path) -> std::io::Result<(std::fs::File, Vec<u8>)> {
    #[cfg(unix)]
    {
        use rustix::event::{PollFd, PollFlags, poll};
        use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
        use std::io::Read;
        use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
        let mut file = std::fs::File::options().read(true).custom_flags(libc::O_NONBLOCK).open(path)?;
        let mut first = Vec::new();
        if file.metadata()?.file_type().is_fifo() {
            let mut byte = [0u8];
            loop {
                match file.read(&mut byte) {
                    Ok(0) => {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::UnexpectedEof,
                            "it is a FIFO (named pipe) and nothing was written to it: what writes into it is not running (start it \
                             first), or it wrote nothing",
                        ));
                    }
                    Ok(_) => {
                        first.push(byte[0]);
                        break;
                    }
                    // A writer is there and has not written yet: waited for, as a pipe's reader waits.
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        let mut fds = [PollFd::new(&file, PollFlags::IN)];
                        match poll(&mut fds, None) {
                            Ok(_) | Err(rustix::io::Errno::INTR) => {}
                            Err(e) => return Err(e.into()),
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        fcntl_setfl(&file, fcntl_getfl(&file)? - OFlags::NONBLOCK)?;
        Ok((file, first))
    }
    #[cfg(not(unix))]
    {
        Ok((std::fs::File::open(path)?, Vec::new()))
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
            let (file, first) = open_file(path).map_err(failed)?;
            let meta = file.metadata().ok();
            saved = meta.as_ref().and_then(|m| m.modified().ok()).map(crate::library::Day::of);
            let size = meta.filter(|m| m.is_file()).map(|m| m.len());
            (Box::new(std::io::Cursor::new(first).chain(file)), size)
        }
    };
    opened::open_reader(name, reader, size, saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_file_read_whole_gives_what_reading_it_in_blocks_gives() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut compared = 0;
        for entry in std::fs::read_dir(&fixtures).unwrap() {
            let path = entry.unwrap().path();
            let whole = load_small(&path);
            let blocks = load(&Source::File(path.clone()));
            match (whole, blocks) {
                (Ok(whole), Ok(blocks)) => {
                    let papers = |d: &Digest| -> Vec<(String, String, usize, Option<String>)> {
                        d.papers()
                            .map(|p| {
                                (p.title().into(), p.abstract_text().into(), p.line(), p.arxiv_id().map(Into::into))
                            })
                            .collect()
                    };
                    assert_eq!(papers(&whole), papers(&blocks), "{}", path.display());
                    assert_eq!((&whole.date, &whole.warnings), (&blocks.date, &blocks.warnings), "{}", path.display());
                    compared += 1;
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{}", path.display()),
                (a, b) => panic!("{}: {:?} against {:?}", path.display(), a.map(|d| d.len()), b.map(|d| d.len())),
            }
        }
        assert!(compared >= 15, "{compared}");
    }

    #[test]
    fn titles_alone_are_the_titles_of_the_whole_digest_read_through_reused_blocks() {
        // Several blocks, so that the memory of each is read into again: papers of different lengths, a
        // long one and an abstract of two paragraphs among them, and a warning.
        let mut text =
            String::from("new\n\nMar 14\n\nA paragraph of prose with no title before it. It is skipped.\n\n");
        for i in 0..12_000 {
            let sentence = "We measure what a reader of this digest does every morning, and how fast. ";
            let abstract_text = sentence.repeat(2 + i % 7);
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
}
