//! Keymap tests: the same key means what the mode says it means; mouse events land where they were drawn.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent};

use super::*;
use crate::app::Msg;
use crate::digest::{self, Source};
use crate::library::Library;
use crate::state::Store;
use crate::work::Inline;

/// The reader in `mode`, reached as a user reaches it; and what does its work.
fn app_and_work(mode: Mode) -> (App, Inline, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::from_chunks(digest::load(&Source::BuiltIn).unwrap().chunks);
    let (store, _) = Store::open(&dir.path().join("state.json"));
    let mut app = App::new(library, &store);
    let mut work = Inline::new(store);
    match mode {
        Mode::List => {}
        Mode::Search => work.dispatch(&mut app, Action::FocusSearch),
        Mode::Reading => work.dispatch(&mut app, Action::Open),
    }
    assert_eq!(app.mode(), mode);
    (app, work, dir)
}

fn app(mode: Mode) -> (App, tempfile::TempDir) {
    let (app, _, dir) = app_and_work(mode);
    (app, dir)
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::from(code))
}

fn with(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Event {
    Event::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE })
}

fn wide_view() -> ViewState {
    ViewState {
        wide: true,
        search: Rect::new(0, 0, 120, 1),
        list: Rect::new(1, 2, 50, 36),
        list_offset: 10,
        detail: Rect::new(54, 2, 60, 36),
        detail_lines: 80,
        ..ViewState::default()
    }
}

#[test]
fn list_keys() {
    let (app, _dir) = app(Mode::List);
    let v = ViewState::default();
    let cases = [
        (key(KeyCode::Char('j')), Some(Action::Down)),
        (key(KeyCode::Down), Some(Action::Down)),
        (key(KeyCode::Char('k')), Some(Action::Up)),
        (key(KeyCode::Char('g')), Some(Action::First)),
        (key(KeyCode::End), Some(Action::Last)),
        (with(KeyCode::Char('G'), KeyModifiers::SHIFT), Some(Action::Last)),
        (key(KeyCode::PageDown), Some(Action::PageDown)),
        (key(KeyCode::Enter), Some(Action::Open)),
        (key(KeyCode::Char('/')), Some(Action::FocusSearch)),
        (key(KeyCode::Char('s')), Some(Action::ToggleStar)),
        (key(KeyCode::Char('r')), Some(Action::ToggleRead)),
        (key(KeyCode::Char('f')), Some(Action::CycleFilter)),
        (key(KeyCode::Char('n')), Some(Action::NextUnread)),
        (with(KeyCode::Char('J'), KeyModifiers::SHIFT), Some(Action::ScrollDetail(1))),
        (with(KeyCode::Up, KeyModifiers::SHIFT), Some(Action::ScrollDetail(-1))),
        (key(KeyCode::Char('?')), Some(Action::ToggleHelp)),
        (key(KeyCode::Char('q')), Some(Action::Quit)),
        (with(KeyCode::Char('c'), KeyModifiers::CONTROL), Some(Action::Interrupt)),
        (with(KeyCode::Char('z'), KeyModifiers::CONTROL), Some(Action::Suspend)),
        (with(KeyCode::Char('l'), KeyModifiers::CONTROL), Some(Action::Redraw)),
        (with(KeyCode::Char('f'), KeyModifiers::CONTROL), Some(Action::PageDown)),
        // Esc does nothing in the list while there is no search to clear.
        (key(KeyCode::Esc), None),
        (key(KeyCode::Char('x')), None),
    ];
    for (event, expected) in cases {
        assert_eq!(action_for(&app, &event, &v), expected, "{event:?}");
    }
}

#[test]
fn in_the_search_bar_letters_are_text() {
    let (app, _dir) = app(Mode::Search);
    let v = ViewState::default();
    for c in ['q', 's', 'j', '/', '?', 'G'] {
        let action = action_for(&app, &key(KeyCode::Char(c)), &v);
        assert!(matches!(action, Some(Action::SearchInput(_))), "{c}: {action:?}");
    }
    assert_eq!(action_for(&app, &key(KeyCode::Enter), &v), Some(Action::SubmitSearch));
    assert_eq!(action_for(&app, &key(KeyCode::Esc), &v), Some(Action::ClearSearch));
    assert_eq!(action_for(&app, &key(KeyCode::Down), &v), Some(Action::Down));
    assert_eq!(action_for(&app, &with(KeyCode::Char('p'), KeyModifiers::CONTROL), &v), Some(Action::Up));
    assert_eq!(action_for(&app, &with(KeyCode::Char('c'), KeyModifiers::CONTROL), &v), Some(Action::Interrupt));
}

#[test]
fn reading_keys_scroll_and_q_goes_back() {
    let (app, _dir) = app(Mode::Reading);
    let v = ViewState::default();
    assert_eq!(action_for(&app, &key(KeyCode::Char('j')), &v), Some(Action::ScrollDetail(1)));
    assert_eq!(action_for(&app, &key(KeyCode::Char(' ')), &v), Some(Action::ScrollDetailPage(1)));
    assert_eq!(action_for(&app, &key(KeyCode::Char('q')), &v), Some(Action::Back));
    assert_eq!(action_for(&app, &key(KeyCode::Esc), &v), Some(Action::Back));
    assert_eq!(action_for(&app, &key(KeyCode::Char('s')), &v), Some(Action::ToggleStar));
}

#[test]
fn help_swallows_everything_but_its_own_keys() {
    let (mut app, mut work, _dir) = app_and_work(Mode::List);
    work.dispatch(&mut app, Action::ToggleHelp);
    let v = wide_view();
    assert_eq!(action_for(&app, &key(KeyCode::Char('s')), &v), None);
    assert_eq!(action_for(&app, &key(KeyCode::Char('/')), &v), None);
    assert_eq!(action_for(&app, &key(KeyCode::Esc), &v), Some(Action::ToggleHelp));
    // Its own keys scroll it, a page at a time by the rows it had.
    assert_eq!(action_for(&app, &key(KeyCode::Char('j')), &v), Some(Action::ScrollHelp(1)));
    assert_eq!(action_for(&app, &key(KeyCode::Up), &v), Some(Action::ScrollHelp(-1)));
    let v = ViewState { help: Rect::new(10, 5, 40, 9), ..v };
    assert_eq!(action_for(&app, &key(KeyCode::PageDown), &v), Some(Action::ScrollHelp(8)));
    assert_eq!(action_for(&app, &mouse(MouseEventKind::ScrollDown, 10, 10), &v), Some(Action::ScrollHelp(3)));
    assert_eq!(action_for(&app, &mouse(MouseEventKind::Down(MouseButton::Left), 10, 10), &v), None);
}

#[test]
fn mouse_wheel_scrolls_the_pane_under_the_pointer_and_click_selects() {
    let (app, _dir) = app(Mode::List);
    let v = wide_view();
    assert_eq!(action_for(&app, &mouse(MouseEventKind::ScrollDown, 60, 10), &v), Some(Action::ScrollDetail(3)));
    assert_eq!(action_for(&app, &mouse(MouseEventKind::ScrollUp, 60, 10), &v), Some(Action::ScrollDetail(-3)));
    assert_eq!(action_for(&app, &mouse(MouseEventKind::ScrollDown, 10, 10), &v), Some(Action::Down));
    // Row 5 of the list, which is scrolled by 10.
    let click = mouse(MouseEventKind::Down(MouseButton::Left), 10, 7);
    assert_eq!(action_for(&app, &click, &v), Some(Action::Select(15)));
    let click_search = mouse(MouseEventKind::Down(MouseButton::Left), 30, 0);
    assert_eq!(action_for(&app, &click_search, &v), Some(Action::FocusSearch));
    // Below the last paper there is nothing to select.
    let far = mouse(MouseEventKind::Down(MouseButton::Left), 10, 37);
    assert_eq!(action_for(&app, &far, &ViewState { list_offset: 60, ..v }), None);
}

#[test]
fn a_narrow_list_hides_the_detail_pane_from_the_mouse() {
    let (app, _dir) = app(Mode::List);
    let v = ViewState { wide: false, detail: Rect::default(), ..wide_view() };
    assert_eq!(action_for(&app, &mouse(MouseEventKind::ScrollDown, 60, 10), &v), None);
}

#[test]
fn the_alert_box_takes_the_keys_until_closed() {
    let (mut app, mut work, _dir) = app_and_work(Mode::List);
    work.dispatch(&mut app, Msg::Alert(vec!["state.json is damaged".to_string()]));
    let v = ViewState::default();
    for code in [KeyCode::Enter, KeyCode::Esc, KeyCode::Char('q'), KeyCode::Char(' ')] {
        assert_eq!(action_for(&app, &key(code), &v), Some(Action::DismissAlert), "{code:?}");
    }
    // Nothing else happens behind the box, but Ctrl-C still ends the reader.
    for code in [KeyCode::Char('s'), KeyCode::Char('j'), KeyCode::Char('/'), KeyCode::Char('?')] {
        assert_eq!(action_for(&app, &key(code), &v), None, "{code:?}");
    }
    assert_eq!(action_for(&app, &with(KeyCode::Char('c'), KeyModifiers::CONTROL), &v), Some(Action::Interrupt));
    work.dispatch(&mut app, Action::DismissAlert);
    assert!(app.alert().is_none());
    assert_eq!(action_for(&app, &key(KeyCode::Char('s')), &v), Some(Action::ToggleStar));
}

#[test]
fn the_keys_that_take_papers_out_and_step_through_days_work_in_the_list_and_an_open_paper() {
    let view = wide_view();
    for mode in [Mode::List, Mode::Reading] {
        let (app, _dir) = app(mode);
        let expected = [
            ('o', Action::OpenPage),
            ('1', Action::OpenLink(1)),
            ('9', Action::OpenLink(9)),
            ('y', Action::CopyLink),
            ('Y', Action::CopyAs),
            ('!', Action::ShowMessages),
            ('E', Action::ExportView),
            ('S', Action::CycleSort),
            ('[', Action::PreviousDay),
            (']', Action::NextDay),
        ];
        for (c, action) in expected {
            let modifiers = if c.is_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
            assert_eq!(action_for(&app, &with(KeyCode::Char(c), modifiers), &view), Some(action), "{c} in {mode:?}");
        }
        assert_eq!(action_for(&app, &key(KeyCode::Char('0')), &view), None, "no link 0");
    }
    // In the search bar they are text.
    let (app, _dir) = app(Mode::Search);
    for c in ['o', '1', 'y', 'E', 'S', '[', ']'] {
        assert!(matches!(action_for(&app, &key(KeyCode::Char(c)), &view), Some(Action::SearchInput(_))), "{c}");
    }
}

#[test]
fn the_tag_prompt_and_a_question_take_the_keys_and_clicks_do_nothing() {
    let (mut app, mut work, _dir) = app_and_work(Mode::List);
    let v = wide_view();
    assert_eq!(action_for(&app, &key(KeyCode::Char('t')), &v), Some(Action::Tag));
    assert_eq!(action_for(&app, &key(KeyCode::Char('A')), &v), Some(Action::MarkAllRead));
    assert_eq!(action_for(&app, &key(KeyCode::Char('u')), &v), Some(Action::Undo));
    assert_eq!(action_for(&app, &key(KeyCode::Char('N')), &v), Some(Action::EditNote));
    work.dispatch(&mut app, Action::Tag);
    // Letters are text, even those bound in the list; Tab completes, Ctrl-A switches to every paper.
    assert!(matches!(action_for(&app, &key(KeyCode::Char('q')), &v), Some(Action::PromptInput(_))));
    assert_eq!(action_for(&app, &key(KeyCode::Tab), &v), Some(Action::PromptComplete));
    assert_eq!(action_for(&app, &with(KeyCode::Char('a'), KeyModifiers::CONTROL), &v), Some(Action::PromptToggleAll));
    assert_eq!(action_for(&app, &key(KeyCode::Enter), &v), Some(Action::PromptSubmit));
    assert_eq!(action_for(&app, &key(KeyCode::Esc), &v), Some(Action::PromptCancel));
    let click = mouse(MouseEventKind::Down(crossterm::event::MouseButton::Left), 5, 14);
    assert_eq!(action_for(&app, &click, &v), None);
    work.dispatch(&mut app, Action::PromptCancel);
    work.dispatch(&mut app, Action::MarkAllRead);
    assert_eq!(action_for(&app, &key(KeyCode::Char('y')), &v), Some(Action::Answer(true)));
    assert_eq!(action_for(&app, &key(KeyCode::Char('n')), &v), Some(Action::Answer(false)));
    assert_eq!(action_for(&app, &key(KeyCode::Esc), &v), Some(Action::Answer(false)));
    assert_eq!(action_for(&app, &key(KeyCode::Char('j')), &v), None, "only y or n answers");
    assert_eq!(action_for(&app, &click, &v), None);
}

/// A paste is text for the input that takes keys, or for the search bar from the list; where keys are
/// commands (an open paper, a question, help) it is nothing.
#[test]
fn a_paste_is_text_where_text_is_typed_and_nothing_elsewhere() {
    let v = ViewState::default();
    let paste = Event::Paste("mamba\nsA".into());
    for mode in [Mode::List, Mode::Search] {
        let (app, _dir) = app(mode);
        assert_eq!(action_for(&app, &paste, &v), Some(Action::Paste("mamba\nsA".into())), "{mode:?}");
    }
    let (app, _dir) = app(Mode::Reading);
    assert_eq!(action_for(&app, &paste, &v), None);
    let (mut app, mut work, _dir) = app_and_work(Mode::List);
    work.dispatch(&mut app, Action::ToggleHelp);
    assert_eq!(action_for(&app, &paste, &v), None);
    work.dispatch(&mut app, Action::ToggleHelp);
    work.dispatch(&mut app, Action::MarkAllRead);
    assert!(app.question().is_some());
    assert_eq!(action_for(&app, &paste, &v), None);
}

#[test]
fn ctrl_u_deletes_what_was_typed_before_the_cursor_in_the_search_bar_and_the_palette() {
    let (mut app, mut work, _dir) = app_and_work(Mode::Search);
    let view = ViewState::default();
    let mut press = |app: &mut App, event: Event| {
        let action = action_for(app, &event, &view).expect("a key of the line");
        work.dispatch(app, action);
    };
    for c in "survey mamba".chars() {
        press(&mut app, key(KeyCode::Char(c)));
    }
    press(&mut app, key(KeyCode::Left));
    press(&mut app, with(KeyCode::Char('u'), KeyModifiers::CONTROL));
    // As in readline and fzf: the text before the cursor goes, what is after it stays.
    assert_eq!(app.query(), "a");
    press(&mut app, key(KeyCode::End));
    press(&mut app, with(KeyCode::Char('u'), KeyModifiers::CONTROL));
    assert_eq!(app.query(), "");
    press(&mut app, key(KeyCode::Esc));
    press(&mut app, with(KeyCode::Char('p'), KeyModifiers::CONTROL));
    for c in "star".chars() {
        press(&mut app, key(KeyCode::Char(c)));
    }
    press(&mut app, with(KeyCode::Char('u'), KeyModifiers::CONTROL));
    assert_eq!(app.palette().expect("the palette open").input().lines(), [""]);
}
