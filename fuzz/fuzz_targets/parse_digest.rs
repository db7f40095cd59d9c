//! Fuzz target: the text digest parser never panics, and what it keeps is safe to draw.
#![no_main]

use libfuzzer_sys::fuzz_target;
use papers::sanitize::first_unsafe;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(digest) = papers::digest::parse_text("fuzz.txt", bytes) {
        assert!(!digest.is_empty());
        for paper in digest.papers() {
            assert!(!paper.title().is_empty());
            assert!(first_unsafe(paper.title()).is_none(), "{:?}", paper.title());
            let abstract_text = paper.abstract_text();
            assert!(abstract_text.split('\n').all(|line| first_unsafe(line).is_none()), "{abstract_text:?}");
        }
    }
});
