use super::*;
use crate::search::fzf::{self, Scratch};

/// A bound on the first row of fzf's matrix for a character found at `places` of ASCII `bytes`: its best
/// occurrence's score, where fzf's score of that character alone stops at the first word boundary.
fn first_row_bound(places: u128, bytes: &[u8]) -> i32 {
    let mut best = 0;
    let mut rest = places;
    while rest != 0 {
        let j = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        best = best.max(SCORE_MATCH + ascii_bonus_at(bytes, j) * FIRST_CHAR_MULTIPLIER);
        if best == SCORE_MATCH + BONUS_BOUNDARY_WHITE * FIRST_CHAR_MULTIPLIER {
            break;
        }
    }
    best
}

/// fzf's score with its matrix, and the wholeness of the contiguous occurrences, the general way.
fn reference(text: &str, pattern: &str, respect_case: bool) -> Option<(i32, u8)> {
    let (t, p): (Vec<char>, Vec<char>) = (text.chars().collect(), pattern.chars().collect());
    let mut positions = Vec::new();
    let score = fzf::fuzzy(&t, &p, respect_case, &mut Scratch::default(), Some(&mut positions), None)?;
    Some((score, fzf::wholeness(&t, &p, respect_case, None)))
}

#[test]
fn masks_and_bytes_give_the_matrix_score_and_the_wholeness() {
    // Titles and patterns drawn from a few letters, cases, digits and separators, so that most
    // patterns occur many times over, contiguous and not, at boundaries and inside words.
    let alphabet = b"abAB -/_:1e";
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let (mut matched, mut bounded, mut long, mut closer, mut twos) = (0, 0, 0, 0, 0);
    for _ in 0..20_000 {
        // Most within a mask, some longer.
        let len = if next(8) == 0 { 100 + next(100) } else { next(40) };
        let text: String = (0..len).map(|_| char::from(alphabet[next(alphabet.len())])).collect();
        let pattern: String = (0..1 + next(5)).map(|_| char::from(alphabet[next(alphabet.len())])).collect();
        let pattern = pattern.trim().to_string();
        if pattern.is_empty() {
            continue;
        }
        for respect_case in [false, true] {
            let p: Vec<char> =
                if respect_case { pattern.chars().collect() } else { pattern.to_lowercase().chars().collect() };
            let p_str: String = p.iter().collect();
            let mut pass = Pass::new(&p, respect_case).unwrap();
            pass.close = true;
            let expected = reference(&text, &p_str, respect_case);
            let bytes = text.as_bytes();
            assert_eq!(pass.score_bytes(bytes), expected, "{p_str:?} in {text:?}, byte by byte");
            // The first look, at titles of any length.
            let found = pass.first_look(bytes);
            assert_eq!(found.is_some(), expected.is_some(), "{p_str:?} in {text:?}");
            if let (Some(found), Some((score, whole))) = (found, expected) {
                assert_eq!(found.whole, whole, "{p_str:?} in {text:?}");
                if found.exact {
                    assert_eq!(found.score, score, "{p_str:?} in {text:?}");
                } else {
                    assert!(found.score >= score, "{p_str:?} in {text:?}: {found:?} {score}");
                    bounded += 1;
                }
            }
            matched += usize::from(expected.is_some());
            let Some(title) = Title::new(bytes) else {
                long += 1;
                continue;
            };
            assert_eq!(pass.score(&title), expected, "{p_str:?} in {text:?}");
            // The masks bound the score as closely as the first look, or more closely.
            match (pass.bound(&title), found, expected) {
                (None, None, None) => {}
                (Some(bound), Some(found), Some((score, _))) => {
                    let same = (bound.exact, bound.whole) == (found.exact, found.whole);
                    assert!(same, "{p_str:?} in {text:?}: {bound:?} {found:?}");
                    let between = score <= bound.score && bound.score <= found.score;
                    assert!(between, "{p_str:?} in {text:?}: {bound:?} {found:?}, score {score}");
                    closer += usize::from(bound.score < found.score);
                    // As the trail grows a term's bound: from the score of the term before the
                    // last character, exact or bounded.
                    if p.len() >= 2 {
                        let (before, last) = (&p[..p.len() - 1], p[p.len() - 2..].to_vec());
                        let mask = |c: char| title.mask(c as u8, !respect_case && c.is_ascii_lowercase());
                        let prefix: String = before.iter().collect();
                        let start = match before.len() {
                            1 => first_row_bound(mask(before[0]), bytes),
                            _ => reference(&text, &prefix, respect_case).map_or(0, |(s, _)| s),
                        };
                        let grown = grown_bound(start, mask(last[0]), mask(last[1]), bytes);
                        assert!(grown >= score, "{p_str:?} in {text:?}: grown {grown}, score {score}");
                        if p.len() == 2 {
                            let two = two_score(mask(p[0]), mask(p[1]), bytes);
                            assert_eq!(two, score, "{p_str:?} in {text:?}: two rows");
                            twos += 1;
                        }
                        // A term of one character is scored alone otherwise than as the first row.
                        let bounded = match before.len() {
                            1 => start,
                            _ => {
                                let mut pass = Pass::new(before, respect_case).unwrap();
                                pass.close = true;
                                pass.bound(&title).unwrap().score
                            }
                        };
                        let from_bound = grown_bound(bounded, mask(last[0]), mask(last[1]), bytes);
                        assert!(from_bound >= score, "{p_str:?} in {text:?}: grown {from_bound}");
                    }
                }
                other => panic!("{p_str:?} in {text:?}: {other:?}"),
            }
        }
    }
    assert!(matched > 5_000 && bounded > 1_000 && long > 1_000, "{matched} {bounded} {long}");
    assert!(closer > bounded / 4, "{closer} of {bounded}");
    assert!(twos > 1_000, "{twos} terms of two letters scored from their masks");
}

#[test]
fn a_character_an_ascii_title_cannot_hold_never_matches() {
    let mut pass = Pass::new(&['u', 'b', 'é'], false).unwrap();
    assert_eq!(pass.score(&Title::new(b"uber ube").unwrap()), None);
    assert_eq!(pass.score_bytes(b"uber ube"), None);
    assert!(Pass::new(&['a'; MAX_LEN + 1], false).is_none());
}
