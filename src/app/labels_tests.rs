//! Model tests of tags (`t`), notes (`N`), marking every paper shown read (`A`) and undo (`u`).

use super::*;
use crate::action::Action;
use crate::digest::{self, Source};
use crate::state::Store;
use crate::work::Inline;

struct Fixture {
    app: App,
    work: Inline,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::from_chunks(digest::load(&Source::BuiltIn).unwrap().chunks);
        let (store, _) = Store::open(&dir.path().join("state.json"));
        let app = App::new(library, &store);
        Fixture { app, work: Inline::new(store), dir }
    }

    fn run(&mut self, actions: impl IntoIterator<Item = Action>) {
        for action in actions {
            self.work.dispatch(&mut self.app, action);
        }
    }

    fn type_in_prompt(&mut self, text: &str) {
        for c in text.chars() {
            let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
            self.work.dispatch(&mut self.app, Action::PromptInput(key.into()));
        }
    }

    fn tag(&mut self, text: &str) {
        self.run([Action::Tag]);
        self.type_in_prompt(text);
        self.run([Action::PromptSubmit]);
    }

    fn selected_labels(&self) -> (Vec<String>, Option<String>) {
        self.app.labels_of(&self.app.selected_paper().unwrap())
    }

    fn saved(&self) -> Store {
        Store::open(&self.dir.path().join("state.json")).0
    }

    fn message(&self) -> String {
        self.app.message().map(|(text, _)| text.clone()).unwrap_or_default()
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_prompt_tags_the_selected_paper_and_the_tag_is_saved() {
    let mut f = Fixture::new();
    f.tag("rl +survey");
    assert!(f.app.tag_prompt().is_none(), "Enter closes the prompt");
    assert_eq!(f.selected_labels().0, strings(&["rl", "survey"]));
    assert!(f.message().starts_with("Tagged +#rl +#survey"), "{}", f.message());
    let key = f.app.selected_paper().unwrap().key();
    assert_eq!(f.saved().marks(&key).unwrap().tags().collect::<Vec<_>>(), ["rl", "survey"]);
    f.tag("-rl");
    assert_eq!(f.selected_labels().0, strings(&["survey"]));
    // The next paper has none.
    f.run([Action::Down]);
    assert!(f.selected_labels().0.is_empty());
}

#[test]
fn a_bad_tag_keeps_the_prompt_open_and_esc_changes_nothing() {
    let mut f = Fixture::new();
    f.tag("fine b@d");
    let prompt = f.app.tag_prompt().expect("the prompt stays, to put the tag right");
    // Said in the prompt, which covers the status line where a message would be.
    let why = prompt.error().unwrap_or_default();
    assert!(why.contains("b@d") && why.contains("not a tag"), "{why}");
    // Put right, the reason goes.
    f.type_in_prompt("x");
    assert_eq!(f.app.tag_prompt().and_then(TagPrompt::error), None);
    f.run([Action::PromptSubmit]);
    assert!(f.app.tag_prompt().unwrap().error().is_some(), "still not a tag");
    f.run([Action::PromptCancel]);
    assert!(f.app.tag_prompt().is_none());
    assert!(f.selected_labels().0.is_empty());
    assert!(!f.dir.path().join("state.json").exists(), "nothing saved");
}

#[test]
fn tab_completes_from_the_tags_in_use() {
    let mut f = Fixture::new();
    f.tag("reinforcement survey-2024 surveys");
    f.run([Action::Down, Action::Tag]);
    f.type_in_prompt("+rein");
    f.run([Action::PromptComplete]);
    assert_eq!(f.app.tag_prompt().unwrap().input().lines()[0], "+reinforcement ");
    f.type_in_prompt("sur");
    f.run([Action::PromptComplete]);
    assert_eq!(f.app.tag_prompt().unwrap().input().lines()[0], "+reinforcement survey");
    assert_eq!(f.app.tag_prompt().unwrap().choices(), strings(&["survey-2024", "surveys"]));
    f.run([Action::PromptSubmit]);
    // `survey` is a new tag of its own: completion went only as far as the two agree.
    assert_eq!(f.selected_labels().0, strings(&["reinforcement", "survey"]));
}

#[test]
fn ctrl_a_tags_every_paper_shown_after_asking() {
    let mut f = Fixture::new();
    f.run([Action::Tag, Action::PromptToggleAll]);
    f.type_in_prompt("batch");
    f.run([Action::PromptSubmit]);
    let count = f.app.results().len();
    assert_eq!(f.app.question(), Some(&Question::TagAll(vec![("batch".into(), true)], count)));
    f.run([Action::Answer(false)]);
    assert!(f.selected_labels().0.is_empty(), "no: nothing tagged");
    f.run([Action::Tag, Action::PromptToggleAll]);
    f.type_in_prompt("batch");
    f.run([Action::PromptSubmit, Action::Answer(true)]);
    let tagged = f.app.results().iter().filter(|&&i| {
        let paper = f.app.library().get(i as usize);
        f.app.labels_of(&paper).0 == ["batch"]
    });
    assert_eq!(tagged.count(), count);
    // One step undoes them all.
    f.run([Action::Undo]);
    assert!(f.app.results().iter().all(|&i| f.app.labels_of(&f.app.library().get(i as usize)).0.is_empty()));
}

#[test]
fn a_tag_search_shows_the_papers_with_that_tag() {
    let mut f = Fixture::new();
    f.run([Action::Down, Action::Down]);
    let title = f.app.selected_paper().unwrap().title().to_string();
    f.tag("pick");
    let search = |f: &mut Fixture, query: &str| -> Vec<String> {
        f.run([Action::FocusSearch, Action::ClearSearch, Action::FocusSearch]);
        for c in query.chars() {
            let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
            f.work.dispatch(&mut f.app, Action::SearchInput(key.into()));
        }
        f.app.results().iter().map(|&i| f.app.library().get(i as usize).title().to_string()).collect()
    };
    assert_eq!(search(&mut f, "#pick"), [title.as_str()]);
    // The filter language's forms of it: `tag:` (any case), and with the operators.
    assert_eq!(search(&mut f, "tag:PICK"), [title.as_str()]);
    assert_eq!(search(&mut f, "tag:other"), Vec::<String>::new());
    assert_eq!(search(&mut f, "NOT #pick").len(), 82);
    assert_eq!(search(&mut f, "#pick OR #other"), [title]);
}

#[test]
fn a_marks_all_shown_read_after_asking_and_u_undoes_it_in_one_step() {
    let mut f = Fixture::new();
    f.run([Action::ToggleStar]);
    f.run([Action::MarkAllRead]);
    assert_eq!(f.app.question().map(Question::text).as_deref(), Some("Mark 83 papers read? y/n"));
    assert_eq!(f.app.unread_count(), 83, "nothing before the answer");
    f.run([Action::Answer(true)]);
    assert_eq!(f.app.unread_count(), 0);
    assert_eq!(f.saved().all_marks().filter(|(_, m)| m.read).count(), 83);
    f.run([Action::Undo]);
    assert_eq!(f.app.unread_count(), 83);
    assert!(f.message().contains("83 papers marked read"), "{}", f.message());
    assert_eq!(f.saved().all_marks().filter(|(_, m)| m.read).count(), 0, "the undo is saved");
    assert_eq!(f.app.starred_count(), 1, "the star made before stays");
    // Undo again: the star.
    f.run([Action::Undo]);
    assert_eq!(f.app.starred_count(), 0);
    f.run([Action::Undo]);
    assert_eq!(f.message(), "Nothing to undo");
}

#[test]
fn undo_takes_back_a_note_and_a_read_mark_in_turn() {
    let mut f = Fixture::new();
    f.run([Action::Open, Action::Back]);
    f.work.dispatch(&mut f.app, Msg::NoteEdited(Ok(String::new())));
    // A note edited with no `N` asked for is ignored.
    assert_eq!(f.selected_labels().1, None);
    f.app.marking.note_for = Some((f.app.target(&f.app.selected_paper().unwrap()), 0));
    f.work.dispatch(&mut f.app, Msg::NoteEdited(Ok("  first thoughts \n".into())));
    assert_eq!(f.selected_labels().1.as_deref(), Some("first thoughts"));
    f.run([Action::Undo]);
    assert_eq!(f.selected_labels().1, None);
    assert!(f.app.is_read(&f.app.selected_paper().unwrap()));
    f.run([Action::Undo]);
    assert!(!f.app.is_read(&f.app.selected_paper().unwrap()), "opening's read mark is a change too");
}

#[test]
fn a_failing_editor_changes_nothing_and_says_so() {
    let mut f = Fixture::new();
    f.app.marking.note_for = Some((f.app.target(&f.app.selected_paper().unwrap()), 0));
    f.work.dispatch(&mut f.app, Msg::NoteEdited(Ok("kept".into())));
    f.app.marking.note_for = Some((f.app.target(&f.app.selected_paper().unwrap()), 0));
    f.work.dispatch(&mut f.app, Msg::NoteEdited(Err("the editor vi failed (exit status: 1)".into())));
    assert_eq!(f.selected_labels().1.as_deref(), Some("kept"));
    assert!(f.message().contains("unchanged") && f.message().contains("failed"), "{}", f.message());
    // An empty file removes the note.
    f.app.marking.note_for = Some((f.app.target(&f.app.selected_paper().unwrap()), 0));
    f.work.dispatch(&mut f.app, Msg::NoteEdited(Ok("\n\n".into())));
    assert_eq!(f.selected_labels().1, None);
    assert_eq!(f.message(), "Note removed");
}
