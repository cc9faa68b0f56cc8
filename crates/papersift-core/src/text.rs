//! The one normalizer and tokenizer, shared by indexing, querying and highlighting.
//!
//! TODO(text helper): implement. The signatures below are the contract the rest of the crate uses.

use std::borrow::Cow;

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

/// Splits `text` into tokens, in order of `start`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let _ = text;
    todo!()
}

/// Normalizes one term as [`tokenize`] would.
pub fn normalize(term: &str) -> String {
    let _ = term;
    todo!()
}

/// The English Snowball stem of a normalized term.
pub fn stem(term: &str) -> Cow<'_, str> {
    let _ = term;
    todo!()
}

/// Whether a normalized term is an English stop word.
pub fn is_stop_word(term: &str) -> bool {
    let _ = term;
    todo!()
}
