//! One sorting routine for the search path.
//!
//! The standard library's sorts are generic: every call site with its own element type or
//! comparator gets its own copy of the sorting code, a few KB of wasm each, and the engine had
//! a dozen. These functions sort the items' positions through a `dyn` comparator instead, so the
//! engine carries one copy of the sort and one of the selection, and each call site adds only its
//! comparator and a move of the items into their new order. Ties are broken by position, so
//! every order is the stable one, whichever function is used.
//!
//! The search path sorts short lists (expansions of a word, facet values, the top hits). A sort
//! of long lists in a hot loop (the merge of a word group's postings in `search::score`) keeps
//! the standard library's, which compares without the indirection.

use std::cmp::Ordering;

/// Sorts `items` by `order`, stably.
pub(crate) fn sort_by<T>(items: &mut [T], order: impl Fn(&T, &T) -> Ordering) {
    let positions = sorted_positions(items.len(), None, &|a, b| order(&items[a], &items[b]));
    for (i, from) in swaps(items.len(), &positions) {
        items.swap(i, from);
    }
}

/// Keeps the first `k` of `items` in the stable order of `order`, sorted: `sort_by` and then
/// `truncate(k)`, without sorting the rest (a linear selection first).
pub(crate) fn top_by<T>(items: &mut Vec<T>, k: usize, order: impl Fn(&T, &T) -> Ordering) {
    let positions = sorted_positions(items.len(), Some(k), &|a, b| order(&items[a], &items[b]));
    for (i, from) in swaps(items.len(), &positions) {
        items.swap(i, from);
    }
    items.truncate(positions.len());
}

/// The positions `0..len` in the order of `order` (ties by position); with `Some(k)`, only the
/// first `k` of them.
fn sorted_positions(len: usize, k: Option<usize>, order: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let by = |a: &usize, b: &usize| order(*a, *b).then(a.cmp(b));
    let mut positions: Vec<usize> = (0..len).collect();
    if let Some(k) = k {
        if k == 0 {
            positions.clear();
        } else if k < len {
            positions.select_nth_unstable_by(k - 1, by);
            positions.truncate(k);
        }
    }
    positions.sort_unstable_by(by);
    positions
}

/// The swaps, in turn, that bring the item at `positions[i]` of `len` items to `i` for every `i`
/// of `positions` (distinct positions). The items past `positions.len()` are then the rest, in
/// no particular order. Not generic, so that each call site only adds its loop of swaps.
fn swaps(len: usize, positions: &[usize]) -> Vec<(usize, usize)> {
    // `now_at[p]` is where the item first at `p` is now, `holds[i]` which item is now at `i`.
    let mut now_at: Vec<usize> = (0..len).collect();
    let mut holds: Vec<usize> = (0..len).collect();
    let mut swaps = Vec::with_capacity(positions.len());
    for (i, &wanted) in positions.iter().enumerate() {
        let from = now_at[wanted];
        swaps.push((i, from));
        let displaced = holds[i];
        holds[from] = displaced;
        now_at[displaced] = from;
        holds[i] = wanted;
        now_at[wanted] = i;
    }
    swaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, ties included.
        #[test]
        fn sort_by_is_the_stable_sort(items in prop::collection::vec((0u8..4, 0u16..1000), 0..200)) {
            let mut expected = items.clone();
            expected.sort_by_key(|a| a.0);
            let mut sorted = items;
            sort_by(&mut sorted, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(sorted, expected);
        }

        /// The first `k` of the stable sort.
        #[test]
        fn top_by_is_the_start_of_the_stable_sort(
            items in prop::collection::vec((0u8..4, 0u16..1000), 0..200),
            k in 0usize..250,
        ) {
            let mut expected = items.clone();
            expected.sort_by_key(|a| std::cmp::Reverse(a.0));
            expected.truncate(k);
            let mut top = items;
            top_by(&mut top, k, |a, b| b.0.cmp(&a.0));
            prop_assert_eq!(top, expected);
        }
    }

    #[test]
    fn items_that_own_memory_are_moved_not_copied() {
        let mut words: Vec<String> = ["pear", "fig", "apple", "fig"].map(String::from).to_vec();
        sort_by(&mut words, |a, b| a.cmp(b));
        assert_eq!(words, ["apple", "fig", "fig", "pear"]);
        top_by(&mut words, 2, |a, b| b.len().cmp(&a.len()));
        assert_eq!(words, ["apple", "pear"]);
    }
}
