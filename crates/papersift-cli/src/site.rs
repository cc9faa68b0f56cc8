//! The static search page written next to an index by `papersift build`: `index.html` and
//! `papersift.js`, which open by double-click (`file://`) or from any static host, and
//! `papersift-builder.js`, which the page loads only when a visitor opens a file of their own.
//!
//! A sharded index adds the folder `papersift/` beside the script: each piece twice, as
//! `<name>.bin` (its bytes, fetched over http) and as `<name>.js` (the same bytes in a classic
//! script, the only thing a `file://` page can load), and `papersift.js` carries the root.
//!
//! The engine is not recompiled per corpus. `papersift.js` is the prebuilt engine-only script
//! (`dist/papersift-engine.js`, made by `npm run build`) with the index spliced in as base64 at
//! its one index marker; the script's loader hands those bytes to `Papersift.fromBytes`.
//! docs/WIDGET.md explains the choice. A builder without Rust (the core compiled to wasm for
//! Node) would do the same splice in JS.

use std::io;
use std::path::{Path, PathBuf};

/// The engine script's file name, in `dist/` and beside an installed `papersift` binary.
pub const ENGINE_FILE: &str = "papersift-engine.js";

/// The in-browser index builder's script, found beside the engine script and copied as it is.
pub const BUILDER_FILE: &str = "papersift-builder.js";

/// Where the engine script carries its index: the `null` at its end becomes the index, as a
/// base64 string literal. scripts/bundle.mjs reads the same file and writes the marker exactly
/// once into each classic script.
pub const INDEX_MARKER: &str = include_str!("../../../js/index-marker.txt");

/// Set to the engine script's path to override where `papersift build` looks for it.
pub const ENGINE_ENV: &str = "PAPERSIFT_ENGINE";

/// The page template, shared with the demo page scripts/bundle.mjs writes into `www/`.
const PAGE_TEMPLATE: &str = include_str!("../../../www/template.html");

/// What `papersift build` puts in the template's `{{slot}}`s.
const PAGE_SLOTS: [(&str, &str); 3] = [
    ("title", "Search papers"),
    ("heading", "Search papers"),
    ("intro", "Instant, offline, typo-tolerant search over these papers."),
];

/// The search page: the template with its slots filled.
fn page() -> String {
    PAGE_SLOTS
        .iter()
        .fold(PAGE_TEMPLATE.to_owned(), |page, (slot, text)| page.replace(&format!("{{{{{slot}}}}}"), text))
}

/// Writes the search page for `index` into `dir` and returns the paths written.
///
/// When the engine script cannot be found (see [`find_engine`]) it writes no page, says on
/// stderr how to get one, and returns no paths: the index itself is still useful to
/// `papersift query` and `eval`, which must work in a checkout where the wasm was never built.
pub fn write_site(dir: &Path, index: &[u8]) -> io::Result<Vec<PathBuf>> {
    let engine_path = match find_engine() {
        Ok(path) => path,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            eprintln!("papersift: warning: no search page written: {err}");
            return Ok(Vec::new());
        }
        Err(err) => return Err(err),
    };
    let engine = std::fs::read_to_string(&engine_path).map_err(|err| {
        io::Error::new(err.kind(), format!("cannot read the engine script {}: {err}", engine_path.display()))
    })?;
    let script = splice_index(&engine, index).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} is not a papersift engine script (it lacks the marker {INDEX_MARKER} exactly once); rebuild it with `npm run build`",
                engine_path.display()
            ),
        )
    })?;
    std::fs::create_dir_all(dir)?;
    let page_path = dir.join("index.html");
    let script_path = dir.join("papersift.js");
    std::fs::write(&page_path, page())?;
    std::fs::write(&script_path, script)?;
    let mut written = vec![page_path, script_path];
    written.extend(copy_builder(&engine_path, dir)?);
    Ok(written)
}

/// Copies the builder script from beside `engine_path` into `dir`. Without it the page still
/// searches; only "Open your own file" fails, so a missing builder is a warning.
fn copy_builder(engine_path: &Path, dir: &Path) -> io::Result<Option<PathBuf>> {
    let source = engine_path.with_file_name(BUILDER_FILE);
    if !source.is_file() {
        eprintln!(
            "papersift: warning: {} is missing, so the page cannot open a visitor's own file; \
             build it with `npm run build` and keep it beside {}",
            source.display(),
            engine_path.display()
        );
        return Ok(None);
    }
    let target = dir.join(BUILDER_FILE);
    std::fs::copy(&source, &target).map_err(|err| {
        io::Error::new(err.kind(), format!("cannot copy {} to {}: {err}", source.display(), target.display()))
    })?;
    Ok(Some(target))
}

/// The classic script that carries a piece for `file://` pages:
/// `(globalThis.papersiftPiece)("<build id>", "<name>", "<base64>");`. The page's loader
/// defines `papersiftPiece` and keys what arrives by build id and name, so two indexes on one
/// page never take each other's pieces.
pub fn piece_script(build_id: &str, name: &str, bytes: &[u8]) -> String {
    let encoded = base64(bytes);
    let mut script = String::with_capacity(encoded.len() + build_id.len() + name.len() + 48);
    script.push_str("(globalThis.papersiftPiece)(");
    push_js_string(&mut script, build_id);
    script.push_str(", ");
    push_js_string(&mut script, name);
    script.push_str(", \"");
    script.push_str(&encoded);
    script.push_str("\");\n");
    script
}

/// Appends `text` as a double-quoted JS string literal.
fn push_js_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' || c == '<' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The engine script to splice indexes into. Looks, in order, at `$PAPERSIFT_ENGINE`, beside
/// the running binary, in `dist/` of the checkout the binary was built from (and of any
/// checkout the binary sits in, such as `target/release/`).
pub fn find_engine() -> io::Result<PathBuf> {
    if let Some(path) = std::env::var_os(ENGINE_ENV) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{ENGINE_ENV}={} is not a file; point it at a {ENGINE_FILE} built by `npm run build`",
                    path.display()
                ),
            ))
        };
    }
    let candidates = engine_candidates();
    candidates.iter().find(|path| path.is_file()).cloned().ok_or_else(|| {
        let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "the search page needs the engine script {ENGINE_FILE}, which was not found (looked at {}). \
                 Build it with `npm run build` (or scripts/build.sh) in the papersift checkout, \
                 copy it next to the papersift binary, or set {ENGINE_ENV}=/path/to/{ENGINE_FILE}",
                looked.join(", ")
            ),
        )
    })
}

fn engine_candidates() -> Vec<PathBuf> {
    let mut candidates = Vec::new();
    if let Ok(exe) = std::env::current_exe() {
        if let Some(dir) = exe.parent() {
            candidates.push(dir.join(ENGINE_FILE));
        }
        // A binary inside a checkout, e.g. target/release/papersift.
        candidates.extend(exe.ancestors().skip(2).take(3).map(|dir| dir.join("dist").join(ENGINE_FILE)));
    }
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist").join(ENGINE_FILE);
    candidates.push(built_from);
    candidates.dedup();
    candidates
}

/// Puts `index` into the engine script at its marker. `None` when the marker is not there
/// exactly once.
pub fn splice_index(engine: &str, index: &[u8]) -> Option<String> {
    let mut parts = engine.split(INDEX_MARKER);
    let (before, after) = (parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let encoded = base64(index);
    let mut script = String::with_capacity(engine.len() + encoded.len() + 32);
    script.push_str(before);
    // The comment stays, so the script still says where its index is.
    script.push_str(INDEX_MARKER.strip_suffix("null").unwrap_or(INDEX_MARKER));
    script.push('"');
    script.push_str(&encoded);
    script.push('"');
    script.push_str(after);
    Some(script)
}

/// Standard base64 with padding (what `atob` and `Buffer.from(_, "base64")` read).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        let sextets = [n >> 18, n >> 12, n >> 6, n];
        for (i, sextet) in sextets.iter().enumerate() {
            if i <= chunk.len() {
                out.push(ALPHABET[(sextet & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn the_index_goes_where_the_marker_was() {
        let engine = format!("a({INDEX_MARKER});b");
        let comment = INDEX_MARKER.strip_suffix("null").unwrap();
        assert_eq!(splice_index(&engine, b"foo").unwrap(), format!("a({comment}\"Zm9v\");b"));
    }

    #[test]
    fn the_marker_file_is_one_line_ending_in_null() {
        assert_eq!(INDEX_MARKER, INDEX_MARKER.trim(), "js/index-marker.txt must not end in a newline");
        assert!(INDEX_MARKER.starts_with("/*") && INDEX_MARKER.ends_with("*/null"), "{INDEX_MARKER}");
    }

    #[test]
    fn the_page_fills_every_slot_of_the_template() {
        for (slot, _) in PAGE_SLOTS {
            assert!(PAGE_TEMPLATE.contains(&format!("{{{{{slot}}}}}")), "www/template.html lost {{{{{slot}}}}}");
        }
        let page = page();
        assert!(!page.contains("{{"), "an unfilled slot is left: {page}");
        assert!(
            page.contains("<title>Search papers</title>") && page.contains(r#"<script src="papersift.js"></script>"#)
        );
        assert!(page.contains("<papersift-search"));
    }

    #[test]
    fn a_piece_script_hands_its_bytes_to_the_page_by_build_and_name() {
        assert_eq!(
            piece_script("b1d", "terms/0042", b"foo"),
            "(globalThis.papersiftPiece)(\"b1d\", \"terms/0042\", \"Zm9v\");\n"
        );
        assert_eq!(piece_script("a\"<", "x", b""), "(globalThis.papersiftPiece)(\"a\\\"\\u003c\", \"x\", \"\");\n");
    }

    #[test]
    fn a_script_without_exactly_one_marker_is_refused() {
        assert_eq!(splice_index("no marker", b"x"), None);
        assert_eq!(splice_index(&format!("{INDEX_MARKER}{INDEX_MARKER}"), b"x"), None);
    }
}
