//! `Pairs`: which letters and which pairs of neighbouring letters each abstract holds, kept by the search
//! thread a chunk at a time, so that an `abstract:` filter reads an abstract only when it may hold the
//! run, and not at all for a run of one or two letters.
//!
//! A letter is any of the 26 in either case; every other byte (digits, spaces, punctuation, the bytes of
//! other scripts) is one class of its own, "other". For each chunk, each letter, each class pair that
//! some abstract holds keeps a bit for each paper of the chunk, and one more row the abstracts that are
//! not ASCII: 27 + 27 × 27 + 1 rows at most, each as long as the chunk has papers, side by side, so that
//! a filter reads a few bits a paper from a few rows that stay in the cache while a chunk is searched. A
//! run is in an abstract only if every pair of it is; for a run of one or two letters, matched in either
//! case, that is also enough. A run not found in the bytes of an abstract is looked for in it folded
//! only when it is not ASCII, which its row tells without reading the whole abstract again.
//!
//! What an abstract is searched as (see `scorer::holds`): its bytes, and when it is not ASCII, the text
//! folded (in lower case for a run in either case, as it is for one that respects case); the pairs of all
//! of them are kept, so that a pair missing from the rows is missing from each.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use wide::u8x16;

use super::query::fold_into;
use crate::library::{Chunk, Titles};

/// The classes of bytes: 26 letters, then "other".
const CLASSES: usize = 27;
const OTHER: u8 = 26;
/// A row for each class, then one for each pair of classes, then the row of abstracts not in ASCII.
const ROWS: usize = CLASSES + CLASSES * CLASSES + 1;
const NOT_ASCII: u16 = (ROWS - 1) as u16;
/// Chunks a thread reads between two looks at the cancel flag: some 5-8 ms of a snapshot's chunks of a
/// thousand papers.
const BATCH: usize = 4;
/// In `Table::rows`: no paper of the chunk has it.
const NONE: u32 = u32::MAX;

/// The class of each byte.
const CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 26 {
        class[b'a' as usize + b] = b as u8;
        class[b'A' as usize + b] = b as u8;
        b += 1;
    }
    class
};

/// One chunk's rows.
#[derive(Debug)]
struct Table {
    /// Where each row (a bit for each paper of the chunk) starts in `bits`, in words; `NONE` when no paper has it.
    rows: Box<[u32]>,
    bits: Box<[u64]>,
}

impl Table {
    /// The rows of the abstracts `texts` (the chunk's, in order).
    fn of<'t>(papers: usize, texts: impl Iterator<Item = &'t str>) -> Self {
        let words = papers.div_ceil(64);
        let mut dense = vec![0u64; ROWS * words];
        // What 16 papers hold: a byte for each row and paper, the papers of a row side by side, so that
        // the row's bits for them are read off at once (12 KiB, which stays in the nearest cache).
        let (mut folded, mut block) = (String::new(), vec![0u8; ROWS * 16]);
        let mut texts = texts.take(words * 64).peekable();
        let mut j = 0;
        while texts.peek().is_some() {
            for (k, text) in texts.by_ref().take(16).enumerate() {
                mark(text.as_bytes(), &mut block, k);
                if !text.is_ascii() {
                    block[usize::from(NOT_ASCII) * 16 + k] = 0x80;
                    for lower in [true, false] {
                        fold_into(text, lower, &mut folded);
                        mark(folded.as_bytes(), &mut block, k);
                    }
                }
            }
            for (row, papers) in block.chunks_exact(16).enumerate() {
                let sixteen = u8x16::new(papers.try_into().unwrap_or([0; 16]));
                dense[row * words + j / 64] |= u64::from(sixteen.move_mask() as u16) << (j % 64);
            }
            block.fill(0);
            j += 16;
        }
        // A letter is held where a pair holds it (or where it is a whole abstract of one byte).
        for class in 0..CLASSES {
            for w in 0..words {
                let pair = |a: usize, b: usize| dense[(CLASSES + a * CLASSES + b) * words + w];
                let held = (0..CLASSES).fold(0, |held, other| held | pair(class, other) | pair(other, class));
                dense[class * words + w] |= held;
            }
        }
        let mut rows = vec![NONE; ROWS].into_boxed_slice();
        let mut bits = Vec::new();
        for (row, at) in rows.iter_mut().enumerate() {
            let dense = &dense[row * words..(row + 1) * words];
            if dense.iter().any(|&w| w != 0) {
                // Fewer words than a u32 counts: 757 rows of a chunk's papers.
                *at = u32::try_from(bits.len()).unwrap_or(NONE);
                bits.extend_from_slice(dense);
            }
        }
        Table { rows, bits: bits.into_boxed_slice() }
    }

    /// True when paper `j` of the chunk has every row of `wanted`.
    #[inline]
    fn has(&self, wanted: &[u16], j: usize) -> bool {
        wanted.iter().all(|&row| {
            let at = self.rows[usize::from(row)];
            at != NONE && self.bits[at as usize + j / 64] >> (j % 64) & 1 == 1
        })
    }

    fn memory(&self) -> usize {
        self.rows.len() * std::mem::size_of::<u32>() + self.bits.len() * std::mem::size_of::<u64>()
    }
}

/// Notes in `block` (a byte a row and paper, the 16 papers of a row side by side) the rows `bytes`
/// holds, for paper `k`: each pair of neighbouring classes, and the first byte's class (the others are
/// read off the pairs). A byte set without reading it first costs a third of what setting a bit did:
/// the next byte's row does not wait for this one's.
fn mark(bytes: &[u8], block: &mut [u8], k: usize) {
    let Some((&first, rest)) = bytes.split_first() else { return };
    let mut class = usize::from(CLASS[usize::from(first)]);
    block[class * 16 + k] = 0x80;
    for &b in rest {
        let next = usize::from(CLASS[usize::from(b)]);
        block[(CLASSES + class * CLASSES + next) * 16 + k] = 0x80;
        class = next;
    }
}

/// What a run asks of the rows (see `Pairs::check`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Wanted {
    rows: Vec<u16>,
    /// The rows tell the whole answer: a run of one or two letters, in either case.
    exact: bool,
}

impl Wanted {
    /// What `run` (folded, as the filter searches it) asks: its class, or each pair of its classes.
    pub(super) fn new(run: &str, respect_case: bool) -> Self {
        let classes: Vec<usize> = run.bytes().map(|b| usize::from(CLASS[usize::from(b)])).collect();
        let mut rows: Vec<u16> = match classes[..] {
            [only] => vec![only as u16],
            _ => classes.windows(2).map(|w| (CLASSES + w[0] * CLASSES + w[1]) as u16).collect(),
        };
        rows.sort_unstable();
        rows.dedup();
        let exact = !respect_case && run.len() <= 2 && run.bytes().all(|b| b.is_ascii_alphabetic());
        Wanted { rows, exact }
    }
}

/// The rows of each chunk of the titles the search thread saw last, for as many chunks as were read.
#[derive(Debug, Default)]
pub struct Pairs {
    chunks: Vec<Weak<Chunk>>,
    /// The library index of each chunk's first paper, and one past the last paper of the last one.
    starts: Vec<usize>,
    tables: Vec<Table>,
}

impl Pairs {
    /// Brings the rows up to `titles`: the chunks read already are kept while they are the same ones in
    /// the same places; the others are read in turn, on `threads` threads, at most `batches` batches of
    /// `BATCH` chunks a thread, until `cancel` is set (the chunks read by then are kept). True when
    /// every chunk is read.
    pub(super) fn update(&mut self, titles: &Titles, threads: usize, cancel: &AtomicBool, batches: usize) -> bool {
        let chunks: Vec<(usize, &Arc<Chunk>)> = titles.chunks().collect();
        let same = self
            .chunks
            .iter()
            .zip(&chunks)
            .zip(&self.starts)
            .take_while(|((kept, (start, chunk)), kept_start)| {
                Weak::as_ptr(kept) == Arc::as_ptr(chunk) && kept.strong_count() > 0 && *start == **kept_start
            })
            .count();
        self.chunks.truncate(same);
        self.tables.truncate(same);
        self.starts.truncate(same);
        let todo = &chunks[same..];
        if todo.is_empty() {
            self.starts.push(titles.len());
            return true;
        }
        let threads = threads.clamp(1, todo.len());
        // A batch of chunks a thread, in order, between looks at the cancel flag.
        for batch in todo.chunks(BATCH * threads).take(batches) {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            let read = |part: &[(usize, &Arc<Chunk>)]| -> Vec<Table> {
                part.iter()
                    .map(|(_, chunk)| Table::of(chunk.len(), chunk.papers().map(|p| p.abstract_text())))
                    .collect()
            };
            let part = batch.len().div_ceil(threads);
            let tables: Vec<Table> = if threads > 1 && batch.len() > 1 {
                std::thread::scope(|scope| {
                    let workers: Vec<_> = batch
                        .chunks(part)
                        .map(|part| {
                            let spawned = std::thread::Builder::new()
                                .name("search part".into())
                                .spawn_scoped(scope, move || read(part));
                            spawned.map_err(|_| part)
                        })
                        .collect();
                    workers
                        .into_iter()
                        .flat_map(|w| match w {
                            Ok(worker) => worker.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                            Err(part) => read(part),
                        })
                        .collect()
                })
            } else {
                read(batch)
            };
            for ((start, chunk), table) in batch.iter().zip(tables) {
                self.chunks.push(Arc::downgrade(chunk));
                self.starts.push(*start);
                self.tables.push(table);
            }
        }
        let end = chunks.get(self.tables.len()).map_or(titles.len(), |(start, _)| *start);
        self.starts.push(end);
        self.tables.len() == chunks.len()
    }

    /// What the rows say of paper `i` and `wanted`: `Some(false)` when its abstract cannot hold the run,
    /// `Some(true)` when it does, `None` when the abstract must be searched. `at` keeps the chunk found
    /// last, for the next paper.
    #[inline]
    pub(super) fn check(&self, wanted: &Wanted, i: usize, at: &mut usize) -> Option<bool> {
        let (table, j) = self.table(i, at)?;
        match table.has(&wanted.rows, j) {
            false => Some(false),
            true if wanted.exact => Some(true),
            true => None,
        }
    }

    /// Whether the abstract of paper `i` is ASCII, when its chunk was read (`at` as for `check`).
    #[inline]
    pub(super) fn ascii(&self, i: usize, at: &mut usize) -> Option<bool> {
        let (table, j) = self.table(i, at)?;
        Some(!table.has(&[NOT_ASCII], j))
    }

    /// The rows of paper `i`'s chunk and its place there, when the chunk was read; `at` keeps the chunk
    /// found last, for the next paper.
    #[inline]
    fn table(&self, i: usize, at: &mut usize) -> Option<(&Table, usize)> {
        if self.tables.is_empty() || i >= *self.starts.last()? {
            return None;
        }
        if !(self.starts.get(*at).is_some_and(|&s| s <= i) && self.starts.get(*at + 1).is_some_and(|&e| i < e)) {
            *at = self.starts.partition_point(|&start| start <= i) - 1;
        }
        Some((self.tables.get(*at)?, i - self.starts[*at]))
    }

    /// Heap bytes held.
    pub fn memory(&self) -> usize {
        self.tables.iter().map(Table::memory).sum::<usize>() + self.starts.capacity() * std::mem::size_of::<usize>()
    }
}

#[cfg(test)]
#[path = "pairs_tests.rs"]
mod tests;
