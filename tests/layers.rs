//! The crate's layers, checked: the table in `src/lib.rs` says which layer each module is in, and no module
//! may name one in a higher layer or be part of a cycle; every thread the code starts is named, and named
//! in the map of threads there too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module and the layer it is in (1 is the lowest), from the table in the crate's documentation.
type Layers = BTreeMap<String, usize>;

/// Reads the layer table of `lib.rs`: rows `//! | N name | `module`, `module` | what belongs there |`.
fn layers(lib: &str) -> Layers {
    let mut layers = Layers::new();
    for row in lib.lines().filter_map(|l| l.strip_prefix("//! |")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let Some(number) = cells.first().and_then(|c| c.split_whitespace().next()?.parse::<usize>().ok()) else {
            continue;
        };
        for module in cells.get(1).into_iter().flat_map(|c| c.split(',')) {
            layers.insert(module.trim().trim_matches('`').to_string(), number);
        }
    }
    layers
}

/// The source without comments and test-only items (`#[cfg(test)]` and what follows it: tests may reach
/// anything), and without the contents of strings unless `strings` (thread names are strings; paths in
/// strings are not imports).
fn code_of(source: &str, strings: bool) -> String {
    let mut out = String::new();
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed.starts_with("#[cfg(test)]") {
            // Skip the item: one line (`mod tests;`) or a braced block.
            let mut depth = 0i64;
            for next in lines.by_ref() {
                depth += next.matches('{').count() as i64 - next.matches('}').count() as i64;
                if depth <= 0 && (next.contains('}') || next.trim_end().ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        if strings {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        // A quote as a char is no string.
        let line = line.replace("'\"'", "' '").replace("'\\\"'", "' '");
        let mut in_string = false;
        let mut previous = ' ';
        for c in line.chars() {
            if c == '"' && previous != '\\' {
                in_string = !in_string;
            } else if !in_string {
                out.push(c);
            }
            previous = c;
        }
        out.push('\n');
    }
    out
}

/// `code_of` without strings: what imports are read from.
fn code(source: &str) -> String {
    code_of(source, false)
}

/// The modules of the crate that `code` names: `crate::name`, and each name of `crate::{a, b::c}`.
fn named_modules(code: &str, root: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let prefix = format!("{root}::");
    for (at, _) in code.match_indices(&prefix) {
        // Not the tail of a longer path (`papers::crate::`), nor an identifier ending in the root.
        if code[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() && name != "self" {
                    found.insert(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

/// Every `.rs` file under `dir`, but test files (`tests.rs`, `*_tests.rs`, those under a `tests/` folder).
fn source_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "tests" {
                files.extend(source_files(&path));
            }
        } else if name.ends_with(".rs") && name != "tests.rs" && !name.ends_with("_tests.rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The top-level module a file of `src/` belongs to (`src/app/marks.rs` → `app`).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_string()
}

/// Edges `from → to` between the crate's top-level modules, with a file that makes each.
fn graph(src: &Path) -> BTreeMap<(String, String), PathBuf> {
    let mut edges = BTreeMap::new();
    for file in source_files(src) {
        let from = module_of(src, &file);
        if from == "lib" || from == "main" {
            continue;
        }
        let text = code(&std::fs::read_to_string(&file).unwrap());
        for to in named_modules(&text, "crate") {
            if to != from {
                edges.entry((from.clone(), to)).or_insert_with(|| file.clone());
            }
        }
    }
    edges
}

/// What breaks the layering: edges that go up, modules missing from the table, and cycles.
fn violations(layers: &Layers, edges: &BTreeMap<(String, String), PathBuf>, modules: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for module in modules {
        if !layers.contains_key(module) {
            found.push(format!("module `{module}` is not in the layer table of src/lib.rs"));
        }
    }
    for ((from, to), file) in edges {
        if let (Some(low), Some(high)) = (layers.get(from), layers.get(to))
            && high > low
        {
            found.push(format!(
                "{}: `{from}` (layer {low}) names `{to}` (layer {high}), a higher layer",
                file.display()
            ));
        }
    }
    // A cycle: a module that reaches itself.
    let next = |m: &str| -> Vec<String> { edges.keys().filter(|(f, _)| f == m).map(|(_, t)| t.clone()).collect() };
    for start in modules {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = next(start);
        while let Some(m) = stack.pop() {
            if m == *start {
                found.push(format!("`{start}` is part of a cycle of modules"));
                break;
            }
            if seen.insert(m.clone()) {
                stack.extend(next(&m));
            }
        }
    }
    found
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_module_names_a_higher_layer_and_none_is_in_a_cycle() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let layers = layers(&lib);
    assert!(layers.len() >= 10, "the layer table of src/lib.rs is missing or unreadable: {layers:?}");
    let modules: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod ").or_else(|| l.trim().strip_prefix("mod ")))
        .map(|m| m.trim_end_matches(';').to_string())
        .collect();
    for module in layers.keys() {
        assert!(modules.contains(module), "the layer table names `{module}`, which src/lib.rs does not declare");
    }
    let edges = graph(&src());
    assert!(edges.len() > 20, "too few imports found for the check to mean anything: {edges:?}");
    let found = violations(&layers, &edges, &modules);
    assert!(found.is_empty(), "the layers of src/lib.rs are not kept:\n{}", found.join("\n"));
    println!(
        "{} modules in {} layers, {} imports between them, all downward",
        modules.len(),
        layers.values().max().unwrap(),
        edges.len()
    );
}

#[test]
fn the_check_finds_an_upward_import_a_cycle_and_a_module_left_out() {
    let layers = layers("//! | 1 bottom | `low` |\n//! | 2 top | `high`, `side` |\n");
    assert_eq!(layers.get("side"), Some(&2));
    let edge = |from: &str, to: &str| ((from.to_string(), to.to_string()), PathBuf::from(format!("{from}.rs")));
    let modules: BTreeSet<String> = ["low", "high", "side", "stray"].map(String::from).into();
    let edges: BTreeMap<_, _> = [edge("low", "high"), edge("high", "side"), edge("side", "high")].into();
    let found = violations(&layers, &edges, &modules);
    assert!(found.iter().any(|v| v.contains("`low` (layer 1) names `high` (layer 2)")), "{found:?}");
    assert!(found.iter().any(|v| v.contains("`high` is part of a cycle")), "{found:?}");
    assert!(found.iter().any(|v| v.contains("`stray` is not in the layer table")), "{found:?}");
    // And the reading of imports: groups, paths in code, not comments, strings or tests.
    let text = code(
        "use crate::{app::App, ui};\n// crate::cli\nlet s = \"crate::tui\";\nfn f() { crate::work::run() }\n\
         let q = '\"'; crate::state::x();\n\
         #[cfg(test)]\nmod tests {\n    use crate::digest;\n}\n",
    );
    let named: Vec<String> = named_modules(&text, "crate").into_iter().collect();
    assert_eq!(named, ["app", "state", "ui", "work"]);
}

/// The names of the threads the code starts (`Builder::new().name(…)`), and calls that start one without
/// a name.
fn threads(src: &Path) -> (BTreeSet<String>, Vec<String>) {
    let (mut named, mut unnamed) = (BTreeSet::new(), Vec::new());
    for file in source_files(src) {
        let source = std::fs::read_to_string(&file).unwrap();
        let text = code_of(&source, true);
        for (at, _) in text.match_indices(".name(") {
            let rest = text[at + ".name(".len()..].trim_start();
            let Some(name) = rest.strip_prefix("format!(\"").or_else(|| rest.strip_prefix('"')) else { continue };
            let name: String = name.chars().take_while(|&c| c != '"' && c != '{').collect();
            named.insert(name.trim().to_string());
        }
        for call in ["thread::spawn(", "scope.spawn("] {
            if text.contains(call) {
                unnamed.push(format!("{}: {call}", file.display()));
            }
        }
    }
    (named, unnamed)
}

#[test]
fn every_thread_is_named_and_on_the_map() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let map: Vec<&str> =
        lib.lines().skip_while(|l| !l.contains("## Threads")).take_while(|l| l.starts_with("//!")).collect();
    assert!(!map.is_empty(), "src/lib.rs has no `## Threads` section");
    let (named, unnamed) = threads(&src());
    assert!(unnamed.is_empty(), "threads started without a name: {unnamed:?}");
    assert!(named.len() >= 7, "too few threads found for the check to mean anything: {named:?}");
    for name in &named {
        assert!(
            map.iter().any(|l| l.contains(&format!("`{name}`"))),
            "the thread `{name}` is not in the map of threads in src/lib.rs"
        );
    }
    println!("{} named threads, each on the map: {named:?}", named.len());
}
