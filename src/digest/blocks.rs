//! Reading a file a block at a time, cut where papers end, on a thread of its own.

use std::sync::mpsc;

use super::text;

/// Where the blocks read come, from the reading thread.
pub(super) type BlockReceiver = mpsc::Receiver<std::io::Result<Block>>;

/// A block of a file as read: its bytes, and whether no paper goes on past its end.
pub struct Block {
    pub(super) bytes: Vec<u8>,
    pub(super) whole: bool,
    /// Its line breaks, counted for a whole block (which may be parsed on another thread, its first line
    /// known from the blocks before); 0 for the others.
    pub(super) lines: usize,
}

/// Reads a file a block at a time, cutting each where no paper goes on past the cut (see
/// `text::safe_cut`) and keeping the rest for the next block, so that blocks parse on their own.
pub(super) struct Blocks<R> {
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
    pub(super) fn new(reader: R, tail: Vec<u8>, first: usize) -> Self {
        Blocks { reader, tail, size: first, block: text::BLOCK, size_was: 0, mid_line: false, spares: None }
    }

    pub(super) fn next(&mut self) -> std::io::Result<Option<Block>> {
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
    pub(super) fn start(mut self, name: &str) -> std::io::Result<(BlockReceiver, mpsc::Sender<Vec<u8>>)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::{BUILT_IN, TextParser, parse_text};
    use crate::library::Chunk;

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
}
