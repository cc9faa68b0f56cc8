//! The index loader over one file: a single-file index, or a root alone (which loads as a
//! sharded index with no pieces). Input: a mode byte, then the file. Odd modes repair the root
//! checksum, every inline piece's header and the dictionary fsts' CRC32C first, so that
//! mutations reach the decoders.
#![no_main]

use libfuzzer_sys::fuzz_target;
use papersift_core::Index;
use papersift_fuzz::{exercise, keep, repair_single_file};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, file)) = data.split_first() else { return };
    let mut file = file.to_vec();
    if mode & 1 != 0 {
        repair_single_file(&mut file);
    }
    keep("index.idx", &file);
    if let Ok(index) = Index::from_bytes(file) {
        exercise(&index);
    }
});
