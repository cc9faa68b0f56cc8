//! Per-document data: stored fields for results and snippets (in LZ4-compressed blocks), and
//! years and venues for filters and facets; and the quantization of field lengths (norms), which
//! postings carry. Writers and readers of each piece live together.
//!
//! A docs block, once decompressed: `u32 count`, `count + 1` `u32` offsets into the data, then
//! per document its id, title, abstract, authors, year, venue, url, doi and arXiv id. Facets: `u32 count`, `u8 has years`, `u8 venue width`, the years
//! (`u16` each) when present, the venue ordinals, then the venue names.

use super::{read_u32, write_str, write_varint, Cursor, FormatError};
use crate::record::Record;

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

/// Appends the stored fields of one document, as a docs block holds them.
pub fn encode_stored(record: &Record, out: &mut Vec<u8>) {
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
}

/// A docs piece's body: the documents' stored fields (each as [`encode_stored`] wrote it), in a
/// block with its offset table, compressed.
pub fn docs_block(docs: &[&[u8]]) -> Vec<u8> {
    let data_len: usize = docs.iter().map(|doc| doc.len()).sum();
    let mut block = Vec::with_capacity(4 * (docs.len() + 2) + data_len);
    block.extend_from_slice(&(docs.len() as u32).to_le_bytes());
    let mut offset = 0u32;
    block.extend_from_slice(&offset.to_le_bytes());
    for doc in docs {
        offset += doc.len() as u32;
        block.extend_from_slice(&offset.to_le_bytes());
    }
    for doc in docs {
        block.extend_from_slice(doc);
    }
    compress(&block)
}

/// Writes the facets piece: a few bytes per document, so it is kept in memory whatever the
/// corpus size.
#[derive(Debug, Default)]
pub struct FacetsWriter {
    years: Vec<u16>,
    venues: Vec<u32>,
    venue_names: std::collections::BTreeMap<String, u32>,
}

impl FacetsWriter {
    /// Adds one document's year and venue.
    pub fn push(&mut self, record: &Record) {
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

    /// The facets piece's body.
    pub fn finish(self) -> Vec<u8> {
        let count = self.years.len() as u32;
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
        facets
    }
}

/// Numbers authors in the order they first appear and writes each document's distinct,
/// non-empty authors as ordinals: what authors pieces hold, so that author facets count
/// ordinals instead of reading names from stored fields.
#[derive(Debug, Default)]
pub struct AuthorsWriter {
    by_name: std::collections::HashMap<Box<str>, u32>,
}

impl AuthorsWriter {
    /// Appends one document's list: `varint count`, then its distinct authors' ordinals, in
    /// the record's order.
    pub fn push(&mut self, record: &Record, out: &mut Vec<u8>) {
        let mut ordinals: Vec<u32> = Vec::with_capacity(record.authors.len());
        for author in record.authors.iter().filter(|a| !a.is_empty()) {
            let ordinal = match self.by_name.get(author.as_str()) {
                Some(ordinal) => *ordinal,
                None => {
                    let next = self.by_name.len() as u32;
                    self.by_name.insert(author.as_str().into(), next);
                    next
                }
            };
            if !ordinals.contains(&ordinal) {
                ordinals.push(ordinal);
            }
        }
        write_varint(out, ordinals.len() as u64);
        for ordinal in ordinals {
            write_varint(out, u64::from(ordinal));
        }
    }

    /// Every name, by ordinal.
    pub fn names(&self) -> Vec<&str> {
        let mut names = vec![""; self.by_name.len()];
        for (name, ordinal) in &self.by_name {
            names[*ordinal as usize] = name;
        }
        names
    }
}

/// An authors piece's body: `varint` the ordinal of its first new name, `varint` the number of
/// names first used in its documents and those names, then its documents' lists as
/// [`AuthorsWriter::push`] wrote them.
pub fn authors_piece(first_ordinal: u32, names: &[&str], lists: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(lists.len() + names.iter().map(|n| n.len() + 1).sum::<usize>() + 8);
    write_varint(&mut out, u64::from(first_ordinal));
    write_varint(&mut out, names.len() as u64);
    for name in names {
        write_str(&mut out, name);
    }
    out.extend_from_slice(lists);
    out
}

/// An authors piece, checked: its names and its documents' ordinal lists.
#[derive(Debug, Clone)]
pub struct AuthorsPiece<'a> {
    /// The ordinal of its first name.
    pub first_ordinal: u32,
    /// The names first used in its documents, in ordinal order.
    pub names: Vec<&'a str>,
    lists: &'a [u8],
}

impl<'a> AuthorsPiece<'a> {
    /// Reads a body that must hold exactly `docs` documents' lists.
    pub fn parse(body: &'a [u8], docs: u32) -> Result<AuthorsPiece<'a>, FormatError> {
        let bad = || FormatError::Section { name: "authors", reason: "malformed".into() };
        let mut c = Cursor::new(body);
        let first_ordinal = c.varint().and_then(|n| u32::try_from(n).ok()).ok_or_else(bad)?;
        let count = c.varint().ok_or_else(bad)?;
        let names = (0..count).map(|_| c.str()).collect::<Option<Vec<&str>>>().ok_or_else(bad)?;
        let lists = &body[c.pos..];
        let mut check = Cursor::new(lists);
        for _ in 0..docs {
            for _ in 0..check.varint().ok_or_else(bad)? {
                check.varint().ok_or_else(bad)?;
            }
        }
        if check.pos != lists.len() {
            return Err(bad());
        }
        Ok(AuthorsPiece { first_ordinal, names, lists })
    }

    /// Each document's author ordinals, in document order.
    pub fn lists(&self) -> impl Iterator<Item = Vec<u64>> + '_ {
        let mut c = Cursor::new(self.lists);
        std::iter::from_fn(move || {
            let count = c.varint()?;
            (0..count).map(|_| c.varint()).collect()
        })
    }
}

/// Compresses a block of stored fields: `u32` raw length, then the LZ4 block. LZ4 was chosen
/// by measurement for its small decoder and fast decoding (docs/SHARDS.md).
pub fn compress(raw: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 4 + lz4_flex::block::get_maximum_output_size(raw.len())];
    out[..4].copy_from_slice(&(raw.len() as u32).to_le_bytes());
    let len = lz4_flex::block::compress_into(raw, &mut out[4..]).expect("the output holds the worst case");
    out.truncate(4 + len);
    out
}

/// Decompresses a block written by [`compress`]; `None` when the bytes are not such a block.
pub fn decompress(body: &[u8]) -> Option<Vec<u8>> {
    let raw_len = read_u32(body.get(..4)?, 0) as usize;
    // LZ4 cannot expand data more than 255 times; a larger claim is corrupt and must not
    // allocate.
    if raw_len > body.len().saturating_mul(255) + 64 {
        return None;
    }
    let mut raw = vec![0u8; raw_len];
    let len = lz4_flex::block::decompress_into(&body[4..], &mut raw).ok()?;
    (len == raw_len).then_some(raw)
}

/// Where the parts of the facets piece start and end, found once when it is added by
/// [`FacetParts::parse`], so that a [`Store`] view over it is only slicing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FacetParts {
    has_years: bool,
    venue_width: u8,
    /// End of the years column (start of the venue ordinals).
    years_end: usize,
    /// Start of the venue names.
    names_at: usize,
}

impl FacetParts {
    /// Checks the facets piece against the document count and finds its parts.
    pub fn parse(facets: &[u8], count: u32) -> Result<FacetParts, FormatError> {
        let bad = |reason: &str| FormatError::Section { name: "facets", reason: reason.to_string() };
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
        Ok(FacetParts { has_years, venue_width, years_end, names_at })
    }
}

/// Read access to per-document data: the stored fields of one block of documents, or the
/// facet columns of every document (or both). Documents are numbered as in the whole index.
#[derive(Debug, Clone, Copy, Default)]
pub struct Store<'a> {
    first_doc: u32,
    count: u32,
    offsets: &'a [u8],
    data: &'a [u8],
    years: Option<&'a [u8]>,
    venue_width: u8,
    venues: &'a [u8],
    venue_names: &'a [u8],
}

impl<'a> Store<'a> {
    /// A view over a decompressed block of stored fields whose first document is `first_doc`;
    /// `None` when the block's offset table does not fit.
    pub fn docs(block: &'a [u8], first_doc: u32) -> Option<Store<'a>> {
        let count = read_u32(block.get(..4)?, 0);
        let table_end = (count as usize + 1).checked_mul(4)?.checked_add(4)?;
        Some(Store {
            first_doc,
            count,
            offsets: block.get(4..table_end)?,
            data: &block[table_end..],
            ..Store::default()
        })
    }

    /// A view over the facets piece, with parts found by [`FacetParts::parse`] over the same
    /// bytes: only slicing. Parts from other bytes give empty reads, never a panic.
    pub fn facets(facets: &'a [u8], parts: &FacetParts) -> Store<'a> {
        let slice = |range: std::ops::Range<usize>| facets.get(range).unwrap_or_default();
        Store {
            years: parts.has_years.then(|| slice(6..parts.years_end)),
            venue_width: parts.venue_width,
            venues: slice(parts.years_end..parts.names_at),
            venue_names: slice(parts.names_at..facets.len()),
            ..Store::default()
        }
    }

    /// Number of documents whose stored fields the view holds.
    pub fn len(&self) -> u32 {
        self.count
    }

    /// Whether the view holds no stored fields.
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
        let local = doc.checked_sub(self.first_doc).filter(|d| *d < self.count)?;
        let offset = |at: usize| -> Option<usize> {
            let bytes = self.offsets.get(at..at + 4)?;
            Some(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize)
        };
        let at = local as usize * 4;
        self.data.get(offset(at)?..offset(at + 4)?).map(Cursor::new)
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
        let (mut facets, mut stored) = (FacetsWriter::default(), Vec::new());
        let mut docs = Vec::new();
        for record in [&a, &b] {
            facets.push(record);
            stored.clear();
            encode_stored(record, &mut stored);
            docs.push(docs_block(&[&stored]));
        }
        let facets = facets.finish();
        assert_eq!(docs.len(), 2);
        let second = decompress(&docs[1]).unwrap();
        let store = Store::docs(&second, 1).unwrap();
        assert_eq!(store.record(1), Some(b));
        assert_eq!((store.record(0), store.record(2)), (None, None));
        let first = decompress(&docs[0]).unwrap();
        let store = Store::docs(&first, 0).unwrap();
        assert_eq!(store.record(0), Some(a));
        assert_eq!(store.authors(0), Some(vec!["Ada Lovelace", "Alan Turing"]));
        assert_eq!(store.venue(0), Some("NeurIPS"));
        let parts = FacetParts::parse(&facets, 2).unwrap();
        let store = Store::facets(&facets, &parts);
        assert_eq!(store.year(0), Some(2024));
        assert_eq!(store.year(1), None);
        assert_eq!(store.venue_names(), vec!["ACL", "NeurIPS"]);
        assert_eq!(store.venue_ordinal(0), 2);
        assert_eq!(store.venue_ordinal(1), 1);
        assert!(FacetParts::parse(&facets, 3).is_err());
    }
}
