//! How much a paragraph reads as an abstract rather than a title: its length, how it ends, its sentences, its case.
//!
//! The score is in points: below zero a title, above zero prose, each point as much evidence as the next.
//! What it weighs, as a reader would:
//! - **Length**, in words and, for scripts written without spaces (Chinese, Japanese, Thai…), in
//!   characters by their display width: two Chinese characters or four Thai ones make about a word.
//!   Half a point a word to 40 words (titles run to 30 words and more), two a word past that.
//! - **The ending**, past closing brackets and quotes: a sentence's full stop in any script (`.` `!` `。`
//!   `！`…) makes a title unlikely but not impossible (-35 where a bare ending is -70), a question mark less
//!   so (-60); a link at the end is never a title's.
//! - **Sentences**: a sentence mark followed by another sentence (not after an initial or an abbreviation
//!   such as "e.g."; in Thai and its neighbours, a space between letters): +30, +15 for a second, +10 for
//!   a question. Two sentences that end as sentences do, eight words or more, are prose.
//! - **Case**, where the script has it: most longer words capitalised (Title Case) -10, few +10.
//!
//! Where the score alone is not enough, the paragraphs around it decide (see `papers`). Scores are held
//! within `SURELY_TITLE` and `SURELY_PROSE`, past which a paragraph is what it is wherever it stands, so
//! the common cases are settled from the start and the end of a paragraph: an abstract is not read to its
//! end, nor counted past eight words.

use super::papers::{SURELY_PROSE, SURELY_TITLE};
use super::words::{Counts, WORD, count_units, spaces_sentences};

/// What a comma between the clauses of a Chinese or Japanese sentence adds (see `has_clause_mark`).
const CLAUSE: i32 = 25;

/// From this length on, a paragraph is prose (the score reaches `SURELY_PROSE` whatever else it has).
const LONG: usize = 100 * WORD;

/// Characters that close a sentence: Latin, CJK (full-width), Arabic, Devanagari, Ethiopic.
fn is_full_stop(c: char) -> bool {
    matches!(c, '.' | '!' | '。' | '！' | '．' | '‼' | '۔' | '।' | '॥' | '።' | '｡')
}

fn is_question_mark(c: char) -> bool {
    matches!(c, '?' | '？' | '؟' | '⁇' | '⁈' | '⁉')
}

/// Brackets and quotes that may close a sentence after its mark (`(as shown.)`, `“quoted.”`).
fn is_closer(c: char) -> bool {
    matches!(
        c,
        ')' | ']' | '}' | '"' | '\'' | '”' | '’' | '»' | '›' | '」' | '』' | '）' | '］' | '】' | '〕' | '〉' | '》'
    )
}

fn is_opener(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '"' | '\'' | '“' | '‘' | '«' | '‹' | '「' | '『' | '（' | '［' | '【' | '〔' | '〈' | '《'
    )
}

/// How a paragraph ends, past closing brackets and quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    FullStop,
    Question,
    /// The last word is a link (`https://…`, `www.…`).
    Link,
    Other,
}

fn ending(text: &str) -> Ending {
    let bytes = text.as_bytes();
    if is_link(last_word(bytes)) {
        return Ending::Link;
    }
    let last = match bytes.last() {
        // Most often an ASCII letter or a full stop.
        Some(&b) if b.is_ascii() && !b")]}\"'".contains(&b) => Some(char::from(b)),
        _ => text.trim_end_matches(is_closer).chars().next_back(),
    };
    match last {
        Some(c) if is_full_stop(c) => Ending::FullStop,
        Some(c) if is_question_mark(c) => Ending::Question,
        _ => Ending::Other,
    }
}

/// The last word of a paragraph: after its last space or tab (its lines are joined with spaces).
fn last_word(bytes: &[u8]) -> &[u8] {
    &bytes[bytes.iter().rposition(|&b| b == b' ' || b == b'\t').map_or(0, |i| i + 1)..]
}

/// `word` without the opening brackets and quotes of ASCII before it.
fn without_openers(word: &[u8]) -> &[u8] {
    &word[word.iter().take_while(|b| b"([{<\"'".contains(b)).count()..]
}

/// True when `word` is a link: `www.…`, or two letters or more, `://` and more.
fn is_link(word: &[u8]) -> bool {
    let word = without_openers(word);
    // A colon is looked for first: most last words have none, and a substring searcher costs more to
    // build than this whole check.
    word.starts_with(b"www.")
        || memchr::memchr_iter(b':', word).any(|colon| {
            let scheme = word[..colon].iter().rev().take_while(|b| b.is_ascii_alphabetic()).count();
            word[colon + 1..].starts_with(b"//") && scheme >= 2 && word.len() > colon + 5
        })
}

/// The score of a paragraph (see the module), from `SURELY_TITLE` to `SURELY_PROSE`.
pub(super) fn prose_score(text: &str) -> i32 {
    if reads_as_abstract(text) {
        return SURELY_PROSE;
    }
    let end = ending(text);
    if end == Ending::Link || (end == Ending::FullStop && two_sentences(text)) {
        return SURELY_PROSE;
    }
    let counts = Counts::of(text, LONG);
    // A title is counted through (it is short), but looked through for sentences only when it has a mark.
    let marks =
        memchr::memchr3(b'.', b'!', b'?', text.as_bytes()).is_some() || (!text.is_ascii() && has_other_marks(text));
    let (full_stops, questions) = if end == Ending::Other && !marks { (0, 0) } else { sentences(text) };
    score(end, counts, full_stops, questions, has_clause_mark(text), || text.split_whitespace().any(is_sentence_word))
}

/// True when `text` has a comma between clauses with more after it: a full-width one (`，`), or in Japanese
/// (a text with hiragana) an ideographic one (`、`), which in Chinese lists things, as titles may.
/// Titles seldom have a clause of their own, hence a hint, not proof.
fn has_clause_mark(text: &str) -> bool {
    if text.is_ascii() {
        return false;
    }
    let text = text.trim_end();
    let japanese = || text.chars().any(|c| matches!(c, '\u{3041}'..='\u{309f}'));
    let before_end = |mark: char| text.find(mark).is_some_and(|at| at + mark.len_utf8() < text.len());
    before_end('，') || (before_end('、') && japanese())
}

/// True for most abstracts: a paragraph that ends with a full stop (of ASCII) and has eight words or more,
/// and a sentence before the last. It scores `SURELY_PROSE`, found from its start and its end alone.
pub(super) fn reads_as_abstract(text: &str) -> bool {
    text.as_bytes().last().is_some_and(|&b| b == b'.' || b == b'!') && two_sentences(text)
}

/// Eight words or more, and a full stop that another sentence follows.
fn two_sentences(text: &str) -> bool {
    count_units(text, 8 * WORD) >= 8 * WORD && has_sentence_break(text)
}

/// True for most titles: a paragraph of fewer than 20 words that ends with an ASCII letter, digit or other
/// mark that ends no sentence and closes nothing (`:` `-` `*`…), not in a link. It scores at most `LOW`
/// (none of its features can add more), found from its end and its length alone.
pub(super) fn reads_as_title(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.last().is_some_and(|b| b.is_ascii_graphic() && !b".!?)]}\"'".contains(b))
        && !is_link(last_word(bytes))
        && (bytes.len() < 39 || few_spaces(bytes, 19) || count_units(text, 20 * WORD) < 20 * WORD)
}

/// True when `bytes` are ASCII with fewer than `most` spaces and other whitespace: fewer than `most + 1`
/// words, each after the first following a space, found in one pass the compiler can run many bytes to an
/// instruction (most titles), where `count_units` finds where each word starts.
fn few_spaces(bytes: &[u8], most: usize) -> bool {
    // Counted in bytes, 32 at a time (a byte counter per lane; a wider one takes four times the
    // instructions), the last few padded with a letter, which is neither.
    let (mut spaces, mut any) = (0usize, 0u8);
    let mut count = |chunk: &[u8; 32]| {
        let mut n = 0u8;
        for &b in chunk {
            n += u8::from(b <= b' ');
            any |= b;
        }
        spaces += usize::from(n);
    };
    let mut chunks = bytes.chunks_exact(32);
    for chunk in &mut chunks {
        count(chunk.try_into().unwrap_or(&[0; 32]));
    }
    let mut last = [b'a'; 32];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    count(&last);
    any < 0x80 && spaces < most
}

/// The most a paragraph that `reads_as_title` can score: -70, half a point a word for 19 words, every
/// sentence and question, and the more of what case adds (sentence case and a word that sentences have)
/// and what a clause mark adds, which never come together.
pub(super) const LOW: i32 = -70 + 19 / 2 + 45 + 10 + if CLAUSE > 25 { CLAUSE } else { 25 };

/// A paragraph that is a title wherever it stands.
pub(super) fn is_surely_title(text: &str) -> bool {
    prose_score(text) <= SURELY_TITLE
}

/// The score (see the module) of a paragraph that ends with `end`, has `counts`, and has `full_stops`
/// sentences followed by another and `questions` questions followed by another. `sentence_word` is asked
/// only where it counts.
fn score(
    end: Ending,
    counts: Counts,
    full_stops: usize,
    questions: usize,
    clause_mark: bool,
    sentence_word: impl Fn() -> bool,
) -> i32 {
    let units = counts.units;
    let sure = match end {
        Ending::Link => true,
        Ending::FullStop => full_stops > 0 && units >= 8 * WORD,
        _ => full_stops > 0 && units >= 20 * WORD,
    };
    if sure || units >= LONG {
        return SURELY_PROSE;
    }
    let (base, per_word) = match end {
        Ending::FullStop => (-35, 10),
        Ending::Question => (-60, 8),
        _ => (-70, 8),
    };
    // Half a point a word (a little less before a full stop) to 40 words, two points a word past that.
    let mut score = base + (units.min(40 * WORD) / per_word) as i32 + (units.saturating_sub(40 * WORD) / 2) as i32;
    score += match full_stops {
        0 => 0,
        1 => 30,
        _ => 45,
    };
    if questions > 0 {
        score += 10;
    }
    let Counts { cased, capitalised, .. } = counts;
    if cased >= 3 && capitalised * 10 >= cased * 6 {
        score -= 10;
    } else if cased >= 3 && capitalised * 10 <= cased * 3 {
        // Sentence case; and a question reads as a title as often as not, whatever its words.
        score += 10;
        if end != Ending::Question && sentence_word() {
            score += 15;
        }
    } else if cased < 3 && clause_mark {
        // Only where case says nothing, so no paragraph gains both (see `LOW`).
        score += CLAUSE;
    }
    score.clamp(SURELY_TITLE, SURELY_PROSE)
}

/// How many sentences of `text` end with a full stop and with a question mark and are followed by another
/// (see `breaks_after`), or in Thai and its neighbours are followed by a space and another sentence.
fn sentences(text: &str) -> (usize, usize) {
    let (mut full_stops, mut questions) = (0, 0);
    let (mut last, mut spaced) = (' ', false);
    for (at, c) in text.char_indices() {
        if c.is_whitespace() {
            spaced = true;
            continue;
        }
        if is_full_stop(c) && breaks_after(text, at, c) || spaced && spaces_sentences(last) && spaces_sentences(c) {
            full_stops += 1;
        } else if is_question_mark(c) && breaks_after(text, at, c) {
            questions += 1;
        }
        (last, spaced) = (c, false);
    }
    (full_stops, questions)
}

/// Words that sentences have and titles seldom do, in English: pronouns, forms of "be" and "have",
/// demonstratives, "the". Asked only of a paragraph in sentence case.
const SENTENCE_WORDS: [&str; 22] = [
    "are", "be", "been", "can", "had", "has", "have", "is", "it", "its", "our", "that", "the", "their", "these",
    "they", "this", "us", "was", "we", "were", "which",
];

fn is_sentence_word(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    word.len() <= 5 && SENTENCE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// True when the sentence mark `mark` at byte `at` of `text` ends a sentence that another follows: past
/// closing brackets and quotes, a space and a letter or digit (perhaps after an opening bracket or
/// quote); after a full-width mark, or before a letter of a script without case, no space is needed. Not
/// after an initial ("J. Smith") or an abbreviation ("e.g.", "et al.", "Fig."): those are followed by
/// more of the same sentence.
fn breaks_after(text: &str, at: usize, mark: char) -> bool {
    let bytes = text.as_bytes();
    let mut after = at + mark.len_utf8();
    while bytes.get(after).is_some_and(|b| b")]}\"'".contains(b)) {
        after += 1;
    }
    // Most often: a space, and an ASCII letter or digit.
    let next = if bytes.get(after) == Some(&b' ') && bytes.get(after + 1).is_some_and(u8::is_ascii_alphanumeric) {
        true
    } else {
        let mut rest = text[after..].trim_start_matches(is_closer).chars().peekable();
        let spaced = rest.next_if(|c| c.is_whitespace()).is_some();
        let wide = matches!(mark, '。' | '！' | '？' | '．' | '｡');
        while rest.next_if(|c| c.is_whitespace() || is_opener(*c)).is_some() {}
        let Some(next) = rest.next() else { return false };
        let uncased = next.is_alphabetic() && !next.is_lowercase() && !next.is_uppercase();
        next.is_alphanumeric() && (spaced || wide || uncased)
    };
    next && (mark != '.' || !is_abbreviation(&bytes[..at]))
}

/// True when the word that ends `before` (just before a full stop) is an initial or an abbreviation.
fn is_abbreviation(before: &[u8]) -> bool {
    let word = without_openers(last_word(before));
    let one_letter = match word {
        [] => return false,
        [b] => b.is_ascii_alphabetic(),
        [first, ..] if word.len() <= 4 && !first.is_ascii() => {
            let mut chars = std::str::from_utf8(word).unwrap_or_default().chars();
            chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
        }
        _ => false,
    };
    // An initial; "e.g", "i.e", "U.S": a word with a full stop inside; or a word on the list.
    one_letter || word.contains(&b'.') || {
        let mut lower = [0u8; 6];
        let short = word.len() <= lower.len();
        for (l, b) in lower.iter_mut().zip(word) {
            *l = b.to_ascii_lowercase();
        }
        short
            && matches!(
                &lower[..word.len()],
                b"al"
                    | b"approx"
                    | b"ca"
                    | b"cf"
                    | b"co"
                    | b"dr"
                    | b"eq"
                    | b"eqs"
                    | b"fig"
                    | b"figs"
                    | b"inc"
                    | b"incl"
                    | b"jr"
                    | b"ltd"
                    | b"mr"
                    | b"mrs"
                    | b"ms"
                    | b"no"
                    | b"nos"
                    | b"pp"
                    | b"prof"
                    | b"ref"
                    | b"resp"
                    | b"sec"
                    | b"st"
                    | b"viz"
                    | b"vs"
            )
    }
}

/// True when `text` has a full stop that another sentence follows (see `breaks_after`).
fn has_sentence_break(text: &str) -> bool {
    let bytes = text.as_bytes();
    if memchr::memchr2_iter(b'.', b'!', bytes).any(|at| breaks_after(text, at, bytes[at] as char)) {
        return true;
    }
    !text.is_ascii() && text.char_indices().any(|(at, c)| !c.is_ascii() && is_full_stop(c) && breaks_after(text, at, c))
}

/// True when `text` has a sentence mark that is not ASCII, or a space after a letter of a script that
/// spaces its sentences.
fn has_other_marks(text: &str) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let mark = !c.is_ascii() && (is_full_stop(c) || is_question_mark(c));
        if mark || (spaces_sentences(c) && chars.peek().is_some_and(|c| c.is_whitespace())) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests;
