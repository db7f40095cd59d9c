use super::*;

#[test]
fn no_file_means_hugging_face_only() {
    let dir = tempfile::tempdir().unwrap();
    let config = load(&dir.path().join("config.toml")).unwrap();
    assert_eq!(config, Config::default());
    let names: Vec<String> = config.sources(None).iter().map(Source::name).collect();
    assert_eq!(names, ["huggingface"]);
}

#[test]
fn the_template_is_the_defaults() {
    assert_eq!(parse(TEMPLATE).unwrap(), Config::default());
    // And with every line uncommented it still parses, so that no example in it is wrong.
    let uncommented: String = TEMPLATE
        .lines()
        .map(|l| l.strip_prefix("# ").filter(|l| l.contains(" = ") || l.starts_with("[[")).unwrap_or(l))
        .map(|l| format!("{l}\n"))
        .collect();
    let config = parse(&uncommented).unwrap();
    assert_eq!(config.arxiv.categories, ["cs.LG", "cs.CL"]);
    assert_eq!(config.arxiv.searches[0].query, "cat:cs.CL AND ti:retrieval");
    assert_eq!(config.commands["view"].input, Input::Pdf);
    assert_eq!(config.commands["summary"].argv[0], "llm");
}

#[test]
fn sources_are_named_and_the_environment_endpoint_wins() {
    let config =
        parse("[arxiv]\ncategories = [\"cs.LG\"]\n[[arxiv.searches]]\nname = \"rag\"\nquery = \"ti:retrieval\"\n")
            .unwrap();
    let sources = config.sources(Some("http://127.0.0.1:9/"));
    let names: Vec<String> = sources.iter().map(Source::name).collect();
    assert_eq!(names, ["huggingface", "arxiv-cs.LG", "search-rag"]);
    assert_eq!(sources[0], Source::HuggingFace { endpoint: "http://127.0.0.1:9".into() });
}

#[test]
fn a_bad_file_says_where_and_what() {
    let (at, why) = parse("fetch_on_start = true\n[arxiv]\ncategories = \"cs.LG\"\n").unwrap_err();
    assert_eq!(at, Some((3, 14)), "{why}");
    assert!(why.contains("expected a sequence") || why.contains("invalid type"), "{why}");
    let (at, why) = parse("[huggingface]\nenabeld = false\n").unwrap_err();
    assert_eq!(at.map(|a| a.0), Some(2));
    assert!(why.contains("unknown field `enabeld`"), "{why}");
    let (at, why) = parse("[arxiv]\ncategories = [\"cs.LG\",\n  \"cs.LG\"]\n").unwrap_err();
    assert!(why.contains("given twice"), "{why}");
    assert_eq!(at, Some((3, 3)), "the second one: {why}");
    let (at, why) = parse("[[arxiv.searches]]\nname = \"../x\"\nquery = \"q\"\n").unwrap_err();
    assert!(why.contains("may hold only"), "{why}");
    assert_eq!(at.map(|a| a.0), Some(2), "{why}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "fetch_on_start = maybe\n").unwrap();
    let error = load(&path).unwrap_err().to_string();
    assert!(error.starts_with(&format!("{}:1:18: ", path.display())), "{error}");
}

#[test]
fn an_endpoint_that_is_not_an_http_url_is_refused_where_it_is_written() {
    for (text, line) in [
        ("[huggingface]\nendpoint = \"not a url\"\n", 2),
        ("[huggingface]\nendpoint = \"ftp://example.org\"\n", 2),
        ("[arxiv]\ncategories = []\nrss_endpoint = \"rss.arxiv.org/rss\"\n", 3),
        ("[arxiv]\napi_endpoint = \"https://\"\n", 2),
        ("[pdf]\nendpoint = \"\"\n", 2),
    ] {
        let (at, why) = parse(text).unwrap_err();
        assert_eq!(at.map(|a| a.0), Some(line), "{text}: {why}");
        assert!(why.contains("an endpoint is an http:// or https:// URL"), "{text}: {why}");
    }
    for good in ["http://127.0.0.1:8080", "https://hf-mirror.com/", "HTTPS://arxiv.org/pdf"] {
        let config = parse(&format!("[huggingface]\nendpoint = \"{good}\"\n[pdf]\nendpoint = \"{good}\"\n"));
        assert!(config.is_ok(), "{good}: {config:?}");
    }
}

#[test]
fn waits_and_sizes_that_cannot_work_are_refused_where_they_are_written() {
    for (text, line) in [
        ("[fetch]\ntimeout = 0\n", 2),
        ("[fetch]\ntimeout = -3\n", 2),
        ("[fetch]\ntimeout = nan\n", 2),
        ("[fetch]\ntimeout = inf\n", 2),
        ("[fetch]\ntimeout = 100000\n", 2),
        ("[fetch]\nbackoff = -1\n", 2),
        ("[fetch]\nretries = 1000\n", 2),
        ("[fetch]\nmax_answer_mb = 0\n", 2),
        ("[pdf]\nmax_mb = 0\n", 2),
        ("[pdf]\n\ntimeout = -1\n", 3),
        ("[commands]\nneg = { argv = [\"echo\", \"hi\"], timeout = -1 }\n", 2),
        ("[commands]\nnan = { argv = [\"echo\"], timeout = nan }\n", 2),
    ] {
        let (at, why) = parse(text).unwrap_err();
        assert_eq!(at.map(|a| a.0), Some(line), "{text}: {why}");
        assert!(why.contains("at most") || why.contains("from"), "{text}: {why}");
    }
    // A huge number is shown as written, not as its hundreds of digits.
    let (_, why) = parse("[fetch]\nbackoff = 1e308\n").unwrap_err();
    assert!(why.ends_with("not 1e308"), "{why}");
    // A command that is not a table says what one looks like, not the name of a type of ours.
    let (at, why) = parse("[commands]\nx = \"llm\"\n").unwrap_err();
    assert_eq!(at.map(|a| a.0), Some(2), "{why}");
    assert!(why.contains("a table such as { argv = [") && !why.contains("PaperCommand"), "{why}");
    // What can work still does: whole numbers and fractions, a backoff of 0, the bounds themselves.
    let config = parse(
        "[fetch]\ntimeout = 2.5\nbackoff = 0\nretries = 20\nmax_answer_mb = 1\n[pdf]\ntimeout = 86400\n\
         [commands]\nx = { argv = [\"x\"], timeout = 1 }\n",
    )
    .unwrap();
    assert_eq!((config.fetch.timeout, config.fetch.backoff, config.fetch.retries), (2.5, 0.0, 20));
    assert_eq!((config.fetch.max_answer_mb, config.pdf.timeout), (1, 86_400.0));
}

#[test]
fn the_reader_can_be_started_on_a_filter_and_a_sort_and_a_wrong_one_is_named() {
    let config = parse("filter = \"unread\"\nsort = \"newest\"\n").unwrap();
    assert_eq!((config.filter, config.sort), (StartFilter::Unread, StartSort::Newest));
    assert_eq!((Config::default().filter, Config::default().sort), (StartFilter::All, StartSort::Digest));
    // Case does not count; a value that is none of theirs is a warning with its place, the default
    // standing, as in [theme].
    let config = parse("filter = \"Unread\"\nsort = \"popular\"\n").unwrap();
    assert_eq!((config.filter, config.sort), (StartFilter::Unread, StartSort::Digest));
    assert_eq!(config.warnings.len(), 1, "{:?}", config.warnings);
    assert_eq!(config.warnings[0].at, Some((2, 8)));
    assert!(config.warnings[0].text.contains("not popular; digest order is used"), "{:?}", config.warnings);
    let config = parse("filter = 3\n").unwrap();
    assert_eq!(config.filter, StartFilter::All);
    assert!(config.warnings[0].text.contains("`filter` is all, unread or starred, not 3"), "{:?}", config.warnings);
}
