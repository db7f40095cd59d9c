//! PDF downloads (`d`) against a server of the tests' own on 127.0.0.1: a whole download, a resumed one
//! (206), one the server restarts (200), and the answers refused: HTML, too large, too slow, an error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;

use std::path::Path;
use std::time::Duration;

use papers::config::Fetching;
use papers::fetch::http::Client;
use papers::fetch::pdf::{Job, Saved, download};
use server::{Reply, Request, Server};

/// A PDF's bytes: the header, then enough to come in several reads.
fn pdf_bytes(tag: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..300_000u32).map(|i| (i % 251) as u8 ^ tag));
    bytes.extend(b"\nstartxref\n9\n%%EOF\n");
    bytes
}

fn job(server: &Server, dir: &Path) -> Job {
    Job {
        url: format!("{}/pdf/2403.09043", server.url()),
        dir: dir.join("pdfs"),
        name: "2403.09043-a-paper".into(),
        max_bytes: 10 << 20,
        body_timeout: Duration::from_secs(20),
    }
}

fn client(timeout: f64) -> Client {
    Client::new(&Fetching { timeout, retries: 0, ..Fetching::default() })
}

/// Answers as a server that honours `Range` does.
fn ranged(body: &[u8], request: &Request) -> Reply {
    let from = request
        .header("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok());
    match from {
        Some(from) => Reply { status: 206, body: body[from..].to_vec(), ..Reply::default() }
            .with("Content-Range", &format!("bytes {from}-{}/{}", body.len() - 1, body.len())),
        None => Reply::ok(body.to_vec()),
    }
}

#[test]
fn a_whole_download_lands_under_its_name_with_its_progress_told() {
    let body = pdf_bytes(0);
    let served = body.clone();
    let server = Server::start(move |_, _| Reply::ok(served.clone()));
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    let mut seen = Vec::new();
    let saved = download(&client(5.0), &job, &mut |got, total| seen.push((got, total))).unwrap();
    assert_eq!(saved, Saved::New(job.target()));
    assert_eq!(std::fs::read(job.target()).unwrap(), body);
    assert!(!job.part().exists());
    assert_eq!(seen.last(), Some(&(body.len() as u64, Some(body.len() as u64))));
    let request = &server.requests()[0];
    assert_eq!(request.target, "/pdf/2403.09043");
    assert!(request.header("user-agent").unwrap().starts_with("papers/"));
    assert_eq!(request.header("range"), None);
    // The same again: nothing new is written, and it says so.
    assert_eq!(download(&client(5.0), &job, &mut |_, _| {}).unwrap(), Saved::Identical(job.target()));
    assert_eq!(std::fs::read_dir(&job.dir).unwrap().count(), 1);
}

/// What the `log` crate was told in this process, a line each.
struct Captured(std::sync::Mutex<Vec<String>>);

impl log::Log for Captured {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, record: &log::Record) {
        self.0.lock().unwrap().push(format!("{} {}", record.level(), record.args()));
    }
    fn flush(&self) {}
}

static CAPTURED: Captured = Captured(std::sync::Mutex::new(Vec::new()));

/// A download is in the debug log as a request is (`GET URL: 200 OK, N bytes …`), without the file's
/// name, which holds the title's words.
#[test]
fn a_download_is_logged_as_requests_are() {
    log::set_logger(&CAPTURED).unwrap();
    log::set_max_level(log::LevelFilter::Debug);
    let body = pdf_bytes(3);
    let served = body.clone();
    let server = Server::start(move |_, _| Reply::ok(served.clone()));
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    download(&client(5.0), &job, &mut |_, _| {}).unwrap();
    let lines = CAPTURED.0.lock().unwrap().clone();
    let line = lines.iter().find(|l| l.contains(&job.url)).unwrap_or_else(|| panic!("not logged: {lines:?}"));
    assert!(line.starts_with("DEBUG GET "), "{line}");
    assert!(line.contains(&format!("200 OK, {} bytes from byte 0", body.len())) && line.ends_with("kept"), "{line}");
    assert!(lines.iter().all(|l| !l.contains("a-paper")), "{lines:?}");
}

/// Bytes that come in a burst are told as they come, not only as time passes: the server sends a
/// megabyte at once and stops, and the progress seen has come close to it.
#[test]
fn progress_is_told_before_a_stall_that_follows_a_burst() {
    // 80,000 bytes at once, then nothing for two seconds: the status said 0 KB all along.
    let body = pdf_bytes(0);
    let pause = Duration::from_secs(2);
    let server = Server::start(move |_, _| Reply { pause_at: Some((80_000, pause)), ..Reply::ok(body.clone()) });
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    let started = std::time::Instant::now();
    let mut told = Vec::new();
    download(&client(5.0), &job, &mut |got, _| told.push((got, started.elapsed()))).unwrap();
    let before_the_rest = told.iter().filter(|(_, at)| *at < pause).map(|(got, _)| *got).max().unwrap_or(0);
    assert_eq!(before_the_rest, 80_000, "what was told before the pause ended: {told:?}");
}

#[test]
fn progress_follows_a_burst_of_bytes() {
    let mut body = b"%PDF-1.7\n".to_vec();
    body.resize(3_000_000, b'x');
    let server = Server::start(move |_, _| Reply { cut_at: Some(1_000_000), ..Reply::ok(body.clone()) });
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    let mut most = 0;
    assert!(download(&client(5.0), &job, &mut |got, _| most = most.max(got)).is_err());
    assert!(most >= 1_000_000 - (256 << 10), "progress told only {most} of 1000000 bytes");
}

#[test]
fn a_cut_download_is_kept_and_resumed_where_it_stopped() {
    let body = pdf_bytes(1);
    let served = body.clone();
    // The first answer stops a third of the way; the next ones honour the range asked for.
    let server = Server::start(move |request, before| match before {
        0 => Reply { cut_at: Some(100_000), ..Reply::ok(served.clone()) },
        _ => ranged(&served, request),
    });
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    let why = download(&client(5.0), &job, &mut |_, _| {}).unwrap_err();
    assert!(why.contains("d again resumes it"), "{why}");
    let kept = std::fs::metadata(job.part()).unwrap().len();
    assert!(kept > 0 && kept < body.len() as u64, "{kept}");
    let saved = download(&client(5.0), &job, &mut |_, _| {}).unwrap();
    assert_eq!(saved, Saved::New(job.target()));
    assert_eq!(std::fs::read(job.target()).unwrap(), body);
    assert_eq!(server.requests()[1].header("range"), Some(format!("bytes={kept}-").as_str()));
    assert!(!job.part().exists());
}

#[test]
fn a_resumed_answer_shorter_or_longer_than_its_range_said_is_never_kept_as_the_pdf() {
    let body = pdf_bytes(6);
    let served = body.clone();
    // The first answer stops a third of the way. The rest then comes with a `Content-Range` for the
    // whole file but no length, and the connection closes: after a thousand bytes, then with junk after
    // the end, then whole.
    let server = Server::start(move |request, before| {
        let mut reply = ranged(&served, request);
        reply.no_length = true;
        match before {
            0 => Reply { cut_at: Some(100_000), ..Reply::ok(served.clone()) },
            1 => Reply { cut_at: Some(1_000), ..reply },
            2 => {
                reply.body.extend(vec![b'x'; 50_000]);
                reply
            }
            _ => reply,
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    assert!(download(&client(5.0), &job, &mut |_, _| {}).is_err());
    let why = download(&client(5.0), &job, &mut |_, _| {}).unwrap_err();
    let total = body.len();
    assert!(why.contains(&format!("stopped at 101000 of {total} bytes; d again resumes it")), "{why}");
    assert!(!job.target().exists());
    assert_eq!(std::fs::metadata(job.part()).unwrap().len(), 101_000);
    let why = download(&client(5.0), &job, &mut |_, _| {}).unwrap_err();
    assert!(why.contains(&format!("sent more than the {total} bytes it said the PDF has")), "{why}");
    assert!(!job.target().exists() && !job.part().exists() && !job.part_of().exists());
    // Started again, whole.
    let saved = download(&client(5.0), &job, &mut |_, _| {}).unwrap();
    assert_eq!(saved, Saved::New(job.target()));
    assert_eq!(std::fs::read(job.target()).unwrap(), body);
}

#[test]
fn a_pdf_is_asked_for_unpacked_and_one_sent_packed_all_the_same_is_kept_whole() {
    use std::io::Write;
    let body = pdf_bytes(7);
    let mut packed = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    packed.write_all(&body).unwrap();
    let packed = packed.finish().unwrap();
    assert!(packed.len() < body.len());
    // Its Content-Length is the packed bytes': not the file's.
    let server = Server::start(move |_, _| Reply::ok(packed.clone()).with("Content-Encoding", "gzip"));
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    let saved = download(&client(5.0), &job, &mut |_, _| {}).unwrap();
    assert_eq!(saved, Saved::New(job.target()));
    assert_eq!(std::fs::read(job.target()).unwrap(), body);
    assert_eq!(server.requests()[0].header("accept-encoding"), Some("identity"));
}

#[test]
fn a_pdf_sent_without_a_length_and_cut_off_is_kept_as_a_part_not_as_the_pdf() {
    let body = pdf_bytes(9);
    let served = body.clone();
    // No length: the connection's end is the answer's. The first closes a third of the way in; the rest
    // then comes as asked.
    let server = Server::start(move |request, before| match before {
        0 => Reply { cut_at: Some(100_000), no_length: true, ..Reply::ok(served.clone()) }.with("ETag", "\"v1\""),
        _ => ranged(&served, request),
    });
    let dir = tempfile::tempdir().unwrap();
    let cut = job(&server, dir.path());
    let why = download(&client(5.0), &cut, &mut |_, _| {}).unwrap_err();
    assert!(why.contains("stopped at 100000 bytes, before the end of the PDF"), "{why}");
    assert!(why.contains("d tries again"), "{why}");
    assert!(!cut.target().exists());
    assert_eq!(std::fs::metadata(cut.part()).unwrap().len(), 100_000);
    let saved = download(&client(5.0), &cut, &mut |_, _| {}).unwrap();
    assert_eq!(saved, Saved::New(cut.target()));
    assert_eq!(std::fs::read(cut.target()).unwrap(), body);
    assert_eq!(server.requests()[1].header("range"), Some("bytes=100000-"));
    // Whole, without a length all the same: kept at once.
    let served = body.clone();
    let server = Server::start(move |_, _| Reply { no_length: true, ..Reply::ok(served.clone()) });
    let other = tempfile::tempdir().unwrap();
    let whole = job(&server, other.path());
    assert_eq!(download(&client(5.0), &whole, &mut |_, _| {}).unwrap(), Saved::New(whole.target()));
    assert_eq!(std::fs::read(whole.target()).unwrap(), body);
    // Sent in chunks, which tell where the body ends, a PDF is whole when all of them came, ended as
    // PDFs end or not (here by 2,000 zeros after its last line): the chunks, not the marker, tell.
    let odd = [&body[..], &[0u8; 2000][..]].concat();
    let mut chunked = Vec::new();
    for piece in odd.chunks(16 << 10) {
        chunked.extend(format!("{:x}\r\n", piece.len()).bytes());
        chunked.extend(piece);
        chunked.extend(b"\r\n");
    }
    chunked.extend(b"0\r\n\r\n");
    let server = Server::start(move |_, _| {
        Reply { no_length: true, ..Reply::ok(chunked.clone()) }.with("Transfer-Encoding", "chunked")
    });
    let third = tempfile::tempdir().unwrap();
    let framed = job(&server, third.path());
    assert_eq!(download(&client(5.0), &framed, &mut |_, _| {}).unwrap(), Saved::New(framed.target()));
    assert_eq!(std::fs::read(framed.target()).unwrap(), odd);
}

#[test]
fn a_resumed_answer_without_a_whole_length_is_held_to_the_first_ones() {
    let body = pdf_bytes(8);
    let served = body.clone();
    // The rest comes as `bytes N-M/*`, no length, and closes a thousand bytes in.
    let server = Server::start(move |request, before| match before {
        0 => Reply { cut_at: Some(100_000), ..Reply::ok(served.clone()) }.with("ETag", "\"v1\""),
        _ => {
            let from: usize =
                request.header("range").unwrap().trim_start_matches("bytes=").trim_end_matches('-').parse().unwrap();
            let range = format!("bytes {from}-{}/*", served.len() - 1);
            Reply {
                status: 206,
                body: served[from..].to_vec(),
                cut_at: Some(1_000),
                no_length: true,
                ..Reply::default()
            }
            .with("Content-Range", &range)
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    assert!(download(&client(5.0), &job, &mut |_, _| {}).is_err());
    let why = download(&client(5.0), &job, &mut |_, _| {}).unwrap_err();
    assert!(why.contains(&format!("stopped at 101000 of {} bytes", body.len())), "{why}");
    assert!(!job.target().exists());
}

#[test]
fn a_server_that_answers_a_range_with_the_whole_file_starts_it_again() {
    let body = pdf_bytes(2);
    let served = body.clone();
    let server = Server::start(move |_, before| match before {
        0 => Reply { cut_at: Some(100_000), ..Reply::ok(served.clone()) },
        _ => Reply::ok(served.clone()),
    });
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    assert!(download(&client(5.0), &job, &mut |_, _| {}).is_err());
    let saved = download(&client(5.0), &job, &mut |_, _| {}).unwrap();
    assert_eq!(saved, Saved::New(job.target()));
    assert_eq!(std::fs::read(job.target()).unwrap(), body, "a 200 starts from zero, never appends");
    assert!(server.requests()[1].header("range").is_some());
}

#[test]
fn a_part_of_a_file_that_changed_since_is_started_again_never_stitched_to_the_new_one() {
    // The first answer, version 1 (ETag v1), stops a third of the way; then the server has version 2,
    // and honours a range only for an If-Range of the version it has, as RFC 9110 asks.
    let (v1, v2) = (pdf_bytes(3), pdf_bytes(4));
    let served = (v1.clone(), v2.clone());
    let server = Server::start(move |request, before| match before {
        0 => Reply { cut_at: Some(100_000), ..Reply::ok(served.0.clone()) }.with("ETag", "\"v1\""),
        _ if request.header("if-range") == Some("\"v2\"") => ranged(&served.1, request).with("ETag", "\"v2\""),
        _ => Reply::ok(served.1.clone()).with("ETag", "\"v2\""),
    });
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    assert!(download(&client(5.0), &job, &mut |_, _| {}).is_err());
    let saved = download(&client(5.0), &job, &mut |_, _| {}).unwrap();
    assert_eq!(server.requests()[1].header("if-range"), Some("\"v1\""));
    assert_eq!(std::fs::read(saved.path()).unwrap(), v2, "version 1's start stitched to version 2's end");

    // A server that tells versions apart by nothing and resumes anything: a whole length that is not
    // the first one's starts the download again.
    let shorter = v1[..250_000].to_vec();
    let served = (v1.clone(), shorter.clone());
    let server = Server::start(move |request, before| match before {
        0 => Reply { cut_at: Some(100_000), ..Reply::ok(served.0.clone()) },
        _ => ranged(&served.1, request),
    });
    let dir = tempfile::tempdir().unwrap();
    let job = self::job(&server, dir.path());
    assert!(download(&client(5.0), &job, &mut |_, _| {}).is_err());
    let saved = download(&client(5.0), &job, &mut |_, _| {}).unwrap();
    assert_eq!(std::fs::read(saved.path()).unwrap(), shorter);
    assert!(server.requests()[2].header("range").is_none(), "{:?}", server.requests());

    // A part left with nothing to tell what it is of (an older papers' part) is started again.
    let body = pdf_bytes(5);
    let served = body.clone();
    let server = Server::start(move |request, _| ranged(&served, request));
    let dir = tempfile::tempdir().unwrap();
    let job = self::job(&server, dir.path());
    std::fs::create_dir_all(&job.dir).unwrap();
    std::fs::write(job.part(), b"%PDF-1.7\nstale bytes of another version").unwrap();
    let saved = download(&client(5.0), &job, &mut |_, _| {}).unwrap();
    assert_eq!(std::fs::read(saved.path()).unwrap(), body);
    assert!(server.requests()[0].header("range").is_none());
    let left: Vec<_> = std::fs::read_dir(&job.dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 1, "only the PDF is left: {left:?}");
}

#[test]
fn a_different_file_under_the_name_is_kept_and_the_new_one_goes_beside_it() {
    let body = pdf_bytes(3);
    let served = body.clone();
    let server = Server::start(move |_, _| Reply::ok(served.clone()));
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    std::fs::create_dir_all(&job.dir).unwrap();
    std::fs::write(job.target(), b"%PDF-1.4 the user's own annotated copy").unwrap();
    let saved = download(&client(5.0), &job, &mut |_, _| {}).unwrap();
    let beside = job.dir.join("2403.09043-a-paper (2).pdf");
    assert_eq!(saved, Saved::Beside(beside.clone()));
    assert_eq!(std::fs::read(job.target()).unwrap(), b"%PDF-1.4 the user's own annotated copy");
    assert_eq!(std::fs::read(beside).unwrap(), body);
}

#[test]
fn html_instead_of_a_pdf_is_refused_and_nothing_kept() {
    let server = Server::start(|_, _| {
        Reply::ok(b"<!DOCTYPE html><html><body>Please log in</body></html>".to_vec()).with("Content-Type", "text/html")
    });
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    let why = download(&client(5.0), &job, &mut |_, _| {}).unwrap_err();
    assert!(why.contains("did not send a PDF") && why.contains("<!DOC"), "{why}");
    assert!(!job.part().exists() && !job.target().exists());
    // Nor what the part would have been of.
    assert!(!job.part_of().exists());
}

#[test]
fn an_answer_over_the_cap_is_refused() {
    let server = Server::start(|_, _| Reply::ok(pdf_bytes(4)));
    let dir = tempfile::tempdir().unwrap();
    let job = Job { max_bytes: 100_000, ..job(&server, dir.path()) };
    let why = download(&client(5.0), &job, &mut |_, _| {}).unwrap_err();
    assert!(why.contains("over") && why.contains("pdf.max_mb"), "{why}");
    assert!(!job.part().exists() && !job.target().exists());
}

#[test]
fn a_server_that_does_not_answer_in_time_or_answers_an_error_fails_with_why() {
    let server = Server::start(|_, _| Reply { stall: Some(Duration::from_secs(5)), ..Reply::ok(pdf_bytes(5)) });
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    let why = download(&client(0.5), &job, &mut |_, _| {}).unwrap_err();
    assert!(why.contains("no answer in time"), "{why}");
    assert!(!job.target().exists());
    let missing = Server::start(|_, _| Reply::status(404));
    let why = download(&client(5.0), &self::job(&missing, dir.path()), &mut |_, _| {}).unwrap_err();
    assert!(why.contains("404"), "{why}");
}

#[test]
fn a_file_where_the_pdf_folder_should_be_is_named_with_what_to_do() {
    let server = Server::start(move |_, _| Reply::ok(pdf_bytes(0)));
    let dir = tempfile::tempdir().unwrap();
    let job = job(&server, dir.path());
    std::fs::write(&job.dir, b"a file").unwrap();
    let why = download(&client(5.0), &job, &mut |_, _| {}).unwrap_err();
    assert!(why.contains("is a file, not a folder; choose another with [pdf] dir"), "{why}");
    assert!(server.requests().is_empty(), "nothing asked for");
    assert_eq!(std::fs::read(&job.dir).unwrap(), b"a file");
    // A link to a folder that does not exist, and a FIFO, are named for what they are.
    #[cfg(unix)]
    {
        std::fs::remove_file(&job.dir).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone"), &job.dir).unwrap();
        let why = download(&client(5.0), &job, &mut |_, _| {}).unwrap_err();
        assert!(why.contains("/gone, which does not exist; make that folder, or choose another"), "{why}");
        std::fs::remove_file(&job.dir).unwrap();
        nix::unistd::mkfifo(&job.dir, nix::sys::stat::Mode::S_IRWXU).unwrap();
        let why = download(&client(5.0), &job, &mut |_, _| {}).unwrap_err();
        assert!(why.contains("is a FIFO (named pipe), not a folder"), "{why}");
        assert!(server.requests().is_empty(), "nothing asked for");
    }
}
