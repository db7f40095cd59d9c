//! The papers of one block: which paragraphs are titles and which abstracts, and where the last paper may go on.

use super::TextParser;
use super::header::{is_date, is_header};
use super::lines::{Line, Paragraph, paragraphs};
use super::prose::{LOW, prose_score, reads_as_abstract, reads_as_title};
use crate::library::Text;

impl TextParser {
    /// The papers of a block. `may_continue`: the text may go on past the block's end, so the paper that
    /// its last paragraph may belong to (or, with none, that paragraph) is left for the next block.
    pub(super) fn parse_block(
        &self,
        text: &str,
        lines: &[Line],
        first_line: usize,
        last: bool,
        may_continue: bool,
    ) -> Parsed {
        let mut parsed = Parsed::default();
        let all = paragraphs(text, lines);
        let mut i = 0;
        if self.at_start {
            while let Some(p) = all.get(i).filter(|p| p.lines == 1 && is_header(p.text(text))) {
                if is_date(p.text(text)) {
                    parsed.date = Some(p.text(text).to_string());
                }
                i += 1;
            }
            // The header ends where something else begins (or at the end of the file).
            parsed.header_done = i < all.len() || last;
        } else {
            parsed.header_done = true;
        }
        // Which paragraphs are titles is decided for a run of them at once, from their scores. The last
        // paragraph may not be whole yet, and the paper it may belong to may go on: everything from the
        // last paragraph before it that is surely a title waits for the next block. What comes before that
        // title is decided the same way wherever the block ends (see `SURELY_TITLE`).
        let last_paragraph = all.len().saturating_sub(1).max(i);
        let mut scores = Scores::new(text, &all[i..]);
        let end = match (i..last_paragraph).rev().find(|&j| scores.score(j - i) <= SURELY_TITLE) {
            _ if !may_continue => all.len(),
            Some(title) => title,
            None => i,
        };
        if let Some(p) = all.get(end) {
            parsed.last_paper = Some((p.start, p.first_line));
        }
        let titles = titles(&scores.up_to(end - i));

        // Each title with the paragraphs of prose after it, up to the next title: its abstract.
        let mut paper: Option<(&Paragraph, std::ops::Range<usize>)> = None;
        for (j, is_title) in (i..end).zip(titles) {
            match &mut paper {
                _ if is_title => {
                    if let Some((title, abstract_text)) = paper.replace((&all[j], j + 1..j + 1)) {
                        parsed.papers.push(Self::paper(text, title, &all[abstract_text], first_line));
                    }
                }
                Some((_, abstract_text)) => abstract_text.end = j + 1,
                None => parsed.warnings.push(format!(
                    "{}:{}: a paragraph of prose with no title before it was skipped",
                    self.name,
                    first_line + all[j].first_line
                )),
            }
        }
        if let Some((title, abstract_text)) = paper {
            parsed.papers.push(Self::paper(text, title, &all[abstract_text], first_line));
        }
        parsed
    }

    /// A paper: its title, its abstract (its paragraphs joined by a blank line) and the title's line.
    fn paper(text: &str, title: &Paragraph, abstract_text: &[Paragraph], first_line: usize) -> (Text, Text, usize) {
        let abstract_text = match abstract_text {
            [] => Text::EMPTY,
            [one] => one.to_text(),
            more => Text::Owned(more.iter().map(|p| p.text(text)).collect::<Vec<_>>().join("\n\n").into()),
        };
        (title.to_text(), abstract_text, first_line + title.first_line)
    }
}

/// What one block held.
#[derive(Default)]
pub(super) struct Parsed {
    pub(super) papers: Vec<(Text, Text, usize)>,
    pub(super) warnings: Vec<String>,
    pub(super) date: Option<String>,
    pub(super) header_done: bool,
    /// Where the last paper's title begins: a byte offset and a line index in the block.
    pub(super) last_paper: Option<(usize, usize)>,
}

/// The prose scores of a block's paragraphs, each found when it is first asked for. Most paragraphs are
/// settled at a glance: an abstract of two sentences and more, and a title between two of those, which is
/// read as a title whatever its score below `2 * FURTHER` (see `up_to`).
struct Scores<'a> {
    text: &'a str,
    paragraphs: &'a [Paragraph],
    /// `None` until asked for; abstracts at a glance from the start.
    scores: Vec<Option<i32>>,
}

impl<'a> Scores<'a> {
    fn new(text: &'a str, paragraphs: &'a [Paragraph]) -> Self {
        let scores = paragraphs.iter().map(|p| reads_as_abstract(p.text(text)).then_some(SURELY_PROSE)).collect();
        Scores { text, paragraphs, scores }
    }

    /// The score of paragraph `j`.
    fn score(&mut self, j: usize) -> i32 {
        *self.scores[j].get_or_insert_with(|| prose_score(self.paragraphs[j].text(self.text)))
    }

    /// The scores of the first `end` paragraphs, as the labelling reads them: a paragraph between two that
    /// are surely prose is a title unless it scores `2 * FURTHER` or more (read as prose, it would add its
    /// score and lose two further paragraphs' worth; the two around it are prose whatever it is), so a
    /// title that is seen at a glance to score less stands there as `SURELY_TITLE`, read as the same.
    fn up_to(&mut self, end: usize) -> Vec<i32> {
        const { assert!(LOW < 2 * FURTHER as i32) };
        let prose = |scores: &[Option<i32>], j: usize| scores.get(j) == Some(&Some(SURELY_PROSE)) && j < end;
        (0..end)
            .map(|j| match self.scores[j] {
                Some(score) => score,
                None if j > 0
                    && prose(&self.scores, j - 1)
                    && prose(&self.scores, j + 1)
                    && reads_as_title(self.paragraphs[j].text(self.text)) =>
                {
                    SURELY_TITLE
                }
                None => self.score(j),
            })
            .collect()
    }
}

/// How much less likely a title is to have no abstract than to have one, in points of the prose score
/// (see `prose`): a paragraph after a title is read as its abstract unless it reads as a title by more
/// than this, or the paragraph after it reads as prose by more than it.
const MISSING: i64 = 20;
/// How much less likely a paragraph of prose after an abstract is a further paragraph of it than a title.
const FURTHER: i64 = 20;
/// How much less likely a paragraph before the first title is prose (skipped) than a title.
const ORPHAN: i64 = 20;

/// At or below this score, a paragraph is a title wherever it stands: read as prose instead, it would
/// lose more than its neighbours could gain (two titles without an abstract at most). A block cut before
/// such a paragraph therefore parses as the same text parsed whole.
pub(super) const SURELY_TITLE: i32 = -(2 * MISSING as i32) - 1;
/// At or above this score, a paragraph is prose wherever it stands.
pub(super) const SURELY_PROSE: i32 = (if FURTHER > ORPHAN { FURTHER } else { ORPHAN }) as i32 + FURTHER as i32 + 1;

/// Which of a run of paragraphs are titles, given their prose scores: the reading that adds up best,
/// each paragraph read as prose adding its score, each title without an abstract costing `MISSING`, each
/// further paragraph of an abstract `FURTHER`, and prose before the first title `ORPHAN` (Viterbi's
/// algorithm over two states). The run is followed by a title or by the end of the file, which cost the
/// same. Ties are broken by fixed rules, so that a text always reads the same.
fn titles(scores: &[i32]) -> Vec<bool> {
    let Some((&first, rest)) = scores.split_first() else { return Vec::new() };
    // For each paragraph: whether the best reading that makes it a title (bit 0) and the best that makes
    // it prose (bit 1) has a title before it.
    let mut after_title = Vec::with_capacity(scores.len());
    after_title.push(0u8);
    let (mut title, mut prose) = (0i64, i64::from(first) - ORPHAN);
    for &score in rest {
        let (title_from_title, title_from_prose) = (title - MISSING, prose);
        let (prose_from_title, prose_from_prose) = (title + i64::from(score), prose - FURTHER + i64::from(score));
        after_title
            .push(u8::from(title_from_title > title_from_prose) | u8::from(prose_from_title >= prose_from_prose) << 1);
        title = title_from_title.max(title_from_prose);
        prose = prose_from_title.max(prose_from_prose);
    }
    let mut is_title = title - MISSING > prose;
    let mut out = vec![false; scores.len()];
    for (j, from) in after_title.iter().enumerate().rev() {
        out[j] = is_title;
        is_title = from & (1 << u8::from(!is_title)) != 0;
    }
    out
}
