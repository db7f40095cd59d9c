//! The papers of one block: which paragraphs are titles and which abstracts, and where the last paper may go on.

use super::TextParser;
use super::header::{is_date, is_header};
use super::lines::{Line, Paragraph, paragraphs};
use super::prose::is_prose;
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
        let prose: Vec<bool> = all.iter().map(|p| is_prose(p.text(text))).collect();
        // The last paragraph may not be whole yet, and may turn out to belong to the paper before it: that
        // paper (from its title) and what follows wait for the next block.
        let last_paragraph = all.len().saturating_sub(1).max(i);
        let end = match (i..last_paragraph).rev().find(|&j| !prose[j]) {
            _ if !may_continue => all.len(),
            Some(title) => title,
            None => last_paragraph,
        };
        if let Some(p) = all.get(end) {
            parsed.last_paper = Some((p.start, p.first_line));
        }

        // (title, its abstract paragraphs).
        let mut found: Vec<(&Paragraph, Vec<&Paragraph>)> = Vec::new();
        while i < end {
            let p = &all[i];
            if prose[i] {
                match found.last_mut() {
                    Some((_, abstract_text)) => abstract_text.push(p),
                    None => parsed.warnings.push(format!(
                        "{}:{}: a paragraph of prose with no title before it was skipped",
                        self.name,
                        first_line + p.first_line
                    )),
                }
                i += 1;
                continue;
            }
            let mut abstract_text = Vec::new();
            if i + 1 < end && prose[i + 1] {
                abstract_text.push(&all[i + 1]);
                i += 1;
            }
            i += 1;
            found.push((p, abstract_text));
        }
        for (title, paragraphs) in found {
            let abstract_text = match paragraphs.as_slice() {
                [] => Text::EMPTY,
                [one] => one.to_text(),
                more => Text::Owned(more.iter().map(|p| p.text(text)).collect::<Vec<_>>().join("\n\n").into()),
            };
            parsed.papers.push((title.to_text(), abstract_text, first_line + title.first_line));
        }
        parsed
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
