//! The screens in each theme (`dark`, `light`, `mono`, which `NO_COLOR` forces), at 80x24 and 120x40:
//! their text and their styles, snapshotted; and in `mono`, reverse video over the whole selected row and no
//! colour anywhere.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Reader;
use insta::assert_snapshot;
use papers::action::Bindings;
use papers::config::{Preset, Theme, ThemeSettings};
use ratatui::style::{Color, Modifier};

/// The themes a reader can see: each preset, and what `NO_COLOR` makes of a configured light theme.
fn themes() -> [(&'static str, Theme); 4] {
    let light = ThemeSettings { preset: Some(Preset::Light), colours: vec![("star".into(), Color::Indexed(160))] };
    [
        ("dark", Theme::preset(Preset::Dark)),
        ("light", Theme::preset(Preset::Light)),
        ("mono", Theme::preset(Preset::Mono)),
        ("no_color", Theme::from_settings(&light, true)),
    ]
}

fn reader(theme: Theme, width: u16, height: u16) -> Reader {
    Reader::looking(theme, Bindings::default(), width, height)
}

/// The screens each theme is checked on: the list with a paper starred and another read, an open paper,
/// the help.
fn screens(theme: &Theme, width: u16, height: u16) -> [(&'static str, Reader); 3] {
    let mut main = reader(theme.clone(), width, height);
    main.keys("/mamba<Enter>s").keys("j<Enter><Esc>").keys("j");
    let mut open = reader(theme.clone(), width, height);
    open.keys("/mamba yolo<Enter><Enter>");
    let mut help = reader(theme.clone(), width, height);
    help.keys("?");
    [("main", main), ("open", open), ("help", help)]
}

#[test]
fn every_screen_in_every_theme() {
    for (name, theme) in themes() {
        for (width, height) in [(80, 24), (120, 40)] {
            for (screen, reader) in screens(&theme, width, height) {
                let shown = format!("{}\n{}", reader.screen(), reader.styles());
                assert_snapshot!(format!("{screen}_{name}_{width}x{height}"), shown);
            }
        }
    }
}

#[test]
fn no_color_is_mono_and_mono_has_no_colour() {
    let (_, no_color) = &themes()[3];
    assert_eq!(no_color, &Theme::preset(Preset::Mono));
    for (width, height) in [(80, 24), (120, 40)] {
        for (screen, reader) in screens(no_color, width, height) {
            let buffer = reader.terminal.backend().buffer();
            for cell in &buffer.content {
                assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{screen} {width}x{height}: {cell:?}");
            }
        }
    }
}

#[test]
fn mono_reverses_the_whole_selected_row_and_underlines_matches() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut reader = reader(Theme::preset(Preset::Mono), width, height);
        for keys in ["", "j", "jj", "/survey"] {
            reader.keys(keys);
            let view = &reader.view;
            let row = view.list.y + (reader.app.selected() - view.list_offset) as u16;
            let buffer = reader.terminal.backend().buffer();
            for x in view.list.x..view.list.x + view.list.width {
                let cell = &buffer[(x, row)];
                assert!(
                    cell.modifier.contains(Modifier::REVERSED),
                    "{keys:?} at {width}x{height}: column {x} of the selected row: {cell:?}"
                );
            }
            // Only that row is reversed in the list.
            for y in view.list.y..view.list.y + view.list.height {
                let reversed = (view.list.x..view.list.x + view.list.width)
                    .filter(|&x| buffer[(x, y)].modifier.contains(Modifier::REVERSED))
                    .count();
                assert_eq!(reversed > 0, y == row, "{keys:?}: row {y}");
            }
        }
        // The search's matched letters are underlined, nothing else in the list is.
        let buffer = reader.terminal.backend().buffer();
        let underlined = (reader.view.list.y..reader.view.list.y + reader.view.list.height)
            .flat_map(|y| (reader.view.list.x..reader.view.list.x + reader.view.list.width).map(move |x| (x, y)))
            .filter(|&p| buffer[p].modifier.contains(Modifier::UNDERLINED))
            .count();
        assert!(underlined >= "survey".len(), "{underlined} underlined cells");
        // Unread titles are bold.
        let first = reader.view.list.y;
        assert!(buffer[(reader.view.list.x + 6, first)].modifier.contains(Modifier::BOLD));
    }
}
