//! fzf's score without its matrix: the same numbers as `fzf::fuzzy`, computed only at the places where a
//! pattern character occurs. Between two such places a row of fzf's matrix only decays (a gap costs 3,
//! then 1 a character, down to 0), so each row is a short list of cells and the value anywhere between
//! follows from the cell before. A title of 90 characters and a query of 2 letters is some 15 cells
//! instead of 180; typing the first letters over a million titles is where that counts.

use super::fzf::{BONUS_BOUNDARY, BONUS_CONSECUTIVE, FIRST_CHAR_MULTIPLIER, GAP_EXTENSION, GAP_START, SCORE_MATCH};
use super::fzf::{Unit, bonus_at};

/// One cell of fzf's matrix where the row's character occurs.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cell {
    col: usize,
    /// fzf's H: the best score of the pattern up to this row, ending at or before this column.
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

/// Calls `f` with each index in `from..=to` where `text` has `p`, in order.
fn each_at<T: Unit>(
    text: &[T],
    ascii: Option<&[u8]>,
    p: char,
    respect_case: bool,
    from: usize,
    to: usize,
    mut f: impl FnMut(usize),
) {
    if let (Some(bytes), Ok(b)) = (ascii, u8::try_from(p)) {
        let hay = &bytes[from..=to];
        if !respect_case && b.is_ascii_lowercase() {
            memchr::memchr2_iter(b, b.to_ascii_uppercase(), hay).for_each(|k| f(from + k));
        } else {
            memchr::memchr_iter(b, hay).for_each(|k| f(from + k));
        }
        return;
    }
    for (k, t) in text[from..=to].iter().enumerate() {
        if t.key(respect_case) == p {
            f(from + k);
        }
    }
}

/// The score `fzf::fuzzy` gives, for a pattern of two characters or more found in order at `first`, the
/// last character last found at `last`. `rows` is memory kept between titles.
pub(super) fn score<T: Unit>(
    text: &[T],
    ascii: Option<&[u8]>,
    pattern: &[char],
    respect_case: bool,
    first: &[usize],
    last: usize,
    rows: &mut (Vec<Cell>, Vec<Cell>),
) -> i32 {
    let (prev, cur) = (&mut rows.0, &mut rows.1);
    prev.clear();
    each_at(text, ascii, pattern[0], respect_case, first[0], last, |col| {
        let b = bonus_at(text, col);
        prev.push(Cell { col, score: SCORE_MATCH + b * FIRST_CHAR_MULTIPLIER, run: 1, first: b, in_gap: false });
    });
    let mut best = 0;
    for (i, &p) in pattern.iter().enumerate().skip(1) {
        cur.clear();
        let mut k = 0;
        let mut left: Option<Cell> = None;
        each_at(text, ascii, p, respect_case, first[i], last, |col| {
            while k + 1 < prev.len() && prev[k + 1].col < col {
                k += 1;
            }
            // The row above at the column before: a cell of it, or what its cell before decayed to.
            let above = prev[k];
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
            let own = bonus_at(text, col);
            let mut b = own;
            let mut run = diag_run + 1;
            let mut run_first = own;
            if run > 1 {
                if b >= BONUS_BOUNDARY && b > diag_first {
                    run = 1;
                } else {
                    b = b.max(BONUS_CONSECUTIVE).max(diag_first);
                    run_first = diag_first;
                }
            }
            if matched + b < gap {
                matched += own;
                run = 0;
            } else {
                matched += b;
            }
            let cell = Cell { col, score: matched.max(gap).max(0), run, first: run_first, in_gap: matched < gap };
            cur.push(cell);
            left = Some(cell);
        });
        if i == pattern.len() - 1 {
            best = cur.iter().map(|c| c.score).max().unwrap_or(0);
        }
        std::mem::swap(prev, cur);
    }
    best
}
