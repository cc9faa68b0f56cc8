//! What the benches share: finding the data sets, building their indexes, and drawing query sets
//! from the papers themselves, deterministically, so every run times the same queries.
//!
//! The data lives outside the repository (`../shared/data`, or `PAPERSIFT_BENCH_DATA`). When it
//! is missing, benches say so loudly on stderr and skip what needs it instead of failing.
//! `PAPERSIFT_BENCH_SETS=scifact` limits a run to the named sets (comma-separated).
#![allow(dead_code)] // Each bench binary uses a different part of this module.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;

use papersift_core::builder::{build_index, BuildOptions, Source};
use papersift_core::expand::Dictionary;
use papersift_core::format::{Layout, Section};
use papersift_core::record::{read_records, InputFormat, Record};
use papersift_core::text::{self, TokenKind};

/// The sets the benches know, with their file inside the data directory.
pub const SETS: [(&str, &str); 2] = [("scifact", "scifact/papers.jsonl.gz"), ("arxiv_cs_daily", "arxiv_cs_daily/papers.jsonl.gz")];

/// One data set, decompressed and parsed.
pub struct Corpus {
    /// The set's folder name.
    pub name: &'static str,
    /// The records file, decompressed (JSON Lines).
    pub jsonl: Vec<u8>,
    /// The valid records, in file order.
    pub records: Vec<Record>,
}

impl Corpus {
    /// Builds the index as `papersift build --skip-invalid` does (a few records in the sets are empty).
    pub fn build(&self) -> Vec<u8> {
        let options = BuildOptions { skip_invalid: true };
        let (bytes, _) = build_index(vec![Source::from_bytes("papers.jsonl", &self.jsonl)], &options)
            .expect("skip_invalid builds never fail");
        bytes
    }
}

fn data_dir() -> PathBuf {
    match std::env::var_os("PAPERSIFT_BENCH_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}

fn wanted(name: &str) -> bool {
    match std::env::var("PAPERSIFT_BENCH_SETS") {
        Ok(list) => list.split(',').any(|n| n.trim() == name),
        Err(_) => true,
    }
}

/// Loads the set `name`, or explains on stderr why not and returns `None`.
pub fn load(name: &'static str) -> Option<Corpus> {
    let (_, file) = SETS.iter().find(|(n, _)| *n == name).expect("a set listed in SETS");
    if !wanted(name) {
        eprintln!("bench: skipping {name}: not in PAPERSIFT_BENCH_SETS");
        return None;
    }
    let path = data_dir().join(file);
    let compressed = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("\n!!! bench: SKIPPING every {name} benchmark: cannot read {} ({error}).", path.display());
            eprintln!("!!! bench: the data sets live in ../shared/data next to the repository; set PAPERSIFT_BENCH_DATA to where they are.\n");
            return None;
        }
    };
    let mut jsonl = Vec::new();
    flate2::read::GzDecoder::new(compressed.as_slice())
        .read_to_end(&mut jsonl)
        .unwrap_or_else(|e| panic!("{} is not valid gzip: {e}", path.display()));
    let records: Vec<Record> = read_records(name, Box::new(jsonl.as_slice()), Some(InputFormat::Jsonl))
        .filter_map(|item| item.ok().map(|(_, record)| record))
        .collect();
    Some(Corpus { name, jsonl, records })
}

/// The term dictionary of built index bytes.
pub fn dictionary(index: &[u8]) -> Dictionary<'_> {
    let layout = Layout::parse(index).expect("index bytes from the builder");
    let section = |s: Section| &index[layout.range(s)];
    let map = |s: Section| fst::Map::new(section(s)).expect("fst sections from the builder");
    Dictionary::new(map(Section::Terms), map(Section::Stems), section(Section::StemLists), section(Section::Postings))
}

/// The raw bytes of the term dictionary (an `fst::Map` from term to postings offset).
pub fn terms_fst(index: &[u8]) -> &[u8] {
    let layout = Layout::parse(index).expect("index bytes from the builder");
    &index[layout.range(Section::Terms)]
}

/// SplitMix64: a fixed-seed generator, so query sets are the same on every run without a `rand` dependency.
pub struct Rng(u64);

impl Rng {
    /// A generator with a fixed seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z % n as u64) as usize
    }
}

/// One class of queries, timed together.
pub struct QueryClass {
    /// Short name, used as the benchmark id.
    pub name: &'static str,
    /// What the class holds.
    pub about: &'static str,
    /// The queries.
    pub queries: Vec<String>,
}

/// Queries per class.
pub const QUERIES_PER_CLASS: usize = 20;

/// A title word: its term, and its byte range in the title.
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

/// Applies one edit (deletion, insertion, substitution or adjacent transposition) after the
/// first letter, as scripts/eval.sh's typo queries do.
fn one_typo(word: &str, rng: &mut Rng) -> String {
    let mut bytes = word.as_bytes().to_vec();
    let at = 1 + rng.below(bytes.len() - 1);
    let letter = b'a' + rng.below(26) as u8;
    match rng.below(4) {
        0 => {
            bytes.remove(at);
        }
        1 => bytes.insert(at, letter),
        2 => bytes[at] = letter,
        _ => {
            let at = at.min(bytes.len() - 2);
            bytes.swap(at, at + 1);
        }
    }
    String::from_utf8(bytes).expect("ASCII in, ASCII out")
}

/// Draws `QUERIES_PER_CLASS` distinct queries with `draw`, which may decline a draw with `None`.
fn draw_set(rng: &mut Rng, mut draw: impl FnMut(&mut Rng) -> Option<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for _ in 0..1_000_000 {
        if out.len() == QUERIES_PER_CLASS {
            break;
        }
        if let Some(query) = draw(rng) {
            if seen.insert(query.clone()) {
                out.push(query);
            }
        }
    }
    assert_eq!(out.len(), QUERIES_PER_CLASS, "could not draw enough queries");
    out
}

/// The query classes for a corpus, drawn from its titles with a fixed seed.
///
/// A trailing space marks a finished word: without it the engine treats the last word as still
/// being typed and also expands it as a prefix. Only `prefix` and `typo-typing` leave it off.
pub fn query_classes(corpus: &Corpus, index: &[u8]) -> Vec<QueryClass> {
    let dictionary = dictionary(index);
    let titles: Vec<(&str, Vec<TitleWord>)> =
        corpus.records.iter().map(|r| (r.title.as_str(), title_words(&r.title))).filter(|(_, w)| !w.is_empty()).collect();
    let vocabulary: BTreeSet<&str> =
        titles.iter().flat_map(|(_, words)| words.iter().map(|w| w.term.as_str())).filter(|t| is_plain_word(t)).collect();
    let doc_freq = |term: &str| dictionary.exact(term).map_or(0, |offset| dictionary.doc_freq(offset));

    let mut by_freq: Vec<(u32, &str)> =
        vocabulary.iter().filter(|t| t.len() >= 4).map(|t| (doc_freq(t), *t)).collect();
    by_freq.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let common: Vec<&str> = by_freq.iter().take(200).map(|(_, t)| *t).collect();
    let rare: Vec<&str> = by_freq.iter().filter(|(df, t)| *df <= 2 && t.len() >= 6).map(|(_, t)| *t).collect();

    let mut rng = Rng::new(0x9a9e_5157);
    let random_title = |rng: &mut Rng| &titles[rng.below(titles.len())];
    let mut exact = draw_set(&mut rng, |rng| Some(format!("{} ", common[rng.below(common.len())])));
    exact.truncate(QUERIES_PER_CLASS / 2);
    exact.extend(draw_set(&mut rng, |rng| Some(format!("{} ", rare[rng.below(rare.len())]))).into_iter().take(QUERIES_PER_CLASS / 2));

    let two_word = draw_set(&mut rng, |rng| {
        let plain: Vec<&TitleWord> = random_title(rng).1.iter().filter(|w| is_plain_word(&w.term) && w.term.len() >= 3).collect();
        (plain.len() >= 2).then(|| {
            let i = rng.below(plain.len() - 1);
            format!("{} {} ", plain[i].term, plain[i + 1].term)
        })
    });

    let prefix = draw_set(&mut rng, |rng| {
        let words = &random_title(rng).1;
        let word = &words[rng.below(words.len())].term;
        let stub = 3 + rng.below(3);
        (is_plain_word(word) && word.len() >= stub + 2).then(|| word[..stub].to_string())
    });

    let typo = draw_set(&mut rng, |rng| {
        let words = &random_title(rng).1;
        let word = &words[rng.below(words.len())].term;
        if !is_plain_word(word) || word.len() < 5 {
            return None;
        }
        let typo = one_typo(word, rng);
        // A typo that is itself a dictionary word would be an exact query.
        if dictionary.exact(&typo).is_some() {
            return None;
        }
        Some(format!("{typo} "))
    });
    let typo_typing: Vec<String> = typo.iter().map(|q| q.trim_end().to_string()).collect();

    let phrase = draw_set(&mut rng, |rng| {
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

    vec![
        QueryClass { name: "exact", about: "one finished word: 10 among the 200 most frequent title words, 10 in at most 2 papers", queries: exact },
        QueryClass { name: "two-word", about: "two adjacent title words, finished", queries: two_word },
        QueryClass { name: "prefix", about: "a 3-5 letter stub of a title word, still being typed", queries: prefix },
        QueryClass { name: "typo", about: "a title word of 5+ letters with one edit, finished", queries: typo },
        QueryClass { name: "typo-typing", about: "the same typos without the trailing space (also expanded as a fuzzy prefix)", queries: typo_typing },
        QueryClass { name: "phrase", about: "a quoted run of 2-3 adjacent title words", queries: phrase },
    ]
}
