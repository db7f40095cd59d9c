//! Papers, their stable keys, and the library: every paper from the digests that were opened, once each.
//!
//! **Memory.** A digest's text is kept as read, in blocks (`Chunk`), and a paper is a few spans into its
//! block: an abstract that is one clean line of the file is not copied. Only text the parser had to change
//! (a paragraph wrapped over several lines, characters neutralised) is kept as its own string. The titles
//! alone are copied, back to back, so that a search reads them without the abstracts between (see
//! `Chunk`). Keys and links are derived when asked for; a paper keeps only the hash of its key.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Identifies a paper across digests, days, reorderings and re-downloads.
///
/// Derived from the title alone: lower-cased (Unicode-aware), every run of characters that are not letters
/// or digits turned into one space, trimmed. So "Mamba YOLO: SSMs-Based YOLO" and "mamba yolo — ssms based
/// yolo" are the same paper. A paper whose arXiv identifier is known is keyed by it instead (`arxiv:ID`);
/// its marks are found under either key (see `search::MarkSet`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PaperKey(String);

impl PaperKey {
    pub fn from_title(title: &str) -> Self {
        let mut key = Vec::with_capacity("title:".len() + title.len());
        write_key(title, &mut key);
        // `write_key` writes whole characters only.
        PaperKey(String::from_utf8(key).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// The key of a paper with an arXiv identifier (as `Meta::arxiv_id` keeps it): `arxiv:2403.12345`.
    pub fn from_arxiv_id(id: &str) -> Self {
        PaperKey(format!("arxiv:{id}"))
    }

    /// The arXiv identifier, when the key is one.
    pub fn arxiv_id(&self) -> Option<&str> {
        self.0.strip_prefix("arxiv:")
    }

    /// `PaperKey::from_title(title).hash64()`, without making the key: what parsing a large digest needs.
    pub fn hash_of_title(title: &str) -> u64 {
        hash_in_buffer(|key| write_key(title, key))
    }

    /// `PaperKey::from_arxiv_id(id).hash64()`, without making the key.
    pub fn hash_of_arxiv_id(id: &str) -> u64 {
        hash_in_buffer(|key| {
            key.extend_from_slice(b"arxiv:");
            key.extend_from_slice(id.as_bytes());
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A 64-bit hash of the key, the same in every process, which is what papers keep of their keys.
    pub fn hash64(&self) -> u64 {
        hash64(self.0.as_bytes())
    }
}

/// The hash of the key `write` writes, made in a buffer kept for the thread.
fn hash_in_buffer(write: impl FnOnce(&mut Vec<u8>)) -> u64 {
    thread_local! {
        static KEY: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    KEY.with_borrow_mut(|key| {
        key.clear();
        write(key);
        hash64(key)
    })
}

/// A hash of a key, the same for the same key in every run (the keys' hashes are never stored). foldhash:
/// a title's key is hashed in about a third of the time SipHash took, a tenth of parsing a large digest.
fn hash64(key: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    let mut hasher = foldhash::fast::FixedState::with_seed(0x7061_7065_7273).build_hasher();
    hasher.write(key);
    hasher.finish()
}

/// Each byte of plain ASCII as a key writes it: a letter lower-cased, a digit as it is; 0 for the others.
const KEY_BYTE: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// Writes the key of `title` to `key` (see `PaperKey`): whole characters, so `key` stays UTF-8.
fn write_key(title: &str, key: &mut Vec<u8>) {
    key.extend_from_slice(b"title:");
    let start = key.len();
    if title.len() <= 256 && title.is_ascii() {
        // The common case, a byte at a time without branches: every byte is written, a letter or digit
        // lower-cased and anything else as a space (0 | 0x20), but the end moves on past a space only when
        // it follows a letter or digit. So a run of others is one space, and none leads; a trailing one is
        // dropped. Into a buffer of 256 bytes, whose index the mask keeps in bounds without a check: twice
        // as fast as a checked `Vec`, which made this a tenth of loading a digest.
        let mut out = [0u8; 256];
        let (mut end, mut after_word) = (0usize, false);
        for &b in title.as_bytes() {
            let c = KEY_BYTE[usize::from(b)];
            let word = c != 0;
            out[end & 255] = c | (u8::from(!word) << 5);
            end += usize::from(word | after_word);
            after_word = word;
        }
        let end = end - usize::from(end > 0 && !after_word);
        key.extend_from_slice(&out[..end]);
        return;
    }
    key.reserve(title.len());
    let mut pending_space = false;
    for c in title.chars() {
        let wanted = if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() };
        if !wanted {
            pending_space = true;
            continue;
        }
        if pending_space && key.len() > start {
            key.push(b' ');
        }
        pending_space = false;
        let mut buffer = [0; 4];
        if c.is_ascii() {
            key.push(c.to_ascii_lowercase() as u8);
        } else {
            for lower in c.to_lowercase() {
                key.extend_from_slice(lower.encode_utf8(&mut buffer).as_bytes());
            }
        }
    }
}

impl std::fmt::Display for PaperKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A calendar day, as the formats give them: the day a paper appeared in a digest, or was published.
/// Ordered by date; kept as `yyyymmdd` in one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(u32);

impl Day {
    /// The day, when it is a real date of the Gregorian calendar.
    pub fn new(year: u32, month: u32, day: u32) -> Option<Day> {
        let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=9999).contains(&year) && (1..=days_in_month).contains(&day))
            .then_some(Day(year * 10000 + month * 100 + day))
    }

    /// The day at the start of an ISO 8601 date or date-time ("2024-03-14", "2024-03-14T08:00:00.000Z").
    pub fn parse_iso(text: &str) -> Option<Day> {
        let text = text.trim();
        let date = text.get(..10)?;
        let bytes = date.as_bytes();
        if bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| date.get(range)?.parse::<u32>().ok();
        Day::new(number(0..4)?, number(5..7)?, number(8..10)?)
    }

    /// The day (in UTC) of a point in time.
    pub fn of(time: std::time::SystemTime) -> Day {
        let secs = match time.duration_since(std::time::UNIX_EPOCH) {
            Ok(since) => since.as_secs() as i64,
            Err(before) => -(before.duration().as_secs() as i64),
        };
        // Howard Hinnant's days-to-civil algorithm (http://howardhinnant.github.io/date_algorithms.html).
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(1, 9999) as u32;
        Day(year * 10000 + month * 100 + day)
    }

    pub fn today() -> Day {
        Day::of(std::time::SystemTime::now())
    }

    /// Month and day, as a list shows it: "Mar 14".
    pub fn short(self) -> String {
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let month = MONTHS.get(self.month() as usize - 1).unwrap_or(&"");
        format!("{month} {:2}", self.day())
    }

    pub fn year(self) -> u32 {
        self.0 / 10000
    }

    pub fn month(self) -> u32 {
        self.0 / 100 % 100
    }

    pub fn day(self) -> u32 {
        self.0 % 100
    }
}

impl std::fmt::Display for Day {
    /// ISO 8601: "2024-03-14".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year(), self.month(), self.day())
    }
}

/// What the structured formats tell about a paper beyond its title and abstract. Every field is optional:
/// the text digest gives none of them, the others give what they have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// The arXiv identifier without prefix or version: "2403.12345", or "hep-th/9901001" for old ones.
    pub arxiv_id: Option<String>,
    pub authors: Vec<String>,
    /// arXiv categories, primary first: "cs.LG".
    pub categories: Vec<String>,
    /// Hugging Face upvotes.
    pub upvotes: Option<u32>,
    /// The day the paper appeared in the digest (the digest's day), when the format says.
    pub day: Option<Day>,
    /// When the paper was first published.
    pub published: Option<Day>,
    /// The code repository (a URL).
    pub code: Option<String>,
    /// The project page (a URL).
    pub project: Option<String>,
    /// The entry's own page, when it is not the arXiv abstract page of `arxiv_id`.
    pub url: Option<String>,
}

/// One paper as a structured format gives it, before it joins a chunk. Text is already sanitised; the
/// title is one line; abstract paragraphs are separated by a blank line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub title: String,
    pub abstract_text: String,
    /// The line of the file where the paper's entry starts (1-based).
    pub line: usize,
    pub meta: Meta,
}

/// Some text of a paper: a span of its chunk's text, or a string of its own when the parser changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Span { start: usize, end: usize },
    Owned(Box<str>),
}

impl Text {
    pub const EMPTY: Text = Text::Span { start: 0, end: 0 };

    fn get<'a>(&'a self, chunk_text: &'a str) -> &'a str {
        match self {
            // Spans are made by the parser on char boundaries of this very text; `get` keeps a wrong one
            // from panicking (it reads as empty).
            Text::Span { start, end } => chunk_text.get(*start..*end).unwrap_or(""),
            Text::Owned(text) => text,
        }
    }
}

/// Where a block of papers came from: the file (or "built-in digest") and its date line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub name: String,
    /// The digest's date line, when its header had one (e.g. "Mar 14").
    pub date: Option<String>,
    /// The day of `date`, the year taken from when the file was saved.
    pub day: Option<Day>,
}

/// One paper, as spans into its chunk. Text fields are already sanitised (see `sanitize`).
#[derive(Debug, Clone, PartialEq)]
pub struct Paper {
    title: TitleSpan,
    /// Empty when the digest had no abstract for this paper; paragraphs are separated by a blank line.
    abstract_text: Text,
    /// The line of its file where the title stands.
    line: usize,
    /// `PaperKey::hash64` of the title's key.
    key_hash: u64,
    /// What a structured format told beyond title and abstract.
    meta: Option<Box<Meta>>,
}

/// Where a paper's title is in its chunk's titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TitleSpan {
    start: usize,
    end: usize,
}

/// Copies `title` to the end of `titles`, returning where it is.
fn keep_title(titles: &mut String, title: &str) -> TitleSpan {
    let start = titles.len();
    titles.push_str(title);
    TitleSpan { start, end: titles.len() }
}

/// A block of one digest's text and the papers in it: the unit in which papers are loaded and shared.
///
/// The titles are copied into one string of their own, back to back, while the abstracts stay where they
/// are in the text. A search reads every title in turn: read from the text, each title is a cache miss
/// (about 1,200 bytes of abstract lie between two), which cost more than scoring it (see BENCHMARKS.md).
#[derive(Debug, Default)]
pub struct Chunk {
    origin: Arc<Origin>,
    text: String,
    /// Every title, back to back; papers hold spans into it.
    titles: String,
    papers: Vec<Paper>,
}

impl Chunk {
    pub fn new(origin: Arc<Origin>, text: String) -> Self {
        Chunk { origin, text, titles: String::new(), papers: Vec::new() }
    }

    /// A chunk of papers that own their text, for tests and tools.
    pub fn from_papers<T: Into<String>, A: Into<String>>(
        origin: Origin,
        papers: impl IntoIterator<Item = (T, A)>,
    ) -> Self {
        let mut chunk = Chunk::new(Arc::new(origin), String::new());
        for (line, (title, abstract_text)) in papers.into_iter().enumerate() {
            let title = Text::Owned(title.into().into_boxed_str());
            chunk.push(title, Text::Owned(abstract_text.into().into_boxed_str()), line + 1);
        }
        chunk
    }

    /// Adds a paper whose title and abstract are `title` and `abstract_text` (spans of this chunk's text).
    pub fn push(&mut self, title: Text, abstract_text: Text, line: usize) {
        let title = keep_title(&mut self.titles, title.get(&self.text));
        let key_hash = PaperKey::hash_of_title(self.span_title(title));
        self.papers.push(Paper { title, abstract_text, line, key_hash, meta: None });
    }

    /// Adds a paper from a structured format.
    pub fn push_record(&mut self, record: Record) {
        let key_hash = PaperKey::hash_of_title(&record.title);
        let meta = (record.meta != Meta::default()).then(|| Box::new(record.meta));
        let title = keep_title(&mut self.titles, &record.title);
        self.papers.push(Paper {
            title,
            abstract_text: Text::Owned(record.abstract_text.into_boxed_str()),
            line: record.line,
            key_hash,
            meta,
        });
    }

    /// Forgets the abstracts, for a command that shows titles alone (`papers list`): each reads as empty
    /// from now on, and the text goes back to be read into again, so that a large digest is read through
    /// a few blocks of memory instead of into new memory all of it.
    pub fn forget_abstracts(&mut self) -> Vec<u8> {
        for paper in &mut self.papers {
            paper.abstract_text = Text::EMPTY;
        }
        std::mem::take(&mut self.text).into_bytes()
    }

    fn span_title(&self, span: TitleSpan) -> &str {
        // Spans are made by `keep_title` on this very string; `get` keeps a wrong one from panicking.
        self.titles.get(span.start..span.end).unwrap_or("")
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn origin(&self) -> &Arc<Origin> {
        &self.origin
    }

    pub fn len(&self) -> usize {
        self.papers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.papers.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<PaperRef<'_>> {
        self.papers.get(i).map(|paper| PaperRef { chunk: self, paper, extra: None, late_abstract: None })
    }

    pub fn papers(&self) -> impl Iterator<Item = PaperRef<'_>> {
        self.papers.iter().map(|paper| PaperRef { chunk: self, paper, extra: None, late_abstract: None })
    }

    fn title(&self, i: usize) -> &str {
        self.span_title(self.papers[i].title)
    }

    /// Heap bytes this chunk holds beyond its text: what the papers cost.
    pub fn overhead_bytes(&self) -> usize {
        let owned = |t: &Text| if let Text::Owned(s) = t { s.len() } else { 0 };
        self.papers.capacity() * std::mem::size_of::<Paper>()
            + self.titles.capacity()
            + self.papers.iter().map(|p| owned(&p.abstract_text)).sum::<usize>()
            + self.papers.iter().filter(|p| p.meta.is_some()).count() * std::mem::size_of::<Meta>()
    }
}

/// A paper and where it lives, to read its fields.
#[derive(Debug, Clone, Copy)]
pub struct PaperRef<'a> {
    chunk: &'a Chunk,
    paper: &'a Paper,
    /// What later copies of the same paper brought.
    extra: Option<&'a Extra>,
    /// An abstract that a later copy of the same paper brought.
    late_abstract: Option<&'a str>,
}

impl<'a> PaperRef<'a> {
    pub fn title(&self) -> &'a str {
        self.chunk.span_title(self.paper.title)
    }

    pub fn abstract_text(&self) -> &'a str {
        self.late_abstract.unwrap_or_else(|| self.paper.abstract_text.get(&self.chunk.text))
    }

    /// The key its marks are kept under: its arXiv identifier when known, else its title.
    pub fn key(&self) -> PaperKey {
        match self.arxiv_id() {
            Some(id) => PaperKey::from_arxiv_id(id),
            None => self.title_key(),
        }
    }

    /// The key of its title, which its marks were kept under before its arXiv identifier was known.
    pub fn title_key(&self) -> PaperKey {
        PaperKey::from_title(self.title())
    }

    /// The hash of its title's key.
    pub fn key_hash(&self) -> u64 {
        self.paper.key_hash
    }

    /// What the formats told beyond title and abstract, merged over every copy of the paper.
    pub fn meta(&self) -> Option<&'a Meta> {
        self.extra.and_then(|e| e.meta.as_deref()).or(self.paper.meta.as_deref())
    }

    pub fn arxiv_id(&self) -> Option<&'a str> {
        self.meta().and_then(|m| m.arxiv_id.as_deref())
    }

    /// The days it appeared in a digest, oldest first (none when no digest said).
    pub fn days(&self) -> Vec<Day> {
        match self.extra {
            Some(extra) if !extra.days.is_empty() => extra.days.clone(),
            _ => self.own_day().into_iter().collect(),
        }
    }

    fn own_day(&self) -> Option<Day> {
        self.paper.meta.as_ref().and_then(|m| m.day).or(self.chunk.origin.day)
    }

    /// The latest day it appeared in a digest.
    pub fn last_day(&self) -> Option<Day> {
        match self.extra {
            Some(extra) if !extra.days.is_empty() => extra.days.last().copied(),
            _ => self.own_day(),
        }
    }

    /// The paper's page: its arXiv abstract page when the identifier is known, else the page its entry
    /// named, else the first link of its abstract.
    pub fn url(&self) -> Option<String> {
        self.page(|| crate::digest::find_links(self.abstract_text()).into_iter().next())
    }

    /// `url`, given the way to the abstract's first link (found once by `links`).
    fn page(&self, first_link: impl FnOnce() -> Option<String>) -> Option<String> {
        if let Some(id) = self.arxiv_id() {
            return Some(format!("https://arxiv.org/abs/{id}"));
        }
        self.meta().and_then(|m| m.url.clone()).or_else(first_link)
    }

    /// Its web links, numbered in the detail pane: its page, code, project page, then the links in its
    /// abstract, without repeats.
    pub fn links(&self) -> Vec<String> {
        let meta = self.meta();
        let found = crate::digest::find_links(self.abstract_text());
        let page = self.page(|| found.first().cloned());
        let mut links: Vec<String> = Vec::new();
        let known = [page, meta.and_then(|m| m.code.clone()), meta.and_then(|m| m.project.clone())];
        for link in known.into_iter().flatten().chain(found) {
            if !links.contains(&link) {
                links.push(link);
            }
        }
        links
    }

    pub fn date(&self) -> Option<&'a str> {
        self.chunk.origin.date.as_deref()
    }

    /// The file (or "built-in digest") the paper came from.
    pub fn source(&self) -> &'a str {
        &self.chunk.origin.name
    }

    pub fn line(&self) -> usize {
        self.paper.line
    }
}

/// What later copies of a paper added to the first: metadata, days, an abstract it lacked.
#[derive(Debug, Default)]
struct Extra {
    /// The merged metadata of every copy.
    meta: Option<Box<Meta>>,
    /// Every day the paper appeared, oldest first.
    days: Vec<Day>,
    /// An abstract the first copy lacked: the chunk and the text in it.
    late: Option<(usize, Text)>,
}

impl Meta {
    /// Takes from `other` what this lacks: the richest metadata of two copies of one paper.
    pub fn absorb(&mut self, other: &Meta) {
        fn fill<T: Clone>(mine: &mut Option<T>, theirs: &Option<T>) {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        }
        fill(&mut self.arxiv_id, &other.arxiv_id);
        if self.authors.is_empty() {
            self.authors.clone_from(&other.authors);
        }
        for category in &other.categories {
            if !self.categories.contains(category) {
                self.categories.push(category.clone());
            }
        }
        self.upvotes = self.upvotes.max(other.upvotes);
        self.day = match (self.day, other.day) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        fill(&mut self.published, &other.published);
        fill(&mut self.code, &other.code);
        fill(&mut self.project, &other.project);
        fill(&mut self.url, &other.url);
    }
}

/// The papers' titles, shared with the search threads: cheap to clone, never changing.
#[derive(Debug, Clone, Default)]
pub struct Titles {
    chunks: Vec<Arc<Chunk>>,
    /// The library index of each chunk's first paper.
    starts: Vec<usize>,
    len: usize,
    /// arXiv identifiers that later copies brought to papers whose own entry had none, by index.
    merged_ids: Arc<HashMap<usize, Box<str>>>,
}

impl Titles {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn locate(&self, i: usize) -> (usize, usize) {
        let c = self.starts.partition_point(|&start| start <= i) - 1;
        (c, i - self.starts[c])
    }

    /// The title of paper `i`. Panics when `i` is out of range, as slice indexing does.
    pub fn title(&self, i: usize) -> &str {
        let (c, j) = self.locate(i);
        self.chunks[c].title(j)
    }

    pub fn key_hash(&self, i: usize) -> u64 {
        let (c, j) = self.locate(i);
        self.chunks[c].papers[j].key_hash
    }

    /// The arXiv identifier of paper `i`: its own entry's, or one a later copy brought.
    pub fn arxiv_id(&self, i: usize) -> Option<&str> {
        let (c, j) = self.locate(i);
        let own = self.chunks[c].papers[j].meta.as_ref().and_then(|m| m.arxiv_id.as_deref());
        own.or_else(|| self.merged_ids.get(&i).map(|id| &**id))
    }

    /// Calls `f` with the index and title of the papers at `indices` (ascending), walking chunk by chunk.
    pub fn for_each_of(&self, indices: &[u32], mut f: impl FnMut(usize, &str)) {
        let Some(&first) = indices.first() else { return };
        let (mut c, _) = self.locate(first as usize);
        for &i in indices {
            let i = i as usize;
            while c + 1 < self.starts.len() && self.starts[c + 1] <= i {
                c += 1;
            }
            f(i, self.chunks[c].title(i - self.starts[c]));
        }
    }

    /// Calls `f` with the index and title of every paper in `range`, in order, walking chunk by chunk.
    pub fn for_each_in(&self, range: std::ops::Range<usize>, mut f: impl FnMut(usize, &str)) {
        if range.is_empty() {
            return;
        }
        let (mut c, mut j) = self.locate(range.start);
        let mut i = range.start;
        while i < range.end {
            let chunk = &self.chunks[c];
            while j < chunk.papers.len() && i < range.end {
                f(i, chunk.title(j));
                i += 1;
                j += 1;
            }
            c += 1;
            j = 0;
        }
    }
}

/// Every paper from the opened digests, in the order they came, with duplicates merged: the same arXiv
/// identifier, or the same title when one of the two has no identifier.
#[derive(Debug, Default)]
pub struct Library {
    titles: Titles,
    /// Title key hash to the index of the first paper with that title.
    index: KeyMap<usize>,
    /// arXiv key hash to the index of the paper with that identifier.
    ids: KeyMap<usize>,
    /// What later copies added to papers, by index.
    extra: HashMap<usize, Extra>,
    /// Every day a paper appeared on.
    days: std::collections::BTreeSet<Day>,
}

/// A map keyed by `PaperKey::hash64` values, which are hashes already: hashing them again (SipHash, the
/// default) took 4% of loading a large digest.
type KeyMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// Passes a `u64` key through as its own hash (see `KeyMap`).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not used by `u64` keys; folds other input all the same.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Where the paper a copy merges into stands: in the library, or earlier in the chunk being added.
#[derive(Clone, Copy)]
enum Known {
    Library(usize),
    Chunk(usize),
}

impl Library {
    pub fn from_chunks(chunks: impl IntoIterator<Item = Chunk>) -> Self {
        let mut library = Library::default();
        for chunk in chunks {
            library.add_chunk(chunk);
        }
        library
    }

    /// The papers of `digests`, in order.
    pub fn from_digests(digests: impl IntoIterator<Item = crate::digest::Digest>) -> Self {
        Library::from_chunks(digests.into_iter().flat_map(|d| d.chunks))
    }

    /// A library of papers given as (title, abstract), for tests and tools.
    pub fn from_papers<T: Into<String>, A: Into<String>>(papers: impl IntoIterator<Item = (T, A)>) -> Self {
        Library::from_chunks([Chunk::from_papers(Origin::default(), papers)])
    }

    /// Adds a chunk's papers after those already here. A paper already here keeps its place and gains what
    /// the copy knows that it did not (metadata, the day, an abstract); the copy is dropped. Returns the
    /// lowest index of a paper already here that a copy changed, if any.
    pub fn add_chunk(&mut self, mut chunk: Chunk) -> Option<usize> {
        let mut lowest_merged = None;
        self.days.extend(chunk.origin.day.filter(|_| !chunk.papers.is_empty()));
        self.days.extend(chunk.papers.iter().filter_map(|p| p.meta.as_ref().and_then(|m| m.day)));
        let number = self.titles.chunks.len();
        let first = self.titles.len;
        let papers = std::mem::take(&mut chunk.papers);
        let copies = papers.len();
        let mut unique: Vec<Paper> = Vec::with_capacity(papers.len());
        for paper in papers {
            let id_hash = paper.meta.as_ref().and_then(|m| m.arxiv_id.as_deref()).map(PaperKey::hash_of_arxiv_id);
            let place = |index: usize| if index >= first { Known::Chunk(index - first) } else { Known::Library(index) };
            // The same identifier; else the same title, when one of the two has no identifier.
            let known = id_hash
                .and_then(|hash| self.ids.get(&hash).copied())
                .map(place)
                .filter(|&known| {
                    self.known_id(known, &unique) == paper.meta.as_ref().and_then(|m| m.arxiv_id.as_deref())
                })
                .or_else(|| {
                    let known = place(*self.index.get(&paper.key_hash)?);
                    let same_title = PaperKey::from_title(self.known_title(known, &unique, &chunk))
                        == PaperKey::from_title(chunk.span_title(paper.title));
                    (same_title && (id_hash.is_none() || self.known_id(known, &unique).is_none())).then_some(known)
                });
            let Some(known) = known else {
                let index = first + unique.len();
                self.index.entry(paper.key_hash).or_insert(index);
                if let Some(hash) = id_hash {
                    self.ids.insert(hash, index);
                }
                unique.push(paper);
                continue;
            };
            let index = match known {
                Known::Library(i) => i,
                Known::Chunk(j) => first + j,
            };
            if let Some(hash) = id_hash {
                self.ids.entry(hash).or_insert(index);
            }
            // The copy's title finds the paper too (it may differ where the identifier matched).
            self.index.entry(paper.key_hash).or_insert(index);
            if index < first {
                lowest_merged = Some(lowest_merged.map_or(index, |low: usize| low.min(index)));
            }
            let gains_id = self.known_id(known, &unique).is_none();
            let id = paper.meta.as_ref().and_then(|m| m.arxiv_id.clone());
            self.merge(index, known, &unique, &chunk, number, paper);
            if let Some(id) = id.filter(|_| gains_id) {
                Arc::make_mut(&mut self.titles.merged_ids).insert(index, id.into_boxed_str());
            }
        }
        chunk.papers = unique;
        chunk.papers.shrink_to_fit();
        if chunk.papers.len() < copies {
            // The titles of the copies merged away are not kept.
            let mut titles = String::with_capacity(chunk.papers.iter().map(|p| p.title.end - p.title.start).sum());
            for paper in &mut chunk.papers {
                paper.title =
                    keep_title(&mut titles, chunk.titles.get(paper.title.start..paper.title.end).unwrap_or(""));
            }
            chunk.titles = titles;
        }
        chunk.titles.shrink_to_fit();
        self.titles.starts.push(first);
        self.titles.len += chunk.papers.len();
        self.titles.chunks.push(Arc::new(chunk));
        lowest_merged
    }

    /// Counts the chunks added: changes when papers were added or changed (a copy merged in).
    pub fn changes(&self) -> u64 {
        self.titles.chunks.len() as u64
    }

    fn known_title<'a>(&'a self, known: Known, unique: &'a [Paper], chunk: &'a Chunk) -> &'a str {
        match known {
            Known::Library(i) => self.titles.title(i),
            Known::Chunk(j) => chunk.span_title(unique[j].title),
        }
    }

    fn known_id<'a>(&'a self, known: Known, unique: &'a [Paper]) -> Option<&'a str> {
        match known {
            Known::Library(i) => self.get(i).arxiv_id(),
            Known::Chunk(j) => self
                .extra
                .get(&(self.titles.len + j))
                .and_then(|e| e.meta.as_deref())
                .or(unique[j].meta.as_deref())
                .and_then(|m| m.arxiv_id.as_deref()),
        }
    }

    /// Folds `copy` (of chunk `number`, not yet added) into the paper at `index`.
    fn merge(&mut self, index: usize, known: Known, unique: &[Paper], chunk: &Chunk, number: usize, copy: Paper) {
        // What the paper holds now: its own fields, and what earlier copies added.
        let (own_meta, own_day, own_abstract_empty) = match known {
            Known::Library(i) => {
                let paper = self.get(i);
                (paper.paper.meta.as_deref().cloned(), paper.own_day(), paper.abstract_text().is_empty())
            }
            Known::Chunk(j) => {
                let paper = &unique[j];
                let day = paper.meta.as_ref().and_then(|m| m.day).or(chunk.origin.day);
                (paper.meta.as_deref().cloned(), day, paper.abstract_text.get(&chunk.text).is_empty())
            }
        };
        let copy_day = copy.meta.as_ref().and_then(|m| m.day).or(chunk.origin.day);
        let extra = self.extra.entry(index).or_default();
        if let Some(theirs) = copy.meta.as_deref() {
            let mut meta = extra.meta.take().map(|m| *m).or(own_meta).unwrap_or_default();
            meta.absorb(theirs);
            extra.meta = Some(Box::new(meta));
        }
        if extra.days.is_empty() {
            extra.days.extend(own_day);
        }
        if let Some(day) = copy_day
            && let Err(at) = extra.days.binary_search(&day)
        {
            extra.days.insert(at, day);
        }
        let copy_abstract_empty = copy.abstract_text.get(&chunk.text).is_empty();
        if own_abstract_empty && extra.late.is_none() && !copy_abstract_empty {
            extra.late = Some((number, copy.abstract_text));
        }
    }

    /// Paper `i`, in library order. Panics when `i` is out of range, as slice indexing does.
    pub fn get(&self, i: usize) -> PaperRef<'_> {
        let (c, j) = self.titles.locate(i);
        let chunk = &self.titles.chunks[c];
        let extra = self.extra.get(&i);
        // An abstract from a chunk not added yet (a copy in the chunk being added) reads as none yet.
        let late_abstract = extra
            .and_then(|e| e.late.as_ref())
            .and_then(|(lc, text)| Some(text.get(&self.titles.chunks.get(*lc)?.text)));
        PaperRef { chunk, paper: &chunk.papers[j], extra, late_abstract }
    }

    pub fn papers(&self) -> impl Iterator<Item = PaperRef<'_>> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The index of the paper with `key` (an arXiv or a title key), if the library has it.
    pub fn find(&self, key: &PaperKey) -> Option<usize> {
        if key.arxiv_id().is_some() {
            return self.ids.get(&key.hash64()).copied().filter(|&i| self.get(i).key() == *key);
        }
        self.index.get(&key.hash64()).copied().filter(|&i| self.get(i).title_key() == *key)
    }

    /// The titles, to share with the search threads.
    pub fn titles(&self) -> &Titles {
        &self.titles
    }

    /// The date line of the first digest that had papers.
    pub fn date(&self) -> Option<&str> {
        self.titles.chunks.iter().find(|c| !c.is_empty()).and_then(|c| c.origin.date.as_deref())
    }

    /// Every day a paper appeared on, oldest first.
    pub fn days(&self) -> Vec<Day> {
        self.days.iter().copied().collect()
    }

    /// The papers from index `from` on that appeared on `day`, in library order.
    pub fn on_day(&self, day: Day, from: usize) -> Vec<u32> {
        let mut found = Vec::new();
        if from >= self.titles.len {
            return found;
        }
        let (first, skip) = self.titles.locate(from);
        for (c, chunk) in self.titles.chunks.iter().enumerate().skip(first) {
            let start = self.titles.starts[c];
            let skip = if c == first { skip } else { 0 };
            for (j, paper) in chunk.papers.iter().enumerate().skip(skip) {
                let i = start + j;
                let on = match self.extra.get(&i) {
                    Some(extra) if !extra.days.is_empty() => extra.days.binary_search(&day).is_ok(),
                    _ => paper.meta.as_ref().and_then(|m| m.day).or(chunk.origin.day) == Some(day),
                };
                if on {
                    found.push(i as u32);
                }
            }
        }
        found
    }

    pub fn len(&self) -> usize {
        self.titles.len
    }

    pub fn is_empty(&self) -> bool {
        self.titles.len == 0
    }

    /// Bytes held: the text of every chunk, and what the papers cost on top.
    pub fn memory(&self) -> (usize, usize) {
        let chunks = &self.titles.chunks;
        let text = chunks.iter().map(|c| c.text.capacity()).sum();
        let overhead = chunks.iter().map(|c| c.overhead_bytes()).sum::<usize>()
            + (self.index.capacity() + self.ids.capacity()) * (std::mem::size_of::<(u64, usize)>() + 1)
            + self.extra.capacity() * (std::mem::size_of::<(usize, Extra)>() + 1);
        (text, overhead)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ignores_case_punctuation_and_spacing() {
        let a = PaperKey::from_title("Mamba YOLO: SSMs-Based YOLO For Object Detection");
        let b = PaperKey::from_title("  mamba yolo — ssms based YOLO for object detection. ");
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "title:mamba yolo ssms based yolo for object detection");
        assert_eq!(a.hash64(), b.hash64());
        assert_eq!(PaperKey::hash_of_title("  mamba yolo — ssms based YOLO for object detection. "), a.hash64());
        assert_eq!(PaperKey::hash_of_title("ÉCOLE"), PaperKey::from_title("école").hash64());
        assert_eq!(PaperKey::hash_of_arxiv_id("2403.09043"), PaperKey::from_arxiv_id("2403.09043").hash64());
    }

    #[test]
    fn key_folds_non_ascii_and_keeps_distinct_titles_apart() {
        assert_eq!(PaperKey::from_title("ÉCOLE Ünïcode"), PaperKey::from_title("école ünïcode"));
        assert_ne!(PaperKey::from_title("A Survey of Mamba"), PaperKey::from_title("A Survey on Mamba"));
        assert_eq!(PaperKey::from_title("中文 标题").as_str(), "title:中文 标题");
        assert_eq!(PaperKey::from_title("İx").as_str(), "title:i\u{307}x");
    }

    #[test]
    fn key_of_ascii_titles_is_their_words_lower_cased() {
        // The plain-ASCII path against the rule it implements, on every arrangement of word and non-word
        // bytes up to eight long, and on real titles; the hash agrees with the key.
        let expected = |title: &str| {
            let words: Vec<String> =
                title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
            format!("title:{}", words.join(" "))
        };
        let mut titles: Vec<String> = (0..8u32)
            .flat_map(|len| {
                (0..1u32 << len).map(move |bits| (0..len).map(|k| if bits >> k & 1 == 1 { 'A' } else { '-' }).collect())
            })
            .collect();
        titles.extend(
            ["Mamba YOLO: SSMs-Based YOLO", "  (a)  b.. ", "x", "", "--", "GPT-4o: 2x faster!"].map(String::from),
        );
        // Around the length the plain-ASCII path takes (256 bytes), ending in a word and not.
        for len in 250..=260 {
            titles.push("Ab, ".repeat(len / 4) + &"c".repeat(len % 4));
        }
        for title in &titles {
            let key = PaperKey::from_title(title);
            assert_eq!(key.as_str(), expected(title), "{title:?}");
            assert_eq!(PaperKey::hash_of_title(title), key.hash64(), "{title:?}");
        }
    }

    #[test]
    fn library_merges_the_same_paper_and_keeps_the_first_place() {
        let d1 = Chunk::from_papers(Origin::default(), [("First", "")]);
        let d2 = Chunk::from_papers(Origin::default(), [("Second", "x"), ("FIRST", "abs")]);
        let lib = Library::from_chunks([d1, d2]);
        let titles: Vec<_> = lib.papers().map(|p| p.title()).collect();
        assert_eq!(titles, ["First", "Second"]);
        // The copy's title is not kept beside the paper's own.
        assert_eq!(lib.titles.chunks[1].titles, "Second");
        assert_eq!(lib.get(0).abstract_text(), "abs");
        assert_eq!(lib.find(&PaperKey::from_title("first")), Some(0));
        assert_eq!(lib.find(&PaperKey::from_title("third")), None);
    }

    #[test]
    fn copies_within_one_chunk_merge_too() {
        let lib = Library::from_papers([("A", ""), ("B", "b"), ("a", "late"), ("A!", "later")]);
        assert_eq!(lib.len(), 2);
        assert_eq!(lib.get(0).abstract_text(), "late");
    }

    #[test]
    fn spans_read_the_chunk_text_and_papers_are_found_across_chunks() {
        let mut chunk =
            Chunk::new(Arc::new(Origin { name: "f.txt".into(), date: None, day: None }), "Title\n\nAbs.\n".into());
        chunk.push(Text::Span { start: 0, end: 5 }, Text::Span { start: 7, end: 11 }, 1);
        let mut lib = Library::from_papers([("Zero", "")]);
        lib.add_chunk(chunk);
        lib.add_chunk(Chunk::default());
        lib.add_chunk(Chunk::from_papers(Origin::default(), [("Two", "")]));
        assert_eq!(lib.len(), 3);
        assert_eq!((lib.get(1).title(), lib.get(1).abstract_text(), lib.get(1).source()), ("Title", "Abs.", "f.txt"));
        assert_eq!(lib.get(2).title(), "Two");
        let mut seen = Vec::new();
        lib.titles().for_each_in(1..3, |i, t| seen.push((i, t.to_string())));
        assert_eq!(seen, [(1, "Title".to_string()), (2, "Two".to_string())]);
        let mut seen = Vec::new();
        lib.titles().for_each_of(&[0, 2], |i, t| seen.push((i, t.to_string())));
        assert_eq!(seen, [(0, "Zero".to_string()), (2, "Two".to_string())]);
    }

    fn record(title: &str, id: Option<&str>, day: Option<Day>) -> Record {
        Record {
            title: title.into(),
            abstract_text: String::new(),
            line: 1,
            meta: Meta { arxiv_id: id.map(Into::into), day, ..Meta::default() },
        }
    }

    fn chunk_of(records: impl IntoIterator<Item = Record>) -> Chunk {
        let mut chunk = Chunk::new(Arc::new(Origin::default()), String::new());
        for r in records {
            chunk.push_record(r);
        }
        chunk
    }

    #[test]
    fn days_parse_check_and_print() {
        assert_eq!(Day::parse_iso("2024-03-14T08:00:00.000Z").map(|d| d.to_string()).as_deref(), Some("2024-03-14"));
        assert_eq!(Day::parse_iso("2024-02-30"), None);
        assert_eq!(Day::parse_iso("2024-02-29"), Day::new(2024, 2, 29));
        assert_eq!(Day::new(2023, 2, 29), None);
        assert_eq!(Day::of(std::time::UNIX_EPOCH), Day::new(1970, 1, 1).unwrap());
        let leap = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_709_164_800); // 2024-02-29
        assert_eq!(Day::of(leap).to_string(), "2024-02-29");
    }

    #[test]
    fn the_same_arxiv_id_merges_and_keeps_the_richest_metadata_and_every_day() {
        let d1 = Day::new(2024, 3, 14);
        let d2 = Day::new(2024, 3, 15);
        let mut first = record("Mamba YOLO", Some("2406.05835"), d1);
        first.meta.upvotes = Some(3);
        let mut second = record("Mamba-YOLO: a better title?", Some("2406.05835"), d2);
        second.meta.upvotes = Some(9);
        second.meta.authors = vec!["Zeyu Wang".into()];
        second.abstract_text = "Late abstract.".into();
        let lib = Library::from_chunks([chunk_of([first]), chunk_of([second, record("Other", None, d2)])]);
        assert_eq!(lib.len(), 2);
        let paper = lib.get(0);
        assert_eq!(paper.title(), "Mamba YOLO");
        assert_eq!(paper.meta().unwrap().upvotes, Some(9));
        assert_eq!(paper.meta().unwrap().authors, ["Zeyu Wang"]);
        assert_eq!(paper.abstract_text(), "Late abstract.");
        assert_eq!(paper.days(), [d1.unwrap(), d2.unwrap()]);
        assert_eq!(paper.key().as_str(), "arxiv:2406.05835");
        assert_eq!(lib.days(), [d1.unwrap(), d2.unwrap()]);
        assert_eq!(lib.on_day(d1.unwrap(), 0), [0]);
        assert_eq!(lib.on_day(d2.unwrap(), 0), [0, 1]);
        assert_eq!(lib.on_day(d2.unwrap(), 1), [1]);
        assert!(lib.on_day(d2.unwrap(), 2).is_empty());
        assert_eq!(lib.find(&PaperKey::from_arxiv_id("2406.05835")), Some(0));
    }

    #[test]
    fn a_title_only_paper_takes_the_identifier_of_a_later_copy_and_different_ids_stay_apart() {
        let text = Chunk::from_papers(Origin::default(), [("Deep Learning: A Review", "From the text digest.")]);
        let json = chunk_of([
            record("Deep learning — a review", Some("2403.09043"), None),
            record("Deep Learning: A Review", Some("1111.11111"), None),
        ]);
        let lib = Library::from_chunks([text, json]);
        assert_eq!(lib.len(), 2, "the same title with another id is another paper");
        assert_eq!(lib.get(0).arxiv_id(), Some("2403.09043"));
        assert_eq!(lib.get(0).abstract_text(), "From the text digest.");
        assert_eq!(lib.get(1).arxiv_id(), Some("1111.11111"));
        assert_eq!(lib.find(&PaperKey::from_arxiv_id("2403.09043")), Some(0));
        assert_eq!(lib.find(&PaperKey::from_title("deep learning a review")), Some(0));
        // And the other way round: the copy without an id merges into the one with it.
        let json = chunk_of([record("Deep learning — a review", Some("2403.09043"), None)]);
        let text = Chunk::from_papers(Origin::default(), [("Deep Learning: A Review", "abs")]);
        let lib = Library::from_chunks([json, text]);
        assert_eq!(lib.len(), 1);
        assert_eq!(lib.get(0).abstract_text(), "abs");
    }

    #[test]
    fn links_put_the_page_code_and_project_first_without_repeats() {
        let mut r = record("T", Some("2403.00001"), None);
        r.meta.code = Some("https://github.com/a/b".into());
        r.abstract_text = "Code at https://github.com/a/b and https://x.org/y.".into();
        let lib = Library::from_chunks([chunk_of([r])]);
        assert_eq!(
            lib.get(0).links(),
            ["https://arxiv.org/abs/2403.00001", "https://github.com/a/b", "https://x.org/y"]
        );
    }
}
