//! Properties over arbitrary input: parsing, loading state, sanitising, ranking and drawing never panic,
//! and nothing unsafe ever reaches a screen cell.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use papers::digest::parse_text;
use papers::library::Library;
use papers::library::PaperKey;
use papers::sanitize::{first_unsafe, sanitize};
use papers::search::{Query, Within};
use papers::state::{Filter, MarkSet};
use papers::state::{Judged, Marks, Store, encode, judge};
use proptest::prelude::*;
use std::sync::atomic::AtomicBool;

/// Text that looks like a digest, with controls, escapes, wide and odd characters mixed in.
fn digest_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[A-Za-z ]{1,30}",
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\u{1b}]52;c;eA==\u{7}".to_string()),
        Just("\u{202e}".to_string()),
        Just("\t".to_string()),
        Just("中国🦀".to_string()),
        // Format characters, and the joiner that is kept between two emoji and dropped elsewhere.
        Just("\u{13430}\u{e0041}\u{600}".to_string()),
        Just("\u{1f468}\u{200d}".to_string()),
        Just("\u{200d}\u{1f469}".to_string()),
        Just("Mar 14".to_string()),
        Just(". ".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn parsing_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = parse_text("fuzz.txt", &bytes);
    }

    /// The same for the structured formats: arbitrary bytes after each one's opening, and JSON whose
    /// strings are arbitrary text (escape sequences included) parse without a panic into safe text.
    #[test]
    fn structured_formats_never_panic_and_give_safe_text(
        tail in prop::collection::vec(any::<u8>(), 0..1000),
        text in digest_like(),
        which in 0usize..4,
    ) {
        let opening: &[u8] = [&b"[{"[..], b"{\"", b"<?xml", b"<rss"][which];
        let _ = parse_text("fuzz", &[opening, &tail].concat());
        let value = serde_json::Value::String(text.clone());
        let json = format!(
            "[{{\"paper\": {{\"id\": \"2403.00001\", \"title\": {value}, \"summary\": {value}, \"authors\": [{{\"name\": {value}}}]}}}}]"
        );
        let jsonl = format!("{{\"id\": \"2403.00001\", \"title\": {value}, \"abstract\": {value}, \"authors\": {value}}}\n");
        for bytes in [json, jsonl] {
            if let Ok(digest) = parse_text("fuzz.json", bytes.as_bytes()) {
                for paper in digest.papers() {
                    prop_assert!(first_unsafe(paper.title()).is_none());
                    prop_assert!(paper.abstract_text().split('\n').all(|line| first_unsafe(line).is_none()));
                    let authors = paper.meta().map(|m| m.authors.concat()).unwrap_or_default();
                    prop_assert!(first_unsafe(&authors).is_none(), "{:?}", authors);
                }
            }
        }
    }

    #[test]
    fn parsed_text_is_always_safe(text in digest_like()) {
        if let Ok(digest) = parse_text("fuzz.txt", text.as_bytes()) {
            for paper in digest.papers() {
                prop_assert!(first_unsafe(paper.title()).is_none());
                prop_assert!(paper.abstract_text().split('\n').all(|line| first_unsafe(line).is_none()));
                prop_assert!(!paper.title().is_empty());
            }
        }
    }

    #[test]
    fn sanitising_is_idempotent_and_leaves_nothing_unsafe(text in digest_like()) {
        let once = sanitize(&text);
        prop_assert_eq!(sanitize(&once), once.clone());
        prop_assert!(first_unsafe(&once).is_none());
    }

    #[test]
    fn loading_any_state_file_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..500)) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("state.json");
        std::fs::write(&path, &bytes).expect("write");
        let _ = Store::open(&path);
    }

    #[test]
    fn ranking_returns_a_subset_in_score_order(titles in prop::collection::vec(".{0,40}", 0..20), query in ".{0,8}") {
        let library = Library::from_papers(titles.into_iter().map(|t| (t, "")));
        let never = AtomicBool::new(false);
        let ranked = Query::new(&query)
            .rank(library.titles(), &Within::From(0), Filter::All, &MarkSet::default(), &never)
            .unwrap()
            .order;
        prop_assert!(ranked.len() <= library.len());
        let q = Query::new(&query);
        let scores: Vec<u16> = ranked.iter().map(|&i| q.score(library.get(i as usize).title()).unwrap_or(0)).collect();
        prop_assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    }

    #[test]
    fn any_query_parses_or_says_why_and_ranks_without_panicking(
        query in prop_oneof![".{0,20}", "[a-z:()\"|! ANDORTNcatisbrd.-]{0,30}"],
        titles in prop::collection::vec(".{0,30}", 0..10),
    ) {
        let library = Library::from_papers(titles.into_iter().map(|t| (t.clone(), t)));
        match Query::parse(&query) {
            Ok(q) => {
                let never = AtomicBool::new(false);
                let ranked = q.rank(library.titles(), &Within::From(0), Filter::All, &MarkSet::default(), &never);
                prop_assert!(ranked.is_some_and(|r| r.order.len() <= library.len()));
                for paper in library.papers() {
                    let _ = q.positions(paper.title());
                }
            }
            Err(why) => prop_assert!(!why.to_string().is_empty()),
        }
    }

    #[test]
    fn no_unsafe_character_reaches_a_cell(text in digest_like(), width in 20u16..130, height in 5u16..30) {
        let Ok(digest) = parse_text("fuzz.txt", text.as_bytes()) else { return Ok(()) };
        let dir = tempfile::tempdir().expect("temp dir");
        let (store, _) = Store::open(&dir.path().join("state.json"));
        let app = papers::app::App::new(Library::from_chunks(digest.chunks), &store);
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).expect("terminal");
        let mut view = papers::ui::ViewState::default();
        terminal.draw(|f| papers::ui::render(&app, &mut view, f)).expect("draw");
        for cell in terminal.backend().buffer().content() {
            prop_assert!(first_unsafe(cell.symbol()).is_none(), "{:?}", cell.symbol());
        }
    }

    #[test]
    fn a_state_file_reads_back_as_written(
        papers in prop::collection::btree_map(".{0,30}", (any::<bool>(), any::<bool>(), any::<u64>(), prop::option::of(".{0,20}")), 0..20)
    ) {
        let papers: std::collections::BTreeMap<PaperKey, Marks> = papers
            .into_iter()
            .map(|(title, (starred, read, changed, shown))| {
                (PaperKey::from_title(&title), Marks { starred, read, changed, title: shown, ..Marks::default() })
            })
            .collect();
        match judge(&encode(&papers)) {
            Judged::Good(again) => prop_assert_eq!(again, papers),
            _ => prop_assert!(false, "written state does not read back"),
        }
    }
}

proptest! {
    // Every step saves with fsync: fewer cases, each a whole interleaving.
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// Two readers open on one file, each changing its own papers, saving and reloading in any order:
    /// the file ends with every change, and each reader sees the other's after a reload.
    #[test]
    fn two_readers_in_any_interleaving_lose_nothing(ops in prop::collection::vec((any::<bool>(), 0u8..4, any::<bool>(), any::<bool>()), 1..40)) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("state.json");
        let mut readers = [Store::open(&path).0, Store::open(&path).0];
        let mut want = std::collections::BTreeMap::new();
        for (second, paper, star, reload) in ops {
            let who = usize::from(second);
            let title = format!("reader {who} paper {paper}");
            let key = PaperKey::from_title(&title);
            let store = &mut readers[who];
            if reload {
                store.reload();
            }
            store.update(&key, &title, |m| if star { m.starred = !m.starred } else { m.read = !m.read }).expect("save");
            let entry = want.entry(key).or_insert((false, false));
            if star { entry.0 = !entry.0 } else { entry.1 = !entry.1 }
        }
        let (file, _) = Store::open(&path);
        for (key, (starred, read)) in &want {
            prop_assert_eq!((file.is_starred(key), file.is_read(key)), (*starred, *read), "{:?}", key);
        }
        for reader in &mut readers {
            reader.reload();
            for (key, (starred, read)) in &want {
                prop_assert_eq!((reader.is_starred(key), reader.is_read(key)), (*starred, *read));
            }
        }
    }

    /// Two readers tag the same papers at once, each with its own tags, and write notes on their own
    /// papers, saving and reloading in any order: every tag put on or taken off, and every note, is in
    /// the file at the end (a tag taken off is never brought back by the other reader's older copy).
    #[test]
    fn two_readers_tagging_the_same_papers_lose_nothing(ops in prop::collection::vec((any::<bool>(), 0u8..3, 0u8..3, any::<bool>()), 1..40)) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("state.json");
        let mut readers = [Store::open(&path).0, Store::open(&path).0];
        let mut tags: std::collections::BTreeMap<(u8, String), bool> = std::collections::BTreeMap::new();
        let mut notes: std::collections::BTreeMap<(usize, u8), String> = std::collections::BTreeMap::new();
        for (step, (second, paper, tag, reload)) in ops.into_iter().enumerate() {
            let who = usize::from(second);
            let store = &mut readers[who];
            if reload {
                store.reload();
            }
            let shared = format!("shared paper {paper}");
            let name = format!("r{who}-{tag}");
            let on = !tags.get(&(paper, name.clone())).copied().unwrap_or(false);
            store.update(&PaperKey::from_title(&shared), &shared, |m| m.set_tag(&name, on)).expect("save");
            tags.insert((paper, name), on);
            let own = format!("reader {who} paper {paper}");
            let note = format!("step {step}");
            store.update(&PaperKey::from_title(&own), &own, |m| m.set_note(&note)).expect("save");
            notes.insert((who, paper), note);
        }
        let (file, _) = Store::open(&path);
        for reader in std::iter::once(&file).chain(readers.iter_mut().map(|r| { r.reload(); &*r })) {
            for ((paper, name), on) in &tags {
                let marks = reader.marks(&PaperKey::from_title(&format!("shared paper {paper}")));
                prop_assert_eq!(marks.is_some_and(|m| m.has_tag(name)), *on, "{} on paper {}", name, paper);
            }
            for ((who, paper), note) in &notes {
                let marks = reader.marks(&PaperKey::from_title(&format!("reader {who} paper {paper}")));
                prop_assert_eq!(marks.and_then(|m| m.note()), Some(note.as_str()));
            }
        }
    }
}

/// Found by `no_unsafe_character_reaches_a_cell`: a joiner between an emoji and a pictograph outside the
/// common emoji (a mahjong tile) is one grapheme to the sanitiser, and must reach the screen whole.
#[test]
fn an_emoji_joined_to_a_pictograph_reaches_the_screen_whole() {
    let text = "\u{1f468}\u{200d}\u{1f000}A";
    let digest = parse_text("fuzz.txt", text.as_bytes()).unwrap();
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let app = papers::app::App::new(Library::from_chunks(digest.chunks), &store);
    for width in [20, 40, 80] {
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, 5)).expect("terminal");
        let mut view = papers::ui::ViewState::default();
        terminal.draw(|f| papers::ui::render(&app, &mut view, f)).expect("draw");
        let cells: Vec<&str> = terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect();
        for cell in &cells {
            assert!(first_unsafe(cell).is_none(), "{width}: {cell:?} in {cells:?}");
        }
    }
}
