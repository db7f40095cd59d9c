//! Fuzz target: sanitising is idempotent and leaves no control, escape, bidi or zero-width character.
#![no_main]

use libfuzzer_sys::fuzz_target;
use papers::sanitize::{is_unsafe, sanitize};

fuzz_target!(|text: &str| {
    let once = sanitize(text);
    assert_eq!(sanitize(&once), once);
    assert!(!once.chars().any(is_unsafe), "{once:?}");
    // Only ever removes or replaces: never longer than the input.
    assert!(once.len() <= text.len());
});
