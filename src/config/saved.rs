//! `[searches]`: saved searches of the reader's search bar, name → query, on Alt-1…Alt-9 and in the
//! command palette. Not `[[arxiv.searches]]`, which are sources to fetch from arXiv's API.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::Warning;
use super::looks::in_file_order;

/// A search of the reader's own (the query language of `search::Query`), kept under a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    pub name: String,
    pub query: String,
    /// Line and column of its name in the file, 1-based.
    pub at: (usize, usize),
}

/// The saved searches of `table` in file order. A query that does not parse is kept (so that the Alt
/// numbers follow the file) with a warning: applied, the search bar says why, as for a query typed.
pub(super) fn read(
    table: &DeTable,
    at: &dyn Fn(Range<usize>) -> (usize, usize),
    warnings: &mut Vec<Warning>,
) -> Vec<SavedSearch> {
    let mut searches = Vec::new();
    for (name, value) in in_file_order(table) {
        let name_text = name.get_ref().as_ref().to_string();
        let DeValue::String(query) = value.get_ref() else {
            warnings.push(Warning::at(
                at(value.span()),
                format!("the saved search `{name_text}` must be a query in quotes (\"@hinton diffusion\"); ignored"),
            ));
            continue;
        };
        if let Err(why) = crate::search::Query::parse(query) {
            warnings.push(Warning::at(
                at(value.span()),
                format!("the saved search `{name_text}` does not parse: {why}; it shows why when applied"),
            ));
        }
        // A name of nothing but spaces would show as nothing in the palette: the query stands in for it.
        let name_text = if name_text.trim().is_empty() {
            warnings.push(Warning::at(at(name.span()), "a saved search with no name; shown by its query".to_string()));
            query.to_string()
        } else {
            name_text
        };
        searches.push(SavedSearch { name: name_text, query: query.to_string(), at: at(name.span()) });
    }
    searches
}

/// `[searches]` and `[watch]` of `text` (already known to parse), and what in them cannot be used.
pub(super) fn read_lists(text: &str) -> (Vec<SavedSearch>, super::WatchList, Vec<Warning>) {
    let mut warnings = Vec::new();
    let (mut searches, mut watch) = (Vec::new(), super::WatchList::default());
    let Ok(root) = DeTable::parse(text) else { return (searches, watch, warnings) };
    let at = |span: Range<usize>| super::line_and_column(text, span.start);
    for (name, value) in in_file_order(root.get_ref()) {
        let section = name.get_ref().as_ref();
        if section != "searches" && section != "watch" {
            continue;
        }
        let DeValue::Table(table) = value.get_ref() else {
            warnings.push(Warning::at(at(value.span()), format!("`{section}` must be a table ([{section}]); ignored")));
            continue;
        };
        if section == "searches" {
            searches = read(table, &at, &mut warnings);
        } else {
            watch = super::watch::read(table, &at, &mut warnings);
        }
    }
    (searches, watch, warnings)
}

#[cfg(test)]
mod tests {
    use crate::config::{WatchList, parse};

    #[test]
    fn saved_searches_and_the_watch_list_are_read_in_file_order() {
        let text = "[searches]\nmamba = \"mamba !vision\"\n\"my rl\" = \"cat:cs.LG reinforcement\"\n\n[watch]\nauthors = [\"Hinton\"]\nkeywords = [\"diffusion\"]\n";
        let config = parse(text).unwrap();
        assert!(config.warnings.is_empty(), "{:?}", config.warnings);
        let names: Vec<&str> = config.saved_searches.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["mamba", "my rl"]);
        assert_eq!(config.saved_searches[1].query, "cat:cs.LG reinforcement");
        assert_eq!(config.saved_searches[1].at, (3, 1));
        assert_eq!(config.watch, WatchList::new(&["Hinton"], &["diffusion"]));
    }

    #[test]
    fn a_saved_search_with_no_name_is_shown_by_its_query_with_a_warning() {
        let config = parse("[searches]\n\"\" = \"mamba\"\n\" \" = \"rl\"\n").unwrap();
        let names: Vec<&str> = config.saved_searches.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["mamba", "rl"]);
        let places: Vec<Option<(usize, usize)>> = config.warnings.iter().map(|w| w.at).collect();
        assert_eq!(places, [Some((2, 1)), Some((3, 1))], "{:?}", config.warnings);
        assert!(config.warnings[0].text.contains("no name"), "{:?}", config.warnings);
    }

    #[test]
    fn a_query_that_does_not_parse_is_a_warning_with_its_line_and_kept() {
        let config = parse("fetch_on_start = false\n[searches]\nok = \"mamba\"\nbad = \"(mamba\"\nnum = 3\n").unwrap();
        let places: Vec<Option<(usize, usize)>> = config.warnings.iter().map(|w| w.at).collect();
        assert_eq!(places, [Some((4, 7)), Some((5, 7))], "{:?}", config.warnings);
        assert!(config.warnings[0].text.contains("`bad` does not parse"), "{}", config.warnings[0].text);
        assert_eq!(config.warnings[0].in_file("c.toml").split(':').take(3).collect::<Vec<_>>(), ["c.toml", "4", "7"]);
        let names: Vec<&str> = config.saved_searches.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["ok", "bad"]);
    }

    #[test]
    fn an_unknown_key_or_a_bad_value_in_watch_is_a_warning() {
        let config = parse("[watch]\nauthors = [\"Hinton\", 7]\nkeyword = [\"typo\"]\n").unwrap();
        let places: Vec<Option<(usize, usize)>> = config.warnings.iter().map(|w| w.at).collect();
        assert_eq!(places, [Some((2, 22)), Some((3, 1))], "{:?}", config.warnings);
        assert!(config.warnings[1].text.contains("no `keyword`"), "{}", config.warnings[1].text);
        assert_eq!(config.watch, WatchList::new(&["Hinton"], &[] as &[&str]));
        let config = parse("watch = 3\n").unwrap();
        assert!(config.warnings[0].text.contains("must be a table"), "{:?}", config.warnings);
        // An empty one is a string in quotes already: what is wrong is that it is empty.
        let config = parse("[watch]\nauthors = [\"\", 7]\n").unwrap();
        let texts: Vec<&str> = config.warnings.iter().map(|w| w.text.as_str()).collect();
        assert!(texts[0].starts_with("an empty watched author") && texts[1].contains("in quotes"), "{texts:?}");
    }
}
