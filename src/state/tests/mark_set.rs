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
