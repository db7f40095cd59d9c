//! Makes text from a digest safe to draw: no control characters or escape sequences reach the terminal.
//!
//! A digest is untrusted input. An escape sequence hidden in a title could recolour the screen, move the
//! cursor, set the window title, or write the clipboard (OSC 52); bidi overrides, zero-width and other
//! format characters make a title read differently from what it is and break column alignment. Everything
//! here is dropped, except tabs and carriage returns, which become a space, and a zero-width joiner between two emoji (it makes
//! one picture of them), so `sanitize(sanitize(s)) == sanitize(s)`. File names and error texts reach the
//! terminal too: `shown` has them quoted as a shell would, and `message` and `eprint` make every message
//! safe to draw or print.

mod shown;

pub use shown::{MESSAGE_MOST, eprint, message, quote, quote_path, shortened};

/// The zero-width joiner: kept between two emoji (a family, a profession), dropped everywhere else.
const ZWJ: char = '\u{200d}';

/// Returns `text` with escape sequences removed, control, bidi-control and format (Unicode `Cf`) characters
/// dropped (a zero-width joiner inside an emoji sequence excepted), and tabs turned into single spaces.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // Safe text is copied a run at a time; only the characters that need care are looked at one by one.
    while let Some((at, c)) = rest.char_indices().find(|&(_, c)| is_unsafe(c)) {
        out.push_str(&rest[..at]);
        let mut chars = rest[at + c.len_utf8()..].chars();
        match c {
            // Tabs, a lone carriage return (an old Mac line end) and the Unicode line and paragraph
            // separators would break a row: a space keeps the words apart.
            '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            // A line's end (CR LF, or a CR last) is no space.
            '\r' if !chars.as_str().is_empty() && !chars.as_str().starts_with('\n') => out.push(' '),
            '\u{1b}' => skip_escape(&mut chars),
            // C1 introducers of a string (DCS, SOS, OSC, PM, APC) and CSI: swallow their payload too.
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            ZWJ if joins_emoji(&out, chars.as_str()) => out.push(ZWJ),
            _ => {}
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out
}

/// True for characters that must never be drawn: C0/C1 controls, DEL, the line and paragraph separators,
/// and every format character (bidi controls, zero-width marks, invisible operators, tags). A zero-width
/// joiner is one of them too; `first_unsafe` tells one that joins two emoji, which `sanitize` keeps.
pub fn is_unsafe(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_format(c)
}

/// The first character of `text` that must never be drawn, leaving out a zero-width joiner between two
/// emoji: `None` for text that `sanitize` leaves as it is.
pub fn first_unsafe(text: &str) -> Option<char> {
    text.char_indices()
        .find(|&(at, c)| is_unsafe(c) && !(c == ZWJ && joins_emoji(&text[..at], &text[at + 3..])))
        .map(|(_, c)| c)
}

/// True when a zero-width joiner between `before` and `after` joins two emoji into one grapheme, as the
/// screen's cells are cut (`unicode-segmentation`, which ratatui uses): a joiner it leaves at the end of
/// a cell would join that cell to whatever the terminal draws next.
fn joins_emoji(before: &str, after: &str) -> bool {
    use unicode_segmentation::UnicodeSegmentation;
    let mut back = before.chars().rev();
    // An emoji before may carry its emoji-style variation selector.
    let (previous, selector) = match back.next() {
        Some('\u{fe0f}') => (back.next(), "\u{fe0f}"),
        other => (other, ""),
    };
    let (Some(previous), Some(next)) = (previous, after.chars().next()) else { return false };
    is_pictographic(previous)
        && is_pictographic(next)
        && format!("{previous}{selector}{ZWJ}{next}").graphemes(true).nth(1).is_none()
}

/// Emoji that take part in joined sequences: the blocks that hold Unicode's `Extended_Pictographic`
/// characters (a superset, which is enough to tell a joiner between two pictures from one hidden in a word).
fn is_pictographic(c: char) -> bool {
    matches!(
        c,
        '\u{a9}' | '\u{ae}' | '\u{203c}' | '\u{2049}' | '\u{2122}' | '\u{2139}'
            | '\u{2194}'..='\u{21aa}'
            | '\u{231a}'..='\u{23ff}'
            | '\u{24c2}'
            | '\u{25aa}'..='\u{25fe}'
            | '\u{2600}'..='\u{27bf}'
            | '\u{2934}' | '\u{2935}'
            | '\u{2b05}'..='\u{2b55}'
            | '\u{3030}' | '\u{303d}' | '\u{3297}' | '\u{3299}'
            | '\u{1f000}'..='\u{1faff}'
    )
}

/// Unicode's format characters (general category `Cf`, as of Unicode 16): they draw as nothing, or as
/// whatever a terminal makes of them, and shift the columns after them.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'                     // soft hyphen
            | '\u{600}'..='\u{605}'   // Arabic number signs
            | '\u{61c}'               // Arabic letter mark
            | '\u{6dd}' | '\u{70f}'   // Arabic end of ayah, Syriac abbreviation mark
            | '\u{890}' | '\u{891}' | '\u{8e2}' // Arabic pound and piastre marks, disputed end of ayah
            | '\u{180e}'              // Mongolian vowel separator
            | '\u{200b}'..='\u{200f}' // zero-width space, non-joiner and joiner, LRM, RLM
            | '\u{202a}'..='\u{202e}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{206f}' // bidi isolates, deprecated shaping controls
            | '\u{feff}'              // byte order mark / zero-width no-break space
            | '\u{fff9}'..='\u{fffb}' // interlinear annotation controls
            | '\u{110bd}' | '\u{110cd}' // Kaithi number signs
            | '\u{13430}'..='\u{1343f}' // Egyptian hieroglyph format controls
            | '\u{1bca0}'..='\u{1bca3}' // shorthand format controls
            | '\u{1d173}'..='\u{1d17a}' // musical symbol beams and slurs
            | '\u{e0001}' | '\u{e0020}'..='\u{e007f}' // language tag, tag characters
    )
}

type Chars<'a> = std::str::Chars<'a>;

/// Takes the next character when `pred` holds for it.
fn next_if(chars: &mut Chars, pred: impl Fn(char) -> bool) -> Option<char> {
    let c = chars.clone().next().filter(|&c| pred(c))?;
    chars.next();
    Some(c)
}

/// Skips what follows an ESC: a CSI, a string sequence (OSC, DCS, SOS, PM, APC) or a two-character escape.
fn skip_escape(chars: &mut Chars) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        // nF escapes (ESC, intermediates 0x20-0x2F, final byte), e.g. ESC ( B.
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            while next_if(chars, |c| ('\u{20}'..='\u{2f}').contains(&c)).is_some() {}
            chars.next();
        }
        _ => {}
    }
}

/// Skips CSI parameters and intermediates up to and including the final byte (0x40-0x7E).
fn skip_csi(chars: &mut Chars) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            return;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            // Not a well-formed CSI: stop here so the rest of the text survives.
            return;
        }
    }
}

/// Skips a string sequence up to its terminator: BEL, ST (ESC \) or C1 ST.
fn skip_string(chars: &mut Chars) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                next_if(chars, |c| c == '\\');
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_csi_colour_and_cursor_moves() {
        assert_eq!(sanitize("a\u{1b}[31;1mred\u{1b}[0m b\u{1b}[2J"), "ared b");
    }

    #[test]
    fn removes_osc_clipboard_write_and_hyperlinks() {
        assert_eq!(sanitize("x\u{1b}]52;c;ZXZpbA==\u{7}y"), "xy");
        assert_eq!(sanitize("\u{1b}]8;;http://e.vil\u{1b}\\link\u{1b}]8;;\u{1b}\\"), "link");
    }

    #[test]
    fn removes_charset_designations_and_other_nf_escapes() {
        // ESC ( B selects ASCII: the designation and its intermediates go, not only the ESC.
        assert_eq!(sanitize("a\u{1b}(Bb\u{1b})0c\u{1b}# 8d"), "abcd");
    }

    #[test]
    fn removes_dcs_and_c1_sequences() {
        assert_eq!(sanitize("a\u{1b}Pq#0;2;0;0;0\u{1b}\\b"), "ab");
        assert_eq!(sanitize("a\u{9b}31mb\u{9d}0;title\u{9c}c"), "abc");
    }

    #[test]
    fn removes_controls_bidi_and_zero_width() {
        assert_eq!(sanitize("a\u{0}\u{7}\u{8}\u{7f}\u{85}b"), "ab");
        assert_eq!(sanitize("evil\u{202e}txt.exe\u{2066}\u{200b}"), "eviltxt.exe");
        assert_eq!(sanitize("\r\nline"), "line");
    }

    #[test]
    fn tabs_become_spaces_and_text_survives() {
        assert_eq!(sanitize("a\tb"), "a b");
        // An old Mac line end inside a line: the words on either side stay apart.
        assert_eq!(sanitize("Third title\rOld mac line end."), "Third title Old mac line end.");
        assert_eq!(sanitize("中国 🦀 naïve"), "中国 🦀 naïve");
    }

    #[test]
    fn every_control_character_is_dropped_alone() {
        let introducers = ['\u{1b}', '\u{90}', '\u{98}', '\u{9b}', '\u{9d}', '\u{9e}', '\u{9f}'];
        let controls = ('\u{0}'..='\u{1f}').chain(['\u{7f}']).chain('\u{80}'..='\u{9f}');
        for c in controls {
            let out = sanitize(&format!("a{c}b"));
            assert!(!out.chars().any(is_unsafe), "{c:?} left {out:?}");
            // An introducer starts a sequence that swallows what follows; any other control just goes.
            if !introducers.contains(&c) {
                assert_eq!(out, if matches!(c, '\t' | '\r') { "a b" } else { "ab" }, "{c:?}");
            }
        }
    }

    #[test]
    fn every_bidi_and_invisible_character_is_dropped() {
        let invisible = ['\u{61c}', '\u{180e}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{200e}', '\u{200f}']
            .into_iter()
            .chain('\u{202a}'..='\u{202e}')
            .chain('\u{2060}'..='\u{2064}')
            .chain('\u{2066}'..='\u{2069}')
            .chain(['\u{feff}', '\u{fff9}', '\u{fffa}', '\u{fffb}']);
        for c in invisible {
            assert_eq!(sanitize(&format!("a{c}b")), "ab", "{c:?}");
        }
        assert_eq!(sanitize("line\u{2028}para\u{2029}end"), "line para end");
    }

    #[test]
    fn every_format_character_is_dropped() {
        // Unicode's `Cf` characters beyond the bidi and zero-width ones: number signs that draw over what
        // follows, hieroglyph and shorthand format controls, musical beams, tags, shaping controls.
        let format =
            ['\u{ad}', '\u{6dd}', '\u{70f}', '\u{890}', '\u{891}', '\u{8e2}', '\u{110bd}', '\u{110cd}', '\u{e0001}']
                .into_iter()
                .chain('\u{600}'..='\u{605}')
                .chain('\u{206a}'..='\u{206f}')
                .chain('\u{13430}'..='\u{1343f}')
                .chain('\u{1bca0}'..='\u{1bca3}')
                .chain('\u{1d173}'..='\u{1d17a}')
                .chain('\u{e0020}'..='\u{e007f}');
        for c in format {
            assert_eq!(sanitize(&format!("a{c}b")), "ab", "{c:?}");
            assert_eq!(first_unsafe(&format!("a{c}b")), Some(c), "{c:?}");
        }
    }

    #[test]
    fn a_joiner_is_kept_between_two_emoji_only() {
        let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
        assert_eq!(sanitize(family), family);
        assert_eq!(first_unsafe(family), None);
        // After an emoji's variation selector, as in the rainbow flag.
        let flag = "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}";
        assert_eq!(sanitize(flag), flag);
        // Not in a word, not at either end, not beside another joiner or after a dropped sequence's payload.
        assert_eq!(sanitize("a\u{200d}b \u{200d}\u{1f468} \u{1f468}\u{200d}"), "ab \u{1f468} \u{1f468}");
        assert_eq!(sanitize("\u{1f468}\u{200d}\u{200d}\u{1f469}"), "\u{1f468}\u{200d}\u{1f469}");
        assert_eq!(sanitize("\u{1f468}\u{200d}\u{1b}[1m\u{1f469}"), "\u{1f468}\u{1f469}");
        assert_eq!(first_unsafe("a\u{200d}b"), Some('\u{200d}'));
        // A pictograph that the screen's graphemes do not join to the emoji before (a mahjong tile):
        // the joiner would be left at the end of a cell.
        assert_eq!(sanitize("\u{1f468}\u{200d}\u{1f000}A"), "\u{1f468}\u{1f000}A");
        assert_eq!(first_unsafe("\u{1f468}\u{200d}\u{1f000}"), Some('\u{200d}'));
        for text in ["\u{1f468}\u{200d}\u{200d}\u{1f469}", "\u{1f468}\u{1b}[1m\u{200d}\u{1f469}", family, flag] {
            let once = sanitize(text);
            assert_eq!(sanitize(&once), once, "{text:?}");
            assert_eq!(first_unsafe(&once), None, "{text:?}");
        }
    }

    #[test]
    fn title_setting_and_terminal_queries_are_dropped() {
        assert_eq!(sanitize("\u{1b}]0;PWNED\u{7}T\u{1b}]2;PWNED\u{1b}\\itle"), "Title");
        // Reset, keypad mode, a device status query, a DECRQSS query: none may reach the terminal.
        assert_eq!(sanitize("a\u{1b}cb\u{1b}=c\u{1b}[6nd\u{1b}P$qm\u{1b}\\e"), "abcde");
    }

    #[test]
    fn unterminated_sequences_do_not_eat_forever_or_panic() {
        assert_eq!(sanitize("a\u{1b}"), "a");
        assert_eq!(sanitize("a\u{1b}[12"), "a");
        assert_eq!(sanitize("a\u{1b}]0;never ends"), "a");
    }
}
