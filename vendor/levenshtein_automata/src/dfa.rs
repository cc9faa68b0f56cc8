use super::Distance;

/// Sink state. See [DFA](./index.html)
pub const SINK_STATE: u32 = 0u32;

/// Implementation of a Deterministic Finite Automaton for
/// a Levenshtein Automaton targeting UTF-8 encoded strings.
///
/// The automaton does not validate `utf-8`.
/// It will not return errors when fed with invalid `utf-8`
///
/// The only `sink` state is guaranteed to be `SINK`.
///
/// This means that if you reach the sink state you are
/// guaranteed that regardless of the sequence of bytes
/// you might consume in the future, you will always
/// remain in the same state.
///
/// This property can be exploited to abort further
/// evaluation.
///
///
/// # Usage
///
/// ```rust
/// # extern crate levenshtein_automata;
/// # use levenshtein_automata::{LevenshteinAutomatonBuilder, Distance};
/// # use levenshtein_automata::SINK_STATE;
/// # fn main() {
/// #   // Building this factory is not free.
/// #   let lev_automaton_builder = LevenshteinAutomatonBuilder::new(2, true);
/// #  // We can now build an entire dfa.
/// #  let dfa = lev_automaton_builder.build_dfa("Levenshtein");
/// # let str = "Levenshtain";
/// let mut state = dfa.initial_state();
/// for &byte in str.as_bytes() {
///     state = dfa.transition(state, byte);
///     if state == SINK_STATE {
///         break;
///     }
/// }
/// let distance = dfa.distance(state);
/// # }
//```
pub struct DFA {
    bytes: ByteClasses,
    /// `transitions[state * bytes.count + bytes.class[byte]]`.
    transitions: Vec<u32>,
    distances: Vec<Distance>,
    initial_state: u32,
}

/// The bytes every state of one query's DFA treats alike. A state's transitions are filled by
/// UTF-8 lead-byte range (`0..192`, `192..224`, `224..240`, `240..256`) and then set for the bytes
/// of the query's characters only, so each of those bytes needs a column of its own and every
/// other byte shares its range's: a row of a few columns instead of 256 entries, which made
/// building the DFA mostly filling memory.
#[derive(Clone)]
struct ByteClasses {
    class: [u16; 256],
    /// For each class, the range (0 to 3: the number of bytes that follow a lead byte) it is in.
    range: Vec<u8>,
}

impl ByteClasses {
    const RANGES: [(usize, usize); 4] = [(0, 192), (192, 224), (224, 240), (240, 256)];

    fn for_chars(chars: &[char]) -> ByteClasses {
        let mut class = [0u16; 256];
        for (range, &(start, end)) in Self::RANGES.iter().enumerate() {
            for byte in start..end {
                class[byte] = range as u16;
            }
        }
        let mut classes = ByteClasses { class, range: vec![0, 1, 2, 3] };
        let mut own = [false; 256];
        for chr in chars {
            let mut buffer = [0u8; 4];
            for &byte in chr.encode_utf8(&mut buffer).as_bytes() {
                if !own[byte as usize] {
                    own[byte as usize] = true;
                    let range = classes.range[classes.class[byte as usize] as usize];
                    classes.class[byte as usize] = classes.range.len() as u16;
                    classes.range.push(range);
                }
            }
        }
        classes
    }

    fn count(&self) -> usize {
        self.range.len()
    }

    fn column(&self, byte: u8) -> usize {
        self.class[byte as usize] as usize
    }
}

impl DFA {
    /// Returns the initial state
    pub fn initial_state(&self) -> u32 {
        self.initial_state
    }

    /// Helper function that consumes all of the bytes
    /// a sequence of bytes and returns the resulting
    /// distance.
    pub fn eval<B: AsRef<[u8]>>(&self, text: B) -> Distance {
        let mut state = self.initial_state();
        for &b in text.as_ref() {
            state = self.transition(state, b);
        }
        self.distance(state)
    }

    /// Returns the Levenshtein distance associated to the
    /// current state.
    pub fn distance(&self, state_id: u32) -> Distance {
        self.distances[state_id as usize]
    }

    /// Returns the number of states in the `DFA`.
    pub fn num_states(&self) -> usize {
        self.distances.len()
    }

    /// Returns the destination state reached after consuming a given byte.
    pub fn transition(&self, from_state_id: u32, b: u8) -> u32 {
        self.transitions[from_state_id as usize * self.bytes.count() + self.bytes.column(b)]
    }
}

#[cfg(feature = "fst_automaton")]
use fst;
#[cfg(feature = "fst_automaton")]
impl fst::Automaton for DFA {
    type State = u32;

    fn start(&self) -> u32 {
        self.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        match self.distance(*state) {
            Distance::Exact(d) => true,
            Distance::AtLeast(_) => false,
        }
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.transition(*state, byte)
    }
}


pub struct Utf8DFAStateBuilder<'a> {
    dfa_builder: &'a mut Utf8DFABuilder,
    state_id: u32,
    default_successor: [u32; 4],
}

impl<'a> Utf8DFAStateBuilder<'a> {
    fn add_transition_id(&mut self, from_state_id: u32, b: u8, to_state_id: u32) {
        *self.dfa_builder.transition_mut(from_state_id, b) = to_state_id;
    }

    pub fn add_transition(&mut self, chr: char, to_state_id: u32) {
        let mut buffer = [0u8; 4];

        // The char may translate into more than one bytes.
        // We create a chain for this reason.
        let bytes: &[u8] = chr.encode_utf8(&mut buffer).as_bytes();
        let mut from_state_id_decoded = self.state_id;
        for (i, b) in bytes[..bytes.len() - 1].iter().cloned().enumerate() {
            let remaining_num_bytes = bytes.len() - i as usize - 1 as usize;
            let default_successor = self.default_successor[remaining_num_bytes];
            let mut intermediary_state_id: u32 =
                *self.dfa_builder.transition_mut(from_state_id_decoded, b);
            if intermediary_state_id == default_successor {
                intermediary_state_id = self.dfa_builder.allocate();
                let successor = self.default_successor[remaining_num_bytes - 1];
                self.dfa_builder.fill(intermediary_state_id, |_| successor);
            }
            self.add_transition_id(from_state_id_decoded, b, intermediary_state_id);
            from_state_id_decoded = intermediary_state_id;
        }

        let to_state_id_decoded = self
            .dfa_builder
            .get_or_allocate(Utf8StateId::original(to_state_id));
        self.add_transition_id(
            from_state_id_decoded,
            bytes[bytes.len() - 1],
            to_state_id_decoded,
        );
    }
}

/// `Utf8DFABuilder` makes it possible to define a DFA
/// that takes unicode character, and build a `DFA`
/// that operates on utf-8 encoded `&[u8]`.
pub struct Utf8DFABuilder {
    index: Vec<Option<u32>>,
    distances: Vec<Distance>,
    bytes: ByteClasses,
    transitions: Vec<u32>,
    initial_state: u32,
    num_states: u32,
    max_num_states: u32,
}

#[derive(Eq, PartialEq, Hash, Clone, Copy)]
struct Utf8StateId(u32);
impl Utf8StateId {
    pub fn original(state_id: u32) -> Utf8StateId {
        Utf8StateId::predecessor(state_id, 0u8)
    }

    pub fn predecessor(state_id: u32, num_steps: u8) -> Utf8StateId {
        Utf8StateId(state_id * 4u32 + u32::from(num_steps))
    }
}

impl Utf8DFABuilder {
    /// Creates a new dictionary.
    ///
    /// The `builder` will only accept `state_id` that are
    /// lower than `max_num_states`.
    /// `chars` are those the DFA gives transitions of their own (`Utf8DFAStateBuilder::add_transition`);
    /// any other character takes a state's default successor.
    pub fn with_max_num_states(max_num_states: usize, chars: &[char]) -> Utf8DFABuilder {
        let bytes = ByteClasses::for_chars(chars);
        Utf8DFABuilder {
            index: vec![None; max_num_states * 4 + 3],
            distances: Vec::with_capacity(100),
            transitions: Vec::with_capacity(100 * bytes.count()),
            bytes,
            initial_state: 0u32,
            num_states: 0u32,
            max_num_states: max_num_states as u32,
        }
    }

    fn allocate(&mut self) -> u32 {
        let new_state = self.num_states;
        self.num_states += 1;
        self.distances
            .resize(new_state as usize + 1, Distance::AtLeast(255));
        self.transitions
            .resize((new_state as usize + 1) * self.bytes.count(), 0u32);
        new_state
    }

    fn transition_mut(&mut self, state_id: u32, b: u8) -> &mut u32 {
        &mut self.transitions[state_id as usize * self.bytes.count() + self.bytes.column(b)]
    }

    /// Sets every transition of `state_id`: those of the bytes in range `r` (see `ByteClasses`)
    /// to `successor(r)`.
    fn fill(&mut self, state_id: u32, successor: impl Fn(usize) -> u32) {
        let count = self.bytes.count();
        let row = &mut self.transitions[state_id as usize * count..][..count];
        for (to, &range) in row.iter_mut().zip(&self.bytes.range) {
            *to = successor(range as usize);
        }
    }

    fn get_or_allocate(&mut self, state: Utf8StateId) -> u32 {
        let state_bucket = state.0 as usize;
        if let Some(state) = self.index[state_bucket] {
            return state;
        }
        let new_state = self.allocate();
        self.index[state_bucket] = Some(new_state);
        new_state
    }

    pub fn set_initial_state(&mut self, initial_state: u32) {
        let state_id_decoded = self.get_or_allocate(Utf8StateId::original(initial_state));
        self.initial_state = state_id_decoded
    }

    /// Define a new state.
    pub fn add_state(
        &mut self,
        state: u32,
        distance: Distance,
        default_successor_orig: u32,
    ) -> Utf8DFAStateBuilder<'_> {
        assert!(
            state < self.max_num_states,
            "State id is larger than max_num_states"
        );
        let state_id = self.get_or_allocate(Utf8StateId::original(state));
        self.distances[state_id as usize] = distance;

        let default_successor_id =
            self.get_or_allocate(Utf8StateId::original(default_successor_orig));

        // creates a chain of states of predecessors of `default_successor_orig`.
        // Accepting k-bytes (whatever the bytes are) from `predecessor_states[k-1]`
        // leads to the `default_successor_orig` state.
        let mut predecessor_states = [default_successor_id; 4];

        {
            for num_bytes in 1..4 {
                let predecessor_state =
                    Utf8StateId::predecessor(default_successor_orig, num_bytes as u8);
                let predecessor_state_id = self.get_or_allocate(predecessor_state);
                predecessor_states[num_bytes] = predecessor_state_id;
                let succ = predecessor_states[num_bytes - 1];
                self.fill(predecessor_state_id, |_| succ);
            }
        }

        // A lead byte of a character of 1, 2, 3 or 4 bytes: after the rest of it, the default successor.
        self.fill(state_id, |range| predecessor_states[range]);

        Utf8DFAStateBuilder {
            dfa_builder: self,
            state_id,
            default_successor: predecessor_states,
        }
    }

    pub fn build(self) -> DFA {
        DFA {
            bytes: self.bytes,
            transitions: self.transitions,
            distances: self.distances,
            initial_state: self.initial_state,
        }
    }
}

#[cfg(test)]
mod tests {

    use super::Distance;
    use super::Utf8DFABuilder;

    #[test]
    fn test_utf8_dfa_builder() {
        let mut dfa_builder = Utf8DFABuilder::with_max_num_states(2, &[]);
        dfa_builder.add_state(0, Distance::Exact(1u8), 1);
        dfa_builder.add_state(1, Distance::Exact(0u8), 0);
        dfa_builder.set_initial_state(1u32);
        let dfa = dfa_builder.build();
        let parity_num_letters = |s: &str| dfa.eval(s).to_u8();
        assert_eq!(parity_num_letters("abcdef"), 0u8);
        assert_eq!(parity_num_letters("a"), 1u8);
        assert_eq!(parity_num_letters("aあ"), 0u8);
        assert_eq!(parity_num_letters("❤"), 1u8);
        assert_eq!(parity_num_letters("❤❤"), 0u8);
        assert_eq!(parity_num_letters("❤a"), 0u8);
        assert_eq!(parity_num_letters("あ"), 1u8);
        assert_eq!(parity_num_letters("ああ"), 0u8);
    }
}
