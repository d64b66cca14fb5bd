//! Exercise 9, solved: jobs below the break-even run on the calling thread. 64_000 is one of
//! the sizes listing 06c tries: set the one at which 06c saw two threads first win on your
//! machine (in a release build, on a quiet machine; on a busy one the split may never win).
//! Below the break-even, starting a thread costs more than half the job; on one CPU a split
//! never pays, as the two halves take turns. Check it: `just check 9 --solution`.

use std::hint::black_box;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Instant;

/// Jobs of at least this many numbers are split over two threads.
const SPLIT_FROM: u64 = 64_000;

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
