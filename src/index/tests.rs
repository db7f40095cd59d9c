use super::*;
use crate::library::{Chunk, Library, Origin};

fn batch_of(library: &Library) -> Batch {
    Batch { chunks: library.chunks_from(0), merged: Vec::new() }
}

fn library() -> Library {
    Library::from_papers([
        (
            "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
            "We introduce a selective state space model that scales linearly with sequence length.",
        ),
        (
            "Distilling Reasoning into Small Models",
            "We distil the reasoning of a large teacher into a 1B model with chain of thought.",
        ),
        (
            "A Survey of Mamba",
            "State space models such as Mamba are a strong alternative to transformers for long sequences.",
        ),
        (
            "Vision Transformers at Scale",
            "Transformers for image recognition at scale, trained on large vision datasets.",
        ),
    ])
}

fn keys_of(library: &Library, hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .map(|h| library.find_hash(h.key).map_or("gone".to_string(), |i| library.get(i).title().to_string()))
        .collect()
}

fn search(index: &mut Index, library: &Library, text: &str) -> Vec<String> {
    keys_of(library, &index.search(&TextQuery::new(text), 10).unwrap())
}

#[test]
fn words_phrases_exclusions_and_authors_find_their_papers() {
    let library = library();
    let mut index = Index::in_memory().unwrap();
    assert_eq!(index.take(&batch_of(&library)).unwrap(), Taken { kept: 0, added: 4 });
    // Nothing is searchable before the commit.
    assert!(search(&mut index, &library, "mamba").is_empty());
    index.commit().unwrap();
    assert_eq!(
        search(&mut index, &library, "mamba"),
        ["A Survey of Mamba", "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"]
    );
    // Words in another form (stems), and every word is needed.
    assert_eq!(search(&mut index, &library, "distilled 1B"), ["Distilling Reasoning into Small Models"]);
    assert_eq!(
        search(&mut index, &library, r#""state space" -survey"#),
        ["Mamba: Linear-Time Sequence Modeling with Selective State Spaces"]
    );
    assert_eq!(search(&mut index, &library, r#""space state""#), Vec::<String>::new());
    assert!(search(&mut index, &library, "-mamba").is_empty());
    // `OR` (or `|`) between alternatives, each of its own words and exclusions; "or" alone is a word.
    let mut either = search(&mut index, &library, "distilled OR vision -survey");
    either.sort();
    assert_eq!(either, ["Distilling Reasoning into Small Models", "Vision Transformers at Scale"]);
    let mut either = search(&mut index, &library, r#"teacher | "state space" -survey"#);
    either.sort();
    assert_eq!(
        either,
        ["Distilling Reasoning into Small Models", "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"]
    );
    assert!(search(&mut index, &library, "distilled or vision").is_empty(), "or in lower case is a word");
    assert!(search(&mut index, &library, "OR").is_empty() && TextQuery::new("OR |").is_empty());
    assert!(TextQuery::new("-mamba OR -vision").is_empty());
    assert!(!TextQuery::new("-mamba OR vision").is_empty());
}

#[test]
fn a_paper_indexed_with_the_same_text_is_kept_and_a_changed_one_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    {
        let (mut index, message) = Index::open(dir.path()).unwrap();
        assert_eq!(message, None);
        index.take(&batch_of(&library)).unwrap();
        index.commit().unwrap();
    }
    let (mut index, message) = Index::open(dir.path()).unwrap();
    assert_eq!(message, None);
    // Before the library is taken in, nothing is live: an index never answers with papers not checked.
    assert!(search(&mut index, &library, "mamba").is_empty());
    let changed = Library::from_papers([("A Survey of Mamba", "Now about gardens.")]);
    assert_eq!(index.take(&batch_of(&changed)).unwrap(), Taken { kept: 0, added: 1 });
    index.commit().unwrap();
    assert_eq!(search(&mut index, &changed, "gardens"), ["A Survey of Mamba"]);
    // The old text is gone, and the other papers, in the index but not in this library, never show.
    assert!(search(&mut index, &changed, "transformers").is_empty());
    assert_eq!(index.documents(), 4);
    assert_eq!(index.take(&batch_of(&library)).unwrap(), Taken { kept: 3, added: 1 });
}

#[test]
fn a_damaged_index_or_one_of_another_version_is_built_again() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    {
        let (mut index, _) = Index::open(dir.path()).unwrap();
        index.take(&batch_of(&library)).unwrap();
        index.commit().unwrap();
    }
    std::fs::write(dir.path().join("meta.json"), b"{ not json").unwrap();
    let (mut index, message) = Index::open(dir.path()).unwrap();
    assert!(message.is_some_and(|m| m.contains("damaged")));
    assert_eq!(index.take(&batch_of(&library)).unwrap(), Taken { kept: 0, added: 4 });
    index.commit().unwrap();
    drop(index);
    std::fs::write(dir.path().join(store::MARKER), b"0\n").unwrap();
    let (index, message) = Index::open(dir.path()).unwrap();
    assert!(message.is_some_and(|m| m.contains("another version")));
    assert_eq!(index.documents(), 0);
}

/// Files that go bad after the index was opened show only when a search reads them: tantivy fails
/// with an error that says so, or panics. The search then says the index is damaged, no hook prints the
/// panic, and the index is built again when next opened.
#[test]
fn damage_found_while_searching_is_said_and_the_index_built_again_when_next_opened() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let (mut index, _) = Index::open(dir.path()).unwrap();
    index.take(&batch_of(&library)).unwrap();
    index.commit().unwrap();
    assert_eq!(search(&mut index, &library, "mamba").len(), 2);
    // The hook that tells where a panic was, as the program has it.
    crate::panics::install();
    // A panic in papers' own code is a bug: said as one, the index left as it is.
    let panicked = index.guarded(|_| -> Result<(), Fault> { panic!("a bug of the search") });
    let why = panicked.unwrap_err();
    assert!(why.contains("a bug in papers (a bug of the search, panicked at src/index/tests.rs"), "{why}");
    assert!(!dir.path().join("papers-index-damaged").exists());
    // A panic in tantivy, as a term dictionary read past its end gave: a field it does not have.
    let panicked = index.guarded(|_| -> Result<(), Fault> {
        let schema = tantivy::schema::Schema::builder().build();
        let _ = schema.get_field_name(tantivy::schema::Field::from_field_id(9));
        Ok(())
    });
    let why = panicked.unwrap_err();
    assert!(why.starts_with(DAMAGED) && why.contains("index out of bounds: the len is 0 but the index is 9"), "{why}");
    assert!(why.ends_with("it is built again the next time papers opens it"), "{why}");
    drop(index);
    let (mut index, message) = Index::open(dir.path()).unwrap();
    let message = message.unwrap_or_default();
    assert!(message.contains("found damaged while searching (index out of bounds: the len is 0"), "{message}");
    assert_eq!(index.documents(), 0, "built again");
    index.take(&batch_of(&library)).unwrap();
    index.commit().unwrap();
    drop(index);
    // Once built again, it is opened as it is.
    let (mut index, message) = Index::open(dir.path()).unwrap();
    assert_eq!(message, None);
    assert_eq!(index.take(&batch_of(&library)).unwrap(), Taken { kept: 4, added: 0 });
    assert_eq!(search(&mut index, &library, "mamba").len(), 2);
    drop(index);
    // The term dictionary of each segment overwritten: tantivy says its data is corrupted.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "term") {
            let mut bytes = std::fs::read(&path).unwrap();
            let n = bytes.len().min(256);
            bytes[..n].fill(0xff);
            std::fs::write(&path, bytes).unwrap();
        }
    }
    let (mut index, _) = Index::open(dir.path()).unwrap();
    index.take(&batch_of(&library)).unwrap();
    let failed = index.search(&TextQuery::new("mamba"), 10).unwrap_err();
    assert!(failed.starts_with(DAMAGED), "{failed}");
    drop(index);
    let (index, message) = Index::open(dir.path()).unwrap();
    assert!(message.is_some_and(|m| m.contains("found damaged while searching")));
    assert_eq!(index.documents(), 0, "built again");
}

#[test]
fn a_second_process_reads_while_the_first_writes() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let (mut first, _) = Index::open(dir.path()).unwrap();
    first.take(&batch_of(&library)).unwrap();
    first.commit().unwrap();
    let (mut second, message) = Index::open(dir.path()).unwrap();
    assert!(message.is_some_and(|m| m.contains("another papers")), "the lock is held");
    assert!(!second.writable());
    assert_eq!(second.take(&batch_of(&library)).unwrap(), Taken { kept: 4, added: 0 });
    assert_eq!(search(&mut second, &library, "mamba").len(), 2);
    let new = Library::from_papers([("A Paper Not Indexed", "Nowhere yet.")]);
    assert!(second.take(&batch_of(&new)).is_err());
    // The first indexes it; the second sees it once it reads the index again, and never indexes it twice.
    first.take(&batch_of(&new)).unwrap();
    first.commit().unwrap();
    second.refresh().unwrap();
    assert_eq!(second.take(&batch_of(&new)).unwrap(), Taken { kept: 1, added: 0 });
    assert_eq!(search(&mut second, &new, "nowhere"), ["A Paper Not Indexed"]);
    drop(first);
    second.take_writer().unwrap();
    assert_eq!(second.take(&batch_of(&library)).unwrap(), Taken { kept: 4, added: 0 });
    assert_eq!(second.documents(), 5);
}

#[test]
fn similar_papers_come_most_alike_first_without_the_paper_itself() {
    let library = library();
    let mut index = Index::in_memory().unwrap();
    index.take(&batch_of(&library)).unwrap();
    index.commit().unwrap();
    let mamba = library.get(0);
    let hits = index.similar(&Doc::of(&mamba), 3).unwrap();
    assert_eq!(keys_of(&library, &hits)[0], "A Survey of Mamba");
    assert!(!keys_of(&library, &hits).contains(&mamba.title().to_string()));
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(hits.iter().all(|h| (0.0..=1.0).contains(&h.score)), "{hits:?}");
}

#[test]
fn merged_papers_are_taken_as_the_library_has_them() {
    let mut library = Library::from_papers([("Lossless Checkpoint Compression", "")]);
    library.add_chunk(Chunk::from_papers(
        Origin::default(),
        [("Lossless Checkpoint Compression", "Delta codes learned for checkpoints.")],
    ));
    let touched = library.take_touched();
    assert_eq!(touched, [0]);
    let merged = touched.iter().map(|&i| (i, OwnedDoc::of(&library.get(i)))).collect();
    let batch = Batch { chunks: library.chunks_from(0), merged };
    let mut seen = Vec::new();
    batch.for_each(|doc| seen.push(doc.abstract_text.to_string()));
    assert_eq!(seen, ["Delta codes learned for checkpoints."]);
    assert_eq!(batch.split().len(), 2);
}

/// Words of Chinese and Japanese, written without spaces, are found inside a run of characters.
#[test]
fn a_word_of_chinese_or_japanese_is_found_inside_the_run_it_stands_in() {
    let library = Library::from_papers([
        ("基于注意力机制的大语言模型推理加速方法研究", "本文研究大语言模型的推理加速。"),
        ("拡散モデルによる画像生成の研究", "拡散モデルを用いた高品質な画像生成手法を提案する。"),
        ("Attention Is All You Need", "The dominant sequence transduction models are based on attention."),
    ]);
    let mut index = Index::in_memory().unwrap();
    index.take(&batch_of(&library)).unwrap();
    index.commit().unwrap();
    let chinese = "基于注意力机制的大语言模型推理加速方法研究";
    assert_eq!(search(&mut index, &library, "推理"), [chinese]);
    assert_eq!(search(&mut index, &library, "大语言模型"), [chinese]);
    assert_eq!(search(&mut index, &library, "注意力"), [chinese]);
    assert_eq!(search(&mut index, &library, "画像生成"), ["拡散モデルによる画像生成の研究"]);
    // Characters that are not side by side in it do not match as a word; one alone does, inside a run.
    assert!(search(&mut index, &library, "推加").is_empty());
    assert_eq!(search(&mut index, &library, "推"), [chinese]);
    assert_eq!(search(&mut index, &library, "像"), ["拡散モデルによる画像生成の研究"]);
    let mut highlighter = crate::index::Highlighter::new(&TextQuery::new("推"));
    assert_eq!(highlighter.ranges("模型推理"), vec![6..9]);
    // A word of three characters is highlighted whole (its pairs overlap).
    let mut highlighter = crate::index::Highlighter::new(&TextQuery::new("注意力"));
    assert_eq!(highlighter.ranges("基于注意力机制"), vec![6..15]);
    // A run and a word after it, in one phrase, as the title has them.
    assert_eq!(search(&mut index, &library, "机制的大语言模型"), [chinese]);
    let mixed = Library::from_papers([("基于BERT的文本分类", "")]);
    let mut other = Index::in_memory().unwrap();
    other.take(&batch_of(&mixed)).unwrap();
    other.commit().unwrap();
    assert_eq!(search(&mut other, &mixed, "基于BERT"), ["基于BERT的文本分类"]);
    assert_eq!(search(&mut other, &mixed, r#""于BERT的文""#), ["基于BERT的文本分类"]);
    assert_eq!(search(&mut index, &library, "attention"), ["Attention Is All You Need"]);
}

/// An index found damaged while another papers writes it is not cleared under that one (two writers
/// into files gone): the next papers that opens it alone builds it again.
#[test]
fn an_index_found_damaged_is_not_cleared_under_another_papers_that_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let (mut first, _) = Index::open(dir.path()).unwrap();
    first.take(&batch_of(&library)).unwrap();
    first.commit().unwrap();
    store::mark_damaged(dir.path(), "Fst data is corrupted").unwrap();
    let (second, message) = Index::open(dir.path()).unwrap();
    let message = message.unwrap_or_default();
    assert!(
        message.contains("another papers process is writing it: it is built again once that one is done"),
        "{message}"
    );
    assert_eq!(second.documents(), 4, "not cleared");
    assert!(dir.path().join("papers-index-damaged").exists());
    // One of another version, written by another papers meanwhile: not cleared under it either.
    std::fs::write(dir.path().join(store::MARKER), b"1\n").unwrap();
    std::fs::remove_file(dir.path().join("papers-index-damaged")).unwrap();
    let refused = Index::open(dir.path()).map(|_| ()).unwrap_err();
    assert!(refused.contains("another version of papers; another papers process is writing it now"), "{refused}");
    assert!(dir.path().join("meta.json").exists(), "not cleared");
    store::mark_damaged(dir.path(), "Fst data is corrupted").unwrap();
    std::fs::write(dir.path().join(store::MARKER), format!("{FORMAT}\n")).unwrap();
    drop((first, second));
    let (third, message) = Index::open(dir.path()).unwrap();
    assert!(
        message.is_some_and(|m| m.contains("found damaged while searching (Fst data is corrupted); it is built again"))
    );
    assert_eq!(third.documents(), 0, "built again");
}
