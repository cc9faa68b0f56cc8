//! Highlights and snippets: which words of a stored text matched, and the best window of an
//! abstract to show. Uses the same tokenizer as indexing, so a highlight is exactly a match.

use std::cell::RefCell;
use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};

use serde::Serialize;

use crate::text;

/// A highlighted range, as byte offsets into the string it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Byte offset of the first highlighted byte.
    pub start: usize,
    /// Byte offset one past the last highlighted byte.
    pub end: usize,
}

/// A window of the abstract around the best matches.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Snippet {
    /// The window's text. Starts or ends with `…` when it was cut from a longer abstract.
    pub text: String,
    /// Highlights, as byte offsets into `text`.
    pub highlights: Vec<Span>,
}

/// What counts as a match when highlighting: exact dictionary terms (including the completions
/// and typo matches a query expanded to) and stems.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    /// Normalized terms that match.
    pub terms: FxHashSet<String>,
    /// Stems whose words match.
    pub stems: FxHashSet<String>,
    /// The stems of words already stemmed: the same words recur from hit to hit, and stemming
    /// one costs more than scanning a whole abstract for candidates.
    stemmed: RefCell<FxHashMap<String, String>>,
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Matcher) -> bool {
        self.terms == other.terms && self.stems == other.stems
    }
}

impl Eq for Matcher {}

impl Matcher {
    /// Whether a term of a stored text matches the query.
    pub fn matches(&self, term: &str) -> bool {
        if self.terms.contains(term) {
            return true;
        }
        // Stemming every word of every snippet is the expensive part of highlighting, so only
        // words that can stem to one of the stems are stemmed (see `stem_key`).
        !self.stems.is_empty()
            && self.stems.iter().any(|stem| stem_key(stem) == stem_key(term))
            && self.stem_matches(term)
    }

    fn stem_matches(&self, term: &str) -> bool {
        let mut stemmed = self.stemmed.borrow_mut();
        if let Some(stem) = stemmed.get(term) {
            return self.stems.contains(stem);
        }
        let stem = text::stem(term).into_owned();
        let matches = self.stems.contains(&stem);
        stemmed.insert(term.to_string(), stem);
        matches
    }

    /// Highlight spans in `text`, merged where matches overlap or touch.
    ///
    /// ```
    /// use papersift_core::snippet::Matcher;
    /// let mut matcher = Matcher::default();
    /// matcher.terms.insert("merging".into());
    /// let spans = matcher.highlight("Model Merging works");
    /// assert_eq!((spans[0].start, spans[0].end), (6, 13));
    /// ```
    pub fn highlight(&self, text: &str) -> Vec<Span> {
        self.highlight_in(text, &WordStarts::of(text))
    }

    /// [`Matcher::highlight`] with the text's [`WordStarts`] already found (they depend only on
    /// the text, so a caller that shows the same text again can keep them).
    pub fn highlight_in(&self, text: &str, starts: &WordStarts) -> Vec<Span> {
        let mut spans = Vec::new();
        self.for_each_match(text, starts, |span, _| spans.push(span));
        merge(spans.into_iter())
    }

    /// Calls `on_match` with each token of `text` that matches, in token order, tokenizing only
    /// the runs of `text` (see [`ByteClass`]) that can hold one: re-tokenizing every word of
    /// every hit was most of the time a query took. `starts` must be `text`'s.
    fn for_each_match(&self, text: &str, starts: &WordStarts, mut on_match: impl FnMut(Span, &str)) {
        if starts.len != text.len() {
            return self.for_each_match(text, &WordStarts::of(text), on_match);
        }
        let keys = Keys::of(self);
        for run in &starts.runs {
            if !starts.starts[run.starts.clone()].iter().any(|start| keys.admit(start)) {
                continue;
            }
            let run = run.bytes();
            text::for_each_token(starts.slice(text, &run), |t| {
                if self.matches(t.term) {
                    on_match(Span { start: run.start + t.start, end: run.start + t.end }, t.term);
                }
            });
        }
    }
}

/// Where a token may start in a text, with the first two bytes its term can have: what decides,
/// for any query, which runs of the text (see [`ByteClass`]) can hold a match. Finding them is a
/// scan of every byte, and it depends only on the text, so a search that shows the same paper
/// again (the next keystroke, another query) can keep them; [`crate::search::Reuse`] does.
///
/// ```
/// use papersift_core::snippet::{Matcher, WordStarts};
/// let mut matcher = Matcher::default();
/// matcher.terms.insert("merging".into());
/// let text = "Model Merging works";
/// let starts = WordStarts::of(text);
/// assert_eq!(matcher.highlight_in(text, &starts), matcher.highlight(text));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordStarts {
    /// The length of the text they were found in (a text of another length is scanned afresh).
    len: usize,
    /// Whether the text is all ASCII (a character is then a byte).
    ascii: bool,
    /// The runs that hold a token start, in text order; a run without one has no token.
    runs: Vec<Run>,
    /// Every run's token starts, run after run.
    starts: Vec<WordStart>,
}

/// A run of a text (see [`ByteClass`]) and where its token starts are in [`WordStarts::starts`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    start: u32,
    end: u32,
    starts: Range<usize>,
}

impl Run {
    fn bytes(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A byte where a token may start: a letter or digit that does not continue a run of its own
/// class, or the first non-ASCII byte of a run. What [`Keys::admit`] needs of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WordStart {
    /// The lower-cased byte a term starting here starts with; 0 for a non-ASCII byte, whose run
    /// is always tokenized.
    first: u8,
    /// The [`Keys::slot`] of the term's possible second byte, or [`WordStart::ANY_SECOND`] or
    /// [`WordStart::ENDS`].
    second: u8,
}

impl WordStart {
    /// Past a non-ASCII char, the second byte may be anything.
    const ANY_SECOND: u8 = u8::MAX;
    /// The term may end after its first byte (or go on with a `.`): no second letter or digit.
    const ENDS: u8 = u8::MAX - 1;
}

impl WordStarts {
    /// Scans `text` for the places a token may start.
    pub fn of(text: &str) -> WordStarts {
        let bytes = text.as_bytes();
        let mut runs = Vec::new();
        let mut starts = Vec::new();
        let mut previous = ByteClass::EndsWords;
        let mut run_start = 0;
        let mut non_ascii_in_run = false;
        for i in 0..=bytes.len() {
            let class = bytes.get(i).map_or(ByteClass::EndsWords, |&b| ByteClass::of(b));
            match class {
                ByteClass::EndsWords => {
                    let first = runs.last().map_or(0, |r: &Run| r.starts.end);
                    if starts.len() > first {
                        runs.push(Run { start: run_start as u32, end: i as u32, starts: first..starts.len() });
                    }
                    run_start = i + 1;
                    non_ascii_in_run = false;
                }
                ByteClass::Letter | ByteClass::Digit if class != previous => {
                    let next =
                        bytes[i + 1..].iter().map(|&b| (b, ByteClass::of(b))).find(|(_, c)| *c != ByteClass::Connector);
                    let second = match next {
                        Some((b, ByteClass::Letter | ByteClass::Digit)) => {
                            let [_, second] = stem_key([bytes[i], b.to_ascii_lowercase()]);
                            Keys::slot(second) as u8
                        }
                        Some((_, ByteClass::NonAscii)) => WordStart::ANY_SECOND,
                        _ => WordStart::ENDS,
                    };
                    starts.push(WordStart { first: bytes[i].to_ascii_lowercase(), second });
                }
                ByteClass::NonAscii if !non_ascii_in_run => {
                    non_ascii_in_run = true;
                    starts.push(WordStart { first: 0, second: WordStart::ANY_SECOND });
                }
                _ => {}
            }
            previous = class;
        }
        WordStarts { len: text.len(), ascii: text.is_ascii(), runs, starts }
    }

    /// The text of `run`: empty when these starts were found in another text of the same length
    /// and the run does not fall on its char boundaries (a caller's mistake, which must not panic).
    fn slice<'t>(&self, text: &'t str, run: &Range<usize>) -> &'t str {
        text.get(run.clone()).unwrap_or_default()
    }

    /// Heap bytes held, for bounding a cache of them.
    pub fn heap_bytes(&self) -> usize {
        self.runs.capacity() * std::mem::size_of::<Run>() + self.starts.capacity() * std::mem::size_of::<WordStart>()
    }

    /// The runs from the one holding byte `at`, or else the first after it, on.
    fn runs_from(&self, at: usize) -> &[Run] {
        &self.runs[self.runs.partition_point(|r| (r.end as usize) <= at)..]
    }

    /// The runs that start before byte `at`.
    fn runs_before(&self, at: usize) -> &[Run] {
        &self.runs[..self.runs.partition_point(|r| (r.start as usize) < at)]
    }
}

/// What a byte is to the tokenizer, as far as finding runs and token starts goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ByteClass {
    /// An ASCII byte that ends every word: anything but a letter, a digit or a connector. The
    /// tokenizer starts afresh after it, so a *run* (a stretch between such bytes) tokenized
    /// alone yields exactly the tokens the whole text has there, shifted by the run's start.
    EndsWords,
    Letter,
    Digit,
    /// `-`, `_`, `.`, `'`: they join or split words depending on their neighbours.
    Connector,
    /// Part of a non-ASCII char, which may be a letter, a mark or a connector.
    NonAscii,
}

impl ByteClass {
    fn of(byte: u8) -> ByteClass {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' => ByteClass::Letter,
            b'0'..=b'9' => ByteClass::Digit,
            b'-' | b'_' | b'.' | b'\'' => ByteClass::Connector,
            0x80.. => ByteClass::NonAscii,
            _ => ByteClass::EndsWords,
        }
    }
}

/// The first two bytes (see [`stem_key`]) a matching token's term can start with: a term's own,
/// or a stem's (a word keeps its stem's key). Lets most runs of a text go untokenized.
struct Keys {
    /// Per first byte, a bit per second byte (see [`Keys::slot`]).
    seconds: [u64; 256],
}

impl Keys {
    fn of(matcher: &Matcher) -> Keys {
        let mut keys = Keys { seconds: [0; 256] };
        for word in matcher.terms.iter().chain(&matcher.stems) {
            let [first, second] = stem_key(word);
            keys.seconds[usize::from(first)] |= 1 << Keys::slot(second);
        }
        keys
    }

    /// The bit of a second byte: none (a one-byte term), `.`, a digit, a letter, or anything else.
    fn slot(second: u8) -> u32 {
        match second {
            0 => 0,
            b'.' => 1,
            b'0'..=b'9' => 2 + u32::from(second - b'0'),
            b'a'..=b'z' => 12 + u32::from(second - b'a'),
            _ => 38,
        }
    }

    /// Whether a token starting at `start` may match. Its term starts with the start's byte
    /// lower-cased, then the next letter or digit (past connectors), or a `.` between digits, or
    /// ends there; past a non-ASCII char, anything.
    fn admit(&self, start: &WordStart) -> bool {
        if start.first == 0 {
            return true;
        }
        let seconds = self.seconds[usize::from(start.first)];
        if seconds == 0 {
            return false;
        }
        let possible = match start.second {
            WordStart::ANY_SECOND => u64::MAX,
            WordStart::ENDS => 0,
            slot => 1 << slot,
        };
        seconds & (possible | 1 << Keys::slot(0) | 1 << Keys::slot(b'.')) != 0
    }
}

/// The first two bytes of a word or stem, with a second `y` read as `i`. English Snowball stems
/// keep a word's first byte and change its second only from `y` to `i` (`dying` → `die`), so a
/// word whose key differs from a stem's cannot have that stem.
fn stem_key(word: impl AsRef<[u8]>) -> [u8; 2] {
    let bytes = word.as_ref();
    let second = match bytes.get(1) {
        Some(b'y') => b'i',
        Some(b) => *b,
        None => 0,
    };
    [bytes.first().copied().unwrap_or(0), second]
}

fn merge(spans: impl Iterator<Item = Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for span in spans {
        match out.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => out.push(span),
        }
    }
    out
}

const ELLIPSIS: &str = "…";

/// The window of about `max_chars` characters of `text` that shows the most distinct matching
/// words (then the most matches), cut at word boundaries, with its highlights.
pub fn best_window(text: &str, matcher: &Matcher, max_chars: usize) -> Snippet {
    best_window_in(text, &WordStarts::of(text), matcher, max_chars)
}

/// [`best_window`] with the text's [`WordStarts`] already found.
pub fn best_window_in(text: &str, starts: &WordStarts, matcher: &Matcher, max_chars: usize) -> Snippet {
    // The matched tokens, with an id per distinct matched term (for counting distinct words in
    // a window).
    let mut matched: Vec<(Span, usize)> = Vec::new();
    let mut distinct_terms: Vec<String> = Vec::new();
    matcher.for_each_match(text, starts, |span, term| {
        let id = distinct_terms.iter().position(|d| d == term).unwrap_or_else(|| {
            distinct_terms.push(term.to_string());
            distinct_terms.len() - 1
        });
        matched.push((span, id));
    });
    let starts = if starts.len == text.len() { starts } else { &WordStarts::of(text) };
    let max_bytes = if starts.ascii { max_chars.min(text.len()) } else { char_budget_to_bytes(text, max_chars) };
    if text.len() <= max_bytes {
        let highlights = merge(matched.iter().map(|(span, _)| *span));
        return Snippet { text: text.to_string(), highlights };
    }
    // Try a window starting a little before each match; keep the best.
    let lead = max_bytes / 5;
    let mut best = (0usize, 0usize, 0usize); // (distinct, count, start)
    let mut seen = vec![false; distinct_terms.len()];
    // Anchors come in text order, so the positions a window may start from only grow, and so do
    // the word starts found for them: the first token at or after the last position is also the
    // first at or after this one when it is not before it, and the same start scores the same.
    let mut last: Option<(usize, usize)> = None; // (position, its word start)
    for (anchor, _) in &matched {
        let at = anchor.start.saturating_sub(lead);
        let start = match last {
            Some((last_at, last_start)) if last_at <= at && last_start >= at => {
                last = Some((at, last_start));
                continue;
            }
            _ => word_start_before(text, starts, at),
        };
        last = Some((at, start));
        let end = start + max_bytes;
        seen.iter_mut().for_each(|s| *s = false);
        let mut count = 0;
        for (_, id) in matched.iter().filter(|(s, _)| s.start >= start && s.end <= end) {
            seen[*id] = true;
            count += 1;
        }
        let distinct = seen.iter().filter(|s| **s).count();
        if (distinct, count) > (best.0, best.1) {
            best = (distinct, count, start);
        }
    }
    let mut start = best.2;
    // Always a token's start, unless `starts` were another text's (which must not panic).
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + max_bytes).min(text.len());
    // End on a word boundary: the end of the last token that fits.
    if let Some(last) = last_token_within(text, starts, start, end) {
        if end < text.len() {
            end = last.end;
        }
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let prefix = if start > 0 { ELLIPSIS } else { "" };
    let suffix = if end < text.len() { ELLIPSIS } else { "" };
    let shift = prefix.len();
    let highlights = merge(
        matched
            .iter()
            .map(|(span, _)| *span)
            .filter(|t| t.start >= start && t.end <= end)
            .map(|t| Span { start: t.start - start + shift, end: t.end - start + shift }),
    );
    Snippet { text: format!("{prefix}{}{suffix}", text[start..end].trim_end()), highlights }
}

/// Byte length of the first `chars` characters of `text` (or all of it).
fn char_budget_to_bytes(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i)
}

/// The start of the first token at or after `at` (so windows never begin mid-word), tokenizing
/// only the runs from the one holding `at` to the first with such a token.
fn word_start_before(text: &str, starts: &WordStarts, at: usize) -> usize {
    for run in starts.runs_from(at) {
        let run = run.bytes();
        let mut found = None;
        text::for_each_token(starts.slice(text, &run), |t| {
            if found.is_none() && run.start + t.start >= at {
                found = Some(run.start + t.start);
            }
        });
        if let Some(start) = found {
            return start;
        }
    }
    at
}

/// The last token (in token order) inside `start..end`, tokenizing only the runs from the one
/// holding `end` back to the first with such a token.
fn last_token_within(text: &str, starts: &WordStarts, start: usize, end: usize) -> Option<Span> {
    for run in starts.runs_before(end).iter().rev() {
        let run = run.bytes();
        if run.end <= start {
            break;
        }
        let mut found = None;
        text::for_each_token(starts.slice(text, &run), |t| {
            let span = Span { start: run.start + t.start, end: run.start + t.end };
            if span.end <= end && span.start >= start {
                found = Some(span);
            }
        });
        if found.is_some() {
            return found;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut in `Matcher::matches` relies on stems keeping their word's key.
    #[test]
    fn stems_keep_the_key_of_their_word() {
        let corpus = include_str!("../../../data/daily_papers.txt");
        let mut checked = 0;
        let words = ["dying", "lying", "tying", "skies", "happy", "yearly", "ugly", "early", "only", "news", "idly"];
        for token in text::tokenize(corpus).iter().map(|t| t.term.as_str()).chain(words) {
            let stem = text::stem(token);
            if stem != token {
                assert_eq!(stem_key(stem.as_bytes()), stem_key(token), "{token} → {stem}");
                checked += 1;
            }
        }
        assert!(checked > 1000);
    }

    use proptest::prelude::*;

    /// Text that leans on what splits runs and words: connectors, digits, case, Unicode.
    fn text_strategy() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[a-z]{1,9}",
            "[A-Z][a-z]{0,6}",
            "[0-9]{1,3}",
            "[ .,;:()/'_-]{1,2}",
            Just("GPT-4o".to_string()),
            Just("Alzheimer's".to_string()),
            Just("3.1".to_string()),
            Just("Schrödinger".to_string()),
            Just("ﬁne-tuning".to_string()),
            Just("日本語".to_string()),
            Just("e\u{301}\u{2019}s".to_string()),
            Just("dying".to_string()),
            "\\PC{1,3}",
        ];
        prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    fn every_token(text: &str) -> Vec<(Span, String)> {
        text::tokenize(text).into_iter().map(|t| (Span { start: t.start, end: t.end }, t.term)).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Tokenizing only the runs that may hold a match finds exactly the matches that
        /// tokenizing the whole text finds, and the word boundaries a window is cut at are the same.
        #[test]
        fn runs_find_what_the_whole_text_has(
            text in text_strategy(),
            picks in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
            stemmed in prop::collection::vec(any::<prop::sample::Index>(), 0..2),
            extra in prop::collection::vec("[a-z]{1,6}", 0..3),
        ) {
            let tokens = every_token(&text);
            let mut matcher = Matcher::default();
            matcher.terms.extend(extra);
            if !tokens.is_empty() {
                matcher.terms.extend(picks.iter().map(|i| tokens[i.index(tokens.len())].1.clone()));
                matcher.stems.extend(stemmed.iter().map(|i| text::stem(&tokens[i.index(tokens.len())].1).into_owned()));
            }
            let expected: Vec<Span> = tokens.iter().filter(|(_, term)| matcher.matches(term)).map(|(span, _)| *span).collect();
            let mut found = Vec::new();
            matcher.for_each_match(&text, &WordStarts::of(&text), |span, _| found.push(span));
            prop_assert_eq!(&found, &expected);
            prop_assert_eq!(matcher.highlight(&text), merge(expected.into_iter()));

            let starts = WordStarts::of(&text);
            for at in (0..=text.len() + 1).step_by(text.len() / 24 + 1) {
                let expected = tokens.iter().find(|(t, _)| t.start >= at).map_or(at, |(t, _)| t.start);
                prop_assert_eq!(word_start_before(&text, &starts, at), expected, "at {}", at);
                for start in [0, at / 2, at.saturating_sub(9), at.saturating_sub(1), at] {
                    let expected = tokens.iter().rfind(|(t, _)| t.end <= at && t.start >= start).map(|(t, _)| *t);
                    prop_assert_eq!(last_token_within(&text, &starts, start, at), expected, "{}..{}", start, at);
                }
            }
        }

        /// The snippet is the window a whole-text tokenization picks, trying every anchor; word
        /// starts kept from another text of any length never make it panic.
        #[test]
        fn a_snippet_is_the_window_of_the_whole_text(
            text in text_strategy(),
            picks in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
            max_chars in 0usize..40,
            other in text_strategy(),
        ) {
            let tokens = every_token(&text);
            let mut matcher = Matcher::default();
            if !tokens.is_empty() {
                matcher.terms.extend(picks.iter().map(|i| tokens[i.index(tokens.len())].1.clone()));
            }
            prop_assert_eq!(best_window(&text, &matcher, max_chars), whole_text_window(&text, &matcher, max_chars));
            let foreign = WordStarts::of(&other);
            let _ = best_window_in(&text, &foreign, &matcher, max_chars);
            let _ = matcher.highlight_in(&text, &foreign);
        }
    }

    /// `best_window` as it reads without shortcuts: every token of the text, every anchor.
    fn whole_text_window(text: &str, matcher: &Matcher, max_chars: usize) -> Snippet {
        let tokens = every_token(text);
        let mut distinct: Vec<&str> = Vec::new();
        let matched: Vec<(Span, usize)> = tokens
            .iter()
            .filter(|(_, term)| matcher.matches(term))
            .map(|(span, term)| {
                let id = distinct.iter().position(|d| d == term).unwrap_or_else(|| {
                    distinct.push(term);
                    distinct.len() - 1
                });
                (*span, id)
            })
            .collect();
        let max_bytes = char_budget_to_bytes(text, max_chars);
        if text.len() <= max_bytes {
            return Snippet { text: text.to_string(), highlights: merge(matched.iter().map(|(s, _)| *s)) };
        }
        let mut best = (0, 0, 0);
        for (anchor, _) in &matched {
            let at = anchor.start.saturating_sub(max_bytes / 5);
            let start = tokens.iter().find(|(t, _)| t.start >= at).map_or(at, |(t, _)| t.start);
            let inside: Vec<usize> = matched
                .iter()
                .filter(|(s, _)| s.start >= start && s.end <= start + max_bytes)
                .map(|(_, id)| *id)
                .collect();
            let mut ids = inside.clone();
            ids.sort_unstable();
            ids.dedup();
            if (ids.len(), inside.len()) > (best.0, best.1) {
                best = (ids.len(), inside.len(), start);
            }
        }
        let start = best.2;
        let mut end = (start + max_bytes).min(text.len());
        if let Some((last, _)) = tokens.iter().rfind(|(t, _)| t.end <= end && t.start >= start) {
            if end < text.len() {
                end = last.end;
            }
        }
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = if start > 0 { ELLIPSIS } else { "" };
        let suffix = if end < text.len() { ELLIPSIS } else { "" };
        let highlights = merge(
            matched
                .iter()
                .map(|(span, _)| *span)
                .filter(|t| t.start >= start && t.end <= end)
                .map(|t| Span { start: t.start - start + prefix.len(), end: t.end - start + prefix.len() }),
        );
        Snippet { text: format!("{prefix}{}{suffix}", text[start..end].trim_end()), highlights }
    }
}
