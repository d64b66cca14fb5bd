//! Exercise 1: the lost update. Four threads count the words of a text, a line at a time,
//! into one shared total. Every access to the total takes the `Mutex`, yet the total
//! comes out short, and by a different amount on each run. Make it exact.
//! Done when `just check 1` passes: three runs, each printing the exact total.
//! Read: chapter 02, listings 02b (the race) and 02c (two fixes).

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
                let so_far = *total.lock().unwrap();
                let words = LINE.split_whitespace().count();
                *total.lock().unwrap() = so_far + words;
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
