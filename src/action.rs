//! Everything a user can ask the reader to do; keys and mouse events are turned into these by `keymap`.

use ratatui_textarea::Input;

pub mod bindings;
pub use bindings::{Bindings, Key, Place};

/// How far `<` and `>` move the split between the list and the abstract, in percent of the width.
pub const RESIZE_STEP: i32 = 5;

/// One thing the user asked for, whatever key or click asked for it (`keymap` decides which do).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Select the previous paper in the list.
    Up,
    /// Select the next paper in the list.
    Down,
    /// Move the selection up by one screen.
    PageUp,
    /// Move the selection down by one screen.
    PageDown,
    /// Select the first paper.
    First,
    /// Select the last paper.
    Last,
    /// Select the paper at this position in the list (a mouse click).
    Select(usize),
    /// Open the selected paper to read it, and mark it read.
    Open,
    /// Leave the open paper and go back to the list.
    Back,
    /// Star or unstar the selected paper.
    ToggleStar,
    /// Mark the selected paper read, or unread again.
    ToggleRead,
    /// Show all papers, then only unread ones, then only starred ones.
    CycleFilter,
    /// Select the next unread paper below the selection, wrapping around.
    NextUnread,
    /// Scroll the abstract by this many lines (negative: up).
    ScrollDetail(i32),
    /// Scroll the abstract by one screen (negative: up).
    ScrollDetailPage(i32),
    /// Scroll the abstract to its top.
    DetailTop,
    /// Scroll the abstract to its end.
    DetailBottom,
    /// Put the cursor in the search bar.
    FocusSearch,
    /// Edit the search text (typing, deleting, moving the cursor).
    SearchInput(Input),
    /// Text pasted (bracketed paste): into the input open (the search bar, a prompt, the palette), as one
    /// line; in the list, into the search bar. Never keys: a pasted line break does not run a command.
    Paste(String),
    /// Leave the search bar and keep the results, with the best match selected.
    SubmitSearch,
    /// Clear the search text; leaves the search bar when in it.
    ClearSearch,
    /// Show or hide the list of keys.
    ToggleHelp,
    /// Scroll the list of keys by this many lines (negative: up).
    ScrollHelp(i32),
    /// Stop the reader and give the shell back its terminal until `fg`.
    Suspend,
    /// Paint every cell of the screen again (Ctrl-L), after another program wrote over it (a command
    /// writing to the terminal itself, a message from the system).
    Redraw,
    /// Leave the reader.
    Quit,
    /// Leave the reader at once, as an interrupt does (Ctrl-C; exit code 130).
    Interrupt,
    /// Open the paper's page (its arXiv page, else its first link) in the web browser.
    OpenPage,
    /// Open the paper's link with this number (1-9, as numbered in the detail pane) in the web browser.
    OpenLink(usize),
    /// Copy the paper's title and page to the clipboard (through the terminal, OSC 52).
    CopyLink,
    /// Write the papers shown (filter, day and search applied) to a file, in a format chosen from a list
    /// (the configured one highlighted).
    ExportView,
    /// Copy one of the paper's arXiv id, page, BibTeX entry, or title and page, chosen from a list.
    CopyAs,
    /// Move the highlight of the list being chosen from by this many options (wrapping around).
    MoveChoice(i32),
    /// Take this option (counted from 0) of the list being chosen from.
    Choose(usize),
    /// Close the list being chosen from, choosing nothing.
    CancelChoice,
    /// Show or hide the messages pane: every warning of the session, with file and line.
    ShowMessages,
    /// Scroll the messages pane by this many lines (negative: up).
    ScrollMessages(i32),
    /// Order the list by: digest order, newest day first, title, upvotes.
    CycleSort,
    /// Show only the papers of the day before the one shown (from all days: the newest day).
    PreviousDay,
    /// Show only the papers of the day after the one shown (after the newest: all days again).
    NextDay,
    /// Close the box that tells what happened to the stars and read marks file.
    DismissAlert,
    /// Show only the papers of this day (`--day` on the command line).
    ShowDay(crate::library::Day),
    /// Fetch the day's papers from the configured sources in the background; they join the list as they
    /// come.
    Fetch,
    /// List the papers most like the selected one (from the full-text index), most alike first.
    Similar,
    /// Leave the list of similar papers for the view it replaced.
    LeaveSimilar,
    /// Add or remove tags on the selected paper (or on every paper shown), in a prompt.
    Tag,
    /// Write the selected paper's note in the editor ($VISUAL, else $EDITOR, else vi).
    EditNote,
    /// Mark every paper shown read, after asking.
    MarkAllRead,
    /// Undo the last change of a mark, tags or a note (a whole `MarkAllRead` at once).
    Undo,
    /// Edit the text of the tag prompt.
    PromptInput(Input),
    /// Complete the tag being typed in the prompt from the tags in use.
    PromptComplete,
    /// Switch the prompt between the selected paper and every paper shown.
    PromptToggleAll,
    /// Apply what the prompt says.
    PromptSubmit,
    /// Close the prompt without changing anything.
    PromptCancel,
    /// Answer the question in the status line: yes or no.
    Answer(bool),
    /// Go through the unread papers shown, one a screen, to star, mark read or skip each (see `app::triage`).
    Triage,
    /// In triage: star the paper and go to the next.
    TriageStar,
    /// In triage: mark the paper read and go to the next.
    TriageRead,
    /// In triage: go to the next paper, marking nothing.
    TriageSkip,
    /// In triage: go back to the paper before (its marks stay as they are).
    TriageBack,
    /// Leave triage, the list's selection on the paper it ended on.
    LeaveTriage,
    /// Show the list alone, titles only (no abstract pane), or both panes again.
    ToggleCompact,
    /// Move the split between the list and the abstract by this many percent of the width (negative: left).
    ResizeList(i32),
    /// Open the command palette: every action by name, fuzzy-found as its name is typed, with its keys.
    CommandPalette,
    /// Edit the text of the command palette.
    PaletteInput(Input),
    /// Move the palette's highlight by this many entries (wrapping around).
    PaletteMove(i32),
    /// Run the palette's highlighted entry, and close it.
    PaletteRun,
    /// Close the palette, running nothing.
    PaletteCancel,
    /// Put the saved search with this number (from 1, in the order of `[searches]`) in the search bar.
    SavedSearch(usize),
    /// Download the selected paper's PDF (from `[pdf] endpoint`) to the PDF folder.
    DownloadPdf,
    /// Open the selected paper's downloaded PDF with the opener, downloading it first when needed.
    OpenPdf,
    /// Run a command of `[commands]` on the selected paper, named in a prompt.
    RunCommand,
    /// Stop the commands of `[commands]` still running (and what they started).
    StopCommands,
    /// Edit the name in the command prompt.
    CommandInput(Input),
    /// Complete the name in the command prompt from the configured commands.
    CommandComplete,
    /// Run the command named in the prompt.
    CommandSubmit,
    /// Close the command prompt without running anything.
    CommandCancel,
    /// Scroll a command's output by this many lines (negative: up).
    ScrollOutput(i32),
    /// Copy a command's output to the clipboard (OSC 52).
    CopyOutput,
    /// Close a command's output.
    CloseOutput,
}
