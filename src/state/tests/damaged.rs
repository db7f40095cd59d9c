//! Damaged or foreign state files: the reader starts, says what happened in one line naming the files,
//! keeps the damaged file aside byte for byte, and recovers from the backup when it can.

use super::*;

/// Every kind of damage the issue names, and a few foreign files.
const DAMAGED: [(&str, &[u8]); 11] = [
    ("empty", b""),
    ("blank", b"  \n"),
    ("truncated", b"{\"version\": 1, \"papers\": {\"title:p\": {\"starred\": tr"),
    ("zero-filled", b"\0\0\0\0\0\0\0\0"),
    ("not UTF-8", b"{\"version\": 1, \"papers\": {\"title:\xff\": {}}}"),
    ("an array", b"[1, 2, 3]"),
    ("no version", b"{\"papers\": {}}"),
    ("a string version", b"{\"version\": \"1\", \"papers\": {}}"),
    ("wrong field types", b"{\"version\": 1, \"papers\": {\"title:p\": {\"starred\": \"yes\"}}}"),
    ("trailing garbage", b"{\"version\": 1, \"papers\": {}}\n}}garbage"),
    ("another program's JSON", b"{\"version\": 1, \"theme\": \"dark\", \"recent\": []}"),
];

fn damaged_files(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".damaged-"))
        .collect()
}

#[test]
fn a_damaged_file_without_a_backup_is_kept_aside_and_the_reader_starts_empty() {
    for (what, bytes) in DAMAGED {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        fs::write(&path, bytes).unwrap();
        let (mut store, notices) = Store::open(&path);
        assert_eq!(notices.len(), 1, "{what}: {notices:?}");
        let aside = damaged_files(dir.path());
        assert_eq!(aside.len(), 1, "{what}");
        assert_eq!(fs::read(&aside[0]).unwrap(), bytes, "{what}: kept byte for byte");
        let notice = &notices[0];
        assert!(!notice.contains('\n'), "{what}: one line: {notice}");
        assert!(notice.contains(&path.display().to_string()), "{what}: {notice}");
        assert!(notice.contains(&aside[0].display().to_string()), "{what}: {notice}");
        assert!(notice.contains("no usable backup"), "{what}: {notice}");
        assert!(store.read_only().is_none(), "{what}");
        // There is never a moment without a state file: an empty one replaced the damaged one.
        assert!(matches!(judge(&fs::read(&path).unwrap()), Judged::Good(p) if p.is_empty()), "{what}");
        // The reader goes on and saves again.
        star(&mut store, "P", true).unwrap();
        assert!(Store::open(&path).0.is_starred(&key("P")), "{what}");
    }
}

#[test]
fn a_damaged_file_is_recovered_from_the_backup() {
    for (what, bytes) in DAMAGED {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let (mut store, _) = Store::open(&path);
        star(&mut store, "Kept", true).unwrap();
        store.update(&key("Also kept"), "Also kept", |m| m.read = true).unwrap();
        star(&mut store, "Last", true).unwrap();
        drop(store);
        fs::write(&path, bytes).unwrap();

        let (store, notices) = Store::open(&path);
        assert_eq!(notices.len(), 1, "{what}: {notices:?}");
        let notice = &notices[0];
        assert!(notice.contains("restored the marks of 2 papers from the backup"), "{what}: {notice}");
        assert!(notice.contains("state.json.bak"), "{what}: {notice}");
        assert!(store.is_starred(&key("Kept")) && store.is_read(&key("Also kept")), "{what}");
        // The backup is the file before the last save: the last change is the one that can be lost.
        assert!(!store.is_starred(&key("Last")), "{what}");
        assert_eq!(fs::read(&damaged_files(dir.path())[0]).unwrap(), bytes, "{what}");
        // Restored marks went back into the main file at once.
        let (again, notices) = Store::open(&path);
        assert!(notices.is_empty(), "{what}: {notices:?}");
        assert!(again.is_starred(&key("Kept")), "{what}");
    }
}

#[test]
fn a_damaged_backup_too_means_starting_empty_with_both_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::write(&path, b"\0\0").unwrap();
    fs::write(dir.path().join("state.json.bak"), b"{\"vers").unwrap();
    let (store, notices) = Store::open(&path);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("no usable backup"), "{notices:?}");
    assert!(!store.is_starred(&key("P")));
}

#[test]
fn a_newer_format_is_read_but_never_written_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let newer = br#"{"version": 3, "papers": {"title:p": {"starred": true, "future": 1}}, "more": []}"#;
    fs::write(&path, newer).unwrap();
    let (mut store, notices) = Store::open(&path);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("newer") && notices[0].contains("read-only"), "{notices:?}");
    assert!(notices[0].contains(&path.display().to_string()), "{notices:?}");
    assert!(store.is_starred(&key("P")));
    assert!(store.read_only().is_some());
    assert!(star(&mut store, "Q", true).is_err());
    assert!(store.is_starred(&key("Q")), "the change is kept in memory");
    assert_eq!(fs::read(&path).unwrap(), newer);
    assert!(damaged_files(dir.path()).is_empty());
}

#[test]
fn a_newer_format_of_another_shape_is_still_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let newer = br#"{"version": 3, "papers": [{"id": "2401.00001", "starred": true}]}"#;
    fs::write(&path, newer).unwrap();
    let (mut store, notices) = Store::open(&path);
    assert!(notices[0].contains("newer"), "{notices:?}");
    assert!(star(&mut store, "Q", true).is_err());
    assert_eq!(fs::read(&path).unwrap(), newer);
}

#[test]
fn judging_names_the_damage() {
    let why = |bytes: &[u8]| match judge(bytes) {
        Judged::Damaged(why) => why,
        _ => panic!("{bytes:?} is damaged"),
    };
    assert!(why(b"").contains("empty"));
    assert!(why(b"\0\0").contains("zero bytes"));
    assert!(why(b"{\"version\": 1, \"papers\": {}\xff").contains("not UTF-8"));
    assert!(why(b"{\"version\": 1, ").contains("ends too early"));
    assert!(why(b"[1]").contains("not a papers state file"));
    assert!(matches!(judge(b"{\"version\": 1, \"papers\": {}}"), Judged::Good(p) if p.is_empty()));
    // Another program's JSON that happens to have a version is not an empty state.
    assert!(why(b"{\"version\": 1}").contains("missing field `papers`"));
    assert!(why(b"{\"version\": 1, \"papers\": {}, \"settings\": {}}").contains("unknown field `settings`"));
}

#[test]
fn a_byte_order_mark_before_the_json_is_passed_over() {
    let file = br#"{"version": 2, "papers": {"title:p": {"starred": true, "changed": 1}}}"#;
    let with_bom = [&b"\xef\xbb\xbf"[..], file].concat();
    assert!(matches!(disk::judge(&with_bom), Judged::Good(papers) if papers.len() == 1));
    assert_eq!(disk::salvage(&with_bom).map(|(marks, skipped)| (marks.len(), skipped.len())), Some((1, 0)));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::write(&path, &with_bom).unwrap();
    let (store, notices) = Store::open(&path);
    assert!(notices.is_empty(), "{notices:?}");
    assert!(store.is_starred(&key("P")));
    assert!(damaged_files(dir.path()).is_empty());
}

#[test]
fn a_file_a_hand_edited_says_how_to_bring_back_what_can_be_read_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let edited = br#"{"version": 2, "note_to_self": "x", "papers": {"title:p": {"starred": true, "changed": 1}, "title:q": {"read": "yes"}}}"#;
    fs::write(&path, edited).unwrap();
    let (_, notices) = Store::open(&path);
    let aside = damaged_files(dir.path());
    assert_eq!(aside.len(), 1);
    let notice = notices.join("\n");
    assert!(
        notice.contains(&format!(
            "what can be read in it (the marks of 1 paper) comes back with `papers --state {} state import {}`",
            crate::sanitize::quote_path(&path),
            crate::sanitize::quote_path(&aside[0])
        )),
        "{notice}"
    );
    // Other JSON holds no marks to bring back, and is not offered.
    fs::write(&path, br#"{"version": 1, "theme": "dark"}"#).unwrap();
    let (_, notices) = Store::open(&path);
    assert!(!notices.join("\n").contains("state import"), "{notices:?}");
}
