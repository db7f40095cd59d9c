//! Tags and notes in the model: the tag prompt (`t`), with completion and "every paper shown"; the note
//! handed to the editor (`N`) and taken back; the question asked before changing many papers at once.

use ratatui::style::{Modifier, Style};
use ratatui_textarea::{Input, TextArea};

use super::{App, Command, Tone};
use crate::library::{PaperKey, PaperRef};
use crate::state::{self, Marks};

/// The tag prompt while it is open.
#[derive(Debug, Clone)]
pub struct TagPrompt {
    input: TextArea<'static>,
    /// Set: the tags go on (or off) every paper shown, not only the selected one.
    all: bool,
    /// The tags the last Tab could complete to, when more than one.
    choices: Vec<String>,
    /// Why Enter did not apply what is typed, until it is changed: shown in the prompt, which covers the
    /// status line where a message would be.
    error: Option<String>,
}

impl TagPrompt {
    pub fn input(&self) -> &TextArea<'static> {
        &self.input
    }

    /// True when the tags go to every paper shown.
    pub fn all(&self) -> bool {
        self.all
    }

    /// The tags the last Tab could complete to, when more than one.
    pub fn choices(&self) -> &[String] {
        &self.choices
    }

    /// Why Enter did not apply what is typed, until it is changed.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    fn text(&self) -> &str {
        self.input.lines().first().map_or("", String::as_str)
    }
}

/// A question waiting for y or n in the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// Mark this many papers shown read.
    MarkAllRead(usize),
    /// Put these tags on (true) or off every paper shown, this many.
    TagAll(Vec<(String, bool)>, usize),
}

impl Question {
    /// The question as the status line asks it.
    pub fn text(&self) -> String {
        match self {
            Question::MarkAllRead(1) => "Mark 1 paper read? y/n".to_string(),
            Question::MarkAllRead(n) => format!("Mark {n} papers read? y/n"),
            Question::TagAll(changes, n) => format!("{} on {n} papers? y/n", describe(changes)),
        }
    }
}

/// Tags, notes, questions and undo: the state of this module and `undo`, one field of the `App`.
#[derive(Debug, Default)]
pub(super) struct Marking {
    pub(super) prompt: Option<TagPrompt>,
    pub(super) question: Option<Question>,
    /// The paper whose note is in the editor: its keys and title, and when the note handed to the
    /// editor had changed (0: none).
    pub(super) note_for: Option<((Vec<PaperKey>, String), u64)>,
    pub(super) undo: Vec<super::undo::Step>,
}

/// What the tag prompt's text asks: each word a tag to add (`tag`, `+tag`, `#tag`) or remove (`-tag`).
/// An error names the first word that is not a tag.
pub fn parse_tags(text: &str) -> Result<Vec<(String, bool)>, String> {
    let mut changes: Vec<(String, bool)> = Vec::new();
    for word in text.split_whitespace() {
        let (on, name) = match word.strip_prefix('-') {
            Some(name) => (false, name),
            None => (true, word.strip_prefix('+').unwrap_or(word)),
        };
        let Some(name) = state::tag_name(name) else {
            return Err(format!(
                "“{}” is not a tag: letters, digits and - _ . : / only",
                crate::sanitize::message(word)
            ));
        };
        // The last word about a tag counts.
        changes.retain(|(other, _)| *other != name);
        changes.push((name, on));
    }
    Ok(changes)
}

/// `+rl -old` as the messages say it.
fn describe(changes: &[(String, bool)]) -> String {
    let words: Vec<String> =
        changes.iter().map(|(name, on)| format!("{}#{name}", if *on { "+" } else { "-" })).collect();
    words.join(" ")
}

/// The longest start that all of `names` share.
fn common_start(names: &[&String]) -> String {
    let Some(first) = names.first() else { return String::new() };
    let mut end = first.len();
    for name in &names[1..] {
        end = end.min(first.bytes().zip(name.bytes()).take_while(|(a, b)| a == b).count());
    }
    while !first.is_char_boundary(end) {
        end -= 1;
    }
    first[..end].to_string()
}

impl App {
    /// The tag prompt, while it is open.
    pub fn tag_prompt(&self) -> Option<&TagPrompt> {
        self.marking.prompt.as_ref()
    }

    /// The question waiting for y or n, if one is.
    pub fn question(&self) -> Option<&Question> {
        self.marking.question.as_ref()
    }

    /// The tags on `paper` (sorted) and its note.
    pub fn labels_of(&self, paper: &PaperRef) -> (Vec<String>, Option<String>) {
        self.derived.marks.labels_of(paper)
    }

    /// The keys `paper`'s marks are kept under (its own first when it has none yet), and its title.
    pub(super) fn target(&self, paper: &PaperRef) -> (Vec<PaperKey>, String) {
        let mut keys = self.derived.marks.keys_of(paper);
        let key = paper.key();
        if !keys.contains(&key) {
            keys.insert(0, key);
        }
        (keys, paper.title().to_string())
    }

    /// Every paper shown, as `target`s.
    pub(super) fn shown_targets(&self) -> Vec<(Vec<PaperKey>, String)> {
        self.results.order.iter().map(|&i| self.target(&self.library.get(i as usize))).collect()
    }

    /// `t`: opens the tag prompt for the selected paper.
    pub(super) fn open_tag_prompt(&mut self) {
        if self.selected_paper().is_none() {
            return self.notify("No paper to tag", Tone::Info);
        }
        let mut input = TextArea::default();
        input.set_cursor_line_style(Style::default());
        input.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
        input.set_placeholder_text("tag  -tag to remove");
        input.set_placeholder_style(Style::default().add_modifier(Modifier::DIM));
        self.marking.prompt = Some(TagPrompt { input, all: false, choices: Vec::new(), error: None });
    }

    /// Pasted text into the tag prompt, when it is open.
    pub(super) fn prompt_paste(&mut self, line: &str) -> bool {
        let Some(prompt) = &mut self.marking.prompt else { return false };
        prompt.input.insert_str(line);
        prompt.choices.clear();
        prompt.error = None;
        true
    }

    pub(super) fn prompt_input(&mut self, input: Input) {
        if let Some(prompt) = &mut self.marking.prompt {
            prompt.input.input(input);
            prompt.choices.clear();
            prompt.error = None;
        }
    }

    /// Tab: completes the word under the cursor (the last) from the tags in use; when several fit, as far
    /// as they agree, and lists them.
    pub(super) fn complete_tag(&mut self) {
        let all = self.ledger.all_tags();
        let Some(prompt) = &mut self.marking.prompt else { return };
        let text = prompt.text().to_string();
        let start = text.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let word = &text[start..];
        let sign = word.find(|c: char| !"+-#".contains(c)).unwrap_or(word.len());
        let typed = word[sign..].to_lowercase();
        let fits: Vec<&String> = all.iter().filter(|tag| tag.starts_with(&typed)).collect();
        let completed = match fits.as_slice() {
            [] => return self.notify(format!("No tag starts with “{}”", crate::sanitize::message(&typed)), Tone::Info),
            [one] => format!("{}{one} ", &text[..start + sign]),
            many => format!("{}{}", &text[..start + sign], common_start(many)),
        };
        prompt.choices = if fits.len() > 1 { fits.into_iter().cloned().collect() } else { Vec::new() };
        prompt.error = None;
        prompt.input = {
            let mut input = TextArea::new(vec![completed]);
            input.set_cursor_line_style(Style::default());
            input.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
            input.move_cursor(ratatui_textarea::CursorMove::End);
            input
        };
    }

    pub(super) fn toggle_all(&mut self) {
        if let Some(prompt) = &mut self.marking.prompt {
            prompt.all = !prompt.all;
        }
    }

    /// Enter in the prompt: tags the selected paper, or asks before tagging every paper shown.
    pub(super) fn submit_tags(&mut self) {
        let Some(prompt) = self.marking.prompt.clone() else { return };
        let changes = match parse_tags(prompt.text()) {
            Ok(changes) if changes.is_empty() => {
                self.marking.prompt = None;
                return;
            }
            Ok(changes) => changes,
            // The prompt stays open, with what was typed and why it is not taken, to be put right.
            Err(why) => {
                if let Some(open) = &mut self.marking.prompt {
                    open.error = Some(why);
                }
                return;
            }
        };
        self.marking.prompt = None;
        if prompt.all {
            let count = self.results.order.len();
            self.marking.question = Some(Question::TagAll(changes, count));
            return;
        }
        let Some(paper) = self.selected_paper() else { return };
        let target = self.target(&paper);
        self.apply_tags(vec![target], &changes);
    }

    /// Puts `changes` on the papers of `targets`, one step to undo.
    pub(super) fn apply_tags(&mut self, targets: Vec<(Vec<PaperKey>, String)>, changes: &[(String, bool)]) {
        let apply = |m: &mut Marks| {
            for (name, on) in changes {
                m.set_tag(name, *on);
            }
        };
        let count = targets.len();
        if !self.change_papers(&targets, apply, "Tags changed") {
            return self.notify(format!("{}: nothing to change", describe(changes)), Tone::Info);
        }
        if self.saving.read_only.is_none() {
            let on = if count == 1 { String::new() } else { format!(" on {count} papers") };
            self.notify(format!("Tagged {}{on} (u undoes)", describe(changes)), Tone::Info);
        }
    }

    /// y or n to the question asked.
    pub(super) fn answer(&mut self, yes: bool) {
        let Some(question) = self.marking.question.take() else { return };
        if !yes {
            return self.notify("Nothing changed", Tone::Info);
        }
        match question {
            Question::MarkAllRead(_) => self.mark_all_read(),
            Question::TagAll(changes, _) => {
                let targets = self.shown_targets();
                self.apply_tags(targets, &changes);
            }
        }
    }

    /// `N`: hands the selected paper's note to the editor (the event loop runs it, then sends
    /// `Msg::NoteEdited`).
    pub(super) fn edit_note(&mut self) {
        let Some(paper) = self.selected_paper() else { return self.notify("No paper to write a note on", Tone::Info) };
        let note = self.labels_of(&paper).1.unwrap_or_default();
        let target = self.target(&paper);
        // What the editor starts from: a note another reader saves meanwhile is kept beside what is written
        // (see `state::Note::over`).
        let over = target
            .0
            .iter()
            .filter_map(|key| self.ledger.get(key)?.note.as_ref().map(|note| note.changed))
            .max()
            .unwrap_or(0);
        self.marking.note_for = Some((target, over));
        self.outbox.push(Command::EditNote(note));
    }

    /// The editor is done: its text becomes the note (empty: no note), or, when it failed, nothing changes.
    pub(super) fn note_edited(&mut self, result: Result<String, String>) {
        let Some((target, over)) = self.marking.note_for.take() else { return };
        let text = match result {
            Ok(text) => state::note_text(&text),
            Err(why) => {
                // Kept whole in the messages (`!`): the status line may cut the editor's reason.
                self.note(super::Origin::Elsewhere, &[format!("the note is unchanged: {why}")]);
                return self.notify(format!("The note is unchanged: {why}"), Tone::Warning);
            }
        };
        let done = if text.is_empty() { "Note removed" } else { "Note saved" };
        if !self.change_papers(&[target], |m| m.set_note_over(&text, over), done) {
            self.notify("The note is unchanged", Tone::Info);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompt_adds_removes_and_lets_the_last_word_count() {
        let on = |name: &str| (name.to_string(), true);
        let off = |name: &str| (name.to_string(), false);
        assert_eq!(parse_tags("rl +Survey #ml -old").unwrap(), [on("rl"), on("survey"), on("ml"), off("old")]);
        assert_eq!(parse_tags("rl -rl").unwrap(), [off("rl")]);
        assert_eq!(parse_tags("   ").unwrap(), []);
        let error = parse_tags("ok b@d").unwrap_err();
        assert!(error.contains("b@d") && error.contains("not a tag"), "{error}");
        assert!(parse_tags("-").is_err(), "a sign alone is no tag");
    }

    #[test]
    fn completion_goes_as_far_as_the_tags_agree() {
        let (a, b, c) = ("survey".to_string(), "surveys-2024".to_string(), "rl".to_string());
        assert_eq!(common_start(&[&a, &b]), "survey");
        assert_eq!(common_start(&[&a, &c]), "");
        assert_eq!(common_start(&[&c]), "rl");
    }

    #[test]
    fn a_question_says_how_many() {
        assert_eq!(Question::MarkAllRead(37).text(), "Mark 37 papers read? y/n");
        let tags = Question::TagAll(vec![("rl".into(), true), ("old".into(), false)], 3);
        assert_eq!(tags.text(), "+#rl -#old on 3 papers? y/n");
    }
}
