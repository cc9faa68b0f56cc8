//! Year and venue filters, and facet counts over a result set.

use std::collections::BTreeMap;

use rustc_hash::FxHashSet as HashSet;

use super::plan::Plan;
use super::results::Facets;
use crate::format::store::Store;

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
    venue_counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Facets { years: years.into_iter().collect(), venues: venue_counts }
}
