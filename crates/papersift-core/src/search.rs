//! Running a query: expand each word through the dictionary, score with BM25F, apply filters,
//! phrases and exclusions, pick the top k, then highlight and cut snippets.
//!
//! Each query word becomes a *group* of dictionary terms (exact, same stem, completions, typos),
//! each with a weight below 1 for anything but the exact form. A group is scored like one term
//! whose frequency is the weighted sum over its members (as BM25F blends fields), with an idf from
//! the number of documents the group touches, so variants add evidence without double counting.

use rustc_hash::FxHashSet as HashSet;

use crate::expand::{typo_budget, Dictionary, Expansion, MatchKind};
use crate::index::{Facets, Hit, Index, SearchOptions, SearchResults};
use crate::postings::{self, FIELD_COUNT};
use crate::query::{self, Clause, Field};
use crate::snippet::{self, Matcher};
use crate::text::{self, Token, TokenKind};

/// One query word, expanded.
#[derive(Debug, Clone)]
struct Group {
    /// Dictionary terms with their weights.
    members: Vec<(Expansion, f32)>,
    /// Only this field counts, when set.
    field: Option<Field>,
    /// Documents must match this group.
    required: bool,
    /// Multiplies the group's score (0 for filter-only groups).
    boost: f32,
}

/// A phrase: its words' terms by relative position, and the field it must occur in.
#[derive(Debug, Clone)]
struct Phrase {
    words: Vec<(u32, String)>,
    field: Option<Field>,
}

/// A query word and the tokens it came from.
struct Word<'t> {
    whole: &'t Token,
    parts: Vec<&'t Token>,
}

fn words_of(tokens: &[Token]) -> Vec<Word<'_>> {
    let mut words: Vec<Word<'_>> = Vec::new();
    for token in tokens {
        match (token.kind, words.last_mut()) {
            (TokenKind::Part, Some(word)) if token.start >= word.whole.start && token.end <= word.whole.end => {
                word.parts.push(token)
            }
            _ => words.push(Word { whole: token, parts: Vec::new() }),
        }
    }
    words
}

/// Everything a query turned into.
#[derive(Default)]
struct Plan {
    groups: Vec<Group>,
    phrases: Vec<Phrase>,
    excluded: Vec<Group>,
    excluded_phrases: Vec<Phrase>,
    matcher: Matcher,
    /// (byte range in the query, replacement) for "did you mean".
    corrections: Vec<(usize, usize, String)>,
    year_min: Option<u16>,
    year_max: Option<u16>,
    /// Query words that matched no dictionary term at all.
    unmatched_words: usize,
}

struct Planner<'a, 'i> {
    dictionary: &'a Dictionary<'i>,
    ranking: crate::index::Ranking,
    plan: Plan,
}

impl Planner<'_, '_> {
    /// Expands one word. `open` lets it match as a prefix; `fuzzy` allows typos.
    fn expand(&mut self, term: &str, open: bool, fuzzy: bool) -> Vec<(Expansion, f32)> {
        let r = self.ranking;
        let mut members = Vec::new();
        let mut seen = HashSet::default();
        if let Some(offset) = self.dictionary.exact(term) {
            seen.insert(offset);
            members.push((Expansion { term: Some(term.to_string()), offset, kind: MatchKind::Exact }, 1.0));
            self.plan.matcher.terms.insert(term.to_string());
        }
        let stem = text::stem(term);
        for offset in self.dictionary.stem_members(&stem) {
            if seen.insert(offset) {
                members.push((Expansion { term: None, offset, kind: MatchKind::Stem }, r.stem_weight));
            }
        }
        if stem != term {
            self.plan.matcher.stems.insert(stem.into_owned());
        } else if members.len() > 1 {
            self.plan.matcher.stems.insert(term.to_string());
        }
        if open {
            for (completion, offset) in self.dictionary.completions(term) {
                if seen.insert(offset) {
                    self.plan.matcher.terms.insert(completion.clone());
                    members.push((Expansion { term: Some(completion), offset, kind: MatchKind::Prefix }, r.prefix_weight));
                }
            }
        }
        // A word still being typed gets one character less of typo budget: its end is unknown,
        // and fuzzy completions of short stubs match half the dictionary.
        // A word that is itself in the dictionary is most likely spelled as meant: it gets one
        // typo less, which keeps distance-2 automata (the costliest expansion) for words that
        // need them.
        let chars = term.chars().count();
        let known = members.first().is_some_and(|(e, _)| e.kind == MatchKind::Exact);
        let budget = if !fuzzy {
            0
        } else {
            let budget = if open { typo_budget(chars.saturating_sub(1)) } else { typo_budget(chars) };
            budget.saturating_sub(u8::from(known))
        };
        if budget > 0 {
            for (candidate, offset, distance) in self.dictionary.fuzzy(term, budget, open) {
                if seen.insert(offset) {
                    self.plan.matcher.terms.insert(candidate.clone());
                    let weight = r.typo_weight.powi(i32::from(distance));
                    members.push((Expansion { term: Some(candidate), offset, kind: MatchKind::Fuzzy(distance) }, weight));
                }
            }
        }
        members
    }

    /// The best single correction for a word with no exact or stem match.
    fn correction(&self, term: &str) -> Option<String> {
        let budget = typo_budget(term.chars().count()).max(1);
        self.dictionary
            .fuzzy(term, budget, false)
            .into_iter()
            .next()
            .map(|(candidate, _, _)| candidate)
    }

    fn text_clause(&mut self, text: &str, base: usize, field: Option<Field>, open_last: bool, options: &SearchOptions) {
        let tokens = text::tokenize(text);
        let words = words_of(&tokens);
        let last = words.len().saturating_sub(1);
        let any_content = words.iter().any(|w| !text::is_stop_word(&w.whole.term));
        for (i, word) in words.iter().enumerate() {
            let open = open_last && i == last && options.prefix;
            // Stop words add little and cost a long postings list; they are dropped unless the
            // query has nothing else, or the word is still being typed.
            if any_content && !open && field.is_none() && text::is_stop_word(&word.whole.term) {
                continue;
            }
            let members = self.expand(&word.whole.term, open, options.fuzzy);
            let found_exactly = members.iter().any(|(e, _)| matches!(e.kind, MatchKind::Exact | MatchKind::Stem));
            if !found_exactly && !word.parts.is_empty() {
                // An unknown compound (`gpt-4o`) falls back to its parts, which are indexed too.
                for part in &word.parts {
                    let members = self.expand(&part.term, false, false);
                    self.plan.groups.push(Group { members, field, required: field.is_some(), boost: 1.0 });
                }
                continue;
            }
            let found_any = !members.is_empty();
            // A word still being typed is corrected only when nothing starts with it either.
            let completes = members.iter().any(|(e, _)| e.kind == MatchKind::Prefix);
            if !found_exactly && !completes {
                // The word's typo matches are already the closest and most frequent first, which
                // is what a correction is: reuse them rather than walk the automaton again.
                let nearest = members.iter().find_map(|(e, _)| match (&e.kind, &e.term) {
                    (MatchKind::Fuzzy(_), Some(term)) => Some(term.clone()),
                    _ => None,
                });
                if let Some(better) = nearest.or_else(|| self.correction(&word.whole.term)) {
                    self.plan.corrections.push((base + word.whole.start, base + word.whole.end, better));
                }
            }
            if !found_any {
                self.plan.unmatched_words += 1;
            }
            if found_any || field.is_some() {
                self.plan.groups.push(Group { members, field, required: field.is_some(), boost: 1.0 });
            }
        }
    }

    fn phrase(&mut self, text: &str, field: Option<Field>) -> Option<Phrase> {
        let tokens = text::tokenize(text);
        let words = words_of(&tokens);
        let mut phrase = Vec::new();
        for word in &words {
            if word.parts.is_empty() {
                phrase.push((word.whole.position, word.whole.term.clone()));
            } else {
                phrase.extend(word.parts.iter().map(|p| (p.position, p.term.clone())));
            }
        }
        let first = phrase.first()?.0;
        Some(Phrase { words: phrase.into_iter().map(|(p, t)| (p - first, t)).collect(), field })
    }
}

fn plan(index_dictionary: &Dictionary<'_>, ranking: crate::index::Ranking, query: &str, options: &SearchOptions) -> Plan {
    let parsed = query::parse(query);
    let mut planner = Planner { dictionary: index_dictionary, ranking, plan: Plan::default() };
    planner.plan.year_min = parsed.year_min;
    planner.plan.year_max = parsed.year_max;
    let last_text = parsed.clauses.iter().rposition(|c| matches!(c, Clause::Text { .. }));
    // Clause texts are slices of the query, in order: find each after the previous one.
    let mut cursor = 0;
    for (i, clause) in parsed.clauses.iter().enumerate() {
        match clause {
            Clause::Text { text, field } => {
                let base = query.get(cursor..).and_then(|rest| rest.find(text.as_str())).map_or(0, |at| cursor + at);
                cursor = base + text.len();
                let open = parsed.last_word_open && Some(i) == last_text;
                planner.text_clause(text, base, *field, open, options);
            }
            Clause::Phrase { text, field } => {
                if let Some(phrase) = planner.phrase(text, *field) {
                    for (_, term) in &phrase.words {
                        let members = planner.expand(term, false, false);
                        planner.plan.groups.push(Group { members, field: *field, required: true, boost: 1.0 });
                    }
                    planner.plan.phrases.push(phrase);
                }
            }
            Clause::Exclude { text, phrase, field } => {
                if *phrase {
                    if let Some(p) = planner.phrase(text, *field) {
                        planner.plan.excluded_phrases.push(p);
                    }
                } else {
                    let matcher = std::mem::take(&mut planner.plan.matcher);
                    for token in text::tokenize(text).iter().filter(|t| t.kind == TokenKind::Whole) {
                        let members = planner.expand(&token.term, false, false);
                        planner.plan.excluded.push(Group { members, field: *field, required: false, boost: 0.0 });
                    }
                    // Excluded words are not highlighted.
                    planner.plan.matcher = matcher;
                }
            }
        }
    }
    for name in &options.authors {
        for token in text::tokenize(name).iter().filter(|t| t.kind == TokenKind::Whole) {
            let members = planner.expand(&token.term, false, false);
            planner.plan.groups.push(Group { members, field: Some(Field::Authors), required: true, boost: 0.0 });
        }
    }
    // Required groups first, so their bits fit in the match mask.
    planner.plan.groups.sort_by_key(|g| !g.required);
    planner.plan
}

/// Per-document accumulators, reused across groups.
struct Scores {
    total: Vec<f32>,
    matched: Vec<u64>,
    group_tf: Vec<f32>,
    touched: Vec<u32>,
    /// Every document any group touched, once: the only candidates unless the query is filters only.
    reached: Vec<u32>,
}

fn field_range(field: Option<Field>) -> std::ops::Range<usize> {
    match field {
        Some(f) => f as usize..f as usize + 1,
        None => 0..FIELD_COUNT,
    }
}

/// Adds one group's BM25F contribution to `scores`, marking bit `bit` for the documents it touches.
fn score_group<D: AsRef<[u8]>>(index: &Index<D>, dictionary: &Dictionary<'_>, group: &Group, bit: Option<u32>, scores: &mut Scores) {
    let ranking = index.ranking();
    let store = index.store();
    let docs = scores.total.len() as u32;
    for (member, weight) in &group.members {
        for posting in postings::read(dictionary.postings(), member.offset) {
            if posting.doc >= docs {
                break;
            }
            let norms = store.norms(posting.doc);
            let mut tf = 0.0;
            for f in field_range(group.field) {
                let freq = posting.freqs[f];
                if freq > 0 {
                    // A field restriction counts the field even when its default weight is 0 (venue).
                    let field_weight = if group.field.is_some() { ranking.field_weights[f].max(1.0) } else { ranking.field_weights[f] };
                    tf += field_weight * freq as f32 * index.norm_factor(f, norms[f]);
                }
            }
            if tf <= 0.0 {
                continue;
            }
            let slot = &mut scores.group_tf[posting.doc as usize];
            if *slot == 0.0 {
                scores.touched.push(posting.doc);
            }
            *slot += weight * tf;
        }
    }
    let n = docs as f32;
    let df = scores.touched.len() as f32;
    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
    let k1 = ranking.k1;
    for &doc in &scores.touched {
        let tf = std::mem::replace(&mut scores.group_tf[doc as usize], 0.0);
        if scores.total[doc as usize] == 0.0 && scores.matched[doc as usize] == 0 {
            scores.reached.push(doc);
        }
        scores.total[doc as usize] += group.boost * idf * tf * (k1 + 1.0) / (k1 + tf);
        if let Some(bit) = bit {
            scores.matched[doc as usize] |= 1 << bit;
        }
    }
    scores.touched.clear();
}

/// Whether the stored text of `doc` contains `phrase` with its words adjacent.
fn contains_phrase<D: AsRef<[u8]>>(index: &Index<D>, doc: u32, phrase: &Phrase) -> bool {
    let store = index.store();
    let Some((_, title, abstract_text)) = store.texts(doc) else { return false };
    // Phrase checks run on every candidate, so authors and venue are decoded only when asked for.
    let authors = || store.authors(doc).unwrap_or_default();
    let record_venue;
    let texts: Vec<&str> = match phrase.field {
        Some(Field::Title) => vec![title],
        Some(Field::Abstract) => vec![abstract_text],
        Some(Field::Authors) => authors(),
        Some(Field::Venue) => {
            record_venue = index.record(doc).and_then(|r| r.venue).unwrap_or_default();
            vec![record_venue.as_str()]
        }
        None => {
            let mut all = vec![title, abstract_text];
            all.extend(authors());
            all
        }
    };
    texts.into_iter().any(|text| snippet::contains_phrase(text, &phrase.words))
}

/// Runs `query` against `index`.
pub(crate) fn run<D: AsRef<[u8]>>(index: &Index<D>, query: &str, options: &SearchOptions) -> SearchResults {
    let dictionary = index.dictionary();
    let store = index.store();
    let docs = index.doc_count();
    let plan = plan(&dictionary, index.ranking(), query, options);

    let venue_filter: Option<HashSet<u32>> = (!options.venues.is_empty()).then(|| {
        let names = store.venue_names();
        options
            .venues
            .iter()
            .filter_map(|v| names.iter().position(|n| n == v).map(|i| i as u32 + 1))
            .collect()
    });
    let year_min = plan.year_min.max(options.year_min);
    let year_max = match (plan.year_max, options.year_max) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let passes_filters = |doc: u32| {
        if year_min.is_some() || year_max.is_some() {
            let Some(year) = store.year(doc) else { return false };
            if year_min.is_some_and(|min| year < min) || year_max.is_some_and(|max| year > max) {
                return false;
            }
        }
        venue_filter.as_ref().is_none_or(|set| set.contains(&store.venue_ordinal(doc)))
    };

    let mut scores = Scores { total: vec![0.0; docs], matched: vec![0; docs], group_tf: vec![0.0; docs], touched: Vec::new(), reached: Vec::new() };
    let mut required_mask = 0u64;
    for (i, group) in plan.groups.iter().enumerate() {
        let bit = (group.required && i < 62).then_some(i as u32);
        if let Some(bit) = bit {
            required_mask |= 1 << bit;
        }
        score_group(index, &dictionary, group, bit, &mut scores);
    }
    // With no scored words (`year:2020`, or an author filter alone), every paper that passes the
    // filters matches. Words that matched nothing at all match nothing.
    let filter_only = !plan.groups.iter().any(|g| g.boost > 0.0);
    let has_constraints = !plan.groups.is_empty() || year_min.is_some() || year_max.is_some() || venue_filter.is_some();
    let searchable = has_constraints && !(filter_only && plan.unmatched_words > 0);

    let mut excluded = vec![false; if plan.excluded.is_empty() { 0 } else { docs }];
    for group in &plan.excluded {
        for (member, _) in &group.members {
            for posting in postings::read(dictionary.postings(), member.offset) {
                let in_field = field_range(group.field).any(|f| posting.freqs[f] > 0);
                if let (true, Some(slot)) = (in_field, excluded.get_mut(posting.doc as usize)) {
                    *slot = true;
                }
            }
        }
    }

    let mut candidates: Vec<(f32, u32)> = Vec::new();
    if searchable {
        let all: Vec<u32>;
        let pool = if filter_only {
            all = (0..docs as u32).collect();
            &all
        } else {
            &scores.reached
        };
        for &doc in pool {
            let d = doc as usize;
            if scores.matched[d] & required_mask != required_mask || !(filter_only || scores.total[d] > 0.0) {
                continue;
            }
            if excluded.get(d).copied().unwrap_or(false) || !passes_filters(doc) {
                continue;
            }
            if !plan.phrases.iter().all(|p| contains_phrase(index, doc, p)) {
                continue;
            }
            if plan.excluded_phrases.iter().any(|p| contains_phrase(index, doc, p)) {
                continue;
            }
            candidates.push((scores.total[d], doc));
        }
    }

    // An empty query matches nothing, but its facets describe the whole corpus (for filter UIs).
    let facets = options.facets.then(|| {
        if searchable || plan.unmatched_words > 0 {
            facet_counts(&store, &candidates)
        } else {
            let all: Vec<(f32, u32)> = (0..docs as u32).map(|doc| (0.0, doc)).collect();
            facet_counts(&store, &all)
        }
    });
    let total = candidates.len();
    let wanted = options.offset.saturating_add(options.limit).min(total);
    let order = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if wanted > 0 && wanted < total {
        candidates.select_nth_unstable_by(wanted - 1, order);
        candidates.truncate(wanted);
    }
    candidates.sort_unstable_by(order);
    let hits = candidates
        .into_iter()
        .skip(options.offset)
        .filter_map(|(score, doc)| hit(index, doc, score, &plan.matcher, options))
        .collect();

    let suggestion = (!plan.corrections.is_empty()).then(|| {
        let mut corrected = String::with_capacity(query.len());
        let mut at = 0;
        for (start, end, replacement) in &plan.corrections {
            if *start < at || !query.is_char_boundary(*start) || !query.is_char_boundary(*end) {
                continue;
            }
            corrected.push_str(&query[at..*start]);
            corrected.push_str(replacement);
            at = *end;
        }
        corrected.push_str(&query[at..]);
        corrected
    });
    SearchResults { total, hits, facets, suggestion: suggestion.filter(|s| s != query) }
}

fn facet_counts(store: &crate::store::Store<'_>, candidates: &[(f32, u32)]) -> Facets {
    let mut years = std::collections::BTreeMap::<u16, u32>::new();
    let names = store.venue_names();
    let mut venues = vec![0u32; names.len() + 1];
    for &(_, doc) in candidates {
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

fn hit<D: AsRef<[u8]>>(index: &Index<D>, doc: u32, score: f32, matcher: &Matcher, options: &SearchOptions) -> Option<Hit> {
    let record = index.record(doc)?;
    let (highlights, snippet) = if options.highlight {
        (matcher.highlight(&record.title), snippet::best_window(&record.abstract_text, matcher, options.snippet_chars))
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
