//! The JSON the Hugging Face daily papers API returns (`/api/daily_papers`): an array of entries.

use super::DigestError;
use super::fields::no_title;
use crate::library::Record;
use entry::Entry;

mod entry;
mod sink;
pub(super) use sink::Sink;

/// How the format is named in errors.
pub const FORMAT: &str = super::detect::Format::HfJson.name();

/// Parses a whole daily papers file: its papers and the warnings about entries skipped.
pub fn parse(name: &str, bytes: &[u8]) -> Result<(Vec<Record>, Vec<String>), DigestError> {
    let mut parser = HfParser::new(name);
    let mut records = parser.feed(bytes)?;
    let (rest, warnings) = parser.finish()?;
    records.extend(rest);
    Ok((records, warnings))
}

/// Warnings kept; beyond these only their number is told.
const MAX_WARNINGS: usize = 20;

/// The largest entry held: one runs to a few kilobytes.
const MAX_ENTRY: usize = 16 << 20;

/// Parses a daily papers file as it is read, an entry at a time: `feed` takes blocks that may end anywhere
/// and gives the papers of the entries complete so far, `finish` the end. Only the entry being read is
/// held, so the first papers show while a large file loads, and memory follows the papers, not the file.
#[derive(Debug)]
pub struct HfParser {
    name: String,
    /// Bytes not taken yet: from the start of the entry being read (or what precedes the next one).
    buf: Vec<u8>,
    /// How far `buf` is scanned.
    pos: usize,
    /// The line at `pos`.
    line: usize,
    at: At,
    /// Inside the entry being read: its nesting, and whether in a string (just after a backslash).
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// The entry being read: where it starts in `buf`, and its line.
    entry: Option<(usize, usize)>,
    /// Every byte fed, until an entry parses: a file that is not this JSON after all (a text digest whose
    /// first title starts with `[{`) is read again as text.
    all: Option<Vec<u8>>,
    records: usize,
    warnings: Vec<String>,
    warning_count: usize,
    bytes_seen: u64,
}

/// Where in the array the scan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// Before the `[`.
    Start,
    /// After the `[`: an entry or the `]`.
    First,
    /// After a `,`: an entry.
    Next,
    /// In an entry, up to the `,` or `]` after it.
    Entry,
    /// After the `]`: only whitespace.
    End,
}

impl HfParser {
    pub fn new(name: &str) -> Self {
        HfParser {
            name: name.to_string(),
            buf: Vec::new(),
            pos: 0,
            line: 1,
            at: At::Start,
            depth: 0,
            in_string: false,
            escaped: false,
            entry: None,
            all: Some(Vec::new()),
            records: 0,
            warnings: Vec::new(),
            warning_count: 0,
            bytes_seen: 0,
        }
    }

    /// Bytes fed so far.
    pub fn bytes_seen(&self) -> u64 {
        self.bytes_seen
    }

    /// The warnings so far, which are then not given again.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Every byte fed, while no entry has parsed yet (see `all`); taken.
    pub fn take_all(&mut self) -> Option<Vec<u8>> {
        self.all.take()
    }

    /// Takes the next bytes of the file; the papers of the entries they complete.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Vec<Record>, DigestError> {
        let mut records = Vec::new();
        self.feed_to(bytes, &mut records)?;
        Ok(records)
    }

    /// `feed`, the papers going to `sink`; on an error, what went there is to be dropped.
    pub(super) fn feed_to(&mut self, bytes: &[u8], sink: &mut impl Sink) -> Result<(), DigestError> {
        self.bytes_seen += bytes.len() as u64;
        if self.whole_on_one_line(bytes, sink) {
            return Ok(());
        }
        let scanned = if self.buf.is_empty() {
            // Scanned where it lies: a small file fed whole is not copied.
            let scanned = self.scan(bytes, sink);
            if let Ok(keep_from) = &scanned {
                self.buf.extend_from_slice(&bytes[*keep_from..]);
            }
            scanned
        } else {
            let mut buf = std::mem::take(&mut self.buf);
            buf.extend_from_slice(bytes);
            let scanned = self.scan(&buf, sink);
            if let Ok(keep_from) = &scanned {
                buf.drain(..*keep_from);
            }
            self.buf = buf;
            scanned
        };
        // Kept only while no entry has parsed: once one has, the file is this JSON (see `all`).
        if let Some(all) = &mut self.all {
            all.extend_from_slice(bytes);
        }
        scanned?;
        if self.entry.is_some() && self.buf.len() > MAX_ENTRY {
            let line = self.entry.map_or(self.line, |(_, line)| line);
            return Err(self.malformed(line, &format!("an entry longer than {} MiB", MAX_ENTRY >> 20)));
        }
        Ok(())
    }

    /// A whole file on one line, as the daily papers API sends it, fed in one block: every entry is on
    /// line 1, so serde parses the array at once and the walk that finds each entry's start and line is
    /// not needed. Anything else takes the walk.
    /// True when it took them.
    fn whole_on_one_line(&mut self, bytes: &[u8], sink: &mut impl Sink) -> bool {
        let fresh = self.at == At::Start && self.buf.is_empty() && self.pos == 0 && self.line == 1;
        let body = bytes.trim_ascii();
        if !fresh || !body.starts_with(b"[") || !body.ends_with(b"]") || memchr::memchr(b'\n', body).is_some() {
            return false;
        }
        let Ok(entries) = entries_of(body) else { return false };
        self.all = None;
        self.at = At::End;
        sink.reserve(&entries);
        for entry in entries {
            self.take_record(entry, 1, sink);
        }
        true
    }

    /// Scans `data`, what is left of `buf` and the bytes just fed: the papers of the entries it completes go
    /// to `sink`; returns where what must be kept for the next feed starts.
    fn scan(&mut self, data: &[u8], sink: &mut impl Sink) -> Result<usize, DigestError> {
        let mut spans = Vec::new();
        let mut array = (None, None);
        let walked = self.walk(data, &mut spans, &mut array);
        // The entries complete before any error in the structure: the first entry's own error comes first.
        self.take_entries(data, &spans, array, sink)?;
        let taken = walked?;
        // What is taken is dropped; the entry being read stays, and its start moves with it.
        let keep_from = self.entry.map_or(taken, |(start, _)| start.min(taken));
        self.pos -= keep_from;
        if let Some((start, _)) = &mut self.entry {
            *start -= keep_from;
        }
        Ok(keep_from)
    }

    /// Walks `data` from `pos`: the entries it completes (start, end, line) go to `spans`; `array` gets
    /// where the array opens and closes when that is in `data`. Returns how much is taken.
    fn walk(
        &mut self,
        data: &[u8],
        spans: &mut Vec<(usize, usize, usize)>,
        array: &mut (Option<usize>, Option<usize>),
    ) -> Result<usize, DigestError> {
        let mut taken = 0;
        while self.pos < data.len() {
            if self.in_string && !self.escaped {
                // Most of a file is strings: jump to the next byte that matters in one.
                match memchr::memchr3(b'"', b'\\', b'\n', &data[self.pos..]) {
                    Some(k) => self.pos += k,
                    None => {
                        self.pos = data.len();
                        break;
                    }
                }
            }
            let b = data[self.pos];
            let at = self.pos;
            self.pos += 1;
            if b == b'\n' {
                self.line += 1;
            }
            if self.in_string {
                match b {
                    _ if self.escaped => self.escaped = false,
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match (self.at, b) {
                (_, b' ' | b'\t' | b'\r' | b'\n') if self.at != At::Entry => taken = self.pos,
                // A byte order mark.
                (At::Start, 0xef | 0xbb | 0xbf) => taken = self.pos,
                (At::Start, b'[') => {
                    array.0 = Some(at);
                    self.at = At::First;
                    taken = self.pos;
                }
                (At::Start, _) => return Err(self.malformed(self.line, "a JSON array of entries must start with `[`")),
                (At::First, b']') => {
                    array.1 = Some(at);
                    self.at = At::End;
                    taken = self.pos;
                }
                (At::Next, b']') => return Err(self.malformed(self.line, "trailing comma")),
                (At::First | At::Next, b',') => return Err(self.malformed(self.line, "expected an entry")),
                (At::First | At::Next, _) => {
                    self.entry = Some((at, self.line));
                    self.at = At::Entry;
                    self.depth = 0;
                    self.enter(b);
                }
                (At::Entry, b',' | b']') if self.depth == 0 => {
                    if let Some((start, line)) = self.entry.take() {
                        spans.push((start, at, line));
                    }
                    if b == b']' {
                        array.1 = Some(at);
                    }
                    self.at = if b == b',' { At::Next } else { At::End };
                    taken = self.pos;
                }
                (At::Entry, _) => self.enter(b),
                (At::End, _) => return Err(self.malformed(self.line, "trailing characters after the array")),
            }
        }
        Ok(taken)
    }

    /// Parses the entries `walk` found. A whole array in `data` (a small file fed at once) is parsed in one
    /// call, much faster than an entry at a time; if any entry in it fails, each is parsed alone to say which.
    fn take_entries(
        &mut self,
        data: &[u8],
        spans: &[(usize, usize, usize)],
        array: (Option<usize>, Option<usize>),
        sink: &mut impl Sink,
    ) -> Result<(), DigestError> {
        if let ((Some(open), Some(close)), false) = (array, spans.is_empty())
            && let Ok(entries) = entries_of(&data[open..=close])
            && entries.len() == spans.len()
        {
            self.all = None;
            sink.reserve(&entries);
            for (entry, &(_, _, line)) in entries.into_iter().zip(spans) {
                self.take_record(entry, line, sink);
            }
            return Ok(());
        }
        for &(start, end, line) in spans {
            self.take_entry(data, start, end, line, sink)?;
        }
        Ok(())
    }

    /// Follows the nesting of an entry through one byte outside a string.
    fn enter(&mut self, b: u8) {
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }

    /// Parses the entry that ends at `end` in `data` (see `scan`).
    fn take_entry(
        &mut self,
        data: &[u8],
        start: usize,
        end: usize,
        line: usize,
        sink: &mut impl Sink,
    ) -> Result<(), DigestError> {
        let entry: Entry<'_> = match serde_json::from_slice(&data[start..end]) {
            Ok(entry) => entry,
            // The first entry decides that the file is this JSON; a later broken one is passed over.
            Err(error) if self.all.is_some() => {
                return Err(self.malformed(line + error.line().max(1) - 1, &super::fields::json_why(&error)));
            }
            Err(error) => {
                let why = super::fields::json_why(&error);
                self.warn(format!(
                    "{}:{}: not a paper entry ({why}); skipped it",
                    self.name,
                    line + error.line().max(1) - 1
                ));
                return Ok(());
            }
        };
        self.all = None;
        self.take_record(entry, line, sink);
        Ok(())
    }

    /// Keeps the paper of an entry that parsed, or warns that it has no title.
    fn take_record(&mut self, entry: Entry<'_>, line: usize, sink: &mut impl Sink) {
        match sink.take(entry, line) {
            true => self.records += 1,
            false => self.warn(no_title(&self.name, line)),
        }
    }

    /// The end of the file: the papers of an entry it completes, and every warning not taken yet.
    pub fn finish(mut self) -> Result<(Vec<Record>, Vec<String>), DigestError> {
        match self.at {
            At::Start => return Err(DigestError::Empty { file: self.name.clone() }),
            At::End => {}
            At::Entry => {
                // Cut off: serde says where and how (in a string, an object…), or the array is not closed.
                let (start, line) = self.entry.unwrap_or((0, self.line));
                if let Err(error) = serde_json::from_slice::<Entry>(&self.buf[start..]) {
                    let why = super::fields::json_why(&error);
                    return Err(self.malformed(line + error.line().max(1) - 1, &why));
                }
                return Err(self.malformed(self.line, "EOF while parsing a list"));
            }
            At::First | At::Next => return Err(self.malformed(self.line, "EOF while parsing a list")),
        }
        if self.records == 0 {
            return Err(super::fields::none_found(&self.name, false, &self.warnings));
        }
        if self.warning_count > MAX_WARNINGS {
            let more = self.warning_count - MAX_WARNINGS;
            self.warnings.push(format!("{}: … and {more} more warnings like these", self.name));
        }
        Ok((Vec::new(), self.warnings))
    }

    fn warn(&mut self, warning: String) {
        self.warning_count += 1;
        if self.warning_count <= MAX_WARNINGS {
            self.warnings.push(warning);
        }
    }

    fn malformed(&self, line: usize, why: &str) -> DigestError {
        DigestError::Malformed { file: self.name.clone(), line, column: None, format: FORMAT, why: why.to_string() }
    }
}

/// A whole array of entries parsed in one call. Text that is UTF-8 throughout (as it must be) is checked
/// once, a block at a time, rather than string by string as serde does with bytes (which was a tenth of
/// its parsing); other bytes are left to serde to say where they go wrong.
fn entries_of(bytes: &[u8]) -> Result<Vec<Entry<'_>>, serde_json::Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    }
}

/// Why `bytes`, JSON that parses, is not an array of daily papers entries; `None` when it is one.
pub(super) fn rejects(bytes: &[u8]) -> Option<serde_json::Error> {
    serde_json::from_slice::<Vec<Entry>>(bytes).err()
}

#[cfg(test)]
mod tests;
