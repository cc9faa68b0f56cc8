//! What one search leaves for the next on the same index: each word's expansion through the
//! dictionary and each word's scored documents. A search reads what the search before it kept
//! and keeps only what it used itself, so typing a query letter by letter re-reads only the word
//! being typed, while a query run again after other queries computes everything again.

use std::rc::Rc;

use super::groups::Group;
use crate::schema::Field;
use crate::termdict::Expanded;

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
}
