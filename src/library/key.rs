//! `PaperKey`: what identifies a paper across digests, and the hashing that parsing a large digest leans on.

use std::hash::Hasher;

use serde::{Deserialize, Serialize};

/// Identifies a paper across digests, days, reorderings and re-downloads.
///
/// Derived from the title alone: lower-cased (Unicode-aware), every run of characters that are not letters
/// or digits turned into one space, trimmed. So "Mamba YOLO: SSMs-Based YOLO" and "mamba yolo — ssms based
/// yolo" are the same paper. A paper whose arXiv identifier is known is keyed by it instead (`arxiv:ID`);
/// its marks are found under either key (see `search::MarkSet`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PaperKey(String);

impl PaperKey {
    pub fn from_title(title: &str) -> Self {
        let mut key = Vec::with_capacity("title:".len() + title.len());
        write_key(title, &mut key);
        // `write_key` writes whole characters only.
        PaperKey(String::from_utf8(key).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// The key of a paper with an arXiv identifier (as `Meta::arxiv_id` keeps it): `arxiv:2403.12345`.
    pub fn from_arxiv_id(id: &str) -> Self {
        PaperKey(format!("arxiv:{id}"))
    }

    /// The arXiv identifier, when the key is one.
    pub fn arxiv_id(&self) -> Option<&str> {
        self.0.strip_prefix("arxiv:")
    }

    /// `PaperKey::from_title(title).hash64()`, without making the key: what parsing a large digest needs.
    pub fn hash_of_title(title: &str) -> u64 {
        hash_in_buffer(|key| write_key(title, key))
    }

    /// `PaperKey::from_arxiv_id(id).hash64()`, without making the key.
    pub fn hash_of_arxiv_id(id: &str) -> u64 {
        hash_in_buffer(|key| {
            key.extend_from_slice(b"arxiv:");
            key.extend_from_slice(id.as_bytes());
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A 64-bit hash of the key, the same in every process, which is what papers keep of their keys.
    pub fn hash64(&self) -> u64 {
        hash64(self.0.as_bytes())
    }
}

/// The hash of the key `write` writes, made in a buffer kept for the thread.
fn hash_in_buffer(write: impl FnOnce(&mut Vec<u8>)) -> u64 {
    thread_local! {
        static KEY: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    KEY.with_borrow_mut(|key| {
        key.clear();
        write(key);
        hash64(key)
    })
}

/// A hash of a key, the same for the same key in every run (the keys' hashes are never stored). foldhash:
/// a title's key is hashed in about a third of the time SipHash took, a tenth of parsing a large digest.
fn hash64(key: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    let mut hasher = foldhash::fast::FixedState::with_seed(0x7061_7065_7273).build_hasher();
    hasher.write(key);
    hasher.finish()
}

/// Each byte of plain ASCII as a key writes it: a letter lower-cased, a digit as it is; 0 for the others.
const KEY_BYTE: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
const LOW_BITS: u64 = 0x0101_0101_0101_0101;

const fn ones(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}

/// The high bit of each byte of `eight` (ASCII bytes) from `low` to `high`.
fn in_range(eight: u64, low: u8, high: u8) -> u64 {
    (eight + ones(0x80 - low)) & !(eight + ones(0x7f - high)) & HIGH_BITS
}

/// The high bit of each byte of `eight` (ASCII bytes) that is a letter or a digit, as `KEY_BYTE` has them.
fn word_bytes(eight: u64) -> u64 {
    in_range(eight | ones(0x20), b'a', b'z') | in_range(eight, b'0', b'9')
}

/// Writes the key of `title` to `key` (see `PaperKey`): whole characters, so `key` stays UTF-8.
fn write_key(title: &str, key: &mut Vec<u8>) {
    key.extend_from_slice(b"title:");
    let start = key.len();
    if title.len() <= 256 && title.is_ascii() {
        // The common case, a byte at a time without branches: every byte is written, a letter or digit
        // lower-cased and anything else as a space (0 | 0x20), but the end moves on past a space only when
        // it follows a letter or digit. So a run of others is one space, and none leads; a trailing one is
        // dropped. Into a buffer of 256 bytes, whose index the mask keeps in bounds without a check: twice
        // as fast as a checked `Vec`, which made this a tenth of loading a digest.
        let mut out = [0u8; 256];
        let (mut end, mut after_word) = (0usize, false);
        let one = |out: &mut [u8; 256], b: u8, end: &mut usize, after_word: &mut bool| {
            let c = KEY_BYTE[usize::from(b)];
            let word = c != 0;
            out[*end & 255] = c | (u8::from(!word) << 5);
            *end += usize::from(word | *after_word);
            *after_word = word;
        };
        let mut groups = title.as_bytes().chunks_exact(8);
        for group in &mut groups {
            let eight = u64::from_le_bytes(group.try_into().unwrap_or_default());
            // Most groups of eight bytes keep every byte: no two others in a row (nor one after another at
            // the group's start), so each is written, lower-cased or as a space, eight at once.
            let others = !word_bytes(eight) & HIGH_BITS;
            let kept = others & ((others << 8) | (u64::from(!after_word) << 7)) == 0;
            match out.get_mut(end..end + 8) {
                Some(to) if kept => {
                    let words = (!others >> 7 & LOW_BITS) * 0xff;
                    let written = ((eight | ones(0x20)) & words) | (ones(0x20) & !words);
                    to.copy_from_slice(&written.to_le_bytes());
                    end += 8;
                    after_word = others >> 63 == 0;
                }
                _ => group.iter().for_each(|&b| one(&mut out, b, &mut end, &mut after_word)),
            }
        }
        for &b in groups.remainder() {
            one(&mut out, b, &mut end, &mut after_word);
        }
        let end = end - usize::from(end > 0 && !after_word);
        key.extend_from_slice(&out[..end]);
        return;
    }
    key.reserve(title.len());
    let mut pending_space = false;
    for c in title.chars() {
        let wanted = if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() };
        if !wanted {
            pending_space = true;
            continue;
        }
        if pending_space && key.len() > start {
            key.push(b' ');
        }
        pending_space = false;
        let mut buffer = [0; 4];
        if c.is_ascii() {
            key.push(c.to_ascii_lowercase() as u8);
        } else {
            for lower in c.to_lowercase() {
                key.extend_from_slice(lower.encode_utf8(&mut buffer).as_bytes());
            }
        }
    }
}

impl std::fmt::Display for PaperKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ignores_case_punctuation_and_spacing() {
        let a = PaperKey::from_title("Mamba YOLO: SSMs-Based YOLO For Object Detection");
        let b = PaperKey::from_title("  mamba yolo — ssms based YOLO for object detection. ");
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "title:mamba yolo ssms based yolo for object detection");
        assert_eq!(a.hash64(), b.hash64());
        assert_eq!(PaperKey::hash_of_title("  mamba yolo — ssms based YOLO for object detection. "), a.hash64());
        assert_eq!(PaperKey::hash_of_title("ÉCOLE"), PaperKey::from_title("école").hash64());
        assert_eq!(PaperKey::hash_of_arxiv_id("2403.09043"), PaperKey::from_arxiv_id("2403.09043").hash64());
    }

    #[test]
    fn key_folds_non_ascii_and_keeps_distinct_titles_apart() {
        assert_eq!(PaperKey::from_title("ÉCOLE Ünïcode"), PaperKey::from_title("école ünïcode"));
        assert_ne!(PaperKey::from_title("A Survey of Mamba"), PaperKey::from_title("A Survey on Mamba"));
        assert_eq!(PaperKey::from_title("中文 标题").as_str(), "title:中文 标题");
        assert_eq!(PaperKey::from_title("İx").as_str(), "title:i\u{307}x");
    }

    #[test]
    fn key_of_ascii_titles_is_their_words_lower_cased() {
        // The plain-ASCII path against the rule it implements, on every arrangement of word and non-word
        // bytes up to eight long, and on real titles; the hash agrees with the key.
        let expected = |title: &str| {
            let words: Vec<String> =
                title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
            format!("title:{}", words.join(" "))
        };
        let mut titles: Vec<String> = (0..8u32)
            .flat_map(|len| {
                (0..1u32 << len).map(move |bits| (0..len).map(|k| if bits >> k & 1 == 1 { 'A' } else { '-' }).collect())
            })
            .collect();
        titles.extend(
            ["Mamba YOLO: SSMs-Based YOLO", "  (a)  b.. ", "x", "", "--", "GPT-4o: 2x faster!"].map(String::from),
        );
        // Around the length the plain-ASCII path takes (256 bytes), ending in a word and not.
        for len in 250..=260 {
            titles.push("Ab, ".repeat(len / 4) + &"c".repeat(len % 4));
        }
        // Across groups of eight bytes: every arrangement of a word byte, a space and a colon over 11 bytes
        // (bytes 0, 8, 16 and 24 of each group border another), after a prefix of 0 to 8 letters, and
        // every printable byte in every place of a title.
        for bits in 0..3u32.pow(11) {
            let mut rest = bits;
            let tail: String = (0..11)
                .map(|_| {
                    let c = [b'Q', b' ', b':'][(rest % 3) as usize];
                    rest /= 3;
                    char::from(c)
                })
                .collect();
            titles.push(format!("{}{tail}", &"abcdefgh"[..(bits % 9) as usize]));
        }
        for b in 0x20..0x7fu8 {
            for at in 0..17 {
                let mut title = b"Zeta Quantum Graphs".to_vec();
                title[at] = b;
                titles.push(String::from_utf8(title).unwrap_or_default());
            }
        }
        for title in &titles {
            let key = PaperKey::from_title(title);
            assert_eq!(key.as_str(), expected(title), "{title:?}");
            assert_eq!(PaperKey::hash_of_title(title), key.hash64(), "{title:?}");
        }
    }
}
