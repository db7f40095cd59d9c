//! Fuzz target: judging a state file's bytes never panics, and a file it reads back is written as it was read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use papers::state::{Judged, encode, judge};

fuzz_target!(|bytes: &[u8]| {
    if let Judged::Good(papers) = judge(bytes) {
        let written = encode(&papers);
        match judge(&written) {
            Judged::Good(again) => assert_eq!(again, papers),
            _ => panic!("a state read back from {bytes:?} was written as a file that does not read"),
        }
    }
});
