//! The benchmark query classes: queries drawn from an index's own titles with a seeded
//! generator, so every benchmark (criterion, the JS harness through `papersift eval
//! --write-classes`) times the same kinds of queries on every machine.
//!
//! A trailing space marks a finished word: without it the engine treats the last word as still
//! being typed and also expands it as a prefix. Only `prefix`, `typo-typing` and the keystrokes
//! of `typing` leave it off. `typing` is the one class whose queries are timed in order: each
//! keystroke may reuse what the one before computed ([`crate::search::execute_reusing`]).
//! Typos come from the same one-edit model as [`crate::eval::with_typos`].

use std::collections::BTreeSet;

use serde::Serialize;

use crate::eval::{edit, SplitMix64, TYPO_MIN_LETTERS};
use crate::text::{self, TokenKind};
use crate::Index;

/// One class of queries, timed together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryClass {
    /// Short name, used as the benchmark id (`exact`, `two-word`, `prefix`, `typo`,
    /// `typo-typing`, `phrase`, `typing`, `typing-scratch`).
    pub name: &'static str,
    /// What the class holds.
    pub about: &'static str,
    /// The queries, distinct. Fewer than asked for when the titles cannot supply them.
    pub queries: Vec<String>,
}

/// A title word: its term, and its byte range and position in the title.
struct TitleWord {
    term: String,
    start: usize,
    end: usize,
    position: u32,
}

/// Whole-word tokens of a title, through the engine's own tokenizer so every word is an index term.
fn title_words(title: &str) -> Vec<TitleWord> {
    text::tokenize(title)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Whole)
        .map(|t| TitleWord { term: t.term, start: t.start, end: t.end, position: t.position })
        .collect()
}

fn is_plain_word(term: &str) -> bool {
    term.bytes().all(|b| b.is_ascii_lowercase()) && !text::is_stop_word(term)
}

/// Draws up to `n` distinct queries with `draw`, which may decline a draw with `None`.
fn draw_set(n: usize, rng: &mut SplitMix64, mut draw: impl FnMut(&mut SplitMix64) -> Option<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for _ in 0..200_000 {
        if out.len() == n {
            break;
        }
        if let Some(query) = draw(rng) {
            if seen.insert(query.clone()) {
                out.push(query);
            }
        }
    }
    out
}

/// `per_class` queries of each class, drawn from the titles stored in `index` with `seed`.
///
/// ```
/// use papersift_core::builder::{build_index, BuildOptions, Source};
/// use papersift_core::{workload, Index};
/// let jsonl = "{\"id\":\"a\",\"title\":\"Model merging with task arithmetic\"}\n{\"id\":\"b\",\"title\":\"Sparse attention kernels\"}";
/// let (bytes, _) = build_index(vec![Source::from_bytes("p.jsonl", jsonl.as_bytes())], &BuildOptions::default()).unwrap();
/// let classes = workload::query_classes(&Index::from_bytes(bytes).unwrap(), 2, 1);
/// assert_eq!(classes[0].name, "exact");
/// // Two queries a class; the typing classes hold every keystroke of the words they type.
/// assert!(classes.iter().filter(|c| !c.name.starts_with("typing")).all(|c| c.queries.len() <= 2));
/// ```
pub fn query_classes<D: AsRef<[u8]>>(index: &Index<D>, per_class: usize, seed: u64) -> Vec<QueryClass> {
    let dictionary = index.dictionary();
    let records: Vec<String> =
        (0..index.doc_count() as u32).filter_map(|doc| index.record(doc)).map(|r| r.title).collect();
    let titles: Vec<(&str, Vec<TitleWord>)> =
        records.iter().map(|title| (title.as_str(), title_words(title))).filter(|(_, w)| !w.is_empty()).collect();
    if titles.is_empty() {
        return Vec::new();
    }
    let vocabulary: BTreeSet<&str> = titles
        .iter()
        .flat_map(|(_, words)| words.iter().map(|w| w.term.as_str()))
        .filter(|t| is_plain_word(t))
        .collect();
    let doc_freq = |term: &str| dictionary.lookup(term).map_or(0, |value| value.doc_freq);

    let mut by_freq: Vec<(u32, &str)> = vocabulary.iter().filter(|t| t.len() >= 4).map(|t| (doc_freq(t), *t)).collect();
    by_freq.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let common: Vec<&str> = by_freq.iter().take(200).map(|(_, t)| *t).collect();
    let rare: Vec<&str> = by_freq.iter().filter(|(df, t)| *df <= 2 && t.len() >= 6).map(|(_, t)| *t).collect();

    let mut rng = SplitMix64::new(seed);
    let random_title = |rng: &mut SplitMix64| &titles[rng.below(titles.len())];
    let pick = |words: &[&str], rng: &mut SplitMix64| {
        (!words.is_empty()).then(|| format!("{} ", words[rng.below(words.len())]))
    };
    let mut exact = draw_set(per_class.div_ceil(2), &mut rng, |rng| pick(&common, rng));
    let rare_wanted = per_class - exact.len();
    exact.extend(
        draw_set(rare_wanted, &mut rng, |rng| pick(&rare, rng))
            .into_iter()
            .filter(|q| !exact.contains(q))
            .collect::<Vec<_>>(),
    );

    let two_word = draw_set(per_class, &mut rng, |rng| {
        let plain: Vec<&TitleWord> =
            random_title(rng).1.iter().filter(|w| is_plain_word(&w.term) && w.term.len() >= 3).collect();
        (plain.len() >= 2).then(|| {
            let i = rng.below(plain.len() - 1);
            format!("{} {} ", plain[i].term, plain[i + 1].term)
        })
    });

    let prefix = draw_set(per_class, &mut rng, |rng| {
        let words = &random_title(rng).1;
        let word = &words[rng.below(words.len())].term;
        let stub = 3 + rng.below(3);
        (is_plain_word(word) && word.len() >= stub + 2).then(|| word[..stub].to_string())
    });

    let typo = draw_set(per_class, &mut rng, |rng| {
        let words = &random_title(rng).1;
        let word = &words[rng.below(words.len())].term;
        if !is_plain_word(word) || word.len() < TYPO_MIN_LETTERS {
            return None;
        }
        let mut letters: Vec<char> = word.chars().collect();
        edit(&mut letters, rng);
        let typo: String = letters.into_iter().collect();
        // A typo that is itself a dictionary word would be an exact query.
        if dictionary.exact(&typo).is_some() {
            return None;
        }
        Some(format!("{typo} "))
    });
    let typo_typing: Vec<String> = typo.iter().map(|q| q.trim_end().to_string()).collect();

    let phrase = draw_set(per_class, &mut rng, |rng| {
        let (title, words) = random_title(rng);
        let len = 2 + rng.below(2);
        if words.len() < len {
            return None;
        }
        let first = rng.below(words.len() - len + 1);
        let run = &words[first..first + len];
        let adjacent = run.windows(2).all(|w| w[1].position == w[0].position + 1);
        let text = &title[run[0].start..run[len - 1].end];
        let plain = text.chars().all(|c| c.is_alphanumeric() || c == ' ');
        let content = run.iter().any(|w| is_plain_word(&w.term));
        (adjacent && plain && content).then(|| format!("\"{}\"", text.to_lowercase()))
    });

    // Two adjacent title words typed one letter at a time: `m`, `mo`, … `model `, `model m`, …
    // `model merging`. Each keystroke is a query, timed in typing order (`typing`: each may reuse
    // the one before) and again dealt round-robin across the sequences (`typing-scratch`: the
    // same queries, each after another sequence's, so none follows its own prefix).
    let sequences = draw_set(per_class.div_ceil(10), &mut rng, |rng| {
        let plain: Vec<&TitleWord> =
            random_title(rng).1.iter().filter(|w| is_plain_word(&w.term) && w.term.len() >= 4).collect();
        (plain.len() >= 2).then(|| {
            let i = rng.below(plain.len() - 1);
            format!("{} {}", plain[i].term, plain[i + 1].term)
        })
    });
    let keystrokes = |typed: &String| -> Vec<String> {
        typed.char_indices().skip(1).map(|(i, _)| typed[..i].to_string()).chain([typed.clone()]).collect()
    };
    let typed: Vec<Vec<String>> = sequences.iter().map(keystrokes).collect();
    let typing: Vec<String> = typed.iter().flatten().cloned().collect();
    let longest = typed.iter().map(Vec::len).max().unwrap_or(0);
    let typing_scratch: Vec<String> =
        (0..longest).flat_map(|k| typed.iter().filter_map(move |sequence| sequence.get(k).cloned())).collect();

    vec![
        QueryClass {
            name: "exact",
            about: "one finished word: half among the 200 most frequent title words, half in at most 2 papers",
            queries: exact,
        },
        QueryClass { name: "two-word", about: "two adjacent title words, finished", queries: two_word },
        QueryClass { name: "prefix", about: "a 3-5 letter stub of a title word, still being typed", queries: prefix },
        QueryClass { name: "typo", about: "a title word of 5+ letters with one edit, finished", queries: typo },
        QueryClass {
            name: "typo-typing",
            about: "the same typos without the trailing space (also expanded as a fuzzy prefix)",
            queries: typo_typing,
        },
        QueryClass { name: "phrase", about: "a quoted run of 2-3 adjacent title words", queries: phrase },
        QueryClass {
            name: "typing",
            about: "two adjacent title words typed a letter at a time, each keystroke a query, in typing order",
            queries: typing,
        },
        QueryClass {
            name: "typing-scratch",
            about: "the same keystrokes, each after another title's (none follows its own prefix)",
            queries: typing_scratch,
        },
    ]
}

/// Queries of the worst case the engine's limits allow, drawn from the titles stored in `index`
/// (so their words are real terms with real postings lists), `per_class` of each class:
///
/// | class | what it holds |
/// |---|---|
/// | `long-query` | a 1 MB query of title text |
/// | `many-words` | 10,000 title words |
/// | `many-quotes` | 10,000 quoted title words, each a phrase |
/// | `many-prefixes` | 10,000 stubs like `a* mo*`, ending in one being typed |
/// | `long-words` | words of 1,000 letters, finished or being typed |
/// | `unicode` | 100 KB of combining marks, right-to-left text, emoji with joiners, controls and NUL around title words |
/// | `common-words` | the most frequent title words, as many as are searched (the longest postings lists) |
/// | `common-phrase` | the most frequent adjacent title words quoted (the most candidates to verify) |
///
/// Time them against [`query_classes`]' `two-word` to see what the limits cost
/// (`crates/papersift-core/benches/search.rs`).
///
/// ```
/// use papersift_core::builder::{build_index, BuildOptions, Source};
/// use papersift_core::{workload, Index};
/// let jsonl = "{\"id\":\"a\",\"title\":\"Model merging with task arithmetic\"}";
/// let (bytes, _) = build_index(vec![Source::from_bytes("p.jsonl", jsonl.as_bytes())], &BuildOptions::default()).unwrap();
/// let classes = workload::worst_case_classes(&Index::from_bytes(bytes).unwrap(), 2, 1);
/// assert_eq!(classes[0].name, "long-query");
/// assert!(classes[0].queries[0].len() >= 1 << 20);
/// ```
pub fn worst_case_classes<D: AsRef<[u8]>>(index: &Index<D>, per_class: usize, seed: u64) -> Vec<QueryClass> {
    let dictionary = index.dictionary();
    let mut rng = SplitMix64::new(seed);
    let titles: Vec<String> =
        (0..index.doc_count() as u32).filter_map(|doc| index.record(doc)).map(|r| r.title).collect();
    let words: Vec<String> =
        titles.iter().flat_map(|t| title_words(t)).map(|w| w.term).filter(|t| is_plain_word(t)).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let doc_freq = |term: &str| dictionary.lookup(term).map_or(0, |value| value.doc_freq);
    let mut by_freq: Vec<(u32, String)> = words.iter().map(|w| (doc_freq(w), w.clone())).collect();
    by_freq.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    by_freq.dedup_by(|a, b| a.1 == b.1);
    let mut pairs: std::collections::BTreeMap<(String, String), u32> = std::collections::BTreeMap::new();
    for title in &titles {
        let run = title_words(title);
        for pair in run.windows(2).filter(|p| p[1].position == p[0].position + 1) {
            if is_plain_word(&pair[0].term) && is_plain_word(&pair[1].term) {
                *pairs.entry((pair[0].term.clone(), pair[1].term.clone())).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<((String, String), u32)> = pairs.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    // Title words drawn at random, with the one generator, so the classes are reproducible.
    let draw = |n: usize, rng: &mut SplitMix64| -> Vec<String> {
        (0..n).map(|_| words[rng.below(words.len())].clone()).collect()
    };
    let mut class = |make: &mut dyn FnMut(usize, &mut SplitMix64) -> String| -> Vec<String> {
        (0..per_class).map(|i| make(i, &mut rng)).collect()
    };
    let long_query = class(&mut |_, rng| {
        let mut query = String::new();
        while query.len() < 1 << 20 {
            query.push_str(&draw(64, rng).join(" "));
            query.push(' ');
        }
        query
    });
    let many_words = class(&mut |_, rng| draw(10_000, rng).join(" ") + " ");
    let many_quotes =
        class(&mut |_, rng| draw(10_000, rng).iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" "));
    let many_prefixes = class(&mut |_, rng| {
        let stubs: Vec<String> = draw(10_000, rng).iter().map(|w| format!("{}*", &w[..w.len().min(2)])).collect();
        stubs.join(" ") + " " + &draw(1, rng)[0][..1]
    });
    let long_words = class(&mut |i, rng| {
        let long = |word: &str| word.repeat(1_000usize.div_ceil(word.len()))[..1_000].to_string();
        let picked = draw(3, rng);
        let query = picked.iter().map(|w| long(w)).collect::<Vec<_>>().join(" ");
        if i % 2 == 0 {
            query + " "
        } else {
            query
        }
    });
    let unicode = class(&mut |_, rng| {
        const SOUP: [&str; 8] = [
            "e\u{301}\u{302}\u{303}",
            "نموذج دمج",
            "👩\u{200d}👩\u{200d}👧\u{200d}👦",
            "🏳\u{fe0f}\u{200d}🌈",
            "\u{202e}\u{2066}",
            "\u{0}\u{1}\u{7f}\u{85}",
            "\u{d7ff}\u{e000}\u{fffd}\u{10ffff}",
            "\u{2028}\u{feff}",
        ];
        let mut query = String::new();
        while query.len() < 100_000 {
            query.push_str(SOUP[rng.below(SOUP.len())]);
            query.push_str(&draw(1, rng)[0]);
            query.push(if rng.below(2) == 0 { ' ' } else { '\u{301}' });
        }
        query
    });
    let common_words = class(&mut |i, _| {
        let top: Vec<&str> =
            by_freq.iter().skip(i).take(crate::search::MAX_QUERY_WORDS).map(|(_, w)| w.as_str()).collect();
        top.join(" ") + " "
    });
    let common_phrase = class(&mut |i, _| match pairs.get(i) {
        Some(((a, b), _)) => format!("\"{a} {b}\""),
        None => format!("\"{}\"", by_freq[0].1),
    });
    vec![
        QueryClass { name: "long-query", about: "a 1 MB query of title text", queries: long_query },
        QueryClass { name: "many-words", about: "10,000 title words", queries: many_words },
        QueryClass { name: "many-quotes", about: "10,000 quoted title words, each a phrase", queries: many_quotes },
        QueryClass {
            name: "many-prefixes",
            about: "10,000 stubs like `mo*`, the last being typed",
            queries: many_prefixes,
        },
        QueryClass {
            name: "long-words",
            about: "three words of 1,000 letters, finished or being typed",
            queries: long_words,
        },
        QueryClass {
            name: "unicode",
            about:
                "100 KB of combining marks, right-to-left text, emoji with joiners, controls and NUL around title words",
            queries: unicode,
        },
        QueryClass {
            name: "common-words",
            about: "the most frequent title words, as many as are searched",
            queries: common_words,
        },
        QueryClass {
            name: "common-phrase",
            about: "the most frequent adjacent title words, quoted",
            queries: common_phrase,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::{build_index, BuildOptions, Source};

    fn daily_papers() -> Index {
        let text = include_str!("../../../data/daily_papers.txt");
        let (bytes, _) = build_index(
            vec![Source::from_bytes("daily_papers.txt", text.as_bytes())],
            &BuildOptions { skip_invalid: true, ..BuildOptions::default() },
        )
        .unwrap();
        Index::from_bytes(bytes).unwrap()
    }

    #[test]
    fn classes_are_deterministic_distinct_and_shaped_as_named() {
        let index = daily_papers();
        let classes = query_classes(&index, 10, 7);
        assert_eq!(classes, query_classes(&index, 10, 7));
        assert_ne!(classes, query_classes(&index, 10, 8));
        let names: Vec<&str> = classes.iter().map(|c| c.name).collect();
        assert_eq!(names, ["exact", "two-word", "prefix", "typo", "typo-typing", "phrase", "typing", "typing-scratch"]);
        for class in classes.iter().filter(|c| !c.name.starts_with("typing")) {
            assert_eq!(class.queries.len(), 10, "{}", class.name);
            let distinct: BTreeSet<&String> = class.queries.iter().collect();
            assert_eq!(distinct.len(), 10, "{}", class.name);
        }
        let by_name = |name: &str| &classes.iter().find(|c| c.name == name).unwrap().queries;
        assert!(by_name("prefix").iter().all(|q| (3..=5).contains(&q.len()) && !q.ends_with(' ')));
        assert!(by_name("exact").iter().all(|q| q.ends_with(' ') && q.split_whitespace().count() == 1));
        assert!(by_name("phrase").iter().all(|q| q.starts_with('"') && q.ends_with('"')));
        // Keystrokes: each extends the one before by a character, or starts a new sequence.
        let typing = by_name("typing");
        let starts = typing.iter().filter(|q| q.chars().count() == 1).count();
        assert_eq!(starts, 1, "per_class 10 types one sequence");
        assert!(typing
            .windows(2)
            .all(|w| w[1].starts_with(w[0].as_str()) && w[1].chars().count() == w[0].chars().count() + 1));
        assert!(typing.last().unwrap().split(' ').count() == 2);
        let mut scratch = by_name("typing-scratch").clone();
        let mut sorted = typing.clone();
        scratch.sort();
        sorted.sort();
        assert_eq!(scratch, sorted, "the same keystrokes");
        for typo in by_name("typo") {
            assert!(index.dictionary().exact(typo.trim_end()).is_none(), "{typo} is not itself a word");
        }
    }

    #[test]
    fn worst_case_classes_pass_the_limits_they_are_named_for() {
        let index = daily_papers();
        let classes = worst_case_classes(&index, 2, 7);
        assert_eq!(classes, worst_case_classes(&index, 2, 7));
        let options = crate::SearchOptions::default();
        for class in &classes {
            assert_eq!(class.queries.len(), 2, "{}", class.name);
            for query in &class.queries {
                let results = index.search(query, &options);
                let cut = results.ignored_from.is_some();
                let expect_cut = !matches!(class.name, "long-words" | "common-words" | "common-phrase");
                assert_eq!(cut, expect_cut, "{}: {}", class.name, &query[..query.len().min(80)]);
            }
        }
        let by_name = |name: &str| &classes.iter().find(|c| c.name == name).unwrap().queries;
        assert!(by_name("long-query").iter().all(|q| q.len() >= 1 << 20));
        assert!(by_name("common-phrase").iter().all(|q| index.search(q, &options).total > 0));
    }
}
