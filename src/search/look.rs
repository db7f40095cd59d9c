//! A fuzzy term's first look at an ASCII title of any length, with `memchr` alone: whether its characters
//! are there in order, how whole its best contiguous run is, and fzf's score where that tells it, else a
//! bound above it (`ascii::Found`, the same numbers as `Pass::bound`).
//!
//! This is what every title of a search costs; the masks of `title` are made only for the titles whose
//! bound can reach the top of the list. Skipping from one occurrence of a character to the next costs
//! less than comparing all of a title's bytes, since a term's first character is in a few places only.

use super::ascii::Found;
use super::fzf::{BONUS_BOUNDARY, BONUS_BOUNDARY_WHITE, FIRST_CHAR_MULTIPLIER, SCORE_MATCH};
use super::fzf::{ascii_bonus_at, ascii_wholeness, equal_score};

/// The first look of `pattern` (bytes, lower-cased unless `respect_case`) at `text`; `None` when its
/// characters are not all there in order.
pub(super) fn first_look(text: &[u8], pattern: &[u8], respect_case: bool) -> Option<Found> {
    let (&p0, m) = (pattern.first()?, pattern.len());
    let mut from = 0;
    for &p in pattern {
        from += find(p, respect_case, &text[from..])? + 1;
    }
    if m == 1 {
        // fzf takes the best-placed occurrence up to the first one at a word boundary.
        let (mut score, mut searching, mut whole) = (0, true, 0);
        for j in occurrences(p0, respect_case, text) {
            let bonus = ascii_bonus_at(text, j);
            if searching {
                score = score.max(SCORE_MATCH + bonus * FIRST_CHAR_MULTIPLIER);
                searching = bonus < BONUS_BOUNDARY;
            }
            whole = whole.max(ascii_wholeness(text, j + 1, bonus));
            if !searching && whole == 3 {
                break;
            }
        }
        return Some(Found { score, exact: true, whole });
    }
    // The contiguous runs: only one after a space (or at the start) reaches the highest score a pattern of
    // this length can have, as every character then has the highest bonus.
    let (mut whole, mut top) = (0, false);
    let same = |t: u8, p: u8| if respect_case { t == p } else { t.to_ascii_lowercase() == p };
    let last_start = text.len() - m;
    for j in occurrences(p0, respect_case, &text[..=last_start]) {
        if text[j + 1..j + m].iter().zip(&pattern[1..]).all(|(&t, &p)| same(t, p)) {
            let bonus = ascii_bonus_at(text, j);
            whole = whole.max(ascii_wholeness(text, j + m, bonus));
            top |= bonus == BONUS_BOUNDARY_WHITE;
            if whole == 3 && top {
                break;
            }
        }
    }
    let highest = equal_score(m);
    Some(Found { score: if top { highest } else { highest - 1 }, exact: top, whole })
}

/// Where `p` first is in `hay` (its upper case too for a lower-case letter, unless case is respected).
fn find(p: u8, respect_case: bool, hay: &[u8]) -> Option<usize> {
    if !respect_case && p.is_ascii_lowercase() {
        memchr::memchr2(p, p.to_ascii_uppercase(), hay)
    } else {
        memchr::memchr(p, hay)
    }
}

/// Every place of `p` in `hay`, as `find` finds it.
fn occurrences(p: u8, respect_case: bool, hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let (one, two) = if !respect_case && p.is_ascii_lowercase() {
        (None, Some(memchr::memchr2_iter(p, p.to_ascii_uppercase(), hay)))
    } else {
        (Some(memchr::memchr_iter(p, hay)), None)
    };
    one.into_iter().flatten().chain(two.into_iter().flatten())
}
