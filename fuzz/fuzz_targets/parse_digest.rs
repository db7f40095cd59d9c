//! Fuzz target: the text digest parser never panics, and what it keeps is safe to draw.
#![no_main]

use libfuzzer_sys::fuzz_target;
use papers::sanitize::is_unsafe;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(digest) = papers::digest::parse_text("fuzz.txt", bytes) {
        assert!(!digest.is_empty());
        for paper in digest.papers() {
            assert!(!paper.title().is_empty());
            assert!(!paper.title().chars().any(is_unsafe), "{:?}", paper.title());
            let abstract_text = paper.abstract_text();
            assert!(!abstract_text.chars().any(|c| is_unsafe(c) && c != '\n'), "{abstract_text:?}");
        }
    }
});
