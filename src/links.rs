//! Links: the web links in a paper's text, and which links may leave the program (http and https only).

/// True for an http or https URL: the only links handed to the browser.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// The pages of the arXiv paper `id`: its abstract page, its PDF and its Hugging Face page.
pub fn arxiv_pages(id: &str) -> [String; 3] {
    [
        format!("https://arxiv.org/abs/{id}"),
        format!("https://arxiv.org/pdf/{id}"),
        format!("https://huggingface.co/papers/{id}"),
    ]
}

/// True when two links are the same page written two ways: http or https, with `www.` or without, a
/// closing `/`, a PDF's `.pdf`, or an arXiv version (`v2`) added.
pub fn same_page(a: &str, b: &str) -> bool {
    fn bare(url: &str) -> String {
        let lower = url.to_ascii_lowercase();
        let rest = lower.split_once("://").map_or(lower.as_str(), |(_, rest)| rest);
        let rest = rest.strip_prefix("www.").unwrap_or(rest);
        let rest = rest.trim_end_matches('/');
        let rest = rest.strip_suffix(".pdf").unwrap_or(rest);
        // An arXiv page's version: `2403.09043v2` is the paper `2403.09043`.
        match rest.rsplit_once('v') {
            Some((head, version))
                if head.contains("arxiv.org/")
                    && head.ends_with(|c: char| c.is_ascii_digit())
                    && !version.is_empty()
                    && version.bytes().all(|b| b.is_ascii_digit()) =>
            {
                head.to_string()
            }
            _ => rest.to_string(),
        }
    }
    a == b || bare(a) == bare(b)
}

/// Returns the http(s) URLs in `text`, in order of appearance, each once, without the punctuation that ends
/// the sentence around them.
pub fn find_links(text: &str) -> Vec<String> {
    let mut links: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = find_scheme(rest) {
        let candidate = &rest[start..];
        let end = candidate.find(ends_url).unwrap_or(candidate.len());
        let url = trim_trailing(&candidate[..end]);
        if url.len() > url.find("://").map_or(usize::MAX, |i| i + 3) && !links.iter().any(|l| l == url) {
            links.push(url.to_string());
        }
        rest = &candidate[end.max(1)..];
    }
    links
}

/// Byte offset of the next `http://` or `https://`, ignoring ASCII case.
fn find_scheme(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    // Only an 'h' or 'H' can start a scheme: skip to the next one (`b | 0x20` folds the case).
    while let Some(i) = bytes[from..].iter().position(|&b| b | 0x20 == b'h') {
        let at = from + i;
        let tail = &bytes[at..];
        if starts_with_ignore_case(tail, b"https://") || starts_with_ignore_case(tail, b"http://") {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn starts_with_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.len() >= needle.len() && haystack[..needle.len()].eq_ignore_ascii_case(needle)
}

fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '{' | '}' | '|' | '\\' | '^')
}

/// Drops sentence punctuation from the end of a URL, and closing brackets that have no opening one
/// inside the URL (so `(see https://x.org/a_(b))` keeps its inner pair and loses the outer one).
fn trim_trailing(url: &str) -> &str {
    // Brackets are counted once and then kept up to date: a URL ending in a million ')' stays linear.
    let count = |c: char| url.chars().filter(|&x| x == c).count();
    let (open_paren, mut close_paren) = (count('('), count(')'));
    let (open_square, mut close_square) = (count('['), count(']'));
    let mut end = url.len();
    while let Some(last) = url[..end].chars().next_back() {
        let drop = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '。' | '，' | '、' | '；' | '：' => true,
            ')' => close_paren > open_paren,
            ']' => close_square > open_square,
            _ => false,
        };
        if !drop {
            break;
        }
        match last {
            ')' => close_paren -= 1,
            ']' => close_square -= 1,
            _ => {}
        }
        end -= last.len_utf8();
    }
    &url[..end]
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_arxiv_paper_has_its_abstract_pdf_and_hugging_face_pages() {
        assert_eq!(
            super::arxiv_pages("2403.09043"),
            [
                "https://arxiv.org/abs/2403.09043",
                "https://arxiv.org/pdf/2403.09043",
                "https://huggingface.co/papers/2403.09043"
            ]
        );
    }

    #[test]
    fn the_same_page_written_two_ways_is_one() {
        use super::same_page;
        assert!(same_page("https://arxiv.org/pdf/2403.09043", "http://arxiv.org/pdf/2403.09043v2.pdf"));
        assert!(same_page("https://huggingface.co/papers/2403.09043", "https://huggingface.co/papers/2403.09043/"));
        assert!(same_page("https://arxiv.org/abs/2403.09043", "https://www.arxiv.org/abs/2403.09043"));
        assert!(!same_page("https://arxiv.org/abs/2403.09043", "https://arxiv.org/abs/2403.09044"));
        assert!(!same_page("https://example.org/dev", "https://example.org/de"));
    }

    use super::*;

    #[test]
    fn finds_links_without_trailing_punctuation() {
        let text = "Code is at https://github.com/a/b. See also (http://x.org/y), and https://z.io/p?q=1;";
        assert_eq!(find_links(text), ["https://github.com/a/b", "http://x.org/y", "https://z.io/p?q=1"]);
    }

    #[test]
    fn keeps_balanced_brackets_and_drops_duplicates() {
        let text =
            "see https://en.wikipedia.org/wiki/Mamba_(snake)). again https://en.wikipedia.org/wiki/Mamba_(snake)";
        assert_eq!(find_links(text), ["https://en.wikipedia.org/wiki/Mamba_(snake)"]);
    }

    #[test]
    fn ignores_bare_schemes_and_handles_non_ascii_around_links() {
        assert!(find_links("just https:// and http://. nothing").is_empty());
        assert_eq!(find_links("中文https://例え.jp/路径。"), ["https://例え.jp/路径"]);
        assert_eq!(find_links("HTTPS://Example.org/X."), ["HTTPS://Example.org/X"]);
    }

    #[test]
    fn a_url_ending_in_a_million_brackets_is_trimmed_at_once() {
        let text = format!("see https://x.example/a{}", ")".repeat(1_000_000));
        assert_eq!(find_links(&text), ["https://x.example/a"]);
        let balanced = format!("https://x.example/{}{}", "(".repeat(1000), ")".repeat(1001));
        assert_eq!(find_links(&balanced)[0].len(), balanced.len() - 1);
    }
}
