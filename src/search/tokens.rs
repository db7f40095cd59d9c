//! The words of a query: split at spaces, with parentheses, operators and quoted runs told apart.

use super::query::QueryError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    Open,
    Close,
    Pipe,
    And,
    Or,
    Not,
    Word(String),
    /// A quoted run, after its prefix (`!`, `title:`, `abstract:`...; empty when none).
    Quoted {
        prefix: String,
        text: String,
    },
}

impl Token {
    pub(super) fn show(&self) -> String {
        match self {
            Token::Open => "(".into(),
            Token::Close => ")".into(),
            Token::Pipe => "|".into(),
            Token::And => "AND".into(),
            Token::Or => "OR".into(),
            Token::Not => "NOT".into(),
            Token::Word(w) => w.clone(),
            Token::Quoted { prefix, text } => format!("{prefix}\"{text}\""),
        }
    }
}

pub(super) const FIELDS: [&str; 6] = ["cat:", "author:", "title:", "abstract:", "tag:", "is:"];

/// Splits at spaces. A `(` opens a group at the start of a word and a `)` closes one at its end (while
/// one is open: "f(x)" and a lone ")" are letters); a `"` at the start of a word, or after its `!`, its
/// field or `@` (`@"yann lecun"` as `author:"yann lecun"`), runs to the next `"`. Curly quotes are straight ones here, as titles are read (`fold`): a
/// query pasted from a PDF or typed with smart quotes quotes as one typed with straight quotes.
pub(super) fn tokens(query: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = query.chars().map(straight).collect();
    let (mut out, mut at, mut depth) = (Vec::new(), 0, 0usize);
    while at < chars.len() {
        let c = chars[at];
        if c.is_whitespace() {
            at += 1;
            continue;
        }
        if c == '(' {
            out.push(Token::Open);
            depth += 1;
            at += 1;
            continue;
        }
        let start = at;
        let mut quoted = false;
        while at < chars.len() && !chars[at].is_whitespace() {
            let prefix: String = chars[start..at].iter().collect();
            if chars[at] == '"' && is_quote_prefix(&prefix) {
                let close = chars[at + 1..].iter().position(|&c| c == '"');
                let Some(close) = close else { return Err(QueryError("a \" is not closed".into())) };
                let text: String = chars[at + 1..at + 1 + close].iter().collect();
                out.push(Token::Quoted { prefix, text: text.split_whitespace().collect::<Vec<_>>().join(" ") });
                (at, quoted) = (at + close + 2, true);
                break;
            }
            at += 1;
        }
        if quoted {
            // Closing parentheses may follow the quoted run.
            while depth > 0 && chars.get(at) == Some(&')') {
                out.push(Token::Close);
                depth -= 1;
                at += 1;
            }
            continue;
        }
        let mut end = at;
        let mut closes = 0;
        while depth > closes && end > start + 1 && chars[end - 1] == ')' {
            end -= 1;
            closes += 1;
        }
        if depth > 0 && end == start + 1 && chars[start] == ')' {
            (end, closes) = (start, closes + 1);
        }
        let word: String = chars[start..end].iter().collect();
        match word.as_str() {
            "" => {}
            "|" => out.push(Token::Pipe),
            "AND" => out.push(Token::And),
            "OR" => out.push(Token::Or),
            "NOT" => out.push(Token::Not),
            _ => out.push(Token::Word(word)),
        }
        for _ in 0..closes {
            out.push(Token::Close);
        }
        depth -= closes;
    }
    Ok(out)
}

/// A curly quote as the straight one it folds to (see `fold`); any other character as it is.
fn straight(c: char) -> char {
    match c {
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' => '"',
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' => '\'',
        c => c,
    }
}

fn is_quote_prefix(prefix: &str) -> bool {
    let field = prefix.strip_prefix('!').unwrap_or(prefix);
    field.is_empty() || field == "@" || FIELDS.iter().any(|f| field.eq_ignore_ascii_case(f))
}
