//! Triage (`T`): the unread papers shown, one a screen, each starred, marked read or skipped with one key.
//!
//! The papers are fixed when triage starts (the view's unread papers, in its order), so that marking one
//! never moves the others under the keys. `u` only goes back one paper: the mark that paper got stays (the
//! list's `u` undoes marks, and does so for triage's marks too once triage is left).

use std::sync::Arc;

use super::{App, Mode, Tone};

/// What triage did with a paper, the last time it was on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Starred,
    Read,
    Skipped,
}

/// The papers being triaged and how far triage has come.
#[derive(Debug, Clone, PartialEq)]
pub struct Triage {
    /// Library indices of the papers, in the view's order.
    papers: Vec<u32>,
    /// Position of the paper on screen; `papers.len()` once the last is passed.
    at: usize,
    verdicts: Vec<Option<Verdict>>,
}

impl Triage {
    /// The library index of the paper on screen, until the last is passed.
    pub fn current(&self) -> Option<u32> {
        self.papers.get(self.at).copied()
    }

    /// Position (from 1) of the paper on screen among those triaged, and their number.
    pub fn position(&self) -> (usize, usize) {
        ((self.at + 1).min(self.papers.len()), self.papers.len())
    }

    /// True once the last paper is passed.
    pub fn done(&self) -> bool {
        self.at >= self.papers.len()
    }

    /// Papers (starred, read, skipped), each by what was last done with it.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |v: Verdict| self.verdicts.iter().filter(|d| **d == Some(v)).count();
        (count(Verdict::Starred), count(Verdict::Read), count(Verdict::Skipped))
    }

    /// What was last done with the paper on screen, when it was on screen before (after `u`).
    pub fn verdict(&self) -> Option<Verdict> {
        self.verdicts.get(self.at).copied().flatten()
    }

    /// Records `verdict` for the paper on screen and goes on. A skip of a paper starred or marked read
    /// before (after `u`) keeps that: its mark stays, and the counts say what the papers have.
    fn decide(&mut self, verdict: Verdict) {
        if let Some(slot) = self.verdicts.get_mut(self.at) {
            let marked = matches!(slot, Some(Verdict::Starred | Verdict::Read));
            if !(verdict == Verdict::Skipped && marked) {
                *slot = Some(verdict);
            }
            self.at += 1;
        }
    }
}

impl App {
    /// The triage going on, if any.
    pub fn triage(&self) -> Option<&Triage> {
        self.triage.as_ref()
    }

    /// `T`: triage the unread papers shown, from the first.
    pub(super) fn start_triage(&mut self) {
        let marks = Arc::clone(&self.derived.marks);
        let papers: Vec<u32> =
            self.results.order.iter().copied().filter(|&i| !marks.of(&self.library.get(i as usize)).1).collect();
        if papers.is_empty() {
            return self.notify("No unread papers shown to triage", Tone::Info);
        }
        self.set_mode(Mode::List);
        self.detail_scroll = 0;
        let verdicts = vec![None; papers.len()];
        self.triage = Some(Triage { papers, at: 0, verdicts });
    }

    /// `s`, `r`, `Space` in triage: the mark (none for a skip) through the one way marks change, then on.
    pub(super) fn triage_decide(&mut self, verdict: Verdict) {
        let Some(index) = self.triage.as_ref().and_then(Triage::current) else { return };
        let paper = self.library.get(index as usize);
        let (starred, read) = self.derived.marks.of(&paper);
        let target = self.target(&paper);
        match verdict {
            Verdict::Starred if !starred => {
                self.change_papers(&[target], |m| m.starred = true, "Starred");
            }
            Verdict::Read if !read => {
                self.change_papers(&[target], |m| m.read = true, "Marked read");
            }
            _ => {}
        }
        if let Some(triage) = self.triage.as_mut() {
            triage.decide(verdict);
        }
        self.detail_scroll = 0;
    }

    /// `u` in triage: the paper before, its marks as they are.
    pub(super) fn triage_back(&mut self) {
        if let Some(triage) = self.triage.as_mut() {
            triage.at = triage.at.saturating_sub(1);
            self.detail_scroll = 0;
        }
    }

    /// Esc: back to the list, the paper triage ended on selected (the last one once all are passed).
    pub(super) fn leave_triage(&mut self) {
        let Some(triage) = self.triage.take() else { return };
        let ended_on = triage.current().or_else(|| triage.papers.last().copied());
        if let Some(position) = ended_on.and_then(|i| self.results.order.iter().position(|&r| r == i)) {
            self.select(position);
        }
    }
}
