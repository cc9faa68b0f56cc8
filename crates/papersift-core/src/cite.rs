//! Citations: a stored [`Record`] written back out as a BibTeX entry, for "copy citation".
//!
//! The entry carries exactly what the index stores, escaped so that any BibTeX reader (and
//! this crate's own) reads the same text back. It is available without the `build` feature,
//! because the search engine offers it.
//!
//! ```
//! use papersift_core::{cite, Record};
//!
//! let record = Record {
//!     id: "1706.03762".into(),
//!     title: "Attention Is All You Need".into(),
//!     authors: vec!["Ashish Vaswani".into(), "Noam Shazeer".into()],
//!     year: Some(2017),
//!     arxiv: Some("1706.03762".into()),
//!     ..Record::default()
//! };
//! let entry = cite::bibtex(&record);
//! assert!(entry.starts_with("@misc{vaswani2017attention,\n"));
//! assert!(entry.contains("  author = {Ashish Vaswani and Noam Shazeer},\n"));
//! assert!(entry.contains("  eprint = {1706.03762},\n  archivePrefix = {arXiv},\n"));
//! ```

use std::fmt::Write;

use crate::record::Record;
use crate::text;

/// The BibTeX entry for `record`: `@article` when it names a venue (other than an arXiv
/// category), `@misc` otherwise; fields `author`, `title`, `journal`, `year`, `doi`, `url`,
/// `eprint` (with `archivePrefix` and `primaryClass`) and `abstract`, each present only when the
/// record has it. The key is [`key`]'s.
pub fn bibtex(record: &Record) -> String {
    let category = record.venue.as_deref().filter(|venue| is_arxiv_category(venue));
    let journal = record.venue.as_deref().filter(|venue| category.is_none() && !venue.is_empty());
    let kind = if journal.is_some() { "article" } else { "misc" };
    let authors: Vec<String> = record.authors.iter().map(|name| author(name)).collect();
    let year = record.year.map(|year| year.to_string());
    let fields = [
        ("author", (!authors.is_empty()).then(|| authors.join(" and "))),
        ("title", non_empty(&record.title).map(escape)),
        ("journal", journal.map(escape)),
        ("year", year),
        ("doi", record.doi.as_deref().map(verbatim)),
        ("url", record.url.as_deref().map(verbatim)),
        ("eprint", record.arxiv.as_deref().map(verbatim)),
        ("archivePrefix", record.arxiv.as_ref().map(|_| "arXiv".to_string())),
        ("primaryClass", category.filter(|_| record.arxiv.is_some()).map(escape)),
        ("abstract", non_empty(&record.abstract_text).map(escape)),
    ];
    let mut entry = format!("@{kind}{{{},\n", key(record));
    for (name, value) in fields {
        if let Some(value) = value {
            // Writing to a String cannot fail.
            let _ = writeln!(entry, "  {name} = {{{value}}},");
        }
    }
    entry.push_str("}\n");
    entry
}

/// The citation key: the first author's family name, the year and the first title word that is
/// not a stop word, folded to ASCII and lower-cased (`vaswani2017attention`), as Google Scholar
/// and DBLP users expect. A record with no usable author falls back to its id, with the
/// characters BibTeX forbids in keys replaced by `_`. The key depends only on the record, so
/// copying the same paper twice gives the same key.
///
/// ```
/// use papersift_core::{cite, Record};
/// let record = Record { id: "x/1".into(), title: "On the Merging of Models".into(), ..Record::default() };
/// assert_eq!(cite::key(&record), "x/1");
/// let record = Record { authors: vec!["Schrödinger, Erwin".into()], year: Some(1935), ..record };
/// assert_eq!(cite::key(&record), "schrodinger1935merging");
/// ```
pub fn key(record: &Record) -> String {
    let family = record.authors.first().map(|name| ascii_word(family_name(name))).unwrap_or_default();
    if family.is_empty() {
        return record
            .id
            .chars()
            .map(|c| if c.is_whitespace() || c.is_control() || ",{}()=\"#%'\\~".contains(c) { '_' } else { c })
            .collect();
    }
    let year = record.year.map(|year| year.to_string()).unwrap_or_default();
    let mut first_word = String::new();
    text::for_each_token(&record.title, |token| {
        if first_word.is_empty() && token.kind == text::TokenKind::Whole && !text::is_stop_word(token.term) {
            first_word = ascii_word(token.term);
        }
    });
    format!("{family}{year}{first_word}")
}

fn non_empty(text: &str) -> Option<&str> {
    Some(text).filter(|text| !text.is_empty())
}

/// One author for the `author` field. A name holding a standalone `and` would be read as two
/// people, so it is braced whole (as BibTeX does for corporate names).
fn author(name: &str) -> String {
    let escaped = escape(name);
    if name.split_whitespace().any(|word| word.eq_ignore_ascii_case("and")) {
        format!("{{{escaped}}}")
    } else {
        escaped
    }
}

/// The family name of a stored name: before the comma in `Last, First`, else the last word.
fn family_name(name: &str) -> &str {
    match name.split_once(',') {
        Some((family, _)) => family,
        None => name.split_whitespace().last().unwrap_or(""),
    }
}

/// The ASCII letters and digits of `word` after the tokenizer's folding (`Schrödinger` →
/// `schrodinger`, `D'Incà` → `dinca`); other scripts have none and give an empty string.
fn ascii_word(word: &str) -> String {
    word.chars()
        .flat_map(|c| text::normalize(c.encode_utf8(&mut [0; 4])).chars().collect::<Vec<_>>())
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// An arXiv category such as `cs.CL` or `math.AG`, which names a subject, not a journal.
fn is_arxiv_category(venue: &str) -> bool {
    let Some((archive, subject)) = venue.split_once('.') else {
        return false;
    };
    !archive.is_empty()
        && archive.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && !subject.is_empty()
        && subject.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
}

/// A field BibTeX and biblatex read verbatim (`doi`, `url`, `eprint`): no TeX escapes, which
/// would stay in the link, but braces and backslashes are percent-encoded so the entry stays
/// balanced and the link still resolves.
fn verbatim(text: &str) -> String {
    text.replace('\\', "%5C").replace('{', "%7B").replace('}', "%7D")
}

/// Escapes text for a braced BibTeX field: the characters TeX treats specially become commands
/// that print them, so unbalanced braces or a `%` in a title cannot break the entry. Other
/// Unicode is written as is (biber, bibtex8 and this crate read UTF-8).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            // TeX ligatures `--` and `---` into dashes; an empty group keeps hyphens apart.
            '-' if out.ends_with('-') => out.push_str("{}-"),
            '\\' => out.push_str("\\textbackslash{}"),
            // BibTeX counts braces even after a backslash, so `\{` would unbalance the entry.
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper() -> Record {
        Record {
            id: "p1".into(),
            title: "The Merging of 50% Models & {Weights}: pre--training ``x'' --- a~b".into(),
            abstract_text: "We merge models_a and models_b at cost $x^2$ ~ #3.".into(),
            authors: vec!["Moreno D'Incà".into(), "Smith and Sons".into(), "Ludwig van Beethoven".into()],
            year: Some(2024),
            venue: Some("Transactions on Machine Learning Research".into()),
            url: Some("https://example.org/a_b?x=1&y=2".into()),
            doi: Some("10.1000/xyz_1".into()),
            arxiv: None,
        }
    }

    #[test]
    fn a_journal_paper_is_an_article_with_escaped_fields() {
        let entry = bibtex(&paper());
        assert_eq!(
            entry,
            concat!(
                "@article{dinca2024merging,\n",
                "  author = {Moreno D'Incà and {Smith and Sons} and Ludwig van Beethoven},\n",
                "  title = {The Merging of 50\\% Models \\& \\textbraceleft{}Weights\\textbraceright{}: pre-{}-training ``x'' -{}-{}- a\\textasciitilde{}b},\n",
                "  journal = {Transactions on Machine Learning Research},\n",
                "  year = {2024},\n",
                "  doi = {10.1000/xyz_1},\n",
                "  url = {https://example.org/a_b?x=1&y=2},\n",
                "  abstract = {We merge models\\_a and models\\_b at cost \\$x\\textasciicircum{}2\\$ \\textasciitilde{} \\#3.},\n",
                "}\n"
            )
        );
    }

    #[test]
    fn a_preprint_is_misc_with_its_eprint_and_category() {
        let record = Record { venue: Some("cs.CL".into()), arxiv: Some("2401.00001".into()), doi: None, ..paper() };
        let entry = bibtex(&record);
        assert!(entry.starts_with("@misc{dinca2024merging,\n"), "{entry}");
        assert!(!entry.contains("journal"), "{entry}");
        assert!(
            entry.contains("  eprint = {2401.00001},\n  archivePrefix = {arXiv},\n  primaryClass = {cs.CL},\n"),
            "{entry}"
        );
    }

    #[test]
    fn a_record_without_authors_is_keyed_by_its_id_made_safe() {
        let record = Record { id: "a b,{c}%".into(), title: "T".into(), ..Record::default() };
        assert_eq!(key(&record), "a_b__c__");
        assert_eq!(bibtex(&record), "@misc{a_b__c__,\n  title = {T},\n}\n");
    }

    #[test]
    fn keys_skip_stop_words_and_fold_accents() {
        let record = Record {
            title: "A Study of Ünicode".into(),
            authors: vec!["García Pérez, Juan".into()],
            year: None,
            ..Record::default()
        };
        assert_eq!(key(&record), "garciaperezstudy");
    }

    #[test]
    fn links_are_verbatim_with_braces_percent_encoded() {
        assert_eq!(verbatim("https://x.org/{a}\\b_%20&c"), "https://x.org/%7Ba%7D%5Cb_%20&c");
    }

    #[test]
    fn arxiv_categories_are_told_from_venues() {
        for category in ["cs.CL", "math.AG", "astro-ph.GA", "stat.ML"] {
            assert!(is_arxiv_category(category), "{category}");
        }
        for venue in ["NeurIPS", "Proc. ACL", "J. Mach. Learn. Res.", "cs.", "arXiv"] {
            assert!(!is_arxiv_category(venue), "{venue}");
        }
    }

    /// A record holding only text the core's BibTeX reader can give back: it reads braces and
    /// `~` as TeX markup (case protection, a tie) and drops them even when escaped, and a
    /// backslash always starts a command. Those characters are checked by the exact entry in
    /// `a_journal_paper_is_an_article_with_escaped_fields` instead.
    #[cfg(feature = "build")]
    fn readable(record: Record) -> Record {
        let strip = |text: &str| text.replace(['{', '}', '\\'], "").replace('~', "-");
        Record { title: strip(&record.title), abstract_text: strip(&record.abstract_text), ..record }
    }

    /// What the core's own BibTeX reader makes of an entry written here is the record itself.
    #[cfg(feature = "build")]
    #[test]
    fn entries_read_back_as_the_same_record() {
        use crate::record::{read_records, InputFormat};
        let preprint = Record {
            id: "dinca2024merging".into(),
            venue: Some("cs.CL".into()),
            arxiv: Some("2401.00001".into()),
            url: Some("https://arxiv.org/abs/2401.00001".into()),
            doi: None,
            ..readable(paper())
        };
        for original in [Record { id: "dinca2024merging".into(), ..readable(paper()) }, preprint] {
            let entry = bibtex(&original);
            let mut read = read_records("copied.bib", Box::new(entry.as_bytes()), Some(InputFormat::Bibtex));
            let (_, back) = read.next().expect("one entry").unwrap_or_else(|error| panic!("{error}\n{entry}"));
            assert!(read.next().is_none());
            // `primaryClass` is not a venue to every reader, so an arXiv category may come back
            // absent; everything else must come back exactly.
            let expected = match &back.venue {
                None if original.arxiv.is_some() => Record { venue: None, ..original.clone() },
                _ => original.clone(),
            };
            assert_eq!(back, expected, "\n{entry}");
        }
    }

    #[cfg(feature = "build")]
    #[test]
    fn a_paper_in_an_index_is_cited_from_its_stored_record() {
        use crate::builder::{build_index, BuildOptions, Source};
        let jsonl = concat!(
            r#"{"id":"a","title":"Model merging","authors":["Ada Lovelace"],"year":1843}"#,
            "\n",
            r#"{"id":"b","title":"Task arithmetic","venue":"ICLR"}"#,
            "\n"
        );
        let (bytes, _) =
            build_index(vec![Source::from_bytes("p.jsonl", jsonl.as_bytes())], &BuildOptions::default()).unwrap();
        let index = crate::Index::from_bytes(bytes).unwrap();
        let cite = |id| index.record_by_id(id).map(|record| bibtex(&record));
        assert_eq!(cite("a").as_deref(), Some("@misc{lovelace1843model,\n  author = {Ada Lovelace},\n  title = {Model merging},\n  year = {1843},\n}\n"));
        assert!(cite("b").unwrap().starts_with("@article{b,\n"));
        assert_eq!(cite("c"), None);
    }

    #[cfg(feature = "build")]
    mod properties {
        use super::*;
        use crate::record::{read_records, InputFormat};
        use proptest::prelude::*;

        /// Words of letters, digits, TeX specials and other Unicode, joined by single spaces,
        /// since the reader collapses whitespace runs. Without `{`, `}`, `~` and `\`, which the
        /// reader cannot give back (see `readable`).
        fn text() -> impl Strategy<Value = String> {
            prop::collection::vec("[a-zA-Z0-9%&$#_^.,:;!?'()\\[\\]/<>=+*@|\"`éüßøλ中-]{1,8}", 1..8)
                .prop_map(|words| words.join(" "))
        }

        proptest! {
            #[test]
            fn titles_and_abstracts_read_back_unchanged(title in text(), abstract_text in text()) {
                let record = Record { id: "k".into(), title, abstract_text, ..Record::default() };
                let entry = bibtex(&record);
                let mut read = read_records("copied.bib", Box::new(entry.as_bytes()), Some(InputFormat::Bibtex));
                let back = read.next().expect("one entry").map(|(_, record)| record);
                prop_assert!(back.is_ok(), "{:?}\n{}", back, entry);
                let back = back.unwrap();
                prop_assert_eq!(&back.title, &record.title, "{}", entry);
                prop_assert_eq!(&back.abstract_text, &record.abstract_text, "{}", entry);
            }
        }
    }
}
