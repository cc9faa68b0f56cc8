//! The papersift index builder for the browser: wasm-bindgen bindings over the core's
//! [`build_index`].
//!
//! Kept apart from the search engine (the root crate) so that the engine carries none of the
//! record parsers: a page pays for the builder only when a visitor opens a file of their own.
//! The JS wrapper (`PapersiftBuilder.build`) turns this module's one function into a promise.
//!
//! ```js
//! const { index, report } = await PapersiftBuilder.build(bytes, "refs.bib", { skipInvalid: true });
//! const ps = await Papersift.fromBytes(index);
//! ```
#![warn(missing_docs)]

use js_sys::{Array, Object, Reflect, Uint8Array};
use papersift_core::builder::{build_index, BuildError, BuildOptions, Source};
use papersift_core::BuildReport;
use wasm_bindgen::prelude::*;

/// Indexes the records in `bytes`, read as the file `file_name` (its extension and content pick
/// the format; gzip is detected). Returns `{ index: Uint8Array, report: { read, indexed,
/// skipped, errors } }`, where `errors` holds one `file:line: field: reason` message per
/// skipped record, the first 100 of them, then a line per file and field counting the rest.
///
/// With `skip_invalid` false, any bad record is an error whose message lists them all and no
/// index is made; with it true, bad records are left out and listed in the report.
#[wasm_bindgen]
pub fn build(bytes: &[u8], file_name: &str, skip_invalid: bool) -> Result<JsValue, JsError> {
    let options = BuildOptions { skip_invalid, ..BuildOptions::default() };
    match build_index(vec![Source::from_bytes(file_name, bytes)], &options) {
        Ok((index, report)) => {
            let result = Object::new();
            set(&result, "index", &Uint8Array::from(index.as_slice()));
            set(&result, "report", &report_object(&report));
            Ok(result.into())
        }
        Err(error) => Err(JsError::new(&strict_failure(&error))),
    }
}

/// The message of a strict build that met bad records: the count, how to go on, and each
/// record's `file:line: field: reason`, in the terms of the JS API rather than the CLI's flags.
fn strict_failure(error: &BuildError) -> String {
    let (errors, report) = match error {
        BuildError::Records { errors, report } => (errors, report),
        BuildError::Scratch(error) => return format!("papersift: the build failed: {error}"),
    };
    let mut message = format!(
        "papersift: {} of {} records are invalid, so no index was made; fix them, or build with {{ skipInvalid: true }} to index the rest:",
        errors.len(),
        report.read
    );
    for line in errors.lines() {
        message.push_str("\n  ");
        message.push_str(&line);
    }
    message
}

fn report_object(report: &BuildReport) -> Object {
    let errors: Array = report.skipped.lines().map(JsValue::from).collect();
    let object = Object::new();
    set(&object, "read", &JsValue::from(report.read as u32));
    set(&object, "indexed", &JsValue::from(report.indexed as u32));
    set(&object, "skipped", &JsValue::from(report.skipped.len() as u32));
    set(&object, "errors", &errors);
    object
}

fn set(object: &Object, key: &str, value: &JsValue) {
    // Setting a property on a plain object just made here cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strict_failure_counts_and_lists_every_bad_record_in_js_terms() {
        let bib = b"@article{a, title={A}, year={soon}}\n@article{b, title={B}}\n@article{c, year={2020}}\n";
        let error = build_index(vec![Source::from_bytes("refs.bib", bib)], &BuildOptions::default()).unwrap_err();
        let message = strict_failure(&error);
        let lines: Vec<&str> = message.lines().collect();
        assert!(lines[0].starts_with("papersift: 2 of 3 records are invalid"), "{message}");
        assert!(lines[0].contains("{ skipInvalid: true }"), "{message}");
        assert!(lines[1].starts_with("  refs.bib:1: year: "), "{message}");
        assert!(lines[2].starts_with("  refs.bib:3: "), "{message}");
        assert_eq!(lines.len(), 3);
    }
}
