//! "Copy citation": the stored record of a paper as a BibTeX entry, written by the core.

use papersift_core::cite;
use wasm_bindgen::prelude::*;

use crate::Papersift;

#[wasm_bindgen]
impl Papersift {
    /// The BibTeX entry of the paper whose id is `id` (a hit's `id`), with the fields the index
    /// stores: `@article` when it has a venue, `@misc` otherwise, and a key such as
    /// `vaswani2017attention`. An id that no paper has is an error naming it.
    pub fn citation(&self, id: &str) -> Result<String, JsError> {
        self.index
            .record_by_id(id)
            .map(|record| cite::bibtex(&record))
            .ok_or_else(|| JsError::new(&format!("papersift: no paper has the id {id:?}; pass the `id` of a hit")))
    }
}
