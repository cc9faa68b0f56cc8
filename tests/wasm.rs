//! The wasm-bindgen API, tested inside a real wasm runtime: Node, or headless Chrome with
//! `WASM_BINDGEN_USE_BROWSER=1`. Run by scripts/test.sh:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --target wasm32-unknown-unknown --test wasm`
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect};
use papersift::Papersift;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn error_message(error: JsError) -> String {
    let value: JsValue = error.into();
    get(&value, "message").as_string().unwrap()
}

fn span(value: &JsValue) -> (u32, u32) {
    let pair = Array::from(value);
    (pair.get(0).as_f64().unwrap() as u32, pair.get(1).as_f64().unwrap() as u32)
}

/// UTF-16 slicing, as JS does it.
fn slice_utf16(text: &str, (start, end): (u32, u32)) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start as usize..end as usize]).unwrap()
}

#[wasm_bindgen_test]
fn the_embedded_corpus_finds_model_merging_best_first_with_highlights() {
    let ps = Papersift::embedded().unwrap();
    let hits = Array::from(&ps.search("model merging", options(r#"{"limit": 5}"#)).unwrap());
    assert!(hits.length() > 0 && hits.length() <= 5);
    let scores: Vec<f64> = hits.iter().map(|hit| get(&hit, "score").as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "not best first: {scores:?}");
    let first = hits.get(0);
    for key in ["id", "score", "title", "authors", "year", "venue", "url", "snippet", "highlights"] {
        assert!(Reflect::has(&first, &JsValue::from_str(key)).unwrap(), "hit lacks {key}");
    }
    let title = get(&first, "title").as_string().unwrap();
    let marked: Vec<String> =
        Array::from(&get(&first, "highlights")).iter().map(|s| slice_utf16(&title, span(&s))).collect();
    assert!(marked.iter().any(|m| m.eq_ignore_ascii_case("merging")), "title highlights {marked:?} in {title:?}");
    let snippet = get(&first, "snippet");
    let text = get(&snippet, "text").as_string().unwrap();
    let snippet_marks = Array::from(&get(&snippet, "highlights"));
    assert!(snippet_marks.length() > 0);
    for s in snippet_marks.iter() {
        let (start, end) = span(&s);
        assert!(start < end && end as usize <= text.encode_utf16().count());
    }
}

#[wasm_bindgen_test]
fn a_typo_still_finds_the_papers() {
    let ps = Papersift::embedded().unwrap();
    let hits = Array::from(&ps.search("mergng", JsValue::UNDEFINED).unwrap());
    assert!(hits.iter().any(|hit| get(&hit, "title").as_string().unwrap().to_lowercase().contains("merging")));
}

#[wasm_bindgen_test]
fn results_carry_the_total_and_a_suggestion_shape() {
    let ps = Papersift::embedded().unwrap();
    let results = ps.results("model merging", options(r#"{"limit": 1, "facets": true}"#)).unwrap();
    assert!(get(&results, "total").as_f64().unwrap() >= 1.0);
    assert_eq!(Array::from(&get(&results, "hits")).length(), 1);
    let facets = get(&results, "facets");
    for key in ["years", "venues", "authors"] {
        assert!(Array::is_array(&get(&facets, key)), "facets.{key} is not an array");
    }
    let nothing = ps.results("qqqzzzxxx", JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&nothing, "total").as_f64(), Some(0.0));
    assert!(get(&nothing, "facets").is_null());
}

#[wasm_bindgen_test]
fn an_index_loads_from_bytes_and_bad_bytes_are_a_papersift_error() {
    let stats = Papersift::embedded().unwrap().stats();
    assert!(get(&stats, "docs").as_f64().unwrap() > 0.0);
    let message = error_message(Papersift::from_bytes(&[1, 2, 3]).err().unwrap());
    assert!(message.starts_with("papersift: "), "{message}");
}

#[wasm_bindgen_test]
fn unknown_or_mistyped_options_are_named_in_the_error() {
    let ps = Papersift::embedded().unwrap();
    let message = error_message(ps.search("model", options(r#"{"yearmin": 2020}"#)).err().unwrap());
    assert!(message.starts_with("papersift: ") && message.contains("yearmin"), "{message}");
    let message = error_message(ps.search("model", options(r#"{"limit": "ten"}"#)).err().unwrap());
    assert!(
        message.starts_with("papersift: ") && message.contains("limit") && message.contains("\"ten\""),
        "{message}"
    );
    let message = error_message(ps.search("model", options(r#"{"limit": 1.5}"#)).err().unwrap());
    assert!(message.contains("limit") && message.contains("1.5"), "{message}");
    let message = error_message(ps.search("model", options(r#"{"yearMin": 70000}"#)).err().unwrap());
    assert!(message.contains("yearMin") && message.contains("70000"), "{message}");
    let message = error_message(ps.search("model", options(r#"{"venues": ["ACL", 3]}"#)).err().unwrap());
    assert!(message.contains("venues") && message.contains("the number 3"), "{message}");
    let hits = Array::from(
        &ps.search("model", options(r#"{"limit": 2, "venues": [], "fuzzy": false, "yearMin": null}"#)).unwrap(),
    );
    assert_eq!(hits.length(), 2);
    let message = error_message(ps.search("model", JsValue::from(3)).err().unwrap());
    assert!(message.contains("must be an object"), "{message}");
}

#[wasm_bindgen_test]
fn any_query_string_is_safe() {
    let ps = Papersift::embedded().unwrap();
    for query in ["", " ", "\"", "-", "year:", "year:abc", "author:", "𝔼𝔼 é\u{0}", "((((", "a\"b\"-c title:\""] {
        ps.search(query, JsValue::UNDEFINED).unwrap();
        let _ = ps.suggest(query);
        ps.facets(query, JsValue::UNDEFINED).unwrap();
    }
}

#[wasm_bindgen_test]
fn a_hit_is_cited_as_bibtex_and_an_unknown_id_is_an_error() {
    let ps = Papersift::embedded().unwrap();
    let first = Array::from(&ps.search("model merging", options(r#"{"limit": 1}"#)).unwrap()).get(0);
    let id = get(&first, "id").as_string().unwrap();
    let entry = ps.citation(&id).unwrap();
    assert!(entry.starts_with("@misc{") || entry.starts_with("@article{"), "{entry}");
    assert!(entry.contains("  title = {"), "{entry}");
    assert!(entry.trim_end().ends_with('}'), "{entry}");
    let message = error_message(ps.citation("no such paper").unwrap_err());
    assert!(message.starts_with("papersift: no paper has the id \"no such paper\""), "{message}");
}

/// A corpus of 240 papers built twice, as one file and as a root with tiny pieces (many of each
/// kind). Titles and abstracts recombine a few topics, so queries match across pieces.
fn sharded_and_single() -> (papersift_core::builder::BuiltIndex, Papersift) {
    use papersift_core::builder::{IndexBuilder, PieceSizes};
    const TOPICS: [&str; 6] =
        ["model merging", "diffusion video", "graph neural networks", "retrieval", "speech", "robot planning"];
    const VENUES: [&str; 3] = ["NeurIPS", "ICLR", "ACL"];
    let mut builder = IndexBuilder::new();
    for i in 0..240usize {
        let (a, b) = (TOPICS[i % 6], TOPICS[(i / 6) % 6]);
        builder
            .add(&papersift_core::Record {
                id: format!("p{i}"),
                title: format!("{a} meets {b}, study {i}"),
                abstract_text: format!("We study {a} with {b}. Variant {i} of the method improves {a}."),
                authors: vec![format!("Author {}", i % 17)],
                year: Some(2015 + (i % 10) as u16),
                venue: Some(VENUES[i % 3].to_string()),
                ..Default::default()
            })
            .unwrap();
    }
    let built = builder.finish_pieces(&PieceSizes::tiny()).unwrap();
    let single = Papersift::from_bytes(&built.single_file().unwrap()).unwrap();
    (built, single)
}

fn titles(results: &JsValue) -> Vec<String> {
    Array::from(&get(results, "hits")).iter().map(|hit| get(&hit, "title").as_string().unwrap()).collect()
}

#[wasm_bindgen_test]
fn a_sharded_root_answers_once_the_pieces_it_names_are_added_and_ranks_like_one_file() {
    let (built, single) = sharded_and_single();
    let pieces: std::collections::HashMap<String, Vec<u8>> =
        built.named_pieces().collect::<std::io::Result<_>>().unwrap();
    let mut ps = Papersift::from_bytes(&built.root_file()).unwrap();
    let mut core = papersift_core::Index::from_bytes(built.root_file()).unwrap();
    assert!(ps.sharded() && !single.sharded());
    assert_eq!(ps.build_id().len(), 16);
    for query in ["model merging", "modle mergng", "diffusio", "\"graph neural\" -speech"] {
        let opts = || options(r#"{"limit": 10, "facets": true}"#);
        let mut rounds = 0;
        loop {
            let needed = ps.needs(query, opts()).unwrap();
            if needed.is_empty() {
                break;
            }
            rounds += 1;
            assert!(rounds < 10, "{query}: still needs {needed:?}");
            // The binding names exactly what the core's own `needs` names.
            let core_options = papersift_core::SearchOptions { limit: 10, facets: true, ..Default::default() };
            assert_eq!(needed, core.needs(query, &core_options), "{query}, round {rounds}");
            for name in needed {
                ps.add_piece(&name, pieces[&name].clone()).unwrap();
                core.add_piece(&name, pieces[&name].clone()).unwrap();
            }
        }
        assert_eq!(titles(&ps.results(query, opts()).unwrap()), titles(&single.results(query, opts()).unwrap()));
        // `needs` keeps its answer for the next call with the same query and options only.
        assert!(ps.needs(query, options(r#"{"limit": 1}"#)).unwrap().is_empty());
        assert_eq!(titles(&ps.results(query, opts()).unwrap()), titles(&single.results(query, opts()).unwrap()));
    }
    let counts = get(&ps.stats(), "pieces");
    let (loaded, total) = (get(&counts, "loaded").as_f64().unwrap(), get(&counts, "total").as_f64().unwrap());
    assert!(loaded > 0.0 && loaded < total, "{loaded} of {total} pieces loaded");
    assert!(get(&single.stats(), "pieces").is_null());
}

#[wasm_bindgen_test]
fn sync_calls_on_a_sharded_root_and_bad_pieces_are_papersift_errors_naming_the_piece() {
    let (built, _) = sharded_and_single();
    let mut ps = Papersift::from_bytes(&built.root_file()).unwrap();
    let message = error_message(ps.results("model merging", JsValue::UNDEFINED).err().unwrap());
    assert!(message.starts_with("papersift: this index is sharded; use resultsAsync"), "{message}");
    let name = ps.needs("model merging", JsValue::UNDEFINED).unwrap().remove(0);
    let (_, bytes) = built.named_pieces().map(Result::unwrap).find(|(n, _)| *n == name).unwrap();
    let mut corrupt = bytes.to_vec();
    *corrupt.last_mut().unwrap() ^= 0xff;
    assert_eq!(
        error_message(ps.add_piece(&name, corrupt).err().unwrap()),
        format!("papersift: {name} failed its checksum")
    );
    assert_eq!(
        error_message(ps.add_piece(&name, bytes[..bytes.len() / 2].to_vec()).err().unwrap()),
        format!("papersift: {name} is truncated")
    );
    assert_eq!(
        error_message(ps.add_piece("terms/99/9999", bytes.to_vec()).err().unwrap()),
        "papersift: no piece is named terms/99/9999"
    );
    ps.add_piece(&name, bytes.to_vec()).unwrap();
    assert!(!ps.needs("model merging", JsValue::UNDEFINED).unwrap().contains(&name));
}

/// Queries past every limit of the engine: a megabyte, 10,000 words or quotes, 1,000-letter
/// words, combining marks, right-to-left text, emoji with joiners, control chars and NUL.
fn hostile_queries() -> Vec<String> {
    let words: Vec<String> = (0..10_000).map(|i| format!("w{i}")).collect();
    vec![
        "model merging ".repeat(1 << 16),
        words.join(" "),
        "\"".repeat(10_000),
        words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" "),
        ('a'..='z').cycle().take(5_000).map(|c| format!("{c}* ")).collect(),
        format!("{} {}", "abcdefghij".repeat(100), "transformer".repeat(91)),
        format!("e{}", "\u{301}".repeat(50_000)),
        "نموذج دمج النماذج ".repeat(5_000),
        "👩\u{200d}👩\u{200d}👧 🏳️\u{200d}🌈 ".repeat(5_000),
        "\u{d7ff}\u{e000}\u{fffd}\u{10000}\u{10ffff} ".repeat(5_000),
        "\0\u{1}\u{7f}\u{85}\u{2028}\u{feff}model\0merging".repeat(5_000),
    ]
}

#[wasm_bindgen_test]
fn hostile_queries_answer_and_say_where_the_search_stopped_in_utf16_units() {
    let ps = Papersift::embedded().unwrap();
    for query in hostile_queries() {
        let results = ps.results(&query, options(r#"{"limit": 5, "facets": true}"#)).unwrap();
        assert!(Array::from(&get(&results, "hits")).length() <= 5);
        assert_eq!(get(&results, "unverified").as_f64(), Some(0.0));
        let ignored = get(&results, "ignoredFrom");
        if let Some(from) = ignored.as_f64() {
            assert!(from as usize <= query.encode_utf16().count(), "ignoredFrom {from} is inside the query");
        }
        ps.search(&query, JsValue::UNDEFINED).unwrap();
        ps.facets(&query, JsValue::UNDEFINED).unwrap();
        let _ = ps.suggest(&query).unwrap();
        assert!(ps.needs(&query, JsValue::UNDEFINED).unwrap().is_empty(), "a single file needs no piece");
    }
    // Astral chars are two UTF-16 units and four bytes: the offset is in units.
    let astral = "𝔼𝔼 ".repeat(40);
    let results = ps.results(&astral, JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&results, "ignoredFrom").as_f64(), Some(32.0 * 5.0), "32 words of 5 units each");
    let plain = ps.results("model merging", JsValue::UNDEFINED).unwrap();
    assert!(get(&plain, "ignoredFrom").is_null());
}

#[wasm_bindgen_test]
fn hostile_queries_on_a_sharded_root_name_a_bounded_set_of_pieces() {
    let (built, _) = sharded_and_single();
    let pieces: std::collections::HashMap<String, Vec<u8>> =
        built.named_pieces().collect::<std::io::Result<_>>().unwrap();
    let mut ps = Papersift::from_bytes(&built.root_file()).unwrap();
    for query in hostile_queries() {
        for _round in 0..64 {
            let needed = ps.needs(&query, JsValue::UNDEFINED).unwrap();
            if needed.is_empty() {
                break;
            }
            for name in needed {
                ps.add_piece(&name, pieces[&name].clone()).unwrap();
            }
        }
        assert!(ps.needs(&query, JsValue::UNDEFINED).unwrap().is_empty(), "loaded within 64 rounds");
        ps.results(&query, JsValue::UNDEFINED).unwrap();
    }
}
