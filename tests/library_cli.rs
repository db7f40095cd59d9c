//! The command line with several formats, directories, standard input, export and moving marks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Output;

use common::csv_reader::read_csv;
use common::{Run, fixture};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path(name: &str) -> String {
    fixture(name).display().to_string()
}

fn json_list(out: &Output) -> Vec<serde_json::Value> {
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).expect("a JSON array")
}

#[test]
fn every_format_is_told_from_its_content_whatever_the_file_is_called() {
    let run = Run::new();
    for (name, count) in [
        ("hf-daily-papers.json", 3),
        ("arxiv-rss.xml", 3),
        ("arxiv-api.atom", 2),
        ("arxiv-metadata.jsonl", 4),
        ("three-papers.txt", 3),
    ] {
        // Under a misleading name: the content decides.
        let copy = run.dir.path().join(format!("{name}.txt.json"));
        std::fs::copy(fixture(name), &copy).unwrap();
        let papers = json_list(&run.papers(&["list", "--json", copy.to_str().unwrap()]));
        assert_eq!(papers.len(), count, "{name}");
        if name != "three-papers.txt" {
            assert!(papers.iter().all(|p| p["arxiv_id"].is_string()), "{name}: {papers:?}");
        }
    }
}

#[test]
fn a_file_in_no_format_names_the_formats_tried_and_the_first_line_that_failed() {
    let run = Run::new();
    let out = run.papers(&["list", &path("header-only.txt")]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("header-only.txt: no papers found"), "{err}");
    for format in ["Hugging Face daily papers JSON", "RSS or Atom feed", "arXiv metadata JSON Lines", "text digest"] {
        assert!(err.contains(format), "{format} not named: {err}");
    }
    assert!(err.contains("header-only.txt:9: the last line, and all before it, are a digest's header lines"), "{err}");
    let out = run.papers(&["list", &path("hf-malformed.json")]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("hf-malformed.json:") && err.contains("Hugging Face daily papers JSON"), "{err}");
}

#[test]
fn the_same_paper_from_text_and_json_is_one_entry_with_every_day() {
    let run = Run::new();
    // The text digest first: its title-keyed copy takes the identifier the JSON brings.
    let papers = json_list(&run.papers(&[
        "list",
        "--json",
        &path("three-papers.txt"),
        &path("hf-daily-papers.json"),
        &path("hf-daily-papers-day2.json"),
        "--search",
        "personalized electrocardiogram",
    ]));
    assert_eq!(papers.len(), 1, "{papers:?}");
    assert_eq!(papers[0]["source"].as_str().map(|s| s.ends_with("three-papers.txt")), Some(true), "{papers:?}");
    assert_eq!(papers[0]["arxiv_id"], "2403.09043");
    assert_eq!(papers[0]["key"], "arxiv:2403.09043");
    assert_eq!(papers[0]["authors"][0], "Lena Hartmann");
    // The text digest's day (Mar 14 of the year the fixture was saved) and the two JSON days.
    assert_eq!(papers[0]["days"].as_array().unwrap().len(), 3, "{papers:?}");
}

#[test]
fn a_directory_is_every_digest_in_it_and_other_files_are_passed_over_with_a_warning() {
    let run = Run::new();
    let dir = run.dir.path().join("digests");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(fixture("hf-daily-papers.json"), dir.join("2024-03-14.json")).unwrap();
    std::fs::copy(fixture("hf-daily-papers-day2.json"), dir.join("2024-03-15.json")).unwrap();
    std::fs::copy(fixture("three-papers.txt"), dir.join("older.txt")).unwrap();
    std::fs::write(dir.join("notes.md"), "just some notes\n").unwrap();
    std::fs::write(dir.join(".hidden"), "[").unwrap();
    std::fs::write(dir.join("broken.json"), "[{\"paper\": ").unwrap();
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    // An error arXiv's API answered, kept as a day by an earlier papers.
    let api_error = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>ArXiv Query</title>\
        <id>http://arxiv.org/api/x</id><updated>2024-03-14T00:00:00Z</updated><entry>\
        <id>http://arxiv.org/api/errors#incorrect_id_format_for_1</id><title>Error</title>\
        <summary>incorrect id format for 1</summary><updated>2024-03-14T00:00:00Z</updated></entry></feed>\n";
    std::fs::write(dir.join("2024-03-13.xml"), api_error).unwrap();
    let out = run.papers(&["list", "--json", dir.to_str().unwrap()]);
    let papers = json_list(&out);
    // 3 + 2 + 3, the ECG review in all three files.
    assert_eq!(papers.len(), 6, "{papers:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains("2024-03-13.xml:1: this is an error arXiv's API answered") && err.contains("passed over"),
        "{err}"
    );
    assert!(err.contains("broken.json:1:") && err.contains("passed over"), "{err}");
    assert!(err.contains("empty.txt") && err.contains("passed over"), "{err}");
    assert!(!err.contains(".hidden") && !err.contains("notes.md"), "{err}");
    // A directory of no digests at all is an error.
    let notes = run.dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("todo.md"), "- read\n").unwrap();
    let out = run.papers(&["list", notes.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no digest files in it"), "{}", text(&out.stderr));
}

#[test]
fn a_dash_reads_standard_input() {
    let run = Run::new();
    let input = std::fs::read(fixture("arxiv-rss.xml")).unwrap();
    let out = run.papers_with_input(&["list", "-"], Some(&input));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 3);
    let out = run.papers_with_input(&["list", "-", "-"], Some(b""));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("given twice"));
}

/// Writes a state file in which the papers with these keys and titles are starred, as another reader
/// (or another machine) would have saved it.
fn star(run: &Run, keys_and_titles: &[(&str, &str)]) {
    let mut papers = serde_json::Map::new();
    for (key, title) in keys_and_titles {
        papers
            .insert(key.to_string(), serde_json::json!({"starred": true, "read": false, "changed": 1, "title": title}));
    }
    let state = serde_json::json!({"version": 1, "papers": papers});
    std::fs::write(run.dir.path().join("state.json"), state.to_string()).unwrap();
}

#[test]
fn bibtex_export_parses_and_names_the_arxiv_eprint() {
    let run = Run::new();
    let out = run.papers(&["export", &path("hf-daily-papers.json"), &path("arxiv-api.atom"), "--format", "bibtex"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bib = text(&out.stdout);
    let parsed = biblatex::Bibliography::parse(&bib).unwrap_or_else(|e| panic!("{e:?}\n{bib}"));
    // 3 + 2, one paper in both files.
    assert_eq!(parsed.len(), 4, "{bib}");
    let with_eprint = parsed.iter().filter(|e| e.fields.contains_key("eprint")).count();
    assert_eq!(with_eprint, 4, "{bib}");
    assert!(bib.contains("archivePrefix = {arXiv}"), "{bib}");
}

#[test]
fn markdown_export_lists_every_starred_paper_and_only_those() {
    let run = Run::new();
    star(
        &run,
        &[
            ("arxiv:2403.09043", "Deep Learning for Personalized Electrocardiogram Diagnosis: A Review"),
            ("title:a survey of mamba", "A Survey of Mamba"),
        ],
    );
    let out = run.papers(&["export", "--starred", "--format", "markdown", &path("hf-daily-papers.json")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    let items: Vec<&str> = md.lines().filter(|l| l.starts_with("- ")).collect();
    assert_eq!(items.len(), 1, "{md}");
    assert!(items[0].contains("Deep Learning for Personalized Electrocardiogram Diagnosis"), "{md}");
    assert!(items[0].contains("https://arxiv.org/abs/2403.09043"), "{md}");
    // With the built-in digest too, both starred papers are listed.
    let out = run.papers(&["export", "--starred", "--format", "markdown"]);
    let md = text(&out.stdout);
    assert_eq!(md.lines().filter(|l| l.starts_with("- ")).count(), 2, "{md}");
}

#[test]
fn csv_export_round_trips_and_o_refuses_to_write_over_a_file() {
    let run = Run::new();
    let file = run.dir.path().join("papers.csv");
    let all = [path("hf-daily-papers.json"), path("arxiv-metadata.jsonl"), path("arxiv-rss.xml")];
    let mut args = vec!["export", "--format", "csv", "-o", file.to_str().unwrap()];
    args.extend(all.iter().map(String::as_str));
    let out = run.papers(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let entries = read_csv(std::fs::File::open(&file).unwrap()).unwrap();
    // 3 + 4 + 3, two papers of the feed also in the JSON.
    assert_eq!(entries.len(), 8);
    let mut json_args = vec!["export", "--format", "json"];
    json_args.extend(all.iter().map(String::as_str));
    let json: Vec<papers::export::Entry> = serde_json::from_slice(&run.papers(&json_args).stdout).unwrap();
    assert_eq!(entries, json, "CSV and JSON exports of the same papers differ");
    let again = run.papers(&args);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("exists"), "{}", text(&again.stderr));
    // With --force it is replaced (written beside it, then renamed: no temporary file is left).
    std::fs::write(&file, "old").unwrap();
    args.push("--force");
    assert!(run.papers(&args).status.success());
    assert_eq!(read_csv(std::fs::File::open(&file).unwrap()).unwrap(), entries);
    let left: Vec<_> = std::fs::read_dir(run.dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.iter().all(|n| !n.to_string_lossy().contains(".papers-")), "{left:?}");
}

#[cfg(unix)]
#[test]
fn an_export_is_never_written_over_the_state_file_or_its_backup_even_with_force() {
    let run = Run::new();
    star(&run, &[("title:a survey of mamba", "A Survey of Mamba")]);
    let marks = std::fs::read(run.state()).unwrap();
    // The backup a save keeps, here a link to the state file itself, as a save makes it.
    let backup = run.dir.path().join("state.json.bak");
    std::fs::hard_link(run.state(), &backup).unwrap();
    let link = run.dir.path().join("marks-link.json");
    std::os::unix::fs::symlink(run.state(), &link).unwrap();
    for target in [run.state(), backup, link] {
        for command in [&["export", "--starred"][..], &["state", "export"][..]] {
            let mut args = command.to_vec();
            args.extend(["-o", target.to_str().unwrap(), "--force"]);
            let out = run.papers(&args);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
            assert!(
                text(&out.stderr).contains("is where papers keeps your stars and read marks"),
                "{}",
                text(&out.stderr)
            );
            assert_eq!(std::fs::read(run.state()).unwrap(), marks, "{args:?} wrote over the marks");
        }
    }
}

#[test]
fn marks_dated_in_the_future_are_imported_as_made_now_and_lose_to_later_changes() {
    let run = Run::new();
    star(&run, &[("title:a survey of mamba", "A Survey of Mamba")]);
    let key = "title:a survey of mamba";
    let import = |marks: serde_json::Value| {
        let file = run.dir.path().join("import.json");
        std::fs::write(&file, serde_json::json!({"version": 2, "papers": {key: marks}}).to_string()).unwrap();
        run.papers(&["state", "import", file.to_str().unwrap()])
    };
    // Unstarred on a machine whose clock said 2100.
    let out =
        import(serde_json::json!({"starred": false, "changed": 4_102_444_800_000_u64, "title": "A Survey of Mamba"}));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("1 papers' marks were dated in the future"), "{}", text(&out.stderr));
    let starred = |run: &Run| text(&run.papers(&["list", "--starred"]).stdout).contains("A Survey of Mamba");
    assert!(!starred(&run));
    // Starred again, later, on a machine with the right time: that change wins.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    let out = import(serde_json::json!({"starred": true, "changed": now, "title": "A Survey of Mamba"}));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("1 new stars"), "{}", text(&out.stdout));
    assert!(starred(&run));
}

#[test]
fn a_state_file_a_hand_edited_gives_back_what_can_be_read_by_import() {
    let run = Run::new();
    let edited = serde_json::json!({
        "version": 2,
        "note_to_self": "x",
        "papers": {
            "title:a survey of mamba": {"starred": true, "changed": 1, "title": "A Survey of Mamba"},
            "title:other": {"starred": "yes", "changed": 1},
        },
    });
    let file = run.dir.path().join("edited.json");
    std::fs::write(&file, edited.to_string()).unwrap();
    let out = run.papers(&["state", "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(said.contains("unknown field `note_to_self`"), "{said}");
    assert!(
        said.contains(
            "importing what can be read, the marks of 1 paper; the marks of \"title:other\" could not be read and are left out"
        ),
        "{said}"
    );
    assert!(text(&run.papers(&["list", "--starred"]).stdout).contains("A Survey of Mamba"));
    // Many: the first five named, and how many more.
    let bad: serde_json::Map<String, serde_json::Value> =
        (0..7).map(|i| (format!("title:bad {i}"), serde_json::json!({"read": "no"}))).collect();
    let mut edited = edited;
    edited["papers"].as_object_mut().unwrap().extend(bad);
    std::fs::write(&file, edited.to_string()).unwrap();
    let said = text(&run.papers(&["state", "import", file.to_str().unwrap()]).stderr);
    assert!(
        said.contains("the marks of 8 papers could not be read and are left out: \"title:bad 0\", \"title:bad 1\", \"title:bad 2\", \"title:bad 3\", \"title:bad 4\", and 3 more"),
        "{said}"
    );
    // A byte order mark before the JSON is passed over.
    let exported = run.papers(&["state", "export"]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    std::fs::write(&file, [&b"\xef\xbb\xbf"[..], &exported.stdout].concat()).unwrap();
    let out = run.papers(&["state", "import", file.to_str().unwrap()]);
    assert!(out.status.success() && text(&out.stderr).is_empty(), "{}", text(&out.stderr));
    // Other JSON, with no papers in it, is still refused.
    std::fs::write(&file, r#"{"version": 2, "name": "not marks"}"#).unwrap();
    let out = run.papers(&["state", "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn state_export_then_import_on_another_machine_merges_and_keeps_what_was_there() {
    let here = Run::new();
    star(&here, &[("title:a survey of mamba", "A Survey of Mamba")]);
    let exported = here.papers(&["state", "export"]);
    assert!(exported.status.success());
    let there = Run::new();
    star(&there, &[("arxiv:2403.09043", "Deep Learning for Personalized Electrocardiogram Diagnosis: A Review")]);
    let file = there.dir.path().join("from-here.json");
    std::fs::write(&file, &exported.stdout).unwrap();
    // From standard input, as from another machine over ssh.
    let out = there.papers_with_input(&["state", "import", "-"], Some(&exported.stdout));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Merged standard input into"), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("1 new stars"), "{}", text(&out.stdout));
    let starred = json_list(&there.papers(&["list", "--starred", "--json"]));
    let titles: Vec<&str> = starred.iter().map(|p| p["title"].as_str().unwrap()).collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles.contains(&"A Survey of Mamba"));
    // Importing again (from the file) changes nothing; a file that is not a state file is refused,
    // from standard input too.
    let out = there.papers(&["state", "import", file.to_str().unwrap()]);
    assert!(text(&out.stdout).contains("0 new stars"), "{}", text(&out.stdout));
    let out = there.papers(&["state", "import", &path("three-papers.txt")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a papers state file"), "{}", text(&out.stderr));
    let out = there.papers_with_input(&["state", "import", "-"], Some(b"title\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("standard input: not a papers state file"), "{}", text(&out.stderr));
    // Said once, not twice over.
    let junk = there.dir.path().join("junk.json");
    std::fs::write(&junk, b"[1, 2]").unwrap();
    let out = there.papers(&["state", "import", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr).matches("not a papers state file").count(), 1, "{}", text(&out.stderr));
    // A file of a newer papers is imported as far as this one reads it, and that is said.
    let mut exported: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    exported["version"] = 99.into();
    exported["more"] = 1.into();
    let newer = there.dir.path().join("newer.json");
    std::fs::write(&newer, serde_json::to_vec(&exported).unwrap()).unwrap();
    let out = there.papers(&["state", "import", newer.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(said.contains("written by a newer papers (format 99") && said.contains("is not imported"), "{said}");
}

/// A device without end given as a state file to import or as the configuration is read only to a
/// bound and refused, rather than read until memory runs out.
#[cfg(target_os = "linux")]
#[test]
fn an_endless_device_is_refused_as_a_state_file_or_a_configuration() {
    let run = Run::new();
    let out = run.papers(&["state", "import", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("/dev/zero: it is over 512 MiB"), "{}", text(&out.stderr));
    let out = run.papers(&["config", "--config", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("/dev/zero: over 1 MiB"), "{}", text(&out.stderr));
}

/// The titles `papers list --search QUERY` prints for `files`, best first.
fn searched(run: &Run, query: &str, files: &[String]) -> Vec<String> {
    let mut args = vec!["list", "--json", "--search", query];
    args.extend(files.iter().map(String::as_str));
    json_list(&run.papers(&args)).iter().map(|p| p["title"].as_str().unwrap_or_default().to_string()).collect()
}

#[test]
fn search_folds_accents_dashes_and_quotes_in_titles_and_queries_alike() {
    let run = Run::new();
    let digest = run.dir.path().join("folded.txt");
    let papers = [
        "Über die Schrödinger-Gleichung",
        "Kolmogorov–Arnold Networks for Straße Scenes",
        "Learning “in the wild” with ﬁne Tuning",
        "Plain English Title",
    ];
    let text: String = papers
        .iter()
        .map(|t| {
            format!("{t}\n\nThis abstract is long enough to read as prose, with more than eight words in it.\n\n\n")
        })
        .collect();
    std::fs::write(&digest, format!("Mar 14\n\n{text}")).unwrap();
    let file = [digest.display().to_string()];
    assert_eq!(searched(&run, "uber", &file), [papers[0]]);
    assert_eq!(searched(&run, "schrodinger", &file), [papers[0]]);
    assert_eq!(searched(&run, "schrödinger", &file), [papers[0]]);
    assert_eq!(searched(&run, "kolmogorov-arnold", &file), [papers[1]]);
    assert_eq!(searched(&run, "strasse", &file), [papers[1]]);
    assert_eq!(searched(&run, "'\"in the", &file), [papers[2]]);
    assert_eq!(searched(&run, "'fine", &file), [papers[2]]);
    // Smart case still holds: a capital letter asks for exact case.
    assert_eq!(searched(&run, "Uber", &file), [papers[0]]);
    assert!(searched(&run, "UBER", &file).is_empty());
}

#[test]
fn search_finds_authors_with_at_and_arxiv_identifiers_by_their_start() {
    let run = Run::new();
    let jsonl = [path("arxiv-metadata.jsonl")];
    let spectral = "Spectral gaps of random regular graphs with planted communities";
    let lattice = "On the number of lattice points in thin annuli";
    assert_eq!(searched(&run, "@dupe", &jsonl), [spectral]);
    assert_eq!(searched(&run, "@nakamura spectral", &jsonl), [spectral]);
    assert!(searched(&run, "@nakamura lattice", &jsonl).is_empty());
    assert_eq!(searched(&run, "0704.0421", &jsonl), [spectral]);
    assert_eq!(searched(&run, "0704.04", &jsonl), [spectral]);
    assert_eq!(searched(&run, "math/0601001", &jsonl), [lattice]);
    assert_eq!(searched(&run, "math/06", &jsonl), [lattice]);
    // `!` before an identifier, as `NOT` does, leaves that paper out.
    let all = searched(&run, "", &jsonl);
    assert!(all.len() > 2 && all.contains(&spectral.to_string()), "{all:?}");
    let without = searched(&run, "!0704.0421", &jsonl);
    assert_eq!(without.len(), all.len() - 1, "{without:?}");
    assert!(!without.contains(&spectral.to_string()));
    assert_eq!(without, searched(&run, "NOT 0704.0421", &jsonl));
    // A text digest names no authors: a JSON copy of the same paper brings them, and the search finds it.
    let both = [path("three-papers.txt"), path("hf-daily-papers.json")];
    assert_eq!(
        searched(&run, "@hartmann", &both),
        ["Deep Learning for Personalized Electrocardiogram Diagnosis: A Review"]
    );
    // Titles alone, as `list` prints them without --json, and `export` take the same syntax.
    let out = run.papers(&[
        "list",
        "--search",
        "@hartmann 2403.09",
        &path("three-papers.txt"),
        &path("hf-daily-papers.json"),
    ]);
    assert!(text(&out.stdout).contains("Personalized Electrocardiogram"), "{}", text(&out.stdout));
    let out = run.papers(&["export", "--format", "markdown", "--search", "@dupe", &path("arxiv-metadata.jsonl")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(spectral) && !text(&out.stdout).contains(lattice), "{}", text(&out.stdout));
}

/// Writes a state file in which papers have tags (each `(key, title, tags, note)`), as the reader saves it.
fn tag(run: &Run, papers: &[(&str, &str, &[&str], Option<&str>)]) {
    let mut all = serde_json::Map::new();
    for (key, title, tags, note) in papers {
        let tags: serde_json::Map<String, serde_json::Value> =
            tags.iter().map(|t| (t.to_string(), serde_json::json!({"on": true, "changed": 5}))).collect();
        let mut marks = serde_json::json!({"changed": 5, "title": title, "tags": tags});
        if let Some(note) = note {
            marks["note"] = serde_json::json!({"text": note, "changed": 5});
        }
        all.insert(key.to_string(), marks);
    }
    let state = serde_json::json!({"version": 2, "papers": all});
    std::fs::write(run.dir.path().join("state.json"), state.to_string()).unwrap();
}

const ECG: &str = "Deep Learning for Personalized Electrocardiogram Diagnosis: A Review";

#[test]
fn list_and_export_take_tag_and_carry_tags_and_notes() {
    let run = Run::new();
    tag(
        &run,
        &[
            ("arxiv:2403.09043", ECG, &["ecg", "review"], Some("Compare with §3 & the 2023 survey")),
            ("title:a survey of mamba", "A Survey of Mamba", &["review"], None),
        ],
    );
    let hf = path("hf-daily-papers.json");
    let out = run.papers(&["list", "--tag", "ecg", &hf]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 1, "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains(ECG));
    // Two tags: the papers with both; `#` and capitals are taken as the prompt takes them.
    let listed = json_list(&run.papers(&["list", "--json", "--tag", "#Review", "--tag", "ecg", &hf]));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["tags"], serde_json::json!(["ecg", "review"]));
    assert_eq!(listed[0]["note"], "Compare with §3 & the 2023 survey");
    let both = json_list(&run.papers(&["list", "--json", "--tag", "review"]));
    assert_eq!(both.len(), 2, "{both:?}");
    let untagged = json_list(&run.papers(&["list", "--json", "--search", "mamba yolo"]));
    assert_eq!(untagged[0]["tags"], serde_json::json!([]));
    assert_eq!(untagged[0]["note"], serde_json::Value::Null);

    let out = run.papers(&["export", "--format", "json", "--tag", "ecg", &hf]);
    let entries: Vec<papers::export::Entry> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].tags, ["ecg", "review"]);
    assert_eq!(entries[0].note.as_deref(), Some("Compare with §3 & the 2023 survey"));
    let bib = text(&run.papers(&["export", "--tag", "ecg", &hf]).stdout);
    assert!(bib.contains(r"note = {Compare with §3 \& the 2023 survey}"), "{bib}");

    // A word that is no tag is refused, naming it.
    let out = run.papers(&["list", "--tag", "two words"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--tag two words: not a tag"), "{}", text(&out.stderr));
}

#[test]
fn state_export_and_import_carry_tags_and_notes() {
    let here = Run::new();
    tag(&here, &[("title:a survey of mamba", "A Survey of Mamba", &["ssm"], Some("the survey to start with"))]);
    let exported = here.papers(&["state", "export"]);
    assert!(exported.status.success());
    let there = Run::new();
    let file = there.dir.path().join("from-here.json");
    std::fs::write(&file, &exported.stdout).unwrap();
    let out = there.papers(&["state", "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("1 paper with tags or a note changed"), "{}", text(&out.stdout));
    let listed = json_list(&there.papers(&["list", "--json", "--tag", "ssm"]));
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["title"], "A Survey of Mamba");
    assert_eq!(listed[0]["note"], "the survey to start with");
}

/// A file given as `--state` by mistake (a digest, notes) is left as it is by the commands that only
/// read: no file moved aside, nothing written over it; `state export` refuses rather than print an
/// empty state as if it were the backup asked for.
#[test]
fn commands_that_only_read_leave_a_file_that_is_not_a_state_file_as_it_is() {
    let run = Run::new();
    let notes = b"My reading notes\n\nNot JSON at all.\n".to_vec();
    std::fs::write(run.state(), &notes).unwrap();
    let digest = path("three-papers.txt");
    let listing = |out: &Output| (out.status.code(), text(&out.stderr));
    for args in [&["list", &digest][..], &["export", &digest], &["list", "--starred", &digest]] {
        let (code, err) = listing(&run.papers(args));
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(
            err.contains("is not a state papers can read") && err.contains("it is left as it is"),
            "{args:?}: {err}"
        );
    }
    let out = run.papers(&["state", "export"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("nothing to export"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read(run.state()).unwrap(), notes, "the file was changed");
    let names: Vec<String> = std::fs::read_dir(run.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("damaged") || n.ends_with(".lock")), "{names:?}");
    // With a good backup beside it, the backup's marks are what is read, and exported, the file still
    // left as it is.
    let backup = run.dir.path().join("state.json.bak");
    std::fs::write(
        &backup,
        papers::state::encode(
            &[(
                papers::library::PaperKey::from_title("Kept"),
                papers::state::Marks { starred: true, ..Default::default() },
            )]
            .into_iter()
            .collect(),
        ),
    )
    .unwrap();
    let out = run.papers(&["state", "export"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("\"starred\": true") || text(&out.stdout).contains("\"starred\":true"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(std::fs::read(run.state()).unwrap(), notes, "the file was changed");
}
