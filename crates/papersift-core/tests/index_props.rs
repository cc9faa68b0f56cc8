//! Property tests over the whole engine: any query is safe, builds round-trip, and any damage to
//! index bytes is rejected with an error.

use std::sync::OnceLock;

use papersift_core::builder::{build_index, BuildOptions, IndexBuilder, Source};
use papersift_core::format::dictionary::{Chunk, DictionaryWriter, TermValue};
use papersift_core::termdict::Dictionary;
use papersift_core::{Index, Record, SearchOptions};
use proptest::prelude::*;

#[path = "support/daily_papers.rs"]
mod daily_papers;
use daily_papers::daily_papers_index;
#[path = "support/forged_crc.rs"]
mod forged_crc;
use forged_crc::forge_fst_checksum;

fn small_index_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let fixture = include_bytes!("../../../tests/fixtures/papers.jsonl");
        build_index(vec![Source::from_bytes("papers.jsonl", fixture)], &BuildOptions::default()).unwrap().0
    })
}

/// Query strings that lean on the syntax: quotes, fields, ranges, dashes, odd Unicode.
fn query_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z]{1,12}",
        Just("\"".to_string()),
        Just("-".to_string()),
        Just("title:".to_string()),
        Just("author:".to_string()),
        Just("venue:".to_string()),
        Just("year:".to_string()),
        "year:[0-9]{0,5}\\.\\.[0-9]{0,5}",
        Just("..".to_string()),
        Just(" ".to_string()),
        "\\PC{1,6}",
        Just("GPT-4".to_string()),
        Just("Schrödinger".to_string()),
        Just("\u{0301}\u{200d}\u{fe0f}".to_string()),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

fn word() -> impl Strategy<Value = String> {
    "[a-z]{3,10}"
}

fn record_strategy() -> impl Strategy<Value = Record> {
    (
        prop::collection::vec(word(), 1..8),
        prop::collection::vec(word(), 0..30),
        prop::collection::vec("[A-Z][a-z]{2,8} [A-Z][a-z]{2,10}", 0..4),
        prop::option::of(1950u16..2030),
        prop::option::of("[A-Z]{2,6}"),
    )
        .prop_map(|(title, abstract_words, authors, year, venue)| Record {
            id: String::new(),
            title: title.join(" "),
            abstract_text: abstract_words.join(" "),
            authors,
            year,
            venue,
            ..Record::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_query_string_is_safe(query in query_strategy(), prefix: bool, fuzzy: bool, facets: bool) {
        let options = SearchOptions { prefix, fuzzy, facets, limit: 5, ..SearchOptions::default() };
        let results = daily_papers_index().search(&query, &options);
        prop_assert!(results.hits.len() <= 5);
        prop_assert!(results.total >= results.hits.len());
        for hit in &results.hits {
            for span in &hit.highlights {
                prop_assert!(span.start < span.end && hit.title.get(span.start..span.end).is_some());
            }
            for span in &hit.snippet.highlights {
                prop_assert!(span.start < span.end && hit.snippet.text.get(span.start..span.end).is_some());
            }
        }
    }

    #[test]
    fn any_unicode_query_is_safe(query in "\\PC{0,40}") {
        let results = daily_papers_index().search(&query, &SearchOptions::default());
        prop_assert!(results.total >= results.hits.len());
    }

    #[test]
    fn build_then_load_round_trips(records in prop::collection::vec(record_strategy(), 1..12)) {
        let mut builder = IndexBuilder::new();
        let records: Vec<Record> = records.into_iter().enumerate().map(|(i, r)| Record { id: format!("r{i}"), ..r }).collect();
        for record in &records {
            builder.add(record).unwrap();
        }
        let bytes = builder.finish().unwrap();
        let index = Index::from_bytes(bytes.as_slice()).unwrap();
        prop_assert_eq!(index.doc_count(), records.len());
        for (doc, record) in records.iter().enumerate() {
            prop_assert_eq!(index.record(doc as u32), Some(record.clone()));
            // Every record is found by its own title.
            let options = SearchOptions { limit: records.len(), fuzzy: false, prefix: false, ..SearchOptions::default() };
            let hits = index.search(&record.title, &options).hits;
            prop_assert!(hits.iter().any(|h| h.id == record.id), "{} not found by its title {:?}", record.id, record.title);
        }
    }

    #[test]
    fn corrupted_index_bytes_are_rejected(at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut bytes = small_index_bytes().to_vec();
        let i = at.index(bytes.len());
        bytes[i] ^= 1 << bit;
        prop_assert!(Index::from_bytes(bytes).is_err(), "flipping bit {bit} of byte {i} went unnoticed");
    }

    #[test]
    fn truncated_index_bytes_are_rejected(at in any::<prop::sample::Index>()) {
        let bytes = small_index_bytes();
        let len = at.index(bytes.len());
        prop_assert!(Index::from_bytes(&bytes[..len]).is_err());
    }

    #[test]
    fn arbitrary_bytes_are_rejected_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        prop_assert!(Index::from_bytes(bytes).is_err());
    }
}

/// Every bit of the container, flipped one at a time, is noticed: the header (a cleared
/// single-file flag once loaded the index as a bare root), the root, and each piece's header.
/// Piece bodies are covered by `corrupted_index_bytes_are_rejected`, by sampling.
#[test]
fn every_container_bit_flip_is_rejected() {
    let bytes = small_index_bytes();
    let file = papersift_core::format::IndexFile::parse(bytes).unwrap();
    let header = papersift_core::format::piece::HEADER_LEN;
    let mut positions: Vec<usize> = (0..file.root_range.end).collect();
    for range in file.inline.unwrap() {
        positions.extend(range.start..range.start + header);
    }
    let mut damaged = bytes.to_vec();
    let mut unnoticed = Vec::new();
    for i in positions {
        for bit in 0..8 {
            damaged[i] ^= 1 << bit;
            if Index::from_bytes(damaged.as_slice()).is_ok() {
                unnoticed.push((i, bit));
            }
            damaged[i] ^= 1 << bit;
        }
    }
    assert!(unnoticed.is_empty(), "(byte, bit) flips that went unnoticed: {unnoticed:?}");
}

/// Bytes after the last piece, or after a root that stands alone, are refused.
#[test]
fn trailing_bytes_are_rejected() {
    let mut bytes = small_index_bytes().to_vec();
    bytes.push(0);
    let message = Index::from_bytes(bytes).err().expect("trailing byte refused").to_string();
    assert!(message.contains("1 bytes follow the end of the index"), "{message}");
}

/// Whole-word terms of the default corpus's titles: query words that match something.
fn title_terms() -> &'static [String] {
    static TERMS: OnceLock<Vec<String>> = OnceLock::new();
    TERMS.get_or_init(|| {
        let index = daily_papers_index();
        let mut terms: Vec<String> = (0..index.doc_count() as u32)
            .filter_map(|doc| index.record(doc))
            .flat_map(|r| papersift_core::text::tokenize(&r.title))
            .map(|t| t.term)
            .filter(|t| t.len() >= 3 && t.bytes().all(|b| b.is_ascii_lowercase()))
            .collect();
        terms.sort();
        terms.dedup();
        terms
    })
}

/// Edit distance with adjacent transpositions (optimal string alignment), as the typo automata count.
fn typos(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
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

/// Whether a term of a stored text matches query word `word` by some rule of the engine: itself,
/// its stem, a completion (while typed), or within two typos (of a prefix, while typed).
fn is_a_match(term: &str, word: &str, open: bool) -> bool {
    use papersift_core::text::stem;
    let prefixes = || term.char_indices().map(|(i, _)| &term[..i]).chain([term]);
    term == word
        || stem(term) == stem(word)
        || (open && term.starts_with(word))
        || typos(term, word) <= 2
        || (open && prefixes().any(|p| typos(p, word) <= 2))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A highlight is exactly a match: every highlighted span of a title or snippet is a token that
    /// matches the query word (exactly, by stem, as a completion or within the typo budget), and
    /// every word of a title equal to the query word is highlighted.
    #[test]
    fn a_highlight_is_exactly_a_match(pick in any::<prop::sample::Index>(), edit in 0usize..4, at in any::<prop::sample::Index>(), finished: bool) {
        let terms = title_terms();
        let word = &terms[pick.index(terms.len())];
        let chars: Vec<char> = word.chars().collect();
        let i = at.index(chars.len() - 1);
        let query_word: String = match edit {
            0 => word.clone(),
            1 => chars[..(i + 1).max(3).min(chars.len())].iter().collect(),
            2 => chars.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, c)| c).collect(),
            _ => { let mut c = chars.clone(); c.swap(i, i + 1); c.into_iter().collect() }
        };
        let query = if finished { format!("{query_word} ") } else { query_word.clone() };
        let results = daily_papers_index().search(&query, &SearchOptions { limit: 10, ..SearchOptions::default() });
        for hit in &results.hits {
            for (text, spans) in [(&hit.title, &hit.highlights), (&hit.snippet.text, &hit.snippet.highlights)] {
                for span in spans {
                    let marked = &text[span.start..span.end];
                    let tokens = papersift_core::text::tokenize(marked);
                    prop_assert!(
                        tokens.iter().any(|t| is_a_match(&t.term, &query_word, !finished)),
                        "{query:?}: {marked:?} in {text:?} is highlighted but matches nothing"
                    );
                }
            }
            for token in papersift_core::text::tokenize(&hit.title) {
                if token.term == query_word {
                    prop_assert!(
                        hit.highlights.iter().any(|s| s.start <= token.start && token.end <= s.end),
                        "{query:?}: {:?} in {:?} is not highlighted", &hit.title[token.start..token.end], hit.title
                    );
                }
            }
        }
    }
}

/// A dictionary chunk whose terms fst has every kind of node: one-transition nodes with and
/// without outputs, nodes of a few transitions, a root of more than 32 (which carries an index of
/// 256 bytes), final nodes with outputs, multi-byte characters and a long chain. Returns the
/// chunk's body and where its terms fst lies in it.
fn varied_chunk() -> &'static (Vec<u8>, std::ops::Range<usize>) {
    static CHUNK: OnceLock<(Vec<u8>, std::ops::Range<usize>)> = OnceLock::new();
    CHUNK.get_or_init(|| {
        let mut terms: Vec<String> = "0123456789abcdefghijklmnopqrstuvwxyzéж"
            .chars()
            .flat_map(|c| {
                ["", "an", "and", "ant", "e", "ed", "ing", "s", "tion", "tions"].map(|suffix| format!("{c}{suffix}"))
            })
            .chain(["a".repeat(40), "transformer".into(), "transformers".into(), "transport".into()])
            .collect();
        terms.sort();
        terms.dedup();
        let mut writer = DictionaryWriter::default();
        for (i, term) in terms.iter().enumerate() {
            let value = TermValue { offset: i as u64 * 977, doc_freq: (i as u32 * 7919) % 300 };
            writer.term(term, value).unwrap();
        }
        writer.stem("transform", &[1, 5, 9]).unwrap();
        let body = writer.finish();
        let fst = Chunk::open(&body).unwrap().terms.as_fst().as_bytes().as_ptr_range();
        let start = fst.start as usize - body.as_ptr() as usize;
        let range = start..start + (fst.end as usize - fst.start as usize);
        (body, range)
    })
}

/// Every walk the engine makes of a terms fst, and a few more: the whole stream, `get` of each
/// key, a range, an automaton search, completions and typo lookups. None may panic or loop.
fn walk_every_way(chunk: Chunk<'_>) -> Result<(), TestCaseError> {
    use fst::{IntoStreamer, Streamer};
    let terms = &chunk.terms;
    let mut keys: Vec<(Vec<u8>, u64)> = Vec::new();
    let mut stream = terms.stream();
    while let Some((key, value)) = stream.next() {
        prop_assert!(keys.last().is_none_or(|(last, _)| last.as_slice() < key), "keys out of order");
        keys.push((key.to_vec(), value));
        prop_assert!(keys.len() <= terms.len(), "the stream gives more keys than the fst holds");
    }
    prop_assert_eq!(keys.len(), terms.len());
    for (key, value) in &keys {
        prop_assert_eq!(terms.get(key), Some(*value), "{:?} streamed, not found", key);
    }
    let mut range = terms.range().ge("e").lt("tr").into_stream();
    while range.next().is_some() {}
    use fst::Automaton;
    let automaton = fst::automaton::Str::new("t").starts_with().union(fst::automaton::Subsequence::new("an"));
    let mut search = terms.search(automaton).into_stream();
    while search.next().is_some() {}
    let dictionary = Dictionary::new(vec![chunk.clone()]);
    for prefix in ["", "a", "tra", "é"] {
        let _ = dictionary.completions(prefix);
    }
    for (word, distance, prefix) in [("and", 2, true), ("tion", 1, false), ("transfromer", 2, false)] {
        let _ = dictionary.fuzzy(word, distance, prefix);
    }
    let _ = dictionary.lookup("transformer");
    let _ = dictionary.stem_members("transform");
    Ok(())
}

#[test]
fn the_varied_terms_fst_passes_its_checks_and_every_walk() {
    let (body, _) = varied_chunk();
    let chunk = Chunk::check(body).unwrap();
    assert!(chunk.terms.len() > 350, "{}", chunk.terms.len());
    walk_every_way(chunk).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Random bytes written into a terms fst (its nodes, key count or root address), with the
    /// fst's CRC32C forged to match as libFuzzer's compare tracing does, are either refused when
    /// the chunk is checked at load or safe for every walk.
    #[test]
    fn a_terms_fst_with_a_forged_crc32c_is_refused_at_load_or_safe_to_walk(
        writes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), any::<bool>()), 1..4),
    ) {
        let (body, fst) = varied_chunk();
        let mut body = body.clone();
        // Leave the CRC32C itself (the last 4 bytes), which is forged below.
        let writable = fst.start..fst.end - 4;
        for (at, byte, flip_one_bit) in writes {
            let at = writable.start + at.index(writable.len());
            body[at] = if flip_one_bit { body[at] ^ (1 << (byte % 8)) } else { byte };
        }
        forge_fst_checksum(&mut body[fst.clone()]);
        if let Ok(chunk) = Chunk::check(&body) {
            walk_every_way(chunk)?;
        }
    }
}

#[test]
fn some_mutations_of_the_terms_fst_pass_its_checks_so_the_walks_above_are_tested() {
    // The property above walks only what the checks accept: flipping the low bit of each byte in
    // turn must leave some fsts accepted (outputs, inputs) and refuse others (widths, addresses).
    let (body, fst) = varied_chunk();
    let (mut accepted, mut refused) = (0, 0);
    for at in fst.start..fst.end - 4 {
        let mut body = body.clone();
        body[at] ^= 1;
        forge_fst_checksum(&mut body[fst.clone()]);
        match Chunk::check(&body) {
            Ok(chunk) => {
                accepted += 1;
                walk_every_way(chunk).unwrap();
            }
            Err(_) => refused += 1,
        }
    }
    assert!(accepted > 100 && refused > 100, "{accepted} accepted, {refused} refused");
}
