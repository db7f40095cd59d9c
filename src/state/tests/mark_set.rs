//! `MarkSet::update`: a set that took changes one by one finds every paper's marks, and the keys that hold
//! them, as one made again from the whole ledger.

use super::*;
use crate::library::Library;

#[test]
fn a_set_updated_change_by_change_answers_as_one_made_anew() {
    // Papers known by title alone, by arXiv id alone, and by both (marks under either key).
    let mut papers: Vec<(String, Option<String>)> = Vec::new();
    for i in 0..40 {
        let id = (i % 3 != 0).then(|| format!("2403.{i:05}"));
        papers.push((format!("Paper number {i}"), id));
    }
    let mut ledger = Ledger::default();
    let mut set = MarkSet::from_ledger(&ledger);
    let mut random = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |n: u64| {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        random % n
    };
    for step in 0..400 {
        let (title, id) = &papers[next(papers.len() as u64) as usize];
        // A change made under the title key, the arXiv key, or both, as the reader makes them.
        let keys: Vec<PaperKey> = match (next(3), id) {
            (0, Some(id)) => vec![PaperKey::from_arxiv_id(id)],
            (1, Some(id)) => vec![PaperKey::from_arxiv_id(id), key(title)],
            _ => vec![key(title)],
        };
        let star = next(2) == 0;
        let changed = ledger.apply(&keys, title, |m| if star { m.starred = !m.starred } else { m.read = !m.read });
        let touched: Vec<PaperKey> = changed.into_iter().map(|(key, _)| key).collect();
        set.update(&ledger, &touched);
        let fresh = MarkSet::from_ledger(&ledger);
        for (title, id) in &papers {
            let hash = key(title).hash64();
            assert_eq!(
                set.get(hash, title, id.as_deref()),
                fresh.get(hash, title, id.as_deref()),
                "step {step}: {title} {id:?}"
            );
        }
        let library = Library::from_papers(papers.iter().map(|(title, _)| (title.clone(), String::new())));
        for i in 0..library.len() {
            let paper = library.get(i);
            let mut updated = set.keys_of(&paper);
            let mut made = fresh.keys_of(&paper);
            updated.sort();
            made.sort();
            assert_eq!(updated, made, "step {step}: {}", paper.title());
        }
    }
    assert!(set.takes(1), "400 changes are few");
}

#[test]
fn a_paper_told_at_once_to_hold_no_marks_holds_none() {
    // Papers with and without identifiers, some of each marked under their title key, their arXiv key
    // or both, and a second copy of a title-only paper that brings its identifier; marks made on the
    // set after it was made, too. What `get_at` says, told at once or not, is what `get` says.
    use crate::library::{Chunk, Meta, Origin, Record};
    let record = |title: &str, id: Option<&str>, line: usize| Record {
        title: title.to_string(),
        abstract_text: String::new(),
        line,
        meta: Meta { arxiv_id: id.map(str::to_string), ..Meta::default() },
    };
    let mut first = Chunk::new(std::sync::Arc::new(Origin::default()), String::new());
    let mut later = Chunk::new(std::sync::Arc::new(Origin::default()), String::new());
    for i in 0..3_000 {
        let id = format!("2403.{i:05}");
        first.push_record(record(&format!("Paper number {i}"), (i % 3 != 0).then_some(id.as_str()), i + 1));
        if i % 9 == 0 {
            later.push_record(record(&format!("Paper number {i}"), Some(&id), i + 1));
        }
    }
    let library = Library::from_chunks([first, later]);
    let titles = library.titles();
    let mut ledger = Ledger::default();
    for i in (0..3_000).step_by(7) {
        let (title, id) = (format!("Paper number {i}"), format!("2403.{i:05}"));
        let keys = match i % 4 {
            0 => vec![PaperKey::from_arxiv_id(&id)],
            1 => vec![PaperKey::from_arxiv_id(&id), key(&title)],
            _ => vec![key(&title)],
        };
        ledger.apply(&keys, &title, |m| if i % 2 == 0 { m.starred = true } else { m.read = true });
    }
    let mut set = MarkSet::from_ledger(&ledger);
    let (title, id) = ("Paper number 10".to_string(), "2403.00010");
    let changed = ledger.apply(&[PaperKey::from_arxiv_id(id)], &title, |m| m.read = true);
    set.update(&ledger, &changed.into_iter().map(|(key, _)| key).collect::<Vec<_>>());
    let (mut marked, mut told) = (0, 0);
    for i in 0..titles.len() {
        let title = titles.title(i);
        let (hash, id) = (titles.key_hash(i), titles.arxiv_id(i));
        let expected = set.get(hash, title, id);
        assert_eq!(set.get_at(titles, i, title), expected, "{title} {id:?}");
        for filter in [Filter::Unread, Filter::Starred] {
            assert_eq!(set.passes_at(filter, titles, i, title), set.passes(filter, hash, title, id), "{title}");
        }
        marked += usize::from(expected != (false, false));
        told += usize::from(!set.may_hold(hash, titles.mark_hashes(i).1));
    }
    // Most papers hold no marks and are told so at once; the marked ones were all found.
    assert!(marked > 400 && told > 2_000, "{marked} {told}");
}
