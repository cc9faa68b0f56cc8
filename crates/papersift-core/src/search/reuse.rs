//! What one search leaves for the next on the same index: each word's expansion through the
//! dictionary and each word's scored documents. A search reads what the search before it kept
//! and keeps only what it used itself, so typing a query letter by letter re-reads only the word
//! being typed, while a query run again after other queries computes everything again.
//!
//! Apart from that, it keeps where tokens may start in the stored texts of recent hits
//! ([`WordStarts`]), up to [`MAX_KEPT_TEXT_BYTES`]: they depend on the paper alone, not on the
//! query, and finding them was most of what highlighting a hit cost.

use std::collections::VecDeque;
use std::rc::Rc;

use rustc_hash::FxHashMap;

use super::groups::Group;
use crate::schema::Field;
use crate::snippet::WordStarts;
use crate::termdict::Expanded;

/// The most heap bytes of [`WordStarts`] a [`Reuse`] keeps (18 bytes a word in the wasm, 26
/// natively, up to twice that with the vectors' spare capacity: 600 to 1,200 abstracts of 200
/// words); past it, the papers kept longest are dropped first.
pub const MAX_KEPT_TEXT_BYTES: usize = 4 << 20;

/// A group of dictionary terms as scoring sees it: which postings lists, with which weights, in
/// which field. Two groups with one key sum to the same documents and frequencies.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GroupKey {
    field: Option<Field>,
    members: Vec<(u64, u32)>,
}

impl GroupKey {
    pub(crate) fn of(group: &Group) -> GroupKey {
        GroupKey { field: group.field, members: group.members.iter().map(|(e, w)| (e.offset, w.to_bits())).collect() }
    }
}

/// The (word, still being typed, typos allowed) an expansion answers.
type WordKey = (String, bool, bool);

/// A group's documents with their summed, weighted frequencies, sorted by document.
pub(crate) type Summed = Rc<[(u32, f32)]>;

#[derive(Debug, Default)]
pub(super) struct Kept {
    expansions: Vec<(WordKey, Expanded)>,
    pub(super) scored: Vec<(GroupKey, Summed)>,
}

/// What the last search on an index computed that the next may reuse; see
/// [`super::execute_reusing`]. Only complete answers are kept: a word whose dictionary range or
/// postings were missing is looked up again.
#[derive(Debug, Default)]
pub struct Reuse {
    pub(super) previous: Kept,
    pub(super) current: Kept,
    texts: KeptTexts,
}

/// The word starts of a paper's title and abstract.
pub(crate) type TextStarts = Rc<(WordStarts, WordStarts)>;

/// [`TextStarts`] by paper, the oldest first out past [`MAX_KEPT_TEXT_BYTES`].
#[derive(Debug, Default)]
struct KeptTexts {
    by_doc: FxHashMap<u32, TextStarts>,
    order: VecDeque<u32>,
    bytes: usize,
}

impl Reuse {
    /// A search begins: what the last one kept becomes what this one may reuse.
    pub(crate) fn start(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }

    pub(crate) fn expansion(&self, word: &str, open: bool, fuzzy: bool) -> Option<Expanded> {
        let same = |((w, o, f), _): &&(WordKey, Expanded)| w == word && *o == open && *f == fuzzy;
        let kept = self.current.expansions.iter().find(same).or_else(|| self.previous.expansions.iter().find(same));
        kept.map(|(_, expanded)| expanded.clone())
    }

    pub(crate) fn keep_expansion(&mut self, word: &str, open: bool, fuzzy: bool, expanded: &Expanded) {
        if self.current.expansions.iter().all(|((w, o, f), _)| !(w == word && *o == open && *f == fuzzy)) {
            self.current.expansions.push(((word.to_string(), open, fuzzy), expanded.clone()));
        }
    }

    pub(crate) fn scored(&self, key: &GroupKey) -> Option<Summed> {
        let same = |(k, _): &&(GroupKey, Summed)| k == key;
        let kept = self.current.scored.iter().find(same).or_else(|| self.previous.scored.iter().find(same));
        kept.map(|(_, summed)| Rc::clone(summed))
    }

    pub(crate) fn keep_scored(&mut self, key: GroupKey, summed: Summed) {
        if self.current.scored.iter().all(|(k, _)| *k != key) {
            self.current.scored.push((key, summed));
        }
    }

    /// The word starts of paper `doc`'s title and abstract, found once and kept.
    pub(crate) fn text_starts(&mut self, doc: u32, title: &str, abstract_text: &str) -> TextStarts {
        let texts = &mut self.texts;
        if let Some(kept) = texts.by_doc.get(&doc) {
            return Rc::clone(kept);
        }
        let starts = Rc::new((WordStarts::of(title), WordStarts::of(abstract_text)));
        texts.bytes += starts.0.heap_bytes() + starts.1.heap_bytes();
        texts.by_doc.insert(doc, Rc::clone(&starts));
        texts.order.push_back(doc);
        while texts.bytes > MAX_KEPT_TEXT_BYTES {
            let Some(oldest) = texts.order.pop_front() else { break };
            if let Some(dropped) = texts.by_doc.remove(&oldest) {
                texts.bytes -= dropped.0.heap_bytes() + dropped.1.heap_bytes();
            }
        }
        starts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_word_starts_stay_under_their_bound_and_the_oldest_go_first() {
        let mut reuse = Reuse::default();
        let abstract_text = "merging models ".repeat(2_000);
        let per_paper = WordStarts::of(&abstract_text).heap_bytes();
        let papers = (MAX_KEPT_TEXT_BYTES / per_paper + 10) as u32;
        for doc in 0..papers {
            let starts = reuse.text_starts(doc, "A title", &abstract_text);
            assert_eq!(starts.1, WordStarts::of(&abstract_text));
            assert!(reuse.texts.bytes <= MAX_KEPT_TEXT_BYTES, "{} bytes kept", reuse.texts.bytes);
        }
        assert!(!reuse.texts.by_doc.contains_key(&0), "the first paper was dropped");
        assert!(reuse.texts.by_doc.contains_key(&(papers - 1)), "the last paper is kept");
        assert_eq!(reuse.texts.by_doc.len(), reuse.texts.order.len());
    }
}
