//! Bounds on a term's score from where its characters occur in an ASCII title, for a term grown a
//! character at a time as a query is typed (see `trail`): a bound from the term before, and the exact
//! score of two characters.

use crate::search::fzf::{
    BONUS_BOUNDARY_WHITE, BONUS_CONSECUTIVE, FIRST_CHAR_MULTIPLIER, GAP_EXTENSION, GAP_START, SCORE_MATCH,
    ascii_bonus_at,
};
use crate::search::title::{below, from};

/// A bound on fzf's score of a pattern grown by one character, from `before`, a bound on the score of the
/// pattern before it (the best value of the last row of its matrix), `last`, where its last character
/// occurs in ASCII `bytes`, and `added`, where the character added occurs.
///
/// The added character at `q` continues a run when the last one is at `q - 1`: at most the best bonus
/// added to `before`. Otherwise it follows a gap from the last character's nearest place before, which
/// costs 3 and 1 a character more (down to 0, where fzf's matrix stops), and it has its own place's
/// bonus. Each row of the matrix bounded in turn, without the places of a match tied together: a title
/// whose letters are all there but far apart, at no word's start, is bounded far below one where the
/// pattern runs at a word's start, so that a ranking aligns fewer titles exactly (see `Ranked::refine`).
/// Checked against fzf's score in the tests.
pub(in crate::search) fn grown_bound(before: i32, last: u128, added: u128, bytes: &[u8]) -> i32 {
    let Some(earliest) = (last != 0).then(|| last.trailing_zeros()) else { return 0 };
    // A run continued is worth more than any gap: a gap costs 3 at least, and no bonus is above the
    // best, which a run's character may have.
    if added & (last << 1) != 0 {
        return before + SCORE_MATCH + BONUS_BOUNDARY_WHITE;
    }
    let most = (before + GAP_START).max(0) + SCORE_MATCH + BONUS_BOUNDARY_WHITE;
    let mut places = added & from(earliest + 2);
    let mut best = 0;
    while places != 0 && best < most {
        let q = places.trailing_zeros();
        places &= places - 1;
        // The last character's nearest place before the gap (there is one: `q` is two past the first).
        let at = 127 - (last & below(q - 1)).leading_zeros();
        let gap = (q - 1 - at) as i32;
        let decayed = (before + GAP_START + GAP_EXTENSION * (gap - 1)).max(0);
        best = best.max(decayed + SCORE_MATCH + ascii_bonus_at(bytes, q as usize));
    }
    best
}

/// fzf's score of a pattern of two characters, exact, from where the first occurs (`first`) and where the
/// second does (`second`) in ASCII `bytes`; 0 when the second never follows the first.
///
/// The first row of fzf's matrix holds, where the first character occurs, its own score (a match there
/// starts afresh, whatever came before), and after it that score less the gap. So the second character
/// at `q` follows either the first at `q - 1`, in a run (its bonus at least the run's first one), or
/// the nearest one before, across a gap. Worked out at each place of
/// the second, this is the best of the second row: a term of two letters is bounded by its score, and a
/// longer one grows from it (see `grown_bound`), rather than from the first row's best at every place.
pub(in crate::search) fn two_score(first: u128, second: u128, bytes: &[u8]) -> i32 {
    let Some(earliest) = (first != 0).then(|| first.trailing_zeros()) else { return 0 };
    let own = |at: u32| SCORE_MATCH + ascii_bonus_at(bytes, at as usize) * FIRST_CHAR_MULTIPLIER;
    let mut places = second & from(earliest + 1);
    let mut best = 0;
    while places != 0 {
        let q = places.trailing_zeros();
        places &= places - 1;
        let here = ascii_bonus_at(bytes, q as usize);
        let score = if first >> (q - 1) & 1 == 1 {
            // In a run the bonus is at least the run's first one (one that starts a word anew keeps its
            // own, the higher of the two).
            let run_first = ascii_bonus_at(bytes, q as usize - 1);
            own(q - 1) + SCORE_MATCH + here.max(BONUS_CONSECUTIVE).max(run_first)
        } else {
            // The nearest place of the first before the gap (there is one: `q` is two past the first).
            let at = 127 - (first & below(q - 1)).leading_zeros();
            let gap = (q - 1 - at) as i32;
            (own(at) + GAP_START + GAP_EXTENSION * (gap - 1)).max(0) + SCORE_MATCH + here
        };
        best = best.max(score);
    }
    best
}
