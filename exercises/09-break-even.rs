//! Exercise 9: find the break-even. `sum_of_squares` splits every job over two threads; this
//! runs 2_000 small jobs (100 numbers), 200 of 2_000, then 4 large ones. A split pays for a
//! thread start, tens of µs: a small job only gets slower. Find the job size from which
//! two threads win on this machine and set SPLIT_FROM: listing 06c measures this very job
//! (`cargo run --release -p when-to-use-which --example 06c-break-even`; the check builds this
//! in release too). Done when `just check 9` passes: no job of 100 or 2_000 numbers is
//! split, and (given two CPUs) every large one is. Read: chapter 06, listing 06c; chapter 05.

use std::hint::black_box;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Instant;

/// Jobs of at least this many numbers are split over two threads.
const SPLIT_FROM: u64 = 0;

static SPLITS: AtomicU64 = AtomicU64::new(0); // how many jobs were split

fn serial(numbers: Range<u64>) -> u64 {
    numbers
        .map(|n| black_box(n).wrapping_mul(n))
        .fold(0, u64::wrapping_add)
}

fn split(numbers: Range<u64>) -> u64 {
    SPLITS.fetch_add(1, Relaxed);
    let middle = numbers.start + (numbers.end - numbers.start) / 2;
    std::thread::scope(|scope| {
        let first = scope.spawn(|| serial(numbers.start..middle)); // clone(2), then run
        serial(middle..numbers.end).wrapping_add(first.join().expect("the first half"))
    })
}

fn sum_of_squares(numbers: Range<u64>) -> u64 {
    let small = numbers.end - numbers.start < SPLIT_FROM;
    if small {
        serial(numbers)
    } else {
        split(numbers)
    }
}

fn main() {
    for (jobs, size) in [(2_000, 100), (200, 2_000), (4, 8_192_000)] {
        let started = Instant::now();
        for job in 0..jobs {
            black_box(sum_of_squares(job..job + size)); // every job adds different numbers
        }
        let (took, splits) = (started.elapsed(), SPLITS.swap(0, Relaxed));
        let (jobs, size, splits) = (grouped(jobs), grouped(size), grouped(splits));
        println!("{jobs} jobs of {size} numbers: {splits} split, {took:.1?}");
    }
}

/// 4000000 -> "4_000_000", the way Rust writes long numbers.
fn grouped(number: u64) -> String {
    let digits = number.to_string().into_bytes();
    let groups: Vec<&[u8]> = digits.rchunks(3).rev().collect();
    String::from_utf8(groups.join(&b'_')).expect("digits are ASCII")
}
