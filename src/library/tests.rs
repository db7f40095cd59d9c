//! The library: copies merged, spans read, papers found across chunks, links in order.

use std::sync::Arc;

use super::*;

#[test]
fn library_merges_the_same_paper_and_keeps_the_first_place() {
    let d1 = Chunk::from_papers(Origin::default(), [("First", "")]);
    let d2 = Chunk::from_papers(Origin::default(), [("Second", "x"), ("FIRST", "abs")]);
    let lib = Library::from_chunks([d1, d2]);
    let titles: Vec<_> = lib.papers().map(|p| p.title()).collect();
    assert_eq!(titles, ["First", "Second"]);
    // The copy's title is not kept beside the paper's own.
    assert_eq!(lib.titles.chunks[1].titles, "Second");
    assert_eq!(lib.get(0).abstract_text(), "abs");
    assert_eq!(lib.find(&PaperKey::from_title("first")), Some(0));
    assert_eq!(lib.find(&PaperKey::from_title("third")), None);
}

#[test]
fn copies_within_one_chunk_merge_too() {
    let lib = Library::from_papers([("A", ""), ("B", "b"), ("a", "late"), ("A!", "later")]);
    assert_eq!(lib.len(), 2);
    assert_eq!(lib.get(0).abstract_text(), "late");
}

#[test]
fn spans_read_the_chunk_text_and_papers_are_found_across_chunks() {
    let mut chunk =
        Chunk::new(Arc::new(Origin { name: "f.txt".into(), date: None, day: None }), "Title\n\nAbs.\n".into());
    chunk.push(Text::Span { start: 0, end: 5 }, Text::Span { start: 7, end: 11 }, 1);
    let mut lib = Library::from_papers([("Zero", "")]);
    lib.add_chunk(chunk);
    lib.add_chunk(Chunk::default());
    lib.add_chunk(Chunk::from_papers(Origin::default(), [("Two", "")]));
    assert_eq!(lib.len(), 3);
    assert_eq!((lib.get(1).title(), lib.get(1).abstract_text(), lib.get(1).source()), ("Title", "Abs.", "f.txt"));
    assert_eq!(lib.get(2).title(), "Two");
    let mut seen = Vec::new();
    lib.titles().for_each_in(1..3, |i, t| seen.push((i, t.to_string())));
    assert_eq!(seen, [(1, "Title".to_string()), (2, "Two".to_string())]);
    let mut seen = Vec::new();
    lib.titles().for_each_of(&[0, 2], |i, t| seen.push((i, t.to_string())));
    assert_eq!(seen, [(0, "Zero".to_string()), (2, "Two".to_string())]);
}

fn record(title: &str, id: Option<&str>, day: Option<Day>) -> Record {
    Record {
        title: title.into(),
        abstract_text: String::new(),
        line: 1,
        meta: Meta { arxiv_id: id.map(Into::into), day, ..Meta::default() },
    }
}

fn chunk_of(records: impl IntoIterator<Item = Record>) -> Chunk {
    let mut chunk = Chunk::new(Arc::new(Origin::default()), String::new());
    for r in records {
        chunk.push_record(r);
    }
    chunk
}

#[test]
fn the_same_arxiv_id_merges_and_keeps_the_richest_metadata_and_every_day() {
    let d1 = Day::new(2024, 3, 14);
    let d2 = Day::new(2024, 3, 15);
    let mut first = record("Mamba YOLO", Some("2406.05835"), d1);
    first.meta.upvotes = Some(3);
    let mut second = record("Mamba-YOLO: a better title?", Some("2406.05835"), d2);
    second.meta.upvotes = Some(9);
    second.meta.authors = vec!["Zeyu Wang".into()];
    second.abstract_text = "Late abstract.".into();
    let lib = Library::from_chunks([chunk_of([first]), chunk_of([second, record("Other", None, d2)])]);
    assert_eq!(lib.len(), 2);
    let paper = lib.get(0);
    assert_eq!(paper.title(), "Mamba YOLO");
    assert_eq!(paper.meta().unwrap().upvotes, Some(9));
    assert_eq!(paper.meta().unwrap().authors, ["Zeyu Wang"]);
    assert_eq!(paper.abstract_text(), "Late abstract.");
    assert_eq!(paper.days(), [d1.unwrap(), d2.unwrap()]);
    assert_eq!(paper.key().as_str(), "arxiv:2406.05835");
    assert_eq!(lib.days(), [d1.unwrap(), d2.unwrap()]);
    assert_eq!(lib.on_day(d1.unwrap(), 0), [0]);
    assert_eq!(lib.on_day(d2.unwrap(), 0), [0, 1]);
    assert_eq!(lib.on_day(d2.unwrap(), 1), [1]);
    assert!(lib.on_day(d2.unwrap(), 2).is_empty());
    assert_eq!(lib.find(&PaperKey::from_arxiv_id("2406.05835")), Some(0));
}

#[test]
fn a_title_only_paper_takes_the_identifier_of_a_later_copy_and_different_ids_stay_apart() {
    let text = Chunk::from_papers(Origin::default(), [("Deep Learning: A Review", "From the text digest.")]);
    let json = chunk_of([
        record("Deep learning — a review", Some("2403.09043"), None),
        record("Deep Learning: A Review", Some("1111.11111"), None),
    ]);
    let lib = Library::from_chunks([text, json]);
    assert_eq!(lib.len(), 2, "the same title with another id is another paper");
    assert_eq!(lib.get(0).arxiv_id(), Some("2403.09043"));
    assert_eq!(lib.get(0).abstract_text(), "From the text digest.");
    assert_eq!(lib.get(1).arxiv_id(), Some("1111.11111"));
    assert_eq!(lib.find(&PaperKey::from_arxiv_id("2403.09043")), Some(0));
    assert_eq!(lib.find(&PaperKey::from_title("deep learning a review")), Some(0));
    // And the other way round: the copy without an id merges into the one with it.
    let json = chunk_of([record("Deep learning — a review", Some("2403.09043"), None)]);
    let text = Chunk::from_papers(Origin::default(), [("Deep Learning: A Review", "abs")]);
    let lib = Library::from_chunks([json, text]);
    assert_eq!(lib.len(), 1);
    assert_eq!(lib.get(0).abstract_text(), "abs");
}

#[test]
fn what_a_later_copy_brought_is_what_the_search_reads() {
    use crate::search::{Query, Within};
    use crate::state::{Filter, MarkSet};
    let first = record("Deep Learning for ECG", Some("2403.09043"), None);
    let mut second = record("Deep Learning for ECG", Some("2403.09043"), None);
    second.meta.categories = vec!["cs.LG".into(), "eess.SP".into()];
    second.abstract_text = "Electrocardiograms, read by deep networks.".into();
    let mut own = record("Own categories", Some("2403.00002"), None);
    own.meta.categories = vec!["cs.CV".into()];
    let mut own_again = record("Own categories", Some("2403.00002"), None);
    own_again.meta.categories = vec!["cs.CV".into()];
    for lib in [
        Library::from_chunks([chunk_of([first.clone(), own.clone()]), chunk_of([second.clone(), own_again.clone()])]),
        // Copies in one chunk.
        Library::from_chunks([chunk_of([first.clone(), own.clone(), second.clone(), own_again.clone()])]),
    ] {
        assert_eq!(lib.len(), 2);
        assert_eq!(lib.titles().categories(0), ["cs.LG", "eess.SP"]);
        assert_eq!(lib.titles().abstract_text(0), "Electrocardiograms, read by deep networks.");
        // A copy that brought nothing new leaves the paper's own list to its chunk.
        assert!(lib.titles().category_list(1).is_some());
        let never = std::sync::atomic::AtomicBool::new(false);
        let found = |query: &str| {
            Query::parse(query)
                .unwrap()
                .rank(lib.titles(), &Within::From(0), Filter::All, &MarkSet::default(), &never)
                .unwrap()
                .order
        };
        assert_eq!(found("cat:eess"), [0]);
        assert_eq!(found("cat:cs.CV"), [1]);
        assert_eq!(found("abstract:electrocardiograms"), [0]);
        assert_eq!(found("abstract:deep cat:cs.lg"), [0]);
    }
}

#[test]
fn links_put_the_page_code_and_project_first_without_repeats() {
    let mut r = record("T", Some("2403.00001"), None);
    r.meta.code = Some("https://github.com/a/b".into());
    // The PDF the abstract names (another version, .pdf) is the one the pages list already.
    r.abstract_text =
        "Code at https://github.com/a/b and https://x.org/y, PDF at http://arxiv.org/pdf/2403.00001v2.pdf.".into();
    let lib = Library::from_chunks([chunk_of([r])]);
    assert_eq!(
        lib.get(0).links(),
        [
            "https://arxiv.org/abs/2403.00001",
            "https://arxiv.org/pdf/2403.00001",
            "https://huggingface.co/papers/2403.00001",
            "https://github.com/a/b",
            "https://x.org/y"
        ]
    );
}

#[test]
fn every_author_name_is_numbered_once_and_read_back_as_each_paper_has_it() {
    // Names shared within a chunk and across chunks, one not ASCII, papers with none; a later copy of
    // a paper that named no one brings its authors. Each way: names hashed apart, and all alike.
    for collide in [false, true] {
        let mut library = Library::default();
        library.names.collide = collide;
        let names = ["Wei Li", "Anna Smith", "Jürgen Schmidhuber", "Li Wei"];
        for c in 0..3 {
            let mut chunk = Chunk::new(Arc::new(Origin::default()), String::new());
            for k in c * 40..c * 40 + 40 {
                let authors = (0..k % 4).map(|a| format!("{} {}", names[(k + a) % 4], (k * 3 + a) % 25)).collect();
                let meta = Meta { arxiv_id: Some(format!("2401.{k:05}")), authors, ..Meta::default() };
                chunk.push_record(Record { title: format!("Paper {k}"), meta, ..Record::default() });
            }
            if c == 2 {
                let meta = Meta { arxiv_id: Some("2401.00004".into()), authors: vec!["Zed".into()], ..Meta::default() };
                chunk.push_record(Record { title: "Paper 4".into(), meta, ..Record::default() });
            }
            library.add_chunk(chunk);
        }
        let titles = library.titles();
        assert_eq!(titles.len(), 120);
        assert_eq!(titles.authors(4), ["Zed"], "a copy named the paper's authors");
        let mut numbered = std::collections::HashMap::new();
        for i in 0..titles.len() {
            let Some(ids) = titles.author_ids(i) else {
                // Read from its own list (none) or from the copy's.
                assert!(i % 4 == 0, "paper {i} names no one");
                continue;
            };
            let read: Vec<&str> = ids.iter().map(|&id| titles.author_name(id)).collect();
            assert_eq!(read, titles.authors(i), "paper {i}, collide {collide}");
            for (&id, name) in ids.iter().zip(read) {
                assert_eq!(*numbered.entry(name).or_insert(id), id, "{name} has one number");
            }
        }
        assert_eq!(numbered.len(), titles.name_count(), "every number is a name of a paper");
        assert!(numbered.len() < titles.author_count(), "names are shared");
    }
}

#[test]
fn author_names_are_walked_in_number_order_across_a_chunk_that_brings_none() {
    let mut library = Library::default();
    for c in 0..4 {
        let mut chunk = Chunk::new(Arc::new(Origin::default()), String::new());
        for k in 0..5 {
            // The second chunk names only authors of the first: it brings no names.
            let authors = match c {
                1 => vec![format!("Author 0 {k}")],
                _ => vec![format!("Author {c} {k}"), format!("Other {c} {k}")],
            };
            let meta = Meta { arxiv_id: Some(format!("2401.{c}{k:04}")), authors, ..Meta::default() };
            chunk.push_record(Record { title: format!("Paper {c} {k}"), meta, ..Record::default() });
        }
        library.add_chunk(chunk);
    }
    let titles = library.titles();
    let count = titles.name_count() as u32;
    assert_eq!(count, 30);
    for from in 0..=count + 1 {
        let walked: Vec<&str> = titles.author_names_from(from).collect();
        let each: Vec<&str> = (from..count).map(|id| titles.author_name(id)).collect();
        assert_eq!(walked, each, "from {from}");
    }
}

#[test]
fn a_paper_is_found_in_its_chunk_whatever_chunk_of_whatever_library_was_found_before() {
    // Two libraries chunked otherwise, with empty chunks between, read in turn at random places.
    let make = |sizes: &[usize]| {
        let mut n = 0;
        Library::from_chunks(sizes.iter().map(|&size| {
            let papers: Vec<(String, &str)> = (n..n + size).map(|k| (format!("Paper {k}"), "")).collect();
            n += size;
            Chunk::from_papers(Origin::default(), papers)
        }))
    };
    let (a, b) = (make(&[3, 0, 5, 1, 0, 0, 7]), make(&[16]));
    let mut seed = 7u64;
    for _ in 0..2_000 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let (lib, i) =
            if seed >> 63 == 0 { (&a, (seed >> 33) as usize % 16) } else { (&b, (seed >> 35) as usize % 16) };
        assert_eq!(lib.titles().title(i), format!("Paper {i}"));
        let (c, j) = lib.titles().locate(i);
        assert_eq!(c, lib.titles().starts.partition_point(|&start| start <= i) - 1);
        assert_eq!(lib.titles().starts[c] + j, i);
    }
}
