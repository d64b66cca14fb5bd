//! 02b, BROKEN on purpose (CS:APP's `badcnt.c`): four threads each add 1 to one shared
//! counter 5_000_000 times with a separate load and store. That is a race condition:
//! when two threads overlap between load and store, one update is lost.
//! Run it: `cargo run --release -p shared-memory-threads --example 02b-lost-update-broken`
//! (run it a few times). Read next: `02c-lost-update-fixed.rs`, the same count made exact.

use std::hint::black_box;
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

const THREADS: u64 = 4;
const INCREMENTS: u64 = 5_000_000;

/// One counter for the whole process: every thread sees this one.
static COUNTER: AtomicU64 = AtomicU64::new(0);

fn main() {
    let start_line = Barrier::new(THREADS as usize);
    thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                start_line.wait(); // all four start together, so that they overlap
                for _ in 0..INCREMENTS {
                    // The critical section, unprotected: read, add one, write back.
                    let seen = COUNTER.load(Relaxed); // read...
                    // black_box keeps `seen` in flight between two instructions;
                    // without it LLVM emits one `inc qword ptr [COUNTER]`, still
                    // not atomic (no `lock`), just a narrower window.
                    COUNTER.store(black_box(seen) + 1, Relaxed); // ...write: may undo others
                }
            });
        }
    }); // the scope joins all four threads here
    let counted = COUNTER.load(Relaxed);
    let expected = THREADS * INCREMENTS;
    println!(
        "counter = {} (should be {})",
        grouped(counted),
        grouped(expected)
    );
    if counted == expected {
        println!("no overlap this time: run again");
    } else {
        println!("lost {} updates", grouped(expected - counted));
    }
    assert!(
        counted <= expected,
        "a lost update can only lose, never add"
    );
}

/// 3912004 -> "3_912_004", the way Rust writes long numbers.
fn grouped(number: u64) -> String {
    let digits = number.to_string().into_bytes();
    let groups: Vec<&[u8]> = digits.rchunks(3).rev().collect();
    String::from_utf8(groups.join(&b'_')).expect("digits are ASCII")
}
