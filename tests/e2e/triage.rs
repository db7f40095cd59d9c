//! Triage end to end: the real binary in a pseudo-terminal goes through five papers, then the state file
//! is read back by `papers list`.

use std::process::Command;

use crate::pty::{Pty, papers};

/// (title, starred, read) of every paper of the built-in digest as `papers list --json` reads them back.
fn listed(data: &std::path::Path) -> Vec<(String, bool, bool)> {
    let out = Command::new(env!("CARGO_BIN_EXE_papers"))
        .args(["list", "--json"])
        .env("XDG_DATA_HOME", data)
        .env("XDG_CONFIG_HOME", data)
        .output()
        .expect("run papers list");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let papers = json.as_array().expect("an array");
    let flag = |paper: &serde_json::Value, name: &str| paper[name].as_bool().expect("a flag");
    papers
        .iter()
        .map(|p| (p["title"].as_str().expect("a title").to_string(), flag(p, "starred"), flag(p, "read")))
        .collect()
}

#[test]
fn triage_five_papers_star_read_skip_back_and_the_state_file_holds_exactly_those_marks() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut t = Pty::spawn(papers(data.path()), 100, 30);
    t.wait("83/83 shown");
    t.keys("T");
    t.wait("Triage · 1 of 83 ");
    t.wait("Deep Learning for Personalized Electrocardiogram");
    t.wait(" 1 of 83 · ★ 0 · 83 unread");
    // First: starred. Second: read. Third: skipped, then back to it and read after all.
    t.keys("s");
    t.wait("Triage · 2 of 83 ");
    t.wait("Mamba YOLO: SSMs-Based YOLO For Object Detection");
    t.keys("r");
    t.wait("Triage · 3 of 83 ");
    t.wait("Survey of Hallucination in Natural Language Generation");
    t.keys("Space");
    t.wait("Triage · 4 of 83 ");
    t.keys("u");
    t.wait("Triage · 3 of 83 · skipped before");
    t.keys("r");
    t.wait("Triage · 4 of 83 ");
    // Fourth: skipped. Fifth: starred.
    t.wait("GANprintR");
    t.keys("Space");
    t.wait("Triage · 5 of 83 ");
    t.wait("How Far Have We Gone in Stripped Binary Code");
    t.keys("s");
    t.wait("Triage · 6 of 83 ");
    t.wait(" 6 of 83 · ★ 2 · 81 unread");
    // Esc: the list, with the paper triage ended on selected and shown beside it.
    t.keys("Esc");
    t.gone("Triage ·");
    t.wait("││ Deep Learning Based Defect Detection for Solder");
    t.wait("╭ Papers");
    t.keys("q");
    assert_eq!(t.wait_exit(), 0, "{}", t.screen());

    let papers = listed(data.path());
    let starred: Vec<&str> = papers.iter().filter(|p| p.1).map(|p| p.0.as_str()).collect();
    let read: Vec<&str> = papers.iter().filter(|p| p.2).map(|p| p.0.as_str()).collect();
    assert_eq!(
        starred,
        [
            "Deep Learning for Personalized Electrocardiogram Diagnosis: A Review",
            "How Far Have We Gone in Stripped Binary Code Understanding Using Large Language Models"
        ]
    );
    assert_eq!(
        read,
        ["Mamba YOLO: SSMs-Based YOLO For Object Detection", "Survey of Hallucination in Natural Language Generation"]
    );
}
