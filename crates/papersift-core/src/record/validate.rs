//! One place that turns loosely typed input fields into a [`Record`]: field names and their
//! aliases, type checks, text clean-up, derived ids and derived links. Every format parser
//! feeds a [`Draft`], so a JSON line, a CSV row and a BibTeX entry obey the same rules.

use super::Record;

/// The record fields an input may name (all of a [`Record`]; the indexed ones are
/// [`crate::schema::Field`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecordField {
    Id,
    Title,
    Abstract,
    Authors,
    Year,
    Venue,
    Url,
    Doi,
    Arxiv,
}

/// Input names accepted for each field, most specific first. When an input carries several
/// names for one field (`venue` and `journal`), the earlier name in this table wins, whatever
/// order they appear in.
const NAMES: &[(&str, RecordField)] = &[
    ("id", RecordField::Id),
    ("title", RecordField::Title),
    ("abstract", RecordField::Abstract),
    ("summary", RecordField::Abstract),
    ("authors", RecordField::Authors),
    ("author", RecordField::Authors),
    ("year", RecordField::Year),
    ("venue", RecordField::Venue),
    ("journal", RecordField::Venue),
    ("booktitle", RecordField::Venue),
    ("publisher", RecordField::Venue),
    ("url", RecordField::Url),
    ("link", RecordField::Url),
    ("doi", RecordField::Doi),
    ("arxiv", RecordField::Arxiv),
    ("arxiv_id", RecordField::Arxiv),
    ("eprint", RecordField::Arxiv),
];

/// Why one field (or the record as a whole) is unusable; the format parser adds the location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub field: String,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: &str, reason: impl Into<String>) -> Self {
        FieldError { field: field.to_string(), reason: reason.into() }
    }
}

/// The field an input name stands for, with its precedence (0 = the canonical name).
/// Names are matched case-insensitively; unknown names give `None` and are ignored.
pub(crate) fn field_named(name: &str) -> Option<(RecordField, u8)> {
    let name = name.trim();
    let mut rank = 0u8;
    let mut previous = None;
    for &(candidate, field) in NAMES {
        if previous != Some(field) {
            rank = 0;
        }
        previous = Some(field);
        if candidate.eq_ignore_ascii_case(name) {
            return Some((field, rank));
        }
        rank += 1;
    }
    None
}

/// What each field accepts, in words for error messages.
pub(crate) fn expected_type(field: RecordField) -> &'static str {
    match field {
        RecordField::Id => "a string or an integer",
        RecordField::Year => "an integer or a string holding a year, like 2023",
        RecordField::Authors => "an array of strings, or one string with names separated by ` and ` or `;`",
        _ => "a string",
    }
}

/// A record being assembled from input fields. Empty values count as absent.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    /// Text fields indexed by `RecordField as usize`, each with the rank of the name that set it.
    text: [Option<(u8, String)>; 9],
    authors: Option<(u8, Vec<String>)>,
    year: Option<(u8, u16)>,
}

fn replaces<T>(slot: &Option<(u8, T)>, rank: u8) -> bool {
    match slot {
        Some((held, _)) => rank < *held,
        None => true,
    }
}

impl Draft {
    /// Sets `field` from a string, as written in the input under `name`.
    pub fn set_str(&mut self, name: &str, field: RecordField, rank: u8, value: &str) -> Result<(), FieldError> {
        // A link or DOI cannot hold whitespace: inside one it is a wrapped line (RIS, BibTeX) or
        // an obfuscated scheme (`java\tscript:`), so it is removed, not collapsed.
        let value = match field {
            RecordField::Url | RecordField::Doi => value.split_whitespace().collect(),
            _ => collapse_whitespace(value),
        };
        if value.is_empty() {
            return Ok(());
        }
        match field {
            RecordField::Authors => {
                if replaces(&self.authors, rank) {
                    self.authors = Some((rank, split_authors(&value)));
                }
            }
            RecordField::Year => {
                let year = value.parse::<i64>().map_err(|_| {
                    FieldError::new(name, format!("{value:?} is not a year; expected {}", expected_type(field)))
                })?;
                self.set_int(name, field, rank, year)?;
            }
            _ => {
                let slot = &mut self.text[field as usize];
                if replaces(slot, rank) {
                    *slot = Some((rank, value));
                }
            }
        }
        Ok(())
    }

    /// Sets `field` from an integer: valid for `id` and `year` only.
    pub fn set_int(&mut self, name: &str, field: RecordField, rank: u8, value: i64) -> Result<(), FieldError> {
        match field {
            RecordField::Id => self.set_str(name, field, rank, &value.to_string()),
            RecordField::Year => {
                let year = u16::try_from(value).ok().filter(|year| (1000..=2999).contains(year)).ok_or_else(|| {
                    FieldError::new(name, format!("{value} is out of range; expected a year between 1000 and 2999"))
                })?;
                if replaces(&self.year, rank) {
                    self.year = Some((rank, year));
                }
                Ok(())
            }
            _ => Err(FieldError::new(name, format!("found a number ({value}); expected {}", expected_type(field)))),
        }
    }

    /// Sets the year from a date as formats write it (`2020/05/01/`, `2020-05-01T12:00:00Z`,
    /// `Spring 2020`): the first run of exactly four digits. Without one, the whole value is
    /// checked as a year, which gives the usual error.
    pub fn set_date(&mut self, name: &str, rank: u8, value: &str) -> Result<(), FieldError> {
        self.set_str(name, RecordField::Year, rank, year_in_date(value).unwrap_or(value))
    }

    /// Sets the authors from a list of names.
    pub fn set_authors(&mut self, rank: u8, names: Vec<String>) {
        let names: Vec<String> =
            names.iter().map(|name| collapse_whitespace(name)).filter(|name| !name.is_empty()).collect();
        if !names.is_empty() && replaces(&self.authors, rank) {
            self.authors = Some((rank, names));
        }
    }

    /// The record, once it has a title or an abstract; derives a missing id and link.
    pub fn finish(mut self) -> Result<Record, FieldError> {
        let mut take = |field: RecordField| self.text[field as usize].take().map(|(_, value)| value);
        let title = take(RecordField::Title).unwrap_or_default();
        let abstract_text = take(RecordField::Abstract).unwrap_or_default();
        if title.is_empty() && abstract_text.is_empty() {
            return Err(FieldError::new("title", "record has neither a title nor an abstract; add at least one"));
        }
        let doi = take(RecordField::Doi).map(|doi| strip_doi_prefix(&doi).to_string()).filter(|doi| !doi.is_empty());
        let arxiv = take(RecordField::Arxiv).map(|id| strip_arxiv_prefix(&id).to_string()).filter(|id| !id.is_empty());
        let url = take(RecordField::Url).or_else(|| derived_url(doi.as_deref(), arxiv.as_deref()));
        let id = take(RecordField::Id).unwrap_or_else(|| content_id(&title, &abstract_text));
        let venue = take(RecordField::Venue);
        Ok(Record {
            id,
            title,
            abstract_text,
            authors: self.authors.map(|(_, names)| names).unwrap_or_default(),
            year: self.year.map(|(_, year)| year),
            venue,
            url,
            doi,
            arxiv,
        })
    }
}

/// A stable id for a record without one: the same title and abstract always give the same id.
/// Both are hashed after whitespace clean-up, so re-wrapping a file does not change ids.
pub(crate) fn content_id(title: &str, abstract_text: &str) -> String {
    let mut content = collapse_whitespace(title);
    content.push('\n');
    content.push_str(&collapse_whitespace(abstract_text));
    // 48 bits as 12 hex digits: short enough for a URL, collisions unlikely below millions of records.
    format!("{:012x}", xxhash_rust::xxh3::xxh3_64(content.as_bytes()) >> 16)
}

/// Trims and turns every run of whitespace (newlines, tabs) into one space.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Splits one author string on `;` or on ` and `.
pub(crate) fn split_authors(text: &str) -> Vec<String> {
    let separator = if text.contains(';') { ";" } else { " and " };
    text.split(separator).map(str::trim).filter(|name| !name.is_empty()).map(str::to_string).collect()
}

/// The first run of exactly four ASCII digits in `text`.
pub(crate) fn year_in_date(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let length = bytes[start..].iter().take_while(|b| b.is_ascii_digit()).count();
        if length == 4 {
            return Some(&text[start..start + 4]);
        }
        start += length.max(1);
    }
    None
}

/// `Last, First` as `First Last` (and `Last, Jr., First` as `First Last Jr.`), the order the
/// other formats show names in; a name without a comma is kept as written.
pub(crate) fn first_name_first(name: &str) -> String {
    let parts: Vec<&str> = name.split(',').map(str::trim).collect();
    match parts.as_slice() {
        [last, first] if !first.is_empty() => format!("{first} {last}"),
        [last, suffix, first] if !first.is_empty() => format!("{first} {last} {suffix}"),
        _ => name.trim().to_string(),
    }
}

fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

fn strip_doi_prefix(doi: &str) -> &str {
    const RESOLVERS: &[&str] =
        &["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"];
    RESOLVERS.iter().find_map(|prefix| strip_prefix_ignore_case(doi, prefix)).unwrap_or(doi).trim()
}

fn strip_arxiv_prefix(id: &str) -> &str {
    const PREFIXES: &[&str] = &["https://arxiv.org/abs/", "http://arxiv.org/abs/", "arxiv:"];
    PREFIXES.iter().find_map(|prefix| strip_prefix_ignore_case(id, prefix)).unwrap_or(id).trim()
}

/// The link a reader expects to click when the input has none: the DOI resolver, else arXiv.
fn derived_url(doi: Option<&str>, arxiv: Option<&str>) -> Option<String> {
    match (doi, arxiv) {
        (Some(doi), _) => Some(format!("https://doi.org/{doi}")),
        (None, Some(arxiv)) => Some(format!("https://arxiv.org/abs/{arxiv}")),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_rank_below_canonical_names() {
        assert_eq!(field_named("Summary"), Some((RecordField::Abstract, 1)));
        assert_eq!(field_named("venue"), Some((RecordField::Venue, 0)));
        assert_eq!(field_named("booktitle"), Some((RecordField::Venue, 2)));
        assert_eq!(field_named("eprint"), Some((RecordField::Arxiv, 2)));
        assert_eq!(field_named("keywords"), None);

        let mut draft = Draft::default();
        draft.set_str("summary", RecordField::Abstract, 1, "from the alias").unwrap();
        draft.set_str("abstract", RecordField::Abstract, 0, "from the name").unwrap();
        draft.set_str("summary", RecordField::Abstract, 1, "alias again").unwrap();
        assert_eq!(draft.finish().unwrap().abstract_text, "from the name");
    }

    #[test]
    fn year_must_be_a_plausible_integer() {
        let mut draft = Draft::default();
        assert!(draft.set_str("year", RecordField::Year, 0, " 2021 ").is_ok());
        let error = draft.set_str("year", RecordField::Year, 0, "21st century").unwrap_err();
        assert_eq!(error.field, "year");
        assert!(error.reason.contains("not a year"), "{}", error.reason);
        let error = draft.set_int("year", RecordField::Year, 0, 30000).unwrap_err();
        assert!(error.reason.contains("between 1000 and 2999"), "{}", error.reason);
        let error = draft.set_int("title", RecordField::Title, 0, 7).unwrap_err();
        assert!(error.reason.contains("expected a string"), "{}", error.reason);
    }

    #[test]
    fn finish_cleans_text_and_derives_links_and_ids() {
        let mut draft = Draft::default();
        draft.set_str("title", RecordField::Title, 0, "  A   wrapped\n title ").unwrap();
        draft.set_str("doi", RecordField::Doi, 0, "https://doi.org/10.1000/xyz").unwrap();
        draft.set_str("author", RecordField::Authors, 1, "Ada Lovelace; Alan Turing").unwrap();
        let record = draft.finish().unwrap();
        assert_eq!(record.title, "A wrapped title");
        assert_eq!(record.doi.as_deref(), Some("10.1000/xyz"));
        assert_eq!(record.url.as_deref(), Some("https://doi.org/10.1000/xyz"));
        assert_eq!(record.authors, ["Ada Lovelace", "Alan Turing"]);
        assert_eq!(record.id, content_id("A wrapped title", ""));
        assert_eq!(record.id.len(), 12);
        assert!(record.id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));

        let mut draft = Draft::default();
        draft.set_str("arxiv_id", RecordField::Arxiv, 1, "arXiv:2303.08774").unwrap();
        draft.set_str("abstract", RecordField::Abstract, 0, "Only an abstract.").unwrap();
        let record = draft.finish().unwrap();
        assert_eq!(record.url.as_deref(), Some("https://arxiv.org/abs/2303.08774"));
    }

    #[test]
    fn a_record_needs_a_title_or_an_abstract() {
        let mut draft = Draft::default();
        draft.set_str("title", RecordField::Title, 0, "   ").unwrap();
        let error = draft.finish().unwrap_err();
        assert_eq!(error.field, "title");
        assert!(error.reason.contains("neither a title nor an abstract"));
    }

    #[test]
    fn content_ids_are_stable_and_whitespace_blind() {
        assert_eq!(content_id("Title", "Abstract"), content_id(" Title ", "Abstract\n"));
        assert_ne!(content_id("Title", "Abstract"), content_id("Title", "Abstract 2"));
        assert_ne!(content_id("Ti", "tle"), content_id("Title", ""));
    }

    #[test]
    fn links_and_dois_lose_all_whitespace() {
        let mut draft = Draft::default();
        draft.set_str("title", RecordField::Title, 0, "T").unwrap();
        draft.set_str("url", RecordField::Url, 0, "  JaVa\tScRiPt:alert(2)").unwrap();
        draft.set_str("doi", RecordField::Doi, 0, "10.1000/\n  wrapped").unwrap();
        let record = draft.finish().unwrap();
        assert_eq!(record.url.as_deref(), Some("JaVaScRiPt:alert(2)"));
        assert_eq!(record.doi.as_deref(), Some("10.1000/wrapped"));
    }

    #[test]
    fn dates_give_their_year() {
        assert_eq!(year_in_date("2020/05/01/"), Some("2020"));
        assert_eq!(year_in_date("2023-03-15T17:59:59Z"), Some("2023"));
        assert_eq!(year_in_date("Spring 2019"), Some("2019"));
        assert_eq!(year_in_date("12345 and 1999"), Some("1999"));
        assert_eq!(year_in_date("in press"), None);
        let mut draft = Draft::default();
        let error = draft.set_date("PY", 0, "in press").unwrap_err();
        assert_eq!(error.field, "PY");
        assert!(error.reason.contains("\"in press\" is not a year"), "{}", error.reason);
    }

    #[test]
    fn names_put_the_first_name_first() {
        assert_eq!(first_name_first("Vaswani, Ashish"), "Ashish Vaswani");
        assert_eq!(first_name_first("King, Jr., Martin Luther"), "Martin Luther King Jr.");
        assert_eq!(first_name_first("Ashish Vaswani"), "Ashish Vaswani");
        assert_eq!(first_name_first("OpenAI,"), "OpenAI,");
    }

    #[test]
    fn authors_split_on_semicolons_or_and() {
        assert_eq!(split_authors("A. One and B. Two"), ["A. One", "B. Two"]);
        assert_eq!(split_authors("One, A.; Two, B."), ["One, A.", "Two, B."]);
        assert_eq!(split_authors("Anderson"), ["Anderson"]);
    }
}
