// Not upstream: the structural check behind `Fst::verify_structure`.
//
// `Node::new` and the streams trust the bytes they are given. A checksum
// catches accidents, not bytes crafted to pass it, so an FST read from an
// untrusted source is walked once here: afterwards no lookup, stream, range
// or automaton search on it can index out of bounds, fail an assertion,
// overflow an output or loop.
use std::cmp;

use crate::raw::error::Error;
use crate::raw::node::Node;
use crate::raw::{CompiledAddr, FstRef, EMPTY_ADDRESS};

/// The version and type that start every FST. No node lies in them.
const HEADER_LEN: usize = 16;

impl<'f> FstRef<'f> {
    /// Checks every node, in two passes.
    ///
    /// The builder writes each node once, children first and the root last,
    /// so the nodes tile the bytes between the header and the trailer. The
    /// first pass follows that tiling down from the root, checking each node
    /// (`Node::checked`: its bytes, integer widths and transitions, which
    /// point to lower addresses, so walks end); nothing is visited twice, so
    /// the work is linear in the FST's size. The second, from the lowest
    /// address up (children first), checks that each transition points to
    /// the start of a node and counts the keys below each node and their
    /// largest output: every node must lead to a key (so a stream never
    /// explores a dead end), outputs along a path must fit in a `u64`, and
    /// the root must hold as many keys as the header says.
    pub(crate) fn verify_structure(&self) -> Result<(), Error> {
        let data = self.data;
        let version = self.meta.version;
        let root = self.root_addr();
        let malformed = |addr, reason| Error::Malformed { addr, reason };
        // After the root node: the key count, the root address and, from
        // version 3, the checksum.
        let trailer = if version <= 2 { 16 } else { 20 };
        let root_is_last = if root == EMPTY_ADDRESS {
            data.len() == HEADER_LEN + trailer
        } else {
            root.checked_add(trailer + 1) == Some(data.len())
        };
        if !root_is_last {
            return Err(malformed(
                root,
                "it is not the node before the trailer",
            ));
        }

        let mut nodes = Bits::new(data.len());
        let mut count = 0;
        let mut addr = root;
        while addr != EMPTY_ADDRESS {
            let node = Node::checked(version, addr, data, HEADER_LEN)
                .map_err(|reason| malformed(addr, reason))?;
            nodes.insert(addr);
            count += 1;
            // `Node::checked` keeps the node's first byte at or above the
            // header's end.
            let first = addr + 1 - node.as_slice().len();
            addr = if first == HEADER_LEN { EMPTY_ADDRESS } else { first - 1 };
        }

        let rank = nodes.ranks();
        // The number of keys below each node and their largest output, in
        // address order.
        // Sized once: a growing vector leaves holes behind in the heap of a
        // wasm module, which never shrinks.
        let mut below: Vec<(u64, u64)> = Vec::with_capacity(count);
        let overflow = "its keys' outputs or count overflow a u64";
        for addr in nodes.iter() {
            let node = self.node(addr);
            let mut keys = node.is_final() as u64;
            let mut max_output = node.final_output().value();
            for t in node.transitions() {
                let (child_keys, child_max) = if t.addr == EMPTY_ADDRESS {
                    (1, 0)
                } else if nodes.contains(t.addr) {
                    below[rank.of(&nodes, t.addr)]
                } else {
                    return Err(malformed(
                        addr,
                        "a transition points inside a node",
                    ));
                };
                keys = keys
                    .checked_add(child_keys)
                    .ok_or_else(|| malformed(addr, overflow))?;
                let output = t
                    .out
                    .value()
                    .checked_add(child_max)
                    .ok_or_else(|| malformed(addr, overflow))?;
                max_output = cmp::max(max_output, output);
            }
            if keys == 0 && addr != root {
                return Err(malformed(addr, "no key ends below it"));
            }
            below.push((keys, max_output));
        }
        // The root has the highest address, so it came last.
        let root_keys = if root == EMPTY_ADDRESS {
            1
        } else {
            below.last().map_or(0, |b| b.0)
        };
        if root_keys != self.meta.len as u64 {
            return Err(malformed(
                root,
                "its keys are not as many as the header says",
            ));
        }
        Ok(())
    }
}

/// A set of byte addresses.
struct Bits(Vec<u64>);

impl Bits {
    fn new(len: usize) -> Bits {
        Bits(vec![0; (len + 63) / 64])
    }

    fn contains(&self, at: usize) -> bool {
        self.0[at / 64] & (1 << (at % 64)) != 0
    }

    fn insert(&mut self, at: usize) {
        self.0[at / 64] |= 1 << (at % 64);
    }

    /// The members in increasing order.
    fn iter(&self) -> impl Iterator<Item = CompiledAddr> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                Some(i * 64 + bit)
            })
        })
    }

    /// How many members come before each word, for `Ranks::of`.
    fn ranks(&self) -> Ranks {
        let mut before = Vec::with_capacity(self.0.len());
        let mut count = 0;
        for word in &self.0 {
            before.push(count);
            count += word.count_ones() as usize;
        }
        Ranks(before)
    }
}

struct Ranks(Vec<usize>);

impl Ranks {
    /// The position of member `at` among the members of `bits`.
    fn of(&self, bits: &Bits, at: usize) -> usize {
        let lower = bits.0[at / 64] & ((1 << (at % 64)) - 1);
        self.0[at / 64] + lower.count_ones() as usize
    }
}
