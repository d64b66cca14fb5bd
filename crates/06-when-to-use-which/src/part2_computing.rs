//! Part 2: work that computes. Count the primes below N, split into W
//! parts: one after another, on W threads, on W processes. Every mode must
//! find the same count.

use std::fs::File;
use std::thread;

use nix::unistd::pipe;
use support::error::{Context, Result};
use support::say;

use crate::Options;
use crate::measure::{Mode, counted, grouped, measure_modes, median, print_modes};
use crate::report::Workload;
use crate::workers::{
    Children, check_agreement, fork_worker, join_all, receive_results, send_result,
};

/// Runs part 2 and prints its table.
pub fn computing(options: &Options, cores: usize, children: &mut Children) -> Result<Workload> {
    let (size, parts) = (options.size, options.workers as usize);
    let (below, repeats) = (grouped(size), options.repeats);
    say!(
        "count the primes below {below} by trial division, in {}",
        counted(parts, "part")
    );
    say!(
        "this process may use {}; each mode runs {repeats} times,",
        counted(cores, "core")
    );
    say!("in turns (serial first, then threads first, ...); the median is shown");
    let [serial, threads, processes] = measure_modes(repeats as usize, |mode, speak| match mode {
        Mode::Serial => Ok(count_primes(size, 0, 1)),
        Mode::Threads => cpu_threads(size, parts, speak),
        Mode::Processes => cpu_processes(size, parts, speak, children),
    })?
    .map(|runs| median(&runs));
    let workload = Workload {
        parts,
        serial: serial.with_speedup(&serial),
        threads: threads.with_speedup(&serial),
        processes: processes.with_speedup(&serial),
    };
    print_modes(&workload.modes());
    check_agreement("the prime counts", &workload)?;
    if workload.serial.cores_busy < 0.8 {
        let share = workload.serial.cores_busy; // the serial run wants one whole core
        say!("note: the serial run got only {share:.2} of a core: other programs were");
        say!("      busy here, so this run's speed-ups are rough");
    }
    Ok(workload)
}

// ANCHOR: job
/// The job: how many primes are below `below`, counting only this part's
/// share of the numbers. Numbers get dearer to test as they grow, so
/// instead of cutting the range into `parts` slices (the last would take
/// longest), blocks of numbers are dealt out in turn, like cards.
pub fn count_primes(below: u64, part: usize, parts: usize) -> u64 {
    const BLOCK: u64 = 4096;
    let mut count = 0;
    let mut start = part as u64 * BLOCK;
    while start < below {
        let end = (start + BLOCK).min(below);
        count += (start..end).filter(|&number| is_prime(number)).count() as u64;
        start += parts as u64 * BLOCK;
    }
    count
}
// ANCHOR_END: job

/// Trial division: pure arithmetic, no memory traffic, no system calls.
fn is_prime(number: u64) -> bool {
    if number < 2 {
        return false;
    }
    if number % 2 == 0 {
        return number == 2;
    }
    let mut divisor = 3;
    while divisor * divisor <= number {
        if number % divisor == 0 {
            return false;
        }
        divisor += 2;
    }
    true
}

/// One thread per part; the parts' counts are added up.
pub fn cpu_threads(size: u64, parts: usize, speak: bool) -> Result<u64> {
    thread::scope(|scope| {
        let mut handles = Vec::new();
        for part in 0..parts {
            let handle = thread::Builder::new()
                .name(format!("worker-{}", part + 1))
                .spawn_scoped(scope, move || {
                    let primes = count_primes(size, part, parts);
                    if speak {
                        say!("part {} of {parts}: {} primes", part + 1, grouped(primes));
                    }
                    Ok(primes)
                })
                .context("spawning a thread")?;
            handles.push(handle);
        }
        join_all(handles)
    })
}

// ANCHOR: cpu_processes
/// One forked process per part; each sends its count through a pipe.
fn cpu_processes(size: u64, parts: usize, speak: bool, children: &mut Children) -> Result<u64> {
    // pipe(2): the only way back from a process with memory of its own.
    let (results_read, results_write) = pipe().context("pipe(2)")?;
    let results_write = File::from(results_write);
    let mut workers = Vec::new();
    for part in 0..parts {
        workers.push(fork_worker(children, || {
            let primes = count_primes(size, part, parts);
            if speak {
                say!("part {} of {parts}: {} primes", part + 1, grouped(primes));
            }
            send_result(&results_write, part, primes)
        })?);
    }
    drop(results_write); // ours, so that a dead child means EOF, not a hang
    let counts = receive_results(results_read, workers.len())?;
    for worker in workers {
        children.reap(worker, "a worker process")?;
    }
    Ok(counts.iter().sum())
}
// ANCHOR_END: cpu_processes
