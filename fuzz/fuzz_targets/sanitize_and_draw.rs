//! Fuzz target: sanitising is idempotent and leaves nothing unsafe, and no unsafe character reaches a cell
//! of any screen the reader draws for a paper with that text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use papers::app::App;
use papers::library::{Library, Paper};
use papers::sanitize::{is_unsafe, sanitize};
use papers::state::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fuzz_target!(|text: &str| {
    let once = sanitize(text);
    assert_eq!(sanitize(&once), once);
    assert!(!once.chars().any(is_unsafe), "{once:?}");

    // The parser sanitises; build the paper straight from the raw text too, as any other format might.
    let (title, abstract_text) = text.split_once('\n').unwrap_or((text, text));
    let paper = Paper::new(sanitize(title), sanitize(abstract_text), 1);
    if paper.title.is_empty() {
        return;
    }
    let mut library = Library::default();
    library.add(paper);
    let (store, _) = Store::open(std::path::Path::new("/nonexistent/papers-fuzz/state.json"));
    let app = App::new(library, store);
    for (width, height) in [(80, 24), (200, 60), (20, 5)] {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        let mut view = papers::ui::ViewState::default();
        terminal.draw(|frame| papers::ui::render(&app, &mut view, frame)).expect("draw");
        for cell in terminal.backend().buffer().content() {
            assert!(!cell.symbol().chars().any(is_unsafe), "{:?}", cell.symbol());
        }
    }
});
