//! Makes text from a digest safe to draw: no control characters or escape sequences reach the terminal.
//!
//! A digest is untrusted input. An escape sequence hidden in a title could recolour the screen, move the
//! cursor, set the window title, or write the clipboard (OSC 52); bidi overrides and zero-width characters
//! make a title read differently from what it is and break column alignment. Everything here is dropped,
//! except tabs, which become a space, so `sanitize(sanitize(s)) == sanitize(s)`.

/// Returns `text` with escape sequences removed, control, bidi-control and zero-width characters dropped,
/// and tabs turned into single spaces.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // Safe text is copied a run at a time; only the characters that need care are looked at one by one.
    while let Some((at, c)) = rest.char_indices().find(|&(_, c)| is_unsafe(c)) {
        out.push_str(&rest[..at]);
        let mut chars = rest[at + c.len_utf8()..].chars();
        match c {
            // Tabs and the Unicode line and paragraph separators would break a row: a space keeps the words apart.
            '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '\u{1b}' => skip_escape(&mut chars),
            // C1 introducers of a string (DCS, SOS, OSC, PM, APC) and CSI: swallow their payload too.
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            _ => {}
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out
}

/// True for characters that must never be drawn: C0/C1 controls, DEL, bidi controls, zero-width marks.
pub fn is_unsafe(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200f}'   // zero-width space/joiners, LRM, RLM
            | '\u{202a}'..='\u{202e}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{061c}'              // Arabic letter mark
            | '\u{feff}'              // byte order mark / zero-width no-break space
            | '\u{fff9}'..='\u{fffb}' // interlinear annotation controls
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
            | '\u{180e}'             // Mongolian vowel separator (zero width)
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
                assert_eq!(out, if c == '\t' { "a b" } else { "ab" }, "{c:?}");
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
