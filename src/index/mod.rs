//! The full-text index of titles, abstracts and authors, with text queries and similar papers. The one
//! module that uses tantivy.
//!
//! The index is kept in the cache directory (`$XDG_CACHE_HOME/papers/index`) across sessions and digests:
//! a paper is a document under its key (`PaperKey::hash64`: its arXiv id, else its title), with a
//! fingerprint of the text indexed, so that a paper already indexed is passed over and one whose text
//! changed is indexed again. Only the words are kept (with their positions, for phrases); the text stays
//! in the digests. The index may hold papers of other digests than the one open: the papers of the
//! library open now are "live", and only those are ever answered (see `live`), so that a paper that is
//! gone, or one not checked yet, never comes back.
//!
//! An index that cannot be opened (damaged, of another version of papers) is built again; one that
//! cannot be written (a full disk, another papers writing it) serves what it has and says so.

mod doc;
mod fields;
mod live;
mod query;
mod similar;
mod store;
mod tokens;

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexReader, IndexWriter, Searcher};

pub use doc::{Batch, Doc, OwnedDoc, key_of};
use fields::{Fields, fingerprint};
pub use query::{Highlighter, TextQuery};
pub use store::default_dir;

/// The version of what this build writes into the index: an index of another is built again.
/// 3: words of Chinese, Japanese and Korean kept as pairs of characters and as single ones (see `tokens`).
const FORMAT: u64 = 3;

/// A paper the index found: its key's hash, and how well it matched (BM25; for similar papers, the share
/// of the paper's own score, 0 to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub key: u64,
    pub score: f32,
}

/// What taking in a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Taken {
    /// Papers already indexed with the same text.
    pub kept: usize,
    /// Papers indexed now (searchable once committed).
    pub added: usize,
}

/// The full-text index, open.
pub struct Index {
    index: tantivy::Index,
    reader: IndexReader,
    /// `None` while another process writes the index (or writing failed): searches go on.
    writer: Option<IndexWriter>,
    fields: Fields,
    /// The fingerprint of every paper in the index (committed, or added since), by key.
    known: HashMap<u64, u64>,
    live: live::Live,
    /// Keys added since the last commit: live once it is done.
    uncommitted: Vec<u64>,
    /// Where it is kept (`None` in memory): a damage found while searching is marked there (see `guarded`).
    dir: Option<std::path::PathBuf>,
    /// Why the writer could not be taken, the last time it was asked for.
    unwritable: Option<String>,
}

/// The least similarity (a share of the paper's own score) that a similar paper is shown with.
const MIN_SIMILARITY: f32 = 0.02;

/// Bytes tantivy may hold of documents being indexed before it writes a segment.
const WRITER_MEMORY: usize = 64 << 20;

impl Index {
    /// Opens the index in `dir` for reading and writing, creating it, or building it again when it is
    /// damaged or of another version. The message says what was done beyond opening it, for the user.
    pub fn open(dir: &std::path::Path) -> Result<(Index, Option<String>), String> {
        store::open(dir)
    }

    /// An index in memory, for tests and for commands that must not write the cache.
    pub fn in_memory() -> Result<Index, String> {
        let (schema, fields) = Fields::schema();
        let mut index = tantivy::Index::create_in_ram(schema);
        index.set_tokenizers(fields::tokenizers());
        let mut index = Index::from_parts(index, fields)?;
        index.take_writer()?;
        Ok(index)
    }

    /// The index around an opened tantivy index, for reading (see `take_writer`): its reader, and the
    /// fingerprints it holds.
    fn from_parts(index: tantivy::Index, fields: Fields) -> Result<Index, String> {
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| e.to_string())?;
        let mut opened = Index {
            index,
            reader,
            writer: None,
            fields,
            known: HashMap::new(),
            live: live::Live::default(),
            uncommitted: Vec::new(),
            dir: None,
            unwritable: None,
        };
        opened.known = opened.read_known()?;
        Ok(opened)
    }

    /// Takes the writer, when no other process holds it.
    pub fn take_writer(&mut self) -> Result<(), String> {
        if self.writer.is_some() {
            return Ok(());
        }
        let options = tantivy::indexer::IndexWriterOptions::builder()
            .memory_budget_per_thread(WRITER_MEMORY)
            .num_worker_threads(1)
            .num_merge_threads(1)
            .build();
        let why = match self.index.writer_with_options(options) {
            Ok(writer) => {
                self.writer = Some(writer);
                self.unwritable = None;
                // What another process indexed while it held the writer is known, not indexed again.
                return self.refresh();
            }
            Err(tantivy::TantivyError::LockFailure(..)) => {
                "another papers process is updating the full-text index".to_string()
            }
            Err(e) => format!("cannot write the full-text index: {e}"),
        };
        self.unwritable = Some(why.clone());
        Err(why)
    }

    /// Reads again what is committed, when another process wrote the index since: its papers are known
    /// from now on (those of the library open here become live as they are taken in).
    pub fn refresh(&mut self) -> Result<(), String> {
        let before = self.reader.searcher().generation().generation_id();
        self.reader.reload().map_err(|e| format!("cannot read the full-text index: {e}"))?;
        if self.reader.searcher().generation().generation_id() != before && self.uncommitted.is_empty() {
            self.known = self.read_known()?;
        }
        Ok(())
    }

    /// True while this process can add papers.
    pub fn writable(&self) -> bool {
        self.writer.is_some()
    }

    /// Every paper's fingerprint in the index as committed, by key.
    fn read_known(&self) -> Result<HashMap<u64, u64>, String> {
        let searcher = self.reader.searcher();
        let mut known = HashMap::with_capacity(searcher.num_docs() as usize);
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let keys = fast.u64("key").map_err(|e| e.to_string())?;
            let prints = fast.u64("print").map_err(|e| e.to_string())?;
            for doc in segment.doc_ids_alive() {
                if let (Some(key), Some(print)) = (keys.first(doc), prints.first(doc)) {
                    known.insert(key, print);
                }
            }
        }
        Ok(known)
    }

    /// Takes in a batch of the library's papers: those indexed with the same text already are live at
    /// once; the others are indexed, and live after the next commit. Fails when the index cannot be
    /// written; the papers before the failure are taken.
    pub fn take(&mut self, batch: &Batch) -> Result<Taken, String> {
        let mut taken = Taken::default();
        let mut failed = None;
        batch.for_each(|doc| {
            if failed.is_some() {
                return;
            }
            match self.take_one(&doc) {
                Ok(true) => taken.added += 1,
                Ok(false) => taken.kept += 1,
                Err(why) => failed = Some(why),
            }
        });
        failed.map_or(Ok(taken), Err)
    }

    /// Takes in one paper; true when it had to be indexed.
    pub fn take_one(&mut self, doc: &Doc) -> Result<bool, String> {
        let print = fingerprint(doc);
        if self.known.get(&doc.key) == Some(&print) {
            if !self.uncommitted.contains(&doc.key) {
                self.live.insert(doc.key);
            }
            return Ok(false);
        }
        let Some(writer) = &self.writer else {
            return Err(self.unwritable.clone().unwrap_or_else(|| "the full-text index is not writable".to_string()));
        };
        if self.known.contains_key(&doc.key) {
            writer.delete_term(self.fields.key_term(doc.key));
            self.live.remove(doc.key);
        }
        writer.add_document(self.fields.document(doc, print)).map_err(|e| format!("cannot index a paper: {e}"))?;
        self.known.insert(doc.key, print);
        self.uncommitted.push(doc.key);
        Ok(true)
    }

    /// Papers added and not committed yet.
    pub fn uncommitted(&self) -> usize {
        self.uncommitted.len()
    }

    /// Makes what was added searchable (and durable).
    pub fn commit(&mut self) -> Result<(), String> {
        let Some(writer) = self.writer.as_mut() else { return Ok(()) };
        if self.uncommitted.is_empty() {
            return Ok(());
        }
        if let Err(e) = writer.commit() {
            // What was added is lost with the failed commit: those papers are indexed again next time.
            let _ = writer.rollback();
            for key in self.uncommitted.drain(..) {
                self.known.remove(&key);
            }
            return Err(format!("cannot write the full-text index: {e}"));
        }
        self.reader.reload().map_err(|e| format!("cannot read the full-text index: {e}"))?;
        for key in std::mem::take(&mut self.uncommitted) {
            self.live.insert(key);
        }
        Ok(())
    }

    /// Papers of the library open now that are searchable.
    pub fn live(&self) -> usize {
        self.live.len()
    }

    /// Papers in the index, of any digest.
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The live papers that match `query`, best first, at most `limit`. An error that says the index
    /// is damaged (see `guarded`) starts with `DAMAGED`.
    pub fn search(&mut self, query: &TextQuery, limit: usize) -> Result<Vec<Hit>, String> {
        self.guarded(|index| {
            let Some(query) = query.query(&index.fields) else { return Ok(Vec::new()) };
            let searcher = index.reader.searcher();
            index.top(&searcher, query, limit, None)
        })
    }

    /// The live papers most like `doc` (not `doc` itself), most alike first, at most `limit`, each
    /// scored by its share of the score `doc` itself would have. Errors as `search`'s.
    pub fn similar(&mut self, doc: &Doc, limit: usize) -> Result<Vec<Hit>, String> {
        self.guarded(|index| index.similar_unguarded(doc, limit))
    }

    /// Runs a search `f` of the index. Files damaged after the index was opened (a disk's fault, a
    /// crash while another program wrote them) show only when a search reads them: tantivy then fails
    /// with an error that says so, or panics (an index out of bounds). Either way the index is marked
    /// as damaged where it is kept, so that it is built again the next time it is opened, and the error
    /// says so; no hook prints the panic. A panic in papers' own code is a bug, not damage: said as one,
    /// and the index left as it is.
    fn guarded<T>(&mut self, f: impl FnOnce(&mut Index) -> Result<T, Fault>) -> Result<T, String> {
        let why = match crate::panics::catching(|| f(self)) {
            Ok(Ok(found)) => return Ok(found),
            Ok(Err(Fault::Other(why))) => return Err(why),
            Ok(Err(Fault::Damaged(why))) => why,
            // "panicked at /…/tantivy-0.27.0/src/….rs:1:2:\nindex out of bounds": what tantivy said.
            Err(panicked) => {
                let said = panicked.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("a panic").to_string();
                // The place of a panic in papers' own code is its path in the crate.
                if panicked.starts_with("panicked at src/") {
                    let place = panicked.lines().next().unwrap_or_default().trim_end_matches(':');
                    return Err(format!(
                        "the full-text search stopped on a bug in papers ({said}, {place}); please report it"
                    ));
                }
                said
            }
        };
        let marked = match &self.dir {
            Some(dir) => match store::mark_damaged(dir, &why) {
                Ok(()) => "; it is built again the next time papers opens it".to_string(),
                Err(e) => format!("; remove {} to have it built again ({e})", crate::sanitize::quote_path(dir)),
            },
            None => String::new(),
        };
        Err(format!("{DAMAGED} ({why}){marked}"))
    }

    fn similar_unguarded(&mut self, doc: &Doc, limit: usize) -> Result<Vec<Hit>, Fault> {
        let searcher = self.reader.searcher();
        let Some(query) = similar::query(&searcher, &self.fields, doc).map_err(Fault::of)? else {
            return Ok(Vec::new());
        };
        let own = self.own_score(&searcher, query.as_ref(), doc.key)?;
        let mut hits = self.top(&searcher, query, limit.saturating_add(1), Some(doc.key))?;
        hits.truncate(limit);
        let scale = own.or(hits.first().map(|h| h.score)).unwrap_or(1.0).max(f32::MIN_POSITIVE);
        for hit in &mut hits {
            hit.score = (hit.score / scale).min(1.0);
        }
        // Below this a paper shares a word or two with it by chance: it says nothing of what it is about.
        hits.retain(|hit| hit.score >= MIN_SIMILARITY);
        Ok(hits)
    }

    /// The score of the paper under `key` for `query`, when it is in the index.
    fn own_score(&self, searcher: &Searcher, query: &dyn Query, key: u64) -> Result<Option<f32>, Fault> {
        let term = TermQuery::new(self.fields.key_term(key), IndexRecordOption::Basic);
        let found = searcher.search(&term, &TopDocs::with_limit(1).order_by_score()).map_err(Fault::of)?;
        let Some((_, address)) = found.first() else { return Ok(None) };
        Ok(query.explain(searcher, *address).ok().map(|e| e.value()))
    }

    /// The best `limit` live papers for `query`, leaving out the one under `except`.
    fn top(
        &mut self,
        searcher: &Searcher,
        query: Box<dyn Query>,
        limit: usize,
        except: Option<u64>,
    ) -> Result<Vec<Hit>, Fault> {
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(filter) = self.live.filter(searcher) {
            // Counts nothing towards the score: it only keeps out what is not live.
            parts.push((Occur::Must, Box::new(BoostQuery::new(Box::new(filter), 0.0))));
        }
        if let Some(key) = except {
            let term = TermQuery::new(self.fields.key_term(key), IndexRecordOption::Basic);
            parts.push((Occur::MustNot, Box::new(term)));
        }
        let query: Box<dyn Query> = if parts.is_empty() {
            query
        } else {
            parts.push((Occur::Must, query));
            Box::new(BooleanQuery::new(parts))
        };
        // No more than the index holds: the collector makes room for `limit` hits before it searches.
        let most = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let found = searcher
            .search(query.as_ref(), &TopDocs::with_limit(limit.min(most).max(1)).order_by_score())
            .map_err(Fault::of)?;
        let mut keys: HashMap<u32, tantivy::columnar::Column<u64>> = HashMap::new();
        let mut hits = Vec::with_capacity(found.len());
        for (score, address) in found {
            let column = match keys.entry(address.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let segment = searcher.segment_reader(address.segment_ord);
                    e.insert(segment.fast_fields().u64("key").map_err(Fault::of)?)
                }
            };
            if let Some(key) = column.first(address.doc_id) {
                hits.push(Hit { key, score });
            }
        }
        Ok(hits)
    }
}

/// How an error of a search that found the index damaged begins (see `Index::guarded`).
pub const DAMAGED: &str = "the full-text index is damaged";

/// Why a search failed: the index's files are damaged, or something else (said whole).
enum Fault {
    Damaged(String),
    Other(String),
}

impl Fault {
    fn of(error: tantivy::TantivyError) -> Fault {
        use tantivy::TantivyError;
        // The files are memory-mapped: reading them fails on what they hold (a term dictionary of no
        // known type, "Fst data is corrupted", a length past the end). A file gone (another papers
        // merged segments meanwhile) or not readable is no damage of the index.
        use std::io::ErrorKind;
        match &error {
            TantivyError::DataCorruption(_) => Fault::Damaged(error.to_string()),
            TantivyError::IoError(io)
                if !matches!(
                    io.kind(),
                    ErrorKind::NotFound | ErrorKind::PermissionDenied | ErrorKind::Interrupted | ErrorKind::OutOfMemory
                ) =>
            {
                Fault::Damaged(error.to_string())
            }
            _ => Fault::Other(format!("cannot search the full-text index: {error}")),
        }
    }
}

#[cfg(test)]
mod tests;
