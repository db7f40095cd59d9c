//! A fetch while the reader runs (`R`): today's papers from every source, kept in the library, and each
//! day kept handed to the reader as papers that arrived.

use crate::app::Msg;
use crate::fetch::{Event, Fetcher, Got};
use crate::library::Day;

/// Fetches with `fetcher`, telling `tell` what it is doing, each day's papers as it is kept, and at the
/// end how many new papers came and what failed. Runs on the thread it is called on.
pub fn run(fetcher: &Fetcher, tell: &mut dyn FnMut(Msg)) {
    let sources = fetcher.sources().to_vec();
    let total = sources.len();
    let (mut done, mut new, mut failed) = (0, 0, Vec::new());
    fetcher.fetch(&sources, &[Day::today()], &mut |event| match event {
        Event::Asking { .. } => tell(Msg::FetchProgress(format!("fetching {done}/{total}…"))),
        // Short, for the top bar: what it answered is in the outcome if it fails in the end.
        Event::Waiting { source, pause, .. } => tell(Msg::FetchProgress(format!(
            "fetching {done}/{total}: {source} asks again in {} s…",
            pause.as_secs_f64().ceil()
        ))),
        Event::Done(outcome) => {
            done += 1;
            match &outcome.result {
                Ok(Got::Kept { path, new: n, .. }) => {
                    new += n;
                    // The day was read once to be kept; reading it again here is what the reader would
                    // do at its next start, and a failure is as unlikely (the file was just written).
                    match crate::digest::load(&crate::digest::Source::File(path.clone())) {
                        Ok(digest) => tell(Msg::Arrived(digest.chunks)),
                        Err(e) => failed.push(e.to_string()),
                    }
                }
                Ok(Got::NotModified | Got::NoPapers) => {}
                Err(_) => failed.push(crate::fetch::describe(&outcome)),
            }
            tell(Msg::FetchProgress(format!("fetching {done}/{total}…")));
        }
    });
    tell(Msg::FetchDone { new, failed });
}
