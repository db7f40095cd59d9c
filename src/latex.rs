//! LaTeX in titles and abstracts shown as text: `$\alpha$-DPO` reads `α-DPO`, raw where it does not map.
//!
//! Digests copy titles and abstracts from arXiv as the authors typed them, math and all. What maps to
//! Unicode is shown so (Greek letters, operators, arrows, sub- and superscripts Unicode has, `\mathcal`
//! and `\mathbb` letters, `\textbf{x}` as x); a math span with anything else in it stays as it was, `$`
//! and all, so that nothing is shown half-read. The original text is what is kept, searched and exported;
//! this is only how it is drawn.

use std::borrow::Cow;

mod symbols;
use symbols::{SUBSCRIPTS, SUPERSCRIPTS, double_struck, script, script_letter, symbol};

/// True when `text` may hold markup to convert: a backslash or a dollar sign. Cheap (one `memchr2`), so
/// that plain titles cost nothing more to search or draw.
pub fn has_markup(text: &str) -> bool {
    memchr::memchr2(b'\\', b'$', text.as_bytes()).is_some()
}

/// `text` with the math and text commands that map to Unicode converted; borrowed when nothing changed.
pub fn to_text(text: &str) -> Cow<'_, str> {
    if !has_markup(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['$', '\\']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some((inner, len)) = math_span(tail) {
            match math(inner) {
                Some(converted) => out.push_str(&converted),
                None => out.push_str(&tail[..len]),
            }
            rest = &tail[len..];
        } else if let Some(stripped) = tail.strip_prefix('\\') {
            let (converted, len) = text_command(stripped);
            match converted {
                Some(converted) => out.push_str(&converted),
                None => out.push_str(&tail[..1 + len]),
            }
            rest = &stripped[len..];
        } else {
            out.push('$');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    if out == text { Cow::Borrowed(text) } else { Cow::Owned(out) }
}

/// A math span at the start of `text`: its inside and its whole length. `$…$` as pandoc reads it (no
/// space just inside the dollars, no digit just after the closing one, so "$5 and $10" is not math),
/// `$$…$$` and `\(…\)`.
fn math_span(text: &str) -> Option<(&str, usize)> {
    if let Some(inner) = text.strip_prefix("$$") {
        let end = inner.find("$$")?;
        return (end > 0).then(|| (&inner[..end], end + 4));
    }
    if let Some(inner) = text.strip_prefix("\\(") {
        let end = inner.find("\\)")?;
        return Some((&inner[..end], end + 4));
    }
    let inner = text.strip_prefix('$')?;
    if inner.starts_with(char::is_whitespace) {
        return None;
    }
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'$' => {
                let closes =
                    i > 0 && !bytes[i - 1].is_ascii_whitespace() && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                return closes.then(|| (&inner[..i], i + 2));
            }
            _ => i += 1,
        }
    }
    None
}

/// A command in running text (after its backslash): what it reads as, if it maps, and its length.
fn text_command(text: &str) -> (Option<String>, usize) {
    let name_len = text.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(text.len());
    if name_len == 0 {
        // `\%`, `\&`, `\$`, `\_`, `\#`: the character itself.
        return match text.chars().next() {
            Some(c @ ('%' | '&' | '$' | '_' | '#' | '{' | '}')) => (Some(c.to_string()), 1),
            _ => (None, 0),
        };
    }
    let name = &text[..name_len];
    if is_font(name)
        && let Some((arg, len)) = group(&text[name_len..])
    {
        return (Some(to_text(arg).into_owned()), name_len + len);
    }
    (symbol(name).map(str::to_string), name_len)
}

/// `{…}` at the start of `text` (after spaces): its inside and the length up to its closing brace.
fn group(text: &str) -> Option<(&str, usize)> {
    let trimmed = text.trim_start();
    let skipped = text.len() - trimmed.len();
    let inner = trimmed.strip_prefix('{')?;
    let mut depth = 1usize;
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&inner[..i], skipped + i + 2));
                }
            }
            _ => {}
        }
    }
    None
}

/// One argument of a command or script in math: a group, a command, or one character; and its length.
fn argument(text: &str) -> Option<(Cow<'_, str>, usize)> {
    if let Some((inner, len)) = group(text) {
        return Some((Cow::Borrowed(inner), len));
    }
    let trimmed = text.trim_start();
    let skipped = text.len() - trimmed.len();
    if let Some(command) = trimmed.strip_prefix('\\') {
        // A command's letters, or the one character after the backslash (`\,`).
        let letters = command.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(command.len());
        let len = if letters > 0 { letters } else { command.chars().next().map_or(0, char::len_utf8) };
        return Some((Cow::Borrowed(&trimmed[..1 + len]), skipped + 1 + len));
    }
    let c = trimmed.chars().next()?;
    Some((Cow::Borrowed(&trimmed[..c.len_utf8()]), skipped + c.len_utf8()))
}

/// The inside of a math span as text, or `None` when any of it does not map.
fn math(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '\\' => {
                let name_len = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
                if name_len == 0 {
                    let escaped = rest.chars().next()?;
                    rest = &rest[escaped.len_utf8()..];
                    match escaped {
                        ',' | ';' | ':' | ' ' => out.push(' '),
                        '!' => {}
                        '%' | '&' | '$' | '_' | '#' | '{' | '}' | '|' => out.push(escaped),
                        _ => return None,
                    }
                    continue;
                }
                let name = &rest[..name_len];
                rest = &rest[name_len..];
                rest = math_command(name, rest, &mut out)?;
            }
            '^' | '_' => {
                let (arg, len) = argument(rest)?;
                rest = &rest[len..];
                let arg = math(&arg)?;
                let table = if c == '^' { SUPERSCRIPTS } else { SUBSCRIPTS };
                match arg.chars().map(|c| script(table, c)).collect::<Option<String>>() {
                    Some(scripted) if !arg.is_empty() => out.push_str(&scripted),
                    _ if arg.chars().count() == 1 => {
                        out.push(c);
                        out.push_str(&arg);
                    }
                    _ => {
                        out.push(c);
                        out.push('{');
                        out.push_str(&arg);
                        out.push('}');
                    }
                }
            }
            '{' => {
                let (inner, len) = group(&text[text.len() - rest.len() - 1..])?;
                rest = &rest[len - 1..];
                out.push_str(&math(inner)?);
            }
            '}' | '$' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// Appends what math command `name` reads as, taking its arguments from `rest`; returns what follows.
fn math_command<'a>(name: &str, rest: &'a str, out: &mut String) -> Option<&'a str> {
    if let Some(symbol) = symbol(name) {
        out.push_str(symbol);
        return Some(rest);
    }
    match name {
        // Sizes of brackets: the bracket alone.
        "left" | "right" | "big" | "Big" | "bigl" | "bigr" | "Bigl" | "Bigr" => Some(rest),
        _ if is_font(name) => {
            let (arg, len) = argument(rest)?;
            out.push_str(&math(&arg)?);
            Some(&rest[len..])
        }
        "mathcal" | "mathbb" | "mathscr" => {
            let (arg, len) = argument(rest)?;
            for c in arg.chars().filter(|c| !c.is_whitespace()) {
                out.push(if name == "mathbb" { double_struck(c)? } else { script_letter(c)? });
            }
            Some(&rest[len..])
        }
        "sqrt" => {
            let (arg, len) = argument(rest)?;
            let arg = math(&arg)?;
            out.push('√');
            push_operand(out, &arg);
            Some(&rest[len..])
        }
        "frac" | "tfrac" | "dfrac" => {
            let (top, len) = argument(rest)?;
            let rest = &rest[len..];
            let (bottom, len) = argument(rest)?;
            push_operand(out, &math(&top)?);
            out.push('/');
            push_operand(out, &math(&bottom)?);
            Some(&rest[len..])
        }
        _ => None,
    }
}

/// `operand` as one: in brackets unless a single letter or number.
fn push_operand(out: &mut String, operand: &str) {
    if operand.chars().all(char::is_alphanumeric) {
        out.push_str(operand);
    } else {
        out.push('(');
        out.push_str(operand);
        out.push(')');
    }
}

/// Commands whose argument is shown as it is, only its font lost.
fn is_font(name: &str) -> bool {
    matches!(
        name,
        "textbf"
            | "textit"
            | "emph"
            | "textrm"
            | "textsf"
            | "texttt"
            | "textsc"
            | "text"
            | "mathrm"
            | "mathbf"
            | "mathit"
            | "mathsf"
            | "mathtt"
            | "boldsymbol"
            | "bm"
            | "operatorname"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        to_text(text).into_owned()
    }

    #[test]
    fn math_that_maps_is_shown_as_unicode_without_its_dollars() {
        assert_eq!(shown(r"$\alpha$-DPO"), "α-DPO");
        assert_eq!(shown(r"Attention in $\mathcal{O}(n^2)$ time"), "Attention in 𝒪(n²) time");
        assert_eq!(shown(r"tokens $x_i$ and $x_{i+1}$"), "tokens xᵢ and xᵢ₊₁");
        assert_eq!(shown(r"$\le 10 \times$ faster, $\infty$-width"), "≤ 10 × faster, ∞-width");
        assert_eq!(shown(r"$a \cdot b \rightarrow c \in \mathbb{R}^d$"), "a · b → c ∈ ℝᵈ");
        assert_eq!(shown(r"$\sum_{i=1}^{n} w_i$"), "∑ᵢ₌₁ⁿ wᵢ");
        assert_eq!(shown(r"$\sqrt{d}$ and $\frac{1}{2}$"), "√d and 1/2");
        assert_eq!(shown(r"\(\beta\)-VAE"), "β-VAE");
    }

    #[test]
    fn text_commands_lose_their_font_and_keep_their_words() {
        assert_eq!(shown(r"\textbf{Bold} and \emph{new} ideas"), "Bold and new ideas");
        assert_eq!(shown(r"$\mathrm{softmax}(x)$"), "softmax(x)");
        assert_eq!(shown(r"50\% fewer \& faster"), "50% fewer & faster");
    }

    #[test]
    fn scripts_unicode_lacks_keep_their_braces() {
        assert_eq!(shown(r"$x^{\beta}$"), "x^β");
        assert_eq!(shown(r"$W_{QK}$"), "W_{QK}");
        assert_eq!(shown(r"$2^{q}$"), "2^q");
    }

    #[test]
    fn what_does_not_map_stays_raw_whole() {
        // An unknown command keeps the whole span, dollars included: nothing half-read.
        assert_eq!(shown(r"$\alpha \weird{x}$-DPO"), r"$\alpha \weird{x}$-DPO");
        assert_eq!(shown(r"$\mathcal{o}$"), r"$\mathcal{o}$");
        assert_eq!(shown(r"an \unknown command"), r"an \unknown command");
        assert_eq!(shown(r"$x^{$"), r"$x^{$");
        assert_eq!(shown("a $ sign"), "a $ sign");
    }

    #[test]
    fn prices_are_not_math() {
        assert_eq!(shown("from $5 to $10 a month"), "from $5 to $10 a month");
        assert_eq!(shown("costs $5 and $ 10"), "costs $5 and $ 10");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(to_text("A Survey of Mamba"), Cow::Borrowed(_)));
        assert!(matches!(to_text("a $ sign"), Cow::Borrowed(_)));
        assert!(!has_markup("A Survey of Mamba"));
    }

    proptest::proptest! {
        #[test]
        fn any_mix_of_markup_converts_without_panicking(text in "[\\\\$^_{}()a-zO 2αé]{0,40}") {
            let shown = to_text(&text);
            // What has no markup is never touched.
            proptest::prop_assert!(has_markup(&text) || shown == text);
        }
    }

    #[test]
    fn never_panics_on_cut_markup() {
        for text in [r"\", "$", "$$", r"$\", r"$x_$", r"\textbf{", r"$\frac{1}$", r"\(", "$é^é$", r"$\sqrt$", "^_{"] {
            let _ = to_text(text);
        }
    }
}
