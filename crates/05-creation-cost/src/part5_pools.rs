//! Part 5: pools pay creation once. The same tiny jobs four ways: a new
//! thread per job, a pool of threads, a new process per job, a pool of
//! processes forked once. Each job's result is checked. Run in a fresh
//! process (`roles::pools`), like every other part.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use support::error::{Context, Error, Result};

use crate::pool_processes::{per_job_processes, pre_forked_pool};
use crate::report::{PoolWay, Pools};

/// The four ways, in the order they run and print.
pub const WAYS: [&str; 4] = [
    "a new thread per job",
    "a pool of threads",
    "a new process per job",
    "a pool of processes",
];

/// Loop turns in one tiny job.
pub const JOB_SIZE: u64 = 1_000;

/// The job: a sum the compiler cannot skip. Its answer is known (below).
pub fn job(index: u64) -> u64 {
    (0..JOB_SIZE).fold(index, |sum, turn| black_box(sum.wrapping_add(turn)))
}

pub fn expected_total(jobs: usize) -> u64 {
    (0..jobs as u64)
        .map(|index| index + JOB_SIZE * (JOB_SIZE - 1) / 2)
        .sum()
}

/// Runs `jobs` jobs each way on `workers` workers at a time.
pub fn run_pools(jobs: usize, workers: usize) -> Result<Pools> {
    let start = Instant::now();
    let inline: u64 = (0..jobs as u64).map(job).sum();
    let job_alone = start.elapsed() / jobs.max(1) as u32;
    if inline != expected_total(jobs) {
        return Err(Error::msg("the jobs' own sum is wrong"));
    }
    let ways = vec![
        timed(WAYS[0], jobs, || per_job_threads(jobs, workers))?,
        timed(WAYS[1], jobs, || thread_pool(jobs, workers))?,
        timed(WAYS[2], jobs, || per_job_processes(jobs, workers))?,
        timed(WAYS[3], jobs, || pre_forked_pool(jobs, workers))?,
    ];
    Ok(Pools {
        jobs,
        workers,
        job_alone,
        ways,
    })
}

fn timed(label: &'static str, jobs: usize, way: impl FnOnce() -> Result<u64>) -> Result<PoolWay> {
    let start = Instant::now();
    let total = way()?;
    let elapsed: Duration = start.elapsed();
    Ok(PoolWay {
        label,
        elapsed,
        results_right: total == expected_total(jobs),
    })
}

// ANCHOR: per_job_threads
/// A thread per job, `workers` at a time: start them, join them, next wave.
fn per_job_threads(jobs: usize, workers: usize) -> Result<u64> {
    let mut total = 0;
    for wave in (0..jobs as u64).collect::<Vec<_>>().chunks(workers) {
        let handles: Vec<_> = wave
            .iter()
            .map(|&index| thread::spawn(move || job(index)))
            .collect();
        for handle in handles {
            total += handle.join().map_err(|_| Error::msg("a job panicked"))?;
        }
    }
    Ok(total)
}
// ANCHOR_END: per_job_threads

// ANCHOR: thread_pool
/// `workers` threads started once; each takes the next job number until none is left.
fn thread_pool(jobs: usize, workers: usize) -> Result<u64> {
    let (next, total) = (AtomicUsize::new(0), AtomicU64::new(0));
    thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed); // claim a job
                        if index >= jobs {
                            break;
                        }
                        total.fetch_add(job(index as u64), Ordering::Relaxed);
                    }
                })
            })
            .collect();
        for handle in handles {
            handle
                .join()
                .map_err(|_| Error::msg("a pool thread panicked"))?;
        }
        Ok::<(), Error>(())
    })
    .context("the thread pool")?;
    Ok(total.into_inner())
}
// ANCHOR_END: thread_pool
