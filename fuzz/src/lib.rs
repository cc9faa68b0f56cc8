//! What the fuzz targets share: search options drawn from input bytes, the searches run over
//! every index that loads, the framing that carries a sharded root and its pieces in one input,
//! and the repair of checksums and piece headers (and of the CRC32C each dictionary fst carries), so
//! that mutated bytes get past the checks and reach the decoders behind them.
//!
//! Every target's oracle is the same: an error is fine, a panic, an abort, running out of memory
//! or time is a bug. A few targets also check what must hold whatever the input (records read =
//! indexed + skipped; a built index loads; a sharded index answers like the single file).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use papersift_core::format::dictionary::Chunk;
use papersift_core::format::piece::{self, PieceId, PieceKind, HEADER_LEN};
use papersift_core::format::{IndexFile, Root, MAGIC};
use papersift_core::{Index, SearchOptions, SearchResults};

/// Separates the sections of an input: the first is an index file (a single file or a root),
/// each next one a piece, its name up to the first newline, then its bytes.
pub const PIECE_SEPARATOR: &[u8] = b"\n=PIECE=";

/// Separates a query from its author filters and venue filters in the `query` target's text.
pub const FIELD_SEPARATOR: char = '\u{1e}';

/// Bytes of the root file header: magic, version, flags, root length, root checksum.
const ROOT_HEADER_LEN: usize = 32;

/// With `PAPERSIFT_FUZZ_KEEP=DIR` set, writes bytes a target hands to the core (after any
/// repair) to `DIR/NAME` (`/` in NAME becomes `_`): how a crash becomes a regression fixture.
pub fn keep(name: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("PAPERSIFT_FUZZ_KEEP") {
        let path = std::path::Path::new(&dir).join(name.replace('/', "_"));
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
}

/// Search options from the first bytes of an input (missing bytes read as 0). The extremes
/// (255) stand for the largest values a caller can pass.
pub fn options_from(bytes: &[u8]) -> SearchOptions {
    let byte = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let count = |value: u8, small: u8| match value {
        255 => u32::MAX as usize,
        value => usize::from(value % small),
    };
    let year = |value: u8| match value {
        0 => None,
        1 => Some(0),
        255 => Some(u16::MAX),
        value => Some(1900 + u16::from(value)),
    };
    let flags = byte(0);
    SearchOptions {
        prefix: flags & 1 != 0,
        fuzzy: flags & 2 != 0,
        facets: flags & 4 != 0,
        highlight: flags & 8 != 0,
        limit: count(byte(1), 40),
        offset: count(byte(2), 16),
        snippet_chars: match byte(3) {
            255 => u32::MAX as usize,
            value => usize::from(value) * 3,
        },
        year_min: year(byte(4)),
        year_max: year(byte(5)),
        ..SearchOptions::default()
    }
}

/// Splits a `query` target text into the query and its filters: `query RS authors RS venues`,
/// with authors and venues separated by `;`.
pub fn query_and_filters(text: &str, mut options: SearchOptions) -> (&str, SearchOptions) {
    let mut parts = text.split(FIELD_SEPARATOR);
    let query = parts.next().unwrap_or_default();
    let list = |part: Option<&str>| part.map(|p| p.split(';').map(str::to_string).collect()).unwrap_or_default();
    options.authors = list(parts.next());
    options.venues = list(parts.next());
    (query, options)
}

/// Queries built from an index's own terms (so they hit its postings and documents), with
/// a prefix, a typo and the query syntax, and a few fixed ones.
pub fn probe_queries(root: &Root) -> Vec<String> {
    let mut queries: Vec<String> =
        ["model", "\"language models\" -vision", "title:learn year:2000..2030 difusion", "a"]
            .iter()
            .map(|q| q.to_string())
            .collect();
    for chunk in root.chunks.iter().take(3) {
        for term in [&chunk.first, &chunk.last] {
            let prefix: String = term.chars().take(3).collect();
            let typo: String = term.chars().skip(1).collect();
            queries.push(term.clone());
            queries.push(format!("{prefix} {typo}"));
        }
    }
    queries
}

/// Runs probe queries, and the lookups the widget and the CLI make, over an index that loaded.
pub fn exercise<D: AsRef<[u8]>>(index: &Index<D>) {
    let options = SearchOptions { facets: true, limit: 20, ..SearchOptions::default() };
    for query in probe_queries(index.root()) {
        let results = index.search(&query, &options);
        if let Some(hit) = results.hits.first() {
            let _ = index.record_by_id(&hit.id);
        }
    }
    let _ = index.search("model", &SearchOptions { offset: 3, snippet_chars: 1, ..SearchOptions::default() });
    let _ = index.record(0);
    let _ = index.record(index.doc_count().saturating_sub(1) as u32);
    let _ = index.stats();
    let dictionary = index.dictionary();
    let _ = dictionary.completions("a");
    let _ = dictionary.fuzzy("modle", 1, true);
}

/// An input taken apart: the index file and the named pieces that follow it.
pub struct Sections<'a> {
    /// A single-file index or a root.
    pub file: &'a [u8],
    /// (name, bytes) of each piece, in input order.
    pub pieces: Vec<(String, Vec<u8>)>,
}

/// Splits an input at [`PIECE_SEPARATOR`].
pub fn sections(data: &[u8]) -> Sections<'_> {
    let mut parts = split(data, PIECE_SEPARATOR).into_iter();
    let file = parts.next().unwrap_or_default();
    let pieces = parts
        .map(|part| {
            let end = part.iter().position(|&b| b == b'\n').unwrap_or(part.len());
            let name = String::from_utf8_lossy(&part[..end]).into_owned();
            (name, part.get(end + 1..).unwrap_or_default().to_vec())
        })
        .collect();
    Sections { file, pieces }
}

fn split<'a>(mut data: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    while let Some(at) = data.windows(separator.len()).position(|w| w == separator) {
        parts.push(&data[..at]);
        data = &data[at + separator.len()..];
    }
    parts.push(data);
    parts
}

/// Joins an index file and its pieces into one input: what [`sections`] takes apart.
pub fn join_sections(file: &[u8], pieces: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = file.to_vec();
    for (name, bytes) in pieces {
        out.extend_from_slice(PIECE_SEPARATOR);
        out.extend_from_slice(name.as_bytes());
        out.push(b'\n');
        out.extend_from_slice(bytes);
    }
    out
}

/// Rewrites the root checksum in an index file's header to match the root bytes (as far as
/// they reach), so that a mutated root reaches the root decoder.
pub fn repair_root_checksum(file: &mut [u8]) {
    if file.len() < ROOT_HEADER_LEN || file[..MAGIC.len()] != MAGIC {
        return;
    }
    let root_len = u64::from_le_bytes(file[16..24].try_into().unwrap_or_default());
    let end = usize::try_from(root_len).ok().and_then(|len| len.checked_add(ROOT_HEADER_LEN));
    let end = end.unwrap_or(usize::MAX).min(file.len());
    let checksum = xxhash_rust::xxh3::xxh3_64(&file[ROOT_HEADER_LEN..end]);
    file[24..32].copy_from_slice(&checksum.to_le_bytes());
}

/// Rewrites the CRC32C of both fsts in a terms piece's body to match their bytes, which
/// libFuzzer's compare tracing only now and then does on its own, so that mutated fsts reach
/// their structural check (`fst::raw::Fst::verify_structure`) on every odd mode.
pub fn repair_fst_checksums(body: &mut [u8]) {
    let Ok(chunk) = Chunk::open(body) else { return };
    let start = body.as_ptr() as usize;
    let ranges: Vec<Range<usize>> = [chunk.terms.as_fst(), chunk.stems.as_fst()]
        .map(|fst| fst.as_bytes().as_ptr_range())
        .map(|r| r.start as usize - start..r.end as usize - start)
        .into();
    for range in ranges {
        let fst = &mut body[range];
        let verified = fst::raw::Fst::new(&*fst).map(|fst| fst.verify());
        if let Ok(Err(fst::Error::Fst(fst::raw::Error::ChecksumMismatch { got, .. }))) = verified {
            let end = fst.len();
            fst[end - 4..].copy_from_slice(&got.to_le_bytes());
        }
    }
}

/// Repairs a single-file index: the root checksum, then each inline piece's build id and
/// checksum (and a terms piece's fst checksums), so that mutated pieces reach the piece decoders.
pub fn repair_single_file(file: &mut [u8]) {
    repair_root_checksum(file);
    let Ok(parsed) = IndexFile::parse(file) else { return };
    let Some(ranges) = parsed.inline else { return };
    for (id, range) in parsed.root.piece_ids().zip(ranges) {
        if range.len() < HEADER_LEN {
            continue;
        }
        if id.kind == PieceKind::Terms {
            repair_fst_checksums(&mut file[range.start + HEADER_LEN..range.end]);
        }
        let checksum = piece::checksum(id, &file[range.start + HEADER_LEN..range.end]);
        let header = &mut file[range.start..range.start + HEADER_LEN];
        header[..4].copy_from_slice(&piece::PIECE_MAGIC);
        header[4..12].copy_from_slice(&parsed.root.build_id.to_le_bytes());
        header[12..16].copy_from_slice(&checksum.to_le_bytes());
    }
}

/// Repairs a root and its pieces: each piece with a well-formed name gets the root's build id,
/// its own checksum (a terms piece its fst checksums first), and its length in the root; the
/// root gets its checksum.
pub fn repair_sharded(file: &[u8], pieces: &mut [(String, Vec<u8>)]) -> Vec<u8> {
    let mut repaired = file.to_vec();
    repair_root_checksum(&mut repaired);
    let Ok(parsed) = IndexFile::parse(&repaired) else { return repaired };
    let mut root = parsed.root;
    for (name, bytes) in pieces.iter_mut() {
        let Some(id) = PieceId::parse(name) else { continue };
        let Some(ordinal) = root.ordinal(id) else { continue };
        let mut body = bytes.get(HEADER_LEN..).unwrap_or(bytes).to_vec();
        if id.kind == PieceKind::Terms {
            repair_fst_checksums(&mut body);
        }
        *bytes = piece::encode(id, root.build_id, &body);
        root.pieces[ordinal].len = bytes.len() as u64;
    }
    IndexFile::write_root(&root, false)
}

/// Loads, round after round, the pieces `query` needs from `pieces`, as the web loader does.
/// Stops when the index needs nothing more or asks only for pieces that are missing or were
/// refused. Panics if it asks again for a piece it accepted: a loader would loop forever.
pub fn load_for<D: AsRef<[u8]>>(
    index: &mut Index<D>,
    pieces: &HashMap<String, Vec<u8>>,
    query: &str,
    options: &SearchOptions,
) {
    let mut tried = HashSet::new();
    loop {
        let needs = index.needs(query, options);
        let mut progressed = false;
        for name in needs {
            if !tried.insert(name.clone()) {
                let accepted = PieceId::parse(&name).is_some_and(|id| index.is_loaded(id));
                assert!(!accepted, "needs({query:?}) asks again for {name}, which was added");
                continue;
            }
            if let Some(bytes) = pieces.get(&name) {
                let _ = index.add_piece(&name, bytes.clone());
                progressed = true;
            }
        }
        if !progressed {
            return;
        }
    }
}

/// The search results a sharded index gives, compared with a single file's: author facets are
/// counted only over a whole index, so they are left out.
pub fn without_author_facets(mut results: SearchResults) -> SearchResults {
    if let Some(facets) = &mut results.facets {
        facets.authors.clear();
    }
    results
}
