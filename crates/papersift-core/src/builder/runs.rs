//! Sorted runs of postings: what a build holds in memory is written out, term by term in
//! byte order, whenever it passes the memory budget; at the end the runs are merged into one
//! stream of lists in term order. Runs hold consecutive documents, so a term's parts are joined
//! in run order with only their first delta rewritten ([`ListWriter::append`]): the merged list
//! is byte for byte the list one writer would have built, whatever the number of runs.
//!
//! A run, per term: `varint len` and the term, `varint doc_count`, `varint last_doc`, and
//! `varint len` and the list's entries.

use std::cmp::Reverse;
use std::collections::binary_heap::PeekMut;
use std::collections::{BinaryHeap, HashMap};
use std::io::{self, BufReader, BufWriter, Write};

use super::scratch::{self, ScratchFile};
use crate::format::postings::ListWriter;
use crate::format::{write_str, write_varint};

/// Writes `terms` as a run into `file`, sorted by term, and rewinds it.
pub(super) fn write_run(
    terms: HashMap<String, ListWriter>,
    file: Box<dyn ScratchFile>,
) -> io::Result<Box<dyn ScratchFile>> {
    let mut terms: Vec<(String, ListWriter)> = terms.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let mut head = Vec::new();
    for (term, list) in terms {
        let Some(last_doc) = list.last_doc() else { continue };
        head.clear();
        write_str(&mut head, &term);
        write_varint(&mut head, u64::from(list.doc_count()));
        write_varint(&mut head, u64::from(last_doc));
        write_varint(&mut head, list.entries().len() as u64);
        out.write_all(&head)?;
        out.write_all(list.entries())?;
    }
    scratch::rewind(out)
}

/// One run being read: the part of the list of the term at the head of the merge.
struct RunReader {
    reader: BufReader<Box<dyn ScratchFile>>,
    doc_count: u32,
    last_doc: u32,
    entries: Vec<u8>,
}

/// Reads the next entry of `run`: its term, and its part into the reader's fields.
fn next_term(run: &mut RunReader) -> io::Result<Option<String>> {
    let mut term = Vec::new();
    let Some(len) = scratch::read_varint(&mut run.reader)? else { return Ok(None) };
    let len = usize::try_from(len).map_err(|_| scratch::corrupt("a term length is too large"))?;
    term.resize(len, 0);
    io::Read::read_exact(&mut run.reader, &mut term)?;
    let term = String::from_utf8(term).map_err(|_| scratch::corrupt("a term is not UTF-8"))?;
    let number = |n: u64| u32::try_from(n).map_err(|_| scratch::corrupt("a document number is too large"));
    run.doc_count = number(scratch::read_number(&mut run.reader)?)?;
    run.last_doc = number(scratch::read_number(&mut run.reader)?)?;
    scratch::read_bytes(&mut run.reader, &mut run.entries)?;
    Ok(Some(term))
}

/// Merges runs (in the order they were written) and calls `each` with every term, in byte
/// order, and its whole list. Holds one list part per run and one merged list at a time.
pub(super) fn merge(
    runs: Vec<Box<dyn ScratchFile>>,
    mut each: impl FnMut(&str, &ListWriter) -> io::Result<()>,
) -> io::Result<()> {
    let mut readers: Vec<RunReader> = runs
        .into_iter()
        .map(|file| RunReader {
            reader: BufReader::with_capacity(1 << 16, file),
            doc_count: 0,
            last_doc: 0,
            entries: Vec::new(),
        })
        .collect();
    // Ties break on the run's number, so a term's parts come out in document order.
    let mut heap = BinaryHeap::new();
    for (i, reader) in readers.iter_mut().enumerate() {
        if let Some(term) = next_term(reader)? {
            heap.push(Reverse((term, i)));
        }
    }
    while let Some(Reverse((term, first))) = heap.pop() {
        let mut list = ListWriter::default();
        let mut run = first;
        loop {
            let reader = &mut readers[run];
            list.append(reader.doc_count, reader.last_doc, &reader.entries)
                .ok_or_else(|| scratch::corrupt("runs of one term overlap"))?;
            if let Some(next) = next_term(reader)? {
                if next <= term {
                    return Err(scratch::corrupt("a run is out of order"));
                }
                heap.push(Reverse((next, run)));
            }
            match heap.peek_mut() {
                Some(top) if top.0 .0 == term => run = PeekMut::pop(top).0 .1,
                _ => break,
            }
        }
        each(&term, &list)?;
    }
    Ok(())
}
