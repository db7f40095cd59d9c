//! The reader's colours and text styles: the presets `dark`, `light` and `mono`, and colours set per element.
//!
//! `dark` uses the terminal's own palette (named ANSI colours), so it follows the user's colours. `light`
//! uses colours of the 256-colour cube, whose values terminals agree on, each dark enough on white (a
//! contrast ratio of 4.5 or more, WCAG 2's level AA for text). `mono` uses no colour at all, only reverse
//! video, bold, underline, dim and italics: `NO_COLOR` chooses it (https://no-color.org).

use ratatui::style::{Color, Modifier, Style};

/// A set of styles to start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preset {
    #[default]
    Dark,
    Light,
    Mono,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::Dark, Preset::Light, Preset::Mono];

    pub fn name(self) -> &'static str {
        match self {
            Preset::Dark => "dark",
            Preset::Light => "light",
            Preset::Mono => "mono",
        }
    }

    pub fn named(name: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// The elements whose colour the configuration can set, and what they are.
pub const ELEMENTS: [(&str, &str); 10] = [
    ("prompt", "the search bar's / and the focused pane's border"),
    ("unread", "the ● of a paper not read yet"),
    ("star", "the ★ of a starred paper"),
    ("matched", "letters and words a search found"),
    ("heading", "headings in the abstract pane"),
    ("link", "links"),
    ("key", "keys in the help, link numbers"),
    ("warning", "warnings and errors"),
    ("busy", "work going on (loading, searching)"),
    ("selected", "the selected paper's row (a background colour; none: reverse video)"),
];

/// Every style the screen is drawn with.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub preset: Preset,
    pub prompt: Style,
    pub prompt_focused: Style,
    pub dim: Style,
    pub border: Style,
    pub border_focused: Style,
    pub pane_title: Style,
    /// A paper not read yet: its title stands out.
    pub unread: Style,
    pub unread_mark: Style,
    /// A paper already read: dimmed.
    pub read: Style,
    pub star: Style,
    pub matched: Style,
    pub selected: Style,
    pub title: Style,
    /// Authors in the detail pane: plain text, in italics where the terminal has them.
    pub authors: Style,
    pub heading: Style,
    pub link: Style,
    pub key: Style,
    pub warning: Style,
    pub status_bar: Style,
    /// Work still running (a search, loading): noticeable, not alarming.
    pub busy: Style,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::preset(Preset::Dark)
    }
}

const BOLD: Modifier = Modifier::BOLD;

impl Theme {
    pub fn preset(preset: Preset) -> Theme {
        let plain = Style::new();
        let mono = Theme {
            preset,
            prompt: plain,
            prompt_focused: plain.add_modifier(BOLD | Modifier::REVERSED),
            dim: plain.add_modifier(Modifier::DIM),
            border: plain.add_modifier(Modifier::DIM),
            border_focused: plain,
            pane_title: plain.add_modifier(BOLD),
            unread: plain.add_modifier(BOLD),
            unread_mark: plain.add_modifier(BOLD),
            read: plain.add_modifier(Modifier::DIM),
            star: plain.add_modifier(BOLD),
            matched: plain.add_modifier(Modifier::UNDERLINED),
            selected: plain.add_modifier(Modifier::REVERSED),
            title: plain.add_modifier(BOLD),
            authors: plain.add_modifier(Modifier::ITALIC),
            heading: plain.add_modifier(BOLD),
            link: plain.add_modifier(Modifier::UNDERLINED),
            key: plain.add_modifier(BOLD),
            warning: plain.add_modifier(BOLD),
            status_bar: plain.add_modifier(Modifier::REVERSED),
            busy: plain.add_modifier(BOLD),
        };
        let (accent, star, matched, link, warning, busy) = match preset {
            Preset::Mono => return mono,
            // Links in light blue: the palette's blue is hard to read on black in many terminals (xterm's,
            // the Linux console's).
            Preset::Dark => (Color::Cyan, Color::Yellow, Color::Green, Color::LightBlue, Color::Red, Color::Magenta),
            // #005f87, #af5f00, #008700, #0000af, #af0000, #870087: all 4.5:1 or more on white.
            Preset::Light => (
                Color::Indexed(24),
                Color::Indexed(130),
                Color::Indexed(28),
                Color::Indexed(19),
                Color::Indexed(124),
                Color::Indexed(90),
            ),
        };
        Theme {
            prompt: plain.fg(accent),
            prompt_focused: plain.fg(accent).add_modifier(BOLD | Modifier::REVERSED),
            border_focused: plain.fg(accent),
            unread_mark: plain.fg(accent).add_modifier(BOLD),
            star: plain.fg(star).add_modifier(BOLD),
            matched: plain.fg(matched).add_modifier(BOLD | Modifier::UNDERLINED),
            heading: plain.fg(accent).add_modifier(BOLD),
            link: plain.fg(link).add_modifier(Modifier::UNDERLINED),
            key: plain.fg(accent).add_modifier(BOLD),
            warning: plain.fg(warning).add_modifier(BOLD),
            busy: plain.fg(busy).add_modifier(BOLD),
            ..mono
        }
    }

    /// The theme the settings ask for; `no_color` (`NO_COLOR` set) makes it `mono`, whatever they say.
    pub fn from_settings(settings: &ThemeSettings, no_color: bool) -> Theme {
        if no_color {
            return Theme::preset(Preset::Mono);
        }
        let mut theme = Theme::preset(settings.preset.unwrap_or_default());
        for (element, colour) in &settings.colours {
            theme.set_colour(element, *colour);
        }
        theme
    }

    /// The colour `element` (one of `ELEMENTS`) is drawn in, if any.
    pub fn colour(&self, element: &str) -> Option<Color> {
        match element {
            "selected" => self.selected.bg,
            other => self.styles_of(other).first().and_then(|s| s.fg),
        }
    }

    /// Sets the colour of `element`; an unknown one is left alone (the settings hold only known ones).
    fn set_colour(&mut self, element: &str, colour: Color) {
        if element == "selected" {
            // A background colour instead of reverse video.
            self.selected = Style::new().bg(colour);
            return;
        }
        for style in self.styles_of_mut(element) {
            *style = style.fg(colour);
        }
    }

    fn styles_of(&self, element: &str) -> Vec<Style> {
        let mut copy = self.clone();
        copy.styles_of_mut(element).into_iter().map(|s| *s).collect()
    }

    fn styles_of_mut(&mut self, element: &str) -> Vec<&mut Style> {
        match element {
            "prompt" => vec![&mut self.prompt, &mut self.prompt_focused, &mut self.border_focused],
            "unread" => vec![&mut self.unread_mark],
            "star" => vec![&mut self.star],
            "matched" => vec![&mut self.matched],
            "heading" => vec![&mut self.heading],
            "link" => vec![&mut self.link],
            "key" => vec![&mut self.key],
            "warning" => vec![&mut self.warning],
            "busy" => vec![&mut self.busy],
            _ => Vec::new(),
        }
    }

    /// Every colour the theme draws text in, for checking it against a background.
    pub fn text_colours(&self) -> Vec<Color> {
        let mut colours: Vec<Color> = [
            self.prompt,
            self.border_focused,
            self.unread_mark,
            self.star,
            self.matched,
            self.heading,
            self.link,
            self.key,
            self.warning,
            self.busy,
            self.title,
            self.unread,
            self.read,
            self.dim,
        ]
        .iter()
        .filter_map(|s| s.fg)
        .collect();
        colours.dedup();
        colours
    }
}

/// What the configuration's `[theme]` asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThemeSettings {
    pub preset: Option<Preset>,
    /// (element, colour), in the file's order; the elements are among `ELEMENTS`.
    pub colours: Vec<(String, Color)>,
}

/// A colour as the configuration gives it: a name (`red`, `light_blue`, `dark_gray`), `#rrggbb`, or a
/// number of the 256-colour palette.
pub fn parse_colour(text: &str) -> Option<Color> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("reset") {
        return None;
    }
    text.parse::<Color>().ok()
}

/// The colour as the configuration would give it.
pub fn colour_name(colour: Color) -> String {
    match colour {
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => i.to_string(),
        named => {
            // ratatui names them `LightBlue`; the configuration's way is `light_blue`.
            let mut out = String::new();
            for (i, c) in named.to_string().chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            }
            out
        }
    }
}

/// The red, green and blue of a colour whose value terminals agree on: the 256-colour cube and greys, and
/// RGB. The first 16 are the user's palette: none.
pub fn rgb(colour: Color) -> Option<(u8, u8, u8)> {
    match colour {
        Color::Rgb(r, g, b) => Some((r, g, b)),
        Color::Indexed(i @ 16..=231) => {
            let i = i - 16;
            let level = |n: u8| if n == 0 { 0 } else { 55 + 40 * n };
            Some((level(i / 36), level(i / 6 % 6), level(i % 6)))
        }
        Color::Indexed(i @ 232..=255) => {
            let grey = 8 + 10 * (i - 232);
            Some((grey, grey, grey))
        }
        _ => None,
    }
}

/// WCAG 2's contrast ratio of two colours, from 1 (the same) to 21 (black on white).
pub fn contrast((r1, g1, b1): (u8, u8, u8), (r2, g2, b2): (u8, u8, u8)) -> f64 {
    fn channel(c: u8) -> f64 {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    }
    let luminance = |r, g, b| 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    let (a, b) = (luminance(r1, g1, b1), luminance(r2, g2, b2));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHITE: (u8, u8, u8) = (255, 255, 255);

    #[test]
    fn light_text_reads_on_white() {
        let theme = Theme::preset(Preset::Light);
        let colours = theme.text_colours();
        assert!(colours.len() >= 6, "{colours:?}");
        for colour in colours {
            let rgb = rgb(colour).unwrap_or_else(|| panic!("{colour:?} depends on the terminal's palette"));
            let ratio = contrast(rgb, WHITE);
            assert!(ratio >= 4.5, "{colour:?} on white: {ratio:.2}");
        }
        // The check itself: yellow and cyan on white fail it.
        assert!(contrast((255, 255, 0), WHITE) < 4.5);
        assert!(contrast((0, 255, 255), WHITE) < 4.5);
        assert!((contrast((0, 0, 0), WHITE) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn mono_has_no_colour_at_all() {
        let theme = Theme::preset(Preset::Mono);
        let debug = format!("{theme:?}");
        assert!(!debug.contains("fg: Some") && !debug.contains("bg: Some"), "{debug}");
        assert_eq!(theme.selected, Style::new().add_modifier(Modifier::REVERSED));
        assert_eq!(theme.matched, Style::new().add_modifier(Modifier::UNDERLINED));
        assert_eq!(theme.unread, Style::new().add_modifier(Modifier::BOLD));
    }

    #[test]
    fn no_color_wins_over_the_settings() {
        let settings =
            ThemeSettings { preset: Some(Preset::Light), colours: vec![("star".into(), Color::Indexed(196))] };
        assert_eq!(Theme::from_settings(&settings, true), Theme::preset(Preset::Mono));
        let theme = Theme::from_settings(&settings, false);
        assert_eq!(theme.preset, Preset::Light);
        assert_eq!(theme.star.fg, Some(Color::Indexed(196)));
        assert_eq!(theme.colour("star"), Some(Color::Indexed(196)));
    }

    #[test]
    fn colours_are_read_and_written_alike() {
        for text in ["red", "light_blue", "dark_gray", "#005f87", "24"] {
            let colour = parse_colour(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(parse_colour(&colour_name(colour)), Some(colour), "{text}");
        }
        assert_eq!(colour_name(Color::LightBlue), "light_blue");
        assert_eq!(parse_colour("ultraviolet"), None);
        assert_eq!(parse_colour("#12345"), None);
        assert_eq!(rgb(Color::Indexed(24)), Some((0, 95, 135)));
        assert_eq!(rgb(Color::Indexed(232)), Some((8, 8, 8)));
        assert_eq!(rgb(Color::Yellow), None);
    }
}
