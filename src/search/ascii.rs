//! A fuzzy term's fzf score in an ASCII title, from bit masks (see `title`): what most titles are, and
//! what a search of a million of them spends its time on. The numbers are `fzf::fuzzy`'s and
//! `fzf::wholeness`'s (checked against them in the tests); only the way to them differs.
//!
//! From the masks of the pattern's characters, with a few operations a row: whether the pattern is there
//! in order at all (most titles that do not match stop here), the first and the last place each of its
//! characters can take in a match (fzf's matrix needs no cell outside them), and every contiguous
//! occurrence (a shift-and). One character is scored from the masks alone. A longer pattern that occurs
//! contiguously after a space (or at the start) has the highest score a pattern of its length can have;
//! otherwise fzf's recurrence runs on the cells between those places (as `sparse` computes it, the rows
//! updated last first at each place so that a row reads the row above as it was before). Titles longer
//! than a mask go byte by byte, the same way; where only a bound is wanted (`Pass::bound`), they get a
//! first look with `memchr` (`Pass::first_look`, see `look`).

mod grown;
pub(super) use grown::{grown_bound, two_score};

use super::fzf::equal_score;
use super::fzf::{BONUS_BOUNDARY, BONUS_BOUNDARY_WHITE, BONUS_CAMEL, BONUS_CONSECUTIVE, FIRST_CHAR_MULTIPLIER};
use super::fzf::{Class, GAP_EXTENSION, GAP_START, SCORE_MATCH, Unit, ascii_bonus_at, ascii_wholeness, bonus};
use super::title::{MASK_BITS, Title, below, from};

/// The longest pattern this scoring takes (a bit a character); longer ones go the general way.
pub(super) const MAX_LEN: usize = 32;

/// A fuzzy term ready for ASCII titles.
#[derive(Debug, Clone)]
pub(super) struct Pass {
    /// For each byte, the pattern characters it matches: bit `i` for the `i`th.
    rows_of: Box<[u32; 256]>,
    /// Each pattern character as a byte, whether its upper case matches too, and the first pattern
    /// character equal to it (whose mask it shares).
    bytes: Vec<(u8, bool, usize)>,
    /// The pattern as bytes, and whether case counts (see `look`).
    plain: Vec<u8>,
    respect_case: bool,
    /// False when a pattern character is not ASCII: no ASCII title holds it.
    ascii: bool,
    /// The mask of each pattern character in the title at hand, and the first and last place it can take.
    masks: Vec<u128>,
    first: Vec<u32>,
    last: Vec<u32>,
    /// The last cell of each row so far.
    cells: Vec<Cell>,
    /// True when `bound` works out a close bound (see `grown_bound`) rather than the one just below the
    /// highest score: the search thread asks for it (see `trail`), where a ranking would otherwise align
    /// many titles.
    pub(super) close: bool,
}

/// What a first look at a title tells of a term there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Found {
    /// fzf's score when `exact`, otherwise a bound above it.
    pub(super) score: i32,
    pub(super) exact: bool,
    /// As `fzf::wholeness`.
    pub(super) whole: u8,
}

/// A cell of fzf's matrix where a row's character occurs (see `sparse`).
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    col: usize,
    score: i32,
    /// The length of the consecutive run this cell ends (0: the gap won here).
    run: u16,
    /// The bonus of that run's first character.
    first: i32,
    /// True when the gap won here, so that the next gap extends it.
    in_gap: bool,
}

impl Cell {
    /// The row's value `d` columns after this cell, where the character does not occur between.
    fn decayed(&self, d: usize) -> i32 {
        let d = d as i32;
        let penalty = if self.in_gap { -GAP_EXTENSION * d } else { -GAP_START + -GAP_EXTENSION * (d - 1) };
        self.score - penalty
    }
}

impl Pass {
    /// `None` for an empty pattern or one longer than `MAX_LEN`.
    pub(super) fn new(pattern: &[char], respect_case: bool) -> Option<Pass> {
        let m = pattern.len();
        if m == 0 || m > MAX_LEN {
            return None;
        }
        let mut rows_of = Box::new([0u32; 256]);
        let mut bytes: Vec<(u8, bool, usize)> = Vec::with_capacity(m);
        for (i, &c) in pattern.iter().enumerate() {
            let b = u8::try_from(c).ok().filter(u8::is_ascii).unwrap_or(0);
            let fold = !respect_case && b.is_ascii_lowercase();
            let same = bytes.iter().position(|&(x, f, _)| (x, f) == (b, fold)).unwrap_or(i);
            bytes.push((b, fold, same));
            if c.is_ascii() {
                rows_of[usize::from(b)] |= 1 << i;
                if fold {
                    rows_of[usize::from(b.to_ascii_uppercase())] |= 1 << i;
                }
            }
        }
        Some(Pass {
            rows_of,
            plain: bytes.iter().map(|b| b.0).collect(),
            respect_case,
            bytes,
            ascii: pattern.iter().all(char::is_ascii),
            masks: vec![0; m],
            first: vec![0; m],
            last: vec![0; m],
            cells: vec![Cell::default(); m],
            close: false,
        })
    }

    /// The term's score in `title` if it can be had from the masks, otherwise a bound above it (just
    /// below the highest score, or a close one: see `close`); and how whole its best contiguous
    /// occurrence is. `None` when its characters are not all there in order.
    pub(super) fn bound(&mut self, title: &Title) -> Option<Found> {
        if !self.locate(title) {
            return None;
        }
        if self.masks.len() == 1 {
            let (score, whole) = self.one(title);
            return Some(Found { score, exact: true, whole });
        }
        let (whole, top) = self.occurrences(title);
        // The highest score a pattern of this length can have: every character matched at a word start after
        // a space, or in a run that began there. Only a contiguous occurrence after a space reaches it.
        let highest = equal_score(self.masks.len());
        if top {
            return Some(Found { score: highest, exact: true, whole });
        }
        if !self.close {
            return Some(Found { score: highest - 1, exact: false, whole });
        }
        // The first two rows exactly, the others bounded in turn.
        let mut score = two_score(self.masks[0], self.masks[1], title.bytes);
        for pair in self.masks[1..].windows(2) {
            score = grown_bound(score, pair[0], pair[1], title.bytes);
        }
        Some(Found { score: score.min(highest - 1), exact: false, whole })
    }

    /// The term's score in `text` where a first look tells it, otherwise a bound above it; and how whole
    /// its best contiguous occurrence is. `None` when its characters are not all there in order. Found
    /// with `memchr` (see `look`): the masks are for the titles whose exact score is wanted.
    pub(super) fn first_look(&self, text: &[u8]) -> Option<Found> {
        if !self.ascii {
            return None;
        }
        super::look::first_look(text, &self.plain, self.respect_case)
    }

    /// The term's fzf score in `title` and how whole its best contiguous occurrence is, or `None` when its
    /// characters are not all there in order.
    pub(super) fn score(&mut self, title: &Title) -> Option<(i32, u8)> {
        if !self.locate(title) {
            return None;
        }
        if self.masks.len() == 1 {
            return Some(self.one(title));
        }
        let (whole, top) = self.occurrences(title);
        let score = if top { equal_score(self.masks.len()) } else { self.recurrence(title.bytes) };
        Some((score, whole))
    }

    /// Each character's mask, and its first place after the one before: false when the pattern is not
    /// there in order. Then the last place each can take: before the last place of the next.
    fn locate(&mut self, title: &Title) -> bool {
        if !self.ascii {
            return false;
        }
        let m = self.bytes.len();
        let mut after = 0;
        for i in 0..m {
            let (b, fold, same) = self.bytes[i];
            let mask = if same < i { self.masks[same] } else { title.mask(b, fold) };
            let places = mask & from(after);
            if places == 0 {
                return false;
            }
            self.masks[i] = mask;
            self.first[i] = places.trailing_zeros();
            after = self.first[i] + 1;
        }
        let mut before = MASK_BITS as u32;
        for i in (0..m).rev() {
            self.last[i] = 127 - (self.masks[i] & below(before)).leading_zeros();
            before = self.last[i];
        }
        true
    }

    /// One character: fzf takes its best-placed occurrence, the first one at a word boundary ending the
    /// search; read from the class masks rather than place by place.
    fn one(&self, title: &Title) -> (i32, u8) {
        let hits = self.masks[0];
        // The start of the title counts as after a space; its end as before one.
        let title_classes = title.classes();
        let after_gap = !(title_classes.word << 1);
        let before_gap = !(title_classes.word >> 1);
        let class = self.bytes[0].0.class();
        let (bonus, starts) = if class <= Class::NonWord {
            // A space or a punctuation mark scores the same wherever it is.
            (bonus(Class::White, class), hits)
        } else {
            // A letter, a digit or a delimiter: best after a space or punctuation (the first such one
            // wins, its bonus told by what comes before it), else at a camelCase or letter-to-digit step.
            let boundary = hits & after_gap;
            let c = title_classes;
            let step = hits & (c.upper & c.lower << 1 | c.digit & (c.word & !c.digit) << 1);
            let bonus = match boundary {
                0 if step != 0 => BONUS_CAMEL,
                0 => 0,
                _ => ascii_bonus_at(title.bytes, boundary.trailing_zeros() as usize),
            };
            (bonus, boundary | step)
        };
        let whole = if starts & before_gap != 0 {
            3
        } else if starts != 0 {
            2
        } else {
            1
        };
        (SCORE_MATCH + bonus * FIRST_CHAR_MULTIPLIER, whole)
    }

    /// The best wholeness of the contiguous occurrences (which a shift-and of the masks finds), and
    /// whether one starts after a space or at the start.
    fn occurrences(&self, title: &Title) -> (u8, bool) {
        occurrences(title.bytes, self.ends(), self.masks.len())
    }

    /// Where the contiguous occurrences in the title at hand end: a shift-and of the masks.
    fn ends(&self) -> u128 {
        self.masks[1..].iter().fold(self.masks[0], |ends, mask| (ends << 1) & mask)
    }

    /// After `bound` found the term in a title: where its contiguous occurrences end, and the place after
    /// its characters found first in order (see `trail`, which grows a term from them).
    pub(super) fn trail(&self) -> (u128, u32) {
        (self.ends(), self.first[self.masks.len() - 1] + 1)
    }

    /// fzf's recurrence over the places each row's character can take, in order.
    fn recurrence(&mut self, text: &[u8]) -> i32 {
        let m = self.masks.len();
        let mut places = 0u128;
        for i in 0..m {
            places |= self.masks[i] & from(self.first[i]) & below(self.last[i] + 1);
        }
        // Rows `low..=high` are those whose span holds the place at hand.
        let (mut low, mut high) = (0, 0);
        let (mut filled, mut best) = (0u32, 0);
        while places != 0 {
            let j = places.trailing_zeros();
            places &= places - 1;
            while high + 1 < m && self.first[high + 1] <= j {
                high += 1;
            }
            while self.last[low] < j {
                low += 1;
            }
            let span = (u32::MAX >> (31 - high)) & (u32::MAX << low);
            let j = j as usize;
            let here = self.rows_of[usize::from(text[j])] & span;
            best = best.max(self.cells_at(here, j, ascii_bonus_at(text, j), &mut filled));
        }
        best
    }

    /// Adds the cells of the rows in `here` at place `j`, last row first; the last row's score there.
    fn cells_at(&mut self, mut here: u32, j: usize, bonus: i32, filled: &mut u32) -> i32 {
        let mut last_row = 0;
        while here != 0 {
            let i = (31 - here.leading_zeros()) as usize;
            here &= !(1 << i);
            let cell = if i == 0 {
                Cell { col: j, score: SCORE_MATCH + bonus * FIRST_CHAR_MULTIPLIER, run: 1, first: bonus, in_gap: false }
            } else {
                let left = (*filled & (1 << i) != 0).then(|| self.cells[i]);
                next_cell(self.cells[i - 1], left, j, bonus)
            };
            if i == self.cells.len() - 1 {
                last_row = cell.score;
            }
            self.cells[i] = cell;
            *filled |= 1 << i;
        }
        last_row
    }

    /// `score` for a title longer than a mask: one pass over its bytes, each that is a pattern character
    /// adding a cell to the rows where it can (row `i` once row `i - 1` has one: where fzf's matrix starts
    /// the row), and a shift-and for the contiguous occurrences.
    pub(super) fn score_bytes(&mut self, text: &[u8]) -> Option<(i32, u8)> {
        if !self.ascii {
            return None;
        }
        let (m, top) = (self.bytes.len(), 1u32 << (self.bytes.len() - 1));
        let (mut filled, mut contiguous) = (0u32, 0u32);
        let (mut best, mut searching, mut whole) = (0, true, 0);
        for (j, &b) in text.iter().enumerate() {
            let rows = self.rows_of[usize::from(b)];
            contiguous = ((contiguous << 1) | 1) & rows;
            let here = rows & ((filled << 1) | 1);
            if here == 0 {
                continue;
            }
            let bonus = ascii_bonus_at(text, j);
            if contiguous & top != 0 {
                whole = whole.max(ascii_wholeness(text, j + 1, ascii_bonus_at(text, j + 1 - m)));
            }
            if m == 1 {
                if searching {
                    best = best.max(SCORE_MATCH + bonus * FIRST_CHAR_MULTIPLIER);
                    searching = bonus < BONUS_BOUNDARY;
                }
                filled = 1;
            } else {
                best = best.max(self.cells_at(here, j, bonus, &mut filled));
            }
        }
        (filled & top != 0).then_some((best, whole))
    }
}

/// The best wholeness of the contiguous occurrences of a pattern of `m` characters in ASCII `bytes` that
/// end at the bits of `ends`, and whether one starts after a space or at the start.
pub(super) fn occurrences(bytes: &[u8], mut ends: u128, m: usize) -> (u8, bool) {
    let (mut whole, mut top) = (0, false);
    while ends != 0 && !(whole == 3 && top) {
        let end = ends.trailing_zeros() as usize;
        ends &= ends - 1;
        let bonus = ascii_bonus_at(bytes, end + 1 - m);
        whole = whole.max(ascii_wholeness(bytes, end + 1, bonus));
        top |= bonus == BONUS_BOUNDARY_WHITE;
    }
    (whole, top)
}

/// The cell of a row at `col`, where its character occurs with `bonus`, from the last cell of the row
/// above (before `col`) and of its own row (`left`): fzf's recurrence, as `sparse` computes it.
fn next_cell(above: Cell, left: Option<Cell>, col: usize, bonus: i32) -> Cell {
    let (diag, diag_run, diag_first) = if above.col + 1 == col {
        (above.score, above.run, above.first)
    } else {
        (above.decayed(col - 1 - above.col).max(0), 0, 0)
    };
    let gap = match left {
        Some(cell) => cell.decayed(col - cell.col),
        None => GAP_START,
    };
    let mut matched = diag + SCORE_MATCH;
    let mut b = bonus;
    let mut run = diag_run + 1;
    let mut run_first = bonus;
    if run > 1 {
        if b >= BONUS_BOUNDARY && b > diag_first {
            run = 1;
        } else {
            b = b.max(BONUS_CONSECUTIVE).max(diag_first);
            run_first = diag_first;
        }
    }
    if matched + b < gap {
        matched += bonus;
        run = 0;
    } else {
        matched += b;
    }
    Cell { col, score: matched.max(gap).max(0), run, first: run_first, in_gap: matched < gap }
}

#[cfg(test)]
#[path = "ascii_tests.rs"]
mod tests;
