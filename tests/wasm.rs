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
    let stats = Papersift::embedded().unwrap().stats().unwrap();
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
    assert!(message.starts_with("papersift: "), "{message}");
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
