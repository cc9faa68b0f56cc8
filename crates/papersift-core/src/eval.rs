//! Ranking evaluation: nDCG@10, Recall@100, MRR@10.
//! TODO(cli helper)
