//! `Title`: an ASCII title of up to 128 bytes as bit masks (bit `j` for byte `j`), the form in which the
//! one-pass scoring (`ascii`) reads it: compared sixteen bytes at a time, once for every term of a query.
//!
//! The comparisons are `wide`'s (SSE2 on x86-64, NEON on ARM, plain code elsewhere), safe to call: this
//! crate forbids `unsafe`, and the standard library offers portable vectors only on nightly Rust.

use wide::u8x16;

/// The longest title read as masks; longer ones are scored byte by byte.
pub(super) const MASK_BITS: usize = 128;

const LANES: usize = 16;
const BLOCKS: usize = MASK_BITS / LANES;

/// An ASCII title as masks.
#[derive(Debug, Clone, Copy)]
pub(super) struct Title<'a> {
    pub(super) bytes: &'a [u8],
    blocks: [u8x16; BLOCKS],
}

/// The places of a title's letters and digits, by kind.
#[derive(Debug, Clone, Copy)]
pub(super) struct Classes {
    /// Places holding a letter or a digit: fzf's word characters, in ASCII.
    pub(super) word: u128,
    pub(super) upper: u128,
    pub(super) lower: u128,
    pub(super) digit: u128,
}

impl<'a> Title<'a> {
    /// `None` when `bytes` is longer than a mask or not all ASCII.
    pub(super) fn new(bytes: &'a [u8]) -> Option<Title<'a>> {
        if bytes.len() > MASK_BITS {
            return None;
        }
        let mut blocks = [u8x16::splat(0); BLOCKS];
        let mut any = u8x16::splat(0);
        each_block(bytes, |k, block| {
            blocks[k] = block;
            any |= block;
        });
        // A byte of 0x80 or more is not ASCII: its top bit is what `move_mask` gathers.
        if any.move_mask() != 0 {
            return None;
        }
        Some(Title { bytes, blocks })
    }

    /// Where its letters and digits are: only a term of one character reads them (a longer one reads
    /// the bytes around its few runs), so they are not made for every title.
    pub(super) fn classes(&self) -> Classes {
        let (mut upper, mut lower, mut digit) = ([0u16; BLOCKS], [0u16; BLOCKS], [0u16; BLOCKS]);
        for k in 0..self.bytes.len().div_ceil(LANES) {
            let block = self.blocks[k];
            upper[k] = within(block, b'A', b'Z');
            lower[k] = within(block, b'a', b'z');
            digit[k] = within(block, b'0', b'9');
        }
        let (upper, lower, digit) = (gather(upper), gather(lower), gather(digit));
        Classes { word: upper | lower | digit, upper, lower, digit }
    }

    /// The places that hold `b`, or its upper case too with `fold`.
    pub(super) fn mask(&self, b: u8, fold: bool) -> u128 {
        let want = u8x16::splat(b);
        let case = u8x16::splat(if fold { 0x20 } else { 0 });
        let mut found = [0u16; BLOCKS];
        for (out, &block) in found.iter_mut().zip(&self.blocks[..self.bytes.len().div_ceil(LANES)]) {
            *out = (block | case).cmp_eq(want).move_mask() as u16;
        }
        // The zeros after the end are no place of the title (a pattern character is never 0x20 with
        // `fold`, nor 0 without it, but a mask says only what is there).
        gather(found) & below(self.bytes.len() as u32)
    }
}

/// The places in `bytes` (at most `MASK_BITS` of them) that hold `b`, or its upper case too with `fold`:
/// `Title::mask` without the rest of a `Title`, for a title read once for one byte. `None` when
/// `bytes` is longer than a mask or not all ASCII.
pub(super) fn byte_mask(bytes: &[u8], b: u8, fold: bool) -> Option<u128> {
    if bytes.len() > MASK_BITS {
        return None;
    }
    let want = u8x16::splat(b);
    let case = u8x16::splat(if fold { 0x20 } else { 0 });
    let (mut found, mut any) = ([0u16; BLOCKS], u8x16::splat(0));
    each_block(bytes, |k, block| {
        any |= block;
        found[k] = (block | case).cmp_eq(want).move_mask() as u16;
    });
    (any.move_mask() == 0).then(|| gather(found) & below(bytes.len() as u32))
}

/// Calls `f` with each block of sixteen bytes of `bytes` (at most `MASK_BITS` of them) and its number,
/// the last one filled with zeros after the end. A last block that is not full is read with the bytes
/// before it, shifted into place, rather than copied out byte by byte: a title's last block
/// is never full but one time in sixteen.
fn each_block(bytes: &[u8], mut f: impl FnMut(usize, u8x16)) {
    let mut chunks = bytes.chunks_exact(LANES);
    let mut k = 0;
    for chunk in &mut chunks {
        let Ok(lanes) = <[u8; LANES]>::try_from(chunk) else { break };
        f(k, u8x16::new(lanes));
        k += 1;
    }
    let rest = chunks.remainder();
    if rest.is_empty() {
        return;
    }
    let lanes = match bytes.len().checked_sub(LANES).and_then(|start| bytes.get(start..)) {
        // The last sixteen bytes, moved down by the bytes of the full block before the rest.
        Some(last) => {
            let last = u128::from_le_bytes(<[u8; LANES]>::try_from(last).unwrap_or([0; LANES]));
            (last >> (8 * (LANES - rest.len()))).to_le_bytes()
        }
        None => {
            let mut lanes = [0u8; LANES];
            lanes[..rest.len()].copy_from_slice(rest);
            lanes
        }
    };
    f(k, u8x16::new(lanes));
}

/// The lanes of `block` from `low` to `high`, as bits: `x - low`, wrapping, is at most `high - low` only
/// there.
fn within(block: u8x16, low: u8, high: u8) -> u16 {
    let offset = block - u8x16::splat(low);
    offset.min(u8x16::splat(high - low)).cmp_eq(offset).move_mask() as u16
}

/// Sixteen bits a block, in order, as one mask.
fn gather(blocks: [u16; BLOCKS]) -> u128 {
    // Two halves of 64 bits: shifting a 128-bit mask eight times costs more than the comparisons.
    let half = |b: &[u16]| b.iter().rev().fold(0u64, |mask, &bits| mask << LANES | u64::from(bits));
    u128::from(half(&blocks[..BLOCKS / 2])) | u128::from(half(&blocks[BLOCKS / 2..])) << 64
}

/// The bits below bit `at`.
pub(super) fn below(at: u32) -> u128 {
    if at >= 128 { u128::MAX } else { (1u128 << at) - 1 }
}

/// The bits from bit `at` on.
pub(super) fn from(at: u32) -> u128 {
    if at >= 128 { 0 } else { u128::MAX << at }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_mark_every_place_a_byte_is_and_its_class() {
        let text: Vec<u8> = (0..=127u8).rev().chain(b"The bERT of Bert, 1-2".iter().copied()).take(128).collect();
        for len in [0, 1, 7, 15, 16, 17, 63, 64, 65, 127, 128] {
            let title = Title::new(&text[..len]).unwrap();
            let bits = |f: &dyn Fn(u8) -> bool| (0..len).filter(|&j| f(text[j])).fold(0u128, |m, j| m | 1 << j);
            for b in [b'e', b'r', b'1', b'-', b' ', b'T', 0, 127] {
                for fold in [false, true] {
                    let fold = fold && b.is_ascii_lowercase();
                    let expected = bits(&|t| t == b || fold && t == b.to_ascii_uppercase());
                    assert_eq!(title.mask(b, fold), expected, "{b} {fold} {len}");
                }
            }
            for b in [b'e', b'r', b'1', b'-', b' ', b'T', 0, 127] {
                for fold in [false, true] {
                    let fold = fold && b.is_ascii_lowercase();
                    assert_eq!(byte_mask(&text[..len], b, fold), Some(title.mask(b, fold)), "{b} {fold} {len}");
                }
            }
            let classes = title.classes();
            assert_eq!(classes.upper, bits(&|t| t.is_ascii_uppercase()), "{len}");
            assert_eq!(classes.lower, bits(&|t| t.is_ascii_lowercase()), "{len}");
            assert_eq!(classes.digit, bits(&|t| t.is_ascii_digit()), "{len}");
            assert_eq!(classes.word, bits(&|t| t.is_ascii_alphanumeric()), "{len}");
        }
    }

    #[test]
    fn only_short_ascii_titles_are_read_as_masks() {
        assert!(Title::new("Über".as_bytes()).is_none());
        assert!(Title::new(&[b'a'; MASK_BITS + 1]).is_none());
        assert!(Title::new(&[b'a'; MASK_BITS]).is_some());
        assert_eq!(byte_mask("Über".as_bytes(), b'r', true), None);
        assert_eq!(byte_mask(&[b'a'; MASK_BITS + 1], b'a', false), None);
    }
}
