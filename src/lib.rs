//! papers: a terminal reader for research-paper digests.
//!
//! The crate is a library with a thin binary, so that tests drive everything without a terminal.
//! Data flows one way: a digest file is parsed into papers, the papers and the saved marks make the model,
//! keys become actions, actions change the model, and the screen is drawn from the model.
//!
//! - [`cli`]: the command line (clap) and the non-interactive commands (`papers list`).
//! - [`digest`]: input formats → papers: the text digest, Hugging Face JSON, arXiv feeds and JSON Lines,
//!   told from the content and read a block at a time; knows nothing of the terminal; errors name the file
//!   and line.
//! - [`loader`]: reads the rest of large digests on a thread while the reader runs.
//! - [`sanitize`]: strips escape sequences and control characters from untrusted text.
//! - [`links`]: the web links in a paper's text, and which links may leave the reader (http and https only).
//! - [`library`]: papers as spans of their digest's text with what the formats tell beyond it, their
//!   stable `PaperKey` (arXiv id or title), and the collection of every paper opened, copies merged.
//! - [`search`]: fuzzy ranking and highlight positions, on a thread of its own; the only user of the
//!   fuzzy matcher.
//! - [`state`]: stars and read marks; loading with recovery, atomic saving.
//! - [`app`]: the model, `App`, and `App::update(Action)`, the only place that changes it.
//! - [`action`]: every action a user can take, one documented variant each.
//! - [`keymap`]: (mode, key or mouse event) → action; pure.
//! - [`ui`]: draws the model into a frame: search bar, list, detail pane, status line, help.
//! - [`outward`]: what leaves the reader: links to the browser, text to the clipboard (OSC 52), files.
//! - [`export`]: papers as BibTeX, Markdown, JSON or CSV.
//! - [`tui`]: the terminal: raw mode and its restoration, signals, and the event loop.

pub mod action;
pub mod app;
pub mod cli;
pub mod digest;
pub mod export;
pub mod keymap;
pub mod library;
pub mod links;
pub mod outward;
pub mod sanitize;
pub mod search;
pub mod state;
pub mod tui;
pub mod ui;
pub mod work;
