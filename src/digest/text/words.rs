//! A paragraph's length in words (and in characters, for scripts without spaces) and the case of its words, eight bytes at a time.

use unicode_width::UnicodeWidthChar;

/// What a word weighs in length units. A character of a script written without spaces between words
/// weighs its display width instead: 2 for Chinese and Japanese, so that two make a word; 1 for Thai,
/// whose marks above and below the line weigh nothing, so that about four make a word.
pub(super) const WORD: usize = 4;

/// A paragraph's length and the case of its words.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Counts {
    /// Length units (see `WORD`).
    pub(super) units: usize,
    /// Words after the first that begin with a letter of a script with case, and how many of those begin
    /// with a capital. A word begins after a space, or after a character of a script without spaces
    /// ("模型GPT" is two).
    pub(super) cased: usize,
    pub(super) capitalised: usize,
}

impl Counts {
    /// The counts of `text`, up to about `limit` units (all of them when there are fewer).
    pub(super) fn of(text: &str, limit: usize) -> Counts {
        let mut counts = count::<true>(text, limit);
        // The first word is capitalised in sentences and titles alike.
        if let Some(first) = text.chars().find(|&c| !c.is_whitespace() && unspaced(c).is_none())
            && (first.is_uppercase() || first.is_lowercase())
        {
            counts.cased -= 1;
            counts.capitalised -= usize::from(first.is_uppercase());
        }
        counts
    }
}

/// The length of `text` in units, counting no further than about `limit`.
pub(super) fn count_units(text: &str, limit: usize) -> usize {
    count::<false>(text, limit).units.min(limit)
}

/// The length units of a character of a script written without spaces between words (its display
/// width; none for its punctuation), or `None` for any other character.
pub fn unspaced(c: char) -> Option<usize> {
    let width = || c.width().unwrap_or(0);
    match c as u32 {
        // CJK symbols and punctuation; full-width punctuation.
        0x3000..=0x303f => Some(0),
        0xff00..=0xffef => Some(if c.is_alphanumeric() { width() } else { 0 }),
        // Kana, CJK ideographs.
        0x3040..=0x30ff | 0x31f0..=0x31ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff => Some(width()),
        0x20000..=0x3ffff => Some(width()),
        // Thai, Lao, Tibetan, Myanmar, Khmer.
        0x0e00..=0x0fff | 0x1000..=0x109f | 0x1780..=0x17ff => Some(width()),
        _ => None,
    }
}

/// Scripts that put a space between sentences, not between words (Thai, Lao, Myanmar, Khmer).
pub(super) fn spaces_sentences(c: char) -> bool {
    matches!(c as u32, 0x0e00..=0x0eff | 0x1000..=0x109f | 0x1780..=0x17ff)
}

/// The high bit of each byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

const fn ones(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}

/// The high bit of each byte of `eight` (ASCII bytes) that is whitespace: a space, or 9 to 13 (tab, line
/// feed, vertical tab, form feed, carriage return). No byte carries into the next: each is below 0x80.
fn ascii_spaces(eight: u64) -> u64 {
    let not_space_char = eight ^ ones(b' ');
    // High bit set where a byte of `not_space_char` is not zero.
    let nonzero = ((not_space_char & !HIGH_BITS) + ones(0x7f)) | not_space_char;
    (!nonzero | in_range(eight, 9, 13)) & HIGH_BITS
}

/// The high bit of each byte of `eight` (ASCII bytes) from `low` to `high`.
fn in_range(eight: u64, low: u8, high: u8) -> u64 {
    (eight + ones(0x80 - low)) & !(eight + ones(0x7f - high)) & HIGH_BITS
}

/// Units, and with `CASE` the case of words (first words included), to about `limit` units. Runs of ASCII
/// are counted up to 64 bytes at a time, eight bytes to a `u64` without branches: a word starts at each
/// non-space whose neighbour before is a space, and is cased where that is a letter (capitalised where
/// its bit 5 is clear); a block with other characters, a character at a time.
fn count<const CASE: bool>(text: &str, limit: usize) -> Counts {
    let bytes = text.as_bytes();
    let mut counts = Counts::default();
    // Whether the character before was a space or a character of a script without spaces: a word of a
    // script with spaces starts after either.
    let mut after_space = true;
    let mut at = 0;
    while at < bytes.len() && counts.units < limit {
        let end = (at + 64).min(bytes.len());
        let block = &bytes[at..end];
        if block.is_ascii() {
            // Per byte lane, how many words start there (and are cased, capitalised) in this block: at
            // most eight each, summed across the lanes at the end of the block (no byte carries into the
            // next: a count of population would take a dozen instructions a group on most x86-64).
            let (mut starts_sum, mut cased_sum, mut capitalised_sum) = (0u64, 0u64, 0u64);
            let mut group = |eight: u64| {
                let spaces = ascii_spaces(eight);
                let starts = !spaces & ((spaces << 8) | (u64::from(after_space) << 7)) & HIGH_BITS;
                starts_sum += starts >> 7;
                if CASE {
                    let letters = starts & in_range(eight | ones(0x20), b'a', b'z');
                    cased_sum += letters >> 7;
                    capitalised_sum += (letters & !(eight << 2)) >> 7;
                }
                after_space = spaces >> 63 == 1;
            };
            let mut groups = block.chunks_exact(8);
            for eight in &mut groups {
                group(u64::from_le_bytes(eight.try_into().unwrap_or_default()));
            }
            // The last few bytes are padded with spaces, which start no word.
            let rest = groups.remainder();
            if !rest.is_empty() {
                let mut padded = [b' '; 8];
                padded[..rest.len()].copy_from_slice(rest);
                group(u64::from_le_bytes(padded));
                after_space = rest[rest.len() - 1] == b' ' || rest[rest.len() - 1].wrapping_sub(9) < 5;
            }
            let lanes = |sum: u64| (sum.wrapping_mul(ones(1)) >> 56) as usize;
            counts.units += WORD * lanes(starts_sum);
            if CASE {
                counts.cased += lanes(cased_sum);
                counts.capitalised += lanes(capitalised_sum);
            }
            at = end;
            continue;
        }
        // Characters up to the end of the block (or just past it, for one that straddles it).
        for c in text[at..].chars() {
            if c.is_whitespace() {
                after_space = true;
            } else if let Some(width) = unspaced(c) {
                counts.units += width;
                after_space = true;
            } else {
                if after_space {
                    counts.units += WORD;
                    if CASE && (c.is_uppercase() || c.is_lowercase()) {
                        counts.cased += 1;
                        counts.capitalised += usize::from(c.is_uppercase());
                    }
                }
                after_space = false;
            }
            at += c.len_utf8();
            if at >= end {
                break;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts, a character at a time.
    fn reference(text: &str) -> Counts {
        let mut counts = Counts::default();
        let mut words = 0;
        let mut after_space = true;
        for c in text.chars() {
            match unspaced(c) {
                _ if c.is_whitespace() => after_space = true,
                Some(width) => (counts.units, after_space) = (counts.units + width, true),
                None if after_space => {
                    counts.units += WORD;
                    if words > 0 && (c.is_uppercase() || c.is_lowercase()) {
                        counts.cased += 1;
                        counts.capitalised += usize::from(c.is_uppercase());
                    }
                    words += 1;
                    after_space = false;
                }
                None => {}
            }
        }
        counts
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in ["", " a  b\tc\n", "naïve café — “quoted” words", "a\u{a0}b\u{2003}c\u{3000}d", "x\u{b}y\u{c}z"]
        {
            assert_eq!(count_units(text, 400), WORD * text.split_whitespace().count(), "{text:?}");
        }
        assert_eq!(count_units("a b c d e", 3 * WORD), 3 * WORD);
    }

    #[test]
    fn words_and_case_are_counted_across_blocks_of_64_bytes() {
        // Every length to past three blocks, words and spaces of every width falling on every block edge,
        // with and without characters that are not ASCII somewhere, of scripts with and without spaces.
        let pattern = "Ab  c\td Ef\r\n  ghi JKlm n ";
        for length in 0..200 {
            for shift in 0..pattern.len() {
                let text: String = pattern.chars().cycle().skip(shift).take(length).collect();
                assert_eq!(count_units(&text, usize::MAX), WORD * text.split_whitespace().count(), "{text:?}");
                assert_eq!(Counts::of(&text, usize::MAX), reference(&text), "{text:?}");
                for wide in ["\u{3000}é", "模型x", "ภาษา Éa", "“Q”"] {
                    let mut mixed = text.clone();
                    mixed.insert_str(length / 2, wide);
                    assert_eq!(Counts::of(&mixed, usize::MAX), reference(&mixed), "{mixed:?}");
                }
            }
        }
    }

    #[test]
    fn scripts_without_spaces_are_counted_by_their_characters() {
        // Two Chinese or Japanese characters make a word; Thai characters weigh their width (its vowel
        // and tone marks above and below the line nothing); their punctuation nothing.
        assert_eq!(count_units("扩散模型", 400), 8);
        assert_eq!(count_units("扩散模型，生成样本。", 400), 16);
        assert_eq!(count_units("強化学習とは", 400), 12);
        assert_eq!(count_units("ภาษาไทย", 400), 7);
        assert_eq!(count_units("ผู้สูงอายุ", 400), 6);
        assert_eq!(count_units("使用GPT模型", 400), 8 + WORD);
        assert_eq!(Counts::of("使用GPT模型 is", 400), Counts { units: 8 + 2 * WORD, cased: 1, capitalised: 0 });
        assert_eq!(Counts::of("GPT模型 Is", 400), Counts { units: 4 + 2 * WORD, cased: 1, capitalised: 1 });
    }
}
