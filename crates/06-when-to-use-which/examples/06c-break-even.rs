//! 06c: the break-even. Splitting a job over two threads pays for starting one (tens of
//! µs), so a job smaller than that only gets slower. The job grows 4× at a time until the
//! split wins; it prints where that happened here (on one CPU it never wins).
//! Run it: `cargo run --release -p when-to-use-which --example 06c-break-even`
//! Read next: 06d, work where threads lose to processes whatever its size.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// The job: add up the squares of `numbers` (black_box: LLVM may not use the formula).
fn sum_of_squares(numbers: std::ops::Range<u64>) -> u64 {
    numbers
        .map(|n| black_box(n).wrapping_mul(n))
        .fold(0, u64::wrapping_add)
}

/// The fastest of 5 runs of `job`, and its answer.
fn fastest(job: impl Fn() -> u64) -> (Duration, u64) {
    let runs = (0..5).map(|_| {
        let started = Instant::now();
        let answer = job();
        (started.elapsed(), answer)
    });
    runs.min().expect("five runs")
}

/// `4_096_000`: digits grouped by three, the way every lesson prints numbers.
fn grouped(number: u64) -> String {
    let digits = number.to_string().into_bytes();
    let groups = digits.rchunks(3).rev().map(String::from_utf8_lossy);
    groups.collect::<Vec<_>>().join("_")
}

fn main() {
    let mut size = 1_000;
    println!("   numbers        serial   two threads");
    while size <= 4_096_000 {
        let (alone, whole) = fastest(|| sum_of_squares(0..size));
        let (split, halves) = fastest(|| {
            std::thread::scope(|scope| {
                let first = scope.spawn(|| sum_of_squares(0..size / 2)); // clone(2), then run
                let second = sum_of_squares(size / 2..size); // this thread does the other half
                first.join().expect("the first half").wrapping_add(second)
            })
        });
        assert_eq!(whole, halves, "splitting never changes the answer");
        println!("{:>10}  {alone:>12.1?}  {split:>12.1?}", grouped(size));
        if split < alone {
            let size = grouped(size);
            println!("two threads first won at {size} numbers: below that, splitting was slower");
            return;
        }
        size *= 4;
    }
    let most = grouped(size / 4);
    println!("two threads never won up to {most} numbers (one CPU, or a busy machine?)");
}
