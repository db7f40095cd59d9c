//! `papers fetch` against a server of the tests' own on 127.0.0.1, serving the answers the project ships:
//! what is kept, what is asked the next time, and that no failure (a bad answer, an error, a stall, a cap)
//! ever loses or replaces a stored day.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use server::{Reply, Server, dead_port};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

/// A home for one test: configuration and data directories of its own.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    /// With `config` as its configuration file (`fetch` settings for tests added: short timeouts).
    fn new(config: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let home = Home { dir };
        std::fs::create_dir_all(home.config().parent().unwrap()).unwrap();
        std::fs::write(home.config(), config).unwrap();
        home
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config/papers/config.toml")
    }

    fn library(&self) -> PathBuf {
        self.dir.path().join("data/papers/digests")
    }

    fn papers(&self, args: &[&str]) -> Output {
        self.papers_with(args, &[])
    }

    fn papers_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_papers"));
        command
            .args(args)
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("HOME", self.dir.path())
            .env_remove("HF_ENDPOINT")
            .stdin(Stdio::null());
        for (name, value) in env {
            command.env(name, value);
        }
        command.output().unwrap()
    }

    fn day(&self, source: &str, file: &str) -> PathBuf {
        self.library().join(source).join(file)
    }
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Settings that keep failing cases short: a second to answer, one retry after a tenth of a second.
const QUICK: &str = "[fetch]\ntimeout = 1\nretries = 1\nbackoff = 0.1\n";

fn hf_config(server: &Server) -> String {
    format!("[huggingface]\nendpoint = \"{}\"\n{QUICK}", server.url())
}

const DAY: &str = "2024-03-14";

fn fetch_day(home: &Home) -> Output {
    home.papers(&["fetch", "--date", DAY])
}

#[test]
fn a_hugging_face_day_is_kept_and_listed_with_ids_and_authors() {
    let server = Server::start(|_, _| Reply::ok(fixture("hf-daily-papers.json")).with("ETag", "\"day-1\""));
    let home = Home::new(&hf_config(&server));
    let out = fetch_day(&home);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("huggingface 2024-03-14: 3 papers, 3 new"), "{}", text(&out));
    let request = &server.requests()[0];
    assert_eq!(request.target, "/api/daily_papers?date=2024-03-14");
    assert!(request.header("user-agent").is_some_and(|ua| ua.starts_with("papers/")), "{request:?}");
    assert!(request.header("accept-encoding").is_some_and(|e| e.contains("gzip")), "{request:?}");
    assert_eq!(std::fs::read(home.day("huggingface", "2024-03-14.json")).unwrap(), fixture("hf-daily-papers.json"));

    // With no file named, `papers list` reads the library.
    let out = home.papers(&["list", "--json"]);
    assert!(out.status.success(), "{}", text(&out));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let papers = listed.as_array().unwrap();
    assert_eq!(papers.len(), 3);
    let ids: Vec<&str> = papers.iter().map(|p| p["arxiv_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["2403.08763", "2403.08912", "2403.09043"]);
    assert_eq!(papers[0]["authors"][0], "Mira Castellanos");
    assert_eq!(papers[2]["authors"].as_array().unwrap().len(), 2);
}

#[test]
fn a_day_fetched_again_unchanged_moves_no_body() {
    let server = Server::start(|request, _| match request.header("if-none-match") {
        Some("\"day-1\"") => Reply::status(304),
        _ => Reply::ok(fixture("hf-daily-papers.json")).with("ETag", "\"day-1\""),
    });
    let home = Home::new(&hf_config(&server));
    assert!(fetch_day(&home).status.success());
    let out = fetch_day(&home);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("huggingface 2024-03-14: not modified"), "{}", text(&out));
    assert_eq!(server.requests()[1].header("if-none-match"), Some("\"day-1\""));
    assert!(home.day("huggingface", "2024-03-14.json").is_file());
}

#[test]
fn a_day_removed_from_the_library_is_fetched_whole_again() {
    let server = Server::start(|request, _| match request.header("if-none-match") {
        Some("\"day-1\"") => Reply::status(304),
        _ => Reply::ok(fixture("hf-daily-papers.json")).with("ETag", "\"day-1\""),
    });
    let home = Home::new(&hf_config(&server));
    assert!(fetch_day(&home).status.success());
    std::fs::remove_file(home.day("huggingface", "2024-03-14.json")).unwrap();
    let out = fetch_day(&home);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("huggingface 2024-03-14: 3 papers, 3 new"), "{}", text(&out));
    assert_eq!(server.requests()[1].header("if-none-match"), None);
    assert_eq!(std::fs::read(home.day("huggingface", "2024-03-14.json")).unwrap(), fixture("hf-daily-papers.json"));
}

#[test]
fn a_day_whose_list_shrank_keeps_every_paper_it_had() {
    // The day's answer: three papers, then only the first of them, then all three again.
    let all = fixture("hf-daily-papers.json");
    let mut first: serde_json::Value = serde_json::from_slice(&all).unwrap();
    first.as_array_mut().unwrap().truncate(1);
    let first = serde_json::to_vec(&first).unwrap();
    let served = all.clone();
    let server = Server::start(move |_, before| match before {
        1 => Reply::ok(first.clone()),
        _ => Reply::ok(served.clone()),
    });
    let home = Home::new(&hf_config(&server));
    assert!(fetch_day(&home).status.success());
    let out = fetch_day(&home);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("huggingface 2024-03-14: 1 papers, 0 new; 2 kept before are not in it, and stay kept"),
        "{}",
        text(&out)
    );
    let listed = |home: &Home| {
        let out = home.papers(&["list", "--json"]);
        assert!(out.status.success(), "{}", text(&out));
        let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut ids: Vec<String> =
            listed.as_array().unwrap().iter().map(|p| p["arxiv_id"].as_str().unwrap().to_string()).collect();
        ids.sort();
        ids
    };
    assert_eq!(listed(&home), ["2403.08763", "2403.08912", "2403.09043"]);
    assert_eq!(std::fs::read(home.day("huggingface", "2024-03-14.json")).unwrap(), all);
    assert!(home.day("huggingface", "2024-03-14.1.json").is_file());

    // An answer with every paper kept replaces the day, and the shorter answer beside it goes.
    let out = fetch_day(&home);
    assert!(text(&out).contains("huggingface 2024-03-14: 3 papers, 0 new\n"), "{}", text(&out));
    assert_eq!(listed(&home), ["2403.08763", "2403.08912", "2403.09043"]);
    let files: Vec<_> = std::fs::read_dir(home.library().join("huggingface"))
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    assert_eq!(files, ["2024-03-14.json"]);
}

#[test]
fn what_a_fetch_that_did_not_end_left_is_removed_by_the_next_and_a_live_ones_is_not() {
    let server = Server::start(|_, _| Reply::ok(fixture("hf-daily-papers.json")));
    let home = Home::new(&hf_config(&server));
    let folder = home.library().join("huggingface");
    std::fs::create_dir_all(&folder).unwrap();
    // A process that has ended (its number not given to another so soon), and this test's own, alive.
    let mut ended = Command::new("true").spawn().unwrap();
    ended.wait().unwrap();
    let dead = folder.join(format!(".2024-03-10.json.tmp-{}", ended.id()));
    let live = folder.join(format!(".2024-03-11.json.tmp-{}", std::process::id()));
    let other = folder.join(".notes.tmp-12x");
    for file in [&dead, &live, &other] {
        std::fs::write(file, b"[{\"paper\": ").unwrap();
    }
    let out = fetch_day(&home);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!dead.exists(), "a dead fetch's unfinished answer was left");
    assert!(live.exists() && other.exists(), "a live fetch's file, or one not of a fetch, was removed");
}

#[test]
fn not_modified_to_a_request_that_asked_for_nothing_kept_is_a_failure() {
    let server = Server::start(|_, _| Reply::status(304));
    let home = Home::new(&hf_config(&server));
    let out = fetch_day(&home);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("answered 304 Not Modified to a request that asked for nothing kept"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("0 not modified; 1 failed"), "{}", text(&out));
}

#[test]
fn too_many_requests_waits_as_long_as_the_server_asks_then_fetches() {
    let server = Server::start(|_, before| match before {
        0 => Reply::status(429).with("Retry-After", "1"),
        _ => Reply::ok(fixture("hf-daily-papers.json")),
    });
    let home = Home::new(&hf_config(&server));
    let out = fetch_day(&home);
    assert!(out.status.success(), "{}", text(&out));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // Waited at least the second it was asked to (not the tenth of a second of the backoff).
    assert!(requests[1].at - requests[0].at >= Duration::from_secs(1), "{requests:?}");
    // And said so while it waited (here without a terminal: a line of its own).
    assert!(
        text(&out).contains("answered 429 Too Many Requests; it asks to wait 1 s; trying again in 1 s"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_wait_before_trying_again_is_told_and_so_is_the_asking_after_it() {
    let server = Server::start(|_, before| match before {
        0 => Reply::status(503).with("Retry-After", "0"),
        _ => Reply::ok(fixture("hf-daily-papers.json")),
    });
    let config = papers::config::parse(&hf_config(&server)).unwrap();
    let library = tempfile::tempdir().unwrap();
    let fetcher = papers::fetch::Fetcher::new(&config, None, library.path().to_path_buf());
    let day = papers::library::Day::parse_iso(DAY).unwrap();
    let mut told = Vec::new();
    fetcher.fetch(fetcher.sources(), &[day], &mut |event| {
        told.push(match event {
            papers::fetch::Event::Asking { what, .. } => format!("asking for {what}"),
            papers::fetch::Event::Waiting { why, pause, .. } => format!("{why}, {} ms", pause.as_millis()),
            papers::fetch::Event::Done(outcome) => format!("done: {}", outcome.result.is_ok()),
        })
    });
    // The wait is the backoff's tenth of a second at least, though the server asked for none.
    let waited = format!(
        "{}/api/daily_papers?date={DAY} answered 503 Service Unavailable; it asks to wait 0 s, 100 ms",
        server.url()
    );
    assert_eq!(told, [format!("asking for {DAY}"), waited, format!("asking for {DAY}"), "done: true".to_string()]);
}

#[test]
fn a_server_that_keeps_failing_is_said_with_how_many_tries_it_had() {
    let server = Server::start(|_, _| Reply::status(503).with("Retry-After", "0"));
    let home = Home::new(&hf_config(&server));
    let out = fetch_day(&home);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let tries = server.requests().len();
    assert!(tries > 1, "{tries}");
    assert!(text(&out).contains(&format!("answered 503 Service Unavailable ({tries} tries over")), "{}", text(&out));
}

#[test]
fn a_server_error_is_tried_again() {
    let server = Server::start(|_, before| match before {
        0 => Reply::status(500),
        _ => Reply::ok(fixture("hf-daily-papers.json")),
    });
    let home = Home::new(&hf_config(&server));
    let out = fetch_day(&home);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(server.requests().len(), 2);
    assert!(home.day("huggingface", "2024-03-14.json").is_file());
}

#[test]
fn a_redirect_is_followed() {
    let server = Server::start(|request, _| match request.target.starts_with("/moved") {
        true => Reply::ok(fixture("hf-daily-papers.json")),
        false => Reply::status(302).with("Location", "/moved/daily_papers"),
    });
    let home = Home::new(&hf_config(&server));
    let out = fetch_day(&home);
    assert!(out.status.success(), "{}", text(&out));
    assert!(home.day("huggingface", "2024-03-14.json").is_file());
    // Sent on to a place that fails: the failure names that place.
    let server = Server::start(|request, _| match request.target.starts_with("/moved") {
        true => Reply::status(404),
        false => Reply::status(302).with("Location", "/moved/daily_papers"),
    });
    let home = Home::new(&hf_config(&server));
    let out = fetch_day(&home);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = format!("was sent on to {}/moved/daily_papers, which answered 404 Not Found", server.url());
    assert!(text(&out).contains(&said), "{}", text(&out));
}

/// A redirect to a file of this machine reads no file, and the failure says why.
#[test]
fn a_redirect_to_a_file_is_refused_and_says_so() {
    let server = Server::start(|_, _| Reply::status(302).with("Location", "file:///etc/passwd"));
    let home = Home::new(&hf_config(&server));
    let out = fetch_day(&home);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("or to a place that is not http(s); nothing fetched"), "{}", text(&out));
    // The HTTP library reads such a place as a path on the same server, asked until it gives up.
    assert!(server.requests().len() <= 6);
}

#[test]
fn a_gzipped_answer_is_read() {
    use std::io::Write;
    let mut gzipped = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzipped.write_all(&fixture("hf-daily-papers.json")).unwrap();
    let body = gzipped.finish().unwrap();
    let server = Server::start(move |_, _| Reply::ok(body.clone()).with("Content-Encoding", "gzip"));
    let home = Home::new(&hf_config(&server));
    let out = fetch_day(&home);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(std::fs::read(home.day("huggingface", "2024-03-14.json")).unwrap(), fixture("hf-daily-papers.json"));
}

/// Fetches the day once (kept), then again with the server answering `bad`: the fetch fails (exit 1,
/// naming the URL and `why`) and the day kept before is still there, byte for byte.
fn a_bad_answer_never_replaces_a_good_day(bad: Reply, why: &str, config: &str) {
    let good = fixture("hf-daily-papers.json");
    let served = good.clone();
    let server = Server::start(move |_, before| if before == 0 { Reply::ok(served.clone()) } else { bad.clone() });
    let home = Home::new(&format!("[huggingface]\nendpoint = \"{}\"\n{config}", server.url()));
    assert!(fetch_day(&home).status.success());
    let out = fetch_day(&home);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("huggingface 2024-03-14: failed") && said.contains(&server.url()), "{said}");
    assert!(said.contains(why), "{said}");
    assert!(said.contains("1 failed"), "{said}");
    // An answer is the server's: the user is not told to fix it or save it again.
    assert!(!said.contains("fix the file"), "{said}");
    assert_eq!(std::fs::read(home.day("huggingface", "2024-03-14.json")).unwrap(), good);
}

#[test]
fn html_where_json_was_expected_is_refused() {
    let html = Reply::ok("<!DOCTYPE html><html><body>Hugging Face is down for maintenance</body></html>");
    a_bad_answer_never_replaces_a_good_day(
        html,
        "answered with HTML or other markup, not Hugging Face daily papers JSON",
        QUICK,
    );
}

#[test]
fn an_empty_answer_json_of_another_shape_and_an_encoding_not_asked_for_are_named() {
    a_bad_answer_never_replaces_a_good_day(Reply::ok(" \n"), "answered with nothing (an empty body)", QUICK);
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    a_bad_answer_never_replaces_a_good_day(Reply::ok(nested), "answered with JSON of another shape", QUICK);
    let deflated = Reply::ok(fixture("hf-daily-papers.json")).with("Content-Encoding", "deflate");
    a_bad_answer_never_replaces_a_good_day(deflated, "answered in an encoding papers does not read (deflate)", QUICK);
}

#[test]
fn an_answer_cut_short_is_refused() {
    let body = fixture("hf-daily-papers.json");
    let cut = Reply { cut_at: Some(body.len() / 2), ..Reply::ok(body) };
    a_bad_answer_never_replaces_a_good_day(cut, "cut off before its end", QUICK);
}

#[test]
fn json_that_does_not_parse_is_refused() {
    let broken = Reply::ok(fixture("hf-malformed.json"));
    a_bad_answer_never_replaces_a_good_day(broken, "does not parse", QUICK);
    // Not UTF-8: the server's to fix, not the user's file to save again.
    let mut body = fixture("hf-daily-papers.json");
    let at = body.iter().position(|&b| b == b'T').unwrap();
    body[at] = 0xff;
    let out_of_utf8 = Reply::ok(body);
    a_bad_answer_never_replaces_a_good_day(out_of_utf8, "nothing kept (fetch again later)", QUICK);
}

#[test]
fn a_server_that_stalls_past_the_timeout_is_given_up() {
    let stall = Reply { stall: Some(Duration::from_secs(3)), ..Reply::ok(fixture("hf-daily-papers.json")) };
    a_bad_answer_never_replaces_a_good_day(stall, "no answer in time", "[fetch]\ntimeout = 1\nretries = 0\n");
}

#[test]
fn an_answer_over_the_cap_is_refused() {
    let mut huge = b"[".to_vec();
    huge.extend(std::iter::repeat_n(b' ', 2 << 20));
    huge.extend(b"]");
    a_bad_answer_never_replaces_a_good_day(Reply::ok(huge), "over 1 MB", "[fetch]\nmax_answer_mb = 1\nretries = 0\n");
}

#[test]
fn a_refused_connection_is_a_failure_named_for_its_source() {
    // Through HF_ENDPOINT, which wins over the configuration, as with Hugging Face's own tools.
    let home = Home::new(QUICK);
    let dead = format!("http://127.0.0.1:{}", dead_port());
    let out = home.papers_with(&["fetch", "--date", DAY], &[("HF_ENDPOINT", &dead)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("connection refused"), "{}", text(&out));
    assert!(!home.library().join("huggingface").join("2024-03-14.json").exists());
}

#[test]
fn arxiv_listings_and_searches_are_kept_by_day_and_the_api_is_asked_every_three_seconds_at_most() {
    let server = Server::start(|request, _| match request.target.as_str() {
        t if t.starts_with("/rss/") => Reply::ok(fixture("arxiv-rss.xml")),
        t if t.starts_with("/api/query?") => Reply::ok(fixture("arxiv-api.atom")),
        _ => Reply::status(404),
    });
    // One listing answers, one category's endpoint has nothing listening; two searches share the API.
    let config = format!(
        "[huggingface]\nenabled = false\n[arxiv]\ncategories = [\"cs.LG\"]\nrss_endpoint = \"{url}/rss\"\n\
         api_endpoint = \"{url}/api/query\"\n[[arxiv.searches]]\nname = \"graphs\"\nquery = \"cat:cs.LG AND ti:graph\"\n\
         [[arxiv.searches]]\nname = \"speech\"\nquery = \"ti:speech\"\nmax_results = 5\n{QUICK}",
        url = server.url()
    );
    let home = Home::new(&config);
    let out = home.papers(&["sources"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().map(|l| l.split_whitespace().next().unwrap()).collect::<Vec<_>>(),
        ["arxiv-cs.LG", "search-graphs", "search-speech"]
    );
    let out = home.papers(&["fetch"]);
    assert!(out.status.success(), "{}", text(&out));
    let requests = server.requests();
    let api: Vec<_> = requests.iter().filter(|r| r.target.starts_with("/api/")).collect();
    assert_eq!(api.len(), 2);
    assert!(api.iter().any(|r| r.target.contains("search_query=cat%3Acs.LG%20AND%20ti%3Agraph")), "{api:?}");
    assert!(api.iter().any(|r| r.target.contains("max_results=5")), "{api:?}");
    assert!(api[1].at - api[0].at >= Duration::from_secs(3), "{api:?}");
    let kept = papers::fetch::store::stored(&home.library());
    assert_eq!(kept.len(), 3, "{kept:?}");
    assert!(kept.iter().any(|p| p.starts_with(home.library().join("arxiv-cs.LG"))));
    let out = home.papers(&["list", "--json"]);
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(listed.as_array().unwrap().iter().any(|p| p["arxiv_id"].is_string()));
}

#[test]
fn a_category_whose_server_is_not_there_fails_and_the_others_are_kept() {
    let server = Server::start(|_, _| Reply::ok(fixture("hf-daily-papers.json")));
    let config = format!(
        "[huggingface]\nendpoint = \"{}\"\n[arxiv]\ncategories = [\"cs.CL\"]\nrss_endpoint = \"http://127.0.0.1:{}\"\n{QUICK}",
        server.url(),
        dead_port()
    );
    let home = Home::new(&config);
    let out = fetch_day(&home);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("arxiv-cs.CL: failed"), "{}", text(&out));
    assert!(home.day("huggingface", "2024-03-14.json").is_file());
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_fetch_at_once_and_says_what_was_kept() {
    // The first day answers; the next one would keep the fetch waiting for its whole timeout.
    let server = Server::start(|_, before| match before {
        0 => Reply::ok(fixture("hf-daily-papers.json")),
        _ => Reply { stall: Some(Duration::from_secs(30)), ..Reply::ok(fixture("hf-daily-papers.json")) },
    });
    let home = Home::new(&format!("[huggingface]\nendpoint = \"{}\"\n[fetch]\ntimeout = 60\n", server.url()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_papers"))
        .args(["fetch", "--days", "3"])
        .env("XDG_CONFIG_HOME", home.dir.path().join("config"))
        .env("XDG_DATA_HOME", home.dir.path().join("data"))
        .env("HOME", home.dir.path())
        .env_remove("HF_ENDPOINT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while server.requests().len() < 2 {
        assert!(start.elapsed() < Duration::from_secs(20), "the second day was never asked for");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap());
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
    let stopped = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if stopped.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            panic!("papers fetch still runs 10 s after Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains(": 3 papers, 3 new"), "{said}");
    assert!(
        said.contains("3 new papers in 1 day kept") && said.contains("Stopped: what is said above is kept"),
        "{said}"
    );
    let kept: Vec<_> =
        std::fs::read_dir(home.library().join("huggingface")).unwrap().map(|e| e.unwrap().file_name()).collect();
    let days: Vec<_> = kept.iter().filter(|name| !name.to_string_lossy().starts_with('.')).collect();
    assert_eq!(days.len(), 1, "{kept:?}");
    assert!(!kept.iter().any(|name| name.to_string_lossy().contains(".tmp")), "{kept:?}");
}

#[test]
fn a_bad_configuration_is_named_by_line_and_column_and_nothing_is_fetched() {
    let server = Server::start(|_, _| Reply::ok(fixture("hf-daily-papers.json")));
    let home = Home::new(&format!("[huggingface]\nendpoint = \"{}\"\nenabeld = true\n", server.url()));
    let out = fetch_day(&home);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("config.toml:3:1: unknown field `enabeld`"), "{said}");
    assert!(server.requests().is_empty());
    // The reader refuses it the same way, before taking the terminal.
    let out = home.papers(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("config.toml:3:1"), "{}", text(&out));
}

#[test]
fn init_writes_every_setting_once_and_unknown_sources_are_refused() {
    let home = Home { dir: tempfile::tempdir().unwrap() };
    let out = home.papers(&["fetch", "--init"]);
    assert!(out.status.success(), "{}", text(&out));
    let written = std::fs::read_to_string(home.config()).unwrap();
    assert!(written.contains("# fetch_on_start = false") && written.contains("[[arxiv.searches]]"));
    let out = home.papers(&["fetch", "--init"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("exists already"), "{}", text(&out));
    let out = home.papers(&["fetch", "arxiv-cs.XX"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("no source is called `arxiv-cs.XX`"), "{}", text(&out));
    let out = home.papers(&["fetch", "--date", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("--date yesterday: give a day as YYYY-MM-DD"), "{}", text(&out));
    // Written as a day is, but none of the calendar: said so.
    for day in ["2024-02-30", "2024-13-01"] {
        let out = home.papers(&["fetch", "--date", day]);
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out).contains(&format!("--date {day}: no such day in the calendar")), "{}", text(&out));
    }
}

#[test]
fn the_log_names_each_request_with_its_status_size_and_time_and_no_paper_text() {
    let body = fixture("hf-daily-papers.json");
    let server = Server::start(move |request, _| match request.target.contains("2024-03-13") {
        true => Reply::status(404),
        false => Reply::ok(body.clone()),
    });
    let home = Home::new(&hf_config(&server));
    let log = home.dir.path().join("fetch.log");
    let out = home.papers(&["fetch", "--date", DAY, "--log", log.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let out = home.papers(&["fetch", "--date", "2024-03-13", "--log", log.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let logged = std::fs::read_to_string(&log).unwrap();
    let url = format!("{}/api/daily_papers?date={DAY}", server.url());
    let size = fixture("hf-daily-papers.json").len();
    let got = logged.lines().find(|l| l.contains(&url)).unwrap_or_else(|| panic!("{logged}"));
    assert!(got.contains(&format!("GET {url}: 200 OK, {size} bytes in ")) && got.ends_with(" ms"), "{got}");
    let failed = logged.lines().find(|l| l.contains("date=2024-03-13")).unwrap_or_else(|| panic!("{logged}"));
    assert!(failed.contains(" WARN ") && failed.contains("404 Not Found"), "{failed}");
    for title in ["Sparse Mixture-of-Adapters", "Counting What Matters", "Personalized Electrocardiogram"] {
        assert!(!logged.contains(title), "paper text in the log: {title}\n{logged}");
    }
}
