//! Which choice of each `--predict` question (`questions.md`) this run
//! showed: every question of this lesson depends on the run. `None`: the
//! run could not tell, and the question is not scored.

use crate::part5_address_space::{Showed, showed};
use crate::report::{AddressSpace, BreakEven, ThreadCount, Workload};

/// Part 1: 2, the threads finished the waiting tasks sooner; 1, serial did.
pub fn waiting(io: &Workload) -> usize {
    if io.threads.wall < io.serial.wall {
        2
    } else {
        1
    }
}

/// Part 2: 3, one CPU; 1, the threads were at least 1.2 × as fast as one
/// thread; 2, they were not.
pub fn computing(cpu: &Workload, cores: usize) -> usize {
    match () {
        _ if cores < 2 => 3,
        _ if cpu.threads.speedup >= 1.2 => 1,
        _ => 2,
    }
}

/// Part 3: 1, only 8 threads came within 10% of the best time; 2, fewer did.
pub fn more_threads(rows: &[ThreadCount], enough: usize) -> Option<usize> {
    let most = rows.iter().map(|row| row.threads).max()?;
    Some(if enough == most { 1 } else { 2 })
}

/// Part 4: 1, the smallest job was quicker split; 2, whole.
pub fn break_even(result: &BreakEven) -> Option<usize> {
    let smallest = result.rows.first()?;
    Some(if smallest.split < smallest.whole {
        1
    } else {
        2
    })
}

/// Part 5, as the lesson's own verdict reads the runs: 1, the threads were
/// not slower; 2, every threads run was slower than every processes run;
/// 3, one CPU.
pub fn address_space(space: &AddressSpace, cores: usize) -> Option<usize> {
    match showed(space, cores) {
        Showed::ThreadsNotSlower => Some(1),
        Showed::ThreadsLost => Some(2),
        Showed::OneCore => Some(3),
        _ => None, // too busy, too few runs, or overlapping runs
    }
}
