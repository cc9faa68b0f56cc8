//! `papersift build`: records files in, `DIR/papersift.idx` out, all or nothing.

use std::fs::File;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};
use papersift_core::builder::{build_pieces, BuildError, BuildMemory, BuildOptions, BuiltIndex, Source};
use papersift_core::record::InputFormat;
use papersift_core::BuildReport;

use crate::error::Error;
use crate::scratch::ScratchDir;
use crate::{index_file, input, site};

/// Build an index from record files (JSON Lines, JSON, CSL-JSON, CSV, BibTeX, RIS, arXiv Atom,
/// Daily Papers dump).
///
/// Writes DIR/papersift.idx, DIR/index.html and DIR/papersift.js. A large index is sharded: then
/// papersift.idx is its root and its pieces go to DIR/papersift/ (NAME.bin, and NAME.js for pages
/// opened from file://). Strict by default: if any record is invalid, every problem is
/// printed as `file:line: field: reason` and no index is written.
#[derive(Args)]
pub struct BuildArgs {
    /// Record files to index; `-` reads standard input. Gzipped files are detected and read as is.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,

    /// Directory to write the index into (created if missing).
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,

    /// Format of every INPUT: jsonl, json, csl-json, csv (Zotero's export too), bibtex, ris,
    /// atom or daily-papers. Without it, each input's format is detected from its name, then
    /// its content; an input that matches none is an error.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    format: Option<InputFormat>,

    /// Index the valid records and list the invalid ones, instead of failing the build.
    #[arg(long)]
    skip_invalid: bool,

    /// Write one file (off), a root and pieces (on), or pick by size (auto: sharded when the
    /// single file would pass 4 MiB, the size a browser still parses quickly as one script).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = Shards::Auto)]
    shards: Shards,

    /// MiB of postings held in memory before they are written to a scratch folder in DIR and
    /// merged at the end. The index is the same whatever the value; peak memory follows it.
    #[arg(long, value_name = "MIB", default_value_t = 256.0, value_parser = parse_memory)]
    memory: f64,
}

/// Whether `papersift build` writes a sharded index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shards {
    /// Sharded when the single file would pass [`AUTO_SHARDS_BYTES`].
    Auto,
    /// Always a root and pieces.
    On,
    /// Always one file.
    Off,
}

/// The single-file size above which `--shards auto` shards. The whole index of a single-file
/// site is one base64 string the browser parses before the first result (about a third larger
/// than the index); a few MiB of it still parse in well under the 300 ms a first result may take.
pub const AUTO_SHARDS_BYTES: usize = 4 << 20;

impl Shards {
    fn shard(self, built: &BuiltIndex) -> bool {
        match self {
            Shards::Auto => built.total_bytes() > AUTO_SHARDS_BYTES,
            Shards::On => true,
            Shards::Off => false,
        }
    }
}

fn parse_memory(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(mib) if mib > 0.0 && mib.is_finite() => Ok(mib),
        _ => Err(format!("{text:?} is not a positive number of MiB")),
    }
}

fn parse_format(name: &str) -> Result<InputFormat, String> {
    InputFormat::from_name(name)
        .ok_or_else(|| format!("unknown format {name:?}; use one of {}", InputFormat::NAMES.join(", ")))
}

/// Runs `papersift build`.
pub fn run(args: BuildArgs) -> Result<(), Error> {
    let started = Instant::now();
    let progress = progress_bar(&args.inputs);
    let sources = open_sources(&args.inputs, args.format, &progress)?;
    std::fs::create_dir_all(&args.output).map_err(|e| Error::io("create directory", &args.output, e))?;
    let scratch_path = args.output.join(format!(".papersift-scratch.{}.tmp", temp_suffix()));
    let scratch = ScratchDir::create(scratch_path.clone())
        .map_err(|e| Error::io("create the build's scratch folder", &scratch_path, e))?;
    let memory =
        BuildMemory { scratch: std::sync::Arc::new(scratch), run_bytes: (args.memory * f64::from(1 << 20)) as usize };
    let options = BuildOptions { skip_invalid: args.skip_invalid, memory, ..BuildOptions::default() };
    let built = build_pieces(sources, &options);
    progress.finish_and_clear();

    let (built, report) = built.map_err(|error| match error {
        BuildError::Records { errors, report } => Error::with_details(
            errors.lines().collect(),
            format!(
                "{} invalid record{} among {} read; no index written. Fix them, or pass --skip-invalid to index the rest",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" },
                report.read,
            ),
        ),
        BuildError::Scratch(e) => Error::io("use the build's scratch folder", &scratch_path, e),
    })?;

    let sharded = args.shards.shard(&built);
    // A sharded site splices only the root into its script; the pieces load as queries need them.
    let root = built.root_file();
    let index_path =
        write_index(&args.output, |out| if sharded { out.write_all(&root) } else { built.write_single_file(out) })?;
    let pieces_dir = args.output.join(index_file::PIECES_DIR);
    let pieces = if sharded { write_pieces(&pieces_dir, &built)? } else { remove_pieces(&pieces_dir)? };
    print_summary(&report, &index_path, started);
    if sharded {
        println!("pieces:          {pieces} in {} (root {} bytes)", pieces_dir.display(), root.len());
    }
    // The page splices the index into its script: the root, or a single file small enough to.
    let index =
        if sharded { root } else { std::fs::read(&index_path).map_err(|e| Error::io("read", &index_path, e))? };
    let site_files =
        site::write_site(&args.output, &index).map_err(|e| Error::io("write the search page in", &args.output, e))?;
    for path in site_files {
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Writes every piece as `NAME.bin` (its bytes, for `fetch` over http) and `NAME.js` (the same
/// bytes in base64 handed to `globalThis.papersiftPiece`, for pages opened from file://, where a
/// classic script is the only thing a page can load). The pieces go to a fresh folder that then
/// replaces `dir`, so a site never mixes pieces of two builds. Returns the number of pieces.
pub fn write_pieces(dir: &Path, built: &BuiltIndex) -> Result<usize, Error> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    let fresh = parent.join(format!(".{}.{}.tmp", index_file::PIECES_DIR, temp_suffix()));
    let build_id = format!("{:016x}", built.root.build_id);
    let mut count = 0;
    let written = (|| -> std::io::Result<()> {
        for piece in built.named_pieces() {
            let (name, bytes) = piece?;
            let bytes = bytes.as_slice();
            let bin = fresh.join(format!("{name}.bin"));
            if let Some(folder) = bin.parent() {
                std::fs::create_dir_all(folder)?;
            }
            std::fs::write(&bin, bytes)?;
            std::fs::write(fresh.join(format!("{name}.js")), site::piece_script(&build_id, &name, bytes))?;
            count += 1;
        }
        std::fs::create_dir_all(&fresh)?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(Error::io("write index pieces in", &fresh, e));
    }
    remove_pieces(dir)?;
    std::fs::rename(&fresh, dir).map_err(|e| Error::io("move index pieces to", dir, e))?;
    Ok(count)
}

/// Removes the pieces of an earlier sharded build (a single-file build has none). Returns 0.
fn remove_pieces(dir: &Path) -> Result<usize, Error> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io("remove old index pieces in", dir, e)),
        _ => Ok(0),
    }
}

/// A bar over the total size of the input files, on stderr, only when a person is watching.
fn progress_bar(inputs: &[PathBuf]) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total: u64 = inputs
        .iter()
        .filter(|path| !input::is_stdin(path))
        .filter_map(|path| std::fs::metadata(path).ok())
        .map(|metadata| metadata.len())
        .sum();
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("{spinner} reading {bytes}/{total_bytes} {wide_bar} {eta}") {
        bar.set_style(style);
    }
    bar
}

fn open_sources<'a>(
    inputs: &[PathBuf],
    format: Option<InputFormat>,
    progress: &ProgressBar,
) -> Result<Vec<Source<'a>>, Error> {
    inputs
        .iter()
        .map(|path| {
            let reader: Box<dyn Read> = if input::is_stdin(path) {
                Box::new(progress.wrap_read(std::io::stdin()))
            } else {
                let file = File::open(path).map_err(|e| Error::io("open", path, e))?;
                Box::new(progress.wrap_read(file))
            };
            Ok(Source { name: input::display_name(path), reader, format })
        })
        .collect()
}

/// Writes the index under a temporary name and renames it into place, so that a failed or
/// interrupted build never leaves a partial `papersift.idx`.
fn write_index(dir: &Path, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<PathBuf, Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, e))?;
    let final_path = dir.join(index_file::FILE_NAME);
    let temp_path = dir.join(format!(".{}.{}.tmp", index_file::FILE_NAME, temp_suffix()));
    let written = File::create(&temp_path)
        .and_then(|file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            write(&mut out)?;
            out.into_inner().map_err(std::io::IntoInnerError::into_error)?.sync_all()
        })
        .and_then(|()| std::fs::rename(&temp_path, &final_path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp_path);
        return Err(Error::io("write index", &final_path, e));
    }
    Ok(final_path)
}

/// Tells concurrent builds into one directory apart: the process id.
#[cfg(not(target_os = "wasi"))]
fn temp_suffix() -> u32 {
    std::process::id()
}

/// Tells concurrent builds into one directory apart. WASI has no process ids
/// (`std::process::id` panics there), so the clock's nanoseconds stand in.
#[cfg(target_os = "wasi")]
fn temp_suffix() -> u32 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |elapsed| elapsed.subsec_nanos())
}

fn print_summary(report: &BuildReport, index_path: &Path, started: Instant) {
    println!("records read:    {}", report.read);
    println!("records indexed: {}", report.indexed);
    println!("records skipped: {}", report.skipped.len());
    for line in report.skipped.lines() {
        println!("  {line}");
    }
    println!("terms:           {}", report.terms);
    println!("index bytes:     {}", report.bytes);
    println!("postings runs:   {}", report.runs);
    println!("time:            {:.2} s", started.elapsed().as_secs_f64());
    println!("wrote {}", index_path.display());
}
