//! A key as the terminal reports it: parsed from the config's names (`Ctrl-p`, `Alt-1`, `PgDn`) and
//! shown as the help and the palette name it.

use std::fmt;

use crossterm::event::{KeyCode, KeyModifiers};

/// A key as the terminal reports it; a character carries Shift in its case, so Shift is dropped there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let mut modifiers = modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(code, KeyCode::Char(_)) {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        Key { code, modifiers }
    }

    /// A key as the configuration writes it: a character (`j`, `J`, `?`), a name (`Enter`, `Esc`, `Tab`,
    /// `Space`, `Backspace`, `Up`/`↑`, `PgDn`, `Home`, `F5`, ...), after any of `Ctrl-`, `Alt-`, `Shift-`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let prefix = ["ctrl-", "c-", "alt-", "a-", "m-", "shift-", "s-"]
                .into_iter()
                .find(|p| lower.starts_with(p) && rest.len() > p.len());
            let Some(prefix) = prefix else { break };
            modifiers |= match prefix.as_bytes()[0] {
                b'c' => KeyModifiers::CONTROL,
                b'a' | b'm' => KeyModifiers::ALT,
                _ => KeyModifiers::SHIFT,
            };
            rest = &rest[prefix.len()..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => match c {
                '↑' => KeyCode::Up,
                '↓' => KeyCode::Down,
                '←' => KeyCode::Left,
                '→' => KeyCode::Right,
                c if modifiers.contains(KeyModifiers::SHIFT) => KeyCode::Char(c.to_uppercase().next().unwrap_or(c)),
                c => KeyCode::Char(c),
            },
            _ => named(&rest.to_ascii_lowercase()).ok_or_else(|| {
                format!("`{text}` is not a key (a character, or Enter, Esc, Tab, Space, Backspace, Up, Down, Left, Right, Home, End, PgUp, PgDn, Delete, Insert, F1-F12, after Ctrl-, Alt- or Shift-)")
            })?,
        };
        if matches!(code, KeyCode::Char('c' | 'z' | 'l')) && modifiers == KeyModifiers::CONTROL {
            return Err(format!("`{text}` always interrupts, suspends or redraws the reader; it cannot be bound"));
        }
        Ok(Key::new(code, modifiers))
    }
}

fn named(name: &str) -> Option<KeyCode> {
    Some(match name {
        "enter" | "return" | "⏎" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        f if f.starts_with('f') => KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?),
        _ => return None,
    })
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (modifier, name) in
            [(KeyModifiers::CONTROL, "Ctrl-"), (KeyModifiers::ALT, "Alt-"), (KeyModifiers::SHIFT, "Shift-")]
        {
            if self.modifiers.contains(modifier) {
                f.write_str(name)?;
            }
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other}"),
        }
    }
}
