//! Which documents of the index are papers of the library open now, and checked to be current: the
//! only ones a search may answer.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tantivy::query::doc_predicate_query::{DocPredicateQuery, FunctionPredicate};
use tantivy::{BitSet, DocId, Searcher, SegmentReader, index::SegmentId};

/// The live keys, and the documents they are in each segment, made when a search needs them.
#[derive(Default)]
pub(super) struct Live {
    keys: HashSet<u64>,
    /// Changes with `keys`.
    generation: u64,
    /// For each segment, the generation it was made at and its live documents.
    made: HashMap<SegmentId, (u64, Arc<BitSet>)>,
}

impl Live {
    pub fn insert(&mut self, key: u64) {
        if self.keys.insert(key) {
            self.generation += 1;
        }
    }

    pub fn remove(&mut self, key: u64) {
        if self.keys.remove(&key) {
            self.generation += 1;
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// A query that matches the live documents only, or `None` when every document is live (the usual
    /// case: the index holds the library open now and nothing else), which leaves searches their fast
    /// paths. Every live key has a document (a key is live once its document is committed), so when
    /// there are as many documents as live keys, each document is a live one.
    pub fn filter(&mut self, searcher: &Searcher) -> Option<DocPredicateQuery> {
        if searcher.num_docs() == self.keys.len() as u64 {
            return None;
        }
        let mut sets: HashMap<SegmentId, Arc<BitSet>> = HashMap::new();
        for segment in searcher.segment_readers() {
            let id = segment.segment_id();
            let bits = match self.made.get(&id) {
                Some((generation, bits)) if *generation == self.generation => Arc::clone(bits),
                _ => {
                    let bits = Arc::new(self.live_in(segment));
                    self.made.insert(id, (self.generation, Arc::clone(&bits)));
                    bits
                }
            };
            sets.insert(id, bits);
        }
        self.made.retain(|id, _| sets.contains_key(id));
        let sets = Arc::new(sets);
        let predicate = FunctionPredicate::from(move |segment: &SegmentReader| {
            let bits = sets.get(&segment.segment_id()).cloned();
            Ok(move |doc: DocId| bits.as_ref().is_some_and(|bits| bits.contains(doc)))
        });
        Some(predicate.into())
    }

    /// The documents of `segment` whose key is live.
    fn live_in(&self, segment: &SegmentReader) -> BitSet {
        let mut bits = BitSet::with_max_value(segment.max_doc());
        let Ok(keys) = segment.fast_fields().u64("key") else { return bits };
        for doc in segment.doc_ids_alive() {
            if keys.first(doc).is_some_and(|key| self.keys.contains(&key)) {
                bits.insert(doc);
            }
        }
        bits
    }
}
