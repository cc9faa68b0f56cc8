//! BM25F scoring of term groups, with accumulators sized by the documents a query touches.

use super::groups::Group;
use super::reuse::{GroupKey, Reuse, Summed};
use super::{Missing, Piece, Pieces};
use crate::format::meta::Meta;
use crate::format::store::decode_norm;
use crate::schema::{field_range, Field, FIELD_COUNT};
use crate::termdict::ExpansionWeights;

/// Ranking parameters of BM25F.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranking {
    /// Term-frequency saturation.
    pub k1: f32,
    /// Per-field weight, in [`Field`] order (venue is filter-only).
    pub field_weights: [f32; FIELD_COUNT],
    /// Per-field length normalization.
    pub field_b: [f32; FIELD_COUNT],
    /// Weight of a word with the query word's stem but another form.
    pub stem_weight: f32,
    /// Weight of a completion of the word being typed.
    pub prefix_weight: f32,
    /// Weight of a match one typo away; two typos count this squared.
    pub typo_weight: f32,
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            k1: 1.2,
            field_weights: Field::ALL.map(Field::default_weight),
            field_b: Field::ALL.map(Field::default_b),
            stem_weight: 0.7,
            prefix_weight: 0.6,
            typo_weight: 0.35,
        }
    }
}

impl Ranking {
    /// The weights of the ways a dictionary term can match a query word.
    pub fn expansion_weights(&self) -> ExpansionWeights {
        ExpansionWeights { stem: self.stem_weight, prefix: self.prefix_weight, typo: self.typo_weight }
    }
}

/// What scoring needs from the whole corpus, computed once per index and ranking: the
/// document count and, per field and norm byte, 1 / (1 − b + b · length / average length).
#[derive(Debug, Clone, PartialEq)]
pub struct Scoring {
    /// The ranking parameters.
    pub ranking: Ranking,
    /// Number of documents in the corpus.
    pub doc_count: u32,
    norm_factors: Box<[[f32; 256]; FIELD_COUNT]>,
}

impl Scoring {
    /// The tables for a corpus described by `meta`.
    pub fn new(meta: &Meta, ranking: Ranking) -> Scoring {
        let mut norm_factors = Box::new([[1.0; 256]; FIELD_COUNT]);
        let docs = meta.doc_count;
        for (f, table) in norm_factors.iter_mut().enumerate() {
            let total = meta.field_totals[f];
            let average = if docs == 0 { 1.0 } else { (total as f32 / docs as f32).max(1e-3) };
            let b = ranking.field_b[f];
            for (byte, factor) in table.iter_mut().enumerate() {
                *factor = 1.0 / (1.0 - b + b * decode_norm(byte as u8) / average);
            }
        }
        Scoring { ranking, doc_count: docs, norm_factors }
    }

    /// The length-normalization factor of a field whose norm byte is `norm`.
    pub fn norm_factor(&self, field: usize, norm: u8) -> f32 {
        self.norm_factors[field][norm as usize]
    }
}

/// A document's running score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scored {
    pub(crate) doc: u32,
    pub(crate) total: f32,
    /// Bit `i` is set when required group `i` matched.
    pub(crate) matched: u64,
}

/// Scores of the documents the query touched, sorted by document. Its size follows the
/// postings read, never the corpus; its buffers are reused from group to group.
#[derive(Debug, Default)]
pub(crate) struct Accumulator {
    pub(crate) docs: Vec<Scored>,
    /// One group's (document, weighted frequency) pairs, then summed per document.
    group: Vec<(u32, f32)>,
    /// The next `docs`, while a group is merged in.
    spare: Vec<Scored>,
}

impl Accumulator {
    /// Adds one group's BM25F contribution, marking bit `bit` for the documents it touches.
    /// Postings lists `pieces` does not hold are added to `missing`.
    pub(crate) fn add_group<P: Pieces + ?Sized>(
        &mut self,
        pieces: &P,
        group: &Group,
        bit: Option<u32>,
        missing: &mut Missing,
        reuse: &mut Reuse,
    ) {
        let scoring = pieces.scoring();
        let ranking = scoring.ranking;
        let docs = scoring.doc_count;
        let key = GroupKey::of(group);
        if let Some(summed) = reuse.scored(&key) {
            self.merge(group, bit, scoring, &summed);
            reuse.keep_scored(key, summed);
            return;
        }
        let mut complete = true;
        self.group.clear();
        for (member, weight) in &group.members {
            let Some(list) = pieces.postings(member.offset) else {
                missing.add(Piece::Postings(member.offset));
                complete = false;
                continue;
            };
            for posting in list {
                if posting.doc >= docs {
                    break;
                }
                let mut tf = 0.0;
                for f in field_range(group.field) {
                    let freq = posting.freqs[f];
                    if freq > 0 {
                        // A field restriction counts the field even when its default weight is 0 (venue).
                        let field_weight = if group.field.is_some() {
                            ranking.field_weights[f].max(1.0)
                        } else {
                            ranking.field_weights[f]
                        };
                        tf += field_weight * freq as f32 * scoring.norm_factor(f, posting.norms[f]);
                    }
                }
                if tf > 0.0 {
                    self.group.push((posting.doc, weight * tf));
                }
            }
        }
        // Each member's list is sorted by document; a stable sort merges them and keeps member
        // order within a document, so sums add up in the same order as always. Then the sums
        // replace the pairs in place.
        if group.members.len() > 1 {
            self.group.sort_by_key(|(doc, _)| *doc);
        }
        let mut len = 0;
        for i in 0..self.group.len() {
            let (doc, value) = self.group[i];
            if len > 0 && self.group[len - 1].0 == doc {
                self.group[len - 1].1 += value;
            } else {
                self.group[len] = (doc, 0.0 + value);
                len += 1;
            }
        }
        self.group.truncate(len);
        let summed: Summed = self.group.as_slice().into();
        self.merge(group, bit, scoring, &summed);
        // A group read with lists missing is incomplete: it is read again once they are there.
        if complete {
            reuse.keep_scored(key, summed);
        }
    }

    /// Merges one group's summed (document, weighted frequency) pairs into the sorted accumulator.
    fn merge(&mut self, group: &Group, bit: Option<u32>, scoring: &Scoring, summed: &[(u32, f32)]) {
        let n = scoring.doc_count as f32;
        let df = summed.len() as f32;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let k1 = scoring.ranking.k1;
        let mask = bit.map_or(0, |bit| 1u64 << bit);
        let contribution = |tf: f32| group.boost * idf * tf * (k1 + 1.0) / (k1 + tf);
        // Merge the group's documents into the sorted accumulator.
        self.spare.clear();
        self.spare.reserve(self.docs.len() + summed.len());
        let mut old = self.docs.iter().copied().peekable();
        for &(doc, tf) in summed {
            while let Some(entry) = old.next_if(|e| e.doc < doc) {
                self.spare.push(entry);
            }
            let mut entry = old.next_if(|e| e.doc == doc).unwrap_or(Scored { doc, total: 0.0, matched: 0 });
            entry.total += contribution(tf);
            entry.matched |= mask;
            self.spare.push(entry);
        }
        self.spare.extend(old);
        std::mem::swap(&mut self.docs, &mut self.spare);
    }
}
