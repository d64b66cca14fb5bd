//! Part 4: the break-even. Splitting a job over a second thread costs the
//! thread's start and join; a job smaller than that only gets slower.

use std::hint::black_box;
use std::thread;
use std::time::{Duration, Instant};

use support::error::{Error, Result};
use support::say;
use support::timing::format_duration;

use crate::measure::grouped;
use crate::report::{BreakEven, SizeRow};

/// The job sizes tried: 1_000 numbers, then 4× more each time.
pub const SIZES: [u64; 7] = [1_000, 4_000, 16_000, 64_000, 256_000, 1_024_000, 4_096_000];

// ANCHOR: split
/// The job: add up the squares of `numbers` (black_box: LLVM may not
/// replace the loop by a formula).
fn sum_of_squares(numbers: std::ops::Range<u64>) -> u64 {
    numbers
        .map(|n| black_box(n).wrapping_mul(n))
        .fold(0, u64::wrapping_add)
}

/// The same job split in two: a new thread takes the first half, this one
/// the second; join adds them up.
fn split_in_two(size: u64) -> Result<u64> {
    thread::scope(|scope| {
        let first = scope.spawn(|| sum_of_squares(0..size / 2)); // clone(2)
        let second = sum_of_squares(size / 2..size);
        let first = first.join().map_err(|_| Error::msg("a thread panicked"))?;
        Ok(first.wrapping_add(second))
    })
}
// ANCHOR_END: split

/// Runs part 4 and prints its table.
pub fn break_even(cores: usize) -> Result<BreakEven> {
    say!("a small job, done whole and split over two threads (fastest of 5):");
    say!("   numbers       whole   split in two");
    let mut rows = Vec::new();
    for numbers in SIZES {
        let (whole, answer) = fastest(|| Ok(sum_of_squares(0..numbers)))?;
        let (split, halves) = fastest(|| split_in_two(numbers))?;
        if halves != answer {
            return Err(Error::msg(format!(
                "split in two, {numbers} numbers add up differently"
            )));
        }
        let [w, s] = [whole, split].map(format_duration);
        say!("{:>10}  {w:>10}  {s:>13}", grouped(numbers));
        rows.push(SizeRow {
            numbers,
            whole,
            split,
        });
    }
    let split_first_won = rows
        .iter()
        .find(|row| row.split < row.whole)
        .map(|row| row.numbers);
    match split_first_won {
        Some(numbers) => {
            let numbers = grouped(numbers);
            say!("the split first won at {numbers} numbers; below that, a new thread");
            say!("cost more than the half of the job it took over");
        }
        None if cores == 1 => say!("the split never won: one CPU cannot run both halves at once"),
        None => say!("the split never won here: was the machine too busy to lend a core?"),
    }
    Ok(BreakEven {
        rows,
        split_first_won,
    })
}

/// The fastest of five runs of `job`, and its answer.
fn fastest(mut job: impl FnMut() -> Result<u64>) -> Result<(Duration, u64)> {
    let mut best = (Duration::MAX, 0);
    for _ in 0..5 {
        let started = Instant::now();
        let answer = job()?;
        best = best.min((started.elapsed(), answer));
    }
    Ok(best)
}
