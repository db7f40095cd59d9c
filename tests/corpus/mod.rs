//! An evaluation corpus for the text digest's classifier: real and written title/abstract pairs rendered
//! into text digests the way real copies differ, each paragraph's truth kept, and the tally of a parse.
//!
//! The pairs: the built-in digest, the Hugging Face JSON, arXiv feed and metadata fixtures, and papers
//! written for it (`written`). Per paper, at random (a seeded generator, so every run is the same):
//! the abstract cut to one to three sentences, ended with a link, parentheses, a quote, a question, an
//! exclamation or a version string, or missing (also the first, the last, and two in a row); the title
//! ended with `.` or `?`, or made long. Per file: a header or none, CRLF, hard wrapping, extra blank and
//! blank-looking lines, trailing spaces, no final line break.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

mod render;
mod tally;
mod written;

use render::{Layout, render};
pub use tally::{Tally, outcome, parsed};

/// Where a pair comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    BuiltIn,
    Fixture,
    Chinese,
    Japanese,
    Korean,
    Arabic,
    Russian,
    Thai,
    Emoji,
}

/// A title and its abstract, and where the abstract's sentences end (byte offsets).
pub struct Pair {
    pub source: Source,
    pub title: String,
    pub abstract_text: String,
    sentence_ends: Vec<usize>,
}

/// What was done to a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TitleShape {
    AsIs,
    FullStop,
    Question,
    Long,
}

/// What was done to an abstract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AbstractShape {
    Whole,
    /// Cut to this many sentences.
    Cut(usize),
    /// A link after the last sentence.
    Link,
    /// A parenthesis after the last sentence, or before its full stop.
    Parenthesis,
    /// A quotation closing the abstract.
    Quote,
    /// A question as its last sentence.
    Question,
    /// An exclamation as its last sentence.
    Exclamation,
    /// A version string after the last sentence.
    Version,
    /// The last sentence's full stop replaced with a parenthesis, quote or version: no sentence is whole
    /// when it was the only one.
    NoFullStop,
    Missing,
}

/// A paper as rendered: its text, and the lines its paragraphs begin on.
pub struct Truth {
    pub source: Source,
    pub title: String,
    /// Paragraphs joined with a blank line, as the parser joins them; empty when missing.
    pub abstract_text: String,
    pub title_line: usize,
    pub abstract_lines: Vec<usize>,
    pub title_shape: TitleShape,
    pub abstract_shape: AbstractShape,
    /// The abstract holds at least one sentence that ends as a sentence ends.
    pub full_sentence: bool,
}

/// One rendered digest file.
pub struct Rendered {
    pub name: String,
    pub bytes: Vec<u8>,
    pub papers: Vec<Truth>,
}

/// xorshift64: small, and the same corpus every run.
pub struct Random(pub u64);

impl Random {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Every pair: the built-in digest's, the fixtures', and the written ones.
pub fn pairs() -> Vec<Pair> {
    let mut out = Vec::new();
    let mut add = |source: Source, title: &str, abstract_text: &str| {
        let abstract_text = abstract_text.split_whitespace().collect::<Vec<_>>().join(" ");
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() || abstract_text.is_empty() || abstract_text.contains("\n\n") {
            return;
        }
        let sentence_ends = sentence_ends(&abstract_text);
        out.push(Pair { source, title, abstract_text, sentence_ends });
    };
    let built_in = papers::digest::parse_text("built-in", papers::digest::BUILT_IN).expect("built-in digest");
    for paper in built_in.papers() {
        add(Source::BuiltIn, paper.title(), paper.abstract_text());
    }
    let fixtures = [
        "hf-daily-papers.json",
        "hf-daily-papers-day2.json",
        "arxiv-rss.xml",
        "arxiv-api.atom",
        "arxiv-metadata.jsonl",
    ];
    for name in fixtures {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let digest = papers::digest::parse_text(name, &bytes).unwrap_or_else(|e| panic!("{e}"));
        for paper in digest.papers() {
            add(Source::Fixture, paper.title(), paper.abstract_text());
        }
    }
    for &(source, title, abstract_text) in written::WRITTEN {
        add(source, title, abstract_text);
    }
    out
}

/// Where the sentences of `text` end: after `.`, `!`, `?` (and closing quotes or brackets) followed by a
/// space and a capital letter, a digit or a letter of a script without case, or after `。！？` and the
/// Arabic question mark; not after an initial or a common abbreviation. The last sentence ends at the end.
fn sentence_ends(text: &str) -> Vec<usize> {
    const ABBREVIATIONS: [&str; 8] = ["e.g.", "i.e.", "al.", "vs.", "Fig.", "Eq.", "cf.", "etc."];
    let mut ends = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        let wide = matches!(c, '。' | '！' | '？');
        if !(wide || matches!(c, '.' | '!' | '?' | '؟')) {
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && matches!(chars[j].1, '"' | '\'' | ')' | '”' | '’' | '」' | '）') {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |&(at, _)| at);
        let next = if wide {
            chars.get(j).map(|&(_, c)| c)
        } else if chars.get(j).is_some_and(|&(_, c)| c == ' ') {
            chars.get(j + 1).map(|&(_, c)| c)
        } else {
            continue;
        };
        let Some(next) = next else { continue };
        let word_start = text[..at].rfind(' ').map_or(0, |s| s + 1);
        let word = &text[word_start..=at + c.len_utf8() - 1];
        let initial = word.chars().count() == 2 && word.starts_with(char::is_uppercase);
        if !wide && (initial || ABBREVIATIONS.contains(&word)) {
            continue;
        }
        if next.is_uppercase() || next.is_ascii_digit() || (next.is_alphabetic() && !next.is_lowercase()) || wide {
            ends.push(end);
        }
    }
    ends.push(text.len());
    ends.dedup();
    ends
}

/// Endings written per script: a link's lead-in, a parenthesis, a quote, a question and an exclamation.
fn endings(source: Source) -> [&'static str; 5] {
    match source {
        Source::Chinese => {
            ["代码见：", "（已被会议接收）", "我们称之为“稀疏门控”。", "这种方法能否推广到其他任务？", "欢迎试用！"]
        }
        Source::Japanese => [
            "コードは以下で公開：",
            "（国際会議採択）",
            "この手法を「疎ゲート」と呼ぶ。",
            "この手法は他の課題にも使えるだろうか？",
            "ぜひお試しください！",
        ],
        Source::Korean => [
            "코드 공개:",
            "(학회 발표 논문)",
            "우리는 이를 \"희소 게이트\"라고 부른다.",
            "이 방법은 다른 과제에도 통할까?",
            "직접 사용해 보라!",
        ],
        Source::Arabic => [
            "الشيفرة متاحة على:",
            "(مقبول للنشر)",
            "نسمي هذه الطريقة \"البوابة المتفرقة\".",
            "هل يمكن تعميم هذه الطريقة؟",
            "جربوها بأنفسكم!",
        ],
        Source::Russian => [
            "Код доступен по ссылке:",
            "(принято к публикации)",
            "Мы называем его «разреженным затвором».",
            "Можно ли перенести метод на другие задачи?",
            "Попробуйте сами!",
        ],
        Source::Thai => ["โค้ดอยู่ที่", "(ตีพิมพ์แล้ว)", "เราเรียกวิธีนี้ว่า \"ประตูเบาบาง\"", "วิธีนี้ใช้กับงานอื่นได้หรือไม่?", "ลองใช้ดู!"],
        _ => [
            "Code and models are made available at:",
            "(Accepted at the main conference)",
            "We call this method \"sparse gating.\"",
            "Can the same idea work for other tasks?",
            "Try it yourself!",
        ],
    }
}

/// What replaces a sentence's full stop, per script: a parenthesis, a quotation, a version's lead-in.
fn fragment_tails(source: Source) -> [&'static str; 3] {
    match source {
        Source::Chinese => ["（见附录）", "，即“稀疏门控”", "，版本 "],
        Source::Japanese => ["（付録参照）", "、いわゆる「疎ゲート」", "、バージョン "],
        Source::Korean => [" (부록 참조)", " \"희소 게이트\"", " 버전 "],
        Source::Arabic => [" (انظر الملحق)", " \"البوابة المتفرقة\"", " الإصدار "],
        Source::Russian => [" (см. приложение)", " «в реальных условиях»", " в версии "],
        Source::Thai => [" (ดูภาคผนวก)", " \"ในสภาพจริง\"", " รุ่น "],
        _ => [" (see the appendix)", " \"in the wild\"", " in version "],
    }
}

/// Sources whose titles may be joined into one long title: the same script.
fn family(source: Source) -> Source {
    match source {
        Source::Fixture | Source::Emoji => Source::BuiltIn,
        other => other,
    }
}

/// One paper's text and shapes, chosen at random.
struct Chosen {
    source: Source,
    title: String,
    abstract_text: String,
    title_shape: TitleShape,
    abstract_shape: AbstractShape,
    full_sentence: bool,
}

fn choose(pairs: &[Pair], random: &mut Random, missing: bool) -> Chosen {
    let pair = &pairs[random.below(pairs.len())];
    let spaced = !matches!(pair.source, Source::Chinese | Source::Japanese | Source::Thai);
    let (title_shape, title) = match random.below(100) {
        0..=4 => (TitleShape::FullStop, format!("{}.", pair.title.trim_end_matches(['.', '?', '？', '؟']))),
        5..=10 => {
            let mark = match pair.source {
                Source::Chinese | Source::Japanese => "？",
                Source::Arabic => "؟",
                _ => "?",
            };
            (TitleShape::Question, format!("{}{mark}", pair.title.trim_end_matches(['.', '?', '？', '؟'])))
        }
        11..=15 => {
            // Long: the title with a subtitle taken from other titles of the same script, to 30 words
            // and more (to 60 characters and more without spaces).
            let mut title = pair.title.trim_end_matches(['.', '?', '？', '؟']).to_string();
            let long = |t: &str| if spaced { t.split_whitespace().count() >= 30 } else { t.chars().count() >= 60 };
            let mut separator = if spaced { ": " } else { "：" };
            while !long(&title) {
                let other = loop {
                    let other = &pairs[random.below(pairs.len())];
                    if family(other.source) == family(pair.source) {
                        break other;
                    }
                };
                title.push_str(separator);
                title.push_str(other.title.trim_end_matches(['.', '?', '？', '؟']));
                separator = if spaced { ", and " } else { "与" };
            }
            (TitleShape::Long, title)
        }
        _ => (TitleShape::AsIs, pair.title.clone()),
    };
    if missing {
        return Chosen {
            source: pair.source,
            title,
            abstract_text: String::new(),
            title_shape,
            abstract_shape: AbstractShape::Missing,
            full_sentence: false,
        };
    }
    let ends = &pair.sentence_ends;
    let (mut text, mut shape, sentences) = if random.chance(30) {
        let keep = 1 + random.below(3);
        let kept = keep.min(ends.len());
        (pair.abstract_text[..ends[kept - 1]].to_string(), AbstractShape::Cut(kept), kept)
    } else {
        (pair.abstract_text.clone(), AbstractShape::Whole, ends.len())
    };
    // Thai ends its sentences with a space, not a mark: its abstracts are whole sentences, never cut.
    let unmarked = pair.source == Source::Thai;
    let ends_whole = text.ends_with(['.', '!', '?', '。', '！', '？', '؟']);
    let mut full_sentence = ends_whole || sentences > 1 || unmarked;
    let [lead, parenthesis, quote, question, exclamation] = endings(pair.source);
    let space = if spaced { " " } else { "" };
    if random.chance(25) {
        let repo = ["github.com/example/sparse-gate", "huggingface.co/example/model-7b", "example.org/project/v2"];
        let link = format!("https://{}", repo[random.below(repo.len())]);
        match random.below(9) {
            0 | 1 => {
                text = format!("{text}{space}{lead} {link}");
                shape = AbstractShape::Link;
            }
            2 => {
                text = format!("{text} {parenthesis}");
                shape = AbstractShape::Parenthesis;
            }
            3 if spaced && text.ends_with('.') => {
                text = format!("{} (see the appendix).", &text[..text.len() - 1]);
                shape = AbstractShape::Parenthesis;
            }
            4 => {
                text = format!("{text}{space}{quote}");
                shape = AbstractShape::Quote;
            }
            5 => {
                text = format!("{text}{space}{question}");
                shape = AbstractShape::Question;
            }
            6 => {
                text = format!("{text}{space}{exclamation}");
                shape = AbstractShape::Exclamation;
            }
            7 => {
                text = format!("{text} v{}.{}.{}", 1 + random.below(3), random.below(10), random.below(10));
                shape = AbstractShape::Version;
            }
            _ => {
                // The last sentence loses its full stop to a parenthesis, a quote or a version string.
                let cut = text.trim_end_matches(['.', '。', '!', '！']);
                let [parenthesis, quote, version] = fragment_tails(pair.source);
                let tail = match random.below(3) {
                    0 => parenthesis.to_string(),
                    1 => quote.to_string(),
                    _ => format!("{version}{}.{}", 1 + random.below(3), random.below(10)),
                };
                full_sentence = sentences > 1 || unmarked;
                text = format!("{cut}{tail}");
                shape = AbstractShape::NoFullStop;
            }
        }
    }
    Chosen { source: pair.source, title, abstract_text: text, title_shape, abstract_shape: shape, full_sentence }
}

/// Digests of `papers` papers in all, in files of 300 to 700, from `seed`.
pub fn digests(seed: u64, papers: usize) -> Vec<Rendered> {
    let pairs = pairs();
    let mut random = Random(seed | 1);
    let mut files = Vec::new();
    let mut made = 0;
    while made < papers {
        let n = (300 + random.below(400)).min(papers - made).max(1);
        let mut missing = vec![false; n];
        for m in missing.iter_mut() {
            *m = random.chance(3);
        }
        if random.chance(35) {
            missing[0] = true;
        }
        if random.chance(35) {
            missing[n - 1] = true;
        }
        if n > 2 && random.chance(60) {
            let at = random.below(n - 1);
            missing[at] = true;
            missing[at + 1] = true;
        }
        let chosen: Vec<Chosen> = missing.iter().map(|&m| choose(&pairs, &mut random, m)).collect();
        let layout = Layout {
            header: random.chance(50),
            crlf: random.chance(25),
            wrap: random.chance(30).then(|| 40 + random.below(60)),
            extra_blank_lines: random.chance(30),
            trailing_spaces: random.chance(20),
            final_newline: random.chance(80),
        };
        files.push(render(format!("corpus-{}.txt", files.len()), chosen, &layout, &mut random));
        made += n;
    }
    files
}
