//! Running a query, in two phases.
//!
//! 1. [`plan`] turns the query string and [`SearchOptions`] into a [`Plan`] without reading the
//!    index: the words to expand (with their byte ranges), phrases, exclusions and filters.
//!    [`Plan::pieces`] names the dictionary ranges it reads first.
//! 2. [`execute`] runs a plan against [`Pieces`] of index data: it expands words through the
//!    dictionary ([`crate::termdict`]), reads postings lists (with norms) to score with BM25F
//!    ([`score`]), applies filters and facets ([`filter`]), verifies phrases against stored text
//!    ([`phrase`]), picks the top k and builds hits with highlights ([`crate::snippet`]).
//!    When a piece is missing it says which ([`Outcome::Missing`]) instead of answering.
//!
//! A loaded [`crate::Index`] holds every piece, so one `execute` answers. An index loaded in
//! parts (shards) answers `Missing`, fetches those pieces and executes again.
//!
//! ```
//! use papersift_core::builder::{build_index, BuildOptions, Source};
//! use papersift_core::search::{execute, plan, Outcome};
//! use papersift_core::{Index, SearchOptions};
//! let jsonl = r#"{"id":"p1","title":"Model merging","abstract":"We merge models."}"#;
//! let (bytes, _) = build_index(vec![Source::from_bytes("p.jsonl", jsonl.as_bytes())], &BuildOptions::default()).unwrap();
//! let index = Index::from_bytes(bytes).unwrap();
//! let plan = plan("merging", &SearchOptions::default());
//! let Outcome::Done(results) = execute(&plan, &index) else { panic!("a loaded index holds every piece") };
//! assert_eq!(results.hits[0].id, "p1");
//! ```

pub mod filter;
mod groups;
pub mod options;
pub mod phrase;
mod plan;
pub mod results;
mod reuse;
pub mod score;

use rustc_hash::FxHashSet as HashSet;

use crate::format::postings::ListReader;
use crate::format::store::Store;
use crate::schema::field_range;
use crate::sort;
use crate::termdict::{TermRange, TermSource};

pub use options::{OptionOverrides, OptionSpec, SearchOptions, OPTIONS};
pub use plan::{plan, Plan, MAX_AUTHOR_TERMS, MAX_QUERY_BYTES, MAX_QUERY_WORDS};
pub use results::{Facets, Hit, SearchResults, Snippet, Span};
pub use reuse::Reuse;
pub use score::{Ranking, Scoring};

use filter::{author_counts, facet_counts, Filters};
use score::Accumulator;

/// The most candidates whose stored text is read to verify phrases (and excluded phrases), in
/// document order. Verification tokenizes each candidate's text, and a sharded index fetches its
/// block, so a phrase of common words over a large corpus stops here; the candidates past it are
/// left out and counted in [`SearchResults::unverified`].
pub const MAX_PHRASE_CHECKS: usize = 20_000;

/// Documents per block of stored fields: the unit a partly loaded index fetches them in.
pub const DOCS_PER_BLOCK: u32 = 16;

/// A block of [`DOCS_PER_BLOCK`] consecutive documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocBlock(pub u32);

impl DocBlock {
    /// The block holding `doc`.
    pub fn of(doc: u32) -> DocBlock {
        DocBlock(doc / DOCS_PER_BLOCK)
    }
}

/// One piece of index data a query may need.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Piece {
    /// A range of the term dictionary (the `terms`, `stems` and `stem_lists` sections).
    Terms(TermRange),
    /// One postings list, by its offset in the `postings` section.
    Postings(u64),
    /// The year and venue columns and the venue names (`facets`), for filters and facet counts.
    Facets,
    /// The stored fields of a block of documents (`docs`), for phrases and hits.
    Docs(DocBlock),
    /// Every document's authors as ordinals, with the names (`authors`), for author facets.
    Authors,
}

/// Index data a plan runs against. Each method answers `None` when its piece is not loaded.
/// [`crate::Index`] holds every piece.
pub trait Pieces: TermSource {
    /// Corpus statistics and ranking tables (from the `meta` section, always present).
    fn scoring(&self) -> &Scoring;
    /// The postings list at `offset` ([`Piece::Postings`]).
    fn postings(&self, offset: u64) -> Option<ListReader<'_>>;
    /// A store view answering years, venues and venue names ([`Piece::Facets`]).
    fn facets(&self) -> Option<Store<'_>>;
    /// A store view holding the stored fields of `doc` ([`Piece::Docs`]).
    fn docs(&self, doc: u32) -> Option<Store<'_>>;
    /// Every document's authors as ordinals, for author facets ([`Piece::Authors`]), when these
    /// pieces keep such a table ([`crate::Index`] does). Without one, facets read names from
    /// [`Pieces::docs`].
    fn author_table(&self) -> Option<&filter::AuthorTable> {
        None
    }
    /// Whether these pieces keep an author table, so that a `None` from
    /// [`Pieces::author_table`] means [`Piece::Authors`] is not loaded yet.
    fn keeps_author_table(&self) -> bool {
        false
    }
}

/// What [`execute`] returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The results.
    Done(SearchResults),
    /// The pieces that must be loaded before the plan can be answered, in the order they were
    /// found missing (more may follow once these are there).
    Missing(Vec<Piece>),
}

/// Pieces found missing, each once.
#[derive(Debug, Default)]
pub(crate) struct Missing {
    order: Vec<Piece>,
    seen: HashSet<Piece>,
}

impl Missing {
    pub(crate) fn add(&mut self, piece: Piece) {
        if self.seen.insert(piece.clone()) {
            self.order.push(piece);
        }
    }

    fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    fn into_outcome(self) -> Outcome {
        Outcome::Missing(self.order)
    }
}

/// Runs `plan` against `pieces`. Never panics, whatever the plan or the bytes behind the pieces.
pub fn execute<P: Pieces + ?Sized>(plan: &Plan, pieces: &P) -> Outcome {
    execute_reusing(plan, pieces, &mut Reuse::default())
}

/// Runs `plan` like [`execute`], reusing what the search before it on the same `pieces` left in
/// `reuse` (word expansions, each word's scored documents), and leaving there what this one
/// computed. One [`Reuse`] per index, kept from keystroke to keystroke: typing a query letter
/// by letter then re-reads only the word being typed.
///
/// ```
/// use papersift_core::builder::{build_index, BuildOptions, Source};
/// use papersift_core::search::{execute, execute_reusing, plan, Reuse};
/// use papersift_core::{Index, SearchOptions};
/// let jsonl = r#"{"id":"p1","title":"Model merging","abstract":"We merge models."}"#;
/// let (bytes, _) = build_index(vec![Source::from_bytes("p.jsonl", jsonl.as_bytes())], &BuildOptions::default()).unwrap();
/// let index = Index::from_bytes(bytes).unwrap();
/// let mut reuse = Reuse::default();
/// for typed in ["m", "mo", "model", "model m", "model me", "model merging"] {
///     let plan = plan(typed, &SearchOptions::default());
///     assert_eq!(execute_reusing(&plan, &index, &mut reuse), execute(&plan, &index));
/// }
/// ```
pub fn execute_reusing<P: Pieces + ?Sized>(plan: &Plan, pieces: &P, reuse: &mut Reuse) -> Outcome {
    let mut missing = Missing::default();
    let scoring = pieces.scoring();
    let docs = scoring.doc_count;
    let options = &plan.options;

    // The dictionary: words to weighted term groups.
    reuse.start();
    let (expanded, absent_terms) = groups::expand(plan, pieces, scoring.ranking.expansion_weights(), reuse);
    if !absent_terms.is_empty() {
        absent_terms.into_iter().for_each(|range| missing.add(Piece::Terms(range)));
        // Each round of loading is a round trip: what the plan is sure to read comes along.
        plan.certain_typo_ranges().for_each(|range| missing.add(Piece::Terms(range)));
        return missing.into_outcome();
    }

    // Postings: scores of every document a group touches.
    let mut scores = Accumulator::default();
    let mut required_mask = 0u64;
    for (i, group) in expanded.groups.iter().enumerate() {
        let bit = (group.required && i < 62).then_some(i as u32);
        if let Some(bit) = bit {
            required_mask |= 1 << bit;
        }
        scores.add_group(pieces, group, bit, &mut missing, reuse);
    }
    // The excluded documents, a bit each, allocated only when the query excludes a word.
    let mut excluded: Vec<u64> = Vec::new();
    for group in &expanded.excluded {
        for (member, _) in &group.members {
            let Some(list) = pieces.postings(member.offset) else {
                missing.add(Piece::Postings(member.offset));
                continue;
            };
            if excluded.is_empty() {
                excluded = vec![0; (docs as usize).div_ceil(64)];
            }
            for p in list.filter(|p| p.doc < docs && field_range(group.field).any(|f| p.freqs[f] > 0)) {
                excluded[p.doc as usize / 64] |= 1 << (p.doc % 64);
            }
        }
    }
    let facet_store = if plan.needs_facets() {
        let store = pieces.facets();
        if store.is_none() {
            missing.add(Piece::Facets);
        }
        store
    } else {
        None
    };
    if !missing.is_empty() {
        return missing.into_outcome();
    }

    // Filters and phrases: the candidates.
    let filters = Filters::new(plan, facet_store.as_ref());
    // With no scored words (`year:2020`, or an author filter alone), every paper that passes the
    // filters matches. Words that matched nothing at all match nothing.
    let filter_only = !expanded.groups.iter().any(|g| g.boost > 0.0);
    let has_constraints = !expanded.groups.is_empty() || filters.any();
    let searchable = has_constraints && !(filter_only && expanded.unmatched_words > 0);
    let mut candidates: Vec<(f32, u32)> = Vec::new();
    let mut phrase_checks = 0usize;
    let mut unverified = 0usize;
    if searchable {
        let mut consider = |doc: u32, total: f32, matched: u64| {
            if matched & required_mask != required_mask || !(filter_only || total > 0.0) {
                return;
            }
            let is_excluded = excluded.get(doc as usize / 64).is_some_and(|bits| bits >> (doc % 64) & 1 == 1);
            if is_excluded || !filters.pass(facet_store.as_ref(), doc) {
                return;
            }
            if !expanded.phrases.is_empty() || !expanded.excluded_phrases.is_empty() {
                // Counted before the store is asked, so a sharded index checks the same documents.
                if phrase_checks == MAX_PHRASE_CHECKS {
                    unverified += 1;
                    return;
                }
                phrase_checks += 1;
                let Some(store) = pieces.docs(doc) else {
                    missing.add(Piece::Docs(DocBlock::of(doc)));
                    return;
                };
                if !expanded.phrases.iter().all(|p| p.occurs_in(&store, doc)) {
                    return;
                }
                if expanded.excluded_phrases.iter().any(|p| p.occurs_in(&store, doc)) {
                    return;
                }
            }
            candidates.push((total, doc));
        };
        if filter_only {
            // Every document is a candidate; the few the groups touched carry their match bits.
            let mut touched = scores.docs.iter().peekable();
            for doc in 0..docs {
                match touched.next_if(|s| s.doc == doc) {
                    Some(s) => consider(doc, s.total, s.matched),
                    None => consider(doc, 0.0, 0),
                }
            }
        } else {
            for s in &scores.docs {
                consider(s.doc, s.total, s.matched);
            }
        }
    }
    if !missing.is_empty() {
        return missing.into_outcome();
    }

    // An empty query matches nothing, but its facets describe the whole corpus (for filter UIs).
    let facets = match (&facet_store, options.facets) {
        (Some(store), true) if searchable || expanded.unmatched_words > 0 => {
            let matched = || candidates.iter().map(|&(_, doc)| doc);
            let mut facets = facet_counts(store, matched());
            if options.author_facets {
                facets.authors = author_counts(pieces, matched(), &mut missing);
            }
            Some(facets)
        }
        (Some(store), true) => {
            let mut facets = facet_counts(store, 0..docs);
            if options.author_facets {
                facets.authors = author_counts(pieces, 0..docs, &mut missing);
            }
            Some(facets)
        }
        _ => None,
    };

    // The top k, then their hits.
    let total = candidates.len();
    let wanted = options.offset.saturating_add(options.limit).min(total);
    let order = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    sort::top_by(&mut candidates, wanted, order);
    let mut hits = Vec::with_capacity(candidates.len().saturating_sub(options.offset));
    for &(score, doc) in candidates.iter().skip(options.offset) {
        let Some(store) = pieces.docs(doc) else {
            missing.add(Piece::Docs(DocBlock::of(doc)));
            continue;
        };
        if let Some(hit) = hit(&store, doc, score, &expanded.matcher, options, reuse) {
            hits.push(hit);
        }
    }
    if !missing.is_empty() {
        return missing.into_outcome();
    }
    let suggestion = suggestion(&plan.query, &expanded.corrections);
    Outcome::Done(SearchResults { total, hits, facets, suggestion, ignored_from: plan.ignored_from, unverified })
}

/// The query with each correction applied, unless that changes nothing.
fn suggestion(query: &str, corrections: &[(std::ops::Range<usize>, String)]) -> Option<String> {
    if corrections.is_empty() {
        return None;
    }
    let mut corrected = String::with_capacity(query.len());
    let mut at = 0;
    for (range, replacement) in corrections {
        if range.start < at || !query.is_char_boundary(range.start) || !query.is_char_boundary(range.end) {
            continue;
        }
        corrected.push_str(&query[at..range.start]);
        corrected.push_str(replacement);
        at = range.end;
    }
    corrected.push_str(&query[at..]);
    (corrected != query).then_some(corrected)
}

fn hit(
    store: &Store<'_>,
    doc: u32,
    score: f32,
    matcher: &crate::snippet::Matcher,
    options: &SearchOptions,
    reuse: &mut Reuse,
) -> Option<Hit> {
    let record = store.record(doc)?;
    let (highlights, snippet) = if options.highlight {
        let starts = reuse.text_starts(doc, &record.title, &record.abstract_text);
        (
            matcher.highlight_in(&record.title, &starts.0),
            crate::snippet::best_window_in(&record.abstract_text, &starts.1, matcher, options.snippet_chars),
        )
    } else {
        (Vec::new(), Default::default())
    };
    Some(Hit {
        id: record.id,
        score,
        title: record.title,
        authors: record.authors,
        year: record.year,
        venue: record.venue,
        url: record.url,
        highlights,
        snippet,
        doc,
    })
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::*;
    use crate::builder::{build_index, BuildOptions, Source};
    use crate::termdict::Dictionary;
    use crate::Index;

    /// An index whose pieces are handed in one at a time, as a sharded index would fetch them.
    struct Partial<'i> {
        index: &'i Index,
        loaded: HashSet<Piece>,
    }

    impl Partial<'_> {
        fn has(&self, piece: Piece) -> bool {
            self.loaded.contains(&piece)
        }
    }

    impl TermSource for Partial<'_> {
        fn dictionary(&self, range: &TermRange) -> Option<Dictionary<'_>> {
            self.has(Piece::Terms(range.clone())).then(|| TermSource::dictionary(self.index, range)).flatten()
        }
    }

    impl Pieces for Partial<'_> {
        fn scoring(&self) -> &Scoring {
            self.index.scoring()
        }
        fn postings(&self, offset: u64) -> Option<ListReader<'_>> {
            self.has(Piece::Postings(offset)).then(|| self.index.postings(offset)).flatten()
        }
        fn facets(&self) -> Option<Store<'_>> {
            self.has(Piece::Facets).then(|| self.index.facets()).flatten()
        }
        fn docs(&self, doc: u32) -> Option<Store<'_>> {
            self.has(Piece::Docs(DocBlock::of(doc))).then(|| self.index.docs(doc)).flatten()
        }
        fn author_table(&self) -> Option<&filter::AuthorTable> {
            self.has(Piece::Authors).then(|| self.index.author_table()).flatten()
        }
        fn keeps_author_table(&self) -> bool {
            true
        }
    }

    fn fixture_index() -> Index {
        let jsonl = include_bytes!("../../../../tests/fixtures/papers.jsonl");
        let (bytes, _) =
            build_index(vec![Source::from_bytes("papers.jsonl", jsonl)], &BuildOptions::default()).unwrap();
        Index::from_bytes(bytes).unwrap()
    }

    /// Executes `plan` against pieces handed in one by one, the first missing piece each round,
    /// and returns the results with every piece that was asked for.
    fn run_piece_by_piece(index: &Index, plan: &Plan) -> (SearchResults, Vec<Piece>) {
        let mut partial = Partial { index, loaded: HashSet::default() };
        let mut fetched = Vec::new();
        loop {
            match execute(plan, &partial) {
                Outcome::Done(results) => return (results, fetched),
                Outcome::Missing(missing) => {
                    assert!(!missing.is_empty(), "Missing names at least one piece");
                    for piece in &missing {
                        assert!(!partial.loaded.contains(piece), "{piece:?} was asked for again after it was loaded");
                    }
                    let next = missing[0].clone();
                    partial.loaded.insert(next.clone());
                    fetched.push(next);
                    assert!(fetched.len() < 10_000, "execution makes progress");
                }
            }
        }
    }

    #[test]
    fn a_plan_runs_against_pieces_handed_in_one_by_one() {
        let index = fixture_index();
        let options = SearchOptions { facets: true, year_min: Some(2000), ..SearchOptions::default() };
        for query in
            ["unsafe weights manipulation", "\"vision-language\" safty", "title:models -weights", "year:2020.. transl"]
        {
            let plan = plan(query, &options);
            let (results, fetched) = run_piece_by_piece(&index, &plan);
            assert_eq!(results, index.search(query, &options), "{query}");
            // Every kind of piece is named before it is read: the dictionary first, then postings.
            assert!(matches!(fetched.first(), Some(Piece::Terms(_))), "{query}: {fetched:?}");
            assert!(fetched.iter().any(|p| matches!(p, Piece::Postings(_))), "{query}: {fetched:?}");
            assert!(fetched.contains(&Piece::Facets), "{query}: {fetched:?}");
            assert!(fetched.contains(&Piece::Authors), "{query}: {fetched:?}");
            if !results.hits.is_empty() {
                assert!(fetched.iter().any(|p| matches!(p, Piece::Docs(_))), "{query}: {fetched:?}");
            }
            // The plan's own list is a prefix of what execution needs: it is all dictionary and facets.
            for piece in plan.pieces() {
                assert!(matches!(piece, Piece::Terms(_) | Piece::Facets), "{piece:?}");
            }
        }
    }

    /// Each keystroke reuses what the one before left; the answers are those computed afresh,
    /// for a loaded index and for one whose pieces come in one by one.
    #[test]
    fn reusing_the_last_search_changes_no_answer() {
        let index = fixture_index();
        let options = SearchOptions { facets: true, ..SearchOptions::default() };
        let classes = crate::workload::query_classes(&index, 20, 3);
        let mut reuse = Reuse::default();
        let mut partial_reuse = Reuse::default();
        let mut partial = Partial { index: &index, loaded: HashSet::default() };
        let mut reused = 0;
        for query in classes.iter().flat_map(|c| &c.queries) {
            let plan = plan(query, &options);
            let fresh = execute(&plan, &index);
            assert_eq!(execute_reusing(&plan, &index, &mut reuse), fresh, "{query}");
            reused +=
                reuse.previous.scored.iter().filter(|(k, _)| reuse.current.scored.iter().any(|(c, _)| c == k)).count();
            loop {
                match execute_reusing(&plan, &partial, &mut partial_reuse) {
                    Outcome::Done(results) => {
                        assert_eq!(Outcome::Done(results), fresh, "{query}, piece by piece");
                        break;
                    }
                    Outcome::Missing(missing) => partial.loaded.extend(missing),
                }
            }
        }
        assert!(reused > 20, "typing reuses the words before the last: {reused}");
    }

    #[test]
    fn a_loaded_index_holds_every_piece() {
        let index = fixture_index();
        let plan = plan("weights", &SearchOptions::default());
        assert!(matches!(execute(&plan, &index), Outcome::Done(r) if !r.hits.is_empty()));
    }

    #[test]
    fn a_missing_dictionary_range_is_named_and_nothing_else_is_read() {
        let index = fixture_index();
        let partial = Partial { index: &index, loaded: HashSet::default() };
        let plan = plan("weights", &SearchOptions { fuzzy: false, ..SearchOptions::default() });
        let Outcome::Missing(missing) = execute(&plan, &partial) else { panic!("nothing is loaded") };
        assert!(missing.iter().all(|p| matches!(p, Piece::Terms(_))), "{missing:?}");
        assert!(missing.contains(&Piece::Terms(TermRange::Term("weights".into()))), "{missing:?}");
    }
}
