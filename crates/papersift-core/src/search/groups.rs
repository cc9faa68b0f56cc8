//! From planned words to weighted term groups, through the dictionary.
//!
//! Each query word becomes a *group* of dictionary terms (exact, same stem, completions, typos;
//! the rules and weights are [`crate::termdict`]'s). A group is scored like one term whose
//! frequency is the weighted sum over its members (as BM25F blends fields), with an idf from the
//! number of documents the group touches, so variants add evidence without double counting.

use std::ops::Range;

use super::phrase::Phrase;
use super::plan::{Plan, PlannedClause};
use super::reuse::Reuse;
use crate::schema::Field;
use crate::snippet::Matcher;
use crate::sort;
use crate::termdict::{Expanded, Expander, Expansion, ExpansionWeights, TermRange, TermSource};

/// One query word, expanded.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    /// Dictionary terms with their weights.
    pub(crate) members: Vec<(Expansion, f32)>,
    /// Only this field counts, when set.
    pub(crate) field: Option<Field>,
    /// Documents must match this group.
    pub(crate) required: bool,
    /// Multiplies the group's score (0 for filter-only groups).
    pub(crate) boost: f32,
}

/// Everything a plan turned into once the dictionary was read.
#[derive(Default)]
pub(crate) struct Groups {
    /// Scored and required groups, required first (their bits must fit in the match mask).
    pub(crate) groups: Vec<Group>,
    pub(crate) phrases: Vec<Phrase>,
    pub(crate) excluded: Vec<Group>,
    pub(crate) excluded_phrases: Vec<Phrase>,
    /// What to highlight.
    pub(crate) matcher: Matcher,
    /// (byte range in the query, replacement) for "did you mean".
    pub(crate) corrections: Vec<(Range<usize>, String)>,
    /// Query words that matched no dictionary term at all.
    pub(crate) unmatched_words: usize,
}

impl Groups {
    fn highlight(&mut self, expanded: &Expanded) {
        self.matcher.terms.extend(expanded.highlight_terms.iter().cloned());
        if let Some(stem) = &expanded.highlight_stem {
            self.matcher.stems.insert(stem.clone());
        }
    }

    /// Adds a word's group, highlighting its matches.
    fn push(&mut self, expanded: Expanded, field: Option<Field>, required: bool, boost: f32) {
        self.highlight(&expanded);
        self.groups.push(Group { members: expanded.members, field, required, boost });
    }
}

/// Expands every word of `plan` through `source`. Returns the groups and the dictionary ranges
/// `source` did not hold (when any is missing, the groups are incomplete).
pub(crate) fn expand<S: TermSource + ?Sized>(
    plan: &Plan,
    source: &S,
    weights: ExpansionWeights,
    reuse: &mut Reuse,
) -> (Groups, Vec<TermRange>) {
    let mut expander = Expander::new(source, weights);
    let mut expander = Reusing { expander: &mut expander, reuse };
    let mut out = Groups::default();
    let fuzzy = plan.options.fuzzy;
    for clause in &plan.clauses {
        match clause {
            PlannedClause::Text { field, words } => {
                let field = *field;
                for word in words {
                    let expanded = expander.expand(&word.term, word.open, fuzzy);
                    let found_exactly = expanded.found_exactly();
                    if !found_exactly && !word.parts.is_empty() {
                        // An unknown compound (`gpt-4o`) falls back to its parts, which are indexed
                        // too; its own near matches still highlight.
                        out.highlight(&expanded);
                        for part in &word.parts {
                            let expanded = expander.expand(part, false, false);
                            out.push(expanded, field, field.is_some(), 1.0);
                        }
                        continue;
                    }
                    let found_any = !expanded.members.is_empty();
                    // A word still being typed is corrected only when nothing starts with it either.
                    if !found_exactly && !expanded.completes() {
                        // The word's typo matches are already the closest and most frequent first,
                        // which is what a correction is: reuse them rather than walk the automaton again.
                        let better = match expanded.nearest_typo() {
                            Some(term) => Some(term.to_string()),
                            None => expander.correction(&word.term),
                        };
                        if let Some(better) = better {
                            out.corrections.push((word.range.clone(), better));
                        }
                    }
                    if !found_any {
                        out.unmatched_words += 1;
                    }
                    if found_any || field.is_some() {
                        out.push(expanded, field, field.is_some(), 1.0);
                    } else {
                        out.highlight(&expanded);
                    }
                }
            }
            PlannedClause::Phrase(phrase) => {
                for (_, term) in &phrase.words {
                    let expanded = expander.expand(term, false, false);
                    out.push(expanded, phrase.field, true, 1.0);
                }
                out.phrases.push(phrase.clone());
            }
            PlannedClause::ExcludeWords { field, terms } => {
                // Excluded words are not highlighted.
                for term in terms {
                    let members = expander.expand(term, false, false).members;
                    out.excluded.push(Group { members, field: *field, required: false, boost: 0.0 });
                }
            }
            PlannedClause::ExcludePhrase(phrase) => out.excluded_phrases.push(phrase.clone()),
        }
    }
    for term in &plan.author_terms {
        let expanded = expander.expand(term, false, false);
        out.push(expanded, Some(Field::Authors), true, 0.0);
    }
    // Required groups first, so their bits fit in the match mask.
    sort::sort_by(&mut out.groups, |a, b| b.required.cmp(&a.required));
    (out, std::mem::take(&mut expander.expander.missing))
}

/// An [`Expander`] that answers from, and adds to, what searches keep for the next ([`Reuse`]).
struct Reusing<'e, 's, S: TermSource + ?Sized> {
    expander: &'e mut Expander<'s, S>,
    reuse: &'e mut Reuse,
}

impl<S: TermSource + ?Sized> Reusing<'_, '_, S> {
    fn expand(&mut self, term: &str, open: bool, fuzzy: bool) -> Expanded {
        if let Some(kept) = self.reuse.expansion(term, open, fuzzy) {
            self.reuse.keep_expansion(term, open, fuzzy, &kept);
            return kept;
        }
        let failed = self.expander.failed_lookups();
        let expanded = self.expander.expand(term, open, fuzzy);
        // With part of the dictionary missing the expansion is incomplete: not kept.
        if self.expander.failed_lookups() == failed {
            self.reuse.keep_expansion(term, open, fuzzy, &expanded);
        }
        expanded
    }

    fn correction(&mut self, term: &str) -> Option<String> {
        self.expander.correction(term)
    }
}
