//! The configuration's `[theme]` and `[keys]`, read apart from the rest: a bad colour, key or action there
//! is a warning naming its line and column, and the default stands, where the rest of the file is refused.

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::theme::{ELEMENTS, Preset, ThemeSettings, parse_colour};
use super::{StartFilter, StartSort, Warning, line_and_column};

/// The keys `[keys]` binds to one action, each with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySetting {
    /// The action's name (checked by the reader, which knows the actions).
    pub action: String,
    /// Where the name is: line and column, 1-based.
    pub at: (usize, usize),
    pub keys: Vec<(String, (usize, usize))>,
}

/// Reads `[theme]` and `[keys]` from `text` (already known to parse).
pub fn read(text: &str) -> (ThemeSettings, Vec<KeySetting>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let mut theme = ThemeSettings::default();
    let mut keys = Vec::new();
    let Ok(root) = DeTable::parse(text) else { return (theme, keys, warnings) };
    let at = |span: Range<usize>| line_and_column(text, span.start);
    for (name, value) in in_file_order(root.get_ref()) {
        match name.get_ref().as_ref() {
            "theme" => match value.get_ref() {
                DeValue::Table(table) => theme = read_theme(table, &at, &mut warnings),
                _ => warnings.push(Warning::at(
                    at(value.span()),
                    "`theme` must be a table ([theme]); the default theme is used",
                )),
            },
            "keys" => match value.get_ref() {
                DeValue::Table(table) => keys = read_keys(table, &at, &mut warnings),
                _ => warnings
                    .push(Warning::at(at(value.span()), "`keys` must be a table ([keys]); the default keys are used")),
            },
            _ => {}
        }
    }
    (theme, keys, warnings)
}

fn read_theme(
    table: &DeTable,
    at: &dyn Fn(Range<usize>) -> (usize, usize),
    warnings: &mut Vec<Warning>,
) -> ThemeSettings {
    let mut theme = ThemeSettings::default();
    for (name, value) in in_file_order(table) {
        let name_text = name.get_ref().as_ref();
        let given = scalar(value);
        if name_text == "preset" {
            match given.as_deref().and_then(Preset::named) {
                Some(preset) => theme.preset = Some(preset),
                None => warnings.push(Warning::at(
                    at(value.span()),
                    format!("`{}` is not a theme (dark, light or mono); dark is used", given.unwrap_or_default()),
                )),
            }
            continue;
        }
        if !ELEMENTS.iter().any(|(element, _)| *element == name_text) {
            let names: Vec<&str> = ELEMENTS.iter().map(|(e, _)| *e).collect();
            warnings.push(Warning::at(
                at(name.span()),
                format!("the theme has no element `{name_text}` (it has preset, {}); ignored", names.join(", ")),
            ));
            continue;
        }
        match given.as_deref().and_then(parse_colour) {
            Some(colour) => theme.colours.push((name_text.to_string(), colour)),
            None => warnings.push(Warning::at(
                at(value.span()),
                format!(
                    "`{}` is not a colour (a name like `red` or `light_blue`, `#rrggbb`, or 0 to 255); the preset's {name_text} is used",
                    given.unwrap_or_default()
                ),
            )),
        }
    }
    theme
}

fn read_keys(
    table: &DeTable,
    at: &dyn Fn(Range<usize>) -> (usize, usize),
    warnings: &mut Vec<Warning>,
) -> Vec<KeySetting> {
    let mut settings = Vec::new();
    for (name, value) in in_file_order(table) {
        let action = name.get_ref().as_ref().to_string();
        let values: Vec<&Spanned<DeValue>> = match value.get_ref() {
            DeValue::Array(items) => items.iter().collect(),
            _ => vec![value],
        };
        let mut keys = Vec::new();
        for item in values {
            match item.get_ref() {
                DeValue::String(key) => keys.push((key.to_string(), at(item.span()))),
                _ => warnings.push(Warning::at(
                    at(item.span()),
                    format!("a key is written as a string (\"j\", \"Ctrl-d\"); this one for `{action}` is ignored"),
                )),
            }
        }
        settings.push(KeySetting { action, at: at(name.span()), keys });
    }
    settings
}

/// The entries of a table in the order the file gives them (a later binding wins, warnings read down).
pub(super) fn in_file_order<'a, 'i>(
    table: &'a DeTable<'i>,
) -> Vec<(&'a Spanned<Cow<'i, str>>, &'a Spanned<DeValue<'i>>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(name, _)| name.span().start);
    entries
}

/// Reads `filter` and `sort` (what the reader starts on) from `text` (already known to parse): a value
/// that is not one of theirs is a warning naming its line and column, and the default stands, as in
/// `[theme]`. Case does not count.
pub fn read_start(text: &str) -> (StartFilter, StartSort, Vec<Warning>) {
    let (mut filter, mut sort, mut warnings) = (StartFilter::default(), StartSort::default(), Vec::new());
    let Ok(root) = DeTable::parse(text) else { return (filter, sort, warnings) };
    for (name, value) in in_file_order(root.get_ref()) {
        let given = scalar(value).map(|v| v.to_lowercase());
        let at = line_and_column(text, value.span().start);
        match name.get_ref().as_ref() {
            "filter" => match StartFilter::ALL.into_iter().find(|f| given.as_deref() == Some(f.name())) {
                Some(found) => filter = found,
                None => warnings.push(Warning::at(
                    at,
                    format!(
                        "`filter` is all, unread or starred, not {}; all papers are shown",
                        given.unwrap_or_else(|| "that".to_string())
                    ),
                )),
            },
            "sort" => match StartSort::ALL.into_iter().find(|o| given.as_deref() == Some(o.name())) {
                Some(found) => sort = found,
                None => warnings.push(Warning::at(
                    at,
                    format!(
                        "`sort` is digest, newest, title or upvotes, not {}; digest order is used",
                        given.unwrap_or_else(|| "that".to_string())
                    ),
                )),
            },
            _ => {}
        }
    }
    (filter, sort, warnings)
}

/// A string, number or boolean value as text; none for tables, arrays and dates.
fn scalar(value: &Spanned<DeValue>) -> Option<String> {
    match value.get_ref() {
        DeValue::String(s) => Some(Cow::as_ref(s).to_string()),
        DeValue::Integer(i) => Some(i.as_str().to_string()),
        DeValue::Float(f) => Some(f.as_str().to_string()),
        DeValue::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    #[test]
    fn theme_and_keys_are_read_with_their_places() {
        let text = "[theme]\npreset = \"light\"\nstar = \"#ff0000\"\nlink = 21\n\n[keys]\ndown = [\"x\", \"Ctrl-n\"]\nquit = \"Q\"\n";
        let (theme, keys, warnings) = read(text);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(theme.preset, Some(Preset::Light));
        assert_eq!(
            theme.colours,
            [("star".to_string(), Color::Rgb(255, 0, 0)), ("link".to_string(), Color::Indexed(21))]
        );
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0].action, "down");
        assert_eq!(keys[0].at, (7, 1));
        assert_eq!(keys[0].keys, [("x".to_string(), (7, 9)), ("Ctrl-n".to_string(), (7, 14))]);
        assert_eq!(keys[1].keys, [("Q".to_string(), (8, 8))]);
    }

    #[test]
    fn what_is_wrong_is_a_warning_with_its_place() {
        let text = "[theme]\npreset = \"sepia\"\nstar = \"ultraviolet\"\nglow = \"red\"\n[keys]\ndown = [1, \"x\"]\n";
        let (theme, keys, warnings) = read(text);
        assert_eq!(theme, ThemeSettings::default());
        let places: Vec<Option<(usize, usize)>> = warnings.iter().map(|w| w.at).collect();
        assert_eq!(places, [Some((2, 10)), Some((3, 8)), Some((4, 1)), Some((6, 9))], "{warnings:?}");
        assert!(warnings[0].text.contains("`sepia` is not a theme"), "{}", warnings[0].text);
        assert!(warnings[1].text.contains("star is used"), "{}", warnings[1].text);
        assert_eq!(keys[0].keys, [("x".to_string(), (6, 12))]);
    }
}
