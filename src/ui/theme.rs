//! Colours and text styles, chosen to read on dark and light terminals alike.
//!
//! Only the terminal's own palette (named ANSI colours) and text attributes are used, never fixed RGB
//! backgrounds, so the reader follows the user's theme. The selection is reverse video, which works on any
//! background; matches are bold and underlined as well as coloured, so they show without colour too.

use ratatui::style::{Color, Modifier, Style};

pub fn prompt() -> Style {
    Style::new().fg(Color::Cyan)
}

pub fn prompt_focused() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD | Modifier::REVERSED)
}

pub fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

pub fn border() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

pub fn border_focused() -> Style {
    Style::new().fg(Color::Cyan)
}

pub fn pane_title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// A paper not read yet: the mark and the title stand out.
pub fn unread() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn unread_mark() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

/// A paper already read: dimmed.
pub fn read() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

pub fn star() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

pub fn matched() -> Style {
    Style::new().fg(Color::Green).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// Authors in the detail pane: plain text, in italics where the terminal has them.
pub fn authors() -> Style {
    Style::new().add_modifier(Modifier::ITALIC)
}

pub fn heading() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn link() -> Style {
    Style::new().fg(Color::Blue).add_modifier(Modifier::UNDERLINED)
}

pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn warning() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn status_bar() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// Work still running (a search, loading): noticeable, not alarming.
pub fn busy() -> Style {
    Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)
}
