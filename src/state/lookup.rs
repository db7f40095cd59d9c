//! Finding a paper's marks: under its arXiv key, its title key, or both, by key hash, for filtering a large
//! library on the search threads without making a key per paper.

use std::collections::HashMap;

use super::Ledger;
use crate::library::{PaperKey, PaperRef};

/// Which papers a search looks at, before the query narrows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    Unread,
    Starred,
}

impl Filter {
    pub fn name(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Unread => "unread",
            Filter::Starred => "starred",
        }
    }
}

/// The marks of the papers the store knows, by key hash, for filtering without a key per paper.
///
/// A paper's marks are kept under its arXiv key when its identifier is known, else under its title key. A
/// paper starred before its identifier was known has them under its title key; one seen with an identifier
/// in one digest and without in another has them under its arXiv key with its title beside. Both are
/// found: under its arXiv key, its title key, and (a paper whose identifier is not known here) an arXiv
/// key made on the same title; where two disagree, the later change counts.
#[derive(Debug, Default)]
pub struct MarkSet {
    /// Entries by the hash of their key, and arXiv-keyed ones also by the hash of their title's key.
    by_hash: HashMap<u64, Vec<MarkEntry>>,
}

#[derive(Debug)]
struct MarkEntry {
    key: PaperKey,
    /// The key of the title the marks were made on.
    title_key: Option<PaperKey>,
    starred: bool,
    read: bool,
    /// When each changed: where a paper has marks under two keys, the later change counts.
    star_time: u64,
    read_time: u64,
}

impl MarkSet {
    pub fn from_ledger(ledger: &Ledger) -> Self {
        let mut by_hash: HashMap<u64, Vec<MarkEntry>> = HashMap::new();
        for (key, marks) in ledger.iter() {
            let title_key = match key.arxiv_id() {
                Some(_) => marks.title.as_deref().map(PaperKey::from_title),
                None => Some(key.clone()),
            };
            let entry = |key: &PaperKey| MarkEntry {
                key: key.clone(),
                title_key: title_key.clone(),
                starred: marks.starred,
                read: marks.read,
                star_time: marks.star_time(),
                read_time: marks.read_time(),
            };
            by_hash.entry(key.hash64()).or_default().push(entry(key));
            if let Some(title_key) = title_key.as_ref().filter(|t| *t != key) {
                by_hash.entry(title_key.hash64()).or_default().push(entry(key));
            }
        }
        MarkSet { by_hash }
    }

    /// The entries that hold marks of the paper with this title key hash, title and arXiv identifier.
    fn entries(&self, key_hash: u64, title: &str, id: Option<&str>) -> Vec<&MarkEntry> {
        let mut found = Vec::new();
        if let Some(id) = id {
            let hash = PaperKey::hash_of_arxiv_id(id);
            found.extend(self.by_hash.get(&hash).into_iter().flatten().filter(|e| e.key.arxiv_id() == Some(id)));
        }
        let Some(entries) = self.by_hash.get(&key_hash) else { return found };
        let title_key = PaperKey::from_title(title);
        found.extend(entries.iter().filter(|e| e.key == title_key));
        if id.is_none() {
            found.extend(entries.iter().filter(|e| e.key != title_key && e.title_key.as_ref() == Some(&title_key)));
        }
        found
    }

    /// (starred, read) of the paper with this title key hash, title and arXiv identifier.
    pub fn get(&self, key_hash: u64, title: &str, id: Option<&str>) -> (bool, bool) {
        let entries = self.entries(key_hash, title, id);
        let starred = entries.iter().max_by_key(|e| e.star_time).is_some_and(|e| e.starred);
        let read = entries.iter().max_by_key(|e| e.read_time).is_some_and(|e| e.read);
        (starred, read)
    }

    /// (starred, read) of `paper`.
    pub fn of(&self, paper: &PaperRef) -> (bool, bool) {
        self.get(paper.key_hash(), paper.title(), paper.arxiv_id())
    }

    /// Every key that holds marks of `paper`: a change to its marks is made under all of them, so that no
    /// older copy of a mark comes back when the paper is seen with or without its identifier.
    pub fn keys_of(&self, paper: &PaperRef) -> Vec<PaperKey> {
        let mut keys: Vec<PaperKey> = self
            .entries(paper.key_hash(), paper.title(), paper.arxiv_id())
            .into_iter()
            .map(|e| e.key.clone())
            .collect();
        keys.dedup();
        keys
    }

    pub fn passes(&self, filter: Filter, key_hash: u64, title: &str, id: Option<&str>) -> bool {
        match filter {
            Filter::All => true,
            Filter::Unread => !self.get(key_hash, title, id).1,
            Filter::Starred => self.get(key_hash, title, id).0,
        }
    }
}
