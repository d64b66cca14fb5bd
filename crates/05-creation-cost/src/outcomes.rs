//! The measurements `run` makes in a fresh copy of this program, and which
//! choice of each `--predict` question (`questions.md`) this run's figures
//! showed: every question of this lesson depends on the run.

use std::time::Duration;

use support::error::Result;
use support::timing::Stats;

use crate::report::{CREATION_ROWS, CreationCosts, ForkAtSize, IdleMemory, Pools};

/// Parts 1 and 2: every row, measured in a fresh copy of this program.
pub fn measure_creation(repeats: usize) -> Result<CreationCosts> {
    crate::roles::creation_from(&crate::fresh::in_fresh_process(
        crate::fresh::CREATION,
        &[repeats],
    )?)
}

/// `--part N`: only the rows `names` names (`std` … `command`), in a fresh
/// copy of this program; each with the table's words, in the order named.
pub fn measure_creation_rows(
    repeats: usize,
    names: &[&'static str],
) -> Result<Vec<(&'static str, Stats)>> {
    let mut arguments = vec![repeats.to_string()];
    arguments.extend(names.iter().map(|name| name.to_string()));
    let figures = crate::fresh::in_fresh_process(crate::fresh::CREATION, &arguments)?;
    let label = |name| {
        CREATION_ROWS
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(name, |r| r.1)
    };
    names
        .iter()
        .map(|&name| Ok((label(name), figures.stats(name)?)))
        .collect()
}

/// Part 3: a fork at each of `FORK_SIZES`, in a fresh copy of this program.
pub fn measure_fork_sizes(repeats: usize) -> Result<Vec<ForkAtSize>> {
    crate::roles::fork_sizes_from(&crate::fresh::in_fresh_process(
        crate::fresh::FORK_SIZES,
        &[repeats],
    )?)
}

/// Part 1: 1, a thread took under 1 µs; 2, 1 µs to 100 µs; 3, more.
pub fn thread_start(thread_spawn: &Stats) -> usize {
    match thread_spawn.median {
        m if m < Duration::from_micros(1) => 1,
        m if m <= Duration::from_micros(100) => 2,
        _ => 3,
    }
}

/// Part 2: 1, the thread was cheaper than fork + _exit; 2, the process.
pub fn thread_or_process(thread_spawn: &Stats, fork_exit: &Stats) -> usize {
    if thread_spawn.median < fork_exit.median {
        1
    } else {
        2
    }
}

/// Part 3: 2, the biggest parent's fork cost over 1.5 × the first's; 1, not.
pub fn fork_size(forks: &[ForkAtSize]) -> Option<usize> {
    let (first, last) = (
        forks.first()?.fork_exit.median,
        forks.last()?.fork_exit.median,
    );
    Some(if last.as_secs_f64() > 1.5 * first.as_secs_f64() {
        2
    } else {
        1
    })
}

/// Part 4: 2, an idle process cost more user memory than a thread; 1, less.
pub fn idle_memory(idle: &IdleMemory) -> Option<usize> {
    let (thread, process) = (idle.per_thread_bytes?, idle.per_process_bytes?);
    Some(if process > thread { 2 } else { 1 })
}

/// Part 5: 2, the pool of processes was quicker than a process per job; 1, not.
pub fn pools(pools: &Pools) -> Option<usize> {
    let way = |label: &str| pools.ways.iter().find(|w| w.label == label);
    let per_job = way("a new process per job")?.elapsed;
    let pool = way("a pool of processes")?.elapsed;
    Some(if pool < per_job { 2 } else { 1 })
}
