//! File names, ranges and where a finished download goes; the downloads themselves are in `tests/pdf.rs`.

use super::*;

#[test]
fn names_are_the_id_and_the_first_title_words_in_plain_ascii() {
    assert_eq!(file_name("2403.09043", "Attention Is All You Need"), "2403.09043-attention-is-all-you-need");
    assert_eq!(file_name("hep-th/9901001v2", "Strings: a review"), "hep-th_9901001v2-strings-a-review");
    assert_eq!(
        file_name("2401.00001", "Über die Rolle von Größe — naïve ﬁts"),
        "2401.00001-uber-die-rolle-von-grosse-naive-fits"
    );
    assert_eq!(file_name("2401.00002", "大规模语言模型"), "2401.00002", "no ASCII spelling: the id alone");
    assert_eq!(
        file_name("2401.00003", "$O(n \\log n)$ sorting; `rm -rf /` & \"quotes\" 'too'"),
        "2401.00003-o-n-log-n-sorting-rm-rf-quotes-too"
    );
    assert_eq!(file_name("../-x", "t"), "_-x-t", "never a hidden name or an option");
    assert_eq!(file_name("", ""), "paper");
    let long = file_name("2401.00004", &"word ".repeat(100));
    assert!(long.len() <= "2401.00004".len() + TITLE_CHARS, "{long}");
    assert!(long.ends_with("-word"), "whole words only: {long}");
    let name = file_name("2401.00005", "Ünïcödé\u{202e}txt.exe\u{0}\n\tends");
    assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)), "{name}");
}

#[test]
fn content_ranges_give_their_start_and_total() {
    assert_eq!(content_range(Some("bytes 100-999/1000")), Some((100, Some(1000))));
    assert_eq!(content_range(Some("bytes 5-9/*")), Some((5, None)));
    assert_eq!(content_range(Some("items 1-2/3")), None);
    assert_eq!(content_range(None), None);
}

fn job(dir: &Path) -> Job {
    Job {
        url: "http://127.0.0.1:9/pdf/1".into(),
        dir: dir.to_path_buf(),
        name: "1-a-paper".into(),
        max_bytes: 1 << 20,
        body_timeout: Duration::from_secs(5),
    }
}

#[test]
fn a_finished_download_never_replaces_a_file_identical_or_not() {
    let dir = tempfile::tempdir().unwrap();
    let job = job(dir.path());
    fs::write(job.part(), b"%PDF-1.7 one").unwrap();
    assert_eq!(place(&job).unwrap(), Saved::New(job.target()));
    assert!(!job.part().exists());
    // The same bytes again: nothing new, the file is the one there.
    fs::write(job.part(), b"%PDF-1.7 one").unwrap();
    assert_eq!(place(&job).unwrap(), Saved::Identical(job.target()));
    assert!(!job.part().exists());
    // Different bytes: kept beside it, the first untouched.
    fs::write(job.part(), b"%PDF-1.7 two").unwrap();
    let beside = dir.path().join("1-a-paper (2).pdf");
    assert_eq!(place(&job).unwrap(), Saved::Beside(beside.clone()));
    assert_eq!(fs::read(job.target()).unwrap(), b"%PDF-1.7 one");
    assert_eq!(fs::read(&beside).unwrap(), b"%PDF-1.7 two");
    // The second version again: it is the one beside.
    fs::write(job.part(), b"%PDF-1.7 two").unwrap();
    assert_eq!(place(&job).unwrap(), Saved::Identical(beside));
}

#[cfg(unix)]
#[test]
fn a_symlink_at_the_name_is_neither_followed_nor_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let job = job(dir.path());
    let elsewhere = dir.path().join("elsewhere");
    // A PDF, so that only the link keeps P from opening it.
    fs::write(&elsewhere, b"%PDF-1.4 precious").unwrap();
    std::os::unix::fs::symlink(&elsewhere, job.target()).unwrap();
    fs::write(job.part(), b"%PDF-1.7").unwrap();
    let why = place(&job).unwrap_err();
    assert!(why.contains("not a regular file"), "{why}");
    assert_eq!(fs::read(&elsewhere).unwrap(), b"%PDF-1.4 precious");
    assert!(fs::symlink_metadata(job.target()).unwrap().file_type().is_symlink());
    assert_eq!(job.existing(), None, "P does not open through it either");
    // A symlink as the part: never written through.
    fs::remove_file(job.part()).unwrap();
    std::os::unix::fs::symlink(&elsewhere, job.part()).unwrap();
    let why = regular_len(&job.part()).unwrap_err();
    assert!(why.contains("not a regular file"), "{why}");
    assert!(open_part(&job.part(), false).is_err());
    assert_eq!(fs::read(&elsewhere).unwrap(), b"%PDF-1.4 precious");
}

#[test]
fn only_a_pdf_start_is_taken() {
    let dir = tempfile::tempdir().unwrap();
    let job = job(dir.path());
    assert!(refuse_unless_pdf(&job, b"%P", true).is_ok(), "more may come");
    assert!(refuse_unless_pdf(&job, b"%PDF-", false).is_ok());
    fs::write(job.part(), b"<!DOCTYPE html>").unwrap();
    let why = refuse_unless_pdf(&job, b"<!DOC", false).unwrap_err();
    assert!(why.contains("did not send a PDF") && why.contains("<!DOC"), "{why}");
    assert!(!job.part().exists(), "a refused answer is not kept");
    assert!(refuse_unless_pdf(&job, b"%P", false).is_err(), "a body that ends there is no PDF");
}
