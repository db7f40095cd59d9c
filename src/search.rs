//! Fuzzy search over titles: ranking, highlight positions, and the search thread. The one module that uses
//! the fuzzy matcher.
//!
//! The matcher is frizbee (SIMD Smith-Waterman with fzf-like scoring), chosen by measurement over
//! fuzzy-matcher and nucleo-matcher: see BENCHMARKS.md. A query is whitespace-separated terms, each matched
//! fuzzily and in any order, with fzf's term syntax (`'exact`, `^prefix`, `suffix$`, `!not`). Case is
//! smart, as in fzf and helix: a query with no capital letter matches regardless of case.
//!
//! Searching never holds up typing: `Searcher` ranks on a thread of its own, on every core, and a newer
//! search cancels the one in flight.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crate::library::{PaperKey, Titles};
use crate::state::Store;

/// Which papers a search looks at, before the query narrows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    Unread,
    Starred,
}

impl Filter {
    pub fn name(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Unread => "unread",
            Filter::Starred => "starred",
        }
    }
}

/// The marks of the papers the store knows, by key hash, for filtering without a key per paper.
///
/// A paper's marks are kept under its arXiv key when its identifier is known, else under its title key. A
/// paper starred before its identifier was known has them under its title key; one seen with an identifier
/// in one digest and without in another has them under its arXiv key with its title beside. Both are
/// found: under its arXiv key, its title key, and (a paper whose identifier is not known here) an arXiv
/// key made on the same title; where two disagree, the later change counts.
#[derive(Debug, Default)]
pub struct MarkSet {
    /// Entries by the hash of their key, and arXiv-keyed ones also by the hash of their title's key.
    by_hash: HashMap<u64, Vec<MarkEntry>>,
}

#[derive(Debug)]
struct MarkEntry {
    key: PaperKey,
    /// The key of the title the marks were made on.
    title_key: Option<PaperKey>,
    starred: bool,
    read: bool,
    /// When each changed: where a paper has marks under two keys, the later change counts.
    star_time: u64,
    read_time: u64,
}

impl MarkSet {
    pub fn from_store(store: &Store) -> Self {
        let mut by_hash: HashMap<u64, Vec<MarkEntry>> = HashMap::new();
        for (key, marks) in store.all_marks() {
            let title_key = match key.arxiv_id() {
                Some(_) => marks.title.as_deref().map(PaperKey::from_title),
                None => Some(key.clone()),
            };
            let entry = |key: &PaperKey| MarkEntry {
                key: key.clone(),
                title_key: title_key.clone(),
                starred: marks.starred,
                read: marks.read,
                star_time: marks.star_time(),
                read_time: marks.read_time(),
            };
            by_hash.entry(key.hash64()).or_default().push(entry(key));
            if let Some(title_key) = title_key.as_ref().filter(|t| *t != key) {
                by_hash.entry(title_key.hash64()).or_default().push(entry(key));
            }
        }
        MarkSet { by_hash }
    }

    /// The entries that hold marks of the paper with this title key hash, title and arXiv identifier.
    fn entries(&self, key_hash: u64, title: &str, id: Option<&str>) -> Vec<&MarkEntry> {
        let mut found = Vec::new();
        if let Some(id) = id {
            let hash = PaperKey::hash_of_arxiv_id(id);
            found.extend(self.by_hash.get(&hash).into_iter().flatten().filter(|e| e.key.arxiv_id() == Some(id)));
        }
        let Some(entries) = self.by_hash.get(&key_hash) else { return found };
        let title_key = PaperKey::from_title(title);
        found.extend(entries.iter().filter(|e| e.key == title_key));
        if id.is_none() {
            found.extend(entries.iter().filter(|e| e.key != title_key && e.title_key.as_ref() == Some(&title_key)));
        }
        found
    }

    /// (starred, read) of the paper with this title key hash, title and arXiv identifier.
    pub fn get(&self, key_hash: u64, title: &str, id: Option<&str>) -> (bool, bool) {
        let entries = self.entries(key_hash, title, id);
        let starred = entries.iter().max_by_key(|e| e.star_time).is_some_and(|e| e.starred);
        let read = entries.iter().max_by_key(|e| e.read_time).is_some_and(|e| e.read);
        (starred, read)
    }

    /// (starred, read) of `paper`.
    pub fn of(&self, paper: &crate::library::PaperRef) -> (bool, bool) {
        self.get(paper.key_hash(), paper.title(), paper.arxiv_id())
    }

    /// Every key that holds marks of `paper`: a change to its marks is made under all of them, so that no
    /// older copy of a mark comes back when the paper is seen with or without its identifier.
    pub fn keys_of(&self, paper: &crate::library::PaperRef) -> Vec<PaperKey> {
        let mut keys: Vec<PaperKey> = self
            .entries(paper.key_hash(), paper.title(), paper.arxiv_id())
            .into_iter()
            .map(|e| e.key.clone())
            .collect();
        keys.dedup();
        keys
    }

    pub fn passes(&self, filter: Filter, key_hash: u64, title: &str, id: Option<&str>) -> bool {
        match filter {
            Filter::All => true,
            Filter::Unread => !self.get(key_hash, title, id).1,
            Filter::Starred => self.get(key_hash, title, id).0,
        }
    }
}

/// A search as typed, ready to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    text: String,
}

impl Query {
    pub fn new(text: &str) -> Self {
        Query { text: text.trim().to_string() }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// A matcher for this query, for one thread.
    pub fn matcher(&self) -> Matcher {
        Matcher(frizbee::Matcher::from_query(&self.text, &frizbee::Config::default()))
    }

    /// The match score of `title`, or `None` when it does not match.
    pub fn score(&self, title: &str) -> Option<u16> {
        self.matcher().score(title)
    }

    /// The char positions in `title` that the query matched, for highlighting.
    pub fn positions(&self, title: &str) -> Vec<usize> {
        if self.is_empty() { Vec::new() } else { self.matcher().positions(title) }
    }

    /// True when every title this query matches is also matched by `earlier`, so that searching only
    /// `earlier`'s matches finds them all. Each term of `earlier` is then still there, or grew (a fuzzy
    /// term that grows matches fewer titles); a negated term (`!`) would match more as it grows, a `$`
    /// or an escaping `\` would change meaning, so those never narrow.
    pub fn narrows(&self, earlier: &Query) -> bool {
        let special = |q: &str| q.contains('!') || q.contains('\\');
        self.text.starts_with(&earlier.text)
            && !special(&self.text)
            && !earlier.text.ends_with('$')
            && (self.text.chars().any(char::is_uppercase) == earlier.text.chars().any(char::is_uppercase))
    }

    /// Ranks the papers `within` that pass `filter`: best score first, ties in library order. An empty query
    /// keeps them all, in order. Large sets are scored on every core. `None` when `cancel` was set.
    pub fn rank(
        &self,
        titles: &Titles,
        within: &Within,
        filter: Filter,
        marks: &MarkSet,
        cancel: &AtomicBool,
    ) -> Option<Ranked> {
        let len = within.len(titles);
        let threads =
            if len >= PARALLEL_FROM { std::thread::available_parallelism().map_or(1, usize::from) } else { 1 };
        let part = len.div_ceil(threads.max(1)).max(1);
        // Each part is scored and ranked on its own thread; the parts' rankings are merged after.
        let score_part = |from: usize, to: usize| -> Option<Ranked> {
            let mut matcher = self.matcher();
            let mut hits = Vec::with_capacity(to - from);
            let mut seen = 0usize;
            let mut cancelled = false;
            let mut visit = |i: usize, title: &str| {
                seen += 1;
                if seen.is_multiple_of(CHECK_EVERY) && cancel.load(Ordering::Relaxed) {
                    cancelled = true;
                }
                if cancelled
                    || (filter != Filter::All && !marks.passes(filter, titles.key_hash(i), title, titles.arxiv_id(i)))
                {
                    return;
                }
                if let Some(score) = if self.is_empty() { Some(0) } else { matcher.score(title) } {
                    hits.push((score, i as u32));
                }
            };
            within.for_each(titles, from..to, &mut visit);
            (!cancelled).then(|| Ranked::sorted(hits))
        };
        let parts: Vec<Option<Ranked>> = if threads > 1 {
            // Parts in library order, merged in that order: among equal scores the earlier part's papers
            // come first, so the ranking is the one a single thread makes.
            std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads)
                    .map(|t| {
                        let (from, to) = ((t * part).min(len), ((t + 1) * part).min(len));
                        scope.spawn(move || score_part(from, to))
                    })
                    .collect();
                workers.into_iter().map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
            })
        } else {
            vec![score_part(0, len)]
        };
        let mut ranked = Ranked::default();
        for part in parts {
            ranked = ranked.merge(part?);
        }
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        Some(ranked)
    }
}

/// The candidates of a search: every paper from a point on, or a list (the last search's matches).
#[derive(Debug, Clone)]
pub enum Within {
    From(usize),
    List(Arc<Vec<u32>>),
}

impl Within {
    fn len(&self, titles: &Titles) -> usize {
        match self {
            Within::From(start) => titles.len().saturating_sub(*start),
            Within::List(list) => list.len(),
        }
    }

    /// Calls `f` on the candidates at positions `range` of this set.
    fn for_each(&self, titles: &Titles, range: std::ops::Range<usize>, f: &mut impl FnMut(usize, &str)) {
        match self {
            Within::From(start) => titles.for_each_in(start + range.start..start + range.end, f),
            // The last search's matches, in library order.
            Within::List(list) => titles.for_each_of(&list[range], f),
        }
    }
}

/// A ranking: library indices best first, with their scores (for merging in more papers later).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranked {
    pub order: Vec<u32>,
    pub scores: Vec<u16>,
    /// The same indices in library order, for the next search to narrow: made on the search thread, where
    /// they come in that order, rather than sorted again on the UI thread.
    pub matched: Vec<u32>,
}

impl Ranked {
    /// Sorts hits (in library order) by score, best first, keeping library order among equal scores: a
    /// counting sort on the 16-bit score, linear in the number of hits.
    fn sorted(hits: Vec<(u16, u32)>) -> Self {
        let Some(max) = hits.iter().map(|h| h.0).max() else { return Ranked::default() };
        let matched = hits.iter().map(|h| h.1).collect();
        let mut starts = vec![0usize; usize::from(max) + 2];
        for &(score, _) in &hits {
            starts[usize::from(max - score) + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut order = vec![0u32; hits.len()];
        let mut scores = vec![0u16; hits.len()];
        for (score, i) in hits {
            let slot = &mut starts[usize::from(max - score)];
            order[*slot] = i;
            scores[*slot] = score;
            *slot += 1;
        }
        Ranked { order, scores, matched }
    }

    /// Merges in a ranking of papers that all come after these in the library: by score, these first among
    /// equal scores.
    pub fn merge(self, later: Ranked) -> Ranked {
        if later.order.is_empty() {
            return self;
        }
        if self.order.is_empty() {
            return later;
        }
        let mut matched = self.matched;
        matched.extend(later.matched);
        let mut out = Ranked {
            order: Vec::with_capacity(self.order.len() + later.order.len()),
            scores: Vec::with_capacity(self.order.len() + later.order.len()),
            matched,
        };
        let (mut a, mut b) = (0, 0);
        while a < self.order.len() || b < later.order.len() {
            let take_a = b >= later.order.len() || (a < self.order.len() && self.scores[a] >= later.scores[b]);
            let (order, scores, k) =
                if take_a { (&self.order, &self.scores, &mut a) } else { (&later.order, &later.scores, &mut b) };
            out.order.push(order[*k]);
            out.scores.push(scores[*k]);
            *k += 1;
        }
        out
    }
}

/// Candidate sets at least this large are scored on several threads; below it, starting threads costs more
/// than it saves.
const PARALLEL_FROM: usize = 20_000;

/// How many candidates a thread scores between looks at the cancel flag.
const CHECK_EVERY: usize = 1024;

/// A matcher for one thread.
pub struct Matcher(frizbee::Matcher);

impl Matcher {
    pub fn score(&mut self, title: &str) -> Option<u16> {
        self.0.match_one(title, 0).map(|m| m.score)
    }

    /// The char positions in `title` that matched, ascending.
    pub fn positions(&mut self, title: &str) -> Vec<usize> {
        let Some(found) = self.0.match_one_indices(title, 0) else { return Vec::new() };
        // frizbee gives byte offsets (every byte of a matched char); the screen wants char positions.
        let mut bytes: Vec<usize> = found.indices.iter().map(|&b| b as usize).collect();
        bytes.sort_unstable();
        let mut positions = Vec::with_capacity(bytes.len());
        let mut next = bytes.iter().peekable();
        for (n, (at, c)) in title.char_indices().enumerate() {
            let mut hit = false;
            while next.next_if(|&&b| b < at + c.len_utf8()).is_some() {
                hit = true;
            }
            if hit {
                positions.push(n);
            }
            if next.peek().is_none() {
                break;
            }
        }
        positions
    }
}

/// A search to run: the query over some candidates that pass a filter, given the titles at the time.
pub struct Job {
    pub id: u64,
    pub query: Query,
    pub titles: Titles,
    pub within: Within,
    pub filter: Filter,
    pub marks: Arc<MarkSet>,
}

/// What a search found.
pub struct Found {
    pub id: u64,
    pub ranked: Ranked,
    /// How long it took on the search thread.
    pub took: Duration,
}

/// The search thread: takes jobs, runs the newest, cancels the one in flight when a newer one comes.
pub struct Searcher {
    jobs: mpsc::Sender<(Job, Arc<AtomicBool>)>,
    found: mpsc::Receiver<Found>,
    in_flight: Option<(u64, Arc<AtomicBool>)>,
}

impl Searcher {
    /// Starts the thread. `wake` is called after each search that finished, from the search thread.
    pub fn start(wake: Arc<dyn Fn() + Send + Sync>) -> std::io::Result<Self> {
        let (jobs, inbox) = mpsc::channel::<(Job, Arc<AtomicBool>)>();
        let (outbox, found) = mpsc::channel();
        std::thread::Builder::new().name("search".into()).spawn(move || {
            while let Ok(mut next) = inbox.recv() {
                // Only the newest job matters.
                while let Ok(newer) = inbox.try_recv() {
                    next = newer;
                }
                let (job, cancel) = next;
                if cancel.load(Ordering::Relaxed) {
                    continue;
                }
                let started = Instant::now();
                let marks = &job.marks;
                if let Some(ranked) = job.query.rank(&job.titles, &job.within, job.filter, marks, &cancel) {
                    if outbox.send(Found { id: job.id, ranked, took: started.elapsed() }).is_err() {
                        return;
                    }
                    wake();
                }
            }
        })?;
        Ok(Searcher { jobs, found, in_flight: None })
    }

    /// Starts `job`, cancelling the search in flight.
    pub fn submit(&mut self, job: Job) {
        self.cancel();
        let cancel = Arc::new(AtomicBool::new(false));
        self.in_flight = Some((job.id, Arc::clone(&cancel)));
        // A thread that is gone (it panicked) leaves the search undone; `busy` then stays true.
        let _ = self.jobs.send((job, cancel));
    }

    pub fn cancel(&mut self) {
        if let Some((_, cancel)) = self.in_flight.take() {
            cancel.store(true, Ordering::Relaxed);
        }
    }

    /// True while a search is running.
    pub fn busy(&self) -> bool {
        self.in_flight.is_some()
    }

    /// The result of the search in flight, if it is done; results of cancelled searches are dropped.
    pub fn poll(&mut self) -> Option<Found> {
        while let Ok(found) = self.found.try_recv() {
            if self.in_flight.as_ref().is_some_and(|(id, _)| *id == found.id) {
                self.in_flight = None;
                return Some(found);
            }
        }
        None
    }

    /// Waits for the search in flight (tests and benchmarks).
    pub fn wait(&mut self, timeout: Duration) -> Option<Found> {
        let deadline = Instant::now() + timeout;
        while self.in_flight.is_some() {
            let left = deadline.checked_duration_since(Instant::now())?;
            let found = self.found.recv_timeout(left).ok()?;
            if self.in_flight.as_ref().is_some_and(|(id, _)| *id == found.id) {
                self.in_flight = None;
                return Some(found);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests;
