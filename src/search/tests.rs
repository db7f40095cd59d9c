//! Ranking, highlighting and narrowing.

use std::sync::Arc;

use super::*;
use crate::digest::{BUILT_IN_NAME, parse_text};
use crate::library::Library;

pub(super) fn built_in() -> Library {
    Library::from_chunks(parse_text(BUILT_IN_NAME, crate::digest::BUILT_IN).unwrap().chunks)
}

pub(super) fn library(titles: &[&str]) -> Library {
    Library::from_papers(titles.iter().map(|t| (t.to_string(), String::new())))
}

/// Ranks every paper of `lib` (or those in `list`) with no filter.
pub(super) fn rank(lib: &Library, query: &str, list: Option<Vec<u32>>) -> Vec<u32> {
    let within = list.map_or(Within::From(0), |l| Within::List(Arc::new(l)));
    let never = AtomicBool::new(false);
    Query::new(query).rank(lib.titles(), &within, Filter::All, &MarkSet::default(), &never).unwrap().order
}

fn titles(lib: &Library, ranked: &[u32]) -> Vec<String> {
    ranked.iter().map(|&i| lib.get(i as usize).title().to_string()).collect()
}

#[test]
fn mamba_ranks_the_two_mamba_papers_first() {
    let lib = built_in();
    let top = titles(&lib, &rank(&lib, "mamba", None)[..2]);
    assert!(top.contains(&"Mamba YOLO: SSMs-Based YOLO For Object Detection".to_string()), "{top:?}");
    assert!(top.contains(&"A Survey of Mamba".to_string()), "{top:?}");
}

/// The first `n` titles `query` ranks in the built-in digest.
fn top(lib: &Library, query: &str, n: usize) -> Vec<String> {
    let ranked = rank(lib, query, None);
    titles(lib, &ranked[..n.min(ranked.len())])
}

#[test]
fn the_built_in_digest_ranks_as_fzf_does() {
    let lib = built_in();
    // A word at a word start beats letters scattered through a longer word.
    assert!(top(&lib, "bert", 1)[0].starts_with("LoRA-BERT:"));
    // A word start beats scattered letters from the title's first word.
    assert!(top(&lib, "les", 1)[0].contains("Forgotten Lessons"));
    assert!(top(&lib, "tas", 1)[0].ends_with("Deep Learning Tasks"));
    assert!(top(&lib, "res", 1)[0].contains("Resource-Constrained"), "{:?}", top(&lib, "res", 3));
    // Equal matches: the shorter title first, as fzf's default tie-break.
    assert_eq!(top(&lib, "mamba", 2), ["A Survey of Mamba", "Mamba YOLO: SSMs-Based YOLO For Object Detection"]);
    // No title holds "ecg" together: its letters scattered through "Electrocardiogram" score as fzf scores
    // them, below titles that hold "ec" together ("Recognition"). Only the abstract says "ECG".
    let ecg = rank(&lib, "ecg", None);
    let review = titles(&lib, &ecg).iter().position(|t| t.contains("Electrocardiogram")).unwrap();
    assert!(review < 15, "{review}");
}

#[test]
fn contiguous_beats_scattered_and_a_whole_word_beats_a_prefix_beats_a_fragment() {
    let lib = library(&["Graphs of Nets", "Paragraphs", "Graph of Nets and more", "Go rather a path"]);
    // A whole word, though longer; a prefix; a fragment; scattered letters.
    assert_eq!(rank(&lib, "graph", None), [2, 0, 1, 3]);
    // A word start wins over a run inside a word even where fzf's score alone would not.
    let lib = library(&["Study Autoencoder", "Multi-Stage"]);
    assert_eq!(rank(&lib, "sta", None), [1, 0]);
    // camelCase boundaries are word starts.
    let lib = library(&["Restnet", "ResNet"]);
    assert_eq!(rank(&lib, "net", None), [1, 0]);
}

#[test]
fn empty_query_keeps_digest_order() {
    let lib = built_in();
    assert_eq!(rank(&lib, "", None), (0..lib.len() as u32).collect::<Vec<_>>());
    assert_eq!(rank(&lib, "   ", Some(vec![5, 2, 9])), [5, 2, 9]);
}

#[test]
fn ties_keep_digest_order() {
    let lib = library(&["Graph Nets a", "Other", "Graph Nets b", "Graph Nets c"]);
    assert_eq!(rank(&lib, "graph nets", None), [0, 2, 3]);
    assert_eq!(rank(&lib, "graph nets", Some(vec![2, 3])), [2, 3]);
}

#[test]
fn terms_match_in_any_order_and_fzf_syntax_works() {
    let lib = library(&["A Survey of Mamba", "Mamba YOLO", "Surveying Graphs"]);
    assert_eq!(rank(&lib, "mamba survey", None), [0]);
    assert_eq!(rank(&lib, "mamba !yolo", None), [0]);
    assert_eq!(rank(&lib, "^surv", None), [2]);
    assert_eq!(titles(&lib, &rank(&lib, "'yolo", None)), ["Mamba YOLO"]);
}

#[test]
fn smart_case_and_folding() {
    let lib = library(&["École Normale", "ÜBER Alles", "ecole", "Über"]);
    // Accents fold away in query and title alike; among equal matches the shorter title comes first.
    assert_eq!(rank(&lib, "école", None), [2, 0]);
    assert_eq!(rank(&lib, "ecole", None), [2, 0]);
    assert_eq!(rank(&lib, "uber", None), [3, 1]);
    // A capital letter makes the term case-sensitive (still folded).
    assert_eq!(rank(&lib, "Über", None), [3]);
    assert_eq!(rank(&lib, "Uber", None), [3]);
    assert_eq!(rank(&lib, "ÜBER", None), [1]);
    assert_eq!(rank(&lib, "Ecole", None), [0]);
}

#[test]
fn folding_matches_what_a_keyboard_types() {
    let lib = library(&[
        "Über die Schrödinger-Gleichung",
        "Kolmogorov–Arnold Networks",
        "Straße der Effizienz",
        "Learning “in the wild”",
        "Other",
    ]);
    assert_eq!(rank(&lib, "uber", None), [0]);
    assert_eq!(rank(&lib, "schrodinger", None), [0]);
    assert_eq!(rank(&lib, "kolmogorov-arnold", None), [1]);
    assert_eq!(rank(&lib, "strasse", None), [2]);
    assert_eq!(rank(&lib, "'\"in", None), [3]);
    // Highlights land on the title's own characters.
    let title = "Kolmogorov–Arnold Networks";
    let hit: String = Query::new("v-a").positions(title).iter().map(|&i| title.chars().nth(i).unwrap()).collect();
    assert_eq!(hit, "v–A");
    let title = "Die Straße";
    let hit: String = Query::new("trasse").positions(title).iter().map(|&i| title.chars().nth(i).unwrap()).collect();
    assert_eq!(hit, "traße");
}

#[test]
fn titles_that_are_not_ascii_rank_the_same_as_bytes_and_as_characters() {
    let titles = [
        "Über 中国镜像站 Mamba: ÉCG Schrödinger–Kolmogorov αβ Networks",
        "中国镜像站Transformer über alles",
        "Straße ﬁnding 123 Δelta-Net “quoted” ÜberMamba",
        "ελληνικά and 日本語 mamba transformer e",
        "Ärger Éa ÆB ø n° 2ª",
    ];
    let mut matched = 0;
    for query in
        ["e", "mamba", "tr", "ub", "uber", "a n", "^ub", "'net", "ss", "'2", "Net", "ma ba", "fin", "!zz e", "ecg"]
    {
        let q = Query::new(query);
        let (mut bytes, mut chars) = (q.matcher(), q.matcher().by_chars());
        for title in titles {
            let key = bytes.rank_key(title, Fields::default);
            assert_eq!(key, chars.rank_key(title, Fields::default), "{query:?} in {title:?}");
            let (first, exact) = bytes.first_key(title, Fields::default).unzip();
            assert_eq!(first.is_some(), key.is_some(), "{query:?} in {title:?}");
            assert!(first >= key && (exact != Some(true) || first == key), "{query:?} in {title:?}");
            matched += usize::from(key.is_some());
        }
    }
    assert!(matched > 40, "{matched}");
}

#[test]
fn positions_are_char_positions_in_the_original_title() {
    let title = "İstanbul Über Mamba";
    let chars: Vec<char> = title.chars().collect();
    let hit: String = Query::new("über").positions(title).iter().map(|&i| chars[i]).collect();
    assert_eq!(hit, "Über");
    let hit: String = Query::new("mamba survey")
        .positions("A Survey of Mamba")
        .iter()
        .map(|&i| "A Survey of Mamba".chars().nth(i).unwrap())
        .collect();
    assert_eq!(hit, "SurveyMamba");
    assert!(Query::new("").positions(title).is_empty());
    assert!(Query::new("zzz").positions(title).is_empty());
}

#[test]
fn authors_and_arxiv_identifiers_are_fields_of_their_own() {
    use crate::library::{Chunk, Meta, Origin, Record};
    let paper = |title: &str, id: &str, authors: &[&str]| Record {
        title: title.into(),
        meta: Meta {
            arxiv_id: Some(id.into()),
            authors: authors.iter().map(|a| a.to_string()).collect(),
            ..Meta::default()
        },
        ..Record::default()
    };
    let mut chunk = Chunk::new(Arc::new(Origin::default()), String::new());
    chunk.push_record(paper("Dynamic Routing Between Capsules", "1710.09829", &["Sara Sabour", "Geoffrey E. Hinton"]));
    chunk.push_record(paper("Long Short-Term Memory", "2406.10037", &["Sepp Hochreiter", "Jürgen Schmidhuber"]));
    chunk.push_record(paper("Search for Hinton particles", "hep-ex/0307015", &["A. Physicist"]));
    let lib = Library::from_chunks([chunk]);
    assert_eq!(rank(&lib, "@schmidhuber", None), [1]);
    assert_eq!(rank(&lib, "@jurgen", None), [1]);
    assert_eq!(rank(&lib, "@hinton", None), [0]);
    assert_eq!(rank(&lib, "hinton", None), [2]);
    assert_eq!(rank(&lib, "@hinton capsule", None), [0]);
    assert_eq!(rank(&lib, "@hinton memory", None), Vec::<u32>::new());
    assert_eq!(rank(&lib, "2406.10037", None), [1]);
    assert_eq!(rank(&lib, "2406.1", None), [1]);
    assert_eq!(rank(&lib, "hep-ex/0307015", None), [2]);
    assert_eq!(rank(&lib, "hep-ex/03", None), [2]);
    assert_eq!(rank(&lib, "1710.0 capsules", None), [0]);
    assert_eq!(rank(&lib, "!@hinton", None), [1, 2]);
}

#[test]
fn names_scored_past_what_two_bytes_hold_keep_their_scores() {
    use crate::library::{Chunk, Meta, Origin, Record};
    // A term of 1500 letters scores a name holding them some 16 a letter: past 32767.
    let long = "a".repeat(1500);
    let names = [long.clone(), "Wei Li".to_string(), format!("{long} b"), format!("b {long}")];
    let mut chunk = Chunk::new(Arc::new(Origin::default()), String::new());
    for (k, name) in names.iter().enumerate() {
        let meta = Meta { authors: vec![name.clone()], ..Meta::default() };
        chunk.push_record(Record { title: format!("Paper {k}"), meta, ..Record::default() });
    }
    let lib = Library::from_chunks([chunk]);
    let titles = lib.titles();
    for query in [format!("@{long}"), "@wei".to_string()] {
        let terms = &Query::new(&query).alternatives[0].terms;
        let scored = names::NameScores::new(terms, titles, 1);
        for (i, name) in names.iter().enumerate() {
            let ids = titles.author_ids(i).expect("the chunk keeps its names");
            let alone = names::name_score(&terms[0], None, name, &mut Vec::new(), &mut fzf::Scratch::default());
            assert_eq!(scored.best(0, ids), Some(alone), "{name:.12} by {query:.12}");
        }
    }
    let alone = names::name_score(
        &Query::new(&format!("@{long}")).alternatives[0].terms[0],
        None,
        &long,
        &mut Vec::new(),
        &mut fzf::Scratch::default(),
    );
    assert!(alone.is_some_and(|score| score > i32::from(i16::MAX)), "{alone:?}: past two bytes");
}

#[test]
fn authors_read_from_their_chunks_names_rank_as_read_from_each_paper() {
    use crate::library::{Chunk, Meta, Origin, Record};
    let names =
        ["Wei Li", "Anna Smith", "Jürgen Schmidhuber", "Søren Kierkegaard", "Geoffrey E. Hinton", "Ľubomír Šmíd"];
    let record = |k: usize, authors: Vec<String>| Record {
        // The second chunk's titles are not all ASCII: a third of them as long as the others' in
        // characters (and of the same authors), longer in bytes.
        title: match (k / PARALLEL_FROM, k % 3) {
            (1, 0) => format!("Paper {k} on gräphs"),
            _ => format!("Paper {k} on {}", ["graphs", "memory", "capsules"][k % 3]),
        },
        meta: Meta { arxiv_id: Some(format!("2401.{k:05}")), authors, ..Meta::default() },
        ..Record::default()
    };
    // Three chunks, enough papers for the threads and for the names to be scored before a search;
    // one paper in four names no one, and the last chunk brings authors to one of those.
    let chunks = (0..3).map(|c| {
        let mut chunk = Chunk::new(Arc::new(Origin::default()), String::new());
        for k in c * PARALLEL_FROM..(c + 1) * PARALLEL_FROM {
            let name = |a: usize| format!("{} {}", names[(k * 7 + a * 3) % names.len()], (k + a) % 50);
            chunk.push_record(record(k, (0..k % 4).map(name).collect()));
        }
        if c == 2 {
            chunk.push_record(record(4, vec!["Zed Merged".into()]));
        }
        chunk
    });
    let lib = Library::from_chunks(chunks);
    let titles = lib.titles();
    assert_eq!(titles.authors(4), ["Zed Merged"], "a copy brought the authors");
    let some: Vec<u32> = (0..lib.len() as u32).filter(|i| i % 997 == 0 || *i == 4).collect();
    for text in [
        "@li",
        "@smith 12",
        "@schmidhuber",
        "@jurgen",
        "@smid",
        "@Li",
        "@li graph",
        "!@hinton",
        "@zed",
        "author:kierkegaard 7",
        "@s",
        "@E",
        "@s !@li",
        "@anna @smith",
        "!@li !@smith",
    ] {
        let mut matcher = Query::new(text).matcher();
        let fields = |i: usize| {
            move || Fields { authors: titles.authors(i), named: None, arxiv_id: titles.arxiv_id(i), title_chars: None }
        };
        let mut one: Vec<(u32, u32)> = (0..lib.len())
            .filter_map(|i| matcher.rank_key(titles.title(i), fields(i)).map(|key| (key, i as u32)))
            .collect();
        one.sort_by_key(|&(key, i)| (std::cmp::Reverse(key), i));
        let one: Vec<u32> = one.into_iter().map(|(_, i)| i).collect();
        assert!(!one.is_empty(), "{text} matches");
        assert_eq!(rank(&lib, text, None), one, "{text}: every paper, the names scored before");
        let few: Vec<u32> = one.iter().copied().filter(|i| some.contains(i)).collect();
        assert_eq!(rank(&lib, text, Some(some.clone())), few, "{text}: a few papers, the names scored as met");
        // Most of the papers, as a search typed on reads the last one's: the names scored before.
        let odd: Vec<u32> = one.iter().copied().filter(|i| i % 2 == 1).collect();
        let list = (1..lib.len() as u32).step_by(2).collect();
        assert_eq!(rank(&lib, text, Some(list)), odd, "{text}: half the papers");
    }
}

#[test]
fn the_sparse_score_is_the_matrix_score() {
    // Every title of the built-in digest, folded as the matcher folds it, against queries of every
    // shape: the score without the matrix (used to rank) equals the one with it (used to highlight).
    let lib = built_in();
    let queries =
        ["e", "tr", "mamba", "deep", "les", "bert", "res", "aaa", "lea", "nn", "ssm", "ecg", "oon", "ing", "xyz"];
    let mut scratch = fzf::Scratch::default();
    let mut positions = Vec::new();
    let mut compared = 0;
    for i in 0..lib.len() {
        let title: Vec<char> = fold(lib.get(i).title()).chars().collect();
        for query in queries {
            let pattern: Vec<char> = query.chars().collect();
            let fast = fzf::fuzzy(&title, &pattern, false, &mut scratch, None, None);
            let full = fzf::fuzzy(&title, &pattern, false, &mut scratch, Some(&mut positions), None);
            assert_eq!(fast, full, "{query:?} in {:?}", lib.get(i).title());
            compared += usize::from(full.is_some());
        }
    }
    assert!(compared > 300, "{compared}");
}

#[test]
fn a_title_with_latex_is_found_as_written_and_as_drawn() {
    let lib =
        library(&[r"$\alpha$-DPO: Adaptive Reward Margin", "Alpha Zero Again", r"Attention in $\mathcal{O}(n^2)$"]);
    // As written: `alpha` is in both the command and the plain title.
    assert_eq!(rank(&lib, "'alpha", None).len(), 2);
    // As drawn: the Greek letter, and the script O with its superscript.
    assert_eq!(rank(&lib, "α-dpo", None), [0]);
    assert_eq!(rank(&lib, "𝒪(n²)", None), [2]);
    // A title without markup is scored once, as before: the same key as the matcher gives it alone.
    let mut matcher = Query::new("alpha").matcher();
    assert_eq!(matcher.score("Alpha Zero Again"), Query::new("alpha").matcher().score("Alpha Zero Again"));
}

#[test]
fn a_letter_scored_in_each_name_byte_by_byte_scores_as_fzf() {
    // Every name of up to five bytes of letters in both cases, a digit, a space and punctuation: every
    // place a letter can start a word, follow a camel hump, or sit inside one.
    let alphabet = b"sSa1 -.";
    let mut names = vec![Vec::new()];
    for _ in 0..5 {
        let longer: Vec<Vec<u8>> = names
            .iter()
            .filter(|n| n.len() == names.last().map_or(0, Vec::len))
            .flat_map(|n| alphabet.iter().map(move |&b| [&n[..], &[b]].concat()))
            .collect();
        names.extend(longer);
    }
    assert_eq!(names.len(), (0..=5).map(|k| 7usize.pow(k)).sum::<usize>());
    let (mut matched, mut scores) = (0, std::collections::BTreeSet::new());
    for query in ["@s", "@S", "@a", "@1"] {
        let term = &Query::new(query).alternatives[0].terms[0];
        let c = u8::try_from(term.chars[0]).expect("ASCII");
        for name in &names {
            let name = std::str::from_utf8(name).expect("ASCII");
            let fzf = names::name_score(term, None, name, &mut Vec::new(), &mut fzf::Scratch::default());
            assert_eq!(names::one_score(c, !term.respect_case, name.as_bytes()), fzf, "{query} in {name:?}");
            matched += usize::from(fzf.is_some());
            scores.extend(fzf);
        }
    }
    assert!(matched > 20_000 && scores.len() >= 4, "{matched} names matched, scores {scores:?}");
}
