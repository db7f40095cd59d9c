//! How text is cut into the words the index keeps: runs of letters and digits, as tantivy's
//! `SimpleTokenizer` cuts them, except in scripts written without spaces between words (Chinese,
//! Japanese; Korean too, whose words carry their particles), where each pair of characters side by side
//! is a word of its own. A word of such a script then matches wherever its characters stand together
//! (`推理` in `大语言模型推理加速`: its pairs, one after the other, as a phrase), where the whole run of
//! characters was one word before, found only whole, and dropped past 40 bytes.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The tokenizer (see the module's text).
#[derive(Clone, Default)]
pub(super) struct Words;

/// The words of one text, cut all at once (a title or an abstract is short).
pub(super) struct Cut {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for Words {
    type TokenStream<'a> = Cut;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Cut {
        Cut { tokens: cut(text), next: 0 }
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

/// The words of `text` (see the module's text), each at its place among them.
fn cut(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut push = |from: usize, to: usize| {
        let position = tokens.len();
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
            while let Some(&(next_at, next)) = chars.peek().filter(|&&(_, n)| unspaced(n)) {
                run.push((next_at, next));
                chars.next();
            }
            let end = |i: usize| run[i].0 + run[i].1.len_utf8();
            if run.len() == 1 {
                push(at, end(0));
            }
            for i in 1..run.len() {
                push(run[i - 1].0, end(i));
            }
            continue;
        }
        let mut end = at + c.len_utf8();
        while let Some(&(next_at, next)) = chars.peek().filter(|&&(_, n)| n.is_alphanumeric() && !unspaced(n)) {
            end = next_at + next.len_utf8();
            chars.next();
        }
        push(at, end);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        cut(text).into_iter().map(|t| t.text).collect()
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
        let places: Vec<usize> = cut("大语言 model").iter().map(|t| t.position).collect();
        assert_eq!(places, [0, 1, 2]);
        let token = &cut("x 推理")[1];
        assert_eq!((token.offset_from, token.offset_to), (2, 8));
    }
}
