//! BibTeX, read whole. The file is first cut into top-level `@type{...}` blocks here, so each
//! entry is located by its line and a malformed entry costs only itself; each block is then
//! parsed by the `biblatex` crate, which resolves `@string` and month macros (`jan`..`dec`)
//! and decodes LaTeX accents.
//!
//! On top of that, as real files need: `@comment` and `@preamble` are skipped; an entry with
//! `crossref = {key}` inherits the fields it lacks from that entry (the parent's `title` becomes
//! its `booktitle`), wherever the parent is in the file; math (`$\alpha$-divergence`) becomes
//! readable text (`α-divergence`); font commands (`\emph{x}`, `{\em x}`) and the braces that
//! protect case (`{BERT}`) are dropped for display; fields we do not index (`file`, `keywords`)
//! are ignored.

use std::io::BufRead;

use std::collections::{HashMap, HashSet};

use biblatex::{Bibliography, Chunk, ChunksExt, Entry, ParseError, ParseErrorKind, Person, RawBibliography};

use super::input::{read_to_string, Source};
use super::validate::{field_named, Draft, FieldError, RecordField};
use super::{Location, Record, RecordError, RecordStream};

/// One top-level `@type{...}` block.
#[derive(Debug, PartialEq, Eq)]
struct Block {
    /// The entry type, lowercased: `article`, `string`, `comment`, ...
    kind: String,
    /// Byte range from the `@` to the closing delimiter, inclusive.
    start: usize,
    end: usize,
    /// The 1-based line of the `@`.
    line: usize,
}

/// A block that cannot be cut out, with the line of its `@`.
#[derive(Debug, PartialEq, Eq)]
enum BadBlock {
    /// No matching `}` before the end of the file.
    Unclosed { line: usize },
    /// A line starting with `@` but no `name{`.
    NoBrace { line: usize },
}

pub(crate) fn bibtex_records<'a>(source: Source, reader: Box<dyn BufRead + 'a>) -> RecordStream<'a> {
    let text = match read_to_string(&source, reader) {
        Ok(text) => text,
        Err(error) => return Box::new(std::iter::once(Err(error))),
    };
    // Entries are parsed eagerly, then converted once all are known: a `crossref` parent
    // usually comes after its children. A bibliography is small enough to hold.
    let mut items: Vec<Result<(Location, Entry), RecordError>> = Vec::new();
    let mut macros = Vec::new();
    for block in blocks(&text) {
        let block = match block {
            Ok(block) => block,
            Err(BadBlock::Unclosed { line }) => {
                items.push(Err(source.error(
                    Location::Line(line),
                    None,
                    "entry is never closed; add the missing `}` (or remove an extra `{`)",
                )));
                continue;
            }
            Err(BadBlock::NoBrace { line }) => {
                items.push(Err(source.error(
                    Location::Line(line),
                    None,
                    "`@` starts no entry; write entries as `@article{key, title = {...}}`, or remove the `@`",
                )));
                continue;
            }
        };
        let body = &text[block.start..block.end];
        let location = Location::Line(block.line);
        match block.kind.as_str() {
            "comment" | "preamble" => {}
            "string" => match RawBibliography::parse(body) {
                Ok(raw) => macros.extend(raw.abbreviations),
                Err(error) => items.push(Err(parse_error(&source, &block, body, &error))),
            },
            _ => {
                let raw = match RawBibliography::parse(body) {
                    Ok(raw) => raw,
                    Err(error) => {
                        items.push(Err(parse_error(&source, &block, body, &error)));
                        continue;
                    }
                };
                let mut entries = raw.entries;
                // `biblatex` resolves `crossref` and `xdata` itself, recursing until the stack
                // overflows when an entry names its own key. `inherit` resolves crossrefs across
                // the file instead, so biblatex sees them under a name it does not interpret.
                for entry in &mut entries {
                    entry.v.fields.retain(|field| !field.key.v.eq_ignore_ascii_case("xdata"));
                    for field in &mut entry.v.fields {
                        if field.key.v.eq_ignore_ascii_case("crossref") {
                            field.key.v = CROSSREF;
                        }
                    }
                }
                let raw = RawBibliography { preamble: String::new(), entries, abbreviations: macros.clone() };
                let item = match Bibliography::from_raw(raw) {
                    Ok(bibliography) => match bibliography.into_vec().into_iter().next() {
                        Some(entry) => Ok((location, entry)),
                        None => Err(source.error(
                            location,
                            None,
                            "entry has no key and no fields; remove it or complete it",
                        )),
                    },
                    Err(error) => Err(parse_error(&source, &block, body, &error)),
                };
                items.push(item);
            }
        }
    }
    // Only entries some entry names in its `crossref` are kept twice, so memory stays at one
    // copy of the bibliography.
    let referenced: HashSet<String> = items
        .iter()
        .flatten()
        .filter_map(|(_, entry)| entry.fields.get(CROSSREF).map(|key| key.format_verbatim().trim().to_lowercase()))
        .collect();
    let parents: HashMap<String, Entry> = items
        .iter()
        .flatten()
        .map(|(_, entry)| (entry.key.to_lowercase(), entry))
        .filter(|(key, _)| referenced.contains(key))
        .map(|(key, entry)| (key, entry.clone()))
        .collect();
    Box::new(items.into_iter().map(move |item| {
        let (location, entry) = item?;
        inherit(entry, &parents)
            .and_then(|entry| record_from_entry(&entry))
            .map(|record| (location, record))
            .map_err(|error| source.field_error(location, error))
    }))
}

/// The field name a `crossref` is kept under between parsing and [`inherit`]; lowercase, as
/// `biblatex` stores field names.
const CROSSREF: &str = "papersift-crossref";

/// The entry with the fields it lacks taken from its `crossref` parent, as BibTeX does: the
/// parent's `title` fills the child's `booktitle`. One level, as in BibTeX.
fn inherit(mut entry: Entry, parents: &HashMap<String, Entry>) -> Result<Entry, FieldError> {
    let Some(key) = entry.fields.remove(CROSSREF) else {
        return Ok(entry);
    };
    let key = key.format_verbatim();
    if key.trim().eq_ignore_ascii_case(&entry.key) {
        return Err(FieldError::new(
            "crossref",
            format!("the entry names itself (`{key}`); point it at its parent entry, or remove the crossref"),
        ));
    }
    let parent = parents.get(&key.trim().to_lowercase()).ok_or_else(|| {
        FieldError::new(
            "crossref",
            format!("no entry has the key `{key}`; add that entry to the file, or remove the crossref"),
        )
    })?;
    for (name, value) in &parent.fields {
        let name = match name.as_str() {
            "title" => "booktitle",
            // The parent's own id and links are not the child's.
            CROSSREF | "doi" | "url" | "eprint" | "abstract" => continue,
            other => other,
        };
        entry.fields.entry(name.to_string()).or_insert_with(|| value.clone());
    }
    Ok(entry)
}

fn parse_error(source: &Source, block: &Block, body: &str, error: &ParseError) -> RecordError {
    let offset = error.span.start.min(body.len());
    let line = block.line + body.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count();
    let reason = match &error.kind {
        ParseErrorKind::UnknownAbbreviation(name) => format!(
            "`{name}` is not a defined @string macro; define it with @string{{{name} = \"...\"}}, or put the value in braces"
        ),
        kind => format!(
            "malformed @{} entry ({kind}); check the braces, quotes and commas, and that each field reads `name = {{value}},`",
            block.kind
        ),
    };
    source.error(Location::Line(line), None, reason)
}

fn record_from_entry(entry: &Entry) -> Result<Record, FieldError> {
    let mut draft = Draft::default();
    draft.set_str("key", RecordField::Id, 0, &entry.key)?;
    for (name, chunks) in &entry.fields {
        let Some((field, rank)) = field_named(name) else {
            continue;
        };
        if field == RecordField::Authors {
            let people: Vec<Person> = chunks.parse().map_err(|error| {
                FieldError::new(
                    name,
                    format!("cannot read the names ({error}); write them as `Last, First and First Last`"),
                )
            })?;
            // `and others` is BibTeX for "et al.", not a person.
            let names = people.iter().filter(|person| person.name != "others").map(Person::to_string).collect();
            draft.set_authors(rank, names);
        } else {
            let text = match field {
                RecordField::Title | RecordField::Abstract | RecordField::Venue => display_text(chunks),
                _ => chunks.format_verbatim(),
            };
            draft.set_str(name, field, rank, &text)?;
        }
    }
    draft.finish()
}

/// A field's text as a reader should see it: math made readable, font commands and the braces
/// that protect case dropped. Accents are already decoded by `biblatex`.
fn display_text(chunks: &[biblatex::Spanned<Chunk>]) -> String {
    let mut out = String::new();
    for chunk in chunks {
        match &chunk.v {
            Chunk::Normal(text) | Chunk::Verbatim(text) => out.push_str(&without_commands(text)),
            Chunk::Math(math) => out.push_str(&readable_math(math)),
        }
    }
    out
}

/// Greek letters and the symbols titles use, by their LaTeX command.
const SYMBOLS: &[(&str, &str)] = &[
    ("alpha", "α"),
    ("beta", "β"),
    ("gamma", "γ"),
    ("delta", "δ"),
    ("epsilon", "ε"),
    ("varepsilon", "ε"),
    ("zeta", "ζ"),
    ("eta", "η"),
    ("theta", "θ"),
    ("iota", "ι"),
    ("kappa", "κ"),
    ("lambda", "λ"),
    ("mu", "μ"),
    ("nu", "ν"),
    ("xi", "ξ"),
    ("pi", "π"),
    ("rho", "ρ"),
    ("sigma", "σ"),
    ("tau", "τ"),
    ("upsilon", "υ"),
    ("phi", "φ"),
    ("varphi", "φ"),
    ("chi", "χ"),
    ("psi", "ψ"),
    ("omega", "ω"),
    ("Gamma", "Γ"),
    ("Delta", "Δ"),
    ("Theta", "Θ"),
    ("Lambda", "Λ"),
    ("Xi", "Ξ"),
    ("Pi", "Π"),
    ("Sigma", "Σ"),
    ("Phi", "Φ"),
    ("Psi", "Ψ"),
    ("Omega", "Ω"),
    ("infty", "∞"),
    ("times", "×"),
    ("cdot", "·"),
    ("leq", "≤"),
    ("le", "≤"),
    ("geq", "≥"),
    ("ge", "≥"),
    ("neq", "≠"),
    ("approx", "≈"),
    ("sim", "~"),
    ("pm", "±"),
    ("to", "→"),
    ("rightarrow", "→"),
    ("leftarrow", "←"),
    ("in", "∈"),
    ("ell", "ℓ"),
    ("partial", "∂"),
    ("nabla", "∇"),
    ("sum", "∑"),
    ("prod", "∏"),
    ("sqrt", "√"),
    ("log", "log"),
    ("ldots", "…"),
    ("dots", "…"),
    ("cdots", "⋯"),
];

/// One piece of LaTeX source: a command's name (`\alpha` → `alpha`), an escaped character
/// (`\%`, `\,`; `None` for a trailing backslash), or a plain character.
enum Latex<'a> {
    Command(&'a str),
    Escaped(Option<char>),
    Char(char),
}

/// `text` as LaTeX commands, escapes and characters, in order.
fn latex(text: &str) -> impl Iterator<Item = Latex<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let c = rest.chars().next()?;
        if c != '\\' {
            rest = &rest[c.len_utf8()..];
            return Some(Latex::Char(c));
        }
        let name_length = rest[1..].chars().take_while(char::is_ascii_alphabetic).count();
        if name_length > 0 {
            let name = &rest[1..1 + name_length];
            rest = &rest[1 + name_length..];
            return Some(Latex::Command(name));
        }
        let escaped = rest[1..].chars().next();
        rest = &rest[1 + escaped.map_or(0, char::len_utf8)..];
        Some(Latex::Escaped(escaped))
    })
}

/// Math as readable text: `\alpha` as α, `O(n^{2})` as `O(n^2)`, `\mathcal{L}` as L. Unknown
/// commands keep their name, so nothing a reader would search for disappears.
fn readable_math(math: &str) -> String {
    let mut out = String::new();
    for piece in latex(math) {
        match piece {
            Latex::Command(name) => match SYMBOLS.iter().find(|(command, _)| *command == name) {
                Some((_, symbol)) => out.push_str(symbol),
                // Font and size commands (`\mathcal`, `\mathbf`, `\left`) only style their argument.
                None if is_style_command(name) || matches!(name, "left" | "right") => {}
                None => out.push_str(name),
            },
            // `\{` or `\,`: an escaped character, or a space.
            Latex::Escaped(Some(escaped))
                if escaped.is_ascii_punctuation() && !matches!(escaped, ',' | ';' | '!' | ':') =>
            {
                out.push(escaped)
            }
            Latex::Escaped(_) => {}
            Latex::Char('{' | '}') => {}
            Latex::Char(c) => out.push(c),
        }
    }
    out
}

fn is_style_command(name: &str) -> bool {
    matches!(
        name,
        "em" | "emph"
            | "it"
            | "bf"
            | "sc"
            | "tt"
            | "rm"
            | "sf"
            | "textbf"
            | "textit"
            | "textsc"
            | "texttt"
            | "textrm"
            | "textsf"
            | "textsl"
            | "textup"
            | "textnormal"
            | "mathrm"
            | "mathbf"
            | "mathit"
            | "mathcal"
            | "mathbb"
            | "mathsf"
            | "mathtt"
            | "mathfrak"
            | "boldsymbol"
            | "bm"
            | "operatorname"
            | "text"
            | "mbox"
            | "relax"
            | "noopsort"
    )
}

/// Text with LaTeX font commands (`\emph{x}`, `\textbf{x}`, `{\em x}`) reduced to their
/// argument, other commands to their name, leftover braces dropped, and escaped characters
/// (`\%`, `\_`) unescaped.
fn without_commands(text: &str) -> String {
    let mut out = String::new();
    // A style command's terminating space belongs to the command, not the text.
    let mut after_style_command = false;
    for piece in latex(text) {
        let skip_space = std::mem::take(&mut after_style_command);
        match piece {
            Latex::Command(name) if is_style_command(name) => after_style_command = true,
            // Other commands (`\LaTeX`) keep their name, readable and searchable.
            Latex::Command(name) => out.push_str(name),
            Latex::Escaped(Some('\\')) => out.push(' '),
            Latex::Escaped(Some(escaped)) => out.push(escaped),
            Latex::Escaped(None) => {}
            Latex::Char(' ') if skip_space => {}
            Latex::Char('{' | '}') => {}
            Latex::Char('~') => out.push(' '),
            Latex::Char(c) => out.push(c),
        }
    }
    out
}

/// Cuts `text` into top-level blocks. Text between blocks is a comment, as in BibTeX. An `@` that
/// is not followed by `name{` or `name(` is comment text too (an e-mail address), unless it
/// starts a line, where it was surely meant as an entry.
fn blocks(text: &str) -> Vec<Result<Block, BadBlock>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut position = 0;
    let mut line = 1;
    let mut counted_to = 0;
    while let Some(at) = text[position..].find('@').map(|offset| position + offset) {
        line += bytes[counted_to..at].iter().filter(|&&b| b == b'\n').count();
        counted_to = at;
        let name_end = at + 1 + bytes[at + 1..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
        let open = name_end + bytes[name_end..].iter().take_while(|b| b.is_ascii_whitespace()).count();
        let starts_line = text[..at].rsplit('\n').next().is_some_and(|before| before.trim().is_empty());
        let delimiter = bytes.get(open).copied();
        if name_end == at + 1 || !matches!(delimiter, Some(b'{' | b'(')) {
            if starts_line {
                found.push(Err(BadBlock::NoBrace { line }));
            }
            position = at + 1;
            continue;
        }
        let kind = text[at + 1..name_end].to_ascii_lowercase();
        match closing(bytes, open) {
            Some(close) => {
                found.push(Ok(Block { kind, start: at, end: close + 1, line }));
                position = close + 1;
            }
            None => {
                found.push(Err(BadBlock::Unclosed { line }));
                // Resume at the next line that starts with `@`: most likely the next entry.
                position = text[open..]
                    .match_indices('\n')
                    .map(|(offset, _)| open + offset + 1)
                    .find(|&start| text[start..].trim_start_matches([' ', '\t']).starts_with('@'))
                    .unwrap_or(text.len());
            }
        }
    }
    found
}

/// The index of the delimiter closing the one at `open`, counting braces; `None` when a line
/// that starts an entry (`@type{`) comes first. Stopping there, where [`blocks`] resumes after an
/// unclosed entry, keeps the scan linear: no byte is scanned for two entries.
fn closing(bytes: &[u8], open: usize) -> Option<usize> {
    let parenthesized = bytes[open] == b'(';
    let mut depth = 0usize;
    for (index, &byte) in bytes.iter().enumerate().skip(open + 1) {
        match byte {
            b'\n' if starts_entry(&bytes[index + 1..]) => return None,
            b'{' => depth += 1,
            b'}' if depth == 0 && !parenthesized => return Some(index),
            b'}' => depth = depth.saturating_sub(1),
            b')' if depth == 0 && parenthesized => return Some(index),
            _ => {}
        }
    }
    None
}

/// Whether `line` starts with an entry header: `@`, a name, then `{` or `(` (spaces and tabs
/// allowed around the name). Looks no further than the header.
pub(crate) fn starts_entry(line: &[u8]) -> bool {
    let blank = |b: &&u8| matches!(**b, b' ' | b'\t');
    let indent = line.iter().take_while(blank).count();
    let Some(rest) = line[indent..].strip_prefix(b"@") else { return false };
    let name = rest.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
    let gap = rest[name..].iter().take_while(blank).count();
    name > 0 && matches!(rest.get(name + gap), Some(b'{' | b'('))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_cut_at_top_level_braces() {
        let text = "% a@b.c wrote this\n@string{x = \"y\"}\n@article{k,\n title = {A {B} C}}\n@misc(k2, title = {)})\n";
        let found = blocks(text);
        let kinds: Vec<(&str, usize)> =
            found.iter().map(|block| block.as_ref().map(|b| (b.kind.as_str(), b.line)).unwrap()).collect();
        assert_eq!(kinds, [("string", 2), ("article", 3), ("misc", 5)]);
        let article = found[1].as_ref().unwrap();
        assert!(text[article.start..article.end].ends_with("C}}"));
    }

    #[test]
    fn an_unclosed_entry_costs_only_itself() {
        let text = "@article{a,\n title = {Open\n\n@article{b, title = {Closed}}\n";
        let found = blocks(text);
        assert_eq!(found[0], Err(BadBlock::Unclosed { line: 1 }));
        assert_eq!(found[1].as_ref().map(|block| block.line), Ok(4));
    }

    #[test]
    fn an_unclosed_brace_at_the_top_costs_only_its_entry_however_many_follow() {
        let entries: String = (0..20_000).map(|i| format!("@misc{{k{i}, title = {{Paper {i}}}}}\n")).collect();
        let text = format!("@article{{open, title = {{Never closed\n{entries}");
        let found = blocks(&text);
        assert_eq!(found.len(), 20_001);
        assert_eq!(found[0], Err(BadBlock::Unclosed { line: 1 }));
        assert!(found[1..].iter().all(Result::is_ok));
        // Every entry unclosed: each is scanned to the next header only.
        let text = "@misc{k, title = {x\n".repeat(20_000);
        assert!(blocks(&text).iter().all(|b| matches!(b, Err(BadBlock::Unclosed { .. }))));
    }

    fn records(text: &'static str) -> Vec<Result<(Location, Record), RecordError>> {
        bibtex_records(Source { name: "t.bib".into(), gzipped: false }, Box::new(text.as_bytes())).collect()
    }

    #[test]
    fn macros_accents_and_names_are_resolved() {
        let all = records(concat!(
            "@string{nips = \"Advances in Neural Information Processing Systems\"}\n",
            "@inproceedings{vaswani2017,\n",
            "  title = {Attention Is All You Need for {Schr{\\\"o}dinger} and {BERT}},\n",
            "  author = {Vaswani, Ashish and Noam Shazeer and others},\n",
            "  booktitle = nips # \" 30\",\n",
            "  year = 2017,\n",
            "}\n",
        ));
        let (location, record) = all[0].clone().unwrap();
        assert_eq!(location, Location::Line(2));
        assert_eq!(record.id, "vaswani2017");
        assert_eq!(record.title, "Attention Is All You Need for Schrödinger and BERT");
        assert_eq!(record.authors, ["Ashish Vaswani", "Noam Shazeer"]);
        assert_eq!(record.venue.as_deref(), Some("Advances in Neural Information Processing Systems 30"));
        assert_eq!(record.year, Some(2017));
    }

    #[test]
    fn math_and_font_commands_become_readable() {
        assert_eq!(readable_math("\\alpha"), "α");
        assert_eq!(readable_math("O(n^{2})"), "O(n^2)");
        assert_eq!(readable_math("\\mathcal{L}_{\\text{CE}}"), "L_CE");
        assert_eq!(readable_math("\\ell_1 \\leq k"), "ℓ_1 ≤ k");
        assert_eq!(readable_math("\\unknowncommand x"), "unknowncommand x");
        assert_eq!(without_commands("\\emph{Deep} \\textbf{learning}"), "Deep learning");
        assert_eq!(without_commands("\\em sorting"), "sorting");
        assert_eq!(without_commands("50\\% of {BERT}~models"), "50% of BERT models");
        assert_eq!(without_commands("Typesetting with \\LaTeX"), "Typesetting with LaTeX");
    }

    #[test]
    fn crossref_fills_missing_fields_from_a_later_parent() {
        let all = records(concat!(
            "@inproceedings{child,\n",
            "  title = {A paper},\n",
            "  crossref = {ICML2020},\n",
            "  month = jan,\n",
            "}\n",
            "@inproceedings{orphan, title = {B}, crossref = {missing}}\n",
            "@proceedings{icml2020,\n",
            "  title = {Proceedings of the 37th {ICML}},\n",
            "  year = 2020,\n",
            "  doi = {10.1/parent},\n",
            "}\n",
        ));
        let (_, child) = all[0].clone().unwrap();
        assert_eq!(child.venue.as_deref(), Some("Proceedings of the 37th ICML"));
        assert_eq!((child.year, child.doi), (Some(2020), None));
        let message = all[1].clone().unwrap_err().to_string();
        assert!(message.starts_with("t.bib:6: crossref: no entry has the key `missing`"), "{message}");
        assert_eq!(all[2].clone().unwrap().1.title, "Proceedings of the 37th ICML");
    }

    #[test]
    fn errors_point_at_their_line() {
        let all = records("@article{a,\n  title = {A},\n  year = {soon}\n}\n@article{b,\n  title = {B}\n  year = 2020\n}\n@article{c, title = undefined}\n");
        let messages: Vec<String> = all.iter().map(|item| item.clone().unwrap_err().to_string()).collect();
        assert!(messages[0].starts_with("t.bib:1: year: \"soon\" is not a year"), "{}", messages[0]);
        assert!(messages[1].starts_with("t.bib:7: malformed @article entry"), "{}", messages[1]);
        assert!(messages[2].starts_with("t.bib:9: `undefined` is not a defined @string macro"), "{}", messages[2]);
    }
}
