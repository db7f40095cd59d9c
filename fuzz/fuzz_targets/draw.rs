//! Fuzz target: no unsafe character reaches a cell of any screen the reader draws for a paper whose title
//! and abstract come from the input (side by side, and full-width while reading).
#![no_main]

use libfuzzer_sys::fuzz_target;
use papers::app::App;
use papers::library::Library;
use papers::sanitize::{first_unsafe, sanitize};
use papers::state::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fuzz_target!(|text: &str| {
    // Text reaches a paper sanitised, as every parser leaves it; the screens must keep it safe.
    let (title, abstract_text) = text.split_once('\n').unwrap_or((text, text));
    let title = sanitize(title);
    if title.is_empty() {
        return;
    }
    let library = Library::from_papers([(title, sanitize(abstract_text))]);
    let (store, _) = Store::open(std::path::Path::new("/nonexistent/papers-fuzz/state.json"));
    let mut app = App::new(library, &store);
    let mut work = papers::work::Inline::new(store);
    let mut view = papers::ui::ViewState::default();
    // Side by side at 120 columns; at 60, the list, then the paper opened full-width.
    for (width, height, open) in [(120, 30, false), (60, 20, false), (60, 20, true)] {
        if open {
            work.dispatch(&mut app, papers::action::Action::Open);
        }
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal.draw(|frame| papers::ui::render(&app, &mut view, frame)).expect("draw");
        for cell in terminal.backend().buffer().content() {
            assert!(first_unsafe(cell.symbol()).is_none(), "{:?}", cell.symbol());
        }
    }
});
