//! Measuring and cutting text by terminal columns as ratatui draws it, a grapheme at a time, so wide
//! characters (CJK, emoji, emoji joined into one picture) keep columns aligned.

use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;

/// The graphemes of `text` with the columns each takes, as ratatui draws them: a grapheme holding a
/// control character, or taking no column, is not drawn. Text reaches here sanitised, so that what is
/// measured is what is drawn.
pub fn graphemes(text: &str) -> impl Iterator<Item = (&str, usize)> {
    text.graphemes(true)
        .filter(|grapheme| !grapheme.contains(char::is_control))
        .map(|grapheme| (grapheme, usize::from(grapheme.cell_width())))
        .filter(|&(_, width)| width > 0)
}

/// Columns `text` takes on a terminal.
pub fn width(text: &str) -> usize {
    graphemes(text).map(|(_, width)| width).sum()
}

/// `text` cut to at most `max` columns, ending in "…" when something was cut; never inside a grapheme.
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for (grapheme, width) in graphemes(text) {
        if used + width + 1 > max {
            break;
        }
        used += width;
        out.push_str(grapheme);
    }
    if max > 0 {
        out.push('…');
    }
    out
}

/// `text` cut to at most `max` columns in its middle, "…" where it was cut: its start says what
/// happened, its end (a file's name, the reason, what to do) is kept: three fifths of the room and the
/// rest, each cut between words where that keeps half of its part.
pub fn elide_middle(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let room = max - 1;
    let tail_room = room * 2 / 5;
    let all: Vec<(&str, usize)> = graphemes(text).collect();
    let head = fitting(all.iter().copied(), room - tail_room);
    // What the head left, cut between words, goes to the end.
    let mut tail = fitting(all.iter().rev().copied(), room - width(head.concat().trim_end()));
    tail.reverse();
    format!("{}…{}", head.concat().trim_end(), tail.concat().trim_start())
}

/// The first of `graphemes` that fit in `room` columns, ending between words when that keeps half of
/// them.
fn fitting<'a>(graphemes: impl Iterator<Item = (&'a str, usize)>, room: usize) -> Vec<&'a str> {
    let (mut taken, mut used, mut next) = (Vec::new(), 0, None);
    for (grapheme, width) in graphemes {
        if used + width > room {
            next = Some(grapheme);
            break;
        }
        used += width;
        taken.push(grapheme);
    }
    let inside_a_word = |g: Option<&&str>| g.is_some_and(|g| !g.trim().is_empty());
    if inside_a_word(next.as_ref())
        && inside_a_word(taken.last())
        && let Some(space) = taken.iter().rposition(|g| g.trim().is_empty()).filter(|&at| at * 2 >= taken.len())
    {
        taken.truncate(space);
    }
    taken
}

/// Wrapping to `width` columns, between words at spaces alone: a path or a URL is not broken after each
/// `/` (textwrap's Unicode rules, which `detail` asks for in Chinese and Japanese text, would).
pub fn at_spaces(width: usize) -> textwrap::Options<'static> {
    textwrap::Options::new(width).word_separator(textwrap::WordSeparator::AsciiSpace)
}

/// How many columns of a prompt's line of `line` columns its hints (keys, choices) may take, beside
/// `typed` columns of text typed: the text keeps what it needs and a column to type on, and at least a
/// third of the line; hints that would get fewer than 12 columns are left out, not cut to nothing.
pub fn hint_room(line: usize, typed: usize) -> usize {
    let room = line.saturating_sub((typed + 2).max(line / 3));
    if room < 12 { 0 } else { room }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_message_is_cut_in_its_middle_keeping_its_end() {
        let said = "Exported 2 papers to /home/someone/papers/exports/papers-2026-12-04-3.bib";
        let cut = elide_middle(said, 40);
        assert_eq!(cut, "Exported 2 papers to…rs-2026-12-04-3.bib");
        assert!(width(&cut) <= 40);
        assert_eq!(elide_middle("short", 40), "short");
        // Between words where it can: the reason and what to do are read whole.
        let said = "Not downloaded: https://arxiv.org/pdf/2412.01234v1: the download stopped at 1048576 of \
                    2097152 bytes; d again resumes it";
        assert_eq!(elide_middle(said, 45), "Not downloaded:…bytes; d again resumes it");
        // Wide characters are never split, and the width holds.
        let wide = elide_middle("論文を書き出しました: 長い名前のファイル.bib", 21);
        assert!(width(&wide) <= 21 && wide.contains('…') && wide.ends_with(".bib"), "{wide}");
        assert_eq!(elide_middle("anything", 0), "");
    }

    #[test]
    fn a_prompt_keeps_room_for_what_is_typed_before_its_hints() {
        assert_eq!(hint_room(80, 0), 54);
        assert_eq!(hint_room(80, 40), 38);
        // A narrow line: what is typed first, and hints only where they can say something.
        assert_eq!(hint_room(33, 16), 15);
        assert_eq!(hint_room(33, 22), 0);
        assert_eq!(hint_room(10, 0), 0);
    }

    #[test]
    fn truncates_by_columns_not_bytes_or_chars() {
        assert_eq!(truncate("abcdef", 6), "abcdef");
        assert_eq!(truncate("abcdef", 5), "abcd…");
        // Each CJK character takes two columns; a cut never splits one.
        assert_eq!(truncate("中国镜像站", 6), "中国…");
        assert_eq!(width(&truncate("中国镜像站", 6)), 5);
        assert_eq!(truncate("🦀🦀🦀", 4), "🦀…");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn emoji_joined_into_one_picture_are_measured_and_cut_whole() {
        let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
        assert_eq!(width(family), 2);
        assert_eq!(width(&format!("{family}ab")), 4);
        assert_eq!(truncate(&format!("{family}{family}{family}"), 5), format!("{family}{family}…"));
        // An emoji asked to show as a picture takes two columns, as it is drawn.
        assert_eq!(width("\u{263a}\u{fe0f}"), 2);
    }
}
