//! `papersift stats`: what is inside an index file.

use std::path::PathBuf;

use clap::Args;

use crate::error::Error;
use crate::index_file;

/// Show an index's format version, document and term counts, its root and pieces, and the
/// number and size of the pieces of each kind.
///
/// Sizes are in bytes; kinds are listed in file order.
#[derive(Args)]
pub struct StatsArgs {
    /// The index: a papersift.idx file (a single file, or the root of a sharded index whose
    /// pieces are in papersift/ beside it), or the directory holding one.
    #[arg(value_name = "INDEX")]
    index: PathBuf,

    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `papersift stats`.
pub fn run(args: StatsArgs) -> Result<(), Error> {
    // The root describes every piece: a sharded index's pieces need not be read.
    let index = index_file::open(&args.index)?.index;
    let stats = index.stats();
    if args.json {
        let json =
            serde_json::to_string(&stats).map_err(|e| Error::new(format!("cannot encode stats as JSON: {e}")))?;
        println!("{json}");
        return Ok(());
    }
    println!("format version: {}", stats.version);
    println!("layout:         {}", if index.is_sharded() { "sharded (root and piece files)" } else { "single file" });
    println!("documents:      {}", stats.docs);
    println!("terms:          {}", stats.terms);
    println!("total bytes:    {}", stats.bytes);
    println!("root bytes:     {}", stats.root_bytes);
    println!("pieces:         {}", stats.pieces);
    println!("sections:");
    let width = stats.sections.iter().map(|(name, _, _)| name.len()).max().unwrap_or(0);
    for (name, pieces, bytes) in &stats.sections {
        println!("  {name:<width$}  {pieces:>6} pieces  {bytes:>10} bytes");
    }
    Ok(())
}
