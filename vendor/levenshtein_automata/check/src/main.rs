//! The patched DFA must be the upstream DFA with a smaller table: for thousands of query words
//! (ASCII, and mixes of 1- to 4-byte characters), both distances, with and without
//! transpositions, whole-word and prefix, the same initial state, the same number of states, and
//! for every state the same distance and the same successor on every byte.

fn main() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let letters: Vec<char> = "abcdeéあ❤𝔼zqx-".chars().collect();
    let mut words: Vec<String> = ["", "a", "mergng", "multimsodal", "dmsortanefficientearallelmaritimemultiobjecttrackingarchitecture"]
        .map(String::from)
        .to_vec();
    for _ in 0..3000 {
        let len = (random() % 14) as usize;
        let ascii = random() % 2 == 0;
        words.push(
            (0..len)
                .map(|_| if ascii { (b'a' + (random() % 26) as u8) as char } else { letters[(random() % letters.len() as u64) as usize] })
                .collect(),
        );
    }
    let settings = [(1, true), (2, true), (1, false), (2, false)];
    let (mut automata, mut states) = (0u64, 0u64);
    for (distance, transpositions) in settings {
        let upstream = upstream::LevenshteinAutomatonBuilder::new(distance, transpositions);
        let patched = patched::LevenshteinAutomatonBuilder::new(distance, transpositions);
        for word in &words {
            for prefix in [false, true] {
                let (a, b) = if prefix {
                    (upstream.build_prefix_dfa(word), patched.build_prefix_dfa(word))
                } else {
                    (upstream.build_dfa(word), patched.build_dfa(word))
                };
                let what = format!("{word:?} distance {distance} transpositions {transpositions} prefix {prefix}");
                assert_eq!(a.initial_state(), b.initial_state(), "initial state of {what}");
                assert_eq!(a.num_states(), b.num_states(), "states of {what}");
                for state in 0..a.num_states() as u32 {
                    assert_eq!(format!("{:?}", a.distance(state)), format!("{:?}", b.distance(state)), "{what}, state {state}");
                    for byte in 0..=255u8 {
                        assert_eq!(a.transition(state, byte), b.transition(state, byte), "{what}, state {state}, byte {byte}");
                    }
                }
                automata += 1;
                states += a.num_states() as u64;
            }
        }
    }
    println!("{automata} automata, {states} states: every distance and transition is the same");
}
