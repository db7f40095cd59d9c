//! Tags and notes: kept, merged tag by tag between readers (a removal remembered), carried by the journal,
//! export and import, and a file of the format before them migrated.

use super::*;

fn tag(store: &mut Store, title: &str, name: &str, on: bool) {
    store.update(&key(title), title, |m| m.set_tag(name, on)).unwrap();
}

fn tags_of(store: &Store, title: &str) -> Vec<String> {
    store.marks(&key(title)).map(|m| m.tags().map(str::to_string).collect()).unwrap_or_default()
}

fn note_of(store: &Store, title: &str) -> Option<String> {
    store.marks(&key(title)).and_then(|m| m.note().map(str::to_string))
}

#[test]
fn tags_and_a_note_survive_a_restart_and_an_empty_note_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    tag(&mut store, "P", "rl", true);
    tag(&mut store, "P", "survey", true);
    store.update(&key("P"), "P", |m| m.set_note("  read section 3\n")).unwrap();
    let (again, notices) = Store::open(&path);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(tags_of(&again, "P"), ["rl", "survey"]);
    assert_eq!(note_of(&again, "P").as_deref(), Some("read section 3"));
    store.update(&key("P"), "P", |m| m.set_note("")).unwrap();
    tag(&mut store, "P", "rl", false);
    let (again, _) = Store::open(&path);
    assert_eq!(tags_of(&again, "P"), ["survey"]);
    assert_eq!(note_of(&again, "P"), None);
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(json["papers"]["title:p"]["tags"]["rl"]["on"], false, "the removal is remembered");
}

#[test]
fn a_note_written_in_one_reader_while_another_edits_it_is_kept_beside_the_later() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, _) = Store::open(&path);
    a.update(&key("P"), "P", |m| m.set_note("first")).unwrap();
    let (mut b, _) = Store::open(&path);
    let first = b.marks(&key("P")).and_then(|m| m.note.as_ref()).map(|n| n.changed).unwrap();
    // B's editor opens on "first"; meanwhile A writes its note over "first" and saves.
    std::thread::sleep(Duration::from_millis(3));
    a.update(&key("P"), "P", |m| m.set_note_over("first\nby A", first)).unwrap();
    std::thread::sleep(Duration::from_millis(3));
    // B's editor closes: B never saw A's note, which is kept before B's.
    b.update(&key("P"), "P", |m| m.set_note_over("first\nby B", first)).unwrap();
    let (file, _) = Store::open(&path);
    assert_eq!(note_of(&file, "P").as_deref(), Some("first\nby A\n\nfirst\nby B"));
    a.reload();
    assert_eq!(note_of(&a, "P").as_deref(), Some("first\nby A\n\nfirst\nby B"), "the readers differ");
    // Written over what both show, the next note replaces it, and a removal made without seeing a
    // note does not remove it.
    let both = a.marks(&key("P")).and_then(|m| m.note.as_ref()).map(|n| n.changed).unwrap();
    std::thread::sleep(Duration::from_millis(3));
    a.update(&key("P"), "P", |m| m.set_note_over("tidied", both)).unwrap();
    std::thread::sleep(Duration::from_millis(3));
    b.update(&key("P"), "P", |m| m.set_note_over("", first)).unwrap();
    let (file, _) = Store::open(&path);
    assert_eq!(note_of(&file, "P").as_deref(), Some("tidied"));
    b.reload();
    let seen = b_time(&b);
    b.update(&key("P"), "P", |m| m.set_note_over("", seen)).unwrap();
    assert_eq!(note_of(&Store::open(&path).0, "P"), None, "a removal that saw the note removes it");
}

fn b_time(store: &Store) -> u64 {
    store.marks(&key("P")).and_then(|m| m.note.as_ref()).map_or(0, |n| n.changed)
}

#[test]
fn a_tag_removed_in_one_reader_does_not_come_back_from_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, _) = Store::open(&path);
    tag(&mut a, "P", "old", true);
    let (mut b, _) = Store::open(&path);
    assert_eq!(tags_of(&b, "P"), ["old"]);
    std::thread::sleep(Duration::from_millis(3));
    tag(&mut a, "P", "old", false);
    a.update(&key("P"), "P", |m| m.set_note("from A")).unwrap();
    std::thread::sleep(Duration::from_millis(3));
    // B still shows `old` on P; its own tag and its later note are saved over A's file.
    tag(&mut b, "P", "new", true);
    b.update(&key("P"), "P", |m| m.set_note("from B")).unwrap();
    let (file, _) = Store::open(&path);
    assert_eq!(tags_of(&file, "P"), ["new"], "A's removal was undone, or B's tag lost");
    assert_eq!(note_of(&file, "P").as_deref(), Some("from B"), "the later note wins");
    a.reload();
    assert_eq!(tags_of(&a, "P"), ["new"]);
    assert_eq!(note_of(&a, "P").as_deref(), Some("from B"));
}

#[test]
fn the_journal_carries_tags_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _) = Store::open(&path);
    store.set_journal_limits(0, 1 << 20);
    star(&mut store, "First", true).unwrap();
    tag(&mut store, "P", "rl", true);
    store.update(&key("P"), "P", |m| m.set_note("a note")).unwrap();
    let journal = fs::read_to_string(dir.path().join("state.json.journal")).unwrap();
    assert!(journal.contains("\"rl\"") && journal.contains("a note"), "{journal}");
    let (file, _) = Store::open(&path);
    assert_eq!(tags_of(&file, "P"), ["rl"]);
    assert_eq!(note_of(&file, "P").as_deref(), Some("a note"));
}

/// A state file as papers wrote it before tags and notes (format 1), stars, read marks and all.
const VERSION_1: &str = r#"{
  "version": 1,
  "papers": {
    "arxiv:2404.16112": {
      "starred": true,
      "read": true,
      "changed": 1764000000000,
      "starred_changed": 1764000000000,
      "read_changed": 1763000000000,
      "title": "Mamba-360: Survey of State Space Models"
    },
    "title:a survey of mamba": {
      "starred": false,
      "read": true,
      "changed": 1763500000000
    }
  }
}
"#;

#[test]
fn a_version_1_file_is_read_and_written_as_version_2_at_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::write(&path, VERSION_1).unwrap();
    let (mut store, notices) = Store::open(&path);
    assert!(notices.is_empty(), "{notices:?}");
    assert!(store.read_only().is_none());
    let mamba = PaperKey::from_arxiv_id("2404.16112");
    assert!(store.is_starred(&mamba) && store.is_read(&mamba));
    assert!(store.is_read(&key("A Survey of Mamba")));
    assert_eq!(fs::read_to_string(&path).unwrap(), VERSION_1, "opening changes nothing");
    // Even a file large enough for the journal is written whole: an older papers folding the journal
    // into a version 1 file would drop the tags.
    store.set_journal_limits(0, 1 << 20);
    tag(&mut store, "A Survey of Mamba", "ssm", true);
    assert!(!dir.path().join("state.json.journal").exists());
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(json["version"], 2);
    let (again, _) = Store::open(&path);
    assert!(again.is_starred(&mamba) && again.is_read(&mamba), "the old marks were kept");
    assert_eq!(again.marks(&mamba).unwrap().star_time(), 1764000000000);
    assert_eq!(tags_of(&again, "A Survey of Mamba"), ["ssm"]);
    // The version 1 file is the backup.
    assert_eq!(fs::read_to_string(dir.path().join("state.json.bak")).unwrap(), VERSION_1);
}

#[test]
fn export_and_import_carry_tags_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut here, _) = Store::open(&dir.path().join("here.json"));
    tag(&mut here, "P", "rl", true);
    here.update(&key("P"), "P", |m| m.set_note("why it matters")).unwrap();
    tag(&mut here, "Q", "gone", true);
    tag(&mut here, "Q", "gone", false);
    let (bytes, warning) = here.export().unwrap();
    assert!(warning.is_none());
    let Judged::Good(marks) = judge(&bytes) else { panic!("the export does not read back") };
    let (mut there, _) = Store::open(&dir.path().join("there.json"));
    tag(&mut there, "Q", "gone", true);
    // `there` tags Q after `here` took the tag off: the later change stays.
    let imported = there.import(marks.clone()).unwrap();
    assert_eq!(imported.labelled, 1, "{imported:?}");
    assert_eq!(tags_of(&there, "P"), ["rl"]);
    assert_eq!(note_of(&there, "P").as_deref(), Some("why it matters"));
    assert_eq!(tags_of(&there, "Q"), ["gone"], "a later tag is not taken back by an older removal");
    let (mut third, _) = Store::open(&dir.path().join("third.json"));
    assert_eq!(third.import(marks).unwrap().labelled, 1);
    assert!(tags_of(&third, "Q").is_empty());
}
