//! Fuzz target: sanitising is idempotent and leaves no control, escape, bidi or format character (a joiner
//! between two emoji excepted).
#![no_main]

use libfuzzer_sys::fuzz_target;
use papers::sanitize::{first_unsafe, sanitize};

fuzz_target!(|text: &str| {
    let once = sanitize(text);
    assert_eq!(sanitize(&once), once);
    assert!(first_unsafe(&once).is_none(), "{once:?}");
    // Only ever removes or replaces: never longer than the input.
    assert!(once.len() <= text.len());
});
