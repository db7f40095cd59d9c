//! The text parser holds no more than its limits whatever the input: a line over `MAX_LINE` is skipped as
//! it arrives, a paragraph is cut at `MAX_PARAGRAPH`, and a paper is read on no further than `LONGEST_PAPER`.

use super::*;

const BLOCK_SIZE: usize = 64 << 10;

/// Feeds `parts` to a parser in blocks of `BLOCK_SIZE`, as the reading thread does (none of them whole),
/// checking after each that what it holds stays within `most` bytes; the papers (title, abstract length,
/// line) and warnings.
fn feed(parts: &[&[u8]], most: usize) -> (Vec<(String, usize, usize)>, Vec<String>) {
    let mut parser = TextParser::new("t.txt");
    let mut chunks = Vec::new();
    let mut held = 0;
    for part in parts {
        for block in part.chunks(BLOCK_SIZE) {
            chunks.extend(parser.feed_block(block.to_vec(), false).unwrap());
            held = held.max(parser.pending.len());
            assert!(parser.pending.len() <= most, "{} bytes held", parser.pending.len());
        }
    }
    let (last, _, warnings) = parser.finish().unwrap();
    chunks.extend(last);
    println!("at most {held} bytes held");
    let papers = chunks
        .iter()
        .flat_map(Chunk::papers)
        .map(|p| (p.title().to_string(), p.abstract_text().len(), p.line()))
        .collect();
    (papers, warnings)
}

const ABSTRACT: &str = "We read a digest of papers and keep what a reader needs, which is the point of this sentence.";

#[test]
fn a_line_over_the_limit_after_papers_is_skipped_as_it_arrives() {
    // Whole lines before it: before, the line was held with the paper before it until it ended.
    let head = format!("First Paper\n\n{ABSTRACT}\n\n");
    let long = vec![b'a'; 8 * MAX_LINE];
    let tail = format!("\n\nSecond Paper\n\n{ABSTRACT}\n");
    let (papers, warnings) = feed(&[head.as_bytes(), &long, tail.as_bytes()], MAX_LINE + 2 * BLOCK_SIZE);
    let titles: Vec<(&str, usize)> = papers.iter().map(|(t, _, line)| (t.as_str(), *line)).collect();
    assert_eq!(titles, [("First Paper", 1), ("Second Paper", 7)]);
    assert_eq!(
        warnings,
        [format!("t.txt:5: a line of {} bytes was skipped (digest lines are under {MAX_LINE} bytes)", 8 * MAX_LINE)]
    );
}

#[test]
fn a_paragraph_of_many_short_lines_is_cut_and_never_held_whole() {
    // 32 MB of "y" lines after a title: before, the whole paragraph was held, with a record per line.
    let head = "A Title\n\n";
    let lines = "y\n".repeat(16 << 20);
    let tail = format!("\nNext Paper\n\n{ABSTRACT}\n");
    let (papers, warnings) =
        feed(&[head.as_bytes(), lines.as_bytes(), tail.as_bytes()], 2 * LONGEST_PAPER + BLOCK_SIZE);
    assert_eq!(papers[0].0, "A Title");
    assert!(papers[0].1 <= MAX_PARAGRAPH, "{}", papers[0].1);
    assert_eq!(papers.last().map(|p| p.0.as_str()), Some("Next Paper"));
    assert_eq!(papers.last().map(|p| p.2), Some(3 + (16 << 20) + 1));
    let cut = format!("t.txt:3: a paragraph of more than {MAX_PARAGRAPH} bytes was cut there");
    assert!(warnings[0].starts_with(&cut), "{warnings:?}");
}

#[test]
fn a_paragraph_over_the_limit_is_cut_at_a_character_boundary() {
    let word = "é".repeat(7);
    let abstract_text = vec![word.as_str(); MAX_PARAGRAPH / 10].join("\n");
    let one_line = vec![word.as_str(); MAX_PARAGRAPH / 10].join(" ");
    for body in [abstract_text, one_line] {
        let text = format!("A Title\n\n{body}.\n\nOther Title\n\n{ABSTRACT}\n");
        let digest = crate::digest::parse_text("t.txt", text.as_bytes()).unwrap();
        let first = digest.paper(0);
        assert!(first.abstract_text().len() <= MAX_PARAGRAPH && first.abstract_text().len() > MAX_PARAGRAPH - 20);
        assert!(first.abstract_text().starts_with(&word));
        assert_eq!(digest.paper(1).title(), "Other Title");
        let warning = format!("t.txt:3: a paragraph of more than {MAX_PARAGRAPH} bytes was cut there");
        assert!(digest.warnings.iter().any(|w| w.starts_with(&warning)), "{:?}", digest.warnings);
    }
}
