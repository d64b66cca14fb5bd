//! 02c, the fix for 02b: four threads × 1_000_000 increments (fewer: locking is slow), exact.
//! `fetch_add` is one indivisible read-modify-write (`lock inc` on x86-64); a `Mutex`
//! gives mutual exclusion: one thread at a time in the critical section.
//! Run it: `cargo run --release -p shared-memory-threads --example 02c-lost-update-fixed`
//! Read next: `02d-fork-copies.rs`, the same kind of counter in a forked child.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

const THREADS: u64 = 4;
const INCREMENTS: u64 = 1_000_000;

static ATOMIC: AtomicU64 = AtomicU64::new(0);
static LOCKED: Mutex<u64> = Mutex::new(0);

fn main() {
    thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                for _ in 0..INCREMENTS {
                    ATOMIC.fetch_add(1, Relaxed); // read, add, write as one step
                }
            });
        }
    });
    thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                for _ in 0..INCREMENTS {
                    let mut guard = LOCKED.lock().expect("no thread panicked holding it");
                    *guard += 1; // the critical section: only the lock holder gets here
                } // guard dropped: unlock, and wake one waiting thread, if there is one
                // (std calls futex(2) wake only when the lock was contended)
            });
        }
    });
    let expected = THREADS * INCREMENTS;
    let atomic = ATOMIC.load(Relaxed);
    let locked = *LOCKED.lock().expect("no thread panicked holding it");
    println!(
        "fetch_add: counter = {} (should be {})",
        grouped(atomic),
        grouped(expected)
    );
    println!(
        "Mutex:     counter = {} (should be {})",
        grouped(locked),
        grouped(expected)
    );
    assert_eq!(atomic, expected, "fetch_add never loses an update");
    assert_eq!(locked, expected, "neither does a Mutex");
}

/// 4000000 -> "4_000_000", the way Rust writes long numbers.
fn grouped(number: u64) -> String {
    let digits = number.to_string().into_bytes();
    let groups: Vec<&[u8]> = digits.rchunks(3).rev().collect();
    String::from_utf8(groups.join(&b'_')).expect("digits are ASCII")
}
