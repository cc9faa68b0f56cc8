//! Postings lists: for each term, the documents that contain it with a term frequency per field.
//!
//! Each document's entry is its *head*, `varint((doc_delta << 4) | field_mask)`, then, per set
//! bit of `field_mask` in field order, `varint tf` and the field's norm byte (its quantized
//! length). Scoring reads a field's norm only where the term occurs, so carrying it here means a
//! query never loads the field lengths of the whole corpus. The first delta is the document
//! number itself. Phrases are verified exactly by re-tokenizing the stored text of the
//! candidates (see [`crate::search`]), so lists carry no positions: that keeps the index small.
//!
//! A list starts with `varint df`. A short list (fewer than [`COLUMN_MIN_DOCS`] documents) then
//! holds its entries one after another. A longer list holds the same values in columns: the
//! byte lengths of its heads and of each field's term frequencies and norms (nine varints), the
//! heads, then each field's term frequencies, then each field's norm bytes. Like values side by
//! side compress better (a host's gzip, or the browser's): the lists of `model merging` on
//! arXiv CS take 11% fewer bytes gzipped (docs/SHARDS.md), while a short list's nine lengths
//! would cost more than they save.

use super::{write_varint, Cursor};
pub use crate::schema::FieldFreqs;
use crate::schema::FIELD_COUNT;

/// Lists of this many documents or more are written in columns (see the module documentation).
pub const COLUMN_MIN_DOCS: u32 = 32;

/// One entry of a postings list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// Document number.
    pub doc: u32,
    /// Term frequency per field.
    pub freqs: FieldFreqs,
    /// The document's norm byte per field where the term occurs (0 elsewhere).
    pub norms: [u8; FIELD_COUNT],
}

/// Accumulates one term's postings during a build. Documents must be pushed in increasing order.
#[derive(Debug, Default, Clone)]
pub struct ListWriter {
    doc_count: u32,
    last_doc: Option<u32>,
    bytes: Vec<u8>,
}

impl ListWriter {
    /// Appends a document's frequencies and its norm bytes (kept for the fields it occurs in).
    pub fn push(&mut self, doc: u32, freqs: &FieldFreqs, norms: &[u8; FIELD_COUNT]) {
        let delta = match self.last_doc {
            Some(last) => {
                debug_assert!(doc > last, "documents must be pushed in increasing order");
                doc - last
            }
            None => doc,
        };
        let mask = freqs.iter().enumerate().filter(|(_, tf)| **tf > 0).fold(0u64, |m, (f, _)| m | 1 << f);
        write_varint(&mut self.bytes, (u64::from(delta) << FIELD_COUNT) | mask);
        for (tf, norm) in freqs.iter().zip(norms).filter(|(tf, _)| **tf > 0) {
            write_varint(&mut self.bytes, u64::from(*tf));
            self.bytes.push(*norm);
        }
        self.last_doc = Some(doc);
        self.doc_count += 1;
    }

    /// Number of documents pushed.
    pub fn doc_count(&self) -> u32 {
        self.doc_count
    }

    /// Bytes the finished list takes (close enough for sizing: the varints of the count and of
    /// the column lengths are guessed).
    pub fn byte_len(&self) -> usize {
        if self.doc_count < COLUMN_MIN_DOCS {
            self.bytes.len() + 3
        } else {
            self.bytes.len() + 3 + 2 * (1 + 2 * FIELD_COUNT)
        }
    }

    /// Appends the finished list to `out`: its entries as they were pushed when it is short,
    /// in columns when it is long.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        write_varint(out, u64::from(self.doc_count));
        if self.doc_count < COLUMN_MIN_DOCS {
            out.extend_from_slice(&self.bytes);
            return;
        }
        let mut heads = Vec::new();
        let mut freqs: [Vec<u8>; FIELD_COUNT] = Default::default();
        let mut norms: [Vec<u8>; FIELD_COUNT] = Default::default();
        let mut entries = Cursor::new(&self.bytes);
        for _ in 0..self.doc_count {
            // The entries were written by `push` and `append`, so they parse.
            let Some((head, tfs, norm_bytes)) = read_entry(&mut entries) else { break };
            write_varint(&mut heads, head);
            for field in (0..FIELD_COUNT).filter(|f| head & (1 << f) != 0) {
                write_varint(&mut freqs[field], u64::from(tfs[field]));
                norms[field].push(norm_bytes[field]);
            }
        }
        let columns = std::iter::once(&heads).chain(&freqs).chain(&norms);
        for column in columns.clone() {
            write_varint(out, column.len() as u64);
        }
        for column in columns {
            out.extend_from_slice(column);
        }
    }

    /// The last document pushed.
    pub fn last_doc(&self) -> Option<u32> {
        self.last_doc
    }

    /// The entries pushed so far (the list without its count), the first delta counted from
    /// document 0: what [`ListWriter::append`] takes to continue another writer's list.
    pub fn entries(&self) -> &[u8] {
        &self.bytes
    }

    /// Appends the entries of a later part of the same list (all its documents follow this
    /// writer's), written by another writer that ended at `last_doc` after `doc_count`
    /// documents. Only the first delta changes, so the list is byte for byte what one writer
    /// pushed with every document would hold. `None` when `entries` do not start with an entry.
    pub fn append(&mut self, doc_count: u32, last_doc: u32, entries: &[u8]) -> Option<()> {
        if let Some(last) = self.last_doc {
            let mut cursor = Cursor::new(entries);
            let head = cursor.varint()?;
            let first = u32::try_from(head >> FIELD_COUNT).ok().filter(|first| *first > last)?;
            let mask = head & ((1 << FIELD_COUNT) - 1);
            write_varint(&mut self.bytes, (u64::from(first - last) << FIELD_COUNT) | mask);
            self.bytes.extend_from_slice(&entries[cursor.pos..]);
        } else {
            self.bytes.extend_from_slice(entries);
        }
        self.doc_count += doc_count;
        self.last_doc = Some(last_doc);
        Some(())
    }
}

/// Reads the document frequency of the list at `offset`, or `None` if the bytes are corrupt.
pub fn doc_freq(postings: &[u8], offset: u64) -> Option<u32> {
    let offset = usize::try_from(offset).ok()?;
    Cursor::at(postings, offset).varint().and_then(|n| u32::try_from(n).ok())
}

/// Reads one entry written in rows: the head, then a term frequency and a norm byte per set bit
/// of its field mask. `None` on corrupt bytes.
fn read_entry(cursor: &mut Cursor<'_>) -> Option<(u64, [u32; FIELD_COUNT], [u8; FIELD_COUNT])> {
    let head = cursor.varint()?;
    let mut freqs = [0u32; FIELD_COUNT];
    let mut norms = [0u8; FIELD_COUNT];
    for field in (0..FIELD_COUNT).filter(|f| head & (1 << f) != 0) {
        freqs[field] = u32::try_from(cursor.varint()?).ok()?;
        norms[field] = cursor.bytes(1)?[0];
    }
    Some((head, freqs, norms))
}

/// Iterates the list at `offset`. Corrupt bytes end the iteration early instead of panicking.
pub fn read(postings: &[u8], offset: u64) -> ListReader<'_> {
    let mut cursor = Cursor::at(postings, usize::try_from(offset).unwrap_or(usize::MAX));
    let mut remaining = cursor.varint().and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    let mut columns = None;
    if remaining >= COLUMN_MIN_DOCS {
        match Columns::read(&mut cursor) {
            Some((heads, found)) => {
                cursor = heads;
                columns = Some(found);
            }
            None => remaining = 0,
        }
    }
    ListReader { entries: cursor, columns, remaining, doc: 0, first: true }
}

/// The term frequency and norm columns of a long list, one cursor per field.
#[derive(Debug, Clone)]
struct Columns<'a> {
    freqs: [Cursor<'a>; FIELD_COUNT],
    norms: [Cursor<'a>; FIELD_COUNT],
}

impl<'a> Columns<'a> {
    /// Reads the column lengths after a long list's count, and answers a cursor over its heads
    /// with the other columns; `None` when a column would pass the end of the bytes.
    fn read(cursor: &mut Cursor<'a>) -> Option<(Cursor<'a>, Columns<'a>)> {
        let mut lengths = [0usize; 1 + 2 * FIELD_COUNT];
        for length in &mut lengths {
            *length = usize::try_from(cursor.varint()?).ok()?;
        }
        let mut columns = Vec::with_capacity(lengths.len());
        for len in lengths {
            columns.push(Cursor::new(cursor.bytes(len)?));
        }
        let mut columns = columns.into_iter();
        let heads = columns.next()?;
        let freqs = columns.by_ref().take(FIELD_COUNT).collect::<Vec<_>>().try_into().ok()?;
        let norms = columns.collect::<Vec<_>>().try_into().ok()?;
        Some((heads, Columns { freqs, norms }))
    }
}

/// An iterator over one postings list.
#[derive(Debug, Clone)]
pub struct ListReader<'a> {
    /// The entries of a short list, or the heads column of a long one.
    entries: Cursor<'a>,
    columns: Option<Columns<'a>>,
    remaining: u32,
    doc: u32,
    first: bool,
}

impl ListReader<'_> {
    /// Documents in the list.
    pub fn len(&self) -> u32 {
        self.remaining
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.remaining == 0
    }

    fn next_entry(&mut self) -> Option<(u64, [u32; FIELD_COUNT], [u8; FIELD_COUNT])> {
        let Some(columns) = &mut self.columns else { return read_entry(&mut self.entries) };
        let head = self.entries.varint()?;
        let mut freqs = [0u32; FIELD_COUNT];
        let mut norms = [0u8; FIELD_COUNT];
        for field in (0..FIELD_COUNT).filter(|f| head & (1 << f) != 0) {
            freqs[field] = u32::try_from(columns.freqs[field].varint()?).ok()?;
            norms[field] = columns.norms[field].bytes(1)?[0];
        }
        Some((head, freqs, norms))
    }
}

impl Iterator for ListReader<'_> {
    type Item = Posting;

    fn next(&mut self) -> Option<Posting> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let entry = self.next_entry().and_then(|(head, freqs, norms)| {
            let delta = u32::try_from(head >> FIELD_COUNT).ok()?;
            let doc = if self.first { delta } else { self.doc.checked_add(delta)? };
            Some(Posting { doc, freqs, norms })
        });
        let Some(posting) = entry else {
            self.remaining = 0;
            return None;
        };
        self.first = false;
        self.doc = posting.doc;
        Some(posting)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_round_trips() {
        let mut writer = ListWriter::default();
        let input = [
            Posting { doc: 0, freqs: [1, 0, 0, 0], norms: [5, 0, 0, 0] },
            Posting { doc: 7, freqs: [0, 3, 1, 0], norms: [0, 80, 2, 0] },
            Posting { doc: 1000, freqs: [2, 200, 0, 1], norms: [9, 255, 0, 1] },
        ];
        for p in &input {
            // Norms of fields the term is not in are left out.
            let mut norms = p.norms;
            for (norm, tf) in norms.iter_mut().zip(p.freqs) {
                if tf == 0 {
                    *norm = 7;
                }
            }
            writer.push(p.doc, &p.freqs, &norms);
        }
        let mut bytes = vec![0xAA];
        writer.write_to(&mut bytes);
        assert_eq!(doc_freq(&bytes, 1), Some(3));
        let got: Vec<Posting> = read(&bytes, 1).collect();
        assert_eq!(got, input);
    }

    #[test]
    fn parts_appended_equal_the_whole_list() {
        let mut postings = vec![(3u32, [1, 0, 0, 0]), (200, [0, 2, 0, 0]), (201, [1, 1, 0, 0]), (90_000, [0, 0, 4, 0])];
        // And a list long enough to be written in columns.
        postings.extend(varied(COLUMN_MIN_DOCS + 3).iter().map(|p| (100_000 + p.doc, p.freqs)));
        let norms = [9, 80, 3, 0];
        let mut whole = ListWriter::default();
        for (doc, freqs) in &postings {
            whole.push(*doc, freqs, &norms);
        }
        for cut in (0..=postings.len()).step_by(3) {
            let (mut first, mut second) = (ListWriter::default(), ListWriter::default());
            for (doc, freqs) in &postings[..cut] {
                first.push(*doc, freqs, &norms);
            }
            for (doc, freqs) in &postings[cut..] {
                second.push(*doc, freqs, &norms);
            }
            if let Some(last) = second.last_doc() {
                first.append(second.doc_count(), last, second.entries()).unwrap();
            }
            let (mut a, mut b) = (Vec::new(), Vec::new());
            first.write_to(&mut a);
            whole.write_to(&mut b);
            assert_eq!(a, b, "cut after {cut} documents");
        }
    }

    /// `count` postings with varied documents, fields, frequencies and norms.
    fn varied(count: u32) -> Vec<Posting> {
        (0..count)
            .map(|i| {
                let mut freqs = [0u32; FIELD_COUNT];
                let mut norms = [0u8; FIELD_COUNT];
                for field in 0..FIELD_COUNT {
                    if (i + 1) % (field as u32 + 1) == 0 || field == (i as usize % FIELD_COUNT) {
                        freqs[field] = 1 + (i * 7 + field as u32) % 300;
                        norms[field] = (i * 13 + field as u32 * 5) as u8;
                    }
                }
                Posting { doc: i * 7 + i % 5, freqs, norms }
            })
            .collect()
    }

    fn written(input: &[Posting]) -> Vec<u8> {
        let mut writer = ListWriter::default();
        for p in input {
            writer.push(p.doc, &p.freqs, &p.norms);
        }
        let mut bytes = Vec::new();
        writer.write_to(&mut bytes);
        bytes
    }

    /// Lists on both sides of the column threshold read back what was pushed; the long ones are
    /// laid out in columns (the heads column holds only heads, so it is shorter than the rows).
    #[test]
    fn short_and_long_lists_round_trip() {
        for count in [1, COLUMN_MIN_DOCS - 1, COLUMN_MIN_DOCS, COLUMN_MIN_DOCS + 1, 1000] {
            let input = varied(count);
            let bytes = written(&input);
            assert_eq!(doc_freq(&bytes, 0), Some(count));
            assert_eq!(read(&bytes, 0).collect::<Vec<_>>(), input, "{count} postings");
            let mut heads = Vec::new();
            let mut last = 0;
            for p in &input {
                let mask = (0..FIELD_COUNT).filter(|f| p.freqs[*f] > 0).fold(0u64, |m, f| m | 1 << f);
                write_varint(&mut heads, (u64::from(p.doc - last) << FIELD_COUNT) | mask);
                last = p.doc;
            }
            let mut cursor = Cursor::new(&bytes);
            cursor.varint();
            let columns = (count >= COLUMN_MIN_DOCS).then(|| Columns::read(&mut cursor).unwrap());
            match columns {
                Some((mut heads_column, _)) => assert_eq!(heads_column.bytes(heads.len()), Some(&heads[..]), "{count}"),
                None => assert!(bytes[cursor.pos..].starts_with(&heads[..1]), "{count}: rows start with a head"),
            }
        }
    }

    /// Lists whose column lengths pass the end, or whose columns hold fewer values than their
    /// heads ask for, end early.
    #[test]
    fn corrupt_columns_end_the_list_without_panicking() {
        let bytes = written(&varied(100));
        for cut in 0..bytes.len() {
            let read_back: Vec<Posting> = read(&bytes[..cut], 0).collect();
            assert!(read_back.len() < 100, "a list cut at {cut} of {} bytes", bytes.len());
        }
        for at in 0..bytes.len() {
            for value in [0u8, 0x7F, 0x80, 0xFF] {
                let mut damaged = bytes.clone();
                damaged[at] = value;
                assert!(read(&damaged, 0).count() <= 100);
            }
        }
    }

    #[test]
    fn corrupt_bytes_end_the_list_without_panicking() {
        let bytes = [5u8, 0xFF, 0xFF];
        assert_eq!(read(&bytes, 0).count(), 0);
        assert_eq!(read(&bytes, 99).count(), 0);
    }
}
