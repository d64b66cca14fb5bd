//! Exercise 1, solved: the read, the add and the write happen under one lock. The old
//! version locked twice, so another thread could store between our read and our write,
//! and our write then wiped its update out. Counting the words needs no lock at all.
//! (An `AtomicUsize` and `fetch_add` is the other fix: one indivisible read-modify-write.)
//! Check it: `just check 1 --solution`.

use std::sync::{Arc, Mutex};
use std::thread;

const THREADS: usize = 4;
const LINES_PER_THREAD: usize = 20_000;
const LINE: &str = "the quick brown fox jumps over the lazy dog";

fn main() {
    let total = Arc::new(Mutex::new(0_usize));
    let mut workers = Vec::new();
    for _ in 0..THREADS {
        let total = Arc::clone(&total);
        workers.push(thread::spawn(move || {
            for _ in 0..LINES_PER_THREAD {
                let words = LINE.split_whitespace().count(); // outside the critical section
                *total.lock().unwrap() += words; // read, add, write: all with the lock held
            }
        }));
    }
    for worker in workers {
        worker.join().expect("a counting thread");
    }
    let counted = *total.lock().unwrap();
    let expected = THREADS * LINES_PER_THREAD * LINE.split_whitespace().count();
    println!(
        "total = {} words (should be {})",
        grouped(counted),
        grouped(expected)
    );
}

/// 1800000 -> "1_800_000", the way Rust writes long numbers.
fn grouped(number: usize) -> String {
    let digits = number.to_string().into_bytes();
    let groups: Vec<&[u8]> = digits.rchunks(3).rev().collect();
    String::from_utf8(groups.join(&b'_')).expect("digits are ASCII")
}
