//! fzf's scoring, so that the reader ranks titles as fzf users expect: fzf 0.38's `FuzzyMatchV2` (a
//! Smith-Waterman variant that finds the best-scoring alignment) with its default scheme, and its
//! exact, prefix, suffix and equal matches. The constants and rules are fzf's (`src/algo/algo.go`).
//!
//! In short: every matched character scores 16, plus a bonus for where it stands (the start of the text
//! or a word after a space 10, after `/`, `,`, `:`, `;` or `|` 9, after any other non-word character such
//! as `-` or `_` 8, a camelCase or letter-to-digit boundary 7); a gap costs 3 to open and 1 a character
//! more; characters in a consecutive run get at least 4 and the bonus of the run's first character; the
//! first character of the pattern counts its bonus twice.

mod align;
pub(super) use align::{Scratch, fuzzy};

/// The text being matched: bytes of an ASCII title (or of a folded one, each character that is not ASCII
/// standing in as a byte for its class: see `stand_in`), or the folded characters of any other.
pub(super) trait Unit: Copy {
    fn class(self) -> Class;
    /// As compared with a pattern character: lower-cased unless the term respects case.
    fn key(self, respect_case: bool) -> char;
}

impl Unit for u8 {
    #[inline]
    fn class(self) -> Class {
        BYTE_CLASS[usize::from(self)]
    }
    fn key(self, respect_case: bool) -> char {
        char::from(if respect_case { self } else { self.to_ascii_lowercase() })
    }
}

impl Unit for char {
    fn class(self) -> Class {
        if self.is_ascii() {
            return BYTE_CLASS[self as usize];
        }
        if self.is_lowercase() {
            Class::Lower
        } else if self.is_uppercase() {
            Class::Upper
        } else if self.is_numeric() {
            Class::Number
        } else if self.is_alphabetic() {
            Class::Letter
        } else if self.is_whitespace() {
            Class::White
        } else {
            Class::NonWord
        }
    }
    fn key(self, respect_case: bool) -> char {
        if respect_case || self.is_ascii() {
            return if respect_case { self } else { self.to_ascii_lowercase() };
        }
        self.to_lowercase().next().unwrap_or(self)
    }
}

/// fzf's character classes, in its order (the order matters: see `bonus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Class {
    White,
    NonWord,
    Delimiter,
    Lower,
    Upper,
    Letter,
    Number,
}

/// The byte that stands for a character that is not ASCII, in a title matched by ASCII terms: no such
/// term holds it, and it has the character's class, which is all the scoring reads of it.
pub(super) fn stand_in(c: char) -> u8 {
    match c.class() {
        Class::Lower => 0x81,
        Class::Upper => 0x82,
        Class::Letter => 0x83,
        Class::Number => 0x84,
        Class::White => 0x85,
        _ => 0x80,
    }
}

/// Each byte's class: ASCII's, and the classes `stand_in` gives bytes from 0x80 on.
const BYTE_CLASS: [Class; 256] = {
    let mut table = [Class::NonWord; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            0x81 => Class::Lower,
            0x82 => Class::Upper,
            0x83 => Class::Letter,
            0x84 => Class::Number,
            0x85 => Class::White,
            b'a'..=b'z' => Class::Lower,
            b'A'..=b'Z' => Class::Upper,
            b'0'..=b'9' => Class::Number,
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => Class::White,
            b'/' | b',' | b':' | b';' | b'|' => Class::Delimiter,
            _ => Class::NonWord,
        };
        b += 1;
    }
    table
};

pub(super) const SCORE_MATCH: i32 = 16;
pub(super) const GAP_START: i32 = -3;
pub(super) const GAP_EXTENSION: i32 = -1;
pub(super) const BONUS_BOUNDARY: i32 = 8;
const BONUS_NON_WORD: i32 = 8;
pub(super) const BONUS_CAMEL: i32 = BONUS_BOUNDARY + GAP_EXTENSION;
pub(super) const BONUS_CONSECUTIVE: i32 = -(GAP_START + GAP_EXTENSION);
pub(super) const FIRST_CHAR_MULTIPLIER: i32 = 2;
pub(super) const BONUS_BOUNDARY_WHITE: i32 = BONUS_BOUNDARY + 2;
const BONUS_BOUNDARY_DELIMITER: i32 = BONUS_BOUNDARY + 1;

/// The bonus of a character of class `class` after one of class `prev`.
pub(super) const fn bonus(prev: Class, class: Class) -> i32 {
    if class as u8 > Class::NonWord as u8 {
        match prev {
            Class::White => return BONUS_BOUNDARY_WHITE,
            Class::Delimiter => return BONUS_BOUNDARY_DELIMITER,
            Class::NonWord => return BONUS_BOUNDARY,
            _ => {}
        }
    }
    let camel = matches!((prev, class), (Class::Lower, Class::Upper));
    let digit = !matches!(prev, Class::Number) && matches!(class, Class::Number);
    if camel || digit {
        BONUS_CAMEL
    } else if matches!(class, Class::NonWord) {
        BONUS_NON_WORD
    } else if matches!(class, Class::White) {
        BONUS_BOUNDARY_WHITE
    } else {
        0
    }
}

/// `bonus` for ASCII bytes, by their classes.
const ASCII_BONUS: [[i8; 7]; 7] = {
    const CLASSES: [Class; 7] =
        [Class::White, Class::NonWord, Class::Delimiter, Class::Lower, Class::Upper, Class::Letter, Class::Number];
    let mut table = [[0; 7]; 7];
    let mut p = 0;
    while p < 7 {
        let mut c = 0;
        while c < 7 {
            table[p][c] = bonus(CLASSES[p], CLASSES[c]) as i8;
            c += 1;
        }
        p += 1;
    }
    table
};

/// `bonus_at` for ASCII text, by table.
#[inline]
pub(super) fn ascii_bonus_at(text: &[u8], j: usize) -> i32 {
    let prev = if j == 0 { Class::White } else { text[j - 1].class() };
    i32::from(ASCII_BONUS[prev as usize][text[j].class() as usize])
}

/// How whole an occurrence of a pattern in ASCII `text` that ends before `end` is, its first character's
/// bonus being `bonus`: 3 a whole word, 2 the start of one, 1 inside one (as `wholeness`).
pub(super) fn ascii_wholeness(text: &[u8], end: usize, bonus: i32) -> u8 {
    let starts = bonus >= BONUS_CAMEL;
    // A word ends where a space or punctuation follows, not at a camelCase boundary.
    let ends = text.get(end).is_none_or(|b| b.class() <= Class::Delimiter);
    match (starts, ends) {
        (true, true) => 3,
        (true, false) => 2,
        _ => 1,
    }
}

/// The bonus of the character at `j` (the start of the text counts as after a space).
#[inline]
pub(super) fn bonus_at<T: Unit>(text: &[T], j: usize) -> i32 {
    let prev = if j == 0 { Class::White } else { text[j - 1].class() };
    bonus(prev, text[j].class())
}

/// The score a term of `len` characters gets for equalling the whole text (fzf's `EqualMatch`).
pub(super) fn equal_score(len: usize) -> i32 {
    (SCORE_MATCH + BONUS_BOUNDARY_WHITE) * len as i32 + (FIRST_CHAR_MULTIPLIER - 1) * BONUS_BOUNDARY_WHITE
}

/// fzf's score of the characters `from..to` of `text` for `pattern` matched in them in order (used for
/// exact, prefix and suffix matches, whose place is known).
pub(super) fn score_span<T: Unit>(text: &[T], pattern: &[char], respect_case: bool, from: usize, to: usize) -> i32 {
    let (mut p, mut total, mut in_gap, mut consecutive, mut first_bonus) = (0, 0, false, 0, 0);
    let mut prev = if from > 0 { text[from - 1].class() } else { Class::White };
    for t in &text[from..to] {
        let class = t.class();
        if p < pattern.len() && t.key(respect_case) == pattern[p] {
            total += SCORE_MATCH;
            let mut b = bonus(prev, class);
            if consecutive == 0 {
                first_bonus = b;
            } else {
                if b >= BONUS_BOUNDARY && b > first_bonus {
                    first_bonus = b;
                }
                b = b.max(first_bonus).max(BONUS_CONSECUTIVE);
            }
            total += if p == 0 { b * FIRST_CHAR_MULTIPLIER } else { b };
            in_gap = false;
            consecutive += 1;
            p += 1;
        } else {
            total += if in_gap { GAP_EXTENSION } else { GAP_START };
            in_gap = true;
            consecutive = 0;
            first_bonus = 0;
        }
        prev = class;
    }
    total
}

/// Where `pattern` occurs in `text` as it is, the occurrence chosen as fzf does: the first whose start
/// has the highest bonus, the search ending at a word boundary.
pub(super) fn find_exact<T: Unit>(text: &[T], pattern: &[char], respect_case: bool) -> Option<usize> {
    let m = pattern.len();
    if m == 0 || text.len() < m {
        return None;
    }
    let (mut best, mut best_bonus) = (None, -1);
    for start in 0..=text.len() - m {
        if text[start..start + m].iter().zip(pattern).all(|(t, &p)| t.key(respect_case) == p) {
            let b = bonus_at(text, start);
            if b > best_bonus {
                (best, best_bonus) = (Some(start), b);
                if b >= BONUS_BOUNDARY {
                    break;
                }
            }
        }
    }
    best
}

/// True when `text` has `pattern` at `at`.
pub(super) fn has_at<T: Unit>(text: &[T], pattern: &[char], respect_case: bool, at: usize) -> bool {
    text.len() >= at + pattern.len()
        && text[at..at + pattern.len()].iter().zip(pattern).all(|(t, &p)| t.key(respect_case) == p)
}

/// How whole the best contiguous occurrence of `pattern` in `text` is: 3 a whole word, 2 the start of a
/// word (after a space or punctuation, or at a camelCase or letter-to-digit boundary), 1 inside a word,
/// 0 none (the pattern is only there scattered).
pub(super) fn wholeness<T: Unit>(text: &[T], pattern: &[char], respect_case: bool, ascii: Option<&[u8]>) -> u8 {
    let m = pattern.len();
    if m == 0 || text.len() < m {
        return 0;
    }
    let is_word = |c: Class| c > Class::Delimiter;
    let mut best = 0;
    let mut from = 0;
    while from + m <= text.len() {
        // The next place the first character is, found with memchr in ASCII text.
        let at = match ascii {
            Some(bytes) => {
                let Ok(p) = u8::try_from(pattern[0]) else { return 0 };
                let hay = &bytes[from..=text.len() - m];
                let found = if !respect_case && p.is_ascii_lowercase() {
                    memchr::memchr2(p, p.to_ascii_uppercase(), hay)
                } else {
                    memchr::memchr(p, hay)
                };
                match found {
                    Some(k) => from + k,
                    None => break,
                }
            }
            None => match text[from..=text.len() - m].iter().position(|t| t.key(respect_case) == pattern[0]) {
                Some(k) => from + k,
                None => break,
            },
        };
        if has_at(text, pattern, respect_case, at) {
            let starts = bonus_at(text, at) >= BONUS_CAMEL;
            let end = at + m;
            // A word ends where a space or punctuation follows, not at a camelCase boundary: "Res" is not a
            // word of "ResNet".
            let ends = end == text.len() || !is_word(text[end].class());
            best = best.max(match (starts, ends) {
                (true, true) => 3,
                (true, false) => 2,
                _ => 1,
            });
            if best == 3 {
                break;
            }
        }
        from = at + 1;
    }
    best
}
