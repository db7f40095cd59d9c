//! Telling prose from titles by counting words, eight bytes at a time.

pub(super) fn is_prose(text: &str) -> bool {
    // Counting stops as soon as the answer is known: at 8 words for a paragraph that ends with a full stop
    // (as abstracts do), at 40 for one that does not. An abstract need not be counted to the end.
    let enough = if text.ends_with('.') { 8 } else { 40 };
    count_words(text, enough) >= enough
}

/// The high bit of each byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `eight` (ASCII bytes) that is whitespace: a space, or 9 to 13 (tab, line
/// feed, vertical tab, form feed, carriage return). No byte carries into the next: each is below 0x80.
fn ascii_spaces(eight: u64) -> u64 {
    let ones = |b: u8| u64::from_le_bytes([b; 8]);
    let not_space_char = eight ^ ones(b' ');
    // High bit set where a byte of `not_space_char` is not zero.
    let nonzero = ((not_space_char & !HIGH_BITS) + ones(0x7f)) | not_space_char;
    let at_least_9 = eight + ones(0x80 - 9);
    let at_least_14 = eight + ones(0x80 - 14);
    (!nonzero | (at_least_9 & !at_least_14)) & HIGH_BITS
}

/// The number of whitespace-separated words in `text` (as `split_whitespace` finds them), counting no
/// further than about `limit`. Runs of ASCII are counted 64 bytes at a time, eight bytes to a `u64`
/// without branches: a word starts at each non-space whose neighbour before is a space; a block with
/// other characters, a character at a time.
fn count_words(text: &str, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut after_space = true;
    let mut at = 0;
    while at < bytes.len() && words < limit {
        let end = (at + 64).min(bytes.len());
        let block = &bytes[at..end];
        if block.is_ascii() {
            // A short last block is padded with spaces, which start no word.
            let mut padded = [b' '; 64];
            padded[..block.len()].copy_from_slice(block);
            for eight in padded.chunks_exact(8) {
                let spaces = ascii_spaces(u64::from_le_bytes(eight.try_into().unwrap_or_default()));
                // The high bit of each byte whose neighbour before is a space.
                let before_is_space = (spaces << 8) | (u64::from(after_space) << 7);
                words += (!spaces & before_is_space & HIGH_BITS).count_ones() as usize;
                after_space = spaces >> 63 == 1;
            }
            after_space = block[block.len() - 1] == b' ' || block[block.len() - 1].wrapping_sub(9) < 5;
            at = end;
            continue;
        }
        // Characters up to the end of the block (or just past it, for one that straddles it).
        for c in text[at..].chars() {
            let space = c.is_whitespace();
            words += usize::from(!space & after_space);
            after_space = space;
            at += c.len_utf8();
            if at >= end {
                break;
            }
        }
    }
    words.min(limit)
}

#[cfg(test)]
mod counting {
    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in ["", " a  b\tc\n", "naïve café — “quoted” words", "a\u{a0}b\u{2003}c\u{3000}d", "x\u{b}y\u{c}z"]
        {
            assert_eq!(super::count_words(text, 100), text.split_whitespace().count(), "{text:?}");
        }
        assert_eq!(super::count_words("a b c d e", 3), 3);
    }

    #[test]
    fn prose_is_forty_words_or_eight_ending_with_a_full_stop() {
        // The rule as the module states it, against every count of words around both thresholds, with
        // and without the full stop, in short and long words.
        for words in 0..90 {
            for word in ["a", "transformers"] {
                for end in ["", ".", ". ", "!"] {
                    let text = format!("{}{end}", vec![word; words].join(" "));
                    let text = text.trim();
                    let n = text.split_whitespace().count();
                    let expected = n >= 40 || (n >= 8 && text.ends_with('.'));
                    assert_eq!(super::is_prose(text), expected, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn words_are_counted_across_blocks_of_64_bytes() {
        // Every length to past three blocks, words and spaces of every width falling on every block edge,
        // with and without a character that is not ASCII somewhere.
        let pattern = "ab  c\td ef\r\n  ghi jklm n ";
        for length in 0..200 {
            for shift in 0..pattern.len() {
                let text: String = pattern.chars().cycle().skip(shift).take(length).collect();
                assert_eq!(super::count_words(&text, usize::MAX), text.split_whitespace().count(), "{text:?}");
                let mut wide = text.clone();
                wide.insert_str(length / 2, "\u{3000}é");
                assert_eq!(super::count_words(&wide, usize::MAX), wide.split_whitespace().count(), "{wide:?}");
            }
        }
    }
}
