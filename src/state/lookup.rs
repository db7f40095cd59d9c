//! Finding a paper's marks: under its arXiv key, its title key, or both, by key hash, for filtering a large
//! library on the search threads without making a key per paper.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{Ledger, Marks, Note, Tags};
use crate::library::{PaperKey, PaperRef, Titles};

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
///
/// Made once from the whole ledger, it then takes each change as it comes (`update`): the entries made
/// since stand beside the first ones and take the place of those of the same keys, so that a star costs
/// the reader the keys it changed, not every mark it holds. A copy shares the first entries.
#[derive(Debug, Default, Clone)]
pub struct MarkSet {
    /// The entries it was made from, found by hash.
    first: Arc<Entries>,
    /// How many keys `first` was made from.
    made_from: usize,
    /// Entries made since, for the keys in `replaced`, whose entries in `by_hash` they replace.
    since: HashMap<u64, Vec<MarkEntry>>,
    /// Which hashes `since` holds, a bit each by the hash's low bits (`SINCE_BITS`; empty while
    /// nothing changed): what tells a paper it has no mark made since without hashing its key for the
    /// map, twice a paper: 10-15 ms of a key at a million papers once a mark changed.
    since_seen: Vec<u64>,
    replaced: HashSet<PaperKey>,
    /// Which set of marks this is: a number of its own for each set made or changed (see `stamp`).
    stamp: u64,
}

/// How many bits `MarkSet::since_seen` has.
const SINCE_BITS: usize = 1 << 16;

/// The stamp of the next set of marks made or changed.
static NEXT_STAMP: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_stamp() -> u64 {
    NEXT_STAMP.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// An entry per key, and the hashes it is found under: its key's, and an arXiv-keyed one's title key's.
/// Sorted pairs rather than a map of lists: a million marks are indexed in one allocation, not a million.
#[derive(Debug, Default)]
struct Entries {
    entries: Vec<MarkEntry>,
    /// (hash, index in `entries`), sorted.
    by_hash: Vec<(u64, u32)>,
    /// A bit for each hash in `by_hash` (its low bits): a paper whose hashes have none holds no marks.
    /// Some sixteen bits a hash, 8 KB for a few thousand marks, 2 MB at most: read where a search looks
    /// at a million papers, rather than their entries and the sorted hashes.
    seen: Vec<u64>,
}

impl Entries {
    /// The word of `seen` and the bit in it for `hash`.
    fn seen_at(&self, hash: u64) -> (usize, u64) {
        let bit = hash & (self.seen.len() as u64 * 64).wrapping_sub(1);
        ((bit / 64) as usize, 1 << (bit % 64))
    }
}

impl Entries {
    fn under(&self, hash: u64) -> impl Iterator<Item = &MarkEntry> {
        let start = self.by_hash.partition_point(|&(h, _)| h < hash);
        self.by_hash[start..].iter().take_while(move |&&(h, _)| h == hash).map(|&(_, i)| &self.entries[i as usize])
    }
}

#[derive(Debug, Clone)]
struct MarkEntry {
    key: PaperKey,
    /// The key of the title the marks were made on, for an arXiv-keyed entry.
    title_key: Option<PaperKey>,
    starred: bool,
    read: bool,
    /// When each changed: where a paper has marks under two keys, the later change counts.
    star_time: u64,
    read_time: u64,
    /// Tags and note, for the few papers that have them (a pointer's room for the others).
    labels: Option<Arc<(Tags, Option<Note>)>>,
}

impl MarkSet {
    pub fn from_ledger(ledger: &Ledger) -> Self {
        let mut first = Entries::default();
        for (key, marks) in ledger.iter() {
            let (entry, title_hash) = entry_of(key, marks);
            // Past `u32::MAX` marks (never met) the index would wrap: those are left out.
            let Ok(index) = u32::try_from(first.entries.len()) else { break };
            first.by_hash.push((key.hash64(), index));
            first.by_hash.extend(title_hash.map(|hash| (hash, index)));
            first.entries.push(entry);
        }
        first.by_hash.sort_unstable();
        let bits = (first.by_hash.len() * 16).next_power_of_two().clamp(1 << 16, 1 << 24);
        first.seen = vec![0; bits / 64];
        for k in 0..first.by_hash.len() {
            let (word, bit) = first.seen_at(first.by_hash[k].0);
            first.seen[word] |= bit;
        }
        MarkSet { made_from: first.entries.len(), first: Arc::new(first), stamp: next_stamp(), ..MarkSet::default() }
    }

    /// A number that stays this set's while its marks are the same, and that no other set's marks had:
    /// what tells a search that the papers it kept as passing `is:` and `tag:` filters still do. A set
    /// made anew or changed by `update` takes a new one; a copy keeps it (the empty set's is 0).
    pub fn stamp(&self) -> u64 {
        self.stamp
    }

    /// Takes the marks that `keys` hold now in `ledger` (the keys whose marks changed since this was made).
    pub fn update(&mut self, ledger: &Ledger, keys: &[PaperKey]) {
        self.stamp = next_stamp();
        for key in keys {
            if !self.replaced.insert(key.clone()) {
                for entries in self.since.values_mut() {
                    entries.retain(|e| e.key != *key);
                }
            }
            if let Some(marks) = ledger.get(key) {
                insert(&mut self.since, key, marks);
            }
        }
        self.since_seen = vec![0; SINCE_BITS / 64];
        for &hash in self.since.keys() {
            let bit = hash as usize % SINCE_BITS;
            self.since_seen[bit / 64] |= 1 << (bit % 64);
        }
    }

    /// True when `more` changed keys are better taken by `update` than by making the set again: while
    /// the changes are few beside what it was made from.
    pub fn takes(&self, more: usize) -> bool {
        self.replaced.len() + more <= 4096.max(self.made_from / 16)
    }

    /// The entries under the key hash `hash`: those made since, and the first ones they do not replace.
    fn bucket(&self, hash: u64) -> impl Iterator<Item = &MarkEntry> {
        let first = self.first.under(hash);
        let first = first.filter(|e| self.replaced.is_empty() || !self.replaced.contains(&e.key));
        first.chain(self.since.get(&hash).into_iter().flatten())
    }

    /// The entries that hold marks of the paper with this title key hash, title and arXiv identifier.
    fn entries(&self, key_hash: u64, title: &str, id: Option<&str>) -> Vec<&MarkEntry> {
        let mut found = Vec::new();
        if let Some(id) = id {
            let hash = PaperKey::hash_of_arxiv_id(id);
            found.extend(self.bucket(hash).filter(|e| e.key.arxiv_id() == Some(id)));
        }
        let mut entries = self.bucket(key_hash).peekable();
        if entries.peek().is_none() {
            return found;
        }
        let entries: Vec<&MarkEntry> = entries.collect();
        let title_key = PaperKey::from_title(title);
        found.extend(entries.iter().copied().filter(|e| e.key == title_key));
        if id.is_none() {
            found.extend(
                entries.iter().copied().filter(|e| e.key != title_key && e.title_key.as_ref() == Some(&title_key)),
            );
        }
        found
    }

    /// False when no marks are kept under `key_hash` or `id_hash` (a title key's and an arXiv key's; see
    /// `Titles::mark_hashes`): the paper holds none. True says only that it may.
    pub fn may_hold(&self, key_hash: u64, id_hash: Option<u64>) -> bool {
        let seen = |hash: u64| {
            let (word, bit) = self.first.seen_at(hash);
            // A set made from nothing has no words: nothing was seen.
            let since = hash as usize % SINCE_BITS;
            self.first.seen.get(word).is_some_and(|w| w & bit != 0)
                || (self.since_seen.get(since / 64).is_some_and(|w| w >> (since % 64) & 1 == 1)
                    && self.since.contains_key(&hash))
        };
        seen(key_hash) || id_hash.is_some_and(seen)
    }

    /// `get` for paper `i` of `titles` (whose title is `title`), told at once where it holds no marks.
    pub fn get_at(&self, titles: &Titles, i: usize, title: &str) -> (bool, bool) {
        let (key_hash, id_hash) = titles.mark_hashes(i);
        if !self.may_hold(key_hash, id_hash) {
            return (false, false);
        }
        self.get(key_hash, title, titles.arxiv_id(i))
    }

    /// `passes` for paper `i` of `titles`, as `get_at`.
    pub fn passes_at(&self, filter: Filter, titles: &Titles, i: usize, title: &str) -> bool {
        match filter {
            Filter::All => true,
            Filter::Unread => !self.get_at(titles, i, title).1,
            Filter::Starred => self.get_at(titles, i, title).0,
        }
    }

    /// `has_tags` for paper `i` of `titles`, as `get_at`.
    pub fn has_tags_at(&self, titles: &Titles, i: usize, title: &str, tags: &[String]) -> bool {
        let (key_hash, id_hash) = titles.mark_hashes(i);
        if !self.may_hold(key_hash, id_hash) {
            return tags.is_empty();
        }
        self.has_tags(key_hash, title, titles.arxiv_id(i), tags)
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

    /// The tags on `paper` (sorted) and its note: of each tag, and of the note, the latest change among
    /// the keys that hold its marks.
    pub fn labels_of(&self, paper: &PaperRef) -> (Vec<String>, Option<String>) {
        let entries = self.entries(paper.key_hash(), paper.title(), paper.arxiv_id());
        let mut tags = Tags::new();
        let mut note: Option<&Note> = None;
        for (entry_tags, entry_note) in entries.iter().filter_map(|e| e.labels.as_deref()) {
            for (name, tag) in entry_tags {
                if tags.get(name).is_none_or(|t| tag.changed > t.changed) {
                    tags.insert(name.clone(), *tag);
                }
            }
            if let Some(n) = entry_note.as_ref().filter(|n| note.is_none_or(|old| n.changed > old.changed)) {
                note = Some(n);
            }
        }
        let tags = tags.into_iter().filter(|(_, tag)| tag.on).map(|(name, _)| name).collect();
        (tags, note.map(|n| n.text.clone()).filter(|text| !text.is_empty()))
    }

    /// True when the paper with this title key hash, title and identifier has every tag of `tags`.
    pub fn has_tags(&self, key_hash: u64, title: &str, id: Option<&str>, tags: &[String]) -> bool {
        let entries = self.entries(key_hash, title, id);
        tags.iter().all(|name| {
            let latest = entries.iter().filter_map(|e| e.labels.as_ref()?.0.get(name)).max_by_key(|tag| tag.changed);
            latest.is_some_and(|tag| tag.on)
        })
    }

    pub fn passes(&self, filter: Filter, key_hash: u64, title: &str, id: Option<&str>) -> bool {
        match filter {
            Filter::All => true,
            Filter::Unread => !self.get(key_hash, title, id).1,
            Filter::Starred => self.get(key_hash, title, id).0,
        }
    }
}

/// Puts the entries of `key`'s marks into `by_hash`: under the key's hash, and an arXiv-keyed one also
/// under the hash of its title's key.
fn insert(by_hash: &mut HashMap<u64, Vec<MarkEntry>>, key: &PaperKey, marks: &Marks) {
    let (entry, title_hash) = entry_of(key, marks);
    if let Some(hash) = title_hash {
        by_hash.entry(hash).or_default().push(entry.clone());
    }
    by_hash.entry(key.hash64()).or_default().push(entry);
}

/// The entry of `key`'s marks, and the hash of its title's key when it is found under that too (an
/// arXiv-keyed one with its title).
fn entry_of(key: &PaperKey, marks: &Marks) -> (MarkEntry, Option<u64>) {
    // A title-keyed entry is found under its own key, which is its title's.
    let title_key = key.arxiv_id().and(marks.title.as_deref()).map(PaperKey::from_title);
    let title_hash = title_key.as_ref().map(PaperKey::hash64);
    let entry = MarkEntry {
        key: key.clone(),
        title_key,
        starred: marks.starred,
        read: marks.read,
        star_time: marks.star_time(),
        read_time: marks.read_time(),
        labels: (!marks.tags.is_empty() || marks.note.is_some())
            .then(|| Arc::new((marks.tags.clone(), marks.note.clone()))),
    };
    (entry, title_hash)
}
