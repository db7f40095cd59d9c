//! The export formats as the command line names and explains them (`--format`, `--export-format`).

use clap::ValueEnum;
use clap::builder::PossibleValue;

use crate::export::Format;

// Here rather than derived on `Format`, so that the export model does not depend on the command line.
impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Format::Bibtex, Format::Markdown, Format::Json, Format::Csv, Format::Ris]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let (name, help) = match self {
            Format::Bibtex => ("bibtex", "`@misc` entries with arXiv eprint fields, for BibTeX, biblatex and biber"),
            Format::Markdown => ("markdown", "A reading list to share: one list item per paper, without abstracts"),
            Format::Json => ("json", "A pretty-printed array of entries, with every field"),
            Format::Csv => ("csv", "One row per paper under a header row, lists joined with \"; \""),
            Format::Ris => {
                ("ris", "Tagged records (TY … ER) for EndNote, Zotero, Mendeley and other reference managers")
            }
        };
        Some(PossibleValue::new(name).help(help))
    }
}
