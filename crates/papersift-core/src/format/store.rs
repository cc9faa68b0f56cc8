//! Per-document data: stored fields for results and snippets, field lengths for ranking, and
//! years and venues for filters and facets. Writers and readers of each section live together.

use super::{read_u32, write_str, write_varint, Cursor, FormatError, Section};
use crate::record::Record;
use crate::schema::FIELD_COUNT;

fn corrupt(section: Section, reason: &str) -> FormatError {
    FormatError::Section { name: section.name(), reason: reason.to_string() }
}

/// Field lengths up to this are stored exactly; longer ones on a 3% logarithmic scale.
const EXACT_NORMS: u32 = 64;

/// Quantizes a field length (in tokens) to one byte.
pub fn encode_norm(len: u32) -> u8 {
    if len < EXACT_NORMS {
        return len as u8;
    }
    let steps = ((len as f64 / EXACT_NORMS as f64).ln() / 1.03f64.ln()).round();
    (EXACT_NORMS as f64 + steps).min(255.0) as u8
}

/// The field length a norm byte stands for.
pub fn decode_norm(byte: u8) -> f32 {
    if u32::from(byte) < EXACT_NORMS {
        return f32::from(byte);
    }
    (EXACT_NORMS as f64 * 1.03f64.powi(i32::from(byte) - EXACT_NORMS as i32)) as f32
}

/// Writes the stored-fields, norms and facets sections.
#[derive(Debug, Default)]
pub struct StoreWriter {
    offsets: Vec<u32>,
    data: Vec<u8>,
    norms: Vec<u8>,
    years: Vec<u16>,
    venues: Vec<u32>,
    venue_names: std::collections::BTreeMap<String, u32>,
}

impl StoreWriter {
    /// Stores one document; `lengths` are its field lengths in tokens.
    pub fn push(&mut self, record: &Record, lengths: &[u32; FIELD_COUNT]) {
        self.offsets.push(self.data.len() as u32);
        let out = &mut self.data;
        write_str(out, &record.id);
        write_str(out, &record.title);
        write_str(out, &record.abstract_text);
        write_varint(out, record.authors.len() as u64);
        for author in &record.authors {
            write_str(out, author);
        }
        write_varint(out, u64::from(record.year.unwrap_or(0)));
        for field in [&record.venue, &record.url, &record.doi, &record.arxiv] {
            write_str(out, field.as_deref().unwrap_or(""));
        }
        self.norms.extend(lengths.iter().map(|l| encode_norm(*l)));
        self.years.push(record.year.unwrap_or(0));
        let venue = match record.venue.as_deref().filter(|v| !v.is_empty()) {
            Some(name) => {
                let next = self.venue_names.len() as u32;
                *self.venue_names.entry(name.to_string()).or_insert(next) + 1
            }
            None => 0,
        };
        self.venues.push(venue);
    }

    /// The finished sections: (docs, norms, facets).
    pub fn finish(mut self) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let count = self.offsets.len() as u32;
        self.offsets.push(self.data.len() as u32);
        let mut docs = Vec::with_capacity(4 + self.offsets.len() * 4 + self.data.len());
        docs.extend_from_slice(&count.to_le_bytes());
        for offset in &self.offsets {
            docs.extend_from_slice(&offset.to_le_bytes());
        }
        docs.extend_from_slice(&self.data);

        // Venue ordinals are assigned in first-seen order; renumber them by name so facet
        // order and bytes do not depend on insertion details.
        let mut by_name: Vec<(&String, &u32)> = self.venue_names.iter().collect();
        by_name.sort();
        let mut renumber = vec![0u32; self.venue_names.len() + 1];
        for (rank, (_, first_seen)) in by_name.iter().enumerate() {
            renumber[**first_seen as usize + 1] = rank as u32 + 1;
        }
        let has_years = self.years.iter().any(|y| *y != 0);
        let width: u8 = match self.venue_names.len() {
            0 => 0,
            n if n < u16::MAX as usize => 2,
            _ => 4,
        };
        let mut facets = Vec::new();
        facets.extend_from_slice(&count.to_le_bytes());
        facets.push(u8::from(has_years));
        facets.push(width);
        if has_years {
            for year in &self.years {
                facets.extend_from_slice(&year.to_le_bytes());
            }
        }
        for venue in &self.venues {
            let ordinal = renumber[*venue as usize];
            match width {
                2 => facets.extend_from_slice(&(ordinal as u16).to_le_bytes()),
                4 => facets.extend_from_slice(&ordinal.to_le_bytes()),
                _ => {}
            }
        }
        write_varint(&mut facets, by_name.len() as u64);
        for (name, _) in by_name {
            write_str(&mut facets, name);
        }
        (docs, self.norms, facets)
    }
}

/// Read access to the per-document sections of a loaded index.
#[derive(Debug, Clone, Copy)]
pub struct Store<'a> {
    count: u32,
    offsets: &'a [u8],
    data: &'a [u8],
    norms: &'a [u8],
    years: Option<&'a [u8]>,
    venue_width: u8,
    venues: &'a [u8],
    venue_names: &'a [u8],
}

/// Where the parts of the three store sections start and end, found once at load by
/// [`StoreParts::parse`] so that a [`Store`] view is only slicing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreParts {
    count: u32,
    /// End of the offset table in `docs`.
    table_end: usize,
    has_years: bool,
    venue_width: u8,
    /// End of the years column in `facets` (start of the venue ordinals).
    years_end: usize,
    /// Start of the venue names in `facets`.
    names_at: usize,
}

impl StoreParts {
    /// Checks the three sections' sizes against each other and finds their parts.
    pub fn parse(docs: &[u8], norms: &[u8], facets: &[u8]) -> Result<StoreParts, FormatError> {
        if docs.len() < 4 {
            return Err(corrupt(Section::Docs, "too short"));
        }
        let count = read_u32(docs, 0);
        let table_end = (count as usize + 1)
            .checked_mul(4)
            .and_then(|n| n.checked_add(4))
            .filter(|end| *end <= docs.len())
            .ok_or_else(|| corrupt(Section::Docs, "offset table past the end"))?;
        if norms.len() != count as usize * FIELD_COUNT {
            return Err(corrupt(Section::Norms, "size does not match the document count"));
        }
        let bad = |reason| corrupt(Section::Facets, reason);
        if facets.len() < 6 || read_u32(facets, 0) != count {
            return Err(bad("document count does not match"));
        }
        let has_years = facets[4] == 1;
        let venue_width = facets[5];
        if !matches!(venue_width, 0 | 2 | 4) {
            return Err(bad("unknown venue width"));
        }
        let years_end = 6 + if has_years { 2 * count as usize } else { 0 };
        let names_at = years_end + venue_width as usize * count as usize;
        if facets.len() < names_at {
            return Err(bad("too short for its document count"));
        }
        Ok(StoreParts { count, table_end, has_years, venue_width, years_end, names_at })
    }

    /// Number of documents.
    pub fn len(&self) -> u32 {
        self.count
    }

    /// Whether there are no documents.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

impl<'a> Store<'a> {
    /// Wraps the three sections, checking their sizes against each other.
    pub fn new(docs: &'a [u8], norms: &'a [u8], facets: &'a [u8]) -> Result<Store<'a>, FormatError> {
        let parts = StoreParts::parse(docs, norms, facets)?;
        Ok(Store::with_parts(docs, norms, facets, &parts))
    }

    /// Wraps the three sections with parts found earlier by [`StoreParts::parse`] over the same
    /// bytes: no checks, only slicing. Parts from other bytes give empty reads, never a panic.
    pub fn with_parts(docs: &'a [u8], norms: &'a [u8], facets: &'a [u8], parts: &StoreParts) -> Store<'a> {
        let slice = |bytes: &'a [u8], range: std::ops::Range<usize>| bytes.get(range).unwrap_or_default();
        Store {
            count: parts.count,
            offsets: slice(docs, 4..parts.table_end),
            data: slice(docs, parts.table_end..docs.len()),
            norms,
            years: parts.has_years.then(|| slice(facets, 6..parts.years_end)),
            venue_width: parts.venue_width,
            venues: slice(facets, parts.years_end..parts.names_at),
            venue_names: slice(facets, parts.names_at..facets.len()),
        }
    }

    /// Number of documents.
    pub fn len(&self) -> u32 {
        self.count
    }

    /// Whether there are no documents.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The stored record of `doc`, or `None` when out of range or corrupt.
    pub fn record(&self, doc: u32) -> Option<Record> {
        let mut c = self.cursor(doc)?;
        let id = c.str()?.to_string();
        let title = c.str()?.to_string();
        let abstract_text = c.str()?.to_string();
        let author_count = c.varint()?;
        let mut authors = Vec::with_capacity(author_count.min(64) as usize);
        for _ in 0..author_count {
            authors.push(c.str()?.to_string());
        }
        let year = u16::try_from(c.varint()?).ok().filter(|y| *y != 0);
        let mut optional = || c.str().map(|s| (!s.is_empty()).then(|| s.to_string()));
        Some(Record {
            id,
            title,
            abstract_text,
            authors,
            year,
            venue: optional()?,
            url: optional()?,
            doi: optional()?,
            arxiv: optional()?,
        })
    }

    /// The stored id, title and abstract of `doc`, borrowed.
    pub fn texts(&self, doc: u32) -> Option<(&'a str, &'a str, &'a str)> {
        let mut c = self.cursor(doc)?;
        Some((c.str()?, c.str()?, c.str()?))
    }

    /// The authors of `doc`, borrowed.
    pub fn authors(&self, doc: u32) -> Option<Vec<&'a str>> {
        let mut c = self.cursor(doc)?;
        for _ in 0..3 {
            c.skip_str()?;
        }
        let count = c.varint()?;
        (0..count).map(|_| c.str()).collect()
    }

    /// The venue of `doc`, borrowed (empty when it has none).
    pub fn venue(&self, doc: u32) -> Option<&'a str> {
        let mut c = self.cursor(doc)?;
        for _ in 0..3 {
            c.skip_str()?;
        }
        for _ in 0..c.varint()? {
            c.skip_str()?;
        }
        c.varint()?;
        c.str()
    }

    fn cursor(&self, doc: u32) -> Option<Cursor<'a>> {
        if doc >= self.count {
            return None;
        }
        let offset = |at: usize| -> Option<usize> {
            let bytes = self.offsets.get(at..at + 4)?;
            Some(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize)
        };
        let at = doc as usize * 4;
        self.data.get(offset(at)?..offset(at + 4)?).map(Cursor::new)
    }

    /// Quantized field lengths of `doc`.
    pub fn norms(&self, doc: u32) -> [u8; FIELD_COUNT] {
        let at = doc as usize * FIELD_COUNT;
        let mut out = [0u8; FIELD_COUNT];
        if let Some(slice) = self.norms.get(at..at + FIELD_COUNT) {
            out.copy_from_slice(slice);
        }
        out
    }

    /// Year of `doc`, if known.
    pub fn year(&self, doc: u32) -> Option<u16> {
        let years = self.years?;
        let at = doc as usize * 2;
        let bytes = years.get(at..at + 2)?;
        Some(u16::from_le_bytes([bytes[0], bytes[1]])).filter(|y| *y != 0)
    }

    /// Whether any document has a year.
    pub fn has_years(&self) -> bool {
        self.years.is_some()
    }

    /// Venue ordinal of `doc` (1-based; 0 = none).
    pub fn venue_ordinal(&self, doc: u32) -> u32 {
        let width = self.venue_width as usize;
        let at = doc as usize * width;
        match (width, self.venues.get(at..at + width)) {
            (2, Some(b)) => u32::from(u16::from_le_bytes([b[0], b[1]])),
            (4, Some(b)) => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            _ => 0,
        }
    }

    /// Venue names, in ordinal order (ordinal 1 is the first).
    pub fn venue_names(&self) -> Vec<&'a str> {
        let mut c = Cursor::new(self.venue_names);
        let count = c.varint().unwrap_or(0);
        (0..count).map_while(|_| c.str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norms_are_exact_when_short_and_close_when_long() {
        for len in 0..EXACT_NORMS {
            assert_eq!(decode_norm(encode_norm(len)), len as f32);
        }
        for len in [64u32, 100, 250, 1000, 5000] {
            let back = decode_norm(encode_norm(len));
            assert!((back - len as f32).abs() / (len as f32) < 0.02, "{len} -> {back}");
        }
        assert_eq!(encode_norm(u32::MAX), 255);
    }

    #[test]
    fn stored_records_round_trip() {
        let a = Record {
            id: "a".into(),
            title: "Model merging".into(),
            abstract_text: "We merge.".into(),
            authors: vec!["Ada Lovelace".into(), "Alan Turing".into()],
            year: Some(2024),
            venue: Some("NeurIPS".into()),
            url: Some("https://example.org/a".into()),
            doi: None,
            arxiv: Some("2401.00001".into()),
        };
        let b = Record { id: "b".into(), title: "Only a title".into(), venue: Some("ACL".into()), ..Record::default() };
        let mut writer = StoreWriter::default();
        writer.push(&a, &[2, 2, 4, 1]);
        writer.push(&b, &[3, 0, 0, 1]);
        let (docs, norms, facets) = writer.finish();
        let store = Store::new(&docs, &norms, &facets).unwrap();
        assert_eq!(store.record(0), Some(a));
        assert_eq!(store.record(1), Some(b));
        assert_eq!(store.record(2), None);
        assert_eq!(store.year(0), Some(2024));
        assert_eq!(store.year(1), None);
        assert_eq!(store.venue_names(), vec!["ACL", "NeurIPS"]);
        assert_eq!(store.venue_ordinal(0), 2);
        assert_eq!(store.venue_ordinal(1), 1);
        assert_eq!(store.norms(1), [3, 0, 0, 1]);
        assert_eq!((store.venue(0), store.venue(1)), (Some("NeurIPS"), Some("ACL")));
        assert_eq!(store.authors(0), Some(vec!["Ada Lovelace", "Alan Turing"]));
    }
}
