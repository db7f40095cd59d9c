//! `papers list --watched`, and what the command line says of `[searches]` and `[watch]`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Run, fixture};

/// A run whose configuration (where `papers` looks for it) is `config`.
fn configured(config: &str) -> Run {
    let run = Run::new();
    let dir = run.dir.path().join("papers");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), config).unwrap();
    run
}

fn titles(output: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout).lines().map(|l| l.chars().skip(4).collect()).collect()
}

#[test]
fn watched_lists_the_papers_of_a_watched_author_or_keyword() {
    let run = configured("[watch]\nauthors = [\"hartmann\"]\nkeywords = [\"Speech Recognition\"]\n");
    let digest = fixture("hf-daily-papers.json");
    let output = run.papers(&["list", digest.to_str().unwrap(), "--watched"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        titles(&output),
        [
            "Sparse Mixture-of-Adapters for Efficient Multilingual Speech Recognition",
            "Deep Learning for Personalized Electrocardiogram Diagnosis: A Review",
        ]
    );
    // A keyword of the abstract alone counts too.
    let run = configured("[watch]\nkeywords = [\"frozen\"]\n");
    let output = run.papers(&["list", digest.to_str().unwrap(), "--watched"]);
    assert_eq!(titles(&output), ["Sparse Mixture-of-Adapters for Efficient Multilingual Speech Recognition"]);
}

#[test]
fn watched_combines_with_search_and_json() {
    let run = configured("[watch]\nauthors = [\"hartmann\"]\nkeywords = [\"speech recognition\"]\n");
    let digest = fixture("hf-daily-papers.json");
    let output = run.papers(&["list", digest.to_str().unwrap(), "--watched", "--search", "'deep"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(titles(&output), ["Deep Learning for Personalized Electrocardiogram Diagnosis: A Review"]);
    let output = run.papers(&["list", digest.to_str().unwrap(), "--watched", "--json"]);
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
}

#[test]
fn watched_without_a_watch_list_says_so() {
    let run = configured("[searches]\nmamba = \"mamba\"\n");
    let output = run.papers(&["list", "--watched"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("has no [watch] list"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn a_bad_saved_search_is_a_warning_with_its_line_in_doctor_and_config_lists() {
    let run = configured("[huggingface]\nenabled = false\n[searches]\nok = \"mamba\"\nbad = \"(mamba\"\n");
    let output = run.papers(&["doctor"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().find(|l| l.contains("config")).unwrap_or_default();
    assert!(line.trim_start().starts_with("warn"), "{stdout}");
    assert!(line.contains("config.toml:5:7: the saved search `bad` does not parse"), "{stdout}");
    // The rest of the file still counts: the list reads it and warns.
    let output = run.papers(&["list", "--watched"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("config.toml:5:7"), "{stderr}");
}
