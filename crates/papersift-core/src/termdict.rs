//! The term dictionary and every rule that turns one query word into dictionary terms: the
//! exact term, terms sharing its stem, completions of a word being typed, and terms within the
//! typo budget, each with its weight — all found through the fsts.
//!
//! The dictionary is reached through a [`TermSource`], asked for the [`TermRange`] each lookup
//! covers, so an index whose dictionary is loaded in parts can say which part is missing.

use std::sync::{Arc, Mutex, OnceLock};

use fst::{Automaton, IntoStreamer, Streamer};
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};
use rustc_hash::FxHashSet as HashSet;

use crate::format::dictionary::{Chunk, StemEntry, TermValue};
use crate::format::root::ChunkBounds;
use crate::sort;
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
pub const MAX_PREFIX_TERMS: usize = 24;
/// Most dictionary terms scanned for completions (and typo matches), so one-letter prefixes
/// stay cheap.
pub const MAX_PREFIX_SCAN: usize = 20_000;
/// Most typo matches considered for one word.
pub const MAX_FUZZY_TERMS: usize = 12;
/// Most terms sharing a word's stem considered for it (the first in the stem list).
pub const MAX_STEM_TERMS: usize = 32;

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

/// The dictionary, or the chunks of it a lookup needs, in key order.
#[derive(Clone, Default)]
pub struct Dictionary<'a> {
    chunks: Vec<Chunk<'a>>,
}

impl<'a> Dictionary<'a> {
    /// Wraps dictionary chunks, which must come in key order.
    pub fn new(chunks: Vec<Chunk<'a>>) -> Self {
        Dictionary { chunks }
    }

    /// Number of distinct terms in the chunks held.
    pub fn len(&self) -> usize {
        self.chunks.iter().map(|c| c.terms.len()).sum()
    }

    /// Whether the chunks held have no term.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The postings offset and document frequency of `term`, if it is in the dictionary.
    pub fn lookup(&self, term: &str) -> Option<TermValue> {
        self.chunks.iter().find_map(|c| c.terms.get(term)).map(TermValue::decode)
    }

    /// The postings offset of `term`, if it is in the dictionary.
    pub fn exact(&self, term: &str) -> Option<u64> {
        self.lookup(term).map(|v| v.offset)
    }

    /// Postings offsets of the terms whose stem is `stem`.
    pub fn stem_members(&self, stem: &str) -> Vec<u64> {
        self.chunks
            .iter()
            .find_map(|c| c.stems.get(stem).map(|value| StemEntry::decode(value).offsets(c.stem_lists)))
            .unwrap_or_default()
    }

    /// The most frequent terms that start with `prefix` (other than `prefix` itself).
    pub fn completions(&self, prefix: &str) -> Vec<(String, u64)> {
        let mut found: Vec<(u32, String, u64)> = Vec::new();
        let mut scanned = 0;
        // Chunks are in key order, so walking them one after another is one walk of the whole
        // dictionary, and the scan limit falls on the same term.
        'chunks: for chunk in &self.chunks {
            let automaton = fst::automaton::Str::new(prefix).starts_with();
            let mut stream = chunk.terms.search(automaton).into_stream();
            while let Some((key, value)) = stream.next() {
                scanned += 1;
                if scanned > MAX_PREFIX_SCAN {
                    break 'chunks;
                }
                if key.len() == prefix.len() {
                    continue;
                }
                let TermValue { offset, doc_freq: df } = TermValue::decode(value);
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
        }
        sort::sort_by(&mut found, |a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        found.into_iter().map(|(_, term, offset)| (term, offset)).collect()
    }

    /// Terms within `distance` typos of `word` (or of a prefix of them when `prefix`), closest and
    /// most frequent first, without `word` itself.
    pub fn fuzzy(&self, word: &str, distance: u8, prefix: bool) -> Vec<(String, u64, u8)> {
        if distance == 0 {
            return Vec::new();
        }
        let dfa = typo_automaton(word, distance, prefix);
        let mut found: Vec<(u8, u32, String, u64)> = Vec::new();
        let mut scanned = 0;
        for chunk in &self.chunks {
            let go_on = walk_matches(chunk.terms.as_fst(), &dfa, |key, value, d| {
                scanned += 1;
                if scanned > MAX_PREFIX_SCAN {
                    return false;
                }
                // A prefix automaton reports completions of `word` itself at distance 0; those
                // are the prefix matcher's business, and `word` itself is the exact match's.
                if d > 0 {
                    let TermValue { offset, doc_freq } = TermValue::decode(value);
                    found.push((d, doc_freq, String::from_utf8_lossy(key).into_owned(), offset));
                }
                true
            });
            if !go_on {
                break;
            }
        }
        sort::top_by(&mut found, MAX_FUZZY_TERMS, |a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then_with(|| a.2.cmp(&b.2)));
        found.into_iter().map(|(d, _, term, offset)| (term, offset, d)).collect()
    }
}

/// Calls `on_match` with each key of `fst` the Levenshtein `dfa` accepts, in key order, with its
/// value and distance, until it returns `false` (then this does too). The same keys as
/// `fst::Map::search_with_state`, walked without a stream: that stream's bookkeeping was about as
/// costly as the walk itself, and typo lookups are the costliest part of many queries.
fn walk_matches(fst: &fst::raw::Fst<&[u8]>, dfa: &DFA, mut on_match: impl FnMut(&[u8], u64, u8) -> bool) -> bool {
    struct Frame<'f> {
        node: fst::raw::Node<'f>,
        next: usize,
        state: u32,
        out: fst::raw::Output,
    }
    let start = dfa.initial_state();
    if start == SINK_STATE {
        return true;
    }
    let root = fst.root();
    if root.is_final() {
        if let Distance::Exact(d) = dfa.distance(start) {
            if !on_match(&[], root.final_output().value(), d) {
                return false;
            }
        }
    }
    let mut key: Vec<u8> = Vec::new();
    let mut stack = vec![Frame { node: root, next: 0, state: start, out: fst::raw::Output::zero() }];
    while let Some(top) = stack.last_mut() {
        if top.next == top.node.len() {
            stack.pop();
            key.pop();
            continue;
        }
        let transition = top.node.transition(top.next);
        top.next += 1;
        let state = dfa.transition(top.state, transition.inp);
        if state == SINK_STATE {
            continue;
        }
        let out = top.out.cat(transition.out);
        let node = fst.node(transition.addr);
        key.push(transition.inp);
        if node.is_final() {
            if let Distance::Exact(d) = dfa.distance(state) {
                if !on_match(&key, out.cat(node.final_output()).value(), d) {
                    return false;
                }
            }
        }
        stack.push(Frame { node, next: 0, state, out });
    }
    true
}

/// How many typo automata [`typo_automaton`] keeps: enough for the words of a query and those of
/// the keystroke before, few enough that a query run again after others builds its own again.
const RECENT_AUTOMATA: usize = 8;

/// The Levenshtein DFA of a typo lookup. Building it is most of a typo lookup's cost, and one
/// query asks for the same one up to three times (to pick dictionary chunks, to walk them, for
/// "did you mean"), and the next keystroke again for every word but the last: the most recent
/// few are kept.
fn typo_automaton(word: &str, distance: u8, prefix: bool) -> Arc<DFA> {
    type Recent = Vec<((String, u8, bool), Arc<DFA>)>;
    static RECENT: Mutex<Recent> = Mutex::new(Vec::new());
    let mut recent = RECENT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(at) = recent.iter().position(|((w, d, p), _)| w == word && *d == distance && *p == prefix) {
        let entry = recent.remove(at);
        let dfa = Arc::clone(&entry.1);
        recent.push(entry);
        return dfa;
    }
    let builder = automaton_builder(distance);
    let dfa = Arc::new(if prefix { builder.build_prefix_dfa(word) } else { builder.build_dfa(word) });
    if recent.len() == RECENT_AUTOMATA {
        recent.remove(0);
    }
    recent.push(((word.to_string(), distance, prefix), Arc::clone(&dfa)));
    dfa
}

/// Whether some key between `first` and `last` (inclusive, in byte order) is within the typo
/// budget of the range's word: the walk of the chunk map that loads only the chunks a typo lookup
/// can still match. It walks the automaton along `first` and `last`; off those two paths every
/// continuation is inside the range, and a live Levenshtein state always has a matching
/// continuation. It may answer `true` for a chunk whose actual terms miss (its range holds strings
/// that are not terms), never `false` for a chunk with a match.
pub fn typo_may_match(range: &TermRange, first: &[u8], last: &[u8]) -> bool {
    let TermRange::Typos { word, distance, prefix } = range else { return true };
    let dfa = typo_automaton(word, *distance, *prefix);
    let automaton = Levenshtein(&dfa);
    may_match_between(&automaton, automaton.start(), first, last, 0, true, true)
}

/// The chunks among `bounds` whose key range a typo lookup may match, with one automaton.
fn typo_chunks(word: &str, distance: u8, prefix: bool, bounds: &[ChunkBounds]) -> Vec<u32> {
    let dfa = typo_automaton(word, distance, prefix);
    let automaton = Levenshtein(&dfa);
    let start = automaton.start();
    (0..bounds.len() as u32)
        .filter(|i| {
            let chunk = &bounds[*i as usize];
            may_match_between(&automaton, start, chunk.first.as_bytes(), chunk.last.as_bytes(), 0, true, true)
        })
        .collect()
}

/// Whether the automaton, in `state` after the first `depth` bytes, accepts some string in
/// [`low`, `high`] that shares those bytes; `on_low` / `on_high` say whether the bytes so far are
/// exactly `low`'s / `high`'s.
fn may_match_between(
    automaton: &Levenshtein<'_>,
    state: u32,
    low: &[u8],
    high: &[u8],
    depth: usize,
    on_low: bool,
    on_high: bool,
) -> bool {
    if !automaton.can_match(&state) {
        return false;
    }
    // Off both bounds, any continuation stays in range, and a live state can always reach a match.
    if !on_low && !on_high {
        return true;
    }
    // The string so far is in range when it is not below `low`, i.e. `low` ends here or is left.
    let low_done = !on_low || depth == low.len();
    if low_done && automaton.is_match(&state) {
        return true;
    }
    // Only `high` itself ends here: nothing longer is in range.
    if on_high && depth == high.len() {
        return false;
    }
    let on_low = on_low && depth < low.len();
    let from = if on_low { low[depth] } else { 0 };
    let to = if on_high { high[depth] } else { u8::MAX };
    (from..=to).any(|byte| {
        let next = automaton.accept(&state, byte);
        may_match_between(automaton, next, low, high, depth + 1, on_low && byte == from, on_high && byte == to)
    })
}

/// The part of the dictionary a lookup reads: what a partly loaded index must hold for it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TermRange {
    /// One term of the `terms` fst.
    Term(String),
    /// Every term of the `terms` fst starting with this prefix (as far as completion scans).
    Prefix(String),
    /// One stem of the `stems` fst and its stem list.
    Stem(String),
    /// The terms within `distance` typos of `word` (of a prefix of them when `prefix`): the
    /// chunks [`typo_may_match`] keeps.
    Typos {
        /// The query word.
        word: String,
        /// The typo budget.
        distance: u8,
        /// Whether the word is still being typed.
        prefix: bool,
    },
}

impl TermRange {
    /// The dictionary chunks (numbers, in key order) a lookup of this range reads, given every
    /// chunk's bounds from the root.
    pub fn chunks(&self, bounds: &[ChunkBounds]) -> Vec<u32> {
        let chunk_of = |key: &str| {
            let after = bounds.partition_point(|c| c.first.as_str() <= key);
            (!bounds.is_empty()).then(|| after.saturating_sub(1) as u32)
        };
        match self {
            TermRange::Term(key) | TermRange::Stem(key) => chunk_of(key).into_iter().collect(),
            TermRange::Prefix(prefix) => {
                let Some(first) = chunk_of(prefix) else { return Vec::new() };
                let mut out = vec![first];
                // Completion scans stop after MAX_PREFIX_SCAN terms: later chunks that the scan
                // cannot reach are left out. Terms of the first chunk count as none.
                let mut before = 0usize;
                for (i, chunk) in bounds.iter().enumerate().skip(first as usize + 1) {
                    if !chunk.first.starts_with(prefix.as_str()) || before >= MAX_PREFIX_SCAN {
                        break;
                    }
                    out.push(i as u32);
                    before += chunk.terms as usize;
                }
                out
            }
            // One chunk (every small index) is read whatever the word: no automaton needed.
            TermRange::Typos { .. } if bounds.len() <= 1 => (0..bounds.len() as u32).collect(),
            TermRange::Typos { word, distance, prefix } => typo_chunks(word, *distance, *prefix, bounds),
        }
    }
}

/// Where the dictionary comes from. A loaded index answers with the chunks a range covers; an
/// index loaded in parts answers `None` while one of them is missing.
pub trait TermSource {
    /// The dictionary chunks covering `range`, if they are present.
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
    failed_lookups: usize,
}

impl<'s, S: TermSource + ?Sized> Expander<'s, S> {
    /// An expander over `source` with `weights`.
    pub fn new(source: &'s S, weights: ExpansionWeights) -> Self {
        Expander { source, weights, missing: Vec::new(), failed_lookups: 0 }
    }

    /// How many lookups so far found their range missing (each time, unlike [`Expander::missing`]):
    /// an expansion during which this grew is incomplete.
    pub fn failed_lookups(&self) -> usize {
        self.failed_lookups
    }

    fn lookup(&mut self, range: TermRange) -> Option<Dictionary<'s>> {
        let found = self.source.dictionary(&range);
        if found.is_none() {
            self.failed_lookups += 1;
            if !self.missing.contains(&range) {
                self.missing.push(range);
            }
        }
        found
    }

    /// Expands one word. `open` lets it match as a prefix (the word is still being typed);
    /// `fuzzy` allows typos.
    pub fn expand(&mut self, term: &str, open: bool, fuzzy: bool) -> Expanded {
        let w = self.weights;
        let mut out = Expanded::default();
        let mut seen = HashSet::default();
        let exact = self.lookup(TermRange::Term(term.to_string()));
        // The typo budget depends on whether the word itself is known: while its chunk is
        // missing, typo matching waits for the next round rather than load chunks for a budget
        // the word may not get.
        let exact_missing = exact.is_none();
        if let Some(offset) = exact.and_then(|d| d.exact(term)) {
            seen.insert(offset);
            out.members.push((Expansion { term: Some(term.to_string()), offset, kind: MatchKind::Exact }, 1.0));
            out.highlight_terms.push(term.to_string());
        }
        let stem = text::stem(term);
        let stem_members =
            self.lookup(TermRange::Stem(stem.to_string())).map(|d| d.stem_members(&stem)).unwrap_or_default();
        for offset in stem_members.into_iter().take(MAX_STEM_TERMS) {
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
        if budget > 0 && !exact_missing {
            let range = TermRange::Typos { word: term.to_string(), distance: budget, prefix: open };
            let candidates = self.lookup(range).map(|d| d.fuzzy(term, budget, open)).unwrap_or_default();
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
        // A correction is only wanted when every lookup so far was answered: with a chunk missing,
        // this round's answer is thrown away and the word looked up again.
        if !self.missing.is_empty() {
            return None;
        }
        let budget = typo_budget(term.chars().count()).max(1);
        let range = TermRange::Typos { word: term.to_string(), distance: budget, prefix: false };
        self.lookup(range)?.fuzzy(term, budget, false).into_iter().next().map(|(candidate, _, _)| candidate)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::format::dictionary::DictionaryWriter;

    /// A one-chunk dictionary where later words (in byte order) have more documents.
    fn dictionary_of(words: &[&str]) -> Vec<u8> {
        let mut sorted: Vec<&str> = words.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut writer = DictionaryWriter::default();
        for (i, word) in sorted.iter().enumerate() {
            writer.term(word, TermValue { offset: i as u64 * 10, doc_freq: i as u32 + 1 }).unwrap();
        }
        writer.finish()
    }

    #[test]
    fn typo_budget_grows_with_length() {
        assert_eq!([3, 4, 7, 8, 20].map(typo_budget), [0, 1, 1, 2, 2]);
    }

    #[test]
    fn fuzzy_finds_one_typo_and_transpositions() {
        let body = dictionary_of(&["merging", "merge", "emerging", "mergers", "model"]);
        let dict = Dictionary::new(vec![Chunk::open(&body).unwrap()]);
        let found: Vec<String> = dict.fuzzy("mergng", 1, false).into_iter().map(|(t, _, _)| t).collect();
        assert_eq!(found, vec!["merging"]);
        let swapped: Vec<(String, u8)> = dict.fuzzy("mdoel", 1, false).into_iter().map(|(t, _, d)| (t, d)).collect();
        assert_eq!(swapped, vec![("model".to_string(), 1)]);
    }

    /// The edit distance with adjacent transpositions (optimal string alignment), by characters:
    /// what a typo lookup of a finished word counts.
    pub(crate) fn osa_distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[a.len()][b.len()]
    }

    proptest::proptest! {
        /// Whatever the automaton's tables look like (vendor/levenshtein_automata keeps one
        /// column per byte class), a typo lookup finds exactly the terms within the budget, at
        /// their distance, in the documented order: over letters of one to four UTF-8 bytes.
        #[test]
        fn a_typo_lookup_finds_exactly_the_terms_within_its_distance(
            word in "[abcé𝔼]{1,7}",
            terms in proptest::collection::vec("[abcé𝔼あ]{1,7}", 1..24),
            distance in 1u8..=2,
        ) {
            let words: Vec<&str> = terms.iter().map(String::as_str).collect();
            let body = dictionary_of(&words);
            let dict = Dictionary::new(vec![Chunk::open(&body).unwrap()]);
            let mut sorted = words.clone();
            sorted.sort_unstable();
            sorted.dedup();
            // dictionary_of gives the term at sorted position i the document frequency i + 1.
            let mut expected: Vec<(usize, usize, String)> = sorted
                .iter()
                .enumerate()
                .map(|(i, term)| (osa_distance(&word, term), i + 1, term.to_string()))
                .filter(|&(d, _, _)| d > 0 && d <= usize::from(distance))
                .collect();
            expected.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then_with(|| a.2.cmp(&b.2)));
            expected.truncate(MAX_FUZZY_TERMS);
            let expected: Vec<(String, u8)> = expected.into_iter().map(|(d, _, term)| (term, d as u8)).collect();
            let found: Vec<(String, u8)> = dict.fuzzy(&word, distance, false).into_iter().map(|(t, _, d)| (t, d)).collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn completions_prefer_frequent_terms() {
        let body = dictionary_of(&["merge", "merging", "mercury", "model"]);
        let dict = Dictionary::new(vec![Chunk::open(&body).unwrap()]);
        let found: Vec<String> = dict.completions("mer").into_iter().map(|(t, _)| t).collect();
        // Later words in sorted order were given more documents.
        assert_eq!(found, vec!["merging", "merge", "mercury"]);
        assert!(dict.completions("zz").is_empty());
    }

    #[test]
    fn a_typo_lookup_skips_chunks_it_cannot_match_and_keeps_those_it_can() {
        let range = |word: &str| TermRange::Typos { word: word.into(), distance: 1, prefix: false };
        assert!(typo_may_match(&range("merging"), b"melt", b"mesh"));
        assert!(typo_may_match(&range("merging"), b"abacus", b"zoo"));
        // A range that holds `mxrging`, and one that stops just short of it.
        assert!(typo_may_match(&range("merging"), b"mx", b"mxz"));
        assert!(!typo_may_match(&range("merging"), b"mxs", b"mxz"));
        assert!(!typo_may_match(&range("merging"), b"xylophone", b"xyz"));
        assert!(!typo_may_match(&range("merging"), b"aardvark", b"abacus"));
        // The typo is in the first letter: `nerging` is in a chunk far from `merging`.
        assert!(typo_may_match(&range("nerging"), b"mat", b"mod"));
        // A chunk that starts exactly at a match.
        assert!(typo_may_match(&range("model"), b"model", b"modem"));
        assert!(typo_may_match(&range("model"), b"mode", b"mode"));
        assert!(!typo_may_match(&range("model"), b"mo", b"mo"));
        // Other ranges are not typo lookups: every chunk in them counts.
        assert!(typo_may_match(&TermRange::Term("x".into()), b"a", b"b"));
    }
}
