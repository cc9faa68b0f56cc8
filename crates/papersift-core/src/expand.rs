//! Expanding one query word into dictionary terms: the exact term, terms sharing its stem,
//! completions of a word being typed, and terms within a few typos — all found through the fsts.

use std::sync::OnceLock;

use fst::{Automaton, IntoStreamer, Map, Streamer};
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};

use crate::format::Cursor;
use crate::postings;

/// How a dictionary term relates to the query word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    /// The word itself.
    Exact,
    /// Another word with the same English stem (`merged` for `merging`).
    Stem,
    /// A completion of the word being typed.
    Prefix,
    /// A word within `n` typos (insertions, deletions, substitutions, transpositions).
    Fuzzy(u8),
}

/// One dictionary term a query word expands to.
#[derive(Debug, Clone, PartialEq)]
pub struct Expansion {
    /// The term, when known (stem-group members are known only by their postings).
    pub term: Option<String>,
    /// Offset of the term's postings list.
    pub offset: u64,
    /// How it matched.
    pub kind: MatchKind,
}

/// The typo budget for a word of `chars` characters: 0 up to 3, 1 for 4–7, 2 from 8.
pub fn typo_budget(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Most completions considered for a word being typed (the most frequent win).
const MAX_PREFIX_TERMS: usize = 24;
/// Most dictionary terms scanned for completions, so one-letter prefixes stay cheap.
const MAX_PREFIX_SCAN: usize = 20_000;
/// Most typo matches considered for one word.
const MAX_FUZZY_TERMS: usize = 12;

/// Levenshtein automaton builders (with transpositions as one edit), built once: building
/// the parametric tables for distance 2 is the expensive step, building a word's DFA is cheap.
fn automaton_builder(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static BUILDERS: OnceLock<[LevenshteinAutomatonBuilder; 2]> = OnceLock::new();
    let builders = BUILDERS.get_or_init(|| {
        [LevenshteinAutomatonBuilder::new(1, true), LevenshteinAutomatonBuilder::new(2, true)]
    });
    &builders[usize::from(distance.clamp(1, 2)) - 1]
}

/// Adapts a Levenshtein DFA from the `levenshtein_automata` crate to `fst`'s automaton interface.
///
/// ```
/// use fst::{IntoStreamer, Map, Streamer};
/// use levenshtein_automata::LevenshteinAutomatonBuilder;
/// use papersift_core::expand::Levenshtein;
/// let map = Map::from_iter([("merge", 0u64), ("merging", 1)]).unwrap();
/// let dfa = LevenshteinAutomatonBuilder::new(1, true).build_dfa("mergng");
/// let mut found = map.search(Levenshtein(&dfa)).into_stream();
/// assert_eq!(found.next(), Some((&b"merging"[..], 1)));
/// ```
pub struct Levenshtein<'a>(pub &'a DFA);

impl Automaton for Levenshtein<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// The dictionary side of a loaded index.
#[derive(Clone)]
pub struct Dictionary<'a> {
    terms: Map<&'a [u8]>,
    stems: Map<&'a [u8]>,
    stem_lists: &'a [u8],
    postings: &'a [u8],
}

impl<'a> Dictionary<'a> {
    /// Wraps the dictionary sections.
    pub fn new(terms: Map<&'a [u8]>, stems: Map<&'a [u8]>, stem_lists: &'a [u8], postings: &'a [u8]) -> Self {
        Dictionary { terms, stems, stem_lists, postings }
    }

    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether the dictionary is empty.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The postings section.
    pub fn postings(&self) -> &'a [u8] {
        self.postings
    }

    /// Document frequency of the list at `offset`.
    pub fn doc_freq(&self, offset: u64) -> u32 {
        postings::doc_freq(self.postings, offset).unwrap_or(0)
    }

    /// The postings offset of `term`, if it is in the dictionary.
    pub fn exact(&self, term: &str) -> Option<u64> {
        self.terms.get(term)
    }

    /// Postings offsets of the terms whose stem is `stem`.
    pub fn stem_members(&self, stem: &str) -> Vec<u64> {
        let Some(value) = self.stems.get(stem) else {
            return Vec::new();
        };
        if value & 1 == 1 {
            return vec![value >> 1];
        }
        let mut cursor = Cursor::at(self.stem_lists, usize::try_from(value >> 1).unwrap_or(usize::MAX));
        let count = cursor.varint().unwrap_or(0);
        let mut out = Vec::with_capacity(count.min(256) as usize);
        let mut offset = 0u64;
        for _ in 0..count {
            let Some(delta) = cursor.varint() else { break };
            offset = offset.saturating_add(delta);
            out.push(offset);
        }
        out
    }

    /// The most frequent terms that start with `prefix` (other than `prefix` itself).
    pub fn completions(&self, prefix: &str) -> Vec<(String, u64)> {
        let automaton = fst::automaton::Str::new(prefix).starts_with();
        let mut stream = self.terms.search(automaton).into_stream();
        let mut found: Vec<(u32, String, u64)> = Vec::new();
        let mut scanned = 0;
        while let Some((key, offset)) = stream.next() {
            scanned += 1;
            if scanned > MAX_PREFIX_SCAN {
                break;
            }
            if key.len() == prefix.len() {
                continue;
            }
            let df = self.doc_freq(offset);
            if found.len() == MAX_PREFIX_TERMS {
                // Keep the most frequent: replace the least frequent when this one beats it.
                let (weakest, _) = found.iter().enumerate().min_by_key(|(_, (df, _, _))| *df).expect("non-empty");
                if found[weakest].0 >= df {
                    continue;
                }
                found.swap_remove(weakest);
            }
            found.push((df, String::from_utf8_lossy(key).into_owned(), offset));
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        found.into_iter().map(|(_, term, offset)| (term, offset)).collect()
    }

    /// Terms within `distance` typos of `word` (or of a prefix of them when `prefix`), closest and
    /// most frequent first, without `word` itself.
    pub fn fuzzy(&self, word: &str, distance: u8, prefix: bool) -> Vec<(String, u64, u8)> {
        if distance == 0 {
            return Vec::new();
        }
        let builder = automaton_builder(distance);
        let dfa = if prefix { builder.build_prefix_dfa(word) } else { builder.build_dfa(word) };
        let mut stream = self.terms.search_with_state(Levenshtein(&dfa)).into_stream();
        let mut found: Vec<(u8, u32, String, u64)> = Vec::new();
        let mut scanned = 0;
        while let Some((key, offset, state)) = stream.next() {
            scanned += 1;
            if scanned > MAX_PREFIX_SCAN {
                break;
            }
            let Distance::Exact(d) = dfa.distance(state) else { continue };
            if d == 0 && key == word.as_bytes() {
                continue;
            }
            // A prefix automaton reports completions of `word` itself at distance 0; those are
            // the prefix matcher's business.
            if d == 0 {
                continue;
            }
            found.push((d, self.doc_freq(offset), String::from_utf8_lossy(key).into_owned(), offset));
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then_with(|| a.2.cmp(&b.2)));
        found.truncate(MAX_FUZZY_TERMS);
        found.into_iter().map(|(d, _, term, offset)| (term, offset, d)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dictionary_of(words: &[&str]) -> (Vec<u8>, Vec<u8>) {
        let mut sorted: Vec<&str> = words.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut postings = Vec::new();
        let mut map = fst::MapBuilder::memory();
        for (i, word) in sorted.iter().enumerate() {
            let mut list = postings::ListWriter::default();
            for doc in 0..=i as u32 {
                list.push(doc, &[1, 0, 0, 0]);
            }
            map.insert(word, postings.len() as u64).unwrap();
            list.write_to(&mut postings);
        }
        (map.into_inner().unwrap(), postings)
    }

    #[test]
    fn typo_budget_grows_with_length() {
        assert_eq!([3, 4, 7, 8, 20].map(typo_budget), [0, 1, 1, 2, 2]);
    }

    #[test]
    fn fuzzy_finds_one_typo_and_transpositions() {
        let (terms, postings) = dictionary_of(&["merging", "merge", "emerging", "mergers", "model"]);
        let empty = fst::Map::default();
        let dict = Dictionary::new(Map::new(terms.as_slice()).unwrap(), Map::new(empty.as_fst().as_bytes()).unwrap(), &[], &postings);
        let found: Vec<String> = dict.fuzzy("mergng", 1, false).into_iter().map(|(t, _, _)| t).collect();
        assert_eq!(found, vec!["merging"]);
        let swapped: Vec<(String, u8)> = dict.fuzzy("mdoel", 1, false).into_iter().map(|(t, _, d)| (t, d)).collect();
        assert_eq!(swapped, vec![("model".to_string(), 1)]);
    }

    #[test]
    fn completions_prefer_frequent_terms() {
        let (terms, postings) = dictionary_of(&["merge", "merging", "mercury", "model"]);
        let empty = fst::Map::default();
        let dict = Dictionary::new(Map::new(terms.as_slice()).unwrap(), Map::new(empty.as_fst().as_bytes()).unwrap(), &[], &postings);
        let found: Vec<String> = dict.completions("mer").into_iter().map(|(t, _)| t).collect();
        // Later words in sorted order were given more documents.
        assert_eq!(found, vec!["merging", "merge", "mercury"]);
        assert!(dict.completions("zz").is_empty());
    }
}
