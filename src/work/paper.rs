//! The model's tools on a paper, each on a thread of its own: a PDF downloaded (`pdf`), reporting its
//! progress, and a configured command run (`command`).

use std::sync::mpsc;

use super::Wake;
use crate::app::{Msg, PdfNews};
use crate::config::Fetching;
use crate::fetch::http::Client;
use crate::fetch::pdf::{self, Job};
use crate::outward::run;

/// Downloads `job`, telling `tell` how far it came and at last how it ended. Runs on the calling thread.
pub fn download(id: &str, job: &Job, fetching: &Fetching, tell: &mut dyn FnMut(Msg)) {
    let client = Client::new(fetching);
    let result = pdf::download(&client, job, &mut |got, total| {
        tell(Msg::Pdf(PdfNews::Progress { id: id.to_string(), got, total }));
    });
    tell(Msg::Pdf(PdfNews::Done { id: id.to_string(), result }));
}

/// Starts `work` on a thread called `name`, its messages sent to `outbox` (waking the loop); when no
/// thread can be had, the message `failed` makes, at once.
pub fn spawn(
    name: &str,
    outbox: &mpsc::Sender<Msg>,
    wake: &Wake,
    work: impl FnOnce(&mut dyn FnMut(Msg)) + Send + 'static,
    failed: impl FnOnce(String) -> Msg,
) -> Option<Msg> {
    let (outbox, wake) = (outbox.clone(), std::sync::Arc::clone(wake));
    let started = std::thread::Builder::new().name(name.into()).spawn(move || {
        work(&mut |msg| {
            if outbox.send(msg).is_ok() {
                wake();
            }
        })
    });
    started.err().map(|e| failed(format!("cannot start a thread: {e}")))
}

/// Runs a command as `Command::RunCommand` asks: `Msg::Wrote` with what came on its output while it
/// runs, answering `Msg::Ran` when it ends.
pub fn command(name: String, argv: &[String], input: Vec<u8>, timeout: std::time::Duration, tell: &mut dyn FnMut(Msg)) {
    let ran = run::run(argv, input, timeout, crate::app::OUTPUT_CAP, &mut |so_far| {
        tell(Msg::Wrote { name: name.clone(), more: so_far.to_vec() });
    });
    tell(Msg::Ran { name, ran });
}
