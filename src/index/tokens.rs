//! How text is cut into the words the index keeps: runs of letters and digits, as tantivy's
//! `SimpleTokenizer` cuts them, except in scripts written without spaces between words (Chinese,
//! Japanese; Korean too, whose words carry their particles), where each pair of characters side by side
//! is a word of its own, and the index keeps each character as well. A word of such a script then
//! matches wherever its characters stand together (`推理` in `大语言模型推理加速`: its pairs, one after the
//! other, as a phrase; `猫` as itself), where the whole run of characters was one word before, found only
//! whole, and dropped past 40 bytes.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The tokenizer (see the module's text). With `single`, as the index cuts what it keeps: each character
/// of a run is a word too, at the place of the pair it begins, so that a word of one character is found
/// inside a run, and a pair still follows the pair before it. Without, as a query is cut: a word of
/// several characters its pairs, which must stand one after the other.
#[derive(Clone, Default)]
pub(super) struct Words {
    pub(super) single: bool,
}

/// The words of one text, cut all at once (a title or an abstract is short).
pub(super) struct Cut {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for Words {
    type TokenStream<'a> = Cut;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Cut {
        Cut { tokens: cut(text, self.single), next: 0 }
    }
}

impl TokenStream for Cut {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// True for a character of a script written without spaces between words.
fn unspaced(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'   // Hiragana, Katakana
        | '\u{31f0}'..='\u{31ff}' // Katakana phonetic extensions
        | '\u{3400}'..='\u{4dbf}' // CJK extension A
        | '\u{4e00}'..='\u{9fff}' // CJK unified ideographs
        | '\u{ac00}'..='\u{d7af}' // Hangul syllables
        | '\u{f900}'..='\u{faff}' // CJK compatibility ideographs
        | '\u{20000}'..='\u{2ebef}' // CJK extensions B to F
    )
}

/// The words of `text` (see the module's text), each at its place among them; with `single`, each
/// character of a run of a script without spaces as well (see `Words`).
fn cut(text: &str, single: bool) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut position = 0;
    let mut push = |from: usize, to: usize, position: usize| {
        tokens.push(Token {
            offset_from: from,
            offset_to: to,
            position,
            text: text[from..to].to_string(),
            position_length: 1,
        });
    };
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        if unspaced(c) {
            // A run of them: each pair side by side, or the one character when it stands alone.
            let mut run = vec![(at, c)];
            while let Some(&(next_at, next)) = chars.peek().filter(|&&(_, n)| n.is_alphanumeric() && unspaced(n)) {
                run.push((next_at, next));
                chars.next();
            }
            let end = |i: usize| run[i].0 + run[i].1.len_utf8();
            for i in 0..run.len() {
                let pair = i + 1 < run.len();
                if single || run.len() == 1 {
                    push(run[i].0, end(i), position);
                }
                if pair {
                    push(run[i].0, end(i + 1), position);
                }
                // Every character takes a place, as the index has them: a query's words keep theirs
                // (the last of a run begins no pair, but a word after it comes one place later).
                position += 1;
            }
            continue;
        }
        let mut end = at + c.len_utf8();
        while let Some(&(next_at, next)) = chars.peek().filter(|&&(_, n)| n.is_alphanumeric() && !unspaced(n)) {
            end = next_at + next.len_utf8();
            chars.next();
        }
        push(at, end, position);
        position += 1;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        cut(text, false).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn words_of_spaced_scripts_are_runs_of_letters_and_digits() {
        assert_eq!(words("State-of-the-art GPT-4o, naïve"), ["State", "of", "the", "art", "GPT", "4o", "naïve"]);
        assert!(words(" \t—!").is_empty());
    }

    #[test]
    fn chinese_and_japanese_are_cut_into_pairs_of_characters_side_by_side() {
        assert_eq!(words("大语言模型推理"), ["大语", "语言", "言模", "模型", "型推", "推理"]);
        assert_eq!(words("LLM推理 加速"), ["LLM", "推理", "加速"]);
        assert_eq!(words("の 研究"), ["の", "研究"]);
        // Each at its place, one after the other, so that a word's pairs make a phrase.
        let places: Vec<usize> = cut("大语言 model", false).iter().map(|t| t.position).collect();
        assert_eq!(places, [0, 1, 3]);
        // As the index has them: a word after a run one place after its last character.
        let kept: Vec<usize> = cut("大语言 model", true).iter().map(|t| t.position).collect();
        assert_eq!(kept, [0, 0, 1, 1, 2, 3]);
        // Marks that are not letters end a run.
        assert_eq!(words("ニューラル・ネット"), ["ニュ", "ュー", "ーラ", "ラル", "ネッ", "ット"]);
        let token = &cut("x 推理", false)[1];
        assert_eq!((token.offset_from, token.offset_to), (2, 8));
    }

    #[test]
    fn the_index_keeps_each_character_too_at_the_place_of_the_pair_it_begins() {
        let kept: Vec<(String, usize)> = cut("猫的行 x", true).into_iter().map(|t| (t.text, t.position)).collect();
        let expected = [("猫", 0), ("猫的", 0), ("的", 1), ("的行", 1), ("行", 2), ("x", 3)];
        assert_eq!(kept, expected.map(|(w, p)| (w.to_string(), p)));
    }
}
