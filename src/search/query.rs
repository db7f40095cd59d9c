//! The query language: terms (see `terms`), filters (`cat:`, `author:`, `title:`, `abstract:`, `tag:`,
//! `is:`), quoted phrases, `AND`, `OR`, `|`, `NOT` and parentheses, parsed into alternatives.
//!
//! Precedence, tightest first: `NOT` (and `!` on a term), fzf's `|`, `AND` (or nothing: adjacent terms),
//! `OR`. So `a b OR c` is `(a AND b) OR c`, and `core go$ | rb$` is `core AND (go$ OR rb$)`, as in fzf,
//! where `|` joins the terms beside it. The words are operators only in capitals: a title says "and".
//!
//! - `cat:cs.CL` a category, or the start of one (`cat:cs` is every cs category); case does not count.
//! - `author:hinton` is `@hinton`; `title:word` is `'word`, a run of the title; `"a phrase"` the same run
//!   with spaces; `abstract:word` or `abstract:"two words"` a run of the abstract (folded like titles,
//!   smart case). `is:unread`, `is:read`, `is:starred`; `tag:name` (see `Atom::Tag`).
//! - Any other `word:` is a title term like any word: titles hold colons ("BERT: Pre-training").
//!
//! Bare words rank the papers as before, fuzzily; filters only narrow them. An `OR` makes alternatives:
//! a paper matches when one does, and ranks by the best of those it matches (fzf's `|` does the same).
//! A query is made of at most `MAX_ALTERNATIVES` of them once its `OR`s are multiplied out.

use super::fold::fold_char;
use super::terms::{self, Field, Kind, Term};
use super::tokens::{FIELDS, Token, tokens};

/// A filter on what a paper has beyond its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Atom {
    /// A category of the paper starts with this (lower case).
    Category(String),
    /// The abstract holds this run, folded; lower-cased unless the case counts.
    Abstract {
        text: String,
        respect_case: bool,
    },
    /// The paper has this tag (`tag:name` or `#name`, named as the state keeps tags).
    Tag(String),
    Is(Mark),
}

impl Atom {
    /// True when every paper this filter passes, `earlier` passes too: it is `earlier` grown at its end
    /// (a longer start of a category, a longer run of the abstract).
    pub(super) fn refines(&self, earlier: &Atom) -> bool {
        match (self, earlier) {
            (Atom::Category(now), Atom::Category(then)) => now.starts_with(then.as_str()),
            (Atom::Abstract { text: now, respect_case: a }, Atom::Abstract { text: then, respect_case: b }) => {
                a == b && now.starts_with(then.as_str())
            }
            _ => self == earlier,
        }
    }
}

/// What `is:` asks of a paper's marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark {
    Unread,
    Read,
    Starred,
}

/// One way for a paper to match: every term, and every filter (negated when the flag says so).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Alternative {
    pub(super) terms: Vec<Term>,
    pub(super) atoms: Vec<(Atom, bool)>,
}

/// Why a query does not parse, to show in the search bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

/// More than this many alternatives (`(a|b) (c|d) (e|f)` is eight) is refused: each is matched in turn.
pub const MAX_ALTERNATIVES: usize = 32;

/// The alternatives of `query`: one, with no terms, when there is nothing to match.
pub(super) fn parse(query: &str) -> Result<Vec<Alternative>, QueryError> {
    let tokens = tokens(query)?;
    if tokens.is_empty() {
        return Ok(vec![Alternative::default()]);
    }
    let mut parser = Parser { tokens, at: 0, depth: 0 };
    let node = parser.or()?;
    if let Some(token) = parser.tokens.get(parser.at) {
        // `or` stops only at a `)` it did not open.
        return Err(QueryError(format!("{} without (", token.show())));
    }
    alternatives(&node, false)
}

/// A query as a tree, before its alternatives are multiplied out.
#[derive(Debug, Clone)]
enum Node {
    /// Nothing to match (a word that is only syntax, like `@` or `""`): every paper passes.
    True,
    Term(Term),
    Atom(Atom),
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// How many `(` and `NOT` the parse is within: bounded, as each is a call deeper.
    depth: usize,
}

/// More `(` and `NOT` within each other than this is refused: the parse goes a call deeper for each,
/// and ten thousand of them overflowed the stack.
pub const MAX_DEPTH: usize = 64;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn or(&mut self) -> Result<Node, QueryError> {
        if self.peek() == Some(&Token::Or) {
            return Err(QueryError("OR needs a term before it".into()));
        }
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            parts.push(self.and_after("OR")?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Node::Or(parts) })
    }

    fn and_after(&mut self, op: &str) -> Result<Node, QueryError> {
        match self.peek() {
            None | Some(Token::Close | Token::Or | Token::And | Token::Pipe) => {
                Err(QueryError(format!("{op} needs a term after it")))
            }
            _ => self.and(),
        }
    }

    fn and(&mut self) -> Result<Node, QueryError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Token::Close | Token::Or) if !parts.is_empty() => break,
                None => return Err(QueryError("nothing to search for".into())),
                Some(Token::Close) => return Err(QueryError("nothing between ( and )".into())),
                Some(Token::Or) => return Err(QueryError("OR needs a term before it".into())),
                Some(Token::And) if parts.is_empty() => return Err(QueryError("AND needs a term before it".into())),
                Some(Token::Pipe) if parts.is_empty() => return Err(QueryError("| needs a term before it".into())),
                Some(Token::And) => {
                    self.at += 1;
                    match self.peek() {
                        None | Some(Token::Close | Token::Or | Token::And | Token::Pipe) => {
                            return Err(QueryError("AND needs a term after it".into()));
                        }
                        _ => parts.push(self.pipe()?),
                    }
                }
                _ => parts.push(self.pipe()?),
            }
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Node::And(parts) })
    }

    fn pipe(&mut self) -> Result<Node, QueryError> {
        let mut parts = vec![self.unary()?];
        while self.peek() == Some(&Token::Pipe) {
            self.at += 1;
            match self.peek() {
                None | Some(Token::Close | Token::Or | Token::And | Token::Pipe) => {
                    return Err(QueryError("| needs a term after it".into()));
                }
                _ => parts.push(self.unary()?),
            }
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Node::Or(parts) })
    }

    fn unary(&mut self) -> Result<Node, QueryError> {
        let Some(token) = self.tokens.get(self.at).cloned() else {
            return Err(QueryError("nothing to search for".into()));
        };
        self.at += 1;
        let deeper = matches!(token, Token::Not | Token::Open);
        if deeper && self.depth >= MAX_DEPTH {
            return Err(QueryError(format!("more than {MAX_DEPTH} ( and NOT within each other")));
        }
        self.depth += usize::from(deeper);
        let node = self.unary_of(token);
        self.depth -= usize::from(deeper);
        node
    }

    /// `unary` past its token.
    fn unary_of(&mut self, token: Token) -> Result<Node, QueryError> {
        match token {
            Token::Not => match self.peek() {
                None | Some(Token::Close | Token::Or | Token::And | Token::Pipe) => {
                    Err(QueryError("NOT needs a term after it".into()))
                }
                _ => Ok(Node::Not(Box::new(self.unary()?))),
            },
            // `deep (` as it is typed: the group is not closed yet, rather than empty.
            Token::Open if self.peek().is_none() => Err(QueryError("a ( is not closed".into())),
            Token::Open => {
                let inner = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return Err(QueryError("a ( is not closed".into()));
                }
                self.at += 1;
                Ok(inner)
            }
            Token::Word(word) => word_node(&word),
            Token::Quoted { prefix, text } => quoted_node(&prefix, &text),
            other => Err(QueryError(format!("{} needs a term before it", other.show()))),
        }
    }
}

/// A word: a filter when it starts with a known field, else a term.
fn word_node(word: &str) -> Result<Node, QueryError> {
    let (negated, rest) = match word.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    // `#tag` is `tag:tag`; `#` alone, a tag not typed yet, is only syntax.
    if rest == "#" {
        return Ok(Node::True);
    }
    if let Some(tag) = rest.strip_prefix('#').filter(|tag| !tag.is_empty()) {
        let node = field_node("tag:", tag)?;
        return Ok(if negated { Node::Not(Box::new(node)) } else { node });
    }
    let field = FIELDS.iter().find(|f| rest.get(..f.len()).is_some_and(|start| start.eq_ignore_ascii_case(f)));
    let Some(field) = field else {
        return Ok(terms::term(word).map_or(Node::True, Node::Term));
    };
    let value = &rest[field.len()..];
    if value.is_empty() {
        return Err(QueryError(format!("{field} needs a value")));
    }
    let node = field_node(field, value)?;
    Ok(if negated { Node::Not(Box::new(node)) } else { node })
}

fn field_node(field: &str, value: &str) -> Result<Node, QueryError> {
    Ok(match field {
        "cat:" => Node::Atom(Atom::Category(value.to_lowercase())),
        "tag:" => Node::Atom(Atom::Tag(crate::state::tag_name(value).unwrap_or_else(|| value.to_lowercase()))),
        "is:" => Node::Atom(Atom::Is(match value.to_ascii_lowercase().as_str() {
            "unread" => Mark::Unread,
            "read" => Mark::Read,
            "starred" => Mark::Starred,
            _ => return Err(QueryError(format!("is: takes unread, read or starred, not {value}"))),
        })),
        "author:" => return Ok(terms::term(&format!("@{value}")).map_or(Node::True, Node::Term)),
        "abstract:" => {
            let term = terms::fuzzy_term(Field::Title, value);
            Node::Atom(Atom::Abstract { text: term.chars.iter().collect(), respect_case: term.respect_case })
        }
        _ => return Ok(title_run(value)),
    })
}

/// A run of the title, as it stands (spaces too).
fn title_run(text: &str) -> Node {
    let mut term = terms::fuzzy_term(Field::Title, text);
    term.kind = Kind::Exact;
    if term.chars.is_empty() { Node::True } else { Node::Term(term) }
}

fn quoted_node(prefix: &str, text: &str) -> Result<Node, QueryError> {
    let (negated, field) = match prefix.strip_prefix('!') {
        Some(field) => (true, field),
        None => (false, prefix),
    };
    let field = field.to_ascii_lowercase();
    let node = match field.as_str() {
        "" => title_run(text),
        _ if text.is_empty() => return Err(QueryError(format!("{field} needs a value"))),
        "author:" | "@" => {
            let term = terms::fuzzy_term(Field::Authors, text);
            if term.chars.is_empty() { Node::True } else { Node::Term(term) }
        }
        field => field_node(field, text)?,
    };
    Ok(if negated { Node::Not(Box::new(node)) } else { node })
}

/// `node` (negated when `negate`) as alternatives: each an `AND` of terms and filters. `NOT` is pushed
/// down to the terms and filters (De Morgan), then `AND`s of `OR`s multiplied out.
fn alternatives(node: &Node, negate: bool) -> Result<Vec<Alternative>, QueryError> {
    let too_many = || {
        QueryError(format!(
            "more than {MAX_ALTERNATIVES} ways to match once multiplied out (each OR, |, and NOT before a group \
             of words multiplies them): fewer, please"
        ))
    };
    let product = |parts: &[Node], negate: bool| -> Result<Vec<Alternative>, QueryError> {
        let mut out = vec![Alternative::default()];
        for part in parts {
            let theirs = alternatives(part, negate)?;
            if out.len() * theirs.len() > MAX_ALTERNATIVES {
                return Err(too_many());
            }
            // One alternative (a word, a filter): added to each in place. Copying each alternative made
            // so far for every word after it made a query of n words cost n² terms copied: a query of
            // 300 words took the reader some 4 ms a key to parse.
            if let [only] = theirs.as_slice() {
                for mine in &mut out {
                    mine.terms.extend(only.terms.iter().cloned());
                    mine.atoms.extend(only.atoms.iter().cloned());
                }
                continue;
            }
            out = out
                .iter()
                .flat_map(|mine| {
                    theirs.iter().map(move |t| {
                        let mut both = mine.clone();
                        both.terms.extend(t.terms.iter().cloned());
                        both.atoms.extend(t.atoms.iter().cloned());
                        both
                    })
                })
                .collect();
        }
        Ok(out)
    };
    let union = |parts: &[Node], negate: bool| -> Result<Vec<Alternative>, QueryError> {
        let mut out = Vec::new();
        for part in parts {
            out.extend(alternatives(part, negate)?);
            if out.len() > MAX_ALTERNATIVES {
                return Err(too_many());
            }
        }
        Ok(out)
    };
    match node {
        // Nothing to match, negated or not: a word that is only syntax is left out, as before.
        Node::True => Ok(vec![Alternative::default()]),
        Node::Term(term) => {
            let mut term = term.clone();
            if negate {
                // `NOT word` is `!word`: negated words are matched exactly, as in fzf.
                if !term.negated && term.kind == Kind::Fuzzy && term.field == Field::Title {
                    term.kind = Kind::Exact;
                }
                term.negated = !term.negated;
            }
            Ok(vec![Alternative { terms: vec![term], atoms: Vec::new() }])
        }
        Node::Atom(atom) => Ok(vec![Alternative { terms: Vec::new(), atoms: vec![(atom.clone(), negate)] }]),
        Node::Not(inner) => alternatives(inner, !negate),
        Node::And(parts) if !negate => product(parts, false),
        Node::And(parts) => union(parts, true),
        Node::Or(parts) if !negate => union(parts, false),
        Node::Or(parts) => product(parts, true),
    }
}

/// Folds `c` as titles and terms are folded, for the abstract filter.
pub(super) fn fold_into(text: &str, lower: bool, out: &mut String) {
    out.clear();
    for c in text.chars() {
        fold_char(c, &mut |f| {
            if lower {
                out.extend(f.to_lowercase());
            } else {
                out.push(f);
            }
        });
    }
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
