//! The styles the screen is drawn with: the configuration's theme (see `config::theme`), which the model
//! holds for the session.

pub use crate::config::Theme;
