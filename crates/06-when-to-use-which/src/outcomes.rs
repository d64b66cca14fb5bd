//! Which choice of each `--predict` question (`questions.md`) this run
//! showed: every question of this lesson depends on the run. `None`: the
//! run could not tell, and the question is not scored.

use support::say;

use crate::part5_address_space::{Showed, showed};
use crate::report::{AddressSpace, BreakEven, ThreadCount, Workload};

/// Part 1: 2, the threads finished the waiting tasks sooner; 1, serial did.
pub fn waiting(io: &Workload) -> Option<usize> {
    Some(if io.threads.wall < io.serial.wall {
        2
    } else {
        1
    })
}

/// Part 2: 1, the threads were at least 1.2 × as fast as one thread; 2,
/// they were not; `None` on one CPU, where nothing can run at once.
pub fn computing(cpu: &Workload, cores: usize) -> Option<usize> {
    match () {
        _ if one_cpu_decides(cores) => None,
        _ if cpu.threads.speedup >= 1.2 => Some(1),
        _ => Some(2),
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
/// not slower; 2, every threads run was slower than every processes run.
pub fn address_space(space: &AddressSpace, cores: usize) -> Option<usize> {
    match showed(space, cores) {
        _ if one_cpu_decides(cores) => None,
        Showed::ThreadsNotSlower => Some(1),
        Showed::ThreadsLost => Some(2),
        _ => None, // too busy, too few runs, or overlapping runs
    }
}

/// Parts 2 and 5 ask what threads show when they run at once. On one CPU
/// (`taskset -c 0`) none can: the machine, not the lesson, decides the
/// answer, so it is not scored, and under `--predict` a line says why.
fn one_cpu_decides(cores: usize) -> bool {
    let predicting = support::classroom::options().0.predict;
    if cores < 2 && predicting {
        say!("(one CPU: no two threads could run at once, so this is not scored)");
    }
    cores < 2
}
