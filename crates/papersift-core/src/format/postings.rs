//! Postings lists: for each term, the documents that contain it with a term frequency per field.
//!
//! Layout of one list: `varint df`, then per document `varint((doc_delta << 4) | field_mask)`
//! followed, per set bit of `field_mask` in field order, by `varint tf` and the field's norm byte
//! (its quantized length). Scoring reads a field's norm only where the term occurs, so carrying
//! it here means a query never loads the field lengths of the whole corpus. The first delta is the
//! document number itself. Phrases are verified exactly by re-tokenizing the stored text of the
//! candidates (see [`crate::search`]), so lists carry no positions: that keeps the index small.

use super::{write_varint, Cursor};
pub use crate::schema::FieldFreqs;
use crate::schema::FIELD_COUNT;

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

    /// Bytes the finished list takes (close enough for sizing: the count's varint is guessed).
    pub fn byte_len(&self) -> usize {
        self.bytes.len() + 3
    }

    /// Appends the finished list to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        write_varint(out, u64::from(self.doc_count));
        out.extend_from_slice(&self.bytes);
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

/// Iterates the list at `offset`. Corrupt bytes end the iteration early instead of panicking.
pub fn read(postings: &[u8], offset: u64) -> ListReader<'_> {
    let mut cursor = Cursor::at(postings, usize::try_from(offset).unwrap_or(usize::MAX));
    let remaining = cursor.varint().and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    ListReader { cursor, remaining, doc: 0, first: true }
}

/// An iterator over one postings list.
#[derive(Debug, Clone)]
pub struct ListReader<'a> {
    cursor: Cursor<'a>,
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
}

impl Iterator for ListReader<'_> {
    type Item = Posting;

    fn next(&mut self) -> Option<Posting> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let head = self.cursor.varint();
        let Some(head) = head else {
            self.remaining = 0;
            return None;
        };
        let delta = u32::try_from(head >> FIELD_COUNT).ok();
        let doc = delta.and_then(|d| if self.first { Some(d) } else { self.doc.checked_add(d) });
        let Some(doc) = doc else {
            self.remaining = 0;
            return None;
        };
        let mut freqs = [0u32; FIELD_COUNT];
        let mut norms = [0u8; FIELD_COUNT];
        for field in 0..FIELD_COUNT {
            if head & (1 << field) != 0 {
                let tf = self.cursor.varint().and_then(|v| u32::try_from(v).ok());
                let norm = self.cursor.bytes(1);
                let (Some(tf), Some(norm)) = (tf, norm) else {
                    self.remaining = 0;
                    return None;
                };
                freqs[field] = tf;
                norms[field] = norm[0];
            }
        }
        self.first = false;
        self.doc = doc;
        Some(Posting { doc, freqs, norms })
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
        let postings = [(3u32, [1, 0, 0, 0]), (200, [0, 2, 0, 0]), (201, [1, 1, 0, 0]), (90_000, [0, 0, 4, 0])];
        let norms = [9, 80, 3, 0];
        let mut whole = ListWriter::default();
        for (doc, freqs) in &postings {
            whole.push(*doc, freqs, &norms);
        }
        for cut in 0..=postings.len() {
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

    #[test]
    fn corrupt_bytes_end_the_list_without_panicking() {
        let bytes = [5u8, 0xFF, 0xFF];
        assert_eq!(read(&bytes, 0).count(), 0);
        assert_eq!(read(&bytes, 99).count(), 0);
    }
}
