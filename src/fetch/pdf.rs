//! A paper's PDF downloaded to a folder (`d`): under a name made from its id and title, resumed from a
//! `.part` file an interrupted download left, refused when it is not a PDF or too large, and never written
//! over another file: an identical one is "already downloaded", a different one is kept beside it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use unicode_normalization::UnicodeNormalization;

use super::http::Client;
use crate::sanitize::quote_path;

/// The most characters of title words in a file name, so that a name stays well under any file system's
/// limit (255 bytes) and readable in a listing.
const TITLE_CHARS: usize = 60;

/// What every PDF starts with (ISO 32000-1, 7.5.2: the header is `%PDF-` and the version).
const MAGIC: &[u8] = b"%PDF-";

/// What the last line of every PDF holds (ISO 32000-1, 7.5.5).
const EOF: &[u8] = b"%%EOF";

/// The least time between two progress reports.
const REPORT_EVERY: Duration = Duration::from_millis(100);
/// Progress is also told after this many bytes came since it was last told: a burst then a stall
/// (read at once, then waited for) would otherwise leave it at where it was before the burst.
const REPORT_BYTES: u64 = 256 << 10;

/// The file name for paper `id` titled `title`, without `.pdf`: `2403.09043-attention-is-all-you-need`.
/// The id keeps letters, digits, `.` and `-` (`hep-th/9901001` becomes `hep-th_9901001`); the title gives
/// its first words folded to lowercase ASCII, hyphen-joined: nothing a shell or a file system chokes on.
pub fn file_name(id: &str, title: &str) -> String {
    let id: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || ".-".contains(c) { c } else { '_' }).collect();
    // A name starting with `-` reads as an option to a program handed it; one starting with `.` is hidden.
    let id = id.trim_start_matches(['.', '-']);
    let id = if id.is_empty() { "paper" } else { id };
    // Compatibility decomposition splits an accented letter into the letter and its accent (and `ﬁ` into
    // `fi`); the letters it leaves whole are spelled as German and Scandinavian writers spell them without;
    // what is left outside ASCII has no ASCII spelling and is dropped.
    let mut folded = String::with_capacity(title.len());
    for c in title.nfkd().flat_map(char::to_lowercase) {
        match c {
            'ß' => folded.push_str("ss"),
            'æ' => folded.push_str("ae"),
            'œ' => folded.push_str("oe"),
            'ø' => folded.push('o'),
            'ł' => folded.push('l'),
            'đ' | 'ð' => folded.push('d'),
            'þ' => folded.push_str("th"),
            c if c.is_ascii() => folded.push(c),
            _ => {}
        }
    }
    let mut words = String::new();
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if words.len() + word.len() + 1 > TITLE_CHARS {
            break;
        }
        words.push('-');
        words.push_str(word);
    }
    format!("{id}{words}")
}

/// One download: from `url` to `dir`, as `name` (without `.pdf`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub url: String,
    pub dir: PathBuf,
    pub name: String,
    /// Bodies larger than this are refused.
    pub max_bytes: u64,
    /// How long the body may take to come, in all.
    pub body_timeout: Duration,
}

impl Job {
    /// Where the PDF goes when nothing is there yet.
    pub fn target(&self) -> PathBuf {
        self.dir.join(format!("{}.pdf", self.name))
    }

    /// Where it is written while it comes.
    pub fn part(&self) -> PathBuf {
        self.dir.join(format!("{}.pdf.part", self.name))
    }

    /// What the `.part` is of (see `PartOf`), kept beside it while it is.
    pub fn part_of(&self) -> PathBuf {
        self.dir.join(format!(".{}.pdf.part.of", self.name))
    }

    /// The PDF already downloaded under its name: a regular file there (not a link, which a download
    /// leaves alone too) that starts as a PDF does (a login page a browser saved under the name is not
    /// opened as the paper).
    pub fn existing(&self) -> Option<PathBuf> {
        let target = self.target();
        if !fs::symlink_metadata(&target).is_ok_and(|m| m.is_file()) {
            return None;
        }
        let head = crate::files::open_regular(&target, fs::OpenOptions::new().read(true)).ok().map(|file| {
            let mut head = Vec::new();
            let _ = file.take(MAGIC.len() as u64).read_to_end(&mut head);
            head
        });
        head.filter(|head| head == MAGIC).map(|_| target)
    }
}

/// Where a download ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// A new file.
    New(PathBuf),
    /// The same bytes were there already, in this file: nothing was written.
    Identical(PathBuf),
    /// A different file had the name: this is the new one beside it (`NAME (2).pdf`).
    Beside(PathBuf),
}

impl Saved {
    pub fn path(&self) -> &Path {
        match self {
            Saved::New(path) | Saved::Identical(path) | Saved::Beside(path) => path,
        }
    }
}

/// Downloads `job` with `client`, telling `progress` the bytes so far and the whole when known. A `.part`
/// left by an interrupted download is resumed (`Range`); one the server will not resume is started again.
/// A failure while the body comes keeps the `.part` for the next try; a refused answer removes it.
pub fn download(client: &Client, job: &Job, progress: &mut dyn FnMut(u64, Option<u64>)) -> Result<Saved, String> {
    fs::create_dir_all(&job.dir).map_err(|e| {
        let shown = quote_path(&job.dir);
        let choose = "choose another with [pdf] dir in the configuration";
        match (fs::metadata(&job.dir), fs::symlink_metadata(&job.dir)) {
            // Something else is there: the folder of `[pdf] dir` cannot be made in its place.
            (Ok(meta), _) if !meta.is_dir() => {
                let what = crate::files::special_kind(meta.file_type()).unwrap_or("a file");
                format!("the PDF folder {shown} is {what}, not a folder; {choose}")
            }
            // A link to nothing: the folder it names is not made through it.
            (Err(_), Ok(link)) if link.file_type().is_symlink() => {
                let to = fs::read_link(&job.dir).map(|to| quote_path(&to)).unwrap_or_default();
                format!("the PDF folder {shown} is a link to {to}, which does not exist; make that folder, or {choose}")
            }
            _ => format!("cannot create the PDF folder {shown}: {e}; {choose}"),
        }
    })?;
    let part = job.part();
    // A restart (the server would not resume) is tried once.
    for _ in 0..2 {
        let mut have = regular_len(&part)?;
        // A part is resumed only as what it is of: without that (a part of an older papers, or of an
        // answer that gave nothing to tell its file by), the rest could be another file's.
        let of = PartOf::read(job).filter(|_| have > 0);
        if have > 0 && of.is_none() {
            remove_part(job)?;
            have = 0;
        }
        let if_range = of.as_ref().and_then(|of| of.validator.as_deref());
        let answer = client.stream(&job.url, have, if_range, job.body_timeout)?;
        let (from, total) = match answer.status {
            200 => (0, answer.length),
            206 => match content_range(answer.range.as_deref()) {
                Some((start, total))
                    if start == have
                        && !answer.encoded
                        && of.as_ref().and_then(|of| of.total).is_none_or(|kept| total.is_none_or(|t| t == kept)) =>
                {
                    // The whole length this answer gives, else the one the first answer gave.
                    let first = of.as_ref().and_then(|of| of.total);
                    (have, total.or(answer.length.map(|l| l + have)).or(first))
                }
                _ => {
                    remove_part(job)?;
                    continue;
                }
            },
            // The part holds more than the file has (it changed): start again.
            416 if have > 0 => {
                remove_part(job)?;
                continue;
            }
            _ => return Err(format!("{} answered {}", job.url, answer.status_text)),
        };
        if from == 0 {
            PartOf { validator: answer.validator.clone(), total }.write(job);
        }
        if let Some(total) = total.filter(|&t| t > job.max_bytes) {
            remove_part(job)?;
            return Err(too_large(&job.url, job.max_bytes).replace("sent", &format!("has {total} bytes,")));
        }
        let started = Instant::now();
        let got = receive(job, (answer.body, answer.framed), from, total, progress)?;
        let saved = place(job)?;
        // As requests are logged (see `http`), with what became of the file; its name holds title words,
        // which the log never does.
        let became = match saved {
            Saved::New(_) => "kept",
            Saved::Identical(_) => "the same file was there",
            Saved::Beside(_) => "kept beside another file of its name",
        };
        let ms = started.elapsed().as_millis();
        log::debug!(
            "GET {}: {}, {} bytes from byte {from} in {ms} ms: {became}",
            job.url,
            answer.status_text,
            got - from
        );
        return Ok(saved);
    }
    Err(format!("{}: the server would not resume or restart the download", job.url))
}

/// Reads `body` into the `.part` file from byte `from` (0: the file is started again), checking that it is
/// a PDF and not too large; `framed`: its end is told by a length or chunks, not by the connection's.
fn receive(
    job: &Job,
    (body, framed): (Box<dyn Read + Send>, bool),
    from: u64,
    total: Option<u64>,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<u64, String> {
    let part = job.part();
    let shown = quote_path(&part);
    let mut file = open_part(&part, from == 0).map_err(|e| format!("cannot write {shown}: {e}"))?;
    let mut head = if from == 0 { Vec::new() } else { first_bytes(&part) };
    let (mut got, mut reported) = (from, Instant::now());
    let mut told = got;
    progress(got, total);
    let chunks = read_apart(body).map_err(|e| format!("cannot start reading {}: {e}", job.url))?;
    loop {
        let buffer = match chunks.recv_timeout(REPORT_EVERY) {
            Ok(Ok(chunk)) if chunk.is_empty() => break,
            Ok(Ok(chunk)) => chunk,
            // Nothing came for a while (a stall): what came before it is told now, not after it.
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if got != told {
                    progress(got, total);
                    (reported, told) = (Instant::now(), got);
                }
                continue;
            }
            Ok(Err(e)) => {
                return Err(format!("{}: the download stopped at {got} bytes ({e}); d again resumes it", job.url));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(format!("{}: the download stopped at {got} bytes; d again resumes it", job.url));
            }
        };
        let n = buffer.len();
        // More than the answer said the file has (its `Content-Range` when resumed; a length is held by
        // the HTTP client): what came is not that file.
        if let Some(total) = total.filter(|&t| got + n as u64 > t) {
            drop(file);
            remove_part(job)?;
            return Err(format!(
                "{} sent more than the {total} bytes it said the PDF has; nothing kept, d downloads it again",
                job.url
            ));
        }
        if got + n as u64 > job.max_bytes {
            drop(file);
            remove_part(job)?;
            return Err(too_large(&job.url, job.max_bytes));
        }
        if head.len() < MAGIC.len() {
            head.extend(buffer[..n].iter().take(MAGIC.len() - head.len()));
            refuse_unless_pdf(job, &head, head.len() < MAGIC.len())?;
        }
        file.write_all(&buffer[..n]).map_err(|e| format!("cannot write {shown}: {e}"))?;
        got += n as u64;
        if reported.elapsed() >= REPORT_EVERY || got - told >= REPORT_BYTES {
            progress(got, total);
            (reported, told) = (Instant::now(), got);
        }
    }
    refuse_unless_pdf(job, &head, false)?;
    file.sync_all().map_err(|e| format!("cannot write {shown}: {e}"))?;
    progress(got, total);
    // Fewer bytes than the answer said the file has, and the connection ended: cut off, as a failed
    // read is (a resumed answer closed early carries no length of its own to hold it to).
    if let Some(total) = total.filter(|&t| got < t) {
        return Err(format!("{}: the download stopped at {got} of {total} bytes; d again resumes it", job.url));
    }
    // Neither a length nor chunks: the answer ended with its connection, cut short or not. A PDF ends
    // with its end-of-file marker, which readers look for in its last 1024 bytes (ISO 32000-1, 7.5.5),
    // so one without it there was cut off.
    if total.is_none() && !framed && !ends_as_pdf(&part) {
        return Err(format!(
            "{}: the download stopped at {got} bytes, before the end of the PDF (no %%EOF, and the server said no \
             length); d tries again",
            job.url
        ));
    }
    Ok(got)
}

/// True when the file at `path` has a PDF's end-of-file marker, `%%EOF`, in its last 1024 bytes.
fn ends_as_pdf(path: &Path) -> bool {
    let Ok(mut file) = crate::files::open_regular(path, OpenOptions::new().read(true)) else { return false };
    let from = file.metadata().map_or(0, |meta| meta.len()).saturating_sub(1024);
    let mut tail = Vec::with_capacity(1024);
    file.seek(SeekFrom::Start(from)).is_ok()
        && file.take(1024).read_to_end(&mut tail).is_ok()
        && tail.windows(EOF.len()).any(|w| w == EOF)
}

/// Reads `body` on a thread of its own, a block at a time (a few waiting at most), so that the download
/// can tell its progress while a read waits: read where it was told, a burst then a stall left the
/// status at what it said before the burst. An empty block is the end; an error ends it too. The
/// thread ends when the receiver is dropped (a refused download), once its read in flight returns.
fn read_apart(mut body: Box<dyn Read + Send>) -> io::Result<mpsc::Receiver<io::Result<Vec<u8>>>> {
    let (send, chunks) = mpsc::sync_channel(4);
    std::thread::Builder::new().name("pdf body".into()).spawn(move || {
        loop {
            let mut buffer = vec![0; 64 * 1024];
            let read = loop {
                match body.read(&mut buffer) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    other => break other,
                }
            };
            let end = !matches!(read, Ok(n) if n > 0);
            let chunk = read.map(|n| {
                buffer.truncate(n);
                buffer
            });
            if send.send(chunk).is_err() || end {
                return;
            }
        }
    })?;
    Ok(chunks)
}

/// Refuses (and removes the `.part`) when `head` cannot be the start of a PDF; `partial`: more may come.
fn refuse_unless_pdf(job: &Job, head: &[u8], partial: bool) -> Result<(), String> {
    let fits = if partial { MAGIC.starts_with(head) } else { head == MAGIC };
    if fits {
        return Ok(());
    }
    remove_part(job)?;
    let start = crate::sanitize::message(&String::from_utf8_lossy(head));
    Err(format!("{} did not send a PDF (it starts with “{start}”: a login or error page?); nothing kept", job.url))
}

fn too_large(url: &str, max_bytes: u64) -> String {
    format!("{url} sent a PDF over {} MB (pdf.max_mb); refused", max_bytes >> 20)
}

/// Puts the finished `.part` under the job's name, or beside a different file that has it.
fn place(job: &Job) -> Result<Saved, String> {
    let part = job.part();
    for n in 1..100 {
        let target = match n {
            1 => job.target(),
            n => job.dir.join(format!("{} ({n}).pdf", job.name)),
        };
        match fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_file() => {
                if same_bytes(&part, &target).map_err(|e| format!("cannot read {}: {e}", quote_path(&target)))? {
                    remove_part(job)?;
                    return Ok(Saved::Identical(target));
                }
            }
            Ok(_) => {
                return Err(format!(
                    "{} is not a regular file (a link, a folder or a device): left alone; the PDF is in {}",
                    quote_path(&target),
                    quote_path(&part)
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // A hard link is made only where nothing is: a file that appeared meanwhile is never replaced.
                match fs::hard_link(&part, &target) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                    // A file system without hard links: checked just above, renamed.
                    Err(_) => {
                        fs::rename(&part, &target).map_err(|e| format!("cannot write {}: {e}", quote_path(&target)))?
                    }
                }
                let _ = fs::remove_file(&part);
                let _ = fs::remove_file(job.part_of());
                return Ok(if n == 1 { Saved::New(target) } else { Saved::Beside(target) });
            }
            Err(e) => return Err(format!("cannot look at {}: {e}", quote_path(&target))),
        }
    }
    Err(format!("{}: too many different files named {}", quote_path(&job.dir), job.name))
}

/// The length of the `.part` at `path` (0 when there is none); an error when something else is there.
fn regular_len(path: &Path) -> Result<u64, String> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => Ok(meta.len()),
        Ok(_) => Err(format!("{} is not a regular file (a link, a folder or a device): left alone", quote_path(path))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(format!("cannot look at {}: {e}", quote_path(path))),
    }
}

/// Opens the `.part` to add to it, or emptied (`restart`); never through a symlink put there meanwhile.
fn open_part(path: &Path, restart: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true);
    if restart {
        options.write(true).truncate(true);
    } else {
        options.append(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options.open(path)
}

fn first_bytes(path: &Path) -> Vec<u8> {
    let mut head = Vec::new();
    if let Ok(file) = File::open(path) {
        let _ = file.take(MAGIC.len() as u64).read_to_end(&mut head);
    }
    head
}

/// What a `.part` is of: what the server said of the file when its first bytes came (a strong ETag or
/// its date, for `If-Range`), and its whole length; kept beside the part in a hidden file, a line
/// `VALIDATOR<TAB>LENGTH`, either maybe empty. Without one or the other there is nothing to tell the
/// file by, and none is kept.
struct PartOf {
    validator: Option<String>,
    total: Option<u64>,
}

impl PartOf {
    fn read(job: &Job) -> Option<PartOf> {
        let text = crate::files::read_at_most(&job.part_of(), 1024).ok()?;
        let text = String::from_utf8(text).ok()?;
        let (validator, total) = text.trim_end_matches('\n').split_once('\t')?;
        let of = PartOf { validator: Some(validator.to_string()).filter(|v| !v.is_empty()), total: total.parse().ok() };
        (of.validator.is_some() || of.total.is_some()).then_some(of)
    }

    /// Kept beside the part when it tells anything; a part of nothing known is started again next time.
    fn write(&self, job: &Job) {
        let path = job.part_of();
        let _ = fs::remove_file(&path);
        if self.validator.is_none() && self.total.is_none() {
            return;
        }
        let line = format!(
            "{}\t{}\n",
            self.validator.as_deref().unwrap_or(""),
            self.total.map(|t| t.to_string()).unwrap_or_default()
        );
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        if let Ok(mut file) = options.open(&path) {
            let _ = file.write_all(line.as_bytes());
        }
    }
}

/// Removes the `.part` of `job` and what it is of.
fn remove_part(job: &Job) -> Result<(), String> {
    let _ = fs::remove_file(job.part_of());
    remove(&job.part())
}

fn remove(path: &Path) -> Result<(), String> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(format!("cannot remove {}: {e}", quote_path(path))),
        _ => Ok(()),
    }
}

/// `bytes START-END/TOTAL` (RFC 9110, 14.4): the start, and the whole length when known.
fn content_range(value: Option<&str>) -> Option<(u64, Option<u64>)> {
    let rest = value?.trim().strip_prefix("bytes ")?;
    let (span, total) = rest.split_once('/')?;
    let start = span.split_once('-')?.0.trim().parse().ok()?;
    Some((start, total.trim().parse().ok()))
}

fn same_bytes(a: &Path, b: &Path) -> io::Result<bool> {
    if fs::metadata(a)?.len() != fs::metadata(b)?.len() {
        return Ok(false);
    }
    let (mut a, mut b) = (io::BufReader::new(File::open(a)?), io::BufReader::new(File::open(b)?));
    let (mut x, mut y) = (vec![0; 64 * 1024], vec![0; 64 * 1024]);
    loop {
        let n = read_full(&mut a, &mut x)?;
        if n != read_full(&mut b, &mut y)? || x[..n] != y[..n] {
            return Ok(false);
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

fn read_full(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests;
