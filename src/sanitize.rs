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
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => out.push(' '),
            '\u{1b}' => skip_escape(&mut chars),
            // C1 introducers of a string (DCS, SOS, OSC, PM, APC) and CSI: swallow their payload too.
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// True for characters that must never be drawn: C0/C1 controls, DEL, bidi controls, zero-width marks.
pub fn is_unsafe(c: char) -> bool {
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
        )
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Skips what follows an ESC: a CSI, a string sequence (OSC, DCS, SOS, PM, APC) or a two-character escape.
fn skip_escape(chars: &mut Chars) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        // nF escapes (ESC, intermediates 0x20-0x2F, final byte), e.g. ESC ( B.
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            while chars.next_if(|c| ('\u{20}'..='\u{2f}').contains(c)).is_some() {}
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
                chars.next_if_eq(&'\\');
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
    fn unterminated_sequences_do_not_eat_forever_or_panic() {
        assert_eq!(sanitize("a\u{1b}"), "a");
        assert_eq!(sanitize("a\u{1b}[12"), "a");
        assert_eq!(sanitize("a\u{1b}]0;never ends"), "a");
    }
}
