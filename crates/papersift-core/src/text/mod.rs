//! The one normalizer and tokenizer, shared by indexing, querying and highlighting.
//!
//! What this module decides is what is findable, so the index builder, the query side and the
//! snippet highlighter all call [`tokenize`] and never split text themselves.
//!
//! # Rules
//!
//! * **Normalization.** Each letter or digit is folded on its own: Unicode NFKD, combining marks
//!   dropped, lower-cased with [`char::to_lowercase`]. `Schrödinger` → `schrodinger`,
//!   `Erdős` → `erdos`, `ﬁ` → `fi`, full-width `ＢＥＲＴ` → `bert`. `ß` stays `ß`. Only letters
//!   and digits reach a term; symbols whose compatibility form has letters (`™`, `㎏`) separate
//!   words like any other punctuation.
//! * **Words.** A word is a run of letters and digits. Inside a word, these connectors join
//!   runs into one compound word: `-` and `_` (and the Unicode hyphens `‐`, `‑`), `.` between two
//!   digits (`3.1`), and an apostrophe (`'` or `’`) between two letters. A `.` next to a letter
//!   breaks the word (`model.The` is two words), as does any other character. Two connectors in
//!   a row (`a--b`) break it too.
//! * **Parts.** A compound word is split into parts at connectors and at letter↔digit
//!   boundaries; camelCase is not split. Digits joined by `.` stay one part (`3.1`).
//! * **Tokens.** Every word emits one [`TokenKind::Whole`] token, its parts concatenated
//!   (`GPT-4` → `gpt4`, `Llama-3.1-8B` → `llama3.18b`). A word with more than one part also
//!   emits a [`TokenKind::Part`] token per part (`gpt`, `4`), except single-letter parts (`k` of
//!   `k-NN`, `t` of `t5`), which are too frequent to be useful. A plain word emits exactly one
//!   token. So `GPT-4` is found by `gpt-4`, `gpt4` and `GPT 4`; `Llama-3.1` by `llama 3.1`,
//!   `llama-3.1` and `llama3.1` (through the parts `llama` and `3.1`).
//! * **Possessives.** A part `s` after an apostrophe is dropped: `Alzheimer's` → `alzheimer`
//!   (the token's span then ends before the apostrophe). Other apostrophes just join:
//!   `don't` → `dont`.
//! * **CJK.** Each Han ideograph, hiragana or katakana character is a word of its own.
//! * **Positions.** Consecutive words get consecutive positions. The parts of a compound take
//!   consecutive positions from the word's position (a dropped single-letter part keeps its
//!   slot), the whole takes the first part's position, and the next word continues after the
//!   last part. `GPT-4 model` → `gpt4`@0, `gpt`@0, `4`@1, `model`@2, like `GPT 4 model`.
//! * **Long words.** A term is cut to [`MAX_TERM_BYTES`] on a char boundary (never ending in
//!   `.`). A word whose whole term is longer than that (base64, glued URLs) emits only its cut
//!   whole, no parts, and takes one position.
//! * **Stop words** are not removed here; [`is_stop_word`] lets the caller decide.
//!
//! ```
//! use papersift_core::text::{tokenize, TokenKind};
//!
//! let text = "GPT-4 beats Schrödinger's cat";
//! let tokens = tokenize(text);
//! let terms: Vec<_> = tokens.iter().map(|t| (t.term.as_str(), t.position, t.kind)).collect();
//! assert_eq!(
//!     terms,
//!     [
//!         ("gpt4", 0, TokenKind::Whole),
//!         ("gpt", 0, TokenKind::Part),
//!         ("4", 1, TokenKind::Part),
//!         ("beats", 2, TokenKind::Whole),
//!         ("schrodinger", 3, TokenKind::Whole),
//!         ("cat", 4, TokenKind::Whole),
//!     ]
//! );
//! // Offsets point into the original text, for highlighting.
//! assert_eq!(&text[tokens[4].start..tokens[4].end], "Schrödinger");
//! ```

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

mod fold;

/// The longest term, in bytes. Longer words are cut to this length on a char boundary.
pub const MAX_TERM_BYTES: usize = 64;

/// How a token relates to the word it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// The whole word, connectors removed (`GPT-4` → `gpt4`, `ResNet50` → `resnet50`).
    Whole,
    /// A part of a compound word (`gpt` and `4` in `GPT-4`). Never emitted when equal to the whole.
    Part,
}

/// One token: a normalized term with the byte range it came from in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Normalized term: NFKD, diacritics removed, lower-cased.
    pub term: String,
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte in the original text.
    pub end: usize,
    /// Word position, for phrase checks.
    pub position: u32,
    /// Whole word or part of one.
    pub kind: TokenKind,
}

/// Splits `text` into tokens, in order of `start` (a whole comes before its first part).
///
/// ```
/// use papersift_core::text::tokenize;
///
/// let terms: Vec<String> = tokenize("ResNet50 on k-NN").into_iter().map(|t| t.term).collect();
/// assert_eq!(terms, ["resnet50", "resnet", "50", "on", "knn", "nn"]);
/// ```
pub fn tokenize(text: &str) -> Vec<Token> {
    // Roughly one token per 6 bytes of English prose; parts add a few more.
    let mut tokens = Vec::with_capacity(text.len() / 6 + 1);
    for_each_token(text, |token| tokens.push(token.to_owned()));
    tokens
}

/// A token whose term is borrowed from the tokenizer; see [`Token`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenRef<'a> {
    /// Normalized term.
    pub term: &'a str,
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte in the original text.
    pub end: usize,
    /// Word position, for phrase checks.
    pub position: u32,
    /// Whole word or part of one.
    pub kind: TokenKind,
}

impl TokenRef<'_> {
    /// An owned copy.
    pub fn to_owned(&self) -> Token {
        Token { term: self.term.to_owned(), start: self.start, end: self.end, position: self.position, kind: self.kind }
    }
}

/// Calls `on_token` with each token of `text`, in the order and with the values of [`tokenize`],
/// without allocating a string per token: the hot paths (indexing, highlighting) use this.
///
/// ```
/// use papersift_core::text::for_each_token;
///
/// let mut terms = Vec::new();
/// for_each_token("GPT-4 wins", |t| terms.push(t.term.to_string()));
/// assert_eq!(terms, ["gpt4", "gpt", "4", "wins"]);
/// ```
pub fn for_each_token(text: &str, mut on_token: impl FnMut(TokenRef<'_>)) {
    let mut position: u32 = 0;
    let mut whole = String::new();
    scan_words(text, &mut |word: &Word| {
        let segments = word.segments.as_slice();
        whole.clear();
        for segment in segments {
            whole.push_str(word.term_of(segment));
        }
        let long = cut_term(&mut whole);
        on_token(TokenRef {
            term: &whole,
            start: segments[0].start,
            end: segments[segments.len() - 1].end,
            position,
            kind: TokenKind::Whole,
        });
        if long || segments.len() == 1 {
            position = position.saturating_add(1);
            return;
        }
        for (offset, segment) in segments.iter().enumerate() {
            let term = word.term_of(segment);
            let single_letter = segment.class == CharClass::Letter && term.chars().nth(1).is_none();
            if !single_letter {
                on_token(TokenRef {
                    term,
                    start: segment.start,
                    end: segment.end,
                    position: position.saturating_add(offset as u32),
                    kind: TokenKind::Part,
                });
            }
        }
        position = position.saturating_add(segments.len() as u32);
    });
}

/// Normalizes one word as [`tokenize`] would: the result is the term of the word's
/// [`TokenKind::Whole`] token. Use it on the last, half-typed word of a query for prefix and
/// typo matching. Given several words, it returns their whole terms concatenated.
///
/// ```
/// use papersift_core::text::normalize;
///
/// assert_eq!(normalize("Schrödinger"), "schrodinger");
/// assert_eq!(normalize("GPT-4"), "gpt4");
/// assert_eq!(normalize("Alzheimer's"), "alzheimer");
/// ```
pub fn normalize(term: &str) -> String {
    let mut normalized = String::with_capacity(term.len());
    scan_words(term, &mut |word: &Word| {
        let start = normalized.len();
        for segment in &word.segments {
            normalized.push_str(word.term_of(segment));
        }
        // Cut each word as tokenize does, so a single word gives exactly its whole term.
        let mut cut = normalized.split_off(start);
        cut_term(&mut cut);
        normalized.push_str(&cut);
    });
    cut_term(&mut normalized);
    normalized
}

/// The English Snowball stem of a normalized term. Only lower-case ASCII words of three letters
/// or more are stemmed; terms with digits or other scripts are returned as they are.
///
/// ```
/// use papersift_core::text::stem;
///
/// assert_eq!(stem("merging"), "merg");
/// assert_eq!(stem("merged"), stem("merges"));
/// assert_eq!(stem("gpt4"), "gpt4");
/// ```
pub fn stem(term: &str) -> Cow<'_, str> {
    if term.len() < 3 || !term.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(term);
    }
    static STEMMER: OnceLock<rust_stemmers::Stemmer> = OnceLock::new();
    STEMMER
        .get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English))
        .stem(term)
}

/// English stop words: Lucene's classic list (without `no`, which is also nitric oxide, `NO`,
/// in the biomedical corpus) plus a few words every abstract has. Sorted, for binary search.
const STOP_WORDS: [&str; 41] = [
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "has", "have",
    "if", "in", "into", "is", "it", "its", "not", "of", "on", "or", "our", "such", "that", "the",
    "their", "then", "there", "these", "they", "this", "to", "was", "we", "were", "which", "will",
    "with",
];

/// Whether a normalized term is an English stop word.
///
/// ```
/// use papersift_core::text::is_stop_word;
///
/// assert!(is_stop_word("the"));
/// assert!(!is_stop_word("merging"));
/// ```
pub fn is_stop_word(term: &str) -> bool {
    STOP_WORDS.binary_search(&term).is_ok()
}

/// Cuts `term` to [`MAX_TERM_BYTES`] on a char boundary. A cut term never ends in `.` (a `.`
/// only joins two digits, so re-tokenizing the cut term must give it back). Returns whether it
/// was cut.
fn cut_term(term: &mut String) -> bool {
    if term.len() <= MAX_TERM_BYTES {
        return false;
    }
    let mut cut = MAX_TERM_BYTES;
    while !term.is_char_boundary(cut) {
        cut -= 1;
    }
    term.truncate(cut);
    while term.ends_with('.') {
        term.pop();
    }
    true
}

/// Folds one letter or digit: NFKD, combining marks dropped, lower-cased, NFKD again (`İ` → `i̇`
/// → `i`). Calls `emit` with each resulting letter or digit (none, one or several). The result is
/// stable: folding a folded char gives it back (tested over every char).
///
/// The decomposition data comes from tables generated from the `unicode-normalization` crate
/// (`examples/fold_table.rs`), holding only the chars where folding differs from plain
/// lower-casing; that keeps the full decomposition tables out of the wasm module. Hangul
/// syllables are kept whole. Combining marks never reach here: the tokenizer checks
/// [`is_combining_mark`] first.
fn fold_char(c: char, emit: &mut impl FnMut(char)) {
    let code = c as u32;
    if let Ok(i) = fold::MULTI.binary_search_by_key(&code, |(from, _)| *from) {
        fold::MULTI[i].1.chars().for_each(emit);
        return;
    }
    if let Some(folded) = fold_run(code) {
        emit(folded);
        return;
    }
    c.to_lowercase().for_each(emit);
}

/// The char a run of the `RUNS` table folds `code` to, if a run covers it.
fn fold_run(code: u32) -> Option<char> {
    const BITS21: u64 = (1 << 21) - 1;
    let i = fold::RUNS.partition_point(|run| (run & BITS21) as u32 <= code).checked_sub(1)?;
    let run = fold::RUNS[i];
    let first = (run & BITS21) as u32;
    let target = ((run >> 21) & BITS21) as u32;
    let count = ((run >> 42) & 0xFFFF) as u32;
    let stride = ((run >> 58) & 1) as u32;
    (code < first + count).then(|| char::from_u32(target + stride * (code - first))).flatten()
}

/// Whether `c` is a combining mark (general category M), from the generated `MARKS` table.
pub(crate) fn is_combining_mark(c: char) -> bool {
    let code = c as u32;
    let i = fold::MARKS.partition_point(|(start, _)| *start <= code);
    i > 0 && code <= fold::MARKS[i - 1].1
}

/// Han ideographs, hiragana and katakana: scripts written without spaces, where every character
/// is a word of its own.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'     // hiragana, katakana
        | '\u{31F0}'..='\u{31FF}'   // katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}'   // extension A
        | '\u{4E00}'..='\u{9FFF}'   // unified ideographs
        | '\u{F900}'..='\u{FAFF}'   // compatibility ideographs
        | '\u{20000}'..='\u{3FFFF}' // extensions B and later
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Letter,
    Digit,
}

impl CharClass {
    fn of(folded: char) -> CharClass {
        if folded.is_numeric() {
            CharClass::Digit
        } else {
            CharClass::Letter
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Connector {
    /// `-` or `_`: joins any two runs.
    Joiner,
    /// `.`: joins two digits.
    Dot,
    /// `'` or `’`: joins two letters.
    Apostrophe,
}

/// One part of a word: a run of letters, or of digits (with `.` between them).
#[derive(Debug)]
struct Segment {
    class: CharClass,
    /// Byte range of the folded text in [`Word::folded`].
    term: Range<usize>,
    /// Byte range in the original text, including trailing combining marks.
    start: usize,
    end: usize,
    after_apostrophe: bool,
}

/// The word being scanned: its folded chars and its parts.
#[derive(Debug, Default)]
struct Word {
    folded: String,
    segments: Vec<Segment>,
}

impl Word {
    fn term_of(&self, segment: &Segment) -> &str {
        &self.folded[segment.term.clone()]
    }
}

/// Scans `text` and calls `on_word` for each word, with its possessive `s` already dropped.
/// Every rule about word boundaries lives here, so [`tokenize`] and [`normalize`] agree.
fn scan_words(text: &str, on_word: &mut impl FnMut(&Word)) {
    let mut scanner = Scanner {
        word: Word::default(),
        pending: None,
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte.is_ascii() {
            match byte {
                b'a'..=b'z' => {
                    // Fast path: a run of lower-case ASCII letters extends the word at once.
                    let run_end = bytes[i..]
                        .iter()
                        .position(|b| !b.is_ascii_lowercase())
                        .map_or(bytes.len(), |n| i + n);
                    scanner.push_ascii_letters(&text[i..run_end], i, on_word);
                    i = run_end;
                    continue;
                }
                b'A'..=b'Z' => scanner.push_char(
                    char::from(byte.to_ascii_lowercase()),
                    CharClass::Letter,
                    i,
                    i + 1,
                    on_word,
                ),
                b'0'..=b'9' => {
                    scanner.push_char(char::from(byte), CharClass::Digit, i, i + 1, on_word)
                }
                b'-' | b'_' => scanner.push_connector(Connector::Joiner, on_word),
                b'.' => scanner.push_connector(Connector::Dot, on_word),
                b'\'' => scanner.push_connector(Connector::Apostrophe, on_word),
                _ => scanner.finish(on_word),
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("i is on a char boundary");
        let end = i + c.len_utf8();
        match c {
            '\u{2010}' | '\u{2011}' | '\u{FF0D}' | '\u{FF3F}' => {
                scanner.push_connector(Connector::Joiner, on_word)
            }
            '\u{FF0E}' => scanner.push_connector(Connector::Dot, on_word),
            '\u{2019}' | '\u{FF07}' => scanner.push_connector(Connector::Apostrophe, on_word),
            _ if is_combining_mark(c) => scanner.push_mark(end, on_word),
            _ if c.is_alphanumeric() => {
                let mut folded_any = false;
                fold_char(c, &mut |folded| {
                    folded_any = true;
                    scanner.push_char(folded, CharClass::of(folded), i, end, on_word);
                });
                if !folded_any {
                    // A letter that folds to nothing is transparent, like a combining mark.
                    scanner.push_mark(end, on_word);
                }
            }
            _ => scanner.finish(on_word),
        }
        i = end;
    }
    scanner.finish(on_word);
}

struct Scanner {
    word: Word,
    /// A connector seen right after the word's last char, waiting for the next char to decide
    /// whether it joins.
    pending: Option<Connector>,
}

impl Scanner {
    fn in_word(&self) -> bool {
        !self.word.segments.is_empty()
    }

    fn last_class(&self) -> Option<CharClass> {
        self.word.segments.last().map(|s| s.class)
    }

    fn start_segment(&mut self, class: CharClass, start: usize, after_apostrophe: bool) {
        let at = self.word.folded.len();
        self.word.segments.push(Segment {
            class,
            term: at..at,
            start,
            end: start,
            after_apostrophe,
        });
    }

    /// Adds folded `text` of one class, from original bytes `start..end`, to the word.
    fn extend(
        &mut self,
        text: &str,
        class: CharClass,
        start: usize,
        end: usize,
        on_word: &mut impl FnMut(&Word),
    ) {
        match self.pending.take() {
            None if self.last_class() == Some(class) => {}
            // A new word, or a letter↔digit boundary inside one.
            None => self.start_segment(class, start, false),
            Some(connector) => {
                let last = self
                    .last_class()
                    .expect("a connector is pending only inside a word");
                match connector {
                    Connector::Joiner => self.start_segment(class, start, false),
                    Connector::Dot if class == CharClass::Digit => {
                        // Digits joined by `.` stay one part: `3.1`.
                        self.word.folded.push('.');
                    }
                    Connector::Apostrophe
                        if class == CharClass::Letter && last == CharClass::Letter =>
                    {
                        self.start_segment(class, start, true)
                    }
                    _ => {
                        self.finish(on_word);
                        self.start_segment(class, start, false);
                    }
                }
            }
        }
        self.word.folded.push_str(text);
        let segment = self
            .word
            .segments
            .last_mut()
            .expect("a segment was started");
        segment.term.end = self.word.folded.len();
        segment.end = end;
    }

    fn push_ascii_letters(&mut self, letters: &str, start: usize, on_word: &mut impl FnMut(&Word)) {
        self.extend(
            letters,
            CharClass::Letter,
            start,
            start + letters.len(),
            on_word,
        );
    }

    fn push_char(
        &mut self,
        folded: char,
        class: CharClass,
        start: usize,
        end: usize,
        on_word: &mut impl FnMut(&Word),
    ) {
        if is_cjk(folded) {
            self.finish(on_word);
            self.extend(folded.encode_utf8(&mut [0; 4]), class, start, end, on_word);
            self.finish(on_word);
            return;
        }
        self.extend(folded.encode_utf8(&mut [0; 4]), class, start, end, on_word);
    }

    fn push_connector(&mut self, connector: Connector, on_word: &mut impl FnMut(&Word)) {
        let joins_after = match (connector, self.last_class()) {
            (_, None) => false,
            (Connector::Joiner, Some(_)) => true,
            (Connector::Dot, Some(class)) => class == CharClass::Digit,
            (Connector::Apostrophe, Some(class)) => class == CharClass::Letter,
        };
        if joins_after && self.pending.is_none() {
            self.pending = Some(connector);
        } else {
            self.finish(on_word);
        }
    }

    /// A combining mark (or a letter that folds to nothing) ending at byte `end`: it stays in
    /// the span of the word it follows, and breaks anything else.
    fn push_mark(&mut self, end: usize, on_word: &mut impl FnMut(&Word)) {
        match self.word.segments.last_mut() {
            Some(segment) if self.pending.is_none() => segment.end = end,
            _ => self.finish(on_word),
        }
    }

    fn finish(&mut self, on_word: &mut impl FnMut(&Word)) {
        self.pending = None;
        if !self.in_word() {
            return;
        }
        if self.word.segments.len() > 1 {
            // Possessive `'s`: `Alzheimer's` → `alzheimer`.
            let folded = &self.word.folded;
            self.word.segments.retain(|segment| {
                !(segment.after_apostrophe && &folded[segment.term.clone()] == "s")
            });
        }
        on_word(&self.word);
        self.word.folded.clear();
        self.word.segments.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.term).collect()
    }

    /// (term, position, kind) of every token.
    fn detailed(text: &str) -> Vec<(String, u32, TokenKind)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.term, t.position, t.kind))
            .collect()
    }

    fn whole_terms(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .filter(|t| t.kind == TokenKind::Whole)
            .map(|t| t.term)
            .collect()
    }

    fn part_terms(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .filter(|t| t.kind == TokenKind::Part)
            .map(|t| t.term)
            .collect()
    }

    use TokenKind::{Part, Whole};

    fn t(term: &str, position: u32, kind: TokenKind) -> (String, u32, TokenKind) {
        (term.to_owned(), position, kind)
    }

    #[test]
    fn plain_word_emits_exactly_one_whole() {
        assert_eq!(detailed("merging"), [t("merging", 0, Whole)]);
    }

    #[test]
    fn gpt_4_has_whole_and_parts() {
        assert_eq!(
            detailed("GPT-4"),
            [t("gpt4", 0, Whole), t("gpt", 0, Part), t("4", 1, Part)]
        );
    }

    #[test]
    fn gpt_4_is_found_by_all_spellings() {
        let indexed = terms("GPT-4");
        // The query side tokenizes the same way: each spelling's words must all be indexed.
        for query in ["gpt-4", "gpt4", "GPT 4", "GPT-4"] {
            let query_terms = whole_terms(query);
            assert!(
                query_terms.iter().all(|q| indexed.contains(q)),
                "{query}: {query_terms:?}"
            );
        }
    }

    #[test]
    fn covid_19() {
        assert_eq!(
            detailed("COVID-19"),
            [
                t("covid19", 0, Whole),
                t("covid", 0, Part),
                t("19", 1, Part)
            ]
        );
        let indexed = terms("COVID-19");
        for query in ["covid", "covid19", "covid-19"] {
            assert!(indexed.contains(&normalize(query)), "{query}");
        }
    }

    #[test]
    fn bert_base() {
        assert_eq!(
            detailed("BERT-base"),
            [
                t("bertbase", 0, Whole),
                t("bert", 0, Part),
                t("base", 1, Part)
            ]
        );
    }

    #[test]
    fn llama_version_keeps_the_dot_inside_the_number() {
        assert_eq!(
            detailed("Llama-3.1-8B"),
            [
                t("llama3.18b", 0, Whole),
                t("llama", 0, Part),
                t("3.1", 1, Part),
                t("8", 2, Part),
                // `b` is a single-letter part: dropped, its position kept.
            ]
        );
        // `llama 3.1`, `Llama-3.1` and `llama3.1` all reduce to the parts `llama` and `3.1`.
        let indexed = part_terms("Llama-3.1-8B");
        for query in ["llama 3.1", "Llama-3.1", "llama3.1"] {
            let mut words = part_terms(query);
            if words.is_empty() {
                words = whole_terms(query);
            }
            assert_eq!(words, ["llama", "3.1"], "{query}");
            assert!(words.iter().all(|w| indexed.contains(w)), "{query}");
        }
    }

    #[test]
    fn t5_f1_resnet50() {
        assert_eq!(detailed("t5"), [t("t5", 0, Whole), t("5", 1, Part)]);
        assert_eq!(detailed("F1"), [t("f1", 0, Whole), t("1", 1, Part)]);
        assert_eq!(
            detailed("ResNet50"),
            [
                t("resnet50", 0, Whole),
                t("resnet", 0, Part),
                t("50", 1, Part)
            ]
        );
    }

    #[test]
    fn k_nn_is_found_by_knn_and_k_nn() {
        assert_eq!(detailed("k-NN"), [t("knn", 0, Whole), t("nn", 1, Part)]);
        for query in ["knn", "k-nn", "k-NN", "KNN"] {
            assert_eq!(normalize(query), "knn", "{query}");
        }
    }

    #[test]
    fn camel_case_is_not_split() {
        assert_eq!(detailed("ResNet"), [t("resnet", 0, Whole)]);
    }

    #[test]
    fn diacritics_fold() {
        assert_eq!(
            terms("Schrödinger naïve Erdős"),
            ["schrodinger", "naive", "erdos"]
        );
        // Decomposed input (o + combining diaeresis) folds the same way.
        assert_eq!(terms("Schro\u{308}dinger"), ["schrodinger"]);
        assert_eq!(normalize("Schrödinger"), "schrodinger");
    }

    #[test]
    fn compatibility_chars_fold() {
        assert_eq!(terms("ﬁne-tuning"), ["finetuning", "fine", "tuning"]);
        assert_eq!(terms("ＢＥＲＴ"), ["bert"]);
        assert_eq!(terms("x²"), ["x2", "2"]);
    }

    #[test]
    fn non_latin_letters_are_kept() {
        assert_eq!(terms("Ελληνικά русский"), ["ελληνικα", "русскии"]);
        assert_eq!(
            detailed("深度学习"),
            [
                t("深", 0, Whole),
                t("度", 1, Whole),
                t("学", 2, Whole),
                t("习", 3, Whole)
            ]
        );
        assert_eq!(terms("BERT模型"), ["bert", "模", "型"]);
    }

    #[test]
    fn a_char_folding_into_several_cjk_chars_gives_a_word_each() {
        // `ヿ` (katakana digraph koto) folds to `コト`: two words sharing the char's span.
        let text = "a ヿ";
        let tokens = tokenize(text);
        let spans: Vec<(&str, u32, &str)> = tokens
            .iter()
            .map(|t| (t.term.as_str(), t.position, &text[t.start..t.end]))
            .collect();
        assert_eq!(spans, [("a", 0, "a"), ("コ", 1, "ヿ"), ("ト", 2, "ヿ")]);
    }

    #[test]
    fn offsets_map_back_to_the_original_spelling() {
        let text = "Über naïve GPT-4, Erdős’s k-NN";
        let tokens = tokenize(text);
        let spans: Vec<(&str, &str)> = tokens
            .iter()
            .map(|t| (t.term.as_str(), &text[t.start..t.end]))
            .collect();
        assert_eq!(
            spans,
            [
                ("uber", "Über"),
                ("naive", "naïve"),
                ("gpt4", "GPT-4"),
                ("gpt", "GPT"),
                ("4", "4"),
                ("erdos", "Erdős"),
                ("knn", "k-NN"),
                ("nn", "NN"),
            ]
        );
    }

    #[test]
    fn combining_marks_stay_in_the_span() {
        let text = "cafe\u{301} x";
        let tokens = tokenize(text);
        assert_eq!(tokens[0].term, "cafe");
        assert_eq!(&text[tokens[0].start..tokens[0].end], "cafe\u{301}");
    }

    #[test]
    fn positions_line_up_for_phrases() {
        // `"gpt 4 model"` against `GPT-4 model`: gpt=p, 4=p+1, model=p+2 on both sides.
        assert_eq!(
            detailed("the GPT-4 model"),
            [
                t("the", 0, Whole),
                t("gpt4", 1, Whole),
                t("gpt", 1, Part),
                t("4", 2, Part),
                t("model", 3, Whole)
            ]
        );
        assert_eq!(
            detailed("the gpt 4 model"),
            [
                t("the", 0, Whole),
                t("gpt", 1, Whole),
                t("4", 2, Whole),
                t("model", 3, Whole)
            ]
        );
    }

    #[test]
    fn dot_between_letters_is_a_sentence_break() {
        assert_eq!(
            detailed("model.The"),
            [t("model", 0, Whole), t("the", 1, Whole)]
        );
        assert_eq!(
            terms("e.g. 3.14 v2. end."),
            ["e", "g", "3.14", "v2", "2", "end"]
        );
    }

    #[test]
    fn possessive_s_is_dropped() {
        let text = "Alzheimer's disease";
        let tokens = tokenize(text);
        assert_eq!(
            detailed(text),
            [t("alzheimer", 0, Whole), t("disease", 1, Whole)]
        );
        assert_eq!(&text[tokens[0].start..tokens[0].end], "Alzheimer");
        assert_eq!(terms("Parkinson’s"), ["parkinson"]);
        assert_eq!(detailed("don't"), [t("dont", 0, Whole), t("don", 0, Part)]);
        assert_eq!(terms("'quoted'"), ["quoted"]);
    }

    #[test]
    fn repeated_or_dangling_connectors_break_words() {
        assert_eq!(terms("a--b"), ["a", "b"]);
        assert_eq!(
            terms("pre- and post-training"),
            ["pre", "and", "posttraining", "post", "training"]
        );
        assert_eq!(terms("3..5"), ["3", "5"]);
        assert_eq!(terms("snake_case"), ["snakecase", "snake", "case"]);
    }

    #[test]
    fn urls_become_ordinary_words() {
        assert_eq!(
            terms("https://github.com/mshukor/UnIVAL"),
            ["https", "github", "com", "mshukor", "unival"]
        );
    }

    #[test]
    fn long_runs_are_cut_and_never_panic() {
        let blob = "aB3".repeat(100) + "é".repeat(40).as_str();
        let tokens = tokenize(&blob);
        assert_eq!(tokens.len(), 1, "a cut word emits only its whole");
        assert_eq!(tokens[0].term.len(), MAX_TERM_BYTES);
        assert_eq!((tokens[0].start, tokens[0].end), (0, blob.len()));
        let multibyte = "é".repeat(100);
        let tokens = tokenize(&multibyte);
        assert!(tokens[0].term.len() <= MAX_TERM_BYTES);
        assert_eq!(tokens[0].term, "e".repeat(MAX_TERM_BYTES));
        let cyrillic = "ж".repeat(100);
        assert_eq!(tokenize(&cyrillic)[0].term, "ж".repeat(MAX_TERM_BYTES / 2));
        // A cut that would end in `.` drops it.
        let digits = "1".repeat(63) + ".5";
        assert_eq!(tokenize(&digits)[0].term, "1".repeat(63));
    }

    #[test]
    fn positions_continue_after_a_cut_word() {
        let text = format!("{} next", "x".repeat(200));
        assert_eq!(detailed(&text)[1], t("next", 1, Whole));
    }

    #[test]
    fn normalize_gives_the_whole_term() {
        assert_eq!(normalize("Llama-3.1-8B"), "llama3.18b");
        assert_eq!(normalize("Alzheimer's"), "alzheimer");
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("!!"), "");
        assert_eq!(normalize(&"x".repeat(100)), "x".repeat(MAX_TERM_BYTES));
    }

    #[test]
    fn folding_is_stable_for_every_char() {
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            // Marks never reach fold_char: the tokenizer treats them first.
            if !c.is_alphanumeric() || is_combining_mark(c) {
                continue;
            }
            let mut once = Vec::new();
            fold_char(c, &mut |f| once.push(f));
            for &f in &once {
                let mut twice = Vec::new();
                fold_char(f, &mut |g| twice.push(g));
                assert_eq!(twice, [f], "folding {c:?} gave {f:?}, which folds again");
                assert!(!is_combining_mark(f) && f.is_alphanumeric());
            }
        }
    }

    #[test]
    fn stems_merge_inflections() {
        assert_eq!(stem("merging"), stem("merged"));
        assert_eq!(stem("merges"), stem("merged"));
        assert_eq!(stem("merging"), "merg");
        assert_eq!(stem("networks"), "network");
        assert_eq!(
            stem("resnet50"),
            "resnet50",
            "terms with digits are left alone"
        );
        assert_eq!(stem("naïve"), "naïve", "non-ASCII terms are left alone");
        assert_eq!(stem("is"), "is", "short terms are left alone");
        assert!(matches!(stem("gpt4"), Cow::Borrowed(_)));
    }

    #[test]
    fn stop_words() {
        assert!(
            STOP_WORDS.windows(2).all(|w| w[0] < w[1]),
            "STOP_WORDS must stay sorted"
        );
        for word in [
            "the", "a", "of", "and", "in", "to", "is", "for", "on", "with", "by",
        ] {
            assert!(is_stop_word(word), "{word}");
        }
        for word in ["model", "merging", "no", "The", ""] {
            assert!(!is_stop_word(word), "{word}");
        }
    }

    #[test]
    fn empty_and_punctuation_only_text() {
        assert!(tokenize("").is_empty());
        assert!(tokenize("  -- ... ''' ").is_empty());
    }
}
