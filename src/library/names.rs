//! `Names`: every author name of the library once, so that a search scores a name once however many
//! papers carry it.

use std::collections::HashMap;
use std::hash::BuildHasher;

use super::{Chunk, KeyMap, Titles};

/// The library's author names, each numbered once, in the order chunks brought them: a name is kept by
/// the chunk that brought it first (`Chunk::author_names`), and numbered after the names of the chunks
/// before (`Titles::name_starts`). A name arXiv gives a person is on some eight of a million papers,
/// and a common one on thousands; kept by each chunk of a thousand papers, nine names in ten were new
/// to their chunk.
#[derive(Debug, Default)]
pub(super) struct Names {
    /// A name's hash to its number; seeded at random, as std's maps are.
    hasher: foldhash::fast::RandomState,
    first: KeyMap<u32>,
    /// The names whose hash a name numbered before them had.
    others: HashMap<Box<str>, u32>,
    /// True once the numbers ran out: the chunks after that are left without (a chunk's numbers,
    /// half made, may be in the maps).
    full: bool,
    /// Every name hashed alike, to test the names whose hash another had first.
    #[cfg(test)]
    pub(super) collide: bool,
}

impl Names {
    /// Numbers the authors of `chunk`'s papers (final, about to join `titles`): the names new to the
    /// library are kept by the chunk, and each paper's authors are written as numbers. Leaves the chunk
    /// without them (papers' own lists are read then) when the numbers would not fit in 32 bits.
    pub(super) fn add(&mut self, titles: &Titles, chunk: &mut Chunk) {
        if self.full {
            return;
        }
        self.full = true;
        let base = titles.name_count();
        let (mut text, mut ends) = (String::new(), Vec::<u32>::new());
        let (mut ids, mut author_ends) = (Vec::new(), Vec::with_capacity(chunk.papers.len()));
        for paper in &chunk.papers {
            for name in paper.meta.as_ref().map_or(&[][..], |m| &m.authors[..]) {
                let hash = self.hasher.hash_one(name.as_str());
                #[cfg(test)]
                let hash = if self.collide { 7 } else { hash };
                let known = match self.first.get(&hash) {
                    Some(&id) if name_of(titles, base, id, &text, &ends) == Some(name.as_str()) => Some(id),
                    Some(_) => self.others.get(name.as_str()).copied(),
                    None => None,
                };
                let id = match known {
                    Some(id) => id,
                    None => {
                        let Some(id) = u32::try_from(base + ends.len()).ok().filter(|&id| id < u32::MAX) else {
                            return;
                        };
                        text.push_str(name);
                        let Ok(end) = u32::try_from(text.len()) else { return };
                        ends.push(end);
                        if let std::collections::hash_map::Entry::Vacant(free) = self.first.entry(hash) {
                            free.insert(id);
                        } else {
                            self.others.insert(name.as_str().into(), id);
                        }
                        id
                    }
                };
                ids.push(id);
            }
            let Ok(end) = u32::try_from(ids.len()) else { return };
            author_ends.push(end);
        }
        (chunk.author_names, chunk.name_ends, chunk.author_ids, chunk.author_ends) = (text, ends, ids, author_ends);
        self.full = false;
    }
}

/// The name numbered `id`: of the library's (`titles`), below `base`, else of those a chunk brings
/// (`text`, each ending at `ends`).
fn name_of<'a>(titles: &'a Titles, base: usize, id: u32, text: &'a str, ends: &[u32]) -> Option<&'a str> {
    let Some(local) = (id as usize).checked_sub(base) else { return Some(titles.author_name(id)) };
    let start = if local == 0 { 0 } else { *ends.get(local - 1)? as usize };
    text.get(start..*ends.get(local)? as usize)
}
