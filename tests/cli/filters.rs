//! `papers list --search` with filters: categories, authors, titles, abstracts and marks, combined
//! with `AND`, `OR`, `NOT` and parentheses.

use super::stderr;
use crate::common::Run;

/// A digest (arXiv metadata, JSON Lines) of five papers with categories, authors and abstracts, and a
/// state file: 1 read, 2 starred and read, 4 starred.
fn filtered_library(run: &Run) -> std::path::PathBuf {
    let papers = [
        (
            "2401.00001",
            "Dense retrieval with small language models",
            "Wei Li, Anna Smith",
            "cs.CL cs.IR",
            "We study retrieval augmented generation for question answering.",
        ),
        ("2401.00002", "Retrieval heads in transformers", "Bo Chen", "cs.LG", "Attention heads that copy tokens."),
        (
            "2401.00003",
            "Diffusion models for protein design",
            "Yan Li",
            "q-bio.BM cs.LG",
            "A score-based generative model for proteins.",
        ),
        (
            "2401.00004",
            "State space models are strong retrievers",
            "Carla Diaz",
            "cs.CL",
            "Mamba layers replace attention in retrieval.",
        ),
        ("2401.00005", "Graph diffusion on manifolds", "Wei Li", "math.DG", "Heat kernels on Riemannian manifolds."),
    ];
    let lines: Vec<String> = papers
        .iter()
        .map(|(id, title, authors, categories, abstract_text)| {
            serde_json::json!({
                "id": id, "submitter": "x", "authors": authors, "title": title, "categories": categories,
                "abstract": abstract_text, "update_date": "2024-01-02",
                "versions": [{"version": "v1", "created": "Tue, 2 Jan 2024 10:00:00 GMT"}],
            })
            .to_string()
        })
        .collect();
    let path = run.dir.path().join("filters.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write digest");
    std::fs::write(
        run.state(),
        r#"{"version":1,"papers":{
            "arxiv:2401.00001":{"read":true,"changed":1},
            "arxiv:2401.00002":{"starred":true,"read":true,"changed":1},
            "arxiv:2401.00004":{"starred":true,"changed":1}}}"#,
    )
    .expect("write state");
    path
}

/// The numbers (1 to 5, see `filtered_library`) of the papers `papers list --search query` prints, in order.
fn listed(run: &Run, digest: &std::path::Path, query: &str) -> Vec<u32> {
    let out = run.papers(&["list", "--json", "--search", query, digest.to_str().unwrap_or_default()]);
    assert!(out.status.success(), "{query}: {}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let ids = json.as_array().expect("an array").iter().map(|p| p["arxiv_id"].as_str().unwrap_or("").to_string());
    ids.map(|id| id.trim_start_matches("2401.0000").parse().unwrap_or(0)).collect()
}

fn sorted(mut numbers: Vec<u32>) -> Vec<u32> {
    numbers.sort_unstable();
    numbers
}

#[test]
fn list_search_filters_by_category_author_title_abstract_and_marks() {
    let run = Run::new();
    let digest = filtered_library(&run);
    let list = |query: &str| listed(&run, &digest, query);
    // Filters alone keep library order.
    assert_eq!(list("cat:cs.CL"), [1, 4]);
    assert_eq!(list("cat:CS.cl"), [1, 4]);
    assert_eq!(list("cat:cs"), [1, 2, 3, 4], "a category's start");
    assert_eq!(list("cat:q-bio.BM"), [3]);
    assert_eq!(sorted(list("author:\"wei li\"")), [1, 5]);
    assert_eq!(list("author:chen"), list("@chen"));
    assert_eq!(sorted(list("title:retriev")), [1, 2, 4]);
    assert_eq!(list("\"state space\""), [4]);
    assert_eq!(list("\"space state\""), Vec::<u32>::new());
    assert_eq!(list("abstract:attention"), [2, 4], "folded, whatever the case");
    assert_eq!(list("abstract:\"heat kernels\""), [5]);
    assert_eq!(list("abstract:Attention"), [2], "a capital asks for the case");
    assert_eq!(list("is:unread"), [3, 4, 5]);
    assert_eq!(list("is:read"), [1, 2]);
    assert_eq!(list("is:starred"), [2, 4]);
    // No paper has tags yet.
    assert_eq!(list("tag:todo"), Vec::<u32>::new());
}

#[test]
fn list_search_combines_filters_with_and_or_not_and_parentheses() {
    let run = Run::new();
    let digest = filtered_library(&run);
    let list = |query: &str| listed(&run, &digest, query);
    assert_eq!(sorted(list("retrieval OR diffusion")), [1, 2, 3, 5]);
    assert_eq!(list("retrieval | diffusion"), list("retrieval OR diffusion"));
    assert_eq!(list("NOT is:read"), [3, 4, 5]);
    assert_eq!(list("!cat:cs.CL"), [2, 3, 5]);
    assert_eq!(list("author:\"wei li\" NOT is:read diffusion"), [5]);
    assert_eq!(list("cat:cs.CL AND is:starred"), [4]);
    // AND before OR: (math.DG) OR (cs.CL AND starred).
    assert_eq!(sorted(list("cat:math.DG OR cat:cs.CL is:starred")), [4, 5]);
    assert_eq!(sorted(list("(cat:math.DG OR cat:cs.CL) is:unread")), [4, 5]);
    assert_eq!(list("NOT (cat:cs OR is:starred)"), [5]);
    // Filters only narrow: the words rank as without them.
    let ranked = list("models");
    let in_cs: Vec<u32> = ranked.iter().copied().filter(|n| [1, 2, 3, 4].contains(n)).collect();
    assert_eq!(list("models cat:cs"), in_cs);
    assert_eq!(sorted(ranked), [1, 3, 4]);
    // --unread and is:starred both hold.
    let out =
        run.papers(&["list", "--json", "--unread", "--search", "is:starred", digest.to_str().unwrap_or_default()]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(1));
}

#[test]
fn list_search_refuses_a_query_that_does_not_parse_and_says_why() {
    let run = Run::new();
    let digest = filtered_library(&run);
    for (query, why) in [
        ("\"state space", "--search: a \" is not closed"),
        ("retrieval AND", "--search: AND needs a term after it"),
        ("is:new", "--search: is: takes unread, read or starred, not new"),
        ("(a OR b", "--search: a ( is not closed"),
    ] {
        let out = run.papers(&["list", "--search", query, digest.to_str().unwrap_or_default()]);
        assert_eq!(out.status.code(), Some(2), "{query}");
        assert!(stderr(&out).contains(why), "{query}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    // A word with a colon that is no filter is a title word.
    assert_eq!(listed(&run, &digest, "state:"), Vec::<u32>::new());
}
