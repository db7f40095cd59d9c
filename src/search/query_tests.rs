//! The query language's parser: every operator, precedence, filters and errors.

use super::*;

/// The alternatives of `query`, each as its terms and filters in a short form: `word` a fuzzy title term,
/// `'run` an exact one, `!` negated, `@name` authors, `id:` an identifier, filters as typed.
fn shown(query: &str) -> Vec<String> {
    let alternatives = parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    alternatives
        .iter()
        .map(|a| {
            let terms = a.terms.iter().map(|t| {
                let text: String = t.chars.iter().collect();
                let not = if t.negated { "!" } else { "" };
                match (t.field, t.kind) {
                    (Field::Authors, _) => format!("{not}@{text}"),
                    (Field::Id, _) => format!("{not}id:{text}"),
                    (_, Kind::Fuzzy) => format!("{not}{text}"),
                    (_, Kind::Exact) => format!("{not}'{text}"),
                    (_, kind) => format!("{not}{kind:?}:{text}"),
                }
            });
            let atoms = a.atoms.iter().map(|(atom, negated)| {
                let not = if *negated { "!" } else { "" };
                match atom {
                    Atom::Category(c) => format!("{not}cat:{c}"),
                    Atom::Abstract { text, .. } => format!("{not}abstract:{text}"),
                    Atom::Tag(t) => format!("{not}tag:{t}"),
                    Atom::Is(mark) => format!("{not}is:{mark:?}"),
                }
            });
            terms.chain(atoms).collect::<Vec<_>>().join(" ")
        })
        .collect()
}

fn error(query: &str) -> String {
    match parse(query) {
        Ok(alternatives) => panic!("{query} parsed: {alternatives:?}"),
        Err(e) => e.0,
    }
}

#[test]
fn adjacent_words_and_and_are_one_alternative() {
    assert_eq!(shown("graph neural"), ["graph neural"]);
    assert_eq!(shown("graph AND neural"), ["graph neural"]);
    assert_eq!(shown(""), [""]);
    // Only capitals are operators: titles say "and", "or" and "not".
    assert_eq!(shown("salt and pepper or not"), ["salt and pepper or not"]);
}

#[test]
fn or_and_the_pipe_make_alternatives() {
    assert_eq!(shown("a OR b"), ["a", "b"]);
    assert_eq!(shown("a | b"), ["a", "b"]);
    assert_eq!(shown("a OR b OR c"), ["a", "b", "c"]);
}

#[test]
fn not_binds_tightest_then_and_then_or() {
    assert_eq!(shown("a b OR c"), ["a b", "c"]);
    assert_eq!(shown("a OR b c"), ["a", "b c"]);
    assert_eq!(shown("a AND b OR c AND d"), ["a b", "c d"]);
    assert_eq!(shown("NOT a b"), ["!'a b"]);
    assert_eq!(shown("NOT a OR b"), ["!'a", "b"]);
    // fzf's `|` joins the words beside it, before adjacency does.
    assert_eq!(shown("core go$ | rb$"), ["core Suffix:go", "core Suffix:rb"]);
    assert_eq!(shown("a b | c d"), ["a b d", "a c d"]);
}

#[test]
fn parentheses_group() {
    assert_eq!(shown("(a OR b) c"), ["a c", "b c"]);
    assert_eq!(shown("a (b OR (c d))"), ["a b", "a c d"]);
    assert_eq!(shown("((a))"), ["a"]);
    // Inside a word, or a lone `)` with no group open, parentheses are letters.
    assert_eq!(shown("f(x)"), ["f(x)"]);
    assert_eq!(shown("a )"), ["a )"]);
}

#[test]
fn not_is_pushed_down_to_terms_and_filters() {
    assert_eq!(shown("NOT (a OR b)"), ["!'a !'b"]);
    assert_eq!(shown("NOT (a b)"), ["!'a", "!'b"]);
    assert_eq!(shown("NOT NOT a"), ["a"]);
    assert_eq!(shown("NOT !a"), ["'a"]);
    assert_eq!(shown("!a"), ["!'a"]);
    assert_eq!(shown("NOT is:read"), ["!is:Read"]);
    assert_eq!(shown("!cat:cs.CL"), ["!cat:cs.cl"]);
    assert_eq!(shown("NOT @hinton"), ["!@hinton"]);
}

#[test]
fn filters_are_told_from_words() {
    assert_eq!(shown("cat:cs.AI"), ["cat:cs.ai"]);
    assert_eq!(shown("author:hinton capsule"), ["@hinton capsule"]);
    assert_eq!(shown("author:hinton"), shown("@hinton"));
    assert_eq!(shown("title:mamba"), ["'mamba"]);
    assert_eq!(shown("abstract:Retrieval"), ["abstract:Retrieval"]);
    assert_eq!(shown("abstract:retrieval"), ["abstract:retrieval"]);
    assert_eq!(shown("tag:todo"), ["tag:todo"]);
    assert_eq!(shown("#ToDo !#done"), ["tag:todo !tag:done"]);
    assert_eq!(shown("is:unread is:READ is:starred"), ["is:Unread is:Read is:Starred"]);
    assert_eq!(shown("Title:x CAT:cs"), ["'x cat:cs"]);
    // Another `word:` is a title word: titles hold colons.
    assert_eq!(shown("BERT: pre-training"), ["BERT: pre-training"]);
    assert_eq!(shown("re:invent"), ["re:invent"]);
    assert_eq!(shown("2406.10037"), ["id:2406.10037"]);
}

#[test]
fn quotes_are_runs_of_the_title_or_a_field() {
    assert_eq!(shown("\"state  space\" model"), ["'state space model"]);
    assert_eq!(shown("!\"state space\""), ["!'state space"]);
    assert_eq!(shown("title:\"state space\""), ["'state space"]);
    assert_eq!(shown("abstract:\"Large Language\""), ["abstract:Large Language"]);
    assert_eq!(shown("author:\"yann lecun\""), ["@yann lecun"]);
    assert_eq!(shown("@\"yann lecun\" !@\"le cun\""), ["@yann lecun !@le cun"]);
    assert_eq!(shown("(\"a b\" OR c)"), ["'a b", "c"]);
    // Folded like titles: the dash and the accent.
    assert_eq!(shown("\"Schrödinger–bridge\""), ["'Schrodinger-bridge"]);
    // Nothing quoted: nothing to match.
    assert_eq!(shown("\"\" a"), ["a"]);
    // Curly quotes, pasted from a PDF or typed with smart quotes, quote as straight ones do.
    assert_eq!(shown("\u{201c}state space\u{201d} model"), ["'state space model"]);
    assert_eq!(shown("abstract:\u{201e}Large Language\u{201c}"), ["abstract:Large Language"]);
    assert_eq!(shown("\u{2018}nested"), ["'nested"]);
    assert_eq!(error("\u{201c}state space"), "a \" is not closed");
}

#[test]
fn an_arxiv_identifier_is_one_as_a_paper_cites_it_too() {
    assert_eq!(shown("arXiv:2401.00004"), ["id:2401.00004"]);
    assert_eq!(shown("!arxiv:2401.00004v2"), ["!id:2401.00004v2"]);
    assert_eq!(shown("ARXIV:hep-th/9901001"), ["id:hep-th/9901001"]);
    // Not an identifier after it: a title word, as any other `word:`.
    assert_eq!(shown("arxiv:mamba"), ["arxiv:mamba"]);
}

#[test]
fn a_query_that_does_not_parse_says_why() {
    assert_eq!(error("\"state space"), "a \" is not closed");
    assert_eq!(error("a AND"), "AND needs a term after it");
    assert_eq!(error("AND a"), "AND needs a term before it");
    assert_eq!(error("a OR"), "OR needs a term after it");
    assert_eq!(error("OR a"), "OR needs a term before it");
    assert_eq!(error("a |"), "| needs a term after it");
    assert_eq!(error("NOT"), "NOT needs a term after it");
    assert_eq!(error("a AND OR b"), "AND needs a term after it");
    assert_eq!(error("(a"), "a ( is not closed");
    assert_eq!(error("deep ("), "a ( is not closed");
    // Nested past a bound, refused rather than a call deeper each (ten thousand overflowed the stack).
    let nested = |n: usize| format!("{}mamba{}", "(".repeat(n), ")".repeat(n));
    assert!(parse(&nested(MAX_DEPTH)).is_ok());
    assert_eq!(error(&nested(10_000)), "more than 64 ( and NOT within each other");
    assert_eq!(error(&format!("{}mamba", "NOT ".repeat(10_000))), "more than 64 ( and NOT within each other");
    assert!(parse(&format!("{} mamba", "(a) ".repeat(1_000))).is_ok(), "side by side is no deeper");
    assert_eq!(error("()"), "nothing between ( and )");
    assert_eq!(error("is:new"), "is: takes unread, read or starred, not new");
    assert_eq!(error("cat:"), "cat: needs a value");
    assert_eq!(error("abstract:\"\""), "abstract: needs a value");
    assert_eq!(error("@\"\""), "@ needs a value");
    assert!(error("(a | b) (c | d) (e | f) (g | h) (i | j) (k | l)").starts_with("more than 32 ways to match"));
    // No OR typed: a NOT before a group of words multiplies them too, and the reason says so.
    let not_groups = "deep NOT (a b) NOT (c d) NOT (e f) NOT (g h) NOT (i j) NOT (k l)";
    assert!(error(not_groups).contains("NOT before a group of words"), "{}", error(not_groups));
}

#[test]
fn words_that_are_only_syntax_are_left_out() {
    assert_eq!(shown("@ ^ ' !"), [""]);
    // `#` alone is a tag not typed yet, as `@` is an author: every paper passes while it is typed.
    assert_eq!(shown("# !#"), [""]);
    assert_eq!(shown("mamba #"), shown("mamba"));
    assert_eq!(shown("a OR @"), ["a", ""]);
    assert_eq!(shown("NOT @"), [""]);
}
