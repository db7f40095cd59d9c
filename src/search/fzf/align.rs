//! fzf's `FuzzyMatchV2`: a fuzzy term's best-scoring alignment in a text, found from where its
//! characters first occur in order, and the characters it matched, walked back from the best cell.

use super::{
    BONUS_BOUNDARY, BONUS_CONSECUTIVE, FIRST_CHAR_MULTIPLIER, GAP_EXTENSION, GAP_START, SCORE_MATCH, Unit, bonus_at,
};

/// Memory reused from one title to the next.
#[derive(Debug, Default)]
pub(in crate::search) struct Scratch {
    first: Vec<usize>,
    bonus: Vec<i32>,
    score: Vec<i32>,
    run: Vec<u16>,
    rows: (Vec<super::super::sparse::Cell>, Vec<super::super::sparse::Cell>),
}

/// Where each character of `pattern` is first found in order, into `first`; the index of the last
/// occurrence of the pattern's last character after that; `None` when the pattern is not in the text.
fn locate<T: Unit>(text: &[T], pattern: &[char], respect_case: bool, first: &mut Vec<usize>) -> Option<usize> {
    first.clear();
    let mut from = 0;
    for &p in pattern {
        let at = from + text[from..].iter().position(|t| t.key(respect_case) == p)?;
        first.push(at);
        from = at + 1;
    }
    let last = *pattern.last()?;
    let start = *first.last()?;
    Some(start + text[start..].iter().rposition(|t| t.key(respect_case) == last)?)
}

/// `locate` for ASCII text and an ASCII pattern, skipping ahead with `memchr`.
fn locate_ascii(text: &[u8], pattern: &[char], respect_case: bool, first: &mut Vec<usize>) -> Option<usize> {
    first.clear();
    let find = |p: u8, hay: &[u8]| {
        if !respect_case && p.is_ascii_lowercase() {
            memchr::memchr2(p, p.to_ascii_uppercase(), hay)
        } else {
            memchr::memchr(p, hay)
        }
    };
    let mut from = 0;
    for &p in pattern {
        let p = u8::try_from(p).ok().filter(u8::is_ascii)?;
        let at = from + find(p, &text[from..])?;
        first.push(at);
        from = at + 1;
    }
    let last = u8::try_from(*pattern.last()?).ok()?;
    let start = *first.last()?;
    let hay = &text[start..];
    let back = if !respect_case && last.is_ascii_lowercase() {
        memchr::memrchr2(last, last.to_ascii_uppercase(), hay)
    } else {
        memchr::memrchr(last, hay)
    };
    Some(start + back?)
}

/// A fuzzy term's best score in `text`, and (when `positions` is given) the indices it matched there,
/// ascending. `None` when the pattern's characters are not all in the text, in order.
pub(in crate::search) fn fuzzy<T: Unit>(
    text: &[T],
    pattern: &[char],
    respect_case: bool,
    s: &mut Scratch,
    positions: Option<&mut Vec<usize>>,
    ascii: Option<&[u8]>,
) -> Option<i32> {
    let m = pattern.len();
    if m == 0 {
        return Some(0);
    }
    let last = match ascii {
        Some(bytes) => locate_ascii(bytes, pattern, respect_case, &mut s.first)?,
        None => locate(text, pattern, respect_case, &mut s.first)?,
    };
    let f0 = s.first[0];
    if m == 1 {
        // The best-placed occurrence, the first one at a word boundary ending the search (as fzf does).
        let (mut best, mut at) = (0, f0);
        let mut consider = |j: usize| {
            let b = bonus_at(text, j);
            let score = SCORE_MATCH + b * FIRST_CHAR_MULTIPLIER;
            if score > best {
                (best, at) = (score, j);
            }
            b >= BONUS_BOUNDARY
        };
        match ascii.zip(u8::try_from(pattern[0]).ok()) {
            Some((bytes, b)) if !respect_case && b.is_ascii_lowercase() => {
                let _ = memchr::memchr2_iter(b, b.to_ascii_uppercase(), &bytes[f0..]).any(|k| consider(f0 + k));
            }
            Some((bytes, b)) => {
                let _ = memchr::memchr_iter(b, &bytes[f0..]).any(|k| consider(f0 + k));
            }
            None => {
                let _ = (f0..text.len()).filter(|&j| text[j].key(respect_case) == pattern[0]).any(consider);
            }
        }
        if let Some(out) = positions {
            out.clear();
            out.push(at);
        }
        return Some(best);
    }
    let Some(positions) = positions else {
        return Some(super::super::sparse::score(text, ascii, pattern, respect_case, &s.first, last, &mut s.rows));
    };
    let width = last - f0 + 1;
    s.bonus.clear();
    s.bonus.extend((f0..=last).map(|j| bonus_at(text, j)));
    s.score.clear();
    s.score.resize(width * m, 0);
    s.run.clear();
    s.run.resize(width * m, 0);
    let (bonus, score, run) = (&s.bonus, &mut s.score, &mut s.run);

    // The first row: each occurrence of the first character starts afresh; a gap decays what was before.
    let (mut prev, mut in_gap) = (0, false);
    for k in 0..width {
        if text[f0 + k].key(respect_case) == pattern[0] {
            score[k] = SCORE_MATCH + bonus[k] * FIRST_CHAR_MULTIPLIER;
            run[k] = 1;
            in_gap = false;
        } else {
            score[k] = (prev + if in_gap { GAP_EXTENSION } else { GAP_START }).max(0);
            in_gap = true;
        }
        prev = score[k];
    }
    // The other rows, each from the first place its character can be.
    let (mut best, mut best_at) = (0, 0);
    for (i, &want) in pattern.iter().enumerate().skip(1) {
        let row = i * width;
        let (mut left, mut in_gap) = (0, false);
        for k in s.first[i] - f0..width {
            let gap = left + if in_gap { GAP_EXTENSION } else { GAP_START };
            let (mut matched, mut consecutive) = (0, 0u16);
            if text[f0 + k].key(respect_case) == want {
                let diag = row - width + k - 1;
                matched = score[diag] + SCORE_MATCH;
                let mut b = bonus[k];
                consecutive = run[diag] + 1;
                if consecutive > 1 {
                    let first = bonus[k + 1 - usize::from(consecutive)];
                    if b >= BONUS_BOUNDARY && b > first {
                        // A better boundary inside a run starts a run of its own.
                        consecutive = 1;
                    } else {
                        b = b.max(BONUS_CONSECUTIVE).max(first);
                    }
                }
                if matched + b < gap {
                    matched += bonus[k];
                    consecutive = 0;
                } else {
                    matched += b;
                }
            }
            run[row + k] = consecutive;
            in_gap = matched < gap;
            let here = matched.max(gap).max(0);
            if i == m - 1 && here > best {
                (best, best_at) = (here, k);
            }
            score[row + k] = here;
            left = here;
        }
    }
    backtrace(&s.first, f0, width, m, &s.score, &s.run, best_at, positions);
    Some(best)
}

/// The characters of the best alignment, walking the score matrix back from its best cell.
#[allow(clippy::too_many_arguments)]
fn backtrace(
    first: &[usize],
    f0: usize,
    width: usize,
    m: usize,
    score: &[i32],
    run: &[u16],
    best_at: usize,
    out: &mut Vec<usize>,
) {
    out.clear();
    let (mut i, mut k) = (m - 1, best_at);
    let mut prefer_match = true;
    loop {
        let row = i * width;
        let here = score[row + k];
        let start = first[i] - f0;
        let diag = if i > 0 && k >= start && k > 0 { score[row - width + k - 1] } else { 0 };
        let left = if k > start { score[row + k - 1] } else { 0 };
        let was_row = row;
        if here > diag && (here > left || here == left && prefer_match) {
            out.push(f0 + k);
            if i == 0 {
                break;
            }
            i -= 1;
        }
        let below = was_row + width + k + 1;
        prefer_match = run[was_row + k] > 1 || below < run.len() && run[below] > 0;
        if k == 0 {
            break;
        }
        k -= 1;
    }
    out.reverse();
}
