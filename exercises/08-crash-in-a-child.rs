//! Exercise 8: a crash takes the whole program. It measures how deeply each of four
//! documents nests its brackets, with a recursive parser. Document 3 nests 1_000_000 deep:
//! the recursion overflows the stack, Rust aborts the process, and document 4 is never
//! measured. Parse each document in a child process of its own and report how each ended.
//! Done when `just check 8` passes: the depths of documents 1, 2 and 4, a line for document 3
//! naming the signal that ended it, and exit status 0. Read: chapter 04, listing 04e.

use nix::sys::{prctl, resource::Resource, resource::setrlimit};

/// Parses one group `( … )` that starts at `at`: returns its depth and where it ends.
fn group(text: &[u8], mut at: usize) -> (usize, usize) {
    let mut deepest_inside = 0;
    at += 1; // past the '('
    while at < text.len() && text[at] == b'(' {
        let (inner, end) = group(text, at); // a group inside: one call deeper
        deepest_inside = deepest_inside.max(inner);
        at = end;
    }
    (deepest_inside + 1, at + 1) // past the ')'
}

fn documents() -> Vec<String> {
    let deep = "(".repeat(1_000_000) + &")".repeat(1_000_000);
    vec!["(()())".into(), "((()))".into(), deep, "()".into()]
}

fn main() {
    setrlimit(Resource::RLIMIT_CORE, 0, 0).expect("setrlimit(2)"); // no core file...
    prctl::set_dumpable(false).expect("prctl(2)"); // ...even if core_pattern is a pipe
    for (number, text) in (1..).zip(documents()) {
        let (depth, _) = group(text.as_bytes(), 0);
        println!("document {number}: depth {depth}");
    }
}
