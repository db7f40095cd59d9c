//! A step made from a first letter's key, and a step's last term grown by the characters typed after
//! it: each found as a mask of the title, the grown term bounded or scored exactly.

use super::Step;
use crate::search::ascii::{Found, grown_bound, occurrences, two_score};
use crate::search::fzf::equal_score;
use crate::search::terms::Term;
use crate::search::title::{Title, byte_mask, from};

/// The symbol `Letters` keys a term of one letter or digit by.
pub(super) fn letter_of(term: &Term) -> Option<usize> {
    match term.chars[..] {
        [c] => crate::search::letters::query_symbol(c, term.respect_case),
        _ => None,
    }
}

/// A term of one letter or digit in `short`, keyed `key` by `Letters`: its first look, where it occurs,
/// and the place after its first occurrence.
#[inline]
pub(super) fn letter_look(short: &Title, term: &Term, key: u32) -> (Found, u128, u32) {
    let b = term.chars[0] as u8;
    let ends = short.mask(b, !term.respect_case && b.is_ascii_lowercase());
    (letter_found(key), ends, ends.trailing_zeros() + 1)
}

/// A term of one letter or digit's first look, from its rank key by `Letters`.
#[inline]
pub(super) fn letter_found(key: u32) -> Found {
    let whole = if key & 1 << 15 != 0 { 3 } else { (key >> 30) as u8 };
    Found { score: (key >> 16 & 0x3fff) as i32, exact: true, whole }
}

/// `step` with its last term grown by `chars` (each a byte and the other case it matches) to `len`
/// characters, in a title of ASCII `bytes` (at most a mask long); `None` when the grown term is not there
/// in order. Where the grown term is not exact, its bound is a close one when `close` asks (see
/// `close_bound`), else the one just below its highest score; a term of one character grown to two is
/// scored exactly then (see `two_score`).
///
/// Each character is found as a mask of the title, not byte by byte: which byte of a title holds it is
/// a coin toss to the processor, and a wrong guess cost more than reading every byte at once.
#[inline]
pub(super) fn grow(
    mut step: Step,
    bytes: &[u8],
    last: (u8, u8),
    chars: &[(u8, u8)],
    len: usize,
    close: bool,
) -> Option<Step> {
    if chars.is_empty() {
        return Some(step);
    }
    let kept = step;
    let (mut after, mut ends) = (step.after(), step.ends());
    let mut places = 0;
    for &(b, other) in chars {
        places = byte_mask(bytes, b, other != b)?;
        // The first place after the greedy match so far, and the occurrences this character continues.
        let next = places & from(after);
        if next == 0 {
            return None;
        }
        after = next.trailing_zeros() + 1;
        ends = (ends << 1) & places;
    }
    let (whole, top) = occurrences(bytes, ends, len);
    let highest = equal_score(len);
    let (score, exact) = match (top, close) {
        (true, _) => (highest, true),
        (false, true) => (close_bound(&kept, bytes, last, chars, places, len).min(highest - 1), len == 2),
        (false, false) => (highest - 1, false),
    };
    step.set_last(Found { score, exact, whole }, ends, after);
    Some(step)
}

/// A close bound on the score of a term of `chars` (each a byte and the other case it matches; two at
/// least) in ASCII `bytes` (at most a mask long), worked out from scratch as `grow` would have grown it a
/// character at a time from its first (`two_score`, then `grown_bound`), each bound kept below the highest
/// score of the term so far; `None` when the term is not there in order or the title is not masks.
/// One mask of the title a character, where `Pass::bound` works out every class of it.
#[inline]
pub(super) fn chain_bound(bytes: &[u8], chars: &[(u8, u8)]) -> Option<i32> {
    let [(b0, o0), (b1, o1), rest @ ..] = chars else { return None };
    let first = byte_mask(bytes, *b0, o0 != b0)?;
    let mut before = byte_mask(bytes, *b1, o1 != b1)?;
    let mut after = (first != 0).then(|| first.trailing_zeros() + 1)?;
    after = (before & from(after)).trailing_zeros() + 1;
    if after > 128 {
        return None;
    }
    let mut score = two_score(first, before, bytes).min(equal_score(2));
    for (k, &(b, other)) in rest.iter().enumerate() {
        let added = byte_mask(bytes, b, other != b)?;
        score = grown_bound(score, before & from(after.saturating_sub(1)), added, bytes).min(equal_score(k + 3));
        let next = added & from(after);
        if next == 0 {
            return None;
        }
        after = next.trailing_zeros() + 1;
        before = added;
    }
    Some(score)
}

/// A bound on the score of the last term of `kept` (close or exact) grown by `chars` (the last of which
/// is at `places`) to `len` characters, a character at a time (see `grown_bound`), which needs where
/// the term's last character, `last`, is: the occurrences kept for a term of one character, otherwise
/// found again as a mask. Where a match can have it: at the greedy match's place or after. A term of
/// one character grown to two is scored exactly from the places of both (see `two_score`).
#[inline]
fn close_bound(kept: &Step, bytes: &[u8], last: (u8, u8), chars: &[(u8, u8)], places: u128, len: usize) -> i32 {
    let one = len - chars.len() == 1;
    let (mut score, mut after) = (kept.last().score, kept.after());
    let mut before = if one { kept.ends() } else { byte_mask(bytes, last.0, last.1 != last.0).unwrap_or(0) };
    // Pasted: each character in turn, its places found as a mask but for the last one's.
    for (k, &(b, other)) in chars.iter().enumerate() {
        let added = if k + 1 == chars.len() { places } else { byte_mask(bytes, b, other != b).unwrap_or(0) };
        score = if one && k == 0 {
            two_score(before, added, bytes)
        } else {
            grown_bound(score, before & from(after.saturating_sub(1)), added, bytes)
        };
        after = (added & from(after)).trailing_zeros() + 1;
        before = added;
    }
    score
}
