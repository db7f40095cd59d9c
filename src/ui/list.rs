//! The paper list: one row a paper with its read and star marks and the title, search matches highlighted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};
use unicode_segmentation::UnicodeSegmentation;

use super::ViewState;
use super::text::{graphemes, width};
use crate::app::{App, Filter, Mode};
use crate::library::PaperRef;
use crate::search::{Highlighter, Query};

/// Columns before the title: a space, the unread mark, a space, the star, a space.
const MARKS_WIDTH: usize = 5;

/// The narrowest list (inside its border) that shows the upvotes and the day beside titles: the list pane
/// of a 100-column terminal is 43 wide, which leaves a title over 20 columns.
const FACTS_FROM: u16 = 40;

pub fn render(app: &App, area: Rect, view: &mut ViewState, frame: &mut Frame) {
    let theme = app.theme();
    let focused = app.mode() != Mode::Reading;
    let title = match app.filter() {
        Filter::All => " Papers ",
        Filter::Unread => " Unread papers ",
        Filter::Starred => " Starred papers ",
    };
    // The title of the paper whose similar papers these are, cut to leave room for the way back.
    let room = usize::from(area.width).saturating_sub(30).max(8);
    let like = app.similar_to().map(|p| format!(" Papers like “{}” · Esc: back ", super::truncate(p.title(), room)));
    let title = like.as_deref().unwrap_or(title);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(if focused { theme.border_focused } else { theme.border })
        .title(Span::styled(title, theme.pane_title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    view.list = inner;

    let results = app.results();
    if results.is_empty() {
        view.list_offset = 0;
        // A column in from each border, for every line the message wraps to.
        let text = inner.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
        frame.render_widget(Paragraph::new(empty_message(app)).wrap(Wrap { trim: false }), text);
        return;
    }
    let height = usize::from(inner.height);
    view.list_offset = scroll_offset(view.list_offset, app.selected(), results.len(), height);

    // Highlights for the query the results are for (a newer one may still be searching).
    let query = Query::new(app.results_query());
    let mut matcher = (!query.is_empty()).then(|| query.highlighter());
    // Days are shown when there is more than one to tell apart, and only where titles keep room: from
    // the list pane of a 100-column terminal on, the title is cut rather than the day and upvotes.
    let wide = inner.width >= FACTS_FROM;
    let days = app.days();
    // Days: none when all papers are of one day, or one day is viewed (`[`, `]`: a paper's latest day
    // would contradict it); with the year when they span more than one.
    let show_days = match (days.first(), days.last()) {
        (Some(first), Some(last)) if wide && first != last && app.day().is_none() => Some(first.year() != last.year()),
        _ => None,
    };
    // Only the rows that fit are built, and only their matches are located.
    for (row, position) in (view.list_offset..results.len()).take(height).enumerate() {
        let paper = app.library().get(results[position] as usize);
        let facts = if wide { row_facts(&paper, show_days) } else { String::new() };
        let facts = match app.similarity(results[position]) {
            Some(alike) if facts.is_empty() => format!("{:.0}%", alike * 100.0),
            Some(alike) => format!("{:.0}%  {facts}", alike * 100.0),
            None => facts,
        };
        // A column for the watch list's mark only when there is a watch list.
        let watched = app.has_watch_list().then(|| app.watched(results[position]).is_some());
        let line = row_line(app, &paper, matcher.as_mut(), usize::from(inner.width), &facts, watched);
        let line = if position == app.selected() { line.patch_style(theme.selected) } else { line };
        let row_area = Rect { y: inner.y + row as u16, height: 1, ..inner };
        frame.render_widget(line, row_area);
    }
}

/// The first row to show so that the selection is visible, moving as little as possible.
fn scroll_offset(previous: usize, selected: usize, len: usize, height: usize) -> usize {
    if height == 0 {
        return selected;
    }
    let mut offset = previous.min(len.saturating_sub(height));
    if selected < offset {
        offset = selected;
    } else if selected >= offset + height {
        offset = selected + 1 - height;
    }
    offset
}

/// What the row shows right of the title: upvotes when known, and the latest day the paper appeared.
fn row_facts(paper: &PaperRef, show_days: Option<bool>) -> String {
    let mut facts = Vec::new();
    if let Some(votes) = paper.meta().and_then(|m| m.upvotes) {
        facts.push(format!("▲{votes}"));
    }
    if let (Some(with_year), Some(day)) = (show_days, paper.last_day()) {
        facts.push(if with_year { day.to_string() } else { day.short() });
    }
    facts.join("  ")
}

fn row_line(
    app: &App,
    paper: &PaperRef,
    matcher: Option<&mut Highlighter>,
    width: usize,
    facts: &str,
    watched: Option<bool>,
) -> Line<'static> {
    let theme = app.theme();
    let (starred, read) = app.marks_of(paper);
    let base = if read { theme.read } else { theme.unread };
    let mut spans = vec![
        Span::raw(" "),
        if read { Span::raw(" ") } else { Span::styled("●", theme.unread_mark) },
        Span::raw(" "),
        if starred { Span::styled("★", theme.star) } else { Span::raw(" ") },
        Span::raw(" "),
    ];
    let marks_width = match watched {
        Some(watched) => {
            spans.push(if watched { Span::styled("◉ ", theme.key) } else { Span::raw("  ") });
            MARKS_WIDTH + 2
        }
        None => MARKS_WIDTH,
    };
    // LaTeX drawn as the Unicode it maps to; the matches are located in the title as drawn.
    let shown = crate::latex::to_text(paper.title());
    let positions = matcher.map(|m| m.positions(&shown)).unwrap_or_default();
    let facts_width = if facts.is_empty() { 0 } else { super::text::width(facts) + 2 };
    let room = width.saturating_sub(marks_width + facts_width);
    // Tags take the room the title leaves, and are cut first.
    let tags = tags_text(&app.labels_of(paper).0);
    let tags_room = room.saturating_sub(super::text::width(&shown) + 1);
    let tags = if tags.is_empty() || tags_room < 4 { String::new() } else { super::truncate(&tags, tags_room) };
    let tags_width = if tags.is_empty() { 0 } else { super::text::width(&tags) + 1 };
    let title = highlighted_title(&shown, &positions, (base, theme.matched), room - tags_width);
    let mut used: usize = title.iter().map(|s| super::text::width(&s.content)).sum();
    spans.extend(title);
    if tags_width > 0 {
        spans.push(Span::styled(format!(" {tags}"), base.patch(theme.dim)));
        used += tags_width;
    }
    if facts_width > 0 {
        spans.push(Span::raw(" ".repeat(room.saturating_sub(used) + 1)));
        spans.push(Span::styled(format!("{facts} "), theme.dim));
    }
    Line::from(spans).style(base)
}

/// `#rl #survey`, made safe to show (tags come from the state file, which anything may have written).
pub(super) fn tags_text(tags: &[String]) -> String {
    let tags: Vec<String> = tags.iter().map(|tag| format!("#{}", crate::sanitize::message(tag))).collect();
    tags.join(" ")
}

/// The title as spans, matched chars highlighted, cut with "…" to fit `max` columns.
pub(super) fn highlighted_title(
    title: &str,
    positions: &[usize],
    (base, matched_style): (Style, Style),
    max: usize,
) -> Vec<Span<'static>> {
    let fits = width(title) <= max;
    let room = if fits { max } else { max.saturating_sub(1) };
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let mut run = String::new();
    let mut run_matched = false;
    let mut next_match = positions.iter().copied().peekable();
    // Whole graphemes, as they are drawn (an emoji joined into one picture is one): matched when a
    // character of one is; positions count characters.
    let mut chars = 0;
    for grapheme in title.graphemes(true) {
        let (start, end) = (chars, chars + grapheme.chars().count());
        chars = end;
        let Some((_, w)) = graphemes(grapheme).next() else { continue };
        if used + w > room {
            break;
        }
        used += w;
        let mut matched = false;
        while let Some(position) = next_match.next_if(|&p| p < end) {
            matched |= position >= start;
        }
        if matched != run_matched && !run.is_empty() {
            spans.push(styled_run(std::mem::take(&mut run), run_matched, base, matched_style));
        }
        run_matched = matched;
        run.push_str(grapheme);
    }
    if !run.is_empty() {
        spans.push(styled_run(run, run_matched, base, matched_style));
    }
    if !fits && max > 0 {
        spans.push(Span::styled("…", base));
    }
    spans
}

fn styled_run(text: String, is_matched: bool, base: Style, matched: Style) -> Span<'static> {
    Span::styled(text, if is_matched { base.patch(matched) } else { base })
}

fn empty_message(app: &App) -> Vec<Line<'static>> {
    let theme = app.theme();
    let query = app.query().trim();
    if let Some(text) = app.text_query() {
        // Text search off this session (no index, or one found damaged): said, not "no paper has it".
        if let crate::app::IndexState::Off(why) = app.index_state() {
            return vec![
                Line::raw(""),
                Line::styled("No full-text search this session.", theme.title),
                Line::styled(crate::sanitize::message(why), theme.dim),
                Line::styled("Esc clears the search; title search works.", theme.dim),
            ];
        }
        let what = if text.is_empty() {
            "Type the words to look for after ?.".to_string()
        } else {
            format!("No paper's text has “{}”.", text.as_str())
        };
        let mut lines = vec![Line::raw(""), Line::styled(what, theme.title)];
        // Papers not in the index yet (being indexed, or waiting for another papers that updates it)
        // may have it: said, rather than a "no" that may not hold.
        if let Some((taken, sent)) = app.indexing().filter(|_| !text.is_empty()) {
            let waiting = sent.saturating_sub(taken);
            let papers = if waiting == 1 { "1 paper is" } else { &format!("{waiting} papers are") };
            lines.push(Line::styled(
                format!("{papers} not indexed yet; the search is asked again as they are."),
                theme.dim,
            ));
        }
        lines.push(Line::styled("Esc clears the search.", theme.dim));
        return lines;
    }
    let (what, hint) = match (app.filter(), query.is_empty()) {
        (Filter::All, false) => (format!("No papers match “{query}”."), "Esc clears the search."),
        (Filter::Unread, false) => {
            (format!("No unread papers match “{query}”."), "Esc clears the search; f shows all.")
        }
        (Filter::Starred, false) => {
            (format!("No starred papers match “{query}”."), "Esc clears the search; f shows all.")
        }
        (Filter::Unread, true) => ("Every paper here is read.".to_string(), "Press f to show all papers."),
        (Filter::Starred, true) => ("No starred papers yet.".to_string(), "Press f to show all, then s to star one."),
        (Filter::All, true) => ("This digest has no papers.".to_string(), ""),
    };
    vec![Line::raw(""), Line::styled(what, theme.title), Line::styled(hint, theme.dim)]
}

#[cfg(test)]
mod tests {
    use super::super::Theme;
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn offset_moves_only_as_far_as_needed() {
        assert_eq!(scroll_offset(0, 5, 100, 10), 0);
        assert_eq!(scroll_offset(0, 10, 100, 10), 1);
        assert_eq!(scroll_offset(20, 15, 100, 10), 15);
        // The list shrank under a scrolled view: show a full page.
        assert_eq!(scroll_offset(50, 3, 8, 10), 0);
    }

    #[test]
    fn titles_are_cut_at_the_pane_edge_with_an_ellipsis() {
        let spans = highlighted_title("Mamba YOLO", &[], (Style::new(), Theme::default().matched), 6);
        assert_eq!(text(&spans), "Mamba…");
        let spans = highlighted_title("Mamba YOLO", &[], (Style::new(), Theme::default().matched), 10);
        assert_eq!(text(&spans), "Mamba YOLO");
        let spans = highlighted_title("中国镜像站", &[], (Style::new(), Theme::default().matched), 7);
        assert_eq!(text(&spans), "中国镜…");
    }

    #[test]
    fn matched_chars_get_their_own_spans() {
        let spans = highlighted_title("Mamba YOLO", &[0, 1, 6], (Style::new(), Theme::default().matched), 20);
        let parts: Vec<(&str, bool)> =
            spans.iter().map(|s| (s.content.as_ref(), s.style == Theme::default().matched)).collect();
        assert_eq!(parts, [("Ma", true), ("mba ", false), ("Y", true), ("OLO", false)]);
    }
}
