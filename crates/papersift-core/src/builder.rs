//! Turns records into index bytes: terms → postings, the fst term dictionary, the stem map and
//! stored fields, written through [`crate::format::Writer`].

use std::collections::{BTreeMap, HashMap};

use crate::format::dictionary::DictionaryWriter;
use crate::format::meta::Meta;
use crate::format::postings::ListWriter;
use crate::format::store::StoreWriter;
use crate::format::{Section, Writer};
use crate::record::{Record, RecordError};
use crate::schema::{Field, FieldFreqs, FIELD_COUNT};
use crate::text::{self, TokenKind};

/// Builds an index from records, in memory. Memory grows with the compressed postings and
/// stored fields, not with the raw input.
#[derive(Default)]
pub struct IndexBuilder {
    terms: HashMap<String, ListWriter>,
    store: StoreWriter,
    doc_count: u32,
    field_totals: [u64; FIELD_COUNT],
}

/// What a build did. Always `read == indexed + skipped.len()`.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Records read from all sources.
    pub read: usize,
    /// Records in the index.
    pub indexed: usize,
    /// Records left out, with the reasons.
    pub skipped: Vec<RecordError>,
    /// Distinct terms in the dictionary.
    pub terms: usize,
    /// Index size in bytes.
    pub bytes: usize,
}

/// The text of each indexed field of a record, in [`Field`] order.
fn field_texts(record: &Record) -> [(Field, Vec<&str>); FIELD_COUNT] {
    Field::ALL.map(|field| {
        let texts = match field {
            Field::Title => vec![record.title.as_str()],
            Field::Abstract => vec![record.abstract_text.as_str()],
            Field::Authors => record.authors.iter().map(String::as_str).collect(),
            Field::Venue => record.venue.as_deref().into_iter().collect(),
        };
        (field, texts)
    })
}

impl IndexBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one record as the next document. Ids must be unique ([`build_index`] checks).
    pub fn add(&mut self, record: &Record) {
        let doc = self.doc_count;
        let mut freqs: HashMap<String, FieldFreqs> = HashMap::new();
        let mut lengths = [0u32; FIELD_COUNT];
        for (field, texts) in field_texts(record) {
            let f = field as usize;
            for text in texts {
                text::for_each_token(text, |token| {
                    if token.kind == TokenKind::Whole {
                        lengths[f] += 1;
                    }
                    match freqs.get_mut(token.term) {
                        Some(tf) => tf[f] += 1,
                        None => freqs.entry(token.term.to_string()).or_default()[f] += 1,
                    }
                });
            }
            self.field_totals[f] += u64::from(lengths[f]);
        }
        for (term, tf) in freqs {
            self.terms.entry(term).or_default().push(doc, &tf);
        }
        self.store.push(record, &lengths);
        self.doc_count += 1;
    }

    /// Documents added so far.
    pub fn doc_count(&self) -> u32 {
        self.doc_count
    }

    /// Distinct terms so far.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Writes the index bytes. Deterministic: the same records in the same order give the same bytes.
    pub fn finish(self) -> Vec<u8> {
        let mut terms: Vec<(String, ListWriter)> = self.terms.into_iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));

        let mut postings = Vec::new();
        let mut dictionary = DictionaryWriter::default();
        let mut stem_groups: BTreeMap<String, Vec<(&str, u64)>> = BTreeMap::new();
        for (term, list) in &terms {
            let offset = postings.len() as u64;
            list.write_to(&mut postings);
            dictionary.term(term, offset).expect("terms are sorted and unique");
            stem_groups.entry(text::stem(term).into_owned()).or_default().push((term.as_str(), offset));
        }
        for (stem, members) in &stem_groups {
            // A stem whose only term is the stem itself is left out: the exact lookup finds it.
            if let [(term, _)] = members.as_slice() {
                if term == stem {
                    continue;
                }
            }
            let offsets: Vec<u64> = members.iter().map(|(_, offset)| *offset).collect();
            dictionary.stem(stem, &offsets).expect("stems are sorted and unique");
        }
        let dictionary = dictionary.finish();
        let meta = Meta { doc_count: self.doc_count, field_totals: self.field_totals };
        let (docs, norms, facets) = self.store.finish();

        let mut writer = Writer::default();
        writer.section(Section::Meta, meta.encode());
        writer.section(Section::Terms, dictionary.terms);
        writer.section(Section::Postings, postings);
        writer.section(Section::Stems, dictionary.stems);
        writer.section(Section::StemLists, dictionary.stem_lists);
        writer.section(Section::Docs, docs);
        writer.section(Section::Norms, norms);
        writer.section(Section::Facets, facets);
        writer.finish()
    }
}

#[cfg(feature = "build")]
pub use pipeline::*;

#[cfg(feature = "build")]
mod pipeline {
    use super::*;
    use crate::record::{read_records, InputFormat, Location};
    use std::io::Read;

    /// One input of a build: a named reader (gzip is detected from the bytes).
    pub struct Source<'a> {
        /// Name used in error messages, usually the file path.
        pub name: String,
        /// The bytes.
        pub reader: Box<dyn Read + 'a>,
        /// The format, or `None` to detect it from the name and content.
        pub format: Option<InputFormat>,
    }

    impl<'a> Source<'a> {
        /// A source over in-memory bytes.
        pub fn from_bytes(name: impl Into<String>, bytes: &'a [u8]) -> Self {
            Source { name: name.into(), reader: Box::new(bytes), format: None }
        }
    }

    /// How a build treats bad records.
    #[derive(Debug, Clone, Default)]
    pub struct BuildOptions {
        /// Leave bad records out and list them in the report, instead of failing.
        pub skip_invalid: bool,
    }

    /// Why a build wrote no index.
    #[derive(Debug)]
    pub struct BuildError {
        /// Every bad record found (strict mode reads on to report them all).
        pub errors: Vec<RecordError>,
        /// Counts so far.
        pub report: BuildReport,
    }

    impl std::fmt::Display for BuildError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            writeln!(
                f,
                "{} of {} records are invalid; fix them or build with --skip-invalid:",
                self.errors.len(),
                self.report.read
            )?;
            for error in &self.errors {
                writeln!(f, "  {error}")?;
            }
            Ok(())
        }
    }

    impl std::error::Error for BuildError {}

    /// Reads every source, validates (including duplicate ids across sources) and builds.
    ///
    /// ```
    /// use papersift_core::builder::{build_index, BuildOptions, Source};
    /// use papersift_core::{Index, SearchOptions};
    /// let jsonl = br#"{"id":"a","title":"Model merging in practice","abstract":"We merge models."}"#;
    /// let (bytes, report) = build_index(vec![Source::from_bytes("papers.jsonl", jsonl)], &BuildOptions::default()).unwrap();
    /// assert_eq!((report.read, report.indexed), (1, 1));
    /// let index = Index::from_bytes(bytes).unwrap();
    /// assert_eq!(index.search("merging", &SearchOptions::default()).hits[0].id, "a");
    /// ```
    pub fn build_index(sources: Vec<Source<'_>>, options: &BuildOptions) -> Result<(Vec<u8>, BuildReport), BuildError> {
        let mut builder = IndexBuilder::new();
        let mut report = BuildReport::default();
        let mut first_seen: HashMap<String, (String, Location)> = HashMap::new();
        for source in sources {
            for item in read_records(&source.name, source.reader, source.format) {
                report.read += 1;
                let checked = item.and_then(|(location, record)| {
                    match first_seen.get(&record.id) {
                        Some((first_source, first_location)) => Err(RecordError {
                            source: source.name.clone(),
                            location,
                            field: Some("id".into()),
                            reason: format!(
                                "duplicate id `{}` (first used at {first_source}:{first_location}); ids must be unique across all inputs",
                                record.id
                            ),
                        }),
                        None => {
                            first_seen.insert(record.id.clone(), (source.name.clone(), location));
                            Ok(record)
                        }
                    }
                });
                match checked {
                    Ok(record) if report.skipped.is_empty() || options.skip_invalid => {
                        builder.add(&record);
                        report.indexed += 1;
                    }
                    // Strict mode after an error: keep reading only to report every bad record.
                    Ok(_) => report.indexed += 1,
                    Err(error) => report.skipped.push(error),
                }
            }
        }
        if !options.skip_invalid && !report.skipped.is_empty() {
            let errors = std::mem::take(&mut report.skipped);
            report.indexed = report.read - errors.len();
            return Err(BuildError { errors, report: BuildReport { skipped: Vec::new(), ..report } });
        }
        report.terms = builder.term_count();
        let bytes = builder.finish();
        report.bytes = bytes.len();
        Ok((bytes, report))
    }
}
