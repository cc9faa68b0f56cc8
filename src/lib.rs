//! papersift for the browser and Node: wasm-bindgen bindings over `papersift-core`.
//!
//! One opaque handle, [`Papersift`], crosses into JS. Each call returns small plain objects
//! (built key by key here, and a page of hits packed into one string and one array of numbers
//! that `js/hits.js` unpacks): no call per hit, no chatty boundary. Every decision about
//! text and ranking is made by the core; this module only converts shapes and offsets, because
//! the core counts highlight offsets in UTF-8 bytes and JS strings count UTF-16 code units.
//!
//! A sharded index (a root, with its pieces in files of their own) answers once the pieces a
//! query needs are loaded: [`Papersift::needs`] names them, JS loads them (js/pieces.js: fetch
//! over http, piece scripts from `file://`) and hands each to [`Papersift::add_piece`]. The sync
//! methods refuse a query whose pieces are not all loaded; `resultsAsync` (JS) loops until they are.
//!
//! The default corpus is compiled into the module by `build.rs` (feature `embedded-index`).
//! The engine-only build (`--no-default-features`) carries no index: `papersift build` appends
//! one to the script and the JS loader hands it to [`Papersift::from_bytes`].
//!
//! ```js
//! const ps = await Papersift.embedded();
//! const hits = ps.search('model merging', { limit: 10 });
//! // hits[0].title.slice(...hits[0].highlights[0]) is a matched word of the title
//! ```
#![warn(missing_docs)]

mod cite;
mod options;

use std::borrow::Cow;
use std::cell::RefCell;

use js_sys::Array;
use papersift_core::search::{self, OptionOverrides, OptionSpec, Outcome, Reuse};
use papersift_core::{Facets, Hit, Index, SearchOptions, SearchResults, Span};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The index `build.rs` compiled from `data/daily_papers.txt` (or `PAPERSIFT_RECORDS`).
#[cfg(feature = "embedded-index")]
const EMBEDDED_INDEX: Option<&[u8]> = Some(include_bytes!(concat!(env!("OUT_DIR"), "/papersift.idx")));
#[cfg(not(feature = "embedded-index"))]
const EMBEDDED_INDEX: Option<&[u8]> = None;

/// Installs the panic hook in debug builds, so a Rust panic shows its message in the console.
/// Release builds leave it out to keep the module small.
#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
}

/// A loaded index: the one handle JS holds.
#[wasm_bindgen]
pub struct Papersift {
    index: Index<Cow<'static, [u8]>>,
    /// The answer [`Papersift::needs`] computed when it found nothing missing, for the call that
    /// follows it with the same query and options (what `resultsAsync` does): a warm query of a
    /// sharded index then runs once, not twice.
    answered: RefCell<Option<(String, SearchOptions, SearchResults)>>,
    /// What the last query computed that the next keystroke's may reuse (word expansions, each
    /// word's scored papers).
    reuse: RefCell<Reuse>,
}

#[wasm_bindgen]
impl Papersift {
    /// The index built into this module, read in place without copying.
    ///
    /// Fails when the module is the engine-only build; the JS loader then uses the index
    /// appended to the script instead.
    pub fn embedded() -> Result<Papersift, JsError> {
        let bytes = EMBEDDED_INDEX.ok_or_else(|| {
            JsError::new("papersift: this engine build has no embedded index; load one with Papersift.fromBytes(bytes)")
        })?;
        Papersift::load(Cow::Borrowed(bytes))
    }

    /// Loads an index written by `papersift build` (its `papersift.idx`). The bytes are copied
    /// into the module's memory once.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<Papersift, JsError> {
        Papersift::load(Cow::Owned(bytes.to_vec()))
    }

    /// The best hits for `query`, best first: `[{ id, score, title, authors, year, venue, url,
    /// snippet: { text, highlights }, highlights }]`. Spans are `[start, end)` in UTF-16 code
    /// units, ready for `String.prototype.slice`.
    pub fn search(&self, query: &str, options: JsValue) -> Result<JsValue, JsError> {
        let options = JsSearchOptions::from_js(options)?.into_core(false);
        let results = self.answer(query, &options)?;
        Ok(js_hits(&results))
    }

    /// Everything one search yields, for a results page in one call:
    /// `{ total, hits, facets: { years, venues, authors } | null, suggestion: string | null,
    /// ignoredFrom: number | null, unverified }`. Facets are counted when `options.facets` is
    /// true. `ignoredFrom` is where, in UTF-16 code units, the query stopped being searched (past
    /// the engine's word or length limit); `unverified` counts candidates left out past the
    /// phrase-check limit.
    pub fn results(&self, query: &str, options: JsValue) -> Result<JsValue, JsError> {
        let options = JsSearchOptions::from_js(options)?;
        let wants_facets = options.wants_facets();
        let results = self.answer(query, &options.into_core(wants_facets))?;
        let shape = Plain::new();
        shape.set("total", results.total.into());
        shape.set("hits", js_hits(&results));
        shape.set(
            "facets",
            results.facets.as_ref().map_or(JsValue::NULL, |facets| {
                let counts = Plain::new();
                set_facet_counts(&counts, facets);
                counts.into()
            }),
        );
        shape.set("suggestion", or_null(results.suggestion.as_deref()));
        shape.set("ignoredFrom", or_null(results.ignored_from.map(|byte| utf16_offset(query, byte))));
        shape.set("unverified", results.unverified.into());
        Ok(shape.into())
    }

    /// Facet counts over every paper matching `query` and the filters in `options`:
    /// `{ total, years: [[year, papers], ...], venues: [[venue, papers], ...], authors: [[author,
    /// papers], ...] }` (the most frequent authors; none when `options.authorFacets` is false).
    pub fn facets(&self, query: &str, options: JsValue) -> Result<JsValue, JsError> {
        let mut options = JsSearchOptions::from_js(options)?.into_core(true);
        options.limit = 0;
        options.highlight = false;
        let results = self.answer(query, &options)?;
        let shape = Plain::new();
        shape.set("total", results.total.into());
        set_facet_counts(&shape, &results.facets.unwrap_or_default());
        Ok(shape.into())
    }

    /// "Did you mean": a corrected query when some word of `query` matches nothing exactly.
    pub fn suggest(&self, query: &str) -> Result<Option<String>, JsError> {
        let options = SearchOptions { limit: 0, highlight: false, ..SearchOptions::default() };
        Ok(self.answer(query, &options)?.suggestion)
    }

    /// Sizes and counts: `{ version, docs, terms, bytes, sections: [[name, bytes], ...],
    /// pieces: { total, loaded, rootBytes } | null }` (`pieces` is null for a single-file index).
    pub fn stats(&self) -> JsValue {
        let stats = self.index.stats();
        let shape = Plain::new();
        shape.set("version", stats.version.into());
        shape.set("docs", stats.docs.into());
        shape.set("terms", stats.terms.into());
        shape.set("bytes", stats.bytes.into());
        shape.set("sections", js_pairs(stats.sections.iter().map(|&(name, _, bytes)| (name, bytes))));
        let pieces = self.index.is_sharded().then(|| {
            let pieces = Plain::new();
            pieces.set("total", stats.pieces.into());
            pieces.set("loaded", stats.loaded.into());
            pieces.set("rootBytes", stats.root_bytes.into());
            pieces
        });
        shape.set("pieces", or_null(pieces));
        shape.into()
    }

    /// Whether this is the root of a sharded index, whose pieces are loaded as queries need them.
    pub fn sharded(&self) -> bool {
        self.index.is_sharded()
    }

    /// The build id that every piece of this index carries, as 16 hex digits (what the piece
    /// scripts of a `file://` site name).
    #[wasm_bindgen(js_name = buildId)]
    pub fn build_id(&self) -> String {
        self.index.build_id()
    }

    /// The names of the pieces `query` needs next that are not loaded: none when the index can
    /// answer it now. Load them, [`Papersift::add_piece`] each, and ask again.
    pub fn needs(&self, query: &str, options: JsValue) -> Result<Vec<String>, JsError> {
        let options = JsSearchOptions::from_js(options)?;
        let wants_facets = options.wants_facets();
        let options = options.into_core(wants_facets);
        match search::execute_reusing(&search::plan(query, &options), &self.index, &mut self.reuse.borrow_mut()) {
            Outcome::Done(results) => {
                self.answered.replace(Some((query.to_owned(), options, results)));
                Ok(Vec::new())
            }
            Outcome::Missing(missing) => Ok(self.index.missing_piece_names(&missing)),
        }
    }

    /// Hands the index a piece's bytes, checked against the root (length, build id, checksum,
    /// contents). Errors name the piece: `papersift: terms/0042 failed its checksum`.
    #[wasm_bindgen(js_name = addPiece)]
    pub fn add_piece(&mut self, name: &str, bytes: Vec<u8>) -> Result<(), JsError> {
        self.index.add_piece(name, bytes).map_err(|err| JsError::new(&format!("papersift: {err}")))
    }
}

impl Papersift {
    /// Runs a query; for a sharded index whose pieces for it are not all loaded, an error that
    /// says to use the async methods (a sync answer would silently miss papers).
    fn answer(&self, query: &str, options: &SearchOptions) -> Result<SearchResults, JsError> {
        if let Some((asked, asked_options, results)) = self.answered.take() {
            if asked == query && asked_options == *options {
                return Ok(results);
            }
        }
        match search::execute_reusing(&search::plan(query, options), &self.index, &mut self.reuse.borrow_mut()) {
            Outcome::Done(results) => Ok(results),
            Outcome::Missing(_) => Err(JsError::new(&format!(
                "papersift: this index is sharded; use resultsAsync (the query needs {} not loaded yet)",
                self.index.needs(query, options).join(", ")
            ))),
        }
    }

    fn load(bytes: Cow<'static, [u8]>) -> Result<Papersift, JsError> {
        Index::from_bytes(bytes)
            .map(|index| Papersift { index, answered: RefCell::new(None), reuse: RefCell::default() })
            .map_err(|err| JsError::new(&format!("papersift: cannot load the index: {err}")))
    }
}

/// The options object of `search`, `results` and `facets`: the core's declared options, by
/// their JS names. Unknown keys are an error that names them, so a typo such as `yearmin` does
/// not silently filter nothing.
struct JsSearchOptions(OptionOverrides);

impl JsSearchOptions {
    fn from_js(value: JsValue) -> Result<Self, JsError> {
        if value.is_undefined() || value.is_null() {
            return Ok(JsSearchOptions(OptionOverrides::default()));
        }
        let object = value.dyn_ref::<js_sys::Object>().filter(|_| value.is_object()).ok_or_else(|| {
            JsError::new(&format!("papersift: search options must be an object, got {}", describe(&value)))
        })?;
        // Checked here rather than left to serde, so the message lists every option.
        for key in js_sys::Object::keys(object).iter() {
            let key = key.as_string().unwrap_or_default();
            if OptionSpec::named(&key).is_none() {
                return Err(JsError::new(&format!(
                    "papersift: unknown search option `{key}`; the options are {}",
                    OptionSpec::names()
                )));
            }
        }
        options::overrides(value)
            .map(JsSearchOptions)
            .map_err(|err| JsError::new(&format!("papersift: bad search options: {err}")))
    }

    /// Whether the caller asked for facets.
    fn wants_facets(&self) -> bool {
        self.0.facets.unwrap_or(false)
    }

    /// The core's options; `facets` is decided by the method called, not the object.
    fn into_core(self, facets: bool) -> SearchOptions {
        SearchOptions { facets, ..self.0.apply(SearchOptions::default()) }
    }
}

/// The hits of `results`, best first, as JS sees them: `[{ id, score, title, authors, year,
/// venue, url, snippet: { text, highlights }, highlights }]`, every key present (`null` when the
/// record has no value); spans are `[start, end]` pairs in UTF-16 code units. Packed into one
/// string and one array of numbers that `js/hits.js` unpacks: building each object here, key by
/// key, took a call across the boundary per field and was a sixth of a query in Node.
fn js_hits(results: &SearchResults) -> JsValue {
    let mut packed = PackedHits::default();
    for hit in &results.hits {
        packed.hit(hit);
    }
    decode_hits(&packed.text, &packed.numbers)
}

#[wasm_bindgen(module = "/js/hits.js")]
extern "C" {
    #[wasm_bindgen(js_name = decodeHits)]
    fn decode_hits(text: &str, numbers: &[f64]) -> JsValue;
}

/// Hits in the layout `js/hits.js` reads: strings end to end in `text`, and in `numbers` each
/// hit's score and year, each string's length in UTF-16 code units (-1 for none) and each list of
/// highlights as a count and `[start, end]` pairs.
#[derive(Default)]
struct PackedHits {
    text: String,
    numbers: Vec<f64>,
}

impl PackedHits {
    fn hit(&mut self, hit: &Hit) {
        self.numbers.push(hit.score.into());
        self.numbers.push(hit.year.map_or(-1.0, f64::from));
        self.string(Some(&hit.id));
        self.string(Some(&hit.title));
        self.numbers.push(hit.authors.len() as f64);
        for author in &hit.authors {
            self.string(Some(author));
        }
        self.string(hit.venue.as_deref());
        self.string(hit.url.as_deref());
        self.string(Some(&hit.snippet.text));
        self.spans(&hit.snippet.text, &hit.snippet.highlights);
        self.spans(&hit.title, &hit.highlights);
    }

    fn string(&mut self, value: Option<&str>) {
        let Some(value) = value else {
            self.numbers.push(-1.0);
            return;
        };
        let length = if value.is_ascii() { value.len() as u32 } else { utf16_offset(value, value.len()) };
        self.numbers.push(length.into());
        self.text.push_str(value);
    }

    fn spans(&mut self, text: &str, spans: &[Span]) {
        self.numbers.push(spans.len() as f64);
        for [start, end] in utf16_pairs(text, spans) {
            self.numbers.extend([f64::from(start), f64::from(end)]);
        }
    }
}

/// Pairs as `[[value, count], ...]`, in the order given.
fn js_pairs<V: Into<JsValue>, N: Into<JsValue>>(pairs: impl Iterator<Item = (V, N)>) -> JsValue {
    pairs.map(|(value, count)| Array::of2(&value.into(), &count.into())).collect::<Array>().into()
}

/// `years`, `venues` and `authors` of `facets` set on `shape`.
fn set_facet_counts(shape: &Plain, facets: &Facets) {
    shape.set("years", js_pairs(facets.years.iter().copied()));
    shape.set("venues", js_pairs(facets.venues.iter().map(|(venue, n)| (venue.as_str(), *n))));
    shape.set("authors", js_pairs(facets.authors.iter().map(|(author, n)| (author.as_str(), *n))));
}

/// `value`, or `null` (not `undefined`, so that every object has every key).
fn or_null<T: Into<JsValue>>(value: Option<T>) -> JsValue {
    value.map_or(JsValue::NULL, Into::into)
}

#[wasm_bindgen]
extern "C" {
    /// A plain JS object, built key by key: the result shapes are made here rather than by a
    /// serializer, which cost the engine 4.7 KB of gzip (docs/BENCHMARKS.md).
    #[wasm_bindgen(js_name = Object)]
    type Plain;

    #[wasm_bindgen(constructor, js_class = Object)]
    fn new() -> Plain;

    #[wasm_bindgen(method, structural, indexing_setter)]
    fn set(this: &Plain, key: &str, value: JsValue);
}

/// A short description of a JS value for error messages: `a number`, `the string "x"`.
fn describe(value: &JsValue) -> String {
    match value.as_string() {
        Some(text) => format!("the string {text:?}"),
        None => format!("a {}", value.js_typeof().as_string().unwrap_or_default()),
    }
}

/// Converts byte-offset spans into `[start, end]` UTF-16 code-unit offsets into the same text.
/// A span boundary that is not on a character boundary is moved to the start of its character,
/// and one past the end is clamped, so a bad span can never make JS slice outside the string.
fn utf16_pairs<'a>(text: &'a str, spans: &'a [Span]) -> impl Iterator<Item = [u32; 2]> + 'a {
    // Most titles and abstracts are ASCII, where a byte is a code unit: no need to walk characters.
    let ascii = text.is_ascii();
    let offset = move |byte: usize| if ascii { byte.min(text.len()) as u32 } else { utf16_offset(text, byte) };
    spans.iter().map(move |span| [offset(span.start), offset(span.end)])
}

fn utf16_offset(text: &str, byte: usize) -> u32 {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    text[..byte].chars().map(char::len_utf16).sum::<usize>() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    #[test]
    fn ascii_offsets_are_unchanged() {
        assert_eq!(utf16_pairs("model merging", &[span(0, 5), span(6, 13)]).collect::<Vec<_>>(), vec![[0, 5], [6, 13]]);
    }

    #[test]
    fn multibyte_characters_count_once_and_astral_ones_twice() {
        // "é" is 2 bytes and 1 unit; "𝔼" is 4 bytes and 2 units.
        let text = "é 𝔼 word";
        let word = text.find("word").unwrap();
        assert_eq!(utf16_pairs(text, &[span(word, word + 4)]).collect::<Vec<_>>(), vec![[5, 9]]);
        assert_eq!(utf16_pairs(text, &[span(0, 2)]).collect::<Vec<_>>(), vec![[0, 1]]);
    }

    /// `js/papersift.d.ts` declares `SearchOptions` by hand; it must list exactly the options the
    /// core declares, with the same types, in the same order.
    #[test]
    fn the_typescript_search_options_match_the_core_declaration() {
        let dts = include_str!("../js/papersift.d.ts");
        let start = dts.find("export interface SearchOptions {").expect("js/papersift.d.ts declares SearchOptions");
        let body = &dts[start..];
        let body =
            &body[body.find('{').unwrap() + 1..body.find("\n}").expect("the interface ends with a closing brace")];
        let declared: Vec<(String, String)> = body
            .lines()
            .map(str::trim)
            .filter(|line| {
                !line.is_empty() && !line.starts_with("/**") && !line.starts_with('*') && !line.starts_with("//")
            })
            .map(|line| {
                let (name, ty) = line.split_once("?:").unwrap_or_else(|| panic!("an optional property: {line}"));
                (name.trim().to_string(), ty.trim().trim_end_matches(';').trim().to_string())
            })
            .collect();
        let core: Vec<(String, String)> =
            papersift_core::search::OPTIONS.iter().map(|o| (o.name.to_string(), o.ts_type.to_string())).collect();
        assert_eq!(declared, core, "js/papersift.d.ts SearchOptions differs from papersift_core::search::OPTIONS");
    }

    #[test]
    fn spans_inside_a_character_or_past_the_end_are_clamped() {
        assert_eq!(utf16_pairs("é", &[span(1, 99)]).collect::<Vec<_>>(), vec![[0, 1]]);
    }
}
