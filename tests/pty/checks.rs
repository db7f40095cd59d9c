//! What a test reads of the terminal besides the screen's text: its modes once the program ends
//! (termios, DEC private modes), window titles and clipboard writes asked for, inverse cells, and the
//! raw bytes written.

use std::collections::BTreeMap;

use nix::sys::termios::{LocalFlags, Termios};

use super::{Pty, screen_text};

impl Pty {
    /// The terminal's modes (termios), as the program left them or has them now.
    pub fn termios(&self) -> Termios {
        self.master.as_ref().and_then(|m| m.get_termios()).expect("read the terminal's modes")
    }

    /// Checks that the terminal is in cooked mode with echo, as a shell expects it.
    pub fn assert_cooked(&self) {
        let termios = self.termios();
        let cooked = LocalFlags::ICANON | LocalFlags::ECHO | LocalFlags::ISIG;
        assert!(termios.local_flags.contains(cooked), "the terminal is not in cooked mode with echo: {termios:?}");
    }

    /// Checks that nothing the program set is left on: the emulator is on the main screen with the cursor
    /// shown and mouse reporting off, and the last word on each of those modes in the bytes written says
    /// so too (the emulator keeps one mouse mode where a terminal keeps each separately).
    pub fn assert_modes_restored(&mut self) {
        let (wrong, screen) = {
            let state = self.lock();
            let screen = state.parser.screen();
            let mut wrong = Vec::new();
            if screen.alternate_screen() {
                wrong.push("the alternate screen is still on".to_string());
            }
            if screen.hide_cursor() {
                wrong.push("the cursor is hidden".to_string());
            }
            if screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None {
                wrong.push(format!("mouse reporting is on: {:?}", screen.mouse_protocol_mode()));
            }
            if screen.mouse_protocol_encoding() != vt100::MouseProtocolEncoding::Default {
                wrong.push(format!("a mouse encoding is on: {:?}", screen.mouse_protocol_encoding()));
            }
            for (mode, on) in private_modes(&state.raw) {
                match (mode, on) {
                    (25, false) => wrong.push("the last cursor mode written hides it (?25l)".to_string()),
                    (47 | 1047 | 1049, true) => wrong.push(format!("the alternate screen was left on (?{mode}h)")),
                    (1000 | 1002 | 1003 | 1005 | 1006 | 1015, true) => {
                        wrong.push(format!("mouse reporting was left on (?{mode}h)"));
                    }
                    _ => {}
                }
            }
            if !alternate_screen_cleared_when_left(&state.raw) {
                wrong.push("the alternate screen was left with the frame on it (no ESC[2J just before ?1049l)".into());
            }
            (wrong, screen_text(screen))
        };
        if !wrong.is_empty() {
            self.fail(&format!("the terminal was not restored: {}", wrong.join("; ")), &screen);
        }
    }

    /// The window titles and icon names the programs asked for, in order.
    pub fn titles(&self) -> Vec<String> {
        self.lock().parser.callbacks().titles.clone()
    }

    /// The clipboard writes (OSC 52, base64) the programs asked for.
    pub fn clipboard(&self) -> Vec<String> {
        self.lock().parser.callbacks().clipboard.clone()
    }

    /// Which cells of `row` are drawn in reverse video.
    pub fn inverse(&self, row: u16) -> Vec<bool> {
        let state = self.lock();
        let screen = state.parser.screen();
        let cols = screen.size().1.get();
        (0..cols).map(|col| screen.cell(row, col).is_some_and(|cell| cell.inverse())).collect()
    }

    /// Every byte the programs wrote to the terminal.
    pub fn raw(&self) -> Vec<u8> {
        self.lock().raw.clone()
    }
}

/// The last state written for each DEC private mode (`ESC [ ? n h` sets it, `l` resets it).
fn private_modes(raw: &[u8]) -> BTreeMap<u32, bool> {
    let re = regex::bytes::Regex::new(r"\x1b\[\?([0-9;]*)([hl])").expect("regex");
    let mut modes = BTreeMap::new();
    for caps in re.captures_iter(raw) {
        let on = &caps[2] == b"h";
        for param in caps[1].split(|&b| b == b';') {
            if let Some(mode) = std::str::from_utf8(param).ok().and_then(|p| p.parse().ok()) {
                modes.insert(mode, on);
            }
        }
    }
    modes
}

/// True when the last time the alternate screen was left, it was cleared just before, nothing drawn
/// between (or it was never left): tmux carried rows of a frame drawn after the window grew onto the
/// shell's screen when the alternate screen was left with them on it.
fn alternate_screen_cleared_when_left(raw: &[u8]) -> bool {
    let left = regex::bytes::Regex::new(r"\x1b\[\?1049l").expect("regex");
    let Some(at) = left.find_iter(raw).last().map(|m| m.start()) else { return true };
    let cleared = regex::bytes::Regex::new(r"\x1b\[2J").expect("regex");
    let Some(from) = cleared.find_iter(&raw[..at]).last().map(|m| m.end()) else { return false };
    // Only control sequences between the two, no text.
    let sequence = regex::bytes::Regex::new(r"\x1b\[[0-9;?]*[ -/]*[@-~]").expect("regex");
    sequence.replace_all(&raw[from..at], &b""[..]).is_empty()
}
