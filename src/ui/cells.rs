//! The frame's cells made to take the columns every terminal gives them.
//!
//! ratatui measures a grapheme whole (`unicode-width`): a flag (two regional indicators) is two columns,
//! an emoji with a skin tone or joined to another by a zero-width joiner is two, an emoji-style
//! variation selector makes a one-column symbol two, a run of conjoining Hangul jamo is one syllable.
//! Many terminals (tmux among them) give each character its own columns instead: the flag's second
//! half lands in the cell ratatui thinks the first one covers, and stays there once that row is drawn
//! again, since ratatui never writes a cell it thinks is covered. A cell whose grapheme is measured one
//! way as a whole and another character by character is written as characters that take the same
//! columns either way: a flag as its two letters, the rest as its first picture or letter (joiners,
//! selectors and skin tones left out), padded with spaces. A grapheme that is fine keeps what it is, and
//! a letter keeps no more than `MARKS_KEPT` combining marks (a title of stacked accents ran past its
//! border in tmux).

use ratatui::buffer::{Buffer, CellWidth};
use unicode_width::UnicodeWidthChar;

/// How many combining marks a cell keeps on its letter.
const MARKS_KEPT: usize = 4;

/// Rewrites the cells of `buffer` whose graphemes terminals may draw wider or narrower than ratatui
/// measured them (see the module's text).
pub fn settle(buffer: &mut Buffer) {
    let area = buffer.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let cell = &buffer[(x, y)];
            let width = usize::from(cell.symbol().cell_width()).max(1);
            // One character (nearly every cell) takes the columns every terminal gives it.
            let mut chars = cell.symbol().chars();
            if chars.next().is_some()
                && chars.next().is_some()
                && let Some(parts) = unambiguous(cell.symbol(), width)
            {
                // Each cell written in the grapheme's style (a highlight, reverse video), which the cells
                // it covered did not have.
                let style = buffer[(x, y)].style();
                let mut at = x;
                for (part, columns) in parts {
                    if at >= area.right() {
                        break;
                    }
                    buffer[(at, y)].set_symbol(&part).set_style(style);
                    at += columns as u16;
                }
            }
            x = x.saturating_add(width as u16);
        }
    }
}

/// `symbol`, which ratatui draws `width` columns wide, as cells of characters that every terminal draws
/// as wide as ratatui measures them, each with its columns; `None` when it is so already.
fn unambiguous(symbol: &str, width: usize) -> Option<Vec<(String, usize)>> {
    let by_char: usize = symbol.chars().map(|c| c.width().unwrap_or(0)).sum();
    let marks = symbol.chars().filter(|&c| c.width() == Some(0)).count();
    // Two characters that each take columns: a terminal that does not know them as one picture gives
    // each its own cells, where ratatui has one cell covering the next.
    let spacing = symbol.chars().filter(|&c| c.width().unwrap_or(0) > 0).count();
    // Conjoining jamo: terminals join them into syllables each its own way (tmux joins a run of leading
    // ones into one cell).
    let jamo = symbol
        .chars()
        .any(|c| matches!(c, '\u{1100}'..='\u{11ff}' | '\u{a960}'..='\u{a97f}' | '\u{d7b0}'..='\u{d7ff}'));
    if by_char == width && marks <= MARKS_KEPT && spacing <= 1 && !jamo {
        return None;
    }
    let composed: String;
    let symbol = if jamo {
        // A syllable of jamo is the one character Unicode composes it to; the others stand alone.
        use unicode_normalization::UnicodeNormalization;
        composed = symbol.nfc().filter_map(standalone_jamo).collect();
        composed.as_str()
    } else {
        symbol
    };
    let mut parts: Vec<(String, usize)> = Vec::new();
    let mut used = 0;
    let mut marks = 0;
    for c in symbol.chars() {
        let c = match c {
            // Regional indicators: the letter each stands for.
            '\u{1f1e6}'..='\u{1f1ff}' => char::from(b'A' + (c as u32 - 0x1f1e6) as u8),
            // Joiners, variation selectors, skin tones and tags: how a terminal that draws the whole as
            // one picture would draw it, left out.
            '\u{200d}' | '\u{fe00}'..='\u{fe0f}' | '\u{1f3fb}'..='\u{1f3ff}' | '\u{e0000}'..='\u{e007f}' => continue,
            c => c,
        };
        match c.width().unwrap_or(0) {
            0 => {
                if let Some((part, _)) = parts.last_mut()
                    && marks < MARKS_KEPT
                {
                    part.push(c);
                    marks += 1;
                }
            }
            columns if used + columns <= width => {
                parts.push((c.to_string(), columns));
                used += columns;
                marks = 0;
            }
            _ => break,
        }
    }
    while used < width {
        parts.push((" ".to_string(), 1));
        used += 1;
    }
    Some(parts)
}

/// A conjoining jamo as the compatibility jamo that stands alone (two columns everywhere, joined to
/// nothing); `None` for one without such a letter (fillers, archaic jamo). Anything else as it is.
fn standalone_jamo(c: char) -> Option<char> {
    const LEADING: [u16; 19] = [
        0x3131, 0x3132, 0x3134, 0x3137, 0x3138, 0x3139, 0x3141, 0x3142, 0x3143, 0x3145, 0x3146, 0x3147, 0x3148, 0x3149,
        0x314a, 0x314b, 0x314c, 0x314d, 0x314e,
    ];
    const TRAILING: [u16; 27] = [
        0x3131, 0x3132, 0x3133, 0x3134, 0x3135, 0x3136, 0x3137, 0x3139, 0x313a, 0x313b, 0x313c, 0x313d, 0x313e, 0x313f,
        0x3140, 0x3141, 0x3142, 0x3144, 0x3145, 0x3146, 0x3147, 0x3148, 0x314a, 0x314b, 0x314c, 0x314d, 0x314e,
    ];
    let code = c as u32;
    let mapped = match c {
        '\u{1100}'..='\u{1112}' => u32::from(LEADING[(code - 0x1100) as usize]),
        '\u{1161}'..='\u{1175}' => 0x314f + (code - 0x1161),
        '\u{11a8}'..='\u{11c2}' => u32::from(TRAILING[(code - 0x11a8) as usize]),
        '\u{1100}'..='\u{11ff}' | '\u{a960}'..='\u{a97f}' | '\u{d7b0}'..='\u{d7ff}' => return None,
        _ => return Some(c),
    };
    char::from_u32(mapped)
}

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    use super::*;

    #[test]
    fn the_cells_a_grapheme_is_rewritten_into_keep_its_style() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 6, 1));
        let marked = ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::REVERSED);
        buffer.set_string(0, 0, "a", ratatui::style::Style::default());
        buffer.set_string(1, 0, "🇯🇵\u{2764}\u{fe0f}", marked);
        settle(&mut buffer);
        let cells: Vec<(&str, bool)> = (0..6)
            .map(|x| (buffer[(x, 0)].symbol(), buffer[(x, 0)].modifier.contains(ratatui::style::Modifier::REVERSED)))
            .collect();
        assert_eq!(cells, [("a", false), ("J", true), ("P", true), ("\u{2764}", true), (" ", true), (" ", false)]);
    }

    /// `text` drawn on one row of `columns` as ratatui draws it, settled: each cell's symbol.
    fn drawn(text: &str, columns: u16) -> Vec<String> {
        let mut buffer = Buffer::empty(Rect::new(0, 0, columns, 1));
        buffer.set_string(0, 0, text, ratatui::style::Style::default());
        settle(&mut buffer);
        (0..columns).map(|x| buffer[(x, 0)].symbol().to_string()).collect()
    }

    #[test]
    fn a_flag_is_drawn_as_its_two_letters_in_the_two_cells_it_takes() {
        assert_eq!(drawn("a🇯🇵b", 5), ["a", "J", "P", "b", " "]);
    }

    #[test]
    fn joined_emoji_selectors_and_skin_tones_keep_their_columns() {
        // A woman scientist (woman, joiner, microscope): two columns, the first picture.
        assert_eq!(drawn("👩\u{200d}🔬x", 4), ["👩", " ", "x", " "]);
        // A heart with the emoji selector, measured two columns: the heart and a space.
        assert_eq!(drawn("\u{2764}\u{fe0f}x", 4), ["\u{2764}", " ", "x", " "]);
        // A thumb with a skin tone: the thumb.
        assert_eq!(drawn("👍🏽x", 4), ["👍", " ", "x", " "]);
    }

    #[test]
    fn conjoining_jamo_are_drawn_as_syllables_or_letters_that_stand_alone() {
        // One grapheme of three leading jamo, six columns: each in cells of its own, as a terminal that
        // does not join them draws them.
        let cells = drawn("\u{1100}\u{1100}\u{1100}x", 8);
        assert_eq!(cells, ["ㄱ", " ", "ㄱ", " ", "ㄱ", " ", "x", " "]);
        // A syllable of jamo (leading, vowel, trailing) is the syllable it makes.
        assert_eq!(drawn("\u{1100}\u{1161}\u{11a8}x", 4), ["각", " ", "x", " "]);
    }

    #[test]
    fn plain_text_accents_and_wide_characters_are_left_as_they_are() {
        assert_eq!(drawn("e\u{301}漢x", 5), ["e\u{301}", "漢", " ", "x", " "]);
        // Stacked marks: the letter keeps a few.
        let zalgo = format!("a{}", "\u{301}".repeat(40));
        let cells = drawn(&zalgo, 2);
        assert_eq!(cells[0], format!("a{}", "\u{301}".repeat(MARKS_KEPT)));
    }
}
