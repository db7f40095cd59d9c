//! Folding: what a title and a query are compared as, so that `uber` finds "Über" and a hyphen an en dash.
//!
//! A character is decomposed for compatibility (Unicode NFKD: ligatures split, full-width and superscript
//! forms made plain) and its combining marks dropped; the few Latin letters that do not decompose (`ß`,
//! `ø`, `ł`, `æ`...) are spelled out; every dash reads as `-`, curly quotes as straight ones and a final
//! sigma as σ. Case is kept: smart case decides later whether it counts.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Calls `out` with the folded form of `c`: one character most of the time, none for a combining mark,
/// two for a ligature or `ß`.
pub fn fold_char(c: char, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        return out(c);
    }
    if let Some(spelled) = spelled_out(c) {
        return spelled.chars().for_each(out);
    }
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        if let Some(spelled) = spelled_out(d) {
            spelled.chars().for_each(&mut *out);
        } else {
            out(d);
        }
    });
}

/// `text` folded, for queries and tests.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut |f| folded.push(f));
    }
    folded
}

/// Characters that compatibility decomposition leaves alone but a reader types otherwise.
fn spelled_out(c: char) -> Option<&'static str> {
    Some(match c {
        // Every dash and minus sign (Unicode's Pd category and U+2212) as the hyphen on the keyboard.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{2e3a}' | '\u{2e3b}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => "-",
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' => "'",
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' => "\"",
        'ß' => "ss",
        'ẞ' => "SS",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'ø' => "o",
        'Ø' => "O",
        'ł' => "l",
        'Ł' => "L",
        'đ' | 'ð' => "d",
        'Đ' | 'Ð' => "D",
        'þ' => "th",
        'Þ' => "TH",
        'ħ' => "h",
        'Ħ' => "H",
        'ı' => "i",
        // The final form of sigma is the letter σ: "ΣΊΣΥΦΟΣ" reads as "σισυφοσ" in lower case.
        'ς' => "σ",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn accents_ligatures_dashes_and_quotes_fold_to_what_is_typed() {
        assert_eq!(fold("Über Schrödinger"), "Uber Schrodinger");
        assert_eq!(fold("Kolmogorov–Arnold — a “test”"), "Kolmogorov-Arnold - a \"test\"");
        assert_eq!(fold("Straße ﬁne Œuvre"), "Strasse fine OEuvre");
        assert_eq!(fold("Łódź Ørsted İstanbul"), "Lodz Orsted Istanbul");
        assert_eq!(fold("Ｆｕｌｌ x²"), "Full x2");
        assert_eq!(fold("it’s"), "it's");
        // Scripts without a Latin spelling stay as they are.
        assert_eq!(fold("中国 Ελληνικά"), "中国 Ελληνικα");
        // A word's last sigma is the sigma the capital folds to in lower case.
        assert_eq!(fold("Σίσυφος"), "Σισυφοσ");
    }
}
