//! Asking a server for a day's papers: timeouts, retries with backoff (and `Retry-After`), conditional
//! requests, a cap on the answer's size, and arXiv's request rate.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use ureq::http::{HeaderMap, StatusCode};

use crate::config::Fetching;

/// arXiv asks API clients for at most one request every three seconds
/// (https://info.arxiv.org/help/api/tou.html).
pub const API_INTERVAL: Duration = Duration::from_secs(3);

/// The longest a `Retry-After` is waited out; a server asking for more is a failure to report.
const LONGEST_WAIT: Duration = Duration::from_secs(120);

/// A pause before a request is asked again (why, and for how long), or, `None`, its asking again.
pub type Wait<'a> = Option<(&'a str, Duration)>;

/// What the server sent last time, to ask only for a newer answer (`ETag`, `Last-Modified`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// A server's answer.
#[derive(Debug)]
pub enum Answer {
    /// A body, and what to send next time to ask whether it changed.
    Body { bytes: Vec<u8>, validators: Validators },
    /// Nothing changed since the answer whose validators were sent (304).
    NotModified,
}

/// Makes requests, one client for every source of a fetch.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    settings: Fetching,
    /// When the last answer from arXiv's API came in, shared by every source that asks it.
    api_gate: Arc<Mutex<Option<Instant>>>,
}

impl Client {
    pub fn new(settings: &Fetching) -> Self {
        let timeout = Some(settings.timeout());
        let agent = ureq::Agent::config_builder()
            // Statuses are looked at here: a 429 or a 5xx is retried, a 304 is an answer.
            .http_status_as_error(false)
            .user_agent(format!("papers/{} (a terminal reader for research-paper digests)", env!("CARGO_PKG_VERSION")))
            .timeout_connect(timeout)
            .timeout_recv_response(timeout)
            .timeout_recv_body(timeout)
            .max_redirects(5)
            .build()
            .new_agent();
        Client { agent, settings: settings.clone(), api_gate: Arc::new(Mutex::new(None)) }
    }

    /// GETs `url`, sending `known` to ask only for something newer; retries as the settings say, telling
    /// `waiting` why and for how long before each pause (`Some`), and when it asks again after it (`None`). `api`: the request goes to arXiv's API, which is
    /// asked at most once every `API_INTERVAL`. The error says what failed, with the URL, and how many
    /// tries it took.
    pub fn get(
        &self,
        url: &str,
        known: Option<&Validators>,
        api: bool,
        waiting: &mut dyn FnMut(Wait<'_>),
    ) -> Result<Answer, String> {
        let mut wait = self.settings.backoff();
        let mut attempt = 0;
        let first = Instant::now();
        loop {
            // The API's gate is held from before the request until its answer is in, and the interval
            // counted from then: the next request reaches arXiv at least that long after this one did.
            let gate = api.then(|| self.api_gate.lock().unwrap_or_else(PoisonError::into_inner));
            if let Some(last) = gate.as_ref().and_then(|g| **g) {
                std::thread::sleep(API_INTERVAL.saturating_sub(last.elapsed()));
            }
            let started = Instant::now();
            let done = self.once(url, known);
            if let Err(failure) = &done {
                log::warn!("GET {url}: failed after {} ms: {}", started.elapsed().as_millis(), failure.why);
            }
            if let Some(mut gate) = gate {
                *gate = Some(Instant::now());
            }
            let failure = match done {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            if attempt >= self.settings.retries || !failure.retry {
                return Err(match attempt {
                    0 => failure.why,
                    _ => format!("{} ({} tries over {} s)", failure.why, attempt + 1, first.elapsed().as_secs()),
                });
            }
            attempt += 1;
            let (pause, why) = match failure.retry_after {
                Some(asked) if asked > LONGEST_WAIT => {
                    return Err(format!("{}; it asks to wait {} s, so try again later", failure.why, asked.as_secs()));
                }
                // Never sooner than the backoff: `Retry-After: 0` from a server that fails at once would
                // have it asked again without a pause.
                Some(asked) => (asked.max(wait), format!("{}; it asks to wait {} s", failure.why, asked.as_secs())),
                None => (wait, failure.why.clone()),
            };
            waiting(Some((&why, pause)));
            std::thread::sleep(pause);
            waiting(None);
            wait = wait.saturating_mul(2);
        }
    }

    /// Asks `url` once, without retrying or reading the answer (`papers doctor`): the status it answered
    /// with (its code, and its code and reason for people), or why nothing answered.
    pub fn reach(&self, url: &str) -> Result<(u16, String), String> {
        // The whole request within the timeout, name lookup included, which has none of its own.
        let request = self.agent.get(url).config().timeout_global(Some(self.settings.timeout())).build();
        let response = request.call().map_err(|e| Failure::from_error(url, &e).why)?;
        Ok((response.status().as_u16(), status_text(response.status())))
    }

    /// GETs `url` once for reading its body as it comes (a PDF): from byte `from` on when not 0 (a
    /// `Range` request), the body given `body_timeout` in all. Any status is an answer.
    /// With `if_range` (an ETag or a date the first answer gave), a server whose file changed since
    /// answers the whole new file rather than the rest of another.
    pub fn stream(
        &self,
        url: &str,
        from: u64,
        if_range: Option<&str>,
        body_timeout: Duration,
    ) -> Result<Stream, String> {
        // Bytes as they are on the server: a range of a packed body cannot be resumed, its length is not
        // the file's, and a PDF is packed inside already.
        let mut request = self.agent.get(url).header("Accept-Encoding", "identity");
        if from > 0 {
            request = request.header("Range", format!("bytes={from}-"));
            if let Some(validator) = if_range {
                request = request.header("If-Range", validator);
            }
        }
        let request = request.config().timeout_recv_body(Some(body_timeout)).build();
        let response = request.call().map_err(|e| Failure::from_error(url, &e).why)?;
        let status = response.status();
        // A server that packs the body all the same (ureq unpacks gzip as it is read): its lengths are the
        // packed bytes', not the file's.
        let encoded = header(response.headers(), "content-encoding")
            .is_some_and(|e| !e.trim().is_empty() && !e.trim().eq_ignore_ascii_case("identity"));
        let length =
            header(response.headers(), "content-length").and_then(|v| v.trim().parse().ok()).filter(|_| !encoded);
        let range = header(response.headers(), "content-range");
        // Where the body's end is told by its framing, as against by the connection's end.
        let framed = header(response.headers(), "content-length").is_some()
            || header(response.headers(), "transfer-encoding")
                .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
        // A strong ETag, else the date: what `If-Range` may carry (a weak ETag may not).
        let validator = header(response.headers(), "etag")
            .filter(|etag| !etag.starts_with("W/"))
            .or_else(|| header(response.headers(), "last-modified"))
            .filter(|v| !v.is_empty() && v.len() <= 256 && !v.chars().any(char::is_control));
        // The caller counts and caps what it reads; ureq's own limit is not wanted on top.
        let body = response.into_body().into_with_config().limit(u64::MAX).reader();
        let status_text = status_text(status);
        Ok(Stream {
            status: status.as_u16(),
            status_text,
            length,
            range,
            validator,
            encoded,
            framed,
            body: Box::new(body),
        })
    }

    fn once(&self, url: &str, known: Option<&Validators>) -> Result<Answer, Failure> {
        let started = Instant::now();
        let mut request = self.agent.get(url);
        if let Some(known) = known {
            if let Some(etag) = &known.etag {
                request = request.header("If-None-Match", etag);
            }
            if let Some(date) = &known.last_modified {
                request = request.header("If-Modified-Since", date);
            }
        }
        let mut response = request.call().map_err(|e| Failure::from_error(url, &e))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            log::debug!("GET {url}: 304 Not Modified, 0 bytes in {} ms", started.elapsed().as_millis());
            return Ok(Answer::NotModified);
        }
        if !status.is_success() {
            // After a redirect, the place that answered is the one to name.
            let at = ureq::ResponseExt::get_uri(&response).to_string();
            let why = match at.trim_end_matches('/') == url.trim_end_matches('/') {
                true => format!("{url} answered {}", status_text(status)),
                false => format!("{url} was sent on to {at}, which answered {}", status_text(status)),
            };
            let retry = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            return Err(Failure { why, retry, retry_after: retry_after(response.headers()) });
        }
        // gzip is the one encoding asked for (and undone as the body is read); an answer in another
        // would be read as garbled text.
        if let Some(encoding) = header(response.headers(), "content-encoding")
            .filter(|e| !["gzip", "x-gzip", "identity"].contains(&e.trim().to_ascii_lowercase().as_str()))
        {
            let encoding = crate::sanitize::sanitize(&encoding);
            let why = format!("{url} answered in an encoding papers does not read ({encoding}); nothing kept");
            return Err(Failure { why, retry: false, retry_after: None });
        }
        let validators = Validators {
            etag: header(response.headers(), "etag"),
            last_modified: header(response.headers(), "last-modified"),
        };
        let cap = self.settings.max_answer_mb.saturating_mul(1 << 20);
        let bytes = response.body_mut().with_config().limit(cap).read_to_vec().map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => Failure {
                why: format!(
                    "{url} sent an answer over {} MB (fetch.max_answer_mb); refused",
                    self.settings.max_answer_mb
                ),
                retry: false,
                retry_after: None,
            },
            e => Failure::from_error(url, &e),
        })?;
        let took = started.elapsed().as_millis();
        log::debug!("GET {url}: {}, {} bytes in {took} ms", status_text(status), bytes.len());
        Ok(Answer::Body { bytes, validators })
    }
}

/// An answer whose body is read as it comes.
pub struct Stream {
    pub status: u16,
    /// The status for people: `404 Not Found`.
    pub status_text: String,
    /// `Content-Length`: the bytes of this answer's body, when said (and not packed).
    pub length: Option<u64>,
    /// The body came packed (`Content-Encoding`), though it was asked for as it is: its lengths and
    /// ranges are not the file's.
    pub encoded: bool,
    /// The body's end is told by a length or by chunks: a body cut short there fails as it is read. Without
    /// either, the end of the connection is the end of the body, cut short or not.
    pub framed: bool,
    /// `Content-Range` of a 206: `bytes 100-999/1000`.
    pub range: Option<String>,
    /// What tells this file from a changed one, for `If-Range` when it is resumed: a strong ETag, else
    /// `Last-Modified`.
    pub validator: Option<String>,
    pub body: Box<dyn std::io::Read + Send>,
}

/// Why a request failed, and whether trying again may help.
struct Failure {
    why: String,
    retry: bool,
    retry_after: Option<Duration>,
}

impl Failure {
    fn from_error(url: &str, error: &ureq::Error) -> Self {
        let retry = matches!(
            error,
            ureq::Error::Io(_) | ureq::Error::Timeout(_) | ureq::Error::ConnectionFailed | ureq::Error::HostNotFound
        );
        let why = match error {
            ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                format!("{url}: connection refused (nothing answers there)")
            }
            ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                format!("{url}: the answer was cut off before its end")
            }
            ureq::Error::Timeout(what) => format!("{url}: no answer in time ({what})"),
            // Also what a redirect that is not followed says: to `file://` or another scheme than http(s).
            ureq::Error::TooManyRedirects => {
                format!("{url}: redirected more than 5 times, or to a place that is not http(s); nothing fetched")
            }
            e => format!("{url}: {e}"),
        };
        Failure { why, retry, retry_after: None }
    }
}

fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// How long `Retry-After` asks to wait: a number of seconds, or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = header(headers, "retry-after")?;
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let now = jiff::Timestamp::now();
    Some(Duration::try_from(when.duration_since(now)).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::ZERO), "a date in the past: at once");
        headers.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
