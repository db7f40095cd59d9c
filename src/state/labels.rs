//! Tags and a note on a paper: each tag and the note carry their own change time, so that when two readers
//! merge, the later change of each tag and of the note wins.
//!
//! A removed tag is kept, switched off, with the time it was removed (a tombstone): without it, a merge
//! with a file saved before the removal would bring the tag back. An empty note is a removed one, likewise.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Marks;

/// A tag on a paper: on, or removed, and when that last changed (milliseconds since the Unix epoch).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub on: bool,
    pub changed: u64,
}

/// A paper's note, empty once removed, and when it last changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub text: String,
    pub changed: u64,
    /// When the note this one was written over had changed, for a note written in the editor: a note
    /// another reader changed after that time was not seen by whoever wrote this one, and is kept in it
    /// when the two meet (see `merge`). None for a note whose writer saw every other (older files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub over: Option<u64>,
}

/// Tags by name.
pub type Tags = BTreeMap<String, Tag>;

/// The longest tag kept, in characters.
pub const TAG_MAX: usize = 40;

/// The longest note kept, in bytes (a note is a few lines, not a paper).
pub const NOTE_MAX: usize = 16 * 1024;

/// `tag` as it is kept: lower case, without a leading `#`; `None` when it is empty, too long, or holds
/// anything but letters, digits and `-_.:/`.
pub fn tag_name(tag: &str) -> Option<String> {
    let tag = tag.strip_prefix('#').unwrap_or(tag).to_lowercase();
    let fits = !tag.is_empty()
        && tag.chars().count() <= TAG_MAX
        && tag.chars().all(|c| c.is_alphanumeric() || "-_.:/".contains(c));
    fits.then_some(tag)
}

/// `text` as a note is kept: each line made safe to draw (no control characters, escape sequences or
/// bidi overrides: a note comes from an editor's file or a state file imported, and is printed by
/// `list --json` and the exports as it is kept), trimmed, and cut (at a character) to `NOTE_MAX` bytes.
pub fn note_text(text: &str) -> String {
    let lines: Vec<String> = text.split('\n').map(crate::sanitize::sanitize).collect();
    let joined = lines.join("\n");
    let text = joined.trim();
    let mut end = text.len().min(NOTE_MAX);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].trim_end().to_string()
}

impl Marks {
    /// Its tags and note as the reader keeps them, whatever file they were read from (a state file
    /// imported, or written by hand): each tag's name checked and folded as `tag_name` does (one that is
    /// no tag name is dropped; of two that fold to one, the later change), the note as `note_text` keeps it.
    pub fn clean_labels(&mut self) {
        let clean = self.tags.keys().all(|name| tag_name(name).as_deref() == Some(name.as_str()));
        if !clean {
            let mut tags = Tags::new();
            for (name, tag) in std::mem::take(&mut self.tags) {
                if let Some(name) = tag_name(&name) {
                    let kept = tags.entry(name).or_insert(tag);
                    if tag.changed > kept.changed {
                        *kept = tag;
                    }
                }
            }
            self.tags = tags;
        }
        if let Some(note) = &mut self.note
            && note_text(&note.text) != note.text
        {
            note.text = note_text(&note.text);
        }
    }

    /// The tags on the paper (not those removed), in order.
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().filter(|(_, tag)| tag.on).map(|(name, _)| name.as_str())
    }

    pub fn has_tag(&self, name: &str) -> bool {
        self.tags.get(name).is_some_and(|tag| tag.on)
    }

    /// Puts the tag on or takes it off; its time is set when the ledger applies the change.
    pub fn set_tag(&mut self, name: &str, on: bool) {
        self.tags.entry(name.to_string()).or_default().on = on;
    }

    /// The note, when there is one.
    pub fn note(&self) -> Option<&str> {
        self.note.as_ref().map(|note| note.text.as_str()).filter(|text| !text.is_empty())
    }

    /// Sets the note (empty: removes it); its time is set when the ledger applies the change.
    pub fn set_note(&mut self, text: &str) {
        self.note.get_or_insert_with(Note::default).text = note_text(text);
    }

    /// Sets the note as written over the one of time `over` (its `changed`, 0 for none; see `Note::over`).
    pub fn set_note_over(&mut self, text: &str, over: u64) {
        self.set_note(text);
        if let Some(note) = &mut self.note {
            note.over = Some(over);
        }
    }

    /// True when a tag or a note shows on the paper.
    pub fn has_labels(&self) -> bool {
        self.tags().next().is_some() || self.note().is_some()
    }

    /// The latest time a tag or the note changed.
    pub(super) fn labels_time(&self) -> u64 {
        let tags = self.tags.values().map(|tag| tag.changed).max().unwrap_or(0);
        tags.max(self.note.as_ref().map_or(0, |note| note.changed))
    }

    /// True when the tags shown and the note are the same as `other`'s (times and removed tags aside).
    pub(super) fn same_labels(&self, other: &Marks) -> bool {
        self.tags().eq(other.tags()) && self.note() == other.note()
    }
}

/// Gives each tag and the note that changed from `before` a time later than its last (`now`, or one
/// past the last if the clock stepped back), and keeps the last time of the others.
pub(super) fn stamp(marks: &mut Marks, before: &Marks, now: u64) {
    for (name, tag) in &mut marks.tags {
        match before.tags.get(name) {
            Some(old) if old.on == tag.on => tag.changed = old.changed,
            Some(old) => tag.changed = now.max(old.changed.saturating_add(1)),
            None => tag.changed = now,
        }
    }
    // A tag removed that was never there stays no tag at all.
    marks.tags.retain(|name, tag| tag.on || before.tags.contains_key(name));
    if let Some(note) = &mut marks.note {
        match &before.note {
            Some(old) if old.text == note.text => note.changed = old.changed,
            Some(old) => note.changed = now.max(old.changed.saturating_add(1)),
            None => note.changed = now,
        }
    }
    if marks.note.as_ref().is_some_and(|note| note.text.is_empty()) && before.note.is_none() {
        marks.note = None;
    }
}

/// Takes each tag, and the note, from `theirs` where it changed later there than in `ours`.
pub(super) fn merge(ours: &mut Marks, theirs: &Marks) {
    for (name, tag) in &theirs.tags {
        let later = ours.tags.get(name).is_none_or(|mine| tag.changed > mine.changed);
        if later {
            ours.tags.insert(name.clone(), *tag);
        }
    }
    let Some(note) = &theirs.note else { return };
    let Some(mine) = &mut ours.note else {
        ours.note = Some(note.clone());
        return;
    };
    // The later note wins, unless its writer did not see the other (written in the editor over an older
    // note while another reader changed it): then the two are kept, the earlier first. A note that holds
    // the other's text already (one merged so before, or the other a removal) is taken whole.
    let (later, earlier) = if note.changed > mine.changed { (note, &*mine) } else { (&*mine, note) };
    let unseen = later.over.is_some_and(|over| over < earlier.changed) && !earlier.text.is_empty();
    let merged = if !unseen || later.text.contains(earlier.text.as_str()) {
        later.clone()
    } else if earlier.text.contains(later.text.as_str()) {
        Note { changed: later.changed, over: Some(later.changed), ..earlier.clone() }
    } else {
        Note {
            text: note_text(&format!("{}\n\n{}", earlier.text, later.text)),
            changed: later.changed,
            over: Some(later.changed),
        }
    };
    *mine = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagged(name: &str, on: bool, changed: u64) -> Marks {
        let mut marks = Marks::default();
        marks.tags.insert(name.into(), Tag { on, changed });
        marks
    }

    #[test]
    fn a_state_file_read_has_its_tags_checked_and_its_notes_made_safe_to_print() {
        let bytes = br##"{"version": 2, "papers": {"title:p": {"starred": true, "changed": 5,
            "tags": {"\u001b[31mx": {"on": true, "changed": 5}, "#RL": {"on": true, "changed": 6},
                     "rl": {"on": false, "changed": 4}},
            "note": {"text": "see \u009b31mthis\u202e\r\nline two\tend", "changed": 5}}}}"##;
        let crate::state::Judged::Good(papers) = crate::state::judge(bytes) else { panic!("a good file") };
        let marks = papers.values().next().unwrap();
        assert!(marks.starred);
        assert_eq!(marks.tags().collect::<Vec<_>>(), ["rl"], "the later of the two that fold to one");
        assert_eq!(marks.note(), Some("see this\nline two end"));
    }

    #[test]
    fn tag_names_are_folded_and_checked() {
        assert_eq!(tag_name("#RL").as_deref(), Some("rl"));
        assert_eq!(tag_name("project/x-1").as_deref(), Some("project/x-1"));
        assert_eq!(tag_name(""), None);
        assert_eq!(tag_name("#"), None);
        assert_eq!(tag_name("two words"), None);
        assert_eq!(tag_name("bad\u{1b}[31m"), None);
        assert_eq!(tag_name(&"x".repeat(TAG_MAX + 1)), None);
    }

    #[test]
    fn a_note_is_trimmed_and_capped_at_a_character() {
        assert_eq!(note_text("  read §3 \n\n"), "read §3");
        let long = "é".repeat(NOTE_MAX);
        let kept = note_text(&long);
        assert!(kept.len() <= NOTE_MAX && kept.chars().all(|c| c == 'é'));
    }

    #[test]
    fn a_later_removal_beats_an_older_tag_in_either_order() {
        let old = tagged("rl", true, 10);
        let removed = tagged("rl", false, 20);
        let mut a = old.clone();
        merge(&mut a, &removed);
        let mut b = removed.clone();
        merge(&mut b, &old);
        assert!(!a.has_tag("rl") && !b.has_tag("rl"), "the tombstone must win");
        assert_eq!(a.tags, b.tags);
    }

    #[test]
    fn tags_made_apart_are_both_kept_and_the_later_note_wins() {
        let mut a = tagged("rl", true, 10);
        a.note = Some(Note { text: "first".into(), changed: 10, over: None });
        let mut b = tagged("survey", true, 5);
        b.note = Some(Note { text: "second".into(), changed: 30, over: None });
        merge(&mut a, &b);
        assert_eq!(a.tags().collect::<Vec<_>>(), ["rl", "survey"]);
        assert_eq!(a.note(), Some("second"));
    }

    #[test]
    fn a_note_merged_with_one_it_did_not_see_keeps_both_once_whichever_way_it_meets_them() {
        let note = |text: &str, changed: u64, over: Option<u64>| Marks {
            note: Some(Note { text: text.into(), changed, over }),
            ..Marks::default()
        };
        let merged = |ours: &Marks, theirs: &Marks| {
            let mut ours = ours.clone();
            merge(&mut ours, theirs);
            ours.note.map(|n| n.text).unwrap_or_default()
        };
        // A wrote at 20 over the note of 10; B, who had not seen A's, at 30 over the same.
        let (a, b) = (note("by A", 20, Some(10)), note("by B", 30, Some(10)));
        assert_eq!(merged(&b, &a), "by A\n\nby B");
        assert_eq!(merged(&a, &b), "by A\n\nby B");
        let mut both = b.clone();
        merge(&mut both, &a);
        // What was merged meets either note again: kept as it is, no text twice.
        assert_eq!(merged(&b, &both), "by A\n\nby B");
        assert_eq!(merged(&both, &b), "by A\n\nby B");
        assert_eq!(merged(&a, &both), "by A\n\nby B");
        // A note written having seen the other replaces it; so does one of a file without `over`.
        assert_eq!(merged(&a, &note("tidied", 40, Some(20))), "tidied");
        assert_eq!(merged(&a, &note("old format", 40, None)), "old format");
    }

    #[test]
    fn stamping_times_only_what_changed() {
        let before = tagged("rl", true, 10);
        let mut after = before.clone();
        after.set_tag("new", true);
        after.set_tag("never", false);
        after.set_tag("rl", false);
        stamp(&mut after, &before, 5);
        assert_eq!(after.tags["new"], Tag { on: true, changed: 5 });
        assert_eq!(
            after.tags["rl"],
            Tag { on: false, changed: 11 },
            "later than its last time though the clock is behind"
        );
        assert!(!after.tags.contains_key("never"), "removing a tag never there leaves nothing");
    }
}
