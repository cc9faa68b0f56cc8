//! The index loader over a sharded index: a root, then pieces added by name as queries need
//! them (`Index::needs`, `Index::add_piece`), as the web loader does. Input: a mode byte, the
//! root, then pieces, each `PIECE_SEPARATOR name \n bytes`. Odd modes repair the checksums
//! (the dictionary fsts' CRC32C too), build ids and root lengths first, so that mutated pieces
//! reach the piece decoders; modes with bit 1 set also add every piece given, in input order,
//! before the last searches.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use papersift_core::{Index, SearchOptions};
use papersift_fuzz::{exercise, keep, load_for, probe_queries, repair_sharded, sections, Sections};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Sections { file, mut pieces } = sections(rest);
    let file = if mode & 1 != 0 { repair_sharded(file, &mut pieces) } else { file.to_vec() };
    keep("root.idx", &file);
    for (name, bytes) in &pieces {
        keep(&format!("{name}.bin"), bytes);
    }
    let Ok(mut index) = Index::from_bytes(file) else { return };
    let options = SearchOptions { facets: true, ..SearchOptions::default() };
    if mode & 2 != 0 {
        for (name, bytes) in &pieces {
            let _ = index.add_piece(name, bytes.clone());
        }
    }
    let pieces: HashMap<String, Vec<u8>> = pieces.into_iter().collect();
    for query in probe_queries(index.root()) {
        load_for(&mut index, &pieces, &query, &options);
        let _ = index.search(&query, &options);
    }
    exercise(&index);
});
