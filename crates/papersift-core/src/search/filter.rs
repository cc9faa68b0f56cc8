//! Year and venue filters, and facet counts over a result set: years and venues from the facets
//! columns, authors from the stored fields.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::plan::Plan;
use super::results::Facets;
use super::{DocBlock, Missing, Piece, Pieces};
use crate::format::store::Store;
use crate::sort;

/// How many authors the `authors` facet lists. A corpus can have thousands of authors; a filter
/// offers the most frequent few, and every search with facets sends the list to JS.
pub const AUTHOR_FACETS: usize = 50;

/// The year range and venue set a document must fall in.
pub(crate) struct Filters {
    year_min: Option<u16>,
    year_max: Option<u16>,
    /// Venue ordinals allowed, when the options name venues.
    venues: Option<HashSet<u32>>,
}

impl Filters {
    /// The filters of `plan`, with venue names resolved through the facets of `store`.
    pub(crate) fn new(plan: &Plan, store: Option<&Store<'_>>) -> Filters {
        let venues = (!plan.options.venues.is_empty()).then(|| {
            let names = store.map(Store::venue_names).unwrap_or_default();
            plan.options.venues.iter().filter_map(|v| names.iter().position(|n| n == v).map(|i| i as u32 + 1)).collect()
        });
        Filters { year_min: plan.year_min, year_max: plan.year_max, venues }
    }

    /// Whether any filter applies.
    pub(crate) fn any(&self) -> bool {
        self.year_min.is_some() || self.year_max.is_some() || self.venues.is_some()
    }

    /// Whether `doc` passes. `store` is only read when a filter applies.
    pub(crate) fn pass(&self, store: Option<&Store<'_>>, doc: u32) -> bool {
        let Some(store) = store else { return !self.any() };
        if self.year_min.is_some() || self.year_max.is_some() {
            let Some(year) = store.year(doc) else { return false };
            if self.year_min.is_some_and(|min| year < min) || self.year_max.is_some_and(|max| year > max) {
                return false;
            }
        }
        self.venues.as_ref().is_none_or(|set| set.contains(&store.venue_ordinal(doc)))
    }
}

/// Year and venue counts over `docs`.
pub(crate) fn facet_counts(store: &Store<'_>, docs: impl Iterator<Item = u32>) -> Facets {
    let mut years = BTreeMap::<u16, u32>::new();
    let names = store.venue_names();
    let mut venues = vec![0u32; names.len() + 1];
    for doc in docs {
        if let Some(year) = store.year(doc) {
            *years.entry(year).or_default() += 1;
        }
        if let Some(slot) = venues.get_mut(store.venue_ordinal(doc) as usize) {
            *slot += 1;
        }
    }
    let mut venue_counts: Vec<(String, u32)> = names
        .iter()
        .zip(venues.iter().skip(1))
        .filter(|(_, n)| **n > 0)
        .map(|(name, n)| (name.to_string(), *n))
        .collect();
    sort::sort_by(&mut venue_counts, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Facets { years: years.into_iter().collect(), venues: venue_counts, authors: Vec::new() }
}

/// Author counts over `docs`: a paper counts once for each distinct name among its authors.
/// The [`AUTHOR_FACETS`] most frequent, most papers first, ties by name. With the pieces'
/// [`AuthorTable`] this is array increments (and while its piece is not loaded, it is added to
/// `missing`); pieces that keep none have names read from the stored fields, and a document
/// whose block is not loaded is added to `missing`.
pub(crate) fn author_counts<'p, P: Pieces + ?Sized>(
    pieces: &'p P,
    docs: impl Iterator<Item = u32>,
    missing: &mut Missing,
) -> Vec<(String, u32)> {
    if let Some(table) = pieces.author_table() {
        return table.counts(docs);
    }
    if pieces.keeps_author_table() {
        missing.add(Piece::Authors);
        return Vec::new();
    }
    let mut counts: HashMap<&'p str, u32> = HashMap::default();
    let mut distinct: Vec<&'p str> = Vec::new();
    for doc in docs {
        let Some(store) = pieces.docs(doc) else {
            missing.add(Piece::Docs(DocBlock::of(doc)));
            continue;
        };
        distinct.clear();
        for author in store.authors(doc).unwrap_or_default() {
            if !author.is_empty() && !distinct.contains(&author) {
                distinct.push(author);
                *counts.entry(author).or_default() += 1;
            }
        }
    }
    top_authors(counts.into_iter().collect())
}

/// The [`AUTHOR_FACETS`] most frequent of `counted`, most papers first, ties by name.
fn top_authors(mut counted: Vec<(&str, u32)>) -> Vec<(String, u32)> {
    let order = |a: &(&str, u32), b: &(&str, u32)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
    // A large corpus has a hundred thousand names: pick the top ones, then sort only those.
    sort::top_by(&mut counted, AUTHOR_FACETS, order);
    counted.into_iter().map(|(name, papers)| (name.to_string(), papers)).collect()
}

/// Every document's authors as ordinals into one list of distinct names, read once from the
/// stored fields or the authors pieces. Author facets over tens of thousands of matches then cost
/// array increments instead of decoding and hashing every name of every match on every
/// keystroke. A loaded [`crate::Index`] builds it on the first search that counts facets.
#[derive(Debug, Default)]
pub struct AuthorTable {
    /// Distinct names, in first-seen order.
    names: Vec<Box<str>>,
    /// Where each document's ordinals start in `ordinals`, plus the end: one more than documents.
    starts: Vec<u32>,
    /// Each document's distinct author ordinals.
    ordinals: Vec<u32>,
}

impl AuthorTable {
    /// Reads the authors of each of `docs` documents through `authors_of`.
    pub fn build<'a>(docs: u32, authors_of: impl Fn(u32) -> Option<Vec<&'a str>>) -> AuthorTable {
        let mut by_name: HashMap<&str, u32> = HashMap::default();
        let mut table = AuthorTable { starts: Vec::with_capacity(docs as usize + 1), ..AuthorTable::default() };
        for doc in 0..docs {
            let start = table.ordinals.len();
            table.starts.push(start as u32);
            for author in authors_of(doc).unwrap_or_default() {
                if author.is_empty() {
                    continue;
                }
                let names = &mut table.names;
                let ordinal = *by_name.entry(author).or_insert_with(|| {
                    names.push(author.into());
                    names.len() as u32 - 1
                });
                if !table.ordinals[start..].contains(&ordinal) {
                    table.ordinals.push(ordinal);
                }
            }
        }
        table.starts.push(table.ordinals.len() as u32);
        table
    }

    /// Author counts over `docs`, as [`author_counts`] gives them.
    fn counts(&self, docs: impl Iterator<Item = u32>) -> Vec<(String, u32)> {
        let mut counts = vec![0u32; self.names.len()];
        for doc in docs {
            let doc = doc as usize;
            let (Some(&start), Some(&end)) = (self.starts.get(doc), self.starts.get(doc + 1)) else { continue };
            for &ordinal in self.ordinals.get(start as usize..end as usize).unwrap_or_default() {
                counts[ordinal as usize] += 1;
            }
        }
        let named = counts.iter().zip(&self.names).filter(|(papers, _)| **papers > 0);
        top_authors(named.map(|(papers, name)| (&**name, *papers)).collect())
    }
}
