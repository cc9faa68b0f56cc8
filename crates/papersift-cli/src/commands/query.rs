//! `papersift query`: one query for a person or a script, or a file of queries for a script.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use clap::{ArgGroup, Args};
use papersift_core::search::OptionOverrides;
use papersift_core::{eval, Hit, Index, SearchOptions, SearchResults, Snippet, Span};

use crate::error::Error;
use crate::{index_file, input};

/// Search an index, with one query or a file of queries.
///
/// Query syntax: plain words; "an exact phrase"; -word or -"a phrase" to exclude;
/// title:, abstract:, author: or venue: before a word or phrase to restrict it to that field;
/// year:2020, year:2019..2022, year:>=2019. Words match with typos, and the last word as a
/// prefix, unless turned off.
#[derive(Args)]
#[command(
    group(ArgGroup::new("input").required(true).args(["text", "queries"])),
    override_usage = "papersift query [OPTIONS] <INDEX> <TEXT>\n       papersift query [OPTIONS] <INDEX> --queries <FILE.jsonl>"
)]
pub struct QueryArgs {
    /// The index: a papersift.idx file (a single file, or the root of a sharded index whose
    /// pieces are in papersift/ beside it), or the directory holding one.
    #[arg(value_name = "INDEX")]
    index: PathBuf,

    /// The query.
    #[arg(value_name = "TEXT")]
    text: Option<String>,

    /// Run every query of a JSON Lines file of {"id": …, "text": …} (`-` reads standard input)
    /// and print one line per query: {"query_id": …, "hits": [{"id": …, "score": …}, …]}.
    #[arg(long, value_name = "FILE.jsonl")]
    queries: Option<PathBuf>,

    /// How many hits to print, per query.
    #[arg(long, value_name = "N", default_value_t = 10)]
    limit: usize,

    /// Print one JSON object per hit per line: id, score, title, authors, year, venue, url,
    /// highlights (byte ranges in the title) and snippet (text and byte ranges of its highlights).
    #[arg(long)]
    json: bool,

    /// Only papers published in year Y or later.
    #[arg(long, value_name = "Y")]
    year_min: Option<u16>,

    /// Only papers published in year Y or earlier.
    #[arg(long, value_name = "Y")]
    year_max: Option<u16>,

    /// Only papers with an author matching A (any words of the name). Repeat to require several.
    #[arg(long, value_name = "A")]
    author: Vec<String>,

    /// Match words exactly: no typo tolerance.
    #[arg(long)]
    no_fuzzy: bool,

    /// Match the last word whole, not as the prefix of a longer word.
    #[arg(long)]
    no_prefix: bool,

    /// Before the hits, list the root and the pieces the query loaded from a sharded index, by
    /// loading round, with their sizes and the total: what a browser fetches for this query.
    #[arg(long, conflicts_with_all = ["json", "queries"])]
    explain_pieces: bool,
}

impl QueryArgs {
    /// The flags as overrides of the core's declared options (the same ones JS sets by name).
    fn search_options(&self, highlight: bool) -> SearchOptions {
        let overrides = OptionOverrides {
            limit: Some(u32::try_from(self.limit).unwrap_or(u32::MAX)),
            year_min: self.year_min,
            year_max: self.year_max,
            authors: Some(self.author.clone()),
            prefix: Some(!self.no_prefix),
            fuzzy: Some(!self.no_fuzzy),
            highlight: Some(highlight),
            ..OptionOverrides::default()
        };
        overrides.apply(SearchOptions::default())
    }
}

/// Runs `papersift query`.
pub fn run(args: QueryArgs) -> Result<(), Error> {
    let mut index = index_file::open(&args.index)?;
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = BufWriter::new(stdout.lock());
    let written = match (&args.queries, &args.text) {
        (Some(queries), _) => {
            let queries = read_queries(queries)?;
            let options = args.search_options(false);
            for query in &queries {
                index.load_for(&query.text, &options)?;
            }
            write_batch(&mut out, &index.index, &queries, &options)
        }
        (None, Some(text)) => {
            let options = args.search_options(true);
            let loaded = index.load_for(text, &options)?;
            let results = index.index.search(text, &options);
            let explained = if args.explain_pieces { explain(&mut out, &index, &loaded) } else { Ok(()) };
            explained.and_then(|()| {
                if args.json {
                    write_json_hits(&mut out, &results)
                } else {
                    write_human(&mut out, &results, if terminal { Marks::BOLD } else { Marks::BRACKETS })
                }
            })
        }
        (None, None) => unreachable!("clap requires TEXT or --queries"),
    };
    match written.and_then(|()| out.flush()) {
        // `papersift query … | head` closing the pipe early is not a failure.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::new(format!("cannot write results: {e}"))),
        _ => Ok(()),
    }
}

/// The root and the pieces a query loaded, by round, with sizes and totals.
fn explain(
    out: &mut impl Write,
    index: &index_file::OnDisk,
    loaded: &[index_file::LoadedPiece],
) -> std::io::Result<()> {
    let stats = index.index.stats();
    if !index.index.is_sharded() {
        writeln!(out, "single-file index: {} bytes, every piece loaded with it", stats.bytes)?;
        return Ok(());
    }
    writeln!(out, "root {}: {} bytes", index.file.display(), stats.root_bytes)?;
    for piece in loaded {
        writeln!(out, "round {} {:<24} {:>10} bytes", piece.round, piece.name, piece.bytes)?;
    }
    let pieces: usize = loaded.iter().map(|p| p.bytes).sum();
    writeln!(
        out,
        "total: {} pieces, {} bytes of pieces, {} bytes with the root (of {} pieces, {} bytes in all)",
        loaded.len(),
        pieces,
        pieces + stats.root_bytes,
        stats.pieces,
        stats.bytes
    )?;
    writeln!(out)
}

/// Reads a queries file, naming `file:line` on a bad line.
pub fn read_queries(path: &std::path::Path) -> Result<Vec<eval::Query>, Error> {
    let bytes = input::read_all(path)?;
    eval::parse_queries(&bytes)
        .map_err(|e| Error::new(format!("{}:{}: {}", input::display_name(path), e.line, e.reason)))
}

fn write_batch(
    out: &mut impl Write,
    index: &Index,
    queries: &[eval::Query],
    options: &SearchOptions,
) -> std::io::Result<()> {
    for query in queries {
        let results = index.search(&query.text, options);
        let hits: Vec<serde_json::Value> =
            results.hits.iter().map(|hit| serde_json::json!({ "id": hit.id, "score": hit.score })).collect();
        writeln!(out, "{}", serde_json::json!({ "query_id": query.id, "hits": hits }))?;
    }
    Ok(())
}

fn write_json_hits(out: &mut impl Write, results: &SearchResults) -> std::io::Result<()> {
    for hit in &results.hits {
        serde_json::to_writer(&mut *out, hit)?;
        writeln!(out)?;
    }
    if results.hits.is_empty() {
        if let Some(suggestion) = &results.suggestion {
            // Not on stdout: every stdout line is a hit.
            eprintln!("did you mean: {suggestion}");
        }
    }
    Ok(())
}

/// How highlighted text is marked: bold on a terminal, brackets in a pipe or file.
struct Marks {
    open: &'static str,
    close: &'static str,
}

impl Marks {
    const BOLD: Marks = Marks { open: "\x1b[1m", close: "\x1b[0m" };
    const BRACKETS: Marks = Marks { open: "[[", close: "]]" };
}

fn write_human(out: &mut impl Write, results: &SearchResults, marks: Marks) -> std::io::Result<()> {
    if results.hits.is_empty() {
        writeln!(out, "no papers match")?;
        if let Some(suggestion) = &results.suggestion {
            writeln!(out, "did you mean: {suggestion}")?;
        }
        return Ok(());
    }
    let rank_width = results.hits.len().to_string().len();
    let indent = " ".repeat(rank_width + 2);
    for (rank, hit) in results.hits.iter().enumerate() {
        writeln!(out, "{:>rank_width$}. {}  ({:.3})", rank + 1, mark(&hit.title, &hit.highlights, &marks), hit.score)?;
        let byline = byline(hit);
        if !byline.is_empty() {
            writeln!(out, "{indent}{byline}")?;
        }
        let Snippet { text, highlights } = &hit.snippet;
        if !text.is_empty() {
            writeln!(out, "{indent}{}", mark(text, highlights, &marks))?;
        }
        if let Some(url) = &hit.url {
            writeln!(out, "{indent}{url}")?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{} of {} matching papers", results.hits.len(), results.total)
}

/// `A. Author, B. Author, C. Author et al. · 2024 · Venue`, leaving out what is unknown.
fn byline(hit: &Hit) -> String {
    const SHOWN_AUTHORS: usize = 3;
    let mut parts = Vec::new();
    if !hit.authors.is_empty() {
        let mut authors = hit.authors.iter().take(SHOWN_AUTHORS).cloned().collect::<Vec<_>>().join(", ");
        if hit.authors.len() > SHOWN_AUTHORS {
            authors.push_str(" et al.");
        }
        parts.push(authors);
    }
    if let Some(year) = hit.year {
        parts.push(year.to_string());
    }
    if let Some(venue) = &hit.venue {
        parts.push(venue.clone());
    }
    parts.join(" · ")
}

/// `text` with each highlighted range wrapped in marks. Ranges that overlap an earlier one or
/// do not fall on character boundaries are left unmarked rather than trusted.
fn mark(text: &str, spans: &[Span], marks: &Marks) -> String {
    let mut spans = spans.to_vec();
    spans.sort_by_key(|span| span.start);
    let mut out = String::with_capacity(text.len() + spans.len() * 8);
    let mut done = 0;
    for Span { start, end } in spans {
        if start < done || start >= end || text.get(start..end).is_none() {
            continue;
        }
        out.push_str(&text[done..start]);
        out.push_str(marks.open);
        out.push_str(&text[start..end]);
        out.push_str(marks.close);
        done = end;
    }
    out.push_str(&text[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mark_wraps_spans_in_order_and_skips_bad_ones() {
        let spans = [
            Span { start: 6, end: 13 },
            Span { start: 0, end: 5 },
            Span { start: 8, end: 10 },
            Span { start: 14, end: 99 },
        ];
        assert_eq!(mark("Model merging works", &spans, &Marks::BRACKETS), "[[Model]] [[merging]] works");
    }

    #[test]
    fn mark_leaves_spans_off_char_boundaries_unmarked() {
        // "é" is two bytes: a span ending inside it is not trusted.
        assert_eq!(mark("éa", &[Span { start: 0, end: 1 }], &Marks::BRACKETS), "éa");
        assert_eq!(mark("éa", &[Span { start: 0, end: 2 }], &Marks::BRACKETS), "[[é]]a");
    }
}
