//! The prose score: endings, sentences, and the shortcuts agreeing with the whole count.

use super::*;

fn score_of(text: &str) -> i32 {
    let score = prose_score(text);
    // The glances agree with the score.
    assert!(!reads_as_abstract(text) || score == SURELY_PROSE, "{text:?}");
    assert!(!reads_as_title(text) || score <= LOW, "{text:?}");
    score
}

/// The score from every feature counted through, without the shortcuts of `prose_score`.
fn counted_through(text: &str) -> i32 {
    let (full_stops, questions) = sentences(text);
    let end = ending(text);
    let clause_mark = has_clause_mark(text);
    score(end, Counts::of(text, LONG), full_stops, questions, clause_mark, || {
        text.split_whitespace().any(is_sentence_word)
    })
}

fn ending_of(text: &str) -> Ending {
    ending(text)
}

#[test]
fn endings_are_read_past_closing_brackets_and_quotes() {
    assert_eq!(ending_of("We show it (see the appendix)."), Ending::FullStop);
    assert_eq!(ending_of("We call it \u{201c}sparse.\u{201d}"), Ending::FullStop);
    assert_eq!(ending_of("模型很好。"), Ending::FullStop);
    assert_eq!(ending_of("「疎ゲート」と呼ぶ！」"), Ending::FullStop);
    assert_eq!(ending_of("Can it work?"), Ending::Question);
    assert_eq!(ending_of("هل يمكن تعميم هذه الطريقة؟"), Ending::Question);
    assert_eq!(ending_of("Code: https://github.com/x/y"), Ending::Link);
    assert_eq!(ending_of("Code (https://github.com/x/y)."), Ending::Link);
    assert_eq!(ending_of("Mamba YOLO: SSMs-Based YOLO For Object Detection"), Ending::Other);
    assert_eq!(ending_of("We release it as v1.2.0"), Ending::Other);
}

#[test]
fn sentences_end_where_another_begins_not_after_initials_or_abbreviations() {
    assert_eq!(sentences("We propose Foo. It works. Code is released."), (2, 0));
    assert_eq!(sentences("模型很好。我们提出了方法。"), (1, 0));
    assert_eq!(sentences("الجودة. نقدم نموذجا."), (1, 0));
    assert_eq!(sentences("It ends here. v1.2.0"), (1, 0));
    assert_eq!(
        sentences("As J. Smith showed, e.g. in Fig. 3 and et al. (2020), it is 3.5x faster vs. before."),
        (0, 0)
    );
    assert_eq!(sentences("Is Attention All You Need? A Study"), (0, 1));
    // Thai puts a space between sentences.
    assert_eq!(sentences("ภาษาไทยเขียน  ทำให้การตัดคำ GPT ผล"), (1, 0));
}

#[test]
fn titles_and_abstracts_of_every_shape_score_on_their_side() {
    let titles = [
        "Mamba YOLO: SSMs-Based YOLO For Object Detection",
        "Sensing technologies and machine learning methods for emotion recognition in autism: Systematic review",
        "Wide Attention Is The Way Forward For Transformers?",
        "Inception-v4, Inception-ResNet and the Impact of Residual Connections on Learning",
        "基于稀疏注意力的长文本语言模型高效训练方法",
        "图神经网络能否理解分子结构？",
        "Нейросетевой морфологический анализатор для русского языка",
        "การจำแนกข้อความภาษาไทยด้วยโมเดลภาษาขนาดใหญ่",
        "🦙 LlamaFarm: Herding Open Models for Cheap Inference",
    ];
    for title in titles {
        assert!(score_of(title) <= SURELY_TITLE, "{title:?}: {}", score_of(title));
    }
    // A title that ends with a full stop is not surely one, but reads as one.
    let score = score_of("Adding Gradient Noise Improves Learning for Very Deep Networks.");
    assert!((SURELY_TITLE..0).contains(&score), "{score}");
    let abstracts = [
        "We propose a new method. It works on every benchmark we tried.",
        "长文本建模是大型语言模型面临的核心挑战之一。标准自注意力的计算量随序列长度呈平方增长。",
        "On a trace of real chat traffic it cuts the cost. Models are made available at: https://github.com/x/y",
        "Code: https://github.com/x/y",
        "ภาษาไทยเขียนโดยไม่เว้นวรรคระหว่างคำ ทำให้การตัดคำเป็นขั้นตอนที่สำคัญ งานวิจัยนี้เปรียบเทียบวิธีการตัดคำหลายแบบร่วมกับโมเดลภาษาขนาดใหญ่",
    ];
    for text in abstracts {
        assert_eq!(score_of(text), SURELY_PROSE, "{text:?}");
    }
    // A one-sentence abstract is not surely prose, but never surely a title either; nor is a sentence in
    // sentence case that lost its full stop.
    let sentences = [
        "We release our code.",
        "Deep neural network (DNN) inference has become an important part of many data-center workloads.",
        "Skin cancer is one of the most threatening diseases worldwide (see the appendix)",
    ];
    for text in sentences {
        assert!(score_of(text) > SURELY_TITLE, "{text:?}: {}", score_of(text));
    }
}

#[test]
fn the_shortcuts_score_as_the_whole_count_does() {
    // Texts of every shape, cut at every word: the score with its shortcuts equals the one counted through.
    let texts = [
        "We propose Foo. It works on every benchmark we tried, e.g. on three of them. Code: https://x.org/y",
        "Mamba YOLO: SSMs-Based YOLO For Object Detection and Many More Words Than a Title Usually Has in It, \
         which Makes It Long Enough to Be Prose or Not, Depending on How Many Words There Are in the End of It",
        "skin cancer is one of the most threatening diseases worldwide and this sentence goes on and on for a \
         long while without a full stop so that its score rises with every word until it is prose at last",
        "长文本建模是大型语言模型面临的核心挑战之一。标准自注意力的计算量随序列长度呈平方增长，使得训练成本难以承受！",
        "ภาษาไทยเขียนโดยไม่เว้นวรรคระหว่างคำ ทำให้การตัดคำเป็นขั้นตอนที่สำคัญ งานวิจัยนี้",
        "Is it? Yes. No! Maybe (or not). \"Quoted.\" 3.5 v1.2 J. Smith et al. ... ?!",
        "Mamba YOLO: SSMs-Based YOLO For Object Detection - A Study; With Notes, and More: Part 2 * of 3 ~ all",
    ];
    for text in texts {
        let words: Vec<&str> = text.split(' ').collect();
        for n in 1..=words.len() {
            let text = words[..n].join(" ");
            assert_eq!(score_of(&text), counted_through(&text), "{text:?}");
        }
    }
}

#[test]
fn few_spaces_means_fewer_words_than_it_counts() {
    // Whatever the bytes, `few_spaces` is never true of a text of `most + 1` words or more.
    let texts = [
        "a b c d e f g h i j k l m n o p q r s t",
        "a  b  c  d  e  f  g  h  i  j",
        "a\tb\tc\td\te\tf\tg\th\ti\tj\tk\tl\tm\tn\to\tp\tq\tr\ts\tt",
        "one\u{1}two three",
        "模型 模型 模型 模型 模型 模型 模型 模型 模型 模型 模型 模型 模型 模型 模型 模型 模型 模型 模型 模型",
        "",
    ];
    for text in texts {
        for most in 0..25 {
            let words = count_units(text, usize::MAX) / WORD;
            assert!(!few_spaces(text.as_bytes(), most) || words <= most, "{text:?} {most}");
        }
    }
    assert!(few_spaces(b"A Title of Nine Words in All Its Glory", 19));
    assert!(!few_spaces("Ein Titel über alles".as_bytes(), 19), "not ASCII: counted");
}

#[test]
fn a_comma_between_clauses_reads_as_prose_but_a_list_in_a_chinese_title_does_not() {
    // One sentence cut before its full stop, in Chinese and in Japanese: read as prose for its clauses.
    for text in [
        "低资源语言缺乏足够的标注语音数据，导致识别准确率远低于高资源语言（见附录）",
        "大規模言語モデルは、少数の例を提示するだけで新しいタスクを解くことができる（付録参照）",
    ] {
        assert!(has_clause_mark(text), "{text:?}");
        assert!(score_of(text) > SURELY_TITLE, "{text:?}: {}", score_of(text));
    }
    // A Chinese title that lists things with `、` is no clause; nor is a comma at the very end.
    let title = "在资源受限的边缘设备上部署大规模视觉语言模型的量化、剪枝与知识蒸馏联合优化框架";
    assert!(!has_clause_mark(title));
    assert!(!has_clause_mark("扩散模型，"));
    assert!(!has_clause_mark("Plain ASCII, with commas, is no clause of this kind"));
}
