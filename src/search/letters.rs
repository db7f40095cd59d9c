//! `Letters`: how a query of one letter or digit scores in each title, worked out once a title and kept
//! by the search thread from one search to the next, so that the first key of a query (which matches
//! nearly every title, each needing its tier) reads two bytes of a title's row rather than the title.
//!
//! A row holds, for each of the 36 letters and digits, a code of four bits: absent, or the bonus of
//! fzf's best-placed occurrence (`ascii::Pass::one`: none, camelCase, boundary, delimiter, space) with
//! whether some occurrence is a whole word; and the title's length. That is all a one-character term's
//! rank key takes (`Matcher::rank_key`, checked against it in the tests): 20 bytes a title, 20 MB at a
//! million papers. A title holding LaTeX is scored both ways by the matcher, so its row says to ask it.
//!
//! A title that is not ASCII is read folded (each character not ASCII after folding standing in by its
//! class, as `Matcher` reads it); that folded form is kept too, a few bytes a paper in a hundred, so
//! that a search typed on reads it as it reads an ASCII title (see `trail`) rather than fold the title
//! again at every key.

use std::sync::{Arc, Weak};

use super::fold::fold_char;
use super::fzf::{self, BONUS_BOUNDARY, BONUS_CAMEL, FIRST_CHAR_MULTIPLIER, SCORE_MATCH};
use super::title::Title;
use crate::library::{Chunk, Titles};

/// Letters and digits: a-z (either case) then 0-9.
const SYMBOLS: usize = 36;

/// A row's length when the title is to be scored by the matcher.
const ASK: u16 = u16::MAX;

/// Each title's codes, two a byte, and its length in characters.
#[derive(Debug, Clone, Copy, Default)]
struct Row {
    codes: [u8; SYMBOLS / 2],
    len: u16,
}

/// The rows of the titles of a library, in its order, and the chunks they were made from.
#[derive(Debug, Default)]
pub struct Letters {
    rows: Vec<Row>,
    chunks: Vec<Weak<Chunk>>,
    folded: Folded,
}

/// The titles that are not ASCII (nor LaTeX), folded: their indices, ascending, and where each one's
/// folded bytes end in `bytes` (the next one's start there).
#[derive(Debug, Default)]
struct Folded {
    at: Vec<u32>,
    ends: Vec<u32>,
    bytes: Vec<u8>,
}

impl Folded {
    /// Forgets the titles from index `from` on.
    fn truncate(&mut self, from: usize) {
        let keep = self.at.partition_point(|&i| (i as usize) < from);
        self.at.truncate(keep);
        self.ends.truncate(keep);
        self.bytes.truncate(self.ends.last().map_or(0, |&end| end as usize));
    }

    /// Adds title `i`'s folded bytes, after every title kept: false when they no longer fit.
    fn push(&mut self, i: usize, folded: &[u8]) -> bool {
        let (Ok(i), Ok(end)) = (u32::try_from(i), u32::try_from(self.bytes.len() + folded.len())) else {
            return false;
        };
        self.at.push(i);
        self.bytes.extend_from_slice(folded);
        self.ends.push(end);
        true
    }

    fn get(&self, i: usize) -> Option<&[u8]> {
        let k = self.at.binary_search(&u32::try_from(i).ok()?).ok()?;
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        self.bytes.get(start..self.ends[k] as usize)
    }

    fn memory(&self) -> usize {
        (self.at.capacity() + self.ends.capacity()) * 4 + self.bytes.capacity()
    }
}

/// The symbol of a letter or digit (lower or upper case alike), `None` for any other byte.
fn symbol(b: u8) -> Option<usize> {
    match b {
        b'a'..=b'z' => Some(usize::from(b - b'a')),
        b'A'..=b'Z' => Some(usize::from(b - b'A')),
        b'0'..=b'9' => Some(26 + usize::from(b - b'0')),
        _ => None,
    }
}

/// The symbol a one-character query term stands for, when it is a letter or digit matched in either case.
pub(super) fn query_symbol(c: char, respect_case: bool) -> Option<usize> {
    match c {
        'a'..='z' | '0'..='9' if !respect_case => symbol(c as u8),
        _ => None,
    }
}

/// A code's bonus level (0: none, 1: camelCase, 2: boundary, 3: delimiter, 4: after a space) from a bonus.
fn level(bonus: i32) -> u8 {
    match bonus {
        b if b >= BONUS_BOUNDARY => 2 + (b - BONUS_BOUNDARY).clamp(0, 2) as u8,
        b if b >= BONUS_CAMEL => 1,
        _ => 0,
    }
}

/// The high bits of the rank key of each code (see `Matcher::rank_key`): the tier, fzf's score and the
/// whole-word bit; 0 for absent.
const KEYS: [u32; 16] = {
    let bonuses = [0, BONUS_CAMEL, BONUS_BOUNDARY, BONUS_BOUNDARY + 1, BONUS_BOUNDARY + 2];
    let mut keys = [0u32; 16];
    let mut code = 1;
    while code < 10 {
        // Code 1: no start (wholeness 1); then two a level, the second a whole word (wholeness 3).
        let (lvl, whole) = if code == 1 { (0, 1) } else { ((code - 2) / 2 + 1, 2 + (code - 2) % 2) };
        let score = (SCORE_MATCH + bonuses[lvl] * FIRST_CHAR_MULTIPLIER) as u32;
        let tier = if whole > 2 { 2 } else { whole };
        keys[code] = (tier as u32) << 30 | score << 16 | ((whole == 3) as u32) << 15;
        code += 1;
    }
    keys
};

/// The code of an occurrence's score bonus and the best wholeness of the symbol's occurrences.
#[inline]
fn code(bonus: i32, whole: u8) -> u8 {
    let lvl = level(bonus);
    // Level 0 is code 1 (no start, so wholeness 1); level `l` is `2l` or `2l + 1` for a whole word.
    (2 * lvl + u8::from(whole == 3)).max(1)
}

/// Works out a title's row from its bytes (a title that is not ASCII folded, as the matcher reads it):
/// `ascii::Pass::score_bytes` for a pattern of one character, for every letter and digit in one pass
/// (for titles longer than a mask, and folded ones).
fn row_of(bytes: &[u8], len: usize) -> Row {
    let (mut seen, mut stopped) = (0u64, 0u64);
    let mut best = [0i32; SYMBOLS];
    let mut whole = [0u8; SYMBOLS];
    for (j, &b) in bytes.iter().enumerate() {
        let Some(s) = symbol(b) else { continue };
        let bit = 1u64 << s;
        let bonus = fzf::ascii_bonus_at(bytes, j);
        let w = fzf::ascii_wholeness(bytes, j + 1, bonus);
        if seen & bit == 0 {
            seen |= bit;
            (best[s], whole[s]) = (bonus, w);
        } else {
            whole[s] = whole[s].max(w);
            if stopped & bit == 0 {
                best[s] = best[s].max(bonus);
            }
        }
        // fzf stops at the first occurrence at a boundary.
        if bonus >= BONUS_BOUNDARY {
            stopped |= bit;
        }
    }
    encode(seen, &best, &whole, len)
}

/// The bit of each letter and digit's symbol (see `symbol`), none for any other byte.
const PRESENT: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut b = 0;
    while b < 26 {
        table[b'a' as usize + b] = 1 << b;
        table[b'A' as usize + b] = 1 << b;
        b += 1;
    }
    while b < SYMBOLS {
        table[b'0' as usize + b - 26] = 1 << b;
        b += 1;
    }
    table
};

/// `row_of` for an ASCII title short enough for masks: which symbols are there, from a table; the
/// bonus and wholeness only at the places where a word starts (after a space or punctuation, or at a
/// camelCase or letter-to-digit step), the only ones that score above the least (`ascii::Pass::one`).
fn row_of_short(title: &Title) -> Row {
    let bytes = title.bytes;
    let seen = bytes.iter().fold(0u64, |seen, &b| seen | PRESENT[usize::from(b)]);
    let c = title.classes();
    let after_gap = !(c.word << 1);
    let mut starts = c.word & after_gap | c.upper & c.lower << 1 | c.digit & (c.word & !c.digit) << 1;
    let (mut best, mut whole) = ([0i32; SYMBOLS], [1u8; SYMBOLS]);
    let mut stopped = 0u64;
    while starts != 0 {
        let j = starts.trailing_zeros() as usize;
        starts &= starts - 1;
        let Some(s) = symbol(bytes[j]) else { continue };
        let bonus = fzf::ascii_bonus_at(bytes, j);
        whole[s] = whole[s].max(fzf::ascii_wholeness(bytes, j + 1, bonus));
        if stopped & 1 << s == 0 {
            best[s] = best[s].max(bonus);
        }
        if bonus >= BONUS_BOUNDARY {
            stopped |= 1 << s;
        }
    }
    encode(seen, &best, &whole, bytes.len())
}

/// A row from each present symbol's best bonus and wholeness: every symbol worked out alike, without
/// a branch, the absent ones masked out.
fn encode(seen: u64, best: &[i32; SYMBOLS], whole: &[u8; SYMBOLS], len: usize) -> Row {
    let mut row = Row { codes: [0; SYMBOLS / 2], len: len.min(0x7fff) as u16 };
    for (k, byte) in row.codes.iter_mut().enumerate() {
        let nibble = |s: usize| code(best[s], whole[s]) & (0u8.wrapping_sub((seen >> s & 1) as u8));
        *byte = nibble(2 * k) | nibble(2 * k + 1) << 4;
    }
    row
}

/// A title's row: its bytes when ASCII, else folded into `folded` (each character not ASCII after
/// folding standing in by its class, as `Matcher` reads it), its length in characters; `ASK` when it
/// holds LaTeX. `folded` is left empty but for a title that is not ASCII.
fn row(title: &str, folded: &mut Vec<u8>) -> Row {
    folded.clear();
    if crate::latex::has_markup(title) {
        return Row { codes: [0; SYMBOLS / 2], len: ASK };
    }
    if let Some(short) = Title::new(title.as_bytes()) {
        return row_of_short(&short);
    }
    if title.is_ascii() {
        return row_of(title.as_bytes(), title.len());
    }
    for c in title.chars() {
        fold_char(c, &mut |f| folded.push(if f.is_ascii() { f as u8 } else { fzf::stand_in(f) }));
    }
    row_of(folded, title.chars().count())
}

impl Letters {
    /// Brings the rows up to `titles` on as many threads as the machine has (see `update`).
    pub fn keep_up(&mut self, titles: &Titles) {
        self.update(titles, std::thread::available_parallelism().map_or(1, usize::from));
    }

    /// Brings the rows up to `titles`: the chunks already read are kept while they are the same ones, in
    /// the same places; the others are read, a part of them on each of `threads` threads.
    pub(super) fn update(&mut self, titles: &Titles, threads: usize) {
        let chunks: Vec<(usize, &Arc<Chunk>)> = titles.chunks().collect();
        let same = self
            .chunks
            .iter()
            .zip(&chunks)
            .take_while(|(kept, (_, chunk))| Weak::as_ptr(kept) == Arc::as_ptr(chunk) && kept.strong_count() > 0)
            .count();
        self.chunks.truncate(same);
        let from = chunks.get(same).map_or(titles.len(), |&(start, _)| start);
        self.rows.truncate(from);
        self.folded.truncate(from);
        self.chunks.extend(chunks[same..].iter().map(|(_, chunk)| Arc::downgrade(chunk)));
        let len = titles.len();
        if from >= len {
            return;
        }
        let threads = if len - from >= super::PARALLEL_FROM { threads.max(1) } else { 1 };
        let part = (len - from).div_ceil(threads);
        let read = |start: usize, end: usize| {
            let (mut rows, mut folded) = (Vec::with_capacity(end - start), Folded::default());
            let mut bytes = Vec::new();
            titles.for_each_in(start..end, |i, title| {
                let mut row = row(title, &mut bytes);
                // A title too far into the folded bytes to be kept is the matcher's.
                if !bytes.is_empty() && !folded.push(i, &bytes) {
                    row = Row { codes: [0; SYMBOLS / 2], len: ASK };
                }
                rows.push(row);
            });
            (rows, folded)
        };
        let parts: Vec<(Vec<Row>, Folded)> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|t| {
                    let (start, end) = ((from + t * part).min(len), (from + (t + 1) * part).min(len));
                    let spawned = std::thread::Builder::new()
                        .name("search part".into())
                        .spawn_scoped(scope, move || read(start, end));
                    spawned.map_err(|_| (start, end))
                })
                .collect();
            workers
                .into_iter()
                .map(|w| match w {
                    Ok(worker) => worker.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                    Err((start, end)) => read(start, end),
                })
                .collect()
        });
        self.rows.reserve(len - from);
        for (rows, folded) in parts {
            self.rows.extend(rows);
            for (k, &i) in folded.at.iter().enumerate() {
                let start = if k == 0 { 0 } else { folded.ends[k - 1] as usize };
                let bytes = folded.bytes.get(start..folded.ends[k] as usize).unwrap_or_default();
                if !self.folded.push(i as usize, bytes) {
                    self.rows[i as usize] = Row { codes: [0; SYMBOLS / 2], len: ASK };
                }
            }
        }
    }

    /// True when every title of `titles` has its row (see `update`), read from the same chunks: another
    /// library of as many papers is not covered (its titles are others, and so are their folded forms).
    pub(super) fn covers(&self, titles: &Titles) -> bool {
        self.rows.len() == titles.len()
            && self.chunks.len() == titles.chunks().count()
            && self
                .chunks
                .iter()
                .zip(titles.chunks())
                .all(|(kept, (_, chunk))| Weak::as_ptr(kept) == Arc::as_ptr(chunk) && kept.strong_count() > 0)
    }

    /// Paper `i`'s rank key for the one-character term `symbol` (see `query_symbol`): `Some(None)` when
    /// it does not match, `None` when the matcher must score it.
    #[inline]
    pub(super) fn key(&self, i: usize, symbol: usize) -> Option<Option<u32>> {
        let row = self.rows.get(i)?;
        if row.len == ASK {
            return None;
        }
        let code = (row.codes[symbol / 2] >> (4 * (symbol % 2))) & 0xf;
        Some((code != 0).then(|| KEYS[usize::from(code)] | (0x7fff - u32::from(row.len))))
    }

    /// Paper `i`'s title folded and its length in characters, when it is not ASCII (nor LaTeX): what the
    /// matcher reads of it (see `Matcher::first_key`).
    pub(super) fn folded(&self, i: usize) -> Option<(&[u8], usize)> {
        let row = self.rows.get(i).filter(|row| row.len != ASK)?;
        Some((self.folded.get(i)?, usize::from(row.len)))
    }

    /// Heap bytes held.
    pub fn memory(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<Row>()
            + self.chunks.capacity() * std::mem::size_of::<Weak<Chunk>>()
            + self.folded.memory()
    }
}

#[cfg(test)]
#[path = "letters_tests.rs"]
mod tests;
