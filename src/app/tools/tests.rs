//! The model's side of PDFs and commands, with the work done at once (`Inline`).

use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::app::Msg;
use crate::config::{Input, PaperCommand};
use crate::digest::{self, Source};
use crate::library::Library;
use crate::state::Store;
use crate::work::Inline;

/// A reader on the Hugging Face fixture (papers with arXiv ids), with `commands`, PDFs going to `dir`
/// from an endpoint nothing answers at.
fn reader(dir: &Path, commands: &[(&str, &[&str], Input)]) -> (App, Inline) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hf-daily-papers.json");
    let library = Library::from_chunks(digest::load(&Source::File(fixture)).unwrap().chunks);
    let (store, _) = Store::open(&dir.join("state.json"));
    let commands: BTreeMap<String, PaperCommand> = commands
        .iter()
        .map(|(name, argv, input)| {
            let argv = argv.iter().map(|a| a.to_string()).collect();
            (name.to_string(), PaperCommand { argv, input: *input, timeout: 20.0 })
        })
        .collect();
    let pdf = Pdf { endpoint: "http://127.0.0.1:9/pdf".into(), dir: Some(dir.join("pdf")), ..Pdf::default() };
    let fetching = Fetching { timeout: 2.0, retries: 0, ..Fetching::default() };
    let app = App::new(library, &store).tooled(pdf, commands, fetching);
    (app, Inline::new(store))
}

fn message(app: &App) -> String {
    app.message().map(|(text, _)| text.clone()).unwrap_or_default()
}

fn type_name(app: &mut App, work: &mut Inline, name: &str) {
    for c in name.chars() {
        let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
        work.dispatch(app, Action::CommandInput(key.into()));
    }
}

#[cfg(unix)]
#[test]
fn a_command_gets_the_paper_and_its_output_is_shown_scrolled_and_copied() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut work) = reader(
        dir.path(),
        &[
            ("shout", &["/bin/sh", "-c", "tr a-z A-Z; printf 'done\\033[31m red\\n'"], Input::Abstract),
            ("show-json", &["/bin/sh", "-c", "cat"], Input::Json),
            ("show-bib", &["/bin/sh", "-c", "cat"], Input::Bibtex),
        ],
    );
    let title = app.selected_paper().unwrap().title().to_string();
    work.dispatch(&mut app, Action::RunCommand);
    assert!(app.command_prompt().is_some());
    type_name(&mut app, &mut work, "sh");
    work.dispatch(&mut app, Action::CommandComplete);
    assert_eq!(app.command_prompt().unwrap().choices(), ["shout", "show-bib", "show-json"]);
    type_name(&mut app, &mut work, "u");
    work.dispatch(&mut app, Action::CommandComplete);
    work.dispatch(&mut app, Action::CommandSubmit);
    assert!(app.command_prompt().is_none());
    let output = app.output().unwrap_or_else(|| panic!("no output pane: {}", message(&app)));
    assert!(!output.failed);
    assert_eq!(output.lines[0], title.to_uppercase());
    assert_eq!(output.lines.last().unwrap(), "done red", "escape sequences are not drawn");
    assert!(output.title.starts_with("shout · "), "{}", output.title);
    assert!(!app.busy());
    work.dispatch(&mut app, Action::CopyOutput);
    assert!(work.copied.last().unwrap().starts_with(&title.to_uppercase()));
    work.dispatch(&mut app, Action::CloseOutput);
    assert!(app.output().is_none());

    work.dispatch(&mut app, Action::RunCommand);
    type_name(&mut app, &mut work, "show-json");
    work.dispatch(&mut app, Action::CommandSubmit);
    let json: serde_json::Value = serde_json::from_str(&app.output().unwrap().lines.join("\n")).unwrap();
    assert_eq!(json[0]["title"], title.as_str(), "{json}");
    // As the keys go: the pane closed, then `|` again.
    work.dispatch(&mut app, Action::CloseOutput);
    work.dispatch(&mut app, Action::RunCommand);
    type_name(&mut app, &mut work, "show-bib");
    work.dispatch(&mut app, Action::CommandSubmit);
    assert!(app.output().unwrap().lines[0].starts_with('@'), "{:?}", app.output());
}

#[cfg(unix)]
#[test]
fn an_output_too_long_for_the_terminal_to_copy_is_not_copied_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut work) =
        reader(dir.path(), &[("long", &["/bin/sh", "-c", "seq -f 'line %g' 1 20000"], Input::Abstract)]);
    work.dispatch(&mut app, Action::RunCommand);
    type_name(&mut app, &mut work, "long");
    work.dispatch(&mut app, Action::CommandSubmit);
    assert_eq!(app.output().unwrap().lines.len(), 20_000);
    work.dispatch(&mut app, Action::CopyOutput);
    assert!(work.copied.is_empty(), "nothing sent to the terminal");
    assert_eq!(message(&app), "Not copied: the output is 209 KB, more than a terminal takes to copy (at most 100 KB)");
}

#[cfg(unix)]
#[test]
fn a_failing_command_shows_its_exit_code_and_standard_error() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut work) = reader(
        dir.path(),
        &[
            ("broken", &["/bin/sh", "-c", "echo 'no API key' >&2; exit 7"], Input::Abstract),
            ("missing", &["papers-no-such-program"], Input::Abstract),
        ],
    );
    work.dispatch(&mut app, Action::RunCommand);
    type_name(&mut app, &mut work, "broken");
    work.dispatch(&mut app, Action::CommandSubmit);
    let output = app.output().unwrap();
    assert!(output.failed);
    assert_eq!(output.lines, ["broken failed: exit code 7", "", "standard error:", "no API key"]);
    assert!(message(&app).contains("exit code 7"));
    work.dispatch(&mut app, Action::CloseOutput);
    work.dispatch(&mut app, Action::RunCommand);
    type_name(&mut app, &mut work, "missing");
    work.dispatch(&mut app, Action::CommandSubmit);
    assert!(app.output().unwrap().lines[0].contains("not found"), "{:?}", app.output());
    // A name that is no command: said, nothing runs.
    work.dispatch(&mut app, Action::RunCommand);
    type_name(&mut app, &mut work, "nope");
    work.dispatch(&mut app, Action::CommandSubmit);
    assert!(message(&app).contains("No command “nope” (there are: broken, missing)"), "{}", message(&app));
}

#[cfg(unix)]
#[test]
fn a_command_that_writes_without_end_is_stopped_at_the_cap_and_shows_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut work) = reader(dir.path(), &[("endless", &["/bin/sh", "-c", "yes papers"], Input::Abstract)]);
    work.dispatch(&mut app, Action::RunCommand);
    type_name(&mut app, &mut work, "endless");
    work.dispatch(&mut app, Action::CommandSubmit);
    let output = app.output().unwrap();
    assert!(!output.failed, "{:?}", &output.lines[output.lines.len() - 3..]);
    assert_eq!(output.lines[0], "papers");
    let end = &output.lines[output.lines.len() - 2..];
    assert_eq!(
        end,
        ["[cut: only the first 1 MB is shown]", "[endless was stopped there: it wrote on past what is kept]"]
    );
    assert!(message(&app).contains("done"), "{}", message(&app));
}

#[cfg(unix)]
#[test]
fn x_stops_a_running_command_and_its_pane_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = reader(dir.path(), &[("slow", &["/bin/sh", "-c", "echo started; sleep 30"], Input::Abstract)]);
    // Nothing running: said.
    let _ = app.update(Action::StopCommands);
    assert!(message(&app).contains("No command is running"), "{}", message(&app));
    app.start_command("slow".into(), vec!["/bin/sh".into()], Vec::new(), std::time::Duration::from_secs(30));
    assert!(message(&app).contains("Running slow… (X stops it)"), "{}", message(&app));
    let _ = app.update(Action::StopCommands);
    assert!(message(&app).contains("Stopping slow…"), "{}", message(&app));
    // The run ends, killed: the pane says it was stopped as asked, with what it wrote.
    let ran = crate::outward::run::Ran {
        ending: crate::outward::run::Ending::Signalled(9),
        stdout: b"started\n".to_vec(),
        stdout_cut: false,
        stderr: Vec::new(),
        stderr_cut: false,
    };
    let _ = app.update(Msg::Ran { name: "slow".into(), ran });
    let output = app.output().unwrap();
    assert_eq!(output.lines, ["slow was stopped, as asked", "", "standard output:", "started"]);
}

#[test]
fn what_a_running_command_writes_shows_as_it_comes_unless_its_pane_was_closed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = reader(dir.path(), &[]);
    let title = app.selected_paper().unwrap().title().to_string();
    let ended = |stdout: &[u8]| crate::outward::run::Ran {
        ending: crate::outward::run::Ending::Exited(0),
        stdout: stdout.to_vec(),
        stdout_cut: false,
        stderr: Vec::new(),
        stderr_cut: false,
    };
    let wrote = |name: &str, more: &[u8]| Msg::Wrote { name: name.into(), more: more.to_vec() };
    app.start_command("talk".into(), vec!["/bin/sh".into()], Vec::new(), std::time::Duration::from_secs(30));
    let _ = app.update(wrote("talk", b"one\ntw"));
    let output = app.output().unwrap();
    assert_eq!((&output.lines, output.running.as_deref()), (&vec!["one".to_string(), "tw".into()], Some("talk")));
    assert_eq!(output.title, format!("talk (running) · {title}"));
    let _ = app.update(wrote("talk", b"o\n"));
    assert_eq!(app.output().unwrap().lines, ["one", "two"]);
    // A second run of the same name waits for the first to end.
    app.start_command("talk".into(), vec!["/bin/sh".into()], Vec::new(), std::time::Duration::from_secs(30));
    assert!(message(&app).starts_with("talk is still running"), "{}", message(&app));
    assert_eq!(app.running_commands(), 1);
    // Closed while it runs: it stays closed as it writes on, and opens with all of it when it ends.
    let _ = app.update(Action::CloseOutput);
    let _ = app.update(wrote("talk", b"three\n"));
    assert!(app.output().is_none());
    let _ = app.update(Msg::Ran { name: "talk".into(), ran: ended(b"one\ntwo\nthree\nfour\n") });
    let output = app.output().unwrap();
    assert_eq!(output.lines, ["one", "two", "three", "four"]);
    assert_eq!(output.running, None);
    assert_eq!(output.title, format!("talk · {title}"));
    // Another's output shown stays while a command runs and writes; once it is closed, the running one shows.
    app.start_command("talk".into(), vec!["/bin/sh".into()], Vec::new(), std::time::Duration::from_secs(30));
    let _ = app.update(wrote("talk", b"again\n"));
    assert_eq!(app.output().unwrap().lines, ["one", "two", "three", "four"]);
    let _ = app.update(Action::CloseOutput);
    let _ = app.update(wrote("talk", b"and again\n"));
    assert_eq!(app.output().unwrap().lines, ["again", "and again"]);
    // Where the reader scrolled to while it ran stays when it ends.
    app.tools.output.as_mut().unwrap().scroll = 1;
    let _ = app.update(Msg::Ran { name: "talk".into(), ran: ended(b"again\nand again\n") });
    assert_eq!((app.output().unwrap().running.as_deref(), app.output().unwrap().scroll), (None, 1));
    // Unless it failed: how, and its standard error, come first.
    let _ = app.update(Action::CloseOutput);
    app.start_command("talk".into(), vec!["/bin/sh".into()], Vec::new(), std::time::Duration::from_secs(30));
    let _ = app.update(wrote("talk", b"1\n2\n"));
    app.tools.output.as_mut().unwrap().scroll = usize::MAX;
    let failed = crate::outward::run::Ran { ending: crate::outward::run::Ending::Exited(3), ..ended(b"1\n2\n") };
    let _ = app.update(Msg::Ran { name: "talk".into(), ran: failed });
    assert_eq!(app.output().unwrap().scroll, 0);
}

#[test]
fn an_output_that_comes_while_the_reader_types_or_reads_another_waits_its_turn() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = reader(dir.path(), &[]);
    let ended = |stdout: &[u8]| crate::outward::run::Ran {
        ending: crate::outward::run::Ending::Exited(0),
        stdout: stdout.to_vec(),
        stdout_cut: false,
        stderr: Vec::new(),
        stderr_cut: false,
    };
    let start = |app: &mut App, name: &str| {
        app.start_command(name.into(), vec!["/bin/sh".into()], Vec::new(), std::time::Duration::from_secs(30))
    };
    start(&mut app, "first");
    start(&mut app, "second");
    // Typing in the search bar: neither what comes while it runs nor its end takes the keys.
    let _ = app.update(Action::FocusSearch);
    let _ = app.update(Msg::Wrote { name: "first".into(), more: b"so far\n".to_vec() });
    assert!(app.output().is_none());
    let _ = app.update(Msg::Ran { name: "first".into(), ran: ended(b"so far\nall\n") });
    assert!(app.output().is_none());
    assert!(message(&app).ends_with("its output opens once the pane is free"), "{}", message(&app));
    // Done typing: it opens. Another's end then waits until that is closed.
    let _ = app.update(Action::SubmitSearch);
    assert_eq!(app.output().unwrap().lines, ["so far", "all"]);
    let _ = app.update(Msg::Ran { name: "second".into(), ran: ended(b"second's\n") });
    assert_eq!(app.output().unwrap().lines, ["so far", "all"]);
    let _ = app.update(Action::CloseOutput);
    assert_eq!(app.output().unwrap().lines, ["second's"]);
    let _ = app.update(Action::CloseOutput);
    assert!(app.output().is_none());
}

#[test]
fn a_pane_scrolled_to_its_end_follows_what_comes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = reader(dir.path(), &[]);
    app.start_command("many".into(), vec!["/bin/sh".into()], Vec::new(), std::time::Duration::from_secs(30));
    // `G` while it still fits: it follows once it no longer does.
    let _ = app.update(Msg::Wrote { name: "many".into(), more: b"1\n".to_vec() });
    app.viewport.output_rows = 3;
    app.viewport.output_lines = 1;
    let _ = app.update(Action::ScrollOutput(i32::MAX));
    let _ = app.update(Msg::Wrote { name: "many".into(), more: b"2\n3\n4\n5\n".to_vec() });
    assert_eq!(app.output().unwrap().scroll, usize::MAX);
    let _ = app.update(Action::ScrollOutput(-1));
    // A pane of 3 rows over 5 lines, scrolled to its end (`G`).
    app.viewport.output_rows = 3;
    app.viewport.output_lines = 5;
    let _ = app.update(Action::ScrollOutput(i32::MAX));
    assert_eq!(app.output().unwrap().scroll, usize::MAX, "follows: drawn at the end, whatever it holds");
    let _ = app.update(Msg::Wrote { name: "many".into(), more: b"6\n".to_vec() });
    assert_eq!(app.output().unwrap().scroll, usize::MAX);
    // Scrolled back up: stays there.
    app.viewport.output_lines = 6;
    let _ = app.update(Action::ScrollOutput(-2));
    assert_eq!(app.output().unwrap().scroll, 1);
    let _ = app.update(Msg::Wrote { name: "many".into(), more: b"7\n".to_vec() });
    assert_eq!(app.output().unwrap().scroll, 1);
    assert_eq!(app.output().unwrap().lines, ["1", "2", "3", "4", "5", "6", "7"]);
}

#[test]
fn what_comes_in_triage_waits_for_its_end_and_a_run_asked_twice_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = reader(dir.path(), &[]);
    app.start_command("talk".into(), vec!["/bin/sh".into()], Vec::new(), std::time::Duration::from_secs(30));
    let _ = app.update(Action::Triage);
    assert!(app.triage().is_some());
    let _ = app.update(Msg::Wrote { name: "talk".into(), more: b"so far\n".to_vec() });
    assert!(app.output().is_none(), "the triage keys stay the triage's");
    let _ = app.update(Action::LeaveTriage);
    let _ = app.update(Msg::Wrote { name: "talk".into(), more: b"more\n".to_vec() });
    assert_eq!(app.output().unwrap().lines, ["so far", "more"]);
    // Asked again while it runs (here from the prompt): said, and nothing else starts.
    let _ = app.update(Action::CloseOutput);
    app.start_command("talk".into(), vec!["/bin/sh".into()], Vec::new(), std::time::Duration::from_secs(30));
    assert!(message(&app).starts_with("talk is still running"), "{}", message(&app));
    assert_eq!(app.running_commands(), 1);
}

#[cfg(unix)]
#[test]
fn x_twice_stops_a_run_once() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = reader(dir.path(), &[]);
    let killed = |signal| crate::outward::run::Ran {
        ending: crate::outward::run::Ending::Signalled(signal),
        stdout: Vec::new(),
        stdout_cut: false,
        stderr: Vec::new(),
        stderr_cut: false,
    };
    app.start_command("slow".into(), vec!["/bin/sh".into()], Vec::new(), std::time::Duration::from_secs(30));
    let _ = app.update(Action::StopCommands);
    let _ = app.update(Action::StopCommands);
    let _ = app.update(Msg::Ran { name: "slow".into(), ran: killed(9) });
    assert_eq!(app.output().unwrap().lines[0], "slow was stopped, as asked");
    let _ = app.update(Action::CloseOutput);
    // The next run, ended by a signal from elsewhere, says so.
    app.start_command("slow".into(), vec!["/bin/sh".into()], Vec::new(), std::time::Duration::from_secs(30));
    let _ = app.update(Msg::Ran { name: "slow".into(), ran: killed(15) });
    assert_eq!(app.output().unwrap().lines[0], "slow was ended by signal 15");
}

#[test]
fn without_commands_or_an_arxiv_id_it_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut work) = reader(dir.path(), &[]);
    work.dispatch(&mut app, Action::RunCommand);
    assert!(app.command_prompt().is_none());
    assert!(message(&app).contains("No commands"), "{}", message(&app));
    let (store, _) = Store::open(&dir.path().join("other.json"));
    let mut app = App::new(Library::from_papers([("No id here", "")]), &store);
    let mut work = Inline::new(store);
    work.dispatch(&mut app, Action::DownloadPdf);
    assert!(message(&app).contains("no arXiv id"), "{}", message(&app));
    assert!(!app.busy());
}

#[test]
fn p_opens_a_pdf_already_there_and_a_failed_download_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut work) = reader(dir.path(), &[]);
    let paper = app.selected_paper().unwrap();
    let name = crate::fetch::pdf::file_name(paper.arxiv_id().unwrap(), paper.title());
    // Nothing answers at the endpoint: the download fails, and says so.
    work.dispatch(&mut app, Action::OpenPdf);
    assert!(message(&app).starts_with("Not downloaded:"), "{}", message(&app));
    assert!(work.opened.is_empty());
    assert!(!app.busy());
    let target = dir.path().join("pdf").join(format!("{name}.pdf"));
    // A file under the name that is no PDF (a login page a browser saved) is not opened as the paper.
    std::fs::write(&target, b"<!DOCTYPE html>").unwrap();
    work.dispatch(&mut app, Action::OpenPdf);
    assert!(message(&app).starts_with("Not downloaded:"), "{}", message(&app));
    assert!(work.opened.is_empty());
    std::fs::write(&target, b"%PDF-1.7").unwrap();
    work.dispatch(&mut app, Action::OpenPdf);
    assert_eq!(work.opened, [target.to_string_lossy().into_owned()]);
    // Downloaded this session beside another file of the name: that one is opened, not the other.
    let id = app.selected_paper().unwrap().arxiv_id().unwrap().to_string();
    let beside = dir.path().join("pdf").join(format!("{name} (2).pdf"));
    std::fs::write(&beside, b"%PDF-1.7 ours").unwrap();
    let saved = crate::fetch::pdf::Saved::Beside(beside.clone());
    let _ = app.update(Msg::Pdf(PdfNews::Done { id, result: Ok(saved) }));
    work.dispatch(&mut app, Action::OpenPdf);
    assert_eq!(work.opened.last(), Some(&beside.to_string_lossy().into_owned()));
}

#[test]
fn progress_is_told_in_bytes_and_percent() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = reader(dir.path(), &[]);
    let _ = app.update(Msg::Pdf(PdfNews::Progress { id: "2403.1".into(), got: 1_500_000, total: Some(6_000_000) }));
    assert_eq!(message(&app), "Downloading 2403.1: 1.5 MB of 6.0 MB (25%)");
    let _ = app.update(Msg::Pdf(PdfNews::Progress { id: "2403.1".into(), got: 2_000, total: None }));
    assert_eq!(message(&app), "Downloading 2403.1: 2 KB");
    // To the nearest, as the percentage is: not 8 KB of 73 KB (9%).
    let _ = app.update(Msg::Pdf(PdfNews::Progress { id: "2403.1".into(), got: 7_200, total: Some(72_016) }));
    assert_eq!(message(&app), "Downloading 2403.1: 7 KB of 72 KB (9%)");
    for (got, shown) in [(1, "1 KB"), (499, "1 KB"), (1_499, "1 KB"), (999_499, "999 KB"), (999_500, "1.0 MB")] {
        let _ = app.update(Msg::Pdf(PdfNews::Progress { id: "2403.1".into(), got, total: None }));
        assert_eq!(message(&app), format!("Downloading 2403.1: {shown}"), "{got} bytes");
    }
}

#[cfg(unix)]
#[test]
fn a_pdf_command_gets_the_downloaded_pdfs_path_as_its_last_argument() {
    let dir = tempfile::tempdir().unwrap();
    // `sh -c SCRIPT ARG`: the path added last is the script's `$0`.
    let (mut app, mut work) = reader(dir.path(), &[("where", &["/bin/sh", "-c", "echo \"got $0\""], Input::Pdf)]);
    let paper = app.selected_paper().unwrap();
    let name = crate::fetch::pdf::file_name(paper.arxiv_id().unwrap(), paper.title());
    let target = dir.path().join("pdf").join(format!("{name}.pdf"));
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, b"%PDF-1.7").unwrap();
    work.dispatch(&mut app, Action::RunCommand);
    type_name(&mut app, &mut work, "where");
    work.dispatch(&mut app, Action::CommandSubmit);
    assert_eq!(app.output().unwrap().lines, [format!("got {}", target.display())]);
}
