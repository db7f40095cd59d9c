//! The detail pane: the selected paper's title, date, marks, numbered links and abstract, wrapped and scrolled.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Padding, Paragraph};

use super::ViewState;
use crate::app::{App, Mode};
use crate::library::PaperRef;

pub fn render(app: &App, area: Rect, view: &mut ViewState, frame: &mut Frame) {
    let focused = app.mode() == Mode::Reading;
    let at = app.results().get(app.selected()).copied();
    render_paper(app, app.selected_paper().as_ref().zip(at), (" Abstract ".to_string(), focused), area, view, frame);
}

/// The pane of `paper` (none: an empty pane) in `area`, with `title`, its border lit when `focused`;
/// scrolled as the model says, the share of it shown at the bottom right when it does not fit.
pub(super) fn render_paper(
    app: &App,
    paper: Option<(&PaperRef, u32)>,
    (title, focused): (String, bool),
    area: Rect,
    view: &mut ViewState,
    frame: &mut Frame,
) {
    let theme = app.theme();
    let mut block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(if focused { theme.border_focused } else { theme.border })
        .padding(Padding::horizontal(1))
        .title(Span::styled(title, theme.pane_title));
    let inner = block.inner(area);
    view.detail = inner;

    let Some((paper, at)) = paper else {
        view.detail_lines = 0;
        frame.render_widget(block, area);
        return;
    };
    let lines = paper_lines(app, paper, at, usize::from(inner.width));
    view.detail_lines = lines.len();
    let scroll = app.detail_scroll().min(view.detail_max_scroll());
    if lines.len() > usize::from(inner.height) {
        let shown_to = (scroll + usize::from(inner.height)).min(lines.len());
        let position = format!(" {}% ", shown_to * 100 / lines.len());
        block = block.title_bottom(Line::styled(position, theme.dim).right_aligned());
    }
    frame.render_widget(block, area);
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(inner.height.into()).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

/// Every line of the pane at `width` columns, wrapped, for the paper at library index `at`.
fn paper_lines(app: &App, paper: &PaperRef, at: u32, width: usize) -> Vec<Line<'static>> {
    let theme = app.theme();
    let width = width.max(1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    // The words of the text search shown, highlighted wherever the paper has them.
    let mut highlighter = app.text_query().map(crate::index::Highlighter::new);
    // LaTeX drawn as the Unicode it maps to (the digest's text stays as it is everywhere else).
    for part in wrap(&crate::latex::to_text(paper.title()), width) {
        let found = highlighter.as_mut().map(|h| h.ranges(&part)).unwrap_or_default();
        lines.push(highlighted(part, &found, theme.title, theme.matched));
    }

    let facts = paper.meta();
    if let Some(meta) = facts.filter(|m| !m.authors.is_empty()) {
        for part in wrap(&meta.authors.join(", "), width) {
            let found = highlighter.as_mut().map(|h| h.author_ranges(&part)).unwrap_or_default();
            lines.push(highlighted(part, &found, theme.authors, theme.matched));
        }
    }
    let mut about = Vec::new();
    if let Some(meta) = facts {
        about.extend(meta.arxiv_id.as_ref().map(|id| format!("arXiv:{id}")));
        if !meta.categories.is_empty() {
            about.push(meta.categories.join(" "));
        }
        about.extend(meta.upvotes.map(|n| format!("▲ {n} upvote{}", if n == 1 { "" } else { "s" })));
        about.extend(meta.published.map(|d| format!("published {d}")));
    }
    for part in wrap_facts(&about.join(" · "), width).into_iter().filter(|p| !p.is_empty()) {
        lines.push(Line::styled(part, theme.dim));
    }
    let days = paper.days();
    let place = format!("{}:{}", paper.source(), paper.line());
    if days.len() > 1 || (facts.is_some() && !days.is_empty()) {
        let days: Vec<String> = days.iter().map(ToString::to_string).collect();
        let seen = format!("in the digest{} of {}", if days.len() > 1 { "s" } else { "" }, days.join(", "));
        for part in wrap_facts(&seen, width).into_iter().chain(wrap(&place, width)) {
            lines.push(Line::styled(part, theme.dim));
        }
    } else {
        let meta = paper.date().map_or(place.clone(), |date| format!("{date} · {place}"));
        for part in wrap_facts(&meta, width) {
            lines.push(Line::styled(part, theme.dim));
        }
    }
    let (starred, read) = app.marks_of(paper);
    let mut marks =
        vec![if read { Span::styled("read", theme.dim) } else { Span::styled("● unread", theme.unread_mark) }];
    if starred {
        marks.insert(0, Span::styled("★ starred  ", theme.star));
    }
    lines.push(Line::from(marks));
    if let Some(why) = app.watched(at) {
        for part in wrap(&format!("◉ Watched: {}", crate::sanitize::message(&why)), width) {
            lines.push(Line::styled(part, theme.key));
        }
    }
    let (tags, note) = app.labels_of(paper);
    for part in wrap(&super::list::tags_text(&tags), width).into_iter().filter(|p| !p.is_empty()) {
        lines.push(Line::styled(part, theme.key));
    }

    let links = paper.links();
    if !links.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Links", theme.heading));
        let [arxiv_page, pdf, hugging_face] = match paper.arxiv_id() {
            Some(id) => crate::links::arxiv_pages(id).map(Some),
            None => [None, None, None],
        };
        let named = |link: &String| match facts {
            Some(m) if m.code.as_ref() == Some(link) => "code ",
            Some(m) if m.project.as_ref() == Some(link) => "project ",
            _ if arxiv_page.as_ref() == Some(link) => "arXiv ",
            _ if pdf.as_ref() == Some(link) => "PDF ",
            _ if hugging_face.as_ref() == Some(link) => "Hugging Face ",
            _ => "",
        };
        for (n, link) in links.iter().enumerate() {
            let label = format!("[{}] {}", n + 1, named(link));
            let indent = " ".repeat(label.len());
            for (i, part) in wrap(link, width.saturating_sub(label.len()).max(1)).into_iter().enumerate() {
                let lead = if i == 0 { Span::styled(label.clone(), theme.key) } else { Span::raw(indent.clone()) };
                lines.push(Line::from(vec![lead, Span::styled(part, theme.link)]));
            }
        }
    }

    lines.push(Line::raw(""));
    if paper.abstract_text().is_empty() {
        lines.push(Line::styled("The digest gives no abstract for this paper.", theme.dim));
    }
    for (i, paragraph) in paper.abstract_text().split("\n\n").filter(|p| !p.is_empty()).enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        for part in wrap(&crate::latex::to_text(paragraph), width) {
            let found = highlighter.as_mut().map(|h| h.ranges(&part)).unwrap_or_default();
            lines.push(highlighted(part, &found, ratatui::style::Style::default(), theme.matched));
        }
    }
    if let Some(note) = note {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Note", theme.heading));
        // The note's own lines kept; each made safe, as it may come from another machine's file.
        for line in note.lines() {
            let line = crate::sanitize::message(line);
            match line.trim().is_empty() {
                true => lines.push(Line::raw("")),
                false => lines.extend(wrap(&line, width).into_iter().map(Line::raw)),
            }
        }
    }
    lines
}

/// A line of `text` in `base`, the byte ranges `found` (ascending, on char boundaries) highlighted.
fn highlighted(
    text: String,
    found: &[std::ops::Range<usize>],
    base: ratatui::style::Style,
    matched: ratatui::style::Style,
) -> Line<'static> {
    if found.is_empty() {
        return Line::styled(text, base);
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for range in found {
        let (Some(before), Some(word)) = (text.get(at..range.start), text.get(range.clone())) else { continue };
        if !before.is_empty() {
            spans.push(Span::styled(before.to_string(), base));
        }
        spans.push(Span::styled(word.to_string(), base.patch(matched)));
        at = range.end;
    }
    spans.push(Span::styled(text.get(at..).unwrap_or("").to_string(), base));
    Line::from(spans)
}

/// `wrap` for a line of facts: at spaces only, never after a hyphen, so that a date (2024-03-14), an
/// identifier or a category stays whole on its line.
fn wrap_facts(text: &str, width: usize) -> Vec<String> {
    let options = super::text::at_spaces(width).break_words(true).word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(text, options).into_iter().map(|c| c.into_owned()).collect()
}

/// Word-wraps `text` to `width` columns, breaking words longer than a line (long URLs). Text of a script
/// written without spaces (Chinese, Japanese) breaks between its characters by Unicode's rules (UAX #14),
/// as textwrap reads them: never before a closing mark such as 。 or 」.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut options = super::text::at_spaces(width).break_words(true);
    if text.chars().any(|c| crate::digest::unspaced(c).is_some()) {
        options = options.word_separator(textwrap::WordSeparator::UnicodeBreakProperties);
    }
    textwrap::wrap(text, options).into_iter().map(|c| c.into_owned()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_line_of_facts_breaks_at_spaces_never_inside_a_date() {
        let facts = "arXiv:2403.09043 · ▲ 19 upvotes · published 2024-03-14";
        let lines = super::wrap_facts(facts, 50);
        assert_eq!(lines, ["arXiv:2403.09043 · ▲ 19 upvotes · published", "2024-03-14"]);
        // The abstract's own wrapping still breaks a long hyphenated word after a hyphen.
        assert_eq!(super::wrap("a state-of-the-art model", 16)[0], "a state-of-the-");
    }

    #[test]
    fn japanese_never_starts_a_line_with_a_full_stop() {
        let text = "これは要約です。これは二番目の文です。最後の文です。";
        for width in 6..40 {
            let lines = super::wrap(text, width);
            assert_eq!(lines.concat(), text, "{width}");
            assert!(lines.iter().skip(1).all(|l| !l.starts_with('。')), "{width}: {lines:?}");
            assert!(lines.iter().all(|l| super::super::text::width(l) <= width), "{width}: {lines:?}");
        }
    }
}
