//! Forging an fst's CRC32C, as libFuzzer's compare tracing does: `verify` reports the checksum it
//! computed, and that is copied over the one the fst carries, so that only the fst's structural
//! check can catch a corruption.

/// Writes the CRC32C `fst` (an fst's bytes: nodes, key count, root address, CRC32C) should carry
/// over the one it carries. Bytes `fst` cannot open (a bad version or length) are left as they
/// are: nothing reads further into them.
pub fn forge_fst_checksum(fst: &mut [u8]) {
    let Ok(Err(fst::Error::Fst(fst::raw::Error::ChecksumMismatch { got: computed, .. }))) =
        fst::raw::Fst::new(&*fst).map(|fst| fst.verify())
    else {
        return;
    };
    let end = fst.len();
    fst[end - 4..].copy_from_slice(&computed.to_le_bytes());
}
