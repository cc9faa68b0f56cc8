//! The term dictionary and every rule that turns one query word into dictionary terms: the
//! exact term, terms sharing its stem, completions of a word being typed, and terms within the
//! typo budget, each with its weight — all found through the fsts.
//!
//! The dictionary is reached through a [`TermSource`], asked for the [`TermRange`] each lookup
//! covers, so an index whose dictionary is loaded in parts can say which part is missing.

use std::sync::OnceLock;

use fst::{Automaton, IntoStreamer, Map, Streamer};
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};
use rustc_hash::FxHashSet as HashSet;

use crate::format::dictionary::StemEntry;
use crate::format::postings;
use crate::text;

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
    let builders =
        BUILDERS.get_or_init(|| [LevenshteinAutomatonBuilder::new(1, true), LevenshteinAutomatonBuilder::new(2, true)]);
    &builders[usize::from(distance.clamp(1, 2)) - 1]
}

/// Adapts a Levenshtein DFA from the `levenshtein_automata` crate to `fst`'s automaton interface.
///
/// ```
/// use fst::{IntoStreamer, Map, Streamer};
/// use levenshtein_automata::LevenshteinAutomatonBuilder;
/// use papersift_core::termdict::Levenshtein;
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
        match self.stems.get(stem) {
            Some(value) => StemEntry::decode(value).offsets(self.stem_lists),
            None => Vec::new(),
        }
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

/// The part of the dictionary a lookup reads: what a partly loaded index must hold for it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TermRange {
    /// One term of the `terms` fst.
    Term(String),
    /// Every term of the `terms` fst starting with this prefix.
    Prefix(String),
    /// One stem of the `stems` fst and its stem list.
    Stem(String),
    /// The whole `terms` fst: typo matching walks an automaton over all of it.
    All,
}

/// Where the dictionary comes from. A loaded single-file index holds every range; an index
/// loaded in parts answers `None` for a range it does not hold yet.
pub trait TermSource {
    /// The dictionary, if the part covering `range` is present.
    fn dictionary(&self, range: &TermRange) -> Option<Dictionary<'_>>;
}

/// Weights of the ways a dictionary term can match a query word (an exact match weighs 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExpansionWeights {
    /// Another word with the same stem.
    pub stem: f32,
    /// A completion of the word being typed.
    pub prefix: f32,
    /// One typo away; two typos weigh this squared.
    pub typo: f32,
}

/// One query word, expanded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expanded {
    /// Dictionary terms with their weights, exact match first.
    pub members: Vec<(Expansion, f32)>,
    /// Terms to highlight: the exact term, completions and typo matches.
    pub highlight_terms: Vec<String>,
    /// A stem whose words to highlight.
    pub highlight_stem: Option<String>,
}

impl Expanded {
    /// Whether the word itself, or a word with its stem, is in the dictionary.
    pub fn found_exactly(&self) -> bool {
        self.members.iter().any(|(e, _)| matches!(e.kind, MatchKind::Exact | MatchKind::Stem))
    }

    /// Whether some dictionary term completes the word.
    pub fn completes(&self) -> bool {
        self.members.iter().any(|(e, _)| e.kind == MatchKind::Prefix)
    }

    /// The closest typo match, if any (typo matches come closest and most frequent first).
    pub fn nearest_typo(&self) -> Option<&str> {
        self.members.iter().find_map(|(e, _)| match (&e.kind, &e.term) {
            (MatchKind::Fuzzy(_), Some(term)) => Some(term.as_str()),
            _ => None,
        })
    }
}

/// Expands query words through a [`TermSource`], noting the ranges it could not read.
pub struct Expander<'s, S: TermSource + ?Sized> {
    source: &'s S,
    weights: ExpansionWeights,
    /// Ranges the source did not hold, in the order they were asked for.
    pub missing: Vec<TermRange>,
}

impl<'s, S: TermSource + ?Sized> Expander<'s, S> {
    /// An expander over `source` with `weights`.
    pub fn new(source: &'s S, weights: ExpansionWeights) -> Self {
        Expander { source, weights, missing: Vec::new() }
    }

    fn lookup(&mut self, range: TermRange) -> Option<Dictionary<'s>> {
        let found = self.source.dictionary(&range);
        if found.is_none() && !self.missing.contains(&range) {
            self.missing.push(range);
        }
        found
    }

    /// Expands one word. `open` lets it match as a prefix (the word is still being typed);
    /// `fuzzy` allows typos.
    pub fn expand(&mut self, term: &str, open: bool, fuzzy: bool) -> Expanded {
        let w = self.weights;
        let mut out = Expanded::default();
        let mut seen = HashSet::default();
        if let Some(offset) = self.lookup(TermRange::Term(term.to_string())).and_then(|d| d.exact(term)) {
            seen.insert(offset);
            out.members.push((Expansion { term: Some(term.to_string()), offset, kind: MatchKind::Exact }, 1.0));
            out.highlight_terms.push(term.to_string());
        }
        let stem = text::stem(term);
        let stem_members =
            self.lookup(TermRange::Stem(stem.to_string())).map(|d| d.stem_members(&stem)).unwrap_or_default();
        for offset in stem_members {
            if seen.insert(offset) {
                out.members.push((Expansion { term: None, offset, kind: MatchKind::Stem }, w.stem));
            }
        }
        if stem != term {
            out.highlight_stem = Some(stem.into_owned());
        } else if out.members.len() > 1 {
            out.highlight_stem = Some(term.to_string());
        }
        if open {
            let completions =
                self.lookup(TermRange::Prefix(term.to_string())).map(|d| d.completions(term)).unwrap_or_default();
            for (completion, offset) in completions {
                if seen.insert(offset) {
                    out.highlight_terms.push(completion.clone());
                    out.members.push((Expansion { term: Some(completion), offset, kind: MatchKind::Prefix }, w.prefix));
                }
            }
        }
        // A word still being typed gets one character less of typo budget: its end is unknown,
        // and fuzzy completions of short stubs match half the dictionary.
        // A word that is itself in the dictionary is most likely spelled as meant: it gets one
        // typo less, which keeps distance-2 automata (the costliest expansion) for words that
        // need them.
        let chars = term.chars().count();
        let known = out.members.first().is_some_and(|(e, _)| e.kind == MatchKind::Exact);
        let budget = if !fuzzy {
            0
        } else {
            let budget = if open { typo_budget(chars.saturating_sub(1)) } else { typo_budget(chars) };
            budget.saturating_sub(u8::from(known))
        };
        if budget > 0 {
            let candidates = self.lookup(TermRange::All).map(|d| d.fuzzy(term, budget, open)).unwrap_or_default();
            for (candidate, offset, distance) in candidates {
                if seen.insert(offset) {
                    out.highlight_terms.push(candidate.clone());
                    let weight = w.typo.powi(i32::from(distance));
                    out.members
                        .push((Expansion { term: Some(candidate), offset, kind: MatchKind::Fuzzy(distance) }, weight));
                }
            }
        }
        out
    }

    /// The best single correction for a word with no exact or stem match: the closest, most
    /// frequent term within its typo budget (at least one typo).
    pub fn correction(&mut self, term: &str) -> Option<String> {
        let budget = typo_budget(term.chars().count()).max(1);
        self.lookup(TermRange::All)?.fuzzy(term, budget, false).into_iter().next().map(|(candidate, _, _)| candidate)
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
        let dict = Dictionary::new(
            Map::new(terms.as_slice()).unwrap(),
            Map::new(empty.as_fst().as_bytes()).unwrap(),
            &[],
            &postings,
        );
        let found: Vec<String> = dict.fuzzy("mergng", 1, false).into_iter().map(|(t, _, _)| t).collect();
        assert_eq!(found, vec!["merging"]);
        let swapped: Vec<(String, u8)> = dict.fuzzy("mdoel", 1, false).into_iter().map(|(t, _, d)| (t, d)).collect();
        assert_eq!(swapped, vec![("model".to_string(), 1)]);
    }

    #[test]
    fn completions_prefer_frequent_terms() {
        let (terms, postings) = dictionary_of(&["merge", "merging", "mercury", "model"]);
        let empty = fst::Map::default();
        let dict = Dictionary::new(
            Map::new(terms.as_slice()).unwrap(),
            Map::new(empty.as_fst().as_bytes()).unwrap(),
            &[],
            &postings,
        );
        let found: Vec<String> = dict.completions("mer").into_iter().map(|(t, _)| t).collect();
        // Later words in sorted order were given more documents.
        assert_eq!(found, vec!["merging", "merge", "mercury"]);
        assert!(dict.completions("zz").is_empty());
    }
}
