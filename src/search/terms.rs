//! A query as terms: fzf's syntax (`'exact`, `^prefix`, `suffix$`, `!not`) on titles, `@name` on
//! authors, and arXiv identifiers (`2406.10037`, `2406.1`, `hep-ex/0307015`) on the paper's identifier.

use super::fold::fold_char;

/// What a term is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Title,
    /// Any of the paper's authors (`@name`).
    Authors,
    /// The paper's arXiv identifier, from its start.
    Id,
}

/// How a term's characters must appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// In order, anywhere (`word`).
    Fuzzy,
    /// Together (`'word`, and `!word`).
    Exact,
    /// At the start (`^word`).
    Prefix,
    /// At the end (`word$`).
    Suffix,
    /// The whole text (`^word$`).
    Equal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Term {
    pub(super) field: Field,
    pub(super) kind: Kind,
    /// The paper must not match it (`!`).
    pub(super) negated: bool,
    /// A capital letter in it asks for exact case (smart case, per term as in fzf).
    pub(super) respect_case: bool,
    /// Folded, and lower-cased unless the case counts.
    pub(super) chars: Vec<char>,
}

impl Term {
    /// True when every paper this term matches, `earlier` matches too: it is `earlier` grown at its end.
    pub(super) fn refines(&self, earlier: &Term) -> bool {
        self.field == earlier.field
            && self.kind == earlier.kind
            && !self.negated
            && !earlier.negated
            && self.respect_case == earlier.respect_case
            && self.kind != Kind::Suffix
            && self.kind != Kind::Equal
            && self.chars.starts_with(&earlier.chars)
    }
}

/// The terms of `query`, split at spaces.
pub(super) fn parse(query: &str) -> Vec<Term> {
    query.split_whitespace().filter_map(term).collect()
}

pub(super) fn term(token: &str) -> Option<Term> {
    let author = token.strip_prefix('@').map(|name| (false, name));
    if let Some((negated, name)) = author.or_else(|| token.strip_prefix("!@").map(|name| (true, name))) {
        let mut term = fuzzy_term(Field::Authors, name);
        term.negated = negated;
        return Some(term).filter(|t| !t.chars.is_empty());
    }
    // An identifier, or with `!` before it, every paper but those under it.
    let (negated, id) = match token.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, token),
    };
    // As arXiv writes them in a paper: `arXiv:2406.10037`.
    let id = match id.get(..6).zip(id.get(6..)) {
        Some((prefix, rest)) if prefix.eq_ignore_ascii_case("arxiv:") && is_arxiv_id(rest) => rest,
        _ => id,
    };
    if is_arxiv_id(id) {
        let id = id.to_ascii_lowercase();
        return Some(Term {
            field: Field::Id,
            kind: Kind::Prefix,
            negated,
            respect_case: false,
            chars: id.chars().collect(),
        });
    }
    let mut text = token;
    let (mut kind, mut negated) = (Kind::Fuzzy, false);
    if let Some(rest) = text.strip_prefix('!') {
        (negated, kind, text) = (true, Kind::Exact, rest);
    }
    if text != "$"
        && let Some(rest) = text.strip_suffix('$')
    {
        (kind, text) = (Kind::Suffix, rest);
    }
    if let Some(rest) = text.strip_prefix('\'') {
        // `'` makes a fuzzy term exact, and a negated one fuzzy again (fzf's rule).
        kind = if negated { Kind::Fuzzy } else { Kind::Exact };
        text = rest;
    } else if let Some(rest) = text.strip_prefix('^') {
        kind = if kind == Kind::Suffix { Kind::Equal } else { Kind::Prefix };
        text = rest;
    }
    let mut term = fuzzy_term(Field::Title, text);
    (term.kind, term.negated) = (kind, negated);
    Some(term).filter(|t| !t.chars.is_empty())
}

pub(super) fn fuzzy_term(field: Field, text: &str) -> Term {
    let mut chars = Vec::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut |f| chars.push(f));
    }
    let respect_case = chars.iter().any(|c| c.is_uppercase());
    if !respect_case {
        for c in &mut chars {
            *c = c.to_lowercase().next().unwrap_or(*c);
        }
    }
    Term { field, kind: Kind::Fuzzy, negated: false, respect_case, chars }
}

/// An arXiv identifier or the start of one: `2406.10037`, `2406.1`, `2406.10037v2`, `hep-ex/0307015`,
/// `math.GT/0309136`, `hep-th/99`.
fn is_arxiv_id(token: &str) -> bool {
    let b = token.as_bytes();
    // New style: four digits (year and month), a dot, up to five digits, a version.
    if b.len() >= 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'.' {
        let rest = &token[5..];
        let (number, version) = rest.split_once('v').unwrap_or((rest, ""));
        return number.len() <= 5
            && number.bytes().all(|c| c.is_ascii_digit())
            && version.bytes().all(|c| c.is_ascii_digit())
            && (version.is_empty() || number.len() >= 4);
    }
    // Old style: an archive (letters and hyphens, maybe a subject class), a slash, digits.
    let Some((archive, number)) = token.split_once('/') else { return false };
    let (archive, class) = archive.split_once('.').unwrap_or((archive, "AA"));
    !archive.is_empty()
        && archive.bytes().all(|c| c.is_ascii_lowercase() || c == b'-')
        && archive.as_bytes()[0].is_ascii_lowercase()
        && class.len() == 2
        && class.bytes().all(|c| c.is_ascii_uppercase())
        && !number.is_empty()
        && number.len() <= 7
        && number.bytes().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fzf_syntax_fields_and_identifiers_are_told_apart() {
        let kinds = |q: &str| parse(q).iter().map(|t| (t.field, t.kind, t.negated)).collect::<Vec<_>>();
        assert_eq!(kinds("'yolo"), [(Field::Title, Kind::Exact, false)]);
        assert_eq!(
            kinds("^sur net$ ^a$ !x !'y"),
            [
                (Field::Title, Kind::Prefix, false),
                (Field::Title, Kind::Suffix, false),
                (Field::Title, Kind::Equal, false),
                (Field::Title, Kind::Exact, true),
                (Field::Title, Kind::Fuzzy, true),
            ]
        );
        assert_eq!(
            kinds("@hinton capsule"),
            [(Field::Authors, Kind::Fuzzy, false), (Field::Title, Kind::Fuzzy, false)]
        );
        for id in ["2406.10037", "2406.1", "2406.", "2406.10037v2", "hep-ex/0307015", "math.GT/0309136", "hep-th/99"] {
            assert_eq!(kinds(id), [(Field::Id, Kind::Prefix, false)], "{id}");
        }
        for word in ["2406", "1.5", "24061.1", "and/or", "hep-ex/", "/0307015", "3.5v"] {
            assert_eq!(kinds(word)[0].0, Field::Title, "{word}");
        }
        // Nothing to match: no term.
        assert!(parse("@ ^ ' !").is_empty());
    }

    #[test]
    fn terms_are_folded_and_smart_cased_one_by_one() {
        let terms = parse("Über schrödinger");
        assert_eq!(terms[0].chars.iter().collect::<String>(), "Uber");
        assert!(terms[0].respect_case);
        assert_eq!(terms[1].chars.iter().collect::<String>(), "schrodinger");
        assert!(!terms[1].respect_case);
    }
}
