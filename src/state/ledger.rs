//! The marks in memory, each with the time it last changed: changing them, and merging two copies.
//!
//! The reader keeps one ledger (what it shows, changed at once on a key press) and the thread that saves
//! keeps another (what is on disk, merged with what other readers saved). Changes go from the first to the
//! second, and news of other readers' changes comes back, through `merge`: the later change of each mark
//! wins, so the two copies agree whatever order the merges come in.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use super::{Marks, labels};
use crate::library::PaperKey;

/// Marks by paper key, and a count of their changes.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    papers: BTreeMap<PaperKey, Marks>,
    /// Counts changes to the marks, so that views built on them know when to look again.
    generation: u64,
}

/// Marks as they are now, keyed: what a change or a merge hands on to the other ledger.
pub type Entries = Vec<(PaperKey, Marks)>;

impl Ledger {
    pub fn new(papers: BTreeMap<PaperKey, Marks>) -> Self {
        Ledger { papers, generation: 0 }
    }

    /// A number that changes whenever a star or read mark changes.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn get(&self, key: &PaperKey) -> Option<&Marks> {
        self.papers.get(key)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&PaperKey, &Marks)> {
        self.papers.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.papers.is_empty()
    }

    /// How many keys hold marks.
    pub fn len(&self) -> usize {
        self.papers.len()
    }

    /// Every tag on some paper, sorted, each once (what the tag prompt completes from).
    pub fn all_tags(&self) -> Vec<String> {
        let mut all: Vec<String> = self.papers.values().flat_map(|m| m.tags().map(str::to_string)).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    pub(super) fn papers(&self) -> &BTreeMap<PaperKey, Marks> {
        &self.papers
    }

    /// Changes the marks kept under each of `keys` (one paper's keys: see `MarkSet::keys_of`) the same way.
    /// Returns the entries that changed, as they are now, with the time of the change.
    pub fn apply(&mut self, keys: &[PaperKey], title: &str, change: impl Fn(&mut Marks)) -> Entries {
        let mut changed = Entries::new();
        for key in keys {
            if let Some(marks) = self.apply_one(key, title, &change) {
                changed.push((key.clone(), marks));
            }
        }
        if !changed.is_empty() {
            self.generation += 1;
        }
        changed
    }

    /// Changes the marks under `key`; the marks now, when a mark changed.
    fn apply_one(&mut self, key: &PaperKey, title: &str, change: &impl Fn(&mut Marks)) -> Option<Marks> {
        let known = self.papers.contains_key(key);
        let marks = self.papers.entry(key.clone()).or_default();
        let before = marks.clone();
        change(marks);
        if (marks.starred, marks.read) == (before.starred, before.read) && marks.same_labels(&before) {
            *marks = before;
            if !known {
                self.papers.remove(key);
            }
            return None;
        }
        // Both times are written down, so a mark that did not change never borrows `changed` as its time.
        // A changed mark's time is later than its last one even if the clock stepped back, so merges keep it.
        let now = now_millis();
        let (star_time, read_time) = (before.star_time(), before.read_time());
        marks.starred_changed =
            Some(if marks.starred == before.starred { star_time } else { now.max(star_time.saturating_add(1)) });
        marks.read_changed =
            Some(if marks.read == before.read { read_time } else { now.max(read_time.saturating_add(1)) });
        labels::stamp(marks, &before, now);
        marks.changed = marks.changed.max(marks.star_time()).max(marks.read_time()).max(marks.labels_time());
        marks.title = Some(title.to_string());
        Some(marks.clone())
    }

    /// Takes each mark (star, read, each tag, the note) from `theirs` where it changed later than ours.
    /// Returns the entries whose marks shown changed here, as they are now.
    pub fn merge(&mut self, theirs: impl IntoIterator<Item = (PaperKey, Marks)>) -> Entries {
        let mut changed = Entries::new();
        for (key, marks) in theirs {
            let Some(ours) = self.papers.get_mut(&key) else {
                let marks = pinned(marks);
                if marks.starred || marks.read || marks.has_labels() {
                    changed.push((key.clone(), marks.clone()));
                }
                self.papers.insert(key, marks);
                continue;
            };
            // Pin our marks' times first: raising `changed` below must not move a fallback time.
            *ours = pinned(std::mem::take(ours));
            let before = (ours.starred, ours.read);
            // Most marks have no tags or note: those cost the merge of a large file nothing more.
            let touches_labels = !marks.tags.is_empty() || marks.note.is_some();
            let labels_before =
                touches_labels.then(|| Marks { tags: ours.tags.clone(), note: ours.note.clone(), ..Marks::default() });
            if touches_labels {
                labels::merge(ours, &marks);
            }
            if marks.star_time() > ours.star_time() {
                ours.starred = marks.starred;
                ours.starred_changed = Some(marks.star_time());
            }
            if marks.read_time() > ours.read_time() {
                ours.read = marks.read;
                ours.read_changed = Some(marks.read_time());
            }
            if marks.changed > ours.changed {
                ours.changed = marks.changed;
                ours.title = marks.title.or(ours.title.take());
            }
            let labels_changed = labels_before.is_some_and(|before| !ours.same_labels(&before));
            if (ours.starred, ours.read) != before || labels_changed {
                changed.push((key, ours.clone()));
            }
        }
        if !changed.is_empty() {
            self.generation += 1;
        }
        changed
    }
}

/// `marks` with both mark times written out, so that neither falls back to `changed` any more.
fn pinned(mut marks: Marks) -> Marks {
    marks.starred_changed = Some(marks.star_time());
    marks.read_changed = Some(marks.read_time());
    marks
}

pub(super) fn now_millis() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(title: &str) -> PaperKey {
        PaperKey::from_title(title)
    }

    #[test]
    fn a_change_hands_on_what_changed_and_the_other_ledger_takes_it() {
        let mut shown = Ledger::default();
        let mut saved = Ledger::default();
        let changed = shown.apply(&[key("P")], "P", |m| m.starred = true);
        assert_eq!(changed.len(), 1);
        assert_eq!(shown.generation(), 1);
        assert!(shown.apply(&[key("P")], "P", |m| m.starred = true).is_empty(), "no change, nothing to hand on");
        assert_eq!(shown.generation(), 1);
        assert_eq!(saved.merge(changed).len(), 1);
        assert!(saved.get(&key("P")).is_some_and(|m| m.starred));
    }

    #[test]
    fn merging_in_either_order_gives_the_later_change() {
        let mut a = Ledger::default();
        let star = a.apply(&[key("P")], "P", |m| m.starred = true);
        let unstar = a.apply(&[key("P")], "P", |m| m.starred = false);
        let mut b = Ledger::default();
        b.merge(unstar.clone());
        b.merge(star.clone());
        let mut c = Ledger::default();
        c.merge(star);
        c.merge(unstar);
        assert!(!b.get(&key("P")).unwrap().starred && !c.get(&key("P")).unwrap().starred);
        // A merge that takes nothing new reports nothing.
        assert!(b.merge(c.iter().map(|(k, m)| (k.clone(), m.clone())).collect::<Vec<_>>()).is_empty());
    }
}
